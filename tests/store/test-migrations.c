/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-migrations.c: a store made at every older schema opens, upgrades and
 * keeps its data, and ends with the same schema as a new store */
#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "tend-chart.h"

#define SCHEMA_SQL \
  "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10))" \
  " FROM (SELECT type, name, sql FROM sqlite_master ORDER BY type, name)"

static char *
schema_of (StoreFixture *f)
{
  return store_test_query_text (f, SCHEMA_SQL);
}

/* The schema a store created today has. */
static char *
fresh_schema (StoreFixture *f)
{
  StoreFixture fresh = *f;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "fresh.db", NULL);

  fresh.path = path;
  store = tend_store_open (path, f->key, TEND_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, tend_store_get_latest_version ());
  store_test_close (&store);
  return schema_of (&fresh);
}

static void
test_table (void)
{
  g_assert_cmpuint (tend_store_get_latest_version (), ==, tend_store_n_migrations);
  g_assert_cmpuint (tend_store_n_migrations, >=, 2);
  g_assert_null (tend_store_migrations[0]);
  for (guint v = 1; v <= tend_store_n_migrations; v++)
    g_assert_nonnull (tend_store_migrations[v]);
}

typedef struct
{
  char *client_id;
  char *staff_id;
  char *room_id;
  char *client_body;
  gint64 audit_rows;
} OldData;

static void
old_data_clear (OldData *d)
{
  g_free (d->client_id);
  g_free (d->staff_id);
  g_free (d->room_id);
  g_free (d->client_body);
}

/* What every schema from 1 on can hold. */
static void
write_old_data (TendStore *store,
                OldData   *d)
{
  g_autoptr(TendClient) client = tend_client_new ("Migra", "Tory");
  g_autoptr(TendStaff) staff = tend_staff_new ("Uma", "Grade", TEND_ROLE_CLINICIAN);
  g_autoptr(TendRoom) room = tend_room_new ("Upgrade Room");
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (client), "email", "migra.tory@example.org");
  tend_record_set_string (TEND_RECORD (client), "phone_mobile", "(617) 555-0111");
  tend_record_set_string (TEND_RECORD (client), "record_number", "MIG-1");
  tend_record_set_string (TEND_RECORD (staff), "email", "uma@example.org");
  store_test_save (store, TEND_RECORD (client));
  store_test_save (store, TEND_RECORD (staff));
  store_test_save (store, TEND_RECORD (room));
  g_assert_true (tend_store_audit (store, "open-chart", "client", tend_record_get_id (TEND_RECORD (client)), &error));
  g_assert_no_error (error);
  g_assert_true (tend_store_set_meta (store, "sync-cursor", "c1", &error));
  g_assert_no_error (error);

  d->client_id = g_strdup (tend_record_get_id (TEND_RECORD (client)));
  d->staff_id = g_strdup (tend_record_get_id (TEND_RECORD (staff)));
  d->room_id = g_strdup (tend_record_get_id (TEND_RECORD (room)));
  d->client_body = tend_record_to_body_string (TEND_RECORD (client));
  d->audit_rows = 4;
}

