/* test-ui.c: the real window against the lab's real servers, under Xvfb: the
 * start page's action runs the checks, the checklist fills in, rows show an icon
 * and words, the banner gives the verdict; a run stopped midway and a window
 * closed midway end cleanly; preferences open and close.
 *
 * Why one file of over 800 lines: one program, one lab started once, for
 * every view of the window; the lab's servers take seconds to start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cc-application.h"
#include "cc-credentials.h"
#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-lab-proxy.h"
#include "cc-requirement-row.h"
#include "cc-test-util.h"
#include "cc-window-private.h"

#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

static CcLab *lab;
/* One application for every test, as in the real program: a process registers
 * its application once (on a session bus, twice would clash). */
static CcApplication *app;

static char *
lab_profile (const char *name)
{
  g_autofree char *template = g_test_build_filename (G_TEST_DIST, "profiles", name, NULL);
  g_autofree char *out = g_strndup (name, strlen (name) - strlen (".in"));
  g_autoptr(GError) error = NULL;
  char *path = cc_lab_write_file (lab, out, template, &error);

  g_assert_no_error (error);
  return path;
}

static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!done (data))
    {
      g_main_context_iteration (NULL, FALSE);
      if (g_get_monotonic_time () > limit)
        g_error ("timed out waiting");
      g_usleep (1000);
    }
}

static gboolean
run_finished (gpointer data)
{
  CcRunner *runner = cc_window_get_runner (data);

  return runner != NULL && !cc_runner_is_running (runner) &&
         cc_runner_get_verdict (runner) != CC_VERDICT_UNKNOWN;
}

typedef struct
{
  CcWindow *window;
  CcRunner *before;   /* the runner of the run before */
} NextRun;

/* A run after @before's has finished (a run may start only once the keyring
 * answered: until then the window still shows the last one). */
static gboolean
next_run_finished (gpointer data)
{
  NextRun *next = data;

  return cc_window_get_runner (next->window) != next->before && run_finished (next->window);
}

static gboolean
run_stopped (gpointer data)
{
  CcRunner *runner = cc_window_get_runner (data);

  return runner != NULL && !cc_runner_is_running (runner);
}

static CcWindow *
open_window (const char *profile,
             guint       timeout)
{
  CcWindow *window;

  cc_application_set_options (app, &(CcRunOptions) { .profile_path = (char *) profile, .timeout_seconds = timeout });
  window = cc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (cc_window_get_page (window), ==, "start");
  return window;
}

/* The row's words carry the CSS class of their state (bound in the
 * template): that one and no other. */
static void
assert_state_class (CcRequirementRow *row)
{
  static const struct { const char *words; const char *css; } states[] = {
    { "Passed", "pass" }, { "Problem", "warn" }, { "Blocked", "fail" }, { "Not tested", "skip" },
  };
  const char *words = cc_requirement_row_get_state_text (row);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_cmpint (cc_requirement_row_state_has_class (row, states[i].css), ==,
                     g_str_equal (words, states[i].words));
  g_assert_true (cc_requirement_row_state_has_class (row, "state-label"));
}

