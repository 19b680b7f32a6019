/* tend-treatment-plan.h: problems, goals, measurable objectives, interventions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-clinical-note.h"
#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_TREATMENT_PLAN (tend_treatment_plan_get_type ())
G_DECLARE_FINAL_TYPE (TendTreatmentPlan, tend_treatment_plan, TEND, TREATMENT_PLAN, TendRecord)

TendTreatmentPlan *tend_treatment_plan_new            (const char         *client_id,
                                                       const char         *author_id);
const char        *tend_treatment_plan_get_client_id  (TendTreatmentPlan  *self);
const char        *tend_treatment_plan_get_review_date(TendTreatmentPlan  *self);
TendSignStatus     tend_treatment_plan_get_status     (TendTreatmentPlan  *self);
JsonNode          *tend_treatment_plan_dup_problems   (TendTreatmentPlan  *self);
char              *tend_treatment_plan_dup_plain_text (TendTreatmentPlan  *self);
char             **tend_treatment_plan_dup_objectives (TendTreatmentPlan  *self);
char              *tend_treatment_plan_dup_outline    (TendTreatmentPlan  *self,
                                                       char             *(*format_date) (const char *iso));
char              *tend_treatment_plan_dup_client_text (TendTreatmentPlan *self,
                                                       char             *(*format_date) (const char *iso));
JsonNode          *tend_treatment_plan_parse_outline  (const char         *text,
                                                       GError            **error);
gboolean           tend_treatment_plan_mark_signed    (TendTreatmentPlan  *self,
                                                       const char         *signer_id,
                                                       GDateTime          *now,
                                                       GError            **error);

G_END_DECLS
