/* tend-billing-page.c: the Billing section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four views: open charges (edit, void with a reason), payments with a client's
 * ledger and balance (and their invoice, statement and superbill PDFs),
 * claims (create, send as 837P, read an 835) and reports with CSV export.
 * Files are made and read in a GTask thread on a worker connection; the
 * store enforces who may do what, and its errors are shown as they come.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-billing-export.h"
#include "tend-billing-page.h"
#include "tend-billing-setup-window.h"
#include "tend-charge-window.h"
#include "tend-add-charge-window.h"
#include "tend-insurance.h"
#include "tend-policy-window.h"
#include "tend-shared-bills-window.h"
#include "tend-table-view.h"
#include "tend-toolbar-layout.h"
#include "tend-view-switcher.h"
#include "tend-wrap-layout.h"

struct _TendBillingPage
{
  GtkWidget        parent_instance;

  TendStore       *store;
  GCancellable    *cancellable;
  GCancellable    *report_cancellable;
  gboolean         report_pending;
  gboolean         stale;          /* the store changed while not shown */
  char            *client_id;

  GtkWidget       *box;
  AdwToastOverlay *toasts;
  AdwViewStack    *stack;
  TendTableView   *charges;
  GPtrArray       *charge_ids;
  TendTableView   *ledger;
  GPtrArray       *ledger_payment_ids;  /* per ledger row: a voidable payment's id, or "" */
  TendTableView   *claims;
  TendTableView   *report;
  GtkDropDown     *report_choice;
  AdwEntryRow     *client_entry;
  AdwActionRow    *client_row;
  AdwEntryRow     *amount_entry;
  AdwComboRow     *method_row;
  AdwComboRow     *kind_row;
  AdwEntryRow     *reference_entry;
  GtkLabel        *balance_label;
  GtkWidget       *pdf_buttons;
  GtkSpinner      *spinner;
  GtkButton       *cancel_button;
  GtkWidget       *void_button;
  GtkWidget       *diagnoses_button;
  GtkWidget       *edit_charge_button;
  GtkWidget       *add_charge_button;
  GtkWidget       *void_payment_button;
  GtkWidget       *allocate_button;
  GtkWidget       *policies_button;
  GtkWidget       *client_group;    /* its description: insurance from intake awaiting review */
  GtkWidget       *menu_button;
  GtkWidget       *pay_form;
};

G_DEFINE_FINAL_TYPE (TendBillingPage, tend_billing_page, GTK_TYPE_WIDGET)

static const char * const report_names[] = { "outstanding", "revenue", "unbilled", "claims" };

/* Helpers */

static void
toast (TendBillingPage *self,
       const char      *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static char *
money_text (TendStore *store,
            gint64     minor)
{
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);
  TendMoney m = tend_money_init (minor, practice != NULL ? tend_practice_get_currency (practice) : "USD");

  return tend_money_format (&m);
}

static char *
currency_of (TendStore *store)
{
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);

  return g_strdup (practice != NULL ? tend_practice_get_currency (practice) : "USD");
}

static GtkWidget *
toolbar (void)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  /* The buttons go under the title when both do not fit in a row. */
  gtk_widget_set_layout_manager (bar, tend_toolbar_layout_new (6));
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  return bar;
}

static GtkWidget *
title_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* A narrow window wraps the title rather than growing. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  return label;
}

/* A toolbar's buttons, at its end: in one row where they fit, else in
 * as many as a narrow window needs. */
static GtkWidget *
toolbar_actions (GtkWidget *bar)
{
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_layout_manager (actions, tend_wrap_layout_new (6));
  gtk_widget_set_valign (actions, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), actions);
  return actions;
}

static void
toolbar_add (GtkWidget *actions,
             GtkWidget *widget)
{
  gtk_box_append (GTK_BOX (actions), widget);
}

static GtkWidget *
button (const char *label,
        GCallback   callback,
        gpointer    data)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  g_signal_connect_swapped (b, "clicked", callback, data);
  return b;
}

static void
reload_charges (TendBillingPage *self)
{
  const char *headers[] = { _("Date"), _("Client"), _("Service"), _("Amount"), _("Owed"), _("Who pays") };
  const TendColumnKind kinds[] = { TEND_COLUMN_DATE, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_MONEY,
                                   TEND_COLUMN_MONEY, TEND_COLUMN_TEXT };
  g_autofree char *currency = currency_of (self->store);
  g_autoptr(GPtrArray) charges = tend_billing_list_charges (self->store, NULL, TRUE, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  TendTable *table = tend_table_new (_("Open charges"), currency, 6, headers, kinds);

  g_ptr_array_set_size (self->charge_ids, 0);
  /* Newest first: what the biller is working on. */
  for (guint i = charges != NULL ? charges->len : 0; i-- > 0;)
    {
      TendRecord *c = g_ptr_array_index (charges, i);
      const char *client = tend_record_get_string (c, "client_id");
      const char *name = g_hash_table_lookup (names, client);
      const char *code = tend_record_get_string (c, "service_code");
      g_autofree char *service = NULL;
      char **row = tend_table_add_row (table);

      if (name == NULL)
        {
          char *n = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, client);
          g_hash_table_insert (names, (gpointer) client, n != NULL ? n : g_strdup (""));
          name = g_hash_table_lookup (names, client);
        }
      service = code != NULL ? g_strdup_printf ("%s %s", code, tend_record_get_string (c, "description") ?: "")
                             : g_strdup (tend_record_get_string (c, "description"));
      tend_table_set (table, row, 0, tend_record_get_string (c, "service_date"));
      tend_table_set (table, row, 1, name);
      tend_table_set (table, row, 2, service);
      tend_table_set_money (table, row, 3, tend_charge_get_amount (TEND_CHARGE (c)));
      tend_table_set_money (table, row, 4, tend_billing_charge_remaining (self->store, tend_record_get_id (c), NULL));
      tend_table_set (table, row, 5, tend_charge_get_responsibility (TEND_CHARGE (c)) == TEND_RESPONSIBILITY_INSURANCE
                                     ? _("Insurance") : _("Client"));
      g_ptr_array_add (self->charge_ids, g_strdup (tend_record_get_id (c)));
    }
  tend_table_view_set_table (self->charges, table);
}

static void
reload_claims (TendBillingPage *self)
{
  const char *headers[] = { _("Claim"), _("Client"), _("Payer"), _("Status"), _("Total"), _("Paid") };
  const TendColumnKind kinds[] = { TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT,
                                   TEND_COLUMN_MONEY, TEND_COLUMN_MONEY };
  g_autofree char *currency = currency_of (self->store);
  g_autoptr(GPtrArray) claims = tend_billing_list_claims (self->store, -1, NULL);
  TendTable *table = tend_table_new (_("Claims"), currency, 6, headers, kinds);

  for (guint i = claims != NULL ? claims->len : 0; i-- > 0;)
    {
      TendRecord *c = g_ptr_array_index (claims, i);
      char **row = tend_table_add_row (table);
      g_autofree char *client = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, tend_record_get_string (c, "client_id"));
      g_autofree char *payer = tend_store_dup_display_name (self->store, TEND_TYPE_PAYER, tend_record_get_string (c, "payer_id"));

      tend_table_set (table, row, 0, tend_record_get_string (c, "control_number"));
      tend_table_set (table, row, 1, client);
      tend_table_set (table, row, 2, payer);
      tend_table_set (table, row, 3, tend_claim_status_get_label (tend_claim_get_status (TEND_CLAIM (c))));
      tend_table_set_money (table, row, 4, tend_record_get_int (c, "total"));
      tend_table_set_money (table, row, 5, tend_record_get_int (c, "paid"));
    }
  tend_table_view_set_table (self->claims, table);
}

