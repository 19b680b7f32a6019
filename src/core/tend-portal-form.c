/* tend-portal-form.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A form the practice sends a client: a consent (its exact text is in the
 * record) or a questionnaire (an instrument the clinician assigns).  The
 * client completes it once through the portal: a consent is signed with a
 * typed name, and tend-server records the time, the address and user agent
 * it came from and the SHA-256 of the text shown; a questionnaire's answers
 * become a measure record (measure_id).  Nothing else of a sent form
 * changes, for the client or for the staff.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-portal-form.h"
#include "tend-error.h"
#include "tend-record-policy.h"
#include "tend-time.h"
#include "tend-treatment-plan.h"

struct _TendPortalForm
{
  TendRecord parent_instance;

  char *client_id;
  int   kind;
  int   consent;
  int   instrument;
  char *title;
  char *text;
  int   status;
  char *assigned_by;
  char *assigned_at;
  char *completed_at;
  char *signed_name;
  char *signed_address;
  char *signed_user_agent;
  char *text_sha256;
  char *measure_id;
  char *details;
  char *reviewed_by;
  char *reviewed_at;
  char *plan_id;
  char *plan_sha256;
};

G_DEFINE_FINAL_TYPE (TendPortalForm, tend_portal_form, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "consent", "measure", "intake", "plan", NULL };
static const char * const consent_choices[] = { "none", "treatment", "telehealth", "release_of_information", NULL };
/* As the measure's instrument choices (tend-measure.c). */
static const char * const instrument_choices[] = { "none", "phq9", "gad7", "pcl5", "auditc", NULL };
static const char * const status_choices[] = { "pending", "completed", "withdrawn", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendPortalForm, member), len, NULL, 0, 0 }
#define E(n, l, fl, member, choices) \
  { n, l, TEND_FIELD_ENUM, fl, G_STRUCT_OFFSET (TendPortalForm, member), 0, choices, 0, 0 }

static const TendField portal_form_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  E ("kind", N_("Form"), TEND_FIELD_REQUIRED, kind, kind_choices),
  E ("consent", N_("Consent"), 0, consent, consent_choices),
  E ("instrument", N_("Measure"), 0, instrument, instrument_choices),
  F ("title", N_("Title"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, title, 200),
  F ("text", N_("Text"), TEND_FIELD_TEXT, 0, text, 20000),
  E ("status", N_("Status"), TEND_FIELD_REQUIRED, status, status_choices),
  F ("assigned_by", N_("Sent by"), TEND_FIELD_UUID, 0, assigned_by, 36),
  F ("assigned_at", N_("Sent"), TEND_FIELD_DATETIME, 0, assigned_at, 40),
  F ("completed_at", N_("Completed"), TEND_FIELD_DATETIME, 0, completed_at, 40),
  F ("signed_name", N_("Signed as"), TEND_FIELD_STRING, 0, signed_name, 120),
  F ("signed_address", N_("Signed from address"), TEND_FIELD_STRING, 0, signed_address, 64),
  F ("signed_user_agent", N_("Signed with browser"), TEND_FIELD_STRING, 0, signed_user_agent, 400),
  F ("text_sha256", N_("SHA-256 of the text signed"), TEND_FIELD_STRING, 0, text_sha256, 64),
  F ("measure_id", N_("Answers"), TEND_FIELD_UUID, 0, measure_id, 36),
  /* An intake form: what the client filled in (members named as the client
   * record's), until the staff review it into the record. */
  F ("details", N_("Details"), TEND_FIELD_JSON, 0, details, 6000),
  F ("reviewed_by", N_("Reviewed by"), TEND_FIELD_UUID, 0, reviewed_by, 36),
  F ("reviewed_at", N_("Reviewed"), TEND_FIELD_DATETIME, 0, reviewed_at, 40),
  /* A treatment plan the client is asked to co-sign: the plan, and its
   * signature's content hash when it was asked (the text is the plan in
   * plain words, made from it then). */
  F ("plan_id", N_("Treatment plan"), TEND_FIELD_UUID, 0, plan_id, 36),
  F ("plan_sha256", N_("Treatment plan’s signed content"), TEND_FIELD_STRING, 0, plan_sha256, 64),
};

