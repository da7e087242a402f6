/* test-checks.c: every check on its own against the lab's real servers (coturn,
 * TLS HTTPS/WebSocket servers, silent, garbage-answering and closed ports):
 * status, error class, and the details that matter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "cc-connect.h"
#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-test-util.h"

#define DEADLINE_SLACK_MS CC_TEST_DEADLINE_SLACK_MS

static guint slowdown = 1;

static CcLab *lab;
static GTlsDatabase *lab_database;

/* Runs @check (taking it) with @timeout_ms; returns it for inspection. */
static CcCheck *
run (CcCheck *check,
     guint    timeout_ms)
{
  cc_check_set_timeout_ms (check, timeout_ms);
  if (cc_check_get_tls_database (check) == NULL)
    cc_check_set_tls_database (check, lab_database);
  cc_test_run_check (check);
  return check;
}

static char *
lab_url (const char *scheme,
         const char *server,
         const char *path)
{
  return g_strdup_printf ("%s://127.0.0.1:%u%s", scheme, cc_lab_get_port (lab, server), path);
}


static gboolean
loopback_is_sinkhole (GInetAddress *address,
                      gpointer      user_data)
{
  return g_inet_address_get_is_loopback (address);
}

static void
test_dns (void)
{
  g_autoptr(CcCheck) sinkholed = run (cc_dns_check_new ("localhost", loopback_is_sinkhole, NULL), 3000);
  g_autoptr(CcCheck) plain = run (cc_dns_check_new ("localhost", NULL, NULL), 3000);
  g_autoptr(CcCheck) literal = run (cc_dns_check_new ("127.0.0.1", NULL, NULL), 3000);

  cc_test_assert_result (sinkholed, CC_STATUS_FAIL, CC_ERROR_DNS_SINKHOLE);
  cc_test_assert_contains (cc_check_get_address (sinkholed), "127.0.0.1");
  cc_test_assert_result (plain, CC_STATUS_PASS, CC_ERROR_NONE);
  cc_test_assert_contains (cc_check_get_address (plain), "127.0.0.1");
  cc_test_assert_result (literal, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpstr (cc_check_get_address (literal), ==, "127.0.0.1");
}

static void
test_tcp (void)
{
  g_autoptr(CcCheck) ok = run (cc_tcp_check_new ("127.0.0.1", cc_lab_get_port (lab, "https")), 3000);
  g_autoptr(CcCheck) silent = run (cc_tcp_check_new ("127.0.0.1", cc_lab_get_port (lab, "silent-tcp")), 3000);
  g_autoptr(CcCheck) closed = run (cc_tcp_check_new ("127.0.0.1", cc_lab_get_port (lab, "closed-tcp")), 3000);

  cc_test_assert_result (ok, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpstr (cc_check_get_address (ok), ==, "127.0.0.1");
  /* A server that accepts and says nothing still proves the TCP path. */
  cc_test_assert_result (silent, CC_STATUS_PASS, CC_ERROR_NONE);
  cc_test_assert_result (closed, CC_STATUS_FAIL, CC_ERROR_REFUSED);
}

static void
never_called_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_assert_not_reached ();
}

/* A check is one run: its object holds that run's state, so running it a
 * second time is refused and leaves its result as it was. */
static void
test_runs_once (void)
{
  g_autoptr(CcCheck) check = run (cc_tcp_check_new ("127.0.0.1", cc_lab_get_port (lab, "closed-tcp")), 3000);

  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_REFUSED);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*CC_STATUS_PENDING*");
  cc_check_run_async (check, NULL, never_called_cb, NULL);
  g_test_assert_expected_messages ();
  cc_test_iterate_for (100);
  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_REFUSED);
}

static gboolean
busy_cb (gpointer user_data)
{
  g_usleep (20 * 1000);
  return G_SOURCE_CONTINUE;
}

/* A main loop busy 20 ms in every iteration (a window drawing) does not
 * lengthen a direct connection: its duration is the handshake as the kernel
 * timed it, a few µs on loopback. Deterministic: the busy source runs in every
 * iteration, so the loop is busy whatever the machine does; the handshake on
 * loopback takes microseconds, 20 ms would need the kernel itself to stall. */