static void
reload_ledger (TendBillingPage *self)
{
  const char *headers[] = { _("Date"), _("Code"), _("Description"), _("Amount"), _("Balance") };
  const TendColumnKind kinds[] = { TEND_COLUMN_DATE, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY };
  g_autofree char *currency = currency_of (self->store);
  g_autoptr(GPtrArray) ledger = NULL;
  g_autoptr(GError) error = NULL;
  TendTable *table = tend_table_new (_("Ledger"), currency, 5, headers, kinds);
  TendBalance balance;

  g_ptr_array_set_size (self->ledger_payment_ids, 0);
  gtk_widget_set_sensitive (self->pdf_buttons, self->client_id != NULL);
  tend_table_view_set_placeholder (self->ledger, self->client_id == NULL
                                   ? _("Choose a client to see their account.")
                                   : _("Nothing on this client’s account yet."));
  if (self->client_id == NULL)
    {
      tend_table_view_set_table (self->ledger, table);
      gtk_label_set_text (self->balance_label, "");
      return;
    }
  ledger = tend_billing_ledger (self->store, self->client_id, &error);
  for (guint i = ledger != NULL ? ledger->len : 0; i-- > 0;)
    {
      TendLedgerEntry *e = g_ptr_array_index (ledger, i);
      char **row = tend_table_add_row (table);
      gint64 shown = e->kind == TEND_LEDGER_CHARGE || e->kind == TEND_LEDGER_REFUND ? e->amount : -e->amount;
      g_autofree char *description = e->kind == TEND_LEDGER_PAYMENT
                                     ? g_strdup_printf (_("Payment (%s)"), e->description)
                                     : e->is_void ? g_strdup_printf (_("%s (void)"), e->description)
                                                  : g_strdup (e->description);

      g_ptr_array_add (self->ledger_payment_ids,
                       g_strdup ((e->kind == TEND_LEDGER_PAYMENT || e->kind == TEND_LEDGER_REFUND ||
                                  e->kind == TEND_LEDGER_CREDIT) && !e->insurance && !e->is_void ? e->id : ""));
      tend_table_set (table, row, 0, e->date);
      tend_table_set (table, row, 1, e->kind == TEND_LEDGER_CHARGE ? e->code : NULL);
      tend_table_set (table, row, 2, description);
      tend_table_set_money (table, row, 3, shown);
      tend_table_set_money (table, row, 4, e->balance);
    }
  tend_table_view_set_table (self->ledger, table);
  if (error != NULL)
    {
      gtk_label_set_text (self->balance_label, error->message);
      return;
    }
  if (tend_billing_client_balance (self->store, self->client_id, &balance, NULL))
    {
      g_autofree char *owes = money_text (self->store, balance.balance);
      g_autofree char *insurer = money_text (self->store, balance.insurance_due);
      g_autofree char *text = balance.insurance_due != 0
        /* TRANSLATORS: "Balance: $120.00 · insurance owes $300.00" */
        ? g_strdup_printf (_("Balance: %s · insurance owes %s"), owes, insurer)
        : g_strdup_printf (_("Balance: %s"), owes);

      gtk_label_set_text (self->balance_label, text);
    }
}

/* A report reads every charge of the practice: it is made in a thread, on a
 * connection of its own, and only while the Reports tab is showing. */
static void
report_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  TendStore *store = data;
  const char *name = g_object_get_data (G_OBJECT (task), "report");
  g_autoptr(TendStore) worker = NULL;
  GError *error = NULL;
  TendTable *table;

  worker = tend_store_open_worker (store, &error);
  table = worker != NULL ? tend_billing_export_report (worker, name, NULL, NULL, &error) : NULL;
  if (table == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, table, (GDestroyNotify) tend_table_free);
}

static void
report_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  TendBillingPage *self = TEND_BILLING_PAGE (source);
  TendTable *table = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) == self->report_cancellable)
    self->report_pending = FALSE;
  if (table == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Billing report failed: %s", error->message);
      return;
    }
  tend_table_view_set_table (self->report, table);
}

static void
reload_report (TendBillingPage *self)
{
  guint i = gtk_drop_down_get_selected (self->report_choice);
  g_autoptr(GTask) task = NULL;

  if (i >= G_N_ELEMENTS (report_names) || self->store == NULL ||
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "reports") != 0)
    return;
  if (self->report_cancellable != NULL)
    g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  self->report_cancellable = g_cancellable_new ();
  self->report_pending = TRUE;
  task = g_task_new (self, self->report_cancellable, report_cb, NULL);
  g_object_set_data (G_OBJECT (task), "report", (gpointer) report_names[i]);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_task_run_in_thread (task, report_thread);
}

/* For tests: whether a report is being made. */
gboolean
tend_billing_page_is_report_pending (TendBillingPage *self)
{
  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), FALSE);
  return self->report_pending;
}

/* Background jobs: files in and out, on a worker connection */

typedef enum
{
  JOB_PDF,
  JOB_837P,
  JOB_835,
  JOB_CSV,
} JobKind;

typedef struct
{
  JobKind       kind;
  TendBillKind  bill;
  int           report;
  char         *client_id;
  char         *path;
} Job;

static void
job_free (Job *job)
{
  g_free (job->client_id);
  g_free (job->path);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  TendBillingPage *self = TEND_BILLING_PAGE (source);
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) worker = tend_store_open_worker (self->store, &error);
  char *message = NULL;

  if (worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  switch (job->kind)
    {
    case JOB_PDF:
      {
        g_autoptr(TendBill) bill = tend_billing_export_bill (worker, job->bill, job->client_id, NULL, NULL, &error);

        if (bill != NULL && !g_cancellable_set_error_if_cancelled (cancellable, &error) &&
            tend_bill_write_pdf (bill, job->path, &error))
          message = g_strdup_printf (_("Saved %s"), bill->number);
      }
      break;
    case JOB_837P:
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *text = NULL;
        guint n = 0;

        text = tend_billing_export_837p (worker, NULL, now, FALSE, &n, &error);
        if (text != NULL && g_file_set_contents_full (job->path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sent %u claim", "Sent %u claims", n), n);
      }
      break;
    case JOB_835:
      {
        g_autofree char *data_text = NULL;
        gsize length = 0;
        TendRemitResult result = { 0, };

        if (g_file_get_contents (job->path, &data_text, &length, &error) &&
            tend_billing_import_835 (worker, data_text, length, &result, &error))
          {
            if (result.unmatched->len > 0)
              {
                /* The first line is the summary; the others, what a person must resolve. */
                GString *text = g_string_new (NULL);

                g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "Posted %u lines; %u item needs a person",
                                                           "Posted %u lines; %u items need a person",
                                                           result.unmatched->len),
                                        result.lines_posted, result.unmatched->len);
                for (guint i = 0; i < result.unmatched->len; i++)
                  g_string_append_printf (text, "\n%s", (const char *) g_ptr_array_index (result.unmatched, i));
                message = g_string_free (text, FALSE);
              }
            else
              message = g_strdup_printf (_("Posted %u lines"), result.lines_posted);
            tend_remit_result_clear (&result);
          }
      }
      break;
    case JOB_CSV:
      {
        g_autoptr(TendTable) table = tend_billing_export_report (worker, report_names[job->report], NULL, NULL, &error);
        g_autofree char *csv = table != NULL ? tend_csv_from_table (table) : NULL;

        if (csv != NULL && tend_store_audit (worker, "export-report", NULL, NULL, &error) &&
            g_file_set_contents_full (job->path, csv, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
          message = g_strdup (_("Report saved"));
      }
      break;
    default:
      break;
    }
  if (message == NULL)
    g_task_return_error (task, error != NULL ? g_steal_pointer (&error)
                                             : g_error_new_literal (TEND_ERROR, TEND_ERROR_FAILED, _("Failed")));
  else
    g_task_return_pointer (task, message, g_free);
}

static void
set_busy (TendBillingPage *self,
          gboolean         busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TendBillingPage *self = TEND_BILLING_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = g_task_propagate_pointer (G_TASK (result), &error);

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (message != NULL && strchr (message, '\n') != NULL)
    {
      /* Unmatched remittance lines: listed where a person can read them all. */
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      char *nl = strchr (message, '\n');
      GtkWidget *dialog;

      *nl = '\0';
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, message, nl + 1);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    toast (self, message != NULL ? message : error->message);
  /* The worker wrote through another connection. */
  tend_billing_page_reload (self);
}

static void
run_job (TendBillingPage *self,
         Job             *job)
{
  g_autoptr(GTask) task = NULL;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, job_done_cb, NULL);
  g_task_set_source_tag (task, run_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, job_thread);
}

