/* tend-server-portal-mail.c: the portal's e-mails (invitations, sign-in
 * codes, notices) go through the server's outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include "tend-server-outbox.h"
#include "tend-server-portal.h"

/* In the caller's transaction: the mail goes only if it commits; call
 * tend_server_portal_kick () after the commit. */
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
  TendOutboxItem item = {
    .channel = TEND_OUTBOX_EMAIL,
    .practice_id = practice_id,
    .recipient = to,
    .subject = subject,
    .body_text = text,
    .body_html = NULL,
    .kind = kind,
    .reminder_id = NULL,
  };

  return tend_server_outbox_enqueue (conn, &item, error);
}

void
tend_server_portal_kick (TendServer *server)
{
  tend_server_outbox_kick (server);
}
