/* cc-window.c: a thin client of the engine. It builds a runner from the settings,
 * binds the checklist to the runner's requirements model, shows the verdict, and
 * offers the report. Closing the window cancels the run. Every finished run's
 * JSON report is kept in the history (in a thread); the earlier runs can be
 * listed, opened as they were and compared. When the network monitor says the
 * network changed during or after a run, a note says the results are about the
 * previous network and offers to test again; a run in progress is restarted
 * only when the person agrees.
 *
 * Why one file of over 800 lines: the window's pages share one run's state
 * (start, checklist, banner, earlier runs, network note); the rows, the
 * history page, the report and the comparison are their own widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cc-compare-view.h"
#include "cc-credentials.h"
#include "cc-engine.h"
#include "cc-history-page.h"
#include "cc-report-view.h"
#include "cc-requirement-row.h"
#include "cc-spinner.h"
#include "cc-window-private.h"

typedef enum
{
  NETWORK_NOTE_NONE,
  NETWORK_NOTE_DURING,    /* changed while the run was running */
  NETWORK_NOTE_AFTER,     /* changed after it finished */
} NetworkNote;

struct _CcWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkLabel             *profile_label;
  GtkButton            *back_button;
  GtkButton            *history_button;
  GtkButton            *stop_button;
  GtkButton            *rerun_button;
  GtkButton            *start_button;
  GtkButton            *it_request_button;
  GtkBox               *verdict_box;
  GtkLabel             *verdict_title;
  GtkListBox           *requirements_list;
  GtkBox               *network_note;
  GtkLabel             *network_note_label;
  GtkButton            *network_note_button;
  CcHistoryPage        *history_page;
  CcReportView         *report_view;
  CcCompareView        *compare_view;

  GSettings            *settings;
  CcHistory            *history;
  GCancellable         *history_cancellable;
  GNetworkMonitor      *network_monitor;
  NetworkNote           network_note_state;
  gboolean              restart_pending;  /* the person agreed to restart */
  char                 *main_page;        /* "start" or "results": where Back leads */
  CcRunner             *runner;
  GCancellable         *cancellable;
  gboolean              starting;     /* waiting for the keyring */
};

