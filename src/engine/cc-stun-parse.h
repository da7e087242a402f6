/* cc-stun-parse.h: what the STUN check reads from a server's answer, apart from
 * sockets and timers: the framing, libnice's validation against the agent's
 * outstanding transaction (MESSAGE-INTEGRITY included), and the attributes the
 * check reports (XOR-MAPPED-ADDRESS, XOR-RELAYED-ADDRESS, LIFETIME,
 * ALTERNATE-SERVER, ERROR-CODE, REALM, NONCE). Internal to the engine: used by
 * the STUN checks (cc-stun-check.c and its usages, cc-stun-channel.c) and by
 * the fuzzer (tests/fuzz/fuzz-stun.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stun/stunagent.h>

G_BEGIN_DECLS

/* Enough for any STUN message we accept (RFC 8489 §6.1: fits the path MTU). */
#define CC_STUN_BUFFER_SIZE 1500

typedef enum
{
  CC_STUN_USAGE_BINDING,     /* an answer to a Binding request */
  CC_STUN_USAGE_ALLOCATE,    /* an answer to a TURN Allocate request */
  CC_STUN_USAGE_BURST,       /* a burst: only whether it is a success response */
} CcStunUsage;

typedef enum
{
  CC_STUN_REPLY_NOT_STUN,    /* not one whole RFC 5389+ STUN message */
  CC_STUN_REPLY_UNMATCHED,   /* STUN that libnice rejects: not our transaction,
                              * wrong integrity, unknown mandatory attribute;
                              * or a FINGERPRINT that does not match */
  CC_STUN_REPLY_OTHER,       /* valid, but not an answer the usage can use */
  CC_STUN_REPLY_SUCCESS,     /* binding: mapped; allocate: relayed (and mapped) */
  CC_STUN_REPLY_ALTERNATE,   /* a 3xx with ALTERNATE-SERVER: alternate */
  CC_STUN_REPLY_ERROR,       /* error_code (0: none), reason, realm, has_nonce */
} CcStunReplyKind;

typedef struct
{
  CcStunReplyKind  kind;
  int              error_code;  /* ERROR-CODE, 0 when the answer has none */
  char            *reason;      /* its reason phrase, printable ("" when none) */
  char            *realm;       /* REALM, printable, or NULL (also when it is
                                 * not usable: see cc_stun_is_usable_credential) */
  gboolean         has_nonce;
  char            *mapped;      /* "ip:port" or "[ip]:port", or NULL */
  char            *relayed;     /* allocate: the relayed address, or NULL */
  char            *alternate;   /* ALTERNATE-SERVER, or NULL */
  guint32          lifetime;    /* allocate: LIFETIME in seconds, 0 when absent */
  /* From UNMATCHED on, the message, pointing into buffer (a copy of the
   * answer, so the caller may reuse its own). */
  StunMessage      msg;
  gsize            length;
  guint8           buffer[CC_STUN_BUFFER_SIZE];
} CcStunReply;

/* TRUE when @data holds at least the header of an RFC 5389+ message and it
 * carries the magic cookie (RFC 8489 §5). */
gboolean         cc_stun_has_cookie  (const guint8 *data,
                                      gsize         length);
/* TRUE when @data is exactly one whole STUN message we can take. */
gboolean         cc_stun_is_message  (const guint8 *data,
                                      gsize         length);
/* Validates @data against @agent's outstanding request (which it consumes on
 * success, as libnice does) and reads what @usage needs into @reply, which must
 * be zero-initialised or cleared. Returns reply->kind. */
CcStunReplyKind  cc_stun_parse_reply (StunAgent    *agent,
                                      CcStunUsage   usage,
                                      const guint8 *data,
                                      gsize         length,
                                      CcStunReply  *reply);
void             cc_stun_reply_clear (CcStunReply  *reply);
/* FALSE for a REALM, username or password libnice cannot take: empty, or only
 * '"' and NUL bytes (its key derivation strips those without a length check
 * and reads outside the value). */
gboolean         cc_stun_is_usable_credential (const guint8 *value,
                                               gsize         len);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CcStunReply, cc_stun_reply_clear)

G_END_DECLS
