/* test-server-hardening.c: tend-server under abuse (issue 11, findings 4, 5,
 * 6 and 8), against a real PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two servers on one throwaway cluster: `tight` with small limits (one
 * sign-in thread and a queue of two, one-second header timeout, 4 KiB
 * records and feed pages, a 1000-byte document quota), `roomy` with a long
 * sign-in queue for the races on the failure limit.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "tend-totp.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *tight;
static TestServer *roomy;
static SoupSession *session;

static struct
{
  char *practice_a;
  char *practice_b;
  char *owner_token;
  char *owner2_token;
  char *owner_b_token;
} fx;

static void
add_user (const char *practice,
          const char *email,
          const char *role)
{
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice, "--email", email,
                               "--name", "Test Person", "--role", role, NULL));
}

static char *
login_body (const char *email,
            const char *password,
            const char *totp)
{
  if (totp != NULL)
    return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\",\"totp\":\"%s\"}", email, password, totp);
  return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
}

/* Requests sent at once, answers tallied as they come. */
typedef struct
{
  guint    sent;
  guint    done;
  guint    n200;
  guint    n401;
  guint    n429;
  guint    n503;
  gboolean busy_answers_ok;   /* every 503 said signin_busy with Retry-After */
  gint64   last_signin_done;  /* monotonic time of the last 200 */
} Burst;

static void
on_burst_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  Burst *burst = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  const char *text = body != NULL ? g_bytes_get_data (body, NULL) : NULL;

  burst->done++;
  switch ((guint) soup_message_get_status (msg))
    {
    case 200:
      burst->n200++;
      burst->last_signin_done = g_get_monotonic_time ();
      break;
    case 401:
      burst->n401++;
      break;
    case 429:
      burst->n429++;
      break;
    case 503:
      burst->n503++;
      if (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After") == NULL ||
          text == NULL || strstr (text, "\"signin_busy\"") == NULL)
        burst->busy_answers_ok = FALSE;
      break;
    default:
      g_error ("unexpected status %u: %s", soup_message_get_status (msg), text != NULL ? text : "");
    }
}

static void
send_async (SoupSession *s,
            TestServer  *server,
            const char  *method,
            const char  *path,
            const char  *token,
            const char  *body,
            GAsyncReadyCallback callback,
            gpointer     data)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (s, msg, G_PRIORITY_DEFAULT, NULL, callback, data);
}

typedef struct
{
  guint  status;
  gint64 at;
} Single;

static void
on_single_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  Single *single = data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  single->status = soup_message_get_status (msg);
  single->at = g_get_monotonic_time ();
}

/* Finding 5: twelve sign-ins at once on a server with one hashing thread
 * and room for two more in its queue.  The rest are told to come back
 * (503, Retry-After), and /healthz and a signed-in request are answered
 * while the hashing goes on, not after it. */
static void
test_signin_pool (void)
{
  g_autoptr(SoupSession) crowd = soup_session_new_with_options ("max-conns-per-host", 64, "timeout", 30, NULL);
  g_autoptr(SoupSession) other = test_session_new ();
  g_autofree char *body = login_body ("queue@a.example", PASSWORD, NULL);
  Burst burst = { .busy_answers_ok = TRUE };
  Single health = { 0 }, me = { 0 };

  for (burst.sent = 0; burst.sent < 12; burst.sent++)
    send_async (crowd, tight, "POST", "/v1/session", NULL, body, on_burst_done_cb, &burst);
  /* Let the sign-ins reach the server first. */
  while (burst.n503 == 0 && burst.done < burst.sent)
    g_main_context_iteration (NULL, TRUE);
  send_async (other, tight, "GET", "/healthz", NULL, NULL, on_single_done_cb, &health);
  send_async (other, tight, "GET", "/v1/me/totp", fx.owner_token, NULL, on_single_done_cb, &me);
  while (burst.done < burst.sent || health.status == 0 || me.status == 0)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("12 sign-ins: %u signed in, %u told to wait (503), %u limited (429)",
                  burst.n200, burst.n503, burst.n429);
  g_assert_cmpuint (burst.n200 + burst.n503 + burst.n429, ==, 12);
  g_assert_cmpuint (burst.n200, >=, 1);
  g_assert_cmpuint (burst.n503, >=, 1);
  g_assert_true (burst.busy_answers_ok);
  g_assert_cmpuint (health.status, ==, 200);
  g_assert_cmpuint (me.status, ==, 200);
  /* Neither waited behind the queue of password checks. */
  g_assert_cmpint (health.at, <, burst.last_signin_done);
  g_assert_cmpint (me.at, <, burst.last_signin_done);
}

