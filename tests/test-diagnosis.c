/* test-diagnosis.c: the verdict rules (README "How results are judged",
 * DESIGN.md's verdict table) with made-up results, no network: each check is
 * a stand-in that ends at once with the status, error class and measurements
 * it is given, run through the real check life cycle, in the built-in
 * profile's requirements; then cc_diagnosis_update() and
 * cc_diagnosis_verdict() judge them as after a real run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-catalogue-private.h"
#include "cc-check-private.h"
#include "cc-engine.h"

/* ---- a check that ends as it is told ---- */

#define CC_TYPE_MADE_UP_CHECK (cc_made_up_check_get_type ())
G_DECLARE_FINAL_TYPE (CcMadeUpCheck, cc_made_up_check, CC, MADE_UP_CHECK, CcCheck)

struct _CcMadeUpCheck
{
  CcCheck   parent_instance;

  CcStatus  status;
  CcError   error;
  double    rtt_ms, jitter_ms, loss_pct;
};

G_DEFINE_FINAL_TYPE (CcMadeUpCheck, cc_made_up_check, CC_TYPE_CHECK)

static void
cc_made_up_check_start (CcCheck      *check,
                        GCancellable *cancellable)
{
  CcMadeUpCheck *self = CC_MADE_UP_CHECK (check);

  cc_check_set_metrics (check, self->rtt_ms, self->jitter_ms, self->loss_pct);
  switch (self->status)
    {
    case CC_STATUS_FAIL:
      cc_check_fail (check, self->error, "made up");
      break;
    case CC_STATUS_WARN:
      cc_check_warn (check, self->error, "made up");
      break;
    case CC_STATUS_SKIP:
      cc_check_skip (check, "made up");
      break;
    case CC_STATUS_PASS:
    default:
      cc_check_pass (check, "made up");
      break;
    }
}

static void
cc_made_up_check_class_init (CcMadeUpCheckClass *klass)
{
  CC_CHECK_CLASS (klass)->start = cc_made_up_check_start;
}

static void
cc_made_up_check_init (CcMadeUpCheck *self)
{
  self->rtt_ms = self->jitter_ms = self->loss_pct = -1;
}

typedef struct
{
  const char *requirement;
  const char *kind;
  const char *target;      /* host:port */
  const char *transport;   /* NULL, "udp", "tcp", "tls" */
  CcCheckRole role;
  CcStatus    status;
  CcError     error;
  double      rtt_ms, jitter_ms, loss_pct;   /* 0, 0, 0: not measured */
  const char *turn_login;  /* the TURN login's source (a relay check), or NULL */
} MadeUp;

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  cc_check_run_finish (CC_CHECK (object), result, NULL);
  (*(guint *) user_data)--;
}

/* The built-in profile's requirements with @checks in them, judged. */

/* The kind a report calls @word. */
static CcCheckKind
kind_of (const char *word)
{
  for (CcCheckKind kind = 0; kind < CC_N_CHECK_KINDS; kind++)
    if (g_str_equal (cc_check_kind_to_string (kind), word))
      return kind;
  g_assert_not_reached ();
  return CC_N_CHECK_KINDS;
}

static GListStore *
judge (const MadeUp *checks,
       guint         n,
       CcVerdict    *verdict,
       char        **summary)
{
  g_autoptr(CcProfile) profile = cc_profile_new_default ();
  g_autoptr(CcRunner) runner = cc_runner_new (profile);
  GListModel *reqs = cc_runner_get_requirements (runner);
  GListStore *store = g_list_store_new (CC_TYPE_REQUIREMENT);
  guint running = 0;

  for (guint i = 0; i < g_list_model_get_n_items (reqs); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (reqs, i);
      g_autoptr(CcRequirement) copy = cc_requirement_new (cc_requirement_get_kind (req));

      g_list_store_append (store, copy);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcMadeUpCheck) check = g_object_new (CC_TYPE_MADE_UP_CHECK, NULL);
      CcRequirement *req = NULL;

      check->status = checks[i].status;
      check->error = checks[i].error;
      if (checks[i].rtt_ms > 0 || checks[i].loss_pct > 0)
        {
          check->rtt_ms = checks[i].rtt_ms;
          check->jitter_ms = checks[i].jitter_ms;
          check->loss_pct = checks[i].loss_pct;
        }
      cc_check_set_kind (CC_CHECK (check), kind_of (checks[i].kind));
      cc_check_set_target (CC_CHECK (check), checks[i].target);
      if (checks[i].transport != NULL)
        cc_check_set_transport (CC_CHECK (check), checks[i].transport);
      if (checks[i].turn_login != NULL)
        cc_diagnosis_mark_turn_login (CC_CHECK (check), checks[i].turn_login);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (store)); j++)
        {
          g_autoptr(CcRequirement) r = g_list_model_get_item (G_LIST_MODEL (store), j);

          if (g_str_equal (cc_requirement_get_id (r), checks[i].requirement))
            req = r;
        }
      g_assert_nonnull (req);
      cc_requirement_add_check (req, CC_CHECK (check), checks[i].role);
      running++;
      cc_check_run_async (CC_CHECK (check), NULL, run_done_cb, &running);
    }

  while (running > 0)
    g_main_context_iteration (NULL, TRUE);

  for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (store)); j++)
    {
      g_autoptr(CcRequirement) r = g_list_model_get_item (G_LIST_MODEL (store), j);

      cc_diagnosis_update (r, profile);
    }
  *verdict = cc_diagnosis_verdict (G_LIST_MODEL (store), profile, summary);
  return store;
}

