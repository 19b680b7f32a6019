/* tend-plan-editor.h: writing a client's treatment plan, problem by problem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_PLAN_PROBLEM,
  TEND_PLAN_GOAL,
  TEND_PLAN_OBJECTIVE,
  TEND_PLAN_TARGET_DATE,
  TEND_PLAN_INTERVENTION,
} TendPlanPart;

#define TEND_TYPE_PLAN_EDITOR (tend_plan_editor_get_type ())
G_DECLARE_FINAL_TYPE (TendPlanEditor, tend_plan_editor, TEND, PLAN_EDITOR, AdwWindow)

TendPlanEditor *tend_plan_editor_new                (TendStore         *store,
                                                     const char        *client_id,
                                                     TendTreatmentPlan *plan,
                                                     GTimeZone         *zone);
GtkWidget      *tend_plan_editor_get_review_row     (TendPlanEditor    *self);
GtkWidget      *tend_plan_editor_get_frequency_row  (TendPlanEditor    *self);
GtkWidget      *tend_plan_editor_get_row            (TendPlanEditor    *self,
                                                     TendPlanPart       part,
                                                     guint              problem,
                                                     guint              goal,
                                                     guint              item);
GtkWidget      *tend_plan_editor_get_add_button     (TendPlanEditor    *self,
                                                     TendPlanPart       part,
                                                     guint              problem,
                                                     guint              goal);
GtkWidget      *tend_plan_editor_get_remove_button  (TendPlanEditor    *self,
                                                     TendPlanPart       part,
                                                     guint              problem,
                                                     guint              goal,
                                                     guint              item);
const char     *tend_plan_editor_get_error          (TendPlanEditor    *self);
gboolean        tend_plan_editor_save               (TendPlanEditor    *self,
                                                     GError           **error);
gboolean        tend_plan_editor_has_changes (TendPlanEditor *self);

G_END_DECLS