#undef F
#undef E

enum { STATUS_PENDING, STATUS_COMPLETED, STATUS_WITHDRAWN };

/* What an intake form asks: contact and insurance details, named as the
 * client record's members, with its limits. */
static const TendIntakeField intake_fields[] = {
  { "preferred_name", N_("Preferred name"), 80 },
  { "pronouns", N_("Pronouns"), 40 },
  { "email", N_("Email"), 254 },
  { "phone_mobile", N_("Mobile phone"), 40 },
  { "phone_home", N_("Home phone"), 40 },
  { "address.line1", N_("Address"), 120 },
  { "address.line2", N_("Address line 2"), 120 },
  { "address.city", N_("City"), 80 },
  { "address.region", N_("State or region"), 80 },
  { "address.postal_code", N_("Postal code"), 20 },
  { "emergency_contact.name", N_("Emergency contact"), 120 },
  { "emergency_contact.relationship", N_("Emergency contact relationship"), 40 },
  { "emergency_contact.phone", N_("Emergency contact phone"), 40 },
  { "insurance.payer", N_("Insurance payer"), 120 },
  { "insurance.member_number", N_("Member number"), 40 },
  { "insurance.group_number", N_("Group number"), 40 },
  { "insurance.subscriber", N_("Subscriber"), 120 },
  { "insurance.subscriber_relationship", N_("Subscriber relationship"), 40 },
};

static const TendIntakeField *
intake_field (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (intake_fields); i++)
    if (g_strcmp0 (intake_fields[i].name, name) == 0)
      return &intake_fields[i];
  return NULL;
}

/* An object of non-empty strings, each a member the intake asks, within
 * its limit. */
static gboolean
check_details (const char *json,
               GError    **error)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Details: expected an object"));
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TendIntakeField *f = intake_field (name);
      const char *text;

      if (f == NULL)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Details: “%s” is not asked on an intake form"), name);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING ||
          *(text = json_node_get_string (value)) == '\0' || !g_utf8_validate (text, -1, NULL) ||
          g_utf8_strlen (text, -1) > (glong) f->max_length)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("%s: expected text of at most %u characters"), _(f->label), f->max_length);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_portal_form_validate (TendRecord *record,
                           GError    **error)
{
  TendPortalForm *self = TEND_PORTAL_FORM (record);

  if (self->kind == TEND_PORTAL_FORM_CONSENT && (self->consent == 0 || self->text == NULL))
    return invalid (error, _("Consent: a consent form names its kind and holds the text to sign"));
  if (self->kind == TEND_PORTAL_FORM_PLAN &&
      (self->plan_id == NULL || self->plan_sha256 == NULL || self->text == NULL))
    return invalid (error, _("Treatment plan: a request to co-sign names the plan, its signed content and the text to sign"));
  if (self->kind != TEND_PORTAL_FORM_PLAN && (self->plan_id != NULL || self->plan_sha256 != NULL))
    return invalid (error, _("Treatment plan: only a request to co-sign a plan names one"));
  if (self->kind == TEND_PORTAL_FORM_MEASURE && self->instrument == 0)
    return invalid (error, _("Measure: a questionnaire names its instrument"));
  if (self->status == STATUS_COMPLETED && self->completed_at == NULL)
    return invalid (error, _("Completed: a completed form has its time"));
  if (self->status == STATUS_COMPLETED &&
      (self->kind == TEND_PORTAL_FORM_CONSENT || self->kind == TEND_PORTAL_FORM_PLAN) &&
      (self->signed_name == NULL || self->text_sha256 == NULL))
    return invalid (error, _("Signed as: a signed consent has the name typed and the hash of its text"));
  if (self->status == STATUS_COMPLETED && self->kind == TEND_PORTAL_FORM_MEASURE && self->measure_id == NULL)
    return invalid (error, _("Answers: a completed questionnaire names its answers"));
  if (self->status == STATUS_COMPLETED && self->kind == TEND_PORTAL_FORM_INTAKE && self->details == NULL)
    return invalid (error, _("Details: a completed intake form holds what the client filled in"));
  if (self->details != NULL && (self->kind != TEND_PORTAL_FORM_INTAKE || !check_details (self->details, error)))
    {
      if (self->kind != TEND_PORTAL_FORM_INTAKE)
        return invalid (error, _("Details: only an intake form holds details"));
      return FALSE;
    }
  if ((self->reviewed_by == NULL) != (self->reviewed_at == NULL))
    return invalid (error, _("Reviewed by: a review has its reviewer and its time"));
  return TRUE;
}

