/* tend-add-charge-window.c: a charge added by hand to the shown client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The date in the locale's way or picked (the practice's today to start
 * with), a service chosen from the catalogue by its code or words, or none
 * and a description; the amount empty for the service's fee.  What the
 * billing page refuses is said above the form, the row it is about is
 * marked, and the window stays open with everything typed.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-add-charge-window.h"
#include "tend-date-row.h"

struct _TendAddChargeWindow
{
  AdwWindow        parent_instance;

  TendBillingPage *page;       /* weak */
  GtkWidget       *banner;     /* the refusal, above the form */
  GtkWidget       *date_row;
  AdwComboRow     *service_row;
  AdwEntryRow     *description_row;
  AdwEntryRow     *amount_row;
  GPtrArray       *codes;      /* the service row's codes; "" for none */
};

G_DEFINE_FINAL_TYPE (TendAddChargeWindow, tend_add_charge_window, ADW_TYPE_WINDOW)

static void
clear_errors (TendAddChargeWindow *self)
{
  gtk_widget_set_visible (self->banner, FALSE);
  gtk_widget_remove_css_class (self->date_row, "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->description_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->amount_row), "error");
}

static const char *
selected_code (TendAddChargeWindow *self)
{
  guint i = adw_combo_row_get_selected (self->service_row);

  if (i == GTK_INVALID_LIST_POSITION || i >= self->codes->len || *(char *) self->codes->pdata[i] == '\0')
    return NULL;
  return self->codes->pdata[i];
}

/**
 * tend_add_charge_window_add:
 *
 * Adds the charge as the form says, as the Add button does.
 *
 * Returns: %FALSE (the window open, the problem shown) when refused
 */
gboolean
tend_add_charge_window_add (TendAddChargeWindow *self,
                            GError             **error)
{
  g_autofree char *date = NULL;
  const char *description, *amount;
  GtkWidget *culprit = NULL;
  GError *local = NULL;

  g_return_val_if_fail (TEND_IS_ADD_CHARGE_WINDOW (self), FALSE);
  clear_errors (self);
  description = gtk_editable_get_text (GTK_EDITABLE (self->description_row));
  amount = gtk_editable_get_text (GTK_EDITABLE (self->amount_row));
  if (!tend_date_row_get_date (self->date_row, &date, &local))
    culprit = self->date_row;
  else if (self->page == NULL)
    g_set_error_literal (&local, TEND_ERROR, TEND_ERROR_INVALID, _("The billing page is gone"));
  else if (!tend_billing_page_add_charge (self->page, date, selected_code (self),
                                          *description != '\0' ? description : NULL,
                                          *amount != '\0' ? amount : NULL, &local))
    {
      TendMoney typed;

      /* The store's messages name their field first ("Amount: …"). */
      if ((*amount != '\0' && !tend_money_parse (amount, "USD", &typed, NULL)) ||
          g_str_has_prefix (local->message, _("Amount")))
        culprit = GTK_WIDGET (self->amount_row);
      else if (g_str_has_prefix (local->message, _("Description")))
        culprit = GTK_WIDGET (self->description_row);
      else if (g_error_matches (local, TEND_ERROR, TEND_ERROR_NOT_FOUND))
        culprit = GTK_WIDGET (self->service_row);
    }
  if (local == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return TRUE;
    }
  gtk_label_set_text (GTK_LABEL (self->banner), local->message);
  gtk_widget_set_visible (self->banner, TRUE);
  if (culprit != NULL)
    {
      gtk_widget_add_css_class (culprit, "error");
      gtk_widget_grab_focus (culprit);
    }
  g_propagate_error (error, local);
  return FALSE;
}

static void
on_add_clicked_cb (TendAddChargeWindow *self)
{
  g_autoptr(GError) error = NULL;

  tend_add_charge_window_add (self, &error);
}

/**
 * tend_add_charge_window_set_service:
 * @code: (nullable): a catalogue code, or %NULL for none
 */
void
tend_add_charge_window_set_service (TendAddChargeWindow *self,
                                    const char          *code)
{
  g_return_if_fail (TEND_IS_ADD_CHARGE_WINDOW (self));
  for (guint i = 0; i < self->codes->len; i++)
    if (g_strcmp0 (self->codes->pdata[i], code != NULL ? code : "") == 0)
      adw_combo_row_set_selected (self->service_row, i);
}

/* The amount's hint follows the service: its fee, or that one is needed. */
static void
on_service_changed_cb (TendAddChargeWindow *self)
{
  gboolean none = selected_code (self) == NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->description_row),
                                 none ? _("Description") : _("Description (optional)"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row),
                                 none ? _("Amount") : _("Amount (empty for the service’s fee)"));
}

