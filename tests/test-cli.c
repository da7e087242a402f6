/* test-cli.c: the whole program against the lab's real servers (coturn, TLS
 * HTTPS/WebSocket servers, silent and closed ports): verdicts, exit statuses,
 * error classes, hints, the JSON report's shape, bad input, and that the TURN
 * credential never shows. Also the engine's runner in-process (cancellation).
 *
 * Why one file of over 800 lines: one program for the whole CLI against one
 * lab, started once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>

#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-test-util.h"
#include "cc-lab-proxy.h"

/* Long enough for any run here, short enough that a hang fails the test. */
#define WAIT_LIMIT_S 60

static CcLab *lab;

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} RunResult;

static void
run_result_clear (RunResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunResult, run_result_clear)

typedef struct
{
  gboolean  done;
  GError   *error;
  char     *out;
  char     *err;
} Wait;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &wait->out, &wait->err, &wait->error);
  wait->done = TRUE;
}

static gboolean
wait_limit_cb (gpointer user_data)
{
  g_error ("a run took longer than %d s", WAIT_LIMIT_S);
  return G_SOURCE_REMOVE;
}

static gboolean
abort_app_cb (gpointer user_data)
{
  g_subprocess_send_signal (user_data, SIGABRT);
  return G_SOURCE_REMOVE;
}

/* Runs the program with @argv (NULL-terminated, without argv[0]) while this
 * process keeps serving the lab; @env: extra VAR=value strings or NULL; with
 * @abort_after_ms > 0, the program gets SIGABRT after that long (what a crash
 * leaves on stderr). */
static void
run_app_full (RunResult          *r,
              const char * const *args,
              const char * const *env,
              guint               abort_after_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  guint limit;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CC_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  {
    g_autoptr(GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

    /* The program under test never sees a display: headless is what is tested. */
    g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
    g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
    for (guint i = 0; env != NULL && env[i] != NULL; i++)
      {
        g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

        g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
      }
    proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  }
  g_assert_no_error (error);

  limit = g_timeout_add_seconds (WAIT_LIMIT_S, wait_limit_cb, NULL);
  if (abort_after_ms > 0)
    g_timeout_add_full (G_PRIORITY_DEFAULT, abort_after_ms, abort_app_cb, g_object_ref (proc), g_object_unref);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, communicate_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (limit);

  g_assert_no_error (wait.error);
  g_subprocess_wait (proc, NULL, NULL);
  r->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  r->out = wait.out;
  r->err = wait.err;
}

static void
run_app (RunResult          *r,
         const char * const *args)
{
  run_app_full (r, args, NULL, 0);
}

static char *
lab_file (const char *name)
{
  g_autofree char *template = g_test_build_filename (G_TEST_DIST, "profiles", name, NULL);
  g_autofree char *out_name = g_strndup (name, strlen (name) - strlen (".in"));
  g_autoptr(GError) error = NULL;
  char *path = cc_lab_write_file (lab, out_name, template, &error);

  g_assert_no_error (error);
  return path;
}

static JsonObject *
parse_report (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
find_requirement (JsonObject *report,
                  const char *id)
{
  JsonArray *reqs = json_object_get_array_member (report, "requirements");

  for (guint i = 0; i < json_array_get_length (reqs); i++)
    {
      JsonObject *req = json_array_get_object_element (reqs, i);

      if (g_str_equal (json_object_get_string_member (req, "id"), id))
        return req;
    }

  g_error ("no requirement %s in the report", id);
  return NULL;
}

static JsonObject *
find_check (JsonObject *report,
            const char *id,
            const char *kind)
{
  JsonArray *checks = json_object_get_array_member (find_requirement (report, id), "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "kind"), kind))
        return check;
    }

  g_error ("no %s check in %s", kind, id);
  return NULL;
}

/* Does some check of @req have @error_class? */
static gboolean
has_check_error (JsonObject *req,
                 const char *error_class)
{
  JsonArray *checks = json_object_get_array_member (req, "checks");

  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);
      JsonNode *node = json_object_get_member (check, "error");

      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
          g_str_equal (json_node_get_string (node), error_class))
        return TRUE;
    }

  return FALSE;
}

/* On a wrong verdict, show the whole report: the failing check says why. */
static void
assert_verdict (RunResult  *r,
                JsonObject *report,
                const char *expected)
{
  const char *verdict = json_object_get_string_member (report, "verdict");

  if (g_strcmp0 (verdict, expected) != 0)
    g_error ("verdict “%s”, expected “%s”; the report:\n%s\nstderr:\n%s", verdict, expected, r->out, r->err);
}

static const char *
status_of (JsonObject *report,
           const char *id)
{
  return json_object_get_string_member (find_requirement (report, id), "status");
}

static const char *
hint_of (JsonObject *report,
         const char *id)
{
  JsonNode *node = json_object_get_member (find_requirement (report, id), "hint");

  g_assert_nonnull (node);
  g_assert_false (JSON_NODE_HOLDS_NULL (node));
  return json_node_get_string (node);
}

/* Every key DESIGN.md names, with the right types. */
static void
assert_schema (JsonObject *report)
{
  static const char * const ids[] = {
    "internet", "signaling", "turn-tcp", "turn-udp", "media-udp", "domains", "https-inspection", NULL
  };
  static const char * const statuses[] = { "pass", "warn", "fail", "skip", NULL };
  static const char * const verdicts[] = { "ready", "degraded", "blocked", NULL };
  static const char * const classes[] = {
    "dns-failure", "dns-sinkhole", "timeout", "refused", "unreachable", "tls-untrusted",
    "tls-failure", "http-status", "websocket-rejected", "connection-cut", "proxy-failure",
    "auth-required", "protocol-error", "cancelled", NULL
  };
  JsonObject *app, *network;
  JsonArray *reqs;
  g_autoptr(GDateTime) started = NULL;

  g_assert_cmpint (json_object_get_int_member (report, "schema"), ==, 1);
  app = json_object_get_object_member (report, "app");
  g_assert_cmpstr (json_object_get_string_member (app, "name"), ==, "connection-check");
  g_assert_cmpstr (json_object_get_string_member (app, "version"), ==, PACKAGE_VERSION);
  g_assert_nonnull (json_object_get_string_member (report, "profile"));
  started = g_date_time_new_from_iso8601 (json_object_get_string_member (report, "started"), NULL);
  g_assert_nonnull (started);
  g_assert_cmpint (json_object_get_int_member (report, "duration_ms"), >=, 0);
  g_assert_true (g_strv_contains (verdicts, json_object_get_string_member (report, "verdict")));
  g_assert_nonnull (json_object_get_string_member (report, "summary"));
  network = json_object_get_object_member (report, "network");
  g_assert_nonnull (json_object_get_string_member (network, "proxy"));
  g_assert_nonnull (json_object_get_string_member (network, "connectivity"));

  reqs = json_object_get_array_member (report, "requirements");
  g_assert_cmpuint (json_array_get_length (reqs), ==, g_strv_length ((char **) ids));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      JsonObject *req = find_requirement (report, ids[i]);
      JsonArray *checks = json_object_get_array_member (req, "checks");
      const char *status = json_object_get_string_member (req, "status");

      g_assert_nonnull (json_object_get_string_member (req, "title"));
      g_assert_true (g_strv_contains (statuses, status));
      g_assert_true (json_object_has_member (req, "hint"));
      /* Every warned or failed requirement carries a hint. */
      if (g_str_equal (status, "fail") || g_str_equal (status, "warn"))
        g_assert_cmpuint (strlen (hint_of (report, ids[i])), >, 20);

      for (guint j = 0; j < json_array_get_length (checks); j++)
        {
          JsonObject *check = json_array_get_object_element (checks, j);
          const char *check_status = json_object_get_string_member (check, "status");
          JsonNode *error = json_object_get_member (check, "error");

          g_assert_nonnull (json_object_get_string_member (check, "kind"));
          g_assert_nonnull (json_object_get_string_member (check, "target"));
          g_assert_true (json_object_has_member (check, "transport"));
          g_assert_true (json_object_has_member (check, "address"));
          g_assert_true (json_object_has_member (check, "detail"));
          g_assert_true (g_strv_contains (statuses, check_status));
          g_assert_cmpint (json_object_get_int_member (check, "duration_ms"), >=, 0);
          g_assert_nonnull (error);
          if (g_str_equal (check_status, "fail"))
            g_assert_true (g_strv_contains (classes, json_node_get_string (error)));
          if (g_str_equal (check_status, "pass"))
            g_assert_true (JSON_NODE_HOLDS_NULL (error));
        }
    }
}

