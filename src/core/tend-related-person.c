/* tend-related-person.c: a client's guardians and related people
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person in a client's life the practice keeps on file: a minor's
 * parents or legal guardian, a partner (in couples work often a client
 * too: linked_client_id then names their own record), an emergency
 * contact.  Each has a relationship from a short list, contact details,
 * whether they are the client's legal guardian (may consent for them,
 * and may be invited to the portal to act for a minor), and the client's
 * consent to share with them: its date, who recorded it and what it
 * covers ("appointments and attendance", "everything").  A consent is
 * withdrawn by clearing it; the record's history keeps that it was given.
 *
 * Who reads and writes it is its record policy (below), evaluated by the
 * store and by tend-server alike: contact data, so everyone who reads
 * demographics reads it (the front desk calls the emergency contact, the
 * biller sends a minor's statement to the guardian); those who edit
 * demographics write it, except that a clinician or supervisor writes it
 * only on a chart they are on, as with the client's clinician: who may
 * hear about a client's care, and who may act for a minor, is set by the
 * front desk, an owner or the client's care team, not by any clinician.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-error.h"
#include "tend-record-policy.h"
#include "tend-related-person.h"
#include "tend-time.h"

struct _TendRelatedPerson
{
  TendRecord parent_instance;

  char    *client_id;
  char    *name;
  int      relationship;
  char    *relationship_detail;
  char    *phone;
  char    *email;
  char    *address;
  gboolean legal_guardian;
  char    *consent_date;
  char    *consent_recorded_by;
  char    *consent_scope;
  char    *linked_client_id;
};

G_DEFINE_FINAL_TYPE (TendRelatedPerson, tend_related_person, TEND_TYPE_RECORD)

static const char * const relationship_choices[] = {
  "parent", "legal_guardian", "partner", "emergency_contact", "other", NULL
};

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendRelatedPerson, member), len, NULL, 0, 0 }

static const TendField fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("name", N_("Name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, name, 120),
  { "relationship", N_("Relationship"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED,
    G_STRUCT_OFFSET (TendRelatedPerson, relationship), 0, relationship_choices, 0, 0 },
  F ("relationship_detail", N_("Relationship detail"), TEND_FIELD_STRING, 0, relationship_detail, 60),
  F ("phone", N_("Phone"), TEND_FIELD_PHONE, 0, phone, 40),
  F ("email", N_("Email"), TEND_FIELD_EMAIL, 0, email, 254),
  F ("address", N_("Address"), TEND_FIELD_STRING, 0, address, 240),
  { "legal_guardian", N_("Legal guardian"), TEND_FIELD_BOOL, 0,
    G_STRUCT_OFFSET (TendRelatedPerson, legal_guardian), 0, NULL, 0, 0 },
  F ("consent.date", N_("Consent to share"), TEND_FIELD_DATE, 0, consent_date, 10),
  F ("consent.recorded_by", N_("Consent to share recorded by"), TEND_FIELD_UUID, 0, consent_recorded_by, 36),
  F ("consent.scope", N_("What may be shared"), TEND_FIELD_TEXT, 0, consent_scope, 500),
  F ("linked_client_id", N_("Also a client"), TEND_FIELD_UUID, 0, linked_client_id, 36),
};

#undef F

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static void
today_local (GDate *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

static gboolean
tend_related_person_validate (TendRecord  *record,
                              GError     **error)
{
  TendRelatedPerson *self = TEND_RELATED_PERSON (record);

  if (is_blank (self->name))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Name: say who this person is"));
      return FALSE;
    }
  if (self->relationship == TEND_RELATED_LEGAL_GUARDIAN && !self->legal_guardian)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Legal guardian: a person recorded as the legal guardian is the legal guardian"));
      return FALSE;
    }
  if (self->legal_guardian &&
      (self->relationship == TEND_RELATED_PARTNER || self->relationship == TEND_RELATED_EMERGENCY_CONTACT))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Legal guardian: choose the relationship “Parent”, “Legal guardian” or “Other”"));
      return FALSE;
    }
  if ((self->consent_date == NULL) != (self->consent_recorded_by == NULL))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Consent to share: record both the date and who recorded it"));
      return FALSE;
    }
  if (self->consent_scope != NULL && self->consent_date == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("What may be shared: record the date the client consented"));
      return FALSE;
    }
  if (self->consent_date != NULL)
    {
      GDate day, today;

      today_local (&today);
      /* The field's own check has parsed it. */
      if (tend_date_parse (self->consent_date, &day, NULL) && g_date_days_between (&today, &day) > 1)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Consent to share: %s is in the future"), self->consent_date);
          return FALSE;
        }
    }
  if (self->linked_client_id != NULL && g_strcmp0 (self->linked_client_id, self->client_id) == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Also a client: a client is not their own related person"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
propagate (GError **error,
           GError  *local)
{
  g_propagate_error (error, local);
  return FALSE;
}

static gboolean
consent_changed (TendRelatedPerson *old,
                 TendRelatedPerson *now)
{
  return g_strcmp0 (old != NULL ? old->consent_date : NULL, now->consent_date) != 0 ||
         g_strcmp0 (old != NULL ? old->consent_recorded_by : NULL, now->consent_recorded_by) != 0;
}

/* See the top of the file. */
static gboolean
related_person_check (TendPolicyActor *actor,
                      gboolean         extra_writer,
                      TendRecord      *stored,
                      TendRecord      *record,
                      GError         **error)
{
  TendRelatedPerson *old = stored != NULL ? TEND_RELATED_PERSON (stored) : NULL;
  TendRelatedPerson *self = record != NULL ? TEND_RELATED_PERSON (record) : NULL;
  const char *client_id = old != NULL ? old->client_id : self->client_id;
  g_autoptr(GError) local = NULL;

  if (old != NULL && self != NULL && g_strcmp0 (old->client_id, self->client_id) != 0)
    return tend_policy_deny (error, _("A related person stays with the client they were recorded for."));

  if (actor->may_read_chart != NULL && tend_record_policy_chart_restricted (actor->role) &&
      !actor->may_read_chart (actor, client_id, &local))
    {
      if (local != NULL)
        return propagate (error, g_steal_pointer (&local));
      return tend_policy_deny (error, _("Only an owner, the front desk or a clinician on the client’s chart "
                                        "changes the client’s related people."));
    }
  if (self == NULL)
    return TRUE;

  /* A consent is recorded by the person who took it, in their own name. */
  if (self->consent_date != NULL && consent_changed (old, self) && actor->staff_id != NULL &&
      g_strcmp0 (self->consent_recorded_by, actor->staff_id) != 0)
    return tend_policy_deny (error, _("A consent to share is recorded in your own name."));

  if (self->linked_client_id != NULL &&
      (old == NULL || g_strcmp0 (old->linked_client_id, self->linked_client_id) != 0))
    return tend_policy_require_live (actor, TEND_TYPE_CLIENT, self->linked_client_id,
                                     _("The related person’s own client record is not in this practice."), error);
  return TRUE;
}

/* Contact data: everyone who reads demographics reads it, those who edit
 * demographics write it (with the chart rule in the check).  Not chart
 * content: like the client's own contacts, it is shown on every chart. */
static const TendRecordPolicy related_person_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_DEMOGRAPHICS,
  .write_also = TEND_PERMISSION_NONE,
  .check = related_person_check,
};

