/* cc-network-check.c: see cc-network-check.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-network-check.h"

struct _CcNetworkCheck
{
  CcCheck  parent_instance;

  char    *probe_url;
  char    *connectivity;
  char    *proxy;
};

G_DEFINE_FINAL_TYPE (CcNetworkCheck, cc_network_check, CC_TYPE_CHECK)

/* A line of /proc/net/route with destination 00000000 is a default route; so is
 * a line of /proc/net/ipv6_route with an all-zero destination of prefix 0. */
static gboolean
has_default_route (void)
{
  g_autofree char *v4 = NULL;
  g_autofree char *v6 = NULL;

  if (g_file_get_contents ("/proc/net/route", &v4, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (v4, "\n", -1);

      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
          guint n = 0;
          const char *dest = NULL;

          for (guint j = 0; fields[j] != NULL; j++)
            {
              if (fields[j][0] == '\0')
                continue;
              if (++n == 2)
                dest = fields[j];
            }
          if (g_strcmp0 (dest, "00000000") == 0)
            return TRUE;
        }
    }

  if (g_file_get_contents ("/proc/net/ipv6_route", &v6, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (v6, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          /* Destination (32 hex), prefix length (2 hex), … device last. */
          if (g_str_has_prefix (lines[i], "00000000000000000000000000000000 00 ") &&
              !g_str_has_suffix (g_strstrip (lines[i]), " lo"))
            return TRUE;
        }
    }

  /* No /proc (a sandbox that hides it): do not claim there is no route. */
  return v4 == NULL && v6 == NULL;
}

static const char *
connectivity_to_string (GNetworkConnectivity connectivity)
{
  switch (connectivity)
    {
    case G_NETWORK_CONNECTIVITY_LOCAL: return "local";
    case G_NETWORK_CONNECTIVITY_LIMITED: return "limited";
    case G_NETWORK_CONNECTIVITY_PORTAL: return "portal";
    case G_NETWORK_CONNECTIVITY_FULL: return "full";
    default: return "none";
    }
}

/* Proxy URIs may carry user:password; the report must not. */
static char *
strip_userinfo (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  if (parsed == NULL)
    return g_strdup (uri);

  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (parsed), NULL,
                     g_uri_get_host (parsed), g_uri_get_port (parsed),
                     "", NULL, NULL);
}

static void
cc_network_check_finish_up (CcNetworkCheck *self)
{
  CcCheck *check = CC_CHECK (self);
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  GNetworkConnectivity connectivity = g_network_monitor_get_connectivity (monitor);
  gboolean available = g_network_monitor_get_network_available (monitor);
  gboolean route = has_default_route ();
  g_autofree char *detail = NULL;

  g_free (self->connectivity);
  self->connectivity = g_strdup (available ? connectivity_to_string (connectivity) : "none");

  detail = g_strdup_printf (_("Network %s, connectivity “%s”, default route %s, proxy %s."),
                            available ? _("available") : _("not available"),
                            self->connectivity,
                            route ? _("present") : _("missing"),
                            self->proxy);

  if (!available && !route)
    cc_check_fail (check, CC_ERROR_UNREACHABLE, detail);
  else if (connectivity == G_NETWORK_CONNECTIVITY_PORTAL)
    {
      g_autofree char *portal = g_strdup_printf ("%s %s", detail,
                                                 _("This network wants you to sign in on a web page (a captive portal) before it lets traffic through."));
      cc_check_warn (check, CC_ERROR_UNREACHABLE, portal);
    }
  else
    cc_check_pass (check, detail);
}

static void
cc_network_check_lookup_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(CcNetworkCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) proxies = NULL;

  proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);
  if (cc_check_is_done (CC_CHECK (self)))
    return;

  g_free (self->proxy);
  if (proxies == NULL || proxies[0] == NULL || g_str_equal (proxies[0], "direct://"))
    self->proxy = g_strdup ("none");
  else
    self->proxy = strip_userinfo (proxies[0]);

  cc_network_check_finish_up (self);
}

static void
cc_network_check_start (CcCheck      *check,
                        GCancellable *cancellable)
{
  CcNetworkCheck *self = CC_NETWORK_CHECK (check);
  GProxyResolver *resolver = cc_check_get_proxy_resolver (check);

  if (resolver == NULL)
    resolver = g_proxy_resolver_get_default ();

  g_proxy_resolver_lookup_async (resolver, self->probe_url, cancellable,
                                 cc_network_check_lookup_cb, g_object_ref (self));
}

static void
cc_network_check_finalize (GObject *object)
{
  CcNetworkCheck *self = CC_NETWORK_CHECK (object);

  g_free (self->probe_url);
  g_free (self->connectivity);
  g_free (self->proxy);

  G_OBJECT_CLASS (cc_network_check_parent_class)->finalize (object);
}

static void
cc_network_check_class_init (CcNetworkCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->finalize = cc_network_check_finalize;
  check_class->start = cc_network_check_start;
}

static void
cc_network_check_init (CcNetworkCheck *self)
{
  self->connectivity = g_strdup ("none");
  self->proxy = g_strdup ("none");
}

void
cc_network_check_note_offline (CcNetworkCheck *self)
{
  CcCheck *check = CC_CHECK (self);
  g_autofree char *detail = NULL;

  g_return_if_fail (CC_IS_NETWORK_CHECK (self));

  /* The system's word stays in the detail; the verdict follows the evidence.
   * GNetworkMonitor says "full" wherever no network manager runs. */
  detail = g_strdup_printf ("%s %s", cc_check_get_detail (check) ? cc_check_get_detail (check) : "",
                            _("Yet nothing got out: no name resolved and no server answered, so this device looks offline."));
  g_free (self->connectivity);
  self->connectivity = g_strdup ("none");
  cc_check_revise (check, CC_STATUS_FAIL, CC_ERROR_UNREACHABLE, g_strchug (detail));
}

CcCheck *
cc_network_check_new (const char *probe_url)
{
  CcNetworkCheck *self = g_object_new (CC_TYPE_NETWORK_CHECK, NULL);

  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_NETWORK);
  cc_check_set_target (CC_CHECK (self), probe_url);
  self->probe_url = g_strdup (probe_url);

  return CC_CHECK (self);
}

const char *
cc_network_check_get_connectivity (CcNetworkCheck *self)
{
  g_return_val_if_fail (CC_IS_NETWORK_CHECK (self), NULL);
  return self->connectivity;
}

const char *
cc_network_check_get_proxy (CcNetworkCheck *self)
{
  g_return_val_if_fail (CC_IS_NETWORK_CHECK (self), NULL);
  return self->proxy;
}
