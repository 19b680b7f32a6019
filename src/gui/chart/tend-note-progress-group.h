/* tend-note-progress-group.h: progress on the treatment plan's objectives, in a note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_NOTE_PROGRESS_GROUP (tend_note_progress_group_get_type ())
G_DECLARE_FINAL_TYPE (TendNoteProgressGroup, tend_note_progress_group, TEND, NOTE_PROGRESS_GROUP, AdwPreferencesGroup)

GtkWidget   *tend_note_progress_group_new             (TendTreatmentPlan     *plan,
                                                       TendClinicalNote      *note);
void         tend_note_progress_group_apply           (TendNoteProgressGroup *self,
                                                       TendClinicalNote      *note);
guint        tend_note_progress_group_get_n_objectives (TendNoteProgressGroup *self);
AdwComboRow *tend_note_progress_group_get_status_row  (TendNoteProgressGroup *self,
                                                       guint                  index);
AdwEntryRow *tend_note_progress_group_get_comment_row (TendNoteProgressGroup *self,
                                                       guint                  index);

G_END_DECLS
