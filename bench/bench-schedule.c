/* bench-schedule.c: the calendar's queries and recurrence on a large store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One encrypted store of demo data with appointments (tend_demo_generate()
 * with appointment_years, 50,000 clients and two years by default: about a
 * million appointments), generated once into --dir and reused.  Measured:
 *
 * - tend_schedule_list() for one busy clinician's week (random weeks with
 *   35 to 45 appointments, as the week view asks), and for ten clinicians'
 *   day (the day view), each also as its SQL alone (rows stepped, no JSON);
 * - tend_schedule_find_conflicts() for random appointments;
 * - tend_series_expand() of 500 weekly series over a year, alone, and
 *   tend_schedule_save_series() of the same 500 series into a new store and
 *   into the big one (rolled back);
 * - tend_schedule_extend_horizon() of the big store by a week (rolled back).
 *
 * Output: "key: value" lines on stdout (times in ms, a dot in numbers);
 * progress on stderr.
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include "bench-util.h"
#include "bench-store-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "tend-demo.h"
#include "tend-keyring.h"
#include "tend-schedule.h"
#include "tend-store-private.h"

#define ZONE "America/Chicago"

static char *opt_dir = NULL;
static int opt_clients = 50000;
static int opt_years = 2;
static int opt_seed = TEND_DEMO_DEFAULT_SEED;
static int opt_samples = 300;
static int opt_series = 500;
static gboolean opt_adopt = FALSE;

static const GOptionEntry entries[] = {
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir,
    "Keep the generated store in DIR and reuse it (default: a temporary folder)", "DIR" },
  { "clients", 0, 0, G_OPTION_ARG_INT, &opt_clients, "Clients in the store (default: 50000)", "N" },
  { "years", 0, 0, G_OPTION_ARG_INT, &opt_years, "Years of appointments (default: 2)", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Seed of the demo data (default: 42)", "S" },
  { "samples", 0, 0, G_OPTION_ARG_INT, &opt_samples, "Timed samples of each query (default: 300)", "N" },
  { "series", 0, 0, G_OPTION_ARG_INT, &opt_series, "Weekly series to expand (default: 500)", "N" },
  { "adopt", 0, 0, G_OPTION_ARG_NONE, &opt_adopt,
    "Take the store in DIR as made: one that tend-cli demo wrote there (same clients, years and seed) with its key file", NULL },
  G_OPTION_ENTRY_NULL
};

static void
print_value (const char *key,
             const char *format,
             double      value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  printf ("%s: %s\n", key, g_ascii_formatd (buf, sizeof buf, format, value));
  fflush (stdout);
}

static void
report (const char *name,
        GArray     *samples)
{
  g_autofree char *p50 = g_strdup_printf ("%s_p50_ms", name);
  g_autofree char *p95 = g_strdup_printf ("%s_p95_ms", name);
  g_autofree char *max = g_strdup_printf ("%s_max_ms", name);

  bench_print_ms (p50, bench_percentile (samples, 50));
  bench_print_ms (p95, bench_percentile (samples, 95));
  bench_print_ms (max, bench_percentile (samples, 100));
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  fprintf (stderr, "\r  %u / %u clients and series", done, total);
}

static void
print_counts (TendStore *store)
{
  static const struct { const char *key; const char *sql; } counts[] = {
    { "appointments", "SELECT count(*) FROM appointment WHERE deleted = 0" },
    { "appointments_blocked", "SELECT count(*) FROM appointment WHERE deleted = 0 AND json_extract(body, '$.kind') = 'blocked'" },
    { "appointments_cancelled", "SELECT count(*) FROM appointment WHERE deleted = 0 AND status IN ('cancelled', 'late_cancelled')" },
    { "appointments_no_show", "SELECT count(*) FROM appointment WHERE deleted = 0 AND status = 'no_show'" },
    { "series", "SELECT count(*) FROM series WHERE deleted = 0" },
    { "clients", "SELECT count(*) FROM client WHERE deleted = 0" },
    { "clinicians", "SELECT count(*) FROM staff WHERE deleted = 0 AND role IN ('owner', 'clinician', 'supervisor')" },
    { "rooms", "SELECT count(*) FROM room WHERE deleted = 0" },
    { "waitlist", "SELECT count(*) FROM waitlist WHERE deleted = 0" },
    { "outbox_rows", "SELECT count(*) FROM outbox" },
    { "audit_rows", "SELECT count(*) FROM audit_log" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    printf ("%s: %" G_GINT64_FORMAT "\n", counts[i].key, bench_query_int (store, counts[i].sql));
}

static void
print_plan (TendStore  *store,
            const char *key,
            const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, explain, NULL);
  GString *plan = g_string_new (NULL);

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s%s", plan->len > 0 ? "; " : "", (const char *) sqlite3_column_text (stmt, 3));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  printf ("%s: %s\n", key, plan->str);
  g_string_free (plan, TRUE);
}

typedef struct
{
  char  *clinician;
  gint64 week;   /* unix seconds of its local Monday 00:00 */
} BusyWeek;

