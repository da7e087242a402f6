/* cc-proxy-login.c: see cc-proxy-login.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-proxy-login.h"
#include "cc-secrets.h"

typedef struct
{
  char *username;
  char *password;
} Login;

struct _CcProxyLogin
{
  GObject         parent_instance;

  GProxyResolver *inner;
  GHashTable     *logins;   /* "host:port" → Login */
  Login          *adding;   /* cc_proxy_login_new_adding()'s login, or NULL */
  GMutex          mutex;    /* libsoup may resolve from its own thread */
};

static void cc_proxy_login_resolver_iface_init (GProxyResolverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CcProxyLogin, cc_proxy_login, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_PROXY_RESOLVER,
                                                      cc_proxy_login_resolver_iface_init))

static void
login_free (Login *login)
{
  g_free (login->username);
  cc_secrets_free (login->password);
  g_free (login);
}

static char *
authority (const char *host,
           int         port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host, port);
}

/* Each proxy URL without its login; the login is kept for the 407. */
static char **
strip_logins (CcProxyLogin  *self,
              char         **proxies)
{
  for (guint i = 0; proxies != NULL && proxies[i] != NULL; i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (proxies[i], G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
      g_autoptr(GUri) bare = NULL;

      if (uri == NULL || g_uri_get_user (uri) == NULL || g_uri_get_host (uri) == NULL)
        continue;

      {
        Login *login = g_new0 (Login, 1);
        g_autofree char *user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
        g_autofree char *password = g_uri_get_password (uri)
                                    ? g_uri_unescape_string (g_uri_get_password (uri), NULL) : NULL;

        login->username = g_steal_pointer (&user);
        login->password = password ? g_steal_pointer (&password) : g_strdup ("");
        cc_secrets_add (login->password);
        g_mutex_lock (&self->mutex);
        g_hash_table_replace (self->logins, authority (g_uri_get_host (uri), g_uri_get_port (uri)), login);
        g_mutex_unlock (&self->mutex);
      }

      bare = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                          g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
      cc_secrets_free (proxies[i]);
      proxies[i] = g_uri_to_string (bare);
    }

  return proxies;
}

/* Each proxy URL with the login of cc_proxy_login_new_adding(), where it has
 * none of its own. */
static char **
add_logins (CcProxyLogin  *self,
            char         **proxies)
{
  for (guint i = 0; proxies != NULL && proxies[i] != NULL; i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (proxies[i], G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
      g_autoptr(GUri) with_login = NULL;

      if (uri == NULL || g_uri_get_user (uri) != NULL || g_uri_get_host (uri) == NULL ||
          g_uri_get_host (uri)[0] == '\0')
        continue;

      /* Not ENCODED: g_uri_to_string() escapes what the login holds. */
      with_login = g_uri_build_with_user (G_URI_FLAGS_HAS_PASSWORD, g_uri_get_scheme (uri),
                                          self->adding->username, self->adding->password, NULL,
                                          g_uri_get_host (uri), g_uri_get_port (uri),
                                          g_uri_get_path (uri), NULL, NULL);
      g_free (proxies[i]);
      proxies[i] = g_uri_to_string (with_login);
    }

  return proxies;
}

/* What this resolver hands out of @inner's answer. */
static char **
pass_on (CcProxyLogin  *self,
         char         **proxies)
{
  return self->adding ? add_logins (self, proxies) : strip_logins (self, proxies);
}

static GProxyResolver *
cc_proxy_login_get_inner (CcProxyLogin *self)
{
  return self->inner ? self->inner : g_proxy_resolver_get_default ();
}

static gboolean
cc_proxy_login_is_supported (GProxyResolver *resolver)
{
  return g_proxy_resolver_is_supported (cc_proxy_login_get_inner (CC_PROXY_LOGIN (resolver)));
}

static char **
cc_proxy_login_lookup (GProxyResolver  *resolver,
                       const char      *uri,
                       GCancellable    *cancellable,
                       GError         **error)
{
  CcProxyLogin *self = CC_PROXY_LOGIN (resolver);

  return pass_on (self, g_proxy_resolver_lookup (cc_proxy_login_get_inner (self), uri,
                                                 cancellable, error));
}

static void
cc_proxy_login_lookup_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char **proxies = g_proxy_resolver_lookup_finish (G_PROXY_RESOLVER (object), result, &error);

  if (proxies == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pass_on (g_task_get_source_object (task), proxies),
                           (GDestroyNotify) g_strfreev);
}

static void
cc_proxy_login_lookup_async (GProxyResolver      *resolver,
                             const char          *uri,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CcProxyLogin *self = CC_PROXY_LOGIN (resolver);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, cc_proxy_login_lookup_async);
  g_proxy_resolver_lookup_async (cc_proxy_login_get_inner (self), uri, cancellable,
                                 cc_proxy_login_lookup_cb, task);
}

