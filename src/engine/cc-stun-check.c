/* cc-stun-check.c: speaks STUN (RFC 8489) and TURN (RFC 8656) to a server, with
 * messages built and checked by libnice's STUN library and carried on GIO
 * sockets: UDP, TCP, or TLS (GTlsClientConnection; libnice's own "TLS" relay
 * type is not real TLS, see PITFALLS.md).
 *
 *  - binding: one request, retransmitted on UDP per RFC 8489 §6.2.1; the answer
 *    gives this device's address as the server sees it;
 *  - allocate: without credentials, a 401 carrying REALM and NONCE proves the
 *    TURN service is reachable; with credentials, a real allocation is made and
 *    released at once (Refresh with LIFETIME 0, RFC 8656 §7.2);
 *  - burst: Binding requests at a fixed pace, like a call's audio packets, giving
 *    round-trip time, RFC 3550 jitter and loss. The burst plans itself inside the
 *    check's time limit and ends with its numbers before the deadline.
 * Round trips run from the moment of the send call to the moment the kernel
 * received the answer (SO_TIMESTAMPNS: on UDP; on plain TCP, whose socket is
 * then read directly; through TLS, from the stream under the TLS connection,
 * cc-stamped-stream.c): a busy main loop does not lengthen them. Streams have TCP_NODELAY, as a call's media would: with Nagle's
 * algorithm a small request waits for the ACK of the one before.
 * Over TCP and TLS there is no framing but STUN's own (RFC 8489 §6.2.2): the
 * stream is split with stun_message_validate_buffer_length(). Credentials never
 * leave this object except inside MESSAGE-INTEGRITY.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>
#include <stun/stunagent.h>
#include <stun/usages/bind.h>
#include <stun/usages/turn.h>

#include "cc-check-private.h"
#include "cc-connect.h"
#include "cc-releases.h"
#include "cc-stamped-stream.h"
#include "cc-stun-check.h"
#include "cc-secrets.h"
#include "cc-stun-parse.h"
#include "cc-tcp-check.h"
#include "cc-tls-info.h"

/* RFC 8489 §6.2.1: the first retransmission timeout (RTO) is 500 ms and doubles
 * after each send, for at most Rc = 7 sends. */
#define STUN_RTO_INITIAL_MS    500
#define STUN_RC                7
/* 438 Stale Nonce (RFC 8489 §9.2.5) may send us round again this many times. */
#define STUN_MAX_NONCE_RETRIES 3
/* A second 401 with another realm is answered once more, then we give up. */
#define STUN_MAX_AUTH_ROUNDS   2
/* A libnice StunAgent remembers this many outstanding transactions. */
#define BURST_PER_AGENT        STUN_AGENT_MAX_SAVED_IDS
/* After the last burst request, late answers still count for this long (a
 * round trip longer than this makes a call unusable anyway). */
#define BURST_GRACE_MS         1000
/* The burst ends itself this long before the check's deadline, so it reports
 * its numbers rather than racing the base class's timeout. */
#define BURST_DEADLINE_MARGIN_MS 50
/* The least time a burst gets to reach its server, whatever the limit. */
#define BURST_MIN_CONNECT_MS 500
/* A stream that sends more than this without a whole message is not STUN. */
#define STREAM_MAX_PENDING     (64 * 1024)
/* The Refresh that releases an allocation made over TCP or TLS is given this
 * long to be written; closing the connection ends the allocation anyway. */
#define RELEASE_WRITE_LIMIT_MS 1000

typedef struct
{
  gint64 sent_us;
  double rtt_ms;          /* < 0 until answered */
} BurstSlot;

struct _CcStunCheck
{
  CcCheck          parent_instance;

  CcStunMode       mode;
  CcTransport      transport;
  char            *host;
  guint16          port;
  char            *username;
  char            *credential;
  guint            burst_count;
  guint            burst_interval_ms;

  GCancellable    *cancellable;
  gint64           started_us;
  gboolean         stopped;

  /* UDP */
  GSocket         *socket;
  GSource         *socket_source;

  /* TCP, TLS */
  GIOStream       *stream;
  CcStampedStream *stamped;          /* under the TLS connection, or NULL */
  gint64           stamp_used_us;    /* its last stamp taken as an answer's */
  guint            stream_ops;       /* handshake, read and write under way */
  GByteArray      *inbuf;
  guint8           readbuf[4096];
  GQueue           outq;             /* GBytes waiting to be written */
  GBytes          *writing;          /* the one being written */
  GBytes          *release;          /* a Refresh to write before closing */

  StunAgent        agent;
  guint8           request[CC_STUN_BUFFER_SIZE];
  gsize            request_len;
  GSource         *retransmit;
  guint            sends;
  guint            rto_ms;
  gint64           sent_us;          /* the transaction's first send */
  gint64           received_us;      /* when the message being handled came */
  gboolean         got_garbage;      /* bytes that are not STUN at all */
  gboolean         got_unmatched;    /* STUN that answers none of our requests */
  gboolean         got_stun;         /* a message that validated */

  /* allocate */
  guint8           challenge[CC_STUN_BUFFER_SIZE];  /* the last 401/438: REALM, NONCE */
  gsize            challenge_len;
  char            *realm;
  guint            auth_rounds;
  guint            nonce_retries;
  char            *relayed;

  /* burst */
  GPtrArray       *agents;
  GHashTable      *ids;              /* transaction id (GBytes) → slot index + 1 */
  GArray          *slots;            /* BurstSlot */
  GSource         *burst_timer;
  GSource         *connect_deadline; /* bursts: reaching the server must fit the plain limit */
  guint            received;
  gint64           burst_start_us;
  gint64           burst_send_until_us;
  gint64           burst_end_us;
  gboolean         burst_waiting;    /* all sent, waiting for stragglers */
};

G_DEFINE_FINAL_TYPE (CcStunCheck, cc_stun_check, CC_TYPE_CHECK)

