/* test-profile.c: the profile and ICE-servers parsers, and the built-in profile's
 * promise that every name it tests lies inside a domain Whereby's guide lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cc-engine.h"

/* The domains of Whereby's firewall guide (shared/seed/firewall-and-security.md). */
static const char * const guide_domains[] = {
  "*.sfu.whereby.com", "*.sfu.svc.whereby.com", "*.srv.whereby.com", "*.svc.whereby.com",
  "*.appearin.net", "*.turn.whereby.com", "*.turn.svc.whereby.com", "*.posthog.com",
  "*.sentry.io", "*.helpscout.net", "*.amazonaws.net", "*.cloudfront.net", NULL
};

static gboolean
in_guide_domains (const char *host)
{
  for (guint i = 0; guide_domains[i] != NULL; i++)
    {
      const char *suffix = guide_domains[i] + 1; /* ".appearin.net" */

      if (g_str_has_suffix (host, suffix) && strlen (host) > strlen (suffix))
        return TRUE;
    }
  return FALSE;
}

static void
test_builtin_profile (void)
{
  g_autoptr(CcProfile) profile = cc_profile_new_default ();
  GPtrArray *ws = cc_profile_get_websockets (profile);
  GPtrArray *turns = cc_profile_get_turn_servers (profile);
  GPtrArray *stuns = cc_profile_get_stun_servers (profile);
  GPtrArray *domains = cc_profile_get_domains (profile);
  guint n_guide = g_strv_length ((char **) guide_domains);

  g_assert_cmpstr (cc_profile_get_name (profile), ==, "whereby");
  g_assert_nonnull (ws);
  g_assert_cmpuint (ws->len, >=, 1);
  g_assert_cmpstr (((CcProfileWebsocket *) ws->pdata[0])->url, ==,
                   "wss://signal.appearin.net/protocol/socket.io/v4/?EIO=4&transport=websocket");
  g_assert_cmpint (((CcProfileWebsocket *) ws->pdata[0])->round_trip, ==, CC_ROUND_TRIP_ENGINE_IO);
  g_assert_cmpuint (((CcProfileWebsocket *) ws->pdata[0])->port, ==, 443);

  g_assert_cmpuint (turns->len, ==, 1);
  g_assert_cmpstr (((CcProfileTurn *) turns->pdata[0])->host, ==, "turnserver.appearin.net");
  g_assert_cmpuint (((CcProfileTurn *) turns->pdata[0])->port, ==, 443);
  g_assert_cmpuint (((CcProfileTurn *) turns->pdata[0])->tls_port, ==, 443);
  g_assert_cmpuint (((CcProfileTurn *) turns->pdata[0])->transports, ==,
                    CC_TRANSPORT_UDP | CC_TRANSPORT_TCP | CC_TRANSPORT_TLS);
  g_assert_cmpuint (stuns->len, ==, 1);
  g_assert_cmpuint (((CcProfileStun *) stuns->pdata[0])->port, ==, 3478);

  /* Every domain of the guide is in the profile, once. */
  g_assert_cmpuint (domains->len, ==, n_guide);
  for (guint i = 0; guide_domains[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < domains->len; j++)
        found |= g_str_equal (((CcProfileDomain *) domains->pdata[j])->pattern, guide_domains[i]);
      g_assert_true (found);
    }

  /* Every name the profile tests lies inside a documented domain, so a firewall
   * built from the guide lets the test itself through. */
  g_assert_true (in_guide_domains (cc_profile_get_probe_host (profile)));
  for (guint i = 0; i < ws->len; i++)
    g_assert_true (in_guide_domains (((CcProfileWebsocket *) ws->pdata[i])->host));
  for (guint i = 0; i < turns->len; i++)
    g_assert_true (in_guide_domains (((CcProfileTurn *) turns->pdata[i])->host));
  for (guint i = 0; i < stuns->len; i++)
    g_assert_true (in_guide_domains (((CcProfileStun *) stuns->pdata[i])->host));
  for (guint i = 0; i < domains->len; i++)
    {
      CcProfileDomain *domain = domains->pdata[i];

      for (guint j = 0; domain->hosts[j] != NULL; j++)
        {
          g_assert_true (in_guide_domains (domain->hosts[j]));
          /* …and inside its own pattern. */
          g_assert_true (g_str_has_suffix (domain->hosts[j], domain->pattern + 1));
        }
    }
}

