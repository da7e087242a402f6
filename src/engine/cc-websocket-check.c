/* cc-websocket-check.c: upgrades to a WebSocket (libsoup 3), then proves that
 * messages flow both ways:
 *  - engine.io (Whereby's signaling is Socket.IO v4 over Engine.IO v4): the server
 *    speaks first with its open packet 0{"sid":…}; then a Socket.IO CONNECT "40"
 *    is answered with "40…" (or "44…", a refusal that still proves the path).
 *    Engine.IO v4 servers ping the client, never the other way round, so the
 *    check answers their "2" with "3" and sends no pings of its own;
 *  - echo: a text message comes back unchanged;
 *  - none: the upgrade alone.
 * With a hold, the socket stays open: RFC 6455 ping frames every second must be
 * answered with pongs (echo also repeats its round trip), and a close or error
 * before the end is `connection-cut`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cc-check-private.h"
#include "cc-https-check-private.h"
#include "cc-tls-info.h"
#include "cc-util.h"
#include "cc-websocket-check.h"

/* One ping frame (and one echo) per second while holding: enough to notice a
 * middlebox that cuts idle or long-lived connections, negligible traffic. */
#define HOLD_INTERVAL_S 1
/* The largest message the check takes (RFC 6455 close code 1009 above it,
 * never buffered). What it reads is an Engine.IO open packet, a Socket.IO
 * answer or its own echo, all far below; this is libsoup 3's default, set here
 * so that the bound does not depend on it. */
#define MAX_INCOMING_PAYLOAD (128 * 1024)

typedef enum
{
  STEP_CONNECTING,
  STEP_WAIT_OPEN,      /* engine.io: waiting for 0{…} */
  STEP_WAIT_CONNECT,   /* engine.io: waiting for 40 / 44 */
  STEP_WAIT_ECHO,
  STEP_HOLDING,
} Step;

struct _CcWebsocketCheck
{
  CcCheck                  parent_instance;

  char                    *url;
  char                    *subprotocol;
  CcRoundTrip              round_trip;
  guint                    hold_seconds;

  SoupSession             *session;
  CcProbe                 *probe;
  SoupMessage             *message;        /* the attempt that connected */
  SoupWebsocketConnection *connection;
  GSource                 *tick;
  Step                     step;
  gint64                   sent_us;
  CcArrival               *arrival;        /* the answers' kernel stamps */
  gint64                   hold_started_us;
  guint                    ticks;
  guint                    pongs;
  guint                    echo_serial;
  gboolean                 echo_pending;
  GArray                  *rtts;           /* double, ms */
};

G_DEFINE_FINAL_TYPE (CcWebsocketCheck, cc_websocket_check, CC_TYPE_CHECK)

gboolean
cc_websocket_is_engine_io_open (const char *text,
                                gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonNode *sid;

  if (length < 3 || text[0] != '0' || text[1] != '{')
    return FALSE;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text + 1, length - 1, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  sid = json_object_get_member (json_node_get_object (root), "sid");
  return sid != NULL && JSON_NODE_HOLDS_VALUE (sid) && json_node_get_value_type (sid) == G_TYPE_STRING;
}

static void
cc_websocket_check_stop (CcWebsocketCheck *self)
{
  g_clear_pointer (&self->arrival, cc_arrival_free);
  cc_source_clear (&self->tick);

  /* May run inside one of the connection's signals: keep the object until
   * dispose, only stop listening and close. */
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
}

/* However the check ends (also by a stopped run), the connection closes and
 * the hold's pings stop then, not when the check is finalized. */
static void
cc_websocket_check_finished (CcCheck *check)
{
  cc_websocket_check_stop (CC_WEBSOCKET_CHECK (check));
}

static void
cc_websocket_check_record_rtt (CcWebsocketCheck *self)
{
  gint64 arrived_us = self->arrival ? cc_arrival_take (self->arrival) : g_get_monotonic_time ();
  double rtt = (arrived_us - self->sent_us) / 1000.0;

  g_array_append_val (self->rtts, rtt);
}

