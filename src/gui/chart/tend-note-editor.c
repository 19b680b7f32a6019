/* tend-note-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every pause in typing (and at least every two seconds of steady typing)
 * writes the sections to the note's draft row: one small committed write,
 * so a crash or a power cut loses at most the last moments.  "Done" saves
 * the note itself (outbox, audit).  Signing asks first, then emits "signed".
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-note-editor.h"
#include "tend-note-form-group.h"
#include "tend-note-progress-group.h"
#include "tend-note-session-group.h"

#define PAUSE_MS        400
#define MAX_UNSAVED_US  (2 * G_USEC_PER_SEC)

struct _TendNoteEditor
{
  GtkWidget         parent_instance;

  TendStore        *store;
  TendClinicalNote *note;
  GTimeZone        *zone;          /* the practice's */
  GPtrArray        *defs;          /* the note's sections (TendNoteSectionDef) */
  GHashTable       *buffers;       /* text section key -> GtkTextBuffer */
  GHashTable       *choices;       /* choice section key -> AdwComboRow */
  GHashTable       *checks;        /* checkboxes section key -> GPtrArray of GtkCheckButton */
  GHashTable       *headings;      /* section key -> its heading label */
  GHashTable       *missing_labels; /* section key -> "Required before signing" */
  TendNoteSessionGroup *session;
  TendNoteFormGroup *forms[TEND_N_NOTE_FORMS];
  TendNoteProgressGroup *progress; /* NULL: the client has no plan with objectives */
  GtkLabel         *status_label;
  GtkLabel         *meta_label;    /* client and session, in one line */
  char             *client_name;
  GtkWidget        *box;
  GtkWidget        *first_view;
  guint             save_source;
  gint64            dirty_since;   /* 0 when everything is saved */
  guint             n_autosaves;
  gboolean          recovered;
  gboolean          marked;        /* missing parts are shown in red */
  GCancellable     *cancellable;
  AdwPasswordEntryRow *sign_password; /* in the open sign dialog */
  gboolean          signing;       /* the password is being checked */
};

G_DEFINE_FINAL_TYPE (TendNoteEditor, tend_note_editor, GTK_TYPE_WIDGET)

enum {
  DONE,
  SIGNED,
  DISCARDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean mark_missing (TendNoteEditor *self);

static JsonNode *
collect_sections (TendNoteEditor *self)
{
  JsonObject *obj = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < self->defs->len; i++)
    {
      TendNoteSectionDef *def = g_ptr_array_index (self->defs, i);

      if (def->kind == TEND_NOTE_SECTION_TEXT)
        {
          GtkTextBuffer *buffer = g_hash_table_lookup (self->buffers, def->key);
          GtkTextIter start, end;
          g_autofree char *text = NULL;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
          if (*text != '\0')
            json_object_set_string_member (obj, def->key, text);
        }
      else if (def->kind == TEND_NOTE_SECTION_CHOICE)
        {
          guint selected = adw_combo_row_get_selected (g_hash_table_lookup (self->choices, def->key));

          /* The first entry is "Not recorded". */
          if (selected > 0 && selected != GTK_INVALID_LIST_POSITION && selected <= g_strv_length (def->options))
            json_object_set_string_member (obj, def->key, def->options[selected - 1]);
        }
      else if (def->kind == TEND_NOTE_SECTION_CHECKBOXES)
        {
          GPtrArray *buttons = g_hash_table_lookup (self->checks, def->key);
          JsonArray *checked = json_array_new ();

          for (guint o = 0; o < buttons->len; o++)
            if (gtk_check_button_get_active (g_ptr_array_index (buttons, o)))
              json_array_add_string_element (checked, def->options[o]);
          if (json_array_get_length (checked) > 0)
            json_object_set_array_member (obj, def->key, checked);
          else
            json_array_unref (checked);
        }
    }
  json_node_take_object (node, obj);
  return node;
}

static void
set_status (TendNoteEditor *self,
            const char     *text)
{
  gtk_label_set_text (self->status_label, text);
}

static void
update_meta (TendNoteEditor *self)
{
  g_autofree char *summary = tend_clinical_note_dup_session_summary (self->note, self->zone);
  /* TRANSLATORS: client, then the session: "Ann Smith · 03/02/2026 14:00 CST · 53 min · 90837 · Video" */
  g_autofree char *meta = self->client_name != NULL ? g_strdup_printf (_("%s · %s"), self->client_name, summary)
                                                    : g_strdup (summary);

  gtk_label_set_text (self->meta_label, meta);
}

