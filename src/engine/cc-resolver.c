/* cc-resolver.c: the run's name resolver: its own DNS stub over UDP with a fast
 * retransmission, and one answer per name per run (README "Name lookups").
 *
 * Each name has an Entry for the run. An entry has a family slot for A and one for
 * AAAA; a slot is asked only while a lookup waits for it (a Waiter), is settled
 * once (addresses, or an error), and then answers every later lookup of the run
 * the same way. Lookups of both families settle when both slots have, or 50 ms
 * after the first one brought addresses (RFC 8305 §3), and their combined answer
 * is kept too, so that every check of a name sees one answer. Names the stub does
 * not ask about go once per run to the fallback (system) resolver instead, with
 * the same sharing.
 *
 * All of it runs on one main context, the one the first lookup or run came from;
 * a lookup from any other thread goes to the fallback resolver unshared.
 *
 * Why one file of over 800 lines: one DNS stub's state machine (queries,
 * retransmissions, family slots, waiters, the per-run scope and the fallback
 * resolver) shares one set of structures; the wire format is apart, in
 * cc-dns-parse.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-dns-parse.h"
#include "cc-resolver.h"
#include "cc-util.h"

/* A query that got no answer is sent again after twice the slowest answer the
 * run has had to a first try, but no sooner than RETRANSMIT_MIN_MS and no later
 * than RETRANSMIT_MAX_MS. glibc waits 5 s (resolv.conf's default "timeout:5",
 * PITFALLS.md), which a network losing a few percent of its packets turns into
 * five-second lookups; browsers' own resolvers retry after about a second
 * (Chromium's DnsConfig fallback_period, 1 s), and RFC 1536 §1 advises waiting
 * a round trip's worth and backing off from there on repeated silence. Half a
 * second at first: a run asks some thirty questions at once, and with a second
 * between tries a three-second limit leaves three tries, which 5 % loss each way
 * defeats in about one run of thirty; with half a second, five. Once answers
 * show the resolver is far away (a satellite link's 600 ms), the wait follows. */
#define CC_RESOLVER_RETRANSMIT_MIN_MS 500
#define CC_RESOLVER_RETRANSMIT_MAX_MS 1000
/* Silence this long after the first try doubles the interval: a nameserver that
 * never answers is not asked every second for the whole run. */
#define CC_RESOLVER_BACKOFF_AFTER 4
/* A bound for lookups nobody cancels (the checks always do, at their deadline). */
#define CC_RESOLVER_MAX_ATTEMPTS 12
/* When one family has answered with addresses, the other gets this long before
 * the lookup returns without it: RFC 8305 §3's "Resolution Delay". */
#define CC_RESOLVER_RESOLUTION_DELAY_MS 50
/* glibc's MAXNS: later nameserver lines are ignored. */
#define CC_RESOLVER_MAX_NAMESERVERS 3
/* Datagrams read per wakeup of a socket: garbage cannot keep us in the loop. */
#define CC_RESOLVER_MAX_READS 16
/* Configuration files longer than this are not read (they are a few lines). */
#define CC_RESOLVER_MAX_FILE (1024 * 1024)

enum { FAMILY_A, FAMILY_AAAA, N_FAMILIES };

typedef struct _Entry Entry;

typedef struct
{
  Entry     *entry;
  guint      family;
  guint16    id;
  guint      attempts;
  gint64     first_sent_us;
  guint      first_server;
  GSocket   *sockets[2];      /* IPv4, IPv6 */
  GSource   *sources[2];
  GSource   *timer;
  guint8     packet[CC_DNS_QUERY_MAX];
  gsize      packet_len;
} Query;

typedef struct
{
  gboolean   settled;
  gboolean   nxdomain;        /* the name does not exist, for any type */
  GList     *addresses;       /* GInetAddress */
  GError    *error;
  Query     *query;
} Slot;

typedef struct
{
  Entry                    *entry;
  GTask                    *task;
  GResolverNameLookupFlags  flags;
  GSource                  *cancel_source;
} Waiter;

struct _Entry
{
  gatomicrefcount  ref_count;
  CcResolver      *resolver;    /* NULL once the run's scope dropped the entry */
  char            *name;
  GPtrArray       *nameservers; /* GInetSocketAddress */
  GResolver       *fallback;
  GMainContext    *context;
  gboolean         use_fallback;
  gboolean         query_aaaa;
  gboolean         rotate;

  Slot             slots[N_FAMILIES];
  GList           *waiters;
  gboolean         progressing;
  gboolean         again;
  gboolean         combined_set;
  GList           *combined;
  GError          *combined_error;
  GSource         *delay;
  gboolean         fallback_started;
};

struct _CcResolver
{
  GResolver     parent_instance;

  char         *resolv_conf;
  char         *hosts;
  GPtrArray    *fixed_nameservers;  /* for tests; NULL: from resolv_conf */
  GResolver    *fixed_fallback;

  /* The scope: loaded by the first run (or lookup), dropped by the last run. */
  gboolean      loaded;
  GPtrArray    *nameservers;
  GHashTable   *hosts_names;
  gboolean      has_search;
  guint         ndots;
  gboolean      rotate;
  gboolean      use_fallback;
  gboolean      has_ipv6_route;
  GResolver    *fallback;
  GResolver    *previous_default;
  GMainContext *context;
  GHashTable   *entries;            /* lower-case name → Entry */
  guint         runs;

  gboolean      always_query_aaaa;
  guint         queries_sent;
  gint64        slowest_answer_us;  /* to a first try, this run */
};

G_DEFINE_FINAL_TYPE (CcResolver, cc_resolver, G_TYPE_RESOLVER)

