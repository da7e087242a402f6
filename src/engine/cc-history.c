/* cc-history.c: keeps the JSON reports of earlier runs in the user's data
 * folder, one file per run named by the time it was stored (so that names sort
 * as runs do), and reads them back as a list model. Reports hold addresses:
 * the folder is the user's only (0700), every file too (0600). Reading and
 * writing happen in threads for the window; the model changes only on the
 * thread that owns it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cc-history.h"

#define CC_HISTORY_SUFFIX ".json"
/* Two runs stored in the same microsecond: try the next one. */
#define CC_HISTORY_NAME_ATTEMPTS 16

struct _CcHistory
{
  GObject     parent_instance;

  char       *directory;
  GPtrArray  *entries;      /* CcHistoryEntry, newest first */
  GStrv       problems;
};

static void cc_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CcHistory, cc_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cc_history_list_model_init))

typedef struct
{
  GPtrArray  *entries;
  GStrv       problems;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->entries, g_ptr_array_unref);
  g_strfreev (result->problems);
  g_free (result);
}

static GType
cc_history_get_item_type (GListModel *model)
{
  return CC_TYPE_HISTORY_ENTRY;
}

static guint
cc_history_get_n_items (GListModel *model)
{
  return CC_HISTORY (model)->entries->len;
}

static gpointer
cc_history_get_item (GListModel *model,
                     guint       position)
{
  CcHistory *self = CC_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (self->entries->pdata[position]);
}

static void
cc_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cc_history_get_item_type;
  iface->get_n_items = cc_history_get_n_items;
  iface->get_item = cc_history_get_item;
}

static int
compare_names_newest_first (gconstpointer a,
                            gconstpointer b)
{
  return -g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The stored reports' file names, newest first. */
static GPtrArray *
list_names (const char    *directory,
            GError       **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (directory, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&names);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_str_has_suffix (name, CC_HISTORY_SUFFIX))
      g_ptr_array_add (names, g_strdup (name));

  g_ptr_array_sort (names, compare_names_newest_first);
  return g_steal_pointer (&names);
}

static CcHistoryEntry *
read_entry (const char  *directory,
            const char  *name,
            GError     **error)
{
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (info == NULL)
    return NULL;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > CC_HISTORY_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: not a regular file of at most 1 MiB"), path);
      return NULL;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;

  /* Grown since it was looked at. */
  if (length > CC_HISTORY_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: not a regular file of at most 1 MiB"), path);
      return NULL;
    }

  return cc_history_entry_new_from_data (name, contents, length, error);
}

static LoadResult *
load_directory (const char    *directory,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GPtrArray) names = list_names (directory, error);
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();
  LoadResult *result;

  if (names == NULL)
    return NULL;

  result = g_new0 (LoadResult, 1);
  result->entries = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      CcHistoryEntry *entry;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          load_result_free (result);
          return NULL;
        }

      entry = read_entry (directory, names->pdata[i], &local_error);
      if (entry != NULL)
        g_ptr_array_add (result->entries, entry);
      else
        {
          g_debug ("history: skipped %s: %s", (char *) names->pdata[i], local_error->message);
          g_strv_builder_add (problems, local_error->message);
        }
    }

  result->problems = g_strv_builder_end (problems);
  return result;
}

static void
cc_history_apply (CcHistory  *self,
                  LoadResult *result)
{
  guint removed = self->entries->len;

  g_ptr_array_unref (self->entries);
  self->entries = g_steal_pointer (&result->entries);
  g_strfreev (self->problems);
  self->problems = g_steal_pointer (&result->problems);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->entries->len);
}

