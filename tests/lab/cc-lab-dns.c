/* cc-lab-dns.c: the tests' DNS server (cc-lab-dns.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-lab-dns.h"

#define TYPE_A 1
#define TYPE_CNAME 5
#define TYPE_AAAA 28

typedef struct
{
  char              *ipv4;
  char              *ipv6;
  CcLabDnsBehaviour  behaviour;
  guint              queries_a;
  guint              queries_aaaa;
} Name;

struct _CcLabDns
{
  GSocket    *socket;
  GSource    *source;
  guint16     port;
  char       *nameserver;
  GHashTable *names;      /* lower-case name → Name */
  GPtrArray  *late;       /* GSource: answers held back (CC_LAB_DNS_SLOW) */
};

typedef struct
{
  CcLabDns       *dns;
  GSocketAddress *to;
  GByteArray     *answer;
} Late;

static void
late_free (gpointer data)
{
  Late *late = data;

  g_object_unref (late->to);
  g_byte_array_unref (late->answer);
  g_free (late);
}

static void
name_free (gpointer data)
{
  Name *name = data;

  g_free (name->ipv4);
  g_free (name->ipv6);
  g_free (name);
}

static void
put16 (GByteArray *out,
       guint16     value)
{
  guint8 bytes[2] = { value >> 8, value & 0xff };

  g_byte_array_append (out, bytes, 2);
}

static void
put_name (GByteArray *out,
          const char *name)
{
  g_auto(GStrv) labels = g_strsplit (name, ".", -1);

  for (guint i = 0; labels[i] != NULL; i++)
    {
      guint8 n = strlen (labels[i]);

      if (n == 0)
        continue;
      g_byte_array_append (out, &n, 1);
      g_byte_array_append (out, (const guint8 *) labels[i], n);
    }
  g_byte_array_append (out, (const guint8 *) "", 1);
}

static void
put_record (GByteArray   *out,
            const char   *owner,
            guint16       type,
            const guint8 *rdata,
            guint16       rdlength)
{
  guint8 ttl[4] = { 0, 0, 0, 60 };

  put_name (out, owner);
  put16 (out, type);
  put16 (out, 1);
  g_byte_array_append (out, ttl, 4);
  put16 (out, rdlength);
  g_byte_array_append (out, rdata, rdlength);
}

/* An answer to (@id, @qname, @qtype) with @rcode; @name's addresses if it is
 * NULL-free and NOERROR. */
static GByteArray *
build_answer (guint16     id,
              const char *qname,
              guint16     qtype,
              guint       rcode,
              gboolean    truncated,
              Name       *name)
{
  GByteArray *out = g_byte_array_new ();
  const char *owner = qname;
  g_autofree char *cname = NULL;
  guint16 ancount = 0;
  const char *text = NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (rcode == 0 && !truncated && name != NULL)
    {
      text = qtype == TYPE_A ? name->ipv4 : qtype == TYPE_AAAA ? name->ipv6 : NULL;
      if (text != NULL)
        address = g_inet_address_new_from_string (text);
      if (name->behaviour == CC_LAB_DNS_CNAME)
        {
          cname = g_strconcat ("cname.", qname, NULL);
          ancount++;
        }
      if (address != NULL)
        ancount++;
    }

  put16 (out, id);
  put16 (out, 0x8180 | (truncated ? 0x0200 : 0) | rcode);  /* QR RD RA */
  put16 (out, 1);
  put16 (out, ancount);
  put16 (out, 0);
  put16 (out, 0);
  put_name (out, qname);
  put16 (out, qtype);
  put16 (out, 1);

  if (cname != NULL)
    {
      g_autoptr(GByteArray) target = g_byte_array_new ();

      put_name (target, cname);
      put_record (out, qname, TYPE_CNAME, target->data, target->len);
      owner = cname;
    }
  if (address != NULL)
    put_record (out, owner, qtype, g_inet_address_to_bytes (address),
                g_inet_address_get_native_size (address));

  return out;
}

