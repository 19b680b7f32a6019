/* tend-chart-export.h: a client's chart written as a PDF, in a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-chart-header.h"

G_BEGIN_DECLS

void     tend_chart_export_async  (gpointer             source_object,
                                   TendStore           *store,
                                   const char          *client_id,
                                   GFile               *file,
                                   const char          *from,
                                   const char          *to,
                                   gboolean             messages,
                                   TendChartHeader     *progress,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean tend_chart_export_finish (GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
