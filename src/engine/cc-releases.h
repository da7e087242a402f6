/* cc-releases.h: relay allocations this process is still giving back — a
 * test call's ICE agents closing (each releases its TURN allocations), a TURN
 * Refresh with LIFETIME 0 being written over TCP or TLS. A front end about to
 * exit waits for them (cc_runner_close_async()), so that no allocation is left
 * on a relay until it expires. Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One release starts; each is ended once with cc_releases_end(). */
void      cc_releases_begin        (void);
void      cc_releases_end          (void);
guint     cc_releases_get_pending  (void);

/* Completes once no release is pending, or after @timeout_ms: TRUE when all
 * ended, FALSE when some were still under way (left to the relays' own
 * lifetimes). */
void      cc_releases_wait_async   (guint                timeout_ms,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  cc_releases_wait_finish  (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
