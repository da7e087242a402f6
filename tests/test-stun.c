/* test-stun.c: the STUN/TURN check (CcStunCheck) against real coturn from the
 * lab, against the lab's silent, garbage-answering and closed ports, and against
 * a scripted STUN server in this file (built with libnice's STUN API) for the
 * answers coturn cannot be made to give: 438 loops, other error codes, a realm
 * that changes, noise before the real answer. Every test asserts the status, the
 * error class and the numbers that matter, and that no detail shows the password.
 *
 * Why one file of over 800 lines: one test program per component, its
 * scripted STUN server beside the cases that need it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <stun/stunagent.h>

#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-test-util.h"

/* How long a finished check may take to drop its last reference (pending I/O
 * completing with "cancelled"). */
#define FINALIZE_LIMIT_US (2 * G_USEC_PER_SEC)
#define DEADLINE_SLACK_MS CC_TEST_DEADLINE_SLACK_MS

static guint slowdown = 1;

static CcLab *lab;
static GTlsDatabase *lab_database;

/* ---- helpers ---- */

static void
assert_no_secret (CcCheck *check)
{
  const char *detail = cc_check_get_detail (check);

  g_assert_nonnull (detail);
  g_assert_null (strstr (detail, cc_lab_get_turn_password (lab)));
  g_assert_null (strstr (detail, "wrong-password"));
  g_assert_null (strstr (detail, "scripted-secret"));
  g_assert_null (strstr (detail, "scripted-user"));
}

/* Runs @check with @timeout_ms and the lab CA unless a database is set; then
 * checks what every run must give. */
static CcCheck *
run (CcCheck *check,
     guint    timeout_ms)
{
  cc_check_set_timeout_ms (check, timeout_ms);
  if (cc_check_get_tls_database (check) == NULL)
    cc_check_set_tls_database (check, lab_database);
  cc_test_run_check (check);
  /* The base class's deadline ends a check at timeout_ms at the latest. */
  g_assert_cmpint (cc_check_get_duration_ms (check), <=, timeout_ms + DEADLINE_SLACK_MS * slowdown);
  assert_no_secret (check);
  return check;
}

/* Drops the last reference and asserts the check goes away soon: nothing it
 * started (a read, a timer, a socket source) keeps it alive after its end. */
static void
finalize_check (CcCheck *check)
{
  gpointer weak = check;
  gint64 limit = g_get_monotonic_time () + FINALIZE_LIMIT_US * slowdown;

  g_object_add_weak_pointer (G_OBJECT (check), &weak);
  g_object_unref (check);
  while (weak != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
    }
}

/* g_autoptr(CcCheckRef): a check that must be finalized when it goes out of scope. */
typedef CcCheck CcCheckRef;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcCheckRef, finalize_check)

static CcCheck *
stun (CcStunMode   mode,
      CcTransport  transport,
      const char  *server)
{
  return cc_stun_check_new (mode, transport, "127.0.0.1", cc_lab_get_port (lab, server));
}

static const char *
turn_server (CcTransport transport)
{
  return transport == CC_TRANSPORT_TLS ? "turn-tls" : "turn";
}

static const CcTransport all_transports[] = { CC_TRANSPORT_UDP, CC_TRANSPORT_TCP, CC_TRANSPORT_TLS };

/* "answered 17 of 20" → 17 and 20, from the burst's detail. */
static void
burst_counts (CcCheck *check,
              guint   *answered,
              guint   *sent)
{
  g_assert_cmpint (sscanf (cc_check_get_detail (check), "%u of %u", answered, sent), ==, 2);
}

/* ---- a scripted STUN server (UDP, 127.0.0.1) ---- */

/* Besides ERROR-CODE values, a Reply's code can be: */
#define SCRIPT_SUCCESS   0    /* a success answer (signed when the request was) */
#define SCRIPT_SILENT   -1    /* no answer */
#define SCRIPT_MAX_SEEN  16

typedef struct
{
  int         code;       /* ERROR-CODE to answer, or SCRIPT_* */
  const char *realm;      /* with REALM and NONCE when set */
  gboolean    nonce;
  gboolean    noise;      /* first garbage and an answer to another transaction */
} Reply;

typedef struct
{
  GSocket     *socket;
  GSource     *source;
  StunAgent    agent;
  const Reply *script;
  guint        script_len;
  guint        requests;
  /* What each request was: method, LIFETIME (-1 without), and whether its
   * MESSAGE-INTEGRITY checked out with the scripted password. */
  StunMethod   methods[SCRIPT_MAX_SEEN];
  gint64       lifetimes[SCRIPT_MAX_SEEN];
  gboolean     signed_ok[SCRIPT_MAX_SEEN];
} Scripted;

#define SCRIPTED_PASSWORD "scripted-secret"

static bool
scripted_validater (StunAgent    *agent,
                    StunMessage  *message,
                    uint8_t      *username,
                    uint16_t      username_len,
                    uint8_t     **password,
                    size_t       *password_len,
                    void         *user_data)
{
  *password = (uint8_t *) SCRIPTED_PASSWORD;
  *password_len = strlen (SCRIPTED_PASSWORD);
  return TRUE;
}

static void
append_address (StunMessage   *msg,
                StunAttribute  type,
                const char    *ip,
                guint16        port)
{
  struct sockaddr_storage native;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (ip);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, port);

  g_assert_true (g_socket_address_to_native (address, &native, sizeof native, NULL));
  g_assert_cmpint (stun_message_append_xor_addr (msg, type, &native,
                                                 g_socket_address_get_native_size (address)),
                   ==, STUN_MESSAGE_RETURN_SUCCESS);
}