static void entry_progress (Entry *entry);

/* ---- configuration ---- */

static char *
read_small_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL) || len > CC_RESOLVER_MAX_FILE)
    return NULL;
  return g_steal_pointer (&contents);
}

static GInetSocketAddress *
parse_nameserver (const char *text,
                  guint16     default_port)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port = default_port;

  if (address != NULL)
    return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, default_port));

  /* "127.0.0.1:5353" or "[::1]:5353" */
  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        return NULL;
      host = g_strndup (text + 1, close - text - 1);
      colon = close[1] == ':' ? close + 1 : NULL;
    }
  else
    {
      colon = strrchr (text, ':');
      if (colon == NULL || strchr (text, ':') != colon)
        return NULL;
      host = g_strndup (text, colon - text);
    }
  if (colon != NULL && !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    return NULL;

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return NULL;
  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));
}

/* resolv.conf(5): nameserver, search/domain, options ndots:N rotate use-vc. The
 * "timeout" and "attempts" options are glibc's pacing, which this resolver
 * replaces with its own (CC_RESOLVER_RETRANSMIT_MIN_MS). */
static void
load_resolv_conf (CcResolver *self)
{
  g_autofree char *contents = read_small_file (self->resolv_conf ? self->resolv_conf : "/etc/resolv.conf");
  g_auto(GStrv) lines = NULL;

  if (contents == NULL)
    return;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      char *comment = strpbrk (lines[i], "#;");

      if (comment != NULL)
        *comment = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      if (words[0] == NULL || words[0][0] == '\0')
        continue;

      if (g_str_equal (words[0], "nameserver") && words[1] != NULL)
        {
          GInetSocketAddress *server = NULL;

          /* glibc's "%scope" of a link-local IPv6 nameserver is not parsed by
           * GLib 2.74: such a server is left to the system resolver. */
          if (self->nameservers->len < CC_RESOLVER_MAX_NAMESERVERS && strchr (words[1], '%') == NULL)
            server = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (words[1], 53));
          if (server != NULL)
            g_ptr_array_add (self->nameservers, server);
        }
      else if ((g_str_equal (words[0], "search") || g_str_equal (words[0], "domain")) &&
               words[1] != NULL && words[1][0] != '\0' && !g_str_equal (words[1], "."))
        self->has_search = TRUE;
      else if (g_str_equal (words[0], "options"))
        {
          for (guint j = 1; words[j] != NULL; j++)
            {
              guint64 n;

              if (g_str_has_prefix (words[j], "ndots:") &&
                  g_ascii_string_to_unsigned (words[j] + 6, 10, 0, 15, &n, NULL))
                self->ndots = n;
              else if (g_str_equal (words[j], "rotate"))
                self->rotate = TRUE;
              else if (g_str_equal (words[j], "use-vc") || g_str_equal (words[j], "usevc"))
                self->use_fallback = TRUE;  /* DNS over TCP only: the system does that */
            }
        }
    }
}

static void
load_hosts (CcResolver *self)
{
  g_autofree char *contents = read_small_file (self->hosts ? self->hosts : "/etc/hosts");
  g_auto(GStrv) lines = NULL;

  if (contents == NULL)
    return;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      char *comment = strchr (lines[i], '#');

      if (comment != NULL)
        *comment = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      for (guint j = 1; words[0] != NULL && words[j] != NULL; j++)
        if (words[j][0] != '\0')
          g_hash_table_add (self->hosts_names, g_ascii_strdown (words[j], -1));
    }
}

/* Whether this host could reach an IPv6 address at all, as getaddrinfo()'s
 * AI_ADDRCONFIG asks before it sends AAAA queries. Connecting a UDP socket only
 * looks up the route: nothing is sent (2001:db8::/32 is the documentation
 * prefix, RFC 3849). */
static gboolean
probe_ipv6_route (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GSocketAddress) target = NULL;

  if (socket == NULL)
    return FALSE;
  target = g_inet_socket_address_new_from_string ("2001:db8::1", 53);
  return g_socket_connect (socket, target, NULL, NULL);
}

static void
entry_detach (gpointer data);

static void
cc_resolver_load (CcResolver *self)
{
  if (self->loaded)
    return;

  self->loaded = TRUE;
  self->slowest_answer_us = 0;
  self->nameservers = g_ptr_array_new_with_free_func (g_object_unref);
  self->hosts_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_detach);
  self->has_search = FALSE;
  self->ndots = 1;
  self->rotate = FALSE;
  self->use_fallback = FALSE;
  self->context = g_main_context_ref_thread_default ();
  self->has_ipv6_route = probe_ipv6_route ();

  if (self->fixed_nameservers != NULL)
    {
      for (guint i = 0; i < self->fixed_nameservers->len; i++)
        g_ptr_array_add (self->nameservers, g_object_ref (self->fixed_nameservers->pdata[i]));
    }
  else
    {
      load_resolv_conf (self);
      load_hosts (self);
    }
  if (self->nameservers->len == 0)
    self->use_fallback = TRUE;

  if (self->fallback == NULL)
    {
      if (self->fixed_fallback != NULL)
        self->fallback = g_object_ref (self->fixed_fallback);
      else
        {
          g_autoptr(GResolver) current = g_resolver_get_default ();

          /* Never our own kind: that would ask itself. */
          if (!CC_IS_RESOLVER (current))
            self->fallback = g_steal_pointer (&current);
          else if (CC_RESOLVER (current)->fallback != NULL)
            self->fallback = g_object_ref (CC_RESOLVER (current)->fallback);
        }
    }

  g_debug ("resolver: %u nameservers%s%s", self->nameservers->len,
           self->use_fallback ? ", all names to the system resolver" : "",
           self->has_ipv6_route ? ", IPv6 route" : "");
}

