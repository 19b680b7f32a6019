/* tend-totp-dialog.c: two-step verification, turned on and off by the
 * person signed in
 *
 * Preferences → Account shows whether signing in asks for a code from an
 * authenticator app, and offers to turn it on or off.  Turning it on asks
 * for the password again, then shows the new key (and an otpauth:// link to
 * copy) and asks for the code the authenticator makes of it: only a right
 * code turns it on, so a half-done set-up locks nobody out.  Turning it off
 * asks for the password and a current code.  Every server call runs in a
 * thread; the dialog says what failed and keeps what was typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-totp-dialog.h"

typedef enum
{
  STEP_PASSWORD,      /* turning on: the password again */
  STEP_CODE,          /* turning on: the key, and a code from it */
  STEP_DISABLE,       /* turning off: the password and a code */
} Step;

struct _TendTotpDialog
{
  AdwWindow            parent_instance;

  TendSyncEngine      *engine;
  GCancellable        *cancellable;
  Step                 step;
  gboolean             busy;
  gboolean             changed;
  char                *uri;

  AdwWindowTitle      *title;
  GtkLabel            *body;
  GtkLabel            *key;
  GtkButton           *copy_button;
  AdwPreferencesGroup *fields;
  AdwPasswordEntryRow *password_row;
  AdwEntryRow         *code_row;
  GtkLabel            *message;
  GtkButton           *action;
  GtkSpinner          *spinner;
};

G_DEFINE_FINAL_TYPE (TendTotpDialog, tend_totp_dialog, ADW_TYPE_WINDOW)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
  g_free (text);
}

/* "JBSWY3DPEHPK3PXP…" in groups of four, as authenticators show keys. */
static char *
group_key (const char *secret)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; secret[i] != '\0'; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, secret[i]);
    }
  return g_string_free (out, FALSE);
}

static void
say (TendTotpDialog *self,
     const char     *text)
{
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
}

static void
show_step (TendTotpDialog *self,
           Step            step)
{
  self->step = step;
  switch (step)
    {
    case STEP_PASSWORD:
      adw_window_title_set_title (self->title, _("Turn On Two-Step Verification"));
      gtk_label_set_text (self->body, _("Signing in to the practice server on a new computer will also ask for a code "
                                        "from an authenticator app on your phone. Type your password to begin."));
      gtk_button_set_label (self->action, _("_Continue"));
      break;
    case STEP_CODE:
      adw_window_title_set_title (self->title, _("Add Tend to Your Authenticator"));
      gtk_label_set_text (self->body, _("In your authenticator app, add an account with this key (time-based), or open "
                                        "the setup link on the phone. Then type the six-digit code it shows."));
      gtk_button_set_label (self->action, _("_Turn On"));
      break;
    case STEP_DISABLE:
    default:
      adw_window_title_set_title (self->title, _("Turn Off Two-Step Verification"));
      gtk_label_set_text (self->body, _("Signing in will ask only for your password. Type your password and the "
                                        "code your authenticator shows now."));
      gtk_button_set_label (self->action, _("_Turn Off"));
      gtk_widget_add_css_class (GTK_WIDGET (self->action), "destructive-action");
      gtk_widget_remove_css_class (GTK_WIDGET (self->action), "suggested-action");
      break;
    }
  /* Away from an entry about to be hidden first (GTK warns otherwise). */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->key), step == STEP_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), step == STEP_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), step != STEP_CODE);
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), step != STEP_PASSWORD);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (step == STEP_CODE ? GTK_WIDGET (self->code_row) : GTK_WIDGET (self->password_row));
}

