/* cc-netlab-web.c: the HTTPS and secure WebSocket server of the namespace lab
 * (tests/lab/netns): it stands in for Whereby's signaling and web hosts at a
 * lab address on port 443, with a certificate from the lab CA for all their names.
 *
 *   cc-netlab-web --address 198.18.1.10 --cert server.pem --key server.key [--refuse-websockets]
 *
 * GET anything: 200. /protocol/socket.io/v4/: an Engine.IO v4 endpoint like the
 * real signaling server (open packet 0{…}, CONNECT 40 → 40{…}, ping 2 → pong 3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "cc-lab.h"

static gboolean refuse_websockets;

static void
root_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  static const char body[] = "Connection Check namespace lab\n";
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* Leave WebSocket upgrades to the WebSocket handler (it runs after this one),
   * unless this server plays a filter that refuses them. */
  if (soup_message_headers_header_contains (headers, "Upgrade", "websocket"))
    {
      if (refuse_websockets)
        soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
message_cb (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            gpointer                 user_data)
{
  cc_lab_engine_io_reply (conn, type, message, "netlab-socket");
}

static void
closed_cb (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  g_object_unref (conn);
}

static void
engine_io_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  g_object_ref (conn);
  g_signal_connect (conn, "message", G_CALLBACK (message_cb), NULL);
  g_signal_connect (conn, "closed", G_CALLBACK (closed_cb), NULL);
  soup_websocket_connection_send_text (conn,
                                       "0{\"sid\":\"netlab\",\"upgrades\":[],\"pingInterval\":25000,"
                                       "\"pingTimeout\":20000,\"maxPayload\":1000000}");
}

/* Any other WebSocket (rtcstats): accepted, nothing said. */
static void
plain_ws_cb (SoupServer              *server,
             SoupServerMessage       *msg,
             const char              *path,
             SoupWebsocketConnection *conn,
             gpointer                 user_data)
{
  g_object_ref (conn);
  g_signal_connect (conn, "closed", G_CALLBACK (closed_cb), NULL);
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  int port = 443;
  const GOptionEntry entries[] = {
    { "address", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on", "IP" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port (443)", "PORT" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, "Certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, "Private key (PEM)", "FILE" },
    { "refuse-websockets", 0, 0, G_OPTION_ARG_NONE, &refuse_websockets, "Answer WebSocket upgrades with 403", NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      listen == NULL || cert_path == NULL || key_path == NULL)
    {
      g_printerr ("cc-netlab-web: %s\n", error ? error->message : "--address, --cert and --key are required");
      return 64;
    }

  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  inet = g_inet_address_new_from_string (listen);
  if (cert == NULL || inet == NULL)
    {
      g_printerr ("cc-netlab-web: %s\n", error ? error->message : "bad --address");
      return 1;
    }

  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, root_cb, NULL, NULL);
  /* Also in front of the Engine.IO endpoint, so --refuse-websockets covers it. */
  soup_server_add_handler (server, "/protocol/socket.io/v4", root_cb, NULL, NULL);
  soup_server_add_websocket_handler (server, NULL, NULL, NULL, plain_ws_cb, NULL, NULL);
  soup_server_add_websocket_handler (server, "/protocol/socket.io/v4", NULL, NULL, engine_io_cb, NULL, NULL);

  address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, &error))
    {
      g_printerr ("cc-netlab-web: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_print ("ready\n");
  g_main_loop_run (loop);

  return 0;
}
