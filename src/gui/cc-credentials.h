/* cc-credentials.h: the TURN credential in the user's keyring (libsecret),
 * keyed by TURN URL and username, and the proxy's password, keyed by the
 * proxy user name (@url NULL). Never in GSettings, never in a report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      cc_credentials_store_async   (const char          *url,
                                        const char          *username,
                                        const char          *credential,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  cc_credentials_store_finish  (GAsyncResult        *result,
                                        GError             **error);
/* Finishes with NULL and no error when nothing is stored. */
void      cc_credentials_lookup_async  (const char          *url,
                                        const char          *username,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *cc_credentials_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
