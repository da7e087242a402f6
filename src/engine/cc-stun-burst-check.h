/* cc-stun-burst-check.h: the burst usage of CcStunCheck (made with
 * cc_stun_check_new (CC_STUN_MODE_BURST, …), paced with
 * cc_stun_check_set_burst()). Private to the STUN checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-stun-check-private.h"

G_BEGIN_DECLS

#define CC_TYPE_STUN_BURST_CHECK (cc_stun_burst_check_get_type ())
G_DECLARE_FINAL_TYPE (CcStunBurstCheck, cc_stun_burst_check, CC, STUN_BURST_CHECK, CcStunCheck)

void cc_stun_burst_check_set_burst (CcStunBurstCheck *self,
                                    guint             count,
                                    guint             interval_ms);

G_END_DECLS
