/* cc-runner.c: has each requirement of the catalogue build the checks the
 * profile calls for (cc-catalogue-*.c), runs them concurrently on the main
 * context, and keeps requirement statuses and the verdict up to date
 * (cc-diagnosis.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-call-check.h"
#include "cc-catalogue-private.h"
#include "cc-enums.h"
#include "cc-check-private.h"
#include "cc-ice-servers.h"
#include "cc-network-check.h"
#include "cc-report.h"
#include "cc-resolver.h"
#include "cc-releases.h"
#include "cc-runner.h"
#include "cc-secrets.h"
#include "cc-tls-database.h"
#include "cc-tls-roots.h"
#include "cc-util.h"

struct _CcRunner
{
  GObject         parent_instance;

  CcProfile      *profile;
  GListStore     *requirements;
  GPtrArray      *ice_servers;
  GProxyResolver *proxy_resolver;
  GTlsDatabase   *tls_database;
  CcNetworkCheck *network_check;
  CcResolver     *resolver;       /* NULL: the process's (cc_resolver_get_for_runs) */
  CcResolver     *run_resolver;   /* the one the current run began */

  GTask          *task;
  guint           pending;
  /* Test calls wait for every other check, then run one at a time: each has
   * the link to itself, and none shifts the reachability checks' timings. */
  GPtrArray      *calls;          /* CcRequirement, CcCheck, … in call order */
  guint           next_call;
  guint           others_pending;
  gint64          started_us;

  GDateTime      *started;
  gint64          duration_ms;
  CcVerdict       verdict;
  char           *summary;
  char           *proxy;
  char           *connectivity;

  guint           timeout_ms;
  guint           hold_seconds;
};

enum {
  PROP_0,
  PROP_VERDICT,
  PROP_SUMMARY,
  PROP_RUNNING,
  N_PROPS
};

enum {
  CHECK_FINISHED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (CcRunner, cc_runner, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The store holds the catalogue's requirements in its order (cc_runner_init). */
static CcRequirement *
find_requirement (CcRunner          *self,
                  CcRequirementKind  kind)
{
  g_autoptr(CcRequirement) req = g_list_model_get_item (G_LIST_MODEL (self->requirements), kind);

  g_assert (req != NULL && cc_requirement_get_kind (req) == kind);
  return req;
}

static void
build_add (CcCatalogueBuild  *build,
           CcRequirementKind  kind,
           CcCheck           *check,
           CcCheckRole        role,
           guint              extra_ms)
{
  CcRunner *self = build->runner;

  cc_check_set_timeout_ms (check, self->timeout_ms + extra_ms);
  cc_check_set_tls_database (check, self->tls_database);
  cc_check_set_proxy_resolver (check, self->proxy_resolver);
  cc_requirement_add_check (find_requirement (self, kind), check, role);
  /* The network check says which proxy and connectivity the run had. */
  if (CC_IS_NETWORK_CHECK (check))
    g_set_object (&self->network_check, CC_NETWORK_CHECK (check));
  /* The requirement holds it now. */
  g_object_unref (check);
}

/* Each requirement of the catalogue gets its checks from the profile. */
static void
build_checks (CcRunner *self)
{
  g_autoptr(GHashTable) allocations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CcCatalogueBuild build = {
    .profile = self->profile,
    .ice_servers = self->ice_servers,
    .hold_seconds = self->hold_seconds,
    .add = build_add,
    .runner = self,
    .allocations = allocations,
  };

  g_clear_object (&self->network_check);
  for (CcRequirementKind kind = 0; kind < CC_N_REQUIREMENTS; kind++)
    cc_catalogue_get_entry (kind)->build (&build);
  g_assert (self->network_check != NULL);
}

static void
cc_runner_complete (CcRunner *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autofree char *summary = NULL;

  /* Every check has ended, and with it every lookup of the run. */
  if (self->run_resolver != NULL)
    {
      cc_resolver_end_run (self->run_resolver);
      g_clear_object (&self->run_resolver);
    }

  self->duration_ms = (g_get_monotonic_time () - self->started_us) / 1000;
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    cc_diagnosis_note_offline (G_LIST_MODEL (self->requirements), self->profile);
  cc_set_str (&self->proxy, cc_network_check_get_proxy (self->network_check));
  cc_set_str (&self->connectivity, cc_network_check_get_connectivity (self->network_check));
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      cc_diagnosis_note_proxy_login (G_LIST_MODEL (self->requirements), self->profile);
      cc_diagnosis_note_proxy (G_LIST_MODEL (self->requirements), self->proxy);
    }
  /* A stopped run has no verdict: what did not run proves nothing. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    self->verdict = CC_VERDICT_UNKNOWN;
  else
    {
      g_autofree char *call = NULL;
      gboolean no_call = FALSE;

      self->verdict = cc_diagnosis_verdict (G_LIST_MODEL (self->requirements), self->profile, &summary);
      /* The transport a call would really use belongs to the answer; when
       * the relay refused the login, the summary already says why there was
       * no call. */
      cc_diagnosis_turn_login_refused (G_LIST_MODEL (self->requirements), &no_call);
      if (!no_call)
        call = cc_report_describe_call (G_LIST_MODEL (self->requirements));
      /* No TURN login, no call: where calls can start, say what that leaves
       * unmeasured and how to measure it. */
      if (call == NULL && !no_call && cc_profile_get_turn_servers (self->profile)->len > 0 &&
          (self->verdict == CC_VERDICT_READY || self->verdict == CC_VERDICT_DEGRADED))
        call = g_strdup (_("No test call was made, so call quality was not measured: that needs a TURN login (--ice-servers, or Preferences)."));
      if (call != NULL && summary != NULL)
        {
          char *both = g_strjoin (" ", summary, call, NULL);

          g_free (summary);
          summary = both;
        }
    }
  g_free (self->summary);
  self->summary = g_steal_pointer (&summary);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_int (task, self->verdict);
}

