/* tend-clinical-note.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-staff.h"
#include "tend-appointment.h"
#include "tend-clinical-note.h"
#include "tend-error.h"
#include "tend-time.h"

struct _TendClinicalNote
{
  TendRecord parent_instance;

  char    *client_id;
  char    *appointment_id;
  char    *author_id;
  int      template_;
  char    *sections;
  char    *service_date;
  gint64   duration_minutes;
  char    *service_code;
  int      modality;
  int      status;
  char    *signed_by;
  char    *signed_at;
  char    *content_sha256;
  char    *cosign_required_by;
  char    *cosigned_by;
  char    *cosigned_at;
  char    *addendum_of;
};

G_DEFINE_FINAL_TYPE (TendClinicalNote, tend_clinical_note, TEND_TYPE_RECORD)

static const char * const template_choices[] = {
  "soap", "dap", "birp", "intake", "discharge", "addendum", NULL
};
static const char * const modality_choices[] = { "in_person", "telehealth", NULL };
static const char * const status_choices[] = { "draft", "signed", NULL };

/* What a signature does not cover: the signature itself, and the co-signature
 * that comes after it. */
const char * const tend_signature_fields[] = {
  "status", "signed_by", "signed_at", "content_sha256", "cosigned_by", "cosigned_at", NULL
};

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendClinicalNote, member), len, NULL, 0, 0 }
#define E(n, l, fl, member, choices) \
  { n, l, TEND_FIELD_ENUM, fl, G_STRUCT_OFFSET (TendClinicalNote, member), 0, choices, 0, 0 }

