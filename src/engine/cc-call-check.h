/* cc-call-check.h: a short call between two ICE agents (libnice) of this app
 * that may only use relay candidates of one TURN server, over one transport:
 * after ICE completes, a stream shaped like a call's audio and video flows for a
 * few seconds, and round trip, jitter, loss and the bitrate that got through are
 * measured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-profile.h"

G_BEGIN_DECLS

/* How long the call-shaped stream flows. */
#define CC_CALL_STREAM_MS 3000

#define CC_TYPE_CALL_CHECK (cc_call_check_get_type ())
G_DECLARE_FINAL_TYPE (CcCallCheck, cc_call_check, CC, CALL_CHECK, CcCheck)

CcCheck *cc_call_check_new (CcTransport  transport,
                            const char  *host,
                            guint16      port,
                            const char  *username,
                            const char  *credential);

/* The TURN Allocate check of the same relay and transport: when the relay
 * gives the call no address, its error class and detail say why (libnice does
 * not tell). */
void     cc_call_check_set_allocation (CcCallCheck *self,
                                       CcCheck     *allocation);

/* How many test calls' agents are still releasing their relay allocations. */
guint    cc_call_check_get_agents_closing (void);

G_END_DECLS
