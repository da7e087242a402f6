/* cc-diagnosis.c: turns check results into what a person reads.
 *
 * Rules (README "How results are judged"):
 *  - a requirement fails when an essential check fails, or when all of its
 *    alternative checks fail; it warns when some alternatives or a supporting check
 *    fail, or a measured media path is poor; it passes otherwise;
 *  - the verdict is `blocked` when signaling fails or no media path at all works
 *    (TURN over UDP, TURN over TCP/TLS and UDP high ports all fail), `degraded`
 *    when media cannot use UDP, signaling only partly works, or domains fail, and
 *    `ready` otherwise;
 *  - a device from which nothing got out (no name resolved, no server answered)
 *    looks offline, whatever the system's network monitor says: `internet`
 *    fails and speaks to the person, not to IT;
 *  - `https-inspection` is skipped, not failed, when no check reached the
 *    server: what was never seen cannot be judged.
 * Hints name what IT must allow, built from the profile's hosts, ports and
 * domains, never written per host.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-call-check.h"
#include "cc-diagnosis.h"
#include "cc-network-check.h"

/* Media quality thresholds (good / fair / poor boundaries). Round-trip time after
 * ITU-T G.114 (one-way delay up to 150 ms is good for conversation, 400 ms the
 * limit for planning), halved to 100/250/400 ms round trip to leave room for the
 * jitter buffer and the far side's access network; loss and jitter as commonly
 * given for interactive voice and video (e.g. Cisco's QoS design guide: loss
 * below 1 %, jitter below 30 ms), with Opus/VP8 concealment making 3 % fair. */
#define CC_RTT_GOOD_MS     100.0
#define CC_RTT_FAIR_MS     250.0
#define CC_RTT_POOR_MS     400.0
#define CC_JITTER_GOOD_MS    5.0
#define CC_JITTER_FAIR_MS   10.0
#define CC_JITTER_POOR_MS   30.0
#define CC_LOSS_GOOD_PCT     1.0
#define CC_LOSS_FAIR_PCT     3.0
#define CC_LOSS_POOR_PCT     8.0

/* What a call needs to get through: CC_VIDEO_NEEDS_KBPS and
 * CC_AUDIO_NEEDS_KBPS, cc-call-check.h. */

const char *
cc_verdict_to_string (CcVerdict verdict)
{
  switch (verdict)
    {
    case CC_VERDICT_READY: return "ready";
    case CC_VERDICT_DEGRADED: return "degraded";
    case CC_VERDICT_BLOCKED: return "blocked";
    case CC_VERDICT_UNKNOWN:
    default: return "unknown";
    }
}

const char *
cc_quality_to_string (CcQuality quality)
{
  switch (quality)
    {
    case CC_QUALITY_GOOD: return "good";
    case CC_QUALITY_FAIR: return "fair";
    case CC_QUALITY_POOR: return "poor";
    case CC_QUALITY_UNKNOWN:
    default: return "unknown";
    }
}

static CcQuality
grade_one (double value,
           double good,
           double fair,
           double poor)
{
  if (value < 0)
    return CC_QUALITY_UNKNOWN;
  if (value <= good)
    return CC_QUALITY_GOOD;
  if (value <= fair)
    return CC_QUALITY_FAIR;
  if (value < poor)
    return CC_QUALITY_FAIR;
  return CC_QUALITY_POOR;
}

CcQuality
cc_diagnosis_grade (double rtt_ms,
                    double jitter_ms,
                    double loss_pct)
{
  CcQuality q = CC_QUALITY_UNKNOWN;

  q = MAX (q, grade_one (rtt_ms, CC_RTT_GOOD_MS, CC_RTT_FAIR_MS, CC_RTT_POOR_MS));
  q = MAX (q, grade_one (jitter_ms, CC_JITTER_GOOD_MS, CC_JITTER_FAIR_MS, CC_JITTER_POOR_MS));
  q = MAX (q, grade_one (loss_pct, CC_LOSS_GOOD_PCT, CC_LOSS_FAIR_PCT, CC_LOSS_POOR_PCT));

  return q;
}

CcQuality
cc_diagnosis_grade_check (CcCheck *check)
{
  CcQuality q;
  double capacity;

  g_return_val_if_fail (CC_IS_CHECK (check), CC_QUALITY_UNKNOWN);

  q = cc_diagnosis_grade (cc_check_get_rtt_ms (check), cc_check_get_jitter_ms (check),
                          cc_check_get_loss_pct (check));
  capacity = cc_call_check_get_capacity_kbps (check);
  if (capacity >= 0 && capacity < CC_AUDIO_NEEDS_KBPS)
    q = MAX (q, CC_QUALITY_POOR);
  else if (capacity >= 0 && capacity < CC_VIDEO_NEEDS_KBPS)
    q = MAX (q, CC_QUALITY_FAIR);

  return q;
}

#define CC_TURN_LOGIN_KEY "cc-turn-login"
#define CC_PROXY_LOGIN_KEY "cc-proxy-login-refused"

void
cc_diagnosis_mark_turn_login (CcCheck    *check,
                              const char *source)
{
  g_return_if_fail (CC_IS_CHECK (check));

  /* "" stands for the preferences: the data must not be NULL. */
  g_object_set_data_full (G_OBJECT (check), CC_TURN_LOGIN_KEY, g_strdup (source ? source : ""), g_free);
}

/* A TURN allocation (or the test call that needed it) that failed because
 * the relay refused the login given: the relay answered, twice (RFC 8489
 * §9.2.5: a second 401 for the same realm means wrong or expired
 * credentials), so the path to it works. Over TCP and TLS through a proxy
 * that wants a login, auth-required may be the proxy's instead
 * (cc_diagnosis_note_proxy_login ()). */
static gboolean
relay_refused_login (CcCheck *check)
{
  return cc_check_get_status (check) == CC_STATUS_FAIL &&
         cc_check_get_error (check) == CC_ERROR_AUTH_REQUIRED &&
         (cc_check_is_kind (check, CC_CHECK_KIND_TURN_ALLOCATE) || cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL)) &&
         g_object_get_data (G_OBJECT (check), CC_TURN_LOGIN_KEY) != NULL &&
         g_object_get_data (G_OBJECT (check), CC_PROXY_LOGIN_KEY) == NULL;
}

/* The first check of @req whose login the relay refused, or NULL. */
static CcCheck *
find_refused_login (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (relay_refused_login (check))
        return check;
    }
  return NULL;
}

/* For the person: the login is wrong or expired, where it came from, and
 * that the network is not the problem. */
static char *
refused_login_hint (CcCheck *check)
{
  const char *source = g_object_get_data (G_OBJECT (check), CC_TURN_LOGIN_KEY);

  if (source == NULL || source[0] == '\0')
    return g_strdup (_("The relay answered, so the network lets it through, but it refused the TURN username and password from this app’s preferences: they are wrong, or they were time-limited and have expired. Enter a current login in the preferences and test again to measure a call; nothing needs to change on the network."));
  return g_strdup_printf (_("The relay answered, so the network lets it through, but it refused the TURN username and password in the file %s: they are wrong, or they were time-limited and have expired (such logins often last only hours). Get a current login from whoever gave you the file and test again to measure a call; nothing needs to change on the network."),
                          source);
}

/* A burst that got through but measured a poor path counts as a warning. A
 * relay that refused the login given answered: its path passes, and a test
 * call that could not be made for that reason measured nothing. */
