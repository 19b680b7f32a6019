/* tend-chart-insurance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A client's insurance, from the one place billing reads it: the policy
 * records (payer, member ID, group, priority, dates).  Shown in the
 * chart's Contacts and in the client form.  Those the policy record's
 * policy lets write (owner, front desk, biller: asked of the store without
 * writing) add, change and end policies in the Insurance Policies window,
 * whose payer comes from the practice's payers; the others read.
 *
 * Insurance still typed as text is listed after the policies, never
 * dropped: the client record's old insurance.* members that did not match
 * a payer ("needs a payer"), and the insurance details of an intake form
 * the client filled in through the portal ("from intake, awaiting
 * review").  Review… opens the policy it would become, with the payer of
 * that name chosen when there is one, for a person to check and save (see
 * src/store/tend-insurance.c).
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart-insurance.h"
#include "tend-chart-util.h"
#include "tend-insurance.h"
#include "tend-policy-window.h"

struct _TendChartInsurance
{
  AdwPreferencesGroup parent_instance;

  TendStore  *store;
  char       *client_id;
  gboolean    can_edit;
  guint       n_policies;
  guint       n_pending;
  gulong      changed_id;

  GtkWidget  *add_button;
  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (TendChartInsurance, tend_chart_insurance, ADW_TYPE_PREFERENCES_GROUP)

/* Helpers */

static char *
practice_today (TendStore *store)
{
  g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);
  g_autoptr(GTimeZone) zone = practice != NULL ? tend_practice_dup_zone (practice) : NULL;

  if (zone == NULL)
    zone = g_time_zone_new_local ();
  return tend_chart_ui_today (zone);
}

static const char *
priority_label (const char *priority)
{
  if (g_strcmp0 (priority, "secondary") == 0)
    return _("Secondary");
  if (g_strcmp0 (priority, "tertiary") == 0)
    return _("Tertiary");
  return _("Primary");
}

/* "Member XJ-42 · Group G-7 · from 01/01/2026 until 12/31/2026" */
static char *
describe_policy (TendRecord *policy,
                 const char *today,
                 gboolean   *ended)
{
  const char *group = tend_record_get_string (policy, "group_number");
  const char *from = tend_record_get_string (policy, "effective_from");
  const char *to = tend_record_get_string (policy, "effective_to");
  GString *s = g_string_new (NULL);

  /* TRANSLATORS: a policy's member ID */
  g_string_append_printf (s, _("Member %s"), tend_record_get_string (policy, "member_id"));
  if (group != NULL)
    /* TRANSLATORS: a policy's group number, after its member ID */
    g_string_append_printf (s, _(" · Group %s"), group);
  if (from != NULL)
    {
      g_autofree char *d = tend_chart_ui_format_date (from);

      /* TRANSLATORS: when the coverage starts */
      g_string_append_printf (s, _(" · from %s"), d);
    }
  *ended = to != NULL && g_strcmp0 (to, today) < 0;
  if (to != NULL)
    {
      g_autofree char *d = tend_chart_ui_format_date (to);

      /* TRANSLATORS: when the coverage ends (or ended) */
      g_string_append_printf (s, *ended ? _(" · ended %s") : _(" · until %s"), d);
    }
  return g_string_free (s, FALSE);
}

static void
add_message_row (TendChartInsurance *self,
                 const char         *title,
                 const char         *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (row, "dim-label");
  gtk_list_box_append (self->list, row);
}

static void
clear_list (TendChartInsurance *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

static TendPolicyWindow *
present_window (GtkWidget  *near,
                TendStore  *store,
                const char *client_id)
{
  TendPolicyWindow *window = tend_policy_window_new (store, client_id);
  GtkWindow *parent = tend_chart_ui_parent_window (near);

  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Signal callbacks */

static void
on_add_clicked_cb (TendChartInsurance *self)
{
  tend_chart_insurance_open (self, NULL);
}

static void
on_policy_activated_cb (AdwActionRow       *row,
                        TendChartInsurance *self)
{
  tend_chart_insurance_open (self, g_object_get_data (G_OBJECT (row), "policy-id"));
}

static void
on_review_clicked_cb (GtkButton          *button,
                      TendChartInsurance *self)
{
  tend_chart_insurance_review (self, g_object_get_data (G_OBJECT (button), "source-id"));
}

static void
on_dismiss_response_cb (AdwMessageDialog   *dialog,
                        const char         *response,
                        TendChartInsurance *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "dismiss") != 0)
    return;
  if (!tend_chart_insurance_dismiss_now (self, g_object_get_data (G_OBJECT (dialog), "source-id"), &error))
    {
      /* Without an error, it was handled meanwhile (synced): nothing to do. */
      if (error != NULL)
        tend_chart_ui_show_error (GTK_WIDGET (self), _("The Insurance Was Not Dismissed"), error);
    }
  else
    tend_chart_ui_toast_text (GTK_WIDGET (self), _("Insurance dismissed: it no longer waits for review"));
}

