/* tend-server-consent-pdf.c: a signed consent as a PDF, for the chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The portal records a consent's signature in its portal_form record; the
 * chart also keeps it as a document a person can open, print and send:
 * this PDF, made by tend-server when the client signs (cairo and pango, no
 * store), holds the practice, the client, the form's exact text and the
 * signature's evidence (typed name, time, address, browser, SHA-256 of the
 * text).  Made on the server, once, so every workstation receives the same
 * bytes; the creation date in its metadata is the signature's time, so the
 * same signature always gives the same file.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "tend-server-consent-pdf.h"

#define PAGE_W 612.0   /* US Letter, points */
#define PAGE_H 792.0
#define MARGIN 54.0

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

typedef struct
{
  cairo_t *cr;
  double   y;
} Pen;

/* One paragraph in @font, wrapped to the page, breaking pages between
 * lines. */
static void
paragraph (Pen        *pen,
           const char *font,
           const char *text,
           double      space_after)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (pen->cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  PangoLayoutIter *iter;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) ((PAGE_W - 2 * MARGIN) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double height;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      if (pen->y + height > PAGE_H - MARGIN)
        {
          cairo_show_page (pen->cr);
          pen->y = MARGIN;
        }
      cairo_move_to (pen->cr, MARGIN, pen->y + (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE -
                                      (double) logical.y / PANGO_SCALE);
      pango_cairo_show_layout_line (pen->cr, line);
      pen->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  pen->y += space_after;
}

/**
 * tend_consent_pdf_new:
 * @signed_at: ISO 8601, UTC: the signature's time (also the PDF's date)
 *
 * Returns: (transfer full) (nullable): the PDF, or %NULL if cairo failed
 */
GBytes *
tend_consent_pdf_new (const char *practice_name,
                      const char *client_name,
                      const char *title,
                      const char *text,
                      const char *signed_name,
                      const char *signed_at,
                      const char *signed_address,
                      const char *signed_user_agent,
                      const char *text_sha256)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_cb, out, PAGE_W, PAGE_H);
  g_autofree char *evidence = NULL;
  Pen pen = { NULL, MARGIN };
  cairo_status_t status;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "tend-server");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, signed_at);
  pen.cr = cairo_create (surface);
  cairo_set_source_rgb (pen.cr, 0, 0, 0);

  paragraph (&pen, "Sans 10", practice_name != NULL ? practice_name : "", 4);
  paragraph (&pen, "Sans Bold 16", title, 6);
  if (client_name != NULL)
    paragraph (&pen, "Sans 10", client_name, 14);
  paragraph (&pen, "Serif 11", text, 18);
  evidence = g_strdup_printf ("Signed electronically through the client portal.\n"
                              "Name typed: %s\nSigned at: %s (UTC)\nFrom address: %s\nBrowser: %s\n"
                              "SHA-256 of the text above as shown: %s",
                              signed_name, signed_at, signed_address, signed_user_agent, text_sha256);
  paragraph (&pen, "Sans 9", evidence, 0);

  cairo_destroy (pen.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  return g_byte_array_free_to_bytes (out);
}
