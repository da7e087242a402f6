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

/* The engine's timers: a timeout source attached to @context (the resolver
 * runs on its own) or to the thread-default main context, and the removal of
 * one (*@source may be NULL; it is NULL after). */
static inline GSource *
cc_timeout_attach_to (GMainContext *context,
                      guint         delay_ms,
                      GSourceFunc   func,
                      gpointer      data,
                      const char   *name)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, context);
  return source;
}

static inline GSource *
cc_timeout_attach (guint        delay_ms,
                   GSourceFunc  func,
                   gpointer     data,
                   const char  *name)
{
  return cc_timeout_attach_to (g_main_context_get_thread_default (), delay_ms, func, data, name);
}

static inline void
cc_source_clear (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

G_END_DECLS
