/* cc-report.c: renders a run as text and as JSON.
 *
 * The JSON keys, requirement ids, statuses and error classes are a contract
 * (DESIGN.md) and never translated; the text report is for people and follows
 * the locale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cc-call-check.h"
#include "cc-report.h"

/* Width the text report wraps at: fits a terminal and a ticket's text box. */
#define CC_REPORT_WRAP 76

static const char *
report_status (CcStatus status)
{
  /* A report written mid-run (or after a stop) has nothing pending: not run. */
  if (status == CC_STATUS_PENDING || status == CC_STATUS_RUNNING)
    return "skip";
  return cc_status_to_string (status);
}

static const char *
status_label (CcStatus status)
{
  switch (status)
    {
    /* TRANSLATORS: status tags in the text report; keep them short */
    case CC_STATUS_PASS: return C_("status", "PASS");
    case CC_STATUS_WARN: return C_("status", "WARN");
    case CC_STATUS_FAIL: return C_("status", "FAIL");
    case CC_STATUS_SKIP:
    case CC_STATUS_PENDING:
    case CC_STATUS_RUNNING:
    default: return C_("status", "SKIP");
    }
}

static const char *
quality_label (CcQuality quality)
{
  switch (quality)
    {
    case CC_QUALITY_GOOD: return _("good");
    case CC_QUALITY_FAIR: return _("fair");
    case CC_QUALITY_POOR: return _("poor");
    case CC_QUALITY_UNKNOWN:
    default: return _("not measured");
    }
}

/* The call check whose transport a call would really use: the relay over UDP
 * when it carried the test call, else TCP, else TLS (as browsers prefer them).
 * @any_call: set when the run made test calls at all. */
static CcCheck *
find_call (GListModel *requirements,
           gboolean   *any_call)
{
  static const char * const order[] = { "udp", "tcp", "tls" };
  CcCheck *best = NULL;
  guint best_rank = G_N_ELEMENTS (order);

  *any_call = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      GListModel *checks = cc_requirement_get_checks (req);

      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);

          if (!cc_check_is_kind (check, CC_CHECK_KIND_ICE_CALL))
            continue;
          *any_call = TRUE;
          if (cc_check_get_status (check) != CC_STATUS_PASS)
            continue;
          for (guint k = 0; k < best_rank; k++)
            if (g_strcmp0 (cc_check_get_transport (check), order[k]) == 0)
              {
                best = check;
                best_rank = k;
              }
        }
    }

  return best;
}

char *
cc_report_describe_call (GListModel *requirements)
{
  gboolean any_call;
  CcCheck *call;
  g_autofree char *transport = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (requirements), NULL);

  call = find_call (requirements, &any_call);
  if (call == NULL)
    return any_call ? g_strdup (_("Test call: no call got through the relay on any transport.")) : NULL;

  transport = g_ascii_strup (cc_check_get_transport (call), -1);
  return g_strdup_printf (_("Test call: a call would go through the relay over %s — %s (%.0f ms round trip, %.1f ms jitter, %.1f %% loss, %.0f kbit/s)."),
                          transport,
                          quality_label (cc_diagnosis_grade_check (call)),
                          MAX (0, cc_check_get_rtt_ms (call)), MAX (0, cc_check_get_jitter_ms (call)),
                          cc_check_get_loss_pct (call), MAX (0, cc_call_check_get_throughput_kbps (call)));
}

const char *
cc_report_verdict_label (CcVerdict verdict)
{
  switch (verdict)
    {
    case CC_VERDICT_READY: return _("READY");
    case CC_VERDICT_DEGRADED: return _("WORKS WITH REDUCED QUALITY");
    case CC_VERDICT_BLOCKED: return _("CALLS WILL NOT WORK");
    case CC_VERDICT_UNKNOWN:
    default: return _("NOT FINISHED");
    }
}

/* Appends @text wrapped at CC_REPORT_WRAP columns: the first line starts with
 * @first (a bullet, say), the lines after it with @rest, so that a wrapped
 * item reads as one (a hanging indent). */
static void
append_wrapped (GString    *out,
                const char *text,
                const char *first,
                const char *rest)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  gsize start = g_utf8_strlen (first, -1);
  gsize column = start;

  g_string_append (out, first);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize len = g_utf8_strlen (words[i], -1);

      if (len == 0)
        continue;
      if (column > start && column + 1 + len > CC_REPORT_WRAP)
        {
          g_string_append_c (out, '\n');
          g_string_append (out, rest);
          start = column = g_utf8_strlen (rest, -1);
        }
      else if (column > start)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
    }
  g_string_append_c (out, '\n');
}

