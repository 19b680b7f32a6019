/* tend-client-form.c: intake of a new client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry row per field of the client record.  Saving checks every field
 * with the record's own rules (tend_record_validate_field), marks each bad
 * row, then the rules across fields; only a record that passes is saved, in
 * one transaction: nothing is stored half done.  Consents record today's
 * signed-in user as who recorded them.  The sliding scale
 * (billing.fee_percent) is shown only to roles that may manage billing.
 * Insurance is not a field of the client: an existing client's policies
 * are shown and edited here by the chart's Insurance group
 * (tend-chart-insurance.c), saved as policy records on their own; the
 * client record's old insurance.* members are never written.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-chart-insurance.h"
#include "tend-client-form.h"
#include "tend-date-row.h"

struct _TendClientForm
{
  AdwWindow   parent_instance;

  TendStore  *store;
  TendClient *editing;     /* the client being edited, or NULL for a new one */
  GHashTable *rows;        /* field name -> AdwEntryRow */
  GPtrArray  *clinician_ids;
  AdwComboRow *clinician_row;
  AdwComboRow *status_row;
  AdwEntryRow *fee_row;    /* the sliding scale, or NULL for roles that may not manage billing */
  GtkWidget  *insurance;   /* TendChartInsurance of the client edited, or NULL for a new one */
  GtkLabel   *error_label;
  char       *error;
};

G_DEFINE_FINAL_TYPE (TendClientForm, tend_client_form, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  const char *group;
  const char *field;     /* a TendClient field, or a consent ("consents.x") */
  const char *title;
} FormRow;

static const FormRow form_rows[] = {
  { N_("Name"), "legal_given", N_("Legal first name") },
  { N_("Name"), "legal_family", N_("Legal last name") },
  { N_("Name"), "preferred_name", N_("Preferred name") },
  { N_("Name"), "pronouns", N_("Pronouns") },
  { N_("Name"), "date_of_birth", N_("Date of birth") },
  { N_("Contact"), "phone_mobile", N_("Mobile phone") },
  { N_("Contact"), "phone_home", N_("Home phone") },
  { N_("Contact"), "email", N_("Email") },
  { N_("Address"), "address.line1", N_("Street address") },
  { N_("Address"), "address.line2", N_("Address line 2") },
  { N_("Address"), "address.city", N_("City") },
  { N_("Address"), "address.region", N_("State or region") },
  { N_("Address"), "address.postal_code", N_("Postal code") },
  { N_("Emergency Contact"), "emergency_contact.name", N_("Name") },
  { N_("Emergency Contact"), "emergency_contact.relationship", N_("Relationship") },
  { N_("Emergency Contact"), "emergency_contact.phone", N_("Phone") },
  { N_("Consents"), "consents.treatment.date", N_("Consent to treatment signed on") },
  { N_("Consents"), "consents.telehealth.date", N_("Consent to telehealth signed on") },
  { N_("Consents"), "consents.release_of_information.date", N_("Release of information signed on") },
  { N_("Consents"), "consents.release_of_information.party", N_("Release of information to") },
  { N_("Referral"), "referral_source", N_("Referral source") },
};

static void
mark_row (TendClientForm *self,
          const char     *field,
          const char     *message)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, field);

  if (row == NULL)
    return;
  gtk_widget_add_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
clear_marks (TendClientForm *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
    }
}

/* A rule across fields names its field first ("Date of birth: …"): mark
 * that row too. */
static void
mark_by_message (TendClientForm *self,
                 TendRecord     *record,
                 const char     *message)
{
  for (guint i = 0; i < G_N_ELEMENTS (form_rows); i++)
    {
      const TendField *f = tend_record_find_field (record, form_rows[i].field);

      if (f != NULL && g_str_has_prefix (message, _(f->label)) && message[strlen (_(f->label))] == ':')
        mark_row (self, form_rows[i].field, message);
    }
}

