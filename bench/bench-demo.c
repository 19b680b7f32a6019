/* bench-demo.c: writes at scale, the demo practice at three sizes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates an encrypted store with tend_demo_generate() (two years of
 * appointments, with their billing) at 1,000, 4,000 and 16,000 clients by
 * default, each afresh, and prints for each size the time, the records
 * written (rows of the synced tables) and the time per 1,000 of them (flat
 * when generation is linear), the phases (clients, appointments, billing)
 * and the bytes on disk per record, by table and index (SQLite's dbstat).
 *
 * --profile adds, for each size, the SQL statements that took the most time
 * in total (sqlite3_trace_v2()), with how often each ran.
 *
 * Output: "key: value" lines on stdout; progress on stderr.
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include "bench-util.h"
#include "bench-store-util.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static char *opt_dir = NULL;
static char *opt_sizes = NULL;
static int opt_years = 2;
static gboolean opt_profile = FALSE;
static gboolean opt_keep = FALSE;
static gboolean opt_no_sizes = FALSE;
static int opt_top = 15;

static const GOptionEntry entries[] = {
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir,
    "Write the stores in DIR (default: a temporary folder)", "DIR" },
  { "sizes", 0, 0, G_OPTION_ARG_STRING, &opt_sizes,
    "Clients of each store, comma-separated (default: 1000,4000,16000)", "N,N..." },
  { "years", 0, 0, G_OPTION_ARG_INT, &opt_years, "Years of appointments (default: 2)", "N" },
  { "profile", 0, 0, G_OPTION_ARG_NONE, &opt_profile, "Time every SQL statement and print the costliest", NULL },
  { "top", 0, 0, G_OPTION_ARG_INT, &opt_top, "Statements printed by --profile (default: 15)", "N" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the stores (default: removed after measuring)", NULL },
  { "no-sizes", 0, 0, G_OPTION_ARG_NONE, &opt_no_sizes,
    "Leave out the bytes per table and index (their plaintext copy takes minutes at 50,000 clients)", NULL },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  gint64 ns;
  guint64 calls;
} StatementCost;

typedef struct
{
  gint64 started;
  gint64 last_print;
  GHashTable *costs;   /* SQL text -> StatementCost */
  sqlite3 *db;         /* for the page cache's counters */
} Run;

/* The connection's page cache counters since it opened (or the last
 * reset): pages found in the cache, read from the file, written to it
 * (the WAL or journal and file), and dirty pages spilled mid-transaction. */
static void
cache_counters (sqlite3 *db,
                int      reset,
                int     *hit,
                int     *miss,
                int     *write,
                int     *spill)
{
  int hiwtr;

  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_HIT, hit, &hiwtr, reset);
  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_MISS, miss, &hiwtr, reset);
  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_WRITE, write, &hiwtr, reset);
  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_SPILL, spill, &hiwtr, reset);
}

static int
trace_cb (unsigned int  type,
          void         *user_data,
          void         *p,
          void         *x)
{
  Run *run = user_data;
  const char *sql = sqlite3_sql (p);
  StatementCost *cost;

  if (type != SQLITE_TRACE_PROFILE || sql == NULL)
    return 0;
  cost = g_hash_table_lookup (run->costs, sql);
  if (cost == NULL)
    {
      cost = g_new0 (StatementCost, 1);
      g_hash_table_insert (run->costs, g_strdup (sql), cost);
    }
  cost->ns += *(sqlite3_int64 *) x;
  cost->calls++;
  return 0;
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  int hit = 0, miss = 0, write = 0, spill = 0;

  if (now - run->last_print < G_USEC_PER_SEC && done < total)
    return;
  run->last_print = now;
  if (run->db != NULL)
    cache_counters (run->db, FALSE, &hit, &miss, &write, &spill);
  /* One line a second: how the rate and the page cache's traffic move
   * with the store's size (BENCH_DEMO_TRACE=1), else one line redrawn. */
  if (g_getenv ("BENCH_DEMO_TRACE") != NULL)
    fprintf (stderr, "  %u/%u at %.1f s: cache %d hits, %d misses, %d writes, %d spills\n", done, total,
             (now - run->started) / 1e6, hit, miss, write, spill);
  else
    fprintf (stderr, "\r  %u/%u at %.1f s   ", done, total, (now - run->started) / 1e6);
}

typedef struct
{
  const char *sql;
  StatementCost *cost;
} CostRow;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CostRow *ra = a, *rb = b;

  return ra->cost->ns < rb->cost->ns ? 1 : ra->cost->ns > rb->cost->ns ? -1 : 0;
}

