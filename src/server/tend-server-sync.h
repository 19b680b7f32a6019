/* tend-server-sync.h: the change feed, push, and who sees and writes what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-core.h"

G_BEGIN_DECLS

gboolean  tend_sync_role_may_read   (TendRole     role,
                                     const char  *type);
gboolean  tend_sync_role_may_write  (TendRole     role,
                                     const char  *type);
char    **tend_sync_readable_types  (TendRole     role);
char     *tend_sync_cursor_encode   (const char  *epoch,
                                     gint64       seq,
                                     gint64       horizon);
gboolean  tend_sync_cursor_decode   (const char  *cursor,
                                     char       **epoch,
                                     gint64      *seq,
                                     gint64      *horizon);

G_END_DECLS
