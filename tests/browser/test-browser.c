/* test-browser.c: a client joins a video session from Chromium
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL cluster and the real tend-server on loopback.
 * The clinician (a TendCall with GStreamer's test sources, its signalling
 * over the live socket through a TendVideoLink, as in the app) makes a join
 * link; Debian's headless Chromium, driven by join.mjs with playwright-core
 * and a fake camera, opens it, waits in the waiting room, is admitted, and
 * both sides count decoded frames; the browser's Leave ends the call at
 * the clinician's side.  Links that are wrong, not open yet, expired or
 * already used get a page that says so; the pages carry a strict CSP.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "tend-call.h"
#include "tend-video-link.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;
static char *host_token;
static char *host_staff;
static char *colleague_token;
static char *client_id;

static char *
new_session (gint64 start_offset_s,
             gint64 length_s)
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
  g_autofree char *status = test_push_one (session, server, host_token, "appointment", appointment_id, 0, body, NULL);

  g_assert_cmpstr (status, ==, "applied");
  g_free (body);
  body = g_strdup_printf ("{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"host_id\":\"%s\","
                          "\"participants\":[\"%s\"],\"started_at\":\"%s\"}",
                          appointment_id, client_id, host_staff, host_staff, start_text);
  g_free (status);
  status = test_push_one (session, server, host_token, "video_session", session_id, 0, body, NULL);
  g_assert_cmpstr (status, ==, "applied");
  return session_id;
}

/* A join link's path, as the host gets it. */
static char *
invite (const char *session_id)
{
  g_autofree char *body = g_strdup_printf ("{\"session_id\":\"%s\"}", session_id);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/video/invites", host_token, body);

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
assert_page (const char *path,
             guint       status,
             const char *says)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", path, NULL, NULL);

  g_assert_cmpuint (r->status, ==, status);
  g_assert_nonnull (strstr (r->body, says));
  /* Static pages: no inline script, nothing from elsewhere. */
  g_assert_null (strstr (r->body, "<script>"));
  g_assert_null (strstr (r->body, "http"));
}

static void
test_links_refused (void)
{
  g_autofree char *current = new_session (-5 * 60, 6 * 60);
  g_autofree char *tomorrow = new_session (24 * 3600, 60 * 60);
  g_autofree char *expired_path = invite (current);
  g_autofree char *future_path = invite (tomorrow);
  g_autofree char *body = g_strdup_printf ("{\"session_id\":\"%s\"}", current);

  /* Only the host makes links. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/video/invites", colleague_token, body);

    g_assert_cmpuint (r->status, ==, 404);
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/video/invites", host_token, "{\"session_id\":7}");

    g_assert_cmpuint (r->status, ==, 400);
  }

  assert_page ("/video/join/this-is-not-a-token-of-ours-at-all", 404, "This link is not valid");
  assert_page ("/video/join/x", 404, "This link is not valid");
  assert_page (future_path, 403, "The session is not open yet");
  /* Time passes: the appointment is over. */
  {
    PGresult *res = test_pg_exec (pg, "UPDATE video_invite SET valid_from = now () - interval '2 hours',"
                                      " valid_until = now () - interval '1 hour' WHERE used_at IS NULL"
                                      " AND valid_from < now ()");

    PQclear (res);
  }
  assert_page (expired_path, 410, "This link has expired");
  /* The page's own files come with the same policy. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/video/assets/join.js", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "RTCPeerConnection"));
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/video/assets/../join.html", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
}

/* The browser join */

typedef struct
{
  TendCall      *call;
  TendVideoLink *link;
  TestLive      *live;
  char          *guest;       /* the admitted guest's peer id */
  gboolean       waited;
  char          *browser_line;
} Host;

static void
on_peer_added_cb (TendVideoLink *link,
                  const char    *peer_id,
                  const char    *name,
                  gboolean       make_offer,
                  Host          *host)
{
  tend_call_add_peer (host->call, peer_id, name, make_offer);
  host->guest = g_strdup (peer_id);
}

static void
on_peer_left_cb (TendVideoLink *link,
                 const char    *peer_id,
                 Host          *host)
{
  tend_call_remove_peer (host->call, peer_id);
}

static void
on_link_signal_cb (TendVideoLink *link,
                   const char    *from,
                   JsonNode      *data,
                   Host          *host)
{
  tend_call_receive (host->call, from, data, NULL);
}

static void
on_signal_out_cb (TendCall   *call,
                  const char *peer_id,
                  const char *text,
                  Host       *host)
{
  tend_video_link_send (host->link, peer_id, text);
}

static void
on_guest_waiting_cb (TendVideoLink *link,
                     const char    *guest_id,
                     const char    *name,
                     Host          *host)
{
  host->waited = TRUE;
  tend_video_link_admit (link, guest_id);
}

static void
on_line_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Host *host = data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    return;
  g_test_message ("browser: %s", line);
  if (g_str_has_prefix (line, "frames "))
    host->browser_line = line;
  else
    {
      g_free (line);
      g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL, on_line_cb, host);
    }
}

