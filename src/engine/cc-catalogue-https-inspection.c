/* cc-catalogue-https-inspection.c: the requirement `https-inspection` —
 * whether something on the network decrypts secure connections, and whether
 * WebSockets still get through it. For each essential WebSocket: a TLS
 * handshake that records the certificate chain and where it ends (a public
 * authority, one installed on this device, none this device trusts), then the
 * WebSocket through the same path. Checks that never reached the server
 * cannot tell: the requirement is skipped then, not failed. It does not
 * weigh in the verdict: signaling says whether calls start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-catalogue-private.h"
#include "cc-tls-check.h"

static void
build (CcCatalogueBuild *build)
{
  GPtrArray *websockets = cc_profile_get_websockets (build->profile);

  for (guint i = 0; i < websockets->len; i++)
    {
      CcProfileWebsocket *ws = websockets->pdata[i];
      CcCheck *inspection;

      if (!ws->essential)
        continue;
      inspection = cc_tls_check_new (ws->host, ws->port);
      cc_tls_check_set_inspection_probe (CC_TLS_CHECK (inspection), ws->url, ws->round_trip, ws->subprotocol);
      build->add (build, CC_REQUIREMENT_HTTPS_INSPECTION, inspection, CC_CHECK_ROLE_ESSENTIAL, 0);
    }
}

/* Whether the checks saw inspection at all (a certificate this device does
 * not trust or that chains to a private root, a broken TLS session, a refused
 * WebSocket) rather than failing to reach the server. */
static gboolean
saw_inspection (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
      CcError error = cc_check_get_error (check);

      if (error == CC_ERROR_TLS_UNTRUSTED || error == CC_ERROR_TLS_FAILURE ||
          error == CC_ERROR_WEBSOCKET_REJECTED ||
          cc_check_has_tls_root (check, CC_TLS_ROOT_PRIVATE))
        return TRUE;
    }
  return FALSE;
}

static const char *
impact (CcRequirement *req,
        CcStatus       status)
{
  if (!saw_inspection (req))
    return _("Whether a proxy inspects HTTPS traffic cannot be told: the signaling server cannot be reached.");
  return status == CC_STATUS_FAIL
    ? _("A proxy or filter inspects HTTPS traffic and breaks the connections calls need.")
    : _("A proxy or filter inspects HTTPS traffic; it lets calls through for now.");
}

/* A row that cannot be judged is not a failure. */
static gboolean
judge (CcRequirement  *req,
       CcStatus       *status,
       char          **summary,
       char          **hint)
{
  if ((*status != CC_STATUS_FAIL && *status != CC_STATUS_WARN) || saw_inspection (req))
    return FALSE;

  *summary = g_strdup (_("Cannot be told: the server was not reached"));
  *hint = g_strdup (impact (req, *status));
  *status = CC_STATUS_SKIP;
  return TRUE;
}

static char *
pass_summary (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);
  gboolean unknown_root = FALSE;
  const char *issuer = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (issuer == NULL)
        issuer = cc_check_get_tls_issuer (check);
      unknown_root |= cc_check_has_tls_root (check, CC_TLS_ROOT_UNKNOWN);
    }

  if (issuer != NULL && unknown_root)
    return g_strdup_printf (_("Certificate from “%s”; this system lists no public authorities to compare it with"), issuer);
  if (issuer != NULL)
    return g_strdup_printf (_("No interception found (certificate from “%s”)"), issuer);
  return g_strdup (_("No interception found"));
}

static char *
it_request (CcRequirement *req,
            CcProfile     *profile)
{
  g_autofree char *domains = cc_catalogue_domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);

  return g_strdup_printf (_("Please ask IT to exclude %s from HTTPS inspection, or at least to let WebSocket connections to them through."),
                          domains[0] ? domains : cc_profile_get_title (profile));
}

static char *
it_allow (CcRequirement *req,
          CcProfile     *profile)
{
  g_autofree char *domains = cc_catalogue_domains_with_role (profile, CC_DOMAIN_ROLE_SIGNALING);

  /* TRANSLATORS: a line of the request for IT */
  return g_strdup_printf (_("no HTTPS inspection of %s, or at least WebSocket connections through it"),
                          domains[0] ? domains : cc_profile_get_title (profile));
}

const CcCatalogueEntry cc_catalogue_https_inspection = {
  .kind = CC_REQUIREMENT_HTTPS_INSPECTION,
  .id = "https-inspection",
  .title = N_("HTTPS inspection"),
  .weight = CC_WEIGHT_NONE,
  .build = build,
  .impact = impact,
  .pass_summary = pass_summary,
  .it_request = it_request,
  .it_allow = it_allow,
  .judge = judge,
};
