/* test-server-api.c: tend-server's API against a real PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One throwaway cluster and two tend-server processes on it (the second
 * with one-second tokens) for the whole program; the cases share them, so
 * each works in records of its own.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "tend-core.h"
#include "tend-server-sync.h"
#include "tend-totp.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static TestServer *short_server;   /* --token-lifetime 2 */
static SoupSession *session;

static struct
{
  char *practice_a;
  char *practice_b;
  char *owner_token;
  char *owner_b_token;
  char *clinician_token;
  char *clinician_staff;
  char *front_desk_token;
  char *biller_token;
} fx;

static char *
new_id (void)
{
  return g_uuid_string_random ();
}

static JsonNode *
push_one (const char *token,
          const char *op_id,
          const char *type,
          const char *id,
          gint64      base_version,
          const char *body)
{
  g_autofree char *payload = NULL;
  g_autoptr(TestResponse) r = NULL;

  if (body != NULL)
    payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                               op_id, type, id, base_version, body);
  else
    payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ",\"deleted\":true}]}",
                               op_id, type, id, base_version);
  r = test_request (session, server, "POST", "/v1/push", token, payload);
  g_assert_cmpuint (r->status, ==, 200);
  return json_node_ref (test_json_get (r->json, "results.0"));
}

static void
assert_result (JsonNode   *result,
               const char *status,
               gint64      version)
{
  if (g_strcmp0 (test_json_string (result, "status"), status) != 0)
    {
      g_autofree char *text = json_to_string (result, FALSE);

      g_error ("expected %s, got %s", status, text);
    }
  if (version > 0)
    g_assert_cmpint (test_json_int (result, "version"), ==, version);
}

static const char *
client_body (void)
{
  return "{\"legal_given\":\"Test\",\"legal_family\":\"Person\",\"status\":\"active\"}";
}

/* Every change visible to @token, paging with @limit; id -> version
 * (-version for tombstones), and how many entries the feed gave. */
static GHashTable *
read_feed (const char *token,
           guint       limit,
           guint      *n_entries)
{
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;

  if (n_entries != NULL)
    *n_entries = 0;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=%u%s%s", limit,
                                               cursor != NULL ? "&cursor=" : "", cursor != NULL ? cursor : "");
      g_autoptr(TestResponse) r = test_request (session, server, "GET", path, token, NULL);
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      changes = json_node_get_array (test_json_get (r->json, "changes"));
      g_assert_cmpuint (json_array_get_length (changes), <=, limit);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonNode *c = json_array_get_element (changes, i);
          gint64 v = test_json_int (c, "version");

          g_assert_true (JSON_NODE_HOLDS_NULL (test_json_get (c, "body")) ==
                         json_node_get_boolean (test_json_get (c, "deleted")));
          g_hash_table_insert (seen, g_strdup (test_json_string (c, "id")),
                               GINT_TO_POINTER ((int) (json_node_get_boolean (test_json_get (c, "deleted")) ? -v : v)));
          if (n_entries != NULL)
            (*n_entries)++;
        }
      g_free (cursor);
      cursor = g_strdup (test_json_string (r->json, "cursor"));
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
    }
  return seen;
}

/* The body the feed gives @token for the record @id, as JSON text, or
 * %NULL when the feed does not have it. */
static char *
feed_body (const char *token,
           const char *id)
{
  g_autofree char *cursor = NULL;
  char *found = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=500%s%s",
                                               cursor != NULL ? "&cursor=" : "", cursor != NULL ? cursor : "");
      g_autoptr(TestResponse) r = test_request (session, server, "GET", path, token, NULL);
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      changes = json_node_get_array (test_json_get (r->json, "changes"));
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonNode *c = json_array_get_element (changes, i);

          if (g_strcmp0 (test_json_string (c, "id"), id) == 0)
            {
              g_free (found);
              found = json_to_string (test_json_get (c, "body"), FALSE);
            }
        }
      g_free (cursor);
      cursor = g_strdup (test_json_string (r->json, "cursor"));
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
    }
  return found;
}

static char *
current_cursor (const char *token)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?limit=1000", token, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_node_get_boolean (test_json_get (r->json, "has_more")));
  return g_strdup (test_json_string (r->json, "cursor"));
}

/* Sessions */

static void
test_login_ok (void)
{
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL,
                                            "{\"email\":\"OWNER@a.example\",\"password\":\"" PASSWORD "\"}");
  g_autoptr(TestResponse) feed = NULL;
  const char *token;

  g_assert_cmpuint (r->status, ==, 200);
  token = test_json_string (r->json, "token");
  g_assert_nonnull (token);
  /* 32 bytes, base64url without padding. */
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_nonnull (test_json_string (r->json, "expires_at"));
  g_assert_cmpstr (test_json_string (r->json, "user.role"), ==, "owner");
  g_assert_cmpstr (test_json_string (r->json, "user.practice_id"), ==, fx.practice_a);
  g_assert_cmpstr (test_json_string (r->json, "user.email"), ==, "owner@a.example");

  feed = test_request (session, server, "GET", "/v1/changes", token, NULL);
  g_assert_cmpuint (feed->status, ==, 200);

  /* Only the hash is stored. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM session WHERE token_hash::text LIKE '%%%s%%'", token);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "0");
    PQclear (res);
  }
}

static void
test_login_bad (void)
{
  const char *bodies[] = {
    "{\"email\":\"owner@a.example\",\"password\":\"wrong password\"}",
    "{\"email\":\"nobody@a.example\",\"password\":\"" PASSWORD "\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, bodies[i]);

      g_assert_cmpuint (r->status, ==, 401);
      /* The same answer whether or not the account exists. */
      g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_credentials");
    }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes", "not-a-token", NULL);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "unauthorized");
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 401);
  }
}

static void
test_login_rate_limit (void)
{
  g_autoptr(JsonNode) user = test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a,
                                         "--email", "limited@a.example", "--name", "Lim Ited",
                                         "--role", "clinician", NULL);
  g_autoptr(TestResponse) r = NULL;
  const char *wrong = "{\"email\":\"limited@a.example\",\"password\":\"wrong password\"}";
  const char *right = "{\"email\":\"limited@a.example\",\"password\":\"" PASSWORD "\"}";

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(TestResponse) bad = test_request (session, server, "POST", "/v1/session", NULL, wrong);

      g_assert_cmpuint (bad->status, ==, 401);
    }
  /* The sixth attempt is refused before the password is even checked,
   * the right password included. */
  r = test_request (session, server, "POST", "/v1/session", NULL, right);
  g_assert_cmpuint (r->status, ==, 429);
  g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "rate_limited");
  g_assert_nonnull (r->retry_after);
  g_assert_cmpint (g_ascii_strtoll (r->retry_after, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (r->retry_after, NULL, 10), <=, 15 * 60);
  /* Another account from the same address is not affected. */
  g_free (test_login (session, server, "clinician@a.example", PASSWORD));
}

