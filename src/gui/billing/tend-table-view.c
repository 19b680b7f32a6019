/* tend-table-view.c: a report table (TendTable) in a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row of the model is the row's index as a GtkStringObject; cells are
 * read from the table when bound.  Money and dates are formatted for the
 * locale here (the table keeps minor units and ISO dates, for CSV).
 *
 * A search (tend_table_view_set_filter_text ()) keeps the rows whose shown
 * cells hold every word typed, whatever the case; the selection is always
 * told as the row's index in the table.  With no row to show, a
 * placeholder says why, instead of an empty grid.
 *
 * Narrower than TEND_TABLE_VIEW_NARROW, the table becomes a list, as GNOME
 * applications do on a phone: each row two lines, the first text column
 * and the first amount on the first, the other cells on the second (an
 * amount after the first with its column's title).  The list and the
 * table share one selection.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-table-view.h"

#define TEND_TABLE_VIEW_NARROW 600

struct _TendTableView
{
  GtkWidget           parent_instance;

  GtkWidget          *stack;        /* wide: the table or the placeholder */
  GtkWidget          *scroller;
  GtkLabel           *placeholder_label;
  GtkWidget          *narrow;       /* narrow: the list or its placeholder */
  GtkWidget          *list_scroller;
  GtkLabel           *narrow_placeholder;
  GtkListView        *list;
  GtkColumnView      *view;
  GtkStringList      *rows;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  TendTable          *table;
  char               *placeholder;
  char              **words;     /* the search, casefolded; NULL for none */
};

G_DEFINE_FINAL_TYPE (TendTableView, tend_table_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HAS_SELECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static gboolean
row_matches (gpointer item,
             gpointer user_data)
{
  TendTableView *self = TEND_TABLE_VIEW (user_data);
  guint row = (guint) g_ascii_strtoull (gtk_string_object_get_string (item), NULL, 10);
  g_autoptr(GString) text = NULL;
  g_autofree char *folded = NULL;

  if (self->words == NULL)
    return TRUE;
  if (self->table == NULL || row >= self->table->rows->len)
    return FALSE;
  text = g_string_new (NULL);
  for (guint c = 0; c < self->table->n_columns; c++)
    {
      g_autofree char *cell = cell_text (self->table, row, c);

      g_string_append (text, cell);
      g_string_append_c (text, '\n');
    }
  folded = g_utf8_casefold (text->str, -1);
  for (guint i = 0; self->words[i] != NULL; i++)
    if (strstr (folded, self->words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* The table, or a line saying why it has no rows. */
static void
update_placeholder (TendTableView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;

  gboolean say = empty && (self->words != NULL || self->placeholder != NULL);
  const char *text;

  if (empty && self->words != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0)
    text = _("No rows match the search");
  else
    text = self->placeholder != NULL ? self->placeholder : "";
  gtk_label_set_text (self->placeholder_label, text);
  gtk_label_set_text (self->narrow_placeholder, text);
  gtk_stack_set_visible_child (GTK_STACK (self->stack), say ? GTK_WIDGET (self->placeholder_label) : self->scroller);
  gtk_stack_set_visible_child (GTK_STACK (self->narrow), say ? GTK_WIDGET (self->narrow_placeholder) : self->list_scroller);
}

static void
on_selection_changed_cb (TendTableView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SELECTION]);
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

/* The narrow list's rows */

static void
list_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *amount = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (amount, "numeric");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (subtitle), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (line), title);
  gtk_box_append (GTK_BOX (line), amount);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_item_set_child (item, box);
}

static void
list_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  TendTableView *self = TEND_TABLE_VIEW (user_data);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *line = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (line);
  GtkWidget *amount = gtk_widget_get_next_sibling (title);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (line);
  guint row = (guint) g_ascii_strtoull (gtk_string_object_get_string (gtk_list_item_get_item (item)), NULL, 10);
  g_autoptr(GString) rest = g_string_new (NULL);
  int title_column = -1, amount_column = -1;

  if (self->table == NULL || row >= self->table->rows->len)
    return;
  for (guint c = 0; c < self->table->n_columns; c++)
    {
      if (title_column < 0 && self->table->kinds[c] == TEND_COLUMN_TEXT && tend_table_get (self->table, row, c) != NULL)
        title_column = (int) c;
      else if (amount_column < 0 && self->table->kinds[c] == TEND_COLUMN_MONEY)
        amount_column = (int) c;
    }
  for (guint c = 0; c < self->table->n_columns; c++)
    {
      g_autofree char *text = NULL;

      if ((int) c == title_column || (int) c == amount_column || tend_table_get (self->table, row, c) == NULL)
        continue;
      text = cell_text (self->table, row, c);
      if (*text == '\0')
        continue;
      if (rest->len > 0)
        g_string_append (rest, " · ");
      if (self->table->kinds[c] == TEND_COLUMN_MONEY || self->table->kinds[c] == TEND_COLUMN_NUMBER)
        /* TRANSLATORS: a column's title and its value in a narrow list, "Owed: $40.00" */
        g_string_append_printf (rest, _("%s: %s"), self->table->headers[c], text);
      else
        g_string_append (rest, text);
    }
  {
    g_autofree char *t = title_column >= 0 ? cell_text (self->table, row, (guint) title_column) : g_strdup ("");
    g_autofree char *a = amount_column >= 0 ? cell_text (self->table, row, (guint) amount_column) : g_strdup ("");

    gtk_label_set_text (GTK_LABEL (title), t);
    gtk_label_set_text (GTK_LABEL (amount), a);
  }
  gtk_label_set_text (GTK_LABEL (subtitle), rest->str);
  gtk_widget_set_visible (subtitle, rest->len > 0);
}

