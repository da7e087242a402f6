/* test-cancel.c: a cancel storm against the lab's real servers. A runner with
 * every kind of check the lab profile gives it (DNS, TCP, TLS, WebSocket with a
 * hold, HTTPS, the inspection check, STUN bindings, TURN allocations over UDP,
 * TCP and TLS with credentials, both bursts, and the test calls through the relay
 * on each transport) is started and stopped at a random moment, a hundred times.
 * Every stopped run must end promptly and without a warning; a stopped run whose
 * runner is kept (as the window keeps it to show the results) must let go of
 * every socket and ICE agent; a dropped runner must be finalized with all its
 * checks. Afterwards the process must hold exactly the file descriptors,
 * main-context fds, threads and child processes it held before the storm.
 *
 * The moments come from g_test_rand_int_range(), so a failing storm is replayed
 * with the seed the TAP output prints (--seed=…).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cc-call-check.h"
#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-test-util.h"

/* How many runs are started and stopped. */
#define STORM_RUNS          100
/* Cancel moments are uniform in [0, CANCEL_MAX_MS): a run with the test calls
 * lasts about 4.5 s, and everything that opens a socket, a resolver lookup, a
 * TLS handshake or an ICE agent starts within its first 1.5 s. */
#define CANCEL_MAX_MS       1500
/* One run in EARLY_ONE_IN is cancelled within its first EARLY_MAX_MS instead,
 * while lookups and handshakes are still under way in other threads (a moment
 * of 0 cancels before the main context ran once). */
#define EARLY_ONE_IN        3
#define EARLY_MAX_MS        40
/* Under valgrind the process runs this many times slower, and so may its
 * timeouts and limits below (`slow`). */
#define VALGRIND_SLOWDOWN   10
/* The per-check timeout: short, so that the warm-up run ends soon. */
#define CHECK_TIMEOUT_MS    (1000 * slow)
/* How long the WebSocket checks hold their connection open. */
#define HOLD_SECONDS        1
/* A stopped run ends within this, or the test fails as a hang: half of what
 * the run would take unstopped (its longest check, a test call: the 1 s
 * timeout, the 3 s stream and 2 s of set-up, 6 s); a stop takes milliseconds.
 * How fast is tools/bench's and tools/bench-ui's concern, not this test's. */
#define STOP_LIMIT_MS       (3000 * slow)
/* A whole run (the warm-up) ends within this. */
#define RUN_LIMIT_MS        (20000 * slow)
/* What was closed finishes closing within this: ICE agents release their relay
 * allocations, TURN releases are written, cancelled lookups return. */
#define TEARDOWN_LIMIT_MS   (5000 * slow)
/* Wakes a blocking main-context iteration, so that the limits above hold. */
#define TICK_MS             20
/* GLib's shared thread pool keeps an idle worker for half a second before it
 * moves it to the pool of unused threads (gthreadpool.c). */
#define POOL_IDLE_MS        600
/* How often the census tries to find the main context with nothing ready. */
#define POLL_ATTEMPTS       100

static guint slow = 1;
static CcLab *lab;
static CcProfile *profile;
static GPtrArray *ice_servers;
/* Warnings and criticals from any log domain, structured or not. */
static gint warnings;
/* Runners, requirements, checks of the current run that are not finalized,
 * each with what it is. */
static GHashTable *alive;

static GLogWriterOutput
count_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    g_atomic_int_inc (&warnings);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
object_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  g_assert_true (g_hash_table_remove (alive, where_the_object_was));
}

static void
track (gpointer object)
{
  char *what;

  if (CC_IS_CHECK (object))
    what = g_strdup_printf ("%s %s %s", cc_check_get_kind (object), cc_check_get_target (object),
                            cc_check_get_transport (object) ? cc_check_get_transport (object) : "");
  else
    what = g_strdup (G_OBJECT_TYPE_NAME (object));
  g_hash_table_insert (alive, object, what);
  g_object_weak_ref (object, object_finalized_cb, NULL);
}

/* What is still alive, for a failure message. */
static char *
describe_alive (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer what;

  g_string_append_printf (text, "%u ICE agents closing;", cc_call_check_get_agents_closing ());
  g_hash_table_iter_init (&iter, alive);
  while (g_hash_table_iter_next (&iter, NULL, &what))
    g_string_append_printf (text, " [%s]", (char *) what);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The runner, its requirements and every check it built for this run. */
static void
track_run (CcRunner *runner)
{
  GListModel *reqs = cc_runner_get_requirements (runner);

  track (runner);
  for (guint i = 0; i < g_list_model_get_n_items (reqs); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (reqs, i);
      GListModel *checks = cc_requirement_get_checks (req);

      track (req);
      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);
          track (check);
        }
    }
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the default main context until @done says so or @limit_ms passed;
 * returns what @done said last. */
