/* cc-stamped-stream.h: a TCP connection whose reads carry the kernel's moment
 * of receipt, to put a TLS connection on: GTlsConnection reads its records
 * from this stream, and the STUN check over TLS then knows when the segment
 * that completed an answer arrived, not when the main loop got to it (README
 * "Timings"). Its input stream reads the socket with recvmsg() and
 * SO_TIMESTAMPNS (cc_socket_receive_timed()); its output stream is the
 * connection's own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CC_TYPE_STAMPED_STREAM (cc_stamped_stream_get_type ())
G_DECLARE_FINAL_TYPE (CcStampedStream, cc_stamped_stream, CC, STAMPED_STREAM, GIOStream)

/* @connection: a connection whose bytes are what arrives on @socket (plain
 * TCP, or a tunnel through an HTTP or SOCKS proxy). */
GIOStream *cc_stamped_stream_new                (GIOStream *connection,
                                                 GSocket   *socket);
/* The moment (g_get_monotonic_time()'s clock) the kernel received the last
 * bytes read so far, or 0 before any. Any thread. */
gint64     cc_stamped_stream_get_received_us    (CcStampedStream *self);

G_END_DECLS