/* Runs the app with @args (a JSON report is expected) and returns the
 * report, parsed by @parser, after checking it against the schema. */
static JsonObject *
run_report (RunResult          *r,
            JsonParser         *parser,
            const char * const *args)
{
  JsonObject *report;

  run_app (r, args);
  report = parse_report (parser, r->out);
  assert_schema (report);
  return report;
}

static void
test_ok (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  const char *args[] = { "--json", "--profile", profile, NULL };
  JsonObject *report, *media;
  JsonArray *checks;
  gboolean saw_burst = FALSE;

  report = run_report (&r, parser, args);

  assert_verdict (&r, report, "ready");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (report, "profile"), ==, "lab-ok");
  for (const char * const *id = (const char *[]) { "signaling", "turn-udp", "turn-tcp", "media-udp",
                                                  "domains", "https-inspection", NULL }; *id; id++)
    g_assert_cmpstr (status_of (report, *id), ==, "pass");
  /* No TURN login: the summary says what that leaves unmeasured, and how to
   * measure it. */
  cc_test_assert_contains (json_object_get_string_member (report, "summary"), "No test call was made");
  cc_test_assert_contains (json_object_get_string_member (report, "summary"), "--ice-servers");

  /* The media burst measured something real. */
  media = find_requirement (report, "media-udp");
  checks = json_object_get_array_member (media, "checks");
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "kind"), "media-burst"))
        {
          saw_burst = TRUE;
          /* Loopback, nothing injected: an answer is lost only if it comes
           * 1 s (the straggler wait) after the last send, a stall of the
           * process for that long. */
          g_assert_cmpfloat (json_object_get_double_member (check, "loss_pct"), ==, 0);
          g_assert_cmpfloat (json_object_get_double_member (check, "rtt_ms"), >=, 0);
          g_assert_true (json_object_has_member (check, "jitter_ms"));
        }
    }
  g_assert_true (saw_burst);

  /* The wildcard with no concrete name is reported honestly, not as tested. */
  cc_test_assert_contains (hint_of (report, "domains"), "*.per-call.lab.test");

  /* Progress lines went to stderr as checks finished. */
  cc_test_assert_contains (r.err, "[PASS] signaling: websocket");
}

/* A test call's bitrate is what arrived of its stream: per 20 ms tick one
 * audio packet (160 bytes) then two video packets (1100 bytes), bitrate =
 * bytes × 8 / 3000 ms. With A of N packets arrived ("A of N packets arrived"
 * in the detail), the bytes lie between A packets with as many audio ones as
 * were sent and A with as many video ones. Deterministic: no timing in it. */
static void
assert_call_bitrate (JsonObject *check)
{
  const char *detail = json_object_get_string_member (check, "detail");
  double kbps = json_object_get_double_member (check, "bitrate_kbps");
  const char *at = strstr (detail, " packets arrived");
  const char *start = at;
  guint arrived, sent, audio, video;
  double least, most;

  g_assert_nonnull (at);
  while (start > detail && start[-1] != ':')
    start--;
  g_assert_cmpint (sscanf (start, " %u of %u packets arrived", &arrived, &sent), ==, 2);
  g_assert_cmpuint (arrived, >, 0);
  g_assert_cmpuint (arrived, <=, sent);

  audio = MIN (arrived, (sent + 2) / 3);
  video = MIN (arrived, sent - (sent + 2) / 3);
  least = (160.0 * audio + 1100.0 * (arrived - audio)) * 8 / 3000;
  most = (1100.0 * video + 160.0 * (arrived - video)) * 8 / 3000;
  if (kbps < least - 0.5 || kbps > most + 0.5)
    g_error ("bitrate %.1f kbit/s for %u of %u packets, expected %.1f..%.1f: %s",
             kbps, arrived, sent, least, most, detail);
}

/* --ice-servers takes WebRTC's own RTCConfiguration.iceServers: a bare array
 * of RTCIceServer objects, as TURN credential services return it. (Its one
 * server with the UDP URL only: one test call, not three, is enough to show
 * the login was read.) */
static void
test_ice_servers_bare_array (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autofree char *ice = lab_file ("ice-servers.json.in");
  g_autofree char *bare = g_build_filename (cc_lab_get_dir (lab), "ice-bare.json", NULL);
  g_autoptr(JsonParser) ice_parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(RunResult) r = { 0 };
  const char *args[] = { "--json", "--profile", profile, "--ice-servers", bare, "--timeout", "3", NULL };
  JsonObject *report;
  JsonArray *servers;
  JsonArray *urls;
  guint calls = 0;

  g_assert_true (json_parser_load_from_file (ice_parser, ice, &error));
  servers = json_object_get_array_member (json_node_get_object (json_parser_get_root (ice_parser)), "iceServers");
  urls = json_object_get_array_member (json_array_get_object_element (servers, 0), "urls");
  while (json_array_get_length (urls) > 1)
    json_array_remove_element (urls, json_array_get_length (urls) - 1);
  g_assert_true (g_str_has_suffix (json_array_get_string_element (urls, 0), "transport=udp"));
  json_generator_set_root (generator, json_object_get_member (json_node_get_object (json_parser_get_root (ice_parser)),
                                                              "iceServers"));
  g_assert_true (json_generator_to_file (generator, bare, &error));

  report = run_report (&r, parser, args);
  assert_verdict (&r, report, "ready");
  g_assert_cmpint (r.status, ==, 0);
  /* The login in the bare array was used: real allocations, a test call. */
  cc_test_assert_contains (r.out, "relay");
  g_assert_true (json_object_has_member (report, "call"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "call"), "transport"),
                   ==, "udp");
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (report, "requirements")); i++)
    {
      JsonObject *req = json_array_get_object_element (json_object_get_array_member (report, "requirements"), i);
      JsonArray *checks = json_object_get_array_member (req, "checks");

      for (guint j = 0; j < json_array_get_length (checks); j++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (checks, j), "kind"),
                         "ice-call"))
          calls++;
    }
  g_assert_cmpuint (calls, ==, 1);
}