static void
test_logout (void)
{
  g_autofree char *token = test_login (session, server, "owner@a.example", PASSWORD);
  g_autoptr(TestResponse) out = test_request (session, server, "DELETE", "/v1/session", token, NULL);
  g_autoptr(TestResponse) after = NULL;

  g_assert_cmpuint (out->status, ==, 200);
  after = test_request (session, server, "GET", "/v1/changes", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  /* The other sessions of the same account live on. */
  {
    g_autoptr(TestResponse) other = test_request (session, server, "GET", "/v1/changes?limit=1", fx.owner_token, NULL);

    g_assert_cmpuint (other->status, ==, 200);
  }
}

static void
test_token_expiry (void)
{
  gint64 signed_in = g_get_monotonic_time ();
  g_autofree char *token = test_login (session, short_server, "owner@a.example", PASSWORD);
  g_autoptr(TestResponse) before = test_request (session, short_server, "GET", "/v1/changes?limit=1", token, NULL);
  g_autoptr(TestResponse) after = NULL;
  gint64 expired = signed_in + 2300 * 1000;

  g_assert_cmpuint (before->status, ==, 200);
  if (g_get_monotonic_time () < expired)
    g_usleep ((gulong) (expired - g_get_monotonic_time ()));
  after = test_request (session, short_server, "GET", "/v1/changes?limit=1", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_cmpstr (test_json_string (after->json, "error.code"), ==, "unauthorized");
}

static void
test_totp_login (void)
{
  g_autoptr(JsonNode) user = test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a,
                                         "--email", "totp@a.example", "--name", "Two Factor",
                                         "--role", "supervisor", NULL);
  g_autoptr(JsonNode) enabled = test_admin (pg, NULL, "enable-totp", "--email", "totp@a.example", NULL);
  g_autofree guint8 *secret = NULL;
  g_autofree char *good = NULL;
  g_autofree char *body = NULL;
  gsize len = 0;

  secret = tend_base32_decode (test_json_string (enabled, "secret"), &len);
  g_assert_cmpuint (len, ==, 20);
  g_assert_true (g_str_has_prefix (test_json_string (enabled, "uri"), "otpauth://totp/"));

  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL,
                                              "{\"email\":\"totp@a.example\",\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "totp_required");
  }
  {
    guint code = tend_hotp_code (secret, len, (guint64) (g_get_real_time () / G_USEC_PER_SEC / 30 + 5), 6);
    g_autofree char *wrong = g_strdup_printf ("{\"email\":\"totp@a.example\",\"password\":\"" PASSWORD "\",\"totp\":\"%06u\"}", code);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, wrong);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_totp");
  }
  good = g_strdup_printf ("%06u", tend_hotp_code (secret, len, (guint64) (g_get_real_time () / G_USEC_PER_SEC / 30), 6));
  body = g_strdup_printf ("{\"email\":\"totp@a.example\",\"password\":\"" PASSWORD "\",\"totp\":\"%s\"}", good);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, body);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (test_json_string (r->json, "user.role"), ==, "supervisor");
  }
}

/* Push */

static void
test_push_applied_conflict (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonNode) first = push_one (fx.owner_token, "pac-1", "client", id, 0, client_body ());
  g_autoptr(JsonNode) stale = push_one (fx.owner_token, "pac-2", "client", id, 0,
                                        "{\"legal_given\":\"Other\",\"legal_family\":\"Person\",\"status\":\"active\"}");
  g_autoptr(JsonNode) second = NULL;

  assert_result (first, "applied", 1);
  /* Stale base: the server's copy comes back for the client to merge. */
  assert_result (stale, "conflict", 1);
  g_assert_cmpint (test_json_int (stale, "server_record.version"), ==, 1);
  g_assert_cmpstr (test_json_string (stale, "server_record.body.legal_given"), ==, "Test");
  g_assert_cmpstr (test_json_string (stale, "server_record.id"), ==, id);

  second = push_one (fx.owner_token, "pac-3", "client", id, 1,
                     "{\"legal_given\":\"Tess\",\"legal_family\":\"Person\",\"status\":\"active\"}");
  assert_result (second, "applied", 2);
}

static void
test_push_idempotent_retry (void)
{
  g_autofree char *id = new_id ();
  g_autofree char *cursor = current_cursor (fx.owner_token);
  g_autofree char *path = g_strdup_printf ("/v1/changes?cursor=%s", cursor);
  g_autoptr(JsonNode) first = push_one (fx.owner_token, "retry-op-1", "client", id, 0, client_body ());
  /* The response was lost: the client sends the same operation again. */
  g_autoptr(JsonNode) again = push_one (fx.owner_token, "retry-op-1", "client", id, 0, client_body ());
  g_autoptr(TestResponse) feed = NULL;
  g_autofree char *a = json_to_string (first, FALSE);
  g_autofree char *b = json_to_string (again, FALSE);

  assert_result (first, "applied", 1);
  g_assert_cmpstr (a, ==, b);
  feed = test_request (session, server, "GET", path, fx.owner_token, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (test_json_get (feed->json, "changes"))), ==, 1);
  g_assert_cmpint (test_json_int (feed->json, "changes.0.version"), ==, 1);

  /* The same op_id twice in one push (a client bug): applied once, the
   * same answer twice, and a later retry gets it too. */
  {
    g_autofree char *twice_id = new_id ();
    g_autofree char *op = g_strdup_printf ("{\"op_id\":\"retry-op-2\",\"type\":\"client\",\"id\":\"%s\","
                                           "\"base_version\":0,\"body\":%s}", twice_id, client_body ());
    g_autofree char *body = g_strdup_printf ("{\"ops\":[%s,%s]}", op, op);
    g_autofree char *single = g_strdup_printf ("{\"ops\":[%s]}", op);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", fx.owner_token, body);
    g_autoptr(TestResponse) retry = test_request (session, server, "POST", "/v1/push", fx.owner_token, single);
    g_autofree char *r0 = NULL, *r1 = NULL, *r2 = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (retry->status, ==, 200);
    r0 = json_to_string (test_json_get (r->json, "results.0"), FALSE);
    r1 = json_to_string (test_json_get (r->json, "results.1"), FALSE);
    r2 = json_to_string (test_json_get (retry->json, "results.0"), FALSE);
    g_assert_cmpstr (test_json_string (r->json, "results.0.status"), ==, "applied");
    g_assert_cmpint (test_json_int (r->json, "results.0.version"), ==, 1);
    g_assert_cmpstr (r0, ==, r1);
    g_assert_cmpstr (r0, ==, r2);
  }
}

static void
test_delete_edit_race (void)
{
  /* Edit first, then a delete based on the old version: the delete loses.
   * (A room: a client's record is never deleted.) */
  {
    g_autofree char *id = new_id ();
    g_autoptr(JsonNode) created = push_one (fx.owner_token, "der-1", "room", id, 0, "{\"name\":\"Room A\"}");
    g_autoptr(JsonNode) edit = push_one (fx.owner_token, "der-2", "room", id, 1, "{\"name\":\"Edited\"}");
    g_autoptr(JsonNode) del = push_one (fx.owner_token, "der-3", "room", id, 1, NULL);

    assert_result (created, "applied", 1);
    assert_result (edit, "applied", 2);
    assert_result (del, "conflict", 2);
    g_assert_false (json_node_get_boolean (test_json_get (del, "server_record.deleted")));
    g_assert_cmpstr (test_json_string (del, "server_record.body.name"), ==, "Edited");
  }
  /* Delete first, then an edit based on the old version: the edit loses
   * and sees the tombstone. */
  {
    g_autofree char *id = new_id ();
    g_autoptr(JsonNode) created = push_one (fx.owner_token, "der-4", "room", id, 0, "{\"name\":\"Room A\"}");
    g_autoptr(JsonNode) del = push_one (fx.owner_token, "der-5", "room", id, 1, NULL);
    g_autoptr(JsonNode) edit = push_one (fx.owner_token, "der-6", "room", id, 1, "{\"name\":\"Edited\"}");
    g_autoptr(GHashTable) feed = NULL;

    assert_result (created, "applied", 1);
    assert_result (del, "applied", 2);
    assert_result (edit, "conflict", 2);
    g_assert_true (json_node_get_boolean (test_json_get (edit, "server_record.deleted")));
    g_assert_true (JSON_NODE_HOLDS_NULL (test_json_get (edit, "server_record.body")));
    /* The tombstone is in the feed. */
    feed = read_feed (fx.owner_token, 1000, NULL);
    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (feed, id)), ==, -2);
  }
}

typedef struct
{
  const char *token;
  const char *prefix;
  GPtrArray  *ids;
} Writer;

#define WRITES_PER_WRITER 40

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(SoupSession) own = test_session_new ();

  for (guint i = 0; i < WRITES_PER_WRITER; i++)
    {
      char *id = new_id ();
      g_autofree char *op = g_strdup_printf ("%s-%u", w->prefix, i);
      g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,\"body\":%s}]}",
                                                  op, id, client_body ());
      g_autoptr(TestResponse) r = test_request (own, server, "POST", "/v1/push", w->token, payload);

      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpstr (test_json_string (r->json, "results.0.status"), ==, "applied");
      g_ptr_array_add (w->ids, id);
    }
  return NULL;
}

