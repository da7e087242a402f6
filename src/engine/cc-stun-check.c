/* cc-stun-check.c: speaks STUN (RFC 8489) and TURN (RFC 8656) to a server, with
 * messages built and checked by libnice's STUN library and carried on GIO
 * sockets: UDP, TCP, or TLS (GTlsClientConnection; libnice's own "TLS" relay
 * type is not real TLS, see PITFALLS.md).
 *
 *  - binding: one request, retransmitted on UDP per RFC 8489 §6.2.1; the answer
 *    gives this device's address as the server sees it;
 *  - allocate: without credentials, a 401 carrying REALM and NONCE proves the
 *    TURN service is reachable; with credentials, a real allocation is made and
 *    released at once (Refresh with lifetime 0);
 *  - burst: Binding requests at a fixed pace, like a call's audio packets, giving
 *    round-trip time, RFC 3550 jitter and loss.
 * Over TCP and TLS there is no framing but STUN's own (RFC 8489 §6.2.2): the
 * stream is split with stun_message_validate_buffer_length(). Credentials never
 * leave this object except inside MESSAGE-INTEGRITY.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <stun/stunagent.h>
#include <stun/usages/bind.h>
#include <stun/usages/turn.h>

#include "cc-stun-check.h"
#include "cc-tcp-check.h"
#include "cc-tls-info.h"

/* RFC 8489 §6.2.1: initial RTO 500 ms, doubled after each send, Rc = 7 sends. */
#define STUN_RTO_INITIAL_MS 500
#define STUN_RC             7
/* Enough for any STUN message we accept (RFC 8489 §6.1: fits the path MTU). */
#define STUN_BUFFER_SIZE    1500
/* How often a 438 Stale Nonce may send us round again before we give up. */
#define STUN_MAX_NONCE_RETRIES 3
/* A libnice StunAgent remembers this many outstanding transactions. */
#define BURST_PER_AGENT     STUN_AGENT_MAX_SAVED_IDS
/* After the last burst request, late answers still count for this long. */
#define BURST_GRACE_MS      1000
/* A stream that sends more than this without a whole message is not STUN. */
#define STREAM_MAX_PENDING  (64 * 1024)

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
  /* UDP */
  GSocket         *socket;
  GSource         *socket_source;
  /* TCP, TLS */
  GIOStream       *stream;
  GByteArray      *inbuf;
  guint8           readbuf[4096];
  GQueue           outq;             /* GBytes waiting to be written */
  gboolean         writing;

  StunAgent        agent;
  guint8           request[STUN_BUFFER_SIZE];
  gsize            request_len;
  GSource         *retransmit;
  guint            sends;
  guint            rto_ms;
  gint64           sent_us;
  gboolean         got_garbage;

  /* allocate */
  guint            auth_rounds;
  guint            nonce_retries;
  char            *relayed;

  /* burst */
  GPtrArray       *agents;
  GHashTable      *ids;              /* transaction id (GBytes) → slot index + 1 */
  GArray          *slots;            /* BurstSlot */
  GSource         *burst_timer;
  guint            received;
};

G_DEFINE_FINAL_TYPE (CcStunCheck, cc_stun_check, CC_TYPE_CHECK)

static void cc_stun_check_send_bytes (CcStunCheck  *self,
                                      const guint8 *data,
                                      gsize         len);

static char *
sockaddr_to_string (const struct sockaddr_storage *addr,
                    socklen_t                      len)
{
  g_autoptr(GSocketAddress) address = g_socket_address_new_from_native ((gpointer) addr, len);
  g_autofree char *ip = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");

  ip = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  if (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)) &&
      g_inet_address_get_family (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address))) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", ip, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("%s:%u", ip, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

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

