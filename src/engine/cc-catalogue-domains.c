/* cc-catalogue-domains.c: the requirement `domains` — the guide's list of
 * domains. Each fixed name is tried the way the profile says: an HTTPS
 * request (with its own name lookup, so that a sinkholed or missing name is
 * named as the cause) or a name lookup. A pattern with no fixed name (names
 * assigned per call or per customer) cannot be tested: it is noted, and
 * named to IT as written. Its failure or warning degrades calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-catalogue-private.h"
#include "cc-check-private.h"
#include "cc-diagnosis-private.h"
#include "cc-https-check.h"
#include "cc-note-check.h"

static void
add (CcCatalogueBuild *build,
     CcProfileDomain  *domain,
     CcCheck          *check,
     CcCheckRole       role)
{
  cc_check_set_domain (check, domain->pattern);
  build->add (build, CC_REQUIREMENT_DOMAINS, check, role, 0);
}

static void
build (CcCatalogueBuild *build)
{
  GPtrArray *domains = cc_profile_get_domains (build->profile);

  for (guint i = 0; i < domains->len; i++)
    {
      CcProfileDomain *domain = domains->pdata[i];
      CcCheckRole role = domain->role == CC_DOMAIN_ROLE_SUPPORTING
        ? CC_CHECK_ROLE_SUPPORTING : CC_CHECK_ROLE_ESSENTIAL;

      if (domain->hosts[0] == NULL)
        {
          g_autofree char *note = g_strdup_printf (_("No fixed name under %s is known: its names are assigned per call or per customer, so it cannot be tested from here. Allow it as written."),
                                                   domain->pattern);

          add (build, domain, cc_note_check_new (CC_CHECK_KIND_UNVERIFIED, domain->pattern, note), role);
          continue;
        }

      for (guint j = 0; domain->hosts[j] != NULL; j++)
        {
          g_autofree char *name = g_strdup (domain->hosts[j]);
          char *colon = strchr (name, ':');

          if (domain->probe == CC_DOMAIN_PROBE_HTTPS)
            {
              g_autofree char *url = g_strdup_printf ("https://%s/", domain->hosts[j]);

              if (colon != NULL)
                *colon = '\0';
              add (build, domain, cc_catalogue_dns_check (build, name), CC_CHECK_ROLE_SUPPORTING);
              add (build, domain, cc_https_check_new (url), role);
            }
          else
            {
              /* "host:port", not an IPv6 address */
              if (colon != NULL && strchr (colon + 1, ':') == NULL)
                *colon = '\0';
              add (build, domain, cc_catalogue_dns_check (build, name), role);
            }
        }
    }
}

static const char *
impact (CcRequirement *req,
        CcStatus       status)
{
  return status == CC_STATUS_FAIL
    ? _("Some of the addresses calls depend on cannot be reached.")
    : _("Some supporting services (analytics, help, avatars) cannot be reached: calls work, but parts of the app may not.");
}

static char *
pass_summary (CcRequirement *req)
{
  GListModel *checks = cc_requirement_get_checks (req);
  guint unverified = 0;

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);

      unverified += cc_check_is_kind (check, CC_CHECK_KIND_UNVERIFIED);
    }

  if (unverified > 0)
    return g_strdup_printf (ngettext ("Every testable domain answers; %u can only be allowed as written",
                                      "Every testable domain answers; %u can only be allowed as written",
                                      unverified), unverified);
  return g_strdup (_("Every domain answers"));
}

/* The failing domains' patterns, and the ones that can only be allowed as written. */
static void
collect (CcRequirement  *req,
         char          **failing,
         char          **unverified)
{
  GListModel *checks = cc_requirement_get_checks (req);
  g_autoptr(GPtrArray) f = g_ptr_array_new ();
  g_autoptr(GPtrArray) s = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
      const char *pattern = cc_check_get_domain (check);

      if (pattern == NULL)
        continue;

      if (cc_diagnosis_effective_status (check) == CC_STATUS_FAIL)
        cc_catalogue_list_add (f, pattern);
      else if (cc_check_is_kind (check, CC_CHECK_KIND_UNVERIFIED))
        cc_catalogue_list_add (s, pattern);
    }

  *failing = cc_catalogue_list_join (f);
  *unverified = cc_catalogue_list_join (s);
}

static char *
it_request (CcRequirement *req,
            CcProfile     *profile)
{
  g_autofree char *failing = NULL;
  g_autofree char *unverified = NULL;
  GString *text = g_string_new (NULL);

  collect (req, &failing, &unverified);
  if (failing[0] != '\0')
    g_string_append_printf (text, _("Please ask IT to allow outbound HTTPS (TCP port 443) to %s."), failing);
  if (unverified[0] != '\0')
    {
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, _("These domains could not be tested from here because their names are assigned per call or per customer; allow them as written: %s."),
                              unverified);
    }
  return g_string_free (text, FALSE);
}

static char *
it_allow (CcRequirement *req,
          CcProfile     *profile)
{
  g_autofree char *failing = NULL;
  g_autofree char *unverified = NULL;

  collect (req, &failing, &unverified);
  if (failing[0] == '\0')
    return NULL;
  /* TRANSLATORS: a line of the request for IT */
  return g_strdup_printf (_("HTTPS (TCP port 443) to %s"), failing);
}

/* A pass still names the domains that could not be tested. */
static char *
pass_hint (CcRequirement *req,
           CcProfile     *profile)
{
  g_autofree char *request = it_request (req, profile);

  return request[0] != '\0' ? g_steal_pointer (&request) : NULL;
}

const CcCatalogueEntry cc_catalogue_domains = {
  .kind = CC_REQUIREMENT_DOMAINS,
  .id = "domains",
  .title = N_("Required domains"),
  .weight = CC_WEIGHT_DEGRADES,
  .reason_rank = 4,
  .build = build,
  .impact = impact,
  .pass_summary = pass_summary,
  .it_request = it_request,
  .it_allow = it_allow,
  .pass_hint = pass_hint,
};
