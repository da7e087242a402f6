/* cc-history-entry.c: reads a stored JSON report (schema 1) back. Only what
 * the list, the read-only view and the comparison need is kept; anything that
 * is not a report of schema 1 is refused with a sentence saying why, so that a
 * damaged or foreign file is skipped, never trusted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cc-history-entry.h"
#include "cc-report.h"

struct _CcHistoryEntry
{
  GObject     parent_instance;

  char       *id;
  GDateTime  *started;
  CcVerdict   verdict;
  char       *summary;
  char       *profile;
  char       *connectivity;
  char       *proxy;
  GPtrArray  *requirements;
};

G_DEFINE_FINAL_TYPE (CcHistoryEntry, cc_history_entry, G_TYPE_OBJECT)

static void
history_requirement_free (CcHistoryRequirement *req)
{
  g_free (req->id);
  g_free (req->title);
  g_free (req->summary);
  g_free (req->hint);
  g_strfreev (req->errors);
  g_free (req);
}

void
cc_history_change_free (CcHistoryChange *change)
{
  g_free (change->id);
  g_free (change->title);
  g_strfreev (change->new_errors);
  g_strfreev (change->fixed_errors);
  g_free (change);
}

static CcVerdict
verdict_from_string (const char *text)
{
  for (CcVerdict v = CC_VERDICT_UNKNOWN; v <= CC_VERDICT_BLOCKED; v++)
    if (g_strcmp0 (text, cc_verdict_to_string (v)) == 0)
      return v;
  return CC_VERDICT_UNKNOWN;
}

/* The report only ever writes pass, warn, fail and skip. */
static gboolean
status_from_string (const char *text,
                    CcStatus   *status)
{
  for (CcStatus s = CC_STATUS_PASS; s <= CC_STATUS_SKIP; s++)
    if (g_strcmp0 (text, cc_status_to_string (s)) == 0)
      {
        *status = s;
        return TRUE;
      }
  return FALSE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GStrv
collect_errors (JsonObject *requirement)
{
  JsonNode *node = json_object_get_member (requirement, "checks");
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  JsonArray *checks;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      checks = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (checks); i++)
        {
          JsonNode *check = json_array_get_element (checks, i);
          const char *error;
          gboolean seen = FALSE;

          if (!JSON_NODE_HOLDS_OBJECT (check))
            continue;
          error = member_string (json_node_get_object (check), "error");
          if (error == NULL)
            continue;
          for (guint j = 0; j < errors->len && !seen; j++)
            seen = g_str_equal (errors->pdata[j], error);
          if (!seen)
            g_ptr_array_add (errors, g_strdup (error));
        }
    }

  g_ptr_array_sort (errors, compare_strings);
  g_ptr_array_add (errors, NULL);
  return (GStrv) g_ptr_array_steal (errors, NULL);
}

static gboolean
not_a_report (const char  *id,
              const char  *why,
              GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("%s is not a report of schema 1 (%s)"), id, why);
  return FALSE;
}

static gboolean
cc_history_entry_parse (CcHistoryEntry  *self,
                        JsonNode        *root,
                        GError         **error)
{
  JsonObject *object, *network;
  JsonNode *node;
  JsonArray *requirements;
  const char *started;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return not_a_report (self->id, _("not a JSON object"), error);
  object = json_node_get_object (root);

  node = json_object_get_member (object, "schema");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) != CC_REPORT_SCHEMA)
    return not_a_report (self->id, _("another schema"), error);

  self->verdict = verdict_from_string (member_string (object, "verdict"));
  if (member_string (object, "verdict") == NULL)
    return not_a_report (self->id, _("no verdict"), error);

  self->summary = g_strdup (member_string (object, "summary"));
  self->profile = g_strdup (member_string (object, "profile"));
  started = member_string (object, "started");
  if (started != NULL)
    self->started = g_date_time_new_from_iso8601 (started, NULL);

  node = json_object_get_member (object, "network");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      network = json_node_get_object (node);
      self->connectivity = g_strdup (member_string (network, "connectivity"));
      self->proxy = g_strdup (member_string (network, "proxy"));
    }

  node = json_object_get_member (object, "requirements");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return not_a_report (self->id, _("no requirements"), error);
  requirements = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (requirements); i++)
    {
      JsonNode *element = json_array_get_element (requirements, i);
      JsonObject *req;
      CcHistoryRequirement *hreq;
      CcStatus status;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return not_a_report (self->id, _("a requirement is not an object"), error);
      req = json_node_get_object (element);
      if (member_string (req, "id") == NULL || !status_from_string (member_string (req, "status"), &status))
        return not_a_report (self->id, _("a requirement without an id or a status"), error);

      hreq = g_new0 (CcHistoryRequirement, 1);
      hreq->id = g_strdup (member_string (req, "id"));
      hreq->title = g_strdup (member_string (req, "title") ? member_string (req, "title") : hreq->id);
      hreq->status = status;
      hreq->summary = g_strdup (member_string (req, "summary"));
      hreq->hint = g_strdup (member_string (req, "hint"));
      hreq->errors = collect_errors (req);
      g_ptr_array_add (self->requirements, hreq);
    }

  return TRUE;
}