/* The words a row shows for each requirement id. */
static GHashTable *
row_states (CcWindow *window)
{
  GHashTable *states = g_hash_table_new (g_str_hash, g_str_equal);
  GtkListBox *list = cc_window_get_checklist (window);

  for (guint i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      CcRequirementRow *rrow;

      if (row == NULL)
        break;
      rrow = CC_REQUIREMENT_ROW (row);
      assert_state_class (rrow);
      g_hash_table_insert (states,
                           (gpointer) cc_requirement_get_id (cc_requirement_row_get_requirement (rrow)),
                           (gpointer) cc_requirement_row_get_state_text (rrow));
    }

  return states;
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Run first, before any other test has run: a window nobody ran has not
 * parsed the system's trust store (a few MB of heap, README "Memory"); its
 * first run does, once, before the checks start. */
static void
test_idle_without_trust_store (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  CcWindow *window = open_window (profile, 3);

  wait_until (window_mapped, window);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (cc_tls_database_get_system_loads (), ==, 0);
  g_assert_false (cc_tls_is_warm ());

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  /* Running at once, while the store is parsed on a thread. */
  g_assert_true (cc_runner_is_running (cc_window_get_runner (window)));
  g_assert_cmpstr (cc_window_get_page (window), ==, "results");
  wait_until (run_finished, window);
  g_assert_cmpint (cc_runner_get_verdict (cc_window_get_runner (window)), ==, CC_VERDICT_READY);
  g_assert_cmpuint (cc_tls_database_get_system_loads (), ==, 1);
  g_assert_true (cc_tls_is_warm ());
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The banner's state class (bound to the runner in the template): @state
 * and no other. */
static void
assert_banner_class (CcWindow   *window,
                     const char *state)
{
  const char *states[] = { "running", "ready", "degraded", "blocked" };
  GtkWidget *banner = cc_window_get_banner (window);

  g_assert_true (gtk_widget_has_css_class (banner, "verdict"));
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_cmpint (gtk_widget_has_css_class (banner, states[i]), ==, g_str_equal (states[i], state));
}

static void
test_ready (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  CcWindow *window = open_window (profile, 3);
  g_autoptr(GHashTable) states = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_cmpstr (cc_window_get_page (window), ==, "results");
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Testing Your Connection…");
  assert_banner_class (window, "running");

  wait_until (run_finished, window);

  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Ready for Calls");
  assert_banner_class (window, "ready");
  states = row_states (window);
  g_assert_cmpuint (g_hash_table_size (states), ==, 7);
  g_assert_cmpstr (g_hash_table_lookup (states, "signaling"), ==, "Passed");
  g_assert_cmpstr (g_hash_table_lookup (states, "turn-udp"), ==, "Passed");
  g_assert_cmpstr (g_hash_table_lookup (states, "turn-tcp"), ==, "Passed");
  g_assert_cmpstr (g_hash_table_lookup (states, "media-udp"), ==, "Passed");
  g_assert_cmpstr (g_hash_table_lookup (states, "https-inspection"), ==, "Passed");
  /* Nothing for IT to open: no request to copy. */
  g_assert_false (cc_window_offers_it_request (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_blocked (void)
{
  g_autofree char *profile = lab_profile ("lab-websocket-refused.conf.in");
  CcWindow *window = open_window (profile, 3);
  g_autoptr(GHashTable) states = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);

  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Calls Will Not Work");
  assert_banner_class (window, "blocked");
  /* The banner says the verdict once: its text goes on from the title. */
  g_assert_null (strstr (cc_runner_get_summary (cc_window_get_runner (window)), "will not work"));
  g_assert_nonnull (strstr (cc_runner_get_summary (cc_window_get_runner (window)), "Calls cannot start"));
  states = row_states (window);
  g_assert_cmpstr (g_hash_table_lookup (states, "signaling"), ==, "Blocked");
  g_assert_cmpstr (g_hash_table_lookup (states, "turn-udp"), ==, "Passed");

  /* The report a person copies says the same. */
  {
    g_autofree char *text = cc_report_to_text (cc_window_get_runner (window), CC_REPORT_VERBOSE);
    g_assert_nonnull (strstr (text, "CALLS WILL NOT WORK"));
    g_assert_nonnull (strstr (text, "403"));
  }

  /* What the person sends IT: what fails, what to allow (outbound, protocol,
   * port, the profile's hosts and domains), and the facts; copied with one
   * action. The relays passed: nothing about them. */
  {
    g_autofree char *request = cc_report_to_it_request (cc_window_get_runner (window));
    g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
    g_autofree char *flat = g_regex_replace_literal (spaces, request, -1, 0, " ", 0, NULL);

    g_assert_nonnull (strstr (flat, "Please allow these outbound connections"));
    g_assert_nonnull (strstr (flat, "- Signaling (secure WebSocket): Blocked"));
    g_assert_nonnull (strstr (flat, "including secure WebSocket (wss) upgrades"));
    g_assert_nonnull (strstr (flat, "- TCP port "));
    g_assert_nonnull (strstr (flat, " to 127.0.0.1"));
    g_assert_nonnull (strstr (flat, "This network: proxy none"));
    g_assert_null (strstr (flat, "TURN relay"));
    g_assert_true (cc_window_offers_it_request (window));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-it-request", NULL));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_stop_midway (void)
{
  g_autofree char *profile = lab_profile ("lab-silent.conf.in");
  CcWindow *window = open_window (profile, 30);
  gint64 start;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  /* Ended by the stop, not by the silent servers' 30 s timeout: half of it
   * (a stop takes milliseconds; how fast it is is tools/bench-ui's). */
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  wait_until (run_stopped, window);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 / 2 * G_USEC_PER_SEC);
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "The Test Was Stopped");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_close_midway (void)
{
  g_autofree char *profile = lab_profile ("lab-silent.conf.in");
  CcWindow *window = open_window (profile, 30);
  g_autoptr(CcRunner) runner = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  runner = g_object_ref (cc_window_get_runner (window));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Every probe was cancelled with the window: the run ends well before the
   * silent servers' 30 s timeout (half of it). */
  {
    gint64 limit = g_get_monotonic_time () + 30 / 2 * G_USEC_PER_SEC;

    while (cc_runner_is_running (runner) && g_get_monotonic_time () < limit)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_false (cc_runner_is_running (runner));
}

static void
test_preferences (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  CcWindow *window = open_window (profile, 3);
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before = g_list_model_get_n_items (toplevels);
  GtkWindow *prefs = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (w))
        prefs = w;
    }
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (window) ||
                 gtk_window_get_transient_for (prefs) == NULL);

  gtk_window_destroy (prefs);
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tabs through the window until a widget whose action is @action has the focus,
 * as a keyboard user would; returns it, or NULL after a full round. */
static GtkWidget *
tab_to_action (CcWindow   *window,
               const char *action)
{
  for (guint i = 0; i < 60; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL && GTK_IS_ACTIONABLE (focus) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), action) == 0)
        return focus;
    }

  return NULL;
}

/* Keyboard only: Tab reaches the start button, activating it runs the test,
 * and afterwards Tab reaches the report actions. */
static void
test_keyboard (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  CcWindow *window = open_window (profile, 3);
  GtkWidget *start, *copy;

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  start = tab_to_action (window, "win.run");
  g_assert_nonnull (start);
  /* What Enter or Space does; a button "clicks" after its press animation. */
  g_assert_true (gtk_widget_activate (start));
  wait_until (run_finished, window);
  g_assert_cmpstr (cc_window_get_page (window), ==, "results");
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Ready for Calls");

  copy = tab_to_action (window, "win.copy-report");
  g_assert_nonnull (copy);
  g_assert_true (gtk_widget_get_sensitive (copy));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The start page: "Test My Connection" has the focus and is the default
 * widget, so Return starts the test (it used to open the main menu). */
static void
test_return_starts (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  CcWindow *window = open_window (profile, 3);
  GtkWidget *focus, *fallback;

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  focus = gtk_root_get_focus (GTK_ROOT (window));
  fallback = gtk_window_get_default_widget (GTK_WINDOW (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == fallback);
  g_assert_true (GTK_IS_BUTTON (focus));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus)), ==, "win.run");
  /* What the window does on Return: activates the focused or default widget. */
  g_signal_emit_by_name (window, "activate-default");
  wait_until (run_finished, window);
  g_assert_cmpstr (cc_window_get_page (window), ==, "results");
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Ready for Calls");

  gtk_window_destroy (GTK_WINDOW (window));
}

