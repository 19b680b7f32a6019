/* test-billing-page.c: the Billing section on a small demo practice, under
 * Xvfb: charges listed, a payment recorded and allocated, the ledger and
 * balance shown, a charge voided, reports filled
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gui-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tend-billing.h"
#include "tend-billing-page.h"
#include "tend-demo.h"
#include "tend-keyring.h"
#include "tend-table-view.h"

typedef struct
{
  char            *dir;
  TendStore       *store;
  GtkWidget       *window;
  TendBillingPage *page;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = tend_keyring_generate_key ();
  g_autofree char *path = NULL;
  TendDemoOptions opts;

  f->dir = g_dir_make_tmp ("tend-billing-page-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "tend.db", NULL);
  f->store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  tend_demo_options_init (&opts);
  opts.n_clients = 40;
  opts.appointment_years = 1;
  g_assert_true (tend_demo_generate (f->store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  f->window = adw_window_new ();
  f->page = TEND_BILLING_PAGE (tend_billing_page_new ());
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  tend_billing_page_set_store (f->page, f->store);
  gtk_window_present (GTK_WINDOW (f->window));
  spin_for (200);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin_for (50);
  g_assert_finalize_object (f->store);
  for (const char *const *s = (const char *const[]) { "tend.db", "tend.db-wal", "tend.db-shm", "tend.db.keyid", NULL }; *s; s++)
    {
      g_autofree char *p = g_build_filename (f->dir, *s, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static guint
rows_of (Fixture    *f,
         const char *view)
{
  return tend_table_view_get_n_rows (TEND_TABLE_VIEW (tend_billing_page_get_view (f->page, view)));
}

/* A client who owes something and pays it themselves. */
static char *
client_who_owes (Fixture *f)
{
  g_autoptr(GPtrArray) charges = tend_billing_list_charges (f->store, NULL, TRUE, NULL);

  for (guint i = 0; i < charges->len; i++)
    if (tend_charge_get_responsibility (charges->pdata[i]) == TEND_RESPONSIBILITY_CLIENT &&
        tend_billing_charge_remaining (f->store, tend_record_get_id (charges->pdata[i]), NULL) > 0)
      return g_strdup (tend_record_get_string (charges->pdata[i], "client_id"));
  return NULL;
}

static void
test_charges_listed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) open = tend_billing_list_charges (f->store, NULL, TRUE, NULL);

  g_assert_cmpuint (open->len, >, 0);
  g_assert_cmpuint (rows_of (f, "charges"), ==, open->len);
  g_assert_cmpuint (rows_of (f, "claims"), >, 0);
}