/* A request to co-sign a plan: one per plan (its id is derived from the
 * plan's), for a plan of this client's that its clinician signed, as
 * signed, by someone who may read that chart. */
static gboolean
check_plan_request (TendPolicyActor *actor,
                    TendPortalForm  *self,
                    GError         **error)
{
  g_autoptr(TendRecord) plan = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = tend_portal_form_plan_request_id (self->plan_id);

  if (g_strcmp0 (tend_record_get_id (TEND_RECORD (self)), id) != 0)
    return tend_policy_deny (error, _("A treatment plan is sent for co-signature once, as its own request."));
  plan = tend_policy_actor_load (actor, TEND_TYPE_TREATMENT_PLAN, self->plan_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (plan == NULL || g_strcmp0 (tend_treatment_plan_get_client_id (TEND_TREATMENT_PLAN (plan)), self->client_id) != 0)
    return tend_policy_deny (error, _("The treatment plan to co-sign is not this client’s."));
  if (tend_treatment_plan_get_status (TEND_TREATMENT_PLAN (plan)) != TEND_SIGN_STATUS_SIGNED ||
      g_strcmp0 (tend_record_get_string (plan, "content_sha256"), self->plan_sha256) != 0)
    return tend_policy_deny (error, _("Only a treatment plan its clinician signed is sent to the client, as signed."));
  if (actor->may_read_chart != NULL && tend_record_policy_chart_restricted (actor->role) &&
      !actor->may_read_chart (actor, self->client_id, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return tend_policy_deny (error, _("You don’t have access to this client’s chart."));
    }
  return TRUE;
}

/* Staff: a sent form's content never changes (withdraw it and send
 * another); only its status may move to withdrawn.  Anyone who edits
 * demographics (the front desk too) sends and withdraws consents; a
 * questionnaire is clinical (its answers become a measure), so only the
 * roles that write clinical records assign or withdraw one.  A new form
 * is sent pending, in the sender's own name. */
static gboolean
portal_form_check (TendPolicyActor *actor,
                   gboolean         extra_writer,
                   TendRecord      *stored,
                   TendRecord      *record,
                   GError         **error)
{
  static const char * const may_change[] = { "status", NULL };
  TendPortalForm *self;

  if (record == NULL)
    return tend_policy_deny (error, _("Forms sent to a client are part of the record and cannot be deleted."));
  if (actor->staff_id == NULL)
    return TRUE;
  self = TEND_PORTAL_FORM (record);
  if ((self->kind == TEND_PORTAL_FORM_MEASURE ||
       (stored != NULL && TEND_PORTAL_FORM (stored)->kind == TEND_PORTAL_FORM_MEASURE)) &&
      !tend_role_can (actor->role, TEND_PERMISSION_EDIT_CLINICAL))
    return tend_policy_deny (error, _("Only clinicians assign questionnaires."));
  if ((self->kind == TEND_PORTAL_FORM_PLAN ||
       (stored != NULL && TEND_PORTAL_FORM (stored)->kind == TEND_PORTAL_FORM_PLAN)) &&
      !tend_role_can (actor->role, TEND_PERMISSION_EDIT_CLINICAL))
    return tend_policy_deny (error, _("Only clinicians ask a client to co-sign a treatment plan."));
  if (stored == NULL)
    {
      if (self->status != STATUS_PENDING || self->completed_at != NULL || self->signed_name != NULL ||
          self->text_sha256 != NULL || self->measure_id != NULL || self->details != NULL || self->reviewed_by != NULL)
        return tend_policy_deny (error, _("A form is sent waiting for the client; only the client completes it."));
      if (g_strcmp0 (self->assigned_by, actor->staff_id) != 0)
        return tend_policy_deny (error, _("A form is sent in the sender’s own name."));
      if (self->kind == TEND_PORTAL_FORM_PLAN)
        return check_plan_request (actor, self, error);
      return TRUE;
    }
  /* An intake the client completed is reviewed once, in the reviewer's
   * own name (what they accepted goes into the client record). */
  if (self->kind == TEND_PORTAL_FORM_INTAKE && TEND_PORTAL_FORM (stored)->status == STATUS_COMPLETED &&
      TEND_PORTAL_FORM (stored)->reviewed_by == NULL && self->reviewed_by != NULL)
    {
      static const char * const review[] = { "reviewed_by", "reviewed_at", NULL };

      if (g_strcmp0 (self->reviewed_by, actor->staff_id) != 0 || !tend_policy_only_changed (stored, record, review))
        return tend_policy_deny (error, _("An intake form is reviewed once, in the reviewer’s own name."));
      return TRUE;
    }
  if (TEND_PORTAL_FORM (stored)->status != STATUS_PENDING ||
      TEND_PORTAL_FORM (record)->status != STATUS_WITHDRAWN ||
      !tend_policy_only_changed (stored, record, may_change))
    return tend_policy_deny (error, _("A form that was sent can only be withdrawn while it waits."));
  return TRUE;
}

/* The client completes a pending form once: the signature's members (or
 * the answers' measure) and nothing else; the hash is of the text held. */
static gboolean
portal_form_client_check (TendPolicyActor *actor,
                          TendRecord      *stored,
                          TendRecord      *record,
                          GError         **error)
{
  /* What completing each kind of form sets, and nothing else. */
  static const char * const consent_change[] = {
    "status", "completed_at", "signed_name", "signed_address", "signed_user_agent", "text_sha256", NULL
  };
  static const char * const measure_change[] = { "status", "completed_at", "measure_id", NULL };
  static const char * const intake_change[] = { "status", "completed_at", "details", NULL };
  TendPortalForm *self = TEND_PORTAL_FORM (record);
  const char * const *may_change = tend_portal_form_is_signed_text (self) ? consent_change :
                                   self->kind == TEND_PORTAL_FORM_MEASURE ? measure_change : intake_change;

  if (stored == NULL || TEND_PORTAL_FORM (stored)->status != STATUS_PENDING)
    return tend_policy_deny (error, _("This form is not waiting to be completed."));
  if (self->status != STATUS_COMPLETED || !tend_policy_only_changed (stored, record, may_change))
    return tend_policy_deny (error, _("A client only completes a form."));
  if (tend_portal_form_is_signed_text (self))
    {
      g_autofree char *sha = tend_portal_form_text_sha256 (self->text);

      if (g_strcmp0 (sha, self->text_sha256) != 0)
        return tend_policy_deny (error, _("The signature is not for this form’s text."));
    }
  return TRUE;
}

static const char * const portal_form_client_keep[] = {
  "kind", "consent", "instrument", "title", "text", "status", "assigned_at", "completed_at", "signed_name", "details", NULL
};

static const TendClientAccess portal_form_client_access = {
  .keep = portal_form_client_keep,
  .check = portal_form_client_check,
};

static const TendRecordPolicy portal_form_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_DEMOGRAPHICS,
  .write_also = TEND_PERMISSION_NONE,
  .check = portal_form_check,
  .client = &portal_form_client_access,
};

static void
tend_portal_form_class_init (TendPortalFormClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "portal_form", portal_form_fields, G_N_ELEMENTS (portal_form_fields));
  tend_record_class_set_policy (record_class, &portal_form_policy);
  record_class->validate = tend_portal_form_validate;
}