static const TendField note_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("appointment_id", N_("Appointment"), TEND_FIELD_UUID, 0, appointment_id, 36),
  F ("author_id", N_("Author"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, author_id, 36),
  E ("template", N_("Template"), TEND_FIELD_REQUIRED, template_, template_choices),
  F ("sections", N_("Note text"), TEND_FIELD_JSON, 0, sections, 400000),
  F ("service_date", N_("Service date"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, service_date, 10),
  { "duration_minutes", N_("Duration"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendClinicalNote, duration_minutes), 0, NULL, 0, 1440 },
  F ("service_code", N_("Service"), TEND_FIELD_STRING, 0, service_code, 16),
  E ("modality", N_("Modality"), TEND_FIELD_REQUIRED, modality, modality_choices),
  E ("status", N_("Status"), TEND_FIELD_REQUIRED, status, status_choices),
  F ("signed_by", N_("Signed by"), TEND_FIELD_UUID, 0, signed_by, 36),
  F ("signed_at", N_("Signed at"), TEND_FIELD_DATETIME, 0, signed_at, 40),
  F ("content_sha256", N_("Content hash"), TEND_FIELD_STRING, 0, content_sha256, 64),
  F ("cosign_required_by", N_("Co-signer"), TEND_FIELD_UUID, 0, cosign_required_by, 36),
  F ("cosigned_by", N_("Co-signed by"), TEND_FIELD_UUID, 0, cosigned_by, 36),
  F ("cosigned_at", N_("Co-signed at"), TEND_FIELD_DATETIME, 0, cosigned_at, 40),
  F ("addendum_of", N_("Addendum to"), TEND_FIELD_UUID, 0, addendum_of, 36),
};

#undef F
#undef E

static const TendNoteSection soap_sections[] = {
  { "subjective", N_("Subjective"), N_("What the client reports: concerns, mood, events since the last session") },
  { "objective", N_("Objective"), N_("What you observed: appearance, affect, behaviour, measures") },
  { "assessment", N_("Assessment"), N_("Your clinical impression and progress toward goals") },
  { "plan", N_("Plan"), N_("Next steps, homework, next session") },
};
static const TendNoteSection dap_sections[] = {
  { "data", N_("Data"), N_("What the client said and what you observed") },
  { "assessment", N_("Assessment"), N_("Your interpretation and progress toward goals") },
  { "plan", N_("Plan"), N_("Next steps, homework, next session") },
};
static const TendNoteSection birp_sections[] = {
  { "behavior", N_("Behavior"), N_("The client’s presentation and what they reported") },
  { "intervention", N_("Intervention"), N_("What you did in session") },
  { "response", N_("Response"), N_("How the client responded") },
  { "plan", N_("Plan"), N_("Next steps, homework, next session") },
};
static const TendNoteSection intake_sections[] = {
  { "presenting_problem", N_("Presenting problem"), N_("In the client’s words, and why now") },
  { "history", N_("History of the problem"), N_("Onset, course, what has helped") },
  { "psychiatric_history", N_("Psychiatric history"), N_("Earlier treatment, hospitalisations, medication") },
  { "medical_history", N_("Medical history"), N_("Conditions, medication, allergies") },
  { "substance_use", N_("Substance use"), N_("Alcohol, drugs, tobacco, caffeine") },
  { "family_social", N_("Family and social history"), N_("Family, relationships, work or school, supports") },
  { "mental_status", N_("Mental status"), N_("Appearance, mood, affect, thought, cognition, insight") },
  { "risk", N_("Risk assessment"), N_("Suicide, self-harm, harm to others, safety plan") },
  { "impression", N_("Diagnostic impression"), N_("Formulation and diagnoses") },
  { "plan", N_("Plan"), N_("Treatment recommendations and next steps") },
};
static const TendNoteSection discharge_sections[] = {
  { "reason", N_("Reason for discharge"), N_("Goals met, moved, referred, stopped attending…") },
  { "course", N_("Course of treatment"), N_("Dates, number of sessions, approaches used") },
  { "progress", N_("Progress toward goals"), N_("What changed, measured where possible") },
  { "condition", N_("Condition at discharge"), N_("Mood, risk, functioning") },
  { "recommendations", N_("Recommendations and referrals"), N_("Aftercare, referrals, how to return") },
};
static const TendNoteSection addendum_sections[] = {
  { "text", N_("Addendum"), N_("The correction or addition, and why") },
};

const TendNoteSection *
tend_note_template_get_sections (TendNoteTemplate template_,
                                 guint           *n_sections)
{
#define RET(a) G_STMT_START { if (n_sections) *n_sections = G_N_ELEMENTS (a); return a; } G_STMT_END
  switch (template_)
    {
    case TEND_NOTE_TEMPLATE_SOAP:      RET (soap_sections);
    case TEND_NOTE_TEMPLATE_DAP:       RET (dap_sections);
    case TEND_NOTE_TEMPLATE_BIRP:      RET (birp_sections);
    case TEND_NOTE_TEMPLATE_INTAKE:    RET (intake_sections);
    case TEND_NOTE_TEMPLATE_DISCHARGE: RET (discharge_sections);
    case TEND_NOTE_TEMPLATE_ADDENDUM:  RET (addendum_sections);
    case TEND_N_NOTE_TEMPLATES:
    default:
      if (n_sections)
        *n_sections = 0;
      return NULL;
    }
#undef RET
}

const char *
tend_note_template_to_string (TendNoteTemplate template_)
{
  g_return_val_if_fail (template_ < TEND_N_NOTE_TEMPLATES, NULL);
  return template_choices[template_];
}

gboolean
tend_note_template_from_string (const char       *nick,
                                TendNoteTemplate *template_)
{
  for (guint i = 0; template_choices[i] != NULL; i++)
    if (g_strcmp0 (nick, template_choices[i]) == 0)
      {
        if (template_ != NULL)
          *template_ = (TendNoteTemplate) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tend_note_template_get_label (TendNoteTemplate template_)
{
  switch (template_)
    {
    case TEND_NOTE_TEMPLATE_SOAP:      return _("SOAP note");
    case TEND_NOTE_TEMPLATE_DAP:       return _("DAP note");
    case TEND_NOTE_TEMPLATE_BIRP:      return _("BIRP note");
    case TEND_NOTE_TEMPLATE_INTAKE:    return _("Initial assessment");
    case TEND_NOTE_TEMPLATE_DISCHARGE: return _("Discharge summary");
    case TEND_NOTE_TEMPLATE_ADDENDUM:  return _("Addendum");
    case TEND_N_NOTE_TEMPLATES:
    default:                           return "";
    }
}

static gboolean
template_has_section (TendNoteTemplate template_,
                      const char      *key)
{
  guint n = 0;
  const TendNoteSection *sections = tend_note_template_get_sections (template_, &n);

  for (guint i = 0; i < n; i++)
    if (strcmp (sections[i].key, key) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_clinical_note_validate (TendRecord *record,
                             GError    **error)
{
  TendClinicalNote *self = TEND_CLINICAL_NOTE (record);

  if (self->sections != NULL)
    {
      g_autoptr(JsonNode) node = tend_record_dup_json (record, "sections");
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("Note text: expected an object of sections"));
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            return invalid (error, _("Note text: every section must be text"));
          if (!template_has_section ((TendNoteTemplate) self->template_, key))
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Note text: “%s” is not a section of this template"), key);
              return FALSE;
            }
        }
    }
  if ((self->template_ == TEND_NOTE_TEMPLATE_ADDENDUM) != (self->addendum_of != NULL))
    return invalid (error, _("Addendum to: an addendum names the note it corrects, and only an addendum does"));

  if (self->status == TEND_SIGN_STATUS_SIGNED)
    {
      g_autofree char *hash = NULL;

      if (self->signed_by == NULL || self->signed_at == NULL || self->content_sha256 == NULL)
        return invalid (error, _("Signature: a signed note needs its signer, time and content hash"));
      hash = tend_clinical_note_compute_sha256 (self);
      if (g_strcmp0 (hash, self->content_sha256) != 0)
        return invalid (error, _("Signature: the note’s content does not match its signature"));
    }
  else if (self->signed_by != NULL || self->signed_at != NULL || self->content_sha256 != NULL)
    return invalid (error, _("Signature: a draft cannot carry a signature"));

  if ((self->cosigned_by == NULL) != (self->cosigned_at == NULL))
    return invalid (error, _("Co-signature: needs both who co-signed and when"));
  if (self->cosigned_by != NULL && self->status != TEND_SIGN_STATUS_SIGNED)
    return invalid (error, _("Co-signature: only a signed note can be co-signed"));
  return TRUE;
}

/**
 * tend_signed_record_check:
 * @routes_cosign: whether the record has "cosign_required_by", set at
 *   signing from the author's staff record (notes); without it (plans) any
 *   role that co-signs may co-sign
 *
 * The rules of records their author signs, shared by notes and treatment
 * plans, from the actor and never from the body: only the author writes a
 * draft, deletes it and signs it, in their own name; a note is routed for
 * co-signature to the supervisor on the author's staff record, nobody else;
 * the co-signature is the co-signer's own, once.  (That nothing else of a
 * signed record changes is the policy's freeze.)
 */
gboolean
tend_signed_record_check (TendPolicyActor *actor,
                          TendRecord      *stored,
                          TendRecord      *record,
                          gboolean         routes_cosign,
                          GError         **error)
{
  const char *me = actor->staff_id;

  if (me == NULL)
    return tend_policy_deny (error, _("Only a signed-in person writes clinical records."));

  if (stored != NULL && g_strcmp0 (tend_record_get_string (stored, "status"), "signed") == 0)
    {
      const char *by = record != NULL ? tend_record_get_string (record, "cosigned_by") : NULL;

      /* The freeze let through only a first co-signature. */
      if (by == NULL || tend_record_get_string (stored, "cosigned_by") != NULL)
        return TRUE;
      if (g_strcmp0 (by, me) != 0)
        return tend_policy_deny (error, _("A co-signature can only be your own."));
      if (!tend_role_can (actor->role, TEND_PERMISSION_COSIGN) ||
          g_strcmp0 (me, tend_record_get_string (stored, "author_id")) == 0)
        return tend_policy_deny (error, _("Only the author’s supervisor can co-sign this record."));
      if (routes_cosign && actor->role != TEND_ROLE_OWNER &&
          g_strcmp0 (me, tend_record_get_string (stored, "cosign_required_by")) != 0)
        return tend_policy_deny (error, _("Only the author’s supervisor can co-sign this note."));
      if (routes_cosign && tend_record_get_string (stored, "cosign_required_by") == NULL)
        return tend_policy_deny (error, _("This note is not waiting for a co-signature."));
      return TRUE;
    }

  /* A draft, or a new record: the author's alone. */
  if (stored != NULL && g_strcmp0 (tend_record_get_string (stored, "author_id"), me) != 0)
    return tend_policy_deny (error, _("Only the author can change or remove their draft."));
  if (record == NULL)
    return TRUE;
  if (g_strcmp0 (tend_record_get_string (record, "author_id"), me) != 0)
    return tend_policy_deny (error, _("You can only write clinical records as yourself."));
  if (g_strcmp0 (tend_record_get_string (record, "status"), "signed") != 0)
    return TRUE;
  if (g_strcmp0 (tend_record_get_string (record, "signed_by"), me) != 0)
    return tend_policy_deny (error, _("Only the author can sign in their own name."));
  if (tend_record_get_string (record, "cosigned_by") != NULL)
    return tend_policy_deny (error, _("A record is co-signed after it is signed, by someone else."));
  if (routes_cosign)
    {
      g_autoptr(TendRecord) author = NULL;
      g_autoptr(GError) local = NULL;
      const char *supervisor = NULL;

      author = tend_policy_actor_load (actor, TEND_TYPE_STAFF, me, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      /* Addenda are not routed again: the note they correct was. */
      if (author != NULL && tend_record_get_string (record, "addendum_of") == NULL)
        supervisor = tend_staff_get_supervisor_id (TEND_STAFF (author));
      if (g_strcmp0 (supervisor, tend_record_get_string (record, "cosign_required_by")) != 0)
        return tend_policy_deny (error, supervisor != NULL
                                 ? _("Your notes go to your supervisor for co-signature: sign again after syncing.")
                                 : _("Only supervisees’ notes wait for a co-signature."));
    }
  return TRUE;
}

static gboolean
note_check (TendPolicyActor *actor,
            gboolean         extra_writer,
            TendRecord      *stored,
            TendRecord      *record,
            GError         **error)
{
  return tend_signed_record_check (actor, stored, record, TRUE, error);
}

/* A biller sees that a session was documented (date, service, status,
 * author), never what was written. */
static const char * const note_redacted_keep[] = {
  "client_id", "appointment_id", "author_id", "template", "service_date", "duration_minutes",
  "service_code", "modality", "status", "signed_by", "signed_at", "content_sha256",
  "cosign_required_by", "cosigned_by", "cosigned_at", "addendum_of", NULL
};

static const char * const cosignature_fields[] = { "cosigned_by", "cosigned_at", NULL };

static const TendRecordPolicy clinical_note_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_VIEW_DIAGNOSES,
  .redacted_keep = note_redacted_keep,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .frozen_by = "signed_at",
  .frozen_except = cosignature_fields,
  .check = note_check,
};

static void
tend_clinical_note_class_init (TendClinicalNoteClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  G_STATIC_ASSERT (G_N_ELEMENTS (template_choices) == TEND_N_NOTE_TEMPLATES + 1);
  tend_record_class_set_fields (record_class, "note", note_fields, G_N_ELEMENTS (note_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &clinical_note_policy);
  record_class->validate = tend_clinical_note_validate;
}

static void
tend_clinical_note_init (TendClinicalNote *self)
{
}

/**
 * tend_clinical_note_new:
 *
 * Returns: (transfer full): a draft dated today (local), in person
 */
TendClinicalNote *
tend_clinical_note_new (const char       *client_id,
                        const char       *author_id,
                        TendNoteTemplate  template_)
{
  TendClinicalNote *self = TEND_CLINICAL_NOTE (tend_record_new (TEND_TYPE_CLINICAL_NOTE));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "author_id", author_id);
  self->template_ = (int) template_;
  tend_record_set_string (TEND_RECORD (self), "service_date", today);
  return self;
}

#define GETTER(field) \
  const char *tend_clinical_note_get_##field (TendClinicalNote *self) \
  { \
    g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL); \
    return self->field; \
  }

GETTER (client_id)
GETTER (appointment_id)
GETTER (author_id)
GETTER (service_date)
GETTER (signed_by)
GETTER (signed_at)
GETTER (content_sha256)
GETTER (cosign_required_by)
GETTER (cosigned_by)
GETTER (addendum_of)

#undef GETTER

TendNoteTemplate
tend_clinical_note_get_template (TendClinicalNote *self)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), TEND_NOTE_TEMPLATE_SOAP);
  return (TendNoteTemplate) self->template_;
}