/* Everything in the editor into self->note.  A session date or time that
 * cannot be read is an error naming it; the rest is applied all the same. */
static gboolean
apply_state (TendNoteEditor *self,
             GError        **error)
{
  g_autoptr(JsonNode) sections = collect_sections (self);
  gboolean ok;

  tend_record_set_json (TEND_RECORD (self->note), "sections",
                        json_object_get_size (json_node_get_object (sections)) > 0 ? sections : NULL);
  ok = tend_note_session_group_apply (self->session, self->note, error);
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    tend_note_form_group_apply (self->forms[f], self->note);
  if (self->progress != NULL)
    tend_note_progress_group_apply (self->progress, self->note);
  update_meta (self);
  return ok;
}

/**
 * tend_note_editor_flush:
 *
 * Writes the draft now if anything changed since the last write.
 */
gboolean
tend_note_editor_flush (TendNoteEditor *self,
                        GError        **error)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), FALSE);
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->dirty_since == 0)
    return TRUE;
  /* A half-typed time is not an error while typing: the rest is kept. */
  apply_state (self, NULL);
  if (self->marked)
    mark_missing (self);
  if (!tend_chart_save_draft_note (self->store, self->note, error))
    {
      set_status (self, _("Not saved"));
      return FALSE;
    }
  self->dirty_since = 0;
  self->n_autosaves++;
  set_status (self, _("Draft saved"));
  return TRUE;
}

static gboolean
autosave_cb (gpointer user_data)
{
  TendNoteEditor *self = TEND_NOTE_EDITOR (user_data);
  g_autoptr(GError) error = NULL;

  self->save_source = 0;
  if (!tend_note_editor_flush (self, &error))
    g_debug ("Draft autosave failed: %s", error->message);  /* no note text in the message */
  return G_SOURCE_REMOVE;
}

static void
on_buffer_changed_cb (TendNoteEditor *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->dirty_since == 0)
    self->dirty_since = now;
  set_status (self, _("Editing…"));
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (now - self->dirty_since >= MAX_UNSAVED_US)
    autosave_cb (self);
  else
    self->save_source = g_timeout_add (PAUSE_MS, autosave_cb, self);
}

/**
 * tend_note_editor_save:
 *
 * Saves the note record itself (it syncs and is audited) with the text in
 * the editor, and drops the draft.
 */
gboolean
tend_note_editor_save (TendNoteEditor *self,
                       GError        **error)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), FALSE);
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!apply_state (self, error))
    {
      /* Nothing typed is lost: the draft keeps it until it is corrected. */
      self->dirty_since = MAX (self->dirty_since, 1);
      tend_note_editor_flush (self, NULL);
      return FALSE;
    }
  if (!tend_chart_save_note (self->store, self->note, error))
    return FALSE;
  self->dirty_since = 0;
  set_status (self, _("Saved"));
  return TRUE;
}

static void
show_error (TendNoteEditor *self,
            const char     *heading,
            const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_done_clicked_cb (TendNoteEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_note_editor_save (self, &error))
    {
      show_error (self, _("The Note Could Not Be Saved"), error);
      return;
    }
  g_signal_emit (self, signals[DONE], 0);
}

/**
 * tend_note_editor_discard:
 *
 * Deletes the draft and its autosaved text (tend_chart_discard_note ()), as
 * the Discard button does once the person has confirmed, then emits
 * "discarded".  A signed note, or someone else's draft, is refused.
 */
gboolean
tend_note_editor_discard (TendNoteEditor *self,
                          GError        **error)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), FALSE);
  /* No autosave may write the draft again after it is gone. */
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!tend_chart_discard_note (self->store, tend_record_get_id (TEND_RECORD (self->note)), error))
    return FALSE;
  self->dirty_since = 0;
  g_signal_emit (self, signals[DISCARDED], 0);
  return TRUE;
}

static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TendNoteEditor   *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "discard") == 0 && !tend_note_editor_discard (self, &error))
    show_error (self, _("The Draft Could Not Be Discarded"), error);
}

