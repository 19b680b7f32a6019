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
#include "tend-billing-codes.h"
#include "tend-clinical-note.h"
#include "tend-video-session.h"
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
  char    *service_start;
  char    *place_of_service;
  char    *participants;
  char    *risk;
  char    *mse;
  char    *template_id;
  char    *template_def;
  char    *objectives;
};

G_DEFINE_FINAL_TYPE (TendClinicalNote, tend_clinical_note, TEND_TYPE_RECORD)

static const char * const template_choices[] = {
  "soap", "dap", "birp", "intake", "discharge", "addendum", "practice", NULL
};
/* "telehealth" is a video session: the value older notes and appointments
 * carry; "phone" is audio only. */
static const char * const modality_choices[] = { "in_person", "telehealth", "phone", NULL };
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
  /* The session, as the clinician confirmed it: its start in UTC (shown and
   * entered in the practice's zone; "service_date" is that day there), the
   * place of service (a CMS two-digit code) and who took part.  Notes written
   * before these existed have none of them. */
  F ("service_start", N_("Session start"), TEND_FIELD_DATETIME, 0, service_start, 40),
  F ("place_of_service", N_("Place of service"), TEND_FIELD_STRING, 0, place_of_service, 2),
  F ("participants", N_("Participants"), TEND_FIELD_TEXT, 0, participants, 500),
  F ("risk", N_("Risk assessment"), TEND_FIELD_JSON, 0, risk, 40000),
  F ("mse", N_("Mental status exam"), TEND_FIELD_JSON, 0, mse, 40000),
  /* A note written from one of the practice's templates: the template, and
   * the copy of its definition the note was written against ({"name",
   * "sections"}), so that editing the template never changes the note. */
  F ("template_id", N_("Practice template"), TEND_FIELD_UUID, 0, template_id, 36),
  F ("template_def", N_("Template definition"), TEND_FIELD_JSON, 0, template_def, 200000),
  /* Progress marked on the objectives of the client's treatment plan;
   * written only when some are marked, so other notes keep their hash. */
  F ("objectives", N_("Progress on objectives"), TEND_FIELD_JSON, 0, objectives, 200000),
};

const char * const tend_note_editable_fields[] = {
  "appointment_id", "service_date", "service_start", "duration_minutes", "service_code", "modality",
  "place_of_service", "participants", "risk", "mse", "objectives", NULL
};

#undef F
#undef E

static const TendNoteSection soap_sections[] = {
  { "subjective", N_("Subjective"), N_("What the client reports: concerns, mood, events since the last session"), TRUE },
  { "objective", N_("Objective"), N_("What you observed: appearance, affect, behaviour, measures") },
  { "assessment", N_("Assessment"), N_("Your clinical impression and progress toward goals"), TRUE },
  { "plan", N_("Plan"), N_("Next steps, homework, next session"), TRUE },
};
static const TendNoteSection dap_sections[] = {
  { "data", N_("Data"), N_("What the client said and what you observed"), TRUE },
  { "assessment", N_("Assessment"), N_("Your interpretation and progress toward goals"), TRUE },
  { "plan", N_("Plan"), N_("Next steps, homework, next session"), TRUE },
};
static const TendNoteSection birp_sections[] = {
  { "behavior", N_("Behavior"), N_("The client’s presentation and what they reported"), TRUE },
  { "intervention", N_("Intervention"), N_("What you did in session"), TRUE },
  { "response", N_("Response"), N_("How the client responded"), TRUE },
  { "plan", N_("Plan"), N_("Next steps, homework, next session"), TRUE },
};
static const TendNoteSection intake_sections[] = {
  { "presenting_problem", N_("Presenting problem"), N_("In the client’s words, and why now"), TRUE },
  { "history", N_("History of the problem"), N_("Onset, course, what has helped") },
  { "psychiatric_history", N_("Psychiatric history"), N_("Earlier treatment, hospitalisations, medication") },
  { "medical_history", N_("Medical history"), N_("Conditions, medication, allergies") },
  { "substance_use", N_("Substance use"), N_("Alcohol, drugs, tobacco, caffeine") },
  { "family_social", N_("Family and social history"), N_("Family, relationships, work or school, supports") },
  { "mental_status", N_("Mental status"), N_("Appearance, mood, affect, thought, cognition, insight") },
  { "risk", N_("Risk assessment"), N_("Suicide, self-harm, harm to others, safety plan"), TRUE },
  { "impression", N_("Diagnostic impression"), N_("Formulation and diagnoses"), TRUE },
  { "plan", N_("Plan"), N_("Treatment recommendations and next steps"), TRUE },
};
static const TendNoteSection discharge_sections[] = {
  { "reason", N_("Reason for discharge"), N_("Goals met, moved, referred, stopped attending…"), TRUE },
  { "course", N_("Course of treatment"), N_("Dates, number of sessions, approaches used") },
  { "progress", N_("Progress toward goals"), N_("What changed, measured where possible") },
  { "condition", N_("Condition at discharge"), N_("Mood, risk, functioning"), TRUE },
  { "recommendations", N_("Recommendations and referrals"), N_("Aftercare, referrals, how to return"), TRUE },
};
static const TendNoteSection addendum_sections[] = {
  { "text", N_("Addendum"), N_("The correction or addition, and why"), TRUE },
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
    case TEND_NOTE_TEMPLATE_PRACTICE:  return _("Practice template");
    case TEND_N_NOTE_TEMPLATES:
    default:                           return "";
    }
}


/* The risk assessment and the mental status exam: the same items for every
 * template.  A choice names what was found, the text says more. */
static const TendNoteChoice ideation_choices[] = {
  { "none", N_("None reported") },
  { "passive", N_("Passive (wishes to be dead)") },
  { "active", N_("Active thoughts of suicide") },
  { NULL, NULL }
};
static const TendNoteChoice plan_choices[] = {
  { "none", N_("No plan") },
  { "vague", N_("Vague plan") },
  { "specific", N_("Specific plan") },
  { NULL, NULL }
};
static const TendNoteChoice intent_choices[] = {
  { "none", N_("No intent") },
  { "ambivalent", N_("Ambivalent") },
  { "present", N_("Intent stated") },
  { NULL, NULL }
};
static const TendNoteChoice means_choices[] = {
  { "none", N_("No access reported") },
  { "some", N_("Some access") },
  { "ready", N_("Ready access") },
  { NULL, NULL }
};
static const TendNoteChoice level_choices[] = {
  { "low", N_("Low") },
  { "moderate", N_("Moderate") },
  { "high", N_("High") },
  { "imminent", N_("Imminent") },
  { NULL, NULL }
};