/* Mean round trip, and RFC 3550 interarrival jitter over successive samples. */
static void
cc_websocket_check_set_metrics (CcWebsocketCheck *self)
{
  double sum = 0, jitter = 0;

  if (self->rtts->len == 0)
    return;

  for (guint i = 0; i < self->rtts->len; i++)
    {
      double rtt = g_array_index (self->rtts, double, i);

      sum += rtt;
      if (i > 0)
        jitter += (fabs (rtt - g_array_index (self->rtts, double, i - 1)) - jitter) / 16.0;
    }

  cc_check_set_metrics (CC_CHECK (self), sum / self->rtts->len,
                        self->rtts->len > 1 ? jitter : -1, -1);
}

static void
cc_websocket_check_succeed (CcWebsocketCheck *self)
{
  g_autofree char *detail = NULL;
  const char *what;

  switch (self->round_trip)
    {
    case CC_ROUND_TRIP_ENGINE_IO:
      what = _("the Engine.IO handshake and a Socket.IO round trip work");
      break;
    case CC_ROUND_TRIP_ECHO:
      what = _("messages come back");
      break;
    case CC_ROUND_TRIP_NONE:
    default:
      what = _("the upgrade is accepted");
      break;
    }

  cc_websocket_check_set_metrics (self);
  if (self->hold_seconds > 0)
    detail = g_strdup_printf (_("WebSocket open (HTTP 101), %s, and it stayed open for %u s with %u ping/pong round trips."),
                              what, self->hold_seconds, self->pongs);
  else
    detail = g_strdup_printf (_("WebSocket open (HTTP 101), and %s."), what);

  cc_websocket_check_stop (self);
  cc_check_pass (CC_CHECK (self), detail);
}

static void
cc_websocket_check_fail (CcWebsocketCheck *self,
                         CcError           code,
                         const char       *detail)
{
  cc_websocket_check_set_metrics (self);
  cc_websocket_check_stop (self);
  cc_check_fail (CC_CHECK (self), code, detail);
}

/* libsoup writes the frame before send_text() returns. */
static void
cc_websocket_check_send_timed (CcWebsocketCheck *self,
                               const char       *text)
{
  self->sent_us = g_get_monotonic_time ();
  if (self->arrival != NULL)
    cc_arrival_arm (self->arrival, self->sent_us);
  soup_websocket_connection_send_text (self->connection, text);
}

static void
cc_websocket_check_send_echo (CcWebsocketCheck *self)
{
  g_autofree char *text = g_strdup_printf ("connection-check %u", ++self->echo_serial);

  self->echo_pending = TRUE;
  cc_websocket_check_send_timed (self, text);
}

static gboolean
cc_websocket_check_tick_cb (gpointer user_data)
{
  CcWebsocketCheck *self = user_data;
  double held = (g_get_monotonic_time () - self->hold_started_us) / (double) G_USEC_PER_SEC;

  self->ticks++;

  if (self->echo_pending)
    {
      g_autofree char *detail = g_strdup_printf (_("The WebSocket stopped answering after %.0f s of %u s."),
                                                 held, self->hold_seconds);
      cc_websocket_check_fail (self, CC_ERROR_TIMEOUT, detail);
      return G_SOURCE_REMOVE;
    }

  if (self->ticks >= self->hold_seconds / HOLD_INTERVAL_S)
    {
      g_clear_pointer (&self->tick, g_source_unref);
      cc_websocket_check_succeed (self);
      return G_SOURCE_REMOVE;
    }

  if (self->round_trip == CC_ROUND_TRIP_ECHO)
    cc_websocket_check_send_echo (self);

  return G_SOURCE_CONTINUE;
}

