/* tend-setup-page.c: the first-run page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-setup-page.h"
#include "tend-sync-engine.h"

struct _TendSetupPage
{
  GtkWidget      parent_instance;

  TendContext   *context;
  GCancellable  *cancellable;
  GtkStringList *zones;

  AdwEntryRow   *practice_row;
  AdwComboRow   *zone_row;
  AdwEntryRow   *given_row;
  AdwEntryRow   *family_row;
  AdwEntryRow   *email_row;
  AdwComboRow   *role_row;
  AdwEntryRow   *password_row;
  AdwEntryRow   *confirm_row;
  GtkLabel      *error_label;
  GtkButton     *create_button;
  GtkStack      *button_stack;
  GtkLabel      *create_label;

  GtkStack      *mode_stack;
  AdwEntryRow   *server_row;
  AdwEntryRow   *server_email_row;
  AdwEntryRow   *server_password_row;
  AdwEntryRow   *totp_row;
  AdwEntryRow   *ca_row;
  GtkLabel      *progress_label;
  GtkButton     *cancel_button;
  GCancellable  *connecting;
  guint          progress_id;
};

static void on_map_cb (TendSetupPage *self);

G_DEFINE_FINAL_TYPE (TendSetupPage, tend_setup_page, GTK_TYPE_WIDGET)

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *s)
{
  for (; s != NULL && *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static void
mark (AdwEntryRow *row,
      gboolean     bad)
{
  if (bad)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_error (TendSetupPage *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Checks what can be checked as you type; marks the fields at fault. */
static gboolean
validate (TendSetupPage *self,
          gboolean       complain)
{
  const char *email = text_of (self->email_row);
  const char *password = text_of (self->password_row);
  const char *confirm = text_of (self->confirm_row);
  g_autofree char *trimmed = g_strstrip (g_strdup (email));
  gboolean email_bad = *trimmed != '\0' && !tend_email_is_valid (trimmed);
  gboolean short_pw = *password != '\0' && g_utf8_strlen (password, -1) < 8;
  gboolean mismatch = *confirm != '\0' && g_strcmp0 (password, confirm) != 0;
  gboolean complete = !is_blank (text_of (self->practice_row)) && !is_blank (text_of (self->given_row)) &&
                      !is_blank (text_of (self->family_row)) && *password != '\0' && *confirm != '\0';

  mark (self->email_row, email_bad);
  mark (self->password_row, short_pw);
  mark (self->confirm_row, mismatch);

  if (complain)
    {
      if (email_bad)
        show_error (self, _("The email address is not valid."));
      else if (short_pw)
        show_error (self, _("Use a password of at least 8 characters."));
      else if (mismatch)
        show_error (self, _("The passwords do not match."));
      else
        show_error (self, NULL);
    }
  return complete && !email_bad && !short_pw && !mismatch;
}

static gboolean
is_connect_mode (TendSetupPage *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->mode_stack), "connect") == 0;
}

static gboolean
validate_connect (TendSetupPage *self,
                  gboolean       complain)
{
  g_autofree char *email = g_strstrip (g_strdup (text_of (self->server_email_row)));
  g_autofree char *server = g_strstrip (g_strdup (text_of (self->server_row)));
  g_autoptr(GError) error = NULL;
  gboolean email_bad = *email != '\0' && !tend_email_is_valid (email);
  gboolean server_bad = *server != '\0' && !tend_sync_check_server_url (server, &error);

  mark (self->server_row, server_bad);
  mark (self->server_email_row, email_bad);
  if (complain)
    {
      if (server_bad)
        show_error (self, error->message);
      else if (email_bad)
        show_error (self, _("The email address is not valid."));
      else
        show_error (self, NULL);
    }
  return *server != '\0' && *email != '\0' && *text_of (self->server_password_row) != '\0' &&
         !server_bad && !email_bad;
}

static void
on_field_changed_cb (TendSetupPage *self)
{
  gboolean ok = is_connect_mode (self) ? validate_connect (self, FALSE) : validate (self, FALSE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), ok && self->connecting == NULL);
}

