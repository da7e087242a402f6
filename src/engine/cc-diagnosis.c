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
 * domains, never written per host. What is particular to one requirement is
 * its catalogue entry's (cc-catalogue-*.c); what is here holds for all.
 *
 * Why one file of over 800 lines: a check's words (what failed, why, how
 * well a path works) and the requirement and verdict rules built on them are
 * one judgement, with the same private notions (effective status, a quality
 * finding, a refused TURN login); split, each half would need the other's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-call-check.h"
#include "cc-catalogue-private.h"
#include "cc-check-private.h"
#include "cc-diagnosis-private.h"
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

static const CcCatalogueEntry *
entry_of (CcRequirement *req)
{
  return cc_catalogue_get_entry (cc_requirement_get_kind (req));
}

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

void
cc_diagnosis_mark_turn_login (CcCheck    *check,
                              const char *source)
{
  g_return_if_fail (CC_IS_CHECK (check));

  /* "" stands for the preferences (NULL would mean no login). */
  cc_check_set_turn_login (check, source ? source : "");
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
         cc_check_get_turn_login (check) != NULL &&
         !cc_check_get_proxy_login_refused (check);
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
  const char *source = cc_check_get_turn_login (check);

  if (source == NULL || source[0] == '\0')
    return g_strdup (_("The relay answered, so the network lets it through, but it refused the TURN username and password from this app’s preferences: they are wrong, or they were time-limited and have expired. Enter a current login in the preferences and test again to measure a call; nothing needs to change on the network."));
  return g_strdup_printf (_("The relay answered, so the network lets it through, but it refused the TURN username and password in the file %s: they are wrong, or they were time-limited and have expired (such logins often last only hours). Get a current login from whoever gave you the file and test again to measure a call; nothing needs to change on the network."),
                          source);
}

/* A burst that got through but measured a poor path counts as a warning. A
 * relay that refused the login given answered: its path passes, and a test
 * call that could not be made for that reason measured nothing. */
CcStatus
cc_diagnosis_effective_status (CcCheck *check)
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
         cc_diagnosis_effective_status (check) == CC_STATUS_WARN &&
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
      CcStatus status = cc_diagnosis_effective_status (check);

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

char *
cc_diagnosis_target_host (CcCheck *check)
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
  g_autofree char *host = cc_diagnosis_target_host (check);
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

/* Whether @network (the network check) found nothing getting out. */
static gboolean
network_unreachable (CcCheck *network)
{
  return network != NULL && cc_check_get_status (network) == CC_STATUS_FAIL &&
         cc_check_get_error (network) == CC_ERROR_UNREACHABLE;
}

/* @req's network check (`internet` holds it), or NULL; the requirement keeps
 * the reference. */
static CcCheck *
network_check_of (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (CC_IS_NETWORK_CHECK (check))
        return check;
    }
  return NULL;
}

/* Whether @req holds the network check and it says the device is offline:
 * the system reports no network and no route, or the run's evidence said so. */
static gboolean
looks_offline (CcRequirement *req)
{
  return network_unreachable (network_check_of (req));
}

