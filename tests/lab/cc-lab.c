/* cc-lab.c: the test lab of cc-lab.h — real servers on 127.0.0.1 only.
 *
 * Certificates come from the openssl command (two CAs: the lab's, which tests
 * trust through ca.pem, and an "inspection" CA nobody trusts), the HTTPS and
 * WebSocket servers are SoupServers, the raw ports are GSocketService/GSocket,
 * and TURN is a real coturn child process. Everything runs on the thread-default
 * main context of the caller of cc_lab_new(); cc_lab_free() tears it all down
 * without leaving a source behind that could fire later.
 *
 * Why one file of over 800 lines: the servers share the lab's certificates,
 * ports and teardown (sections below: certificates, HTTPS and WebSocket, raw
 * TCP and UDP, coturn); the proxies and the resolver, which have state of
 * their own, are in cc-lab-proxy.c and cc-lab-dns.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cc-lab-private.h"

#define LAB_REALM              "lab.connection-check.test"
#define LAB_USER               "lab-user"
#define LAB_CA_NAME            "Connection Check Lab CA"
#define LAB_INSPECTION_CA_NAME "Lab Inspection CA"
/* Certificates live two days: long enough for any run, short enough to be
 * obviously throwaway if one leaks out of the lab directory. */
#define LAB_CERT_DAYS          "2"
/* How long coturn may take to answer on all its listeners (it needs ~50 ms). */
#define LAB_START_LIMIT_US     (5 * G_USEC_PER_SEC)
#define LAB_START_POLL_US      (50 * 1000)
/* How long one UDP readiness probe waits for coturn's Binding response. */
#define LAB_PROBE_WAIT_US      (100 * 1000)
/* How long coturn may take to exit after SIGTERM before it gets SIGKILL. */
#define LAB_STOP_LIMIT_US      (3 * G_USEC_PER_SEC)
#define LAB_STOP_POLL_US       (10 * 1000)
/* Relay ports coturn may hand out: 200 is plenty for the tests. They are taken
 * above Linux's default ephemeral range (ip_local_port_range 32768–60999), so no
 * port the kernel hands out for bind(0) — the lab's own servers and the closed
 * ports included — can ever be a relay port too. */
#define LAB_RELAY_PORTS        200
#define LAB_RELAY_FIRST        61000
#define LAB_RELAY_LAST         65535
/* When the /cut WebSocket is closed by the server. */
#define LAB_CUT_AFTER_MS       1000
/* What the garbage servers send: enough for any parser to choke on. */
#define LAB_GARBAGE_TCP_BYTES  64
#define LAB_GARBAGE_UDP_BYTES  24
/* A STUN header (RFC 8489 §5) is 20 bytes; its magic cookie. */
#define STUN_HEADER_BYTES      20
#define STUN_MAGIC_COOKIE      0x2112A442
/* Lines of coturn's log shown when it does not come up. */
#define LAB_LOG_TAIL_LINES     20

/* The openssl configuration for both CAs and both server certificates: our own,
 * so the system's openssl.cnf (or $OPENSSL_CONF) cannot change the extensions. */
static const char openssl_config[] =
  "[req]\n"
  "distinguished_name = lab_dn\n"
  "prompt = no\n"
  "[lab_dn]\n"
  "CN = Connection Check Lab\n"
  "[lab_ca]\n"
  "basicConstraints = critical,CA:TRUE\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[lab_server]\n"
  "basicConstraints = critical,CA:FALSE\n"
  "keyUsage = critical,digitalSignature\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = DNS:localhost,IP:127.0.0.1\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid,issuer\n";

/* Engine.IO v4's open packet, as Whereby's signaling server sends it first. */
static const char engine_io_open[] =
  "0{\"sid\":\"lab-session\",\"upgrades\":[],\"pingInterval\":25000,"
  "\"pingTimeout\":20000,\"maxPayload\":1000000}";

struct _CcLab
{
  char           *dir;
  char           *ca_file;
  char           *password;
  char           *coturn_log;
  GHashTable     *ports;           /* name → port */
  guint16         relay_min;
  GMainContext   *context;

  SoupServer     *https;
  SoupServer     *https_untrusted;
  GPtrArray      *websockets;      /* SoupWebsocketConnection, until "closed" */
  GPtrArray      *cuts;            /* GSource of pending /cut closes */

  GSocketService *silent_tcp;
  GSocketService *garbage_tcp;
  GPtrArray      *held;            /* GIOStream the raw TCP servers keep open */

  GSocket        *silent_udp;
  GSocket        *garbage_udp;
  GSource        *silent_source;
  GSource        *garbage_source;

  GSubprocess    *coturn;
};

typedef struct
{
  CcLab                   *lab;
  SoupWebsocketConnection *conn;
} CutData;

/* ---- helpers ---- */

static GSocketAddress *
loopback_address (guint16 port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (loopback, port);
}

