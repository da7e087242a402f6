/* cc-catalogue-turn.c: the requirements `turn-udp` and `turn-tcp` — the TURN
 * relay over UDP, and over TCP and TLS. Each TURN server of the profile gets
 * an allocation per transport (alternatives: one that works is enough),
 * plus a STUN binding over UDP; with a login (--ice-servers or the
 * preferences), a test call over TCP and TLS, and the media burst over TCP to
 * compare the fallback with UDP. TURN servers given only in --ice-servers get
 * an allocation too. Both are paths for audio and video (calls are blocked
 * when no path works); the relay over UDP degrades calls when it fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-catalogue-private.h"
#include "cc-stun-check.h"

/* Whether --ice-servers' @server is one of the profile's TURN servers. */
static gboolean
in_profile (CcProfile   *profile,
            CcIceServer *server)
{
  GPtrArray *turns = cc_profile_get_turn_servers (profile);

  for (guint j = 0; j < turns->len; j++)
    {
      CcProfileTurn *turn = turns->pdata[j];
      guint16 port = server->transport == CC_TRANSPORT_TLS ? turn->tls_port : turn->port;

      if ((turn->transports & server->transport) && port == server->port &&
          g_ascii_strcasecmp (turn->host, server->host) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Allocations on the TURN servers given only in --ice-servers, over @transports. */
static void
add_other_servers (CcCatalogueBuild  *build,
                   CcRequirementKind  kind,
                   CcTransport        transports)
{
  for (guint i = 0; build->ice_servers != NULL && i < build->ice_servers->len; i++)
    {
      CcIceServer *server = build->ice_servers->pdata[i];

      if (server->is_turn && (server->transport & transports) && !in_profile (build->profile, server))
        build->add (build, kind, cc_catalogue_allocate_check (build, server->host, server->port, server->transport),
                    CC_CHECK_ROLE_ALTERNATIVE, 0);
    }
}

static void
build_udp (CcCatalogueBuild *build)
{
  GPtrArray *turns = cc_profile_get_turn_servers (build->profile);

  for (guint i = 0; i < turns->len; i++)
    {
      CcProfileTurn *turn = turns->pdata[i];

      if (!(turn->transports & CC_TRANSPORT_UDP))
        continue;
      build->add (build, CC_REQUIREMENT_TURN_UDP,
                  cc_stun_check_new (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, turn->host, turn->port),
                  CC_CHECK_ROLE_SUPPORTING, 0);
      build->add (build, CC_REQUIREMENT_TURN_UDP,
                  cc_catalogue_allocate_check (build, turn->host, turn->port, CC_TRANSPORT_UDP),
                  CC_CHECK_ROLE_ALTERNATIVE, 0);
    }
  add_other_servers (build, CC_REQUIREMENT_TURN_UDP, CC_TRANSPORT_UDP);
}

static void
build_tcp (CcCatalogueBuild *build)
{
  static const CcTransport order[] = { CC_TRANSPORT_TCP, CC_TRANSPORT_TLS };
  GPtrArray *turns = cc_profile_get_turn_servers (build->profile);
  GPtrArray *stuns = cc_profile_get_stun_servers (build->profile);
  gboolean burst_added = FALSE;

  for (guint i = 0; i < turns->len; i++)
    {
      CcProfileTurn *turn = turns->pdata[i];

      for (guint t = 0; t < G_N_ELEMENTS (order); t++)
        if (turn->transports & order[t])
          build->add (build, CC_REQUIREMENT_TURN_TCP,
                      cc_catalogue_allocate_check (build, turn->host,
                                                   order[t] == CC_TRANSPORT_TLS ? turn->tls_port : turn->port,
                                                   order[t]),
                      CC_CHECK_ROLE_ALTERNATIVE, 0);

      for (guint t = 0; t < G_N_ELEMENTS (order); t++)
        if (turn->transports & order[t])
          cc_catalogue_add_call (build, CC_REQUIREMENT_TURN_TCP, turn->host,
                                 order[t] == CC_TRANSPORT_TLS ? turn->tls_port : turn->port, order[t]);

      /* The same burst as on the UDP path, over TCP, to compare what the fallback gives. */
      if ((turn->transports & CC_TRANSPORT_TCP) && !burst_added && stuns->len > 0)
        {
          CcProfileStun *stun = stuns->pdata[0];

          cc_catalogue_add_burst (build, CC_REQUIREMENT_TURN_TCP, CC_CHECK_ROLE_SUPPORTING, turn->host,
                                  turn->port, CC_TRANSPORT_TCP, stun->burst_count, stun->burst_interval_ms);
          burst_added = TRUE;
        }
    }
  add_other_servers (build, CC_REQUIREMENT_TURN_TCP, CC_TRANSPORT_TCP | CC_TRANSPORT_TLS);
}

static const char *
impact_udp (CcRequirement *req,
            CcStatus       status)
{
  return _("Audio and video cannot take the fast path (UDP) to the relay servers; calls fall back to TCP with lower quality.");
}

static const char *
impact_tcp (CcRequirement *req,
            CcStatus       status)
{
  return _("The fallback path for audio and video (the relay over TCP and TLS) does not work; on networks without UDP, calls would fail.");
}

static char *
pass_summary_udp (CcRequirement *req)
{
  return g_strdup (_("The relay answers over UDP"));
}

static char *
pass_summary_tcp (CcRequirement *req)
{
  return g_strdup (_("The relay answers over TCP and TLS"));
}

/* The relay's hosts and the media domains; its ports over @transports. */
static char *
targets (CcProfile    *profile,
         CcTransport   transports,
         char        **ports)
{
  g_autofree char *hosts = cc_catalogue_turn_hosts (profile, transports);
  g_autofree char *domains = cc_catalogue_domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);

  *ports = cc_catalogue_turn_ports (profile, transports);
  return cc_catalogue_hosts_and_domains (hosts, domains);
}

static char *
it_request_udp (CcRequirement *req,
                CcProfile     *profile)
{
  g_autofree char *ports = NULL;
  g_autofree char *to = targets (profile, CC_TRANSPORT_UDP, &ports);

  return g_strdup_printf (_("Please ask IT to allow outbound UDP port %s to %s."), ports, to);
}

static char *
it_request_tcp (CcRequirement *req,
                CcProfile     *profile)
{
  g_autofree char *ports = NULL;
  g_autofree char *to = targets (profile, CC_TRANSPORT_TCP | CC_TRANSPORT_TLS, &ports);

  return g_strdup_printf (_("Please ask IT to allow outbound TCP port %s (TURN over TCP and TLS) to %s."),
                          ports, to);
}

static char *
it_allow_udp (CcRequirement *req,
              CcProfile     *profile)
{
  g_autofree char *ports = NULL;
  g_autofree char *to = targets (profile, CC_TRANSPORT_UDP, &ports);

  /* TRANSLATORS: a line of the request for IT */
  return g_strdup_printf (_("UDP port %s (the TURN relay) to %s"), ports, to);
}

static char *
it_allow_tcp (CcRequirement *req,
              CcProfile     *profile)
{
  g_autofree char *ports = NULL;
  g_autofree char *to = targets (profile, CC_TRANSPORT_TCP | CC_TRANSPORT_TLS, &ports);

  /* TRANSLATORS: a line of the request for IT */
  return g_strdup_printf (_("TCP port %s (the TURN relay over TCP and TLS) to %s"), ports, to);
}

const CcCatalogueEntry cc_catalogue_turn_udp = {
  .kind = CC_REQUIREMENT_TURN_UDP,
  .id = "turn-udp",
  .title = N_("Relay over UDP"),
  .weight = CC_WEIGHT_MEDIA_PATH | CC_WEIGHT_DEGRADES,
  .reason_rank = 1,
  .udp = TRUE,
  .build = build_udp,
  .impact = impact_udp,
  .pass_summary = pass_summary_udp,
  .it_request = it_request_udp,
  .it_allow = it_allow_udp,
};

const CcCatalogueEntry cc_catalogue_turn_tcp = {
  .kind = CC_REQUIREMENT_TURN_TCP,
  .id = "turn-tcp",
  .title = N_("Relay over TCP and TLS"),
  .weight = CC_WEIGHT_MEDIA_PATH,
  .reason_rank = 5,
  .build = build_tcp,
  .impact = impact_tcp,
  .pass_summary = pass_summary_tcp,
  .it_request = it_request_tcp,
  .it_allow = it_allow_tcp,
};
