/* tend-chart-tab.h: what every tab of the chart has: the store, the
 * client and the practice's time zone, and a way to read again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_TAB (tend_chart_tab_get_type ())
G_DECLARE_DERIVABLE_TYPE (TendChartTab, tend_chart_tab, TEND, CHART_TAB, GtkWidget)

struct _TendChartTabClass
{
  GtkWidgetClass parent_class;

  /* Reads the client's records again and shows them. */
  void (*refresh) (TendChartTab *self);
};

TendStore  *tend_chart_tab_get_store     (TendChartTab *self);
TendClient *tend_chart_tab_get_client    (TendChartTab *self);
const char *tend_chart_tab_get_client_id (TendChartTab *self);
GTimeZone  *tend_chart_tab_get_zone      (TendChartTab *self);
void        tend_chart_tab_set_client    (TendChartTab *self,
                                          TendClient   *client);
gboolean    tend_chart_tab_can           (TendChartTab *self,
                                          TendPermission permission);
void        tend_chart_tab_refresh       (TendChartTab *self);
void        tend_chart_tab_invalidate    (TendChartTab *self);
void        tend_chart_tab_ensure        (TendChartTab *self);
void        tend_chart_tab_changed       (TendChartTab *self);
void        tend_chart_tab_set_overdue_days (TendChartTab *self,
                                             guint         days);
guint       tend_chart_tab_get_overdue_days (TendChartTab *self);
void        tend_chart_tab_bind_class    (GtkWidgetClass *widget_class);

G_END_DECLS
