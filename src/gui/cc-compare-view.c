/* cc-compare-view.c: shows two earlier runs side by side as a person asks
 * about them: which run is which (time, verdict, network), then per
 * requirement its state before → after (icons and words), the problems (error
 * classes) that are new and those that went away; requirements whose result
 * did not change are listed apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-compare-view.h"
#include "cc-engine.h"
#include "cc-report-view.h"
#include "cc-requirement-row.h"

struct _CcCompareView
{
  AdwBin       parent_instance;

  GtkListBox  *runs_list;
  GtkLabel    *changed_heading;
  GtkListBox  *changed_list;
  GtkLabel    *nothing_label;
  GtkLabel    *unchanged_heading;
  GtkListBox  *unchanged_list;
};

G_DEFINE_FINAL_TYPE (CcCompareView, cc_compare_view, ADW_TYPE_BIN)

static void
status_words (CcStatus     status,
              const char **icon,
              const char **words,
              const char **css)
{
  if (status == CC_STATUS_PENDING)
    {
      /* The requirement was not part of that run (another profile). */
      *icon = "action-unavailable-symbolic";
      *words = _("Not in this run");
      *css = NULL;
      return;
    }
  cc_requirement_row_describe_status (status, icon, words, css);
}

static GtkWidget *
status_image (CcStatus status)
{
  const char *icon, *words, *css;
  GtkWidget *image;

  status_words (status, &icon, &words, &css);
  image = gtk_image_new_from_icon_name (icon);
  gtk_widget_set_tooltip_text (image, words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
  if (css != NULL)
    gtk_widget_add_css_class (image, css);
  return image;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
run_row_new (const char     *label,
             CcHistoryEntry *entry)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  const char *title, *icon, *css;
  g_autofree char *when = cc_report_view_format_when (entry);
  g_autofree char *network = cc_history_entry_describe_network (entry);
  g_autofree char *row_title = g_strdup_printf ("%s: %s", label, when);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped_title = NULL;
  g_autofree char *escaped_subtitle = NULL;
  GtkWidget *image;

  cc_report_view_describe_verdict (cc_history_entry_get_verdict (entry), &title, &icon, &css);
  subtitle = g_strdup_printf ("%s\n%s", title, network);
  escaped_title = g_markup_escape_text (row_title, -1);
  escaped_subtitle = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
  adw_action_row_set_subtitle (row, escaped_subtitle);
  adw_action_row_set_subtitle_lines (row, 0);

  image = gtk_image_new_from_icon_name (icon);
  gtk_image_set_pixel_size (GTK_IMAGE (image), 24);
  gtk_widget_add_css_class (image, "verdict-icon");
  gtk_widget_add_css_class (image, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_prefix (row, image);

  {
    g_autofree char *accessible = g_strdup_printf ("%s: %s. %s, %s", label, when, title, network);
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  }

  return GTK_WIDGET (row);
}

static GtkWidget *
change_row_new (const CcHistoryChange *change)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  const char *before_icon, *before_words, *before_css;
  const char *after_icon, *after_words, *after_css;
  g_autofree char *title = g_markup_escape_text (change->title, -1);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *states, *arrow;

  status_words (change->before, &before_icon, &before_words, &before_css);
  status_words (change->after, &after_icon, &after_words, &after_css);

  if (change->before != change->after)
    /* TRANSLATORS: a requirement's state in the older run → in the newer one */
    g_string_append_printf (text, _("%s → %s"), before_words, after_words);
  else
    /* TRANSLATORS: the state did not change, but its problems did */
    g_string_append_printf (text, _("Still %s"), after_words);

  if (change->new_errors != NULL && change->new_errors[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", change->new_errors);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("New problems: %s"), joined);
    }
  if (change->fixed_errors != NULL && change->fixed_errors[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", change->fixed_errors);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Fixed: %s"), joined);
    }

  escaped = g_markup_escape_text (text->str, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, escaped);
  adw_action_row_set_subtitle_lines (row, 0);

  /* Before → after as icons too; the words above carry the same. */
  states = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_valign (states, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (states), status_image (change->before));
  /* An arrow, not a chevron: these rows lead nowhere. */
  arrow = gtk_label_new (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "←" : "→");
  gtk_accessible_update_property (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_PROPERTY_LABEL, _("then"), -1);
  gtk_widget_add_css_class (arrow, "dim-label");
  gtk_box_append (GTK_BOX (states), arrow);
  gtk_box_append (GTK_BOX (states), status_image (change->after));
  adw_action_row_add_suffix (row, states);

  accessible = g_strdup_printf ("%s: %s", change->title, text->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return GTK_WIDGET (row);
}

static GtkWidget *
unchanged_row_new (const CcHistoryChange *change)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  const char *icon, *words, *css;
  g_autofree char *title = g_markup_escape_text (change->title, -1);
  g_autofree char *escaped = NULL;
  g_autofree char *accessible = NULL;

  status_words (change->after, &icon, &words, &css);
  escaped = g_markup_escape_text (words, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, escaped);
  adw_action_row_add_prefix (row, status_image (change->after));

  accessible = g_strdup_printf ("%s: %s", change->title, words);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return GTK_WIDGET (row);
}

static void
cc_compare_view_dispose (GObject *object)
{
  /* AdwBin unparents its child itself: let it, before the template goes. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), CC_TYPE_COMPARE_VIEW);

  G_OBJECT_CLASS (cc_compare_view_parent_class)->dispose (object);
}

static void
cc_compare_view_class_init (CcCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_compare_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/whereby/ConnectionCheck/cc-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CcCompareView, runs_list);
  gtk_widget_class_bind_template_child (widget_class, CcCompareView, changed_heading);
  gtk_widget_class_bind_template_child (widget_class, CcCompareView, changed_list);
  gtk_widget_class_bind_template_child (widget_class, CcCompareView, nothing_label);
  gtk_widget_class_bind_template_child (widget_class, CcCompareView, unchanged_heading);
  gtk_widget_class_bind_template_child (widget_class, CcCompareView, unchanged_list);
}

static void
cc_compare_view_init (CcCompareView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
cc_compare_view_set_entries (CcCompareView  *self,
                             CcHistoryEntry *before,
                             CcHistoryEntry *after)
{
  g_autoptr(GPtrArray) changes = NULL;
  guint changed = 0, unchanged = 0;

  g_return_if_fail (CC_IS_COMPARE_VIEW (self));
  g_return_if_fail (CC_IS_HISTORY_ENTRY (before));
  g_return_if_fail (CC_IS_HISTORY_ENTRY (after));

  clear_list (self->runs_list);
  clear_list (self->changed_list);
  clear_list (self->unchanged_list);

  gtk_list_box_append (self->runs_list, run_row_new (_("Before"), before));
  gtk_list_box_append (self->runs_list, run_row_new (_("After"), after));

  changes = cc_history_entry_compare (before, after);
  for (guint i = 0; i < changes->len; i++)
    {
      const CcHistoryChange *change = changes->pdata[i];

      if (cc_history_change_is_change (change))
        {
          gtk_list_box_append (self->changed_list, change_row_new (change));
          changed++;
        }
      else
        {
          gtk_list_box_append (self->unchanged_list, unchanged_row_new (change));
          unchanged++;
        }
    }

  gtk_widget_set_visible (GTK_WIDGET (self->changed_list), changed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->nothing_label), changed == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->unchanged_heading), unchanged > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->unchanged_list), unchanged > 0);
}

GtkListBox *
cc_compare_view_get_changed (CcCompareView *self)
{
  g_return_val_if_fail (CC_IS_COMPARE_VIEW (self), NULL);
  return self->changed_list;
}

GtkListBox *
cc_compare_view_get_unchanged (CcCompareView *self)
{
  g_return_val_if_fail (CC_IS_COMPARE_VIEW (self), NULL);
  return self->unchanged_list;
}