/* Queries as resolvers send them: one question, no compression. */
static gboolean
parse_query (const guint8 *data,
             gsize         len,
             guint16      *id,
             GString      *qname,
             guint16      *qtype)
{
  gsize pos = 12;

  if (len < 17 || (data[2] & 0x80) || data[4] != 0 || data[5] != 1)
    return FALSE;
  while (pos < len && data[pos] != 0)
    {
      guint n = data[pos];

      if (n > 63 || pos + 1 + n >= len)
        return FALSE;
      if (qname->len > 0)
        g_string_append_c (qname, '.');
      for (guint i = 0; i < n; i++)
        g_string_append_c (qname, g_ascii_tolower (data[pos + 1 + i]));
      pos += 1 + n;
    }
  if (pos + 5 > len)
    return FALSE;
  *id = (data[0] << 8) | data[1];
  *qtype = (data[pos + 1] << 8) | data[pos + 2];
  return TRUE;
}

static void
send_bytes (CcLabDns       *dns,
            GSocketAddress *to,
            GByteArray     *bytes)
{
  g_socket_send_to (dns->socket, to, (const char *) bytes->data, bytes->len, NULL, NULL);
}

static gboolean
late_cb (gpointer user_data)
{
  Late *late = user_data;

  send_bytes (late->dns, late->to, late->answer);
  return G_SOURCE_REMOVE;
}

static gboolean
readable_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  CcLabDns *dns = user_data;
  guint8 buffer[1500];
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GString) qname = g_string_new (NULL);
  g_autoptr(GByteArray) answer = NULL;
  guint16 id, qtype;
  gssize n;
  Name *name;
  guint count;
  guint rcode = 0;
  gboolean truncated = FALSE;
  gboolean slow = FALSE;

  n = g_socket_receive_from (socket, &from, (char *) buffer, sizeof buffer, NULL, NULL);
  if (n <= 0 || !parse_query (buffer, n, &id, qname, &qtype))
    return G_SOURCE_CONTINUE;

  name = g_hash_table_lookup (dns->names, qname->str);
  if (name == NULL)
    {
      answer = build_answer (id, qname->str, qtype, 3, FALSE, NULL);
      send_bytes (dns, from, answer);
      return G_SOURCE_CONTINUE;
    }

  count = qtype == TYPE_AAAA ? ++name->queries_aaaa : ++name->queries_a;
  switch (name->behaviour)
    {
    case CC_LAB_DNS_DROP_FIRST:
      if (count == 1)
        return G_SOURCE_CONTINUE;
      break;
    case CC_LAB_DNS_DROP_AAAA:
      if (qtype == TYPE_AAAA)
        return G_SOURCE_CONTINUE;
      break;
    case CC_LAB_DNS_SILENT:
      return G_SOURCE_CONTINUE;
    case CC_LAB_DNS_NXDOMAIN:
      rcode = 3;
      break;
    case CC_LAB_DNS_REFUSED:
      rcode = 5;
      break;
    case CC_LAB_DNS_SERVFAIL:
      rcode = 2;
      break;
    case CC_LAB_DNS_TRUNCATED:
      truncated = TRUE;
      break;
    case CC_LAB_DNS_GARBAGE:
      {
        g_autoptr(GByteArray) other = NULL;
        guint8 junk[64];

        for (guint i = 0; i < sizeof junk; i++)
          junk[i] = g_random_int_range (0, 256);
        g_socket_send_to (dns->socket, from, (const char *) junk, sizeof junk, NULL, NULL);
        /* A short one, a header alone. */
        g_socket_send_to (dns->socket, from, (const char *) junk, 5, NULL, NULL);
        /* Someone else's transaction, and an answer to another question,
         * both with an address the test must never see. */
        other = build_answer (id ^ 0x5a5a, qname->str, qtype, 0, FALSE, &(Name) { "192.0.2.66", "2001:db8::66", 0, 0, 0 });
        send_bytes (dns, from, other);
        g_byte_array_unref (other);
        other = build_answer (id, "other.lab.test", qtype, 0, FALSE, &(Name) { "192.0.2.66", "2001:db8::66", 0, 0, 0 });
        send_bytes (dns, from, other);
        /* An answer whose record claims more data than there is. */
        g_byte_array_unref (other);
        other = build_answer (id, qname->str, qtype, 0, FALSE, name);
        if ((qtype == TYPE_A && name->ipv4 != NULL) || (qtype == TYPE_AAAA && name->ipv6 != NULL))
          {
            gsize size = qtype == TYPE_AAAA ? 16 : 4;

            other->data[other->len - size - 2] = 0xff;
            send_bytes (dns, from, other);
          }
      }
      break;
    case CC_LAB_DNS_SLOW:
      slow = TRUE;
      break;
    default:
      break;
    }

  answer = build_answer (id, qname->str, qtype, rcode, truncated, name);
  if (slow)
    {
      Late *late = g_new0 (Late, 1);
      GSource *source = g_timeout_source_new (CC_LAB_DNS_SLOW_MS);

      late->dns = dns;
      late->to = g_steal_pointer (&from);
      late->answer = g_steal_pointer (&answer);
      g_source_set_callback (source, late_cb, late, late_free);
      g_source_attach (source, g_main_context_get_thread_default ());
      g_ptr_array_add (dns->late, source);
      return G_SOURCE_CONTINUE;
    }
  send_bytes (dns, from, answer);
  return G_SOURCE_CONTINUE;
}