static void
on_discard_clicked_cb (TendNoteEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Discard This Draft?"),
                                   _("The note and everything written in it are deleted, on this computer and, "
                                     "once synced, everywhere. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "discard", _("_Discard Draft"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The password checked (argon2id, in a thread): only then is the note
 * signed, as what was saved. */
static void
sign_password_checked_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(TendNoteEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClinicalNote) signed_note = NULL;

  self->signing = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!tend_store_check_password_finish (TEND_STORE (source), result, &error))
    {
      tend_store_audit (self->store, "sign-refused", "clinical_note",
                        tend_record_get_id (TEND_RECORD (self->note)), NULL);
      set_status (self, _("Not signed"));
      show_error (self, _("The Note Was Not Signed"), error);
      return;
    }
  if (!tend_note_editor_save (self, &error) ||
      (signed_note = tend_chart_sign_note (self->store, tend_record_get_id (TEND_RECORD (self->note)), &error)) == NULL)
    {
      show_error (self, _("The Note Could Not Be Signed"), error);
      return;
    }
  g_set_object (&self->note, signed_note);
  g_signal_emit (self, signals[SIGNED], 0);
}

static void
on_sign_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     TendNoteEditor   *self)
{
  g_autofree char *password = NULL;

  password = self->sign_password != NULL
             ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sign_password))) : NULL;
  g_clear_weak_pointer (&self->sign_password);
  if (g_strcmp0 (response, "sign") != 0 || self->signing)
    return;
  if (password == NULL || *password == '\0')
    {
      g_autoptr(GError) error = g_error_new_literal (TEND_ERROR, TEND_ERROR_INVALID,
                                                     _("Enter your password to sign the note."));

      show_error (self, _("The Note Was Not Signed"), error);
      return;
    }
  self->signing = TRUE;
  set_status (self, _("Checking your password…"));
  tend_store_check_password_async (self->store, tend_store_get_actor_id (self->store), password,
                                   self->cancellable, sign_password_checked_cb, g_object_ref (self));
}

static void
on_sign_password_activated_cb (AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "sign");
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Marks the required parts still empty; %TRUE when there are none. */
static gboolean
mark_missing (TendNoteEditor *self)
{
  g_auto(GStrv) missing = tend_clinical_note_list_missing (self->note);
  GHashTableIter iter;
  gpointer key, heading;

  self->marked = missing[0] != NULL;
  g_hash_table_iter_init (&iter, self->headings);
  while (g_hash_table_iter_next (&iter, &key, &heading))
    {
      gboolean is_missing = g_strv_contains ((const char * const *) missing, key);
      GtkWidget *label = g_hash_table_lookup (self->missing_labels, key);

      if (is_missing)
        gtk_widget_add_css_class (heading, "error");
      else
        gtk_widget_remove_css_class (heading, "error");
      /* Said on the section itself, not only in the dialog. */
      if (label != NULL)
        gtk_widget_set_visible (label, is_missing);
    }
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    tend_note_form_group_mark_missing (self->forms[f], (const char * const *) missing);
  return missing[0] == NULL;
}

/* A note of a couple, family or group session names the other members
 * only as "group member", unless this client consented to name them
 * (tend-group-note.c): typed names are replaced before signing, in the
 * editor, where the clinician sees it.  %TRUE when something changed. */
static gboolean
replace_hidden_names (TendNoteEditor *self)
{
  g_autoptr(TendGroupNote) group = tend_chart_load_group_note_for (self->store, self->note, NULL);
  AdwEntryRow *participants;
  GHashTableIter iter;
  gpointer buffer;
  gboolean changed = FALSE;

  if (group == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, self->buffers);
  while (g_hash_table_iter_next (&iter, NULL, &buffer))
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;
      g_autofree char *said = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      said = tend_group_note_redact (group, text);
      if (g_strcmp0 (text, said) != 0)
        {
          gtk_text_buffer_set_text (buffer, said, -1);
          changed = TRUE;
        }
    }
  participants = tend_note_session_group_get_participants_row (self->session);
  {
    g_autofree char *said = tend_group_note_redact (group, gtk_editable_get_text (GTK_EDITABLE (participants)));

    if (g_strcmp0 (said, gtk_editable_get_text (GTK_EDITABLE (participants))) != 0)
      {
        gtk_editable_set_text (GTK_EDITABLE (participants), said);
        changed = TRUE;
      }
  }
  return changed;
}

