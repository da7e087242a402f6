/* cc-stun-channel.c: the carrier the STUN checks speak over, on GIO sockets:
 * UDP, TCP, or TLS (GTlsClientConnection; libnice's own "TLS" relay type is not
 * real TLS, see PITFALLS.md). On UDP a request is sent again after 250 ms,
 * 500 ms, … for at most seven sends (RFC 8489 §6.2.1, with WebRTC's first
 * timeout), or, once an answer has timed the path, after three round trips
 * (at least 100 ms) and so on; on a stream it is sent once. Over TCP and TLS
 * there is no framing but STUN's own (RFC 8489 §6.2.2): the stream is split
 * with stun_message_validate_buffer_length(). Each
 * message is handed over with the moment the kernel received it
 * (SO_TIMESTAMPNS: on UDP; on plain TCP, whose socket is then read directly;
 * through TLS, from the stream under the TLS connection, cc-stamped-stream.c),
 * so a busy main loop does not lengthen round trips. Streams have TCP_NODELAY,
 * as a call's media would: with Nagle's algorithm a small request waits for the
 * ACK of the one before. Writes go out in order, one at a time; once the check
 * has ended and the last operation on the stream is over, the stream is closed,
 * after writing a release (a TURN Refresh with LIFETIME 0) if there is one
 * (cc_releases_write_and_close()). How the channel is opened is in
 * cc-stun-channel-open.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <stun/stunagent.h>

#include "cc-check-private.h"
#include "cc-releases.h"
#include "cc-stun-channel-private.h"
#include "cc-stun-parse.h"
#include "cc-util.h"

/* The first retransmission timeout (RTO), doubled after each send, for at
 * most Rc = 7 sends (RFC 8489 §6.2.1). RFC 8489 says 500 ms; WebRTC's own
 * STUN client (libwebrtc's stun_request.cc, in the browsers Whereby runs
 * in) starts at 250 ms, and this app asks whether the browser's allocation
 * gets through: on a lossy path, four sends fit in 3 s rather than three. */
#define STUN_RTO_INITIAL_MS    250
/* Once a transaction has been answered, the next one on the channel starts
 * from an RTO computed from its round trip R (RFC 8489 §6.2.1 keeps it for
 * the next transaction; RFC 6298 §2.2 makes the first sample's RTO
 * R + 4 × R/2 = 3R), not below this (a relay may take a moment to check a
 * login; a second send is harmless) and not above the initial RTO. On a lossy
 * path this is what sends the Allocate's signed request again after 0.1 s.
 * (An answer after a retransmission is timed from the first send, at least
 * the initial RTO: it leaves the RTO as it was, as Karn's rule wants.) */
#define STUN_RTO_MIN_MS        100
#define STUN_RC                7
/* A stream that sends more than this without a whole message is not STUN. */
#define STREAM_MAX_PENDING     (64 * 1024)

G_DEFINE_FINAL_TYPE (CcStunChannel, cc_stun_channel, G_TYPE_OBJECT)

static void cc_stun_channel_read         (CcStunChannel *self);

const char *
cc_stun_channel_get_path_words (CcStunChannel *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), NULL);

  switch (self->transport)
    {
    case CC_TRANSPORT_UDP: return "UDP";
    case CC_TRANSPORT_TCP: return "TCP";
    case CC_TRANSPORT_TLS:
    default: return "TLS";
    }
}

char *
cc_stun_channel_describe_not_stun (CcStunChannel *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), NULL);

  return g_strdup_printf (_("Something answers on %s port %u, but not with STUN: probably a filter or another service."),
                          cc_stun_channel_get_path_words (self), self->port);
}

static void
cc_stun_channel_report (CcStunChannel *self,
                        const GError  *error)
{
  if (!self->closed)
    self->error_func (error, self->user_data);
}

static void
cc_stun_channel_fail (CcStunChannel *self,
                      CcError        code,
                      const char    *detail)
{
  g_autoptr(GError) error = g_error_new_literal (CC_ERROR, code, detail);

  cc_stun_channel_report (self, error);
}