/* Layout: the list when narrow, else the table */

static gboolean
is_narrow (int width)
{
  return width >= 0 && width < TEND_TABLE_VIEW_NARROW;
}

static void
tend_table_view_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  TendTableView *self = TEND_TABLE_VIEW (widget);
  int wide_min = 0, wide_nat = 0, narrow_min = 0, narrow_nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->stack, orientation, for_size, &wide_min, &wide_nat, NULL, NULL);
      gtk_widget_measure (self->narrow, orientation, for_size, &narrow_min, &narrow_nat, NULL, NULL);
      /* As narrow as the list goes; as wide as the table would like. */
      *minimum = narrow_min;
      *natural = MAX (MAX (wide_nat, narrow_nat), TEND_TABLE_VIEW_NARROW);
    }
  else if (is_narrow (for_size))
    gtk_widget_measure (self->narrow, orientation, for_size, minimum, natural, NULL, NULL);
  else
    {
      gtk_widget_measure (self->stack, orientation, for_size, &wide_min, &wide_nat, NULL, NULL);
      gtk_widget_measure (self->narrow, orientation, -1, &narrow_min, &narrow_nat, NULL, NULL);
      *minimum = for_size < 0 ? MAX (wide_min, narrow_min) : wide_min;
      *natural = for_size < 0 ? MAX (wide_nat, narrow_nat) : wide_nat;
    }
  *minimum_baseline = *natural_baseline = -1;
}

static void
tend_table_view_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  TendTableView *self = TEND_TABLE_VIEW (widget);
  gboolean narrow = is_narrow (width);

  gtk_widget_set_child_visible (self->stack, !narrow);
  gtk_widget_set_child_visible (self->narrow, narrow);
  gtk_widget_allocate (narrow ? self->narrow : self->stack, width, height, baseline, NULL);
}

/* Whether the rows show as a list (the window is narrow). */
gboolean
tend_table_view_get_narrow (TendTableView *self)
{
  g_return_val_if_fail (TEND_IS_TABLE_VIEW (self), FALSE);
  return gtk_widget_get_child_visible (self->narrow) && gtk_widget_get_mapped (self->narrow);
}

static void
tend_table_view_dispose (GObject *object)
{
  TendTableView *self = TEND_TABLE_VIEW (object);

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_pointer (&self->narrow, gtk_widget_unparent);
  self->scroller = NULL;
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (tend_table_view_parent_class)->dispose (object);
}

static void
tend_table_view_finalize (GObject *object)
{
  TendTableView *self = TEND_TABLE_VIEW (object);

  g_clear_pointer (&self->table, tend_table_free);
  g_clear_pointer (&self->placeholder, g_free);
  g_clear_pointer (&self->words, g_strfreev);
  G_OBJECT_CLASS (tend_table_view_parent_class)->finalize (object);
}

