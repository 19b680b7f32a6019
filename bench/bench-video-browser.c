/* bench-video-browser.c: a client's browser joins a video session, page load to first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL and a real tend-server on loopback; the clinician
 * is a TendCall (GStreamer's test sources, the DTLS certificate warmed as
 * the app does at start-up) in the session's room through the live socket,
 * as in tests/browser, admitting a waiting client at once.  Debian's
 * headless Chromium (bench-video-browser.mjs, with playwright-core and a
 * fake camera) opens a fresh join link --runs times, each in a fresh
 * browser context (an empty cache), and reports when the page showed the
 * clinician's first picture, in ms from the start of the page's load
 * (requestVideoFrameCallback on the page's own clock), with the steps on
 * the way.  Also: from the link handed to the browser until the
 * clinician's call decoded the client's first frame.
 *
 *   bench-video-browser [--runs 15]
 *
 * Needs chromium, node and tests/browser's npm packages
 * (build-aux/install-node-deps.sh).
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include <string.h>

#include "bench-util.h"
#include "video-host.h"

#define PASSWORD "correct horse battery"

static const char * const steps[] = { "first-frame", "script", "devices", "socket", "waiting", "admitted", "offer",
                                      "connected" };

static gboolean
guest_decodes (VideoHost *host)
{
  return video_host_guest_frames (host) > 0;
}

static gboolean
call_ended (VideoHost *host)
{
  return tend_call_get_state (host->call) == TEND_CALL_STATE_ENDED;
}

typedef struct
{
  GDataInputStream *out;
  char             *line;
  gboolean          eof;
} Reader;

static void
on_line_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Reader *reader = data;

  reader->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  reader->eof = reader->line == NULL;
}

static Reader *current;

static gboolean
line_read (VideoHost *host)
{
  return current->line != NULL || current->eof;
}

int
main (int    argc,
      char **argv)
{
  int runs = 15;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Page loads to time", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new (NULL);
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(JsonNode) host_user = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *status = NULL;
  g_autofree char *token = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *script = g_build_filename (BENCH_SOURCE_DIR, "bench-video-browser.mjs", NULL);
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(SoupSession) session = NULL;
  GArray *per_step[G_N_ELEMENTS (steps)];
  g_autoptr(GArray) app_side = g_array_new (FALSE, FALSE, sizeof (double));
  GOutputStream *in;
  Reader reader = { 0 };
  TestPg *pg;
  TestServer *server;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || !tend_media_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!g_file_test ("/usr/bin/chromium", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("bench-video-browser: Debian's chromium is not installed\n");
      return 2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    per_step[i] = g_array_new (FALSE, FALSE, sizeof (double));
  tend_media_warm_up ();
  g_setenv ("TEND_SERVER_BIN", TEND_SERVER_BIN, FALSE);
  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Bench Counseling", "--time-zone", "America/Chicago",
                         "--owner-email", "owner@bench.example", "--owner-name", "Olive Owner", NULL);
  host_user = test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (practice, "practice_id"),
                          "--email", "host@bench.example", "--name", "Hana Host", "--role", "clinician", NULL);
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  token = test_login (session, server, "host@bench.example", PASSWORD);
  status = test_push_one (session, server, token, "client", client_id, 0,
                          "{\"legal_given\":\"Bench\",\"legal_family\":\"Client\",\"status\":\"active\"}", NULL);
  g_assert_cmpstr (status, ==, "applied");
  /* One appointment, now; a new single-use link for each load. */
  session_id = video_host_new_session (session, server, token, test_json_string (host_user, "staff_id"), client_id,
                                       0, 2 * 3600);
  tend_media_warm_up_wait ();

  node = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           "node", script, NULL);
  if (node == NULL)
    g_error ("%s", error->message);
  in = g_subprocess_get_stdin_pipe (node);
  reader.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node));
  current = &reader;

  for (int i = 0; i < runs; i++)
    {
      g_autofree char *path = video_host_invite (session, server, token, session_id);
      g_autofree char *line = g_strdup_printf ("%s%s\n", server->base, path);
      g_autoptr(VideoHost) host = video_host_start (session, server, token, session_id);
      g_auto(GStrv) words = NULL;
      gint64 sent;

      /* The clinician is in the room, the camera running, as when they wait. */
      test_spin (300);
      g_clear_pointer (&reader.line, g_free);
      g_data_input_stream_read_line_async (reader.out, G_PRIORITY_DEFAULT, NULL, on_line_cb, &reader);
      sent = g_get_monotonic_time ();
      if (!g_output_stream_write_all (in, line, strlen (line), NULL, NULL, &error))
        g_error ("%s", error->message);
      video_host_wait (guest_decodes, host, 30000);
      if (!guest_decodes (host))
        g_error ("load %d: the clinician decoded no frame within 30 s", i);
      {
        double ms = (g_get_monotonic_time () - sent) / 1000.0;

        g_array_append_val (app_side, ms);
      }
      video_host_wait (line_read, host, 30000);
      if (reader.line == NULL || !g_str_has_prefix (reader.line, "load "))
        g_error ("load %d: the browser saw no frame", i);
      g_printerr ("%s\n", reader.line);
      words = g_strsplit (reader.line + 5, " ", -1);
      for (guint w = 0; words[w] != NULL && words[w + 1] != NULL; w += 2)
        for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
          if (strcmp (words[w], steps[k]) == 0)
            {
              double ms = g_ascii_strtod (words[w + 1], NULL);

              if (ms >= 0)
                g_array_append_val (per_step[k], ms);
            }
      /* The browser leaves; the clinician's call ends with it. */
      if (!g_output_stream_write_all (in, "leave\n", 6, NULL, NULL, &error))
        g_error ("%s", error->message);
      video_host_wait (call_ended, host, 10000);
    }
  g_output_stream_write_all (in, "\n", 1, NULL, NULL, NULL);
  g_output_stream_close (in, NULL, NULL);
  g_subprocess_wait (node, NULL, NULL);

  printf ("video_browser_loads: %d\n", runs);
  bench_print_ms ("video_browser_first_frame_median_ms", bench_percentile (per_step[0], 50));
  bench_print_ms ("video_browser_first_frame_p95_ms", bench_percentile (per_step[0], 95));
  for (guint k = 1; k < G_N_ELEMENTS (steps); k++)
    {
      g_autofree char *key = g_strdup_printf ("video_browser_step_%s_median_ms", steps[k]);

      g_strdelimit (key, "-", '_');
      bench_print_ms (key, bench_percentile (per_step[k], 50));
    }
  bench_print_ms ("video_browser_app_first_frame_median_ms", bench_percentile (app_side, 50));
  bench_print_ms ("video_browser_app_first_frame_p95_ms", bench_percentile (app_side, 95));
  for (guint k = 0; k < G_N_ELEMENTS (steps); k++)
    g_array_unref (per_step[k]);
  g_clear_object (&reader.out);
  g_free (reader.line);
  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  return 0;
}
