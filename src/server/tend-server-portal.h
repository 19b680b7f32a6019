/* tend-server-portal.h: the client portal's mail, through the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-pg.h"
#include "tend-server.h"

G_BEGIN_DECLS

gboolean tend_server_portal_send_mail (TendServer  *server,
                                       TendPgConn  *conn,
                                       const char  *practice_id,
                                       const char  *to,
                                       const char  *subject,
                                       const char  *text,
                                       const char  *kind,
                                       GError     **error);
void     tend_server_portal_kick      (TendServer  *server);

/* tend-server-portal-strings.c */
char    *tend_portal_strings_script   (const char  *accept_language);

typedef struct _TendPortalStreamInfo TendPortalStreamInfo;

gboolean tend_server_portal_live_filter (TendPgConn                 *conn,
                                         const TendPortalStreamInfo *info,
                                         GPtrArray                  *records,
                                         GPtrArray                  *conversation_ids,
                                         gboolean                   *ended,
                                         GError                    **error);

G_END_DECLS
