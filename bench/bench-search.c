/* bench-search.c: "search as you type" on 50,000 clients, encrypted and not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two stores with the same demo data: one encrypted with SQLCipher (as the
 * application opens it) and one without a key (tend_store_open_plaintext(),
 * the same library and schema), so the ratio of the two is the cost of
 * encryption alone.  For each prefix a person might type, one sample is a
 * search (at most 500 rows, as the client list asks) plus loading the first
 * 30 rows (what the visible list shows).
 *
 * Output: "key: value" lines on stdout, so scripts can pick figures out;
 * progress on stderr.  The keys are not translated, and numbers always use a
 * dot, whatever the locale.
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
#include "tend-store-private.h"

#define SEARCH_LIMIT 500
#define VISIBLE_ROWS 30

/* What people type into the client search: first letters of names, a
 * record number, the start of a phone number. */
static const char * const queries[] = {
  "m", "j", "s", "a", "c", "d", "k", "l", "r", "t", "b", "h", "n", "p", "g", "e",
  "ma", "jo", "sm", "an", "ca", "da", "ke", "li", "ro", "th", "br", "ha", "ng",
  "pa", "ga", "el", "mi", "sa", "le", "wi",
  "mar", "jos", "smi", "and", "car", "dav", "kel", "lin", "rod", "tho", "bro",
  "har", "ngu", "pat", "gar", "eli", "mic", "san", "lee", "wil",
  "6", "60", "608", "4", "41", "414", "5", "55", "555",
};

static char *opt_dir = NULL;
static int opt_clients = 50000;
static int opt_seed = TEND_DEMO_DEFAULT_SEED;
static int opt_runs = 20;
static int opt_warmup = 3;
static gboolean opt_per_query = FALSE;

static const GOptionEntry entries[] = {
  { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir,
    "Keep the generated stores in DIR and reuse them (default: a temporary folder)", "DIR" },
  { "clients", 0, 0, G_OPTION_ARG_INT, &opt_clients, "Clients in each store (default: 50000)", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT, &opt_seed, "Seed of the demo data (default: 42)", "S" },
  { "runs", 0, 0, G_OPTION_ARG_INT, &opt_runs, "Timed runs of each query (default: 20)", "N" },
  { "warmup", 0, 0, G_OPTION_ARG_INT, &opt_warmup, "Untimed runs before them (default: 3)", "N" },
  { "per-query", 0, 0, G_OPTION_ARG_NONE, &opt_per_query, "Also print each query's median, search time and rows found", NULL },
  G_OPTION_ENTRY_NULL
};

typedef struct
{
  const char *name;
  TendStore  *store;
  GArray     *samples;        /* double, ms: search + first rows */
  GArray     *search_only;    /* double, ms */
  GArray     *by_length[4];   /* samples by query length 1..3 (0 unused) */
  double      worst_p95;
  const char *worst_query;
  guint64     total_hits;
} Side;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  fprintf (stderr, "\r  %s: %u / %u clients", (const char *) user_data, done, total);
  if (done == total)
    fputc ('\n', stderr);
}

static TendStore *
open_side (const char *path,
           GBytes     *key,
           GError    **error)
{
  return key != NULL ? tend_store_open (path, key, TEND_STORE_OPEN_CREATE, error)
                     : tend_store_open_plaintext (path, error);
}

/* Opens the cached store at @path, or makes it (and caches it) first. */
static TendStore *
prepare_store (const char *label,
               const char *path,
               GBytes     *key,
               GError    **error)
{
  g_autoptr(TendStore) store = NULL;
  g_autofree char *complete = NULL;
  TendDemoOptions opts;
  gint64 started;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      store = open_side (path, key, error);
      if (store == NULL)
        return NULL;
      complete = tend_store_get_meta (store, "bench.complete");
      if (g_strcmp0 (complete, "1") == 0)
        return g_steal_pointer (&store);
      /* An interrupted generation: start again. */
      g_clear_object (&store);
      tend_store_remove_files (path);
    }

  fprintf (stderr, "Generating the %s store (%d clients, seed %d), once: later runs reuse it\n",
           label, opt_clients, opt_seed);
  store = open_side (path, key, error);
  if (store == NULL)
    return NULL;
  tend_demo_options_init (&opts);
  opts.n_clients = (guint) opt_clients;
  opts.seed = (guint32) opt_seed;
  started = g_get_monotonic_time ();
  if (!tend_demo_generate (store, &opts, progress_cb, (gpointer) label, NULL, error))
    return NULL;
  {
    g_autofree char *key_name = g_strdup_printf ("%s_generate_s", label);
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    printf ("%s: %s\n", key_name,
            g_ascii_formatd (buf, sizeof buf, "%.1f", (g_get_monotonic_time () - started) / 1e6));
  }
  if (!tend_store_set_meta (store, "bench.complete", "1", error))
    return NULL;

  /* Measure a store as the application finds it: freshly opened. */
  g_clear_object (&store);
  return open_side (path, key, error);
}

