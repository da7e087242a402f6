/* cc-cli.h: the headless front end (DESIGN.md, "CLI").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cc-run-options.h"

G_BEGIN_DECLS

/* Exit statuses (a contract). */
#define CC_EXIT_READY       0
#define CC_EXIT_DEGRADED    1
#define CC_EXIT_BLOCKED     2
#define CC_EXIT_USAGE      64  /* EX_USAGE */
#define CC_EXIT_DATAERR    65  /* EX_DATAERR */
#define CC_EXIT_CANCELLED 130  /* 128 + SIGINT */

typedef struct
{
  CcRunOptions  run;          /* what to test, and how: as the window's */
  gboolean      json;
  gboolean      verbose;      /* the text report: every check */
  gboolean      save_history; /* keep this run's report with the window's */
  gboolean      list_history; /* print the earlier runs instead of running */
} CcCliOptions;

int cc_cli_run          (const CcCliOptions *options);
/* Prints the earlier runs (newest first); files it cannot read are named on
 * stderr and skipped. */
int cc_cli_list_history (void);

G_END_DECLS
