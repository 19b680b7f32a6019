/* tend-document-pane.c: one of the chart's documents, shown in place of
 * the chart, with Export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document's bytes are kept only while it is shown (and while a copy
 * is being written): tend_document_pane_close () drops them.  "back" asks
 * for the chart again.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart-util.h"
#include "tend-document-pane.h"
#include "tend-document-view.h"

struct _TendDocumentPane
{
  GtkWidget         parent_instance;

  GBytes           *bytes;       /* what it shows, for Export */
  char             *title;
  GBytes           *exporting;   /* what the open file chooser writes */
  TendDocumentView *view;        /* inside box, while shown */

  GtkBox           *box;
  GtkLabel         *title_label;
};

G_DEFINE_FINAL_TYPE (TendDocumentPane, tend_document_pane, GTK_TYPE_WIDGET)

enum {
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_back_clicked_cb (TendDocumentPane *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

static void
on_export_response_cb (GtkNativeDialog  *dialog,
                       int               response,
                       TendDocumentPane *self)
{
  g_autoptr(GBytes) bytes = g_steal_pointer (&self->exporting);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file != NULL && bytes != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      /* Small and local: written at once, owner-only like every export. */
      if (!g_file_set_contents_full (g_file_peek_path (file), data, (gssize) len,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        tend_chart_ui_show_error (GTK_WIDGET (self), _("The Document Could Not Be Saved"), error);
      else
        tend_chart_ui_toast_text (GTK_WIDGET (self), _("Document exported"));
    }
}

static void
on_export_clicked_cb (TendDocumentPane *self)
{
  GtkFileChooserNative *chooser;

  if (self->bytes == NULL || self->exporting != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export the Document"), tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), self->title);
  self->exporting = g_bytes_ref (self->bytes);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tend_document_pane_dispose (GObject *object)
{
  TendDocumentPane *self = TEND_DOCUMENT_PANE (object);

  self->view = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_DOCUMENT_PANE);
  tend_chart_ui_unparent_children (GTK_WIDGET (object));
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->exporting, g_bytes_unref);
  G_OBJECT_CLASS (tend_document_pane_parent_class)->dispose (object);
}

static void
tend_document_pane_finalize (GObject *object)
{
  TendDocumentPane *self = TEND_DOCUMENT_PANE (object);

  g_clear_pointer (&self->title, g_free);
  G_OBJECT_CLASS (tend_document_pane_parent_class)->finalize (object);
}

static void
tend_document_pane_class_init (TendDocumentPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_document_pane_dispose;
  object_class->finalize = tend_document_pane_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-document-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, TendDocumentPane, box);
  gtk_widget_class_bind_template_child (widget_class, TendDocumentPane, title_label);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);

  /**
   * TendDocumentPane::back: the person asked for the chart again
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_document_pane_init (TendDocumentPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tend_document_pane_show:
 * @bytes: (transfer full): the document
 *
 * Shows a document (a PDF's pages are rendered in a thread).
 */
void
tend_document_pane_show (TendDocumentPane *self,
                         GBytes           *bytes,
                         const char       *mime,
                         const char       *title)
{
  g_return_if_fail (TEND_IS_DOCUMENT_PANE (self));
  tend_document_pane_close (self);
  self->bytes = bytes;
  self->title = g_strdup (title);
  gtk_label_set_text (self->title_label, title);
  self->view = TEND_DOCUMENT_VIEW (tend_document_view_new ());
  tend_document_view_load (self->view, bytes, mime);
  gtk_box_append (self->box, GTK_WIDGET (self->view));
}

/* Drops the document: its bytes are not kept once it is closed. */
void
tend_document_pane_close (TendDocumentPane *self)
{
  g_return_if_fail (TEND_IS_DOCUMENT_PANE (self));
  if (self->view != NULL)
    gtk_box_remove (self->box, GTK_WIDGET (self->view));
  self->view = NULL;
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->title, g_free);
}

/* How many page images the document view shows (0 while rendering). */
guint
tend_document_pane_get_n_pages (TendDocumentPane *self)
{
  g_return_val_if_fail (TEND_IS_DOCUMENT_PANE (self), 0);
  return self->view != NULL ? tend_document_view_get_n_pages (self->view) : 0;
}