static gboolean
iterate_until (gboolean (*done) (gpointer),
               gpointer   data,
               guint      limit_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) limit_ms * 1000;
  guint tick = g_timeout_add (TICK_MS, tick_cb, NULL);
  gboolean result;

  while (!(result = done (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return result;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Dispatches whatever is ready now, until nothing is; FALSE if the context was
 * still busy after @limit_ms (a source that is always ready). */
static gboolean
drain_context (guint limit_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) limit_ms * 1000;

  while (g_main_context_pending (NULL))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
    }

  return TRUE;
}

/* The file descriptors the default main context polls when nothing is ready:
 * one per socket source, ICE agent socket, listener… of any GSource attached to
 * it. A leaked watch of a socket shows here even if the socket is closed. */
static gint
count_polled_fds (void)
{
  GMainContext *context = g_main_context_default ();

  /* One iteration by hand, without the poll: it counts when nothing was ready
   * (a timer that fell due meanwhile is dispatched, and it tries again). */
  for (guint attempt = 0; attempt < POLL_ATTEMPTS; attempt++)
    {
      g_autofree GPollFD *fds = NULL;
      gint max_priority, timeout, n;
      gboolean ready;

      g_assert_true (drain_context (TEARDOWN_LIMIT_MS));
      g_assert_true (g_main_context_acquire (context));
      ready = g_main_context_prepare (context, &max_priority);
      n = g_main_context_query (context, max_priority, &timeout, NULL, 0);
      fds = g_new0 (GPollFD, MAX (n, 1));
      n = g_main_context_query (context, max_priority, &timeout, fds, n);
      g_main_context_check (context, max_priority, fds, n);
      g_main_context_dispatch (context);
      g_main_context_release (context);

      if (!ready)
        return n;
    }

  g_error ("the main context had a source ready in each of %u attempts", POLL_ATTEMPTS);
  return -1;
}

/* Open file descriptors of this process, each with what it points to. */
static GHashTable *
open_fds (void)
{
  GHashTable *fds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      char *target = g_file_read_link (path, NULL);

      /* The directory's own descriptor is gone by the time it is read. */
      g_hash_table_insert (fds, g_strdup (name), target ? target : g_strdup ("?"));
    }

  return fds;
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Child processes of any of this process's threads (coturn, the only one). */
static guint
count_children (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "children", NULL);
      g_autofree char *text = NULL;
      g_auto(GStrv) pids = NULL;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        continue;
      pids = g_strsplit_set (g_strstrip (text), " ", -1);
      for (guint i = 0; pids[i] != NULL; i++)
        n += pids[i][0] != '\0';
    }

  return n;
}

typedef struct
{
  guint open_fds;
  gint  polled_fds;
  guint threads;
  guint children;
} Census;

static gboolean
threads_at_most (gpointer data)
{
  return count_entries ("/proc/self/task") <= GPOINTER_TO_UINT (data);
}

static gboolean
fds_at_most (gpointer data)
{
  g_autoptr(GHashTable) fds = open_fds ();

  return g_hash_table_size (fds) <= GPOINTER_TO_UINT (data);
}

/* Lets GLib's shared pool retire its idle workers (the resolver's and TLS
 * handshakes' GTask threads), so that the thread count says what is in use. */
static void
retire_idle_threads (void)
{
  gint64 until = g_get_monotonic_time () + POOL_IDLE_MS * 1000;
  guint before, unused;

  while (g_get_monotonic_time () < until)
    iterate_until (never, NULL, TICK_MS);
  before = count_entries ("/proc/self/task");
  unused = g_thread_pool_get_num_unused_threads ();
  g_thread_pool_stop_unused_threads ();
  /* They exit on their own schedule. */
  iterate_until (threads_at_most, GUINT_TO_POINTER (before - MIN (before, unused)), TEARDOWN_LIMIT_MS);
}

static void
take_census (Census *census)
{
  g_autoptr(GHashTable) fds = NULL;

  retire_idle_threads ();
  census->polled_fds = count_polled_fds ();
  fds = open_fds ();
  census->open_fds = g_hash_table_size (fds);
  census->threads = count_entries ("/proc/self/task");
  census->children = count_children ();
}