/* Weeks of one clinician with 35 to 45 appointments. */
static GArray *
busy_weeks (TendStore *store,
            GTimeZone *zone)
{
  /* Mondays 00:00 in Chicago are 06:00Z or 05:00Z: group by UTC week from a
   * Monday 06:00Z, then ask for the local week. */
  sqlite3_stmt *stmt = tend_store_prepare_cached (store,
    "SELECT clinician_id, (start_s - 1735538400) / 604800 AS w, count(*) AS n FROM appointment"
    " WHERE deleted = 0 GROUP BY clinician_id, w HAVING n BETWEEN 35 AND 45", NULL);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (BusyWeek));

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GDateTime) approx = g_date_time_new_from_unix_utc (1735538400 + sqlite3_column_int64 (stmt, 1) * 604800 + 43200);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (approx, zone);
      g_autoptr(GDateTime) monday = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                                                     g_date_time_get_day_of_month (local), 0, 0, 0);
      BusyWeek b = { g_strdup ((const char *) sqlite3_column_text (stmt, 0)), g_date_time_to_unix (monday) };

      g_array_append_val (out, b);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return out;
}

/* The SQL of tend_schedule_list() for one clinician, stepped without loading. */
static guint
sql_only (TendStore  *store,
          const char *sql,
          const char * const *ids,
          gint64      from_s,
          gint64      to_s)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, NULL);
  guint n = 0;

  sqlite3_bind_int64 (stmt, 1, from_s - 86400);
  sqlite3_bind_int64 (stmt, 2, from_s);
  sqlite3_bind_int64 (stmt, 3, to_s);
  for (guint i = 0; ids[i] != NULL; i++)
    sqlite3_bind_text (stmt, (int) i + 4, ids[i], -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    n++;
  sqlite3_reset (stmt);
  return n;
}

#define WEEK_SQL "SELECT id, version, deleted, updated_at, body FROM appointment" \
  " WHERE deleted = 0 AND clinician_id IN (?4) AND start_s > ?1 AND start_s < ?3 AND end_s > ?2" \
  " ORDER BY start_s, id"
#define DAY_SQL "SELECT id, version, deleted, updated_at, body FROM appointment" \
  " WHERE deleted = 0 AND clinician_id IN (?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) AND start_s > ?1 AND start_s < ?3 AND end_s > ?2" \
  " ORDER BY start_s, id"

