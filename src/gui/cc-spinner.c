/* cc-spinner.c: a busy indicator drawn with cairo: an arc that turns once a
 * second, in the widget's colour, as large as the widget (width-request).
 *
 * Why not GtkSpinner: its picture is the icon process-working-symbolic, which
 * Debian 12's Adwaita has only as SVG, and drawing an SVG icon loads librsvg
 * and libxml2 — about 7 MB resident for one shape (issue #13's memory goal).
 * GTK's own copy is a 16-pixel PNG, blurred at the sizes used here. libadwaita
 * 1.6's AdwSpinner draws instead of using an icon for the same reasons; Debian
 * 12 has libadwaita 1.2.
 *
 * Where animations are off (gtk-enable-animations), the arc stands still.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cc-spinner.h"

/* One turn a second, as GtkSpinner's CSS animation. */
#define TURN_US G_USEC_PER_SEC
/* The arc: three quarters of a turn, its width a tenth of the size. */
#define ARC_FRACTION 0.75
#define LINE_FRACTION 0.1
#define DEFAULT_SIZE 16

struct _CcSpinner
{
  GtkWidget parent_instance;

  gboolean  spinning;
  guint     tick_id;
  double    angle;        /* radians */
};

enum {
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CcSpinner, cc_spinner, GTK_TYPE_WIDGET)

static gboolean
cc_spinner_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  CcSpinner *self = CC_SPINNER (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  self->angle = 2 * G_PI * (double) (now % TURN_US) / TURN_US;
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static gboolean
cc_spinner_animates (CcSpinner *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled, NULL);
  return enabled;
}

static void
cc_spinner_update (CcSpinner *self)
{
  gboolean tick = self->spinning && gtk_widget_get_mapped (GTK_WIDGET (self)) && cc_spinner_animates (self);

  if (tick && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), cc_spinner_tick_cb, NULL, NULL);
  else if (!tick && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }

  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, self->spinning, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cc_spinner_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  CcSpinner *self = CC_SPINNER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double size = MIN (width, height);
  double line = MAX (1.0, size * LINE_FRACTION);
  cairo_t *cr;
  GdkRGBA color;

  if (!self->spinning || size <= 2 * line)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, line);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, (size - line) / 2.0,
             self->angle, self->angle + 2 * G_PI * ARC_FRACTION);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
cc_spinner_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = *natural = DEFAULT_SIZE;
}

static void
cc_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cc_spinner_parent_class)->map (widget);
  cc_spinner_update (CC_SPINNER (widget));
}

static void
cc_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cc_spinner_parent_class)->unmap (widget);
  cc_spinner_update (CC_SPINNER (widget));
}

static void
cc_spinner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CcSpinner *self = CC_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, self->spinning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_spinner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CcSpinner *self = CC_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      cc_spinner_set_spinning (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_spinner_class_init (CcSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cc_spinner_get_property;
  object_class->set_property = cc_spinner_set_property;
  widget_class->snapshot = cc_spinner_snapshot;
  widget_class->measure = cc_spinner_measure;
  widget_class->map = cc_spinner_map;
  widget_class->unmap = cc_spinner_unmap;

  properties[PROP_SPINNING] =
    g_param_spec_boolean ("spinning", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Not "spinner": the theme hides those until GtkSpinner's own state is set. */
  gtk_widget_class_set_css_name (widget_class, "ccspinner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
cc_spinner_init (CcSpinner *self)
{
}

GtkWidget *
cc_spinner_new (void)
{
  return g_object_new (CC_TYPE_SPINNER, NULL);
}

gboolean
cc_spinner_get_spinning (CcSpinner *self)
{
  g_return_val_if_fail (CC_IS_SPINNER (self), FALSE);

  return self->spinning;
}

void
cc_spinner_set_spinning (CcSpinner *self,
                         gboolean   spinning)
{
  g_return_if_fail (CC_IS_SPINNER (self));

  spinning = !!spinning;
  if (self->spinning == spinning)
    return;

  self->spinning = spinning;
  cc_spinner_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPINNING]);
}
