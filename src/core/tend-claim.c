/* tend-claim.c
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
#include "tend-claim.h"

struct _TendClaim
{
  TendRecord parent_instance;

  char     *client_id;
  char     *policy_id;
  char     *payer_id;
  int       status;
  char     *control_number;
  char     *payer_claim_number;
  gint64    interchange;
  char     *submitted_at;
  gint64    total;
  gint64    paid;
  gint64    patient_responsibility;
};

G_DEFINE_FINAL_TYPE (TendClaim, tend_claim, TEND_TYPE_RECORD)

static const char * const status_choices[] = { "draft", "submitted", "paid", "denied", "partially_paid", NULL };

static const TendField claim_fields[] = {
  { "client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendClaim, client_id), 36, NULL, 0, 0 },
  { "policy_id", N_("Policy"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendClaim, policy_id), 36, NULL, 0, 0 },
  { "payer_id", N_("Payer"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendClaim, payer_id), 36, NULL, 0, 0 },
  { "status", N_("Status"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendClaim, status), 0, status_choices, 0, 0 },
  { "control_number", N_("Claim number"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendClaim, control_number), 20, NULL, 0, 0 },
  { "payer_claim_number", N_("Payer claim number"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendClaim, payer_claim_number), 50, NULL, 0, 0 },
  { "interchange", N_("Interchange control number"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendClaim, interchange), 0, NULL, 0, 999999999 },
  { "submitted_at", N_("Submitted"), TEND_FIELD_DATETIME, 0, G_STRUCT_OFFSET (TendClaim, submitted_at), 40, NULL, 0, 0 },
  { "total", N_("Total charge"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendClaim, total), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
  { "paid", N_("Paid"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendClaim, paid), 0, NULL, G_GINT64_CONSTANT (-100000000), G_GINT64_CONSTANT (100000000) },
  { "patient_responsibility", N_("Patient responsibility"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendClaim, patient_responsibility), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_claim_validate (TendRecord *record,
                    GError    **error)
{
  TendClaim *self = TEND_CLAIM (record);

  for (const char *p = self->control_number; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return invalid (error, _("Claim number: letters, digits and dashes only"));
  if (self->status != TEND_CLAIM_DRAFT && self->interchange == 0)
    return invalid (error, _("Interchange control number: a claim that was sent has one"));
  return TRUE;
}

/* The claim number goes to the payer and back on its remittance. */
static const TendRecordPolicy claim_policy = {
  .read = TEND_PERMISSION_VIEW_DIAGNOSES,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MANAGE_BILLING,
  .write_also = TEND_PERMISSION_NONE,
  .unique = "control_number",
};

static void
tend_claim_class_init (TendClaimClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "claim", claim_fields, G_N_ELEMENTS (claim_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &claim_policy);
  record_class->validate = tend_claim_validate;
}

static void
tend_claim_init (TendClaim *self)
{

}

TendClaim *
tend_claim_new (const char *client_id,
                const char *policy_id,
                const char *payer_id,
                const char *control_number)
{
  TendClaim *self = TEND_CLAIM (tend_record_new (TEND_TYPE_CLAIM));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "policy_id", policy_id);
  tend_record_set_string (TEND_RECORD (self), "payer_id", payer_id);
  tend_record_set_string (TEND_RECORD (self), "control_number", control_number);
  return self;
}

TendClaimStatus
tend_claim_get_status (TendClaim *self)
{
  g_return_val_if_fail (TEND_IS_CLAIM (self), TEND_CLAIM_DRAFT);
  return (TendClaimStatus) self->status;
}

const char *
tend_claim_status_get_label (TendClaimStatus status)
{
  switch (status)
    {
    case TEND_CLAIM_DRAFT:          return _("Draft");
    case TEND_CLAIM_SUBMITTED:      return _("Submitted");
    case TEND_CLAIM_PAID:           return _("Paid");
    case TEND_CLAIM_DENIED:         return _("Denied");
    case TEND_CLAIM_PARTIALLY_PAID: return _("Partially paid");
    default:                        return "";
    }
}
