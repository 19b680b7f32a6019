/* tend-chart-documents-tab.c: the chart's Documents tab: the client's
 * documents (PDFs and images, kept encrypted in the store), attached from
 * a file and, with a practice server, shared with the client's portal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file is read and, for a PDF, checked with poppler in a thread before
 * it is attached.  A row opens its document through the chart page's
 * "chart.open-document" action.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-documents-tab.h"
#include "tend-chart-util.h"
#include "tend-chart-pdf.h"

struct _TendChartDocumentsTab
{
  TendChartTab        parent_instance;

  GtkStack           *stack;
  TendChartReadError *read_error;
  GtkListBox         *list;
  gboolean            sharing;     /* with a practice server: the portal offers documents */
  guint               attaching;   /* files being read in a thread */
  char               *last_error;  /* the last attach error shown, for tests */
};

G_DEFINE_FINAL_TYPE (TendChartDocumentsTab, tend_chart_documents_tab, TEND_TYPE_CHART_TAB)

typedef struct
{
  GBytes *bytes;
  char   *title;
  char   *mime;
} Attachment;

static void
attachment_free (Attachment *a)
{
  g_clear_pointer (&a->bytes, g_bytes_unref);
  g_free (a->title);
  g_free (a->mime);
  g_free (a);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attachment, attachment_free)

/* In a thread: read the file, tell what it is, check a PDF with poppler. */
static void
read_attachment_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(Attachment) a = g_new0 (Attachment, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  a->bytes = g_bytes_new_take (contents, len);
  type = g_content_type_guess (basename, (const guchar *) contents, MIN (len, 4096), NULL);
  a->mime = g_content_type_get_mime_type (type);
  a->title = g_strdup (basename);
  if (g_strcmp0 (a->mime, "application/pdf") == 0 && !tend_pdf_check (a->bytes, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&a), (GDestroyNotify) attachment_free);
}

static void
on_attachment_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TendChartDocumentsTab *self = TEND_CHART_DOCUMENTS_TAB (source);
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(Attachment) a = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(TendDocument) doc = NULL;

  self->attaching--;
  if (a != NULL)
    doc = tend_chart_attach_document (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab),
                                      a->title, a->mime, a->bytes, &error);
  if (doc == NULL)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      tend_chart_ui_show_error (GTK_WIDGET (self), _("The File Could Not Be Attached"), error);
      return;
    }
  tend_chart_tab_changed (tab);
  tend_chart_ui_toast_text (GTK_WIDGET (self), _("Document attached"));
}

static void
on_attach_response_cb (GtkNativeDialog       *dialog,
                       int                    response,
                       TendChartDocumentsTab *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file != NULL)
    tend_chart_documents_tab_attach_file (self, file);
}

static void
on_attach_clicked_cb (TendChartDocumentsTab *self)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Attach a Document"),
                                                               tend_chart_ui_parent_window (GTK_WIDGET (self)),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PDF documents and images"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_attach_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
share_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  const char *id = NULL;
  gboolean share = FALSE;
  g_autoptr(GError) error = NULL;

  g_variant_get (parameter, "(&sb)", &id, &share);
  if (!tend_chart_share_document (tend_chart_tab_get_store (TEND_CHART_TAB (widget)), id, share, &error))
    {
      tend_chart_ui_show_error (widget, share ? _("The Document Was Not Shared") : _("The Document Is Still Shared"),
                                error);
      return;
    }
  tend_chart_tab_refresh (TEND_CHART_TAB (widget));
  tend_chart_ui_toast_text (widget, share ? _("Shared: the client can download it from the portal")
                                          : _("No longer shared with the client"));
}

