/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store-test-util.h: temporary stores for the store tests
 *
 * Each test gets its own folder (g_dir_make_tmp) and a fresh random key; the
 * folder and everything in it are removed at the end.  A second, raw
 * SQLCipher connection lets a test look at rows the API does not expose
 * (the outbox, the audit log, page counts) without going through the code
 * under test.
 */
#pragma once

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tend-client-list.h"
#include "tend-keyring.h"
#include "tend-store-private.h"
#include "tend-store.h"

typedef struct
{
  char   *dir;
  char   *path;
  GBytes *key;
} StoreFixture;

static inline void
store_test_rm_rf (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      store_test_rm_rf (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  if (g_rmdir (path) != 0)
    g_warning ("Could not remove %s: %s", path, g_strerror (errno));
}

static inline void
store_test_setup (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tend-store-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "tend.db", NULL);
  f->key = tend_keyring_generate_key ();
  g_assert_cmpuint (g_bytes_get_size (f->key), ==, TEND_STORE_KEY_SIZE);
}

static inline void
store_test_teardown (StoreFixture  *f,
                     gconstpointer  data)
{
  store_test_rm_rf (f->dir);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->key, g_bytes_unref);
}

static inline TendStore *
store_test_open (StoreFixture *f)
{
  g_autoptr(GError) error = NULL;
  TendStore *store = tend_store_open (f->path, f->key, TEND_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Closes the store: the test must hold the only reference. */
static inline void
store_test_close (TendStore **store)
{
  g_assert_finalize_object (g_steal_pointer (store));
}

static inline char *
store_test_file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* Whether @needle's bytes occur in the file (a missing file holds nothing). */
static inline gboolean
store_test_file_contains (const char *path,
                          const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (contents + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static inline void
store_test_write_random_file (const char *path,
                              gsize       len)
{
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) g_random_int_range (0, 256);
  g_file_set_contents (path, (const char *) data, (gssize) len, &error);
  g_assert_no_error (error);
}

/* A second connection, keyed like the store's, for looking at the rows. */
static inline void
store_test_not_batched (sqlite3_context *ctx,
                        int              argc,
                        sqlite3_value  **argv)
{
  sqlite3_result_int (ctx, 0);
}

static inline sqlite3 *
store_test_raw_open (StoreFixture *f)
{
  static const char hexdigits[] = "0123456789abcdef";
  const guint8 *key = g_bytes_get_data (f->key, NULL);
  GString *pragma = g_string_new ("PRAGMA key = \"x'");
  sqlite3 *db = NULL;
  int rc;

  for (guint i = 0; i < TEND_STORE_KEY_SIZE; i++)
    {
      g_string_append_c (pragma, hexdigits[key[i] >> 4]);
      g_string_append_c (pragma, hexdigits[key[i] & 0xf]);
    }
  g_string_append (pragma, "'\"");

  rc = sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  rc = sqlite3_exec (db, pragma->str, NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  g_string_free (pragma, TRUE);
  rc = sqlite3_exec (db, "PRAGMA busy_timeout = 5000", NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  /* The search triggers ask every connection this (see
   * tend_store_search_batch_begin()); a raw one is never batching, so the
   * refusals tests look for are the triggers' own. */
  rc = sqlite3_create_function_v2 (db, "tend_search_batched", 0, SQLITE_UTF8, NULL,
                                   store_test_not_batched, NULL, NULL, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  return db;
}

static inline gint64
store_test_query_int (StoreFixture *f,
                      const char   *sql)
{
  sqlite3 *db = store_test_raw_open (f);
  sqlite3_stmt *stmt = NULL;
  gint64 v;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    g_error ("%s: no row (%s)", sql, sqlite3_errmsg (db));
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* The first column of the first row as text, or NULL. */
static inline char *
store_test_query_text (StoreFixture *f,
                       const char   *sql)
{
  sqlite3 *db = store_test_raw_open (f);
  sqlite3_stmt *stmt = NULL;
  char *v = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

static inline TendClient *
store_test_client (const char *given,
                   const char *family)
{
  return tend_client_new (given, family);
}

static inline void
store_test_save (TendStore  *store,
                 TendRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_save (store, record, &error));
  g_assert_no_error (error);
}