TendSignStatus
tend_clinical_note_get_status (TendClinicalNote *self)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), TEND_SIGN_STATUS_DRAFT);
  return (TendSignStatus) self->status;
}

gboolean
tend_clinical_note_is_signed (TendClinicalNote *self)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), FALSE);
  return self->status == TEND_SIGN_STATUS_SIGNED;
}

/**
 * tend_clinical_note_dup_section:
 *
 * Returns: (transfer full) (nullable): the text of one section
 */
char *
tend_clinical_note_dup_section (TendClinicalNote *self,
                                const char       *key)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  obj = json_node_get_object (node);
  if (!json_object_has_member (obj, key))
    return NULL;
  return g_strdup (json_object_get_string_member (obj, key));
}

/* Empty text removes a section, so an untouched template stores nothing. */
static void
set_sections_va (TendClinicalNote *self,
                 const char       *key,
                 const char       *text,
                 va_list          *rest)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
    }
  obj = json_node_get_object (node);
  while (key != NULL)
    {
      if (text == NULL || *text == '\0')
        {
          if (json_object_has_member (obj, key))
            json_object_remove_member (obj, key);
        }
      else
        json_object_set_string_member (obj, key, text);
      if (rest == NULL)
        break;
      key = va_arg (*rest, const char *);
      if (key != NULL)
        text = va_arg (*rest, const char *);
    }

  /* Rebuild in template order, so the stored text (and the hash) does not
   * depend on the order the sections were typed in. */
  {
    g_autoptr(JsonObject) ordered = json_object_new ();
    g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
    guint n = 0;
    const TendNoteSection *sections = tend_note_template_get_sections ((TendNoteTemplate) self->template_, &n);

    for (guint i = 0; i < n; i++)
      if (json_object_has_member (obj, sections[i].key))
        json_object_set_string_member (ordered, sections[i].key,
                                       json_object_get_string_member (obj, sections[i].key));
    json_node_set_object (out, ordered);
    tend_record_set_json (TEND_RECORD (self), "sections", json_object_get_size (ordered) > 0 ? out : NULL);
  }
}

