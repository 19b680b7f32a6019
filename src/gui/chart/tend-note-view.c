/* tend-note-view.c: one note as read in the chart, with its signature and
 * addenda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Showing a note reads it through tend_chart_view_note (), which audits
 * the view.  A draft is signed here or edited ("edit", which the chart
 * page answers with the note editor); a signed note takes addenda and,
 * from the supervisor who must, a co-signature.  "back" asks for the
 * chart again.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-addendum-dialog.h"
#include "tend-chart.h"
#include "tend-chart-util.h"
#include "tend-note-view.h"

struct _TendNoteView
{
  GtkWidget   parent_instance;

  TendStore  *store;
  GTimeZone  *zone;
  TendClient *client;
  char       *note_id;
  guint       overdue_days;

  GtkLabel   *title_label;
  GtkWidget  *sign_button;
  GtkWidget  *edit_button;
  GtkWidget  *cosign_button;
  GtkWidget  *addendum_button;
  GtkLabel   *status_label;
  GtkLabel   *session_label;
  GtkLabel   *participants_label;
  GtkBox     *body_box;
};

G_DEFINE_FINAL_TYPE (TendNoteView, tend_note_view, GTK_TYPE_WIDGET)

enum {
  BACK,
  EDIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
append_note_body (GtkBox           *box,
                  TendClinicalNote *note)
{
  guint n = 0;
  const TendNoteSection *sections = tend_note_template_get_sections (tend_clinical_note_get_template (note), &n);
  g_autoptr(JsonNode) all = tend_record_dup_json (TEND_RECORD (note), "sections");

  if (all == NULL && tend_record_get_string (TEND_RECORD (note), "risk") == NULL &&
      tend_record_get_string (TEND_RECORD (note), "mse") == NULL)
    {
      gtk_box_append (box, tend_chart_ui_text_label (_("No text."), "dim-label"));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = tend_clinical_note_dup_section (note, sections[i].key);

      if (text == NULL)
        continue;
      if (tend_clinical_note_get_template (note) != TEND_NOTE_TEMPLATE_ADDENDUM)
        {
          GtkWidget *heading = tend_chart_ui_text_label (_(sections[i].label), "heading");

          gtk_widget_set_margin_top (heading, 8);
          gtk_box_append (box, heading);
        }
      gtk_box_append (box, tend_chart_ui_text_label (text, NULL));
    }
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    {
      g_autofree char *text = tend_clinical_note_dup_form_text (note, (TendNoteForm) f);
      GtkWidget *heading;

      if (text == NULL)
        continue;
      heading = tend_chart_ui_text_label (tend_note_form_get_label ((TendNoteForm) f), "heading");
      gtk_widget_set_margin_top (heading, 8);
      gtk_box_append (box, heading);
      gtk_box_append (box, tend_chart_ui_text_label (text, NULL));
    }
}

static GtkWidget *
signature_label (TendNoteView     *self,
                 TendClinicalNote *note,
                 GHashTable       *names)
{
  g_autoptr(GDateTime) at = tend_time_parse_iso8601 (tend_clinical_note_get_signed_at (note), NULL);
  g_autofree char *when = at != NULL ? tend_time_format_local (at, self->zone) : g_strdup ("—");
  g_autoptr(GString) s = g_string_new (NULL);
  GtkWidget *label;

  /* TRANSLATORS: signer, time, SHA-256 of the note's content */
  g_string_append_printf (s, _("Signed by %s on %s · SHA-256 %.16s…"),
                          tend_chart_ui_staff_name (self->store, names, tend_clinical_note_get_signed_by (note)), when,
                          tend_clinical_note_get_content_sha256 (note));
  if (tend_clinical_note_get_cosigned_by (note) != NULL)
    g_string_append_printf (s, "\n%s", _("Co-signed by the supervisor"));
  else if (tend_clinical_note_get_cosign_required_by (note) != NULL)
    g_string_append_printf (s, "\n%s", _("Waiting for the supervisor’s co-signature"));
  label = tend_chart_ui_text_label (s->str, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* Shows the note again after a change to it, or why it cannot be. */
static void
reload (TendNoteView *self)
{
  g_autofree char *id = g_strdup (self->note_id);
  g_autoptr(GError) error = NULL;

  if (!tend_note_view_show_note (self, self->client, id, self->overdue_days, &error))
    tend_chart_ui_show_error (GTK_WIDGET (self), _("The Note Could Not Be Opened"), error);
}

static void
on_back_clicked_cb (TendNoteView *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

static void
on_edit_clicked_cb (TendNoteView *self)
{
  g_signal_emit (self, signals[EDIT], 0, self->note_id);
}

static void
on_sign_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     TendNoteView     *self)
{
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "sign") != 0)
    return;
  note = tend_chart_sign_note (self->store, self->note_id, &error);
  if (note == NULL)
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Note Could Not Be Signed"), error);
      return;
    }
  reload (self);
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Note signed"));
}

/* Signing a draft from its view, as the editor's Sign does. */
static void
on_sign_clicked_cb (TendNoteView *self)
{
  GtkWidget *dialog = adw_message_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)), _("Sign This Note?"),
                                              _("A signed note becomes part of the legal record and can no longer be edited. "
                                                "Corrections are added as addenda under it."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_cosign_clicked_cb (TendNoteView *self)
{
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GError) error = NULL;

  note = tend_chart_cosign_note (self->store, self->note_id, &error);
  if (note == NULL)
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Note Could Not Be Co-signed"), error);
      return;
    }
  reload (self);
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Note co-signed"));
}

