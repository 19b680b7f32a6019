/* test-server-live.c: the live WebSocket across two tend-server instances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two servers on one PostgreSQL: a push through one reaches a client
 * connected to the other (LISTEN/NOTIFY), and only the clients of the
 * practice that changed.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "server-test-util.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *one;
static TestServer *two;
static SoupSession *session;
static char *owner_a;
static char *clinician_a;
static char *owner_b;

typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *messages;
  GError                  *error;
  guint                    status;
  gushort                  close_code;
  gboolean                 done;
  gboolean                 closed;
} Live;

static void
on_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               Live                    *live)
{
  g_ptr_array_add (live->messages, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_closed_cb (SoupWebsocketConnection *conn,
              Live                    *live)
{
  live->close_code = soup_websocket_connection_get_close_code (conn);
  live->closed = TRUE;
}

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Live *live = data;

  live->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &live->error);
  if (live->conn != NULL)
    {
      g_signal_connect (live->conn, "message", G_CALLBACK (on_message_cb), live);
      g_signal_connect (live->conn, "closed", G_CALLBACK (on_closed_cb), live);
    }
  live->done = TRUE;
}

static void
spin_until (gboolean *flag,
            guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*flag && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

static void
spin_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
wait_messages (Live  *live,
               guint  n,
               guint  timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (live->messages->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return live->messages->len >= n;
}

static Live *
live_connect (TestServer *server,
              const char *token)
{
  Live *live = g_new0 (Live, 1);
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/v1/live", server->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  live->messages = g_ptr_array_new_with_free_func (g_free);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected_cb, live);
  spin_until (&live->done, 5000);
  g_assert_true (live->done);
  live->status = soup_message_get_status (msg);
  return live;
}

static void
live_free (Live *live)
{
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

static void
push_client (TestServer *server,
             const char *token,
             const char *op_id,
             const char *id,
             gint64      base_version,
             const char *expected)
{
  g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                                           "\"body\":{\"legal_given\":\"Live\",\"legal_family\":\"Person\",\"status\":\"active\"}}]}",
                                           op_id, id, base_version);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, body);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (test_json_string (r->json, "results.0.status"), ==, expected);
}

static void
test_cross_instance (void)
{
  Live *a = live_connect (two, clinician_a);
  Live *b = live_connect (one, owner_b);
  g_autofree char *id = g_uuid_string_random ();

  g_assert_no_error (a->error);
  g_assert_no_error (b->error);
  /* On connecting: pull once for what happened meanwhile. */
  g_assert_true (wait_messages (a, 1, 5000));
  g_assert_true (wait_messages (b, 1, 5000));
  g_assert_cmpstr (a->messages->pdata[0], ==, "{\"type\":\"changes\"}");

  /* A push through the other instance reaches practice A's client ... */
  push_client (one, owner_a, "live-1", id, 0, "applied");
  g_assert_true (wait_messages (a, 2, 5000));
  /* ... carrying the change itself, with the cursors around it. */
  {
    g_autoptr(JsonNode) m = json_from_string (a->messages->pdata[1], NULL);

    g_assert_nonnull (m);
    g_assert_cmpstr (test_json_string (m, "type"), ==, "changes");
    g_assert_cmpstr (test_json_string (m, "changes.0.id"), ==, id);
    g_assert_cmpstr (test_json_string (m, "changes.0.body.legal_given"), ==, "Live");
    g_assert_nonnull (test_json_string (m, "after"));
    g_assert_nonnull (test_json_string (m, "cursor"));
    g_assert_cmpstr (test_json_string (m, "after"), !=, test_json_string (m, "cursor"));
  }
  /* ... and not practice B's. */
  spin_for (300);
  g_assert_cmpuint (b->messages->len, ==, 1);

  /* Nothing applied, nothing to announce. */
  push_client (one, owner_a, "live-2", id, 0, "conflict");
  spin_for (300);
  g_assert_cmpuint (a->messages->len, ==, 2);

  /* The metrics count it. */
  {
    g_autoptr(TestResponse) m = test_request (session, two, "GET", "/metrics", NULL, NULL);

    g_assert_nonnull (strstr (m->body, "tend_live_connections 1\n"));
  }
  live_free (a);
  live_free (b);
}

/* A session signed out after its socket opened receives no records: the
 * live side looks the session up again before every read. */
static void
test_signed_out (void)
{
  g_autofree char *token = test_login (session, one, "owner@a.example", PASSWORD);
  Live *a = live_connect (two, token);
  g_autofree char *id = g_uuid_string_random ();

  g_assert_no_error (a->error);
  g_assert_true (wait_messages (a, 1, 5000));
  {
    g_autoptr(TestResponse) out = test_request (session, one, "DELETE", "/v1/session", token, NULL);

    g_assert_cmpuint (out->status, ==, 200);
  }
  push_client (one, owner_a, "live-signed-out", id, 0, "applied");
  g_assert_true (wait_messages (a, 2, 5000));
  g_assert_cmpstr (a->messages->pdata[1], ==, "{\"type\":\"changes\"}");
  live_free (a);
}

static void
test_refused (void)
{
  Live *none = live_connect (one, NULL);
  Live *bad = live_connect (one, "not-a-token");
  g_autoptr(TestResponse) plain = test_request (session, one, "GET", "/v1/live", owner_a, NULL);

  g_assert_null (none->conn);
  g_assert_nonnull (none->error);
  g_assert_cmpuint (none->status, ==, 401);
  g_assert_null (bad->conn);
  g_assert_cmpuint (bad->status, ==, 401);
  /* Not an upgrade. */
  g_assert_cmpuint (plain->status, ==, 400);
  live_free (none);
  live_free (bad);
}

/* SIGTERM closes live sockets with "going away" and still exits 0. */
static void
test_shutdown (void)
{
  TestServer *third = test_server_start (pg, NULL);
  Live *a = live_connect (third, clinician_a);

  g_assert_no_error (a->error);
  g_assert_true (wait_messages (a, 1, 5000));
  g_subprocess_send_signal (third->proc, SIGTERM);
  spin_until (&a->closed, 5000);
  g_assert_true (a->closed);
  g_assert_cmpuint (a->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  test_server_stop (third);
  live_free (a);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/live/cross-instance", test_cross_instance);
  g_test_add_func ("/server/live/refused", test_refused);
  g_test_add_func ("/server/live/signed-out", test_signed_out);
  g_test_add_func ("/server/live/shutdown", test_shutdown);

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  b = test_admin (pg, PASSWORD, "create-practice", "--name", "Lakeside Therapy", "--time-zone", "Europe/Berlin",
                  "--owner-email", "owner@b.example", "--owner-name", "Bea Owner", NULL);
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", test_json_string (a, "practice_id"),
                               "--email", "clinician@a.example", "--name", "Cal Clinician", "--role", "clinician", NULL));
  one = test_server_start (pg, NULL);
  two = test_server_start (pg, NULL);
  session = test_session_new ();
  owner_a = test_login (session, one, "owner@a.example", PASSWORD);
  clinician_a = test_login (session, two, "clinician@a.example", PASSWORD);
  owner_b = test_login (session, one, "owner@b.example", PASSWORD);

  rc = g_test_run ();

  g_clear_object (&session);
  test_server_stop (one);
  test_server_stop (two);
  test_pg_stop (pg);
  g_free (owner_a);
  g_free (clinician_a);
  g_free (owner_b);
  return rc;
}