static void
test_ok_with_credentials (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autofree char *ice = lab_file ("ice-servers.json.in");
  const char *password = cc_lab_get_turn_password (lab);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) text = { 0 };
  const char *args[] = { "--json", "--profile", profile, "--ice-servers", ice, NULL };
  const char *text_args[] = { "--cli", "--profile", profile, "--ice-servers", ice, NULL };
  JsonObject *report;

  report = run_report (&r, parser, args);
  assert_verdict (&r, report, "ready");
  g_assert_cmpint (r.status, ==, 0);
  /* A real allocation was made: the detail names the relayed address. */
  cc_test_assert_contains (r.out, "relay");

  g_assert_cmpuint (strlen (password), >=, 8);
  g_assert_null (strstr (r.out, password));
  g_assert_null (strstr (r.err, password));

  /* Two ICE agents called each other through the relay over UDP, TCP and TLS
   * (through the TLS bridge): every packet of the call-shaped stream arrived. */
  {
    const char *transports[] = { "udp", "tcp", "tls" };
    JsonObject *call;

    for (guint t = 0; t < G_N_ELEMENTS (transports); t++)
      {
        JsonObject *check = NULL;

        for (guint i = 0; i < json_array_get_length (json_object_get_array_member (report, "requirements")); i++)
          {
            JsonObject *req = json_array_get_object_element (json_object_get_array_member (report, "requirements"), i);
            JsonArray *checks = json_object_get_array_member (req, "checks");

            for (guint j = 0; j < json_array_get_length (checks); j++)
              {
                JsonObject *c = json_array_get_object_element (checks, j);

                if (g_str_equal (json_object_get_string_member (c, "kind"), "ice-call") &&
                    g_str_equal (json_object_get_string_member (c, "transport"), transports[t]))
                  {
                    check = c;
                    g_assert_cmpstr (json_object_get_string_member (req, "id"), ==,
                                     t == 0 ? "media-udp" : "turn-tcp");
                  }
              }
          }
        g_assert_nonnull (check);
        g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "pass");
        /* Loopback, nothing injected: over TCP and TLS nothing can be lost;
         * over UDP a packet is lost only if it arrives after the 500 ms drain
         * or finds a socket buffer full (about 200 kB, 0.2 s of the stream):
         * the app or coturn stalled for that long. < 5 % leaves room for a
         * short one under AddressSanitizer. */
        g_assert_cmpfloat (json_object_get_double_member (check, "loss_pct"), <, 5);
        g_assert_cmpfloat (json_object_get_double_member (check, "rtt_ms"), >=, 0);
        g_assert_cmpfloat (json_object_get_double_member (check, "jitter_ms"), >=, 0);
        /* The bitrate is what arrived: 1 audio (160 bytes) and 2 video packets
         * (1100 bytes) per 20 ms tick, A of N packets over the 3 s stream. How
         * many ticks fit in the 3 s (all 150 give 0.94 Mbit/s) depends on how
         * late the timer is on a loaded machine: a goal for tools/bench, not
         * asserted here. */
        assert_call_bitrate (check);
      }

    call = json_object_get_object_member (report, "call");
    g_assert_nonnull (call);
    g_assert_cmpstr (json_object_get_string_member (call, "transport"), ==, "udp");
    /* "good" needs jitter <= 5 ms, which three calls at once on a loaded
     * 2-core machine can honestly exceed; "poor" would need 30 ms of jitter or
     * 400 ms round trip on loopback, stalls of a good part of the 3 s. */
    g_assert_true (g_str_equal (json_object_get_string_member (call, "quality"), "good") ||
                   g_str_equal (json_object_get_string_member (call, "quality"), "fair"));
    /* The verdict's summary (what the window shows) names the transport. */
    cc_test_assert_contains (json_object_get_string_member (report, "summary"),
                     "a call would go through the relay over UDP");
  }

  run_app (&text, text_args);
  g_assert_cmpint (text.status, ==, 0);
  cc_test_assert_contains (text.out, "Verdict:");
  /* The report wraps its lines: look for the sentence across them. */
  {
    g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
    g_autofree char *flat = g_regex_replace_literal (spaces, text.out, -1, 0, " ", 0, NULL);

    cc_test_assert_contains (flat, "Test call: a call would go through the relay over UDP");
  }
  g_assert_null (strstr (text.out, password));
  g_assert_null (strstr (text.err, password));
}

static void
test_wrong_credentials (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autofree char *ice_path = g_build_filename (cc_lab_get_dir (lab), "wrong-ice.json", NULL);
  g_autofree char *ice = cc_lab_expand (lab,
    "{\"iceServers\":[{\"urls\":[\"turn:127.0.0.1:@turn@?transport=udp\"],"
    "\"username\":\"@turn-user@\",\"credential\":\"not-the-password-4711\"}]}");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  const char *args[] = { "--json", "--profile", profile, "--ice-servers", ice_path, "--timeout", "3", NULL };
  JsonObject *report;

  g_assert_true (g_file_set_contents (ice_path, ice, -1, NULL));
  run_app (&r, args);
  report = parse_report (parser, r.out);
  /* The check says what happened: the relay refused the login. */
  g_assert_true (has_check_error (find_requirement (report, "turn-udp"), "auth-required"));
  /* The requirement says what it means: the relay answered, so the path
   * works; the login is wrong or expired, and where it came from. No request
   * to IT, and no blocked verdict for a network that lets calls through. */
  g_assert_cmpstr (status_of (report, "turn-udp"), ==, "pass");
  g_assert_cmpstr (status_of (report, "media-udp"), ==, "pass");
  cc_test_assert_contains (json_object_get_string_member (find_requirement (report, "turn-udp"), "summary"),
                   "refused the TURN login given");
  cc_test_assert_contains (hint_of (report, "turn-udp"), ice_path);
  cc_test_assert_contains (hint_of (report, "turn-udp"), "expired");
  g_assert_null (strstr (hint_of (report, "turn-udp"), "ask IT"));
  g_assert_null (strstr (hint_of (report, "media-udp"), "ask IT"));
  assert_verdict (&r, report, "ready");
  cc_test_assert_contains (json_object_get_string_member (report, "summary"), "refused the TURN login in the file");
  cc_test_assert_contains (json_object_get_string_member (report, "summary"), "no test call could be made");
  g_assert_null (strstr (json_object_get_string_member (report, "summary"), "no call got through"));
  /* The test call could not get a relay address: said, not crashed. */
  g_assert_cmpstr (json_object_get_string_member (find_check (report, "media-udp", "ice-call"), "status"),
                   ==, "fail");
  g_assert_true (json_object_get_null_member (json_object_get_object_member (report, "call"), "transport"));
  g_assert_null (strstr (r.out, "not-the-password-4711"));
  g_assert_null (strstr (r.err, "not-the-password-4711"));
}

/* ---- scenarios that differ only in what they expect: one row each ---- */

typedef struct
{
  const char *requirement;
  const char *text;          /* may hold one %u: the port of @server */
  const char *server;        /* a lab server's name, or NULL */
} Expected;

typedef struct
{
  const char  *path;
  const char  *profile;      /* tests/profiles/… */
  const char  *timeout;
  const char  *verdict;
  int          exit_status;
  /* Requirement statuses, as "id=status". */
  const char  *statuses[5];
  /* Error classes that a check of the requirement must have, as "id=class",
   * or must not have, as "id!=class". */
  const char  *errors[5];
  Expected     hints[4];
  Expected     summaries[2];
  void       (*more) (JsonObject *report);
} Scenario;

static char *
expected_text (const Expected *expected)
{
  if (expected->server == NULL)
    return g_strdup (expected->text);
  return g_strdup_printf (expected->text, cc_lab_get_port (lab, expected->server));
}

/* Refusals are answered at once: the run must not wait for the 3 s timeout
 * (typically 0.1 s; how fast is tools/bench's to measure). */
static void
closed_more (JsonObject *report)
{
  g_assert_cmpint (json_object_get_int_member (report, "duration_ms"), <, 3000);
}

