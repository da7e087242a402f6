/* cc-lab.c: see cc-lab.h. Real servers for the tests, on 127.0.0.1 only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cc-lab.h"

#define LAB_REALM          "lab.connection-check.test"
#define LAB_USER           "lab-user"
/* How long coturn may take to start listening. */
#define LAB_START_LIMIT_US (10 * G_USEC_PER_SEC)
/* Relay ports coturn may hand out: a small range is plenty for the tests. */
#define LAB_RELAY_PORTS    200
/* When the /cut WebSocket is closed by the server. */
#define LAB_CUT_AFTER_MS   1000

struct _CcLab
{
  char           *dir;
  char           *ca_file;
  char           *password;
  GHashTable     *ports;           /* name → port */

  SoupServer     *https;
  SoupServer     *https_untrusted;
  GSocketService *silent_tcp;
  GSocketService *garbage_tcp;
  GPtrArray      *held;            /* connections kept open, websockets */
  GSocket        *silent_udp;
  GSocket        *garbage_udp;
  GSource        *silent_source;
  GSource        *garbage_source;
  GPtrArray      *timeouts;        /* GSource of pending /cut closes */
  GSubprocess    *coturn;
};

static gboolean
run_openssl (CcLab       *lab,
             GError     **error,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  int status = 0;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (lab->dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "openssl %s failed: %s",
                   (char *) argv->pdata[1], err);
      return FALSE;
    }

  return TRUE;
}

/* A CA (name.pem, name.key) and a server certificate it signs (server-name.pem/.key)
 * for localhost and 127.0.0.1. EC keys: generating them is instant. */
static gboolean
make_ca_and_server (CcLab       *lab,
                    const char  *name,
                    const char  *ca_subject,
                    GError     **error)
{
  g_autofree char *ca_pem = g_strdup_printf ("%s.pem", name);
  g_autofree char *ca_key = g_strdup_printf ("%s.key", name);
  g_autofree char *srv_pem = g_strdup_printf ("server-%s.pem", name);
  g_autofree char *srv_key = g_strdup_printf ("server-%s.key", name);
  g_autofree char *srv_csr = g_strdup_printf ("server-%s.csr", name);
  g_autofree char *ext = g_build_filename (lab->dir, "server.ext", NULL);

  if (!g_file_set_contents (ext,
                            "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                            "basicConstraints=critical,CA:FALSE\n"
                            "keyUsage=critical,digitalSignature\n"
                            "extendedKeyUsage=serverAuth\n", -1, error))
    return FALSE;

  return run_openssl (lab, error, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", ca_key, "-out", ca_pem, "-days", "2", "-subj", ca_subject,
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL) &&
         run_openssl (lab, error, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", srv_key, "-out", srv_csr, "-subj", "/CN=localhost", NULL) &&
         run_openssl (lab, error, "x509", "-req", "-in", srv_csr, "-CA", ca_pem, "-CAkey", ca_key,
                      "-CAcreateserial", "-out", srv_pem, "-days", "2", "-extfile", "server.ext", NULL);
}

static GTlsCertificate *
load_server_certificate (CcLab       *lab,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *pem = g_strdup_printf ("%s/server-%s.pem", lab->dir, name);
  g_autofree char *key = g_strdup_printf ("%s/server-%s.key", lab->dir, name);

  return g_tls_certificate_new_from_files (pem, key, error);
}

static void
set_port (CcLab      *lab,
          const char *name,
          guint16     port)
{
  g_hash_table_insert (lab->ports, g_strdup (name), GUINT_TO_POINTER (port));
}

/* Binds to port 0 to learn a free port, then lets it go. With @both, the port is
 * free for TCP and UDP at once (as coturn needs). */
static guint16
free_port (gboolean   both,
           GSocketType type)
{
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocket) first = NULL;
      g_autoptr(GSocket) second = NULL;
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GSocketAddress) again = NULL;
      guint16 port;

      first = g_socket_new (G_SOCKET_FAMILY_IPV4, type,
                            type == G_SOCKET_TYPE_STREAM ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, NULL);
      if (first == NULL || !g_socket_bind (first, any, FALSE, NULL))
        continue;
      bound = g_socket_get_local_address (first, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

      if (both)
        {
          GSocketType other = type == G_SOCKET_TYPE_STREAM ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM;

          second = g_socket_new (G_SOCKET_FAMILY_IPV4, other,
                                 other == G_SOCKET_TYPE_STREAM ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, NULL);
          again = g_inet_socket_address_new (loopback, port);
          if (second == NULL || !g_socket_bind (second, again, FALSE, NULL))
            continue;
        }

      return port;
    }

  g_error ("no free port on 127.0.0.1");
  return 0;
}