static void
test_concurrent_writers_reader (void)
{
  Writer w1 = { fx.owner_token, "cw1", g_ptr_array_new_with_free_func (g_free) };
  Writer w2 = { fx.front_desk_token, "cw2", g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = current_cursor (fx.clinician_token);
  GThread *t1, *t2;
  gboolean writers_done = FALSE, more = TRUE;
  guint pages = 0;

  t1 = g_thread_new ("writer-1", writer_thread, &w1);
  t2 = g_thread_new ("writer-2", writer_thread, &w2);
  /* Page through with a small limit while both write; once they are done,
   * read to the end once more.  No change may be skipped. */
  while (!writers_done || more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=3&cursor=%s", cursor);
      g_autoptr(TestResponse) r = test_request (session, server, "GET", path, fx.clinician_token, NULL);
      JsonArray *changes = json_node_get_array (test_json_get (r->json, "changes"));

      g_assert_cmpuint (r->status, ==, 200);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_hash_table_add (seen, g_strdup (test_json_string (json_array_get_element (changes, i), "id")));
      g_free (cursor);
      cursor = g_strdup (test_json_string (r->json, "cursor"));
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
      pages++;
      if (!writers_done && w1.ids->len == WRITES_PER_WRITER && w2.ids->len == WRITES_PER_WRITER)
        {
          g_thread_join (t1);
          g_thread_join (t2);
          writers_done = TRUE;
          more = TRUE;
        }
    }
  g_assert_cmpuint (pages, >, 10);
  for (guint i = 0; i < WRITES_PER_WRITER; i++)
    {
      g_assert_true (g_hash_table_contains (seen, w1.ids->pdata[i]));
      g_assert_true (g_hash_table_contains (seen, w2.ids->pdata[i]));
    }
  g_ptr_array_unref (w1.ids);
  g_ptr_array_unref (w2.ids);
}

/* Cursors */

static void
test_cursor_gone (void)
{
  g_autofree char *old = current_cursor (fx.owner_token);
  g_autofree char *epoch = NULL;
  g_autofree char *other_epoch = NULL;
  g_autofree char *ahead = NULL;
  g_autofree char *id = new_id ();
  gint64 seq, horizon;

  g_assert_true (tend_sync_cursor_decode (old, &epoch, &seq, &horizon));
  other_epoch = tend_sync_cursor_encode ("0123456789abcdef0123456789abcdef", seq, horizon);
  ahead = tend_sync_cursor_encode (epoch, seq + 1000000, horizon);
  {
    const char *bad[] = { other_epoch, ahead };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *path = g_strdup_printf ("/v1/changes?cursor=%s", bad[i]);
        g_autoptr(TestResponse) r = test_request (session, server, "GET", path, fx.owner_token, NULL);

        g_assert_cmpuint (r->status, ==, 410);
        g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, i == 0 ? "cursor_foreign" : "cursor_ahead");
      }
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?cursor=%21%21", fx.owner_token, NULL);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_cursor");
  }

  /* A deletion, its tombstone purged: a cursor from before it is past
   * the horizon. */
  {
    g_autoptr(JsonNode) a = push_one (fx.owner_token, "gone-1", "room", id, 0, "{\"name\":\"Room B\"}");
    g_autoptr(JsonNode) b = push_one (fx.owner_token, "gone-2", "room", id, 1, NULL);
    g_autoptr(JsonNode) purged = test_admin (pg, NULL, "purge-tombstones", "--older-than-days", "0",
                                             "--practice", fx.practice_a, NULL);
    g_autofree char *path = g_strdup_printf ("/v1/changes?cursor=%s", old);
    g_autoptr(TestResponse) r = test_request (session, server, "GET", path, fx.owner_token, NULL);
    g_autofree char *fresh = NULL;

    assert_result (b, "applied", 2);
    g_assert_cmpint (test_json_int (purged, "purged"), >=, 1);
    g_assert_cmpint (test_json_int (purged, "push_results"), >=, 2);
    g_assert_cmpuint (r->status, ==, 410);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "cursor_expired");
    /* Starting again works, paging through the whole feed with cursors
     * below the horizon; and a cursor from after the purge is fine. */
    g_hash_table_unref (read_feed (fx.owner_token, 2, NULL));
    fresh = current_cursor (fx.owner_token);
    g_free (path);
    path = g_strdup_printf ("/v1/changes?cursor=%s", fresh);
    g_clear_pointer (&r, test_response_free);
    r = test_request (session, server, "GET", path, fx.owner_token, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* Roles */

static void
test_roles_write (void)
{
  g_autofree char *staff = new_id ();
  g_autofree char *appt = new_id ();
  g_autofree char *client = new_id ();
  g_autofree char *appt_body = g_strdup_printf ("{\"kind\":\"blocked\",\"clinician_id\":\"%s\",\"modality\":\"in_person\","
                                                "\"start\":\"2031-03-03T09:00:00Z\",\"end\":\"2031-03-03T09:30:00Z\",\"status\":\"scheduled\"}",
                                                fx.clinician_staff);
  g_autoptr(JsonNode) fd_staff = push_one (fx.front_desk_token, "role-1", "staff", staff, 0,
                                           "{\"given_name\":\"New\",\"family_name\":\"Hire\",\"role\":\"clinician\"}");
  g_autoptr(JsonNode) fd_practice = push_one (fx.front_desk_token, "role-2", "practice", fx.practice_a, 1,
                                              "{\"name\":\"Renamed\",\"time_zone\":\"America/Chicago\",\"currency\":\"USD\"}");
  g_autoptr(JsonNode) biller_appt = push_one (fx.biller_token, "role-3", "appointment", appt, 0, appt_body);
  g_autoptr(JsonNode) fd_client = push_one (fx.front_desk_token, "role-4", "client", client, 0, client_body ());
  g_autoptr(JsonNode) owner_staff = push_one (fx.owner_token, "role-5", "staff", staff, 0,
                                              "{\"given_name\":\"New\",\"family_name\":\"Hire\",\"role\":\"clinician\"}");

  assert_result (fd_staff, "rejected", 0);
  g_assert_cmpstr (test_json_string (fd_staff, "error.code"), ==, "forbidden");
  assert_result (fd_practice, "rejected", 0);
  g_assert_cmpstr (test_json_string (fd_practice, "error.code"), ==, "forbidden");
  assert_result (biller_appt, "rejected", 0);
  assert_result (fd_client, "applied", 1);
  assert_result (owner_staff, "applied", 1);
}

/* Everyone keeps their own staff record, but not its role. */
static void
test_roles_own_profile (void)
{
  g_autoptr(TestResponse) feed = test_request (session, server, "GET", "/v1/changes?limit=1000", fx.clinician_token, NULL);
  JsonArray *changes = json_node_get_array (test_json_get (feed->json, "changes"));
  gint64 version = 0;
  g_autofree char *hours = NULL;
  g_autofree char *promoted = NULL;
  g_autofree char *other = NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (g_strcmp0 (test_json_string (json_array_get_element (changes, i), "id"), fx.clinician_staff) == 0)
      version = test_json_int (json_array_get_element (changes, i), "version");
  g_assert_cmpint (version, >, 0);

  hours = g_strdup ("{\"given_name\":\"Cal\",\"family_name\":\"Clinician\",\"role\":\"clinician\",\"active\":true,"
                    "\"email\":\"clinician@a.example\",\"working_hours\":{\"mon\":{\"start\":\"09:00\",\"end\":\"17:00\"}}}");
  promoted = g_strdup ("{\"given_name\":\"Cal\",\"family_name\":\"Clinician\",\"role\":\"owner\",\"active\":true}");
  {
    g_autoptr(JsonNode) up = push_one (fx.clinician_token, "own-1", "staff", fx.clinician_staff, version + 1, promoted);
    g_autoptr(JsonNode) ok = push_one (fx.clinician_token, "own-2", "staff", fx.clinician_staff, version, hours);
    g_autoptr(JsonNode) again = push_one (fx.clinician_token, "own-3", "staff", fx.clinician_staff, version + 1, promoted);
    g_autoptr(JsonNode) del = push_one (fx.clinician_token, "own-4", "staff", fx.clinician_staff, version + 1, NULL);

    /* The role check comes after the version check: stale is a conflict. */
    assert_result (up, "conflict", version);
    assert_result (ok, "applied", version + 1);
    assert_result (again, "rejected", 0);
    g_assert_cmpstr (test_json_string (again, "error.code"), ==, "forbidden");
    assert_result (del, "rejected", 0);
  }
  /* Not someone else's. */
  other = g_strdup ("{\"given_name\":\"Olive\",\"family_name\":\"Owner\",\"role\":\"owner\",\"active\":true}");
  {
    g_autofree char *owner_staff = NULL;
    g_autoptr(TestResponse) accounts = test_request (session, server, "GET", "/v1/accounts", fx.owner_token, NULL);
    JsonArray *list = json_node_get_array (test_json_get (accounts->json, "accounts"));
    g_autoptr(JsonNode) r = NULL;

    for (guint i = 0; i < json_array_get_length (list); i++)
      if (g_strcmp0 (test_json_string (json_array_get_element (list, i), "email"), "owner@a.example") == 0)
        owner_staff = g_strdup (test_json_string (json_array_get_element (list, i), "staff_id"));
    r = push_one (fx.clinician_token, "own-5", "staff", owner_staff, 1, other);
    assert_result (r, "rejected", 0);
    g_assert_cmpstr (test_json_string (r, "error.code"), ==, "forbidden");
  }
}

/* A clinical record, as the notes issue will add them: written straight
 * into the table (core has no note type yet), then read by each role. */
static void
test_roles_read (void)
{
  g_autofree char *note = new_id ();
  g_autofree char *sql = g_strdup_printf ("WITH s AS (UPDATE practice SET seq = seq + 1 WHERE id = '%s' RETURNING seq)"
                                          " INSERT INTO record (practice_id, type, id, version, seq, body)"
                                          " SELECT '%s', 'note', '%s', 1, s.seq, '{\"text\":\"clinical\"}' FROM s",
                                          fx.practice_a, fx.practice_a, note);
  const char *clinical[] = { fx.owner_token, fx.clinician_token };

  PQclear (test_pg_exec (pg, sql));
  for (guint i = 0; i < G_N_ELEMENTS (clinical); i++)
    {
      g_autofree char *body = feed_body (clinical[i], note);

      g_assert_cmpstr (body, ==, "{\"text\":\"clinical\"}");
    }
  /* The front desk never learns it exists; a biller sees that it exists
   * (the record policy's redacted read), and none of what it says. */
  {
    g_autoptr(GHashTable) feed = read_feed (fx.front_desk_token, 2, NULL);
    g_autofree char *body = feed_body (fx.biller_token, note);

    g_assert_false (g_hash_table_contains (feed, note));
    g_assert_true (g_hash_table_contains (feed, fx.practice_a));
    g_assert_cmpstr (body, ==, "{}");
  }
  /* The front desk may not write one; a clinician's must be a valid note. */
  {
    g_autoptr(JsonNode) r = push_one (fx.front_desk_token, "note-1", "note", note, 1, "{\"text\":\"x\"}");

    assert_result (r, "rejected", 0);
    g_assert_cmpstr (test_json_string (r, "error.code"), ==, "forbidden");
  }
  {
    g_autoptr(JsonNode) r = push_one (fx.clinician_token, "note-2", "note", note, 1, "{\"text\":\"x\"}");

    assert_result (r, "rejected", 0);
    g_assert_cmpstr (test_json_string (r, "error.code"), ==, "invalid");
  }
}

/* Tenants */

static void
test_tenant_isolation (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonNode) a = push_one (fx.owner_token, "tenant-op", "client", id, 0, client_body ());
  g_autoptr(GHashTable) feed_b = NULL;
  g_autoptr(GHashTable) feed_a = NULL;

  assert_result (a, "applied", 1);
  /* Guessing the id from the other practice, even with the same op_id: no
   * stored answer and no copy comes back ... */
  {
    g_autoptr(JsonNode) guess = push_one (fx.owner_b_token, "tenant-op", "client", id, 1, client_body ());

    assert_result (guess, "conflict", 0);
    g_assert_null (test_json_get (guess, "server_record"));
  }
  /* ... and writing it makes practice B a record of its own. */
  {
    g_autoptr(JsonNode) own = push_one (fx.owner_b_token, "tenant-2", "client", id, 0,
                                        "{\"legal_given\":\"Bee\",\"legal_family\":\"Person\",\"status\":\"active\"}");

    assert_result (own, "applied", 1);
  }
  feed_a = read_feed (fx.owner_token, 1000, NULL);
  feed_b = read_feed (fx.owner_b_token, 1000, NULL);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (feed_a, id)), ==, 1);
  g_assert_false (g_hash_table_contains (feed_b, fx.practice_a));
  g_assert_true (g_hash_table_contains (feed_b, fx.practice_b));
  /* Nothing of A's is in B's feed but the id B chose itself. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, feed_b);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_assert_true (g_strcmp0 (key, id) == 0 || !g_hash_table_contains (feed_a, key));
  }
}

/* Scheduling */

