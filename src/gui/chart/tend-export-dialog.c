/* tend-export-dialog.c: what of a chart to export: the whole record
 * ("all") or the notes and measures of some dates ("range"), with or
 * without the conversations with the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The messages are part of the record, but a request for the record does
 * not always cover them: asked each time, as the chart page last had it.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-export-dialog.h"

struct _TendExportDialog
{
  AdwMessageDialog parent_instance;

  GtkEditable     *from_entry;
  GtkEditable     *to_entry;
  GtkCheckButton  *messages_check;
};

G_DEFINE_FINAL_TYPE (TendExportDialog, tend_export_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
tend_export_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (tend_export_dialog_parent_class)->dispose (object);
}

static void
tend_export_dialog_class_init (TendExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_export_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TendExportDialog, from_entry);
  gtk_widget_class_bind_template_child (widget_class, TendExportDialog, to_entry);
  gtk_widget_class_bind_template_child (widget_class, TendExportDialog, messages_check);
}

static void
tend_export_dialog_init (TendExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tend_export_dialog_new (GtkWindow *parent,
                        gboolean   messages)
{
  TendExportDialog *self = g_object_new (TEND_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);

  gtk_check_button_set_active (self->messages_check, messages);
  return GTK_WIDGET (self);
}

/* The first date typed ("" for none). */
const char *
tend_export_dialog_get_from (TendExportDialog *self)
{
  g_return_val_if_fail (TEND_IS_EXPORT_DIALOG (self), "");
  return gtk_editable_get_text (self->from_entry);
}

const char *
tend_export_dialog_get_to (TendExportDialog *self)
{
  g_return_val_if_fail (TEND_IS_EXPORT_DIALOG (self), "");
  return gtk_editable_get_text (self->to_entry);
}

gboolean
tend_export_dialog_get_messages (TendExportDialog *self)
{
  g_return_val_if_fail (TEND_IS_EXPORT_DIALOG (self), FALSE);
  return gtk_check_button_get_active (self->messages_check);
}
