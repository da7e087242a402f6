/* cc-stun-check.h: STUN Binding, TURN Allocate and a STUN burst over UDP, TCP or
 * TLS, built and parsed with libnice's STUN library on GIO sockets. One class
 * per usage derives from CcStunCheck (cc-stun-binding-check.c,
 * cc-turn-allocate-check.c, cc-stun-burst-check.c); cc_stun_check_new() gives
 * the one a mode asks for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-profile.h"

G_BEGIN_DECLS

typedef enum
{
  CC_STUN_MODE_BINDING,
  CC_STUN_MODE_ALLOCATE,
  CC_STUN_MODE_BURST,
} CcStunMode;

#define CC_TYPE_STUN_CHECK (cc_stun_check_get_type ())
G_DECLARE_DERIVABLE_TYPE (CcStunCheck, cc_stun_check, CC, STUN_CHECK, CcCheck)

CcCheck    *cc_stun_check_new                 (CcStunMode   mode,
                                               CcTransport  transport,
                                               const char  *host,
                                               guint16      port);
/* Allocate only: the TURN login; without it, a 401 is the answer expected. */
void        cc_stun_check_set_credentials     (CcStunCheck *self,
                                               const char  *username,
                                               const char  *credential);
/* Burst only: how many Binding requests, how far apart. */
void        cc_stun_check_set_burst           (CcStunCheck *self,
                                               guint        count,
                                               guint        interval_ms);
/* Allocate: after an authenticated allocation: the relayed address "ip:port", else NULL. */
const char *cc_stun_check_get_relayed_address (CcStunCheck *self);

G_END_DECLS
