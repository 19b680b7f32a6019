/* tend-chart-pdf.h: a client's chart as a PDF, for a records request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tend-core.h"
#include "tend-pdf.h"

G_BEGIN_DECLS

/* @fraction: 0.0 to 1.0.  Called from the thread that writes. */
typedef void (*TendProgressFunc) (double   fraction,
                                  gpointer user_data);

gboolean  tend_chart_pdf_write        (TendChartBundle     *bundle,
                                       const char          *path,
                                       GCancellable        *cancellable,
                                       TendProgressFunc     progress,
                                       gpointer             progress_data,
                                       GError             **error);


G_END_DECLS
