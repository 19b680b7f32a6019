/* tend-diagnosis.h: an ICD-10-CM diagnosis on a client's chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_DIAGNOSIS_PRIMARY,
  TEND_DIAGNOSIS_SECONDARY,
} TendDiagnosisRank;

#define TEND_TYPE_DIAGNOSIS (tend_diagnosis_get_type ())
G_DECLARE_FINAL_TYPE (TendDiagnosis, tend_diagnosis, TEND, DIAGNOSIS, TendRecord)

TendDiagnosis     *tend_diagnosis_new             (const char     *client_id,
                                                   const char     *code,
                                                   const char     *description);
const char        *tend_diagnosis_get_client_id   (TendDiagnosis  *self);
const char        *tend_diagnosis_get_code        (TendDiagnosis  *self);
const char        *tend_diagnosis_get_description (TendDiagnosis  *self);
TendDiagnosisRank  tend_diagnosis_get_rank        (TendDiagnosis  *self);
const char        *tend_diagnosis_get_onset       (TendDiagnosis  *self);
const char        *tend_diagnosis_get_resolved    (TendDiagnosis  *self);
gboolean           tend_diagnosis_is_active       (TendDiagnosis  *self);
gboolean           tend_icd10_code_is_valid       (const char     *code);

G_END_DECLS
