/* tend-document-view.c: a PDF or an image, shown in the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place Tend shows a document's bytes: a chart's documents, a
 * message's attachments.  A PDF is rendered with poppler (in a module
 * loaded when first used, src/reports/tend-pdf.c) and cairo in a
 * thread (every page, up to 200, at the zoom), with page thumbnails that
 * scroll to their page; an image is decoded in a thread too.  Loading
 * again, zooming or closing cancels a render still running.  Bytes that
 * do not read as what they claim to be show the reason, not an empty
 * page.  The bytes stay in memory only: nothing is written to disk.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-document-view.h"
#include "tend-pdf.h"

#define MAX_PAGES 200

struct _TendDocumentView
{
  GtkBox        parent_instance;

  GtkWidget    *stack;
  GtkWidget    *thumbs_scroller;
  GtkWidget    *thumbs;
  GtkWidget    *pages;
  GtkWidget    *error_page;
  GtkWidget    *zoom_out;
  GtkWidget    *zoom_in;
  GBytes       *bytes;
  char         *mime_type;
  char         *error;
  double        zoom;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TendDocumentView, tend_document_view, GTK_TYPE_BOX)

typedef struct
{
  GBytes  *bytes;
  gboolean pdf;
  double   zoom;
} RenderJob;

static void
render_job_free (RenderJob *job)
{
  g_bytes_unref (job->bytes);
  g_free (job);
}

static GdkTexture *
surface_to_texture (cairo_surface_t *surface)
{
  int ih = cairo_image_surface_get_height (surface);
  gsize stride = (gsize) cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = g_bytes_new (cairo_image_surface_get_data (surface), stride * (gsize) ih);

  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), ih, GDK_MEMORY_DEFAULT, bytes, stride);
}

/* In a thread: the textures to show (a PDF's pages, or the one image). */
static void
render_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RenderJob *job = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *textures = g_ptr_array_new_with_free_func (g_object_unref);

  if (job->pdf)
    {
      g_autoptr(GPtrArray) surfaces = tend_pdf_render (job->bytes, job->zoom, MAX_PAGES, cancellable, &error);

      if (surfaces == NULL)
        {
          g_ptr_array_unref (textures);
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_task_return_error (task, g_steal_pointer (&error));
          else
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                     _("This PDF cannot be read: %s"), error->message);
          return;
        }
      for (guint i = 0; i < surfaces->len; i++)
        g_ptr_array_add (textures, surface_to_texture (surfaces->pdata[i]));
    }
  else
    {
      GdkTexture *texture = gdk_texture_new_from_bytes (job->bytes, &error);

      if (texture == NULL)
        {
          g_ptr_array_unref (textures);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("This image cannot be read: %s"), error->message);
          return;
        }
      g_ptr_array_add (textures, texture);
    }
  g_task_return_pointer (task, textures, (GDestroyNotify) g_ptr_array_unref);
}

static void
clear_children (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

/* A thumbnail scrolls the pages to its page. */
static void
on_thumb_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      gpointer         user_data)
{
  GtkWidget *page = user_data;
  GtkWidget *scroller = gtk_widget_get_ancestor (page, GTK_TYPE_SCROLLED_WINDOW);
  graphene_point_t top;

  if (scroller == NULL ||
      !gtk_widget_compute_point (page, gtk_widget_get_parent (page), &GRAPHENE_POINT_INIT (0, 0), &top))
    return;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), top.y);
}

static void
show_error (TendDocumentView *self,
            const char       *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), message);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
}