/* Finding 8: thirty wrong passwords at once for one account, whose limit
 * is five: exactly five are checked, and the account is then limited even
 * for the right password. */
static void
test_failure_limit_atomic (void)
{
  g_autoptr(SoupSession) crowd = soup_session_new_with_options ("max-conns-per-host", 64, "timeout", 60, NULL);
  g_autofree char *wrong = login_body ("race@a.example", "not the password", NULL);
  g_autofree char *right = login_body ("race@a.example", PASSWORD, NULL);
  Burst burst = { .busy_answers_ok = TRUE };

  for (burst.sent = 0; burst.sent < 30; burst.sent++)
    send_async (crowd, roomy, "POST", "/v1/session", NULL, wrong, on_burst_done_cb, &burst);
  while (burst.done < burst.sent)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("30 wrong passwords at once: %u checked (401), %u refused (429), %u busy (503)",
                  burst.n401, burst.n429, burst.n503);
  g_assert_cmpuint (burst.n401, ==, 5);
  g_assert_cmpuint (burst.n429, ==, 25);
  {
    g_autoptr(TestResponse) r = test_request (session, roomy, "POST", "/v1/session", NULL, right);

    g_assert_cmpuint (r->status, ==, 429);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "rate_limited");
    g_assert_nonnull (r->retry_after);
  }
}

/* Finding 5: successful sign-ins are limited too (roomy: three per account
 * in the window). */
static void
test_signin_limit (void)
{
  g_autofree char *right = login_body ("often@a.example", PASSWORD, NULL);

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(TestResponse) r = test_request (session, roomy, "POST", "/v1/session", NULL, right);

      g_assert_cmpuint (r->status, ==, 200);
    }
  {
    g_autoptr(TestResponse) r = test_request (session, roomy, "POST", "/v1/session", NULL, right);

    g_assert_cmpuint (r->status, ==, 429);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "rate_limited");
  }
}

static char *
code_at (const guint8 *secret,
         gsize         len,
         gint          steps_off)
{
  guint64 step = (guint64) (g_get_real_time () / G_USEC_PER_SEC / TEND_TOTP_STEP + steps_off);

  return g_strdup_printf ("%06u", tend_hotp_code (secret, len, step, TEND_TOTP_DIGITS));
}

/* Finding 8: a code signs in once; wrong codes where a code is asked to
 * turn the second factor off count like wrong passwords. */
static void
test_totp_single_use (void)
{
  g_autoptr(JsonNode) enabled = test_admin (pg, NULL, "enable-totp", "--email", "totp@a.example", NULL);
  gsize len = 0;
  g_autofree guint8 *secret = tend_base32_decode (test_json_string (enabled, "secret"), &len);
  g_autofree char *code = code_at (secret, len, 0);
  g_autofree char *body = login_body ("totp@a.example", PASSWORD, code);
  g_autofree char *token = NULL;
  g_autofree char *wrong_off = NULL;
  guint tries = 0;

  {
    g_autoptr(TestResponse) r = test_request (session, roomy, "POST", "/v1/session", NULL, body);

    g_assert_cmpuint (r->status, ==, 200);
    token = g_strdup (test_json_string (r->json, "token"));
  }
  {
    /* Seen over a shoulder, or replayed from a log: refused. */
    g_autoptr(TestResponse) r = test_request (session, roomy, "POST", "/v1/session", NULL, body);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_totp");
    g_assert_nonnull (strstr (test_json_string (r->json, "error.message"), "used already"));
  }
  {
    g_autofree char *other = code_at (secret, len, 5);

    wrong_off = g_strdup_printf ("{\"password\":\"" PASSWORD "\",\"code\":\"%s\"}", other);
  }
  /* Wrong codes on DELETE /v1/me/totp: counted, so guessing stops at the
   * limit (five; the replay above was one). */
  for (;;)
    {
      g_autoptr(TestResponse) r = test_request (session, roomy, "DELETE", "/v1/me/totp", token, wrong_off);

      tries++;
      if (r->status == 429)
        break;
      g_assert_cmpuint (r->status, ==, 400);
      g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_totp");
      g_assert_cmpuint (tries, <, 6);
    }
  g_assert_cmpuint (tries, ==, 5);
}