static gboolean
run_done (gpointer data)
{
  return ((CcTestRun *) data)->done;
}

typedef struct
{
  GCancellable  *cancellable;
  CcRunner     **drop;     /* the runner to drop with the stop, or NULL */
} Stop;

/* Stops the run; as the window does when it closes, may drop the runner at
 * once, while its checks are still stopping. */
static gboolean
stop_cb (gpointer user_data)
{
  Stop *stop = user_data;

  g_cancellable_cancel (stop->cancellable);
  if (stop->drop != NULL)
    g_clear_object (stop->drop);
  return G_SOURCE_REMOVE;
}

static gboolean
torn_down (gpointer data)
{
  return g_hash_table_size (alive) == 0 && cc_call_check_get_agents_closing () == 0;
}

/* No ICE agent left, and no more open fds than @data. */
static gboolean
network_released (gpointer data)
{
  return cc_call_check_get_agents_closing () == 0 && fds_at_most (data);
}

static CcRunner *
new_runner (void)
{
  CcRunner *runner = cc_runner_new (profile);

  cc_runner_set_timeout_ms (runner, CHECK_TIMEOUT_MS);
  cc_runner_set_hold_seconds (runner, HOLD_SECONDS);
  cc_runner_set_ice_servers (runner, ice_servers);
  return runner;
}

/* Every check of the run has ended, none is left running. */
/* The kinds of check a run of this profile has: the storm is only worth its
 * time if it stops all of them. */
static void
assert_every_kind (CcRunner *runner)
{
  static const char * const kinds[] = {
    "network", "dns", "tcp", "tls", "websocket", "https", "stun-binding", "turn-allocate",
    "media-burst", "ice-call", "unverified", NULL
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) checks = cc_test_runner_checks (runner);
  guint calls = 0;

  for (guint i = 0; i < checks->len; i++)
    {
      const char *kind = cc_check_get_kind (checks->pdata[i]);

      g_hash_table_add (seen, g_strdup (kind));
      calls += g_str_equal (kind, "ice-call");
    }

  for (guint i = 0; kinds[i] != NULL; i++)
    if (!g_hash_table_contains (seen, kinds[i]))
      g_error ("the lab profile gave no %s check", kinds[i]);
  /* One test call per transport: UDP, TCP and TLS (through the bridge). */
  g_assert_cmpuint (calls, ==, 3);
}

/* One complete run first: GnuTLS, the TLS database, the resolver's and TLS
 * handshakes' threads, libnice's and libsoup's types exist before the census. */
static void
warm_up (void)
{
  g_autoptr(CcRunner) runner = new_runner ();
  CcTestRun wait = { 0 };

  /* A process's first run parses the trust stores on a thread and builds its
   * checks after that: parsed here, this run builds them at once, as every
   * run of the storm does. */
  cc_tls_warm_up ();
  cc_runner_run_async (runner, NULL, cc_test_run_done_cb, &wait);
  track_run (runner);
  assert_every_kind (runner);
  if (!iterate_until (run_done, &wait, RUN_LIMIT_MS))
    g_error ("the warm-up run did not end within %u ms", RUN_LIMIT_MS);
  g_assert_no_error (wait.error);
  /* The lab is healthy: the storm stops runs that would have passed. */
  g_assert_cmpint (wait.verdict, ==, CC_VERDICT_READY);
  g_clear_object (&runner);

  if (!iterate_until (torn_down, NULL, TEARDOWN_LIMIT_MS))
    g_error ("after the warm-up run, still alive: %s", describe_alive ());
}

/* The lab server listening on @port, or NULL. */
static const char *
lab_server_name (guint16 port)
{
  static const char * const names[] = {
    "https", "https-untrusted", "silent-tcp", "garbage-tcp", "silent-udp", "garbage-udp",
    "turn", "turn-tls", NULL
  };

  for (guint i = 0; names[i] != NULL; i++)
    if (cc_lab_get_port (lab, names[i]) == port)
      return names[i];

  return NULL;
}

static char *
describe_address (const struct sockaddr_storage *address)
{
  char host[INET6_ADDRSTRLEN] = "?";
  guint16 port = 0;
  const char *server;

  if (address->ss_family == AF_INET)
    {
      const struct sockaddr_in *in = (const struct sockaddr_in *) address;

      inet_ntop (AF_INET, &in->sin_addr, host, sizeof host);
      port = g_ntohs (in->sin_port);
    }
  else if (address->ss_family == AF_INET6)
    {
      const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) address;

      inet_ntop (AF_INET6, &in6->sin6_addr, host, sizeof host);
      port = g_ntohs (in6->sin6_port);
    }
  else
    return g_strdup_printf ("family %d", address->ss_family);

  server = lab_server_name (port);
  return g_strdup_printf ("%s:%u%s%s%s", host, port, server ? " (lab " : "", server ? server : "", server ? ")" : "");
}