static void cc_stun_check_send_bytes   (CcStunCheck  *self,
                                        const guint8 *data,
                                        gsize         len);
static void cc_stun_check_close_stream (CcStunCheck  *self);

static const char *
path_words (CcStunCheck *self)
{
  switch (self->transport)
    {
    case CC_TRANSPORT_UDP: return "UDP";
    case CC_TRANSPORT_TCP: return "TCP";
    case CC_TRANSPORT_TLS:
    default: return "TLS";
    }
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GSource *
attach_timeout (guint       delay_ms,
                GSourceFunc func,
                gpointer    data,
                const char *name)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

/* Everything under way stops: timers, the UDP socket, pending I/O (whose
 * callbacks then close the stream). Runs when the check ends, however it ends
 * (CcCheckClass.finished), and again in dispose. */
static void
cc_stun_check_stop (CcStunCheck *self)
{
  clear_source (&self->retransmit);
  clear_source (&self->burst_timer);
  clear_source (&self->connect_deadline);
  clear_source (&self->socket_source);

  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);

  g_queue_clear_full (&self->outq, (GDestroyNotify) g_bytes_unref);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  self->stopped = TRUE;

  cc_stun_check_close_stream (self);
}

static void
cc_stun_check_finished (CcCheck *check)
{
  cc_stun_check_stop (CC_STUN_CHECK (check));
}

static void
cc_stun_check_finish_fail (CcStunCheck *self,
                           CcError      code,
                           const char  *detail)
{
  cc_check_fail (CC_CHECK (self), code, detail);
  cc_stun_check_stop (self);
}

static void
cc_stun_check_finish_error (CcStunCheck  *self,
                            const GError *error)
{
  cc_check_fail_error (CC_CHECK (self), error);
  cc_stun_check_stop (self);
}

static void
cc_stun_check_finish_pass (CcStunCheck *self,
                           const char  *detail)
{
  cc_check_pass (CC_CHECK (self), detail);
  cc_stun_check_stop (self);
}

/* ---- releasing an allocation on a stream, after the check ---- */

typedef struct
{
  GIOStream    *stream;
  GBytes       *bytes;
  GCancellable *cancellable;
  GSource      *limit;
} StreamRelease;

static void
stream_release_free (StreamRelease *release)
{
  cc_releases_end ();
  clear_source (&release->limit);
  g_clear_object (&release->cancellable);
  g_clear_object (&release->stream);
  g_clear_pointer (&release->bytes, g_bytes_unref);
  g_free (release);
}

static gboolean
stream_release_limit_cb (gpointer user_data)
{
  StreamRelease *release = user_data;

  g_cancellable_cancel (release->cancellable);
  return G_SOURCE_REMOVE;
}

static void
stream_release_written_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  StreamRelease *release = user_data;

  /* Best effort: a failure only means the server ends the allocation when the
   * connection closes, or when its lifetime runs out. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (release->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  stream_release_free (release);
}

/* Takes @stream and @bytes; holds no reference to the check. */
static void
stream_release_start (GIOStream *stream,
                      GBytes    *bytes)
{
  StreamRelease *release = g_new0 (StreamRelease, 1);

  cc_releases_begin ();
  release->stream = stream;
  release->bytes = bytes;
  release->cancellable = g_cancellable_new ();
  release->limit = attach_timeout (RELEASE_WRITE_LIMIT_MS, stream_release_limit_cb, release,
                                   "[connection-check] TURN release limit");
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, release->cancellable,
                                   stream_release_written_cb, release);
}

/* Once the check has ended and no handshake, read or write is under way on the
 * stream any more: write the release if there is one, then close. */
static void
cc_stun_check_close_stream (CcStunCheck *self)
{
  GIOStream *stream;

  if (self->stream == NULL || self->stream_ops > 0 || !self->stopped)
    return;

  g_signal_handlers_disconnect_by_data (self->stream, self);
  stream = g_steal_pointer (&self->stream);

  if (self->release != NULL && !g_io_stream_is_closed (stream))
    {
      stream_release_start (stream, g_steal_pointer (&self->release));
      return;
    }

  if (!g_io_stream_is_closed (stream))
    g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (stream);
}

/* ---- burst ---- */

static void
cc_stun_check_burst_conclude (CcStunCheck *self)
{
  guint sent = self->slots->len;
  double sum = 0, jitter = 0, previous = -1, loss, mean;
  g_autofree char *detail = NULL;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (self->received == 0)
    {
      detail = g_strdup_printf (_("None of %u packets sent over %s port %u got an answer."),
                                sent, path_words (self), self->port);
      cc_stun_check_finish_fail (self,
                                 self->got_garbage && !self->got_stun ? CC_ERROR_PROTOCOL_ERROR
                                                                      : CC_ERROR_TIMEOUT,
                                 detail);
      return;
    }

  for (guint i = 0; i < sent; i++)
    {
      BurstSlot *slot = &g_array_index (self->slots, BurstSlot, i);

      if (slot->rtt_ms < 0)
        continue;
      sum += slot->rtt_ms;
      /* RFC 3550 §6.4.1: J += (|D(i-1,i)| - J) / 16, D being the difference in
       * transit time, which for round trips is the difference of RTTs. */
      if (previous >= 0)
        jitter += (fabs (slot->rtt_ms - previous) - jitter) / 16.0;
      previous = slot->rtt_ms;
    }

  mean = sum / self->received;
  loss = 100.0 * (sent - self->received) / sent;
  cc_check_set_metrics (CC_CHECK (self), mean, jitter, loss);
  detail = g_strdup_printf (_("%u of %u packets answered over %s port %u: %.1f %% loss, round trip %.1f ms, jitter %.1f ms."),
                            self->received, sent, path_words (self), self->port,
                            loss, mean, jitter);
  cc_stun_check_finish_pass (self, detail);
}

