/* bench-fts.c: how a contentless FTS5 index is built decides what it costs
 * later (SQLCipher's SQLite, no Tend code)
 *
 * 100,000 rows of client-like terms indexed four ways, the same prefix
 * indexes as client_fts: one INSERT statement per row (what a trigger per
 * row does), one INSERT … SELECT per chunk of 4,096 rows, the same followed
 * by 'optimize', and one INSERT … SELECT for all.  Then 1,000 random rows
 * re-indexed, as a sync pull of 1,000 edits does: their deletes, and their
 * inserts one statement each or one statement for all.  Plaintext database
 * in a temporary folder, 32 MB page cache, WAL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#define ROWS 100000

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
step_int (sqlite3_stmt *stmt,
          int           value)
{
  sqlite3_bind_int (stmt, 1, value);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("step failed");
  sqlite3_reset (stmt);
}

static void
run (const char *name,
     int         chunk,          /* 0: a statement per row */
     gboolean    optimize,
     const char *dir)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  sqlite3_stmt *insert, *one, *range, *del;
  sqlite3 *db;
  int rids[1000];
  gint64 t0;
  double build_ms, deletes_ms, each_ms, batch_ms;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "PRAGMA journal_mode = WAL; PRAGMA cache_size = -32768;"
            "CREATE TABLE c (rid INTEGER PRIMARY KEY, t TEXT NOT NULL);"
            "CREATE VIRTUAL TABLE f USING fts5 (terms, content='', contentless_delete=1,"
            " tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');");
  sqlite3_prepare_v2 (db, "INSERT INTO c (rid, t) VALUES (?1, ?2)", -1, &insert, NULL);
  exec (db, "BEGIN");
  for (int i = 1; i <= ROWS; i++)
    {
      g_autofree char *t = g_strdup_printf ("given%u family%u pref%u client%d example org R%d 608 555 %04u 608555%04u",
                                            g_rand_int_range (rand, 0, 5000), g_rand_int_range (rand, 0, 20000),
                                            g_rand_int_range (rand, 0, 3000), i, 100000 + i,
                                            g_rand_int_range (rand, 0, 10000), g_rand_int_range (rand, 0, 10000));

      sqlite3_bind_int (insert, 1, i);
      sqlite3_bind_text (insert, 2, t, -1, SQLITE_TRANSIENT);
      sqlite3_step (insert);
      sqlite3_reset (insert);
    }
  exec (db, "COMMIT");
  sqlite3_finalize (insert);

  sqlite3_prepare_v2 (db, "INSERT INTO f (rowid, terms) SELECT rid, t FROM c WHERE rid = ?1", -1, &one, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO f (rowid, terms) SELECT rid, t FROM c WHERE rid > ?1 AND rid <= ?1 + ?2",
                      -1, &range, NULL);
  t0 = g_get_monotonic_time ();
  if (chunk == 0)
    for (int from = 0; from < ROWS; from += 5000)
      {
        exec (db, "BEGIN");
        for (int i = from + 1; i <= from + 5000; i++)
          step_int (one, i);
        exec (db, "COMMIT");
      }
  else
    for (int from = 0; from < ROWS; from += chunk)
      {
        exec (db, "BEGIN");
        sqlite3_bind_int (range, 2, chunk);
        step_int (range, from);
        exec (db, "COMMIT");
      }
  if (optimize)
    exec (db, "INSERT INTO f (f) VALUES ('optimize')");
  build_ms = ms_since (t0);

  for (int k = 0; k < 1000; k++)
    rids[k] = g_rand_int_range (rand, 1, ROWS + 1);
  sqlite3_prepare_v2 (db, "DELETE FROM f WHERE rowid = ?1", -1, &del, NULL);
  exec (db, "BEGIN");
  t0 = g_get_monotonic_time ();
  for (int k = 0; k < 1000; k++)
    step_int (del, rids[k]);
  deletes_ms = ms_since (t0);
  t0 = g_get_monotonic_time ();
  for (int k = 0; k < 500; k++)
    step_int (one, rids[k]);
  each_ms = ms_since (t0) * 2;
  {
    GString *sql = g_string_new ("INSERT INTO f (rowid, terms) SELECT rid, t FROM c WHERE rid IN (0");

    for (int k = 500; k < 1000; k++)
      g_string_append_printf (sql, ",%d", rids[k]);
    g_string_append_c (sql, ')');
    t0 = g_get_monotonic_time ();
    exec (db, sql->str);
    batch_ms = ms_since (t0) * 2;
    g_string_free (sql, TRUE);
  }
  exec (db, "COMMIT");
  printf ("fts_%s_build_ms: %.0f\n", name, build_ms);
  printf ("fts_%s_1000_deletes_ms: %.1f\n", name, deletes_ms);
  printf ("fts_%s_1000_inserts_each_ms: %.1f\n", name, each_ms);
  printf ("fts_%s_1000_inserts_one_statement_ms: %.1f\n", name, batch_ms);
  sqlite3_finalize (one);
  sqlite3_finalize (range);
  sqlite3_finalize (del);
  sqlite3_close (db);
}

int
main (void)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-fts-XXXXXX", NULL);

  run ("row_by_row", 0, FALSE, dir);
  run ("chunks_4096", 4096, FALSE, dir);
  run ("chunks_4096_optimized", 4096, TRUE, dir);
  run ("one_statement", ROWS, FALSE, dir);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
