/* cc-icons.c: keeping the window's icons to ones drawn without an SVG renderer.
 *
 * Loading one SVG icon loads librsvg and libxml2, about 7 MB resident (issue
 * #13's memory goal). Debian 12's Adwaita theme ships most symbolic icons
 * pre-rendered as PNG at 16 to 96 pixels, so the window asks for those sizes
 * (style.css: the status pages' icons at 96), draws its spinner itself
 * (cc-spinner.c), and gives AdwExpanderRow's arrow the theme's own chevron:
 * libadwaita 1.2's adw-expander-arrow-symbolic exists only as SVG in its
 * resources, and go-up-symbolic, the same chevron (pointing up, which
 * libadwaita turns down while the row is folded), is a PNG in the theme.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cc-icons.h"

#define LIBADWAITA_ARROW "adw-expander-arrow-symbolic"
#define THEME_ARROW      "go-up-symbolic"

static gboolean
use_theme_arrow (GtkWidget *widget)
{
  /* image.expander-row-arrow is one of AdwExpanderRow's documented CSS nodes. */
  if (GTK_IS_IMAGE (widget) && gtk_widget_has_css_class (widget, "expander-row-arrow") &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), LIBADWAITA_ARROW) == 0)
    {
      gtk_image_set_from_icon_name (GTK_IMAGE (widget), THEME_ARROW);
      return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (use_theme_arrow (child))
      return TRUE;

  return FALSE;
}

void
cc_icons_use_theme_arrow (AdwExpanderRow *row)
{
  g_return_if_fail (ADW_IS_EXPANDER_ROW (row));

  use_theme_arrow (GTK_WIDGET (row));
}