G_DEFINE_FINAL_TYPE (CcWindow, cc_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_RUNNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cc_window_toast (CcWindow   *self,
                 const char *message)
{
  /* Toast titles are markup; messages may carry file names with '&'. (And
   * libadwaita 1.2 wants the title at once: a toast made with NULL is none.) */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Whether a finished run found something IT can open (see
 * cc_diagnosis_it_allow). */
static gboolean
cc_window_has_it_request (CcWindow *self)
{
  GListModel *requirements = cc_runner_get_requirements (self->runner);

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      g_autofree char *line = cc_diagnosis_it_allow (req, cc_runner_get_profile (self->runner));

      if (line != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The banner's words, icon and CSS class for a runner's state (@verdict and
 * @runner_summary are read only when it is not running). */
static void
describe_banner (gboolean     running,
                 CcVerdict    verdict,
                 const char  *runner_summary,
                 const char **title,
                 const char **summary,
                 const char **icon,
                 const char **css)
{
  if (running)
    {
      *title = _("Testing Your Connection…");
      *summary = _("Each line below fills in as its test finishes. This takes a few seconds.");
      *icon = NULL;
      *css = "running";
      return;
    }

  /* The same words and icon as an earlier run's report shows. */
  cc_report_view_describe_verdict (verdict, title, icon, css);
  *summary = verdict == CC_VERDICT_UNKNOWN
             ? _("Not every test finished. Run it again for a complete answer.")
             : runner_summary ? runner_summary : "";
}

/* The template's closures for the banner (cc-window.ui): each reads the
 * runner's running, verdict and summary properties. @part is "title",
 * "summary" or "icon". */
static char *
banner_text (CcWindow   *self,
             const char *part,
             gboolean    running,
             CcVerdict   verdict,
             const char *runner_summary)
{
  const char *title, *summary, *icon, *css;

  describe_banner (running, verdict, runner_summary, &title, &summary, &icon, &css);
  if (g_str_equal (part, "title"))
    return g_strdup (title);
  if (g_str_equal (part, "summary"))
    return g_strdup (summary);
  return g_strdup (icon);
}

static char *
banner_page (CcWindow   *self,
             gboolean    running,
             CcVerdict   verdict,
             const char *runner_summary)
{
  return g_strdup (running ? "spinner" : "icon");
}

static gboolean
banner_spinning (CcWindow   *self,
                 gboolean    running,
                 CcVerdict   verdict,
                 const char *runner_summary)
{
  return running;
}

static GStrv
banner_classes (CcWindow   *self,
                gboolean    running,
                CcVerdict   verdict,
                const char *runner_summary)
{
  const char *title, *summary, *icon, *css;
  const char *classes[] = { "verdict", "card", NULL, NULL };

  describe_banner (running, verdict, runner_summary, &title, &summary, &icon, &css);
  classes[2] = css;
  return g_strdupv ((char **) classes);
}

/* The banner's words, picture and class are bound to the runner in the
 * template; the buttons, actions and the banner's accessible words follow
 * here. */
static void
cc_window_update_verdict (CcWindow *self)
{
  gboolean running = self->runner != NULL && cc_runner_is_running (self->runner);
  CcVerdict verdict = self->runner ? cc_runner_get_verdict (self->runner) : CC_VERDICT_UNKNOWN;
  const char *title, *summary, *icon, *css;
  gboolean main_page = g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), self->main_page) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), running && main_page);
  gtk_widget_set_visible (GTK_WIDGET (self->rerun_button), !running && self->runner != NULL && main_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-report", !running && self->runner != NULL);
  {
    gboolean for_it = !running && self->runner != NULL && cc_window_has_it_request (self);

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-it-request", for_it);
    gtk_widget_set_visible (GTK_WIDGET (self->it_request_button), for_it);
  }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-report", !running && self->runner != NULL);

  if (self->runner == NULL)
    return;

  describe_banner (running, verdict, cc_runner_get_summary (self->runner),
                   &title, &summary, &icon, &css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary,
                                  -1);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return GTK_WIDGET (cc_requirement_row_new (CC_REQUIREMENT (item)));
}

static void
cc_window_update_network_note (CcWindow *self)
{
  gboolean running = self->runner != NULL && cc_runner_is_running (self->runner);
  const char *text = NULL;
  const char *button;

  switch (self->network_note_state)
    {
    case NETWORK_NOTE_DURING:
      text = running ? _("The network changed while this test was running: some results may be about the previous network.")
                     : _("The network changed while this test was running: some results are about the previous network.");
      break;
    case NETWORK_NOTE_AFTER:
      text = _("The network changed after this test: these results are about the previous network.");
      break;
    case NETWORK_NOTE_NONE:
    default:
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->network_note), text != NULL);
  if (text == NULL)
    return;

  button = running ? _("_Restart the Test") : _("_Test Again");
  gtk_label_set_text (self->network_note_label, text);
  gtk_button_set_label (self->network_note_button, button);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->network_note),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Network changed"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    CcWindow        *self)
{
  /* Nothing shown yet is about any network. */
  if (self->runner == NULL)
    return;

  if (self->network_note_state == NETWORK_NOTE_NONE)
    self->network_note_state = cc_runner_is_running (self->runner) ? NETWORK_NOTE_DURING : NETWORK_NOTE_AFTER;
  cc_window_update_network_note (self);
}

typedef struct
{
  GWeakRef   window;
  CcHistory *history;
} HistorySave;