static void
test_tcp_busy (void)
{
  /* Ready in every iteration, beside the check's own sources. */
  g_autoptr(GSource) busy = g_idle_source_new ();
  g_autoptr(CcCheck) tcp = NULL;
  gint64 started = g_get_monotonic_time ();

  g_source_set_priority (busy, G_PRIORITY_DEFAULT);
  g_source_set_callback (busy, busy_cb, NULL, NULL);
  g_source_attach (busy, NULL);
  tcp = run (cc_tcp_check_new ("127.0.0.1", cc_lab_get_port (lab, "https")), 3000);
  g_source_destroy (busy);

  cc_test_assert_result (tcp, CC_STATUS_PASS, CC_ERROR_NONE);
  /* The loop was busy while the check ran... */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 20 * 1000);
  /* ...and the check's duration is not the loop's. */
  g_assert_cmpint (cc_check_get_duration_ms (tcp), <, 20);
}

/* A listener whose accept queue is full: the kernel drops further SYNs, so a
 * connection to it neither completes nor fails (a silently dropping firewall
 * after a lookup that worked). Returns the listener; *port is its port. */
static GSocket *
full_listener (guint16  *port,
               GSocket **filler)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *listener;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  /* Backlog 0: Linux queues one connection that nobody accepts. */
  g_socket_set_listen_backlog (listener, 0);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  local = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_connect (*filler, local, NULL, &error);
  g_assert_no_error (error);
  return listener;
}

/* The lookup answered (an IP literal), then the connection hangs past the
 * deadline: that is a `timeout`. GSocketClient announces "resolving" again
 * 250 ms into a connection attempt (GLib 2.74's happy eyeballs), which must not
 * turn the deadline into a `dns-failure` (it did, on a satellite link). */
static void
test_tcp_connect_timeout_after_lookup (void)
{
  g_autoptr(GSocket) filler = NULL;
  guint16 port;
  g_autoptr(GSocket) listener = full_listener (&port, &filler);
  g_autoptr(CcCheck) tcp = run (cc_tcp_check_new ("127.0.0.1", port), 1000);
  g_autoptr(CcCheck) tls = run (cc_tls_check_new ("127.0.0.1", port), 1000);
  g_autoptr(CcCheck) stun = NULL;

  /* Kept open (a full accept queue) until the checks are done. */
  g_assert_nonnull (listener);
  stun = cc_stun_check_new (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TCP, "127.0.0.1", port);
  run (stun, 1000);

  cc_test_assert_result (tcp, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  cc_test_assert_result (tls, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  cc_test_assert_result (stun, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  g_assert_false (cc_check_get_lookup_timed_out (tcp));
}

/* How many connections to 127.0.0.1:@port this process's network namespace
 * has waiting for a SYN-ACK (state 02 in /proc/net/tcp). */
static guint
count_syn_sent (guint16 port)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *remote = g_strdup_printf ("0100007F:%04X", port);
  guint n = 0;

  g_assert_true (g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) columns = g_ptr_array_new ();

      for (guint j = 0; fields[j] != NULL; j++)
        if (fields[j][0] != '\0')
          g_ptr_array_add (columns, fields[j]);
      /* sl local_address rem_address st … */
      if (columns->len > 3 && g_str_equal (columns->pdata[2], remote) && g_str_equal (columns->pdata[3], "02"))
        n++;
    }
  return n;
}

typedef struct
{
  GSocket *listener;
  guint16  port;
  guint    syn_sent;
} LostSyns;

/* Counts the attempts still waiting, then opens the full listener's accept
 * queue: accepts the filler and allows more. */
static gboolean
open_queue_cb (gpointer user_data)
{
  LostSyns *lost = user_data;
  g_autoptr(GSocket) accepted = NULL;

  lost->syn_sent = count_syn_sent (lost->port);
  accepted = g_socket_accept (lost->listener, NULL, NULL);
  g_assert_nonnull (accepted);
  /* GSocket listens once; Linux takes a new backlog from a second listen(). */
  g_assert_cmpint (listen (g_socket_get_fd (lost->listener), 16), ==, 0);
  return G_SOURCE_REMOVE;
}

/* SYNs go unanswered for 2.5 s (the accept queue is full until then: Linux
 * drops SYNs silently), as on a lossy link where a SYN and its resends are
 * lost. cc-connect.c (and the HTTPS and WebSocket checks' probe, whose
 * connections are libsoup's)
 * starts a second attempt at 1 s and a third at 2 s, so at 2.5 s three
 * connections wait for an answer, each sending its own SYNs, where a single
 * connection would be one. Once the queue opens, one of them connects (at 3 s,
 * whether the kernel backs off linearly or exponentially). Timing here is the
 * kernel's and the check's own timers', 0.5 s clear of the moments that
 * matter. Returns the check, run with @timeout_ms.
 *
 * Nothing here is random (no loss, no jitter: the kernel drops every SYN while
 * the queue is full, on loopback). It could fail only if this process's main
 * loop were held up for 0.5 s at one of those moments; under valgrind the
 * attempts started 12 ms after their second (G_MESSAGES_DEBUG), so the odds
 * of a false failure are far below 1 in 10,000. */
static CcCheck *
run_lost_syns (CcCheck * (*new_check) (guint16 port),
               guint      timeout_ms)
{
  g_autoptr(GSocket) filler = NULL;
  LostSyns lost = { 0 };
  g_autoptr(GSocket) listener = full_listener (&lost.port, &filler);
  g_autoptr(GSource) open_queue = g_timeout_source_new (2500);
  CcCheck *check;

  lost.listener = listener;
  g_source_set_callback (open_queue, open_queue_cb, &lost, NULL);
  g_source_attach (open_queue, NULL);
  check = run (new_check (lost.port), timeout_ms);
  g_source_destroy (open_queue);

  g_assert_cmpuint (lost.syn_sent, ==, CC_CONNECT_MAX_ATTEMPTS);
  return check;
}

static CcCheck *
new_tcp_check (guint16 port)
{
  return cc_tcp_check_new ("127.0.0.1", port);
}

static CcCheck *
new_https_check (guint16 port)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/", port);

  return cc_https_check_new (url);
}

