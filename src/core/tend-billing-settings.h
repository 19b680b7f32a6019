/* tend-billing-settings.h: the practice's billing settings (one record) and the fee rules they drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_CHARGE_ON_COMPLETED,
  TEND_CHARGE_ON_NOTE_SIGNED,
} TendChargeOn;

#define TEND_TYPE_BILLING_SETTINGS (tend_billing_settings_get_type ())
G_DECLARE_FINAL_TYPE (TendBillingSettings, tend_billing_settings, TEND, BILLING_SETTINGS, TendRecord)

TendBillingSettings *tend_billing_settings_new              (void);
TendChargeOn         tend_billing_settings_get_charge_on     (TendBillingSettings *self);
const char          *tend_billing_settings_place_of_service  (TendBillingSettings *self,
                                                              gboolean             telehealth);
const char          *tend_billing_settings_telehealth_modifier (TendBillingSettings *self);
char                *tend_billing_settings_modifiers         (TendBillingSettings *self,
                                                              gboolean             telehealth,
                                                              const char          *base);

G_END_DECLS
