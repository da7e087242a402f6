/* cc-stun-parse.c: reads a STUN server's answer for the STUN check: framing,
 * validation by libnice against the agent's transaction, then the attributes,
 * made safe to show to people. Everything here comes from the network, so it
 * is what tests/fuzz/fuzz-stun.c feeds arbitrary bytes to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <stun/usages/bind.h>
#include <stun/usages/turn.h>

#include "cc-stun-parse.h"

/* RFC 8489 §5: every RFC 5389+ message carries this cookie in bytes 4–7. */
#define STUN_COOKIE_POS 4
/* RFC 8489 §14.8: ERROR-CODE is 4 bytes (class, number), then the reason. */
#define ERROR_CODE_HEADER_LEN 4
/* RFC 8489 §14.7: FINGERPRINT is the CRC-32 of the message before it (ISO/IEC
 * 13239, polynomial 0x04C11DB7 bit-reversed), XORed with this constant. */
#define FINGERPRINT_XOR       0x5354554e
#define CRC32_POLYNOMIAL      0xedb88320

static char *
sockaddr_to_string (const struct sockaddr_storage *addr,
                    socklen_t                      len)
{
  g_autoptr(GSocketAddress) address = g_socket_address_new_from_native ((gpointer) addr, len);
  GInetAddress *inet;
  g_autofree char *ip = NULL;
  guint16 port;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  ip = g_inet_address_to_string (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", ip, port);
  return g_strdup_printf ("%s:%u", ip, port);
}

/* A string attribute from the network, made safe to show to people. */
static char *
attribute_text (const guint8 *value,
                gsize         len)
{
  char *text = g_utf8_make_valid ((const char *) value, len);

  for (char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';
  return text;
}

/* libnice derives the long-term key from REALM after stripping quotes and NULs
 * around it, without checking its length: a REALM made only of those makes it
 * read outside the message (found by tests/fuzz/fuzz-stun.c). Such a REALM
 * counts as none. */
gboolean
cc_stun_is_usable_credential (const guint8 *value,
                              gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (value[i] != '"' && value[i] != '\0')
      return TRUE;
  return FALSE;
}

static guint32
crc32 (const guint8 *data,
       gsize         len)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (CRC32_POLYNOMIAL & (0 - (crc & 1)));
    }

  return ~crc;
}

/* libnice checks FINGERPRINT only when its agent demands one in every message,
 * which servers need not send. An answer that carries one must match it, as the
 * last attribute (RFC 8489 §14.7), or it was damaged or is not STUN at all.
 * @data must hold one whole message (cc_stun_is_message). */
static gboolean
fingerprint_matches (StunAgent    *agent,
                     const guint8 *data,
                     gsize         length)
{
  StunMessage msg = { .agent = agent, .buffer = (uint8_t *) data, .buffer_len = length };
  uint16_t len = 0;
  const guint8 *value = stun_message_find (&msg, STUN_ATTRIBUTE_FINGERPRINT, &len);
  gsize covered;
  guint32 fingerprint;

  if (value == NULL)
    return TRUE;

  covered = value - data - STUN_ATTRIBUTE_VALUE_POS;
  if (len != sizeof fingerprint || covered + STUN_ATTRIBUTE_VALUE_POS + sizeof fingerprint != length)
    return FALSE;

  memcpy (&fingerprint, value, sizeof fingerprint);
  return GUINT32_FROM_BE (fingerprint) == (crc32 (data, covered) ^ FINGERPRINT_XOR);
}

static char *
find_realm (StunMessage *msg)
{
  uint16_t len = 0;
  const guint8 *value = stun_message_find (msg, STUN_ATTRIBUTE_REALM, &len);

  if (value == NULL || !cc_stun_is_usable_credential (value, len))
    return NULL;
  return attribute_text (value, len);
}

static char *
find_error_reason (StunMessage *msg)
{
  uint16_t len = 0;
  const guint8 *value = stun_message_find (msg, STUN_ATTRIBUTE_ERROR_CODE, &len);

  if (value == NULL || len <= ERROR_CODE_HEADER_LEN)
    return g_strdup ("");
  return attribute_text (value + ERROR_CODE_HEADER_LEN, len - ERROR_CODE_HEADER_LEN);
}

static void
read_error (CcStunReply *reply)
{
  reply->kind = CC_STUN_REPLY_ERROR;
  if (stun_message_find_error (&reply->msg, &reply->error_code) != STUN_MESSAGE_RETURN_SUCCESS)
    reply->error_code = 0;
  reply->reason = find_error_reason (&reply->msg);
  reply->realm = find_realm (&reply->msg);
  reply->has_nonce = stun_message_has_attribute (&reply->msg, STUN_ATTRIBUTE_NONCE);
}

