/* cc-tcp-check.h: opens a TCP connection (through the proxy a browser would use).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

#define CC_TYPE_TCP_CHECK (cc_tcp_check_get_type ())
G_DECLARE_FINAL_TYPE (CcTcpCheck, cc_tcp_check, CC, TCP_CHECK, CcCheck)

CcCheck *cc_tcp_check_new (const char *host,
                           guint16     port);

/* Shared with the TLS check: a socket client set up as a check should connect,
 * and the URI that makes GIO apply HTTP proxies (PITFALLS.md). */
GSocketClient *cc_tcp_check_new_client (CcCheck    *check);
char          *cc_tcp_check_proxy_uri  (const char *host,
                                        guint16     port);

G_END_DECLS
