/* tend-people-page.c: who can sign in to the practice server
 *
 * For owners of a practice that has a server: each account with its role
 * and whether it may sign in, and a form to add a person (their staff
 * record here, which syncs, and their account on the server).  Staff
 * records that have no account (colleagues who had a password on the one
 * computer a practice began on, before it moved to the server) are listed
 * with Give Sign-In, which fills the form for their own record, so their
 * sessions and notes stay theirs.  All server calls run in a thread; the
 * page says what failed and changes nothing it could not confirm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-people-page.h"

struct _TendPeoplePage
{
  AdwPreferencesPage   parent_instance;

  TendContext         *context;
  TendSyncEngine      *engine;
  GCancellable        *cancellable;
  GPtrArray           *accounts;      /* TendAccount, as last listed */
  GPtrArray           *rows;
  gboolean             filling;
  guint                busy;

  AdwPreferencesGroup *list_group;
  AdwPreferencesGroup *unlinked_group;  /* staff records without an account */
  GPtrArray           *unlinked_rows;
  GPtrArray           *unlinked_buttons; /* each row's Give Sign-In */
  char                *pending_staff_id; /* the form gives this record a sign-in */
  AdwEntryRow         *given_row;
  AdwEntryRow         *family_row;
  AdwEntryRow         *email_row;
  AdwComboRow         *role_row;
  AdwPasswordEntryRow *password_row;
  GtkButton           *add_button;
  GtkLabel            *message;
};

G_DEFINE_FINAL_TYPE (TendPeoplePage, tend_people_page, ADW_TYPE_PREFERENCES_PAGE)

static void refresh (TendPeoplePage *self);

static void
say (TendPeoplePage *self,
     const char     *text,
     gboolean        is_error)
{
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
}

/* Server calls in a thread: one function per kind of call. */

typedef struct
{
  char    *id;
  char    *role;
  int      active;
  char    *email;
  char    *name;
  char    *password;
  char    *staff_id;
} Call;

static void
call_free (Call *c)
{
  g_free (c->id);
  g_free (c->role);
  g_free (c->email);
  g_free (c->name);
  if (c->password != NULL)
    memset (c->password, 0, strlen (c->password));
  g_free (c->password);
  g_free (c->staff_id);
  g_free (c);
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  TendPeoplePage *self = source;
  GError *error = NULL;
  GPtrArray *list = tend_sync_engine_list_accounts (self->engine, cancellable, &error);

  if (list == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static void
change_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  TendPeoplePage *self = source;
  Call *c = data;
  GError *error = NULL;
  TendAccount *a;

  if (c->id != NULL)
    a = tend_sync_engine_update_account (self->engine, c->id, c->role, c->active, NULL, cancellable, &error);
  else
    a = tend_sync_engine_create_account (self->engine, c->email, c->name, c->role, c->password, c->staff_id,
                                         cancellable, &error);
  if (a == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, a, (GDestroyNotify) tend_account_free);
}

static void
set_busy (TendPeoplePage *self,
          gboolean        busy)
{
  self->busy += busy ? 1 : -1;
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->busy == 0);
}

static void
change_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TendPeoplePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendAccount) done = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  done = g_task_propagate_pointer (G_TASK (result), &error);
  if (done == NULL)
    say (self, error->message, TRUE);
  else
    {
      Call *c = g_task_get_task_data (G_TASK (result));
      g_autofree char *text = g_strdup_printf (_("Saved: %s"), done->email);

      say (self, text, FALSE);
      if (c->id == NULL)
        {
          /* Added: the form is ready for the next person. */
          g_clear_pointer (&self->pending_staff_id, g_free);
          gtk_button_set_label (self->add_button, _("_Add Person"));
          gtk_editable_set_text (GTK_EDITABLE (self->given_row), "");
          gtk_editable_set_text (GTK_EDITABLE (self->family_row), "");
          gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
        }
    }
  refresh (self);
}

static void
start_change (TendPeoplePage *self,
              Call           *c)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, change_cb, g_object_ref (self));

  set_busy (self, TRUE);
  g_task_set_task_data (task, c, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, change_thread);
}

