/* main.c: parses the command line. With --cli or --json the engine runs
 * headless, before GTK is initialised, so no display is needed; otherwise the
 * window opens.
 *
 * Built twice: `connection-check`, which links no GTK, and the window's own
 * program, `connection-check-window` in libexecdir (CC_WINDOW_PROGRAM), which
 * the first runs (exec, same process) to open the window. So a headless run
 * never maps GTK, libadwaita and what they bring (about 7 MB resident of a
 * run's 29, issue #13). Both take the same options.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cli/cc-cli.h"
#include "engine/cc-secrets.h"
#ifdef CC_WINDOW_PROGRAM
#include "gui/cc-application.h"
#endif

/* Bounds for the numbers a person can pass; anything beyond is a typo. */
#define CC_MAX_TIMEOUT_SECONDS 300
#define CC_MAX_HOLD_SECONDS    3600

static gboolean
parse_seconds (const char  *name,
               const char  *value,
               guint        min,
               guint        max,
               guint       *out,
               GError     **error)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (value, 10, min, max, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s takes a whole number of seconds from %u to %u, not “%s”"),
                   name, min, max, value);
      return FALSE;
    }

  *out = number;
  return TRUE;
}

static CcCliOptions options;

static gboolean
parse_timeout (const char  *name,
               const char  *value,
               gpointer     data,
               GError     **error)
{
  return parse_seconds (name, value, 1, CC_MAX_TIMEOUT_SECONDS, &options.run.timeout_seconds, error);
}

static gboolean
parse_proxy (const char  *name,
             const char  *value,
             gpointer     data,
             GError     **error)
{
  if (!cc_run_options_check_proxy (value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s takes http://host:port (or socks5://host:port, or “direct”), not “%s”"),
                   name, value);
      return FALSE;
    }

  g_free (options.run.proxy);
  options.run.proxy = g_strdup (value);
  return TRUE;
}

static gboolean
parse_hold (const char  *name,
            const char  *value,
            gpointer     data,
            GError     **error)
{
  return parse_seconds (name, value, 0, CC_MAX_HOLD_SECONDS, &options.run.hold_seconds, error);
}

#ifdef CC_WINDOW_PROGRAM
static int
open_window (char     **argv,
             gboolean   service)
{
  g_autoptr(CcApplication) app = cc_application_new ();
  char *app_argv[] = { argv[0], (char *) "--gapplication-service", NULL };

  /* The same options as headless: they win over the window's settings. */
  cc_application_set_options (app, &options.run);
  return g_application_run (G_APPLICATION (app), service ? 2 : 1, app_argv);
}
#else
/* The window's program: the one built beside this one when this one runs
 * uninstalled from its build directory, else the installed one. */
static char *
window_program (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *build_dir = realpath (CC_BUILD_DIR, NULL);

  if (dir != NULL && build_dir != NULL && strcmp (dir, build_dir) == 0)
    return g_build_filename (build_dir, "connection-check-window", NULL);
  return g_build_filename (LIBEXECDIR, "connection-check-window", NULL);
}

/* Runs the window's program in this process, with the arguments as given;
 * returns only if it cannot, after the text report instead. */