static const TendNoteItem risk_items[] = {
  { "ideation", N_("Suicidal ideation"), N_("Frequency, duration, recent change"), ideation_choices },
  { "plan", N_("Plan"), N_("Method, timing, preparation"), plan_choices },
  { "intent", N_("Intent"), N_("In the client’s words"), intent_choices },
  { "means", N_("Access to means"), N_("Firearms, medication, other; what was agreed"), means_choices },
  { "protective_factors", N_("Protective factors"), N_("Reasons for living, supports, engagement in treatment"), NULL },
  { "level", N_("Risk level"), N_("Why this level"), level_choices },
  { "actions", N_("Actions taken"), N_("Safety plan reviewed, means counselling, crisis line, higher level of care…"), NULL },
};

static const TendNoteChoice appearance_choices[] = {
  { "groomed", N_("Well groomed") },
  { "casual", N_("Casually dressed") },
  { "dishevelled", N_("Dishevelled") },
  { "unusual", N_("Unusual") },
  { NULL, NULL }
};
static const TendNoteChoice behaviour_choices[] = {
  { "cooperative", N_("Cooperative") },
  { "guarded", N_("Guarded") },
  { "agitated", N_("Agitated") },
  { "withdrawn", N_("Withdrawn") },
  { "hostile", N_("Hostile") },
  { NULL, NULL }
};
static const TendNoteChoice speech_choices[] = {
  { "normal", N_("Normal rate and volume") },
  { "pressured", N_("Pressured") },
  { "slowed", N_("Slowed") },
  { "soft", N_("Soft") },
  { "loud", N_("Loud") },
  { NULL, NULL }
};
static const TendNoteChoice mood_choices[] = {
  { "euthymic", N_("Euthymic") },
  { "depressed", N_("Depressed") },
  { "anxious", N_("Anxious") },
  { "irritable", N_("Irritable") },
  { "elevated", N_("Elevated") },
  { NULL, NULL }
};
static const TendNoteChoice affect_choices[] = {
  { "full", N_("Full range") },
  { "constricted", N_("Constricted") },
  { "blunted", N_("Blunted") },
  { "flat", N_("Flat") },
  { "labile", N_("Labile") },
  { "incongruent", N_("Incongruent with mood") },
  { NULL, NULL }
};
static const TendNoteChoice process_choices[] = {
  { "linear", N_("Linear and goal-directed") },
  { "circumstantial", N_("Circumstantial") },
  { "tangential", N_("Tangential") },
  { "flight", N_("Flight of ideas") },
  { "disorganised", N_("Disorganised") },
  { NULL, NULL }
};
static const TendNoteChoice content_choices[] = {
  { "unremarkable", N_("Unremarkable") },
  { "preoccupied", N_("Preoccupations") },
  { "obsessions", N_("Obsessions") },
  { "delusions", N_("Delusions") },
  { "suicidal", N_("Thoughts of suicide") },
  { "homicidal", N_("Thoughts of harming others") },
  { NULL, NULL }
};
static const TendNoteChoice perception_choices[] = {
  { "none", N_("No disturbance") },
  { "auditory", N_("Auditory hallucinations") },
  { "visual", N_("Visual hallucinations") },
  { "other", N_("Other") },
  { NULL, NULL }
};
static const TendNoteChoice orientation_choices[] = {
  { "full", N_("Oriented to person, place and time") },
  { "partial", N_("Partly oriented") },
  { "disoriented", N_("Disoriented") },
  { NULL, NULL }
};
static const TendNoteChoice cognition_choices[] = {
  { "intact", N_("Intact") },
  { "impaired", N_("Impaired") },
  { NULL, NULL }
};
static const TendNoteChoice rating_choices[] = {
  { "good", N_("Good") },
  { "fair", N_("Fair") },
  { "poor", N_("Poor") },
  { NULL, NULL }
};

static const TendNoteItem mse_items[] = {
  { "appearance", N_("Appearance"), N_("Dress, hygiene, anything notable"), appearance_choices },
  { "behaviour", N_("Behaviour"), N_("Eye contact, rapport, motor activity"), behaviour_choices },
  { "speech", N_("Speech"), N_("Rate, volume, articulation"), speech_choices },
  { "mood", N_("Mood"), N_("In the client’s words"), mood_choices },
  { "affect", N_("Affect"), N_("Range, intensity, congruence"), affect_choices },
  { "thought_process", N_("Thought process"), NULL, process_choices },
  { "thought_content", N_("Thought content"), NULL, content_choices },
  { "perception", N_("Perception"), NULL, perception_choices },
  { "orientation", N_("Orientation"), NULL, orientation_choices },
  { "cognition", N_("Memory and concentration"), NULL, cognition_choices },
  { "insight", N_("Insight"), NULL, rating_choices },
  { "judgment", N_("Judgment"), NULL, rating_choices },
};

const char *
tend_note_form_get_key (TendNoteForm form)
{
  g_return_val_if_fail (form < TEND_N_NOTE_FORMS, NULL);
  return form == TEND_NOTE_FORM_RISK ? "risk" : "mse";
}

const char *
tend_note_form_get_label (TendNoteForm form)
{
  g_return_val_if_fail (form < TEND_N_NOTE_FORMS, NULL);
  return form == TEND_NOTE_FORM_RISK ? _("Risk assessment") : _("Mental status exam");
}

const TendNoteItem *
tend_note_form_get_items (TendNoteForm  form,
                          guint        *n_items)
{
  g_return_val_if_fail (form < TEND_N_NOTE_FORMS, NULL);
  if (form == TEND_NOTE_FORM_RISK)
    {
      *n_items = G_N_ELEMENTS (risk_items);
      return risk_items;
    }
  *n_items = G_N_ELEMENTS (mse_items);
  return mse_items;
}

static const TendNoteItem *
find_item (TendNoteForm  form,
           const char   *key)
{
  guint n = 0;
  const TendNoteItem *items = tend_note_form_get_items (form, &n);

  for (guint i = 0; i < n; i++)
    if (strcmp (items[i].key, key) == 0)
      return &items[i];
  return NULL;
}

/**
 * tend_note_choice_get_label:
 *
 * Returns: (nullable): the translated label of one of @item's choices
 */
