/* fuzz-dns.c: libFuzzer target for what the run's resolver reads from the
 * network (cc-dns-parse.c): a DNS answer to an A or AAAA query — header,
 * question, compressed names, records, CNAME chains — and, for the lab's
 * server, a query.
 *
 * Input: one byte of options (bit 0: the query was for AAAA instead of A;
 * bit 1: take the expected id from the answer itself, so that most inputs get
 * past the id check), then the datagram. The question expected is
 * "www.example.test". Seeds: tests/fuzz/corpus/dns/ (answers as dnsmasq sends
 * them — A, AAAA, a CNAME chain, NXDOMAIN, REFUSED, TC — and near misses).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-dns-parse.h"
#include "fuzz-common.h"

#define FLAG_AAAA 0x1
#define FLAG_ID_FROM_ANSWER 0x2

static const char name[] = "www.example.test";

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  CcDnsAnswer answer;
  guint16 qtype, id = 0x1234, query_id, query_type;
  char query_name[256];

  if (size < 1)
    return 0;

  qtype = (data[0] & FLAG_AAAA) ? CC_DNS_TYPE_AAAA : CC_DNS_TYPE_A;
  if ((data[0] & FLAG_ID_FROM_ANSWER) && size >= 3)
    id = (guint16) ((data[1] << 8) | data[2]);
  data++;
  size--;

  if (cc_dns_parse_answer (data, size, id, name, qtype, &answer) == CC_DNS_ANSWER_OK)
    {
      g_assert_cmpuint (answer.n_addresses, <=, CC_DNS_MAX_ADDRESSES);
      g_assert_cmpuint (answer.rcode, <=, 15);
      /* Addresses only in a complete NOERROR answer. */
      if (answer.rcode != CC_DNS_RCODE_NOERROR || answer.truncated)
        g_assert_cmpuint (answer.n_addresses, ==, 0);
    }

  if (cc_dns_parse_query (data, size, &query_id, query_name, &query_type))
    g_assert_cmpuint (strlen (query_name), <=, 255);

  return 0;
}
