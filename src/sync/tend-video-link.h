/* tend-video-link.h: one video session's signalling over the live WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TEND_TYPE_VIDEO_LINK (tend_video_link_get_type ())
G_DECLARE_FINAL_TYPE (TendVideoLink, tend_video_link, TEND, VIDEO_LINK, GObject)

TendVideoLink *tend_video_link_new            (const char              *session_id);
const char    *tend_video_link_get_session_id (TendVideoLink           *self);
const char    *tend_video_link_get_peer_id    (TendVideoLink           *self);
JsonArray     *tend_video_link_get_ice_servers (TendVideoLink          *self);
gboolean       tend_video_link_get_relay_only (TendVideoLink           *self);
void           tend_video_link_attach         (TendVideoLink           *self,
                                               SoupWebsocketConnection *connection);
void           tend_video_link_send           (TendVideoLink           *self,
                                               const char              *peer_id,
                                               const char              *data);
void           tend_video_link_admit          (TendVideoLink           *self,
                                               const char              *guest_id);
void           tend_video_link_leave          (TendVideoLink           *self);

G_END_DECLS