static void
on_rendered_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TendDocumentView *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) textures = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TEND_DOCUMENT_VIEW (source);
  g_clear_object (&self->cancellable);
  if (textures == NULL)
    {
      show_error (self, error->message);
      return;
    }
  clear_children (self->pages);
  clear_children (self->thumbs);
  for (guint i = 0; i < textures->len; i++)
    {
      GdkTexture *t = g_ptr_array_index (textures, i);
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (t));
      g_autofree char *label = g_strdup_printf (_("Page %u"), i + 1);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), !g_str_equal (self->mime_type, "application/pdf"));
      gtk_widget_set_halign (picture, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (picture, "card");
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_box_append (GTK_BOX (self->pages), picture);
      if (textures->len > 1)
        {
          GtkWidget *thumb = gtk_picture_new_for_paintable (GDK_PAINTABLE (t));
          GtkGesture *click = gtk_gesture_click_new ();

          gtk_widget_set_size_request (thumb, 96, 124);
          gtk_widget_set_tooltip_text (thumb, label);
          g_signal_connect_object (click, "released", G_CALLBACK (on_thumb_released_cb), picture, 0);
          gtk_widget_add_controller (thumb, GTK_EVENT_CONTROLLER (click));
          gtk_box_append (GTK_BOX (self->thumbs), thumb);
        }
    }
  gtk_widget_set_visible (self->thumbs_scroller, textures->len > 1);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "pages");
}

static void
start_render (TendDocumentView *self)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job;
  gboolean pdf = g_strcmp0 (self->mime_type, "application/pdf") == 0;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->error, g_free);
  gtk_widget_set_visible (self->zoom_out, pdf);
  gtk_widget_set_visible (self->zoom_in, pdf);
  if (self->bytes == NULL)
    return;
  if (!tend_document_view_can_show (self->mime_type))
    {
      show_error (self, _("Tend cannot show this kind of file: save it to open it with another application."));
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  job = g_new0 (RenderJob, 1);
  job->bytes = g_bytes_ref (self->bytes);
  job->pdf = pdf;
  job->zoom = self->zoom;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_rendered_cb, NULL);
  g_task_set_source_tag (task, start_render);
  g_task_set_task_data (task, job, (GDestroyNotify) render_job_free);
  g_task_run_in_thread (task, render_thread);
}

static void
on_zoom_clicked_cb (GtkButton        *button,
                    TendDocumentView *self)
{
  tend_document_view_zoom (self, button == GTK_BUTTON (self->zoom_in) ? 1.25 : 0.8);
}

static void
tend_document_view_dispose (GObject *object)
{
  TendDocumentView *self = TEND_DOCUMENT_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tend_document_view_parent_class)->dispose (object);
}

static void
tend_document_view_finalize (GObject *object)
{
  TendDocumentView *self = TEND_DOCUMENT_VIEW (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->mime_type);
  g_free (self->error);
  G_OBJECT_CLASS (tend_document_view_parent_class)->finalize (object);
}

static void
tend_document_view_class_init (TendDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_document_view_dispose;
  object_class->finalize = tend_document_view_finalize;
}