static void
tend_related_person_class_init (TendRelatedPersonClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "related_person", fields, G_N_ELEMENTS (fields));
  tend_record_class_set_policy (record_class, &related_person_policy);
  record_class->validate = tend_related_person_validate;
}

static void
tend_related_person_init (TendRelatedPerson *self)
{
  self->relationship = TEND_RELATED_OTHER;
}

/**
 * tend_related_person_new:
 *
 * Returns: (transfer full): a related person of @client_id; a legal
 *   guardian when @relationship is %TEND_RELATED_LEGAL_GUARDIAN
 */
TendRelatedPerson *
tend_related_person_new (const char       *client_id,
                         const char       *name,
                         TendRelatedKind  relationship)
{
  TendRelatedPerson *self = TEND_RELATED_PERSON (tend_record_new (TEND_TYPE_RELATED_PERSON));

  g_return_val_if_fail (relationship < TEND_N_RELATED, self);
  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "name", name);
  tend_record_set_string (TEND_RECORD (self), "relationship", relationship_choices[relationship]);
  if (relationship == TEND_RELATED_LEGAL_GUARDIAN)
    tend_record_set_int (TEND_RECORD (self), "legal_guardian", 1);
  return self;
}

const char *
tend_related_person_get_client_id (TendRelatedPerson *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), NULL);
  return self->client_id;
}

