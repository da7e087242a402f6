/* cc-tls-roots.c: see cc-tls-roots.h.
 *
 * The public roots are read once, as DER, straight from their PEM files (no
 * parsing beyond base64: 140 files take a few milliseconds), and compared byte
 * for byte with the chain's anchor as the trust store found it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-tls-database.h"
#include "cc-tls-info.h"
#include "cc-tls-roots.h"

#define CC_PUBLIC_ROOTS_DEFAULT "/usr/share/ca-certificates/mozilla"
/* A root file is a few kilobytes; a bundle a few hundred. */
#define CC_ROOT_FILE_MAX (4 * 1024 * 1024)
#define CC_ROOT_FILES_MAX 4096

const char *
cc_tls_root_to_string (CcTlsRoot root)
{
  switch (root)
    {
    case CC_TLS_ROOT_PUBLIC: return "public";
    case CC_TLS_ROOT_PROFILE: return "profile";
    case CC_TLS_ROOT_PRIVATE: return "private";
    case CC_TLS_ROOT_UNKNOWN:
    default: return "unknown";
    }
}

static void
add_pem_file (GHashTable *roots,
              const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *begin_marker = "-----BEGIN CERTIFICATE-----";
  const char *end_marker = "-----END CERTIFICATE-----";
  const char *p;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length > CC_ROOT_FILE_MAX)
    return;

  p = contents;
  while ((p = strstr (p, begin_marker)) != NULL)
    {
      const char *end = strstr (p, end_marker);
      g_autofree char *base64 = NULL;
      guchar *der;
      gsize der_length = 0;

      if (end == NULL)
        break;
      p += strlen (begin_marker);
      base64 = g_strndup (p, end - p);
      der = g_base64_decode (base64, &der_length);
      if (der_length > 0)
        g_hash_table_add (roots, g_bytes_new_take (der, der_length));
      else
        g_free (der);
      p = end + strlen (end_marker);
    }
}

static void
add_path (GHashTable *roots,
          const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint files = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      add_pem_file (roots, path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && files++ < CC_ROOT_FILES_MAX)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      if (g_str_has_suffix (name, ".crt") || g_str_has_suffix (name, ".pem"))
        add_pem_file (roots, file);
    }
}

/* (transfer none): the public roots as a set of DER GBytes; empty when unknown. */
static GHashTable *
public_roots (void)
{
  static gsize initialized = 0;
  static GHashTable *roots = NULL;

  if (g_once_init_enter (&initialized))
    {
      const char *env = g_getenv ("CC_PUBLIC_ROOTS");
      g_auto(GStrv) paths = g_strsplit (env != NULL && env[0] != '\0' ? env : CC_PUBLIC_ROOTS_DEFAULT,
                                        ":", -1);

      roots = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                     (GDestroyNotify) g_bytes_unref, NULL);
      for (guint i = 0; paths[i] != NULL; i++)
        if (paths[i][0] != '\0')
          add_path (roots, paths[i]);

      g_once_init_leave (&initialized, 1);
    }

  return roots;
}

/* Set once both are read; never cleared (they are kept for the process). */
static gint warm;

void
cc_tls_warm_up (void)
{
  g_autoptr(GTlsDatabase) system = NULL;

  /* Parsed once and kept by cc-tls-database.c; this reference only makes
   * sure it happens now. */
  system = cc_tls_database_get_system ();
  public_roots ();
  g_atomic_int_set (&warm, TRUE);
}

gboolean
cc_tls_is_warm (void)
{
  return g_atomic_int_get (&warm);
}

static void
warm_up_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  cc_tls_warm_up ();
  g_task_return_boolean (task, TRUE);
}

void
cc_tls_warm_up_async (GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, cc_tls_warm_up_async);
  g_task_run_in_thread (task, warm_up_thread);
}

void
cc_tls_warm_up_finish (GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, NULL));

  g_task_propagate_boolean (G_TASK (result), NULL);
}

static GBytes *
der_of (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_bytes_new (der->data, der->len);
}

static gboolean
is_self_issued (GTlsCertificate *certificate)
{
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;

  g_object_get (certificate, "subject-name", &subject, "issuer-name", &issuer, NULL);
  return subject != NULL && g_strcmp0 (subject, issuer) == 0;
}

CcTlsRoot
cc_tls_classify_chain (GTlsDatabase     *database,
                       GTlsCertificate  *peer,
                       char            **root_name)
{
  GTlsCertificate *top = peer;
  g_autoptr(GTlsCertificate) anchor = NULL;
  g_autoptr(GBytes) der = NULL;
  GHashTable *roots;

  if (root_name != NULL)
    *root_name = NULL;
  if (peer == NULL)
    return CC_TLS_ROOT_UNKNOWN;

  /* Bounded by the chain the server sent (GIO builds it from the handshake). */
  while (g_tls_certificate_get_issuer (top) != NULL)
    top = g_tls_certificate_get_issuer (top);

  if (database == NULL)
    database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  else
    g_object_ref (database);

  /* Up to the self-issued root: a trust store may hold intermediates too. */
  anchor = g_object_ref (top);
  for (guint depth = 0; depth < 8 && !is_self_issued (anchor) && database != NULL; depth++)
    {
      GTlsCertificate *issuer = g_tls_database_lookup_certificate_issuer (database, anchor, NULL,
                                                                           G_TLS_DATABASE_LOOKUP_NONE,
                                                                           NULL, NULL);
      if (issuer == NULL)
        {
          if (anchor == top)
            g_clear_object (&anchor);
          break;
        }
      g_set_object (&anchor, issuer);
      g_object_unref (issuer);
    }

  if (anchor == NULL)
    {
      g_clear_object (&database);
      return CC_TLS_ROOT_UNKNOWN;
    }

  if (root_name != NULL)
    *root_name = cc_tls_issuer_name (anchor);

  if (CC_IS_TLS_DATABASE (database) && cc_tls_database_is_extra_root (CC_TLS_DATABASE (database), anchor))
    {
      g_clear_object (&database);
      return CC_TLS_ROOT_PROFILE;
    }
  g_clear_object (&database);

  roots = public_roots ();
  if (g_hash_table_size (roots) == 0)
    return CC_TLS_ROOT_UNKNOWN;

  der = der_of (anchor);
  if (der != NULL && g_hash_table_contains (roots, der))
    return CC_TLS_ROOT_PUBLIC;

  return CC_TLS_ROOT_PRIVATE;
}