static void
on_sign_clicked_cb (TendNoteEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  g_autoptr(GError) error = NULL;
  gboolean replaced = replace_hidden_names (self);

  /* Saved first, so whatever happens next, nothing typed is lost. */
  if (!tend_note_editor_save (self, &error))
    {
      show_error (self, _("The Note Could Not Be Saved"), error);
      return;
    }
  if (replaced)
    {
      set_status (self, _("Saved; other members’ names were replaced with “group member”. Read the note, then sign."));
      return;
    }
  if (!mark_missing (self))
    {
      tend_clinical_note_check_complete (self->note, &error);
      set_status (self, _("Saved; some required parts are empty"));
      show_error (self, _("The Note Cannot Be Signed Yet"), error);
      return;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Sign This Note?"),
                                   _("A signed note becomes part of the legal record and can no longer be edited. "
                                     "Corrections are added as addenda under it. Your password confirms "
                                     "that you are the one signing."));
  /* The signature is the person's own: they say so with their password. */
  {
    GtkWidget *list = gtk_list_box_new ();
    GtkWidget *row = adw_password_entry_row_new ();

    gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
    gtk_widget_add_css_class (list, "boxed-list");
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Your password"));
    gtk_list_box_append (GTK_LIST_BOX (list), row);
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
    g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (on_sign_password_activated_cb), dialog);
    g_set_weak_pointer (&self->sign_password, ADW_PASSWORD_ENTRY_ROW (row));
  }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
section_heading (TendNoteEditor     *self,
                 TendNoteSectionDef *section,
                 gboolean            first)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (section->title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (section->required)
    {
      GtkWidget *required = gtk_label_new (_("Required"));

      gtk_widget_add_css_class (required, "dim-label");
      gtk_widget_add_css_class (required, "caption");
      gtk_widget_set_valign (required, GTK_ALIGN_BASELINE);
      gtk_box_append (GTK_BOX (box), required);
    }
  gtk_widget_set_margin_top (box, first ? 18 : 10);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  g_hash_table_insert (self->headings, (gpointer) section->key, label);
  return box;
}

/* Shown under a required section left empty when signing was tried. */
static GtkWidget *
missing_label (TendNoteEditor     *self,
               TendNoteSectionDef *section)
{
  GtkWidget *label = gtk_label_new (_("Required before signing"));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_visible (label, FALSE);
  g_hash_table_insert (self->missing_labels, (gpointer) section->key, label);
  return label;
}

static GtkWidget *
hint_label (const char *text)
{
  GtkWidget *hint = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  return hint;
}

/* A choice section: one row with its options, "Not recorded" first. */
static GtkWidget *
choice_widget (TendNoteEditor     *self,
               TendNoteSectionDef *def)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char *[]) { _("Not recorded"), NULL });
  g_autofree char *chosen = tend_clinical_note_dup_section (self->note, def->key);
  guint selected = 0;

  for (guint o = 0; def->options[o] != NULL; o++)
    {
      gtk_string_list_append (model, def->options[o]);
      if (g_strcmp0 (chosen, def->options[o]) == 0)
        selected = o + 1;
    }
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  /* The heading above names the section already. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Choose one"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, def->title, -1);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  g_hash_table_insert (self->choices, (gpointer) def->key, row);
  return list;
}

/* A checkboxes section: a row per option, any number checked. */
static GtkWidget *
checks_widget (TendNoteEditor     *self,
               TendNoteSectionDef *def)
{
  GtkWidget *list = gtk_list_box_new ();
  GPtrArray *buttons = g_ptr_array_new ();
  g_auto(GStrv) checked = tend_clinical_note_dup_section_checked (self->note, def->key);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint o = 0; def->options[o] != NULL; o++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), def->options[o]);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   checked != NULL && g_strv_contains ((const char * const *) checked, def->options[o]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (buttons, check);
    }
  g_hash_table_insert (self->checks, (gpointer) def->key, buttons);
  return list;
}