static GSocket *
new_socket (GSocketType   type,
            GError      **error)
{
  return g_socket_new (G_SOCKET_FAMILY_IPV4, type,
                       type == G_SOCKET_TYPE_STREAM ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP,
                       error);
}

static guint16
socket_port (GSocket  *socket,
             GError  **error)
{
  g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, error);

  if (bound == NULL)
    return 0;

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
set_port (CcLab      *lab,
          const char *name,
          guint16     port)
{
  g_hash_table_insert (lab->ports, g_strdup (name), GUINT_TO_POINTER (port));
}

static gboolean
port_is_taken (CcLab   *lab,
               guint16  port)
{
  GHashTableIter iter;
  gpointer value;

  if (lab->relay_min != 0 && port >= lab->relay_min && port < lab->relay_min + LAB_RELAY_PORTS)
    return TRUE;

  g_hash_table_iter_init (&iter, lab->ports);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_UINT (value) == port)
      return TRUE;

  return FALSE;
}

/* A port that was free a moment ago: bound on 127.0.0.1 with port 0, read back,
 * released. With @tcp_and_udp it was free for both at once (coturn listens on
 * both). Ports the lab already uses are skipped; the sockets stay bound until the
 * search ends so the kernel cannot offer the same rejected port twice. */
static guint16
find_free_port (CcLab        *lab,
                GSocketType   type,
                gboolean      tcp_and_udp,
                GError      **error)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  GSocketType other = type == G_SOCKET_TYPE_STREAM ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM;

  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GSocketAddress) any = loopback_address (0);
      g_autoptr(GSocketAddress) same = NULL;
      g_autoptr(GSocket) first = new_socket (type, error);
      g_autoptr(GSocket) second = NULL;
      guint16 port;

      if (first == NULL || !g_socket_bind (first, any, FALSE, error))
        return 0;
      port = socket_port (first, error);
      if (port == 0)
        return 0;
      g_ptr_array_add (held, g_steal_pointer (&first));

      if (port_is_taken (lab, port))
        continue;

      if (tcp_and_udp)
        {
          second = new_socket (other, error);
          if (second == NULL)
            return 0;
          same = loopback_address (port);
          if (!g_socket_bind (second, same, FALSE, NULL))
            continue;
        }

      return port;
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                       "Found no free port on 127.0.0.1.");
  return 0;
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

      /* Never follow a link out of the lab. */
      if (!g_file_test (child, G_FILE_TEST_IS_SYMLINK) && g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

typedef struct
{
  GInputStream   *from;
  GOutputStream  *to;
  gsize           budget;
  gboolean        stop_at_budget;
  GCancellable   *cancellable;
  guint64        *sent;
  GDestroyNotify  done;
  gpointer        data;
  guint8          buffer[8192];
} Pump;

static void pump_read (Pump *pump);

static void
pump_end (Pump *pump)
{
  g_output_stream_close (pump->to, NULL, NULL);
  pump->done (pump->data);
  g_object_unref (pump->from);
  g_object_unref (pump->to);
  g_clear_object (&pump->cancellable);
  g_free (pump);
}

static void
pump_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pump *pump = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL) ||
      (pump->budget == 0 && pump->stop_at_budget))
    pump_end (pump);
  else
    pump_read (pump);
}

static void
pump_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pump *pump = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  gsize pass;

  if (n <= 0 || g_cancellable_is_cancelled (pump->cancellable))
    {
      pump_end (pump);
      return;
    }

  pass = MIN ((gsize) n, pump->budget);
  pump->budget -= pass;
  if (pass == 0)
    {
      if (pump->stop_at_budget)
        pump_end (pump);
      else
        pump_read (pump);
      return;
    }

  if (pump->sent != NULL)
    *pump->sent += pass;
  g_output_stream_write_all_async (pump->to, pump->buffer, pass, G_PRIORITY_DEFAULT,
                                   pump->cancellable, pump_written_cb, pump);
}

static void
pump_read (Pump *pump)
{
  g_input_stream_read_async (pump->from, pump->buffer, sizeof pump->buffer, G_PRIORITY_DEFAULT,
                             pump->cancellable, pump_read_cb, pump);
}

void
cc_lab_pump (GInputStream   *from,
             GOutputStream  *to,
             gsize           budget,
             gboolean        stop_at_budget,
             GCancellable   *cancellable,
             guint64        *sent,
             GDestroyNotify  done,
             gpointer        data)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->from = g_object_ref (from);
  pump->to = g_object_ref (to);
  pump->budget = budget;
  pump->stop_at_budget = stop_at_budget;
  pump->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  pump->sent = sent;
  pump->done = done;
  pump->data = data;
  pump_read (pump);
}

/* ---- certificates ---- */

static gboolean
run_openssl (CcLab              *lab,
             const char * const *args,
             GError            **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_strv_builder_add (builder, "openssl");
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  if (!g_spawn_sync (lab->dir, argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "openssl %s failed: %s",
                   args[0], err != NULL ? g_strstrip (err) : "");
      return FALSE;
    }

  return TRUE;
}

