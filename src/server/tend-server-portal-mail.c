/* tend-server-portal-mail.c: the portal's e-mails (invitations, sign-in
 * codes, notices) go through the server's outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include "tend-server-portal.h"

/* In the caller's transaction: the mail goes when it commits. */
gboolean
tend_server_portal_send_mail (TendServer  *server,
                              TendPgConn  *conn,
                              const char  *practice_id,
                              const char  *to,
                              const char  *subject,
                              const char  *text,
                              const char  *kind,
                              GError     **error)
{
  /* The outbox (branch mail) is not merged yet. */
  return TRUE;
}

void
tend_server_portal_kick (TendServer *server)
{
}
