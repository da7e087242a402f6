/* cc-turn-allocate-check.c: a TURN Allocate (RFC 8656). The first request
 * carries no credentials: without credentials of our own, the server's 401
 * carrying REALM and NONCE proves the TURN service is reachable; with them, the
 * request is sent again signed for that realm and nonce (a 438 Stale Nonce
 * brings a new nonce, a second 401 for the same realm means the credentials are
 * wrong), and a real allocation is made and released at once (Refresh with
 * LIFETIME 0, RFC 8656 §7.2). Credentials never leave this object except
 * inside MESSAGE-INTEGRITY, and are wiped when it goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <stun/usages/turn.h>

#include "cc-secrets.h"
#include "cc-turn-allocate-check.h"

/* 438 Stale Nonce (RFC 8489 §9.2.5) may send us round again this many times. */
#define STUN_MAX_NONCE_RETRIES 3
/* A second 401 with another realm is answered once more, then we give up. */
#define STUN_MAX_AUTH_ROUNDS   2

struct _CcTurnAllocateCheck
{
  CcStunCheck  parent_instance;

  char        *username;
  char        *credential;

  StunAgent    agent;
  guint8       challenge[CC_STUN_BUFFER_SIZE];  /* the last 401/438: REALM, NONCE */
  gsize        challenge_len;
  char        *realm;
  guint        auth_rounds;
  guint        nonce_retries;
  char        *relayed;
};

G_DEFINE_FINAL_TYPE (CcTurnAllocateCheck, cc_turn_allocate_check, CC_TYPE_STUN_CHECK)

static void
cc_turn_allocate_check_begin (CcStunCheck *check)
{
  CcTurnAllocateCheck *self = CC_TURN_ALLOCATE_CHECK (check);
  guint8 request[CC_STUN_BUFFER_SIZE];
  StunMessage msg;
  gsize len;

  stun_agent_init (&self->agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_LONG_TERM_CREDENTIALS);
  /* The first request carries no credentials: the server's 401 brings the
   * realm and nonce they are built with. */
  len = stun_usage_turn_create (&self->agent, &msg, request, sizeof request,
                                NULL, STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                NULL, 0, NULL, 0,
                                STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  /* (The channel keeps its own copy, to send again.) */
  cc_stun_channel_send_request (cc_stun_check_get_channel (check), request, len);
}

/* Releases the allocation at once (RFC 8656 §7.2: Refresh with LIFETIME 0).
 * libnice signs a long-term request only when REALM and NONCE are in it, and
 * takes them from the "previous response": that has to be the last 401/438, as
 * a success response carries neither. Best effort, the answer is not awaited:
 * on UDP the datagram goes out now, on a stream after the pending I/O ends. */
static void
cc_turn_allocate_check_release (CcTurnAllocateCheck *self)
{
  StunMessage challenge = { 0 };
  StunMessage msg;
  guint8 buffer[CC_STUN_BUFFER_SIZE];
  gsize len;

  challenge.buffer = self->challenge;
  challenge.buffer_len = self->challenge_len;

  len = stun_usage_turn_create_refresh (&self->agent, &msg, buffer, sizeof buffer,
                                        &challenge, 0,
                                        (uint8_t *) self->username,
                                        self->username ? strlen (self->username) : 0,
                                        (uint8_t *) self->credential,
                                        self->credential ? strlen (self->credential) : 0,
                                        STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  if (len > 0)
    cc_stun_channel_release (cc_stun_check_get_channel (CC_STUN_CHECK (self)), buffer, len);
  memset (buffer, 0, sizeof buffer);
}

/* A 401 or 438 carrying REALM and NONCE. */
static void
cc_turn_allocate_check_challenge (CcTurnAllocateCheck *self,
                                  CcStunReply         *reply,
                                  double               rtt)
{
  CcStunCheck *check = CC_STUN_CHECK (self);
  g_autofree char *detail = NULL;
  guint8 buffer[CC_STUN_BUFFER_SIZE];
  StunMessage request;
  gsize len;

  if (reply->realm == NULL || !reply->has_nonce)
    {
      detail = g_strdup_printf (_("The relay answered %d “%s” without the REALM and NONCE a TURN server sends."),
                                reply->error_code, reply->reason);
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  if (self->username == NULL || self->credential == NULL)
    {
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay answered in %.0f ms and asked for credentials (realm “%s”): TURN over %s port %u reaches the server."),
                                rtt, reply->realm, cc_stun_check_get_path_words (check),
                                cc_stun_check_get_port (check));
      detail = cc_stun_check_note_retransmission (check, detail);
      cc_check_pass (CC_CHECK (self), detail);
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
          cc_check_fail (CC_CHECK (self), CC_ERROR_AUTH_REQUIRED, detail);
          return;
        }
      self->auth_rounds++;
    }
  else if (++self->nonce_retries > STUN_MAX_NONCE_RETRIES)
    {
      detail = g_strdup_printf (_("The relay answered 438 “stale nonce” %u times in a row."),
                                self->nonce_retries);
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR, detail);
      return;
    }

  g_free (self->realm);
  self->realm = g_strdup (reply->realm);
  self->challenge_len = MIN (reply->length, sizeof self->challenge);
  memcpy (self->challenge, reply->buffer, self->challenge_len);

  len = stun_usage_turn_create (&self->agent, &request, buffer, sizeof buffer,
                                &reply->msg, STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                (uint8_t *) self->username, strlen (self->username),
                                (uint8_t *) self->credential, strlen (self->credential),
                                STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
  /* (The channel keeps its own copy, to send again, and wipes it.) */
  if (len > 0)
    cc_stun_channel_send_request (cc_stun_check_get_channel (check), buffer, len);
  memset (buffer, 0, sizeof buffer);
  if (len == 0)
    cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR,
                   _("The relay’s realm and nonce do not fit in a TURN request."));
}