/* ---- HTTPS and WebSocket ---- */

static void
root_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  static const char body[] = "Connection Check lab\n";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
forbidden_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char body[] = "Forbidden by the lab\n";

  soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
websocket_closed_cb (SoupWebsocketConnection *conn,
                     CcLab                   *lab)
{
  g_signal_handlers_disconnect_by_data (conn, lab);
  g_ptr_array_remove (lab->held, conn);
}

static void
hold_websocket (CcLab                   *lab,
                SoupWebsocketConnection *conn)
{
  g_ptr_array_add (lab->held, g_object_ref (conn));
  g_signal_connect (conn, "closed", G_CALLBACK (websocket_closed_cb), lab);
}

static void
engine_io_message_cb (SoupWebsocketConnection *conn,
                      int                      type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  /* Socket.IO v4 CONNECT to the main namespace: acknowledged with a session id. */
  if (len == 2 && memcmp (data, "40", 2) == 0)
    soup_websocket_connection_send_text (conn, "40{\"sid\":\"lab-socket\"}");
  /* Engine.IO: "2" is a ping, "3" its pong; "2probe" during upgrades. */
  else if (len == 1 && data[0] == '2')
    soup_websocket_connection_send_text (conn, "3");
  else if (len == 6 && memcmp (data, "2probe", 6) == 0)
    soup_websocket_connection_send_text (conn, "3probe");
}

static void
engine_io_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  CcLab *lab = user_data;

  hold_websocket (lab, conn);
  g_signal_connect (conn, "message", G_CALLBACK (engine_io_message_cb), lab);
  soup_websocket_connection_send_text (conn,
                                       "0{\"sid\":\"lab-session\",\"upgrades\":[],\"pingInterval\":25000,"
                                       "\"pingTimeout\":20000,\"maxPayload\":1000000}");
}

static void
echo_message_cb (SoupWebsocketConnection *conn,
                 int                      type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  soup_websocket_connection_send_message (conn, type, message);
}

static void
echo_cb (SoupServer              *server,
         SoupServerMessage       *msg,
         const char              *path,
         SoupWebsocketConnection *conn,
         gpointer                 user_data)
{
  CcLab *lab = user_data;

  hold_websocket (lab, conn);
  g_signal_connect (conn, "message", G_CALLBACK (echo_message_cb), lab);
}

typedef struct
{
  CcLab                   *lab;
  SoupWebsocketConnection *conn;
  GSource                 *source;
} CutData;

