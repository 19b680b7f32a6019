/* tend-chart-contacts-tab.h: the chart's Contacts tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-tab.h"
#include "tend-sync-controller.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_CONTACTS_TAB (tend_chart_contacts_tab_get_type ())
G_DECLARE_FINAL_TYPE (TendChartContactsTab, tend_chart_contacts_tab, TEND, CHART_CONTACTS_TAB, TendChartTab)

void tend_chart_contacts_tab_set_sync (TendChartContactsTab *self,
                                       TendSyncController   *sync);

G_END_DECLS
