/* tend-allocation.h: part of a payment applied to a charge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS


#define TEND_TYPE_ALLOCATION (tend_allocation_get_type ())
G_DECLARE_FINAL_TYPE (TendAllocation, tend_allocation, TEND, ALLOCATION, TendRecord)

TendAllocation *tend_allocation_new (const char *payment_id,
                                     const char *charge_id,
                                     gint64      amount);

G_END_DECLS
