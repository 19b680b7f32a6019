/* tend-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-record-policy.h"
#include "tend-client.h"
#include "tend-error.h"
#include "tend-time.h"

struct _TendClient
{
  TendRecord parent_instance;

  char *legal_given;
  char *legal_family;
  char *preferred_name;
  char *pronouns;
  char *date_of_birth;
  char *record_number;
  char *email;
  char *phone_mobile;
  char *phone_home;
  char *address_line1;
  char *address_line2;
  char *city;
  char *region;
  char *postal_code;
  char *country;
  char *ec_name;
  char *ec_relationship;
  char *ec_phone;
  int   status;
  char *primary_clinician_id;
  char *referral_source;
  char *ins_payer;
  char *ins_member;
  char *ins_group;
  char *ins_subscriber;
  char *ins_relationship;
  char *consent_treatment_date;
  char *consent_treatment_by;
  char *consent_telehealth_date;
  char *consent_telehealth_by;
  char *consent_roi_date;
  char *consent_roi_by;
  char *consent_roi_party;
  gint64 fee_percent;
  char *language;
  int   reminder_channel;
  gboolean sms_opt_out;
  char *sms_opt_out_at;
};

G_DEFINE_FINAL_TYPE (TendClient, tend_client, TEND_TYPE_RECORD)

static const char * const status_choices[] = { "active", "inactive", "discharged", NULL };
/* How the client wants reminders: "auto" is a text message when there is a
 * mobile number, else an e-mail. */
static const char * const reminder_channel_choices[] = { "auto", "sms", "email", "none", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendClient, member), len, NULL, 0, 0 }

