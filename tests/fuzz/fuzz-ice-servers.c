/* fuzz-ice-servers.c: libFuzzer target for the RTCIceServer JSON parser
 * (cc_ice_servers_load_from_data) and the turn:/turns:/stun:/stuns: URLs in it
 * (cc_ice_server_parse_url): every input is tried as a whole file and, up to
 * its first NUL, as one URL. Seeds: tests/fuzz/corpus/ice-servers/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-ice-servers.h"
#include "fuzz-common.h"

static void
check_server (const CcIceServer *server)
{
  g_assert_nonnull (server->url);
  g_assert_nonnull (server->host);
  g_assert_cmpuint (strlen (server->host), >, 0);
  g_assert_cmpuint (server->port, >, 0);
  g_assert_true (server->transport == CC_TRANSPORT_UDP ||
                 server->transport == CC_TRANSPORT_TCP ||
                 server->transport == CC_TRANSPORT_TLS);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) servers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) url_error = NULL;
  g_autofree char *url = g_strndup ((const char *) data, size);
  CcIceServer server = { 0 };

  servers = cc_ice_servers_load_from_data ((const char *) data, size, "fuzz.json", &error);
  if (servers != NULL)
    {
      g_assert_null (error);
      for (guint i = 0; i < servers->len; i++)
        {
          const CcIceServer *s = servers->pdata[i];

          check_server (s);
          /* The parser refuses a TURN server without credentials. */
          if (s->is_turn)
            g_assert_true (s->username != NULL && s->credential != NULL);
        }
    }
  else
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  if (cc_ice_server_parse_url (url, &server, &url_error))
    {
      g_assert_null (url_error);
      check_server (&server);
      g_assert_cmpstr (server.url, ==, url);
    }
  else
    {
      g_assert_error (url_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_null (server.host);
    }
  g_free (server.url);
  g_free (server.host);

  return 0;
}