static void
on_file_chosen_cb (GtkNativeDialog *dialog,
                   int              response,
                   gpointer         user_data)
{
  TendBillingPage *self = TEND_BILLING_PAGE (user_data);
  Job *job = g_object_steal_data (G_OBJECT (dialog), "job");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      job->path = g_file_get_path (file);
      run_job (self, job);
    }
  else
    job_free (job);
  g_object_unref (dialog);
}

static void
choose_file (TendBillingPage      *self,
             Job                  *job,
             GtkFileChooserAction  action,
             const char           *title,
             const char           *suggested)
{
  GtkNativeDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           action, NULL, NULL));
  if (suggested != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  g_object_set_data (G_OBJECT (dialog), "job", job);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen_cb), self);
  gtk_native_dialog_show (dialog);
}

/* Signal callbacks */

static void
on_cancel_clicked_cb (TendBillingPage *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* A form in a message dialog: one labelled entry per field. */
static GtkWidget *
form_dialog (TendBillingPage    *self,
             const char         *heading,
             const char         *body,
             const char         *action,
             const char * const *labels,
             const char * const *values)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (labels[i]);
      GtkWidget *entry = gtk_entry_new ();
      g_autofree char *key = g_strdup_printf ("entry%u", i);

      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
      gtk_editable_set_text (GTK_EDITABLE (entry), values[i] != NULL ? values[i] : "");
      gtk_widget_set_hexpand (entry, TRUE);
      g_object_set_data (G_OBJECT (dialog), g_intern_string (key), entry);
      gtk_grid_attach (GTK_GRID (grid), label, 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), entry, 1, (int) i, 1, 1);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), grid);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ok", action, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  return dialog;
}

static const char *
form_value (AdwMessageDialog *dialog,
            guint             i)
{
  g_autofree char *key = g_strdup_printf ("entry%u", i);
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), key);
  const char *text = gtk_editable_get_text (entry);

  return *text != '\0' ? text : NULL;
}