static gboolean
cc_stun_check_burst_grace_cb (gpointer user_data)
{
  CcStunCheck *self = user_data;

  g_clear_pointer (&self->burst_timer, g_source_unref);
  cc_stun_check_burst_conclude (self);
  return G_SOURCE_REMOVE;
}

static gboolean cc_stun_check_burst_send_cb (gpointer user_data);

static void
cc_stun_check_burst_schedule (CcStunCheck *self,
                              gint64       at_us,
                              GSourceFunc  func)
{
  gint64 delay_us = MAX (0, at_us - g_get_monotonic_time ());

  clear_source (&self->burst_timer);
  self->burst_timer = attach_timeout ((delay_us + 999) / 1000, func, self,
                                      "[connection-check] STUN burst");
}

/* Sends request number slots->len, then plans the next one (on the schedule
 * start + i × interval, so timer lateness does not add up) or the wait for
 * stragglers. */
static gboolean
cc_stun_check_burst_send_cb (gpointer user_data)
{
  CcStunCheck *self = user_data;
  guint index = self->slots->len;
  StunAgent *agent;
  StunMessage msg;
  StunTransactionId id;
  BurstSlot slot = { 0, -1 };
  gint64 next_us, now;
  gsize len;

  g_clear_pointer (&self->burst_timer, g_source_unref);

  if (index % BURST_PER_AGENT == 0)
    {
      agent = g_new0 (StunAgent, 1);
      stun_agent_init (agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389, 0);
      g_ptr_array_add (self->agents, agent);
    }
  agent = self->agents->pdata[index / BURST_PER_AGENT];

  len = stun_usage_bind_create (agent, &msg, self->request, sizeof self->request);
  g_assert (len > 0);

  stun_message_id (&msg, id);
  g_hash_table_insert (self->ids, g_bytes_new (id, sizeof id), GUINT_TO_POINTER (index + 1));
  slot.sent_us = g_get_monotonic_time ();
  g_array_append_val (self->slots, slot);
  cc_stun_check_send_bytes (self, self->request, len);

  if (cc_check_is_done (CC_CHECK (self)))
    return G_SOURCE_REMOVE;

  now = g_get_monotonic_time ();
  next_us = self->burst_start_us + (gint64) (index + 1) * self->burst_interval_ms * 1000;
  if (index + 1 < self->burst_count && next_us <= self->burst_send_until_us)
    cc_stun_check_burst_schedule (self, next_us, cc_stun_check_burst_send_cb);
  else if (self->received == self->slots->len)
    cc_stun_check_burst_conclude (self);
  else
    {
      self->burst_waiting = TRUE;
      cc_stun_check_burst_schedule (self, MIN (now + BURST_GRACE_MS * 1000, self->burst_end_us),
                                    cc_stun_check_burst_grace_cb);
    }

  return G_SOURCE_REMOVE;
}

/* Plans the burst inside the time left: the last send leaves a wait for
 * stragglers of BURST_GRACE_MS, or half of the time left if that is shorter,
 * and everything ends before the base class's deadline. */
static void
cc_stun_check_burst_begin (CcStunCheck *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 limit_ms = (gint64) cc_check_get_timeout_ms (CC_CHECK (self)) - BURST_DEADLINE_MARGIN_MS;
  gint64 available;

  clear_source (&self->connect_deadline);
  self->burst_start_us = now;
  self->burst_end_us = MAX (now, self->started_us + limit_ms * 1000);
  available = self->burst_end_us - now;
  self->burst_send_until_us = self->burst_end_us - MIN (BURST_GRACE_MS * 1000, available / 2);

  cc_stun_check_burst_send_cb (self);
}

static void
cc_stun_check_burst_reply (CcStunCheck  *self,
                           const guint8 *data,
                           gsize         len)
{
  g_autoptr(GBytes) key = NULL;
  g_auto(CcStunReply) reply = { 0, };
  gpointer value;
  guint index;
  BurstSlot *slot;

  key = g_bytes_new (data + STUN_MESSAGE_TRANS_ID_POS, sizeof (StunTransactionId));
  if (!g_hash_table_lookup_extended (self->ids, key, NULL, &value))
    return;

  index = GPOINTER_TO_UINT (value) - 1;
  if (cc_stun_parse_reply (self->agents->pdata[index / BURST_PER_AGENT], CC_STUN_USAGE_BURST,
                           data, len, &reply) != CC_STUN_REPLY_SUCCESS)
    return;

  self->got_stun = TRUE;
  slot = &g_array_index (self->slots, BurstSlot, index);
  if (slot->rtt_ms < 0)
    {
      slot->rtt_ms = MAX (0, self->received_us - slot->sent_us) / 1000.0;
      self->received++;
    }

  /* Every request sent and answered: nothing left to wait for. */
  if (self->burst_waiting && self->received == self->slots->len)
    cc_stun_check_burst_conclude (self);
}

/* ---- binding and allocate ---- */

static gboolean cc_stun_check_retransmit_cb (gpointer user_data);

static void
cc_stun_check_send_request (CcStunCheck *self)
{
  /* A retransmission carries the same transaction id (RFC 8489 §6.2.1), so an
   * answer does not say which send it answers: it is timed from the first,
   * which makes the round trip an upper bound once the request went out again
   * (Karn's ambiguity; on a 600 ms satellite path, the answer to the first
   * send comes 100 ms after the second). */
  if (self->sends == 0)
    self->sent_us = g_get_monotonic_time ();
  self->sends++;
  cc_stun_check_send_bytes (self, self->request, self->request_len);

  if (self->transport == CC_TRANSPORT_UDP && self->sends < STUN_RC &&
      !cc_check_is_done (CC_CHECK (self)))
    {
      clear_source (&self->retransmit);
      self->retransmit = attach_timeout (self->rto_ms, cc_stun_check_retransmit_cb, self,
                                         "[connection-check] STUN retransmission");
      self->rto_ms *= 2;
    }
}

