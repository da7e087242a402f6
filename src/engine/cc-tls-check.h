/* cc-tls-check.h: a TLS handshake to host:port, naming who issued the chain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-profile.h"

G_BEGIN_DECLS

#define CC_TYPE_TLS_CHECK (cc_tls_check_get_type ())
G_DECLARE_FINAL_TYPE (CcTlsCheck, cc_tls_check, CC, TLS_CHECK, CcCheck)

CcCheck *cc_tls_check_new (const char *host,
                           guint16     port);

/* When the chain turns out to be anchored at a private root (HTTPS inspection),
 * also open a WebSocket to @url through it: the check then warns when the
 * WebSocket passes and fails with the WebSocket's error when it does not. */
void     cc_tls_check_set_inspection_probe (CcTlsCheck  *self,
                                            const char  *url,
                                            CcRoundTrip  round_trip,
                                            const char  *subprotocol);

G_END_DECLS
