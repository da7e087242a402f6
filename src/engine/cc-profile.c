/* cc-profile.c: reads a profile (a GLib key file) into plain structures, checking
 * every group and key so that a typo is an error naming file, line and key rather
 * than a check that silently does not run.
 *
 * Why one file of over 800 lines: one schema, read and validated group by
 * group with an error for every wrong key; split, the rules for a key would
 * sit apart from the group that holds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cc-engine-resources.h"
#include "cc-profile.h"

/* Profiles are a few kilobytes; anything much larger is not a profile. */
#define CC_PROFILE_MAX_SIZE (1024 * 1024)

/* A STUN burst is shaped like a call's audio: one packet every 10-20 ms. Limits
 * keep a typo from turning the check into a flood. */
#define CC_BURST_DEFAULT_COUNT       100
#define CC_BURST_DEFAULT_INTERVAL_MS 10
#define CC_BURST_MAX_COUNT           5000
#define CC_BURST_MAX_INTERVAL_MS     1000

#define CC_PROFILE_RESOURCE "/com/whereby/ConnectionCheck/profiles/whereby.conf"

struct _CcProfile
{
  GObject    parent_instance;

  char      *source;
  char      *name;
  char      *title;
  char      *probe_host;
  char      *ca_file;
  char      *media_ports;
  GPtrArray *sinkholes;   /* GInetAddressMask */
  GPtrArray *websockets;
  GPtrArray *turn_servers;
  GPtrArray *stun_servers;
  GPtrArray *domains;
};

G_DEFINE_FINAL_TYPE (CcProfile, cc_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (cc-profile-error-quark, cc_profile_error)

typedef struct
{
  CcProfile   *self;
  GKeyFile    *keyfile;
  const char  *data;
  const char  *source;
  GError     **error;
} Parser;

const char *
cc_transport_to_string (CcTransport transport)
{
  switch (transport)
    {
    case CC_TRANSPORT_UDP: return "udp";
    case CC_TRANSPORT_TCP: return "tcp";
    case CC_TRANSPORT_TLS: return "tls";
    default: return NULL;
    }
}

static void
websocket_free (CcProfileWebsocket *ws)
{
  g_free (ws->label);
  g_free (ws->url);
  g_free (ws->host);
  g_free (ws->subprotocol);
  g_free (ws);
}

static void
turn_free (CcProfileTurn *turn)
{
  g_free (turn->label);
  g_free (turn->host);
  g_free (turn);
}

static void
stun_free (CcProfileStun *stun)
{
  g_free (stun->label);
  g_free (stun->host);
  g_free (stun);
}

static void
domain_free (CcProfileDomain *domain)
{
  g_free (domain->pattern);
  g_strfreev (domain->hosts);
  g_free (domain);
}

/* GKeyFile does not say where things are; find the line ourselves so errors can
 * point at it. Returns 0 when not found. */
static guint
find_line (const char *data,
           const char *group,
           const char *key)
{
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);
  g_autofree char *header = g_strdup_printf ("[%s]", group);
  gboolean in_group = FALSE;
  guint group_line = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));

      if (line[0] == '[')
        {
          in_group = g_str_equal (line, header);
          if (in_group && group_line == 0)
            group_line = i + 1;
          continue;
        }

      if (in_group && key != NULL && g_str_has_prefix (line, key))
        {
          const char *rest = line + strlen (key);

          while (*rest == ' ' || *rest == '\t')
            rest++;
          if (*rest == '=')
            return i + 1;
        }
    }

  return group_line;
}

G_GNUC_PRINTF (4, 5)
static gboolean
parser_error (Parser     *parser,
              const char *group,
              const char *key,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  g_autofree char *where = NULL;
  va_list args;
  guint line;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  line = group != NULL ? find_line (parser->data, group, key) : 0;

  if (line > 0 && key != NULL)
    where = g_strdup_printf ("%s:%u: [%s] %s", parser->source, line, group, key);
  else if (line > 0)
    where = g_strdup_printf ("%s:%u: [%s]", parser->source, line, group);
  else if (group != NULL && key != NULL)
    where = g_strdup_printf ("%s: [%s] %s", parser->source, group, key);
  else if (group != NULL)
    where = g_strdup_printf ("%s: [%s]", parser->source, group);
  else
    where = g_strdup (parser->source);

  g_set_error (parser->error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
               "%s: %s", where, message);
  return FALSE;
}

