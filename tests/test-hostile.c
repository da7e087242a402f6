/* test-hostile.c: the checks against servers that misbehave on purpose. Every
 * server here is a real socket server on 127.0.0.1 started by this file
 * (GSocketService, GTlsServerConnection with the lab CA's server certificate,
 * a UDP GSocket speaking STUN through libnice's API, a SoupServer for the
 * redirects), or a relay to the lab's real HTTPS server: servers that accept and
 * never speak, answer one byte a second, stall a TLS handshake halfway, send
 * 10 MB of HTTP headers, redirect without end, close a WebSocket right after the
 * upgrade or send a 16 MB message on it, send broken STUN, challenge TURN
 * credentials forever, and a proxy that drops CONNECT midway or refuses it.
 *
 * For every check the test asserts that it fails (never passes) with the error
 * class a person should see, that it ends within its time limit plus
 * DEADLINE_SLACK_MS, that its detail is a non-empty sentence without control
 * characters, and that the check object is finalized soon after. Independent
 * checks run concurrently, so the whole program takes a few seconds per test.
 *
 * Memory: the peak resident set size may grow by at most MEMORY_BOUND_MIB
 * (20 MiB) over what it was when main() started, checked after every test. It
 * is read as VmHWM from /proc/self/status: getrusage's ru_maxrss would include
 * the peak of the image before exec() (Linux keeps it in the process), which
 * under `meson test` is the Python that started us, at about 30 MiB. Measured:
 * about 14.5 MiB, nearly all of it the lab starting and the first TLS
 * connections (GnuTLS, libsoup, trust lists); the servers here give their TLS
 * connections the lab CA as database, or each would load the system's trust
 * store. A check that buffered the 10 MB header block or the 16 MB WebSocket
 * message would not fit (one that took the message whole: +60 MiB). Under
 * valgrind the bound is not checked and the time limits stretch; under
 * AddressSanitizer (tools/test's second build) it is not checked either.
 *
 * Why one file of over 800 lines: each hostile server sits beside the cases
 * that use it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>
#include <stun/stunagent.h>
/* AddressSanitizer's shadow memory and quarantine make the resident size say
 * nothing about what the checks keep: the bound is checked without it. */
#if defined (__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined (__has_feature)
#if __has_feature (address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-test-util.h"

/* The time limit most checks here get: long enough for a TLS handshake on a
 * loaded machine, short enough to keep the program fast. */
#define CHECK_TIMEOUT_MS      1500
/* A check must end by its time limit; this is the slack for the main loop. */
#define DEADLINE_SLACK_MS     300
/* A hang fails the test instead of the suite. */
#define WAIT_LIMIT_US         (10 * G_USEC_PER_SEC)
/* How long a finished check may take to drop its last reference. */
#define FINALIZE_LIMIT_US     (2 * G_USEC_PER_SEC)
/* How long a stopped server may take until its connections let go. */
#define SERVER_STOP_LIMIT_US  (2 * G_USEC_PER_SEC)
/* See the header comment. */
#define MEMORY_BOUND_MIB      20
/* Under valgrind (cc_test_slowdown()) the slack and the waits stretch, and the
 * memory bound (valgrind's own memory) is not checked. */

/* A request head (HTTP request, CONNECT) larger than this is not read on. */
#define HEAD_LIMIT            (16 * 1024)
/* Slowloris: one byte every DRIP_INTERVAL_MS, for at most DRIP_MAX_BYTES. */
#define DRIP_INTERVAL_MS      1000
#define DRIP_MAX_BYTES        120
/* A relay that stalls a TLS handshake passes this much of the server's answer. */
#define STALL_PASS_BYTES      100
/* What the flooding servers send, and in chunks of what size. */
#define HUGE_HEADERS_BYTES    (10 * 1024 * 1024)
#define HUGE_MESSAGE_BYTES    (16 * 1024 * 1024)
#define FLOOD_CHUNK_BYTES     (64 * 1024)
#define HEADER_LINE_BYTES     1024
/* RFC 6455 §1.3: the GUID appended to Sec-WebSocket-Key. */
#define WEBSOCKET_GUID        "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
/* RFC 8489 §5: a STUN header is 20 bytes; the transaction id follows the cookie. */
#define STUN_HEADER_BYTES     20
#define STUN_ID_OFFSET        8
/* The most a TURN client should try against a server that challenges forever:
 * one request, then one per realm the check accepts to retry (cc-turn-allocate-check.c,
 * STUN_MAX_AUTH_ROUNDS), or one per allowed 438 (STUN_MAX_NONCE_RETRIES). */
#define TURN_401_SAME_REALM_REQUESTS  2
#define TURN_401_NEW_REALM_REQUESTS   3
#define TURN_438_REQUESTS             4
/* libsoup follows at most 20 redirects (SOUP_SESSION_MAX_RESEND_COUNT). */
#define REDIRECT_MAX_REQUESTS 21

static CcLab *lab;
static GTlsDatabase *lab_database;
static GTlsCertificate *lab_certificate;
static guint64 start_peak_kib;
static guint slowdown = 1;

/* ---- running checks ---- */

typedef struct
{
  const char *name;
  CcCheck    *check;       /* owned */
  CcError     expected;
  gint64      started_us;
  gint64      elapsed_us;
  gboolean    done;
} Case;

static void
case_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Case *c = user_data;
  CcStatus status = cc_check_run_finish (CC_CHECK (object), result, NULL);

  c->elapsed_us = g_get_monotonic_time () - c->started_us;
  c->done = TRUE;
  g_assert_cmpint (status, ==, cc_check_get_status (CC_CHECK (object)));
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
all_done (const Case *cases,
          guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!cases[i].done)
      return FALSE;
  return TRUE;
}

