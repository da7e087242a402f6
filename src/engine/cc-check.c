/* cc-check.c: the base every check derives from.
 *
 * It runs a check as a GTask with a deadline: a child cancellable is cancelled
 * when the run is cancelled or when the check's timeout passes, and the result is
 * settled by whichever comes first (the subclass ending it, the deadline, or the
 * cancellation), exactly once. Later calls from the subclass are ignored.
 *
 * Why one file of over 800 lines: it is the one place a check's life cycle
 * (run, deadline, cancellation, settling once) and the result every report
 * reads (some twenty fields with their accessors and properties) are kept;
 * the kernel-timing helpers are apart, in cc-socket-timing.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include <libsoup/soup.h>

#include "cc-check-private.h"
#include "cc-check.h"
#include "cc-enums.h"
#include "cc-util.h"

/* Used when nobody sets a timeout: long enough for a slow TLS handshake across an
 * ocean, short enough that a silently dropping firewall is reported quickly. */
#define CC_CHECK_DEFAULT_TIMEOUT_MS 5000

typedef struct
{
  CcCheckKind     kind;
  char           *domain;
  char           *turn_login;        /* where its TURN login came from; "" the preferences */
  gboolean        proxy_login_refused;
  char           *target;
  char           *transport;
  char           *address;
  char           *detail;
  char           *tls_issuer;
  gboolean        has_tls_root;
  CcTlsRoot       tls_root;
  GTlsDatabase   *tls_database;
  GProxyResolver *proxy_resolver;

  GTask          *task;
  GCancellable   *op_cancellable;
  GSource        *deadline;
  gulong          cancelled_id;
  GCancellable   *run_cancellable;
  gint64          started_us;
  gint64          measured_us;

  guint           timeout_ms;
  guint           http_status;
  guint           tls_errors;
  gboolean        resolving;
  gboolean        resolved;
  gboolean        lookup_timed_out;
  CcStatus        status;
  CcError         error;
  gint64          duration_ms;
  double          rtt_ms;
  double          jitter_ms;
  double          loss_pct;
  double          bitrate_kbps;
} CcCheckPrivate;

enum {
  PROP_0,
  PROP_KIND,
  PROP_TARGET,
  PROP_TRANSPORT,
  PROP_ADDRESS,
  PROP_STATUS,
  PROP_DETAIL,
  N_PROPS
};

G_DEFINE_TYPE_WITH_PRIVATE (CcCheck, cc_check, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

const char *
cc_status_to_string (CcStatus status)
{
  switch (status)
    {
    case CC_STATUS_PENDING: return "pending";
    case CC_STATUS_RUNNING: return "running";
    case CC_STATUS_PASS: return "pass";
    case CC_STATUS_WARN: return "warn";
    case CC_STATUS_FAIL: return "fail";
    case CC_STATUS_SKIP: return "skip";
    default: return "skip";
    }
}

static void
cc_check_disconnect_run (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  cc_source_clear (&priv->deadline);

  if (priv->run_cancellable != NULL)
    {
      g_cancellable_disconnect (priv->run_cancellable, priv->cancelled_id);
      priv->cancelled_id = 0;
      g_clear_object (&priv->run_cancellable);
    }
}

static void
cc_check_settle (CcCheck    *self,
                 CcStatus    status,
                 CcError     code,
                 const char *detail)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);
  g_autoptr(GTask) task = NULL;

  if (priv->task == NULL)
    return;

  task = g_steal_pointer (&priv->task);

  priv->status = status;
  priv->error = code;
  g_free (priv->detail);
  priv->detail = g_strdup (detail);
  if (priv->measured_us >= 0 && status == CC_STATUS_PASS)
    priv->duration_ms = (priv->measured_us + 500) / 1000;
  else
    priv->duration_ms = (g_get_monotonic_time () - priv->started_us) / 1000;
  /* For G_MESSAGES_DEBUG=ConnectionCheck: what the report says, never more
   * (no check holds a credential in its target, address or detail). */
  g_debug ("%s %s (%s) at %s: %s, %s after %" G_GINT64_FORMAT " ms: %s",
           cc_check_kind_to_string (priv->kind), priv->target, priv->transport ? priv->transport : "-",
           priv->address ? priv->address : "-", cc_status_to_string (status),
           cc_error_to_string (code), priv->duration_ms, detail ? detail : "");

  cc_check_disconnect_run (self);

  /* Whatever the subclass still has under way ends now. */
  g_cancellable_cancel (priv->op_cancellable);
  g_clear_object (&priv->op_cancellable);
  if (CC_CHECK_GET_CLASS (self)->finished != NULL)
    CC_CHECK_GET_CLASS (self)->finished (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);

  g_task_return_int (task, status);
}

