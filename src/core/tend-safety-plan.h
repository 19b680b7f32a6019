/* tend-safety-plan.h: a client's safety plan (the Stanley-Brown structure)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_SAFETY_PLAN (tend_safety_plan_get_type ())
G_DECLARE_FINAL_TYPE (TendSafetyPlan, tend_safety_plan, TEND, SAFETY_PLAN, TendRecord)

/**
 * TendSafetyPlanStep:
 * @key: the record's field
 * @title: the step's heading, as the client reads it (translatable)
 * @prompt: what the step asks (translatable)
 *
 * The plan's steps in their order, each a list of items one per line.
 */
typedef struct
{
  const char *key;
  const char *title;
  const char *prompt;
} TendSafetyPlanStep;

#define TEND_SAFETY_PLAN_N_STEPS 7

const TendSafetyPlanStep *tend_safety_plan_get_steps     (void);
TendSafetyPlan           *tend_safety_plan_new           (const char     *client_id,
                                                          const char     *author_id,
                                                          const char     *plan_date);
const char               *tend_safety_plan_get_client_id (TendSafetyPlan *self);
char                    **tend_safety_plan_dup_items     (TendSafetyPlan *self,
                                                          const char     *step);
char                     *tend_safety_plan_dup_plain_text (TendSafetyPlan *self);

G_END_DECLS