static void
assert_readable (const Case *c)
{
  const char *detail = cc_check_get_detail (c->check);

  if (detail == NULL || detail[0] == '\0')
    g_error ("%s: the detail is empty", c->name);
  if (!g_utf8_validate (detail, -1, NULL))
    g_error ("%s: the detail is not UTF-8", c->name);
  for (const char *p = detail; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      g_error ("%s: the detail has a control character (0x%02x): %s", c->name, (guchar) *p, detail);
}

/* Runs every check of @cases at once and asserts what every hostile case must
 * give. */
static void
run_cases (Case  *cases,
           guint  n)
{
  gboolean done = FALSE;
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US * slowdown;
  guint wake;

  for (guint i = 0; i < n; i++)
    {
      if (cc_check_get_tls_database (cases[i].check) == NULL)
        cc_check_set_tls_database (cases[i].check, lab_database);
      cases[i].started_us = g_get_monotonic_time ();
      cc_check_run_async (cases[i].check, NULL, case_done_cb, &cases[i]);
    }

  wake = g_timeout_add (20, wake_cb, NULL);
  while (!done)
    {
      g_main_context_iteration (NULL, TRUE);
      done = all_done (cases, n);
      if (g_get_monotonic_time () > limit)
        g_error ("%s: the check did not end", cases[0].name);
    }
  g_source_remove (wake);

  for (guint i = 0; i < n; i++)
    {
      Case *c = &cases[i];
      guint timeout_ms = cc_check_get_timeout_ms (c->check);
      g_autofree char *got = g_strdup_printf ("%s: %s %s", c->name,
                                              cc_status_to_string (cc_check_get_status (c->check)),
                                              cc_error_to_string (cc_check_get_error (c->check)));
      g_autofree char *want = g_strdup_printf ("%s: fail %s", c->name, cc_error_to_string (c->expected));

      g_test_message ("%s after %" G_GINT64_FORMAT " ms (limit %u ms): %s", got,
                      c->elapsed_us / 1000, timeout_ms, cc_check_get_detail (c->check));
      g_assert_cmpstr (got, ==, want);
      g_assert_cmpint (cc_check_get_duration_ms (c->check), <=, timeout_ms + DEADLINE_SLACK_MS * slowdown);
      g_assert_cmpint (c->elapsed_us / 1000, <=, timeout_ms + DEADLINE_SLACK_MS * slowdown);
      assert_readable (c);
    }
}

/* Drops the last reference to each check and asserts it goes away soon:
 * nothing it started keeps it alive after its end. */
static void
finalize_cases (Case  *cases,
                guint  n)
{
  for (guint i = 0; i < n; i++)
    {
      gpointer weak = cases[i].check;
      gint64 limit = g_get_monotonic_time () + FINALIZE_LIMIT_US * slowdown;

      g_object_add_weak_pointer (G_OBJECT (weak), &weak);
      g_clear_object (&cases[i].check);
      while (weak != NULL)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (200);
          if (g_get_monotonic_time () > limit)
            g_error ("%s: the check was not finalized", cases[i].name);
        }
    }
}

/* This process image's peak resident set size (see the header comment). */
static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10);
}

static void
assert_memory_bound (void)
{
  guint64 peak = peak_rss_kib ();

  if (cc_test_under_valgrind () || UNDER_ASAN)
    return;

  g_test_message ("peak RSS %" G_GUINT64_FORMAT " KiB, %" G_GUINT64_FORMAT " KiB over the start",
                  peak, peak - start_peak_kib);
  g_assert_cmpuint (peak - start_peak_kib, <=, MEMORY_BOUND_MIB * 1024);
}

static char *
url (const char *scheme,
     guint16     port,
     const char *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%u%s", scheme, port, path);
}

/* Gives @check the time limit of the checks here. */
static CcCheck *
limited (CcCheck *check)
{
  cc_check_set_timeout_ms (check, CHECK_TIMEOUT_MS * slowdown);
  return check;
}

static CcCheck *
https_check (guint16 port)
{
  g_autofree char *u = url ("https", port, "/");

  return limited (cc_https_check_new (u));
}

static CcCheck *
websocket_check (guint16     port,
                 CcRoundTrip round_trip,
                 guint       hold_seconds)
{
  g_autofree char *u = url ("wss", port, "/engine.io/?EIO=4&transport=websocket");

  return limited (cc_websocket_check_new (u, round_trip, NULL, hold_seconds));
}

static CcCheck *
tls_check (guint16 port)
{
  return limited (cc_tls_check_new ("127.0.0.1", port));
}

static CcCheck *
stun_check (CcStunMode  mode,
            CcTransport transport,
            guint16     port)
{
  return limited (cc_stun_check_new (mode, transport, "127.0.0.1", port));
}

static CcCheck *
proxied (CcCheck *check,
         guint16  proxy_port)
{
  g_autofree char *proxy = url ("http", proxy_port, "");
  g_autoptr(GProxyResolver) resolver = g_simple_proxy_resolver_new (proxy, NULL);

  cc_check_set_proxy_resolver (check, resolver);
  return check;
}

/* ---- hostile TCP servers ---- */

typedef enum
{
  HOSTILE_SILENT,              /* accepts, never sends a byte */
  HOSTILE_SLOW_TLS,            /* a TLS record header, one byte a second */
  HOSTILE_SLOW_HTTP,           /* TLS, then an HTTP answer one byte a second */
  HOSTILE_STALL_RELAY,         /* relays to the lab's HTTPS server, passing back
                                * only STALL_PASS_BYTES of its answer */
  HOSTILE_HUGE_HEADERS,        /* TLS, then an HTTP answer with 10 MB of headers */
  HOSTILE_WEBSOCKET_CLOSE,     /* TLS, 101, then close_notify and close */
  HOSTILE_WEBSOCKET_DROP,      /* TLS, 101, then the TCP connection shut under TLS */
  HOSTILE_WEBSOCKET_HUGE,      /* TLS, 101, then one 16 MB message */
  HOSTILE_STUN_SHORT,          /* a STUN header announcing more than follows, then silence */
  HOSTILE_PROXY_REFUSE,        /* CONNECT answered 403, as a proxy that blocks the host */
  HOSTILE_PROXY_CUT_LINE,      /* CONNECT answered with part of the status line, then closed */
  HOSTILE_PROXY_CUT_HANDSHAKE, /* CONNECT answered 200, then the server's TLS answer
                                * cut after STALL_PASS_BYTES */
} HostileMode;

typedef struct _Peer Peer;

typedef struct
{
  HostileMode     mode;
  GSocketService *service;
  guint16         port;
  guint16         upstream_port;  /* HOSTILE_STALL_RELAY */
  gsize           cut_at;         /* HOSTILE_PROXY_CUT_LINE: bytes of the line sent */
  GPtrArray      *peers;          /* Peer */
  GBytes         *chunk;          /* what the flooding modes repeat */
  guint           connections;
  guint64         sent;           /* bytes written to clients */
} Hostile;

/* One accepted connection. Reference counted: the server holds one, and so does
 * every operation under way, so a late callback finds it. */
struct _Peer
{
  guint              refs;
  Hostile           *server;        /* outlives the peer's operations: hostile_free() waits */
  GSocketConnection *connection;
  GIOStream         *stream;        /* to the client: the connection, or TLS over it */
  GSocketConnection *upstream;
  GCancellable      *cancellable;
  GSource           *drip;
  GString           *head;
  GQueue             outq;          /* GBytes to write to the client, in order */
  GBytes            *writing;       /* the one being written */
  gboolean           stopped;
  void             (*drained) (Peer *peer);
  guint64            to_send;       /* the flooding modes: bytes still to queue */
  gsize              dripped;
  guint8             in[4096];
};

static void
peer_free (Peer *peer)
{
  g_clear_object (&peer->stream);
  g_clear_object (&peer->connection);
  g_clear_object (&peer->upstream);
  g_clear_object (&peer->cancellable);
  g_queue_clear_full (&peer->outq, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&peer->writing, g_bytes_unref);
  if (peer->head != NULL)
    g_string_free (peer->head, TRUE);
  g_free (peer);
}