static void
on_dismiss_clicked_cb (GtkButton          *button,
                       TendChartInsurance *self)
{
  tend_chart_insurance_dismiss (self, g_object_get_data (G_OBJECT (button), "source-id"));
}

static void
on_end_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    TendChartInsurance *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "end") != 0)
    return;
  if (!tend_chart_insurance_end (self, g_object_get_data (G_OBJECT (dialog), "policy-id"), &error))
    tend_chart_ui_show_error (GTK_WIDGET (self), _("The Coverage Was Not Ended"), error);
  else
    tend_chart_ui_toast_text (GTK_WIDGET (self), _("Coverage ended today"));
}

static void
on_end_clicked_cb (GtkButton          *button,
                   TendChartInsurance *self)
{
  GtkWidget *dialog = adw_message_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                              _("End This Coverage?"),
                                              _("The policy stays on file with today as its last day; "
                                                "sessions after today are billed to the client unless "
                                                "another policy covers them."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "end", _("_End Coverage"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "policy-id",
                          g_strdup (g_object_get_data (G_OBJECT (button), "policy-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_end_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_store_changed_cb (TendStore          *store,
                     const char         *type_name,
                     const char         *id,
                     TendChartInsurance *self)
{
  if (g_strcmp0 (type_name, "policy") == 0 || g_strcmp0 (type_name, "payer") == 0 ||
      g_strcmp0 (type_name, "portal_form") == 0 || g_strcmp0 (type_name, "client") == 0 ||
      g_strcmp0 (type_name, "insurance_dismissal") == 0)
    tend_chart_insurance_refresh (self);
}

/* Rows */

static void
add_policies (TendChartInsurance *self,
              GPtrArray          *policies)
{
  g_autofree char *today = practice_today (self->store);

  for (guint i = 0; i < policies->len; i++)
    {
      TendRecord *policy = g_ptr_array_index (policies, i);
      g_autofree char *payer = tend_store_dup_display_name (self->store, TEND_TYPE_PAYER,
                                                            tend_record_get_string (policy, "payer_id"));
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      gboolean ended;

      subtitle = describe_policy (policy, today, &ended);
      /* TRANSLATORS: a payer and the policy's priority: "Blue Harbor Health · Primary" */
      title = g_strdup_printf (_("%s · %s"), payer != NULL ? payer : _("Unknown payer"),
                               priority_label (tend_record_get_string (policy, "priority")));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      g_object_set_data_full (G_OBJECT (row), "policy-id", g_strdup (tend_record_get_id (policy)), g_free);
      if (ended)
        gtk_widget_add_css_class (row, "dim-label");
      if (self->can_edit)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect_object (row, "activated", G_CALLBACK (on_policy_activated_cb), self, 0);
          /* Not once its last day is set to today or before. */
          if (tend_record_get_string (policy, "effective_to") == NULL ||
              g_strcmp0 (tend_record_get_string (policy, "effective_to"), today) > 0)
            {
              GtkWidget *end = gtk_button_new_with_mnemonic (_("_End"));

              gtk_widget_set_valign (end, GTK_ALIGN_CENTER);
              gtk_widget_add_css_class (end, "flat");
              gtk_widget_set_tooltip_text (end, _("End this coverage today"));
              g_object_set_data_full (G_OBJECT (end), "policy-id", g_strdup (tend_record_get_id (policy)), g_free);
              g_object_set_data (G_OBJECT (row), "end-button", end);   /* for tests */
              g_signal_connect_object (end, "clicked", G_CALLBACK (on_end_clicked_cb), self, 0);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), end);
            }
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
        }
      gtk_list_box_append (self->list, row);
    }
}

static void
add_pending (TendChartInsurance *self,
             GPtrArray          *pending)
{
  for (guint i = 0; i < pending->len; i++)
    {
      TendInsuranceProposal *p = g_ptr_array_index (pending, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *detail = NULL;

      /* TRANSLATORS: insurance as the client or staff typed it: "Blue Shield · Member XJ-42" */
      title = g_strdup_printf (_("%s · Member %s"), p->payer_text != NULL ? p->payer_text : _("No payer named"),
                               p->member != NULL ? p->member : _("none"));
      if (p->from_intake)
        {
          g_autoptr(GDateTime) when = p->received_at != NULL ? g_date_time_new_from_iso8601 (p->received_at, NULL) : NULL;
          g_autoptr(GDateTime) local = when != NULL ? g_date_time_to_local (when) : NULL;
          g_autofree char *day = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;
          g_autofree char *d = tend_chart_ui_format_date (day);

          /* TRANSLATORS: insurance details a client sent through the portal, on a date */
          detail = g_strdup_printf (_("Insurance from intake awaiting review (sent %s)"), d);
        }
      else
        detail = g_strdup (p->payer_id != NULL ? _("Typed on the client record before policies; not a policy yet")
                                               : _("Needs a payer: no payer of the practice has this name"));
      subtitle = self->can_edit ? g_strdup (detail)
                                /* TRANSLATORS: after why insurance is not a policy yet */
                                : g_strdup_printf (_("%s. Billing makes it a policy."), detail);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_add_css_class (row, "tend-insurance-pending");
      g_object_set_data_full (G_OBJECT (row), "source-id", g_strdup (p->source_id), g_free);
      if (self->can_edit)
        {
          GtkWidget *review = gtk_button_new_with_mnemonic (_("_Review…"));

          gtk_widget_set_valign (review, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (review, "suggested-action");
          gtk_widget_set_tooltip_text (review, _("Choose the payer, check the details and save them as a policy"));
          g_object_set_data_full (G_OBJECT (review), "source-id", g_strdup (p->source_id), g_free);
          g_object_set_data (G_OBJECT (row), "review-button", review);   /* for tests */
          g_signal_connect_object (review, "clicked", G_CALLBACK (on_review_clicked_cb), self, 0);
          /* Not every proposal should become a policy (an old card, details
           * sent twice): set aside after asking. */
          {
            GtkWidget *dismiss = gtk_button_new_from_icon_name ("edit-delete-symbolic");

            gtk_widget_set_valign (dismiss, GTK_ALIGN_CENTER);
            gtk_widget_add_css_class (dismiss, "flat");
            gtk_widget_set_tooltip_text (dismiss, _("Dismiss: do not make this a policy"));
            gtk_accessible_update_property (GTK_ACCESSIBLE (dismiss), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dismiss"), -1);
            g_object_set_data_full (G_OBJECT (dismiss), "source-id", g_strdup (p->source_id), g_free);
            g_object_set_data (G_OBJECT (row), "dismiss-button", dismiss);   /* for tests */
            g_signal_connect_object (dismiss, "clicked", G_CALLBACK (on_dismiss_clicked_cb), self, 0);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), dismiss);
          }
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), review);
        }
      gtk_list_box_append (self->list, row);
    }
}

