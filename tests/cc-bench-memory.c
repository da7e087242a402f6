/* cc-bench-memory.c: a benchmark, not a test. Prints the resident memory of a
 * window, for tools/bench-memory to compare side by side under one Xvfb:
 *
 *   cc-bench-memory empty       an empty AdwApplicationWindow of the window's
 *                               default size, the yardstick
 *   cc-bench-memory comparable  the same window drawing what the window's
 *                               result page draws (a status page, a boxed list
 *                               of seven expander rows with icons, a button),
 *                               reached by the same crossfade, with no engine,
 *                               and like the window without an SVG renderer
 *                               (cc-icons.c): what libadwaita costs to draw
 *                               such a page under the same renderer
 *   cc-bench-memory window [N] [PROFILE]
 *                               the real window, after N runs against the lab;
 *                               with PROFILE, one of a lab in another process
 *                               (tests/cc-lab-server, as tools/bench-memory
 *                               does), so that only the app is measured, not
 *                               the lab's servers and their TLS sessions
 *
 * Each prints lines "NAME current-KiB peak-KiB anonymous-KiB file-KiB"
 * (VmRSS, VmHWM, RssAnon, RssFile), after the same settling time with the
 * window shown. With CC_BENCH_EXIT set, the process ends right after its last
 * line, the window still open: what a heap profiler then reports as never
 * freed (heaptrack's leaks, massif's last snapshot) is what was live when
 * measured, not what the teardown left (README "Memory").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cc-application.h"
#include "cc-bench-window.h"
#include "cc-engine.h"
#include "cc-icons.h"
#include "cc-lab.h"
#include "cc-window-private.h"

/* Long enough for the first frames, the theme and the fonts to load. */
#define SETTLE_MS 1500

static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line ? strtol (line + strlen (field), NULL, 10) : -1;
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + SETTLE_MS * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* With CC_BENCH_SMAPS=PREFIX, also saves /proc/self/smaps as PREFIX-NAME, to
 * see which mappings the difference is in. */
static void
report (const char *name)
{
  const char *prefix = g_getenv ("CC_BENCH_SMAPS");

  if (prefix != NULL)
    {
      g_autofree char *smaps = NULL;
      g_autofree char *path = g_strdup_printf ("%s-%s", prefix, name);
      gsize length = 0;

      if (g_file_get_contents ("/proc/self/smaps", &smaps, &length, NULL))
        g_file_set_contents (path, smaps, length, NULL);
    }
  printf ("%s %ld %ld %ld %ld\n", name, status_kib ("VmRSS:"), status_kib ("VmHWM:"),
          status_kib ("RssAnon:"), status_kib ("RssFile:"));
}

/* See the top: for heap profilers. */
static void
exit_if_asked (void)
{
  if (g_getenv ("CC_BENCH_EXIT") == NULL)
    return;

  fflush (stdout);
  _exit (0);
}

static int
bench_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) app = adw_application_new ("com.whereby.ConnectionCheck.BenchEmpty",
                                                       G_APPLICATION_NON_UNIQUE);
  GtkWidget *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = adw_application_window_new (GTK_APPLICATION (app));
  /* cc-window.ui's default size: the same surfaces to draw. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 780);
  gtk_window_present (GTK_WINDOW (window));
  settle ();
  report ("empty");
  exit_if_asked ();

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static int
bench_comparable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) app = adw_application_new ("com.whereby.ConnectionCheck.BenchComparable",
                                                       G_APPLICATION_NON_UNIQUE);
  static const char *icons[] = {
    "emblem-ok-symbolic", "dialog-warning-symbolic", "emblem-ok-symbolic", "dialog-error-symbolic",
    "emblem-ok-symbolic", "emblem-ok-symbolic", "dialog-warning-symbolic",
  };
  GtkWidget *window, *box, *stack, *scrolled, *page, *status, *group, *button;

  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* As style.css: status page icons at a size Adwaita ships as PNG. */
  gtk_css_provider_load_from_data (css, "statuspage image.icon { -gtk-icon-size: 96px; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  window = adw_application_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 780);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_box_append (GTK_BOX (box), stack);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  /* A start page like the window's, then the result page. */
  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "network-wireless-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Can this network make video calls?");
  adw_status_page_set_description (ADW_STATUS_PAGE (status), "A test of about ten seconds.");
  gtk_stack_add_named (GTK_STACK (stack), status, "start");

  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (page, 24);
  gtk_widget_set_margin_bottom (page, 24);
  gtk_widget_set_margin_start (page, 24);
  gtk_widget_set_margin_end (page, 24);
  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Ready for video calls");
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   "Everything a call needs gets through this network.");
  gtk_box_append (GTK_BOX (page), status);
  group = adw_preferences_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    {
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *title = g_strdup_printf ("Requirement %u", i + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), "Passed: 12 ms round trip, 0.1 ms jitter");
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), gtk_image_new_from_icon_name (icons[i]));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), adw_action_row_new ());
      cc_icons_use_theme_arrow (ADW_EXPANDER_ROW (row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (GTK_BOX (page), group);
  button = gtk_button_new_with_label ("Test again");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (page), button);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), page);
  gtk_stack_add_named (GTK_STACK (stack), scrolled, "result");

  gtk_window_present (GTK_WINDOW (window));
  settle ();
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "result");
  settle ();
  report ("comparable");
  exit_if_asked ();

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static int
bench_window (guint       runs,
              const char *lab_profile)
{
  g_autoptr(CcLab) lab = NULL;
  g_autoptr(CcApplication) app = NULL;
  g_autofree char *profile = NULL;
  CcWindow *window;

  if (lab_profile != NULL)
    profile = g_strdup (lab_profile);
  else
    {
      lab = cc_lab_start (NULL);
      profile = cc_lab_write_source_profile (lab, "ok.conf", "lab-ok.conf.in");
    }

  window = cc_bench_open_window (&app, profile);
  settle ();
  report ("window-idle");

  for (guint run = 0; run < runs; run++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
      while (cc_runner_is_running (cc_window_get_runner (window)))
        g_main_context_iteration (NULL, TRUE);
    }
  settle ();
  report ("window");
  exit_if_asked ();

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  adw_init ();

  if (argc > 1 && strcmp (argv[1], "empty") == 0)
    return bench_empty ();
  if (argc > 1 && strcmp (argv[1], "comparable") == 0)
    return bench_comparable ();
  if (argc > 1 && strcmp (argv[1], "window") == 0)
    return bench_window (argc > 2 ? (guint) atoi (argv[2]) : 3, argc > 3 ? argv[3] : NULL);

  fprintf (stderr, "usage: cc-bench-memory empty | comparable | window [RUNS [PROFILE]]\n");
  return 64;
}