static gboolean
bench_lists (TendStore *store,
             GTimeZone *zone,
             GRand     *rand,
             GError   **error)
{
  g_autoptr(GArray) weeks = busy_weeks (store, zone);
  g_autoptr(GArray) week_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) week_sql_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) day_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) day_sql_ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 week_rows = 0, day_rows = 0;

  printf ("busy_weeks_found: %u\n", weeks->len);
  if (weeks->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no clinician week with 35 to 45 appointments");
      return FALSE;
    }
  print_plan (store, "plan_clinician_week", WEEK_SQL);
  print_plan (store, "plan_ten_clinicians_day", DAY_SQL);

  for (int i = 0; i < opt_samples + 10; i++)
    {
      BusyWeek *b = &g_array_index (weeks, BusyWeek, g_rand_int_range (rand, 0, (gint32) weeks->len));
      const char * const ids[] = { b->clinician, NULL };
      gint64 from = b->week * G_USEC_PER_SEC;
      gint64 to = from + 7 * G_TIME_SPAN_DAY;  /* near enough across a DST change */
      g_autoptr(GPtrArray) list = NULL;
      gint64 t0, t1;
      double ms;

      t0 = g_get_monotonic_time ();
      list = tend_schedule_list (store, from, to, ids, error);
      t1 = g_get_monotonic_time ();
      if (list == NULL)
        return FALSE;
      if (i < 10)
        continue;  /* warm-up */
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (week_ms, ms);
      week_rows += list->len;

      /* Another busy week (not the same pages), as SQL alone. */
      b = &g_array_index (weeks, BusyWeek, g_rand_int_range (rand, 0, (gint32) weeks->len));
      {
        const char * const other[] = { b->clinician, NULL };

        t0 = g_get_monotonic_time ();
        sql_only (store, WEEK_SQL, other, b->week, b->week + 7 * 86400);
        t1 = g_get_monotonic_time ();
        ms = (t1 - t0) / 1000.0;
        g_array_append_val (week_sql_ms, ms);
      }
    }
  print_value ("week_rows_mean", "%.1f", (double) week_rows / opt_samples);
  report ("week_list", week_ms);
  report ("week_sql_only", week_sql_ms);

  /* Ten clinicians' day: ten of those with a busy week, on a weekday of it. */
  for (int i = 0; i < opt_samples + 10; i++)
    {
      BusyWeek *b = &g_array_index (weeks, BusyWeek, g_rand_int_range (rand, 0, (gint32) weeks->len));
      const char *ids[11];
      gint64 from = (b->week + 86400 * g_rand_int_range (rand, 0, 5)) * G_USEC_PER_SEC;
      g_autoptr(GPtrArray) list = NULL;
      gint64 t0, t1;
      double ms;

      ids[0] = b->clinician;
      for (guint k = 1; k < 10; k++)
        ids[k] = g_array_index (weeks, BusyWeek, g_rand_int_range (rand, 0, (gint32) weeks->len)).clinician;
      ids[10] = NULL;
      t0 = g_get_monotonic_time ();
      list = tend_schedule_list (store, from, from + G_TIME_SPAN_DAY, ids, error);
      t1 = g_get_monotonic_time ();
      if (list == NULL)
        return FALSE;
      if (i < 10)
        continue;
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (day_ms, ms);
      day_rows += list->len;

      /* The same shape on another day, as SQL alone. */
      from += 7 * G_TIME_SPAN_DAY;
      t0 = g_get_monotonic_time ();
      sql_only (store, DAY_SQL, ids, from / G_USEC_PER_SEC, from / G_USEC_PER_SEC + 86400);
      t1 = g_get_monotonic_time ();
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (day_sql_ms, ms);
    }
  print_value ("day_rows_mean", "%.1f", (double) day_rows / opt_samples);
  report ("ten_clinicians_day_list", day_ms);
  report ("ten_clinicians_day_sql_only", day_sql_ms);

  for (guint i = 0; i < weeks->len; i++)
    g_free (g_array_index (weeks, BusyWeek, i).clinician);
  return TRUE;
}

static gboolean
bench_conflicts (TendStore *store,
                 GTimeZone *zone,
                 GRand     *rand,
                 GError   **error)
{
  g_autoptr(GArray) ms_all = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 max_rid = bench_query_int (store, "SELECT max(rid) FROM appointment");
  guint found = 0;

  for (int i = 0; i < opt_samples; i++)
    {
      g_autoptr(TendRecord) a = NULL;
      g_autoptr(GPtrArray) conflicts = NULL;
      gint64 t0, t1;
      double ms;

      a = tend_store_load_by_rid (store, TEND_TYPE_APPOINTMENT, 1 + g_rand_int_range (rand, 0, (gint32) max_rid), NULL);
      if (a == NULL || tend_record_get_deleted (a))
        continue;
      /* Ask for it an hour later: another slot, often taken. */
      {
        g_autoptr(GDateTime) start = tend_appointment_dup_start (TEND_APPOINTMENT (a));
        g_autoptr(GDateTime) end = tend_appointment_dup_end (TEND_APPOINTMENT (a));
        g_autoptr(GDateTime) s2 = g_date_time_add_hours (start, 1);
        g_autoptr(GDateTime) e2 = g_date_time_add_hours (end, 1);

        tend_appointment_set_times (TEND_APPOINTMENT (a), s2, e2);
      }
      t0 = g_get_monotonic_time ();
      conflicts = tend_schedule_find_conflicts (store, TEND_APPOINTMENT (a), zone, error);
      t1 = g_get_monotonic_time ();
      if (conflicts == NULL)
        return FALSE;
      found += conflicts->len > 0;
      ms = (t1 - t0) / 1000.0;
      g_array_append_val (ms_all, ms);
    }
  printf ("conflict_checks: %u\n", ms_all->len);
  printf ("conflict_checks_with_conflicts: %u\n", found);
  report ("find_conflicts", ms_all);
  return TRUE;
}

