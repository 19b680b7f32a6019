/* test-chart-privacy.c: privacy between clinicians, through a real
 * tend-server on a throwaway PostgreSQL cluster and real app stores
 *
 * Ann and Ben are clinicians, Sue supervises Ann, Olga owns the practice.
 * The server's feed gives Ben nothing of Ann's client; the glass broken,
 * the chart's history reaches him (audited, and shown to Ann); Sue reads
 * her supervisee's clients; covering ends at its end and the covering
 * clinician's store drops the chart; a reassignment moves the chart from
 * one store to the other; forged bodies grant nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "server-test-util.h"
#include "sync-test-peer.h"
#include "tend-chart.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;
static char *practice_id;

static Peer *
peer_new (const char *email)
{
  return peer_open_as_self (server->base, email, PASSWORD);
}

static const char *
me (Peer *p)
{
  return tend_sync_engine_get_staff_id (p->engine);
}

static gint64
local_count (Peer       *p,
             const char *sql)
{
  return store_test_query_int (&p->f, sql);
}

static gint64
server_count (const char *sql)
{
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

/* The notes of @client_id in @p's store. */
static gint64
notes_of (Peer       *p,
          const char *client_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM note WHERE client_id = '%s'", client_id);

  return local_count (p, sql);
}

static char *
new_client (Peer       *owner,
            const char *clinician_id)
{
  g_autoptr(TendClient) client = tend_client_new ("Quinn", "Private");

  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", clinician_id);
  store_test_save (owner->store, TEND_RECORD (client));
  return g_strdup (tend_record_get_id (TEND_RECORD (client)));
}

static void
write_note (Peer       *p,
            const char *client_id,
            const char *text)
{
  g_autoptr(TendClinicalNote) note = tend_clinical_note_new (client_id, me (p), TEND_NOTE_TEMPLATE_SOAP);
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (note), "service_date", "2026-11-30");
  tend_clinical_note_set_section (note, "subjective", text);
  g_assert_true (tend_chart_save_note (p->store, note, &error));
  g_assert_no_error (error);
}

/* Every change the feed gives @p from the beginning: type/id -> body. */
static GHashTable *
feed_of (Peer *p)
{
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *at = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=500%s%s", at != NULL ? "&cursor=" : "",
                                               at != NULL ? at : "");
      g_autoptr(TestResponse) r = test_request (session, server, "GET", path, tend_sync_engine_get_token (p->engine), NULL);
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      changes = json_node_get_array (test_json_get (r->json, "changes"));
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonNode *c = json_array_get_element (changes, i);
          JsonNode *body = test_json_get (c, "body");

          g_hash_table_insert (seen, g_strdup_printf ("%s/%s", test_json_string (c, "type"), test_json_string (c, "id")),
                               JSON_NODE_HOLDS_NULL (body) ? g_strdup ("") : json_to_string (body, FALSE));
        }
      g_free (at);
      at = g_strdup (test_json_string (r->json, "cursor"));
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
    }
  return seen;
}

/* How many notes of @client_id the feed gives @p. */
static guint
feed_notes_of (Peer       *p,
               const char *client_id)
{
  g_autoptr(GHashTable) feed = feed_of (p);
  g_autofree char *needle = g_strdup_printf ("\"client_id\":\"%s\"", client_id);
  GHashTableIter iter;
  gpointer key, value;
  guint n = 0;

  g_hash_table_iter_init (&iter, feed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_has_prefix (key, "note/") && strstr (value, needle) != NULL)
      n++;
  return n;
}

static guint
chart_status (Peer       *p,
              const char *client_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/charts/%s", client_id);
  g_autoptr(TestResponse) r = test_request (session, server, "GET", path, tend_sync_engine_get_token (p->engine), NULL);

  return r->status;
}

/* One raw operation by @p; its result's status and code. */
static char *
push_raw (Peer       *p,
          const char *type,
          const char *id,
          gint64      base_version,
          const char *body)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op_id, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push",
                                            tend_sync_engine_get_token (p->engine), payload);
  const char *code;

  g_assert_cmpuint (r->status, ==, 200);
  code = test_json_string (r->json, "results.0.error.code");
  return g_strdup_printf ("%s%s%s", test_json_string (r->json, "results.0.status"), code != NULL ? " " : "",
                          code != NULL ? code : "");
}