static CcStatus
effective_status (CcCheck *check)
{
  CcStatus status = cc_check_get_status (check);

  if (relay_refused_login (check))
    return cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL) ? CC_STATUS_SKIP : CC_STATUS_PASS;

  if (status == CC_STATUS_PASS &&
      (cc_check_is_kind (check, CC_CHECK_KIND_MEDIA_BURST) ||
       cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL)) &&
      cc_diagnosis_grade_check (check) == CC_QUALITY_POOR)
    return CC_STATUS_WARN;

  /* The call's ramp found the path too narrow for video. */
  if (status == CC_STATUS_PASS && cc_call_check_get_capacity_kbps (check) >= 0 &&
      cc_call_check_get_capacity_kbps (check) < CC_VIDEO_NEEDS_KBPS)
    return CC_STATUS_WARN;

  return status;
}

static char *describe_path (CcCheck *check);

/* A quality finding: packets arrive, but too few, too late or too unevenly
 * (a burst or a call graded poor, a call that warned about its path). No
 * error class: the path works (DESIGN.md), it works poorly. */
static gboolean
is_quality_finding (CcCheck *check)
{
  return check != NULL && cc_check_get_error (check) == CC_ERROR_NONE &&
         effective_status (check) == CC_STATUS_WARN &&
         (cc_check_is_kind (check, CC_CHECK_KIND_MEDIA_BURST) ||
          cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL));
}

/* What the test call got through, against what calls need. */
static char *
throughput_sentence (CcCheck *check)
{
  double kbps = cc_call_check_get_throughput_kbps (check);
  const char *verdict;

  if (kbps < CC_AUDIO_NEEDS_KBPS)
    verdict = _("That is too little even for audio.");
  else if (kbps < CC_VIDEO_NEEDS_KBPS)
    verdict = _("That is enough for audio, but too little for good video: turning video off helps.");
  else
    verdict = "";

  return g_strdup_printf (_("The test call got about %.0f kbit/s through; a video call needs about %.0f kbit/s, an audio-only call about %.0f kbit/s. %s"),
                          kbps, CC_VIDEO_NEEDS_KBPS, CC_AUDIO_NEEDS_KBPS, verdict);
}

/* For the person, not for IT: what was measured, what a call needs, where
 * such trouble usually comes from and what to try. The thresholds are the
 * grades' (see above). IT would only be named with evidence that a device in
 * the path shapes the traffic, which these measurements do not give. */
static char *
quality_hint (CcCheck *check)
{
  g_autofree char *path = describe_path (check);
  g_autofree char *measured = NULL;
  g_autofree char *needs = NULL;

  if (cc_check_get_loss_pct (check) >= 0)
    measured = g_strdup_printf (_("Measured over %s: %.1f %% of packets lost, %.0f ms round trip, %.0f ms jitter."),
                                path, cc_check_get_loss_pct (check), MAX (0, cc_check_get_rtt_ms (check)),
                                MAX (0, cc_check_get_jitter_ms (check)));
  else
    measured = g_strdup (cc_check_get_detail (check) ? cc_check_get_detail (check) : "");
  needs = g_strdup_printf (_("A call runs well below %.0f %% loss, %.0f ms round trip and %.0f ms jitter, and suffers from %.0f %%, %.0f ms or %.0f ms."),
                           CC_LOSS_GOOD_PCT, CC_RTT_GOOD_MS, CC_JITTER_GOOD_MS,
                           CC_LOSS_POOR_PCT, CC_RTT_POOR_MS, CC_JITTER_POOR_MS);
  if (cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL) && cc_check_get_bitrate_kbps (check) >= 0)
    {
      g_autofree char *rate = throughput_sentence (check);
      char *both = g_strjoin (" ", measured, rate, NULL);

      g_free (measured);
      measured = both;
    }

  return g_strjoin (" ", measured, needs,
                    _("The ports are open: this is the connection’s quality. It usually comes from a weak Wi-Fi signal, other traffic on the same link (downloads, backups, video streams, other calls) or a long path (satellite or mobile links, a distant VPN)."),
                    _("Try a network cable or a place closer to the Wi-Fi access point, pause large transfers, and test again."),
                    NULL);
}

static CcStatus
compute_status (CcRequirement *req,
                CcCheck      **primary)
{
  GListModel *checks = cc_requirement_get_checks (req);
  guint n = g_list_model_get_n_items (checks);
  guint alternatives = 0, alternatives_failed = 0, done = 0, skipped = 0;
  gboolean essential_failed = FALSE, warned = FALSE;
  CcCheck *first_essential = NULL, *first_alternative = NULL, *first_warn = NULL;

  *primary = NULL;

  if (n == 0)
    return CC_STATUS_SKIP;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
      CcCheckRole role = cc_requirement_get_role (req, i);
      CcStatus status = effective_status (check);

      if (status == CC_STATUS_PENDING || status == CC_STATUS_RUNNING)
        continue;

      done++;
      if (status == CC_STATUS_SKIP)
        {
          skipped++;
          continue;
        }

      if (role == CC_CHECK_ROLE_ALTERNATIVE)
        alternatives++;

      if (status == CC_STATUS_FAIL)
        {
          switch (role)
            {
            case CC_CHECK_ROLE_ESSENTIAL:
              essential_failed = TRUE;
              if (first_essential == NULL)
                first_essential = check;
              break;
            case CC_CHECK_ROLE_ALTERNATIVE:
              alternatives_failed++;
              if (first_alternative == NULL)
                first_alternative = check;
              break;
            case CC_CHECK_ROLE_SUPPORTING:
            default:
              warned = TRUE;
              if (first_warn == NULL)
                first_warn = check;
              break;
            }
        }
      else if (status == CC_STATUS_WARN)
        {
          warned = TRUE;
          if (first_warn == NULL)
            first_warn = check;
        }
    }

  if (done < n)
    return CC_STATUS_RUNNING;

  if (skipped == n)
    return CC_STATUS_SKIP;

  if (essential_failed)
    {
      *primary = first_essential;
      return CC_STATUS_FAIL;
    }

  if (alternatives > 0 && alternatives_failed == alternatives)
    {
      *primary = first_alternative;
      return CC_STATUS_FAIL;
    }

  if (alternatives_failed > 0)
    {
      *primary = first_alternative;
      return CC_STATUS_WARN;
    }

  if (warned)
    {
      *primary = first_warn;
      return CC_STATUS_WARN;
    }

  return CC_STATUS_PASS;
}

/* The transport and port of a check's target, in words: "UDP port 443". */
static char *
describe_path (CcCheck *check)
{
  const char *transport = cc_check_get_transport (check);
  const char *target = cc_check_get_target (check);
  const char *colon = target ? strrchr (target, ':') : NULL;
  const char *proto;

  if (transport == NULL || colon == NULL)
    return g_strdup (target ? target : "");

  if (g_str_equal (transport, "udp"))
    proto = "UDP";
  else if (g_str_equal (transport, "tls"))
    proto = "TLS";
  else
    proto = "TCP";

  /* TRANSLATORS: "UDP port 443", "TCP port 443" */
  return g_strdup_printf (_("%s port %s"), proto, colon + 1);
}

static char *
target_host (CcCheck *check)
{
  const char *target = cc_check_get_target (check);
  const char *colon;

  if (target == NULL)
    return g_strdup ("");

  if (target[0] == '[')
    {
      const char *close = strchr (target, ']');
      return close ? g_strndup (target + 1, close - target - 1) : g_strdup (target);
    }

  colon = strrchr (target, ':');
  if (colon != NULL && strchr (target, ':') == colon)
    return g_strndup (target, colon - target);

  return g_strdup (target);
}

/* "Blocked: UDP port 443 gets no answer" */
/* A certificate from a trusted authority, only for another name: what captive
 * portals and redirecting filters present. */
static gboolean
wrong_name_only (CcCheck *check)
{
  return cc_check_get_tls_errors (check) == G_TLS_CERTIFICATE_BAD_IDENTITY;
}

