/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-audit.c: the hash-chained audit log */
#include "config.h"

#include "store-test-util.h"

/* Three saves and three audit calls: six rows. */
#define N_ROWS 6

static TendStore *
make_log (StoreFixture *f)
{
  TendStore *store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = g_uuid_string_random ();
  static const char * const names[] = { "Ann", "Bob", "Cy" };

  tend_store_set_actor (store, actor, TEND_ROLE_OWNER);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(TendClient) client = tend_client_new (names[i], "Audited");

      store_test_save (store, TEND_RECORD (client));
      g_assert_true (tend_store_audit (store, i == 1 ? "export" : "open-chart", "client",
                                       tend_record_get_id (TEND_RECORD (client)), &error));
      g_assert_no_error (error);
    }
  return store;
}

static void
assert_intact (TendStore *store,
               gint64     expected_rows)
{
  g_autoptr(GError) error = NULL;
  gint64 n_rows = -1, bad = -1;

  g_assert_true (tend_store_verify_audit (store, &n_rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_rows, ==, expected_rows);
  g_assert_cmpint (bad, ==, 0);
}

static void
assert_broken_at (TendStore *store,
                  gint64     expected_bad)
{
  g_autoptr(GError) error = NULL;
  gint64 n_rows = -1, bad = -1;

  g_assert_false (tend_store_verify_audit (store, &n_rows, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bad, ==, expected_bad);
  g_assert_cmpint (n_rows, >=, 1);
}

static void
test_verify (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *last_action = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *first_prev = NULL;

  /* An empty log is intact. */
  assert_intact (store, 0);
  store_test_close (&store);

  store = make_log (f);
  assert_intact (store, N_ROWS);
  g_assert_true (tend_store_verify_audit (store, NULL, NULL, &error));

  /* Rows are what happened, chained. */
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM audit_log WHERE action = 'create'"), ==, 3);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM audit_log WHERE action = 'export'"), ==, 1);
  last_action = store_test_query_text (f, "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1");
  g_assert_cmpstr (last_action, ==, "open-chart");
  first_prev = store_test_query_text (f, "SELECT prev_hash FROM audit_log WHERE seq = 1");
  g_assert_cmpstr (first_prev, ==, "0000000000000000000000000000000000000000000000000000000000000000");
  prev = store_test_query_text (f, "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1"
                                   " WHERE b.prev_hash = a.hash");
  g_assert_cmpstr (prev, ==, "5");

  /* It survives closing and reopening, and keeps growing on the same chain. */
  store_test_close (&store);
  store = store_test_open (f);
  assert_intact (store, N_ROWS);
  g_assert_true (tend_store_audit (store, "open-chart", NULL, NULL, &error));
  g_assert_no_error (error);
  assert_intact (store, N_ROWS + 1);

  /* An audit row inside a rolled-back transaction goes with it. */
  g_assert_true (tend_store_begin (store, &error));
  g_assert_true (tend_store_audit (store, "export", NULL, NULL, &error));
  tend_store_rollback (store);
  assert_intact (store, N_ROWS + 1);
}

static void
test_triggers_refuse (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);
  g_autoptr(GError) error = NULL;

  g_assert_false (tend_store_exec (store, "UPDATE audit_log SET action = 'nothing' WHERE seq = 3", &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == TEND_STORE_ERROR);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (tend_store_exec (store, "DELETE FROM audit_log WHERE seq = 3", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (tend_store_exec (store, "DELETE FROM audit_log", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  assert_intact (store, N_ROWS);
  g_assert_cmpint (store_test_query_int (f, "SELECT count(*) FROM audit_log"), ==, N_ROWS);
}

static void
drop_triggers (TendStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_exec (store, "DROP TRIGGER audit_log_no_update", &error));
  g_assert_no_error (error);
  g_assert_true (tend_store_exec (store, "DROP TRIGGER audit_log_no_delete", &error));
  g_assert_no_error (error);
}

static void
tamper (TendStore  *store,
        const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static void
test_edited_action (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  assert_intact (store, N_ROWS);
  tamper (store, "UPDATE audit_log SET action = 'open-chart' WHERE seq = 4");
  assert_broken_at (store, 4);
}

static void
test_edited_actor (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  tamper (store, "UPDATE audit_log SET actor_id = '00000000-0000-4000-8000-000000000000' WHERE seq = 3");
  assert_broken_at (store, 3);
}

static void
test_edited_time (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  tamper (store, "UPDATE audit_log SET at = at - 3600000000 WHERE seq = 2");
  assert_broken_at (store, 2);
}

/* The link itself: a row claiming another predecessor. */
static void
test_edited_prev_hash (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  tamper (store, "UPDATE audit_log SET prev_hash = (SELECT prev_hash FROM audit_log WHERE seq = 2) WHERE seq = 3");
  assert_broken_at (store, 3);
}

/* A row whose stored hash was replaced (here by another row's). */
static void
test_replaced_hash (StoreFixture  *f,
                           gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  tamper (store, "UPDATE audit_log SET record_id = NULL,"
                 " hash = (SELECT hash FROM audit_log WHERE seq = 5) WHERE seq = 3");
  assert_broken_at (store, 3);
}

static void
test_deleted_row (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  tamper (store, "DELETE FROM audit_log WHERE seq = 3");
  /* The gap shows at the row after it. */
  assert_broken_at (store, 4);
}

/* Deleting a row and renumbering the rest is caught too. */
static void
test_deleted_and_renumbered (StoreFixture  *f,
                             gconstpointer  data)
{
  g_autoptr(TendStore) store = make_log (f);

  drop_triggers (store);
  tamper (store, "DELETE FROM audit_log WHERE seq = 3;"
                 "UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
  assert_broken_at (store, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_test_setup, func, store_test_teardown)

  ADD ("/audit/verify", test_verify);
  ADD ("/audit/triggers-refuse", test_triggers_refuse);
  ADD ("/audit/tamper/action", test_edited_action);
  ADD ("/audit/tamper/actor", test_edited_actor);
  ADD ("/audit/tamper/time", test_edited_time);
  ADD ("/audit/tamper/prev-hash", test_edited_prev_hash);
  ADD ("/audit/tamper/replaced-hash", test_replaced_hash);
  ADD ("/audit/tamper/deleted-row", test_deleted_row);
  ADD ("/audit/tamper/deleted-and-renumbered", test_deleted_and_renumbered);

#undef ADD

  return g_test_run ();
}
