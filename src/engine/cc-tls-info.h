/* cc-tls-info.h: words for what a TLS peer showed: who issued its chain, and
 * what is wrong with it. Shared by the checks that speak TLS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The issuer of the top certificate of the chain the peer sent (the chain
 * usually stops below the root, so this names the root or an intermediate CA),
 * as its common name when it has one; NULL for no certificate. */
char *cc_tls_issuer_name     (GTlsCertificate      *certificate);
/* "unknown authority, expired", for people. */
char *cc_tls_describe_errors (GTlsCertificateFlags  errors);

G_END_DECLS
