/* cc-requirement-row.c: shows a requirement's state with an icon *and* words,
 * its one-line result as the subtitle, and, expanded, every check with its
 * target, transport, address, timing and measurements, and the hint with a button
 * that copies it for IT. It follows the requirement's notifications; it never
 * runs anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-engine.h"
#include "cc-icons.h"
#include "cc-requirement-row.h"
#include "cc-spinner.h"

struct _CcRequirementRow
{
  AdwExpanderRow  parent_instance;

  GtkLabel       *state_label;

  CcRequirement  *requirement;
  GPtrArray      *detail_rows;
};

G_DEFINE_FINAL_TYPE (CcRequirementRow, cc_requirement_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_REQUIREMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
cc_requirement_row_describe_status (CcStatus     status,
                                    const char **icon,
                                    const char **words,
                                    const char **css)
{
  switch (status)
    {
    case CC_STATUS_PASS:
      *icon = "emblem-ok-symbolic";
      *words = _("Passed");
      *css = "pass";
      break;
    case CC_STATUS_WARN:
      *icon = "dialog-warning-symbolic";
      *words = _("Problem");
      *css = "warn";
      break;
    case CC_STATUS_FAIL:
      *icon = "dialog-error-symbolic";
      *words = _("Blocked");
      *css = "fail";
      break;
    case CC_STATUS_SKIP:
      *icon = "action-unavailable-symbolic";
      *words = _("Not tested");
      *css = "skip";
      break;
    case CC_STATUS_RUNNING:
    case CC_STATUS_PENDING:
    default:
      *icon = NULL;
      *words = _("Testing…");
      *css = NULL;
      break;
    }
}

/* The template's closures (cc-requirement-row.ui). */
static char *
escaped (CcRequirementRow *self,
         const char       *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

static char *
state_page (CcRequirementRow *self,
            CcStatus          status)
{
  const char *icon, *words, *css;

  cc_requirement_row_describe_status (status, &icon, &words, &css);
  return g_strdup (icon != NULL ? "icon" : "spinner");
}

static gboolean
state_spinning (CcRequirementRow *self,
                CcStatus          status)
{
  const char *icon, *words, *css;

  cc_requirement_row_describe_status (status, &icon, &words, &css);
  return icon == NULL;
}

static char *
state_icon (CcRequirementRow *self,
            CcStatus          status)
{
  const char *icon, *words, *css;

  cc_requirement_row_describe_status (status, &icon, &words, &css);
  return g_strdup (icon);
}

static char *
state_words (CcRequirementRow *self,
             CcStatus          status)
{
  const char *icon, *words, *css;

  cc_requirement_row_describe_status (status, &icon, &words, &css);
  return g_strdup (words);
}

/* The state's CSS class (style.css colours the picture and the words by it),
 * after @fixed ("" for none). */
static GStrv
state_classes (CcRequirementRow *self,
               const char       *fixed,
               CcStatus          status)
{
  const char *icon, *words, *css;
  g_autoptr(GStrvBuilder) classes = g_strv_builder_new ();

  cc_requirement_row_describe_status (status, &icon, &words, &css);
  if (fixed[0] != '\0')
    {
      g_auto(GStrv) split = g_strsplit (fixed, " ", -1);

      g_strv_builder_addv (classes, (const char **) split);
    }
  if (css != NULL)
    g_strv_builder_add (classes, css);
  return g_strv_builder_end (classes);
}

static void
set_escaped_subtitle (AdwActionRow *row,
                      const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

static char *
check_description (CcCheck *check)
{
  GString *text = g_string_new (NULL);

  if (cc_check_get_detail (check) != NULL)
    g_string_append (text, cc_check_get_detail (check));
  if (cc_check_get_address (check) != NULL)
    g_string_append_printf (text, "\n%s %s", _("Address:"), cc_check_get_address (check));
  if (cc_check_get_tls_issuer (check) != NULL)
    g_string_append_printf (text, "\n%s %s", _("Certificate issuer:"), cc_check_get_tls_issuer (check));
  if (cc_check_get_rtt_ms (check) >= 0)
    g_string_append_printf (text, "\n%s %.1f ms", _("Round trip:"), cc_check_get_rtt_ms (check));
  if (cc_check_get_jitter_ms (check) >= 0)
    g_string_append_printf (text, ", %s %.1f ms", _("jitter:"), cc_check_get_jitter_ms (check));
  if (cc_check_get_loss_pct (check) >= 0)
    g_string_append_printf (text, ", %s %.1f %%", _("loss:"), cc_check_get_loss_pct (check));
  if (cc_check_get_error (check) != CC_ERROR_NONE)
    g_string_append_printf (text, "\n%s %s", _("Error class:"), cc_error_to_string (cc_check_get_error (check)));
  g_string_append_printf (text, "\n%s %" G_GINT64_FORMAT " ms", _("Took:"), cc_check_get_duration_ms (check));

  return g_string_free (text, FALSE);
}

static void
clear_details (CcRequirementRow *self)
{
  for (guint i = 0; i < self->detail_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->detail_rows->pdata[i]);
  g_ptr_array_set_size (self->detail_rows, 0);
}

static void
add_detail (CcRequirementRow *self,
            GtkWidget        *row)
{
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  g_ptr_array_add (self->detail_rows, row);
}

static void
rebuild_details (CcRequirementRow *self)
{
  GListModel *checks = cc_requirement_get_checks (self->requirement);
  const char *hint = cc_requirement_get_hint (self->requirement);

  clear_details (self);

  if (hint != NULL)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Copy _Request for IT"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("What to do"));
      set_escaped_subtitle (row, hint);
      adw_action_row_set_subtitle_lines (row, 0);
      gtk_widget_add_css_class (GTK_WIDGET (row), "hint-row");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.copy-hint");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s",
                                        cc_requirement_get_id (self->requirement));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the request for IT"),
                                      -1);
      adw_action_row_add_suffix (row, button);
      add_detail (self, GTK_WIDGET (row));
    }

  for (guint i = 0; i < g_list_model_get_n_items (checks); i++)
    {
      g_autoptr(CcCheck) check = g_list_model_get_item (checks, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *title = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *description = check_description (check);
      const char *icon, *words, *css;
      GtkWidget *image;

      cc_requirement_row_describe_status (cc_check_get_status (check), &icon, &words, &css);
      if (cc_check_get_transport (check) != NULL)
        title = g_strdup_printf ("%s · %s (%s)", cc_check_get_kind (check),
                                 cc_check_get_target (check), cc_check_get_transport (check));
      else
        title = g_strdup_printf ("%s · %s", cc_check_get_kind (check), cc_check_get_target (check));
      escaped = g_markup_escape_text (title, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
      set_escaped_subtitle (row, description);
      adw_action_row_set_subtitle_lines (row, 0);

      image = gtk_image_new_from_icon_name (icon ? icon : "content-loading-symbolic");
      gtk_widget_set_tooltip_text (image, words);
      gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
      if (css != NULL)
        gtk_widget_add_css_class (image, css);
      adw_action_row_add_prefix (row, image);
      gtk_widget_add_css_class (GTK_WIDGET (row), "check-row");
      add_detail (self, GTK_WIDGET (row));
    }
}

static void
cc_requirement_row_update (CcRequirementRow *self)
{
  CcStatus status = cc_requirement_get_status (self->requirement);
  const char *summary = cc_requirement_get_summary (self->requirement);
  const char *icon, *words, *css;
  g_autofree char *accessible = NULL;
  g_autofree char *subtitle = NULL;

  /* The picture, words and their CSS class are bound in the template; the
   * subtitle, the details and the accessible label are set here. */
  cc_requirement_row_describe_status (status, &icon, &words, &css);
  subtitle = escaped (self, summary);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  if (icon != NULL)
    {
      /* Details are built when someone unfolds the row: results arrive in
       * bursts, and building rows nobody looks at would stall the main loop. */
      clear_details (self);
      if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
        rebuild_details (self);
    }
  else
    clear_details (self);

  /* Enabling expansion also expands the row; results start folded, the
   * technical detail one click away. */
  if (adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self)) != (icon != NULL))
    {
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), icon != NULL);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), FALSE);
    }

  accessible = g_strdup_printf ("%s: %s. %s", cc_requirement_get_title (self->requirement),
                                words, summary ? summary : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
requirement_notify_cb (CcRequirementRow *self)
{
  cc_requirement_row_update (self);
}

static void
expanded_cb (CcRequirementRow *self)
{
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)) && self->detail_rows->len == 0 &&
      adw_expander_row_get_enable_expansion (ADW_EXPANDER_ROW (self)))
    rebuild_details (self);
}