/* Everything under way stops: sockets, timers. Safe to call more than once. */
static void
cc_stun_check_stop (CcStunCheck *self)
{
  if (self->retransmit != NULL)
    {
      g_source_destroy (self->retransmit);
      g_clear_pointer (&self->retransmit, g_source_unref);
    }
  if (self->burst_timer != NULL)
    {
      g_source_destroy (self->burst_timer);
      g_clear_pointer (&self->burst_timer, g_source_unref);
    }
  if (self->socket_source != NULL)
    {
      g_source_destroy (self->socket_source);
      g_clear_pointer (&self->socket_source, g_source_unref);
    }
  /* Closing the TCP/TLS connection also ends any allocation made on it. */
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Once the pending reads and writes have seen the cancellation. */
static void
cc_stun_check_close_stream (CcStunCheck *self)
{
  if (self->stream != NULL && !g_io_stream_is_closed (self->stream) && !g_io_stream_has_pending (self->stream))
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
cc_stun_check_finish_fail (CcStunCheck *self,
                           CcError      code,
                           const char  *detail)
{
  cc_stun_check_stop (self);
  cc_check_fail (CC_CHECK (self), code, detail);
}

static void
cc_stun_check_finish_error (CcStunCheck  *self,
                            const GError *error)
{
  cc_stun_check_stop (self);
  cc_check_fail_error (CC_CHECK (self), error);
}

static void
cc_stun_check_finish_pass (CcStunCheck *self,
                           const char  *detail)
{
  cc_stun_check_stop (self);
  cc_check_pass (CC_CHECK (self), detail);
}

/* ---- burst ---- */

static void
cc_stun_check_burst_conclude (CcStunCheck *self)
{
  guint sent = self->slots->len;
  double sum = 0, jitter = 0, previous = -1, loss;
  g_autofree char *detail = NULL;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (sent == 0 || self->received == 0)
    {
      detail = g_strdup_printf (_("None of %u packets sent over %s port %u got an answer."),
                                sent, path_words (self), self->port);
      cc_stun_check_finish_fail (self, self->got_garbage ? CC_ERROR_PROTOCOL_ERROR : CC_ERROR_TIMEOUT, detail);
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

  loss = 100.0 * (sent - self->received) / sent;
  cc_check_set_metrics (CC_CHECK (self), sum / self->received, jitter, loss);
  detail = g_strdup_printf (_("%u of %u packets answered over %s port %u: %.1f %% loss, round trip %.1f ms, jitter %.1f ms."),
                            self->received, sent, path_words (self), self->port,
                            loss, sum / self->received, jitter);
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

static gboolean
cc_stun_check_burst_tick_cb (gpointer user_data)
{
  CcStunCheck *self = user_data;
  guint index = self->slots->len;
  StunAgent *agent;
  StunMessage msg;
  StunTransactionId id;
  BurstSlot slot = { 0, -1 };
  gsize len;

  if (index >= self->burst_count)
    {
      g_clear_pointer (&self->burst_timer, g_source_unref);
      self->burst_timer = g_timeout_source_new (BURST_GRACE_MS);
      g_source_set_callback (self->burst_timer, cc_stun_check_burst_grace_cb, self, NULL);
      g_source_attach (self->burst_timer, g_main_context_get_thread_default ());
      return G_SOURCE_REMOVE;
    }

  if (index % BURST_PER_AGENT == 0)
    {
      agent = g_new0 (StunAgent, 1);
      stun_agent_init (agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389, 0);
      g_ptr_array_add (self->agents, agent);
    }
  agent = self->agents->pdata[index / BURST_PER_AGENT];

  len = stun_usage_bind_create (agent, &msg, self->request, sizeof self->request);
  if (len == 0)
    return G_SOURCE_CONTINUE;

  stun_message_id (&msg, id);
  g_hash_table_insert (self->ids, g_bytes_new (id, sizeof id), GUINT_TO_POINTER (index + 1));
  slot.sent_us = g_get_monotonic_time ();
  g_array_append_val (self->slots, slot);
  cc_stun_check_send_bytes (self, self->request, len);

  return G_SOURCE_CONTINUE;
}

static void
cc_stun_check_burst_reply (CcStunCheck  *self,
                           const guint8 *data,
                           gsize         len)
{
  g_autoptr(GBytes) key = NULL;
  StunMessage msg;
  gpointer value;
  guint index;
  BurstSlot *slot;

  if (len < 20)
    {
      self->got_garbage = TRUE;
      return;
    }

  key = g_bytes_new (data + STUN_MESSAGE_TRANS_ID_POS, sizeof (StunTransactionId));
  if (!g_hash_table_lookup_extended (self->ids, key, NULL, &value))
    {
      self->got_garbage = TRUE;
      return;
    }

  index = GPOINTER_TO_UINT (value) - 1;
  if (stun_agent_validate (self->agents->pdata[index / BURST_PER_AGENT], &msg, data, len, NULL, NULL)
      != STUN_VALIDATION_SUCCESS ||
      stun_message_get_class (&msg) != STUN_RESPONSE)
    {
      self->got_garbage = TRUE;
      return;
    }

  slot = &g_array_index (self->slots, BurstSlot, index);
  if (slot->rtt_ms < 0)
    {
      slot->rtt_ms = (g_get_monotonic_time () - slot->sent_us) / 1000.0;
      self->received++;
    }
}

/* ---- binding and allocate ---- */

static gboolean cc_stun_check_retransmit_cb (gpointer user_data);

static void
cc_stun_check_send_request (CcStunCheck *self)
{
  self->sent_us = g_get_monotonic_time ();
  self->sends++;
  cc_stun_check_send_bytes (self, self->request, self->request_len);

  if (self->transport == CC_TRANSPORT_UDP && self->sends < STUN_RC)
    {
      if (self->retransmit != NULL)
        {
          g_source_destroy (self->retransmit);
          g_source_unref (self->retransmit);
        }
      self->retransmit = g_timeout_source_new (self->rto_ms);
      g_source_set_callback (self->retransmit, cc_stun_check_retransmit_cb, self, NULL);
      g_source_attach (self->retransmit, g_main_context_get_thread_default ());
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
  self->sends = 0;
  self->rto_ms = STUN_RTO_INITIAL_MS;
  cc_stun_check_send_request (self);
}

/* Releases an allocation at once (RFC 8656 §7: Refresh with LIFETIME 0). Best
 * effort: the answer is not waited for. */
static void
cc_stun_check_release (CcStunCheck *self,
                       StunMessage *response)
{
  StunMessage msg;
  gsize len;

  len = stun_usage_turn_create_refresh (&self->agent, &msg, self->request, sizeof self->request,
                                        response, 0,
                                        (uint8_t *) self->username, strlen (self->username),
                                        (uint8_t *) self->credential, strlen (self->credential),
                                        STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  if (len > 0)
    cc_stun_check_send_bytes (self, self->request, len);
}

static void
cc_stun_check_binding_reply (CcStunCheck *self,
                             StunMessage *msg)
{
  struct sockaddr_storage mapped, alternate;
  socklen_t mapped_len = sizeof mapped, alternate_len = sizeof alternate;
  g_autofree char *detail = NULL;
  double rtt = (g_get_monotonic_time () - self->sent_us) / 1000.0;
  int code = 0;

  switch (stun_usage_bind_process (msg, (struct sockaddr *) &mapped, &mapped_len,
                                   (struct sockaddr *) &alternate, &alternate_len))
    {
    case STUN_USAGE_BIND_RETURN_SUCCESS:
      {
        g_autofree char *me = sockaddr_to_string (&mapped, mapped_len);

        cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
        detail = g_strdup_printf (_("The server answered over %s port %u in %.0f ms; it sees this device as %s."),
                                  path_words (self), self->port, rtt, me);
        cc_stun_check_finish_pass (self, detail);
      }
      break;

    case STUN_USAGE_BIND_RETURN_ALTERNATE_SERVER:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The server answered over %s port %u and redirects to another server."),
                                path_words (self), self->port);
      cc_stun_check_finish_pass (self, detail);
      break;

    case STUN_USAGE_BIND_RETURN_ERROR:
      stun_message_find_error (msg, &code);
      detail = g_strdup_printf (_("The server answered with STUN error %d."), code);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      break;

    case STUN_USAGE_BIND_RETURN_INVALID:
    case STUN_USAGE_BIND_RETURN_TIMEOUT:
    default:
      self->got_garbage = TRUE;
      break;
    }
}

static char *
find_string_attribute (StunMessage   *msg,
                       StunAttribute  type)
{
  uint16_t len = 0;
  const char *value = stun_message_find (msg, type, &len);

  if (value == NULL)
    return NULL;
  return g_utf8_make_valid (value, len);
}

static void
cc_stun_check_allocate_reply (CcStunCheck *self,
                              StunMessage *msg)
{
  struct sockaddr_storage relay, mapped, alternate;
  socklen_t relay_len = sizeof relay, mapped_len = sizeof mapped, alternate_len = sizeof alternate;
  uint32_t bandwidth = 0, lifetime = 0;
  g_autofree char *detail = NULL;
  double rtt = (g_get_monotonic_time () - self->sent_us) / 1000.0;
  int code = 0;

  switch (stun_usage_turn_process (msg, &relay, &relay_len, &mapped, &mapped_len,
                                   &alternate, &alternate_len, &bandwidth, &lifetime,
                                   STUN_USAGE_TURN_COMPATIBILITY_RFC5766))
    {
    case STUN_USAGE_TURN_RETURN_RELAY_SUCCESS:
    case STUN_USAGE_TURN_RETURN_MAPPED_SUCCESS:
      self->relayed = sockaddr_to_string (&relay, relay_len);
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay allocated %s over %s port %u (and it was released again)."),
                                self->relayed, path_words (self), self->port);
      cc_stun_check_release (self, msg);
      cc_stun_check_finish_pass (self, detail);
      return;

    case STUN_USAGE_TURN_RETURN_ALTERNATE_SERVER:
      detail = g_strdup_printf (_("The relay answered over %s port %u and redirects to another server."),
                                path_words (self), self->port);
      cc_stun_check_finish_pass (self, detail);
      return;

    case STUN_USAGE_TURN_RETURN_ERROR:
      break;

    case STUN_USAGE_TURN_RETURN_INVALID:
    default:
      self->got_garbage = TRUE;
      return;
    }

  stun_message_find_error (msg, &code);

  if (code == STUN_ERROR_UNAUTHORIZED || code == STUN_ERROR_STALE_NONCE)
    {
      g_autofree char *realm = find_string_attribute (msg, STUN_ATTRIBUTE_REALM);
      g_autofree char *nonce = find_string_attribute (msg, STUN_ATTRIBUTE_NONCE);
      StunMessage request;

      if (realm == NULL || nonce == NULL)
        {
          detail = g_strdup_printf (_("The relay answered %d without the REALM and NONCE a TURN server sends."), code);
          cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
          return;
        }

      if (self->credential == NULL)
        {
          cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
          detail = g_strdup_printf (_("The relay answered over %s port %u in %.0f ms and asked for credentials (realm “%s”): the TURN service is reachable."),
                                    path_words (self), self->port, rtt, realm);
          cc_stun_check_finish_pass (self, detail);
          return;
        }

      if (code == STUN_ERROR_UNAUTHORIZED && self->auth_rounds >= 1)
        {
          cc_stun_check_finish_fail (self, CC_ERROR_AUTH_REQUIRED,
                                     _("The relay rejected the credentials (401 again): check the ICE servers file."));
          return;
        }

      if (code == STUN_ERROR_STALE_NONCE && ++self->nonce_retries > STUN_MAX_NONCE_RETRIES)
        {
          cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                     _("The relay keeps answering “stale nonce” (438)."));
          return;
        }

      if (code == STUN_ERROR_UNAUTHORIZED)
        self->auth_rounds++;

      self->request_len = stun_usage_turn_create (&self->agent, &request, self->request, sizeof self->request,
                                                  msg, STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                                  (uint8_t *) self->username, strlen (self->username),
                                                  (uint8_t *) self->credential, strlen (self->credential),
                                                  STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
      if (self->request_len == 0)
        {
          cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                     _("Could not build the authenticated TURN request."));
          return;
        }
      cc_stun_check_new_transaction (self);
      return;
    }

  detail = g_strdup_printf (_("The relay answered with error %d."), code);
  cc_stun_check_finish_fail (self, code == STUN_ERROR_FORBIDDEN || code == STUN_ERROR_WRONG_CREDENTIALS
                                   ? CC_ERROR_AUTH_REQUIRED : CC_ERROR_PROTOCOL_ERROR, detail);
}

/* One whole message from the server (a datagram, or a piece of the stream). */
static void
cc_stun_check_handle (CcStunCheck  *self,
                      const guint8 *data,
                      gsize         len)
{
  guint8 copy[STUN_BUFFER_SIZE];
  StunMessage msg;
  int valid_len;

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  valid_len = stun_message_validate_buffer_length (data, len, TRUE);
  if (valid_len <= 0 || (gsize) valid_len != len || len > sizeof copy)
    {
      self->got_garbage = TRUE;
      return;
    }

  if (self->mode == CC_STUN_MODE_BURST)
    {
      cc_stun_check_burst_reply (self, data, len);
      return;
    }

  /* The request buffer is reused for the next request: work on a copy. */
  memcpy (copy, data, len);
  if (stun_agent_validate (&self->agent, &msg, copy, len, NULL, NULL) != STUN_VALIDATION_SUCCESS)
    {
      self->got_garbage = TRUE;
      return;
    }

  if (self->retransmit != NULL)
    {
      g_source_destroy (self->retransmit);
      g_clear_pointer (&self->retransmit, g_source_unref);
    }

  if (self->mode == CC_STUN_MODE_BINDING)
    cc_stun_check_binding_reply (self, &msg);
  else
    cc_stun_check_allocate_reply (self, &msg);
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

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!cc_check_is_done (CC_CHECK (self)))
        cc_stun_check_finish_error (self, error);
      else
        cc_stun_check_close_stream (self);
      return;
    }

  cc_stun_check_write_next (self);
}

static void
cc_stun_check_write_next (CcStunCheck *self)
{
  GBytes *bytes;

  if (self->writing || self->stream == NULL || cc_check_is_done (CC_CHECK (self)))
    return;

  bytes = g_queue_pop_head (&self->outq);
  if (bytes == NULL)
    return;

  self->writing = TRUE;
  /* The GBytes stays alive with the task through its user data. */
  g_object_set_data_full (G_OBJECT (self), "cc-writing", bytes, (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (self->stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   cc_stun_check_write_cb, g_object_ref (self));
}

static void
cc_stun_check_send_bytes (CcStunCheck  *self,
                          const guint8 *data,
                          gsize         len)
{
  g_autoptr(GError) error = NULL;

  if (self->transport != CC_TRANSPORT_UDP)
    {
      g_queue_push_tail (&self->outq, g_bytes_new (data, len));
      cc_stun_check_write_next (self);
      return;
    }

  if (g_socket_send (self->socket, (const char *) data, len, NULL, &error) < 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* An ICMP error from an earlier datagram surfaces on the next send. */
      if (self->mode != CC_STUN_MODE_BURST || self->received == 0)
        cc_stun_check_finish_error (self, error);
    }
}

static gboolean
cc_stun_check_udp_readable_cb (GSocket      *socket,
                               GIOCondition  condition,
                               gpointer      user_data)
{
  CcStunCheck *self = user_data;
  guint8 buffer[STUN_BUFFER_SIZE + 1];

  g_object_ref (self);
  for (guint i = 0; i < 64 && !cc_check_is_done (CC_CHECK (self)); i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, &error);

      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
              (self->mode != CC_STUN_MODE_BURST || self->received == 0))
            cc_stun_check_finish_error (self, error);
          break;
        }

      cc_stun_check_handle (self, buffer, n);
    }
  g_object_unref (self);

  return G_SOURCE_CONTINUE;
}

