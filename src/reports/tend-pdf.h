/* tend-pdf.h: reading PDFs (poppler, in a module loaded when first used)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Checks that @contents is a PDF poppler can open, before it is attached. */
gboolean   tend_pdf_check   (GBytes        *contents,
                             int           *n_pages,
                             GError       **error);
GPtrArray *tend_pdf_render  (GBytes        *contents,
                             double         scale,
                             int            max_pages,
                             GCancellable  *cancellable,
                             GError       **error);

G_END_DECLS
