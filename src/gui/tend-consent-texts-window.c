/* tend-consent-texts-window.c: the practice's consent texts, edited by the owner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The consents a client signs in the portal (treatment, telehealth, release
 * of information) start from the practice's own text, in English and
 * Spanish, kept in the practice record (consents.*_en, consents.*_es), so
 * every workstation and tend-server have them.  An empty text means Tend's
 * own, in the sender's language.  A form holds a copy of the text it was
 * sent with, so editing here never changes what a client already signed
 * (nor its SHA-256).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-consent-texts-window.h"

#define N_CONSENTS 3
#define N_LANGUAGES 2

struct _TendConsentTextsWindow
{
  AdwWindow        parent_instance;

  TendStore       *store;
  AdwComboRow     *consent;
  AdwComboRow     *language;
  GtkTextBuffer   *buffer;
  AdwToastOverlay *toasts;
  char            *texts[N_CONSENTS][N_LANGUAGES];
  guint            shown_consent;
  guint            shown_language;
};

G_DEFINE_FINAL_TYPE (TendConsentTextsWindow, tend_consent_texts_window, ADW_TYPE_WINDOW)

static const char * const consent_keys[N_CONSENTS] = { "treatment", "telehealth", "release_of_information" };
static const char * const language_keys[N_LANGUAGES] = { "en", "es" };

static char *
member_name (guint consent,
             guint language)
{
  return g_strdup_printf ("consents.%s_%s", consent_keys[consent], language_keys[language]);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* What is in the view goes back to its consent and language. */
static void
keep_shown (TendConsentTextsWindow *self)
{
  g_free (self->texts[self->shown_consent][self->shown_language]);
  self->texts[self->shown_consent][self->shown_language] = buffer_text (self->buffer);
}

static void
show_selected (TendConsentTextsWindow *self)
{
  guint consent = MIN (adw_combo_row_get_selected (self->consent), N_CONSENTS - 1);
  guint language = MIN (adw_combo_row_get_selected (self->language), N_LANGUAGES - 1);
  const char *text;

  keep_shown (self);
  self->shown_consent = consent;
  self->shown_language = language;
  text = self->texts[consent][language];
  gtk_text_buffer_set_text (self->buffer, text != NULL ? text : "", -1);
}

/**
 * tend_consent_texts_window_save:
 *
 * Saves all six texts (what is shown included) into the practice record;
 * the store refuses anyone but the owner.
 */
gboolean
tend_consent_texts_window_save (TendConsentTextsWindow *self,
                                GError                **error)
{
  g_autoptr(TendPractice) practice = NULL;

  g_return_val_if_fail (TEND_IS_CONSENT_TEXTS_WINDOW (self), FALSE);
  keep_shown (self);
  practice = tend_store_load_practice (self->store, error);
  if (practice == NULL)
    return FALSE;
  for (guint c = 0; c < N_CONSENTS; c++)
    for (guint l = 0; l < N_LANGUAGES; l++)
      {
        g_autofree char *name = member_name (c, l);
        g_autofree char *text = g_strdup (self->texts[c][l] != NULL ? self->texts[c][l] : "");

        g_strstrip (text);
        tend_record_set_string (TEND_RECORD (practice), name, *text != '\0' ? self->texts[c][l] : NULL);
      }
  if (!tend_record_validate (TEND_RECORD (practice), error) ||
      !tend_store_save (self->store, TEND_RECORD (practice), error))
    return FALSE;
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Consent texts saved")));
  return TRUE;
}

static void
on_save_clicked_cb (TendConsentTextsWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_consent_texts_window_save (self, &error))
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
}

static void
build (TendConsentTextsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  GtkWidget *which = adw_preferences_group_new ();
  GtkWidget *text_group = adw_preferences_group_new ();
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Consent Texts"));
  const char *consents[] = { _("Consent to treatment"), _("Consent to telehealth"), _("Release of information"), NULL };
  const char *languages[] = { _("English"), _("Spanish"), NULL };
  g_autoptr(TendPractice) practice = tend_store_load_practice (self->store, NULL);
  g_autoptr(GtkStringList) consent_list = gtk_string_list_new (consents);
  g_autoptr(GtkStringList) language_list = gtk_string_list_new (languages);

  gtk_window_set_title (GTK_WINDOW (self), _("Consent Texts"));
  for (guint c = 0; c < N_CONSENTS; c++)
    for (guint l = 0; l < N_LANGUAGES; l++)
      if (practice != NULL)
        {
          g_autofree char *name = member_name (c, l);

          self->texts[c][l] = g_strdup (tend_record_get_string (TEND_RECORD (practice), name));
        }

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (which),
                                         _("Clients sign these in the portal. A form keeps the text it was sent with: "
                                           "changes here apply to consents sent from now on."));
  self->consent = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->consent), _("Consent"));
  adw_combo_row_set_model (self->consent, G_LIST_MODEL (consent_list));
  self->language = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->language), _("Language"));
  adw_combo_row_set_model (self->language, G_LIST_MODEL (language_list));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (which), GTK_WIDGET (self->consent));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (which), GTK_WIDGET (self->language));
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (which));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (text_group), _("Text the client signs"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (text_group),
                                         _("Leave it empty to use Tend’s own text in the sender’s language. "
                                           "In a release, {recipient} stands for who receives the information."));
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Text the client signs"), -1);
  self->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scroller, -1, 280);
  gtk_widget_add_css_class (scroller, "card");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (text_group), scroller);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (text_group), save);
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (text_group));

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (page));
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);

  gtk_text_buffer_set_text (self->buffer, self->texts[0][0] != NULL ? self->texts[0][0] : "", -1);
  g_signal_connect_swapped (self->consent, "notify::selected", G_CALLBACK (show_selected), self);
  g_signal_connect_swapped (self->language, "notify::selected", G_CALLBACK (show_selected), self);
}

static void
tend_consent_texts_window_finalize (GObject *object)
{
  TendConsentTextsWindow *self = TEND_CONSENT_TEXTS_WINDOW (object);

  for (guint c = 0; c < N_CONSENTS; c++)
    for (guint l = 0; l < N_LANGUAGES; l++)
      g_free (self->texts[c][l]);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_consent_texts_window_parent_class)->finalize (object);
}

static void
tend_consent_texts_window_class_init (TendConsentTextsWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_consent_texts_window_finalize;
}

static void
tend_consent_texts_window_init (TendConsentTextsWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 720);
}

TendConsentTextsWindow *
tend_consent_texts_window_new (TendStore *store)
{
  TendConsentTextsWindow *self = g_object_new (TEND_TYPE_CONSENT_TEXTS_WINDOW, NULL);

  self->store = g_object_ref (store);
  build (self);
  return self;
}

/**
 * tend_consent_texts_window_select:
 * @consent: 0 treatment, 1 telehealth, 2 release of information
 * @language: 0 English, 1 Spanish
 */
void
tend_consent_texts_window_select (TendConsentTextsWindow *self,
                                  guint                   consent,
                                  guint                   language)
{
  g_return_if_fail (TEND_IS_CONSENT_TEXTS_WINDOW (self));
  adw_combo_row_set_selected (self->consent, MIN (consent, N_CONSENTS - 1));
  adw_combo_row_set_selected (self->language, MIN (language, N_LANGUAGES - 1));
}

GtkTextBuffer *
tend_consent_texts_window_get_buffer (TendConsentTextsWindow *self)
{
  g_return_val_if_fail (TEND_IS_CONSENT_TEXTS_WINDOW (self), NULL);
  return self->buffer;
}
