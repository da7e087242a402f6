/* cc-cli.c: runs the engine without a display. Progress lines go to stderr as
 * checks finish; the report (text, or JSON with --json) goes to stdout; the exit
 * status says the verdict. With --save-history the JSON report joins the
 * window's earlier runs; --history lists them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "cc-cli.h"
#include "cc-engine.h"

/* How long an exit waits for the relay allocations to be given back. */
#define CC_CLI_CLOSE_LIMIT_MS 1000

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  CcVerdict     verdict;
  gboolean      cancelled;
  gboolean      failed;
} CliState;

static void
on_check_finished (CcRunner      *runner,
                   CcRequirement *requirement,
                   CcCheck       *check,
                   gpointer       user_data)
{
  g_autofree char *line = cc_report_check_line (requirement, check);

  g_printerr ("%s\n", line);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliState *state = user_data;
  g_autoptr(GError) error = NULL;

  state->verdict = cc_runner_run_finish (CC_RUNNER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    state->cancelled = TRUE;
  else if (error != NULL)
    {
      g_printerr ("connection-check: %s\n", error->message);
      state->failed = TRUE;
    }

  g_main_loop_quit (state->loop);
}

static void
on_closed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CliState *state = user_data;

  /* FALSE: some allocations were still being released at the limit; the
   * relays let them expire. Nothing to tell the person. */
  cc_runner_close_finish (CC_RUNNER (object), result, NULL);
  g_main_loop_quit (state->loop);
}

/* Writes @text and pads it with spaces to @width columns. */
static void
print_padded (const char *text,
              guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  g_print ("%s", text);
  for (glong i = length; i < (glong) width; i++)
    g_print (" ");
}

int
cc_cli_list_history (void)
{
  g_autoptr(CcHistory) history = cc_history_new (NULL);
  g_autoptr(GError) error = NULL;
  const char * const *problems;
  guint n, width = 0;

  if (!cc_history_load (history, NULL, &error))
    {
      g_printerr (_("connection-check: the earlier runs cannot be read: %s\n"), error->message);
      return CC_EXIT_DATAERR;
    }

  problems = cc_history_get_problems (history);
  for (guint i = 0; problems[i] != NULL; i++)
    g_printerr (_("connection-check: skipped: %s\n"), problems[i]);

  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  if (n == 0)
    {
      g_print (_("No earlier runs are kept in %s.\n"), cc_history_get_directory (history));
      return 0;
    }

  g_print (_("Earlier runs, newest first, kept in %s:\n"), cc_history_get_directory (history));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);

      width = MAX (width, (guint) g_utf8_strlen (cc_report_verdict_label (cc_history_entry_get_verdict (entry)), -1));
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CcHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);
      GDateTime *started = cc_history_entry_get_started (entry);
      g_autoptr(GDateTime) local = started ? g_date_time_to_local (started) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("-");
      g_autofree char *network = cc_history_entry_describe_network (entry);

      g_print ("%s  ", when);
      print_padded (cc_report_verdict_label (cc_history_entry_get_verdict (entry)), width);
      g_print ("  %s  %s\n", network, cc_history_entry_get_id (entry));
    }

  return 0;
}

/* Keeps the run with the window's earlier runs. A failure to do so is said,
 * but the verdict stays the exit status. */
static void
save_history (CcRunner   *runner,
              const char *json)
{
  g_autoptr(CcHistory) history = cc_history_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *generated = json ? NULL : cc_report_to_json (runner);
  g_autofree char *id = cc_history_add (history, json ? json : generated, &error);

  if (id == NULL)
    g_printerr (_("connection-check: this run could not be kept with the earlier runs: %s\n"), error->message);
  else
    g_printerr (_("Kept with the earlier runs as %s\n"), id);
}

static gboolean
on_signal (gpointer user_data)
{
  CliState *state = user_data;

  g_printerr ("%s\n", _("Stopping…"));
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

int
cc_cli_run (const CcCliOptions *options)
{
  g_autoptr(CcProfile) profile = NULL;
  g_autoptr(CcRunner) runner = NULL;
  g_autoptr(GPtrArray) ice_servers = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *report = NULL;
  CliState state = { 0 };
  guint sigint_id, sigterm_id;

  if (options->run.profile_path != NULL)
    profile = cc_profile_new_from_file (options->run.profile_path, &error);
  else
    profile = cc_profile_new_default ();

  if (profile == NULL)
    {
      g_printerr (_("connection-check: invalid profile: %s\n"), error->message);
      return CC_EXIT_DATAERR;
    }

  if (options->run.ice_servers_path != NULL)
    {
      ice_servers = cc_ice_servers_load (options->run.ice_servers_path, &error);
      if (ice_servers == NULL)
        {
          g_printerr (_("connection-check: invalid ICE servers file: %s\n"), error->message);
          return CC_EXIT_DATAERR;
        }
    }

  runner = cc_runner_new (profile);
  cc_runner_set_ice_servers (runner, ice_servers);
  cc_run_options_configure (&options->run, runner);
  g_signal_connect (runner, "check-finished", G_CALLBACK (on_check_finished), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  state.loop = loop;
  state.cancellable = cancellable;

  sigint_id = g_unix_signal_add (SIGINT, on_signal, &state);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &state);

  g_printerr (_("Testing the network for %s (profile %s)…\n"),
              cc_profile_get_title (profile), cc_profile_get_source (profile));
  cc_runner_run_async (runner, cancellable, on_run_done, &state);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  /* Give the relay allocations back before exiting (at most 1 s). */
  cc_runner_close_async (runner, CC_CLI_CLOSE_LIMIT_MS, NULL, on_closed, &state);
  g_main_loop_run (loop);

  if (state.failed)
    return CC_EXIT_DATAERR;

  report = options->json ? cc_report_to_json (runner) : cc_report_to_text (runner, options->verbose ? CC_REPORT_VERBOSE
                                                                                             : CC_REPORT_CONCISE);
  fputs (report, stdout);
  if (options->json)
    fputc ('\n', stdout);
  fflush (stdout);

  /* A stopped run proves nothing: it is not kept. */
  if (options->save_history && !state.cancelled)
    save_history (runner, options->json ? report : NULL);

  if (state.cancelled)
    return CC_EXIT_CANCELLED;

  switch (state.verdict)
    {
    case CC_VERDICT_READY: return CC_EXIT_READY;
    case CC_VERDICT_DEGRADED: return CC_EXIT_DEGRADED;
    case CC_VERDICT_BLOCKED:
    case CC_VERDICT_UNKNOWN:
    default: return CC_EXIT_BLOCKED;
    }
}