static char *
describe_failure (CcCheck *check)
{
  g_autofree char *path = describe_path (check);
  g_autofree char *host = target_host (check);
  const char *issuer = cc_check_get_tls_issuer (check);

  /* HTTPS inspection by a certificate authority this device trusts. */
  if (cc_check_has_tls_root (check, CC_TLS_ROOT_PRIVATE))
    {
      if (cc_check_get_error (check) == CC_ERROR_NONE)
        return g_strdup_printf (_("secure connections to %s are inspected by “%s”"),
                                host, issuer ? issuer : "?");
      if (cc_check_get_http_status (check) != 0)
        return g_strdup_printf (_("secure connections to %s are inspected by “%s”, which refuses WebSocket connections (HTTP %u)"),
                                host, issuer ? issuer : "?", cc_check_get_http_status (check));
      return g_strdup_printf (_("secure connections to %s are inspected by “%s”, and WebSocket connections through it fail"),
                              host, issuer ? issuer : "?");
    }

  switch (cc_check_get_error (check))
    {
    case CC_ERROR_TIMEOUT:
      return g_strdup_printf (_("%s gets no answer from %s"), path, host);
    case CC_ERROR_REFUSED:
      return g_strdup_printf (_("%s to %s is refused"), path, host);
    case CC_ERROR_UNREACHABLE:
      return g_strdup_printf (_("%s is unreachable"), host);
    case CC_ERROR_DNS_FAILURE:
      if (cc_check_get_lookup_timed_out (check))
        return g_strdup_printf (_("the name lookup for %s got no answer in time"), host);
      return g_strdup_printf (_("the name %s does not resolve"), host);
    case CC_ERROR_DNS_SINKHOLE:
      return g_strdup_printf (_("the name %s resolves to a blocking address (%s)"),
                              host, cc_check_get_address (check) ? cc_check_get_address (check) : "?");
    case CC_ERROR_TLS_UNTRUSTED:
      if (wrong_name_only (check))
        return g_strdup_printf (_("secure connections to %s are answered with a certificate for another name"),
                                host);
      return g_strdup_printf (_("secure connections to %s are intercepted by “%s”"),
                              host, issuer ? issuer : _("an unknown issuer"));
    case CC_ERROR_TLS_FAILURE:
      return g_strdup_printf (_("the secure connection to %s fails"), host);
    case CC_ERROR_HTTP_STATUS:
      return g_strdup_printf (_("%s answers HTTP %u"), host, cc_check_get_http_status (check));
    case CC_ERROR_WEBSOCKET_REJECTED:
      if (cc_check_get_http_status (check) != 0)
        return g_strdup_printf (_("the WebSocket to %s is refused (HTTP %u)"),
                                host, cc_check_get_http_status (check));
      return g_strdup_printf (_("the WebSocket to %s is refused"), host);
    case CC_ERROR_CONNECTION_CUT:
      return g_strdup_printf (_("the connection to %s is cut"), host);
    case CC_ERROR_PROXY_FAILURE:
      return g_strdup_printf (_("the proxy refuses to connect to %s"), host);
    case CC_ERROR_AUTH_REQUIRED:
      /* A relay's refusal of a login is judged apart (relay_refused_login ()):
       * what is left is the proxy's 407. */
      if (!cc_check_is_kind (check, CC_CHECK_KIND_TURN_ALLOCATE) &&
          !cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL))
        return g_strdup_printf (_("the proxy wants a login before it connects to %s"), host);
      return g_strdup_printf (_("%s asks for credentials"), host);
    case CC_ERROR_PROTOCOL_ERROR:
      return g_strdup_printf (_("%s on %s answers, but not as expected"), path, host);
    case CC_ERROR_CANCELLED:
      return g_strdup (_("the test was stopped"));
    case CC_ERROR_NONE:
    default:
      /* A call whose numbers are fine but whose ramp found the path narrow. */
      if (cc_diagnosis_grade (cc_check_get_rtt_ms (check), cc_check_get_jitter_ms (check),
                              cc_check_get_loss_pct (check)) != CC_QUALITY_POOR &&
          cc_call_check_get_capacity_kbps (check) >= 0 &&
          cc_call_check_get_capacity_kbps (check) < CC_VIDEO_NEEDS_KBPS)
        return g_strdup_printf (_("%s to %s carries only about %.0f kbit/s (video needs about %.0f)"),
                                path, host, cc_call_check_get_capacity_kbps (check), CC_VIDEO_NEEDS_KBPS);
      if (cc_check_get_rtt_ms (check) >= 0 && cc_check_get_loss_pct (check) >= 0)
        return g_strdup_printf (_("%s to %s is poor (%.1f %% loss, %.0f ms jitter, %.0f ms round trip)"),
                                path, host, cc_check_get_loss_pct (check),
                                MAX (0, cc_check_get_jitter_ms (check)), cc_check_get_rtt_ms (check));
      return g_strdup (cc_check_get_detail (check) ? cc_check_get_detail (check) : "");
    }
}

/* One sentence saying why, for the error class of the primary failure. */
static char *
explain_cause (CcCheck *check)
{
  const char *issuer = cc_check_get_tls_issuer (check);

  if (cc_check_has_tls_root (check, CC_TLS_ROOT_PRIVATE))
    {
      if (cc_check_get_error (check) == CC_ERROR_NONE)
        return g_strdup_printf (_("A proxy or filter decrypts secure connections with the certificate authority “%s”, which was installed on this device (it is not a public one). WebSocket connections still get through it, so calls work, but a change to its rules could stop them."),
                                issuer ? issuer : "?");
      return g_strdup_printf (_("A proxy or filter decrypts secure connections with the certificate authority “%s”, which was installed on this device (it is not a public one), and it does not let the secure WebSocket connection calls need through."),
                              issuer ? issuer : "?");
    }

  switch (cc_check_get_error (check))
    {
    case CC_ERROR_TIMEOUT:
      return g_strdup (_("The connections get no answer at all: a firewall is most likely dropping them silently."));
    case CC_ERROR_REFUSED:
      return g_strdup (_("A firewall actively refuses these connections."));
    case CC_ERROR_UNREACHABLE:
      return g_strdup (_("The network reports that it has no route to these servers."));
    case CC_ERROR_DNS_FAILURE:
      if (cc_check_get_lookup_timed_out (check))
        return g_strdup (_("Name lookups (DNS) on this network are slow or lose packets: the name server did not answer in time, even when asked again."));
      return g_strdup (_("This device cannot look up the servers’ names (DNS)."));
    case CC_ERROR_DNS_SINKHOLE:
      return g_strdup_printf (_("A filter answers the name lookup with a blocking address (%s) instead of the real server."),
                              cc_check_get_address (check) ? cc_check_get_address (check) : "?");
    case CC_ERROR_TLS_UNTRUSTED:
      if (wrong_name_only (check))
        return g_strdup (_("Something answers in place of the servers, with a valid certificate for another name: most likely a captive portal (the sign-in page of a hotel, airport or guest network). Open any web page, sign in or accept the terms, then test again; if no sign-in page appears, a filter redirects secure connections."));
      return g_strdup_printf (_("Something on the network intercepts secure connections: the certificate was issued by “%s”, which this device does not trust."),
                              issuer ? issuer : _("an unknown issuer"));
    case CC_ERROR_TLS_FAILURE:
      return g_strdup (_("Secure (TLS) connections to these servers fail."));
    case CC_ERROR_WEBSOCKET_REJECTED:
      return g_strdup_printf (_("Ordinary web traffic gets through, but a proxy or firewall refuses the secure WebSocket connection calls need (HTTP %u)."),
                              cc_check_get_http_status (check));
    case CC_ERROR_CONNECTION_CUT:
      return g_strdup (_("Connections open but are cut shortly after, so calls would drop."));
    case CC_ERROR_AUTH_REQUIRED:
      return g_strdup (_("A proxy or server asks for credentials before it lets the connection through."));
    case CC_ERROR_PROXY_FAILURE:
      return g_strdup (_("The proxy refuses to connect to these servers."));
    case CC_ERROR_PROTOCOL_ERROR:
      return g_strdup (_("Something answers on this port, but not the way the real server would: probably a filter or another service in the way."));
    case CC_ERROR_HTTP_STATUS:
      return g_strdup_printf (_("The server answered with an unexpected status (HTTP %u)."),
                              cc_check_get_http_status (check));
    case CC_ERROR_CANCELLED:
      return g_strdup (_("The test was stopped before this finished."));
    case CC_ERROR_NONE:
    default:
      if (cc_check_is_kind (check, CC_CHECK_KIND_MEDIA_BURST))
        return g_strdup_printf (_("Packets get through, but %.1f %% are lost, the delay varies by %.0f ms and a round trip takes %.0f ms: calls may stutter."),
                                cc_check_get_loss_pct (check), MAX (0, cc_check_get_jitter_ms (check)),
                                cc_check_get_rtt_ms (check));
      return g_strdup (cc_check_get_detail (check) ? cc_check_get_detail (check) : "");
    }
}

