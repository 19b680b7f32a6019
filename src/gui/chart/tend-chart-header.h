/* tend-chart-header.h: the top of a client's chart: who, the next
 * appointment and the alerts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_HEADER (tend_chart_header_get_type ())
G_DECLARE_FINAL_TYPE (TendChartHeader, tend_chart_header, TEND, CHART_HEADER, TendChartTab)

gboolean tend_chart_header_has_risk_alert (TendChartHeader *self);
void     tend_chart_header_show_progress  (TendChartHeader *self,
                                           gboolean         shown);
void     tend_chart_header_set_progress   (TendChartHeader *self,
                                           double           fraction);

G_END_DECLS