static gboolean
cc_stun_check_retransmit_cb (gpointer user_data)
{
  CcStunCheck *self = user_data;

  g_clear_pointer (&self->retransmit, g_source_unref);
  cc_stun_check_send_request (self);
  return G_SOURCE_REMOVE;
}

static void
cc_stun_check_new_transaction (CcStunCheck *self)
{
  clear_source (&self->retransmit);
  self->sends = 0;
  self->rto_ms = STUN_RTO_INITIAL_MS;
  cc_stun_check_send_request (self);
}

/* Releases the allocation at once (RFC 8656 §7.2: Refresh with LIFETIME 0).
 * libnice signs a long-term request only when REALM and NONCE are in it, and
 * takes them from the "previous response": that has to be the last 401/438, as
 * a success response carries neither. Best effort, the answer is not awaited:
 * on UDP the datagram goes out now, on a stream after the pending I/O ends. */
static void
cc_stun_check_release (CcStunCheck *self)
{
  StunMessage challenge = { 0 };
  StunMessage msg;
  guint8 buffer[CC_STUN_BUFFER_SIZE];
  gsize len;

  challenge.buffer = self->challenge;
  challenge.buffer_len = self->challenge_len;

  len = stun_usage_turn_create_refresh (&self->agent, &msg, buffer, sizeof buffer,
                                        &challenge, 0,
                                        (uint8_t *) self->username, strlen (self->username),
                                        (uint8_t *) self->credential, strlen (self->credential),
                                        STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  if (len == 0)
    return;

  if (self->transport == CC_TRANSPORT_UDP)
    {
      if (self->socket != NULL)
        g_socket_send (self->socket, (const char *) buffer, len, NULL, NULL);
    }
  else
    {
      g_clear_pointer (&self->release, g_bytes_unref);
      self->release = g_bytes_new (buffer, len);
    }
  memset (buffer, 0, sizeof buffer);
}

static double
cc_stun_check_transaction_rtt (CcStunCheck *self)
{
  return MAX (0, self->received_us - self->sent_us) / 1000.0;
}

/* Takes @detail; adds, when the request was sent more than once, that its
 * round trip is only an upper bound. */
static char *
cc_stun_check_note_retransmission (CcStunCheck *self,
                                   char        *detail)
{
  char *noted;

  if (self->sends <= 1)
    return detail;

  noted = g_strconcat (detail, " ",
                       _("The request had to be sent again before this answer came, so the round trip is at most this long."),
                       NULL);
  g_free (detail);
  return noted;
}

static void
cc_stun_check_binding_reply (CcStunCheck *self,
                             CcStunReply *reply)
{
  g_autofree char *detail = NULL;
  double rtt = cc_stun_check_transaction_rtt (self);

  switch (reply->kind)
    {
    case CC_STUN_REPLY_SUCCESS:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The server answered from %s:%u over %s in %.0f ms; it sees this device as %s."),
                                cc_check_get_address (CC_CHECK (self)), self->port,
                                path_words (self), rtt, reply->mapped);
      detail = cc_stun_check_note_retransmission (self, detail);
      cc_stun_check_finish_pass (self, detail);
      break;

    case CC_STUN_REPLY_ALTERNATE:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The server answered over %s port %u and redirects to another server."),
                                path_words (self), self->port);
      cc_stun_check_finish_pass (self, detail);
      break;

    case CC_STUN_REPLY_ERROR:
      detail = g_strdup_printf (_("The server answered with STUN error %d “%s”."),
                                reply->error_code, reply->reason);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      break;

    case CC_STUN_REPLY_NOT_STUN:
    case CC_STUN_REPLY_UNMATCHED:
    case CC_STUN_REPLY_OTHER:
    default:
      /* STUN, but not an answer to our Binding: keep waiting. */
      break;
    }
}