static gboolean
cc_check_deadline_cb (gpointer user_data)
{
  CcCheck *self = user_data;

  cc_check_expire (self);
  return G_SOURCE_REMOVE;
}

void
cc_check_expire (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  if (priv->task == NULL)
    return;

  cc_source_clear (&priv->deadline);

  g_object_ref (self);
  if (priv->resolving)
    {
      /* No answer at all by the deadline, after retransmissions: that is a slow
       * or lossy path to the resolver, not a filter, which answers. */
      g_autofree char *detail = g_strdup_printf (_("The resolver did not answer for %s within %.1f s: name lookups are slow or lossy."),
                                                 priv->target ? priv->target : "?",
                                                 priv->timeout_ms / 1000.0);
      priv->lookup_timed_out = TRUE;
      cc_check_settle (self, CC_STATUS_FAIL, CC_ERROR_DNS_FAILURE, detail);
    }
  else
    CC_CHECK_GET_CLASS (self)->timed_out (self);
  /* A subclass override must end the check; make sure. */
  cc_check_settle (self, CC_STATUS_FAIL, CC_ERROR_TIMEOUT,
                   _("No answer before the time limit."));
  g_object_unref (self);
}

static gboolean
cc_check_cancelled_idle_cb (gpointer user_data)
{
  CcCheck *self = user_data;

  cc_check_settle (self, CC_STATUS_SKIP, CC_ERROR_CANCELLED,
                   _("The test was stopped."));
  return G_SOURCE_REMOVE;
}

static void
cc_check_run_cancelled_cb (GCancellable *cancellable,
                           CcCheck      *self)
{
  /* May run in any thread and with the cancellable's lock held: settle in an
   * idle on the main context instead. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cc_check_cancelled_idle_cb,
                   g_object_ref (self), g_object_unref);
}

static void
cc_check_real_timed_out (CcCheck *self)
{
  cc_check_fail (self, CC_ERROR_TIMEOUT, _("No answer before the time limit."));
}

static void
cc_check_dispose (GObject *object)
{
  CcCheck *self = CC_CHECK (object);
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  cc_check_disconnect_run (self);
  g_clear_object (&priv->op_cancellable);
  g_clear_object (&priv->tls_database);
  g_clear_object (&priv->proxy_resolver);

  G_OBJECT_CLASS (cc_check_parent_class)->dispose (object);
}

static void
cc_check_finalize (GObject *object)
{
  CcCheck *self = CC_CHECK (object);
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_free (priv->domain);
  g_free (priv->turn_login);
  g_free (priv->target);
  g_free (priv->transport);
  g_free (priv->address);
  g_free (priv->detail);
  g_free (priv->tls_issuer);

  G_OBJECT_CLASS (cc_check_parent_class)->finalize (object);
}

static void
cc_check_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  CcCheck *self = CC_CHECK (object);
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, cc_check_kind_to_string (priv->kind));
      break;
    case PROP_TARGET:
      g_value_set_string (value, priv->target);
      break;
    case PROP_TRANSPORT:
      g_value_set_string (value, priv->transport);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, priv->address);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, priv->status);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, priv->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_check_class_init (CcCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_check_dispose;
  object_class->finalize = cc_check_finalize;
  object_class->get_property = cc_check_get_property;

  klass->timed_out = cc_check_real_timed_out;

  /* Register, on this thread and before any check starts a worker thread, the
   * types that GIO's resolver and socket threads and libsoup's class
   * initialisation both create: GLib 2.74 can deadlock when a worker thread
   * registers GInetSocketAddress while the main thread initialises a class
   * that needs it (seen as a hung run in the namespace lab). */
  g_type_ensure (G_TYPE_INET_ADDRESS);
  g_type_ensure (G_TYPE_INET_SOCKET_ADDRESS);
  g_type_ensure (G_TYPE_NETWORK_ADDRESS);
  g_type_ensure (G_TYPE_PROXY_ADDRESS);
  g_type_ensure (G_TYPE_SOCKET_CONNECTION);
  g_type_ensure (G_TYPE_TCP_CONNECTION);
  g_type_ensure (G_TYPE_SOCKET_CLIENT);
  g_type_ensure (SOUP_TYPE_SESSION);
  g_type_ensure (SOUP_TYPE_MESSAGE);
  g_type_ensure (SOUP_TYPE_WEBSOCKET_CONNECTION);

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRANSPORT] =
    g_param_spec_string ("transport", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CC_TYPE_STATUS, CC_STATUS_PENDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cc_check_init (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  priv->timeout_ms = CC_CHECK_DEFAULT_TIMEOUT_MS;
  priv->rtt_ms = -1;
  priv->jitter_ms = -1;
  priv->loss_pct = -1;
  priv->bitrate_kbps = -1;
}

void
cc_check_run_async (CcCheck             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CC_IS_CHECK (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (priv->task == NULL);
  g_return_if_fail (priv->status == CC_STATUS_PENDING);
  g_return_if_fail (CC_CHECK_GET_CLASS (self)->start != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, cc_check_run_async);

  priv->task = g_object_ref (task);
  priv->status = CC_STATUS_RUNNING;
  priv->error = CC_ERROR_NONE;
  priv->lookup_timed_out = FALSE;
  priv->resolving = FALSE;
  priv->resolved = FALSE;
  priv->started_us = g_get_monotonic_time ();
  priv->measured_us = -1;
  g_debug ("%s %s (%s): started, time limit %u ms", cc_check_kind_to_string (priv->kind), priv->target,
           priv->transport ? priv->transport : "-", priv->timeout_ms);
  priv->op_cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);

  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          cc_check_settle (self, CC_STATUS_SKIP, CC_ERROR_CANCELLED,
                           _("The test was stopped."));
          return;
        }
      priv->run_cancellable = g_object_ref (cancellable);
      priv->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (cc_check_run_cancelled_cb),
                                                  self, NULL);
    }

  priv->deadline = cc_timeout_attach (priv->timeout_ms, cc_check_deadline_cb, self,
                                      "[connection-check] check deadline");

  CC_CHECK_GET_CLASS (self)->start (self, priv->op_cancellable);
}

