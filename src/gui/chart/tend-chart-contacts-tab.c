/* tend-chart-contacts-tab.c: the chart's Contacts tab: the client's
 * details, contact, emergency contact, insurance (its policies:
 * tend-chart-insurance.c) and consents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-chart.h"
#include "tend-chart-contacts-tab.h"
#include "tend-chart-insurance.h"
#include "tend-chart-util.h"
#include "tend-client-form.h"
#include "tend-related-people.h"

struct _TendChartContactsTab
{
  TendChartTab        parent_instance;

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkWidget          *edit_button;
  GtkListBox         *client_list;
  GtkListBox         *contact_list;
  GtkListBox         *emergency_list;
  TendChartInsurance *insurance;
  GtkListBox         *consents_list;
  GtkBox             *content;
  GtkWidget          *related;     /* TendRelatedPeople, for its client */
  TendSyncController *sync;        /* (nullable) for guardians' invitations */
};

G_DEFINE_FINAL_TYPE (TendChartContactsTab, tend_chart_contacts_tab, TEND_TYPE_CHART_TAB)

static void
add_row (GtkListBox *list,
         const char *title,
         const char *subtitle)
{
  gtk_list_box_append (list, tend_chart_ui_row_new (title, subtitle));
}

/* A row for a field of the client record, when it is set. */
static void
add_field (GtkListBox *list,
           TendRecord *client,
           const char *name,
           const char *label)
{
  if (tend_record_get_string (client, name) != NULL)
    add_row (list, tend_record_get_string (client, name), label);
}

/* The newest consent of @consent ("telehealth") the client signed in the
 * portal, or NULL. */
static TendRecord *
portal_signed_consent (GPtrArray  *forms,
                       const char *consent)
{
  for (guint i = 0; forms != NULL && i < forms->len; i++)
    {
      TendRecord *form = g_ptr_array_index (forms, i);

      if (g_strcmp0 (tend_record_get_string (form, "kind"), "consent") == 0 &&
          g_strcmp0 (tend_record_get_string (form, "consent"), consent) == 0 &&
          g_strcmp0 (tend_record_get_string (form, "status"), "completed") == 0)
        return form;
    }
  return NULL;
}

static void
on_client_saved_cb (TendClientForm       *form,
                    const char           *client_id,
                    TendChartContactsTab *self)
{
  /* The page reads the client again, and with it every tab. */
  tend_chart_tab_changed (TEND_CHART_TAB (self));
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Client details saved"));
}