static void
tend_document_view_init (TendDocumentView *self)
{
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *zoom_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *spinner = gtk_spinner_new ();

  self->zoom = 1.0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  self->thumbs_scroller = gtk_scrolled_window_new ();
  self->thumbs = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_start (self->thumbs, 8);
  gtk_widget_set_margin_end (self->thumbs, 8);
  gtk_widget_set_margin_top (self->thumbs, 8);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->thumbs_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->thumbs_scroller), self->thumbs);
  gtk_widget_set_visible (self->thumbs_scroller, FALSE);
  gtk_box_append (GTK_BOX (body), self->thumbs_scroller);

  self->pages = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (self->pages, 12);
  gtk_widget_set_margin_bottom (self->pages, 12);
  gtk_widget_set_margin_start (self->pages, 12);
  gtk_widget_set_margin_end (self->pages, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->pages);
  gtk_widget_set_hexpand (scroller, TRUE);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), scroller);

  /* Zoom floats over the pages, out of the way of the caller's bar. */
  self->zoom_out = gtk_button_new_from_icon_name ("zoom-out-symbolic");
  self->zoom_in = gtk_button_new_from_icon_name ("zoom-in-symbolic");
  gtk_widget_set_tooltip_text (self->zoom_out, _("Zoom Out"));
  gtk_widget_set_tooltip_text (self->zoom_in, _("Zoom In"));
  g_signal_connect (self->zoom_out, "clicked", G_CALLBACK (on_zoom_clicked_cb), self);
  g_signal_connect (self->zoom_in, "clicked", G_CALLBACK (on_zoom_clicked_cb), self);
  gtk_widget_add_css_class (zoom_box, "linked");
  gtk_widget_add_css_class (zoom_box, "osd");
  gtk_box_append (GTK_BOX (zoom_box), self->zoom_out);
  gtk_box_append (GTK_BOX (zoom_box), self->zoom_in);
  gtk_widget_set_halign (zoom_box, GTK_ALIGN_END);
  gtk_widget_set_valign (zoom_box, GTK_ALIGN_END);
  gtk_widget_set_margin_end (zoom_box, 18);
  gtk_widget_set_margin_bottom (zoom_box, 18);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), zoom_box);
  gtk_box_append (GTK_BOX (body), overlay);

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading"), -1);
  gtk_stack_add_named (GTK_STACK (self->stack), spinner, "loading");
  gtk_stack_add_named (GTK_STACK (self->stack), body, "pages");
  self->error_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->error_page), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->error_page), _("This Document Cannot Be Shown"));
  gtk_stack_add_named (GTK_STACK (self->stack), self->error_page, "error");
  gtk_box_append (GTK_BOX (self), self->stack);
}

GtkWidget *
tend_document_view_new (void)
{
  return g_object_new (TEND_TYPE_DOCUMENT_VIEW, NULL);
}

/* Whether the view shows bytes of @mime_type (PDF, and the images GTK
 * reads: PNG, JPEG, TIFF). */
gboolean
tend_document_view_can_show (const char *mime_type)
{
  return g_strcmp0 (mime_type, "application/pdf") == 0 || g_strcmp0 (mime_type, "image/png") == 0 ||
         g_strcmp0 (mime_type, "image/jpeg") == 0 || g_strcmp0 (mime_type, "image/tiff") == 0;
}

/**
 * tend_document_view_load:
 * @mime_type: the type the bytes claim to be
 *
 * Shows @bytes (at 100 %), in place of what was shown.
 */
void
tend_document_view_load (TendDocumentView *self,
                         GBytes           *bytes,
                         const char       *mime_type)
{
  g_return_if_fail (TEND_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (bytes != NULL);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = g_bytes_ref (bytes);
  g_free (self->mime_type);
  self->mime_type = g_strdup (mime_type);
  self->zoom = 1.0;
  clear_children (self->pages);
  clear_children (self->thumbs);
  start_render (self);
}

/* Multiplies a PDF's zoom by @factor (from a quarter to four times). */
void
tend_document_view_zoom (TendDocumentView *self,
                         double            factor)
{
  g_return_if_fail (TEND_IS_DOCUMENT_VIEW (self));
  self->zoom = CLAMP (self->zoom * factor, 0.25, 4.0);
  start_render (self);
}

gboolean
tend_document_view_is_busy (TendDocumentView *self)
{
  g_return_val_if_fail (TEND_IS_DOCUMENT_VIEW (self), FALSE);
  return self->cancellable != NULL;
}

/* How many pages are shown (0 while rendering or on an error). */
guint
tend_document_view_get_n_pages (TendDocumentView *self)
{
  guint n = 0;

  g_return_val_if_fail (TEND_IS_DOCUMENT_VIEW (self), 0);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->stack)), "pages") != 0)
    return 0;
  for (GtkWidget *c = gtk_widget_get_first_child (self->pages); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += GTK_IS_PICTURE (c);
  return n;
}

/* Returns: (nullable): why the document is not shown */
const char *
tend_document_view_get_error (TendDocumentView *self)
{
  g_return_val_if_fail (TEND_IS_DOCUMENT_VIEW (self), NULL);
  return self->error;
}
