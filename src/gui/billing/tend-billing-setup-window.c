/* tend-billing-setup-window.c: the practice's billing set-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four pages for owners and billers (the store refuses anyone else): the
 * service catalogue, the clinicians' own fees for a service, the payers,
 * and the billing settings.  Services and payers are deactivated, never
 * deleted: old charges and claims name them.  A clinician's fee has no
 * active flag: it is removed (a tombstone, which syncs), since charges keep
 * their own fee and nothing else names it.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-billing.h"
#include "tend-billing-setup-window.h"
#include "tend-wrap-layout.h"

struct _TendBillingSetupWindow
{
  AdwPreferencesWindow parent_instance;

  TendStore       *store;
  TendRecordForm  *services;
  TendRecordForm  *fees;
  GStrv            fee_codes;      /* the fee form's service choices */
  GtkWidget       *remove_fee;
  TendRecordForm  *payers;
  TendRecordForm  *settings;
};

G_DEFINE_FINAL_TYPE (TendBillingSetupWindow, tend_billing_setup_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
describe_service (TendRecordForm *form,
                  TendRecord     *record,
                  char          **title,
                  char          **subtitle)
{
  g_autofree char *fee = tend_record_form_format_money (form, tend_record_get_int (record, "fee"));
  gint64 minutes = tend_record_get_int (record, "minutes");
  g_autofree char *length = minutes > 0 ? g_strdup_printf (_("%d min"), (int) minutes) : NULL;

  *title = g_strdup_printf ("%s · %s", tend_record_get_string (record, "code"),
                            tend_record_get_string (record, "description") ?: "");
  *subtitle = g_strjoin (" · ", fee, length != NULL ? length : _("no default length"),
                         tend_record_get_int (record, "active") ? NULL : _("inactive"), NULL);
}

/* Fees are looked up by code: two services with one code would leave one unused. */
static const char *
check_service (TendRecordForm *form,
               TendRecord     *record,
               GError        **error)
{
  TendBillingSetupWindow *self = g_object_get_data (G_OBJECT (tend_record_form_get_row (form, "code")), "window");
  g_autoptr(GPtrArray) services = tend_store_list (self->store, TEND_TYPE_SERVICE, NULL);
  const char *code = tend_record_get_string (record, "code");

  for (guint i = 0; services != NULL && i < services->len; i++)
    if (g_strcmp0 (tend_record_get_string (services->pdata[i], "code"), code) == 0 &&
        g_strcmp0 (tend_record_get_id (services->pdata[i]), tend_record_get_id (record)) != 0)
      {
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     _("Service code: %s is in the catalogue already; pick it below to change it"), code);
        return "code";
      }
  return NULL;
}

static TendBillingSetupWindow *
window_of (TendRecordForm *form)
{
  return g_object_get_data (G_OBJECT (tend_record_form_get_row (form, "fee")), "window");
}

static void
describe_fee (TendRecordForm *form,
              TendRecord     *record,
              char          **title,
              char          **subtitle)
{
  TendBillingSetupWindow *self = window_of (form);
  g_autofree char *name = tend_store_dup_display_name (self->store, TEND_TYPE_STAFF,
                                                       tend_record_get_string (record, "clinician_id"));

  /* TRANSLATORS: a clinician's own fee for a service: the service code and the clinician */
  *title = g_strdup_printf (_("%s · %s"), tend_record_get_string (record, "service_code"),
                            name != NULL ? name : _("Unknown clinician"));
  *subtitle = tend_record_form_format_money (form, tend_record_get_int (record, "fee"));
}

/* The store uses the first fee for a service and clinician: a second would be unused. */
static const char *
check_fee (TendRecordForm *form,
           TendRecord     *record,
           GError        **error)
{
  TendBillingSetupWindow *self = window_of (form);
  g_autoptr(GPtrArray) fees = tend_store_list (self->store, TEND_TYPE_SERVICE_FEE, NULL);
  const char *code = tend_record_get_string (record, "service_code");
  const char *clinician = tend_record_get_string (record, "clinician_id");

  for (guint i = 0; fees != NULL && i < fees->len; i++)
    if (g_strcmp0 (tend_record_get_string (fees->pdata[i], "service_code"), code) == 0 &&
        g_strcmp0 (tend_record_get_string (fees->pdata[i], "clinician_id"), clinician) == 0 &&
        g_strcmp0 (tend_record_get_id (fees->pdata[i]), tend_record_get_id (record)) != 0)
      {
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     _("Clinician: this clinician has a fee for %s already; pick it below to change it"), code);
        return "clinician_id";
      }
  return NULL;
}

