/* tend-call.c: a video session's media, one webrtcbin per remote peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One capture pipeline encodes the camera (VP8) and the microphone (Opus)
 * once, shows a small self view, and fans the encoded buffers out to one
 * small pipeline per remote peer (appsrc ! payloader ! webrtcbin, and what
 * comes back: webrtcbin ! decodebin ! appsink / level ! audio sink).  A
 * peer is added and removed by building and dropping its own pipeline,
 * without touching a running one: up to three remote peers (a mesh of
 * four) cost three payloaders, never three encoders.
 *
 * The call knows nothing of the network: it emits "signal-out" with a JSON
 * message for one peer and takes the peer's messages in
 * tend_call_receive ().  Whoever carries them (the live WebSocket) decides
 * who the peers are: tend_call_add_peer () when one appears, with
 * @make_offer for the side that was there first.
 *
 * webrtcbin, appsink and the bus speak on streaming threads; everything
 * the call's owner sees (signals, state, stats) is handed to the
 * GMainContext that was the thread default when the call was made.
 */
#define G_LOG_DOMAIN "tend-media"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>
#include <nice/agent.h>
#include <string.h>

#include "tend-call.h"

#define VIDEO_PT 96
#define AUDIO_PT 111
#define STATS_INTERVAL_MS 1000

typedef struct _Peer Peer;

struct _TendCall
{
  GObject       parent_instance;

  GMainContext *context;
  GMutex        lock;          /* peers, for the streaming threads */
  GHashTable   *peers;         /* id -> Peer (a reference) */

  char         *video_source;
  char         *audio_source;
  char         *audio_sink;
  GstDevice    *video_device;
  GstDevice    *audio_device;
  GstDevice    *audio_output;
  int           width, height, fps;
  char         *stun_uri;
  char         *turn_uri;
  gboolean      relay_only;
  gboolean      loopback;
  guint         latency_ms;

  GstElement   *capture;
  GstElement   *video_enc_sink;
  GstElement   *audio_enc_sink;
  GstElement   *volume;
  GstElement   *valve;
  GstElement   *encoder;
  guint         capture_watch;
  guint         stats_id;

  TendCallState state;
  gboolean      ever_connected;
  gboolean      signalling_lost;
  gboolean      muted;
  gboolean      camera_off;
  gint64        started_at;
  gint64        connected_at;
  gint64        ended_at;
  gint          self_frames;   /* atomic */
  gboolean      self_frame_queued;
  GstSample    *self_sample;   /* under lock */
};

struct _Peer
{
  TendCall   *call;          /* not a reference: valid while !closed */
  char       *id;
  char       *label;
  gboolean    offerer;
  gboolean    closed;        /* main context only */

  GstElement *pipeline;
  GstElement *webrtc;
  GstElement *video_src;
  GstElement *audio_src;
  GSource    *bus_watch;

  gboolean    remote_muted;
  gboolean    remote_camera_off;
  gboolean    connected;
  double      audio_level_db;
  double      round_trip_ms;
  double      loss_percent;
  double      jitter_ms;
  gint        frames;        /* atomic */
  gint        audio_buffers; /* atomic */

  GMutex      lock;
  GstSample  *sample;        /* the newest decoded frame, not yet shown */
  gboolean    frame_queued;
};

G_DEFINE_FINAL_TYPE (TendCall, tend_call, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_MUTED,
  PROP_CAMERA_OFF,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  SIGNAL_OUT,
  FRAME,
  PEER_ADDED,
  PEER_REMOVED,
  PEER_CHANGED,
  ERROR,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_QUARK (tend-media-error-quark, tend_media_error)

/* Peers */

static Peer *
peer_ref (Peer *peer)
{
  return g_atomic_rc_box_acquire (peer);
}

static void
peer_clear (Peer *peer)
{
  g_free (peer->id);
  g_free (peer->label);
  g_clear_object (&peer->pipeline);
  g_clear_pointer (&peer->sample, gst_sample_unref);
  g_mutex_clear (&peer->lock);
}

static void
peer_unref (Peer *peer)
{
  g_atomic_rc_box_release_full (peer, (GDestroyNotify) peer_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_unref)

/* Work handed from a streaming thread to the call's context. */
typedef struct
{
  Peer          *peer;
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify free_data;
} Job;

static void
job_free (Job *job)
{
  if (job->free_data != NULL)
    g_clear_pointer (&job->data, job->free_data);
  peer_unref (job->peer);
  g_free (job);
}

static gboolean
run_job_cb (gpointer data)
{
  Job *job = data;

  /* The peer left (or the call ended) meanwhile: nothing to do. */
  if (!job->peer->closed)
    job->func (job);
  return G_SOURCE_REMOVE;
}

static void
invoke (Peer          *peer,
        GSourceFunc    func,
        gpointer       data,
        GDestroyNotify free_data)
{
  Job *job = g_new0 (Job, 1);

  job->peer = peer_ref (peer);
  job->func = func;
  job->data = data;
  job->free_data = free_data;
  g_main_context_invoke_full (peer->call->context, G_PRIORITY_DEFAULT, run_job_cb, job,
                              (GDestroyNotify) job_free);
}

const char *
tend_call_state_to_string (TendCallState state)
{
  switch (state)
    {
    case TEND_CALL_STATE_NEW: return "new";
    case TEND_CALL_STATE_CONNECTING: return "connecting";
    case TEND_CALL_STATE_CONNECTED: return "connected";
    case TEND_CALL_STATE_RECONNECTING: return "reconnecting";
    case TEND_CALL_STATE_ENDED: return "ended";
    default: return "unknown";
    }
}

static void
update_state (TendCall *self)
{
  TendCallState state;
  GHashTableIter iter;
  gpointer value;
  gboolean any = FALSE;

  if (self->state == TEND_CALL_STATE_ENDED || self->state == TEND_CALL_STATE_NEW)
    return;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    any |= ((Peer *) value)->connected;
  if (any && !self->signalling_lost)
    state = TEND_CALL_STATE_CONNECTED;
  else if (self->ever_connected)
    state = TEND_CALL_STATE_RECONNECTING;
  else
    state = TEND_CALL_STATE_CONNECTING;
  if (any && self->connected_at == 0)
    self->connected_at = g_get_real_time ();
  self->ever_connected |= any;
  if (state != self->state)
    {
      g_debug ("call %p: %s", self, tend_call_state_to_string (state));
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
send_to_peer (TendCall   *self,
              Peer       *peer,
              JsonNode   *message)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, message);
  text = json_generator_to_data (gen, NULL);
  g_signal_emit (self, signals[SIGNAL_OUT], 0, peer->id, text);
}

static JsonNode *
kind_message (const char *kind)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "kind", kind);
  json_node_take_object (node, obj);
  return node;
}

static void
send_state (TendCall *self,
            Peer     *peer)
{
  g_autoptr(JsonNode) message = kind_message ("state");

  json_object_set_boolean_member (json_node_get_object (message), "muted", self->muted);
  json_object_set_boolean_member (json_node_get_object (message), "camera_off", self->camera_off);
  send_to_peer (self, peer, message);
}

static void
request_key_frame (TendCall *self)
{
  if (self->video_enc_sink != NULL)
    gst_element_send_event (self->video_enc_sink,
                            gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE, 0));
}

/* Streaming threads: webrtcbin */

typedef struct
{
  char *kind;
  char *sdp;
  char *candidate;
  guint mline;
} Outgoing;