static void
add_unique (GPtrArray  *list,
            const char *item)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (list->pdata[i], item))
      return;
  g_ptr_array_add (list, (gpointer) item);
}

static char *
join (GPtrArray *list)
{
  g_ptr_array_add (list, NULL);
  return g_strjoinv (", ", (char **) list->pdata);
}

static char *
domains_with_role (CcProfile    *profile,
                   CcDomainRole  role)
{
  GPtrArray *domains = cc_profile_get_domains (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < domains->len; i++)
    {
      CcProfileDomain *domain = domains->pdata[i];

      if (domain->role == role)
        add_unique (list, domain->pattern);
    }

  return join (list);
}

static char *
turn_hosts (CcProfile   *profile,
            CcTransport  transports)
{
  GPtrArray *servers = cc_profile_get_turn_servers (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < servers->len; i++)
    {
      CcProfileTurn *turn = servers->pdata[i];

      if (turn->transports & transports)
        add_unique (list, turn->host);
    }

  return join (list);
}

static char *
turn_ports (CcProfile   *profile,
            CcTransport  transports)
{
  GPtrArray *servers = cc_profile_get_turn_servers (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) view = g_ptr_array_new ();

  for (guint i = 0; i < servers->len; i++)
    {
      CcProfileTurn *turn = servers->pdata[i];

      if (turn->transports & transports & (CC_TRANSPORT_UDP | CC_TRANSPORT_TCP))
        g_ptr_array_add (list, g_strdup_printf ("%u", turn->port));
      if (turn->transports & transports & CC_TRANSPORT_TLS)
        g_ptr_array_add (list, g_strdup_printf ("%u", turn->tls_port));
    }

  for (guint i = 0; i < list->len; i++)
    add_unique (view, list->pdata[i]);

  return join (view);
}

static char *
websocket_ports (CcProfile *profile)
{
  GPtrArray *sockets = cc_profile_get_websockets (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) view = g_ptr_array_new ();

  for (guint i = 0; i < sockets->len; i++)
    g_ptr_array_add (list, g_strdup_printf ("%u", ((CcProfileWebsocket *) sockets->pdata[i])->port));

  for (guint i = 0; i < list->len; i++)
    add_unique (view, list->pdata[i]);

  return join (view);
}

static char *
stun_hosts (CcProfile *profile)
{
  GPtrArray *servers = cc_profile_get_stun_servers (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < servers->len; i++)
    add_unique (list, ((CcProfileStun *) servers->pdata[i])->host);

  return join (list);
}

static char *
websocket_hosts (CcProfile *profile)
{
  GPtrArray *sockets = cc_profile_get_websockets (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < sockets->len; i++)
    add_unique (list, ((CcProfileWebsocket *) sockets->pdata[i])->host);

  return join (list);
}

/* "host, host and the domains *.a, *.b" — or only the one that is not empty. */
static char *
hosts_and_domains (const char *hosts,
                   const char *domains)
{
  if (domains[0] == '\0')
    return g_strdup (hosts);
  if (hosts[0] == '\0')
    return g_strdup (domains);
  /* TRANSLATORS: a list of host names, then a list of domain patterns */
  return g_strdup_printf (_("%s and the domains %s"), hosts, domains);
}

/* The failing domains' patterns, and the ones that can only be allowed as written. */
static void
collect_domains (CcRequirement  *req,
                 char          **failing,
                 char          **unverified)
{
  GListModel *checks = cc_requirement_get_checks (req);
  g_autoptr(GPtrArray) f = g_ptr_array_new ();
  g_autoptr(GPtrArray) s = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
      const char *pattern = cc_check_get_domain (check);

      if (pattern == NULL)
        continue;

      if (effective_status (check) == CC_STATUS_FAIL)
        add_unique (f, pattern);
      else if (cc_check_is_kind (check, CC_CHECK_KIND_UNVERIFIED))
        add_unique (s, pattern);
    }

  *failing = join (f);
  *unverified = join (s);
}

static char *
it_request (CcRequirement *req,
            CcProfile     *profile)
{
  CcRequirementKind kind = cc_requirement_get_kind (req);

  if (kind == CC_REQUIREMENT_SIGNALING)
    {
      g_autofree char *hosts = websocket_hosts (profile);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);
      g_autofree char *targets = hosts_and_domains (hosts, domains);
      g_autofree char *ports = websocket_ports (profile);

      /* TRANSLATORS: "…outbound TCP port 443 to host and the domains *.a, *.b…" */
      return g_strdup_printf (_("Please ask IT to allow outbound TCP port %s to %s, including secure WebSocket (wss) connections through any proxy or HTTPS filter."),
                              ports, targets);
    }

  if (kind == CC_REQUIREMENT_TURN_UDP)
    {
      g_autofree char *hosts = turn_hosts (profile, CC_TRANSPORT_UDP);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);
      g_autofree char *targets = hosts_and_domains (hosts, domains);
      g_autofree char *ports = turn_ports (profile, CC_TRANSPORT_UDP);

      return g_strdup_printf (_("Please ask IT to allow outbound UDP port %s to %s."), ports, targets);
    }

  if (kind == CC_REQUIREMENT_TURN_TCP)
    {
      g_autofree char *hosts = turn_hosts (profile, CC_TRANSPORT_TCP | CC_TRANSPORT_TLS);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);
      g_autofree char *targets = hosts_and_domains (hosts, domains);
      g_autofree char *ports = turn_ports (profile, CC_TRANSPORT_TCP | CC_TRANSPORT_TLS);

      return g_strdup_printf (_("Please ask IT to allow outbound TCP port %s (TURN over TCP and TLS) to %s."),
                              ports, targets);
    }

  if (kind == CC_REQUIREMENT_MEDIA_UDP)
    {
      g_autofree char *hosts = stun_hosts (profile);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);
      g_autofree char *targets = hosts_and_domains (hosts, domains);

      return g_strdup_printf (_("Please ask IT to allow outbound UDP ports %s to %s."),
                              cc_profile_get_media_ports (profile), targets);
    }

  if (kind == CC_REQUIREMENT_DOMAINS)
    {
      g_autofree char *failing = NULL;
      g_autofree char *unverified = NULL;
      GString *text = g_string_new (NULL);

      collect_domains (req, &failing, &unverified);
      if (failing[0] != '\0')
        g_string_append_printf (text, _("Please ask IT to allow outbound HTTPS (TCP port 443) to %s."),
                                failing);
      if (unverified[0] != '\0')
        {
          if (text->len > 0)
            g_string_append_c (text, ' ');
          g_string_append_printf (text, _("These domains could not be tested from here because their names are assigned per call or per customer; allow them as written: %s."),
                                  unverified);
        }
      return g_string_free (text, FALSE);
    }

  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION)
    {
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);

      return g_strdup_printf (_("Please ask IT to exclude %s from HTTPS inspection, or at least to let WebSocket connections to them through."),
                              domains[0] ? domains : cc_profile_get_title (profile));
    }

  if (kind == CC_REQUIREMENT_INTERNET)
    return g_strdup (_("Check that this device is connected (Wi-Fi or cable) and can open web pages; if it can, ask IT why names cannot be looked up (DNS)."));

  return g_strdup ("");
}

