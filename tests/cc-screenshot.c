/* cc-screenshot.c: renders the real window to PNG, against the lab's real
 * servers, for the AppStream screenshots and for looking at the app:
 *
 *   cc-screenshot [--profile TEMPLATE] --state start|running|result|preferences [--dark]
 *                 [--width W] [--height H] [--timeout S] --out FILE.png
 *
 * With --profile, against the loopback lab started here, with a profile made
 * from the template; without it, the built-in Whereby profile as it is (run it
 * inside the namespace lab, where Whereby's names lead to the lab's servers:
 * tools/screenshots does).
 *   cc-screenshot --profile TEMPLATE --profile2 TEMPLATE --state history|report|compare …
 *                 (two runs, the second one newer; the earlier runs' list, the
 *                 newer one opened, or the two compared)
 *   cc-screenshot --profile TEMPLATE --state network-changed …
 *                 (a result after the network monitor said the network changed)
 *
 *   … --ice-servers FILE --proxy URL  (as the app's options)
 *   … --report FILE.json  (also writes the run's JSON report: the window's
 *                          numbers for tools/bench-numbers and bench-delay)
 *
 * Run it under Xvfb (tools/screenshots does).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cc-application.h"
#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-window-private.h"

static char *profile_template;
static char *profile2_template;
static char *state = (char *) "result";
static char *out_path;
static gboolean dark;
static int width = 720;
static int height = 900;
static int timeout_seconds = 3;
static char *ice_servers_path;
static char *proxy;
static char *report_path;

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
save_png (GtkWidget   *window,
          const char  *path,
          GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int w = gtk_widget_get_width (window);
  int h = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "nothing was drawn");
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write %s", path);
      return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLab) lab = NULL;
  g_autoptr(CcApplication) app = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *name = NULL;
  CcWindow *window;
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile_template, "Profile template (tests/profiles/*.in)", "FILE" },
    { "profile2", 0, 0, G_OPTION_ARG_FILENAME, &profile2_template, "The second run's profile template (history states)", "FILE" },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, "start, running, result, preferences, history, report, compare or network-changed", "STATE" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "Dark style", NULL },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "H" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_seconds, "Per check (default 3)", "S" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, "PNG to write", "FILE" },
    { "ice-servers", 0, 0, G_OPTION_ARG_FILENAME, &ice_servers_path, "TURN credentials (as the app's --ice-servers)", "FILE" },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &proxy, "A proxy (as the app's --proxy)", "URL" },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report_path, "Also write the run's JSON report here", "FILE" },
    { NULL }
  };

  /* In the language of the environment, from the build's translations
   * (CC_LOCALEDIR=build/po LANGUAGE=nb): for a look at each translation. */
  setlocale (LC_ALL, "");
  if (g_getenv ("CC_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CC_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || out_path == NULL ||
      timeout_seconds < 1 || timeout_seconds > 300 || (profile2_template != NULL && profile_template == NULL))
    {
      g_printerr ("cc-screenshot: %s\n", error ? error->message
                                               : "--out is required, --timeout 1 to 300, --profile2 with --profile");
      return 64;
    }

  gtk_init ();
  adw_init ();
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  if (profile_template != NULL)
    {
      lab = cc_lab_new (&error);
      if (lab == NULL)
        {
          g_printerr ("cc-screenshot: %s\n", error->message);
          return 1;
        }

      name = g_path_get_basename (profile_template);
      if (g_str_has_suffix (name, ".in"))
        name[strlen (name) - 3] = '\0';
      profile = cc_lab_write_file (lab, name, profile_template, &error);
      if (profile == NULL)
        {
          g_printerr ("cc-screenshot: %s\n", error->message);
          return 1;
        }
    }

  app = cc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  cc_application_set_options (app, &(CcRunOptions) { .profile_path = profile,
                                                      .ice_servers_path = ice_servers_path,
                                                      .proxy = proxy,
                                                      .timeout_seconds = timeout_seconds });
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("cc-screenshot: %s\n", error->message);
      return 1;
    }

  window = cc_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (300);

  if (g_str_equal (state, "preferences"))
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
      iterate_for (500);
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

          if (ADW_IS_PREFERENCES_WINDOW (w))
            {
              if (!save_png (GTK_WIDGET (w), out_path, &error))
                g_printerr ("cc-screenshot: %s\n", error->message);
              return error ? 1 : 0;
            }
        }
      g_printerr ("cc-screenshot: no preferences window\n");
      return 1;
    }

  {
    /* The earlier runs of this screenshot only: in the loopback lab's folder,
     * or (the namespace lab) under XDG_DATA_HOME, which tools/screenshots
     * points at a folder of its own. */
    g_autofree char *dir = lab ? g_build_filename (cc_lab_get_dir (lab), "history", NULL) : NULL;
    g_autoptr(CcHistory) history = cc_history_new (dir);

    cc_window_set_history (window, history);
  }

  if (!g_str_equal (state, "start"))
    {
      gboolean two = profile2_template != NULL;

      for (guint run = 0; run < (two ? 2u : 1u); run++)
        {
          if (run == 1)
            {
              g_autofree char *name2 = g_path_get_basename (profile2_template);
              g_autofree char *profile2 = NULL;

              if (g_str_has_suffix (name2, ".in"))
                name2[strlen (name2) - 3] = '\0';
              profile2 = cc_lab_write_file (lab, name2, profile2_template, &error);
              if (profile2 == NULL)
                {
                  g_printerr ("cc-screenshot: %s\n", error->message);
                  return 1;
                }
              cc_application_set_options (app, &(CcRunOptions) { .profile_path = profile2, .timeout_seconds = 3 });
            }

          gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
          if (g_str_equal (state, "running"))
            iterate_for (600);
          else
            {
              /* (Test calls on a slow link take a while.) */
              gint64 limit = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

              while (cc_window_get_runner (window) == NULL || cc_runner_is_running (cc_window_get_runner (window)))
                {
                  g_main_context_iteration (NULL, FALSE);
                  g_usleep (1000);
                  if (g_get_monotonic_time () > limit)
                    break;
                }
              iterate_for (400);
            }
        }
    }

  if (g_str_equal (state, "network-changed"))
    {
      g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
      iterate_for (300);
    }
  else if (g_str_equal (state, "history") || g_str_equal (state, "report") || g_str_equal (state, "compare"))
    {
      CcHistoryPage *page = cc_window_get_history_page (window);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL);
      iterate_for (600);
      if (g_str_equal (state, "report"))
        g_signal_emit_by_name (gtk_list_box_get_row_at_index (cc_history_page_get_list (page), 0), "activate");
      else if (g_str_equal (state, "compare") &&
               cc_history_page_get_row_check (page, 0) != NULL && cc_history_page_get_row_check (page, 1) != NULL)
        {
          gtk_check_button_set_active (cc_history_page_get_row_check (page, 0), TRUE);
          gtk_check_button_set_active (cc_history_page_get_row_check (page, 1), TRUE);
          g_signal_emit_by_name (cc_history_page_get_compare_button (page), "clicked");
        }
      else if (g_str_equal (state, "history") && cc_history_page_get_row_check (page, 1) != NULL)
        gtk_check_button_set_active (cc_history_page_get_row_check (page, 1), TRUE);
      iterate_for (400);
    }

  if (!save_png (GTK_WIDGET (window), out_path, &error))
    {
      g_printerr ("cc-screenshot: %s\n", error->message);
      return 1;
    }

  if (report_path != NULL && cc_window_get_runner (window) != NULL)
    {
      g_autofree char *json = cc_report_to_json (cc_window_get_runner (window));

      if (!g_file_set_contents (report_path, json, -1, &error))
        {
          g_printerr ("cc-screenshot: %s\n", error->message);
          return 1;
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_for (100);
  return 0;
}