static void
on_mode_changed_cb (TendSetupPage *self)
{
  gtk_label_set_text_with_mnemonic (self->create_label, is_connect_mode (self) ? _("_Connect") : _("_Create Practice"));
  show_error (self, NULL);
  on_field_changed_cb (self);
}

static void
set_busy (TendSetupPage *self,
          gboolean       busy)
{
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), !busy);
}

static void
setup_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TendSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (!tend_context_setup_finish (TEND_CONTEXT (source), result, &error))
    {
      /* Everything typed stays in the form. */
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
}

void
tend_setup_page_submit (TendSetupPage *self)
{
  g_autofree char *email = NULL;
  TendSetupInfo info = { 0 };
  const char *zone;

  g_return_if_fail (TEND_IS_SETUP_PAGE (self));

  if (is_connect_mode (self))
    {
      tend_setup_page_connect (self);
      return;
    }
  if (self->context == NULL || !validate (self, TRUE))
    return;
  on_map_cb (self);

  zone = gtk_string_list_get_string (self->zones, adw_combo_row_get_selected (self->zone_row));
  email = g_strstrip (g_strdup (text_of (self->email_row)));
  info.practice_name = text_of (self->practice_row);
  info.time_zone = zone;
  info.given_name = text_of (self->given_row);
  info.family_name = text_of (self->family_row);
  info.email = *email != '\0' ? email : NULL;
  info.role = (TendRole) adw_combo_row_get_selected (self->role_row);
  info.password = text_of (self->password_row);

  show_error (self, NULL);
  set_busy (self, TRUE);
  tend_context_setup_async (self->context, &info, self->cancellable, setup_cb, g_object_ref (self));
}

static void
on_create_cb (TendSetupPage *self)
{
  tend_setup_page_submit (self);
}

/* Connecting to a practice server: a first full sync, with its progress,
 * that can be cancelled (and then leaves nothing behind). */

static gboolean
on_progress_cb (gpointer user_data)
{
  TendSetupPage *self = user_data;
  guint n = self->context != NULL ? tend_context_get_connect_progress (self->context) : 0;
  g_autofree char *count = g_strdup_printf ("%'u", n);
  g_autofree char *text = g_strdup_printf (_("Receiving the practice’s records: %s"), count);

  gtk_label_set_text (self->progress_label, n == 0 ? _("Signing in…") : text);
  return G_SOURCE_CONTINUE;
}

static void
set_connecting (TendSetupPage *self,
                gboolean       on)
{
  set_busy (self, on);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), on);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_label), on);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_stack), !on);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (on)
    {
      on_progress_cb (self);
      self->progress_id = g_timeout_add (200, on_progress_cb, self);
    }
  else
    g_clear_object (&self->connecting);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TendSetupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = tend_context_connect_finish (TEND_CONTEXT (source), result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_connecting (self, FALSE);
  on_field_changed_cb (self);
  if (!ok)
    {
      /* What was typed stays, except nothing: the password too, to retry. */
      show_error (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                          ? _("Connecting was cancelled; nothing was kept.") : error->message);
      return;
    }
  show_error (self, NULL);
}

void
tend_setup_page_connect (TendSetupPage *self)
{
  TendConnectInfo info = { 0 };
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;

  g_return_if_fail (TEND_IS_SETUP_PAGE (self));

  if (self->context == NULL || self->connecting != NULL || !validate_connect (self, TRUE))
    return;
  server = g_strstrip (g_strdup (text_of (self->server_row)));
  email = g_strstrip (g_strdup (text_of (self->server_email_row)));
  info.server = server;
  info.email = email;
  info.password = text_of (self->server_password_row);
  info.totp = text_of (self->totp_row);
  info.ca_file = text_of (self->ca_row);
  show_error (self, NULL);
  self->connecting = g_cancellable_new ();
  set_connecting (self, TRUE);
  tend_context_connect_async (self->context, &info, self->connecting, connect_cb, g_object_ref (self));
}