static void
check_old_data (TendStore *store,
                OldData   *d)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) client = tend_store_load (store, TEND_TYPE_CLIENT, d->client_id, &error);
  g_autoptr(TendRecord) staff = NULL;
  g_autoptr(TendRecord) room = NULL;
  g_autoptr(GArray) rids = NULL;
  g_autoptr(TendRecord) found = NULL;
  g_autofree char *body = NULL;
  g_autofree char *cursor = NULL;
  gint64 n_rows = 0, bad = -1;

  g_assert_no_error (error);
  body = tend_record_to_body_string (client);
  g_assert_cmpstr (body, ==, d->client_body);
  staff = tend_store_load (store, TEND_TYPE_STAFF, d->staff_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_staff_get_family_name (TEND_STAFF (staff)), ==, "Grade");
  room = tend_store_load (store, TEND_TYPE_ROOM, d->room_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_room_get_name (TEND_ROOM (room)), ==, "Upgrade Room");
  cursor = tend_store_get_meta (store, "sync-cursor");
  g_assert_cmpstr (cursor, ==, "c1");

  /* Still searchable, by name and by phone. */
  rids = tend_store_search_clients (store, "migra tor", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rids->len, ==, 1);
  found = tend_store_load_by_rid (store, TEND_TYPE_CLIENT, g_array_index (rids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_id (found), ==, d->client_id);
  g_clear_pointer (&rids, g_array_unref);
  rids = tend_store_search_clients (store, "6175550111", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rids->len, ==, 1);

  g_assert_cmpuint (tend_store_count_outbox (store), ==, 3);
  g_assert_true (tend_store_verify_audit (store, &n_rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_rows, ==, d->audit_rows);
  g_assert_cmpint (bad, ==, 0);
}

static void
test_upgrade_from (StoreFixture  *f,
                   gconstpointer  data)
{
  guint from = GPOINTER_TO_UINT (data);
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *upgraded = NULL;
  g_autofree char *expected = NULL;
  OldData old = { 0, };

  g_assert_cmpuint (from, <, tend_store_get_latest_version ());

  store = tend_store_open_at_version (f->path, f->key, from, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, from);
  if (from >= 1)
    write_old_data (store, &old);
  store_test_close (&store);
  g_assert_cmpint (store_test_query_int (f, "PRAGMA user_version"), ==, from);

  store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, tend_store_get_latest_version ());

  if (from >= 1)
    check_old_data (store, &old);
  else
    g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 0);

  /* The upgraded store takes new data, on the same audit chain. */
  {
    g_autoptr(TendClient) client = tend_client_new ("After", "Upgrade");
    gint64 n_rows = 0, bad = -1;

    store_test_save (store, TEND_RECORD (client));
    g_assert_true (tend_store_verify_audit (store, &n_rows, &bad, &error));
    g_assert_no_error (error);
    g_assert_cmpint (n_rows, ==, (from >= 1 ? old.audit_rows : 0) + 1);
  }
  store_test_close (&store);

  /* Same schema as a store created today. */
  upgraded = schema_of (f);
  expected = fresh_schema (f);
  g_assert_cmpstr (upgraded, ==, expected);

  /* And after closing, it opens again and still holds everything. */
  store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, from >= 1 ? 2 : 1);
  old_data_clear (&old);
}

/* One version at a time, closing in between. */
static void
test_step_by_step (StoreFixture  *f,
                   gconstpointer  data)
{
  guint latest = tend_store_get_latest_version ();
  OldData old = { 0, };
  g_autoptr(GError) error = NULL;

  for (guint v = 1; v <= latest; v++)
    {
      g_autoptr(TendStore) store = tend_store_open_at_version (f->path, f->key, v, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (tend_store_get_schema_version (store), ==, v);
      if (v == 1)
        write_old_data (store, &old);
      else
        check_old_data (store, &old);
      store_test_close (&store);
    }
  old_data_clear (&old);
}

/* Opening a current store changes nothing, and never goes backwards. */
static void
test_latest_is_noop (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *after_lower = NULL;
  OldData old = { 0, };
  guint latest = tend_store_get_latest_version ();

  write_old_data (store, &old);
  store_test_close (&store);
  before = store_test_file_checksum (f->path);

  store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, latest);
  check_old_data (store, &old);
  store_test_close (&store);
  after = store_test_file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);

  store = tend_store_open_at_version (f->path, f->key, latest, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, latest);
  store_test_close (&store);

  store = tend_store_open_at_version (f->path, f->key, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, latest);
  store_test_close (&store);
  after_lower = store_test_file_checksum (f->path);
  g_assert_cmpstr (after_lower, ==, before);

  old_data_clear (&old);
}

/* Version 4 (charts): a store with appointments gains the chart tables, the
 * signed-note trigger and note search, and the old rows are untouched. */
static void
test_upgrade_to_charts (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Chart", "Upgrade");
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autofree char *sql = NULL;

  store = tend_store_open_at_version (f->path, f->key, 3, &error);
  g_assert_no_error (error);
  store_test_save (store, TEND_RECORD (client));
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name = 'note'"), ==, 0);
  store_test_close (&store);

  store = store_test_open (f);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, tend_store_get_latest_version ());
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                            " ('note', 'note_fts', 'note_draft', 'diagnosis', 'treatment_plan',"
                                            "  'measure', 'document', 'document_blob', 'note_signed_frozen',"
                                            "  'treatment_plan_signed_frozen')"), ==, 10);
  note = tend_clinical_note_new (tend_record_get_id (TEND_RECORD (client)),
                                 "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", TEND_NOTE_TEMPLATE_DAP);
  tend_clinical_note_set_section (note, "data", "Upgraded store note");
  tend_clinical_note_set_section (note, "assessment", "Stable");
  tend_clinical_note_set_section (note, "plan", "Weekly");
  g_assert_true (tend_clinical_note_mark_signed (note, "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", now, &error));
  store_test_save (store, TEND_RECORD (note));
  store_test_close (&store);
  sql = g_strdup_printf ("UPDATE note SET body = json_set(body, '$.template', 'soap') WHERE id = '%s'",
                         tend_record_get_id (TEND_RECORD (note)));
  {
    sqlite3 *db = store_test_raw_open (f);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
    sqlite3_close (db);
  }
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM note_fts WHERE note_fts MATCH 'upgraded'"), ==, 1);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM client"), ==, 1);
}

