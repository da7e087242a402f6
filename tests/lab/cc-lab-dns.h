/* cc-lab-dns.h: a small DNS server for the tests, on a free UDP port of
 * 127.0.0.1, served from the thread-default main context. It answers A and AAAA
 * queries for the names it is given, and can misbehave per name the ways
 * networks do: answer late, drop the first query, drop every AAAA query, say NXDOMAIN,
 * REFUSED or SERVFAIL, never answer, set the TC bit, answer through a CNAME,
 * or send garbage before the real answer. Names it was not given are NXDOMAIN.
 * It parses queries itself (not with the engine's cc-dns-parse.c, which it
 * tests).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CC_LAB_DNS_ANSWER,         /* the addresses */
  CC_LAB_DNS_DROP_FIRST,     /* ignores the first query of each type, answers the rest */
  CC_LAB_DNS_DROP_AAAA,      /* answers A, never AAAA */
  CC_LAB_DNS_NXDOMAIN,
  CC_LAB_DNS_REFUSED,
  CC_LAB_DNS_SERVFAIL,
  CC_LAB_DNS_SILENT,         /* never answers */
  CC_LAB_DNS_TRUNCATED,      /* an empty answer with TC set */
  CC_LAB_DNS_CNAME,          /* NAME CNAME cname.NAME, then the addresses for that */
  CC_LAB_DNS_GARBAGE,        /* garbage, another id, another question, then the answer */
  CC_LAB_DNS_SLOW,           /* answers CC_LAB_DNS_SLOW_MS after each query (a far resolver) */
} CcLabDnsBehaviour;

#define CC_LAB_DNS_SLOW_MS 300

typedef struct _CcLabDns CcLabDns;

CcLabDns    *cc_lab_dns_new             (GError            **error);
void         cc_lab_dns_free            (CcLabDns           *dns);
guint16      cc_lab_dns_get_port        (CcLabDns           *dns);
/* "127.0.0.1:PORT", for cc_resolver_new_for_nameservers(). */
const char  *cc_lab_dns_get_nameserver  (CcLabDns           *dns);

/* @ipv4, @ipv6: the addresses (NULL: none of that family, NOERROR without data). */
void         cc_lab_dns_add             (CcLabDns           *dns,
                                         const char         *name,
                                         const char         *ipv4,
                                         const char         *ipv6,
                                         CcLabDnsBehaviour   behaviour);
/* Queries received for @name of @qtype (1 A, 28 AAAA), answered or not. */
guint        cc_lab_dns_get_queries     (CcLabDns           *dns,
                                         const char         *name,
                                         guint16             qtype);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcLabDns, cc_lab_dns_free)

G_END_DECLS