/* Whether the https-inspection checks saw inspection at all (a certificate
 * this device does not trust or that chains to a private root, a broken TLS
 * session, a refused WebSocket) rather than failing to reach the server. */
static gboolean
saw_inspection (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
      CcError error = cc_check_get_error (check);

      if (error == CC_ERROR_TLS_UNTRUSTED || error == CC_ERROR_TLS_FAILURE ||
          error == CC_ERROR_WEBSOCKET_REJECTED ||
          cc_check_has_tls_root (check, CC_TLS_ROOT_PRIVATE))
        return TRUE;
    }
  return FALSE;
}

/* Whether @req is `internet` and its network check says the device is offline:
 * the system reports no network and no route, or the run's evidence said so. */
static gboolean
looks_offline (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  if (cc_requirement_get_kind (req) != CC_REQUIREMENT_INTERNET)
    return FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (CC_IS_NETWORK_CHECK (check))
        return cc_check_get_status (check) == CC_STATUS_FAIL &&
               cc_check_get_error (check) == CC_ERROR_UNREACHABLE;
    }
  return FALSE;
}

static const char *
impact (CcRequirement *req,
        CcStatus       status)
{
  CcRequirementKind kind = cc_requirement_get_kind (req);

  if (kind == CC_REQUIREMENT_SIGNALING)
    return status == CC_STATUS_FAIL
      ? _("Calls cannot start: the app cannot reach the signaling service that sets them up.")
      : _("A secondary signaling connection does not work; calls start, but some features may not.");
  if (kind == CC_REQUIREMENT_TURN_UDP)
    return _("Audio and video cannot take the fast path (UDP) to the relay servers; calls fall back to TCP with lower quality.");
  if (kind == CC_REQUIREMENT_TURN_TCP)
    return _("The fallback path for audio and video (the relay over TCP and TLS) does not work; on networks without UDP, calls would fail.");
  if (kind == CC_REQUIREMENT_MEDIA_UDP)
    return status == CC_STATUS_FAIL
      ? _("Audio and video cannot use UDP high ports to the media servers, which gives the best quality.")
      : _("The UDP path to the media servers works, but not well.");
  if (kind == CC_REQUIREMENT_DOMAINS)
    return status == CC_STATUS_FAIL
      ? _("Some of the addresses calls depend on cannot be reached.")
      : _("Some supporting services (analytics, help, avatars) cannot be reached: calls work, but parts of the app may not.");
  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION && !saw_inspection (req))
    return _("Whether a proxy inspects HTTPS traffic cannot be told: the signaling server cannot be reached.");
  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION)
    return status == CC_STATUS_FAIL
      ? _("A proxy or filter inspects HTTPS traffic and breaks the connections calls need.")
      : _("A proxy or filter inspects HTTPS traffic; it lets calls through for now.");
  if (kind == CC_REQUIREMENT_INTERNET)
    return status == CC_STATUS_FAIL
      ? _("This device does not seem to be fully online.")
      : _("Some names do not resolve while others do: a filter may be blocking them by name.");
  return "";
}

static char *
pass_summary (CcRequirement *req)
{
  CcRequirementKind kind = cc_requirement_get_kind (req);
  GListModel *checks = cc_requirement_get_checks (req);
  guint n = g_list_model_get_n_items (checks);
  guint unverified = 0;
  gboolean unknown_root = FALSE;
  g_autofree char *issuer = NULL;
  double loss = -1, jitter = -1, rtt = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (cc_check_is_kind (check, CC_CHECK_KIND_UNVERIFIED))
        unverified++;
      if (issuer == NULL && cc_check_get_tls_issuer (check) != NULL)
        issuer = g_strdup (cc_check_get_tls_issuer (check));
      if (cc_check_has_tls_root (check, CC_TLS_ROOT_UNKNOWN))
        unknown_root = TRUE;
      if (cc_check_is_kind (check, CC_CHECK_KIND_MEDIA_BURST) &&
          cc_check_get_loss_pct (check) >= 0 && loss < 0)
        {
          loss = cc_check_get_loss_pct (check);
          jitter = cc_check_get_jitter_ms (check);
          rtt = cc_check_get_rtt_ms (check);
        }
    }

  if (kind == CC_REQUIREMENT_INTERNET)
    return g_strdup (_("Connected, and names resolve"));
  if (kind == CC_REQUIREMENT_SIGNALING)
    return g_strdup (_("Secure WebSocket connections work"));
  if (kind == CC_REQUIREMENT_TURN_TCP)
    return g_strdup (_("The relay answers over TCP and TLS"));
  if (kind == CC_REQUIREMENT_TURN_UDP)
    return g_strdup (_("The relay answers over UDP"));
  if (kind == CC_REQUIREMENT_MEDIA_UDP && loss >= 0)
    return g_strdup_printf (_("UDP high ports work (%.1f %% loss, %.0f ms jitter, %.0f ms round trip)"),
                            loss, MAX (0, jitter), MAX (0, rtt));
  if (kind == CC_REQUIREMENT_MEDIA_UDP)
    return g_strdup (_("UDP high ports reach the media servers"));
  if (kind == CC_REQUIREMENT_DOMAINS && unverified > 0)
    return g_strdup_printf (ngettext ("Every testable domain answers; %u can only be allowed as written",
                                      "Every testable domain answers; %u can only be allowed as written",
                                      unverified), unverified);
  if (kind == CC_REQUIREMENT_DOMAINS)
    return g_strdup (_("Every domain answers"));
  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION && issuer != NULL && unknown_root)
    return g_strdup_printf (_("Certificate from “%s”; this system lists no public authorities to compare it with"), issuer);
  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION && issuer != NULL)
    return g_strdup_printf (_("No interception found (certificate from “%s”)"), issuer);
  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION)
    return g_strdup (_("No interception found"));
  return g_strdup (_("Works"));
}

