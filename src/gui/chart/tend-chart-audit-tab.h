/* tend-chart-audit-tab.h: the chart's Audit tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_AUDIT_TAB (tend_chart_audit_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartAuditTab, tend_chart_audit_tab, TEND, CHART_AUDIT_TAB, TendChartTab)

G_END_DECLS