static CcRequirement *
find (GListStore *store,
      const char *id)
{
  for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (store)); j++)
    {
      g_autoptr(CcRequirement) r = g_list_model_get_item (G_LIST_MODEL (store), j);

      if (g_str_equal (cc_requirement_get_id (r), id))
        return r;
    }
  g_assert_not_reached ();
}

#define WS       "signaling", "websocket", "signal.appearin.net:443", "tls", CC_CHECK_ROLE_ESSENTIAL
#define WS_MORE  "signaling", "websocket", "signal.appearin.net:443", "tls", CC_CHECK_ROLE_SUPPORTING
#define TURN_UDP "turn-udp", "turn-allocate", "turnserver.appearin.net:443", "udp", CC_CHECK_ROLE_ALTERNATIVE
#define TURN_TCP "turn-tcp", "turn-allocate", "turnserver.appearin.net:443", "tcp", CC_CHECK_ROLE_ALTERNATIVE
#define TURN_TLS "turn-tcp", "turn-allocate", "turnserver.appearin.net:443", "tls", CC_CHECK_ROLE_ALTERNATIVE
#define BURST    "media-udp", "media-burst", "any.turn.svc.whereby.com:3478", "udp", CC_CHECK_ROLE_ESSENTIAL
#define DOMAIN   "domains", "tcp", "eu.i.posthog.com:443", "tcp", CC_CHECK_ROLE_SUPPORTING

#define PASSES CC_STATUS_PASS, CC_ERROR_NONE
#define GOOD_PATH 2, 0.2, 0

/* Every row passes: ready. */
static void
test_ready (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES }, { TURN_TLS, PASSES },
    { BURST, PASSES, GOOD_PATH }, { DOMAIN, PASSES },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, ==, CC_VERDICT_READY);
  g_assert_cmpint (cc_requirement_get_status (find (store, "signaling")), ==, CC_STATUS_PASS);
  g_assert_null (cc_requirement_get_hint (find (store, "turn-udp")));
}

/* Signaling fails: blocked, whatever else works; the hint is for IT and names
 * the WebSocket's port and host. */
static void
test_signaling_blocked (void)
{
  const MadeUp checks[] = {
    { WS, CC_STATUS_FAIL, CC_ERROR_TIMEOUT }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES },
    { BURST, PASSES, GOOD_PATH },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, ==, CC_VERDICT_BLOCKED);
  g_assert_cmpint (cc_requirement_get_status (find (store, "signaling")), ==, CC_STATUS_FAIL);
  g_assert_nonnull (strstr (cc_requirement_get_hint (find (store, "signaling")), "443"));
  g_assert_nonnull (strstr (cc_requirement_get_hint (find (store, "signaling")), "signal.appearin.net"));
}

/* No media path at all (TURN over UDP, TCP and TLS, and the high ports):
 * blocked, though signaling works. */
static void
test_no_media_path (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, CC_STATUS_FAIL, CC_ERROR_TIMEOUT },
    { TURN_TCP, CC_STATUS_FAIL, CC_ERROR_REFUSED }, { TURN_TLS, CC_STATUS_FAIL, CC_ERROR_REFUSED },
    { BURST, CC_STATUS_FAIL, CC_ERROR_TIMEOUT },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, ==, CC_VERDICT_BLOCKED);
  g_assert_cmpint (cc_requirement_get_status (find (store, "turn-tcp")), ==, CC_STATUS_FAIL);
}

