/* cc-ice-servers.c: parses RTCIceServer JSON and the turn:/turns:/stun: URLs in it
 * (RFC 7064, RFC 7065).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cc-ice-servers.h"
#include "cc-secrets.h"
#include "cc-stun-parse.h"

#define CC_ICE_SERVERS_MAX_SIZE (1024 * 1024)

/* Default ports of RFC 7064 / RFC 7065 URLs. */
#define STUN_DEFAULT_PORT  3478
#define STUNS_DEFAULT_PORT 5349

void
cc_ice_server_free (CcIceServer *server)
{
  if (server == NULL)
    return;

  g_free (server->url);
  g_free (server->host);
  g_free (server->username);
  g_free (server->source);
  cc_secrets_clear (&server->credential);
  g_free (server);
}

gboolean
cc_ice_server_parse_url (const char   *url,
                         CcIceServer  *server,
                         GError      **error)
{
  g_autofree char *hostport = NULL;
  const char *rest;
  const char *query;
  const char *port_str = NULL;
  gboolean secure = FALSE;
  guint64 port;

  if (g_str_has_prefix (url, "turn:"))
    server->is_turn = TRUE, rest = url + 5;
  else if (g_str_has_prefix (url, "turns:"))
    server->is_turn = TRUE, secure = TRUE, rest = url + 6;
  else if (g_str_has_prefix (url, "stun:"))
    rest = url + 5;
  else if (g_str_has_prefix (url, "stuns:"))
    secure = TRUE, rest = url + 6;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a turn:, turns:, stun: or stuns: URL"), url);
      return FALSE;
    }

  query = strchr (rest, '?');
  hostport = query ? g_strndup (rest, query - rest) : g_strdup (rest);

  if (hostport[0] == '[')
    {
      char *close = strchr (hostport, ']');

      if (close == NULL)
        goto bad;
      *close = '\0';
      server->host = g_strdup (hostport + 1);
      if (close[1] == ':')
        port_str = close + 2;
      else if (close[1] != '\0')
        goto bad;
    }
  else
    {
      char *colon = strrchr (hostport, ':');

      if (colon != NULL)
        {
          *colon = '\0';
          port_str = colon + 1;
        }
      server->host = g_strdup (hostport);
    }

  if (server->host[0] == '\0' || strchr (server->host, '/') != NULL ||
      strchr (server->host, '@') != NULL)
    goto bad;

  if (port_str != NULL)
    {
      if (!g_ascii_string_to_unsigned (port_str, 10, 1, G_MAXUINT16, &port, NULL))
        goto bad;
    }
  else
    port = secure ? STUNS_DEFAULT_PORT : STUN_DEFAULT_PORT;
  server->port = port;

  server->transport = secure ? CC_TRANSPORT_TLS : CC_TRANSPORT_UDP;
  if (query != NULL)
    {
      if (g_str_equal (query, "?transport=udp") && !secure)
        server->transport = CC_TRANSPORT_UDP;
      else if (g_str_equal (query, "?transport=tcp"))
        server->transport = secure ? CC_TRANSPORT_TLS : CC_TRANSPORT_TCP;
      else
        goto bad;
    }

  server->url = g_strdup (url);
  return TRUE;

bad:
  g_clear_pointer (&server->host, g_free);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("“%s” is not a valid ICE server URL"), url);
  return FALSE;
}

static const char *
get_member_string (JsonObject  *object,
                   const char  *member,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” must be a string"), member);
      return NULL;
    }

  return json_node_get_string (node);
}

GPtrArray *
cc_ice_servers_load_from_data (const char  *data,
                               gsize        length,
                               const char  *source_name,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) servers = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_ice_server_free);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *list;

  if (length > CC_ICE_SERVERS_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: larger than an ICE servers file can be (1 MiB)"), source_name);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: %s", source_name, local_error->message);
      return NULL;
    }

  /* WebRTC's RTCConfiguration.iceServers is a bare array, and many TURN
   * credential services return one; a whole RTCConfiguration-like object
   * holds it as "iceServers". */
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    list = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
           json_object_has_member (json_node_get_object (root), "iceServers") &&
           JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "iceServers")))
    list = json_object_get_array_member (json_node_get_object (root), "iceServers");
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: expected an array of ICE servers, or an object with an “iceServers” array"),
                   source_name);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *entry = json_array_get_element (list, i);
      JsonObject *object;
      JsonNode *urls;
      const char *username, *credential;
      g_autoptr(GPtrArray) url_list = g_ptr_array_new ();

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: iceServers[%u] is not an object"), source_name, i);
          return NULL;
        }
      object = json_node_get_object (entry);

      username = get_member_string (object, "username", &local_error);
      if (local_error == NULL)
        credential = get_member_string (object, "credential", &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: iceServers[%u]: %s", source_name, i, local_error->message);
          return NULL;
        }

      urls = json_object_get_member (object, "urls");
      if (urls == NULL)
        urls = json_object_get_member (object, "url");
      if (urls != NULL && JSON_NODE_HOLDS_VALUE (urls) &&
          json_node_get_value_type (urls) == G_TYPE_STRING)
        g_ptr_array_add (url_list, (gpointer) json_node_get_string (urls));
      else if (urls != NULL && JSON_NODE_HOLDS_ARRAY (urls))
        {
          JsonArray *array = json_node_get_array (urls);

          for (guint j = 0; j < json_array_get_length (array); j++)
            {
              JsonNode *u = json_array_get_element (array, j);

              if (!JSON_NODE_HOLDS_VALUE (u) || json_node_get_value_type (u) != G_TYPE_STRING)
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("%s: iceServers[%u].urls must hold strings"), source_name, i);
                  return NULL;
                }
              g_ptr_array_add (url_list, (gpointer) json_node_get_string (u));
            }
        }

      if (url_list->len == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s: iceServers[%u] has no “urls”"), source_name, i);
          return NULL;
        }

      for (guint j = 0; j < url_list->len; j++)
        {
          CcIceServer *server = g_new0 (CcIceServer, 1);

          g_ptr_array_add (servers, server);
          if (!cc_ice_server_parse_url (url_list->pdata[j], server, &local_error))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s: iceServers[%u]: %s", source_name, i, local_error->message);
              return NULL;
            }

          if (server->is_turn && (username == NULL || credential == NULL))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s: iceServers[%u]: a TURN server needs “username” and “credential”"),
                           source_name, i);
              return NULL;
            }

          if (server->is_turn &&
              (!cc_ice_server_is_usable_login (username) || !cc_ice_server_is_usable_login (credential)))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("%s: iceServers[%u]: “username” and “credential” must not be empty"),
                           source_name, i);
              return NULL;
            }

          server->username = g_strdup (username);
          server->credential = g_strdup (credential);
          /* Said when the relay refuses the login: where to correct it. */
          server->source = g_strdup (source_name);
        }
    }

  return g_steal_pointer (&servers);
}

GPtrArray *
cc_ice_servers_load (const char  *path,
                     GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  GPtrArray *servers;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > CC_ICE_SERVERS_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: not a regular file of at most 1 MiB"), path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", local_error->message);
      return NULL;
    }

  servers = cc_ice_servers_load_from_data (contents, length, path, error);
  memset (contents, 0, length);
  return servers;
}

gboolean
cc_ice_server_is_usable_login (const char *value)
{
  return value != NULL && cc_stun_is_usable_credential ((const guint8 *) value, strlen (value));
}