/* @extra: more members, or NULL for a plain scheduled appointment. */
static char *
appointment_body (const char *clinician,
                  const char *room,
                  const char *start,
                  const char *end,
                  const char *extra)
{
  g_autofree char *room_part = room != NULL ? g_strdup_printf (",\"room_id\":\"%s\"", room) : g_strdup ("");

  return g_strdup_printf ("{\"kind\":\"blocked\",\"clinician_id\":\"%s\"%s,\"modality\":\"in_person\","
                          "\"start\":\"%s\",\"end\":\"%s\"%s}",
                          clinician, room_part, start, end,
                          extra != NULL ? extra : ",\"status\":\"scheduled\"");
}

static void
test_double_booking (void)
{
  g_autofree char *room = new_id ();
  g_autofree char *other_clinician = new_id ();
  g_autofree char *a1 = new_id (), *a2 = new_id (), *a3 = new_id (), *a4 = new_id (), *a5 = new_id ();
  g_autofree char *b1 = appointment_body (fx.clinician_staff, room, "2030-05-06T15:00:00Z", "2030-05-06T16:00:00Z", NULL);
  g_autofree char *b2 = appointment_body (fx.clinician_staff, NULL, "2030-05-06T15:30:00Z", "2030-05-06T16:00:00Z", NULL);
  g_autofree char *b3 = appointment_body (other_clinician, room, "2030-05-06T15:45:00Z", "2030-05-06T16:15:00Z", NULL);
  g_autofree char *b4 = appointment_body (other_clinician, NULL, "2030-05-06T15:00:00Z", "2030-05-06T16:00:00Z", NULL);
  g_autofree char *b1_cancelled = appointment_body (fx.clinician_staff, room, "2030-05-06T15:00:00Z", "2030-05-06T16:00:00Z",
                                                    ",\"status\":\"cancelled\",\"cancel_reason\":\"ill\"");
  g_autofree char *b5 = appointment_body (fx.clinician_staff, NULL, "2030-05-06T16:00:00Z", "2030-05-06T17:00:00Z", NULL);
  g_autofree char *override = NULL;
  g_autoptr(JsonNode) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r1c = NULL, r2b = NULL, r5 = NULL, r5o = NULL;
  g_autoptr(JsonNode) room_r = NULL;

  room_r = push_one (fx.owner_token, "dbl-room", "room", room, 0, "{\"name\":\"Room 2\"}");
  assert_result (room_r, "applied", 1);

  r1 = push_one (fx.front_desk_token, "dbl-1", "appointment", a1, 0, b1);
  assert_result (r1, "applied", 1);
  /* Same clinician, overlapping. */
  r2 = push_one (fx.front_desk_token, "dbl-2", "appointment", a2, 0, b2);
  assert_result (r2, "rejected", 0);
  g_assert_cmpstr (test_json_string (r2, "error.code"), ==, "double_booked");
  g_assert_cmpstr (test_json_string (r2, "error.conflicts.0"), ==, a1);
  /* Same room, another clinician. */
  r3 = push_one (fx.front_desk_token, "dbl-3", "appointment", a3, 0, b3);
  assert_result (r3, "rejected", 0);
  /* Another clinician, no room: fine. */
  r4 = push_one (fx.front_desk_token, "dbl-4", "appointment", a4, 0, b4);
  assert_result (r4, "applied", 1);
  /* Back to back is not overlapping. */
  r5 = push_one (fx.front_desk_token, "dbl-5", "appointment", a5, 0, b5);
  assert_result (r5, "applied", 1);

  /* Cancelled, the first one no longer holds the time. */
  r1c = push_one (fx.front_desk_token, "dbl-6", "appointment", a1, 1, b1_cancelled);
  assert_result (r1c, "applied", 2);
  r2b = push_one (fx.front_desk_token, "dbl-7", "appointment", a2, 0, b2);
  assert_result (r2b, "applied", 1);

  /* An override recorded in the appointment lets the front desk book over
   * a conflict; a clinician may not. */
  override = appointment_body (fx.clinician_staff, NULL, "2030-05-06T15:30:00Z", "2030-05-06T16:30:00Z",
                               ",\"status\":\"scheduled\",\"override\":{\"conflict\":true,\"by\":\"6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01\",\"reason\":\"urgent\"}");
  {
    g_autofree char *a6 = new_id ();
    g_autofree char *a7 = new_id ();
    g_autoptr(JsonNode) by_clinician = push_one (fx.clinician_token, "dbl-8", "appointment", a6, 0, override);

    assert_result (by_clinician, "rejected", 0);
    g_assert_cmpstr (test_json_string (by_clinician, "error.code"), ==, "double_booked");
    r5o = push_one (fx.front_desk_token, "dbl-9", "appointment", a7, 0, override);
    assert_result (r5o, "applied", 1);
  }
}

