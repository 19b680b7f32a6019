/* tend-clinical-note.h: a progress note, assessment, discharge summary or addendum
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"
#include "tend-practice-template.h"
#include "tend-video-session.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_NOTE_TEMPLATE_SOAP,
  TEND_NOTE_TEMPLATE_DAP,
  TEND_NOTE_TEMPLATE_BIRP,
  TEND_NOTE_TEMPLATE_INTAKE,
  TEND_NOTE_TEMPLATE_DISCHARGE,
  TEND_NOTE_TEMPLATE_ADDENDUM,
  /* Written from one of the practice's own templates (note_template): the
   * note keeps its id and a copy of its definition. */
  TEND_NOTE_TEMPLATE_PRACTICE,
  TEND_N_NOTE_TEMPLATES
} TendNoteTemplate;

typedef enum
{
  TEND_SIGN_STATUS_DRAFT,
  TEND_SIGN_STATUS_SIGNED,
} TendSignStatus;

/**
 * TendNoteSection:
 * @key: the member name in the note's "sections" object
 * @label: translatable heading (N_())
 * @hint: translatable placeholder text (N_())
 * @required: a note of this template is not signed without it
 */
typedef struct
{
  const char *key;
  const char *label;
  const char *hint;
  gboolean    required;
} TendNoteSection;

/* The structured parts every template may carry, each its own member of the
 * note ("risk", "mse"): items with a choice list, free text, or both. */
typedef enum
{
  TEND_NOTE_FORM_RISK,
  TEND_NOTE_FORM_MSE,
  TEND_N_NOTE_FORMS
} TendNoteForm;

/**
 * TendNoteChoice:
 * @nick: what is stored
 * @label: translatable (N_())
 */
typedef struct
{
  const char *nick;
  const char *label;
} TendNoteChoice;

/**
 * TendNoteItem:
 * @key: the member name inside the form's object
 * @label: translatable (N_())
 * @hint: translatable placeholder of the free text (N_())
 * @choices: (nullable): %NULL-nick-terminated choices; %NULL: free text only
 */
typedef struct
{
  const char           *key;
  const char           *label;
  const char           *hint;
  const TendNoteChoice *choices;
} TendNoteItem;

#define TEND_TYPE_CLINICAL_NOTE (tend_clinical_note_get_type ())
G_DECLARE_FINAL_TYPE (TendClinicalNote, tend_clinical_note, TEND, CLINICAL_NOTE, TendRecord)

TendClinicalNote      *tend_clinical_note_new               (const char        *client_id,
                                                             const char        *author_id,
                                                             TendNoteTemplate   template_);
const char            *tend_clinical_note_get_client_id     (TendClinicalNote  *self);
const char            *tend_clinical_note_get_appointment_id(TendClinicalNote  *self);
const char            *tend_clinical_note_get_author_id     (TendClinicalNote  *self);
TendNoteTemplate       tend_clinical_note_get_template      (TendClinicalNote  *self);
TendSignStatus         tend_clinical_note_get_status        (TendClinicalNote  *self);
const char            *tend_clinical_note_get_service_date  (TendClinicalNote  *self);
const char            *tend_clinical_note_get_signed_by     (TendClinicalNote  *self);
const char            *tend_clinical_note_get_signed_at     (TendClinicalNote  *self);
const char            *tend_clinical_note_get_content_sha256(TendClinicalNote  *self);
const char            *tend_clinical_note_get_cosign_required_by (TendClinicalNote *self);
const char            *tend_clinical_note_get_cosigned_by   (TendClinicalNote  *self);
const char            *tend_clinical_note_get_addendum_of   (TendClinicalNote  *self);
gboolean               tend_clinical_note_is_signed         (TendClinicalNote  *self);

char                  *tend_clinical_note_dup_section       (TendClinicalNote  *self,
                                                             const char        *key);
void                   tend_clinical_note_set_section       (TendClinicalNote  *self,
                                                             const char        *key,
                                                             const char        *text);
void                   tend_clinical_note_set_sections      (TendClinicalNote  *self,
                                                             const char        *first_key,
                                                             ...) G_GNUC_NULL_TERMINATED;
char                  *tend_clinical_note_dup_plain_text    (TendClinicalNote  *self);
TendClinicalNote      *tend_clinical_note_new_from_practice_template (const char           *client_id,
                                                                      const char           *author_id,
                                                                      TendPracticeTemplate *template_);
const char            *tend_clinical_note_get_template_id   (TendClinicalNote  *self);
char                  *tend_clinical_note_dup_template_name (TendClinicalNote  *self);
GPtrArray             *tend_clinical_note_dup_section_defs  (TendClinicalNote  *self);
char                 **tend_clinical_note_dup_section_checked (TendClinicalNote *self,
                                                               const char       *key);
void                   tend_clinical_note_set_section_checked (TendClinicalNote   *self,
                                                               const char         *key,
                                                               const char * const *checked);

/**
 * TendNotePart:
 * @heading: (nullable): the section's heading (%NULL for an addendum's text)
 * @text: what it holds, as shown
 *
 * One part of a note as the chart and the PDF show it.
 */