static TendAccount *
account_of (TendPeoplePage *self,
            GObject        *widget)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (widget, "account-index"));

  return self->accounts != NULL && index < self->accounts->len ? g_ptr_array_index (self->accounts, index) : NULL;
}

static void
on_role_changed_cb (AdwComboRow    *row,
                    GParamSpec     *pspec,
                    TendPeoplePage *self)
{
  TendAccount *a = account_of (self, G_OBJECT (row));
  Call *c;

  if (self->filling || a == NULL)
    return;
  c = g_new0 (Call, 1);
  c->id = g_strdup (a->id);
  c->role = g_strdup (tend_role_to_string ((TendRole) adw_combo_row_get_selected (row)));
  c->active = -1;
  start_change (self, c);
}

static void
on_active_changed_cb (GtkSwitch      *toggle,
                      GParamSpec     *pspec,
                      TendPeoplePage *self)
{
  TendAccount *a = account_of (self, G_OBJECT (toggle));
  Call *c;

  if (self->filling || a == NULL)
    return;
  c = g_new0 (Call, 1);
  c->id = g_strdup (a->id);
  c->active = gtk_switch_get_active (toggle);
  start_change (self, c);
}

static GListModel *
role_model (void)
{
  GtkStringList *roles = gtk_string_list_new (NULL);

  for (guint i = 0; i < TEND_N_ROLES; i++)
    gtk_string_list_append (roles, tend_role_get_label ((TendRole) i));
  return G_LIST_MODEL (roles);
}

static void
fill (TendPeoplePage *self)
{
  self->filling = TRUE;
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->list_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      TendAccount *a = g_ptr_array_index (self->accounts, i);
      GtkWidget *row = adw_combo_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      g_autoptr(GListModel) roles = role_model ();
      TendRole role = TEND_ROLE_CLINICIAN;

      tend_role_from_string (a->role, &role);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), a->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), a->email);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), roles);
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), role);
      gtk_switch_set_active (GTK_SWITCH (toggle), a->active);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (toggle, _("May sign in"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      g_object_set_data (G_OBJECT (row), "account-index", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (toggle), "account-index", GUINT_TO_POINTER (i));
      g_signal_connect (row, "notify::selected", G_CALLBACK (on_role_changed_cb), self);
      g_signal_connect (toggle, "notify::active", G_CALLBACK (on_active_changed_cb), self);
      adw_preferences_group_add (self->list_group, row);
      g_ptr_array_add (self->rows, row);
    }
  self->filling = FALSE;
}

static void
on_give_sign_in_cb (GtkButton      *button,
                    TendPeoplePage *self)
{
  const char *staff_id = g_object_get_data (G_OBJECT (button), "staff-id");
  g_autoptr(TendRecord) staff = NULL;
  const char *email;

  staff = tend_store_load (tend_context_get_store (self->context), TEND_TYPE_STAFF, staff_id, NULL);
  if (staff == NULL)
    return;
  email = tend_record_get_string (staff, "email");
  gtk_editable_set_text (GTK_EDITABLE (self->given_row), tend_staff_get_given_name (TEND_STAFF (staff)));
  gtk_editable_set_text (GTK_EDITABLE (self->family_row), tend_staff_get_family_name (TEND_STAFF (staff)));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
  adw_combo_row_set_selected (self->role_row, tend_staff_get_role (TEND_STAFF (staff)));
  g_free (self->pending_staff_id);
  self->pending_staff_id = g_strdup (staff_id);
  gtk_button_set_label (self->add_button, _("_Give Sign-In"));
  gtk_widget_grab_focus (email != NULL ? GTK_WIDGET (self->password_row) : GTK_WIDGET (self->email_row));
}

