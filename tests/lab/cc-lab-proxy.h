/* cc-lab-proxy.h: a small HTTP forward proxy for the tests (CONNECT only, as the
 * proxies in front of browsers are for HTTPS), on a free port of 127.0.0.1. It
 * splices bytes both ways and counts the tunnels it opened; with @require_auth it
 * answers every CONNECT with 407, as a proxy that wants a login does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CcLabProxy CcLabProxy;

CcLabProxy *cc_lab_proxy_new         (gboolean     require_auth,
                                      GError     **error);
void        cc_lab_proxy_free        (CcLabProxy  *proxy);
guint16     cc_lab_proxy_get_port    (CcLabProxy  *proxy);
/* CONNECT requests answered with 200 so far. */
guint       cc_lab_proxy_get_tunnels (CcLabProxy  *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcLabProxy, cc_lab_proxy_free)

G_END_DECLS