/* A CA (@ca.pem, @ca.key) named @ca_name, and a server certificate for localhost
 * and 127.0.0.1 it signs (@server.pem, @server.key). EC P-256 keys: generating
 * them is instant, where RSA would cost the tests a noticeable fraction of a second. */
static gboolean
make_ca_and_server (CcLab       *lab,
                    const char  *ca,
                    const char  *ca_name,
                    const char  *server,
                    GError     **error)
{
  g_autofree char *ca_pem = g_strconcat (ca, ".pem", NULL);
  g_autofree char *ca_key = g_strconcat (ca, ".key", NULL);
  g_autofree char *ca_subject = g_strconcat ("/CN=", ca_name, NULL);
  g_autofree char *srv_pem = g_strconcat (server, ".pem", NULL);
  g_autofree char *srv_key = g_strconcat (server, ".key", NULL);
  g_autofree char *srv_csr = g_strconcat (server, ".csr", NULL);
  g_autofree char *csr_path = g_build_filename (lab->dir, srv_csr, NULL);
  g_autofree char *serial = g_strdup_printf ("0x%08x%08x", g_random_int (), g_random_int ());
  const char * const make_ca[] = {
    "req", "-config", "openssl.cnf", "-x509", "-extensions", "lab_ca",
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", ca_key, "-out", ca_pem, "-days", LAB_CERT_DAYS, "-subj", ca_subject, NULL
  };
  const char * const make_request[] = {
    "req", "-config", "openssl.cnf", "-new",
    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", srv_key, "-out", srv_csr, "-subj", "/CN=localhost", NULL
  };
  const char * const sign_request[] = {
    "x509", "-req", "-in", srv_csr, "-CA", ca_pem, "-CAkey", ca_key, "-set_serial", serial,
    "-days", LAB_CERT_DAYS, "-extfile", "openssl.cnf", "-extensions", "lab_server",
    "-out", srv_pem, NULL
  };
  gboolean ok;

  ok = run_openssl (lab, make_ca, error) &&
       run_openssl (lab, make_request, error) &&
       run_openssl (lab, sign_request, error);
  g_unlink (csr_path);

  return ok;
}

static gboolean
make_certificates (CcLab   *lab,
                   GError **error)
{
  g_autofree char *config = g_build_filename (lab->dir, "openssl.cnf", NULL);

  if (!g_file_set_contents (config, openssl_config, -1, error))
    return FALSE;

  /* ca.pem is what tests trust; the inspection CA is deliberately not in it. */
  return make_ca_and_server (lab, "ca", LAB_CA_NAME, "server", error) &&
         make_ca_and_server (lab, "inspection-ca", LAB_INSPECTION_CA_NAME, "untrusted", error);
}

/* ---- HTTPS and WebSocket ---- */

/* Every plain answer closes its connection: libsoup 3.2's server never closes
 * (nor frees) a kept-alive connection that the client closes while it is idle
 * (fixed in 3.3.0), and the lab runs in the test's process, whose open file
 * descriptors the tests count. */
static void
close_after (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* A short text answer, and the connection closed after it. */
static void
reply_text (SoupServerMessage *msg,
            guint              status,
            const char        *body)
{
  close_after (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
root_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  reply_text (msg, SOUP_STATUS_OK, "Connection Check lab\n");
}

/* A plain handler, so an upgrade request here gets the 403 and never a 101. */
static void
forbidden_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  reply_text (msg, SOUP_STATUS_FORBIDDEN, "Forbidden by the lab\n");
}

static void
websocket_closed_cb (SoupWebsocketConnection *conn,
                     CcLab                   *lab)
{
  g_signal_handlers_disconnect_by_data (conn, lab);
  /* Drops the lab's reference; whoever emits "closed" holds one meanwhile. */
  g_ptr_array_remove (lab->websockets, conn);
}

static void
keep_websocket (CcLab                   *lab,
                SoupWebsocketConnection *conn)
{
  g_ptr_array_add (lab->websockets, g_object_ref (conn));
  g_signal_connect (conn, "closed", G_CALLBACK (websocket_closed_cb), lab);
}

void
cc_lab_engine_io_reply (SoupWebsocketConnection *conn,
                        int                      type,
                        GBytes                  *message,
                        const char              *sid)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  /* Socket.IO v4 CONNECT to the main namespace: acknowledged with a session id. */
  if (len == 2 && memcmp (data, "40", 2) == 0)
    {
      g_autofree char *ack = g_strdup_printf ("40{\"sid\":\"%s\"}", sid);

      soup_websocket_connection_send_text (conn, ack);
    }
  /* Engine.IO: "2" is a ping, "3" its pong; "2probe" during upgrades. */
  else if (len == 1 && data[0] == '2')
    soup_websocket_connection_send_text (conn, "3");
  else if (len == 6 && memcmp (data, "2probe", 6) == 0)
    soup_websocket_connection_send_text (conn, "3probe");
}

