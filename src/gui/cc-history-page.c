/* cc-history-page.c: lists the earlier runs the history keeps (newest first):
 * when, the verdict (icon and words) and the network as the report describes
 * it. Activating a row opens the run as it was (win.open-report); ticking two
 * runs and "Compare" shows what changed (win.compare-reports). Files the
 * history skipped are counted in a note, so that nothing disappears silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-engine.h"
#include "cc-history-page.h"
#include "cc-report-view.h"

/* Comparing is between two runs: ticking a third unticks the first. */
#define CC_HISTORY_COMPARE_COUNT 2

struct _CcHistoryPage
{
  AdwBin       parent_instance;

  GtkStack    *stack;
  GtkListBox  *list;
  GtkBox      *problems_box;
  GtkLabel    *problems_label;
  GtkLabel    *selection_label;
  GtkButton   *compare_button;

  CcHistory   *history;
  GPtrArray   *selected;      /* ids, in the order they were ticked */
};

G_DEFINE_FINAL_TYPE (CcHistoryPage, cc_history_page, ADW_TYPE_BIN)

static void
cc_history_page_update_selection (CcHistoryPage *self)
{
  gboolean ready = self->selected->len == CC_HISTORY_COMPARE_COUNT;

  gtk_widget_set_sensitive (GTK_WIDGET (self->compare_button), ready);
  gtk_label_set_text (self->selection_label,
                      ready ? _("Two runs selected.")
                            : _("Tick two runs to see what changed between them, or open one to see it as it was."));
}

static gboolean
is_selected (CcHistoryPage *self,
             const char    *id,
             guint         *index)
{
  for (guint i = 0; i < self->selected->len; i++)
    if (g_str_equal (self->selected->pdata[i], id))
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }
  return FALSE;
}

static GtkCheckButton *
row_check (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "cc-check");
}

static void
check_toggled_cb (GtkCheckButton *check,
                  CcHistoryPage  *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "cc-id");
  guint index;

  if (gtk_check_button_get_active (check))
    {
      if (is_selected (self, id, NULL))
        return;
      g_ptr_array_add (self->selected, g_strdup (id));
      /* Untick the oldest choice; its toggled handler updates the list. */
      if (self->selected->len > CC_HISTORY_COMPARE_COUNT)
        {
          const char *first = self->selected->pdata[0];

          for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list));
               row != NULL; row = gtk_widget_get_next_sibling (row))
            {
              GtkCheckButton *other = row_check (row);

              if (other != NULL && g_strcmp0 (g_object_get_data (G_OBJECT (other), "cc-id"), first) == 0)
                {
                  gtk_check_button_set_active (other, FALSE);
                  break;
                }
            }
          if (is_selected (self, first, &index))
            g_ptr_array_remove_index (self->selected, index);
        }
    }
  else if (is_selected (self, id, &index))
    g_ptr_array_remove_index (self->selected, index);

  cc_history_page_update_selection (self);
}

static void
row_activated_cb (AdwActionRow  *row,
                  CcHistoryPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "cc-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-report", "s", id);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CcHistoryPage *self = user_data;
  CcHistoryEntry *entry = CC_HISTORY_ENTRY (item);
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  const char *title, *icon, *css;
  const char *id = cc_history_entry_get_id (entry);
  g_autofree char *when = cc_report_view_format_when (entry);
  g_autofree char *network = cc_history_entry_describe_network (entry);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *check_label = NULL;
  GtkWidget *check, *image, *next;

  cc_report_view_describe_verdict (cc_history_entry_get_verdict (entry), &title, &icon, &css);

  escaped = g_markup_escape_text (when, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  g_clear_pointer (&escaped, g_free);
  subtitle = g_strdup_printf ("%s\n%s", title, network);
  escaped = g_markup_escape_text (subtitle, -1);
  adw_action_row_set_subtitle (row, escaped);
  adw_action_row_set_subtitle_lines (row, 0);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "cc-id", g_strdup (id), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (row_activated_cb), self, 0);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  check_label = g_strdup_printf (_("Compare the run of %s"), when);
  gtk_widget_set_tooltip_text (check, _("Select for comparing"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label, -1);
  g_object_set_data_full (G_OBJECT (check), "cc-id", g_strdup (id), g_free);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), is_selected (self, id, NULL));
  g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, 0);
  adw_action_row_add_prefix (row, check);
  g_object_set_data (G_OBJECT (row), "cc-check", check);

  image = gtk_image_new_from_icon_name (icon);
  gtk_widget_add_css_class (image, "verdict-icon");
  gtk_widget_add_css_class (image, css);
  gtk_widget_set_tooltip_text (image, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (row, image);
  next = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (next), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open"), -1);
  adw_action_row_add_suffix (row, next);

  accessible = g_strdup_printf ("%s: %s. %s", when, title, network);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return GTK_WIDGET (row);
}

