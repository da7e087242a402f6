/* cc-util.h: small helpers the engine's files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Replaces *field by a copy of value; TRUE when it changed (to notify). */
static inline gboolean
cc_set_str (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* The first IPv4 address of @addresses (a list of GInetAddress, not empty),
 * else the first: IPv4 first, as most networks and firewall rules are. */
static inline GInetAddress *
cc_pick_address (GList *addresses)
{
  for (GList *l = addresses; l != NULL; l = l->next)
    if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
      return l->data;
  return addresses->data;
}

G_END_DECLS
