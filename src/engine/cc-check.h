/* cc-check.h: the one shape every check has.
 *
 * A check is one real probe (a DNS lookup, a TLS handshake, a TURN allocation…).
 * The base class owns the bookkeeping every check needs: a deadline that ends the
 * check as `timeout` whatever the subclass is doing, cancellation, timing, and the
 * result properties the report and the GUI read. A subclass implements `start`,
 * does its asynchronous work with the cancellable it is given, and ends with
 * exactly one of cc_check_pass(), cc_check_warn(), cc_check_fail(),
 * cc_check_fail_error() or cc_check_skip(). Calls after the check has ended (a late
 * callback after the deadline) are ignored, so subclasses need no extra state for
 * that race; they check cc_check_is_done() only to avoid needless work. The
 * subclass API (the setters, the endings and the timing helpers) is in
 * cc-check-private.h, for the checks and the tests only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-error.h"
#include "cc-tls-roots.h"

G_BEGIN_DECLS

typedef enum
{
  CC_STATUS_PENDING = 0,
  CC_STATUS_RUNNING,
  CC_STATUS_PASS,
  CC_STATUS_WARN,
  CC_STATUS_FAIL,
  CC_STATUS_SKIP,
} CcStatus;

const char *cc_status_to_string (CcStatus status);

/* What a check does; cc_check_get_kind() gives the report's word for it. */
typedef enum
{
  CC_CHECK_KIND_NETWORK,
  CC_CHECK_KIND_DNS,
  CC_CHECK_KIND_TCP,
  CC_CHECK_KIND_TLS,
  CC_CHECK_KIND_HTTPS,
  CC_CHECK_KIND_WEBSOCKET,
  CC_CHECK_KIND_STUN_BINDING,
  CC_CHECK_KIND_TURN_ALLOCATE,
  CC_CHECK_KIND_MEDIA_BURST,
  CC_CHECK_KIND_ICE_CALL,
  /* A domain that can only be allowed as written (a wildcard), not tested. */
  CC_CHECK_KIND_UNVERIFIED,
  CC_N_CHECK_KINDS,
} CcCheckKind;

const char *cc_check_kind_to_string (CcCheckKind kind);

#define CC_TYPE_CHECK (cc_check_get_type ())
G_DECLARE_DERIVABLE_TYPE (CcCheck, cc_check, CC, CHECK, GObject)

struct _CcCheckClass
{
  GObjectClass parent_class;

  /* Starts the probe. @cancellable is cancelled at the deadline or when the run
   * is cancelled; the subclass must end the check (see above) eventually, or the
   * deadline does it for it. */
  void (*start)     (CcCheck      *self,
                     GCancellable *cancellable);

  /* Called when the deadline passes before the check ended. The default fails
   * the check as `timeout`; a subclass that has partial results (a burst with
   * some answers, a server that answered garbage) may end it differently. */
  void (*timed_out) (CcCheck      *self);

  /* Called once when the check ends, however it ends (also by the deadline or
   * a stopped run), before its status is notified: the subclass stops what the
   * start's cancellable does not reach (timers, sockets, ICE agents, a held
   * connection). May be NULL. */
  void (*finished)  (CcCheck      *self);
};


/* Running (used by the runner and by tests). A check runs once: its object
 * is the run's state (a runner builds new checks for each run), so a second
 * run of the same check is refused. */
void          cc_check_run_async        (CcCheck              *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
CcStatus      cc_check_run_finish       (CcCheck              *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Configuration, set before running. */
void          cc_check_set_timeout_ms   (CcCheck              *self,
                                         guint                 timeout_ms);
guint         cc_check_get_timeout_ms   (CcCheck              *self);
GTlsDatabase *cc_check_get_tls_database (CcCheck              *self);
void          cc_check_set_tls_database (CcCheck              *self,
                                         GTlsDatabase         *database);
GProxyResolver *cc_check_get_proxy_resolver (CcCheck          *self);
void          cc_check_set_proxy_resolver (CcCheck            *self,
                                           GProxyResolver     *resolver);

/* Results. Strings are owned by the check. */
/* "dns", "tcp", "turn-allocate", …: the JSON report's word for its kind. */
const char   *cc_check_get_kind         (CcCheck *self);
gboolean      cc_check_is_kind          (CcCheck     *self,
                                         CcCheckKind  kind);
/* The profile's domain (pattern) this check stands for in the `domains'
 * requirement; NULL for other checks. */
const char   *cc_check_get_domain       (CcCheck *self);
const char   *cc_check_get_target       (CcCheck *self);
const char   *cc_check_get_transport    (CcCheck *self);
const char   *cc_check_get_address      (CcCheck *self);
CcStatus      cc_check_get_status       (CcCheck *self);
CcError       cc_check_get_error        (CcCheck *self);
const char   *cc_check_get_detail       (CcCheck *self);
gint64        cc_check_get_duration_ms  (CcCheck *self);
const char   *cc_check_get_tls_issuer   (CcCheck *self);
/* Why a certificate was rejected (0 when it was not). */
GTlsCertificateFlags cc_check_get_tls_errors (CcCheck *self);
/* Where the TLS chain is anchored: public, profile, private, unknown (cc-tls-roots.h). */
/* "public", "profile", "private" or "unknown": the class of the root the
 * peer's chain led to, where a check classified it (else NULL). */
const char   *cc_check_get_tls_root     (CcCheck *self);
gboolean      cc_check_has_tls_root     (CcCheck   *self,
                                         CcTlsRoot  root);
guint         cc_check_get_http_status  (CcCheck *self);
/* Measured values; negative when not measured. */
double        cc_check_get_rtt_ms       (CcCheck *self);
double        cc_check_get_jitter_ms    (CcCheck *self);
double        cc_check_get_loss_pct     (CcCheck *self);
gboolean      cc_check_is_done          (CcCheck *self);
/* What got through a call-shaped stream, in kbit/s; negative when not measured. */
double        cc_check_get_bitrate_kbps (CcCheck *self);
/* Whether the check ended because a name lookup got no answer by its deadline:
 * slow or lossy DNS, which the diagnosis must not call a filter. */
gboolean      cc_check_get_lookup_timed_out (CcCheck *self);
/* Changes the outcome of a check that has ended, for a judgement that only the
 * whole run's evidence allows (cc_diagnosis_note_offline ()). */
void          cc_check_revise           (CcCheck    *self,
                                         CcStatus    status,
                                         CcError     code,
                                         const char *detail);

G_END_DECLS