static void
append_metrics (GString *out,
                CcCheck *check)
{
  if (cc_check_get_rtt_ms (check) >= 0)
    g_string_append_printf (out, _(", round trip %.1f ms"), cc_check_get_rtt_ms (check));
  if (cc_check_get_jitter_ms (check) >= 0)
    g_string_append_printf (out, _(", jitter %.1f ms"), cc_check_get_jitter_ms (check));
  if (cc_check_get_loss_pct (check) >= 0)
    g_string_append_printf (out, _(", loss %.1f %%"), cc_check_get_loss_pct (check));
}

char *
cc_report_check_line (CcRequirement *requirement,
                      CcCheck       *check)
{
  GString *line = g_string_new (NULL);
  CcError error = cc_check_get_error (check);

  g_string_append_printf (line, "[%s] %s: %s %s",
                          status_label (cc_check_get_status (check)),
                          cc_requirement_get_id (requirement),
                          cc_check_get_kind (check),
                          cc_check_get_target (check) ? cc_check_get_target (check) : "");
  if (cc_check_get_transport (check) != NULL)
    g_string_append_printf (line, " (%s)", cc_check_get_transport (check));
  if (error != CC_ERROR_NONE)
    g_string_append_printf (line, " %s", cc_error_to_string (error));
  g_string_append_printf (line, _(" in %d ms"), (int) cc_check_get_duration_ms (check));
  append_metrics (line, check);

  return g_string_free (line, FALSE);
}

static void
append_check (GString *out,
              CcCheck *check)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "%s %s %s", status_label (cc_check_get_status (check)),
                          cc_check_get_kind (check),
                          cc_check_get_target (check) ? cc_check_get_target (check) : "");
  if (cc_check_get_transport (check) != NULL)
    g_string_append_printf (line, " (%s)", cc_check_get_transport (check));
  if (cc_check_get_address (check) != NULL)
    g_string_append_printf (line, _(" at %s"), cc_check_get_address (check));
  if (cc_check_get_error (check) != CC_ERROR_NONE)
    g_string_append_printf (line, ": %s", cc_error_to_string (cc_check_get_error (check)));
  g_string_append_printf (line, _(", %d ms"), (int) cc_check_get_duration_ms (check));
  append_metrics (line, check);
  if (cc_check_get_tls_issuer (check) != NULL)
    g_string_append_printf (line, _(", certificate issuer “%s”"), cc_check_get_tls_issuer (check));
  if (cc_check_get_detail (check) != NULL)
    g_string_append_printf (line, ". %s", cc_check_get_detail (check));

  append_wrapped (out, line->str, "         - ", "           ");
}

