/* tend-billing.h: charges, payments, balances, claims and billing reports in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

/* What one client owes, in minor units of the practice's currency. */
typedef struct
{
  gint64 charged;        /* open charges */
  gint64 paid;           /* allocated to them, from any payer */
  gint64 written_off;    /* adjustments other than patient responsibility */
  gint64 client_due;     /* still owed on charges the client pays */
  gint64 insurance_due;  /* still owed on charges an insurer pays */
  gint64 unapplied;      /* the client's payments and credits not yet allocated, less refunds */
  gint64 balance;        /* client_due - unapplied: what the client owes now (negative: in credit) */
} TendBalance;


typedef struct
{
  char *client_id;
  gint64 buckets[4];            /* 0-30, 31-60, 61-90, 90+ days since the date of service */
  gint64 insurance;             /* owed by insurers, not aged here */
  gint64 unapplied;
  gint64 total;                 /* sum of buckets */
} TendAgingRow;

void        tend_aging_row_free                 (TendAgingRow *row);

/* Settings: the stored record, or defaults when the practice set none. */
TendBillingSettings *tend_billing_load_settings (TendStore          *store,
                                                 GError            **error);

/* Charges */
char       *tend_billing_charge_id_for          (const char         *appointment_id,
                                                 TendChargeKind      kind);
gint64      tend_billing_resolve_fee            (TendStore          *store,
                                                 const char         *service_code,
                                                 const char         *clinician_id,
                                                 const char         *client_id,
                                                 gboolean            insurance,
                                                 GError            **error);
gboolean    tend_billing_sync_appointment       (TendStore          *store,
                                                 TendAppointment    *appointment,
                                                 GError            **error);
gboolean    tend_billing_note_signed            (TendStore          *store,
                                                 const char         *appointment_id,
                                                 GError            **error);
gboolean    tend_billing_save_charge            (TendStore          *store,
                                                 TendCharge         *charge,
                                                 GError            **error);
gboolean    tend_billing_void_charge            (TendStore          *store,
                                                 const char         *charge_id,
                                                 const char         *reason,
                                                 GError            **error);
GPtrArray  *tend_billing_list_charges           (TendStore          *store,
                                                 const char         *client_id,
                                                 gboolean            open_only,
                                                 GError            **error);

/* Payments */
gboolean    tend_billing_record_payment         (TendStore          *store,
                                                 TendPayment        *payment,
                                                 gboolean            allocate,
                                                 GError            **error);
gboolean    tend_billing_allocate               (TendStore          *store,
                                                 const char         *payment_id,
                                                 const char         *charge_id,
                                                 gint64              amount,
                                                 GError            **error);
gboolean    tend_billing_auto_allocate          (TendStore          *store,
                                                 const char         *client_id,
                                                 gint64             *allocated,
                                                 GError            **error);
gboolean    tend_billing_void_payment           (TendStore          *store,
                                                 const char         *payment_id,
                                                 const char         *reason,
                                                 GError            **error);
gint64      tend_billing_charge_remaining       (TendStore          *store,
                                                 const char         *charge_id,
                                                 GError            **error);
gint64      tend_billing_payment_unapplied      (TendStore          *store,
                                                 const char         *payment_id,
                                                 GError            **error);

/* Balances, ledger, aging: clinicians see only their own clients. */
gboolean    tend_billing_client_balance         (TendStore          *store,
                                                 const char         *client_id,
                                                 TendBalance        *balance,
                                                 GError            **error);
GPtrArray  *tend_billing_ledger                 (TendStore          *store,
                                                 const char         *client_id,
                                                 GError            **error);
GPtrArray  *tend_billing_aging                  (TendStore          *store,
                                                 const char         *as_of,
                                                 GError            **error);

/* Claims */
GPtrArray  *tend_billing_create_claims          (TendStore          *store,
                                                 const char         *client_id,
                                                 GError            **error);
gboolean    tend_billing_load_claim             (TendStore          *store,
                                                 const char         *claim_id,
                                                 TendClaim         **claim,
                                                 TendClient        **client,
                                                 TendPolicy        **policy,
                                                 TendPayer         **payer,
                                                 GPtrArray         **charges,
                                                 GError            **error);
gint64      tend_billing_next_interchange       (TendStore          *store,
                                                 GError            **error);
gboolean    tend_billing_mark_submitted         (TendStore          *store,
                                                 const char * const *claim_ids,
                                                 gint64              interchange,
                                                 GError            **error);
GPtrArray  *tend_billing_list_claims            (TendStore          *store,
                                                 int                 status,
                                                 GError            **error);

/* Remittance: posts an 835 in one transaction.  @unmatched: (out) (optional)
 * (transfer full): lines a person must resolve, as text. */
typedef struct
{
  guint  claims_matched;
  guint  lines_posted;
  gint64 posted;          /* paid amounts allocated to charges */
  gint64 adjusted;        /* adjustments recorded */
  gint64 moved_to_client; /* patient responsibility moved to client balances */
  GPtrArray *unmatched;   /* char *: what could not be matched */
} TendRemitResult;

void        tend_remit_result_clear             (TendRemitResult    *result);
gboolean    tend_billing_post_remittance        (TendStore          *store,
                                                 const TendRemittance *remittance,
                                                 TendRemitResult    *result,
                                                 GError            **error);

/* Reports (plain tables, exportable as CSV). */
TendTable  *tend_billing_report_revenue         (TendStore          *store,
                                                 const char         *from,
                                                 const char         *to,
                                                 GError            **error);
TendTable  *tend_billing_report_outstanding     (TendStore          *store,
                                                 const char         *as_of,
                                                 GError            **error);
TendTable  *tend_billing_report_unbilled        (TendStore          *store,
                                                 GError            **error);
TendTable  *tend_billing_report_claims_awaiting (TendStore          *store,
                                                 const char         *as_of,
                                                 GError            **error);

/* Statements and superbills shared with the client (the portal). */
TendSharedBill *tend_billing_share_bill         (TendStore          *store,
                                                 const char         *client_id,
                                                 const char         *kind,
                                                 const char         *number,
                                                 const char         *issued_on,
                                                 const char         *period_from,
                                                 const char         *period_to,
                                                 GBytes             *pdf,
                                                 GError            **error);
gboolean    tend_billing_set_bill_shared        (TendStore          *store,
                                                 const char         *shared_bill_id,
                                                 gboolean            shared,
                                                 GError            **error);
GPtrArray  *tend_billing_list_shared_bills      (TendStore          *store,
                                                 const char         *client_id,
                                                 GError            **error);

G_END_DECLS
