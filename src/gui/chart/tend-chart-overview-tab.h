/* tend-chart-overview-tab.h: the chart's Overview tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"
#include "tend-sync-controller.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_OVERVIEW_TAB (tend_chart_overview_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartOverviewTab, tend_chart_overview_tab, TEND, CHART_OVERVIEW_TAB, TendChartTab)

void tend_chart_overview_tab_set_sync (TendChartOverviewTab *self,
                                       TendSyncController   *sync);

G_END_DECLS
