/* cc-report-view.c: renders a stored JSON report (a CcHistoryEntry) as the
 * window showed the run: the verdict with its icon and words, the summary, and
 * one row per requirement with its state (icon and words), its one-line result
 * and, unfolded, its hint and error classes. Nothing here runs a check: it is
 * what the run found then.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-engine.h"
#include "cc-icons.h"
#include "cc-report-view.h"
#include "cc-requirement-row.h"

struct _CcReportView
{
  AdwBin          parent_instance;

  GtkLabel       *when_label;
  GtkBox         *verdict_box;
  GtkImage       *verdict_icon;
  GtkLabel       *verdict_title;
  GtkLabel       *verdict_summary;
  GtkListBox     *requirements_list;

  CcHistoryEntry *entry;
};

G_DEFINE_FINAL_TYPE (CcReportView, cc_report_view, ADW_TYPE_BIN)

static const char * const verdict_classes[] = { "running", "ready", "degraded", "blocked", NULL };

void
cc_report_view_describe_verdict (CcVerdict    verdict,
                                 const char **title,
                                 const char **icon,
                                 const char **css)
{
  switch (verdict)
    {
    case CC_VERDICT_READY:
      *title = _("Ready for Calls");
      *icon = "emblem-ok-symbolic";
      *css = "ready";
      break;
    case CC_VERDICT_DEGRADED:
      *title = _("Calls Work, With Reduced Quality");
      *icon = "dialog-warning-symbolic";
      *css = "degraded";
      break;
    case CC_VERDICT_BLOCKED:
      *title = _("Calls Will Not Work");
      *icon = "dialog-error-symbolic";
      *css = "blocked";
      break;
    case CC_VERDICT_UNKNOWN:
    default:
      *title = _("The Test Was Stopped");
      *icon = "media-playback-stop-symbolic";
      *css = "running";
      break;
    }
}

char *
cc_report_view_format_when (CcHistoryEntry *entry)
{
  GDateTime *started = cc_history_entry_get_started (entry);
  g_autoptr(GDateTime) local = NULL;

  if (started == NULL)
    return g_strdup (_("Unknown time"));

  local = g_date_time_to_local (started);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static GtkWidget *
requirement_row_new (const CcHistoryRequirement *req)
{
  AdwExpanderRow *row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  const char *icon, *words, *css;
  g_autofree char *title = g_markup_escape_text (req->title, -1);
  g_autofree char *summary = g_markup_escape_text (req->summary ? req->summary : "", -1);
  g_autofree char *accessible = NULL;
  GtkWidget *image, *label;
  gboolean details = FALSE;

  cc_icons_use_theme_arrow (row);

  cc_requirement_row_describe_status (req->status, &icon, &words, &css);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (row, summary);

  image = gtk_image_new_from_icon_name (icon ? icon : "action-unavailable-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (image), 24);
  gtk_widget_set_valign (image, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
  adw_expander_row_add_prefix (row, image);

  label = gtk_label_new (words);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "state-label");
  gtk_widget_add_css_class (label, "heading");
  adw_expander_row_add_action (row, label);
  /* The picture and the words in the state's colour, as the checklist's. */
  if (css != NULL)
    {
      gtk_widget_add_css_class (image, css);
      gtk_widget_add_css_class (label, css);
    }

  if (req->hint != NULL)
    {
      AdwActionRow *hint = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *escaped = g_markup_escape_text (req->hint, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (hint), _("What to do"));
      adw_action_row_set_subtitle (hint, escaped);
      adw_action_row_set_subtitle_lines (hint, 0);
      gtk_widget_add_css_class (GTK_WIDGET (hint), "hint-row");
      adw_expander_row_add_row (row, GTK_WIDGET (hint));
      details = TRUE;
    }

  if (req->errors != NULL && req->errors[0] != NULL)
    {
      AdwActionRow *errors = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *joined = g_strjoinv (", ", req->errors);
      g_autofree char *escaped = g_markup_escape_text (joined, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (errors), _("Error classes"));
      adw_action_row_set_subtitle (errors, escaped);
      adw_action_row_set_subtitle_lines (errors, 0);
      adw_expander_row_add_row (row, GTK_WIDGET (errors));
      details = TRUE;
    }

  adw_expander_row_set_enable_expansion (row, details);
  adw_expander_row_set_expanded (row, FALSE);

  accessible = g_strdup_printf ("%s: %s. %s", req->title, words, req->summary ? req->summary : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return GTK_WIDGET (row);
}

