/* cc-note-check.h: a checklist entry that cannot be probed (a wildcard domain with
 * no known concrete name). It runs nothing and ends as `skip` with a sentence
 * saying what could not be verified and why, so the report is honest about it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

#define CC_TYPE_NOTE_CHECK (cc_note_check_get_type ())
G_DECLARE_FINAL_TYPE (CcNoteCheck, cc_note_check, CC, NOTE_CHECK, CcCheck)

CcCheck *cc_note_check_new (CcCheckKind  kind,
                            const char  *target,
                            const char  *detail);

G_END_DECLS
