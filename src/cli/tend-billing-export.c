/* tend-billing-export.c: 837P batches, PDFs and 835 imports from the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-billing-export.h"

static char *
today_in (TendPractice *practice)
{
  g_autoptr(GTimeZone) zone = practice != NULL ? tend_practice_dup_zone (practice) : g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  return g_date_time_format (now, "%Y-%m-%d");
}

static gboolean
bump_counter (TendStore  *store,
              const char *key,
              gint64     *value,
              GError    **error)
{
  g_autofree char *v = tend_store_get_meta (store, key);
  g_autofree char *next = NULL;

  *value = (v != NULL ? g_ascii_strtoll (v, NULL, 10) : 0) + 1;
  next = g_strdup_printf ("%" G_GINT64_FORMAT, *value);
  return tend_store_set_meta (store, key, next, error);
}

/**
 * tend_billing_export_837p:
 * @claim_ids: (nullable): the claims to send; %NULL for every draft
 * @now: stamped on the envelope
 * @n_claims: (out) (optional): how many claims the file holds
 *
 * Writes the batch and marks its claims submitted under a new interchange
 * control number, in one transaction: if the file cannot be made, nothing
 * changes.  Recorded in the audit log.
 *
 * Returns: (transfer full): the 837P, or %NULL with @error set
 */
char *
tend_billing_export_837p (TendStore          *store,
                          const char * const *claim_ids,
                          GDateTime          *now,
                          gboolean            test,
                          guint              *n_claims,
                          GError            **error)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_x12_claim_free);
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(TendBillingSettings) settings = NULL;
  g_autofree char *text = NULL;
  TendX12Batch batch = { 0, };
  gint64 interchange;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  if (claim_ids == NULL)
    {
      drafts = tend_billing_list_claims (store, TEND_CLAIM_DRAFT, error);
      if (drafts == NULL)
        return NULL;
      for (guint i = 0; i < drafts->len; i++)
        g_ptr_array_add (ids, g_strdup (tend_record_get_id (g_ptr_array_index (drafts, i))));
    }
  else
    for (guint i = 0; claim_ids[i] != NULL; i++)
      g_ptr_array_add (ids, g_strdup (claim_ids[i]));
  g_ptr_array_add (ids, NULL);
  if (ids->len == 1)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("There are no draft claims to send."));
      return NULL;
    }
  practice = tend_store_load_practice (store, error);
  if (practice == NULL)
    return NULL;
  settings = tend_billing_load_settings (store, error);
  if (settings == NULL)
    return NULL;

  for (guint i = 0; ids->pdata[i] != NULL; i++)
    {
      TendX12Claim *xc = g_new0 (TendX12Claim, 1);

      g_ptr_array_add (claims, xc);
      if (!tend_billing_load_claim (store, ids->pdata[i], &xc->claim, &xc->client, &xc->policy, &xc->payer,
                                    &xc->charges, error))
        return NULL;
      if (tend_claim_get_status (xc->claim) != TEND_CLAIM_DRAFT)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Claim %s was already sent."),
                       tend_record_get_string (TEND_RECORD (xc->claim), "control_number"));
          return NULL;
        }
      if (xc->charges->len > 0)
        {
          TendRecord *r = tend_store_load (store, TEND_TYPE_STAFF,
                                           tend_record_get_string (g_ptr_array_index (xc->charges, 0), "clinician_id"),
                                           NULL);
          xc->rendering = r != NULL ? TEND_STAFF (r) : NULL;
        }
    }

  if (!tend_store_begin (store, error))
    return NULL;
  interchange = tend_billing_next_interchange (store, error);
  if (interchange < 0)
    goto fail;
  batch.practice = practice;
  batch.settings = settings;
  batch.interchange = interchange;
  batch.created = now;
  batch.test = test;
  batch.claims = claims;
  text = tend_x12_write_837p (&batch, error);
  if (text == NULL ||
      !tend_billing_mark_submitted (store, (const char * const *) ids->pdata, interchange, error) ||
      !tend_store_audit (store, "export-837p", NULL, NULL, error) ||
      !tend_store_commit (store, error))
    goto fail;
  if (n_claims != NULL)
    *n_claims = claims->len;
  return g_steal_pointer (&text);

fail:
  tend_store_rollback (store);
  return NULL;
}

void
tend_billing_bill_free (TendBill *bill)
{
  if (bill == NULL)
    return;
  g_clear_object (&bill->practice);
  g_clear_object (&bill->settings);
  g_clear_object (&bill->client);
  g_clear_pointer (&bill->clinicians, g_hash_table_unref);
  g_free ((char *) bill->number);
  g_free ((char *) bill->issued_on);
  g_free ((char *) bill->period_from);
  g_free ((char *) bill->period_to);
  g_clear_pointer (&bill->entries, g_ptr_array_unref);
  g_free (bill);
}

/**
 * tend_billing_export_bill:
 * @from: (nullable): first day; default: the first of this month for a
 *   statement or superbill, the oldest unpaid charge for an invoice
 * @to: (nullable): last day; default today
 *
 * Everything to print an invoice, statement or superbill for one client:
 * the ledger lines of the period, the balance before it and at its end.
 * Gives the document the next number of its kind and records the export
 * in the audit log.
 *
 * Returns: (transfer full): the bill, or %NULL with @error set
 */
