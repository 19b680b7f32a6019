/* tend-measure-graph.h: one measure's scores over time, on its severity bands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_MEASURE_GRAPH (tend_measure_graph_get_type ())
G_DECLARE_FINAL_TYPE (TendMeasureGraph, tend_measure_graph, TEND, MEASURE_GRAPH, GtkWidget)

GtkWidget *tend_measure_graph_new          (TendInstrument    instrument);
void       tend_measure_graph_set_measures (TendMeasureGraph *self,
                                            GPtrArray        *measures);
guint      tend_measure_graph_get_n_points (TendMeasureGraph *self);

G_END_DECLS