static void
history_save_free (HistorySave *save)
{
  g_weak_ref_clear (&save->window);
  g_clear_object (&save->history);
  g_free (save);
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cc_history_load_finish (CC_HISTORY (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("the earlier runs could not be read: %s", error->message);
}

static void
history_added_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HistorySave *save = user_data;
  g_autoptr(CcWindow) self = g_weak_ref_get (&save->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = cc_history_add_finish (CC_HISTORY (object), result, &error);

  if (id == NULL && self != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("This run could not be kept with the earlier runs: %s"),
                                                  error->message);
      cc_window_toast (self, message);
    }

  /* The model is the application's: every window's list follows. */
  cc_history_load_async (save->history, NULL, history_loaded_cb, NULL);
  history_save_free (save);
}

/* The JSON report is made here (it reads the runner); writing it, and
 * removing the oldest, happen in a thread. */
static void
cc_window_keep_run (CcWindow *self)
{
  g_autofree char *json = cc_report_to_json (self->runner);
  HistorySave *save = g_new0 (HistorySave, 1);

  g_weak_ref_init (&save->window, self);
  save->history = g_object_ref (self->history);
  cc_history_add_async (self->history, json, NULL, history_added_cb, save);
}

/* The run holds only a weak reference to the window, so that closing the window
 * disposes it at once, and its dispose cancels the run. */
static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(CcWindow) self = g_weak_ref_get (window_ref);
  g_autoptr(GError) error = NULL;

  g_weak_ref_clear (window_ref);
  g_free (window_ref);

  cc_runner_run_finish (CC_RUNNER (object), result, &error);
  /* A stopped run may end after the next one started: its end is not the
   * current run's (it would take the new run's cancellable with it). */
  if (self == NULL || self->cancellable == NULL || CC_RUNNER (object) != self->runner)
    return;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cc_window_toast (self, error->message);

  g_clear_object (&self->cancellable);
  cc_window_update_verdict (self);
  cc_window_update_network_note (self);

  /* A stopped run proves nothing: only finished ones are kept. */
  if (error == NULL && cc_runner_get_verdict (CC_RUNNER (object)) != CC_VERDICT_UNKNOWN)
    cc_window_keep_run (self);

  if (self->restart_pending)
    {
      self->restart_pending = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "win.run", NULL);
    }
}

static CcApplication *
cc_window_get_app (CcWindow *self)
{
  return CC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static CcProfile *
profile_from_options (const CcRunOptions  *options,
                      GError             **error)
{
  if (options->profile_path == NULL)
    return cc_profile_new_default ();

  return cc_profile_new_from_file (options->profile_path, error);
}

static void
cc_window_update_profile_label (CcWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcRunOptions) options = cc_application_dup_run_options (cc_window_get_app (self));
  g_autoptr(CcProfile) profile = profile_from_options (options, &error);
  g_autofree char *text = NULL;

  if (profile != NULL)
    text = g_strdup_printf (_("Testing for %s"), cc_profile_get_title (profile));
  else
    text = g_strdup_printf (_("The custom profile cannot be used: %s"), error->message);

  gtk_label_set_text (self->profile_label, text);
}

static void
runner_running_cb (CcWindow *self)
{
  cc_window_update_verdict (self);
  cc_window_update_network_note (self);
}

static void
cc_window_show_page (CcWindow   *self,
                     const char *name)
{
  gboolean main_page = g_str_equal (name, "start") || g_str_equal (name, "results");

  gtk_stack_set_visible_child_name (self->stack, name);
  /* @name may be self->main_page itself. */
  if (main_page && g_strcmp0 (self->main_page, name) != 0)
    {
      g_free (self->main_page);
      self->main_page = g_strdup (name);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !main_page);
  gtk_widget_set_visible (GTK_WIDGET (self->history_button), main_page);
  cc_window_update_verdict (self);
}