/* One whole datagram, or one message split off the stream. */
static void
cc_stun_channel_deliver (CcStunChannel *self,
                         const guint8  *data,
                         gsize          len)
{
  if (self->closed)
    return;

  if (!cc_stun_is_message (data, len))
    {
      self->got_garbage = TRUE;
      return;
    }

  self->message_func (data, len, self->received_us, self->user_data);
}

/* Once the channel is closed and no handshake, read or write is under way on
 * the stream any more: write the release if there is one, then close. */
void
cc_stun_channel_close_stream (CcStunChannel *self)
{
  GIOStream *stream;

  if (self->stream == NULL || self->stream_ops > 0 || !self->closed)
    return;

  g_signal_handlers_disconnect_by_data (self->stream, self);
  stream = g_steal_pointer (&self->stream);

  if (self->release != NULL && !g_io_stream_is_closed (stream))
    {
      cc_releases_write_and_close (stream, g_steal_pointer (&self->release));
      return;
    }

  if (!g_io_stream_is_closed (stream))
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (stream);
}

/* ---- sending ---- */

static void cc_stun_channel_write_next (CcStunChannel *self);

static void
cc_stun_channel_write_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CcStunChannel) self = user_data;
  g_autoptr(GError) error = NULL;

  self->stream_ops--;
  g_clear_pointer (&self->writing, g_bytes_unref);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    cc_stun_channel_report (self, error);
  else
    cc_stun_channel_write_next (self);

  cc_stun_channel_close_stream (self);
}

static void
cc_stun_channel_write_next (CcStunChannel *self)
{
  if (self->writing != NULL || self->stream == NULL || self->closed)
    return;

  self->writing = g_queue_pop_head (&self->outq);
  if (self->writing == NULL)
    return;

  self->stream_ops++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   g_bytes_get_data (self->writing, NULL),
                                   g_bytes_get_size (self->writing),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   cc_stun_channel_write_cb, g_object_ref (self));
}