/* Every group kind lists the keys it knows; anything else is a typo. */
static gboolean
check_keys (Parser             *parser,
            const char         *group,
            const char * const *known)
{
  g_auto(GStrv) keys = g_key_file_get_keys (parser->keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (!g_strv_contains (known, keys[i]))
        return parser_error (parser, group, keys[i], _("unknown key"));
    }

  return TRUE;
}

static gboolean
get_string (Parser      *parser,
            const char  *group,
            const char  *key,
            gboolean     required,
            char       **out)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;

  value = g_key_file_get_string (parser->keyfile, group, key, &local_error);
  if (value != NULL)
    g_strstrip (value);

  if (value == NULL || value[0] == '\0')
    {
      if (required)
        return parser_error (parser, group, key, _("this key is required and must not be empty"));
      *out = NULL;
      return TRUE;
    }

  *out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
get_uint (Parser     *parser,
          const char *group,
          const char *key,
          gboolean    required,
          guint64     min,
          guint64     max,
          guint64     fallback,
          guint64    *out)
{
  g_autofree char *value = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!get_string (parser, group, key, required, &value))
    return FALSE;

  if (value == NULL)
    {
      *out = fallback;
      return TRUE;
    }

  if (!g_ascii_string_to_unsigned (value, 10, min, max, out, &local_error))
    return parser_error (parser, group, key,
                         _("“%s” is not a whole number from %llu to %llu"),
                         value, (unsigned long long) min, (unsigned long long) max);

  return TRUE;
}

static gboolean
get_bool (Parser     *parser,
          const char *group,
          const char *key,
          gboolean    fallback,
          gboolean   *out)
{
  g_autofree char *value = NULL;

  if (!get_string (parser, group, key, FALSE, &value))
    return FALSE;

  if (value == NULL)
    *out = fallback;
  else if (g_str_equal (value, "true"))
    *out = TRUE;
  else if (g_str_equal (value, "false"))
    *out = FALSE;
  else
    return parser_error (parser, group, key, _("“%s” is neither true nor false"), value);

  return TRUE;
}

static gboolean
get_list (Parser      *parser,
          const char  *group,
          const char  *key,
          GStrv       *out)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;

  items = g_key_file_get_string_list (parser->keyfile, group, key, NULL, NULL);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (items[i][0] != '\0')
        g_strv_builder_add (builder, items[i]);
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* A host name as DNS allows it (letters, digits, hyphens, dots), or an IP literal. */
static gboolean
is_valid_host (const char *host)
{
  if (host == NULL || host[0] == '\0' || strlen (host) > 253)
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  for (const char *p = host; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return FALSE;
    }

  return host[0] != '.' && host[0] != '-';
}

static gboolean
get_host (Parser      *parser,
          const char  *group,
          const char  *key,
          char       **out)
{
  g_autofree char *host = NULL;

  if (!get_string (parser, group, key, TRUE, &host))
    return FALSE;

  if (!is_valid_host (host))
    return parser_error (parser, group, key, _("“%s” is not a host name or IP address"), host);

  *out = g_steal_pointer (&host);
  return TRUE;
}

/* GLib's parser takes any number after the slash: beyond 128 it warns, and a
 * length that wraps around 32 bits (0.0.0.0/4294967296) becomes /0, a sinkhole
 * that would match every address. Only 0–128 reach it. */
static GInetAddressMask *
parse_address_mask (const char *text)
{
  const char *slash = strchr (text, '/');

  if (slash != NULL && !g_ascii_string_to_unsigned (slash + 1, 10, 0, 128, NULL, NULL))
    return NULL;

  return g_inet_address_mask_new_from_string (text, NULL);
}

