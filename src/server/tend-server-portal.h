/* tend-server-portal.h: the client portal's mail, through the outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-pg.h"
#include "tend-server.h"

G_BEGIN_DECLS

/* The couple, family and group sessions client $2 is in but not the
 * client of (a member's sessions in the portal), in practice $1.  The
 * type is written out, not a parameter, so that the partial GIN index of
 * migration_participants_index (record_participants) serves it in a
 * generic plan too; tests/server/test-server-groups.c EXPLAINs it. */
#define TEND_PORTAL_MEMBER_SESSIONS_SQL \
  "SELECT id, version, body FROM record WHERE practice_id = $1 AND type = 'appointment'" \
  " AND NOT deleted AND body::jsonb -> 'participants' @>" \
  " jsonb_build_array (jsonb_build_object ('client_id', $2::text))" \
  " AND body::jsonb ->> 'client_id' IS DISTINCT FROM $2"

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
