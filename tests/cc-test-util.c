/* cc-test-util.c: what the test programs share (cc-test-util.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#if defined (__has_include)
#if __has_include (<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "cc-test-util.h"

#define VALGRIND_SLOWDOWN 10

gboolean
cc_test_under_valgrind (void)
{
  return RUNNING_ON_VALGRIND != 0;
}

guint
cc_test_slowdown (void)
{
  return cc_test_under_valgrind () ? VALGRIND_SLOWDOWN : 1;
}

void
cc_test_iterate_until (const gboolean *flag,
                       gint64          limit_us)
{
  gint64 limit = g_get_monotonic_time () + limit_us;

  while (!*flag)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
    }
}

void
cc_test_iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

typedef struct
{
  gboolean done;
  CcStatus status;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->status = cc_check_run_finish (CC_CHECK (object), result, NULL);
  wait->done = TRUE;
}

void
cc_test_run_checks (CcCheck      **checks,
                    guint          n,
                    GCancellable  *cancellable)
{
  g_autofree Wait *waits = g_new0 (Wait, n);
  gint64 limit = g_get_monotonic_time () + CC_TEST_WAIT_LIMIT_US;

  for (guint i = 0; i < n; i++)
    cc_check_run_async (checks[i], cancellable, done_cb, &waits[i]);

  for (;;)
    {
      gboolean all = TRUE;

      for (guint i = 0; i < n; i++)
        all &= waits[i].done;
      if (all)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
    }

  for (guint i = 0; i < n; i++)
    {
      g_assert_true (cc_check_is_done (checks[i]));
      g_assert_cmpint (waits[i].status, ==, cc_check_get_status (checks[i]));
    }
}

CcStatus
cc_test_run_check (CcCheck *check)
{
  cc_test_run_checks (&check, 1, NULL);
  return cc_check_get_status (check);
}

void
cc_test_assert_contains (const char *haystack,
                         const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack ? haystack : "(null)");
}

void
cc_test_run_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CcTestRun *run = user_data;

  run->verdict = cc_runner_run_finish (CC_RUNNER (object), result, &run->error);
  run->done = TRUE;
}

GPtrArray *
cc_test_runner_checks (CcRunner *runner)
{
  GListModel *reqs = cc_runner_get_requirements (runner);
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (reqs); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (reqs, i);
      GListModel *checks = cc_requirement_get_checks (req);

      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        g_ptr_array_add (all, g_list_model_get_item (checks, j));
    }
  return all;
}

void
cc_test_assert_all_settled (CcRunner *runner)
{
  g_autoptr(GPtrArray) checks = cc_test_runner_checks (runner);

  for (guint i = 0; i < checks->len; i++)
    {
      g_assert_true (cc_check_is_done (checks->pdata[i]));
      g_assert_cmpint (cc_check_get_status (checks->pdata[i]), !=, CC_STATUS_RUNNING);
    }
}