static void
cc_requirement_row_dispose (GObject *object)
{
  CcRequirementRow *self = CC_REQUIREMENT_ROW (object);

  if (self->requirement != NULL)
    g_signal_handlers_disconnect_by_data (self->requirement, self);
  g_clear_object (&self->requirement);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_REQUIREMENT_ROW);

  G_OBJECT_CLASS (cc_requirement_row_parent_class)->dispose (object);
}

static void
cc_requirement_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CcRequirementRow *self = CC_REQUIREMENT_ROW (object);

  switch (prop_id)
    {
    case PROP_REQUIREMENT:
      g_value_set_object (value, self->requirement);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_requirement_row_class_init (CcRequirementRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_requirement_row_dispose;
  object_class->get_property = cc_requirement_row_get_property;

  /* The template's bindings follow it; set once, by cc_requirement_row_new(). */
  properties[PROP_REQUIREMENT] =
    g_param_spec_object ("requirement", NULL, NULL, CC_TYPE_REQUIREMENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CC_TYPE_SPINNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/whereby/ConnectionCheck/cc-requirement-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CcRequirementRow, state_label);
  gtk_widget_class_bind_template_callback (widget_class, state_page);
  gtk_widget_class_bind_template_callback (widget_class, state_spinning);
  gtk_widget_class_bind_template_callback (widget_class, state_icon);
  gtk_widget_class_bind_template_callback (widget_class, state_words);
  gtk_widget_class_bind_template_callback (widget_class, state_classes);
}

static void
cc_requirement_row_init (CcRequirementRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cc_icons_use_theme_arrow (ADW_EXPANDER_ROW (self));
  self->detail_rows = g_ptr_array_new ();
}

CcRequirementRow *
cc_requirement_row_new (CcRequirement *requirement)
{
  CcRequirementRow *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (CC_IS_REQUIREMENT (requirement), NULL);

  self = g_object_new (CC_TYPE_REQUIREMENT_ROW, NULL);
  self->requirement = g_object_ref (requirement);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUIREMENT]);
  title = escaped (self, cc_requirement_get_title (requirement));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  g_signal_connect_swapped (requirement, "notify::status", G_CALLBACK (requirement_notify_cb), self);
  g_signal_connect_swapped (requirement, "notify::summary", G_CALLBACK (requirement_notify_cb), self);
  g_signal_connect_swapped (self, "notify::expanded", G_CALLBACK (expanded_cb), self);
  cc_requirement_row_update (self);

  return self;
}

CcRequirement *
cc_requirement_row_get_requirement (CcRequirementRow *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT_ROW (self), NULL);
  return self->requirement;
}

const char *
cc_requirement_row_get_state_text (CcRequirementRow *self)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT_ROW (self), NULL);
  return gtk_label_get_text (self->state_label);
}

gboolean
cc_requirement_row_state_has_class (CcRequirementRow *self,
                                    const char       *css)
{
  g_return_val_if_fail (CC_IS_REQUIREMENT_ROW (self), FALSE);
  return gtk_widget_has_css_class (GTK_WIDGET (self->state_label), css);
}
