/* cc-check-private.h: what a check implementation (and a test's stand-in
 * check) uses of CcCheck: the result setters, the ways a check ends, and the
 * timing helpers. Front ends and the rest of the engine read checks through
 * cc-check.h only. (The class structure stays in cc-check.h: the checks' own
 * G_DECLARE_FINAL_TYPE in their public headers embeds it.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-socket-timing.h"

G_BEGIN_DECLS

void          cc_check_set_kind         (CcCheck     *self,
                                         CcCheckKind  kind);
void          cc_check_set_target       (CcCheck    *self,
                                         const char *target);
void          cc_check_set_transport    (CcCheck    *self,
                                         const char *transport);
/* Sets the target to "host:port", with an IPv6 literal in brackets. */
void          cc_check_set_target_host_port (CcCheck    *self,
                                             const char *host,
                                             guint16     port);
void          cc_check_set_address      (CcCheck    *self,
                                         const char *address);
void          cc_check_set_tls_issuer   (CcCheck    *self,
                                         const char *issuer);
void          cc_check_set_tls_root     (CcCheck    *self,
                                         CcTlsRoot   root);
/* The runner's: which of the profile's domains @self stands for. */
void          cc_check_set_domain       (CcCheck    *self,
                                         const char *domain);
/* The diagnosis's (cc_diagnosis_mark_turn_login ()): where the TURN login
 * this check uses came from, "" for the preferences; NULL: it uses none. */
void          cc_check_set_turn_login   (CcCheck    *self,
                                         const char *source);
const char   *cc_check_get_turn_login   (CcCheck    *self);
/* The diagnosis's: the check's auth-required was a proxy's, not the relay's
 * (cc_diagnosis_note_proxy_login ()). */
void          cc_check_set_proxy_login_refused (CcCheck *self);
gboolean      cc_check_get_proxy_login_refused (CcCheck *self);
void          cc_check_set_tls_errors   (CcCheck              *self,
                                         GTlsCertificateFlags  errors);
void          cc_check_set_bitrate_kbps (CcCheck    *self,
                                         double      kbps);
/* A check that goes on to a second step gives it a time limit of its own. */
void          cc_check_restart_deadline (CcCheck    *self,
                                         guint       timeout_ms);
void          cc_check_set_http_status  (CcCheck    *self,
                                         guint       http_status);
void          cc_check_set_metrics      (CcCheck    *self,
                                         double      rtt_ms,
                                         double      jitter_ms,
                                         double      loss_pct);
void          cc_check_pass             (CcCheck    *self,
                                         const char *detail);
void          cc_check_warn             (CcCheck    *self,
                                         CcError     code,
                                         const char *detail);
void          cc_check_fail             (CcCheck    *self,
                                         CcError     code,
                                         const char *detail);
/* Fails with the class cc_error_from_gerror() gives and the error's message. */
void          cc_check_fail_error       (CcCheck      *self,
                                         const GError *error);
void          cc_check_skip             (CcCheck    *self,
                                         const char *detail);
/* While a name is being resolved, a deadline is the resolver's fault: the check
 * then ends as `dns-failure`, not as a silently dropped connection. */
void          cc_check_set_resolving    (CcCheck    *self,
                                         gboolean    resolving);
/* Ends the check as its deadline would (dns-failure while resolving, else the
 * class's timed_out), for a subclass with an earlier deadline of its own. */
void          cc_check_expire           (CcCheck    *self);
/* The same, from GSocketClient's "event" or SoupMessage's "network-event". */
void          cc_check_note_socket_event (CcCheck           *self,
                                          GSocketClientEvent event);
/* The duration a passing check reports, where the network's own is known
 * (µs, -1: none): otherwise it is the check's time from start to end, which
 * includes the main loop's delays (README "Timings"). */
void          cc_check_set_measured_duration (CcCheck *self,
                                              gint64   duration_us);

G_END_DECLS