/* Bad input */

static void
test_bad_requests (void)
{
  struct
  {
    const char *method;
    const char *path;
    const char *token_kind;
    const char *body;
    guint       status;
    const char *code;
  } cases[] = {
    { "POST", "/v1/push", "owner", "{\"ops\":[", 400, "invalid_json" },
    { "POST", "/v1/push", "owner", "", 400, "invalid_json" },
    { "POST", "/v1/push", "owner", "[]", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":{}}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":[]}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":[42]}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":[{\"op_id\":7}]}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":[{\"op_id\":\"x\",\"type\":\"client\",\"id\":\"not-a-uuid\",\"base_version\":0,\"body\":{}}]}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":[{\"op_id\":\"x\",\"type\":\"client\",\"id\":\"6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01\",\"base_version\":\"1\",\"body\":{}}]}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "{\"ops\":[{\"op_id\":\"x\",\"type\":\"client\",\"id\":\"6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01\",\"base_version\":0}]}", 400, "invalid_request" },
    { "POST", "/v1/push", "owner", "\xff\xfe", 400, "invalid_json" },
    /* json-glib reads \345 as an octal escape (a byte that is not UTF-8),
     * here in a member no field covers, kept as it came: found by fuzz-push. */
    { "POST", "/v1/push", "owner", "{\"ops\":[{\"op_id\":\"x\",\"type\":\"client\",\"id\":\"6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01\",\"base_version\":0,\"body\":{\"legal_given\":\"Ana\",\"legal_family\":\"Ruiz\",\"x\":\"12\\34567\"}}]}", 400, "invalid_json" },
    { "POST", "/v1/push", "owner", "{\"ops\":[{\"op_id\":\"x\\345\",\"type\":\"client\"}]}", 400, "invalid_json" },
    { "POST", "/v1/session", NULL, "{\"email\":1,\"password\":\"x\"}", 400, "invalid_request" },
    { "POST", "/v1/session", NULL, "{\"email\":\"a@b.example\"}", 400, "invalid_request" },
    { "POST", "/v1/session", NULL, "nonsense", 400, "invalid_json" },
    { "GET", "/v1/changes?limit=0", "owner", NULL, 400, "invalid_request" },
    { "GET", "/v1/changes?limit=abc", "owner", NULL, 400, "invalid_request" },
    { "GET", "/v1/changes?limit=1000000", "owner", NULL, 400, "invalid_request" },
    { "GET", "/v1/nothing", NULL, NULL, 404, "not_found" },
    { "PUT", "/v1/changes", "owner", NULL, 405, "method_not_allowed" },
    { "POST", "/v1/push", NULL, "{\"ops\":[]}", 401, "unauthorized" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TestResponse) r = test_request (session, server, cases[i].method, cases[i].path,
                                                cases[i].token_kind != NULL ? fx.owner_token : NULL, cases[i].body);

      if (r->status != cases[i].status)
        g_error ("case %u (%s %s): %u %s", i, cases[i].method, cases[i].path, r->status, r->body);
      g_assert_nonnull (r->json);
      g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, cases[i].code);
      g_assert_nonnull (test_json_string (r->json, "error.message"));
    }

  /* Nested too deep for a recursive parser. */
  {
    GString *deep = g_string_new ("{\"ops\":");
    g_autoptr(TestResponse) r = NULL;

    for (int i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    r = test_request (session, server, "POST", "/v1/push", fx.owner_token, deep->str);
    g_assert_cmpuint (r->status, ==, 400);
    g_string_free (deep, TRUE);
  }
  /* Over the body limit (8 MiB). */
  {
    gsize size = 9 * 1024 * 1024;
    g_autofree char *big = g_malloc (size + 1);
    g_autoptr(TestResponse) r = NULL;

    memset (big, ' ', size);
    big[size] = '\0';
    r = test_request (session, server, "POST", "/v1/push", fx.owner_token, big);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "body_too_large");
  }
  /* Codec errors name the field; unknown types are refused per operation. */
  {
    g_autofree char *id = new_id ();
    g_autoptr(JsonNode) bad_type = push_one (fx.owner_token, "bad-1", "spaceship", id, 0, "{}");
    g_autoptr(JsonNode) bad_body = push_one (fx.owner_token, "bad-2", "client", id, 0,
                                             "{\"legal_given\":\"A\",\"legal_family\":\"B\",\"status\":\"active\",\"date_of_birth\":\"2001-02-30\"}");
    g_autoptr(JsonNode) wrong_type = push_one (fx.owner_token, "bad-3", "client", id, 0,
                                               "{\"legal_given\":[],\"legal_family\":\"B\",\"status\":\"active\"}");

    assert_result (bad_type, "rejected", 0);
    g_assert_cmpstr (test_json_string (bad_type, "error.code"), ==, "unknown_type");
    assert_result (bad_body, "rejected", 0);
    g_assert_cmpstr (test_json_string (bad_body, "error.code"), ==, "invalid");
    g_assert_true (g_str_has_prefix (test_json_string (bad_body, "error.message"), "Date of birth"));
    assert_result (wrong_type, "rejected", 0);
  }
  /* And the server is still there. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/healthz", NULL, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_healthz_metrics (void)
{
  g_autoptr(TestResponse) health = test_request (session, server, "GET", "/healthz", NULL, NULL);
  g_autoptr(TestResponse) metrics = NULL;

  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (test_json_string (health->json, "status"), ==, "ok");
  metrics = test_request (session, server, "GET", "/metrics", NULL, NULL);
  g_assert_cmpuint (metrics->status, ==, 200);
  g_assert_nonnull (strstr (metrics->body, "tend_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"));
  g_assert_nonnull (strstr (metrics->body, "tend_http_requests_total{method=\"POST\",route=\"/v1/push\",status=\"200\"}"));
  g_assert_nonnull (strstr (metrics->body, "# TYPE tend_http_requests_in_flight gauge"));
  {
    /* The eight workers' connections and one per sign-in thread (half the
     * processors by default). */
    g_autofree char *pool = g_strdup_printf ("tend_db_pool_size %u\n", 8 + MAX (1, g_get_num_processors () / 2));

    g_assert_nonnull (strstr (metrics->body, pool));
  }
  g_assert_nonnull (strstr (metrics->body, "tend_http_connections "));
  g_assert_nonnull (strstr (metrics->body, "# TYPE tend_http_request_duration_seconds summary"));
  g_assert_nonnull (strstr (metrics->body, "tend_http_request_duration_seconds_count{route=\"/v1/push\"} "));
  /* Paths and methods as sent never become labels. */
  {
    g_autoptr(TestResponse) odd = test_request (session, server, "DELETE", "/v1/blobs/x%22%0Ay", fx.owner_token, NULL);
    g_autoptr(TestResponse) again = test_request (session, server, "GET", "/metrics", NULL, NULL);

    g_assert_cmpuint (odd->status, ==, 405);
    g_assert_nonnull (strstr (again->body, "route=\"/v1/blobs/\",status=\"405\""));
    g_assert_null (strstr (again->body, "x\""));
  }
}

/* Accounts */

static void
test_accounts (void)
{
  g_autofree char *staff = new_id ();
  g_autofree char *create = g_strdup_printf ("{\"email\":\"new@a.example\",\"name\":\"New Person\",\"role\":\"biller\","
                                             "\"password\":\"" PASSWORD "\",\"staff_id\":\"%s\"}", staff);
  g_autofree char *account_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;

  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/accounts", fx.front_desk_token, NULL);
    g_autoptr(TestResponse) c = test_request (session, server, "POST", "/v1/accounts", fx.clinician_token, create);

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "forbidden");
    g_assert_cmpuint (c->status, ==, 403);
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/accounts", fx.owner_token, NULL);
    JsonArray *accounts;
    gboolean found_owner = FALSE;

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_null (strstr (r->body, "argon2"));
    g_assert_null (strstr (r->body, "b.example"));
    accounts = json_node_get_array (test_json_get (r->json, "accounts"));
    for (guint i = 0; i < json_array_get_length (accounts); i++)
      if (g_strcmp0 (test_json_string (json_array_get_element (accounts, i), "email"), "owner@a.example") == 0)
        found_owner = g_strcmp0 (test_json_string (json_array_get_element (accounts, i), "role"), "owner") == 0;
    g_assert_true (found_owner);
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/accounts", fx.owner_token, create);
    g_autofree char *other_case = g_strdup_printf ("{\"email\":\"NEW@a.example\",\"name\":\"Again\",\"role\":\"biller\","
                                                   "\"password\":\"" PASSWORD "\",\"staff_id\":\"%s\"}", staff);
    g_autoptr(TestResponse) again = test_request (session, server, "POST", "/v1/accounts", fx.owner_token, other_case);
    g_autoptr(TestResponse) other_practice = test_request (session, server, "POST", "/v1/accounts", fx.owner_token,
                                                           "{\"email\":\"owner@b.example\",\"name\":\"X Y\",\"role\":\"biller\","
                                                           "\"password\":\"" PASSWORD "\",\"staff_id\":\"6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01\"}");
    g_autoptr(TestResponse) weak = test_request (session, server, "POST", "/v1/accounts", fx.owner_token,
                                                 "{\"email\":\"weak@a.example\",\"name\":\"X Y\",\"role\":\"biller\","
                                                 "\"password\":\"short\",\"staff_id\":\"6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01\"}");

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_cmpstr (test_json_string (r->json, "role"), ==, "biller");
    g_assert_cmpstr (test_json_string (r->json, "staff_id"), ==, staff);
    account_id = g_strdup (test_json_string (r->json, "id"));
    g_assert_cmpuint (again->status, ==, 409);
    g_assert_cmpstr (test_json_string (again->json, "error.code"), ==, "email_taken");
    g_assert_cmpuint (other_practice->status, ==, 409);
    g_assert_cmpuint (weak->status, ==, 400);
  }
  token = test_login (session, server, "new@a.example", PASSWORD);
  path = g_strdup_printf ("/v1/accounts/%s", account_id);

  /* A new role applies at once, to the sessions already open. */
  {
    g_autofree char *appt = new_id ();
    g_autofree char *body = appointment_body (fx.clinician_staff, NULL, "2032-01-05T09:00:00Z", "2032-01-05T09:30:00Z", NULL);
    g_autoptr(JsonNode) before = push_one (token, "acct-1", "appointment", appt, 0, body);
    g_autoptr(TestResponse) r = test_request (session, server, "PATCH", path, fx.owner_token, "{\"role\":\"front_desk\"}");
    g_autoptr(JsonNode) after = push_one (token, "acct-2", "appointment", appt, 0, body);

    assert_result (before, "rejected", 0);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (test_json_string (r->json, "role"), ==, "front_desk");
    assert_result (after, "applied", 1);
  }
  /* Deactivated: its sessions end and it cannot sign in. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "PATCH", path, fx.owner_token, "{\"active\":false}");
    g_autoptr(TestResponse) feed = test_request (session, server, "GET", "/v1/changes?limit=1", token, NULL);
    g_autoptr(TestResponse) login = test_request (session, server, "POST", "/v1/session", NULL,
                                                  "{\"email\":\"new@a.example\",\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_false (json_node_get_boolean (test_json_get (r->json, "active")));
    g_assert_cmpuint (feed->status, ==, 401);
    g_assert_cmpuint (login->status, ==, 401);
  }
  /* Not one's own role; not another practice's account; only known roles. */
  {
    g_autoptr(TestResponse) own = test_request (session, server, "GET", "/v1/accounts", fx.owner_token, NULL);
    g_autofree char *own_path = NULL;
    JsonArray *accounts = json_node_get_array (test_json_get (own->json, "accounts"));
    g_autoptr(TestResponse) self = NULL;
    g_autoptr(TestResponse) other = NULL;
    g_autoptr(TestResponse) bad = NULL;

    for (guint i = 0; i < json_array_get_length (accounts); i++)
      if (g_strcmp0 (test_json_string (json_array_get_element (accounts, i), "email"), "owner@a.example") == 0)
        own_path = g_strdup_printf ("/v1/accounts/%s", test_json_string (json_array_get_element (accounts, i), "id"));
    g_assert_nonnull (own_path);
    self = test_request (session, server, "PATCH", own_path, fx.owner_token, "{\"role\":\"clinician\"}");
    g_assert_cmpuint (self->status, ==, 400);
    g_assert_cmpstr (test_json_string (self->json, "error.code"), ==, "self_lockout");
    other = test_request (session, server, "PATCH", path, fx.owner_b_token, "{\"active\":true}");
    g_assert_cmpuint (other->status, ==, 404);
    bad = test_request (session, server, "PATCH", path, fx.owner_token, "{\"role\":\"admin\"}");
    g_assert_cmpuint (bad->status, ==, 400);
  }
}

/* Documents */

static void
test_blobs (void)
{
  static const guint8 data[] = { 0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x00, 0x0a, 0x7f };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *path = NULL;
  const char *hex;

  g_checksum_update (sum, data, sizeof data);
  hex = g_checksum_get_string (sum);
  path = g_strdup_printf ("/v1/blobs/%s", hex);
  {
    g_autoptr(TestResponse) put = test_request_bytes (session, server, "PUT", path, fx.front_desk_token, bytes);
    g_autoptr(TestResponse) again = test_request_bytes (session, server, "PUT", path, fx.owner_token, bytes);

    g_assert_cmpuint (put->status, ==, 201);
    g_assert_cmpstr (test_json_string (put->json, "sha256"), ==, hex);
    g_assert_cmpint (test_json_int (put->json, "size"), ==, sizeof data);
    /* Idempotent. */
    g_assert_cmpuint (again->status, ==, 200);
  }
  /* No record names it yet: nobody may fetch it. */
  {
    g_autoptr(TestResponse) get = test_request (session, server, "GET", path, fx.clinician_token, NULL);

    g_assert_cmpuint (get->status, ==, 404);
  }
  /* A document record names it: a clinician may fetch it, the front desk
   * (which may not read documents) gets the same 404 as for nothing. */
  {
    g_autoptr(TendClient) own = tend_client_new ("Blob", "Owner");
    g_autofree char *client = new_id ();
    g_autofree char *client_body = NULL;
    g_autofree char *doc_id = new_id ();
    g_autoptr(TendDocument) doc = tend_document_new (client, "Scan", "application/pdf", bytes);
    g_autofree char *body = tend_record_to_body_string (TEND_RECORD (doc));
    g_autoptr(JsonNode) pushed = NULL;
    g_autoptr(TestResponse) get = NULL;
    g_autoptr(TestResponse) desk = NULL;

    /* The clinician's own client: documents are chart content. */
    tend_record_set_string (TEND_RECORD (own), "primary_clinician_id", fx.clinician_staff);
    client_body = tend_record_to_body_string (TEND_RECORD (own));
    {
      g_autoptr(JsonNode) made = push_one (fx.clinician_token, "doc-client", "client", client, 0, client_body);

      assert_result (made, "applied", 1);
    }
    pushed = push_one (fx.clinician_token, "doc-1", "document", doc_id, 0, body);

    assert_result (pushed, "applied", 1);
    get = test_request (session, server, "GET", path, fx.clinician_token, NULL);
    g_assert_cmpuint (get->status, ==, 200);
    g_assert_true (g_bytes_equal (get->raw, bytes));
    desk = test_request (session, server, "GET", path, fx.front_desk_token, NULL);
    g_assert_cmpuint (desk->status, ==, 404);
  }
  /* Another practice does not have it, even knowing the hash. */
  {
    g_autoptr(TestResponse) other = test_request (session, server, "GET", path, fx.owner_b_token, NULL);

    g_assert_cmpuint (other->status, ==, 404);
    g_assert_cmpstr (test_json_string (other->json, "error.code"), ==, "not_found");
  }
  /* The bytes must match the name. */
  {
    g_autoptr(GBytes) other = g_bytes_new_static ("not it", 6);
    g_autoptr(TestResponse) r = test_request_bytes (session, server, "PUT", path, fx.owner_token, other);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "hash_mismatch");
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/blobs/ABC", fx.owner_token, NULL);
    g_autoptr(TestResponse) unauth = test_request (session, server, "GET", path, NULL, NULL);
    g_autoptr(TestResponse) missing = test_request (session, server, "GET",
                                                    "/v1/blobs/0000000000000000000000000000000000000000000000000000000000000000",
                                                    fx.owner_token, NULL);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpuint (unauth->status, ==, 401);
    g_assert_cmpuint (missing->status, ==, 404);
  }
}

/* Audit: ids and actions, for reads and writes. */
static void
test_audit (void)
{
  g_autofree char *id = new_id ();
  g_autoptr(JsonNode) r = push_one (fx.owner_token, "audit-1", "client", id, 0, client_body ());
  g_autofree char *sql = g_strdup_printf ("SELECT action, practice_id FROM audit WHERE record_id = '%s'", id);
  PGresult *res;

  g_autoptr(TestResponse) read = test_request (session, server, "GET", "/v1/changes?limit=1", fx.owner_token, NULL);

  assert_result (r, "applied", 1);
  g_assert_cmpuint (read->status, ==, 200);
  res = test_pg_exec (pg, sql);
  g_assert_cmpint (PQntuples (res), ==, 1);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "push-applied");
  g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, fx.practice_a);
  PQclear (res);
  /* The last read: one change on a page of one, by this account. */
  res = test_pg_exec (pg, "SELECT detail, account_id IS NOT NULL FROM audit WHERE action = 'read-changes'"
                          " ORDER BY id DESC LIMIT 1");
  g_assert_cmpint (PQntuples (res), ==, 1);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "after=0 n=1");
  g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "t");
  PQclear (res);
  /* No body text in the audit table. */
  res = test_pg_exec (pg, "SELECT count (*) FROM audit WHERE detail LIKE '%Test%' OR detail LIKE '%Person%'");
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "0");
  PQclear (res);
}

