/* tend-ledger.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include "tend-ledger.h"

void
tend_ledger_entry_free (TendLedgerEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->id);
  g_free (entry->date);
  g_free (entry->code);
  g_free (entry->description);
  g_free (entry->clinician_id);
  g_free (entry->diagnoses);
  g_free (entry->place_of_service);
  g_free (entry);
}
