/* test-media.c: two calls through a real tend-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL cluster and the real tend-server on loopback; a
 * host clinician and a colleague in one video session, each with a
 * TendCall (videotestsrc, audiotestsrc) whose signalling goes over their
 * own live WebSocket through a TendVideoLink, as in the app.  Both decode
 * the other's frames and sound; mute and camera-off reach the other side
 * (the state message, and the sound and pictures themselves); the
 * colleague's live connection dropping and coming back recovers the call;
 * hanging up ends it on both sides.  Then the same call forced through a
 * real TURN relay (coturn on loopback, with the short-lived credentials
 * tend-server hands each participant when they join).
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "server-test-util.h"
#include "tend-call.h"
#include "tend-server-ice.h"
#include "tend-video-link.h"

#define PASSWORD "correct horse battery"
#define WAIT_MS 15000

#define TURN_SECRET "turn-shared-secret-for-tests"
#define TURN_TTL 3600

static TestPg *pg;
static TestServer *server;
static SoupSession *session;
static TestTurn *coturn;

typedef struct
{
  const char    *name;
  char          *token;
  TendCall      *call;
  TendVideoLink *link;
  TestLive      *live;
} Side;

static Side host = { "host" };
static Side colleague = { "colleague" };

/* Wiring a call to its link, as the app does. */

static void
on_link_joined_cb (TendVideoLink *link,
                   Side          *side)
{
  tend_call_set_ice_servers_json (side->call, tend_video_link_get_ice_servers (link));
}

static void
on_peer_added_cb (TendVideoLink *link,
                  const char    *peer_id,
                  const char    *name,
                  gboolean       make_offer,
                  Side          *side)
{
  tend_call_add_peer (side->call, peer_id, name, make_offer);
}

static void
on_peer_left_cb (TendVideoLink *link,
                 const char    *peer_id,
                 Side          *side)
{
  tend_call_remove_peer (side->call, peer_id);
}

static void
on_link_signal_cb (TendVideoLink *link,
                   const char    *from,
                   JsonNode      *data,
                   Side          *side)
{
  g_autoptr(GError) error = NULL;

  /* A peer's early state message may come before its peer-joined: fine. */
  if (!tend_call_receive (side->call, from, data, &error))
    g_debug ("%s: %s", side->name, error->message);
}

static void
on_link_failed_cb (TendVideoLink *link,
                   const char    *code,
                   const char    *message,
                   Side          *side)
{
  g_error ("%s: the server refused: %s (%s)", side->name, code, message);
}

static void
on_lost_cb (TendVideoLink *link,
            Side          *side)
{
  tend_call_signalling_lost (side->call);
}

static void
on_signal_out_cb (TendCall   *call,
                  const char *peer_id,
                  const char *text,
                  Side       *side)
{
  tend_video_link_send (side->link, peer_id, text);
}

static void
side_start_full (Side       *side,
                 const char *session_id,
                 gboolean    relay_only)
{
  g_autoptr(GError) error = NULL;

  side->call = tend_call_new ();
  tend_call_set_relay_only (side->call, relay_only);
  tend_call_set_video_source (side->call, "videotestsrc is-live=true pattern=ball");
  tend_call_set_audio_source (side->call, "audiotestsrc is-live=true wave=sine volume=0.5");
  tend_call_set_audio_sink (side->call, "fakesink sync=false");
  tend_call_set_video_size (side->call, 320, 240, 15);
  tend_call_set_loopback (side->call, TRUE);
  g_signal_connect (side->call, "signal-out", G_CALLBACK (on_signal_out_cb), side);
  g_assert_true (tend_call_start (side->call, &error));
  g_assert_no_error (error);

  side->link = tend_video_link_new (session_id);
  g_signal_connect (side->link, "joined", G_CALLBACK (on_link_joined_cb), side);
  g_signal_connect (side->link, "peer-added", G_CALLBACK (on_peer_added_cb), side);
  g_signal_connect (side->link, "peer-left", G_CALLBACK (on_peer_left_cb), side);
  g_signal_connect (side->link, "signal", G_CALLBACK (on_link_signal_cb), side);
  g_signal_connect (side->link, "failed", G_CALLBACK (on_link_failed_cb), side);
  g_signal_connect (side->link, "lost", G_CALLBACK (on_lost_cb), side);
  side->live = test_live_connect (session, server, side->token);
  g_assert_no_error (side->live->error);
  tend_video_link_attach (side->link, side->live->conn);
}

