/* tend-payer.c
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
#include "tend-payer.h"

struct _TendPayer
{
  TendRecord parent_instance;

  char     *name;
  char     *payer_code;
  char     *address_line1;
  char     *address_line2;
  char     *city;
  char     *region;
  char     *postal_code;
  char     *claim_filing;
  gboolean  active;
};

G_DEFINE_FINAL_TYPE (TendPayer, tend_payer, TEND_TYPE_RECORD)



static const TendField payer_fields[] = {
  { "name", N_("Payer name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayer, name), 60, NULL, 0, 0 },
  { "payer_code", N_("Payer ID"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayer, payer_code), 80, NULL, 0, 0 },
  { "address.line1", N_("Address"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayer, address_line1), 55, NULL, 0, 0 },
  { "address.line2", N_("Address line 2"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayer, address_line2), 55, NULL, 0, 0 },
  { "address.city", N_("City"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayer, city), 30, NULL, 0, 0 },
  { "address.region", N_("State"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayer, region), 2, NULL, 0, 0 },
  { "address.postal_code", N_("Postal code"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayer, postal_code), 15, NULL, 0, 0 },
  { "claim_filing", N_("Claim filing indicator"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayer, claim_filing), 2, NULL, 0, 0 },
  { "active", N_("Active"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendPayer, active), 0, NULL, 0, 0 },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_payer_validate (TendRecord *record,
                    GError    **error)
{
  TendPayer *self = TEND_PAYER (record);

  if (!tend_claim_filing_is_valid (self->claim_filing))
    return invalid (error, _("Claim filing indicator: a code like CI (commercial), MB (Medicare Part B) or MC (Medicaid)"));
  if (strlen (self->payer_code) < 2)
    return invalid (error, _("Payer ID: at least two characters, as the clearinghouse lists it"));
  return TRUE;
}

static const TendRecordPolicy payer_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_BILLING);

static void
tend_payer_class_init (TendPayerClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "payer", payer_fields, G_N_ELEMENTS (payer_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &payer_policy);
  record_class->validate = tend_payer_validate;
}

static void
tend_payer_init (TendPayer *self)
{
  self->active = TRUE;
}

TendPayer *
tend_payer_new (const char *name,
                const char *payer_code,
                const char *claim_filing)
{
  TendPayer *self = TEND_PAYER (tend_record_new (TEND_TYPE_PAYER));

  tend_record_set_string (TEND_RECORD (self), "name", name);
  tend_record_set_string (TEND_RECORD (self), "payer_code", payer_code);
  tend_record_set_string (TEND_RECORD (self), "claim_filing", claim_filing);
  return self;
}

const char *
tend_payer_get_name (TendPayer *self)
{
  g_return_val_if_fail (TEND_IS_PAYER (self), NULL);
  return self->name;
}
