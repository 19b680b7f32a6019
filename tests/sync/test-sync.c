/* test-sync.c: app stores syncing through a real tend-server on a
 * throwaway PostgreSQL cluster
 *
 * Each case uses stores of its own (encrypted, in a temporary folder) and
 * the one server and practice the program starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <libpq-fe.h>

#include "server-test-util.h"
#include "tend-server-sync.h"
#include "store-test-util.h"
#include "sync-test-peer.h"
#include "tend-chart.h"
#include "tend-schedule.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static char *practice_id;

static Peer *
peer_new (const char *email)
{
  Peer *p = peer_open (server->base, email, PASSWORD, -1);

  /* Small pages and batches, so paging and batching are exercised. */
  tend_sync_engine_set_page_size (p->engine, 7, 5);
  return p;
}

static TendRecord *
load_as (Peer       *p,
         GType       type,
         const char *id)
{
  g_autoptr(GError) error = NULL;
  TendRecord *r = tend_store_load (p->store, type, id, &error);

  g_assert_no_error (error);
  return r;
}

static TendRecord *
load (Peer       *p,
      const char *id)
{
  return load_as (p, TEND_TYPE_CLIENT, id);
}

/* A room: the deletable record these tests race on (a client's record is
 * never deleted). */
static char *
new_room (Peer       *p,
          const char *name)
{
  g_autoptr(TendRoom) room = tend_room_new (name);

  store_test_save (p->store, TEND_RECORD (room));
  return g_strdup (tend_record_get_id (TEND_RECORD (room)));
}

static void
rename_room (Peer       *p,
             const char *id,
             const char *name)
{
  g_autoptr(TendRecord) r = load_as (p, TEND_TYPE_ROOM, id);

  tend_record_set_string (r, "name", name);
  store_test_save (p->store, r);
}

static char *
new_client (Peer       *p,
            const char *given,
            const char *family)
{
  g_autoptr(TendClient) c = tend_client_new (given, family);

  store_test_save (p->store, TEND_RECORD (c));
  return g_strdup (tend_record_get_id (TEND_RECORD (c)));
}

static void
edit (Peer       *p,
      const char *id,
      const char *field,
      const char *value)
{
  g_autoptr(TendRecord) r = load (p, id);

  tend_record_set_string (r, field, value);
  store_test_save (p->store, r);
}

static gint64
server_version (const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM record WHERE id = '%s'", id);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 v = PQntuples (res) == 1 ? g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : -1;

  PQclear (res);
  return v;
}

/* A new workstation receives the practice; what one store makes, the
 * other gets; edits of different fields on both merge by themselves. */
static void
test_two_stores (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) b = peer_new ("owner@riverbend.example");
  g_autofree char *id = NULL;
  g_autoptr(TendRecord) on_a = NULL;
  g_autoptr(TendRecord) on_b = NULL;
  TendSyncStats stats;

  stats = sync_ok (a);
  g_assert_cmpuint (stats.applied, >=, 2);          /* practice and owner */
  g_assert_nonnull (tend_store_load_practice (a->store, NULL));

  id = new_client (a, "Ana", "Ruiz");
  for (int i = 0; i < 12; i++)
    {
      g_autofree char *given = g_strdup_printf ("Client%d", i);

      g_free (new_client (a, given, "Batch"));
    }
  stats = sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 13);          /* three batches of 5 at most */
  g_assert_cmpuint (tend_store_count_outbox (a->store), ==, 0);

  stats = sync_ok (b);
  g_assert_cmpint (tend_store_count (b->store, TEND_TYPE_CLIENT, NULL), ==,
                   tend_store_count (a->store, TEND_TYPE_CLIENT, NULL));

  edit (a, id, "email", "ana@example.org");
  edit (b, id, "pronouns", "she/her");
  sync_ok (a);
  stats = sync_ok (b);
  g_assert_cmpuint (stats.merged, ==, 1);
  g_assert_cmpuint (stats.conflicts, ==, 0);
  sync_ok (a);

  on_a = load (a, id);
  on_b = load (b, id);
  g_assert_cmpstr (tend_record_get_string (on_a, "email"), ==, "ana@example.org");
  g_assert_cmpstr (tend_record_get_string (on_a, "pronouns"), ==, "she/her");
  g_assert_cmpstr (tend_record_get_string (on_b, "email"), ==, "ana@example.org");
  g_assert_cmpint (tend_record_get_version (on_a), ==, tend_record_get_version (on_b));
  g_assert_cmpint (tend_record_get_version (on_a), ==, server_version (id));
}

/* Related people travel like any record: made on one computer with the
 * client's consent, read on another, removed there and gone from the
 * first. */