static void cc_stun_check_read (CcStunCheck *self);

static void
cc_stun_check_read_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (cc_check_is_done (CC_CHECK (self)))
    {
      cc_stun_check_close_stream (self);
      return;
    }

  if (n < 0)
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  if (n == 0)
    {
      if (self->mode == CC_STUN_MODE_BURST && self->received > 0)
        cc_stun_check_burst_conclude (self);
      else
        cc_stun_check_finish_fail (self, CC_ERROR_CONNECTION_CUT,
                                   _("The server closed the connection without answering."));
      return;
    }

  g_byte_array_append (self->inbuf, self->readbuf, n);

  while (self->inbuf->len > 0 && !cc_check_is_done (CC_CHECK (self)))
    {
      int len = stun_message_validate_buffer_length (self->inbuf->data, self->inbuf->len, TRUE);

      if (len == STUN_MESSAGE_BUFFER_INVALID)
        {
          cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                     _("Something answers on this port, but not with STUN: probably a filter or another service."));
          return;
        }
      if (len == STUN_MESSAGE_BUFFER_INCOMPLETE || (guint) len > self->inbuf->len)
        break;

      cc_stun_check_handle (self, self->inbuf->data, len);
      g_byte_array_remove_range (self->inbuf, 0, len);
    }

  if (self->inbuf->len > STREAM_MAX_PENDING)
    {
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                 _("The server sends data that never forms a STUN message."));
      return;
    }

  cc_stun_check_read (self);
}