static void
start_run (CcWindow           *self,
           const CcRunOptions *options,
           CcProfile          *profile,
           GPtrArray          *ice_servers)
{
  GWeakRef *window_ref;

  /* A new runner per run: the profile or settings may have changed. */
  g_clear_object (&self->runner);
  self->runner = cc_runner_new (profile);
  cc_runner_set_ice_servers (self->runner, ice_servers);
  cc_run_options_configure (options, self->runner);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNER]);

  /* The banner follows the runner, not the end of our own callback. */
  g_signal_connect_object (self->runner, "notify::running", G_CALLBACK (runner_running_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_list_box_bind_model (self->requirements_list,
                           cc_runner_get_requirements (self->runner),
                           create_row, self, NULL);

  self->cancellable = g_cancellable_new ();
  window_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (window_ref, self);
  cc_runner_run_async (self->runner, self->cancellable, run_done_cb, window_ref);

  /* A new run is about the network of now. */
  self->network_note_state = NETWORK_NOTE_NONE;
  cc_window_update_network_note (self);
  cc_window_show_page (self, "results");
}

typedef struct
{
  GWeakRef      window;
  CcRunOptions *options;
  CcProfile    *profile;
  GPtrArray    *ice_servers;
  char         *url;       /* the TURN login still to look up, or NULL */
  char         *username;
  gboolean      lookup_failed;  /* the last keyring lookup's */
} RunSetup;

static void
run_setup_free (RunSetup *setup)
{
  g_weak_ref_clear (&setup->window);
  g_clear_pointer (&setup->options, cc_run_options_free);
  g_clear_object (&setup->profile);
  g_clear_pointer (&setup->ice_servers, g_ptr_array_unref);
  g_free (setup->url);
  g_free (setup->username);
  g_free (setup);
}

static void credential_found_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);

/* A keyring answer for @setup: the window, or NULL when it has gone (@setup
 * is then freed). The secret (or NULL) goes to @secret; a keyring that did
 * not answer is said with @unavailable (one %s: why) and noted in @setup. */
static CcWindow *
run_setup_lookup_finish (RunSetup      *setup,
                         GAsyncResult  *result,
                         const char    *unavailable,
                         char         **secret)
{
  g_autoptr(GError) error = NULL;
  CcWindow *self;

  *secret = cc_credentials_lookup_finish (result, &error);
  self = g_weak_ref_get (&setup->window);
  if (self == NULL)
    {
      run_setup_free (setup);
      return NULL;
    }

  setup->lookup_failed = error != NULL;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (unavailable, error->message);

      cc_window_toast (self, message);
    }
  return self;
}

/* The next keyring lookup, or the run once the logins are in. */
static void
run_setup_continue (CcWindow *self,
                    RunSetup *setup)
{
  if (setup->url != NULL)
    {
      cc_credentials_lookup_async (setup->url, setup->username, NULL, credential_found_cb, setup);
      return;
    }

  self->starting = FALSE;
  start_run (self, setup->options, setup->profile, setup->ice_servers);
  run_setup_free (setup);
}

/* The keyring answered: add the TURN login, if any, and go on. */
static void
credential_found_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  RunSetup *setup = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = NULL;
  g_autoptr(CcWindow) self =
    run_setup_lookup_finish (setup, result,
                             _("The keyring is not available, so relays are tested without a login: %s"),
                             &credential);

  if (self == NULL)
    goto out;

  if (credential != NULL && cc_ice_server_is_usable_login (setup->username) &&
      cc_ice_server_is_usable_login (credential))
    {
      CcIceServer *server = g_new0 (CcIceServer, 1);

      if (cc_ice_server_parse_url (setup->url, server, &error))
        {
          server->username = g_strdup (setup->username);
          server->credential = g_strdup (credential);
          if (setup->ice_servers == NULL)
            setup->ice_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_ice_server_free);
          g_ptr_array_add (setup->ice_servers, server);
        }
      else
        {
          cc_window_toast (self, error->message);
          cc_ice_server_free (server);
        }
    }

  g_clear_pointer (&setup->url, g_free);
  run_setup_continue (self, setup);

out:
  cc_secrets_clear (&credential);
}

/* The keyring answered for the proxy's login: the run uses it, and without a
 * stored password it still tries the user name (the proxy then says no, and
 * the report tells it wants a login). */
static void
proxy_password_found_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  RunSetup *setup = user_data;
  g_autofree char *password = NULL;
  g_autoptr(CcWindow) self =
    run_setup_lookup_finish (setup, result,
                             _("The keyring is not available, so the proxy login is tried without its password: %s"),
                             &password);

  if (self == NULL)
    goto out;

  if (password == NULL && !setup->lookup_failed)
    {
      g_autofree char *message = g_strdup_printf (_("No proxy password for “%s” is in the keyring: enter it in Preferences"),
                                                  setup->options->proxy_username);
      cc_window_toast (self, message);
    }

  cc_secrets_clear (&setup->options->proxy_password);
  setup->options->proxy_password = g_steal_pointer (&password);
  run_setup_continue (self, setup);