static void
print_profile (guint       clients,
               GHashTable *costs)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CostRow));
  GHashTableIter iter;
  gpointer key, value;
  gint64 total = 0;

  g_hash_table_iter_init (&iter, costs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CostRow row = { key, value };

      g_array_append_val (rows, row);
      total += row.cost->ns;
    }
  g_array_sort (rows, compare_rows);
  printf ("# %u clients: SQL time %.1f s in %u statements\n", clients, total / 1e9, rows->len);
  for (guint i = 0; i < rows->len && i < (guint) opt_top; i++)
    {
      CostRow *row = &g_array_index (rows, CostRow, i);
      g_autofree char *flat = g_strndup (row->sql, 160);

      g_strdelimit (flat, "\n", ' ');
      printf ("#   %6.2f s %9" G_GUINT64_FORMAT " x %7.1f us  %s\n", row->cost->ns / 1e9, row->cost->calls,
              row->cost->ns / 1e3 / row->cost->calls, flat);
    }
}

/* Bytes this process has had written to disk so far (the kernel's count:
 * the WAL, checkpoints, the database). */
static gint64
io_written (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/io", &text, NULL, NULL) ||
      (line = strstr (text, "\nwrite_bytes: ")) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen ("\nwrite_bytes: "), NULL, 10);
}

/* User and system CPU time of this process so far, in seconds: on a
 * machine shared with other work, steadier than the elapsed time. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The process's peak resident memory so far, in MB (VmHWM): the sizes run
 * smallest first, so each figure is that size's peak or an earlier one's. */
static double
peak_rss_mb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) ||
      (line = strstr (text, "VmHWM:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmHWM:"), NULL) / 1024.0;
}

/* Rows of the synced tables (those with a body and a dirty flag). */
static gint64
count_records (TendStore *store)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                                         " AND sql LIKE '%dirty INTEGER%'", NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 n = 0;

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", (char *) names->pdata[i]);

      n += bench_query_int (store, sql);
    }
  return n;
}

/* Bytes on disk per record, by table and index: SQLCipher's SQLite has no
 * dbstat, so the store is exported to a plaintext copy (sqlcipher_export ()
 * writes every table and index afresh, so its pages are fuller than the
 * store's) and the sqlite3 shell, built with dbstat, measures that.  The
 * copy is deleted at once. */
static void
print_sizes (TendStore  *store,
             const char *dir,
             guint       clients,
             gint64      records)
{
  g_autofree char *copy = g_build_filename (dir, "plaintext-copy.db", NULL);
  g_autofree char *attach = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  const char *argv[] = { "sqlite3", "-readonly", copy,
                         "SELECT name, sum(pgsize), max(length(path) - length(replace(path, '/', ''))) FROM dbstat"
                         " GROUP BY name ORDER BY 2 DESC", NULL };
  gint64 total = 0, rest = 0;
  int status = 0;

  g_unlink (copy);
  attach = g_strdup_printf ("ATTACH DATABASE '%s' AS plaintext KEY ''", copy);
  if (!tend_store_exec (store, attach, &error) ||
      !tend_store_exec (store, "SELECT sqlcipher_export('plaintext')", &error) ||
      !tend_store_exec (store, "DETACH DATABASE plaintext", &error))
    {
      printf ("# sizes: no plaintext copy (%s)\n", error->message);
      g_unlink (copy);
      return;
    }
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error) || status != 0)
    {
      printf ("# sizes: the sqlite3 shell with dbstat is needed (%s)\n", error != NULL ? error->message : "failed");
      g_unlink (copy);
      return;
    }
  g_unlink (copy);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *bar = strchr (lines[i], '|');
      gint64 bytes;

      if (bar == NULL)
        continue;
      bytes = g_ascii_strtoll (bar + 1, NULL, 10);
      total += bytes;
      if (i < 18)
        {
          const char *depth = strchr (bar + 1, '|');

          printf ("clients_%u_copy_bytes_per_record_%.*s: %.1f\n", clients, (int) (bar - lines[i]), lines[i],
                  (double) bytes / (double) records);
          /* Levels of the B-tree: the root is 1. */
          if (depth != NULL)
            printf ("clients_%u_btree_depth_%.*s: %" G_GINT64_FORMAT "\n", clients, (int) (bar - lines[i]), lines[i],
                    g_ascii_strtoll (depth + 1, NULL, 10));
        }
      else
        rest += bytes;
    }
  printf ("clients_%u_copy_bytes_per_record_others: %.1f\n", clients, (double) rest / (double) records);
  printf ("clients_%u_copy_bytes_per_record_total: %.1f\n", clients, (double) total / (double) records);
}

