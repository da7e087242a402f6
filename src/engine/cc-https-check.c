/* cc-https-check.c: GET url over a fresh connection. Any answer from the server
 * proves the host is reachable (a 404 included); a proxy asking for a login is
 * `auth-required`, a rejected certificate `tls-untrusted` with its issuer named.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-check-private.h"
#include "cc-connect.h"
#include "cc-https-check-private.h"
#include "cc-proxy-login.h"
#include "cc-tls-info.h"
#include "cc-util.h"

/* libsoup 3 gives up on a response head larger than this (HEADER_SIZE_LIMIT in
 * soup-message-io-data.c) with G_IO_ERROR_PARTIAL_INPUT, the error it also gives
 * for a connection cut in the middle of a head. */
#define SOUP_HEADER_SIZE_LIMIT (64 * 1024)

struct _CcHttpsCheck
{
  CcCheck               parent_instance;

  char                 *url;
  SoupSession          *session;
  CcProbe              *probe;
};

G_DEFINE_FINAL_TYPE (CcHttpsCheck, cc_https_check, CC_TYPE_CHECK)

SoupSession *
cc_https_check_new_session (CcCheck *check)
{
  SoupSession *session;
  guint seconds = (cc_check_get_timeout_ms (check) + 999) / 1000;

  session = soup_session_new_with_options ("timeout", seconds,
                                           "idle-timeout", seconds,
                                           /* The HTTPS check's attempts side by side. */
                                           "max-conns-per-host", CC_CONNECT_MAX_ATTEMPTS,
                                           NULL);
  if (cc_check_get_tls_database (check) != NULL)
    soup_session_set_tls_database (session, cc_check_get_tls_database (check));
  {
    /* Proxies with a login in their URL: see cc-proxy-login.h. */
    g_autoptr(GProxyResolver) proxies = cc_proxy_login_new (cc_check_get_proxy_resolver (check));

    cc_proxy_login_install (CC_PROXY_LOGIN (proxies), session);
  }

  return session;
}

char *
cc_https_check_target (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  if (port < 0)
    port = g_str_equal (g_uri_get_scheme (uri), "https") || g_str_equal (g_uri_get_scheme (uri), "wss") ? 443 : 80;

  if (host != NULL && strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host ? host : "", port);
}

void
cc_https_check_fail_send (CcCheck      *check,
                          SoupMessage  *message,
                          gboolean      proxy_negotiating,
                          const GError *error)
{
  CcError code = cc_error_from_gerror (error);
  SoupMessageMetrics *metrics = soup_message_get_metrics (message);

  /* The proxy broke off or answered nonsense while opening the tunnel: it is
   * the proxy that fails, not the server behind it. */
  if (proxy_negotiating && (code == CC_ERROR_CONNECTION_CUT || code == CC_ERROR_PROTOCOL_ERROR))
    {
      cc_check_fail (check, CC_ERROR_PROXY_FAILURE, error->message);
      return;
    }

  /* A head that never ends is the server's doing, not a cut connection. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && metrics != NULL &&
      soup_message_metrics_get_response_header_bytes_received (metrics) >= SOUP_HEADER_SIZE_LIMIT)
    {
      cc_check_fail (check, CC_ERROR_PROTOCOL_ERROR, error->message);
      return;
    }

  cc_check_fail_error (check, error);
}

void
cc_https_check_fail_proxy_refusal (CcCheck     *check,
                                   SoupMessage *message)
{
  g_autofree char *detail = NULL;
  const char *reason = soup_message_get_reason_phrase (message);

  detail = g_strdup_printf (_("The proxy refused to connect to %s: HTTP %u %s."),
                            g_uri_get_host (soup_message_get_uri (message)),
                            soup_message_get_status (message), reason ? reason : "");
  cc_check_fail (check, CC_ERROR_PROXY_FAILURE, detail);
}

static void
cc_probe_network_event_cb (SoupMessage        *message,
                           GSocketClientEvent  event,
                           GIOStream          *connection,
                           CcProbeAttempt     *attempt)
{
  cc_check_note_socket_event (attempt->check, event);
  if (event == G_SOCKET_CLIENT_PROXY_NEGOTIATING || event == G_SOCKET_CLIENT_PROXY_NEGOTIATED)
    attempt->proxy_negotiating = event == G_SOCKET_CLIENT_PROXY_NEGOTIATING;
  else if ((event == G_SOCKET_CLIENT_CONNECTING || event == G_SOCKET_CLIENT_CONNECTED) &&
           G_IS_SOCKET_CONNECTION (connection))
    {
      attempt->connected |= event == G_SOCKET_CLIENT_CONNECTED;
      /* Not a reference: the socket's descriptor closes with its connection. */
      g_set_weak_pointer (&attempt->socket, g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)));
    }
}

