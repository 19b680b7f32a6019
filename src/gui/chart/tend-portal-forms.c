/* tend-portal-forms.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forms a client completes in the portal, in their chart's Overview:
 * the consents, questionnaires and intake forms sent, waiting or done, the
 * dialogs that send them, and the review that takes an intake form's
 * contact details into the client record (its insurance details become a
 * policy record instead: tend-chart-insurance.c).  A form is an ordinary record (portal_form): it is saved
 * in the store at once, offline too, and reaches the server at the next
 * sync.  The consent dialog shows the exact text the client will sign
 * (editable: the practice's words, starting from a default); that text is
 * what the record holds and what the signature's SHA-256 is of.  Who may
 * send what is the record policy's (tend-portal-form.c): the front desk
 * sends consents, clinicians also assign questionnaires; the buttons here
 * only follow it.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-chart.h"
#include "tend-chart-insurance.h"
#include "tend-portal-forms.h"
#include "tend-wrap-layout.h"
#include "tend-time.h"

struct _TendPortalForms
{
  GtkWidget  parent_instance;

  TendStore *store;
  char      *client_id;
  gboolean   send_consents;     /* the role edits demographics */
  gboolean   assign_measures;   /* the role writes clinical records */
  GtkWidget *group;
  GList     *rows;              /* the form rows shown, for refresh */
  guint      n_forms;
  guint      n_waiting;
};

G_DEFINE_FINAL_TYPE (TendPortalForms, tend_portal_forms, GTK_TYPE_WIDGET)

static const char * const consent_kinds[] = { "treatment", "telehealth", "release_of_information" };

/* Helpers */

static const char *
consent_title (guint kind)
{
  switch (kind)
    {
    case 0: return _("Consent to Treatment");
    case 1: return _("Consent to Telehealth");
    default: return _("Authorization to Release Information");
    }
}

static const char *
consent_label (guint kind)
{
  switch (kind)
    {
    case 0: return _("Treatment");
    case 1: return _("Telehealth");
    default: return _("Release of information");
    }
}

