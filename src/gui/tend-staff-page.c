/* tend-staff-page.c: the owner's staff list and editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything billing and supervision need of a person: name and contact,
 * role, credentials, licence and its expiry, NPI, supervisor, whether they
 * are active (people leave; their records stay, so nobody is deleted) and
 * their working hours.  Without a practice server an owner also sets the
 * password each person signs in with on this computer (the lock screen then
 * asks who is using Tend); with one, people sign in with their server
 * account, which the People page manages.  The store refuses anyone but an
 * owner, and tend-server refuses the same push.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-hours-group.h"
#include "tend-staff-page.h"

struct _TendStaffPage
{
  AdwPreferencesPage   parent_instance;

  TendContext         *context;
  TendStore           *store;
  GCancellable        *cancellable;
  TendRecordForm      *form;
  GStrv                supervisor_ids;
  TendHoursGroup      *hours;
  AdwPreferencesGroup *sign_in;       /* NULL with a server */
  AdwPasswordEntryRow *password_row;
  GtkWidget           *password_button;
  guint                busy;
};

G_DEFINE_FINAL_TYPE (TendStaffPage, tend_staff_page, ADW_TYPE_PREFERENCES_PAGE)

static void
toast (TendStaffPage *self,
       const char    *text)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

static void
describe_staff (TendRecordForm *form,
                TendRecord     *record,
                char          **title,
                char          **subtitle)
{
  TendStaff *staff = TEND_STAFF (record);
  g_autofree char *name = tend_staff_dup_display_name (staff);
  const char *license = tend_record_get_string (record, "license_expires");

  const char *role = tend_role_get_label (tend_staff_get_role (staff));

  /* The display name carries the credentials ("Sam Lee, LCSW"). */
  *title = g_steal_pointer (&name);
  if (!tend_staff_get_active (staff))
    /* TRANSLATORS: a staff member's role, and that they no longer work here */
    *subtitle = g_strdup_printf (_("%s · inactive"), role);
  else if (license != NULL)
    /* TRANSLATORS: a staff member's role, then the date their license expires */
    *subtitle = g_strdup_printf (_("%s · license expires %s"), role, license);
  else
    *subtitle = g_strdup (role);
}

/* The people who may supervise: active owners, supervisors and clinicians. */
static void
update_supervisors (TendStaffPage *self)
{
  g_autoptr(GPtrArray) staff = tend_store_list (self->store, TEND_TYPE_STAFF, NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) name_v = NULL;

  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      TendStaff *s = staff->pdata[i];
      g_autofree char *name = NULL;

      if (!tend_staff_sees_clients (s))
        continue;
      name = tend_staff_dup_display_name (s);
      g_strv_builder_add (ids, tend_record_get_id (TEND_RECORD (s)));
      g_strv_builder_add (names, name);
    }
  g_strfreev (self->supervisor_ids);
  self->supervisor_ids = g_strv_builder_end (ids);
  name_v = g_strv_builder_end (names);
  tend_record_form_set_choices (self->form, "supervisor_id", (const char * const *) self->supervisor_ids,
                                (const char * const *) name_v);
}

/* The hours are not rows of the form: they go in before the record is
 * checked and saved. */
static const char *
check_staff (TendRecordForm *form,
             TendRecord     *record,
             GError        **error)
{
  TendStaffPage *self = tend_record_form_get_data (form);

  tend_hours_group_apply (self->hours, record);
  return NULL;
}

static void
update_sign_in (TendStaffPage *self)
{
  TendRecord *shown = tend_record_form_get_record (self->form);
  g_autoptr(TendRecord) stored = NULL;

  if (self->sign_in == NULL)
    return;
  if (shown != NULL)
    stored = tend_store_load (self->store, TEND_TYPE_STAFF, tend_record_get_id (shown), NULL);
  /* A password belongs to someone saved and active. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in),
                            stored != NULL && tend_staff_get_active (TEND_STAFF (stored)) && self->busy == 0);
}

static void
on_edited_cb (gpointer data)
{
  TendStaffPage *self = data;
  TendRecord *shown = tend_record_form_get_record (self->form);
  g_autoptr(TendRecord) stored = NULL;

  if (shown != NULL)
    stored = tend_store_load (self->store, TEND_TYPE_STAFF, tend_record_get_id (shown), NULL);
  tend_hours_group_show (self->hours, stored != NULL ? TEND_STAFF (stored) : NULL);
  if (self->password_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  update_sign_in (self);
}

static void
on_saved_cb (gpointer data)
{
  TendStaffPage *self = data;

  update_supervisors (self);
  update_sign_in (self);
}

gboolean
tend_staff_page_save (TendStaffPage *self,
                      GError       **error)
{
  g_return_val_if_fail (TEND_IS_STAFF_PAGE (self), FALSE);

  if (!tend_record_form_save (self->form, error))
    return FALSE;
  toast (self, _("Saved"));
  return TRUE;
}

static void
on_save_clicked_cb (TendStaffPage *self)
{
  g_autoptr(GError) error = NULL;

  /* The form shows the message on the row at fault; the hours have none. */
  if (!tend_staff_page_save (self, &error) && tend_record_form_get_error_field (self->form) == NULL)
    toast (self, error->message);
}

