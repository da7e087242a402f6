/* cc-requirement.h: one row of the checklist. A requirement of Whereby's firewall
 * guide (DESIGN.md gives the ids) with the checks that prove it, and the status,
 * one-line result and hint the diagnosis derives from them. The GUI binds to
 * these properties; "status" is notified as checks finish.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-catalogue.h"
#include "cc-check.h"

G_BEGIN_DECLS

/* How a check's failure weighs on its requirement. */
typedef enum
{
  /* The requirement fails when this check fails. */
  CC_CHECK_ROLE_ESSENTIAL,
  /* The requirement fails only when every alternative fails; some failing warns. */
  CC_CHECK_ROLE_ALTERNATIVE,
  /* A failure only warns (supporting hosts, comparisons, attribution). */
  CC_CHECK_ROLE_SUPPORTING,
} CcCheckRole;

#define CC_TYPE_REQUIREMENT (cc_requirement_get_type ())
G_DECLARE_FINAL_TYPE (CcRequirement, cc_requirement, CC, REQUIREMENT, GObject)

CcRequirement *cc_requirement_new          (CcRequirementKind kind);
CcRequirementKind cc_requirement_get_kind  (CcRequirement *self);
/* The catalogue's id and (translated) title of its kind. */
const char    *cc_requirement_get_id       (CcRequirement *self);
const char    *cc_requirement_get_title    (CcRequirement *self);
CcStatus       cc_requirement_get_status   (CcRequirement *self);
const char    *cc_requirement_get_summary  (CcRequirement *self);
const char    *cc_requirement_get_hint     (CcRequirement *self);
/* A GListModel of CcCheck. */
GListModel    *cc_requirement_get_checks   (CcRequirement *self);
CcCheckRole    cc_requirement_get_role     (CcRequirement *self,
                                            guint          position);

void           cc_requirement_add_check    (CcRequirement *self,
                                            CcCheck       *check,
                                            CcCheckRole    role);
void           cc_requirement_clear_checks (CcRequirement *self);
/* Sets status, summary and hint at once (used by the diagnosis). */
void           cc_requirement_set_result   (CcRequirement *self,
                                            CcStatus       status,
                                            const char    *summary,
                                            const char    *hint);

G_END_DECLS
