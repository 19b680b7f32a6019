/* test-sync-store.c: the store's side of sync, fed the server's answers
 * directly (tests/sync runs the same paths against a real tend-server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store-test-util.h"
#include "tend-sync-store.h"

typedef struct
{
  StoreFixture f;
  TendStore   *store;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  store_test_setup (&fx->f, data);
  fx->store = store_test_open (&fx->f);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->store);
  store_test_teardown (&fx->f, data);
}

static gint64
count (Fixture    *fx,
       const char *sql)
{
  return store_test_query_int (&fx->f, sql);
}

/* A client body as the server would send it. */
static char *
client_body (const char *given,
             const char *family,
             const char *email)
{
  g_autoptr(TendClient) c = tend_client_new (given, family);

  tend_record_set_string (TEND_RECORD (c), "email", email);
  return tend_record_to_body_string (TEND_RECORD (c));
}

static void
apply (Fixture        *fx,
       TendSyncChange *change,
       const char     *cursor,
       TendSyncStats  *stats)
{
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (page, change);
  g_assert_true (tend_store_sync_apply_page (fx->store, page, cursor, FALSE, stats, &error));
  g_assert_no_error (error);
}

/* A client the server has at version 1, received here. */
static char *
synced_client (Fixture    *fx,
               const char *email)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *body = client_body ("Ana", "Ruiz", email);

  apply (fx, tend_sync_change_new ("client", id, 1, FALSE, body), "c1", NULL);
  return g_steal_pointer (&id);
}

static TendSyncResult *
result (const char         *op_id,
        TendSyncResultKind  kind,
        gint64              version,
        TendSyncChange     *server)
{
  TendSyncResult *r = g_new0 (TendSyncResult, 1);

  r->op_id = g_strdup (op_id);
  r->kind = kind;
  r->version = version;
  r->server = server;
  r->message = kind == TEND_SYNC_RESULT_REJECTED ? g_strdup ("The room is booked then") : NULL;
  return r;
}

static void
finish (Fixture        *fx,
        TendSyncResult *r)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_result_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (results, r);
  g_assert_true (tend_store_sync_finish_push (fx->store, results, NULL, &error));
  g_assert_no_error (error);
}

static GPtrArray *
prepare (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *ops = tend_store_sync_prepare_push (fx->store, 100, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ops);
  return ops;
}

/* Remote records arrive with their version, clean, with no outbox entry;
 * the cursor is kept with them; a second delivery changes nothing; a bad
 * body fails the whole page and leaves the cursor. */