/* The services a fee may be for, by code; keeps what is chosen. */
static void
update_fee_services (TendBillingSetupWindow *self)
{
  AdwComboRow *row = ADW_COMBO_ROW (tend_record_form_get_row (self->fees, "service_code"));
  guint selected = adw_combo_row_get_selected (row);
  /* Item 0 is the form's “Choose…”. */
  g_autofree char *chosen = self->fee_codes != NULL && selected >= 1 && selected <= g_strv_length (self->fee_codes)
                            ? g_strdup (self->fee_codes[selected - 1]) : NULL;
  g_autoptr(GPtrArray) services = tend_store_list (self->store, TEND_TYPE_SERVICE, NULL);
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) label_v = NULL;

  for (guint i = 0; services != NULL && i < services->len; i++)
    {
      TendRecord *r = services->pdata[i];

      g_strv_builder_add (codes, tend_record_get_string (r, "code"));
      g_ptr_array_add (labels, g_strdup_printf ("%s · %s%s", tend_record_get_string (r, "code"),
                                                tend_record_get_string (r, "description") ?: "",
                                                tend_record_get_int (r, "active") ? "" : _(" · inactive")));
    }
  g_ptr_array_add (labels, NULL);
  label_v = (GStrv) g_ptr_array_free (g_steal_pointer (&labels), FALSE);
  g_strfreev (self->fee_codes);
  self->fee_codes = g_strv_builder_end (codes);
  tend_record_form_set_choices (self->fees, "service_code", (const char * const *) self->fee_codes,
                                (const char * const *) label_v);
  selected = 0;
  for (guint i = 0; chosen != NULL && self->fee_codes[i] != NULL; i++)
    if (g_str_equal (self->fee_codes[i], chosen))
      selected = i + 1;
  adw_combo_row_set_selected (row, selected);
}

static void
describe_payer (TendRecordForm *form,
                TendRecord     *record,
                char          **title,
                char          **subtitle)
{
  *title = g_strdup (tend_record_get_string (record, "name"));
  /* TRANSLATORS: a payer's clearinghouse id and its claim filing indicator, like "60054 · CI" */
  *subtitle = g_strdup_printf (_("%s · filing %s%s"), tend_record_get_string (record, "payer_code") ?: "",
                               tend_record_get_string (record, "claim_filing") ?: "",
                               tend_record_get_int (record, "active") ? "" : _(" · inactive"));
}

