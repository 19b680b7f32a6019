/* tend-sync-status.c: the sync state in the header, with what to do about it
 *
 * An icon that says up to date, syncing, offline, signed out or failed
 * (with its words in the tooltip, not colour alone), and a popover with the
 * details: how many changes wait, "Sync Now", the conflicts to resolve and
 * signing in again.  Hidden for a store that works on this computer only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-conflict-window.h"
#include "tend-sync-status.h"

struct _TendSyncStatus
{
  GtkWidget           parent_instance;

  TendStore          *store;
  TendSyncController *sync;
  char               *text;

  GtkMenuButton      *button;
  GtkLabel           *title;
  GtkLabel           *detail;
  GtkButton          *sync_now;
  GtkButton          *conflicts;
  GtkWidget          *sign_in_box;
  GtkEntry           *email;
  GtkPasswordEntry   *password;
  GtkEntry           *totp;
  GtkButton          *sign_in;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (TendSyncStatus, tend_sync_status, GTK_TYPE_WIDGET)

static void build_popover (TendSyncStatus *self);

static const char *
icon_for (TendSyncState state,
          guint         conflicts)
{
  switch (state)
    {
    case TEND_SYNC_STATE_SYNCING:    return "emblem-synchronizing-symbolic";
    case TEND_SYNC_STATE_OFFLINE:    return "network-offline-symbolic";
    case TEND_SYNC_STATE_SIGNED_OUT: return "system-lock-screen-symbolic";
    case TEND_SYNC_STATE_ERROR:      return "dialog-warning-symbolic";
    case TEND_SYNC_STATE_IDLE:
    default:
      return conflicts > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
    }
}

static void
update (TendSyncStatus *self)
{
  TendSyncState state;
  g_autofree char *detail = NULL;
  guint waiting, conflicts;

  if (self->sync == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  if (self->title == NULL)
    build_popover (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  state = tend_sync_controller_get_state (self->sync);
  waiting = tend_sync_controller_get_waiting (self->sync);
  conflicts = tend_sync_controller_get_conflicts (self->sync);
  g_free (self->text);
  self->text = tend_sync_controller_describe (self->sync);
  gtk_menu_button_set_icon_name (self->button, icon_for (state, conflicts));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), self->text);
  gtk_label_set_text (self->title, self->text);
  if (waiting > 0)
    detail = g_strdup_printf (ngettext ("%u change waiting to be sent to %s", "%u changes waiting to be sent to %s",
                                        waiting), waiting, tend_sync_controller_get_server (self->sync));
  else
    detail = g_strdup_printf (_("Practice server: %s"), tend_sync_controller_get_server (self->sync));
  gtk_label_set_text (self->detail, detail);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_now), state != TEND_SYNC_STATE_SYNCING &&
                                                          state != TEND_SYNC_STATE_SIGNED_OUT);
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts), conflicts > 0);
  gtk_widget_set_visible (self->sign_in_box, state == TEND_SYNC_STATE_SIGNED_OUT);
}

static void
on_sync_now_cb (TendSyncStatus *self)
{
  if (self->sync != NULL)
    tend_sync_controller_sync_now (self->sync);
}

static void
on_conflicts_cb (TendSyncStatus *self)
{
  TendConflictWindow *window;

  if (self->store == NULL)
    return;
  gtk_menu_button_popdown (self->button);
  window = tend_conflict_window_new (self->store, self->sync);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (window));
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TendSyncStatus) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in), TRUE);
  if (!tend_sync_controller_sign_in_finish (TEND_SYNC_CONTROLLER (source), result, &error))
    {
      gtk_label_set_text (self->detail, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  gtk_editable_set_text (GTK_EDITABLE (self->totp), "");
  update (self);
}

static void
on_sign_in_cb (TendSyncStatus *self)
{
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));

  if (self->sync == NULL || *email == '\0' || *password == '\0')
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in), FALSE);
  tend_sync_controller_sign_in_async (self->sync, email, password, gtk_editable_get_text (GTK_EDITABLE (self->totp)),
                                      self->cancellable, sign_in_cb, g_object_ref (self));
}

static void
tend_sync_status_dispose (GObject *object)
{
  TendSyncStatus *self = TEND_SYNC_STATUS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_func (self->sync, update, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  if (self->button != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->button));
  self->button = NULL;
  G_OBJECT_CLASS (tend_sync_status_parent_class)->dispose (object);
}

static void
tend_sync_status_finalize (GObject *object)
{
  g_free (TEND_SYNC_STATUS (object)->text);
  G_OBJECT_CLASS (tend_sync_status_parent_class)->finalize (object);
}

static void
tend_sync_status_class_init (TendSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_sync_status_dispose;
  object_class->finalize = tend_sync_status_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

/* The popover's contents, made when a store with a server is first shown
 * (most computers work alone and never need them). */
static void
build_popover (TendSyncStatus *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *sign_in_title = gtk_label_new (_("Sign in again to go on syncing"));

  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_size_request (box, 260, -1);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  self->detail = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->detail), "dim-label");
  gtk_label_set_xalign (self->detail, 0);
  gtk_label_set_wrap (self->detail, TRUE);
  self->sync_now = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Sync Now")));
  g_signal_connect_swapped (self->sync_now, "clicked", G_CALLBACK (on_sync_now_cb), self);
  self->conflicts = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Resolve Conflicts…")));
  gtk_widget_add_css_class (GTK_WIDGET (self->conflicts), "suggested-action");
  g_signal_connect_swapped (self->conflicts, "clicked", G_CALLBACK (on_conflicts_cb), self);

  self->sign_in_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_label_set_xalign (GTK_LABEL (sign_in_title), 0);
  self->email = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->email, _("Email"));
  gtk_entry_set_input_purpose (self->email, GTK_INPUT_PURPOSE_EMAIL);
  self->password = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  g_object_set (self->password, "placeholder-text", _("Password"), NULL);
  self->totp = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->totp, _("Authenticator code (if any)"));
  self->sign_in = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Sign _In")));
  g_signal_connect_swapped (self->sign_in, "clicked", G_CALLBACK (on_sign_in_cb), self);
  g_signal_connect_swapped (self->password, "activate", G_CALLBACK (on_sign_in_cb), self);
  gtk_box_append (GTK_BOX (self->sign_in_box), sign_in_title);
  gtk_box_append (GTK_BOX (self->sign_in_box), GTK_WIDGET (self->email));
  gtk_box_append (GTK_BOX (self->sign_in_box), GTK_WIDGET (self->password));
  gtk_box_append (GTK_BOX (self->sign_in_box), GTK_WIDGET (self->totp));
  gtk_box_append (GTK_BOX (self->sign_in_box), GTK_WIDGET (self->sign_in));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->detail));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->conflicts));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sync_now));
  gtk_box_append (GTK_BOX (box), self->sign_in_box);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
}

static void
tend_sync_status_init (TendSyncStatus *self)
{
  self->cancellable = g_cancellable_new ();
  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->button), GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
tend_sync_status_new (void)
{
  return g_object_new (TEND_TYPE_SYNC_STATUS, NULL);
}

void
tend_sync_status_set_sync (TendSyncStatus     *self,
                           TendStore          *store,
                           TendSyncController *sync)
{
  g_return_if_fail (TEND_IS_SYNC_STATUS (self));

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_func (self->sync, update, self);
  g_set_object (&self->store, store);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    g_signal_connect_swapped (sync, "changed", G_CALLBACK (update), self);
  update (self);
}

const char *
tend_sync_status_get_text (TendSyncStatus *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_STATUS (self), NULL);
  return self->text;
}