/* UDP dropped, TCP/TLS to the relay works: degraded (calls over TCP), and the
 * UDP rows ask IT for UDP. */
static void
test_udp_dropped (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, CC_STATUS_FAIL, CC_ERROR_TIMEOUT }, { TURN_TCP, PASSES },
    { TURN_TLS, PASSES }, { BURST, CC_STATUS_FAIL, CC_ERROR_TIMEOUT },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, ==, CC_VERDICT_DEGRADED);
  g_assert_cmpint (cc_requirement_get_status (find (store, "turn-udp")), ==, CC_STATUS_FAIL);
  g_assert_nonnull (strstr (cc_requirement_get_hint (find (store, "turn-udp")), "UDP"));
  g_assert_nonnull (strstr (summary, "IT"));
}

/* One of TURN's alternatives fails (TLS), the other works: the row warns,
 * calls still have UDP: ready is not claimed for a failing row, but the
 * verdict follows the table (signaling and UDP media pass: ready). */
static void
test_one_alternative (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES },
    { TURN_TLS, CC_STATUS_FAIL, CC_ERROR_TLS_FAILURE }, { BURST, PASSES, GOOD_PATH },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (cc_requirement_get_status (find (store, "turn-tcp")), ==, CC_STATUS_WARN);
  g_assert_cmpint (verdict, !=, CC_VERDICT_BLOCKED);
}

/* Only a supporting domain fails: degraded at most, never blocked. */
static void
test_supporting_domain (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES }, { BURST, PASSES, GOOD_PATH },
    { DOMAIN, CC_STATUS_FAIL, CC_ERROR_REFUSED },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (cc_requirement_get_status (find (store, "domains")), !=, CC_STATUS_PASS);
  g_assert_cmpint (cc_requirement_get_status (find (store, "domains")), !=, CC_STATUS_FAIL);
  g_assert_cmpint (verdict, ==, CC_VERDICT_DEGRADED);
}

/* Packets arrive, but 10 % are lost: a quality finding — the row warns
 * "Slow", no request to IT, the summary speaks of stutter. */
static void
test_lossy_path (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES }, { BURST, PASSES, 3, 1, 10 },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);
  CcRequirement *media = find (store, "media-udp");
  g_autoptr(CcProfile) profile = cc_profile_new_default ();

  g_assert_cmpint (verdict, ==, CC_VERDICT_DEGRADED);
  g_assert_cmpint (cc_requirement_get_status (media), ==, CC_STATUS_WARN);
  g_assert_true (g_str_has_prefix (cc_requirement_get_summary (media), "Slow:"));
  g_assert_null (strstr (cc_requirement_get_hint (media), "ask IT"));
  g_assert_null (cc_diagnosis_it_allow (media, profile));
  g_assert_nonnull (strstr (summary, "stutter"));
}

/* Nothing lost, but a 600 ms round trip (a satellite hop): the delay is the
 * cause the summary names. */
static void
test_long_delay (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES }, { BURST, PASSES, 600, 0.5, 0 },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, ==, CC_VERDICT_DEGRADED);
  g_assert_cmpint (cc_requirement_get_status (find (store, "media-udp")), ==, CC_STATUS_WARN);
  g_assert_nonnull (strstr (summary, "600 ms round trip"));
  g_assert_null (strstr (summary, "stutter"));
}

/* The proxy wants a login (407) before the WebSocket: blocked, and the
 * person is sent to enter the proxy's login, not IT to open ports. */
static void
test_proxy_login (void)
{
  const MadeUp checks[] = {
    { WS, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED }, { TURN_UDP, PASSES }, { TURN_TCP, PASSES },
    { BURST, PASSES, GOOD_PATH },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, ==, CC_VERDICT_BLOCKED);
  g_assert_nonnull (strstr (cc_requirement_get_summary (find (store, "signaling")), "wants a login"));
  g_assert_null (strstr (cc_requirement_get_hint (find (store, "signaling")), "ask IT"));
}

/* The relay refused the TURN login from a file (a second 401): its paths
 * work — the relay rows pass — and the summary names the login and its file;
 * nothing for IT. */
static void
test_refused_turn_login (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED, .turn_login = "/tmp/ice.json" },
    { TURN_TCP, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED, .turn_login = "/tmp/ice.json" },
    { BURST, PASSES, GOOD_PATH },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);

  g_assert_cmpint (verdict, !=, CC_VERDICT_BLOCKED);
  g_assert_cmpint (cc_requirement_get_status (find (store, "turn-udp")), ==, CC_STATUS_PASS);
  g_assert_cmpint (cc_requirement_get_status (find (store, "turn-tcp")), ==, CC_STATUS_PASS);
  g_assert_nonnull (strstr (summary, "/tmp/ice.json"));
  g_assert_null (strstr (summary, "IT department"));
}

