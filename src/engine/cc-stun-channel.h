/* cc-stun-channel.h: the carrier under the STUN and TURN checks — one UDP
 * socket, or one TCP or TLS connection, to a STUN server, that sends requests
 * (retransmitted on UDP), splits what comes back into STUN messages and says
 * when the kernel received each. Private to the STUN checks
 * (cc-stun-check.c and its usages); cc-stun-channel.c and
 * cc-stun-channel-open.c say how.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"
#include "cc-profile.h"

G_BEGIN_DECLS

/* @data (@length bytes) is one whole RFC 5389+ STUN message, valid during the
 * call only; @received_us is the moment the kernel received it, in
 * g_get_monotonic_time()'s clock. */
typedef void (*CcStunChannelMessageFunc) (const guint8 *data,
                                          gsize         length,
                                          gint64        received_us,
                                          gpointer      user_data);
/* The channel failed after it was open: a send or a read (an ICMP error on UDP,
 * after which the channel goes on), or the stream (after which it reads no
 * more). The server closing the stream is CC_ERROR_CONNECTION_CUT; what is not
 * STUN on a stream, CC_ERROR_PROTOCOL_ERROR. */
typedef void (*CcStunChannelErrorFunc)   (const GError *error,
                                          gpointer      user_data);

#define CC_TYPE_STUN_CHANNEL (cc_stun_channel_get_type ())
G_DECLARE_FINAL_TYPE (CcStunChannel, cc_stun_channel, CC, STUN_CHANNEL, GObject)

/* @check: the check the channel serves, which owns it; the channel records on
 * it the server's address, the TLS issuer, a lookup under way, and takes its
 * TLS database and proxy settings. It is not referenced, and not touched after
 * cc_stun_channel_close(). The callbacks run until then. */
CcStunChannel *cc_stun_channel_new            (CcCheck                  *check,
                                               CcTransport               transport,
                                               const char               *host,
                                               guint16                   port,
                                               CcStunChannelMessageFunc  message_func,
                                               CcStunChannelErrorFunc    error_func,
                                               gpointer                  user_data);
/* Resolves and connects (UDP), or connects through the proxy a browser would
 * use and does the TLS handshake (TCP, TLS). Reading has begun when it
 * completes. */
void           cc_stun_channel_open_async     (CcStunChannel            *self,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
gboolean       cc_stun_channel_open_finish    (CcStunChannel            *self,
                                               GAsyncResult             *result,
                                               GError                  **error);

/* Sends one message once. */
void           cc_stun_channel_send           (CcStunChannel            *self,
                                               const guint8             *data,
                                               gsize                     length);
/* Starts a transaction: sends @data and, on UDP, sends it again until
 * cc_stun_channel_stop_retransmission() (RFC 8489 §6.2.1). */
void           cc_stun_channel_send_request   (CcStunChannel            *self,
                                               const guint8             *data,
                                               gsize                     length);
void           cc_stun_channel_stop_retransmission (CcStunChannel       *self);
/* How often the current transaction's request went out. */
guint          cc_stun_channel_get_sends      (CcStunChannel            *self);
/* The current transaction's round trip in ms, to an answer received at
 * @received_us, timed from the request's first send (an upper bound when it
 * went out again); it also sets the RTO of the channel's next transaction. */
double         cc_stun_channel_transaction_rtt (CcStunChannel           *self,
                                                gint64                   received_us);
/* A message that gives something back (a Refresh with LIFETIME 0): sent now on
 * UDP, and on a stream after the check, just before the stream is closed. */
void           cc_stun_channel_release        (CcStunChannel            *self,
                                               const guint8             *data,
                                               gsize                     length);

/* Whether bytes came that are not STUN (a datagram, a message off the
 * stream); and whether the stream holds the start of a message that has not
 * become whole. */
gboolean       cc_stun_channel_got_garbage    (CcStunChannel            *self);
gboolean       cc_stun_channel_has_partial_input (CcStunChannel         *self);
/* "Something answers on TCP port 3478, but not with STUN: …", for the details. */
char          *cc_stun_channel_describe_not_stun (CcStunChannel         *self);
/* "UDP", "TCP" or "TLS", for the details. */
const char    *cc_stun_channel_get_path_words (CcStunChannel            *self);

/* Stops everything under way, for good; the stream is closed (after the
 * release, if there is one) once its last operation has ended. */
void           cc_stun_channel_close          (CcStunChannel            *self);

G_END_DECLS