static CcCheck *
find_check (CcRunner   *runner,
            const char *kind)
{
  g_autoptr(GPtrArray) checks = cc_test_runner_checks (runner);

  /* The runner's requirements hold the checks: the pointer stays good. */
  for (guint i = 0; i < checks->len; i++)
    if (g_strcmp0 (cc_check_get_kind (checks->pdata[i]), kind) == 0)
      return checks->pdata[i];

  return NULL;
}

/* The window honours the command line's options as the CLI does (they used
 * to be dropped: only the profile, ICE servers and timeout reached it). */
static void
test_command_line_options (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  g_autofree char *proxy = g_strdup_printf ("http://127.0.0.1:%u", cc_lab_get_port (lab, "closed-tcp"));
  CcWindow *window;
  CcCheck *websocket;

  /* --proxy: every TCP path goes to the given proxy (a closed port here). */
  cc_application_set_options (app, &(CcRunOptions) { .profile_path = profile, .proxy = proxy,
                                                      .timeout_seconds = 3 });
  window = cc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);
  g_assert_cmpstr (cc_runner_get_proxy (cc_window_get_runner (window)), ==, proxy);
  g_assert_cmpint (cc_runner_get_verdict (cc_window_get_runner (window)), ==, CC_VERDICT_BLOCKED);
  gtk_window_destroy (GTK_WINDOW (window));

  /* --hold 2: the WebSocket stays open two seconds (the hold's own timer:
   * a lower bound that cannot be met early). */
  cc_application_set_options (app, &(CcRunOptions) { .profile_path = profile, .hold_seconds = 2,
                                                      .timeout_seconds = 3 });
  window = cc_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);
  websocket = find_check (cc_window_get_runner (window), "websocket");
  g_assert_nonnull (websocket);
  g_assert_cmpint (cc_check_get_status (websocket), ==, CC_STATUS_PASS);
  g_assert_cmpint (cc_check_get_duration_ms (websocket), >=, 2000);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Large text: the checklist still fits a 360 px wide window. */
static void
test_large_text (void)
{
  g_autofree char *profile = lab_profile ("lab-udp-dropped.conf.in");
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;
  CcWindow *window;
  int minimum = 0;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  /* 150 % text, as the accessibility setting "large text" asks for. */
  g_object_set (settings, "gtk-xft-dpi", 96 * 1024 * 3 / 2, NULL);

  window = open_window (profile, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} StoreWait;

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  StoreWait *wait = user_data;

  wait->ok = cc_credentials_store_finish (result, &wait->error);
  wait->done = TRUE;
}

static gboolean
store_done (gpointer data)
{
  return ((StoreWait *) data)->done;
}