static void
on_addendum_response_cb (TendAddendumDialog *dialog,
                         const char         *response,
                         TendNoteView       *self)
{
  g_autoptr(TendClinicalNote) addendum = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  text = tend_addendum_dialog_dup_text (dialog);
  addendum = tend_chart_add_addendum (self->store, self->note_id, text, &error);
  if (addendum == NULL)
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Addendum Could Not Be Added"), error);
      return;
    }
  reload (self);
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Addendum signed and added"));
}

static void
on_addendum_clicked_cb (TendNoteView *self)
{
  GtkWidget *dialog = tend_addendum_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_addendum_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tend_note_view_dispose (GObject *object)
{
  TendNoteView *self = TEND_NOTE_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_NOTE_VIEW);
  tend_chart_ui_unparent_children (GTK_WIDGET (object));
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_note_view_parent_class)->dispose (object);
}

static void
tend_note_view_finalize (GObject *object)
{
  TendNoteView *self = TEND_NOTE_VIEW (object);

  g_clear_pointer (&self->note_id, g_free);
  G_OBJECT_CLASS (tend_note_view_parent_class)->finalize (object);
}

static void
tend_note_view_class_init (TendNoteViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_note_view_dispose;
  object_class->finalize = tend_note_view_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-note-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, title_label);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, sign_button);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, cosign_button);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, addendum_button);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, status_label);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, session_label);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, participants_label);
  gtk_widget_class_bind_template_child (widget_class, TendNoteView, body_box);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cosign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_addendum_clicked_cb);

  /**
   * TendNoteView::back: the person asked for the chart again
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TendNoteView::edit: the person asked to edit the draft shown
   * @note_id: the note
   */
  signals[EDIT] = g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tend_note_view_init (TendNoteView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->overdue_days = 3;
}

void
tend_note_view_set_store (TendNoteView *self,
                          TendStore    *store,
                          GTimeZone    *zone)
{
  g_return_if_fail (TEND_IS_NOTE_VIEW (self));
  g_set_object (&self->store, store);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
}

/**
 * tend_note_view_show_note:
 * @client: whose chart the note is in
 *
 * Shows one note (audited as a view), its signature and its addenda.
 */
gboolean
tend_note_view_show_note (TendNoteView *self,
                          TendClient   *client,
                          const char   *note_id,
                          guint         overdue_days,
                          GError      **error)
{
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  g_autofree char *title = NULL;
  g_autofree char *who = NULL;
  g_autofree char *client_name = NULL;
  g_autofree char *status = NULL;
  g_autofree char *session = NULL;
  const char *participants;
  gboolean is_signed, may_cosign = FALSE;
  GtkWidget *child;

  g_return_val_if_fail (TEND_IS_NOTE_VIEW (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);
  note = tend_chart_view_note (self->store, note_id, error);
  if (note == NULL)
    return FALSE;
  addenda = tend_chart_list_addenda (self->store, note_id, error);
  if (addenda == NULL)
    return FALSE;

  g_set_object (&self->client, client);
  if (self->note_id != note_id)
    {
      g_free (self->note_id);
      self->note_id = g_strdup (note_id);
    }
  self->overdue_days = overdue_days;
  is_signed = tend_clinical_note_is_signed (note);
  if (is_signed && tend_clinical_note_get_cosign_required_by (note) != NULL &&
      tend_clinical_note_get_cosigned_by (note) == NULL)
    {
      TendRole role = TEND_ROLE_OWNER;

      tend_store_get_actor_role (self->store, &role);
      may_cosign = g_strcmp0 (tend_store_get_actor_id (self->store), tend_clinical_note_get_cosign_required_by (note)) == 0 ||
                   role == TEND_ROLE_OWNER;
    }
  title = tend_chart_ui_note_title (note);
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_visible (self->sign_button, !is_signed);
  gtk_widget_set_visible (self->edit_button, !is_signed);
  gtk_widget_set_visible (self->cosign_button, may_cosign);
  gtk_widget_set_visible (self->addendum_button, is_signed);

  who = tend_chart_ui_note_status (self->store, self->zone, overdue_days, note, names, NULL);
  client_name = client != NULL ? tend_client_dup_display_name (client) : g_strdup ("");
  status = g_strdup_printf ("%s · %s", client_name, who);
  gtk_label_set_text (self->status_label, status);
  session = tend_clinical_note_dup_session_summary (note, self->zone);
  gtk_label_set_text (self->session_label, session);
  participants = tend_record_get_string (TEND_RECORD (note), "participants");
  gtk_widget_set_visible (GTK_WIDGET (self->participants_label), participants != NULL);
  if (participants != NULL)
    {
      /* TRANSLATORS: who took part in the session */
      g_autofree char *text = g_strdup_printf (_("Participants: %s"), participants);

      gtk_label_set_text (self->participants_label, text);
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->body_box))) != NULL)
    gtk_box_remove (self->body_box, child);
  append_note_body (self->body_box, note);
  if (is_signed)
    {
      GtkWidget *label = signature_label (self, note, names);

      gtk_widget_set_margin_top (label, 12);
      gtk_box_append (self->body_box, label);
    }
  for (guint i = 0; i < addenda->len; i++)
    {
      TendClinicalNote *add = g_ptr_array_index (addenda, i);
      GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

      gtk_widget_add_css_class (frame, "card");
      gtk_widget_add_css_class (frame, "tend-addendum");
      gtk_widget_set_margin_top (frame, 12);
      gtk_box_append (GTK_BOX (frame), tend_chart_ui_text_label (_("Addendum"), "heading"));
      append_note_body (GTK_BOX (frame), add);
      gtk_box_append (GTK_BOX (frame), signature_label (self, add, names));
      gtk_box_append (self->body_box, frame);
    }
  return TRUE;
}

const char *
tend_note_view_get_note_id (TendNoteView *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_VIEW (self), NULL);
  return self->note_id;
}
