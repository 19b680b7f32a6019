/* server-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PostgreSQL refuses to run as root: as root, initdb and postgres run as
 * the postgres user (the child drops to it before exec); as anyone else,
 * directly.  The cluster listens only on a unix socket in its temporary
 * folder, with fsync off, and dies with the test program.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <glib/gstdio.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

#include "server-test-util.h"

static char *
find_bindir (void)
{
  const char *env = g_getenv ("TEND_PG_BINDIR");

  if (env != NULL)
    return g_strdup (env);
  for (int v = 17; v >= 13; v--)
    {
      g_autofree char *dir = g_strdup_printf ("/usr/lib/postgresql/%d/bin", v);
      g_autofree char *initdb = g_build_filename (dir, "initdb", NULL);

      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&dir);
    }
  return NULL;
}

/* As root, the child becomes the postgres user (initdb and postgres refuse
 * root); and it dies with the test, even when the test crashes. */
static void
pg_child_setup (gpointer data)
{
  struct passwd *pw = data;

  if (pw != NULL && (setgid (pw->pw_gid) != 0 || setuid (pw->pw_uid) != 0))
    _exit (127);
  /* After setuid, which clears it. */
  prctl (PR_SET_PDEATHSIG, SIGQUIT);
}

static GSubprocess *
spawn_pg (TestPg      *pg,
          GSubprocessFlags flags,
          const char  *tool,
          va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  const char *arg;

  g_ptr_array_add (argv, g_build_filename (pg->bindir, tool, NULL));
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_child_setup (launcher, pg_child_setup, pg->as_root ? getpwnam ("postgres") : NULL, NULL);
  /* The postgres user cannot read root's current folder. */
  g_subprocess_launcher_set_cwd (launcher, pg->dir);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

static void
run_pg_tool (TestPg     *pg,
             const char *tool,
             ...)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  va_list args;

  va_start (args, tool);
  proc = spawn_pg (pg, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, tool, args);
  va_end (args);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err_text, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0)
    g_error ("%s failed: %s", tool, err_text);
}

static GSubprocess *
start_pg_tool (TestPg     *pg,
               const char *tool,
               ...)
{
  GSubprocess *proc;
  va_list args;

  va_start (args, tool);
  proc = spawn_pg (pg, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, tool, args);
  va_end (args);
  return proc;
}

TestPg *
test_pg_start (void)
{
  TestPg *pg = g_new0 (TestPg, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  PGPing ping = PQPING_NO_RESPONSE;

  pg->bindir = find_bindir ();
  if (pg->bindir == NULL)
    g_error ("PostgreSQL's initdb was not found (install postgresql, or set TEND_PG_BINDIR)");
  pg->as_root = geteuid () == 0;
  pg->dir = g_dir_make_tmp ("tend-pg-XXXXXX", &error);
  g_assert_no_error (error);
  if (pg->as_root)
    {
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);
      g_assert_cmpint (chown (pg->dir, pw->pw_uid, pw->pw_gid), ==, 0);
    }
  data = g_build_filename (pg->dir, "data", NULL);
  run_pg_tool (pg, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
               "--locale=C.UTF-8", "--no-sync", NULL);
  /* postgres itself, not pg_ctl (which detaches it): it stays our child. */
  /* TEND_TEST_PG_DURABLE=1 (benchmarks): commits reach the disk. */
  pg->postmaster = start_pg_tool (pg, "postgres", "-D", data, "-k", pg->dir, "-c", "listen_addresses=",
                                  "-c", g_getenv ("TEND_TEST_PG_DURABLE") != NULL ? "fsync=on" : "fsync=off",
                                  "-c", "max_connections=200", NULL);
  pg->conninfo = g_strdup_printf ("host=%s user=postgres dbname=postgres", pg->dir);
  for (int i = 0; i < 1000 && ping != PQPING_OK; i++)
    {
      ping = PQping (pg->conninfo);
      if (ping != PQPING_OK)
        g_usleep (10 * 1000);
    }
  g_assert_cmpint (ping, ==, PQPING_OK);
  return pg;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
test_pg_stop (TestPg *pg)
{
  g_autoptr(GError) error = NULL;

  /* SIGQUIT: immediate shutdown; the data is thrown away anyway. */
  g_subprocess_send_signal (pg->postmaster, SIGQUIT);
  g_subprocess_wait (pg->postmaster, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (pg->postmaster);
  remove_tree (pg->dir);
  g_free (pg->dir);
  g_free (pg->bindir);
  g_free (pg->conninfo);
  g_free (pg);
}

/* Straight to the database: for what no endpoint does (yet). */
PGresult *
test_pg_exec (TestPg     *pg,
              const char *sql)
{
  PGconn *conn = PQconnectdb (pg->conninfo);
  PGresult *res;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQfinish (conn);
  return res;
}

static const char *
server_binary (void)
{
  const char *bin = g_getenv ("TEND_SERVER_BIN");

  g_assert_nonnull (bin);
  return bin;
}

/* A crashed test must not leave servers behind. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Extra arguments: flags for tend-server, NULL-terminated. */
TestServer *
test_server_start (TestPg *pg,
                   ...)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-server-XXXXXX", &error);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *arg;
  va_list args;

  g_assert_no_error (error);
  server->port_file = g_build_filename (dir, "port", NULL);
  server->log_file = g_build_filename (dir, "log", NULL);
  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, "127.0.0.1:0");
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, pg->conninfo);
  g_ptr_array_add (argv, "--port-file");
  g_ptr_array_add (argv, server->port_file);
  va_start (args, pg);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* The server's stdout would mix with the TAP output. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Kept, so tests can check what the server logs. */
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_file);
  server->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 1000 && server->port == 0; i++)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (server->port_file, &text, NULL, NULL) && strchr (text, '\n') != NULL)
        server->port = (guint16) g_ascii_strtoull (text, NULL, 10);
      else
        g_usleep (10 * 1000);
    }
  g_assert_cmpuint (server->port, >, 0);
  server->base = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  return server;
}

