/* tend-chart-plan-tab.c: the chart's Treatment Plan tab: the current
 * treatment plan (written in TendPlanEditor, signed here) with the progress
 * the notes marked on its objectives, and the current
 * safety plan (written in TendSafetyPlanWindow)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-plan-tab.h"
#include "tend-chart-util.h"
#include "tend-objective-progress.h"
#include "tend-plan-client-signature.h"
#include "tend-plan-editor.h"
#include "tend-safety-plan-window.h"

struct _TendChartPlanTab
{
  TendChartTab        parent_instance;

  TendTreatmentPlan  *plan;         /* (nullable) the newest plan, as shown */
  TendSafetyPlan     *safety_plan;  /* (nullable) likewise */

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkBox             *content;
  AdwPreferencesGroup *plan_group;
  GtkWidget          *edit_button;
  GtkWidget          *sign_button;
  GtkListBox         *plan_list;
  GtkWidget          *plan_frame;
  GtkLabel           *plan_label;
  GtkWidget          *progress;     /* (nullable) the plan's objectives, under it */
  GtkWidget          *client_signature;  /* (nullable) a signed plan's, with a portal */
  gboolean            portal;       /* a practice server, so a portal */
  AdwPreferencesGroup *safety_group;
  GtkWidget          *safety_button;
  GtkListBox         *safety_list;
  GtkWidget          *safety_frame;
  GtkLabel           *safety_label;
};

G_DEFINE_FINAL_TYPE (TendChartPlanTab, tend_chart_plan_tab, TEND_TYPE_CHART_TAB)

static void
on_plan_saved_cb (TendChartPlanTab *self)
{
  /* The header shows when the plan is due for review. */
  tend_chart_tab_changed (TEND_CHART_TAB (self));
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Treatment plan saved as a draft"));
}

/* A signed plan is revised as a new draft; a draft is edited; without a
 * plan, a new one is written. */
static void
on_edit_clicked_cb (TendChartPlanTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendPlanEditor *editor = tend_plan_editor_new (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab),
                                                 self->plan, tend_chart_tab_get_zone (tab));
  GtkWindow *parent = tend_chart_ui_parent_window (GTK_WIDGET (self));

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (editor), parent);
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_plan_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_sign_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     TendChartPlanTab *self)
{
  g_autoptr(TendTreatmentPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "sign") != 0 || self->plan == NULL)
    return;
  plan = tend_chart_sign_plan (tend_chart_tab_get_store (TEND_CHART_TAB (self)),
                               tend_record_get_id (TEND_RECORD (self->plan)), &error);
  if (plan == NULL)
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Treatment Plan Could Not Be Signed"), error);
      return;
    }
  tend_chart_tab_changed (TEND_CHART_TAB (self));
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Treatment plan signed"));
}