TendBill *
tend_billing_export_bill (TendStore    *store,
                          TendBillKind  kind,
                          const char   *client_id,
                          const char   *from,
                          const char   *to,
                          GError      **error)
{
  static const char * const counters[] = { "billing.invoice_number", "billing.statement_number", "billing.superbill_number" };
  static const char * const prefixes[] = { "INV", "ST", "SB" };
  static const char * const actions[] = { "export-invoice", "export-statement", "export-superbill" };
  g_autoptr(TendBill) bill = g_new0 (TendBill, 1);
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(TendRecord) client = NULL;
  g_autofree char *today = NULL;
  g_autofree char *start = NULL;
  gint64 n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (kind <= TEND_BILL_SUPERBILL, NULL);

  ledger = tend_billing_ledger (store, client_id, error);
  if (ledger == NULL)
    return NULL;
  client = tend_store_load (store, TEND_TYPE_CLIENT, client_id, error);
  if (client == NULL)
    return NULL;
  bill->kind = kind;
  bill->client = TEND_CLIENT (g_steal_pointer (&client));
  bill->practice = tend_store_load_practice (store, error);
  if (bill->practice == NULL)
    return NULL;
  bill->settings = tend_billing_load_settings (store, error);
  if (bill->settings == NULL)
    return NULL;
  today = today_in (bill->practice);
  if (to == NULL)
    to = today;
  if (from == NULL)
    {
      if (kind == TEND_BILL_INVOICE)
        {
          for (guint i = 0; start == NULL && i < ledger->len; i++)
            {
              TendLedgerEntry *e = g_ptr_array_index (ledger, i);

              if (e->kind == TEND_LEDGER_CHARGE && e->effect > 0 && e->remaining > 0)
                start = g_strdup (e->date);
            }
          if (start == NULL)
            start = g_strdup (to);
        }
      else
        start = g_strdup_printf ("%.8s01", to);
      from = start;
    }
  if (strcmp (from, to) > 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The period ends before it starts."));
      return NULL;
    }

  bill->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_ledger_entry_free);
  bill->clinicians = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < ledger->len; i++)
    {
      TendLedgerEntry *e = g_ptr_array_index (ledger, i);

      if (strcmp (e->date, from) < 0)
        {
          bill->opening_balance = e->balance;
          continue;
        }
      if (strcmp (e->date, to) > 0)
        break;
      bill->balance_due = e->balance;
      g_ptr_array_add (bill->entries, g_steal_pointer (&ledger->pdata[i]));
      if (e->clinician_id != NULL && !g_hash_table_contains (bill->clinicians, e->clinician_id))
        {
          TendRecord *staff = tend_store_load (store, TEND_TYPE_STAFF, e->clinician_id, NULL);

          if (staff != NULL)
            g_hash_table_insert (bill->clinicians, g_strdup (e->clinician_id), staff);
        }
    }
  if (bill->entries->len == 0)
    bill->balance_due = bill->opening_balance;

  if (!tend_store_begin (store, error))
    return NULL;
  if (!bump_counter (store, counters[kind], &n, error) ||
      !tend_store_audit (store, actions[kind], "client", client_id, error) ||
      !tend_store_commit (store, error))
    {
      tend_store_rollback (store);
      return NULL;
    }
  bill->number = g_strdup_printf ("%s-%06" G_GINT64_FORMAT, prefixes[kind], n);
  bill->issued_on = g_steal_pointer (&today);
  bill->period_from = g_strdup (from);
  bill->period_to = g_strdup (to);
  return g_steal_pointer (&bill);
}

/**
 * tend_billing_import_835:
 *
 * Reads and posts an 835 (see tend_billing_post_remittance()): a malformed
 * file is refused before anything is posted, and posting is all or nothing.
 */
gboolean
tend_billing_import_835 (TendStore       *store,
                         const char      *data,
                         gsize            length,
                         TendRemitResult *result,
                         GError         **error)
{
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(TendRemittance) remittance = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  memset (result, 0, sizeof *result);
  practice = tend_store_load_practice (store, error);
  if (practice == NULL)
    return FALSE;
  remittance = tend_x12_parse_835 (data, length, tend_practice_get_currency (practice), error);
  if (remittance == NULL)
    return FALSE;
  if (!tend_store_begin (store, error))
    return FALSE;
  ok = tend_billing_post_remittance (store, remittance, result, error) &&
       tend_store_audit (store, "import-835", NULL, NULL, error);
  if (!ok)
    {
      tend_store_rollback (store);
      return FALSE;
    }
  return tend_store_commit (store, error);
}

/**
 * tend_billing_export_report:
 * @name: "revenue", "outstanding", "unbilled" or "claims"
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
TendTable *
tend_billing_export_report (TendStore  *store,
                            const char *name,
                            const char *from,
                            const char *to,
                            GError    **error)
{
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);
  g_autofree char *today = today_in (practice);

  if (g_strcmp0 (name, "revenue") == 0)
    return tend_billing_report_revenue (store, from, to, error);
  if (g_strcmp0 (name, "outstanding") == 0)
    return tend_billing_report_outstanding (store, to != NULL ? to : today, error);
  if (g_strcmp0 (name, "unbilled") == 0)
    return tend_billing_report_unbilled (store, error);
  if (g_strcmp0 (name, "claims") == 0)
    return tend_billing_report_claims_awaiting (store, to != NULL ? to : today, error);
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
               _("“%s” is not a report (revenue, outstanding, unbilled, claims)"), name);
  return NULL;
}