static void
test_sinkhole (void)
{
  g_autoptr(CcProfile) profile = cc_profile_new_default ();
  const char *sinkholes[] = { "0.0.0.0", "127.0.0.1", "127.1.2.3", "::", "::1", NULL };
  const char *real[] = { "198.18.0.1", "203.0.113.7", "2001:db8::1", NULL };

  for (guint i = 0; sinkholes[i]; i++)
    {
      g_autoptr(GInetAddress) a = g_inet_address_new_from_string (sinkholes[i]);
      g_assert_true (cc_profile_is_sinkhole (profile, a));
    }
  for (guint i = 0; real[i]; i++)
    {
      g_autoptr(GInetAddress) a = g_inet_address_new_from_string (real[i]);
      g_assert_false (cc_profile_is_sinkhole (profile, a));
    }
}

static const char minimal[] =
  "[profile]\nname=t\n\n"
  "[websocket s]\nurl=wss://example.test/ws\nround-trip=echo\n\n"
  "[turn t]\nhost=turn.example.test\nport=443\ntransports=udp;tcp\n";

static void
test_minimal_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = cc_profile_new_from_data (minimal, strlen (minimal), "mem", NULL, &error);
  CcProfileWebsocket *ws;

  g_assert_no_error (error);
  g_assert_cmpstr (cc_profile_get_title (profile), ==, "t");
  /* The probe host defaults to the first WebSocket's host. */
  g_assert_cmpstr (cc_profile_get_probe_host (profile), ==, "example.test");
  ws = cc_profile_get_websockets (profile)->pdata[0];
  g_assert_cmpuint (ws->port, ==, 443);
  g_assert_true (ws->essential);
  g_assert_cmpuint (cc_profile_get_domains (profile)->len, ==, 0);
}

typedef struct
{
  const char *name;
  const char *text;
  gsize       length;    /* 0: strlen */
  const char *expected;  /* substring of the error message */
} BadProfile;

static const BadProfile bad_profiles[] = {
  { "empty", "", 0, "bad.conf: the file is empty" },
  { "no-profile-group", "[turn t]\nhost=a\nport=1\ntransports=udp\n", 0, "[profile] group is missing" },
  { "missing-key", "[profile]\nname=t\n[turn t]\nhost=a.test\ntransports=udp\n", 0, "bad.conf:3: [turn t] port" },
  { "bad-port", "[profile]\nname=t\n[turn t]\nhost=a.test\nport=70000\ntransports=udp\n", 0, "bad.conf:5: [turn t] port" },
  { "port-not-number", "[profile]\nname=t\n[stun s]\nhost=a.test\nport=http\n", 0, "bad.conf:5: [stun s] port" },
  { "unknown-transport", "[profile]\nname=t\n[turn t]\nhost=a.test\nport=443\ntransports=udp;sctp\n", 0, "bad.conf:6: [turn t] transports: unknown transport “sctp”" },
  { "unknown-key", "[profile]\nname=t\nnmae=x\n", 0, "bad.conf:3: [profile] nmae: unknown key" },
  { "unknown-kind", "[profile]\nname=t\n[webscoket s]\nurl=wss://a/\n", 0, "bad.conf:3: [webscoket s]" },
  { "bad-url", "[profile]\nname=t\n[websocket s]\nurl=https://a.test/\n", 0, "bad.conf:4: [websocket s] url" },
  { "bad-round-trip", "[profile]\nname=t\n[websocket s]\nurl=wss://a.test/\nround-trip=ping\n", 0, "round-trip" },
  /* A bad escape then a backslash at the end: GLib 2.74 would warn. */
  { "bad-escape", "[profile]\nname=t\\|x\\\n", 0, "bad.conf:2: a backslash" },
  { "bad-bool", "[profile]\nname=t\n[websocket s]\nurl=wss://a.test/\nessential=yes\n", 0, "essential" },
  { "bad-host", "[profile]\nname=t\n[stun s]\nhost=a b\nport=1\n", 0, "bad.conf:4: [stun s] host" },
  { "bad-sinkhole", "[profile]\nname=t\nsinkhole=0.0.0.0/99\n", 0, "bad.conf:3: [profile] sinkhole" },
  /* GLib alone would take this as /0 (the length wraps around 32 bits). */
  { "sinkhole-prefix-wraps", "[profile]\nname=t\nsinkhole=0.0.0.0/4294967296\n", 0, "bad.conf:3: [profile] sinkhole" },
  { "sinkhole-prefix-too-long", "[profile]\nname=t\nsinkhole=::/129\n", 0, "bad.conf:3: [profile] sinkhole" },
  { "bad-role", "[profile]\nname=t\n[domain *.a.test]\nrole=vip\n", 0, "bad.conf:4: [domain *.a.test] role" },
  { "bad-domain-port", "[profile]\nname=t\n[domain *.a.test]\nhosts=a.a.test:0\n", 0, "has an invalid port" },
  { "not-keyfile", "[profile]\nname=t\nthis line is wrong\n", 0, "bad.conf:3: not a [group]" },
  { "burst-too-large", "[profile]\nname=t\n[stun s]\nhost=a.test\nport=1\nburst-count=999999\n", 0, "burst-count" },
  { "missing-ca", "[profile]\nname=t\nca-file=/nonexistent/ca.pem\n", 0, "ca-file" },
  { "binary", "[profile]\nname=\xff\xfe\x00\x01garbage", 18, "bad.conf:2: not a text file" },
};