void
cc_diagnosis_update (CcRequirement *req,
                     CcProfile     *profile)
{
  CcCheck *primary = NULL;
  CcStatus status;
  g_autofree char *summary = NULL;
  g_autofree char *hint = NULL;

  g_return_if_fail (CC_IS_REQUIREMENT (req));
  g_return_if_fail (CC_IS_PROFILE (profile));

  status = compute_status (req, &primary);

  if (status == CC_STATUS_FAIL && looks_offline (req))
    {
      cc_requirement_set_result (req, status, _("This device looks offline"),
                                 _("Nothing got out: no name resolved and no server answered. Check that Wi-Fi is on and connected, or that the network cable is plugged in, and that web pages open; then run the test again."));
      return;
    }

  /* Checks that never reached the server cannot tell whether something
   * inspects HTTPS: a row that cannot be judged is not a failure. */
  if ((status == CC_STATUS_FAIL || status == CC_STATUS_WARN) &&
      cc_requirement_get_kind (req) == CC_REQUIREMENT_HTTPS_INSPECTION && !saw_inspection (req))
    {
      cc_requirement_set_result (req, CC_STATUS_SKIP, _("Cannot be told: the server was not reached"),
                                 impact (req, status));
      return;
    }

  /* A connection that failed because its name did not resolve, or resolved to
   * a sinkhole, is explained by the name lookup, not by the connection. */
  if (primary != NULL && !cc_check_is_kind (primary, CC_CHECK_KIND_DNS))
    {
      GListModel *checks = cc_requirement_get_checks (req);
      g_autofree char *host = target_host (primary);

      for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
          CcError code = cc_check_get_error (check);

          if (cc_check_is_kind (check, CC_CHECK_KIND_DNS) &&
              cc_check_get_status (check) == CC_STATUS_FAIL &&
              (code == CC_ERROR_DNS_SINKHOLE || code == CC_ERROR_DNS_FAILURE) &&
              g_strcmp0 (cc_check_get_target (check), host) == 0)
            {
              primary = check;
              break;
            }
        }
    }

  switch (status)
    {
    case CC_STATUS_PASS:
      summary = pass_summary (req);
      if (find_refused_login (req) != NULL)
        {
          g_autofree char *works = g_steal_pointer (&summary);

          if (cc_check_is_kind (find_refused_login (req), CC_CHECK_KIND_ICE_CALL))
            /* TRANSLATORS: "UDP high ports work (…); no test call: the relay refused the TURN login given (wrong or expired)" */
            summary = g_strdup_printf (_("%s; no test call: the relay refused the TURN login given (wrong or expired)"), works);
          else
            /* TRANSLATORS: "The relay answers over UDP; it refused the TURN login given (wrong or expired)" */
            summary = g_strdup_printf (_("%s; it refused the TURN login given (wrong or expired)"), works);
          hint = refused_login_hint (find_refused_login (req));
          break;
        }
      if (cc_requirement_get_kind (req) == CC_REQUIREMENT_DOMAINS)
        {
          g_autofree char *request = it_request (req, profile);
          if (request[0] != '\0')
            hint = g_steal_pointer (&request);
        }
      break;

    case CC_STATUS_WARN:
    case CC_STATUS_FAIL:
      {
        g_autofree char *what = primary ? describe_failure (primary) : g_strdup ("");
        g_autofree char *cause = primary ? explain_cause (primary) : g_strdup ("");
        g_autofree char *request = it_request (req, profile);

        summary = g_strdup_printf (status == CC_STATUS_FAIL
                                   /* TRANSLATORS: "Blocked: UDP port 443 gets no answer from host" */
                                   ? _("Blocked: %s")
                                   : is_quality_finding (primary)
                                   /* TRANSLATORS: "Slow: UDP port 3478 to host is poor (9.0 % loss, …)" */
                                   ? _("Slow: %s")
                                   /* TRANSLATORS: "Problem: the WebSocket to host is refused" */
                                   : _("Problem: %s"), what);
        if (status == CC_STATUS_WARN && is_quality_finding (primary))
          hint = quality_hint (primary);
        else if (primary != NULL && cc_check_get_error (primary) == CC_ERROR_AUTH_REQUIRED &&
                 !cc_check_is_kind (primary, CC_CHECK_KIND_TURN_ALLOCATE) &&
                 !cc_check_is_kind (primary, CC_CHECK_KIND_ICE_CALL))
          /* The way out is open, through a proxy that wants a login: the
           * person needs its username and password, not a rule from IT. */
          hint = g_strjoin (" ", impact (req, status),
                            _("The proxy this network uses wants a username and password before it connects anywhere. Enter them in the system’s proxy settings, or give the proxy as http://user:password@host:port, then test again; IT can tell you the login if you do not know it."),
                            NULL);
        else if (status == CC_STATUS_WARN && cc_requirement_get_kind (req) == CC_REQUIREMENT_INTERNET &&
            primary != NULL && cc_check_get_lookup_timed_out (primary))
          {
            /* No answer is not a filter: a filter answers (NXDOMAIN, REFUSED,
             * a sinkhole address). */
            hint = g_strjoin (" ", _("Some name lookups got no answer in time while others worked: name lookups on this network are slow or lose packets."),
                              _("Test again; if it keeps happening, use a cable or a better Wi-Fi signal, or ask IT to look at the name server (DNS)."),
                              NULL);
          }
        else if (status == CC_STATUS_WARN && cc_requirement_get_kind (req) == CC_REQUIREMENT_INTERNET && primary != NULL)
          {
            /* Some names resolve: not an offline device, a filter by name. */
            g_autofree char *host = target_host (primary);

            g_free (request);
            request = g_strdup_printf (_("Please ask IT whether a DNS filter blocks %s: calls need it to resolve."),
                                       host);
            hint = g_strjoin (" ", impact (req, status), request, NULL);
          }
        else
          hint = g_strjoin (" ", impact (req, status), cause, request, NULL);
      }
      break;

    case CC_STATUS_SKIP:
      {
        GListModel *checks = cc_requirement_get_checks (req);

        if (g_list_model_get_n_items (checks) == 0)
          summary = g_strdup (_("Not part of this profile"));
        else
          summary = g_strdup (_("Not tested"));
      }
      break;

    case CC_STATUS_RUNNING:
      summary = g_strdup (_("Testing…"));
      break;

    case CC_STATUS_PENDING:
    default:
      break;
    }

  cc_requirement_set_result (req, status, summary, hint);
}

static CcStatus
status_of (GListModel        *requirements,
           CcRequirementKind  kind,
           CcRequirement    **out)
{
  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);

      if (cc_requirement_get_kind (req) == kind)
        {
          if (out)
            *out = req;
          return cc_requirement_get_status (req);
        }
    }

  return CC_STATUS_SKIP;
}

static gboolean
is_bad (CcStatus status)
{
  return status == CC_STATUS_FAIL || status == CC_STATUS_WARN;
}

/* The test call of @req that measured a poor path, or NULL. */
static CcCheck *
slow_call (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL) && is_quality_finding (check) &&
          cc_check_get_bitrate_kbps (check) >= 0)
        return check;
    }
  return NULL;
}

/* Whether @req warns only because of how well its paths work. */
static gboolean
quality_only (CcRequirement *req)
{
  CcCheck *primary = NULL;

  return compute_status (req, &primary) == CC_STATUS_WARN && is_quality_finding (primary);
}

/* The verdict's words for a path that works, poorly: what limits it most —
 * too little throughput for video, a long round trip (a satellite hop: a
 * call lags, but nothing is lost), or loss and jitter. */
static char *
quality_summary (CcRequirement *req)
{
  CcCheck *primary = NULL;
  CcCheck *call = slow_call (req);
  CcCheck *measured;

  compute_status (req, &primary);
  measured = call != NULL ? call : primary;

  if (call != NULL && cc_call_check_get_throughput_kbps (call) < CC_VIDEO_NEEDS_KBPS)
    {
      g_autofree char *rate = throughput_sentence (call);

      return g_strjoin (" ", _("Calls connect from this network, but the connection is too slow for good quality."),
                        rate, _("The hints below say what else was measured and what to try."), NULL);
    }

  if (measured != NULL && cc_check_get_rtt_ms (measured) >= CC_RTT_POOR_MS)
    return g_strdup_printf (_("Calls connect from this network, but packets take long on their way: a %.0f ms round trip was measured, and calls suffer from %.0f ms on (people talk over each other). Satellite links and very long paths do this; nothing on the network needs to be opened. The hints below say what was measured."),
                            cc_check_get_rtt_ms (measured), CC_RTT_POOR_MS);

  return g_strdup (_("Calls connect from this network, but the connection is slow or loses packets, so audio and video may stutter. The hints below say what was measured and what to try."));
}