static void
parse_binding (CcStunReply *reply)
{
  struct sockaddr_storage mapped, alternate;
  socklen_t mapped_len = sizeof mapped, alternate_len = sizeof alternate;

  switch (stun_usage_bind_process (&reply->msg, (struct sockaddr *) &mapped, &mapped_len,
                                   (struct sockaddr *) &alternate, &alternate_len))
    {
    case STUN_USAGE_BIND_RETURN_SUCCESS:
      reply->kind = CC_STUN_REPLY_SUCCESS;
      reply->mapped = sockaddr_to_string (&mapped, mapped_len);
      break;

    case STUN_USAGE_BIND_RETURN_ALTERNATE_SERVER:
      reply->kind = CC_STUN_REPLY_ALTERNATE;
      reply->alternate = sockaddr_to_string (&alternate, alternate_len);
      break;

    case STUN_USAGE_BIND_RETURN_ERROR:
      read_error (reply);
      break;

    case STUN_USAGE_BIND_RETURN_INVALID:
    case STUN_USAGE_BIND_RETURN_TIMEOUT:
    default:
      reply->kind = CC_STUN_REPLY_OTHER;
      break;
    }
}

static void
parse_allocate (CcStunReply *reply)
{
  struct sockaddr_storage relay, mapped, alternate;
  socklen_t relay_len = sizeof relay, mapped_len = sizeof mapped, alternate_len = sizeof alternate;
  uint32_t bandwidth = 0, lifetime = 0;

  switch (stun_usage_turn_process (&reply->msg, &relay, &relay_len, &mapped, &mapped_len,
                                   &alternate, &alternate_len, &bandwidth, &lifetime,
                                   STUN_USAGE_TURN_COMPATIBILITY_RFC5766))
    {
    case STUN_USAGE_TURN_RETURN_MAPPED_SUCCESS:
      reply->mapped = sockaddr_to_string (&mapped, mapped_len);
      G_GNUC_FALLTHROUGH;
    case STUN_USAGE_TURN_RETURN_RELAY_SUCCESS:
      reply->kind = CC_STUN_REPLY_SUCCESS;
      reply->relayed = sockaddr_to_string (&relay, relay_len);
      reply->lifetime = lifetime;
      break;

    case STUN_USAGE_TURN_RETURN_ALTERNATE_SERVER:
      reply->kind = CC_STUN_REPLY_ALTERNATE;
      reply->alternate = sockaddr_to_string (&alternate, alternate_len);
      break;

    case STUN_USAGE_TURN_RETURN_ERROR:
      /* Also a success response without XOR-RELAYED-ADDRESS: then there is
       * no error code. */
      read_error (reply);
      break;

    case STUN_USAGE_TURN_RETURN_INVALID:
    default:
      reply->kind = CC_STUN_REPLY_OTHER;
      break;
    }
}

gboolean
cc_stun_has_cookie (const guint8 *data,
                    gsize         length)
{
  guint32 cookie;

  if (length < STUN_COOKIE_POS + sizeof cookie)
    return FALSE;

  memcpy (&cookie, data + STUN_COOKIE_POS, sizeof cookie);
  return GUINT32_FROM_BE (cookie) == STUN_MAGIC_COOKIE;
}

gboolean
cc_stun_is_message (const guint8 *data,
                    gsize         length)
{
  int valid_len = stun_message_validate_buffer_length (data, length, TRUE);

  return valid_len > 0 && (gsize) valid_len == length && length <= CC_STUN_BUFFER_SIZE &&
         cc_stun_has_cookie (data, length);
}

CcStunReplyKind
cc_stun_parse_reply (StunAgent    *agent,
                     CcStunUsage   usage,
                     const guint8 *data,
                     gsize         length,
                     CcStunReply  *reply)
{
  g_return_val_if_fail (agent != NULL, CC_STUN_REPLY_NOT_STUN);
  g_return_val_if_fail (reply != NULL, CC_STUN_REPLY_NOT_STUN);

  cc_stun_reply_clear (reply);

  if (!cc_stun_is_message (data, length))
    return reply->kind = CC_STUN_REPLY_NOT_STUN;

  /* libnice's message points into the buffer: keep our own copy. */
  memcpy (reply->buffer, data, length);
  reply->length = length;

  /* Before libnice's validation, which consumes the transaction: a damaged
   * answer leaves it to the real one. */
  if (!fingerprint_matches (agent, reply->buffer, length))
    return reply->kind = CC_STUN_REPLY_UNMATCHED;

  if (stun_agent_validate (agent, &reply->msg, reply->buffer, length, NULL, NULL) != STUN_VALIDATION_SUCCESS)
    return reply->kind = CC_STUN_REPLY_UNMATCHED;

  switch (usage)
    {
    case CC_STUN_USAGE_BINDING:
      parse_binding (reply);
      break;

    case CC_STUN_USAGE_ALLOCATE:
      parse_allocate (reply);
      break;

    case CC_STUN_USAGE_BURST:
    default:
      reply->kind = stun_message_get_class (&reply->msg) == STUN_RESPONSE ? CC_STUN_REPLY_SUCCESS
                                                                          : CC_STUN_REPLY_OTHER;
      break;
    }

  return reply->kind;
}

void
cc_stun_reply_clear (CcStunReply *reply)
{
  g_clear_pointer (&reply->reason, g_free);
  g_clear_pointer (&reply->realm, g_free);
  g_clear_pointer (&reply->mapped, g_free);
  g_clear_pointer (&reply->relayed, g_free);
  g_clear_pointer (&reply->alternate, g_free);
  reply->kind = CC_STUN_REPLY_NOT_STUN;
  reply->error_code = 0;
  reply->has_nonce = FALSE;
  reply->lifetime = 0;
  reply->length = 0;
  memset (&reply->msg, 0, sizeof reply->msg);
}
