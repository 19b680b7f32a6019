/* tend-table.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include "tend-table.h"

static void
free_row (gpointer data)
{
  /* Rows are NULL-padded arrays of n_columns + 1 with a sentinel past the end. */
  char **row = data;
  guint n = GPOINTER_TO_UINT (row[-1]);

  for (guint i = 0; i < n; i++)
    g_free (row[i]);
  g_free (row - 1);
}

TendTable *
tend_table_new (const char           *title,
                const char           *currency,
                guint                 n_columns,
                const char * const   *headers,
                const TendColumnKind *kinds)
{
  TendTable *self = g_new0 (TendTable, 1);

  self->title = g_strdup (title);
  self->currency = g_strdup (currency != NULL ? currency : "USD");
  self->n_columns = n_columns;
  self->headers = g_new0 (char *, n_columns + 1);
  self->kinds = g_new0 (TendColumnKind, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      self->headers[i] = g_strdup (headers[i]);
      self->kinds[i] = kinds[i];
    }
  self->rows = g_ptr_array_new_with_free_func (free_row);
  return self;
}

void
tend_table_free (TendTable *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->currency);
  g_strfreev (self->headers);
  g_free (self->kinds);
  g_ptr_array_unref (self->rows);
  g_free (self);
}

char **
tend_table_add_row (TendTable *self)
{
  char **cells = g_new0 (char *, self->n_columns + 2);

  cells[0] = GUINT_TO_POINTER (self->n_columns);
  g_ptr_array_add (self->rows, cells + 1);
  return cells + 1;
}

void
tend_table_set (TendTable  *self,
                char      **row,
                guint       column,
                const char *value)
{
  g_return_if_fail (column < self->n_columns);
  g_free (row[column]);
  row[column] = g_strdup (value);
}

void
tend_table_set_money (TendTable  *self,
                      char      **row,
                      guint       column,
                      gint64      minor)
{
  g_return_if_fail (column < self->n_columns);
  g_free (row[column]);
  row[column] = g_strdup_printf ("%" G_GINT64_FORMAT, minor);
}

const char *
tend_table_get (TendTable *self,
                guint      row,
                guint      column)
{
  g_return_val_if_fail (row < self->rows->len && column < self->n_columns, NULL);
  return ((char **) g_ptr_array_index (self->rows, row))[column];
}

gint64
tend_table_get_money (TendTable *self,
                      guint      row,
                      guint      column)
{
  const char *v = tend_table_get (self, row, column);

  return v != NULL ? g_ascii_strtoll (v, NULL, 10) : 0;
}