CcStatus
cc_check_run_finish (CcCheck       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (CC_IS_CHECK (self), CC_STATUS_FAIL);
  g_return_val_if_fail (g_task_is_valid (result, self), CC_STATUS_FAIL);

  return g_task_propagate_int (G_TASK (result), error);
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                            \
  const char *                                                          \
  cc_check_get_##field (CcCheck *self)                                  \
  {                                                                     \
    CcCheckPrivate *priv;                                               \
    g_return_val_if_fail (CC_IS_CHECK (self), NULL);                    \
    priv = cc_check_get_instance_private (self);                        \
    return priv->field;                                                 \
  }                                                                     \
  void                                                                  \
  cc_check_set_##field (CcCheck    *self,                               \
                        const char *value)                              \
  {                                                                     \
    CcCheckPrivate *priv;                                               \
    g_return_if_fail (CC_IS_CHECK (self));                              \
    priv = cc_check_get_instance_private (self);                        \
    if (cc_set_str (&priv->field, value) && PROP != 0)                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);     \
  }

DEFINE_STRING_ACCESSORS (target, PROP_TARGET)
DEFINE_STRING_ACCESSORS (transport, PROP_TRANSPORT)
DEFINE_STRING_ACCESSORS (address, PROP_ADDRESS)
DEFINE_STRING_ACCESSORS (tls_issuer, 0)

static const char * const kind_words[CC_N_CHECK_KINDS] = {
  [CC_CHECK_KIND_NETWORK] = "network",
  [CC_CHECK_KIND_DNS] = "dns",
  [CC_CHECK_KIND_TCP] = "tcp",
  [CC_CHECK_KIND_TLS] = "tls",
  [CC_CHECK_KIND_HTTPS] = "https",
  [CC_CHECK_KIND_WEBSOCKET] = "websocket",
  [CC_CHECK_KIND_STUN_BINDING] = "stun-binding",
  [CC_CHECK_KIND_TURN_ALLOCATE] = "turn-allocate",
  [CC_CHECK_KIND_MEDIA_BURST] = "media-burst",
  [CC_CHECK_KIND_ICE_CALL] = "ice-call",
  [CC_CHECK_KIND_UNVERIFIED] = "unverified",
};

const char *
cc_check_kind_to_string (CcCheckKind kind)
{
  g_return_val_if_fail (kind < CC_N_CHECK_KINDS, NULL);

  return kind_words[kind];
}

const char *
cc_check_get_kind (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);
  return cc_check_kind_to_string (priv->kind);
}

gboolean
cc_check_is_kind (CcCheck     *self,
                  CcCheckKind  kind)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), FALSE);
  return priv->kind == kind;
}

void
cc_check_set_kind (CcCheck     *self,
                   CcCheckKind  kind)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  g_return_if_fail (kind < CC_N_CHECK_KINDS);

  if (priv->kind == kind)
    return;
  priv->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

