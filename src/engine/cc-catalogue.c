/* cc-catalogue.c: the requirements in the checklist's order, one entry each
 * (cc-catalogue-private.h says what an entry holds; each lives in its
 * cc-catalogue-<id>.c), and what several entries share: making the checks a
 * TURN server gets, and naming the profile's hosts, ports and domains.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-call-check.h"
#include "cc-catalogue-private.h"
#include "cc-diagnosis.h"
#include "cc-dns-check.h"
#include "cc-stun-check.h"

/* After the last send, a burst waits this long for late answers. */
#define CC_BURST_GRACE_MS 1000
/* A call needs, besides its stream: allocations, ICE checks, the drain. */
#define CC_CALL_EXTRA_MS 2000

static const CcCatalogueEntry *const catalogue[CC_N_REQUIREMENTS] = {
  &cc_catalogue_internet,
  &cc_catalogue_signaling,
  &cc_catalogue_turn_udp,
  &cc_catalogue_turn_tcp,
  &cc_catalogue_media_udp,
  &cc_catalogue_domains,
  &cc_catalogue_https_inspection,
};

const CcCatalogueEntry *
cc_catalogue_get_entry (CcRequirementKind kind)
{
  g_return_val_if_fail (kind < CC_N_REQUIREMENTS, NULL);
  g_assert (catalogue[kind]->kind == kind);

  return catalogue[kind];
}

const char *
cc_requirement_kind_to_id (CcRequirementKind kind)
{
  g_return_val_if_fail (kind < CC_N_REQUIREMENTS, NULL);

  return cc_catalogue_get_entry (kind)->id;
}

const char *
cc_requirement_kind_get_title (CcRequirementKind kind)
{
  g_return_val_if_fail (kind < CC_N_REQUIREMENTS, NULL);

  return _(cc_catalogue_get_entry (kind)->title);
}

gboolean
cc_requirement_kind_from_id (const char        *id,
                             CcRequirementKind *kind)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < CC_N_REQUIREMENTS; i++)
    if (g_str_equal (catalogue[i]->id, id))
      {
        if (kind != NULL)
          *kind = catalogue[i]->kind;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_sinkhole_cb (GInetAddress *address,
                gpointer      user_data)
{
  return cc_profile_is_sinkhole (CC_PROFILE (user_data), address);
}

CcCheck *
cc_catalogue_dns_check (CcCatalogueBuild *build,
                        const char       *host)
{
  return cc_dns_check_new (host, is_sinkhole_cb, build->profile);
}

/* The login --ice-servers gives for this relay, or NULL. */
static CcIceServer *
find_credentials (CcCatalogueBuild *build,
                  const char       *host,
                  guint16           port,
                  CcTransport       transport)
{
  for (guint i = 0; build->ice_servers != NULL && i < build->ice_servers->len; i++)
    {
      CcIceServer *server = build->ice_servers->pdata[i];

      if (server->is_turn && server->transport == transport && server->port == port &&
          g_ascii_strcasecmp (server->host, host) == 0)
        return server;
    }

  return NULL;
}

static char *
allocation_key (const char  *host,
                guint16      port,
                CcTransport  transport)
{
  g_autofree char *folded = g_ascii_strdown (host, -1);

  return g_strdup_printf ("%u %s %u", transport, folded, port);
}

CcCheck *
cc_catalogue_allocate_check (CcCatalogueBuild *build,
                             const char       *host,
                             guint16           port,
                             CcTransport       transport)
{
  CcCheck *check = cc_stun_check_new (CC_STUN_MODE_ALLOCATE, transport, host, port);
  CcIceServer *server = find_credentials (build, host, port, transport);

  if (server != NULL)
    {
      cc_stun_check_set_credentials (CC_STUN_CHECK (check), server->username, server->credential);
      cc_diagnosis_mark_turn_login (check, server->source);
    }
  /* The requirement the check goes to keeps it for the run. */
  g_hash_table_insert (build->allocations, allocation_key (host, port, transport), check);

  return check;
}

/* The allocation check made earlier in this build for this relay, or NULL. */
static CcCheck *
find_allocation (CcCatalogueBuild *build,
                 const char       *host,
                 guint16           port,
                 CcTransport       transport)
{
  g_autofree char *key = allocation_key (host, port, transport);

  return g_hash_table_lookup (build->allocations, key);
}

void
cc_catalogue_add_call (CcCatalogueBuild  *build,
                       CcRequirementKind  kind,
                       const char        *host,
                       guint16            port,
                       CcTransport        transport)
{
  CcIceServer *server = find_credentials (build, host, port, transport);
  CcCheck *allocation = find_allocation (build, host, port, transport);
  CcCheck *call;

  if (allocation == NULL || server == NULL)
    return;
  call = cc_call_check_new (transport, host, port, server->username, server->credential);
  cc_diagnosis_mark_turn_login (call, server->source);
  cc_call_check_set_allocation (CC_CALL_CHECK (call), allocation);
  build->add (build, kind, call, CC_CHECK_ROLE_SUPPORTING,
              CC_CALL_STREAM_MS + CC_CALL_RAMP_MS + CC_CALL_EXTRA_MS);
}

void
cc_catalogue_add_burst (CcCatalogueBuild  *build,
                        CcRequirementKind  kind,
                        CcCheckRole        role,
                        const char        *host,
                        guint16            port,
                        CcTransport        transport,
                        guint              count,
                        guint              interval_ms)
{
  CcCheck *check = cc_stun_check_new (CC_STUN_MODE_BURST, transport, host, port);

  cc_stun_check_set_burst (CC_STUN_CHECK (check), count, interval_ms);
  /* The burst itself takes count × interval; the timeout is for what comes after. */
  build->add (build, kind, check, role, count * interval_ms + CC_BURST_GRACE_MS);
}

void
cc_catalogue_list_add (GPtrArray  *list,
                       const char *item)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (list->pdata[i], item))
      return;
  g_ptr_array_add (list, (gpointer) item);
}