/* A 401 or 438 carrying REALM and NONCE. */
static void
cc_stun_check_allocate_challenge (CcStunCheck *self,
                                  CcStunReply *reply,
                                  double       rtt)
{
  g_autofree char *detail = NULL;
  StunMessage request;

  if (reply->realm == NULL || !reply->has_nonce)
    {
      detail = g_strdup_printf (_("The relay answered %d “%s” without the REALM and NONCE a TURN server sends."),
                                reply->error_code, reply->reason);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  if (self->username == NULL || self->credential == NULL)
    {
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay answered in %.0f ms and asked for credentials (realm “%s”): TURN over %s port %u reaches the server."),
                                rtt, reply->realm, path_words (self), self->port);
      detail = cc_stun_check_note_retransmission (self, detail);
      cc_stun_check_finish_pass (self, detail);
      return;
    }

  if (reply->error_code == STUN_ERROR_UNAUTHORIZED)
    {
      /* We sent credentials for this realm and got 401 again: they are wrong
       * (RFC 8489 §9.2.5). */
      if ((self->auth_rounds > 0 && g_strcmp0 (reply->realm, self->realm) == 0) ||
          self->auth_rounds >= STUN_MAX_AUTH_ROUNDS)
        {
          detail = g_strdup_printf (_("The relay rejected the credentials (realm “%s”): check the username and password of the TURN server."),
                                    reply->realm);
          cc_stun_check_finish_fail (self, CC_ERROR_AUTH_REQUIRED, detail);
          return;
        }
      self->auth_rounds++;
    }
  else if (++self->nonce_retries > STUN_MAX_NONCE_RETRIES)
    {
      detail = g_strdup_printf (_("The relay answered 438 “stale nonce” %u times in a row."),
                                self->nonce_retries);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  g_free (self->realm);
  self->realm = g_strdup (reply->realm);
  self->challenge_len = MIN (reply->length, sizeof self->challenge);
  memcpy (self->challenge, reply->buffer, self->challenge_len);

  self->request_len = stun_usage_turn_create (&self->agent, &request, self->request, sizeof self->request,
                                              &reply->msg, STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                              (uint8_t *) self->username, strlen (self->username),
                                              (uint8_t *) self->credential, strlen (self->credential),
                                              STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  if (self->request_len == 0)
    {
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                 _("The relay’s realm and nonce do not fit in a TURN request."));
      return;
    }
  cc_stun_check_new_transaction (self);
}

static void
cc_stun_check_allocate_reply (CcStunCheck *self,
                              CcStunReply *reply)
{
  g_autofree char *detail = NULL;
  double rtt = cc_stun_check_transaction_rtt (self);

  switch (reply->kind)
    {
    case CC_STUN_REPLY_SUCCESS:
      g_free (self->relayed);
      self->relayed = g_strdup (reply->relayed);
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay at %s:%u gave this device the relayed address %s over %s in %.0f ms (released again at once)."),
                                cc_check_get_address (CC_CHECK (self)), self->port,
                                self->relayed, path_words (self), rtt);
      detail = cc_stun_check_note_retransmission (self, detail);
      cc_stun_check_release (self);
      cc_stun_check_finish_pass (self, detail);
      return;

    case CC_STUN_REPLY_ALTERNATE:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay answered over %s port %u and redirects to another server."),
                                path_words (self), self->port);
      cc_stun_check_finish_pass (self, detail);
      return;

    case CC_STUN_REPLY_ERROR:
      break;

    case CC_STUN_REPLY_NOT_STUN:
    case CC_STUN_REPLY_UNMATCHED:
    case CC_STUN_REPLY_OTHER:
    default:
      /* STUN, but not an answer to our Allocate: keep waiting. */
      return;
    }

  if (reply->error_code == 0)
    {
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                 _("The relay answered with an error that has no error code."));
      return;
    }

  if (reply->error_code == STUN_ERROR_UNAUTHORIZED || reply->error_code == STUN_ERROR_STALE_NONCE)
    {
      cc_stun_check_allocate_challenge (self, reply, rtt);
      return;
    }

  detail = g_strdup_printf (_("The relay refused the allocation with error %d “%s”."),
                            reply->error_code, reply->reason);
  cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
}

/* One whole datagram, or one message split off the stream. */
static void
cc_stun_check_handle (CcStunCheck  *self,
                      const guint8 *data,
                      gsize         len)
{
  g_auto(CcStunReply) reply = { 0, };

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (!cc_stun_is_message (data, len))
    {
      self->got_garbage = TRUE;
      return;
    }

  if (self->mode == CC_STUN_MODE_BURST)
    {
      cc_stun_check_burst_reply (self, data, len);
      return;
    }

  /* Unmatched transaction ids (a late answer to a retransmission), bad
   * integrity and a broken FINGERPRINT are ignored, but remembered for the
   * deadline. The reply holds its own copy of the message: the next read
   * reuses the caller's buffer. */
  if (cc_stun_parse_reply (&self->agent,
                           self->mode == CC_STUN_MODE_BINDING ? CC_STUN_USAGE_BINDING
                                                              : CC_STUN_USAGE_ALLOCATE,
                           data, len, &reply) == CC_STUN_REPLY_UNMATCHED)
    {
      self->got_unmatched = TRUE;
      return;
    }

  self->got_stun = TRUE;
  clear_source (&self->retransmit);

  if (self->mode == CC_STUN_MODE_BINDING)
    cc_stun_check_binding_reply (self, &reply);
  else
    cc_stun_check_allocate_reply (self, &reply);
}

/* ---- transports ---- */

static void cc_stun_check_write_next (CcStunCheck *self);

static void
cc_stun_check_write_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GError) error = NULL;

  self->stream_ops--;
  g_clear_pointer (&self->writing, g_bytes_unref);

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!cc_check_is_done (CC_CHECK (self)))
        cc_stun_check_finish_error (self, error);
    }
  else
    cc_stun_check_write_next (self);

  cc_stun_check_close_stream (self);
}

static void
cc_stun_check_write_next (CcStunCheck *self)
{
  if (self->writing != NULL || self->stream == NULL || cc_check_is_done (CC_CHECK (self)))
    return;

  self->writing = g_queue_pop_head (&self->outq);
  if (self->writing == NULL)
    return;

  self->stream_ops++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   g_bytes_get_data (self->writing, NULL),
                                   g_bytes_get_size (self->writing),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   cc_stun_check_write_cb, g_object_ref (self));
}

