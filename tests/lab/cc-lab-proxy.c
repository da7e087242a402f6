/* cc-lab-proxy.c: see cc-lab-proxy.h. Only ever connects to 127.0.0.1: a CONNECT
 * to anything else is refused with 403, so a test can't leak traffic through it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "cc-lab-proxy.h"
#include "cc-lab.h"

/* A request head larger than this is not a CONNECT we answer. */
#define PROXY_MAX_HEAD 8192

struct _CcLabProxy
{
  GSocketService *service;
  GPtrArray      *tunnels;    /* Tunnel */
  guint16         port;
  guint           count;
  guint           refused;    /* CONNECTs answered 407 */
  guint           to_self;    /* CONNECTs to the proxy's own port */
  gboolean        require_auth;
  char           *login;      /* "Basic …" accepted, or NULL: none */
};

typedef struct
{
  CcLabProxy        *proxy;
  GSocketConnection *client;
  GSocketConnection *upstream;
  GCancellable      *cancellable;
  GString           *head;
  guint8             buffer[4096];
} Tunnel;

/* Tunnels are reference counted: every operation under way holds one, so a
 * callback that comes after the proxy was freed finds its tunnel still there. */
static void
tunnel_clear (Tunnel *tunnel)
{
  g_clear_object (&tunnel->client);
  g_clear_object (&tunnel->upstream);
  g_clear_object (&tunnel->cancellable);
  if (tunnel->head != NULL)
    g_string_free (tunnel->head, TRUE);
}

static Tunnel *
tunnel_ref (Tunnel *tunnel)
{
  return g_rc_box_acquire (tunnel);
}

static void
tunnel_unref (Tunnel *tunnel)
{
  g_rc_box_release_full (tunnel, (GDestroyNotify) tunnel_clear);
}

/* The proxy lets go of a tunnel: it stops, whatever is under way. */
static void
tunnel_stop (Tunnel *tunnel)
{
  g_cancellable_cancel (tunnel->cancellable);
  if (tunnel->client != NULL)
    g_io_stream_close (G_IO_STREAM (tunnel->client), NULL, NULL);
  if (tunnel->upstream != NULL)
    g_io_stream_close (G_IO_STREAM (tunnel->upstream), NULL, NULL);
  tunnel->proxy = NULL;
  tunnel_unref (tunnel);
}

static void
answer (Tunnel     *tunnel,
        const char *status_line)
{
  g_autofree char *text = g_strdup_printf ("%s\r\nContent-Length: 0\r\n\r\n", status_line);

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (tunnel->client)),
                             text, strlen (text), NULL, NULL, NULL);
}

/* One direction of the tunnel has ended: the other goes too. */
static void
pump_done (gpointer data)
{
  Tunnel *tunnel = data;

  g_cancellable_cancel (tunnel->cancellable);
  tunnel_unref (tunnel);
}

static void
splice (Tunnel        *tunnel,
        GInputStream  *from,
        GOutputStream *to)
{
  cc_lab_pump (from, to, G_MAXSIZE, FALSE, tunnel->cancellable, NULL, pump_done, tunnel_ref (tunnel));
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Tunnel *tunnel = user_data;
  GSocketConnection *upstream = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, NULL);

  if (tunnel->proxy == NULL || upstream == NULL)
    {
      if (tunnel->proxy != NULL)
        answer (tunnel, "HTTP/1.1 502 Bad Gateway");
      g_clear_object (&upstream);
      tunnel_unref (tunnel);
      return;
    }

  tunnel->upstream = upstream;
  tunnel->proxy->count++;
  answer (tunnel, "HTTP/1.1 200 Connection established");
  splice (tunnel, g_io_stream_get_input_stream (G_IO_STREAM (tunnel->client)),
          g_io_stream_get_output_stream (G_IO_STREAM (tunnel->upstream)));
  splice (tunnel, g_io_stream_get_input_stream (G_IO_STREAM (tunnel->upstream)),
          g_io_stream_get_output_stream (G_IO_STREAM (tunnel->client)));
  tunnel_unref (tunnel);
}

/* Whether the request head carries "Proxy-Authorization: @login". */
static gboolean
has_login (const char *head,
           const char *login)
{
  g_auto(GStrv) lines = NULL;

  if (login == NULL)
    return FALSE;

  lines = g_strsplit (head, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && colon - lines[i] == strlen ("Proxy-Authorization") &&
          g_ascii_strncasecmp (lines[i], "Proxy-Authorization", colon - lines[i]) == 0)
        {
          g_autofree char *value = g_strstrip (g_strdup (colon + 1));

          if (g_str_equal (value, login))
            return TRUE;
        }
    }

  return FALSE;
}

/* Answers the request head; TRUE when the answer was final (an error) and the
 * connection stays open for the client's next request, as HTTP/1.1 proxies
 * keep it (a client retries a 407 with its login on the same connection). */
