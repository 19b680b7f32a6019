/* test-server-lifecycle.c: starting, stopping, TLS, connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "server-test-util.h"

static TestPg *pg;

static long
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return -1;
  return strtol (line + 6, NULL, 10);
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
on_read_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GBytes **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* SIGTERM while a request is in flight: it is answered, new connections
 * are refused, and the server exits 0. */
static void
test_graceful_shutdown (void)
{
  TestServer *server = test_server_start (pg, "--debug-delay-ms", "1500", NULL);
  g_autoptr(SoupSession) session = test_session_new ();
  g_autoptr(SoupSession) late = test_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/healthz", server->base);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(SoupMessage) late_msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) late_body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read_done_cb, &body);
  /* Wait until the server holds it (however slow the machine is today). */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (gboolean held = FALSE; !held && g_get_monotonic_time () < deadline;)
    {
      g_autoptr(TestResponse) m = NULL;

      g_main_context_iteration (NULL, FALSE);
      m = test_request (late, server, "GET", "/metrics", NULL, NULL);
      held = strstr (m->body, "\ntend_http_requests_in_flight 1\n") != NULL;
    }
  g_assert_null (body);
  /* The probe's keep-alive connection would otherwise be answered 503 below. */
  g_clear_object (&late);
  late = test_session_new ();
  g_subprocess_send_signal (server->proc, SIGTERM);
  g_usleep (100 * 1000);

  /* The listening socket is closed. */
  late_body = soup_session_send_and_read (late, late_msg, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "\"ok\""));
  /* Exits 0 on its own. */
  test_server_stop (server);
}

/* libsoup 3.2 keeps idle keep-alive connections that the client closed in
 * CLOSE-WAIT for ever; the server must give their descriptors back. */
static void
test_idle_keepalive_fds (void)
{
  TestServer *server = test_server_start (pg, "--pool-size", "1", NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupSession) session = test_session_new ();
  g_autoptr(TestResponse) warm = test_request (session, server, "GET", "/healthz", NULL, NULL);
  GPid pid = test_server_get_pid (server);
  const guint n = 60;
  guint baseline, open, after = 0;

  g_assert_cmpuint (warm->status, ==, 200);
  g_clear_object (&session);
  g_usleep (100 * 1000);
  baseline = count_fds (pid);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocketConnection *conn = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
      const char request[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
      GString *response = g_string_new (NULL);
      char buffer[1024];

      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request, strlen (request),
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      /* Read the whole answer, then leave the connection idle. */
      while (strstr (response->str, "\"database\":\"ok\"}") == NULL)
        {
          gssize got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer,
                                            sizeof buffer - 1, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (got, >, 0);
          g_string_append_len (response, buffer, got);
        }
      g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 200"));
      g_string_free (response, TRUE);
      g_ptr_array_add (conns, conn);
    }
  open = count_fds (pid);
  g_assert_cmpuint (open, >=, baseline + n);

  /* The clients go away while their connections are idle. */
  g_ptr_array_set_size (conns, 0);
  for (int i = 0; i < 300; i++)
    {
      after = count_fds (pid);
      if (after <= baseline)
        break;
      g_usleep (10 * 1000);
    }
  g_test_message ("descriptors: %u before, %u with %u idle connections, %u after they closed",
                  baseline, open, n, after);
  g_assert_cmpuint (after, <=, baseline);

  /* And the connections themselves are gone, not only their descriptors:
   * the gauge counts GSockets until they are finalised (libsoup 3.2.3's
   * listener leaked one per connection). */
  {
    g_autoptr(SoupSession) probe = test_session_new ();
    gboolean back = FALSE;

    for (int i = 0; i < 100 && !back; i++)
      {
        g_autoptr(TestResponse) m = test_request (probe, server, "GET", "/metrics", NULL, NULL);

        /* 1: the probe's own connection. */
        back = strstr (m->body, "\ntend_http_connections 1\n") != NULL;
        if (!back)
          g_usleep (20 * 1000);
      }
    g_assert_true (back);
  }
  test_server_stop (server);
}

/* A chunked body has no Content-Length to refuse it by: it is counted as
 * it arrives, dropped past the limit, and answered 413. */
static void
test_chunked_body_limit (void)
{
  TestServer *server = test_server_start (pg, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) conn = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  const char head[] = "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                      "Content-Type: application/json\r\n\r\n";
  g_autofree char *chunk = g_malloc (65536);
  g_autofree char *chunk_head = g_strdup_printf ("%x\r\n", 65536);
  GString *response = g_string_new (NULL);
  long rss_before, rss_after;
  char buffer[4096];

  g_assert_no_error (error);
  memset (chunk, ' ', 65536);
  rss_before = rss_kib (test_server_get_pid (server));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  /* 32 MiB, four times the limit. */
  for (int i = 0; i < 512; i++)
    {
      g_output_stream_write_all (out, chunk_head, strlen (chunk_head), NULL, NULL, &error);
      g_output_stream_write_all (out, chunk, 65536, NULL, NULL, &error);
      g_output_stream_write_all (out, "\r\n", 2, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_write_all (out, "0\r\n\r\n", 5, NULL, NULL, &error);
  g_assert_no_error (error);
  while (strstr (response->str, "}}") == NULL)
    {
      gssize got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer,
                                        sizeof buffer - 1, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (got, >, 0);
      g_string_append_len (response, buffer, got);
    }
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response->str, "body_too_large"));
  /* The 32 MiB were never held. */
  rss_after = rss_kib (test_server_get_pid (server));
  g_test_message ("server resident set: %ld KiB before, %ld KiB after a 32 MiB chunked body", rss_before, rss_after);
#ifndef __SANITIZE_ADDRESS__
  /* (AddressSanitizer keeps freed memory in quarantine.) */
  g_assert_cmpint (rss_after - rss_before, <, 12 * 1024);
#endif
  g_string_free (response, TRUE);
  test_server_stop (server);
}