static GtkWindow *
parent_window (TendPortalForms *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
toast (TendPortalForms *self,
       const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
show_error (TendPortalForms *self,
            const char      *heading,
            const GError    *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A width for a dialog's contents that fits the window it belongs to. */
static int
dialog_width (TendPortalForms *self,
              int              wanted)
{
  GtkWindow *window = parent_window (self);
  int width = window != NULL ? gtk_widget_get_width (GTK_WIDGET (window)) : 0;

  if (width <= 0)
    return wanted;
  return CLAMP (width - 96, 220, wanted);
}

/* The day of an ISO 8601 time, in the local zone, as the chart writes dates. */
static char *
format_when (const char *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  GDate day;

  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local), (GDateYear) g_date_time_get_year (local));
  return tend_date_format_local (&day);
}

static gboolean
is_intake (TendRecord *form)
{
  return g_strcmp0 (tend_record_get_string (form, "kind"), "intake") == 0;
}

/* An intake the client filled in, not yet reviewed into the record. */
static gboolean
needs_review (TendRecord *form)
{
  return is_intake (form) && g_strcmp0 (tend_record_get_string (form, "status"), "completed") == 0 &&
         tend_record_get_string (form, "reviewed_by") == NULL;
}

static char *
form_status (TendRecord *form)
{
  const char *status = tend_record_get_string (form, "status");
  gboolean plan = g_strcmp0 (tend_record_get_string (form, "kind"), "plan") == 0;
  gboolean consent = plan || g_strcmp0 (tend_record_get_string (form, "kind"), "consent") == 0;

  if (g_strcmp0 (status, "completed") == 0)
    {
      g_autofree char *when = format_when (tend_record_get_string (form, "completed_at"));

      if (is_intake (form) && tend_record_get_string (form, "reviewed_at") != NULL)
        {
          g_autofree char *reviewed = format_when (tend_record_get_string (form, "reviewed_at"));

          /* TRANSLATORS: an intake form the staff reviewed, on a date */
          return g_strdup_printf (_("Reviewed on %s"), reviewed);
        }
      if (is_intake (form))
        /* TRANSLATORS: an intake form the client filled in, on a date */
        return g_strdup_printf (_("Filled in on %s · waiting for review"), when);
      if (consent)
        /* TRANSLATORS: "Signed as “Ana Ruiz” on 12/07/2026": the name the client typed */
        return g_strdup_printf (_("Signed as “%s” on %s"), tend_record_get_string (form, "signed_name"), when);
      /* TRANSLATORS: a questionnaire the client answered, on a date */
      return g_strdup_printf (_("Answered on %s"), when);
    }
  if (g_strcmp0 (status, "withdrawn") == 0)
    return g_strdup (_("Withdrawn"));
  {
    g_autofree char *when = format_when (tend_record_get_string (form, "assigned_at"));

    return g_strdup_printf (plan ? _("Treatment plan to co-sign · waiting since %s") :
                            consent ? _("Consent · waiting since %s") :
                            is_intake (form) ? _("Details · waiting since %s") : _("Questionnaire · waiting since %s"), when);
  }
}

static gboolean
may_withdraw (TendPortalForms *self,
              TendRecord      *form)
{
  /* Questionnaires and plans to co-sign are clinical. */
  gboolean measure = g_strcmp0 (tend_record_get_string (form, "kind"), "measure") == 0 ||
                     g_strcmp0 (tend_record_get_string (form, "kind"), "plan") == 0;

  return measure ? self->assign_measures : self->send_consents;
}

static void
save_form (TendPortalForms *self,
           TendPortalForm  *form,
           const char      *done)
{
  g_autoptr(GError) error = NULL;

  if (!tend_store_save (self->store, TEND_RECORD (form), &error))
    {
      show_error (self, _("The Form Was Not Sent"), error);
      return;
    }
  tend_portal_forms_refresh (self);
  toast (self, done);
}

/* The consent dialog */

typedef struct
{
  TendPortalForms *self;
  AdwComboRow     *kind;
  AdwEntryRow     *title;
  AdwEntryRow     *party;
  GtkTextBuffer   *text;
  char            *practice;
  TendPractice    *practice_record; /* (nullable): its own consent texts */
  char            *language;        /* the client's, else the person's */
  char            *shown_default;   /* the default the text was last set to */
  char            *shown_title;
} ConsentDialog;

static void
consent_dialog_free (ConsentDialog *d)
{
  g_object_unref (d->self);
  g_free (d->practice);
  g_clear_object (&d->practice_record);
  g_free (d->language);
  g_free (d->shown_default);
  g_free (d->shown_title);
  g_free (d);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Sending needs a title and text, and for a release, who it is to. */
static void
update_consent_dialog (GtkWidget *dialog)
{
  ConsentDialog *d = g_object_get_data (G_OBJECT (dialog), "consent-dialog");
  g_autofree char *text = buffer_text (d->text);
  g_autofree char *title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (d->title)));
  g_autofree char *party = g_strdup (gtk_editable_get_text (GTK_EDITABLE (d->party)));
  gboolean release = adw_combo_row_get_selected (d->kind) == 2;

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "send",
                                           *g_strstrip (text) != '\0' && *g_strstrip (title) != '\0' &&
                                           (!release || *g_strstrip (party) != '\0'));
}

/* A new kind (or a new party for a release) gives the default text, unless
 * the person has edited what was shown. */
static void
reset_consent_text (GtkWidget *dialog)
{
  ConsentDialog *d = g_object_get_data (G_OBJECT (dialog), "consent-dialog");
  guint kind = adw_combo_row_get_selected (d->kind);
  const char *party = gtk_editable_get_text (GTK_EDITABLE (d->party));
  g_autofree char *text = buffer_text (d->text);
  const char *own = d->practice_record != NULL
    ? tend_practice_get_consent_text (d->practice_record, consent_kinds[MIN (kind, 2)], d->language) : NULL;
  g_autofree char *fresh = own != NULL ? tend_portal_forms_fill_consent (own, party)
                                       : tend_portal_forms_dup_default_consent (consent_kinds[MIN (kind, 2)], d->practice, party);

  gtk_widget_set_visible (GTK_WIDGET (d->party), kind == 2);
  if (d->shown_default == NULL || g_strcmp0 (text, d->shown_default) == 0)
    {
      gtk_text_buffer_set_text (d->text, fresh, -1);
      g_free (d->shown_default);
      d->shown_default = g_steal_pointer (&fresh);
    }
  if (d->shown_title == NULL || g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (d->title)), d->shown_title) == 0)
    {
      g_free (d->shown_title);
      d->shown_title = g_strdup (consent_title (kind));
      gtk_editable_set_text (GTK_EDITABLE (d->title), d->shown_title);
    }
  update_consent_dialog (dialog);
}