const char *
cc_check_get_domain (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);
  return priv->domain;
}

void
cc_check_set_domain (CcCheck    *self,
                     const char *domain)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  cc_set_str (&priv->domain, domain);
}

void
cc_check_set_turn_login (CcCheck    *self,
                         const char *source)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  cc_set_str (&priv->turn_login, source);
}

const char *
cc_check_get_turn_login (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);
  return priv->turn_login;
}

void
cc_check_set_proxy_login_refused (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  priv->proxy_login_refused = TRUE;
}

gboolean
cc_check_get_proxy_login_refused (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), FALSE);
  return priv->proxy_login_refused;
}

const char *
cc_check_get_tls_root (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);
  return priv->has_tls_root ? cc_tls_root_to_string (priv->tls_root) : NULL;
}

gboolean
cc_check_has_tls_root (CcCheck   *self,
                       CcTlsRoot  root)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), FALSE);
  return priv->has_tls_root && priv->tls_root == root;
}

void
cc_check_set_tls_root (CcCheck   *self,
                       CcTlsRoot  root)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  priv->has_tls_root = TRUE;
  priv->tls_root = root;
}

const char *
cc_check_get_detail (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);

  return priv->detail;
}

CcStatus
cc_check_get_status (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), CC_STATUS_PENDING);

  return priv->status;
}

CcError
cc_check_get_error (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), CC_ERROR_NONE);

  return priv->error;
}

gint64
cc_check_get_duration_ms (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), 0);

  return priv->duration_ms;
}

guint
cc_check_get_http_status (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), 0);

  return priv->http_status;
}

void
cc_check_set_http_status (CcCheck *self,
                          guint    http_status)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  priv->http_status = http_status;
}

double
cc_check_get_rtt_ms (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), -1);

  return priv->rtt_ms;
}

double
cc_check_get_jitter_ms (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), -1);

  return priv->jitter_ms;
}

double
cc_check_get_loss_pct (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), -1);

  return priv->loss_pct;
}

void
cc_check_set_metrics (CcCheck *self,
                      double   rtt_ms,
                      double   jitter_ms,
                      double   loss_pct)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  priv->rtt_ms = rtt_ms;
  priv->jitter_ms = jitter_ms;
  priv->loss_pct = loss_pct;
}

void
cc_check_revise (CcCheck    *self,
                 CcStatus    status,
                 CcError     code,
                 const char *detail)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  g_return_if_fail (priv->task == NULL);

  priv->status = status;
  priv->error = code;
  g_free (priv->detail);
  priv->detail = g_strdup (detail);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
cc_check_is_done (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), TRUE);

  return priv->task == NULL;
}

void
cc_check_set_timeout_ms (CcCheck *self,
                         guint    timeout_ms)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));
  g_return_if_fail (timeout_ms > 0);

  priv->timeout_ms = timeout_ms;
}

guint
cc_check_get_timeout_ms (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), 0);

  return priv->timeout_ms;
}

GTlsDatabase *
cc_check_get_tls_database (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);

  return priv->tls_database;
}

void
cc_check_set_tls_database (CcCheck      *self,
                           GTlsDatabase *database)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  g_set_object (&priv->tls_database, database);
}

GProxyResolver *
cc_check_get_proxy_resolver (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), NULL);

  return priv->proxy_resolver;
}

void
cc_check_set_proxy_resolver (CcCheck        *self,
                             GProxyResolver *resolver)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  g_set_object (&priv->proxy_resolver, resolver);
}

void
cc_check_pass (CcCheck    *self,
               const char *detail)
{
  g_return_if_fail (CC_IS_CHECK (self));

  cc_check_settle (self, CC_STATUS_PASS, CC_ERROR_NONE, detail);
}

void
cc_check_warn (CcCheck    *self,
               CcError     code,
               const char *detail)
{
  g_return_if_fail (CC_IS_CHECK (self));

  cc_check_settle (self, CC_STATUS_WARN, code, detail);
}

void
cc_check_fail (CcCheck    *self,
               CcError     code,
               const char *detail)
{
  g_return_if_fail (CC_IS_CHECK (self));

  cc_check_settle (self, CC_STATUS_FAIL, code, detail);
}

void
cc_check_fail_error (CcCheck      *self,
                     const GError *error)
{
  CcError code;

  g_return_if_fail (CC_IS_CHECK (self));
  g_return_if_fail (error != NULL);

  code = cc_error_from_gerror (error);

  /* Our own cancellation at the deadline surfaces as G_IO_ERROR_CANCELLED in a
   * late callback; by then the check has already settled and this is ignored. */
  cc_check_settle (self, code == CC_ERROR_CANCELLED ? CC_STATUS_SKIP : CC_STATUS_FAIL,
                   code, error->message);
}