static void
test_apply (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();
  g_autofree char *c = g_uuid_string_random ();
  g_autofree char *body_a = client_body ("Ana", "Ruiz", "ana@example.org");
  g_autofree char *body_b = client_body ("Ben", "Cole", NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;
  TendSyncStats stats = { 0 };

  g_ptr_array_add (page, tend_sync_change_new ("client", a, 3, FALSE, body_a));
  g_ptr_array_add (page, tend_sync_change_new ("client", b, 1, FALSE, body_b));
  g_ptr_array_add (page, tend_sync_change_new ("unheard_of", c, 1, FALSE, "{}"));
  g_assert_true (tend_store_sync_apply_page (fx->store, page, "cursor-1", TRUE, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 2);
  g_assert_cmpuint (stats.skipped, ==, 1);   /* a type this build does not know */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM client WHERE dirty = 0"), ==, 2);
  g_assert_cmpint (count (fx, "SELECT version FROM client WHERE json_extract(body, '$.email') = 'ana@example.org'"), ==, 3);
  g_assert_cmpuint (tend_store_count_outbox (fx->store), ==, 0);
  cursor = tend_store_sync_dup_cursor (fx->store);
  g_assert_cmpstr (cursor, ==, "cursor-1");
  /* Found by search like any client. */
  {
    g_autoptr(GArray) found = tend_store_search_clients (fx->store, "ben", 10, &error);
    g_assert_cmpuint (found->len, ==, 1);
  }

  /* Again: nothing to do. */
  memset (&stats, 0, sizeof stats);
  g_assert_true (tend_store_sync_apply_page (fx->store, page, "cursor-2", FALSE, &stats, &error));
  g_assert_cmpuint (stats.applied, ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 3);

  /* A newer version of A and a broken record: neither is written. */
  g_ptr_array_set_size (page, 0);
  {
    g_autofree char *renamed = client_body ("Anna", "Ruiz", "ana@example.org");

    g_ptr_array_add (page, tend_sync_change_new ("client", a, 4, FALSE, renamed));
    g_ptr_array_add (page, tend_sync_change_new ("client", c, 1, FALSE, "{\"legal_given\": 7}"));
  }
  g_assert_false (tend_store_sync_apply_page (fx->store, page, "cursor-3", FALSE, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpint (count (fx, "SELECT max(version) FROM client"), ==, 3);
  g_free (cursor);
  cursor = tend_store_sync_dup_cursor (fx->store);
  g_assert_cmpstr (cursor, ==, "cursor-2");
}

/* A push batch is written before it is sent: asked again (the response was
 * lost), the same operations with the same op_ids come back; the answer
 * clears the outbox and gives the record the server's version.  Several
 * edits of one record go as one operation. */
static void
test_push_retry (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(TendClient) c = tend_client_new ("Cai", "Long");
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) after = NULL;
  TendSyncOp *op;

  store_test_save (fx->store, TEND_RECORD (c));
  tend_record_set_string (TEND_RECORD (c), "pronouns", "he/him");
  store_test_save (fx->store, TEND_RECORD (c));
  tend_record_set_string (TEND_RECORD (c), "email", "cai@example.org");
  store_test_save (fx->store, TEND_RECORD (c));
  g_assert_cmpuint (tend_store_count_outbox (fx->store), ==, 3);
  g_assert_cmpuint (tend_store_sync_count_waiting (fx->store), ==, 1);

  ops = prepare (fx);
  g_assert_cmpuint (ops->len, ==, 1);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpstr (op->type, ==, "client");
  g_assert_cmpint (op->base_version, ==, 0);
  g_assert_false (op->deleted);
  g_assert_nonnull (strstr (op->body, "cai@example.org"));
  g_assert_nonnull (strstr (op->body, "he/him"));

  again = prepare (fx);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((TendSyncOp *) g_ptr_array_index (again, 0))->op_id, ==, op->op_id);

  /* No pulling while a push is unanswered. */
  {
    g_autoptr(GPtrArray) page = g_ptr_array_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (tend_store_sync_apply_page (fx->store, page, "x", FALSE, NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  }

  finish (fx, result (op->op_id, TEND_SYNC_RESULT_APPLIED, 1, NULL));
  g_assert_cmpuint (tend_store_count_outbox (fx->store), ==, 0);
  g_assert_cmpint (count (fx, "SELECT version FROM client"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT dirty FROM client"), ==, 0);
  after = prepare (fx);
  g_assert_cmpuint (after->len, ==, 0);
}

/* Edited while its push was in flight: the newer edit stays, based on the
 * version the server just gave. */
static void
test_edit_during_push (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(TendClient) c = tend_client_new ("Dee", "Marsh");
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) next = NULL;

  store_test_save (fx->store, TEND_RECORD (c));
  ops = prepare (fx);
  tend_record_set_string (TEND_RECORD (c), "pronouns", "she/her");
  store_test_save (fx->store, TEND_RECORD (c));
  finish (fx, result (((TendSyncOp *) g_ptr_array_index (ops, 0))->op_id, TEND_SYNC_RESULT_APPLIED, 1, NULL));

  g_assert_cmpuint (tend_store_count_outbox (fx->store), ==, 1);
  next = prepare (fx);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_cmpint (((TendSyncOp *) g_ptr_array_index (next, 0))->base_version, ==, 1);
  g_assert_nonnull (strstr (((TendSyncOp *) g_ptr_array_index (next, 0))->body, "she/her"));
}

/* Different fields changed on both sides merge by themselves; the merged
 * record goes back based on the server's version. */
static void
test_merge_fields (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *id = synced_client (fx, "ana@example.org");
  g_autoptr(TendRecord) mine = tend_store_load (fx->store, TEND_TYPE_CLIENT, id, NULL);
  g_autoptr(TendRecord) merged = NULL;
  g_autoptr(TendClient) theirs = tend_client_new ("Ana", "Ruiz");
  g_autofree char *their_body = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  TendSyncStats stats = { 0 };

  tend_record_set_string (mine, "pronouns", "she/her");
  store_test_save (fx->store, mine);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM sync_base"), ==, 1);

  tend_record_set_string (TEND_RECORD (theirs), "email", "ana.ruiz@example.org");
  their_body = tend_record_to_body_string (TEND_RECORD (theirs));
  apply (fx, tend_sync_change_new ("client", id, 2, FALSE, their_body), "c2", &stats);
  g_assert_cmpuint (stats.merged, ==, 1);
  g_assert_cmpuint (stats.conflicts, ==, 0);
  /* A merge is audited as a change to the record. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = 'sync-merge'"
                                            " AND record_type = 'client' AND record_id = '%s'", id);

    g_assert_cmpint (count (fx, sql), ==, 1);
  }

  merged = tend_store_load (fx->store, TEND_TYPE_CLIENT, id, NULL);
  g_assert_cmpstr (tend_record_get_string (merged, "pronouns"), ==, "she/her");
  g_assert_cmpstr (tend_record_get_string (merged, "email"), ==, "ana.ruiz@example.org");
  g_assert_cmpint (tend_record_get_version (merged), ==, 2);

  ops = prepare (fx);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((TendSyncOp *) g_ptr_array_index (ops, 0))->base_version, ==, 2);
  g_assert_nonnull (strstr (((TendSyncOp *) g_ptr_array_index (ops, 0))->body, "ana.ruiz@example.org"));
  g_assert_nonnull (strstr (((TendSyncOp *) g_ptr_array_index (ops, 0))->body, "she/her"));
}

/* The same field changed on both sides: a conflict a person resolves; the
 * record waits until then, keeping the local value meanwhile. */
static void
test_conflict_resolve (Fixture       *fx,
                       gconstpointer  data)
{
  g_autofree char *id = synced_client (fx, "ana@example.org");
  g_autoptr(TendRecord) mine = tend_store_load (fx->store, TEND_TYPE_CLIENT, id, NULL);
  g_autofree char *their_body = client_body ("Ana", "Ruiz", "ruiz@example.net");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(TendRecord) now = NULL;
  g_autoptr(GError) error = NULL;
  TendSyncConflict *c;
  TendSyncStats stats = { 0 };

  tend_record_set_string (mine, "email", "ana.r@example.org");
  store_test_save (fx->store, mine);
  apply (fx, tend_sync_change_new ("client", id, 2, FALSE, their_body), "c2", &stats);
  g_assert_cmpuint (stats.conflicts, ==, 1);

  conflicts = tend_store_sync_list_conflicts (fx->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (c->field, ==, "email");
  g_assert_cmpstr (c->local_value, ==, "\"ana.r@example.org\"");
  g_assert_cmpstr (c->server_value, ==, "\"ruiz@example.net\"");
  now = tend_store_load (fx->store, TEND_TYPE_CLIENT, id, NULL);
  g_assert_cmpstr (tend_record_get_string (now, "email"), ==, "ana.r@example.org");

  held = prepare (fx);
  g_assert_cmpuint (held->len, ==, 0);
  g_assert_cmpuint (tend_store_sync_count_waiting (fx->store), ==, 1);

  /* An edited value that is not an e-mail is refused, and the conflict stays. */
  g_assert_false (tend_store_sync_resolve (fx->store, c->id, "\"not an email\"", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = tend_store_sync_list_conflicts (fx->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);

  g_assert_true (tend_store_sync_resolve (fx->store, c->id, c->server_value, &error));
  g_assert_no_error (error);
  g_assert_no_error (error);
  g_clear_object (&now);
  now = tend_store_load (fx->store, TEND_TYPE_CLIENT, id, NULL);
  g_assert_cmpstr (tend_record_get_string (now, "email"), ==, "ruiz@example.net");
  ops = prepare (fx);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((TendSyncOp *) g_ptr_array_index (ops, 0))->base_version, ==, 2);
}

/* A deletion racing an edit, both ways round, is never decided alone. */
static void
test_delete_races_edit (Fixture       *fx,
                        gconstpointer  data)
{
  g_autofree char *edited_here = synced_client (fx, "one@example.org");
  g_autofree char *deleted_here = synced_client (fx, "two@example.org");
  g_autoptr(TendRecord) one = tend_store_load (fx->store, TEND_TYPE_CLIENT, edited_here, NULL);
  g_autoptr(TendRecord) two = tend_store_load (fx->store, TEND_TYPE_CLIENT, deleted_here, NULL);
  g_autofree char *edited_there = client_body ("Ana", "Ruiz-Vega", "two@example.org");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  TendSyncStats stats = { 0 };

  /* Edited here, deleted there. */
  tend_record_set_string (one, "pronouns", "she/her");
  store_test_save (fx->store, one);
  apply (fx, tend_sync_change_new ("client", edited_here, 2, TRUE, NULL), "c2", &stats);
  /* Deleted here, edited there. */
  g_assert_true (tend_store_delete (fx->store, two, &error));
  apply (fx, tend_sync_change_new ("client", deleted_here, 2, FALSE, edited_there), "c3", &stats);
  g_assert_cmpuint (stats.conflicts, ==, 2);

  conflicts = tend_store_sync_list_conflicts (fx->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 2);
  for (guint i = 0; i < conflicts->len; i++)
    {
      TendSyncConflict *c = g_ptr_array_index (conflicts, i);

      g_assert_cmpstr (c->field, ==, "");
      if (g_strcmp0 (c->record_id, edited_here) == 0)
        {
          g_assert_null (c->server_value);
          g_assert_nonnull (c->local_value);
          /* Keep it: it is pushed again, based on the deletion's version. */
          g_assert_true (tend_store_sync_resolve (fx->store, c->id, c->local_value, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_null (c->local_value);
          g_assert_nonnull (strstr (c->server_value, "Ruiz-Vega"));
          /* Confirm the deletion. */
          g_assert_true (tend_store_sync_resolve (fx->store, c->id, NULL, &error));
          g_assert_no_error (error);
        }
    }
  {
    g_autoptr(GPtrArray) ops = prepare (fx);

    g_assert_cmpuint (ops->len, ==, 2);
    for (guint i = 0; i < ops->len; i++)
      {
        TendSyncOp *op = g_ptr_array_index (ops, i);

        g_assert_cmpint (op->base_version, ==, 2);
        g_assert_cmpint (op->deleted, ==, g_strcmp0 (op->id, deleted_here) == 0);
      }
  }
}

/* Refused by the server: kept, marked, and not sent again by itself. */
static void
test_rejected (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(TendClient) c = tend_client_new ("Eve", "Park");
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) next = NULL;

  store_test_save (fx->store, TEND_RECORD (c));
  ops = prepare (fx);
  finish (fx, result (((TendSyncOp *) g_ptr_array_index (ops, 0))->op_id, TEND_SYNC_RESULT_REJECTED, 0, NULL));
  g_assert_cmpuint (tend_store_sync_count_rejected (fx->store), ==, 1);
  g_assert_cmpuint (tend_store_sync_count_waiting (fx->store), ==, 0);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM client"), ==, 1);
  next = prepare (fx);
  g_assert_cmpuint (next->len, ==, 0);
}

/* A push answered with a conflict merges with the server's copy. */
static void
test_push_conflict (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *id = synced_client (fx, "ana@example.org");
  g_autoptr(TendRecord) mine = tend_store_load (fx->store, TEND_TYPE_CLIENT, id, NULL);
  g_autofree char *theirs = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(TendClient) server = tend_client_new ("Ana", "Ruiz");

  tend_record_set_string (mine, "pronouns", "they/them");
  store_test_save (fx->store, mine);
  ops = prepare (fx);
  tend_record_set_string (TEND_RECORD (server), "email", "ana@example.org");
  tend_record_set_string (TEND_RECORD (server), "preferred_name", "Annie");
  theirs = tend_record_to_body_string (TEND_RECORD (server));
  finish (fx, result (((TendSyncOp *) g_ptr_array_index (ops, 0))->op_id, TEND_SYNC_RESULT_CONFLICT, 0,
                      tend_sync_change_new ("client", id, 5, FALSE, theirs)));
  next = prepare (fx);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_cmpint (((TendSyncOp *) g_ptr_array_index (next, 0))->base_version, ==, 5);
  g_assert_nonnull (strstr (((TendSyncOp *) g_ptr_array_index (next, 0))->body, "Annie"));
  g_assert_nonnull (strstr (((TendSyncOp *) g_ptr_array_index (next, 0))->body, "they/them"));
}

/* After a 410 the store resyncs from the start; what it had from the
 * server but the server no longer sends (restored from a backup) is queued
 * to be sent again, not dropped. */
static void
test_resync (Fixture       *fx,
             gconstpointer  data)
{
  g_autofree char *kept = synced_client (fx, "kept@example.org");
  g_autofree char *lost = synced_client (fx, "lost@example.org");
  g_autofree char *kept_body = client_body ("Ana", "Ruiz", "kept@example.org");
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  g_assert_true (tend_store_sync_start_resync (fx->store, TEND_SYNC_RESYNC_SERVER_LOST, &error));
  cursor = tend_store_sync_dup_cursor (fx->store);
  g_assert_null (cursor);
  g_ptr_array_add (page, tend_sync_change_new ("client", kept, 1, FALSE, kept_body));
  g_assert_true (tend_store_sync_apply_page (fx->store, page, "after-restore", FALSE, NULL, &error));
  g_assert_no_error (error);

  ops = prepare (fx);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpstr (((TendSyncOp *) g_ptr_array_index (ops, 0))->id, ==, lost);
  g_assert_cmpint (((TendSyncOp *) g_ptr_array_index (ops, 0))->base_version, ==, 0);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM sync_seen"), ==, 0);
}

/* After tombstones were purged (410 cursor_expired): what the server no
 * longer sends was deleted there; it is deleted here too, unless it has
 * local edits, which are kept and sent. */
static void
test_resync_deleted (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *kept = synced_client (fx, "kept@example.org");
  g_autofree char *gone = synced_client (fx, "gone@example.org");
  g_autofree char *edited = synced_client (fx, "edited@example.org");
  g_autofree char *kept_body = client_body ("Ana", "Ruiz", "kept@example.org");
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  g_autoptr(TendRecord) mine = tend_store_load (fx->store, TEND_TYPE_CLIENT, edited, NULL);
  g_autoptr(TendRecord) after = NULL;
  g_autoptr(GError) error = NULL;

  tend_record_set_string (mine, "pronouns", "she/her");
  store_test_save (fx->store, mine);
  g_assert_true (tend_store_sync_start_resync (fx->store, TEND_SYNC_RESYNC_DELETED, &error));
  g_ptr_array_add (page, tend_sync_change_new ("client", kept, 1, FALSE, kept_body));
  g_assert_true (tend_store_sync_apply_page (fx->store, page, "after-purge", FALSE, NULL, &error));
  g_assert_no_error (error);

  after = tend_store_load (fx->store, TEND_TYPE_CLIENT, gone, NULL);
  g_assert_true (tend_record_get_deleted (after));
  g_clear_object (&after);
  after = tend_store_load (fx->store, TEND_TYPE_CLIENT, kept, NULL);
  g_assert_false (tend_record_get_deleted (after));
  g_clear_object (&after);
  after = tend_store_load (fx->store, TEND_TYPE_CLIENT, edited, NULL);
  g_assert_false (tend_record_get_deleted (after));
  /* Nothing of the deletion is sent back; the edit is. */
  {
    g_autoptr(GPtrArray) ops = prepare (fx);

    g_assert_cmpuint (ops->len, ==, 1);
    g_assert_cmpstr (((TendSyncOp *) g_ptr_array_index (ops, 0))->id, ==, edited);
  }
}

static guint
found (Fixture    *fx,
       const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = tend_store_search_clients (fx->store, query, 0, &error);

  g_assert_no_error (error);
  return rids->len;
}

static void
fts_intact (Fixture *fx)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_exec (fx->store, "INSERT INTO client_fts (client_fts, rank) VALUES ('integrity-check', 0)", &error));
  g_assert_no_error (error);
}

/* A page's clients are indexed together at its end (one statement), and an
 * edit or a deletion from the server replaces or removes the old terms. */
static void
test_search_batched (Fixture       *fx,
                     gconstpointer  data)
{
  g_autofree char *id = synced_client (fx, "first.address@example.org");
  g_autofree char *renamed = client_body ("Ana", "Quintero", "second.address@example.org");

  g_assert_cmpint (tend_store_search_backlog (fx->store), ==, 0);
  g_assert_cmpuint (found (fx, "first.address"), ==, 1);
  g_assert_cmpuint (found (fx, "ruiz"), ==, 1);

  apply (fx, tend_sync_change_new ("client", id, 2, FALSE, renamed), "c2", NULL);
  g_assert_cmpuint (found (fx, "first.address"), ==, 0);
  g_assert_cmpuint (found (fx, "ruiz"), ==, 0);
  g_assert_cmpuint (found (fx, "second.address"), ==, 1);
  g_assert_cmpuint (found (fx, "quinte"), ==, 1);

  apply (fx, tend_sync_change_new ("client", id, 3, TRUE, NULL), "c3", NULL);
  g_assert_cmpuint (found (fx, "quinte"), ==, 0);
  fts_intact (fx);
}

/* A big first sync leaves the clients out of the index: until it is built
 * they are found by the start of the family name only; a client saved or
 * edited here meanwhile is indexed once, by the build; the build can stop
 * between chunks and go on after the store is reopened. */
static void
test_search_backlog (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) local = tend_client_new ("Lucia", "Backlogged");
  g_autoptr(TendRecord) edited = NULL;
  g_autofree char *first_id = NULL;
  gint64 remaining = -1;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *family = g_strdup_printf ("Family%03u", i);
      g_autofree char *email = g_strdup_printf ("person%03u@example.org", i);
      g_autofree char *body = client_body ("Given", family, email);

      if (i == 0)
        first_id = g_strdup (id);
      g_ptr_array_add (page, tend_sync_change_new ("client", id, 1, FALSE, body));
    }
  g_assert_true (tend_store_sync_apply_page (fx->store, page, "p1", TRUE, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tend_store_search_backlog (fx->store), ==, 600);
  /* The page is audited once, with its count. */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM audit_log WHERE action = 'sync-apply' AND detail = '600'"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM audit_log WHERE action = 'sync-apply'"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM client_fts WHERE client_fts MATCH 'person001'"), ==, 0);
  /* By family name, through the name index, in name order. */
  g_assert_cmpuint (found (fx, "family00"), ==, 10);
  g_assert_cmpuint (found (fx, "Family123"), ==, 1);
  g_assert_cmpuint (found (fx, "person123"), ==, 0);

  /* Written here while the index is behind. */
  store_test_save (fx->store, TEND_RECORD (local));
  edited = tend_store_load (fx->store, TEND_TYPE_CLIENT, first_id, &error);
  g_assert_no_error (error);
  tend_record_set_string (edited, "email", "changed.here@example.org");
  store_test_save (fx->store, edited);
  g_assert_cmpint (tend_store_search_backlog (fx->store), ==, 601);
  g_assert_cmpuint (found (fx, "backlog"), ==, 1);

  /* One chunk, then the store closes. */
  g_assert_true (tend_store_search_catch_up (fx->store, 250, &remaining, &error));
  g_assert_no_error (error);
  g_assert_cmpint (remaining, ==, 351);
  g_assert_cmpuint (found (fx, "person100"), ==, 1);
  g_assert_cmpuint (found (fx, "person300"), ==, 0);
  /* FTS5's automerge is off while the backlog lasts (its segments wait
   * for one merge at the end), in the same transaction as the chunk. */
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'automerge'"), ==, 0);
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'crisismerge'"), ==, 1024);
  store_test_close (&fx->store);
  fx->store = store_test_open (&fx->f);
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'automerge'"), ==, 0);

  g_assert_true (tend_store_search_build (fx->store, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_store_search_backlog (fx->store), ==, 0);
  g_assert_cmpint (tend_store_search_indexed_upto (fx->store, "client"), ==, -1);
  g_assert_cmpuint (found (fx, "person"), ==, 599);
  g_assert_cmpuint (found (fx, "person000"), ==, 0);
  g_assert_cmpuint (found (fx, "changed.here"), ==, 1);
  g_assert_cmpuint (found (fx, "lucia"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM client_fts WHERE client_fts MATCH 'given'"), ==, 600);
  fts_intact (fx);
  /* The last chunk put FTS5's defaults back for the edits to come. */
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'automerge'"), ==, 4);
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'hashsize'"), ==, 1024 * 1024);
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'crisismerge'"), ==, 16);

  /* After it, edits are indexed as they are written again. */
  tend_record_set_string (edited, "email", "after.build@example.org");
  store_test_save (fx->store, edited);
  g_assert_cmpuint (found (fx, "changed.here"), ==, 0);
  g_assert_cmpuint (found (fx, "after.build"), ==, 1);
  fts_intact (fx);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the clients @query finds in @store, sorted. */
static char *
found_ids (TendStore  *store,
           const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = tend_store_search_clients (store, query, 0, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rids->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT id FROM client WHERE rid = %" G_GINT64_FORMAT,
                                              g_array_index (rids, gint64, i));
      sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, &error);

      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
  g_ptr_array_sort (ids, compare_strings);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s ", (char *) ids->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The index built after the rows, in many small chunks (more segments than
 * FTS5's crisis merge would have let wait: 1,024 while catching up, then
 * its 16 again), finds exactly what the index the triggers built row by
 * row finds, for every word, start of a word and pair of words. */
static void
test_search_bulk_as_per_record (Fixture       *fx,
                                gconstpointer  data)
{
  static const char * const given[] = { "José", "Zoë", "Ann", "Annabel", "Siobhán", "Kit", "Maxwell", "Dmitri" };
  static const char * const family[] = { "García", "Müller", "Smith", "Smithers", "O'Brien", "Doyle", "Quinn",
                                         "Nakamura", "Okafor", "Kowalski", "Lindqvist" };
  g_autofree char *path = g_build_filename (fx->f.dir, "per-record.db", NULL);
  g_autoptr(TendStore) per_record = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 remaining = -1;
  guint chunks = 0, compared = 0;

  per_record = tend_store_open (path, fx->f.key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (tend_store_search_defer (fx->store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(TendClient) c = tend_client_new (given[i % G_N_ELEMENTS (given)],
                                                 family[(i / 3) % G_N_ELEMENTS (family)]);
      g_autofree char *email = g_strdup_printf ("%s%u@example.org", i % 2 ? "person" : "client.mail", i);
      g_autofree char *phone = g_strdup_printf ("608-555-%04u", i * 7 % 10000);

      tend_record_set_string (TEND_RECORD (c), "email", email);
      tend_record_set_string (TEND_RECORD (c), "phone_mobile", phone);
      if (i % 5 == 0)
        tend_record_set_string (TEND_RECORD (c), "preferred_name", "Bel");
      store_test_save (fx->store, TEND_RECORD (c));
      store_test_save (per_record, TEND_RECORD (c));
    }
  g_assert_cmpint (tend_store_search_backlog (fx->store), ==, 400);
  g_assert_cmpint (tend_store_search_backlog (per_record), ==, 0);

  do
    {
      g_assert_true (tend_store_search_catch_up (fx->store, 7, &remaining, &error));
      g_assert_no_error (error);
      if (++chunks == 20)
        {
          /* Past FTS5's crisis merge of 16 segments, they still wait. */
          g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'crisismerge'"), ==, 1024);
          g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'automerge'"), ==, 0);
        }
    }
  while (remaining > 0);
  g_assert_cmpuint (chunks, ==, 58);
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'crisismerge'"), ==, 16);
  g_assert_cmpint (count (fx, "SELECT v FROM client_fts_config WHERE k = 'automerge'"), ==, 4);
  fts_intact (fx);

  for (guint i = 0; i < G_N_ELEMENTS (given); i++)
    g_ptr_array_add (words, g_strdup (given[i]));
  for (guint i = 0; i < G_N_ELEMENTS (family); i++)
    g_ptr_array_add (words, g_strdup (family[i]));
  g_ptr_array_add (words, g_strdup ("person1"));
  g_ptr_array_add (words, g_strdup ("client.mail"));
  g_ptr_array_add (words, g_strdup ("example.org"));
  g_ptr_array_add (words, g_strdup ("555"));
  g_ptr_array_add (words, g_strdup ("608-555-01"));
  g_ptr_array_add (words, g_strdup ("Bel"));
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = words->pdata[i];
      glong n = g_utf8_strlen (word, -1);

      for (glong k = 1; k <= n; k++)
        {
          g_autofree char *prefix = g_utf8_substring (word, 0, k);
          g_autofree char *pair = g_strdup_printf ("%s %s", prefix, (char *) words->pdata[(i + 3) % words->len]);
          g_autofree char *bulk = found_ids (fx->store, prefix);
          g_autofree char *one_by_one = found_ids (per_record, prefix);
          g_autofree char *bulk_pair = found_ids (fx->store, pair);
          g_autofree char *one_by_one_pair = found_ids (per_record, pair);

          g_assert_cmpstr (bulk, ==, one_by_one);
          g_assert_cmpstr (bulk_pair, ==, one_by_one_pair);
          compared += *bulk != '\0';
        }
    }
  /* Most of those searches find someone. */
  g_assert_cmpuint (compared, >, 100);
}

/* A child process writes clients in transactions of 200, then edits each
 * it wrote, and is killed without warning in the middle of it.  On
 * reopening, every transaction is there whole or not at all: each client
 * has an outbox entry for each of its saves and each entry names a client
 * (the entry holds no copy of the body: the row is what is pushed), the
 * audit chain is intact, and a push sends each client once, with its
 * current row, and clears exactly the entries it sent.  With data set,
 * the child first sets the outbox's and the audit log's indexes aside, as
 * the demo does (tend_store_index_defer ()): reopening makes them again
 * before anything reads the store, and the same holds. */
#define KILL_BATCH 200

static const char * const kill_deferred[] = { "outbox_record", "audit_record", "audit_detail", NULL };

static void
test_kill_during_long_write (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int fds[2];
  pid_t pid;
  int last = -1, status = 0;
  gint64 clients, entries, edited, n_rows = 0, bad = -1;
  guint pushed = 0;
  gboolean deferred = data != NULL;
  g_autoptr(GPtrArray) index_sql = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; kill_deferred[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = '%s'",
                                              kill_deferred[i]);

      g_ptr_array_add (index_sql, store_test_query_text (&fx->f, sql));
      g_assert_nonnull (index_sql->pdata[i]);
    }
  store_test_close (&fx->store);
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      TendStore *child;

      close (fds[0]);
      child = tend_store_open (fx->f.path, fx->f.key, TEND_STORE_OPEN_NONE, NULL);
      if (child == NULL)
        _exit (3);
      if (deferred && !tend_store_index_defer (child, kill_deferred, NULL))
        _exit (9);
      for (int batch = 0; ; batch++)
        {
          g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_object_unref);

          if (!tend_store_begin (child, NULL))
            _exit (4);
          for (int i = 0; i < KILL_BATCH; i++)
            {
              g_autofree char *family = g_strdup_printf ("Batch%d", batch);
              TendClient *c = tend_client_new ("Kai", family);

              if (!tend_store_save (child, TEND_RECORD (c), NULL))
                _exit (5);
              g_ptr_array_add (written, c);
            }
          /* A second save of each: two entries, one record to push. */
          for (guint i = 0; i < written->len; i++)
            {
              tend_record_set_string (written->pdata[i], "pronouns", "they/them");
              if (!tend_store_save (child, written->pdata[i], NULL))
                _exit (6);
            }
          if (!tend_store_commit (child, NULL))
            _exit (7);
          if (write (fds[1], &batch, sizeof batch) != sizeof batch)
            _exit (8);
        }
    }
  close (fds[1]);
  while (last < 5)
    {
      int batch;

      g_assert_cmpint (read (fds[0], &batch, sizeof batch), ==, sizeof batch);
      last = batch;
    }
  /* Some way into the next transaction. */
  g_usleep (30 * 1000);
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  close (fds[0]);
  g_assert_true (WIFSIGNALED (status));

  /* The file as the child left it: the indexes still set aside. */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM deferred_index"), ==, deferred ? 3 : 0);
  fx->store = store_test_open (&fx->f);
  /* Whether the child had set them aside or not, they are all there. */
  g_assert_cmpuint (tend_store_index_deferred (fx->store), ==, 0);
  for (guint i = 0; kill_deferred[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = '%s'",
                                              kill_deferred[i]);
      g_autofree char *now = store_test_query_text (&fx->f, sql);

      g_assert_cmpstr (now, ==, index_sql->pdata[i]);
    }
  g_assert_cmpint (tend_store_query_int (fx->store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'", NULL, NULL, -1), ==, 0);
  clients = count (fx, "SELECT count(*) FROM client");
  entries = count (fx, "SELECT count(*) FROM outbox");
  edited = count (fx, "SELECT count(*) FROM client WHERE json_extract(body, '$.pronouns') = 'they/them'");
  g_test_message ("%" G_GINT64_FORMAT " clients after %d reported transactions", clients, last + 1);
  g_assert_cmpint (clients % KILL_BATCH, ==, 0);
  g_assert_cmpint (clients, >=, (last + 1) * KILL_BATCH);
  g_assert_cmpint (edited, ==, clients);
  g_assert_cmpint (entries, ==, 2 * clients);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM client c WHERE (SELECT count(*) FROM outbox o"
                              " WHERE o.record_type = 'client' AND o.record_id = c.id) <> 2"), ==, 0);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM outbox WHERE record_id NOT IN (SELECT id FROM client)"), ==, 0);
  g_assert_cmpuint (tend_store_sync_count_waiting (fx->store), ==, (guint) clients);
  g_assert_true (tend_store_verify_audit (fx->store, &n_rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_rows, ==, 2 * clients);

  /* Pushed a batch at a time: every client once, as its row is now. */
  for (;;)
    {
      g_autoptr(GPtrArray) ops = prepare (fx);
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_result_free);

      if (ops->len == 0)
        break;
      for (guint i = 0; i < ops->len; i++)
        {
          TendSyncOp *op = ops->pdata[i];

          g_assert_cmpstr (op->type, ==, "client");
          g_assert_false (op->deleted);
          g_assert_cmpint (op->base_version, ==, 0);
          g_assert_cmpint (tend_store_query_int (fx->store, "SELECT count(*) FROM client WHERE id = ?1 AND body = ?2",
                                                 op->id, op->body, -1), ==, 1);
          g_assert_nonnull (strstr (op->body, "they/them"));
          g_ptr_array_add (results, result (op->op_id, TEND_SYNC_RESULT_APPLIED, 1, NULL));
        }
      pushed += ops->len;
      g_assert_true (tend_store_sync_finish_push (fx->store, results, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (count (fx, "SELECT count(*) FROM outbox"), ==, 2 * (clients - pushed));
    }
  g_assert_cmpuint (pushed, ==, (guint) clients);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM client WHERE version = 1 AND dirty = 0"), ==, clients);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/sync-store/apply", test_apply);
  ADD ("/sync-store/push-retry", test_push_retry);
  ADD ("/sync-store/edit-during-push", test_edit_during_push);
  ADD ("/sync-store/merge-fields", test_merge_fields);
  ADD ("/sync-store/conflict-resolve", test_conflict_resolve);
  ADD ("/sync-store/delete-races-edit", test_delete_races_edit);
  ADD ("/sync-store/rejected", test_rejected);
  ADD ("/sync-store/push-conflict", test_push_conflict);
  ADD ("/sync-store/resync", test_resync);
  ADD ("/sync-store/resync-deleted", test_resync_deleted);
  ADD ("/sync-store/search-batched", test_search_batched);
  ADD ("/sync-store/search-backlog", test_search_backlog);
  ADD ("/sync-store/search-bulk-as-per-record", test_search_bulk_as_per_record);
  ADD ("/sync-store/kill-during-long-write", test_kill_during_long_write);
  g_test_add ("/sync-store/kill-during-long-write-deferred-indexes", Fixture, "deferred",
              fixture_setup, test_kill_during_long_write, fixture_teardown);
  return g_test_run ();
}
