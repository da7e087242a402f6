/* cc-tls-info.c: see cc-tls-info.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-tls-info.h"

/* "CN=Lab Inspection CA,O=Example" → "Lab Inspection CA"; else the whole DN. */
static char *
common_name (const char *dn)
{
  const char *cn;
  const char *end;

  if (dn == NULL)
    return NULL;

  cn = strstr (dn, "CN=");
  if (cn == NULL)
    return g_strdup (dn);

  cn += 3;
  end = strchr (cn, ',');
  return end ? g_strndup (cn, end - cn) : g_strdup (cn);
}

char *
cc_tls_issuer_name (GTlsCertificate *certificate)
{
  GTlsCertificate *top = certificate;
  g_autofree char *dn = NULL;

  if (certificate == NULL)
    return NULL;

  while (g_tls_certificate_get_issuer (top) != NULL)
    top = g_tls_certificate_get_issuer (top);

  g_object_get (top, "issuer-name", &dn, NULL);
  return common_name (dn);
}

char *
cc_tls_describe_errors (GTlsCertificateFlags errors)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (words, (gpointer) _("unknown authority"));
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (words, (gpointer) _("issued for another name"));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (words, (gpointer) _("not valid yet"));
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (words, (gpointer) _("expired"));
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (words, (gpointer) _("revoked"));
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (words, (gpointer) _("insecure algorithm"));
  if (errors & G_TLS_CERTIFICATE_GENERIC_ERROR || words->len == 0)
    g_ptr_array_add (words, (gpointer) _("not valid"));

  g_ptr_array_add (words, NULL);
  return g_strjoinv (", ", (char **) words->pdata);
}
