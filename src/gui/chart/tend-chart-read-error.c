/* tend-chart-read-error.c: a tab of the chart whose read failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read that failed shows that it failed, with the store's message and a
 * Retry: an empty list would say there is nothing, which in a clinical
 * record is false.  A chart the person is not on (TEND_ERROR_NO_CHART_ACCESS)
 * says so instead and offers to break the glass.  "retry" asks the tab to
 * read again.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-core.h"
#include "tend-chart-read-error.h"
#include "tend-chart-util.h"

struct _TendChartReadError
{
  GtkWidget      parent_instance;

  AdwStatusPage *status;
  GtkStack      *actions;
};

G_DEFINE_FINAL_TYPE (TendChartReadError, tend_chart_read_error, GTK_TYPE_WIDGET)

enum {
  RETRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_retry_clicked_cb (TendChartReadError *self)
{
  g_signal_emit (self, signals[RETRY], 0);
}

static void
tend_chart_read_error_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_READ_ERROR);
  tend_chart_ui_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tend_chart_read_error_parent_class)->dispose (object);
}

static void
tend_chart_read_error_class_init (TendChartReadErrorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_chart_read_error_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-read-error.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartReadError, status);
  gtk_widget_class_bind_template_child (widget_class, TendChartReadError, actions);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked_cb);

  /**
   * TendChartReadError::retry: the person asked to read again
   */
  signals[RETRY] = g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_chart_read_error_init (TendChartReadError *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tend_chart_read_error_set_error (TendChartReadError *self,
                                 const GError       *error)
{
  GtkWidget *widget = GTK_WIDGET (self->status);

  g_return_if_fail (TEND_IS_CHART_READ_ERROR (self));
  if (g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS))
    {
      adw_status_page_set_icon_name (self->status, "changes-prevent-symbolic");
      adw_status_page_set_title (self->status, _("You Don’t Have Access to This Chart"));
      adw_status_page_set_description (self->status,
                                       _("You read the charts of your own clients, of clients you are assigned to "
                                         "or covering, and of your supervisees’ clients. In an emergency, break "
                                         "the glass: your reason is recorded and shown to the client’s clinician."));
      gtk_stack_set_visible_child_name (self->actions, "break-glass");
      gtk_widget_remove_css_class (widget, "tend-read-error");
      gtk_widget_add_css_class (widget, "tend-chart-locked");
      return;
    }
  adw_status_page_set_icon_name (self->status, "dialog-warning-symbolic");
  adw_status_page_set_title (self->status, _("This Part of the Chart Could Not Be Read"));
  adw_status_page_set_description (self->status, error != NULL ? error->message : _("The store gave no reason."));
  gtk_stack_set_visible_child_name (self->actions, "retry");
  gtk_widget_remove_css_class (widget, "tend-chart-locked");
  gtk_widget_add_css_class (widget, "tend-read-error");
}
