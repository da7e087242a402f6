/* cc-tcp-check.c: a TCP handshake to host:port. Connecting to an https:// URI
 * makes GIO use the same HTTP proxy (CONNECT) a browser would; a bare host:port
 * would bypass it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-connect.h"
#include "cc-tcp-check.h"

struct _CcTcpCheck
{
  CcCheck   parent_instance;

  char     *host;
  guint16   port;
  gboolean  proxied;
};

G_DEFINE_FINAL_TYPE (CcTcpCheck, cc_tcp_check, CC_TYPE_CHECK)

static void
cc_tcp_check_client_event_cb (GSocketClient      *client,
                              GSocketClientEvent  event,
                              GSocketConnectable *connectable,
                              GIOStream          *connection,
                              CcCheck            *check)
{
  cc_check_note_socket_event (check, event);
}

GSocketClient *
cc_tcp_check_new_client (CcCheck *check)
{
  GSocketClient *client = g_socket_client_new ();

  g_signal_connect_object (client, "event", G_CALLBACK (cc_tcp_check_client_event_cb), check, 0);

  if (cc_check_get_proxy_resolver (check) != NULL)
    g_socket_client_set_proxy_resolver (client, cc_check_get_proxy_resolver (check));

  return client;
}

char *
cc_tcp_check_proxy_uri (const char *host,
                        guint16     port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("https://[%s]:%u/", host, port);
  return g_strdup_printf ("https://%s:%u/", host, port);
}

static void
cc_tcp_check_event_cb (GSocketClient      *client,
                       GSocketClientEvent  event,
                       GSocketConnectable *connectable,
                       GIOStream          *connection,
                       CcTcpCheck         *self)
{
  if (event == G_SOCKET_CLIENT_PROXY_NEGOTIATING)
    self->proxied = TRUE;
}

static void
cc_tcp_check_connect_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CcTcpCheck) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *detail = NULL;
  guint attempt = 0;

  g_signal_handlers_disconnect_by_data (object, self);
  connection = cc_connect_finish (G_SOCKET_CLIENT (object), result, &attempt, &error);
  if (connection == NULL)
    {
      cc_check_fail_error (CC_CHECK (self), error);
      return;
    }

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  cc_check_set_address (CC_CHECK (self), address);
  /* Direct, the check lasts its handshake as the kernel timed it; through a
   * proxy (the CONNECT exchange belongs to it too) or after a SYN went
   * unanswered (the wait for an attempt that worked does too), start to end. */
  if (!self->proxied && attempt == 1)
    cc_check_set_measured_duration (CC_CHECK (self),
                                    cc_socket_get_handshake_us (g_socket_connection_get_socket (connection)));
  if (self->proxied)
    detail = g_strdup_printf (_("Connected to %s port %u through the proxy at %s."),
                              self->host, self->port, address ? address : "?");
  else
    detail = g_strdup_printf (_("Connected to %s port %u."), address ? address : self->host, self->port);

  g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  cc_check_pass (CC_CHECK (self), detail);
}

static void
cc_tcp_check_start (CcCheck      *check,
                    GCancellable *cancellable)
{
  CcTcpCheck *self = CC_TCP_CHECK (check);
  g_autoptr(GSocketClient) client = cc_tcp_check_new_client (check);
  g_autofree char *uri = cc_tcp_check_proxy_uri (self->host, self->port);

  g_signal_connect (client, "event", G_CALLBACK (cc_tcp_check_event_cb), self);
  cc_connect_async (client, uri, self->port, cancellable,
                    cc_tcp_check_connect_cb, g_object_ref (self));
}

static void
cc_tcp_check_finalize (GObject *object)
{
  CcTcpCheck *self = CC_TCP_CHECK (object);

  g_free (self->host);

  G_OBJECT_CLASS (cc_tcp_check_parent_class)->finalize (object);
}

static void
cc_tcp_check_class_init (CcTcpCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->finalize = cc_tcp_check_finalize;
  check_class->start = cc_tcp_check_start;
}

static void
cc_tcp_check_init (CcTcpCheck *self)
{
}

CcCheck *
cc_tcp_check_new (const char *host,
                  guint16     port)
{
  CcTcpCheck *self;
  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (CC_TYPE_TCP_CHECK, NULL);
  self->host = g_strdup (host);
  self->port = port;
  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_TCP);
  cc_check_set_target_host_port (CC_CHECK (self), host, port);
  cc_check_set_transport (CC_CHECK (self), "tcp");

  return CC_CHECK (self);
}
