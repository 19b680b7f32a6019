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
 * the clinician's side.  The same again with the server sending every
 * call through a coturn relay on loopback (turn-relay-only).  Links that are wrong, not open yet, expired or
 * already used get a page that says so; the pages carry a strict CSP.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "video-host.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;
static char *host_token;
static char *host_staff;
static char *colleague_token;
static char *colleague_staff;
static char *client_id;
static char *practice_id;

static char *
new_session (gint64 start_offset_s,
             gint64 length_s)
{
  return video_host_new_session (session, server, host_token, host_staff, client_id, start_offset_s, length_s);
}

static char *
invite (const char *session_id)
{
  return video_host_invite (session, server, host_token, session_id);
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
  /* In the browser's language: Spanish when it comes first, else English. */
  test_session_set_header (session, "Accept-Language", "es-MX,es;q=0.9,en;q=0.8");
  assert_page (expired_path, 410, "Este enlace ha caducado");
  assert_page (expired_path, 410, "<html lang=\"es\">");
  assert_page ("/video/join/this-is-not-a-token-of-ours-at-all", 404, "Este enlace no es válido");
  assert_page (future_path, 403, "La sesión todavía no está abierta");
  test_session_set_header (session, "Accept-Language", "en-GB,es;q=0.5");
  assert_page (expired_path, 410, "This link has expired");
  test_session_set_header (session, "Accept-Language", NULL);
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
  VideoHost *host;
  char      *browser_line;
} Join;

static void
on_line_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Join *join = data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    return;
  g_test_message ("browser: %s", line);
  if (g_str_has_prefix (line, "frames "))
    join->browser_line = line;
  else
    {
      g_free (line);
      g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT, NULL, on_line_cb, join);
    }
}

static Join *current;

static gboolean
both_decode (VideoHost *host)
{
  return current->browser_line != NULL && video_host_guest_frames (host) > 10;
}

static gboolean
call_ended (VideoHost *host)
{
  return tend_call_get_state (host->call) == TEND_CALL_STATE_ENDED;
}

/* The page's own route to the clinician ("host", "prflx", "relay": the
 * local candidate of the pair in use), from join.mjs's line. */
static char *
browser_route (const char *line)
{
  const char *route = strstr (line, " route ");

  g_assert_nonnull (route);
  return g_strndup (route + 7, strcspn (route + 7, " "));
}

/* Chromium joins @in_server's session @session_id through @path (the
 * clinician admits it from the waiting room), both sides decode frames,
 * the browser leaves and the clinician's call ends.  Returns join.mjs's
 * line ("frames N ms T route R"); join.mjs checks the page speaks the
 * browser's language (@locale).  With @drop, the page's socket drops once
 * frames flow and the page comes back into the call by itself before
 * join.mjs prints its line. */
static char *
browser_joins (TestServer *in_server,
               const char *token,
               const char *session_id,
               const char *path,
               const char *locale,
               gboolean    drop)
{
  g_autofree char *url = g_strdup_printf ("%s%s", in_server->base, path);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "join.mjs", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VideoHost) host = video_host_start (session, in_server, token, session_id);
  Join join = { host, NULL };

  current = &join;
  g_subprocess_launcher_set_cwd (launcher, g_test_get_dir (G_TEST_DIST));
  node = g_subprocess_launcher_spawn (launcher, &error, "node", script, url, locale,
                                      drop ? "drop" : NULL, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line_cb, &join);

  /* Waiting room, admission, then frames both ways (with @drop: from the
   * page's second connection, which did not wait again). */
  video_host_wait (both_decode, host, 60000);
  g_assert_true (host->waited);
  g_assert_cmpuint (host->waits, ==, 1);
  g_assert_cmpuint (host->peers_added, ==, drop ? 2 : 1);
  g_assert_nonnull (join.browser_line);
  g_assert_cmpuint (video_host_guest_frames (host), >, 10);
  g_assert_cmpint (tend_call_get_state (host->call), ==, TEND_CALL_STATE_CONNECTED);

  /* The browser leaves: the clinician's call ends. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (node), "done\n", 5, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (node), NULL, NULL);
  video_host_wait (call_ended, host, 10000);
  g_assert_cmpint (tend_call_get_state (host->call), ==, TEND_CALL_STATE_ENDED);
  g_assert_true (g_subprocess_wait_check (node, NULL, &error));
  g_assert_no_error (error);
  current = NULL;
  return join.browser_line;
}

static void
test_browser_joins (void)
{
  g_autofree char *session_id = new_session (2 * 60, 60 * 60);  /* opens 10 minutes before */
  g_autofree char *path = invite (session_id);
  g_autofree char *line = NULL;
  g_autofree char *route = NULL;

  /* The page in the browser's language (looking does not spend the link). */
  test_session_set_header (session, "Accept-Language", "es-ES,es;q=0.9");
  assert_page (path, 200, "<html lang=\"es\">");
  assert_page (path, 200, ">Salir<");
  assert_page (path, 200, "Nada de esta llamada se graba");
  test_session_set_header (session, "Accept-Language", NULL);
  assert_page (path, 200, ">Leave<");
  line = browser_joins (server, host_token, session_id, path, "en-US", FALSE);
  route = browser_route (line);

  /* No relay configured: straight between the two. */
  g_assert_cmpstr (route, !=, "relay");

  /* The link was good for one join. */
  assert_page (path, 410, "This link has already been used");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE record_id = '%s'"
                                            " AND action IN ('video-admit', 'video-guest-join')", session_id);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "2");
    PQclear (res);
  }
}

