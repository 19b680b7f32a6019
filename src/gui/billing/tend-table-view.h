/* tend-table-view.h: a report table (TendTable) in a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_TABLE_VIEW (tend_table_view_get_type ())
G_DECLARE_FINAL_TYPE (TendTableView, tend_table_view, TEND, TABLE_VIEW, GtkWidget)

GtkWidget *tend_table_view_new          (void);
void       tend_table_view_set_table    (TendTableView *self,
                                         TendTable     *table);
TendTable *tend_table_view_get_table    (TendTableView *self);
guint      tend_table_view_get_n_rows   (TendTableView *self);
int        tend_table_view_get_selected (TendTableView *self);
void       tend_table_view_select       (TendTableView *self,
                                         int            row);
guint      tend_table_view_get_n_shown  (TendTableView *self);
gboolean   tend_table_view_get_narrow   (TendTableView *self);
void       tend_table_view_set_filter_text (TendTableView *self,
                                            const char    *text);
void       tend_table_view_set_placeholder (TendTableView *self,
                                            const char    *text);

G_END_DECLS
