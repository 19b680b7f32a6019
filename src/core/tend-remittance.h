/* tend-remittance.h: a payer's remittance advice (an 835), as plain data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reports layer parses the file into these structs and the store posts
 * them; neither needs the other.  Amounts are minor units.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char   group[3];        /* CO, PR, OA, PI, CR */
  char  *reason;          /* CARC */
  gint64 amount;
} TendRemitAdjustment;

typedef struct
{
  char      *procedure;    /* SVC01-2: the CPT code */
  char      *modifiers;    /* space-separated, or NULL */
  gint64     charged;      /* SVC02 */
  gint64     paid;         /* SVC03 */
  gint64     units;        /* SVC05, 1 when absent */
  char      *service_date; /* DTM*472, YYYY-MM-DD, or NULL */
  char      *line_control; /* REF*6R: the charge id Tend sent */
  GPtrArray *adjustments;  /* TendRemitAdjustment */
} TendRemitService;

typedef struct
{
  char      *control_number;     /* CLP01: the claim number Tend sent */
  int        status_code;        /* CLP02 */
  gint64     charged;            /* CLP03 */
  gint64     paid;               /* CLP04 */
  gint64     patient_responsibility; /* CLP05 */
  char      *payer_claim_number; /* CLP07 */
  GPtrArray *adjustments;        /* claim-level CAS: TendRemitAdjustment */
  GPtrArray *services;           /* TendRemitService */
} TendRemitClaim;

typedef struct
{
  char      *payer_name;    /* N1*PR */
  char      *payer_code;    /* N1*PR N104 or REF*2U, when given */
  char      *trace_number;  /* TRN02: the cheque or EFT number */
  char      *paid_on;       /* BPR16, YYYY-MM-DD */
  gint64     total_paid;    /* BPR02 */
  gint64     provider_adjustments; /* sum of PLB amounts */
  GPtrArray *claims;        /* TendRemitClaim */
} TendRemittance;

TendRemittance      *tend_remittance_new             (void);
void                 tend_remittance_free            (TendRemittance *remittance);
TendRemitClaim      *tend_remit_claim_new            (void);
void                 tend_remit_claim_free           (TendRemitClaim *claim);
TendRemitService    *tend_remit_service_new          (void);
void                 tend_remit_service_free         (TendRemitService *service);
TendRemitAdjustment *tend_remit_adjustment_new       (const char *group,
                                                      const char *reason,
                                                      gint64      amount);
void                 tend_remit_adjustment_free      (TendRemitAdjustment *adjustment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendRemittance, tend_remittance_free)

G_END_DECLS
