/* tend-claim.h: an insurance claim: charges of one client sent to one payer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_CLAIM_DRAFT,
  TEND_CLAIM_SUBMITTED,
  TEND_CLAIM_PAID,
  TEND_CLAIM_DENIED,
  TEND_CLAIM_PARTIALLY_PAID,
} TendClaimStatus;

#define TEND_TYPE_CLAIM (tend_claim_get_type ())
G_DECLARE_FINAL_TYPE (TendClaim, tend_claim, TEND, CLAIM, TendRecord)

TendClaim      *tend_claim_new              (const char      *client_id,
                                            const char      *policy_id,
                                            const char      *payer_id,
                                            const char      *control_number);
TendClaimStatus tend_claim_get_status       (TendClaim       *self);
const char     *tend_claim_status_get_label (TendClaimStatus  status);

G_END_DECLS
