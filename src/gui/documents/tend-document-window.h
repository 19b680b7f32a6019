/* tend-document-window.h: a document or an attachment in a window of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-document-view.h"

G_BEGIN_DECLS

#define TEND_TYPE_DOCUMENT_WINDOW (tend_document_window_get_type ())
G_DECLARE_FINAL_TYPE (TendDocumentWindow, tend_document_window, TEND, DOCUMENT_WINDOW, AdwWindow)

TendDocumentWindow *tend_document_window_new      (GtkWindow          *parent,
                                                   const char         *title,
                                                   GBytes             *bytes,
                                                   const char         *mime_type);
TendDocumentView   *tend_document_window_get_view (TendDocumentWindow *self);
void                tend_document_window_save_as  (TendDocumentWindow *self);

G_END_DECLS
