/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: encryption at rest, opening failures, atomic writes, the
 * outbox, permissions, the changed signal, meta and local passwords */
#include "config.h"

#include "store-test-util.h"
#include "tend-sync-store.h"

#define PLAIN_GIVEN  "Zebediah"
#define PLAIN_FAMILY "Quuxworth"
#define PLAIN_EMAIL  "zebediah@example.org"

static TendClient *
make_zebediah (void)
{
  TendClient *client = tend_client_new (PLAIN_GIVEN, PLAIN_FAMILY);
  TendRecord *r = TEND_RECORD (client);

  tend_record_set_string (r, "email", PLAIN_EMAIL);
  tend_record_set_string (r, "phone_mobile", "(617) 555-0187");
  tend_record_set_string (r, "record_number", "ZQ-4242");
  tend_record_set_string (r, "date_of_birth", "1971-08-09");
  tend_record_set_string (r, "referral_source", "Quuxworth family practice");
  return client;
}

static const char * const secrets[] = {
  PLAIN_GIVEN, PLAIN_FAMILY, PLAIN_EMAIL, "quuxworth", "zebediah", "ZQ-4242", "6175550187", NULL
};

static void
assert_no_plaintext (const char *path)
{
  for (guint i = 0; secrets[i] != NULL; i++)
    if (store_test_file_contains (path, secrets[i]))
      g_error ("%s holds “%s” in clear", path, secrets[i]);
  /* Not even a plain SQLite header. */
  g_assert_false (store_test_file_contains (path, "SQLite format 3"));
}

static gint64
audit_rows (StoreFixture *f)
{
  return store_test_query_int (f, "SELECT count(*) FROM audit_log");
}

static gint64
client_rows (StoreFixture *f)
{
  return store_test_query_int (f, "SELECT count(*) FROM client");
}

static char *
last_outbox_op (StoreFixture *f)
{
  return store_test_query_text (f, "SELECT op || ' ' || record_type || ' ' || record_id"
                                   " FROM outbox ORDER BY seq DESC LIMIT 1");
}

static void
test_encrypted_at_rest (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) client = make_zebediah ();
  g_autoptr(TendRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autofree char *cipher = NULL;
  g_autofree char *body_before = NULL;
  g_autofree char *body_after = NULL;
  g_autofree char *id = g_strdup (tend_record_get_id (TEND_RECORD (client)));
  GStatBuf st;

  cipher = tend_store_dup_cipher_version (store);
  g_assert_nonnull (cipher);
  g_test_message ("SQLCipher %s", cipher);

  store_test_save (store, TEND_RECORD (client));
  body_before = tend_record_to_body_string (TEND_RECORD (client));

  /* While open the change sits in the WAL: look there too. */
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  assert_no_plaintext (f->path);
  assert_no_plaintext (wal);
  assert_no_plaintext (shm);

  store_test_close (&store);
  assert_no_plaintext (f->path);
  assert_no_plaintext (wal);

  store = store_test_open (f);
  loaded = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  body_after = tend_record_to_body_string (loaded);
  g_assert_cmpstr (body_after, ==, body_before);
  g_assert_cmpstr (tend_client_get_legal_family (TEND_CLIENT (loaded)), ==, PLAIN_FAMILY);
  g_assert_cmpstr (tend_client_get_email (TEND_CLIENT (loaded)), ==, PLAIN_EMAIL);
  g_assert_false (tend_record_get_deleted (loaded));
  g_assert_cmpint (tend_store_get_schema_version (store), ==, tend_store_get_latest_version ());
}

/* The scan above would see clear text: the unencrypted baseline shows it. */
static void
test_plaintext_baseline_is_detected (StoreFixture  *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) store = tend_store_open_plaintext (f->path, &error);
  g_autoptr(TendClient) client = make_zebediah ();

  g_assert_no_error (error);
  store_test_save (store, TEND_RECORD (client));
  store_test_close (&store);
  g_assert_true (store_test_file_contains (f->path, PLAIN_FAMILY));
  g_assert_true (store_test_file_contains (f->path, "SQLite format 3"));
}

static char *
make_store_with_client (StoreFixture *f)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) client = make_zebediah ();

  store_test_save (store, TEND_RECORD (client));
  store_test_close (&store);
  return g_strdup (tend_record_get_id (TEND_RECORD (client)));
}

static void
assert_open_fails (StoreFixture *f,
                   GBytes       *key,
                   GQuark        domain,
                   int           code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) store = tend_store_open (f->path, key, TEND_STORE_OPEN_CREATE, &error);

  g_assert_null (store);
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
}

