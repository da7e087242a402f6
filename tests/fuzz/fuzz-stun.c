/* fuzz-stun.c: libFuzzer target for what the STUN check reads from a server
 * (cc-stun-parse.c): framing and cookie, libnice's validation against the
 * outstanding transaction (unknown attributes, FINGERPRINT, MESSAGE-INTEGRITY),
 * XOR-MAPPED-ADDRESS, XOR-RELAYED-ADDRESS, ALTERNATE-SERVER, LIFETIME,
 * ERROR-CODE, REALM and NONCE.
 *
 * Input: one byte choosing the request (bits 0–1: Binding, Allocate, burst
 * Binding; bit 2: leave the transaction id alone instead of copying the
 * request's into the answer, so that most inputs get past the transaction
 * check), then the answer. When the answer to an Allocate is a 401/438 with
 * REALM and NONCE, an authenticated Allocate is built from it as the check
 * does, and whatever follows the first message is parsed as the answer to that
 * (with MESSAGE-INTEGRITY checked against the credentials). Seeds:
 * tests/fuzz/corpus/stun/ (answers as coturn sends them, and near misses).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <stun/stunagent.h>
#include <stun/usages/bind.h>
#include <stun/usages/turn.h>

#include "cc-stun-parse.h"
#include "fuzz-common.h"

#define FLAG_KEEP_ID 0x4

static const char username[] = "fuzz-user";
static const char password[] = "fuzz-password";

static void
check_reply (const CcStunReply *reply,
             CcStunUsage        usage)
{
  switch (reply->kind)
    {
    case CC_STUN_REPLY_SUCCESS:
      if (usage == CC_STUN_USAGE_BINDING)
        g_assert_nonnull (reply->mapped);
      else if (usage == CC_STUN_USAGE_ALLOCATE)
        g_assert_nonnull (reply->relayed);
      break;

    case CC_STUN_REPLY_ALTERNATE:
      g_assert_nonnull (reply->alternate);
      break;

    case CC_STUN_REPLY_ERROR:
      g_assert_nonnull (reply->reason);
      g_assert_true (g_utf8_validate (reply->reason, -1, NULL));
      for (const char *p = reply->reason; *p != '\0'; p++)
        g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
      if (reply->realm != NULL)
        g_assert_true (g_utf8_validate (reply->realm, -1, NULL));
      break;

    case CC_STUN_REPLY_NOT_STUN:
    case CC_STUN_REPLY_UNMATCHED:
    case CC_STUN_REPLY_OTHER:
    default:
      g_assert_null (reply->mapped);
      g_assert_null (reply->relayed);
      break;
    }
}

/* Parses @data as the answer to @request, the transaction id copied from the
 * request unless @keep_id. */
static CcStunReplyKind
parse_answer (StunAgent    *agent,
              CcStunUsage   usage,
              const guint8 *request,
              const guint8 *data,
              gsize         length,
              gboolean      keep_id,
              CcStunReply  *reply)
{
  g_autofree guint8 *answer = g_memdup2 (data, length);

  if (!keep_id && length >= STUN_MESSAGE_TRANS_ID_POS + STUN_MESSAGE_TRANS_ID_LEN)
    memcpy (answer + STUN_MESSAGE_TRANS_ID_POS, request + STUN_MESSAGE_TRANS_ID_POS,
            STUN_MESSAGE_TRANS_ID_LEN);

  cc_stun_parse_reply (agent, usage, answer, length, reply);
  check_reply (reply, usage);
  return reply->kind;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(CcStunReply) reply = { 0, };
  guint8 request[CC_STUN_BUFFER_SIZE];
  StunAgent agent;
  StunMessage msg;
  CcStunUsage usage;
  gboolean keep_id;
  gsize first;
  int valid;

  if (size < 1)
    return 0;

  usage = (data[0] & 0x3) % 3;
  keep_id = (data[0] & FLAG_KEEP_ID) != 0;
  data++;
  size--;

  cc_stun_is_message (data, size);
  cc_stun_has_cookie (data, size);

  if (usage == CC_STUN_USAGE_ALLOCATE)
    {
      stun_agent_init (&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                       STUN_AGENT_USAGE_LONG_TERM_CREDENTIALS);
      g_assert_cmpuint (stun_usage_turn_create (&agent, &msg, request, sizeof request, NULL,
                                                STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                                NULL, 0, NULL, 0,
                                                STUN_USAGE_TURN_COMPATIBILITY_RFC5766), >, 0);
    }
  else
    {
      stun_agent_init (&agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389, 0);
      g_assert_cmpuint (stun_usage_bind_create (&agent, &msg, request, sizeof request), >, 0);
    }

  /* The first message as a stream reader would split it off; the rest (if
   * any) answers the authenticated request. */
  valid = stun_message_validate_buffer_length (data, size, TRUE);
  first = valid > 0 && (gsize) valid < size ? (gsize) valid : size;

  if (parse_answer (&agent, usage, request, data, first, keep_id, &reply) == CC_STUN_REPLY_ERROR &&
      usage == CC_STUN_USAGE_ALLOCATE &&
      (reply.error_code == STUN_ERROR_UNAUTHORIZED || reply.error_code == STUN_ERROR_STALE_NONCE) &&
      reply.realm != NULL && reply.has_nonce)
    {
      g_auto(CcStunReply) second = { 0, };
      size_t len;

      len = stun_usage_turn_create (&agent, &msg, request, sizeof request, &reply.msg,
                                    STUN_USAGE_TURN_REQUEST_PORT_NORMAL, -1, -1,
                                    (uint8_t *) username, strlen (username),
                                    (uint8_t *) password, strlen (password),
                                    STUN_USAGE_TURN_COMPATIBILITY_RFC5766);
      if (len > 0 && first < size)
        parse_answer (&agent, usage, request, data + first, size - first, keep_id, &second);
    }

  return 0;
}