static void
on_diagnoses_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  TendBillingPage *self = TEND_BILLING_PAGE (user_data);
  const char *charge_id = g_object_get_data (G_OBJECT (dialog), "charge");
  g_autoptr(TendRecord) charge = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "ok") != 0)
    return;
  charge = tend_store_load (self->store, TEND_TYPE_CHARGE, charge_id, &error);
  if (charge != NULL)
    {
      g_autofree char *codes = g_ascii_strup (form_value (dialog, 0) != NULL ? form_value (dialog, 0) : "", -1);

      g_strstrip (codes);
      tend_record_set_string (charge, "diagnoses", *codes != '\0' ? codes : NULL);
    }
  if (charge == NULL || !tend_billing_save_charge (self->store, TEND_CHARGE (charge), &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Diagnoses saved"));
  tend_billing_page_reload (self);
}

static void
on_diagnoses_clicked_cb (TendBillingPage *self)
{
  int row = tend_table_view_get_selected (self->charges);
  const char *labels[] = { _("ICD-10 codes"), NULL };
  const char *values[] = { NULL, NULL };
  g_autoptr(TendRecord) charge = NULL;
  GtkWidget *dialog;

  if (row < 0 || (guint) row >= self->charge_ids->len)
    {
      toast (self, _("Select a charge first"));
      return;
    }
  charge = tend_store_load (self->store, TEND_TYPE_CHARGE, g_ptr_array_index (self->charge_ids, row), NULL);
  values[0] = charge != NULL ? tend_record_get_string (charge, "diagnoses") : NULL;
  dialog = form_dialog (self, _("Diagnoses of This Charge"),
                        _("Up to four ICD-10 codes, the primary first, separated by spaces (like F41.1 F32.9)."),
                        _("_Save"), labels, values);
  g_object_set_data_full (G_OBJECT (dialog), "charge", g_strdup (g_ptr_array_index (self->charge_ids, row)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_diagnoses_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWindow *parent_window (TendBillingPage *self);

static void
on_charge_saved_cb (TendBillingPage *self)
{
  toast (self, _("Charge saved"));
  tend_billing_page_reload (self);
}

/**
 * tend_billing_page_open_charge:
 * @charge_id: the charge to edit
 *
 * Opens a small dialog to change the charge's fee, units, modifiers and
 * who pays.
 *
 * Returns: (transfer none) (nullable): the dialog; %NULL (and a toast)
 *   when the charge cannot be read
 */
GtkWindow *
tend_billing_page_open_charge (TendBillingPage *self,
                               const char      *charge_id)
{
  g_autoptr(GError) error = NULL;
  TendChargeWindow *window;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  window = tend_charge_window_new (self->store, charge_id, &error);
  if (window == NULL)
    {
      toast (self, error != NULL ? error->message : _("This charge is no longer there"));
      return NULL;
    }
  g_signal_connect_object (window, "saved", G_CALLBACK (on_charge_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
on_edit_charge_clicked_cb (TendBillingPage *self)
{
  int row = tend_table_view_get_selected (self->charges);

  if (row < 0 || (guint) row >= self->charge_ids->len)
    {
      toast (self, _("Select a charge first"));
      return;
    }
  tend_billing_page_open_charge (self, g_ptr_array_index (self->charge_ids, row));
}

/**
 * tend_billing_page_open_add_charge:
 *
 * Opens the window that adds a charge to the shown client by hand.
 *
 * Returns: (transfer none) (nullable): the window; %NULL (and a toast)
 *   when no client is shown
 */
GtkWindow *
tend_billing_page_open_add_charge (TendBillingPage *self)
{
  g_autofree char *name = NULL;
  TendAddChargeWindow *window;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  if (self->client_id == NULL)
    {
      toast (self, _("Choose the client first"));
      return NULL;
    }
  name = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, self->client_id);
  window = tend_add_charge_window_new (self, self->store, name);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
on_add_charge_clicked_cb (TendBillingPage *self)
{
  tend_billing_page_open_add_charge (self);
}

static void
on_void_payment_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             gpointer          user_data)
{
  TendBillingPage *self = TEND_BILLING_PAGE (user_data);
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "void") != 0)
    return;
  if (!tend_billing_void_payment (self->store, g_object_get_data (G_OBJECT (dialog), "payment"),
                                  gtk_editable_get_text (reason), &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Payment voided"));
  tend_billing_page_reload (self);
}

static void
on_void_payment_clicked_cb (TendBillingPage *self)
{
  int row = tend_table_view_get_selected (self->ledger);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *id;
  GtkWidget *dialog, *entry;

  id = row >= 0 && (guint) row < self->ledger_payment_ids->len ? g_ptr_array_index (self->ledger_payment_ids, row) : "";
  if (*id == '\0')
    {
      toast (self, _("Select one of the client’s payments, refunds or credits"));
      return;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Void This Payment?"),
                                   _("It stays in the ledger, marked void with your reason; the charges it paid are owed again."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for voiding"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "void", _("_Void"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "void", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "payment", g_strdup (id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_void_payment_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_void_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  TendBillingPage *self = TEND_BILLING_PAGE (user_data);
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *charge_id = g_object_get_data (G_OBJECT (dialog), "charge");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "void") != 0)
    return;
  if (!tend_billing_void_charge (self->store, charge_id, gtk_editable_get_text (reason), &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Charge voided"));
  tend_billing_page_reload (self);
}

static void
on_void_clicked_cb (TendBillingPage *self)
{
  int row = tend_table_view_get_selected (self->charges);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *entry;

  if (row < 0 || (guint) row >= self->charge_ids->len)
    {
      toast (self, _("Select a charge to void"));
      return;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Void This Charge?"),
                                   _("The charge stays in the ledger, marked void with your reason; payments on it become the client’s credit."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for voiding"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "void", _("_Void"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "void", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "charge", g_strdup (g_ptr_array_index (self->charge_ids, row)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_void_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_client_apply_cb (TendBillingPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->client_entry));
  g_autoptr(GArray) rids = tend_store_search_clients (self->store, text, 1, NULL);
  g_autoptr(TendRecord) client = NULL;

  if (rids == NULL || rids->len == 0 ||
      (client = tend_store_load_by_rid (self->store, TEND_TYPE_CLIENT, g_array_index (rids, gint64, 0), NULL)) == NULL)
    {
      toast (self, _("No client matches"));
      return;
    }
  tend_billing_page_show_client (self, tend_record_get_id (client));
}

static void
on_record_payment_clicked_cb (TendBillingPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_billing_page_record (self, (int) adw_combo_row_get_selected (self->kind_row),
                                 gtk_editable_get_text (GTK_EDITABLE (self->amount_entry)),
                                 (int) adw_combo_row_get_selected (self->method_row), &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reference_entry), "");
  toast (self, _("Recorded"));
}

static void
pdf_clicked (TendBillingPage *self,
             TendBillKind     kind)
{
  Job *job = g_new0 (Job, 1);
  static const char * const names[] = { N_("invoice.pdf"), N_("statement.pdf"), N_("superbill.pdf") };

  job->kind = JOB_PDF;
  job->bill = kind;
  job->client_id = g_strdup (self->client_id);
  choose_file (self, job, GTK_FILE_CHOOSER_ACTION_SAVE, _("Save PDF"), _(names[kind]));
}

static void
on_invoice_clicked_cb (TendBillingPage *self)
{
  pdf_clicked (self, TEND_BILL_INVOICE);
}

static void
on_statement_clicked_cb (TendBillingPage *self)
{
  pdf_clicked (self, TEND_BILL_STATEMENT);
}

static void
on_superbill_clicked_cb (TendBillingPage *self)
{
  pdf_clicked (self, TEND_BILL_SUPERBILL);
}

static void
on_create_claims_clicked_cb (TendBillingPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) made = tend_billing_create_claims (self->store, NULL, &error);
  g_autofree char *text = NULL;

  if (made == NULL)
    {
      toast (self, error->message);
      return;
    }
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u draft claim created", "%u draft claims created", made->len),
                          made->len);
  toast (self, text);
  reload_claims (self);
}

static void
on_export_837p_clicked_cb (TendBillingPage *self)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_837P;
  choose_file (self, job, GTK_FILE_CHOOSER_ACTION_SAVE, _("Send Claims as 837P"), "claims.837");
}

static void
on_import_835_clicked_cb (TendBillingPage *self)
{
  Job *job = g_new0 (Job, 1);

  job->kind = JOB_835;
  choose_file (self, job, GTK_FILE_CHOOSER_ACTION_OPEN, _("Read a Remittance (835)"), NULL);
}

static void
on_export_csv_clicked_cb (TendBillingPage *self)
{
  Job *job = g_new0 (Job, 1);
  g_autofree char *name = NULL;

  job->kind = JOB_CSV;
  job->report = (int) gtk_drop_down_get_selected (self->report_choice);
  name = g_strdup_printf ("%s.csv", report_names[MAX (job->report, 0)]);
  choose_file (self, job, GTK_FILE_CHOOSER_ACTION_SAVE, _("Export Report"), name);
}

static void
on_report_selected_cb (TendBillingPage *self)
{
  if (self->store != NULL)
    reload_report (self);
}

static GtkWindow *
parent_window (TendBillingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_setup_clicked_cb (TendBillingPage *self)
{
  tend_billing_page_open_setup (self);
}

static void
on_policies_clicked_cb (TendBillingPage *self)
{
  if (tend_billing_page_open_policies (self) == NULL)
    toast (self, _("Choose the client first"));
}

static void
on_shared_bills_clicked_cb (TendBillingPage *self)
{
  if (tend_billing_page_open_shared_bills (self) == NULL)
    toast (self, _("Choose the client first"));
}

static void
on_allocate_clicked_cb (TendBillingPage *self)
{
  int row = tend_table_view_get_selected (self->ledger);
  const char *id;

  id = row >= 0 && (guint) row < self->ledger_payment_ids->len ? g_ptr_array_index (self->ledger_payment_ids, row) : "";
  if (*id == '\0')
    {
      toast (self, _("Select one of the client’s payments or credits"));
      return;
    }
  tend_billing_page_open_allocate (self, id);
}

static void
on_allocate_window_clicked_cb (GtkWidget *window)
{
  TendBillingPage *self = g_object_get_data (G_OBJECT (window), "page");
  GPtrArray *rows = g_object_get_data (G_OBJECT (window), "rows");
  GtkLabel *message = g_object_get_data (G_OBJECT (window), "message");
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int bad = -1;

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      gtk_widget_remove_css_class (row, "error");
      g_ptr_array_add (ids, g_object_get_data (G_OBJECT (row), "charge"));
      g_ptr_array_add (texts, (gpointer) gtk_editable_get_text (GTK_EDITABLE (row)));
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (texts, NULL);
  if (!tend_billing_page_allocate (self, g_object_get_data (G_OBJECT (window), "payment"),
                                   (const char * const *) ids->pdata, (const char * const *) texts->pdata,
                                   &bad, &error))
    {
      if (bad >= 0 && (guint) bad < rows->len)
        {
          gtk_widget_add_css_class (g_ptr_array_index (rows, bad), "error");
          gtk_widget_grab_focus (g_ptr_array_index (rows, bad));
        }
      gtk_label_set_text (message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (message), TRUE);
      return;
    }
  toast (self, _("Payment allocated"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Building the views */

static void
on_charges_search_changed_cb (TendBillingPage *self,
                              GtkEditable     *entry)
{
  tend_table_view_set_filter_text (self->charges, gtk_editable_get_text (entry));
}

static GtkWidget *
build_charges (TendBillingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = toolbar ();
  GtkWidget *void_button = button (_("_Void…"), G_CALLBACK (on_void_clicked_cb), self);
  GtkWidget *actions, *search;

  self->void_button = void_button;
  gtk_widget_add_css_class (void_button, "destructive-action");
  gtk_box_append (GTK_BOX (bar), title_label (_("Open charges, newest first")));
  actions = toolbar_actions (bar);
  self->edit_charge_button = button (_("_Edit…"), G_CALLBACK (on_edit_charge_clicked_cb), self);
  toolbar_add (actions, self->edit_charge_button);
  self->diagnoses_button = button (_("_Diagnoses…"), G_CALLBACK (on_diagnoses_clicked_cb), self);
  toolbar_add (actions, self->diagnoses_button);
  toolbar_add (actions, void_button);
  gtk_box_append (GTK_BOX (box), bar);
  search = gtk_search_entry_new ();
  g_object_set (search, "placeholder-text", _("Search by client, service, date or who pays"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (search), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search charges"), -1);
  gtk_widget_set_margin_start (search, 12);
  gtk_widget_set_margin_end (search, 12);
  gtk_widget_set_margin_bottom (search, 6);
  gtk_box_append (GTK_BOX (box), search);
  self->charges = TEND_TABLE_VIEW (tend_table_view_new ());
  tend_table_view_set_placeholder (self->charges, _("No open charges. A session's charge appears here once its outcome is recorded."));
  g_signal_connect_swapped (search, "search-changed", G_CALLBACK (on_charges_search_changed_cb), self);
  /* What acts on "the selected charge" waits for one. */
  g_object_bind_property (self->charges, "has-selection", self->edit_charge_button, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->charges, "has-selection", self->diagnoses_button, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->charges, "has-selection", void_button, "sensitive", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->charges));
  return box;
}

/* Side by side the form stays open; folded it slides over the ledger. */
static void
on_payments_folded_cb (AdwFlap    *flap,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  adw_flap_set_reveal_flap (flap, !adw_flap_get_folded (flap));
}

static GtkWidget *
build_payments (TendBillingPage *self)
{
  GtkWidget *paned = adw_flap_new ();
  GtkWidget *form_scroller = gtk_scrolled_window_new ();
  GtkWidget *form_toggle = gtk_toggle_button_new ();
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *client_group = adw_preferences_group_new ();
  GtkWidget *pay_group = adw_preferences_group_new ();
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = toolbar ();
  GtkWidget *record;
  GtkStringList *methods = gtk_string_list_new (NULL);

  for (int m = TEND_PAYMENT_CASH; m <= TEND_PAYMENT_TRANSFER; m++)
    gtk_string_list_append (methods, tend_payment_method_get_label (m));

  gtk_widget_set_size_request (form, 300, -1);
  /* The ledger takes the width; the form keeps its own. */
  gtk_widget_set_hexpand (form, FALSE);
  gtk_widget_set_margin_start (form, 12);
  gtk_widget_set_margin_end (form, 12);
  gtk_widget_set_margin_top (form, 12);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (client_group), _("Client"));
  self->client_group = client_group;
  self->client_entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_entry), _("Name or record number"));
  adw_entry_row_set_show_apply_button (self->client_entry, TRUE);
  g_signal_connect_swapped (self->client_entry, "apply", G_CALLBACK (on_client_apply_cb), self);
  g_signal_connect_swapped (self->client_entry, "entry-activated", G_CALLBACK (on_client_apply_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (client_group), GTK_WIDGET (self->client_entry));
  self->client_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_row), _("No client chosen"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (client_group), GTK_WIDGET (self->client_row));
  /* The client's insurance belongs with the client, and keeps the ledger's bar narrow. */
  self->policies_button = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->policies_button), _("_Insurance Policies"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->policies_button), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->policies_button), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->policies_button), TRUE);
  g_signal_connect_swapped (self->policies_button, "activated", G_CALLBACK (on_policies_clicked_cb), self);
  gtk_widget_set_sensitive (self->policies_button, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (client_group), self->policies_button);
  {
    /* Statements and superbills for the portal: with the policies, for the same people. */
    GtkWidget *shared = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (shared), _("Shared in the _Portal"));
    adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (shared), TRUE);
    adw_action_row_add_suffix (ADW_ACTION_ROW (shared), gtk_image_new_from_icon_name ("go-next-symbolic"));
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (shared), TRUE);
    g_signal_connect_swapped (shared, "activated", G_CALLBACK (on_shared_bills_clicked_cb), self);
    g_object_bind_property (self->policies_button, "sensitive", shared, "sensitive", G_BINDING_SYNC_CREATE);
    g_object_bind_property (self->policies_button, "visible", shared, "visible", G_BINDING_SYNC_CREATE);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (client_group), shared);
  }
  gtk_box_append (GTK_BOX (form), client_group);

  self->pay_form = pay_group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (pay_group), _("Record a Payment"));
  self->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _("Kind"));
  {
    const char *kinds[] = { _("Payment"), _("Refund to the client"), _("Credit (no money moves)"), NULL };

    adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (gtk_string_list_new (kinds)));
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (pay_group), GTK_WIDGET (self->kind_row));
  self->amount_entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_entry), _("Amount"));
  gtk_editable_set_alignment (GTK_EDITABLE (self->amount_entry), 1.0f);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (pay_group), GTK_WIDGET (self->amount_entry));
  self->method_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->method_row), _("Method"));
  adw_combo_row_set_model (self->method_row, G_LIST_MODEL (methods));
  adw_combo_row_set_selected (self->method_row, TEND_PAYMENT_CARD);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (pay_group), GTK_WIDGET (self->method_row));
  self->reference_entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reference_entry), _("Cheque or receipt number"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (pay_group), GTK_WIDGET (self->reference_entry));
  gtk_box_append (GTK_BOX (form), pay_group);
  record = button (_("_Record Payment"), G_CALLBACK (on_record_payment_clicked_cb), self);
  gtk_widget_add_css_class (record, "suggested-action");
  gtk_widget_add_css_class (record, "pill");
  gtk_widget_set_halign (record, GTK_ALIGN_CENTER);
  g_object_bind_property (pay_group, "visible", record, "visible", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (form), record);

  gtk_button_set_icon_name (GTK_BUTTON (form_toggle), "sidebar-show-symbolic");
  gtk_widget_set_tooltip_text (form_toggle, _("Client and payment"));
  gtk_widget_set_valign (form_toggle, GTK_ALIGN_CENTER);
  g_object_bind_property (paned, "folded", form_toggle, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (paned, "reveal-flap", form_toggle, "active", G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  gtk_box_append (GTK_BOX (bar), form_toggle);
  self->balance_label = GTK_LABEL (title_label (""));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->balance_label));
  self->pdf_buttons = toolbar_actions (bar);
  self->add_charge_button = button (_("_Add Charge…"), G_CALLBACK (on_add_charge_clicked_cb), self);
  toolbar_add (self->pdf_buttons, self->add_charge_button);
  self->void_payment_button = button (_("Void _Payment…"), G_CALLBACK (on_void_payment_clicked_cb), self);
  toolbar_add (self->pdf_buttons, self->void_payment_button);
  self->allocate_button = button (_("A_llocate…"), G_CALLBACK (on_allocate_clicked_cb), self);
  gtk_widget_set_tooltip_text (self->allocate_button, _("Put the selected payment or credit on charges you choose"));
  toolbar_add (self->pdf_buttons, self->allocate_button);
  {
    /* The documents in one menu keeps the bar narrow enough for a half-screen window. */
    GtkWidget *menu = gtk_menu_button_new ();
    GtkWidget *popover = gtk_popover_new ();
    GtkWidget *items = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    const struct { const char *label; GCallback cb; } docs[] = {
      { N_("_Invoice…"), G_CALLBACK (on_invoice_clicked_cb) },
      { N_("_Statement…"), G_CALLBACK (on_statement_clicked_cb) },
      { N_("Su_perbill…"), G_CALLBACK (on_superbill_clicked_cb) },
    };

    for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
      {
        GtkWidget *item = button (_(docs[i].label), docs[i].cb, self);

        gtk_widget_add_css_class (item, "flat");
        gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (item)), GTK_ALIGN_START);
        g_signal_connect_swapped (item, "clicked", G_CALLBACK (gtk_popover_popdown), popover);
        gtk_box_append (GTK_BOX (items), item);
      }
    gtk_popover_set_child (GTK_POPOVER (popover), items);
    gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu), popover);
    gtk_menu_button_set_label (GTK_MENU_BUTTON (menu), _("PDF"));
    gtk_widget_set_tooltip_text (menu, _("Invoice, statement or superbill"));
    toolbar_add (self->pdf_buttons, menu);
  }
  gtk_widget_set_sensitive (self->pdf_buttons, FALSE);
  gtk_box_append (GTK_BOX (right), bar);
  self->ledger = TEND_TABLE_VIEW (tend_table_view_new ());
  tend_table_view_set_placeholder (self->ledger, _("Choose a client to see their account."));
  g_object_bind_property (self->ledger, "has-selection", self->void_payment_button, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->ledger, "has-selection", self->allocate_button, "sensitive", G_BINDING_SYNC_CREATE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->ledger), TRUE);
  gtk_box_append (GTK_BOX (right), GTK_WIDGET (self->ledger));

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (form_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (form_scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (form_scroller), form);
  gtk_widget_add_css_class (form_scroller, "background");
  adw_flap_set_flap (ADW_FLAP (paned), form_scroller);
  adw_flap_set_separator (ADW_FLAP (paned), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  adw_flap_set_content (ADW_FLAP (paned), right);
  g_signal_connect (paned, "notify::folded", G_CALLBACK (on_payments_folded_cb), NULL);
  return paned;
}

static GtkWidget *
build_claims (TendBillingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = toolbar ();
  GtkWidget *send = button (_("_Send Drafts as 837P…"), G_CALLBACK (on_export_837p_clicked_cb), self);
  GtkWidget *actions;

  gtk_widget_add_css_class (send, "suggested-action");
  gtk_box_append (GTK_BOX (bar), title_label (_("Claims, newest first")));
  actions = toolbar_actions (bar);
  toolbar_add (actions, button (_("_Create Claims"), G_CALLBACK (on_create_claims_clicked_cb), self));
  toolbar_add (actions, send);
  toolbar_add (actions, button (_("_Read 835…"), G_CALLBACK (on_import_835_clicked_cb), self));
  gtk_box_append (GTK_BOX (box), bar);
  self->claims = TEND_TABLE_VIEW (tend_table_view_new ());
  tend_table_view_set_placeholder (self->claims, _("No claims yet. Create Claims makes them from insurance charges."));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->claims));
  return box;
}