/* After everything else: nothing the tests sent is in the server's log. */
static void
test_logs (void)
{
  g_autofree char *log = test_server_get_log (server);
  const char *secrets[] = {
    PASSWORD, fx.owner_token, fx.clinician_token, fx.front_desk_token, fx.biller_token,
    "owner@a.example", "clinician@a.example", "Riverbend", "Olive", "Person", "Test", "Tess", "Edited",
    "legal_given", "date_of_birth", "Room 2", "urgent", "clinical",
  };

  g_test_message ("the server's log: %u bytes", (guint) strlen (log));
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (strstr (log, secrets[i]) != NULL)
      g_error ("the server's log holds “%s”:\n%s", secrets[i], log);
}

/* Last: it exhausts the failures allowed from 127.0.0.1. */
static void
test_login_rate_limit_address (void)
{
  guint limited_after = 0;

  for (guint i = 0; i < 30 && limited_after == 0; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"email\":\"nobody%u@a.example\",\"password\":\"wrong\"}", i);
      g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, body);

      if (r->status == 429)
        limited_after = i + 1;
      else
        g_assert_cmpuint (r->status, ==, 401);
    }
  /* Every email was different: the address limit (20) stopped them. */
  g_assert_cmpuint (limited_after, >, 0);
  g_assert_cmpuint (limited_after, <=, 21);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL,
                                              "{\"email\":\"owner@a.example\",\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 429);
  }
  /* This server trusts no proxy: a forwarded address changes nothing. */
  {
    g_autoptr(SoupSession) spoofing = test_session_new ();
    g_autoptr(TestResponse) r = NULL;

    test_session_set_header (spoofing, "X-Forwarded-For", "203.0.113.99");
    r = test_request (spoofing, server, "POST", "/v1/session", NULL,
                      "{\"email\":\"owner@a.example\",\"password\":\"" PASSWORD "\"}");
    g_assert_cmpuint (r->status, ==, 429);
  }
}