static CcCheck *
new_websocket_check (guint16 port)
{
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/", port);

  return cc_websocket_check_new (url, CC_ROUND_TRIP_ENGINE_IO, NULL, 0);
}

static void
test_tcp_lost_syns (void)
{
  g_autoptr(CcCheck) tcp = run_lost_syns (new_tcp_check, 4000);
  g_autoptr(CcCheck) https = run_lost_syns (new_https_check, 3500);
  g_autoptr(CcCheck) websocket = run_lost_syns (new_websocket_check, 3500);

  /* Connected, and its duration counts the wait (not the winning handshake's
   * fraction of a millisecond). */
  cc_test_assert_result (tcp, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpint (cc_check_get_duration_ms (tcp), >=, 2500);
  /* Connected at 3 s to a listener that never speaks TLS: the time limit. */
  cc_test_assert_result (https, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  cc_test_assert_result (websocket, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
}

static void
test_tls (void)
{
  g_autoptr(CcCheck) ok = run (cc_tls_check_new ("127.0.0.1", cc_lab_get_port (lab, "https")), 3000);
  g_autoptr(CcCheck) inspected = run (cc_tls_check_new ("127.0.0.1", cc_lab_get_port (lab, "https-untrusted")), 3000);
  g_autoptr(CcCheck) garbage = run (cc_tls_check_new ("127.0.0.1", cc_lab_get_port (lab, "garbage-tcp")), 3000);
  g_autoptr(CcCheck) silent = NULL;
  gint64 start;

  cc_test_assert_result (ok, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpstr (cc_check_get_tls_issuer (ok), ==, "Connection Check Lab CA");

  cc_test_assert_result (inspected, CC_STATUS_FAIL, CC_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (cc_check_get_tls_issuer (inspected), ==, "Lab Inspection CA");
  cc_test_assert_contains (cc_check_get_detail (inspected), "Lab Inspection CA");
  cc_test_assert_contains (cc_check_get_detail (inspected), "unknown authority");

  cc_test_assert_result (garbage, CC_STATUS_FAIL, CC_ERROR_TLS_FAILURE);

  /* A silent server: the check ends by its timeout, not before (the timer's
   * least time, deterministic; 100 ms spare for nothing in particular) and
   * not much after (the main loop's slack). */
  start = g_get_monotonic_time ();
  silent = run (cc_tls_check_new ("127.0.0.1", cc_lab_get_port (lab, "silent-tcp")), 1500);
  cc_test_assert_result (silent, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (1500 - 100) * 1000);
  g_assert_cmpint (cc_check_get_duration_ms (silent), <=, 1500 + DEADLINE_SLACK_MS * slowdown);
}

static void
test_https (void)
{
  g_autofree char *root = lab_url ("https", "https", "/");
  g_autofree char *forbidden = lab_url ("https", "https", "/forbidden");
  g_autofree char *untrusted = lab_url ("https", "https-untrusted", "/");
  g_autofree char *closed = lab_url ("https", "closed-tcp", "/");
  g_autoptr(CcCheck) ok = run (cc_https_check_new (root), 3000);
  g_autoptr(CcCheck) status = run (cc_https_check_new (forbidden), 3000);
  g_autoptr(CcCheck) inspected = run (cc_https_check_new (untrusted), 3000);
  g_autoptr(CcCheck) refused = run (cc_https_check_new (closed), 3000);

  cc_test_assert_result (ok, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpuint (cc_check_get_http_status (ok), ==, 200);
  g_assert_cmpstr (cc_check_get_tls_issuer (ok), ==, "Connection Check Lab CA");
  /* The server answered: reaching it is what the domain check proves. */
  cc_test_assert_result (status, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpuint (cc_check_get_http_status (status), ==, 403);
  cc_test_assert_result (inspected, CC_STATUS_FAIL, CC_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (cc_check_get_tls_issuer (inspected), ==, "Lab Inspection CA");
  cc_test_assert_result (refused, CC_STATUS_FAIL, CC_ERROR_REFUSED);
}

static void
test_websocket (void)
{
  g_autofree char *engine_io = lab_url ("wss", "https", "/engine.io/?EIO=4&transport=websocket");
  g_autofree char *echo = lab_url ("wss", "https", "/echo");
  g_autofree char *forbidden = lab_url ("wss", "https", "/forbidden");
  g_autofree char *untrusted = lab_url ("wss", "https-untrusted", "/engine.io/");
  g_autofree char *silent = lab_url ("wss", "silent-tcp", "/engine.io/");
  g_autoptr(CcCheck) eio = run (cc_websocket_check_new (engine_io, CC_ROUND_TRIP_ENGINE_IO, NULL, 0), 3000);
  g_autoptr(CcCheck) echoed = run (cc_websocket_check_new (echo, CC_ROUND_TRIP_ECHO, NULL, 0), 3000);
  g_autoptr(CcCheck) rejected = run (cc_websocket_check_new (forbidden, CC_ROUND_TRIP_ENGINE_IO, NULL, 0), 3000);
  g_autoptr(CcCheck) wrong = run (cc_websocket_check_new (engine_io, CC_ROUND_TRIP_ECHO, NULL, 0), 3000);
  g_autoptr(CcCheck) no_open = run (cc_websocket_check_new (echo, CC_ROUND_TRIP_ENGINE_IO, NULL, 0), 1500);
  g_autoptr(CcCheck) inspected = run (cc_websocket_check_new (untrusted, CC_ROUND_TRIP_ENGINE_IO, NULL, 0), 3000);
  g_autoptr(CcCheck) timeout = run (cc_websocket_check_new (silent, CC_ROUND_TRIP_ENGINE_IO, NULL, 0), 1500);

  cc_test_assert_result (eio, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpuint (cc_check_get_http_status (eio), ==, 101);
  g_assert_cmpfloat (cc_check_get_rtt_ms (eio), >=, 0);
  cc_test_assert_contains (cc_check_get_detail (eio), "Engine.IO");

  cc_test_assert_result (echoed, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpfloat (cc_check_get_rtt_ms (echoed), >=, 0);

  cc_test_assert_result (rejected, CC_STATUS_FAIL, CC_ERROR_WEBSOCKET_REJECTED);
  g_assert_cmpuint (cc_check_get_http_status (rejected), ==, 403);
  cc_test_assert_contains (cc_check_get_detail (rejected), "403");

  /* The Engine.IO server's first message is its open packet, not our echo. */
  cc_test_assert_result (wrong, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  /* The echo server never sends an open packet. */
  cc_test_assert_result (no_open, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  cc_test_assert_contains (cc_check_get_detail (no_open), "open packet");

  cc_test_assert_result (inspected, CC_STATUS_FAIL, CC_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (cc_check_get_tls_issuer (inspected), ==, "Lab Inspection CA");
  cc_test_assert_result (timeout, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
}

static void
test_websocket_hold (void)
{
  g_autofree char *engine_io = lab_url ("wss", "https", "/engine.io/");
  g_autofree char *echo = lab_url ("wss", "https", "/echo");
  g_autofree char *cut = lab_url ("wss", "https", "/cut");
  g_autoptr(CcCheck) held = run (cc_websocket_check_new (engine_io, CC_ROUND_TRIP_ENGINE_IO, NULL, 2), 5000);
  g_autoptr(CcCheck) echoed = run (cc_websocket_check_new (echo, CC_ROUND_TRIP_ECHO, NULL, 2), 5000);
  g_autoptr(CcCheck) was_cut = run (cc_websocket_check_new (cut, CC_ROUND_TRIP_NONE, NULL, 3), 6000);

  cc_test_assert_result (held, CC_STATUS_PASS, CC_ERROR_NONE);
  /* The hold's timer: its least time, deterministic. */
  g_assert_cmpint (cc_check_get_duration_ms (held), >=, 2000);
  cc_test_assert_contains (cc_check_get_detail (held), "stayed open for 2 s");

  /* Three echo round trips (one at the start, one a second): RTT and jitter. */
  cc_test_assert_result (echoed, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpfloat (cc_check_get_jitter_ms (echoed), >=, 0);

  /* The server closes /cut after a second of the three: the close ends the
   * check, not the 3 s hold (which would take 3 s after the connection's
   * set-up). Typically 1.1 s; the set-up (TLS, upgrade) has 2 s to spare,
   * under valgrind too. */
  cc_test_assert_result (was_cut, CC_STATUS_FAIL, CC_ERROR_CONNECTION_CUT);
  g_assert_cmpint (cc_check_get_duration_ms (was_cut), <, 3000);
  cc_test_assert_contains (cc_check_get_detail (was_cut), "closed after");
}

static CcCheck *
stun (CcStunMode   mode,
      CcTransport  transport,
      const char  *server)
{
  return cc_stun_check_new (mode, transport, "127.0.0.1", cc_lab_get_port (lab, server));
}

static void
test_stun_binding (void)
{
  g_autoptr(CcCheck) udp = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, "turn"), 3000);
  g_autoptr(CcCheck) tcp = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_TCP, "turn"), 3000);
  g_autoptr(CcCheck) tls = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_TLS, "turn-tls"), 3000);

  cc_test_assert_result (udp, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpstr (cc_check_get_address (udp), ==, "127.0.0.1");
  cc_test_assert_contains (cc_check_get_detail (udp), "sees this device as 127.0.0.1:");
  g_assert_cmpfloat (cc_check_get_rtt_ms (udp), >=, 0);
  cc_test_assert_result (tcp, CC_STATUS_PASS, CC_ERROR_NONE);
  cc_test_assert_result (tls, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpstr (cc_check_get_tls_issuer (tls), ==, "Connection Check Lab CA");
}

static void
test_turn_allocate (void)
{
  const char *password = cc_lab_get_turn_password (lab);
  CcTransport transports[] = { CC_TRANSPORT_UDP, CC_TRANSPORT_TCP, CC_TRANSPORT_TLS };

  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      const char *server = transports[i] == CC_TRANSPORT_TLS ? "turn-tls" : "turn";
      g_autoptr(CcCheck) anonymous = run (stun (CC_STUN_MODE_ALLOCATE, transports[i], server), 3000);
      g_autoptr(CcCheck) authed = stun (CC_STUN_MODE_ALLOCATE, transports[i], server);
      g_autoptr(CcCheck) wrong = stun (CC_STUN_MODE_ALLOCATE, transports[i], server);

      /* Without credentials, the 401 with REALM and NONCE proves the path. */
      cc_test_assert_result (anonymous, CC_STATUS_PASS, CC_ERROR_NONE);
      cc_test_assert_contains (cc_check_get_detail (anonymous), cc_lab_get_turn_realm (lab));
      g_assert_null (cc_stun_check_get_relayed_address (CC_STUN_CHECK (anonymous)));

      cc_stun_check_set_credentials (CC_STUN_CHECK (authed), cc_lab_get_turn_username (lab), password);
      run (authed, 3000);
      cc_test_assert_result (authed, CC_STATUS_PASS, CC_ERROR_NONE);
      g_assert_true (g_str_has_prefix (cc_stun_check_get_relayed_address (CC_STUN_CHECK (authed)), "127.0.0.1:"));
      g_assert_null (strstr (cc_check_get_detail (authed), password));

      cc_stun_check_set_credentials (CC_STUN_CHECK (wrong), cc_lab_get_turn_username (lab), "wrong-password");
      run (wrong, 3000);
      cc_test_assert_result (wrong, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED);
      g_assert_null (strstr (cc_check_get_detail (wrong), "wrong-password"));
    }
}

static void
test_burst (void)
{
  g_autoptr(CcCheck) udp = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "turn");
  g_autoptr(CcCheck) tcp = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_TCP, "turn");
  g_autoptr(CcCheck) large = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "turn");
  g_autoptr(CcCheck) silent = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "silent-udp");

  /* Loopback loses nothing: an answer counts as lost only when it comes more
   * than 1 s (the straggler wait) after the last send, or finds the socket's
   * receive buffer full (about 200 kB, room for some hundreds of answers, 50
   * here); neither happens short of the process stalling for a second. The round
   * trip is measured in microseconds and a round trip through coturn takes
   * more than one: > 0 is deterministic. */
  cc_stun_check_set_burst (CC_STUN_CHECK (udp), 50, 5);
  run (udp, 3000);
  cc_test_assert_result (udp, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpfloat (cc_check_get_loss_pct (udp), ==, 0);
  g_assert_cmpfloat (cc_check_get_rtt_ms (udp), >, 0);
  g_assert_cmpfloat (cc_check_get_jitter_ms (udp), >=, 0);
  cc_test_assert_contains (cc_check_get_detail (udp), "50 of 50");

  cc_stun_check_set_burst (CC_STUN_CHECK (tcp), 20, 5);
  run (tcp, 3000);
  cc_test_assert_result (tcp, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpfloat (cc_check_get_loss_pct (tcp), ==, 0);

  /* More requests than one libnice agent can track at once. The loss bound
   * is what this is about: no answer dropped for being past one agent's
   * window, which would lose most of them. Nothing is injected; < 5 % leaves
   * room for answers that a main loop stalled under valgrind finds past the
   * socket's receive buffer or the straggler wait. */
  cc_stun_check_set_burst (CC_STUN_CHECK (large), 450, 1);
  run (large, 4000);
  cc_test_assert_result (large, CC_STATUS_PASS, CC_ERROR_NONE);
  cc_test_assert_contains (cc_check_get_detail (large), "of 450");
  g_assert_cmpfloat (cc_check_get_loss_pct (large), <, 5);

  cc_stun_check_set_burst (CC_STUN_CHECK (silent), 10, 5);
  run (silent, 2000);
  cc_test_assert_result (silent, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  g_assert_cmpfloat (cc_check_get_loss_pct (silent), <, 0);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *silent = lab_url ("wss", "silent-tcp", "/");
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 start = g_get_monotonic_time ();

  g_ptr_array_add (checks, cc_websocket_check_new (silent, CC_ROUND_TRIP_NONE, NULL, 0));
  g_ptr_array_add (checks, stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, "silent-udp"));
  g_ptr_array_add (checks, stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "silent-udp"));
  g_ptr_array_add (checks, cc_tls_check_new ("127.0.0.1", cc_lab_get_port (lab, "silent-tcp")));

  for (guint i = 0; i < checks->len; i++)
    {
      cc_check_set_timeout_ms (checks->pdata[i], 10000);
      cc_check_set_tls_database (checks->pdata[i], lab_database);
    }
  g_timeout_add (200, cancel_cb, cancellable);
  cc_test_run_checks ((CcCheck **) checks->pdata, checks->len, cancellable);

  /* Cancelled at 0.2 s: ended by the cancel, not by the 10 s timeouts (half
   * of it: a cancel takes milliseconds, valgrind's included). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10000 / 2 * 1000);
  for (guint i = 0; i < checks->len; i++)
    cc_test_assert_result ((CcCheck *) checks->pdata[i], CC_STATUS_SKIP, CC_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  slowdown = cc_test_slowdown ();
  g_test_init (&argc, &argv, NULL);

  lab = cc_lab_start (&lab_database);

  g_test_add_func ("/checks/dns", test_dns);
  g_test_add_func ("/checks/tcp", test_tcp);
  g_test_add_func ("/checks/runs-once", test_runs_once);
  g_test_add_func ("/checks/tcp/busy-main-loop", test_tcp_busy);
  g_test_add_func ("/checks/tcp/connect-timeout-after-lookup", test_tcp_connect_timeout_after_lookup);
  g_test_add_func ("/checks/tcp/lost-syns", test_tcp_lost_syns);
  g_test_add_func ("/checks/tls", test_tls);
  g_test_add_func ("/checks/https", test_https);
  g_test_add_func ("/checks/websocket", test_websocket);
  g_test_add_func ("/checks/websocket-hold", test_websocket_hold);
  g_test_add_func ("/checks/stun-binding", test_stun_binding);
  g_test_add_func ("/checks/turn-allocate", test_turn_allocate);
  g_test_add_func ("/checks/burst", test_burst);
  g_test_add_func ("/checks/cancel", test_cancel);

  status = g_test_run ();
  g_clear_object (&lab_database);
  cc_lab_free (lab);
  return status;
}
