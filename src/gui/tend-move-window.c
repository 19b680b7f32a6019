/* tend-move-window.c: moving a practice that began on one computer to a
 * practice server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's administrator creates the practice with this practice's id
 * and the owner's staff id (the command is shown, ready to copy), so the
 * server holds one practice record and the owner's account is the owner's
 * own staff record.  Then the owner signs in here and everything on this
 * computer is sent (tend_context_move_to_server_async()), with progress
 * and Cancel; a cancelled or failed move leaves this computer as it was,
 * and moving again sends what is left.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-core.h"
#include "tend-move-window.h"
#include "tend-sync-engine.h"

#define MIN_PASSWORD 8

struct _TendMoveWindow
{
  AdwWindow      parent_instance;

  TendContext   *context;
  guint          total;          /* records waiting when the move began */

  GtkStack      *stack;
  GtkLabel      *command_label;
  AdwEntryRow   *server_row;
  AdwEntryRow   *email_row;
  AdwEntryRow   *password_row;
  AdwEntryRow   *totp_row;
  AdwEntryRow   *ca_row;
  GtkWidget     *progress_box;
  GtkProgressBar *progress_bar;
  GtkLabel      *progress_label;
  GtkLabel      *error_label;
  GtkButton     *cancel_button;
  GtkButton     *move_button;
  AdwStatusPage *done_page;

  GCancellable  *moving;
  guint          progress_id;
};

G_DEFINE_FINAL_TYPE (TendMoveWindow, tend_move_window, ADW_TYPE_WINDOW)

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/**
 * tend_move_window_dup_command:
 *
 * Returns: (transfer full): the command the server's administrator runs,
 *   with this practice's and its owner's ids and names, quoted for a shell
 */
char *
tend_move_window_dup_command (TendMoveWindow *self)
{
  TendPractice *practice = tend_context_get_practice (self->context);
  TendStaff *user = tend_context_get_user (self->context);
  g_autofree char *email = g_strstrip (g_strdup (row_text (self->email_row)));
  g_autofree char *name = NULL;
  g_autofree char *q_name = NULL;
  g_autofree char *q_zone = NULL;
  g_autofree char *q_email = NULL;
  g_autofree char *q_owner = NULL;

  g_return_val_if_fail (practice != NULL && user != NULL, NULL);

  name = g_strdup_printf ("%s %s", tend_staff_get_given_name (user), tend_staff_get_family_name (user));
  q_name = g_shell_quote (tend_practice_get_name (practice));
  q_zone = g_shell_quote (tend_practice_get_time_zone (practice));
  /* TRANSLATORS: stands in the command for an email address not typed yet */
  q_email = g_shell_quote (*email != '\0' ? email : _("YOUR-EMAIL"));
  q_owner = g_shell_quote (name);
  return g_strdup_printf ("tend-server admin create-practice --config /etc/tend-server/tend-server.conf"
                          " --practice %s --staff-id %s --name %s --time-zone %s --owner-email %s --owner-name %s",
                          tend_record_get_id (TEND_RECORD (practice)), tend_record_get_id (TEND_RECORD (user)),
                          q_name, q_zone, q_email, q_owner);
}

static gboolean
valid (TendMoveWindow *self)
{
  g_autofree char *server = g_strstrip (g_strdup (row_text (self->server_row)));
  g_autofree char *email = g_strstrip (g_strdup (row_text (self->email_row)));

  return *server != '\0' && tend_sync_check_server_url (server, NULL) &&
         tend_email_is_valid (email) &&
         g_utf8_strlen (row_text (self->password_row), -1) >= MIN_PASSWORD;
}

static void
show_error (TendMoveWindow *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  /* The message sits above the button, below the form: focusing the
   * button scrolls both into view. */
  if (message != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->move_button));
}

static void
on_field_changed_cb (TendMoveWindow *self)
{
  g_autofree char *command = tend_move_window_dup_command (self);

  gtk_label_set_text (self->command_label, command);
  gtk_widget_set_sensitive (GTK_WIDGET (self->move_button), self->moving == NULL && valid (self));
}

static void
on_copy_cb (TendMoveWindow *self)
{
  g_autofree char *command = tend_move_window_dup_command (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), command);
}

static gboolean
on_progress_cb (gpointer user_data)
{
  TendMoveWindow *self = user_data;
  guint n = tend_context_get_connect_progress (self->context);
  g_autofree char *text = NULL;

  if (n == 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      gtk_label_set_text (self->progress_label, _("Signing in…"));
      return G_SOURCE_CONTINUE;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, self->total > 0 ? MIN (1.0, (double) n / self->total) : 1.0);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Sent %u of %u record", "Sent %u of %u records", self->total),
                          n, MAX (n, self->total));
  gtk_label_set_text (self->progress_label, text);
  return G_SOURCE_CONTINUE;
}