static void
cc_history_entry_finalize (GObject *object)
{
  CcHistoryEntry *self = CC_HISTORY_ENTRY (object);

  g_free (self->id);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_free (self->summary);
  g_free (self->profile);
  g_free (self->connectivity);
  g_free (self->proxy);
  g_ptr_array_unref (self->requirements);

  G_OBJECT_CLASS (cc_history_entry_parent_class)->finalize (object);
}

static void
cc_history_entry_class_init (CcHistoryEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_history_entry_finalize;
}

static void
cc_history_entry_init (CcHistoryEntry *self)
{
  self->requirements = g_ptr_array_new_with_free_func ((GDestroyNotify) history_requirement_free);
}

CcHistoryEntry *
cc_history_entry_new_from_data (const char  *id,
                                const char  *json,
                                gssize       length,
                                GError     **error)
{
  g_autoptr(CcHistoryEntry) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (json != NULL, NULL);

  self = g_object_new (CC_TYPE_HISTORY_ENTRY, NULL);
  self->id = g_strdup (id);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", id, local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      not_a_report (id, _("empty"), error);
      return NULL;
    }

  if (!cc_history_entry_parse (self, json_parser_get_root (parser), error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cc_history_entry_get_id (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->id;
}

GDateTime *
cc_history_entry_get_started (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->started;
}

CcVerdict
cc_history_entry_get_verdict (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), CC_VERDICT_UNKNOWN);
  return self->verdict;
}

const char *
cc_history_entry_get_summary (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->summary;
}

const char *
cc_history_entry_get_profile (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->profile;
}

const char *
cc_history_entry_get_connectivity (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->connectivity;
}

const char *
cc_history_entry_get_proxy (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->proxy;
}

char *
cc_history_entry_describe_network (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);

  /* TRANSLATORS: the values are the report's untranslated ids ("full",
   * "none", a proxy's address). GIO knows no network's name. */
  return g_strdup_printf (_("connectivity %s, proxy %s"),
                          self->connectivity ? self->connectivity : "-",
                          self->proxy ? self->proxy : "-");
}

GPtrArray *
cc_history_entry_get_requirements (CcHistoryEntry *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (self), NULL);
  return self->requirements;
}

static const CcHistoryRequirement *
find_requirement (CcHistoryEntry *entry,
                  const char     *id)
{
  for (guint i = 0; i < entry->requirements->len; i++)
    {
      const CcHistoryRequirement *req = entry->requirements->pdata[i];

      if (g_str_equal (req->id, id))
        return req;
    }
  return NULL;
}

/* The strings of @a that @b lacks. */
static GStrv
strv_minus (const char * const *a,
            const char * const *b)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; a != NULL && a[i] != NULL; i++)
    if (b == NULL || !g_strv_contains (b, a[i]))
      g_strv_builder_add (builder, a[i]);
  return g_strv_builder_end (builder);
}

static CcHistoryChange *
change_new (const CcHistoryRequirement *before,
            const CcHistoryRequirement *after)
{
  CcHistoryChange *change = g_new0 (CcHistoryChange, 1);
  const CcHistoryRequirement *any = after ? after : before;
  const char * const *before_errors = before ? (const char * const *) before->errors : NULL;
  const char * const *after_errors = after ? (const char * const *) after->errors : NULL;

  change->id = g_strdup (any->id);
  change->title = g_strdup (any->title);
  change->before = before ? before->status : CC_STATUS_PENDING;
  change->after = after ? after->status : CC_STATUS_PENDING;
  change->new_errors = strv_minus (after_errors, before_errors);
  change->fixed_errors = strv_minus (before_errors, after_errors);
  return change;
}

GPtrArray *
cc_history_entry_compare (CcHistoryEntry *before,
                          CcHistoryEntry *after)
{
  GPtrArray *changes;

  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (before), NULL);
  g_return_val_if_fail (CC_IS_HISTORY_ENTRY (after), NULL);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cc_history_change_free);
  for (guint i = 0; i < after->requirements->len; i++)
    {
      const CcHistoryRequirement *req = after->requirements->pdata[i];

      g_ptr_array_add (changes, change_new (find_requirement (before, req->id), req));
    }
  for (guint i = 0; i < before->requirements->len; i++)
    {
      const CcHistoryRequirement *req = before->requirements->pdata[i];

      if (find_requirement (after, req->id) == NULL)
        g_ptr_array_add (changes, change_new (req, NULL));
    }

  return changes;
}

gboolean
cc_history_change_is_change (const CcHistoryChange *change)
{
  g_return_val_if_fail (change != NULL, FALSE);

  return change->before != change->after ||
         (change->new_errors != NULL && change->new_errors[0] != NULL) ||
         (change->fixed_errors != NULL && change->fixed_errors[0] != NULL);
}
