/* cc-socket-timing.c: kernel receive stamps, the kernel's handshake timing and
 * the arrival watch (cc-socket-timing.h says what each is for).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "cc-socket-timing.h"
#include "cc-util.h"

/* A kernel receive stamp older than this (or in the future) means the wall
 * clock was set meanwhile: the stamp is not used. No datagram waits that long
 * in a socket we read. */
#define CC_RECEIVE_STAMP_MAX_AGE_US (10 * G_USEC_PER_SEC)

gboolean
cc_socket_enable_receive_timestamps (GSocket *socket)
{
  int on = 1;

  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);

  return setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == 0;
}

static gssize
receive_timed (GSocket  *socket,
               guint8   *buffer,
               gsize     size,
               int       flags,
               gint64   *received_us,
               GError  **error)
{
  union {
    char           buf[CMSG_SPACE (sizeof (struct timespec))];
    struct cmsghdr align;
  } control;
  struct iovec iov = { buffer, size };
  struct msghdr msg = { 0 };
  struct timespec now_real;
  gint64 now_us;
  gssize n;

  g_return_val_if_fail (G_IS_SOCKET (socket), -1);
  g_return_val_if_fail (received_us != NULL, -1);

  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;

  /* GSocket's receive_message drops control messages it has no deserializer
   * for, kernel stamps among them (PITFALLS.md): recvmsg() on its fd. */
  do
    n = recvmsg (g_socket_get_fd (socket), &msg, MSG_DONTWAIT | flags);
  while (n < 0 && errno == EINTR);

  now_us = g_get_monotonic_time ();
  *received_us = now_us;

  if (n < 0)
    {
      int errsv = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (errsv), g_strerror (errsv));
      return -1;
    }

  /* The stamp is wall-clock time: its age, taken against the wall clock now,
   * moves it onto the monotonic clock the send moments are taken with. */
  clock_gettime (CLOCK_REALTIME, &now_real);
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
    {
      if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_TIMESTAMPNS)
        {
          struct timespec stamp;
          gint64 age_us;

          memcpy (&stamp, CMSG_DATA (cmsg), sizeof stamp);
          age_us = ((gint64) now_real.tv_sec - stamp.tv_sec) * G_USEC_PER_SEC +
                   ((gint64) now_real.tv_nsec - stamp.tv_nsec) / 1000;
          if (age_us >= 0 && age_us < CC_RECEIVE_STAMP_MAX_AGE_US)
            *received_us = now_us - age_us;
        }
    }

  return n;
}

gssize
cc_socket_receive_timed (GSocket  *socket,
                         guint8   *buffer,
                         gsize     size,
                         gint64   *received_us,
                         GError  **error)
{
  return receive_timed (socket, buffer, size, 0, received_us, error);
}

gint64
cc_socket_get_handshake_us (GSocket *socket)
{
  struct tcp_info info = { 0 };
  socklen_t len = sizeof info;

  g_return_val_if_fail (G_IS_SOCKET (socket), -1);

  /* GSocketClient's sockets have the default protocol: TCP, for a stream. */
  if (g_socket_get_socket_type (socket) != G_SOCKET_TYPE_STREAM ||
      (g_socket_get_family (socket) != G_SOCKET_FAMILY_IPV4 &&
       g_socket_get_family (socket) != G_SOCKET_FAMILY_IPV6) ||
      getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
    return -1;

  /* Before anything else is sent or acknowledged, the smoothed round trip is
   * the first sample, the SYN's (tcp_rtt_estimator() starts from it). A SYN
   * sent again is timed from the send it answers, so the time before it would
   * be missing: then there is no handshake time to give. */
  if (info.tcpi_state != TCP_ESTABLISHED || info.tcpi_total_retrans != 0 || info.tcpi_rtt == 0)
    return -1;

  return info.tcpi_rtt;
}

gboolean
cc_socket_is_connecting (GSocket *socket)
{
  struct tcp_info info = { 0 };
  socklen_t len = sizeof info;

  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);

  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
    return FALSE;
  return info.tcpi_state == TCP_SYN_SENT;
}

struct _CcArrival
{
  GSocket *socket;
  GSource *source;
  gint64   sent_us;
  gint64   arrived_us;
};

static void
cc_arrival_disarm (CcArrival *self)
{
  cc_source_clear (&self->source);
}

static gboolean
cc_arrival_readable_cb (GSocket      *socket,
                        GIOCondition  condition,
                        gpointer      user_data)
{
  CcArrival *self = user_data;
  guint8 byte;
  gint64 at;

  /* One look, whatever it finds: the data stays for its reader, so this source
   * must not stay (it would be ready again at once, ahead of the reader). */
  if (receive_timed (socket, &byte, 1, MSG_PEEK, &at, NULL) == 1 && at >= self->sent_us)
    self->arrived_us = at;

  g_clear_pointer (&self->source, g_source_unref);
  return G_SOURCE_REMOVE;
}

CcArrival *
cc_arrival_new (GSocket *socket)
{
  CcArrival *self;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  self = g_new0 (CcArrival, 1);
  self->socket = g_object_ref (socket);
  self->arrived_us = -1;
  cc_socket_enable_receive_timestamps (socket);

  return self;
}

void
cc_arrival_arm (CcArrival *self,
                gint64     sent_us)
{
  g_return_if_fail (self != NULL);

  cc_arrival_disarm (self);
  self->sent_us = sent_us;
  self->arrived_us = -1;

  self->source = g_socket_create_source (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  /* Ahead of every reader's source (they have the default priority): the main
   * loop dispatches only the most urgent of the sources that are ready. */
  g_source_set_priority (self->source, G_PRIORITY_HIGH);
  g_source_set_callback (self->source, G_SOURCE_FUNC (cc_arrival_readable_cb), self, NULL);
  g_source_set_name (self->source, "[connection-check] arrival watch");
  g_source_attach (self->source, g_main_context_get_thread_default ());
}

gint64
cc_arrival_take (CcArrival *self)
{
  gint64 arrived_us;

  g_return_val_if_fail (self != NULL, g_get_monotonic_time ());

  cc_arrival_disarm (self);
  arrived_us = self->arrived_us >= 0 ? self->arrived_us : g_get_monotonic_time ();
  self->arrived_us = -1;

  return arrived_us;
}

void
cc_arrival_free (CcArrival *self)
{
  if (self == NULL)
    return;

  cc_arrival_disarm (self);
  g_object_unref (self->socket);
  g_free (self);
}