/* A store from before billing: the billing step adds its tables, and a
 * charge saved after the upgrade has its generated amount. */
static void
test_billing_after_upgrade (StoreFixture  *f,
                            gconstpointer  data)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint before = 5;   /* billing is migration 6 */

  store = tend_store_open_at_version (f->path, f->key, before, &error);
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name = 'charge'"), ==, 0);
  store_test_close (&store);

  store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
    g_autoptr(TendStaff) staff = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);
    g_autoptr(TendCharge) charge = NULL;

    store_test_save (store, TEND_RECORD (client));
    store_test_save (store, TEND_RECORD (staff));
    charge = tend_charge_new (tend_record_get_id (TEND_RECORD (client)), tend_record_get_id (TEND_RECORD (staff)),
                              TEND_CHARGE_MANUAL, "2026-03-02", 12345);
    tend_record_set_string (TEND_RECORD (charge), "description", "Letter");
    tend_record_set_int (TEND_RECORD (charge), "units", 2);
    store_test_save (store, TEND_RECORD (charge));
  }
  store_test_close (&store);
  g_assert_cmpint (store_test_query_int (f, "SELECT amount FROM charge"), ==, 24690);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                                            " ('service', 'service_fee', 'billing_settings', 'charge', 'payment',"
                                            " 'allocation', 'adjustment', 'payer', 'policy', 'claim')"), ==, 10);
}

/* Migration 8 makes the outbox again without its copies of the bodies:
 * its entries stay, and the sequence carries on after the highest number
 * it ever gave (an entry pushed and dropped is never numbered again). */
static void
test_outbox_reference (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = tend_store_open_at_version (f->path, f->key, TEND_STORE_SCHEMA_OUTBOX_REFERENCE - 1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TendClient) c = tend_client_new ("Seq", "Carry");

      store_test_save (store, TEND_RECORD (c));
    }
  g_assert_true (tend_store_exec (store, "DELETE FROM outbox WHERE seq = 3", &error));
  g_assert_no_error (error);
  store_test_close (&store);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM pragma_table_info('outbox')"
                                            " WHERE name IN ('body', 'op_id')"), ==, 2);

  store = store_test_open (f);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM pragma_table_info('outbox')"
                                            " WHERE name IN ('body', 'op_id')"), ==, 0);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox WHERE seq IN (1, 2)"), ==, 2);
  {
    g_autoptr(TendClient) c = tend_client_new ("Seq", "Next");

    store_test_save (store, TEND_RECORD (c));
  }
  g_assert_cmpint (store_test_query_int (f, "SELECT max(seq) FROM outbox"), ==, 4);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox"), ==, 3);
}

/* Version 13 (privacy between clinicians): chart_access, chart_reach and
 * chart_purge; a signed note stays undeletable except while chart_purge
 * names its client (in the purging transaction). */
