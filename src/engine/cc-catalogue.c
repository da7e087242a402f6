/* cc-catalogue.c: one entry per requirement (cc-catalogue.h says what lives
 * where).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cc-catalogue.h"

static const struct
{
  CcRequirementKind  kind;
  const char        *id;
  const char        *title;
} catalogue[CC_N_REQUIREMENTS] = {
  { CC_REQUIREMENT_INTERNET, "internet", N_("Internet connection") },
  { CC_REQUIREMENT_SIGNALING, "signaling", N_("Signaling (secure WebSocket)") },
  { CC_REQUIREMENT_TURN_UDP, "turn-udp", N_("Relay over UDP") },
  { CC_REQUIREMENT_TURN_TCP, "turn-tcp", N_("Relay over TCP and TLS") },
  { CC_REQUIREMENT_MEDIA_UDP, "media-udp", N_("Media over UDP high ports") },
  { CC_REQUIREMENT_DOMAINS, "domains", N_("Required domains") },
  { CC_REQUIREMENT_HTTPS_INSPECTION, "https-inspection", N_("HTTPS inspection") },
};

const char *
cc_requirement_kind_to_id (CcRequirementKind kind)
{
  g_return_val_if_fail (kind < CC_N_REQUIREMENTS, NULL);
  g_assert (catalogue[kind].kind == kind);

  return catalogue[kind].id;
}

const char *
cc_requirement_kind_get_title (CcRequirementKind kind)
{
  g_return_val_if_fail (kind < CC_N_REQUIREMENTS, NULL);

  return _(catalogue[kind].title);
}

gboolean
cc_requirement_kind_from_id (const char        *id,
                             CcRequirementKind *kind)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < CC_N_REQUIREMENTS; i++)
    if (g_str_equal (catalogue[i].id, id))
      {
        if (kind != NULL)
          *kind = catalogue[i].kind;
        return TRUE;
      }
  return FALSE;
}