/* @n weekly series starting on Monday mornings from @first, a year long. */
static GPtrArray *
make_series (const char *clinician,
             GDateTime  *first,
             int         n)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *client = g_uuid_string_random ();

  for (int i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_minutes (first, (i % 50) * 60 + (i / 50) * 24 * 60);
      TendSeries *series = tend_series_new (clinician, start, 50, ZONE, "FREQ=WEEKLY");

      tend_record_set_string (TEND_RECORD (series), "client_id", client);
      tend_record_set_string (TEND_RECORD (series), "service_code", "90834");
      g_ptr_array_add (out, series);
    }
  return out;
}

static double
materialise (TendStore *store,
             GPtrArray *series,
             gint64     horizon,
             gboolean   keep,
             GError   **error)
{
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = tend_store_begin (store, error);

  for (guint i = 0; ok && i < series->len; i++)
    ok = tend_schedule_save_series (store, g_ptr_array_index (series, i), horizon, error);
  if (!ok)
    return -1;
  if (keep)
    {
      if (!tend_store_commit (store, error))
        return -1;
    }
  else
    tend_store_rollback (store);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static gboolean
bench_recurrence (TendStore  *big,
                  const char *dir,
                  GBytes     *key,
                  GError    **error)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (ZONE);
  g_autoptr(GDateTime) first = g_date_time_new (zone, 2027, 1, 4, 8, 0, 0);
  g_autoptr(GDateTime) year = g_date_time_add_years (first, 1);
  g_autofree char *clinician = g_uuid_string_random ();
  g_autoptr(GPtrArray) series = make_series (clinician, first, opt_series);
  g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *path = g_build_filename (dir, "schedule-materialise.db", NULL);
  g_autoptr(TendStore) fresh = NULL;
  guint64 occurrences = 0;
  double ms;

  /* The expansion alone: 5 runs, the median. */
  for (int run = 0; run < 6; run++)
    {
      gint64 t0 = g_get_monotonic_time ();

      occurrences = 0;
      for (guint i = 0; i < series->len; i++)
        {
          g_autoptr(GDateTime) start = tend_series_dup_first_start (g_ptr_array_index (series, i));
          g_autoptr(GPtrArray) starts = tend_series_expand (g_ptr_array_index (series, i), start, year, error);

          if (starts == NULL)
            return FALSE;
          occurrences += starts->len;
        }
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (run > 0)
        g_array_append_val (runs, ms);
    }
  printf ("expand_series: %d\n", opt_series);
  printf ("expand_occurrences: %" G_GUINT64_FORMAT "\n", occurrences);
  bench_print_ms ("expand_ms", bench_percentile (runs, 50));

  /* With materialisation, in a new store, then in the big one (rolled back). */
  tend_store_remove_files (path);
  fresh = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, error);
  if (fresh == NULL)
    return FALSE;
  ms = materialise (fresh, series, tend_time_to_unix_usec (year), TRUE, error);
  if (ms < 0)
    return FALSE;
  bench_print_ms ("materialise_new_store_ms", ms);
  print_value ("materialise_new_store_rows_per_s", "%.0f", occurrences / (ms / 1000.0));
  g_clear_object (&fresh);
  tend_store_remove_files (path);

  /* The same with a 64 MB page cache instead of SQLCipher's 2 MB. */
  fresh = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, error);
  if (fresh == NULL || !tend_store_exec (fresh, "PRAGMA cache_size = -65536", error))
    return FALSE;
  {
    g_autoptr(GPtrArray) again = make_series (clinician, first, opt_series);

    ms = materialise (fresh, again, tend_time_to_unix_usec (year), TRUE, error);
  }
  if (ms < 0)
    return FALSE;
  bench_print_ms ("materialise_new_store_cache64_ms", ms);
  g_clear_object (&fresh);
  tend_store_remove_files (path);

  if (big != NULL)
    {
      g_autoptr(GPtrArray) again = make_series (clinician, first, opt_series);

      ms = materialise (big, again, tend_time_to_unix_usec (year), FALSE, error);
      if (ms < 0)
        return FALSE;
      bench_print_ms ("materialise_big_store_ms", ms);
      print_value ("materialise_big_store_rows_per_s", "%.0f", occurrences / (ms / 1000.0));
    }
  return TRUE;
}