static void
tend_add_charge_window_dispose (GObject *object)
{
  TendAddChargeWindow *self = TEND_ADD_CHARGE_WINDOW (object);

  g_clear_weak_pointer (&self->page);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_add_charge_window_parent_class)->dispose (object);
}

static void
tend_add_charge_window_class_init (TendAddChargeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_add_charge_window_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tend_add_charge_window_init (TendAddChargeWindow *self)
{
  self->codes = g_ptr_array_new_with_free_func (g_free);
}

/* "90834 Psychotherapy, 45 minutes · $140.00" */
static char *
service_label (TendService *service,
               const char  *currency)
{
  TendMoney fee = tend_money_init (tend_service_get_fee (service), currency);
  g_autofree char *money = tend_money_format (&fee);

  /* TRANSLATORS: a service in a list: its code, its words and its fee */
  return g_strdup_printf (_("%s %s · %s"), tend_service_get_code (service),
                          tend_service_get_description (service) != NULL ? tend_service_get_description (service) : "",
                          money);
}

TendAddChargeWindow *
tend_add_charge_window_new (TendBillingPage *page,
                            TendStore       *store,
                            const char      *client_name)
{
  TendAddChargeWindow *self;
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);
  g_autoptr(GTimeZone) zone = practice != NULL ? tend_practice_dup_zone (practice) : g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  const char *currency = practice != NULL ? tend_practice_get_currency (practice) : "USD";
  g_autoptr(GPtrArray) services = tend_store_list (store, TEND_TYPE_SERVICE, NULL);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *view, *header, *cancel, *add, *page_widget, *group, *box, *clamp, *scroller;
  GtkExpression *expression;

  g_return_val_if_fail (TEND_IS_BILLING_PAGE (page), NULL);
  self = g_object_new (TEND_TYPE_ADD_CHARGE_WINDOW,
                       "title", _("Add a Charge"),
                       "modal", TRUE,
                       "default-width", 480,
                       "default-height", 520,
                       NULL);
  g_set_weak_pointer (&self->page, page);

  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  add = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_add_css_class (add, "suggested-action");
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), add);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), client_name != NULL ? client_name : "");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A service from the catalogue, or a description and an amount."));

  self->date_row = tend_date_row_new (_("Date"));
  tend_date_row_set_date (self->date_row, today);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->date_row);

  gtk_string_list_append (labels, _("None: a description and an amount"));
  g_ptr_array_add (self->codes, g_strdup (""));
  for (guint i = 0; services != NULL && i < services->len; i++)
    {
      g_autofree char *label = service_label (services->pdata[i], currency);

      gtk_string_list_append (labels, label);
      g_ptr_array_add (self->codes, g_strdup (tend_service_get_code (services->pdata[i])));
    }
  self->service_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->service_row), _("Service"));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  adw_combo_row_set_expression (self->service_row, expression);
  gtk_expression_unref (expression);
  adw_combo_row_set_model (self->service_row, G_LIST_MODEL (labels));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->service_row));

  self->description_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->description_row));
  self->amount_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_editable_set_alignment (GTK_EDITABLE (self->amount_row), 0.0f);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->amount_row));
  g_signal_connect_swapped (self->service_row, "notify::selected", G_CALLBACK (on_service_changed_cb), self);
  on_service_changed_cb (self);
  /* Enter in the last row adds. */
  adw_entry_row_set_show_apply_button (self->amount_row, FALSE);
  g_signal_connect_swapped (self->amount_row, "entry-activated", G_CALLBACK (on_add_clicked_cb), self);

  self->banner = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->banner), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->banner), 0.0f);
  gtk_widget_add_css_class (self->banner, "error");
  gtk_widget_set_visible (self->banner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->banner), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Problem"), -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), self->banner);
  gtk_box_append (GTK_BOX (box), group);
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  page_widget = scroller;

  view = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (view), header);
  gtk_box_append (GTK_BOX (view), page_widget);
  adw_window_set_content (ADW_WINDOW (self), view);
  gtk_window_set_default_widget (GTK_WINDOW (self), add);
  return self;
}
