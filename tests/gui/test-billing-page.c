/* test-billing-page.c: the Billing section on a small demo practice, under
 * Xvfb: charges listed, a payment recorded and allocated, the ledger and
 * balance shown, a charge voided, reports filled; the billing set-up, a
 * client's policies and allocating a payment by hand, with screenshots in
 * $TEND_TEST_SCREENSHOTS when it is set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "gui-test-util.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tend-billing.h"
#include "tend-add-charge-window.h"
#include "tend-billing-page.h"
#include "tend-billing-setup-window.h"
#include "tend-charge-window.h"
#include "tend-demo.h"
#include "tend-policy-window.h"
#include "tend-shared-bills-window.h"
#include "tend-sync-store.h"
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

/* A button in @root whose label is @label (with its mnemonic). */
static GtkWidget *
find_labelled_button (GtkWidget  *root,
                      const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        return c;
      if ((found = find_labelled_button (c, label)) != NULL)
        return found;
    }
  return NULL;
}

/* The charges' search keeps the rows that hold every word typed, says so
 * when none does, and a selection among the rows left is told as the
 * table's own row; Edit, Diagnoses and Void wait for a selection. */
static void
test_charges_search (Fixture       *f,
                     gconstpointer  data)
{
  TendTableView *view = TEND_TABLE_VIEW (tend_billing_page_get_view (f->page, "charges"));
  GtkWidget *search = gtk_widget_get_prev_sibling (GTK_WIDGET (view));
  GtkWidget *void_button = find_labelled_button (GTK_WIDGET (f->page), "_Void…");
  GtkWidget *edit = find_labelled_button (GTK_WIDGET (f->page), "_Edit…");
  TendTable *table = tend_table_view_get_table (view);
  guint all = tend_table_view_get_n_rows (view), expected = 0;
  g_autofree char *name = NULL;
  g_autofree char *typed = NULL;
  GtkWidget *placeholder;
  int row;

  g_assert_true (GTK_IS_SEARCH_ENTRY (search));
  g_assert_nonnull (void_button);
  g_assert_nonnull (edit);
  g_assert_cmpuint (all, >, 1);
  g_assert_cmpuint (tend_table_view_get_n_shown (view), ==, all);
  g_assert_false (gtk_widget_get_sensitive (void_button));
  g_assert_false (gtk_widget_get_sensitive (edit));

  /* One client's name, typed in another case: only their charges. */
  name = g_strdup (tend_table_get (table, all - 1, 1));
  for (guint r = 0; r < all; r++)
    if (g_strcmp0 (tend_table_get (table, r, 1), name) == 0)
      expected++;
  g_assert_cmpuint (expected, <, all);
  typed = g_utf8_strup (name, -1);
  gtk_editable_set_text (GTK_EDITABLE (search), typed);
  spin_for (400);
  g_assert_cmpuint (tend_table_view_get_n_shown (view), ==, expected);

  /* The last row shown is the table's row, not its place in the search. */
  tend_table_view_select (view, (int) all - 1);
  row = tend_table_view_get_selected (view);
  g_assert_cmpint (row, ==, (int) all - 1);
  g_assert_cmpstr (tend_table_get (table, row, 1), ==, name);
  g_assert_true (gtk_widget_get_sensitive (void_button));
  g_assert_true (gtk_widget_get_sensitive (edit));

  /* Nothing matches: a line says so. */
  gtk_editable_set_text (GTK_EDITABLE (search), "zzzz-no-such-client");
  spin_for (400);
  g_assert_cmpuint (tend_table_view_get_n_shown (view), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (void_button));
  placeholder = find_widget (view, GTK_TYPE_LABEL);
  g_assert_nonnull (placeholder);
  g_assert_true (gtk_widget_get_mapped (placeholder));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (placeholder)), ==, "No rows match the search");

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  spin_for (400);
  g_assert_cmpuint (tend_table_view_get_n_shown (view), ==, all);
}

static void
show_at_width (Fixture *f,
               int      width)
{
  /* Without a window manager a shown window keeps its size: show it again. */
  gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  spin_for (400);
}

/* A label in @root (depth first) whose text is @text. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (c) && gtk_widget_get_mapped (c) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (c)), text) == 0)
        return c;
      if ((found = find_label (c, text)) != NULL)
        return found;
    }
  return NULL;
}

/* A phone-wide window shows the charges as a list (the client's name on
 * the first line, what the columns said on the second), the same rows
 * and selection as the table it replaces; wide again, the table. */
static void
test_charges_narrow (Fixture       *f,
                     gconstpointer  data)
{
  TendTableView *view = TEND_TABLE_VIEW (tend_billing_page_get_view (f->page, "charges"));
  TendTable *table = tend_table_view_get_table (view);
  GtkWidget *columns = find_widget (view, GTK_TYPE_COLUMN_VIEW);
  GtkWidget *list = find_widget (view, GTK_TYPE_LIST_VIEW);
  const char *client = tend_table_get (table, 0, 1);

  g_assert_nonnull (columns);
  g_assert_nonnull (list);
  g_assert_false (tend_table_view_get_narrow (view));
  g_assert_true (gtk_widget_get_mapped (columns));

  show_at_width (f, 360);
  g_assert_true (tend_table_view_get_narrow (view));
  g_assert_true (gtk_widget_get_mapped (list));
  g_assert_false (gtk_widget_get_mapped (columns));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), <=, 360);
  g_assert_nonnull (find_label (list, client));
  tend_table_view_select (view, 0);
  g_assert_cmpint (tend_table_view_get_selected (view), ==, 0);

  show_at_width (f, 1200);
  g_assert_false (tend_table_view_get_narrow (view));
  g_assert_true (gtk_widget_get_mapped (columns));
  /* One selection for both. */
  g_assert_cmpint (tend_table_view_get_selected (view), ==, 0);
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