static void
set_moving (TendMoveWindow *self,
            gboolean        on)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->server_row), GTK_WIDGET (self->email_row),
                        GTK_WIDGET (self->password_row), GTK_WIDGET (self->totp_row),
                        GTK_WIDGET (self->ca_row) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !on);
  gtk_widget_set_visible (self->progress_box, on);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), on);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (on)
    {
      on_progress_cb (self);
      self->progress_id = g_timeout_add (200, on_progress_cb, self);
    }
  else
    g_clear_object (&self->moving);
  on_field_changed_cb (self);
}

static void
move_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TendMoveWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint refused = 0;
  gboolean cancelled = self->moving != NULL && g_cancellable_is_cancelled (self->moving);
  gboolean ok = tend_context_move_to_server_finish (TEND_CONTEXT (source), result, &refused, &error);

  if (self->context == NULL)
    return;      /* the window went */
  set_moving (self, FALSE);
  if (!ok)
    {
      show_error (self, cancelled ? _("Moving was stopped. This computer keeps the practice as before; "
                                      "what was sent stays on the server, and moving again sends the rest.")
                                  : error->message);
      return;
    }
  if (refused > 0)
    {
      g_autofree char *text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE,
                     "The server refused %u record; it stays on this computer as a change waiting to be sent, with the server’s reason.",
                     "The server refused %u records; they stay on this computer as changes waiting to be sent, with the server’s reason.",
                     refused), refused);

      adw_status_page_set_description (self->done_page, text);
    }
  else
    adw_status_page_set_description (self->done_page,
                                     _("This computer now keeps in step with the server. Give each colleague "
                                       "an account in Preferences ▸ People; they sign in on their own computers."));
  gtk_stack_set_visible_child_name (self->stack, "done");
}

static void
on_move_cb (TendMoveWindow *self)
{
  TendConnectInfo info = { 0 };

  if (self->moving != NULL || !valid (self))
    return;
  show_error (self, NULL);
  info.server = row_text (self->server_row);
  info.email = row_text (self->email_row);
  info.password = row_text (self->password_row);
  info.totp = row_text (self->totp_row);
  info.ca_file = row_text (self->ca_row);
  self->total = tend_store_count_outbox (tend_context_get_store (self->context));
  self->moving = g_cancellable_new ();
  set_moving (self, TRUE);
  tend_context_move_to_server_async (self->context, &info, self->moving, move_cb, g_object_ref (self));
}

static void
on_cancel_cb (TendMoveWindow *self)
{
  if (self->moving != NULL)
    g_cancellable_cancel (self->moving);
}

static gboolean
tend_move_window_close_request (GtkWindow *window)
{
  TendMoveWindow *self = TEND_MOVE_WINDOW (window);

  /* Closing while sending stops the move (nothing is lost either way). */
  if (self->moving != NULL)
    g_cancellable_cancel (self->moving);
  return GTK_WINDOW_CLASS (tend_move_window_parent_class)->close_request (window);
}

static void
tend_move_window_dispose (GObject *object)
{
  TendMoveWindow *self = TEND_MOVE_WINDOW (object);

  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->moving != NULL)
    g_cancellable_cancel (self->moving);
  g_clear_object (&self->moving);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_MOVE_WINDOW);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_move_window_parent_class)->dispose (object);
}

static void
tend_move_window_class_init (TendMoveWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tend_move_window_dispose;
  window_class->close_request = tend_move_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/prefs/tend-move-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, command_label);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, totp_row);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, ca_row);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, move_button);
  gtk_widget_class_bind_template_child (widget_class, TendMoveWindow, done_page);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_move_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_cb);
}

static void
tend_move_window_init (TendMoveWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TendMoveWindow *
tend_move_window_new (TendContext *context)
{
  TendMoveWindow *self = g_object_new (TEND_TYPE_MOVE_WINDOW, NULL);
  TendStaff *user = tend_context_get_user (context);
  const char *email = user != NULL ? tend_record_get_string (TEND_RECORD (user), "email") : NULL;

  self->context = g_object_ref (context);
  if (email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  on_field_changed_cb (self);
  return self;
}

void
tend_move_window_fill (TendMoveWindow *self,
                       const char     *server,
                       const char     *email,
                       const char     *password)
{
  g_return_if_fail (TEND_IS_MOVE_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
}

void
tend_move_window_move (TendMoveWindow *self)
{
  g_return_if_fail (TEND_IS_MOVE_WINDOW (self));
  /* "clicked" now: activating a GtkButton clicks it a moment later. */
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->move_button)))
    g_signal_emit_by_name (self->move_button, "clicked");
}

gboolean
tend_move_window_is_busy (TendMoveWindow *self)
{
  g_return_val_if_fail (TEND_IS_MOVE_WINDOW (self), FALSE);
  return self->moving != NULL;
}

gboolean
tend_move_window_is_done (TendMoveWindow *self)
{
  g_return_val_if_fail (TEND_IS_MOVE_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "done") == 0;
}

/* The message shown, or %NULL */
const char *
tend_move_window_get_error (TendMoveWindow *self)
{
  g_return_val_if_fail (TEND_IS_MOVE_WINDOW (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
