/* cc-error.h: the engine's error domain. Each code is one of the report's error
 * classes (DESIGN.md, "error classes"), so a GError from any check maps 1:1 to
 * what the JSON report and the hints say.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CC_ERROR (cc_error_quark ())

typedef enum
{
  CC_ERROR_NONE = 0,
  CC_ERROR_DNS_FAILURE,
  CC_ERROR_DNS_SINKHOLE,
  CC_ERROR_TIMEOUT,
  CC_ERROR_REFUSED,
  CC_ERROR_UNREACHABLE,
  CC_ERROR_TLS_UNTRUSTED,
  CC_ERROR_TLS_FAILURE,
  CC_ERROR_HTTP_STATUS,
  CC_ERROR_WEBSOCKET_REJECTED,
  CC_ERROR_CONNECTION_CUT,
  CC_ERROR_PROXY_FAILURE,
  CC_ERROR_AUTH_REQUIRED,
  CC_ERROR_PROTOCOL_ERROR,
  CC_ERROR_CANCELLED,
} CcError;

GQuark       cc_error_quark         (void);
const char  *cc_error_to_string     (CcError       code);
CcError      cc_error_from_gerror   (const GError *error);

G_END_DECLS