/* A TURN login from the preferences: the credential goes through the keyring
 * into a real allocation, and never into the report. */
static void
test_turn_login (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  g_autofree char *url = g_strdup_printf ("turn:127.0.0.1:%u?transport=udp", cc_lab_get_port (lab, "turn"));
  const char *password = cc_lab_get_turn_password (lab);
  StoreWait wait = { 0 };
  CcWindow *window;
  GSettings *settings;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;

  cc_credentials_store_async (url, cc_lab_get_turn_username (lab), password, NULL, stored_cb, &wait);
  wait_until (store_done, &wait);
  if (!wait.ok)
    {
      g_test_skip_printf ("no keyring to store the credential in: %s", wait.error->message);
      g_clear_error (&wait.error);
      return;
    }

  window = open_window (profile, 3);
  settings = cc_application_get_settings (app);
  g_settings_set_string (settings, "turn-url", url);
  g_settings_set_string (settings, "turn-username", cc_lab_get_turn_username (lab));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);

  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Ready for Calls");
  text = cc_report_to_text (cc_window_get_runner (window), CC_REPORT_VERBOSE);
  json = cc_report_to_json (cc_window_get_runner (window));
  g_assert_nonnull (strstr (json, "relayed address 127.0.0.1:"));
  g_assert_null (strstr (text, password));
  g_assert_null (strstr (json, password));

  g_settings_reset (settings, "turn-url");
  g_settings_reset (settings, "turn-username");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A proxy login from the preferences: the user name in the settings, the
 * password through the keyring (with characters a URL must escape). The
 * WebSocket and HTTPS checks get through the lab proxy as that user, and the
 * password is in no report. A user name without a stored password: the proxy
 * says no, and the checks say it wants a login. */
