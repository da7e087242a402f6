/* cc-application.c: owns the settings and the app-wide actions (preferences,
 * about, shortcuts, quit); each window runs its own checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-application.h"
#include "cc-engine.h"
#include "cc-gui-resources.h"
#include "cc-preferences-window.h"
#include "cc-window.h"

struct _CcApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  CcRunOptions   *options;        /* the command line's, over the settings */
  CcHistory      *history;        /* made when a window first asks */
};

G_DEFINE_FINAL_TYPE (CcApplication, cc_application, ADW_TYPE_APPLICATION)

static void
cc_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cc_window_new (CC_APPLICATION (app)));

  gtk_window_present (window);
}

static void
cc_application_startup (GApplication *app)
{
  CcApplication *self = CC_APPLICATION (app);
  static const char *run_accels[] = { "<Control>r", NULL };
  static const char *stop_accels[] = { "<Control>period", NULL };
  static const char *copy_accels[] = { "<Control><Shift>c", NULL };
  static const char *save_accels[] = { "<Control>s", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *history_accels[] = { "<Control>h", NULL };
  static const char *back_accels[] = { "<Alt>Left", "Escape", NULL };

  G_APPLICATION_CLASS (cc_application_parent_class)->startup (app);

  /* Running from the build tree without the schema would abort in GSettings. */
  if (g_settings_schema_source_lookup (g_settings_schema_source_get_default (), APP_ID, TRUE) == NULL)
    g_error ("The GSettings schema %s is not installed; run the app with tools/run, "
             "or install it (meson install).", APP_ID);
  self->settings = g_settings_new (APP_ID);

  /* The trust stores are not parsed here: the first run does it, on a
   * thread, before its checks start (cc_runner_run_async), so that a window
   * nobody ran does not hold them (README "Memory"). */

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.run", run_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.stop", stop_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.copy-report", copy_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.save-report", save_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-history", history_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.back", back_accels);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows cancels their runs before the application goes. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_destroy (window);
    }
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  CcApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  CcPreferencesWindow *prefs = cc_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CcApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Connection Check developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Connection Check"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Connection Check developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Tells whether your network lets Whereby video calls through, and what IT must open if not."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "copyright", "© 2026 The Connection Check developers",
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
};

static void
cc_application_dispose (GObject *object)
{
  CcApplication *self = CC_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->options, cc_run_options_free);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (cc_application_parent_class)->dispose (object);
}

static void
cc_application_class_init (CcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cc_application_dispose;

  /* The UI resources live in a static library, whose constructor that would
   * register them is not linked in: register them here, before any window. */
  g_resources_register (cc_gui_get_resource ());

  app_class->activate = cc_application_activate;
  app_class->startup = cc_application_startup;
}

static void
cc_application_init (CcApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

CcApplication *
cc_application_new (void)
{
  return g_object_new (CC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/whereby/ConnectionCheck",
                       NULL);
}

GSettings *
cc_application_get_settings (CcApplication *self)
{
  g_return_val_if_fail (CC_IS_APPLICATION (self), NULL);
  return self->settings;
}

void
cc_application_set_options (CcApplication      *self,
                            const CcRunOptions *options)
{
  g_return_if_fail (CC_IS_APPLICATION (self));

  g_clear_pointer (&self->options, cc_run_options_free);
  if (options != NULL)
    self->options = cc_run_options_copy (options);
}

CcRunOptions *
cc_application_dup_run_options (CcApplication *self)
{
  g_autoptr(CcRunOptions) options = cc_run_options_new ();
  g_autofree char *profile_path = NULL;
  g_autofree char *ice_servers_path = NULL;
  g_autofree char *proxy_mode = NULL;

  g_return_val_if_fail (CC_IS_APPLICATION (self), NULL);

  /* The preferences first ("" is unset)… */
  profile_path = g_settings_get_string (self->settings, "profile-path");
  if (profile_path[0] != '\0')
    options->profile_path = g_steal_pointer (&profile_path);
  ice_servers_path = g_settings_get_string (self->settings, "ice-servers-path");
  if (ice_servers_path[0] != '\0')
    options->ice_servers_path = g_steal_pointer (&ice_servers_path);
  options->timeout_seconds = g_settings_get_uint (self->settings, "timeout");
  proxy_mode = g_settings_get_string (self->settings, "proxy-mode");
  if (g_str_equal (proxy_mode, "none"))
    options->proxy = g_strdup ("direct");
  else if (g_str_equal (proxy_mode, "manual"))
    {
      g_autofree char *url = g_settings_get_string (self->settings, "proxy-url");

      if (url[0] != '\0')
        options->proxy = g_steal_pointer (&url);
    }

  /* …then what the command line says wins. */
  if (self->options != NULL)
    cc_run_options_merge (options, self->options);

  return g_steal_pointer (&options);
}

CcHistory *
cc_application_get_history (CcApplication *self)
{
  g_return_val_if_fail (CC_IS_APPLICATION (self), NULL);

  if (self->history == NULL)
    self->history = cc_history_new (NULL);
  return self->history;
}