static const TendField client_fields[] = {
  F ("legal_given", N_("Legal first name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, legal_given, 80),
  F ("legal_family", N_("Legal last name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, legal_family, 80),
  F ("preferred_name", N_("Preferred name"), TEND_FIELD_STRING, 0, preferred_name, 80),
  F ("pronouns", N_("Pronouns"), TEND_FIELD_STRING, 0, pronouns, 40),
  F ("date_of_birth", N_("Date of birth"), TEND_FIELD_DATE, 0, date_of_birth, 10),
  F ("record_number", N_("Record number"), TEND_FIELD_STRING, 0, record_number, 20),
  F ("email", N_("Email"), TEND_FIELD_EMAIL, 0, email, 254),
  F ("phone_mobile", N_("Mobile phone"), TEND_FIELD_PHONE, 0, phone_mobile, 40),
  F ("phone_home", N_("Home phone"), TEND_FIELD_PHONE, 0, phone_home, 40),
  F ("address.line1", N_("Address"), TEND_FIELD_STRING, 0, address_line1, 120),
  F ("address.line2", N_("Address line 2"), TEND_FIELD_STRING, 0, address_line2, 120),
  F ("address.city", N_("City"), TEND_FIELD_STRING, 0, city, 80),
  F ("address.region", N_("State or region"), TEND_FIELD_STRING, 0, region, 80),
  F ("address.postal_code", N_("Postal code"), TEND_FIELD_STRING, 0, postal_code, 20),
  F ("address.country", N_("Country"), TEND_FIELD_STRING, 0, country, 2),
  F ("emergency_contact.name", N_("Emergency contact"), TEND_FIELD_STRING, 0, ec_name, 120),
  F ("emergency_contact.relationship", N_("Emergency contact relationship"), TEND_FIELD_STRING, 0, ec_relationship, 40),
  F ("emergency_contact.phone", N_("Emergency contact phone"), TEND_FIELD_PHONE, 0, ec_phone, 40),
  { "status", N_("Status"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendClient, status), 0, status_choices, 0, 0 },
  F ("primary_clinician_id", N_("Primary clinician"), TEND_FIELD_UUID, 0, primary_clinician_id, 36),
  F ("referral_source", N_("Referral source"), TEND_FIELD_STRING, 0, referral_source, 120),
  F ("insurance.payer", N_("Insurance payer"), TEND_FIELD_STRING, 0, ins_payer, 120),
  F ("insurance.member_number", N_("Member number"), TEND_FIELD_STRING, 0, ins_member, 40),
  F ("insurance.group_number", N_("Group number"), TEND_FIELD_STRING, 0, ins_group, 40),
  F ("insurance.subscriber", N_("Subscriber"), TEND_FIELD_STRING, 0, ins_subscriber, 120),
  F ("insurance.subscriber_relationship", N_("Subscriber relationship"), TEND_FIELD_STRING, 0, ins_relationship, 40),
  F ("consents.treatment.date", N_("Consent to treatment"), TEND_FIELD_DATE, 0, consent_treatment_date, 10),
  F ("consents.treatment.recorded_by", N_("Consent to treatment recorded by"), TEND_FIELD_UUID, 0, consent_treatment_by, 36),
  F ("consents.telehealth.date", N_("Consent to telehealth"), TEND_FIELD_DATE, 0, consent_telehealth_date, 10),
  F ("consents.telehealth.recorded_by", N_("Consent to telehealth recorded by"), TEND_FIELD_UUID, 0, consent_telehealth_by, 36),
  F ("consents.release_of_information.date", N_("Release of information"), TEND_FIELD_DATE, 0, consent_roi_date, 10),
  F ("consents.release_of_information.recorded_by", N_("Release of information recorded by"), TEND_FIELD_UUID, 0, consent_roi_by, 36),
  F ("consents.release_of_information.party", N_("Release of information to"), TEND_FIELD_STRING, 0, consent_roi_party, 120),
  /* The sliding scale: the share of each fee this client pays (100: the full fee). */
  { "billing.fee_percent", N_("Sliding scale"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendClient, fee_percent), 0, NULL, 0, 100 },
  /* The language of what is sent to the client (reminders, the portal): a
   * language code such as "en" or "es". */
  F ("language", N_("Language"), TEND_FIELD_STRING, 0, language, 35),
  { "reminders.channel", N_("Reminders by"), TEND_FIELD_ENUM, 0, G_STRUCT_OFFSET (TendClient, reminder_channel), 0, reminder_channel_choices, 0, 0 },
  /* Set by tend-server when the client replies STOP to a text message. */
  { "reminders.sms_opt_out", N_("Declined text messages"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendClient, sms_opt_out), 0, NULL, 0, 0 },
  F ("reminders.sms_opt_out_at", N_("Declined text messages on"), TEND_FIELD_DATETIME, 0, sms_opt_out_at, 40),
};

#undef F

/* This computer's zone, read once: g_time_zone_new_local () stats and reads
 * /etc/localtime on every call, which was a fifth of every client load. */
static GTimeZone *
local_zone (void)
{
  static gsize zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, (gsize) g_time_zone_new_local ());
  return (GTimeZone *) zone;
}

static gboolean
tend_client_validate (TendRecord *record,
                      GError    **error)
{
  TendClient *self = TEND_CLIENT (record);

  if (self->date_of_birth != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (local_zone ());
      GDate dob, today;

      tend_date_parse (self->date_of_birth, &dob, NULL);
      g_date_clear (&today, 1);
      g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                      (GDateMonth) g_date_time_get_month (now),
                      (GDateYear) g_date_time_get_year (now));
      if (g_date_compare (&dob, &today) > 0)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Date of birth: %s is in the future"), self->date_of_birth);
          return FALSE;
        }
      if (tend_date_age_on (&dob, &today) > 130)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Date of birth: %s would make the client over 130 years old"),
                       self->date_of_birth);
          return FALSE;
        }
    }
  {
    const char *consents[][3] = {
      { self->consent_treatment_date, self->consent_treatment_by, N_("Consent to treatment") },
      { self->consent_telehealth_date, self->consent_telehealth_by, N_("Consent to telehealth") },
      { self->consent_roi_date, self->consent_roi_by, N_("Release of information") },
    };

    for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
      if ((consents[i][0] == NULL) != (consents[i][1] == NULL))
        {
          /* TRANSLATORS: %s is a consent, "Consent to telehealth" */
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("%s: record both the date and who recorded it"), _(consents[i][2]));
          return FALSE;
        }
  }
  if ((self->ins_member != NULL || self->ins_group != NULL || self->ins_subscriber != NULL) && self->ins_payer == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Insurance payer: required with a member number, group number or subscriber"));
      return FALSE;
    }
  if (self->ec_phone != NULL && self->ec_name == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Emergency contact: a phone number needs a name"));
      return FALSE;
    }
  return TRUE;
}

/* The portal: a client reads the name the practice greets them by. */
static gboolean
client_client_owns (TendPolicyActor *actor,
                    TendRecord      *record,
                    GError         **error)
{
  return actor->client_id != NULL && g_strcmp0 (tend_record_get_id (record), actor->client_id) == 0;
}

