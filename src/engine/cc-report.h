/* cc-report.h: the text report (for a support ticket) and the JSON report
 * (schema 1, DESIGN.md) of a finished run. Neither ever contains a credential.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cc-runner.h"

G_BEGIN_DECLS

#define CC_REPORT_SCHEMA 1

typedef enum
{
  CC_REPORT_CONCISE = 0,
  /* Every check of every requirement, with addresses, timings, details. */
  CC_REPORT_VERBOSE = 1 << 0,
} CcReportFlags;

/* The verdict in capitals, as the text report's "Verdict:" line says it. */
const char *cc_report_verdict_label (CcVerdict verdict);

/* Concise: the verdict, one item per requirement, the hints of those that
 * did not pass. */
char *cc_report_to_text (CcRunner      *runner,
                         CcReportFlags  flags);
char *cc_report_to_json (CcRunner *runner);
/* A message for IT: what does not work, the outbound connections to allow
 * (protocol, ports, hosts and domains, by name: Whereby publishes no IP
 * ranges), the proxy and inspection facts. Only what IT can fix: quality
 * findings, logins and an offline device are left out. */
char *cc_report_to_it_request (CcRunner      *runner);
/* Writes the JSON report when @file's name ends in ".json", else the text
 * report. Reports hold addresses: the file is readable by its owner only (0600),
 * also when it replaces an existing file. */
gboolean cc_report_save (CcRunner  *runner,
                         GFile     *file,
                         GError   **error);
/* The same without blocking: the report is made now, written meanwhile. */
void     cc_report_save_async  (CcRunner            *runner,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
gboolean cc_report_save_finish (GAsyncResult        *result,
                                GError             **error);
/* One progress line for a finished check, as the CLI prints it. */
char *cc_report_check_line (CcRequirement *requirement,
                            CcCheck       *check);
/* "Test call: a call would go through the relay over UDP — good (…)", or NULL
 * when the run made no test calls. */
char *cc_report_describe_call (GListModel    *requirements);

G_END_DECLS
