/* tend-chart-documents-tab.h: the chart's Documents tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_DOCUMENTS_TAB (tend_chart_documents_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartDocumentsTab, tend_chart_documents_tab, TEND, CHART_DOCUMENTS_TAB, TendChartTab)

void        tend_chart_documents_tab_set_sharing    (TendChartDocumentsTab *self,
                                                     gboolean               sharing);
void        tend_chart_documents_tab_attach_file    (TendChartDocumentsTab *self,
                                                     GFile                 *file);
gboolean    tend_chart_documents_tab_is_attaching   (TendChartDocumentsTab *self);
const char *tend_chart_documents_tab_get_last_error (TendChartDocumentsTab *self);

G_END_DECLS