static const Scenario scenarios[] = {
  { "/cli/udp-dropped", "lab-udp-dropped.conf.in", "1", "degraded", 1,
    { "signaling=pass", "turn-tcp=pass", "turn-udp=fail", "media-udp=fail" },
    { "turn-udp=timeout" },
    /* The hints name the exact port and protocol to open. */
    { { "turn-udp", "UDP port %u", "silent-udp" }, { "media-udp", "UDP ports 1024-65535" } },
    { { "turn-udp", "gets no answer" } } },
  /* Media is fine here; only signaling is to blame. */
  { "/cli/websocket-refused", "lab-websocket-refused.conf.in", "3", "blocked", 2,
    { "signaling=fail", "turn-udp=pass" },
    { "signaling=websocket-rejected" },
    { { "signaling", "403" }, { "signaling", "TCP port %u", "https" }, { "signaling", "WebSocket" } } },
  { "/cli/https-inspected", "lab-inspected.conf.in", "3", "blocked", 2,
    { "https-inspection=fail" },
    { "signaling=tls-untrusted" },
    { { "signaling", "Lab Inspection CA" }, { "https-inspection", "Lab Inspection CA" } } },
  /* A refusal is an answer: the device is online. Nothing reached a TLS
   * server, so inspection cannot be judged. */
  { "/cli/closed", "lab-closed.conf.in", "3", "blocked", 2,
    { "internet=pass", "https-inspection=skip" },
    { "signaling=refused", "turn-udp=refused", "turn-tcp=refused", "turn-udp!=timeout" },
    { { NULL } },
    { { "turn-udp", "refused" } },
    closed_more },
  { "/cli/silent", "lab-silent.conf.in", "1", "blocked", 2,
    { NULL },
    { "signaling=timeout", "turn-udp=timeout", "turn-tcp=timeout" },
    { { "turn-udp", "dropping them silently" } } },
  /* Only a supporting domain is sinkholed: calls work, with a warning. */
  { "/cli/sinkhole", "lab-sinkhole.conf.in", "3", "degraded", 1,
    { "domains=warn" },
    { "domains=dns-sinkhole" },
    { { "domains", "*.analytics.lab.test" } } },
};

static void
test_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  g_autofree char *profile = lab_file (scenario->profile);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  const char *args[] = { "--json", "--profile", profile, "--timeout", scenario->timeout, NULL };
  JsonObject *report;

  report = run_report (&r, parser, args);

  assert_verdict (&r, report, scenario->verdict);
  g_assert_cmpint (r.status, ==, scenario->exit_status);

  for (guint i = 0; i < G_N_ELEMENTS (scenario->statuses) && scenario->statuses[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (scenario->statuses[i], "=", 2);

      g_assert_cmpstr (status_of (report, pair[0]), ==, pair[1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (scenario->errors) && scenario->errors[i] != NULL; i++)
    {
      gboolean absent = strstr (scenario->errors[i], "!=") != NULL;
      g_auto(GStrv) pair = g_strsplit (scenario->errors[i], absent ? "!=" : "=", 2);

      g_assert_cmpint (has_check_error (find_requirement (report, pair[0]), pair[1]), ==, !absent);
    }
  for (guint i = 0; i < G_N_ELEMENTS (scenario->hints) && scenario->hints[i].requirement != NULL; i++)
    {
      g_autofree char *text = expected_text (&scenario->hints[i]);

      cc_test_assert_contains (hint_of (report, scenario->hints[i].requirement), text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (scenario->summaries) && scenario->summaries[i].requirement != NULL; i++)
    {
      g_autofree char *text = expected_text (&scenario->summaries[i]);
      JsonObject *req = find_requirement (report, scenario->summaries[i].requirement);

      cc_test_assert_contains (json_object_get_string_member (req, "summary"), text);
    }
  if (scenario->more != NULL)
    scenario->more (report);
}

/* Nothing gets out (every name is under .invalid): the device looks offline
 * whatever GNetworkMonitor claims (it says "full" where no network manager
 * runs), the hints speak to the person, and HTTPS inspection, which nothing
 * reached, is not judged. */
static void
test_offline (void)
{
  g_autofree char *profile = lab_file ("offline.conf.in");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) text = { 0 };
  const char *args[] = { "--json", "--profile", profile, "--timeout", "2", NULL };
  const char *text_args[] = { "--cli", "--profile", profile, "--timeout", "2", NULL };
  JsonObject *report;
  JsonObject *network;

  report = run_report (&r, parser, args);

  assert_verdict (&r, report, "blocked");
  g_assert_cmpint (r.status, ==, 2);
  cc_test_assert_contains (json_object_get_string_member (report, "summary"), "looks offline");
  g_assert_null (strstr (json_object_get_string_member (report, "summary"), "IT"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "network"),
                                                  "connectivity"), ==, "none");

  g_assert_cmpstr (status_of (report, "internet"), ==, "fail");
  network = find_check (report, "internet", "network");
  g_assert_cmpstr (json_object_get_string_member (network, "status"), ==, "fail");
  g_assert_cmpstr (json_object_get_string_member (network, "error"), ==, "unreachable");
  cc_test_assert_contains (json_object_get_string_member (find_requirement (report, "internet"), "summary"),
                   "looks offline");
  cc_test_assert_contains (hint_of (report, "internet"), "Wi-Fi");
  g_assert_null (strstr (hint_of (report, "internet"), "IT"));
  for (const char * const *id = (const char * const[]) { "signaling", "turn-udp", "turn-tcp", "media-udp",
                                                         "domains", NULL }; *id; id++)
    {
      g_assert_cmpstr (status_of (report, *id), ==, "fail");
      g_assert_null (strstr (hint_of (report, *id), "ask IT"));
    }

  g_assert_cmpstr (status_of (report, "https-inspection"), ==, "skip");
  cc_test_assert_contains (hint_of (report, "https-inspection"), "cannot be told");

  run_app (&text, text_args);
  g_assert_cmpint (text.status, ==, 2);
  cc_test_assert_contains (text.out, "Connectivity: none.");
  cc_test_assert_contains (text.out, "[FAIL] Internet connection (internet)");
  cc_test_assert_contains (text.out, "This device looks offline");
  cc_test_assert_contains (text.out, "[SKIP] HTTPS inspection (https-inspection)");
}

static void
test_text_report (void)
{
  g_autofree char *profile = lab_file ("lab-udp-dropped.conf.in");
  g_auto(RunResult) r = { 0 };
  const char *args[] = { "--cli", "--profile", profile, "--timeout", "1", NULL };

  const char *verbose_args[] = { "--cli", "--verbose", "--profile", profile, "--timeout", "1", NULL };
  g_auto(RunResult) v = { 0 };
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) verbose_lines = NULL;

  run_app (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  cc_test_assert_contains (r.out, "Verdict: WORKS WITH REDUCED QUALITY");
  cc_test_assert_contains (r.out, "[FAIL] Relay over UDP (turn-udp)");
  cc_test_assert_contains (r.out, "What to do:");
  cc_test_assert_contains (r.out, "Please ask IT to allow outbound UDP port");
  g_assert_null (strstr (r.out, "{"));

  /* Concise by default: one item per requirement, hints only where
   * something is to be done, no check lines, a pointer to --verbose; short
   * enough to paste into a chat, and no line wider than a terminal. */
  cc_test_assert_contains (r.out, "--verbose");
  g_assert_null (strstr (r.out, "         - "));
  g_assert_nonnull (strstr (r.out, "[PASS] Signaling"));
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), <=, 60);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), <=, 80);

  /* --verbose: every check, each one item with a hanging indent: a line that
   * starts with the bullet starts a check (its status follows), the lines of
   * a wrapped check continue under its text. */
  run_app (&v, verbose_args);
  g_assert_cmpint (v.status, ==, 1);
  g_assert_null (strstr (v.out, "run again with --verbose"));
  verbose_lines = g_strsplit (v.out, "\n", -1);
  {
    guint checks = 0, continued = 0;

    for (guint i = 0; verbose_lines[i] != NULL; i++)
      {
        const char *line = verbose_lines[i];

        g_assert_cmpint (g_utf8_strlen (line, -1), <=, 80);
        if (g_str_has_prefix (line, "         - "))
          {
            const char *status = line + strlen ("         - ");

            checks++;
            if (!g_str_has_prefix (status, "PASS ") && !g_str_has_prefix (status, "WARN ") &&
                !g_str_has_prefix (status, "FAIL ") && !g_str_has_prefix (status, "SKIP "))
              g_error ("a check line without its status (a repeated bullet?): %s", line);
          }
        else if (g_str_has_prefix (line, "           ") && line[11] != ' ')
          continued++;
      }
    g_assert_cmpuint (checks, >=, 10);
    /* Details are sentences: some check wraps. */
    g_assert_cmpuint (continued, >=, 1);
  }
}

