/* cc-catalogue-media.c: the requirement `media-udp` — audio and video over
 * UDP high ports to the media servers. For each STUN server: a binding, and
 * the media burst (essential: the numbers a call would have); with a TURN
 * login, a test call through the relay over UDP. A path for audio and video
 * (calls are blocked when no path works); its failure or a poor path
 * degrades calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-catalogue-private.h"
#include "cc-stun-check.h"

static void
build (CcCatalogueBuild *build)
{
  GPtrArray *turns = cc_profile_get_turn_servers (build->profile);
  GPtrArray *stuns = cc_profile_get_stun_servers (build->profile);

  for (guint i = 0; i < turns->len; i++)
    {
      CcProfileTurn *turn = turns->pdata[i];

      if (turn->transports & CC_TRANSPORT_UDP)
        cc_catalogue_add_call (build, CC_REQUIREMENT_MEDIA_UDP, turn->host, turn->port, CC_TRANSPORT_UDP);
    }

  for (guint i = 0; i < stuns->len; i++)
    {
      CcProfileStun *stun = stuns->pdata[i];

      build->add (build, CC_REQUIREMENT_MEDIA_UDP,
                  cc_stun_check_new (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, stun->host, stun->port),
                  CC_CHECK_ROLE_SUPPORTING, 0);
      cc_catalogue_add_burst (build, CC_REQUIREMENT_MEDIA_UDP, CC_CHECK_ROLE_ESSENTIAL, stun->host, stun->port,
                              CC_TRANSPORT_UDP, stun->burst_count, stun->burst_interval_ms);
    }
}

static const char *
impact (CcRequirement *req,
        CcStatus       status)
{
  return status == CC_STATUS_FAIL
    ? _("Audio and video cannot use UDP high ports to the media servers, which gives the best quality.")
    : _("The UDP path to the media servers works, but not well.");
}

static char *
pass_summary (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      if (cc_check_is_kind (check, CC_CHECK_KIND_MEDIA_BURST) && cc_check_get_loss_pct (check) >= 0)
        return g_strdup_printf (_("UDP high ports work (%.1f %% loss, %.0f ms jitter, %.0f ms round trip)"),
                                cc_check_get_loss_pct (check), MAX (0, cc_check_get_jitter_ms (check)),
                                MAX (0, cc_check_get_rtt_ms (check)));
    }
  return g_strdup (_("UDP high ports reach the media servers"));
}

static char *
targets (CcProfile *profile)
{
  g_autofree char *hosts = cc_catalogue_stun_hosts (profile);
  g_autofree char *domains = cc_catalogue_domains_with_role (profile, CC_DOMAIN_ROLE_MEDIA);

  return cc_catalogue_hosts_and_domains (hosts, domains);
}

static char *
it_request (CcRequirement *req,
            CcProfile     *profile)
{
  g_autofree char *to = targets (profile);

  return g_strdup_printf (_("Please ask IT to allow outbound UDP ports %s to %s."),
                          cc_profile_get_media_ports (profile), to);
}

static char *
it_allow (CcRequirement *req,
          CcProfile     *profile)
{
  g_autofree char *to = targets (profile);

  /* TRANSLATORS: a line of the request for IT */
  return g_strdup_printf (_("UDP ports %s (audio and video) to %s"), cc_profile_get_media_ports (profile), to);
}

const CcCatalogueEntry cc_catalogue_media_udp = {
  .kind = CC_REQUIREMENT_MEDIA_UDP,
  .id = "media-udp",
  .title = N_("Media over UDP high ports"),
  .weight = CC_WEIGHT_MEDIA_PATH | CC_WEIGHT_DEGRADES,
  .reason_rank = 2,
  .udp = TRUE,
  .build = build,
  .impact = impact,
  .pass_summary = pass_summary,
  .it_request = it_request,
  .it_allow = it_allow,
};
