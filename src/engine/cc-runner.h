/* cc-runner.h: runs a profile's checks, all at once, and keeps the checklist.
 *
 * The requirements (a GListModel of CcRequirement, in the checklist's order) stay
 * the same objects across runs; each run gives them fresh checks. Status changes
 * are notified on the requirements as checks finish, and "check-finished" is
 * emitted for each check, so front ends can show progress live.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-diagnosis.h"
#include "cc-profile.h"
#include "cc-requirement.h"
#include "cc-resolver.h"

G_BEGIN_DECLS

/* The per-check timeout when none is given: a healthy network answers every probe
 * in well under a second, and a firewall that drops packets is reported soon. */
#define CC_RUNNER_DEFAULT_TIMEOUT_MS 5000

#define CC_TYPE_RUNNER (cc_runner_get_type ())
G_DECLARE_FINAL_TYPE (CcRunner, cc_runner, CC, RUNNER, GObject)

CcRunner    *cc_runner_new                (CcProfile       *profile);
CcProfile   *cc_runner_get_profile        (CcRunner        *self);
GListModel  *cc_runner_get_requirements   (CcRunner        *self);

void         cc_runner_set_timeout_ms     (CcRunner        *self,
                                           guint            timeout_ms);
void         cc_runner_set_hold_seconds   (CcRunner        *self,
                                           guint            hold_seconds);
/* A GPtrArray of CcIceServer (cc-ice-servers.h); the runner keeps a reference. */
void         cc_runner_set_ice_servers    (CcRunner        *self,
                                           GPtrArray       *servers);
void         cc_runner_set_proxy_resolver (CcRunner        *self,
                                           GProxyResolver  *resolver);
/* The name resolver of the runs (NULL, the default: cc_resolver_get_for_runs()). */
void         cc_runner_set_resolver       (CcRunner        *self,
                                           CcResolver      *resolver);

/* Running at once. The process's first run parses the trust stores on a
 * thread first (cc_tls_warm_up_async()), and builds and starts its checks
 * after that; later runs build them before this returns. */
void         cc_runner_run_async          (CcRunner            *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
CcVerdict    cc_runner_run_finish         (CcRunner            *self,
                                           GAsyncResult        *result,
                                           GError             **error);
gboolean     cc_runner_is_running         (CcRunner        *self);

/* Results of the last run. */
CcVerdict    cc_runner_get_verdict        (CcRunner        *self);
const char  *cc_runner_get_summary        (CcRunner        *self);
GDateTime   *cc_runner_get_started        (CcRunner        *self);
gint64       cc_runner_get_duration_ms    (CcRunner        *self);
const char  *cc_runner_get_proxy          (CcRunner        *self);
const char  *cc_runner_get_connectivity   (CcRunner        *self);

/* After a run, for programs that exit right after it: completes once every
 * relay allocation the run's checks made is given back (test calls' agents
 * closed, TURN Refreshes written: cc-releases.h), or after @timeout_ms, what
 * is left then being up to the relays' own lifetimes. */
void        cc_runner_close_async          (CcRunner            *self,
                                            guint                timeout_ms,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    cc_runner_close_finish         (CcRunner            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