typedef struct
{
  Peer *owner;
  Peer *ann;
  Peer *ben;
  Peer *sue;
  char *ann_client;
  char *ben_client;
} Practice;

static void
practice_setup (Practice *t)
{
  t->owner = peer_new ("owner@privacy.example");
  t->ann = peer_new ("ann@privacy.example");
  t->ben = peer_new ("ben@privacy.example");
  t->sue = peer_new ("sue@privacy.example");
  /* Sue supervises Ann (her staff record says so). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TendRecord) staff = NULL;

    sync_ok (t->owner);
    staff = tend_store_load (t->owner->store, TEND_TYPE_STAFF, me (t->ann), &error);
    g_assert_no_error (error);
    tend_record_set_string (staff, "supervisor_id", me (t->sue));
    store_test_save (t->owner->store, staff);
  }
  t->ann_client = new_client (t->owner, me (t->ann));
  t->ben_client = new_client (t->owner, me (t->ben));
  sync_ok (t->owner);
  sync_ok (t->ann);
  sync_ok (t->ben);
  write_note (t->ann, t->ann_client, "Ann's words about her client");
  write_note (t->ann, t->ann_client, "More of Ann's words");
  write_note (t->ben, t->ben_client, "Ben's words about his client");
  sync_ok (t->ann);
  sync_ok (t->ben);
  sync_ok (t->ann);
  sync_ok (t->sue);
}

static void
practice_teardown (Practice *t)
{
  g_clear_pointer (&t->owner, peer_free);
  g_clear_pointer (&t->ann, peer_free);
  g_clear_pointer (&t->ben, peer_free);
  g_clear_pointer (&t->sue, peer_free);
  g_free (t->ann_client);
  g_free (t->ben_client);
}

/* Everything in one practice, in order: each step builds on the last. */
static void
test_privacy (void)
{
  Practice t = { 0 };
  g_autofree char *sql = NULL;
  g_autofree char *glass_id = NULL;

  practice_setup (&t);

  /* Ben is not on Ann's client's chart: the feed gives him nothing of it,
   * nor does the chart endpoint; his own client's note is his.  The
   * client record itself (demographics) is everyone's. */
  g_assert_cmpuint (feed_notes_of (t.ben, t.ann_client), ==, 0);
  g_assert_cmpuint (feed_notes_of (t.ben, t.ben_client), ==, 1);
  g_assert_cmpint (notes_of (t.ben, t.ann_client), ==, 0);
  g_assert_cmpint (notes_of (t.ben, t.ben_client), ==, 1);
  g_assert_cmpuint (chart_status (t.ben, t.ann_client), ==, 403);
  g_assert_cmpint (local_count (t.ben, "SELECT count(*) FROM client"), ==, 2);
  /* The owner reads every chart; Ann her own only. */
  sync_ok (t.owner);
  g_assert_cmpint (notes_of (t.owner, t.ann_client), ==, 2);
  g_assert_cmpint (notes_of (t.owner, t.ben_client), ==, 1);
  g_assert_cmpint (notes_of (t.ann, t.ben_client), ==, 0);

  /* Sue reads her supervisee's client's chart, not Ben's client's. */
  g_assert_cmpint (notes_of (t.sue, t.ann_client), ==, 2);
  g_assert_cmpint (notes_of (t.sue, t.ben_client), ==, 0);
  g_assert_cmpuint (chart_status (t.sue, t.ann_client), ==, 200);

  /* Forged bodies grant nothing: emergency access for someone else, or
   * "granted by" the chart's clinician, a covering of his own, making
   * himself the client's clinician, a note into the chart. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autoptr(TendChartAccess) forged = tend_chart_access_new_emergency (t.ann_client, me (t.ben), "Crisis");
    g_autoptr(TendChartAccess) as_ann = NULL;
    g_autoptr(TendChartAccess) covering = NULL;
    g_autofree char *body = NULL;
    g_autofree char *result = NULL;

    tend_record_set_string (TEND_RECORD (forged), "granted_by", me (t.ann));
    body = tend_record_to_body_string (TEND_RECORD (forged));
    result = push_raw (t.ben, "chart_access", id, 0, body);
    g_assert_cmpstr (result, ==, "rejected forbidden");
    g_clear_pointer (&body, g_free);
    g_clear_pointer (&result, g_free);

    as_ann = tend_chart_access_new_emergency (t.ann_client, me (t.sue), "Crisis");
    tend_record_set_string (TEND_RECORD (as_ann), "granted_by", me (t.ben));
    body = tend_record_to_body_string (TEND_RECORD (as_ann));
    result = push_raw (t.ben, "chart_access", id, 0, body);
    g_assert_cmpstr (result, ==, "rejected forbidden");
    g_clear_pointer (&body, g_free);
    g_clear_pointer (&result, g_free);

    covering = tend_chart_access_new (TEND_CHART_ACCESS_ASSIGNED, t.ann_client, me (t.ben), me (t.ben), NULL, NULL);
    body = tend_record_to_body_string (TEND_RECORD (covering));
    result = push_raw (t.ben, "chart_access", id, 0, body);
    g_assert_cmpstr (result, ==, "rejected forbidden");
    g_clear_pointer (&body, g_free);
    g_clear_pointer (&result, g_free);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TendRecord) client = tend_store_load (t.ben->store, TEND_TYPE_CLIENT, t.ann_client, &error);
    g_autofree char *body = NULL;
    g_autofree char *result = NULL;
    g_autofree char *note_id = g_uuid_string_random ();
    g_autoptr(TendClinicalNote) note = tend_clinical_note_new (t.ann_client, me (t.ben), TEND_NOTE_TEMPLATE_SOAP);
    g_autoptr(JsonNode) with_extra = NULL;

    g_assert_no_error (error);
    tend_record_set_string (client, "primary_clinician_id", me (t.ben));
    body = tend_record_to_body_string (client);
    result = push_raw (t.ben, "client", t.ann_client, tend_record_get_version (client), body);
    g_assert_cmpstr (result, ==, "rejected forbidden");
    g_clear_pointer (&body, g_free);
    g_clear_pointer (&result, g_free);
    /* Members the server might be thought to read are only data. */
    tend_record_set_string (TEND_RECORD (note), "service_date", "2026-11-30");
    with_extra = tend_record_serialize_body (TEND_RECORD (note));
    json_object_set_string_member (json_node_get_object (with_extra), "chart_client", t.ben_client);
    json_object_set_string_member (json_node_get_object (with_extra), "audience", me (t.ben));
    body = json_to_string (with_extra, FALSE);
    result = push_raw (t.ben, "note", note_id, 0, body);
    g_assert_cmpstr (result, ==, "rejected forbidden");
  }
  g_assert_cmpuint (feed_notes_of (t.ben, t.ann_client), ==, 0);

  /* Ben breaks the glass: the chart's history (older than his grant)
   * reaches his store at the next sync, audited at the server. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TendChartAccess) glass = tend_chart_break_glass (t.ben->store, t.ann_client,
                                                               "Client called in crisis; Ann away", &error);

    g_assert_no_error (error);
    glass_id = g_strdup (tend_record_get_id (TEND_RECORD (glass)));
  }
  sync_ok (t.ben);
  g_assert_cmpint (notes_of (t.ben, t.ann_client), ==, 2);
  g_assert_cmpint (local_count (t.ben, "SELECT count(*) FROM chart_reach"), ==, 2);
  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE practice_id = '%s' AND action = 'break-glass'"
                         " AND record_type = 'client' AND record_id = '%s' AND detail = '%s'",
                         practice_id, t.ann_client, glass_id);
  g_assert_cmpint (server_count (sql), ==, 1);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM audit WHERE practice_id = '%s' AND action = 'read-chart'"
                         " AND record_id = '%s'", practice_id, t.ann_client);
  g_assert_cmpint (server_count (sql), >=, 1);
  g_assert_cmpuint (chart_status (t.ben, t.ann_client), ==, 200);
  /* What Ann writes now reaches him by the feed. */
  write_note (t.ann, t.ann_client, "Written after the glass was broken");
  sync_ok (t.ann);
  sync_ok (t.ben);
  g_assert_cmpint (notes_of (t.ben, t.ann_client), ==, 3);
  /* Ann sees who broke the glass on her client's chart, and why. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) access = tend_chart_list_access (t.ann->store, t.ann_client, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (access->len, ==, 1);
    g_assert_cmpstr (tend_chart_access_get_staff_id (g_ptr_array_index (access, 0)), ==, me (t.ben));
    g_assert_cmpstr (tend_chart_access_get_reason (g_ptr_array_index (access, 0)), ==,
                     "Client called in crisis; Ann away");
  }
  /* Ben gives it up: his store drops the chart; the feed stops. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TendRecord) glass = tend_store_load (t.ben->store, TEND_TYPE_CHART_ACCESS, glass_id, &error);

    g_assert_no_error (error);
    tend_chart_access_end (TEND_CHART_ACCESS (glass));
    store_test_save (t.ben->store, glass);
  }
  sync_ok (t.ben);
  sync_ok (t.ben);
  g_assert_cmpint (notes_of (t.ben, t.ann_client), ==, 0);
  g_assert_cmpuint (feed_notes_of (t.ben, t.ann_client), ==, 0);
  g_assert_cmpuint (chart_status (t.ben, t.ann_client), ==, 403);

  /* Covering ends at its end: Ann has Ben cover for three seconds. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) end = g_date_time_add_seconds (now, 3);
    g_autofree char *until = tend_time_to_iso8601 (end);
    g_autoptr(TendChartAccess) covering = tend_chart_access_new (TEND_CHART_ACCESS_COVERING, t.ann_client, me (t.ben),
                                                                 me (t.ann), until, NULL);

    store_test_save (t.ann->store, TEND_RECORD (covering));
    sync_ok (t.ann);
    sync_ok (t.ben);
    g_assert_cmpint (notes_of (t.ben, t.ann_client), ==, 3);
    g_usleep (3500 * G_TIME_SPAN_MILLISECOND);
    write_note (t.ann, t.ann_client, "Written after the covering ended");
    sync_ok (t.ann);
    /* The run says so, so the app's views reload. */
    g_assert_cmpuint (sync_ok (t.ben).dropped, ==, 1);
    g_assert_cmpint (notes_of (t.ben, t.ann_client), ==, 0);
    g_assert_cmpuint (feed_notes_of (t.ben, t.ann_client), ==, 0);
    g_assert_cmpuint (chart_status (t.ben, t.ann_client), ==, 403);
  }

  /* Reassignment: the owner moves Ben's client to Ann.  Ben's store drops
   * the chart, Ann's fetches its history. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TendRecord) client = NULL;

    sync_ok (t.owner);
    client = tend_store_load (t.owner->store, TEND_TYPE_CLIENT, t.ben_client, &error);
    g_assert_no_error (error);
    tend_record_set_string (client, "primary_clinician_id", me (t.ann));
    store_test_save (t.owner->store, client);
    sync_ok (t.owner);
  }
  g_assert_cmpint (notes_of (t.ben, t.ben_client), ==, 1);
  sync_ok (t.ben);
  g_assert_cmpint (notes_of (t.ben, t.ben_client), ==, 0);
  g_assert_cmpint (local_count (t.ben, "SELECT count(*) FROM note"), ==, 0);
  g_assert_cmpuint (feed_notes_of (t.ben, t.ben_client), ==, 0);
  sync_ok (t.ann);
  g_assert_cmpint (notes_of (t.ann, t.ben_client), ==, 1);
  /* And so does Sue, Ann's supervisor. */
  sync_ok (t.sue);
  g_assert_cmpint (notes_of (t.sue, t.ben_client), ==, 1);

  practice_teardown (&t);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chart-privacy/feed-and-stores", test_privacy);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Privacy Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", "owner@privacy.example",
                         "--owner-name", "Olga Owens", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "ann@privacy.example",
                               "--name", "Ann Archer", "--role", "clinician", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "ben@privacy.example",
                               "--name", "Ben Baker", "--role", "clinician", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "sue@privacy.example",
                               "--name", "Sue Sawyer", "--role", "supervisor", NULL));
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  rc = g_test_run ();
  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  g_free (practice_id);
  return rc;
}
