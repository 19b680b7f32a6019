/* tend-pdf-reader.c: the PDF module (libtend-pdf.so): poppler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built as a shared module so that `tend` does not link poppler (and its
 * NSS, lcms2 and OpenJPEG): it is loaded by src/reports/tend-pdf.c when a
 * PDF is first checked or shown.  It uses GLib, cairo and poppler only,
 * and nothing of the program, so it loads alone.
 */
#include <gmodule.h>
#include <poppler.h>

#include "tend-pdf-reader.h"

static TendPdfReaderStatus
reader_check (GBytes *contents,
              int    *n_pages)
{
  g_autoptr(GObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  int pages;

  doc = G_OBJECT (poppler_document_new_from_bytes (contents, NULL, &error));
  if (doc == NULL)
    return g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED) ? TEND_PDF_READER_ENCRYPTED
                                                                            : TEND_PDF_READER_DAMAGED;
  pages = poppler_document_get_n_pages (POPPLER_DOCUMENT (doc));
  if (n_pages != NULL)
    *n_pages = pages;
  return pages < 1 ? TEND_PDF_READER_NO_PAGES : TEND_PDF_READER_OK;
}

static cairo_surface_t *
render_page (PopplerPage *page,
             double       scale)
{
  double w, h;
  cairo_surface_t *surface;
  cairo_t *cr;

  poppler_page_get_size (page, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (1, (int) (w * scale)), MAX (1, (int) (h * scale)));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static GPtrArray *
reader_render (GBytes        *contents,
               double         scale,
               int            max_pages,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GObject) doc_object = (GObject *) poppler_document_new_from_bytes (contents, NULL, error);
  g_autoptr(GPtrArray) surfaces = NULL;
  int n;

  if (doc_object == NULL)
    return NULL;
  surfaces = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  n = MIN (poppler_document_get_n_pages (POPPLER_DOCUMENT (doc_object)), max_pages);
  for (int i = 0; i < n; i++)
    {
      PopplerPage *page;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      page = poppler_document_get_page (POPPLER_DOCUMENT (doc_object), i);
      g_ptr_array_add (surfaces, render_page (page, scale));
      g_object_unref (page);
    }
  return g_steal_pointer (&surfaces);
}

/* What src/reports/tend-pdf.c looks up. */
G_MODULE_EXPORT const TendPdfReader tend_pdf_reader = {
  TEND_PDF_READER_VERSION,
  reader_check,
  reader_render,
};
