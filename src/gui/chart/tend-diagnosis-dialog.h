/* tend-diagnosis-dialog.h: choosing an ICD-10-CM code for a client's
 * diagnosis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_DIAGNOSIS_DIALOG (tend_diagnosis_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendDiagnosisDialog, tend_diagnosis_dialog, TEND, DIAGNOSIS_DIALOG, AdwMessageDialog)

GtkWidget            *tend_diagnosis_dialog_new          (GtkWindow           *parent);
void                  tend_diagnosis_dialog_set_query    (TendDiagnosisDialog *self,
                                                          const char          *text);
void                  tend_diagnosis_dialog_set_primary  (TendDiagnosisDialog *self,
                                                          gboolean             primary);
gboolean              tend_diagnosis_dialog_get_primary  (TendDiagnosisDialog *self);
const TendIcd10Entry *tend_diagnosis_dialog_get_selected (TendDiagnosisDialog *self);

G_END_DECLS
