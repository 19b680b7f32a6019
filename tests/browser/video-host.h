/* video-host.h: the clinician's side of a browser join, for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "server-test-util.h"
#include "tend-call.h"
#include "tend-video-link.h"

G_BEGIN_DECLS

/* A TendCall with GStreamer's test sources, its signalling over the live
 * socket through a TendVideoLink as in the app; it admits a waiting guest
 * at once. */
typedef struct
{
  TendCall      *call;
  TendVideoLink *link;
  TestLive      *live;
  char          *guest;       /* the admitted guest's peer id (the latest) */
  gboolean       waited;
  guint          peers_added; /* a guest coming back is a new peer */
  guint          waits;       /* times a guest waited to be admitted */
} VideoHost;

char      *video_host_new_session  (SoupSession *session,
                                    TestServer  *server,
                                    const char  *token,
                                    const char  *host_staff,
                                    const char  *client_id,
                                    gint64       start_offset_s,
                                    gint64       length_s);
char      *video_host_invite       (SoupSession *session,
                                    TestServer  *server,
                                    const char  *token,
                                    const char  *session_id);
VideoHost *video_host_start        (SoupSession *session,
                                    TestServer  *server,
                                    const char  *token,
                                    const char  *session_id);
guint64    video_host_guest_frames (VideoHost   *host);
void       video_host_wait         (gboolean   (*done) (VideoHost *),
                                    VideoHost   *host,
                                    guint        timeout_ms);
void       video_host_free         (VideoHost   *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VideoHost, video_host_free)

G_END_DECLS
