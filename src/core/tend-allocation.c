/* tend-allocation.c
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
#include "tend-allocation.h"

struct _TendAllocation
{
  TendRecord parent_instance;

  char     *payment_id;
  char     *charge_id;
  gint64    amount;
};

G_DEFINE_FINAL_TYPE (TendAllocation, tend_allocation, TEND_TYPE_RECORD)



static const TendField allocation_fields[] = {
  { "payment_id", N_("Payment"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAllocation, payment_id), 36, NULL, 0, 0 },
  { "charge_id", N_("Charge"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAllocation, charge_id), 36, NULL, 0, 0 },
  { "amount", N_("Amount"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendAllocation, amount), 0, NULL, 1, G_GINT64_CONSTANT (100000000) },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_allocation_validate (TendRecord *record,
                         GError    **error)
{
  TendAllocation *self = TEND_ALLOCATION (record);

  (void) self;
  return TRUE;
}

static const TendRecordPolicy allocation_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, RECORD_PAYMENTS);

static void
tend_allocation_class_init (TendAllocationClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "allocation", allocation_fields, G_N_ELEMENTS (allocation_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &allocation_policy);
  record_class->validate = tend_allocation_validate;
}

static void
tend_allocation_init (TendAllocation *self)
{

}

TendAllocation *
tend_allocation_new (const char *payment_id,
                     const char *charge_id,
                     gint64      amount)
{
  TendAllocation *self = TEND_ALLOCATION (tend_record_new (TEND_TYPE_ALLOCATION));

  tend_record_set_string (TEND_RECORD (self), "payment_id", payment_id);
  tend_record_set_string (TEND_RECORD (self), "charge_id", charge_id);
  self->amount = amount;
  return self;
}