/* Empty text removes the section, so an untouched template stores nothing. */
void
tend_clinical_note_set_section (TendClinicalNote *self,
                                const char       *key,
                                const char       *text)
{
  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (key != NULL);
  set_sections_va (self, key, text, NULL);
}

/**
 * tend_clinical_note_set_sections:
 * @first_key: a section's key, then its text, then more pairs, then %NULL
 *
 * tend_clinical_note_set_section () of each pair, with the sections read and
 * written once (a note filled in by a program, such as the demo's).
 */
void
tend_clinical_note_set_sections (TendClinicalNote *self,
                                 const char       *first_key,
                                 ...)
{
  va_list args;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  if (first_key == NULL)
    return;
  va_start (args, first_key);
  {
    const char *text = va_arg (args, const char *);

    set_sections_va (self, first_key, text, &args);
  }
  va_end (args);
}

/**
 * tend_clinical_note_dup_plain_text:
 *
 * Returns: (transfer full): the sections as "Heading\ntext\n\n…", in template
 *   order, for search snippets, export and previews
 */
char *
tend_clinical_note_dup_plain_text (TendClinicalNote *self)
{
  GString *out = g_string_new (NULL);
  guint n = 0;
  const TendNoteSection *sections;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  sections = tend_note_template_get_sections ((TendNoteTemplate) self->template_, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = tend_clinical_note_dup_section (self, sections[i].key);

      if (text == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, "\n\n");
      g_string_append_printf (out, "%s\n%s", _(sections[i].label), text);
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_clinical_note_prefill_from_appointment:
 * @appointment: a #TendAppointment
 *
 * Links the note to a session and copies its date (in the practice's local
 * time), length, service and modality.
 */
void
tend_clinical_note_prefill_from_appointment (TendClinicalNote *self,
                                             TendRecord       *appointment)
{
  TendAppointment *appt;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (TEND_IS_APPOINTMENT (appointment));
  appt = TEND_APPOINTMENT (appointment);

  start = tend_appointment_dup_start (appt);
  local = g_date_time_to_local (start);
  date = g_date_time_format (local, "%Y-%m-%d");
  tend_record_set_string (TEND_RECORD (self), "appointment_id", tend_record_get_id (appointment));
  tend_record_set_string (TEND_RECORD (self), "service_date", date);
  self->duration_minutes = (tend_appointment_get_end_usec (appt) - tend_appointment_get_start_usec (appt)) / G_TIME_SPAN_MINUTE;
  tend_record_set_string (TEND_RECORD (self), "service_code", tend_record_get_string (appointment, "service_code"));
  self->modality = (int) tend_appointment_get_modality (appt);
}

/**
 * tend_clinical_note_compute_sha256:
 *
 * Returns: (transfer full): the SHA-256 of the note's content (everything but
 *   the signature), as 64 hex digits
 */
char *
tend_clinical_note_compute_sha256 (TendClinicalNote *self)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  return tend_record_compute_content_sha256 (TEND_RECORD (self), tend_signature_fields);
}

/**
 * tend_clinical_note_mark_signed:
 *
 * Sets the signature on a draft in memory; the store's tend_chart_sign_note()
 * is what saves it (and checks who may sign).
 */
gboolean
tend_clinical_note_mark_signed (TendClinicalNote *self,
                                const char       *signer_id,
                                GDateTime        *now,
                                GError          **error)
{
  g_autofree char *iso = NULL;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), FALSE);
  if (self->status == TEND_SIGN_STATUS_SIGNED)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_CONFLICT, _("The note is already signed"));
      return FALSE;
    }
  if (self->sections == NULL)
    return invalid (error, _("An empty note cannot be signed"));
  iso = tend_time_to_iso8601 (now);
  tend_record_set_string (TEND_RECORD (self), "content_sha256", NULL);
  g_free (self->content_sha256);
  self->content_sha256 = tend_clinical_note_compute_sha256 (self);
  tend_record_set_string (TEND_RECORD (self), "signed_by", signer_id);
  tend_record_set_string (TEND_RECORD (self), "signed_at", iso);
  self->status = TEND_SIGN_STATUS_SIGNED;
  return TRUE;
}