static void
scripted_send (Scripted       *server,
               GSocketAddress *to,
               const guint8   *data,
               gsize           len)
{
  g_autoptr(GError) error = NULL;

  g_socket_send_to (server->socket, to, (const char *) data, len, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
scripted_readable_cb (GSocket      *socket,
                      GIOCondition  condition,
                      gpointer      user_data)
{
  Scripted *server = user_data;
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GError) error = NULL;
  guint8 in[1500], out[1500];
  StunMessage request = { 0 }, validated, answer;
  StunValidationStatus validation;
  const Reply *reply;
  uint32_t lifetime;
  guint index;
  gssize n;

  n = g_socket_receive_from (socket, &from, (char *) in, sizeof in, NULL, &error);
  if (n <= 0)
    return G_SOURCE_CONTINUE;
  g_assert_cmpint (stun_message_validate_buffer_length (in, n, TRUE), ==, n);

  request.agent = &server->agent;
  request.buffer = in;
  request.buffer_len = n;
  g_assert_cmpint (stun_message_get_class (&request), ==, STUN_REQUEST);

  index = server->requests++;
  reply = &server->script[MIN (index, server->script_len - 1)];
  validation = stun_agent_validate (&server->agent, &validated, in, n, scripted_validater, server);
  if (index < SCRIPT_MAX_SEEN)
    {
      server->methods[index] = stun_message_get_method (&request);
      server->lifetimes[index] = stun_message_find32 (&request, STUN_ATTRIBUTE_LIFETIME, &lifetime)
                                 == STUN_MESSAGE_RETURN_SUCCESS ? (gint64) lifetime : -1;
      server->signed_ok[index] = validation == STUN_VALIDATION_SUCCESS &&
                                 stun_message_has_attribute (&request, STUN_ATTRIBUTE_MESSAGE_INTEGRITY);
    }

  if (reply->code == SCRIPT_SILENT)
    return G_SOURCE_CONTINUE;

  if (reply->noise)
    {
      static const char garbage[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
      guint8 other[1500];

      scripted_send (server, from, (const guint8 *) garbage, sizeof garbage - 1);
      /* Well-formed STUN, but for a transaction nobody started. */
      memcpy (other, in, n);
      other[STUN_MESSAGE_TRANS_ID_POS] ^= 0xff;
      request.buffer = other;
      g_assert_true (stun_agent_init_response (&server->agent, &answer, out, sizeof out, &request));
      scripted_send (server, from, out, stun_agent_finish_message (&server->agent, &answer, NULL, 0));
      request.buffer = in;
    }

  if (reply->code == SCRIPT_SUCCESS)
    {
      gboolean authenticated = validation == STUN_VALIDATION_SUCCESS && validated.key != NULL;

      /* A response to a signed request is signed with the same key. */
      g_assert_true (stun_agent_init_response (&server->agent, &answer, out, sizeof out,
                                               authenticated ? &validated : &request));
      append_address (&answer, STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS, "203.0.113.7", 4242);
      if (stun_message_get_method (&request) == STUN_ALLOCATE)
        {
          append_address (&answer, STUN_ATTRIBUTE_RELAY_ADDRESS, "203.0.113.9", 50000);
          stun_message_append32 (&answer, STUN_ATTRIBUTE_LIFETIME, 600);
        }
    }
  else
    {
      g_assert_true (stun_agent_init_error (&server->agent, &answer, out, sizeof out, &request, reply->code));
      if (reply->realm != NULL)
        stun_message_append_string (&answer, STUN_ATTRIBUTE_REALM, reply->realm);
      if (reply->nonce)
        {
          g_autofree char *nonce = g_strdup_printf ("nonce-%u", server->requests);

          stun_message_append_string (&answer, STUN_ATTRIBUTE_NONCE, nonce);
        }
    }

  scripted_send (server, from, out, stun_agent_finish_message (&server->agent, &answer, NULL, 0));
  return G_SOURCE_CONTINUE;
}

static Scripted *
scripted_new (const Reply *script,
              guint        script_len)
{
  Scripted *server = g_new0 (Scripted, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  server->script = script;
  server->script_len = script_len;
  stun_agent_init (&server->agent, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                   STUN_AGENT_USAGE_LONG_TERM_CREDENTIALS);

  server->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                 G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->socket, any, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (server->socket, FALSE);

  server->source = g_socket_create_source (server->socket, G_IO_IN, NULL);
  g_source_set_callback (server->source, (GSourceFunc) (GCallback) scripted_readable_cb, server, NULL);
  g_source_attach (server->source, NULL);
  return server;
}

static guint16
scripted_port (Scripted *server)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (server->socket, NULL);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

static void
scripted_free (Scripted *server)
{
  g_source_destroy (server->source);
  g_source_unref (server->source);
  g_socket_close (server->socket, NULL);
  g_object_unref (server->socket);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scripted, scripted_free)

/* Lets the server read until it has seen @n requests: a release comes after
 * the check's end. Within FINALIZE_LIMIT_US (stretched under valgrind). */
static void
scripted_wait_requests (Scripted *server,
                        guint     n)
{
  gint64 limit = g_get_monotonic_time () + FINALIZE_LIMIT_US * slowdown;

  while (server->requests < n)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
    }
}

static CcCheck *
run_scripted (Scripted   *server,
              CcStunMode  mode,
              gboolean    credentials)
{
  CcCheck *check = cc_stun_check_new (mode, CC_TRANSPORT_UDP, "127.0.0.1", scripted_port (server));

  if (credentials)
    cc_stun_check_set_credentials (CC_STUN_CHECK (check), "scripted-user", SCRIPTED_PASSWORD);
  return run (check, 3000);
}

/* ---- a resolver that knows no names (GResolver handles IP literals itself) ---- */

#define TEST_TYPE_NO_RESOLVER (test_no_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestNoResolver, test_no_resolver, TEST, NO_RESOLVER, GResolver)

struct _TestNoResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (TestNoResolver, test_no_resolver, G_TYPE_RESOLVER)

static void
test_no_resolver_lookup_by_name_async (GResolver           *resolver,
                                       const char          *hostname,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_task_report_new_error (resolver, callback, user_data, test_no_resolver_lookup_by_name_async,
                           G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                           "No such name: %s", hostname);
}

static void
test_no_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                                  const char               *hostname,
                                                  GResolverNameLookupFlags  flags,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data)
{
  test_no_resolver_lookup_by_name_async (resolver, hostname, cancellable, callback, user_data);
}

static GList *
test_no_resolver_lookup_by_name_finish (GResolver     *resolver,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_no_resolver_class_init (TestNoResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name_async = test_no_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_no_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags_async = test_no_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_no_resolver_lookup_by_name_finish;
}

static void
test_no_resolver_init (TestNoResolver *self)
{
}

/* ---- tests ---- */

static void
test_binding (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_transports); i++)
    {
      CcTransport transport = all_transports[i];
      guint16 port = cc_lab_get_port (lab, turn_server (transport));
      g_autofree char *target = g_strdup_printf ("127.0.0.1:%u", port);
      g_autoptr(CcCheckRef) check = run (stun (CC_STUN_MODE_BINDING, transport, turn_server (transport)), 3000);

      cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
      g_assert_cmpstr (cc_check_get_kind (check), ==, "stun-binding");
      g_assert_cmpstr (cc_check_get_target (check), ==, target);
      g_assert_cmpstr (cc_check_get_transport (check), ==, cc_transport_to_string (transport));
      g_assert_cmpstr (cc_check_get_address (check), ==, "127.0.0.1");
      /* The reflexive address: coturn sees us on loopback. */
      cc_test_assert_contains (cc_check_get_detail (check), "sees this device as 127.0.0.1:");
      /* Answered before the 3 s deadline, so measured below it: deterministic. */
      g_assert_cmpfloat (cc_check_get_rtt_ms (check), >=, 0);
      g_assert_cmpfloat (cc_check_get_rtt_ms (check), <, 3000);
      g_assert_cmpfloat (cc_check_get_jitter_ms (check), <, 0);
      g_assert_cmpfloat (cc_check_get_loss_pct (check), <, 0);
      if (transport == CC_TRANSPORT_TLS)
        g_assert_cmpstr (cc_check_get_tls_issuer (check), ==, "Connection Check Lab CA");
      else
        g_assert_null (cc_check_get_tls_issuer (check));
    }
}

