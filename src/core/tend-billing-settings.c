/* tend-billing-settings.c
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
#include "tend-billing-settings.h"

struct _TendBillingSettings
{
  TendRecord parent_instance;

  int       charge_on;
  gint64    no_show_fee;
  gint64    late_cancel_fee;
  int       telehealth_modifier;
  char     *telehealth_pos;
  char     *office_pos;
  char     *tax_id;
  char     *billing_npi;
  char     *taxonomy;
  char     *submitter_id;
  char     *receiver_id;
  char     *receiver_name;
  gint64    payment_terms_days;
  gint64    late_cancel_hours;
};

G_DEFINE_FINAL_TYPE (TendBillingSettings, tend_billing_settings, TEND_TYPE_RECORD)

static const char * const charge_on_choices[] = { "completed", "note_signed", NULL };
static const char * const telehealth_modifier_choices[] = { "95", "GT", "none", NULL };

static const TendField billing_settings_fields[] = {
  { "charge_on", N_("Charge sessions when"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendBillingSettings, charge_on), 0, charge_on_choices, 0, 0 },
  { "no_show_fee", N_("No-show fee"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendBillingSettings, no_show_fee), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
  { "late_cancel_fee", N_("Late cancellation fee"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendBillingSettings, late_cancel_fee), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
  { "telehealth_modifier", N_("Telehealth modifier"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendBillingSettings, telehealth_modifier), 0, telehealth_modifier_choices, 0, 0 },
  { "telehealth_pos", N_("Telehealth place of service"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, telehealth_pos), 2, NULL, 0, 0 },
  { "office_pos", N_("Office place of service"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, office_pos), 2, NULL, 0, 0 },
  { "tax_id", N_("Tax ID"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, tax_id), 10, NULL, 0, 0 },
  { "billing_npi", N_("Billing NPI"), TEND_FIELD_NPI, 0, G_STRUCT_OFFSET (TendBillingSettings, billing_npi), 10, NULL, 0, 0 },
  { "taxonomy", N_("Taxonomy code"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, taxonomy), 10, NULL, 0, 0 },
  { "submitter_id", N_("Submitter ID"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, submitter_id), 15, NULL, 0, 0 },
  { "receiver_id", N_("Receiver ID"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, receiver_id), 15, NULL, 0, 0 },
  { "receiver_name", N_("Receiver name"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendBillingSettings, receiver_name), 60, NULL, 0, 0 },
  { "payment_terms_days", N_("Payment terms"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendBillingSettings, payment_terms_days), 0, NULL, 0, 365 },
  /* A cancellation closer to the start than this is late (the portal
   * shows the window and the fee before a client cancels); 24 when unset. */
  { "late_cancel_hours", N_("Late cancellation window (hours)"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendBillingSettings, late_cancel_hours), 0, NULL, 0, 336 },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_billing_settings_validate (TendRecord *record,
                               GError    **error)
{
  TendBillingSettings *self = TEND_BILLING_SETTINGS (record);

  if (self->telehealth_pos != NULL && !tend_place_of_service_is_valid (self->telehealth_pos))
    return invalid (error, _("Telehealth place of service: use a two-digit code, like 02 or 10"));
  if (self->office_pos != NULL && !tend_place_of_service_is_valid (self->office_pos))
    return invalid (error, _("Office place of service: use a two-digit code, like 11"));
  if (self->tax_id != NULL)
    {
      gsize n = strlen (self->tax_id);

      for (gsize i = 0; i < n; i++)
        if (!g_ascii_isdigit (self->tax_id[i]))
          return invalid (error, _("Tax ID: nine digits, without a dash"));
      if (n != 9)
        return invalid (error, _("Tax ID: nine digits, without a dash"));
    }
  return TRUE;
}

static const TendRecordPolicy billing_settings_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_BILLING);

static void
tend_billing_settings_class_init (TendBillingSettingsClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "billing_settings", billing_settings_fields, G_N_ELEMENTS (billing_settings_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &billing_settings_policy);
  record_class->validate = tend_billing_settings_validate;
}

static void
tend_billing_settings_init (TendBillingSettings *self)
{
  self->charge_on = TEND_CHARGE_ON_COMPLETED;
  self->telehealth_modifier = 0;
  self->payment_terms_days = 30;
}

TendBillingSettings *
tend_billing_settings_new (void)
{
  return TEND_BILLING_SETTINGS (tend_record_new (TEND_TYPE_BILLING_SETTINGS));
}

TendChargeOn
tend_billing_settings_get_charge_on (TendBillingSettings *self)
{
  g_return_val_if_fail (TEND_IS_BILLING_SETTINGS (self), TEND_CHARGE_ON_COMPLETED);
  return (TendChargeOn) self->charge_on;
}

/**
 * tend_billing_settings_place_of_service:
 *
 * The place of service for a session: the telehealth code (02, or 10 when the
 * client is at home) or the office code (11) the practice set, else the
 * common defaults 02 and 11.
 */
const char *
tend_billing_settings_place_of_service (TendBillingSettings *self,
                                        gboolean             telehealth)
{
  g_return_val_if_fail (TEND_IS_BILLING_SETTINGS (self), NULL);
  if (telehealth)
    return self->telehealth_pos != NULL ? self->telehealth_pos : "02";
  return self->office_pos != NULL ? self->office_pos : "11";
}

/* NULL when the practice's payers want no telehealth modifier. */
const char *
tend_billing_settings_telehealth_modifier (TendBillingSettings *self)
{
  g_return_val_if_fail (TEND_IS_BILLING_SETTINGS (self), NULL);
  return self->telehealth_modifier == 2 ? NULL : telehealth_modifier_choices[self->telehealth_modifier];
}

/**
 * tend_billing_settings_modifiers:
 * @base: (nullable): modifiers already on the charge, space-separated
 *
 * Returns: (transfer full) (nullable): @base with the telehealth modifier
 *   added for a telehealth session (once, at most four in all)
 */
char *
tend_billing_settings_modifiers (TendBillingSettings *self,
                                 gboolean             telehealth,
                                 const char          *base)
{
  const char *mod;
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (TEND_IS_BILLING_SETTINGS (self), NULL);
  mod = telehealth ? tend_billing_settings_telehealth_modifier (self) : NULL;
  if (mod == NULL)
    return g_strdup (base);
  if (base == NULL || *base == '\0')
    return g_strdup (mod);
  items = g_strsplit (base, " ", -1);
  if (g_strv_contains ((const char * const *) items, mod) || g_strv_length (items) >= 4)
    return g_strdup (base);
  return g_strconcat (base, " ", mod, NULL);
}
