/* tend-practice-template.h: a note template the practice made in Tend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_NOTE_SECTION_TEXT,
  TEND_NOTE_SECTION_CHECKBOXES,
  TEND_NOTE_SECTION_CHOICE,
  TEND_NOTE_SECTION_RISK,
  TEND_NOTE_SECTION_MSE,
  TEND_N_NOTE_SECTION_KINDS
} TendNoteSectionKind;

/**
 * TendNoteSectionDef:
 * @key: the member name in a note's "sections" ("risk" or "mse" for those
 *   kinds, which are the note's own members)
 * @title: the heading, as the practice wrote it (or the form's translated
 *   name for the risk assessment and the mental status exam)
 * @help: (nullable): what to write
 * @required: a note is not signed without it
 * @kind: free text, checkboxes, one choice, or the risk or MSE form
 * @options: (nullable): the options of checkboxes and choice sections
 *
 * One section of a template: of a practice's template, or of a built-in
 * one (then always text).
 */
typedef struct
{
  char                *key;
  char                *title;
  char                *help;
  gboolean             required;
  TendNoteSectionKind  kind;
  char               **options;
} TendNoteSectionDef;

void                 tend_note_section_def_free          (TendNoteSectionDef  *def);
TendNoteSectionDef  *tend_note_section_def_new           (const char          *key,
                                                          const char          *title,
                                                          const char          *help,
                                                          gboolean             required,
                                                          TendNoteSectionKind  kind,
                                                          const char * const  *options);
const char          *tend_note_section_kind_to_string    (TendNoteSectionKind  kind);
const char          *tend_note_section_kind_get_label    (TendNoteSectionKind  kind);
GPtrArray           *tend_note_section_defs_parse        (JsonNode            *node,
                                                          GError             **error);
JsonNode            *tend_note_section_defs_to_json      (GPtrArray           *defs);
char                *tend_note_section_key_new           (GPtrArray           *defs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendNoteSectionDef, tend_note_section_def_free)

#define TEND_TYPE_PRACTICE_TEMPLATE (tend_practice_template_get_type ())
G_DECLARE_FINAL_TYPE (TendPracticeTemplate, tend_practice_template, TEND, PRACTICE_TEMPLATE, TendRecord)

TendPracticeTemplate *tend_practice_template_new          (const char           *name);
const char           *tend_practice_template_get_name     (TendPracticeTemplate *self);
gboolean              tend_practice_template_is_archived  (TendPracticeTemplate *self);
void                  tend_practice_template_set_archived (TendPracticeTemplate *self,
                                                           gboolean              archived);
GPtrArray            *tend_practice_template_dup_sections (TendPracticeTemplate *self);
void                  tend_practice_template_set_sections (TendPracticeTemplate *self,
                                                           GPtrArray            *defs);
JsonNode             *tend_practice_template_dup_definition (TendPracticeTemplate *self);

G_END_DECLS
