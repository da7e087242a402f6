/* cc-bench-ui.c: a benchmark, not a test. Runs the real window against the
 * lab's real servers N times and reports the longest main-loop stall seen
 * during the runs (goal < 50 ms) and the process's resident memory after them
 * (for its goal, against an empty window under the same renderer, see
 * tools/bench-memory). Run under Xvfb: tools/bench-ui.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-application.h"
#include "cc-bench-window.h"
#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-window-private.h"

/* The probe's period: a stall is how much later than this a tick comes. */
#define TICK_MS 5

static gint64 last_tick_us;
static gint64 worst_stall_us;
static gint64 run_stall_us;

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick_us != 0)
    {
      worst_stall_us = MAX (worst_stall_us, now - last_tick_us - TICK_MS * 1000);
      run_stall_us = MAX (run_stall_us, now - last_tick_us - TICK_MS * 1000);
    }
  last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CcLab) lab = NULL;
  g_autoptr(CcApplication) app = NULL;
  g_autofree char *profile = NULL;
  CcWindow *window;
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : 5;

  gtk_init ();
  adw_init ();

  lab = cc_lab_start (NULL);
  profile = cc_lab_write_source_profile (lab, "ok.conf", "lab-ok.conf.in");

  window = cc_bench_open_window (&app, profile);
  for (guint i = 0; i < 200; i++)
    g_main_context_iteration (NULL, FALSE);

  g_print ("resident memory with the window open, before any run: %.1f MB\n", rss_kib () / 1024.0);
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, tick_cb, NULL, NULL);

  for (guint run = 0; run < runs; run++)
    {
      gint64 start = g_get_monotonic_time ();

      run_stall_us = 0;
      gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
      while (cc_runner_is_running (cc_window_get_runner (window)))
        g_main_context_iteration (NULL, TRUE);
      g_print ("run %u: %s in %" G_GINT64_FORMAT " ms, longest stall %.1f ms\n", run + 1,
               cc_verdict_to_string (cc_runner_get_verdict (cc_window_get_runner (window))),
               (g_get_monotonic_time () - start) / 1000, run_stall_us / 1000.0);
    }

  g_print ("longest main-loop stall during %u runs: %.1f ms (goal < 50 ms)\n",
           runs, worst_stall_us / 1000.0);
  g_print ("resident memory after the runs: %.1f MB (goal: tools/bench-memory)\n", rss_kib () / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