static void
side_start (Side       *side,
            const char *session_id)
{
  side_start_full (side, session_id, FALSE);
}

static void
side_stop (Side *side)
{
  g_clear_object (&side->call);
  g_clear_object (&side->link);
  g_clear_pointer (&side->live, test_live_free);
}

/* The one peer a side has, or NULL. */
static char *
only_peer (Side *side)
{
  g_auto(GStrv) ids = tend_call_dup_peer_ids (side->call);

  return g_strv_length (ids) == 1 ? g_strdup (ids[0]) : NULL;
}

static TendCallStats
stats_of (Side *side)
{
  TendCallStats stats = { 0 };
  g_autofree char *peer = only_peer (side);

  if (peer != NULL)
    tend_call_get_peer_stats (side->call, peer, &stats);
  return stats;
}

typedef gboolean (*Condition) (void);

static gboolean
wait_for (Condition condition,
          guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition ())
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static guint64 host_frames_mark, colleague_frames_mark;

/* Both connected, and both decode pictures (past the marks) and sound. */
static gboolean
both_flowing (void)
{
  TendCallStats h = stats_of (&host);
  TendCallStats c = stats_of (&colleague);

  return tend_call_get_state (host.call) == TEND_CALL_STATE_CONNECTED &&
         tend_call_get_state (colleague.call) == TEND_CALL_STATE_CONNECTED &&
         h.frames_received > host_frames_mark + 10 && c.frames_received > colleague_frames_mark + 10 &&
         h.audio_buffers > 10 && c.audio_buffers > 10 &&
         h.audio_level_db > -40 && c.audio_level_db > -40;
}

static gboolean
colleague_hears_silence (void)
{
  g_autofree char *peer = only_peer (&colleague);

  return peer != NULL && tend_call_get_peer_muted (colleague.call, peer) && stats_of (&colleague).audio_level_db < -90;
}

static gboolean
colleague_hears_host (void)
{
  g_autofree char *peer = only_peer (&colleague);

  return peer != NULL && !tend_call_get_peer_muted (colleague.call, peer) && stats_of (&colleague).audio_level_db > -40;
}

static gboolean
colleague_sees_camera_off (void)
{
  g_autofree char *peer = only_peer (&colleague);

  return peer != NULL && tend_call_get_peer_camera_off (colleague.call, peer);
}

static gboolean
colleague_sees_pictures_again (void)
{
  g_autofree char *peer = only_peer (&colleague);

  return peer != NULL && !tend_call_get_peer_camera_off (colleague.call, peer) &&
         stats_of (&colleague).frames_received > colleague_frames_mark + 5;
}

static gboolean
both_reconnecting (void)
{
  return tend_call_get_state (host.call) == TEND_CALL_STATE_RECONNECTING &&
         tend_call_get_state (colleague.call) == TEND_CALL_STATE_RECONNECTING;
}

static gboolean
both_ended (void)
{
  return tend_call_get_state (host.call) == TEND_CALL_STATE_ENDED &&
         tend_call_get_state (colleague.call) == TEND_CALL_STATE_ENDED;
}

static char *session_id;

