/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-bill-pdf.c: invoices, statements and superbills read back with poppler,
 * field by field */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <locale.h>
#include <poppler.h>
#include <string.h>

#include "billing-fixture.h"
#include "tend-bill-pdf.h"

static TendLedgerEntry *
entry (TendLedgerKind kind,
       const char    *date,
       const char    *code,
       const char    *description,
       const char    *diagnoses,
       const char    *pos,
       gint64         amount,
       gint64         balance)
{
  TendLedgerEntry *e = g_new0 (TendLedgerEntry, 1);

  e->kind = kind;
  e->id = g_uuid_string_random ();
  e->date = g_strdup (date);
  e->code = g_strdup (code);
  e->description = g_strdup (description);
  e->diagnoses = g_strdup (diagnoses);
  e->place_of_service = g_strdup (pos);
  e->clinician_id = kind == TEND_LEDGER_CHARGE ? g_strdup (FX_MAYA) : NULL;
  e->units = 1;
  e->amount = amount;
  e->effect = kind == TEND_LEDGER_CHARGE ? amount : -amount;
  e->balance = balance;
  return e;
}

typedef struct
{
  TendBill    bill;
  TendClient *client;
  GHashTable *clinicians;
} BillFixture;

static void
bill_setup (BillFixture *fx,
            TendBillKind kind,
            guint        n_extra)
{
  TendX12Claim *xc = fx_claim_self ();
  TendBill *b = &fx->bill;

  memset (fx, 0, sizeof *fx);
  fx->client = g_object_ref (xc->client);
  tend_record_set_string (TEND_RECORD (fx->client), "record_number", "C-0042");
  fx->clinicians = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_hash_table_insert (fx->clinicians, (gpointer) FX_MAYA, fx_clinician ());
  tend_x12_claim_free (xc);

  b->kind = kind;
  b->practice = fx_practice ();
  b->settings = fx_settings ();
  b->client = fx->client;
  b->clinicians = fx->clinicians;
  b->number = kind == TEND_BILL_INVOICE ? "INV-000017" : kind == TEND_BILL_STATEMENT ? "ST-2026-03" : "SB-000003";
  b->issued_on = "2026-03-31";
  b->period_from = kind == TEND_BILL_INVOICE ? NULL : "2026-03-01";
  b->period_to = kind == TEND_BILL_INVOICE ? NULL : "2026-03-31";
  b->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_ledger_entry_free);
  g_ptr_array_add (b->entries, entry (TEND_LEDGER_CHARGE, "2026-03-03", "90834", "Therapy, 45 min", "F41.1", "11", 15000, 15000));
  g_ptr_array_add (b->entries, entry (TEND_LEDGER_CHARGE, "2026-03-10", "90834 95", "Therapy, 45 min (video)", "F41.1 F32.9", "02", 15000, 30000));
  g_ptr_array_add (b->entries, entry (TEND_LEDGER_PAYMENT, "2026-03-12", NULL, "Card", NULL, NULL, 12345, 17655));
  for (guint i = 0; i < n_extra; i++)
    g_ptr_array_add (b->entries, entry (TEND_LEDGER_CHARGE, "2026-03-20", "90837", "Therapy, 60 min", "F41.1", "11", 100, 17655 + 100 * (i + 1)));
  b->opening_balance = kind == TEND_BILL_STATEMENT ? 2500 : 0;
  b->balance_due = 17655 + 100 * n_extra + (kind == TEND_BILL_STATEMENT ? 2500 : 0);
}

static void
bill_teardown (BillFixture *fx)
{
  g_object_unref (fx->bill.practice);
  g_object_unref (fx->bill.settings);
  g_ptr_array_unref (fx->bill.entries);
  g_object_unref (fx->client);
  g_hash_table_unref (fx->clinicians);
}

/* All the text of every page, and the page count. */
static char *
pdf_text (GBytes *pdf,
          int    *n_pages)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);
  GString *all = g_string_new (NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (doc);
  for (int i = 0; i < *n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append (all, text);
      g_string_append_c (all, '\n');
      g_object_unref (page);
    }
  g_object_unref (doc);
  return g_string_free (all, FALSE);
}

static void
assert_has (const char *text,
            const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("the PDF lacks “%s”:\n%s", needle, text);
}

static char *
render (BillFixture *fx,
        int         *pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = tend_bill_render_pdf (&fx->bill, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (pdf, NULL), "%PDF-"));
  /* To look at them: TEND_TEST_PDF_DIR=/tmp/pdfs build/tests/reports/test-bill-pdf */
  if (g_getenv ("TEND_TEST_PDF_DIR") != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s.pdf", fx->bill.number);
      g_autofree char *path = g_build_filename (g_getenv ("TEND_TEST_PDF_DIR"), name, NULL);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));
    }
  return pdf_text (pdf, pages);
}