static gboolean
cc_probe_accept_certificate_cb (SoupMessage          *message,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                CcProbeAttempt       *attempt)
{
  g_autofree char *issuer = cc_tls_issuer_name (certificate);

  cc_check_set_tls_issuer (attempt->check, issuer);
  cc_check_set_tls_errors (attempt->check, errors);
  attempt->rejected = errors;
  attempt->saw_rejection = TRUE;
  return FALSE;
}

void
cc_https_check_record_peer (CcCheck     *check,
                            SoupMessage *message)
{
  GSocketAddress *remote = soup_message_get_remote_address (message);
  GTlsCertificate *peer = soup_message_get_tls_peer_certificate (message);

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_autofree char *address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
      cc_check_set_address (check, address);
    }

  if (peer != NULL)
    {
      g_autofree char *issuer = cc_tls_issuer_name (peer);
      cc_check_set_tls_issuer (check, issuer);
    }
}

static void
cc_https_check_fail_untrusted (CcCheck              *check,
                               const char           *host,
                               GTlsCertificateFlags  rejected)
{
  g_autofree char *what = cc_tls_describe_errors (rejected);
  g_autofree char *detail = NULL;
  const char *issuer = cc_check_get_tls_issuer (check);

  detail = g_strdup_printf (_("The certificate for %s was issued by “%s”, which this device does not accept (%s). Something between you and the server may be inspecting HTTPS."),
                            host, issuer ? issuer : _("an unknown issuer"), what);
  cc_check_fail (check, CC_ERROR_TLS_UNTRUSTED, detail);
}

/* The probe's attempts: see cc-https-check-private.h. */
struct _CcProbe
{
  CcCheck         *check;          /* not a reference: the check owns this */
  CcProbeSend      send;
  char            *url;
  GCancellable    *cancellable;
  GPtrArray       *attempts;       /* CcProbeAttempt */
  GSource         *retry;
  CcProbeAttempt  *failed;         /* the first that failed while others went on */
  GError          *failed_error;
};

static void
cc_probe_attempt_free (CcProbeAttempt *attempt)
{
  g_signal_handlers_disconnect_by_data (attempt->message, attempt);
  g_cancellable_cancel (attempt->cancellable);
  g_clear_object (&attempt->message);
  g_clear_object (&attempt->cancellable);
  g_clear_weak_pointer (&attempt->socket);
  g_free (attempt);
}