/* No headless flag and no display: the text report, said so, not a failure. */
static void
test_no_display (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_auto(RunResult) r = { 0 };
  const char *args[] = { "--profile", profile, NULL };

  run_app (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  cc_test_assert_contains (r.err, "No display found");
  cc_test_assert_contains (r.out, "Verdict: READY");
}

/* Headless runs never map GTK: connection-check links none (the dynamic
 * loader's list of what it would load names neither GTK nor libadwaita), and
 * runs the window's own program to open a window. That program is what
 * answers when asked for a window on a display that cannot be opened. */
static void
test_window_program (void)
{
  const char *none[] = { NULL };
  const char *trace[] = { "LD_TRACE_LOADED_OBJECTS=1", NULL };
  const char *no_display[] = { "GDK_BACKEND=wayland", "WAYLAND_DISPLAY=/nonexistent/cc-test-wayland", NULL };
  g_auto(RunResult) loads = { 0 };
  g_auto(RunResult) window = { 0 };

  run_app_full (&loads, none, trace, 0);
  g_assert_cmpint (loads.status, ==, 0);
  cc_test_assert_contains (loads.out, "libglib-2.0.so");
  cc_test_assert_contains (loads.out, "libsoup-3.0.so");
  g_assert_null (strstr (loads.out, "libgtk-4"));
  g_assert_null (strstr (loads.out, "libadwaita-1"));

  run_app_full (&window, none, no_display, 0);
  g_assert_cmpint (window.status, !=, 0);
  cc_test_assert_contains (window.err, "cannot open display");
  g_assert_null (strstr (window.err, "Cannot start the window"));
  g_assert_cmpstr (window.out, ==, "");
}

/* Where the window's program cannot be found (a copy of connection-check
 * outside its build directory, nothing installed): the text report, said so. */
static void
test_window_program_missing (void)
{
  g_autofree char *installed = g_build_filename (LIBEXECDIR, "connection-check-window", NULL);
  g_autofree char *dir = g_dir_make_tmp ("cc-test-XXXXXX", NULL);
  g_autofree char *copy = g_build_filename (dir, "connection-check", NULL);
  g_autofree char *real = g_strdup (g_getenv ("CC_BINARY"));
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autoptr(GFile) from = g_file_new_for_path (real);
  g_autoptr(GFile) to = g_file_new_for_path (copy);
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--profile", profile, NULL };
  const char *display[] = { "WAYLAND_DISPLAY=/nonexistent/cc-test-wayland", NULL };
  g_auto(RunResult) r = { 0 };

  if (g_file_test (installed, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the window's program is installed here");
      return;
    }
  g_assert_nonnull (dir);
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (copy, 0755), ==, 0);

  g_setenv ("CC_BINARY", copy, TRUE);
  run_app_full (&r, args, display, 0);
  g_setenv ("CC_BINARY", real, TRUE);
  g_unlink (copy);
  g_rmdir (dir);

  g_assert_cmpint (r.status, ==, 0);
  cc_test_assert_contains (r.err, "Cannot start the window");
  cc_test_assert_contains (r.err, installed);
  cc_test_assert_contains (r.out, "Verdict: READY");
}

/* Through an explicit HTTP proxy: signaling, HTTPS and TURN over TCP/TLS go
 * through CONNECT tunnels, the report names the proxy. */
static void
test_proxy (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLabProxy) proxy = cc_lab_proxy_new (FALSE, &error);
  g_autofree char *url = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  JsonObject *report;
  const char *args[] = { "--json", "--profile", profile, "--proxy", NULL, NULL };

  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", cc_lab_proxy_get_port (proxy));
  args[4] = url;

  report = run_report (&r, parser, args);
  assert_verdict (&r, report, "ready");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "network"), "proxy"),
                   ==, url);
  /* Two WebSockets, three TLS handshakes, two TCP connects, HTTPS, TURN TCP/TLS,
   * the TCP burst: every one of them went through the proxy. */
  g_assert_cmpuint (cc_lab_proxy_get_tunnels (proxy), >=, 10);
}

static void
test_proxy_auth (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLabProxy) proxy = cc_lab_proxy_new (TRUE, &error);
  g_autofree char *url = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  JsonObject *report;
  const char *args[] = { "--json", "--profile", profile, "--timeout", "3", "--proxy", NULL, NULL };

  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", cc_lab_proxy_get_port (proxy));
  args[6] = url;

  report = run_report (&r, parser, args);
  assert_verdict (&r, report, "blocked");
  g_assert_cmpint (r.status, ==, 2);
  g_assert_true (has_check_error (find_requirement (report, "signaling"), "auth-required"));
  g_assert_true (has_check_error (find_requirement (report, "turn-tcp"), "auth-required"));
  /* The proxy wants a login: the person needs it, IT need not open ports. */
  cc_test_assert_contains (hint_of (report, "signaling"), "wants a username and password");
  g_assert_null (strstr (hint_of (report, "signaling"), "ask IT to allow"));
  /* The verdict's summary sends the person to the login, not to IT. */
  cc_test_assert_contains (json_object_get_string_member (report, "summary"), "wants a login");
  g_assert_null (strstr (json_object_get_string_member (report, "summary"), "IT department"));
  cc_test_assert_contains (json_object_get_string_member (find_requirement (report, "signaling"), "summary"),
                   "the proxy wants a login");
  g_assert_cmpuint (cc_lab_proxy_get_tunnels (proxy), ==, 0);
}

/* A proxy that wants a login, given one in the proxy URL (user:password@, as
 * in https_proxy or --proxy): every TCP path gets through as that user — the
 * WebSocket and HTTPS checks (libsoup) as well as the TCP/TLS checks and TURN
 * over TCP/TLS (GIO) — and the password shows nowhere. */
static void
test_proxy_login (void)
{
  static const char password[] = "pr0xy-s3cret";
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autofree char *ice = lab_file ("ice-servers.json.in");
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLabProxy) proxy = cc_lab_proxy_new_with_login ("alice", password, &error);
  g_autofree char *url = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) wrong_parser = json_parser_new ();
  g_auto(RunResult) r = { 0 };
  g_auto(RunResult) w = { 0 };
  JsonObject *report;
  JsonArray *checks;
  gboolean tcp_call = FALSE;
  const char *args[] = { "--json", "--profile", profile, "--timeout", "3", "--ice-servers", ice,
                         "--proxy", NULL, NULL };
  const char *wrong_args[] = { "--json", "--profile", profile, "--timeout", "3", "--proxy", NULL, NULL };

  g_assert_no_error (error);
  url = g_strdup_printf ("http://alice:%s@127.0.0.1:%u", password, cc_lab_proxy_get_port (proxy));
  shown = g_strdup_printf ("http://127.0.0.1:%u", cc_lab_proxy_get_port (proxy));
  args[8] = url;

  report = run_report (&r, parser, args);
  g_assert_false (has_check_error (find_requirement (report, "signaling"), "auth-required"));
  g_assert_false (has_check_error (find_requirement (report, "signaling"), "proxy-failure"));
  g_assert_cmpstr (json_object_get_string_member (find_requirement (report, "signaling"), "status"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (find_requirement (report, "turn-tcp"), "status"), ==, "pass");
  g_assert_cmpstr (json_object_get_string_member (find_requirement (report, "domains"), "status"), ==, "pass");
  g_assert_cmpuint (cc_lab_proxy_get_to_self (proxy), ==, 0);
  g_assert_cmpuint (cc_lab_proxy_get_tunnels (proxy), >, 0);
  /* The report names the proxy, without its login. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "network"), "proxy"),
                   ==, shown);
  g_assert_null (strstr (r.out, password));
  g_assert_null (strstr (r.err, password));
  /* The test call over TCP goes through the proxy too (libnice's CONNECT,
   * with the login). */
  checks = json_object_get_array_member (find_requirement (report, "turn-tcp"), "checks");
  for (guint i = 0; i < json_array_get_length (checks); i++)
    {
      JsonObject *check = json_array_get_object_element (checks, i);

      if (g_str_equal (json_object_get_string_member (check, "kind"), "ice-call") &&
          g_str_equal (json_object_get_string_member (check, "transport"), "tcp"))
        {
          g_assert_cmpstr (json_object_get_string_member (check, "status"), ==, "pass");
          tcp_call = TRUE;
        }
    }
  g_assert_true (tcp_call);

  /* A wrong password: the proxy refuses it (407 again), and that is what the
   * report says — a login to fix, not a port to open. */
  wrong = g_strdup_printf ("http://alice:wrong-%s@127.0.0.1:%u", password, cc_lab_proxy_get_port (proxy));
  wrong_args[6] = wrong;
  run_app (&w, wrong_args);
  report = parse_report (wrong_parser, w.out);
  assert_verdict (&w, report, "blocked");
  g_assert_true (has_check_error (find_requirement (report, "signaling"), "auth-required"));
  g_assert_null (strstr (w.out, password));
  g_assert_null (strstr (w.err, password));
}

