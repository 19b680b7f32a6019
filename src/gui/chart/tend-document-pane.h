/* tend-document-pane.h: one of the chart's documents, shown in place of
 * the chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_DOCUMENT_PANE (tend_document_pane_get_type ())
G_DECLARE_FINAL_TYPE (TendDocumentPane, tend_document_pane, TEND, DOCUMENT_PANE, GtkWidget)

void  tend_document_pane_show        (TendDocumentPane *self,
                                      GBytes           *bytes,
                                      const char       *mime,
                                      const char       *title);
void  tend_document_pane_close       (TendDocumentPane *self);
guint tend_document_pane_get_n_pages (TendDocumentPane *self);

G_END_DECLS