static void
on_consent_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  ConsentDialog *d = g_object_get_data (G_OBJECT (dialog), "consent-dialog");
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autoptr(TendPortalForm) form = NULL;
  guint kind;

  if (g_strcmp0 (response, "send") != 0)
    return;
  kind = MIN (adw_combo_row_get_selected (d->kind), 2);
  /* Exactly what was shown: the signature is of these bytes. */
  text = buffer_text (d->text);
  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (d->title))));
  form = tend_portal_form_new (d->self->client_id, TEND_PORTAL_FORM_CONSENT, consent_kinds[kind], title, text,
                               tend_store_get_actor_id (d->self->store));
  save_form (d->self, form, _("Consent sent: the client signs it in the portal"));
}

/* Questionnaires */

static void
on_questionnaire_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              TendPortalForms  *self)
{
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "checks");
  g_autoptr(TendPortalForm) form = NULL;

  if (g_strcmp0 (response, "assign") != 0)
    return;
  for (guint i = 0; i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      {
        TendInstrument inst = (TendInstrument) i;

        form = tend_portal_form_new (self->client_id, TEND_PORTAL_FORM_MEASURE, tend_instrument_to_string (inst),
                                     tend_instrument_get_title (inst), NULL, tend_store_get_actor_id (self->store));
        save_form (self, form, _("Questionnaire assigned: the client answers it in the portal"));
        return;
      }
}

static void
on_questionnaire_toggled_cb (GtkCheckButton *check,
                             GtkWidget      *dialog)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "assign", TRUE);
}

/* Intake forms */

/* What the review does with an intake form's insurance details. */
enum { INTAKE_INSURANCE_NONE, INTAKE_INSURANCE_REVIEW, INTAKE_INSURANCE_WAITS };

static void
on_send_intake_clicked_cb (TendPortalForms *self)
{
  g_autoptr(TendPortalForm) form = tend_portal_form_new (self->client_id, TEND_PORTAL_FORM_INTAKE, NULL,
                                                         _("Contact and Insurance Details"), NULL,
                                                         tend_store_get_actor_id (self->store));

  save_form (self, form, _("Intake form sent: the client fills it in in the portal"));
}

static void
on_review_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       TendPortalForms  *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "form-id");
  GPtrArray *checks = g_object_get_data (G_OBJECT (dialog), "checks");
  g_autoptr(TendRecord) form = NULL;
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = tend_time_to_iso8601 (now);
  guint applied = 0;

  if (g_strcmp0 (response, "apply") != 0)
    return;
  form = tend_store_load (self->store, TEND_TYPE_PORTAL_FORM, id, &error);
  if (form != NULL)
    client = tend_store_load (self->store, TEND_TYPE_CLIENT, self->client_id, &error);
  if (client == NULL)
    {
      show_error (self, _("The Details Were Not Applied"), error);
      return;
    }
  /* What the person kept ticked goes into the client record, validated
   * there (a phone number the record refuses is said, and nothing is
   * saved); then the form is marked reviewed. */
  for (guint i = 0; i < checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (checks, i);

      if (!gtk_check_button_get_active (check) || !gtk_widget_get_sensitive (GTK_WIDGET (check)))
        continue;
      tend_record_set_string (client, g_object_get_data (G_OBJECT (check), "member"),
                              g_object_get_data (G_OBJECT (check), "value"));
      applied++;
    }
  if (applied > 0 && !tend_store_save (self->store, client, &error))
    {
      show_error (self, _("The Details Were Not Applied"), error);
      return;
    }
  tend_record_set_string (form, "reviewed_by", tend_store_get_actor_id (self->store));
  tend_record_set_string (form, "reviewed_at", when);
  if (!tend_store_save (self->store, form, &error))
    {
      show_error (self, _("The Details Were Not Applied"), error);
      return;
    }
  tend_portal_forms_refresh (self);
  switch (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "insurance")))
    {
    case INTAKE_INSURANCE_REVIEW:
      /* The insurance part: the policy it becomes, for the reviewer to
       * choose the payer and save. */
      tend_chart_insurance_review_for (GTK_WIDGET (self), self->store, self->client_id, id, NULL);
      break;
    case INTAKE_INSURANCE_WAITS:
      toast (self, _("Reviewed. The insurance details wait for billing in the client’s Insurance"));
      return;
    default:
      break;
    }
  toast (self, applied > 0 ? _("The client’s record is updated") : _("Reviewed: the record is unchanged"));
}