static void
test_allocate_anonymous (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_transports); i++)
    {
      CcTransport transport = all_transports[i];
      g_autoptr(CcCheckRef) check = run (stun (CC_STUN_MODE_ALLOCATE, transport, turn_server (transport)), 3000);

      /* Without credentials, the 401 with REALM and NONCE proves the path. */
      cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
      g_assert_cmpstr (cc_check_get_kind (check), ==, "turn-allocate");
      g_assert_cmpstr (cc_check_get_address (check), ==, "127.0.0.1");
      cc_test_assert_contains (cc_check_get_detail (check), cc_lab_get_turn_realm (lab));
      cc_test_assert_contains (cc_check_get_detail (check), "asked for credentials");
      g_assert_null (cc_stun_check_get_relayed_address (CC_STUN_CHECK (check)));
      g_assert_cmpfloat (cc_check_get_rtt_ms (check), >=, 0);
    }
}

static void
test_allocate_credentials (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_transports); i++)
    {
      CcTransport transport = all_transports[i];
      g_autoptr(CcCheckRef) check = stun (CC_STUN_MODE_ALLOCATE, transport, turn_server (transport));
      const char *relayed;

      cc_stun_check_set_credentials (CC_STUN_CHECK (check), cc_lab_get_turn_username (lab),
                                     cc_lab_get_turn_password (lab));
      run (check, 3000);

      cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
      relayed = cc_stun_check_get_relayed_address (CC_STUN_CHECK (check));
      g_assert_nonnull (relayed);
      /* coturn relays from --relay-ip=127.0.0.1. */
      g_assert_true (g_str_has_prefix (relayed, "127.0.0.1:"));
      g_assert_cmpuint (strlen (relayed), >, strlen ("127.0.0.1:"));
      cc_test_assert_contains (cc_check_get_detail (check), relayed);
      g_assert_cmpfloat (cc_check_get_rtt_ms (check), >=, 0);
      /* The username is not secret, but it has no business in a report either. */
      g_assert_null (strstr (cc_check_get_detail (check), cc_lab_get_turn_username (lab)));
    }
}

