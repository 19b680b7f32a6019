/* tend-date-row.h: entry rows for a date or a time of day, typed or picked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *tend_date_row_new      (const char  *title);
void       tend_date_row_set_date (GtkWidget   *row,
                                   const char  *iso);
gboolean   tend_date_row_get_date (GtkWidget   *row,
                                   char       **iso,
                                   GError     **error);

GtkWidget *tend_time_row_new      (const char  *title);
void       tend_time_row_set_time (GtkWidget   *row,
                                   int          minutes);
gboolean   tend_time_row_get_time (GtkWidget   *row,
                                   int         *minutes,
                                   GError     **error);

G_END_DECLS
