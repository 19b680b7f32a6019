/* tend-chart-diagnoses-tab.h: the chart's Diagnoses tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_DIAGNOSES_TAB (tend_chart_diagnoses_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartDiagnosesTab, tend_chart_diagnoses_tab, TEND, CHART_DIAGNOSES_TAB, TendChartTab)

G_END_DECLS