static void
outgoing_free (Outgoing *out)
{
  g_free (out->kind);
  g_free (out->sdp);
  g_free (out->candidate);
  g_free (out);
}

static gboolean
send_outgoing_job (gpointer data)
{
  Job *job = data;
  Outgoing *out = job->data;
  g_autoptr(JsonNode) message = kind_message (out->kind);
  JsonObject *obj = json_node_get_object (message);

  if (out->sdp != NULL)
    json_object_set_string_member (obj, "sdp", out->sdp);
  if (out->candidate != NULL)
    {
      json_object_set_string_member (obj, "candidate", out->candidate);
      json_object_set_int_member (obj, "sdpMLineIndex", out->mline);
    }
  send_to_peer (job->peer->call, job->peer, message);
  return G_SOURCE_REMOVE;
}

static void
on_ice_candidate_cb (GstElement *webrtc,
                     guint       mline,
                     const char *candidate,
                     Peer       *peer)
{
  Outgoing *out = g_new0 (Outgoing, 1);

  out->kind = g_strdup ("ice");
  out->candidate = g_strdup (candidate);
  out->mline = mline;
  invoke (peer, send_outgoing_job, out, (GDestroyNotify) outgoing_free);
}

static void
on_description_made_cb (GstPromise *promise,
                        gpointer    data)
{
  Peer *peer = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  GstWebRTCSessionDescription *desc = NULL;
  gboolean offer = FALSE;
  Outgoing *out;

  if (reply != NULL && gst_structure_has_field (reply, "offer"))
    {
      gst_structure_get (reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL);
      offer = TRUE;
    }
  else if (reply != NULL && gst_structure_has_field (reply, "answer"))
    gst_structure_get (reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL);
  gst_promise_unref (promise);
  if (desc == NULL)
    {
      g_warning ("webrtcbin made no %s", peer->offerer ? "offer" : "answer");
      peer_unref (peer);
      return;
    }
  g_signal_emit_by_name (peer->webrtc, "set-local-description", desc, NULL);
  out = g_new0 (Outgoing, 1);
  out->kind = g_strdup (offer ? "offer" : "answer");
  out->sdp = gst_sdp_message_as_text (desc->sdp);
  gst_webrtc_session_description_free (desc);
  invoke (peer, send_outgoing_job, out, (GDestroyNotify) outgoing_free);
  peer_unref (peer);
}

static void
on_negotiation_needed_cb (GstElement *webrtc,
                          Peer       *peer)
{
  GstPromise *promise;

  if (!peer->offerer)
    return;
  promise = gst_promise_new_with_change_func (on_description_made_cb, peer_ref (peer), NULL);
  g_signal_emit_by_name (webrtc, "create-offer", NULL, promise);
}

static void
on_remote_offer_set_cb (GstPromise *promise,
                        gpointer    data)
{
  Peer *peer = data;
  GstPromise *answer;

  gst_promise_unref (promise);
  answer = gst_promise_new_with_change_func (on_description_made_cb, peer, NULL);
  g_signal_emit_by_name (peer->webrtc, "create-answer", NULL, answer);
}

static gboolean
connection_changed_job (gpointer data)
{
  Job *job = data;
  Peer *peer = job->peer;
  gboolean connected = GPOINTER_TO_INT (job->data);

  if (peer->connected != connected)
    {
      peer->connected = connected;
      g_signal_emit (peer->call, signals[PEER_CHANGED], 0, peer->id);
      update_state (peer->call);
    }
  return G_SOURCE_REMOVE;
}

static void
on_connection_state_cb (GstElement *webrtc,
                        GParamSpec *pspec,
                        Peer       *peer)
{
  GstWebRTCPeerConnectionState state;

  g_object_get (webrtc, "connection-state", &state, NULL);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED)
    {
      /* The key frame asked for when the peer was added went out before
       * DTLS was up: without a fresh one the other side waits for its PLI
       * to be answered (measured: ~0.6 s more to a browser's first frame). */
      if (peer->call != NULL)
        request_key_frame (peer->call);
      invoke (peer, connection_changed_job, GINT_TO_POINTER (TRUE), NULL);
    }
  else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED ||
           state == GST_WEBRTC_PEER_CONNECTION_STATE_DISCONNECTED ||
           state == GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED)
    invoke (peer, connection_changed_job, GINT_TO_POINTER (FALSE), NULL);
}

static gboolean
frame_job (gpointer data)
{
  Job *job = data;
  Peer *peer = job->peer;
  g_autoptr(GstSample) sample = NULL;

  g_mutex_lock (&peer->lock);
  sample = g_steal_pointer (&peer->sample);
  peer->frame_queued = FALSE;
  g_mutex_unlock (&peer->lock);
  if (sample != NULL)
    g_signal_emit (peer->call, signals[FRAME], 0, peer->id, sample);
  return G_SOURCE_REMOVE;
}

/* Only the newest frame waits for the main context: a busy main loop
 * skips frames rather than queueing them. */
static GstFlowReturn
on_remote_sample_cb (GstAppSink *sink,
                     gpointer    data)
{
  Peer *peer = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean queue;

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_atomic_int_inc (&peer->frames);
  g_mutex_lock (&peer->lock);
  g_clear_pointer (&peer->sample, gst_sample_unref);
  peer->sample = sample;
  queue = !peer->frame_queued;
  peer->frame_queued = TRUE;
  g_mutex_unlock (&peer->lock);
  if (queue)
    invoke (peer, frame_job, NULL, NULL);
  return GST_FLOW_OK;
}

static GstPadProbeReturn
count_audio_cb (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         data)
{
  Peer *peer = data;

  g_atomic_int_inc (&peer->audio_buffers);
  return GST_PAD_PROBE_OK;
}

static GstElement *
make (const char *factory)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_error ("The GStreamer element %s is missing", factory);  /* checked by tend_media_init () */
  return element;
}

static void
add_branch (GstElement *pipeline,
            GstPad     *src,
            GstElement *first,
            ...)
{
  va_list args;
  GstElement *element, *prev = NULL;
  g_autoptr(GstPad) sink = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  va_start (args, first);
  for (element = first; element != NULL; element = va_arg (args, GstElement *))
    {
      gst_bin_add (GST_BIN (pipeline), element);
      if (prev != NULL)
        gst_element_link (prev, element);
      g_ptr_array_add (all, element);
      prev = element;
    }
  va_end (args);
  sink = gst_element_get_static_pad (first, "sink");
  gst_pad_link (src, sink);
  for (guint i = all->len; i > 0; i--)
    gst_element_sync_state_with_parent (all->pdata[i - 1]);
}

static void
on_decoded_pad_cb (GstElement *decodebin,
                   GstPad     *pad,
                   Peer       *peer)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_has_prefix (name, "video/"))
    {
      GstElement *sink = make ("appsink");
      GstElement *filter = make ("capsfilter");
      g_autoptr(GstCaps) rgba = gst_caps_from_string ("video/x-raw,format=RGBA");
      GstAppSinkCallbacks callbacks = { .new_sample = on_remote_sample_cb };

      g_object_set (filter, "caps", rgba, NULL);
      g_object_set (sink, "sync", FALSE, "max-buffers", 2, "drop", TRUE, NULL);
      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, peer, NULL);
      add_branch (peer->pipeline, pad, make ("queue"), make ("videoconvert"), filter, sink, NULL);
    }
  else if (g_str_has_prefix (name, "audio/"))
    {
      GstElement *level = make ("level");
      g_autoptr(GError) error = NULL;
      GstElement *sink = peer->call->audio_output != NULL
                         ? gst_device_create_element (peer->call->audio_output, NULL)
                         : gst_parse_bin_from_description (peer->call->audio_sink, TRUE, &error);
      g_autoptr(GstPad) level_src = NULL;

      if (sink == NULL)
        {
          g_warning ("Audio output “%s”: %s", peer->call->audio_sink, error != NULL ? error->message : "no element");
          sink = make ("fakesink");
        }
      g_object_set (level, "interval", (guint64) 100 * GST_MSECOND, "post-messages", TRUE, NULL);
      level_src = gst_element_get_static_pad (level, "src");
      gst_pad_add_probe (level_src, GST_PAD_PROBE_TYPE_BUFFER, count_audio_cb, peer, NULL);
      add_branch (peer->pipeline, pad, make ("queue"), make ("audioconvert"), make ("audioresample"),
                  level, sink, NULL);
    }
}

