/* tend-call.h: a video session's media, one webrtcbin per remote peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TEND_MEDIA_ERROR (tend_media_error_quark ())

/**
 * TendMediaError:
 * @TEND_MEDIA_ERROR_NO_CAMERA: no camera was found
 * @TEND_MEDIA_ERROR_NO_MICROPHONE: no microphone was found
 * @TEND_MEDIA_ERROR_DEVICE: a device is there but could not be opened
 *   (busy, or access refused)
 * @TEND_MEDIA_ERROR_SIGNALLING: a signalling message was not understood
 * @TEND_MEDIA_ERROR_FAILED: anything else (a missing GStreamer plugin)
 */
typedef enum
{
  TEND_MEDIA_ERROR_NO_CAMERA,
  TEND_MEDIA_ERROR_NO_MICROPHONE,
  TEND_MEDIA_ERROR_DEVICE,
  TEND_MEDIA_ERROR_SIGNALLING,
  TEND_MEDIA_ERROR_FAILED,
} TendMediaError;

typedef enum
{
  TEND_CALL_STATE_NEW,
  TEND_CALL_STATE_CONNECTING,
  TEND_CALL_STATE_CONNECTED,
  TEND_CALL_STATE_RECONNECTING,
  TEND_CALL_STATE_ENDED,
} TendCallState;

typedef enum
{
  TEND_CALL_QUALITY_UNKNOWN,
  TEND_CALL_QUALITY_POOR,
  TEND_CALL_QUALITY_FAIR,
  TEND_CALL_QUALITY_GOOD,
} TendCallQuality;

/**
 * TendCallStats:
 * @connected: media flows with this peer
 * @frames_received: video frames decoded from the peer
 * @audio_level_db: the peer's audio level (RMS, dBFS) over the last 100 ms;
 *   -700 or so for silence, G_MINDOUBLE-ish values when nothing arrived
 * @audio_buffers: decoded audio buffers seen
 * @round_trip_ms: the RTCP round trip time, or -1
 * @loss_percent: packets lost on the way in, or -1
 * @jitter_ms: the inbound video jitter, or -1
 * @quality: a summary of the three for an indicator
 */
typedef struct
{
  gboolean        connected;
  guint64         frames_received;
  double          audio_level_db;
  guint64         audio_buffers;
  double          round_trip_ms;
  double          loss_percent;
  double          jitter_ms;
  TendCallQuality quality;
} TendCallStats;

#define TEND_TYPE_CALL (tend_call_get_type ())
G_DECLARE_FINAL_TYPE (TendCall, tend_call, TEND, CALL, GObject)

GQuark         tend_media_error_quark        (void);
gboolean       tend_media_init               (GError        **error);
void           tend_media_warm_up            (void);
void           tend_media_warm_up_wait       (void);

TendCall      *tend_call_new                 (void);
void           tend_call_set_video_source    (TendCall       *self,
                                              const char     *description);
void           tend_call_set_audio_source    (TendCall       *self,
                                              const char     *description);
void           tend_call_set_audio_sink      (TendCall       *self,
                                              const char     *description);
void           tend_call_set_video_device    (TendCall       *self,
                                              GstDevice      *device);
void           tend_call_set_audio_device    (TendCall       *self,
                                              GstDevice      *device);
void           tend_call_set_audio_output_device (TendCall   *self,
                                                  GstDevice  *device);
gboolean       tend_call_restart_capture     (TendCall       *self,
                                              GError        **error);
void           tend_call_set_video_size      (TendCall       *self,
                                              int             width,
                                              int             height,
                                              int             fps);
void           tend_call_set_ice_servers     (TendCall       *self,
                                              const char     *stun_uri,
                                              const char     *turn_uri);
void           tend_call_set_ice_servers_json (TendCall      *self,
                                               JsonArray     *servers);
void           tend_call_set_relay_only      (TendCall       *self,
                                              gboolean        relay_only);
void           tend_call_set_loopback        (TendCall       *self,
                                              gboolean        loopback);
void           tend_call_set_latency         (TendCall       *self,
                                              guint           latency_ms);

gboolean       tend_call_start               (TendCall       *self,
                                              GError        **error);
void           tend_call_add_peer            (TendCall       *self,
                                              const char     *peer_id,
                                              const char     *label,
                                              gboolean        make_offer);
void           tend_call_remove_peer         (TendCall       *self,
                                              const char     *peer_id);
gboolean       tend_call_receive             (TendCall       *self,
                                              const char     *peer_id,
                                              JsonNode       *message,
                                              GError        **error);
void           tend_call_signalling_lost     (TendCall       *self);
void           tend_call_hang_up             (TendCall       *self);

TendCallState  tend_call_get_state           (TendCall       *self);
gint64         tend_call_get_started_at      (TendCall       *self);
gint64         tend_call_get_connected_at    (TendCall       *self);
gint64         tend_call_get_ended_at        (TendCall       *self);
void           tend_call_set_muted           (TendCall       *self,
                                              gboolean        muted);
gboolean       tend_call_get_muted           (TendCall       *self);
void           tend_call_set_camera_off      (TendCall       *self,
                                              gboolean        camera_off);
gboolean       tend_call_get_camera_off      (TendCall       *self);
char         **tend_call_dup_peer_ids        (TendCall       *self);
const char    *tend_call_get_peer_label      (TendCall       *self,
                                              const char     *peer_id);
gboolean       tend_call_get_peer_muted      (TendCall       *self,
                                              const char     *peer_id);
gboolean       tend_call_get_peer_camera_off (TendCall       *self,
                                              const char     *peer_id);
gboolean       tend_call_get_peer_stats      (TendCall       *self,
                                              const char     *peer_id,
                                              TendCallStats  *stats);
TendCallQuality tend_call_get_quality        (TendCall       *self);
guint64        tend_call_get_self_frames     (TendCall       *self);

const char    *tend_call_state_to_string     (TendCallState   state);

G_END_DECLS
