/* cc-stun-check.c: the base of the checks that speak STUN (RFC 8489) and TURN
 * (RFC 8656) to a server, with messages built and checked by libnice's STUN
 * library. It opens the check's channel (cc-stun-channel.c: UDP, TCP or TLS,
 * retransmissions, framing, kernel receive stamps), hands the server's messages
 * to the usage, and gives the verdicts all usages share: a failed channel, and
 * at the deadline what came back instead of an answer. The usages are
 * subclasses, each with only its own state:
 *
 *  - binding (cc-stun-binding-check.c): one request; the answer gives this
 *    device's address as the server sees it;
 *  - allocate (cc-turn-allocate-check.c): a TURN allocation, made with
 *    credentials and released at once, or without them the 401 that proves
 *    the TURN service is reachable;
 *  - burst (cc-stun-burst-check.c): Binding requests at a fixed pace, like a
 *    call's audio packets, giving round-trip time, jitter and loss.
 * cc_stun_check_new() gives the usage a mode asks for.
 *
 * Per-run state: a check runs once (cc_check_run_async() refuses a second
 * run), so its members are one run's state; the channel, with the sockets,
 * buffers and retransmission timer, exists from the start of that run to its
 * end only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-stun-binding-check.h"
#include "cc-stun-burst-check.h"
#include "cc-stun-check-private.h"
#include "cc-turn-allocate-check.h"

typedef struct
{
  CcTransport    transport;
  char          *host;
  guint16        port;
  CcStunChannel *channel;          /* from the start on */
  gboolean       got_unmatched;    /* STUN that answers none of our requests */
  gboolean       got_stun;         /* a message that validated */
} CcStunCheckPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CcStunCheck, cc_stun_check, CC_TYPE_CHECK)

static void
cc_stun_check_message_cb (const guint8 *data,
                          gsize         length,
                          gint64        received_us,
                          gpointer      user_data)
{
  /* The usage may end the check, and its owner drop it, while it reads. */
  g_autoptr(CcStunCheck) self = g_object_ref (user_data);

  if (!cc_check_is_done (CC_CHECK (self)))
    CC_STUN_CHECK_GET_CLASS (self)->message (self, data, length, received_us);
}

static void
cc_stun_check_channel_failed_cb (const GError *error,
                                 gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = g_object_ref (user_data);

  if (!cc_check_is_done (CC_CHECK (self)))
    CC_STUN_CHECK_GET_CLASS (self)->channel_failed (self, error);
}

static void
cc_stun_check_real_channel_failed (CcStunCheck  *self,
                                   const GError *error)
{
  cc_check_fail_error (CC_CHECK (self), error);
}

static void
cc_stun_check_opened_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CcStunCheck) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Ignored when the check has already ended (its end closed the channel). */
  if (!cc_stun_channel_open_finish (CC_STUN_CHANNEL (object), result, &error))
    cc_check_fail_error (CC_CHECK (self), error);
  else if (!cc_check_is_done (CC_CHECK (self)))
    CC_STUN_CHECK_GET_CLASS (self)->begin (self);
}

static void
cc_stun_check_start (CcCheck      *check,
                     GCancellable *cancellable)
{
  CcStunCheck *self = CC_STUN_CHECK (check);
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_if_fail (priv->channel == NULL);

  priv->channel = cc_stun_channel_new (check, priv->transport, priv->host, priv->port,
                                       cc_stun_check_message_cb,
                                       cc_stun_check_channel_failed_cb, self);
  cc_stun_channel_open_async (priv->channel, cancellable,
                              cc_stun_check_opened_cb, g_object_ref (self));
}

static void
cc_stun_check_timed_out (CcCheck *check)
{
  CcStunCheck *self = CC_STUN_CHECK (check);
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  cc_stun_check_fail_unanswered (self, priv->channel != NULL ? cc_stun_channel_get_sends (priv->channel) : 0);
}

static void
cc_stun_check_finished (CcCheck *check)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (CC_STUN_CHECK (check));

  if (priv->channel != NULL)
    cc_stun_channel_close (priv->channel);
}

static void
cc_stun_check_dispose (GObject *object)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (CC_STUN_CHECK (object));

  /* The channel lives on until its last stream operation has ended, then
   * closes the stream; it no longer calls this check. */
  if (priv->channel != NULL)
    cc_stun_channel_close (priv->channel);
  g_clear_object (&priv->channel);

  G_OBJECT_CLASS (cc_stun_check_parent_class)->dispose (object);
}

static void
cc_stun_check_finalize (GObject *object)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (CC_STUN_CHECK (object));

  g_free (priv->host);

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
  klass->channel_failed = cc_stun_check_real_channel_failed;
}

static void
cc_stun_check_init (CcStunCheck *self)
{
}

CcStunChannel *
cc_stun_check_get_channel (CcStunCheck *self)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), NULL);

  return priv->channel;
}

CcTransport
cc_stun_check_get_transport_kind (CcStunCheck *self)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), CC_TRANSPORT_UDP);

  return priv->transport;
}

guint16
cc_stun_check_get_port (CcStunCheck *self)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), 0);

  return priv->port;
}

const char *
cc_stun_check_get_path_words (CcStunCheck *self)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), NULL);
  g_return_val_if_fail (priv->channel != NULL, NULL);

  return cc_stun_channel_get_path_words (priv->channel);
}

