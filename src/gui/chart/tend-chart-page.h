/* tend-chart-page.h: one client's chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

#include "tend-sync-controller.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_PAGE (tend_chart_page_get_type ())
G_DECLARE_FINAL_TYPE (TendChartPage, tend_chart_page, TEND, CHART_PAGE, GtkWidget)

GtkWidget    *tend_chart_page_new            (void);
void          tend_chart_page_set_store      (TendChartPage *self,
                                              TendStore     *store,
                                              GTimeZone     *zone);
gboolean      tend_chart_page_set_client     (TendChartPage *self,
                                              const char    *client_id,
                                              GError       **error);
const char   *tend_chart_page_get_client_id  (TendChartPage *self);
void          tend_chart_page_set_sync       (TendChartPage *self,
                                              TendSyncController *sync);
void          tend_chart_page_set_overdue_days (TendChartPage *self,
                                              guint          days);
AdwViewStack *tend_chart_page_get_views      (TendChartPage *self);
const char   *tend_chart_page_get_mode       (TendChartPage *self);
gboolean      tend_chart_page_has_risk_alert (TendChartPage *self);
guint         tend_chart_page_get_n_note_rows(TendChartPage *self);
GtkWidget    *tend_chart_page_new_note       (TendChartPage *self,
                                              TendNoteTemplate template_,
                                              GError       **error);
GtkWidget    *tend_chart_page_new_practice_note (TendChartPage *self,
                                                const char    *template_id,
                                                GError       **error);
gboolean      tend_chart_page_open_note      (TendChartPage *self,
                                              const char    *note_id,
                                              GError       **error);
GtkWidget    *tend_chart_page_get_editor     (TendChartPage *self);
void          tend_chart_page_search_notes   (TendChartPage *self,
                                              const char    *text);
GtkWidget    *tend_chart_page_get_measure_graph (TendChartPage *self,
                                                 TendInstrument instrument);
void          tend_chart_page_attach_file    (TendChartPage *self,
                                              GFile         *file);
gboolean      tend_chart_page_is_attaching   (TendChartPage *self);
const char   *tend_chart_page_get_last_error (TendChartPage *self);
gboolean      tend_chart_page_open_document  (TendChartPage *self,
                                              const char    *document_id,
                                              GError       **error);
guint         tend_chart_page_get_n_document_pages (TendChartPage *self);
void          tend_chart_page_export_async   (TendChartPage      *self,
                                              GFile              *file,
                                              const char         *from,
                                              const char         *to,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean      tend_chart_page_export_finish  (TendChartPage      *self,
                                              GAsyncResult       *result,
                                              GError            **error);

void            tend_chart_page_set_export_messages (TendChartPage *self,
                                                     gboolean       include);

G_END_DECLS
