/* tend-table-view.c: a report table (TendTable) in a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row of the model is the row's index as a GtkStringObject; cells are
 * read from the table when bound.  Money and dates are formatted for the
 * locale here (the table keeps minor units and ISO dates, for CSV).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-table-view.h"

struct _TendTableView
{
  GtkWidget           parent_instance;

  GtkWidget          *scroller;
  GtkColumnView      *view;
  GtkStringList      *rows;
  GtkSingleSelection *selection;
  TendTable          *table;
};

G_DEFINE_FINAL_TYPE (TendTableView, tend_table_view, GTK_TYPE_WIDGET)

static char *
cell_text (TendTable *table,
           guint      row,
           guint      column)
{
  const char *v = tend_table_get (table, row, column);

  if (v == NULL)
    return g_strdup ("");
  switch (table->kinds[column])
    {
    case TEND_COLUMN_MONEY:
      {
        TendMoney m = tend_money_init (g_ascii_strtoll (v, NULL, 10), table->currency);
        return tend_money_format (&m);
      }
    case TEND_COLUMN_DATE:
      {
        GDate d;

        if (tend_date_parse (v, &d, NULL))
          return tend_date_format_local (&d);
        return g_strdup (v);
      }
    case TEND_COLUMN_TEXT:
    case TEND_COLUMN_NUMBER:
    default:
      return g_strdup (v);
    }
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  TendTableView *self = TEND_TABLE_VIEW (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = self->table != NULL && column < self->table->n_columns &&
                     (self->table->kinds[column] == TEND_COLUMN_MONEY || self->table->kinds[column] == TEND_COLUMN_NUMBER);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  TendTableView *self = TEND_TABLE_VIEW (user_data);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkStringObject *obj = gtk_list_item_get_item (item);
  guint row = (guint) g_ascii_strtoull (gtk_string_object_get_string (obj), NULL, 10);
  g_autofree char *text = NULL;

  if (self->table == NULL || row >= self->table->rows->len)
    return;
  text = cell_text (self->table, row, column);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
tend_table_view_dispose (GObject *object)
{
  TendTableView *self = TEND_TABLE_VIEW (object);

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (tend_table_view_parent_class)->dispose (object);
}

static void
tend_table_view_finalize (GObject *object)
{
  TendTableView *self = TEND_TABLE_VIEW (object);

  g_clear_pointer (&self->table, tend_table_free);
  G_OBJECT_CLASS (tend_table_view_parent_class)->finalize (object);
}

static void
tend_table_view_class_init (TendTableViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_table_view_dispose;
  object_class->finalize = tend_table_view_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tend_table_view_init (TendTableView *self)
{
  self->rows = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->rows));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
tend_table_view_new (void)
{
  return g_object_new (TEND_TYPE_TABLE_VIEW, NULL);
}

/**
 * tend_table_view_set_table:
 * @table: (transfer full) (nullable): what to show
 */
void
tend_table_view_set_table (TendTableView *self,
                           TendTable     *table)
{
  g_autoptr(GListModel) columns = NULL;
  g_autoptr(GPtrArray) indexes = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (TEND_IS_TABLE_VIEW (self));

  columns = g_object_ref (gtk_column_view_get_columns (self->view));
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->view, c);
    }
  gtk_string_list_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), NULL);
  g_clear_pointer (&self->table, tend_table_free);
  self->table = table;
  if (table == NULL)
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL, table->title, -1);
  for (guint c = 0; c < table->n_columns; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
      column = gtk_column_view_column_new (table->headers[c], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, table->kinds[c] == TEND_COLUMN_TEXT);
      gtk_column_view_append_column (self->view, column);
      g_object_unref (column);
    }
  for (guint r = 0; r < table->rows->len; r++)
    g_ptr_array_add (indexes, g_strdup_printf ("%u", r));
  g_ptr_array_add (indexes, NULL);
  gtk_string_list_splice (self->rows, 0, 0, (const char * const *) indexes->pdata);
}

TendTable *
tend_table_view_get_table (TendTableView *self)
{
  g_return_val_if_fail (TEND_IS_TABLE_VIEW (self), NULL);
  return self->table;
}

guint
tend_table_view_get_n_rows (TendTableView *self)
{
  g_return_val_if_fail (TEND_IS_TABLE_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

/* The selected row's index in the table, or -1. */
int
tend_table_view_get_selected (TendTableView *self)
{
  guint pos;

  g_return_val_if_fail (TEND_IS_TABLE_VIEW (self), -1);
  pos = gtk_single_selection_get_selected (self->selection);
  return pos == GTK_INVALID_LIST_POSITION ? -1 : (int) pos;
}
