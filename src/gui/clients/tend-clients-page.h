/* tend-clients-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-chart-page.h"
#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_CLIENTS_PAGE (tend_clients_page_get_type ())
G_DECLARE_FINAL_TYPE (TendClientsPage, tend_clients_page, TEND, CLIENTS_PAGE, GtkWidget)

void        tend_clients_page_set_store    (TendClientsPage *self,
                                            TendStore       *store);
void        tend_clients_page_focus_search (TendClientsPage *self);
void        tend_clients_page_set_query    (TendClientsPage *self,
                                            const char      *query);
GListModel *tend_clients_page_get_model    (TendClientsPage *self);
const char *tend_clients_page_get_view     (TendClientsPage *self);
void        tend_clients_page_set_zone     (TendClientsPage *self,
                                            GTimeZone       *zone);
void        tend_clients_page_set_sync     (TendClientsPage *self,
                                            TendSyncController *sync);
gboolean    tend_clients_page_open_chart   (TendClientsPage *self,
                                            const char      *client_id);
TendChartPage *tend_clients_page_get_chart_page (TendClientsPage *self);
const char *tend_clients_page_get_title    (TendClientsPage *self);
void        tend_clients_page_set_overdue_days (TendClientsPage *self,
                                                guint            days);
GtkBox     *tend_clients_page_get_queues   (TendClientsPage *self);
GtkDropDown *tend_clients_page_get_filter  (TendClientsPage *self,
                                            const char      *which);

void             tend_clients_page_set_search_progress (TendClientsPage *self,
                                                        double           fraction);

G_END_DECLS
