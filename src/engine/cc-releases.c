/* cc-releases.c: see cc-releases.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-releases.h"
#include "cc-util.h"

static guint pending;
/* GTask of cc_releases_wait_async(), until they complete. */
static GPtrArray *waiters;

typedef struct
{
  GSource *limit;         /* the time limit, or after a cancel an immediate end */
  gulong   cancelled_id;
} Wait;

static void
clear_limit (Wait *wait)
{
  cc_source_clear (&wait->limit);
}

static void
wait_free (Wait *wait)
{
  clear_limit (wait);
  g_free (wait);
}

/* Takes @task out of the waiters and completes it. */
static void
complete (GTask    *task,
          gboolean  all_ended)
{
  Wait *wait = g_task_get_task_data (task);

  clear_limit (wait);
  if (wait->cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), wait->cancelled_id);
  wait->cancelled_id = 0;
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, all_ended);
  g_ptr_array_remove_fast (waiters, task);
}

static gboolean
limit_cb (gpointer user_data)
{
  GTask *task = user_data;
  Wait *wait = g_task_get_task_data (task);

  /* (This source ends by returning G_SOURCE_REMOVE.) */
  g_clear_pointer (&wait->limit, g_source_unref);
  complete (task, FALSE);
  return G_SOURCE_REMOVE;
}

static void
attach_limit (GTask *task,
              guint  ms)
{
  Wait *wait = g_task_get_task_data (task);

  clear_limit (wait);
  wait->limit = cc_timeout_attach (ms, limit_cb, task,
                                   "[connection-check] releases limit");
}

/* Not from inside g_cancellable_cancel()'s handlers (disconnecting there
 * would deadlock): the wait ends at the next iteration instead. */
static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  attach_limit (task, 0);
}

void
cc_releases_begin (void)
{
  pending++;
}

void
cc_releases_end (void)
{
  g_return_if_fail (pending > 0);

  if (--pending > 0 || waiters == NULL)
    return;

  while (waiters->len > 0)
    complete (waiters->pdata[waiters->len - 1], TRUE);
}

guint
cc_releases_get_pending (void)
{
  return pending;
}

void
cc_releases_wait_async (guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Wait *wait;

  g_task_set_source_tag (task, cc_releases_wait_async);
  if (pending == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  wait = g_new0 (Wait, 1);
  g_task_set_task_data (task, wait, (GDestroyNotify) wait_free);
  if (waiters == NULL)
    waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiters, g_object_ref (task));

  attach_limit (task, timeout_ms);
  if (cancellable != NULL)
    wait->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL);
}

gboolean
cc_releases_wait_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cc_releases_wait_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- a TURN release written on a stream ---- */

typedef struct
{
  GIOStream    *stream;
  GBytes       *bytes;
  GCancellable *cancellable;
  GSource      *limit;
} StreamRelease;

static void
stream_release_free (StreamRelease *release)
{
  cc_releases_end ();
  cc_source_clear (&release->limit);
  g_clear_object (&release->cancellable);
  g_clear_object (&release->stream);
  g_clear_pointer (&release->bytes, g_bytes_unref);
  g_free (release);
}

static gboolean
stream_release_limit_cb (gpointer user_data)
{
  StreamRelease *release = user_data;

  g_cancellable_cancel (release->cancellable);
  return G_SOURCE_REMOVE;
}

static void
stream_release_written_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  StreamRelease *release = user_data;

  /* Best effort (cc-releases.h). */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close_async (release->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  stream_release_free (release);
}

void
cc_releases_write_and_close (GIOStream *stream,
                             GBytes    *bytes)
{
  StreamRelease *release = g_new0 (StreamRelease, 1);

  cc_releases_begin ();
  release->stream = stream;
  release->bytes = bytes;
  release->cancellable = g_cancellable_new ();
  release->limit = cc_timeout_attach (CC_RELEASES_WRITE_LIMIT_MS, stream_release_limit_cb, release,
                                      "[connection-check] TURN release limit");
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, release->cancellable,
                                   stream_release_written_cb, release);
}