gboolean
cc_diagnosis_turn_login_refused (GListModel *requirements,
                                 gboolean   *no_call)
{
  gboolean refused = FALSE;
  guint calls = 0, calls_refused = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (requirements), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      GListModel *checks = cc_requirement_get_checks (req);

      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);
          gboolean is_call = cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL);

          calls += is_call;
          if (relay_refused_login (check))
            {
              refused = TRUE;
              calls_refused += is_call;
            }
        }
    }

  if (no_call != NULL)
    *no_call = calls > 0 && calls == calls_refused;
  return refused;
}

/* One sentence for the verdict's summary when the relay refused the login. */
static char *
refused_login_sentence (GListModel *requirements)
{
  const char *source = NULL;
  gboolean no_call = FALSE;

  if (!cc_diagnosis_turn_login_refused (requirements, &no_call))
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (requirements) && source == NULL; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      CcCheck *check = find_refused_login (req);

      if (check != NULL)
        source = g_object_get_data (G_OBJECT (check), CC_TURN_LOGIN_KEY);
    }

  if (source == NULL || source[0] == '\0')
    return g_strdup (no_call
                     ? _("The relay refused the TURN login in this app’s preferences (wrong or expired), so no test call could be made: enter a current login and test again to measure one.")
                     : _("The relay refused the TURN login in this app’s preferences on some transports (wrong or expired)."));
  return g_strdup_printf (no_call
                          ? _("The relay refused the TURN login in the file %s (wrong or expired), so no test call could be made: get a current login and test again to measure one.")
                          : _("The relay refused the TURN login in the file %s on some transports (wrong or expired)."),
                          source);
}

void
cc_diagnosis_note_proxy_login (GListModel *requirements,
                               CcProfile  *profile)
{
  gboolean proxy_asked = FALSE;
  guint n;

  g_return_if_fail (G_IS_LIST_MODEL (requirements));
  g_return_if_fail (CC_IS_PROFILE (profile));

  n = g_list_model_get_n_items (requirements);
  for (guint i = 0; i < n && !proxy_asked; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      GListModel *checks = cc_requirement_get_checks (req);

      for (guint j = 0; j < g_list_model_get_n_items (checks) && !proxy_asked; j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);
          proxy_asked = cc_check_get_status (check) == CC_STATUS_FAIL &&
                        cc_check_get_error (check) == CC_ERROR_AUTH_REQUIRED &&
                        !cc_check_is_kind (check, CC_CHECK_KIND_TURN_ALLOCATE) &&
                        !cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL);
        }
    }
  if (!proxy_asked)
    return;

  /* UDP never goes through a web proxy: only TCP and TLS can be its. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      GListModel *checks = cc_requirement_get_checks (req);
      gboolean changed = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);

          if (relay_refused_login (check) && g_strcmp0 (cc_check_get_transport (check), "udp") != 0)
            {
              g_object_set_data (G_OBJECT (check), CC_PROXY_LOGIN_KEY, GINT_TO_POINTER (TRUE));
              changed = TRUE;
            }
        }
      if (changed)
        cc_diagnosis_update (req, profile);
    }
}

/* The requirement fails because a proxy wants a login (not a relay's TURN
 * login): the person has the remedy, not IT. */
static gboolean
proxy_login_wanted (CcRequirement *req)
{
  CcCheck *primary = NULL;

  compute_status (req, &primary);
  return primary != NULL && cc_check_get_error (primary) == CC_ERROR_AUTH_REQUIRED &&
         !cc_check_is_kind (primary, CC_CHECK_KIND_TURN_ALLOCATE) &&
         !cc_check_is_kind (primary, CC_CHECK_KIND_ICE_CALL);
}

char *
cc_diagnosis_it_allow (CcRequirement *req,
                       CcProfile     *profile)
{
  CcRequirementKind kind;
  CcCheck *primary = NULL;
  CcStatus status;

  g_return_val_if_fail (CC_IS_REQUIREMENT (req), NULL);
  g_return_val_if_fail (CC_IS_PROFILE (profile), NULL);

  kind = cc_requirement_get_kind (req);
  status = compute_status (req, &primary);
  if (status != CC_STATUS_FAIL && status != CC_STATUS_WARN)
    return NULL;
  /* Not IT's to fix: a path that works but poorly, a login the person has
   * to give, a device that is not online at all. */
  if (is_quality_finding (primary) || quality_only (req) || proxy_login_wanted (req) ||
      find_refused_login (req) != NULL || looks_offline (req) ||
      (primary != NULL && cc_check_get_lookup_timed_out (primary)))
    return NULL;

  if (kind == CC_REQUIREMENT_SIGNALING)
    {
      g_autofree char *hosts = websocket_hosts (profile);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);
      g_autofree char *targets = hosts_and_domains (hosts, domains);
      g_autofree char *ports = websocket_ports (profile);

      /* TRANSLATORS: a line of the request for IT: "TCP port 443 to host and the domains *.a, *.b, …" */
      return g_strdup_printf (_("TCP port %s to %s, including secure WebSocket (wss) upgrades through any proxy or HTTPS filter"),
                              ports, targets);
    }

  if (kind == CC_REQUIREMENT_TURN_UDP || kind == CC_REQUIREMENT_TURN_TCP)
    {
      CcTransport transports = kind == CC_REQUIREMENT_TURN_UDP ? CC_TRANSPORT_UDP : CC_TRANSPORT_TCP | CC_TRANSPORT_TLS;
      g_autofree char *hosts = turn_hosts (profile, transports);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);
      g_autofree char *targets = hosts_and_domains (hosts, domains);
      g_autofree char *ports = turn_ports (profile, transports);

      return transports == CC_TRANSPORT_UDP
             /* TRANSLATORS: a line of the request for IT */
             ? g_strdup_printf (_("UDP port %s (the TURN relay) to %s"), ports, targets)
             /* TRANSLATORS: a line of the request for IT */
             : g_strdup_printf (_("TCP port %s (the TURN relay over TCP and TLS) to %s"), ports, targets);
    }

  if (kind == CC_REQUIREMENT_MEDIA_UDP)
    {
      g_autofree char *hosts = stun_hosts (profile);
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);
      g_autofree char *targets = hosts_and_domains (hosts, domains);

      /* TRANSLATORS: a line of the request for IT */
      return g_strdup_printf (_("UDP ports %s (audio and video) to %s"), cc_profile_get_media_ports (profile), targets);
    }

  if (kind == CC_REQUIREMENT_DOMAINS)
    {
      g_autofree char *failing = NULL;
      g_autofree char *unverified = NULL;

      collect_domains (req, &failing, &unverified);
      if (failing[0] == '\0')
        return NULL;
      /* TRANSLATORS: a line of the request for IT */
      return g_strdup_printf (_("HTTPS (TCP port 443) to %s"), failing);
    }

  if (kind == CC_REQUIREMENT_HTTPS_INSPECTION)
    {
      g_autofree char *domains = domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);

      /* TRANSLATORS: a line of the request for IT */
      return g_strdup_printf (_("no HTTPS inspection of %s, or at least WebSocket connections through it"),
                              domains[0] ? domains : cc_profile_get_title (profile));
    }

  if (kind == CC_REQUIREMENT_INTERNET)
    /* TRANSLATORS: a line of the request for IT */
    return g_strdup (_("name lookups (DNS) of these servers' names"));

  return NULL;
}