static void
on_webrtc_pad_cb (GstElement *webrtc,
                  GstPad     *pad,
                  Peer       *peer)
{
  GstElement *decodebin;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  decodebin = make ("decodebin");
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decoded_pad_cb), peer);
  add_branch (peer->pipeline, pad, decodebin, NULL);
}

/* A PLI from the peer asks for a key frame: the encoder is shared, in the
 * capture pipeline. */
static GstPadProbeReturn
on_upstream_event_cb (GstPad          *pad,
                      GstPadProbeInfo *info,
                      gpointer         data)
{
  Peer *peer = data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  if (gst_video_event_is_force_key_unit (event) && peer->call != NULL)
    request_key_frame (peer->call);
  return GST_PAD_PROBE_OK;
}

/* The bus: levels and errors, on the call's context */

static gboolean
on_peer_bus_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    data)
{
  Peer *peer = data;

  if (peer->closed)
    return G_SOURCE_REMOVE;
  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *s = gst_message_get_structure (message);
        const GValue *rms;

        if (gst_structure_has_name (s, "level") &&
            (rms = gst_structure_get_value (s, "rms")) != NULL)
          {
            GValueArray *array = g_value_get_boxed (rms);  /* the element's own type */

            G_GNUC_BEGIN_IGNORE_DEPRECATIONS
            if (array != NULL && array->n_values > 0)
              peer->audio_level_db = g_value_get_double (g_value_array_get_nth (array, 0));
            G_GNUC_END_IGNORE_DEPRECATIONS
          }
        break;
      }
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        g_warning ("A peer's pipeline failed: %s", error->message);
        break;
      }
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* Statistics */

typedef struct
{
  double round_trip_ms;
  double loss_percent;
  double jitter_ms;
} Stats;

static gboolean
read_stat_cb (GQuark        field,
              const GValue *value,
              gpointer      data)
{
  Stats *stats = data;
  const GstStructure *s;
  GstWebRTCStatsType type;
  double d;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL))
    return TRUE;
  if (type == GST_WEBRTC_STATS_REMOTE_INBOUND_RTP)
    {
      if (gst_structure_get_double (s, "round-trip-time", &d))
        stats->round_trip_ms = MAX (stats->round_trip_ms, d * 1000.0);
      if (gst_structure_get_double (s, "fraction-lost", &d))
        stats->loss_percent = MAX (stats->loss_percent, d * 100.0);
    }
  else if (type == GST_WEBRTC_STATS_INBOUND_RTP)
    {
      guint64 received = 0;
      gint64 lost = 0;
      const char *kind = gst_structure_get_string (s, "kind");

      if (gst_structure_get_double (s, "jitter", &d) && g_strcmp0 (kind, "video") == 0)
        stats->jitter_ms = d * 1000.0;
      if (gst_structure_get_int64 (s, "packets-lost", &lost) &&
          gst_structure_get_uint64 (s, "packets-received", &received) && received + lost > 0)
        stats->loss_percent = MAX (stats->loss_percent, 100.0 * MAX (lost, 0) / (double) (received + lost));
    }
  return TRUE;
}

static gboolean
stats_job (gpointer data)
{
  Job *job = data;
  Stats *stats = job->data;

  job->peer->round_trip_ms = stats->round_trip_ms;
  job->peer->loss_percent = stats->loss_percent;
  job->peer->jitter_ms = stats->jitter_ms;
  return G_SOURCE_REMOVE;
}

static void
on_stats_cb (GstPromise *promise,
             gpointer    data)
{
  Peer *peer = data;
  const GstStructure *reply = gst_promise_get_reply (promise);
  Stats *stats = g_new (Stats, 1);

  stats->round_trip_ms = -1;
  stats->loss_percent = -1;
  stats->jitter_ms = -1;
  if (reply != NULL)
    gst_structure_foreach (reply, read_stat_cb, stats);
  gst_promise_unref (promise);
  invoke (peer, stats_job, stats, g_free);
  peer_unref (peer);
}

static gboolean
on_stats_timer_cb (gpointer data)
{
  TendCall *self = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Peer *peer = value;

      if (peer->connected)
        g_signal_emit_by_name (peer->webrtc, "get-stats", NULL,
                               gst_promise_new_with_change_func (on_stats_cb, peer_ref (peer), NULL));
    }
  return G_SOURCE_CONTINUE;
}

static TendCallQuality
quality_of (Peer *peer)
{
  if (!peer->connected)
    return TEND_CALL_QUALITY_UNKNOWN;
  if (peer->round_trip_ms < 0 && peer->loss_percent < 0)
    return TEND_CALL_QUALITY_GOOD;
  if (peer->loss_percent > 10 || peer->round_trip_ms > 600 || peer->jitter_ms > 100)
    return TEND_CALL_QUALITY_POOR;
  if (peer->loss_percent > 2 || peer->round_trip_ms > 300 || peer->jitter_ms > 40)
    return TEND_CALL_QUALITY_FAIR;
  return TEND_CALL_QUALITY_GOOD;
}

/* Building a peer */

static GstElement *
sender_branch (Peer       *peer,
               const char *payloader,
               const char *caps_text,
               GstElement **src_out)
{
  GstElement *src = make ("appsrc");
  GstElement *pay = make (payloader);
  GstElement *filter = make ("capsfilter");
  g_autoptr(GstCaps) caps = gst_caps_from_string (caps_text);
  g_autoptr(GstPad) src_pad = gst_element_get_static_pad (src, "src");
  g_autoptr(GstPad) pay_src = NULL;
  g_autoptr(GstPad) sink = NULL;
  g_autoptr(GstWebRTCRTPTransceiver) transceiver = NULL;

  g_object_set (src, "is-live", TRUE, "do-timestamp", TRUE, "format", GST_FORMAT_TIME,
                "max-bytes", (guint64) 4 * 1024 * 1024, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (src), "leaky-type") != NULL)
    g_object_set (src, "leaky-type", 2 /* downstream: drop the oldest */, NULL);
  g_object_set (pay, "pt", g_str_has_prefix (payloader, "rtpvp8") ? VIDEO_PT : AUDIO_PT, NULL);
  g_object_set (filter, "caps", caps, NULL);
  gst_bin_add_many (GST_BIN (peer->pipeline), src, pay, filter, NULL);
  gst_element_link_many (src, pay, filter, NULL);
  gst_pad_add_probe (src_pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_upstream_event_cb, peer, NULL);

  pay_src = gst_element_get_static_pad (filter, "src");
  sink = gst_element_request_pad_simple (peer->webrtc, "sink_%u");
  gst_pad_link (pay_src, sink);
  g_object_get (sink, "transceiver", &transceiver, NULL);
  if (transceiver != NULL)
    g_object_set (transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
                  "codec-preferences", caps, NULL);
  *src_out = src;
  return src;
}