static void
tend_portal_form_init (TendPortalForm *self)
{
}

/**
 * tend_portal_form_new:
 * @kind: a consent or a questionnaire
 * @which: (nullable): the consent's wire name ("treatment", "telehealth",
 *   "release_of_information") or the instrument's ("phq9"); %NULL for an
 *   intake form
 * @text: (nullable): a consent's exact text, as the sender reviewed it
 * @assigned_by: the staff member sending it
 *
 * A form waiting for the client, sent now.
 *
 * Returns: (transfer full): the form record
 */
TendPortalForm *
tend_portal_form_new (const char        *client_id,
                      TendPortalFormKind kind,
                      const char        *which,
                      const char        *title,
                      const char        *text,
                      const char        *assigned_by)
{
  TendRecord *self = tend_record_new (TEND_TYPE_PORTAL_FORM);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = tend_time_to_iso8601 (now);

  tend_record_set_string (self, "client_id", client_id);
  tend_record_set_string (self, "kind", kind_choices[kind]);
  if (which != NULL)
    tend_record_set_string (self, kind == TEND_PORTAL_FORM_CONSENT ? "consent" : "instrument", which);
  tend_record_set_string (self, "title", title);
  if (text != NULL)
    tend_record_set_string (self, "text", text);
  tend_record_set_string (self, "status", "pending");
  tend_record_set_string (self, "assigned_by", assigned_by);
  tend_record_set_string (self, "assigned_at", when);
  return TEND_PORTAL_FORM (self);
}