static void
engine_io_message_cb (SoupWebsocketConnection *conn,
                      int                      type,
                      GBytes                  *message,
                      CcLab                   *lab)
{
  cc_lab_engine_io_reply (conn, type, message, "lab-socket");
}

static void
engine_io_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  CcLab *lab = user_data;

  keep_websocket (lab, conn);
  g_signal_connect (conn, "message", G_CALLBACK (engine_io_message_cb), lab);
  soup_websocket_connection_send_text (conn, engine_io_open);
}

static void
echo_message_cb (SoupWebsocketConnection *conn,
                 int                      type,
                 GBytes                  *message,
                 CcLab                   *lab)
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

  keep_websocket (lab, conn);
  g_signal_connect (conn, "message", G_CALLBACK (echo_message_cb), lab);
}

static gboolean
cut_timeout_cb (gpointer user_data)
{
  CutData *data = user_data;

  if (soup_websocket_connection_get_state (data->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (data->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "cut by the lab");

  /* The context holds the source while it dispatches; this drops the lab's ref. */
  g_ptr_array_remove (data->lab->cuts, g_main_current_source ());
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
cut_cb (SoupServer              *server,
        SoupServerMessage       *msg,
        const char              *path,
        SoupWebsocketConnection *conn,
        gpointer                 user_data)
{
  CcLab *lab = user_data;
  CutData *data = g_new0 (CutData, 1);
  GSource *source = g_timeout_source_new (LAB_CUT_AFTER_MS);

  keep_websocket (lab, conn);
  data->lab = lab;
  data->conn = g_object_ref (conn);
  g_source_set_callback (source, cut_timeout_cb, data, cut_data_free);
  g_source_set_name (source, "[cc-lab] /cut");
  g_source_attach (source, lab->context);
  g_ptr_array_add (lab->cuts, source);
}

static SoupServer *
start_https (CcLab       *lab,
             const char  *cert,
             const char  *port_name,
             GError     **error)
{
  g_autofree char *pem = g_strdup_printf ("%s/%s.pem", lab->dir, cert);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", lab->dir, cert);
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (pem, key, error);
  g_autoptr(GSocketAddress) address = loopback_address (0);
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;

  if (certificate == NULL)
    return NULL;

  server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, root_cb, lab, NULL);
  soup_server_add_handler (server, "/forbidden", forbidden_cb, lab, NULL);
  soup_server_add_websocket_handler (server, "/engine.io", NULL, NULL, engine_io_cb, lab, NULL);
  soup_server_add_websocket_handler (server, "/echo", NULL, NULL, echo_cb, lab, NULL);
  soup_server_add_websocket_handler (server, "/cut", NULL, NULL, cut_cb, lab, NULL);

  if (!soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return NULL;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  set_port (lab, port_name, g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&server);
}

/* ---- raw TCP and UDP ---- */

/* Bytes no protocol the app speaks can take for its own: 0xFF is not a TLS record
 * type, not a STUN/TURN message (whose first two bits are zero) and not HTTP. */
static void
fill_garbage (guint8 *buffer,
              gsize   len)
{
  buffer[0] = 0xff;
  for (gsize i = 1; i < len; i++)
    buffer[i] = (guint8) g_random_int ();
}

static gboolean
silent_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    CcLab             *lab)
{
  g_ptr_array_add (lab->held, g_object_ref (connection));
  return TRUE;
}

static gboolean
garbage_incoming_cb (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source_object,
                     CcLab             *lab)
{
  guint8 garbage[LAB_GARBAGE_TCP_BYTES];

  /* 64 bytes fit any fresh socket's send buffer: this write does not block. */
  fill_garbage (garbage, sizeof garbage);
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
  g_autoptr(GSocketAddress) address = loopback_address (0);
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
silent_udp_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  char buffer[2048];

  g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static gboolean
garbage_udp_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  g_autoptr(GSocketAddress) from = NULL;
  char buffer[2048];

  if (g_socket_receive_from (socket, &from, buffer, sizeof buffer, NULL, NULL) >= 0 && from != NULL)
    {
      guint8 garbage[LAB_GARBAGE_UDP_BYTES];

      fill_garbage (garbage, sizeof garbage);
      g_socket_send_to (socket, from, (const char *) garbage, sizeof garbage, NULL, NULL);
    }

  return G_SOURCE_CONTINUE;
}

static GSocket *
start_udp (CcLab              *lab,
           const char         *name,
           GSocketSourceFunc   readable,
           GSource           **source_out,
           GError            **error)
{
  g_autoptr(GSocket) socket = new_socket (G_SOCKET_TYPE_DATAGRAM, error);
  g_autoptr(GSocketAddress) address = loopback_address (0);
  GSource *source;
  guint16 port;

  if (socket == NULL || !g_socket_bind (socket, address, FALSE, error))
    return NULL;

  port = socket_port (socket, error);
  if (port == 0)
    return NULL;
  set_port (lab, name, port);

  g_socket_set_blocking (socket, FALSE);
  source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (source, G_SOURCE_FUNC (readable), lab, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, lab->context);
  *source_out = source;

  return g_steal_pointer (&socket);
}

/* Bound once, then closed: nothing listens there while the lab runs. */
static gboolean
reserve_closed_port (CcLab        *lab,
                     const char   *name,
                     GSocketType   type,
                     GError      **error)
{
  guint16 port = find_free_port (lab, type, FALSE, error);

  if (port == 0)
    return FALSE;

  set_port (lab, name, port);
  return TRUE;
}

/* ---- coturn ---- */

static gboolean
tcp_port_answers (guint16 port)
{
  g_autoptr(GSocket) socket = new_socket (G_SOCKET_TYPE_STREAM, NULL);
  g_autoptr(GSocketAddress) address = loopback_address (port);

  /* A blocking connect on loopback is answered at once: accepted or refused. */
  return socket != NULL && g_socket_connect (socket, address, NULL, NULL);
}

/* Sends a STUN Binding request (RFC 8489) and waits briefly for its success
 * response: coturn's UDP listeners come up in their own threads. */
static gboolean
udp_port_answers (guint16 port)
{
  g_autoptr(GSocket) socket = new_socket (G_SOCKET_TYPE_DATAGRAM, NULL);
  g_autoptr(GSocketAddress) address = loopback_address (port);
  guint8 request[STUN_HEADER_BYTES] = { 0x00, 0x01, 0x00, 0x00 };
  guint8 reply[512];
  guint32 cookie = GUINT32_TO_BE (STUN_MAGIC_COOKIE);
  gssize n;

  memcpy (request + 4, &cookie, sizeof cookie);
  for (guint i = 8; i < sizeof request; i++)
    request[i] = (guint8) g_random_int ();

  if (socket == NULL ||
      !g_socket_connect (socket, address, NULL, NULL) ||
      g_socket_send (socket, (const char *) request, sizeof request, NULL, NULL) != sizeof request ||
      !g_socket_condition_timed_wait (socket, G_IO_IN, LAB_PROBE_WAIT_US, NULL, NULL))
    return FALSE;

  n = g_socket_receive (socket, (char *) reply, sizeof reply, NULL, NULL);

  return n >= STUN_HEADER_BYTES &&
         reply[0] == 0x01 && reply[1] == 0x01 &&  /* Binding success response */
         memcmp (reply + 8, request + 8, 12) == 0;
}

/* The last lines of @path, or NULL if it is missing or empty. */
static char *
file_tail (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n;

  if (!g_file_get_contents (path, &text, NULL, NULL) || g_strchomp (text)[0] == '\0')
    return NULL;

  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);

  return g_strjoinv ("\n", lines + (n > LAB_LOG_TAIL_LINES ? n - LAB_LOG_TAIL_LINES : 0));
}

/* What coturn said: its log, and what it printed before it had one (a bad
 * option, a port in use). */
static char *
coturn_tail (CcLab *lab)
{
  g_autofree char *output = g_build_filename (lab->dir, "turnserver.out", NULL);
  g_autofree char *log = file_tail (lab->coturn_log);
  g_autofree char *printed = file_tail (output);

  if (log == NULL && printed == NULL)
    return g_strdup ("(coturn wrote nothing)");
  if (log == NULL || printed == NULL)
    return g_strdup (log != NULL ? log : printed);

  return g_strjoin ("\n", log, printed, NULL);
}

/* coturn dies with the process that started it: a test that aborts (as it does on
 * any critical under G_DEBUG=fatal-criticals) must not leave it listening. */
static void
coturn_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
start_coturn (CcLab   *lab,
              GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *output = NULL;
  guint16 port;
  guint16 tls_port;
  gint64 limit;

  port = find_free_port (lab, G_SOCKET_TYPE_STREAM, TRUE, error);
  if (port == 0)
    return FALSE;
  set_port (lab, "turn", port);

  tls_port = find_free_port (lab, G_SOCKET_TYPE_STREAM, TRUE, error);
  if (tls_port == 0)
    return FALSE;
  set_port (lab, "turn-tls", tls_port);

  lab->coturn_log = g_build_filename (lab->dir, "turnserver.log", NULL);

  g_ptr_array_add (argv, g_strdup ("turnserver"));
  /* No configuration file: everything is on this command line. */
  g_ptr_array_add (argv, g_strdup ("-n"));
  g_ptr_array_add (argv, g_strdup ("--no-cli"));
  g_ptr_array_add (argv, g_strdup ("--listening-ip=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--relay-ip=127.0.0.1"));
  g_ptr_array_add (argv, g_strdup_printf ("--listening-port=%u", port));
  g_ptr_array_add (argv, g_strdup_printf ("--tls-listening-port=%u", tls_port));
  g_ptr_array_add (argv, g_strdup_printf ("--min-port=%u", lab->relay_min));
  g_ptr_array_add (argv, g_strdup_printf ("--max-port=%u", lab->relay_min + LAB_RELAY_PORTS - 1));
  g_ptr_array_add (argv, g_strdup ("--lt-cred-mech"));
  g_ptr_array_add (argv, g_strdup_printf ("--user=%s:%s", LAB_USER, lab->password));
  g_ptr_array_add (argv, g_strdup ("--realm=" LAB_REALM));
  g_ptr_array_add (argv, g_strdup_printf ("--cert=%s/server.pem", lab->dir));
  g_ptr_array_add (argv, g_strdup_printf ("--pkey=%s/server.key", lab->dir));
  g_ptr_array_add (argv, g_strdup ("--allow-loopback-peers"));
  g_ptr_array_add (argv, g_strdup ("--no-multicast-peers"));
  g_ptr_array_add (argv, g_strdup ("--no-dtls"));
  /* RFC 5780 would open alternative listeners on the ports after ours. */
  g_ptr_array_add (argv, g_strdup ("--no-rfc5780"));
  /* The tests speak TAP on stdout: coturn logs to the lab directory only. */
  g_ptr_array_add (argv, g_strdup ("--no-stdout-log"));
  g_ptr_array_add (argv, g_strdup ("--simple-log"));
  g_ptr_array_add (argv, g_strdup_printf ("--log-file=%s", lab->coturn_log));
  g_ptr_array_add (argv, g_strdup_printf ("--pidfile=%s/turnserver.pid", lab->dir));
  /* Its own SQLite database, not the system's /var/lib/turn/turndb. */
  g_ptr_array_add (argv, g_strdup_printf ("--userdb=%s/turndb", lab->dir));
  g_ptr_array_add (argv, NULL);

  /* The tests speak TAP on our stdout: coturn's goes to a file in the lab. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  output = g_build_filename (lab->dir, "turnserver.out", NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, output);
  g_subprocess_launcher_set_cwd (launcher, lab->dir);
  g_subprocess_launcher_set_child_setup (launcher, coturn_child_setup, NULL, NULL);
  lab->coturn = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (lab->coturn == NULL)
    return FALSE;

  /* Bounded polling, not a blind sleep: coturn usually answers within ~50 ms. */
  limit = g_get_monotonic_time () + LAB_START_LIMIT_US;
  while (!(tcp_port_answers (port) && tcp_port_answers (tls_port) && udp_port_answers (port)))
    {
      gboolean exited = g_subprocess_get_identifier (lab->coturn) == NULL;

      if (exited || g_get_monotonic_time () > limit)
        {
          g_autofree char *tail = coturn_tail (lab);

          g_set_error (error, G_IO_ERROR, exited ? G_IO_ERROR_FAILED : G_IO_ERROR_TIMED_OUT,
                       "turnserver %s on 127.0.0.1 ports %u and %u; the end of its output:\n%s",
                       exited ? "exited instead of listening" : "did not start listening in time",
                       port, tls_port, tail);
          return FALSE;
        }
      g_usleep (LAB_START_POLL_US);
    }

  return TRUE;
}

static void
stop_coturn (CcLab *lab)
{
  gint64 limit = g_get_monotonic_time () + LAB_STOP_LIMIT_US;

  /* GSubprocess reaps its child in GLib's worker thread, so the identifier goes
   * NULL without this thread iterating any main context. */
  g_subprocess_send_signal (lab->coturn, SIGTERM);
  while (g_subprocess_get_identifier (lab->coturn) != NULL && g_get_monotonic_time () < limit)
    g_usleep (LAB_STOP_POLL_US);

  if (g_subprocess_get_identifier (lab->coturn) != NULL)
    g_subprocess_force_exit (lab->coturn);
  g_subprocess_wait (lab->coturn, NULL, NULL);
  g_clear_object (&lab->coturn);
}

/* ---- public API ---- */

void
cc_lab_free (CcLab *lab)
{
  if (lab == NULL)
    return;

  if (lab->coturn != NULL)
    stop_coturn (lab);

  if (lab->cuts != NULL)
    {
      for (guint i = 0; i < lab->cuts->len; i++)
        g_source_destroy (lab->cuts->pdata[i]);
      g_clear_pointer (&lab->cuts, g_ptr_array_unref);
    }

  if (lab->websockets != NULL)
    {
      for (guint i = 0; i < lab->websockets->len; i++)
        {
          SoupWebsocketConnection *conn = lab->websockets->pdata[i];

          g_signal_handlers_disconnect_by_data (conn, lab);
          /* Closed here, so peers see the end now and not on some later iteration. */
          if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_CLOSED)
            g_io_stream_close (soup_websocket_connection_get_io_stream (conn), NULL, NULL);
        }
      g_clear_pointer (&lab->websockets, g_ptr_array_unref);
    }

  if (lab->https != NULL)
    soup_server_disconnect (lab->https);
  if (lab->https_untrusted != NULL)
    soup_server_disconnect (lab->https_untrusted);
  g_clear_object (&lab->https);
  g_clear_object (&lab->https_untrusted);

  if (lab->silent_tcp != NULL)
    {
      g_socket_service_stop (lab->silent_tcp);
      g_socket_listener_close (G_SOCKET_LISTENER (lab->silent_tcp));
      g_signal_handlers_disconnect_by_data (lab->silent_tcp, lab);
    }
  if (lab->garbage_tcp != NULL)
    {
      g_socket_service_stop (lab->garbage_tcp);
      g_socket_listener_close (G_SOCKET_LISTENER (lab->garbage_tcp));
      g_signal_handlers_disconnect_by_data (lab->garbage_tcp, lab);
    }
  g_clear_object (&lab->silent_tcp);
  g_clear_object (&lab->garbage_tcp);

  if (lab->held != NULL)
    {
      for (guint i = 0; i < lab->held->len; i++)
        g_io_stream_close (lab->held->pdata[i], NULL, NULL);
      g_clear_pointer (&lab->held, g_ptr_array_unref);
    }

  if (lab->silent_source != NULL)
    g_source_destroy (lab->silent_source);
  if (lab->garbage_source != NULL)
    g_source_destroy (lab->garbage_source);
  g_clear_pointer (&lab->silent_source, g_source_unref);
  g_clear_pointer (&lab->garbage_source, g_source_unref);
  if (lab->silent_udp != NULL)
    g_socket_close (lab->silent_udp, NULL);
  if (lab->garbage_udp != NULL)
    g_socket_close (lab->garbage_udp, NULL);
  g_clear_object (&lab->silent_udp);
  g_clear_object (&lab->garbage_udp);

  if (lab->dir != NULL)
    remove_dir (lab->dir);

  g_clear_pointer (&lab->context, g_main_context_unref);
  g_clear_pointer (&lab->ports, g_hash_table_unref);
  g_free (lab->dir);
  g_free (lab->ca_file);
  g_free (lab->password);
  g_free (lab->coturn_log);
  g_free (lab);
}