/* The libnice agent inside @peer's webrtcbin (GStreamer's nice ICE
 * implementation), or NULL. */
static NiceAgent *
peer_dup_nice_agent (Peer *peer)
{
  g_autoptr(GstObject) ice = NULL;
  NiceAgent *agent = NULL;

  g_object_get (peer->webrtc, "ice-agent", &ice, NULL);
  if (ice != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") != NULL)
    g_object_get (ice, "agent", &agent, NULL);
  return agent;
}

static void
configure_ice (TendCall *self,
               Peer     *peer)
{
  g_autoptr(GstObject) ice = NULL;
  g_autoptr(GObject) agent = (GObject *) peer_dup_nice_agent (peer);
  NiceAddress address;

  g_object_get (peer->webrtc, "ice-agent", &ice, NULL);
  if (ice != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "ice-tcp") != NULL)
    g_object_set (ice, "ice-tcp", FALSE, NULL);
  /* No UPnP port mappings on the practice's router for a call. */
  if (agent != NULL)
    g_object_set (agent, "upnp", FALSE, NULL);
  nice_address_init (&address);
  if (agent != NULL && self->loopback && nice_address_set_from_string (&address, "127.0.0.1"))
    nice_agent_add_local_address (NICE_AGENT (agent), &address);
  if (self->stun_uri != NULL)
    g_object_set (peer->webrtc, "stun-server", self->stun_uri, NULL);
  if (self->turn_uri != NULL)
    g_object_set (peer->webrtc, "turn-server", self->turn_uri, NULL);
  if (self->relay_only)
    g_object_set (peer->webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
}

static Peer *
peer_new (TendCall   *self,
          const char *id,
          const char *label,
          gboolean    offerer)
{
  Peer *peer = g_atomic_rc_box_new0 (Peer);
  g_autoptr(GstBus) bus = NULL;

  g_mutex_init (&peer->lock);
  peer->call = self;
  peer->id = g_strdup (id);
  peer->label = g_strdup (label);
  peer->offerer = offerer;
  peer->audio_level_db = -1000;
  peer->round_trip_ms = peer->loss_percent = peer->jitter_ms = -1;
  peer->pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  peer->webrtc = make ("webrtcbin");
  g_object_set (peer->webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
                "latency", self->latency_ms, NULL);
  gst_bin_add (GST_BIN (peer->pipeline), peer->webrtc);
  configure_ice (self, peer);

  sender_branch (peer, "rtpvp8pay",
                 "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000",
                 &peer->video_src);
  sender_branch (peer, "rtpopuspay",
                 "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000,"
                 "encoding-params=(string)2",
                 &peer->audio_src);

  g_signal_connect (peer->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed_cb), peer);
  g_signal_connect (peer->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate_cb), peer);
  g_signal_connect (peer->webrtc, "pad-added", G_CALLBACK (on_webrtc_pad_cb), peer);
  g_signal_connect (peer->webrtc, "notify::connection-state", G_CALLBACK (on_connection_state_cb), peer);

  bus = gst_pipeline_get_bus (GST_PIPELINE (peer->pipeline));
  peer->bus_watch = gst_bus_create_watch (bus);
  g_source_set_callback (peer->bus_watch, (GSourceFunc) G_CALLBACK (on_peer_bus_cb), peer_ref (peer),
                         (GDestroyNotify) peer_unref);
  g_source_attach (peer->bus_watch, self->context);
  return peer;
}

static void
peer_close (Peer *peer)
{
  if (peer->closed)
    return;
  peer->closed = TRUE;
  g_signal_handlers_disconnect_by_data (peer->webrtc, peer);
  if (peer->bus_watch != NULL)
    {
      g_source_destroy (peer->bus_watch);
      g_clear_pointer (&peer->bus_watch, g_source_unref);
    }
  /* Give back the relay ports a TURN server allocated, rather than leave
   * them to time out there (libnice warns when an agent is freed with its
   * allocations alive); the operation keeps the agent until it is done. */
  {
    g_autoptr(GObject) agent = (GObject *) peer_dup_nice_agent (peer);

    if (agent != NULL)
      nice_agent_close_async (NICE_AGENT (agent), NULL, NULL);
  }
  gst_element_set_state (peer->pipeline, GST_STATE_NULL);
}

/* The capture pipeline: encode once, fan out */

static GstFlowReturn
fan_out (TendCall   *self,
         GstAppSink *sink,
         gboolean    video)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_unref);
  GHashTableIter iter;
  gpointer value;

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (targets, peer_ref (value));
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < targets->len; i++)
    {
      Peer *peer = targets->pdata[i];

      gst_app_src_push_sample (GST_APP_SRC (video ? peer->video_src : peer->audio_src), sample);
    }
  return GST_FLOW_OK;
}

static GstFlowReturn
on_video_encoded_cb (GstAppSink *sink,
                     gpointer    data)
{
  return fan_out (data, sink, TRUE);
}

static GstFlowReturn
on_audio_encoded_cb (GstAppSink *sink,
                     gpointer    data)
{
  return fan_out (data, sink, FALSE);
}

static gboolean
self_frame_cb (gpointer data)
{
  TendCall *self = data;
  g_autoptr(GstSample) sample = NULL;

  g_mutex_lock (&self->lock);
  sample = g_steal_pointer (&self->self_sample);
  self->self_frame_queued = FALSE;
  g_mutex_unlock (&self->lock);
  if (sample != NULL && self->state != TEND_CALL_STATE_ENDED)
    g_signal_emit (self, signals[FRAME], 0, NULL, sample);
  return G_SOURCE_REMOVE;
}

static GstFlowReturn
on_self_sample_cb (GstAppSink *sink,
                   gpointer    data)
{
  TendCall *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean queue;

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_atomic_int_inc (&self->self_frames);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->self_sample, gst_sample_unref);
  self->self_sample = sample;
  queue = !self->self_frame_queued;
  self->self_frame_queued = TRUE;
  g_mutex_unlock (&self->lock);
  if (queue)
    g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, self_frame_cb,
                                g_object_ref (self), g_object_unref);
  return GST_FLOW_OK;
}

static GstDevice *
first_device (const char *klass)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices;
  GstDevice *device = NULL;

  gst_device_monitor_add_filter (monitor, klass, NULL);
  if (!gst_device_monitor_start (monitor))
    return NULL;
  devices = gst_device_monitor_get_devices (monitor);
  if (devices != NULL)
    device = g_object_ref (devices->data);
  g_list_free_full (devices, g_object_unref);
  gst_device_monitor_stop (monitor);
  return device;
}

/* A source from a device, a pipeline description, or the first device of
 * its kind ("auto"). */
static GstElement *
make_source (GstDevice   *device,
             const char  *description,
             const char  *klass,
             GError     **error)
{
  gboolean video = g_str_has_prefix (klass, "Video");
  g_autoptr(GstDevice) found = NULL;
  GstElement *element;

  if (device == NULL && (description == NULL || g_strcmp0 (description, "auto") == 0))
    {
      device = found = first_device (klass);
      if (device == NULL)
        {
          if (video)
            g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_NO_CAMERA,
                                 _("No camera was found. Connect a camera, or check that Tend may use it."));
          else
            g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_NO_MICROPHONE,
                                 _("No microphone was found. Connect a microphone, or check that Tend may use it."));
          return NULL;
        }
    }
  if (device != NULL)
    {
      element = gst_device_create_element (device, NULL);
      if (element == NULL)
        g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE,
                             video ? _("The camera could not be opened.")
                                   : _("The microphone could not be opened."));
      return element;
    }
  element = gst_parse_bin_from_description (description, TRUE, NULL);
  if (element == NULL)
    g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE,
                         video ? _("The camera could not be opened.")
                               : _("The microphone could not be opened."));
  return element;
}

