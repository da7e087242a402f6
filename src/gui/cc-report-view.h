/* cc-report-view.h: a stored report of an earlier run, shown as it was
 * (read-only).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cc-history-entry.h"

G_BEGIN_DECLS

#define CC_TYPE_REPORT_VIEW (cc_report_view_get_type ())
G_DECLARE_FINAL_TYPE (CcReportView, cc_report_view, CC, REPORT_VIEW, AdwBin)

void            cc_report_view_set_entry (CcReportView   *self,
                                          CcHistoryEntry *entry);
CcHistoryEntry *cc_report_view_get_entry (CcReportView   *self);
/* The rows, one per requirement (AdwExpanderRow), for tests. */
GtkListBox     *cc_report_view_get_list  (CcReportView   *self);
const char     *cc_report_view_get_verdict_title (CcReportView *self);
/* Gives the focus to the first row, once the view is shown. */
void            cc_report_view_focus     (CcReportView   *self);

/* How a verdict is shown: its title, icon and style class, as the banner. */
void            cc_report_view_describe_verdict (CcVerdict    verdict,
                                                 const char **title,
                                                 const char **icon,
                                                 const char **css);
/* "2026-11-24 10:00:00" in local time, or words saying the time is unknown. */
char           *cc_report_view_format_when      (CcHistoryEntry *entry);

G_END_DECLS