typedef struct
{
  const char *name;
  const char *args[6];
  int         status;
  const char *expected;   /* on stderr (or stdout for --help/--version) */
} BadRun;

static const BadRun bad_runs[] = {
  { "unknown-option", { "--json", "--frobnicate", NULL }, 64, "Unknown option --frobnicate" },
  { "timeout-zero", { "--json", "--timeout", "0", NULL }, 64, "--timeout takes a whole number" },
  { "timeout-word", { "--json", "--timeout", "soon", NULL }, 64, "--timeout takes a whole number" },
  { "hold-negative", { "--json", "--hold", "-1", NULL }, 64, "--hold takes a whole number" },
  { "positional", { "--json", "extra", NULL }, 64, "unexpected argument" },
  { "missing-profile", { "--json", "--profile", "/nonexistent.conf", NULL }, 65, "/nonexistent.conf" },
  { "missing-ice", { "--json", "--ice-servers", "/nonexistent.json", NULL }, 65, "/nonexistent.json" },
  { "bad-proxy", { "--json", "--proxy", "ftp://x", NULL }, 64, "--proxy takes http://host:port" },
  { "version", { "--version", NULL }, 0, "connection-check " PACKAGE_VERSION },
  { "help", { "--help", NULL }, 0, "--ice-servers" },
};

static void
test_bad_run (gconstpointer data)
{
  const BadRun *bad = data;
  g_auto(RunResult) r = { 0 };

  run_app (&r, bad->args);
  g_assert_cmpint (r.status, ==, bad->status);
  if (bad->status == 0)
    cc_test_assert_contains (r.out, bad->expected);
  else
    {
      cc_test_assert_contains (r.err, bad->expected);
      g_assert_cmpstr (r.out, ==, "");
    }
}

static void
test_bad_profile_files (void)
{
  static const struct { const char *content; gsize length; const char *expected; } cases[] = {
    { "", 0, "the file is empty" },
    { "[profile]\nname=x\n[turn t]\nhost=h.test\nport=99999\ntransports=udp\n", 0, ":5: [turn t] port" },
    { "[profile]\nname=x\n[turn t]\nhost=h.test\nport=443\ntransports=carrier-pigeon\n", 0, "transports" },
    { "\x7f" "ELF\x02\x01\x01\x00\x00\x00garbage\xff\xfe", 17, "not a text file" },
    { "{\"iceServers\": []}", 0, "not a [group]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/bad-%u.conf", cc_lab_get_dir (lab), i);
      g_auto(RunResult) r = { 0 };
      const char *args[] = { "--json", "--profile", path, NULL };
      gsize length = cases[i].length ? cases[i].length : strlen (cases[i].content);

      g_assert_true (g_file_set_contents (path, cases[i].content, length, NULL));
      run_app (&r, args);
      g_assert_cmpint (r.status, ==, 65);
      cc_test_assert_contains (r.err, path);
      cc_test_assert_contains (r.err, cases[i].expected);
      g_assert_cmpstr (r.out, ==, "");
    }
}

static void
test_bad_ice_files (void)
{
  static const char * const cases[] = {
    "not json at all",
    "{\"iceServers\": {}}",
    "{\"iceServers\": [{\"urls\": [\"turn:h.test:443\"]}]}",
    "{\"iceServers\": [{\"urls\": [\"ftp://h.test\"], \"username\": \"u\", \"credential\": \"p\"}]}",
  };
  g_autofree char *profile = lab_file ("lab-ok.conf.in");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/bad-ice-%u.json", cc_lab_get_dir (lab), i);
      g_auto(RunResult) r = { 0 };
      const char *args[] = { "--json", "--profile", profile, "--ice-servers", path, NULL };

      g_assert_true (g_file_set_contents (path, cases[i], -1, NULL));
      run_app (&r, args);
      g_assert_cmpint (r.status, ==, 65);
      cc_test_assert_contains (r.err, path);
      g_assert_cmpstr (r.out, ==, "");
    }
}

/* In-process: the runner's model notifies, and a cancelled run ends promptly
 * with every check settled. */
static void
status_notified_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static CcRunner *
lab_runner (const char *template)
{
  g_autofree char *path = lab_file (template);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = cc_profile_new_from_file (path, &error);

  g_assert_no_error (error);
  return cc_runner_new (profile);
}

/* The window's way to log in to a proxy (Preferences: a user name, the
 * password from the keyring), without the window or a keyring: the login is
 * given apart from the proxy URL (CcRunOptions), and GIO's paths (TCP, TLS,
 * TURN over TCP) and libsoup's (WebSocket, HTTPS) all get through as that
 * user; a password with characters a URL must escape; the report names the
 * proxy without a login and holds no part of the password. */
static void
test_proxy_login_apart (void)
{
  static const char password[] = "pr0xy:s3cret@apart/%";
  g_autoptr(GError) error = NULL;
  g_autoptr(CcLabProxy) proxy = cc_lab_proxy_new_with_login ("alice", password, &error);
  g_autoptr(CcRunner) runner = lab_runner ("lab-ok.conf.in");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  CcTestRun wait = { 0 };
  JsonObject *report;

  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", cc_lab_proxy_get_port (proxy));
  cc_run_options_configure (&(CcRunOptions) { .proxy = url, .proxy_username = (char *) "alice",
                                              .proxy_password = (char *) password, .timeout_seconds = 3 },
                            runner);
  cc_runner_run_async (runner, NULL, cc_test_run_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);

  json = cc_report_to_json (runner);
  report = parse_report (parser, json);
  for (const char * const *id = (const char *[]) { "signaling", "turn-tcp", "domains", NULL }; *id; id++)
    g_assert_cmpstr (status_of (report, *id), ==, "pass");
  g_assert_false (has_check_error (find_requirement (report, "signaling"), "auth-required"));
  g_assert_cmpuint (cc_lab_proxy_get_tunnels (proxy), >, 0);
  g_assert_cmpuint (cc_lab_proxy_get_to_self (proxy), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (report, "network"), "proxy"),
                   ==, url);
  g_assert_null (strstr (json, "s3cret"));
}