static gboolean
on_capture_bus_cb (GstBus     *bus,
                   GstMessage *message,
                   gpointer    data)
{
  TendCall *self = data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) ours = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_warning ("Capture failed: %s", error->message);
      if (g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_FOUND) ||
          g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ) ||
          g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_READ_WRITE) ||
          g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED) ||
          g_error_matches (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_BUSY))
        ours = g_error_new_literal (TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE,
                                    _("The camera or microphone could not be opened: it may be in use by "
                                      "another application, or access to it was refused."));
      else
        ours = g_error_new_literal (TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_FAILED,
                                    _("The camera or microphone stopped working."));
      g_signal_emit (self, signals[ERROR], 0, ours);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
build_capture (TendCall  *self,
               GError   **error)
{
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new ("capture"));
  g_autoptr(GstCaps) raw = gst_caps_new_simple ("video/x-raw",
                                                "width", G_TYPE_INT, self->width,
                                                "height", G_TYPE_INT, self->height,
                                                "framerate", GST_TYPE_FRACTION, self->fps, 1, NULL);
  g_autoptr(GstCaps) self_caps = gst_caps_from_string ("video/x-raw,format=RGBA,width=160,height=120,"
                                                       "pixel-aspect-ratio=1/1");
  g_autoptr(GstCaps) audio_caps = gst_caps_from_string ("audio/x-raw,rate=48000,channels=2");
  GstElement *vsrc, *asrc, *vfilter, *tee, *selfq, *selffilter, *selfsink, *encq, *venc, *afilter, *aenc;
  GstAppSinkCallbacks self_callbacks = { .new_sample = on_self_sample_cb };
  GstAppSinkCallbacks video_callbacks = { .new_sample = on_video_encoded_cb };
  GstAppSinkCallbacks audio_callbacks = { .new_sample = on_audio_encoded_cb };
  g_autoptr(GstBus) bus = NULL;
  GSource *watch;

  vsrc = make_source (self->video_device, self->video_source, "Video/Source", error);
  if (vsrc == NULL)
    return FALSE;
  asrc = make_source (self->audio_device, self->audio_source, "Audio/Source", error);
  if (asrc == NULL)
    {
      gst_object_unref (gst_object_ref_sink (vsrc));
      return FALSE;
    }

  vfilter = make ("capsfilter");
  g_object_set (vfilter, "caps", raw, NULL);
  tee = make ("tee");
  selfq = make ("queue");
  g_object_set (selfq, "leaky", 2, "max-size-buffers", 2, NULL);
  selffilter = make ("capsfilter");
  g_object_set (selffilter, "caps", self_caps, NULL);
  selfsink = make ("appsink");
  g_object_set (selfsink, "sync", FALSE, "max-buffers", 2, "drop", TRUE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (selfsink), &self_callbacks, self, NULL);
  encq = make ("queue");
  g_object_set (encq, "leaky", 2, "max-size-buffers", 3, NULL);
  self->valve = make ("valve");
  venc = self->encoder = make ("vp8enc");
  /* Real time: 2 cores must encode and decode 30 fps. */
  g_object_set (venc, "deadline", (gint64) 1, "cpu-used", 8, "target-bitrate", 1000000,
                "keyframe-max-dist", 150, "error-resilient", 1, "lag-in-frames", 0, "threads", 2, NULL);
  self->video_enc_sink = make ("appsink");
  g_object_set (self->video_enc_sink, "sync", FALSE, "max-buffers", 10, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->video_enc_sink), &video_callbacks, self, NULL);

  afilter = make ("capsfilter");
  g_object_set (afilter, "caps", audio_caps, NULL);
  self->volume = make ("volume");
  g_object_set (self->volume, "mute", self->muted, NULL);
  g_object_set (self->valve, "drop", self->camera_off, NULL);
  aenc = make ("opusenc");
  self->audio_enc_sink = make ("appsink");
  g_object_set (self->audio_enc_sink, "sync", FALSE, "max-buffers", 50, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (self->audio_enc_sink), &audio_callbacks, self, NULL);

  {
    GstElement *convert = make ("videoconvert"), *scale = make ("videoscale"), *rate = make ("videorate");
    GstElement *selfconvert = make ("videoconvert"), *selfscale = make ("videoscale");
    GstElement *aconvert = make ("audioconvert"), *aresample = make ("audioresample");

    gst_bin_add_many (GST_BIN (pipeline), vsrc, convert, scale, rate, vfilter, tee,
                      selfq, selfconvert, selfscale, selffilter, selfsink,
                      encq, self->valve, venc, self->video_enc_sink, NULL);
    gst_bin_add_many (GST_BIN (pipeline), asrc, aconvert, aresample, afilter, self->volume, aenc,
                      self->audio_enc_sink, NULL);
    if (!gst_element_link_many (vsrc, convert, scale, rate, vfilter, tee, NULL) ||
        !gst_element_link_many (tee, selfq, selfconvert, selfscale, selffilter, selfsink, NULL) ||
        !gst_element_link_many (tee, encq, self->valve, venc, self->video_enc_sink, NULL))
      {
        g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE,
                             _("The camera gives no picture Tend can use."));
        return FALSE;
      }
    if (!gst_element_link_many (asrc, aconvert, aresample, afilter, self->volume, aenc,
                                self->audio_enc_sink, NULL))
      {
        g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE,
                             _("The microphone gives no sound Tend can use."));
        return FALSE;
      }
  }

  bus = gst_pipeline_get_bus (GST_PIPELINE (pipeline));
  watch = gst_bus_create_watch (bus);
  g_source_set_callback (watch, (GSourceFunc) G_CALLBACK (on_capture_bus_cb), self, NULL);
  self->capture_watch = g_source_attach (watch, self->context);
  g_source_unref (watch);

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE,
                           _("The camera or microphone could not be opened: it may be in use by "
                             "another application, or access to it was refused."));
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return FALSE;
    }
  self->capture = g_steal_pointer (&pipeline);
  return TRUE;
}

static void
close_all_peers (TendCall *self)
{
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_unref);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (peers, peer_ref (value));
  g_hash_table_remove_all (self->peers);
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < peers->len; i++)
    {
      Peer *peer = peers->pdata[i];

      peer_close (peer);
      g_signal_emit (self, signals[PEER_REMOVED], 0, peer->id);
    }
}

static void
remove_source (GMainContext *context,
               guint        *id)
{
  GSource *source = *id != 0 ? g_main_context_find_source_by_id (context, *id) : NULL;

  if (source != NULL)
    g_source_destroy (source);
  *id = 0;
}

static void
stop_media (TendCall *self)
{
  close_all_peers (self);
  remove_source (self->context, &self->stats_id);
  remove_source (self->context, &self->capture_watch);
  if (self->capture != NULL)
    {
      gst_element_set_state (self->capture, GST_STATE_NULL);
      g_clear_object (&self->capture);
    }
  self->video_enc_sink = self->audio_enc_sink = self->volume = self->valve = self->encoder = NULL;
}