/* What an open socket of this process is, asked of the socket itself (a
 * socket reset by its peer is no longer listed in /proc/net), for a failure
 * message. */
static char *
describe_fd (const char *fd_name,
             const char *target)
{
  int fd = atoi (fd_name);
  struct sockaddr_storage local = { 0 }, peer = { 0 };
  socklen_t local_len = sizeof local, peer_len = sizeof peer;
  int type = 0, error = 0;
  socklen_t int_len = sizeof (int);
  g_autofree char *local_text = NULL;
  g_autofree char *peer_text = NULL;

  if (!g_str_has_prefix (target, "socket:") || getsockname (fd, (struct sockaddr *) &local, &local_len) != 0)
    return g_strdup (target);

  getsockopt (fd, SOL_SOCKET, SO_TYPE, &type, &int_len);
  int_len = sizeof (int);
  getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &int_len);
  local_text = describe_address (&local);
  peer_text = getpeername (fd, (struct sockaddr *) &peer, &peer_len) == 0 ? describe_address (&peer)
                                                                          : g_strdup ("no peer");
  return g_strdup_printf ("%s %s %s -> %s%s%s", target,
                          type == SOCK_STREAM ? "stream" : type == SOCK_DGRAM ? "datagram" : "other",
                          local_text, peer_text, error != 0 ? ", pending error: " : "",
                          error != 0 ? g_strerror (error) : "");
}

/* Names what differs between two sets of open descriptors. */
static void
report_fd_difference (GHashTable *before,
                      GHashTable *after)
{
  GHashTableIter iter;
  gpointer fd, target;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &fd, &target))
    if (g_strcmp0 (g_hash_table_lookup (before, fd), target) != 0)
      {
        g_autofree char *what = describe_fd (fd, target);
        g_printerr ("fd %s is new: %s\n", (char *) fd, what);
      }
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &fd, &target))
    if (!g_hash_table_contains (after, fd))
      g_printerr ("fd %s is gone: %s\n", (char *) fd, (char *) target);
}