void
cc_check_skip (CcCheck    *self,
               const char *detail)
{
  g_return_if_fail (CC_IS_CHECK (self));

  cc_check_settle (self, CC_STATUS_SKIP, CC_ERROR_NONE, detail);
}

void
cc_check_set_resolving (CcCheck  *self,
                        gboolean  resolving)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  priv->resolving = !!resolving;
}

gboolean
cc_check_get_lookup_timed_out (CcCheck *self)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_val_if_fail (CC_IS_CHECK (self), FALSE);

  return priv->lookup_timed_out;
}

void
cc_check_note_socket_event (CcCheck            *self,
                            GSocketClientEvent  event)
{
  CcCheckPrivate *priv = cc_check_get_instance_private (self);

  g_return_if_fail (CC_IS_CHECK (self));

  /* Only the first RESOLVING is the name lookup. GSocketClient may announce it
   * again when it asks its address enumerator for another address (after a
   * failed attempt, or when its happy-eyeballs timer fires 250 ms into an
   * attempt, which on a satellite link is every attempt), and then announce no
   * RESOLVED when there is none. Once a lookup has answered, the run's resolver
   * answers again from what it has: a deadline that comes later is the
   * connection's, not the resolver's. */
  switch (event)
    {
    case G_SOCKET_CLIENT_RESOLVING:
      if (!priv->resolved)
        priv->resolving = TRUE;
      break;
    case G_SOCKET_CLIENT_RESOLVED:
    case G_SOCKET_CLIENT_CONNECTING:
    case G_SOCKET_CLIENT_CONNECTED:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATING:
    case G_SOCKET_CLIENT_PROXY_NEGOTIATED:
    case G_SOCKET_CLIENT_TLS_HANDSHAKING:
    case G_SOCKET_CLIENT_TLS_HANDSHAKED:
    case G_SOCKET_CLIENT_COMPLETE:
      priv->resolving = FALSE;
      priv->resolved = TRUE;
      break;
    default:
      break;
    }
}

void
cc_check_set_target_host_port (CcCheck    *self,
                               const char *host,
                               guint16     port)
{
  g_autofree char *target = NULL;

  g_return_if_fail (CC_IS_CHECK (self));
  g_return_if_fail (host != NULL);

  if (strchr (host, ':') != NULL)
    target = g_strdup_printf ("[%s]:%u", host, port);
  else
    target = g_strdup_printf ("%s:%u", host, port);

  cc_check_set_target (self, target);
}

GTlsCertificateFlags
cc_check_get_tls_errors (CcCheck *self)
{
  CcCheckPrivate *priv;

  g_return_val_if_fail (CC_IS_CHECK (self), 0);
  priv = cc_check_get_instance_private (self);
  return priv->tls_errors;
}

void
cc_check_set_tls_errors (CcCheck              *self,
                         GTlsCertificateFlags  errors)
{
  CcCheckPrivate *priv;

  g_return_if_fail (CC_IS_CHECK (self));
  priv = cc_check_get_instance_private (self);
  priv->tls_errors = errors;
}

void
cc_check_restart_deadline (CcCheck *self,
                           guint    timeout_ms)
{
  CcCheckPrivate *priv;

  g_return_if_fail (CC_IS_CHECK (self));
  priv = cc_check_get_instance_private (self);

  if (priv->task == NULL || priv->deadline == NULL)
    return;

  cc_source_clear (&priv->deadline);
  priv->deadline = cc_timeout_attach (timeout_ms, cc_check_deadline_cb, self,
                                      "[connection-check] check deadline");
}

double
cc_check_get_bitrate_kbps (CcCheck *self)
{
  CcCheckPrivate *priv;

  g_return_val_if_fail (CC_IS_CHECK (self), -1);
  priv = cc_check_get_instance_private (self);
  return priv->bitrate_kbps;
}

void
cc_check_set_bitrate_kbps (CcCheck *self,
                           double   kbps)
{
  CcCheckPrivate *priv;

  g_return_if_fail (CC_IS_CHECK (self));
  priv = cc_check_get_instance_private (self);
  priv->bitrate_kbps = kbps;
}

void
cc_check_set_measured_duration (CcCheck *self,
                                gint64   duration_us)
{
  CcCheckPrivate *priv;

  g_return_if_fail (CC_IS_CHECK (self));
  priv = cc_check_get_instance_private (self);
  priv->measured_us = duration_us;
}