static void
test_payment_and_ledger (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GError) error = NULL;
  TendBalance before, after;
  g_autofree char *expected = NULL;

  g_assert_nonnull (client);
  g_assert_true (tend_billing_client_balance (f->store, client, &before, NULL));
  g_assert_true (tend_billing_page_show_client (f->page, client));
  ledger = tend_billing_ledger (f->store, client, NULL);
  g_assert_cmpuint (rows_of (f, "ledger"), ==, ledger->len);

  /* Bad input: refused with a message, nothing recorded. */
  g_assert_false (tend_billing_page_record_payment (f->page, "twelve", TEND_PAYMENT_CASH, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (tend_billing_client_balance (f->store, client, &after, NULL));
  g_assert_cmpint (after.balance, ==, before.balance);

  g_assert_true (tend_billing_page_record_payment (f->page, "12.34", TEND_PAYMENT_CASH, &error));
  g_assert_no_error (error);
  g_assert_true (tend_billing_client_balance (f->store, client, &after, NULL));
  g_assert_cmpint (after.balance, ==, before.balance - 1234);
  g_assert_cmpuint (rows_of (f, "ledger"), ==, ledger->len + 1);
  {
    TendMoney m = tend_money_init (after.balance, "USD");
    g_autofree char *text = tend_money_format (&m);

    expected = g_strdup_printf ("Balance: %s", text);
  }
  g_assert_true (g_str_has_prefix (tend_billing_page_get_balance_text (f->page), expected));

  /* A credit of 20.00 lowers the balance; a refund beyond the credit is refused. */
  g_assert_true (tend_billing_page_record (f->page, TEND_PAYMENT_CREDIT, "20", TEND_PAYMENT_CASH, &error));
  g_assert_no_error (error);
  g_assert_true (tend_billing_client_balance (f->store, client, &before, NULL));
  g_assert_cmpint (before.balance, ==, after.balance - 2000);
  g_assert_false (tend_billing_page_record (f->page, TEND_PAYMENT_REFUND, "100000", TEND_PAYMENT_CHEQUE, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

static void
test_add_charge (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GError) error = NULL;
  TendBalance before, after;

  g_assert_true (tend_billing_page_show_client (f->page, client));
  g_assert_true (tend_billing_client_balance (f->store, client, &before, NULL));
  /* A letter at 25.00, then a catalogue service at its fee. */
  g_assert_true (tend_billing_page_add_charge (f->page, "2026-10-30", NULL, "Letter to school", "25", &error));
  g_assert_no_error (error);
  g_assert_true (tend_billing_client_balance (f->store, client, &after, NULL));
  g_assert_cmpint (after.balance, ==, before.balance + 2500);
  g_assert_false (tend_billing_page_add_charge (f->page, "2026-10-30", NULL, NULL, "25", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tend_billing_page_add_charge (f->page, "2026-10-30", "99999", NULL, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tend_billing_page_add_charge (f->page, "2026-10-31", "90832", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tend_billing_client_balance (f->store, client, &before, NULL));
  g_assert_cmpint (before.balance, >, after.balance);
}

static void
test_reports (Fixture       *f,
              gconstpointer  data)
{
  /* Reports are made in a thread: wait for each. */
  tend_billing_page_show_report (f->page, "revenue");
  for (guint i = 0; i < 500 && tend_billing_page_is_report_pending (f->page); i++)
    spin_for (10);
  g_assert_cmpuint (rows_of (f, "report"), >, 0);
  tend_billing_page_show_report (f->page, "claims");
  for (guint i = 0; i < 500 && tend_billing_page_is_report_pending (f->page); i++)
    spin_for (10);
  g_assert_cmpstr (tend_table_view_get_table (TEND_TABLE_VIEW (tend_billing_page_get_view (f->page, "report")))->title,
                   ==, "Claims awaiting payment");
}

static void
test_void_from_the_store_shows (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) open = tend_billing_list_charges (f->store, NULL, TRUE, NULL);
  guint before = rows_of (f, "charges");
  g_autoptr(GError) error = NULL;
  const char *id = NULL;

  for (guint i = 0; id == NULL && i < open->len; i++)
    if (tend_record_get_string (open->pdata[i], "claim_id") == NULL)
      id = tend_record_get_id (open->pdata[i]);
  g_assert_nonnull (id);
  g_assert_true (tend_billing_void_charge (f->store, id, "Entered twice", &error));
  g_assert_no_error (error);
  tend_billing_page_reload (f->page);
  g_assert_cmpuint (rows_of (f, "charges"), ==, before - 1);
}

static void
wait_idle (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  spin_for (20);
  while (tend_billing_page_is_busy (f->page) && g_get_monotonic_time () < end)
    spin_for (10);
  g_assert_false (tend_billing_page_is_busy (f->page));
}

/* The files, made in a thread on a worker connection. */
static void
test_files (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autofree char *pdf = g_build_filename (f->dir, "invoice.pdf", NULL);
  g_autofree char *x12 = g_build_filename (f->dir, "claims.837", NULL);
  g_autofree char *csv = g_build_filename (f->dir, "report.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(GPtrArray) drafts = NULL;

  g_assert_true (tend_billing_page_show_client (f->page, client));
  tend_billing_page_save_file (f->page, "invoice", pdf);
  g_assert_true (tend_billing_page_is_busy (f->page));
  wait_idle (f);
  g_assert_true (g_file_get_contents (pdf, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  g_clear_pointer (&text, g_free);

  made = tend_billing_create_claims (f->store, NULL, NULL);
  drafts = tend_billing_list_claims (f->store, TEND_CLAIM_DRAFT, NULL);
  g_assert_cmpuint (drafts->len, >, 0);
  tend_billing_page_save_file (f->page, "837p", x12);
  wait_idle (f);
  g_assert_true (g_file_get_contents (x12, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "ISA*"));
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = tend_billing_list_claims (f->store, TEND_CLAIM_DRAFT, NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
  g_clear_pointer (&text, g_free);

  tend_billing_page_show_report (f->page, "outstanding");
  tend_billing_page_save_file (f->page, "csv", csv);
  wait_idle (f);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "Client,"));
  g_remove (pdf);
  g_remove (x12);
  g_remove (csv);
}

/* Whether the view's tab is shown in the view switcher. */
static gboolean
tab_visible (GtkWidget *view)
{
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (view, ADW_TYPE_VIEW_STACK));

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (stack, gtk_widget_get_parent (view)));
}

/* The front desk records payments but neither voids nor claims; the store
 * refuses what the page hides. */
static void
test_front_desk (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *charges = tend_billing_page_get_view (f->page, "charges");
  GtkWidget *claims = tend_billing_page_get_view (f->page, "claims");
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GError) error = NULL;

  g_assert_true (tab_visible (claims));
  tend_store_set_actor (f->store, "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", TEND_ROLE_FRONT_DESK);
  tend_billing_page_set_role (f->page, TEND_ROLE_FRONT_DESK);
  spin_for (50);
  g_assert_true (tab_visible (charges));
  g_assert_false (tab_visible (claims));
  g_assert_false (tab_visible (tend_billing_page_get_view (f->page, "report")));
  g_assert_true (tend_billing_page_show_client (f->page, client));
  g_assert_true (tend_billing_page_record_payment (f->page, "5", TEND_PAYMENT_CARD, &error));
  g_assert_no_error (error);
  g_assert_null (tend_billing_create_claims (f->store, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/billing-page/charges", test_charges_listed);
  ADD ("/billing-page/payment-and-ledger", test_payment_and_ledger);
  ADD ("/billing-page/reports", test_reports);
  ADD ("/billing-page/add-charge", test_add_charge);
  ADD ("/billing-page/void", test_void_from_the_store_shows);
  ADD ("/billing-page/front-desk", test_front_desk);
  ADD ("/billing-page/files", test_files);
#undef ADD
  return g_test_run ();
}
