/* tend-fit-bin.c: one child, never measured at a size it cannot take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwSqueezer (libadwaita 1.2, deprecated from 1.4) measures every child's
 * height for the width it is offered, including the children too wide for
 * it that it is about to skip; from GTK 4.12 each such measure warns
 * ("Trying to measure GtkBox for width of 360, but it needs at least 810").
 * A squeezer's wide child wrapped in this bin is asked for its height at its
 * own minimum width instead, which is what it would have if shown, and the
 * bin's minimum width is nothing (its natural width is the child's): the
 * squeezer, switching on natural widths, shows it only where it fits.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-fit-bin.h"

struct _TendFitBin
{
  GtkWidget  parent_instance;
  GtkWidget *child;
};

static void tend_fit_bin_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TendFitBin, tend_fit_bin, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, tend_fit_bin_buildable_init))

static void
tend_fit_bin_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  TendFitBin *self = TEND_FIT_BIN (widget);
  int least = 0;

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;
  if (for_size >= 0)
    {
      gtk_widget_measure (self->child, orientation == GTK_ORIENTATION_HORIZONTAL ? GTK_ORIENTATION_VERTICAL
                                                                                 : GTK_ORIENTATION_HORIZONTAL,
                          -1, &least, NULL, NULL, NULL);
      for_size = MAX (for_size, least);
    }
  gtk_widget_measure (self->child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 0;
}

static void
tend_fit_bin_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  TendFitBin *self = TEND_FIT_BIN (widget);

  int least = 0;

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    return;
  gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, &least, NULL, NULL, NULL);
  gtk_widget_allocate (self->child, MAX (width, least), height, baseline, NULL);
}

static void
tend_fit_bin_dispose (GObject *object)
{
  TendFitBin *self = TEND_FIT_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  G_OBJECT_CLASS (tend_fit_bin_parent_class)->dispose (object);
}

static void
tend_fit_bin_add_child (GtkBuildable *buildable,
                        GtkBuilder   *builder,
                        GObject      *child,
                        const char   *type)
{
  if (GTK_IS_WIDGET (child))
    tend_fit_bin_set_child (TEND_FIT_BIN (buildable), GTK_WIDGET (child));
}

static void
tend_fit_bin_buildable_init (GtkBuildableIface *iface)
{
  iface->add_child = tend_fit_bin_add_child;
}

static void
tend_fit_bin_class_init (TendFitBinClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tend_fit_bin_dispose;
  widget_class->measure = tend_fit_bin_measure;
  widget_class->size_allocate = tend_fit_bin_size_allocate;
}

static void
tend_fit_bin_init (TendFitBin *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

void
tend_fit_bin_set_child (TendFitBin *self,
                        GtkWidget  *child)
{
  g_return_if_fail (TEND_IS_FIT_BIN (self));
  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->child = child;
  if (child != NULL)
    gtk_widget_set_parent (child, GTK_WIDGET (self));
}

GtkWidget *
tend_fit_bin_new (GtkWidget *child)
{
  GtkWidget *self = g_object_new (TEND_TYPE_FIT_BIN, NULL);

  tend_fit_bin_set_child (TEND_FIT_BIN (self), child);
  return self;
}