static void
test_wrong_key (StoreFixture  *f,
                gconstpointer  data)
{
  g_autofree char *id = make_store_with_client (f);
  g_autofree char *keyid = g_strconcat (f->path, ".keyid", NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *before = store_test_file_checksum (f->path);
  g_autoptr(GBytes) other = tend_keyring_generate_key ();
  g_autoptr(GBytes) short_key = g_bytes_new ("0123456789abcdef", 16);
  g_autoptr(TendStore) store = NULL;
  g_autoptr(TendRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autofree char *after2 = NULL;
  g_autofree char *expected_id = tend_store_key_id (f->key);
  g_autofree char *stored_id = NULL;

  g_assert_true (g_file_test (keyid, G_FILE_TEST_EXISTS));

  /* With the key id beside the file. */
  assert_open_fails (f, other, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY);
  after = store_test_file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);

  /* Without it: SQLCipher itself must refuse, and nothing is rewritten. */
  g_assert_cmpint (g_remove (keyid), ==, 0);
  assert_open_fails (f, other, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY);
  after2 = store_test_file_checksum (f->path);
  g_assert_cmpstr (after2, ==, before);
  g_assert_false (g_file_test (keyid, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* A key of the wrong size never reaches SQLCipher. */
  assert_open_fails (f, short_key, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY);

  /* The right key still works and writes the key id again. */
  store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  loaded = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_client_get_legal_family (TEND_CLIENT (loaded)), ==, PLAIN_FAMILY);
  g_assert_true (g_file_get_contents (keyid, &stored_id, NULL, NULL));
  g_assert_cmpstr (g_strstrip (stored_id), ==, expected_id);
}

static void
test_missing_file (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_NONE, &error);

  g_assert_null (store);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
write_key_id (StoreFixture *f)
{
  g_autofree char *keyid = g_strconcat (f->path, ".keyid", NULL);
  g_autofree char *id = tend_store_key_id (f->key);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (keyid, id, -1, &error);
  g_assert_no_error (error);
}

static void
test_corrupt_garbage (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  store_test_write_random_file (f->path, 5 * 4096);
  write_key_id (f);
  before = store_test_file_checksum (f->path);

  assert_open_fails (f, f->key, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT);
  after = store_test_file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);

  /* Asking to create does not replace a damaged file either. */
  assert_open_fails (f, f->key, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT);
  g_free (after);
  after = store_test_file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* A real database with its first page damaged, key id intact. */
static void
test_corrupt_first_page (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *id = make_store_with_client (f);
  g_autofree char *contents = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_file_get_contents (f->path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >=, 4096);
  for (guint i = 100; i < 164; i++)
    contents[i] ^= 0x5a;
  g_file_set_contents (f->path, contents, (gssize) len, &error);
  g_assert_no_error (error);
  before = store_test_file_checksum (f->path);

  assert_open_fails (f, f->key, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT);
  after = store_test_file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);
}

static void
test_too_new (StoreFixture  *f,
              gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %u", tend_store_get_latest_version () + 1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (tend_store_exec (store, sql, &error));
  g_assert_no_error (error);
  store_test_close (&store);
  before = store_test_file_checksum (f->path);

  assert_open_fails (f, f->key, TEND_STORE_ERROR, TEND_STORE_ERROR_TOO_NEW);
  after = store_test_file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (store_test_query_int (f, "PRAGMA user_version"), ==, tend_store_get_latest_version () + 1);
}

static void
count_changed (TendStore  *store,
               const char *type_name,
               const char *id,
               guint      *count)
{
  g_assert_cmpstr (type_name, !=, NULL);
  /* A batch of more than 16 changes is announced once, with no id. */
  g_assert_true (id == NULL || g_uuid_string_is_valid (id));
  (*count)++;
}

static TendClient *
make_bulky_client (guint n)
{
  g_autofree char *given = g_strdup_printf ("Filler%u", n);
  TendClient *client = tend_client_new (given, "Diskfull");
  TendRecord *r = TEND_RECORD (client);
  g_autofree char *email = g_strdup_printf ("filler%u@example.org", n);
  g_autofree char *number = g_strdup_printf ("DF-%06u", n);

  tend_record_set_string (r, "email", email);
  tend_record_set_string (r, "record_number", number);
  tend_record_set_string (r, "phone_mobile", "(617) 555-0100");
  tend_record_set_string (r, "address.line1", "1234 Long Avenue Name That Takes Room In The Page, Building 7");
  tend_record_set_string (r, "address.line2", "Suite 1200, care of the Very Long Company Name Incorporated");
  tend_record_set_string (r, "referral_source",
                          "Referred by a colleague from the community health center across the river, twice");
  return client;
}

static void
test_disk_full (StoreFixture  *f,
                gconstpointer  data)
{
  guint headroom = GPOINTER_TO_UINT (data);
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) failed = NULL;
  g_autoptr(TendRecord) missing = NULL;
  gint64 pages;
  guint saved = 0;
  guint changed = 0;
  gint64 audit_before;

  /* One row first so every table has its first pages. */
  {
    g_autoptr(TendClient) first = make_bulky_client (0);
    store_test_save (store, TEND_RECORD (first));
  }
  g_assert_true (tend_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_assert_no_error (error);
  pages = store_test_query_int (f, "PRAGMA page_count");
  g_assert_cmpint (pages, >, 1);
  g_assert_true (tend_store_set_max_pages (store, pages + headroom, &error));
  g_assert_no_error (error);
  audit_before = audit_rows (f);

  g_signal_connect (store, "changed", G_CALLBACK (count_changed), &changed);

  for (guint n = 1; n < 5000; n++)
    {
      g_autoptr(TendClient) client = make_bulky_client (n);

      if (!tend_store_save (store, TEND_RECORD (client), &error))
        {
          failed = g_steal_pointer (&client);
          break;
        }
      saved++;
    }
  g_assert_nonnull (failed);
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_DISK_FULL);
  g_test_message ("%u clients fit in %u more pages, then: %s", saved, headroom, error->message);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, saved);

  /* All or nothing: every saved client has its outbox row and audit row,
   * and the failed one has neither. */
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, saved + 1);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, saved + 1);
  g_assert_cmpint (client_rows (f), ==, saved + 1);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox"), ==, saved + 1);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM client WHERE id NOT IN (SELECT record_id FROM outbox)"), ==, 0);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox WHERE record_id NOT IN (SELECT id FROM client)"), ==, 0);
  g_assert_cmpint (audit_rows (f), ==, audit_before + saved);
  missing = tend_store_load (store, TEND_TYPE_CLIENT, tend_record_get_id (TEND_RECORD (failed)), &error);
  g_assert_null (missing);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (tend_record_get_updated_at (TEND_RECORD (failed)), ==, 0);
  {
    g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM outbox WHERE record_id = '%s'",
                                          tend_record_get_id (TEND_RECORD (failed)));
    g_assert_cmpint (store_test_query_int (f, q), ==, 0);
  }
  {
    gint64 n_rows = 0, bad = -1;

    g_assert_true (tend_store_verify_audit (store, &n_rows, &bad, &error));
    g_assert_no_error (error);
    g_assert_cmpint (bad, ==, 0);
  }

  /* Room again: the same client saves, and the store was left usable. */
  g_assert_true (tend_store_set_max_pages (store, 1000000, &error));
  g_assert_no_error (error);
  store_test_save (store, TEND_RECORD (failed));
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, saved + 2);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, saved + 2);
  g_assert_cmpuint (changed, ==, saved + 1);
}

