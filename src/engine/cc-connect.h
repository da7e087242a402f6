/* cc-connect.h: a TCP connection for a check that a lost SYN does not cost
 * three seconds (cc-connect.c says how). For the checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Until a handshake answers, a fresh attempt starts beside the others after
 * this long, at most CC_CONNECT_MAX_ATTEMPTS in all. */
#define CC_CONNECT_RETRY_MS      1000
#define CC_CONNECT_MAX_ATTEMPTS  3

/* Connects as g_socket_client_connect_to_uri_async() does (proxies included),
 * with attempts beside the first while its TCP handshake goes unanswered. The
 * first connection made is the result; a failure is the result only when no
 * attempt is left under way. */
void               cc_connect_async  (GSocketClient        *client,
                                      const char           *uri,
                                      guint16               default_port,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
/* @attempt: which attempt made the connection (1: the first; 0 on failure). */
GSocketConnection *cc_connect_finish (GSocketClient        *client,
                                      GAsyncResult         *result,
                                      guint                *attempt,
                                      GError              **error);

/* For the checks' own attempts (libsoup's): whether, of the connections in
 * @sockets (GSocket) not yet closed, at least one still waits for the answer to
 * its SYN and none has had it, as the kernel says. */
gboolean           cc_connect_waiting_for_answer (GPtrArray *sockets);

G_END_DECLS
