/* tend-lock-page.c: unlocking needs the user's password
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-lock-page.h"

struct _TendLockPage
{
  GtkWidget     parent_instance;

  TendContext  *context;
  GCancellable *cancellable;

  AdwStatusPage *status_page;
  AdwComboRow   *user_row;
  GStrv          user_ids;      /* per item of user_row */
  char          *chosen;        /* being checked: someone else than the user */
  AdwEntryRow   *password_row;
  GtkLabel      *error_label;
  GtkButton     *unlock_button;
  GtkStack      *button_stack;
};

G_DEFINE_FINAL_TYPE (TendLockPage, tend_lock_page, GTK_TYPE_WIDGET)

enum {
  UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (TendLockPage *self,
          gboolean      busy)
{
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !busy);
  /* Not insensitive: the row has the focus, and taking it away mid-check
   * would lose the focus-out. */
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
}

static void
check_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TendLockPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  set_busy (self, FALSE);
  if (!tend_store_check_password_finish (TEND_STORE (source), result, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
      gtk_editable_select_region (GTK_EDITABLE (self->password_row), 0, -1);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      tend_store_audit (TEND_STORE (source), "unlock-failed", "staff",
                        tend_store_get_actor_id (TEND_STORE (source)), NULL);
      return;
    }
  /* Someone else than who locked it: they become the person at the
   * computer (the window then starts again for them). */
  {
    g_autofree char *chosen = g_steal_pointer (&self->chosen);

    if (chosen != NULL && !tend_context_switch_user (self->context, chosen, &error))
      {
        gtk_label_set_text (self->error_label, error->message);
        gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
        return;
      }
  }
  tend_store_audit (TEND_STORE (source), "unlock", "staff",
                    tend_store_get_actor_id (TEND_STORE (source)), NULL);
  tend_lock_page_reset (self);
  g_signal_emit (self, signals[UNLOCKED], 0);
}

void
tend_lock_page_submit (TendLockPage *self,
                       const char   *password)
{
  TendStore *store;
  TendStaff *user;

  g_return_if_fail (TEND_IS_LOCK_PAGE (self));

  if (self->context == NULL)
    return;
  store = tend_context_get_store (self->context);
  user = tend_context_get_user (self->context);
  if (store == NULL || user == NULL || password == NULL || *password == '\0')
    return;

  set_busy (self, TRUE);
  {
    const char *who = tend_record_get_id (TEND_RECORD (user));
    guint selected = adw_combo_row_get_selected (self->user_row);

    if (gtk_widget_get_visible (GTK_WIDGET (self->user_row)) && self->user_ids != NULL &&
        selected < g_strv_length (self->user_ids))
      who = self->user_ids[selected];
    g_free (self->chosen);
    self->chosen = g_strcmp0 (who, tend_record_get_id (TEND_RECORD (user))) != 0 ? g_strdup (who) : NULL;
    tend_store_check_password_async (store, who, password, self->cancellable, check_cb, g_object_ref (self));
  }
}

/**
 * tend_lock_page_choose_user:
 * @staff_id: one of the people who sign in on this computer
 *
 * Returns: whether the page offers @staff_id (and now has them chosen)
 */
gboolean
tend_lock_page_choose_user (TendLockPage *self,
                            const char   *staff_id)
{
  g_return_val_if_fail (TEND_IS_LOCK_PAGE (self), FALSE);

  for (guint i = 0; self->user_ids != NULL && self->user_ids[i] != NULL; i++)
    if (g_strcmp0 (self->user_ids[i], staff_id) == 0)
      {
        adw_combo_row_set_selected (self->user_row, i);
        return gtk_widget_get_visible (GTK_WIDGET (self->user_row));
      }
  return FALSE;
}

/* Without a practice server, everyone with a password on this computer may
 * unlock it as themselves: the page asks who. */
static void
update_users (TendLockPage *self)
{
  TendStore *store = self->context != NULL ? tend_context_get_store (self->context) : NULL;
  TendStaff *user = self->context != NULL ? tend_context_get_user (self->context) : NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint current = 0;

  g_clear_pointer (&self->user_ids, g_strfreev);
  if (store != NULL && user != NULL && tend_context_get_sync (self->context) == NULL)
    accounts = tend_store_list_local_accounts (store, NULL);
  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      g_autofree char *name = tend_staff_dup_display_name (accounts->pdata[i]);

      gtk_string_list_append (names, name);
      g_strv_builder_add (ids, tend_record_get_id (accounts->pdata[i]));
      if (g_strcmp0 (tend_record_get_id (accounts->pdata[i]), tend_record_get_id (TEND_RECORD (user))) == 0)
        current = i;
    }
  self->user_ids = g_strv_builder_end (ids);
  adw_combo_row_set_model (self->user_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->user_row, current);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), accounts != NULL && accounts->len > 1);
  if (accounts != NULL && accounts->len > 1)
    adw_status_page_set_description (self->status_page, _("Choose who you are and enter your password."));
}

static void
on_unlock_cb (TendLockPage *self)
{
  tend_lock_page_submit (self, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
tend_lock_page_dispose (GObject *object)
{
  TendLockPage *self = TEND_LOCK_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_LOCK_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->context);
  g_clear_pointer (&self->user_ids, g_strfreev);
  g_clear_pointer (&self->chosen, g_free);
  G_OBJECT_CLASS (tend_lock_page_parent_class)->dispose (object);
}

static void
tend_lock_page_class_init (TendLockPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_lock_page_dispose;

  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tend-lock-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TendLockPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TendLockPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, TendLockPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TendLockPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TendLockPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, TendLockPage, button_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_unlock_cb);
}

static void
tend_lock_page_init (TendLockPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tend_lock_page_set_context (TendLockPage *self,
                            TendContext  *context)
{
  TendStaff *user;

  g_return_if_fail (TEND_IS_LOCK_PAGE (self));

  g_set_object (&self->context, context);
  user = context != NULL ? tend_context_get_user (context) : NULL;
  if (user != NULL)
    {
      g_autofree char *name = tend_staff_dup_display_name (user);
      g_autofree char *description = g_strdup_printf (_("Enter the password of %s to continue."), name);

      adw_status_page_set_description (self->status_page, description);
    }
}

void
tend_lock_page_reset (TendLockPage *self)
{
  g_return_if_fail (TEND_IS_LOCK_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  set_busy (self, FALSE);
  update_users (self);
}

void
tend_lock_page_focus (TendLockPage *self)
{
  g_return_if_fail (TEND_IS_LOCK_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}
