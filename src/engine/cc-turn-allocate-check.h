/* cc-turn-allocate-check.h: the TURN Allocate usage of CcStunCheck (made with
 * cc_stun_check_new (CC_STUN_MODE_ALLOCATE, …); its login and result through
 * cc_stun_check_set_credentials() and cc_stun_check_get_relayed_address()).
 * Private to the STUN checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-stun-check-private.h"

G_BEGIN_DECLS

#define CC_TYPE_TURN_ALLOCATE_CHECK (cc_turn_allocate_check_get_type ())
G_DECLARE_FINAL_TYPE (CcTurnAllocateCheck, cc_turn_allocate_check, CC, TURN_ALLOCATE_CHECK, CcStunCheck)

void        cc_turn_allocate_check_set_credentials     (CcTurnAllocateCheck *self,
                                                        const char          *username,
                                                        const char          *credential);
const char *cc_turn_allocate_check_get_relayed_address (CcTurnAllocateCheck *self);

G_END_DECLS
