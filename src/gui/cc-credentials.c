/* cc-credentials.c: see cc-credentials.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "cc-credentials.h"

static const SecretSchema *
cc_credentials_schema (void)
{
  static const SecretSchema schema = {
    "com.whereby.ConnectionCheck.TurnCredential", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* The proxy's password, keyed by the proxy user name alone (it serves the
 * system's proxy as well as a manual one). */
static const SecretSchema *
cc_credentials_proxy_schema (void)
{
  static const SecretSchema schema = {
    "com.whereby.ConnectionCheck.ProxyPassword", SECRET_SCHEMA_NONE,
    {
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
cc_credentials_store_async (const char          *url,
                            const char          *username,
                            const char          *credential,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *label = NULL;

  if (url == NULL)
    {
      label = g_strdup_printf (_("Connection Check: proxy password of %s"), username);
      secret_password_store (cc_credentials_proxy_schema (), SECRET_COLLECTION_DEFAULT, label, credential,
                             cancellable, callback, user_data, "username", username, NULL);
      return;
    }

  label = g_strdup_printf (_("Connection Check: TURN credential for %s"), url);
  secret_password_store (cc_credentials_schema (), SECRET_COLLECTION_DEFAULT, label, credential,
                         cancellable, callback, user_data,
                         "url", url, "username", username, NULL);
}

gboolean
cc_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return secret_password_store_finish (result, error);
}

void
cc_credentials_lookup_async (const char          *url,
                             const char          *username,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  if (url == NULL)
    secret_password_lookup (cc_credentials_proxy_schema (), cancellable, callback, user_data,
                            "username", username, NULL);
  else
    secret_password_lookup (cc_credentials_schema (), cancellable, callback, user_data,
                            "url", url, "username", username, NULL);
}

char *
cc_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  char *secret = secret_password_lookup_finish (result, error);
  char *copy = g_strdup (secret);

  /* libsecret's copy lives in non-pageable memory and is wiped when freed. */
  secret_password_free (secret);
  return copy;
}