/* Finding 8: two people using the same op_id each get their own answer. */
static void
test_push_result_per_account (void)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *first_id = g_uuid_string_random ();
  g_autofree char *second_id = g_uuid_string_random ();
  g_autofree char *first = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,"
                                            "\"body\":{\"legal_given\":\"First\",\"legal_family\":\"Person\",\"status\":\"active\"}}]}",
                                            op_id, first_id);
  g_autofree char *second = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,"
                                             "\"body\":{\"legal_given\":\"Second\",\"legal_family\":\"Person\",\"status\":\"active\"}}]}",
                                             op_id, second_id);
  g_autoptr(TestResponse) a = test_request (session, tight, "POST", "/v1/push", fx.owner_token, first);
  g_autoptr(TestResponse) b = test_request (session, tight, "POST", "/v1/push", fx.owner2_token, second);
  g_autoptr(TestResponse) again = test_request (session, tight, "POST", "/v1/push", fx.owner2_token, second);

  g_assert_cmpuint (a->status, ==, 200);
  g_assert_cmpstr (test_json_string (a->json, "results.0.status"), ==, "applied");
  g_assert_cmpuint (b->status, ==, 200);
  g_assert_cmpstr (test_json_string (b->json, "results.0.status"), ==, "applied");
  /* A retry by the same person still gets the stored answer. */
  g_assert_cmpstr (again->body, ==, b->body);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM record WHERE id IN ('%s', '%s')", first_id, second_id);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "2");
    PQclear (res);
  }
}

/* Reads until the server closes the connection; returns the seconds it
 * took, or a negative number when it stayed open for @patience seconds. */
static double
seconds_until_closed (const char *send,
                      guint       patience)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;
  gint64 start = g_get_monotonic_time ();
  char buffer[4096];

  conn = g_socket_client_connect_to_host (client, "127.0.0.1", tight->port, NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (conn);
  g_socket_set_timeout (socket, patience);
  if (send != NULL)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), send, strlen (send),
                                 NULL, NULL, &error);
      g_assert_no_error (error);
    }
  for (;;)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
        return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      if (n < 0)
        return -1;
    }
}

/* Finding 8: half a request, nothing at all, or an idle keep-alive
 * connection is closed by the server (tight: header-timeout 1,
 * idle-timeout 2). */
static void
test_connection_timeouts (void)
{
  double partial = seconds_until_closed ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 10);
  double silent = seconds_until_closed (NULL, 10);
  double idle = seconds_until_closed ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 10);

  g_test_message ("closed after %.1f s (partial headers), %.1f s (silent), %.1f s (idle after one request)",
                  partial, silent, idle);
  g_assert_cmpfloat (partial, >=, 0.9);
  g_assert_cmpfloat (partial, <, 5);
  g_assert_cmpfloat (silent, >=, 0.9);
  g_assert_cmpfloat (silent, <, 5);
  g_assert_cmpfloat (idle, >=, 1.9);
  g_assert_cmpfloat (idle, <, 6);
}

static char *
padded_client (gsize padding)
{
  g_autofree char *pad = g_strnfill (padding, 'x');

  return g_strdup_printf ("{\"legal_given\":\"Padded\",\"legal_family\":\"Person\",\"status\":\"active\",\"x_padding\":\"%s\"}", pad);
}

/* Finding 6: a record over max-record-size (4 KiB) is refused by name,
 * the rest of the push goes in. */