void
cc_stun_channel_send (CcStunChannel *self,
                      const guint8  *data,
                      gsize          length)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CC_IS_STUN_CHANNEL (self));

  if (self->closed)
    return;

  if (self->transport != CC_TRANSPORT_UDP)
    {
      g_queue_push_tail (&self->outq, g_bytes_new (data, length));
      cc_stun_channel_write_next (self);
      return;
    }

  /* An ICMP error from an earlier datagram can surface on this send. */
  if (g_socket_send (self->socket, (const char *) data, length, NULL, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    cc_stun_channel_report (self, error);
}

static gboolean cc_stun_channel_retransmit_cb (gpointer user_data);

static void
cc_stun_channel_transmit (CcStunChannel *self)
{
  /* A retransmission carries the same transaction id (RFC 8489 §6.2.1), so an
   * answer does not say which send it answers: it is timed from the first,
   * which makes the round trip an upper bound once the request went out again
   * (Karn's ambiguity; on a 600 ms satellite path, the answer to the first
   * send comes 350 ms after the second). */
  if (self->sends == 0)
    self->sent_us = g_get_monotonic_time ();
  self->sends++;
  cc_stun_channel_send (self, self->request, self->request_len);

  if (self->transport == CC_TRANSPORT_UDP && self->sends < STUN_RC && !self->closed)
    {
      cc_source_clear (&self->retransmit);
      self->retransmit = cc_timeout_attach (self->rto_ms, cc_stun_channel_retransmit_cb, self,
                                            "[connection-check] STUN retransmission");
      self->rto_ms *= 2;
    }
}

static gboolean
cc_stun_channel_retransmit_cb (gpointer user_data)
{
  g_autoptr(CcStunChannel) self = g_object_ref (user_data);

  g_clear_pointer (&self->retransmit, g_source_unref);
  cc_stun_channel_transmit (self);
  return G_SOURCE_REMOVE;
}

void
cc_stun_channel_send_request (CcStunChannel *self,
                              const guint8  *data,
                              gsize          length)
{
  g_return_if_fail (CC_IS_STUN_CHANNEL (self));
  g_return_if_fail (length > 0 && length <= sizeof self->request);

  cc_source_clear (&self->retransmit);
  memset (self->request, 0, sizeof self->request);
  memcpy (self->request, data, length);
  self->request_len = length;
  self->sends = 0;
  self->rto_ms = self->learned_rto_ms > 0 ? self->learned_rto_ms : STUN_RTO_INITIAL_MS;
  cc_stun_channel_transmit (self);
}

void
cc_stun_channel_stop_retransmission (CcStunChannel *self)
{
  g_return_if_fail (CC_IS_STUN_CHANNEL (self));

  cc_source_clear (&self->retransmit);
}

void
cc_stun_channel_release (CcStunChannel *self,
                         const guint8  *data,
                         gsize          length)
{
  g_return_if_fail (CC_IS_STUN_CHANNEL (self));

  if (self->transport == CC_TRANSPORT_UDP)
    {
      /* Best effort, the answer is not awaited. */
      if (self->socket != NULL)
        g_socket_send (self->socket, (const char *) data, length, NULL, NULL);
      return;
    }

  g_clear_pointer (&self->release, g_bytes_unref);
  self->release = g_bytes_new (data, length);
}

/* ---- receiving ---- */

static gboolean
cc_stun_channel_udp_readable_cb (GSocket      *socket,
                                 GIOCondition  condition,
                                 gpointer      user_data)
{
  g_autoptr(CcStunChannel) self = g_object_ref (user_data);
  guint8 buffer[CC_STUN_BUFFER_SIZE + 1];

  /* Drain what is there, but let other sources run between bursts. */
  for (guint i = 0; i < 64 && !self->closed; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = cc_socket_receive_timed (socket, buffer, sizeof buffer, &self->received_us, &error);

      if (n < 0)
        {
          /* ICMP port unreachable is G_IO_ERROR_CONNECTION_REFUSED here. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            cc_stun_channel_report (self, error);
          break;
        }

      cc_stun_channel_deliver (self, buffer, n);
    }

  return G_SOURCE_CONTINUE;
}

/* What a read of the stream gave (@n bytes of self->readbuf, 0 at its end, or
 * @error): splits it into STUN messages and hands them over. Returns whether
 * to read on. */
static gboolean
cc_stun_channel_stream_input (CcStunChannel *self,
                              gssize         n,
                              GError        *error)
{
  if (n < 0)
    {
      cc_stun_channel_report (self, error);
      return FALSE;
    }

  if (n == 0)
    {
      cc_stun_channel_fail (self, CC_ERROR_CONNECTION_CUT,
                            _("The server closed the connection without answering."));
      return FALSE;
    }

  g_byte_array_append (self->inbuf, self->readbuf, n);

  while (self->inbuf->len > 0 && !self->closed)
    {
      int len = stun_message_validate_buffer_length (self->inbuf->data, self->inbuf->len, TRUE);

      /* Not a STUN header where one must start (or not RFC 5389's cookie):
       * whatever answers is not a STUN server. */
      if (len == STUN_MESSAGE_BUFFER_INVALID ||
          (self->inbuf->len >= STUN_MESSAGE_TRANS_ID_POS &&
           !cc_stun_has_cookie (self->inbuf->data, self->inbuf->len)))
        {
          g_autofree char *detail = cc_stun_channel_describe_not_stun (self);

          cc_stun_channel_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
          return FALSE;
        }
      if (len == STUN_MESSAGE_BUFFER_INCOMPLETE || (guint) len > self->inbuf->len)
        break;

      cc_stun_channel_deliver (self, self->inbuf->data, len);
      g_byte_array_remove_range (self->inbuf, 0, len);
    }

  if (self->closed)
    return FALSE;

  if (self->inbuf->len > STREAM_MAX_PENDING)
    {
      cc_stun_channel_fail (self, CC_ERROR_PROTOCOL_ERROR,
                            _("The server sends data that never forms a STUN message."));
      return FALSE;
    }

  return TRUE;
}

static void
cc_stun_channel_read_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CcStunChannel) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  /* The answer's moment first, before anything else is done: through TLS,
   * the kernel's for the last segment the TLS layer read, when it read one
   * since the last answer (else what it returns was already buffered). */
  self->received_us = g_get_monotonic_time ();
  if (self->stamped != NULL)
    {
      gint64 stamp = cc_stamped_stream_get_received_us (self->stamped);

      if (stamp > self->stamp_used_us && stamp <= self->received_us)
        self->received_us = self->stamp_used_us = stamp;
    }
  self->stream_ops--;
  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (self->closed)
    {
      cc_stun_channel_close_stream (self);
      return;
    }

  if (cc_stun_channel_stream_input (self, n, error))
    cc_stun_channel_read (self);
}

/* The socket under @stream when what the stream carries is what arrives on
 * the socket: plain TCP, or tunnelled through an HTTP or SOCKS proxy (GIO's
 * CONNECT reads the proxy's answer byte by byte, nothing beyond it). NULL
 * when something is in between (an HTTPS proxy's TLS). */
GSocket *
cc_stun_channel_plain_socket (GIOStream *stream)
{
  if (G_IS_TCP_WRAPPER_CONNECTION (stream))
    {
      GIOStream *base = g_tcp_wrapper_connection_get_base_io_stream (G_TCP_WRAPPER_CONNECTION (stream));

      return G_IS_TCP_CONNECTION (base) && !G_IS_TCP_WRAPPER_CONNECTION (base)
             ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (base)) : NULL;
    }
  if (G_IS_TCP_CONNECTION (stream))
    return g_socket_connection_get_socket (G_SOCKET_CONNECTION (stream));
  return NULL;
}

/* TCP without TLS: the socket is read directly, so that each read comes with
 * the kernel's moment of receipt (SO_TIMESTAMPNS, which TCP gives for the last
 * segment read) instead of the main loop's, as on UDP. Through an HTTP proxy
 * the socket is the proxy's: after the CONNECT, the relay's bytes arrive there
 * as they are. */
static gboolean
cc_stun_channel_tcp_readable_cb (GSocket      *socket,
                                 GIOCondition  condition,
                                 gpointer      user_data)
{
  g_autoptr(CcStunChannel) self = g_object_ref (user_data);

  for (guint i = 0; i < 64 && !self->closed; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = cc_socket_receive_timed (socket, self->readbuf, sizeof self->readbuf,
                                          &self->received_us, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (!cc_stun_channel_stream_input (self, n, error))
        {
          cc_source_clear (&self->socket_source);
          return G_SOURCE_REMOVE;
        }
    }

  return G_SOURCE_CONTINUE;
}

/* The next read of a stream that is not read at its socket. */
static void
cc_stun_channel_read (CcStunChannel *self)
{
  if (self->closed)
    return;

  self->stream_ops++;
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream),
                             self->readbuf, sizeof self->readbuf, G_PRIORITY_DEFAULT,
                             self->cancellable, cc_stun_channel_read_cb, g_object_ref (self));
}