static GtkWidget *
document_row (TendChartDocumentsTab *self,
              TendDocument          *doc)
{
  const char *id = tend_record_get_id (TEND_RECORD (doc));
  g_autofree char *size = g_format_size ((guint64) tend_document_get_size (doc));
  g_autofree char *desc = g_content_type_get_description (tend_document_get_mime_type (doc));
  gboolean shared = tend_record_get_int (TEND_RECORD (doc), "shared_with_client") != 0;
  /* TRANSLATORS: a document's type and size, and that the client sees it in the portal */
  g_autofree char *sub = shared ? g_strdup_printf (_("%s · %s · Shared with the client"), desc, size)
                                : g_strdup_printf ("%s · %s", desc, size);
  GtkWidget *row = tend_chart_ui_row_new (tend_document_get_title (doc), sub);

  /* With a practice server, a document can be offered in the portal. */
  if (self->sharing)
    {
      GtkWidget *share = gtk_button_new_with_mnemonic (shared ? _("Stop _Sharing") : _("_Share with Client"));

      gtk_widget_set_name (share, "share-button");
      gtk_widget_set_valign (share, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (share, "flat");
      gtk_widget_set_tooltip_text (share, shared ? _("The client will no longer see it in the portal")
                                                 : _("The client can download it from the portal"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (share), "documents.share");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (share), "(sb)", id, !shared);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), share);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "chart.open-document");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", id);
  return row;
}

static void
tend_chart_documents_tab_refresh (TendChartTab *tab)
{
  TendChartDocumentsTab *self = TEND_CHART_DOCUMENTS_TAB (tab);
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;

  tend_chart_ui_list_clear (self->list);
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL))
    return;
  docs = tend_chart_list_documents (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab), &error);
  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (docs == NULL)
    return;
  for (guint i = 0; i < docs->len; i++)
    gtk_list_box_append (self->list, document_row (self, g_ptr_array_index (docs, i)));
  if (docs->len == 0)
    gtk_list_box_append (self->list,
                         tend_chart_ui_row_new (_("No documents yet"),
                                                _("Attach referral letters, releases and scanned forms (PDF, PNG, JPEG).")));
}

static void
tend_chart_documents_tab_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_DOCUMENTS_TAB);
  G_OBJECT_CLASS (tend_chart_documents_tab_parent_class)->dispose (object);
}

static void
tend_chart_documents_tab_finalize (GObject *object)
{
  TendChartDocumentsTab *self = TEND_CHART_DOCUMENTS_TAB (object);

  g_clear_pointer (&self->last_error, g_free);
  G_OBJECT_CLASS (tend_chart_documents_tab_parent_class)->finalize (object);
}

static void
tend_chart_documents_tab_class_init (TendChartDocumentsTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_documents_tab_dispose;
  object_class->finalize = tend_chart_documents_tab_finalize;
  tab_class->refresh = tend_chart_documents_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-documents-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartDocumentsTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartDocumentsTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartDocumentsTab, list);
  gtk_widget_class_bind_template_callback (widget_class, on_attach_clicked_cb);
  tend_chart_tab_bind_class (widget_class);
  gtk_widget_class_install_action (widget_class, "documents.share", "(sb)", share_action);
}

static void
tend_chart_documents_tab_init (TendChartDocumentsTab *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* With a practice server, each document offers sharing in the portal. */
void
tend_chart_documents_tab_set_sharing (TendChartDocumentsTab *self,
                                      gboolean               sharing)
{
  g_return_if_fail (TEND_IS_CHART_DOCUMENTS_TAB (self));
  self->sharing = sharing;
}

/**
 * tend_chart_documents_tab_attach_file:
 *
 * Reads @file in a thread (checking a PDF with poppler) and attaches it to
 * the chart; an error is shown in a dialog.
 */
void
tend_chart_documents_tab_attach_file (TendChartDocumentsTab *self,
                                      GFile                 *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEND_IS_CHART_DOCUMENTS_TAB (self));
  self->attaching++;
  task = g_task_new (self, NULL, on_attachment_read_cb, NULL);
  g_task_set_source_tag (task, tend_chart_documents_tab_attach_file);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_attachment_thread);
}

gboolean
tend_chart_documents_tab_is_attaching (TendChartDocumentsTab *self)
{
  g_return_val_if_fail (TEND_IS_CHART_DOCUMENTS_TAB (self), FALSE);
  return self->attaching > 0;
}

/* The message of the last attach error shown, or %NULL. */
const char *
tend_chart_documents_tab_get_last_error (TendChartDocumentsTab *self)
{
  g_return_val_if_fail (TEND_IS_CHART_DOCUMENTS_TAB (self), NULL);
  return self->last_error;
}