static void
on_review_clicked_cb (GtkButton       *button,
                      TendPortalForms *self)
{
  tend_portal_forms_review (self, g_object_get_data (G_OBJECT (button), "form-id"));
}

/* Withdrawing */

static void
on_withdraw_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         TendPortalForms  *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "form-id");
  g_autoptr(TendRecord) form = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "withdraw") != 0)
    return;
  form = tend_store_load (self->store, TEND_TYPE_PORTAL_FORM, id, &error);
  if (form != NULL)
    tend_record_set_string (form, "status", "withdrawn");
  if (form == NULL || !tend_store_save (self->store, form, &error))
    {
      show_error (self, _("The Form Was Not Withdrawn"), error);
      return;
    }
  tend_portal_forms_refresh (self);
  toast (self, _("Form withdrawn"));
}

static void
on_withdraw_clicked_cb (GtkButton       *button,
                        TendPortalForms *self)
{
  tend_portal_forms_withdraw (self, g_object_get_data (G_OBJECT (button), "form-id"));
}

/* A form completed in the portal arrives with a sync: shown at once. */
static void
on_store_changed_cb (TendStore       *store,
                     const char      *type_name,
                     const char      *id,
                     TendPortalForms *self)
{
  if (g_strcmp0 (type_name, "portal_form") == 0)
    tend_portal_forms_refresh (self);
}

static void
on_send_consent_clicked_cb (TendPortalForms *self)
{
  tend_portal_forms_send_consent (self);
}

static void
on_assign_clicked_cb (TendPortalForms *self)
{
  tend_portal_forms_assign_questionnaire (self);
}

/* GObject */

static void
tend_portal_forms_dispose (GObject *object)
{
  TendPortalForms *self = TEND_PORTAL_FORMS (object);

  g_clear_pointer (&self->group, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_list_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tend_portal_forms_parent_class)->dispose (object);
}

static void
tend_portal_forms_class_init (TendPortalFormsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_portal_forms_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
tend_portal_forms_init (TendPortalForms *self)
{
  self->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Portal Forms"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
                                         _("Consents, questionnaires and intake forms the client completes in "
                                           "the portal. They are sent at the next sync."));
  gtk_widget_set_parent (self->group, GTK_WIDGET (self));
}

/* Public API */

/**
 * tend_portal_forms_new:
 *
 * The Overview's Portal Forms group for a client: what was sent and its
 * status, with the buttons the signed-in role may use.
 */
GtkWidget *
tend_portal_forms_new (TendStore  *store,
                       const char *client_id)
{
  TendPortalForms *self = g_object_new (TEND_TYPE_PORTAL_FORMS, NULL);
  TendRole role = TEND_ROLE_OWNER;
  GtkWidget *buttons, *consent, *assign, *intake;

  self->store = g_object_ref (store);
  self->client_id = g_strdup (client_id);
  tend_store_get_actor_role (store, &role);
  self->send_consents = tend_role_can (role, TEND_PERMISSION_EDIT_DEMOGRAPHICS);
  self->assign_measures = tend_role_can (role, TEND_PERMISSION_EDIT_CLINICAL);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  tend_portal_forms_refresh (self);
  if (!self->send_consents && !self->assign_measures)
    return GTK_WIDGET (self);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  consent = gtk_button_new_with_mnemonic (_("_Send Consent…"));
  assign = gtk_button_new_with_mnemonic (_("_Assign Questionnaire…"));
  intake = gtk_button_new_with_mnemonic (_("Send _Intake Form"));
  gtk_widget_set_tooltip_text (intake, _("The client fills in their contact and insurance details; "
                                         "you review them before they enter the record"));
  g_signal_connect_object (intake, "clicked", G_CALLBACK (on_send_intake_clicked_cb), self, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (intake), "send-intake-button", GINT_TO_POINTER (1));  /* for tests */
  gtk_widget_set_visible (intake, self->send_consents);

  /* Under the list, wrapping: two long labels do not fit a header at 360 px. */
  gtk_widget_set_layout_manager (buttons, tend_wrap_layout_new (6));
  gtk_widget_set_margin_top (buttons, 12);
  g_signal_connect_object (consent, "clicked", G_CALLBACK (on_send_consent_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (assign, "clicked", G_CALLBACK (on_assign_clicked_cb), self, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (consent), "send-consent-button", GINT_TO_POINTER (1));  /* for tests */
  g_object_set_data (G_OBJECT (assign), "assign-questionnaire-button", GINT_TO_POINTER (1));
  gtk_widget_set_visible (consent, self->send_consents);
  gtk_widget_set_visible (assign, self->assign_measures);
  gtk_box_append (GTK_BOX (buttons), consent);
  gtk_box_append (GTK_BOX (buttons), assign);
  gtk_box_append (GTK_BOX (buttons), intake);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), buttons);
  return GTK_WIDGET (self);
}