static void
toast (TendBillingSetupWindow *self,
       const char             *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

gboolean
tend_billing_setup_window_save (TendBillingSetupWindow *self,
                                const char             *name,
                                GError                **error)
{
  TendRecordForm *form = tend_billing_setup_window_get_form (self, name);

  g_return_val_if_fail (form != NULL, FALSE);
  if (!tend_record_form_save (form, error))
    return FALSE;
  toast (self, _("Saved"));
  return TRUE;
}

static void
save_clicked (TendBillingSetupWindow *self,
              const char             *name)
{
  /* The message is on the row at fault. */
  tend_billing_setup_window_save (self, name, NULL);
}

static void
on_save_service_clicked_cb (TendBillingSetupWindow *self)
{
  save_clicked (self, "services");
}

static void
on_save_payer_clicked_cb (TendBillingSetupWindow *self)
{
  save_clicked (self, "payers");
}

static void
on_save_settings_clicked_cb (TendBillingSetupWindow *self)
{
  save_clicked (self, "settings");
}

static void
on_new_service_clicked_cb (TendBillingSetupWindow *self)
{
  tend_record_form_edit (self->services, NULL);
}

static void
on_save_fee_clicked_cb (TendBillingSetupWindow *self)
{
  save_clicked (self, "fees");
}

static void
on_new_fee_clicked_cb (TendBillingSetupWindow *self)
{
  tend_record_form_edit (self->fees, NULL);
  gtk_widget_set_sensitive (self->remove_fee, FALSE);
}

/**
 * tend_billing_setup_window_remove_fee:
 *
 * Removes the clinician's fee being edited: the service's own fee applies
 * to them again.
 */
gboolean
tend_billing_setup_window_remove_fee (TendBillingSetupWindow *self,
                                      GError                **error)
{
  TendRecord *shown = tend_record_form_get_record (self->fees);
  g_autoptr(TendRecord) stored = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TEND_IS_BILLING_SETUP_WINDOW (self), FALSE);
  if (shown != NULL)
    stored = tend_store_load (self->store, TEND_TYPE_SERVICE_FEE, tend_record_get_id (shown), NULL);
  if (stored == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Pick a clinician’s fee below to remove it."));
      return FALSE;
    }
  if (!tend_store_delete (self->store, stored, &local))
    {
      toast (self, local->message);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  tend_record_form_reload (self->fees);
  on_new_fee_clicked_cb (self);
  toast (self, _("Removed"));
  return TRUE;
}

static void
on_remove_fee_clicked_cb (TendBillingSetupWindow *self)
{
  tend_billing_setup_window_remove_fee (self, NULL);
}

/* Remove is for a fee that is stored. */
static void
on_fees_saved_cb (gpointer data)
{
  TendBillingSetupWindow *self = data;

  gtk_widget_set_sensitive (self->remove_fee, TRUE);
}

static void
on_fee_picked_cb (TendBillingSetupWindow *self)
{
  TendRecord *shown = tend_record_form_get_record (self->fees);
  g_autoptr(TendRecord) stored = shown != NULL ? tend_store_load (self->store, TEND_TYPE_SERVICE_FEE,
                                                                  tend_record_get_id (shown), NULL) : NULL;

  gtk_widget_set_sensitive (self->remove_fee, stored != NULL);
}

static void
on_services_saved_cb (gpointer data)
{
  update_fee_services (data);
}

static void
on_new_payer_clicked_cb (TendBillingSetupWindow *self)
{
  tend_record_form_edit (self->payers, NULL);
}

static GtkWidget *
save_button (const char *label,
             GCallback   callback,
             gpointer    data)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (b, "suggested-action");
  gtk_widget_add_css_class (b, "pill");
  gtk_widget_set_halign (b, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (b, 12);
  g_signal_connect_swapped (b, "clicked", callback, data);
  return b;
}

static GtkWidget *
new_button (GCallback callback,
            gpointer  data)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (_("_New"));

  gtk_widget_add_css_class (b, "flat");
  g_signal_connect_swapped (b, "clicked", callback, data);
  return b;
}

static AdwPreferencesGroup *
group (AdwPreferencesPage *page,
       const char         *title,
       const char         *description)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (g));
  return ADW_PREFERENCES_GROUP (g);
}

static AdwPreferencesPage *
page (TendBillingSetupWindow *self,
      const char             *name,
      const char             *title,
      const char             *icon)
{
  AdwPreferencesPage *p = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());

  adw_preferences_page_set_name (p, name);
  adw_preferences_page_set_title (p, title);
  adw_preferences_page_set_icon_name (p, icon);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), p);
  return p;
}