static int
open_window (char     **argv,
             gboolean   service)
{
  g_autofree char *program = window_program ();
  int saved;

  execv (program, argv);
  saved = errno;
  g_printerr (_("Cannot start the window (%s: %s): running without a window (as with --cli).\n"),
              program, g_strerror (saved));
  return cc_cli_run (&options);
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cli = FALSE, version = FALSE, service = FALSE;
  int status;
  /* As given, for the window's program (the parser takes options out). */
  g_auto(GStrv) given = g_strdupv (argv);
  const GOptionEntry entries[] = {
    { "cli", 0, 0, G_OPTION_ARG_NONE, &cli,
      N_("Run without a window: progress lines, then the text report"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("Run without a window and print the JSON report (progress on stderr)"), NULL },
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &options.run.profile_path,
      N_("Check the requirements in FILE instead of the built-in Whereby profile"), N_("FILE") },
    { "ice-servers", 0, 0, G_OPTION_ARG_FILENAME, &options.run.ice_servers_path,
      N_("TURN servers and credentials (RTCIceServer JSON) for real allocations"), N_("FILE") },
    { "proxy", 0, 0, G_OPTION_ARG_CALLBACK, parse_proxy,
      N_("Connect through the proxy at URL (http://host:port), or “direct”, instead of the system’s proxy settings"), N_("URL") },
    { "timeout", 0, 0, G_OPTION_ARG_CALLBACK, parse_timeout,
      N_("Give up on each check after SECONDS, 1 to 300 (default 5)"), N_("SECONDS") },
    { "hold", 0, 0, G_OPTION_ARG_CALLBACK, parse_hold,
      N_("Keep the signaling WebSocket open SECONDS, 0 to 3600, with round trips (default 0)"), N_("SECONDS") },
    { "verbose", 0, 0, G_OPTION_ARG_NONE, &options.verbose,
      N_("In the text report, list every check with its address, timings and details"), NULL },
    { "save-history", 0, 0, G_OPTION_ARG_NONE, &options.save_history,
      N_("Keep this run's report with the window's earlier runs (the last 20); runs without a window"), NULL },
    { "history", 0, 0, G_OPTION_ARG_NONE, &options.list_history,
      N_("List the earlier runs (the window's and those kept with --save-history) and exit"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Print the version and exit"), NULL },
    /* D-Bus activation (the desktop file and the D-Bus service file). */
    { "gapplication-service", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &service, NULL, NULL },
    { NULL }
  };

  /* stdout is for reports (--json must stay valid JSON): every log message,
   * G_MESSAGES_DEBUG's included, goes to stderr, without TURN logins. */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (cc_secrets_log_writer, NULL, NULL);

  setlocale (LC_ALL, "");
  /* CC_LOCALEDIR: the translations of an uninstalled build (tools/run, tests). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CC_LOCALEDIR") ? g_getenv ("CC_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Checks, live, whether this network lets Whereby video calls through, and says what IT must open if not.\n"
                                  "\n"
                                  "Without --cli or --json the window opens (the text report where there is no display).\n"
                                  "The built-in profile names Whereby's real servers; --profile FILE checks another.\n"
                                  "--ice-servers takes {\"iceServers\": […]} or a bare array of RTCIceServer objects.\n"
                                  "\n"
                                  "Exit status: 0 ready, 1 works with reduced quality, 2 calls will not work,\n"
                                  "64 bad arguments, 65 invalid profile or ICE servers file,\n"
                                  "130 stopped (Ctrl+C or SIGTERM; the report of what finished is printed).\n"
                                  "\n"
                                  "Environment: https_proxy and no_proxy (or the desktop's proxy settings),\n"
                                  "CC_PUBLIC_ROOTS (the public CA list), CC_LOCALEDIR (translations)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("connection-check: %s\n", error->message);
      g_printerr ("%s\n", _("Run “connection-check --help” to see the options."));
      return CC_EXIT_USAGE;
    }

  if (argc > 1)
    {
      g_printerr (_("connection-check: unexpected argument “%s”\n"), argv[1]);
      g_printerr ("%s\n", _("Run “connection-check --help” to see the options."));
      return CC_EXIT_USAGE;
    }

  if (version)
    {
      g_print ("connection-check %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (options.list_history)
    return cc_cli_list_history ();

  /* Keeping a run in the history is for runs without a window (the window
   * keeps its own). */
  if (options.save_history && !options.json)
    cli = TRUE;

  /* No display to open a window on (a server, an SSH session): say so and
   * give the text report rather than fail. */
  if (!cli && !options.json && !service && g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("%s\n", _("No display found: running without a window (as with --cli)."));
      cli = TRUE;
    }

  if (cli || options.json)
    status = cc_cli_run (&options);
  else
    status = open_window (given, service);

  g_free (options.run.profile_path);
  g_free (options.run.ice_servers_path);
  g_free (options.run.proxy);
  return status;
}
