/* cc-tls-database.h: the system's trust store plus one extra CA file (a profile's
 * private CA for self-hosted deployments, the lab CA in tests).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CC_TYPE_TLS_DATABASE (cc_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (CcTlsDatabase, cc_tls_database, CC, TLS_DATABASE, GTlsDatabase)

/* The system's trust store, parsed once per process and wrapped; the wrapper
 * becomes the TLS backend's default database (see cc-tls-database.c for why).
 * Thread-safe; NULL when the TLS backend has no store. */
GTlsDatabase *cc_tls_database_get_system       (void);

/* How many times this process parsed the system's store, or began to: at
 * most 1 (0 in a window that has not run yet). */
guint         cc_tls_database_get_system_loads (void);

/* With @extra_ca_file NULL, returns cc_tls_database_get_system (). */
GTlsDatabase *cc_tls_database_new              (const char  *extra_ca_file,
                                                GError     **error);

/* Whether @certificate is one of the extra CA file's certificates. */
gboolean      cc_tls_database_is_extra_root    (CcTlsDatabase   *self,
                                                GTlsCertificate *certificate);

G_END_DECLS