static void
test_record_too_large (void)
{
  g_autofree char *big_id = g_uuid_string_random ();
  g_autofree char *small_id = g_uuid_string_random ();
  g_autofree char *big = padded_client (5000);
  g_autofree char *small = padded_client (100);
  g_autofree char *body = g_strdup_printf ("{\"ops\":["
                                           "{\"op_id\":\"big-%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,\"body\":%s},"
                                           "{\"op_id\":\"small-%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,\"body\":%s}]}",
                                           big_id, big_id, big, small_id, small_id, small);
  g_autoptr(TestResponse) r = test_request (session, tight, "POST", "/v1/push", fx.owner_token, body);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (test_json_string (r->json, "results.0.status"), ==, "rejected");
  g_assert_cmpstr (test_json_string (r->json, "results.0.error.code"), ==, "record_too_large");
  g_assert_nonnull (strstr (test_json_string (r->json, "results.0.error.message"), big_id));
  g_assert_cmpstr (test_json_string (r->json, "results.1.status"), ==, "applied");
}

/* Finding 6: a feed page stops after max-page-bytes (4 KiB) of bodies and
 * says there is more; paging on gives every record once. */
static void
test_feed_page_bytes (void)
{
  g_autoptr(GString) ops = g_string_new ("{\"ops\":[");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *body = padded_client (1500);
  gboolean more = TRUE;
  guint pages = 0;

  for (int i = 0; i < 6; i++)
    {
      g_autofree char *id = g_uuid_string_random ();

      g_string_append_printf (ops, "%s{\"op_id\":\"page-%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,\"body\":%s}",
                              i > 0 ? "," : "", id, id, body);
    }
  g_string_append (ops, "]}");
  {
    g_autoptr(TestResponse) r = test_request (session, tight, "POST", "/v1/push", fx.owner_b_token, ops->str);

    g_assert_cmpuint (r->status, ==, 200);
    for (int i = 0; i < 6; i++)
      {
        g_autofree char *path = g_strdup_printf ("results.%d.status", i);

        g_assert_cmpstr (test_json_string (r->json, path), ==, "applied");
      }
  }
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=1000%s%s", cursor != NULL ? "&cursor=" : "",
                                               cursor != NULL ? cursor : "");
      g_autoptr(TestResponse) r = test_request (session, tight, "GET", path, fx.owner_b_token, NULL);
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      changes = json_node_get_array (test_json_get (r->json, "changes"));
      /* 4096 bytes, and the one change that starts before them. */
      g_assert_cmpuint (strlen (r->body), <, 4096 + 2 * 1700);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          const char *id = test_json_string (json_array_get_element (changes, i), "id");

          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, g_strdup (id));
        }
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
      g_free (cursor);
      cursor = g_strdup (test_json_string (r->json, "cursor"));
      pages++;
    }
  g_test_message ("practice B's feed in %u pages", pages);
  /* Six padded clients, the owner's staff record and the practice's. */
  g_assert_cmpuint (g_hash_table_size (seen), >=, 6);
  /* 9.4 kB of bodies in pages of about 4 kB (with a count limit of 1000). */
  g_assert_cmpuint (pages, >=, 2);
}

static TestResponse *
put_blob (const char *token,
          gsize       size,
          char        fill)
{
  g_autofree char *data = g_strnfill (size, fill);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
  g_autofree char *path = g_strdup_printf ("/v1/blobs/%s", hash);
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  return test_request_bytes (session, tight, "PUT", path, token, bytes);
}

/* Finding 6: a practice's documents stop at blob-quota (1000 bytes). */
static void
test_blob_quota (void)
{
  g_autoptr(TestResponse) first = put_blob (fx.owner_b_token, 600, 'a');
  g_autoptr(TestResponse) second = put_blob (fx.owner_b_token, 600, 'b');
  g_autoptr(TestResponse) again = put_blob (fx.owner_b_token, 600, 'a');
  g_autoptr(TestResponse) other_practice = put_blob (fx.owner_token, 600, 'b');

  g_assert_cmpuint (first->status, ==, 201);
  g_assert_cmpuint (second->status, ==, 507);
  g_assert_cmpstr (test_json_string (second->json, "error.code"), ==, "quota_exceeded");
  g_assert_nonnull (strstr (test_json_string (second->json, "error.message"), "1000 bytes"));
  /* Bytes it holds already cost nothing more; another practice has its own. */
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpuint (other_practice->status, ==, 201);
}