static void
build_services (TendBillingSetupWindow *self)
{
  AdwPreferencesPage *p = page (self, "services", _("Services"), "view-list-symbolic");
  AdwPreferencesGroup *form = group (p, _("Service"),
                                     _("Pick a service below to change it, or fill this in for a new one."));
  AdwPreferencesGroup *list = group (p, _("Catalogue"), NULL);
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_SERVICE);

  self->services = f;
  tend_record_form_add (f, form, "code", TEND_FORM_TEXT, _("CPT or HCPCS code"));
  g_object_set_data (G_OBJECT (tend_record_form_get_row (f, "code")), "window", self);
  tend_record_form_set_check (f, check_service);
  /* TRANSLATORS: the heading while a service is changed, with its code */
  tend_record_form_set_heading (f, form, _("New Service"), _("Service %s"), "code");
  tend_record_form_add (f, form, "description", TEND_FORM_TEXT, _("Short description"));
  tend_record_form_add (f, form, "minutes", TEND_FORM_INT, _("Default minutes"));
  tend_record_form_add (f, form, "fee", TEND_FORM_MONEY, _("Fee"));
  tend_record_form_add (f, form, "active", TEND_FORM_SWITCH, _("Active (offered for new charges)"));
  adw_preferences_group_add (form, save_button (_("_Save Service"), G_CALLBACK (on_save_service_clicked_cb), self));
  adw_preferences_group_set_header_suffix (list, new_button (G_CALLBACK (on_new_service_clicked_cb), self));
  tend_record_form_add_list (f, list, describe_service);
  tend_record_form_reload (f);
  tend_record_form_edit (f, NULL);
}

static void
build_fees (TendBillingSetupWindow *self)
{
  AdwPreferencesPage *p = page (self, "fees", _("Clinicians’ Fees"), "system-users-symbolic");
  AdwPreferencesGroup *form = group (p, _("New Clinician’s Fee"),
                                     _("A clinician’s own fee for a service, instead of the catalogue’s. "
                                       "Pick one below to change or remove it."));
  AdwPreferencesGroup *list = group (p, _("Fees by Clinician"), NULL);
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_SERVICE_FEE);
  g_autoptr(GPtrArray) staff = tend_store_list (self->store, TEND_TYPE_STAFF, NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) id_v = NULL;
  g_auto(GStrv) name_v = NULL;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *save = save_button (_("_Save Fee"), G_CALLBACK (on_save_fee_clicked_cb), self);

  self->fees = f;
  tend_record_form_add (f, form, "service_code", TEND_FORM_CHOICE, _("Service"));
  tend_record_form_add (f, form, "clinician_id", TEND_FORM_CHOICE, _("Clinician"));
  tend_record_form_add (f, form, "fee", TEND_FORM_MONEY, _("Fee"));
  g_object_set_data (G_OBJECT (tend_record_form_get_row (f, "fee")), "window", self);
  tend_record_form_set_check (f, check_fee);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    if (tend_staff_sees_clients (staff->pdata[i]))
      {
        g_autofree char *name = tend_staff_dup_display_name (staff->pdata[i]);

        g_strv_builder_add (ids, tend_record_get_id (staff->pdata[i]));
        g_strv_builder_add (names, name);
      }
  id_v = g_strv_builder_end (ids);
  name_v = g_strv_builder_end (names);
  tend_record_form_set_choices (f, "clinician_id", (const char * const *) id_v, (const char * const *) name_v);
  update_fee_services (self);

  self->remove_fee = gtk_button_new_with_mnemonic (_("_Remove Fee"));
  gtk_widget_add_css_class (self->remove_fee, "destructive-action");
  gtk_widget_add_css_class (self->remove_fee, "pill");
  gtk_widget_set_margin_top (self->remove_fee, 12);
  gtk_widget_set_sensitive (self->remove_fee, FALSE);
  g_signal_connect_swapped (self->remove_fee, "clicked", G_CALLBACK (on_remove_fee_clicked_cb), self);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  /* Side by side they need 367 px in Spanish: wrap at a phone's width. */
  gtk_widget_set_layout_manager (buttons, tend_wrap_layout_new (12));
  gtk_box_append (GTK_BOX (buttons), self->remove_fee);
  gtk_box_append (GTK_BOX (buttons), save);
  adw_preferences_group_add (form, buttons);
  adw_preferences_group_set_header_suffix (list, new_button (G_CALLBACK (on_new_fee_clicked_cb), self));
  /* TRANSLATORS: the heading while a clinician's fee is changed, with the service code */
  tend_record_form_set_heading (f, form, _("New Clinician’s Fee"), _("Clinician’s Fee for %s"), "service_code");
  tend_record_form_set_saved_func (f, G_CALLBACK (on_fees_saved_cb), self);
  g_signal_connect_swapped (tend_record_form_add_list (f, list, describe_fee), "row-activated",
                            G_CALLBACK (on_fee_picked_cb), self);
  tend_record_form_reload (f);
  tend_record_form_edit (f, NULL);
}