char *
test_server_get_log (TestServer *server)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (server->log_file, &text, NULL, NULL));
  return text;
}

GPid
test_server_get_pid (TestServer *server)
{
  const char *id = g_subprocess_get_identifier (server->proc);

  return id != NULL ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/* SIGTERM, and the server must exit 0 (graceful shutdown). */
void
test_server_stop (TestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (server->port_file);

  g_subprocess_send_signal (server->proc, SIGTERM);
  g_subprocess_wait (server->proc, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (server->proc) || g_subprocess_get_exit_status (server->proc) != 0)
    {
      g_autofree char *log = test_server_get_log (server);

      g_error ("tend-server did not exit 0; its log:\n%s", log);
    }
  g_unlink (server->port_file);
  g_unlink (server->log_file);
  g_rmdir (dir);
  g_object_unref (server->proc);
  g_free (server->base);
  g_free (server->port_file);
  g_free (server->log_file);
  g_free (server);
}

/* `tend-server admin ARGS... --database ...` with @password on stdin. */
JsonNode *
test_admin (TestPg     *pg,
            const char *password,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *input = g_strdup_printf ("%s\n", password != NULL ? password : "");
  const char *arg;
  JsonNode *node;
  va_list args;

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, "admin");
  va_start (args, password);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, pg->conninfo);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("tend-server admin %s failed: %s", (char *) argv->pdata[2], err);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return node;
}

SoupSession *
test_session_new (void)
{
  return soup_session_new_with_options ("max-conns-per-host", 16, "timeout", 30, NULL);
}

void
test_response_free (TestResponse *response)
{
  g_free (response->body);
  g_free (response->retry_after);
  g_clear_pointer (&response->raw, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

/* Synchronous; usable from any thread with a session of its own. */
TestResponse *
test_request (SoupSession *session,
              TestServer  *server,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *body)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return test_request_bytes (session, server, method, path, token, bytes);
}

void
test_session_set_header (SoupSession *session,
                         const char  *name,
                         const char  *value)
{
  GHashTable *headers = g_object_get_data (G_OBJECT (session), "test-headers");

  if (headers == NULL)
    {
      headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (session), "test-headers", headers, (GDestroyNotify) g_hash_table_unref);
    }
  if (value != NULL)
    g_hash_table_replace (headers, g_strdup (name), g_strdup (value));
  else
    g_hash_table_remove (headers, name);
}