out:
  cc_secrets_clear (&password);
}

static void
run_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = NULL;
  g_autoptr(GPtrArray) ice_servers = NULL;
  g_autoptr(CcRunOptions) options = NULL;
  g_autofree char *turn_url = NULL;
  g_autofree char *turn_username = NULL;
  g_autofree char *proxy_username = NULL;
  RunSetup *setup;

  if (self->starting || (self->runner != NULL && cc_runner_is_running (self->runner)))
    return;

  options = cc_application_dup_run_options (cc_window_get_app (self));
  profile = profile_from_options (options, &error);
  if (profile == NULL)
    {
      cc_window_toast (self, error->message);
      return;
    }

  if (options->ice_servers_path != NULL)
    {
      ice_servers = cc_ice_servers_load (options->ice_servers_path, &error);
      if (ice_servers == NULL)
        {
          cc_window_toast (self, error->message);
          return;
        }
    }

  setup = g_new0 (RunSetup, 1);
  g_weak_ref_init (&setup->window, self);
  setup->options = g_steal_pointer (&options);
  setup->profile = g_steal_pointer (&profile);
  setup->ice_servers = g_steal_pointer (&ice_servers);
  self->starting = TRUE;

  turn_url = g_settings_get_string (self->settings, "turn-url");
  turn_username = g_settings_get_string (self->settings, "turn-username");
  if (turn_url[0] != '\0' && turn_username[0] != '\0')
    {
      setup->url = g_steal_pointer (&turn_url);
      setup->username = g_steal_pointer (&turn_username);
    }

  /* The proxy's login first (the keyring has its password), then the TURN
   * login, then the run. */
  proxy_username = g_settings_get_string (self->settings, "proxy-username");
  if (proxy_username[0] != '\0' && setup->options->proxy_username == NULL &&
      !cc_run_options_is_direct (setup->options))
    {
      setup->options->proxy_username = g_steal_pointer (&proxy_username);
      cc_credentials_lookup_async (NULL, setup->options->proxy_username, NULL,
                                   proxy_password_found_cb, setup);
      return;
    }

  run_setup_continue (self, setup);
}

static void
stop_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
}

/* Puts @text on the clipboard (taking it) and says so with @toast. */
static void
cc_window_copy (CcWindow   *self,
                char       *text,
                const char *toast)
{
  g_autofree char *owned = text;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), owned);
  cc_window_toast (self, toast);
}

static void
copy_report_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);

  /* For a support ticket: every check, with addresses and timings. */
  if (self->runner != NULL)
    cc_window_copy (self, cc_report_to_text (self->runner, CC_REPORT_VERBOSE),
                    _("Report copied: paste it into your support ticket"));
}

static void
copy_it_request_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);

  if (self->runner != NULL)
    cc_window_copy (self, cc_report_to_it_request (self->runner),
                    _("Request for IT copied: paste it into an e-mail or a ticket"));
}

static void
copy_hint_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  GListModel *reqs;

  if (self->runner == NULL)
    return;

  reqs = cc_runner_get_requirements (self->runner);
  for (guint i = 0; i < g_list_model_get_n_items (reqs); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (reqs, i);

      if (g_str_equal (cc_requirement_get_id (req), id) && cc_requirement_get_hint (req) != NULL)
        {
          cc_window_copy (self, g_strdup (cc_requirement_get_hint (req)), _("Request for IT copied"));
        }
    }
}

static void
report_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(CcWindow) self = g_weak_ref_get (window_ref);
  g_autoptr(GError) error = NULL;
  gboolean saved = cc_report_save_finish (result, &error);

  g_weak_ref_clear (window_ref);
  g_free (window_ref);
  if (self == NULL)
    return;

  if (saved)
    cc_window_toast (self, _("Report saved"));
  else
    cc_window_toast (self, error->message);
}

