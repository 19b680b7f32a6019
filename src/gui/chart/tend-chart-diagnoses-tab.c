/* tend-chart-diagnoses-tab.c: the chart's Diagnoses tab: the client's
 * ICD-10-CM diagnoses, added from TendDiagnosisDialog and marked resolved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Billers read diagnoses without the rest of the clinical record; only a
 * role that edits clinical records adds or resolves one.  Undoing a
 * resolution is the chart page's "chart.unresolve" action, from the toast.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-diagnoses-tab.h"
#include "tend-chart-util.h"
#include "tend-diagnosis-dialog.h"

struct _TendChartDiagnosesTab
{
  TendChartTab        parent_instance;

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkWidget          *add_button;
  GtkListBox         *list;
};

G_DEFINE_FINAL_TYPE (TendChartDiagnosesTab, tend_chart_diagnoses_tab, TEND_TYPE_CHART_TAB)

static const char *
rank_label (TendDiagnosis *dx)
{
  return tend_diagnosis_get_rank (dx) == TEND_DIAGNOSIS_PRIMARY ? _("Primary") : _("Secondary");
}

static GtkWidget *
diagnosis_row (TendChartDiagnosesTab *self,
               TendDiagnosis         *dx)
{
  g_autofree char *title = g_strdup_printf ("%s %s", tend_diagnosis_get_code (dx), tend_diagnosis_get_description (dx));
  g_autofree char *onset = tend_chart_ui_format_date (tend_diagnosis_get_onset (dx));
  g_autofree char *resolved = tend_diagnosis_get_resolved (dx) != NULL
                              ? tend_chart_ui_format_date (tend_diagnosis_get_resolved (dx)) : NULL;
  g_autofree char *sub = resolved != NULL
                         /* TRANSLATORS: rank, onset date, resolved date */
                         ? g_strdup_printf (_("%s · onset %s · resolved %s"), rank_label (dx), onset, resolved)
                         : g_strdup_printf (_("%s · onset %s"), rank_label (dx), onset);
  GtkWidget *row = tend_chart_ui_row_new (title, sub);

  if (tend_chart_tab_can (TEND_CHART_TAB (self), TEND_PERMISSION_VIEW_CLINICAL) && tend_diagnosis_is_active (dx))
    {
      GtkWidget *resolve = gtk_button_new_with_mnemonic (_("_Resolved"));

      gtk_widget_set_valign (resolve, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (resolve, _("Mark the diagnosis resolved today"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (resolve), "diagnoses.resolve");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (resolve), "s", tend_record_get_id (TEND_RECORD (dx)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), resolve);
    }
  return row;
}

static void
on_dialog_response_cb (TendDiagnosisDialog   *dialog,
                       const char            *response,
                       TendChartDiagnosesTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  const TendIcd10Entry *e = tend_diagnosis_dialog_get_selected (dialog);
  g_autofree char *today = tend_chart_ui_today (tend_chart_tab_get_zone (tab));
  g_autoptr(TendDiagnosis) dx = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "add") != 0 || e == NULL)
    return;
  dx = tend_diagnosis_new (tend_chart_tab_get_client_id (tab), e->code, e->description);
  tend_record_set_string (TEND_RECORD (dx), "rank", tend_diagnosis_dialog_get_primary (dialog) ? "primary" : "secondary");
  tend_record_set_string (TEND_RECORD (dx), "onset", today);
  tend_record_set_string (TEND_RECORD (dx), "recorded_by", tend_store_get_actor_id (store));
  if (!tend_store_save (store, TEND_RECORD (dx), &error))
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Diagnosis Could Not Be Added"), error);
      return;
    }
  tend_chart_tab_changed (tab);
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Diagnosis added"));
}

static void
on_add_clicked_cb (TendChartDiagnosesTab *self)
{
  GtkWidget *dialog = tend_diagnosis_dialog_new (tend_chart_ui_parent_window (GTK_WIDGET (self)));

  g_signal_connect_object (dialog, "response", G_CALLBACK (on_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TendChartTab *tab = TEND_CHART_TAB (widget);
  TendStore *store = tend_chart_tab_get_store (tab);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autofree char *today = tend_chart_ui_today (tend_chart_tab_get_zone (tab));
  g_autoptr(TendRecord) dx = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  dx = tend_store_load (store, TEND_TYPE_DIAGNOSIS, id, &error);
  if (dx != NULL)
    tend_record_set_string (dx, "resolved", today);
  if (dx == NULL || !tend_store_save (store, dx, &error))
    {
      tend_chart_ui_show_error (widget, _("The Diagnosis Could Not Be Changed"), error);
      return;
    }
  tend_chart_tab_changed (tab);
  toast = adw_toast_new (_("Diagnosis marked resolved"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "chart.unresolve");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  tend_chart_ui_toast (widget, toast);
}

static void
tend_chart_diagnoses_tab_refresh (TendChartTab *tab)
{
  TendChartDiagnosesTab *self = TEND_CHART_DIAGNOSES_TAB (tab);
  g_autoptr(GPtrArray) dxs = NULL;
  g_autoptr(GError) error = NULL;

  tend_chart_ui_list_clear (self->list);
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_DIAGNOSES))
    return;
  gtk_widget_set_visible (self->add_button, tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL));
  dxs = tend_chart_list_diagnoses (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab), &error);
  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (dxs == NULL)
    return;
  for (guint i = 0; i < dxs->len; i++)
    gtk_list_box_append (self->list, diagnosis_row (self, g_ptr_array_index (dxs, i)));
  if (dxs->len == 0)
    gtk_list_box_append (self->list, tend_chart_ui_row_new (_("No diagnoses recorded"), NULL));
}

static void
tend_chart_diagnoses_tab_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_DIAGNOSES_TAB);
  G_OBJECT_CLASS (tend_chart_diagnoses_tab_parent_class)->dispose (object);
}

static void
tend_chart_diagnoses_tab_class_init (TendChartDiagnosesTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_diagnoses_tab_dispose;
  tab_class->refresh = tend_chart_diagnoses_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-diagnoses-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartDiagnosesTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartDiagnosesTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartDiagnosesTab, add_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartDiagnosesTab, list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  tend_chart_tab_bind_class (widget_class);
  gtk_widget_class_install_action (widget_class, "diagnoses.resolve", "s", resolve_action);
}

static void
tend_chart_diagnoses_tab_init (TendChartDiagnosesTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
