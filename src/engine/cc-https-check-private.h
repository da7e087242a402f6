/* cc-https-check-private.h: the libsoup probe the HTTPS and the WebSocket
 * checks share (a session set up as the check says, the target of a URL, and
 * how a failed send or a proxy's refusal ends the check). For those two checks
 * only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "cc-connect.h"
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

/* Shared with the WebSocket check: the address @message connected to and the
 * issuer of the certificate it was shown. */
void         cc_https_check_record_peer (CcCheck     *check,
                                         SoupMessage *message);

/* A probe's attempts: one request (GET, or a WebSocket's upgrade) on a
 * connection of its own, and while no attempt's TCP handshake has been
 * answered, another beside the others every CC_CONNECT_RETRY_MS, at most
 * CC_CONNECT_MAX_ATTEMPTS (cc-connect.c says why; libsoup makes its own
 * connections, so the attempts here are requests). Each attempt records what
 * its message's signals said. */
typedef struct
{
  CcCheck              *check;
  SoupMessage          *message;
  GCancellable         *cancellable;
  GSocket              *socket;            /* its connection's, once connecting (weak) */
  GTlsCertificateFlags  rejected;
  gboolean              saw_rejection;
  gboolean              proxy_negotiating; /* the last proxy event was NEGOTIATING */
  gboolean              connected;
  gboolean              pending;
  gulong                cancelled_id;
} CcProbeAttempt;

typedef struct _CcProbe CcProbe;

/* Sends @attempt's message on the check's session, with the attempt as the
 * callback's data; the probe has taken a reference to @check for the send,
 * which the callback gives back. */
typedef void (*CcProbeSend) (CcCheck        *check,
                             CcProbeAttempt *attempt);

/* Starts the first attempt at once. @cancellable: the check's. */
CcProbe        *cc_probe_new    (CcCheck         *check,
                                 const char      *url,
                                 GCancellable    *cancellable,
                                 CcProbeSend      send);
/* An attempt ended (@failed: without the answer it was after, @error saying
 * why). Returns the attempt whose ending is the check's, with its error in
 * @error, and stops the others; NULL while others may still get through. */
CcProbeAttempt *cc_probe_settle (CcProbe         *probe,
                                 CcProbeAttempt  *attempt,
                                 gboolean         failed,
                                 GError         **error);
void            cc_probe_free   (CcProbe         *probe);

G_END_DECLS
