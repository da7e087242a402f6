/* cc-dns-parse.h: the DNS wire format the run's resolver (cc-resolver.c) needs,
 * apart from sockets and timers: a recursive A or AAAA query (RFC 1035 §4.1), and
 * what an answer to it says — its response code, whether it was truncated, and
 * the addresses at the end of its CNAME chain. Internal to the engine: used by
 * cc-resolver.c, the lab's DNS server (tests/lab) and the fuzzer
 * (tests/fuzz/fuzz-dns.c). Every read is bounded by the datagram's length.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CC_DNS_TYPE_A     1
#define CC_DNS_TYPE_CNAME 5
#define CC_DNS_TYPE_AAAA  28
#define CC_DNS_CLASS_IN   1

#define CC_DNS_RCODE_NOERROR  0
#define CC_DNS_RCODE_SERVFAIL 2
#define CC_DNS_RCODE_NXDOMAIN 3
#define CC_DNS_RCODE_REFUSED  5

/* A query for one name is at most 12 + 255 + 4 bytes (RFC 1035 §2.3.4). */
#define CC_DNS_QUERY_MAX 272
/* Answers over UDP are 512 bytes without EDNS (RFC 1035 §4.2.1); we read up to
 * this much and treat anything longer as garbage. */
#define CC_DNS_ANSWER_MAX 4096
/* Longer CNAME chains are garbage or a loop (resolvers stop at 8–16). */
#define CC_DNS_MAX_CNAMES 8
/* Answers with more address records than this are cut to it. */
#define CC_DNS_MAX_ADDRESSES 32

typedef enum
{
  CC_DNS_ANSWER_IGNORE,      /* not an answer to this query: garbage, another id,
                              * another question, malformed */
  CC_DNS_ANSWER_OK,          /* rcode, truncated, addresses are set */
} CcDnsAnswerKind;

typedef struct
{
  guint    rcode;
  gboolean truncated;
  guint    n_addresses;
  /* 4 bytes each for A, 16 for AAAA */
  guint8   addresses[CC_DNS_MAX_ADDRESSES][16];
} CcDnsAnswer;

/* Writes the query into @buffer (at least CC_DNS_QUERY_MAX bytes); returns its
 * length, or 0 when @name is not a valid DNS name (empty label, label over 63
 * bytes, over 253 characters). A trailing dot is allowed. */
gsize            cc_dns_build_query   (guint8       *buffer,
                                       guint16       id,
                                       const char   *name,
                                       guint16       qtype);

/* Reads @data as the answer to the query (@id, @name, @qtype); never reads
 * outside @data. */
CcDnsAnswerKind  cc_dns_parse_answer  (const guint8 *data,
                                       gsize         len,
                                       guint16       id,
                                       const char   *name,
                                       guint16       qtype,
                                       CcDnsAnswer  *answer);

/* For servers (the lab's): reads a query's id, name (lower case, no trailing
 * dot, into @name of at least 256 bytes) and type; FALSE when it is not one. */
gboolean         cc_dns_parse_query   (const guint8 *data,
                                       gsize         len,
                                       guint16      *id,
                                       char         *name,
                                       guint16      *qtype);

G_END_DECLS