static gboolean
run_size (const char *dir,
          guint       clients,
          GError    **error)
{
  g_autofree char *name = g_strdup_printf ("demo-%u.db", clients);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *key_path = g_build_filename (dir, "demo.key", NULL);
  g_autoptr(GBytes) key = bench_key (key_path, error);
  g_autoptr(TendStore) store = NULL;
  TendDemoOptions opts;
  Run run = { 0, };
  int hit = 0, miss = 0, cache_writes = 0, spill = 0;
  double seconds, cpu;
  gint64 records, writes, written;

  if (key == NULL)
    return FALSE;
  tend_store_remove_files (path);
  store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;
  if (opt_profile)
    {
      sqlite3_stmt *any = tend_store_prepare_cached (store, "SELECT 1", error);

      if (any == NULL)
        return FALSE;
      run.costs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      sqlite3_trace_v2 (sqlite3_db_handle (any), SQLITE_TRACE_PROFILE, trace_cb, &run);
    }
  {
    sqlite3_stmt *any = tend_store_prepare_cached (store, "SELECT 1", error);

    if (any == NULL)
      return FALSE;
    run.db = sqlite3_db_handle (any);
    cache_counters (run.db, TRUE, &hit, &miss, &cache_writes, &spill);
  }
  tend_demo_options_init (&opts);
  opts.n_clients = clients;
  opts.appointment_years = (guint) opt_years;
  fprintf (stderr, "%u clients, %d years\n", clients, opt_years);
  written = io_written ();
  cpu = cpu_seconds ();
  run.started = g_get_monotonic_time ();
  if (!tend_demo_generate (store, &opts, progress_cb, &run, NULL, error))
    return FALSE;
  seconds = (g_get_monotonic_time () - run.started) / 1e6;
  cpu = cpu_seconds () - cpu;
  fputc ('\n', stderr);
  writes = bench_query_int (store, "SELECT count(*) FROM audit_log");
  records = count_records (store);
  written = io_written () - written;
  printf ("clients_%u_s: %.1f\n", clients, seconds);
  printf ("clients_%u_records: %" G_GINT64_FORMAT "\n", clients, records);
  printf ("clients_%u_saves: %" G_GINT64_FORMAT "\n", clients, writes);
  printf ("clients_%u_ms_per_1000_records: %.1f\n", clients, seconds * 1e6 / (double) records);
  printf ("clients_%u_cpu_s: %.1f\n", clients, cpu);
  printf ("clients_%u_cpu_ms_per_1000_records: %.1f\n", clients, cpu * 1e6 / (double) records);
  printf ("clients_%u_disk_written_bytes_per_record: %.0f\n", clients, (double) written / (double) records);
  printf ("clients_%u_peak_rss_mb: %.0f\n", clients, peak_rss_mb ());
  cache_counters (run.db, FALSE, &hit, &miss, &cache_writes, &spill);
  printf ("clients_%u_cache_pages_hit_missed_written_spilled: %d %d %d %d\n", clients, hit, miss, cache_writes, spill);
  printf ("clients_%u_cache_pages_missed_per_record: %.2f\n", clients, (double) miss / (double) records);
  printf ("clients_%u_cache_pages_written_per_record: %.2f\n", clients, (double) cache_writes / (double) records);
  if (opt_profile)
    {
      sqlite3_stmt *any = tend_store_prepare_cached (store, "SELECT 1", NULL);

      sqlite3_trace_v2 (sqlite3_db_handle (any), 0, NULL, NULL);
      print_profile (clients, run.costs);
      g_hash_table_unref (run.costs);
    }
  if (!opt_no_sizes)
    print_sizes (store, dir, clients, records);
  fflush (stdout);
  g_clear_object (&store);
  {
    GStatBuf st;

    if (g_stat (path, &st) == 0)
      printf ("clients_%u_file_bytes_per_record: %.0f\n", clients, (double) st.st_size / (double) records);
  }
  if (!opt_keep)
    tend_store_remove_files (path);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the demo practice generated at three sizes");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_auto(GStrv) sizes = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-demo: %s\n", error->message);
      return 2;
    }
  if (opt_dir == NULL)
    opt_dir = tmp = g_dir_make_tmp ("bench-demo-XXXXXX", &error);
  if (opt_dir == NULL || g_mkdir_with_parents (opt_dir, 0700) != 0)
    {
      fprintf (stderr, "bench-demo: no folder for the stores\n");
      return 1;
    }
  sizes = g_strsplit (opt_sizes != NULL ? opt_sizes : "1000,4000,16000", ",", -1);
  for (guint i = 0; sizes[i] != NULL; i++)
    if (!run_size (opt_dir, (guint) g_ascii_strtoull (sizes[i], NULL, 10), &error))
      {
        fprintf (stderr, "bench-demo: %s\n", error->message);
        return 1;
      }
  return 0;
}
