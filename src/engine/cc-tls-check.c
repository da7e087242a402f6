/* cc-tls-check.c: connects (through the proxy a browser would use), then does the
 * TLS handshake itself so that a rejected certificate is seen, named by its
 * issuer and described, instead of GSocketClient quietly trying the next address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-connect.h"
#include "cc-tcp-check.h"
#include "cc-tls-check.h"
#include "cc-tls-info.h"
#include "cc-tls-roots.h"
#include "cc-websocket-check.h"

struct _CcTlsCheck
{
  CcCheck               parent_instance;

  char                 *host;
  guint16               port;
  GIOStream            *tls;
  GCancellable         *cancellable;
  GTlsCertificateFlags  rejected;
  gboolean              saw_rejection;

  /* With a probe: when the chain is anchored at a private root (inspection),
   * whether WebSockets get through it. */
  CcCheck              *probe;
  char                 *handshake_detail;
};

G_DEFINE_FINAL_TYPE (CcTlsCheck, cc_tls_check, CC_TYPE_CHECK)

static gboolean
cc_tls_check_accept_certificate_cb (GTlsConnection       *connection,
                                    GTlsCertificate      *certificate,
                                    GTlsCertificateFlags  errors,
                                    CcTlsCheck           *self)
{
  g_autofree char *issuer = cc_tls_issuer_name (certificate);

  cc_check_set_tls_issuer (CC_CHECK (self), issuer);
  cc_check_set_tls_errors (CC_CHECK (self), errors);
  self->rejected = errors;
  self->saw_rejection = TRUE;
  return FALSE;
}

static const char *
protocol_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_TLS_1_0: return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1: return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2: return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3: return "TLS 1.3";
    default: return "TLS";
    }
}

static void
cc_tls_check_probe_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CcTlsCheck) self = user_data;
  CcCheck *probe = CC_CHECK (object);
  g_autofree char *detail = NULL;

  cc_check_run_finish (probe, result, NULL);
  if (cc_check_is_done (CC_CHECK (self)))
    return;

  if (cc_check_get_status (probe) == CC_STATUS_PASS)
    {
      detail = g_strdup_printf (_("%s WebSocket connections get through it."), self->handshake_detail);
      cc_check_warn (CC_CHECK (self), CC_ERROR_NONE, detail);
      return;
    }

  cc_check_set_http_status (CC_CHECK (self), cc_check_get_http_status (probe));
  detail = g_strdup_printf (_("%s A WebSocket through it fails: %s"), self->handshake_detail,
                            cc_check_get_detail (probe) ? cc_check_get_detail (probe) : "");
  cc_check_fail (CC_CHECK (self), cc_check_get_error (probe), detail);
}