static void
build_payers (TendBillingSetupWindow *self)
{
  AdwPreferencesPage *p = page (self, "payers", _("Payers"), "system-users-symbolic");
  AdwPreferencesGroup *form = group (p, _("Payer"),
                                     _("Pick a payer below to change it, or fill this in for a new one."));
  AdwPreferencesGroup *address = group (p, _("Claims Address"), NULL);
  AdwPreferencesGroup *list = group (p, _("Payers"), NULL);
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_PAYER);

  self->payers = f;
  tend_record_form_add (f, form, "name", TEND_FORM_TEXT, _("Name"));
  /* TRANSLATORS: the heading while a payer is changed, with its name */
  tend_record_form_set_heading (f, form, _("New Payer"), _("Payer: %s"), "name");
  tend_record_form_add (f, form, "payer_code", TEND_FORM_TEXT, _("Clearinghouse payer ID"));
  tend_record_form_add (f, form, "claim_filing", TEND_FORM_CHOICE, _("Claim filing indicator"));
  {
    /* The X12 837P claim filing indicator codes (SBR09). */
    const char *codes[] = { "CI", "BL", "HM", "12", "13", "14", "15", "16", "MA", "MB", "MC", "CH", "VA", "FI",
                            "OF", "TV", "11", "17", "AM", "DS", "LM", "WC", "ZZ", NULL };
    const char *labels[] = {
      _("CI · Commercial insurance"), _("BL · Blue Cross Blue Shield"), _("HM · HMO"),
      _("12 · Preferred provider organization"), _("13 · Point of service"), _("14 · Exclusive provider organization"),
      _("15 · Indemnity insurance"), _("16 · HMO Medicare risk"), _("MA · Medicare Part A"), _("MB · Medicare Part B"),
      _("MC · Medicaid"), _("CH · TRICARE (CHAMPUS)"), _("VA · Veterans Affairs plan"),
      _("FI · Federal Employees Program"), _("OF · Other federal program"), _("TV · Title V"),
      _("11 · Other non-federal program"), _("17 · Dental maintenance organization"), _("AM · Automobile medical"),
      _("DS · Disability"), _("LM · Liability medical"), _("WC · Workers’ compensation"), _("ZZ · Mutually defined"),
      NULL
    };

    tend_record_form_set_choices (f, "claim_filing", codes, labels);
  }
  tend_record_form_add (f, form, "active", TEND_FORM_SWITCH, _("Active (offered for new policies)"));
  tend_record_form_add (f, address, "address.line1", TEND_FORM_TEXT, _("Address"));
  tend_record_form_add (f, address, "address.line2", TEND_FORM_TEXT, _("Address line 2"));
  tend_record_form_add (f, address, "address.city", TEND_FORM_TEXT, _("City"));
  tend_record_form_add (f, address, "address.region", TEND_FORM_TEXT, _("State"));
  tend_record_form_add (f, address, "address.postal_code", TEND_FORM_TEXT, _("Postal code"));
  adw_preferences_group_add (address, save_button (_("_Save Payer"), G_CALLBACK (on_save_payer_clicked_cb), self));
  adw_preferences_group_set_header_suffix (list, new_button (G_CALLBACK (on_new_payer_clicked_cb), self));
  tend_record_form_add_list (f, list, describe_payer);
  tend_record_form_reload (f);
  tend_record_form_edit (f, NULL);
}