const char *
tend_note_choice_get_label (const TendNoteItem *item,
                            const char         *nick)
{
  for (guint i = 0; item->choices != NULL && item->choices[i].nick != NULL; i++)
    if (g_strcmp0 (item->choices[i].nick, nick) == 0)
      return _(item->choices[i].label);
  return NULL;
}

static GPtrArray *
new_defs (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);
}

static GPtrArray *
builtin_defs (TendNoteTemplate template_)
{
  GPtrArray *defs = new_defs ();
  guint n = 0;
  const TendNoteSection *sections = tend_note_template_get_sections (template_, &n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (defs, tend_note_section_def_new (sections[i].key, _(sections[i].label),
                                                      sections[i].hint != NULL ? _(sections[i].hint) : NULL,
                                                      sections[i].required, TEND_NOTE_SECTION_TEXT, NULL));
  return defs;
}

/* The practice template's sections the note keeps, or NULL with @error. */
static GPtrArray *
parse_template_def (TendClinicalNote *self,
                    GError          **error)
{
  g_autoptr(JsonNode) node = tend_record_dup_json (TEND_RECORD (self), "template_def");
  JsonObject *obj;
  JsonNode *name;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Template definition: a note from a practice template keeps the template it was written from"));
      return NULL;
    }
  obj = json_node_get_object (node);
  name = json_object_get_member (obj, "name");
  if (name == NULL || !JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING ||
      json_object_get_size (obj) != 2)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Template definition: expected the template’s name and sections"));
      return NULL;
    }
  return tend_note_section_defs_parse (json_object_get_member (obj, "sections"), error);
}

/**
 * tend_clinical_note_dup_section_defs:
 *
 * The sections the note is written in: a built-in template's (all free
 * text), or the copy of the practice template the note keeps (which may
 * place the risk assessment and the MSE among them).
 *
 * Returns: (transfer full) (element-type TendNoteSectionDef): the sections
 *   in order (empty for a practice note without a valid definition)
 */
GPtrArray *
tend_clinical_note_dup_section_defs (TendClinicalNote *self)
{
  GPtrArray *defs;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  if (self->template_ != TEND_NOTE_TEMPLATE_PRACTICE)
    return builtin_defs ((TendNoteTemplate) self->template_);
  defs = parse_template_def (self, NULL);
  return defs != NULL ? defs : new_defs ();
}

static TendNoteSectionDef *
find_def (GPtrArray  *defs,
          const char *key)
{
  for (guint i = 0; i < defs->len; i++)
    if (strcmp (((TendNoteSectionDef *) g_ptr_array_index (defs, i))->key, key) == 0)
      return g_ptr_array_index (defs, i);
  return NULL;
}

static const char *
node_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* Whether a section's value says something: text that is not blank, a
 * choice, at least one checkbox. */
static gboolean
value_is_filled (JsonNode *node)
{
  const char *text = node_string (node);

  if (text != NULL)
    {
      g_autofree char *copy = g_strdup (text);

      return *g_strstrip (copy) != '\0';
    }
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0;
}

/* One value of a section: text for free text and a choice (one of the
 * options), a list of options for checkboxes. */
static gboolean
check_value (TendNoteSectionDef *def,
             JsonNode           *value,
             GError            **error)
{
  const char *text = node_string (value);

  switch (def->kind)
    {
    case TEND_NOTE_SECTION_TEXT:
      if (text != NULL)
        return TRUE;
      break;
    case TEND_NOTE_SECTION_CHOICE:
      if (text != NULL && g_strv_contains ((const char * const *) def->options, text))
        return TRUE;
      break;
    case TEND_NOTE_SECTION_CHECKBOXES:
      if (JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonArray *array = json_node_get_array (value);
          guint n = json_array_get_length (array);
          gboolean ok = n > 0;

          for (guint i = 0; i < n && ok; i++)
            {
              const char *opt = node_string (json_array_get_element (array, i));

              ok = opt != NULL && g_strv_contains ((const char * const *) def->options, opt);
              for (guint j = 0; j < i && ok; j++)
                ok = g_strcmp0 (opt, node_string (json_array_get_element (array, j))) != 0;
            }
          if (ok)
            return TRUE;
        }
      break;
    case TEND_NOTE_SECTION_RISK:
    case TEND_NOTE_SECTION_MSE:
    case TEND_N_NOTE_SECTION_KINDS:
    default:
      break;
    }
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
               def->kind == TEND_NOTE_SECTION_TEXT ? _("Note text: “%s” must be text")
               : def->kind == TEND_NOTE_SECTION_CHOICE ? _("Note text: “%s” must be one of its options")
               : _("Note text: “%s” must be a list of its options, each once"),
               def->title);
  return FALSE;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

/* A form is {"item": {"choice": "nick", "text": "..."}, ...}: known items,
 * known choices, text as text, nothing else. */
static gboolean
validate_form (TendClinicalNote *self,
               TendNoteForm      form,
               GError          **error)
{
  const char *name = tend_note_form_get_key (form);
  g_autoptr(JsonNode) node = tend_record_dup_json (TEND_RECORD (self), name);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: expected an object of items"),
                   tend_note_form_get_label (form));
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    {
      const TendNoteItem *item = find_item (form, key);
      JsonObjectIter inner;
      const char *member;
      JsonNode *v;

      if (item == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: “%s” is not one of its items"),
                       tend_note_form_get_label (form), key);
          return FALSE;
        }
      json_object_iter_init (&inner, json_node_get_object (value));
      while (json_object_iter_next (&inner, &member, &v))
        {
          const char *text = JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING
                             ? json_node_get_string (v) : NULL;

          if (text == NULL || (strcmp (member, "choice") != 0 && strcmp (member, "text") != 0) ||
              (strcmp (member, "choice") == 0 && tend_note_choice_get_label (item, text) == NULL))
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("%s: “%s” is not a choice or text of %s"),
                           tend_note_form_get_label (form), member, _(item->label));
              return FALSE;
            }
        }
    }
  return TRUE;
}

static const char * const objective_status_nicks[] = {
  "not_addressed", "progressing", "met", "regressed", NULL
};

const char *
tend_objective_status_to_string (TendObjectiveStatus status)
{
  g_return_val_if_fail (status < TEND_N_OBJECTIVE_STATUSES, NULL);
  return objective_status_nicks[status];
}