static void
end (TendCall *self)
{
  if (self->state == TEND_CALL_STATE_ENDED)
    return;
  stop_media (self);
  self->ended_at = g_get_real_time ();
  self->state = TEND_CALL_STATE_ENDED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static Peer *
lookup_peer (TendCall   *self,
             const char *peer_id)
{
  return peer_id != NULL ? g_hash_table_lookup (self->peers, peer_id) : NULL;
}

/* GObject */

static void
tend_call_dispose (GObject *object)
{
  TendCall *self = TEND_CALL (object);

  stop_media (self);
  G_OBJECT_CLASS (tend_call_parent_class)->dispose (object);
}

static void
tend_call_finalize (GObject *object)
{
  TendCall *self = TEND_CALL (object);

  g_hash_table_unref (self->peers);
  g_mutex_clear (&self->lock);
  g_clear_pointer (&self->self_sample, gst_sample_unref);
  g_clear_object (&self->video_device);
  g_clear_object (&self->audio_device);
  g_clear_object (&self->audio_output);
  g_free (self->video_source);
  g_free (self->audio_source);
  g_free (self->audio_sink);
  g_free (self->stun_uri);
  g_free (self->turn_uri);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (tend_call_parent_class)->finalize (object);
}

static void
tend_call_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TendCall *self = TEND_CALL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_CAMERA_OFF:
      g_value_set_boolean (value, self->camera_off);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_call_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TendCall *self = TEND_CALL (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      tend_call_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_CAMERA_OFF:
      tend_call_set_camera_off (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_call_class_init (TendCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_call_dispose;
  object_class->finalize = tend_call_finalize;
  object_class->get_property = tend_call_get_property;
  object_class->set_property = tend_call_set_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, TEND_CALL_STATE_NEW, TEND_CALL_STATE_ENDED, TEND_CALL_STATE_NEW,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAMERA_OFF] =
    g_param_spec_boolean ("camera-off", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TendCall::signal-out:
   * @peer_id: the peer the message is for
   * @message: JSON text, to relay to @peer_id unchanged
   */
  signals[SIGNAL_OUT] = g_signal_new ("signal-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * TendCall::frame:
   * @peer_id: (nullable): the peer, or %NULL for the self view
   * @sample: an RGBA video frame
   *
   * Only the newest frame is delivered when the main context is busy.
   */
  signals[FRAME] = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, GST_TYPE_SAMPLE);
  signals[PEER_ADDED] = g_signal_new ("peer-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[PEER_REMOVED] = g_signal_new ("peer-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Connection, mute or camera state of a peer changed. */
  signals[PEER_CHANGED] = g_signal_new ("peer-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tend_call_init (TendCall *self)
{
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) peer_unref);
  self->video_source = g_strdup ("auto");
  self->audio_source = g_strdup ("auto");
  self->audio_sink = g_strdup ("autoaudiosink");
  self->width = 640;
  self->height = 480;
  self->fps = 30;
  self->latency_ms = 50;
}

/* Public API */

/**
 * tend_media_init:
 *
 * Initialises GStreamer and checks that every element a call needs is
 * installed.
 *
 * Returns: %FALSE with @error naming what is missing
 */
gboolean
tend_media_init (GError **error)
{
  static const char * const needed[] = {
    "webrtcbin", "nicesrc", "dtlsdec", "vp8enc", "vp8dec", "rtpvp8pay", "rtpvp8depay", "opusenc", "opusdec",
    "rtpopuspay", "rtpopusdepay", "appsrc", "appsink", "decodebin", "level", "valve", "volume",
    "videoconvert", "videoscale", "videorate", "audioconvert", "audioresample", NULL
  };

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  for (guint i = 0; needed[i] != NULL; i++)
    {
      g_autoptr(GstElementFactory) factory = gst_element_factory_find (needed[i]);

      if (factory == NULL)
        {
          g_set_error (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_FAILED,
                       _("Video sessions need the GStreamer element “%s”, which is not installed."), needed[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static GThread *warm_thread;

static gpointer
warm_up_thread (gpointer data)
{
  static const char * const elements[] = { "dtlsdec", "webrtcbin", "vp8enc", "vp8dec", "opusenc", "opusdec", NULL };

  /* The first DTLS element makes the process's certificate (an RSA key:
   * 250-730 ms); made here, the first call does not wait for it. */
  for (guint i = 0; elements[i] != NULL; i++)
    {
      GstElement *element = gst_element_factory_make (elements[i], NULL);

      if (element != NULL)
        gst_object_unref (gst_object_ref_sink (element));
    }
  return NULL;
}

/**
 * tend_media_warm_up:
 *
 * Makes the DTLS certificate and loads the codecs in a thread, once.  Call
 * it at start-up, after tend_media_init ().
 */
void
tend_media_warm_up (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      warm_thread = g_thread_new ("tend-media-warm-up", warm_up_thread, NULL);
      g_once_init_leave (&once, 1);
    }
}

/* Waits for tend_media_warm_up () to finish (benchmarks and tests). */
void
tend_media_warm_up_wait (void)
{
  tend_media_warm_up ();
  if (warm_thread != NULL)
    g_clear_pointer (&warm_thread, g_thread_join);
}

/**
 * tend_call_new:
 *
 * A call whose signals are emitted on the thread-default main context.
 *
 * Returns: (transfer full): a new call, in state "new"
 */
TendCall *
tend_call_new (void)
{
  return g_object_new (TEND_TYPE_CALL, NULL);
}

/**
 * tend_call_set_video_source:
 * @description: a GStreamer bin description ("videotestsrc is-live=true"),
 *   or "auto" for the first camera
 */
void
tend_call_set_video_source (TendCall   *self,
                            const char *description)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_free (self->video_source);
  self->video_source = g_strdup (description);
  g_clear_object (&self->video_device);
}

void
tend_call_set_audio_source (TendCall   *self,
                            const char *description)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_free (self->audio_source);
  self->audio_source = g_strdup (description);
  g_clear_object (&self->audio_device);
}

/* What plays the peers' sound: "autoaudiosink", "fakesink", ... */
void
tend_call_set_audio_sink (TendCall   *self,
                          const char *description)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_free (self->audio_sink);
  self->audio_sink = g_strdup (description);
}

void
tend_call_set_video_device (TendCall  *self,
                            GstDevice *device)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_set_object (&self->video_device, device);
}

void
tend_call_set_audio_device (TendCall  *self,
                            GstDevice *device)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_set_object (&self->audio_device, device);
}

void
tend_call_set_video_size (TendCall *self,
                          int       width,
                          int       height,
                          int       fps)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_return_if_fail (width > 0 && height > 0 && fps > 0);
  self->width = width;
  self->height = height;
  self->fps = fps;
}

/**
 * tend_call_set_ice_servers:
 * @stun_uri: (nullable): "stun://host:port"
 * @turn_uri: (nullable): "turn://user:password@host:port", the
 *   credentials escaped
 */
void
tend_call_set_ice_servers (TendCall   *self,
                           const char *stun_uri,
                           const char *turn_uri)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_free (self->stun_uri);
  g_free (self->turn_uri);
  self->stun_uri = g_strdup (stun_uri);
  self->turn_uri = g_strdup (turn_uri);
}

/* The first URL of @server's "urls" (a string or a list) that starts with
 * @scheme, or NULL. */
static const char *
ice_url_with_scheme (JsonObject *server,
                     const char *scheme)
{
  JsonNode *urls = json_object_get_member (server, "urls");

  if (urls != NULL && JSON_NODE_HOLDS_VALUE (urls) && json_node_get_value_type (urls) == G_TYPE_STRING)
    return g_str_has_prefix (json_node_get_string (urls), scheme) ? json_node_get_string (urls) : NULL;
  if (urls == NULL || !JSON_NODE_HOLDS_ARRAY (urls))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (urls)); i++)
    {
      JsonNode *url = json_array_get_element (json_node_get_array (urls), i);

      if (JSON_NODE_HOLDS_VALUE (url) && json_node_get_value_type (url) == G_TYPE_STRING &&
          g_str_has_prefix (json_node_get_string (url), scheme))
        return json_node_get_string (url);
    }
  return NULL;
}

