/* cc-connect.c: a connection that a lost SYN does not cost three seconds.
 *
 * TCP sends a SYN that got no answer again after 1 s, then after 3 s (Linux's
 * initial retransmission timeout, RFC 6298 §2.1, doubling). A network that
 * loses 5 % of its packets loses a SYN or its answer one time in ten, both
 * tries one time in a hundred: with a run's fifteen or so connections and a
 * three-second limit, a lossy Wi-Fi would then read as a blocked server every
 * few runs. A browser's page waits those seconds out; a test with a time limit
 * must not. So while no attempt's handshake has been answered, a fresh attempt
 * starts beside the others every CC_CONNECT_RETRY_MS, up to
 * CC_CONNECT_MAX_ATTEMPTS: by 3 s five SYNs have been sent instead of two. A
 * silently dropping firewall still ends as a timeout (every attempt goes
 * unanswered), a refusing one as `refused` at once (the first failure, with no
 * other attempt under way, is the result). Attempts start only once the name
 * has been resolved (the run's resolver sends its own queries again) and stop
 * once any handshake was answered (what follows is data, which TCP sends again
 * within a round trip or so).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-connect.h"
#include "cc-socket-timing.h"
#include "cc-util.h"

typedef struct
{
  GSocketClient *client;
  char          *uri;
  guint16        default_port;
  GCancellable  *outer;
  gulong         outer_id;
  GCancellable  *attempts;     /* every attempt's: cancelled once one won */
  GSource       *timer;
  gulong         event_id;
  guint          started;
  guint          pending;
  GPtrArray     *sockets;      /* GSocket: every attempt's, from CONNECTING on */
  gboolean       answered;     /* some handshake was answered, as the main loop heard */
  gboolean       done;         /* the task has its result */
  GError        *first_error;
  guint          winner;       /* 1-based */
} Race;

typedef struct
{
  GTask *task;
  guint  index;
} Attempt;

static void
race_stop (Race *race)
{
  race->done = TRUE;
  /* Their descriptors close with their connections, not with this task. */
  g_ptr_array_set_size (race->sockets, 0);
  cc_source_clear (&race->timer);
  g_clear_signal_handler (&race->event_id, race->client);
  g_cancellable_cancel (race->attempts);
}

static void
race_free (Race *race)
{
  race_stop (race);
  if (race->outer != NULL)
    g_cancellable_disconnect (race->outer, race->outer_id);
  g_clear_object (&race->outer);
  g_clear_object (&race->attempts);
  g_clear_object (&race->client);
  g_clear_error (&race->first_error);
  g_ptr_array_unref (race->sockets);
  g_free (race->uri);
  g_free (race);
}

static void
race_event_cb (GSocketClient      *client,
               GSocketClientEvent  event,
               GSocketConnectable *connectable,
               GIOStream          *connection,
               Race               *race)
{
  if (event == G_SOCKET_CLIENT_CONNECTING && G_IS_SOCKET_CONNECTION (connection))
    g_ptr_array_add (race->sockets, g_object_ref (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection))));
  else if (event == G_SOCKET_CLIENT_CONNECTED)
    race->answered = TRUE;
}

static void race_attempt (GTask *task);

gboolean
cc_connect_waiting_for_answer (GPtrArray *sockets)
{
  gboolean waiting = FALSE;

  /* The kernel's word, not the main loop's: a loop busy for a second (a slow
   * machine, valgrind) has not yet dispatched a handshake that was answered
   * long ago, and another attempt then would be a needless connection. */
  for (guint i = 0; i < sockets->len; i++)
    {
      GSocket *socket = sockets->pdata[i];

      if (g_socket_is_closed (socket))
        continue;
      if (!cc_socket_is_connecting (socket))
        return FALSE;
      waiting = TRUE;
    }
  return waiting;
}

static void
race_attempt_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GTask) task = attempt->task;
  guint index = attempt->index;
  Race *race = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_free (attempt);
  race->pending--;
  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (object), result, &error);

  if (race->done)
    {
      if (connection != NULL)
        g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  if (connection != NULL)
    {
      race_stop (race);
      race->winner = index;
      g_task_return_pointer (task, g_steal_pointer (&connection), g_object_unref);
      return;
    }

  /* The run was stopped: its error, not an attempt's. */
  if (race->outer != NULL && g_cancellable_is_cancelled (race->outer))
    {
      race_stop (race);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
      return;
    }

  if (race->first_error == NULL)
    race->first_error = g_steal_pointer (&error);
  if (race->pending == 0)
    {
      race_stop (race);
      g_task_return_error (task, g_steal_pointer (&race->first_error));
    }
}

static gboolean
race_timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  Race *race = g_task_get_task_data (task);

  if (!race->answered && race->pending > 0 && race->started < CC_CONNECT_MAX_ATTEMPTS &&
      cc_connect_waiting_for_answer (race->sockets))
    race_attempt (task);

  if (race->started >= CC_CONNECT_MAX_ATTEMPTS || race->answered)
    {
      g_clear_pointer (&race->timer, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
race_attempt (GTask *task)
{
  Race *race = g_task_get_task_data (task);
  Attempt *attempt = g_new0 (Attempt, 1);

  attempt->task = g_object_ref (task);
  attempt->index = ++race->started;
  race->pending++;
  g_socket_client_connect_to_uri_async (race->client, race->uri, race->default_port, race->attempts,
                                        race_attempt_cb, attempt);
}

static void
race_outer_cancelled_cb (GCancellable *outer,
                         GCancellable *attempts)
{
  g_cancellable_cancel (attempts);
}

void
cc_connect_async (GSocketClient       *client,
                  const char          *uri,
                  guint16              default_port,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Race *race;

  g_return_if_fail (G_IS_SOCKET_CLIENT (client));
  g_return_if_fail (uri != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_connect_async);
  /* A connection's close is what a loser gets: no error for a late winner. */
  g_task_set_check_cancellable (task, FALSE);

  race = g_new0 (Race, 1);
  race->client = g_object_ref (client);
  race->uri = g_strdup (uri);
  race->default_port = default_port;
  race->attempts = g_cancellable_new ();
  race->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, race, (GDestroyNotify) race_free);

  if (cancellable != NULL)
    {
      race->outer = g_object_ref (cancellable);
      race->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (race_outer_cancelled_cb),
                                              race->attempts, NULL);
    }

  race->event_id = g_signal_connect (client, "event", G_CALLBACK (race_event_cb), race);
  race->timer = cc_timeout_attach (CC_CONNECT_RETRY_MS, race_timer_cb, task,
                                   "[connection-check] connect retry");

  race_attempt (task);
}

GSocketConnection *
cc_connect_finish (GSocketClient  *client,
                   GAsyncResult   *result,
                   guint          *attempt,
                   GError        **error)
{
  Race *race;

  g_return_val_if_fail (g_task_is_valid (result, client), NULL);

  race = g_task_get_task_data (G_TASK (result));
  if (attempt != NULL)
    *attempt = race->winner;

  return g_task_propagate_pointer (G_TASK (result), error);
}