static void
test_proxy_login (void)
{
  static const char password[] = "pr0xy:s3cret@ui/%";
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLabProxy) proxy = cc_lab_proxy_new_with_login ("alice", password, &error);
  g_autofree char *proxy_url = NULL;
  StoreWait wait = { 0 };
  CcWindow *window;
  GSettings *settings;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  CcCheck *websocket;
  guint refused;
  g_autoptr(CcRunner) first = NULL;

  g_assert_no_error (error);
  cc_credentials_store_async (NULL, "alice", password, NULL, stored_cb, &wait);
  wait_until (store_done, &wait);
  if (!wait.ok)
    {
      g_test_skip_printf ("no keyring to store the password in: %s", wait.error->message);
      g_clear_error (&wait.error);
      return;
    }

  window = open_window (profile, 3);
  settings = cc_application_get_settings (app);
  proxy_url = g_strdup_printf ("http://127.0.0.1:%u", cc_lab_proxy_get_port (proxy));
  g_settings_set_string (settings, "proxy-mode", "manual");
  g_settings_set_string (settings, "proxy-url", proxy_url);
  g_settings_set_string (settings, "proxy-username", "alice");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);

  websocket = find_check (cc_window_get_runner (window), "websocket");
  g_assert_nonnull (websocket);
  g_assert_cmpint (cc_check_get_status (websocket), ==, CC_STATUS_PASS);
  /* GIO's path (GSocketClient, the URL with the escaped login) as well. */
  g_assert_cmpint (cc_check_get_status (find_check (cc_window_get_runner (window), "tls")), ==, CC_STATUS_PASS);
  g_assert_cmpuint (cc_lab_proxy_get_tunnels (proxy), >, 0);
  /* (libsoup asks without a login first: the 407s it is answered are fine.) */
  g_assert_cmpuint (cc_lab_proxy_get_to_self (proxy), ==, 0);
  refused = cc_lab_proxy_get_refused (proxy);
  text = cc_report_to_text (cc_window_get_runner (window), CC_REPORT_VERBOSE);
  json = cc_report_to_json (cc_window_get_runner (window));
  g_assert_nonnull (strstr (json, proxy_url));
  g_assert_null (strstr (text, "s3cret"));
  g_assert_null (strstr (json, "s3cret"));
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&json, g_free);

  /* Nothing in the keyring for this user name. (The run starts once the
   * keyring answered: wait for its runner, not the last one.) */
  g_settings_set_string (settings, "proxy-username", "bob");
  first = g_object_ref (cc_window_get_runner (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (next_run_finished, &(NextRun) { window, first });
  websocket = find_check (cc_window_get_runner (window), "websocket");
  g_assert_cmpint (cc_check_get_status (websocket), ==, CC_STATUS_FAIL);
  g_assert_cmpint (cc_check_get_error (websocket), ==, CC_ERROR_AUTH_REQUIRED);
  g_assert_cmpuint (cc_lab_proxy_get_refused (proxy), >, refused);

  g_settings_reset (settings, "proxy-mode");
  g_settings_reset (settings, "proxy-url");
  g_settings_reset (settings, "proxy-username");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The cancel storm through the real window: start and stop, at random moments
 * (g_test_rand_int_range: replay a failure with the seed the TAP output
 * prints), and close the window mid-run. The window returns to a startable
 * state each time, no run outlives its stop, every runner and window is
 * finalized, no warning is logged, and the process ends with the file
 * descriptors it had before. */

#define STORM_UI_CYCLES       40
#define STORM_UI_CLOSES       5
/* Stops fall within the first 1.5 s of a run (a run with the test calls takes
 * about 4.5 s); one in three within its first 40 ms, while lookups and
 * handshakes are still under way. */
#define STORM_UI_STOP_MAX_MS  1500
#define STORM_UI_EARLY_ONE_IN 3
#define STORM_UI_EARLY_MAX_MS 40
/* A stopped run ends, and what it closed finishes closing, within this. */
#define STORM_UI_SETTLE_MS    5000

static guint
storm_count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Iterates the main context for @ms, or until @done says so when given;
 * returns what @done said last. */
static gboolean
storm_iterate (guint      ms,
               gboolean (*done) (gpointer),
               gpointer   data)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (done != NULL && done (data))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return done != NULL && done (data);
}

static gboolean
storm_fds_at_most (gpointer data)
{
  return storm_count_fds () <= GPOINTER_TO_UINT (data);
}

static gboolean
storm_is_zero (gpointer data)
{
  return *(guint *) data == 0;
}

static gboolean
storm_is_one (gpointer data)
{
  return *(guint *) data == 1;
}

static void
storm_finalized_cb (gpointer  data,
                    GObject  *where_the_object_was)
{
  guint *alive = data;

  g_assert_cmpuint (*alive, >, 0);
  (*alive)--;
}

static void
storm_track (gpointer  object,
             guint    *alive)
{
  (*alive)++;
  g_object_weak_ref (object, storm_finalized_cb, alive);
}

static guint
storm_stop_moment (void)
{
  if (g_test_rand_int_range (0, STORM_UI_EARLY_ONE_IN) == 0)
    return g_test_rand_int_range (0, STORM_UI_EARLY_MAX_MS);
  return g_test_rand_int_range (0, STORM_UI_STOP_MAX_MS);
}

/* Starts a run as the start page's button does; returns its runner. */
static CcRunner *
storm_start (CcWindow *window,
             guint    *runners_alive)
{
  CcRunner *runner;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  runner = cc_window_get_runner (window);
  g_assert_nonnull (runner);
  g_assert_true (cc_runner_is_running (runner));
  g_assert_cmpstr (cc_window_get_page (window), ==, "results");
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Testing Your Connection…");
  storm_track (runner, runners_alive);
  return runner;
}

static void
test_cancel_storm (void)
{
  g_autofree char *profile = lab_profile ("lab-ok.conf.in");
  g_autofree char *ice = lab_profile ("ice-servers.json.in");
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK);
  guint runners_alive = 0, windows_alive = 0;
  gint64 started = g_get_monotonic_time ();
  guint baseline, stopped = 0;
  CcWindow *window;

  /* As G_DEBUG=fatal-warnings: any warning or critical ends the test there. */
  g_log_set_always_fatal (fatal | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  cc_application_set_options (app, &(CcRunOptions) { .profile_path = profile, .ice_servers_path = ice, .timeout_seconds = 1 });

  /* One whole run first, so that what is set up once (TLS, the resolver's
   * threads, icons, fonts) is in the baseline. */
  window = cc_window_new (app);
  storm_track (window, &windows_alive);
  gtk_window_present (GTK_WINDOW (window));
  storm_start (window, &runners_alive);
  wait_until (run_finished, window);
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Ready for Calls");
  gtk_window_destroy (GTK_WINDOW (window));
  if (!storm_iterate (STORM_UI_SETTLE_MS, storm_is_zero, &runners_alive) ||
      !storm_iterate (STORM_UI_SETTLE_MS, storm_is_zero, &windows_alive))
    g_error ("after the first run, %u windows and %u runners are alive", windows_alive, runners_alive);
  storm_iterate (500, NULL, NULL);
  baseline = storm_count_fds ();

  window = cc_window_new (app);
  storm_track (window, &windows_alive);
  gtk_window_present (GTK_WINDOW (window));
  for (guint cycle = 0; cycle < STORM_UI_CYCLES; cycle++)
    {
      guint moment = storm_stop_moment ();
      CcRunner *runner = storm_start (window, &runners_alive);
      gint64 stop_at;

      storm_iterate (moment, NULL, NULL);
      stop_at = g_get_monotonic_time ();
      if (cc_runner_is_running (runner))
        {
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
          stopped++;
        }
      wait_until (run_stopped, window);
      g_assert_cmpint (g_get_monotonic_time () - stop_at, <, STORM_UI_SETTLE_MS * 1000);

      /* Startable again: the banner says the run was stopped (or its verdict),
       * the results stay, and the next cycle's start must start a new run. */
      g_assert_true (cc_window_get_runner (window) == runner);
      g_assert_false (cc_runner_is_running (runner));
      if (cc_runner_get_verdict (runner) == CC_VERDICT_UNKNOWN)
        g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "The Test Was Stopped");
      g_assert_cmpstr (cc_window_get_page (window), ==, "results");
      /* Only the shown run's runner is alive: the one before was finalized;
       * and the stopped run, whose results are shown, holds no socket. */
      if (!storm_iterate (STORM_UI_SETTLE_MS, storm_is_one, &runners_alive))
        g_error ("cycle %u: %u runners are alive", cycle, runners_alive);
      if (!storm_iterate (STORM_UI_SETTLE_MS, storm_fds_at_most, GUINT_TO_POINTER (baseline)))
        g_error ("cycle %u (stopped after %u ms): %u open file descriptors, %u before the storm",
                 cycle, moment, storm_count_fds (), baseline);
    }

  /* Closing the window mid-run stops the run and frees the window and runner. */
  for (guint cycle = 0; cycle < STORM_UI_CLOSES; cycle++)
    {
      g_autoptr(CcRunner) runner = NULL;

      if (cycle > 0)
        {
          window = cc_window_new (app);
          storm_track (window, &windows_alive);
          gtk_window_present (GTK_WINDOW (window));
        }
      runner = g_object_ref (storm_start (window, &runners_alive));
      storm_iterate (storm_stop_moment (), NULL, NULL);
      gtk_window_destroy (GTK_WINDOW (window));
      if (!storm_iterate (STORM_UI_SETTLE_MS, storm_is_zero, &windows_alive))
        g_error ("close %u: the window was not finalized", cycle);
      {
        gint64 limit = g_get_monotonic_time () + STORM_UI_SETTLE_MS * 1000;

        while (cc_runner_is_running (runner) && g_get_monotonic_time () < limit)
          storm_iterate (10, NULL, NULL);
      }
      g_assert_false (cc_runner_is_running (runner));
    }

  if (!storm_iterate (STORM_UI_SETTLE_MS, storm_is_zero, &runners_alive))
    g_error ("%u runners are still alive", runners_alive);
  if (!storm_iterate (STORM_UI_SETTLE_MS, storm_fds_at_most, GUINT_TO_POINTER (baseline)))
    g_error ("%u open file descriptors after the storm, %u before", storm_count_fds (), baseline);
  g_test_message ("window storm: %u of %u runs stopped, %u windows closed mid-run, %u fds before and %u after, %.1f s",
                  stopped, STORM_UI_CYCLES, STORM_UI_CLOSES, baseline, storm_count_fds (),
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  g_log_set_always_fatal (fatal);
}

/* A network monitor the test controls: GIO's interface, with a
 * network-changed signal emitted on demand. */
#define CC_TYPE_FAKE_MONITOR (cc_fake_monitor_get_type ())
G_DECLARE_FINAL_TYPE (CcFakeMonitor, cc_fake_monitor, CC, FAKE_MONITOR, GObject)

struct _CcFakeMonitor
{
  GObject parent_instance;
};

enum
{
  FAKE_PROP_0,
  FAKE_PROP_NETWORK_AVAILABLE,
  FAKE_PROP_NETWORK_METERED,
  FAKE_PROP_CONNECTIVITY,
};

static gboolean
fake_monitor_can_reach (GNetworkMonitor     *monitor,
                        GSocketConnectable  *connectable,
                        GCancellable        *cancellable,
                        GError             **error)
{
  return TRUE;
}

static void
fake_monitor_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = fake_monitor_can_reach;
}

