/* tend-toolbar-layout.c: a toolbar in one row, or two when narrow
 *
 * The last child is the toolbar's actions, kept at the end; the children
 * before it (a title, a toggle) lead.  Where the leading children and the
 * actions fit side by side at their natural widths they share one row;
 * otherwise the actions go on a second row under the leading ones, at the
 * end.  So a toolbar never asks for more than its widest part, and the
 * actions (a GtkFlowBox, say) can wrap further in a phone's width.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-toolbar-layout.h"

struct _TendToolbarLayout
{
  GtkLayoutManager parent_instance;

  int              spacing;
};

G_DEFINE_FINAL_TYPE (TendToolbarLayout, tend_toolbar_layout, GTK_TYPE_LAYOUT_MANAGER)

static guint
count_visible (GtkWidget  *widget,
               GtkWidget **last)
{
  guint n = 0;

  *last = NULL;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        n++;
        *last = c;
      }
  return n;
}

/* The leading children's widths in @width: each its minimum, then towards
 * its natural, then what is left to those that expand.  Returns how many
 * were written to @sizes (at most @n). */
static guint
distribute_lead (TendToolbarLayout *self,
                 GtkWidget         *widget,
                 GtkWidget         *actions,
                 int                width,
                 GtkRequestedSize  *sizes,
                 guint              n)
{
  guint i = 0, n_expand = 0;
  int extra = width;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL && i < n; c = gtk_widget_get_next_sibling (c))
    {
      if (c == actions || !gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &sizes[i].minimum_size, &sizes[i].natural_size,
                          NULL, NULL);
      sizes[i].data = c;
      extra -= sizes[i].minimum_size + (i > 0 ? self->spacing : 0);
      if (gtk_widget_compute_expand (c, GTK_ORIENTATION_HORIZONTAL))
        n_expand++;
      i++;
    }
  extra = gtk_distribute_natural_allocation (MAX (extra, 0), i, sizes);
  for (guint k = 0; k < i && n_expand > 0; k++)
    if (gtk_widget_compute_expand (sizes[k].data, GTK_ORIENTATION_HORIZONTAL))
      sizes[k].minimum_size += extra / (int) n_expand;
  return i;
}

static void
measure_parts (TendToolbarLayout *self,
               GtkWidget         *widget,
               GtkWidget         *actions,
               int               *lead_min,
               int               *lead_nat,
               int               *actions_min,
               int               *actions_nat)
{
  gboolean first = TRUE;

  *lead_min = *lead_nat = *actions_min = *actions_nat = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      int min, nat;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      if (c == actions)
        {
          *actions_min = min;
          *actions_nat = nat;
          continue;
        }
      *lead_min += min + (first ? 0 : self->spacing);
      *lead_nat += nat + (first ? 0 : self->spacing);
      first = FALSE;
    }
}

static gboolean
fits_one_row (TendToolbarLayout *self,
              int                width,
              int                lead_nat,
              int                actions_nat)
{
  return lead_nat == 0 || actions_nat == 0 || width >= lead_nat + self->spacing + actions_nat;
}

