/* tend-measure-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn with GtkSnapshot: the severity bands as coloured rectangles, the
 * scores as a cairo line with dots, the axis as Pango layouts made once per
 * size.  Dates are spaced by time, not by index, so a gap in treatment
 * shows as one.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-measure-graph.h"

typedef struct
{
  gint64 day;     /* days since year 1 (g_date_get_julian) */
  guint  score;
  gboolean risk;
} Point;

struct _TendMeasureGraph
{
  GtkWidget       parent_instance;

  TendInstrument  instrument;
  GArray         *points;     /* Point, oldest first */
};

G_DEFINE_FINAL_TYPE (TendMeasureGraph, tend_measure_graph, GTK_TYPE_WIDGET)

#define LEFT    34.0
#define RIGHT   132.0   /* room for the band names */
#define INSET   10.0    /* keeps the first and last dots off the edges */
#define TOP     10.0
#define BOTTOM  24.0

/* Minimal to severe: green through red, light enough for text on top. */
static const GdkRGBA band_colors[] = {
  { 0.20, 0.65, 0.35, 0.14 },
  { 0.55, 0.72, 0.20, 0.16 },
  { 0.95, 0.75, 0.15, 0.18 },
  { 0.95, 0.50, 0.15, 0.18 },
  { 0.85, 0.20, 0.20, 0.18 },
};

static double
y_for (double score,
       double max,
       double top,
       double height)
{
  return top + height - score / max * height;
}

static void
draw_label (GtkSnapshot *snapshot,
            GtkWidget   *widget,
            const char  *text,
            double       x,
            double       y,
            gboolean     right_align,
            const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (right_align ? (float) (x - w) : (float) x, (float) (y - h / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
tend_measure_graph_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TendMeasureGraph *self = TEND_MEASURE_GRAPH (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_w = width - LEFT - RIGHT, plot_h = height - TOP - BOTTOM;
  double max = tend_instrument_get_max_score (self->instrument);
  guint n_bands = 0;
  const TendSeverityBand *bands = tend_instrument_get_bands (self->instrument, &n_bands);
  GdkRGBA fg;
  GdkRGBA dim;
  gint64 first_day, last_day;
  double span;

  if (plot_w <= 10 || plot_h <= 10)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  dim = fg;
  dim.alpha *= 0.6f;

  /* The bands, with their names at the right edge. */
  for (guint i = 0; i < n_bands; i++)
    {
      double y0 = y_for (bands[i].max + (i + 1 < n_bands ? 0.5 : 0), max, TOP, plot_h);
      double y1 = y_for (i == 0 ? 0 : bands[i].min - 0.5, max, TOP, plot_h);
      guint c = bands[i].severity < G_N_ELEMENTS (band_colors) ? (guint) bands[i].severity : 0;
      g_autofree char *tick = g_strdup_printf ("%u", bands[i].min);

      gtk_snapshot_append_color (snapshot, &band_colors[c],
                                 &GRAPHENE_RECT_INIT ((float) LEFT, (float) y0, (float) plot_w, (float) (y1 - y0)));
      draw_label (snapshot, widget, tick, LEFT - 6, y1, TRUE, &dim);
      draw_label (snapshot, widget, tend_severity_get_label (bands[i].severity),
                  LEFT + plot_w + 8, (y0 + y1) / 2, FALSE, &dim);
    }

  if (self->points->len == 0)
    return;

  first_day = g_array_index (self->points, Point, 0).day;
  last_day = g_array_index (self->points, Point, self->points->len - 1).day;
  span = MAX (1, last_day - first_day);

  {
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));

    cairo_set_line_width (cr, 2);
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
    gdk_cairo_set_source_rgba (cr, &fg);
    for (guint i = 0; i < self->points->len; i++)
      {
        Point *p = &g_array_index (self->points, Point, i);
        double x = self->points->len == 1 ? LEFT + plot_w / 2
                                           : LEFT + INSET + (double) (p->day - first_day) / span * (plot_w - 2 * INSET);
        double y = y_for (p->score, max, TOP, plot_h);

        if (i == 0)
          cairo_move_to (cr, x, y);
        else
          cairo_line_to (cr, x, y);
      }
    cairo_stroke (cr);
    for (guint i = 0; i < self->points->len; i++)
      {
        Point *p = &g_array_index (self->points, Point, i);
        double x = self->points->len == 1 ? LEFT + plot_w / 2
                                           : LEFT + INSET + (double) (p->day - first_day) / span * (plot_w - 2 * INSET);
        double y = y_for (p->score, max, TOP, plot_h);

        cairo_new_sub_path (cr);
        cairo_arc (cr, x, y, p->risk ? 5 : 3.5, 0, 2 * G_PI);
        if (p->risk)
          cairo_set_source_rgb (cr, 0.85, 0.1, 0.1);
        else
          gdk_cairo_set_source_rgba (cr, &fg);
        cairo_fill (cr);
      }
    cairo_destroy (cr);
  }

  /* First and last dates under the axis. */
  {
    GDate d;
    char buf[64];

    g_date_clear (&d, 1);
    g_date_set_julian (&d, (guint32) first_day);
    if (g_date_strftime (buf, sizeof buf, "%x", &d) > 0)
      draw_label (snapshot, widget, buf, LEFT, height - BOTTOM / 2, FALSE, &dim);
    g_date_set_julian (&d, (guint32) last_day);
    if (self->points->len > 1 && g_date_strftime (buf, sizeof buf, "%x", &d) > 0)
      draw_label (snapshot, widget, buf, LEFT + plot_w, height - BOTTOM / 2, TRUE, &dim);
  }
}

static void
tend_measure_graph_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 220;
}

