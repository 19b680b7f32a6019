/* tend-chart-util.h: small pieces the chart's tabs share (rows, groups,
 * dates, staff names, dialogs and toasts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"
#include "tend-chart-read-error.h"

G_BEGIN_DECLS

GtkWidget  *tend_chart_ui_row_new          (const char   *title,
                                            const char   *subtitle);
void        tend_chart_ui_add_row          (GtkWidget    *group,
                                            const char   *title,
                                            const char   *subtitle);
GtkWidget  *tend_chart_ui_group_new        (GtkBox       *page,
                                            const char   *title,
                                            const char   *description);
GtkWidget  *tend_chart_ui_error_row_new    (const GError *error);
void        tend_chart_ui_add_error_row    (GtkWidget    *group,
                                            const GError *error);
GtkWidget  *tend_chart_ui_text_label       (const char   *text,
                                            const char   *css);
GtkWidget  *tend_chart_ui_text_frame       (const char   *text);
void        tend_chart_ui_clear_box        (GtkBox       *box);
void        tend_chart_ui_unparent_children (GtkWidget   *widget);
char       *tend_chart_ui_format_date      (const char   *iso);
char       *tend_chart_ui_format_day_of    (const char   *iso,
                                            GTimeZone    *zone);
char       *tend_chart_ui_format_time      (const char   *iso,
                                            GTimeZone    *zone);
char       *tend_chart_ui_today            (GTimeZone    *zone);
GtkWindow  *tend_chart_ui_parent_window    (GtkWidget    *widget);
void        tend_chart_ui_show_error       (GtkWidget    *widget,
                                            const char   *heading,
                                            const GError *error);
void        tend_chart_ui_toast            (GtkWidget    *widget,
                                            AdwToast     *toast);
void        tend_chart_ui_toast_text       (GtkWidget    *widget,
                                            const char   *text);
GtkWidget  *tend_chart_ui_break_glass_button_new (void);

void        tend_chart_ui_list_clear       (GtkListBox   *list);
void        tend_chart_ui_list_update_visible (GtkListBox *list);
void        tend_chart_ui_show_read_error  (GtkStack           *stack,
                                            TendChartReadError *page,
                                            const GError       *error);

GHashTable *tend_chart_ui_names_new        (void);
const char *tend_chart_ui_staff_name       (TendStore    *store,
                                            GHashTable   *names,
                                            const char   *staff_id);

char       *tend_chart_ui_note_title       (TendClinicalNote *note);
char       *tend_chart_ui_note_status      (TendStore        *store,
                                            GTimeZone        *zone,
                                            guint             overdue_days,
                                            TendClinicalNote *note,
                                            GHashTable       *names,
                                            gboolean         *overdue);
GtkWidget  *tend_chart_ui_note_row_new     (TendStore        *store,
                                            GTimeZone        *zone,
                                            guint             overdue_days,
                                            TendClinicalNote *note,
                                            GHashTable       *names);
char       *tend_chart_ui_format_session   (TendAppointment  *appointment,
                                            GTimeZone        *zone);

G_END_DECLS