typedef struct
{
  guint done;
  guint ok;
  guint overloaded;
} Burst;

static void
on_burst_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Burst *burst = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  burst->done++;
  if (soup_message_get_status (msg) == 200)
    burst->ok++;
  else if (soup_message_get_status (msg) == 503 &&
           g_strcmp0 (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"), "1") == 0 &&
           strstr (g_bytes_get_data (body, NULL), "\"overloaded\"") != NULL)
    burst->overloaded++;
}

/* One worker, slow requests, a queue of two: the rest are shed with 503. */
static void
test_overload (void)
{
  TestServer *server = test_server_start (pg, "--pool-size", "1", "--max-queued", "2", "--debug-delay-ms", "400", NULL);
  g_autoptr(SoupSession) session = test_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/healthz", server->base);
  Burst burst = { 0 };

  for (int i = 0; i < 8; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_burst_done_cb, &burst);
    }
  while (burst.done < 8)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (burst.ok + burst.overloaded, ==, 8);
  /* At least the queue's two (the worker may not have taken the first yet
   * when the third arrives); at most those and the one being worked on
   * plus whatever arrived after a slot freed. */
  g_assert_cmpuint (burst.ok, >=, 2);
  g_assert_cmpuint (burst.overloaded, >=, 1);
  test_server_stop (server);
}

static void
test_plain_http_needs_loopback (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           g_getenv ("TEND_SERVER_BIN"), "--listen", "0.0.0.0:0", "--database", pg->conninfo, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, "not a loopback address"));
}

static gboolean
on_accept_certificate_cb (SoupMessage          *msg,
                          GTlsCertificate      *cert,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  return TRUE;
}

/* With a certificate, any address; the API speaks HTTPS only. */
static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-tls-XXXXXX", &error);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(SoupSession) session = test_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  TestServer *server;

  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                              "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1", "-keyout", key, "-out", cert, NULL);
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
  g_assert_no_error (error);

  /* A key every local user can read is refused, saying why. */
  g_assert_cmpint (g_chmod (key, 0644), ==, 0);
  {
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *err = NULL;

    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             g_getenv ("TEND_SERVER_BIN"), "--listen", "0.0.0.0:0", "--database", pg->conninfo,
                             "--tls-cert", cert, "--tls-key", key, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
    g_assert_nonnull (strstr (err, "can be read by every user"));
    g_assert_nonnull (strstr (err, "mode 644"));
  }
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);

  server = test_server_start (pg, "--listen", "0.0.0.0:0", "--tls-cert", cert, "--tls-key", key, NULL);
  url = g_strdup_printf ("https://127.0.0.1:%u/healthz", server->port);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));

  /* Plain HTTP to the TLS port gets no API answer. */
  {
    g_autofree char *plain_url = g_strdup_printf ("http://127.0.0.1:%u/healthz", server->port);
    g_autoptr(SoupMessage) plain = soup_message_new ("GET", plain_url);
    g_autoptr(GBytes) plain_body = NULL;
    g_autoptr(GError) plain_error = NULL;

    plain_body = soup_session_send_and_read (session, plain, NULL, &plain_error);
    g_assert_true (plain_error != NULL || soup_message_get_status (plain) != 200);
  }
  test_server_stop (server);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

/* Everything from a key file; a bad value is refused before starting. */
static void
test_config_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-conf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "tend-server.conf", NULL);
  g_autofree char *port_file = g_build_filename (dir, "port", NULL);
  g_autofree char *text = g_strdup_printf ("[server]\nlisten=127.0.0.1:0\ndatabase=%s\nport-file=%s\npool-size=2\nsignin-threads=1\n",
                                           pg->conninfo, port_file);
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupSession) session = test_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("TEND_SERVER_BIN"), "--config", path, NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 500 && (port_text == NULL || strchr (port_text, '\n') == NULL); i++)
    {
      g_clear_pointer (&port_text, g_free);
      if (!g_file_get_contents (port_file, &port_text, NULL, NULL))
        g_usleep (10 * 1000);
    }
  g_assert_nonnull (port_text);
  url = g_strdup_printf ("http://127.0.0.1:%u/metrics", (guint) g_ascii_strtoull (port_text, NULL, 10));
  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  /* A connection for each worker and each sign-in thread. */
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), "tend_db_pool_size 3\n"));
  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));

  /* A value out of range names the file and the key. */
  g_assert_true (g_file_set_contents (path, "[server]\npool-size=0\n", -1, &error));
  {
    g_autoptr(GSubprocess) bad = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                   &error, g_getenv ("TEND_SERVER_BIN"), "--config", path, NULL);
    g_autofree char *err = NULL;

    g_subprocess_communicate_utf8 (bad, NULL, NULL, NULL, &err, &error);
    g_assert_cmpint (g_subprocess_get_exit_status (bad), ==, 2);
    g_assert_nonnull (strstr (err, "pool-size"));
  }
  g_unlink (path);
  g_unlink (port_file);
  g_rmdir (dir);
}

