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

/* libsoup 3 gives up on a response head larger than this (HEADER_SIZE_LIMIT in
 * soup-message-io-data.c) with G_IO_ERROR_PARTIAL_INPUT, the error it also gives
 * for a connection cut in the middle of a head. */
#define SOUP_HEADER_SIZE_LIMIT (64 * 1024)

/* One GET on a connection of its own. While no attempt's TCP handshake has
 * been answered, another starts beside the others every CC_CONNECT_RETRY_MS,
 * as cc-connect.c does for GSocketClient (it says why): libsoup makes its own
 * connections, so the attempts here are messages. */
typedef struct
{
  CcHttpsCheck         *self;          /* not a reference: the check owns this */
  SoupMessage          *message;
  GCancellable         *cancellable;
  GTlsCertificateFlags  rejected;
  gboolean              saw_rejection;
  gboolean              proxy_negotiating;
  gboolean              connecting;
  gboolean              connected;
  gboolean              pending;
  gulong                cancelled_id;  /* on the check's cancellable */
} Attempt;

struct _CcHttpsCheck
{
  CcCheck               parent_instance;

  char                 *url;
  SoupSession          *session;
  GPtrArray            *attempts;      /* Attempt */
  GSource              *retry;
  GCancellable         *cancellable;
  Attempt              *failed;        /* the first that failed while others went on */
  GError               *failed_error;
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
cc_https_check_network_event_cb (SoupMessage        *message,
                                 GSocketClientEvent  event,
                                 GIOStream          *connection,
                                 Attempt            *attempt)
{
  cc_check_note_socket_event (CC_CHECK (attempt->self), event);
  if (event == G_SOCKET_CLIENT_PROXY_NEGOTIATING || event == G_SOCKET_CLIENT_PROXY_NEGOTIATED)
    attempt->proxy_negotiating = event == G_SOCKET_CLIENT_PROXY_NEGOTIATING;
  else if (event == G_SOCKET_CLIENT_CONNECTING)
    attempt->connecting = TRUE;
  else if (event == G_SOCKET_CLIENT_CONNECTED)
    attempt->connected = TRUE;
}

static gboolean
cc_https_check_accept_certificate_cb (SoupMessage          *message,
                                      GTlsCertificate      *certificate,
                                      GTlsCertificateFlags  errors,
                                      Attempt              *attempt)
{
  g_autofree char *issuer = cc_tls_issuer_name (certificate);

  cc_check_set_tls_issuer (CC_CHECK (attempt->self), issuer);
  cc_check_set_tls_errors (CC_CHECK (attempt->self), errors);
  attempt->rejected = errors;
  attempt->saw_rejection = TRUE;
  return FALSE;
}

static void
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

static void
cc_https_check_stop_attempts (CcHttpsCheck *self)
{
  if (self->retry != NULL)
    {
      g_source_destroy (self->retry);
      g_clear_pointer (&self->retry, g_source_unref);
    }
  for (guint i = 0; i < self->attempts->len; i++)
    g_cancellable_cancel (((Attempt *) self->attempts->pdata[i])->cancellable);
}

/* How @attempt's send ended is the check's. */
static void
cc_https_check_conclude (CcHttpsCheck *self,
                         Attempt      *attempt,
                         GInputStream *stream,
                         const GError *error)
{
  SoupMessage *message = attempt->message;
  g_autofree char *detail = NULL;
  guint status = soup_message_get_status (message);

  cc_https_check_stop_attempts (self);
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

static gboolean
cc_https_check_any_pending (CcHttpsCheck *self)
{
  for (guint i = 0; i < self->attempts->len; i++)
    if (((Attempt *) self->attempts->pdata[i])->pending)
      return TRUE;
  return FALSE;
}

static void
cc_https_check_send_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(CcHttpsCheck) self = attempt->self;   /* the send's reference */
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  attempt->pending = FALSE;
  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (cc_check_is_done (CC_CHECK (self)))
    return;

  /* An attempt whose handshake was never answered, while another goes on:
   * the other may still get through. */
  if (stream == NULL && !attempt->connected && cc_https_check_any_pending (self))
    {
      if (self->failed == NULL)
        {
          self->failed = attempt;
          self->failed_error = g_steal_pointer (&error);
        }
      return;
    }
  if (stream == NULL && !attempt->connected && self->failed != NULL)
    {
      cc_https_check_conclude (self, self->failed, NULL, self->failed_error);
      return;
    }

  cc_https_check_conclude (self, attempt, stream, error);
}

static void
cc_https_check_cancel_attempt_cb (GCancellable *check_cancellable,
                                  GCancellable *attempt_cancellable)
{
  g_cancellable_cancel (attempt_cancellable);
}

static void
cc_https_check_start_attempt (CcHttpsCheck *self)
{
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->self = self;
  attempt->message = soup_message_new (SOUP_METHOD_GET, self->url);
  attempt->cancellable = g_cancellable_new ();
  attempt->pending = TRUE;
  g_ptr_array_add (self->attempts, attempt);
  attempt->cancelled_id = g_cancellable_connect (self->cancellable, G_CALLBACK (cc_https_check_cancel_attempt_cb),
                                                 attempt->cancellable, NULL);

  soup_message_add_flags (attempt->message, SOUP_MESSAGE_NEW_CONNECTION | SOUP_MESSAGE_COLLECT_METRICS);
  g_signal_connect (attempt->message, "accept-certificate",
                    G_CALLBACK (cc_https_check_accept_certificate_cb), attempt);
  g_signal_connect (attempt->message, "network-event",
                    G_CALLBACK (cc_https_check_network_event_cb), attempt);
  /* The send holds a reference to the check: the attempt lives as long. */
  g_object_ref (self);
  soup_session_send_async (self->session, attempt->message, G_PRIORITY_DEFAULT, attempt->cancellable,
                           cc_https_check_send_cb, attempt);
}

static gboolean
cc_https_check_retry_cb (gpointer user_data)
{
  CcHttpsCheck *self = user_data;
  gboolean connecting = FALSE;
  gboolean connected = FALSE;

  for (guint i = 0; i < self->attempts->len; i++)
    {
      Attempt *attempt = self->attempts->pdata[i];

      connecting |= attempt->connecting && attempt->pending;
      connected |= attempt->connected;
    }

  if (connecting && !connected && self->attempts->len < CC_CONNECT_MAX_ATTEMPTS)
    cc_https_check_start_attempt (self);

  if (connected || self->attempts->len >= CC_CONNECT_MAX_ATTEMPTS)
    {
      g_clear_pointer (&self->retry, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
cc_https_check_start (CcCheck      *check,
                      GCancellable *cancellable)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (check);
  g_autoptr(SoupMessage) probe = soup_message_new (SOUP_METHOD_GET, self->url);

  if (probe == NULL)
    {
      cc_check_fail (check, CC_ERROR_PROTOCOL_ERROR, _("The URL is not valid."));
      return;
    }

  self->session = cc_https_check_new_session (check);
  self->cancellable = g_object_ref (cancellable);
  cc_https_check_start_attempt (self);

  self->retry = g_timeout_source_new (CC_CONNECT_RETRY_MS);
  g_source_set_callback (self->retry, cc_https_check_retry_cb, self, NULL);
  g_source_set_name (self->retry, "[connection-check] HTTPS retry");
  g_source_attach (self->retry, g_main_context_get_thread_default ());
}

static void
attempt_free (Attempt *attempt)
{
  g_cancellable_disconnect (attempt->self->cancellable, attempt->cancelled_id);
  g_signal_handlers_disconnect_by_data (attempt->message, attempt);
  g_cancellable_cancel (attempt->cancellable);
  g_clear_object (&attempt->message);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

static void
cc_https_check_dispose (GObject *object)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (object);

  if (self->retry != NULL)
    {
      g_source_destroy (self->retry);
      g_clear_pointer (&self->retry, g_source_unref);
    }
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_ptr_array_set_size (self->attempts, 0);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  self->failed = NULL;
  g_clear_error (&self->failed_error);

  G_OBJECT_CLASS (cc_https_check_parent_class)->dispose (object);
}

static void
cc_https_check_finalize (GObject *object)
{
  CcHttpsCheck *self = CC_HTTPS_CHECK (object);

  g_free (self->url);
  g_ptr_array_unref (self->attempts);

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
  self->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) attempt_free);
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
  cc_check_set_kind (CC_CHECK (self), "https");
  cc_check_set_target (CC_CHECK (self), target);
  cc_check_set_transport (CC_CHECK (self), "tls");

  return CC_CHECK (self);
}