static void
test_runner_model (void)
{
  g_autoptr(CcRunner) runner = lab_runner ("lab-ok.conf.in");
  GListModel *reqs = cc_runner_get_requirements (runner);
  CcTestRun wait = { 0 };
  guint status_notifications = 0;

  g_assert_cmpuint (g_list_model_get_n_items (reqs), ==, 7);
  for (guint i = 0; i < g_list_model_get_n_items (reqs); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (reqs, i);
      g_signal_connect (req, "notify::status", G_CALLBACK (status_notified_cb), &status_notifications);
    }

  cc_runner_set_timeout_ms (runner, 3000);
  cc_runner_run_async (runner, NULL, cc_test_run_done_cb, &wait);
  g_assert_true (cc_runner_is_running (runner));
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (wait.error);
  g_assert_cmpint (wait.verdict, ==, CC_VERDICT_READY);
  /* Each requirement went pending → running → its result. */
  g_assert_cmpuint (status_notifications, >=, 7 * 2);
  g_assert_false (cc_runner_is_running (runner));
  g_assert_nonnull (cc_runner_get_summary (runner));

  for (guint i = 0; i < g_list_model_get_n_items (reqs); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (reqs, i);
      g_signal_handlers_disconnect_by_data (req, &wait);
    }
}

static void
test_runner_cancel (void)
{
  g_autoptr(CcRunner) runner = lab_runner ("lab-silent.conf.in");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CcTestRun wait = { 0 };
  gint64 start;

  /* Silent servers would keep it busy for 10 s; the cancel comes after 200 ms. */
  cc_runner_set_timeout_ms (runner, 10000);
  start = g_get_monotonic_time ();
  cc_runner_run_async (runner, cancellable, cc_test_run_done_cb, &wait);
  g_timeout_add (200, cancel_cb, cancellable);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Ended by the cancel, not by the 10 s timeout: half of it (a cancel
   * takes milliseconds). */
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, <, 10000 / 2);

  cc_test_assert_all_settled (runner);
  g_clear_error (&wait.error);

  /* The same runner runs again afterwards. */
  wait.done = FALSE;
  cc_runner_set_timeout_ms (runner, 500);
  cc_runner_run_async (runner, NULL, cc_test_run_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
  g_assert_cmpint (wait.verdict, ==, CC_VERDICT_BLOCKED);
}

/* The TURN login never shows: not in the JSON or text report, not on stderr
 * with every debug message on, not in what a crash leaves behind, not in a
 * saved report; saved reports are private (0600) even when they replace a
 * file that was not. */
static void
assert_no_login (const char *text,
                 const char *what)
{
  const char *secrets[] = { cc_lab_get_turn_password (lab), cc_lab_get_turn_username (lab),
                            "not-the-password-4711" };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      const char *at = text != NULL ? strstr (text, secrets[i]) : NULL;

      if (at != NULL)
        {
          const char *line = at;
          g_autofree char *context = NULL;

          while (line > text && line[-1] != '\n' && at - line < 200)
            line--;
          context = g_strndup (line, strcspn (line, "\n"));
          g_error ("%s shows a TURN login (“%s”) in: %s", what, secrets[i], context);
        }
    }
}

static void
test_secrets (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autofree char *ice = lab_file ("ice-servers.json.in");
  g_autofree char *wrong_path = g_build_filename (cc_lab_get_dir (lab), "secrets-wrong-ice.json", NULL);
  g_autofree char *wrong = cc_lab_expand (lab,
    "{\"iceServers\":[{\"urls\":[\"turn:127.0.0.1:@turn@?transport=udp\",\"turn:127.0.0.1:@turn@?transport=tcp\"],"
    "\"username\":\"@turn-user@\",\"credential\":\"not-the-password-4711\"}]}");
  const char * const debug_env[] = { "G_MESSAGES_DEBUG=all", "NICE_DEBUG=all", "G_DEBUG=", NULL };
  const char * const *runs[] = {
    (const char *[]) { "--json", "--profile", profile, "--ice-servers", ice, NULL },
    (const char *[]) { "--cli", "--profile", profile, "--ice-servers", ice, NULL },
    (const char *[]) { "--cli", "--profile", profile, "--ice-servers", wrong_path, "--timeout", "2", NULL },
  };

  g_assert_cmpuint (strlen (cc_lab_get_turn_password (lab)), >=, 8);
  g_assert_true (g_file_set_contents (wrong_path, wrong, -1, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_auto(RunResult) r = { 0 };

      run_app_full (&r, runs[i], debug_env, 0);
      /* The debug log was really on (GLib's, the engine's and libnice's). */
      g_assert_true (i == 0 ? r.status == 0 : TRUE);
      cc_test_assert_contains (r.err, "DEBUG");
      assert_no_login (r.out, "stdout");
      assert_no_login (r.err, "stderr with G_MESSAGES_DEBUG=all");
    }

  /* A crash in the middle of the test calls (with credentials in memory). */
  {
    g_auto(RunResult) r = { 0 };

    run_app_full (&r, runs[1], debug_env, 1500);
    g_assert_cmpint (r.status, ==, -1);
    assert_no_login (r.out, "stdout of an aborted run");
    assert_no_login (r.err, "stderr of an aborted run");
  }
}

typedef struct
{
  gboolean  done;
  gboolean  saved;
  GError   *error;
} SaveWait;

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveWait *wait = user_data;

  wait->saved = cc_report_save_finish (result, &wait->error);
  wait->done = TRUE;
}