/* The admin commands refuse bad input with a message and a status. */
static void
test_admin_errors (void)
{
  struct
  {
    const char *input;
    const char *args[12];
    int         status;
    const char *says;
  } cases[] = {
    { "short\n", { "create-practice", "--name", "X", "--time-zone", "America/Chicago", "--owner-email", "a@b.example",
                   "--owner-name", "A B", NULL }, 2, "password" },
    { "long enough password\n", { "create-practice", "--name", "X", "--time-zone", "Mars/Olympus", "--owner-email",
                                  "a@b.example", "--owner-name", "A B", NULL }, 2, "Time zone" },
    { "long enough password\n", { "add-user", "--practice", "6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01", "--email", "c@d.example",
                                  "--name", "C D", "--role", "admin", NULL }, 2, "--role" },
    { "long enough password\n", { "add-user", "--practice", "6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01", "--email", "c@d.example",
                                  "--name", "C D", "--role", "biller", NULL }, 1, "No practice" },
    { "", { "enable-totp", "--email", "nobody@nowhere.example", NULL }, 1, "No account" },
    { "", { "frobnicate", NULL }, 2, "unknown command" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;

      g_ptr_array_add (argv, (gpointer) g_getenv ("TEND_SERVER_BIN"));
      g_ptr_array_add (argv, "admin");
      for (guint j = 0; cases[i].args[j] != NULL; j++)
        g_ptr_array_add (argv, (gpointer) cases[i].args[j]);
      g_ptr_array_add (argv, "--database");
      g_ptr_array_add (argv, pg->conninfo);
      g_ptr_array_add (argv, NULL);
      proc = g_subprocess_newv ((const char * const *) argv->pdata,
                                G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (proc, cases[i].input, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_exit_status (proc) != cases[i].status || strstr (err, cases[i].says) == NULL)
        g_error ("case %u: status %d, %s", i, g_subprocess_get_exit_status (proc), err);
      /* Passwords never appear in messages. */
      g_assert_null (strstr (err, "long enough password"));
    }
}

static void
test_migrations (void)
{
  g_autoptr(JsonNode) first = test_admin (pg, NULL, "migrate", NULL);
  g_autoptr(JsonNode) again = test_admin (pg, NULL, "migrate", NULL);
  PGresult *res = test_pg_exec (pg, "SELECT count (*), max (version) FROM schema_version");

  /* Each migration once, in order, whatever the number of runs. */
  g_assert_cmpint (json_node_get_int (test_json_get (first, "schema_version")), ==, 6);
  g_assert_cmpint (json_node_get_int (test_json_get (again, "schema_version")), ==, 6);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "6");
  g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "6");
  PQclear (res);

  /* A database from a newer tend-server is refused, untouched. */
  PQclear (test_pg_exec (pg, "CREATE DATABASE newer"));
  {
    g_autofree char *conninfo = g_strdup_printf ("host=%s user=postgres dbname=newer", pg->dir);
    g_autofree char *err = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;
    PGconn *conn = PQconnectdb (conninfo);

    PQclear (PQexec (conn, "CREATE TABLE schema_version (version integer NOT NULL); INSERT INTO schema_version VALUES (99)"));
    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             g_getenv ("TEND_SERVER_BIN"), "--listen", "127.0.0.1:0", "--database", conninfo, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error);
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
    g_assert_nonnull (strstr (err, "schema version 99"));
    res = PQexec (conn, "SELECT to_regclass ('practice') IS NULL");
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "t");
    PQclear (res);
    PQfinish (conn);
  }
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/lifecycle/graceful-shutdown", test_graceful_shutdown);
  g_test_add_func ("/server/lifecycle/idle-keepalive-fds", test_idle_keepalive_fds);
  g_test_add_func ("/server/lifecycle/chunked-body-limit", test_chunked_body_limit);
  g_test_add_func ("/server/lifecycle/overload", test_overload);
  g_test_add_func ("/server/lifecycle/plain-http-needs-loopback", test_plain_http_needs_loopback);
  g_test_add_func ("/server/lifecycle/tls", test_tls);
  g_test_add_func ("/server/lifecycle/config-file", test_config_file);
  g_test_add_func ("/server/lifecycle/admin-errors", test_admin_errors);
  g_test_add_func ("/server/lifecycle/migrations", test_migrations);

  pg = test_pg_start ();
  rc = g_test_run ();
  test_pg_stop (pg);
  return rc;
}