static void
cc_websocket_check_hold_or_finish (CcWebsocketCheck *self)
{
  if (self->hold_seconds == 0)
    {
      cc_websocket_check_succeed (self);
      return;
    }

  self->step = STEP_HOLDING;
  self->hold_started_us = g_get_monotonic_time ();
  soup_websocket_connection_set_keepalive_interval (self->connection, HOLD_INTERVAL_S);

  self->tick = cc_timeout_attach (HOLD_INTERVAL_S * 1000, cc_websocket_check_tick_cb, self,
                                  "[connection-check] WebSocket hold");

  if (self->round_trip == CC_ROUND_TRIP_ECHO)
    cc_websocket_check_send_echo (self);
}

static void
cc_websocket_check_message_cb (SoupWebsocketConnection *connection,
                               int                      type,
                               GBytes                  *message,
                               CcWebsocketCheck        *self)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  /* Engine.IO servers ping the client: answer, whatever step this is. */
  if (self->round_trip == CC_ROUND_TRIP_ENGINE_IO && type == SOUP_WEBSOCKET_DATA_TEXT &&
      length == 1 && data[0] == '2')
    {
      soup_websocket_connection_send_text (connection, "3");
      return;
    }

  switch (self->step)
    {
    case STEP_WAIT_OPEN:
      if (type != SOUP_WEBSOCKET_DATA_TEXT || !cc_websocket_is_engine_io_open (data, length))
        {
          cc_websocket_check_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                   _("The WebSocket opened, but the first message was not the signaling server’s Engine.IO open packet: something else answers at this address."));
          return;
        }
      self->step = STEP_WAIT_CONNECT;
      cc_websocket_check_send_timed (self, "40");
      break;

    case STEP_WAIT_CONNECT:
      if (type == SOUP_WEBSOCKET_DATA_TEXT && length >= 2 && data[0] == '4' &&
          (data[1] == '0' || data[1] == '4'))
        {
          cc_websocket_check_record_rtt (self);
          cc_websocket_check_hold_or_finish (self);
        }
      break;

    case STEP_WAIT_ECHO:
    case STEP_HOLDING:
      if (self->round_trip == CC_ROUND_TRIP_ECHO && self->echo_pending)
        {
          g_autofree char *expected = g_strdup_printf ("connection-check %u", self->echo_serial);

          if (type != SOUP_WEBSOCKET_DATA_TEXT || length != strlen (expected) ||
              memcmp (data, expected, length) != 0)
            {
              cc_websocket_check_fail (self, CC_ERROR_PROTOCOL_ERROR,
                                       _("The WebSocket opened, but the server did not send the test message back."));
              return;
            }

          self->echo_pending = FALSE;
          cc_websocket_check_record_rtt (self);
          if (self->step == STEP_WAIT_ECHO)
            cc_websocket_check_hold_or_finish (self);
        }
      break;

    case STEP_CONNECTING:
    default:
      break;
    }
}

static void
cc_websocket_check_pong_cb (SoupWebsocketConnection *connection,
                            GBytes                  *message,
                            CcWebsocketCheck        *self)
{
  self->pongs++;
}

static void
cc_websocket_check_closed_cb (SoupWebsocketConnection *connection,
                              CcWebsocketCheck        *self)
{
  double held = self->hold_started_us
    ? (g_get_monotonic_time () - self->hold_started_us) / (double) G_USEC_PER_SEC : 0;
  g_autofree char *detail = NULL;

  if (self->step == STEP_HOLDING)
    detail = g_strdup_printf (_("The WebSocket was closed after %.1f s of the %u s it was to stay open (close code %u). A proxy or firewall may cut long-lived connections; calls would drop."),
                              held, self->hold_seconds,
                              soup_websocket_connection_get_close_code (connection));
  else
    detail = g_strdup_printf (_("The WebSocket was closed right after it opened (close code %u)."),
                              soup_websocket_connection_get_close_code (connection));

  cc_websocket_check_fail (self, CC_ERROR_CONNECTION_CUT, detail);
}

static void
cc_websocket_check_error_cb (SoupWebsocketConnection *connection,
                             GError                  *error,
                             CcWebsocketCheck        *self)
{
  g_autofree char *detail = g_strdup_printf (_("The WebSocket connection broke: %s"), error->message);

  /* libsoup's own errors say the server broke the protocol (a message over
   * MAX_INCOMING_PAYLOAD, invalid frames or data); the rest are I/O errors. */
  cc_websocket_check_fail (self,
                           error->domain == SOUP_WEBSOCKET_ERROR ? CC_ERROR_PROTOCOL_ERROR
                                                                 : CC_ERROR_CONNECTION_CUT,
                           detail);
}