CcVerdict
cc_diagnosis_verdict (GListModel  *requirements,
                      CcProfile   *profile,
                      char       **summary)
{
  static const CcRequirementKind order[] = {
    CC_REQUIREMENT_INTERNET, CC_REQUIREMENT_SIGNALING, CC_REQUIREMENT_TURN_UDP, CC_REQUIREMENT_MEDIA_UDP,
    CC_REQUIREMENT_TURN_TCP, CC_REQUIREMENT_DOMAINS, CC_REQUIREMENT_HTTPS_INSPECTION,
  };
  CcStatus signaling, turn_udp, turn_tcp, media_udp, domains;
  CcRequirement *reason = NULL;
  CcRequirement *internet = NULL;
  CcVerdict verdict;
  const char *title;

  g_return_val_if_fail (G_IS_LIST_MODEL (requirements), CC_VERDICT_UNKNOWN);

  title = profile ? cc_profile_get_title (profile) : "";

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      CcStatus s = status_of (requirements, order[i], NULL);

      if (s == CC_STATUS_PENDING || s == CC_STATUS_RUNNING)
        {
          if (summary)
            *summary = NULL;
          return CC_VERDICT_UNKNOWN;
        }
    }

  signaling = status_of (requirements, CC_REQUIREMENT_SIGNALING, NULL);
  turn_udp = status_of (requirements, CC_REQUIREMENT_TURN_UDP, NULL);
  turn_tcp = status_of (requirements, CC_REQUIREMENT_TURN_TCP, NULL);
  media_udp = status_of (requirements, CC_REQUIREMENT_MEDIA_UDP, NULL);
  domains = status_of (requirements, CC_REQUIREMENT_DOMAINS, NULL);

  if (signaling == CC_STATUS_FAIL)
    {
      verdict = CC_VERDICT_BLOCKED;
      status_of (requirements, CC_REQUIREMENT_SIGNALING, &reason);
    }
  else if (turn_udp == CC_STATUS_FAIL && turn_tcp == CC_STATUS_FAIL && media_udp == CC_STATUS_FAIL)
    {
      verdict = CC_VERDICT_BLOCKED;
      status_of (requirements, CC_REQUIREMENT_TURN_UDP, &reason);
    }
  else if (is_bad (turn_udp) || is_bad (media_udp) || signaling == CC_STATUS_WARN || is_bad (domains))
    {
      verdict = CC_VERDICT_DEGRADED;
      if (is_bad (turn_udp))
        status_of (requirements, CC_REQUIREMENT_TURN_UDP, &reason);
      else if (is_bad (media_udp))
        status_of (requirements, CC_REQUIREMENT_MEDIA_UDP, &reason);
      else if (signaling == CC_STATUS_WARN)
        status_of (requirements, CC_REQUIREMENT_SIGNALING, &reason);
      else
        status_of (requirements, CC_REQUIREMENT_DOMAINS, &reason);
    }
  else
    verdict = CC_VERDICT_READY;

  if (summary != NULL && verdict == CC_VERDICT_BLOCKED &&
      status_of (requirements, CC_REQUIREMENT_INTERNET, &internet) == CC_STATUS_FAIL && looks_offline (internet))
    {
      *summary = g_strdup (_("This device looks offline, so calls cannot work from here. Check its connection (Wi-Fi or cable), then run the test again."));
      return verdict;
    }

  /* The verdict itself is said by every front end (the window's banner
   * title, the report's "Verdict:" line, the JSON's "verdict"): the summary
   * goes on from there, with what it means and what to do. */
  if (summary != NULL)
    {
      const char *why = NULL;

      switch (verdict)
        {
        case CC_VERDICT_READY:
          *summary = g_strdup_printf (_("Every connection a %s call needs works from this network."), title);
          break;
        case CC_VERDICT_DEGRADED:
        case CC_VERDICT_BLOCKED:
          if (reason != NULL && (verdict == CC_VERDICT_BLOCKED || cc_requirement_get_hint (reason) != NULL))
            why = impact (reason, verdict == CC_VERDICT_BLOCKED ? CC_STATUS_FAIL : cc_requirement_get_status (reason));
          if (verdict == CC_VERDICT_DEGRADED && reason != NULL && quality_only (reason))
            *summary = quality_summary (reason);
          else if (reason != NULL && proxy_login_wanted (reason))
            *summary = g_strjoin (" ", why ? why : "",
                                  _("The proxy this network uses wants a login: the hints below say where to enter it."),
                                  NULL);
          else if (why != NULL && why[0] != '\0')
            *summary = g_strdup_printf (_("%s Forward the hints below to your IT department."), why);
          else
            *summary = g_strdup (_("Forward the hints below to your IT department."));
          break;
        case CC_VERDICT_UNKNOWN:
        default:
          *summary = NULL;
          break;
        }
    }

  if (summary != NULL && *summary != NULL && verdict != CC_VERDICT_UNKNOWN)
    {
      g_autofree char *login = refused_login_sentence (requirements);

      if (login != NULL)
        {
          char *both = g_strjoin (" ", *summary, login, NULL);

          g_free (*summary);
          *summary = both;
        }
    }

  return verdict;
}

void
cc_diagnosis_note_proxy (GListModel *requirements,
                         const char *proxy)
{
  static const CcRequirementKind udp_kinds[] = { CC_REQUIREMENT_TURN_UDP, CC_REQUIREMENT_MEDIA_UDP };

  g_return_if_fail (G_IS_LIST_MODEL (requirements));

  if (proxy == NULL || g_str_equal (proxy, "none") || g_str_equal (proxy, "direct://"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (udp_kinds); i++)
    {
      CcRequirement *req = NULL;
      CcStatus status = status_of (requirements, udp_kinds[i], &req);
      g_autofree char *hint = NULL;
      g_autofree char *summary = NULL;

      /* A slow path is not one the proxy keeps closed. */
      if (req == NULL || !is_bad (status) || quality_only (req))
        continue;

      summary = g_strdup (cc_requirement_get_summary (req));
      hint = g_strdup_printf (_("%s This network sends web traffic through the proxy at %s, which cannot carry UDP: these ports must be allowed directly, not through the proxy."),
                              cc_requirement_get_hint (req) ? cc_requirement_get_hint (req) : "", proxy);
      cc_requirement_set_result (req, status, summary, g_strchug (hint));
    }
}

gboolean
cc_diagnosis_note_offline (GListModel *requirements,
                           CcProfile  *profile)
{
  CcRequirement *internet = NULL;
  CcCheck *network = NULL;
  GListModel *checks;
  guint n = g_list_model_get_n_items (requirements);
  guint judged = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (requirements), FALSE);
  g_return_val_if_fail (CC_IS_PROFILE (profile), FALSE);

  status_of (requirements, CC_REQUIREMENT_INTERNET, &internet);
  if (internet == NULL)
    return FALSE;
  checks = cc_requirement_get_checks (internet);
  for (guint i = 0; i < g_list_model_get_n_items (checks) && network == NULL; i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (CC_IS_NETWORK_CHECK (check))
        network = check;
    }
  if (network == NULL)
    return FALSE;

  /* Anything that passed, resolved to something (a sinkhole is an answer) or
   * met a server (refused, untrusted, cut) got out. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);

      checks = cc_requirement_get_checks (req);
      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);
          CcStatus status = cc_check_get_status (check);
          CcError code = cc_check_get_error (check);

          if (check == network || status == CC_STATUS_SKIP)
            continue;
          if (status != CC_STATUS_FAIL ||
              (code != CC_ERROR_DNS_FAILURE && code != CC_ERROR_UNREACHABLE))
            return FALSE;
          judged++;
        }
    }
  if (judged == 0)
    return FALSE;

  if (cc_check_get_status (network) != CC_STATUS_FAIL)
    cc_network_check_note_offline (CC_NETWORK_CHECK (network));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      CcStatus status;

      cc_diagnosis_update (req, profile);
      status = cc_requirement_get_status (req);
      if (req != internet && is_bad (status))
        {
          g_autofree char *summary = g_strdup (cc_requirement_get_summary (req));
          /* What the failure would mean for calls is not known: nothing was
           * tested. */
          cc_requirement_set_result (req, status, summary,
                                     _("Not tested: this device looks offline. Check its connection first, then run the test again."));
        }
    }

  return TRUE;
}
