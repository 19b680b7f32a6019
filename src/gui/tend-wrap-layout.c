/* tend-wrap-layout.c: children in rows, wrapped, at the end
 *
 * Buttons at their natural widths, in as many rows as the width needs,
 * each row aligned to the end (GTK 4.8's GtkFlowBox measures a width for
 * a height, which puts one button a row in a horizontal box, and cannot
 * align its rows to the end).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-wrap-layout.h"

struct _TendWrapLayout
{
  GtkLayoutManager parent_instance;

  int              spacing;
};

G_DEFINE_FINAL_TYPE (TendWrapLayout, tend_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

/* Lays the children out in @width, allocating them when @allocate; returns
 * the height used. */
static int
flow (TendWrapLayout *self,
      GtkWidget      *widget,
      int             width,
      gboolean        allocate)
{
  GtkWidget *row_start = gtk_widget_get_first_child (widget);
  int y = 0;

  while (row_start != NULL)
    {
      GtkWidget *c = row_start, *row_end;
      int row_width = 0, row_height = 0, x;

      /* As many as fit, and at least one. */
      for (; c != NULL; c = gtk_widget_get_next_sibling (c))
        {
          int nat;

          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
          nat = MIN (nat, width);
          if (row_width > 0 && row_width + self->spacing + nat > width)
            break;
          row_width += (row_width > 0 ? self->spacing : 0) + nat;
        }
      row_end = c;
      for (c = row_start; c != row_end; c = gtk_widget_get_next_sibling (c))
        {
          int nat, h;

          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
          gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, MIN (nat, width), NULL, &h, NULL, NULL);
          row_height = MAX (row_height, h);
        }
      x = width - row_width;
      for (c = row_start; allocate && c != row_end; c = gtk_widget_get_next_sibling (c))
        {
          int nat;

          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
          nat = MIN (nat, width);
          gtk_widget_size_allocate (c, &(GtkAllocation) { x, y, nat, row_height }, -1);
          x += nat + self->spacing;
        }
      if (row_height > 0)
        y += row_height + self->spacing;
      row_start = row_end;
    }
  return MAX (y - self->spacing, 0);
}

static GtkSizeRequestMode
tend_wrap_layout_get_request_mode (GtkLayoutManager *manager,
                                   GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tend_wrap_layout_measure (GtkLayoutManager *manager,
                          GtkWidget        *widget,
                          GtkOrientation    orientation,
                          int               for_size,
                          int              *minimum,
                          int              *natural,
                          int              *minimum_baseline,
                          int              *natural_baseline)
{
  TendWrapLayout *self = TEND_WRAP_LAYOUT (manager);
  int min = 0, nat = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int cmin, cnat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &cmin, &cnat, NULL, NULL);
      min = MAX (min, cmin);
      nat += (nat > 0 ? self->spacing : 0) + cnat;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = min;
      *natural = nat;
      return;
    }
  *minimum = *natural = flow (self, widget, for_size >= 0 ? MAX (for_size, min) : nat, FALSE);
}

static void
tend_wrap_layout_allocate (GtkLayoutManager *manager,
                           GtkWidget        *widget,
                           int               width,
                           int               height,
                           int               baseline)
{
  flow (TEND_WRAP_LAYOUT (manager), widget, width, TRUE);
}

static void
tend_wrap_layout_class_init (TendWrapLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->get_request_mode = tend_wrap_layout_get_request_mode;
  layout_class->measure = tend_wrap_layout_measure;
  layout_class->allocate = tend_wrap_layout_allocate;
}

static void
tend_wrap_layout_init (TendWrapLayout *self)
{
}

/**
 * tend_wrap_layout_new:
 * @spacing: pixels between children and between rows
 *
 * Returns: (transfer full): a layout that wraps its children into rows
 *   aligned to the end
 */
GtkLayoutManager *
tend_wrap_layout_new (int spacing)
{
  TendWrapLayout *self = g_object_new (TEND_TYPE_WRAP_LAYOUT, NULL);

  self->spacing = spacing;
  return GTK_LAYOUT_MANAGER (self);
}
