/* tend-document-window.c: a document or an attachment in a window of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message's attachment opens here: its name in the header bar, Save As
 * beside it, the pages or the image below (TendDocumentView).  The bytes
 * stay in memory while the window is open and go with it; they reach the
 * disk only where the person saves them, readable by them alone.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-document-window.h"

struct _TendDocumentWindow
{
  AdwWindow         parent_instance;

  AdwToastOverlay  *toasts;
  TendDocumentView *view;
  GBytes           *bytes;
  char             *title;
};

G_DEFINE_FINAL_TYPE (TendDocumentWindow, tend_document_window, ADW_TYPE_WINDOW)

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  g_autoptr(TendDocumentWindow) self = data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The file was not saved: %s"), error->message);

      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
    }
  else
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("File saved")));
}

static void
on_save_response_cb (GtkNativeDialog    *dialog,
                     int                 response,
                     TendDocumentWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_replace_contents_bytes_async (file, self->bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                           on_saved_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

/* Asks where, then writes the bytes there (owner-only). */
void
tend_document_window_save_as (TendDocumentWindow *self)
{
  GtkFileChooserNative *dialog;

  g_return_if_fail (TEND_IS_DOCUMENT_WINDOW (self));
  dialog = gtk_file_chooser_native_new (_("Save As"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), self->title);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
tend_document_window_finalize (GObject *object)
{
  TendDocumentWindow *self = TEND_DOCUMENT_WINDOW (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->title);
  G_OBJECT_CLASS (tend_document_window_parent_class)->finalize (object);
}

static void
tend_document_window_class_init (TendDocumentWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tend_document_window_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                (GtkShortcutFunc) tend_document_window_save_as, NULL);
}

static void
tend_document_window_init (TendDocumentWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *save = gtk_button_new_from_icon_name ("document-save-as-symbolic");

  gtk_window_set_default_size (GTK_WINDOW (self), 800, 860);
  gtk_widget_set_tooltip_text (save, _("Save As… (Ctrl+S)"));
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (tend_document_window_save_as), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (box), header);
  self->view = TEND_DOCUMENT_VIEW (tend_document_view_new ());
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (GTK_WIDGET (self->toasts), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));
  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * tend_document_window_new:
 * @title: the file's name (the window's title, and what Save As offers)
 *
 * Returns: (transfer none): a window showing @bytes; present it
 */
TendDocumentWindow *
tend_document_window_new (GtkWindow  *parent,
                          const char *title,
                          GBytes     *bytes,
                          const char *mime_type)
{
  TendDocumentWindow *self = g_object_new (TEND_TYPE_DOCUMENT_WINDOW,
                                           "transient-for", parent,
                                           "title", title,
                                           NULL);

  self->bytes = g_bytes_ref (bytes);
  self->title = g_strdup (title);
  tend_document_view_load (self->view, bytes, mime_type);
  return self;
}

TendDocumentView *
tend_document_window_get_view (TendDocumentWindow *self)
{
  g_return_val_if_fail (TEND_IS_DOCUMENT_WINDOW (self), NULL);
  return self->view;
}
