/* cc-lab-server.c: starts the test lab (tests/lab/cc-lab.h) by hand, for the
 * benchmark and for trying the app against real local servers:
 *
 *   cc-lab-server [--dir DIR] [--write NAME=TEMPLATE]…
 *
 * writes each TEMPLATE expanded (ports, CA path, credentials) to NAME in the lab
 * directory, prints one line "ready DIR" on stdout, and serves until SIGINT or
 * SIGTERM; then it stops coturn and deletes the directory. Without --dir the lab
 * lives in a fresh temporary directory; with it, DIR must be new or empty.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "cc-lab-private.h"

/* sysexits.h: a command line that makes no sense. */
#define EXIT_USAGE 64

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_templates (CcLab   *lab,
                 GStrv    writes,
                 GError **error)
{
  for (guint i = 0; writes != NULL && writes[i] != NULL; i++)
    {
      const char *eq = strchr (writes[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (eq == NULL || eq == writes[i] || eq[1] == '\0')
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--write takes NAME=TEMPLATE, not “%s”", writes[i]);
          return FALSE;
        }

      name = g_strndup (writes[i], eq - writes[i]);
      path = cc_lab_write_file (lab, name, eq + 1, error);
      if (path == NULL)
        return FALSE;
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— the Connection Check test lab");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(CcLab) lab = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) writes = NULL;
  const GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Run the lab in DIR (new or empty; deleted at the end)", "DIR" },
    { "write", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &writes, "Write TEMPLATE expanded as NAME in the lab directory", "NAME=TEMPLATE" },
    { NULL }
  };
  guint sigint_id;
  guint sigterm_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cc-lab-server: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_printerr ("cc-lab-server: unexpected argument “%s”\n", argv[1]);
      return EXIT_USAGE;
    }

  /* Handlers first: a signal while the lab starts then stops it right after,
   * with coturn killed and the directory deleted, instead of killing us midway. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  lab = cc_lab_new_in_dir (dir, &error);
  if (lab == NULL || !write_templates (lab, writes, &error))
    {
      g_printerr ("cc-lab-server: %s\n", error->message);
      g_clear_pointer (&lab, cc_lab_free);
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      return EXIT_FAILURE;
    }

  g_print ("ready %s\n", cc_lab_get_dir (lab));
  fflush (stdout);
  g_main_loop_run (loop);

  /* Before the handlers go: a second signal must not kill us halfway through
   * stopping coturn and deleting the directory. */
  g_clear_pointer (&lab, cc_lab_free);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return EXIT_SUCCESS;
}