/* Active staff records of this practice that no account signs in as. */
static void
fill_unlinked (TendPeoplePage *self)
{
  g_autoptr(GPtrArray) staff = tend_store_list (tend_context_get_store (self->context), TEND_TYPE_STAFF, NULL);
  g_autoptr(GHashTable) linked = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->unlinked_rows->len; i++)
    adw_preferences_group_remove (self->unlinked_group, g_ptr_array_index (self->unlinked_rows, i));
  g_ptr_array_set_size (self->unlinked_rows, 0);
  g_ptr_array_set_size (self->unlinked_buttons, 0);
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      TendAccount *a = g_ptr_array_index (self->accounts, i);

      if (a->staff_id != NULL)
        g_hash_table_add (linked, a->staff_id);
    }
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      TendStaff *person = g_ptr_array_index (staff, i);
      const char *id = tend_record_get_id (TEND_RECORD (person));
      const char *email = tend_record_get_string (TEND_RECORD (person), "email");
      g_autofree char *name = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *button;

      if (!tend_staff_get_active (person) || g_hash_table_contains (linked, id))
        continue;
      name = tend_staff_dup_display_name (person);
      subtitle = email != NULL ? g_strdup_printf ("%s · %s", tend_role_get_label (tend_staff_get_role (person)), email)
                               : g_strdup (tend_role_get_label (tend_staff_get_role (person)));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      button = gtk_button_new_with_mnemonic (_("_Give Sign-In…"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "staff-id", g_strdup (id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_give_sign_in_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (self->unlinked_group, row);
      g_ptr_array_add (self->unlinked_rows, row);
      g_ptr_array_add (self->unlinked_buttons, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->unlinked_group), self->unlinked_rows->len > 0);
}

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TendPeoplePage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  list = g_task_propagate_pointer (G_TASK (result), &error);
  if (list == NULL)
    {
      say (self, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = list;
  fill (self);
  fill_unlinked (self);
}

static void
refresh (TendPeoplePage *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, list_cb, g_object_ref (self));

  set_busy (self, TRUE);
  g_task_run_in_thread (task, list_thread);
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* A staff record here (it syncs), then the account on the server. */
static void
on_add_cb (TendPeoplePage *self)
{
  g_autofree char *email = g_strstrip (g_strdup (text_of (self->email_row)));
  g_autofree char *given = g_strstrip (g_strdup (text_of (self->given_row)));
  g_autofree char *family = g_strstrip (g_strdup (text_of (self->family_row)));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  TendRole role = (TendRole) adw_combo_row_get_selected (self->role_row);
  g_autoptr(TendStaff) staff = NULL;
  g_autoptr(GError) error = NULL;
  Call *c;

  if (*given == '\0' || *family == '\0' || !tend_email_is_valid (email) || g_utf8_strlen (password, -1) < 8)
    {
      say (self, _("Give a first and last name, a valid email and a first password of at least 8 characters."), TRUE);
      return;
    }
  if (self->pending_staff_id != NULL)
    {
      /* A colleague's own record: the account signs in as it. */
      staff = TEND_STAFF (tend_store_load (tend_context_get_store (self->context), TEND_TYPE_STAFF,
                                           self->pending_staff_id, &error));
      if (staff == NULL)
        {
          say (self, error->message, TRUE);
          return;
        }
    }
  else
    {
      staff = tend_staff_new (given, family, role);
      tend_record_set_string (TEND_RECORD (staff), "email", email);
      if (!tend_store_save (tend_context_get_store (self->context), TEND_RECORD (staff), &error))
        {
          say (self, error->message, TRUE);
          return;
        }
    }
  c = g_new0 (Call, 1);
  c->email = g_steal_pointer (&email);
  c->name = g_strdup_printf ("%s %s", given, family);
  c->role = g_strdup (tend_role_to_string (role));
  c->password = g_strdup (password);
  c->staff_id = g_strdup (tend_record_get_id (TEND_RECORD (staff)));
  c->active = -1;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  start_change (self, c);
}

static void
tend_people_page_dispose (GObject *object)
{
  TendPeoplePage *self = TEND_PEOPLE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->engine);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->unlinked_rows, g_ptr_array_unref);
  g_clear_pointer (&self->unlinked_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->pending_staff_id, g_free);
  G_OBJECT_CLASS (tend_people_page_parent_class)->dispose (object);
}

static void
tend_people_page_class_init (TendPeoplePageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_people_page_dispose;
}