static void
cc_resolver_unload (CcResolver *self)
{
  if (!self->loaded)
    return;

  self->loaded = FALSE;
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->nameservers, g_ptr_array_unref);
  g_clear_pointer (&self->hosts_names, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->fallback);
}

/* Names the stub leaves to the system, as glibc would resolve them otherwise:
 * /etc/hosts first ("files" before "dns" in nsswitch.conf), single-label names
 * and names short of "ndots" with a search list (the search list applies),
 * mDNS's .local, .localhost. */
static gboolean
wants_fallback (CcResolver *self,
                const char *name)
{
  guint dots = 0;

  if (self->use_fallback || g_hash_table_contains (self->hosts_names, name))
    return TRUE;
  for (const char *p = name; *p != '\0'; p++)
    dots += *p == '.' && p[1] != '\0';
  if (dots == 0 || (self->has_search && dots < self->ndots))
    return TRUE;
  /* RFC 6761 §6.3: "localhost" names are loopback, which the system knows. */
  return g_str_has_suffix (name, ".local") || g_str_has_suffix (name, ".localhost");
}

/* ---- answers ---- */

static gpointer
copy_address (gconstpointer address,
              gpointer      unused)
{
  return g_object_ref ((gpointer) address);
}

static GList *
copy_addresses (GList *addresses)
{
  return g_list_copy_deep (addresses, copy_address, NULL);
}

static void
free_addresses (gpointer addresses)
{
  g_list_free_full (addresses, g_object_unref);
}

static GError *
rcode_error (const char *name,
             guint       rcode)
{
  switch (rcode)
    {
    case CC_DNS_RCODE_NXDOMAIN:
      return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                          _("Error resolving “%s”: the name does not exist (NXDOMAIN)"), name);
    case CC_DNS_RCODE_REFUSED:
      return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                          _("Error resolving “%s”: the resolver refused to answer (REFUSED)"), name);
    case CC_DNS_RCODE_SERVFAIL:
      return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                          _("Error resolving “%s”: the resolver failed (SERVFAIL)"), name);
    default:
      return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                          _("Error resolving “%s”: the resolver answered with error code %u"),
                          name, rcode);
    }
}

static GError *
no_address_error (const char *name)
{
  return g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                      _("Error resolving “%s”: the name has no address of this kind"), name);
}

/* ---- entries ---- */

