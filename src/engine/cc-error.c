/* cc-error.c: maps GLib, GIO, TLS and libsoup errors to the report's error classes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "cc-error.h"

G_DEFINE_QUARK (cc-error-quark, cc_error)

static const char * const error_names[] = {
  [CC_ERROR_NONE] = NULL,
  [CC_ERROR_DNS_FAILURE] = "dns-failure",
  [CC_ERROR_DNS_SINKHOLE] = "dns-sinkhole",
  [CC_ERROR_TIMEOUT] = "timeout",
  [CC_ERROR_REFUSED] = "refused",
  [CC_ERROR_UNREACHABLE] = "unreachable",
  [CC_ERROR_TLS_UNTRUSTED] = "tls-untrusted",
  [CC_ERROR_TLS_FAILURE] = "tls-failure",
  [CC_ERROR_HTTP_STATUS] = "http-status",
  [CC_ERROR_WEBSOCKET_REJECTED] = "websocket-rejected",
  [CC_ERROR_CONNECTION_CUT] = "connection-cut",
  [CC_ERROR_PROXY_FAILURE] = "proxy-failure",
  [CC_ERROR_AUTH_REQUIRED] = "auth-required",
  [CC_ERROR_PROTOCOL_ERROR] = "protocol-error",
  [CC_ERROR_CANCELLED] = "cancelled",
};

const char *
cc_error_to_string (CcError code)
{
  if ((guint) code >= G_N_ELEMENTS (error_names))
    return "protocol-error";

  return error_names[code];
}

CcError
cc_error_from_gerror (const GError *error)
{
  if (error == NULL)
    return CC_ERROR_NONE;

  if (error->domain == CC_ERROR)
    return (CcError) error->code;

  if (error->domain == G_RESOLVER_ERROR)
    return CC_ERROR_DNS_FAILURE;

  if (error->domain == G_TLS_ERROR)
    {
      if (error->code == G_TLS_ERROR_BAD_CERTIFICATE)
        return CC_ERROR_TLS_UNTRUSTED;
      if (error->code == G_TLS_ERROR_EOF)
        return CC_ERROR_CONNECTION_CUT;
      return CC_ERROR_TLS_FAILURE;
    }

  if (error->domain == SOUP_WEBSOCKET_ERROR)
    {
      if (error->code == SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET ||
          error->code == SOUP_WEBSOCKET_ERROR_BAD_HANDSHAKE ||
          error->code == SOUP_WEBSOCKET_ERROR_BAD_ORIGIN)
        return CC_ERROR_WEBSOCKET_REJECTED;
      return CC_ERROR_PROTOCOL_ERROR;
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
          return CC_ERROR_CANCELLED;
        case G_IO_ERROR_TIMED_OUT:
          return CC_ERROR_TIMEOUT;
        case G_IO_ERROR_CONNECTION_REFUSED:
          return CC_ERROR_REFUSED;
        case G_IO_ERROR_HOST_NOT_FOUND:
          return CC_ERROR_DNS_FAILURE;
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
          return CC_ERROR_UNREACHABLE;
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
          return CC_ERROR_AUTH_REQUIRED;
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          return CC_ERROR_PROXY_FAILURE;
        case G_IO_ERROR_CONNECTION_CLOSED: /* also BROKEN_PIPE */
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_PARTIAL_INPUT:
          return CC_ERROR_CONNECTION_CUT;
        default:
          break;
        }

      /* GIO has no code for a reset connection; the message carries errno's. */
      if (error->message != NULL && strstr (error->message, "reset by peer") != NULL)
        return CC_ERROR_CONNECTION_CUT;
    }

  return CC_ERROR_PROTOCOL_ERROR;
}
