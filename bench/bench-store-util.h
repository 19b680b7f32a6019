/* bench-store-util.h: the benchmarks' cached demo stores
 *
 * A benchmark store is generated once into bench/out/ and reused; its key
 * sits in a key file beside it (no keyring in a benchmark).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "tend-demo.h"
#include "tend-keyring.h"
#include "tend-store-private.h"

/* The key in @path, made and written there the first time. */
static inline GBytes *
bench_key (const char  *path,
           GError     **error)
{
  g_autoptr(GBytes) key = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return tend_keyring_read_key_file (path, error);
  key = tend_keyring_generate_key ();
  if (!tend_keyring_write_key_file (path, key, error))
    return NULL;
  return g_steal_pointer (&key);
}

/* The demo store at @path, generated with @opts the first time (a store
 * left half made by an interrupted run is made again), then opened afresh
 * as the application would find it.  Prints the generation time. */
static inline TendStore *
bench_demo_store (const char            *path,
                  GBytes                *key,
                  const TendDemoOptions *opts,
                  TendDemoProgressFunc   progress,
                  GError               **error)
{
  g_autoptr(TendStore) store = NULL;
  g_autofree char *complete = NULL;
  gint64 started;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      store = tend_store_open (path, key, TEND_STORE_OPEN_NONE, error);
      if (store == NULL)
        return NULL;
      complete = tend_store_get_meta (store, "bench.complete");
      if (g_strcmp0 (complete, "1") == 0)
        return g_steal_pointer (&store);
      g_clear_object (&store);
      tend_store_remove_files (path);
    }
  fprintf (stderr, "Generating %s (%u clients, %u years of appointments, seed %u), once: later runs reuse it\n",
           path, opts->n_clients, opts->appointment_years, opts->seed);
  store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return NULL;
  started = g_get_monotonic_time ();
  if (!tend_demo_generate (store, opts, progress, NULL, NULL, error))
    return NULL;
  if (progress != NULL)
    fputc ('\n', stderr);
  printf ("generate_s: %.1f\n", (g_get_monotonic_time () - started) / 1e6);
  if (!tend_store_set_meta (store, "bench.complete", "1", error))
    return NULL;
  g_clear_object (&store);
  return tend_store_open (path, key, TEND_STORE_OPEN_NONE, error);
}

/* The first column of the first row, or -1. */
static inline gint64
bench_query_int (TendStore  *store,
                 const char *sql)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, NULL);
  gint64 v = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return v;
}
