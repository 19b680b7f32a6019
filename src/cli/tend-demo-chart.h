/* tend-demo-chart.h: demonstration charts for the demo's completed sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

typedef struct _TendDemoChart TendDemoChart;

TendDemoChart *tend_demo_chart_new            (guint32         seed,
                                               gint64          now_usec);
void           tend_demo_chart_free           (TendDemoChart  *chart);
gboolean       tend_demo_chart_write_episode  (TendDemoChart  *chart,
                                               TendStore      *store,
                                               const char     *client_id,
                                               const char     *clinician_id,
                                               const char     *supervisor_id,
                                               GPtrArray      *sessions,
                                               guint          *n_notes,
                                               GError        **error);

G_END_DECLS