static void
save_response_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  CcWindow *self = CC_WINDOW (user_data);
  g_autoptr(GFile) file = NULL;
  GWeakRef *window_ref;

  if (response != GTK_RESPONSE_ACCEPT || self->runner == NULL)
    goto out;

  /* Reports hold addresses: readable by the user only. Written without
   * blocking the window (a slow or remote folder). */
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  window_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (window_ref, self);
  cc_report_save_async (self->runner, file, NULL, report_saved_cb, window_ref);

out:
  g_object_unref (dialog);
}

static void
save_report_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) text = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (self->runner == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Save Report"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);

  gtk_file_filter_set_name (text, _("Text report"));
  gtk_file_filter_add_pattern (text, "*.txt");
  gtk_file_filter_set_name (json, _("JSON report"));
  gtk_file_filter_add_pattern (json, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), text);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), json);

  name = g_date_time_format (now, "connection-check-%Y%m%d-%H%M.txt");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  g_signal_connect (dialog, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Test again on the network of now; a run in progress is stopped first (the
 * person asked for it: the note's button). */
static void
retest_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);

  if (self->runner != NULL && cc_runner_is_running (self->runner))
    {
      self->restart_pending = TRUE;
      g_cancellable_cancel (self->cancellable);
      return;
    }

  gtk_widget_activate_action (widget, "win.run", NULL);
}

static void
show_history_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);

  cc_history_load_async (self->history, self->history_cancellable, history_loaded_cb, NULL);
  cc_window_show_page (self, "history");
}

static void
back_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "report") == 0 || g_strcmp0 (page, "compare") == 0)
    cc_window_show_page (self, "history");
  else
    cc_window_show_page (self, self->main_page);
}

static void
open_report_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  CcHistoryEntry *entry = cc_history_lookup (self->history, g_variant_get_string (parameter, NULL));

  if (entry == NULL)
    return;

  cc_report_view_set_entry (self->report_view, entry);
  cc_window_show_page (self, "report");
  cc_report_view_focus (self->report_view);
}

static void
compare_reports_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CcWindow *self = CC_WINDOW (widget);
  const char *before_id, *after_id;
  CcHistoryEntry *before, *after;

  g_variant_get (parameter, "(&s&s)", &before_id, &after_id);
  before = cc_history_lookup (self->history, before_id);
  after = cc_history_lookup (self->history, after_id);
  if (before == NULL || after == NULL)
    return;

  cc_compare_view_set_entries (self->compare_view, before, after);
  cc_window_show_page (self, "compare");
}

static void
settings_changed_cb (GSettings  *settings,
                     const char *key,
                     CcWindow   *self)
{
  if (g_str_equal (key, "profile-path"))
    cc_window_update_profile_label (self);
}

/* GtkWindow gives the focus to its first focusable widget when it maps (the
 * main menu's button): on the start page the one action belongs there, so
 * that Return starts the test. */
static void
cc_window_map (GtkWidget *widget)
{
  CcWindow *self = CC_WINDOW (widget);

  GTK_WIDGET_CLASS (cc_window_parent_class)->map (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "start") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->start_button));
}

