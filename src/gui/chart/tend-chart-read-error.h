/* tend-chart-read-error.h: a tab of the chart whose read failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_CHART_READ_ERROR (tend_chart_read_error_get_type ())
G_DECLARE_FINAL_TYPE (TendChartReadError, tend_chart_read_error, TEND, CHART_READ_ERROR, GtkWidget)

void tend_chart_read_error_set_error (TendChartReadError *self,
                                      const GError       *error);

G_END_DECLS