typedef struct
{
  CcRunner      *runner;
  CcRequirement *requirement;
} CheckData;

static void cc_runner_check_done_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data);

static void
cc_runner_start_check (CcRunner      *self,
                       CcRequirement *req,
                       CcCheck       *check)
{
  CheckData *data = g_new0 (CheckData, 1);

  data->runner = g_object_ref (self);
  data->requirement = g_object_ref (req);
  cc_check_run_async (check, g_task_get_cancellable (self->task), cc_runner_check_done_cb, data);
}

/* The next test call, once the other checks have ended. */
static void
cc_runner_next_call (CcRunner *self)
{
  CcRequirement *req;
  CcCheck *check;

  if (self->others_pending > 0 || self->calls == NULL || self->next_call >= self->calls->len)
    return;

  req = self->calls->pdata[self->next_call];
  check = self->calls->pdata[self->next_call + 1];
  /* The first call that gets through also finds what the path carries: the
   * transport a browser would use; the fallbacks after it only measure. */
  {
    gboolean through = FALSE;

    for (guint i = 1; i < self->next_call; i += 2)
      through |= cc_check_get_status (self->calls->pdata[i]) == CC_STATUS_PASS;
    cc_call_check_set_ramp (CC_CALL_CHECK (check), !through);
  }
  self->next_call += 2;
  cc_runner_start_check (self, req, check);
}

/* The order a browser tries the relay in: UDP first, then TCP, then TLS. */
static guint
call_rank (CcCheck *check)
{
  const char *transport = cc_check_get_transport (check);

  if (g_strcmp0 (transport, "udp") == 0)
    return 0;
  if (g_strcmp0 (transport, "tcp") == 0)
    return 1;
  return 2;
}

static void
cc_runner_check_done_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CheckData *data = user_data;
  g_autoptr(CcRunner) self = data->runner;
  g_autoptr(CcRequirement) req = data->requirement;
  CcCheck *check = CC_CHECK (object);

  g_free (data);
  cc_check_run_finish (check, result, NULL);

  cc_diagnosis_update (req, self->profile);
  g_signal_emit (self, signals[CHECK_FINISHED], 0, req, check);

  if (!cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL))
    {
      g_assert (self->others_pending > 0);
      self->others_pending--;
    }

  g_assert (self->pending > 0);
  if (--self->pending == 0)
    cc_runner_complete (self);
  else
    cc_runner_next_call (self);
}

static void
cc_runner_dispose (GObject *object)
{
  CcRunner *self = CC_RUNNER (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->requirements);
  g_clear_object (&self->proxy_resolver);
  g_clear_object (&self->tls_database);
  g_clear_object (&self->network_check);
  g_clear_object (&self->resolver);
  g_clear_pointer (&self->ice_servers, g_ptr_array_unref);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->calls, g_ptr_array_unref);

  G_OBJECT_CLASS (cc_runner_parent_class)->dispose (object);
}