static void
cc_stun_check_send_bytes (CcStunCheck  *self,
                          const guint8 *data,
                          gsize         len)
{
  g_autoptr(GError) error = NULL;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (self->transport != CC_TRANSPORT_UDP)
    {
      g_queue_push_tail (&self->outq, g_bytes_new (data, len));
      cc_stun_check_write_next (self);
      return;
    }

  if (g_socket_send (self->socket, (const char *) data, len, NULL, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* An ICMP error from an earlier datagram can surface on this send. A
       * burst that already has answers just counts the rest as lost. */
      if (self->mode != CC_STUN_MODE_BURST || self->received == 0)
        cc_stun_check_finish_error (self, error);
    }
}

static gboolean
cc_stun_check_udp_readable_cb (GSocket      *socket,
                               GIOCondition  condition,
                               gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = g_object_ref (user_data);
  guint8 buffer[CC_STUN_BUFFER_SIZE + 1];

  /* Drain what is there, but let other sources run between bursts. */
  for (guint i = 0; i < 64 && !cc_check_is_done (CC_CHECK (self)); i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = cc_socket_receive_timed (socket, buffer, sizeof buffer, &self->received_us, &error);

      if (n < 0)
        {
          /* ICMP port unreachable is G_IO_ERROR_CONNECTION_REFUSED here. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
              (self->mode != CC_STUN_MODE_BURST || self->received == 0))
            cc_stun_check_finish_error (self, error);
          break;
        }

      cc_stun_check_handle (self, buffer, n);
    }

  return G_SOURCE_CONTINUE;
}

static void cc_stun_check_read (CcStunCheck *self);

/* What a read of the stream gave (@n bytes of self->readbuf, 0 at its end, or
 * @error): splits it into STUN messages and handles them. Returns whether to
 * read on. */
static gboolean
cc_stun_check_stream_input (CcStunCheck *self,
                            gssize       n,
                            GError      *error)
{
  if (n < 0)
    {
      cc_stun_check_finish_error (self, error);
      return FALSE;
    }

  if (n == 0)
    {
      if (self->mode == CC_STUN_MODE_BURST && self->received > 0)
        cc_stun_check_burst_conclude (self);
      else
        cc_stun_check_finish_fail (self, CC_ERROR_CONNECTION_CUT,
                                   _("The server closed the connection without answering."));
      return FALSE;
    }

  g_byte_array_append (self->inbuf, self->readbuf, n);

  while (self->inbuf->len > 0 && !cc_check_is_done (CC_CHECK (self)))
    {
      int len = stun_message_validate_buffer_length (self->inbuf->data, self->inbuf->len, TRUE);

      /* Not a STUN header where one must start (or not RFC 5389's cookie):
       * whatever answers is not a STUN server. */
      if (len == STUN_MESSAGE_BUFFER_INVALID ||
          (self->inbuf->len >= STUN_MESSAGE_TRANS_ID_POS &&
           !cc_stun_has_cookie (self->inbuf->data, self->inbuf->len)))
        {
          g_autofree char *detail =
            g_strdup_printf (_("Something answers on %s port %u, but not with STUN: probably a filter or another service."),
                             path_words (self), self->port);
          cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
          return FALSE;
        }
      if (len == STUN_MESSAGE_BUFFER_INCOMPLETE || (guint) len > self->inbuf->len)
        break;

      cc_stun_check_handle (self, self->inbuf->data, len);
      g_byte_array_remove_range (self->inbuf, 0, len);
    }

  if (cc_check_is_done (CC_CHECK (self)))
    return FALSE;

  if (self->inbuf->len > STREAM_MAX_PENDING)
    {
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                 _("The server sends data that never forms a STUN message."));
      return FALSE;
    }

  return TRUE;
}

static void
cc_stun_check_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
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

  if (cc_check_is_done (CC_CHECK (self)))
    {
      cc_stun_check_close_stream (self);
      return;
    }

  if (cc_stun_check_stream_input (self, n, error))
    cc_stun_check_read (self);
}

/* The socket under @stream when what the stream carries is what arrives on
 * the socket: plain TCP, or tunnelled through an HTTP or SOCKS proxy (GIO's
 * CONNECT reads the proxy's answer byte by byte, nothing beyond it). NULL
 * when something is in between (an HTTPS proxy's TLS). */
static GSocket *
plain_socket (GIOStream *stream)
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
cc_stun_check_tcp_readable_cb (GSocket      *socket,
                               GIOCondition  condition,
                               gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = g_object_ref (user_data);

  for (guint i = 0; i < 64 && !cc_check_is_done (CC_CHECK (self)); i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = cc_socket_receive_timed (socket, self->readbuf, sizeof self->readbuf,
                                          &self->received_us, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (!cc_stun_check_stream_input (self, n, error) || n == 0)
        {
          clear_source (&self->socket_source);
          return G_SOURCE_REMOVE;
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
cc_stun_check_read (CcStunCheck *self)
{
  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (self->transport == CC_TRANSPORT_TCP)
    {
      GSocket *socket = self->socket_source == NULL ? plain_socket (self->stream) : NULL;

      if (socket != NULL && cc_socket_enable_receive_timestamps (socket))
        {
          self->socket_source = g_socket_create_source (socket, G_IO_IN | G_IO_ERR | G_IO_HUP, NULL);
          g_source_set_callback (self->socket_source, (GSourceFunc) (GCallback) cc_stun_check_tcp_readable_cb,
                                 self, NULL);
          g_source_set_name (self->socket_source, "[connection-check] STUN stream socket");
          g_source_attach (self->socket_source, g_main_context_get_thread_default ());
        }
      if (self->socket_source != NULL)
        return;
    }

  self->stream_ops++;
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream),
                             self->readbuf, sizeof self->readbuf, G_PRIORITY_DEFAULT,
                             self->cancellable, cc_stun_check_read_cb, g_object_ref (self));
}

/* The transport is up: send the first request(s). */
static void
cc_stun_check_begin (CcStunCheck *self)
{
  StunMessage msg;

  if (self->stream != NULL)
    cc_stun_check_read (self);

  switch (self->mode)
    {
    case CC_STUN_MODE_BINDING:
      stun_agent_init (&self->agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389, 0);
      self->request_len = stun_usage_bind_create (&self->agent, &msg, self->request, sizeof self->request);
      cc_stun_check_new_transaction (self);
      break;

    case CC_STUN_MODE_ALLOCATE:
      stun_agent_init (&self->agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                       STUN_AGENT_USAGE_LONG_TERM_CREDENTIALS);
      /* The first request carries no credentials: the server's 401 brings the
       * realm and nonce they are built with. */
      self->request_len = stun_usage_turn_create (&self->agent, &msg, self->request, sizeof self->request,
                                                  NULL, STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                                  NULL, 0, NULL, 0,
                                                  STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
      cc_stun_check_new_transaction (self);
      break;

    case CC_STUN_MODE_BURST:
    default:
      cc_stun_check_burst_begin (self);
      break;
    }
}

static gboolean
cc_stun_check_accept_certificate_cb (GTlsConnection       *connection,
                                     GTlsCertificate      *certificate,
                                     GTlsCertificateFlags  errors,
                                     CcStunCheck          *self)
{
  g_autofree char *issuer = cc_tls_issuer_name (certificate);
  g_autofree char *what = cc_tls_describe_errors (errors);
  g_autofree char *detail = NULL;

  cc_check_set_tls_issuer (CC_CHECK (self), issuer);
  cc_check_set_tls_errors (CC_CHECK (self), errors);
  detail = g_strdup_printf (_("The relay’s certificate was issued by “%s”, which this device does not accept (%s)."),
                            issuer ? issuer : _("an unknown issuer"), what);
  cc_stun_check_finish_fail (self, CC_ERROR_TLS_UNTRUSTED, detail);
  return FALSE;
}

static void
cc_stun_check_handshake_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;

  self->stream_ops--;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      if (!cc_check_is_done (CC_CHECK (self)))
        cc_stun_check_finish_error (self, error);
      cc_stun_check_close_stream (self);
      return;
    }

  if (cc_check_is_done (CC_CHECK (self)))
    {
      cc_stun_check_close_stream (self);
      return;
    }

  issuer = cc_tls_issuer_name (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (object)));
  cc_check_set_tls_issuer (CC_CHECK (self), issuer);
  cc_stun_check_begin (self);
}

static void
cc_stun_check_connect_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database;
  GSocket *socket;

  connection = cc_connect_finish (G_SOCKET_CLIENT (object), result, NULL, &error);
  if (cc_check_is_done (CC_CHECK (self)))
    return;
  if (connection == NULL)
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_autofree char *address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

      cc_check_set_address (CC_CHECK (self), address);
    }

  /* Each request goes out when it is sent, not when the last one is ACKed. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  if (self->transport == CC_TRANSPORT_TCP)
    {
      self->stream = G_IO_STREAM (g_steal_pointer (&connection));
      cc_stun_check_begin (self);
      return;
    }

  identity = g_network_address_new (self->host, self->port);
  /* TLS on a stream that knows when the kernel received each read: the
   * answers' moments are the network's, as over UDP and plain TCP. */
  socket = plain_socket (G_IO_STREAM (connection));
  if (socket != NULL)
    {
      g_autoptr(GIOStream) stamped = cc_stamped_stream_new (G_IO_STREAM (connection), socket);

      g_set_object (&self->stamped, CC_STAMPED_STREAM (stamped));
      self->stream = g_tls_client_connection_new (stamped, identity, &error);
    }
  else
    self->stream = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (self->stream == NULL)
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  database = cc_check_get_tls_database (CC_CHECK (self));
  if (database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (self->stream), database);
  g_signal_connect (self->stream, "accept-certificate",
                    G_CALLBACK (cc_stun_check_accept_certificate_cb), self);

  self->stream_ops++;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (self->stream), G_PRIORITY_DEFAULT,
                                    self->cancellable, cc_stun_check_handshake_cb,
                                    g_object_ref (self));
}