TestResponse *
test_request_bytes (SoupSession *session,
                    TestServer  *server,
                    const char  *method,
                    const char  *path,
                    const char  *token,
                    GBytes      *body)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  TestResponse *response = g_new0 (TestResponse, 1);
  const char *retry;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (g_object_get_data (G_OBJECT (session), "test-headers") != NULL)
    {
      GHashTableIter iter;
      gpointer name, value;

      g_hash_table_iter_init (&iter, g_object_get_data (G_OBJECT (session), "test-headers"));
      while (g_hash_table_iter_next (&iter, &name, &value))
        soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  response->raw = g_bytes_ref (bytes);
  retry = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  response->retry_after = g_strdup (retry);
  if (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL) ?: "",
                        "application/json"))
    {
      response->json = json_from_string (response->body, &error);
      g_assert_no_error (error);
    }
  return response;
}

/* "a.b.0.c": members and array indices. */
JsonNode *
test_json_get (JsonNode   *node,
               const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          guint64 index = g_ascii_strtoull (parts[i], NULL, 10);
          JsonArray *array = json_node_get_array (node);

          node = index < json_array_get_length (array) ? json_array_get_element (array, (guint) index) : NULL;
        }
      else
        node = NULL;
    }
  return node;
}

const char *
test_json_string (JsonNode   *node,
                  const char *path)
{
  JsonNode *m = test_json_get (node, path);

  return m != NULL && JSON_NODE_HOLDS_VALUE (m) ? json_node_get_string (m) : NULL;
}

gint64
test_json_int (JsonNode   *node,
               const char *path)
{
  JsonNode *m = test_json_get (node, path);

  g_assert_nonnull (m);
  return json_node_get_int (m);
}

char *
test_login (SoupSession *session,
            TestServer  *server,
            const char  *email,
            const char  *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, body);

  if (r->status != 200)
    g_error ("sign-in as %s: %u %s", email, r->status, r->body);
  return g_strdup (test_json_string (r->json, "token"));
}

/* Helper processes */

/**
 * test_helper_start:
 * @script: a file name in tests/server ("smtp-sink.py")
 *
 * Runs @script with Debian's /usr/bin/python3 (which has
 * python3-aiosmtpd, unlike a python3 earlier on PATH) as
 * `script FOLDER PORT-FILE ARGS...`, and waits for the port.
 */
TestHelper *
test_helper_start (const char *script,
                   ...)
{
  TestHelper *h = g_new0 (TestHelper, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *port_file = NULL;
  const char *arg;
  va_list args;

  h->folder = g_dir_make_tmp ("tend-helper-XXXXXX", &error);
  g_assert_no_error (error);
  port_file = g_build_filename (h->folder, "port", NULL);
  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, g_build_filename (SERVER_TEST_SRCDIR, script, NULL));
  g_ptr_array_add (argv, g_strdup (h->folder));
  g_ptr_array_add (argv, g_strdup (port_file));
  va_start (args, script);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  h->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 1000 && h->port == 0; i++)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (port_file, &text, NULL, NULL))
        h->port = (guint16) g_ascii_strtoull (text, NULL, 10);
      else
        g_usleep (10 * 1000);
    }
  g_assert_cmpuint (h->port, >, 0);
  return h;
}

/* Removes @folder and the files in it (not deeper). */
void
test_remove_folder (const char *folder)
{
  g_autoptr(GDir) d = g_dir_open (folder, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_unlink (path);
    }
  g_rmdir (folder);
}

void
test_helper_stop (TestHelper *h)
{
  g_subprocess_force_exit (h->proc);
  g_subprocess_wait (h->proc, NULL, NULL);
  g_object_unref (h->proc);
  test_remove_folder (h->folder);
  g_free (h->folder);
  g_free (h);
}

/* The contents of the files the helper kept whose names start with
 * @prefix ("msg-", "sms-"), in the order it wrote them. */
GPtrArray *
test_helper_files (TestHelper *h,
                   const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (h->folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *contents = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, ".tmp"))
      g_ptr_array_add (names, g_build_filename (h->folder, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      char *text = NULL;

      g_assert_true (g_file_get_contents (names->pdata[i], &text, NULL, NULL));
      g_ptr_array_add (contents, text);
    }
  return contents;
}

