/* tend-objective-progress.h: each objective's progress over time, from the notes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_OBJECTIVE_PROGRESS (tend_objective_progress_get_type ())
G_DECLARE_FINAL_TYPE (TendObjectiveProgress, tend_objective_progress, TEND, OBJECTIVE_PROGRESS, AdwPreferencesGroup)

GtkWidget *tend_objective_progress_new          (TendStore             *store,
                                                 TendTreatmentPlan     *plan,
                                                 GError               **error);
guint      tend_objective_progress_get_n_marks  (TendObjectiveProgress *self,
                                                 guint                  objective);

G_END_DECLS