const char *
tend_objective_status_get_label (TendObjectiveStatus status)
{
  switch (status)
    {
    case TEND_OBJECTIVE_NOT_ADDRESSED: return _("Not addressed");
    case TEND_OBJECTIVE_PROGRESSING:   return _("Progressing");
    case TEND_OBJECTIVE_MET:           return _("Met");
    case TEND_OBJECTIVE_REGRESSED:     return _("Regressed");
    case TEND_N_OBJECTIVE_STATUSES:
    default:                           return "";
    }
}

TendObjectiveMark *
tend_objective_mark_new (const char          *plan_id,
                         const char          *objective,
                         TendObjectiveStatus  status,
                         const char          *comment)
{
  TendObjectiveMark *mark = g_new0 (TendObjectiveMark, 1);

  mark->plan_id = g_strdup (plan_id);
  mark->objective = g_strdup (objective);
  mark->status = status;
  mark->comment = comment != NULL && *comment != '\0' ? g_strdup (comment) : NULL;
  return mark;
}

void
tend_objective_mark_free (TendObjectiveMark *mark)
{
  if (mark == NULL)
    return;
  g_free (mark->plan_id);
  g_free (mark->objective);
  g_free (mark->comment);
  g_free (mark);
}

/* [{"plan_id", "objective", "status", "comment"?}, ...]: parsed, or NULL
 * with @error naming what is wrong. */
static GPtrArray *
parse_objectives (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) > 200)
    {
      invalid (error, _("Progress on objectives: expected a list of at most 200 objectives"));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      const char *plan_id = obj != NULL ? node_string (json_object_get_member (obj, "plan_id")) : NULL;
      const char *objective = obj != NULL ? node_string (json_object_get_member (obj, "objective")) : NULL;
      const char *status = obj != NULL ? node_string (json_object_get_member (obj, "status")) : NULL;
      const char *comment = obj != NULL ? node_string (json_object_get_member (obj, "comment")) : NULL;
      guint members = obj != NULL ? json_object_get_size (obj) : 0;
      int found = -1;

      for (guint k = 0; status != NULL && objective_status_nicks[k] != NULL; k++)
        if (strcmp (status, objective_status_nicks[k]) == 0)
          found = (int) k;
      if (plan_id == NULL || !g_uuid_string_is_valid (plan_id) || objective == NULL || *objective == '\0' ||
          g_utf8_strlen (objective, -1) > 1000 || found < 0 ||
          (comment != NULL && g_utf8_strlen (comment, -1) > 1000) ||
          members != (comment != NULL ? 4u : 3u))
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Progress on objectives: objective %u needs its plan, its description and a status "
                         "(not_addressed, progressing, met or regressed), and may have a comment"), i + 1);
          return NULL;
        }
      g_ptr_array_add (marks, tend_objective_mark_new (plan_id, objective, (TendObjectiveStatus) found, comment));
    }
  return g_steal_pointer (&marks);
}

/**
 * tend_clinical_note_dup_objectives:
 *
 * Returns: (transfer full) (element-type TendObjectiveMark): the progress
 *   marked in this note, in the plan's order (empty when none)
 */
GPtrArray *
tend_clinical_note_dup_objectives (TendClinicalNote *self)
{
  g_autoptr(JsonNode) node = NULL;
  GPtrArray *marks = NULL;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  node = tend_record_dup_json (TEND_RECORD (self), "objectives");
  if (node != NULL)
    marks = parse_objectives (node, NULL);
  return marks != NULL ? marks : g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);
}

/**
 * tend_clinical_note_set_objectives:
 * @marks: (nullable) (element-type TendObjectiveMark): the progress marked,
 *   in the plan's order; %NULL or empty removes the member
 */
void
tend_clinical_note_set_objectives (TendClinicalNote *self,
                                   GPtrArray        *marks)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  if (marks == NULL || marks->len == 0)
    {
      tend_record_set_json (TEND_RECORD (self), "objectives", NULL);
      return;
    }
  array = json_array_new ();
  for (guint i = 0; i < marks->len; i++)
    {
      TendObjectiveMark *mark = g_ptr_array_index (marks, i);
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "plan_id", mark->plan_id);
      json_object_set_string_member (obj, "objective", mark->objective);
      json_object_set_string_member (obj, "status", objective_status_nicks[mark->status]);
      if (mark->comment != NULL && *mark->comment != '\0')
        json_object_set_string_member (obj, "comment", mark->comment);
      json_array_add_object_element (array, obj);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  tend_record_set_json (TEND_RECORD (self), "objectives", node);
}

/**
 * tend_objective_history:
 * @notes: (element-type TendClinicalNote): a client's notes, newest first
 * @objective: an objective's description
 *
 * The progress marked on @objective note by note (matched by its
 * description, so a revised plan that keeps an objective keeps its
 * history).
 *
 * Returns: (transfer full) (element-type TendClinicalNote): the notes that
 *   mark it, in the order given (newest first)
 */
GPtrArray *
tend_objective_history (GPtrArray  *notes,
                        const char *objective)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < notes->len; i++)
    {
      TendClinicalNote *note = g_ptr_array_index (notes, i);
      g_autoptr(GPtrArray) marks = NULL;

      if (note->objectives == NULL)
        continue;
      marks = tend_clinical_note_dup_objectives (note);
      for (guint m = 0; m < marks->len; m++)
        if (g_strcmp0 (((TendObjectiveMark *) g_ptr_array_index (marks, m))->objective, objective) == 0)
          {
            g_ptr_array_add (out, g_object_ref (note));
            break;
          }
    }
  return out;
}