static GtkWidget *
build_reports (TendBillingPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = toolbar ();
  GtkWidget *actions;
  const char *titles[] = { _("Outstanding balances with aging"), _("Revenue by clinician and month"),
                           _("Unbilled sessions"), _("Claims awaiting payment"), NULL };

  self->report_choice = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (titles));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->report_choice), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Report"), -1);
  g_signal_connect_swapped (self->report_choice, "notify::selected", G_CALLBACK (on_report_selected_cb), self);
  actions = toolbar_actions (bar);
  toolbar_add (actions, GTK_WIDGET (self->report_choice));
  toolbar_add (actions, button (_("_Export CSV…"), G_CALLBACK (on_export_csv_clicked_cb), self));
  gtk_box_append (GTK_BOX (box), bar);
  self->report = TEND_TABLE_VIEW (tend_table_view_new ());
  tend_table_view_set_placeholder (self->report, _("Nothing to report."));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->report));
  return box;
}

/* Parent overrides */

static void
tend_billing_page_dispose (GObject *object)
{
  TendBillingPage *self = TEND_BILLING_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->report_cancellable != NULL)
    g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_billing_page_parent_class)->dispose (object);
}

static void
tend_billing_page_finalize (GObject *object)
{
  TendBillingPage *self = TEND_BILLING_PAGE (object);

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->charge_ids, g_ptr_array_unref);
  g_clear_pointer (&self->ledger_payment_ids, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_billing_page_parent_class)->finalize (object);
}