static gboolean
parse_profile_group (Parser *parser)
{
  static const char * const keys[] = {
    "name", "title", "probe-host", "sinkhole", "ca-file", "media-ports", NULL
  };
  CcProfile *self = parser->self;
  g_auto(GStrv) sinkholes = NULL;
  g_autofree char *ca_file = NULL;

  if (!g_key_file_has_group (parser->keyfile, "profile"))
    return parser_error (parser, NULL, NULL, _("the [profile] group is missing"));

  if (!check_keys (parser, "profile", keys) ||
      !get_string (parser, "profile", "name", TRUE, &self->name) ||
      !get_string (parser, "profile", "title", FALSE, &self->title) ||
      !get_string (parser, "profile", "probe-host", FALSE, &self->probe_host) ||
      !get_string (parser, "profile", "media-ports", FALSE, &self->media_ports) ||
      !get_string (parser, "profile", "ca-file", FALSE, &ca_file) ||
      !get_list (parser, "profile", "sinkhole", &sinkholes))
    return FALSE;

  if (self->title == NULL)
    self->title = g_strdup (self->name);

  if (self->probe_host != NULL && !is_valid_host (self->probe_host))
    return parser_error (parser, "profile", "probe-host",
                         _("“%s” is not a host name or IP address"), self->probe_host);

  if (self->media_ports == NULL)
    self->media_ports = g_strdup ("1024-65535");

  for (guint i = 0; sinkholes[i] != NULL; i++)
    {
      g_autoptr(GInetAddressMask) mask = NULL;

      mask = parse_address_mask (sinkholes[i]);
      if (mask == NULL)
        return parser_error (parser, "profile", "sinkhole",
                             _("“%s” is not an address or address/prefix"), sinkholes[i]);
      g_ptr_array_add (self->sinkholes, g_steal_pointer (&mask));
    }

  self->ca_file = g_steal_pointer (&ca_file);
  return TRUE;
}

static gboolean
parse_websocket (Parser     *parser,
                 const char *group,
                 const char *label)
{
  static const char * const keys[] = { "url", "round-trip", "subprotocol", "essential", NULL };
  g_autoptr(GUri) uri = NULL;
  g_autofree char *round_trip = NULL;
  CcProfileWebsocket *ws;

  if (!check_keys (parser, group, keys))
    return FALSE;

  ws = g_new0 (CcProfileWebsocket, 1);
  g_ptr_array_add (parser->self->websockets, ws);
  ws->label = g_strdup (label);

  if (!get_string (parser, group, "url", TRUE, &ws->url) ||
      !get_string (parser, group, "round-trip", FALSE, &round_trip) ||
      !get_string (parser, group, "subprotocol", FALSE, &ws->subprotocol) ||
      !get_bool (parser, group, "essential", TRUE, &ws->essential))
    return FALSE;

  uri = g_uri_parse (ws->url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "wss") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "ws") != 0))
    return parser_error (parser, group, "url", _("“%s” is not a ws:// or wss:// URL"), ws->url);

  ws->host = g_strdup (g_uri_get_host (uri));
  if (g_uri_get_port (uri) > 0)
    ws->port = g_uri_get_port (uri);
  else
    ws->port = g_str_equal (g_uri_get_scheme (uri), "wss") ? 443 : 80;

  if (round_trip == NULL || g_str_equal (round_trip, "none"))
    ws->round_trip = CC_ROUND_TRIP_NONE;
  else if (g_str_equal (round_trip, "engine.io"))
    ws->round_trip = CC_ROUND_TRIP_ENGINE_IO;
  else if (g_str_equal (round_trip, "echo"))
    ws->round_trip = CC_ROUND_TRIP_ECHO;
  else
    return parser_error (parser, group, "round-trip",
                         _("“%s” is not one of engine.io, echo, none"), round_trip);

  return TRUE;
}

static gboolean
parse_turn (Parser     *parser,
            const char *group,
            const char *label)
{
  static const char * const keys[] = { "host", "port", "tls-port", "transports", NULL };
  g_auto(GStrv) transports = NULL;
  CcProfileTurn *turn;
  guint64 port, tls_port;

  if (!check_keys (parser, group, keys))
    return FALSE;

  turn = g_new0 (CcProfileTurn, 1);
  g_ptr_array_add (parser->self->turn_servers, turn);
  turn->label = g_strdup (label);

  if (!get_host (parser, group, "host", &turn->host) ||
      !get_uint (parser, group, "port", TRUE, 1, G_MAXUINT16, 0, &port) ||
      !get_uint (parser, group, "tls-port", FALSE, 1, G_MAXUINT16, port, &tls_port) ||
      !get_list (parser, group, "transports", &transports))
    return FALSE;

  turn->port = port;
  turn->tls_port = tls_port;

  if (transports[0] == NULL)
    return parser_error (parser, group, "transports", _("name at least one of udp, tcp, tls"));

  for (guint i = 0; transports[i] != NULL; i++)
    {
      if (g_str_equal (transports[i], "udp"))
        turn->transports |= CC_TRANSPORT_UDP;
      else if (g_str_equal (transports[i], "tcp"))
        turn->transports |= CC_TRANSPORT_TCP;
      else if (g_str_equal (transports[i], "tls"))
        turn->transports |= CC_TRANSPORT_TLS;
      else
        return parser_error (parser, group, "transports",
                             _("unknown transport “%s” (use udp, tcp, tls)"), transports[i]);
    }

  return TRUE;
}