static Peer *
peer_ref (Peer *peer)
{
  peer->refs++;
  return peer;
}

static void
peer_unref (Peer *peer)
{
  if (--peer->refs == 0)
    peer_free (peer);
}

static void
shutdown_connection (GSocketConnection *connection)
{
  if (connection != NULL)
    g_socket_shutdown (g_socket_connection_get_socket (connection), TRUE, TRUE, NULL);
}

/* Ends the connection abruptly (a FIN under any TLS, no close_notify); what is
 * under way ends with errors and drops its references. */
static void
peer_stop (Peer *peer)
{
  if (peer->stopped)
    return;

  peer->stopped = TRUE;
  peer->drained = NULL;
  g_cancellable_cancel (peer->cancellable);
  if (peer->drip != NULL)
    {
      g_source_destroy (peer->drip);
      g_clear_pointer (&peer->drip, g_source_unref);
    }
  shutdown_connection (peer->connection);
  shutdown_connection (peer->upstream);
}

static void peer_flush (Peer *peer);

static void
peer_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Peer *peer = user_data;
  gsize written = 0;

  g_clear_pointer (&peer->writing, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, NULL))
    peer_stop (peer);
  peer->server->sent += written;

  if (!peer->stopped)
    {
      if (!g_queue_is_empty (&peer->outq))
        peer_flush (peer);
      else if (peer->drained != NULL)
        peer->drained (peer);
    }
  peer_unref (peer);
}

static void
peer_flush (Peer *peer)
{
  if (peer->writing != NULL || peer->stopped || g_queue_is_empty (&peer->outq))
    return;

  peer->writing = g_queue_pop_head (&peer->outq);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (peer->stream),
                                   g_bytes_get_data (peer->writing, NULL),
                                   g_bytes_get_size (peer->writing),
                                   G_PRIORITY_DEFAULT, peer->cancellable,
                                   peer_written_cb, peer_ref (peer));
}

/* Queues @bytes (taking them) for the client. */
static void
peer_send (Peer   *peer,
           GBytes *bytes)
{
  g_queue_push_tail (&peer->outq, bytes);
  peer_flush (peer);
}

static void
peer_send_text (Peer       *peer,
                const char *text,
                gssize      len)
{
  peer_send (peer, g_bytes_new (text, len < 0 ? strlen (text) : (gsize) len));
}

/* -- slowloris -- */

static gboolean
peer_drip_cb (gpointer user_data)
{
  Peer *peer = user_data;
  static const char http[] =
    "HTTP/1.1 200 OK\r\nServer: slowloris\r\nContent-Type: text/plain\r\nX-Padding: "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  /* A TLS 1.2 handshake record of 16 KiB, the ServerHello's type, then nothing
   * a client could finish a handshake with. */
  static const guint8 tls[] = { 0x16, 0x03, 0x03, 0x40, 0x00, 0x02, 0x00, 0x3f, 0xfc, 0x03, 0x03 };
  const guint8 *data = peer->server->mode == HOSTILE_SLOW_TLS ? tls : (const guint8 *) http;
  gsize len = peer->server->mode == HOSTILE_SLOW_TLS ? sizeof tls : sizeof http - 1;

  if (peer->dripped >= MIN (len, DRIP_MAX_BYTES))
    {
      g_clear_pointer (&peer->drip, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  peer_send (peer, g_bytes_new (data + peer->dripped, 1));
  peer->dripped++;
  return G_SOURCE_CONTINUE;
}

static void
peer_start_drip (Peer *peer)
{
  peer_drip_cb (peer);
  peer->drip = g_timeout_source_new (DRIP_INTERVAL_MS);
  g_source_set_callback (peer->drip, peer_drip_cb, peer, NULL);
  g_source_attach (peer->drip, NULL);
}

/* -- relays -- */

/* One direction of the relay has ended: the whole peer goes. */
static void
pump_done (gpointer data)
{
  Peer *peer = data;

  peer_stop (peer);
  peer_unref (peer);
}

/* Relays @from to @to; past @budget bytes what comes is dropped, or with
 * @stop_at_budget the peer is stopped. */
static void
pipe_start (Peer      *peer,
            GIOStream *from,
            GIOStream *to,
            gsize      budget,
            gboolean   stop_at_budget)
{
  cc_lab_pump (g_io_stream_get_input_stream (from), g_io_stream_get_output_stream (to),
               budget, stop_at_budget, peer->cancellable,
               to == G_IO_STREAM (peer->stream) ? &peer->server->sent : NULL,
               pump_done, peer_ref (peer));
}

static void
peer_upstream_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;

  peer->upstream = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (peer->upstream == NULL || peer->stopped)
    {
      peer_stop (peer);
      peer_unref (peer);
      return;
    }

  if (peer->server->mode == HOSTILE_PROXY_CUT_HANDSHAKE)
    {
      /* The tunnel is up: the client may speak, the server's answer is cut. */
      peer_send_text (peer, "HTTP/1.1 200 Connection established\r\n\r\n", -1);
      pipe_start (peer, G_IO_STREAM (peer->connection), G_IO_STREAM (peer->upstream), G_MAXSIZE, FALSE);
      pipe_start (peer, G_IO_STREAM (peer->upstream), G_IO_STREAM (peer->connection), STALL_PASS_BYTES, TRUE);
    }
  else
    {
      /* The server's answer stalls, and the connection stays open. */
      pipe_start (peer, G_IO_STREAM (peer->connection), G_IO_STREAM (peer->upstream), G_MAXSIZE, FALSE);
      pipe_start (peer, G_IO_STREAM (peer->upstream), G_IO_STREAM (peer->connection), STALL_PASS_BYTES, FALSE);
    }
  peer_unref (peer);
}

/* Only ever to 127.0.0.1. */
static void
peer_connect_upstream (Peer    *peer,
                       guint16  port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) target = g_network_address_new ("127.0.0.1", port);

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, target, peer->cancellable, peer_upstream_cb, peer_ref (peer));
}

/* -- request heads -- */

/* The value of header @name in @head, or NULL. */
static char *
head_value (const char *head,
            const char *name)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  gsize name_len = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, name_len) == 0 && lines[i][name_len] == ':')
      return g_strstrip (g_strdup (lines[i] + name_len + 1));
  return NULL;
}

static char *
websocket_accept (const char *key)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) key, strlen (key));
  g_checksum_update (sha1, (const guchar *) WEBSOCKET_GUID, strlen (WEBSOCKET_GUID));
  g_checksum_get_digest (sha1, digest, &digest_len);
  return g_base64_encode (digest, digest_len);
}

static void
peer_close_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Peer *peer = user_data;

  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  peer_stop (peer);
  peer_unref (peer);
}