static void
tend_measure_graph_finalize (GObject *object)
{
  TendMeasureGraph *self = TEND_MEASURE_GRAPH (object);

  g_clear_pointer (&self->points, g_array_unref);
  G_OBJECT_CLASS (tend_measure_graph_parent_class)->finalize (object);
}

static void
tend_measure_graph_class_init (TendMeasureGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tend_measure_graph_finalize;
  widget_class->snapshot = tend_measure_graph_snapshot;
  widget_class->measure = tend_measure_graph_measure;
  gtk_widget_class_set_css_name (widget_class, "measuregraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tend_measure_graph_init (TendMeasureGraph *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
}

GtkWidget *
tend_measure_graph_new (TendInstrument instrument)
{
  TendMeasureGraph *self = g_object_new (TEND_TYPE_MEASURE_GRAPH, NULL);

  self->instrument = instrument;
  return GTK_WIDGET (self);
}

/**
 * tend_measure_graph_set_measures:
 * @measures: (element-type TendMeasure): oldest first; other instruments
 *   are skipped
 */
void
tend_measure_graph_set_measures (TendMeasureGraph *self,
                                 GPtrArray        *measures)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (TEND_IS_MEASURE_GRAPH (self));

  g_array_set_size (self->points, 0);
  for (guint i = 0; measures != NULL && i < measures->len; i++)
    {
      TendMeasure *m = g_ptr_array_index (measures, i);
      Point p;
      GDate d;

      if (tend_measure_get_instrument (m) != self->instrument ||
          !tend_date_parse (tend_measure_get_date (m), &d, NULL))
        continue;
      p.day = g_date_get_julian (&d);
      p.score = tend_measure_get_score (m);
      p.risk = tend_measure_has_risk (m);
      g_array_append_val (self->points, p);
    }
  if (self->points->len > 0)
    {
      Point *last = &g_array_index (self->points, Point, self->points->len - 1);
      guint n_bands = 0;

      tend_instrument_get_bands (self->instrument, &n_bands);
      if (n_bands == 0)
        /* TRANSLATORS: for screen readers: "PCL-5 (post-traumatic stress): 6 scores, the latest 40" */
        summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u score, the latest %u",
                                                "%s: %u scores, the latest %u", self->points->len),
                                   tend_instrument_get_title (self->instrument), self->points->len, last->score);
      else
      /* TRANSLATORS: for screen readers: "PHQ-9 (depression): 6 scores, the latest 9 (Mild)" */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u score, the latest %u (%s)",
                                              "%s: %u scores, the latest %u (%s)", self->points->len),
                                 tend_instrument_get_title (self->instrument), self->points->len, last->score,
                                 tend_severity_get_label (tend_instrument_get_severity (self->instrument, last->score)));
    }
  else
    summary = g_strdup (tend_instrument_get_title (self->instrument));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tend_measure_graph_get_n_points (TendMeasureGraph *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE_GRAPH (self), 0);
  return self->points->len;
}
