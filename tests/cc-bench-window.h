/* cc-bench-window.h: what the window benchmarks (cc-bench-ui.c,
 * cc-bench-memory.c) share: the application on a profile and its window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-application.h"
#include "cc-window.h"

/* A new application (*@app) whose runs use @profile with 5 s checks, and its
 * window, shown. */
static inline CcWindow *
cc_bench_open_window (CcApplication **app,
                      char           *profile)
{
  g_autoptr(GError) error = NULL;
  CcWindow *window;

  *app = cc_application_new ();
  g_application_set_flags (G_APPLICATION (*app), G_APPLICATION_NON_UNIQUE);
  cc_application_set_options (*app, &(CcRunOptions) { .profile_path = profile, .timeout_seconds = 5 });
  g_application_register (G_APPLICATION (*app), NULL, &error);
  g_assert_no_error (error);

  window = cc_window_new (*app);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
