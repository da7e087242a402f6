/* cc-releases.h: relay allocations this process is still giving back — a
 * test call's ICE agents closing (each releases its TURN allocations), a TURN
 * Refresh with LIFETIME 0 being written over TCP or TLS
 * (cc_releases_write_and_close()). A front end about to
 * exit waits for them (cc_runner_close_async()), so that no allocation is left
 * on a relay until it expires. Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The Refresh that releases an allocation made over TCP or TLS is given this
 * long to be written; closing the connection ends the allocation anyway. */
#define CC_RELEASES_WRITE_LIMIT_MS 1000

/* One release starts; each is ended once with cc_releases_end(). */
void      cc_releases_begin        (void);
void      cc_releases_end          (void);
guint     cc_releases_get_pending  (void);

/* A release of its own: writes @bytes (a TURN Refresh with LIFETIME 0) on
 * @stream within CC_RELEASES_WRITE_LIMIT_MS, then closes @stream. Takes both;
 * best effort (a failure only means the server ends the allocation when the
 * connection closes, or when its lifetime runs out). */
void      cc_releases_write_and_close (GIOStream         *stream,
                                       GBytes            *bytes);

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
