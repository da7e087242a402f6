/* cc-stun-channel-open.c: how a STUN channel (cc-stun-channel.c) reaches its
 * server. UDP: the name is resolved (IPv4 first) and the socket connected, so
 * the kernel filters other senders and reports ICMP errors. TCP and TLS:
 * through the proxy a browser would use, as WebRTC does for TURN over TCP and
 * TLS, with cc-connect.c's attempts beside a first SYN that goes unanswered;
 * then TCP_NODELAY, and for TLS our own handshake (GSocketClient's TLS mode
 * leaks, PITFALLS.md) on a stream that keeps the kernel's receive stamps
 * (cc-stamped-stream.c). A certificate the check's TLS database does not
 * accept fails the opening with its issuer and what is wrong with it. The
 * server's address and certificate issuer are recorded on the check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-connect.h"
#include "cc-stun-channel-private.h"
#include "cc-tcp-check.h"
#include "cc-tls-info.h"
#include "cc-util.h"

/* Whether the channel was closed while @task, its opening, was under way; if
 * so, @task has returned (cc_stun_channel_close() cancelled its cancellable). */
static gboolean
cc_stun_channel_open_abandoned (GTask *task)
{
  CcStunChannel *self = g_task_get_source_object (task);

  if (!self->closed)
    return FALSE;

  g_task_return_error_if_cancelled (task);
  return TRUE;
}

static void
cc_stun_channel_opened (GTask *task)
{
  CcStunChannel *self = g_task_get_source_object (task);

  cc_stun_channel_begin_reading (self);
  g_task_return_boolean (task, TRUE);
}

static gboolean
cc_stun_channel_accept_certificate_cb (GTlsConnection       *connection,
                                       GTlsCertificate      *certificate,
                                       GTlsCertificateFlags  errors,
                                       CcStunChannel        *self)
{
  g_autofree char *issuer = cc_tls_issuer_name (certificate);
  g_autofree char *what = cc_tls_describe_errors (errors);

  if (self->closed)
    return FALSE;

  cc_check_set_tls_issuer (self->check, issuer);
  cc_check_set_tls_errors (self->check, errors);
  g_clear_error (&self->tls_error);
  self->tls_error = g_error_new (CC_ERROR, CC_ERROR_TLS_UNTRUSTED,
                                 _("The relay’s certificate was issued by “%s”, which this device does not accept (%s)."),
                                 issuer ? issuer : _("an unknown issuer"), what);
  return FALSE;
}

static void
cc_stun_channel_handshake_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CcStunChannel *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;

  self->stream_ops--;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      /* A refused certificate says why; the handshake's own error only that
       * it failed. */
      if (!cc_stun_channel_open_abandoned (task))
        g_task_return_error (task, self->tls_error != NULL ? g_steal_pointer (&self->tls_error)
                                                           : g_steal_pointer (&error));
      cc_stun_channel_close_stream (self);
      return;
    }

  if (cc_stun_channel_open_abandoned (task))
    {
      cc_stun_channel_close_stream (self);
      return;
    }

  issuer = cc_tls_issuer_name (g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (object)));
  cc_check_set_tls_issuer (self->check, issuer);
  cc_stun_channel_opened (task);
}

static void
cc_stun_channel_connect_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CcStunChannel *self = g_task_get_source_object (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database;
  GSocket *socket;

  connection = cc_connect_finish (G_SOCKET_CLIENT (object), result, NULL, &error);
  if (cc_stun_channel_open_abandoned (task))
    return;
  if (connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  remote = g_socket_connection_get_remote_address (connection, NULL);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_autofree char *address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

      cc_check_set_address (self->check, address);
    }

  /* Each request goes out when it is sent, not when the last one is ACKed. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  if (self->transport == CC_TRANSPORT_TCP)
    {
      self->stream = G_IO_STREAM (g_steal_pointer (&connection));
      cc_stun_channel_opened (task);
      return;
    }

  identity = g_network_address_new (self->host, self->port);
  /* TLS on a stream that knows when the kernel received each read: the
   * answers' moments are the network's, as over UDP and plain TCP. */
  socket = cc_stun_channel_plain_socket (G_IO_STREAM (connection));
  if (socket != NULL)
    {
      g_autoptr(GIOStream) stamped = cc_stamped_stream_new (G_IO_STREAM (connection), socket);

      g_set_object (&self->stamped, CC_STAMPED_STREAM (stamped));
      self->stream = g_tls_client_connection_new (stamped, identity, &error);
    }
  else
    self->stream = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  if (self->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  database = cc_check_get_tls_database (self->check);
  if (database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (self->stream), database);
  g_signal_connect (self->stream, "accept-certificate",
                    G_CALLBACK (cc_stun_channel_accept_certificate_cb), self);

  self->stream_ops++;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (self->stream), G_PRIORITY_DEFAULT,
                                    self->cancellable, cc_stun_channel_handshake_cb,
                                    g_steal_pointer (&task));
}

static void
cc_stun_channel_resolve_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CcStunChannel *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) server = NULL;
  g_autofree char *text = NULL;
  GList *addresses;
  GInetAddress *chosen;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);
  if (cc_stun_channel_open_abandoned (task))
    {
      g_resolver_free_addresses (addresses);
      return;
    }
  cc_check_set_resolving (self->check, FALSE);
  if (addresses == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  chosen = cc_pick_address (addresses);

  text = g_inet_address_to_string (chosen);
  cc_check_set_address (self->check, text);
  server = g_inet_socket_address_new (chosen, self->port);

  self->socket = g_socket_new (g_inet_address_get_family (chosen), G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_resolver_free_addresses (addresses);

  if (self->socket == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Connected, so the kernel filters other senders and reports ICMP errors. */
  g_socket_set_blocking (self->socket, FALSE);
  cc_socket_enable_receive_timestamps (self->socket);
  if (!g_socket_connect (self->socket, server, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cc_stun_channel_opened (task);
}

void
cc_stun_channel_open_async (CcStunChannel       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CC_IS_STUN_CHANNEL (self));
  g_return_if_fail (self->cancellable == NULL && !self->closed);

  /* The channel's own when none is given: closing cancels it, which ends
   * whatever is under way. */
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_stun_channel_open_async);

  if (self->transport == CC_TRANSPORT_UDP)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      cc_check_set_resolving (self->check, TRUE);
      g_resolver_lookup_by_name_async (resolver, self->host, self->cancellable,
                                       cc_stun_channel_resolve_cb, g_steal_pointer (&task));
    }
  else
    {
      /* Through the HTTP proxy a browser would use, as WebRTC does for TURN
       * over TCP and TLS. */
      g_autoptr(GSocketClient) client = cc_tcp_check_new_client (self->check);
      g_autofree char *uri = cc_tcp_check_proxy_uri (self->host, self->port);

      cc_connect_async (client, uri, self->port, self->cancellable,
                        cc_stun_channel_connect_cb, g_steal_pointer (&task));
    }
}

gboolean
cc_stun_channel_open_finish (CcStunChannel  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (CC_IS_STUN_CHANNEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