static void
cc_history_page_update (CcHistoryPage *self)
{
  guint n = self->history ? g_list_model_get_n_items (G_LIST_MODEL (self->history)) : 0;
  const char * const *problems = self->history ? cc_history_get_problems (self->history) : NULL;
  guint skipped = problems ? g_strv_length ((char **) problems) : 0;

  /* Forget choices of runs that are gone (the oldest are removed). */
  for (guint i = self->selected->len; i > 0; i--)
    if (cc_history_lookup (self->history, self->selected->pdata[i - 1]) == NULL)
      g_ptr_array_remove_index (self->selected, i - 1);

  gtk_stack_set_visible_child_name (self->stack, n > 0 || skipped > 0 ? "list" : "empty");
  gtk_widget_set_visible (GTK_WIDGET (self->problems_box), skipped > 0);
  if (skipped > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u stored report could not be read and is not listed.",
                                                            "%u stored reports could not be read and are not listed.",
                                                            skipped), skipped);
      gtk_label_set_text (self->problems_label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->problems_box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
  cc_history_page_update_selection (self);
}

static void
compare_clicked_cb (CcHistoryPage *self)
{
  CcHistoryEntry *a, *b;

  if (self->selected->len != CC_HISTORY_COMPARE_COUNT)
    return;

  a = cc_history_lookup (self->history, self->selected->pdata[0]);
  b = cc_history_lookup (self->history, self->selected->pdata[1]);
  if (a == NULL || b == NULL)
    return;

  /* Ids are the times the runs were kept: the smaller is the older. */
  if (g_strcmp0 (cc_history_entry_get_id (a), cc_history_entry_get_id (b)) > 0)
    {
      CcHistoryEntry *t = a;
      a = b;
      b = t;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.compare-reports", "(ss)",
                              cc_history_entry_get_id (a), cc_history_entry_get_id (b));
}

static void
cc_history_page_dispose (GObject *object)
{
  CcHistoryPage *self = CC_HISTORY_PAGE (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  g_clear_pointer (&self->selected, g_ptr_array_unref);

  /* AdwBin unparents its child itself: let it, before the template goes. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CC_TYPE_HISTORY_PAGE);

  G_OBJECT_CLASS (cc_history_page_parent_class)->dispose (object);
}

static void
cc_history_page_class_init (CcHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cc_history_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/whereby/ConnectionCheck/cc-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CcHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CcHistoryPage, list);
  gtk_widget_class_bind_template_child (widget_class, CcHistoryPage, problems_box);
  gtk_widget_class_bind_template_child (widget_class, CcHistoryPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, CcHistoryPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, CcHistoryPage, compare_button);
  gtk_widget_class_bind_template_callback (widget_class, compare_clicked_cb);
}

static void
cc_history_page_init (CcHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->selected = g_ptr_array_new_with_free_func (g_free);
  cc_history_page_update (self);
}

void
cc_history_page_set_history (CcHistoryPage *self,
                             CcHistory     *history)
{
  g_return_if_fail (CC_IS_HISTORY_PAGE (self));
  g_return_if_fail (CC_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  g_ptr_array_set_size (self->selected, 0);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (history), create_row, self, NULL);
  g_signal_connect_object (history, "items-changed", G_CALLBACK (cc_history_page_update), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  cc_history_page_update (self);
}

GtkListBox *
cc_history_page_get_list (CcHistoryPage *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_PAGE (self), NULL);
  return self->list;
}

GtkCheckButton *
cc_history_page_get_row_check (CcHistoryPage *self,
                               guint          index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (CC_IS_HISTORY_PAGE (self), NULL);

  row = gtk_list_box_get_row_at_index (self->list, index);
  return row ? row_check (GTK_WIDGET (row)) : NULL;
}

GtkButton *
cc_history_page_get_compare_button (CcHistoryPage *self)
{
  g_return_val_if_fail (CC_IS_HISTORY_PAGE (self), NULL);
  return self->compare_button;
}