const char *
tend_related_person_get_name (TendRelatedPerson *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), NULL);
  return self->name;
}

TendRelatedKind
tend_related_person_get_relationship (TendRelatedPerson *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), TEND_RELATED_OTHER);
  return self->relationship;
}

gboolean
tend_related_person_is_legal_guardian (TendRelatedPerson *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), FALSE);
  return self->legal_guardian;
}

/* Whether the client's consent to share with this person is on file. */
gboolean
tend_related_person_has_consent (TendRelatedPerson *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), FALSE);
  return self->consent_date != NULL;
}

const char *
tend_related_person_get_linked_client (TendRelatedPerson *self)
{
  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), NULL);
  return self->linked_client_id;
}

/**
 * tend_related_person_set_consent:
 * @date: (nullable): YYYY-MM-DD, or %NULL to withdraw the consent
 * @recorded_by: (nullable): the staff member recording it
 * @scope: (nullable): what may be shared
 */
void
tend_related_person_set_consent (TendRelatedPerson *self,
                                 const char        *date,
                                 const char        *recorded_by,
                                 const char        *scope)
{
  g_return_if_fail (TEND_IS_RELATED_PERSON (self));
  tend_record_set_string (TEND_RECORD (self), "consent.date", date);
  tend_record_set_string (TEND_RECORD (self), "consent.recorded_by", date != NULL ? recorded_by : NULL);
  tend_record_set_string (TEND_RECORD (self), "consent.scope", date != NULL && !is_blank (scope) ? scope : NULL);
}

/* The wire name, "parent" */
const char *
tend_related_kind_to_string (TendRelatedKind relationship)
{
  g_return_val_if_fail (relationship < TEND_N_RELATED, NULL);
  return relationship_choices[relationship];
}

const char *
tend_related_kind_get_label (TendRelatedKind relationship)
{
  switch (relationship)
    {
    case TEND_RELATED_PARENT:            return _("Parent");
    case TEND_RELATED_LEGAL_GUARDIAN:    return _("Legal guardian");
    case TEND_RELATED_PARTNER:           return _("Spouse or partner");
    case TEND_RELATED_EMERGENCY_CONTACT: return _("Emergency contact");
    case TEND_RELATED_OTHER:             return _("Other");
    case TEND_N_RELATED:
    default:
      g_return_val_if_reached ("");
    }
}

/**
 * tend_related_person_may_act_for:
 * @client: the client @self is recorded for
 * @today: the day, in the practice's zone
 *
 * Whether @self may act for @client in the portal: a live record of
 * @client's, marked legal guardian, of a client with a date of birth
 * that makes them a minor on @today.  The server asks this when it
 * invites a guardian and again for every request of their session, so
 * that the access ends the day the client comes of age, or the day the
 * practice unmarks the guardian or removes the record.
 *
 * Returns: %TRUE, or %FALSE with @error (%TEND_ERROR_PERMISSION_DENIED)
 *   saying why not
 */
gboolean
tend_related_person_may_act_for (TendRelatedPerson *self,
                                 TendClient        *client,
                                 const GDate       *today,
                                 GError           **error)
{
  int age;

  g_return_val_if_fail (TEND_IS_RELATED_PERSON (self), FALSE);
  g_return_val_if_fail (TEND_IS_CLIENT (client), FALSE);

  if (tend_record_get_deleted (TEND_RECORD (self)) || tend_record_get_deleted (TEND_RECORD (client)) ||
      g_strcmp0 (self->client_id, tend_record_get_id (TEND_RECORD (client))) != 0)
    return tend_policy_deny (error, "The related person is not on file for this client");
  if (!self->legal_guardian)
    return tend_policy_deny (error, "Only a legal guardian acts for a client");
  age = tend_client_get_age (client, today);
  if (age < 0)
    return tend_policy_deny (error, "The client's date of birth is not on file: a guardian acts only for a minor");
  if (age >= TEND_AGE_OF_MAJORITY)
    return tend_policy_deny (error, "The client is not a minor");
  return TRUE;
}