static void
test_allocate_wrong_password (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_transports); i++)
    {
      CcTransport transport = all_transports[i];
      g_autoptr(CcCheckRef) check = stun (CC_STUN_MODE_ALLOCATE, transport, turn_server (transport));

      cc_stun_check_set_credentials (CC_STUN_CHECK (check), cc_lab_get_turn_username (lab), "wrong-password");
      run (check, 3000);

      cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED);
      cc_test_assert_contains (cc_check_get_detail (check), "rejected the credentials");
      g_assert_null (cc_stun_check_get_relayed_address (CC_STUN_CHECK (check)));
      /* Ended by the second 401, not by the 3 s deadline (over TLS too, whose
       * handshake is the slowest part under valgrind: well below a second). */
      g_assert_cmpint (cc_check_get_duration_ms (check), <, 3000);
    }
}

static void
test_udp_failures (void)
{
  g_autoptr(CcCheckRef) silent = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, "silent-udp"), 1500);
  g_autoptr(CcCheckRef) silent_allocate = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, "silent-udp"), 1500);
  g_autoptr(CcCheckRef) closed = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, "closed-udp"), 3000);
  g_autoptr(CcCheckRef) closed_allocate = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, "closed-udp"), 3000);
  g_autoptr(CcCheckRef) garbage = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, "garbage-udp"), 1500);
  g_autoptr(CcCheckRef) garbage_allocate = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_UDP, "garbage-udp"), 1500);

  /* Sends at 0, 0.25 and 0.75 s (RTO 250 ms, doubling; the fourth at 1.75 s):
   * 3 within 1.5 s, 2 only if the loop stalled for 0.75 s. */
  cc_test_assert_result (silent, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  g_assert_cmpint (cc_check_get_duration_ms (silent), >=, 1500);
  g_assert_true (strstr (cc_check_get_detail (silent), "2 requests") ||
                 strstr (cc_check_get_detail (silent), "3 requests"));
  cc_test_assert_result (silent_allocate, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);

  /* ICMP port unreachable: at once (a few ms), not at the 3 s deadline. */
  cc_test_assert_result (closed, CC_STATUS_FAIL, CC_ERROR_REFUSED);
  g_assert_cmpint (cc_check_get_duration_ms (closed), <, 3000 / 2);
  cc_test_assert_result (closed_allocate, CC_STATUS_FAIL, CC_ERROR_REFUSED);

  /* Garbage is ignored while waiting, then named at the deadline. */
  cc_test_assert_result (garbage, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  cc_test_assert_contains (cc_check_get_detail (garbage), "not with STUN");
  g_assert_cmpint (cc_check_get_duration_ms (garbage), >=, 1500);
  cc_test_assert_result (garbage_allocate, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
}

static void
test_stream_failures (void)
{
  g_autoptr(CcCheckRef) garbage = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_TCP, "garbage-tcp"), 3000);
  g_autoptr(CcCheckRef) garbage_allocate = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TCP, "garbage-tcp"), 3000);
  g_autoptr(CcCheckRef) silent = run (stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_TCP, "silent-tcp"), 1500);
  g_autoptr(CcCheckRef) closed = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TCP, "closed-tcp"), 3000);
  g_autoptr(CcCheckRef) closed_tls = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TLS, "closed-tcp"), 3000);
  g_autoptr(CcCheckRef) tls_on_plain = run (stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TLS, "garbage-tcp"), 3000);

  /* Garbage where a STUN header must be: at once (a few ms), not at the 3 s
   * deadline. */
  cc_test_assert_result (garbage, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  cc_test_assert_contains (cc_check_get_detail (garbage), "not with STUN");
  g_assert_cmpint (cc_check_get_duration_ms (garbage), <, 3000 / 2);
  cc_test_assert_result (garbage_allocate, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);

  cc_test_assert_result (silent, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  g_assert_cmpint (cc_check_get_duration_ms (silent), >=, 1500);
  cc_test_assert_contains (cc_check_get_detail (silent), "1 request over TCP");

  /* Refused: at once, not at the 3 s deadline. */
  cc_test_assert_result (closed, CC_STATUS_FAIL, CC_ERROR_REFUSED);
  g_assert_cmpint (cc_check_get_duration_ms (closed), <, 3000 / 2);
  cc_test_assert_result (closed_tls, CC_STATUS_FAIL, CC_ERROR_REFUSED);
  cc_test_assert_result (tls_on_plain, CC_STATUS_FAIL, CC_ERROR_TLS_FAILURE);
}

static void
test_tls_untrusted (void)
{
  g_autoptr(GTlsDatabase) other = NULL;
  g_autoptr(CcCheckRef) check = stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TLS, "turn-tls");
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer_words = NULL;

  /* A trust store without the lab CA, as a device meeting an inspecting proxy. */
  if (g_file_test ("/etc/ssl/certs/ca-certificates.crt", G_FILE_TEST_EXISTS))
    {
      other = g_tls_file_database_new ("/etc/ssl/certs/ca-certificates.crt", &error);
      g_assert_no_error (error);
    }
  else
    other = g_tls_backend_get_default_database (g_tls_backend_get_default ());

  cc_check_set_tls_database (check, other);
  run (check, 3000);

  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_TLS_UNTRUSTED);
  cc_test_assert_contains (cc_check_get_tls_issuer (check), "Connection Check Lab CA");
  issuer_words = g_strdup_printf ("“%s”", cc_check_get_tls_issuer (check));
  cc_test_assert_contains (cc_check_get_detail (check), issuer_words);
  /* Ended by the certificate, not by the 3 s deadline. */
  g_assert_cmpint (cc_check_get_duration_ms (check), <, 3000);
}

