/* cc-history-entry.h: one stored report of an earlier run (the JSON report,
 * schema 1), read back for the list of earlier runs, for showing it as it was,
 * and for comparing two runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cc-check.h"
#include "cc-diagnosis.h"

G_BEGIN_DECLS

/* A requirement as the stored report has it. */
typedef struct
{
  char      *id;
  char      *title;
  CcStatus   status;
  char      *summary;
  char      *hint;
  GStrv      errors;      /* the error classes of its checks, sorted, no duplicates */
} CcHistoryRequirement;

/* What changed for one requirement between two runs. */
typedef struct
{
  char      *id;
  char      *title;
  CcStatus   before;      /* CC_STATUS_PENDING: the requirement was not in that run */
  CcStatus   after;
  GStrv      new_errors;  /* error classes in @after only */
  GStrv      fixed_errors;/* error classes in @before only */
} CcHistoryChange;

void cc_history_change_free (CcHistoryChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CcHistoryChange, cc_history_change_free)

#define CC_TYPE_HISTORY_ENTRY (cc_history_entry_get_type ())
G_DECLARE_FINAL_TYPE (CcHistoryEntry, cc_history_entry, CC, HISTORY_ENTRY, GObject)

/* Parses @json (a report of schema 1); @id names it (its file name). */
CcHistoryEntry *cc_history_entry_new_from_data (const char  *id,
                                                const char  *json,
                                                gssize       length,
                                                GError     **error);
const char     *cc_history_entry_get_id           (CcHistoryEntry *self);
/* When the run started (UTC), or NULL when the report does not say. */
GDateTime      *cc_history_entry_get_started      (CcHistoryEntry *self);
CcVerdict       cc_history_entry_get_verdict      (CcHistoryEntry *self);
const char     *cc_history_entry_get_summary      (CcHistoryEntry *self);
const char     *cc_history_entry_get_profile      (CcHistoryEntry *self);
/* The network as the report describes it: GIO knows no network's name (no
 * SSID), so this is the connectivity and the proxy. */
const char     *cc_history_entry_get_connectivity (CcHistoryEntry *self);
const char     *cc_history_entry_get_proxy        (CcHistoryEntry *self);
/* For people: "connectivity full, proxy none". */
char           *cc_history_entry_describe_network (CcHistoryEntry *self);
/* The requirements, in the report's order (CcHistoryRequirement). */
GPtrArray      *cc_history_entry_get_requirements (CcHistoryEntry *self);
/* One CcHistoryChange per requirement of either run, in @after's order
 * (then those only @before had); unchanged ones too, with before == after. */
GPtrArray      *cc_history_entry_compare          (CcHistoryEntry *before,
                                                   CcHistoryEntry *after);
/* TRUE when the status or the error classes differ. */
gboolean        cc_history_change_is_change       (const CcHistoryChange *change);

G_END_DECLS