static Entry *
entry_ref (Entry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void query_stop (Query *query);

static void
entry_unref (Entry *entry)
{
  if (!g_atomic_ref_count_dec (&entry->ref_count))
    return;

  g_assert (entry->waiters == NULL);
  for (guint f = 0; f < N_FAMILIES; f++)
    {
      if (entry->slots[f].query != NULL)
        query_stop (entry->slots[f].query);
      free_addresses (entry->slots[f].addresses);
      g_clear_error (&entry->slots[f].error);
    }
  cc_source_clear (&entry->delay);
  free_addresses (entry->combined);
  g_clear_error (&entry->combined_error);
  g_ptr_array_unref (entry->nameservers);
  g_clear_object (&entry->fallback);
  g_main_context_unref (entry->context);
  g_free (entry->name);
  g_free (entry);
}

/* The scope's table lets go: lookups still waiting on it finish with it. */
static void
entry_detach (gpointer data)
{
  Entry *entry = data;

  entry->resolver = NULL;
  entry_unref (entry);
}

static Entry *
entry_new (CcResolver *self,
           const char *name)
{
  Entry *entry = g_new0 (Entry, 1);

  g_atomic_ref_count_init (&entry->ref_count);
  entry->resolver = self;
  entry->name = g_strdup (name);
  entry->nameservers = g_ptr_array_ref (self->nameservers);
  entry->fallback = self->fallback ? g_object_ref (self->fallback) : NULL;
  entry->context = g_main_context_ref (self->context);
  entry->use_fallback = wants_fallback (self, name);
  entry->query_aaaa = self->always_query_aaaa || self->has_ipv6_route;
  entry->rotate = self->rotate;

  return entry;
}

static void
slot_settle (Entry  *entry,
             guint   family,
             GList  *addresses,
             GError *error)
{
  Slot *slot = &entry->slots[family];

  if (slot->settled)
    {
      free_addresses (addresses);
      g_clear_error (&error);
      return;
    }

  slot->settled = TRUE;
  slot->addresses = addresses;
  slot->error = error;
  slot->nxdomain = error != NULL && strstr (error->message, "(NXDOMAIN)") != NULL;
  if (slot->addresses == NULL && slot->error == NULL)
    slot->error = no_address_error (entry->name);
  if (slot->query != NULL)
    query_stop (g_steal_pointer (&slot->query));
  g_debug ("resolver: %s %s: %s", entry->name, family == FAMILY_A ? "A" : "AAAA",
           slot->error ? slot->error->message : "addresses");
}

/* ---- queries ---- */

static void
query_stop (Query *query)
{
  for (guint i = 0; i < 2; i++)
    {
      cc_source_clear (&query->sources[i]);
      if (query->sockets[i] != NULL)
        {
          g_socket_close (query->sockets[i], NULL);
          g_clear_object (&query->sockets[i]);
        }
    }
  cc_source_clear (&query->timer);
  if (query->entry->slots[query->family].query == query)
    query->entry->slots[query->family].query = NULL;
  g_free (query);
}

static void
query_answer (Query        *query,
              CcDnsAnswer  *answer)
{
  Entry *entry = query->entry;
  guint family = query->family;
  GList *addresses = NULL;

  if (answer->truncated)
    {
      /* A bigger answer than UDP carries: the system resolver asks over TCP.
       * The whole name goes there, so that both families come from one place. */
      g_debug ("resolver: %s: truncated answer, asking the system resolver", entry->name);
      if (entry->fallback == NULL)
        {
          slot_settle (entry, family, NULL, rcode_error (entry->name, CC_DNS_RCODE_SERVFAIL));
          entry_progress (entry);
          return;
        }
      query_stop (query);
      entry->use_fallback = TRUE;
      entry_progress (entry);
      return;
    }

  if (answer->rcode != CC_DNS_RCODE_NOERROR)
    {
      slot_settle (entry, family, NULL, rcode_error (entry->name, answer->rcode));
      entry_progress (entry);
      return;
    }

  for (guint i = answer->n_addresses; i > 0; i--)
    addresses = g_list_prepend (addresses,
                                g_inet_address_new_from_bytes (answer->addresses[i - 1],
                                                               family == FAMILY_A
                                                               ? G_SOCKET_FAMILY_IPV4
                                                               : G_SOCKET_FAMILY_IPV6));
  slot_settle (entry, family, addresses, NULL);
  entry_progress (entry);
}

static gboolean
is_nameserver (Entry          *entry,
               GSocketAddress *from)
{
  if (!G_IS_INET_SOCKET_ADDRESS (from))
    return FALSE;

  for (guint i = 0; i < entry->nameservers->len; i++)
    {
      GInetSocketAddress *server = entry->nameservers->pdata[i];
      GInetSocketAddress *sender = G_INET_SOCKET_ADDRESS (from);

      if (g_inet_socket_address_get_port (server) == g_inet_socket_address_get_port (sender) &&
          g_inet_address_equal (g_inet_socket_address_get_address (server),
                                g_inet_socket_address_get_address (sender)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
query_readable_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  Query *query = user_data;
  guint8 buffer[CC_DNS_ANSWER_MAX + 1];

  for (guint i = 0; i < CC_RESOLVER_MAX_READS; i++)
    {
      g_autoptr(GSocketAddress) from = NULL;
      CcDnsAnswer answer;
      gssize n;

      n = g_socket_receive_from (socket, &from, (char *) buffer, sizeof buffer, NULL, NULL);
      if (n < 0)
        break;
      /* Only the nameservers asked may answer (RFC 5452 §9.1). */
      if (!is_nameserver (query->entry, from))
        continue;
      if (cc_dns_parse_answer (buffer, n, query->id, query->entry->name,
                               query->family == FAMILY_A ? CC_DNS_TYPE_A : CC_DNS_TYPE_AAAA,
                               &answer) != CC_DNS_ANSWER_OK)
        continue;

      if (query->attempts == 1 && query->entry->resolver != NULL)
        query->entry->resolver->slowest_answer_us = MAX (query->entry->resolver->slowest_answer_us,
                                                         g_get_monotonic_time () - query->first_sent_us);
      /* Ends the query, and this source with it. */
      query_answer (query, &answer);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static GSocket *
query_socket (Query          *query,
              GSocketFamily   family)
{
  guint i = family == G_SOCKET_FAMILY_IPV6 ? 1 : 0;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) any = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  if (query->sockets[i] != NULL)
    return query->sockets[i];

  socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
  if (socket == NULL)
    return NULL;
  /* Port 0: the kernel picks a random source port (RFC 5452 §9.2). */
  any = g_inet_address_new_any (family);
  local = g_inet_socket_address_new (any, 0);
  if (!g_socket_bind (socket, local, FALSE, NULL))
    return NULL;
  g_socket_set_blocking (socket, FALSE);

  query->sockets[i] = g_steal_pointer (&socket);
  query->sources[i] = g_socket_create_source (query->sockets[i], G_IO_IN, NULL);
  g_source_set_callback (query->sources[i], G_SOURCE_FUNC (query_readable_cb), query, NULL);
  g_source_set_name (query->sources[i], "[connection-check] resolver socket");
  g_source_attach (query->sources[i], query->entry->context);

  return query->sockets[i];
}

static void query_send (Query *query);

static gboolean
query_timer_cb (gpointer user_data)
{
  Query *query = user_data;

  g_clear_pointer (&query->timer, g_source_unref);
  if (query->attempts >= CC_RESOLVER_MAX_ATTEMPTS)
    {
      Entry *entry = query->entry;

      slot_settle (entry, query->family, NULL,
                   g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                                _("Error resolving “%s”: no answer after %u tries"),
                                entry->name, query->attempts));
      entry_progress (entry);
      return G_SOURCE_REMOVE;
    }

  query_send (query);
  return G_SOURCE_REMOVE;
}

static void
query_send (Query *query)
{
  Entry *entry = query->entry;
  GInetSocketAddress *server;
  GSocket *socket;
  guint interval = CC_RESOLVER_RETRANSMIT_MIN_MS;

  /* Each try goes to the next nameserver, as glibc's do after a timeout. */
  server = entry->nameservers->pdata[(query->first_server + query->attempts) % entry->nameservers->len];
  socket = query_socket (query, g_socket_address_get_family (G_SOCKET_ADDRESS (server)));
  /* A failed send is a lost packet: the next try may do better. */
  if (socket != NULL)
    g_socket_send_to (socket, G_SOCKET_ADDRESS (server), (const char *) query->packet,
                      query->packet_len, NULL, NULL);
  if (query->attempts++ == 0)
    query->first_sent_us = g_get_monotonic_time ();
  if (entry->resolver != NULL)
    {
      entry->resolver->queries_sent++;
      interval = CLAMP (entry->resolver->slowest_answer_us / 1000 * 2,
                        CC_RESOLVER_RETRANSMIT_MIN_MS, CC_RESOLVER_RETRANSMIT_MAX_MS);
    }

  if (query->attempts > CC_RESOLVER_BACKOFF_AFTER)
    interval *= 2;
  query->timer = cc_timeout_attach_to (entry->context, interval, query_timer_cb, query,
                                       "[connection-check] resolver retransmission");
}

static void
query_start (Entry *entry,
             guint  family)
{
  Query *query;

  /* No route to IPv6: no AAAA query either, as getaddrinfo()'s AI_ADDRCONFIG. */
  if (family == FAMILY_AAAA && !entry->query_aaaa)
    {
      slot_settle (entry, family, NULL, no_address_error (entry->name));
      return;
    }
  if (entry->nameservers->len == 0)
    {
      slot_settle (entry, family, NULL, rcode_error (entry->name, CC_DNS_RCODE_SERVFAIL));
      return;
    }

  query = g_new0 (Query, 1);
  query->entry = entry;
  query->family = family;
  /* A random id (RFC 5452 §9.2), the same on every try: a late answer to the
   * first try is as good as one to the second. */
  query->id = (guint16) g_random_int_range (0, 0x10000);
  query->first_server = entry->rotate ? (guint) g_random_int_range (0, entry->nameservers->len) : 0;
  query->packet_len = cc_dns_build_query (query->packet, query->id, entry->name,
                                          family == FAMILY_A ? CC_DNS_TYPE_A : CC_DNS_TYPE_AAAA);
  if (query->packet_len == 0)
    {
      g_free (query);
      slot_settle (entry, family, NULL,
                   g_error_new (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                _("Error resolving “%s”: not a valid name"), entry->name));
      return;
    }

  entry->slots[family].query = query;
  query_send (query);
}

/* ---- the fallback resolver ---- */

static void
fallback_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Entry *entry = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (!entry->combined_set)
    {
      entry->combined = copy_addresses (addresses);
      entry->combined_error = error ? g_error_copy (error) : NULL;
      entry->combined_set = TRUE;
    }
  for (guint f = 0; f < N_FAMILIES; f++)
    {
      GSocketFamily want = f == FAMILY_A ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6;
      GList *some = NULL;

      for (GList *l = addresses; l != NULL; l = l->next)
        if (g_inet_address_get_family (l->data) == want)
          some = g_list_append (some, g_object_ref (l->data));
      slot_settle (entry, f, some, error ? g_error_copy (error) : NULL);
    }
  free_addresses (addresses);

  entry_progress (entry);
  entry_unref (entry);
}

static void
fallback_start (Entry *entry)
{
  /* Not cancellable: its answer is the run's for this name, whoever asks next. */
  entry->fallback_started = TRUE;
  g_resolver_lookup_by_name_async (entry->fallback, entry->name, NULL,
                                   fallback_cb, entry_ref (entry));
}

/* ---- waiters ---- */

static gboolean
waiter_needs (Waiter *waiter,
              guint   family)
{
  if (waiter->flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY)
    return family == FAMILY_A;
  if (waiter->flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)
    return family == FAMILY_AAAA;
  return family == FAMILY_A || waiter->entry->query_aaaa;
}

static void
waiter_free (Waiter *waiter)
{
  cc_source_clear (&waiter->cancel_source);
  g_object_unref (waiter->task);
  entry_unref (waiter->entry);
  g_free (waiter);
}

static void
waiter_return (Waiter       *waiter,
               GList        *addresses,
               const GError *error)
{
  Entry *entry = waiter->entry;
  GTask *task = g_object_ref (waiter->task);

  entry->waiters = g_list_remove (entry->waiters, waiter);
  entry_ref (entry);
  waiter_free (waiter);

  if (addresses != NULL)
    g_task_return_pointer (task, copy_addresses (addresses), free_addresses);
  else
    g_task_return_error (task, g_error_copy (error));
  g_object_unref (task);
  entry_unref (entry);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  Entry *entry = entry_ref (waiter->entry);
  g_autoptr(GError) error = NULL;

  g_cancellable_set_error_if_cancelled (cancellable, &error);
  waiter_return (waiter, NULL, error);
  entry_progress (entry);
  entry_unref (entry);
  return G_SOURCE_REMOVE;
}

/* Both families as one answer: IPv6 first when this host routes IPv6 (as
 * getaddrinfo() sorts by RFC 6724), or the more telling error. */
static void
entry_combine (Entry *entry)
{
  Slot *a = &entry->slots[FAMILY_A];
  Slot *aaaa = &entry->slots[FAMILY_AAAA];

  entry->combined_set = TRUE;
  entry->combined = g_list_concat (copy_addresses (aaaa->addresses), copy_addresses (a->addresses));
  if (entry->combined != NULL)
    return;

  /* A name that does not exist says so whichever query learnt it; otherwise
   * the A query's error, the family every network answers. */
  if (aaaa->nxdomain && !a->nxdomain)
    entry->combined_error = g_error_copy (aaaa->error);
  else if (a->error != NULL)
    entry->combined_error = g_error_copy (a->error);
  else if (aaaa->error != NULL)
    entry->combined_error = g_error_copy (aaaa->error);
  else
    entry->combined_error = no_address_error (entry->name);
}

static gboolean
entry_delay_cb (gpointer user_data)
{
  Entry *entry = user_data;

  g_clear_pointer (&entry->delay, g_source_unref);
  if (!entry->combined_set)
    entry_combine (entry);
  entry_progress (entry);
  return G_SOURCE_REMOVE;
}

/* Answers the lookups that can be answered, then asks what is still needed
 * and stops asking what nobody waits for. */
static void
entry_progress_once (Entry *entry)
{
  gboolean needed[N_FAMILIES] = { FALSE, };
  GList *ready = NULL;

  if (!entry->combined_set && !entry->use_fallback)
    {
      Slot *a = &entry->slots[FAMILY_A];
      Slot *aaaa = &entry->slots[FAMILY_AAAA];
      /* NXDOMAIN is about the name: the other type cannot have an answer. */
      gboolean all = (a->settled && (aaaa->settled || !entry->query_aaaa)) ||
                     a->nxdomain || aaaa->nxdomain;
      gboolean some = (a->settled && a->addresses != NULL) || (aaaa->settled && aaaa->addresses != NULL);
      gboolean default_waiting = FALSE;

      for (GList *l = entry->waiters; l != NULL; l = l->next)
        default_waiting |= !(((Waiter *) l->data)->flags & (G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY |
                                                           G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY));
      if (default_waiting && all)
        entry_combine (entry);
      else if (default_waiting && some && entry->delay == NULL)
        {
          entry->delay = cc_timeout_attach_to (entry->context, CC_RESOLVER_RESOLUTION_DELAY_MS,
                                               entry_delay_cb, entry,
                                               "[connection-check] resolution delay");
        }
    }

  for (GList *l = entry->waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY)
        {
          if (entry->slots[FAMILY_A].settled)
            ready = g_list_prepend (ready, waiter);
        }
      else if (waiter->flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)
        {
          if (entry->slots[FAMILY_AAAA].settled)
            ready = g_list_prepend (ready, waiter);
        }
      else if (entry->combined_set)
        ready = g_list_prepend (ready, waiter);
    }

  ready = g_list_reverse (ready);
  for (GList *l = ready; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      /* A callback may have answered it already, through a nested lookup. */
      if (g_list_find (entry->waiters, waiter) == NULL)
        continue;
      if (waiter->flags & (G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY | G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY))
        {
          Slot *slot = &entry->slots[waiter->flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY
                                     ? FAMILY_A : FAMILY_AAAA];

          waiter_return (waiter, slot->addresses, slot->error);
        }
      else
        waiter_return (waiter, entry->combined, entry->combined_error);
    }
  g_list_free (ready);

  for (GList *l = entry->waiters; l != NULL; l = l->next)
    for (guint f = 0; f < N_FAMILIES; f++)
      needed[f] |= waiter_needs (l->data, f) && !entry->slots[f].settled;

  if (entry->use_fallback)
    {
      if ((needed[FAMILY_A] || needed[FAMILY_AAAA]) && !entry->fallback_started)
        fallback_start (entry);
    }
  else
    {
      for (guint f = 0; f < N_FAMILIES; f++)
        {
          if (needed[f] && entry->slots[f].query == NULL && !entry->slots[f].settled)
            query_start (entry, f);
          else if (!needed[f] && entry->slots[f].query != NULL)
            query_stop (entry->slots[f].query);
        }
      /* Some settle at once (an invalid name, no IPv6 route): answer for them. */
      if ((needed[FAMILY_A] && entry->slots[FAMILY_A].settled) ||
          (needed[FAMILY_AAAA] && entry->slots[FAMILY_AAAA].settled))
        entry->again = TRUE;
    }
}

/* Not reentrant: a lookup's callback may start another lookup of the same name,
 * which asks for progress while this is answering; it is done after, in turn. */
static void
entry_progress (Entry *entry)
{
  if (entry->progressing)
    {
      entry->again = TRUE;
      return;
    }

  entry_ref (entry);
  entry->progressing = TRUE;
  do
    {
      entry->again = FALSE;
      entry_progress_once (entry);
    }
  while (entry->again);
  entry->progressing = FALSE;
  entry_unref (entry);
}

/* ---- GResolver ---- */

static void
fallback_name_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, free_addresses);
}