static void
on_cancel_cb (TendSetupPage *self)
{
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
}

/* For tests: fills the server form as a person would. */
void
tend_setup_page_fill_connect (TendSetupPage *self,
                              const char    *server,
                              const char    *email,
                              const char    *password)
{
  g_return_if_fail (TEND_IS_SETUP_PAGE (self));

  gtk_stack_set_visible_child_name (self->mode_stack, "connect");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->server_email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->server_password_row), password);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
fill_zones (TendSetupPage *self)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *local_id = g_time_zone_get_identifier (local);
  guint selected = 0;

  if (g_file_get_contents ("/usr/share/zoneinfo/zone1970.tab", &contents, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) cols = NULL;

          if (lines[i][0] == '#' || lines[i][0] == '\0')
            continue;
          cols = g_strsplit (lines[i], "\t", -1);
          if (g_strv_length (cols) >= 3)
            g_ptr_array_add (names, g_strdup (cols[2]));
        }
    }
  if (names->len == 0)
    {
      static const char * const fallback[] = {
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
        "America/Anchorage", "Pacific/Honolulu", "America/Toronto", "Europe/London",
      };
      for (guint i = 0; i < G_N_ELEMENTS (fallback); i++)
        g_ptr_array_add (names, g_strdup (fallback[i]));
    }
  g_ptr_array_add (names, g_strdup ("UTC"));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      gtk_string_list_append (self->zones, name);
      if (g_strcmp0 (name, local_id) == 0 ||
          (selected == 0 && g_strcmp0 (name, "America/New_York") == 0))
        selected = i;
    }
  adw_combo_row_set_model (self->zone_row, G_LIST_MODEL (self->zones));
  adw_combo_row_set_selected (self->zone_row, selected);
}

static void
on_map_cb (TendSetupPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->zones)) == 0)
    fill_zones (self);
}

static void
fill_roles (TendSetupPage *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  for (guint i = 0; i < TEND_N_ROLES; i++)
    gtk_string_list_append (roles, tend_role_get_label ((TendRole) i));
  adw_combo_row_set_model (self->role_row, G_LIST_MODEL (roles));
  adw_combo_row_set_selected (self->role_row, TEND_ROLE_OWNER);
}

static void
tend_setup_page_dispose (GObject *object)
{
  TendSetupPage *self = TEND_SETUP_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_SETUP_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);
  g_clear_object (&self->zones);
  G_OBJECT_CLASS (tend_setup_page_parent_class)->dispose (object);
}

static void
tend_setup_page_class_init (TendSetupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_setup_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tend-setup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, practice_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, zone_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, given_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, family_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, role_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, create_label);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, server_email_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, server_password_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, totp_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, ca_row);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TendSetupPage, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_create_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_cb);
}

static void
tend_setup_page_init (TendSetupPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->zones = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_roles (self);
  /* Four hundred zones are read only when someone sets up a practice. */
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}

void
tend_setup_page_set_context (TendSetupPage *self,
                             TendContext   *context)
{
  g_return_if_fail (TEND_IS_SETUP_PAGE (self));
  g_set_object (&self->context, context);
}

/* For tests and scripted demos: fills the form as a person would. */
void
tend_setup_page_fill (TendSetupPage *self,
                      const char    *practice,
                      const char    *time_zone,
                      const char    *given_name,
                      const char    *family_name,
                      const char    *password)
{
  guint n;

  g_return_if_fail (TEND_IS_SETUP_PAGE (self));

  on_map_cb (self);
  gtk_editable_set_text (GTK_EDITABLE (self->practice_row), practice);
  gtk_editable_set_text (GTK_EDITABLE (self->given_row), given_name);
  gtk_editable_set_text (GTK_EDITABLE (self->family_row), family_name);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), password);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->zones));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->zones, i), time_zone) == 0)
      adw_combo_row_set_selected (self->zone_row, i);
}

const char *
tend_setup_page_get_error (TendSetupPage *self)
{
  g_return_val_if_fail (TEND_IS_SETUP_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