/* cc_report_save(), or its async twin waited for here. */
static gboolean
save_report (CcRunner  *runner,
             GFile     *file,
             gboolean   async,
             GError   **error)
{
  SaveWait wait = { 0 };

  if (!async)
    return cc_report_save (runner, file, error);

  cc_report_save_async (runner, file, NULL, saved_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.saved;
}

static void
test_saved_report (void)
{
  g_autoptr(CcRunner) runner = lab_runner ("lab-ok.conf.in");
  g_autofree char *ice_path = lab_file ("ice-servers.json.in");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = cc_ice_servers_load (ice_path, &error);
  CcTestRun wait = { 0 };
  const char *names[] = { "report.txt", "report.json" };

  g_assert_no_error (error);
  cc_runner_set_ice_servers (runner, servers);
  cc_runner_set_timeout_ms (runner, 3000);
  cc_runner_run_async (runner, NULL, cc_test_run_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);

  /* Each name twice: saved as the CLI does (blocking), and as the window
   * does (async). */
  for (guint k = 0; k < 2 * G_N_ELEMENTS (names); k++)
    {
      guint i = k % G_N_ELEMENTS (names);
      g_autofree char *path = g_build_filename (cc_lab_get_dir (lab), names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *contents = NULL;
      GStatBuf st;

      /* An older report, readable by everyone, is replaced by a private one. */
      g_assert_true (g_file_set_contents (path, "old", -1, NULL));
      g_assert_cmpint (g_chmod (path, 0644), ==, 0);
      g_assert_true (save_report (runner, file, k >= G_N_ELEMENTS (names), &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);

      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      assert_no_login (contents, names[i]);
      cc_test_assert_contains (contents, i == 0 ? "Verdict:" : "\"schema\"");
      /* It holds addresses: that is why it is private. */
      cc_test_assert_contains (contents, "127.0.0.1");
    }

  /* A directory that does not exist: an error, not a crash. */
  {
    g_autoptr(GFile) nowhere = g_file_new_for_path ("/nonexistent/dir/report.txt");

    g_assert_false (save_report (runner, nowhere, FALSE, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_false (save_report (runner, nowhere, TRUE, &error));
    g_assert_nonnull (error);
  }
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  guint n = 0;

  for (const char *p = text; p != NULL && (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* --save-history keeps a run's JSON report with the window's earlier runs
 * (private files in a private folder), --history lists them newest first, and
 * files that are not reports are skipped, each named, never a crash. */
static void
test_history (void)
{
  g_autofree char *profile = lab_file ("lab-ok.conf.in");
  g_autofree char *blocked = lab_file ("lab-websocket-refused.conf.in");
  g_autofree char *data = g_build_filename (cc_lab_get_dir (lab), "history-data", NULL);
  g_autofree char *env_data = g_strdup_printf ("XDG_DATA_HOME=%s", data);
  g_autofree char *dir = g_build_filename (data, "connection-check", "history", NULL);
  const char *env[] = { env_data, NULL };
  g_autoptr(CcHistory) history = cc_history_new (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CcHistoryEntry) newest = NULL;
  g_autoptr(CcHistoryEntry) oldest = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *big = NULL;
  GStatBuf st;

  {
    g_auto(RunResult) r = { 0 };
    const char *args[] = { "--history", NULL };

    run_app_full (&r, args, env, 0);
    g_assert_cmpint (r.status, ==, 0);
    cc_test_assert_contains (r.out, "No earlier runs");
  }

  /* A text run kept (--save-history alone runs without a window)… */
  {
    g_auto(RunResult) r = { 0 };
    const char *args[] = { "--save-history", "--timeout", "3", "--profile", profile, NULL };

    run_app_full (&r, args, env, 0);
    g_assert_cmpint (r.status, ==, 0);
    cc_test_assert_contains (r.out, "Verdict:");
    cc_test_assert_contains (r.err, "Kept with the earlier runs as ");
  }

  /* …and a JSON run, kept as it was printed. */
  {
    g_auto(RunResult) r = { 0 };
    const char *args[] = { "--json", "--save-history", "--timeout", "3", "--profile", blocked, NULL };

    run_app_full (&r, args, env, 0);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_true (cc_history_load (history, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
    newest = g_list_model_get_item (G_LIST_MODEL (history), 0);
    oldest = g_list_model_get_item (G_LIST_MODEL (history), 1);
    g_assert_cmpint (cc_history_entry_get_verdict (newest), ==, CC_VERDICT_BLOCKED);
    g_assert_cmpint (cc_history_entry_get_verdict (oldest), ==, CC_VERDICT_READY);
    {
      g_autofree char *path = g_build_filename (dir, cc_history_entry_get_id (newest), NULL);

      g_assert_true (g_file_get_contents (path, &stored, NULL, NULL));
      g_assert_cmpstr (g_strstrip (stored), ==, g_strstrip (r.out));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
    g_assert_cmpint (g_stat (dir, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  }

  /* What changed: signaling passed, then was refused. */
  changes = cc_history_entry_compare (oldest, newest);
  for (guint i = 0; i < changes->len; i++)
    {
      CcHistoryChange *change = changes->pdata[i];

      if (g_str_equal (change->id, "signaling"))
        {
          g_assert_cmpint (change->before, ==, CC_STATUS_PASS);
          g_assert_cmpint (change->after, ==, CC_STATUS_FAIL);
          g_assert_true (g_strv_contains ((const char * const *) change->new_errors, "websocket-rejected"));
          g_assert_cmpuint (g_strv_length (change->fixed_errors), ==, 0);
          g_assert_true (cc_history_change_is_change (change));
        }
      else if (g_str_equal (change->id, "turn-udp"))
        g_assert_false (cc_history_change_is_change (change));
    }

  /* Garbage, a truncated report, another schema, a file too large, a
   * folder where a file should be: each skipped with a message. */
  {
    g_auto(RunResult) r = { 0 };
    const char *args[] = { "--history", NULL };
    g_autofree char *garbage = g_build_filename (dir, "20000101T000001.000000Z.json", NULL);
    g_autofree char *truncated = g_build_filename (dir, "20000101T000002.000000Z.json", NULL);
    g_autofree char *schema = g_build_filename (dir, "20000101T000003.000000Z.json", NULL);
    g_autofree char *large = g_build_filename (dir, "20000101T000004.000000Z.json", NULL);
    g_autofree char *folder = g_build_filename (dir, "20000101T000005.000000Z.json", NULL);
    g_autofree char *wrong = g_strdup (stored);
    char *mark = strstr (wrong, "\"schema\" : 1");

    g_assert_nonnull (mark);
    mark[strlen ("\"schema\" : ")] = '7';
    big = g_strnfill (2 * 1024 * 1024, ' ');
    memcpy (big, "{\"schema\": 1", strlen ("{\"schema\": 1"));

    g_assert_true (g_file_set_contents (garbage, "\x01\xff garbage", -1, NULL));
    g_assert_true (g_file_set_contents (truncated, stored, strlen (stored) / 2, NULL));
    g_assert_true (g_file_set_contents (schema, wrong, -1, NULL));
    g_assert_true (g_file_set_contents (large, big, -1, NULL));
    g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

    run_app_full (&r, args, env, 0);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpuint (count_lines_with (r.err, "skipped"), ==, 5);
    cc_test_assert_contains (r.err, "20000101T000003.000000Z.json is not a report of schema 1");
    cc_test_assert_contains (r.err, "at most 1 MiB");
    cc_test_assert_contains (r.out, "newest first");
    cc_test_assert_contains (r.out, cc_history_entry_get_id (newest));
    cc_test_assert_contains (r.out, cc_history_entry_get_id (oldest));
    /* Newest first. */
    g_assert_true (strstr (r.out, cc_history_entry_get_id (newest)) < strstr (r.out, cc_history_entry_get_id (oldest)));
    cc_test_assert_contains (r.out, "CALLS WILL NOT WORK");
    cc_test_assert_contains (r.out, "READY");
    cc_test_assert_contains (r.out, "connectivity ");

    g_assert_true (cc_history_load (history, NULL, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
    g_assert_cmpuint (g_strv_length ((char **) cc_history_get_problems (history)), ==, 5);
    g_assert_cmpint (g_rmdir (folder), ==, 0);
  }

  /* Bounded: 20 reports at most, the oldest go first (the damaged files
   * above are the oldest names). */
  for (guint i = 0; i < CC_HISTORY_MAX_ENTRIES + 3; i++)
    {
      g_autofree char *id = cc_history_add (history, stored, &error);

      g_assert_no_error (error);
      g_assert_nonnull (id);
    }
  g_assert_true (cc_history_load (history, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, CC_HISTORY_MAX_ENTRIES);
  g_assert_cmpuint (g_strv_length ((char **) cc_history_get_problems (history)), ==, 0);
  g_assert_null (cc_history_lookup (history, cc_history_entry_get_id (oldest)));

  /* A report larger than a stored file may be is refused, not written. */
  g_assert_null (cc_history_add (history, big, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  lab = cc_lab_start (NULL);

  g_test_add_func ("/cli/ok", test_ok);
  g_test_add_func ("/cli/ok-with-credentials", test_ok_with_credentials);
  g_test_add_func ("/cli/ice-servers-bare-array", test_ice_servers_bare_array);
  g_test_add_func ("/cli/wrong-credentials", test_wrong_credentials);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_scenario);
  g_test_add_func ("/cli/offline", test_offline);
  g_test_add_func ("/cli/text-report", test_text_report);
  g_test_add_func ("/cli/no-display", test_no_display);
  g_test_add_func ("/cli/window-program", test_window_program);
  g_test_add_func ("/cli/window-program-missing", test_window_program_missing);
  g_test_add_func ("/cli/proxy", test_proxy);
  g_test_add_func ("/cli/proxy-auth", test_proxy_auth);
  g_test_add_func ("/cli/proxy-login", test_proxy_login);
  g_test_add_func ("/cli/proxy-login-apart", test_proxy_login_apart);
  for (guint i = 0; i < G_N_ELEMENTS (bad_runs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/bad/%s", bad_runs[i].name);
      g_test_add_data_func (path, &bad_runs[i], test_bad_run);
    }
  g_test_add_func ("/cli/bad-profile-files", test_bad_profile_files);
  g_test_add_func ("/cli/bad-ice-files", test_bad_ice_files);
  g_test_add_func ("/runner/model", test_runner_model);
  g_test_add_func ("/runner/cancel", test_runner_cancel);
  g_test_add_func ("/security/secrets", test_secrets);
  g_test_add_func ("/security/saved-report", test_saved_report);
  g_test_add_func ("/cli/history", test_history);

  status = g_test_run ();
  cc_lab_free (lab);
  return status;
}