CcLabDns *
cc_lab_dns_new (GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  CcLabDns *dns = g_new0 (CcLabDns, 1);

  dns->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, name_free);
  dns->late = g_ptr_array_new ();
  dns->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                              G_SOCKET_PROTOCOL_UDP, error);
  if (dns->socket == NULL || !g_socket_bind (dns->socket, any_port, FALSE, error))
    {
      cc_lab_dns_free (dns);
      return NULL;
    }
  g_socket_set_blocking (dns->socket, FALSE);
  local = g_socket_get_local_address (dns->socket, error);
  if (local == NULL)
    {
      cc_lab_dns_free (dns);
      return NULL;
    }
  dns->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  dns->nameserver = g_strdup_printf ("127.0.0.1:%u", dns->port);

  dns->source = g_socket_create_source (dns->socket, G_IO_IN, NULL);
  g_source_set_callback (dns->source, G_SOURCE_FUNC (readable_cb), dns, NULL);
  g_source_attach (dns->source, g_main_context_get_thread_default ());

  return dns;
}

void
cc_lab_dns_free (CcLabDns *dns)
{
  if (dns == NULL)
    return;

  if (dns->source != NULL)
    {
      g_source_destroy (dns->source);
      g_source_unref (dns->source);
    }
  for (guint i = 0; i < dns->late->len; i++)
    {
      g_source_destroy (dns->late->pdata[i]);
      g_source_unref (dns->late->pdata[i]);
    }
  g_ptr_array_unref (dns->late);
  if (dns->socket != NULL)
    g_socket_close (dns->socket, NULL);
  g_clear_object (&dns->socket);
  g_hash_table_unref (dns->names);
  g_free (dns->nameserver);
  g_free (dns);
}

guint16
cc_lab_dns_get_port (CcLabDns *dns)
{
  return dns->port;
}

const char *
cc_lab_dns_get_nameserver (CcLabDns *dns)
{
  return dns->nameserver;
}

void
cc_lab_dns_add (CcLabDns          *dns,
                const char        *name,
                const char        *ipv4,
                const char        *ipv6,
                CcLabDnsBehaviour  behaviour)
{
  Name *entry = g_new0 (Name, 1);

  entry->ipv4 = g_strdup (ipv4);
  entry->ipv6 = g_strdup (ipv6);
  entry->behaviour = behaviour;
  g_hash_table_replace (dns->names, g_ascii_strdown (name, -1), entry);
  if (behaviour == CC_LAB_DNS_CNAME)
    {
      g_autofree char *cname = g_strconcat ("cname.", name, NULL);

      /* Asked directly, the target answers too. */
      cc_lab_dns_add (dns, cname, ipv4, ipv6, CC_LAB_DNS_ANSWER);
    }
}

guint
cc_lab_dns_get_queries (CcLabDns   *dns,
                        const char *name,
                        guint16     qtype)
{
  g_autofree char *key = g_ascii_strdown (name, -1);
  Name *entry = g_hash_table_lookup (dns->names, key);

  if (entry == NULL)
    return 0;
  return qtype == TYPE_AAAA ? entry->queries_aaaa : entry->queries_a;
}
