/* cc-websocket-check.h: a WebSocket upgrade, a real round trip, and optionally
 * the socket held open with round trips, as a call's signaling holds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-profile.h"

G_BEGIN_DECLS

#define CC_TYPE_WEBSOCKET_CHECK (cc_websocket_check_get_type ())
G_DECLARE_FINAL_TYPE (CcWebsocketCheck, cc_websocket_check, CC, WEBSOCKET_CHECK, CcCheck)

CcCheck *cc_websocket_check_new (const char  *url,
                                 CcRoundTrip  round_trip,
                                 const char  *subprotocol,
                                 guint        hold_seconds);

/* Engine.IO v4's open packet: "0" then a JSON object with a "sid" string. */
gboolean cc_websocket_is_engine_io_open (const char *text,
                                         gsize       length);

G_END_DECLS