/**
 * tend_call_set_ice_servers_json:
 * @servers: (nullable): RTCPeerConnection's iceServers, as tend-server
 *   gives them when a session is joined: [{"urls": ["stun:host:port"]},
 *   {"urls": ["turn:host:port?transport=udp"], "username": ...,
 *   "credential": ...}]
 *
 * Uses the first STUN and the first TURN server of the list for the peers
 * added from now on (webrtcbin takes one of each as a URI, with the TURN
 * credentials in it, escaped).  Entries it cannot use are left out.
 */
void
tend_call_set_ice_servers_json (TendCall  *self,
                                JsonArray *servers)
{
  g_autofree char *stun = NULL;
  g_autofree char *turn = NULL;

  g_return_if_fail (TEND_IS_CALL (self));
  for (guint i = 0; servers != NULL && i < json_array_get_length (servers); i++)
    {
      JsonNode *node = json_array_get_element (servers, i);
      JsonObject *server = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *url;

      if (server == NULL)
        continue;
      if (stun == NULL && (url = ice_url_with_scheme (server, "stun:")) != NULL)
        stun = g_strconcat ("stun://", url + strlen ("stun:"), NULL);
      if (turn == NULL && (url = ice_url_with_scheme (server, "turn:")) != NULL)
        {
          const char *user = json_object_get_string_member_with_default (server, "username", NULL);
          const char *password = json_object_get_string_member_with_default (server, "credential", NULL);
          g_autofree char *user_escaped = NULL;
          g_autofree char *password_escaped = NULL;

          if (user == NULL || password == NULL)
            continue;
          user_escaped = g_uri_escape_string (user, NULL, FALSE);
          password_escaped = g_uri_escape_string (password, NULL, FALSE);
          turn = g_strdup_printf ("turn://%s:%s@%s", user_escaped, password_escaped, url + strlen ("turn:"));
        }
    }
  tend_call_set_ice_servers (self, stun, turn);
}

/* Only relayed (TURN) candidates: for tests, and networks that need it. */
void
tend_call_set_relay_only (TendCall *self,
                          gboolean  relay_only)
{
  g_return_if_fail (TEND_IS_CALL (self));
  self->relay_only = relay_only;
}

/* Gathers host candidates on 127.0.0.1 (libnice skips loopback otherwise):
 * tests and benchmarks on one machine. */
void
tend_call_set_loopback (TendCall *self,
                        gboolean  loopback)
{
  g_return_if_fail (TEND_IS_CALL (self));
  self->loopback = loopback;
}

/* The jitter buffer, 50 ms unless set. */
void
tend_call_set_latency (TendCall *self,
                       guint     latency_ms)
{
  g_return_if_fail (TEND_IS_CALL (self));
  self->latency_ms = latency_ms;
}

/* What plays the peers' sound from now on (peers that join later). */
void
tend_call_set_audio_output_device (TendCall  *self,
                                   GstDevice *device)
{
  g_return_if_fail (TEND_IS_CALL (self));
  g_set_object (&self->audio_output, device);
}

/**
 * tend_call_restart_capture:
 *
 * Opens the sources again (another camera or microphone was chosen); the
 * peers' connections stay.
 *
 * Returns: %FALSE with @error when the new devices cannot be used
 */
gboolean
tend_call_restart_capture (TendCall  *self,
                           GError   **error)
{
  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  if (self->capture == NULL)
    return TRUE;
  remove_source (self->context, &self->capture_watch);
  gst_element_set_state (self->capture, GST_STATE_NULL);
  g_clear_object (&self->capture);
  self->video_enc_sink = self->audio_enc_sink = self->volume = self->valve = self->encoder = NULL;
  if (!build_capture (self, error))
    return FALSE;
  request_key_frame (self);
  return TRUE;
}

/**
 * tend_call_start:
 *
 * Opens the camera and microphone and starts encoding; peers come with
 * tend_call_add_peer ().
 *
 * Returns: %FALSE with @error (%TEND_MEDIA_ERROR_NO_CAMERA, ...) when the
 *   devices cannot be used
 */
gboolean
tend_call_start (TendCall  *self,
                 GError   **error)
{
  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  g_return_val_if_fail (self->state == TEND_CALL_STATE_NEW, FALSE);

  if (!build_capture (self, error))
    return FALSE;
  self->started_at = g_get_real_time ();
  self->state = TEND_CALL_STATE_CONNECTING;
  {
    GSource *timer = g_timeout_source_new (STATS_INTERVAL_MS);

    g_source_set_callback (timer, on_stats_timer_cb, self, NULL);
    self->stats_id = g_source_attach (timer, self->context);
    g_source_unref (timer);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  return TRUE;
}

/**
 * tend_call_add_peer:
 * @peer_id: the signalling channel's id for the peer
 * @label: (nullable): a name to show
 * @make_offer: whether this side offers (the side that was there first)
 *
 * Starts media with a peer.  A peer already known is replaced.
 */
void
tend_call_add_peer (TendCall   *self,
                    const char *peer_id,
                    const char *label,
                    gboolean    make_offer)
{
  Peer *peer;

  g_return_if_fail (TEND_IS_CALL (self));
  g_return_if_fail (peer_id != NULL);
  if (self->state == TEND_CALL_STATE_NEW || self->state == TEND_CALL_STATE_ENDED)
    return;
  tend_call_remove_peer (self, peer_id);
  self->signalling_lost = FALSE;
  peer = peer_new (self, peer_id, label, make_offer);
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->peers, peer->id, peer);
  g_mutex_unlock (&self->lock);
  gst_element_set_state (peer->pipeline, GST_STATE_PLAYING);
  request_key_frame (self);
  send_state (self, peer);
  g_signal_emit (self, signals[PEER_ADDED], 0, peer_id);
  update_state (self);
}

/* The peer left (or its connection did): its media stops. */
void
tend_call_remove_peer (TendCall   *self,
                       const char *peer_id)
{
  g_autoptr(Peer) peer = NULL;

  g_return_if_fail (TEND_IS_CALL (self));
  g_mutex_lock (&self->lock);
  peer = lookup_peer (self, peer_id);
  if (peer != NULL)
    {
      peer_ref (peer);
      g_hash_table_remove (self->peers, peer_id);
    }
  g_mutex_unlock (&self->lock);
  if (peer == NULL)
    return;
  peer_close (peer);
  g_signal_emit (self, signals[PEER_REMOVED], 0, peer->id);
  update_state (self);
}

static gboolean
bad_message (GError    **error,
             const char *what)
{
  g_set_error (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_SIGNALLING, "A signalling message %s", what);
  return FALSE;
}

/**
 * tend_call_receive:
 * @peer_id: who sent it (as the signalling channel says, not the message)
 * @message: the JSON object a peer's "signal-out" carried
 *
 * Returns: %FALSE with @error for a message that is not understood (it is
 *   then ignored)
 */
