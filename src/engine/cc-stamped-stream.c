/* cc-stamped-stream.c: see cc-stamped-stream.h.
 *
 * The input stream is pollable (GTlsConnection needs that of its base): its
 * blocking read (a TLS handshake runs in a worker thread) waits on the socket
 * and reads without blocking, as the non-blocking read does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-check-private.h"
#include "cc-check.h"
#include "cc-stamped-stream.h"

#define CC_TYPE_STAMPED_INPUT (cc_stamped_input_get_type ())
G_DECLARE_FINAL_TYPE (CcStampedInput, cc_stamped_input, CC, STAMPED_INPUT, GInputStream)

struct _CcStampedInput
{
  GInputStream     parent_instance;

  GSocket         *socket;
  CcStampedStream *owner;   /* not a reference: the owner holds this stream */
};

struct _CcStampedStream
{
  GIOStream       parent_instance;

  GIOStream      *connection;
  GInputStream   *input;
  GMutex          mutex;
  gint64          received_us;
};

static void cc_stamped_input_pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CcStampedInput, cc_stamped_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      cc_stamped_input_pollable_iface_init))
G_DEFINE_FINAL_TYPE (CcStampedStream, cc_stamped_stream, G_TYPE_IO_STREAM)

/* ---- the input stream ---- */

static gssize
cc_stamped_input_read_nonblocking (GPollableInputStream  *pollable,
                                   void                  *buffer,
                                   gsize                  count,
                                   GError               **error)
{
  CcStampedInput *self = CC_STAMPED_INPUT (pollable);
  gint64 received_us = 0;
  gssize n = cc_socket_receive_timed (self->socket, buffer, count, &received_us, error);

  if (n > 0)
    {
      g_mutex_lock (&self->owner->mutex);
      self->owner->received_us = received_us;
      g_mutex_unlock (&self->owner->mutex);
    }
  return n;
}

static gssize
cc_stamped_input_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  for (;;)
    {
      GError *local = NULL;
      gssize n = cc_stamped_input_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, count, &local);

      if (n >= 0 || !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          if (local != NULL)
            g_propagate_error (error, local);
          return n;
        }
      g_error_free (local);
      if (!g_socket_condition_wait (CC_STAMPED_INPUT (stream)->socket, G_IO_IN, cancellable, error))
        return -1;
    }
}

static gboolean
cc_stamped_input_can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

static gboolean
cc_stamped_input_is_readable (GPollableInputStream *pollable)
{
  return g_socket_condition_check (CC_STAMPED_INPUT (pollable)->socket, G_IO_IN) != 0;
}

static gboolean
cc_stamped_input_source_cb (GSocket      *socket,
                            GIOCondition  condition,
                            gpointer      user_data)
{
  /* Wakes the pollable source, which calls its own callback. */
  return G_SOURCE_CONTINUE;
}

static GSource *
cc_stamped_input_create_source (GPollableInputStream *pollable,
                                GCancellable         *cancellable)
{
  CcStampedInput *self = CC_STAMPED_INPUT (pollable);
  g_autoptr(GSource) socket_source = g_socket_create_source (self->socket, G_IO_IN, NULL);

  g_source_set_callback (socket_source, (GSourceFunc) (GCallback) cc_stamped_input_source_cb, NULL, NULL);
  return g_pollable_source_new_full (pollable, socket_source, cancellable);
}

static void
cc_stamped_input_finalize (GObject *object)
{
  g_clear_object (&CC_STAMPED_INPUT (object)->socket);

  G_OBJECT_CLASS (cc_stamped_input_parent_class)->finalize (object);
}

static void
cc_stamped_input_class_init (CcStampedInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_stamped_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = cc_stamped_input_read;
}

static void
cc_stamped_input_pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = cc_stamped_input_can_poll;
  iface->is_readable = cc_stamped_input_is_readable;
  iface->create_source = cc_stamped_input_create_source;
  iface->read_nonblocking = cc_stamped_input_read_nonblocking;
}

static void
cc_stamped_input_init (CcStampedInput *self)
{
}

/* ---- the stream ---- */

static GInputStream *
cc_stamped_stream_get_input_stream (GIOStream *stream)
{
  return CC_STAMPED_STREAM (stream)->input;
}

static GOutputStream *
cc_stamped_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (CC_STAMPED_STREAM (stream)->connection);
}

static gboolean
cc_stamped_stream_close (GIOStream     *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return g_io_stream_close (CC_STAMPED_STREAM (stream)->connection, cancellable, error);
}

static void
cc_stamped_stream_finalize (GObject *object)
{
  CcStampedStream *self = CC_STAMPED_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->connection);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cc_stamped_stream_parent_class)->finalize (object);
}

static void
cc_stamped_stream_class_init (CcStampedStreamClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cc_stamped_stream_finalize;
  stream_class->get_input_stream = cc_stamped_stream_get_input_stream;
  stream_class->get_output_stream = cc_stamped_stream_get_output_stream;
  stream_class->close_fn = cc_stamped_stream_close;
}

static void
cc_stamped_stream_init (CcStampedStream *self)
{
  g_mutex_init (&self->mutex);
}

GIOStream *
cc_stamped_stream_new (GIOStream *connection,
                       GSocket   *socket)
{
  CcStampedStream *self;
  CcStampedInput *input;

  g_return_val_if_fail (G_IS_IO_STREAM (connection), NULL);
  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  self = g_object_new (CC_TYPE_STAMPED_STREAM, NULL);
  self->connection = g_object_ref (connection);
  input = g_object_new (CC_TYPE_STAMPED_INPUT, NULL);
  input->socket = g_object_ref (socket);
  input->owner = self;
  self->input = G_INPUT_STREAM (input);
  cc_socket_enable_receive_timestamps (socket);

  return G_IO_STREAM (self);
}

gint64
cc_stamped_stream_get_received_us (CcStampedStream *self)
{
  gint64 received_us;

  g_return_val_if_fail (CC_IS_STAMPED_STREAM (self), 0);

  g_mutex_lock (&self->mutex);
  received_us = self->received_us;
  g_mutex_unlock (&self->mutex);
  return received_us;
}
