/* cc-https-check.h: an HTTPS GET, as a browser would make it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "cc-check.h"

G_BEGIN_DECLS

#define CC_TYPE_HTTPS_CHECK (cc_https_check_get_type ())
G_DECLARE_FINAL_TYPE (CcHttpsCheck, cc_https_check, CC, HTTPS_CHECK, CcCheck)

CcCheck     *cc_https_check_new     (const char *url);

G_END_DECLS