static void
test_burst (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_transports); i++)
    {
      CcTransport transport = all_transports[i];
      g_autoptr(CcCheckRef) check = stun (CC_STUN_MODE_BURST, transport, turn_server (transport));
      guint answered, sent;

      cc_stun_check_set_burst (CC_STUN_CHECK (check), 50, 5);
      run (check, 3000);

      cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
      g_assert_cmpstr (cc_check_get_kind (check), ==, "media-burst");
      burst_counts (check, &answered, &sent);
      g_assert_cmpuint (sent, ==, 50);
      /* Loopback, nothing injected: an answer is lost only if it comes 1 s
       * (the straggler wait) after the last send, a stall of the process for
       * that long; the mean round trip (well below 1 ms) would need stalls
       * of that size too to reach 1 s. */
      g_assert_cmpuint (answered, ==, 50);
      g_assert_cmpfloat (cc_check_get_loss_pct (check), ==, 0);
      g_assert_cmpfloat (cc_check_get_rtt_ms (check), >=, 0);
      g_assert_cmpfloat (cc_check_get_rtt_ms (check), <, 1000);
      g_assert_cmpfloat (cc_check_get_jitter_ms (check), >=, 0);
      /* 50 × 5 ms: the last send is planned at 245 ms (the sends follow a
       * grid from the start, lateness does not add up), so never earlier.
       * And no wait for stragglers once all are answered: that wait would
       * end 1 s after the last send, at 1245 ms at the earliest. */
      g_assert_cmpint (cc_check_get_duration_ms (check), >=, 245);
      g_assert_cmpint (cc_check_get_duration_ms (check), <, 245 + 1000);
    }
}

/* The main loop blocked 50 ms at a time by other work (a window redrawing, a
 * report being written): answers wait in the socket that long, but the kernel
 * stamped them on arrival, so the burst's round trips stay the network's. */
#define BUSY_BLOCK_MS 50

static gboolean
busy_cb (gpointer user_data)
{
  guint *blocks = user_data;

  g_usleep (BUSY_BLOCK_MS * 1000);
  (*blocks)++;
  return G_SOURCE_CONTINUE;
}

static void
test_burst_busy_main_loop (void)
{
  g_autoptr(CcCheckRef) check = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "turn");
  guint blocks = 0, answered, sent;
  guint busy;

  cc_stun_check_set_burst (CC_STUN_CHECK (check), 40, 20);
  /* At the sockets' and timers' priority, so it runs in every iteration of
   * the loop, between a send and the read of its answer. */
  busy = g_idle_add_full (G_PRIORITY_DEFAULT, busy_cb, &blocks, NULL);
  run (check, 5000);
  g_source_remove (busy);

  cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
  burst_counts (check, &answered, &sent);
  g_assert_cmpuint (answered, >=, 1);
  /* The loop was busy most of the time: 0.8 s of sends at the least. */
  g_assert_cmpuint (blocks, >=, 800 / BUSY_BLOCK_MS / 2);
  g_test_message ("busy main loop: %u blocks of %u ms; burst: %u of %u answered, round trip %.2f ms, jitter %.2f ms",
                  blocks, BUSY_BLOCK_MS, answered, sent, cc_check_get_rtt_ms (check),
                  cc_check_get_jitter_ms (check));
  /* Timed from the main loop, an answer waits for the block that follows its
   * send: 50 ms (measured so: 50.5 ms). Timed by the kernel, the round trip
   * is coturn's turnaround on loopback, 0.1–0.3 ms here. The mean can reach
   * 10 ms only if coturn (another process, on the other core) is kept from
   * running for 10 ms per request on average, 400 ms in the 0.8 s of the
   * burst, and the jitter (RFC 3550, gain 1/16) 10 ms only after a stall of
   * 80 ms or more; a stall of 400 ms would fail the lab's other timing
   * assertions too. Seen here in 177 runs, some beside the whole lab suite:
   * at most 2.4 ms round trip and 1.7 ms jitter. Odds estimated well below
   * 1e-4 per run. Under valgrind the send call itself is slow: the bounds
   * stretch. */
  g_assert_cmpfloat (cc_check_get_rtt_ms (check), <, 10.0 * slowdown);
  g_assert_cmpfloat (cc_check_get_jitter_ms (check), <, 10.0 * slowdown);
}

static void
test_burst_short_timeout (void)
{
  g_autoptr(CcCheckRef) check = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "turn");
  guint answered, sent;

  /* Planned for 2 s of sending, given 1 s in all: it sends for about half of
   * it, keeps the rest for stragglers, and ends itself with its numbers. */
  cc_stun_check_set_burst (CC_STUN_CHECK (check), 100, 20);
  run (check, 1000);

  /* The sends follow a grid, 20 ms apart up to about 0.47 s: about 24 of
   * them however late the timers are. */
  cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
  burst_counts (check, &answered, &sent);
  g_assert_cmpuint (sent, >=, 10);
  g_assert_cmpuint (sent, <, 100);
  g_assert_cmpuint (answered, ==, sent);
  g_assert_cmpfloat (cc_check_get_loss_pct (check), ==, 0);
  /* It ends itself 50 ms before the 1 s deadline (BURST_DEADLINE_MARGIN_MS);
   * the base class's deadline would give the same numbers, so only the time
   * tells. A timer 50 ms late does not happen here natively; under valgrind it
   * does, and there only the deadline's slack is asserted. */
  if (slowdown == 1)
    g_assert_cmpint (cc_check_get_duration_ms (check), <, 1000);
  else
    g_assert_cmpint (cc_check_get_duration_ms (check), <=, 1000 + DEADLINE_SLACK_MS * slowdown);
}

