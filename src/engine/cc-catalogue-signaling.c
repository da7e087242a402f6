/* cc-catalogue-signaling.c: the requirement `signaling` — the secure
 * WebSocket that sets calls up. For each of the profile's WebSockets: its
 * name lookup, TCP connect and TLS handshake (supporting: they say where a
 * failure happens), and the WebSocket itself, with its round trips (essential
 * where the profile says calls need it). Its failure blocks calls; a
 * secondary WebSocket that fails degrades them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-catalogue-private.h"
#include "cc-tcp-check.h"
#include "cc-tls-check.h"
#include "cc-websocket-check.h"

static void
build (CcCatalogueBuild *build)
{
  GPtrArray *websockets = cc_profile_get_websockets (build->profile);

  for (guint i = 0; i < websockets->len; i++)
    {
      CcProfileWebsocket *ws = websockets->pdata[i];

      build->add (build, CC_REQUIREMENT_SIGNALING, cc_catalogue_dns_check (build, ws->host),
                  CC_CHECK_ROLE_SUPPORTING, 0);
      build->add (build, CC_REQUIREMENT_SIGNALING, cc_tcp_check_new (ws->host, ws->port),
                  CC_CHECK_ROLE_SUPPORTING, 0);
      build->add (build, CC_REQUIREMENT_SIGNALING, cc_tls_check_new (ws->host, ws->port),
                  CC_CHECK_ROLE_SUPPORTING, 0);
      build->add (build, CC_REQUIREMENT_SIGNALING,
                  cc_websocket_check_new (ws->url, ws->round_trip, ws->subprotocol, build->hold_seconds),
                  ws->essential ? CC_CHECK_ROLE_ESSENTIAL : CC_CHECK_ROLE_SUPPORTING,
                  build->hold_seconds * 1000);
    }
}

static const char *
impact (CcRequirement *req,
        CcStatus       status)
{
  return status == CC_STATUS_FAIL
    ? _("Calls cannot start: the app cannot reach the signaling service that sets them up.")
    : _("A secondary signaling connection does not work; calls start, but some features may not.");
}

static char *
pass_summary (CcRequirement *req)
{
  return g_strdup (_("Secure WebSocket connections work"));
}

/* The hosts and the signaling domains; the ports. */
static char *
targets (CcProfile  *profile,
         char      **ports)
{
  g_autofree char *hosts = cc_catalogue_websocket_hosts (profile);
  g_autofree char *domains = cc_catalogue_domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);

  *ports = cc_catalogue_websocket_ports (profile);
  return cc_catalogue_hosts_and_domains (hosts, domains);
}

static char *
it_request (CcRequirement *req,
            CcProfile     *profile)
{
  g_autofree char *ports = NULL;
  g_autofree char *to = targets (profile, &ports);

  /* TRANSLATORS: "…outbound TCP port 443 to host and the domains *.a, *.b…" */
  return g_strdup_printf (_("Please ask IT to allow outbound TCP port %s to %s, including secure WebSocket (wss) connections through any proxy or HTTPS filter."),
                          ports, to);
}

static char *
it_allow (CcRequirement *req,
          CcProfile     *profile)
{
  g_autofree char *ports = NULL;
  g_autofree char *to = targets (profile, &ports);

  /* TRANSLATORS: a line of the request for IT: "TCP port 443 to host and the domains *.a, *.b, …" */
  return g_strdup_printf (_("TCP port %s to %s, including secure WebSocket (wss) upgrades through any proxy or HTTPS filter"),
                          ports, to);
}

const CcCatalogueEntry cc_catalogue_signaling = {
  .kind = CC_REQUIREMENT_SIGNALING,
  .id = "signaling",
  .title = N_("Signaling (secure WebSocket)"),
  .weight = CC_WEIGHT_BLOCKS,
  .reason_rank = 3,
  .build = build,
  .impact = impact,
  .pass_summary = pass_summary,
  .it_request = it_request,
  .it_allow = it_allow,
};
