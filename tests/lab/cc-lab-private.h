/* cc-lab-private.h: what only the lab's own programs (cc-lab-server) may use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-lab.h"

G_BEGIN_DECLS

/* Like cc_lab_new(), in @dir (created if missing; it must be empty, since
 * cc_lab_free() deletes it), or in a fresh temporary directory if @dir is NULL. */
CcLab       *cc_lab_new_in_dir         (const char  *dir,
                                        GError     **error);

G_END_DECLS