static void
tend_people_page_init (TendPeoplePage *self)
{
  AdwPreferencesGroup *add = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autoptr(GListModel) roles = role_model ();

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("People"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "system-users-symbolic");

  self->list_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->list_group, _("Who Can Sign In"));
  adw_preferences_group_set_description (self->list_group,
                                         _("A new role applies at once. Switching someone off ends their sessions."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->list_group);

  self->unlinked_rows = g_ptr_array_new ();
  self->unlinked_buttons = g_ptr_array_new ();
  self->unlinked_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->unlinked_group, _("Staff Without a Sign-In"));
  adw_preferences_group_set_description (self->unlinked_group,
                                         _("People of this practice who cannot sign in to the server yet, such as "
                                           "colleagues who used this computer before the practice moved."));
  gtk_widget_set_visible (GTK_WIDGET (self->unlinked_group), FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->unlinked_group);

  adw_preferences_group_set_title (add, _("Add a Person"));
  self->given_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->given_row), _("First name"));
  self->family_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->family_row), _("Last name"));
  self->email_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->email_row), _("Email"));
  self->role_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->role_row), _("Role"));
  adw_combo_row_set_model (self->role_row, roles);
  adw_combo_row_set_selected (self->role_row, TEND_ROLE_CLINICIAN);
  self->password_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("First password (at least 8 characters)"));
  adw_preferences_group_add (add, GTK_WIDGET (self->given_row));
  adw_preferences_group_add (add, GTK_WIDGET (self->family_row));
  adw_preferences_group_add (add, GTK_WIDGET (self->email_row));
  adw_preferences_group_add (add, GTK_WIDGET (self->role_row));
  adw_preferences_group_add (add, GTK_WIDGET (self->password_row));
  self->add_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Add Person")));
  gtk_widget_set_halign (GTK_WIDGET (self->add_button), GTK_ALIGN_END);
  gtk_widget_set_margin_top (GTK_WIDGET (self->add_button), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->add_button), "suggested-action");
  g_signal_connect_swapped (self->add_button, "clicked", G_CALLBACK (on_add_cb), self);
  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->message), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  adw_preferences_group_add (add, GTK_WIDGET (self->add_button));
  adw_preferences_group_add (add, GTK_WIDGET (self->message));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), add);
}

GtkWidget *
tend_people_page_new (TendContext    *context,
                      TendSyncEngine *engine)
{
  TendPeoplePage *self = g_object_new (TEND_TYPE_PEOPLE_PAGE, NULL);

  self->context = g_object_ref (context);
  self->engine = g_object_ref (engine);
  refresh (self);
  return GTK_WIDGET (self);
}

/* For tests: fills the form and adds, as a person would. */
void
tend_people_page_add (TendPeoplePage *self,
                      const char     *given,
                      const char     *family,
                      const char     *email,
                      TendRole        role,
                      const char     *password)
{
  g_return_if_fail (TEND_IS_PEOPLE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->given_row), given);
  gtk_editable_set_text (GTK_EDITABLE (self->family_row), family);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  adw_combo_row_set_selected (self->role_row, role);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  on_add_cb (self);
}

gboolean
tend_people_page_is_busy (TendPeoplePage *self)
{
  g_return_val_if_fail (TEND_IS_PEOPLE_PAGE (self), FALSE);
  return self->busy > 0;
}

guint
tend_people_page_get_n_accounts (TendPeoplePage *self)
{
  g_return_val_if_fail (TEND_IS_PEOPLE_PAGE (self), 0);
  return self->accounts != NULL ? self->accounts->len : 0;
}

const char *
tend_people_page_get_message (TendPeoplePage *self)
{
  g_return_val_if_fail (TEND_IS_PEOPLE_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

/* For tests: Give Sign-In on @staff_id's row, then the form's password
 * and Add, as a person would.  Returns %FALSE when no row offers it. */
gboolean
tend_people_page_give_sign_in (TendPeoplePage *self,
                               const char     *staff_id,
                               const char     *password)
{
  g_return_val_if_fail (TEND_IS_PEOPLE_PAGE (self), FALSE);

  for (guint i = 0; i < self->unlinked_buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (self->unlinked_buttons, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "staff-id"), staff_id) == 0)
        {
          on_give_sign_in_cb (button, self);
          gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
          on_add_cb (self);
          return TRUE;
        }
    }
  return FALSE;
}

guint
tend_people_page_get_n_unlinked (TendPeoplePage *self)
{
  g_return_val_if_fail (TEND_IS_PEOPLE_PAGE (self), 0);
  return self->unlinked_rows->len;
}