static gboolean
tend_clinical_note_validate (TendRecord *record,
                             GError    **error)
{
  TendClinicalNote *self = TEND_CLINICAL_NOTE (record);
  g_autoptr(GPtrArray) defs = NULL;

  if (self->sections != NULL)
    {
      g_autoptr(JsonNode) node = tend_record_dup_json (record, "sections");
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, _("Note text: expected an object of sections"));
      if (self->template_ == TEND_NOTE_TEMPLATE_PRACTICE)
        {
          /* Text needs the definition it was written against. */
          defs = parse_template_def (self, error);
          if (defs == NULL)
            return FALSE;
        }
      else
        defs = builtin_defs ((TendNoteTemplate) self->template_);
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &value))
        {
          TendNoteSectionDef *def = find_def (defs, key);

          if (self->template_ != TEND_NOTE_TEMPLATE_PRACTICE &&
              (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING))
            return invalid (error, _("Note text: every section must be text"));
          if (def == NULL || def->kind >= TEND_NOTE_SECTION_RISK)
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Note text: “%s” is not a section of this template"), key);
              return FALSE;
            }
          if (!check_value (def, value, error))
            return FALSE;
        }
    }
  if (self->objectives != NULL)
    {
      g_autoptr(JsonNode) node = tend_record_dup_json (record, "objectives");
      g_autoptr(GPtrArray) marks = parse_objectives (node, error);

      if (marks == NULL)
        return FALSE;
    }
  if (self->template_def != NULL)
    {
      g_autoptr(GPtrArray) checked = NULL;

      if (self->template_ != TEND_NOTE_TEMPLATE_PRACTICE)
        return invalid (error, _("Template definition: only a note from a practice template keeps one"));
      if ((checked = parse_template_def (self, error)) == NULL)
        return FALSE;
    }
  if ((self->template_ == TEND_NOTE_TEMPLATE_PRACTICE) != (self->template_id != NULL))
    return invalid (error, _("Practice template: a note from a practice template names it, and only such a note does"));
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    if (!validate_form (self, (TendNoteForm) f, error))
      return FALSE;
  if (self->place_of_service != NULL && !tend_place_of_service_is_valid (self->place_of_service))
    return invalid (error, _("Place of service: expected a two-digit code such as 11 (office) or 02 (telehealth)"));
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
  if (!tend_signed_record_check (actor, stored, record, TRUE, error))
    return FALSE;
  /* Signing (not what happens to a note signed before): the template's
   * required parts are there, whoever pushes it. */
  if (record != NULL && tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (record)) &&
      (stored == NULL || !tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (stored))))
    return tend_clinical_note_check_complete (TEND_CLINICAL_NOTE (record), error);
  return TRUE;
}

/* A biller sees that a session was documented (date, service, status,
 * author), never what was written. */
static const char * const note_redacted_keep[] = {
  "client_id", "appointment_id", "author_id", "template", "service_date", "duration_minutes",
  "service_code", "modality", "status", "signed_by", "signed_at", "content_sha256",
  "cosign_required_by", "cosigned_by", "cosigned_at", "addendum_of", "service_start", "place_of_service",
  "template_id", NULL
};

static const char * const cosignature_fields[] = { "cosigned_by", "cosigned_at", NULL };

static const TendRecordPolicy clinical_note_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_VIEW_DIAGNOSES,
  .redacted_keep = note_redacted_keep,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .chart_client = "client_id",
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

/**
 * tend_clinical_note_new_from_practice_template:
 * @template_: one of the practice's templates
 *
 * A draft written from @template_, keeping its id and a copy of its
 * definition as it is now: a later edit of the template changes neither
 * what this note shows nor what its signature covers.
 *
 * Returns: (transfer full): a draft dated today (local), in person
 */
TendClinicalNote *
tend_clinical_note_new_from_practice_template (const char           *client_id,
                                               const char           *author_id,
                                               TendPracticeTemplate *template_)
{
  TendClinicalNote *self;
  g_autoptr(JsonNode) def = NULL;

  g_return_val_if_fail (TEND_IS_PRACTICE_TEMPLATE (template_), NULL);
  self = tend_clinical_note_new (client_id, author_id, TEND_NOTE_TEMPLATE_PRACTICE);
  def = tend_practice_template_dup_definition (template_);
  tend_record_set_string (TEND_RECORD (self), "template_id", tend_record_get_id (TEND_RECORD (template_)));
  tend_record_set_json (TEND_RECORD (self), "template_def", def);
  return self;
}

/**
 * tend_clinical_note_dup_template_name:
 *
 * Returns: (transfer full): the name of the note's template: the practice
 *   template's as the note keeps it, or the built-in one's
 */
char *
tend_clinical_note_dup_template_name (TendClinicalNote *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  if (self->template_ == TEND_NOTE_TEMPLATE_PRACTICE)
    node = tend_record_dup_json (TEND_RECORD (self), "template_def");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      node_string (json_object_get_member (json_node_get_object (node), "name")) != NULL)
    return g_strdup (node_string (json_object_get_member (json_node_get_object (node), "name")));
  return g_strdup (tend_note_template_get_label ((TendNoteTemplate) self->template_));
}

void
tend_note_part_free (TendNotePart *part)
{
  if (part == NULL)
    return;
  g_free (part->heading);
  g_free (part->text);
  g_free (part);
}

static void
add_part (GPtrArray  *parts,
          const char *heading,
          char       *text)
{
  TendNotePart *part = g_new0 (TendNotePart, 1);

  part->heading = g_strdup (heading);
  part->text = text;
  g_ptr_array_add (parts, part);
}

/**
 * tend_clinical_note_dup_parts:
 *
 * What the note shows, in its template's order: each filled section with
 * its heading (checked options one per line, "• option"; a choice as its
 * option), the risk assessment and the MSE where the template places them
 * and otherwise after the sections.  The chart and the PDF show exactly
 * this, all of it covered by the signature.
 *
 * Returns: (transfer full) (element-type TendNotePart): the parts
 */
GPtrArray *
tend_clinical_note_dup_parts (TendClinicalNote *self)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_part_free);
  g_autoptr(GPtrArray) defs = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *filled = NULL;
  gboolean placed[TEND_N_NOTE_FORMS] = { FALSE, };

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  defs = tend_clinical_note_dup_section_defs (self);
  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    filled = json_node_get_object (node);
  for (guint i = 0; i < defs->len; i++)
    {
      TendNoteSectionDef *def = g_ptr_array_index (defs, i);
      const char *heading = self->template_ == TEND_NOTE_TEMPLATE_ADDENDUM ? NULL : def->title;
      JsonNode *value = filled != NULL ? json_object_get_member (filled, def->key) : NULL;

      if (def->kind == TEND_NOTE_SECTION_RISK || def->kind == TEND_NOTE_SECTION_MSE)
        {
          TendNoteForm f = def->kind == TEND_NOTE_SECTION_RISK ? TEND_NOTE_FORM_RISK : TEND_NOTE_FORM_MSE;
          char *text = tend_clinical_note_dup_form_text (self, f);

          placed[f] = TRUE;
          if (text != NULL)
            add_part (parts, tend_note_form_get_label (f), text);
        }
      else if (node_string (value) != NULL)
        add_part (parts, heading, g_strdup (node_string (value)));
      else if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
        {
          GString *text = g_string_new (NULL);
          JsonArray *array = json_node_get_array (value);

          for (guint o = 0; o < json_array_get_length (array); o++)
            {
              const char *opt = node_string (json_array_get_element (array, o));

              if (opt == NULL)
                continue;
              if (text->len > 0)
                g_string_append_c (text, '\n');
              /* TRANSLATORS: a checked option of a checkboxes section */
              g_string_append_printf (text, _("• %s"), opt);
            }
          add_part (parts, heading, g_string_free (text, FALSE));
        }
    }
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    {
      char *text = placed[f] ? NULL : tend_clinical_note_dup_form_text (self, (TendNoteForm) f);

      if (text != NULL)
        add_part (parts, tend_note_form_get_label ((TendNoteForm) f), text);
    }
  if (self->objectives != NULL)
    {
      g_autoptr(GPtrArray) marks = tend_clinical_note_dup_objectives (self);
      GString *text = g_string_new (NULL);

      for (guint m = 0; m < marks->len; m++)
        {
          TendObjectiveMark *mark = g_ptr_array_index (marks, m);

          if (text->len > 0)
            g_string_append_c (text, '\n');
          if (mark->comment != NULL)
            /* TRANSLATORS: objective, progress, comment: "Sleep 7 hours: Progressing. Most nights" */
            g_string_append_printf (text, _("%s: %s. %s"), mark->objective,
                                    tend_objective_status_get_label (mark->status), mark->comment);
          else
            g_string_append_printf (text, _("%s: %s"), mark->objective, tend_objective_status_get_label (mark->status));
        }
      if (text->len > 0)
        add_part (parts, _("Progress on objectives"), g_string_free (text, FALSE));
      else
        g_string_free (text, TRUE);
    }
  return parts;
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
GETTER (template_id)

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
  return g_strdup (node_string (json_object_get_member (obj, key)));
}