/* Behind a trusted proxy (--trusted-proxies), the sign-in limit counts the
 * address the proxy saw, not the proxy's: one client's failures do not shut
 * out the rest of the practice, and what a client puts in the header itself
 * does not get it round its own limit. */
static void
test_login_rate_limit_behind_proxy (void)
{
  TestServer *proxied = test_server_start (pg, "--trusted-proxies", "127.0.0.1,::1", NULL);
  g_autoptr(SoupSession) client = test_session_new ();
  guint limited_after = 0;

  test_session_set_header (client, "X-Forwarded-For", "203.0.113.5");
  for (guint i = 0; i < 30 && limited_after == 0; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"email\":\"proxied%u@a.example\",\"password\":\"wrong\"}", i);
      g_autoptr(TestResponse) r = test_request (client, proxied, "POST", "/v1/session", NULL, body);

      if (r->status == 429)
        limited_after = i + 1;
      else
        g_assert_cmpuint (r->status, ==, 401);
    }
  g_assert_cmpuint (limited_after, >, 0);
  g_assert_cmpuint (limited_after, <=, 21);
  {
    g_autoptr(TestResponse) r = NULL;

    /* Another computer behind the same proxy signs in. */
    test_session_set_header (client, "X-Forwarded-For", "203.0.113.6");
    r = test_request (client, proxied, "POST", "/v1/session", NULL,
                      "{\"email\":\"owner@a.example\",\"password\":\"" PASSWORD "\"}");
    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(TestResponse) r = NULL;

    /* The limited one writes another address first: the proxy's hop wins. */
    test_session_set_header (client, "X-Forwarded-For", "192.0.2.1, 203.0.113.5");
    r = test_request (client, proxied, "POST", "/v1/session", NULL,
                      "{\"email\":\"owner@a.example\",\"password\":\"" PASSWORD "\"}");
    g_assert_cmpuint (r->status, ==, 429);
  }
  test_server_stop (proxied);
}