static void
cc_websocket_check_connect_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  CcProbeAttempt *attempt = user_data;
  g_autoptr(CcWebsocketCheck) self = CC_WEBSOCKET_CHECK (attempt->check);   /* the send's reference */
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  CcProbeAttempt *outcome;
  guint status;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  /* Too late: the check ended, or another attempt connected first. */
  if (cc_check_is_done (CC_CHECK (self)) || self->connection != NULL)
    {
      attempt->pending = FALSE;
      if (connection != NULL)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      return;
    }

  outcome = cc_probe_settle (self->probe, attempt, connection == NULL, &error);
  if (outcome == NULL)
    return;
  if (outcome == attempt)
    self->connection = g_steal_pointer (&connection);
  g_set_object (&self->message, outcome->message);
  /* libsoup reads the socket (under TLS): the round trips' answers are
   * stamped by watching it (README "Timings"). */
  if (outcome->socket != NULL)
    self->arrival = cc_arrival_new (outcome->socket);

  status = soup_message_get_status (self->message);
  cc_check_set_http_status (CC_CHECK (self), status);
  cc_https_check_record_peer (CC_CHECK (self), self->message);

  if (self->connection == NULL)
    {
      g_autofree char *detail = NULL;

      if (outcome->saw_rejection)
        {
          g_autofree char *what = cc_tls_describe_errors (outcome->rejected);
          const char *issuer = cc_check_get_tls_issuer (CC_CHECK (self));

          detail = g_strdup_printf (_("The certificate was issued by “%s”, which this device does not accept (%s). Something between you and the server may be inspecting HTTPS."),
                                    issuer ? issuer : _("an unknown issuer"), what);
          cc_check_fail (CC_CHECK (self), CC_ERROR_TLS_UNTRUSTED, detail);
        }
      else if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
        cc_check_fail (CC_CHECK (self), CC_ERROR_AUTH_REQUIRED,
                       _("The proxy asks for a login (HTTP 407) before it connects anywhere."));
      else if (outcome->proxy_negotiating && status != SOUP_STATUS_NONE)
        cc_https_check_fail_proxy_refusal (CC_CHECK (self), self->message);
      else if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET) ||
               (status >= 200 && status != SOUP_STATUS_SWITCHING_PROTOCOLS))
        {
          detail = g_strdup_printf (_("The server or a proxy refused the WebSocket upgrade with HTTP %u %s: a proxy or firewall may be blocking WebSockets."),
                                    status, soup_message_get_reason_phrase (self->message)
                                    ? soup_message_get_reason_phrase (self->message) : "");
          cc_check_fail (CC_CHECK (self), CC_ERROR_WEBSOCKET_REJECTED, detail);
        }
      else
        cc_https_check_fail_send (CC_CHECK (self), self->message, outcome->proxy_negotiating, error);
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (self->connection, MAX_INCOMING_PAYLOAD);
  g_signal_connect (self->connection, "message", G_CALLBACK (cc_websocket_check_message_cb), self);
  g_signal_connect (self->connection, "pong", G_CALLBACK (cc_websocket_check_pong_cb), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (cc_websocket_check_closed_cb), self);
  g_signal_connect (self->connection, "error", G_CALLBACK (cc_websocket_check_error_cb), self);

  self->sent_us = g_get_monotonic_time ();
  switch (self->round_trip)
    {
    case CC_ROUND_TRIP_ENGINE_IO:
      self->step = STEP_WAIT_OPEN;
      break;
    case CC_ROUND_TRIP_ECHO:
      self->step = STEP_WAIT_ECHO;
      cc_websocket_check_send_echo (self);
      break;
    case CC_ROUND_TRIP_NONE:
    default:
      cc_websocket_check_hold_or_finish (self);
      break;
    }
}

