/* tend-plan-client-signature.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A signed treatment plan may be co-signed by the client in the portal.
 * Asking for it saves a portal_form of kind "plan" (one per plan: its id
 * is derived from the plan's) holding the plan in plain words, exactly as
 * the client will read and sign it; the client's signature comes back on
 * that form with the next sync, and this row then says so.  Shown only
 * with a practice server (no server, no portal).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart-util.h"
#include "tend-plan-client-signature.h"

struct _TendPlanClientSignature
{
  GtkWidget          parent_instance;

  TendStore         *store;
  TendTreatmentPlan *plan;
  GTimeZone         *zone;
  gboolean           may_ask;

  GtkWidget         *list;
  AdwActionRow      *row;
  GtkWidget         *ask_button;
  char              *status;
  char              *asked_text;   /* what the open dialog shows */
};

G_DEFINE_FINAL_TYPE (TendPlanClientSignature, tend_plan_client_signature, GTK_TYPE_WIDGET)

static char *
dup_form_id (TendPlanClientSignature *self)
{
  return tend_portal_form_plan_request_id (tend_record_get_id (TEND_RECORD (self->plan)));
}

static void
update (TendPlanClientSignature *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = dup_form_id (self);
  g_autoptr(TendRecord) form = tend_store_load (self->store, TEND_TYPE_PORTAL_FORM, id, &error);
  const char *status = form != NULL ? tend_record_get_string (form, "status") : NULL;
  g_autofree char *text = NULL;

  /* Not asked yet. */
  if (g_error_matches (error, TEND_ERROR, TEND_ERROR_NOT_FOUND))
    g_clear_error (&error);

  if (error != NULL)
    text = g_strdup (error->message);
  else if (form == NULL)
    text = g_strdup (_("Not asked to co-sign"));
  else if (g_strcmp0 (status, "completed") == 0)
    {
      g_autofree char *when = tend_chart_ui_format_day_of (tend_record_get_string (form, "completed_at"), self->zone);

      /* TRANSLATORS: "Co-signed by the client on 12/07/2026 as “Ana Ruiz”": the name the client typed */
      text = g_strdup_printf (_("Co-signed by the client on %s as “%s”"), when,
                              tend_record_get_string (form, "signed_name"));
    }
  else if (g_strcmp0 (status, "withdrawn") == 0)
    text = g_strdup (_("The request to co-sign was withdrawn"));
  else
    {
      g_autofree char *when = tend_chart_ui_format_day_of (tend_record_get_string (form, "assigned_at"), self->zone);

      /* TRANSLATORS: the client was asked on a date to co-sign the plan in the portal */
      text = g_strdup_printf (_("Waiting for the client to co-sign in the portal (asked on %s)"), when);
    }
  adw_action_row_set_subtitle (self->row, text);
  g_free (self->status);
  self->status = g_steal_pointer (&text);
  gtk_widget_set_visible (self->ask_button, self->may_ask && error == NULL && form == NULL);
}

static void
on_ask_response_cb (AdwMessageDialog        *dialog,
                    const char              *response,
                    TendPlanClientSignature *self)
{
  g_autoptr(TendPortalForm) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_steal_pointer (&self->asked_text);
  /* Saving makes the chart read the plan again, which replaces this row:
   * keep it (and where toasts go) until the end. */
  g_autoptr(TendPlanClientSignature) hold = g_object_ref (self);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (g_strcmp0 (response, "ask") != 0 || text == NULL)
    return;
  form = tend_portal_form_new_plan_request (tend_treatment_plan_get_client_id (self->plan),
                                            tend_record_get_id (TEND_RECORD (self->plan)),
                                            tend_record_get_string (TEND_RECORD (self->plan), "content_sha256"),
                                            _("Your treatment plan"), text,
                                            tend_store_get_actor_id (self->store));
  if (!tend_store_save (self->store, TEND_RECORD (form), &error))
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Client Was Not Asked"), error);
      return;
    }
  update (self);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (_("The client can co-sign the plan in the portal")));
}

static void
on_ask_clicked_cb (TendPlanClientSignature *self)
{
  tend_plan_client_signature_ask (self);
}