static void
cc_turn_allocate_check_message (CcStunCheck  *check,
                                const guint8 *data,
                                gsize         length,
                                gint64        received_us)
{
  CcTurnAllocateCheck *self = CC_TURN_ALLOCATE_CHECK (check);
  g_auto(CcStunReply) reply = { 0, };
  g_autofree char *detail = NULL;
  double rtt;

  if (!cc_stun_check_take_answer (check, &self->agent, CC_STUN_USAGE_ALLOCATE, data, length, &reply))
    return;

  rtt = cc_stun_check_transaction_rtt (check, received_us);
  switch (reply.kind)
    {
    case CC_STUN_REPLY_SUCCESS:
      g_free (self->relayed);
      self->relayed = g_strdup (reply.relayed);
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay at %s:%u gave this device the relayed address %s over %s in %.0f ms (released again at once)."),
                                cc_check_get_address (CC_CHECK (self)), cc_stun_check_get_port (check),
                                self->relayed, cc_stun_check_get_path_words (check), rtt);
      detail = cc_stun_check_note_retransmission (check, detail);
      cc_turn_allocate_check_release (self);
      cc_check_pass (CC_CHECK (self), detail);
      return;

    case CC_STUN_REPLY_ALTERNATE:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The relay answered over %s port %u and redirects to another server."),
                                cc_stun_check_get_path_words (check), cc_stun_check_get_port (check));
      cc_check_pass (CC_CHECK (self), detail);
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

  if (reply.error_code == 0)
    {
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR,
                     _("The relay answered with an error that has no error code."));
      return;
    }

  if (reply.error_code == STUN_ERROR_UNAUTHORIZED || reply.error_code == STUN_ERROR_STALE_NONCE)
    {
      cc_turn_allocate_check_challenge (self, &reply, rtt);
      return;
    }

  detail = g_strdup_printf (_("The relay refused the allocation with error %d “%s”."),
                            reply.error_code, reply.reason);
  cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR, detail);
}

static void
cc_turn_allocate_check_finalize (GObject *object)
{
  CcTurnAllocateCheck *self = CC_TURN_ALLOCATE_CHECK (object);

  cc_secrets_clear (&self->username);
  cc_secrets_clear (&self->credential);
  /* The agent keeps the long-term key (an MD5 of the password) per transaction;
   * the request carries MESSAGE-INTEGRITY. */
  memset (&self->agent, 0, sizeof self->agent);
  g_free (self->realm);
  g_free (self->relayed);

  G_OBJECT_CLASS (cc_turn_allocate_check_parent_class)->finalize (object);
}

static void
cc_turn_allocate_check_class_init (CcTurnAllocateCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcStunCheckClass *stun_class = CC_STUN_CHECK_CLASS (klass);

  object_class->finalize = cc_turn_allocate_check_finalize;
  stun_class->begin = cc_turn_allocate_check_begin;
  stun_class->message = cc_turn_allocate_check_message;
}

static void
cc_turn_allocate_check_init (CcTurnAllocateCheck *self)
{
}

void
cc_turn_allocate_check_set_credentials (CcTurnAllocateCheck *self,
                                        const char          *username,
                                        const char          *credential)
{
  g_return_if_fail (CC_IS_TURN_ALLOCATE_CHECK (self));
  g_return_if_fail (cc_check_get_status (CC_CHECK (self)) == CC_STATUS_PENDING);

  cc_secrets_clear (&self->username);
  self->username = g_strdup (username);
  cc_secrets_clear (&self->credential);
  self->credential = g_strdup (credential);
}

const char *
cc_turn_allocate_check_get_relayed_address (CcTurnAllocateCheck *self)
{
  g_return_val_if_fail (CC_IS_TURN_ALLOCATE_CHECK (self), NULL);

  return self->relayed;
}