static void
cc_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                             const char               *hostname,
                                             GResolverNameLookupFlags  flags,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data)
{
  CcResolver *self = CC_RESOLVER (resolver);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GInetAddress) literal = NULL;
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autofree char *name = NULL;
  Waiter *waiter;
  Entry *entry;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_resolver_lookup_by_name_with_flags_async);
  g_task_set_name (task, "[connection-check] name lookup");

  literal = g_inet_address_new_from_string (hostname);
  if (literal != NULL)
    {
      g_task_return_pointer (task, g_list_append (NULL, g_steal_pointer (&literal)), free_addresses);
      return;
    }

  cc_resolver_load (self);
  if (context != self->context)
    {
      /* Another thread: its own lookup, not shared with the run's. */
      if (self->fallback == NULL)
        {
          g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL,
                                   "No resolver for this thread");
          return;
        }
      g_resolver_lookup_by_name_with_flags_async (self->fallback, hostname, flags, cancellable,
                                                  fallback_name_cb, g_steal_pointer (&task));
      return;
    }

  name = g_ascii_strdown (hostname, -1);
  if (g_str_has_suffix (name, ".") && name[1] != '\0')
    name[strlen (name) - 1] = '\0';

  entry = g_hash_table_lookup (self->entries, name);
  if (entry == NULL)
    {
      entry = entry_new (self, name);
      if (entry->use_fallback && entry->fallback == NULL)
        entry->use_fallback = FALSE;
      g_hash_table_insert (self->entries, g_strdup (name), entry);
    }

  waiter = g_new0 (Waiter, 1);
  waiter->entry = entry_ref (entry);
  waiter->task = g_steal_pointer (&task);
  waiter->flags = flags;
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb), waiter, NULL);
      g_source_set_name (waiter->cancel_source, "[connection-check] lookup cancelled");
      g_source_attach (waiter->cancel_source, entry->context);
    }
  entry->waiters = g_list_append (entry->waiters, waiter);

  entry_progress (entry);
}