static void
tend_table_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TendTableView *self = TEND_TABLE_VIEW (object);

  switch (prop_id)
    {
    case PROP_HAS_SELECTION:
      g_value_set_boolean (value, tend_table_view_get_selected (self) >= 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_table_view_class_init (TendTableViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_table_view_dispose;
  object_class->finalize = tend_table_view_finalize;
  object_class->get_property = tend_table_view_get_property;

  /**
   * TendTableView:has-selection:
   *
   * Whether a row is selected: what acts on "the selected row" is
   * sensitive only then.
   */
  properties[PROP_HAS_SELECTION] =
    g_param_spec_boolean ("has-selection", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  GTK_WIDGET_CLASS (klass)->measure = tend_table_view_measure;
  GTK_WIDGET_CLASS (klass)->size_allocate = tend_table_view_size_allocate;
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tend_table_view_init (TendTableView *self)
{
  self->rows = gtk_string_list_new (NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->rows),
                                              GTK_FILTER (gtk_custom_filter_new (row_matches, self, NULL)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_column_view_set_show_row_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (self->scroller, TRUE);
  self->placeholder_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->placeholder_label, TRUE);
  gtk_label_set_justify (self->placeholder_label, GTK_JUSTIFY_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->placeholder_label), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->placeholder_label), 48);
  gtk_widget_set_margin_start (GTK_WIDGET (self->placeholder_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->placeholder_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->placeholder_label), "dim-label");
  self->stack = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->stack), self->scroller);
  gtk_stack_add_child (GTK_STACK (self->stack), GTK_WIDGET (self->placeholder_label));
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (list_setup_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (list_bind_cb), self);
    self->list = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory));
  }
  gtk_list_view_set_show_separators (self->list, TRUE);
  self->list_scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->list_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->list_scroller), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (self->list_scroller, TRUE);
  self->narrow_placeholder = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->narrow_placeholder, TRUE);
  gtk_label_set_justify (self->narrow_placeholder, GTK_JUSTIFY_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->narrow_placeholder), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->narrow_placeholder), 48);
  gtk_widget_set_margin_start (GTK_WIDGET (self->narrow_placeholder), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->narrow_placeholder), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->narrow_placeholder), "dim-label");
  self->narrow = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->narrow), self->list_scroller);
  gtk_stack_add_child (GTK_STACK (self->narrow), GTK_WIDGET (self->narrow_placeholder));
  gtk_widget_set_parent (self->narrow, GTK_WIDGET (self));
  gtk_widget_set_child_visible (self->narrow, FALSE);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_placeholder),
                           self, G_CONNECT_SWAPPED);
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
    {
      update_placeholder (self);
      return;
    }
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
  update_placeholder (self);
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

/* The selected row's index in the table (not its place among the rows a
 * search shows), or -1. */
int
tend_table_view_get_selected (TendTableView *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (TEND_IS_TABLE_VIEW (self), -1);
  item = gtk_single_selection_get_selected_item (self->selection);
  return item == NULL ? -1 : (int) g_ascii_strtoull (gtk_string_object_get_string (item), NULL, 10);
}

/**
 * tend_table_view_select:
 * @row: a row's index in the table, or -1 for none
 *
 * Selects @row if it is shown.
 */
void
tend_table_view_select (TendTableView *self,
                        int            row)
{
  guint n;

  g_return_if_fail (TEND_IS_TABLE_VIEW (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; row >= 0 && i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_ascii_strtoll (gtk_string_object_get_string (item), NULL, 10) == row)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* The rows a search leaves. */
guint
tend_table_view_get_n_shown (TendTableView *self)
{
  g_return_val_if_fail (TEND_IS_TABLE_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/**
 * tend_table_view_set_filter_text:
 * @text: (nullable): words every shown row holds; empty or %NULL for all
 */
void
tend_table_view_set_filter_text (TendTableView *self,
                                 const char    *text)
{
  g_autofree char *folded = NULL;
  GtkFilter *filter;

  g_return_if_fail (TEND_IS_TABLE_VIEW (self));
  g_clear_pointer (&self->words, g_strfreev);
  folded = text != NULL ? g_utf8_casefold (text, -1) : NULL;
  if (folded != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) parts = g_strsplit_set (g_strstrip (folded), " \t", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*parts[i] != '\0')
          g_strv_builder_add (builder, parts[i]);
      self->words = g_strv_builder_end (builder);
      if (self->words[0] == NULL)
        g_clear_pointer (&self->words, g_strfreev);
    }
  filter = gtk_filter_list_model_get_filter (self->filtered);
  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
  update_placeholder (self);
}

/**
 * tend_table_view_set_placeholder:
 * @text: (nullable): what shows instead of an empty table
 */
void
tend_table_view_set_placeholder (TendTableView *self,
                                 const char    *text)
{
  g_return_if_fail (TEND_IS_TABLE_VIEW (self));
  g_free (self->placeholder);
  self->placeholder = g_strdup (text);
  update_placeholder (self);
}
