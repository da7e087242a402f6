/* cc-proxy-login.h: a proxy resolver for libsoup that hands out the proxies of
 * another resolver without their logins, and answers the proxy's 407 with the
 * login instead. libsoup 3 (3.2 to this day) mishandles a proxy URL that
 * carries user:password@: when it uses that login for a 407, it also replaces
 * the CONNECT's target with the proxy's own address (authenticate_auth() in
 * soup-auth-manager.c sets the message's URI to the proxy URI), so the tunnel
 * is asked to lead to the proxy itself and fails. GIO's own proxy support
 * (GSocketClient, used by the TCP, TLS and TURN checks) handles such URLs
 * right and is given the original resolver.
 *
 * The same type also adds a login kept apart from the proxy's address (the
 * window's preferences: a user name, the password in the keyring) to every
 * proxy another resolver hands out: cc_proxy_login_new_adding().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define CC_TYPE_PROXY_LOGIN (cc_proxy_login_get_type ())
G_DECLARE_FINAL_TYPE (CcProxyLogin, cc_proxy_login, CC, PROXY_LOGIN, GObject)

/* @inner: the resolver whose answers to pass on; NULL for the system's. */
GProxyResolver *cc_proxy_login_new     (GProxyResolver *inner);
/* @inner's proxies (NULL: the system's), each given @username and @password
 * as its login where it carries none; "direct://" stays as it is. For GIO's
 * clients, and as the inner resolver of a cc_proxy_login_new() for libsoup. */
GProxyResolver *cc_proxy_login_new_adding (GProxyResolver *inner,
                                           const char     *username,
                                           const char     *password);
/* Makes @session use @self and answer its messages' proxy logins from it. */
void            cc_proxy_login_install (CcProxyLogin   *self,
                                        SoupSession    *session);

G_END_DECLS