static guint64
guest_frames (Host *host)
{
  TendCallStats stats = { 0 };

  if (host->guest != NULL)
    tend_call_get_peer_stats (host->call, host->guest, &stats);
  return stats.frames_received;
}

static void
wait_until (gboolean (*done) (Host *), Host *host, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (host) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static gboolean
both_decode (Host *host)
{
  return host->browser_line != NULL && guest_frames (host) > 10;
}

static gboolean
call_ended (Host *host)
{
  return tend_call_get_state (host->call) == TEND_CALL_STATE_ENDED;
}

static void
test_browser_joins (void)
{
  g_autofree char *session_id = new_session (2 * 60, 60 * 60);  /* opens 10 minutes before */
  g_autofree char *path = invite (session_id);
  g_autofree char *url = g_strdup_printf ("%s%s", server->base, path);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "join.mjs", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  Host host = { 0 };

  host.call = tend_call_new ();
  tend_call_set_video_source (host.call, "videotestsrc is-live=true pattern=ball");
  tend_call_set_audio_source (host.call, "audiotestsrc is-live=true wave=sine");
  tend_call_set_audio_sink (host.call, "fakesink sync=false");
  tend_call_set_loopback (host.call, TRUE);
  g_signal_connect (host.call, "signal-out", G_CALLBACK (on_signal_out_cb), &host);
  g_assert_true (tend_call_start (host.call, &error));
  g_assert_no_error (error);
  host.link = tend_video_link_new (session_id);
  g_signal_connect (host.link, "peer-added", G_CALLBACK (on_peer_added_cb), &host);
  g_signal_connect (host.link, "peer-left", G_CALLBACK (on_peer_left_cb), &host);
  g_signal_connect (host.link, "signal", G_CALLBACK (on_link_signal_cb), &host);
  g_signal_connect (host.link, "guest-waiting", G_CALLBACK (on_guest_waiting_cb), &host);
  host.live = test_live_connect (session, server, host_token);
  tend_video_link_attach (host.link, host.live->conn);

  g_subprocess_launcher_set_cwd (launcher, g_test_get_dir (G_TEST_DIST));
  node = g_subprocess_launcher_spawn (launcher, &error, "node", script, url, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line_cb, &host);

  /* Waiting room, admission, then frames both ways. */
  wait_until (both_decode, &host, 60000);
  g_assert_true (host.waited);
  g_assert_nonnull (host.browser_line);
  g_assert_cmpuint (guest_frames (&host), >, 10);
  g_assert_cmpint (tend_call_get_state (host.call), ==, TEND_CALL_STATE_CONNECTED);

  /* The browser leaves: the clinician's call ends. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (node), "done\n", 5, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (node), NULL, NULL);
  wait_until (call_ended, &host, 10000);
  g_assert_cmpint (tend_call_get_state (host.call), ==, TEND_CALL_STATE_ENDED);
  g_assert_true (g_subprocess_wait_check (node, NULL, &error));
  g_assert_no_error (error);

  /* The link was good for one join. */
  assert_page (path, 410, "This link has already been used");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE record_id = '%s'"
                                            " AND action IN ('video-admit', 'video-guest-join')", session_id);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "2");
    PQclear (res);
  }

  g_clear_object (&host.link);
  g_clear_object (&host.call);
  test_live_free (host.live);
  g_free (host.guest);
  g_free (host.browser_line);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(JsonNode) host_user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (!g_file_test ("/usr/bin/chromium", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("Debian's chromium is not installed: the browser suite cannot run\n");
      return 77;
    }
  if (!tend_media_init (&error))
    g_error ("%s", error->message);
  tend_media_warm_up ();
  g_test_add_func ("/browser/links-refused", test_links_refused);
  g_test_add_func ("/browser/joins-and-both-decode", test_browser_joins);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone",
                         "America/Chicago", "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  host_user = test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                          "--email", "host@a.example", "--name", "Hana Host", "--role", "clinician", NULL);
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                               "--email", "colleague@a.example", "--name", "Cole League", "--role", "clinician",
                               NULL));
  host_staff = g_strdup (test_json_string (host_user, "staff_id"));
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  host_token = test_login (session, server, "host@a.example", PASSWORD);
  colleague_token = test_login (session, server, "colleague@a.example", PASSWORD);
  client_id = g_uuid_string_random ();
  status = test_push_one (session, server, host_token, "client", client_id, 0,
                          "{\"legal_given\":\"Test\",\"legal_family\":\"Person\",\"status\":\"active\"}", NULL);
  g_assert_cmpstr (status, ==, "applied");
  tend_media_warm_up_wait ();

  rc = g_test_run ();

  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  return rc;
}
