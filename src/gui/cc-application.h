/* cc-application.h: the GTK application: actions, shortcuts, windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cc-history.h"
#include "cc-run-options.h"

G_BEGIN_DECLS

#define CC_TYPE_APPLICATION (cc_application_get_type ())
G_DECLARE_FINAL_TYPE (CcApplication, cc_application, CC, APPLICATION, AdwApplication)

CcApplication *cc_application_new          (void);
GSettings     *cc_application_get_settings (CcApplication *self);
/* The command line's options (--profile, --ice-servers, --proxy, --timeout,
 * --hold): for this process they win over the settings. NULL: none. */
void           cc_application_set_options      (CcApplication      *self,
                                                const CcRunOptions *options);
/* What a run in a window uses now: the settings, with the command line's
 * options on top. */
CcRunOptions  *cc_application_dup_run_options  (CcApplication      *self);
/* The earlier runs, shared by the windows (the user's history folder). */
CcHistory     *cc_application_get_history      (CcApplication      *self);

G_END_DECLS
