/* tend-chart-plan-tab.h: the chart's Treatment Plan tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_PLAN_TAB (tend_chart_plan_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartPlanTab, tend_chart_plan_tab, TEND, CHART_PLAN_TAB, TendChartTab)

void       tend_chart_plan_tab_set_portal           (TendChartPlanTab *self,
                                                     gboolean          portal);
GtkWidget *tend_chart_plan_tab_get_client_signature (TendChartPlanTab *self);

G_END_DECLS
