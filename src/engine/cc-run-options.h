/* cc-run-options.h: one run configuration for every front end. The CLI fills
 * it from its options; the window from its settings, with the command line's
 * options on top; both hand it to the runner the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-runner.h"

G_BEGIN_DECLS

typedef struct
{
  char  *profile_path;      /* NULL: the built-in profile */
  char  *ice_servers_path;  /* NULL: no TURN credentials */
  char  *proxy;             /* NULL: the system's proxy settings; "direct" (or
                             * "none"): no proxy; else a proxy URL */
  char  *proxy_username;    /* NULL: the proxy URL's own login, if any; else
                             * the login every proxy is given (the window's
                             * preferences), with: */
  char  *proxy_password;    /* (wiped when freed) */
  guint  timeout_seconds;   /* 0: the runner's default */
  guint  hold_seconds;      /* 0: no hold */
} CcRunOptions;

CcRunOptions *cc_run_options_new   (void);
CcRunOptions *cc_run_options_copy  (const CcRunOptions *self);
void          cc_run_options_free  (CcRunOptions       *self);
/* Every field @top sets wins over @self's. */
void          cc_run_options_merge (CcRunOptions       *self,
                                    const CcRunOptions *top);
/* TRUE when @proxy is "direct", "none", or an http/socks proxy URL with a host;
 * otherwise a message for people. */
gboolean      cc_run_options_check_proxy (const char  *proxy,
                                          GError     **error);
/* Whether the options say to connect directly ("direct" or "none"): no proxy,
 * so no proxy login either. */
gboolean      cc_run_options_is_direct   (const CcRunOptions *self);
/* The proxy resolver @proxy asks for, or NULL for the system's. */
GProxyResolver *cc_run_options_get_proxy_resolver (const CcRunOptions *self);
/* Sets the timeout, the hold and the proxy of @runner. */
void          cc_run_options_configure (const CcRunOptions *self,
                                        CcRunner           *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcRunOptions, cc_run_options_free)

G_END_DECLS