/* A clean end: close_notify, then the TCP connection closed. */
static void
peer_close_cleanly (Peer *peer)
{
  peer->drained = NULL;
  g_io_stream_close_async (peer->stream, G_PRIORITY_DEFAULT, NULL, peer_close_done_cb, peer_ref (peer));
}

static void
peer_flood (Peer *peer)
{
  gsize size = g_bytes_get_size (peer->server->chunk);

  if (peer->to_send == 0)
    {
      if (peer->server->mode == HOSTILE_HUGE_HEADERS)
        peer_send_text (peer, "\r\n", -1);
      peer->drained = NULL;
      return;
    }

  if (peer->to_send >= size)
    peer_send (peer, g_bytes_ref (peer->server->chunk));
  else
    peer_send (peer, g_bytes_new_from_bytes (peer->server->chunk, 0, peer->to_send));
  peer->to_send -= MIN (peer->to_send, size);
}

static void
peer_answer_websocket (Peer *peer)
{
  g_autofree char *key = head_value (peer->head->str, "Sec-WebSocket-Key");
  g_autofree char *accept = NULL;
  g_autofree char *answer = NULL;

  if (key == NULL)
    {
      peer_stop (peer);
      return;
    }

  accept = websocket_accept (key);
  answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                            "Upgrade: websocket\r\n"
                            "Connection: Upgrade\r\n"
                            "Sec-WebSocket-Accept: %s\r\n\r\n", accept);
  peer_send_text (peer, answer, -1);

  switch (peer->server->mode)
    {
    case HOSTILE_WEBSOCKET_CLOSE:
      peer->drained = peer_close_cleanly;
      break;

    case HOSTILE_WEBSOCKET_DROP:
      peer->drained = peer_stop;
      break;

    case HOSTILE_WEBSOCKET_HUGE:
    default:
      {
        /* RFC 6455 §5.2: FIN and a text frame, unmasked (server to client),
         * a 64-bit payload length. */
        guint8 frame[10] = { 0x81, 127 };

        for (guint i = 0; i < 8; i++)
          frame[2 + i] = (guint8) (((guint64) HUGE_MESSAGE_BYTES) >> (8 * (7 - i)));
        peer_send (peer, g_bytes_new (frame, sizeof frame));
        peer->to_send = HUGE_MESSAGE_BYTES;
        peer->drained = peer_flood;
      }
      break;
    }
}

static void
peer_answer_connect (Peer *peer)
{
  static const char established[] = "HTTP/1.1 200 Connection established";
  g_auto(GStrv) words = g_strsplit (peer->head->str, " ", 3);
  g_autoptr(GSocketConnectable) target = NULL;

  if (g_strv_length (words) < 3 || !g_str_equal (words[0], "CONNECT"))
    {
      peer_stop (peer);
      return;
    }

  if (peer->server->mode == HOSTILE_PROXY_REFUSE)
    {
      peer_send_text (peer, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", -1);
      return;
    }

  if (peer->server->mode == HOSTILE_PROXY_CUT_LINE)
    {
      peer_send_text (peer, established, MIN (peer->server->cut_at, strlen (established)));
      peer->drained = peer_stop;
      return;
    }

  target = g_network_address_parse (words[1], 443, NULL);
  if (target == NULL || !g_str_equal (g_network_address_get_hostname (G_NETWORK_ADDRESS (target)), "127.0.0.1"))
    {
      peer_stop (peer);
      return;
    }
  peer_connect_upstream (peer, g_network_address_get_port (G_NETWORK_ADDRESS (target)));
}

static void
peer_head_done (Peer *peer)
{
  switch (peer->server->mode)
    {
    case HOSTILE_HUGE_HEADERS:
      peer_send_text (peer, "HTTP/1.1 200 OK\r\n", -1);
      peer->to_send = HUGE_HEADERS_BYTES;
      peer->drained = peer_flood;
      break;

    case HOSTILE_WEBSOCKET_CLOSE:
    case HOSTILE_WEBSOCKET_DROP:
    case HOSTILE_WEBSOCKET_HUGE:
      peer_answer_websocket (peer);
      break;

    case HOSTILE_PROXY_REFUSE:
    case HOSTILE_PROXY_CUT_LINE:
    case HOSTILE_PROXY_CUT_HANDSHAKE:
      peer_answer_connect (peer);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
peer_head_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Peer *peer = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0 || peer->stopped)
    {
      peer_stop (peer);
      peer_unref (peer);
      return;
    }

  if (peer->server->mode == HOSTILE_STUN_SHORT)
    {
      /* A Binding success response for the request's transaction, whose
       * header announces 256 bytes of attributes; 40 follow. */
      guint8 answer[STUN_HEADER_BYTES + 40] = { 0x01, 0x01, 0x01, 0x00, 0x21, 0x12, 0xa4, 0x42 };

      if (n >= STUN_HEADER_BYTES)
        memcpy (answer + STUN_ID_OFFSET, peer->in + STUN_ID_OFFSET, STUN_HEADER_BYTES - STUN_ID_OFFSET);
      peer_send (peer, g_bytes_new (answer, sizeof answer));
      peer_unref (peer);
      return;
    }

  g_string_append_len (peer->head, (const char *) peer->in, n);
  if (strstr (peer->head->str, "\r\n\r\n") != NULL)
    peer_head_done (peer);
  else if (peer->head->len > HEAD_LIMIT)
    peer_stop (peer);
  else
    {
      g_input_stream_read_async (G_INPUT_STREAM (object), peer->in, sizeof peer->in, G_PRIORITY_DEFAULT,
                                 peer->cancellable, peer_head_read_cb, peer);
      return;
    }
  peer_unref (peer);
}

static void
peer_read_head (Peer *peer)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (peer->stream), peer->in, sizeof peer->in,
                             G_PRIORITY_DEFAULT, peer->cancellable, peer_head_read_cb, peer_ref (peer));
}

/* The connection is up (and TLS, for the modes that speak it). */
static void
peer_begin (Peer *peer)
{
  switch (peer->server->mode)
    {
    case HOSTILE_SILENT:
      break;

    case HOSTILE_SLOW_TLS:
    case HOSTILE_SLOW_HTTP:
      peer_start_drip (peer);
      break;

    case HOSTILE_STALL_RELAY:
      peer_connect_upstream (peer, peer->server->upstream_port);
      break;

    case HOSTILE_HUGE_HEADERS:
    case HOSTILE_WEBSOCKET_CLOSE:
    case HOSTILE_WEBSOCKET_DROP:
    case HOSTILE_WEBSOCKET_HUGE:
    case HOSTILE_STUN_SHORT:
    case HOSTILE_PROXY_REFUSE:
    case HOSTILE_PROXY_CUT_LINE:
    case HOSTILE_PROXY_CUT_HANDSHAKE:
    default:
      peer_read_head (peer);
      break;
    }
}

