/* cc-tls-check.h: a TLS handshake to host:port, naming who issued the chain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

#define CC_TYPE_TLS_CHECK (cc_tls_check_get_type ())
G_DECLARE_FINAL_TYPE (CcTlsCheck, cc_tls_check, CC, TLS_CHECK, CcCheck)

CcCheck *cc_tls_check_new (const char *host,
                           guint16     port);

G_END_DECLS