static void
test_related_people (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) b = peer_new ("owner@riverbend.example");
  g_autofree char *client_id = NULL;
  g_autoptr(TendRelatedPerson) guardian = NULL;
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;

  sync_ok (a);
  client_id = new_client (a, "Lu", "Hale");
  guardian = tend_related_person_new (client_id, "Gil Hale", TEND_RELATED_LEGAL_GUARDIAN);
  tend_record_set_string (TEND_RECORD (guardian), "email", "gil@example.org");
  {
    /* The practice's owner, who took the consent. */
    g_autoptr(GPtrArray) staff = tend_store_list (a->store, TEND_TYPE_STAFF, &error);
    const char *owner = NULL;

    g_assert_no_error (error);

    for (guint i = 0; i < staff->len; i++)
      if (g_strcmp0 (tend_record_get_string (g_ptr_array_index (staff, i), "email"), "owner@riverbend.example") == 0)
        owner = tend_record_get_id (g_ptr_array_index (staff, i));
    g_assert_nonnull (owner);
    tend_related_person_set_consent (guardian, "2026-11-30", owner, "Appointments");
  }
  tend_store_save (a->store, TEND_RECORD (guardian), &error);
  g_assert_no_error (error);
  sync_ok (a);
  g_assert_cmpint (server_version (tend_record_get_id (TEND_RECORD (guardian))), ==, 1);

  sync_ok (b);
  people = tend_chart_list_related_people (b->store, client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_true (tend_related_person_is_legal_guardian (g_ptr_array_index (people, 0)));
  g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (people, 0), "consent.scope"), ==, "Appointments");
  g_assert_true (tend_store_delete (b->store, g_ptr_array_index (people, 0), &error));
  g_clear_pointer (&people, g_ptr_array_unref);
  sync_ok (b);

  sync_ok (a);
  people = tend_chart_list_related_people (a->store, client_id, &error);
  g_assert_cmpuint (people->len, ==, 0);
}

/* The same field on two computers: a conflict for a person, resolved on
 * one, and then the same everywhere. */
static void
test_same_field (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) b = peer_new ("owner@riverbend.example");
  g_autofree char *id = new_client (a, "Ben", "Cole");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) on_a = NULL;
  TendSyncStats stats;

  sync_ok (a);
  sync_ok (b);
  edit (a, id, "email", "ben@a.example.org");
  edit (b, id, "email", "ben@b.example.org");
  sync_ok (a);
  stats = sync_ok (b);
  g_assert_cmpuint (stats.conflicts, ==, 1);
  conflicts = tend_store_sync_list_conflicts (b->store, &error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  /* Until it is resolved, B's value stays on B and is not sent. */
  g_assert_cmpuint (tend_store_sync_count_waiting (b->store), ==, 1);
  {
    g_autoptr(TendRecord) held = load (b, id);
    g_assert_cmpstr (tend_record_get_string (held, "email"), ==, "ben@b.example.org");
  }
  g_assert_true (tend_store_sync_resolve (b->store, ((TendSyncConflict *) g_ptr_array_index (conflicts, 0))->id,
                                          "\"ben@b.example.org\"", &error));
  g_assert_no_error (error);
  sync_ok (b);
  sync_ok (a);
  on_a = load (a, id);
  g_assert_cmpstr (tend_record_get_string (on_a, "email"), ==, "ben@b.example.org");
}

/* The response to a push is lost after the server committed it: the
 * retry is answered from the server's record of it, and nothing is
 * applied twice. */
static void
test_response_lost (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autofree char *id = new_client (a, "Cai", "Long");
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  TendSyncStats stats;

  sync_ok (a);
  edit (a, id, "pronouns", "he/him");
  ops = tend_store_sync_prepare_push (a->store, 10, &error);
  g_assert_cmpuint (ops->len, ==, 1);
  /* Sent by hand; the answer never reaches the store. */
  {
    g_autoptr(SoupSession) session = test_session_new ();
    TendSyncOp *op = g_ptr_array_index (ops, 0);
    g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\","
                                             "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                             op->op_id, op->id, op->base_version, op->body);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push",
                                              tend_sync_engine_get_token (a->engine), body);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_cmpint (server_version (id), ==, 2);
  stats = sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpint (server_version (id), ==, 2);     /* not 3 */
  {
    g_autoptr(TendRecord) r = load (a, id);
    g_assert_cmpint (tend_record_get_version (r), ==, 2);
  }
  g_assert_cmpuint (tend_store_count_outbox (a->store), ==, 0);
}

/* A deletion racing an edit, in both orders: each side ends with the
 * question, not with a silent loss. */
static void
test_delete_races_edit (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) b = peer_new ("owner@riverbend.example");
  g_autofree char *first = new_room (a, "Room 1");
  g_autofree char *second = new_room (a, "Room 2");
  g_autoptr(GError) error = NULL;
  TendSyncStats stats;

  sync_ok (a);
  sync_ok (b);
  /* First: deleted on A (synced first), edited on B. */
  {
    g_autoptr(TendRecord) r = load_as (a, TEND_TYPE_ROOM, first);
    g_assert_true (tend_store_delete (a->store, r, &error));
  }
  rename_room (b, first, "Garden Room");
  /* Second: edited on A (synced first), deleted on B. */
  rename_room (a, second, "Quiet Room");
  {
    g_autoptr(TendRecord) r = load_as (b, TEND_TYPE_ROOM, second);
    g_assert_true (tend_store_delete (b->store, r, &error));
  }
  sync_ok (a);
  stats = sync_ok (b);
  g_assert_cmpuint (stats.conflicts, ==, 2);
  {
    g_autoptr(GPtrArray) conflicts = tend_store_sync_list_conflicts (b->store, &error);

    g_assert_cmpuint (conflicts->len, ==, 2);
    for (guint i = 0; i < conflicts->len; i++)
      {
        TendSyncConflict *c = g_ptr_array_index (conflicts, i);

        g_assert_cmpstr (c->field, ==, "");
        /* B keeps its edit of the first; lets the second go. */
        g_assert_true (tend_store_sync_resolve (b->store, c->id,
                                                g_strcmp0 (c->record_id, first) == 0 ? c->local_value : NULL,
                                                &error));
        g_assert_no_error (error);
      }
  }
  sync_ok (b);
  sync_ok (a);
  {
    g_autoptr(TendRecord) kept = load_as (a, TEND_TYPE_ROOM, first);
    g_autoptr(TendRecord) gone = load_as (a, TEND_TYPE_ROOM, second);

    g_assert_false (tend_record_get_deleted (kept));
    g_assert_cmpstr (tend_record_get_string (kept, "name"), ==, "Garden Room");
    g_assert_true (tend_record_get_deleted (gone));
  }
}