char *
cc_report_to_text (CcRunner      *runner,
                   CcReportFlags  flags)
{
  GString *out = g_string_new (NULL);
  GListModel *requirements = cc_runner_get_requirements (runner);
  CcProfile *profile = cc_runner_get_profile (runner);
  GDateTime *started = cc_runner_get_started (runner);
  g_autofree char *when = started ? g_date_time_format (started, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("-");
  gboolean verbose = (flags & CC_REPORT_VERBOSE) != 0;

  g_string_append_printf (out, _("Connection Check %s — profile “%s”"),
                          PACKAGE_VERSION, cc_profile_get_title (profile));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Run at %s, took %.1f s. Proxy: %s. Connectivity: %s."),
                          when, cc_runner_get_duration_ms (runner) / 1000.0,
                          cc_runner_get_proxy (runner), cc_runner_get_connectivity (runner));
  g_string_append (out, "\n\n");

  g_string_append_printf (out, _("Verdict: %s"), cc_report_verdict_label (cc_runner_get_verdict (runner)));
  g_string_append_c (out, '\n');
  if (cc_runner_get_summary (runner) != NULL)
    append_wrapped (out, cc_runner_get_summary (runner), "", "");
  g_string_append_c (out, '\n');

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      GListModel *checks = cc_requirement_get_checks (req);
      CcStatus status = cc_requirement_get_status (req);
      g_autofree char *head = g_strdup_printf ("[%s] %s (%s)", status_label (status),
                                               cc_requirement_get_title (req),
                                               cc_requirement_get_id (req));

      /* Concise: one item per requirement, its one-line result after the
       * title; the hint only where something is to be done. */
      if (!verbose)
        {
          g_autofree char *item = NULL;

          if (cc_requirement_get_summary (req) != NULL)
            item = g_strdup_printf ("%s: %s", head, cc_requirement_get_summary (req));
          append_wrapped (out, item ? item : head, "", "       ");
          if (status != CC_STATUS_PASS && cc_requirement_get_hint (req) != NULL)
            {
              g_autofree char *hint = g_strdup_printf (_("What to do: %s"), cc_requirement_get_hint (req));

              append_wrapped (out, hint, "       ", "       ");
            }
          continue;
        }

      g_string_append_printf (out, "%s\n", head);
      if (cc_requirement_get_summary (req) != NULL)
        append_wrapped (out, cc_requirement_get_summary (req), "       ", "       ");
      if (cc_requirement_get_hint (req) != NULL)
        {
          g_string_append_printf (out, "       %s\n", _("What to do:"));
          append_wrapped (out, cc_requirement_get_hint (req), "         ", "         ");
        }

      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);

          append_check (out, check);
        }
      g_string_append_c (out, '\n');
    }

  if (!verbose)
    {
      g_string_append_c (out, '\n');
      append_wrapped (out, _("Every check with its address and timings: run again with --verbose."), "", "");
    }

  return g_string_free (out, FALSE);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_number_if_measured (JsonBuilder *builder,
                        const char  *name,
                        double       value)
{
  if (value < 0)
    return;

  json_builder_set_member_name (builder, name);
  /* Milliseconds and percentages to 0.01 are more than a network can tell;
   * tidy_numbers() writes them so. */
  json_builder_add_double_value (builder, value);
}

/* json-glib writes doubles with 17 significant digits (0.23 becomes
 * 0.23000000000000001). Rewrite every number with a fraction, outside strings,
 * with the two decimals the report means. */
static char *
tidy_numbers (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));
  gboolean in_string = FALSE;

  for (const char *p = json; *p != '\0';)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            {
              g_string_append_len (out, p, 2);
              p += 2;
              continue;
            }
          if (*p == '"')
            in_string = FALSE;
          g_string_append_c (out, *p++);
          continue;
        }

      if (*p == '"')
        {
          in_string = TRUE;
          g_string_append_c (out, *p++);
          continue;
        }

      if (g_ascii_isdigit (*p) || (*p == '-' && g_ascii_isdigit (p[1])))
        {
          const char *start = p;
          char *end = NULL;
          double value;

          while (g_ascii_isdigit (*p) || *p == '-' || *p == '+' || *p == '.' || *p == 'e' || *p == 'E')
            p++;

          if (memchr (start, '.', p - start) == NULL && memchr (start, 'e', p - start) == NULL)
            {
              g_string_append_len (out, start, p - start);
              continue;
            }

          value = g_ascii_strtod (start, &end);
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];
            char *dot;
            gsize len;

            g_ascii_formatd (buffer, sizeof buffer, "%.2f", value);
            /* "1.50" → "1.5", "2.00" → "2.0": still a fraction, as before. */
            len = strlen (buffer);
            dot = strchr (buffer, '.');
            while (dot != NULL && len > (gsize) (dot - buffer) + 2 && buffer[len - 1] == '0')
              buffer[--len] = '\0';
            g_string_append (out, buffer);
          }
          continue;
        }

      g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

