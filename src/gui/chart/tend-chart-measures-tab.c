/* tend-chart-measures-tab.c: the chart's Measures tab: each instrument's
 * latest result and graph, and a new one recorded in TendMeasureDialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-measures-tab.h"
#include "tend-chart-util.h"
#include "tend-measure-dialog.h"
#include "tend-measure-graph.h"

struct _TendChartMeasuresTab
{
  TendChartTab        parent_instance;

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkBox             *groups_box;
  GtkWidget          *graphs[TEND_N_INSTRUMENTS];   /* inside groups_box, while shown */
};

G_DEFINE_FINAL_TYPE (TendChartMeasuresTab, tend_chart_measures_tab, TEND_TYPE_CHART_TAB)

static void
on_dialog_response_cb (TendMeasureDialog    *dialog,
                       const char           *response,
                       TendChartMeasuresTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  guint answers[TEND_INSTRUMENT_MAX_ITEMS] = { 0 };
  g_autofree char *date = tend_chart_ui_today (tend_chart_tab_get_zone (tab));
  g_autoptr(TendMeasure) m = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") != 0 || !tend_measure_dialog_get_answers (dialog, answers))
    return;
  m = tend_measure_new (tend_chart_tab_get_client_id (tab), tend_measure_dialog_get_instrument (dialog), date,
                        answers, tend_measure_dialog_get_n_items (dialog));
  tend_record_set_string (TEND_RECORD (m), "recorded_by", tend_store_get_actor_id (store));
  if (!tend_store_save (store, TEND_RECORD (m), &error))
    {
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The Measure Could Not Be Saved"), error);
      return;
    }
  /* The header's risk alert follows the latest PHQ-9. */
  tend_chart_tab_changed (tab);
  tend_chart_ui_toast_text (GTK_WIDGET (self),
                            tend_measure_has_risk (m) ? _("Saved. Item 9 was answered: a risk alert is shown on the chart.")
                                                      : _("Measure saved"));
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  int inst = g_variant_get_int32 (parameter);
  GtkWidget *dialog;

  if (inst < 0 || inst >= TEND_N_INSTRUMENTS)
    return;
  dialog = tend_measure_dialog_new (tend_chart_ui_parent_window (widget), (TendInstrument) inst);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_dialog_response_cb), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
instrument_group (TendChartMeasuresTab *self,
                  TendInstrument        inst,
                  GPtrArray            *all)
{
  GtkWidget *group = tend_chart_ui_group_new (self->groups_box, tend_instrument_get_title (inst), NULL);
  GtkWidget *record = gtk_button_new_with_label (_("Record…"));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *graph = tend_measure_graph_new (inst);
  TendMeasure *latest = NULL;

  for (guint k = 0; k < all->len; k++)
    if (tend_measure_get_instrument (g_ptr_array_index (all, k)) == inst)
      latest = g_ptr_array_index (all, k);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (record), "measures.record");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (record), "i", (gint32) inst);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), record);
  if (latest != NULL)
    {
      g_autofree char *date = tend_chart_ui_format_date (tend_measure_get_date (latest));
      g_autofree char *result = tend_measure_dup_result (latest);
      /* TRANSLATORS: "Latest: 9 of 27, Mild, on 03/02/2026" */
      g_autofree char *desc = g_strdup_printf (_("Latest: %u of %u, %s, on %s"), tend_measure_get_score (latest),
                                               tend_instrument_get_max_score (inst), result, date);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), desc);
    }
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("Not given yet."));
  tend_measure_graph_set_measures (TEND_MEASURE_GRAPH (graph), all);
  gtk_widget_set_size_request (graph, -1, 200);
  gtk_widget_set_margin_top (graph, 6);
  gtk_widget_set_margin_bottom (graph, 6);
  gtk_frame_set_child (GTK_FRAME (frame), graph);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  return graph;
}

static void
tend_chart_measures_tab_refresh (TendChartTab *tab)
{
  TendChartMeasuresTab *self = TEND_CHART_MEASURES_TAB (tab);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  tend_chart_ui_clear_box (self->groups_box);
  for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
    self->graphs[i] = NULL;
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL))
    return;
  all = tend_chart_list_measures (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab), -1, &error);
  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (all == NULL)
    return;
  for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
    self->graphs[i] = instrument_group (self, (TendInstrument) i, all);
}

static void
tend_chart_measures_tab_dispose (GObject *object)
{
  TendChartMeasuresTab *self = TEND_CHART_MEASURES_TAB (object);

  for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
    self->graphs[i] = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_MEASURES_TAB);
  G_OBJECT_CLASS (tend_chart_measures_tab_parent_class)->dispose (object);
}

static void
tend_chart_measures_tab_class_init (TendChartMeasuresTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_measures_tab_dispose;
  tab_class->refresh = tend_chart_measures_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-measures-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartMeasuresTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartMeasuresTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartMeasuresTab, groups_box);
  tend_chart_tab_bind_class (widget_class);
  gtk_widget_class_install_action (widget_class, "measures.record", "i", record_action);
}

static void
tend_chart_measures_tab_init (TendChartMeasuresTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tend_chart_measures_tab_get_graph:
 *
 * Returns: (transfer none) (nullable): @instrument's graph, while shown
 */
GtkWidget *
tend_chart_measures_tab_get_graph (TendChartMeasuresTab *self,
                                   TendInstrument        instrument)
{
  g_return_val_if_fail (TEND_IS_CHART_MEASURES_TAB (self), NULL);
  g_return_val_if_fail (instrument < TEND_N_INSTRUMENTS, NULL);
  tend_chart_tab_ensure (TEND_CHART_TAB (self));
  return self->graphs[instrument];
}