/* GNetworkMonitor requires GInitable; there is nothing to set up. */
static gboolean
fake_monitor_init_initable (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
fake_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_monitor_init_initable;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (CcFakeMonitor, cc_fake_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, fake_monitor_iface_init))

static void
cc_fake_monitor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case FAKE_PROP_NETWORK_AVAILABLE: g_value_set_boolean (value, TRUE); break;
    case FAKE_PROP_NETWORK_METERED: g_value_set_boolean (value, FALSE); break;
    case FAKE_PROP_CONNECTIVITY: g_value_set_enum (value, G_NETWORK_CONNECTIVITY_FULL); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_fake_monitor_class_init (CcFakeMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cc_fake_monitor_get_property;
  g_object_class_override_property (object_class, FAKE_PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, FAKE_PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (object_class, FAKE_PROP_CONNECTIVITY, "connectivity");
}

static void
cc_fake_monitor_init (CcFakeMonitor *self)
{
}

static gboolean
history_has (gpointer data)
{
  CcHistory *history = ((gpointer *) data)[0];
  guint wanted = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return g_list_model_get_n_items (G_LIST_MODEL (history)) == wanted;
}

static void
wait_for_history (CcHistory *history,
                  guint      n)
{
  gpointer data[] = { history, GUINT_TO_POINTER (n) };

  wait_until (history_has, data);
}

static gboolean
list_has (gpointer data)
{
  GtkListBox *list = ((gpointer *) data)[0];
  guint wanted = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return gtk_list_box_get_row_at_index (list, wanted - 1) != NULL &&
         gtk_list_box_get_row_at_index (list, wanted) == NULL;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

/* A changed row whose subtitle mentions @needle. */
static AdwActionRow *
find_row_with (GtkListBox *list,
               const char *needle)
{
  for (guint i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

      if (row == NULL)
        return NULL;
      if (ADW_IS_ACTION_ROW (row) && adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) != NULL &&
          strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), needle) != NULL)
        return ADW_ACTION_ROW (row);
    }
}