static void
build_settings (TendBillingSetupWindow *self)
{
  AdwPreferencesPage *p = page (self, "settings", _("Settings"), "emblem-system-symbolic");
  AdwPreferencesGroup *charges = group (p, _("Charges"), NULL);
  AdwPreferencesGroup *claims = group (p, _("Claims"), NULL);
  AdwPreferencesGroup *terms = group (p, _("Statements"), NULL);
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_BILLING_SETTINGS);
  g_autoptr(TendBillingSettings) settings = tend_billing_load_settings (self->store, NULL);
  const char *charge_on[] = { "completed", "note_signed", NULL };
  const char *charge_on_labels[] = { _("The session is completed"), _("The note is signed"), NULL };
  const char *modifiers[] = { "95", "GT", "none", NULL };
  const char *modifier_labels[] = { _("95 · Synchronous"), _("GT · Interactive"), _("None"), NULL };

  self->settings = f;
  tend_record_form_add (f, charges, "charge_on", TEND_FORM_CHOICE, _("Charge a session when"));
  tend_record_form_set_choices (f, "charge_on", charge_on, charge_on_labels);
  tend_record_form_add (f, charges, "no_show_fee", TEND_FORM_MONEY, _("No-show fee"));
  tend_record_form_add (f, charges, "late_cancel_fee", TEND_FORM_MONEY, _("Late cancellation fee"));
  tend_record_form_add (f, claims, "telehealth_modifier", TEND_FORM_CHOICE, _("Telehealth modifier"));
  tend_record_form_set_choices (f, "telehealth_modifier", modifiers, modifier_labels);
  tend_record_form_add (f, claims, "office_pos", TEND_FORM_TEXT, _("Office place of service"));
  tend_record_form_add (f, claims, "telehealth_pos", TEND_FORM_TEXT, _("Telehealth place of service"));
  tend_record_form_add (f, claims, "tax_id", TEND_FORM_TEXT, _("Tax ID (EIN)"));
  tend_record_form_add (f, claims, "billing_npi", TEND_FORM_TEXT, _("Billing NPI"));
  tend_record_form_add (f, claims, "taxonomy", TEND_FORM_TEXT, _("Taxonomy code"));
  tend_record_form_add (f, claims, "submitter_id", TEND_FORM_TEXT, _("Submitter ID"));
  tend_record_form_add (f, claims, "receiver_id", TEND_FORM_TEXT, _("Receiver ID"));
  tend_record_form_add (f, claims, "receiver_name", TEND_FORM_TEXT, _("Receiver name"));
  tend_record_form_add (f, terms, "payment_terms_days", TEND_FORM_INT, _("Payment terms (days)"));
  adw_preferences_group_add (terms, save_button (_("_Save Settings"), G_CALLBACK (on_save_settings_clicked_cb), self));
  tend_record_form_edit (f, settings != NULL ? TEND_RECORD (settings) : NULL);
}

static void
tend_billing_setup_window_finalize (GObject *object)
{
  TendBillingSetupWindow *self = TEND_BILLING_SETUP_WINDOW (object);

  g_clear_pointer (&self->services, tend_record_form_free);
  g_clear_pointer (&self->fees, tend_record_form_free);
  g_clear_pointer (&self->fee_codes, g_strfreev);
  g_clear_pointer (&self->payers, tend_record_form_free);
  g_clear_pointer (&self->settings, tend_record_form_free);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_billing_setup_window_parent_class)->finalize (object);
}

static void
tend_billing_setup_window_class_init (TendBillingSetupWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_billing_setup_window_finalize;
}

static void
tend_billing_setup_window_init (TendBillingSetupWindow *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _("Billing Set-up"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 720);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

TendBillingSetupWindow *
tend_billing_setup_window_new (TendStore *store)
{
  TendBillingSetupWindow *self = g_object_new (TEND_TYPE_BILLING_SETUP_WINDOW, NULL);

  self->store = g_object_ref (store);
  build_services (self);
  build_fees (self);
  tend_record_form_set_saved_func (self->services, G_CALLBACK (on_services_saved_cb), self);
  build_payers (self);
  build_settings (self);
  return self;
}

/* @name: "services", "fees", "payers" or "settings" */
TendRecordForm *
tend_billing_setup_window_get_form (TendBillingSetupWindow *self,
                                    const char             *name)
{
  g_return_val_if_fail (TEND_IS_BILLING_SETUP_WINDOW (self), NULL);
  if (g_strcmp0 (name, "services") == 0)
    return self->services;
  if (g_strcmp0 (name, "fees") == 0)
    return self->fees;
  if (g_strcmp0 (name, "payers") == 0)
    return self->payers;
  if (g_strcmp0 (name, "settings") == 0)
    return self->settings;
  return NULL;
}
