/* cc-requirement-row.h: one checklist row, bound to a CcRequirement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cc-requirement.h"

G_BEGIN_DECLS

#define CC_TYPE_REQUIREMENT_ROW (cc_requirement_row_get_type ())
G_DECLARE_FINAL_TYPE (CcRequirementRow, cc_requirement_row, CC, REQUIREMENT_ROW, AdwExpanderRow)

CcRequirementRow *cc_requirement_row_new             (CcRequirement    *requirement);
CcRequirement    *cc_requirement_row_get_requirement (CcRequirementRow *self);
/* The words shown beside the icon ("Passed", "Blocked", …), for tests. */
const char       *cc_requirement_row_get_state_text  (CcRequirementRow *self);
/* Whether the words have the CSS class @css, for tests. */
gboolean          cc_requirement_row_state_has_class (CcRequirementRow *self,
                                                      const char       *css);

/* The icon, the words and the style class a status is shown with (the icon
 * and the class are NULL while it is pending or running). */
void cc_requirement_row_describe_status (CcStatus     status,
                                         const char **icon,
                                         const char **words,
                                         const char **css);

G_END_DECLS
