/* tend-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-billing-codes.h"
#include "tend-error.h"
#include "tend-policy.h"

struct _TendPolicy
{
  TendRecord parent_instance;

  char     *client_id;
  char     *payer_id;
  char     *member_id;
  char     *group_number;
  int       priority;
  int       relationship;
  char     *subscriber_given;
  char     *subscriber_family;
  char     *subscriber_dob;
  int       subscriber_sex;
  char     *effective_from;
  char     *effective_to;
  gint64    copay;
};

G_DEFINE_FINAL_TYPE (TendPolicy, tend_policy, TEND_TYPE_RECORD)

static const char * const priority_choices[] = { "primary", "secondary", "tertiary", NULL };
static const char * const relationship_choices[] = { "self", "spouse", "child", "other", NULL };
static const char * const subscriber_sex_choices[] = { "unknown", "female", "male", NULL };

static const TendField policy_fields[] = {
  { "client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPolicy, client_id), 36, NULL, 0, 0 },
  { "payer_id", N_("Payer"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPolicy, payer_id), 36, NULL, 0, 0 },
  { "member_id", N_("Member ID"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPolicy, member_id), 80, NULL, 0, 0 },
  { "group_number", N_("Group number"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPolicy, group_number), 50, NULL, 0, 0 },
  { "priority", N_("Priority"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPolicy, priority), 0, priority_choices, 0, 0 },
  { "relationship", N_("Relationship to subscriber"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPolicy, relationship), 0, relationship_choices, 0, 0 },
  { "subscriber.given", N_("Subscriber first name"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPolicy, subscriber_given), 35, NULL, 0, 0 },
  { "subscriber.family", N_("Subscriber last name"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPolicy, subscriber_family), 60, NULL, 0, 0 },
  { "subscriber.date_of_birth", N_("Subscriber date of birth"), TEND_FIELD_DATE, 0, G_STRUCT_OFFSET (TendPolicy, subscriber_dob), 10, NULL, 0, 0 },
  { "subscriber.sex", N_("Subscriber sex"), TEND_FIELD_ENUM, 0, G_STRUCT_OFFSET (TendPolicy, subscriber_sex), 0, subscriber_sex_choices, 0, 0 },
  { "effective_from", N_("Effective from"), TEND_FIELD_DATE, 0, G_STRUCT_OFFSET (TendPolicy, effective_from), 10, NULL, 0, 0 },
  { "effective_to", N_("Effective until"), TEND_FIELD_DATE, 0, G_STRUCT_OFFSET (TendPolicy, effective_to), 10, NULL, 0, 0 },
  { "copay", N_("Copay"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendPolicy, copay), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_policy_validate (TendRecord *record,
                     GError    **error)
{
  TendPolicy *self = TEND_POLICY (record);

  if (self->relationship != TEND_RELATIONSHIP_SELF &&
      (self->subscriber_given == NULL || self->subscriber_family == NULL))
    return invalid (error, _("Subscriber: name the policy holder when it is not the client"));
  if (self->effective_from != NULL && self->effective_to != NULL &&
      strcmp (self->effective_to, self->effective_from) < 0)
    return invalid (error, _("Effective until: before the start of the coverage"));
  return TRUE;
}

/* Everyone who reads demographics reads the client's coverage; the front
 * desk takes it at intake and billing keeps it, so both write it
 * (clinicians do not). */
static const TendRecordPolicy policy_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, EDIT_INSURANCE);

static void
tend_policy_class_init (TendPolicyClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "policy", policy_fields, G_N_ELEMENTS (policy_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &policy_policy);
  record_class->validate = tend_policy_validate;
}

static void
tend_policy_init (TendPolicy *self)
{

}

TendPolicy *
tend_policy_new (const char *client_id,
                 const char *payer_id,
                 const char *member_id)
{
  TendPolicy *self = TEND_POLICY (tend_record_new (TEND_TYPE_POLICY));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "payer_id", payer_id);
  tend_record_set_string (TEND_RECORD (self), "member_id", member_id);
  return self;
}

TendSubscriberRelationship
tend_policy_get_relationship (TendPolicy *self)
{
  g_return_val_if_fail (TEND_IS_POLICY (self), TEND_RELATIONSHIP_SELF);
  return (TendSubscriberRelationship) self->relationship;
}

/* Dates are YYYY-MM-DD, so they compare as text. */
gboolean
tend_policy_covers (TendPolicy *self,
                    const char *date)
{
  g_return_val_if_fail (TEND_IS_POLICY (self), FALSE);
  return (self->effective_from == NULL || strcmp (date, self->effective_from) >= 0) &&
         (self->effective_to == NULL || strcmp (date, self->effective_to) <= 0);
}
