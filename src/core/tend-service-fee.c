/* tend-service-fee.c
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
#include "tend-service-fee.h"

struct _TendServiceFee
{
  TendRecord parent_instance;

  char     *service_code;
  char     *clinician_id;
  gint64    fee;
};

G_DEFINE_FINAL_TYPE (TendServiceFee, tend_service_fee, TEND_TYPE_RECORD)



static const TendField service_fee_fields[] = {
  { "service_code", N_("Service code"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendServiceFee, service_code), 5, NULL, 0, 0 },
  { "clinician_id", N_("Clinician"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendServiceFee, clinician_id), 36, NULL, 0, 0 },
  { "fee", N_("Fee"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendServiceFee, fee), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_service_fee_validate (TendRecord *record,
                          GError    **error)
{
  TendServiceFee *self = TEND_SERVICE_FEE (record);

  if (!tend_cpt_code_is_valid (self->service_code))
    return invalid (error, _("Service code: use a five-character CPT or HCPCS code, like 90834"));
  return TRUE;
}

static const TendRecordPolicy service_fee_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_BILLING);

static void
tend_service_fee_class_init (TendServiceFeeClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "service_fee", service_fee_fields, G_N_ELEMENTS (service_fee_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &service_fee_policy);
  record_class->validate = tend_service_fee_validate;
}

static void
tend_service_fee_init (TendServiceFee *self)
{

}

TendServiceFee *
tend_service_fee_new (const char *service_code,
                      const char *clinician_id,
                      gint64      fee)
{
  TendServiceFee *self = TEND_SERVICE_FEE (tend_record_new (TEND_TYPE_SERVICE_FEE));

  tend_record_set_string (TEND_RECORD (self), "service_code", service_code);
  tend_record_set_string (TEND_RECORD (self), "clinician_id", clinician_id);
  self->fee = fee;
  return self;
}