/* Every requirement has a whole entry, in the checklist's order, with an id
 * of its own that leads back to it; some requirement is a media path. */
static void
test_catalogue (void)
{
  guint paths = 0;

  for (CcRequirementKind kind = 0; kind < CC_N_REQUIREMENTS; kind++)
    {
      const CcCatalogueEntry *entry = cc_catalogue_get_entry (kind);
      CcRequirementKind found = CC_N_REQUIREMENTS;

      g_assert_cmpint (entry->kind, ==, kind);
      g_assert_nonnull (entry->id);
      g_assert_cmpstr (cc_requirement_kind_to_id (kind), ==, entry->id);
      g_assert_true (cc_requirement_kind_from_id (entry->id, &found));
      g_assert_cmpint (found, ==, kind);
      g_assert_nonnull (entry->title);
      g_assert_nonnull (entry->build);
      g_assert_nonnull (entry->impact);
      g_assert_nonnull (entry->pass_summary);
      g_assert_nonnull (entry->it_request);
      g_assert_nonnull (entry->it_allow);
      paths += (entry->weight & CC_WEIGHT_MEDIA_PATH) != 0;
    }
  g_assert_cmpuint (paths, >, 0);
  g_assert_false (cc_requirement_kind_from_id ("no-such-requirement", NULL));
}

/* The relay over UDP and a supporting domain both fail: degraded, and the
 * summary names the relay (the lower reason rank), not the domain. */
static void
test_reason_order (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { TURN_UDP, CC_STATUS_FAIL, CC_ERROR_TIMEOUT }, { TURN_TCP, PASSES },
    { BURST, PASSES, GOOD_PATH }, { DOMAIN, CC_STATUS_FAIL, CC_ERROR_REFUSED },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);
  CcRequirement *turn_udp = find (store, "turn-udp");

  g_assert_cmpint (verdict, ==, CC_VERDICT_DEGRADED);
  g_assert_nonnull (strstr (summary, cc_catalogue_get_entry (CC_REQUIREMENT_TURN_UDP)->impact (turn_udp, CC_STATUS_FAIL)));
}

/* A secondary WebSocket fails, the essential one works: signaling warns,
 * which degrades calls (it does not block them). */
static void
test_signaling_warns (void)
{
  const MadeUp checks[] = {
    { WS, PASSES }, { WS_MORE, CC_STATUS_FAIL, CC_ERROR_REFUSED }, { TURN_UDP, PASSES },
    { TURN_TCP, PASSES }, { BURST, PASSES, GOOD_PATH },
  };
  CcVerdict verdict;
  g_autofree char *summary = NULL;
  g_autoptr(GListStore) store = judge (checks, G_N_ELEMENTS (checks), &verdict, &summary);
  CcRequirement *signaling = find (store, "signaling");

  g_assert_cmpint (cc_requirement_get_status (signaling), ==, CC_STATUS_WARN);
  g_assert_cmpint (verdict, ==, CC_VERDICT_DEGRADED);
  g_assert_nonnull (strstr (summary, cc_catalogue_get_entry (CC_REQUIREMENT_SIGNALING)->impact (signaling, CC_STATUS_WARN)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diagnosis/ready", test_ready);
  g_test_add_func ("/diagnosis/signaling-blocked", test_signaling_blocked);
  g_test_add_func ("/diagnosis/no-media-path", test_no_media_path);
  g_test_add_func ("/diagnosis/udp-dropped", test_udp_dropped);
  g_test_add_func ("/diagnosis/one-alternative", test_one_alternative);
  g_test_add_func ("/diagnosis/supporting-domain", test_supporting_domain);
  g_test_add_func ("/diagnosis/lossy-path", test_lossy_path);
  g_test_add_func ("/diagnosis/long-delay", test_long_delay);
  g_test_add_func ("/diagnosis/proxy-login", test_proxy_login);
  g_test_add_func ("/diagnosis/refused-turn-login", test_refused_turn_login);
  g_test_add_func ("/diagnosis/catalogue", test_catalogue);
  g_test_add_func ("/diagnosis/reason-order", test_reason_order);
  g_test_add_func ("/diagnosis/signaling-warns", test_signaling_warns);

  return g_test_run ();
}