/* Offline: many edits wait, then go as one operation per record. */
static void
test_offline_coalesced (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autoptr(TendSyncEngine) nowhere = tend_sync_engine_new (a->store, "http://127.0.0.1:9");
  g_autofree char *id = new_client (a, "Fay", "Quinn");
  g_autoptr(GError) error = NULL;
  TendSyncStats stats;
  gint64 before;

  sync_ok (a);
  before = server_version (id);
  for (int i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Fay %d", i);

      edit (a, id, "preferred_name", name);
    }
  tend_sync_engine_set_token (nowhere, tend_sync_engine_get_token (a->engine));
  g_assert_false (tend_sync_engine_run (nowhere, NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_NETWORK);
  g_assert_cmpuint (tend_store_count_outbox (a->store), ==, 40);
  g_assert_cmpuint (tend_store_sync_count_waiting (a->store), ==, 1);

  stats = sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 1);
  g_assert_cmpint (server_version (id), ==, before + 1);
  {
    g_autoptr(TendRecord) r = load (a, id);
    g_assert_cmpstr (tend_record_get_string (r, "preferred_name"), ==, "Fay 39");
  }
}

/* A cursor the server no longer honours (another database) means a full
 * resync, and a server restored from a backup gets back what it lost
 * from the stores that still have it. */
static void
test_resync_and_restore (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autofree char *kept = new_client (a, "Gil", "Ross");
  g_autofree char *lost = new_client (a, "Hal", "Sato");
  g_autoptr(GError) error = NULL;
  TendSyncStats stats;

  sync_ok (a);
  /* The restore: the newest record is missing and the counter is back. */
  {
    g_autofree char *del = g_strdup_printf ("DELETE FROM record WHERE id = '%s'", lost);
    g_autofree char *seq = g_strdup_printf ("UPDATE practice SET seq = (SELECT max(seq) FROM record WHERE practice_id = '%s')"
                                            " WHERE id = '%s'", practice_id, practice_id);

    PQclear (test_pg_exec (pg, del));
    PQclear (test_pg_exec (pg, seq));
  }
  g_assert_cmpint (server_version (lost), ==, -1);
  stats = sync_ok (a);
  g_assert_cmpuint (stats.pushed, >=, 1);
  g_assert_cmpint (server_version (lost), ==, 1);
  g_assert_cmpint (server_version (kept), ==, 1);

  /* A cursor of another database: 410, then a full resync; one the server
   * never gave out: the same. */
  {
    g_autofree char *other = tend_sync_cursor_encode ("0123456789abcdef0123456789abcdef", 5, 0);

    g_assert_true (tend_store_set_meta (a->store, "sync_cursor", other, &error));
  }
  stats = sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpuint (stats.applied, ==, 0);
  g_assert_true (tend_store_set_meta (a->store, "sync_cursor", "AAAA", &error));
  stats = sync_ok (a);
  g_assert_cmpuint (stats.pushed, ==, 0);
  g_assert_cmpuint (tend_store_count_outbox (a->store), ==, 0);
}

/* A computer away for longer than the server keeps deletions: when it
 * comes back, what was deleted meanwhile is deleted there too, not given
 * back to the server. */
static void
test_expired_cursor (void)
{
  g_autoptr(Peer) away = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) here = peer_new ("owner@riverbend.example");
  g_autofree char *id = new_room (here, "Room 3");
  g_autoptr(GError) error = NULL;

  sync_ok (here);
  sync_ok (away);
  {
    g_autoptr(TendRecord) r = load_as (here, TEND_TYPE_ROOM, id);
    g_assert_true (tend_store_delete (here->store, r, &error));
  }
  sync_ok (here);
  json_node_unref (test_admin (pg, NULL, "purge-tombstones", "--older-than-days", "0", "--practice", practice_id, NULL));

  sync_ok (away);
  {
    g_autoptr(TendRecord) r = load_as (away, TEND_TYPE_ROOM, id);
    g_assert_true (tend_record_get_deleted (r));
  }
  g_assert_cmpuint (tend_store_sync_count_waiting (away->store), ==, 0);
  g_assert_cmpint (server_version (id), ==, -1);
}