char *
cc_catalogue_list_join (GPtrArray *list)
{
  g_ptr_array_add (list, NULL);
  return g_strjoinv (", ", (char **) list->pdata);
}

char *
cc_catalogue_domains_with_role (CcProfile    *profile,
                                CcDomainRole  role)
{
  GPtrArray *domains = cc_profile_get_domains (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < domains->len; i++)
    {
      CcProfileDomain *domain = domains->pdata[i];

      if (domain->role == role)
        cc_catalogue_list_add (list, domain->pattern);
    }

  return cc_catalogue_list_join (list);
}

char *
cc_catalogue_turn_hosts (CcProfile   *profile,
                         CcTransport  transports)
{
  GPtrArray *servers = cc_profile_get_turn_servers (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < servers->len; i++)
    {
      CcProfileTurn *turn = servers->pdata[i];

      if (turn->transports & transports)
        cc_catalogue_list_add (list, turn->host);
    }

  return cc_catalogue_list_join (list);
}

/* @ports: strings; each once, in their order. */
static char *
join_unique (GPtrArray *ports)
{
  g_autoptr(GPtrArray) view = g_ptr_array_new ();

  for (guint i = 0; i < ports->len; i++)
    cc_catalogue_list_add (view, ports->pdata[i]);

  return cc_catalogue_list_join (view);
}

char *
cc_catalogue_turn_ports (CcProfile   *profile,
                         CcTransport  transports)
{
  GPtrArray *servers = cc_profile_get_turn_servers (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < servers->len; i++)
    {
      CcProfileTurn *turn = servers->pdata[i];

      if (turn->transports & transports & (CC_TRANSPORT_UDP | CC_TRANSPORT_TCP))
        g_ptr_array_add (list, g_strdup_printf ("%u", turn->port));
      if (turn->transports & transports & CC_TRANSPORT_TLS)
        g_ptr_array_add (list, g_strdup_printf ("%u", turn->tls_port));
    }

  return join_unique (list);
}

char *
cc_catalogue_websocket_ports (CcProfile *profile)
{
  GPtrArray *sockets = cc_profile_get_websockets (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < sockets->len; i++)
    g_ptr_array_add (list, g_strdup_printf ("%u", ((CcProfileWebsocket *) sockets->pdata[i])->port));

  return join_unique (list);
}

char *
cc_catalogue_websocket_hosts (CcProfile *profile)
{
  GPtrArray *sockets = cc_profile_get_websockets (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < sockets->len; i++)
    cc_catalogue_list_add (list, ((CcProfileWebsocket *) sockets->pdata[i])->host);

  return cc_catalogue_list_join (list);
}

char *
cc_catalogue_stun_hosts (CcProfile *profile)
{
  GPtrArray *servers = cc_profile_get_stun_servers (profile);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; i < servers->len; i++)
    cc_catalogue_list_add (list, ((CcProfileStun *) servers->pdata[i])->host);

  return cc_catalogue_list_join (list);
}

char *
cc_catalogue_hosts_and_domains (const char *hosts,
                                const char *domains)
{
  if (domains[0] == '\0')
    return g_strdup (hosts);
  if (hosts[0] == '\0')
    return g_strdup (domains);
  /* TRANSLATORS: a list of host names, then a list of domain patterns */
  return g_strdup_printf (_("%s and the domains %s"), hosts, domains);
}