TendPortalFormKind
tend_portal_form_get_kind (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), TEND_PORTAL_FORM_CONSENT);
  return (TendPortalFormKind) self->kind;
}

const char *
tend_portal_form_get_client_id (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), NULL);
  return self->client_id;
}

const char *
tend_portal_form_get_text (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), NULL);
  return self->text;
}

/* The measure's wire name ("phq9"), or %NULL for a consent. */
const char *
tend_portal_form_get_instrument (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), NULL);
  return self->instrument > 0 ? instrument_choices[self->instrument] : NULL;
}

const char *
tend_portal_form_get_assigned_by (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), NULL);
  return self->assigned_by;
}

gboolean
tend_portal_form_is_pending (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), FALSE);
  return self->status == STATUS_PENDING;
}

/**
 * tend_portal_form_is_signed_text:
 *
 * Whether the client completes @self by signing its text with a typed
 * name: a consent, or a treatment plan to co-sign.
 */
gboolean
tend_portal_form_is_signed_text (TendPortalForm *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORM (self), FALSE);
  return self->kind == TEND_PORTAL_FORM_CONSENT || self->kind == TEND_PORTAL_FORM_PLAN;
}

/**
 * tend_portal_form_plan_request_id:
 *
 * The id of the request to co-sign the plan @plan_id: one per plan, the
 * same on every computer, so two requests cannot both be signed.
 *
 * Returns: (transfer full): the form's id
 */
char *
tend_portal_form_plan_request_id (const char *plan_id)
{
  return tend_record_derive_id ("portal-plan-cosign", plan_id, "1");
}

/**
 * tend_portal_form_new_plan_request:
 * @plan_sha256: the plan's signature's content hash
 * @text: the plan in plain words, exactly as the client will read it
 *
 * A request that the client co-sign a plan its clinician signed, sent now.
 *
 * Returns: (transfer full): the form record
 */
TendPortalForm *
tend_portal_form_new_plan_request (const char *client_id,
                                   const char *plan_id,
                                   const char *plan_sha256,
                                   const char *title,
                                   const char *text,
                                   const char *assigned_by)
{
  TendPortalForm *self = tend_portal_form_new (client_id, TEND_PORTAL_FORM_PLAN, NULL, title, text, assigned_by);
  g_autofree char *id = tend_portal_form_plan_request_id (plan_id);

  tend_record_set_id (TEND_RECORD (self), id);
  tend_record_set_string (TEND_RECORD (self), "plan_id", plan_id);
  tend_record_set_string (TEND_RECORD (self), "plan_sha256", plan_sha256);
  return self;
}

/**
 * tend_portal_form_text_sha256:
 *
 * The hash a signature is for: SHA-256 of the text's UTF-8 bytes, exactly
 * as held and shown, as lowercase hex.
 *
 * Returns: (transfer full): the hex digest
 */
char *
tend_portal_form_text_sha256 (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text != NULL ? text : "", -1);
}

/**
 * tend_portal_form_get_intake_fields:
 * @n_fields: (out): how many
 *
 * What an intake form asks the client: contact and insurance details,
 * each named as the client record's member.
 *
 * Returns: (transfer none) (array length=n_fields): the fields
 */
const TendIntakeField *
tend_portal_form_get_intake_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (intake_fields);
  return intake_fields;
}
