/* tend-safety-plan-window.h: writing a client's safety plan with them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_SAFETY_PLAN_WINDOW (tend_safety_plan_window_get_type ())
G_DECLARE_FINAL_TYPE (TendSafetyPlanWindow, tend_safety_plan_window, TEND, SAFETY_PLAN_WINDOW, AdwWindow)

TendSafetyPlanWindow *tend_safety_plan_window_new      (TendStore            *store,
                                                        const char           *client_id,
                                                        TendSafetyPlan       *plan,
                                                        GTimeZone            *zone);
GtkTextBuffer        *tend_safety_plan_window_get_step (TendSafetyPlanWindow *self,
                                                        const char           *key);
gboolean              tend_safety_plan_window_save     (TendSafetyPlanWindow *self,
                                                        GError              **error);

G_END_DECLS
