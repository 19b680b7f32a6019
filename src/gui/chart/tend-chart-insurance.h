/* tend-chart-insurance.h: a client's insurance policies, in the chart's
 * Contacts and the client form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHART_INSURANCE (tend_chart_insurance_get_type ())
G_DECLARE_FINAL_TYPE (TendChartInsurance, tend_chart_insurance, TEND, CHART_INSURANCE, AdwPreferencesGroup)

GtkWidget *tend_chart_insurance_new           (TendStore          *store,
                                               const char         *client_id);
void       tend_chart_insurance_set_client    (TendChartInsurance *self,
                                               TendStore          *store,
                                               const char         *client_id);
void       tend_chart_insurance_refresh       (TendChartInsurance *self);
gboolean   tend_chart_insurance_can_edit      (TendChartInsurance *self);
GtkListBox *tend_chart_insurance_get_list      (TendChartInsurance *self);
GtkWidget *tend_chart_insurance_get_add_button (TendChartInsurance *self);
guint      tend_chart_insurance_get_n_policies (TendChartInsurance *self);
guint      tend_chart_insurance_get_n_pending (TendChartInsurance *self);
GtkWindow *tend_chart_insurance_open          (TendChartInsurance *self,
                                               const char         *policy_id);
GtkWindow *tend_chart_insurance_review        (TendChartInsurance *self,
                                               const char         *source_id);
GtkWindow *tend_chart_insurance_review_for    (GtkWidget          *near,
                                               TendStore          *store,
                                               const char         *client_id,
                                               const char         *source_id,
                                               GError            **error);
GtkWidget *tend_chart_insurance_dismiss       (TendChartInsurance *self,
                                               const char         *source_id);
gboolean   tend_chart_insurance_dismiss_now   (TendChartInsurance *self,
                                               const char         *source_id,
                                               GError            **error);
gboolean   tend_chart_insurance_end           (TendChartInsurance *self,
                                               const char         *policy_id,
                                               GError            **error);

G_END_DECLS