/* The code an authenticator shows now for a base32 secret. */
static char *
authenticator_code (const char *secret32,
                    gint        steps_off)
{
  gsize len = 0;
  g_autofree guint8 *secret = tend_base32_decode (secret32, &len);
  guint64 counter = (guint64) (g_get_real_time () / G_USEC_PER_SEC / TEND_TOTP_STEP + steps_off);

  g_assert_nonnull (secret);
  return g_strdup_printf ("%06u", tend_hotp_code (secret, len, counter, TEND_TOTP_DIGITS));
}

/* A person turns their own second factor on and off: the password again
 * to start and to stop, a right code before it counts, and then sign-in
 * asks for it. */
static void
test_totp_self_service (void)
{
  const char *token = fx.biller_token;
  g_autofree char *secret = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *body = NULL;

  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/me/totp", token, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (r->json), "enabled"));
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/me/totp/confirm", token, "{\"code\":\"123456\"}");

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "no_pending_totp");
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/me/totp", token, "{\"password\":\"not it\"}");

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_credentials");
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/me/totp", token,
                                              "{\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 200);
    secret = g_strdup (test_json_string (r->json, "secret"));
    g_assert_cmpuint (strlen (secret), ==, 32);
    g_assert_true (g_str_has_prefix (test_json_string (r->json, "uri"), "otpauth://totp/Tend:biller@a.example?secret="));
  }
  /* Not on until a right code comes back. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/me/totp", token, NULL);

    g_assert_false (json_object_get_boolean_member (json_node_get_object (r->json), "enabled"));
  }
  code = authenticator_code (secret, 0);
  wrong = authenticator_code (secret, 5);
  body = g_strdup_printf ("{\"code\":\"%s\"}", wrong);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/me/totp/confirm", token, body);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_totp");
  }
  g_free (body);
  body = g_strdup_printf ("{\"code\":\"%s\"}", code);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/me/totp/confirm", token, body);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL,
                                              "{\"email\":\"biller@a.example\",\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "totp_required");
  }
  /* The code that turned it on is spent; the next step's code works. */
  g_free (body);
  body = g_strdup_printf ("{\"email\":\"biller@a.example\",\"password\":\"" PASSWORD "\",\"totp\":\"%s\"}", code);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, body);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_totp");
  }
  g_free (code);
  code = authenticator_code (secret, 1);
  g_free (body);
  body = g_strdup_printf ("{\"email\":\"biller@a.example\",\"password\":\"" PASSWORD "\",\"totp\":\"%s\"}", code);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, body);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/me/totp", token,
                                              "{\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "totp_enabled");
  }

  /* Off: the password and a right code. */
  g_free (body);
  body = g_strdup_printf ("{\"password\":\"" PASSWORD "\",\"code\":\"%s\"}", wrong);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "DELETE", "/v1/me/totp", token, body);

    g_assert_cmpuint (r->status, ==, 400);
  }
  g_free (body);
  body = g_strdup_printf ("{\"password\":\"" PASSWORD "\",\"code\":\"%s\"}", code);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "DELETE", "/v1/me/totp", token, body);

    /* Spent by the sign-in above. */
    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "invalid_totp");
  }
  /* As if a minute had passed: the same code's step is new again. */
  PQclear (test_pg_exec (pg, "UPDATE account SET totp_last_step = totp_last_step - 2 WHERE email = 'biller@a.example'"));
  {
    g_autoptr(TestResponse) r = test_request (session, server, "DELETE", "/v1/me/totp", token, body);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL,
                                              "{\"email\":\"biller@a.example\",\"password\":\"" PASSWORD "\"}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    PGresult *res = test_pg_exec (pg, "SELECT count (*) FROM audit WHERE action IN ('enable-totp', 'disable-totp')"
                                      " AND record_type = 'account' AND record_id = account_id::text");

    /* Each by the person, on their own account (the admin command's is not). */
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "2");
    PQclear (res);
  }
}

static void
setup (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) clinician = NULL;

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  b = test_admin (pg, PASSWORD, "create-practice", "--name", "Lakeside Therapy", "--time-zone", "Europe/Berlin",
                  "--owner-email", "owner@b.example", "--owner-name", "Bea Owner", NULL);
  fx.practice_a = g_strdup (test_json_string (a, "practice_id"));
  fx.practice_b = g_strdup (test_json_string (b, "practice_id"));
  clinician = test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a, "--email", "clinician@a.example",
                          "--name", "Cal Clinician", "--role", "clinician", NULL);
  fx.clinician_staff = g_strdup (test_json_string (clinician, "staff_id"));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a, "--email", "desk@a.example",
                               "--name", "Dee Desk", "--role", "front_desk", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a, "--email", "biller@a.example",
                               "--name", "Bill Biller", "--role", "biller", NULL));

  server = test_server_start (pg, NULL);
  short_server = test_server_start (pg, "--token-lifetime", "2", NULL);
  session = test_session_new ();
  fx.owner_token = test_login (session, server, "owner@a.example", PASSWORD);
  fx.owner_b_token = test_login (session, server, "owner@b.example", PASSWORD);
  fx.clinician_token = test_login (session, server, "clinician@a.example", PASSWORD);
  fx.front_desk_token = test_login (session, server, "desk@a.example", PASSWORD);
  fx.biller_token = test_login (session, server, "biller@a.example", PASSWORD);
}

static void
teardown (void)
{
  g_clear_object (&session);
  test_server_stop (server);
  test_server_stop (short_server);
  test_pg_stop (pg);
  g_free (fx.practice_a);
  g_free (fx.practice_b);
  g_free (fx.owner_token);
  g_free (fx.owner_b_token);
  g_free (fx.clinician_token);
  g_free (fx.clinician_staff);
  g_free (fx.front_desk_token);
  g_free (fx.biller_token);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/session/login", test_login_ok);
  g_test_add_func ("/server/session/bad-credentials", test_login_bad);
  g_test_add_func ("/server/session/rate-limit-account", test_login_rate_limit);
  g_test_add_func ("/server/session/logout", test_logout);
  g_test_add_func ("/server/session/expiry", test_token_expiry);
  g_test_add_func ("/server/session/totp", test_totp_login);
  g_test_add_func ("/server/push/applied-and-conflict", test_push_applied_conflict);
  g_test_add_func ("/server/push/idempotent-retry", test_push_idempotent_retry);
  g_test_add_func ("/server/push/delete-edit-race", test_delete_edit_race);
  g_test_add_func ("/server/changes/concurrent-writers", test_concurrent_writers_reader);
  g_test_add_func ("/server/changes/gone", test_cursor_gone);
  g_test_add_func ("/server/roles/write", test_roles_write);
  g_test_add_func ("/server/roles/read", test_roles_read);
  g_test_add_func ("/server/roles/own-profile", test_roles_own_profile);
  g_test_add_func ("/server/tenants/isolation", test_tenant_isolation);
  g_test_add_func ("/server/schedule/double-booking", test_double_booking);
  g_test_add_func ("/server/http/bad-requests", test_bad_requests);
  g_test_add_func ("/server/http/healthz-metrics", test_healthz_metrics);
  g_test_add_func ("/server/accounts/manage", test_accounts);
  g_test_add_func ("/server/blobs/put-get", test_blobs);
  g_test_add_func ("/server/audit/ids-only", test_audit);
  /* GTest runs suites in the order they were first named: this one last. */
  g_test_add_func ("/server/session/rate-limit-behind-proxy", test_login_rate_limit_behind_proxy);
  g_test_add_func ("/server/session/totp-self-service", test_totp_self_service);
  g_test_add_func ("/server/last/rate-limit-address", test_login_rate_limit_address);
  g_test_add_func ("/server/last/logs", test_logs);

  setup ();
  rc = g_test_run ();
  teardown ();
  return rc;
}