/* The Add Charge window: a refused amount is marked and said, and the
 * window stays open with what was typed; corrected, the charge is added
 * and the window closes. */
static void
test_add_charge_window (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GError) error = NULL;
  TendBalance before, after;
  GtkWindow *window;
  GtkWidget *amount = NULL, *description = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GQueue queue = G_QUEUE_INIT;

  g_assert_nonnull (client);
  /* Without a client there is nothing to add to. */
  g_assert_null (tend_billing_page_open_add_charge (f->page));
  g_assert_true (tend_billing_page_show_client (f->page, client));
  g_assert_true (tend_billing_client_balance (f->store, client, &before, NULL));
  window = tend_billing_page_open_add_charge (f->page);
  g_assert_true (TEND_IS_ADD_CHARGE_WINDOW (window));
  g_object_ref (window);
  spin_for (100);
  /* The entry rows, in order: the date, the description, the amount. */
  g_queue_push_tail (&queue, window);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *w = g_queue_pop_head (&queue);

      if (ADW_IS_ENTRY_ROW (w))
        g_ptr_array_add (rows, w);
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  g_assert_cmpuint (rows->len, ==, 3);
  description = rows->pdata[1];
  amount = rows->pdata[2];

  gtk_editable_set_text (GTK_EDITABLE (description), "Letter to the school");
  gtk_editable_set_text (GTK_EDITABLE (amount), "twenty");
  g_assert_false (tend_add_charge_window_add (TEND_ADD_CHARGE_WINDOW (window), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_has_css_class (amount, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (description)), ==, "Letter to the school");
  g_assert_true (tend_billing_client_balance (f->store, client, &after, NULL));
  g_assert_cmpint (after.balance, ==, before.balance);

  /* No service and no description: the description is what is missing. */
  gtk_editable_set_text (GTK_EDITABLE (description), "");
  gtk_editable_set_text (GTK_EDITABLE (amount), "20");
  g_assert_false (tend_add_charge_window_add (TEND_ADD_CHARGE_WINDOW (window), &error));
  g_clear_error (&error);
  g_assert_false (gtk_widget_has_css_class (amount, "error"));

  gtk_editable_set_text (GTK_EDITABLE (description), "Letter to the school");
  g_assert_true (tend_add_charge_window_add (TEND_ADD_CHARGE_WINDOW (window), &error));
  g_assert_no_error (error);
  spin_for (50);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_object_unref (window);
  g_assert_true (tend_billing_client_balance (f->store, client, &after, NULL));
  g_assert_cmpint (after.balance, ==, before.balance + 2000);

  /* A service from the catalogue at its fee, the amount left empty. */
  window = tend_billing_page_open_add_charge (f->page);
  tend_add_charge_window_set_service (TEND_ADD_CHARGE_WINDOW (window), "90832");
  g_assert_true (tend_add_charge_window_add (TEND_ADD_CHARGE_WINDOW (window), &error));
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

/* The first descendant of @widget whose tooltip is @tooltip. */
static GtkWidget *
find_by_tooltip (GtkWidget  *widget,
                 const char *tooltip)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_tooltip (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
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
  g_assert_true (gtk_widget_get_visible (find_by_tooltip (GTK_WIDGET (f->page), "Billing menu")));
  tend_store_set_actor (f->store, "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", TEND_ROLE_FRONT_DESK);
  tend_billing_page_set_role (f->page, TEND_ROLE_FRONT_DESK);
  spin_for (50);
  g_assert_true (tab_visible (charges));
  g_assert_false (tab_visible (claims));
  g_assert_false (tab_visible (tend_billing_page_get_view (f->page, "report")));
  /* Billing Set-up is for owners and billers; allocating is for whoever records payments. */
  g_assert_false (gtk_widget_get_visible (find_by_tooltip (GTK_WIDGET (f->page), "Billing menu")));
  g_assert_true (gtk_widget_get_visible (find_by_tooltip (GTK_WIDGET (f->page),
                                                          "Put the selected payment or credit on charges you choose")));
  g_assert_true (tend_billing_page_show_client (f->page, client));
  g_assert_true (tend_billing_page_record_payment (f->page, "5", TEND_PAYMENT_CARD, &error));
  g_assert_no_error (error);
  g_assert_null (tend_billing_create_claims (f->store, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

static void
type_into (TendRecordForm *form,
           const char     *field,
           const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (tend_record_form_get_row (form, field)), text);
}

static gboolean
row_in_error (TendRecordForm *form,
              const char     *field)
{
  return gtk_widget_has_css_class (tend_record_form_get_row (form, field), "error");
}

/* The title of the group that holds @field's row. */
static const char *
heading_of (TendRecordForm *form,
            const char     *field)
{
  GtkWidget *group = gtk_widget_get_ancestor (tend_record_form_get_row (form, field), ADW_TYPE_PREFERENCES_GROUP);

  return adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group));
}

/* Services: a bad code and a bad fee are refused on their rows, nothing
 * saved; a good one is saved in minor units; a service is deactivated,
 * not deleted.  Payers and settings likewise; the front desk is refused. */
static void
test_setup (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (tend_billing_page_open_setup (f->page));
  TendBillingSetupWindow *setup = TEND_BILLING_SETUP_WINDOW (window);
  TendRecordForm *services = tend_billing_setup_window_get_form (setup, "services");
  TendRecordForm *payers = tend_billing_setup_window_get_form (setup, "payers");
  TendRecordForm *settings = tend_billing_setup_window_get_form (setup, "settings");
  gint64 n_services = tend_store_count (f->store, TEND_TYPE_SERVICE, NULL);
  gint64 n_payers = tend_store_count (f->store, TEND_TYPE_PAYER, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) saved = NULL;
  g_autoptr(TendBillingSettings) stored = NULL;
  g_autofree char *id = NULL;

  g_assert_cmpuint (tend_record_form_get_n_listed (services), ==, n_services);
  g_assert_cmpuint (tend_record_form_get_n_listed (payers), ==, n_payers);
  g_assert_cmpstr (heading_of (services, "code"), ==, "New Service");

  type_into (services, "code", "9079");
  type_into (services, "description", "Intake, extended");
  type_into (services, "minutes", "75");
  type_into (services, "fee", "210.50");
  g_assert_false (tend_billing_setup_window_save (setup, "services", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (services), ==, "code");
  g_assert_true (row_in_error (services, "code"));
  /* A code the catalogue has already. */
  type_into (services, "code", "90834");
  g_assert_false (tend_billing_setup_window_save (setup, "services", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (services), ==, "code");
  type_into (services, "code", "G0444");
  type_into (services, "fee", "two hundred");
  g_assert_false (tend_billing_setup_window_save (setup, "services", &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (services), ==, "fee");
  g_assert_false (row_in_error (services, "code"));
  type_into (services, "minutes", "an hour");
  type_into (services, "fee", "210.50");
  g_assert_false (tend_billing_setup_window_save (setup, "services", &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (services), ==, "minutes");
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE, NULL), ==, n_services);

  type_into (services, "minutes", "75");
  {
    gboolean ok = tend_billing_setup_window_save (setup, "services", &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE, NULL), ==, n_services + 1);
  g_assert_cmpuint (tend_record_form_get_n_listed (services), ==, n_services + 1);
  g_assert_cmpstr (heading_of (services, "code"), ==, "Service G0444");
  id = g_strdup (tend_record_get_id (tend_record_form_get_record (services)));
  saved = tend_store_load (f->store, TEND_TYPE_SERVICE, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tend_service_get_fee (TEND_SERVICE (saved)), ==, 21050);
  g_assert_cmpuint (tend_service_get_minutes (TEND_SERVICE (saved)), ==, 75);
  g_assert_cmpstr (tend_service_get_code (TEND_SERVICE (saved)), ==, "G0444");
  g_clear_object (&saved);

  /* Deactivated, still there. */
  g_assert_true (tend_record_form_edit_id (services, id));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_record_form_get_row (services, "fee"))), ==, "210.50");
  gtk_switch_set_active (GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (tend_record_form_get_row (services, "active")))), FALSE);
  {
    gboolean ok = tend_billing_setup_window_save (setup, "services", &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  saved = tend_store_load (f->store, TEND_TYPE_SERVICE, id, &error);
  g_assert_cmpint (tend_record_get_int (saved, "active"), ==, 0);
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE, NULL), ==, n_services + 1);
  type_into (services, "fee", "-3");
  g_assert_false (tend_billing_setup_window_save (setup, "services", &error));
  g_assert_cmpstr (error->message, ==, "Fee: from $0.00 to $1,000,000.00");
  g_clear_error (&error);
  gui_test_screenshot (window, "setup-services-error");
  tend_record_form_edit (services, NULL);
  gui_test_screenshot (window, "setup-services");

  /* Payers */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "payers");
  type_into (payers, "name", "Prairie Mutual");
  type_into (payers, "payer_code", "P");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (payers, "claim_filing")), 10);
  type_into (payers, "address.city", "Omaha");
  g_assert_false (tend_billing_setup_window_save (setup, "payers", &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (payers), ==, "payer_code");
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_PAYER, NULL), ==, n_payers);
  type_into (payers, "payer_code", "PM123");
  {
    gboolean ok = tend_billing_setup_window_save (setup, "payers", &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_PAYER, NULL), ==, n_payers + 1);
  g_assert_cmpstr (tend_record_get_string (tend_record_form_get_record (payers), "address.city"), ==, "Omaha");
  g_assert_cmpstr (tend_record_get_string (tend_record_form_get_record (payers), "claim_filing"), ==, "MB");
  gui_test_screenshot (window, "setup-payers");

  /* Settings */
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "settings");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (settings, "charge_on")), 2);
  type_into (settings, "no_show_fee", "75");
  type_into (settings, "late_cancel_fee", "37.50");
  type_into (settings, "billing_npi", "1234567890");
  g_assert_false (tend_billing_setup_window_save (setup, "settings", &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (settings), ==, "billing_npi");
  stored = tend_billing_load_settings (f->store, NULL);
  g_assert_cmpint (tend_billing_settings_get_charge_on (stored), ==, TEND_CHARGE_ON_COMPLETED);
  g_clear_object (&stored);
  type_into (settings, "billing_npi", "1234567893");
  type_into (settings, "payment_terms_days", "30");
  {
    gboolean ok = tend_billing_setup_window_save (setup, "settings", &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  stored = tend_billing_load_settings (f->store, NULL);
  g_assert_cmpint (tend_billing_settings_get_charge_on (stored), ==, TEND_CHARGE_ON_NOTE_SIGNED);
  g_assert_cmpint (tend_record_get_int (TEND_RECORD (stored), "no_show_fee"), ==, 7500);
  g_assert_cmpint (tend_record_get_int (TEND_RECORD (stored), "late_cancel_fee"), ==, 3750);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (stored), "billing_npi"), ==, "1234567893");
  gui_test_screenshot (window, "setup-settings");

  /* The front desk cannot change the set-up. */
  tend_store_set_actor (f->store, "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", TEND_ROLE_FRONT_DESK);
  type_into (settings, "no_show_fee", "0");
  g_assert_false (tend_billing_setup_window_save (setup, "settings", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Fees by clinician: a service and a clinician must be chosen and the fee
 * must parse, one fee per service and clinician; saved, it is the fee the
 * store charges; removed, the catalogue's fee applies again.  A service
 * added on the Services page can be chosen at once. */
static guint
n_choices (TendRecordForm *form,
           const char     *field)
{
  /* Less the first item, “Choose…”. */
  return g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (tend_record_form_get_row (form, field)))) - 1;
}

static void
test_clinician_fees (Fixture       *f,
                     gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (tend_billing_page_open_setup (f->page));
  TendBillingSetupWindow *setup = TEND_BILLING_SETUP_WINDOW (window);
  TendRecordForm *fees = tend_billing_setup_window_get_form (setup, "fees");
  TendRecordForm *services = tend_billing_setup_window_get_form (setup, "services");
  gint64 n_fees = tend_store_count (f->store, TEND_TYPE_SERVICE_FEE, NULL);
  guint n_services;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *id = NULL;
  g_autofree char *code = NULL;
  g_autofree char *clinician = NULL;
  gint64 catalogue;

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "fees");
  spin_for (50);
  g_assert_cmpuint (tend_record_form_get_n_listed (fees), ==, n_fees);
  n_services = n_choices (fees, "service_code");
  g_assert_cmpuint (n_services, ==, tend_store_count (f->store, TEND_TYPE_SERVICE, NULL));
  g_assert_cmpuint (n_choices (fees, "clinician_id"), >, 0);

  /* Nothing chosen: refused on the row, nothing saved. */
  type_into (fees, "fee", "95");
  g_assert_false (tend_billing_setup_window_save (setup, "fees", &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (fees), ==, "service_code");
  g_assert_true (row_in_error (fees, "service_code"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (fees, "service_code")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (fees, "clinician_id")), 1);
  type_into (fees, "fee", "ninety");
  g_assert_false (tend_billing_setup_window_save (setup, "fees", &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (fees), ==, "fee");
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE_FEE, NULL), ==, n_fees);

  type_into (fees, "fee", "95");
  {
    gboolean ok = tend_billing_setup_window_save (setup, "fees", &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE_FEE, NULL), ==, n_fees + 1);
  g_assert_cmpuint (tend_record_form_get_n_listed (fees), ==, n_fees + 1);
  id = g_strdup (tend_record_get_id (tend_record_form_get_record (fees)));
  code = g_strdup (tend_record_get_string (tend_record_form_get_record (fees), "service_code"));
  clinician = g_strdup (tend_record_get_string (tend_record_form_get_record (fees), "clinician_id"));
  g_assert_cmpint (tend_billing_resolve_fee (f->store, code, clinician, NULL, TRUE, NULL), ==, 9500);

  /* A second fee for the same service and clinician is refused. */
  tend_record_form_edit (fees, NULL);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (fees, "service_code")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (fees, "clinician_id")), 1);
  type_into (fees, "fee", "60");
  g_assert_false (tend_billing_setup_window_save (setup, "fees", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (fees), ==, "clinician_id");
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE_FEE, NULL), ==, n_fees + 1);

  /* Changed. */
  g_assert_true (tend_record_form_edit_id (fees, id));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_record_form_get_row (fees, "fee"))), ==, "95.00");
  type_into (fees, "fee", "80");
  {
    gboolean ok = tend_billing_setup_window_save (setup, "fees", &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpint (tend_billing_resolve_fee (f->store, code, clinician, NULL, TRUE, NULL), ==, 8000);
  gui_test_screenshot (window, "setup-fees");

  /* Removed: the catalogue's fee again. */
  g_assert_true (tend_billing_setup_window_remove_fee (setup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_SERVICE_FEE, NULL), ==, n_fees);
  g_assert_cmpuint (tend_record_form_get_n_listed (fees), ==, n_fees);
  all = tend_store_list (f->store, TEND_TYPE_SERVICE, NULL);
  catalogue = -1;
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (tend_record_get_string (all->pdata[i], "code"), code) == 0)
      catalogue = tend_record_get_int (all->pdata[i], "fee");
  g_assert_cmpint (tend_billing_resolve_fee (f->store, code, clinician, NULL, TRUE, NULL), ==, catalogue);
  /* Nothing picked: nothing to remove. */
  g_assert_false (tend_billing_setup_window_remove_fee (setup, &error));
  g_clear_error (&error);

  /* A new service is offered at once. */
  tend_record_form_edit (services, NULL);
  type_into (services, "code", "G0445");
  type_into (services, "description", "Brief screening");
  type_into (services, "minutes", "15");
  type_into (services, "fee", "30");
  g_assert_true (tend_billing_setup_window_save (setup, "services", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_choices (fees, "service_code"), ==, n_services + 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether a visible label under @root shows @text. */
static gboolean
shows_text (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && gtk_widget_get_visible (c) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (c)), text) == 0)
        return TRUE;
      if (shows_text (c, text))
        return TRUE;
    }
  return FALSE;
}