static gboolean
parse_stun (Parser     *parser,
            const char *group,
            const char *label)
{
  static const char * const keys[] = { "host", "port", "burst-count", "burst-interval-ms", NULL };
  CcProfileStun *stun;
  guint64 port, count, interval;

  if (!check_keys (parser, group, keys))
    return FALSE;

  stun = g_new0 (CcProfileStun, 1);
  g_ptr_array_add (parser->self->stun_servers, stun);
  stun->label = g_strdup (label);

  if (!get_host (parser, group, "host", &stun->host) ||
      !get_uint (parser, group, "port", TRUE, 1, G_MAXUINT16, 0, &port) ||
      !get_uint (parser, group, "burst-count", FALSE, 1, CC_BURST_MAX_COUNT,
                 CC_BURST_DEFAULT_COUNT, &count) ||
      !get_uint (parser, group, "burst-interval-ms", FALSE, 1, CC_BURST_MAX_INTERVAL_MS,
                 CC_BURST_DEFAULT_INTERVAL_MS, &interval))
    return FALSE;

  stun->port = port;
  stun->burst_count = count;
  stun->burst_interval_ms = interval;
  return TRUE;
}

static gboolean
parse_domain (Parser     *parser,
              const char *group,
              const char *pattern)
{
  static const char * const keys[] = { "hosts", "probe", "role", NULL };
  g_autofree char *probe = NULL;
  g_autofree char *role = NULL;
  CcProfileDomain *domain;
  const char *suffix;

  if (!check_keys (parser, group, keys))
    return FALSE;

  domain = g_new0 (CcProfileDomain, 1);
  g_ptr_array_add (parser->self->domains, domain);
  domain->pattern = g_strdup (pattern);

  suffix = g_str_has_prefix (pattern, "*.") ? pattern + 2 : pattern;
  if (!is_valid_host (suffix))
    return parser_error (parser, group, NULL,
                         _("“%s” is not a domain or *.domain pattern"), pattern);

  if (!get_list (parser, group, "hosts", &domain->hosts) ||
      !get_string (parser, group, "probe", FALSE, &probe) ||
      !get_string (parser, group, "role", FALSE, &role))
    return FALSE;

  if (role == NULL || g_str_equal (role, "signaling"))
    domain->role = CC_DOMAIN_ROLE_SIGNALING;
  else if (g_str_equal (role, "media"))
    domain->role = CC_DOMAIN_ROLE_MEDIA;
  else if (g_str_equal (role, "supporting"))
    domain->role = CC_DOMAIN_ROLE_SUPPORTING;
  else
    return parser_error (parser, group, "role",
                         _("“%s” is not one of signaling, media, supporting"), role);

  /* A host may carry a port (name:port) for deployments and labs whose HTTPS is
   * not on 443; IPv6 literals can't, to keep this unambiguous. */
  for (guint i = 0; domain->hosts[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup (domain->hosts[i]);
      char *colon = strchr (name, ':');
      guint64 port;

      if (colon != NULL && strchr (colon + 1, ':') == NULL)
        {
          *colon = '\0';
          if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
            return parser_error (parser, group, "hosts",
                                 _("“%s” has an invalid port"), domain->hosts[i]);
        }

      if (!is_valid_host (name))
        return parser_error (parser, group, "hosts",
                             _("“%s” is not a host name or IP address"), domain->hosts[i]);
    }

  if (probe == NULL || g_str_equal (probe, "https"))
    domain->probe = CC_DOMAIN_PROBE_HTTPS;
  else if (g_str_equal (probe, "dns"))
    domain->probe = CC_DOMAIN_PROBE_DNS;
  else
    return parser_error (parser, group, "probe", _("“%s” is not one of https, dns"), probe);

  return TRUE;
}

/* GKeyFile's own messages give no line; find the first line it would reject. */
static gboolean
check_syntax (Parser     *parser,
              const char *data,
              gsize       length)
{
  g_auto(GStrv) lines = NULL;
  const char *end = NULL;

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, &end))
    {
      guint line = 1;

      if (end == NULL)
        end = memchr (data, '\0', length);
      for (const char *p = data; p < end; p++)
        line += *p == '\n';
      g_set_error (parser->error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
                   _("%s:%u: not a text file (invalid UTF-8 or NUL byte)"), parser->source, line);
      return FALSE;
    }

  /* @data need not end in a NUL: split the parser's terminated copy. */
  lines = g_strsplit (parser->data, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (g_ascii_isspace (*line))
        line++;

      if (*line == '\0' || *line == '#')
        continue;

      if (*line == '[' ? strchr (line, ']') == NULL : strchr (line, '=') == NULL)
        {
          g_set_error (parser->error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
                       _("%s:%u: not a [group], a key=value line or a # comment"),
                       parser->source, i + 1);
          return FALSE;
        }

      /* GKeyFile's escapes (\s \n \t \r \\ and \; in lists); GLib 2.74
       * sets its error twice (a warning) for a bad escape followed by a
       * backslash at the end of the line (found by tests/fuzz/fuzz-profile). */
      if (*line != '[')
        for (const char *p = strchr (line, '='); *p != '\0'; p++)
          if (*p == '\\')
            {
              if (p[1] == '\0' || strchr ("sntr\\;", p[1]) == NULL)
                {
                  g_set_error (parser->error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
                               _("%s:%u: a backslash must be followed by s, n, t, r, ; or another backslash"),
                               parser->source, i + 1);
                  return FALSE;
                }
              p++;
            }
    }

  return TRUE;
}