gboolean
cc_stun_check_take_answer (CcStunCheck  *self,
                           StunAgent    *agent,
                           CcStunUsage   usage,
                           const guint8 *data,
                           gsize         length,
                           CcStunReply  *reply)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), FALSE);

  /* The reply holds its own copy of the message: the channel reuses its
   * buffer for the next read. */
  if (cc_stun_parse_reply (agent, usage, data, length, reply) == CC_STUN_REPLY_UNMATCHED)
    {
      priv->got_unmatched = TRUE;
      return FALSE;
    }

  priv->got_stun = TRUE;
  cc_stun_channel_stop_retransmission (priv->channel);
  return TRUE;
}

void
cc_stun_check_note_stun (CcStunCheck *self)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_if_fail (CC_IS_STUN_CHECK (self));

  priv->got_stun = TRUE;
}

double
cc_stun_check_transaction_rtt (CcStunCheck *self,
                               gint64       received_us)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), -1);

  return cc_stun_channel_transaction_rtt (priv->channel, received_us);
}

char *
cc_stun_check_note_retransmission (CcStunCheck *self,
                                   char        *detail)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);
  char *noted;

  g_return_val_if_fail (CC_IS_STUN_CHECK (self), detail);

  if (cc_stun_channel_get_sends (priv->channel) <= 1)
    return detail;

  noted = g_strconcat (detail, " ",
                       _("The request had to be sent again before this answer came, so the round trip is at most this long."),
                       NULL);
  g_free (detail);
  return noted;
}

void
cc_stun_check_fail_unanswered (CcStunCheck *self,
                               guint        sent)
{
  CcStunCheckPrivate *priv = cc_stun_check_get_instance_private (self);
  g_autofree char *detail = NULL;
  const char *path;

  g_return_if_fail (CC_IS_STUN_CHECK (self));

  if (priv->channel == NULL)
    return;
  path = cc_stun_channel_get_path_words (priv->channel);

  /* Bytes came back, but never a STUN message. */
  if ((cc_stun_channel_got_garbage (priv->channel) ||
       cc_stun_channel_has_partial_input (priv->channel)) && !priv->got_stun)
    {
      detail = cc_stun_channel_describe_not_stun (priv->channel);
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  /* STUN came back, but never an answer to our requests: the path works, what
   * answers does not (a timeout would blame a firewall). */
  if (priv->got_unmatched && !priv->got_stun)
    {
      detail = g_strdup_printf (_("Something answers on %s port %u, but not to the requests sent: its STUN messages belong to other transactions or fail their integrity or fingerprint checks."),
                                path, priv->port);
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  if (sent > 0)
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request over %s port %u got no answer.",
                                           "%u requests over %s port %u got no answer.", sent),
                              sent, path, priv->port);
  else
    detail = g_strdup_printf (_("No connection over %s port %u before the time limit."),
                              path, priv->port);
  cc_check_fail (CC_CHECK (self), CC_ERROR_TIMEOUT, detail);
}

CcCheck *
cc_stun_check_new (CcStunMode   mode,
                   CcTransport  transport,
                   const char  *host,
                   guint16      port)
{
  /* Each mode's usage: its class, and the report's kind of check. */
  static const struct
  {
    GType       (*get_type) (void);
    CcCheckKind   kind;
  } usages[] = {
    [CC_STUN_MODE_BINDING] = { cc_stun_binding_check_get_type, CC_CHECK_KIND_STUN_BINDING },
    [CC_STUN_MODE_ALLOCATE] = { cc_turn_allocate_check_get_type, CC_CHECK_KIND_TURN_ALLOCATE },
    [CC_STUN_MODE_BURST] = { cc_stun_burst_check_get_type, CC_CHECK_KIND_MEDIA_BURST },
  };
  CcStunCheck *self;
  CcStunCheckPrivate *priv;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (mode <= CC_STUN_MODE_BURST, NULL);
  g_return_val_if_fail (transport == CC_TRANSPORT_UDP ||
                        transport == CC_TRANSPORT_TCP ||
                        transport == CC_TRANSPORT_TLS, NULL);

  self = g_object_new (usages[mode].get_type (), NULL);
  priv = cc_stun_check_get_instance_private (self);
  priv->transport = transport;
  priv->host = g_strdup (host);
  priv->port = port;

  cc_check_set_kind (CC_CHECK (self), usages[mode].kind);
  cc_check_set_target_host_port (CC_CHECK (self), host, port);
  cc_check_set_transport (CC_CHECK (self), cc_transport_to_string (transport));

  return CC_CHECK (self);
}

void
cc_stun_check_set_credentials (CcStunCheck *self,
                               const char  *username,
                               const char  *credential)
{
  g_return_if_fail (CC_IS_TURN_ALLOCATE_CHECK (self));

  cc_turn_allocate_check_set_credentials (CC_TURN_ALLOCATE_CHECK (self), username, credential);
}

void
cc_stun_check_set_burst (CcStunCheck *self,
                         guint        count,
                         guint        interval_ms)
{
  g_return_if_fail (CC_IS_STUN_BURST_CHECK (self));

  cc_stun_burst_check_set_burst (CC_STUN_BURST_CHECK (self), count, interval_ms);
}

const char *
cc_stun_check_get_relayed_address (CcStunCheck *self)
{
  g_return_val_if_fail (CC_IS_STUN_CHECK (self), NULL);

  if (!CC_IS_TURN_ALLOCATE_CHECK (self))
    return NULL;
  return cc_turn_allocate_check_get_relayed_address (CC_TURN_ALLOCATE_CHECK (self));
}