static void
cc_probe_cancel_attempt_cb (GCancellable *check_cancellable,
                            GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static void
cc_probe_start_attempt (CcProbe *probe)
{
  CcProbeAttempt *attempt = g_new0 (CcProbeAttempt, 1);

  attempt->check = probe->check;
  attempt->message = soup_message_new (SOUP_METHOD_GET, probe->url);
  attempt->cancellable = g_cancellable_new ();
  attempt->pending = TRUE;
  g_ptr_array_add (probe->attempts, attempt);
  attempt->cancelled_id = g_cancellable_connect (probe->cancellable, G_CALLBACK (cc_probe_cancel_attempt_cb),
                                                 attempt->cancellable, NULL);

  soup_message_add_flags (attempt->message, SOUP_MESSAGE_NEW_CONNECTION | SOUP_MESSAGE_COLLECT_METRICS);
  g_signal_connect (attempt->message, "accept-certificate",
                    G_CALLBACK (cc_probe_accept_certificate_cb), attempt);
  g_signal_connect (attempt->message, "network-event",
                    G_CALLBACK (cc_probe_network_event_cb), attempt);
  /* The send holds a reference to the check: the attempt lives as long. */
  g_object_ref (probe->check);
  probe->send (probe->check, attempt);
}

static gboolean
cc_probe_retry_cb (gpointer user_data)
{
  CcProbe *probe = user_data;
  g_autoptr(GPtrArray) sockets = g_ptr_array_new ();
  gboolean connected = FALSE;

  for (guint i = 0; i < probe->attempts->len; i++)
    {
      CcProbeAttempt *attempt = probe->attempts->pdata[i];

      if (attempt->pending && attempt->socket != NULL)
        g_ptr_array_add (sockets, attempt->socket);
      connected |= attempt->connected;
    }

  if (!connected && probe->attempts->len < CC_CONNECT_MAX_ATTEMPTS &&
      cc_connect_waiting_for_answer (sockets))
    cc_probe_start_attempt (probe);

  if (connected || probe->attempts->len >= CC_CONNECT_MAX_ATTEMPTS)
    {
      g_clear_pointer (&probe->retry, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
cc_probe_stop (CcProbe *probe)
{
  cc_source_clear (&probe->retry);
  for (guint i = 0; i < probe->attempts->len; i++)
    g_cancellable_cancel (((CcProbeAttempt *) probe->attempts->pdata[i])->cancellable);
}

CcProbe *
cc_probe_new (CcCheck      *check,
              const char   *url,
              GCancellable *cancellable,
              CcProbeSend   send)
{
  CcProbe *probe = g_new0 (CcProbe, 1);

  probe->check = check;
  probe->send = send;
  probe->url = g_strdup (url);
  probe->cancellable = g_object_ref (cancellable);
  probe->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_probe_attempt_free);
  cc_probe_start_attempt (probe);

  probe->retry = cc_timeout_attach (CC_CONNECT_RETRY_MS, cc_probe_retry_cb, probe,
                                    "[connection-check] probe retry");

  return probe;
}

CcProbeAttempt *
cc_probe_settle (CcProbe         *probe,
                 CcProbeAttempt  *attempt,
                 gboolean         failed,
                 GError         **error)
{
  gboolean others = FALSE;

  attempt->pending = FALSE;
  for (guint i = 0; i < probe->attempts->len; i++)
    others |= ((CcProbeAttempt *) probe->attempts->pdata[i])->pending;

  /* An attempt whose handshake was never answered, while another goes on:
   * the other may still get through. */
  if (failed && !attempt->connected && others)
    {
      if (probe->failed == NULL)
        {
          probe->failed = attempt;
          probe->failed_error = g_steal_pointer (error);
        }
      return NULL;
    }

  cc_probe_stop (probe);
  if (failed && !attempt->connected && probe->failed != NULL)
    {
      g_clear_error (error);
      *error = g_steal_pointer (&probe->failed_error);
      return probe->failed;
    }
  return attempt;
}

void
cc_probe_free (CcProbe *probe)
{
  if (probe == NULL)
    return;

  cc_probe_stop (probe);
  for (guint i = 0; i < probe->attempts->len; i++)
    {
      CcProbeAttempt *attempt = probe->attempts->pdata[i];

      g_cancellable_disconnect (probe->cancellable, attempt->cancelled_id);
    }
  g_ptr_array_unref (probe->attempts);
  g_clear_object (&probe->cancellable);
  g_clear_error (&probe->failed_error);
  g_free (probe->url);
  g_free (probe);
}

/* How @attempt's send ended is the check's. */
static void
cc_https_check_conclude (CcHttpsCheck   *self,
                         CcProbeAttempt *attempt,
                         GInputStream   *stream,
                         const GError   *error)
{
  SoupMessage *message = attempt->message;
  g_autofree char *detail = NULL;
  guint status = soup_message_get_status (message);

  cc_check_set_http_status (CC_CHECK (self), status);
  if (stream == NULL)
    {
      if (attempt->saw_rejection)
        cc_https_check_fail_untrusted (CC_CHECK (self), g_uri_get_host (soup_message_get_uri (message)),
                                       attempt->rejected);
      else if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
        cc_check_fail (CC_CHECK (self), CC_ERROR_AUTH_REQUIRED,
                       _("The proxy asks for a login (HTTP 407) before it connects anywhere."));
      else if (attempt->proxy_negotiating && status != SOUP_STATUS_NONE)
        cc_https_check_fail_proxy_refusal (CC_CHECK (self), message);
      else
        cc_https_check_fail_send (CC_CHECK (self), message, attempt->proxy_negotiating, error);
      return;
    }

  cc_https_check_record_peer (CC_CHECK (self), message);
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    {
      cc_check_fail (CC_CHECK (self), CC_ERROR_AUTH_REQUIRED,
                     _("The proxy asks for a login (HTTP 407) before it connects anywhere."));
      return;
    }

  /* Any answer proves the server is reached, but not the proxy's own. */
  if (attempt->proxy_negotiating)
    {
      cc_https_check_fail_proxy_refusal (CC_CHECK (self), message);
      return;
    }

  detail = g_strdup_printf (_("The server answered HTTP %u %s."), status,
                            soup_message_get_reason_phrase (message)
                            ? soup_message_get_reason_phrase (message) : "");
  cc_check_pass (CC_CHECK (self), detail);
}

static void
cc_https_check_send_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CcProbeAttempt *attempt = user_data;
  g_autoptr(CcHttpsCheck) self = CC_HTTPS_CHECK (attempt->check);   /* the send's reference */
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  CcProbeAttempt *outcome;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (cc_check_is_done (CC_CHECK (self)))
    {
      attempt->pending = FALSE;
      return;
    }

  outcome = cc_probe_settle (self->probe, attempt, stream == NULL, &error);
  if (outcome != NULL)
    cc_https_check_conclude (self, outcome, outcome == attempt ? stream : NULL, error);
}

static void
cc_https_check_send (CcCheck        *check,
                     CcProbeAttempt *attempt)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (check);

  soup_session_send_async (self->session, attempt->message, G_PRIORITY_DEFAULT, attempt->cancellable,
                           cc_https_check_send_cb, attempt);
}

static void
cc_https_check_start (CcCheck      *check,
                      GCancellable *cancellable)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (check);
  g_autoptr(SoupMessage) valid = soup_message_new (SOUP_METHOD_GET, self->url);

  if (valid == NULL)
    {
      cc_check_fail (check, CC_ERROR_PROTOCOL_ERROR, _("The URL is not valid."));
      return;
    }

  self->session = cc_https_check_new_session (check);
  self->probe = cc_probe_new (check, self->url, cancellable, cc_https_check_send);
}

static void
cc_https_check_dispose (GObject *object)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_pointer (&self->probe, cc_probe_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cc_https_check_parent_class)->dispose (object);
}

static void
cc_https_check_finalize (GObject *object)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (object);

  g_free (self->url);

  G_OBJECT_CLASS (cc_https_check_parent_class)->finalize (object);
}

static void
cc_https_check_class_init (CcHttpsCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->dispose = cc_https_check_dispose;
  object_class->finalize = cc_https_check_finalize;
  check_class->start = cc_https_check_start;
}

static void
cc_https_check_init (CcHttpsCheck *self)
{
}

CcCheck *
cc_https_check_new (const char *url)
{
  CcHttpsCheck *self;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (CC_TYPE_HTTPS_CHECK, NULL);
  self->url = g_strdup (url);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  target = uri ? cc_https_check_target (uri) : g_strdup (url);
  cc_check_set_kind (CC_CHECK (self), CC_CHECK_KIND_HTTPS);
  cc_check_set_target (CC_CHECK (self), target);
  cc_check_set_transport (CC_CHECK (self), "tls");

  return CC_CHECK (self);
}
