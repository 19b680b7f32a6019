/* tend-chart-measures-tab.h: the chart's Measures tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_MEASURES_TAB (tend_chart_measures_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartMeasuresTab, tend_chart_measures_tab, TEND, CHART_MEASURES_TAB, TendChartTab)

GtkWidget *tend_chart_measures_tab_get_graph (TendChartMeasuresTab *self,
                                              TendInstrument        instrument);

G_END_DECLS
