/* tend-server-video.h: video session signalling over the live WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tend-core.h"
#include "tend-pg.h"
#include "tend-server-config.h"

G_BEGIN_DECLS

typedef struct _TendVideoRelay TendVideoRelay;

/* The person behind a socket, from its authenticated session. */
typedef struct
{
  const char *practice_id;
  const char *account_id;
  const char *staff_id;
  const char *name;
  const char *guest_session_id;  /* a browser guest: the one session it may speak in */
} TendVideoIdentity;

TendVideoRelay *tend_video_relay_new              (TendPgPool              *pool,
                                                   TendServerConfig        *config,
                                                   GMainContext            *context);
void            tend_video_relay_free             (TendVideoRelay          *relay);
void            tend_video_relay_message          (TendVideoRelay          *relay,
                                                   SoupWebsocketConnection *conn,
                                                   const TendVideoIdentity *who,
                                                   JsonObject              *message);
void            tend_video_relay_add_guest        (TendVideoRelay          *relay,
                                                   SoupWebsocketConnection *conn,
                                                   const char              *practice_id,
                                                   const char              *session_id,
                                                   const char              *guest_id,
                                                   const char              *rejoin_token);
void            tend_video_relay_closed           (TendVideoRelay          *relay,
                                                   SoupWebsocketConnection *conn);
gsize           tend_video_relay_max_message_size (void);

G_END_DECLS