static void
on_edit_clicked_cb (TendChartContactsTab *self)
{
  TendClient *client = tend_chart_tab_get_client (TEND_CHART_TAB (self));
  TendClientForm *form = tend_client_form_new_for_client (tend_chart_tab_get_store (TEND_CHART_TAB (self)), client);
  GtkWindow *parent = tend_chart_ui_parent_window (GTK_WIDGET (self));

  gtk_window_set_modal (GTK_WINDOW (form), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (form), parent);
  g_signal_connect_object (form, "saved", G_CALLBACK (on_client_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (form));
}

static void
fill_consents (TendChartContactsTab *self,
               GHashTable           *names)
{
  static const struct { const char *key; const char *label; } consents[] = {
    { "consents.treatment", N_("Consent to treatment") },
    { "consents.telehealth", N_("Consent to telehealth") },
    { "consents.release_of_information", N_("Release of information") },
  };
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  TendRecord *c = TEND_RECORD (tend_chart_tab_get_client (tab));
  g_autoptr(GPtrArray) portal_forms = NULL;
  g_autoptr(GError) error = NULL;

  /* A consent the client signed in the portal (its PDF is in Documents)
   * says so before any date typed by staff; when the portal's forms could
   * not be read, that is said rather than taken as none signed there. */
  portal_forms = tend_chart_list_portal_forms (store, tend_chart_tab_get_client_id (tab), &error);
  if (portal_forms == NULL && !g_error_matches (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED))
    gtk_list_box_append (self->consents_list, tend_chart_ui_error_row_new (error));
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    {
      g_autofree char *date_key = g_strconcat (consents[i].key, ".date", NULL);
      g_autofree char *by_key = g_strconcat (consents[i].key, ".recorded_by", NULL);
      const char *date = tend_record_get_string (c, date_key);
      TendRecord *signed_form = portal_signed_consent (portal_forms, consents[i].key + strlen ("consents."));
      g_autofree char *sub = NULL;

      if (signed_form != NULL)
        {
          g_autofree char *d = tend_chart_ui_format_day_of (tend_record_get_string (signed_form, "completed_at"),
                                                            tend_chart_tab_get_zone (tab));

          /* TRANSLATORS: "Signed in the portal on 12/07/2026 as “Ana Ruiz”": the name the client typed */
          sub = g_strdup_printf (_("Signed in the portal on %s as “%s”"), d,
                                 tend_record_get_string (signed_form, "signed_name"));
        }
      else if (date != NULL)
        {
          g_autofree char *d = tend_chart_ui_format_date (date);
          /* TRANSLATORS: date, staff member: "Signed 01/05/2026, recorded by Rosa Delgado" */
          sub = g_strdup_printf (_("Signed %s, recorded by %s"), d,
                                 tend_chart_ui_staff_name (store, names, tend_record_get_string (c, by_key)));
        }
      add_row (self->consents_list, _(consents[i].label), sub != NULL ? sub : _("Not on file"));
    }
  add_field (self->consents_list, c, "referral_source", _("Referral source"));
}

static void
tend_chart_contacts_tab_refresh (TendChartTab *tab)
{
  TendChartContactsTab *self = TEND_CHART_CONTACTS_TAB (tab);
  TendClient *client = tend_chart_tab_get_client (tab);
  TendRecord *c = TEND_RECORD (client);
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  g_autofree char *dob = tend_chart_ui_format_date (tend_client_get_date_of_birth (client));
  g_autofree char *legal = g_strdup_printf ("%s %s", tend_client_get_legal_given (client),
                                            tend_client_get_legal_family (client));
  GtkListBox *lists[] = { self->client_list, self->contact_list, self->emergency_list,
                          self->consents_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    tend_chart_ui_list_clear (lists[i]);
  gtk_widget_set_visible (self->edit_button, tend_chart_tab_can (tab, TEND_PERMISSION_EDIT_DEMOGRAPHICS));
  add_row (self->client_list, legal, _("Legal name"));
  if (tend_client_get_preferred_name (client) != NULL)
    add_row (self->client_list, tend_client_get_preferred_name (client), _("Preferred name"));
  add_row (self->client_list, dob, _("Date of birth"));

  add_field (self->contact_list, c, "phone_mobile", _("Mobile phone"));
  add_field (self->contact_list, c, "phone_home", _("Home phone"));
  add_field (self->contact_list, c, "email", _("Email"));
  if (tend_record_get_string (c, "address.line1") != NULL)
    {
      const char *city = tend_record_get_string (c, "address.city");
      const char *region = tend_record_get_string (c, "address.region");
      const char *postal = tend_record_get_string (c, "address.postal_code");
      g_autofree char *addr = g_strdup_printf ("%s, %s %s %s", tend_record_get_string (c, "address.line1"),
                                               city != NULL ? city : "", region != NULL ? region : "",
                                               postal != NULL ? postal : "");

      add_row (self->contact_list, addr, _("Address"));
    }
  add_field (self->emergency_list, c, "emergency_contact.name", _("Name"));
  add_field (self->emergency_list, c, "emergency_contact.relationship", _("Relationship"));
  add_field (self->emergency_list, c, "emergency_contact.phone", _("Phone"));
  tend_chart_insurance_set_client (self->insurance, tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab));
  fill_consents (self, names);
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    tend_chart_ui_list_update_visible (lists[i]);
  /* Related People keeps itself up to date (the store's changes); made
   * again only for another client. */
  if (self->related == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (self->related), "client-id"),
                                          tend_chart_tab_get_client_id (tab)) != 0)
    {
      if (self->related != NULL)
        gtk_box_remove (self->content, self->related);
      self->related = tend_related_people_new (tend_chart_tab_get_store (tab), self->sync, tend_chart_tab_get_client_id (tab));
      g_object_set_data_full (G_OBJECT (self->related), "client-id", g_strdup (tend_chart_tab_get_client_id (tab)), g_free);
      gtk_box_append (self->content, self->related);
    }
  else
    tend_related_people_refresh (TEND_RELATED_PEOPLE (self->related));
}

/**
 * tend_chart_contacts_tab_set_sync:
 * @sync: (nullable): the practice server
 */
void
tend_chart_contacts_tab_set_sync (TendChartContactsTab *self,
                                  TendSyncController   *sync)
{
  g_return_if_fail (TEND_IS_CHART_CONTACTS_TAB (self));
  g_set_object (&self->sync, sync);
  /* Made again at the next refresh, with the server. */
  if (self->related != NULL)
    gtk_box_remove (self->content, self->related);
  self->related = NULL;
}

static void
tend_chart_contacts_tab_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_CONTACTS_TAB);
  g_clear_object (&TEND_CHART_CONTACTS_TAB (object)->sync);
  G_OBJECT_CLASS (tend_chart_contacts_tab_parent_class)->dispose (object);
}

static void
tend_chart_contacts_tab_class_init (TendChartContactsTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_contacts_tab_dispose;
  tab_class->refresh = tend_chart_contacts_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  g_type_ensure (TEND_TYPE_CHART_INSURANCE);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-contacts-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, client_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, contact_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, emergency_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, insurance);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, consents_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartContactsTab, content);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
  tend_chart_tab_bind_class (widget_class);
}

static void
tend_chart_contacts_tab_init (TendChartContactsTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
