/* cc-diagnosis.h: from check results to a requirement's status, its one-line
 * result and its hint, and from requirements to the verdict (DESIGN.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-profile.h"
#include "cc-requirement.h"

G_BEGIN_DECLS

typedef enum
{
  CC_VERDICT_UNKNOWN = 0,
  CC_VERDICT_READY,
  CC_VERDICT_DEGRADED,
  CC_VERDICT_BLOCKED,
} CcVerdict;

/* Call quality grades for measured media paths. */
typedef enum
{
  CC_QUALITY_UNKNOWN = 0,
  CC_QUALITY_GOOD,
  CC_QUALITY_FAIR,
  CC_QUALITY_POOR,
} CcQuality;

const char *cc_verdict_to_string          (CcVerdict      verdict);
CcQuality   cc_diagnosis_grade            (double         rtt_ms,
                                           double         jitter_ms,
                                           double         loss_pct);
/* @check's grade: cc_diagnosis_grade() of its measurements, and for a test
 * call whose ramp measured the path, at best fair when the path carries less
 * than a video call needs and poor when less than audio needs. */
CcQuality   cc_diagnosis_grade_check      (CcCheck       *check);
const char *cc_quality_to_string          (CcQuality      quality);
/* Recomputes status, summary and hint of @requirement from its checks. */
void        cc_diagnosis_update           (CcRequirement *requirement,
                                           CcProfile     *profile);
/* The verdict over a GListModel of CcRequirement; @summary gets one or two
 * sentences for people. */
CcVerdict   cc_diagnosis_verdict          (GListModel    *requirements,
                                           CcProfile     *profile,
                                           char         **summary);

/* For IT: what to allow, outbound, so that @requirement passes — one line of
 * the request for IT ("UDP port 443 (the TURN relay) to host and the domains
 * …") — or NULL when it passed, or when what keeps it from passing is not
 * IT's to fix (a slow or lossy path, a login the person has to give, a device
 * that is not online). */
char       *cc_diagnosis_it_allow         (CcRequirement *requirement,
                                           CcProfile     *profile);

/* With a proxy in use, says in the UDP requirements' hints that a web proxy
 * cannot carry UDP. */
void        cc_diagnosis_note_proxy       (GListModel    *requirements,
                                           const char    *proxy);

/* After a whole run: when no check got anything out (no name resolved, no
 * server answered), the device looks offline whatever the system claims. Fails
 * the network check, says so in `internet`, and keeps the other hints from
 * sending the person to IT. Returns whether it did. */
gboolean    cc_diagnosis_note_offline     (GListModel    *requirements,
                                           CcProfile     *profile);

/* Marks @check (a TURN allocation or a test call) as using a TURN login from
 * @source: the --ice-servers file's name, or NULL for the app's preferences.
 * A relay that refuses that login is then a finding about the login, not
 * about the network. */
void        cc_diagnosis_mark_turn_login  (CcCheck       *check,
                                           const char    *source);
/* After a whole run: where a proxy asked for a login (a check that is not a
 * relay's failed with auth-required), a TCP or TLS relay check's
 * auth-required may be the proxy's, not the relay's: those are judged as
 * failures again. */
void        cc_diagnosis_note_proxy_login (GListModel    *requirements,
                                           CcProfile     *profile);
/* Whether the relay refused the TURN login given (wrong or expired) on any
 * relay check of the run, and every test call failed for that reason. */
gboolean    cc_diagnosis_turn_login_refused (GListModel  *requirements,
                                             gboolean    *no_call);

G_END_DECLS