/* Creates the folder (0700) and makes sure an older one is private too. */
static gboolean
ensure_directory (const char  *directory,
                  GError     **error)
{
  if (g_mkdir_with_parents (directory, 0700) != 0 || g_chmod (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", directory, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static char *
name_for_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *seconds = g_date_time_format (time, "%Y%m%dT%H%M%S");

  return g_strdup_printf ("%s.%06dZ%s", seconds, (int) (usec % G_USEC_PER_SEC), CC_HISTORY_SUFFIX);
}

/* Removes the oldest reports beyond the limit. */
static void
prune (const char *directory)
{
  g_autoptr(GPtrArray) names = list_names (directory, NULL);

  for (guint i = CC_HISTORY_MAX_ENTRIES; names != NULL && i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (directory, names->pdata[i], NULL);

      if (g_unlink (path) != 0)
        g_debug ("history: could not remove %s: %s", path, g_strerror (errno));
    }
}

char *
cc_history_add (CcHistory   *self,
                const char  *json,
                GError     **error)
{
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (CC_IS_HISTORY (self), NULL);
  g_return_val_if_fail (json != NULL, NULL);

  if (strlen (json) > CC_HISTORY_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The report is too large to keep (more than 1 MiB)."));
      return NULL;
    }

  if (!ensure_directory (self->directory, error))
    return NULL;

  for (guint attempt = 0; attempt < CC_HISTORY_NAME_ATTEMPTS; attempt++)
    {
      g_autofree char *name = name_for_time (now + attempt);
      g_autofree char *path = g_build_filename (self->directory, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileOutputStream) stream = NULL;
      g_autoptr(GError) local_error = NULL;

      /* A new file only (never one that is there already), private. */
      stream = g_file_create (file, G_FILE_CREATE_PRIVATE, NULL, &local_error);
      if (stream == NULL && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        continue;
      if (stream == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), json, strlen (json), NULL, NULL, error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
        {
          g_file_delete (file, NULL, NULL);
          return NULL;
        }

      prune (self->directory);
      return g_steal_pointer (&name);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s: %s", self->directory, g_strerror (EEXIST));
  return NULL;
}

static void
add_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  char *id = cc_history_add (source_object, task_data, &error);

  if (id != NULL)
    g_task_return_pointer (task, id, g_free);
  else
    g_task_return_error (task, error);
}

void
cc_history_add_async (CcHistory           *self,
                      const char          *json,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CC_IS_HISTORY (self));
  g_return_if_fail (json != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_history_add_async);
  g_task_set_task_data (task, g_strdup (json), g_free);
  g_task_run_in_thread (task, add_thread);
}

char *
cc_history_add_finish (CcHistory     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
cc_history_load (CcHistory     *self,
                 GCancellable  *cancellable,
                 GError       **error)
{
  LoadResult *result;

  g_return_val_if_fail (CC_IS_HISTORY (self), FALSE);

  result = load_directory (self->directory, cancellable, error);
  if (result == NULL)
    return FALSE;

  cc_history_apply (self, result);
  load_result_free (result);
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  LoadResult *result = load_directory (task_data, cancellable, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, (GDestroyNotify) load_result_free);
  else
    g_task_return_error (task, error);
}

/* Back on the model's thread: the model changes here only. */
static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  LoadResult *loaded = g_task_propagate_pointer (G_TASK (result), &error);

  if (loaded == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  cc_history_apply (CC_HISTORY (object), loaded);
  load_result_free (loaded);
  g_task_return_boolean (task, TRUE);
}

void
cc_history_load_async (CcHistory           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) thread_task = NULL;

  g_return_if_fail (CC_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cc_history_load_async);

  thread_task = g_task_new (self, cancellable, load_done_cb, task);
  g_task_set_task_data (thread_task, g_strdup (self->directory), g_free);
  g_task_run_in_thread (thread_task, load_thread);
}

gboolean
cc_history_load_finish (CcHistory     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char * const *
cc_history_get_problems (CcHistory *self)
{
  g_return_val_if_fail (CC_IS_HISTORY (self), NULL);
  return (const char * const *) self->problems;
}

CcHistoryEntry *
cc_history_lookup (CcHistory  *self,
                   const char *id)
{
  g_return_val_if_fail (CC_IS_HISTORY (self), NULL);

  for (guint i = 0; id != NULL && i < self->entries->len; i++)
    if (g_str_equal (cc_history_entry_get_id (self->entries->pdata[i]), id))
      return self->entries->pdata[i];
  return NULL;
}

char *
cc_history_get_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "connection-check", "history", NULL);
}

static void
cc_history_finalize (GObject *object)
{
  CcHistory *self = CC_HISTORY (object);

  g_free (self->directory);
  g_ptr_array_unref (self->entries);
  g_strfreev (self->problems);

  G_OBJECT_CLASS (cc_history_parent_class)->finalize (object);
}

static void
cc_history_class_init (CcHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_history_finalize;
}

static void
cc_history_init (CcHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_new0 (char *, 1);
}

CcHistory *
cc_history_new (const char *directory)
{
  CcHistory *self = g_object_new (CC_TYPE_HISTORY, NULL);

  self->directory = directory ? g_strdup (directory) : cc_history_get_default_directory ();
  return self;
}

const char *
cc_history_get_directory (CcHistory *self)
{
  g_return_val_if_fail (CC_IS_HISTORY (self), NULL);
  return self->directory;
}