static void
tend_billing_page_class_init (TendBillingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_billing_page_dispose;
  object_class->finalize = tend_billing_page_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

/* First shown (or shown again after the store changed): read it now. */
static void
on_map_cb (TendBillingPage *self)
{
  if (self->stale && self->store != NULL)
    tend_billing_page_reload (self);
}

static void
on_tab_changed_cb (TendBillingPage *self)
{
  if (self->store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload_report (self);
}

static void
tend_billing_page_init (TendBillingPage *self)
{
  GtkWidget *switcher;
  GtkWidget *top = gtk_center_box_new ();
  GtkWidget *status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  AdwViewStackPage *page;

  self->charge_ids = g_ptr_array_new_with_free_func (g_free);
  self->ledger_payment_ids = g_ptr_array_new_with_free_func (g_free);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->stack = ADW_VIEW_STACK (adw_view_stack_new ());
  page = adw_view_stack_add_titled (self->stack, build_charges (self), "charges", _("Charges"));
  adw_view_stack_page_set_icon_name (page, "view-list-symbolic");
  page = adw_view_stack_add_titled (self->stack, build_payments (self), "payments", _("Payments"));
  adw_view_stack_page_set_icon_name (page, "auth-smartcard-symbolic");
  page = adw_view_stack_add_titled (self->stack, build_claims (self), "claims", _("Claims"));
  adw_view_stack_page_set_icon_name (page, "mail-send-symbolic");
  page = adw_view_stack_add_titled (self->stack, build_reports (self), "reports", _("Reports"));
  adw_view_stack_page_set_icon_name (page, "x-office-spreadsheet-symbolic");
  adw_view_stack_set_hhomogeneous (self->stack, FALSE);
  adw_view_stack_set_vhomogeneous (self->stack, FALSE);
  switcher = tend_view_switcher_new (self->stack);
  g_signal_connect_swapped (self->stack, "notify::visible-child", G_CALLBACK (on_tab_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (top), switcher);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  self->cancel_button = GTK_BUTTON (button (_("_Cancel"), G_CALLBACK (on_cancel_clicked_cb), self));
  gtk_box_append (GTK_BOX (status), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (status), GTK_WIDGET (self->cancel_button));
  {
    GtkWidget *popover = gtk_popover_new ();
    GtkWidget *item = button (_("Billing _Set-up…"), G_CALLBACK (on_setup_clicked_cb), self);

    gtk_widget_add_css_class (item, "flat");
    g_signal_connect_swapped (item, "clicked", G_CALLBACK (gtk_popover_popdown), popover);
    gtk_popover_set_child (GTK_POPOVER (popover), item);
    self->menu_button = gtk_menu_button_new ();
    gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "open-menu-symbolic");
    gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->menu_button), popover);
    gtk_widget_set_tooltip_text (self->menu_button, _("Billing menu"));
    gtk_box_append (GTK_BOX (status), self->menu_button);
  }
  gtk_widget_set_margin_end (status, 12);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (top), status);
  set_busy (self, FALSE);
  gtk_widget_set_margin_top (top, 6);
  gtk_widget_set_margin_bottom (top, 6);
  gtk_box_append (GTK_BOX (self->box), top);
  gtk_box_append (GTK_BOX (self->box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->stack));
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->toasts));
}

/* Public API */

GtkWidget *
tend_billing_page_new (void)
{
  return g_object_new (TEND_TYPE_BILLING_PAGE, NULL);
}

/* Insurance typed as text that is not a policy yet (tend-insurance.c):
 * how many intake forms wait, under the client group, and the shown
 * client's under Insurance Policies. */
static void
update_insurance_notice (TendBillingPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *all = NULL;
  guint n = tend_insurance_count_intake_pending (self->store, &error);

  if (error != NULL)
    all = g_strdup_printf (_("Insurance from intake could not be read: %s"), error->message);
  else if (n > 0)
    all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Insurance from intake awaiting review: %u form. "
                                        "Each client’s Insurance (chart, Contacts) lists it.",
                                        "Insurance from intake awaiting review: %u forms. "
                                        "Each client’s Insurance (chart, Contacts) lists them.", n), n);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->client_group), all);
  if (self->client_id != NULL)
    pending = tend_insurance_list_pending (self->store, self->client_id, NULL);
  if (pending != NULL && pending->len > 0)
    {
      /* TRANSLATORS: under Insurance Policies: the client's insurance typed as text, not a policy yet */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u awaiting review in the chart’s Contacts",
                                                            "%u awaiting review in the chart’s Contacts", pending->len),
                                               pending->len);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->policies_button), text);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->policies_button), NULL);
}

void
tend_billing_page_set_store (TendBillingPage *self,
                             TendStore       *store)
{
  g_return_if_fail (TEND_IS_BILLING_PAGE (self));
  if (!g_set_object (&self->store, store))
    return;
  g_clear_pointer (&self->client_id, g_free);
  gtk_widget_set_sensitive (self->policies_button, FALSE);
  /* Nothing is read until the section is first shown (see on_map_cb). */
  self->stale = TRUE;
  if (store != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    tend_billing_page_reload (self);
}

/**
 * tend_billing_page_set_role:
 *
 * Shows what @role may do (the store refuses the rest anyway): owners and
 * billers see everything; the front desk sees charges and payments but
 * cannot void, claim or report; clinicians see their own clients' ledgers.
 */
void
tend_billing_page_set_role (TendBillingPage *self,
                            TendRole         role)
{
  gboolean manage = tend_role_can (role, TEND_PERMISSION_MANAGE_BILLING);
  gboolean payments = tend_role_can (role, TEND_PERMISSION_RECORD_PAYMENTS);

  g_return_if_fail (TEND_IS_BILLING_PAGE (self));
  gtk_widget_set_visible (self->void_button, manage);
  gtk_widget_set_visible (self->diagnoses_button, manage);
  gtk_widget_set_visible (self->edit_charge_button, manage);
  gtk_widget_set_visible (self->add_charge_button, manage);
  gtk_widget_set_visible (self->void_payment_button, payments);
  gtk_widget_set_visible (self->allocate_button, payments);
  gtk_widget_set_visible (self->policies_button, manage);
  gtk_widget_set_visible (self->menu_button, manage);
  gtk_widget_set_visible (self->pay_form, payments);
  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->stack, adw_view_stack_get_child_by_name (self->stack, "charges")), payments);
  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->stack, adw_view_stack_get_child_by_name (self->stack, "claims")), manage);
  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->stack, adw_view_stack_get_child_by_name (self->stack, "reports")), manage);
  if (!payments)
    adw_view_stack_set_visible_child_name (self->stack, "payments");
}

