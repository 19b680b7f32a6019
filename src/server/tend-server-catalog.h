/* tend-server-catalog.h: a gettext catalogue (.mo) read on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TendCatalog TendCatalog;

TendCatalog *tend_catalog_load     (const char   *path,
                                    GError      **error);
void         tend_catalog_free     (TendCatalog  *catalog);
const char  *tend_catalog_pgettext (TendCatalog  *catalog,
                                    const char   *context,
                                    const char   *msgid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendCatalog, tend_catalog_free)

G_END_DECLS
