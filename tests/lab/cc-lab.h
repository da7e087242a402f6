/* cc-lab.h: real servers for the tests, started on loopback in this process.
 *
 * A CcLab is a temporary directory with a test CA (openssl), and real servers on
 * random free ports of 127.0.0.1, served from the thread-default main context
 * (so the process must iterate it, e.g. while waiting for a check or a child):
 *
 *   name               what
 *   "https"            TLS (cert from the lab CA, SAN localhost + 127.0.0.1), SoupServer:
 *                        GET /          200 "Connection Check lab"
 *                        /engine.io/    WebSocket; sends the Engine.IO open packet
 *                                       0{"sid":…,"upgrades":[],"pingInterval":25000,
 *                                       "pingTimeout":20000,"maxPayload":1000000} on
 *                                       connect, answers text "2" with "3"
 *                        /echo          WebSocket echo (text and binary)
 *                        /forbidden     403 for every request, WebSocket or not
 *                        /cut           WebSocket accepted, closed by the server 1 s later
 *   "https-untrusted"  the same handlers, but a certificate from a second CA
 *                      ("Lab Inspection CA", NOT in ca.pem), as an inspecting proxy
 *   "silent-tcp"       accepts TCP connections and never sends a byte
 *   "garbage-tcp"      accepts, sends 64 bytes of garbage, keeps the connection open
 *   "silent-udp"       bound UDP socket that reads and never answers
 *   "garbage-udp"      answers each datagram with 20+ bytes that are not valid STUN
 *   "closed-tcp"       a port nothing listens on (connection refused)
 *   "closed-udp"       a UDP port nothing listens on (ICMP port unreachable)
 *   "turn"             coturn (turnserver) UDP + TCP listener, long-term credentials
 *   "turn-tls"         the same coturn's TLS listener (lab CA certificate)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _CcLab CcLab;

/* Starts everything; fails (with a message saying what) if openssl or turnserver
 * is missing or a server can't start. Returns only when coturn answers. */
CcLab       *cc_lab_new                (GError     **error);
/* cc_lab_new() for a test or benchmark that cannot go on without the lab
 * (coturn and openssl come with tools/install-deps --test: not a reason to
 * skip): aborts with the reason when it does not start. With @ca_database,
 * also a database of the lab's CA, to trust it in checks. */
CcLab       *cc_lab_start              (GTlsDatabase **ca_database);
/* Stops every server, kills coturn, removes the directory. */
void         cc_lab_free               (CcLab       *lab);

const char  *cc_lab_get_dir            (CcLab       *lab);
/* PEM file with the lab CA (the one "https" and coturn's TLS chain up to). */
const char  *cc_lab_get_ca_file        (CcLab       *lab);
guint16      cc_lab_get_port           (CcLab       *lab,
                                        const char  *name);
const char  *cc_lab_get_turn_username  (CcLab       *lab);
const char  *cc_lab_get_turn_password  (CcLab       *lab);
const char  *cc_lab_get_turn_realm     (CcLab       *lab);
/* A new certificate object for the lab's server certificate and key (the ones
 * "https" and coturn's TLS listener use: from the lab CA, for localhost and
 * 127.0.0.1), for servers a test runs itself. */
GTlsCertificate *cc_lab_new_server_certificate (CcLab   *lab,
                                                GError **error);

/* Replaces @NAME@ in @text_template by: a port (@https@, @turn@, … any name above),
 * @ca@ (the CA file), @dir@, @turn-user@, @turn-password@, @turn-realm@.
 * An unknown @word@ is a programmer error (g_error). */
char        *cc_lab_expand             (CcLab       *lab,
                                        const char  *text_template);
/* Expands @template_path and writes it to @name in the lab dir; returns the path. */
char        *cc_lab_write_file         (CcLab       *lab,
                                        const char  *name,
                                        const char  *template_path,
                                        GError     **error);
/* For the benchmarks (run from the source tree by tools/): writes
 * tests/profiles/@template_name of $CC_SOURCE_DIR (else the current folder)
 * to @name in the lab dir and returns the path; aborts when it cannot. */
char        *cc_lab_write_source_profile (CcLab      *lab,
                                          const char *name,
                                          const char *template_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcLab, cc_lab_free)

/* The signaling server's side of Engine.IO/Socket.IO v4, for a message on
 * @conn: CONNECT to the main namespace ("40") is acknowledged with @sid,
 * pings ("2", "2probe") get their pongs; anything else is left unanswered.
 * The lab's /engine.io/ and the namespace lab's web server (cc-netlab-web)
 * share it. */
void         cc_lab_engine_io_reply    (SoupWebsocketConnection *conn,
                                        int                      type,
                                        GBytes                  *message,
                                        const char              *sid);

/* One direction of a relay the lab's middleboxes make (the forward proxy,
 * test-hostile's proxies): copies what arrives on @from to @to, at most
 * @budget bytes (G_MAXSIZE: all); past them, what arrives is read and
 * dropped, or with @stop_at_budget the pump ends. It ends when either stream
 * does, a write fails or @cancellable is cancelled: then @to is closed and
 * @done (@data) called. @sent, when not NULL, counts the bytes written. */
void         cc_lab_pump               (GInputStream            *from,
                                        GOutputStream           *to,
                                        gsize                    budget,
                                        gboolean                 stop_at_budget,
                                        GCancellable            *cancellable,
                                        guint64                 *sent,
                                        GDestroyNotify           done,
                                        gpointer                 data);

G_END_DECLS