static gboolean
cc_profile_parse (CcProfile   *self,
                  const char  *data,
                  gsize        length,
                  const char  *base_dir,
                  GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *text = g_strndup (data, length);
  Parser parser = { self, keyfile, text, self->source, error };

  if (length == 0)
    return parser_error (&parser, NULL, NULL, _("the file is empty"));

  if (length > CC_PROFILE_MAX_SIZE)
    return parser_error (&parser, NULL, NULL, _("the file is larger than a profile can be (1 MiB)"));

  if (!check_syntax (&parser, data, length))
    return FALSE;

  if (!g_key_file_load_from_data (keyfile, text, length, G_KEY_FILE_NONE, &local_error))
    return parser_error (&parser, NULL, NULL, "%s", local_error->message);

  if (!parse_profile_group (&parser))
    return FALSE;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      const char *space = strchr (group, ' ');
      g_autofree char *kind = NULL;
      const char *label;
      gboolean ok;

      if (g_str_equal (group, "profile"))
        continue;

      if (space == NULL || space[1] == '\0')
        return parser_error (&parser, group, NULL,
                             _("a group is “[KIND LABEL]” with KIND one of websocket, turn, stun, domain"));

      kind = g_strndup (group, space - group);
      label = space + 1;

      if (g_str_equal (kind, "websocket"))
        ok = parse_websocket (&parser, group, label);
      else if (g_str_equal (kind, "turn"))
        ok = parse_turn (&parser, group, label);
      else if (g_str_equal (kind, "stun"))
        ok = parse_stun (&parser, group, label);
      else if (g_str_equal (kind, "domain"))
        ok = parse_domain (&parser, group, label);
      else
        ok = parser_error (&parser, group, NULL,
                           _("unknown group kind “%s” (use websocket, turn, stun, domain)"), kind);

      if (!ok)
        return FALSE;
    }

  if (self->probe_host == NULL && self->websockets->len > 0)
    self->probe_host = g_strdup (((CcProfileWebsocket *) self->websockets->pdata[0])->host);

  if (self->ca_file != NULL)
    {
      g_autofree char *path = NULL;

      if (g_path_is_absolute (self->ca_file) || base_dir == NULL)
        path = g_strdup (self->ca_file);
      else
        path = g_build_filename (base_dir, self->ca_file, NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return parser_error (&parser, "profile", "ca-file", _("“%s” is not a readable file"), path);

      g_free (self->ca_file);
      self->ca_file = g_steal_pointer (&path);
    }

  return TRUE;
}

