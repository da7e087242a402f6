/* cc-dns-parse.c: builds A/AAAA queries and reads the answers (RFC 1035 §4.1,
 * name compression §4.1.4, AAAA RFC 3596). Whatever arrives on the resolver's
 * socket comes here first, so every read checks the bounds, compression
 * pointers may only point backwards and are followed a bounded number of times,
 * and a CNAME chain is followed at most CC_DNS_MAX_CNAMES steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-dns-parse.h"

#define HEADER_SIZE 12
#define NAME_MAX_TEXT 255
/* More jumps than a name has labels is a loop. */
#define MAX_POINTER_JUMPS 64

#define FLAG_QR 0x8000
#define FLAG_TC 0x0200
#define FLAG_RD 0x0100
#define OPCODE_MASK 0x7800

static guint16
get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static void
put16 (guint8  *p,
       guint16  value)
{
  p[0] = value >> 8;
  p[1] = value & 0xff;
}

gsize
cc_dns_build_query (guint8     *buffer,
                    guint16     id,
                    const char *name,
                    guint16     qtype)
{
  gsize pos = HEADER_SIZE;
  gsize name_len;
  const char *label = name;

  g_return_val_if_fail (buffer != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  name_len = strlen (name);
  if (name_len > 0 && name[name_len - 1] == '.')
    name_len--;
  if (name_len == 0 || name_len > 253)
    return 0;

  memset (buffer, 0, HEADER_SIZE);
  put16 (buffer, id);
  put16 (buffer + 2, FLAG_RD);
  put16 (buffer + 4, 1);

  while (label < name + name_len)
    {
      const char *dot = memchr (label, '.', name + name_len - label);
      gsize n = (dot ? dot : name + name_len) - label;

      if (n == 0 || n > 63)
        return 0;
      buffer[pos++] = (guint8) n;
      memcpy (buffer + pos, label, n);
      pos += n;
      label += n + (dot ? 1 : 0);
      if (dot != NULL && label == name + name_len)
        return 0;  /* "a..": an empty label at the end */
    }
  buffer[pos++] = 0;
  put16 (buffer + pos, qtype);
  put16 (buffer + pos + 2, CC_DNS_CLASS_IN);
  pos += 4;

  g_assert (pos <= CC_DNS_QUERY_MAX);
  return pos;
}

/* Reads the (possibly compressed) name at *@offset into @out (lower case,
 * dotted, no trailing dot, at least NAME_MAX_TEXT + 1 bytes) and moves *@offset
 * past it. FALSE on anything malformed. */
static gboolean
read_name (const guint8 *data,
           gsize         len,
           gsize        *offset,
           char         *out)
{
  gsize pos = *offset;
  gsize out_len = 0;
  gsize end = 0;
  gboolean jumped = FALSE;
  guint jumps = 0;

  for (;;)
    {
      guint8 n;

      if (pos >= len)
        return FALSE;
      n = data[pos];

      if ((n & 0xc0) == 0xc0)
        {
          gsize target;

          if (pos + 1 >= len || ++jumps > MAX_POINTER_JUMPS)
            return FALSE;
          target = ((n & 0x3f) << 8) | data[pos + 1];
          /* Only backwards, so that no chain of pointers can loop. */
          if (target >= pos)
            return FALSE;
          if (!jumped)
            end = pos + 2;
          jumped = TRUE;
          pos = target;
          continue;
        }
      if ((n & 0xc0) != 0)
        return FALSE;  /* the reserved label types */

      if (n == 0)
        {
          if (!jumped)
            end = pos + 1;
          break;
        }

      if (pos + 1 + n > len || out_len + n + 1 > NAME_MAX_TEXT)
        return FALSE;
      if (out_len > 0)
        out[out_len++] = '.';
      for (guint i = 0; i < n; i++)
        {
          char c = (char) data[pos + 1 + i];

          /* A dot or NUL inside a label could make two names compare equal. */
          if (c == '.' || c == '\0')
            return FALSE;
          out[out_len++] = g_ascii_tolower (c);
        }
      pos += 1 + n;
    }

  out[out_len] = '\0';
  *offset = end;
  return TRUE;
}

static void
normalize_name (const char *name,
                char       *out)
{
  gsize n = strlen (name);

  if (n > 0 && name[n - 1] == '.')
    n--;
  n = MIN (n, NAME_MAX_TEXT);
  for (gsize i = 0; i < n; i++)
    out[i] = g_ascii_tolower (name[i]);
  out[n] = '\0';
}

typedef struct
{
  char    owner[NAME_MAX_TEXT + 1];
  guint16 type;
  gsize   rdata;
  guint16 rdlength;
} Record;

CcDnsAnswerKind
cc_dns_parse_answer (const guint8 *data,
                     gsize         len,
                     guint16       id,
                     const char   *name,
                     guint16       qtype,
                     CcDnsAnswer  *answer)
{
  char qname[NAME_MAX_TEXT + 1];
  char wanted[NAME_MAX_TEXT + 1];
  char current[NAME_MAX_TEXT + 1];
  g_autofree Record *records = NULL;
  guint16 flags, qdcount, ancount;
  guint n_records = 0;
  gsize pos = HEADER_SIZE;

  g_return_val_if_fail (answer != NULL, CC_DNS_ANSWER_IGNORE);
  g_return_val_if_fail (name != NULL, CC_DNS_ANSWER_IGNORE);

  memset (answer, 0, sizeof *answer);
  if (data == NULL || len < HEADER_SIZE || len > CC_DNS_ANSWER_MAX)
    return CC_DNS_ANSWER_IGNORE;

  flags = get16 (data + 2);
  qdcount = get16 (data + 4);
  ancount = get16 (data + 6);
  if (get16 (data) != id || !(flags & FLAG_QR) || (flags & OPCODE_MASK) != 0 || qdcount != 1)
    return CC_DNS_ANSWER_IGNORE;

  /* The question must be ours (RFC 5452 §9.1: id, name, type and class). */
  normalize_name (name, wanted);
  if (!read_name (data, len, &pos, qname) || pos + 4 > len ||
      strcmp (qname, wanted) != 0 || get16 (data + pos) != qtype ||
      get16 (data + pos + 2) != CC_DNS_CLASS_IN)
    return CC_DNS_ANSWER_IGNORE;
  pos += 4;

  answer->rcode = flags & 0x000f;
  answer->truncated = (flags & FLAG_TC) != 0;
  if (answer->rcode != CC_DNS_RCODE_NOERROR || answer->truncated)
    return CC_DNS_ANSWER_OK;

  /* Each record takes at least 11 bytes: a count beyond what fits is a lie. */
  if (ancount > (len - pos) / 11)
    return CC_DNS_ANSWER_IGNORE;
  records = g_new0 (Record, MAX (ancount, 1));
  for (guint i = 0; i < ancount; i++)
    {
      Record *record = &records[n_records];
      guint16 rdlength;

      if (!read_name (data, len, &pos, record->owner) || pos + 10 > len)
        return CC_DNS_ANSWER_IGNORE;
      record->type = get16 (data + pos);
      rdlength = get16 (data + pos + 8);
      pos += 10;
      if (pos + rdlength > len)
        return CC_DNS_ANSWER_IGNORE;
      record->rdata = pos;
      record->rdlength = rdlength;
      pos += rdlength;
      if (get16 (data + record->rdata - 8) == CC_DNS_CLASS_IN)
        n_records++;
    }

  /* Follow the chain from the question's name. */
  strcpy (current, wanted);
  for (guint step = 0; ; step++)
    {
      gboolean followed = FALSE;

      for (guint i = 0; i < n_records && !followed; i++)
        {
          gsize rdata = records[i].rdata;

          if (records[i].type != CC_DNS_TYPE_CNAME || strcmp (records[i].owner, current) != 0)
            continue;
          if (step >= CC_DNS_MAX_CNAMES)
            return CC_DNS_ANSWER_IGNORE;
          /* The target must lie inside the record's own data. */
          if (!read_name (data, records[i].rdata + records[i].rdlength, &rdata, current) ||
              rdata != records[i].rdata + records[i].rdlength)
            return CC_DNS_ANSWER_IGNORE;
          followed = TRUE;
        }
      if (!followed)
        break;
    }

  for (guint i = 0; i < n_records && answer->n_addresses < CC_DNS_MAX_ADDRESSES; i++)
    {
      gsize size = qtype == CC_DNS_TYPE_AAAA ? 16 : 4;

      if (records[i].type != qtype || strcmp (records[i].owner, current) != 0)
        continue;
      if (records[i].rdlength != size)
        return CC_DNS_ANSWER_IGNORE;
      memcpy (answer->addresses[answer->n_addresses++], data + records[i].rdata, size);
    }

  return CC_DNS_ANSWER_OK;
}

gboolean
cc_dns_parse_query (const guint8 *data,
                    gsize         len,
                    guint16      *id,
                    char         *name,
                    guint16      *qtype)
{
  gsize pos = HEADER_SIZE;

  if (data == NULL || len < HEADER_SIZE || len > CC_DNS_ANSWER_MAX)
    return FALSE;
  if ((get16 (data + 2) & FLAG_QR) || get16 (data + 4) != 1)
    return FALSE;
  if (!read_name (data, len, &pos, name) || pos + 4 > len)
    return FALSE;

  *id = get16 (data);
  *qtype = get16 (data + pos);
  return TRUE;
}