static void
cc_runner_finalize (GObject *object)
{
  CcRunner *self = CC_RUNNER (object);

  g_free (self->summary);
  g_free (self->proxy);
  g_free (self->connectivity);

  G_OBJECT_CLASS (cc_runner_parent_class)->finalize (object);
}

static void
cc_runner_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CcRunner *self = CC_RUNNER (object);

  switch (prop_id)
    {
    case PROP_VERDICT:
      g_value_set_enum (value, self->verdict);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->task != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_runner_class_init (CcRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cc_runner_dispose;
  object_class->finalize = cc_runner_finalize;
  object_class->get_property = cc_runner_get_property;

  properties[PROP_VERDICT] =
    g_param_spec_enum ("verdict", NULL, NULL, CC_TYPE_VERDICT, CC_VERDICT_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CcRunner::check-finished:
   * @requirement: the requirement the check belongs to
   * @check: the check that ended
   */
  signals[CHECK_FINISHED] =
    g_signal_new ("check-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CC_TYPE_REQUIREMENT, CC_TYPE_CHECK);
}

static void
cc_runner_init (CcRunner *self)
{
  self->requirements = g_list_store_new (CC_TYPE_REQUIREMENT);
  self->timeout_ms = CC_RUNNER_DEFAULT_TIMEOUT_MS;

  for (CcRequirementKind kind = 0; kind < CC_N_REQUIREMENTS; kind++)
    {
      g_autoptr(CcRequirement) req = cc_requirement_new (kind);

      g_list_store_append (self->requirements, req);
    }
}

CcRunner *
cc_runner_new (CcProfile *profile)
{
  CcRunner *self;

  g_return_val_if_fail (CC_IS_PROFILE (profile), NULL);

  self = g_object_new (CC_TYPE_RUNNER, NULL);
  self->profile = g_object_ref (profile);

  return self;
}

CcProfile *
cc_runner_get_profile (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), NULL);
  return self->profile;
}

GListModel *
cc_runner_get_requirements (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), NULL);
  return G_LIST_MODEL (self->requirements);
}

void
cc_runner_set_timeout_ms (CcRunner *self,
                          guint     timeout_ms)
{
  g_return_if_fail (CC_IS_RUNNER (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

void
cc_runner_set_hold_seconds (CcRunner *self,
                            guint     hold_seconds)
{
  g_return_if_fail (CC_IS_RUNNER (self));

  self->hold_seconds = hold_seconds;
}

void
cc_runner_set_ice_servers (CcRunner  *self,
                           GPtrArray *servers)
{
  g_return_if_fail (CC_IS_RUNNER (self));

  g_clear_pointer (&self->ice_servers, g_ptr_array_unref);
  if (servers != NULL)
    self->ice_servers = g_ptr_array_ref (servers);

  /* Logins given to libnice may come back in its debug output. */
  for (guint i = 0; servers != NULL && i < servers->len; i++)
    {
      const CcIceServer *server = servers->pdata[i];

      cc_secrets_add (server->username);
      cc_secrets_add (server->credential);
    }
}

void
cc_runner_set_proxy_resolver (CcRunner       *self,
                              GProxyResolver *resolver)
{
  g_return_if_fail (CC_IS_RUNNER (self));

  g_set_object (&self->proxy_resolver, resolver);
}

void
cc_runner_set_resolver (CcRunner   *self,
                        CcResolver *resolver)
{
  g_return_if_fail (CC_IS_RUNNER (self));
  g_return_if_fail (!resolver || CC_IS_RESOLVER (resolver));

  g_set_object (&self->resolver, resolver);
}

/* The run proper, once the trust stores are parsed (cc_runner_run_async ()
 * comes here only when cc_tls_is_warm ()): before any check's clock starts. */
static void
cc_runner_begin (CcRunner *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  guint n;

  if (self->tls_database == NULL)
    {
      self->tls_database = cc_tls_database_new (cc_profile_get_ca_file (self->profile), &error);
      if (self->tls_database == NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->task);

          g_task_return_error (task, g_steal_pointer (&error));
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
          return;
        }
    }

  self->verdict = CC_VERDICT_UNKNOWN;
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  self->started = g_date_time_new_now_utc ();
  self->started_us = g_get_monotonic_time ();

  n = g_list_model_get_n_items (G_LIST_MODEL (self->requirements));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (G_LIST_MODEL (self->requirements), i);
      cc_requirement_clear_checks (req);
    }

  /* One lookup per name for the whole run, shared by every check that needs
   * it (README "Name lookups"). */
  self->run_resolver = g_object_ref (self->resolver ? self->resolver : cc_resolver_get_for_runs ());
  cc_resolver_begin_run (self->run_resolver);

  build_checks (self);

  /* Collect first, then start: a check may finish synchronously. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (G_LIST_MODEL (self->requirements), i);
      GListModel *checks = cc_requirement_get_checks (req);

      cc_diagnosis_update (req, self->profile);
      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_ptr_array_add (all, g_object_ref (req));
          g_ptr_array_add (all, g_list_model_get_item (checks, j));
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  self->pending = all->len / 2;
  if (self->pending == 0)
    {
      cc_runner_complete (self);
      return;
    }

  /* The test calls apart, in the order a browser would try them. */
  g_clear_pointer (&self->calls, g_ptr_array_unref);
  self->calls = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_call = 0;
  for (guint rank = 0; rank < 3; rank++)
    for (guint i = 0; i < all->len; i += 2)
      if (all->pdata[i + 1] != NULL &&
          cc_check_is_kind (all->pdata[i + 1], CC_CHECK_KIND_ICE_CALL) &&
          call_rank (all->pdata[i + 1]) == rank)
        {
          g_ptr_array_add (self->calls, g_steal_pointer (&all->pdata[i]));
          g_ptr_array_add (self->calls, g_steal_pointer (&all->pdata[i + 1]));
        }
  self->others_pending = self->pending - self->calls->len / 2;

  /* Collected first: a check may end at once, and with it the run. */
  {
    g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < all->len; i += 2)
      if (all->pdata[i + 1] != NULL)
        {
          g_ptr_array_add (others, g_steal_pointer (&all->pdata[i]));
          g_ptr_array_add (others, g_steal_pointer (&all->pdata[i + 1]));
        }

    /* The run may hold the last reference of its task's owner: keep it. */
    g_object_ref (self);
    if (others->len == 0)
      cc_runner_next_call (self);
    for (guint i = 0; i < others->len; i += 2)
      cc_runner_start_check (self, others->pdata[i], others->pdata[i + 1]);
    g_object_unref (self);
  }
}