static void
test_invoice (void)
{
  BillFixture fx;
  g_autofree char *text = NULL;
  int pages = 0;

  bill_setup (&fx, TEND_BILL_INVOICE, 0);
  text = render (&fx, &pages);
  g_assert_cmpint (pages, ==, 1);
  /* Letterhead */
  assert_has (text, "Harbor Counseling, LLC");
  assert_has (text, "12 Harbor Street");
  assert_has (text, "Portland ME 04101-1234");
  assert_has (text, "(207) 555-0134");
  /* Numbered, dated, due */
  assert_has (text, "Invoice");
  assert_has (text, "No. INV-000017");
  assert_has (text, "Date: 03/31/2026");
  assert_has (text, "Due: 04/30/2026");
  /* Bill to */
  assert_has (text, "Cara Lee");
  assert_has (text, "4 Elm Road");
  /* Lines, payments, running balance, totals */
  assert_has (text, "03/03/2026");
  assert_has (text, "90834 95");
  assert_has (text, "Therapy, 45 min");
  assert_has (text, "$150.00");
  assert_has (text, "Payment (Card)");
  assert_has (text, "-$123.45");
  assert_has (text, "$176.55");
  assert_has (text, "Total charges");
  assert_has (text, "$300.00");
  assert_has (text, "Payments and credits");
  assert_has (text, "Balance due");
  assert_has (text, "Page 1 of 1");
  bill_teardown (&fx);
}

static void
test_statement (void)
{
  BillFixture fx;
  g_autofree char *text = NULL;
  int pages = 0;

  bill_setup (&fx, TEND_BILL_STATEMENT, 0);
  text = render (&fx, &pages);
  assert_has (text, "Statement");
  assert_has (text, "No. ST-2026-03");
  assert_has (text, "Period: 03/01/2026 – 03/31/2026");
  assert_has (text, "Previous balance");
  assert_has (text, "$25.00");
  /* 25.00 + 300.00 - 123.45 */
  assert_has (text, "$201.55");
  bill_teardown (&fx);
}

static void
test_superbill (void)
{
  BillFixture fx;
  g_autofree char *text = NULL;
  int pages = 0;

  bill_setup (&fx, TEND_BILL_SUPERBILL, 0);
  text = render (&fx, &pages);
  assert_has (text, "Superbill");
  assert_has (text, "No. SB-000003");
  assert_has (text, "Tax ID: 123456789");
  assert_has (text, "Practice NPI: 1234567893");
  assert_has (text, "Maya Okafor, LCSW — NPI 1987654328");
  assert_has (text, "Date of birth: 07/14/1988");
  assert_has (text, "Diagnoses (ICD-10)");
  assert_has (text, "F41.1 F32.9");
  assert_has (text, "CPT");
  assert_has (text, "90834 95");
  assert_has (text, "POS");
  assert_has (text, "02");
  assert_has (text, "11");
  assert_has (text, "$150.00");
  assert_has (text, "-$123.45");
  assert_has (text, "Balance due");
  assert_has (text, "$176.55");
  bill_teardown (&fx);
}

static void
test_many_pages (void)
{
  BillFixture fx;
  g_autofree char *text = NULL;
  int pages = 0;

  bill_setup (&fx, TEND_BILL_INVOICE, 60);
  text = render (&fx, &pages);
  g_assert_cmpint (pages, ==, 3);
  assert_has (text, "Page 1 of 3");
  assert_has (text, "Page 3 of 3");
  /* Every page has the letterhead; the totals come once, at the end. */
  g_assert_cmpint (g_strv_length (g_strsplit (text, "No. INV-000017", -1)) - 1, ==, 3);
  assert_has (strstr (text, "Page 2 of 3"), "Balance due");
  /* 300.00 + 60 x 1.00 - 123.45 */
  assert_has (text, "$236.55");
  bill_teardown (&fx);
}

static void
test_stable (void)
{
  BillFixture fx;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;

  bill_setup (&fx, TEND_BILL_SUPERBILL, 3);
  a = tend_bill_render_pdf (&fx.bill, NULL);
  b = tend_bill_render_pdf (&fx.bill, NULL);
  g_assert_true (g_bytes_equal (a, b));
  bill_teardown (&fx);
}

int
main (int   argc,
      char *argv[])
{
  /* C.UTF-8 (as meson sets it): dates as 03/31/26, dollars as $1,234.56. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bill-pdf/invoice", test_invoice);
  g_test_add_func ("/bill-pdf/statement", test_statement);
  g_test_add_func ("/bill-pdf/superbill", test_superbill);
  g_test_add_func ("/bill-pdf/many-pages", test_many_pages);
  g_test_add_func ("/bill-pdf/stable", test_stable);
  return g_test_run ();
}
