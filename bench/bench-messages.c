/* bench-messages.c: secure messaging in an encrypted store at scale
 *
 * A store with 100,000 messages in 400 conversations (one of 5,000), made
 * once into bench/out/messages.db.  Measures, as the Messages page does:
 *   - opening the 5,000-message conversation: its row ids in order and the
 *     first screenful (30 messages) loaded, the work before its first frame;
 *   - the conversation list with unread counts;
 *   - search across the 100,000 messages, a word at a time as typed.
 * Targets (issue 12): open p95 <= 10 ms, search p95 <= 20 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-store-util.h"
#include "bench-util.h"
#include "tend-messages.h"

#define N_MESSAGES 100000
#define N_CONVERSATIONS 400
#define BIG 5000
#define SAMPLES 200

static const char * const words[] = {
  "schedule", "coverage", "referral", "insurance", "supervision", "intake", "letter", "Thursday",
  "group", "safety", "plan", "room", "late", "cancel", "invoice", "consent", "parking", "fax",
};

static char *
sentence (GRand *rand)
{
  GString *s = g_string_new (NULL);
  int n = g_rand_int_range (rand, 6, 24);

  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      if (g_rand_int_range (rand, 0, 4) == 0)
        g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      else
        g_string_append_printf (s, "w%u", g_rand_int_range (rand, 0, 20000));
    }
  g_string_append_c (s, '.');
  return g_string_free (s, FALSE);
}

static TendStore *
make_store (const char *path,
            GBytes     *key,
            char      **big_id,
            GError    **error)
{
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *staff[] = { "0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                          "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f", NULL };
  gint64 t0 = g_get_monotonic_time ();
  gint64 now = g_get_real_time ();

  store = tend_store_open (path, key, TEND_STORE_OPEN_NONE, NULL);
  if (store != NULL)
    {
      g_autofree char *done = tend_store_get_meta (store, "bench.complete");

      *big_id = tend_store_get_meta (store, "bench.big");
      if (g_strcmp0 (done, "1") == 0 && *big_id != NULL)
        return g_steal_pointer (&store);
      g_clear_object (&store);
      tend_store_remove_files (path);
    }
  fprintf (stderr, "Generating %s (%d messages), once\n", path, N_MESSAGES);
  store = tend_store_open (path, key, TEND_STORE_OPEN_CREATE, error);
  if (store == NULL || !tend_store_begin (store, error))
    return NULL;
  for (int c = 0; c < N_CONVERSATIONS; c++)
    {
      g_autoptr(TendConversation) conv = tend_conversation_new (staff[0], staff);

      if (!tend_store_save (store, TEND_RECORD (conv), error))
        return NULL;
      g_ptr_array_add (ids, g_strdup (tend_record_get_id (TEND_RECORD (conv))));
    }
  for (int i = 0; i < N_MESSAGES; i++)
    {
      /* The first conversation gets BIG; the rest share the others. */
      const char *conv = i < BIG ? ids->pdata[0] : ids->pdata[1 + i % (N_CONVERSATIONS - 1)];
      g_autofree char *text = sentence (rand);
      g_autoptr(TendMessage) m = tend_message_new (conv, staff[i % 3], text);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc ((now - (gint64) (N_MESSAGES - i) * 60 * G_USEC_PER_SEC)
                                                               / G_USEC_PER_SEC);
      g_autofree char *iso = tend_time_to_iso8601 (at);

      tend_record_set_string (TEND_RECORD (m), "sent_at", iso);
      if (!tend_store_save (store, TEND_RECORD (m), error))
        return NULL;
      if (i % 10000 == 9999 && (!tend_store_commit (store, error) || !tend_store_begin (store, error)))
        return NULL;
    }
  if (!tend_store_set_meta (store, "bench.big", ids->pdata[0], error) ||
      !tend_store_set_meta (store, "bench.complete", "1", error) || !tend_store_commit (store, error))
    return NULL;
  fprintf (stderr, "Generated in %.1f s\n", (g_get_monotonic_time () - t0) / 1e6);
  *big_id = g_strdup (ids->pdata[0]);
  return g_steal_pointer (&store);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_strdup (argc > 2 && g_str_equal (argv[1], "--dir") ? argv[2] : "bench/out");
  g_autofree char *path = g_build_filename (dir, "messages.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "messages.key", NULL);
  g_autofree char *big = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_mkdir_with_parents (dir, 0700);
  key = bench_key (key_path, &error);
  if (key == NULL || (store = make_store (path, key, &big, &error)) == NULL)
    {
      fprintf (stderr, "bench-messages: %s\n", error->message);
      return 1;
    }
  tend_store_set_actor (store, "0f8fad5b-d9cb-469f-a165-70867728950e", TEND_ROLE_CLINICIAN);

  for (int i = 0; i < SAMPLES; i++)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(GArray) rids = tend_messages_list_rids (store, big, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rids->len, ==, BIG);
      /* The screenful the list shows first: the newest 30. */
      for (guint r = rids->len - 30; r < rids->len; r++)
        {
          g_autoptr(TendMessage) m = tend_messages_load (store, g_array_index (rids, gint64, r), &error);

          g_assert_no_error (error);
        }
      {
        double ms = (g_get_monotonic_time () - t) / 1000.0;
        g_array_append_val (open_ms, ms);
      }
    }
  for (int i = 0; i < 50; i++)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(GPtrArray) list = tend_messages_list_conversations (store, NULL, &error);
      double ms;

      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, N_CONVERSATIONS);
      ms = (g_get_monotonic_time () - t) / 1000.0;
      g_array_append_val (list_ms, ms);
    }
  for (int i = 0; i < SAMPLES; i++)
    {
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
      /* As typed: the first letters, then the word, then two words. */
      g_autofree char *typed = g_strndup (word, 3 + i % 3);
      g_autofree char *two = g_strdup_printf ("%s %s", word, words[i % G_N_ELEMENTS (words)]);
      const char *q = i % 3 == 0 ? typed : i % 3 == 1 ? word : two;
      gint64 t = g_get_monotonic_time ();
      g_autoptr(GArray) hits = tend_messages_search (store, q, 50, &error);
      double ms = (g_get_monotonic_time () - t) / 1000.0;

      g_assert_no_error (error);
      g_array_append_val (search_ms, ms);
    }
  bench_print_ms ("messages.open_5000.p50_ms", bench_percentile (open_ms, 50));
  bench_print_ms ("messages.open_5000.p95_ms", bench_percentile (open_ms, 95));
  printf ("messages.open_5000.target_ratio: %.2f\n", bench_percentile (open_ms, 95) / 10.0);
  bench_print_ms ("messages.list_400.p95_ms", bench_percentile (list_ms, 95));
  bench_print_ms ("messages.search_100k.p50_ms", bench_percentile (search_ms, 50));
  bench_print_ms ("messages.search_100k.p95_ms", bench_percentile (search_ms, 95));
  printf ("messages.search_100k.target_ratio: %.2f\n", bench_percentile (search_ms, 95) / 20.0);
  return 0;
}
