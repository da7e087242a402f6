/* cc-preferences-window.h: settings a person may change (GSettings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CC_TYPE_PREFERENCES_WINDOW (cc_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CcPreferencesWindow, cc_preferences_window, CC, PREFERENCES_WINDOW, AdwPreferencesWindow)

CcPreferencesWindow *cc_preferences_window_new (GSettings *settings);

G_END_DECLS