static void
test_call (void)
{
  guint64 frozen;

  side_start (&host, session_id);
  side_start (&colleague, session_id);

  /* Both decode frames and sound. */
  g_assert_true (wait_for (both_flowing, WAIT_MS));
  g_assert_cmpuint (tend_call_get_self_frames (host.call), >, 0);
  g_assert_cmpint (tend_call_get_connected_at (host.call), >=, tend_call_get_started_at (host.call));

  /* Mute reaches the other side: the flag, and silence. */
  tend_call_set_muted (host.call, TRUE);
  g_assert_true (wait_for (colleague_hears_silence, WAIT_MS));
  tend_call_set_muted (host.call, FALSE);
  g_assert_true (wait_for (colleague_hears_host, WAIT_MS));

  /* Camera off: the flag, and no more pictures; on again, pictures. */
  tend_call_set_camera_off (host.call, TRUE);
  g_assert_true (wait_for (colleague_sees_camera_off, WAIT_MS));
  test_spin (500);   /* what was on its way */
  frozen = stats_of (&colleague).frames_received;
  test_spin (700);
  g_assert_cmpuint (stats_of (&colleague).frames_received, ==, frozen);
  colleague_frames_mark = frozen;
  tend_call_set_camera_off (host.call, FALSE);
  g_assert_true (wait_for (colleague_sees_pictures_again, WAIT_MS));

  /* A network drop: the colleague's live connection closes ... */
  soup_websocket_connection_close (colleague.live->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_assert_true (wait_for (both_reconnecting, WAIT_MS));
  /* ... and comes back: the call recovers by itself. */
  g_clear_pointer (&colleague.live, test_live_free);
  colleague.live = test_live_connect (session, server, colleague.token);
  g_assert_no_error (colleague.live->error);
  tend_video_link_attach (colleague.link, colleague.live->conn);
  host_frames_mark = colleague_frames_mark = 0;  /* new peers count afresh */
  g_assert_true (wait_for (both_flowing, WAIT_MS));

  /* Hanging up ends it on both sides. */
  tend_call_hang_up (host.call);
  g_assert_true (wait_for (both_ended, WAIT_MS));
  g_assert_cmpint (tend_call_get_ended_at (colleague.call), >, 0);

  side_stop (&host);
  side_stop (&colleague);
}

/* Each participant's TURN credentials are their own, made with the secret
 * tend-server shares with coturn, and expire. */
static void
check_ice_servers (Side *side)
{
  JsonArray *servers = tend_video_link_get_ice_servers (side->link);
  JsonObject *turn;
  const char *username;
  g_autofree char *expected = NULL;
  g_autofree char *entry = NULL;
  g_auto(GStrv) parts = NULL;
  gint64 expiry, now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_nonnull (servers);
  g_assert_cmpuint (json_array_get_length (servers), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (json_array_get_object_element (servers, 0),
                                                                                "urls"), 0), ==,
                   coturn->stun_uri);
  turn = json_array_get_object_element (servers, 1);
  username = json_object_get_string_member (turn, "username");
  parts = g_strsplit (username, ":", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  expiry = g_ascii_strtoll (parts[0], NULL, 10);
  g_assert_cmpint (expiry, >, now + TURN_TTL - 120);
  g_assert_cmpint (expiry, <=, now + TURN_TTL + 1);
  expected = tend_turn_credential (TURN_SECRET, username);
  g_assert_cmpstr (json_object_get_string_member (turn, "credential"), ==, expected);
  entry = json_to_string (json_array_get_element (servers, 1), FALSE);
  g_assert_null (strstr (entry, TURN_SECRET));
}

static gboolean
both_joined (void)
{
  return tend_video_link_get_peer_id (host.link) != NULL && tend_video_link_get_peer_id (colleague.link) != NULL;
}

static void
test_call_through_turn (void)
{
  g_autofree char *log = NULL;

  host_frames_mark = colleague_frames_mark = 0;
  /* Only relayed candidates: the call connects through coturn or not at all. */
  side_start_full (&host, session_id, TRUE);
  side_start_full (&colleague, session_id, TRUE);
  g_assert_true (wait_for (both_joined, WAIT_MS));
  check_ice_servers (&host);
  check_ice_servers (&colleague);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tend_video_link_get_ice_servers (host.link), 1),
                                                  "username"), !=,
                   json_object_get_string_member (json_array_get_object_element (tend_video_link_get_ice_servers (colleague.link), 1),
                                                  "username"));
  g_assert_true (wait_for (both_flowing, WAIT_MS));

  /* coturn allocated relays with those credentials, and carried the media. */
  g_assert_true (g_file_get_contents (coturn->log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "ALLOCATE processed, success"));
  g_assert_nonnull (strstr (log, "CREATE_PERMISSION processed, success"));

  tend_call_hang_up (host.call);
  g_assert_true (wait_for (both_ended, WAIT_MS));
  side_stop (&host);
  side_stop (&colleague);
}

