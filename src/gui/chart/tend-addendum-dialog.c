/* tend-addendum-dialog.c: the text of an addendum to a signed note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The caller signs and adds it on the "add" response.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include "tend-addendum-dialog.h"

struct _TendAddendumDialog
{
  AdwMessageDialog parent_instance;

  GtkTextView     *text_view;
};

G_DEFINE_FINAL_TYPE (TendAddendumDialog, tend_addendum_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
tend_addendum_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_ADDENDUM_DIALOG);
  G_OBJECT_CLASS (tend_addendum_dialog_parent_class)->dispose (object);
}

static void
tend_addendum_dialog_class_init (TendAddendumDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_addendum_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-addendum-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TendAddendumDialog, text_view);
}

static void
tend_addendum_dialog_init (TendAddendumDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tend_addendum_dialog_new (GtkWindow *parent)
{
  return g_object_new (TEND_TYPE_ADDENDUM_DIALOG, "transient-for", parent, NULL);
}

/**
 * tend_addendum_dialog_dup_text:
 *
 * Returns: (transfer full): what was typed
 */
char *
tend_addendum_dialog_dup_text (TendAddendumDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (TEND_IS_ADDENDUM_DIALOG (self), NULL);
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
tend_addendum_dialog_set_text (TendAddendumDialog *self,
                               const char         *text)
{
  g_return_if_fail (TEND_IS_ADDENDUM_DIALOG (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}