static void
cc_tls_check_handshake_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(CcTlsCheck) self = user_data;
  GTlsConnection *tls = G_TLS_CONNECTION (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (!g_tls_connection_handshake_finish (tls, result, &error))
    {
      /* Rejected, broken or stopped (also by a stopped run): the connection
       * closes now, not when the check is finalized. */
      g_io_stream_close_async (G_IO_STREAM (tls), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      if (self->saw_rejection)
        {
          g_autofree char *what = cc_tls_describe_errors (self->rejected);
          const char *issuer = cc_check_get_tls_issuer (CC_CHECK (self));

          detail = g_strdup_printf (_("The certificate for %s was issued by “%s”, which this device does not accept (%s). Something between you and the server may be inspecting HTTPS, or the server is misconfigured."),
                                    self->host, issuer ? issuer : _("an unknown issuer"), what);
          cc_check_fail (CC_CHECK (self), CC_ERROR_TLS_UNTRUSTED, detail);
        }
      else
        cc_check_fail_error (CC_CHECK (self), error);
      return;
    }

  {
    GTlsCertificate *peer = g_tls_connection_get_peer_certificate (tls);
    g_autofree char *issuer = cc_tls_issuer_name (peer);
    g_autofree char *root_name = NULL;
    CcTlsRoot root = cc_tls_classify_chain (cc_check_get_tls_database (CC_CHECK (self)), peer, &root_name);

    cc_check_set_tls_issuer (CC_CHECK (self), issuer);
    cc_check_set_tls_root (CC_CHECK (self), root);
    if (root == CC_TLS_ROOT_PRIVATE)
      detail = g_strdup_printf (_("%s handshake with %s; the certificate was issued by “%s”, a certificate authority installed on this device and not a public one: something inspects HTTPS."),
                                protocol_name (g_tls_connection_get_protocol_version (tls)),
                                self->host, issuer ? issuer : "?");
    else
      detail = g_strdup_printf (_("%s handshake with %s; certificate issued by “%s”."),
                                protocol_name (g_tls_connection_get_protocol_version (tls)),
                                self->host, issuer ? issuer : "?");

    g_io_stream_close_async (G_IO_STREAM (tls), G_PRIORITY_DEFAULT, NULL, NULL, NULL);

    if (root == CC_TLS_ROOT_PRIVATE && self->probe != NULL)
      {
        self->handshake_detail = g_steal_pointer (&detail);
        cc_check_set_tls_database (self->probe, cc_check_get_tls_database (CC_CHECK (self)));
        cc_check_set_proxy_resolver (self->probe, cc_check_get_proxy_resolver (CC_CHECK (self)));
        /* The probe gets the per-check time of its own, and this check a little more. */
        cc_check_set_timeout_ms (self->probe, cc_check_get_timeout_ms (CC_CHECK (self)));
        cc_check_restart_deadline (CC_CHECK (self), cc_check_get_timeout_ms (CC_CHECK (self)) + 500);
        cc_check_run_async (self->probe, self->cancellable, cc_tls_check_probe_cb, g_object_ref (self));
        return;
      }
  }

  cc_check_pass (CC_CHECK (self), detail);
}

static void
cc_tls_check_connect_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CcTlsCheck) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database;

  connection = cc_connect_finish (G_SOCKET_CLIENT (object), result, NULL, &error);
  if (connection == NULL)
    {
      cc_check_fail_error (CC_CHECK (self), error);
      return;
    }

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_autofree char *address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
      cc_check_set_address (CC_CHECK (self), address);
    }

  identity = g_network_address_new (self->host, self->port);
  self->tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (self->tls == NULL)
    {
      cc_check_fail_error (CC_CHECK (self), error);
      return;
    }

  database = cc_check_get_tls_database (CC_CHECK (self));
  if (database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (self->tls), database);

  g_signal_connect (self->tls, "accept-certificate",
                    G_CALLBACK (cc_tls_check_accept_certificate_cb), self);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (self->tls), G_PRIORITY_DEFAULT,
                                    self->cancellable, cc_tls_check_handshake_cb, g_object_ref (self));
}

static void
cc_tls_check_start (CcCheck      *check,
                    GCancellable *cancellable)
{
  CcTlsCheck *self = CC_TLS_CHECK (check);
  g_autoptr(GSocketClient) client = cc_tcp_check_new_client (check);
  g_autofree char *uri = cc_tcp_check_proxy_uri (self->host, self->port);

  g_set_object (&self->cancellable, cancellable);
  cc_connect_async (client, uri, self->port, cancellable,
                    cc_tls_check_connect_cb, g_object_ref (self));
}

static void
cc_tls_check_dispose (GObject *object)
{
  CcTlsCheck *self = CC_TLS_CHECK (object);

  if (self->tls != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tls, self);
      g_io_stream_close (self->tls, NULL, NULL);
      g_clear_object (&self->tls);
    }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->probe);

  G_OBJECT_CLASS (cc_tls_check_parent_class)->dispose (object);
}

static void
cc_tls_check_finalize (GObject *object)
{
  CcTlsCheck *self = CC_TLS_CHECK (object);

  g_free (self->host);
  g_free (self->handshake_detail);

  G_OBJECT_CLASS (cc_tls_check_parent_class)->finalize (object);
}

static void
cc_tls_check_class_init (CcTlsCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->dispose = cc_tls_check_dispose;
  object_class->finalize = cc_tls_check_finalize;
  check_class->start = cc_tls_check_start;
}

static void
cc_tls_check_init (CcTlsCheck *self)
{
}

CcCheck *
cc_tls_check_new (const char *host,
                  guint16     port)
{
  CcTlsCheck *self;
  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (CC_TYPE_TLS_CHECK, NULL);
  self->host = g_strdup (host);
  self->port = port;
  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_TLS);
  cc_check_set_target_host_port (CC_CHECK (self), host, port);
  cc_check_set_transport (CC_CHECK (self), "tls");

  return CC_CHECK (self);
}

void
cc_tls_check_set_inspection_probe (CcTlsCheck *self,
                                   const char *url,
                                   CcRoundTrip round_trip,
                                   const char *subprotocol)
{
  g_return_if_fail (CC_IS_TLS_CHECK (self));
  g_return_if_fail (url != NULL);

  g_clear_object (&self->probe);
  self->probe = cc_websocket_check_new (url, round_trip, subprotocol, 0);
}
