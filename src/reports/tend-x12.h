/* tend-x12.h: ANSI X12 837P claims out, 835 remittances in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-core.h"

G_BEGIN_DECLS

/* One claim and what it needs: the caller loads these from the store. */
typedef struct
{
  TendClaim  *claim;
  TendClient *client;
  TendPolicy *policy;
  TendPayer  *payer;
  TendStaff  *rendering;   /* the clinician; (nullable) */
  GPtrArray  *charges;     /* TendCharge, the claim's lines */
} TendX12Claim;

typedef struct
{
  TendPractice        *practice;
  TendBillingSettings *settings;
  gint64               interchange;  /* ISA13 and GS06: 1 to 999999999 */
  GDateTime           *created;      /* stamped on the envelope (fixed input, same bytes) */
  gboolean             test;         /* ISA15 T instead of P */
  GPtrArray           *claims;       /* TendX12Claim */
} TendX12Batch;

void            tend_x12_claim_free     (TendX12Claim        *claim);
char           *tend_x12_write_837p     (const TendX12Batch  *batch,
                                         GError             **error);
TendRemittance *tend_x12_parse_835      (const char          *data,
                                         gsize                length,
                                         const char          *currency,
                                         GError             **error);
gboolean        tend_x12_parse_amount   (const char          *text,
                                         guint                exponent,
                                         gint64              *minor);

G_END_DECLS
