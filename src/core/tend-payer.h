/* tend-payer.h: an insurer (or plan) claims are sent to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS


#define TEND_TYPE_PAYER (tend_payer_get_type ())
G_DECLARE_FINAL_TYPE (TendPayer, tend_payer, TEND, PAYER, TendRecord)

TendPayer  *tend_payer_new       (const char *name,
                                 const char *payer_code,
                                 const char *claim_filing);
const char *tend_payer_get_name  (TendPayer  *self);

G_END_DECLS