static void
set_error (TendClientForm *self,
           const char     *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
is_date_field (const char *field)
{
  g_autoptr(TendClient) probe = tend_client_new (NULL, NULL);
  const TendField *f = tend_record_find_field (TEND_RECORD (probe), field);

  return f != NULL && f->kind == TEND_FIELD_DATE;
}

/**
 * tend_client_form_save:
 *
 * Returns: %TRUE when the client was saved (and ::saved emitted); %FALSE
 *   with the bad rows marked and the first problem shown
 */
gboolean
tend_client_form_save (TendClientForm *self)
{
  /* Editing starts from a copy of the stored record: fields this form does
   * not show (status, record number, a newer peer's) are kept. */
  g_autoptr(TendClient) client = self->editing != NULL ? TEND_CLIENT (tend_record_copy (TEND_RECORD (self->editing)))
                                                       : tend_client_new (NULL, NULL);
  TendRecord *record = TEND_RECORD (client);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  const char *actor = tend_store_get_actor_id (self->store);
  g_autoptr(GPtrArray) bad_dates = g_ptr_array_new ();
  guint selected;

  clear_marks (self);
  for (guint i = 0; i < G_N_ELEMENTS (form_rows); i++)
    {
      GtkEditable *entry = g_hash_table_lookup (self->rows, form_rows[i].field);

      g_autofree char *before = g_strdup (tend_record_get_string (record, form_rows[i].field));

      const TendField *f = tend_record_find_field (record, form_rows[i].field);
      g_autofree char *value = NULL;

      /* Dates typed the locale's way or as YYYY-MM-DD, or picked. */
      if (f != NULL && f->kind == TEND_FIELD_DATE)
        {
          g_autoptr(GError) date_error = NULL;

          if (!tend_date_row_get_date (GTK_WIDGET (entry), &value, &date_error))
            {
              /* TRANSLATORS: "Date of birth: <why the date was refused>" */
              g_autofree char *message = g_strdup_printf (_("%s: %s"), _(form_rows[i].title), date_error->message);

              mark_row (self, form_rows[i].field, message);
              g_ptr_array_add (bad_dates, (gpointer) form_rows[i].field);
              if (first == NULL)
                first = g_steal_pointer (&message);
              continue;
            }
        }
      else
        value = g_strdup (gtk_editable_get_text (entry));

      tend_record_set_string (record, form_rows[i].field, value);
      /* A consent newly dated is recorded by whoever is signed in. */
      if (g_str_has_prefix (form_rows[i].field, "consents.") && g_str_has_suffix (form_rows[i].field, ".date") &&
          tend_record_get_string (record, form_rows[i].field) != NULL &&
          g_strcmp0 (before, tend_record_get_string (record, form_rows[i].field)) != 0)
        {
          g_autofree char *by = g_strndup (form_rows[i].field, strlen (form_rows[i].field) - strlen (".date"));
          g_autofree char *by_field = g_strconcat (by, ".recorded_by", NULL);

          tend_record_set_string (record, by_field, actor);
        }
    }
  selected = adw_combo_row_get_selected (self->clinician_row);
  if (selected != GTK_INVALID_LIST_POSITION && selected < self->clinician_ids->len)
    tend_record_set_string (record, "primary_clinician_id", g_ptr_array_index (self->clinician_ids, selected));
  /* Active, inactive or discharged: the same order as the field's choices. */
  {
    static const char * const statuses[] = { "active", "inactive", "discharged" };
    guint status = adw_combo_row_get_selected (self->status_row);

    if (status < G_N_ELEMENTS (statuses))
      tend_record_set_string (record, "status", statuses[status]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (form_rows); i++)
    if (g_str_has_suffix (form_rows[i].field, ".date") && tend_record_get_string (record, form_rows[i].field) == NULL)
      {
        /* A consent whose date was cleared is no longer on file. */
        g_autofree char *by = g_strndup (form_rows[i].field, strlen (form_rows[i].field) - strlen (".date"));
        g_autofree char *by_field = g_strconcat (by, ".recorded_by", NULL);

        tend_record_set_string (record, by_field, NULL);
      }

  /* Every field on its own first, so every bad row is marked at once. */
  for (guint i = 0; i < G_N_ELEMENTS (form_rows); i++)
    {
      g_autoptr(GError) field_error = NULL;

      if (g_ptr_array_find_with_equal_func (bad_dates, form_rows[i].field, g_str_equal, NULL))
        continue;
      if (!tend_record_validate_field (record, form_rows[i].field, &field_error))
        {
          mark_row (self, form_rows[i].field, field_error->message);
          if (first == NULL)
            first = g_strdup (field_error->message);
        }
    }
  /* The sliding scale: a whole number from 0 to 100. */
  if (self->fee_row != NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->fee_row))));
      guint64 percent = 0;

      if (g_ascii_string_to_unsigned (text, 10, 0, 100, &percent, NULL))
        tend_record_set_int (record, "billing.fee_percent", (gint64) percent);
      else
        {
          const char *message = _("Sliding scale: enter a whole number from 0 to 100 (100 is the full fee).");

          mark_row (self, "billing.fee_percent", message);
          if (first == NULL)
            first = g_strdup (message);
        }
    }
  if (first != NULL)
    {
      set_error (self, first);
      return FALSE;
    }
  if (!tend_record_validate (record, &error) || !tend_store_save (self->store, record, &error))
    {
      mark_by_message (self, record, error->message);
      set_error (self, error->message);
      return FALSE;
    }
  set_error (self, NULL);
  g_signal_emit (self, signals[SAVED], 0, tend_record_get_id (record));
  return TRUE;
}