/* Parent class overrides */

static void
tend_chart_insurance_dispose (GObject *object)
{
  TendChartInsurance *self = TEND_CHART_INSURANCE (object);

  if (self->store != NULL && self->changed_id != 0)
    g_signal_handler_disconnect (self->store, self->changed_id);
  self->changed_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_CHART_INSURANCE);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_chart_insurance_parent_class)->dispose (object);
}

static void
tend_chart_insurance_finalize (GObject *object)
{
  TendChartInsurance *self = TEND_CHART_INSURANCE (object);

  g_clear_pointer (&self->client_id, g_free);
  G_OBJECT_CLASS (tend_chart_insurance_parent_class)->finalize (object);
}

static void
tend_chart_insurance_class_init (TendChartInsuranceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_chart_insurance_dispose;
  object_class->finalize = tend_chart_insurance_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-insurance.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartInsurance, add_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartInsurance, list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
}

static void
tend_chart_insurance_init (TendChartInsurance *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * tend_chart_insurance_new:
 *
 * Returns: (transfer floating): the Insurance group of @client_id
 */
GtkWidget *
tend_chart_insurance_new (TendStore  *store,
                          const char *client_id)
{
  TendChartInsurance *self = g_object_new (TEND_TYPE_CHART_INSURANCE, NULL);

  tend_chart_insurance_set_client (self, store, client_id);
  return GTK_WIDGET (self);
}

/**
 * tend_chart_insurance_set_client:
 *
 * Shows @client_id's insurance, and keeps it up to date with the store.
 */
void
tend_chart_insurance_set_client (TendChartInsurance *self,
                                 TendStore          *store,
                                 const char         *client_id)
{
  g_return_if_fail (TEND_IS_CHART_INSURANCE (self));
  g_return_if_fail (TEND_IS_STORE (store));

  if (self->store != store)
    {
      if (self->store != NULL && self->changed_id != 0)
        g_signal_handler_disconnect (self->store, self->changed_id);
      g_set_object (&self->store, store);
      self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
    }
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  tend_chart_insurance_refresh (self);
}

void
tend_chart_insurance_refresh (TendChartInsurance *self)
{
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TEND_IS_CHART_INSURANCE (self));
  clear_list (self);
  self->n_policies = self->n_pending = 0;
  if (self->store == NULL || self->client_id == NULL)
    return;
  {
    /* Asked of the record policy without writing. */
    g_autoptr(TendPolicy) probe = tend_policy_new (self->client_id, NULL, NULL);

    self->can_edit = tend_store_check_write (self->store, TEND_RECORD (probe), NULL);
  }
  gtk_widget_set_visible (self->add_button, self->can_edit);
  policies = tend_insurance_list_policies (self->store, self->client_id, &error);
  if (policies != NULL)
    pending = tend_insurance_list_pending (self->store, self->client_id, &error);
  if (pending == NULL)
    {
      /* Said, never shown as "no insurance". */
      gtk_list_box_append (self->list, tend_chart_ui_error_row_new (error));
      return;
    }
  self->n_policies = policies->len;
  self->n_pending = pending->len;
  add_policies (self, policies);
  add_pending (self, pending);
  if (policies->len == 0 && pending->len == 0)
    add_message_row (self, _("Self-pay"), _("No insurance on file"));
}