static void
peer_handshake_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Peer *peer = user_data;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, NULL) || peer->stopped)
    peer_stop (peer);
  else
    peer_begin (peer);
  peer_unref (peer);
}

static gboolean
mode_speaks_tls (HostileMode mode)
{
  return mode == HOSTILE_SLOW_HTTP || mode == HOSTILE_HUGE_HEADERS ||
         mode == HOSTILE_WEBSOCKET_CLOSE || mode == HOSTILE_WEBSOCKET_DROP ||
         mode == HOSTILE_WEBSOCKET_HUGE;
}

static gboolean
hostile_incoming_cb (GSocketService    *service,
                     GSocketConnection *connection,
                     GObject           *source_object,
                     gpointer           user_data)
{
  Hostile *server = user_data;
  Peer *peer = g_new0 (Peer, 1);
  g_autoptr(GError) error = NULL;

  peer->refs = 1;
  server->connections++;
  peer->server = server;
  peer->connection = g_object_ref (connection);
  peer->cancellable = g_cancellable_new ();
  peer->head = g_string_new (NULL);
  g_queue_init (&peer->outq);
  g_ptr_array_add (server->peers, peer);

  if (!mode_speaks_tls (server->mode))
    {
      peer->stream = G_IO_STREAM (g_object_ref (connection));
      peer_begin (peer);
      return TRUE;
    }

  /* With the lab CA as its database: by default each server connection would
   * load the system's trust store (megabytes), which would drown what the
   * memory bound is there to see. */
  peer->stream = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                                 NULL, &error,
                                 "base-io-stream", connection,
                                 "certificate", lab_certificate,
                                 "database", lab_database,
                                 NULL);
  g_assert_no_error (error);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (peer->stream), G_PRIORITY_DEFAULT,
                                    peer->cancellable, peer_handshake_cb, peer_ref (peer));
  return TRUE;
}

static GBytes *
flood_chunk (HostileMode mode)
{
  GString *chunk = g_string_sized_new (FLOOD_CHUNK_BYTES);

  if (mode == HOSTILE_HUGE_HEADERS)
    {
      /* Header lines of HEADER_LINE_BYTES each: "X-Padding: aaa…\r\n". */
      while (chunk->len + HEADER_LINE_BYTES <= FLOOD_CHUNK_BYTES)
        {
          g_string_append (chunk, "X-Padding: ");
          while (chunk->len % HEADER_LINE_BYTES < HEADER_LINE_BYTES - 2)
            g_string_append_c (chunk, 'a');
          g_string_append (chunk, "\r\n");
        }
    }
  else
    {
      while (chunk->len < FLOOD_CHUNK_BYTES)
        g_string_append_c (chunk, 'a');
    }

  return g_string_free_to_bytes (chunk);
}

static Hostile *
hostile_new (HostileMode mode)
{
  Hostile *server = g_new0 (Hostile, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  server->mode = mode;
  server->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_unref);
  server->chunk = flood_chunk (mode);
  server->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server->service, "incoming", G_CALLBACK (hostile_incoming_cb), server);
  g_socket_service_start (server->service);

  return server;
}

static guint
hostile_busy_peers (Hostile *server)
{
  guint busy = 0;

  for (guint i = 0; i < server->peers->len; i++)
    busy += ((Peer *) server->peers->pdata[i])->refs > 1;
  return busy;
}

static void
hostile_free (Hostile *server)
{
  gint64 limit = g_get_monotonic_time () + SERVER_STOP_LIMIT_US * slowdown;

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_signal_handlers_disconnect_by_data (server->service, server);
  g_clear_object (&server->service);

  for (guint i = 0; i < server->peers->len; i++)
    peer_stop (server->peers->pdata[i]);

  /* Operations under way end with "cancelled" and let go of their peers. */
  while (hostile_busy_peers (server) > 0)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      if (g_get_monotonic_time () > limit)
        g_error ("%u connections of a stopped server are still busy", hostile_busy_peers (server));
    }

  g_ptr_array_free (server->peers, TRUE);
  g_bytes_unref (server->chunk);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_free)

/* ---- a STUN server that answers badly (UDP) ---- */

/* Its agent ends every answer with a FINGERPRINT (RFC 8489 §14.7), valid but
 * where it is broken on purpose: the endless 401s and 438s, taken as answers,
 * show that valid ones are accepted. */

typedef enum
{
  STUN_WRONG_ID,         /* a success answer for a transaction nobody started */
  STUN_TRUNCATED,        /* a success answer whose last attribute runs past its end */
  STUN_BAD_FINGERPRINT,  /* a success answer with a FINGERPRINT that does not match */
  STUN_HUGE_LENGTH,      /* a header announcing 65532 bytes of attributes, alone */
  STUN_EMPTY_REALM,      /* 401 with NONCE and an empty REALM */
  STUN_QUOTES_REALM,     /* 401 with NONCE and a REALM of two quotes */
  STUN_401_FOREVER,      /* 401, the same REALM, a new NONCE every time */
  STUN_401_NEW_REALM,    /* 401, a new REALM and NONCE every time */
  STUN_438_FOREVER,      /* 438 Stale Nonce with a new NONCE every time */
} StunMode;

typedef struct
{
  StunMode   mode;
  GSocket   *socket;
  GSource   *source;
  StunAgent  agent;
  guint      requests;
  guint16    port;
} StunServer;

static void
stun_append_mapped (StunMessage    *msg,
                    GSocketAddress *address)
{
  struct sockaddr_storage native;

  g_assert_true (g_socket_address_to_native (address, &native, sizeof native, NULL));
  g_assert_cmpint (stun_message_append_xor_addr (msg, STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS, &native,
                                                 g_socket_address_get_native_size (address)),
                   ==, STUN_MESSAGE_RETURN_SUCCESS);
}

