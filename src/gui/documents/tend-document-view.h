/* tend-document-view.h: a PDF or an image, shown in the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_DOCUMENT_VIEW (tend_document_view_get_type ())
G_DECLARE_FINAL_TYPE (TendDocumentView, tend_document_view, TEND, DOCUMENT_VIEW, GtkBox)

GtkWidget *tend_document_view_new              (void);
void       tend_document_view_load             (TendDocumentView *self,
                                                GBytes           *bytes,
                                                const char       *mime_type);
void       tend_document_view_zoom             (TendDocumentView *self,
                                                double            factor);
gboolean   tend_document_view_is_busy          (TendDocumentView *self);
guint      tend_document_view_get_n_pages      (TendDocumentView *self);
const char *tend_document_view_get_error       (TendDocumentView *self);
gboolean   tend_document_view_can_show         (const char       *mime_type);

G_END_DECLS