/* One sample: what typing @query costs before the list can be drawn. */
static gboolean
run_query (Side       *side,
           const char *query,
           double     *total_ms,
           double     *search_ms,
           guint      *hits,
           GError    **error)
{
  gint64 t0, t1, t2;
  g_autoptr(GArray) rids = NULL;

  t0 = g_get_monotonic_time ();
  rids = tend_store_search_clients (side->store, query, SEARCH_LIMIT, error);
  if (rids == NULL)
    return FALSE;
  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < MIN (rids->len, VISIBLE_ROWS); i++)
    {
      g_autoptr(TendRecord) client = tend_store_load_by_rid (side->store, TEND_TYPE_CLIENT,
                                                             g_array_index (rids, gint64, i), error);
      if (client == NULL)
        return FALSE;
    }
  t2 = g_get_monotonic_time ();
  *total_ms = (t2 - t0) / 1000.0;
  *search_ms = (t1 - t0) / 1000.0;
  *hits = rids->len;
  return TRUE;
}

static gboolean
bench_query (Side       *side,
             const char *query,
             GError    **error)
{
  g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (double));
  double total, search, p95;
  guint hits = 0;
  gsize len = strlen (query);

  for (int i = 0; i < opt_warmup; i++)
    if (!run_query (side, query, &total, &search, &hits, error))
      return FALSE;
  for (int i = 0; i < opt_runs; i++)
    {
      if (!run_query (side, query, &total, &search, &hits, error))
        return FALSE;
      g_array_append_val (side->samples, total);
      g_array_append_val (side->search_only, search);
      g_array_append_val (mine, total);
      if (len >= 1 && len <= 3)
        g_array_append_val (side->by_length[len], total);
    }
  side->total_hits += hits;
  p95 = bench_percentile (mine, 95);
  if (opt_per_query)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      printf ("query %s %s: p50 %s ms, ", query, side->name,
              g_ascii_formatd (buf, sizeof buf, "%.2f", bench_percentile (mine, 50)));
      printf ("p95 %s ms, %u rows\n", g_ascii_formatd (buf, sizeof buf, "%.2f", p95), hits);
    }
  if (p95 > side->worst_p95)
    {
      side->worst_p95 = p95;
      side->worst_query = query;
    }
  return TRUE;
}

static void
side_init (Side       *side,
           const char *name,
           TendStore  *store)
{
  memset (side, 0, sizeof *side);
  side->name = name;
  side->store = store;
  side->samples = g_array_new (FALSE, FALSE, sizeof (double));
  side->search_only = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 1; i < G_N_ELEMENTS (side->by_length); i++)
    side->by_length[i] = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
side_clear (Side *side)
{
  g_clear_object (&side->store);
  g_clear_pointer (&side->samples, g_array_unref);
  g_clear_pointer (&side->search_only, g_array_unref);
  for (guint i = 1; i < G_N_ELEMENTS (side->by_length); i++)
    g_clear_pointer (&side->by_length[i], g_array_unref);
}