static gboolean
cut_cb (gpointer user_data)
{
  CutData *data = user_data;

  if (soup_websocket_connection_get_state (data->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (data->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "cut by the lab");
  g_ptr_array_remove (data->lab->timeouts, data->source);
  return G_SOURCE_REMOVE;
}

static void
cut_data_free (gpointer user_data)
{
  CutData *data = user_data;

  g_object_unref (data->conn);
  g_free (data);
}

static void
cut_ws_cb (SoupServer              *server,
           SoupServerMessage       *msg,
           const char              *path,
           SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  CcLab *lab = user_data;
  CutData *data = g_new0 (CutData, 1);

  hold_websocket (lab, conn);
  data->lab = lab;
  data->conn = g_object_ref (conn);
  data->source = g_timeout_source_new (LAB_CUT_AFTER_MS);
  g_source_set_callback (data->source, cut_cb, data, cut_data_free);
  g_source_attach (data->source, g_main_context_get_thread_default ());
  g_ptr_array_add (lab->timeouts, data->source);
}

static SoupServer *
start_https (CcLab       *lab,
             const char  *cert_name,
             const char  *port_name,
             GError     **error)
{
  g_autoptr(GTlsCertificate) cert = load_server_certificate (lab, cert_name, error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  if (cert == NULL)
    return NULL;

  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, root_cb, lab, NULL);
  soup_server_add_handler (server, "/forbidden", forbidden_cb, lab, NULL);
  soup_server_add_websocket_handler (server, "/engine.io", NULL, NULL, engine_io_cb, lab, NULL);
  soup_server_add_websocket_handler (server, "/echo", NULL, NULL, echo_cb, lab, NULL);
  soup_server_add_websocket_handler (server, "/cut", NULL, NULL, cut_ws_cb, lab, NULL);

  if (!soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return NULL;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  set_port (lab, port_name, g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&server);
}

/* ---- raw TCP and UDP ---- */

static gboolean
silent_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  CcLab *lab = user_data;

  g_ptr_array_add (lab->held, g_object_ref (connection));
  return TRUE;
}

static gboolean
garbage_incoming_cb (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source,
                     gpointer           user_data)
{
  CcLab *lab = user_data;
  guint8 garbage[64];

  /* 0xFF first: not a TLS record type, not a STUN header, not HTTP. */
  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = i == 0 ? 0xff : (guint8) g_random_int ();

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             garbage, sizeof garbage, NULL, NULL, NULL);
  g_ptr_array_add (lab->held, g_object_ref (connection));
  return TRUE;
}

static GSocketService *
start_tcp (CcLab       *lab,
           const char  *name,
           GCallback    incoming,
           GError     **error)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    return NULL;

  set_port (lab, name, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  g_signal_connect (service, "incoming", incoming, lab);
  g_socket_service_start (service);
  return g_steal_pointer (&service);
}

static gboolean
udp_readable_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  gboolean answer = GPOINTER_TO_INT (user_data);
  g_autoptr(GSocketAddress) from = NULL;
  char buffer[2048];
  gssize n;

  n = g_socket_receive_from (socket, &from, buffer, sizeof buffer, NULL, NULL);
  if (n >= 0 && answer && from != NULL)
    {
      guint8 garbage[24];

      for (guint i = 0; i < sizeof garbage; i++)
        garbage[i] = i == 0 ? 0xff : (guint8) g_random_int ();
      g_socket_send_to (socket, from, (const char *) garbage, sizeof garbage, NULL, NULL);
    }

  return G_SOURCE_CONTINUE;
}