static const char * const client_client_keep[] = { "legal_given", "preferred_name", NULL };

static const TendClientAccess client_client_access = {
  .owns = client_client_owns,
  .keep = client_client_keep,
};

/* A clinician or supervisor reaches a chart through the client's primary
 * clinician: they move a client to another clinician (themselves
 * included) only when they may read that client's chart already, so the
 * field cannot be used to take a chart.  Owners and the front desk assign
 * clients. */
static gboolean
client_check (TendPolicyActor *actor,
              gboolean         extra_writer,
              TendRecord      *stored,
              TendRecord      *record,
              GError         **error)
{
  g_autoptr(GError) local = NULL;

  /* Nothing in Tend deletes a client: the chart, the ledger and the
   * schedule name them, and a record of care is kept.  A client who has
   * left is discharged or made inactive. */
  if (record == NULL)
    return tend_policy_deny (error, _("A client’s record is kept: discharge the client or make them inactive instead."));
  if (stored == NULL || actor->may_read_chart == NULL ||
      !tend_record_policy_chart_restricted (actor->role) ||
      g_strcmp0 (TEND_CLIENT (stored)->primary_clinician_id, TEND_CLIENT (record)->primary_clinician_id) == 0)
    return TRUE;
  if (actor->may_read_chart (actor, tend_record_get_id (stored), &local))
    return TRUE;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return tend_policy_deny (error, _("Only an owner, the front desk or a clinician on the client’s chart "
                                    "changes the client’s clinician."));
}

static const TendRecordPolicy client_policy = {
  .check = client_check,
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_DEMOGRAPHICS,
  .write_also = TEND_PERMISSION_NONE,
  .client = &client_client_access,
};

static void
tend_client_class_init (TendClientClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "client", client_fields, G_N_ELEMENTS (client_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &client_policy);
  record_class->validate = tend_client_validate;
}

static void
tend_client_init (TendClient *self)
{
  self->status = TEND_CLIENT_STATUS_ACTIVE;
  self->fee_percent = 100;
}

TendClient *
tend_client_new (const char *legal_given,
                 const char *legal_family)
{
  TendClient *self = TEND_CLIENT (tend_record_new (TEND_TYPE_CLIENT));

  tend_record_set_string (TEND_RECORD (self), "legal_given", legal_given);
  tend_record_set_string (TEND_RECORD (self), "legal_family", legal_family);
  return self;
}

#define GETTER(field) \
  const char *tend_client_get_##field (TendClient *self) \
  { \
    g_return_val_if_fail (TEND_IS_CLIENT (self), NULL); \
    return self->field; \
  }

GETTER (legal_given)
GETTER (legal_family)
GETTER (preferred_name)
GETTER (pronouns)
GETTER (date_of_birth)
GETTER (record_number)
GETTER (email)

#undef GETTER

const char *
tend_client_get_phone (TendClient *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT (self), NULL);
  return self->phone_mobile != NULL ? self->phone_mobile : self->phone_home;
}

const char *
tend_client_get_primary_clinician (TendClient *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT (self), NULL);
  return self->primary_clinician_id;
}

TendClientStatus
tend_client_get_status (TendClient *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT (self), TEND_CLIENT_STATUS_ACTIVE);
  return (TendClientStatus) self->status;
}

const char *
tend_client_status_get_label (TendClientStatus status)
{
  switch (status)
    {
    case TEND_CLIENT_STATUS_ACTIVE:     return _("Active");
    case TEND_CLIENT_STATUS_INACTIVE:   return _("Inactive");
    case TEND_CLIENT_STATUS_DISCHARGED: return _("Discharged");
    default:                            return "";
    }
}

/* The name people use: preferred first name if given, then the legal last name. */
char *
tend_client_dup_display_name (TendClient *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT (self), NULL);

  return g_strdup_printf ("%s %s",
                          self->preferred_name ? self->preferred_name : (self->legal_given ? self->legal_given : ""),
                          self->legal_family ? self->legal_family : "");
}

/* Returns -1 when the date of birth is unknown. */
int
tend_client_get_age (TendClient  *self,
                     const GDate *today)
{
  GDate dob;

  g_return_val_if_fail (TEND_IS_CLIENT (self), -1);
  if (self->date_of_birth == NULL || !tend_date_parse (self->date_of_birth, &dob, NULL))
    return -1;
  return (int) tend_date_age_on (&dob, today);
}