static void
cc_stun_check_read (CcStunCheck *self)
{
  if (cc_check_is_done (CC_CHECK (self)))
    return;

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
      self->burst_timer = g_timeout_source_new (self->burst_interval_ms);
      g_source_set_callback (self->burst_timer, cc_stun_check_burst_tick_cb, self, NULL);
      g_source_attach (self->burst_timer, g_main_context_get_thread_default ());
      cc_stun_check_burst_tick_cb (self);
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

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      if (!cc_check_is_done (CC_CHECK (self)))
        cc_stun_check_finish_error (self, error);
      cc_stun_check_close_stream (self);
      return;
    }

  if (!cc_check_is_done (CC_CHECK (self)))
    {
      g_autofree char *issuer = cc_tls_issuer_name (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (object)));

      cc_check_set_tls_issuer (CC_CHECK (self), issuer);
      cc_stun_check_begin (self);
    }
}

static void
cc_stun_check_connect_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, &error);
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

  if (self->transport == CC_TRANSPORT_TCP)
    {
      self->stream = G_IO_STREAM (g_steal_pointer (&connection));
      cc_stun_check_begin (self);
      return;
    }

  {
    g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);
    GTlsDatabase *database = cc_check_get_tls_database (CC_CHECK (self));

    self->stream = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
    if (self->stream == NULL)
      {
        cc_stun_check_finish_error (self, error);
        return;
      }
    if (database != NULL)
      g_tls_connection_set_database (G_TLS_CONNECTION (self->stream), database);
    g_signal_connect (self->stream, "accept-certificate",
                      G_CALLBACK (cc_stun_check_accept_certificate_cb), self);
    g_tls_connection_handshake_async (G_TLS_CONNECTION (self->stream), G_PRIORITY_DEFAULT,
                                      self->cancellable, cc_stun_check_handshake_cb,
                                      g_object_ref (self));
  }
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

  if (self->socket == NULL || !g_socket_connect (self->socket, server, NULL, &error))
    {
      cc_stun_check_finish_error (self, error);
      return;
    }

  g_socket_set_blocking (self->socket, FALSE);
  self->socket_source = g_socket_create_source (self->socket, G_IO_IN | G_IO_ERR, NULL);
  g_source_set_callback (self->socket_source, (GSourceFunc) (GCallback) cc_stun_check_udp_readable_cb,
                         self, NULL);
  g_source_attach (self->socket_source, g_main_context_get_thread_default ());

  cc_stun_check_begin (self);
}

