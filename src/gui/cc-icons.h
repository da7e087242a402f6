/* cc-icons.h: keeping the window's icons to ones drawn without an SVG
 * renderer (cc-icons.c says why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void cc_icons_use_theme_arrow (AdwExpanderRow *row);

G_END_DECLS
