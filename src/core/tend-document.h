/* tend-document.h: a file attached to a chart (the bytes live in the store)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_DOCUMENT_MAX_SIZE (50 * 1024 * 1024)

#define TEND_TYPE_DOCUMENT (tend_document_get_type ())
G_DECLARE_FINAL_TYPE (TendDocument, tend_document, TEND, DOCUMENT, TendRecord)

TendDocument *tend_document_new             (const char    *client_id,
                                             const char    *title,
                                             const char    *mime_type,
                                             GBytes        *contents);
const char   *tend_document_get_client_id   (TendDocument  *self);
const char   *tend_document_get_title       (TendDocument  *self);
const char   *tend_document_get_mime_type   (TendDocument  *self);
const char   *tend_document_get_sha256      (TendDocument  *self);
gint64        tend_document_get_size        (TendDocument  *self);
gboolean      tend_document_mime_type_is_supported (const char *mime_type);

G_END_DECLS