static void
cc_stun_channel_watch (CcStunChannel     *self,
                       GSocket           *socket,
                       GIOCondition       condition,
                       GSocketSourceFunc  func,
                       const char        *name)
{
  self->socket_source = g_socket_create_source (socket, condition, NULL);
  g_source_set_callback (self->socket_source, (GSourceFunc) (GCallback) func, self, NULL);
  g_source_set_name (self->socket_source, name);
  g_source_attach (self->socket_source, g_main_context_get_thread_default ());
}

/* Decided once: UDP and plain TCP (where the kernel stamps each read) are read
 * at their socket, TLS and what else is in between through the stream. */
void
cc_stun_channel_begin_reading (CcStunChannel *self)
{
  GSocket *socket;

  if (self->stream == NULL)
    {
      cc_stun_channel_watch (self, self->socket, G_IO_IN | G_IO_ERR, cc_stun_channel_udp_readable_cb,
                             "[connection-check] STUN socket");
      return;
    }

  socket = self->transport == CC_TRANSPORT_TCP ? cc_stun_channel_plain_socket (self->stream) : NULL;
  if (socket != NULL && cc_socket_enable_receive_timestamps (socket))
    cc_stun_channel_watch (self, socket, G_IO_IN | G_IO_ERR | G_IO_HUP, cc_stun_channel_tcp_readable_cb,
                           "[connection-check] STUN stream socket");
  else
    cc_stun_channel_read (self);
}

