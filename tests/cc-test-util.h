/* cc-test-util.h: what the test programs share: waiting on the main context
 * with a limit, running one check to its end, the slowdown under valgrind, and
 * assertions on a check's result and on texts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-engine.h"

G_BEGIN_DECLS

/* Long enough for any single check in the tests; a hang fails the test instead
 * of the suite. */
#define CC_TEST_WAIT_LIMIT_US (20 * G_USEC_PER_SEC)
/* A check ended by its deadline may end this much after it: the main loop's
 * lateness on a loaded 2-core machine (the lab tests run one at a time,
 * is_parallel: false). Timing assertions in the tests are logical, relative to
 * a check's own timers, never goals (those are tools/bench's). */
#define CC_TEST_DEADLINE_SLACK_MS 300

/* Whether this process runs under valgrind. */
gboolean cc_test_under_valgrind    (void);
/* 10 under valgrind, where everything runs many times slower; else 1. Slack
 * and waits are multiplied by it. */
guint    cc_test_slowdown          (void);

/* Iterates the thread-default main context until *@flag, failing the test
 * after @limit_us. */
void     cc_test_iterate_until     (const gboolean *flag,
                                    gint64          limit_us);
/* Iterates it for @ms, whatever happens. */
void     cc_test_iterate_for       (guint           ms);

/* Runs @checks (with their own timeouts) side by side to their ends, at most
 * CC_TEST_WAIT_LIMIT_US in all, and asserts that each one's result is its
 * status. */
void     cc_test_run_checks        (CcCheck       **checks,
                                    guint           n,
                                    GCancellable   *cancellable);
/* The same for one check, without a cancellable; returns its status. */
CcStatus cc_test_run_check         (CcCheck        *check);

/* A run of cc_runner_run_async() with cc_test_run_done_cb as its callback and
 * this as its data: done, its error (to clear) and verdict once it ended. */
typedef struct
{
  gboolean   done;
  GError    *error;
  CcVerdict  verdict;
} CcTestRun;

void     cc_test_run_done_cb       (GObject        *object,
                                    GAsyncResult   *result,
                                    gpointer        user_data);

/* Every check of @runner's requirements, in checklist order (a new array of
 * references). */
GPtrArray *cc_test_runner_checks   (CcRunner      *runner);
/* Asserts that every check of @runner's requirements has ended. */
void     cc_test_assert_all_settled (CcRunner      *runner);

/* Fails the test, quoting both, unless @needle is in @haystack. */
void     cc_test_assert_contains   (const char     *haystack,
                                    const char     *needle);

/* Compared as words, so that a failure names them. */
#define cc_test_assert_result(check, st, err)                                              \
  G_STMT_START {                                                                        \
    g_assert_cmpstr (cc_status_to_string (cc_check_get_status (check)), ==,             \
                     cc_status_to_string (st));                                         \
    g_assert_cmpstr (cc_error_to_string (cc_check_get_error (check)), ==,               \
                     cc_error_to_string (err));                                         \
  } G_STMT_END

G_END_DECLS
