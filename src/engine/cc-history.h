/* cc-history.h: the reports of earlier runs, kept on disk (the last
 * CC_HISTORY_MAX_ENTRIES), as a GListModel of CcHistoryEntry, newest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-history-entry.h"

G_BEGIN_DECLS

/* How many reports are kept; the oldest go first. */
#define CC_HISTORY_MAX_ENTRIES 20
/* A stored report larger than this is skipped, as input files are. */
#define CC_HISTORY_MAX_FILE_SIZE (1024 * 1024)

#define CC_TYPE_HISTORY (cc_history_get_type ())
G_DECLARE_FINAL_TYPE (CcHistory, cc_history, CC, HISTORY, GObject)

/* The user's history folder: $XDG_DATA_HOME/connection-check/history. */
char           *cc_history_get_default_directory (void);
/* @directory: NULL for the default one. Nothing is read until a load. */
CcHistory      *cc_history_new            (const char           *directory);
const char     *cc_history_get_directory  (CcHistory            *self);

/* Stores @json (a report, as cc_report_to_json() writes it) in a new file
 * (0600, in a folder of mode 0700) and removes the oldest beyond the limit.
 * Returns the new entry's id. Blocking: for the CLI and for threads. */
char           *cc_history_add            (CcHistory            *self,
                                           const char           *json,
                                           GError              **error);
/* The same in a thread; the model is not reloaded (cc_history_load_async). */
void            cc_history_add_async      (CcHistory            *self,
                                           const char           *json,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char           *cc_history_add_finish     (CcHistory            *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* Reads the folder again. A file that is not a readable report of schema 1
 * (garbage, truncated, another schema, larger than 1 MiB) is skipped; why is
 * in cc_history_get_problems(). A missing folder is an empty history. */
gboolean        cc_history_load           (CcHistory            *self,
                                           GCancellable         *cancellable,
                                           GError              **error);
void            cc_history_load_async     (CcHistory            *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean        cc_history_load_finish    (CcHistory            *self,
                                           GAsyncResult         *result,
                                           GError              **error);
/* One sentence per file the last load skipped. */
const char * const *cc_history_get_problems (CcHistory          *self);
CcHistoryEntry *cc_history_lookup         (CcHistory            *self,
                                           const char           *id);

G_END_DECLS