static gboolean
require_program (const char  *program,
                 const char  *package,
                 GError     **error)
{
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s (Debian package %s) is not installed", program, package);
      return FALSE;
    }

  return TRUE;
}

static gboolean
dir_is_empty (const char  *path,
              GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

CcLab *
cc_lab_new_in_dir (const char  *dir,
                   GError     **error)
{
  g_autoptr(CcLab) lab = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *canonical = NULL;
  GString *password;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_program ("openssl", "openssl", error) ||
      !require_program ("turnserver", "coturn", error))
    return NULL;

  if (dir != NULL)
    {
      canonical = g_canonicalize_filename (dir, NULL);
      if (g_mkdir_with_parents (canonical, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot create %s: %s", canonical, g_strerror (saved_errno));
          return NULL;
        }
      /* The lab deletes its directory when it stops: never someone's files. */
      if (!dir_is_empty (canonical, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                         "%s is not empty; the lab needs a new or empty directory, "
                         "which it deletes when it stops", canonical);
          return NULL;
        }
    }

  lab = g_new0 (CcLab, 1);
  lab->ports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lab->websockets = g_ptr_array_new_with_free_func (g_object_unref);
  lab->cuts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  lab->held = g_ptr_array_new_with_free_func (g_object_unref);
  lab->context = g_main_context_ref_thread_default ();
  lab->relay_min = g_random_int_range (LAB_RELAY_FIRST, LAB_RELAY_LAST + 1 - LAB_RELAY_PORTS);

  /* A fresh password per lab, so tests can tell it never leaks into output. */
  uuid = g_uuid_string_random ();
  password = g_string_new (NULL);
  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (password, *p);
  lab->password = g_string_free (password, FALSE);

  if (canonical != NULL)
    lab->dir = g_steal_pointer (&canonical);
  else if ((lab->dir = g_dir_make_tmp ("cc-lab-XXXXXX", error)) == NULL)
    return NULL;
  lab->ca_file = g_build_filename (lab->dir, "ca.pem", NULL);

  if (!make_certificates (lab, error))
    return NULL;

  if ((lab->https = start_https (lab, "server", "https", error)) == NULL ||
      (lab->https_untrusted = start_https (lab, "untrusted", "https-untrusted", error)) == NULL)
    return NULL;

  if ((lab->silent_tcp = start_tcp (lab, "silent-tcp", G_CALLBACK (silent_incoming_cb), error)) == NULL ||
      (lab->garbage_tcp = start_tcp (lab, "garbage-tcp", G_CALLBACK (garbage_incoming_cb), error)) == NULL)
    return NULL;

  if ((lab->silent_udp = start_udp (lab, "silent-udp", silent_udp_cb, &lab->silent_source, error)) == NULL ||
      (lab->garbage_udp = start_udp (lab, "garbage-udp", garbage_udp_cb, &lab->garbage_source, error)) == NULL)
    return NULL;

  if (!reserve_closed_port (lab, "closed-tcp", G_SOCKET_TYPE_STREAM, error) ||
      !reserve_closed_port (lab, "closed-udp", G_SOCKET_TYPE_DATAGRAM, error))
    return NULL;

  if (!start_coturn (lab, error))
    return NULL;

  return g_steal_pointer (&lab);
}

CcLab *
cc_lab_new (GError **error)
{
  return cc_lab_new_in_dir (NULL, error);
}

char *
cc_lab_write_source_profile (CcLab      *lab,
                             const char *name,
                             const char *template_name)
{
  const char *source = g_getenv ("CC_SOURCE_DIR");
  g_autofree char *template = g_build_filename (source ? source : ".", "tests", "profiles",
                                                template_name, NULL);
  g_autoptr(GError) error = NULL;
  char *path = cc_lab_write_file (lab, name, template, &error);

  if (path == NULL)
    g_error ("%s cannot be written to the lab: %s", template, error->message);
  return path;
}

CcLab *
cc_lab_start (GTlsDatabase **ca_database)
{
  g_autoptr(GError) error = NULL;
  CcLab *lab = cc_lab_new (&error);

  if (lab == NULL)
    g_error ("The lab could not start: %s", error->message);
  if (ca_database != NULL)
    {
      *ca_database = g_tls_file_database_new (cc_lab_get_ca_file (lab), &error);
      if (*ca_database == NULL)
        g_error ("The lab's CA cannot be read: %s", error->message);
    }
  return lab;
}

const char *
cc_lab_get_dir (CcLab *lab)
{
  g_return_val_if_fail (lab != NULL, NULL);

  return lab->dir;
}

const char *
cc_lab_get_ca_file (CcLab *lab)
{
  g_return_val_if_fail (lab != NULL, NULL);

  return lab->ca_file;
}

guint16
cc_lab_get_port (CcLab      *lab,
                 const char *name)
{
  gpointer port;

  g_return_val_if_fail (lab != NULL, 0);
  g_return_val_if_fail (name != NULL, 0);

  if (!g_hash_table_lookup_extended (lab->ports, name, NULL, &port))
    g_error ("The lab has no server called “%s”.", name);

  return GPOINTER_TO_UINT (port);
}

const char *
cc_lab_get_turn_username (CcLab *lab)
{
  g_return_val_if_fail (lab != NULL, NULL);

  return LAB_USER;
}

const char *
cc_lab_get_turn_password (CcLab *lab)
{
  g_return_val_if_fail (lab != NULL, NULL);

  return lab->password;
}

const char *
cc_lab_get_turn_realm (CcLab *lab)
{
  g_return_val_if_fail (lab != NULL, NULL);

  return LAB_REALM;
}

GTlsCertificate *
cc_lab_new_server_certificate (CcLab   *lab,
                               GError **error)
{
  g_autofree char *pem = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (lab != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pem = g_build_filename (lab->dir, "server.pem", NULL);
  key = g_build_filename (lab->dir, "server.key", NULL);

  return g_tls_certificate_new_from_files (pem, key, error);
}

char *
cc_lab_expand (CcLab      *lab,
               const char *text_template)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (lab != NULL, NULL);
  g_return_val_if_fail (text_template != NULL, NULL);

  out = g_string_new (NULL);
  p = text_template;
  while (*p != '\0')
    {
      g_autofree char *word = NULL;
      const char *end;
      gpointer port;

      /* Only @lowercase-words@ are tokens: an address like user@host stays as is. */
      end = *p == '@' ? strchr (p + 1, '@') : NULL;
      if (end == NULL || end == p + 1 ||
          strspn (p + 1, "abcdefghijklmnopqrstuvwxyz-") != (gsize) (end - p - 1))
        {
          g_string_append_c (out, *p++);
          continue;
        }

      word = g_strndup (p + 1, end - p - 1);
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
      else if (g_hash_table_lookup_extended (lab->ports, word, NULL, &port))
        g_string_append_printf (out, "%u", GPOINTER_TO_UINT (port));
      else
        g_error ("Unknown lab template word @%s@.", word);

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
  g_autofree char *path = NULL;

  g_return_val_if_fail (lab != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (template_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (template_path, &text, NULL, error))
    return NULL;

  expanded = cc_lab_expand (lab, text);
  path = g_build_filename (lab->dir, name, NULL);
  if (!g_file_set_contents (path, expanded, -1, error))
    return NULL;

  return g_steal_pointer (&path);
}
