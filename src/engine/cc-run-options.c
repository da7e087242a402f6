/* cc-run-options.c: the run configuration shared by the CLI and the window
 * (profile, ICE servers, proxy, timeout, hold), and the one place that turns
 * it into the runner's settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cc-proxy-login.h"
#include "cc-run-options.h"
#include "cc-secrets.h"

CcRunOptions *
cc_run_options_new (void)
{
  return g_new0 (CcRunOptions, 1);
}

CcRunOptions *
cc_run_options_copy (const CcRunOptions *self)
{
  CcRunOptions *copy = cc_run_options_new ();

  g_return_val_if_fail (self != NULL, copy);

  cc_run_options_merge (copy, self);
  return copy;
}

void
cc_run_options_free (CcRunOptions *self)
{
  if (self == NULL)
    return;

  g_free (self->profile_path);
  g_free (self->ice_servers_path);
  /* A proxy URL may carry a password. */
  cc_secrets_clear (&self->proxy);
  g_free (self->proxy_username);
  cc_secrets_clear (&self->proxy_password);
  g_free (self);
}

static void
take_string (char       **field,
             const char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

void
cc_run_options_merge (CcRunOptions       *self,
                      const CcRunOptions *top)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (top != NULL);

  take_string (&self->profile_path, top->profile_path);
  take_string (&self->ice_servers_path, top->ice_servers_path);
  take_string (&self->proxy, top->proxy);
  take_string (&self->proxy_username, top->proxy_username);
  if (top->proxy_password != NULL)
    {
      cc_secrets_clear (&self->proxy_password);
      self->proxy_password = g_strdup (top->proxy_password);
    }
  if (top->timeout_seconds > 0)
    self->timeout_seconds = top->timeout_seconds;
  if (top->hold_seconds > 0)
    self->hold_seconds = top->hold_seconds;
}

static gboolean
is_direct (const char *proxy)
{
  return g_str_equal (proxy, "direct") || g_str_equal (proxy, "none");
}

gboolean
cc_run_options_check_proxy (const char  *proxy,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (proxy != NULL, FALSE);

  if (is_direct (proxy))
    return TRUE;

  uri = g_uri_parse (proxy, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "socks5") != 0 &&
       g_strcmp0 (scheme, "socks4") != 0 && g_strcmp0 (scheme, "socks") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("a proxy is http://host:port (or socks5://host:port, or “direct”)"));
      return FALSE;
    }

  return TRUE;
}

gboolean
cc_run_options_is_direct (const CcRunOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->proxy != NULL && is_direct (self->proxy);
}

/* The proxy the options name: NULL for the system's. */
static GProxyResolver *
base_resolver (const CcRunOptions *self)
{
  if (self->proxy == NULL || self->proxy[0] == '\0')
    return NULL;
  if (is_direct (self->proxy))
    return g_simple_proxy_resolver_new ("direct://", NULL);

  {
    g_autoptr(GUri) uri = g_uri_parse (self->proxy, G_URI_FLAGS_HAS_PASSWORD, NULL);

    /* A proxy's login is a secret like a TURN credential. */
    if (uri != NULL && g_uri_get_password (uri) != NULL)
      cc_secrets_add (g_uri_get_password (uri));
  }
  return g_simple_proxy_resolver_new (self->proxy, NULL);
}

GProxyResolver *
cc_run_options_get_proxy_resolver (const CcRunOptions *self)
{
  g_autoptr(GProxyResolver) base = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  base = base_resolver (self);
  /* A login of its own goes to whatever proxy is used (system or manual). */
  if (self->proxy_username != NULL && self->proxy_username[0] != '\0' &&
      !cc_run_options_is_direct (self))
    return cc_proxy_login_new_adding (base, self->proxy_username, self->proxy_password);

  return g_steal_pointer (&base);
}

void
cc_run_options_configure (const CcRunOptions *self,
                          CcRunner           *runner)
{
  g_autoptr(GProxyResolver) resolver = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (CC_IS_RUNNER (runner));

  if (self->timeout_seconds > 0)
    cc_runner_set_timeout_ms (runner, self->timeout_seconds * 1000);
  cc_runner_set_hold_seconds (runner, self->hold_seconds);
  resolver = cc_run_options_get_proxy_resolver (self);
  if (resolver != NULL)
    cc_runner_set_proxy_resolver (runner, resolver);
}
