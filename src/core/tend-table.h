/* tend-table.h: a report as plain rows, for the GUI, CSV and PDF writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TEND_COLUMN_TEXT,
  TEND_COLUMN_DATE,    /* YYYY-MM-DD */
  TEND_COLUMN_MONEY,   /* an integer of minor units, as text ("15000") */
  TEND_COLUMN_NUMBER,
} TendColumnKind;

typedef struct
{
  char           *title;
  char           *currency;
  guint           n_columns;
  char          **headers;   /* translated column titles */
  TendColumnKind *kinds;
  GPtrArray      *rows;      /* each a char ** of n_columns strings (NULL: empty) */
} TendTable;

TendTable  *tend_table_new         (const char           *title,
                                    const char           *currency,
                                    guint                 n_columns,
                                    const char * const   *headers,
                                    const TendColumnKind *kinds);
void        tend_table_free        (TendTable            *table);
char      **tend_table_add_row     (TendTable            *table);
void        tend_table_set         (TendTable            *table,
                                    char                **row,
                                    guint                 column,
                                    const char           *value);
void        tend_table_set_money   (TendTable            *table,
                                    char                **row,
                                    guint                 column,
                                    gint64                minor);
const char *tend_table_get         (TendTable            *table,
                                    guint                 row,
                                    guint                 column);
gint64      tend_table_get_money   (TendTable            *table,
                                    guint                 row,
                                    guint                 column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendTable, tend_table_free)

G_END_DECLS
