/* cc-note-check.c: see cc-note-check.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-check-private.h"
#include "cc-note-check.h"

struct _CcNoteCheck
{
  CcCheck  parent_instance;

  char    *note;
};

G_DEFINE_FINAL_TYPE (CcNoteCheck, cc_note_check, CC_TYPE_CHECK)

static void
cc_note_check_start (CcCheck      *check,
                     GCancellable *cancellable)
{
  CcNoteCheck *self = CC_NOTE_CHECK (check);

  cc_check_skip (check, self->note);
}

static void
cc_note_check_finalize (GObject *object)
{
  CcNoteCheck *self = CC_NOTE_CHECK (object);

  g_free (self->note);

  G_OBJECT_CLASS (cc_note_check_parent_class)->finalize (object);
}

static void
cc_note_check_class_init (CcNoteCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CcCheckClass *check_class = CC_CHECK_CLASS (klass);

  object_class->finalize = cc_note_check_finalize;
  check_class->start = cc_note_check_start;
}

static void
cc_note_check_init (CcNoteCheck *self)
{
}

CcCheck *
cc_note_check_new (CcCheckKind  kind,
                   const char  *target,
                   const char  *detail)
{
  CcNoteCheck *self = g_object_new (CC_TYPE_NOTE_CHECK, NULL);

  cc_check_set_kind (CC_CHECK (self), kind);
  cc_check_set_target (CC_CHECK (self), target);
  self->note = g_strdup (detail);

  return CC_CHECK (self);
}
