/* cc-stun-binding-check.c: one STUN Binding request (RFC 8489), retransmitted
 * on UDP by the channel; the answer gives this device's address as the server
 * sees it, and the round trip from the first send. An error answer fails the
 * check; STUN that answers something else is waited past.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stun/usages/bind.h>

#include "cc-stun-binding-check.h"

struct _CcStunBindingCheck
{
  CcStunCheck  parent_instance;

  StunAgent    agent;
};

G_DEFINE_FINAL_TYPE (CcStunBindingCheck, cc_stun_binding_check, CC_TYPE_STUN_CHECK)

static void
cc_stun_binding_check_begin (CcStunCheck *check)
{
  CcStunBindingCheck *self = CC_STUN_BINDING_CHECK (check);
  guint8 request[CC_STUN_BUFFER_SIZE];
  StunMessage msg;
  gsize len;

  stun_agent_init (&self->agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389, 0);
  len = stun_usage_bind_create (&self->agent, &msg, request, sizeof request);
  cc_stun_channel_send_request (cc_stun_check_get_channel (check), request, len);
}

static void
cc_stun_binding_check_message (CcStunCheck  *check,
                               const guint8 *data,
                               gsize         length,
                               gint64        received_us)
{
  CcStunBindingCheck *self = CC_STUN_BINDING_CHECK (check);
  g_auto(CcStunReply) reply = { 0, };
  g_autofree char *detail = NULL;
  double rtt;

  if (!cc_stun_check_take_answer (check, &self->agent, CC_STUN_USAGE_BINDING, data, length, &reply))
    return;

  rtt = cc_stun_check_transaction_rtt (check, received_us);
  switch (reply.kind)
    {
    case CC_STUN_REPLY_SUCCESS:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The server answered from %s:%u over %s in %.0f ms; it sees this device as %s."),
                                cc_check_get_address (CC_CHECK (self)), cc_stun_check_get_port (check),
                                cc_stun_check_get_path_words (check), rtt, reply.mapped);
      detail = cc_stun_check_note_retransmission (check, detail);
      cc_check_pass (CC_CHECK (self), detail);
      break;

    case CC_STUN_REPLY_ALTERNATE:
      cc_check_set_metrics (CC_CHECK (self), rtt, -1, -1);
      detail = g_strdup_printf (_("The server answered over %s port %u and redirects to another server."),
                                cc_stun_check_get_path_words (check), cc_stun_check_get_port (check));
      cc_check_pass (CC_CHECK (self), detail);
      break;

    case CC_STUN_REPLY_ERROR:
      detail = g_strdup_printf (_("The server answered with STUN error %d “%s”."),
                                reply.error_code, reply.reason);
      cc_check_fail (CC_CHECK (self), CC_ERROR_PROTOCOL_ERROR, detail);
      break;

    case CC_STUN_REPLY_NOT_STUN:
    case CC_STUN_REPLY_UNMATCHED:
    case CC_STUN_REPLY_OTHER:
    default:
      /* STUN, but not an answer to our Binding: keep waiting. */
      break;
    }
}

static void
cc_stun_binding_check_class_init (CcStunBindingCheckClass *klass)
{
  CcStunCheckClass *stun_class = CC_STUN_CHECK_CLASS (klass);

  stun_class->begin = cc_stun_binding_check_begin;
  stun_class->message = cc_stun_binding_check_message;
}

static void
cc_stun_binding_check_init (CcStunBindingCheck *self)
{
}
