/* cc-lab-proxy.h: a small HTTP forward proxy for the tests (CONNECT only, as the
 * proxies in front of browsers are for HTTPS), on a free port of 127.0.0.1. It
 * splices bytes both ways and counts the tunnels it opened; with @require_auth it
 * answers every CONNECT with 407, as a proxy that wants a login does; made with a
 * login, it lets through the CONNECTs that carry it (Basic), and only those. A
 * CONNECT to the proxy's own port is refused (403) and counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _CcLabProxy CcLabProxy;

CcLabProxy *cc_lab_proxy_new         (gboolean     require_auth,
                                      GError     **error);
CcLabProxy *cc_lab_proxy_new_with_login (const char  *username,
                                         const char  *password,
                                         GError     **error);
void        cc_lab_proxy_free        (CcLabProxy  *proxy);
guint16     cc_lab_proxy_get_port    (CcLabProxy  *proxy);
/* CONNECT requests answered with 200 so far. */
guint       cc_lab_proxy_get_tunnels (CcLabProxy  *proxy);
/* CONNECT requests answered with 407 (no login, or a wrong one). */
guint       cc_lab_proxy_get_refused (CcLabProxy  *proxy);
/* CONNECT requests for the proxy's own address (a client that mistook it for
 * the destination). */
guint       cc_lab_proxy_get_to_self (CcLabProxy  *proxy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcLabProxy, cc_lab_proxy_free)

G_END_DECLS
