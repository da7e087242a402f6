/* test-releases.c: the wait for relay allocations being given back
 * (cc-releases.h), on its own: it ends when the last release ends, at its
 * time limit with FALSE, at once when nothing is pending, and with
 * G_IO_ERROR_CANCELLED when cancelled. No network: the releases are counted
 * by hand here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-releases.h"

typedef struct
{
  gboolean  done;
  gboolean  all;
  GError   *error;
} Wait;

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->all = cc_releases_wait_finish (result, &wait->error);
  wait->done = TRUE;
}

/* Iterates until @wait is done (bounded: a wait that never ends fails). */
static void
iterate_until_done (Wait *wait)
{
  gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!wait->done && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (wait->done);
}

static void
test_nothing_pending (void)
{
  Wait wait = { 0 };

  g_assert_cmpuint (cc_releases_get_pending (), ==, 0);
  cc_releases_wait_async (60000, NULL, waited_cb, &wait);
  iterate_until_done (&wait);
  g_assert_no_error (wait.error);
  g_assert_true (wait.all);
}

static void
test_last_end (void)
{
  Wait first = { 0 }, second = { 0 };

  cc_releases_begin ();
  cc_releases_begin ();
  cc_releases_wait_async (60000, NULL, waited_cb, &first);
  cc_releases_wait_async (60000, NULL, waited_cb, &second);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (first.done);

  cc_releases_end ();
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (first.done);
  g_assert_cmpuint (cc_releases_get_pending (), ==, 1);

  cc_releases_end ();
  iterate_until_done (&first);
  iterate_until_done (&second);
  g_assert_true (first.all);
  g_assert_true (second.all);
  g_assert_no_error (first.error);
}

static void
test_time_limit (void)
{
  Wait wait = { 0 };

  cc_releases_begin ();
  cc_releases_wait_async (10, NULL, waited_cb, &wait);
  iterate_until_done (&wait);
  g_assert_no_error (wait.error);
  g_assert_false (wait.all);
  /* The release goes on and ends later, with no wait left to complete. */
  cc_releases_end ();
  g_assert_cmpuint (cc_releases_get_pending (), ==, 0);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  Wait wait = { 0 }, early = { 0 };

  cc_releases_begin ();
  cc_releases_wait_async (60000, cancellable, waited_cb, &wait);
  g_cancellable_cancel (cancellable);
  iterate_until_done (&wait);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);

  g_cancellable_cancel (already);
  cc_releases_wait_async (60000, already, waited_cb, &early);
  iterate_until_done (&early);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&early.error);

  cc_releases_end ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/releases/nothing-pending", test_nothing_pending);
  g_test_add_func ("/releases/last-end", test_last_end);
  g_test_add_func ("/releases/time-limit", test_time_limit);
  g_test_add_func ("/releases/cancelled", test_cancelled);

  return g_test_run ();
}