static gboolean
bench_extend (TendStore *store,
              GError   **error)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (ZONE);
  g_autoptr(GDateTime) horizon = g_date_time_new (zone, 2027, 2, 8, 0, 0, 0);
  gint64 before = bench_query_int (store, "SELECT count(*) FROM appointment");
  gint64 t0, after;

  if (!tend_store_begin (store, error))
    return FALSE;
  t0 = g_get_monotonic_time ();
  if (!tend_schedule_extend_horizon (store, tend_time_to_unix_usec (horizon), error))
    {
      tend_store_rollback (store);
      return FALSE;
    }
  bench_print_ms ("extend_horizon_one_week_ms", (g_get_monotonic_time () - t0) / 1000.0);
  after = bench_query_int (store, "SELECT count(*) FROM appointment");
  printf ("extend_horizon_one_week_rows: %" G_GINT64_FORMAT "\n", after - before);
  tend_store_rollback (store);
  return TRUE;
}

static void
print_memory (void)
{
  g_autofree char *status = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  for (char *line = strtok (status, "\n"); line != NULL; line = strtok (NULL, "\n"))
    {
      guint64 kb;

      if (g_str_has_prefix (line, "VmHWM:") && sscanf (line + 6, "%" G_GUINT64_FORMAT, &kb) == 1)
        print_value ("peak_rss_mb", "%.1f", kb / 1024.0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (ZONE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  GStatBuf st;

  context = g_option_context_new ("- time the calendar's queries and recurrence on a large store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-schedule: %s\n", error->message);
      return 2;
    }
  if (opt_clients < 1 || opt_clients > TEND_DEMO_MAX_CLIENTS || opt_years < 1 ||
      opt_years > TEND_DEMO_MAX_APPOINTMENT_YEARS || opt_seed < 0 || opt_samples < 1 || opt_series < 1)
    {
      fprintf (stderr, "bench-schedule: --clients 1 to %d, --years 1 to %d, --samples and --series at least 1\n",
               TEND_DEMO_MAX_CLIENTS, TEND_DEMO_MAX_APPOINTMENT_YEARS);
      return 2;
    }

  if (opt_dir != NULL)
    dir = g_canonicalize_filename (opt_dir, NULL);
  else
    dir = g_dir_make_tmp ("tend-bench-XXXXXX", &error);
  if (dir == NULL || g_mkdir_with_parents (dir, 0700) != 0)
    {
      fprintf (stderr, "bench-schedule: cannot use the folder: %s\n", error != NULL ? error->message : g_strerror (errno));
      return 1;
    }
  path = g_strdup_printf ("%s/schedule-%d-y%d-seed%d.db", dir, opt_clients, opt_years, opt_seed);
  key_path = g_strdup_printf ("%s/schedule-%d-y%d-seed%d.key", dir, opt_clients, opt_years, opt_seed);
  key = bench_key (key_path, &error);
  if (key == NULL)
    {
      fprintf (stderr, "bench-schedule: %s\n", error->message);
      return 1;
    }

  printf ("clients: %d\n", opt_clients);
  printf ("appointment_years: %d\n", opt_years);
  printf ("seed: %d\n", opt_seed);
  printf ("samples: %d\n", opt_samples);
  /* A store made by `tend-cli demo ... --store PATH --key-file KEY` (timed
   * as a user runs it): marked complete, so it is measured, not made again. */
  if (opt_adopt && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(TendStore) made = tend_store_open (path, key, TEND_STORE_OPEN_NONE, &error);

      if (made == NULL || !tend_store_set_meta (made, "bench.complete", "1", &error))
        {
          fprintf (stderr, "bench-schedule: %s\n", error->message);
          return 1;
        }
    }
  {
    TendDemoOptions opts;

    tend_demo_options_init (&opts);
    opts.n_clients = (guint) opt_clients;
    opts.seed = (guint32) opt_seed;
    opts.appointment_years = (guint) opt_years;
    store = bench_demo_store (path, key, &opts, progress_cb, &error);
  }
  if (store == NULL)
    {
      fprintf (stderr, "bench-schedule: %s\n", error->message);
      return 1;
    }
  print_counts (store);
  if (g_stat (path, &st) == 0)
    print_value ("store_mb", "%.0f", st.st_size / (1024.0 * 1024.0));

  if (!bench_lists (store, zone, rand, &error) ||
      !bench_conflicts (store, zone, rand, &error) ||
      !bench_recurrence (store, dir, key, &error) ||
      !bench_extend (store, &error))
    {
      fprintf (stderr, "bench-schedule: %s\n", error->message);
      return 1;
    }
  print_memory ();
  return 0;
}