static void
on_add_clicked_cb (TendStaffPage *self)
{
  tend_record_form_edit (self->form, NULL);
  gtk_widget_grab_focus (tend_record_form_get_row (self->form, "given_name"));
}

static void
password_set_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TendStaffPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  update_sign_in (self);
  if (!tend_store_set_password_finish (TEND_STORE (source), result, &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  toast (self, _("Password set: they can sign in on this computer"));
}

/**
 * tend_staff_page_set_password:
 *
 * Sets the shown person's password on this computer (hashed in a thread;
 * tend_staff_page_get_busy() says when it is done).
 */
void
tend_staff_page_set_password (TendStaffPage *self,
                              const char    *password)
{
  TendRecord *shown;

  g_return_if_fail (TEND_IS_STAFF_PAGE (self));
  shown = tend_record_form_get_record (self->form);
  if (shown == NULL || self->sign_in == NULL || password == NULL)
    return;
  self->busy++;
  update_sign_in (self);
  tend_store_set_password_async (self->store, tend_record_get_id (shown), password, self->cancellable,
                                 password_set_cb, g_object_ref (self));
}

gboolean
tend_staff_page_get_busy (TendStaffPage *self)
{
  g_return_val_if_fail (TEND_IS_STAFF_PAGE (self), FALSE);
  return self->busy > 0;
}

static void
on_set_password_clicked_cb (TendStaffPage *self)
{
  tend_staff_page_set_password (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static AdwPreferencesGroup *
group (TendStaffPage *self,
       const char    *title,
       const char    *description)
{
  GtkWidget *g = adw_preferences_group_new ();

  if (title != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (g));
  return ADW_PREFERENCES_GROUP (g);
}

static void
build (TendStaffPage *self)
{
  AdwPreferencesGroup *list = group (self, _("Staff"), _("Pick someone to change their details, or add a person."));
  AdwPreferencesGroup *form = group (self, NULL, NULL);
  AdwPreferencesGroup *buttons;
  TendRecordForm *f = tend_record_form_new (self->store, TEND_TYPE_STAFF);
  const char * const *roles = tend_role_get_nicks ();
  g_autoptr(GPtrArray) role_labels = g_ptr_array_new ();
  GtkWidget *add = gtk_button_new ();
  GtkWidget *save;

  self->form = f;
  tend_record_form_set_data (f, self);
  gtk_button_set_child (GTK_BUTTON (add), g_object_new (ADW_TYPE_BUTTON_CONTENT,
                                                        "icon-name", "list-add-symbolic",
                                                        "label", _("_Add Person"),
                                                        "use-underline", TRUE, NULL));
  gtk_widget_add_css_class (add, "flat");
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_add_clicked_cb), self);
  adw_preferences_group_set_header_suffix (list, add);
  tend_record_form_add_list (f, list, describe_staff);

  /* TRANSLATORS: the heading while a staff member is changed, with their first name */
  tend_record_form_set_heading (f, form, _("New Person"), _("%s’s Details"), "given_name");
  tend_record_form_add (f, form, "given_name", TEND_FORM_TEXT, _("First name"));
  tend_record_form_add (f, form, "family_name", TEND_FORM_TEXT, _("Last name"));
  tend_record_form_add (f, form, "role", TEND_FORM_CHOICE, _("Role"));
  for (guint i = 0; roles[i] != NULL; i++)
    g_ptr_array_add (role_labels, (gpointer) tend_role_get_label ((TendRole) i));
  g_ptr_array_add (role_labels, NULL);
  tend_record_form_set_choices (f, "role", roles, (const char * const *) role_labels->pdata);
  tend_record_form_add (f, form, "email", TEND_FORM_TEXT, _("Email"));
  tend_record_form_add (f, form, "phone", TEND_FORM_TEXT, _("Phone"));
  tend_record_form_add (f, form, "credentials", TEND_FORM_TEXT, _("Credentials, like LCSW"));
  tend_record_form_add (f, form, "license_number", TEND_FORM_TEXT, _("License number"));
  tend_record_form_add (f, form, "license_expires", TEND_FORM_DATE, _("License expires"));
  tend_record_form_add (f, form, "npi", TEND_FORM_TEXT, _("NPI (rendering provider on claims)"));
  tend_record_form_add (f, form, "supervisor_id", TEND_FORM_CHOICE, _("Supervisor"));
  /* TRANSLATORS: no supervisor */
  tend_record_form_set_optional (f, "supervisor_id", C_("supervisor", "None"));
  tend_record_form_add (f, form, "color", TEND_FORM_CHOICE, _("Colour in the calendar"));
  tend_record_form_set_optional (f, "color", _("Automatic"));
  {
    const char * const *colors = tend_staff_color_names ();
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    for (guint i = 0; colors[i] != NULL; i++)
      g_ptr_array_add (labels, (gpointer) tend_staff_color_get_label (colors[i]));
    g_ptr_array_add (labels, NULL);
    tend_record_form_set_choices (f, "color", colors, (const char * const *) labels->pdata);
  }
  tend_record_form_add (f, form, "active", TEND_FORM_SWITCH, _("Active (can sign in and be booked)"));
  update_supervisors (self);
  tend_record_form_set_check (f, check_staff);

  self->hours = TEND_HOURS_GROUP (tend_hours_group_new ());
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (self->hours));

  buttons = group (self, NULL, NULL);
  save = gtk_button_new_with_mnemonic (_("_Save Person"));
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_add_css_class (save, "pill");
  gtk_widget_set_halign (save, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  adw_preferences_group_add (buttons, save);

  if (tend_context_get_sync (self->context) == NULL)
    {
      GtkWidget *set = gtk_button_new_with_mnemonic (_("Set _Password"));

      self->sign_in = group (self, _("Sign-In on This Computer"),
                             _("Each person signs in to Tend on this computer with their own password "
                               "(8 characters or more); the lock screen asks who is using Tend."));
      self->password_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("New password"));
      adw_preferences_group_add (self->sign_in, GTK_WIDGET (self->password_row));
      gtk_widget_set_valign (set, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (set, "clicked", G_CALLBACK (on_set_password_clicked_cb), self);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->password_row), set);
      self->password_button = set;
    }

  tend_record_form_set_edited_func (f, G_CALLBACK (on_edited_cb), self);
  tend_record_form_set_saved_func (f, G_CALLBACK (on_saved_cb), self);
  tend_record_form_reload (f);
  tend_record_form_edit (f, NULL);
}

