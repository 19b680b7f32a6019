/* tend-chart-notes-tab.h: the chart's Notes tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_NOTES_TAB (tend_chart_notes_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartNotesTab, tend_chart_notes_tab, TEND, CHART_NOTES_TAB, TendChartTab)

void  tend_chart_notes_tab_reset            (TendChartNotesTab *self);
void  tend_chart_notes_tab_search           (TendChartNotesTab *self,
                                             const char        *text);
guint tend_chart_notes_tab_get_n_rows       (TendChartNotesTab *self);

G_END_DECLS