static void
on_call_error_cb (TendCall *call,
                  GError   *error,
                  GError  **out)
{
  if (*out == NULL)
    *out = g_error_copy (error);
}

static void
test_missing_devices (void)
{
  g_autoptr(TendCall) call = tend_call_new ();
  g_autoptr(GError) error = NULL;

  /* A camera that is not there is named as such, not a generic failure. */
  tend_call_set_video_source (call, "v4l2src device=/dev/video-tend-test-missing");
  tend_call_set_audio_source (call, "audiotestsrc is-live=true");
  tend_call_set_audio_sink (call, "fakesink");
  if (tend_call_start (call, &error))
    {
      GError *async_error = NULL;

      /* Should the device fail only once streaming, "error" says so. */
      g_signal_connect (call, "error", G_CALLBACK (on_call_error_cb), &async_error);
      {
        gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

        while (async_error == NULL && g_get_monotonic_time () < deadline)
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (2000);
      }
      error = async_error;
    }
  g_assert_error (error, TEND_MEDIA_ERROR, TEND_MEDIA_ERROR_DEVICE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(JsonNode) host_user = NULL;
  g_autoptr(JsonNode) colleague_user = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *appointment_id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_file = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (!tend_media_init (&error))
    g_error ("%s", error->message);
  tend_media_warm_up ();
  g_test_add_func ("/media/call-through-server", test_call);
  g_test_add_func ("/media/call-through-turn", test_call_through_turn);
  g_test_add_func ("/media/missing-device", test_missing_devices);

  coturn = test_turn_start (TURN_SECRET);
  config_file = test_turn_write_config (coturn, TURN_TTL, NULL);
  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone",
                         "America/Chicago", "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  host_user = test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                          "--email", "host@a.example", "--name", "Hana Host", "--role", "clinician", NULL);
  colleague_user = test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                               "--email", "colleague@a.example", "--name", "Cole League", "--role", "supervisor", NULL);
  server = test_server_start (pg, "--config", config_file, NULL);
  session = test_session_new ();
  host.token = test_login (session, server, "host@a.example", PASSWORD);
  colleague.token = test_login (session, server, "colleague@a.example", PASSWORD);

  status = test_push_one (session, server, host.token, "client", client_id, 0,
                          "{\"legal_given\":\"Test\",\"legal_family\":\"Person\",\"status\":\"active\"}", NULL);
  g_assert_cmpstr (status, ==, "applied");
  body = g_strdup_printf ("{\"kind\":\"session\",\"clinician_id\":\"%s\",\"client_id\":\"%s\",\"modality\":\"telehealth\","
                          "\"start\":\"2030-05-06T15:00:00Z\",\"end\":\"2030-05-06T16:00:00Z\",\"status\":\"scheduled\"}",
                          test_json_string (host_user, "staff_id"), client_id);
  g_free (status);
  status = test_push_one (session, server, host.token, "appointment", appointment_id, 0, body, NULL);
  g_assert_cmpstr (status, ==, "applied");
  session_id = g_uuid_string_random ();
  g_free (body);
  body = g_strdup_printf ("{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"host_id\":\"%s\",\"participants\":[\"%s\",\"%s\"],"
                          "\"started_at\":\"2030-05-06T15:00:00Z\"}", appointment_id, client_id,
                          test_json_string (host_user, "staff_id"), test_json_string (host_user, "staff_id"),
                          test_json_string (colleague_user, "staff_id"));
  g_free (status);
  status = test_push_one (session, server, host.token, "video_session", session_id, 0, body, NULL);
  g_assert_cmpstr (status, ==, "applied");
  tend_media_warm_up_wait ();

  rc = g_test_run ();

  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  test_turn_stop (coturn);
  g_free (host.token);
  g_free (colleague.token);
  g_free (session_id);
  return rc;
}