typedef struct
{
  char *heading;
  char *text;
} TendNotePart;

/* Progress on one objective of the client's treatment plan, marked in a
 * note ("objectives": [{"plan_id", "objective", "status", "comment"}]). */
typedef enum
{
  TEND_OBJECTIVE_NOT_ADDRESSED,
  TEND_OBJECTIVE_PROGRESSING,
  TEND_OBJECTIVE_MET,
  TEND_OBJECTIVE_REGRESSED,
  TEND_N_OBJECTIVE_STATUSES
} TendObjectiveStatus;

/**
 * TendObjectiveMark:
 * @plan_id: the treatment plan
 * @objective: the objective's description, as the plan had it
 * @status: the progress
 * @comment: (nullable): a short comment
 */
typedef struct
{
  char                *plan_id;
  char                *objective;
  TendObjectiveStatus  status;
  char                *comment;
} TendObjectiveMark;

const char            *tend_objective_status_to_string      (TendObjectiveStatus status);
const char            *tend_objective_status_get_label      (TendObjectiveStatus status);
TendObjectiveMark     *tend_objective_mark_new              (const char         *plan_id,
                                                             const char         *objective,
                                                             TendObjectiveStatus status,
                                                             const char         *comment);
void                   tend_objective_mark_free             (TendObjectiveMark *mark);
GPtrArray             *tend_clinical_note_dup_objectives    (TendClinicalNote  *self);
void                   tend_clinical_note_set_objectives    (TendClinicalNote  *self,
                                                             GPtrArray         *marks);
GPtrArray             *tend_objective_history               (GPtrArray         *notes,
                                                             const char        *objective);

void                   tend_note_part_free                  (TendNotePart      *part);
GPtrArray             *tend_clinical_note_dup_parts         (TendClinicalNote  *self);
void                   tend_clinical_note_prefill_from_appointment (TendClinicalNote *self,
                                                                    TendRecord       *appointment,
                                                                    GTimeZone        *zone);
GDateTime             *tend_clinical_note_dup_service_start (TendClinicalNote  *self);
void                   tend_clinical_note_set_service_start (TendClinicalNote  *self,
                                                             GDateTime         *start,
                                                             GTimeZone         *zone);
const char            *tend_clinical_note_get_modality_label (TendClinicalNote *self);
char                  *tend_clinical_note_dup_session_summary (TendClinicalNote *self,
                                                               GTimeZone        *zone);

char                  *tend_clinical_note_dup_item_choice   (TendClinicalNote  *self,
                                                             TendNoteForm       form,
                                                             const char        *key);
char                  *tend_clinical_note_dup_item_text     (TendClinicalNote  *self,
                                                             TendNoteForm       form,
                                                             const char        *key);
void                   tend_clinical_note_set_item          (TendClinicalNote  *self,
                                                             TendNoteForm       form,
                                                             const char        *key,
                                                             const char        *choice,
                                                             const char        *text);
char                  *tend_clinical_note_dup_form_text     (TendClinicalNote  *self,
                                                             TendNoteForm       form);
gboolean               tend_clinical_note_check_complete    (TendClinicalNote  *self,
                                                             GError           **error);
char                 **tend_clinical_note_list_missing      (TendClinicalNote  *self);

char                  *tend_clinical_note_compute_sha256    (TendClinicalNote  *self);
gboolean               tend_clinical_note_mark_signed       (TendClinicalNote  *self,
                                                             const char        *signer_id,
                                                             GDateTime         *now,
                                                             GError           **error);

const char            *tend_note_template_to_string         (TendNoteTemplate   template_);
gboolean               tend_note_template_from_string       (const char        *nick,
                                                             TendNoteTemplate  *template_);
const char            *tend_note_template_get_label         (TendNoteTemplate   template_);
const TendNoteSection *tend_note_template_get_sections      (TendNoteTemplate   template_,
                                                             guint             *n_sections);
const char            *tend_note_form_get_key               (TendNoteForm       form);
const char            *tend_note_form_get_label             (TendNoteForm       form);
const TendNoteItem    *tend_note_form_get_items             (TendNoteForm       form,
                                                             guint             *n_items);
const char            *tend_note_choice_get_label           (const TendNoteItem *item,
                                                             const char        *nick);

/* The members of a note the editor changes besides its sections (its
 * session, risk assessment and mental status exam), %NULL-terminated. */
extern const char * const tend_note_editable_fields[];

/* Shared by every signed record (notes, treatment plans). */
extern const char * const tend_signature_fields[];

typedef struct _TendPolicyActor TendPolicyActor;

gboolean tend_signed_record_check (TendPolicyActor *actor,
                                   TendRecord      *stored,
                                   TendRecord      *record,
                                   gboolean         routes_cosign,
                                   GError         **error);

void                   tend_clinical_note_prefill_from_video_session (TendClinicalNote *self,
                                                                      TendVideoSession *session,
                                                                      GTimeZone        *zone);

G_END_DECLS