/* An open charge with a service code, on no claim, with nothing paid on it:
 * @skip is not it. */
static char *
plain_charge (Fixture    *f,
              const char *skip)
{
  g_autoptr(GPtrArray) open = tend_billing_list_charges (f->store, NULL, TRUE, NULL);

  for (guint i = 0; i < open->len; i++)
    {
      TendRecord *c = open->pdata[i];

      if (tend_record_get_string (c, "service_code") != NULL && tend_record_get_string (c, "claim_id") == NULL &&
          g_strcmp0 (tend_record_get_id (c), skip) != 0 &&
          tend_billing_charge_remaining (f->store, tend_record_get_id (c), NULL) == tend_charge_get_amount (TEND_CHARGE (c)))
        return g_strdup (tend_record_get_id (c));
    }
  return NULL;
}

/* A charge on a claim that was sent, or NULL. */
static char *
claimed_charge (Fixture *f)
{
  g_autoptr(GPtrArray) all = tend_store_list (f->store, TEND_TYPE_CHARGE, NULL);

  for (guint i = 0; i < all->len; i++)
    {
      const char *claim_id = tend_record_get_string (all->pdata[i], "claim_id");
      g_autoptr(TendRecord) claim = claim_id != NULL ? tend_store_load (f->store, TEND_TYPE_CLAIM, claim_id, NULL) : NULL;

      if (claim != NULL && tend_claim_get_status (TEND_CLAIM (claim)) != TEND_CLAIM_DRAFT)
        return g_strdup (tend_record_get_id (all->pdata[i]));
    }
  return NULL;
}

