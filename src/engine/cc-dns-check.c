/* cc-dns-check.c: asks the default resolver (during a run, the run's
 * cc-resolver.c) for the name's addresses, both families in one lookup, so that
 * a lost AAAA answer does not hold up a good A one. The check fails as
 * `dns-failure` when there is no address, and as `dns-sinkhole` when every
 * answer is an address a filter answers with instead of the real server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-dns-check.h"

struct _CcDnsCheck
{
  CcCheck            parent_instance;

  char              *host;
  CcDnsSinkholeFunc  is_sinkhole;
  gpointer           user_data;

  GList             *addresses;  /* GInetAddress, both families */
  GError            *first_error;
};

G_DEFINE_FINAL_TYPE (CcDnsCheck, cc_dns_check, CC_TYPE_CHECK)

static void
cc_dns_check_conclude (CcDnsCheck *self)
{
  CcCheck *check = CC_CHECK (self);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GString) sinkholes = g_string_new (NULL);
  guint n = 0, n_sinkhole = 0;

  for (GList *l = self->addresses; l != NULL; l = l->next)
    {
      g_autofree char *text = g_inet_address_to_string (l->data);
      gboolean sinkhole = self->is_sinkhole != NULL && self->is_sinkhole (l->data, self->user_data);

      g_string_append_printf (list, "%s%s", n++ ? ", " : "", text);
      if (sinkhole)
        g_string_append_printf (sinkholes, "%s%s", n_sinkhole++ ? ", " : "", text);
    }

  if (n == 0)
    {
      g_autofree char *detail = NULL;

      if (g_error_matches (self->first_error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
        detail = g_strdup_printf (_("The name %s does not exist, or the resolver hides it (%s)."),
                                  self->host, self->first_error->message);
      else if (self->first_error != NULL)
        detail = g_strdup_printf (_("The resolver did not answer for %s (%s)."),
                                  self->host, self->first_error->message);
      else
        detail = g_strdup_printf (_("The resolver gave no address for %s."), self->host);

      cc_check_fail (check, CC_ERROR_DNS_FAILURE, detail);
      return;
    }

  cc_check_set_address (check, list->str);

  if (n_sinkhole == n)
    {
      g_autofree char *detail = g_strdup_printf (_("%s resolves to %s, an address filters answer with instead of the real server."),
                                                 self->host, sinkholes->str);
      cc_check_set_address (check, sinkholes->str);
      cc_check_fail (check, CC_ERROR_DNS_SINKHOLE, detail);
    }
  else if (n_sinkhole > 0)
    {
      g_autofree char *detail = g_strdup_printf (_("%s resolves to %s; %s looks like a filter’s answer."),
                                                 self->host, list->str, sinkholes->str);
      cc_check_warn (check, CC_ERROR_DNS_SINKHOLE, detail);
    }
  else
    {
      g_autofree char *detail = g_strdup_printf (_("%s resolves to %s."), self->host, list->str);
      cc_check_pass (check, detail);
    }
}

static void
cc_dns_check_lookup_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CcDnsCheck) self = user_data;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  self->addresses = g_list_concat (self->addresses, addresses);
  cc_check_set_resolving (CC_CHECK (self), FALSE);
  if (error != NULL && self->first_error == NULL)
    self->first_error = g_steal_pointer (&error);

  if (cc_check_is_done (CC_CHECK (self)))
    return;

  cc_dns_check_conclude (self);
}

static void
cc_dns_check_start (CcCheck      *check,
                    GCancellable *cancellable)
{
  CcDnsCheck *self = CC_DNS_CHECK (check);
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(GInetAddress) literal = g_inet_address_new_from_string (self->host);

  if (literal != NULL)
    {
      self->addresses = g_list_append (self->addresses, g_steal_pointer (&literal));
      cc_dns_check_conclude (self);
      return;
    }

  cc_check_set_resolving (check, TRUE);
  g_resolver_lookup_by_name_async (resolver, self->host, cancellable,
                                   cc_dns_check_lookup_cb, g_object_ref (self));
}

static void
cc_dns_check_finalize (GObject *object)
{
  CcDnsCheck *self = CC_DNS_CHECK (object);

  g_free (self->host);
  g_list_free_full (self->addresses, g_object_unref);
  g_clear_error (&self->first_error);

  G_OBJECT_CLASS (cc_dns_check_parent_class)->finalize (object);
}

static void
cc_dns_check_class_init (CcDnsCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->finalize = cc_dns_check_finalize;
  check_class->start = cc_dns_check_start;
}

static void
cc_dns_check_init (CcDnsCheck *self)
{
}

CcCheck *
cc_dns_check_new (const char        *host,
                  CcDnsSinkholeFunc  is_sinkhole,
                  gpointer           user_data)
{
  CcDnsCheck *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (CC_TYPE_DNS_CHECK, NULL);
  self->host = g_strdup (host);
  self->is_sinkhole = is_sinkhole;
  self->user_data = user_data;
  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_DNS);
  cc_check_set_target (CC_CHECK (self), host);

  return CC_CHECK (self);
}