static GList *
cc_resolver_lookup_by_name_with_flags_finish (GResolver     *resolver,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cc_resolver_lookup_by_name_async (GResolver           *resolver,
                                  const char          *hostname,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  cc_resolver_lookup_by_name_with_flags_async (resolver, hostname,
                                               G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                               cancellable, callback, user_data);
}

/* The resolver to pass a lookup on to (the fallback); NULL, with @error set,
 * when there is none. */
static GResolver *
delegate (GResolver  *resolver,
          GError    **error)
{
  CcResolver *self = CC_RESOLVER (resolver);

  if (self->fallback != NULL)
    return g_object_ref (self->fallback);
  if (self->fixed_fallback != NULL)
    return g_object_ref (self->fixed_fallback);
  g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_INTERNAL, "No resolver");
  return NULL;
}

/* The same for an asynchronous lookup: with none, @callback gets the error
 * (from a task of @resolver's, which the _finish function recognises). */
static GResolver *
delegate_async (GResolver           *resolver,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  GError *error = NULL;
  GResolver *fallback = delegate (resolver, &error);

  if (fallback == NULL)
    g_task_report_error (resolver, callback, user_data, source_tag, error);
  return fallback;
}

/* The resolver whose lookup @result is the end of, or NULL when it is the
 * error delegate_async() reported. */