static void
on_save_clicked_cb (TendClientForm *self)
{
  if (tend_client_form_save (self))
    gtk_window_close (GTK_WINDOW (self));
}

static void
on_row_changed_cb (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

static void
build (TendClientForm *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *page = adw_preferences_page_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) staff = tend_store_list (self->store, TEND_TYPE_STAFF, NULL);
  GtkWidget *group = NULL;
  const char *group_name = NULL;

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (self->editing != NULL ? _("Edit Client") : _("New Client"), NULL));
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (gtk_window_close), self, G_CONNECT_SWAPPED);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_object (save, "clicked", G_CALLBACK (on_save_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (box), header);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "tend-alert");
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_margin_start (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  for (guint i = 0; i < G_N_ELEMENTS (form_rows); i++)
    {
      GtkWidget *row = is_date_field (form_rows[i].field) ? tend_date_row_new (_(form_rows[i].title))
                                                          : adw_entry_row_new ();

      if (group_name == NULL || strcmp (group_name, form_rows[i].group) != 0)
        {
          group_name = form_rows[i].group;
          group = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(group_name));
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
          if (strcmp (group_name, "Name") == 0)
            {
              /* The primary clinician, after the name. */
              self->clinician_row = ADW_COMBO_ROW (adw_combo_row_new ());
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->clinician_row), _("Primary clinician"));
            }
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(form_rows[i].title));
      g_signal_connect (row, "changed", G_CALLBACK (on_row_changed_cb), NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_hash_table_insert (self->rows, (gpointer) form_rows[i].field, row);
      if (strcmp (form_rows[i].field, "date_of_birth") == 0)
        {
          g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->clinician_row));
          /* Discharging a client (or seeing them again) is an edit. */
          self->status_row = ADW_COMBO_ROW (adw_combo_row_new ());
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _("Status"));
          gtk_string_list_append (statuses, tend_client_status_get_label (TEND_CLIENT_STATUS_ACTIVE));
          gtk_string_list_append (statuses, tend_client_status_get_label (TEND_CLIENT_STATUS_INACTIVE));
          gtk_string_list_append (statuses, tend_client_status_get_label (TEND_CLIENT_STATUS_DISCHARGED));
          adw_combo_row_set_model (self->status_row, G_LIST_MODEL (statuses));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->status_row));
        }
    }

  /* Insurance: the client's policies, once there is a client to hold them. */
  if (self->editing != NULL)
    {
      self->insurance = tend_chart_insurance_new (self->store, tend_record_get_id (TEND_RECORD (self->editing)));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->insurance));
    }
  else
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Insurance"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("Add the client’s insurance policies once the client is saved, "
                                               "from Edit or the chart’s Contacts."));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
    }

  /* The sliding scale, for those who manage billing. */
  {
    TendRole role;

    if (tend_store_get_actor_role (self->store, &role) && tend_role_can (role, TEND_PERMISSION_MANAGE_BILLING))
      {
        group = adw_preferences_group_new ();
        adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Billing"));
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                               _("The share of each fee the client pays, in percent: 100 is the full fee."));
        adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
        self->fee_row = ADW_ENTRY_ROW (adw_entry_row_new ());
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fee_row), _("Sliding scale (%)"));
        gtk_editable_set_text (GTK_EDITABLE (self->fee_row), "100");
        g_signal_connect (self->fee_row, "changed", G_CALLBACK (on_row_changed_cb), NULL);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->fee_row));
        g_hash_table_insert (self->rows, (gpointer) "billing.fee_percent", self->fee_row);
      }
  }

  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("None yet"));
  g_ptr_array_add (self->clinician_ids, NULL);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    if (tend_staff_sees_clients (g_ptr_array_index (staff, i)))
      {
        g_autofree char *name = tend_staff_dup_display_name (g_ptr_array_index (staff, i));

        gtk_string_list_append (names, name);
        g_ptr_array_add (self->clinician_ids, g_strdup (tend_record_get_id (g_ptr_array_index (staff, i))));
      }
  adw_combo_row_set_model (self->clinician_row, G_LIST_MODEL (names));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
  /* Ready to type the first name. */
  gtk_window_set_focus (GTK_WINDOW (self), g_hash_table_lookup (self->rows, "legal_given"));
}