static void
test_bad_profile (gconstpointer data)
{
  const BadProfile *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = NULL;
  gsize length = bad->length ? bad->length : strlen (bad->text);

  profile = cc_profile_new_from_data (bad->text, length, "bad.conf", NULL, &error);
  g_assert_null (profile);
  g_assert_error (error, CC_PROFILE_ERROR, CC_PROFILE_ERROR_INVALID);
  if (strstr (error->message, bad->expected) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, bad->expected);
}

/* The data is read up to its length, never up to a NUL that may not be there:
 * the line after the length would be a syntax error. */
static void
test_profile_data_length (void)
{
  static const char text[] = "[profile]\nname=t\nthis line is past the length\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = NULL;

  profile = cc_profile_new_from_data (text, strlen ("[profile]\nname=t\n"), "short.conf", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cc_profile_get_name (profile), ==, "t");
}

static void
test_profile_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CcProfile) profile = NULL;

  profile = cc_profile_new_from_file ("/nonexistent/profile.conf", &error);
  g_assert_null (profile);
  g_assert_nonnull (strstr (error->message, "/nonexistent/profile.conf"));
  g_clear_error (&error);

  /* A directory or a device is not a profile, and is not read whole. */
  profile = cc_profile_new_from_file ("/dev/zero", &error);
  g_assert_null (profile);
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  /* Input files are size-limited (1 MiB): a bigger file is refused before it
   * is read, whatever it holds, and so is the same data given directly. */
  {
    g_autofree char *dir = g_dir_make_tmp ("cc-test-XXXXXX", NULL);
    g_autofree char *profile_path = g_build_filename (dir, "big.conf", NULL);
    g_autofree char *ice_path = g_build_filename (dir, "big.json", NULL);
    gsize size = 1024 * 1024 + 1;
    g_autofree char *big = g_malloc (size);
    g_autoptr(GPtrArray) servers = NULL;

    memset (big, ' ', size);
    memcpy (big, "[profile]\nname=t\n", strlen ("[profile]\nname=t\n"));
    g_assert_true (g_file_set_contents (profile_path, big, size, NULL));
    g_assert_true (g_file_set_contents (ice_path, big, size, NULL));

    profile = cc_profile_new_from_file (profile_path, &error);
    g_assert_null (profile);
    g_assert_nonnull (strstr (error->message, "1 MiB"));
    g_clear_error (&error);
    profile = cc_profile_new_from_data (big, size, "big", NULL, &error);
    g_assert_null (profile);
    g_assert_nonnull (strstr (error->message, "1 MiB"));
    g_clear_error (&error);

    servers = cc_ice_servers_load (ice_path, &error);
    g_assert_null (servers);
    g_assert_nonnull (strstr (error->message, "1 MiB"));
    g_clear_error (&error);
    servers = cc_ice_servers_load_from_data (big, size, "big.json", &error);
    g_assert_null (servers);
    g_assert_nonnull (strstr (error->message, "1 MiB"));
    g_clear_error (&error);

    g_unlink (profile_path);
    g_unlink (ice_path);
    g_rmdir (dir);
  }
}