static void
cc_stun_check_start (CcCheck      *check,
                     GCancellable *cancellable)
{
  CcStunCheck *self = CC_STUN_CHECK (check);

  g_set_object (&self->cancellable, cancellable);

  if (self->transport == CC_TRANSPORT_UDP)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, self->host, cancellable,
                                       cc_stun_check_resolve_cb, g_object_ref (self));
    }
  else
    {
      g_autoptr(GSocketClient) client = cc_tcp_check_new_client (check);
      g_autofree char *uri = cc_tcp_check_proxy_uri (self->host, self->port);

      g_socket_client_connect_to_uri_async (client, uri, self->port, cancellable,
                                            cc_stun_check_connect_cb, g_object_ref (self));
    }
}

static void
cc_stun_check_timed_out (CcCheck *check)
{
  CcStunCheck *self = CC_STUN_CHECK (check);
  g_autofree char *detail = NULL;

  if (self->mode == CC_STUN_MODE_BURST && self->received > 0)
    {
      cc_stun_check_burst_conclude (self);
      return;
    }

  if (self->got_garbage)
    {
      detail = g_strdup_printf (_("Something answers on %s port %u, but not with STUN: probably a filter or another service."),
                                path_words (self), self->port);
      cc_stun_check_finish_fail (self, CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  if (self->sends > 0 || self->slots->len > 0)
    detail = g_strdup_printf (_("%u requests over %s port %u got no answer."),
                              MAX (self->sends, self->slots->len), path_words (self), self->port);
  else
    detail = g_strdup_printf (_("No connection over %s port %u before the time limit."),
                              path_words (self), self->port);
  cc_stun_check_finish_fail (self, CC_ERROR_TIMEOUT, detail);
}

static void
cc_stun_check_dispose (GObject *object)
{
  CcStunCheck *self = CC_STUN_CHECK (object);

  cc_stun_check_stop (self);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      g_io_stream_close (self->stream, NULL, NULL);
      g_clear_object (&self->stream);
    }
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->outq, (GDestroyNotify) g_bytes_unref);

  G_OBJECT_CLASS (cc_stun_check_parent_class)->dispose (object);
}