static gboolean
handle_head (Tunnel *tunnel)
{
  g_auto(GStrv) words = g_strsplit (tunnel->head->str, " ", 3);
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) target = NULL;

  if (g_strv_length (words) < 3 || !g_str_equal (words[0], "CONNECT"))
    {
      answer (tunnel, "HTTP/1.1 405 Method Not Allowed");
      return TRUE;
    }

  if (tunnel->proxy->require_auth && !has_login (tunnel->head->str, tunnel->proxy->login))
    {
      tunnel->proxy->refused++;
      answer (tunnel, "HTTP/1.1 407 Proxy Authentication Required\r\n"
                      "Proxy-Authenticate: Basic realm=\"lab\"");
      return TRUE;
    }

  target = g_network_address_parse (words[1], 443, NULL);
  if (target != NULL && g_network_address_get_port (G_NETWORK_ADDRESS (target)) == tunnel->proxy->port)
    {
      tunnel->proxy->to_self++;
      answer (tunnel, "HTTP/1.1 403 Forbidden");
      return TRUE;
    }
  if (target == NULL || !g_str_equal (g_network_address_get_hostname (G_NETWORK_ADDRESS (target)), "127.0.0.1"))
    {
      answer (tunnel, "HTTP/1.1 403 Forbidden");
      return TRUE;
    }

  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, target, tunnel->cancellable, connected_cb, tunnel_ref (tunnel));
  return FALSE;
}

static void
head_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Tunnel *tunnel = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0 || tunnel->proxy == NULL)
    {
      tunnel_unref (tunnel);
      return;
    }

  g_string_append_len (tunnel->head, (const char *) tunnel->buffer, n);
  if (strstr (tunnel->head->str, "\r\n\r\n") != NULL)
    {
      if (handle_head (tunnel))
        {
          /* The next request on the same connection (a CONNECT has no body). */
          const char *end = strstr (tunnel->head->str, "\r\n\r\n") + 4;

          g_string_erase (tunnel->head, 0, end - tunnel->head->str);
          if (strstr (tunnel->head->str, "\r\n\r\n") == NULL)
            {
              g_input_stream_read_async (G_INPUT_STREAM (object), tunnel->buffer, sizeof tunnel->buffer,
                                         G_PRIORITY_DEFAULT, tunnel->cancellable, head_read_cb, tunnel);
              return;
            }
          /* Two pipelined heads: not what a client does before an answer. */
          answer (tunnel, "HTTP/1.1 400 Bad Request");
        }
    }
  else if (tunnel->head->len > PROXY_MAX_HEAD)
    answer (tunnel, "HTTP/1.1 431 Request Header Fields Too Large");
  else
    {
      g_input_stream_read_async (G_INPUT_STREAM (object), tunnel->buffer, sizeof tunnel->buffer,
                                 G_PRIORITY_DEFAULT, tunnel->cancellable, head_read_cb, tunnel);
      return;
    }

  tunnel_unref (tunnel);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  CcLabProxy *proxy = user_data;
  Tunnel *tunnel = g_rc_box_new0 (Tunnel);

  tunnel->proxy = proxy;
  tunnel->client = g_object_ref (connection);
  tunnel->cancellable = g_cancellable_new ();
  tunnel->head = g_string_new (NULL);
  g_ptr_array_add (proxy->tunnels, tunnel);

  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                             tunnel->buffer, sizeof tunnel->buffer, G_PRIORITY_DEFAULT,
                             tunnel->cancellable, head_read_cb, tunnel_ref (tunnel));
  return TRUE;
}

CcLabProxy *
cc_lab_proxy_new_with_login (const char  *username,
                             const char  *password,
                             GError     **error)
{
  CcLabProxy *proxy = cc_lab_proxy_new (TRUE, error);
  g_autofree char *pair = g_strdup_printf ("%s:%s", username, password);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  if (proxy != NULL)
    proxy->login = g_strdup_printf ("Basic %s", encoded);
  return proxy;
}

CcLabProxy *
cc_lab_proxy_new (gboolean   require_auth,
                  GError   **error)
{
  g_autoptr(CcLabProxy) proxy = g_new0 (CcLabProxy, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  proxy->require_auth = require_auth;
  proxy->tunnels = g_ptr_array_new_with_free_func ((GDestroyNotify) tunnel_stop);
  proxy->service = g_socket_service_new ();
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &effective, error))
    return NULL;

  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (incoming_cb), proxy);
  g_socket_service_start (proxy->service);

  return g_steal_pointer (&proxy);
}

void
cc_lab_proxy_free (CcLabProxy *proxy)
{
  if (proxy == NULL)
    return;

  if (proxy->service != NULL)
    {
      g_socket_service_stop (proxy->service);
      g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
      g_signal_handlers_disconnect_by_data (proxy->service, proxy);
      g_clear_object (&proxy->service);
    }
  g_clear_pointer (&proxy->tunnels, g_ptr_array_unref);
  g_free (proxy->login);
  g_free (proxy);
}

guint16
cc_lab_proxy_get_port (CcLabProxy *proxy)
{
  return proxy->port;
}

guint
cc_lab_proxy_get_tunnels (CcLabProxy *proxy)
{
  return proxy->count;
}

guint
cc_lab_proxy_get_refused (CcLabProxy *proxy)
{
  return proxy->refused;
}

guint
cc_lab_proxy_get_to_self (CcLabProxy *proxy)
{
  return proxy->to_self;
}
