/* tend-server-live.h: the live WebSocket's clients, and LISTEN/NOTIFY
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tend-core.h"
#include "tend-pg.h"
#include "tend-server-config.h"
#include "tend-server-portal-live.h"

G_BEGIN_DECLS

#define TEND_LIVE_CHANNEL "tend_changes"

typedef struct _TendLive TendLive;

TendLive *tend_live_new         (const char              *conninfo,
                                 GMainContext            *context,
                                 GError                 **error);
void      tend_live_free        (TendLive                *live);
void      tend_live_add         (TendLive                *live,
                                 SoupWebsocketConnection *conn,
                                 const char              *practice_id,
                                 const char              *account_id,
                                 const char              *staff_id,
                                 const char              *name,
                                 TendRole                 role,
                                 const char              *token_hash);
void      tend_live_add_guest   (TendLive                *live,
                                 SoupWebsocketConnection *conn,
                                 const char              *practice_id,
                                 const char              *session_id,
                                 const char              *guest_id,
                                 const char              *rejoin_token);
void      tend_live_set_pool    (TendLive                *live,
                                 TendPgPool              *pool,
                                 TendServerConfig        *config,
                                 const char              *epoch);
void      tend_live_close_all   (TendLive                *live);
guint     tend_live_count       (TendLive                *live);
TendPortalLive *tend_live_get_portal (TendLive           *live);

G_END_DECLS
