/* tend-server-schema.h: the server's PostgreSQL schema and its migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-pg.h"

G_BEGIN_DECLS

guint     tend_server_schema_latest  (void);
gboolean  tend_server_schema_migrate (TendPgConn  *conn,
                                      guint       *from_version,
                                      GError     **error);
char     *tend_server_schema_epoch   (TendPgConn  *conn,
                                      GError     **error);

G_END_DECLS