static void
cc_stun_check_resolve_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) server = NULL;
  g_autofree char *text = NULL;
  GList *addresses;
  GInetAddress *chosen = NULL;

  cc_check_set_resolving (CC_CHECK (self), FALSE);
  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (cc_check_is_done (CC_CHECK (self)))
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  if (addresses == NULL)
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  /* IPv4 first: it is what most networks (and firewall rules) handle. */
  for (GList *l = addresses; l != NULL && chosen == NULL; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      chosen = l->data;
  if (chosen == NULL)
    chosen = addresses->data;

  text = g_inet_address_to_string (chosen);
  cc_check_set_address (CC_CHECK (self), text);
  server = g_inet_socket_address_new (chosen, self->port);

  self->socket = g_socket_new (g_inet_address_get_family (chosen), G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_resolver_free_addresses (addresses);

  if (self->socket == NULL)
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  /* Connected, so the kernel filters other senders and reports ICMP errors. */
  g_socket_set_blocking (self->socket, FALSE);
  cc_socket_enable_receive_timestamps (self->socket);
  if (!g_socket_connect (self->socket, server, NULL, &error))
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  self->socket_source = g_socket_create_source (self->socket, G_IO_IN | G_IO_ERR, NULL);
  g_source_set_callback (self->socket_source, (GSourceFunc) (GCallback) cc_stun_check_udp_readable_cb,
                         self, NULL);
  g_source_set_name (self->socket_source, "[connection-check] STUN socket");
  g_source_attach (self->socket_source, g_main_context_get_thread_default ());

  cc_stun_check_begin (self);
}

static gboolean
cc_stun_check_connect_deadline_cb (gpointer user_data)
{
  CcStunCheck *self = user_data;

  g_clear_pointer (&self->connect_deadline, g_source_unref);
  if (self->burst_start_us == 0)
    cc_check_expire (CC_CHECK (self));
  return G_SOURCE_REMOVE;
}

static void
cc_stun_check_start (CcCheck      *check,
                     GCancellable *cancellable)
{
  CcStunCheck *self = CC_STUN_CHECK (check);

  g_set_object (&self->cancellable, cancellable);
  self->started_us = g_get_monotonic_time ();

  /* A burst's time limit includes its sending time; reaching the server must
   * still fit the ordinary per-check limit, or a path that drops everything
   * would take the whole burst's time to be reported. */
  if (self->mode == CC_STUN_MODE_BURST)
    {
      gint64 connect_ms = (gint64) cc_check_get_timeout_ms (check)
                          - (gint64) self->burst_count * self->burst_interval_ms - BURST_GRACE_MS;

      self->connect_deadline = attach_timeout (MAX (connect_ms, BURST_MIN_CONNECT_MS),
                                          cc_stun_check_connect_deadline_cb, self,
                                          "[connection-check] burst connect deadline");
    }

  if (self->transport == CC_TRANSPORT_UDP)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      cc_check_set_resolving (check, TRUE);
      g_resolver_lookup_by_name_async (resolver, self->host, cancellable,
                                       cc_stun_check_resolve_cb, g_object_ref (self));
    }
  else
    {
      /* Through the HTTP proxy a browser would use, as WebRTC does for TURN
       * over TCP and TLS. */
      g_autoptr(GSocketClient) client = cc_tcp_check_new_client (check);
      g_autofree char *uri = cc_tcp_check_proxy_uri (self->host, self->port);

      cc_connect_async (client, uri, self->port, cancellable,
                        cc_stun_check_connect_cb, g_object_ref (self));
    }
}