static void
cc_stun_channel_dispose (GObject *object)
{
  CcStunChannel *self = CC_STUN_CHANNEL (object);

  /* Every stream operation holds a reference, so none is under way here and
   * this closes the stream if cc_stun_channel_close() has not yet. */
  cc_stun_channel_close (self);
  g_clear_pointer (&self->release, g_bytes_unref);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stamped);
  g_clear_error (&self->tls_error);

  G_OBJECT_CLASS (cc_stun_channel_parent_class)->dispose (object);
}

static void
cc_stun_channel_finalize (GObject *object)
{
  CcStunChannel *self = CC_STUN_CHANNEL (object);

  g_free (self->host);
  /* An authenticated request carries MESSAGE-INTEGRITY. */
  memset (self->request, 0, sizeof self->request);
  g_byte_array_unref (self->inbuf);

  G_OBJECT_CLASS (cc_stun_channel_parent_class)->finalize (object);
}

static void
cc_stun_channel_class_init (CcStunChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_stun_channel_dispose;
  object_class->finalize = cc_stun_channel_finalize;
}

static void
cc_stun_channel_init (CcStunChannel *self)
{
  self->inbuf = g_byte_array_new ();
  self->rto_ms = STUN_RTO_INITIAL_MS;
  g_queue_init (&self->outq);
}

CcStunChannel *
cc_stun_channel_new (CcCheck                  *check,
                     CcTransport               transport,
                     const char               *host,
                     guint16                   port,
                     CcStunChannelMessageFunc  message_func,
                     CcStunChannelErrorFunc    error_func,
                     gpointer                  user_data)
{
  CcStunChannel *self;

  g_return_val_if_fail (CC_IS_CHECK (check), NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (message_func != NULL && error_func != NULL, NULL);

  self = g_object_new (CC_TYPE_STUN_CHANNEL, NULL);
  self->check = check;
  self->transport = transport;
  self->host = g_strdup (host);
  self->port = port;
  self->message_func = message_func;
  self->error_func = error_func;
  self->user_data = user_data;

  return self;
}

guint
cc_stun_channel_get_sends (CcStunChannel *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), 0);

  return self->sends;
}

double
cc_stun_channel_transaction_rtt (CcStunChannel *self,
                                 gint64         received_us)
{
  double rtt_ms;

  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), -1);

  rtt_ms = MAX (0, received_us - self->sent_us) / 1000.0;
  self->learned_rto_ms = (guint) CLAMP (3 * rtt_ms, STUN_RTO_MIN_MS, STUN_RTO_INITIAL_MS);
  return rtt_ms;
}

gboolean
cc_stun_channel_got_garbage (CcStunChannel *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), FALSE);

  return self->got_garbage;
}

gboolean
cc_stun_channel_has_partial_input (CcStunChannel *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), FALSE);

  return self->inbuf->len > 0;
}

void
cc_stun_channel_close (CcStunChannel *self)
{
  g_return_if_fail (CC_IS_STUN_CHANNEL (self));

  cc_source_clear (&self->retransmit);
  cc_source_clear (&self->socket_source);

  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);

  g_queue_clear_full (&self->outq, (GDestroyNotify) g_bytes_unref);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  self->closed = TRUE;
  self->check = NULL;

  cc_stun_channel_close_stream (self);
}
