/* tend-charge-window.c: a small dialog that edits an open charge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reached from the Charges tab: a charge's fee, units, modifiers and who
 * pays.  It saves through tend_billing_save_charge(), which refuses a
 * voided charge or one on a claim that was sent; its message is shown in
 * the dialog, on the row at fault when it names one, and nothing is saved.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-billing.h"
#include "tend-charge-window.h"

struct _TendChargeWindow
{
  AdwWindow        parent_instance;

  TendStore       *store;
  TendRecordForm  *form;
};

G_DEFINE_FINAL_TYPE (TendChargeWindow, tend_charge_window, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
save_charge (TendStore  *store,
             TendRecord *record,
             GError    **error)
{
  return tend_billing_save_charge (store, TEND_CHARGE (record), error);
}

/**
 * tend_charge_window_save:
 *
 * Returns: %TRUE when the charge was saved (and ::saved emitted); %FALSE
 *   with the row at fault marked and the message under the rows
 */
gboolean
tend_charge_window_save (TendChargeWindow *self,
                         GError          **error)
{
  g_return_val_if_fail (TEND_IS_CHARGE_WINDOW (self), FALSE);
  if (!tend_record_form_save (self->form, error))
    return FALSE;
  g_signal_emit (self, signals[SAVED], 0, tend_record_get_id (tend_record_form_get_record (self->form)));
  return TRUE;
}

static void
on_save_clicked_cb (TendChargeWindow *self)
{
  /* The message is on the row at fault. */
  if (tend_charge_window_save (self, NULL))
    gtk_window_close (GTK_WINDOW (self));
}

static void
build (TendChargeWindow *self,
       TendRecord       *charge)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_CHARGE);
  const char *code = tend_record_get_string (charge, "service_code");
  const char *description = tend_record_get_string (charge, "description");
  const char *payers[] = { "client", "insurance", NULL };
  const char *payer_labels[] = { _("Client"), _("Insurance"), NULL };
  g_autofree char *service = NULL;
  g_autofree char *what = NULL;
  g_autofree char *date = NULL;

  {
    GDate d;

    date = tend_date_parse (tend_record_get_string (charge, "service_date"), &d, NULL)
           ? tend_date_format_local (&d) : g_strdup (tend_record_get_string (charge, "service_date"));
  }
  /* TRANSLATORS: a charge: its service (code and description) and its date */
  service = code != NULL && description != NULL ? g_strconcat (code, " ", description, NULL)
            : g_strdup (code != NULL ? code : description != NULL ? description : "");
  what = g_strdup_printf (_("%s on %s"), service, date != NULL ? date : "");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Edit Charge"), NULL));
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (gtk_window_close), self, G_CONNECT_SWAPPED);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_object (save, "clicked", G_CALLBACK (on_save_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Charge"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), what);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  self->form = f;
  tend_record_form_set_save (f, save_charge);
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (group), "fee", TEND_FORM_MONEY, _("Fee per unit"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (group), "units", TEND_FORM_INT, _("Units"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (group), "modifiers", TEND_FORM_TEXT,
                        _("Modifiers (up to four, like 95 HO)"));
  tend_record_form_add (f, ADW_PREFERENCES_GROUP (group), "responsibility", TEND_FORM_CHOICE, _("Who pays"));
  tend_record_form_set_choices (f, "responsibility", payers, payer_labels);
  tend_record_form_edit (f, charge);

  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
}

static void
tend_charge_window_finalize (GObject *object)
{
  TendChargeWindow *self = TEND_CHARGE_WINDOW (object);

  g_clear_pointer (&self->form, tend_record_form_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_charge_window_parent_class)->finalize (object);
}

static void
tend_charge_window_class_init (TendChargeWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_charge_window_finalize;
  /**
   * TendChargeWindow::saved: the charge was saved
   * @id: the charge's id
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tend_charge_window_init (TendChargeWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Charge"));
  gtk_window_set_default_size (GTK_WINDOW (self), 460, 440);
}

/**
 * tend_charge_window_new:
 *
 * Returns: (transfer floating) (nullable): the dialog, or %NULL with
 *   @error set when the charge cannot be read
 */
TendChargeWindow *
tend_charge_window_new (TendStore  *store,
                        const char *charge_id,
                        GError    **error)
{
  g_autoptr(TendRecord) charge = tend_store_load (store, TEND_TYPE_CHARGE, charge_id, error);
  TendChargeWindow *self;

  if (charge == NULL)
    return NULL;
  self = g_object_new (TEND_TYPE_CHARGE_WINDOW, NULL);
  self->store = g_object_ref (store);
  build (self, charge);
  return self;
}

TendRecordForm *
tend_charge_window_get_form (TendChargeWindow *self)
{
  g_return_val_if_fail (TEND_IS_CHARGE_WINDOW (self), NULL);
  return self->form;
}
