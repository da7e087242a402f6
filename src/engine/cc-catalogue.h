/* cc-catalogue.h: the requirements of Whereby's firewall guide, one entry
 * each: the id other tools rely on (DESIGN.md) and the title, for every
 * front end. What else an entry holds — its checks, impact, IT request,
 * weight in the verdict — is the engine's (cc-catalogue-private.h). No code
 * outside the catalogue compares a requirement's id as a string.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* In the order of the checklist. */
typedef enum
{
  CC_REQUIREMENT_INTERNET,
  CC_REQUIREMENT_SIGNALING,
  CC_REQUIREMENT_TURN_UDP,
  CC_REQUIREMENT_TURN_TCP,
  CC_REQUIREMENT_MEDIA_UDP,
  CC_REQUIREMENT_DOMAINS,
  CC_REQUIREMENT_HTTPS_INSPECTION,
  CC_N_REQUIREMENTS,
} CcRequirementKind;

/* "internet", "signaling", "turn-udp", …: the JSON report's ids. */
const char *cc_requirement_kind_to_id     (CcRequirementKind  kind);
/* Translated. */
const char *cc_requirement_kind_get_title (CcRequirementKind  kind);
/* FALSE for an id no requirement has. */
gboolean    cc_requirement_kind_from_id   (const char        *id,
                                           CcRequirementKind *kind);

G_END_DECLS