static gboolean
stun_server_readable_cb (GSocket      *socket,
                         GIOCondition  condition,
                         gpointer      user_data)
{
  StunServer *server = user_data;
  g_autoptr(GSocketAddress) from = NULL;
  g_autofree char *nonce = NULL;
  g_autofree char *realm = NULL;
  guint8 in[1500], other[1500], out[1500];
  StunMessage request = { 0 }, answer;
  gsize len = 0;
  gssize n;

  n = g_socket_receive_from (socket, &from, (char *) in, sizeof in, NULL, NULL);
  if (n < STUN_HEADER_BYTES)
    return G_SOURCE_CONTINUE;

  server->requests++;
  request.agent = &server->agent;
  request.buffer = in;
  request.buffer_len = n;
  nonce = g_strdup_printf ("hostile-nonce-%u", server->requests);
  realm = g_strdup_printf ("hostile-realm-%u", server->requests);

  switch (server->mode)
    {
    case STUN_WRONG_ID:
      memcpy (other, in, n);
      other[STUN_ID_OFFSET] ^= 0xff;
      request.buffer = other;
      g_assert_true (stun_agent_init_response (&server->agent, &answer, out, sizeof out, &request));
      stun_append_mapped (&answer, from);
      len = stun_agent_finish_message (&server->agent, &answer, NULL, 0);
      break;

    case STUN_TRUNCATED:
    case STUN_BAD_FINGERPRINT:
      g_assert_true (stun_agent_init_response (&server->agent, &answer, out, sizeof out, &request));
      stun_append_mapped (&answer, from);
      len = stun_agent_finish_message (&server->agent, &answer, NULL, 0);
      if (server->mode == STUN_BAD_FINGERPRINT)
        out[len - 1] ^= 0xff;
      else
        {
          /* Drop the last attribute's value, and say so in the header: the
           * datagram and its header agree, the attribute does not. */
          guint16 header_len = ((out[2] << 8) | out[3]) - 4;

          len -= 4;
          out[2] = header_len >> 8;
          out[3] = header_len & 0xff;
        }
      break;

    case STUN_HUGE_LENGTH:
      g_assert_true (stun_agent_init_response (&server->agent, &answer, out, sizeof out, &request));
      len = STUN_HEADER_BYTES;
      out[2] = 0xff;
      out[3] = 0xfc;
      break;

    case STUN_EMPTY_REALM:
    case STUN_QUOTES_REALM:
    case STUN_401_FOREVER:
    case STUN_401_NEW_REALM:
    case STUN_438_FOREVER:
    default:
      g_assert_true (stun_agent_init_error (&server->agent, &answer, out, sizeof out, &request,
                                            server->mode == STUN_438_FOREVER ? STUN_ERROR_STALE_NONCE
                                                                             : STUN_ERROR_UNAUTHORIZED));
      stun_message_append_string (&answer, STUN_ATTRIBUTE_REALM,
                                  server->mode == STUN_EMPTY_REALM ? "" :
                                  server->mode == STUN_QUOTES_REALM ? "\"\"" :
                                  server->mode == STUN_401_NEW_REALM ? realm : "hostile");
      stun_message_append_string (&answer, STUN_ATTRIBUTE_NONCE, nonce);
      len = stun_agent_finish_message (&server->agent, &answer, NULL, 0);
      break;
    }

  g_assert_cmpuint (len, >, 0);
  g_socket_send_to (socket, from, (const char *) out, len, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static StunServer *
stun_server_new (StunMode mode)
{
  StunServer *server = g_new0 (StunServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  server->mode = mode;
  stun_agent_init (&server->agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_USE_FINGERPRINT);
  server->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->socket, any, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (server->socket, FALSE);
  bound = g_socket_get_local_address (server->socket, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  server->source = g_socket_create_source (server->socket, G_IO_IN, NULL);
  g_source_set_callback (server->source, G_SOURCE_FUNC (stun_server_readable_cb), server, NULL);
  g_source_attach (server->source, NULL);
  return server;
}

static void
stun_server_free (StunServer *server)
{
  g_source_destroy (server->source);
  g_source_unref (server->source);
  g_socket_close (server->socket, NULL);
  g_object_unref (server->socket);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StunServer, stun_server_free)

/* ---- a server that redirects forever ---- */

static void
redirect_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  guint *requests = user_data;
  g_autofree char *next = g_strdup_printf ("/hop/%u", ++*requests);

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, next);
}

/* ---- the cases ---- */

static void
test_silent (void)
{
  g_autoptr(Hostile) silent = hostile_new (HOSTILE_SILENT);
  Case cases[] = {
    { "tls", tls_check (silent->port), CC_ERROR_TIMEOUT },
    { "https", https_check (silent->port), CC_ERROR_TIMEOUT },
    { "websocket", websocket_check (silent->port, CC_ROUND_TRIP_ENGINE_IO, 0), CC_ERROR_TIMEOUT },
    { "stun-tcp", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_TCP, silent->port), CC_ERROR_TIMEOUT },
    { "stun-tls", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_TLS, silent->port), CC_ERROR_TIMEOUT },
    { "turn-tcp", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TCP, silent->port), CC_ERROR_TIMEOUT },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
  /* It took the whole time limit: nothing ended them early. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cases[i].elapsed_us / 1000, >=, CHECK_TIMEOUT_MS * slowdown - 100);
  g_assert_cmpuint (silent->connections, ==, G_N_ELEMENTS (cases));
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_slowloris (void)
{
  g_autoptr(Hostile) slow_http = hostile_new (HOSTILE_SLOW_HTTP);
  g_autoptr(Hostile) slow_tls = hostile_new (HOSTILE_SLOW_TLS);
  Case cases[] = {
    { "https", https_check (slow_http->port), CC_ERROR_TIMEOUT },
    { "websocket", websocket_check (slow_http->port, CC_ROUND_TRIP_ENGINE_IO, 0), CC_ERROR_TIMEOUT },
    { "tls", tls_check (slow_tls->port), CC_ERROR_TIMEOUT },
    { "stun-tls", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_TLS, slow_tls->port), CC_ERROR_TIMEOUT },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
  /* The bytes kept coming until the end: it is the deadline that ended them. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cases[i].elapsed_us / 1000, >=, CHECK_TIMEOUT_MS * slowdown - 100);
  g_assert_cmpuint (slow_http->sent, >=, 2);
  g_assert_cmpuint (slow_tls->sent, >=, 2);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_stalled_handshake (void)
{
  g_autoptr(Hostile) relay = hostile_new (HOSTILE_STALL_RELAY);
  Case cases[] = {
    { "tls", NULL, CC_ERROR_TIMEOUT },
    { "https", NULL, CC_ERROR_TIMEOUT },
    { "websocket", NULL, CC_ERROR_TIMEOUT },
  };

  relay->upstream_port = cc_lab_get_port (lab, "https");
  cases[0].check = tls_check (relay->port);
  cases[1].check = https_check (relay->port);
  cases[2].check = websocket_check (relay->port, CC_ROUND_TRIP_ENGINE_IO, 0);

  run_cases (cases, G_N_ELEMENTS (cases));
  /* The server's answer began, and stopped where the relay cut it. */
  g_assert_cmpuint (relay->sent, ==, G_N_ELEMENTS (cases) * STALL_PASS_BYTES);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_huge_headers (void)
{
  g_autoptr(Hostile) huge = hostile_new (HOSTILE_HUGE_HEADERS);
  Case cases[] = {
    { "https", https_check (huge->port), CC_ERROR_PROTOCOL_ERROR },
    { "websocket", websocket_check (huge->port, CC_ROUND_TRIP_ENGINE_IO, 0), CC_ERROR_PROTOCOL_ERROR },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
  /* They gave up long before the end of the head. */
  g_test_message ("the server got %" G_GUINT64_FORMAT " bytes out", huge->sent);
  g_assert_cmpuint (huge->sent, <, HUGE_HEADERS_BYTES);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_endless_redirects (void)
{
  g_autoptr(SoupServer) server = soup_server_new ("tls-certificate", lab_certificate, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint requests = 0;
  guint16 port;
  Case cases[] = {
    { "https", NULL, CC_ERROR_PROTOCOL_ERROR },
  };

  soup_server_add_handler (server, NULL, redirect_cb, &requests, NULL);
  soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  cases[0].check = https_check (port);
  run_cases (cases, G_N_ELEMENTS (cases));
  g_assert_cmpuint (cc_check_get_http_status (cases[0].check), ==, SOUP_STATUS_FOUND);
  g_test_message ("%u requests", requests);
  g_assert_cmpuint (requests, >, 1);
  g_assert_cmpuint (requests, <=, REDIRECT_MAX_REQUESTS);
  finalize_cases (cases, G_N_ELEMENTS (cases));
  soup_server_disconnect (server);
}

static void
test_websocket_closed (void)
{
  g_autoptr(Hostile) closing = hostile_new (HOSTILE_WEBSOCKET_CLOSE);
  g_autoptr(Hostile) dropping = hostile_new (HOSTILE_WEBSOCKET_DROP);
  Case cases[] = {
    { "engine.io, close_notify", websocket_check (closing->port, CC_ROUND_TRIP_ENGINE_IO, 0), CC_ERROR_CONNECTION_CUT },
    { "echo, close_notify", websocket_check (closing->port, CC_ROUND_TRIP_ECHO, 0), CC_ERROR_CONNECTION_CUT },
    { "hold, close_notify", websocket_check (closing->port, CC_ROUND_TRIP_NONE, 1), CC_ERROR_CONNECTION_CUT },
    { "engine.io, dropped", websocket_check (dropping->port, CC_ROUND_TRIP_ENGINE_IO, 0), CC_ERROR_CONNECTION_CUT },
    { "echo, dropped", websocket_check (dropping->port, CC_ROUND_TRIP_ECHO, 0), CC_ERROR_CONNECTION_CUT },
    { "hold, dropped", websocket_check (dropping->port, CC_ROUND_TRIP_NONE, 1), CC_ERROR_CONNECTION_CUT },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* The upgrade was accepted, and the close noticed at once. */
      g_assert_cmpuint (cc_check_get_http_status (cases[i].check), ==, SOUP_STATUS_SWITCHING_PROTOCOLS);
      g_assert_cmpint (cases[i].elapsed_us / 1000, <, CHECK_TIMEOUT_MS * slowdown / 2);
    }
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_websocket_huge_message (void)
{
  g_autoptr(Hostile) huge = hostile_new (HOSTILE_WEBSOCKET_HUGE);
  Case cases[] = {
    { "engine.io", websocket_check (huge->port, CC_ROUND_TRIP_ENGINE_IO, 0), CC_ERROR_PROTOCOL_ERROR },
    { "echo", websocket_check (huge->port, CC_ROUND_TRIP_ECHO, 0), CC_ERROR_PROTOCOL_ERROR },
  };

  run_cases (cases, G_N_ELEMENTS (cases));
  /* They gave up at the frame's header, long before the message was out. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cases[i].elapsed_us / 1000, <, CHECK_TIMEOUT_MS * slowdown / 2);
  g_test_message ("the server got %" G_GUINT64_FORMAT " bytes out", huge->sent);
  g_assert_cmpuint (huge->sent, <, HUGE_MESSAGE_BYTES);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_stun_replies (void)
{
  g_autoptr(StunServer) wrong_id = stun_server_new (STUN_WRONG_ID);
  g_autoptr(StunServer) truncated = stun_server_new (STUN_TRUNCATED);
  g_autoptr(StunServer) bad_fingerprint = stun_server_new (STUN_BAD_FINGERPRINT);
  g_autoptr(StunServer) huge_length = stun_server_new (STUN_HUGE_LENGTH);
  g_autoptr(Hostile) short_tcp = hostile_new (HOSTILE_STUN_SHORT);
  Case cases[] = {
    { "wrong transaction id", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, wrong_id->port), CC_ERROR_PROTOCOL_ERROR },
    { "truncated attribute", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, truncated->port), CC_ERROR_PROTOCOL_ERROR },
    { "bad fingerprint", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, bad_fingerprint->port), CC_ERROR_PROTOCOL_ERROR },
    { "huge length", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, huge_length->port), CC_ERROR_PROTOCOL_ERROR },
    { "allocate, bad fingerprint", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, bad_fingerprint->port), CC_ERROR_PROTOCOL_ERROR },
    { "tcp, short message", stun_check (CC_STUN_MODE_BINDING, CC_TRANSPORT_TCP, short_tcp->port), CC_ERROR_PROTOCOL_ERROR },
  };

  /* Each of them took the whole time limit, waiting for a real answer, and was
   * then named for what came back (a timeout would blame a firewall). The UDP
   * requests were sent again meanwhile: a damaged answer did not end them. */
  run_cases (cases, G_N_ELEMENTS (cases));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cases[i].elapsed_us / 1000, >=, CHECK_TIMEOUT_MS * slowdown - 100);
  g_assert_cmpuint (wrong_id->requests, >=, 1);
  g_assert_cmpuint (truncated->requests, >=, 1);
  g_assert_cmpuint (bad_fingerprint->requests, >=, 2);
  g_assert_cmpuint (huge_length->requests, >=, 1);
  g_assert_cmpuint (short_tcp->sent, ==, STUN_HEADER_BYTES + 40);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_stun_empty_realm (void)
{
  g_autoptr(StunServer) empty = stun_server_new (STUN_EMPTY_REALM);
  g_autoptr(StunServer) quotes = stun_server_new (STUN_QUOTES_REALM);
  Case cases[] = {
    { "empty realm", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, empty->port), CC_ERROR_PROTOCOL_ERROR },
    { "quotes realm", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, quotes->port), CC_ERROR_PROTOCOL_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    cc_stun_check_set_credentials (CC_STUN_CHECK (cases[i].check), "hostile-user", "hostile-secret");

  run_cases (cases, G_N_ELEMENTS (cases));
  /* No credentials were built from it: the first answer ended the check. */
  g_assert_cmpuint (empty->requests, ==, 1);
  g_assert_cmpuint (quotes->requests, ==, 1);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_turn_challenges (void)
{
  g_autoptr(StunServer) same_realm = stun_server_new (STUN_401_FOREVER);
  g_autoptr(StunServer) new_realm = stun_server_new (STUN_401_NEW_REALM);
  g_autoptr(StunServer) stale = stun_server_new (STUN_438_FOREVER);
  Case cases[] = {
    { "401 forever", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, same_realm->port), CC_ERROR_AUTH_REQUIRED },
    { "401 with a new realm forever", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, new_realm->port), CC_ERROR_AUTH_REQUIRED },
    { "438 forever", stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, stale->port), CC_ERROR_PROTOCOL_ERROR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    cc_stun_check_set_credentials (CC_STUN_CHECK (cases[i].check), "hostile-user", "hostile-secret");

  run_cases (cases, G_N_ELEMENTS (cases));
  g_assert_cmpuint (same_realm->requests, ==, TURN_401_SAME_REALM_REQUESTS);
  g_assert_cmpuint (new_realm->requests, ==, TURN_401_NEW_REALM_REQUESTS);
  g_assert_cmpuint (stale->requests, ==, TURN_438_REQUESTS);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_null (strstr (cc_check_get_detail (cases[i].check), "hostile-secret"));
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

/* Every kind of check that can go through a proxy, to the lab's real servers. */
static void
proxy_cases (Case        *cases,
             guint16      proxy_port,
             CcError      expected)
{
  g_autofree char *https = url ("https", cc_lab_get_port (lab, "https"), "/");
  g_autofree char *wss = url ("wss", cc_lab_get_port (lab, "https"), "/engine.io/?EIO=4&transport=websocket");

  cases[0] = (Case) { "tls", proxied (tls_check (cc_lab_get_port (lab, "https")), proxy_port), expected };
  cases[1] = (Case) { "https", proxied (limited (cc_https_check_new (https)), proxy_port), expected };
  cases[2] = (Case) { "websocket", proxied (limited (cc_websocket_check_new (wss, CC_ROUND_TRIP_ENGINE_IO, NULL, 0)),
                                            proxy_port), expected };
  cases[3] = (Case) { "turn-tls", proxied (stun_check (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TLS,
                                                       cc_lab_get_port (lab, "turn-tls")), proxy_port), expected };
}

#define N_PROXY_CASES 4

/* A TLS handshake cut by the peer, through GIO's own TLS (the TLS check, TURN
 * over TLS) or libsoup's (HTTPS, WebSocket): glib-networking 2.74 reports any
 * failure of a first handshake (the peer closing, a truncated record, a reset)
 * as G_TLS_ERROR_NOT_TLS, exactly as an answer that is not TLS at all
 * (gtlsconnection-gnutls.c, end_gnutls_io), so the class is `tls-failure`:
 * "the secure connection fails", which is true, where `connection-cut` would be
 * a guess the engine cannot verify. */
#define TLS_HANDSHAKE_CUT CC_ERROR_TLS_FAILURE

static void
test_proxy_cut_status_line (void)
{
  static const char line[] = "HTTP/1.1 200 Connection established";
  g_autoptr(Hostile) in_code = hostile_new (HOSTILE_PROXY_CUT_LINE);
  g_autoptr(Hostile) in_reason = hostile_new (HOSTILE_PROXY_CUT_LINE);
  Case cases[2 * N_PROXY_CASES];

  /* "HTTP/1.1 20", then closed: every client sees a broken proxy answer. */
  in_code->cut_at = strlen ("HTTP/1.1 20");
  proxy_cases (cases, in_code->port, CC_ERROR_PROXY_FAILURE);

  /* "HTTP/1.1 200 Conn", then closed. libsoup cannot parse it: the proxy
   * failed. GLib's HTTP proxy (ghttpproxy.c) takes a status line cut after
   * "200" with no end of head as a yes, so the checks on GIO only see the
   * tunnel end during their TLS handshake. */
  in_reason->cut_at = (sizeof line - 1) / 2;
  proxy_cases (cases + N_PROXY_CASES, in_reason->port, CC_ERROR_PROXY_FAILURE);
  cases[N_PROXY_CASES + 0].expected = TLS_HANDSHAKE_CUT;
  cases[N_PROXY_CASES + 3].expected = TLS_HANDSHAKE_CUT;

  run_cases (cases, G_N_ELEMENTS (cases));
  g_assert_cmpuint (in_code->connections, ==, N_PROXY_CASES);
  g_assert_cmpuint (in_reason->connections, ==, N_PROXY_CASES);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

/* Every proxy case through a proxy in @mode, each expected to end in @expected. */
static void
run_proxy_mode (HostileMode mode,
                CcError     expected)
{
  g_autoptr(Hostile) proxy = hostile_new (mode);
  Case cases[N_PROXY_CASES];

  proxy_cases (cases, proxy->port, expected);

  run_cases (cases, G_N_ELEMENTS (cases));
  g_assert_cmpuint (proxy->connections, ==, N_PROXY_CASES);
  finalize_cases (cases, G_N_ELEMENTS (cases));
}

/* Not a cut, but the same moment: a proxy that refuses the tunnel. Its 403 is
 * not the server's answer (which would prove the server reachable) nor a
 * refused WebSocket (which would say ordinary web traffic gets through). */
static void
test_proxy_refuses (void)
{
  run_proxy_mode (HOSTILE_PROXY_REFUSE, CC_ERROR_PROXY_FAILURE);
}

static void
test_proxy_cut_handshake (void)
{
  run_proxy_mode (HOSTILE_PROXY_CUT_HANDSHAKE, TLS_HANDSHAKE_CUT);
}

/* ---- main ---- */

typedef struct
{
  const char *path;
  GTestFunc   func;
} HostileTest;

static const HostileTest hostile_tests[] = {
  { "/hostile/silent", test_silent },
  { "/hostile/slowloris", test_slowloris },
  { "/hostile/stalled-tls-handshake", test_stalled_handshake },
  { "/hostile/huge-http-headers", test_huge_headers },
  { "/hostile/endless-redirects", test_endless_redirects },
  { "/hostile/websocket-closed-after-upgrade", test_websocket_closed },
  { "/hostile/websocket-huge-message", test_websocket_huge_message },
  { "/hostile/stun-broken-replies", test_stun_replies },
  { "/hostile/stun-empty-realm", test_stun_empty_realm },
  { "/hostile/turn-endless-challenges", test_turn_challenges },
  { "/hostile/proxy-cut-status-line", test_proxy_cut_status_line },
  { "/hostile/proxy-cut-handshake", test_proxy_cut_handshake },
  { "/hostile/proxy-refuses-connect", test_proxy_refuses },
};

static void
run_hostile_test (gconstpointer data)
{
  const HostileTest *test = data;

  test->func ();
  assert_memory_bound ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  start_peak_kib = peak_rss_kib ();
  slowdown = cc_test_slowdown ();

  g_test_init (&argc, &argv, NULL);

  lab = cc_lab_start (&lab_database);
  lab_certificate = cc_lab_new_server_certificate (lab, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (hostile_tests); i++)
    g_test_add_data_func (hostile_tests[i].path, &hostile_tests[i], run_hostile_test);

  status = g_test_run ();
  g_clear_object (&lab_certificate);
  g_clear_object (&lab_database);
  cc_lab_free (lab);
  return status;
}
