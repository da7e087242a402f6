/* cc-tls-database.c: verifies a chain against an extra CA first and falls back to
 * the system's store, so a profile can add a private CA without hiding the
 * public ones. Lookups are answered by the system store.
 *
 * Why every connection gets a CcTlsDatabase, even without an extra CA: with
 * glib-networking 2.74, a connection whose database is GnuTLS's own (the
 * backend's default one, or any GTlsFileDatabase) builds private GnuTLS
 * credentials by parsing that database's whole store again — the ~140 system
 * roots, about 2 MB of heap, per connection, and once more when its database
 * is set after construction (as libsoup does). A database of another type gets
 * empty credentials and is asked through g_tls_database_verify_chain() instead
 * (which still checks the name, the purpose and the chain, though not stapled
 * OCSP answers). So the system store is parsed once per process, wrapped, and
 * the wrapper is made the backend's default, which libsoup's and GIO's
 * connections pick up too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-tls-database.h"

struct _CcTlsDatabase
{
  GTlsDatabase  parent_instance;

  GTlsDatabase *extra;
  GTlsDatabase *system;
  GList        *extra_certificates;
};

G_DEFINE_FINAL_TYPE (CcTlsDatabase, cc_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
cc_tls_database_verify_chain (GTlsDatabase             *database,
                              GTlsCertificate          *chain,
                              const char               *purpose,
                              GSocketConnectable       *identity,
                              GTlsInteraction          *interaction,
                              GTlsDatabaseVerifyFlags   flags,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  CcTlsDatabase *self = CC_TLS_DATABASE (database);
  GTlsCertificateFlags result;
  g_autoptr(GError) local_error = NULL;

  if (self->extra == NULL)
    return g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction,
                                        flags, cancellable, error);

  result = g_tls_database_verify_chain (self->extra, chain, purpose, identity, interaction,
                                        flags, cancellable, &local_error);
  if (local_error == NULL && (result & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
    return result;

  return g_tls_database_verify_chain (self->system, chain, purpose, identity, interaction,
                                      flags, cancellable, error);
}

static GTlsCertificate *
cc_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                           GTlsCertificate          *certificate,
                                           GTlsInteraction          *interaction,
                                           GTlsDatabaseLookupFlags   flags,
                                           GCancellable             *cancellable,
                                           GError                  **error)
{
  CcTlsDatabase *self = CC_TLS_DATABASE (database);
  GTlsCertificate *issuer = NULL;

  if (self->extra != NULL)
    issuer = g_tls_database_lookup_certificate_issuer (self->extra, certificate, interaction,
                                                       flags, cancellable, NULL);
  if (issuer != NULL)
    return issuer;

  return g_tls_database_lookup_certificate_issuer (self->system, certificate, interaction,
                                                   flags, cancellable, error);
}

static GList *
cc_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                               GByteArray               *issuer_raw_dn,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  CcTlsDatabase *self = CC_TLS_DATABASE (database);

  return g_tls_database_lookup_certificates_issued_by (self->system, issuer_raw_dn, interaction,
                                                       flags, cancellable, error);
}

static char *
cc_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                           GTlsCertificate *certificate)
{
  CcTlsDatabase *self = CC_TLS_DATABASE (database);

  return g_tls_database_create_certificate_handle (self->system, certificate);
}

static GTlsCertificate *
cc_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                               const char               *handle,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  CcTlsDatabase *self = CC_TLS_DATABASE (database);

  return g_tls_database_lookup_certificate_for_handle (self->system, handle, interaction,
                                                       flags, cancellable, error);
}

static void
cc_tls_database_dispose (GObject *object)
{
  CcTlsDatabase *self = CC_TLS_DATABASE (object);

  g_clear_object (&self->extra);
  g_clear_object (&self->system);
  g_list_free_full (g_steal_pointer (&self->extra_certificates), g_object_unref);

  G_OBJECT_CLASS (cc_tls_database_parent_class)->dispose (object);
}

static void
cc_tls_database_class_init (CcTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->dispose = cc_tls_database_dispose;

  database_class->verify_chain = cc_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = cc_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = cc_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = cc_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = cc_tls_database_lookup_certificate_for_handle;
}

static void
cc_tls_database_init (CcTlsDatabase *self)
{
}

/* The process's one parsed copy of the system store, wrapped (see the top). */
static CcTlsDatabase *system_database;
static gint system_loads;

GTlsDatabase *
cc_tls_database_get_system (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GTlsBackend *backend = g_tls_backend_get_default ();
      GTlsDatabase *system;

      /* Counted as the parse begins, so that one under way counts too. */
      g_atomic_int_inc (&system_loads);
      system = g_tls_backend_get_default_database (backend);

      /* Someone made a CcTlsDatabase the default already: nothing to parse. */
      if (CC_IS_TLS_DATABASE (system))
        system_database = CC_TLS_DATABASE (system);
      else if (system != NULL)
        {
          system_database = g_object_new (CC_TYPE_TLS_DATABASE, NULL);
          system_database->system = system;
          g_tls_backend_set_default_database (backend, G_TLS_DATABASE (system_database));
        }

      g_once_init_leave (&initialized, 1);
    }

  return system_database != NULL ? g_object_ref (G_TLS_DATABASE (system_database)) : NULL;
}

guint
cc_tls_database_get_system_loads (void)
{
  return g_atomic_int_get (&system_loads);
}

GTlsDatabase *
cc_tls_database_new (const char  *extra_ca_file,
                     GError     **error)
{
  g_autoptr(CcTlsDatabase) self = NULL;
  g_autoptr(GTlsDatabase) system = cc_tls_database_get_system ();

  if (system == NULL)
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE,
                           _("This device has no store of trusted certificates."));
      return NULL;
    }
  if (extra_ca_file == NULL)
    return g_steal_pointer (&system);

  self = g_object_new (CC_TYPE_TLS_DATABASE, NULL);
  /* The store itself, not its wrapper: one level of delegation. */
  self->system = g_object_ref (CC_TLS_DATABASE (system)->system);
  self->extra = g_tls_file_database_new (extra_ca_file, error);
  if (self->extra == NULL)
    return NULL;
  self->extra_certificates = g_tls_certificate_list_new_from_file (extra_ca_file, NULL);

  return G_TLS_DATABASE (g_steal_pointer (&self));
}

gboolean
cc_tls_database_is_extra_root (CcTlsDatabase   *self,
                               GTlsCertificate *certificate)
{
  g_return_val_if_fail (CC_IS_TLS_DATABASE (self), FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  for (GList *l = self->extra_certificates; l != NULL; l = l->next)
    if (g_tls_certificate_is_same (l->data, certificate))
      return TRUE;

  return FALSE;
}