static void
cc_stun_check_timed_out (CcCheck *check)
{
  CcStunCheck *self = CC_STUN_CHECK (check);
  g_autofree char *detail = NULL;
  guint sent = MAX (self->sends, self->slots->len);

  if (self->mode == CC_STUN_MODE_BURST && self->received > 0)
    {
      cc_stun_check_burst_conclude (self);
      return;
    }

  /* Bytes came back, but never a STUN message. */
  if ((self->got_garbage || self->inbuf->len > 0) && !self->got_stun)
    {
      detail = g_strdup_printf (_("Something answers on %s port %u, but not with STUN: probably a filter or another service."),
                                path_words (self), self->port);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  /* STUN came back, but never an answer to our requests: the path works, what
   * answers does not (a timeout would blame a firewall). */
  if (self->got_unmatched && !self->got_stun)
    {
      detail = g_strdup_printf (_("Something answers on %s port %u, but not to the requests sent: its STUN messages belong to other transactions or fail their integrity or fingerprint checks."),
                                path_words (self), self->port);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  if (sent > 0)
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request over %s port %u got no answer.",
                                        "%u requests over %s port %u got no answer.", sent),
                              sent, path_words (self), self->port);
  else
    detail = g_strdup_printf (_("No connection over %s port %u before the time limit."),
                              path_words (self), self->port);
  cc_stun_check_finish_fail (self, CC_ERROR_TIMEOUT, detail);
}

static void
cc_stun_check_dispose (GObject *object)
{
  CcStunCheck *self = CC_STUN_CHECK (object);

  /* Every stream operation holds a reference, so none is under way here and
   * this closes the stream if the end of the check has not yet. */
  cc_stun_check_stop (self);
  g_clear_pointer (&self->release, g_bytes_unref);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stamped);

  G_OBJECT_CLASS (cc_stun_check_parent_class)->dispose (object);
}

static void
cc_stun_check_finalize (GObject *object)
{
  CcStunCheck *self = CC_STUN_CHECK (object);

  g_free (self->host);
  g_free (self->username);
  cc_secrets_clear (&self->credential);
  /* The agent keeps the long-term key (an MD5 of the password) per transaction. */
  memset (&self->agent, 0, sizeof self->agent);
  memset (self->request, 0, sizeof self->request);
  g_free (self->realm);
  g_free (self->relayed);
  g_byte_array_unref (self->inbuf);
  g_ptr_array_unref (self->agents);
  g_hash_table_unref (self->ids);
  g_array_unref (self->slots);

  G_OBJECT_CLASS (cc_stun_check_parent_class)->finalize (object);
}

static void
cc_stun_check_class_init (CcStunCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->dispose = cc_stun_check_dispose;
  object_class->finalize = cc_stun_check_finalize;
  check_class->start = cc_stun_check_start;
  check_class->timed_out = cc_stun_check_timed_out;
  check_class->finished = cc_stun_check_finished;
}

static void
cc_stun_check_init (CcStunCheck *self)
{
  self->inbuf = g_byte_array_new ();
  self->agents = g_ptr_array_new_with_free_func (g_free);
  self->ids = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  self->slots = g_array_new (FALSE, FALSE, sizeof (BurstSlot));
  self->burst_count = 100;
  self->burst_interval_ms = 10;
  self->rto_ms = STUN_RTO_INITIAL_MS;
  g_queue_init (&self->outq);
}

CcCheck *
cc_stun_check_new (CcStunMode   mode,
                   CcTransport  transport,
                   const char  *host,
                   guint16      port)
{
  static const CcCheckKind kinds[] = {
    [CC_STUN_MODE_BINDING] = CC_CHECK_KIND_STUN_BINDING,
    [CC_STUN_MODE_ALLOCATE] = CC_CHECK_KIND_TURN_ALLOCATE,
    [CC_STUN_MODE_BURST] = CC_CHECK_KIND_MEDIA_BURST,
  };
  CcStunCheck *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (mode <= CC_STUN_MODE_BURST, NULL);
  g_return_val_if_fail (transport == CC_TRANSPORT_UDP ||
                        transport == CC_TRANSPORT_TCP ||
                        transport == CC_TRANSPORT_TLS, NULL);

  self = g_object_new (CC_TYPE_STUN_CHECK, NULL);
  self->mode = mode;
  self->transport = transport;
  self->host = g_strdup (host);
  self->port = port;

  cc_check_set_kind (CC_CHECK (self), kinds[mode]);
  cc_check_set_target_host_port (CC_CHECK (self), host, port);
  cc_check_set_transport (CC_CHECK (self), cc_transport_to_string (transport));

  return CC_CHECK (self);
}

void
cc_stun_check_set_credentials (CcStunCheck *self,
                               const char  *username,
                               const char  *credential)
{
  g_return_if_fail (CC_IS_STUN_CHECK (self));
  g_return_if_fail (cc_check_get_status (CC_CHECK (self)) == CC_STATUS_PENDING);

  g_free (self->username);
  self->username = g_strdup (username);
  cc_secrets_clear (&self->credential);
  self->credential = g_strdup (credential);
}

void
cc_stun_check_set_burst (CcStunCheck *self,
                         guint        count,
                         guint        interval_ms)
{
  g_return_if_fail (CC_IS_STUN_CHECK (self));
  g_return_if_fail (count > 0 && interval_ms > 0);

  self->burst_count = count;
  self->burst_interval_ms = interval_ms;
}

const char *
cc_stun_check_get_relayed_address (CcStunCheck *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHECK (self), NULL);

  return self->relayed;
}