static void
set_busy (TendTotpDialog *self,
          gboolean        busy)
{
  self->busy = busy;
  /* The fields stay as they are (making a focused entry insensitive loses
   * its focus-out): a second submit while busy is ignored. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->action), !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

/* The server call, in a thread. */

typedef struct
{
  TendSyncEngine *engine;
  Step            step;
  char           *password;
  char           *code;
  char           *secret;
  char           *uri;
} Call;

static void
call_free (Call *c)
{
  g_clear_object (&c->engine);
  wipe (c->password);
  wipe (c->code);
  wipe (c->secret);
  wipe (c->uri);
  g_free (c);
}

static void
call_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Call *c = task_data;
  GError *error = NULL;
  gboolean ok;

  switch (c->step)
    {
    case STEP_PASSWORD:
      ok = tend_sync_engine_begin_totp (c->engine, c->password, &c->secret, &c->uri, cancellable, &error);
      break;
    case STEP_CODE:
      ok = tend_sync_engine_confirm_totp (c->engine, c->code, cancellable, &error);
      break;
    case STEP_DISABLE:
    default:
      ok = tend_sync_engine_disable_totp (c->engine, c->password, c->code, cancellable, &error);
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
call_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  TendTotpDialog *self = TEND_TOTP_DIALOG (source);
  Call *c = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      say (self, error->message);
      return;
    }
  set_busy (self, FALSE);
  say (self, NULL);
  if (c->step == STEP_PASSWORD)
    {
      g_autofree char *grouped = group_key (c->secret);

      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_label_set_text (self->key, grouped);
      wipe (self->uri);
      self->uri = g_strdup (c->uri);
      show_step (self, STEP_CODE);
      return;
    }
  self->changed = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

/**
 * tend_totp_dialog_submit:
 *
 * What the dialog's main button does (tests call it too): checks what was
 * typed, then sends it in a thread.
 */
void
tend_totp_dialog_submit (TendTotpDialog *self)
{
  g_autoptr(GTask) task = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  Call *c;

  g_return_if_fail (TEND_IS_TOTP_DIALOG (self));

  if (self->busy)
    return;
  if (self->step != STEP_CODE && *password == '\0')
    {
      say (self, _("Type your password."));
      return;
    }
  if (self->step != STEP_PASSWORD)
    {
      gboolean digits = strlen (code) == 6;

      for (guint i = 0; digits && code[i] != '\0'; i++)
        digits = g_ascii_isdigit (code[i]);
      if (!digits)
        {
          say (self, _("The code is the six digits your authenticator shows."));
          return;
        }
    }
  c = g_new0 (Call, 1);
  c->engine = g_object_ref (self->engine);
  c->step = self->step;
  c->password = self->step != STEP_CODE ? g_strdup (password) : NULL;
  c->code = self->step != STEP_PASSWORD ? g_strdup (code) : NULL;
  set_busy (self, TRUE);
  say (self, NULL);
  task = g_task_new (self, self->cancellable, call_done_cb, NULL);
  g_task_set_source_tag (task, tend_totp_dialog_submit);
  g_task_set_task_data (task, c, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, call_thread);
}

static void
on_copy_cb (TendTotpDialog *self)
{
  if (self->uri == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->uri);
  say (self, _("The setup link is copied. Anyone who sees it can make your codes: paste it only on your own phone."));
}

static void
tend_totp_dialog_dispose (GObject *object)
{
  TendTotpDialog *self = TEND_TOTP_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (tend_totp_dialog_parent_class)->dispose (object);
}

static void
tend_totp_dialog_finalize (GObject *object)
{
  TendTotpDialog *self = TEND_TOTP_DIALOG (object);

  wipe (self->uri);
  G_OBJECT_CLASS (tend_totp_dialog_parent_class)->finalize (object);
}

static void
tend_totp_dialog_class_init (TendTotpDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_totp_dialog_dispose;
  object_class->finalize = tend_totp_dialog_finalize;

  /* Two-step verification was turned on or off. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_totp_dialog_init (TendTotpDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->cancellable = g_cancellable_new ();
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 460, -1);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);

  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  gtk_box_append (GTK_BOX (box), header);

  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);

  self->body = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->body, TRUE);
  gtk_label_set_xalign (self->body, 0);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->body));

  self->key = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_selectable (self->key, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->key), "monospace");
  gtk_widget_add_css_class (GTK_WIDGET (self->key), "title-3");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->key), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Key"), -1);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->key));

  self->copy_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Copy Setup _Link")));
  gtk_widget_set_halign (GTK_WIDGET (self->copy_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->copy_button), "pill");
  g_signal_connect_swapped (self->copy_button, "clicked", G_CALLBACK (on_copy_cb), self);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->copy_button));

  self->fields = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  self->password_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("Password"));
  g_signal_connect_swapped (self->password_row, "entry-activated", G_CALLBACK (tend_totp_dialog_submit), self);
  adw_preferences_group_add (self->fields, GTK_WIDGET (self->password_row));
  self->code_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->code_row), _("Six-Digit Code"));
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->code_row), 6);
  adw_entry_row_set_input_purpose (self->code_row, GTK_INPUT_PURPOSE_DIGITS);
  g_signal_connect_swapped (self->code_row, "entry-activated", G_CALLBACK (tend_totp_dialog_submit), self);
  adw_preferences_group_add (self->fields, GTK_WIDGET (self->code_row));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->fields));

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->message));

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->spinner));
  {
    GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

    g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
    gtk_box_append (GTK_BOX (buttons), cancel);
  }
  self->action = GTK_BUTTON (gtk_button_new_with_mnemonic (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->action), "suggested-action");
  g_signal_connect_swapped (self->action, "clicked", G_CALLBACK (tend_totp_dialog_submit), self);
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->action));
  gtk_box_append (GTK_BOX (content), buttons);

  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_box_append (GTK_BOX (box), clamp);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * tend_totp_dialog_new:
 * @enabled: whether two-step verification is on now (the dialog turns it
 *   off) or off (it turns it on)
 */
TendTotpDialog *
tend_totp_dialog_new (TendSyncEngine *engine,
                      gboolean        enabled)
{
  TendTotpDialog *self = g_object_new (TEND_TYPE_TOTP_DIALOG, NULL);

  self->engine = g_object_ref (engine);
  show_step (self, enabled ? STEP_DISABLE : STEP_PASSWORD);
  return self;
}

/* For tests: type into the dialog, and read what it shows. */
void
tend_totp_dialog_fill (TendTotpDialog *self,
                       const char     *password,
                       const char     *code)
{
  g_return_if_fail (TEND_IS_TOTP_DIALOG (self));
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  if (code != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
}

/* The key shown (without its spaces), or NULL before it is. */
char *
tend_totp_dialog_dup_key (TendTotpDialog *self)
{
  GString *key;

  g_return_val_if_fail (TEND_IS_TOTP_DIALOG (self), NULL);
  if (self->step != STEP_CODE)
    return NULL;
  key = g_string_new (NULL);
  for (const char *p = gtk_label_get_text (self->key); *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (key, *p);
  return g_string_free (key, FALSE);
}

const char *
tend_totp_dialog_get_message (TendTotpDialog *self)
{
  g_return_val_if_fail (TEND_IS_TOTP_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

gboolean
tend_totp_dialog_is_busy (TendTotpDialog *self)
{
  g_return_val_if_fail (TEND_IS_TOTP_DIALOG (self), FALSE);
  return self->busy;
}

/* The Account group of Preferences */

typedef struct
{
  AdwPreferencesGroup *group;     /* weak */
  AdwActionRow        *row;
  GtkButton           *button;
  TendSyncEngine      *engine;
  GCancellable        *cancellable;
  int                  enabled;   /* -1 unknown */
} Group;

static void
group_free (Group *g)
{
  g_cancellable_cancel (g->cancellable);
  g_clear_object (&g->cancellable);
  g_clear_object (&g->engine);
  g_free (g);
}

static void group_refresh (Group *g);

static void
status_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  int enabled = tend_sync_engine_get_totp (TEND_SYNC_ENGINE (task_data), cancellable, &error);

  if (enabled < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, enabled);
}

static void
status_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gssize enabled = g_task_propagate_int (G_TASK (result), &error);
  Group *g;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g = g_object_get_data (source, "tend-totp-group");
  if (g == NULL)
    return;
  g->enabled = error != NULL ? -1 : (int) enabled;
  if (error != NULL)
    adw_action_row_set_subtitle (g->row, error->message);
  else if (enabled)
    adw_action_row_set_subtitle (g->row, _("On: signing in on a new computer also asks for a code from your authenticator app"));
  else
    adw_action_row_set_subtitle (g->row, _("Off: signing in asks only for your password"));
  gtk_button_set_label (g->button, error != NULL ? _("_Try Again") : enabled ? _("Turn _Off…") : _("Turn _On…"));
  gtk_widget_set_sensitive (GTK_WIDGET (g->button), TRUE);
}

static void
group_refresh (Group *g)
{
  g_autoptr(GTask) task = g_task_new (g->group, g->cancellable, status_done_cb, NULL);

  adw_action_row_set_subtitle (g->row, _("Asking the practice server…"));
  gtk_widget_set_sensitive (GTK_WIDGET (g->button), FALSE);
  g_task_set_source_tag (task, group_refresh);
  g_task_set_task_data (task, g_object_ref (g->engine), g_object_unref);
  g_task_run_in_thread (task, status_thread);
}

static void
on_dialog_changed_cb (GtkWidget *group)
{
  Group *g = g_object_get_data (G_OBJECT (group), "tend-totp-group");

  if (g != NULL)
    group_refresh (g);
}

static void
on_group_button_cb (Group *g)
{
  TendTotpDialog *dialog;

  if (g->enabled < 0)
    {
      group_refresh (g);
      return;
    }
  dialog = tend_totp_dialog_new (g->engine, g->enabled == 1);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (g->group))));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (on_dialog_changed_cb), g->group, G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (g->group), "tend-totp-dialog", g_object_ref (dialog), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * tend_totp_group_new:
 *
 * Returns: (transfer floating): the Account group of Preferences, for a
 *   store connected to a practice server
 */
GtkWidget *
tend_totp_group_new (TendSyncEngine *engine)
{
  Group *g = g_new0 (Group, 1);
  GtkWidget *group = adw_preferences_group_new ();

  g->group = ADW_PREFERENCES_GROUP (group);
  g->engine = g_object_ref (engine);
  g->cancellable = g_cancellable_new ();
  g->enabled = -1;
  adw_preferences_group_set_title (g->group, _("Signing In"));
  g->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (g->row), _("Two-Step Verification"));
  g->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Turn _On…")));
  gtk_widget_set_valign (GTK_WIDGET (g->button), GTK_ALIGN_CENTER);
  gtk_button_set_use_underline (g->button, TRUE);
  g_signal_connect_swapped (g->button, "clicked", G_CALLBACK (on_group_button_cb), g);
  adw_action_row_add_suffix (g->row, GTK_WIDGET (g->button));
  adw_action_row_set_activatable_widget (g->row, GTK_WIDGET (g->button));
  adw_preferences_group_add (g->group, GTK_WIDGET (g->row));
  g_object_set_data_full (G_OBJECT (group), "tend-totp-group", g, (GDestroyNotify) group_free);
  group_refresh (g);
  return group;
}

/* For tests: the row's subtitle, and the dialog the button opened last. */
const char *
tend_totp_group_get_status (GtkWidget *group)
{
  Group *g = g_object_get_data (G_OBJECT (group), "tend-totp-group");

  g_return_val_if_fail (g != NULL, NULL);
  return adw_action_row_get_subtitle (g->row);
}

void
tend_totp_group_activate (GtkWidget *group)
{
  Group *g = g_object_get_data (G_OBJECT (group), "tend-totp-group");

  g_return_if_fail (g != NULL);
  on_group_button_cb (g);
}

TendTotpDialog *
tend_totp_group_get_dialog (GtkWidget *group)
{
  return g_object_get_data (G_OBJECT (group), "tend-totp-dialog");
}