static void
cc_report_view_clear (CcReportView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->requirements_list))) != NULL)
    gtk_list_box_remove (self->requirements_list, child);
}

static void
cc_report_view_dispose (GObject *object)
{
  CcReportView *self = CC_REPORT_VIEW (object);

  g_clear_object (&self->entry);
  /* AdwBin unparents its child itself: let it, before the template goes. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_REPORT_VIEW);

  G_OBJECT_CLASS (cc_report_view_parent_class)->dispose (object);
}

static void
cc_report_view_class_init (CcReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_report_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/whereby/ConnectionCheck/cc-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CcReportView, when_label);
  gtk_widget_class_bind_template_child (widget_class, CcReportView, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, CcReportView, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, CcReportView, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, CcReportView, verdict_summary);
  gtk_widget_class_bind_template_child (widget_class, CcReportView, requirements_list);
}

static void
cc_report_view_init (CcReportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
cc_report_view_set_entry (CcReportView   *self,
                          CcHistoryEntry *entry)
{
  const char *title, *icon, *css;
  const char *summary;
  g_autofree char *when = NULL;
  g_autofree char *network = NULL;
  g_autofree char *heading = NULL;
  GPtrArray *requirements;

  g_return_if_fail (CC_IS_REPORT_VIEW (self));
  g_return_if_fail (CC_IS_HISTORY_ENTRY (entry));

  g_set_object (&self->entry, entry);
  cc_report_view_clear (self);

  when = cc_report_view_format_when (entry);
  network = cc_history_entry_describe_network (entry);
  /* TRANSLATORS: a stored run: its time, then its network ("connectivity full, proxy none") */
  heading = g_strdup_printf (_("Test of %s · %s. A stored report: nothing was tested again."), when, network);
  gtk_label_set_text (self->when_label, heading);

  cc_report_view_describe_verdict (cc_history_entry_get_verdict (entry), &title, &icon, &css);
  summary = cc_history_entry_get_summary (entry);
  gtk_label_set_text (self->verdict_title, title);
  gtk_label_set_text (self->verdict_summary, summary ? summary : "");
  gtk_image_set_from_icon_name (self->verdict_icon, icon);
  for (guint i = 0; verdict_classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_box), verdict_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_box), css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->verdict_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary ? summary : "",
                                  -1);

  requirements = cc_history_entry_get_requirements (entry);
  for (guint i = 0; i < requirements->len; i++)
    gtk_list_box_append (self->requirements_list, requirement_row_new (requirements->pdata[i]));
}

CcHistoryEntry *
cc_report_view_get_entry (CcReportView *self)
{
  g_return_val_if_fail (CC_IS_REPORT_VIEW (self), NULL);
  return self->entry;
}

GtkListBox *
cc_report_view_get_list (CcReportView *self)
{
  g_return_val_if_fail (CC_IS_REPORT_VIEW (self), NULL);
  return self->requirements_list;
}

const char *
cc_report_view_get_verdict_title (CcReportView *self)
{
  g_return_val_if_fail (CC_IS_REPORT_VIEW (self), NULL);
  return gtk_label_get_text (self->verdict_title);
}

void
cc_report_view_focus (CcReportView *self)
{
  GtkListBoxRow *first;

  g_return_if_fail (CC_IS_REPORT_VIEW (self));

  /* Not the selectable summary: focused, its whole text shows selected. */
  first = gtk_list_box_get_row_at_index (self->requirements_list, 0);
  gtk_label_select_region (self->verdict_summary, 0, 0);
  /* An expander row takes the focus in its header, a child of the row. */
  if (first != NULL && !gtk_widget_grab_focus (GTK_WIDGET (first)))
    gtk_widget_child_focus (GTK_WIDGET (first), GTK_DIR_TAB_FORWARD);
}
