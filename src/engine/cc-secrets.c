/* cc-secrets.c: see cc-secrets.h. Log messages come from any thread (GIO's
 * workers, libnice's), hence the lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cc-secrets.h"

static GMutex secrets_lock;
static GPtrArray *secrets;

void
cc_secrets_add (const char *secret)
{
  if (secret == NULL || *secret == '\0')
    return;

  g_mutex_lock (&secrets_lock);
  if (secrets == NULL)
    secrets = g_ptr_array_new ();
  if (!g_ptr_array_find_with_equal_func (secrets, secret, g_str_equal, NULL))
    {
      /* Longest first, so that a secret inside another is not left half. */
      guint i = 0;

      while (i < secrets->len && strlen (secrets->pdata[i]) >= strlen (secret))
        i++;
      g_ptr_array_insert (secrets, i, g_strdup (secret));
    }
  g_mutex_unlock (&secrets_lock);
}

char *
cc_secrets_redact (const char *text)
{
  GString *out = NULL;

  if (text == NULL)
    return NULL;

  g_mutex_lock (&secrets_lock);
  for (guint i = 0; secrets != NULL && i < secrets->len; i++)
    {
      const char *current = out != NULL ? out->str : text;

      if (strstr (current, secrets->pdata[i]) == NULL)
        continue;
      if (out == NULL)
        out = g_string_new (text);
      g_string_replace (out, secrets->pdata[i], CC_SECRETS_MASK, 0);
    }
  g_mutex_unlock (&secrets_lock);

  return out != NULL ? g_string_free (out, FALSE) : NULL;
}

GLogWriterOutput
cc_secrets_log_writer (GLogLevelFlags   log_level,
                       const GLogField *fields,
                       gsize            n_fields,
                       gpointer         user_data)
{
  g_autofree GLogField *copy = NULL;
  g_autofree char *redacted = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0)
        continue;

      /* A message is a string unless its length says otherwise. */
      if (fields[i].length < 0)
        redacted = cc_secrets_redact (fields[i].value);
      else
        {
          g_autofree char *text = g_strndup (fields[i].value, fields[i].length);

          redacted = cc_secrets_redact (text);
        }
      if (redacted != NULL)
        {
          copy = g_memdup2 (fields, n_fields * sizeof *fields);
          copy[i].value = redacted;
          copy[i].length = -1;
        }
      break;
    }

  return g_log_writer_default (log_level, copy != NULL ? copy : fields, n_fields, user_data);
}

void
cc_secrets_free (char *secret)
{
  if (secret == NULL)
    return;

  /* A memset before free() is a dead store the compiler may drop. */
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

void
cc_secrets_clear (char **secret)
{
  g_return_if_fail (secret != NULL);

  cc_secrets_free (g_steal_pointer (secret));
}