static char *
appointment_label (TendNoteEditor *self)
{
  const char *id = tend_clinical_note_get_appointment_id (self->note);
  g_autoptr(TendRecord) appt = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) there = NULL;
  g_autofree char *when = NULL;

  if (id == NULL)
    return NULL;
  appt = tend_store_load (self->store, TEND_TYPE_APPOINTMENT, id, NULL);
  if (appt == NULL)
    return g_strdup (_("Linked to a session"));
  start = tend_appointment_dup_start (TEND_APPOINTMENT (appt));
  there = g_date_time_to_timezone (start, self->zone);
  /* "03/08/2026 18:30" */
  when = tend_time_format_date_time (there);
  /* TRANSLATORS: the appointment's date and time */
  return g_strdup_printf (_("Linked to the session of %s"), when);
}

static void
build (TendNoteEditor *self)
{
  g_autofree char *name = tend_clinical_note_dup_template_name (self->note);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);
  gboolean placed[TEND_N_NOTE_FORMS] = { FALSE, };
  GtkWidget *discard = gtk_button_new_from_icon_name ("user-trash-symbolic");
  GtkWidget *done = gtk_button_new_with_mnemonic (_("_Done"));
  GtkWidget *sign = gtk_button_new_with_mnemonic (_("_Sign…"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *sections_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *linked = appointment_label (self);
  GtkWidget *m = gtk_label_new (NULL);

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_widget_set_margin_top (header, 6);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title-3");
  gtk_box_append (GTK_BOX (titles), title);
  self->status_label = GTK_LABEL (gtk_label_new (self->recovered ? _("Draft recovered: your last words were kept")
                                                                  : _("Saved as you type")));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "caption");
  gtk_label_set_xalign (GTK_LABEL (m), 0);
  gtk_label_set_wrap (GTK_LABEL (m), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (m), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (m, "dim-label");
  self->meta_label = GTK_LABEL (m);
  self->client_name = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT,
                                                   tend_clinical_note_get_client_id (self->note));
  update_meta (self);
  gtk_box_append (GTK_BOX (titles), m);
  gtk_box_append (GTK_BOX (titles), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (header), titles);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (sign, "suggested-action");
  gtk_widget_set_tooltip_text (done, _("Save the draft and close it"));
  gtk_widget_set_tooltip_text (sign, _("Sign the note: it can no longer be edited"));
  g_signal_connect_object (done, "clicked", G_CALLBACK (on_done_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sign, "clicked", G_CALLBACK (on_sign_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_tooltip_text (discard, _("Discard this draft…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (discard), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Discard this draft"), -1);
  g_signal_connect_object (discard, "clicked", G_CALLBACK (on_discard_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), discard);
  gtk_box_append (GTK_BOX (buttons), done);
  gtk_box_append (GTK_BOX (buttons), sign);
  gtk_box_append (GTK_BOX (header), buttons);
  gtk_box_append (GTK_BOX (self->box), header);
  gtk_box_append (GTK_BOX (self->box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->session = TEND_NOTE_SESSION_GROUP (tend_note_session_group_new (self->zone));
  tend_note_session_group_load (self->session, self->note, linked);
  gtk_widget_set_margin_top (GTK_WIDGET (self->session), 12);
  g_signal_connect_object (self->session, "changed", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (sections_box), GTK_WIDGET (self->session));

  /* Every template may carry a risk assessment and a mental status exam:
   * where a practice template puts them, or after the sections. */
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    {
      self->forms[f] = TEND_NOTE_FORM_GROUP (tend_note_form_group_new ((TendNoteForm) f));
      tend_note_form_group_load (self->forms[f], self->note);
      g_signal_connect_object (self->forms[f], "changed", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
    }
  for (guint i = 0; i < self->defs->len; i++)
    {
      TendNoteSectionDef *def = g_ptr_array_index (self->defs, i);
      GtkWidget *input;

      if (def->kind == TEND_NOTE_SECTION_RISK || def->kind == TEND_NOTE_SECTION_MSE)
        {
          TendNoteForm f = def->kind == TEND_NOTE_SECTION_RISK ? TEND_NOTE_FORM_RISK : TEND_NOTE_FORM_MSE;

          placed[f] = TRUE;
          gtk_widget_set_margin_top (GTK_WIDGET (self->forms[f]), i == 0 ? 18 : 16);
          if (def->required)
            tend_note_form_group_set_required (self->forms[f], TRUE);
          gtk_box_append (GTK_BOX (sections_box), GTK_WIDGET (self->forms[f]));
          continue;
        }
      gtk_box_append (GTK_BOX (sections_box), section_heading (self, def, i == 0));
      if (def->help != NULL)
        gtk_box_append (GTK_BOX (sections_box), hint_label (def->help));
      if (def->kind == TEND_NOTE_SECTION_CHOICE)
        input = choice_widget (self, def);
      else if (def->kind == TEND_NOTE_SECTION_CHECKBOXES)
        input = checks_widget (self, def);
      else
        {
          GtkWidget *view = gtk_text_view_new ();
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
          g_autofree char *text = tend_clinical_note_dup_section (self->note, def->key);

          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
          gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
          gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
          gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
          gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
          gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
          gtk_widget_set_size_request (view, -1, i == 0 ? 120 : 80);
          gtk_widget_add_css_class (view, "card");
          gtk_widget_add_css_class (view, "tend-note-text");
          gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, def->title, -1);
          if (text != NULL)
            gtk_text_buffer_set_text (buffer, text, -1);
          g_hash_table_insert (self->buffers, (gpointer) def->key, buffer);
          if (self->first_view == NULL)
            self->first_view = view;
          g_signal_connect_object (buffer, "changed", G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
          input = view;
        }
      gtk_box_append (GTK_BOX (sections_box), input);
      gtk_box_append (GTK_BOX (sections_box), missing_label (self, def));
    }
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    if (!placed[f])
      {
        gtk_widget_set_margin_top (GTK_WIDGET (self->forms[f]), 24);
        gtk_box_append (GTK_BOX (sections_box), GTK_WIDGET (self->forms[f]));
      }

  /* Progress on the objectives of the client's current plan (an addendum
   * corrects a note, it does not document a session). */
  if (tend_clinical_note_get_template (self->note) != TEND_NOTE_TEMPLATE_ADDENDUM)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) plans = tend_chart_list_plans (self->store, tend_clinical_note_get_client_id (self->note),
                                                          &error);

      if (plans == NULL)
        g_debug ("Treatment plan not read for the note: %s", error->message);
      else if (plans->len > 0)
        {
          g_auto(GStrv) objectives = tend_treatment_plan_dup_objectives (g_ptr_array_index (plans, 0));

          if (objectives[0] != NULL)
            {
              self->progress = TEND_NOTE_PROGRESS_GROUP (tend_note_progress_group_new (g_ptr_array_index (plans, 0),
                                                                                       self->note));
              gtk_widget_set_margin_top (GTK_WIDGET (self->progress), 24);
              g_signal_connect_object (self->progress, "changed", G_CALLBACK (on_buffer_changed_cb), self,
                                       G_CONNECT_SWAPPED);
              gtk_box_append (GTK_BOX (sections_box), GTK_WIDGET (self->progress));
            }
        }
    }

  gtk_widget_set_margin_start (sections_box, 12);
  gtk_widget_set_margin_end (sections_box, 12);
  gtk_widget_set_margin_bottom (sections_box, 24);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), sections_box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (self->box), scroller);
}

static void
tend_note_editor_dispose (GObject *object)
{
  TendNoteEditor *self = TEND_NOTE_EDITOR (object);

  /* Closing the window mid-sentence still keeps the words. */
  if (self->dirty_since != 0 && self->store != NULL && self->note != NULL)
    tend_note_editor_flush (self, NULL);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->sign_password);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->note);
  g_clear_object (&self->store);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->client_name, g_free);
  g_clear_pointer (&self->buffers, g_hash_table_unref);
  g_clear_pointer (&self->choices, g_hash_table_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->headings, g_hash_table_unref);
  g_clear_pointer (&self->missing_labels, g_hash_table_unref);
  g_clear_pointer (&self->defs, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_note_editor_parent_class)->dispose (object);
}