static void
tend_staff_page_dispose (GObject *object)
{
  TendStaffPage *self = TEND_STAFF_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->form, tend_record_form_free);
  g_clear_pointer (&self->supervisor_ids, g_strfreev);
  g_clear_object (&self->context);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_staff_page_parent_class)->dispose (object);
}

static void
tend_staff_page_class_init (TendStaffPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_staff_page_dispose;
}

static void
tend_staff_page_init (TendStaffPage *self)
{
  self->cancellable = g_cancellable_new ();
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "staff");
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Staff"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "system-users-symbolic");
}

GtkWidget *
tend_staff_page_new (TendContext *context)
{
  TendStaffPage *self = g_object_new (TEND_TYPE_STAFF_PAGE, NULL);

  self->context = g_object_ref (context);
  self->store = g_object_ref (tend_context_get_store (context));
  build (self);
  return GTK_WIDGET (self);
}

TendRecordForm *
tend_staff_page_get_form (TendStaffPage *self)
{
  g_return_val_if_fail (TEND_IS_STAFF_PAGE (self), NULL);
  return self->form;
}

GtkWidget *
tend_staff_page_get_hours (TendStaffPage *self)
{
  g_return_val_if_fail (TEND_IS_STAFF_PAGE (self), NULL);
  return GTK_WIDGET (self->hours);
}