/* Earlier runs: each finished run is kept, the list shows them newest first,
 * one opens as it was, two compare (signaling: passed → blocked, with the
 * new problem named); a damaged file is counted, not listed. */
static void
test_history (void)
{
  g_autofree char *ok = lab_profile ("lab-ok.conf.in");
  g_autofree char *refused = lab_profile ("lab-websocket-refused.conf.in");
  g_autofree char *dir = g_build_filename (cc_lab_get_dir (lab), "ui-history", NULL);
  g_autoptr(CcHistory) history = cc_history_new (dir);
  CcWindow *window = open_window (ok, 3);
  CcHistoryPage *page = cc_window_get_history_page (window);
  GtkListBox *list = cc_history_page_get_list (page);
  g_autoptr(CcHistoryEntry) newest = NULL;
  GtkButton *compare;
  AdwActionRow *row;

  cc_window_set_history (window, history);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);
  wait_for_history (history, 1);

  /* A stopped run is not kept. */
  cc_application_set_options (app, &(CcRunOptions) { .profile_path = refused, .timeout_seconds = 3 });
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (run_stopped, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);
  wait_for_history (history, 2);
  {
    g_autofree char *garbage = g_build_filename (dir, "20000101T000000.000000Z.json", NULL);
    g_assert_true (g_file_set_contents (garbage, "{\"schema\": 1, \"verdict\": ", -1, NULL));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL));
  g_assert_cmpstr (cc_window_get_page (window), ==, "history");
  /* The reload (in a thread) brings the damaged file's note. */
  {
    gpointer data[] = { list, GUINT_TO_POINTER (2) };

    wait_until (list_has, data);
    for (guint i = 0; i < 100 && g_strv_length ((char **) cc_history_get_problems (history)) == 0; i++)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (10000);
      }
    g_assert_cmpuint (g_strv_length ((char **) cc_history_get_problems (history)), ==, 1);
  }

  /* Newest first: the blocked run. Activating its row opens it, read-only. */
  newest = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpint (cc_history_entry_get_verdict (newest), ==, CC_VERDICT_BLOCKED);
  row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, 0));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Calls Will Not Work"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "connectivity "));
  g_signal_emit_by_name (row, "activate");
  g_assert_cmpstr (cc_window_get_page (window), ==, "report");
  g_assert_true (cc_report_view_get_entry (cc_window_get_report_view (window)) == newest);
  g_assert_cmpstr (cc_report_view_get_verdict_title (cc_window_get_report_view (window)), ==, "Calls Will Not Work");
  g_assert_cmpuint (count_rows (cc_report_view_get_list (cc_window_get_report_view (window))), ==, 7);

  /* Back to the list; tick both runs and compare. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  g_assert_cmpstr (cc_window_get_page (window), ==, "history");
  compare = cc_history_page_get_compare_button (page);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (compare)));
  gtk_check_button_set_active (cc_history_page_get_row_check (page, 0), TRUE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (compare)));
  gtk_check_button_set_active (cc_history_page_get_row_check (page, 1), TRUE);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (compare)));
  g_signal_emit_by_name (compare, "clicked");
  g_assert_cmpstr (cc_window_get_page (window), ==, "compare");

  row = find_row_with (cc_compare_view_get_changed (cc_window_get_compare_view (window)), "websocket-rejected");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "Passed → Blocked"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "New problems: websocket-rejected"));
  g_assert_nonnull (find_row_with (cc_compare_view_get_unchanged (cc_window_get_compare_view (window)), "Passed"));

  /* Back, back: the results of the last run, as they were left. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  g_assert_cmpstr (cc_window_get_page (window), ==, "results");
  g_assert_cmpstr (cc_window_get_verdict_title (window), ==, "Calls Will Not Work");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
restarted (gpointer data)
{
  gpointer *pair = data;
  CcRunner *runner = cc_window_get_runner (pair[0]);

  return runner != NULL && runner != pair[1] && cc_runner_is_running (runner);
}

/* The network changes after a run, then during one: the window says its
 * results are about the previous network and offers to test again; it
 * restarts a run in progress only when asked. */