/* The disk fills inside the caller's transaction: whatever commit then says
 * must be true of the file, and the batch is all or nothing. */
static void
test_disk_full_in_transaction (StoreFixture  *f,
                               gconstpointer  data)
{
  guint headroom = GPOINTER_TO_UINT (data);
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TendClient) after = make_bulky_client (9999);
  gint64 pages, before_clients, before_outbox;
  guint changed = 0;
  gboolean hit_full = FALSE;
  gboolean committed;

  {
    g_autoptr(TendClient) first = make_bulky_client (0);
    store_test_save (store, TEND_RECORD (first));
  }
  g_assert_true (tend_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  pages = store_test_query_int (f, "PRAGMA page_count");
  g_assert_true (tend_store_set_max_pages (store, pages + headroom, &error));
  g_assert_no_error (error);
  before_clients = client_rows (f);
  before_outbox = tend_store_count_outbox (store);
  g_signal_connect (store, "changed", G_CALLBACK (count_changed), &changed);

  g_assert_true (tend_store_begin (store, &error));
  for (guint n = 1; n < 5000 && !hit_full; n++)
    {
      g_autoptr(TendClient) client = make_bulky_client (n);

      if (tend_store_save (store, TEND_RECORD (client), &error))
        g_ptr_array_add (batch, g_steal_pointer (&client));
      else
        hit_full = TRUE;
    }
  g_assert_true (hit_full);
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (changed, ==, 0);

  /* The caller carries on, then commits. */
  g_assert_true (tend_store_set_max_pages (store, 1000000, NULL));
  if (tend_store_save (store, TEND_RECORD (after), NULL))
    g_ptr_array_add (batch, g_object_ref (after));
  committed = tend_store_commit (store, &error);
  g_test_message ("%u saved in the transaction before the disk filled; commit %s (%s)",
                  batch->len, committed ? "succeeded" : "failed", error ? error->message : "");
  g_clear_error (&error);

  if (committed)
    {
      g_assert_cmpint (client_rows (f), ==, before_clients + batch->len);
      /* How many fit before the disk filled depends on the schema's page
       * layout: more than 16 are announced as one change of the type. */
      g_assert_cmpuint (changed, ==, batch->len > 16 ? 1 : batch->len);
    }
  else
    {
      g_assert_cmpint (client_rows (f), ==, before_clients);
      g_assert_cmpuint (tend_store_count_outbox (store), ==, before_outbox);
      g_assert_cmpuint (changed, ==, 0);
    }
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM client WHERE id NOT IN (SELECT record_id FROM outbox)"), ==, 0);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox WHERE record_id NOT IN (SELECT id FROM client)"), ==, 0);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox"), ==, client_rows (f));

  /* And the store works normally afterwards. */
  {
    g_autoptr(TendClient) later = tend_client_new ("Later", "Client");
    guint before = changed;

    store_test_save (store, TEND_RECORD (later));
    g_assert_cmpuint (changed, ==, before + 1);
    g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox"), ==, client_rows (f));
  }
}

/* The row's body is the text json-glib writes from the record's tree
 * (the save path writes it straight from the field table), for a record
 * with only top-level fields and one with fields inside objects; each
 * table's save statements (written once per table) reach the right table,
 * for a new record and for an edit, with the outbox and audit entries. */