static void
tend_client_form_finalize (GObject *object)
{
  TendClientForm *self = TEND_CLIENT_FORM (object);

  g_clear_object (&self->store);
  g_clear_object (&self->editing);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&self->error, g_free);
  G_OBJECT_CLASS (tend_client_form_parent_class)->finalize (object);
}

static void
tend_client_form_class_init (TendClientFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tend_client_form_finalize;
  /**
   * TendClientForm::saved: the new client was saved
   * @id: the client's id
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tend_client_form_init (TendClientForm *self)
{
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);
  gtk_window_set_title (GTK_WINDOW (self), _("New Client"));
}

TendClientForm *
tend_client_form_new (TendStore *store)
{
  TendClientForm *self = g_object_new (TEND_TYPE_CLIENT_FORM, NULL);

  self->store = g_object_ref (store);
  build (self);
  return self;
}

GtkEditable *
tend_client_form_get_entry (TendClientForm *self,
                            const char     *field)
{
  g_return_val_if_fail (TEND_IS_CLIENT_FORM (self), NULL);
  return g_hash_table_lookup (self->rows, field);
}

/**
 * tend_client_form_get_insurance:
 *
 * Returns: (transfer none) (nullable): the client's Insurance group
 *   (a TendChartInsurance), or %NULL for a new client
 */
GtkWidget *
tend_client_form_get_insurance (TendClientForm *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT_FORM (self), NULL);
  return self->insurance;
}

const char *
tend_client_form_get_error (TendClientForm *self)
{
  g_return_val_if_fail (TEND_IS_CLIENT_FORM (self), NULL);
  return self->error;
}

/**
 * tend_client_form_new_for_client:
 *
 * The same form, filled from @client, saving back to it.
 */
TendClientForm *
tend_client_form_new_for_client (TendStore  *store,
                                 TendClient *client)
{
  TendClientForm *self = g_object_new (TEND_TYPE_CLIENT_FORM, NULL);
  const char *clinician;

  self->store = g_object_ref (store);
  self->editing = g_object_ref (client);
  build (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Client"));
  for (guint i = 0; i < G_N_ELEMENTS (form_rows); i++)
    {
      /* Dates the locale's way, with all four digits of the year. */
      const char *value = tend_record_get_string (TEND_RECORD (client), form_rows[i].field);
      GtkWidget *row = g_hash_table_lookup (self->rows, form_rows[i].field);

      if (is_date_field (form_rows[i].field))
        tend_date_row_set_date (row, value);
      else
        gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
    }
  adw_combo_row_set_selected (self->status_row, (guint) tend_client_get_status (client));
  if (self->fee_row != NULL)
    {
      g_autofree char *percent = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  tend_record_get_int (TEND_RECORD (client), "billing.fee_percent"));

      gtk_editable_set_text (GTK_EDITABLE (self->fee_row), percent);
    }
  clinician = tend_client_get_primary_clinician (client);
  for (guint i = 1; clinician != NULL && i < self->clinician_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->clinician_ids, i), clinician) == 0)
      adw_combo_row_set_selected (self->clinician_row, i);
  return self;
}

/* As a person would choose it in the Status row. */
void
tend_client_form_set_status (TendClientForm   *self,
                             TendClientStatus  status)
{
  g_return_if_fail (TEND_IS_CLIENT_FORM (self));
  adw_combo_row_set_selected (self->status_row, (guint) status);
}
