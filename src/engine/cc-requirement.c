/* cc-requirement.c: a checklist row's state, as properties the GUI can bind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-enums.h"
#include "cc-requirement.h"
#include "cc-util.h"

struct _CcRequirement
{
  GObject     parent_instance;

  CcRequirementKind kind;
  char       *summary;
  char       *hint;
  GListStore *checks;
  GArray     *roles;
  CcStatus    status;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_STATUS,
  PROP_SUMMARY,
  PROP_HINT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (CcRequirement, cc_requirement, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
cc_requirement_finalize (GObject *object)
{
  CcRequirement *self = CC_REQUIREMENT (object);

  g_free (self->summary);
  g_free (self->hint);
  g_clear_object (&self->checks);
  g_array_unref (self->roles);

  G_OBJECT_CLASS (cc_requirement_parent_class)->finalize (object);
}

static void
cc_requirement_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CcRequirement *self = CC_REQUIREMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, cc_requirement_kind_to_id (self->kind));
      break;
    case PROP_TITLE:
      g_value_set_string (value, cc_requirement_kind_get_title (self->kind));
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_requirement_class_init (CcRequirementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cc_requirement_finalize;
  object_class->get_property = cc_requirement_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, CC_TYPE_STATUS, CC_STATUS_PENDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cc_requirement_init (CcRequirement *self)
{
  self->checks = g_list_store_new (CC_TYPE_CHECK);
  self->roles = g_array_new (FALSE, FALSE, sizeof (CcCheckRole));
}

CcRequirement *
cc_requirement_new (CcRequirementKind kind)
{
  CcRequirement *self;

  g_return_val_if_fail (kind < CC_N_REQUIREMENTS, NULL);

  self = g_object_new (CC_TYPE_REQUIREMENT, NULL);
  self->kind = kind;

  return self;
}

CcRequirementKind
cc_requirement_get_kind (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), CC_N_REQUIREMENTS);
  return self->kind;
}

const char *
cc_requirement_get_id (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), NULL);
  return cc_requirement_kind_to_id (self->kind);
}

const char *
cc_requirement_get_title (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), NULL);
  return cc_requirement_kind_get_title (self->kind);
}

CcStatus
cc_requirement_get_status (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), CC_STATUS_PENDING);
  return self->status;
}

const char *
cc_requirement_get_summary (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), NULL);
  return self->summary;
}

const char *
cc_requirement_get_hint (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), NULL);
  return self->hint;
}

GListModel *
cc_requirement_get_checks (CcRequirement *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), NULL);
  return G_LIST_MODEL (self->checks);
}

CcCheckRole
cc_requirement_get_role (CcRequirement *self,
                         guint          position)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT (self), CC_CHECK_ROLE_SUPPORTING);
  g_return_val_if_fail (position < self->roles->len, CC_CHECK_ROLE_SUPPORTING);

  return g_array_index (self->roles, CcCheckRole, position);
}

void
cc_requirement_add_check (CcRequirement *self,
                          CcCheck       *check,
                          CcCheckRole    role)
{
  g_return_if_fail (CC_IS_REQUIREMENT (self));
  g_return_if_fail (CC_IS_CHECK (check));

  g_array_append_val (self->roles, role);
  g_list_store_append (self->checks, check);
}

void
cc_requirement_clear_checks (CcRequirement *self)
{
  g_return_if_fail (CC_IS_REQUIREMENT (self));

  g_array_set_size (self->roles, 0);
  g_list_store_remove_all (self->checks);
  cc_requirement_set_result (self, CC_STATUS_PENDING, NULL, NULL);
}

void
cc_requirement_set_result (CcRequirement *self,
                           CcStatus       status,
                           const char    *summary,
                           const char    *hint)
{
  g_return_if_fail (CC_IS_REQUIREMENT (self));

  g_object_freeze_notify (G_OBJECT (self));

  if (cc_set_str (&self->summary, summary))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
  if (cc_set_str (&self->hint, hint))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}
