/* tend-practice-page.c: the practice's own details, for its owners
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Name, time zone, contact details, address, tax id and NPI (claims and
 * statements print them), and the notice the client portal shows clients
 * beside their messages.  The currency is not here: changing it
 * under existing charges would change what they mean.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-practice-page.h"
#include "tend-consent-texts-window.h"

struct _TendPracticePage
{
  AdwPreferencesPage parent_instance;

  TendContext       *context;
  TendRecordForm    *form;
};

G_DEFINE_FINAL_TYPE (TendPracticePage, tend_practice_page, ADW_TYPE_PREFERENCES_PAGE)

/* The context's copy is what the window, the calendar and the exports read. */
static void
on_saved_cb (gpointer data)
{
  TendPracticePage *self = data;
  TendPractice *shown = tend_context_get_practice (self->context);
  TendRecord *saved = tend_record_form_get_record (self->form);

  if (shown != NULL && saved != NULL)
    {
      g_autoptr(JsonNode) body = tend_record_serialize_body (saved);

      tend_record_load_body (TEND_RECORD (shown), body, NULL);
      g_object_notify (G_OBJECT (self->context), "practice");
    }
}

gboolean
tend_practice_page_save (TendPracticePage *self,
                         GError          **error)
{
  GtkWidget *window;

  g_return_val_if_fail (TEND_IS_PRACTICE_PAGE (self), FALSE);
  if (!tend_record_form_save (self->form, error))
    return FALSE;
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (_("Saved")));
  return TRUE;
}

static void
on_save_clicked_cb (TendPracticePage *self)
{
  /* The message is on the row at fault. */
  tend_practice_page_save (self, NULL);
}

/**
 * tend_practice_page_open_consent_texts:
 *
 * Opens the editor of the consent texts clients sign in the portal.
 *
 * Returns: (transfer none): the window
 */
/* The consent texts are saved in the practice record: the form here edits
 * the new version from then on, not the one it loaded. */
static void
on_consent_texts_closed_cb (TendPracticePage *self)
{
  g_autoptr(TendPractice) stored = tend_store_load_practice (tend_context_get_store (self->context), NULL);

  if (stored != NULL && self->form != NULL)
    tend_record_form_edit (self->form, TEND_RECORD (stored));
}

GtkWindow *
tend_practice_page_open_consent_texts (TendPracticePage *self)
{
  TendConsentTextsWindow *window = tend_consent_texts_window_new (tend_context_get_store (self->context));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_consent_texts_closed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static AdwPreferencesGroup *
group (TendPracticePage *self,
       const char       *title,
       const char       *description)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (g));
  return ADW_PREFERENCES_GROUP (g);
}

static void
tend_practice_page_dispose (GObject *object)
{
  TendPracticePage *self = TEND_PRACTICE_PAGE (object);

  g_clear_pointer (&self->form, tend_record_form_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_practice_page_parent_class)->dispose (object);
}

static void
tend_practice_page_class_init (TendPracticePageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_practice_page_dispose;
}

static void
tend_practice_page_init (TendPracticePage *self)
{
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "practice");
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Practice"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "mark-location-symbolic");
}

GtkWidget *
tend_practice_page_new (TendContext *context)
{
  TendPracticePage *self = g_object_new (TEND_TYPE_PRACTICE_PAGE, NULL);
  TendStore *store = tend_context_get_store (context);
  TendRecordForm *f = tend_record_form_new (store, TEND_TYPE_PRACTICE);
  AdwPreferencesGroup *details = group (self, _("Practice"), _("Claims, statements and the client portal show these."));
  AdwPreferencesGroup *address = group (self, _("Address"), NULL);
  AdwPreferencesGroup *messages = group (self, _("Messages with Clients"),
                                         _("Clients answer the practice’s conversations in the portal, "
                                           "beside this notice, and may start their own unless turned off. "
                                           "Without a notice of its own the portal says “Not for emergencies: "
                                           "call 988 or 911.”"));
  static const char * const start_values[] = { "clinician", "front_desk", "off", NULL };
  const char *start_labels[] = { _("Their clinician"), _("The front desk"), _("Nobody: turned off"), NULL };
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Practice Details"));
  g_autoptr(TendPractice) stored = tend_store_load_practice (store, NULL);

  self->context = g_object_ref (context);
  self->form = f;
  tend_record_form_add (f, details, "name", TEND_FORM_TEXT, _("Practice name"));
  tend_record_form_add (f, details, "time_zone", TEND_FORM_TEXT, _("Time zone, like America/Chicago"));
  tend_record_form_add (f, details, "phone", TEND_FORM_TEXT, _("Phone"));
  tend_record_form_add (f, details, "email", TEND_FORM_TEXT, _("Email"));
  tend_record_form_add (f, details, "tax_id", TEND_FORM_TEXT, _("Tax ID"));
  tend_record_form_add (f, details, "npi", TEND_FORM_TEXT, _("Practice NPI"));
  tend_record_form_add (f, address, "address.line1", TEND_FORM_TEXT, _("Address"));
  tend_record_form_add (f, address, "address.line2", TEND_FORM_TEXT, _("Address line 2"));
  tend_record_form_add (f, address, "address.city", TEND_FORM_TEXT, _("City"));
  tend_record_form_add (f, address, "address.region", TEND_FORM_TEXT, _("State or region"));
  tend_record_form_add (f, address, "address.postal_code", TEND_FORM_TEXT, _("Postal code"));
  tend_record_form_add (f, address, "address.country", TEND_FORM_TEXT, _("Country (two letters, like US)"));
  tend_record_form_add (f, messages, "messaging.client_notice", TEND_FORM_TEXT,
                        _("Notice shown to clients"));
  tend_record_form_add (f, messages, "messaging.client_start", TEND_FORM_CHOICE,
                        _("Conversations clients start go to"));
  tend_record_form_set_choices (f, "messaging.client_start", start_values, start_labels);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (messages, save);
  {
    AdwPreferencesGroup *consents = group (self, _("Consents Clients Sign"),
                                           _("The texts of the treatment, telehealth and release consents sent to the portal, "
                                             "in English and Spanish."));
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Consent _Texts"));
    adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    g_signal_connect_swapped (row, "activated", G_CALLBACK (tend_practice_page_open_consent_texts), self);
    adw_preferences_group_add (consents, row);
  }
  tend_record_form_set_saved_func (f, G_CALLBACK (on_saved_cb), self);
  tend_record_form_edit (f, stored != NULL ? TEND_RECORD (stored) : NULL);
  return GTK_WIDGET (self);
}

TendRecordForm *
tend_practice_page_get_form (TendPracticePage *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE_PAGE (self), NULL);
  return self->form;
}