/* The page's connection to the practice drops mid-call: it comes back
 * with its rejoin token by itself, without waiting to be admitted again,
 * and frames flow both ways again (the clinician's from the guest's new
 * connection). */
static void
test_browser_rejoins (void)
{
  /* A clinician of its own (the others' sessions would overlap). */
  g_autoptr(JsonNode) user = test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email",
                                         "third@a.example", "--name", "Thea Third", "--role", "clinician", NULL);
  g_autofree char *token = test_login (session, server, "third@a.example", PASSWORD);
  g_autofree char *own_client = g_uuid_string_random ();
  g_autofree char *pushed = test_push_one (session, server, token, "client", own_client, 0,
                                           "{\"legal_given\":\"Third\",\"legal_family\":\"Client\",\"status\":\"active\"}",
                                           NULL);
  g_autofree char *session_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *sql = NULL;
  PGresult *res;

  g_assert_cmpstr (pushed, ==, "applied");
  session_id = video_host_new_session (session, server, token, test_json_string (user, "staff_id"), own_client,
                                       2 * 60, 60 * 60);
  path = video_host_invite (session, server, token, session_id);
  line = browser_joins (server, token, session_id, path, "en-US", TRUE);
  sql = g_strdup_printf ("SELECT action, count(*) FROM audit WHERE record_id = '%s'"
                                          " AND action IN ('video-admit', 'video-guest-join', 'video-guest-rejoin')"
                                          " GROUP BY action ORDER BY action", session_id);
  res = test_pg_exec (pg, sql);

  g_assert_cmpint (PQntuples (res), ==, 3);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "video-admit");
  g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "1");
  g_assert_cmpstr (PQgetvalue (res, 1, 0), ==, "video-guest-join");
  g_assert_cmpstr (PQgetvalue (res, 1, 1), ==, "1");
  g_assert_cmpstr (PQgetvalue (res, 2, 0), ==, "video-guest-rejoin");
  g_assert_cmpstr (PQgetvalue (res, 2, 1), ==, "1");
  PQclear (res);
}

/* The practice sends every call through its relay (turn-relay-only): the
 * browser and Tend both use only relayed candidates, through a real coturn
 * on loopback. */
static void
test_browser_through_turn (void)
{
  TestTurn *turn = test_turn_start ("turn-shared-secret-for-browser-tests");
  g_autofree char *config = test_turn_write_config (turn, 3600, "turn-relay-only=true\n");
  TestServer *relayed = test_server_start (pg, "--config", config, NULL);
  /* The colleague hosts this one (the host's own session would overlap). */
  g_autofree char *token = test_login (session, relayed, "colleague@a.example", PASSWORD);
  g_autofree char *other_client = g_uuid_string_random ();
  g_autofree char *pushed = test_push_one (session, relayed, token, "client", other_client, 0,
                                           "{\"legal_given\":\"Other\",\"legal_family\":\"Person\",\"status\":\"active\"}",
                                           NULL);
  g_autofree char *session_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *route = NULL;
  g_autofree char *log = NULL;

  g_assert_cmpstr (pushed, ==, "applied");
  session_id = video_host_new_session (session, relayed, token, colleague_staff, other_client, 0, 60 * 60);
  path = video_host_invite (session, relayed, token, session_id);
  /* This client's browser speaks Spanish: the page does too. */
  line = browser_joins (relayed, token, session_id, path, "es-ES", FALSE);
  route = browser_route (line);

  g_assert_cmpstr (route, ==, "relay");
  /* coturn allocated relays for both sides (each participant's own
   * credentials: the clinician's staff id and "guest") and carried the media. */
  g_assert_true (g_file_get_contents (turn->log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "ALLOCATE processed, success"));
  g_assert_nonnull (strstr (log, "CREATE_PERMISSION processed, success"));
  g_assert_nonnull (strstr (log, ":guest"));
  g_assert_nonnull (strstr (log, colleague_staff));

  test_server_stop (relayed);
  test_turn_stop (turn);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(JsonNode) host_user = NULL;
  g_autoptr(JsonNode) colleague_user = NULL;
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
  g_test_add_func ("/browser/joins-through-turn", test_browser_through_turn);
  g_test_add_func ("/browser/rejoins-after-drop", test_browser_rejoins);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone",
                         "America/Chicago", "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  host_user = test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                          "--email", "host@a.example", "--name", "Hana Host", "--role", "clinician", NULL);
  colleague_user = test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                               "--email", "colleague@a.example", "--name", "Cole League", "--role", "clinician", NULL);
  colleague_staff = g_strdup (test_json_string (colleague_user, "staff_id"));
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
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