/* Editing an open charge: bad rows are marked and nothing is saved; the
 * fee, units, modifiers and who pays are saved through the store; a voided
 * charge or one on a sent claim is refused with the store's message. */
static void
test_edit_charge (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *id = plain_charge (f, NULL);
  g_autofree char *other = NULL;
  g_autofree char *claimed = claimed_charge (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) before = NULL;
  g_autoptr(TendRecord) after = NULL;
  g_autofree char *before_body = NULL;
  GtkWindow *window;
  TendRecordForm *form;

  g_assert_nonnull (id);
  before = tend_store_load (f->store, TEND_TYPE_CHARGE, id, NULL);
  before_body = tend_record_to_body_string (before);
  window = tend_billing_page_open_charge (f->page, id);
  g_assert_nonnull (window);
  form = tend_charge_window_get_form (TEND_CHARGE_WINDOW (window));
  spin_for (50);

  type_into (form, "fee", "lots");
  g_assert_false (tend_charge_window_save (TEND_CHARGE_WINDOW (window), &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "fee");
  g_assert_true (row_in_error (form, "fee"));
  type_into (form, "fee", "120");
  type_into (form, "units", "0");
  g_assert_false (tend_charge_window_save (TEND_CHARGE_WINDOW (window), &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "units");
  g_assert_false (row_in_error (form, "fee"));
  type_into (form, "units", "2");
  type_into (form, "modifiers", "9");
  g_assert_false (tend_charge_window_save (TEND_CHARGE_WINDOW (window), &error));
  g_assert_nonnull (error);
  g_assert_true (shows_text (GTK_WIDGET (window), error->message));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "modifiers");
  after = tend_store_load (f->store, TEND_TYPE_CHARGE, id, NULL);
  {
    g_autofree char *body = tend_record_to_body_string (after);

    g_assert_cmpstr (body, ==, before_body);
  }
  g_clear_object (&after);

  type_into (form, "modifiers", "95 HO");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "responsibility")), 2);
  {
    gboolean ok = tend_charge_window_save (TEND_CHARGE_WINDOW (window), &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  after = tend_store_load (f->store, TEND_TYPE_CHARGE, id, NULL);
  g_assert_cmpint (tend_record_get_int (after, "fee"), ==, 12000);
  g_assert_cmpint (tend_record_get_int (after, "units"), ==, 2);
  g_assert_cmpint (tend_charge_get_amount (TEND_CHARGE (after)), ==, 24000);
  g_assert_cmpstr (tend_record_get_string (after, "modifiers"), ==, "95 HO");
  g_assert_cmpint (tend_charge_get_responsibility (TEND_CHARGE (after)), ==, TEND_RESPONSIBILITY_INSURANCE);
  gui_test_screenshot (GTK_WIDGET (window), "edit-charge");
  gtk_window_destroy (window);

  /* Voided: the store refuses, its message is shown, nothing changes. */
  other = plain_charge (f, id);
  g_assert_nonnull (other);
  g_assert_true (tend_billing_void_charge (f->store, other, "Entered twice", &error));
  g_assert_no_error (error);
  window = tend_billing_page_open_charge (f->page, other);
  form = tend_charge_window_get_form (TEND_CHARGE_WINDOW (window));
  type_into (form, "fee", "1");
  g_assert_false (tend_charge_window_save (TEND_CHARGE_WINDOW (window), &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_assert_true (shows_text (GTK_WIDGET (window), error->message));
  g_clear_error (&error);
  gtk_window_destroy (window);

  /* On a claim that was sent: the same. */
  if (claimed != NULL)
    {
      window = tend_billing_page_open_charge (f->page, claimed);
      form = tend_charge_window_get_form (TEND_CHARGE_WINDOW (window));
      type_into (form, "units", "3");
      g_assert_false (tend_charge_window_save (TEND_CHARGE_WINDOW (window), &error));
      g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
      g_assert_true (shows_text (GTK_WIDGET (window), error->message));
      g_clear_error (&error);
      gtk_window_destroy (window);
    }
  else
    g_test_message ("the demo practice has no sent claim");
}

static guint
policies_of (Fixture    *f,
             const char *client)
{
  g_autoptr(GPtrArray) all = tend_store_list (f->store, TEND_TYPE_POLICY, NULL);
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    n += g_strcmp0 (tend_record_get_string (all->pdata[i], "client_id"), client) == 0;
  return n;
}

static void
test_policies (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GError) error = NULL;
  TendPolicyWindow *window;
  TendRecordForm *form;
  guint before;
  TendRecord *saved;

  g_assert_null (tend_billing_page_open_policies (f->page));
  g_assert_true (tend_billing_page_show_client (f->page, client));
  before = policies_of (f, client);
  window = TEND_POLICY_WINDOW (tend_billing_page_open_policies (f->page));
  form = tend_policy_window_get_form (window);
  g_assert_cmpuint (tend_record_form_get_n_listed (form), ==, before);

  /* No payer chosen: refused on its row. */
  type_into (form, "member_id", "XQH2213");
  g_assert_false (tend_policy_window_save (window, &error));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "payer_id");
  type_into (form, "member_id", "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "payer_id")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "priority")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tend_record_form_get_row (form, "relationship")), 2);
  type_into (form, "group_number", "G-77");
  type_into (form, "subscriber.given", "Dana");
  type_into (form, "subscriber.family", "Reyes");
  type_into (form, "subscriber.date_of_birth", "1980-02-30");
  type_into (form, "effective_from", "2026-01-01");
  /* A date that is not one is refused as typed, saying how to type one. */
  g_assert_false (tend_policy_window_save (window, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "type it like 03/14/1987"));
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "subscriber.date_of_birth");
  g_assert_true (row_in_error (form, "subscriber.date_of_birth"));
  g_assert_cmpuint (policies_of (f, client), ==, before);
  gui_test_screenshot (GTK_WIDGET (window), "policy-error");
  /* The locale's way (month first in the C locale) is read as the date. */
  type_into (form, "subscriber.date_of_birth", "2/29/1980");
  g_assert_false (tend_policy_window_save (window, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (tend_record_form_get_error_field (form), ==, "member_id");
  type_into (form, "member_id", "XQH2213");
  {
    gboolean ok = tend_policy_window_save (window, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpuint (policies_of (f, client), ==, before + 1);
  g_assert_cmpuint (tend_record_form_get_n_listed (form), ==, before + 1);
  saved = tend_record_form_get_record (form);
  g_assert_cmpstr (tend_record_get_string (saved, "client_id"), ==, client);
  g_assert_cmpstr (tend_record_get_string (saved, "priority"), ==, "secondary");
  g_assert_cmpint (tend_policy_get_relationship (TEND_POLICY (saved)), ==, TEND_RELATIONSHIP_SPOUSE);
  g_assert_nonnull (tend_record_get_string (saved, "payer_id"));
  g_assert_cmpstr (tend_record_get_string (saved, "subscriber.date_of_birth"), ==, "1980-02-29");
  g_assert_cmpstr (tend_record_get_string (saved, "effective_from"), ==, "2026-01-01");
  /* Opened again: shown the locale's way, with the whole year. */
  {
    g_autofree char *id = g_strdup (tend_record_get_id (saved));

    g_assert_true (tend_record_form_edit_id (form, id));
    saved = tend_record_form_get_record (form);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_record_form_get_row (form, "effective_from"))), ==, "01/01/2026");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tend_record_form_get_row (form, "subscriber.date_of_birth"))), ==,
                   "02/29/1980");

  /* Edited again: the end date, same record. */
  type_into (form, "effective_to", "2026-12-31");
  {
    gboolean ok = tend_policy_window_save (window, &error);

    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpuint (policies_of (f, client), ==, before + 1);
  gui_test_screenshot (GTK_WIDGET (window), "policy");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_allocate (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(TendPayment) payment = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[3] = { NULL, NULL, NULL };
  gint64 owed[2];
  const char *pid;
  GtkWindow *window;
  guint n = 0;
  int bad;

  g_assert_true (tend_billing_page_show_client (f->page, client));
  /* A second charge the client pays, so there are two to choose from. */
  g_assert_true (tend_billing_page_add_charge (f->page, "2026-10-30", NULL, "Records copy", "25", &error));
  g_assert_no_error (error);
  charges = tend_billing_list_charges (f->store, client, TRUE, NULL);
  for (guint i = 0; i < charges->len && n < 2; i++)
    if (tend_charge_get_responsibility (charges->pdata[i]) == TEND_RESPONSIBILITY_CLIENT &&
        tend_billing_charge_remaining (f->store, tend_record_get_id (charges->pdata[i]), NULL) >= 400)
      {
        ids[n] = tend_record_get_id (charges->pdata[i]);
        owed[n] = tend_billing_charge_remaining (f->store, ids[n], NULL);
        n++;
      }
  g_assert_cmpuint (n, ==, 2);
  payment = tend_payment_new (client, TEND_PAYMENT_PAYMENT, TEND_PAYMENT_CASH, 1000, "2026-10-31");
  g_assert_true (tend_billing_record_payment (f->store, payment, FALSE, &error));
  g_assert_no_error (error);
  pid = tend_record_get_id (TEND_RECORD (payment));

  /* A bad amount, then one beyond the payment: nothing allocated either time. */
  g_assert_false (tend_billing_page_allocate (f->page, pid, ids, (const char *[]) { "5", "lots", NULL }, &bad, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 1);
  g_assert_false (tend_billing_page_allocate (f->page, pid, ids, (const char *[]) { "5", "6", NULL }, &bad, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (bad, ==, 1);
  g_assert_cmpint (tend_billing_payment_unapplied (f->store, pid, NULL), ==, 1000);
  g_assert_cmpint (tend_billing_charge_remaining (f->store, ids[0], NULL), ==, owed[0]);
  g_assert_false (tend_billing_page_allocate (f->page, pid, ids, (const char *[]) { "", " ", NULL }, &bad, &error));
  g_clear_error (&error);

  gui_test_screenshot (f->window, "billing-payments");
  window = tend_billing_page_open_allocate (f->page, pid);
  g_assert_nonnull (window);
  gui_test_screenshot (GTK_WIDGET (window), "allocate");
  {
    /* As a person would: too much on the first row, refused there, nothing saved. */
    GPtrArray *rows = g_object_get_data (G_OBJECT (window), "rows");
    GtkWidget *first = NULL;

    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (g_object_get_data (rows->pdata[i], "charge"), ids[0]) == 0)
        first = rows->pdata[i];
    g_assert_nonnull (first);
    gtk_editable_set_text (GTK_EDITABLE (first), "50");
    g_signal_emit_by_name (g_object_get_data (G_OBJECT (window), "allocate-button"), "clicked");
    g_assert_true (gtk_widget_has_css_class (first, "error"));
    g_assert_true (gtk_widget_get_visible (g_object_get_data (G_OBJECT (window), "message")));
    g_assert_cmpint (tend_billing_payment_unapplied (f->store, pid, NULL), ==, 1000);
    gui_test_screenshot (GTK_WIDGET (window), "allocate-error");
  }
  gtk_window_destroy (window);

  g_assert_true (tend_billing_page_allocate (f->page, pid, ids, (const char *[]) { "6", "4.00", NULL }, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_billing_payment_unapplied (f->store, pid, NULL), ==, 0);
  g_assert_cmpint (tend_billing_charge_remaining (f->store, ids[0], NULL), ==, owed[0] - 600);
  g_assert_cmpint (tend_billing_charge_remaining (f->store, ids[1], NULL), ==, owed[1] - 400);
  /* Nothing left: no window. */
  g_assert_null (tend_billing_page_open_allocate (f->page, pid));
}

typedef struct
{
  TendSharedBillsWindow *window;
  TendStore             *store;
  const char            *client;
  guint                  listed;
  gboolean               shared;
} ShareWait;

static gboolean
bills_listed (gpointer data)
{
  ShareWait *w = data;

  return tend_shared_bills_window_get_n_listed (w->window) == w->listed;
}

static gboolean
first_bill_shared_is (gpointer data)
{
  ShareWait *w = data;
  g_autoptr(GPtrArray) bills = tend_billing_list_shared_bills (w->store, w->client, NULL);

  return bills != NULL && bills->len > 0 &&
         (tend_record_get_int (bills->pdata[0], "shared_with_client") != 0) == w->shared;
}

/* "Shared in the Portal": a statement and a superbill made from the
 * ledger and shared (their PDF kept for the server, the record naming it),
 * then one no longer shared, all through the window's buttons. */
static void
test_shared_bills (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *client = client_who_owes (f);
  g_autoptr(GPtrArray) bills = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  TendSharedBillsWindow *window;
  ShareWait w = { 0, };
  const char *kinds[] = { "superbill", "statement" };
  g_autofree char *biller = NULL;

  /* Shared in the biller's name. */
  {
    g_autoptr(GPtrArray) staff = tend_store_list (f->store, TEND_TYPE_STAFF, NULL);

    for (guint i = 0; biller == NULL && i < staff->len; i++)
      if (tend_staff_get_role (staff->pdata[i]) == TEND_ROLE_BILLER)
        biller = g_strdup (tend_record_get_id (staff->pdata[i]));
    g_assert_nonnull (biller);
    tend_store_set_actor (f->store, biller, TEND_ROLE_BILLER);
  }
  g_assert_null (tend_billing_page_open_shared_bills (f->page));
  g_assert_true (tend_billing_page_show_client (f->page, client));
  window = TEND_SHARED_BILLS_WINDOW (tend_billing_page_open_shared_bills (f->page));
  g_assert_nonnull (window);
  w.window = window;
  w.store = f->store;
  w.client = client;
  g_assert_cmpuint (tend_shared_bills_window_get_n_listed (window), ==, 0);

  gtk_widget_activate (tend_shared_bills_window_get_button (window, "statement", 0));
  w.listed = 1;
  spin_until (bills_listed, &w, 5000);
  g_assert_cmpuint (tend_shared_bills_window_get_n_listed (window), ==, 1);
  gtk_widget_activate (tend_shared_bills_window_get_button (window, "superbill", 0));
  w.listed = 2;
  spin_until (bills_listed, &w, 5000);
  g_assert_cmpuint (tend_shared_bills_window_get_n_listed (window), ==, 2);

  bills = tend_billing_list_shared_bills (f->store, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bills->len, ==, 2);
  for (guint i = 0; i < bills->len; i++)
    {
      TendRecord *bill = bills->pdata[i];

      /* Newest first. */
      g_assert_cmpstr (tend_record_get_string (bill, "kind"), ==, kinds[i]);
      g_assert_cmpstr (tend_record_get_string (bill, "client_id"), ==, client);
      g_assert_true (g_str_has_prefix (tend_record_get_string (bill, "number"), i == 0 ? "SB-" : "ST-"));
      g_assert_cmpint (tend_record_get_int (bill, "shared_with_client"), ==, 1);
      g_assert_cmpstr (tend_record_get_string (bill, "shared_by"), ==, biller);
      /* The bytes are kept, to go to the server before the record. */
      pdf = tend_store_sync_dup_blob (f->store, tend_record_get_string (bill, "sha256"), &error);
      g_assert_no_error (error);
      g_assert_nonnull (pdf);
      g_assert_cmpint (memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5), ==, 0);
      g_assert_cmpint (tend_record_get_int (bill, "size"), ==, (gint64) g_bytes_get_size (pdf));
      g_clear_pointer (&pdf, g_bytes_unref);
    }
  gui_test_screenshot (GTK_WIDGET (window), "shared-bills");

  /* Stop sharing the newest (the superbill). */
  gtk_widget_activate (tend_shared_bills_window_get_button (window, "toggle", 0));
  w.shared = FALSE;
  spin_until (first_bill_shared_is, &w, 5000);
  g_assert_true (first_bill_shared_is (&w));
  g_clear_pointer (&bills, g_ptr_array_unref);
  bills = tend_billing_list_shared_bills (f->store, client, &error);
  g_assert_cmpint (tend_record_get_int (bills->pdata[1], "shared_with_client"), ==, 1);
  /* And share it again. */
  gtk_widget_activate (tend_shared_bills_window_get_button (window, "toggle", 0));
  w.shared = TRUE;
  spin_until (first_bill_shared_is, &w, 5000);
  g_assert_true (first_bill_shared_is (&w));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gui_test_screenshot (GTK_WIDGET (window), "shared-bills-narrow");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gui_test_init (&argc, &argv);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/billing-page/charges", test_charges_listed);
  ADD ("/billing-page/charges-search", test_charges_search);
  ADD ("/billing-page/charges-narrow", test_charges_narrow);
  ADD ("/billing-page/payment-and-ledger", test_payment_and_ledger);
  ADD ("/billing-page/reports", test_reports);
  ADD ("/billing-page/add-charge", test_add_charge);
  ADD ("/billing-page/add-charge-window", test_add_charge_window);
  ADD ("/billing-page/void", test_void_from_the_store_shows);
  ADD ("/billing-page/front-desk", test_front_desk);
  ADD ("/billing-page/files", test_files);
  ADD ("/billing-page/setup", test_setup);
  ADD ("/billing-page/clinician-fees", test_clinician_fees);
  ADD ("/billing-page/edit-charge", test_edit_charge);
  ADD ("/billing-page/policies", test_policies);
  ADD ("/billing-page/allocate", test_allocate);
  ADD ("/billing-page/shared-bills", test_shared_bills);
#undef ADD
  return g_test_run ();
}