char *
cc_report_to_json (CcRunner *runner)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GListModel *requirements = cc_runner_get_requirements (runner);
  CcProfile *profile = cc_runner_get_profile (runner);
  GDateTime *started = cc_runner_get_started (runner);
  g_autofree char *when = started ? g_date_time_format (started, "%Y-%m-%dT%H:%M:%SZ") : NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "schema");
  json_builder_add_int_value (builder, CC_REPORT_SCHEMA);

  json_builder_set_member_name (builder, "app");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "connection-check");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "profile");
  json_builder_add_string_value (builder, cc_profile_get_name (profile));
  add_string_or_null (builder, "started", when);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, cc_runner_get_duration_ms (runner));
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, cc_verdict_to_string (cc_runner_get_verdict (runner)));
  add_string_or_null (builder, "summary", cc_runner_get_summary (runner));

  json_builder_set_member_name (builder, "network");
  json_builder_begin_object (builder);
  add_string_or_null (builder, "proxy", cc_runner_get_proxy (runner));
  add_string_or_null (builder, "connectivity", cc_runner_get_connectivity (runner));
  json_builder_end_object (builder);

  {
    gboolean any_call;
    CcCheck *call = find_call (requirements, &any_call);

    if (any_call)
      {
        /* The transport a call would really use, and what got through it. */
        json_builder_set_member_name (builder, "call");
        json_builder_begin_object (builder);
        add_string_or_null (builder, "transport", call ? cc_check_get_transport (call) : NULL);
        if (call != NULL)
          {
            add_number_if_measured (builder, "rtt_ms", cc_check_get_rtt_ms (call));
            add_number_if_measured (builder, "jitter_ms", cc_check_get_jitter_ms (call));
            add_number_if_measured (builder, "loss_pct", cc_check_get_loss_pct (call));
            add_number_if_measured (builder, "bitrate_kbps", cc_check_get_bitrate_kbps (call));
            add_number_if_measured (builder, "capacity_kbps", cc_call_check_get_capacity_kbps (call));
            add_string_or_null (builder, "quality", cc_quality_to_string (cc_diagnosis_grade_check (call)));
          }
        json_builder_end_object (builder);
      }
  }

  json_builder_set_member_name (builder, "requirements");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      GListModel *checks = cc_requirement_get_checks (req);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", cc_requirement_get_id (req));
      add_string_or_null (builder, "title", cc_requirement_get_title (req));
      add_string_or_null (builder, "status", report_status (cc_requirement_get_status (req)));
      add_string_or_null (builder, "summary", cc_requirement_get_summary (req));
      add_string_or_null (builder, "hint", cc_requirement_get_hint (req));

      json_builder_set_member_name (builder, "checks");
      json_builder_begin_array (builder);
      for (guint j = 0; j < g_list_model_get_n_items (checks); j++)
        {
          g_autoptr(CcCheck) check = g_list_model_get_item (checks, j);
          CcError error = cc_check_get_error (check);

          json_builder_begin_object (builder);
          add_string_or_null (builder, "kind", cc_check_get_kind (check));
          add_string_or_null (builder, "target", cc_check_get_target (check));
          add_string_or_null (builder, "transport", cc_check_get_transport (check));
          add_string_or_null (builder, "address", cc_check_get_address (check));
          add_string_or_null (builder, "status", report_status (cc_check_get_status (check)));
          add_string_or_null (builder, "error",
                              error != CC_ERROR_NONE ? cc_error_to_string (error) : NULL);
          add_string_or_null (builder, "detail", cc_check_get_detail (check));
          json_builder_set_member_name (builder, "duration_ms");
          json_builder_add_int_value (builder, cc_check_get_duration_ms (check));
          add_number_if_measured (builder, "rtt_ms", cc_check_get_rtt_ms (check));
          add_number_if_measured (builder, "jitter_ms", cc_check_get_jitter_ms (check));
          add_number_if_measured (builder, "loss_pct", cc_check_get_loss_pct (check));
          add_number_if_measured (builder, "bitrate_kbps", cc_check_get_bitrate_kbps (check));
          add_number_if_measured (builder, "capacity_kbps", cc_call_check_get_capacity_kbps (check));
          if (cc_check_get_loss_pct (check) >= 0)
            {
              CcQuality quality = cc_diagnosis_grade_check (check);
              add_string_or_null (builder, "quality", cc_quality_to_string (quality));
            }
          if (cc_check_get_tls_issuer (check) != NULL)
            add_string_or_null (builder, "tls_issuer", cc_check_get_tls_issuer (check));
          if (cc_check_get_tls_root (check) != NULL)
            add_string_or_null (builder, "tls_root", cc_check_get_tls_root (check));
          if (cc_check_get_http_status (check) != 0)
            {
              json_builder_set_member_name (builder, "http_status");
              json_builder_add_int_value (builder, cc_check_get_http_status (check));
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return tidy_numbers (text);
}

/* What a save of @runner's report to @file writes. */
static char *
report_for_file (CcRunner *runner,
                 GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return name != NULL && g_str_has_suffix (name, ".json") ? cc_report_to_json (runner)
                                                          : cc_report_to_text (runner, CC_REPORT_VERBOSE);
}

/* A new file written beside the old one, then renamed over it: the old file's
 * mode is not inherited. */
#define REPORT_FILE_FLAGS (G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION)

gboolean
cc_report_save (CcRunner  *runner,
                GFile     *file,
                GError   **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (CC_IS_RUNNER (runner), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  text = report_for_file (runner, file);
  stream = g_file_replace (file, NULL, FALSE, REPORT_FILE_FLAGS, NULL, error);
  return stream != NULL &&
         g_output_stream_write_all (G_OUTPUT_STREAM (stream), text, strlen (text), NULL, NULL, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static void
cc_report_save_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cc_report_save_async (CcRunner            *runner,
                      GFile               *file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (CC_IS_RUNNER (runner));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (runner, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_report_save_async);
  text = report_for_file (runner, file);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, REPORT_FILE_FLAGS, cancellable,
                                       cc_report_save_cb, task);
}

gboolean
cc_report_save_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cc_report_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
cc_report_to_it_request (CcRunner *runner)
{
  GListModel *requirements;
  CcProfile *profile;
  GString *out;
  GString *fails;
  GString *allow;
  GDateTime *started;
  g_autofree char *when = NULL;

  g_return_val_if_fail (CC_IS_RUNNER (runner), NULL);

  requirements = cc_runner_get_requirements (runner);
  profile = cc_runner_get_profile (runner);
  started = cc_runner_get_started (runner);
  when = started ? g_date_time_format (started, "%Y-%m-%d %H:%M UTC") : g_strdup ("-");
  fails = g_string_new (NULL);
  allow = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (requirements); i++)
    {
      g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);
      g_autofree char *line = cc_diagnosis_it_allow (req, profile);
      g_autofree char *item = NULL;

      if (line == NULL)
        continue;
      item = g_strdup_printf ("%s: %s", cc_requirement_get_title (req),
                              cc_requirement_get_summary (req) ? cc_requirement_get_summary (req) : "");
      append_wrapped (fails, item, "- ", "  ");
      append_wrapped (allow, line, "- ", "  ");
    }

  out = g_string_new (NULL);
  /* TRANSLATORS: the first line of the request for IT, like an e-mail's subject */
  g_string_append_printf (out, _("Network access needed for %s video calls"), cc_profile_get_title (profile));
  g_string_append (out, "\n\n");
  {
    g_autofree char *intro = g_strdup_printf (_("Connection Check tested this network on %s for %s calls. Verdict: %s."),
                                              when, cc_profile_get_title (profile),
                                              cc_report_verdict_label (cc_runner_get_verdict (runner)));

    append_wrapped (out, intro, "", "");
  }
  g_string_append_c (out, '\n');

  if (allow->len == 0)
    {
      append_wrapped (out, _("Nothing was found that IT needs to open: what did not work, if anything, is a matter of the connection's quality or of a login, and the report says what to do."), "", "");
    }
  else
    {
      g_string_append_printf (out, "%s\n", _("What does not work:"));
      g_string_append (out, fails->str);
      g_string_append_c (out, '\n');
      g_string_append_printf (out, "%s\n", _("Please allow these outbound connections (nothing inbound is needed):"));
      g_string_append (out, allow->str);
      /* Whereby's firewall guide (shared/seed/firewall-and-security.md). */
      if (g_strcmp0 (cc_profile_get_name (profile), "whereby") == 0)
        {
          g_string_append_c (out, '\n');
          append_wrapped (out, _("Whereby publishes no fixed IP address ranges: please allow these by domain name, as Whereby's firewall guide says."), "", "");
        }
    }
  g_string_append_c (out, '\n');

  {
    g_autofree char *facts = NULL;
    g_autoptr(CcRequirement) inspection = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (requirements) && inspection == NULL; i++)
      {
        g_autoptr(CcRequirement) req = g_list_model_get_item (requirements, i);

        if (cc_requirement_get_kind (req) == CC_REQUIREMENT_HTTPS_INSPECTION)
          inspection = g_steal_pointer (&req);
      }
    facts = g_strdup_printf (_("This network: proxy %s; HTTPS inspection: %s."),
                             cc_runner_get_proxy (runner),
                             inspection && cc_requirement_get_summary (inspection)
                             ? cc_requirement_get_summary (inspection) : _("not tested"));
    append_wrapped (out, facts, "", "");
  }
  {
    g_autofree char *made = g_strdup_printf (_("Made by Connection Check %s; the full report has every check's address and timings."),
                                             PACKAGE_VERSION);

    append_wrapped (out, made, "", "");
  }

  g_string_free (fails, TRUE);
  g_string_free (allow, TRUE);
  return g_string_free (out, FALSE);
}
