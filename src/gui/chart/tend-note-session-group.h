/* tend-note-session-group.h: the session a note documents, in the practice's zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_NOTE_SESSION_GROUP (tend_note_session_group_get_type ())
G_DECLARE_FINAL_TYPE (TendNoteSessionGroup, tend_note_session_group, TEND, NOTE_SESSION_GROUP, AdwPreferencesGroup)

GtkWidget   *tend_note_session_group_new                  (GTimeZone            *zone);
void         tend_note_session_group_load                 (TendNoteSessionGroup *self,
                                                           TendClinicalNote     *note,
                                                           const char           *appointment_label);
gboolean     tend_note_session_group_apply                (TendNoteSessionGroup *self,
                                                           TendClinicalNote     *note,
                                                           GError              **error);
AdwEntryRow *tend_note_session_group_get_time_row         (TendNoteSessionGroup *self);
AdwComboRow *tend_note_session_group_get_modality_row     (TendNoteSessionGroup *self);
AdwEntryRow *tend_note_session_group_get_participants_row (TendNoteSessionGroup *self);

G_END_DECLS