static void
on_sign_clicked_cb (TendChartPlanTab *self)
{
  GtkWidget *dialog = adw_message_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                              _("Sign the Treatment Plan?"),
                                              _("A signed plan can no longer be edited; later changes are made in a revised plan."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_safety_clicked_cb (TendChartPlanTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendSafetyPlanWindow *window = tend_safety_plan_window_new (tend_chart_tab_get_store (tab),
                                                              tend_chart_tab_get_client_id (tab),
                                                              self->safety_plan, tend_chart_tab_get_zone (tab));
  GtkWindow *parent = tend_chart_ui_parent_window (GTK_WIDGET (self));

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  g_signal_connect_object (window, "saved", G_CALLBACK (tend_chart_tab_refresh), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_plan (TendChartPlanTab *self)
{
  TendTreatmentPlan *plan = self->plan;
  gboolean draft = plan != NULL && tend_treatment_plan_get_status (plan) == TEND_SIGN_STATUS_DRAFT;
  g_autofree char *review = NULL;
  g_autofree char *desc = NULL;
  g_autofree char *text = NULL;
  const char *frequency;

  gtk_widget_set_visible (GTK_WIDGET (self->plan_list), plan == NULL);
  gtk_widget_set_visible (self->plan_frame, plan != NULL);
  gtk_widget_set_visible (self->sign_button, draft);
  if (plan == NULL)
    {
      gtk_button_set_label (GTK_BUTTON (self->edit_button), _("_New Plan…"));
      adw_preferences_group_set_description (self->plan_group, NULL);
      gtk_list_box_append (self->plan_list, tend_chart_ui_row_new (_("No treatment plan yet"), NULL));
      return;
    }
  gtk_button_set_label (GTK_BUTTON (self->edit_button), draft ? _("_Edit…") : _("_Revise…"));
  review = tend_chart_ui_format_date (tend_treatment_plan_get_review_date (plan));
  desc = g_strdup_printf (draft ? _("Draft · review by %s") : _("Signed · review by %s"), review);
  frequency = tend_record_get_string (TEND_RECORD (plan), "frequency");
  if (frequency != NULL)
    {
      /* TRANSLATORS: "Signed · review by 05/01/2027" and the plan's frequency of sessions */
      char *with = g_strdup_printf (_("%s · %s"), desc, frequency);

      g_free (desc);
      desc = with;
    }
  adw_preferences_group_set_description (self->plan_group, desc);
  text = tend_treatment_plan_dup_outline (plan, tend_chart_ui_format_date);
  gtk_label_set_text (self->plan_label, text);
}

/* The client's current safety plan, under the treatment plan; a read that
 * failed says so in its group. */
static void
show_safety_plan (TendChartPlanTab *self,
                  const GError     *error)
{
  TendSafetyPlan *plan = self->safety_plan;

  gtk_widget_set_visible (GTK_WIDGET (self->safety_list), plan == NULL);
  gtk_widget_set_visible (self->safety_frame, plan != NULL);
  gtk_widget_set_visible (self->safety_button, error == NULL);
  adw_preferences_group_set_description (self->safety_group, NULL);
  if (error != NULL)
    gtk_list_box_append (self->safety_list, tend_chart_ui_error_row_new (error));
  else if (plan == NULL)
    {
      gtk_list_box_append (self->safety_list, tend_chart_ui_row_new (_("No safety plan yet"), NULL));
      gtk_button_set_label (GTK_BUTTON (self->safety_button), _("New _Safety Plan…"));
    }
  else
    {
      g_autofree char *date = tend_chart_ui_format_date (tend_record_get_string (TEND_RECORD (plan), "plan_date"));
      g_autofree char *desc = g_strdup_printf (tend_record_get_int (TEND_RECORD (plan), "shared_with_client")
                                               ? _("Made %s · shared with the client") : _("Made %s"), date);
      g_autofree char *text = tend_safety_plan_dup_plain_text (plan);

      adw_preferences_group_set_description (self->safety_group, desc);
      gtk_label_set_text (self->safety_label, text);
      gtk_button_set_label (GTK_BUTTON (self->safety_button), _("Revise _Safety Plan…"));
    }
}

static void
tend_chart_plan_tab_refresh (TendChartTab *tab)
{
  TendChartPlanTab *self = TEND_CHART_PLAN_TAB (tab);
  TendStore *store = tend_chart_tab_get_store (tab);
  const char *client_id = tend_chart_tab_get_client_id (tab);
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GPtrArray) safety = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) safety_error = NULL;

  g_clear_object (&self->plan);
  g_clear_object (&self->safety_plan);
  tend_chart_ui_list_clear (self->plan_list);
  tend_chart_ui_list_clear (self->safety_list);
  if (self->progress != NULL)
    {
      gtk_box_remove (self->content, self->progress);
      self->progress = NULL;
    }
  if (self->client_signature != NULL)
    {
      adw_preferences_group_remove (self->plan_group, self->client_signature);
      self->client_signature = NULL;
    }
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL))
    return;
  plans = tend_chart_list_plans (store, client_id, &error);
  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (plans == NULL)
    return;
  if (plans->len > 0)
    self->plan = g_object_ref (g_ptr_array_index (plans, 0));
  show_plan (self);
  if (self->portal && self->plan != NULL && tend_treatment_plan_get_status (self->plan) == TEND_SIGN_STATUS_SIGNED)
    {
      self->client_signature = tend_plan_client_signature_new (store, self->plan, tend_chart_tab_get_zone (tab),
                                                               tend_chart_tab_can (tab, TEND_PERMISSION_EDIT_CLINICAL));
      adw_preferences_group_add (self->plan_group, self->client_signature);
    }
  if (self->plan != NULL)
    {
      self->progress = tend_objective_progress_new (store, self->plan, &error);
      if (self->progress == NULL)
        {
          tend_chart_ui_show_read_error (self->stack, self->read_error, error);
          return;
        }
      gtk_box_insert_child_after (self->content, self->progress, GTK_WIDGET (self->plan_group));
    }
  safety = tend_chart_list_safety_plans (store, client_id, &safety_error);
  if (safety != NULL && safety->len > 0)
    self->safety_plan = g_object_ref (g_ptr_array_index (safety, 0));
  show_safety_plan (self, safety_error);
}

static void
tend_chart_plan_tab_dispose (GObject *object)
{
  TendChartPlanTab *self = TEND_CHART_PLAN_TAB (object);

  g_clear_object (&self->plan);
  g_clear_object (&self->safety_plan);
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_PLAN_TAB);
  G_OBJECT_CLASS (tend_chart_plan_tab_parent_class)->dispose (object);
}

static void
tend_chart_plan_tab_class_init (TendChartPlanTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_plan_tab_dispose;
  tab_class->refresh = tend_chart_plan_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-plan-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, content);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, plan_group);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, sign_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, plan_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, plan_frame);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, plan_label);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, safety_group);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, safety_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, safety_list);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, safety_frame);
  gtk_widget_class_bind_template_child (widget_class, TendChartPlanTab, safety_label);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_safety_clicked_cb);
  tend_chart_tab_bind_class (widget_class);
}

static void
tend_chart_plan_tab_init (TendChartPlanTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tend_chart_plan_tab_set_portal:
 * @portal: whether the practice has a server (and so a client portal)
 *
 * With a portal, a signed plan offers to ask the client to co-sign it.
 */
void
tend_chart_plan_tab_set_portal (TendChartPlanTab *self,
                                gboolean          portal)
{
  g_return_if_fail (TEND_IS_CHART_PLAN_TAB (self));
  self->portal = portal;
}

/* The client's co-signature row, for tests: %NULL when not shown. */
GtkWidget *
tend_chart_plan_tab_get_client_signature (TendChartPlanTab *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PLAN_TAB (self), NULL);
  return self->client_signature;
}