static void
test_ice_servers (void)
{
  static const char json[] =
    "{\"iceServers\":[{\"urls\":[\"turn:t.example.test:443?transport=udp\","
    "\"turn:t.example.test:443?transport=tcp\",\"turns:t.example.test:443\"],"
    "\"username\":\"u\",\"credential\":\"secret\"},"
    "{\"urls\":\"stun:s.example.test\"},{\"urls\":[\"turn:[2001:db8::1]\"],\"username\":\"u\",\"credential\":\"p\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = cc_ice_servers_load_from_data (json, strlen (json), "mem", &error);
  CcIceServer *s;

  g_assert_no_error (error);
  g_assert_cmpuint (servers->len, ==, 5);

  s = servers->pdata[0];
  g_assert_true (s->is_turn);
  g_assert_cmpstr (s->host, ==, "t.example.test");
  g_assert_cmpuint (s->port, ==, 443);
  g_assert_cmpint (s->transport, ==, CC_TRANSPORT_UDP);
  g_assert_cmpstr (s->credential, ==, "secret");
  g_assert_cmpint (((CcIceServer *) servers->pdata[1])->transport, ==, CC_TRANSPORT_TCP);
  g_assert_cmpint (((CcIceServer *) servers->pdata[2])->transport, ==, CC_TRANSPORT_TLS);

  s = servers->pdata[3];
  g_assert_false (s->is_turn);
  g_assert_cmpuint (s->port, ==, 3478);

  s = servers->pdata[4];
  g_assert_cmpstr (s->host, ==, "2001:db8::1");
  g_assert_cmpuint (s->port, ==, 3478);
}

/* WebRTC's RTCConfiguration.iceServers itself: a bare array of RTCIceServer
 * objects, as many TURN credential services return it. */
static void
test_ice_servers_bare_array (void)
{
  static const char json[] =
    "[{\"urls\":\"turn:t.example.test:443?transport=tcp\",\"username\":\"u\",\"credential\":\"p\"},"
    "{\"urls\":[\"stun:s.example.test:3479\"]}]";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) servers = cc_ice_servers_load_from_data (json, strlen (json), "mem", &error);
  CcIceServer *s;

  g_assert_no_error (error);
  g_assert_cmpuint (servers->len, ==, 2);
  s = servers->pdata[0];
  g_assert_true (s->is_turn);
  g_assert_cmpint (s->transport, ==, CC_TRANSPORT_TCP);
  g_assert_cmpstr (s->username, ==, "u");
  s = servers->pdata[1];
  g_assert_false (s->is_turn);
  g_assert_cmpuint (s->port, ==, 3479);

  /* An empty list is a list, in either shape. */
  g_clear_pointer (&servers, g_ptr_array_unref);
  servers = cc_ice_servers_load_from_data ("[]", 2, "mem", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (servers->len, ==, 0);
}

static void
test_bad_ice_servers (void)
{
  static const char * const bad[] = {
    "",
    "not json",
    "3",
    "[3]",
    "{\"servers\": []}",
    "{\"iceServers\": 3}",
    "{\"iceServers\": [3]}",
    "{\"iceServers\": [{\"urls\": []}]}",
    "{\"iceServers\": [{\"urls\": [7]}]}",
    "{\"iceServers\": [{\"urls\": [\"http://a\"]}]}",
    "{\"iceServers\": [{\"urls\": [\"turn:a:99999\"], \"username\": \"u\", \"credential\": \"p\"}]}",
    "{\"iceServers\": [{\"urls\": [\"turn:a\"]}]}",
    "{\"iceServers\": [{\"urls\": [\"turn:a?transport=sctp\"], \"username\": \"u\", \"credential\": \"p\"}]}",
    "{\"iceServers\": [{\"urls\": [\"turn:a\"], \"username\": 1, \"credential\": \"p\"}]}",
    "{\"iceServers\": [{\"urls\": [\"turn:[::1\"], \"username\": \"u\", \"credential\": \"p\"}]}",
    /* Logins libnice's key derivation would read past (see cc-stun-parse.h). */
    "{\"iceServers\": [{\"urls\": [\"turn:a\"], \"username\": \"\", \"credential\": \"p\"}]}",
    "{\"iceServers\": [{\"urls\": [\"turn:a\"], \"username\": \"u\", \"credential\": \"\\\"\\\"\"}]}",
    NULL
  };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) servers = cc_ice_servers_load_from_data (bad[i], strlen (bad[i]), "ice.json", &error);

      if (servers != NULL)
        g_error ("accepted: %s", bad[i]);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "ice.json") ||
                     strstr (error->message, "URL") != NULL);
    }
}