gboolean
tend_chart_insurance_can_edit (TendChartInsurance *self)
{
  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), FALSE);
  return self->can_edit;
}

/* For tests: the list of rows, and the Add Policy button. */
GtkListBox *
tend_chart_insurance_get_list (TendChartInsurance *self)
{
  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), NULL);
  return self->list;
}

GtkWidget *
tend_chart_insurance_get_add_button (TendChartInsurance *self)
{
  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), NULL);
  return self->add_button;
}

guint
tend_chart_insurance_get_n_policies (TendChartInsurance *self)
{
  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), 0);
  return self->n_policies;
}

guint
tend_chart_insurance_get_n_pending (TendChartInsurance *self)
{
  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), 0);
  return self->n_pending;
}

/**
 * tend_chart_insurance_open:
 * @policy_id: (nullable): the policy to change, or %NULL for a new one
 *
 * Opens Insurance Policies on the policy (or a new one).
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
tend_chart_insurance_open (TendChartInsurance *self,
                           const char         *policy_id)
{
  TendPolicyWindow *window;

  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), NULL);
  window = present_window (GTK_WIDGET (self), self->store, self->client_id);
  if (policy_id != NULL)
    tend_record_form_edit_id (tend_policy_window_get_form (window), policy_id);
  return GTK_WINDOW (window);
}

/**
 * tend_chart_insurance_review:
 * @source_id: the client (its old insurance members) or the intake form
 *
 * Opens Insurance Policies on the policy that insurance typed as text
 * would become: the payer of that name chosen when there is one, else
 * none, so that saving asks for one.
 *
 * Returns: (transfer none) (nullable): the window, or %NULL when there is
 *   no such insurance any more
 */