static GResolver *
delegated_source (GResolver    *resolver,
                  GAsyncResult *result)
{
  if (G_IS_TASK (result) && g_task_is_valid (result, resolver))
    return NULL;
  return G_RESOLVER (g_async_result_get_source_object (result));
}

/* Blocking lookups (none of the engine's: it never blocks its main context) go
 * to the fallback resolver as they are. */
static GList *
cc_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                       const char                *hostname,
                                       GResolverNameLookupFlags   flags,
                                       GCancellable              *cancellable,
                                       GError                   **error)
{
  g_autoptr(GResolver) fallback = delegate (resolver, error);

  if (fallback == NULL)
    return NULL;
  return g_resolver_lookup_by_name_with_flags (fallback, hostname, flags, cancellable, error);
}

static GList *
cc_resolver_lookup_by_name (GResolver     *resolver,
                            const char    *hostname,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return cc_resolver_lookup_by_name_with_flags (resolver, hostname,
                                                G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                cancellable, error);
}

/* Reverse, service and record lookups: the fallback's, through its vfuncs, so
 * that its own results come back to it in the _finish functions. */
static char *
cc_resolver_lookup_by_address (GResolver     *resolver,
                               GInetAddress  *address,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GResolver) fallback = delegate (resolver, error);

  if (fallback == NULL)
    return NULL;
  return g_resolver_lookup_by_address (fallback, address, cancellable, error);
}

static void
cc_resolver_lookup_by_address_async (GResolver           *resolver,
                                     GInetAddress        *address,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GResolver) fallback = delegate_async (resolver, callback, user_data,
                                                  cc_resolver_lookup_by_address_async);

  if (fallback != NULL)
    G_RESOLVER_GET_CLASS (fallback)->lookup_by_address_async (fallback, address, cancellable,
                                                            callback, user_data);
}

static char *
cc_resolver_lookup_by_address_finish (GResolver     *resolver,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_autoptr(GResolver) source = delegated_source (resolver, result);

  if (source == NULL)
    return g_task_propagate_pointer (G_TASK (result), error);
  return G_RESOLVER_GET_CLASS (source)->lookup_by_address_finish (source, result, error);
}

static GList *
cc_resolver_lookup_service (GResolver     *resolver,
                            const char    *rrname,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(GResolver) fallback = delegate (resolver, error);

  if (fallback == NULL)
    return NULL;
  return G_RESOLVER_GET_CLASS (fallback)->lookup_service (fallback, rrname, cancellable, error);
}

static void
cc_resolver_lookup_service_async (GResolver           *resolver,
                                  const char          *rrname,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GResolver) fallback = delegate_async (resolver, callback, user_data,
                                                  cc_resolver_lookup_service_async);

  if (fallback != NULL)
    G_RESOLVER_GET_CLASS (fallback)->lookup_service_async (fallback, rrname, cancellable,
                                                         callback, user_data);
}

static GList *
cc_resolver_lookup_service_finish (GResolver     *resolver,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GResolver) source = delegated_source (resolver, result);

  if (source == NULL)
    return g_task_propagate_pointer (G_TASK (result), error);
  return G_RESOLVER_GET_CLASS (source)->lookup_service_finish (source, result, error);
}

static GList *
cc_resolver_lookup_records (GResolver            *resolver,
                            const char           *rrname,
                            GResolverRecordType   record_type,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(GResolver) fallback = delegate (resolver, error);

  if (fallback == NULL)
    return NULL;
  return g_resolver_lookup_records (fallback, rrname, record_type, cancellable, error);
}

