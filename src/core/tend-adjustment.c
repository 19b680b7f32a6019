/* tend-adjustment.c
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
#include "tend-adjustment.h"

struct _TendAdjustment
{
  TendRecord parent_instance;

  char     *charge_id;
  char     *claim_id;
  int       group_code;
  char     *reason;
  gint64    amount;
  char     *posted_on;
  char     *remittance;
};

G_DEFINE_FINAL_TYPE (TendAdjustment, tend_adjustment, TEND_TYPE_RECORD)

static const char * const group_code_choices[] = { "CO", "PR", "OA", "PI", "CR", NULL };

static const TendField adjustment_fields[] = {
  { "charge_id", N_("Charge"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAdjustment, charge_id), 36, NULL, 0, 0 },
  { "claim_id", N_("Claim"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendAdjustment, claim_id), 36, NULL, 0, 0 },
  { "group_code", N_("Adjustment group"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAdjustment, group_code), 0, group_code_choices, 0, 0 },
  { "reason", N_("Adjustment reason"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAdjustment, reason), 5, NULL, 0, 0 },
  { "amount", N_("Amount"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAdjustment, amount), 0, NULL, G_GINT64_CONSTANT (-100000000), G_GINT64_CONSTANT (100000000) },
  { "posted_on", N_("Date"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAdjustment, posted_on), 10, NULL, 0, 0 },
  { "remittance", N_("Remittance"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendAdjustment, remittance), 50, NULL, 0, 0 },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_adjustment_validate (TendRecord *record,
                         GError    **error)
{
  TendAdjustment *self = TEND_ADJUSTMENT (record);

  if (!tend_carc_is_valid (self->reason))
    return invalid (error, _("Adjustment reason: a claim adjustment reason code, like 45"));
  if (self->amount == 0)
    return invalid (error, _("Amount: an adjustment of nothing"));
  return TRUE;
}

static const TendRecordPolicy adjustment_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DIAGNOSES, MANAGE_BILLING);

static void
tend_adjustment_class_init (TendAdjustmentClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "adjustment", adjustment_fields, G_N_ELEMENTS (adjustment_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &adjustment_policy);
  record_class->validate = tend_adjustment_validate;
}

static void
tend_adjustment_init (TendAdjustment *self)
{

}

TendAdjustment *
tend_adjustment_new (const char          *charge_id,
                     TendAdjustmentGroup  group,
                     const char          *reason,
                     gint64               amount,
                     const char          *posted_on)
{
  TendAdjustment *self = TEND_ADJUSTMENT (tend_record_new (TEND_TYPE_ADJUSTMENT));

  tend_record_set_string (TEND_RECORD (self), "charge_id", charge_id);
  tend_record_set_string (TEND_RECORD (self), "reason", reason);
  tend_record_set_string (TEND_RECORD (self), "posted_on", posted_on);
  self->group_code = group;
  self->amount = amount;
  return self;
}
