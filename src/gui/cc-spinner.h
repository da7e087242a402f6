/* cc-spinner.h: a busy indicator drawn with cairo (cc-spinner.c says why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CC_TYPE_SPINNER (cc_spinner_get_type ())
G_DECLARE_FINAL_TYPE (CcSpinner, cc_spinner, CC, SPINNER, GtkWidget)

GtkWidget *cc_spinner_new          (void);
gboolean   cc_spinner_get_spinning (CcSpinner *self);
void       cc_spinner_set_spinning (CcSpinner *self,
                                    gboolean   spinning);

G_END_DECLS
