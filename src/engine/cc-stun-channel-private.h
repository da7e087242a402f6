/* cc-stun-channel-private.h: the channel's state, shared by the two files
 * that make it: cc-stun-channel.c (sending, receiving, closing) and
 * cc-stun-channel-open.c (resolving, connecting, the TLS handshake). Nothing
 * else includes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-stamped-stream.h"
#include "cc-stun-channel.h"
#include "cc-stun-parse.h"

G_BEGIN_DECLS

struct _CcStunChannel
{
  GObject                   parent_instance;

  CcCheck                  *check;           /* not owned; NULL once closed */
  CcTransport               transport;
  char                     *host;
  guint16                   port;
  CcStunChannelMessageFunc  message_func;
  CcStunChannelErrorFunc    error_func;
  gpointer                  user_data;

  GCancellable             *cancellable;
  gboolean                  closed;
  gint64                    received_us;     /* when the message being handed over came */
  gboolean                  got_garbage;     /* bytes that are not STUN at all */

  /* UDP; on plain TCP, socket_source reads the connection's socket */
  GSocket                  *socket;
  GSource                  *socket_source;

  /* TCP, TLS */
  GIOStream                *stream;
  CcStampedStream          *stamped;         /* under the TLS connection, or NULL */
  gint64                    stamp_used_us;   /* its last stamp taken as an answer's */
  guint                     stream_ops;      /* handshake, read and write under way */
  GError                   *tls_error;       /* the certificate the handshake refused */
  GByteArray               *inbuf;
  guint8                    readbuf[4096];
  GQueue                    outq;            /* GBytes waiting to be written */
  GBytes                   *writing;         /* the one being written */
  GBytes                   *release;         /* a Refresh to write before closing */

  /* the transaction */
  guint8                    request[CC_STUN_BUFFER_SIZE];
  gsize                     request_len;
  GSource                  *retransmit;
  guint                     sends;
  guint                     rto_ms;
  guint                     learned_rto_ms;  /* 0 until a transaction was answered */
  gint64                    sent_us;         /* the transaction's first send */
};

/* The socket under @stream when what the stream carries is what arrives on it
 * (plain TCP, or a tunnel through an HTTP or SOCKS proxy); else NULL. */
GSocket *cc_stun_channel_plain_socket   (GIOStream     *stream);
/* The channel is connected: watch the UDP socket, or read the stream. */
void     cc_stun_channel_begin_reading  (CcStunChannel *self);
/* Closes the stream once the channel is closed and nothing is under way on it. */
void     cc_stun_channel_close_stream   (CcStunChannel *self);

G_END_DECLS