/**
 * tend_clinical_note_dup_section_checked:
 *
 * Returns: (transfer full) (nullable): the options checked in a checkboxes
 *   section, or %NULL when none are
 */
char **
tend_clinical_note_dup_section_checked (TendClinicalNote *self,
                                        const char       *key)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonNode *value;
  JsonArray *array;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      (value = json_object_get_member (json_node_get_object (node), key)) == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return NULL;
  array = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (node_string (json_array_get_element (array, i)) != NULL)
      g_strv_builder_add (b, node_string (json_array_get_element (array, i)));
  return g_strv_builder_end (b);
}

static void store_sections_ordered (TendClinicalNote *self,
                                    JsonObject       *obj);

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

  store_sections_ordered (self, obj);
}

/* Rebuild in template order, so the stored text (and the hash) does not
 * depend on the order the sections were typed in. */
static void
store_sections_ordered (TendClinicalNote *self,
                        JsonObject       *obj)
{
  g_autoptr(JsonObject) ordered = json_object_new ();
  g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GPtrArray) defs = tend_clinical_note_dup_section_defs (self);

  for (guint i = 0; i < defs->len; i++)
    {
      TendNoteSectionDef *def = g_ptr_array_index (defs, i);

      if (json_object_has_member (obj, def->key))
        json_object_set_member (ordered, def->key, json_node_copy (json_object_get_member (obj, def->key)));
    }
  json_node_set_object (out, ordered);
  tend_record_set_json (TEND_RECORD (self), "sections", json_object_get_size (ordered) > 0 ? out : NULL);
}

/**
 * tend_clinical_note_set_section_checked:
 * @checked: (nullable): the options checked; %NULL or empty: none
 *
 * Sets a checkboxes section of a practice template's note.
 */
void
tend_clinical_note_set_section_checked (TendClinicalNote   *self,
                                        const char         *key,
                                        const char * const *checked)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (key != NULL);
  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
    }
  obj = json_node_get_object (node);
  if (checked == NULL || checked[0] == NULL)
    {
      if (json_object_has_member (obj, key))
        json_object_remove_member (obj, key);
    }
  else
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; checked[i] != NULL; i++)
        json_array_add_string_element (array, checked[i]);
      json_object_set_array_member (obj, key, array);
    }
  store_sections_ordered (self, obj);
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
  g_autoptr(GPtrArray) parts = NULL;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  parts = tend_clinical_note_dup_parts (self);
  for (guint i = 0; i < parts->len; i++)
    {
      TendNotePart *part = g_ptr_array_index (parts, i);

      if (out->len > 0)
        g_string_append (out, "\n\n");
      /* An addendum's text has no heading in the chart; here it keeps one. */
      g_string_append_printf (out, "%s\n%s", part->heading != NULL ? part->heading : _("Addendum"), part->text);
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_clinical_note_set_service_start:
 * @start: when the session began (any zone)
 * @zone: (nullable): the practice's zone; %NULL: this computer's
 *
 * Stores the start in UTC and the service date as the day it was in the
 * practice, so a session at 23:30 in Chicago is dated that day everywhere.
 */
void
tend_clinical_note_set_service_start (TendClinicalNote *self,
                                      GDateTime        *start,
                                      GTimeZone        *zone)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) there = NULL;
  g_autoptr(GTimeZone) local = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *date = NULL;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (start != NULL);
  if (zone == NULL)
    zone = local = g_time_zone_new_local ();
  utc = g_date_time_to_utc (start);
  there = g_date_time_to_timezone (start, zone);
  iso = tend_time_to_iso8601 (utc);
  date = g_date_time_format (there, "%Y-%m-%d");
  tend_record_set_string (TEND_RECORD (self), "service_start", iso);
  tend_record_set_string (TEND_RECORD (self), "service_date", date);
}

/**
 * tend_clinical_note_dup_service_start:
 *
 * Returns: (transfer full) (nullable): the session's start (UTC), or %NULL
 *   for a note that has only a date (written before notes had a time)
 */
GDateTime *
tend_clinical_note_dup_service_start (TendClinicalNote *self)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  return self->service_start != NULL ? tend_time_parse_iso8601 (self->service_start, NULL) : NULL;
}

const char *
tend_clinical_note_get_modality_label (TendClinicalNote *self)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  switch (self->modality)
    {
    case 1:  return _("Video");
    case 2:  return _("Phone");
    default: return _("In person");
    }
}

/**
 * tend_clinical_note_dup_session_summary:
 * @zone: (nullable): the practice's zone; %NULL: this computer's
 *
 * Returns: (transfer full): the session in one line, "03/08/2026 18:30 CDT ·
 *   50 min · 90837 · Phone · POS 10", in the practice's zone (a note written
 *   before notes had a time shows its date)
 */