static GSocket *
start_udp (CcLab       *lab,
           const char  *name,
           gboolean     answer,
           GSource    **source_out,
           GError     **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSource *source;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;

  g_socket_set_blocking (socket, FALSE);
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return NULL;
  set_port (lab, name, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (source, (GSourceFunc) (GCallback) udp_readable_cb,
                         GINT_TO_POINTER (answer), NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  *source_out = source;

  return g_steal_pointer (&socket);
}

/* ---- coturn ---- */

static gboolean
tcp_port_answers (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  return conn != NULL;
}

static gboolean
start_coturn (CcLab   *lab,
              GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *log = g_build_filename (lab->dir, "turnserver.log", NULL);
  guint16 port = free_port (TRUE, G_SOCKET_TYPE_STREAM);
  guint16 tls_port = free_port (TRUE, G_SOCKET_TYPE_STREAM);
  guint16 relay = 49152 + g_random_int_range (0, 15000);
  gint64 limit;

  while (tls_port == port)
    tls_port = free_port (TRUE, G_SOCKET_TYPE_STREAM);

  if (g_find_program_in_path ("turnserver") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "turnserver (Debian package coturn) is not installed");
      return FALSE;
    }

  g_ptr_array_add (argv, g_strdup ("turnserver"));
  g_ptr_array_add (argv, g_strdup ("-n"));
  g_ptr_array_add (argv, g_strdup ("--no-cli"));
  g_ptr_array_add (argv, g_strdup ("--listening-ip=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--relay-ip=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup_printf ("--listening-port=%u", port));
  g_ptr_array_add (argv, g_strdup_printf ("--tls-listening-port=%u", tls_port));
  g_ptr_array_add (argv, g_strdup_printf ("--min-port=%u", relay));
  g_ptr_array_add (argv, g_strdup_printf ("--max-port=%u", relay + LAB_RELAY_PORTS - 1));
  g_ptr_array_add (argv, g_strdup ("--lt-cred-mech"));
  g_ptr_array_add (argv, g_strdup_printf ("--user=%s:%s", LAB_USER, lab->password));
  g_ptr_array_add (argv, g_strdup ("--realm=" LAB_REALM));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s/server-ca.pem", lab->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--pkey=%s/server-ca.key", lab->dir));
  g_ptr_array_add (argv, g_strdup ("--allow-loopback-peers"));
  g_ptr_array_add (argv, g_strdup ("--no-multicast-peers"));
  g_ptr_array_add (argv, g_strdup ("--no-dtls"));
  g_ptr_array_add (argv, g_strdup ("--no-rfc5780"));
  g_ptr_array_add (argv, g_strdup ("--no-stdout-log"));
  g_ptr_array_add (argv, g_strdup ("--simple-log"));
  g_ptr_array_add (argv, g_strdup_printf ("--log-file=%s", log));
  g_ptr_array_add (argv, g_strdup_printf ("--pidfile=%s/turnserver.pid", lab->dir));
  g_ptr_array_add (argv, NULL);

  lab->coturn = g_subprocess_newv ((const char * const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                   error);
  if (lab->coturn == NULL)
    return FALSE;

  set_port (lab, "turn", port);
  set_port (lab, "turn-tls", tls_port);

  limit = g_get_monotonic_time () + LAB_START_LIMIT_US;
  while (!(tcp_port_answers (port) && tcp_port_answers (tls_port)))
    {
      if (g_get_monotonic_time () > limit || g_subprocess_get_identifier (lab->coturn) == NULL)
        {
          g_autofree char *text = NULL;

          g_file_get_contents (log, &text, NULL, NULL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "turnserver did not start listening; its log:\n%s", text ? text : "(none)");
          return FALSE;
        }
      g_usleep (50 * 1000);
    }

  return TRUE;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
cc_lab_free (CcLab *lab)
{
  if (lab == NULL)
    return;

  if (lab->coturn != NULL)
    {
      gint64 limit = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_subprocess_send_signal (lab->coturn, SIGTERM);
      while (g_subprocess_get_identifier (lab->coturn) != NULL && g_get_monotonic_time () < limit)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10 * 1000);
        }
      if (g_subprocess_get_identifier (lab->coturn) != NULL)
        g_subprocess_force_exit (lab->coturn);
      g_subprocess_wait (lab->coturn, NULL, NULL);
      g_clear_object (&lab->coturn);
    }

  for (guint i = 0; lab->timeouts != NULL && i < lab->timeouts->len; i++)
    g_source_destroy (lab->timeouts->pdata[i]);
  g_clear_pointer (&lab->timeouts, g_ptr_array_unref);

  if (lab->silent_source != NULL)
    g_source_destroy (lab->silent_source);
  if (lab->garbage_source != NULL)
    g_source_destroy (lab->garbage_source);
  g_clear_pointer (&lab->silent_source, g_source_unref);
  g_clear_pointer (&lab->garbage_source, g_source_unref);
  g_clear_object (&lab->silent_udp);
  g_clear_object (&lab->garbage_udp);

  if (lab->silent_tcp != NULL)
    g_socket_service_stop (lab->silent_tcp);
  if (lab->garbage_tcp != NULL)
    g_socket_service_stop (lab->garbage_tcp);
  g_clear_object (&lab->silent_tcp);
  g_clear_object (&lab->garbage_tcp);

  if (lab->held != NULL)
    {
      while (lab->held->len > 0)
        {
          GObject *object = g_ptr_array_steal_index (lab->held, lab->held->len - 1);

          if (SOUP_IS_WEBSOCKET_CONNECTION (object))
            g_signal_handlers_disconnect_by_data (object, lab);
          else if (G_IS_IO_STREAM (object))
            g_io_stream_close (G_IO_STREAM (object), NULL, NULL);
          g_object_unref (object);
        }
      g_clear_pointer (&lab->held, g_ptr_array_unref);
    }

  if (lab->https != NULL)
    soup_server_disconnect (lab->https);
  if (lab->https_untrusted != NULL)
    soup_server_disconnect (lab->https_untrusted);
  g_clear_object (&lab->https);
  g_clear_object (&lab->https_untrusted);

  if (lab->dir != NULL)
    remove_dir (lab->dir);

  g_free (lab->dir);
  g_free (lab->ca_file);
  g_free (lab->password);
  g_clear_pointer (&lab->ports, g_hash_table_unref);
  g_free (lab);
}

CcLab *
cc_lab_new (GError **error)
{
  g_autoptr(CcLab) lab = g_new0 (CcLab, 1);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  char *dash;

  lab->ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lab->held = g_ptr_array_new ();
  lab->timeouts = g_ptr_array_new ();

  while ((dash = strchr (uuid, '-')) != NULL)
    memmove (dash, dash + 1, strlen (dash));
  lab->password = g_steal_pointer (&uuid);

  if (openssl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "openssl (Debian package openssl) is not installed");
      return NULL;
    }

  lab->dir = g_dir_make_tmp ("cc-lab-XXXXXX", error);
  if (lab->dir == NULL)
    return NULL;
  lab->ca_file = g_build_filename (lab->dir, "ca.pem", NULL);

  if (!make_ca_and_server (lab, "ca", "/CN=Connection Check Lab CA", error) ||
      !make_ca_and_server (lab, "inspection", "/CN=Lab Inspection CA", error))
    return NULL;

  lab->https = start_https (lab, "ca", "https", error);
  if (lab->https == NULL)
    return NULL;
  lab->https_untrusted = start_https (lab, "inspection", "https-untrusted", error);
  if (lab->https_untrusted == NULL)
    return NULL;

  lab->silent_tcp = start_tcp (lab, "silent-tcp", G_CALLBACK (silent_incoming_cb), error);
  if (lab->silent_tcp == NULL)
    return NULL;
  lab->garbage_tcp = start_tcp (lab, "garbage-tcp", G_CALLBACK (garbage_incoming_cb), error);
  if (lab->garbage_tcp == NULL)
    return NULL;

  lab->silent_udp = start_udp (lab, "silent-udp", FALSE, &lab->silent_source, error);
  if (lab->silent_udp == NULL)
    return NULL;
  lab->garbage_udp = start_udp (lab, "garbage-udp", TRUE, &lab->garbage_source, error);
  if (lab->garbage_udp == NULL)
    return NULL;

  set_port (lab, "closed-tcp", free_port (FALSE, G_SOCKET_TYPE_STREAM));
  set_port (lab, "closed-udp", free_port (FALSE, G_SOCKET_TYPE_DATAGRAM));

  if (!start_coturn (lab, error))
    return NULL;

  return g_steal_pointer (&lab);
}