static int
verify_audit (char **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           g_getenv ("TEND_SERVER_BIN"), "admin", "verify-audit", "--database", pg->conninfo, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

/* Finding 4: the audit table is a hash chain per practice; a changed or
 * deleted row is found and named.  Last: it leaves the table tampered. */
static void
test_audit_chain (void)
{
  g_autofree char *err = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *gone_after = NULL;
  PGresult *res;

  g_assert_cmpint (verify_audit (&err), ==, 0);

  res = test_pg_exec (pg, "SELECT id, seq FROM audit WHERE practice_id = (SELECT practice_id FROM account"
                          " WHERE email = 'owner@b.example') ORDER BY seq LIMIT 1 OFFSET 2");
  changed = g_strdup_printf ("audit row %s of practice %s, id %s: it was changed",
                             PQgetvalue (res, 0, 1), fx.practice_b, PQgetvalue (res, 0, 0));
  PQclear (res);
  PQclear (test_pg_exec (pg, "UPDATE audit SET detail = 'nothing happened' WHERE id = (SELECT id FROM audit"
                             " WHERE practice_id = (SELECT practice_id FROM account WHERE email = 'owner@b.example')"
                             " ORDER BY seq LIMIT 1 OFFSET 2)"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (verify_audit (&err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, changed));

  /* A row of practice A deleted: the one after it is named. */
  res = test_pg_exec (pg, "SELECT id, seq FROM audit WHERE practice_id = (SELECT practice_id FROM account"
                          " WHERE email = 'owner@a.example') ORDER BY seq LIMIT 1 OFFSET 4");
  gone_after = g_strdup_printf ("audit row %s of practice %s, id %s: rows before it are missing",
                                PQgetvalue (res, 0, 1), fx.practice_a, PQgetvalue (res, 0, 0));
  PQclear (res);
  PQclear (test_pg_exec (pg, "DELETE FROM audit WHERE id = (SELECT id FROM audit WHERE practice_id ="
                             " (SELECT practice_id FROM account WHERE email = 'owner@a.example')"
                             " ORDER BY seq LIMIT 1 OFFSET 3)"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (verify_audit (&err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, gone_after));
  g_assert_nonnull (strstr (err, changed));
}

/* Every record that names a client or a payer names one of the writer's
 * practice: another practice's client id, or a payer nobody made, is
 * refused (a dangling policy would otherwise sit in the practice, and an
 * id taken from elsewhere would be kept as if it were a client here). */
static void
push_expect (const char *token,
             const char *type,
             const char *id,
             gint64      base_version,
             const char *body,
             const char *expected_status,
             const char *expected_code)
{
  g_autofree char *code = NULL;
  g_autofree char *status = test_push_one (session, tight, token, type, id, base_version, body, &code);

  g_assert_cmpstr (status, ==, expected_status);
  g_assert_cmpstr (code, ==, expected_code);
}

static void
test_references_in_practice (void)
{
  g_autofree char *client_a = g_uuid_string_random ();
  g_autofree char *payer_a = g_uuid_string_random ();
  g_autofree char *payer_b = g_uuid_string_random ();
  g_autofree char *ghost = g_uuid_string_random ();
  g_autofree char *policy = g_uuid_string_random ();
  g_autofree char *related = g_uuid_string_random ();
  const char *payer_body = "{\"name\":\"Blue Plan\",\"payer_code\":\"BP001\",\"claim_filing\":\"CI\",\"active\":true}";
  g_autofree char *good = NULL;
  g_autofree char *their_client = NULL;
  g_autofree char *no_payer = NULL;
  g_autofree char *their_payer = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *related_body = NULL;

  push_expect (fx.owner_token, "client", client_a, 0,
               "{\"legal_given\":\"Ana\",\"legal_family\":\"Ruiz\",\"status\":\"active\"}", "applied", NULL);
  push_expect (fx.owner_token, "payer", payer_a, 0, payer_body, "applied", NULL);
  push_expect (fx.owner_b_token, "payer", payer_b, 0, payer_body, "applied", NULL);

#define POLICY(client, payer, member) \
  g_strdup_printf ("{\"client_id\":\"%s\",\"payer_id\":\"%s\",\"member_id\":\"%s\"," \
                   "\"priority\":\"primary\",\"relationship\":\"self\"}", client, payer, member)
  their_client = POLICY (client_a, payer_b, "M1");
  no_payer = POLICY (client_a, ghost, "M2");
  their_payer = POLICY (client_a, payer_b, "M3");
  good = POLICY (client_a, payer_a, "M4");
  edited = POLICY (client_a, payer_a, "M5");
#undef POLICY

  /* Practice B's owner names A's client: B has no such client. */
  push_expect (fx.owner_b_token, "policy", policy, 0, their_client, "rejected", "forbidden");
  /* A's owner names a payer nobody made, and B's payer. */
  push_expect (fx.owner_token, "policy", policy, 0, no_payer, "rejected", "forbidden");
  push_expect (fx.owner_token, "policy", policy, 0, their_payer, "rejected", "forbidden");
  /* Nothing was kept for either practice. */
  push_expect (fx.owner_token, "policy", policy, 0, good, "applied", NULL);
  push_expect (fx.owner_token, "policy", policy, 1, edited, "applied", NULL);

  /* The rule is every type's: B's related person for A's client. */
  related_body = g_strdup_printf ("{\"client_id\":\"%s\",\"name\":\"Rosa Ruiz\",\"relationship\":\"parent\"}",
                                  client_a);
  push_expect (fx.owner_b_token, "related_person", related, 0, related_body, "rejected", "forbidden");
  push_expect (fx.owner_token, "related_person", related, 0, related_body, "applied", NULL);
}

static void
setup (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  b = test_admin (pg, PASSWORD, "create-practice", "--name", "Lakeside Therapy", "--time-zone", "Europe/Berlin",
                  "--owner-email", "owner@b.example", "--owner-name", "Bea Owner", NULL);
  fx.practice_a = g_strdup (test_json_string (a, "practice_id"));
  fx.practice_b = g_strdup (test_json_string (b, "practice_id"));
  add_user (fx.practice_a, "owner2@a.example", "owner");
  add_user (fx.practice_a, "queue@a.example", "clinician");
  add_user (fx.practice_a, "race@a.example", "clinician");
  add_user (fx.practice_a, "often@a.example", "clinician");
  add_user (fx.practice_a, "totp@a.example", "supervisor");

  tight = test_server_start (pg, "--signin-threads", "1", "--signin-max-queued", "2",
                             "--login-max-failures-per-address", "1000",
                             "--header-timeout", "1", "--idle-timeout", "2",
                             "--max-record-size", "4096", "--max-page-bytes", "4096",
                             "--blob-quota", "1000", NULL);
  roomy = test_server_start (pg, "--signin-threads", "2", "--signin-max-queued", "1000",
                             "--login-max-failures", "5", "--login-max-failures-per-address", "1000",
                             "--login-max-signins", "3", NULL);
  session = test_session_new ();
  fx.owner_token = test_login (session, tight, "owner@a.example", PASSWORD);
  fx.owner2_token = test_login (session, tight, "owner2@a.example", PASSWORD);
  fx.owner_b_token = test_login (session, tight, "owner@b.example", PASSWORD);
}

static void
teardown (void)
{
  g_clear_object (&session);
  test_server_stop (tight);
  test_server_stop (roomy);
  test_pg_stop (pg);
  g_free (fx.practice_a);
  g_free (fx.practice_b);
  g_free (fx.owner_token);
  g_free (fx.owner2_token);
  g_free (fx.owner_b_token);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/hardening/signin-pool", test_signin_pool);
  g_test_add_func ("/server/hardening/failure-limit-atomic", test_failure_limit_atomic);
  g_test_add_func ("/server/hardening/signin-limit", test_signin_limit);
  g_test_add_func ("/server/hardening/totp-single-use", test_totp_single_use);
  g_test_add_func ("/server/hardening/push-result-per-account", test_push_result_per_account);
  g_test_add_func ("/server/hardening/connection-timeouts", test_connection_timeouts);
  g_test_add_func ("/server/hardening/record-too-large", test_record_too_large);
  g_test_add_func ("/server/hardening/feed-page-bytes", test_feed_page_bytes);
  g_test_add_func ("/server/hardening/blob-quota", test_blob_quota);
  g_test_add_func ("/server/hardening/audit-chain", test_audit_chain);
  g_test_add_func ("/server/hardening/references-in-practice", test_references_in_practice);
  setup ();
  rc = g_test_run ();
  teardown ();
  return rc;
}