static void
cc_stun_check_finalize (GObject *object)
{
  CcStunCheck *self = CC_STUN_CHECK (object);

  g_free (self->host);
  g_free (self->username);
  if (self->credential != NULL)
    {
      memset (self->credential, 0, strlen (self->credential));
      g_free (self->credential);
    }
  memset (self->request, 0, sizeof self->request);
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
  CcStunCheck *self;
  g_autofree char *target = NULL;
  static const char * const kinds[] = { "stun-binding", "turn-allocate", "media-burst" };

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (mode <= CC_STUN_MODE_BURST, NULL);

  self = g_object_new (CC_TYPE_STUN_CHECK, NULL);
  self->mode = mode;
  self->transport = transport;
  self->host = g_strdup (host);
  self->port = port;

  target = strchr (host, ':') ? g_strdup_printf ("[%s]:%u", host, port)
                              : g_strdup_printf ("%s:%u", host, port);
  cc_check_set_kind (CC_CHECK (self), kinds[mode]);
  cc_check_set_target (CC_CHECK (self), target);
  cc_check_set_transport (CC_CHECK (self), cc_transport_to_string (transport));

  return CC_CHECK (self);
}

void
cc_stun_check_set_credentials (CcStunCheck *self,
                               const char  *username,
                               const char  *credential)
{
  g_return_if_fail (CC_IS_STUN_CHECK (self));

  g_free (self->username);
  self->username = g_strdup (username);
  if (self->credential != NULL)
    memset (self->credential, 0, strlen (self->credential));
  g_free (self->credential);
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