void
cc_diagnosis_update (CcRequirement *req,
                     CcProfile     *profile)
{
  const CcCatalogueEntry *entry;
  CcCheck *primary = NULL;
  CcStatus status;
  g_autofree char *summary = NULL;
  g_autofree char *hint = NULL;

  g_return_if_fail (CC_IS_REQUIREMENT (req));
  g_return_if_fail (CC_IS_PROFILE (profile));

  entry = entry_of (req);
  status = compute_status (req, &primary);

  if (status == CC_STATUS_FAIL && looks_offline (req))
    {
      cc_requirement_set_result (req, status, _("This device looks offline"),
                                 _("Nothing got out: no name resolved and no server answered. Check that Wi-Fi is on and connected, or that the network cable is plugged in, and that web pages open; then run the test again."));
      return;
    }

  /* The entry's own judgement first (a row that cannot be judged is not a
   * failure, cc-catalogue-https-inspection.c). */
  if (entry->judge != NULL && entry->judge (req, &status, &summary, &hint))
    {
      cc_requirement_set_result (req, status, summary, hint);
      return;
    }

  /* A connection that failed because its name did not resolve, or resolved to
   * a sinkhole, is explained by the name lookup, not by the connection. */
  if (primary != NULL && !cc_check_is_kind (primary, CC_CHECK_KIND_DNS))
    {
      GListModel *checks = cc_requirement_get_checks (req);
      g_autofree char *host = cc_diagnosis_target_host (primary);

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
      summary = entry->pass_summary (req);
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
      if (entry->pass_hint != NULL)
        hint = entry->pass_hint (req, profile);
      break;

    case CC_STATUS_WARN:
    case CC_STATUS_FAIL:
      {
        g_autofree char *what = primary ? describe_failure (primary) : g_strdup ("");
        const char *means = entry->impact (req, status);

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
          hint = g_strjoin (" ", means,
                            _("The proxy this network uses wants a username and password before it connects anywhere. Enter them in the system’s proxy settings, or give the proxy as http://user:password@host:port, then test again; IT can tell you the login if you do not know it."),
                            NULL);
        else if (entry->problem_hint != NULL)
          hint = entry->problem_hint (req, status, primary);
        if (hint == NULL)
          {
            /* What it means, the cause, and what to ask IT for. */
            g_autofree char *cause = primary ? explain_cause (primary) : g_strdup ("");
            g_autofree char *request = entry->it_request (req, profile);

            hint = g_strjoin (" ", means, cause, request, NULL);
          }
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

/* The run's network check (`internet` holds it), and its requirement. */
static CcCheck *
find_network_check (GListModel     *requirements,
                    CcRequirement **holder)
{
  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      CcCheck *check = network_check_of (req);

      if (check != NULL)
        {
          *holder = req;
          return check;
        }
    }
  return NULL;
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
        source = cc_check_get_turn_login (check);
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
              cc_check_set_proxy_login_refused (check);
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
  CcCheck *primary = NULL;
  CcStatus status;

  g_return_val_if_fail (CC_IS_REQUIREMENT (req), NULL);
  g_return_val_if_fail (CC_IS_PROFILE (profile), NULL);

  status = compute_status (req, &primary);
  if (status != CC_STATUS_FAIL && status != CC_STATUS_WARN)
    return NULL;
  /* Not IT's to fix: a path that works but poorly, a login the person has
   * to give, a device that is not online at all. */
  if (is_quality_finding (primary) || quality_only (req) || proxy_login_wanted (req) ||
      find_refused_login (req) != NULL || looks_offline (req) ||
      (primary != NULL && cc_check_get_lookup_timed_out (primary)))
    return NULL;

  return entry_of (req)->it_allow (req, profile);
}

/* The verdict's rules are the catalogue's weights (cc-catalogue-private.h):
 * a failing requirement that blocks alone, or every media path failing,
 * blocks calls; a bad requirement that degrades (or a warning of one that
 * blocks) degrades them. Where several could be the reason, the lowest
 * reason rank is named. */
static CcVerdict
weigh (GListModel     *requirements,
       CcRequirement **reason)
{
  CcRequirement *blocker = NULL, *first_path = NULL, *degrader = NULL;
  guint paths = 0, paths_failed = 0;

  /* A path the list does not hold has not failed. */
  for (guint kind = 0; kind < CC_N_REQUIREMENTS; kind++)
    paths += (cc_catalogue_get_entry (kind)->weight & CC_WEIGHT_MEDIA_PATH) != 0;

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      const CcCatalogueEntry *entry = entry_of (req);
      CcStatus status = cc_requirement_get_status (req);
      gboolean degrades = ((entry->weight & CC_WEIGHT_DEGRADES) && is_bad (status)) ||
                          ((entry->weight & CC_WEIGHT_BLOCKS) && status == CC_STATUS_WARN);

      if ((entry->weight & CC_WEIGHT_BLOCKS) && status == CC_STATUS_FAIL && blocker == NULL)
        blocker = req;
      if (entry->weight & CC_WEIGHT_MEDIA_PATH)
        {
          paths_failed += status == CC_STATUS_FAIL;
          if (first_path == NULL ||
              entry_of (first_path)->reason_rank > entry->reason_rank)
            first_path = req;
        }
      if (degrades && (degrader == NULL ||
                       entry_of (degrader)->reason_rank > entry->reason_rank))
        degrader = req;
    }

  if (blocker != NULL)
    *reason = blocker;
  else if (paths > 0 && paths_failed == paths)
    *reason = first_path;
  else
    {
      *reason = degrader;
      return degrader != NULL ? CC_VERDICT_DEGRADED : CC_VERDICT_READY;
    }
  return CC_VERDICT_BLOCKED;
}

CcVerdict
cc_diagnosis_verdict (GListModel  *requirements,
                      CcProfile   *profile,
                      char       **summary)
{
  CcRequirement *reason = NULL;
  CcRequirement *internet = NULL;
  CcVerdict verdict;
  const char *title;

  g_return_val_if_fail (G_IS_LIST_MODEL (requirements), CC_VERDICT_UNKNOWN);

  title = profile ? cc_profile_get_title (profile) : "";

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      CcStatus s = cc_requirement_get_status (req);

      if (s == CC_STATUS_PENDING || s == CC_STATUS_RUNNING)
        {
          if (summary)
            *summary = NULL;
          return CC_VERDICT_UNKNOWN;
        }
    }

  verdict = weigh (requirements, &reason);

  if (summary != NULL && verdict == CC_VERDICT_BLOCKED &&
      network_unreachable (find_network_check (requirements, &internet)) &&
      cc_requirement_get_status (internet) == CC_STATUS_FAIL)
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
            why = entry_of (reason)->impact (reason, verdict == CC_VERDICT_BLOCKED
                                                       ? CC_STATUS_FAIL : cc_requirement_get_status (reason));
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
  g_return_if_fail (G_IS_LIST_MODEL (requirements));

  if (proxy == NULL || g_str_equal (proxy, "none") || g_str_equal (proxy, "direct://"))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      CcStatus status = cc_requirement_get_status (req);
      g_autofree char *hint = NULL;
      g_autofree char *summary = NULL;

      /* A slow path is not one the proxy keeps closed. */
      if (!entry_of (req)->udp || !is_bad (status) || quality_only (req))
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
  CcCheck *network;
  GListModel *checks;
  guint n = g_list_model_get_n_items (requirements);
  guint judged = 0;

  g_return_val_if_fail (G_IS_LIST_MODEL (requirements), FALSE);
  g_return_val_if_fail (CC_IS_PROFILE (profile), FALSE);

  network = find_network_check (requirements, &internet);
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