static void
cc_resolver_lookup_records_async (GResolver           *resolver,
                                  const char          *rrname,
                                  GResolverRecordType  record_type,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GResolver) fallback = delegate_async (resolver, callback, user_data,
                                                  cc_resolver_lookup_records_async);

  if (fallback != NULL)
    G_RESOLVER_GET_CLASS (fallback)->lookup_records_async (fallback, rrname, record_type,
                                                         cancellable, callback, user_data);
}

static GList *
cc_resolver_lookup_records_finish (GResolver     *resolver,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autoptr(GResolver) source = delegated_source (resolver, result);

  if (source == NULL)
    return g_task_propagate_pointer (G_TASK (result), error);
  return G_RESOLVER_GET_CLASS (source)->lookup_records_finish (source, result, error);
}

static void
cc_resolver_dispose (GObject *object)
{
  CcResolver *self = CC_RESOLVER (object);

  cc_resolver_unload (self);
  g_clear_object (&self->fixed_fallback);
  g_clear_object (&self->previous_default);

  G_OBJECT_CLASS (cc_resolver_parent_class)->dispose (object);
}

static void
cc_resolver_finalize (GObject *object)
{
  CcResolver *self = CC_RESOLVER (object);

  g_free (self->resolv_conf);
  g_free (self->hosts);
  g_clear_pointer (&self->fixed_nameservers, g_ptr_array_unref);

  G_OBJECT_CLASS (cc_resolver_parent_class)->finalize (object);
}

static void
cc_resolver_class_init (CcResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  object_class->dispose = cc_resolver_dispose;
  object_class->finalize = cc_resolver_finalize;

  resolver_class->lookup_by_name = cc_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = cc_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = cc_resolver_lookup_by_name_with_flags_finish;
  resolver_class->lookup_by_name_with_flags = cc_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = cc_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = cc_resolver_lookup_by_name_with_flags_finish;
  resolver_class->lookup_by_address = cc_resolver_lookup_by_address;
  resolver_class->lookup_by_address_async = cc_resolver_lookup_by_address_async;
  resolver_class->lookup_by_address_finish = cc_resolver_lookup_by_address_finish;
  resolver_class->lookup_service = cc_resolver_lookup_service;
  resolver_class->lookup_service_async = cc_resolver_lookup_service_async;
  resolver_class->lookup_service_finish = cc_resolver_lookup_service_finish;
  resolver_class->lookup_records = cc_resolver_lookup_records;
  resolver_class->lookup_records_async = cc_resolver_lookup_records_async;
  resolver_class->lookup_records_finish = cc_resolver_lookup_records_finish;
}

static void
cc_resolver_init (CcResolver *self)
{
}

CcResolver *
cc_resolver_new (const char *resolv_conf,
                 const char *hosts,
                 GResolver  *fallback)
{
  CcResolver *self;

  g_return_val_if_fail (!fallback || G_IS_RESOLVER (fallback), NULL);
  g_return_val_if_fail (!CC_IS_RESOLVER (fallback), NULL);

  self = g_object_new (CC_TYPE_RESOLVER, NULL);
  self->resolv_conf = g_strdup (resolv_conf);
  self->hosts = g_strdup (hosts);
  self->fixed_fallback = fallback ? g_object_ref (fallback) : NULL;

  return self;
}

CcResolver *
cc_resolver_new_for_nameservers (const char * const *nameservers,
                                 GResolver          *fallback)
{
  CcResolver *self;

  g_return_val_if_fail (nameservers != NULL, NULL);

  self = cc_resolver_new (NULL, NULL, fallback);
  self->fixed_nameservers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; nameservers[i] != NULL; i++)
    {
      GInetSocketAddress *server = parse_nameserver (nameservers[i], 53);

      if (server == NULL)
        g_critical ("Not a nameserver address: %s", nameservers[i]);
      else
        g_ptr_array_add (self->fixed_nameservers, server);
    }

  return self;
}

CcResolver *
cc_resolver_get_for_runs (void)
{
  static CcResolver *for_runs;

  /* Lives as long as the process: runs come and go. */
  if (g_once_init_enter (&for_runs))
    g_once_init_leave (&for_runs, cc_resolver_new (NULL, NULL, NULL));

  return for_runs;
}

void
cc_resolver_begin_run (CcResolver *self)
{
  g_autoptr(GResolver) current = NULL;

  g_return_if_fail (CC_IS_RESOLVER (self));

  if (self->runs++ > 0)
    return;

  /* A new scope: the network may have changed since the last run. */
  cc_resolver_unload (self);
  cc_resolver_load (self);

  current = g_resolver_get_default ();
  if (current != G_RESOLVER (self))
    {
      g_set_object (&self->previous_default, current);
      g_resolver_set_default (G_RESOLVER (self));
    }
}

void
cc_resolver_end_run (CcResolver *self)
{
  g_autoptr(GResolver) current = NULL;

  g_return_if_fail (CC_IS_RESOLVER (self));
  g_return_if_fail (self->runs > 0);

  if (--self->runs > 0)
    return;

  current = g_resolver_get_default ();
  /* Another resolver made default since is left alone. */
  if (current == G_RESOLVER (self) && self->previous_default != NULL)
    g_resolver_set_default (self->previous_default);
  g_clear_object (&self->previous_default);
  cc_resolver_unload (self);
}

void
cc_resolver_set_always_query_aaaa (CcResolver *self,
                                   gboolean    always)
{
  g_return_if_fail (CC_IS_RESOLVER (self));

  self->always_query_aaaa = !!always;
}

guint
cc_resolver_get_queries_sent (CcResolver *self)
{
  g_return_val_if_fail (CC_IS_RESOLVER (self), 0);

  return self->queries_sent;
}
