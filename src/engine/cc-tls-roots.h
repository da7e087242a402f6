/* cc-tls-roots.h: where a certificate chain is anchored, to tell HTTPS
 * inspection by a certificate authority installed on this device from a
 * server's own certificate.
 *
 * The rule (README "HTTPS inspection"): a chain is *public* when its root is one
 * of the public roots the operating system ships (Mozilla's CA programme:
 * /usr/share/ca-certificates/mozilla on Debian and Ubuntu, or the files and
 * directories listed in $CC_PUBLIC_ROOTS, separated by ':'), *profile* when it
 * ends at the profile's own CA file, and *private* otherwise: a root someone
 * added to this device, as TLS-inspecting proxies require. Where no list of
 * public roots exists the answer is *unknown*, and nothing is claimed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CC_TLS_ROOT_UNKNOWN,
  CC_TLS_ROOT_PUBLIC,
  CC_TLS_ROOT_PROFILE,
  CC_TLS_ROOT_PRIVATE,
} CcTlsRoot;

const char *cc_tls_root_to_string (CcTlsRoot root);

/* @database: the database the handshake verified against (NULL: the system's).
 * @root_name: (out) (optional): the root's common name, when it was found. */
CcTlsRoot   cc_tls_classify_chain (GTlsDatabase     *database,
                                   GTlsCertificate  *peer,
                                   char            **root_name);

/* Parses the system's trust store and reads the public roots now, once per
 * process, so that no check pays for it while its clock runs. */
void        cc_tls_warm_up                (void);

/* Whether cc_tls_warm_up() has finished in this process. */
gboolean    cc_tls_is_warm                (void);

/* cc_tls_warm_up() on a thread, for a main loop that must not stall (the
 * parsed store is tens of milliseconds and a few MB of heap: a run does it
 * before its first check starts, not the window when it opens). Not
 * cancellable: the store is parsed once, for every later run. */
void        cc_tls_warm_up_async          (GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void        cc_tls_warm_up_finish         (GAsyncResult        *result);

G_END_DECLS