static void
cc_runner_warmed_up_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CcRunner) self = user_data;

  cc_tls_warm_up_finish (result);
  cc_runner_begin (self);
}

void
cc_runner_run_async (CcRunner            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CC_IS_RUNNER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_runner_run_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A test is already running."));
      return;
    }

  self->task = g_object_ref (task);
  if (cc_tls_is_warm ())
    {
      cc_runner_begin (self);
      return;
    }

  /* The process's first run: the trust stores are parsed on a thread (the
   * idle window does not hold them, README "Memory"), and the checks start
   * once they are. Running from now on, so that a window says so at once. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  cc_tls_warm_up_async (cc_runner_warmed_up_cb, g_object_ref (self));
}

CcVerdict
cc_runner_run_finish (CcRunner      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), CC_VERDICT_UNKNOWN);
  g_return_val_if_fail (g_task_is_valid (result, self), CC_VERDICT_UNKNOWN);

  return g_task_propagate_int (G_TASK (result), error);
}

gboolean
cc_runner_is_running (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), FALSE);
  return self->task != NULL;
}

CcVerdict
cc_runner_get_verdict (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), CC_VERDICT_UNKNOWN);
  return self->verdict;
}

const char *
cc_runner_get_summary (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), NULL);
  return self->summary;
}

GDateTime *
cc_runner_get_started (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), NULL);
  return self->started;
}

gint64
cc_runner_get_duration_ms (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), 0);
  return self->duration_ms;
}

const char *
cc_runner_get_proxy (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), NULL);
  return self->proxy ? self->proxy : "none";
}

const char *
cc_runner_get_connectivity (CcRunner *self)
{
  g_return_val_if_fail (CC_IS_RUNNER (self), NULL);
  return self->connectivity ? self->connectivity : "none";
}

static void
cc_runner_close_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean all = cc_releases_wait_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, all);
}

void
cc_runner_close_async (CcRunner            *self,
                       guint                timeout_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CC_IS_RUNNER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_runner_close_async);
  cc_releases_wait_async (timeout_ms, cancellable, cc_runner_close_cb, task);
}

gboolean
cc_runner_close_finish (CcRunner      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
