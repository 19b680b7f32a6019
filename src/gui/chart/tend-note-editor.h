/* tend-note-editor.h: writing a note from its template, saved as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"
#include "tend-note-form-group.h"
#include "tend-note-progress-group.h"
#include "tend-note-session-group.h"

G_BEGIN_DECLS

#define TEND_TYPE_NOTE_EDITOR (tend_note_editor_get_type ())
G_DECLARE_FINAL_TYPE (TendNoteEditor, tend_note_editor, TEND, NOTE_EDITOR, GtkWidget)

GtkWidget        *tend_note_editor_new              (TendStore        *store,
                                                     const char       *note_id,
                                                     GTimeZone        *zone,
                                                     GError          **error);
TendClinicalNote *tend_note_editor_get_note         (TendNoteEditor   *self);
gboolean          tend_note_editor_get_recovered    (TendNoteEditor   *self);
GtkTextBuffer    *tend_note_editor_get_buffer       (TendNoteEditor   *self,
                                                     const char       *section);
gboolean          tend_note_editor_flush            (TendNoteEditor   *self,
                                                     GError          **error);
gboolean          tend_note_editor_discard          (TendNoteEditor   *self,
                                                     GError          **error);
gboolean          tend_note_editor_save             (TendNoteEditor   *self,
                                                     GError          **error);
AdwComboRow      *tend_note_editor_get_choice_row   (TendNoteEditor   *self,
                                                     const char       *section);
GtkCheckButton   *tend_note_editor_get_check_button (TendNoteEditor   *self,
                                                     const char       *section,
                                                     guint             option);
GtkWidget        *tend_note_editor_get_missing_label (TendNoteEditor  *self,
                                                     const char       *section);
guint             tend_note_editor_get_n_autosaves  (TendNoteEditor   *self);
void              tend_note_editor_focus            (TendNoteEditor   *self);
TendNoteSessionGroup *tend_note_editor_get_session_group (TendNoteEditor *self);
TendNoteProgressGroup *tend_note_editor_get_progress_group (TendNoteEditor *self);
TendNoteFormGroup *tend_note_editor_get_form_group  (TendNoteEditor   *self,
                                                     TendNoteForm      form);

G_END_DECLS
