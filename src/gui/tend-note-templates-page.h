/* tend-note-templates-page.h: the practice's own note templates, made in Tend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_NOTE_TEMPLATES_PAGE (tend_note_templates_page_get_type ())
G_DECLARE_FINAL_TYPE (TendNoteTemplatesPage, tend_note_templates_page, TEND, NOTE_TEMPLATES_PAGE, AdwPreferencesPage)

GtkWidget            *tend_note_templates_page_new          (TendStore             *store);
void                  tend_note_templates_page_edit         (TendNoteTemplatesPage *self,
                                                             const char            *template_id);
void                  tend_note_templates_page_add_section  (TendNoteTemplatesPage *self,
                                                             TendNoteSectionKind    kind);
void                  tend_note_templates_page_move_section (TendNoteTemplatesPage *self,
                                                             guint                  index,
                                                             int                    delta);
void                  tend_note_templates_page_remove_section (TendNoteTemplatesPage *self,
                                                             guint                  index);
guint                 tend_note_templates_page_get_n_sections (TendNoteTemplatesPage *self);
AdwEntryRow          *tend_note_templates_page_get_name_row (TendNoteTemplatesPage *self);
AdwEntryRow          *tend_note_templates_page_get_title_row (TendNoteTemplatesPage *self,
                                                             guint                  index);
GtkSwitch            *tend_note_templates_page_get_required_switch (TendNoteTemplatesPage *self,
                                                             guint                  index);
GtkTextBuffer        *tend_note_templates_page_get_options (TendNoteTemplatesPage *self,
                                                             guint                  index);
gboolean              tend_note_templates_page_save         (TendNoteTemplatesPage *self,
                                                             GError               **error);
gboolean              tend_note_templates_page_set_archived (TendNoteTemplatesPage *self,
                                                             gboolean               archived,
                                                             GError               **error);
TendPracticeTemplate *tend_note_templates_page_get_current  (TendNoteTemplatesPage *self);

G_END_DECLS