static void
test_upgrade_to_chart_access (StoreFixture  *f,
                              gconstpointer  data)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Chart", "Access");
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autofree char *purge = NULL;
  sqlite3 *db;

  store = tend_store_open_at_version (f->path, f->key, 12, &error);
  g_assert_no_error (error);
  store_test_save (store, TEND_RECORD (client));
  note = tend_clinical_note_new (tend_record_get_id (TEND_RECORD (client)),
                                 "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", TEND_NOTE_TEMPLATE_DAP);
  tend_clinical_note_set_section (note, "data", "Before the upgrade");
  tend_clinical_note_set_section (note, "assessment", "Stable");
  tend_clinical_note_set_section (note, "plan", "Weekly");
  g_assert_true (tend_clinical_note_mark_signed (note, "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", now, &error));
  store_test_save (store, TEND_RECORD (note));
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name = 'chart_access'"), ==, 0);
  store_test_close (&store);

  store = store_test_open (f);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, tend_store_get_latest_version ());
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                            " ('chart_access', 'chart_reach', 'chart_purge',"
                                            "  'note_signed_no_delete', 'treatment_plan_signed_no_delete')"), ==, 5);
  store_test_close (&store);
  db = store_test_raw_open (f);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM note", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  purge = g_strdup_printf ("BEGIN; INSERT INTO chart_purge VALUES ('%s'); DELETE FROM note;"
                           " DELETE FROM chart_purge; COMMIT;", tend_record_get_id (TEND_RECORD (client)));
  g_assert_cmpint (sqlite3_exec (db, purge, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM note"), ==, 0);
}

/* The practice's note templates (found by what the migration creates, not
 * by its number, which the order of merges decides): a store from before
 * gains the table, a built-in note signed before keeps its hash, and a
 * template then saves and lists. */
static void
test_upgrade_to_note_template (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Note", "Template");
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(TendPracticeTemplate) t = tend_practice_template_new ("Brief check-in");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(TendRecord) again = NULL;
  g_autofree char *hash = NULL;
  guint version = 0;

  for (guint v = 1; v <= tend_store_n_migrations; v++)
    if (strstr (tend_store_migrations[v], "CREATE TABLE note_template") != NULL)
      version = v;
  g_assert_cmpuint (version, >, 1);
  store = tend_store_open_at_version (f->path, f->key, version - 1, &error);
  g_assert_no_error (error);
  store_test_save (store, TEND_RECORD (client));
  note = tend_clinical_note_new (tend_record_get_id (TEND_RECORD (client)),
                                 "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", TEND_NOTE_TEMPLATE_DAP);
  tend_clinical_note_set_sections (note, "data", "Before", "assessment", "Stable", "plan", "Weekly", NULL);
  g_assert_true (tend_clinical_note_mark_signed (note, "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91", now, &error));
  hash = g_strdup (tend_clinical_note_get_content_sha256 (note));
  store_test_save (store, TEND_RECORD (note));
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name = 'note_template'"), ==, 0);
  store_test_close (&store);

  store = store_test_open (f);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                            " ('note_template', 'note_template_name')"), ==, 2);
  again = tend_store_load (store, TEND_TYPE_CLINICAL_NOTE, tend_record_get_id (TEND_RECORD (note)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_clinical_note_get_content_sha256 (TEND_CLINICAL_NOTE (again)), ==, hash);
  store_test_save (store, TEND_RECORD (t));
  all = tend_store_list (store, TEND_TYPE_PRACTICE_TEMPLATE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM note_template WHERE name = 'Brief check-in'"), ==, 1);
}

/* Related people (issue 15): found by where its migration is in the
 * list, since migrations are ordered when branches merge. */
static void
test_upgrade_to_related_person (StoreFixture  *f,
                                gconstpointer  data)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Lu", "Hale");
  g_autoptr(TendRelatedPerson) parent = NULL;
  g_autoptr(GPtrArray) people = NULL;
  guint v = 1;

  while (v <= tend_store_n_migrations && strstr (tend_store_migrations[v], "CREATE TABLE related_person") == NULL)
    v++;
  g_assert_cmpuint (v, <=, tend_store_n_migrations);
  store = tend_store_open_at_version (f->path, f->key, v - 1, &error);
  g_assert_no_error (error);
  store_test_save (store, TEND_RECORD (client));
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name = 'related_person'"), ==, 0);
  store_test_close (&store);

  store = store_test_open (f);
  g_assert_cmpuint (tend_store_get_schema_version (store), ==, tend_store_get_latest_version ());
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                            " ('related_person', 'related_person_client', 'related_person_linked')"), ==, 3);
  parent = tend_related_person_new (tend_record_get_id (TEND_RECORD (client)), "Mara Hale", TEND_RELATED_PARENT);
  store_test_save (store, TEND_RECORD (parent));
  people = tend_chart_list_related_people (store, tend_record_get_id (TEND_RECORD (client)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/table", test_table);
  for (guint v = 0; v < tend_store_get_latest_version (); v++)
    {
      g_autofree char *path = g_strdup_printf ("/migrations/upgrade-from/%u", v);

      g_test_add (path, StoreFixture, GUINT_TO_POINTER (v),
                  store_test_setup, test_upgrade_from, store_test_teardown);
    }
  g_test_add ("/migrations/outbox-reference", StoreFixture, NULL,
              store_test_setup, test_outbox_reference, store_test_teardown);
  g_test_add ("/migrations/step-by-step", StoreFixture, NULL,
              store_test_setup, test_step_by_step, store_test_teardown);
  g_test_add ("/migrations/billing-after-upgrade", StoreFixture, NULL,
              store_test_setup, test_billing_after_upgrade, store_test_teardown);
  g_test_add ("/migrations/latest-is-noop", StoreFixture, NULL,
              store_test_setup, test_latest_is_noop, store_test_teardown);
  g_test_add ("/migrations/note-template", StoreFixture, NULL,
              store_test_setup, test_upgrade_to_note_template, store_test_teardown);
  g_test_add ("/migrations/13-chart-access", StoreFixture, NULL,
              store_test_setup, test_upgrade_to_chart_access, store_test_teardown);
  g_test_add ("/migrations/related-person", StoreFixture, NULL,
              store_test_setup, test_upgrade_to_related_person, store_test_teardown);
  g_test_add ("/migrations/4-charts", StoreFixture, NULL,
              store_test_setup, test_upgrade_to_charts, store_test_teardown);

  return g_test_run ();
}
