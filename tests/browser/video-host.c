/* video-host.c: the clinician's side of a browser join, for tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by tests/browser/test-browser.c and bench/bench-video-browser.c:
 * a telehealth appointment and its video session pushed as the host, a
 * join link made through POST /v1/video/invites, and the host's call.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include "video-host.h"

/**
 * video_host_new_session:
 * @start_offset_s: the appointment's start, from now
 *
 * Returns: (transfer full): the new video session's id
 */
char *
video_host_new_session (SoupSession *session,
                        TestServer  *server,
                        const char  *token,
                        const char  *host_staff,
                        const char  *client_id,
                        gint64       start_offset_s,
                        gint64       length_s)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_seconds (now, (double) start_offset_s);
  g_autoptr(GDateTime) end = g_date_time_add_seconds (start, (double) length_s);
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *appointment_id = g_uuid_string_random ();
  char *session_id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"session\",\"clinician_id\":\"%s\",\"client_id\":\"%s\","
                                           "\"modality\":\"telehealth\",\"start\":\"%s\",\"end\":\"%s\","
                                           "\"status\":\"scheduled\"}", host_staff, client_id, start_text, end_text);
  g_autofree char *status = test_push_one (session, server, token, "appointment", appointment_id, 0, body, NULL);

  g_assert_cmpstr (status, ==, "applied");
  g_free (body);
  body = g_strdup_printf ("{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"host_id\":\"%s\","
                          "\"participants\":[\"%s\"],\"started_at\":\"%s\"}",
                          appointment_id, client_id, host_staff, host_staff, start_text);
  g_free (status);
  status = test_push_one (session, server, token, "video_session", session_id, 0, body, NULL);
  g_assert_cmpstr (status, ==, "applied");
  return session_id;
}

/* Returns: (transfer full): a join link's path, as the host gets it */
char *
video_host_invite (SoupSession *session,
                   TestServer  *server,
                   const char  *token,
                   const char  *session_id)
{
  g_autofree char *body = g_strdup_printf ("{\"session_id\":\"%s\"}", session_id);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/video/invites", token, body);

  if (r->status != 201)
    {
      g_autofree char *log = test_server_get_log (server);

      g_printerr ("%s\n%s\n", r->body, log);
    }
  g_assert_cmpuint (r->status, ==, 201);
  g_assert_true (g_str_has_prefix (test_json_string (r->json, "path"), "/video/join/"));
  return g_strdup (test_json_string (r->json, "path"));
}

static void
on_peer_added_cb (TendVideoLink *link,
                  const char    *peer_id,
                  const char    *name,
                  gboolean       make_offer,
                  VideoHost     *host)
{
  tend_call_add_peer (host->call, peer_id, name, make_offer);
  host->peers_added++;
  g_free (host->guest);
  host->guest = g_strdup (peer_id);
}

/* The practice's ICE servers and policy, before any peer, as the app's
 * call controller applies them. */
static void
on_joined_cb (TendVideoLink *link,
              VideoHost     *host)
{
  tend_call_set_ice_servers_json (host->call, tend_video_link_get_ice_servers (link));
  tend_call_set_relay_only (host->call, tend_video_link_get_relay_only (link));
}

static void
on_peer_left_cb (TendVideoLink *link,
                 const char    *peer_id,
                 VideoHost     *host)
{
  tend_call_remove_peer (host->call, peer_id);
}

static void
on_link_signal_cb (TendVideoLink *link,
                   const char    *from,
                   JsonNode      *data,
                   VideoHost     *host)
{
  tend_call_receive (host->call, from, data, NULL);
}

static void
on_signal_out_cb (TendCall   *call,
                  const char *peer_id,
                  const char *text,
                  VideoHost  *host)
{
  tend_video_link_send (host->link, peer_id, text);
}

static void
on_guest_waiting_cb (TendVideoLink *link,
                     const char    *guest_id,
                     const char    *name,
                     VideoHost     *host)
{
  host->waited = TRUE;
  host->waits++;
  tend_video_link_admit (link, guest_id);
}

/* The host's call, its camera running, in the session's room. */
VideoHost *
video_host_start (SoupSession *session,
                  TestServer  *server,
                  const char  *token,
                  const char  *session_id)
{
  VideoHost *host = g_new0 (VideoHost, 1);
  g_autoptr(GError) error = NULL;

  host->call = tend_call_new ();
  tend_call_set_video_source (host->call, "videotestsrc is-live=true pattern=ball");
  tend_call_set_audio_source (host->call, "audiotestsrc is-live=true wave=sine");
  tend_call_set_audio_sink (host->call, "fakesink sync=false");
  tend_call_set_loopback (host->call, TRUE);
  g_signal_connect (host->call, "signal-out", G_CALLBACK (on_signal_out_cb), host);
  if (!tend_call_start (host->call, &error))
    g_error ("%s", error->message);
  host->link = tend_video_link_new (session_id);
  g_signal_connect (host->link, "joined", G_CALLBACK (on_joined_cb), host);
  g_signal_connect (host->link, "peer-added", G_CALLBACK (on_peer_added_cb), host);
  g_signal_connect (host->link, "peer-left", G_CALLBACK (on_peer_left_cb), host);
  g_signal_connect (host->link, "signal", G_CALLBACK (on_link_signal_cb), host);
  g_signal_connect (host->link, "guest-waiting", G_CALLBACK (on_guest_waiting_cb), host);
  host->live = test_live_connect (session, server, token);
  tend_video_link_attach (host->link, host->live->conn);
  return host;
}

guint64
video_host_guest_frames (VideoHost *host)
{
  TendCallStats stats = { 0 };

  if (host->guest != NULL)
    tend_call_get_peer_stats (host->call, host->guest, &stats);
  return stats.frames_received;
}

/* Runs the main context until @done or @timeout_ms. */
void
video_host_wait (gboolean (*done) (VideoHost *),
                 VideoHost *host,
                 guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (host) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

void
video_host_free (VideoHost *host)
{
  if (host == NULL)
    return;
  g_signal_handlers_disconnect_by_data (host->call, host);
  g_signal_handlers_disconnect_by_data (host->link, host);
  g_clear_object (&host->link);
  g_clear_object (&host->call);
  test_live_free (host->live);
  g_free (host->guest);
  g_free (host);
}