static void
cc_profile_finalize (GObject *object)
{
  CcProfile *self = CC_PROFILE (object);

  g_free (self->source);
  g_free (self->name);
  g_free (self->title);
  g_free (self->probe_host);
  g_free (self->ca_file);
  g_free (self->media_ports);
  g_ptr_array_unref (self->sinkholes);
  g_ptr_array_unref (self->websockets);
  g_ptr_array_unref (self->turn_servers);
  g_ptr_array_unref (self->stun_servers);
  g_ptr_array_unref (self->domains);

  G_OBJECT_CLASS (cc_profile_parent_class)->finalize (object);
}

static void
cc_profile_class_init (CcProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_profile_finalize;
}

static void
cc_profile_init (CcProfile *self)
{
  self->sinkholes = g_ptr_array_new_with_free_func (g_object_unref);
  self->websockets = g_ptr_array_new_with_free_func ((GDestroyNotify) websocket_free);
  self->turn_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) turn_free);
  self->stun_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) stun_free);
  self->domains = g_ptr_array_new_with_free_func ((GDestroyNotify) domain_free);
}

CcProfile *
cc_profile_new_from_data (const char  *data,
                          gsize        length,
                          const char  *source_name,
                          const char  *base_dir,
                          GError     **error)
{
  g_autoptr(CcProfile) self = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CC_TYPE_PROFILE, NULL);
  self->source = g_strdup (source_name);

  if (!cc_profile_parse (self, data ? data : "", length, base_dir, error))
    return NULL;

  return g_steal_pointer (&self);
}

CcProfile *
cc_profile_new_from_file (const char  *path,
                          GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Refuse to read a huge file (or a device) whole just to say it is not a profile. */
  file = g_file_new_for_commandline_arg (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
                   "%s: %s", path, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > CC_PROFILE_MAX_SIZE)
    {
      g_set_error (error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
                   _("%s: not a regular file of at most 1 MiB"), path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }

  dir = g_path_get_dirname (path);
  return cc_profile_new_from_data (contents, length, path, dir, error);
}

CcProfile *
cc_profile_new_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CcProfile *self;
  gsize length;
  const char *data;

  /* Looked up in the engine's own resource: a static library's constructor that
   * would register it globally is not linked in unless something refers to it. */
  bytes = g_resource_lookup_data (cc_engine_get_resource (), CC_PROFILE_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (bytes != NULL);

  data = g_bytes_get_data (bytes, &length);
  self = cc_profile_new_from_data (data, length, "resource://" CC_PROFILE_RESOURCE, NULL, &error);
  if (self == NULL)
    g_error ("The built-in profile is invalid: %s", error->message);

  return self;
}

const char *
cc_profile_get_name (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->name;
}

const char *
cc_profile_get_title (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->title;
}

const char *
cc_profile_get_source (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->source;
}

const char *
cc_profile_get_probe_host (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->probe_host;
}

const char *
cc_profile_get_ca_file (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->ca_file;
}

const char *
cc_profile_get_media_ports (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->media_ports;
}

gboolean
cc_profile_is_sinkhole (CcProfile    *self,
                        GInetAddress *address)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  for (guint i = 0; i < self->sinkholes->len; i++)
    {
      GInetAddressMask *mask = self->sinkholes->pdata[i];

      if (g_inet_address_mask_get_family (mask) == g_inet_address_get_family (address) &&
          g_inet_address_mask_matches (mask, address))
        return TRUE;
    }

  return FALSE;
}

GPtrArray *
cc_profile_get_websockets (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->websockets;
}

GPtrArray *
cc_profile_get_turn_servers (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->turn_servers;
}

GPtrArray *
cc_profile_get_stun_servers (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->stun_servers;
}

GPtrArray *
cc_profile_get_domains (CcProfile *self)
{
  g_return_val_if_fail (CC_IS_PROFILE (self), NULL);
  return self->domains;
}