static void
test_save_body_text (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendRoom) room = tend_room_new ("Room \"A\" \\ 1");
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  TendRecord *records[] = { TEND_RECORD (room), TEND_RECORD (client) };
  const char *tables[] = { "room", "client" };

  tend_record_set_string (TEND_RECORD (room), "notes", "Quiet.\n\tWhite-noise machine — by the door. 😀");
  tend_record_set_string (TEND_RECORD (client), "address.city", "Córdoba");
  tend_record_set_string (TEND_RECORD (client), "preferred_name", "Nan");
  tend_record_set_string (TEND_RECORD (client), "address.line1", "1 Elm St");

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (records); i++)
      {
        g_autoptr(JsonNode) tree = tend_record_serialize_body (records[i]);
        g_autofree char *expected = json_to_string (tree, FALSE);
        g_autofree char *sql = g_strdup_printf ("SELECT body FROM %s WHERE id = '%s' AND version = 0 AND dirty = 1",
                                                tables[i], tend_record_get_id (records[i]));
        g_autofree char *body = NULL;
        g_autofree char *op = NULL;
        g_autofree char *expected_op = g_strdup_printf ("upsert %s %s", tables[i], tend_record_get_id (records[i]));

        store_test_save (store, records[i]);
        body = store_test_query_text (f, sql);
        g_assert_cmpstr (body, ==, expected);
        op = last_outbox_op (f);
        g_assert_cmpstr (op, ==, expected_op);
        /* Then an edit, saved on the next round. */
        tend_record_set_string (records[i], i == 0 ? "notes" : "address.city", round == 0 ? "Edited" : NULL);
      }
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM outbox"), ==, 4);
  g_assert_cmpint (audit_rows (f), ==, 4);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM audit_log WHERE action = 'update'"), ==, 2);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM room WHERE name = 'Room \"A\" \\ 1'"), ==, 1);
}

static void
test_outbox_atomic (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  g_autoptr(TendClient) invalid = tend_client_new ("Bad", "Email");
  g_autoptr(TendRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *op = NULL;
  const char *id = tend_record_get_id (TEND_RECORD (client));
  gint64 audit_before;

  g_assert_cmpuint (tend_store_count_outbox (store), ==, 0);

  store_test_save (store, TEND_RECORD (client));
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 1);
  expected = g_strdup_printf ("upsert client %s", id);
  op = last_outbox_op (f);
  g_assert_cmpstr (op, ==, expected);
  {
    /* The entry names the row; the row is what a push sends. */
    g_autofree char *body = store_test_query_text (f, "SELECT c.body FROM outbox o JOIN client c ON c.id = o.record_id"
                                                      " ORDER BY o.seq DESC LIMIT 1");
    g_autofree char *record_body = tend_record_to_body_string (TEND_RECORD (client));
    g_assert_cmpstr (body, ==, record_body);
  }

  /* An edit is another upsert. */
  tend_record_set_string (TEND_RECORD (client), "preferred_name", "Annie");
  store_test_save (store, TEND_RECORD (client));
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 2);
  g_free (op);
  op = last_outbox_op (f);
  g_assert_cmpstr (op, ==, expected);

  /* A failed validation writes nothing: not the row, the outbox or the audit log. */
  audit_before = audit_rows (f);
  tend_record_set_string (TEND_RECORD (client), "email", "x@@y.com");
  g_assert_false (tend_store_save (store, TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 2);
  g_assert_cmpint (audit_rows (f), ==, audit_before);
  loaded = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);
  g_assert_no_error (error);
  g_assert_null (tend_client_get_email (TEND_CLIENT (loaded)));
  g_assert_cmpstr (tend_client_get_preferred_name (TEND_CLIENT (loaded)), ==, "Annie");

  tend_record_set_string (TEND_RECORD (invalid), "status", "sleeping");
  g_assert_false (tend_store_save (store, TEND_RECORD (invalid), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 1);
  g_assert_cmpint (client_rows (f), ==, 1);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 2);
  g_assert_cmpint (audit_rows (f), ==, audit_before);
}

/* A step that fails inside the caller's transaction rolls back only itself. */
static void
test_savepoint (StoreFixture  *f,
                gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) a = tend_client_new ("Ann", "Smith");
  g_autoptr(TendClient) never_saved = tend_client_new ("Nobody", "Here");
  g_autoptr(TendClient) b = tend_client_new ("Bob", "Jones");
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_begin (store, &error));
  store_test_save (store, TEND_RECORD (a));
  g_assert_false (tend_store_delete (store, TEND_RECORD (never_saved), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tend_record_get_deleted (TEND_RECORD (never_saved)));
  store_test_save (store, TEND_RECORD (b));
  g_assert_true (tend_store_commit (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 2);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 2);
  g_assert_cmpint (audit_rows (f), ==, 2);
}