/* Waits until there are @n files (or @timeout_ms passed); returns how many. */
guint
test_helper_wait_files (TestHelper *h,
                        const char *prefix,
                        guint       n,
                        guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      g_autoptr(GDir) d = g_dir_open (h->folder, 0, NULL);
      const char *name;
      guint have = 0;

      while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, ".tmp"))
          have++;
      if (have >= n || g_get_monotonic_time () > deadline)
        return have;
      g_usleep (50 * 1000);
    }
}

char *
test_push_one (SoupSession *session,
               TestServer  *server,
               const char  *token,
               const char  *type,
               const char  *id,
               gint64       base_version,
               const char  *body,
               char       **code)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op_id, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);

  if (r->status != 200)
    g_error ("push %s: %u %s", type, r->status, r->body);
  if (code != NULL)
    *code = g_strdup (test_json_string (r->json, "results.0.error.code"));
  return g_strdup (test_json_string (r->json, "results.0.status"));
}

/* One round of the main context, or a millisecond's sleep when nothing
 * was ready: waiting must not take the CPU from what is being waited for. */
static void
iterate (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

static void
on_live_message_cb (SoupWebsocketConnection *conn,
                    gint                     type,
                    GBytes                  *message,
                    TestLive                *live)
{
  g_ptr_array_add (live->messages, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_live_closed_cb (SoupWebsocketConnection *conn,
                   TestLive                *live)
{
  live->closed = TRUE;
}

static void
on_live_connected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  TestLive *live = data;

  live->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &live->error);
  if (live->conn != NULL)
    {
      g_signal_connect (live->conn, "message", G_CALLBACK (on_live_message_cb), live);
      g_signal_connect (live->conn, "closed", G_CALLBACK (on_live_closed_cb), live);
    }
  live->done = TRUE;
}

void
test_spin (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    iterate ();
}

TestLive *
test_live_connect (SoupSession *session,
                   TestServer  *server,
                   const char  *token)
{
  return test_ws_connect (session, server, "/v1/live", token);
}

/**
 * test_ws_connect:
 * @path: with its query, e.g. "/v1/video/guest?token=T"
 *
 * A WebSocket to @path; a refused handshake leaves its HTTP status in
 * ->status and no ->conn.
 */
TestLive *
test_ws_connect (SoupSession *session,
                 TestServer  *server,
                 const char  *path,
                 const char  *token)
{
  TestLive *live = g_new0 (TestLive, 1);
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u%s", server->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  live->messages = g_ptr_array_new_with_free_func (g_free);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_live_connected_cb, live);
  while (!live->done && g_get_monotonic_time () < deadline)
    iterate ();
  g_assert_true (live->done);
  live->status = soup_message_get_status (msg);
  return live;
}

void
test_live_send (TestLive   *live,
                const char *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  soup_websocket_connection_send_text (live->conn, text);
}

static JsonNode *
message_of_type (const char *text,
                 const char *type)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "type", NULL), type) == 0)
    return g_steal_pointer (&node);
  return NULL;
}

guint
test_live_count_type (TestLive   *live,
                      const char *type)
{
  guint n = 0;

  for (guint i = 0; i < live->messages->len; i++)
    {
      g_autoptr(JsonNode) node = message_of_type (live->messages->pdata[i], type);

      n += node != NULL;
    }
  return n;
}

/**
 * test_live_wait_type:
 *
 * Returns: (transfer full) (nullable): the first message of @type not taken
 *   before (it is taken: removed from the list), or %NULL after @timeout_ms
 */
JsonNode *
test_live_wait_type (TestLive   *live,
                     const char *type,
                     guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      for (guint i = 0; i < live->messages->len; i++)
        {
          JsonNode *node = message_of_type (live->messages->pdata[i], type);

          if (node != NULL)
            {
              g_ptr_array_remove_index (live->messages, i);
              return node;
            }
        }
      if (g_get_monotonic_time () >= deadline)
        return NULL;
      iterate ();
    }
}

