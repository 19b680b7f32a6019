/* tend-pdf-reader.h: what the PDF module (libtend-pdf.so, poppler) offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Between src/reports/tend-pdf.c, which loads the module when a PDF is
 * first read, and src/reports/tend-pdf-reader.c, the module.  Callers use
 * tend-pdf.h.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define TEND_PDF_READER_VERSION 1

typedef enum
{
  TEND_PDF_READER_OK,
  TEND_PDF_READER_DAMAGED,
  TEND_PDF_READER_ENCRYPTED,
  TEND_PDF_READER_NO_PAGES,
} TendPdfReaderStatus;

typedef struct
{
  guint version;   /* TEND_PDF_READER_VERSION */
  /* How many pages @contents has, or why it cannot be read. */
  TendPdfReaderStatus (*check)  (GBytes        *contents,
                                 int           *n_pages);
  /* Up to @max_pages pages at @scale as cairo image surfaces (ARGB32 on
   * white); %NULL with poppler's error, or cancelled. */
  GPtrArray          *(*render) (GBytes        *contents,
                                 double         scale,
                                 int            max_pages,
                                 GCancellable  *cancellable,
                                 GError       **error);
} TendPdfReader;

G_END_DECLS