void
tend_billing_page_reload (TendBillingPage *self)
{
  g_return_if_fail (TEND_IS_BILLING_PAGE (self));
  if (self->store == NULL)
    return;
  self->stale = FALSE;
  update_insurance_notice (self);
  reload_charges (self);
  reload_claims (self);
  reload_ledger (self);
  reload_report (self);
}

/**
 * tend_billing_page_show_client:
 *
 * Shows the client's ledger and balance in Payments.
 *
 * Returns: %FALSE when there is no such client
 */
gboolean
tend_billing_page_show_client (TendBillingPage *self,
                               const char      *client_id)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), FALSE);
  name = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, client_id);
  if (name == NULL)
    return FALSE;
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_row), name);
  gtk_widget_set_sensitive (self->policies_button, TRUE);
  update_insurance_notice (self);
  adw_view_stack_set_visible_child_name (self->stack, "payments");
  reload_ledger (self);
  return TRUE;
}

/**
 * tend_billing_page_record:
 * @kind: a #TendPaymentKind: a payment (allocated oldest charge first), a
 *   refund (at most the client's unapplied credit) or a credit (no money
 *   moves; billers and owners only)
 * @amount_text: as typed, in the practice's currency
 * @method: a #TendPaymentMethod (ignored for a credit)
 *
 * Records money from or to the shown client.
 */
gboolean
tend_billing_page_record (TendBillingPage *self,
                          int              kind,
                          const char      *amount_text,
                          int              method,
                          GError         **error)
{
  g_autoptr(TendPayment) payment = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;
  TendMoney amount;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), FALSE);
  if (self->client_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Choose the client first"));
      return FALSE;
    }
  practice = tend_store_load_practice (self->store, NULL);
  if (!tend_money_parse (amount_text, practice != NULL ? tend_practice_get_currency (practice) : "USD", &amount, error))
    return FALSE;
  zone = practice != NULL ? tend_practice_dup_zone (practice) : g_time_zone_new_utc ();
  now = g_date_time_new_now (zone);
  today = g_date_time_format (now, "%Y-%m-%d");
  payment = tend_payment_new (self->client_id, (TendPaymentKind) kind,
                              kind == TEND_PAYMENT_CREDIT ? TEND_PAYMENT_NONE : (TendPaymentMethod) method,
                              amount.minor, today);
  tend_record_set_string (TEND_RECORD (payment), "reference",
                          gtk_editable_get_text (GTK_EDITABLE (self->reference_entry)));
  if (!tend_billing_record_payment (self->store, payment, TRUE, error))
    return FALSE;
  tend_billing_page_reload (self);
  return TRUE;
}

gboolean
tend_billing_page_record_payment (TendBillingPage *self,
                                  const char      *amount_text,
                                  int              method,
                                  GError         **error)
{
  return tend_billing_page_record (self, TEND_PAYMENT_PAYMENT, amount_text, method, error);
}

void
tend_billing_page_show_report (TendBillingPage *self,
                               const char      *name)
{
  g_return_if_fail (TEND_IS_BILLING_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (report_names); i++)
    if (g_strcmp0 (report_names[i], name) == 0)
      {
        adw_view_stack_set_visible_child_name (self->stack, "reports");
        gtk_drop_down_set_selected (self->report_choice, i);
        reload_report (self);
      }
}

/* For tests: "charges", "ledger", "claims" or "report". */
GtkWidget *
tend_billing_page_get_view (TendBillingPage *self,
                            const char      *name)
{
  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  if (g_strcmp0 (name, "charges") == 0)
    return GTK_WIDGET (self->charges);
  if (g_strcmp0 (name, "ledger") == 0)
    return GTK_WIDGET (self->ledger);
  if (g_strcmp0 (name, "claims") == 0)
    return GTK_WIDGET (self->claims);
  if (g_strcmp0 (name, "report") == 0)
    return GTK_WIDGET (self->report);
  return NULL;
}

/**
 * tend_billing_page_add_charge:
 * @date: YYYY-MM-DD
 * @service_code: (nullable): from the catalogue
 * @description: (nullable): required without a service code
 * @amount_text: (nullable): as typed; without it, the service's fee for
 *   the client (sliding scale included)
 *
 * Adds a charge by hand for the shown client, by their primary clinician
 * (or the person signed in).
 */
gboolean
tend_billing_page_add_charge (TendBillingPage *self,
                              const char      *date,
                              const char      *service_code,
                              const char      *description,
                              const char      *amount_text,
                              GError         **error)
{
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(TendCharge) charge = NULL;
  const char *clinician;
  gint64 fee;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), FALSE);
  if (self->client_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Choose the client first"));
      return FALSE;
    }
  client = tend_store_load (self->store, TEND_TYPE_CLIENT, self->client_id, error);
  if (client == NULL)
    return FALSE;
  clinician = tend_record_get_string (client, "primary_clinician_id");
  if (clinician == NULL)
    clinician = tend_store_get_actor_id (self->store);
  if (clinician == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The client has no clinician to charge for"));
      return FALSE;
    }
  practice = tend_store_load_practice (self->store, NULL);
  if (amount_text != NULL)
    {
      TendMoney m;

      if (!tend_money_parse (amount_text, practice != NULL ? tend_practice_get_currency (practice) : "USD", &m, error))
        return FALSE;
      fee = m.minor;
    }
  else if (service_code != NULL)
    {
      fee = tend_billing_resolve_fee (self->store, service_code, clinician, self->client_id, FALSE, error);
      if (fee < 0)
        return FALSE;
    }
  else
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Amount: required without a service"));
      return FALSE;
    }
  charge = tend_charge_new (self->client_id, clinician, TEND_CHARGE_MANUAL, date, fee);
  tend_record_set_string (TEND_RECORD (charge), "service_code", service_code);
  tend_record_set_string (TEND_RECORD (charge), "description", description);
  if (!tend_billing_save_charge (self->store, charge, error))
    return FALSE;
  tend_billing_page_reload (self);
  toast (self, _("Charge added"));
  return TRUE;
}

/**
 * tend_billing_page_save_file:
 * @what: "invoice", "statement", "superbill" (for the shown client),
 *   "837p" (every draft claim), "835" (read @path) or "csv" (the shown report)
 *
 * What the file choosers do once a file is chosen: the work runs in a
 * thread; a toast says how it went.
 */
void
tend_billing_page_save_file (TendBillingPage *self,
                             const char      *what,
                             const char      *path)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (TEND_IS_BILLING_PAGE (self));
  job->path = g_strdup (path);
  job->client_id = g_strdup (self->client_id);
  if (g_str_equal (what, "invoice") || g_str_equal (what, "statement") || g_str_equal (what, "superbill"))
    {
      job->kind = JOB_PDF;
      job->bill = g_str_equal (what, "invoice") ? TEND_BILL_INVOICE :
                  g_str_equal (what, "statement") ? TEND_BILL_STATEMENT : TEND_BILL_SUPERBILL;
    }
  else if (g_str_equal (what, "837p"))
    job->kind = JOB_837P;
  else if (g_str_equal (what, "835"))
    job->kind = JOB_835;
  else
    {
      job->kind = JOB_CSV;
      job->report = (int) gtk_drop_down_get_selected (self->report_choice);
    }
  run_job (self, job);
}