void
test_live_free (TestLive *live)
{
  if (live == NULL)
    return;
  if (live->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (live->conn, live);
      if (soup_websocket_connection_get_state (live->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (live->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (live->conn);
    }
  g_clear_error (&live->error);
  g_ptr_array_unref (live->messages);
  g_free (live);
}

/* A loopback UDP and TCP port nobody holds now. */
static guint16
free_udp_tcp_port (void)
{
  for (int attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(GSocket) udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
      g_autoptr(GSocket) tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GSocketAddress) same = NULL;
      guint16 port;

      if (!g_socket_bind (udp, any, FALSE, NULL))
        continue;
      bound = g_socket_get_local_address (udp, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
      same = g_inet_socket_address_new (lo, port);
      if (g_socket_bind (tcp, same, FALSE, NULL))
        return port;
    }
  g_error ("no free port");
}

/**
 * test_turn_start:
 *
 * Starts coturn (Debian's turnserver) on 127.0.0.1 and returns once it
 * listens.
 */
TestTurn *
test_turn_start (const char *secret)
{
  TestTurn *turn = g_new0 (TestTurn, 1);
  g_autoptr(GError) error = NULL;
  guint16 port = free_udp_tcp_port ();
  guint16 relay_low = 50000 + (guint16) g_random_int_range (0, 7000);
  g_autofree char *port_arg = g_strdup_printf ("--listening-port=%u", port);
  g_autofree char *min_arg = g_strdup_printf ("--min-port=%u", relay_low);
  g_autofree char *max_arg = g_strdup_printf ("--max-port=%u", relay_low + 200);
  g_autofree char *secret_arg = g_strdup_printf ("--static-auth-secret=%s", secret);
  g_autofree char *log_arg = NULL;
  g_autofree char *pid_arg = NULL;
  g_autofree char *userdb = NULL;
  g_autofree char *secret_text = g_strconcat (secret, "\n", NULL);

  turn->folder = g_dir_make_tmp ("tend-turn-XXXXXX", &error);
  g_assert_no_error (error);
  turn->log = g_build_filename (turn->folder, "coturn.log", NULL);
  turn->secret_file = g_build_filename (turn->folder, "turn-secret", NULL);
  turn->stun_uri = g_strdup_printf ("stun:127.0.0.1:%u", port);
  turn->turn_uri = g_strdup_printf ("turn:127.0.0.1:%u?transport=udp", port);
  userdb = g_build_filename (turn->folder, "turndb", NULL);
  log_arg = g_strdup_printf ("--log-file=%s", turn->log);
  pid_arg = g_strdup_printf ("--pidfile=%s/coturn.pid", turn->folder);
  turn->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                 "turnserver", "-n", "--verbose", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                                 port_arg, min_arg, max_arg, "--use-auth-secret", secret_arg, "--realm=tend.test",
                                 "--no-tls", "--no-dtls", "--no-cli", "--allow-loopback-peers", "--simple-log",
                                 "--no-software-attribute", log_arg, pid_arg, "--userdb", userdb, NULL);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (turn->secret_file, secret_text, -1, NULL));
  g_assert_cmpint (g_chmod (turn->secret_file, 0600), ==, 0);

  /* Listening once it logs so. */
  for (int i = 0; i < 500; i++)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (turn->log, &log, NULL, NULL) && strstr (log, "Total General servers") != NULL)
        break;
      g_usleep (10000);
    }
  return turn;
}

/**
 * test_turn_write_config:
 * @extra: (nullable): more lines for the [server] group
 *
 * Writes a tend-server configuration naming @turn as the STUN and TURN
 * server, in @turn's folder.
 *
 * Returns: (transfer full): its path, for tend-server's --config
 */
char *
test_turn_write_config (TestTurn   *turn,
                        guint       credential_lifetime_s,
                        const char *extra)
{
  g_autofree char *config = g_strdup_printf ("[server]\nstun-uri=%s\nturn-uri=%s\nturn-secret-file=%s\n"
                                             "turn-credential-lifetime=%u\n%s",
                                             turn->stun_uri, turn->turn_uri, turn->secret_file, credential_lifetime_s,
                                             extra != NULL ? extra : "");
  char *path = g_build_filename (turn->folder, "tend-server.conf", NULL);

  g_assert_true (g_file_set_contents (path, config, -1, NULL));
  return path;
}

void
test_turn_stop (TestTurn *turn)
{
  g_subprocess_force_exit (turn->proc);
  g_subprocess_wait (turn->proc, NULL, NULL);
  g_object_unref (turn->proc);
  test_remove_folder (turn->folder);
  g_free (turn->folder);
  g_free (turn->log);
  g_free (turn->secret_file);
  g_free (turn->stun_uri);
  g_free (turn->turn_uri);
  g_free (turn);
}
