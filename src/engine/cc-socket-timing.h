/* cc-socket-timing.h: the moments a check's round trips and handshakes are
 * timed with, taken where the app's own load cannot shift them (README
 * "Timings"): kernel receive stamps, the kernel's own handshake timing, and a
 * watch for the first data to arrive on a socket another layer reads. For the
 * checks and their tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Asks the kernel to stamp each datagram or segment @socket receives
 * (SO_TIMESTAMPNS). */
gboolean      cc_socket_enable_receive_timestamps (GSocket  *socket);
/* Reads like g_socket_receive() (never blocking) and gives, in
 * g_get_monotonic_time()'s clock, the moment the kernel received what was read:
 * however long the main loop took to get here does not count. Without a kernel
 * stamp, the moment of this call. */
gssize        cc_socket_receive_timed   (GSocket    *socket,
                                         guint8     *buffer,
                                         gsize       size,
                                         gint64     *received_us,
                                         GError    **error);
/* How long the TCP handshake of @socket, just connected, took as the kernel
 * timed it (SYN to SYN-ACK: its first round-trip sample), in µs; -1 where that
 * is not what the kernel has (the SYN was sent again, no sample, not TCP). */
gint64        cc_socket_get_handshake_us (GSocket   *socket);
/* Whether @socket's SYN still waits for an answer (TCP state SYN-SENT), as the
 * kernel says: a busy main loop may not have heard of the answer yet. */
gboolean      cc_socket_is_connecting   (GSocket   *socket);

/* The moment the first data after a send arrived on a socket that another layer
 * reads (libsoup's WebSocket, a TLS connection): armed at the send, a source of
 * higher priority than any reader's peeks at that data (MSG_PEEK) and keeps its
 * kernel stamp before the reader takes it. Data that was already waiting when
 * it was armed is not an answer: the watch then gives up, and the answer's
 * moment is the moment it is taken. Runs on the thread-default main context. */
typedef struct _CcArrival CcArrival;

CcArrival    *cc_arrival_new            (GSocket    *socket);
void          cc_arrival_arm            (CcArrival  *self,
                                         gint64      sent_us);
/* The moment the answer to the armed send arrived, or now if the watch saw
 * none; disarms. */
gint64        cc_arrival_take           (CcArrival  *self);
void          cc_arrival_free           (CcArrival  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcArrival, cc_arrival_free)

G_END_DECLS
