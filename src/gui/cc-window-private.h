/* cc-window-private.h: what the tests, benchmarks and screenshots reach in
 * the main window (its runner, pages, checklist, banner), and the history and
 * network monitor they give it instead of the application's. Not for the
 * application itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-compare-view.h"
#include "cc-history-page.h"
#include "cc-history.h"
#include "cc-report-view.h"
#include "cc-runner.h"
#include "cc-window.h"

G_BEGIN_DECLS

/* The runner of the current or last run, or NULL (for tests). */
CcRunner *cc_window_get_runner (CcWindow      *self);
/* Whether "Copy Request for IT" is offered (something failed that IT can open). */
gboolean    cc_window_offers_it_request (CcWindow *self);
/* What the verdict banner's title says now. */
const char *cc_window_get_verdict_title (CcWindow *self);
/* The verdict banner (a box with the CSS classes "verdict", "card" and the
 * state's: "running", "ready", "degraded" or "blocked"). */
GtkWidget  *cc_window_get_banner (CcWindow *self);
/* The visible page: "start" or "results". */
const char *cc_window_get_page (CcWindow *self);
/* The checklist (a GtkListBox of CcRequirementRow). */
GtkListBox *cc_window_get_checklist (CcWindow *self);

/* Where finished runs are kept (the application's, unless replaced; tests
 * give a window a history of its own). */
void        cc_window_set_history         (CcWindow        *self,
                                           CcHistory       *history);
CcHistory  *cc_window_get_history         (CcWindow        *self);
/* Whose network-changed signal marks results as about the previous network
 * (GIO's default monitor unless replaced, by tests). */
void        cc_window_set_network_monitor (CcWindow        *self,
                                           GNetworkMonitor *monitor);
/* The note's words, or NULL while there is none, for tests. */
const char *cc_window_get_network_note    (CcWindow        *self);
CcHistoryPage *cc_window_get_history_page (CcWindow        *self);
CcReportView  *cc_window_get_report_view  (CcWindow        *self);
CcCompareView *cc_window_get_compare_view (CcWindow        *self);

G_END_DECLS