static void
cc_window_dispose (GObject *object)
{
  CcWindow *self = CC_WINDOW (object);

  /* Closing mid-run stops every probe at once. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  if (self->requirements_list != NULL)
    gtk_list_box_bind_model (self->requirements_list, NULL, NULL, NULL, NULL);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->runner);

  if (self->history_cancellable != NULL)
    g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);
  g_clear_object (&self->history);
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  g_clear_pointer (&self->main_page, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_WINDOW);

  G_OBJECT_CLASS (cc_window_parent_class)->dispose (object);
}

static void
cc_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CcWindow *self = CC_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNER:
      g_value_set_object (value, self->runner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_window_class_init (CcWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_window_dispose;
  object_class->get_property = cc_window_get_property;

  /* The current run's runner (a new one per run): the banner is bound to it. */
  properties[PROP_RUNNER] =
    g_param_spec_object ("runner", NULL, NULL, CC_TYPE_RUNNER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->map = cc_window_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/whereby/ConnectionCheck/cc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CcWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, profile_label);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, history_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, rerun_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, start_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, it_request_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, requirements_list);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, network_note);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, network_note_label);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, network_note_button);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, report_view);
  gtk_widget_class_bind_template_child (widget_class, CcWindow, compare_view);

  gtk_widget_class_bind_template_callback (widget_class, banner_text);
  gtk_widget_class_bind_template_callback (widget_class, banner_page);
  gtk_widget_class_bind_template_callback (widget_class, banner_spinning);
  gtk_widget_class_bind_template_callback (widget_class, banner_classes);

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_activated);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-report", NULL, copy_report_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-it-request", NULL, copy_it_request_activated);
  gtk_widget_class_install_action (widget_class, "win.save-report", NULL, save_report_activated);
  gtk_widget_class_install_action (widget_class, "win.copy-hint", "s", copy_hint_activated);
  gtk_widget_class_install_action (widget_class, "win.retest", NULL, retest_activated);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL, show_history_activated);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated);
  gtk_widget_class_install_action (widget_class, "win.open-report", "s", open_report_activated);
  gtk_widget_class_install_action (widget_class, "win.compare-reports", "(ss)", compare_reports_activated);

  g_type_ensure (CC_TYPE_SPINNER);
  g_type_ensure (CC_TYPE_REQUIREMENT_ROW);
  g_type_ensure (CC_TYPE_HISTORY_PAGE);
  g_type_ensure (CC_TYPE_REPORT_VIEW);
  g_type_ensure (CC_TYPE_COMPARE_VIEW);
}

static void
cc_window_init (CcWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->main_page = g_strdup ("start");
  self->history_cancellable = g_cancellable_new ();
}

CcWindow *
cc_window_new (CcApplication *application)
{
  CcWindow *self = g_object_new (CC_TYPE_WINDOW, "application", application, NULL);

  self->settings = g_object_ref (cc_application_get_settings (application));
  g_signal_connect (self->settings, "changed", G_CALLBACK (settings_changed_cb), self);
  cc_window_set_history (self, cc_application_get_history (application));
  cc_window_set_network_monitor (self, g_network_monitor_get_default ());
  cc_window_update_profile_label (self);
  cc_window_update_verdict (self);

  return self;
}

void
cc_window_set_history (CcWindow  *self,
                       CcHistory *history)
{
  g_return_if_fail (CC_IS_WINDOW (self));
  g_return_if_fail (CC_IS_HISTORY (history));

  g_set_object (&self->history, history);
  cc_history_page_set_history (self->history_page, history);
  cc_history_load_async (history, self->history_cancellable, history_loaded_cb, NULL);
}

CcHistory *
cc_window_get_history (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->history;
}

void
cc_window_set_network_monitor (CcWindow        *self,
                               GNetworkMonitor *monitor)
{
  g_return_if_fail (CC_IS_WINDOW (self));
  g_return_if_fail (G_IS_NETWORK_MONITOR (monitor));

  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_set_object (&self->network_monitor, monitor);
  g_signal_connect (monitor, "network-changed", G_CALLBACK (network_changed_cb), self);
}

const char *
cc_window_get_network_note (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->network_note)))
    return NULL;
  return gtk_label_get_text (self->network_note_label);
}

CcHistoryPage *
cc_window_get_history_page (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->history_page;
}

CcReportView *
cc_window_get_report_view (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->report_view;
}

CcCompareView *
cc_window_get_compare_view (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->compare_view;
}

CcRunner *
cc_window_get_runner (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->runner;
}

gboolean
cc_window_offers_it_request (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->it_request_button));
}

GtkWidget *
cc_window_get_banner (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->verdict_box);
}

const char *
cc_window_get_verdict_title (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->verdict_title);
}

const char *
cc_window_get_page (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkListBox *
cc_window_get_checklist (CcWindow *self)
{
  g_return_val_if_fail (CC_IS_WINDOW (self), NULL);
  return self->requirements_list;
}