/**
 * tend_portal_forms_refresh:
 *
 * Lists the client's forms again from the store.
 */
void
tend_portal_forms_refresh (TendPortalForms *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forms = NULL;

  g_return_if_fail (TEND_IS_PORTAL_FORMS (self));
  for (GList *l = self->rows; l != NULL; l = l->next)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->group), l->data);
  g_clear_pointer (&self->rows, g_list_free);
  self->n_forms = 0;
  self->n_waiting = 0;

  forms = tend_chart_list_portal_forms (self->store, self->client_id, &error);
  if (forms == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The forms could not be read"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      self->rows = g_list_prepend (self->rows, row);
      return;
    }
  for (guint i = 0; i < forms->len; i++)
    {
      TendRecord *form = g_ptr_array_index (forms, i);
      g_autofree char *status = form_status (form);
      GtkWidget *row = adw_action_row_new ();

      /* The title may be the practice's own words: never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tend_record_get_string (form, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), status);
      g_object_set_data_full (G_OBJECT (row), "form-id", g_strdup (tend_record_get_id (form)), g_free);
      if (tend_portal_form_is_pending (TEND_PORTAL_FORM (form)) && may_withdraw (self, form))
        {
          GtkWidget *withdraw = gtk_button_new_with_mnemonic (_("_Withdraw…"));

          gtk_widget_set_valign (withdraw, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (withdraw, "flat");
          g_object_set_data_full (G_OBJECT (withdraw), "form-id", g_strdup (tend_record_get_id (form)), g_free);
          g_signal_connect_object (withdraw, "clicked", G_CALLBACK (on_withdraw_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), withdraw);
        }
      else if (needs_review (form) && self->send_consents)
        {
          GtkWidget *review = gtk_button_new_with_mnemonic (_("_Review…"));

          gtk_widget_set_valign (review, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (review, "suggested-action");
          g_object_set_data_full (G_OBJECT (review), "form-id", g_strdup (tend_record_get_id (form)), g_free);
          g_object_set_data (G_OBJECT (review), "review-button", GINT_TO_POINTER (1));  /* for tests */
          g_signal_connect_object (review, "clicked", G_CALLBACK (on_review_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), review);
        }
      else if (g_strcmp0 (tend_record_get_string (form, "status"), "withdrawn") == 0)
        gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      self->rows = g_list_prepend (self->rows, row);
      self->n_forms++;
      self->n_waiting += tend_portal_form_is_pending (TEND_PORTAL_FORM (form));
    }
  if (forms->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing sent yet"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      self->rows = g_list_prepend (self->rows, row);
    }
}

guint
tend_portal_forms_get_n_forms (TendPortalForms *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORMS (self), 0);
  return self->n_forms;
}

/* Forms still waiting for the client. */
guint
tend_portal_forms_get_n_waiting (TendPortalForms *self)
{
  g_return_val_if_fail (TEND_IS_PORTAL_FORMS (self), 0);
  return self->n_waiting;
}

