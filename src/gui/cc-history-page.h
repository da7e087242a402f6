/* cc-history-page.h: the list of earlier runs; opens one, or compares two.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cc-history.h"

G_BEGIN_DECLS

#define CC_TYPE_HISTORY_PAGE (cc_history_page_get_type ())
G_DECLARE_FINAL_TYPE (CcHistoryPage, cc_history_page, CC, HISTORY_PAGE, AdwBin)

void        cc_history_page_set_history   (CcHistoryPage *self,
                                           CcHistory     *history);
/* For tests: the list (one AdwActionRow per run, newest first), the check
 * button of a row that selects it for comparing, and the compare button. */
GtkListBox *cc_history_page_get_list      (CcHistoryPage *self);
GtkCheckButton *cc_history_page_get_row_check (CcHistoryPage *self,
                                               guint          index);
GtkButton  *cc_history_page_get_compare_button (CcHistoryPage *self);

G_END_DECLS
