/* cc-preferences-window.c: binds the preferences to GSettings. Credentials are
 * read from the chosen ICE servers file at run time, never stored in settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-credentials.h"
#include "cc-preferences-window.h"

struct _CcPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GtkSpinButton        *timeout_spin;
  AdwComboRow          *proxy_mode_row;
  AdwEntryRow          *proxy_url_row;
  AdwEntryRow          *proxy_username_row;
  AdwPasswordEntryRow  *proxy_password_row;
  AdwActionRow         *profile_row;
  AdwActionRow         *ice_row;
  AdwEntryRow          *turn_url_row;
  AdwEntryRow          *turn_username_row;
  AdwPasswordEntryRow  *turn_credential_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (CcPreferencesWindow, cc_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const proxy_modes[] = { "system", "none", "manual" };

static void
set_path_subtitle (AdwActionRow *row,
                   const char   *path,
                   const char   *fallback)
{
  g_autofree char *escaped = g_markup_escape_text (path[0] ? path : fallback, -1);

  adw_action_row_set_subtitle (row, escaped);
}

static void
update_rows (CcPreferencesWindow *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "proxy-mode");
  g_autofree char *profile = g_settings_get_string (self->settings, "profile-path");
  g_autofree char *ice = g_settings_get_string (self->settings, "ice-servers-path");

  for (guint i = 0; i < G_N_ELEMENTS (proxy_modes); i++)
    if (g_str_equal (mode, proxy_modes[i]) && adw_combo_row_get_selected (self->proxy_mode_row) != i)
      adw_combo_row_set_selected (self->proxy_mode_row, i);

  gtk_widget_set_visible (GTK_WIDGET (self->proxy_url_row), g_str_equal (mode, "manual"));
  /* No proxy, no proxy login. */
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_username_row), !g_str_equal (mode, "none"));
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_password_row), !g_str_equal (mode, "none"));
  set_path_subtitle (self->profile_row, profile, _("Built-in: Whereby"));
  set_path_subtitle (self->ice_row, ice, _("None: relays are tested without logging in"));
}

static void
proxy_mode_selected_cb (CcPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->proxy_mode_row);

  if (selected < G_N_ELEMENTS (proxy_modes))
    g_settings_set_string (self->settings, "proxy-mode", proxy_modes[selected]);
}

static void
file_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  CcPreferencesWindow *self = g_object_get_data (G_OBJECT (dialog), "window");
  const char *key = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        g_settings_set_string (self->settings, key, path);
    }

  g_object_unref (dialog);
}

static void
choose_file (CcPreferencesWindow *self,
             const char          *title,
             const char          *key)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "window", self);
  g_signal_connect (dialog, "response", G_CALLBACK (file_response_cb), (gpointer) key);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
choose_profile_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  choose_file (CC_PREFERENCES_WINDOW (widget), _("Choose a Profile"), "profile-path");
}

static void
reset_profile_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  g_settings_reset (CC_PREFERENCES_WINDOW (widget)->settings, "profile-path");
}

static void
choose_ice_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose_file (CC_PREFERENCES_WINDOW (widget), _("Choose an ICE Servers File"), "ice-servers-path");
}

static void
reset_ice_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_settings_reset (CC_PREFERENCES_WINDOW (widget)->settings, "ice-servers-path");
}

static void
credential_stored_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CcPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (cc_credentials_store_finish (result, &error))
    toast = adw_toast_new (_("Credential saved in your keyring"));
  else
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);
      toast = adw_toast_new (escaped);
    }
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* The credential goes to the keyring, keyed by URL and username; the field is
 * emptied so it is never shown again. */
static void
credential_apply_cb (CcPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "turn-url");
  g_autofree char *username = g_settings_get_string (self->settings, "turn-username");
  const char *credential = gtk_editable_get_text (GTK_EDITABLE (self->turn_credential_row));

  if (url[0] == '\0' || username[0] == '\0')
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Enter the TURN URL and username first")));
      return;
    }

  cc_credentials_store_async (url, username, credential, NULL, credential_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->turn_credential_row), "");
}

/* The proxy's password goes to the keyring, keyed by the user name. */
static void
proxy_password_apply_cb (CcPreferencesWindow *self)
{
  g_autofree char *username = g_settings_get_string (self->settings, "proxy-username");
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->proxy_password_row));

  if (username[0] == '\0')
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Enter the proxy user name first")));
      return;
    }

  cc_credentials_store_async (NULL, username, password, NULL, credential_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_password_row), "");
}

static void
cc_preferences_window_dispose (GObject *object)
{
  CcPreferencesWindow *self = CC_PREFERENCES_WINDOW (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (cc_preferences_window_parent_class)->dispose (object);
}

static void
cc_preferences_window_class_init (CcPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/whereby/ConnectionCheck/cc-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, proxy_mode_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, proxy_url_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, proxy_username_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, proxy_password_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, profile_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, ice_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, turn_url_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, turn_username_row);
  gtk_widget_class_bind_template_child (widget_class, CcPreferencesWindow, turn_credential_row);
  gtk_widget_class_bind_template_callback (widget_class, credential_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, proxy_password_apply_cb);

  gtk_widget_class_install_action (widget_class, "prefs.choose-profile", NULL, choose_profile_activated);
  gtk_widget_class_install_action (widget_class, "prefs.reset-profile", NULL, reset_profile_activated);
  gtk_widget_class_install_action (widget_class, "prefs.choose-ice", NULL, choose_ice_activated);
  gtk_widget_class_install_action (widget_class, "prefs.reset-ice", NULL, reset_ice_activated);
}

static void
cc_preferences_window_init (CcPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CcPreferencesWindow *
cc_preferences_window_new (GSettings *settings)
{
  CcPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CC_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "timeout", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "proxy-url", self->proxy_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "proxy-username", self->proxy_username_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "turn-url", self->turn_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "turn-username", self->turn_username_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (self->proxy_mode_row, "notify::selected",
                            G_CALLBACK (proxy_mode_selected_cb), self);
  update_rows (self);

  return self;
}