gboolean
tend_call_receive (TendCall   *self,
                   const char *peer_id,
                   JsonNode   *message,
                   GError    **error)
{
  Peer *peer;
  JsonObject *obj;
  const char *kind;

  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  peer = lookup_peer (self, peer_id);
  if (peer == NULL)
    return bad_message (error, "came from an unknown peer");
  if (message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    return bad_message (error, "is not an object");
  obj = json_node_get_object (message);
  kind = json_object_get_string_member_with_default (obj, "kind", "");

  if (g_str_equal (kind, "offer") || g_str_equal (kind, "answer"))
    {
      const char *text = json_object_get_string_member_with_default (obj, "sdp", NULL);
      GstSDPMessage *sdp = NULL;
      GstWebRTCSessionDescription *desc;
      gboolean offer = g_str_equal (kind, "offer");
      GstPromise *promise;

      if (text == NULL || gst_sdp_message_new_from_text (text, &sdp) != GST_SDP_OK)
        return bad_message (error, "has no session description");
      if (offer == peer->offerer)
        {
          gst_sdp_message_free (sdp);
          return bad_message (error, "is an offer to the side that offers");
        }
      desc = gst_webrtc_session_description_new (offer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER,
                                                 sdp);
      promise = offer ? gst_promise_new_with_change_func (on_remote_offer_set_cb, peer_ref (peer), NULL) : NULL;
      g_signal_emit_by_name (peer->webrtc, "set-remote-description", desc, promise);
      gst_webrtc_session_description_free (desc);
    }
  else if (g_str_equal (kind, "ice"))
    {
      const char *candidate = json_object_get_string_member_with_default (obj, "candidate", "");
      gint64 mline = json_object_get_int_member_with_default (obj, "sdpMLineIndex", -1);

      if (mline < 0 || mline > 16)
        return bad_message (error, "names no media line");
      /* An empty candidate is the end of candidates: nothing to add. */
      if (*candidate != '\0')
        g_signal_emit_by_name (peer->webrtc, "add-ice-candidate", (guint) mline, candidate);
    }
  else if (g_str_equal (kind, "state"))
    {
      peer->remote_muted = json_object_get_boolean_member_with_default (obj, "muted", FALSE);
      peer->remote_camera_off = json_object_get_boolean_member_with_default (obj, "camera_off", FALSE);
      g_signal_emit (self, signals[PEER_CHANGED], 0, peer_id);
    }
  else if (g_str_equal (kind, "hangup"))
    {
      tend_call_remove_peer (self, peer_id);
      /* The last other person left: the call is over. */
      if (g_hash_table_size (self->peers) == 0)
        end (self);
    }
  else
    return bad_message (error, "is of an unknown kind");
  return TRUE;
}

/**
 * tend_call_signalling_lost:
 *
 * The signalling channel dropped: every peer's media is dropped with it
 * (they will be offered afresh when the channel is back) and the call is
 * reconnecting.
 */
void
tend_call_signalling_lost (TendCall *self)
{
  g_return_if_fail (TEND_IS_CALL (self));
  if (self->state == TEND_CALL_STATE_NEW || self->state == TEND_CALL_STATE_ENDED)
    return;
  self->signalling_lost = TRUE;
  close_all_peers (self);
  update_state (self);
}

/* Tells every peer and ends the call. */
void
tend_call_hang_up (TendCall *self)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(JsonNode) message = kind_message ("hangup");

  g_return_if_fail (TEND_IS_CALL (self));
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    send_to_peer (self, value, message);
  end (self);
}

TendCallState
tend_call_get_state (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), TEND_CALL_STATE_NEW);
  return self->state;
}

/* Wall-clock microseconds: when media started, 0 before. */
gint64
tend_call_get_started_at (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), 0);
  return self->started_at;
}

/* When the first peer connected, 0 before. */
gint64
tend_call_get_connected_at (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), 0);
  return self->connected_at;
}

gint64
tend_call_get_ended_at (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), 0);
  return self->ended_at;
}

static void
send_state_to_all (TendCall *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    send_state (self, value);
}

void
tend_call_set_muted (TendCall *self,
                     gboolean  muted)
{
  g_return_if_fail (TEND_IS_CALL (self));
  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  if (self->volume != NULL)
    g_object_set (self->volume, "mute", muted, NULL);
  send_state_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

gboolean
tend_call_get_muted (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  return self->muted;
}

void
tend_call_set_camera_off (TendCall *self,
                          gboolean  camera_off)
{
  g_return_if_fail (TEND_IS_CALL (self));
  camera_off = !!camera_off;
  if (self->camera_off == camera_off)
    return;
  self->camera_off = camera_off;
  if (self->valve != NULL)
    g_object_set (self->valve, "drop", camera_off, NULL);
  if (!camera_off)
    request_key_frame (self);
  send_state_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_OFF]);
}

gboolean
tend_call_get_camera_off (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  return self->camera_off;
}

/* Returns: (transfer full): the peers' ids */
char **
tend_call_dup_peer_ids (TendCall *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TEND_IS_CALL (self), NULL);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

const char *
tend_call_get_peer_label (TendCall   *self,
                          const char *peer_id)
{
  Peer *peer;

  g_return_val_if_fail (TEND_IS_CALL (self), NULL);
  peer = lookup_peer (self, peer_id);
  return peer != NULL ? peer->label : NULL;
}

gboolean
tend_call_get_peer_muted (TendCall   *self,
                          const char *peer_id)
{
  Peer *peer;

  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  peer = lookup_peer (self, peer_id);
  return peer != NULL && peer->remote_muted;
}

gboolean
tend_call_get_peer_camera_off (TendCall   *self,
                               const char *peer_id)
{
  Peer *peer;

  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  peer = lookup_peer (self, peer_id);
  return peer != NULL && peer->remote_camera_off;
}

/**
 * tend_call_get_peer_stats:
 *
 * Returns: %FALSE when there is no such peer
 */
gboolean
tend_call_get_peer_stats (TendCall      *self,
                          const char    *peer_id,
                          TendCallStats *stats)
{
  Peer *peer;

  g_return_val_if_fail (TEND_IS_CALL (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);
  peer = lookup_peer (self, peer_id);
  if (peer == NULL)
    return FALSE;
  stats->connected = peer->connected;
  stats->frames_received = (guint64) g_atomic_int_get (&peer->frames);
  stats->audio_buffers = (guint64) g_atomic_int_get (&peer->audio_buffers);
  stats->audio_level_db = peer->audio_level_db;
  stats->round_trip_ms = peer->round_trip_ms;
  stats->loss_percent = peer->loss_percent;
  stats->jitter_ms = peer->jitter_ms;
  stats->quality = quality_of (peer);
  return TRUE;
}

/* The worst quality among connected peers. */
TendCallQuality
tend_call_get_quality (TendCall *self)
{
  TendCallQuality worst = TEND_CALL_QUALITY_UNKNOWN;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (TEND_IS_CALL (self), TEND_CALL_QUALITY_UNKNOWN);
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TendCallQuality q = quality_of (value);

      if (q != TEND_CALL_QUALITY_UNKNOWN && (worst == TEND_CALL_QUALITY_UNKNOWN || q < worst))
        worst = q;
    }
  return worst;
}

guint64
tend_call_get_self_frames (TendCall *self)
{
  g_return_val_if_fail (TEND_IS_CALL (self), 0);
  return (guint64) g_atomic_int_get (&self->self_frames);
}
