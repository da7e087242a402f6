/* cc-profile.h: the requirement catalogue, read from a GLib key file.
 *
 * A profile holds facts only (hosts, URLs, ports, transports, domains); the
 * format is documented in data/profiles/whereby.conf and the README. Parsing
 * errors name the file, the line where it can be told, and the key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CC_TRANSPORT_UDP = 1 << 0,
  CC_TRANSPORT_TCP = 1 << 1,
  CC_TRANSPORT_TLS = 1 << 2,
} CcTransport;

const char *cc_transport_to_string (CcTransport transport);

typedef enum
{
  CC_ROUND_TRIP_NONE,
  CC_ROUND_TRIP_ENGINE_IO,
  CC_ROUND_TRIP_ECHO,
} CcRoundTrip;

typedef enum
{
  CC_DOMAIN_PROBE_HTTPS,
  CC_DOMAIN_PROBE_DNS,
} CcDomainProbe;

typedef struct
{
  char        *label;
  char        *url;         /* wss://host[:port]/path */
  char        *host;
  guint16      port;
  CcRoundTrip  round_trip;
  char        *subprotocol; /* or NULL */
  gboolean     essential;
} CcProfileWebsocket;

typedef struct
{
  char        *label;
  char        *host;
  guint16      port;        /* UDP and TCP */
  guint16      tls_port;    /* TLS; the same as port unless given */
  CcTransport  transports;
} CcProfileTurn;

typedef struct
{
  char        *label;
  char        *host;
  guint16      port;
  guint        burst_count;
  guint        burst_interval_ms;
} CcProfileStun;

typedef enum
{
  CC_DOMAIN_ROLE_SIGNALING,
  CC_DOMAIN_ROLE_MEDIA,
  CC_DOMAIN_ROLE_SUPPORTING,
} CcDomainRole;

typedef struct
{
  char          *pattern;   /* as the guide writes it: *.example.com */
  char         **hosts;     /* concrete names (name or name:port) to test; may be empty */
  CcDomainProbe  probe;
  CcDomainRole   role;
} CcProfileDomain;

#define CC_TYPE_PROFILE (cc_profile_get_type ())
G_DECLARE_FINAL_TYPE (CcProfile, cc_profile, CC, PROFILE, GObject)

#define CC_PROFILE_ERROR (cc_profile_error_quark ())

typedef enum
{
  CC_PROFILE_ERROR_INVALID,
} CcProfileError;

GQuark       cc_profile_error_quark       (void);

CcProfile   *cc_profile_new_default       (void);
CcProfile   *cc_profile_new_from_file     (const char  *path,
                                           GError     **error);
CcProfile   *cc_profile_new_from_data     (const char  *data,
                                           gsize        length,
                                           const char  *source_name,
                                           const char  *base_dir,
                                           GError     **error);

const char  *cc_profile_get_name          (CcProfile   *self);
const char  *cc_profile_get_title         (CcProfile   *self);
const char  *cc_profile_get_source        (CcProfile   *self);
const char  *cc_profile_get_probe_host    (CcProfile   *self);
const char  *cc_profile_get_ca_file       (CcProfile   *self);
const char  *cc_profile_get_media_ports   (CcProfile   *self);
gboolean     cc_profile_is_sinkhole       (CcProfile   *self,
                                           GInetAddress *address);
/* Elements are CcProfileWebsocket, CcProfileTurn, CcProfileStun, CcProfileDomain. */
GPtrArray   *cc_profile_get_websockets    (CcProfile   *self);
GPtrArray   *cc_profile_get_turn_servers  (CcProfile   *self);
GPtrArray   *cc_profile_get_stun_servers  (CcProfile   *self);
GPtrArray   *cc_profile_get_domains       (CcProfile   *self);

G_END_DECLS