const char *
cc_lab_get_dir (CcLab *lab)
{
  return lab->dir;
}

const char *
cc_lab_get_ca_file (CcLab *lab)
{
  return lab->ca_file;
}

guint16
cc_lab_get_port (CcLab      *lab,
                 const char *name)
{
  gpointer port;

  if (!g_hash_table_lookup_extended (lab->ports, name, NULL, &port))
    g_error ("the lab has no port called “%s”", name);

  return GPOINTER_TO_UINT (port);
}

const char *
cc_lab_get_turn_username (CcLab *lab)
{
  return LAB_USER;
}

const char *
cc_lab_get_turn_password (CcLab *lab)
{
  return lab->password;
}

const char *
cc_lab_get_turn_realm (CcLab *lab)
{
  return LAB_REALM;
}

char *
cc_lab_expand (CcLab      *lab,
               const char *text_template)
{
  GString *out = g_string_new (NULL);
  const char *p = text_template;

  while (*p != '\0')
    {
      const char *end;
      g_autofree char *word = NULL;

      if (*p != '@' || (end = strchr (p + 1, '@')) == NULL || end == p + 1)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      word = g_strndup (p + 1, end - p - 1);
      if (strspn (word, "abcdefghijklmnopqrstuvwxyz-") != strlen (word))
        {
          g_string_append_c (out, *p++);
          continue;
        }

      if (g_str_equal (word, "ca"))
        g_string_append (out, lab->ca_file);
      else if (g_str_equal (word, "dir"))
        g_string_append (out, lab->dir);
      else if (g_str_equal (word, "turn-user"))
        g_string_append (out, LAB_USER);
      else if (g_str_equal (word, "turn-password"))
        g_string_append (out, lab->password);
      else if (g_str_equal (word, "turn-realm"))
        g_string_append (out, LAB_REALM);
      else
        g_string_append_printf (out, "%u", cc_lab_get_port (lab, word));

      p = end + 1;
    }

  return g_string_free (out, FALSE);
}

char *
cc_lab_write_file (CcLab       *lab,
                   const char  *name,
                   const char  *template_path,
                   GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *path = g_build_filename (lab->dir, name, NULL);

  if (!g_file_get_contents (template_path, &text, NULL, error))
    return NULL;

  expanded = cc_lab_expand (lab, text);
  if (!g_file_set_contents (path, expanded, -1, error))
    return NULL;

  return g_steal_pointer (&path);
}
