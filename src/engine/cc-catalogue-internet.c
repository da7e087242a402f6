/* cc-catalogue-internet.c: the requirement `internet` — this device is online
 * and names resolve. Its checks: the system's view of the network (with a
 * probe of the profile's probe host), and name lookups of the probe host, the
 * relay and the media server. A filter that blocks some names is not an
 * offline device: the requirement fails only when none of them resolves,
 * and a lookup that got no answer is a slow or lossy name server, not a
 * filter. It does not weigh in the verdict, except that a device that looks
 * offline is told so (cc-diagnosis.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-catalogue-private.h"
#include "cc-diagnosis-private.h"
#include "cc-network-check.h"

static void
build (CcCatalogueBuild *build)
{
  GPtrArray *turns = cc_profile_get_turn_servers (build->profile);
  GPtrArray *stuns = cc_profile_get_stun_servers (build->profile);
  const char *probe_host = cc_profile_get_probe_host (build->profile);
  g_autofree char *probe_url = g_strdup_printf ("https://%s/", probe_host ? probe_host : "localhost");
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  build->add (build, CC_REQUIREMENT_INTERNET, cc_network_check_new (probe_url), CC_CHECK_ROLE_ESSENTIAL, 0);

  if (probe_host != NULL)
    g_ptr_array_add (names, (gpointer) probe_host);
  if (turns->len > 0)
    g_ptr_array_add (names, ((CcProfileTurn *) turns->pdata[0])->host);
  if (stuns->len > 0)
    g_ptr_array_add (names, ((CcProfileStun *) stuns->pdata[0])->host);

  for (guint i = 0; i < names->len; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < i; j++)
        seen |= g_ascii_strcasecmp (names->pdata[i], names->pdata[j]) == 0;
      if (!seen)
        build->add (build, CC_REQUIREMENT_INTERNET, cc_catalogue_dns_check (build, names->pdata[i]),
                    CC_CHECK_ROLE_ALTERNATIVE, 0);
    }
}

static const char *
impact (CcRequirement *req,
        CcStatus       status)
{
  return status == CC_STATUS_FAIL
    ? _("This device does not seem to be fully online.")
    : _("Some names do not resolve while others do: a filter may be blocking them by name.");
}

static char *
pass_summary (CcRequirement *req)
{
  return g_strdup (_("Connected, and names resolve"));
}

static char *
it_request (CcRequirement *req,
            CcProfile     *profile)
{
  return g_strdup (_("Check that this device is connected (Wi-Fi or cable) and can open web pages; if it can, ask IT why names cannot be looked up (DNS)."));
}

static char *
it_allow (CcRequirement *req,
          CcProfile     *profile)
{
  /* TRANSLATORS: a line of the request for IT */
  return g_strdup (_("name lookups (DNS) of these servers' names"));
}

static char *
problem_hint (CcRequirement *req,
              CcStatus       status,
              CcCheck       *primary)
{
  g_autofree char *host = NULL;
  g_autofree char *request = NULL;

  if (status != CC_STATUS_WARN || primary == NULL)
    return NULL;

  /* No answer is not a filter: a filter answers (NXDOMAIN, REFUSED, a
   * sinkhole address). */
  if (cc_check_get_lookup_timed_out (primary))
    return g_strjoin (" ", _("Some name lookups got no answer in time while others worked: name lookups on this network are slow or lose packets."),
                      _("Test again; if it keeps happening, use a cable or a better Wi-Fi signal, or ask IT to look at the name server (DNS)."),
                      NULL);

  /* Some names resolve: not an offline device, a filter by name. */
  host = cc_diagnosis_target_host (primary);
  request = g_strdup_printf (_("Please ask IT whether a DNS filter blocks %s: calls need it to resolve."), host);
  return g_strjoin (" ", impact (req, status), request, NULL);
}

const CcCatalogueEntry cc_catalogue_internet = {
  .kind = CC_REQUIREMENT_INTERNET,
  .id = "internet",
  .title = N_("Internet connection"),
  .weight = CC_WEIGHT_NONE,
  .build = build,
  .impact = impact,
  .pass_summary = pass_summary,
  .it_request = it_request,
  .it_allow = it_allow,
  .problem_hint = problem_hint,
};