/* One request of ten lost, on a fast path: the burst counts it lost after
 * waiting 0.5 s for it (twice the longest round trip, at least 0.5 s), not a
 * whole second. The last send is at 0.18 s or later and timers never fire
 * early: at least 0.68 s; a wait of 1 s would make it 1.18 s or more. The
 * upper bound fails by chance only if this idle test process is kept from
 * running for 0.5 s (100 runs here: 680 or 681 ms every time); under valgrind
 * only the deadline is asserted. Odds estimated well below 1e-4. */
static void
test_burst_lost_request (void)
{
  static const Reply script[] = {
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE }, { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE }, { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE }, { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE }, { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE }, { SCRIPT_SILENT, NULL, FALSE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = cc_stun_check_new (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "127.0.0.1",
                                                   scripted_port (server));
  guint answered, sent;

  cc_stun_check_set_burst (CC_STUN_CHECK (check), 10, 20);
  run (check, 3000);

  cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
  burst_counts (check, &answered, &sent);
  g_assert_cmpuint (sent, ==, 10);
  g_assert_cmpuint (answered, ==, 9);
  g_assert_cmpfloat (cc_check_get_loss_pct (check), ==, 10);
  g_assert_cmpint (cc_check_get_duration_ms (check), >=, 9 * 20 + 500);
  /* Under valgrind timers run late: there only the deadline is asserted. */
  if (slowdown == 1)
    g_assert_cmpint (cc_check_get_duration_ms (check), <, 9 * 20 + 1000);
  else
    g_assert_cmpint (cc_check_get_duration_ms (check), <=, 3000 + DEADLINE_SLACK_MS * slowdown);
}

static void
test_burst_failures (void)
{
  g_autoptr(CcCheckRef) silent = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "silent-udp");
  g_autoptr(CcCheckRef) closed = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "closed-udp");
  g_autoptr(CcCheckRef) silent_tcp = stun (CC_STUN_MODE_BURST, CC_TRANSPORT_TCP, "silent-tcp");

  cc_stun_check_set_burst (CC_STUN_CHECK (silent), 10, 5);
  run (silent, 2000);
  cc_test_assert_result (silent, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  cc_test_assert_contains (cc_check_get_detail (silent), "None of 10 packets");
  /* It ends itself after the straggler wait, at about 1.05 s, before the 2 s
   * deadline. */
  g_assert_cmpint (cc_check_get_duration_ms (silent), <, 2000);

  cc_stun_check_set_burst (CC_STUN_CHECK (closed), 10, 5);
  run (closed, 2000);
  cc_test_assert_result (closed, CC_STATUS_FAIL, CC_ERROR_REFUSED);

  cc_stun_check_set_burst (CC_STUN_CHECK (silent_tcp), 10, 5);
  run (silent_tcp, 1500);
  cc_test_assert_result (silent_tcp, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
}

/* The first request is lost, its retransmission (250 ms later, RFC 8489
 * §6.2.1) answered at once: the answer may belong to either send, so it is
 * timed from the first, an upper bound that says so, never from the last
 * (which would make a 600 ms satellite round trip look like 350 ms). */
static void
test_scripted_answer_to_retransmission (void)
{
  static const Reply script[] = {
    { SCRIPT_SILENT, NULL, FALSE, FALSE },
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
  };
  static const Reply challenge[] = {
    { SCRIPT_SILENT, NULL, FALSE, FALSE },
    { STUN_ERROR_UNAUTHORIZED, "scripted", TRUE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) binding = run_scripted (server, CC_STUN_MODE_BINDING, FALSE);
  g_autoptr(Scripted) relay = scripted_new (challenge, G_N_ELEMENTS (challenge));
  g_autoptr(CcCheckRef) allocate = NULL;

  cc_test_assert_result (binding, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpuint (server->requests, ==, 2);
  /* The retransmission timer cannot fire early: deterministic. */
  g_assert_cmpfloat (cc_check_get_rtt_ms (binding), >=, 250);
  cc_test_assert_contains (cc_check_get_detail (binding), "at most");

  /* The same for the anonymous Allocate's 401. */
  allocate = run_scripted (relay, CC_STUN_MODE_ALLOCATE, FALSE);
  cc_test_assert_result (allocate, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpfloat (cc_check_get_rtt_ms (allocate), >=, 250);
  cc_test_assert_contains (cc_check_get_detail (allocate), "at most");
}

/* Once the relay's 401 has timed the path, the signed Allocate goes out again
 * after three round trips (at least 0.1 s), not after the initial 0.25 s: on a
 * relay that stays silent, five signed sends fit in the 3 s limit (0, 0.1,
 * 0.3, 0.7, 1.5 s); with the initial RTO only four do (0, 0.25, 0.75, 1.75 s;
 * timers never fire early). It fails by chance only if the fifth send, due at
 * 1.5 s, is held back 1.5 s by a stalled process (40 runs here, beside other
 * tests: always 5 signed sends); odds estimated well below 1e-4. */
static void
test_scripted_learned_rto (void)
{
  static const Reply script[] = {
    { STUN_ERROR_UNAUTHORIZED, "scripted", TRUE, FALSE },
    { SCRIPT_SILENT, NULL, FALSE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_ALLOCATE, TRUE);

  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_TIMEOUT);
  g_assert_cmpuint (server->requests, >=, 1 + 5);
  for (guint i = 1; i < MIN (server->requests, SCRIPT_MAX_SEEN); i++)
    g_assert_true (server->signed_ok[i]);
}

static void
test_scripted_stale_nonce (void)
{
  static const Reply script[] = {
    { STUN_ERROR_UNAUTHORIZED, "scripted", TRUE, FALSE },
    { STUN_ERROR_STALE_NONCE, "scripted", TRUE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_ALLOCATE, TRUE);

  /* One request without credentials, one with, then three retries. */
  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  cc_test_assert_contains (cc_check_get_detail (check), "438");
  g_assert_cmpuint (server->requests, ==, 5);
}

static void
test_scripted_stale_nonce_recovers (void)
{
  static const Reply script[] = {
    { STUN_ERROR_UNAUTHORIZED, "scripted", TRUE, FALSE },
    { STUN_ERROR_STALE_NONCE, "scripted", TRUE, FALSE },
    { STUN_ERROR_UNAUTHORIZED, "scripted", TRUE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_ALLOCATE, TRUE);

  /* After a fresh nonce, a 401 for the same realm means wrong credentials. */
  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED);
  g_assert_cmpuint (server->requests, ==, 3);
}

static void
test_scripted_realm_changes (void)
{
  static const Reply script[] = {
    { STUN_ERROR_UNAUTHORIZED, "first", TRUE, FALSE },
    { STUN_ERROR_UNAUTHORIZED, "second", TRUE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_ALLOCATE, TRUE);

  /* A new realm is tried once; the same realm again is a rejection. */
  cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_AUTH_REQUIRED);
  cc_test_assert_contains (cc_check_get_detail (check), "second");
  g_assert_cmpuint (server->requests, ==, 3);
}

static void
test_scripted_release (void)
{
  static const Reply script[] = {
    { STUN_ERROR_UNAUTHORIZED, "scripted", TRUE, FALSE },
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
    { SCRIPT_SILENT, NULL, FALSE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_ALLOCATE, TRUE);

  cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
  g_assert_cmpstr (cc_stun_check_get_relayed_address (CC_STUN_CHECK (check)), ==, "203.0.113.9:50000");
  cc_test_assert_contains (cc_check_get_detail (check), "203.0.113.9:50000");

  /* The release follows: a Refresh with LIFETIME 0, signed with the realm and
   * nonce of the 401 (libnice would leave them out, and the signature with
   * them, if given the success response). */
  scripted_wait_requests (server, 3);
  g_assert_cmpuint (server->requests, ==, 3);
  g_assert_cmpint (server->methods[0], ==, STUN_ALLOCATE);
  g_assert_false (server->signed_ok[0]);
  g_assert_cmpint (server->methods[1], ==, STUN_ALLOCATE);
  g_assert_true (server->signed_ok[1]);
  g_assert_cmpint (server->methods[2], ==, STUN_REFRESH);
  g_assert_cmpint (server->lifetimes[2], ==, 0);
  g_assert_true (server->signed_ok[2]);
}

/* A relay that allocates without asking for a login (coturn --no-auth, or a
 * hostile server): the anonymous Allocate passes, and its release is an
 * unsigned Refresh with LIFETIME 0 (it used to crash on the missing login). */
static void
test_scripted_release_without_login (void)
{
  static const Reply script[] = {
    { SCRIPT_SUCCESS, NULL, FALSE, FALSE },
    { SCRIPT_SILENT, NULL, FALSE, FALSE },
  };
  g_autoptr(Scripted) server = scripted_new (script, G_N_ELEMENTS (script));
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_ALLOCATE, FALSE);

  cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
  scripted_wait_requests (server, 2);
  g_assert_cmpint (server->methods[0], ==, STUN_ALLOCATE);
  g_assert_cmpint (server->methods[1], ==, STUN_REFRESH);
  g_assert_cmpint (server->lifetimes[1], ==, 0);
}

static void
test_scripted_error_codes (void)
{
  static const Reply quota[] = { { STUN_ERROR_ALLOCATION_QUOTA_REACHED, NULL, FALSE, FALSE } };
  static const Reply no_nonce[] = { { STUN_ERROR_UNAUTHORIZED, "scripted", FALSE, FALSE } };
  static const Reply bad_request[] = { { STUN_ERROR_BAD_REQUEST, NULL, FALSE, FALSE } };
  g_autoptr(Scripted) quota_server = scripted_new (quota, 1);
  g_autoptr(Scripted) no_nonce_server = scripted_new (no_nonce, 1);
  g_autoptr(Scripted) bad_server = scripted_new (bad_request, 1);
  g_autoptr(CcCheckRef) allocate = run_scripted (quota_server, CC_STUN_MODE_ALLOCATE, FALSE);
  g_autoptr(CcCheckRef) unproven = run_scripted (no_nonce_server, CC_STUN_MODE_ALLOCATE, FALSE);
  g_autoptr(CcCheckRef) binding = run_scripted (bad_server, CC_STUN_MODE_BINDING, FALSE);

  /* Named with code and reason phrase. */
  cc_test_assert_result (allocate, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  cc_test_assert_contains (cc_check_get_detail (allocate), "486");
  cc_test_assert_contains (cc_check_get_detail (allocate), "Allocation Quota Reached");

  /* A 401 without NONCE is not what a TURN server sends. */
  cc_test_assert_result (unproven, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  cc_test_assert_contains (cc_check_get_detail (unproven), "401");

  cc_test_assert_result (binding, CC_STATUS_FAIL, CC_ERROR_PROTOCOL_ERROR);
  cc_test_assert_contains (cc_check_get_detail (binding), "400");
  cc_test_assert_contains (cc_check_get_detail (binding), "Bad request");
}

static void
test_scripted_noise (void)
{
  static const Reply script[] = { { SCRIPT_SUCCESS, NULL, FALSE, TRUE } };
  g_autoptr(Scripted) server = scripted_new (script, 1);
  g_autoptr(CcCheckRef) check = run_scripted (server, CC_STUN_MODE_BINDING, FALSE);

  /* Garbage and an answer to someone else's transaction are skipped. */
  cc_test_assert_result (check, CC_STATUS_PASS, CC_ERROR_NONE);
  cc_test_assert_contains (cc_check_get_detail (check), "203.0.113.7:4242");
  g_assert_cmpuint (server->requests, ==, 1);
}

static void
test_dns_failure (void)
{
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) none = g_object_new (TEST_TYPE_NO_RESOLVER, NULL);

  g_resolver_set_default (none);
  for (guint i = 0; i < G_N_ELEMENTS (all_transports); i++)
    {
      g_autoptr(CcCheckRef) check = cc_stun_check_new (CC_STUN_MODE_BINDING, all_transports[i],
                                                       "turn.connection-check.invalid", 3478);

      run (check, 3000);
      cc_test_assert_result (check, CC_STATUS_FAIL, CC_ERROR_DNS_FAILURE);
      g_assert_cmpstr (cc_check_get_target (check), ==, "turn.connection-check.invalid:3478");
    }
  g_resolver_set_default (previous);
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
  CcCheck *checks[] = {
    stun (CC_STUN_MODE_BINDING, CC_TRANSPORT_UDP, "silent-udp"),
    stun (CC_STUN_MODE_BURST, CC_TRANSPORT_UDP, "silent-udp"),
    stun (CC_STUN_MODE_ALLOCATE, CC_TRANSPORT_TCP, "silent-tcp"),
    stun (CC_STUN_MODE_BURST, CC_TRANSPORT_TLS, "turn-tls"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      cc_check_set_timeout_ms (checks[i], 10000);
      cc_check_set_tls_database (checks[i], lab_database);
    }
  g_timeout_add (200, cancel_cb, cancellable);
  cc_test_run_checks (checks, G_N_ELEMENTS (checks), cancellable);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      cc_test_assert_result (checks[i], CC_STATUS_SKIP, CC_ERROR_CANCELLED);
      /* Cancelled at 0.2 s: ended by the cancel, not by the 10 s timeout. */
      g_assert_cmpint (cc_check_get_duration_ms (checks[i]), <, 10000 / 2);
      finalize_check (checks[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  slowdown = cc_test_slowdown ();
  g_test_init (&argc, &argv, NULL);

  lab = cc_lab_start (&lab_database);

  g_test_add_func ("/stun/binding", test_binding);
  g_test_add_func ("/stun/allocate/anonymous", test_allocate_anonymous);
  g_test_add_func ("/stun/allocate/credentials", test_allocate_credentials);
  g_test_add_func ("/stun/allocate/wrong-password", test_allocate_wrong_password);
  g_test_add_func ("/stun/failures/udp", test_udp_failures);
  g_test_add_func ("/stun/failures/stream", test_stream_failures);
  g_test_add_func ("/stun/tls-untrusted", test_tls_untrusted);
  g_test_add_func ("/stun/burst", test_burst);
  g_test_add_func ("/stun/burst/short-timeout", test_burst_short_timeout);
  g_test_add_func ("/stun/burst/busy-main-loop", test_burst_busy_main_loop);
  g_test_add_func ("/stun/burst/lost-request", test_burst_lost_request);
  g_test_add_func ("/stun/burst/failures", test_burst_failures);
  g_test_add_func ("/stun/scripted/answer-to-retransmission", test_scripted_answer_to_retransmission);
  g_test_add_func ("/stun/scripted/learned-rto", test_scripted_learned_rto);
  g_test_add_func ("/stun/scripted/stale-nonce", test_scripted_stale_nonce);
  g_test_add_func ("/stun/scripted/stale-nonce-then-401", test_scripted_stale_nonce_recovers);
  g_test_add_func ("/stun/scripted/realm-changes", test_scripted_realm_changes);
  g_test_add_func ("/stun/scripted/release", test_scripted_release);
  g_test_add_func ("/stun/scripted/release-without-login", test_scripted_release_without_login);
  g_test_add_func ("/stun/scripted/error-codes", test_scripted_error_codes);
  g_test_add_func ("/stun/scripted/noise", test_scripted_noise);
  g_test_add_func ("/stun/dns-failure", test_dns_failure);
  g_test_add_func ("/stun/cancel", test_cancel);

  status = g_test_run ();
  g_clear_object (&lab_database);
  cc_lab_free (lab);
  return status;
}
