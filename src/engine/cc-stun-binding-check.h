/* cc-stun-binding-check.h: the STUN Binding usage of CcStunCheck (made with
 * cc_stun_check_new (CC_STUN_MODE_BINDING, …)). Private to the STUN checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-stun-check-private.h"

G_BEGIN_DECLS

#define CC_TYPE_STUN_BINDING_CHECK (cc_stun_binding_check_get_type ())
G_DECLARE_FINAL_TYPE (CcStunBindingCheck, cc_stun_binding_check, CC, STUN_BINDING_CHECK, CcStunCheck)

G_END_DECLS