static void
test_grades (void)
{
  g_assert_cmpint (cc_diagnosis_grade (20, 1, 0), ==, CC_QUALITY_GOOD);
  g_assert_cmpint (cc_diagnosis_grade (20, 1, 2), ==, CC_QUALITY_FAIR);
  g_assert_cmpint (cc_diagnosis_grade (20, 1, 8), ==, CC_QUALITY_POOR);
  g_assert_cmpint (cc_diagnosis_grade (300, 1, 0), ==, CC_QUALITY_FAIR);
  g_assert_cmpint (cc_diagnosis_grade (400, 1, 0), ==, CC_QUALITY_POOR);
  g_assert_cmpint (cc_diagnosis_grade (20, 31, 0), ==, CC_QUALITY_POOR);
  g_assert_cmpint (cc_diagnosis_grade (-1, -1, -1), ==, CC_QUALITY_UNKNOWN);
}

static void
test_error_names (void)
{
  /* The error classes are a contract (DESIGN.md). */
  static const char * const names[] = {
    "dns-failure", "dns-sinkhole", "timeout", "refused", "unreachable", "tls-untrusted",
    "tls-failure", "http-status", "websocket-rejected", "connection-cut", "proxy-failure",
    "auth-required", "protocol-error", "cancelled", NULL
  };
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "x");
  g_autoptr(GError) dns = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "x");
  g_autoptr(GError) tls = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, "x");

  for (guint i = 0; names[i] != NULL; i++)
    g_assert_cmpstr (cc_error_to_string (CC_ERROR_DNS_FAILURE + i), ==, names[i]);

  g_assert_cmpint (cc_error_from_gerror (refused), ==, CC_ERROR_REFUSED);
  g_assert_cmpint (cc_error_from_gerror (dns), ==, CC_ERROR_DNS_FAILURE);
  g_assert_cmpint (cc_error_from_gerror (tls), ==, CC_ERROR_TLS_UNTRUSTED);
}

static void
test_secrets_redact (void)
{
  g_autofree char *one = NULL;
  g_autofree char *nested = NULL;

  cc_secrets_add (NULL);
  cc_secrets_add ("");
  cc_secrets_add ("s3cret-pass");
  cc_secrets_add ("s3cret-password-longer");
  cc_secrets_add ("s3cret-pass");

  g_assert_null (cc_secrets_redact ("nothing to hide"));
  g_assert_null (cc_secrets_redact (NULL));
  one = cc_secrets_redact ("user/pass : u -- s3cret-pass, again s3cret-pass");
  g_assert_cmpstr (one, ==, "user/pass : u -- " CC_SECRETS_MASK ", again " CC_SECRETS_MASK);
  /* The longer secret is hidden whole, not around its shorter prefix. */
  nested = cc_secrets_redact ("[s3cret-password-longer]");
  g_assert_cmpstr (nested, ==, "[" CC_SECRETS_MASK "]");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/builtin", test_builtin_profile);
  g_test_add_func ("/profile/sinkhole", test_sinkhole);
  g_test_add_func ("/profile/minimal", test_minimal_profile);
  for (guint i = 0; i < G_N_ELEMENTS (bad_profiles); i++)
    {
      g_autofree char *path = g_strdup_printf ("/profile/bad/%s", bad_profiles[i].name);
      g_test_add_data_func (path, &bad_profiles[i], test_bad_profile);
    }
  g_test_add_func ("/profile/data-length", test_profile_data_length);
  g_test_add_func ("/profile/file-errors", test_profile_file_errors);
  g_test_add_func ("/ice-servers/parse", test_ice_servers);
  g_test_add_func ("/ice-servers/bare-array", test_ice_servers_bare_array);
  g_test_add_func ("/ice-servers/bad", test_bad_ice_servers);
  g_test_add_func ("/diagnosis/grades", test_grades);
  g_test_add_func ("/errors/names", test_error_names);
  g_test_add_func ("/secrets/redact", test_secrets_redact);

  return g_test_run ();
}