GtkWindow *
tend_chart_insurance_review (TendChartInsurance *self,
                             const char         *source_id)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), NULL);
  window = tend_chart_insurance_review_for (GTK_WIDGET (self), self->store, self->client_id, source_id, &error);
  if (window == NULL && error != NULL)
    tend_chart_ui_show_error (GTK_WIDGET (self), _("The Insurance Could Not Be Read"), error);
  return window;
}

/**
 * tend_chart_insurance_review_for:
 * @near: a widget in the window the review opens over
 *
 * As tend_chart_insurance_review (), from elsewhere (the intake form's
 * review opens it next).
 *
 * Returns: (transfer none) (nullable): the window, or %NULL when there is
 *   no such insurance (any more) or it could not be read (@error set)
 */
GtkWindow *
tend_chart_insurance_review_for (GtkWidget  *near,
                                 TendStore  *store,
                                 const char *client_id,
                                 const char *source_id,
                                 GError    **error)
{
  g_autoptr(GPtrArray) pending = NULL;

  pending = tend_insurance_list_pending (store, client_id, error);
  if (pending == NULL)
    return NULL;
  for (guint i = 0; i < pending->len; i++)
    {
      TendInsuranceProposal *p = g_ptr_array_index (pending, i);

      if (g_strcmp0 (p->source_id, source_id) == 0)
        {
          g_autoptr(TendRecord) draft = tend_insurance_proposal_to_policy (store, p);
          TendPolicyWindow *window = present_window (near, store, client_id);

          tend_policy_window_edit_draft (window, draft, p->payer_text);
          return GTK_WINDOW (window);
        }
    }
  return NULL;
}

/**
 * tend_chart_insurance_end:
 *
 * Ends a policy's coverage today (in the practice's zone): it stays on
 * file, and covers no later session.
 */
gboolean
tend_chart_insurance_end (TendChartInsurance *self,
                          const char         *policy_id,
                          GError            **error)
{
  g_autoptr(TendRecord) policy = NULL;
  g_autofree char *today = NULL;
  const char *from;

  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), FALSE);
  policy = tend_store_load (self->store, TEND_TYPE_POLICY, policy_id, error);
  if (policy == NULL)
    return FALSE;
  today = practice_today (self->store);
  from = tend_record_get_string (policy, "effective_from");
  /* A policy that starts later than today ends on its first day. */
  tend_record_set_string (policy, "effective_to", from != NULL && g_strcmp0 (from, today) > 0 ? from : today);
  return tend_store_save (self->store, policy, error);
}

/**
 * tend_chart_insurance_dismiss:
 * @source_id: the client (its old insurance members) or the intake form
 *
 * Asks before dismissing insurance typed as text that is not a policy.
 *
 * Returns: (transfer none): the dialog
 */
GtkWidget *
tend_chart_insurance_dismiss (TendChartInsurance *self,
                              const char         *source_id)
{
  GtkWidget *dialog;

  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), NULL);
  dialog = adw_message_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                   _("Dismiss This Insurance?"),
                                   _("It will not become a policy and no longer waits for review, on this computer "
                                     "or any other. Who dismissed it and when is kept. A policy can still be added "
                                     "by hand."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "dismiss", _("_Dismiss"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "dismiss", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "source-id", g_strdup (source_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_dismiss_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * tend_chart_insurance_dismiss_now:
 * @source_id: the client (its old insurance members) or the intake form
 *
 * Dismisses that insurance in the signed-in person's name (the store
 * refuses those who may not write policies).
 *
 * Returns: %TRUE when dismissed; %FALSE with @error set, or with @error
 *   unset when that insurance no longer waits
 */
gboolean
tend_chart_insurance_dismiss_now (TendChartInsurance *self,
                                  const char         *source_id,
                                  GError            **error)
{
  g_autoptr(GPtrArray) pending = NULL;

  g_return_val_if_fail (TEND_IS_CHART_INSURANCE (self), FALSE);
  pending = tend_insurance_list_pending (self->store, self->client_id, error);
  if (pending == NULL)
    return FALSE;
  for (guint i = 0; i < pending->len; i++)
    {
      TendInsuranceProposal *p = g_ptr_array_index (pending, i);

      if (g_strcmp0 (p->source_id, source_id) == 0)
        return tend_insurance_dismiss (self->store, p, error);
    }
  return FALSE;
}
