/* tend-clinical-note.h: a progress note, assessment, discharge summary or addendum
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_NOTE_TEMPLATE_SOAP,
  TEND_NOTE_TEMPLATE_DAP,
  TEND_NOTE_TEMPLATE_BIRP,
  TEND_NOTE_TEMPLATE_INTAKE,
  TEND_NOTE_TEMPLATE_DISCHARGE,
  TEND_NOTE_TEMPLATE_ADDENDUM,
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
 */
typedef struct
{
  const char *key;
  const char *label;
  const char *hint;
} TendNoteSection;

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
void                   tend_clinical_note_prefill_from_appointment (TendClinicalNote *self,
                                                                    TendRecord       *appointment);

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

/* Shared by every signed record (notes, treatment plans). */
extern const char * const tend_signature_fields[];

typedef struct _TendPolicyActor TendPolicyActor;

gboolean tend_signed_record_check (TendPolicyActor *actor,
                                   TendRecord      *stored,
                                   TendRecord      *record,
                                   gboolean         routes_cosign,
                                   GError         **error);

G_END_DECLS