static void
cc_websocket_check_send (CcCheck        *check,
                         CcProbeAttempt *attempt)
{
  CcWebsocketCheck *self = CC_WEBSOCKET_CHECK (check);
  const char *protocols[] = { self->subprotocol, NULL };

  soup_session_websocket_connect_async (self->session, attempt->message, NULL,
                                        self->subprotocol ? (char **) protocols : NULL,
                                        G_PRIORITY_DEFAULT, attempt->cancellable,
                                        cc_websocket_check_connect_cb, attempt);
}

static void
cc_websocket_check_start (CcCheck      *check,
                          GCancellable *cancellable)
{
  CcWebsocketCheck *self = CC_WEBSOCKET_CHECK (check);
  g_autoptr(SoupMessage) valid = soup_message_new (SOUP_METHOD_GET, self->url);

  if (valid == NULL)
    {
      cc_check_fail (check, CC_ERROR_PROTOCOL_ERROR, _("The URL is not valid."));
      return;
    }

  self->session = cc_https_check_new_session (check);
  self->probe = cc_probe_new (check, self->url, cancellable, cc_websocket_check_send);
}

static void
cc_websocket_check_timed_out (CcCheck *check)
{
  CcWebsocketCheck *self = CC_WEBSOCKET_CHECK (check);
  const char *detail;

  switch (self->step)
    {
    case STEP_WAIT_OPEN:
      detail = _("The WebSocket opened, but the signaling server never sent its open packet.");
      break;
    case STEP_WAIT_CONNECT:
    case STEP_WAIT_ECHO:
      detail = _("The WebSocket opened, but messages get no answer.");
      break;
    case STEP_HOLDING:
      detail = _("The WebSocket stopped answering while it was held open.");
      break;
    case STEP_CONNECTING:
    default:
      detail = _("No answer before the time limit.");
      break;
    }

  cc_websocket_check_fail (self, CC_ERROR_TIMEOUT, detail);
}

static void
cc_websocket_check_dispose (GObject *object)
{
  CcWebsocketCheck *self = CC_WEBSOCKET_CHECK (object);

  cc_websocket_check_stop (self);
  g_clear_object (&self->connection);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_pointer (&self->probe, cc_probe_free);
  g_clear_object (&self->message);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cc_websocket_check_parent_class)->dispose (object);
}

static void
cc_websocket_check_finalize (GObject *object)
{
  CcWebsocketCheck *self = CC_WEBSOCKET_CHECK (object);

  g_free (self->url);
  g_free (self->subprotocol);
  g_array_unref (self->rtts);

  G_OBJECT_CLASS (cc_websocket_check_parent_class)->finalize (object);
}

static void
cc_websocket_check_class_init (CcWebsocketCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->dispose = cc_websocket_check_dispose;
  object_class->finalize = cc_websocket_check_finalize;
  check_class->start = cc_websocket_check_start;
  check_class->timed_out = cc_websocket_check_timed_out;
  check_class->finished = cc_websocket_check_finished;
}

static void
cc_websocket_check_init (CcWebsocketCheck *self)
{
  self->rtts = g_array_new (FALSE, FALSE, sizeof (double));
}

CcCheck *
cc_websocket_check_new (const char  *url,
                        CcRoundTrip  round_trip,
                        const char  *subprotocol,
                        guint        hold_seconds)
{
  CcWebsocketCheck *self;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (CC_TYPE_WEBSOCKET_CHECK, NULL);
  self->url = g_strdup (url);
  self->round_trip = round_trip;
  self->subprotocol = g_strdup (subprotocol);
  self->hold_seconds = hold_seconds;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  target = uri ? cc_https_check_target (uri) : g_strdup (url);
  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_WEBSOCKET);
  cc_check_set_target (CC_CHECK (self), target);
  cc_check_set_transport (CC_CHECK (self), uri && g_str_equal (g_uri_get_scheme (uri), "ws") ? "tcp" : "tls");

  return CC_CHECK (self);
}
