/* tend-server-outbox.h: e-mail and text messages that tend-server sends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-pg.h"
#include "tend-server.h"

G_BEGIN_DECLS

typedef enum { TEND_OUTBOX_EMAIL, TEND_OUTBOX_SMS } TendOutboxChannel;

typedef struct {
  TendOutboxChannel channel;
  const char *practice_id;   /* the sender's name is the practice's */
  const char *recipient;     /* e-mail address, or phone number in E.164 */
  const char *subject;       /* e-mail only */
  const char *body_text;
  const char *body_html;     /* optional, e-mail only */
  const char *kind;          /* "reminder", "portal-invite", "sign-in-code", "message-notice", ... */
  const char *reminder_id;   /* optional: status goes back into this reminder record */
} TendOutboxItem;

/* Queues @item inside the caller's transaction on @conn (nothing is sent if it rolls back). */
gboolean tend_server_outbox_enqueue (TendPgConn *conn, const TendOutboxItem *item, GError **error);
/* Wakes the sender (after commit). */
void tend_server_outbox_kick (TendServer *server);

G_END_DECLS
