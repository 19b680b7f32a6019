/* tend-video-session.h: a video session held for a telehealth appointment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

/* The host (the appointment's clinician) and up to three colleagues: the
 * call is a mesh, one connection per pair. */
#define TEND_VIDEO_SESSION_MAX_PARTICIPANTS 4

#define TEND_TYPE_VIDEO_SESSION (tend_video_session_get_type ())
G_DECLARE_FINAL_TYPE (TendVideoSession, tend_video_session, TEND, VIDEO_SESSION, TendRecord)

TendVideoSession *tend_video_session_new                (const char       *appointment_id,
                                                         const char       *host_id,
                                                         const char       *client_id);
const char       *tend_video_session_get_appointment_id (TendVideoSession *self);
const char       *tend_video_session_get_host_id        (TendVideoSession *self);
const char       *tend_video_session_get_client_id      (TendVideoSession *self);
char            **tend_video_session_dup_participants   (TendVideoSession *self);
gboolean          tend_video_session_has_participant    (TendVideoSession *self,
                                                         const char       *staff_id);
gboolean          tend_video_session_add_participant    (TendVideoSession *self,
                                                         const char       *staff_id,
                                                         GError          **error);
const char       *tend_video_session_get_started_at     (TendVideoSession *self);
const char       *tend_video_session_get_ended_at       (TendVideoSession *self);
gboolean          tend_video_session_is_ended           (TendVideoSession *self);
void              tend_video_session_end                (TendVideoSession *self);

G_END_DECLS