static void
tend_plan_client_signature_dispose (GObject *object)
{
  TendPlanClientSignature *self = TEND_PLAN_CLIENT_SIGNATURE (object);

  g_clear_pointer (&self->list, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_plan_client_signature_parent_class)->dispose (object);
}

static void
tend_plan_client_signature_finalize (GObject *object)
{
  TendPlanClientSignature *self = TEND_PLAN_CLIENT_SIGNATURE (object);

  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->asked_text, g_free);
  G_OBJECT_CLASS (tend_plan_client_signature_parent_class)->finalize (object);
}

static void
tend_plan_client_signature_class_init (TendPlanClientSignatureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_plan_client_signature_dispose;
  object_class->finalize = tend_plan_client_signature_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tend_plan_client_signature_init (TendPlanClientSignature *self)
{
  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_widget_set_parent (self->list, GTK_WIDGET (self));
  self->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), _("Client’s Signature"));
  adw_action_row_set_subtitle_lines (self->row, 0);
  self->ask_button = gtk_button_new_with_mnemonic (_("_Ask to Co-sign…"));
  gtk_widget_set_name (self->ask_button, "ask-cosign-button");
  gtk_widget_set_valign (self->ask_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->ask_button, "clicked", G_CALLBACK (on_ask_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->row, self->ask_button);
  gtk_list_box_append (GTK_LIST_BOX (self->list), GTK_WIDGET (self->row));
}

/**
 * tend_plan_client_signature_new:
 * @plan: a signed plan
 * @zone: the practice's time zone
 * @may_ask: whether the person may ask (writes clinical records)
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
tend_plan_client_signature_new (TendStore         *store,
                                TendTreatmentPlan *plan,
                                GTimeZone         *zone,
                                gboolean           may_ask)
{
  TendPlanClientSignature *self = g_object_new (TEND_TYPE_PLAN_CLIENT_SIGNATURE, NULL);

  self->store = g_object_ref (store);
  self->plan = g_object_ref (plan);
  self->zone = g_time_zone_ref (zone);
  self->may_ask = may_ask;
  update (self);
  return GTK_WIDGET (self);
}

/* What the row says, for tests. */
const char *
tend_plan_client_signature_get_status (TendPlanClientSignature *self)
{
  g_return_val_if_fail (TEND_IS_PLAN_CLIENT_SIGNATURE (self), NULL);
  return self->status;
}

/**
 * tend_plan_client_signature_dup_text:
 *
 * The plan in plain words, as the client reads and signs it: when its
 * clinician signed it, then its problems, goals, steps and dates.
 *
 * Returns: (transfer full): the text
 */
char *
tend_plan_client_signature_dup_text (TendTreatmentPlan *plan,
                                     GTimeZone         *zone)
{
  g_autofree char *signed_on = tend_chart_ui_format_day_of (tend_record_get_string (TEND_RECORD (plan), "signed_at"), zone);
  g_autofree char *body = tend_treatment_plan_dup_client_text (plan, tend_chart_ui_format_date);

  /* TRANSLATORS: the first line of the treatment plan a client is asked to co-sign */
  return g_strdup_printf (_("Your clinician signed this plan on %s.\n\n%s"), signed_on, body);
}

/**
 * tend_plan_client_signature_ask:
 *
 * Shows the text the client will sign and asks before sending it.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
tend_plan_client_signature_ask (TendPlanClientSignature *self)
{
  GtkWidget *dialog;
  GtkWidget *scroller;
  g_autofree char *text = NULL;

  g_return_val_if_fail (TEND_IS_PLAN_CLIENT_SIGNATURE (self), NULL);
  text = tend_plan_client_signature_dup_text (self->plan, self->zone);
  dialog = adw_message_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                   _("Ask the Client to Co-sign?"),
                                   _("The client, or the guardian who acts for them, reads this text in the portal and "
                                     "signs it with their typed name. The plan cannot change once it is signed: a revised "
                                     "plan needs its own signature."));
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), tend_chart_ui_text_frame (text));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  g_free (self->asked_text);
  self->asked_text = g_steal_pointer (&text);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "ask", _("_Ask to Co-sign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ask", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_ask_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
