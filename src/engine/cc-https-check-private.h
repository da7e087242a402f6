/* cc-https-check-private.h: the libsoup probe the HTTPS and the WebSocket
 * checks share (a session set up as the check says, the target of a URL, and
 * how a failed send or a proxy's refusal ends the check). For those two checks
 * only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "cc-https-check.h"

G_BEGIN_DECLS

/* Shared with the WebSocket check: a session set up as the check says (trust,
 * proxy, timeout), and the target "host:port" of a URL. */
SoupSession *cc_https_check_new_session (CcCheck *check);
char        *cc_https_check_target      (GUri    *uri);
/* Shared with the WebSocket check: fails @check for @error, which ended @message
 * before it had an answer, with the class a person should see where libsoup's
 * error alone would mislead. @proxy_negotiating: the message's last proxy event
 * was G_SOCKET_CLIENT_PROXY_NEGOTIATING (a CONNECT under way). @message must
 * carry SOUP_MESSAGE_COLLECT_METRICS. */
void         cc_https_check_fail_send   (CcCheck      *check,
                                         SoupMessage  *message,
                                         gboolean      proxy_negotiating,
                                         const GError *error);
/* Shared with the WebSocket check: @message ended with an HTTP status while its
 * last proxy event was G_SOCKET_CLIENT_PROXY_NEGOTIATING. The status is then the
 * proxy's answer to CONNECT, not the server's: the proxy refused the tunnel. */
void         cc_https_check_fail_proxy_refusal (CcCheck     *check,
                                                SoupMessage *message);

G_END_DECLS