static void
test_storm (void)
{
  Census before, after;
  g_autoptr(GHashTable) fds_before = NULL;
  g_autoptr(GHashTable) fds_after = NULL;
  gint64 started = g_get_monotonic_time ();
  guint cancelled = 0;

  warm_up ();
  take_census (&before);
  fds_before = open_fds ();
  g_test_message ("before the storm: %u open fds, %d polled by the main context, %u threads, %u child processes",
                  before.open_fds, before.polled_fds, before.threads, before.children);

  for (guint run = 0; run < STORM_RUNS; run++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      CcRunner *runner = new_runner ();
      CcTestRun wait = { 0 };
      Stop stop = { cancellable, run % 2 == 1 ? &runner : NULL };
      guint delay_ms;
      guint stop_source = 0;
      gint64 cancel_at, ended_at;

      if (g_test_rand_int_range (0, EARLY_ONE_IN) == 0)
        delay_ms = g_test_rand_int_range (0, EARLY_MAX_MS);
      else
        delay_ms = g_test_rand_int_range (0, CANCEL_MAX_MS);

      cc_runner_run_async (runner, cancellable, cc_test_run_done_cb, &wait);
      cancel_at = g_get_monotonic_time () + (gint64) delay_ms * 1000;
      track_run (runner);
      if (delay_ms == 0)
        stop_cb (&stop);
      else
        stop_source = g_timeout_add (delay_ms, stop_cb, &stop);

      if (!iterate_until (run_done, &wait, delay_ms + STOP_LIMIT_MS))
        g_error ("run %u (stopped after %u ms) did not end within %u ms of the stop",
                 run, delay_ms, STOP_LIMIT_MS);
      ended_at = g_get_monotonic_time ();
      /* A run that ended before its stop (none should) is not stopped later. */
      if (stop_source != 0 && !g_cancellable_is_cancelled (cancellable))
        {
          g_source_remove (stop_source);
          if (stop.drop != NULL)
            g_clear_object (stop.drop);
        }

      if (g_error_matches (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          cancelled++;
          g_assert_cmpint (g_get_monotonic_time () - cancel_at, <, STOP_LIMIT_MS * 1000);
        }
      else
        g_assert_no_error (wait.error);
      g_clear_error (&wait.error);

      if (runner != NULL)
        {
          g_assert_false (cc_runner_is_running (runner));
          cc_test_assert_all_settled (runner);
          if (g_cancellable_is_cancelled (cancellable))
            g_assert_cmpint (cc_runner_get_verdict (runner), ==, CC_VERDICT_UNKNOWN);

          /* A stopped run lets go of the network even while its results are
           * kept (the window keeps the runner to show them). */
          if (!iterate_until (network_released, GUINT_TO_POINTER (g_hash_table_size (fds_before)),
                              TEARDOWN_LIMIT_MS))
            {
              g_autoptr(GHashTable) fds_now = open_fds ();

              report_fd_difference (fds_before, fds_now);
              g_error ("run %u (stopped after %u ms): %u ms after it ended, its runner still holds %u fds, %u ICE agents",
                       run, delay_ms, TEARDOWN_LIMIT_MS, g_hash_table_size (fds_now) - g_hash_table_size (fds_before),
                       cc_call_check_get_agents_closing ());
            }
          g_clear_object (&runner);
        }

      if (!iterate_until (torn_down, NULL, TEARDOWN_LIMIT_MS))
        g_error ("run %u (stopped after %u ms): %u ms later, still alive: %s",
                 run, delay_ms, TEARDOWN_LIMIT_MS, describe_alive ());
      g_test_message ("run %u: stopped after %u ms, ended %" G_GINT64_FORMAT " ms later, torn down in %" G_GINT64_FORMAT " ms",
                      run, delay_ms, (ended_at - cancel_at) / 1000, (g_get_monotonic_time () - ended_at) / 1000);
      g_assert_cmpint (g_atomic_int_get (&warnings), ==, 0);
    }

  /* Closed sockets the lab's servers see closing, TURN releases written. */
  iterate_until (fds_at_most, GUINT_TO_POINTER (g_hash_table_size (fds_before)), TEARDOWN_LIMIT_MS);
  take_census (&after);
  fds_after = open_fds ();
  g_test_message ("after the storm: %u open fds, %d polled by the main context, %u threads, %u child processes",
                  after.open_fds, after.polled_fds, after.threads, after.children);
  g_test_message ("%u of %u runs were stopped; the storm took %.1f s", cancelled, STORM_RUNS,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  if (after.open_fds != before.open_fds)
    report_fd_difference (fds_before, fds_after);
  g_assert_cmpuint (after.open_fds, ==, before.open_fds);
  g_assert_cmpint (after.polled_fds, ==, before.polled_fds);
  g_assert_cmpuint (after.threads, ==, before.threads);
  g_assert_cmpuint (after.children, ==, before.children);
  /* Most moments fall before the calls end: the storm did stop runs. */
  g_assert_cmpuint (cancelled, >=, STORM_RUNS / 2);
  g_assert_cmpint (g_atomic_int_get (&warnings), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *ice_path = NULL;
  int status;

  g_log_set_writer_func (count_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* As G_DEBUG=fatal-warnings would: a warning anywhere stops the test there. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* Valgrind preloads its own libraries (vgpreload_*.so) into the process. */
  if (strstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "vgpreload") != NULL)
    slow = VALGRIND_SLOWDOWN;

  lab = cc_lab_start (NULL);

  template = g_test_build_filename (G_TEST_DIST, "profiles", "lab-ok.conf.in", NULL);
  profile_path = cc_lab_write_file (lab, "lab-ok.conf", template, &error);
  g_assert_no_error (error);
  profile = cc_profile_new_from_file (profile_path, &error);
  g_assert_no_error (error);

  g_clear_pointer (&template, g_free);
  template = g_test_build_filename (G_TEST_DIST, "profiles", "ice-servers.json.in", NULL);
  ice_path = cc_lab_write_file (lab, "ice-servers.json", template, &error);
  g_assert_no_error (error);
  ice_servers = cc_ice_servers_load (ice_path, &error);
  g_assert_no_error (error);

  alive = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_test_add_func ("/cancel/storm", test_storm);

  status = g_test_run ();
  g_clear_pointer (&alive, g_hash_table_unref);
  g_clear_pointer (&ice_servers, g_ptr_array_unref);
  g_clear_object (&profile);
  cc_lab_free (lab);
  return status;
}
