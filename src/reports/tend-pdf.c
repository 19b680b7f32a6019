/* tend-pdf.c: reading PDFs (poppler, in a module loaded when first used)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * poppler is not linked into the program: libtend-pdf.so
 * (tend-pdf-reader.c) is loaded the first time a PDF is checked or shown,
 * from any thread (src/core/tend-module.c says where from).
 */
#define G_LOG_DOMAIN "tend-reports"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-core.h"
#include "tend-pdf.h"
#include "tend-pdf-reader.h"

static const TendPdfReader *
get_reader (GError **error)
{
  g_autoptr(GError) local = NULL;
  const TendPdfReader *reader = tend_module_lookup ("pdf", "tend_pdf_reader", &local);

  if (reader != NULL && reader->version != TEND_PDF_READER_VERSION)
    {
      g_set_error (&local, TEND_ERROR, TEND_ERROR_FAILED, "version %u, not %u", reader->version, TEND_PDF_READER_VERSION);
      reader = NULL;
    }
  if (reader == NULL)
    {
      g_warning ("The PDF module cannot be loaded: %s", local->message);
      g_set_error (error, TEND_ERROR, TEND_ERROR_FAILED,
                   _("PDFs cannot be read: this installation of Tend is incomplete (%s)."), local->message);
    }
  return reader;
}

/**
 * tend_pdf_check:
 * @contents: a file's bytes
 * @n_pages: (out) (optional): its number of pages
 *
 * Returns: %TRUE if poppler can open @contents; otherwise %FALSE with a
 *   %TEND_ERROR_INVALID error a person can act on
 */
gboolean
tend_pdf_check (GBytes  *contents,
                int     *n_pages,
                GError **error)
{
  const TendPdfReader *reader;
  gsize size = 0;
  const char *data = g_bytes_get_data (contents, &size);
  int pages = 0;

  if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("This file is not a PDF: it does not start like one."));
      return FALSE;
    }
  reader = get_reader (error);
  if (reader == NULL)
    return FALSE;
  switch (reader->check (contents, &pages))
    {
    case TEND_PDF_READER_OK:
      if (n_pages != NULL)
        *n_pages = pages;
      return TRUE;
    case TEND_PDF_READER_ENCRYPTED:
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("This PDF is protected by a password. Save an unprotected copy and attach that."));
      return FALSE;
    case TEND_PDF_READER_NO_PAGES:
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("This PDF has no pages."));
      return FALSE;
    case TEND_PDF_READER_DAMAGED:
    default:
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("This PDF is damaged or incomplete and cannot be read. Ask the sender for a new copy."));
      return FALSE;
    }
}

/**
 * tend_pdf_render:
 * @contents: a PDF's bytes
 * @scale: pixels per point
 * @max_pages: at most this many pages, from the first
 *
 * Renders the pages (in the caller's thread) on white.
 *
 * Returns: (transfer full) (element-type cairo_surface_t) (nullable): the
 *   pages as image surfaces, or %NULL with poppler's error, a
 *   %G_IO_ERROR_CANCELLED, or the module's
 */
GPtrArray *
tend_pdf_render (GBytes        *contents,
                 double         scale,
                 int            max_pages,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const TendPdfReader *reader = get_reader (error);

  if (reader == NULL)
    return NULL;
  return reader->render (contents, scale, max_pages, cancellable, error);
}