static void
tend_note_editor_class_init (TendNoteEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_note_editor_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /**
   * TendNoteEditor::done: the draft was saved and the editor can close
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TendNoteEditor::signed: the note was signed
   */
  signals[SIGNED] = g_signal_new ("signed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TendNoteEditor::discarded: the draft was deleted
   */
  signals[DISCARDED] = g_signal_new ("discarded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_note_editor_init (TendNoteEditor *self)
{
  self->buffers = g_hash_table_new (g_str_hash, g_str_equal);
  self->headings = g_hash_table_new (g_str_hash, g_str_equal);
  self->choices = g_hash_table_new (g_str_hash, g_str_equal);
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->missing_labels = g_hash_table_new (g_str_hash, g_str_equal);
  self->cancellable = g_cancellable_new ();
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
}

/**
 * tend_note_editor_new:
 *
 * @zone: (nullable): the practice's time zone (times are shown and typed
 *   there); %NULL: this computer's
 *
 * Opens a draft for editing, with any autosaved text newer than its last
 * save (after a crash).
 *
 * Returns: (transfer floating) (nullable): the editor
 */
GtkWidget *
tend_note_editor_new (TendStore  *store,
                      const char *note_id,
                      GTimeZone  *zone,
                      GError    **error)
{
  g_autoptr(TendClinicalNote) note = NULL;
  TendNoteEditor *self;
  gboolean recovered = FALSE;

  note = tend_chart_load_for_editing (store, note_id, &recovered, error);
  if (note == NULL)
    return NULL;
  if (tend_clinical_note_is_signed (note))
    {
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD,
                           _("The note is signed and can no longer change; add an addendum instead."));
      return NULL;
    }
  self = g_object_new (TEND_TYPE_NOTE_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->note = g_steal_pointer (&note);
  self->defs = tend_clinical_note_dup_section_defs (self->note);
  self->recovered = recovered;
  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  build (self);
  return GTK_WIDGET (self);
}

TendClinicalNote *
tend_note_editor_get_note (TendNoteEditor *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  return self->note;
}

gboolean
tend_note_editor_get_recovered (TendNoteEditor *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), FALSE);
  return self->recovered;
}

/**
 * tend_note_editor_get_buffer:
 *
 * Returns: (transfer none) (nullable): the text of one section
 */
GtkTextBuffer *
tend_note_editor_get_buffer (TendNoteEditor *self,
                             const char     *section)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  return g_hash_table_lookup (self->buffers, section);
}