static void
test_network_changed (void)
{
  g_autofree char *ok = lab_profile ("lab-ok.conf.in");
  g_autofree char *silent = lab_profile ("lab-silent.conf.in");
  g_autoptr(CcFakeMonitor) monitor = g_object_new (CC_TYPE_FAKE_MONITOR, NULL);
  CcWindow *window = open_window (ok, 3);
  g_autoptr(CcRunner) first = NULL;

  cc_window_set_network_monitor (window, G_NETWORK_MONITOR (monitor));

  /* Nothing tested yet: nothing to mark. */
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  g_assert_null (cc_window_get_network_note (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  wait_until (run_finished, window);
  g_assert_null (cc_window_get_network_note (window));
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  g_assert_nonnull (cc_window_get_network_note (window));
  g_assert_nonnull (strstr (cc_window_get_network_note (window), "after this test"));
  g_assert_nonnull (strstr (cc_window_get_network_note (window), "previous network"));

  /* Test again: a new run, about the network of now. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retest", NULL));
  g_assert_null (cc_window_get_network_note (window));
  wait_until (run_finished, window);

  /* During a run that waits on silent servers: marked, not restarted… */
  cc_application_set_options (app, &(CcRunOptions) { .profile_path = silent, .timeout_seconds = 30 });
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  first = g_object_ref (cc_window_get_runner (window));
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_signal_emit_by_name (monitor, "network-changed", FALSE);
  g_assert_nonnull (strstr (cc_window_get_network_note (window), "while this test was running"));
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (cc_window_get_runner (window) == first);
  g_assert_true (cc_runner_is_running (first));

  /* …until the person agrees: then the run stops and a new one starts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retest", NULL));
  {
    gpointer pair[] = { window, first };

    wait_until (restarted, pair);
  }
  g_assert_false (cc_runner_is_running (first));
  g_assert_null (cc_window_get_network_note (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_until (run_stopped, window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Removes the test's data folder (the app's history in it). */
static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFile *child;

  while (children != NULL && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
    remove_tree (child);
  g_file_delete (file, NULL, NULL);
}

/* Every view this suite has shown (runs ready, blocked and stopped, the
 * preferences, earlier runs, a report, a comparison) was drawn without loading
 * librsvg, about 7 MB resident (cc-icons.c): where the theme ships its symbolic
 * icons pre-rendered, as Debian 12's Adwaita does. */
static void
test_no_svg_renderer (void)
{
  g_autofree char *maps = NULL;

  if (!g_file_test ("/usr/share/icons/Adwaita/96x96/devices/network-wireless-symbolic.symbolic.png",
                    G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the Adwaita icon theme here has no pre-rendered symbolic icons");
      return;
    }

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, "librsvg"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int status;

  /* Finished runs are kept in the user's data folder: a throwaway one here
   * (before GTK, which reads it first). */
  data_home = g_dir_make_tmp ("cc-ui-data-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  lab = cc_lab_start (NULL);

  app = cc_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* First: before any run of this process. */
  g_test_add_func ("/ui/idle-without-trust-store", test_idle_without_trust_store);
  g_test_add_func ("/ui/ready", test_ready);
  g_test_add_func ("/ui/blocked", test_blocked);
  g_test_add_func ("/ui/stop-midway", test_stop_midway);
  g_test_add_func ("/ui/close-midway", test_close_midway);
  g_test_add_func ("/ui/preferences", test_preferences);
  g_test_add_func ("/ui/turn-login", test_turn_login);
  g_test_add_func ("/ui/proxy-login", test_proxy_login);
  g_test_add_func ("/ui/keyboard", test_keyboard);
  g_test_add_func ("/ui/return-starts", test_return_starts);
  g_test_add_func ("/ui/command-line-options", test_command_line_options);
  g_test_add_func ("/ui/large-text", test_large_text);
  g_test_add_func ("/ui/cancel-storm", test_cancel_storm);
  g_test_add_func ("/ui/history", test_history);
  g_test_add_func ("/ui/network-changed", test_network_changed);
  /* Last: after every other view has been shown. */
  g_test_add_func ("/ui/no-svg-renderer", test_no_svg_renderer);

  status = g_test_run ();
  g_clear_object (&app);
  cc_lab_free (lab);
  {
    g_autoptr(GFile) data = g_file_new_for_path (data_home);
    remove_tree (data);
  }
  return status;
}