gboolean
tend_billing_page_is_busy (TendBillingPage *self)
{
  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->spinner));
}

const char *
tend_billing_page_get_balance_text (TendBillingPage *self)
{
  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  return gtk_label_get_text (self->balance_label);
}

/**
 * tend_billing_page_open_setup:
 *
 * Opens the practice's billing set-up: services, payers, settings.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
tend_billing_page_open_setup (TendBillingPage *self)
{
  TendBillingSetupWindow *window;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  window = tend_billing_setup_window_new (self->store);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  /* New services and payers show in the page's lists once it closes. */
  g_signal_connect_object (window, "destroy", G_CALLBACK (tend_billing_page_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/**
 * tend_billing_page_open_policies:
 *
 * Opens the shown client's insurance policies.
 *
 * Returns: (transfer none) (nullable): the window; %NULL without a client
 */
GtkWindow *
tend_billing_page_open_policies (TendBillingPage *self)
{
  TendPolicyWindow *window;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  if (self->client_id == NULL)
    return NULL;
  window = tend_policy_window_new (self->store, self->client_id);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/**
 * tend_billing_page_open_shared_bills:
 *
 * Opens the shown client's statements and superbills shared in the portal.
 *
 * Returns: (transfer none) (nullable): the window; %NULL without a client
 */
GtkWindow *
tend_billing_page_open_shared_bills (TendBillingPage *self)
{
  TendSharedBillsWindow *window;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  if (self->client_id == NULL)
    return NULL;
  window = tend_shared_bills_window_new (self->store, self->client_id);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/**
 * tend_billing_page_open_allocate:
 * @payment_id: one of the shown client's payments or credits
 *
 * Opens a window listing the client's open charges that the client pays,
 * each with an amount to put on it from the payment.
 *
 * Returns: (transfer none) (nullable): the window; %NULL (and a toast)
 *   when nothing is left on the payment or nothing is owed
 */
GtkWindow *
tend_billing_page_open_allocate (TendBillingPage *self,
                                 const char      *payment_id)
{
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;
  gint64 left;
  g_autofree char *left_text = NULL;
  g_autofree char *description = NULL;
  GtkWidget *window, *box, *header, *cancel, *allocate, *page, *group, *message;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), NULL);
  left = tend_billing_payment_unapplied (self->store, payment_id, &error);
  if (left < 0)
    {
      toast (self, error->message);
      return NULL;
    }
  if (left == 0)
    {
      toast (self, _("Nothing is left on this payment to allocate"));
      return NULL;
    }
  charges = tend_billing_list_charges (self->store, self->client_id, TRUE, &error);
  if (charges == NULL)
    {
      toast (self, error->message);
      return NULL;
    }
  rows = g_ptr_array_new ();
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Allocate a Payment"));
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 560);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent_window (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  g_object_set_data (G_OBJECT (window), "page", self);
  g_object_set_data_full (G_OBJECT (window), "payment", g_strdup (payment_id), g_free);
  g_object_set_data_full (G_OBJECT (window), "rows", rows, (GDestroyNotify) g_ptr_array_unref);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  allocate = gtk_button_new_with_mnemonic (_("_Allocate"));
  gtk_widget_add_css_class (allocate, "suggested-action");
  g_signal_connect_swapped (allocate, "clicked", G_CALLBACK (on_allocate_window_clicked_cb), window);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), allocate);
  g_object_set_data (G_OBJECT (window), "allocate-button", allocate);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  group = adw_preferences_group_new ();
  left_text = money_text (self->store, left);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Open Charges the Client Pays"));
  /* TRANSLATORS: "$40.00 of the payment is not yet on any charge…" */
  description = g_strdup_printf (_("%s of the payment is not yet on any charge. Type how much goes on each; "
                                   "leave the others empty."), left_text);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  for (guint i = 0; i < charges->len; i++)
    {
      TendRecord *c = g_ptr_array_index (charges, i);
      gint64 owed = tend_billing_charge_remaining (self->store, tend_record_get_id (c), NULL);
      g_autofree char *owed_text = NULL;
      g_autofree char *title = NULL;
      g_autofree char *date_text = NULL;
      const char *code = tend_record_get_string (c, "service_code");
      GtkWidget *row;

      if (owed <= 0 || tend_charge_get_responsibility (TEND_CHARGE (c)) != TEND_RESPONSIBILITY_CLIENT)
        continue;
      owed_text = money_text (self->store, owed);
      {
        GDate d;

        /* The date as the locale writes it. */
        if (tend_date_parse (tend_record_get_string (c, "service_date"), &d, NULL))
          date_text = tend_date_format_local (&d);
      }
      /* TRANSLATORS: "10/30/2026 · 90834 Psychotherapy · owes $150.00" */
      title = g_strdup_printf (_("%s · %s%s%s · owes %s"),
                               date_text != NULL ? date_text : tend_record_get_string (c, "service_date"),
                               code != NULL ? code : "", code != NULL ? " " : "",
                               tend_record_get_string (c, "description") ?: "", owed_text);
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_editable_set_alignment (GTK_EDITABLE (row), 1.0f);
      g_signal_connect (row, "changed", G_CALLBACK (gtk_widget_remove_css_class), (gpointer) "error");
      g_object_set_data_full (G_OBJECT (row), "charge", g_strdup (tend_record_get_id (c)), g_free);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_ptr_array_add (rows, row);
    }
  if (rows->len == 0)
    {
      toast (self, _("The client owes nothing that this payment could go on"));
      gtk_window_destroy (GTK_WINDOW (window));
      return NULL;
    }
  message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  /* Above the list, which may scroll: the message stays in sight, and the
   * row at fault is marked where it is. */
  gtk_widget_set_margin_top (message, 12);
  gtk_widget_set_margin_start (message, 24);
  gtk_widget_set_margin_end (message, 24);
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);
  g_object_set_data (G_OBJECT (window), "message", message);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (box), message);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

/**
 * tend_billing_page_allocate:
 * @payment_id: a payment or credit of the shown client
 * @charge_ids: (array zero-terminated=1): charges
 * @amount_texts: (array zero-terminated=1): per charge, an amount as typed
 *   (empty: nothing on that charge)
 * @bad: (out) (optional): on an error about one charge, its index; else -1
 *
 * Puts the payment on the charges by hand, all in one transaction: when
 * one amount is refused nothing is allocated.
 */
gboolean
tend_billing_page_allocate (TendBillingPage    *self,
                            const char         *payment_id,
                            const char * const *charge_ids,
                            const char * const *amount_texts,
                            int                *bad,
                            GError            **error)
{
  g_autofree char *currency = NULL;
  g_autoptr(GArray) amounts = g_array_new (FALSE, TRUE, sizeof (gint64));
  guint n = g_strv_length ((char **) charge_ids);
  gboolean any = FALSE;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (self), FALSE);
  g_return_val_if_fail (g_strv_length ((char **) amount_texts) == n, FALSE);
  if (bad != NULL)
    *bad = -1;
  currency = currency_of (self->store);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (amount_texts[i]));
      TendMoney m = { 0, };

      if (*text != '\0')
        {
          if (!tend_money_parse (text, currency, &m, error))
            {
              if (bad != NULL)
                *bad = (int) i;
              return FALSE;
            }
          if (m.minor <= 0)
            {
              g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Amount: more than zero, or leave it empty"));
              if (bad != NULL)
                *bad = (int) i;
              return FALSE;
            }
          any = TRUE;
        }
      g_array_append_val (amounts, m.minor);
    }
  if (!any)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Type an amount on at least one charge"));
      return FALSE;
    }
  if (!tend_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gint64 amount = g_array_index (amounts, gint64, i);

      if (amount > 0 && !tend_billing_allocate (self->store, payment_id, charge_ids[i], amount, error))
        {
          tend_store_rollback (self->store);
          if (bad != NULL)
            *bad = (int) i;
          return FALSE;
        }
    }
  if (!tend_store_commit (self->store, error))
    return FALSE;
  tend_billing_page_reload (self);
  return TRUE;
}