char *
tend_clinical_note_dup_session_summary (TendClinicalNote *self,
                                        GTimeZone        *zone)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GTimeZone) local = NULL;
  GString *out = g_string_new (NULL);
  GDate d;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  if (zone == NULL)
    zone = local = g_time_zone_new_local ();
  start = tend_clinical_note_dup_service_start (self);
  if (start != NULL)
    {
      g_autoptr(GDateTime) there = g_date_time_to_timezone (start, zone);
      /* %x %R %Z: "03/08/2026 18:30 CDT", in the locale's words */
      g_autofree char *when = g_date_time_format (there, "%x %R %Z");

      g_string_append (out, when);
    }
  else if (tend_date_parse (self->service_date, &d, NULL))
    {
      g_autofree char *day = tend_date_format_local (&d);

      g_string_append (out, day);
    }
  if (self->duration_minutes > 0)
    /* TRANSLATORS: a session's length */
    g_string_append_printf (out, _(" · %d min"), (int) self->duration_minutes);
  if (self->service_code != NULL)
    g_string_append_printf (out, " · %s", self->service_code);
  g_string_append_printf (out, " · %s", tend_clinical_note_get_modality_label (self));
  if (self->place_of_service != NULL)
    /* TRANSLATORS: place of service, a two-digit code */
    g_string_append_printf (out, _(" · POS %s"), self->place_of_service);
  return g_string_free (out, FALSE);
}

/**
 * tend_clinical_note_prefill_from_appointment:
 * @appointment: a #TendAppointment
 * @zone: (nullable): the practice's time zone; %NULL: this computer's
 *
 * Links the note to a session and copies its start (the date as it was in
 * the practice), length, service, modality and the place of service that
 * goes with it.  Everything stays editable.
 */
void
tend_clinical_note_prefill_from_appointment (TendClinicalNote *self,
                                             TendRecord       *appointment,
                                             GTimeZone        *zone)
{
  TendAppointment *appt;
  g_autoptr(GDateTime) start = NULL;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (TEND_IS_APPOINTMENT (appointment));
  appt = TEND_APPOINTMENT (appointment);

  start = tend_appointment_dup_start (appt);
  tend_record_set_string (TEND_RECORD (self), "appointment_id", tend_record_get_id (appointment));
  tend_clinical_note_set_service_start (self, start, zone);
  self->duration_minutes = (tend_appointment_get_end_usec (appt) - tend_appointment_get_start_usec (appt)) / G_TIME_SPAN_MINUTE;
  tend_record_set_string (TEND_RECORD (self), "service_code", tend_record_get_string (appointment, "service_code"));
  self->modality = (int) tend_appointment_get_modality (appt);
  /* Office, or telehealth other than the client's home: what billing
   * settings default to; the clinician corrects it when it was elsewhere. */
  tend_record_set_string (TEND_RECORD (self), "place_of_service",
                          self->modality == 0 ? "11" : "02");
}

/**
 * tend_clinical_note_prefill_from_video_session:
 * @session: the video session held for the note's appointment
 * @zone: (nullable): the practice's time zone; %NULL: this computer's
 *
 * The session's actual start, and its length when it has ended (whole
 * minutes, rounded up), in place of what was booked.
 */
void
tend_clinical_note_prefill_from_video_session (TendClinicalNote *self,
                                               TendVideoSession *session,
                                               GTimeZone        *zone)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (TEND_IS_VIDEO_SESSION (session));
  start = g_date_time_new_from_iso8601 (tend_video_session_get_started_at (session), NULL);
  if (start == NULL)
    return;
  tend_clinical_note_set_service_start (self, start, zone);
  if (tend_video_session_get_ended_at (session) != NULL)
    end = g_date_time_new_from_iso8601 (tend_video_session_get_ended_at (session), NULL);
  if (end != NULL && g_date_time_compare (end, start) >= 0)
    self->duration_minutes = (g_date_time_difference (end, start) + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE;
  self->modality = TEND_MODALITY_TELEHEALTH;
}

static JsonObject *
dup_form_object (TendClinicalNote *self,
                 TendNoteForm      form)
{
  g_autoptr(JsonNode) node = tend_record_dup_json (TEND_RECORD (self), tend_note_form_get_key (form));

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* @member of item @key of a form's object (dup_form_object ()), or NULL. */
static char *
form_item_member (JsonObject *obj,
                  const char *key,
                  const char *member)
{
  JsonNode *item;

  if (obj == NULL || (item = json_object_get_member (obj, key)) == NULL || !JSON_NODE_HOLDS_OBJECT (item) ||
      !json_object_has_member (json_node_get_object (item), member))
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (item), member));
}

static char *
dup_item_member (TendClinicalNote *self,
                 TendNoteForm      form,
                 const char       *key,
                 const char       *member)
{
  g_autoptr(JsonObject) obj = dup_form_object (self, form);

  return form_item_member (obj, key, member);
}

/**
 * tend_clinical_note_dup_item_choice:
 *
 * Returns: (transfer full) (nullable): the nick chosen for one item of a form
 */
char *
tend_clinical_note_dup_item_choice (TendClinicalNote *self,
                                    TendNoteForm      form,
                                    const char       *key)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  return dup_item_member (self, form, key, "choice");
}

/**
 * tend_clinical_note_dup_item_text:
 *
 * Returns: (transfer full) (nullable): the free text of one item of a form
 */
char *
tend_clinical_note_dup_item_text (TendClinicalNote *self,
                                  TendNoteForm      form,
                                  const char       *key)
{
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  return dup_item_member (self, form, key, "text");
}

/**
 * tend_clinical_note_set_item:
 * @choice: (nullable): a nick of the item's choices, or %NULL
 * @text: (nullable): free text, or %NULL
 *
 * Sets one item of the risk assessment or mental status exam.  An item with
 * neither is removed, and a form with no items is removed from the note;
 * items are kept in the form's order, so the hash does not depend on the
 * order they were filled in.
 */
