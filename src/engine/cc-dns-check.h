/* cc-dns-check.h: resolves a name (A and AAAA) and recognises sinkhole answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-check.h"

G_BEGIN_DECLS

typedef gboolean (*CcDnsSinkholeFunc) (GInetAddress *address,
                                       gpointer      user_data);

#define CC_TYPE_DNS_CHECK (cc_dns_check_get_type ())
G_DECLARE_FINAL_TYPE (CcDnsCheck, cc_dns_check, CC, DNS_CHECK, CcCheck)

CcCheck *cc_dns_check_new (const char        *host,
                           CcDnsSinkholeFunc  is_sinkhole,
                           gpointer           user_data);

G_END_DECLS
