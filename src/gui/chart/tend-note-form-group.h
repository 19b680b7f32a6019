/* tend-note-form-group.h: a note's risk assessment or mental status exam
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_NOTE_FORM_GROUP (tend_note_form_group_get_type ())
G_DECLARE_FINAL_TYPE (TendNoteFormGroup, tend_note_form_group, TEND, NOTE_FORM_GROUP, AdwPreferencesGroup)

GtkWidget   *tend_note_form_group_new         (TendNoteForm       form);
void         tend_note_form_group_load        (TendNoteFormGroup *self,
                                               TendClinicalNote  *note);
void         tend_note_form_group_apply       (TendNoteFormGroup *self,
                                               TendClinicalNote  *note);
void         tend_note_form_group_mark_missing (TendNoteFormGroup *self,
                                               const char * const *missing);
void         tend_note_form_group_set_required (TendNoteFormGroup *self,
                                               gboolean           required);
AdwComboRow *tend_note_form_group_get_choice_row (TendNoteFormGroup *self,
                                               const char        *key);
AdwEntryRow *tend_note_form_group_get_text_row (TendNoteFormGroup *self,
                                               const char        *key);

G_END_DECLS
