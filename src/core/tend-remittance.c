/* tend-remittance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include "tend-remittance.h"

TendRemittance *
tend_remittance_new (void)
{
  TendRemittance *self = g_new0 (TendRemittance, 1);

  self->claims = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_remit_claim_free);
  return self;
}

void
tend_remittance_free (TendRemittance *self)
{
  if (self == NULL)
    return;
  g_free (self->payer_name);
  g_free (self->payer_code);
  g_free (self->trace_number);
  g_free (self->paid_on);
  g_ptr_array_unref (self->claims);
  g_free (self);
}

TendRemitClaim *
tend_remit_claim_new (void)
{
  TendRemitClaim *self = g_new0 (TendRemitClaim, 1);

  self->adjustments = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_remit_adjustment_free);
  self->services = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_remit_service_free);
  return self;
}

void
tend_remit_claim_free (TendRemitClaim *self)
{
  if (self == NULL)
    return;
  g_free (self->control_number);
  g_free (self->payer_claim_number);
  g_ptr_array_unref (self->adjustments);
  g_ptr_array_unref (self->services);
  g_free (self);
}

TendRemitService *
tend_remit_service_new (void)
{
  TendRemitService *self = g_new0 (TendRemitService, 1);

  self->units = 1;
  self->adjustments = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_remit_adjustment_free);
  return self;
}

void
tend_remit_service_free (TendRemitService *self)
{
  if (self == NULL)
    return;
  g_free (self->procedure);
  g_free (self->modifiers);
  g_free (self->service_date);
  g_free (self->line_control);
  g_ptr_array_unref (self->adjustments);
  g_free (self);
}

TendRemitAdjustment *
tend_remit_adjustment_new (const char *group,
                           const char *reason,
                           gint64      amount)
{
  TendRemitAdjustment *self = g_new0 (TendRemitAdjustment, 1);

  g_strlcpy (self->group, group, sizeof self->group);
  self->reason = g_strdup (reason);
  self->amount = amount;
  return self;
}

void
tend_remit_adjustment_free (TendRemitAdjustment *self)
{
  if (self == NULL)
    return;
  g_free (self->reason);
  g_free (self);
}
