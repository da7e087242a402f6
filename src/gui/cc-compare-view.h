/* cc-compare-view.h: what changed between two earlier runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cc-history-entry.h"

G_BEGIN_DECLS

#define CC_TYPE_COMPARE_VIEW (cc_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (CcCompareView, cc_compare_view, CC, COMPARE_VIEW, AdwBin)

/* @before: the older run; @after: the newer one. */
void        cc_compare_view_set_entries     (CcCompareView  *self,
                                             CcHistoryEntry *before,
                                             CcHistoryEntry *after);
/* The rows of requirements whose result changed, and of those that did not
 * (AdwActionRow; their accessible labels say it all), for tests. */
GtkListBox *cc_compare_view_get_changed     (CcCompareView  *self);
GtkListBox *cc_compare_view_get_unchanged   (CcCompareView  *self);

G_END_DECLS
