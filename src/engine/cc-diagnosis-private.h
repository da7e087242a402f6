/* cc-diagnosis-private.h: the diagnosis's judgements of one check, for the
 * catalogue's entries (cc-catalogue-*.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

/* @check's status as the requirement counts it: a poor burst or call warns,
 * a relay that refused the login given has a path that works. */
CcStatus  cc_diagnosis_effective_status (CcCheck *check);
/* The host of @check's target, without port or brackets. */
char     *cc_diagnosis_target_host      (CcCheck *check);

G_END_DECLS
