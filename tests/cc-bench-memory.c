/* cc-bench-memory.c: a benchmark, not a test. Prints the resident memory of a
 * window, for tools/bench-memory to compare side by side under one Xvfb:
 *
 *   cc-bench-memory empty       an empty AdwApplicationWindow of the window's
 *                               default size, the yardstick
 *   cc-bench-memory window [N] [PROFILE]
 *                               the real window, after N runs against the lab;
 *                               with PROFILE, one of a lab in another process
 *                               (tests/cc-lab-server, as tools/bench-memory
 *                               does), so that only the app is measured, not
 *                               the lab's servers and their TLS sessions
 *
 * Each prints lines "NAME current-KiB peak-KiB anonymous-KiB file-KiB"
 * (VmRSS, VmHWM, RssAnon, RssFile), after the same settling time with the
 * window shown. With CC_BENCH_EXIT set, the process ends right after its last
 * line, the window still open: what a heap profiler then reports as never
 * freed (heaptrack's leaks, massif's last snapshot) is what was live when
 * measured, not what the teardown left (README "Memory").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cc-application.h"
#include "cc-bench-window.h"
#include "cc-engine.h"
#include "cc-lab.h"
#include "cc-window-private.h"

/* Long enough for the first frames, the theme and the fonts to load. */
#define SETTLE_MS 1500

static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line ? strtol (line + strlen (field), NULL, 10) : -1;
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + SETTLE_MS * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* With CC_BENCH_SMAPS=PREFIX, also saves /proc/self/smaps as PREFIX-NAME, to
 * see which mappings the difference is in. */
static void
report (const char *name)
{
  const char *prefix = g_getenv ("CC_BENCH_SMAPS");

  if (prefix != NULL)
    {
      g_autofree char *smaps = NULL;
      g_autofree char *path = g_strdup_printf ("%s-%s", prefix, name);
      gsize length = 0;

      if (g_file_get_contents ("/proc/self/smaps", &smaps, &length, NULL))
        g_file_set_contents (path, smaps, length, NULL);
    }
  printf ("%s %ld %ld %ld %ld\n", name, status_kib ("VmRSS:"), status_kib ("VmHWM:"),
          status_kib ("RssAnon:"), status_kib ("RssFile:"));
}

/* See the top: for heap profilers. */
static void
exit_if_asked (void)
{
  if (g_getenv ("CC_BENCH_EXIT") == NULL)
    return;

  fflush (stdout);
  _exit (0);
}

static int
bench_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) app = adw_application_new ("com.whereby.ConnectionCheck.BenchEmpty",
                                                       G_APPLICATION_NON_UNIQUE);
  GtkWidget *window;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = adw_application_window_new (GTK_APPLICATION (app));
  /* cc-window.ui's default size: the same surfaces to draw. */
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 780);
  gtk_window_present (GTK_WINDOW (window));
  settle ();
  report ("empty");
  exit_if_asked ();

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static int
bench_window (guint       runs,
              const char *lab_profile)
{
  g_autoptr(CcLab) lab = NULL;
  g_autoptr(CcApplication) app = NULL;
  g_autofree char *profile = NULL;
  CcWindow *window;

  if (lab_profile != NULL)
    profile = g_strdup (lab_profile);
  else
    {
      lab = cc_lab_start (NULL);
      profile = cc_lab_write_source_profile (lab, "ok.conf", "lab-ok.conf.in");
    }

  window = cc_bench_open_window (&app, profile);
  settle ();
  report ("window-idle");

  for (guint run = 0; run < runs; run++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
      while (cc_runner_is_running (cc_window_get_runner (window)))
        g_main_context_iteration (NULL, TRUE);
    }
  settle ();
  report ("window");
  exit_if_asked ();

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  gtk_init ();
  adw_init ();

  if (argc > 1 && strcmp (argv[1], "empty") == 0)
    return bench_empty ();
  if (argc > 1 && strcmp (argv[1], "window") == 0)
    return bench_window (argc > 2 ? (guint) atoi (argv[2]) : 3, argc > 3 ? argv[3] : NULL);

  fprintf (stderr, "usage: cc-bench-memory empty | window [RUNS [PROFILE]]\n");
  return 64;
}
