/* tend-chart-audit-tab.c: the chart's Audit tab: who opened, read, signed,
 * changed or exported the client's records (the owner's)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-audit-tab.h"
#include "tend-chart-util.h"

/* The newest entries shown. */
#define MAX_SHOWN 200

struct _TendChartAuditTab
{
  TendChartTab        parent_instance;

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkListBox         *list;
};

G_DEFINE_FINAL_TYPE (TendChartAuditTab, tend_chart_audit_tab, TEND_TYPE_CHART_TAB)

static const char *
action_label (const char *action)
{
  static const struct { const char *action; const char *label; } labels[] = {
    { "open-chart", N_("Opened the chart") },
    { "view-note", N_("Read a note") },
    { "sign-note", N_("Signed a note") },
    { "sign-addendum", N_("Signed an addendum") },
    { "cosign-note", N_("Co-signed a note") },
    { "sign-plan", N_("Signed a treatment plan") },
    { "view-document", N_("Opened a document") },
    { "export-chart", N_("Exported the chart") },
    { "break-glass", N_("Broke the glass (emergency access)") },
    { "create", N_("Created") },
    { "update", N_("Changed") },
    { "delete", N_("Deleted") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (action, labels[i].action) == 0)
      return _(labels[i].label);
  return action;
}

static const char *
record_type_label (const char *type)
{
  static const struct { const char *type; const char *label; } labels[] = {
    { "client", N_("client record") },
    { "note", N_("note") },
    { "measure", N_("measure") },
    { "diagnosis", N_("diagnosis") },
    { "treatment_plan", N_("treatment plan") },
    { "document", N_("document") },
    { "chart_access", N_("access to the chart") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (type, labels[i].type) == 0)
      return _(labels[i].label);
  return type != NULL ? type : "";
}

static void
tend_chart_audit_tab_refresh (TendChartTab *tab)
{
  TendChartAuditTab *self = TEND_CHART_AUDIT_TAB (tab);
  TendStore *store = tend_chart_tab_get_store (tab);
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  g_autoptr(GPtrArray) trail = NULL;
  g_autoptr(GError) error = NULL;
  guint shown = 0;

  tend_chart_ui_list_clear (self->list);
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_AUDIT))
    return;
  trail = tend_chart_list_audit (store, tend_chart_tab_get_client_id (tab), &error);
  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (trail == NULL)
    return;
  for (guint i = trail->len; i > 0 && shown < MAX_SHOWN; i--, shown++)
    {
      TendAuditEntry *e = g_ptr_array_index (trail, i - 1);
      g_autoptr(GDateTime) at = tend_time_from_unix_usec (e->at);
      g_autofree char *when = tend_time_format_local (at, tend_chart_tab_get_zone (tab));
      const char *who = e->actor_id != NULL ? tend_chart_ui_staff_name (store, names, e->actor_id) : _("The system");
      /* TRANSLATORS: what was done, to what: "Changed · note" */
      g_autofree char *title = g_strdup_printf (_("%s · %s"), action_label (e->action), record_type_label (e->record_type));
      g_autofree char *sub = g_strdup_printf ("%s · %s", when, who);

      gtk_list_box_append (self->list, tend_chart_ui_row_new (title, sub));
    }
  if (shown == 0)
    gtk_list_box_append (self->list, tend_chart_ui_row_new (_("Nothing recorded yet"), NULL));
}

static void
tend_chart_audit_tab_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_AUDIT_TAB);
  G_OBJECT_CLASS (tend_chart_audit_tab_parent_class)->dispose (object);
}

static void
tend_chart_audit_tab_class_init (TendChartAuditTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_audit_tab_dispose;
  tab_class->refresh = tend_chart_audit_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-audit-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartAuditTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartAuditTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartAuditTab, list);
  tend_chart_tab_bind_class (widget_class);
}

static void
tend_chart_audit_tab_init (TendChartAuditTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
