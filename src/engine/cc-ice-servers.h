/* cc-ice-servers.h: TURN/STUN servers with credentials, read from the usual
 * WebRTC RTCIceServer JSON ({"iceServers":[{"urls":[…],"username":…,"credential":…}]}).
 * Credentials live only here and in the STUN check; nothing prints them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-profile.h"

G_BEGIN_DECLS

typedef struct
{
  char        *url;        /* as written: it never contains the credential */
  char        *host;
  guint16      port;
  CcTransport  transport;
  gboolean     is_turn;    /* turn: or turns:, else stun: */
  char        *username;
  char        *credential;
  char        *source;     /* the file the login came from; NULL: the app's preferences */
} CcIceServer;

void       cc_ice_server_free           (CcIceServer  *server);
/* Returns a GPtrArray of CcIceServer, one per URL. */
GPtrArray *cc_ice_servers_load          (const char   *path,
                                         GError      **error);
GPtrArray *cc_ice_servers_load_from_data (const char  *data,
                                          gsize        length,
                                          const char  *source_name,
                                          GError     **error);
gboolean   cc_ice_server_parse_url      (const char   *url,
                                         CcIceServer  *server,
                                         GError      **error);
/* FALSE for a username or credential libnice's TURN key derivation cannot
 * take (empty, or only '"' characters): it would read outside the string. */
gboolean   cc_ice_server_is_usable_login (const char  *value);

G_END_DECLS