static void
report_side (Side *side)
{
  g_autofree char *k = NULL;

#define KEY(suffix) (g_free (k), k = g_strdup_printf ("%s_%s", side->name, suffix))
  bench_print_ms (KEY ("p50_ms"), bench_percentile (side->samples, 50));
  bench_print_ms (KEY ("p95_ms"), bench_percentile (side->samples, 95));
  bench_print_ms (KEY ("max_ms"), bench_percentile (side->samples, 100));
  bench_print_ms (KEY ("search_only_p50_ms"), bench_percentile (side->search_only, 50));
  bench_print_ms (KEY ("search_only_p95_ms"), bench_percentile (side->search_only, 95));
  bench_print_ms (KEY ("p95_ms_1_char"), bench_percentile (side->by_length[1], 95));
  bench_print_ms (KEY ("p95_ms_2_chars"), bench_percentile (side->by_length[2], 95));
  bench_print_ms (KEY ("p95_ms_3_chars"), bench_percentile (side->by_length[3], 95));
  printf ("%s: %s\n", KEY ("worst_query"), side->worst_query != NULL ? side->worst_query : "");
  bench_print_ms (KEY ("worst_query_p95_ms"), side->worst_p95);
#undef KEY
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

      if (g_str_has_prefix (line, "VmRSS:") && sscanf (line + 6, "%" G_GUINT64_FORMAT, &kb) == 1)
        bench_print_ms ("rss_mb", kb / 1024.0);
      else if (g_str_has_prefix (line, "VmHWM:") && sscanf (line + 6, "%" G_GUINT64_FORMAT, &kb) == 1)
        bench_print_ms ("peak_rss_mb", kb / 1024.0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *enc_path = NULL;
  g_autofree char *plain_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GBytes) key = NULL;
  gboolean temporary = FALSE;
  Side enc, plain;
  TendStore *store;
  double ratio;

  /* No setlocale (): the output is for scripts, with a dot in numbers. */
  context = g_option_context_new ("- time the client search on a large store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-search: %s\n", error->message);
      return 2;
    }
  if (opt_clients < 1 || opt_clients > TEND_DEMO_MAX_CLIENTS || opt_seed < 0 ||
      opt_runs < 1 || opt_warmup < 0)
    {
      fprintf (stderr, "bench-search: --clients must be 1 to %d, --seed at least 0, --runs at least 1\n",
               TEND_DEMO_MAX_CLIENTS);
      return 2;
    }

  if (opt_dir != NULL)
    {
      dir = g_canonicalize_filename (opt_dir, NULL);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          fprintf (stderr, "bench-search: cannot create %s: %s\n", dir, g_strerror (errno));
          return 1;
        }
    }
  else
    {
      dir = g_dir_make_tmp ("tend-bench-XXXXXX", &error);
      if (dir == NULL)
        {
          fprintf (stderr, "bench-search: %s\n", error->message);
          return 1;
        }
      temporary = TRUE;
    }

  enc_path = g_strdup_printf ("%s/search-%d-seed%d-encrypted.db", dir, opt_clients, opt_seed);
  plain_path = g_strdup_printf ("%s/search-%d-seed%d-plaintext.db", dir, opt_clients, opt_seed);
  key_path = g_strdup_printf ("%s/search-%d-seed%d.key", dir, opt_clients, opt_seed);

  key = bench_key (key_path, &error);
  if (key == NULL)
    {
      fprintf (stderr, "bench-search: %s\n", error->message);
      return 1;
    }

  printf ("clients: %d\n", opt_clients);
  printf ("seed: %d\n", opt_seed);
  printf ("queries: %u\n", (guint) G_N_ELEMENTS (queries));
  printf ("runs_per_query: %d\n", opt_runs);
  printf ("warmup_runs_per_query: %d\n", opt_warmup);
  printf ("search_limit: %d\n", SEARCH_LIMIT);
  printf ("rows_loaded_per_search: %d\n", VISIBLE_ROWS);

  store = prepare_store ("encrypted", enc_path, key, &error);
  if (store == NULL)
    {
      fprintf (stderr, "bench-search: encrypted store: %s\n", error->message);
      return 1;
    }
  side_init (&enc, "encrypted", store);
  store = prepare_store ("plaintext", plain_path, NULL, &error);
  if (store == NULL)
    {
      fprintf (stderr, "bench-search: plaintext store: %s\n", error->message);
      side_clear (&enc);
      return 1;
    }
  side_init (&plain, "plaintext", store);
  {
    g_autofree char *cipher = tend_store_dup_cipher_version (enc.store);

    printf ("cipher_version: SQLCipher %s\n", cipher != NULL ? cipher : "unknown");
  }

  /* Alternate the two stores query by query, so that whatever else the
   * machine is doing weighs on both alike. */
  fprintf (stderr, "Timing %u queries, %d runs each, on both stores\n",
           (guint) G_N_ELEMENTS (queries), opt_runs);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      if (!bench_query (&enc, queries[i], &error) ||
          !bench_query (&plain, queries[i], &error))
        {
          fprintf (stderr, "bench-search: “%s”: %s\n", queries[i], error->message);
          side_clear (&enc);
          side_clear (&plain);
          return 1;
        }
    }

  printf ("samples_per_store: %u\n", enc.samples->len);
  printf ("mean_rows_found: %" G_GUINT64_FORMAT "\n", enc.total_hits / G_N_ELEMENTS (queries));
  report_side (&enc);
  report_side (&plain);
  {
    double pe = bench_percentile (enc.samples, 95), pp = bench_percentile (plain.samples, 95);
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    ratio = pp > 0 ? pe / pp : 0;
    printf ("p95_ratio_encrypted_plaintext: %s\n", g_ascii_formatd (buf, sizeof buf, "%.2f", ratio));
  }
  print_memory ();

  side_clear (&enc);
  side_clear (&plain);
  if (temporary)
    {
      tend_store_remove_files (enc_path);
      tend_store_remove_files (plain_path);
      g_unlink (key_path);
      g_rmdir (dir);
    }
  return 0;
}
