/* cc-lab-server.c: starts the test lab (tests/lab/cc-lab.h) by hand, for the
 * benchmark and for trying the app against real local servers:
 *
 *   cc-lab-server [--write NAME=TEMPLATE]…
 *
 * writes each TEMPLATE expanded (ports, CA path, credentials) to NAME in the
 * lab directory, prints "ready DIR", and serves until SIGINT or SIGTERM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "cc-lab.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(CcLab) lab = NULL;
  g_auto(GStrv) writes = NULL;
  const GOptionEntry entries[] = {
    { "write", 0, 0, G_OPTION_ARG_STRING_ARRAY, &writes, "Write TEMPLATE expanded as NAME", "NAME=TEMPLATE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cc-lab-server: %s\n", error->message);
      return 64;
    }

  lab = cc_lab_new (&error);
  if (lab == NULL)
    {
      g_printerr ("cc-lab-server: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; writes != NULL && writes[i] != NULL; i++)
    {
      const char *eq = strchr (writes[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (eq == NULL)
        {
          g_printerr ("cc-lab-server: --write takes NAME=TEMPLATE\n");
          return 64;
        }
      name = g_strndup (writes[i], eq - writes[i]);
      path = cc_lab_write_file (lab, name, eq + 1, &error);
      if (path == NULL)
        {
          g_printerr ("cc-lab-server: %s\n", error->message);
          return 1;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  g_print ("ready %s\n", cc_lab_get_dir (lab));
  fflush (stdout);
  g_main_loop_run (loop);

  return 0;
}