static void
test_delete_and_undo (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  g_autoptr(TendClient) stranger = tend_client_new ("Never", "Saved");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (tend_record_get_id (TEND_RECORD (client)));
  g_autofree char *expected = g_strdup_printf ("delete client %s", id);
  g_autofree char *op = NULL;
  g_autofree char *delete_body = NULL;
  g_autoptr(GPtrArray) list = NULL;

  tend_record_set_string (TEND_RECORD (client), "email", "ann@example.com");
  store_test_save (store, TEND_RECORD (client));
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 1);

  g_assert_true (tend_store_delete (store, TEND_RECORD (client), &error));
  g_assert_no_error (error);
  g_assert_true (tend_record_get_deleted (TEND_RECORD (client)));
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 2);
  op = last_outbox_op (f);
  g_assert_cmpstr (op, ==, expected);
  /* What a push sends for it: the tombstone's row. */
  delete_body = store_test_query_text (f, "SELECT c.deleted || ' ' || c.body FROM outbox o JOIN client c"
                                          " ON c.id = o.record_id ORDER BY o.seq DESC LIMIT 1");
  g_assert_cmpstr (delete_body, ==, "1 {}");

  {
    g_autoptr(TendRecord) tomb = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (tomb);
    g_assert_true (tend_record_get_deleted (tomb));
    g_assert_cmpstr (tend_record_get_id (tomb), ==, id);
  }
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 0);
  list = tend_store_list (store, TEND_TYPE_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);

  /* Deleting twice, or something never saved, is NOT_FOUND and writes nothing. */
  g_assert_false (tend_store_delete (store, TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tend_store_delete (store, TEND_RECORD (stranger), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 2);

  /* Undo: save the same object again. */
  store_test_save (store, TEND_RECORD (client));
  g_assert_false (tend_record_get_deleted (TEND_RECORD (client)));
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 3);
  g_free (op);
  op = last_outbox_op (f);
  g_assert_true (g_str_has_prefix (op, "upsert client "));
  {
    g_autoptr(TendRecord) back = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);

    g_assert_no_error (error);
    g_assert_false (tend_record_get_deleted (back));
    g_assert_cmpstr (tend_client_get_email (TEND_CLIENT (back)), ==, "ann@example.com");
  }
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 1);

  /* The undone record is live again: validation applies to its next save. */
  tend_record_set_string (TEND_RECORD (client), "email", "not an email");
  g_assert_false (tend_store_save (store, TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

/* Saving a deleted copy (not the object that was deleted) also undoes. */
static void
test_undo_with_loaded_copy (StoreFixture  *f,
                            gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  g_autoptr(TendRecord) copy = NULL;
  g_autoptr(TendRecord) back = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = tend_record_get_id (TEND_RECORD (client));

  store_test_save (store, TEND_RECORD (client));
  copy = tend_record_copy (TEND_RECORD (client));
  g_assert_true (tend_store_delete (store, TEND_RECORD (client), &error));
  g_assert_no_error (error);
  store_test_save (store, copy);
  back = tend_store_load (store, TEND_TYPE_CLIENT, id, &error);
  g_assert_no_error (error);
  g_assert_false (tend_record_get_deleted (back));
  g_assert_cmpstr (tend_client_get_legal_given (TEND_CLIENT (back)), ==, "Ann");
}

static void
test_permission (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  g_autoptr(TendStaff) staff = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);
  g_autoptr(TendPractice) practice = tend_practice_new ("Harbor", "America/New_York");
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = g_uuid_string_random ();
  g_autofree char *audit_actor = NULL;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_changed), &changed);

  tend_store_set_actor (store, actor, TEND_ROLE_BILLER);
  g_assert_cmpstr (tend_store_get_actor_id (store), ==, actor);
  g_assert_false (tend_store_save (store, TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (client_rows (f), ==, 0);
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 0);
  g_assert_cmpint (audit_rows (f), ==, 0);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpint (tend_record_get_updated_at (TEND_RECORD (client)), ==, 0);

  /* Front desk edits demographics, but not staff or the practice. */
  tend_store_set_actor (store, actor, TEND_ROLE_FRONT_DESK);
  store_test_save (store, TEND_RECORD (client));
  g_assert_false (tend_store_save (store, TEND_RECORD (staff), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tend_store_set_actor (store, actor, TEND_ROLE_CLINICIAN);
  g_assert_false (tend_store_save (store, TEND_RECORD (practice), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A biller may not delete a client either. */
  tend_store_set_actor (store, actor, TEND_ROLE_BILLER);
  g_assert_false (tend_store_delete (store, TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_CLIENT, NULL), ==, 1);

  tend_store_set_actor (store, actor, TEND_ROLE_OWNER);
  store_test_save (store, TEND_RECORD (staff));
  store_test_save (store, TEND_RECORD (practice));
  g_assert_cmpuint (tend_store_count_outbox (store), ==, 3);
  g_assert_cmpuint (changed, ==, 3);

  /* The audit log names who did it. */
  audit_actor = store_test_query_text (f, "SELECT actor_id FROM audit_log ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (audit_actor, ==, actor);

  /* No actor: the system (first-run set-up, tend-cli). */
  tend_store_set_actor (store, NULL, TEND_ROLE_BILLER);
  g_assert_null (tend_store_get_actor_id (store));
  tend_record_set_string (TEND_RECORD (client), "preferred_name", "Annie");
  store_test_save (store, TEND_RECORD (client));
}

typedef struct
{
  StoreFixture *f;
  GPtrArray    *seen;        /* "type id" */
  gboolean      committed;   /* every emission saw its row from another connection */
} ChangedLog;

static void
on_changed (TendStore  *store,
            const char *type_name,
            const char *id,
            ChangedLog *log)
{
  g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM %s WHERE id = '%s'", type_name, id);

  g_ptr_array_add (log->seen, g_strdup_printf ("%s %s", type_name, id));
  /* Emitted after commit: a second connection already sees the row. */
  if (store_test_query_int (log->f, q) != 1)
    log->committed = FALSE;
}

static void
test_changed_signal (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClient) a = tend_client_new ("Ann", "Smith");
  g_autoptr(TendClient) b = tend_client_new ("Bob", "Jones");
  g_autoptr(TendClient) c = tend_client_new ("Cy", "Rolledback");
  g_autoptr(TendClient) bad = tend_client_new ("Bad", "Status");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *expect_a = g_strdup_printf ("client %s", tend_record_get_id (TEND_RECORD (a)));
  g_autofree char *expect_b = g_strdup_printf ("client %s", tend_record_get_id (TEND_RECORD (b)));
  ChangedLog log = { f, seen, TRUE };

  g_signal_connect (store, "changed", G_CALLBACK (on_changed), &log);

  store_test_save (store, TEND_RECORD (a));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, expect_a);

  /* Inside a transaction: nothing until commit, then each change once. */
  g_assert_true (tend_store_begin (store, &error));
  store_test_save (store, TEND_RECORD (b));
  tend_record_set_string (TEND_RECORD (a), "preferred_name", "Annie");
  store_test_save (store, TEND_RECORD (a));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_true (tend_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, expect_b);
  g_assert_cmpstr (g_ptr_array_index (seen, 2), ==, expect_a);

  /* Rolled back: no signal and no row. */
  g_assert_true (tend_store_begin (store, &error));
  store_test_save (store, TEND_RECORD (c));
  tend_store_rollback (store);
  g_assert_cmpuint (seen->len, ==, 3);
  {
    g_autoptr(TendRecord) gone = tend_store_load (store, TEND_TYPE_CLIENT, tend_record_get_id (TEND_RECORD (c)), &error);
    g_assert_null (gone);
    g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* A later commit does not replay the rolled-back change. */
  g_assert_true (tend_store_begin (store, &error));
  g_assert_true (tend_store_commit (store, &error));
  g_assert_cmpuint (seen->len, ==, 3);

  /* A refused save: no signal. */
  tend_record_set_string (TEND_RECORD (bad), "status", "sleeping");
  g_assert_false (tend_store_save (store, TEND_RECORD (bad), &error));
  g_clear_error (&error);
  g_assert_cmpuint (seen->len, ==, 3);

  g_assert_true (tend_store_delete (store, TEND_RECORD (b), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (seen, 3), ==, expect_b);

  g_assert_true (log.committed);
}

static void
test_meta (StoreFixture  *f,
           gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;
  g_autofree char *v3 = NULL;
  g_autofree char *v4 = NULL;

  g_assert_null (tend_store_get_meta (store, "sync-cursor"));
  g_assert_true (tend_store_set_meta (store, "sync-cursor", "epoch1:42", &error));
  g_assert_no_error (error);
  v1 = tend_store_get_meta (store, "sync-cursor");
  g_assert_cmpstr (v1, ==, "epoch1:42");
  g_assert_true (tend_store_set_meta (store, "sync-cursor", "epoch1:43", &error));
  v2 = tend_store_get_meta (store, "sync-cursor");
  g_assert_cmpstr (v2, ==, "epoch1:43");
  g_assert_true (tend_store_set_meta (store, "other", "x", &error));

  /* It persists. */
  store_test_close (&store);
  store = store_test_open (f);
  v3 = tend_store_get_meta (store, "sync-cursor");
  g_assert_cmpstr (v3, ==, "epoch1:43");

  /* NULL removes. */
  g_assert_true (tend_store_set_meta (store, "sync-cursor", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (tend_store_get_meta (store, "sync-cursor"));
  v4 = tend_store_get_meta (store, "other");
  g_assert_cmpstr (v4, ==, "x");
}

#define STAFF_ID "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"

static void
test_password (StoreFixture  *f,
               gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  gint64 audit_before;

  g_assert_false (tend_store_check_password (store, STAFF_ID, "correct horse", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (tend_store_set_password (store, STAFF_ID, "short", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tend_store_set_password (store, STAFF_ID, "1234567", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM local_credential"), ==, 0);

  audit_before = audit_rows (f);
  g_assert_true (tend_store_set_password (store, STAFF_ID, "correct horse", &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_rows (f), ==, audit_before + 1);

  hash = store_test_query_text (f, "SELECT password_hash FROM local_credential");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "correct horse"));

  g_assert_true (tend_store_check_password (store, STAFF_ID, "correct horse", &error));
  g_assert_no_error (error);
  g_assert_false (tend_store_check_password (store, STAFF_ID, "correct horsE", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (tend_store_check_password (store, STAFF_ID, "", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A new password replaces the old one. */
  g_assert_true (tend_store_set_password (store, STAFF_ID, "battery staple", &error));
  g_assert_no_error (error);
  g_assert_false (tend_store_check_password (store, STAFF_ID, "correct horse", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (tend_store_check_password (store, STAFF_ID, "battery staple", &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM local_credential"), ==, 1);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
  gboolean   done;
} AsyncResultData;

static void
on_check_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncResultData *d = user_data;

  d->ok = tend_store_check_password_finish (TEND_STORE (source), result, &d->error);
  d->done = TRUE;
  g_main_loop_quit (d->loop);
}

static gboolean
check_async (TendStore  *store,
             const char *staff_id,
             const char *password,
             GError    **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncResultData d = { loop, FALSE, NULL, FALSE };

  tend_store_check_password_async (store, staff_id, password, NULL, on_check_done, &d);
  /* Always answers through the main loop, never before returning. */
  g_assert_false (d.done);
  g_main_loop_run (loop);
  g_assert_true (d.done);
  if (d.error != NULL)
    g_propagate_error (error, d.error);
  return d.ok;
}

static void
test_password_async (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_set_password (store, STAFF_ID, "correct horse", &error));
  g_assert_no_error (error);

  g_assert_true (check_async (store, STAFF_ID, "correct horse", &error));
  g_assert_no_error (error);
  g_assert_false (check_async (store, STAFF_ID, "wrong horse!", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (check_async (store, "00000000-0000-4000-8000-000000000000", "correct horse", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

typedef struct
{
  GMainLoop *loop;
  TendStore *store;
  GError    *error;
} OpenResult;

static void
on_open_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  OpenResult *r = user_data;

  r->store = tend_store_open_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_open_async (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GBytes) other = tend_keyring_generate_key ();
  g_autofree char *id = make_store_with_client (f);
  OpenResult r = { loop, NULL, NULL };
  g_autoptr(TendRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) worker = NULL;
  g_autofree char *actor = g_uuid_string_random ();

  tend_store_open_async (f->path, other, TEND_STORE_OPEN_NONE, NULL, on_open_done, &r);
  g_main_loop_run (loop);
  g_assert_null (r.store);
  g_assert_error (r.error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY);
  g_clear_error (&r.error);

  tend_store_open_async (f->path, f->key, TEND_STORE_OPEN_NONE, NULL, on_open_done, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.store);
  loaded = tend_store_load (r.store, TEND_TYPE_CLIENT, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_store_get_path (r.store), ==, f->path);

  /* A worker connection sees the same data and acts as the same person. */
  tend_store_set_actor (r.store, actor, TEND_ROLE_BILLER);
  worker = tend_store_open_worker (r.store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_store_get_actor_id (worker), ==, actor);
  g_assert_cmpint (tend_store_count (worker, TEND_TYPE_CLIENT, NULL), ==, 1);
  g_assert_false (tend_store_save (worker, loaded, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);

  store_test_close (&worker);
  store_test_close (&r.store);
}

static void
test_list_and_practice (StoreFixture  *f,
                        gconstpointer  data)
{
  static const char * const names[][2] = {
    { "Zoe", "Adams" }, { "Ann", "Smith" }, { "Bob", "smith" }, { "Cy", "Baker" },
  };
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendPractice) practice = tend_practice_new ("Harbor Counseling", "America/New_York");
  g_autoptr(TendPractice) loaded = NULL;
  g_autoptr(TendRoom) room = tend_room_new ("Room 1");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (tend_store_load_practice (store, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  store_test_save (store, TEND_RECORD (practice));
  loaded = tend_store_load_practice (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_practice_get_name (loaded), ==, "Harbor Counseling");
  g_assert_cmpstr (tend_record_get_id (TEND_RECORD (loaded)), ==, tend_record_get_id (TEND_RECORD (practice)));

  store_test_save (store, TEND_RECORD (room));
  g_assert_cmpint (tend_store_count (store, TEND_TYPE_ROOM, NULL), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TendClient) c = tend_client_new (names[i][0], names[i][1]);
      store_test_save (store, TEND_RECORD (c));
    }
  list = tend_store_list (store, TEND_TYPE_CLIENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  /* By last name, then first, ignoring case. */
  g_assert_cmpstr (tend_client_get_legal_given (g_ptr_array_index (list, 0)), ==, "Zoe");
  g_assert_cmpstr (tend_client_get_legal_given (g_ptr_array_index (list, 1)), ==, "Cy");
  g_assert_cmpstr (tend_client_get_legal_given (g_ptr_array_index (list, 2)), ==, "Ann");
  g_assert_cmpstr (tend_client_get_legal_given (g_ptr_array_index (list, 3)), ==, "Bob");
}

/* The plan SQLite makes for @sql, its lines joined. */
static char *
query_plan (StoreFixture *f,
            const char   *sql)
{
  sqlite3 *db = store_test_raw_open (f);
  g_autofree char *full = g_strdup_printf ("EXPLAIN QUERY PLAN %s", sql);
  g_autoptr(GString) plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, full, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s%s", plan->len > 0 ? " / " : "", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/* Indexes set aside for a bulk write (tend_store_index_defer ()): gone
 * from the schema while the rows go on being found, refused when unique,
 * unknown or automatic (then none is set aside), made again as they were
 * by tend_store_index_build (), or by the next open when the writer
 * stopped before that. */
static void
test_deferred_indexes (StoreFixture  *f,
                       gconstpointer  data)
{
  static const char * const names[] = { "outbox_record", "audit_record", NULL };
  static const char * const unique[] = { "client_sort", "claim_control", NULL };
  static const char * const unknown[] = { "client_sort", "no_such_index", NULL };
  static const char * const automatic[] = { "sqlite_autoindex_client_1", NULL };
  const char *outbox_sql = "SELECT count(*) FROM outbox WHERE record_type = 'client' AND record_id = 'x'";
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox_index = store_test_query_text (f, "SELECT sql FROM sqlite_schema WHERE name = 'outbox_record'");
  g_autofree char *audit_index = store_test_query_text (f, "SELECT sql FROM sqlite_schema WHERE name = 'audit_record'");
  g_autofree char *plan = NULL;
  g_autofree char *again = NULL;
  g_autoptr(TendClient) first = tend_client_new ("Ada", "Before");

  g_assert_nonnull (outbox_index);
  g_assert_nonnull (audit_index);
  store_test_save (store, TEND_RECORD (first));
  plan = query_plan (f, outbox_sql);
  g_assert_nonnull (strstr (plan, "outbox_record"));

  g_assert_true (tend_store_index_defer (store, names, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_index_deferred (store), ==, 2);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_schema WHERE name IN ('outbox_record', 'audit_record')"), ==, 0);
  g_clear_pointer (&plan, g_free);
  plan = query_plan (f, outbox_sql);
  g_assert_null (strstr (plan, "outbox_record"));
  /* Again: already aside, nothing changes. */
  g_assert_true (tend_store_index_defer (store, names, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_index_deferred (store), ==, 2);

  /* Writes and reads go on meanwhile. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(TendClient) c = tend_client_new ("Bea", "During");
      store_test_save (store, TEND_RECORD (c));
    }
  g_assert_cmpuint (tend_store_sync_count_waiting (store), ==, 21);

  /* Refused, and nothing of the list set aside. */
  g_assert_false (tend_store_index_defer (store, unique, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tend_store_index_defer (store, unknown, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tend_store_index_defer (store, automatic, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (tend_store_index_deferred (store), ==, 2);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM sqlite_schema WHERE name IN ('client_sort', 'claim_control')"), ==, 2);

  g_assert_true (tend_store_index_build (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tend_store_index_deferred (store), ==, 0);
  again = store_test_query_text (f, "SELECT sql FROM sqlite_schema WHERE name = 'outbox_record'");
  g_assert_cmpstr (again, ==, outbox_index);
  g_clear_pointer (&again, g_free);
  again = store_test_query_text (f, "SELECT sql FROM sqlite_schema WHERE name = 'audit_record'");
  g_assert_cmpstr (again, ==, audit_index);
  g_clear_pointer (&plan, g_free);
  plan = query_plan (f, outbox_sql);
  g_assert_nonnull (strstr (plan, "outbox_record"));
  g_assert_cmpint (tend_store_query_int (store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'", NULL, NULL, -1), ==, 0);

  /* Set aside, then the store closes before the build: opened for
   * writing, it makes them first. */
  g_assert_true (tend_store_index_defer (store, names, &error));
  g_assert_no_error (error);
  store_test_close (&store);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM deferred_index"), ==, 2);
  store = store_test_open (f);
  g_assert_cmpuint (tend_store_index_deferred (store), ==, 0);
  g_clear_pointer (&again, g_free);
  again = store_test_query_text (f, "SELECT sql FROM sqlite_schema WHERE name = 'audit_record'");
  g_assert_cmpstr (again, ==, audit_index);
  g_assert_cmpint (tend_store_query_int (store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'", NULL, NULL, -1), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_test_setup, func, store_test_teardown)

  ADD ("/store/encrypted-at-rest", test_encrypted_at_rest);
  ADD ("/store/deferred-indexes", test_deferred_indexes);
  ADD ("/store/plaintext-baseline-is-detected", test_plaintext_baseline_is_detected);
  ADD ("/store/open/wrong-key", test_wrong_key);
  ADD ("/store/open/missing-file", test_missing_file);
  ADD ("/store/open/corrupt-garbage", test_corrupt_garbage);
  ADD ("/store/open/corrupt-first-page", test_corrupt_first_page);
  ADD ("/store/open/too-new", test_too_new);
  ADD ("/store/open/async-and-worker", test_open_async);
  /* Different room left moves the failure between the row, its search
   * terms, the outbox and the audit log. */
  for (guint headroom = 0; headroom <= 8; headroom++)
    {
      g_autofree char *path = g_strdup_printf ("/store/disk-full/headroom-%u", headroom);

      g_autofree char *tx_path = g_strdup_printf ("/store/disk-full/in-transaction/headroom-%u", headroom);

      g_test_add (path, StoreFixture, GUINT_TO_POINTER (headroom),
                  store_test_setup, test_disk_full, store_test_teardown);
      g_test_add (tx_path, StoreFixture, GUINT_TO_POINTER (headroom),
                  store_test_setup, test_disk_full_in_transaction, store_test_teardown);
    }
  ADD ("/store/outbox/atomic", test_outbox_atomic);
  ADD ("/store/save/body-text", test_save_body_text);
  ADD ("/store/outbox/savepoint", test_savepoint);
  ADD ("/store/delete/undo", test_delete_and_undo);
  ADD ("/store/delete/undo-with-copy", test_undo_with_loaded_copy);
  ADD ("/store/permission", test_permission);
  ADD ("/store/changed-signal", test_changed_signal);
  ADD ("/store/list-and-practice", test_list_and_practice);
  ADD ("/store/meta", test_meta);
  ADD ("/store/password/sync", test_password);
  ADD ("/store/password/async", test_password_async);

#undef ADD

  return g_test_run ();
}