/**
 * tend_portal_forms_send_consent:
 *
 * Opens the dialog that sends a consent: its kind, its title and the exact
 * text the client will sign, which the person reviews and may edit.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
tend_portal_forms_send_consent (TendPortalForms *self)
{
  GtkWidget *dialog, *box, *list, *scroller, *view, *label, *note;
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(TendPractice) practice = NULL;
  ConsentDialog *d;

  g_return_val_if_fail (TEND_IS_PORTAL_FORMS (self), NULL);
  practice = tend_store_load_practice (self->store, NULL);
  dialog = adw_message_dialog_new (parent_window (self), _("Send a Consent to Sign"),
                                   _("The client reads this text in the portal and signs it with their typed name."));
  d = g_new0 (ConsentDialog, 1);
  d->self = g_object_ref (self);
  d->practice = g_strdup (practice != NULL ? tend_practice_get_name (practice) : _("the practice"));
  d->practice_record = g_steal_pointer (&practice);
  {
    /* The practice's own text in the client's language when it has one
     * (what reminders and the portal use), else in the person's. */
    g_autoptr(TendRecord) client = tend_store_load (self->store, TEND_TYPE_CLIENT, self->client_id, NULL);
    const char *language = client != NULL ? tend_record_get_string (client, "language") : NULL;

    d->language = g_strdup (language != NULL && *language != '\0' ? language : tend_portal_forms_person_language ());
  }
  g_object_set_data_full (G_OBJECT (dialog), "consent-dialog", d, (GDestroyNotify) consent_dialog_free);

  for (guint i = 0; i < G_N_ELEMENTS (consent_kinds); i++)
    gtk_string_list_append (kinds, consent_label (i));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  d->kind = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (d->kind), _("Consent"));
  adw_combo_row_set_model (d->kind, G_LIST_MODEL (kinds));
  d->title = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (d->title), _("Title"));
  d->party = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (d->party), _("Release to (person or organization)"));
  g_object_set_data (G_OBJECT (d->party), "party-row", GINT_TO_POINTER (1));  /* for tests */
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (d->kind));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (d->title));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (d->party));
  gtk_box_append (GTK_BOX (box), list);

  label = gtk_label_new (_("Text the client signs"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  d->text = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (scroller, "card");
  gtk_widget_set_size_request (scroller, dialog_width (self, 520), 260);
  gtk_box_append (GTK_BOX (box), scroller);
  note = gtk_label_new (_("The client signs exactly this text: edit it here before sending if the practice uses other "
                          "words. A sent form cannot be changed; withdraw it and send another."));
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_label_set_xalign (GTK_LABEL (note), 0);
  gtk_widget_add_css_class (note, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_box_append (GTK_BOX (box), note);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "send", _("_Send"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  reset_consent_text (dialog);
  g_signal_connect_object (d->kind, "notify::selected", G_CALLBACK (reset_consent_text), dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (d->party, "changed", G_CALLBACK (reset_consent_text), dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (d->title, "changed", G_CALLBACK (update_consent_dialog), dialog, G_CONNECT_SWAPPED);
  g_signal_connect_object (d->text, "changed", G_CALLBACK (update_consent_dialog), dialog, G_CONNECT_SWAPPED);
  g_signal_connect (dialog, "response", G_CALLBACK (on_consent_response_cb), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_portal_forms_assign_questionnaire:
 *
 * Opens the dialog that assigns a questionnaire (an instrument the portal
 * renders and scores) for the client to answer.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
tend_portal_forms_assign_questionnaire (TendPortalForms *self)
{
  GtkWidget *dialog, *list;
  GPtrArray *checks = g_ptr_array_new ();
  GtkCheckButton *first = NULL;

  g_return_val_if_fail (TEND_IS_PORTAL_FORMS (self), NULL);
  dialog = adw_message_dialog_new (parent_window (self), _("Assign a Questionnaire"),
                                   _("The client answers it in the portal; the answers arrive in the chart as a "
                                     "measure, scored."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_size_request (list, dialog_width (self, 420), -1);
  for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
    {
      TendInstrument inst = (TendInstrument) i;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      guint n = tend_instrument_get_n_items (inst);
      g_autofree char *sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u question", "%u questions", n), n);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tend_instrument_get_title (inst));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      if (first != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), first);
      else
        first = GTK_CHECK_BUTTON (check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_questionnaire_toggled_cb), dialog, 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (checks, check);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "assign", _("_Assign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "assign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "assign", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "checks", checks, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_questionnaire_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_portal_forms_review:
 *
 * Opens the review of an intake form the client filled in: each detail
 * beside what the record holds now, ticked where it differs; what stays
 * ticked goes into the client record.
 *
 * Returns: (transfer none) (nullable): the dialog, or %NULL when the form
 *   cannot be read
 */
GtkWidget *
tend_portal_forms_review (TendPortalForms *self,
                          const char      *form_id)
{
  g_autoptr(TendRecord) form = NULL;
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GError) error = NULL;
  const TendIntakeField *fields;
  GPtrArray *checks;
  GtkWidget *dialog, *list, *scroller;
  guint n_fields;
  int insurance = INTAKE_INSURANCE_NONE;

  g_return_val_if_fail (TEND_IS_PORTAL_FORMS (self), NULL);
  form = tend_store_load (self->store, TEND_TYPE_PORTAL_FORM, form_id, &error);
  if (form != NULL)
    client = tend_store_load (self->store, TEND_TYPE_CLIENT, self->client_id, &error);
  if (client == NULL)
    {
      show_error (self, _("The Form Could Not Be Opened"), error);
      return NULL;
    }
  details = tend_record_dup_json (form, "details");
  fields = tend_portal_form_get_intake_fields (&n_fields);
  /* Insurance is not the client record's: it becomes a policy, which only
   * those who may write policies make (the others leave it to billing). */
  for (guint i = 0; details != NULL && JSON_NODE_HOLDS_OBJECT (details) && i < n_fields; i++)
    if (g_str_has_prefix (fields[i].name, "insurance.") &&
        json_object_has_member (json_node_get_object (details), fields[i].name))
      {
        g_autoptr(TendPolicy) probe = tend_policy_new (self->client_id, NULL, NULL);

        insurance = tend_store_check_write (self->store, TEND_RECORD (probe), NULL) ? INTAKE_INSURANCE_REVIEW
                                                                                      : INTAKE_INSURANCE_WAITS;
      }
  dialog = adw_message_dialog_new (parent_window (self), _("Review the Client’s Details"),
                                   insurance == INTAKE_INSURANCE_REVIEW
                                   ? _("Ticked details replace what the record holds. The insurance details become "
                                       "a policy: next, choose the payer and check them against the card.")
                                   : insurance == INTAKE_INSURANCE_WAITS
                                   ? _("Ticked details replace what the record holds. The insurance details wait "
                                       "for billing, who choose the payer and make them a policy.")
                                   : _("Ticked details replace what the record holds."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  checks = g_ptr_array_new ();
  for (guint i = 0; details != NULL && JSON_NODE_HOLDS_OBJECT (details) && i < n_fields; i++)
    {
      JsonObject *obj = json_node_get_object (details);
      const char *given = json_object_has_member (obj, fields[i].name)
                          ? json_object_get_string_member (obj, fields[i].name) : NULL;
      const char *now = tend_record_get_string (client, fields[i].name);
      g_autofree char *sub = NULL;
      GtkWidget *row, *check;
      gboolean same;

      if (given == NULL || g_str_has_prefix (fields[i].name, "insurance."))
        continue;
      same = g_strcmp0 (given, now) == 0;
      /* TRANSLATORS: what the record holds now, beside the client's new detail */
      sub = same ? g_strdup (_("Already in the record")) :
            g_strdup_printf (_("Now: %s"), now != NULL ? now : _("not recorded"));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* TRANSLATORS: a detail's label and the value the client typed, "Mobile phone: 555-0100" */
      {
        g_autofree char *title = g_strdup_printf (_("%s: %s"), _(fields[i].label), given);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      check = gtk_check_button_new ();
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), !same);
      gtk_widget_set_sensitive (check, !same);
      g_object_set_data (G_OBJECT (check), "member", (gpointer) fields[i].name);
      g_object_set_data_full (G_OBJECT (check), "value", g_strdup (given), g_free);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (checks, check);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_widget_set_size_request (scroller, dialog_width (self, 480), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Later"),
                                    "apply", _("_Apply Ticked Details"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "checks", checks, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (dialog), "form-id", g_strdup (form_id), g_free);
  g_object_set_data (G_OBJECT (dialog), "insurance", GINT_TO_POINTER (insurance));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_review_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_portal_forms_withdraw:
 *
 * Asks before withdrawing a form that waits for the client.
 *
 * Returns: (transfer none): the question
 */
GtkWidget *
tend_portal_forms_withdraw (TendPortalForms *self,
                            const char      *form_id)
{
  g_autoptr(TendRecord) form = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (TEND_IS_PORTAL_FORMS (self), NULL);
  form = tend_store_load (self->store, TEND_TYPE_PORTAL_FORM, form_id, NULL);
  /* TRANSLATORS: %s is the form's title */
  body = g_strdup_printf (_("The client will no longer see “%s” in the portal. A withdrawn form cannot be sent "
                            "again: send a new one instead."), form != NULL ? tend_record_get_string (form, "title") : "");
  dialog = adw_message_dialog_new (parent_window (self), _("Withdraw This Form?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "withdraw", _("_Withdraw"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "withdraw", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "form-id", g_strdup (form_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_withdraw_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_portal_forms_person_language:
 *
 * Returns: "es" when Tend speaks Spanish to the person, else "en"
 */
const char *
tend_portal_forms_person_language (void)
{
  /* TRANSLATORS: the language code of this translation, "es" in Spanish (keep "en" otherwise) */
  const char *code = C_("language code", "en");

  return g_ascii_strncasecmp (code, "es", 2) == 0 ? "es" : "en";
}

/**
 * tend_portal_forms_fill_consent:
 * @text: a practice's own consent text (Preferences ▸ Practice)
 * @party: (nullable): for a release, who the information goes to
 *
 * The practice's text as sent: "{recipient}" becomes @party (when given).
 *
 * Returns: (transfer full): the text
 */
char *
tend_portal_forms_fill_consent (const char *text,
                                const char *party)
{
  g_auto(GStrv) parts = NULL;

  if (party == NULL || *party == '\0' || strstr (text, "{recipient}") == NULL)
    return g_strdup (text);
  parts = g_strsplit (text, "{recipient}", -1);
  return g_strjoinv (party, parts);
}

/**
 * tend_portal_forms_dup_default_consent:
 * @consent: "treatment", "telehealth" or "release_of_information"
 * @practice: the practice's name
 * @party: (nullable): for a release, who the information goes to
 *
 * The text a consent starts from, in the person's language; the person
 * reviews it, may change it, and the client signs what was sent.
 *
 * Returns: (transfer full): the text
 */
char *
tend_portal_forms_dup_default_consent (const char *consent,
                                       const char *practice,
                                       const char *party)
{
  if (g_strcmp0 (consent, "telehealth") == 0)
    /* TRANSLATORS: the default consent to telehealth a client signs; %s is the practice's name */
    return g_strdup_printf (_("I agree to receive counseling and related services from %s by video (telehealth).\n\n"
                              "I understand that:\n"
                              "• sessions take place over a secure video connection and are not recorded;\n"
                              "• I will join from a private place and tell my clinician where I am at the start of each "
                              "session, so that help can be sent to me in an emergency;\n"
                              "• if the connection fails, my clinician will try to reach me by phone;\n"
                              "• telehealth may not suit every situation, and my clinician may recommend meeting in person;\n"
                              "• I may withdraw this consent at any time.\n\n"
                              "By signing, I confirm that I have read and understood this consent."), practice);
  if (g_strcmp0 (consent, "release_of_information") == 0)
    {
      const char *to = party != NULL && *party != '\0' ? party : _("(the person or organization named when sent)");

      /* TRANSLATORS: the default release of information; the first %s is the practice's name, the second who receives it */
      return g_strdup_printf (_("I authorize %s to share information about my care with: %s.\n\n"
                                "The information shared: dates of attendance, diagnoses, the treatment plan and progress, "
                                "as needed to coordinate my care.\n\n"
                                "I understand that:\n"
                                "• my care does not depend on my signing this authorization;\n"
                                "• I may revoke it in writing at any time, except for information already shared;\n"
                                "• information shared may no longer be protected by the same privacy rules.\n\n"
                                "This authorization expires one year after I sign it, unless I revoke it sooner."),
                              practice, to);
    }
  /* TRANSLATORS: the default consent to treatment a client signs; %s is the practice's name */
  return g_strdup_printf (_("I agree to receive counseling and related services from %s.\n\n"
                            "I understand that:\n"
                            "• what I share is kept confidential, except where the law requires otherwise: a serious "
                            "risk of harm to myself or others, suspected abuse or neglect of a child or vulnerable adult, "
                            "or a court order;\n"
                            "• I may ask questions about my care, and may stop treatment, at any time;\n"
                            "• sessions missed or cancelled late may be charged as the practice’s policies describe;\n"
                            "• the practice keeps a record of my care as the law requires.\n\n"
                            "By signing, I confirm that I have read and understood this consent."), practice);
}
