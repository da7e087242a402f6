/* cc-application.h: the GTK application: actions, shortcuts, windows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CC_TYPE_APPLICATION (cc_application_get_type ())
G_DECLARE_FINAL_TYPE (CcApplication, cc_application, CC, APPLICATION, AdwApplication)

CcApplication *cc_application_new          (void);
GSettings     *cc_application_get_settings (CcApplication *self);
/* Command-line choices that win over the settings for this process: NULL / 0
 * for "use the settings". */
void           cc_application_set_overrides (CcApplication *self,
                                             const char    *profile_path,
                                             const char    *ice_servers_path,
                                             guint          timeout_seconds);
const char    *cc_application_get_profile_path     (CcApplication *self);
const char    *cc_application_get_ice_servers_path (CcApplication *self);
guint          cc_application_get_timeout_seconds  (CcApplication *self);

G_END_DECLS
