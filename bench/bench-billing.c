/* bench-billing.c: invoice PDFs, 837P batches and the aging report on the
 * demo practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store: the full demo practice (2,000 clients, one year of sessions,
 * with the demo's charges, payments and claims), generated once into --dir
 * and reused.  Measured:
 *   invoice_*: tend_billing_export_bill() + tend_bill_render_pdf() for the
 *     client with the longest ledger (a year of weekly sessions)
 *   x12_write_*: tend_x12_write_837p() of 1,000 claims (the demo's, loaded
 *     once and repeated with new claim numbers to reach 1,000)
 *   x12_load_write_*: the same with loading the 1,000 claims from the store
 *   aging_*: tend_billing_report_outstanding() across the practice
 * Output: "key: value" lines (times in ms).  Targets: invoice p95 <= 50 ms,
 * 837P of 1,000 claims <= 1 s, aging p95 <= 200 ms.
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "bench-util.h"
#include "bench-store-util.h"
#include "tend-billing-export.h"
#include "tend-demo.h"
#include "tend-keyring.h"
#include "tend-store-private.h"

static char *opt_dir = NULL;
static int opt_clients = TEND_DEMO_DEFAULT_CLIENTS;
static int opt_samples = 30;

static const GOptionEntry entries[] = {
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir, "Where the store is kept (default: bench/out)", "DIR" },
  { "clients", 0, 0, G_OPTION_ARG_INT, &opt_clients, "Demo clients (default 2000)", "N" },
  { "samples", 0, 0, G_OPTION_ARG_INT, &opt_samples, "Timed runs of each measure (default 30)", "N" },
  G_OPTION_ENTRY_NULL
};

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
print_stats (const char *key,
             GArray     *values)
{
  g_autofree char *p50 = g_strdup_printf ("%s_p50_ms", key);
  g_autofree char *p95 = g_strdup_printf ("%s_p95_ms", key);
  g_autofree char *max = g_strdup_printf ("%s_max_ms", key);

  bench_print_ms (p50, bench_percentile (values, 50));
  bench_print_ms (p95, bench_percentile (values, 95));
  bench_print_ms (max, bench_percentile (values, 100));
}

static char *
query_text (TendStore  *store,
            const char *sql)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, NULL);
  char *v = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return v;
}

static GPtrArray *
load_claims (TendStore  *store,
             GPtrArray  *ids,
             GError    **error)
{
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_x12_claim_free);

  for (guint i = 0; i < 1000; i++)
    {
      TendX12Claim *xc = g_new0 (TendX12Claim, 1);
      g_autofree char *number = g_strdup_printf ("BX%08u", i + 1);

      g_ptr_array_add (claims, xc);
      if (!tend_billing_load_claim (store, g_ptr_array_index (ids, i % ids->len), &xc->claim, &xc->client,
                                    &xc->policy, &xc->payer, &xc->charges, error))
        return NULL;
      tend_record_set_string (TEND_RECORD (xc->claim), "control_number", number);
      if (xc->charges->len > 0)
        xc->rendering = TEND_STAFF (tend_store_load (store, TEND_TYPE_STAFF,
                                                     tend_record_get_string (g_ptr_array_index (xc->charges, 0), "clinician_id"),
                                                     NULL));
    }
  return g_steal_pointer (&claims);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- billing benchmarks");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) claim_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(TendBillingSettings) settings = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *client_id = NULL;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  dir = g_build_filename (opt_dir != NULL ? opt_dir : "bench/out", "billing", NULL);
  g_mkdir_with_parents (dir, 0700);
  path = g_build_filename (dir, "tend.db", NULL);
  key_path = g_build_filename (dir, "key", NULL);
  if ((key = bench_key (key_path, &error)) == NULL)
    goto fail;
  {
    TendDemoOptions opts;

    tend_demo_options_init (&opts);
    opts.n_clients = (guint) opt_clients;
    opts.appointment_years = 1;
    store = bench_demo_store (path, key, &opts, NULL, &error);
  }
  if (store == NULL)
    goto fail;

  printf ("clients: %" G_GINT64_FORMAT "\n", bench_query_int (store, "SELECT count(*) FROM client WHERE deleted = 0"));
  printf ("charges: %" G_GINT64_FORMAT "\n", bench_query_int (store, "SELECT count(*) FROM charge WHERE deleted = 0"));
  printf ("payments: %" G_GINT64_FORMAT "\n", bench_query_int (store, "SELECT count(*) FROM payment WHERE deleted = 0"));
  printf ("allocations: %" G_GINT64_FORMAT "\n", bench_query_int (store, "SELECT count(*) FROM allocation WHERE deleted = 0"));
  printf ("claims: %" G_GINT64_FORMAT "\n", bench_query_int (store, "SELECT count(*) FROM claim WHERE deleted = 0"));

  /* Invoice: the client with the most charges. */
  client_id = query_text (store, "SELECT client_id FROM charge WHERE deleted = 0 GROUP BY client_id ORDER BY count(*) DESC LIMIT 1");
  printf ("invoice_client_charges: %" G_GINT64_FORMAT "\n",
          bench_query_int (store, "SELECT max(n) FROM (SELECT count(*) AS n FROM charge WHERE deleted = 0 GROUP BY client_id)"));
  for (int i = 0; i < opt_samples + 3; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(TendBill) bill = tend_billing_export_bill (store, TEND_BILL_STATEMENT, client_id, "2025-01-01", "2026-12-31", &error);
      g_autoptr(GBytes) pdf = bill != NULL ? tend_bill_render_pdf (bill, &error) : NULL;

      if (pdf == NULL)
        goto fail;
      if (i == 0)
        printf ("invoice_pages_bytes: %" G_GSIZE_FORMAT "\n", g_bytes_get_size (pdf));
      if (i >= 3)
        g_array_append_val (times, (double) { ms_since (start) });
    }
  print_stats ("invoice", times);
  g_array_set_size (times, 0);

  /* 837P of 1,000 claims. */
  {
    sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT id FROM claim WHERE deleted = 0 ORDER BY rid", NULL);

    while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (claim_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    if (stmt != NULL)
      sqlite3_reset (stmt);
  }
  if (claim_ids->len == 0)
    {
      fprintf (stderr, "the demo store has no claims\n");
      return 1;
    }
  practice = tend_store_load_practice (store, &error);
  settings = tend_billing_load_settings (store, &error);
  if (practice == NULL || settings == NULL)
    goto fail;
  {
    g_autoptr(GArray) load_times = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    guint n_segments = 0;

    for (int i = 0; i < MAX (opt_samples / 3, 5); i++)
      {
        gint64 start = g_get_monotonic_time ();
        g_autoptr(GPtrArray) claims = load_claims (store, claim_ids, &error);
        gint64 loaded = g_get_monotonic_time ();
        TendX12Batch batch = { practice, settings, 1, now, TRUE, claims };
        g_autofree char *text = NULL;

        if (claims == NULL)
          goto fail;
        text = tend_x12_write_837p (&batch, &error);
        if (text == NULL)
          goto fail;
        g_array_append_val (times, (double) { ms_since (loaded) });
        g_array_append_val (load_times, (double) { ms_since (start) });
        if (i == 0)
          {
            for (const char *p = text; *p; p++)
              n_segments += *p == '~';
            printf ("x12_segments: %u\nx12_bytes: %" G_GSIZE_FORMAT "\n", n_segments, strlen (text));
          }
      }
    print_stats ("x12_write", times);
    print_stats ("x12_load_write", load_times);
    g_array_set_size (times, 0);
  }

  /* Aging across the practice. */
  for (int i = 0; i < opt_samples + 3; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(TendTable) table = tend_billing_report_outstanding (store, "2026-11-01", &error);

      if (table == NULL)
        goto fail;
      if (i == 0)
        printf ("aging_rows: %u\n", table->rows->len);
      if (i >= 3)
        g_array_append_val (times, (double) { ms_since (start) });
    }
  print_stats ("aging", times);
  return 0;

fail:
  fprintf (stderr, "bench-billing: %s\n", error != NULL ? error->message : "failed");
  return 1;
}