/**
 * tend_note_editor_get_choice_row:
 *
 * Returns: (transfer none) (nullable): a choice section's row
 */
AdwComboRow *
tend_note_editor_get_choice_row (TendNoteEditor *self,
                                 const char     *section)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  return g_hash_table_lookup (self->choices, section);
}

/**
 * tend_note_editor_get_check_button:
 * @option: the option's position in the section
 *
 * Returns: (transfer none) (nullable): one checkbox of a checkboxes section
 */
GtkCheckButton *
tend_note_editor_get_check_button (TendNoteEditor *self,
                                   const char     *section,
                                   guint           option)
{
  GPtrArray *buttons;

  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  buttons = g_hash_table_lookup (self->checks, section);
  return buttons != NULL && option < buttons->len ? g_ptr_array_index (buttons, option) : NULL;
}

/**
 * tend_note_editor_get_missing_label:
 *
 * Returns: (transfer none) (nullable): the "required" message under a section
 */
GtkWidget *
tend_note_editor_get_missing_label (TendNoteEditor *self,
                                    const char     *section)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  return g_hash_table_lookup (self->missing_labels, section);
}

guint
tend_note_editor_get_n_autosaves (TendNoteEditor *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), 0);
  return self->n_autosaves;
}

/**
 * tend_note_editor_get_session_group:
 *
 * Returns: (transfer none): the session's rows
 */
TendNoteSessionGroup *
tend_note_editor_get_session_group (TendNoteEditor *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  return self->session;
}

/**
 * tend_note_editor_get_form_group:
 *
 * Returns: (transfer none): the risk assessment's or the MSE's rows
 */
/**
 * tend_note_editor_get_progress_group:
 *
 * Returns: (transfer none) (nullable): the treatment plan's objectives, or
 *   %NULL when the client has no plan with objectives
 */
TendNoteProgressGroup *
tend_note_editor_get_progress_group (TendNoteEditor *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  return self->progress;
}

TendNoteFormGroup *
tend_note_editor_get_form_group (TendNoteEditor *self,
                                 TendNoteForm    form)
{
  g_return_val_if_fail (TEND_IS_NOTE_EDITOR (self), NULL);
  g_return_val_if_fail (form < TEND_N_NOTE_FORMS, NULL);
  return self->forms[form];
}

/* Puts the cursor in the first section, ready to type. */
void
tend_note_editor_focus (TendNoteEditor *self)
{
  g_return_if_fail (TEND_IS_NOTE_EDITOR (self));
  if (self->first_view != NULL)
    gtk_widget_grab_focus (self->first_view);
}