static char **
cc_proxy_login_lookup_finish (GProxyResolver  *resolver,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The proxy asked for a login: give the one from its URL, once. A second 407
 * (retrying) means the proxy refused it; the check then reports that. */
static gboolean
cc_proxy_login_authenticate_cb (SoupMessage  *message,
                                SoupAuth     *auth,
                                gboolean      retrying,
                                CcProxyLogin *self)
{
  Login *login;
  gboolean answered = FALSE;

  if (!soup_auth_is_for_proxy (auth) || retrying)
    return FALSE;

  g_mutex_lock (&self->mutex);
  login = g_hash_table_lookup (self->logins, soup_auth_get_authority (auth));
  if (login != NULL)
    {
      soup_auth_authenticate (auth, login->username, login->password);
      answered = TRUE;
    }
  g_mutex_unlock (&self->mutex);

  return answered;
}

static void
cc_proxy_login_request_queued_cb (SoupSession  *session,
                                  SoupMessage  *message,
                                  CcProxyLogin *self)
{
  g_signal_connect_object (message, "authenticate", G_CALLBACK (cc_proxy_login_authenticate_cb),
                           self, 0);
}

static void
cc_proxy_login_finalize (GObject *object)
{
  CcProxyLogin *self = CC_PROXY_LOGIN (object);

  g_clear_object (&self->inner);
  g_clear_pointer (&self->logins, g_hash_table_unref);
  g_clear_pointer (&self->adding, login_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cc_proxy_login_parent_class)->finalize (object);
}

static void
cc_proxy_login_resolver_iface_init (GProxyResolverInterface *iface)
{
  iface->is_supported = cc_proxy_login_is_supported;
  iface->lookup = cc_proxy_login_lookup;
  iface->lookup_async = cc_proxy_login_lookup_async;
  iface->lookup_finish = cc_proxy_login_lookup_finish;
}

static void
cc_proxy_login_class_init (CcProxyLoginClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_proxy_login_finalize;
}

static void
cc_proxy_login_init (CcProxyLogin *self)
{
  self->logins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) login_free);
  g_mutex_init (&self->mutex);
}

GProxyResolver *
cc_proxy_login_new (GProxyResolver *inner)
{
  CcProxyLogin *self = g_object_new (CC_TYPE_PROXY_LOGIN, NULL);

  g_return_val_if_fail (inner == NULL || G_IS_PROXY_RESOLVER (inner), NULL);

  self->inner = inner ? g_object_ref (inner) : NULL;
  return G_PROXY_RESOLVER (self);
}

GProxyResolver *
cc_proxy_login_new_adding (GProxyResolver *inner,
                           const char     *username,
                           const char     *password)
{
  CcProxyLogin *self;

  g_return_val_if_fail (inner == NULL || G_IS_PROXY_RESOLVER (inner), NULL);
  g_return_val_if_fail (username != NULL && username[0] != '\0', NULL);

  self = CC_PROXY_LOGIN (cc_proxy_login_new (inner));
  self->adding = g_new0 (Login, 1);
  self->adding->username = g_strdup (username);
  self->adding->password = g_strdup (password ? password : "");
  cc_secrets_add (self->adding->password);
  {
    /* As the proxy URLs it is written into carry it. */
    g_autofree char *escaped = g_uri_escape_string (self->adding->password,
                                                    G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS, FALSE);

    cc_secrets_add (escaped);
    cc_secrets_clear (&escaped);
  }
  return G_PROXY_RESOLVER (self);
}

void
cc_proxy_login_install (CcProxyLogin *self,
                        SoupSession  *session)
{
  g_return_if_fail (CC_IS_PROXY_LOGIN (self));
  g_return_if_fail (self->adding == NULL);
  g_return_if_fail (SOUP_IS_SESSION (session));

  soup_session_set_proxy_resolver (session, G_PROXY_RESOLVER (self));
  g_signal_connect_object (session, "request-queued", G_CALLBACK (cc_proxy_login_request_queued_cb),
                           self, 0);
}