void
tend_clinical_note_set_item (TendClinicalNote *self,
                             TendNoteForm      form,
                             const char       *key,
                             const char       *choice,
                             const char       *text)
{
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(JsonObject) ordered = json_object_new ();
  g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
  guint n = 0;
  const TendNoteItem *items;

  g_return_if_fail (TEND_IS_CLINICAL_NOTE (self));
  g_return_if_fail (form < TEND_N_NOTE_FORMS);
  old = dup_form_object (self, form);
  items = tend_note_form_get_items (form, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *c = NULL;
      g_autofree char *t = NULL;
      JsonObject *item;

      if (strcmp (items[i].key, key) == 0)
        {
          c = g_strdup (choice);
          t = g_strdup (text);
        }
      else
        {
          /* From the form as it was, read once (not once per item). */
          c = form_item_member (old, items[i].key, "choice");
          t = form_item_member (old, items[i].key, "text");
        }
      if ((c == NULL || *c == '\0') && (t == NULL || *t == '\0'))
        continue;
      item = json_object_new ();
      if (c != NULL && *c != '\0')
        json_object_set_string_member (item, "choice", c);
      if (t != NULL && *t != '\0')
        json_object_set_string_member (item, "text", t);
      json_object_set_object_member (ordered, items[i].key, item);
    }
  json_node_set_object (out, ordered);
  tend_record_set_json (TEND_RECORD (self), tend_note_form_get_key (form),
                        json_object_get_size (ordered) > 0 ? out : NULL);
}

/**
 * tend_clinical_note_dup_form_text:
 *
 * Returns: (transfer full) (nullable): the filled items of a form as
 *   "Label: Choice. Text" lines, in the form's order (what the chart and
 *   the PDF show), or %NULL when it is empty
 */
char *
tend_clinical_note_dup_form_text (TendClinicalNote *self,
                                  TendNoteForm      form)
{
  GString *out = g_string_new (NULL);
  g_autoptr(JsonObject) obj = NULL;
  guint n = 0;
  const TendNoteItem *items;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  obj = dup_form_object (self, form);
  items = tend_note_form_get_items (form, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *c = form_item_member (obj, items[i].key, "choice");
      g_autofree char *t = form_item_member (obj, items[i].key, "text");
      const char *label = c != NULL ? tend_note_choice_get_label (&items[i], c) : NULL;

      if (label == NULL && t == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      if (label != NULL && t != NULL)
        /* TRANSLATORS: item, choice, free text: "Mood: Anxious. Worried about work" */
        g_string_append_printf (out, _("%s: %s. %s"), _(items[i].label), label, t);
      else
        g_string_append_printf (out, _("%s: %s"), _(items[i].label), label != NULL ? label : t);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_clinical_note_list_missing:
 *
 * What must still be filled in before the note can be signed: the keys of
 * the template's required sections that are empty, and "risk.level" (a risk
 * assessment that was started needs its level) or "risk.actions" (a
 * moderate or higher risk needs what was done about it).
 *
 * Returns: (transfer full): a %NULL-terminated list, empty when complete
 */
char **
tend_clinical_note_list_missing (TendClinicalNote *self)
{
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) defs = NULL;
  JsonObject *filled = NULL;
  gboolean risk_listed = FALSE;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), NULL);
  defs = tend_clinical_note_dup_section_defs (self);
  /* The sections read once, not once per section. */
  node = tend_record_dup_json (TEND_RECORD (self), "sections");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    filled = json_node_get_object (node);
  for (guint i = 0; i < defs->len; i++)
    {
      TendNoteSectionDef *def = g_ptr_array_index (defs, i);

      if (!def->required)
        continue;
      if (def->kind == TEND_NOTE_SECTION_RISK)
        {
          /* A required risk assessment needs at least its level. */
          if (self->risk == NULL)
            {
              g_strv_builder_add (missing, "risk.level");
              risk_listed = TRUE;
            }
        }
      else if (def->kind == TEND_NOTE_SECTION_MSE)
        {
          if (self->mse == NULL)
            g_strv_builder_add (missing, "mse");
        }
      else if (!value_is_filled (filled != NULL ? json_object_get_member (filled, def->key) : NULL))
        g_strv_builder_add (missing, def->key);
    }
  if (self->risk != NULL && !risk_listed)
    {
      g_autoptr(JsonObject) risk = dup_form_object (self, TEND_NOTE_FORM_RISK);
      g_autofree char *level = form_item_member (risk, "level", "choice");
      g_autofree char *actions = form_item_member (risk, "actions", "text");

      if (level == NULL)
        g_strv_builder_add (missing, "risk.level");
      else if (strcmp (level, "low") != 0 && (actions == NULL || *g_strstrip (actions) == '\0'))
        g_strv_builder_add (missing, "risk.actions");
    }
  return g_strv_builder_end (missing);
}

/**
 * tend_clinical_note_check_complete:
 *
 * Returns: %FALSE with %TEND_ERROR_INVALID naming every part still missing
 *   (see tend_clinical_note_list_missing())
 */
gboolean
tend_clinical_note_check_complete (TendClinicalNote *self,
                                   GError          **error)
{
  g_auto(GStrv) missing = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GPtrArray) defs = NULL;

  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (self), FALSE);
  missing = tend_clinical_note_list_missing (self);
  if (missing[0] == NULL)
    return TRUE;
  defs = tend_clinical_note_dup_section_defs (self);
  for (guint m = 0; missing[m] != NULL; m++)
    {
      const char *label = NULL;
      TendNoteSectionDef *def = find_def (defs, missing[m]);

      if (g_str_has_prefix (missing[m], "risk."))
        {
          const TendNoteItem *item = find_item (TEND_NOTE_FORM_RISK, missing[m] + 5);

          label = item != NULL ? _(item->label) : missing[m];
        }
      else if (strcmp (missing[m], "mse") == 0)
        label = tend_note_form_get_label (TEND_NOTE_FORM_MSE);
      else if (def != NULL)
        label = def->title;
      if (names->len > 0)
        /* TRANSLATORS: between the names of missing sections */
        g_string_append (names, _(", "));
      g_string_append (names, label != NULL ? label : missing[m]);
    }
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
               _("Fill in these parts before signing: %s"), names->str);
  return FALSE;
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
  if (self->sections == NULL && self->risk == NULL && self->mse == NULL)
    return invalid (error, _("An empty note cannot be signed"));
  if (self->template_ == TEND_NOTE_TEMPLATE_PRACTICE)
    {
      g_autoptr(GPtrArray) defs = parse_template_def (self, error);

      if (defs == NULL)
        return FALSE;
    }
  if (!tend_clinical_note_check_complete (self, error))
    return FALSE;
  iso = tend_time_to_iso8601 (now);
  tend_record_set_string (TEND_RECORD (self), "content_sha256", NULL);
  g_free (self->content_sha256);
  self->content_sha256 = tend_clinical_note_compute_sha256 (self);
  tend_record_set_string (TEND_RECORD (self), "signed_by", signer_id);
  tend_record_set_string (TEND_RECORD (self), "signed_at", iso);
  self->status = TEND_SIGN_STATUS_SIGNED;
  return TRUE;
}
