/* tend-measure-dialog.h: one instrument (PHQ-9, GAD-7, PCL-5, AUDIT-C)
 * answered item by item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_MEASURE_DIALOG (tend_measure_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendMeasureDialog, tend_measure_dialog, TEND, MEASURE_DIALOG, AdwMessageDialog)

GtkWidget       *tend_measure_dialog_new            (GtkWindow         *parent,
                                                     TendInstrument     instrument);
TendInstrument   tend_measure_dialog_get_instrument (TendMeasureDialog *self);
guint            tend_measure_dialog_get_n_items    (TendMeasureDialog *self);
GtkToggleButton *tend_measure_dialog_get_choice     (TendMeasureDialog *self,
                                                     guint              item,
                                                     guint              option);
gboolean         tend_measure_dialog_get_answers    (TendMeasureDialog *self,
                                                     guint             *answers);

G_END_DECLS
