/* tend-ledger.h: one line of a client's ledger, as plain data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store makes these (tend_billing_ledger()); the reports layer prints
 * them on invoices, statements and superbills.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One line of a client's ledger, oldest first. */
typedef enum
{
  TEND_LEDGER_CHARGE,
  TEND_LEDGER_PAYMENT,
  TEND_LEDGER_REFUND,
  TEND_LEDGER_CREDIT,
  TEND_LEDGER_ADJUSTMENT,
} TendLedgerKind;

typedef struct
{
  TendLedgerKind kind;
  char          *id;
  char          *date;         /* YYYY-MM-DD */
  char          *code;         /* service code and modifiers, or NULL */
  char          *description;
  char          *clinician_id;
  char          *diagnoses;
  char          *place_of_service;
  gint64         units;
  gint64         amount;       /* the line's own amount (positive) */
  gint64         remaining;    /* charges: still owed on it */
  gboolean       insurance;    /* charges: an insurer pays it */
  gboolean       is_void;
  gint64         effect;       /* what it does to the client's balance: + owes more, - owes less
                                * (0 for void lines and for lines an insurer still owes) */
  gint64         balance;      /* client's running balance after this line */
} TendLedgerEntry;

void tend_ledger_entry_free (TendLedgerEntry *entry);

G_END_DECLS