static GtkSizeRequestMode
tend_toolbar_layout_get_request_mode (GtkLayoutManager *manager,
                                      GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tend_toolbar_layout_measure (GtkLayoutManager *manager,
                             GtkWidget        *widget,
                             GtkOrientation    orientation,
                             int               for_size,
                             int              *minimum,
                             int              *natural,
                             int              *minimum_baseline,
                             int              *natural_baseline)
{
  TendToolbarLayout *self = TEND_TOOLBAR_LAYOUT (manager);
  GtkWidget *actions;
  guint n = count_visible (widget, &actions);
  int lead_min, lead_nat, actions_min, actions_nat;

  if (n < 2)
    actions = NULL;
  measure_parts (self, widget, actions, &lead_min, &lead_nat, &actions_min, &actions_nat);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (lead_min, actions_min);
      *natural = lead_nat + (actions != NULL && lead_nat > 0 ? self->spacing : 0) + actions_nat;
      return;
    }

  {
    int width = for_size >= 0 ? for_size : lead_nat + self->spacing + actions_nat;
    g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, MAX (n, 1));
    guint n_lead = distribute_lead (self, widget, actions, fits_one_row (self, width, lead_nat, actions_nat)
                                    ? width - actions_nat - self->spacing : width, sizes, n);
    int lead_h_min = 0, lead_h_nat = 0, act_h_min = 0, act_h_nat = 0;

    for (guint i = 0; i < n_lead; i++)
      {
        int min, nat;

        gtk_widget_measure (sizes[i].data, GTK_ORIENTATION_VERTICAL, sizes[i].minimum_size, &min, &nat, NULL, NULL);
        lead_h_min = MAX (lead_h_min, min);
        lead_h_nat = MAX (lead_h_nat, nat);
      }
    if (actions != NULL)
      gtk_widget_measure (actions, GTK_ORIENTATION_VERTICAL, MIN (MAX (width, actions_min), actions_nat),
                          &act_h_min, &act_h_nat, NULL, NULL);
    if (fits_one_row (self, width, lead_nat, actions_nat))
      {
        *minimum = MAX (lead_h_min, act_h_min);
        *natural = MAX (lead_h_nat, act_h_nat);
      }
    else
      {
        *minimum = lead_h_min + self->spacing + act_h_min;
        *natural = lead_h_nat + self->spacing + act_h_nat;
      }
  }
}

static void
tend_toolbar_layout_allocate (GtkLayoutManager *manager,
                              GtkWidget        *widget,
                              int               width,
                              int               height,
                              int               baseline)
{
  TendToolbarLayout *self = TEND_TOOLBAR_LAYOUT (manager);
  GtkWidget *actions;
  guint n = count_visible (widget, &actions);
  int lead_min, lead_nat, actions_min, actions_nat;
  gboolean one_row;
  g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, MAX (n, 1));
  guint n_lead;
  int x = 0, lead_height = 0, actions_width, actions_height;

  if (n < 2)
    actions = NULL;
  measure_parts (self, widget, actions, &lead_min, &lead_nat, &actions_min, &actions_nat);
  one_row = fits_one_row (self, width, lead_nat, actions_nat);
  actions_width = CLAMP (actions_nat, MIN (actions_min, width), width);
  n_lead = distribute_lead (self, widget, actions, one_row && actions != NULL
                            ? width - actions_width - self->spacing : width, sizes, n);
  for (guint i = 0; i < n_lead; i++)
    {
      int min;

      gtk_widget_measure (sizes[i].data, GTK_ORIENTATION_VERTICAL, sizes[i].minimum_size, &min, NULL, NULL, NULL);
      lead_height = MAX (lead_height, min);
    }
  if (one_row)
    lead_height = height;
  for (guint i = 0; i < n_lead; i++)
    {
      gtk_widget_size_allocate (sizes[i].data, &(GtkAllocation) { x, 0, sizes[i].minimum_size, lead_height }, -1);
      x += sizes[i].minimum_size + self->spacing;
    }
  if (actions == NULL)
    return;
  if (one_row)
    {
      gtk_widget_size_allocate (actions, &(GtkAllocation) { width - actions_width, 0, actions_width, height }, -1);
      return;
    }
  actions_height = MAX (height - lead_height - self->spacing, 0);
  gtk_widget_size_allocate (actions, &(GtkAllocation) { width - actions_width, lead_height + self->spacing,
                                                        actions_width, actions_height }, -1);
}

static void
tend_toolbar_layout_class_init (TendToolbarLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->get_request_mode = tend_toolbar_layout_get_request_mode;
  layout_class->measure = tend_toolbar_layout_measure;
  layout_class->allocate = tend_toolbar_layout_allocate;
}

static void
tend_toolbar_layout_init (TendToolbarLayout *self)
{
}

/**
 * tend_toolbar_layout_new:
 * @spacing: pixels between children, and between the two rows
 *
 * Returns: (transfer full): a layout for a toolbar whose last child holds
 *   its actions
 */
GtkLayoutManager *
tend_toolbar_layout_new (int spacing)
{
  TendToolbarLayout *self = g_object_new (TEND_TYPE_TOOLBAR_LAYOUT, NULL);

  self->spacing = spacing;
  return GTK_LAYOUT_MANAGER (self);
}