/* The session ends in the middle of work: a clear "sign in again", the
 * changes kept; after signing in they go. */
static void
test_token_expiry (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autofree char *id = new_client (a, "Ida", "Tran");
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sync_ok (a);
  edit (a, id, "pronouns", "she/her");
  /* The server's clock has gone past the session's end. */
  PQclear (test_pg_exec (pg, "UPDATE session SET expires_at = now () - interval '1 second'"));
  g_assert_false (tend_sync_engine_run (a->engine, NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpuint (tend_store_sync_count_waiting (a->store), ==, 1);
  g_assert_true (tend_sync_engine_login (a->engine, "owner@riverbend.example", PASSWORD, NULL, NULL, &error));
  sync_ok (a);
  g_assert_cmpuint (tend_store_sync_count_waiting (a->store), ==, 0);
  g_assert_cmpint (server_version (id), ==, 2);
}

/* What the server refuses (the front desk may not change staff) stays
 * here, marked, and is not sent again and again. */
static void
test_refused (void)
{
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  g_autoptr(TendStaff) staff = tend_staff_new ("Zed", "Young", TEND_ROLE_CLINICIAN);
  TendSyncStats stats;

  sync_ok (desk);
  /* Written as the system, as a careless import might. */
  store_test_save (desk->store, TEND_RECORD (staff));
  stats = sync_ok (desk);
  g_assert_cmpuint (stats.rejected, ==, 1);
  g_assert_cmpuint (tend_store_sync_count_rejected (desk->store), ==, 1);
  stats = sync_ok (desk);
  g_assert_cmpuint (stats.rejected, ==, 0);
  g_assert_cmpuint (stats.pushed, ==, 0);
}

/* Wrong password, wrong server address: clear errors. */
static void
test_bad_sign_in (void)
{
  g_autoptr(GError) error = NULL;
  StoreFixture f;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;

  store_test_setup (&f, NULL);
  store = store_test_open (&f);
  engine = tend_sync_engine_new (store, server->base);
  g_assert_false (tend_sync_engine_login (engine, "owner@riverbend.example", "wrong password", NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (tend_sync_engine_run (engine, NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (tend_sync_check_server_url ("http://tend.example.org", &error));
  g_clear_error (&error);
  g_assert_true (tend_sync_check_server_url ("https://tend.example.org", &error));
  g_assert_true (tend_sync_check_server_url ("http://127.0.0.1:8080", &error));
  g_clear_object (&engine);
  g_clear_object (&store);
  store_test_teardown (&f, NULL);
}

static gint64
server_count (const char *sql)
{
  PGresult *res = test_pg_exec (pg, sql);
  gint64 v = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return v;
}

/* Two computers extend the same series and make the same reminders on
 * their own: the derived ids make them one set of rows on the server, with
 * no conflict for anyone (and one reminder per session for the client). */
static void
test_derived_rows (void)
{
  g_autoptr(Peer) a = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) b = peer_new ("owner@riverbend.example");
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) first = g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                                                g_date_time_get_day_of_month (day), 9, 0, 0);
  g_autoptr(GDateTime) horizon = g_date_time_add_weeks (first, 2);
  g_autoptr(TendSeries) series = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Jo", "Uribe");
  g_autoptr(TendStaff) clinician = tend_staff_new ("Kim", "Vance", TEND_ROLE_CLINICIAN);
  g_autoptr(GError) error = NULL;
  g_autofree char *count_rows = NULL;
  g_autofree char *count_reminders = NULL;
  TendSyncStats stats;
  guint n = 0;

  tend_record_set_string (TEND_RECORD (client), "email", "jo@example.org");
  store_test_save (a->store, TEND_RECORD (client));
  store_test_save (a->store, TEND_RECORD (clinician));
  series = tend_series_new (tend_record_get_id (TEND_RECORD (clinician)), first, 50, "America/Chicago", "FREQ=WEEKLY");
  tend_record_set_string (TEND_RECORD (series), "client_id", tend_record_get_id (TEND_RECORD (client)));
  g_assert_true (tend_schedule_save_series (a->store, series, tend_time_to_unix_usec (horizon), &error));
  g_assert_no_error (error);
  sync_ok (a);
  sync_ok (b);

  /* Each extends the series and makes the reminders by itself. */
  g_assert_true (tend_schedule_maintain (a->store, g_get_real_time (), &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (tend_schedule_maintain (b->store, g_get_real_time (), &n, &error));
  g_assert_cmpuint (n, ==, 2);
  sync_ok (a);
  stats = sync_ok (b);
  g_assert_cmpuint (stats.conflicts, ==, 0);
  g_assert_cmpuint (tend_store_sync_count_waiting (b->store), ==, 0);
  g_assert_cmpuint (tend_store_sync_count_rejected (b->store), ==, 0);

  count_rows = g_strdup_printf ("SELECT count(*) FROM record WHERE type = 'appointment' AND body LIKE '%%%s%%'",
                                tend_record_get_id (TEND_RECORD (series)));
  count_reminders = g_strdup_printf ("SELECT count(*) FROM record WHERE type = 'reminder' AND body LIKE '%%%s%%'",
                                     tend_record_get_id (TEND_RECORD (client)));
  g_assert_cmpint (server_count (count_rows), ==,
                   tend_store_count (a->store, TEND_TYPE_APPOINTMENT, NULL));
  g_assert_cmpint (server_count (count_rows), >=, 57);
  g_assert_cmpint (server_count (count_reminders), ==, 2);
}

/* The owner manages sign-in accounts; others may not. */
static void
test_accounts (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(TendAccount) made = NULL;
  g_autoptr(TendAccount) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *staff_id = g_uuid_string_random ();
  guint before;

  list = tend_sync_engine_list_accounts (owner->engine, NULL, &error);
  g_assert_no_error (error);
  before = list->len;
  g_assert_cmpuint (before, >=, 2);
  made = tend_sync_engine_create_account (owner->engine, "lee@riverbend.example", "Lee Moss", "biller",
                                          "first password", staff_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (made->role, ==, "biller");
  g_assert_true (made->active);
  changed = tend_sync_engine_update_account (owner->engine, made->id, "front_desk", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changed->role, ==, "front_desk");
  g_assert_false (changed->active);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = tend_sync_engine_list_accounts (owner->engine, NULL, &error);
  g_assert_cmpuint (list->len, ==, before + 1);

  /* A second account with the same email, and the front desk: refused. */
  g_assert_null (tend_sync_engine_create_account (owner->engine, "lee@riverbend.example", "Lee Moss", "biller",
                                                  "first password", staff_id, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_null (tend_sync_engine_list_accounts (desk->engine, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_SERVER);
}

static gint64
local_count (Peer       *p,
             const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return store_test_query_int (&p->f, sql);
}

/* What each role's store holds after a sync: the front desk no clinical
 * record at all (not even its id), the biller diagnoses but no notes; a
 * clinician everything, documents' bytes included, checked against their
 * fingerprint. */
static void
test_roles_and_documents (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  g_autoptr(Peer) biller = peer_new ("biller@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(TendClient) client = tend_client_new ("Lia", "Ngata");
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(TendDiagnosis) diagnosis = NULL;
  g_autoptr(TendDocument) document = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *client_id = tend_record_get_id (TEND_RECORD (client));
  GString *png = g_string_new_len ("\x89PNG\r\n\x1a\n", 8);

  for (int i = 0; i < 3000; i++)
    g_string_append_c (png, (char) g_random_int_range (0, 256));
  bytes = g_bytes_new (png->str, png->len);
  g_string_free (png, TRUE);

  /* The clinician's client: they receive its chart. */
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", tend_sync_engine_get_staff_id (clinician->engine));
  store_test_save (owner->store, TEND_RECORD (client));
  /* The server takes a note only from its author. */
  note = tend_clinical_note_new (client_id, tend_sync_engine_get_staff_id (owner->engine), TEND_NOTE_TEMPLATE_DAP);
  tend_clinical_note_set_section (note, "data", "Words only a clinician may read");
  g_assert_true (tend_chart_save_note (owner->store, note, &error));
  g_assert_no_error (error);
  diagnosis = tend_diagnosis_new (client_id, "F41.1", "Generalized anxiety disorder");
  store_test_save (owner->store, TEND_RECORD (diagnosis));
  document = tend_chart_attach_document (owner->store, client_id, "Intake scan", "image/png", bytes, &error);
  g_assert_no_error (error);

  /* An upload cut short is refused by the server and changes nothing. */
  {
    g_autoptr(SoupSession) session = test_session_new ();
    g_autofree char *path = g_strdup_printf ("/v1/blobs/%s", tend_document_get_sha256 (document));
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *url = g_strconcat (server->base, path, NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", tend_sync_engine_get_token (owner->engine), NULL);
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes, 0, g_bytes_get_size (bytes) / 2);
    g_autoptr(GBytes) answer = NULL;

    msg = soup_message_new ("PUT", url);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", half);
    answer = soup_session_send_and_read (session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  }

  /* A charge carries diagnosis codes: not for the front desk. */
  {
    g_autoptr(TendCharge) charge = tend_charge_new (client_id, g_uuid_string_random (), TEND_CHARGE_MANUAL,
                                                    "2026-11-02", 15000);

    tend_record_set_string (TEND_RECORD (charge), "description", "Letter to the school");
    tend_record_set_string (TEND_RECORD (charge), "diagnoses", "F41.1");
    store_test_save (owner->store, TEND_RECORD (charge));
  }

  sync_ok (owner);
  sync_ok (desk);
  sync_ok (biller);
  sync_ok (clinician);

  /* The front desk records a payment; it reaches the biller. */
  {
    g_autoptr(TendPayment) payment = tend_payment_new (client_id, TEND_PAYMENT_PAYMENT, TEND_PAYMENT_CASH, 5000,
                                                       "2026-11-03");
    TendSyncStats stats;

    store_test_save (desk->store, TEND_RECORD (payment));
    stats = sync_ok (desk);
    g_assert_cmpuint (stats.pushed, ==, 1);
    g_assert_cmpuint (stats.rejected, ==, 0);
    sync_ok (biller);
    g_assert_cmpint (local_count (biller, "payment"), ==, 1);
  }
  /* The front desk keeps balances: it receives the charge, without its
   * diagnosis codes (the record policy's redacted read). */
  g_assert_cmpint (local_count (desk, "charge"), ==, 1);
  g_assert_cmpint (local_count (desk, "charge WHERE json_extract (body, '$.diagnoses') IS NULL"), ==, 1);
  g_assert_cmpint (local_count (biller, "charge WHERE json_extract (body, '$.diagnoses') = 'F41.1'"), ==, 1);

  g_assert_cmpint (local_count (desk, "client WHERE deleted = 0"), >=, 1);
  g_assert_cmpint (local_count (desk, "note"), ==, 0);
  g_assert_cmpint (local_count (desk, "diagnosis"), ==, 0);
  g_assert_cmpint (local_count (desk, "document"), ==, 0);
  g_assert_cmpint (local_count (desk, "document_blob"), ==, 0);
  /* A biller sees that the session was documented, not what was said. */
  g_assert_cmpint (local_count (biller, "note"), ==, 1);
  g_assert_cmpint (local_count (biller, "note WHERE json_extract (body, '$.sections') IS NOT NULL"), ==, 0);
  g_assert_cmpint (local_count (biller, "document"), ==, 0);
  g_assert_cmpint (local_count (biller, "diagnosis"), ==, 1);
  g_assert_cmpint (local_count (clinician, "note"), ==, 1);
  g_assert_cmpint (local_count (clinician, "diagnosis"), ==, 1);
  {
    g_autoptr(TendDocument) got = NULL;
    g_autoptr(GBytes) content = tend_chart_read_document (clinician->store, tend_record_get_id (TEND_RECORD (document)),
                                                          &got, &error);

    g_assert_no_error (error);
    g_assert_true (g_bytes_equal (content, bytes));
  }
}

/* A self-hosted practice's server with its own certificate: refused
 * until its authority is trusted, then used. */
static void
test_tls_custom_ca (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-tls-XXXXXX", &error);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *base = NULL;
  const char *openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert, NULL };
  TestServer *tls;
  StoreFixture f;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) openssl, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  tls = test_server_start (pg, "--tls-cert", cert, "--tls-key", key, NULL);
  base = g_strdup_printf ("https://127.0.0.1:%u", tls->port);

  store_test_setup (&f, NULL);
  store = store_test_open (&f);
  engine = tend_sync_engine_new (store, base);
  g_assert_false (tend_sync_engine_login (engine, "owner@riverbend.example", PASSWORD, NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "identity"));
  g_clear_error (&error);

  g_assert_true (tend_sync_engine_set_ca_file (engine, cert, &error));
  g_assert_true (tend_sync_engine_login (engine, "owner@riverbend.example", PASSWORD, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tend_sync_engine_run (engine, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (tend_store_load_practice (store, NULL));

  g_clear_object (&engine);
  g_clear_object (&store);
  store_test_teardown (&f, NULL);
  test_server_stop (tls);
  store_test_rm_rf (dir);
}

/* A record the server should never have stored (written behind its back,
 * in its database): a workstation's sync stops at it with an error naming
 * it, and applies nothing of that page.  Then the administrator removes
 * it and the sync goes on. */
static void
test_unreadable_record (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) fresh = NULL;
  g_autofree char *good = new_client (owner, "Ana", "Bell");
  g_autofree char *bad = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  TendSyncStats stats = { 0 };
  static const char * const bodies[] = {
    "{\"legal_given\":\"Zed\",\"legal_family\":\"Broken\",\"status\":\"active\",\"x\":1e+21.0}",
    "{\"legal_given\":\"Zed\",\"legal_family\":\"Broken\",\"status\":\"active\",\"x\":\"a\\u0000b\"}",
  };

  sync_ok (owner);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *quoted = NULL;
      PGresult *res;

      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("WITH s AS (UPDATE practice SET seq = seq + 1 WHERE id = '%s' RETURNING seq)"
                             " INSERT INTO record (practice_id, type, id, version, seq, body)"
                             " SELECT '%s', 'client', '%s', 1, s.seq, $$%s$$ FROM s"
                             " ON CONFLICT (practice_id, type, id) DO UPDATE SET body = EXCLUDED.body,"
                             " seq = EXCLUDED.seq",
                             practice_id, practice_id, bad, bodies[i]);
      res = test_pg_exec (pg, sql);
      PQclear (res);

      fresh = peer_new ("owner@riverbend.example");
      tend_sync_engine_run (fresh->engine, &stats, NULL, &error);
      g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (error->message, bad));
      g_assert_nonnull (strstr (error->message, "client"));
      {
        g_autofree char *count = g_strdup_printf ("client WHERE id = '%s'", bad);

        g_assert_cmpint (local_count (fresh, count), ==, 0);
      }
      g_clear_error (&error);
      g_clear_pointer (&fresh, peer_free);
    }

  /* Removed on the server (as an administrator would), the feed reads. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE record SET deleted = true, body = '{}' WHERE id = '%s'", bad);
  PQclear (test_pg_exec (pg, sql));
  fresh = peer_new ("owner@riverbend.example");
  sync_ok (fresh);
  {
    g_autofree char *count = g_strdup_printf ("client WHERE id = '%s'", good);

    g_assert_cmpint (local_count (fresh, count), ==, 1);
  }
}

/* A store kept without a server: its practice, its owner, clients and
 * the owner's sessions, all made here. */
static TendStore *
serverless_store (StoreFixture *f,
                  const char   *practice_name,
                  const char   *owner_email,
                  char        **practice_id_out,
                  char        **owner_id_out)
{
  TendStore *store;
  g_autoptr(TendPractice) practice = tend_practice_new (practice_name, "America/Chicago");
  g_autoptr(TendStaff) owner = tend_staff_new ("Mia", "Moss", TEND_ROLE_OWNER);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 14, 15, 0, 0);

  store_test_setup (f, NULL);
  store = store_test_open (f);
  store_test_save (store, TEND_RECORD (practice));
  tend_record_set_string (TEND_RECORD (owner), "email", owner_email);
  store_test_save (store, TEND_RECORD (owner));
  tend_store_set_actor (store, tend_record_get_id (TEND_RECORD (owner)), TEND_ROLE_OWNER);
  for (int i = 0; i < 30; i++)
    {
      g_autofree char *given = g_strdup_printf ("Moved%d", i);
      g_autoptr(TendClient) c = tend_client_new (given, "Client");
      g_autoptr(GDateTime) at = g_date_time_add_hours (start, 24 * i);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (at, 50);
      g_autoptr(TendAppointment) a = tend_appointment_new (tend_record_get_id (TEND_RECORD (owner)), at, end);

      store_test_save (store, TEND_RECORD (c));
      tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (c)));
      store_test_save (store, TEND_RECORD (a));
    }
  *practice_id_out = g_strdup (tend_record_get_id (TEND_RECORD (practice)));
  *owner_id_out = g_strdup (tend_record_get_id (TEND_RECORD (owner)));
  return store;
}

static gint64
records_of_type (const char *practice,
              const char *type)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM record WHERE practice_id = '%s' AND type = '%s'"
                                          " AND NOT deleted", practice, type);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

/* A practice that began on one computer moves to the server and stays one
 * practice: the server's practice takes the store's id and the owner's
 * account its staff record (create-practice --practice --staff-id); every
 * record goes up; a second computer gets one practice record, the same
 * clients and the owner's sessions still the owner's.  An account of
 * another practice cannot take the store: refused at sign-in, before
 * anything is sent. */
static void
test_move_practice (void)
{
  StoreFixture f = { 0 };
  StoreFixture g = { 0 };
  g_autoptr(TendStore) store = NULL;
  g_autoptr(TendStore) other = NULL;
  g_autoptr(TendSyncEngine) engine = NULL;
  g_autoptr(TendSyncEngine) wrong = NULL;
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practices = NULL;
  g_autoptr(GPtrArray) appointments = NULL;
  g_autofree char *moved_practice = NULL;
  g_autofree char *owner_id = NULL;
  g_autofree char *other_practice = NULL;
  g_autofree char *other_owner = NULL;
  TendSyncStats stats = { 0 };
  guint waiting;

  store = serverless_store (&f, "Harbor Therapy", "mia@harbor.example", &moved_practice, &owner_id);
  waiting = tend_store_count_outbox (store);
  g_assert_cmpuint (waiting, >=, 62);

  /* The administrator's command, as Tend shows it. */
  made = test_admin (pg, PASSWORD, "create-practice", "--practice", moved_practice, "--staff-id", owner_id,
                     "--name", "Harbor Therapy", "--time-zone", "America/Chicago",
                     "--owner-email", "mia@harbor.example", "--owner-name", "Mia Moss", NULL);
  g_assert_cmpstr (test_json_string (made, "practice_id"), ==, moved_practice);
  g_assert_cmpstr (test_json_string (made, "staff_id"), ==, owner_id);
  /* Nothing written for the store to collide with. */
  g_assert_cmpint (records_of_type (moved_practice, "practice"), ==, 0);
  g_assert_cmpint (records_of_type (moved_practice, "staff"), ==, 0);

  /* Another practice's account cannot take this store. */
  wrong = tend_sync_engine_new (store, server->base);
  g_assert_false (tend_sync_engine_login (wrong, "owner@riverbend.example", PASSWORD, NULL, NULL, &error));
  g_assert_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_OTHER_PRACTICE);
  g_assert_nonnull (strstr (error->message, "Harbor Therapy"));
  g_assert_false (tend_sync_engine_has_token (wrong));
  g_clear_error (&error);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, waiting);

  engine = tend_sync_engine_new (store, server->base);
  tend_sync_engine_set_page_size (engine, 50, 20);
  g_assert_true (tend_sync_engine_login (engine, "mia@harbor.example", PASSWORD, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tend_sync_engine_get_practice_id (engine), ==, moved_practice);
  g_assert_cmpstr (tend_sync_engine_get_staff_id (engine), ==, owner_id);
  g_assert_true (tend_sync_engine_run (engine, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.rejected, ==, 0);
  g_assert_cmpuint (stats.pushed, ==, waiting);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 0);
  g_assert_cmpint (records_of_type (moved_practice, "practice"), ==, 1);
  g_assert_cmpint (records_of_type (moved_practice, "staff"), ==, 1);
  g_assert_cmpint (records_of_type (moved_practice, "client"), ==, 30);

  /* A second computer of the moved practice. */
  {
    g_autoptr(Peer) b = peer_open (server->base, "mia@harbor.example", PASSWORD, -1);

    sync_ok (b);
    practices = tend_store_list (b->store, TEND_TYPE_PRACTICE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (practices->len, ==, 1);
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (practices, 0)), ==, moved_practice);
    g_assert_cmpint (tend_store_count (b->store, TEND_TYPE_CLIENT, NULL), ==, 30);
    appointments = tend_store_list (b->store, TEND_TYPE_APPOINTMENT, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (appointments->len, ==, 30);
    for (guint i = 0; i < appointments->len; i++)
      g_assert_cmpstr (tend_record_get_string (g_ptr_array_index (appointments, i), "clinician_id"), ==, owner_id);
  }

  /* A store of another practice synced into this one by hand (a token
   * kept from elsewhere): the server refuses its practice record, so the
   * practice still has one. */
  other = serverless_store (&g, "Elsewhere Counseling", "x@elsewhere.example", &other_practice, &other_owner);
  {
    g_autoptr(TendSyncEngine) forced = tend_sync_engine_new (other, server->base);
    TendSyncStats forced_stats = { 0 };

    tend_sync_engine_set_token (forced, tend_sync_engine_get_token (engine));
    g_assert_true (tend_sync_engine_run (forced, &forced_stats, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (forced_stats.rejected, >=, 1);
    g_assert_cmpint (records_of_type (moved_practice, "practice"), ==, 1);
    g_assert_cmpint (records_of_type (other_practice, "practice"), ==, 0);
  }

  g_clear_object (&other);
  store_test_teardown (&g, NULL);
  g_clear_object (&wrong);
  g_clear_object (&engine);
  g_clear_object (&store);
  store_test_teardown (&f, NULL);
}

/* A body from the server that names a member twice is kept as the codec
 * read it (json-glib takes the last), so SQL's JSON functions (which would
 * read the first in the server's text) and the record agree. */
static void
test_member_named_twice (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) fresh = NULL;
  g_autofree char *twice = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  g_autofree char *last = NULL;
  g_autoptr(TendRecord) record = NULL;
  static const char twice_body[] =
    "{\"legal_given\":\"First\",\"legal_family\":\"Twice\",\"status\":\"active\",\"legal_given\":\"Last\"}";

  sync_ok (owner);
  sql = g_strdup_printf ("WITH s AS (UPDATE practice SET seq = seq + 1 WHERE id = '%s' RETURNING seq)"
                         " INSERT INTO record (practice_id, type, id, version, seq, body)"
                         " SELECT '%s', 'client', '%s', 1, s.seq, $$%s$$ FROM s",
                         practice_id, practice_id, twice, twice_body);
  PQclear (test_pg_exec (pg, sql));
  fresh = peer_new ("owner@riverbend.example");
  sync_ok (fresh);

  record = load (fresh, twice);
  g_assert_cmpstr (tend_record_get_string (record, "legal_given"), ==, "Last");
  last = g_strdup_printf ("client WHERE id = '%s' AND json_extract (body, '$.legal_given') = 'Last'", twice);
  g_assert_cmpint (local_count (fresh, last), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/two-stores", test_two_stores);
  g_test_add_func ("/sync/same-field", test_same_field);
  g_test_add_func ("/sync/related-people", test_related_people);
  g_test_add_func ("/sync/response-lost", test_response_lost);
  g_test_add_func ("/sync/delete-races-edit", test_delete_races_edit);
  g_test_add_func ("/sync/offline-coalesced", test_offline_coalesced);
  g_test_add_func ("/sync/resync-and-restore", test_resync_and_restore);
  g_test_add_func ("/sync/token-expiry", test_token_expiry);
  g_test_add_func ("/sync/expired-cursor", test_expired_cursor);
  g_test_add_func ("/sync/refused", test_refused);
  g_test_add_func ("/sync/bad-sign-in", test_bad_sign_in);
  g_test_add_func ("/sync/tls-custom-ca", test_tls_custom_ca);
  g_test_add_func ("/sync/derived-rows", test_derived_rows);
  g_test_add_func ("/sync/accounts", test_accounts);
  g_test_add_func ("/sync/roles-and-documents", test_roles_and_documents);
  g_test_add_func ("/sync/unreadable-record", test_unreadable_record);
  g_test_add_func ("/sync/move-practice", test_move_practice);
  g_test_add_func ("/sync/member-named-twice", test_member_named_twice);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", "owner@riverbend.example",
                         "--owner-name", "Olga Owens", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "desk@riverbend.example",
                               "--name", "Dana Desk", "--role", "front_desk", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "biller@riverbend.example",
                               "--name", "Bo Biller", "--role", "biller", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "clinician@riverbend.example",
                               "--name", "Cy Clinician", "--role", "clinician", NULL));
  server = test_server_start (pg, NULL);
  rc = g_test_run ();
  test_server_stop (server);
  test_pg_stop (pg);
  g_free (practice_id);
  return rc;
}
