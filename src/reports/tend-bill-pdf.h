/* tend-bill-pdf.h: invoices, monthly statements and superbills as PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-core.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_BILL_INVOICE,
  TEND_BILL_STATEMENT,
  TEND_BILL_SUPERBILL,
} TendBillKind;

/* What to print: the caller (CLI, GUI) fills it from the store. */
typedef struct
{
  TendBillKind         kind;
  TendPractice        *practice;
  TendBillingSettings *settings;
  TendClient          *client;
  GHashTable          *clinicians;      /* staff id -> TendStaff */
  const char          *number;          /* "INV-000123" */
  const char          *issued_on;       /* YYYY-MM-DD */
  const char          *period_from;     /* (nullable) YYYY-MM-DD */
  const char          *period_to;       /* (nullable) */
  GPtrArray           *entries;         /* TendLedgerEntry, oldest first */
  gint64               opening_balance; /* statements: owed before the period */
  gint64               balance_due;     /* what the client owes at the end */
} TendBill;

GBytes   *tend_bill_render_pdf (const TendBill  *bill,
                                GError         **error);
gboolean  tend_bill_write_pdf  (const TendBill  *bill,
                                const char      *path,
                                GError         **error);

G_END_DECLS
