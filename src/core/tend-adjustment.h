/* tend-adjustment.h: an adjustment of a charge from a remittance (CAS group and reason)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_ADJUSTMENT_CO,   /* contractual obligation: written off */
  TEND_ADJUSTMENT_PR,   /* patient responsibility: moves to the client */
  TEND_ADJUSTMENT_OA,   /* other adjustment: written off */
  TEND_ADJUSTMENT_PI,   /* payer initiated: written off */
  TEND_ADJUSTMENT_CR,   /* correction or reversal */
} TendAdjustmentGroup;

#define TEND_TYPE_ADJUSTMENT (tend_adjustment_get_type ())
G_DECLARE_FINAL_TYPE (TendAdjustment, tend_adjustment, TEND, ADJUSTMENT, TendRecord)

TendAdjustment *tend_adjustment_new (const char          *charge_id,
                                     TendAdjustmentGroup  group,
                                     const char          *reason,
                                     gint64               amount,
                                     const char          *posted_on);

G_END_DECLS
