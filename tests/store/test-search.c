/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-search.c: client search (FTS5) and the TendClientList model
 *
 * Each search is checked two ways: named clients that must (or must not) be
 * found, and the whole result set against a small model of what a prefix
 * search over names, e-mail, phones and record numbers should return.
 */
#include "config.h"

#include "store-test-util.h"

typedef struct
{
  const char *given;
  const char *family;
  const char *preferred;
  const char *email;
  const char *mobile;
  const char *home;
  const char *record_number;
} Person;

static const Person specials[] = {
  { "Ann", "Smith", NULL, "ann.smith@example.com", "555-0123", NULL, "R-1001" },
  { "Annabel", "Smithers", "Bel", "annabel@example.com", "617-555-0456", NULL, "R-1002" },
  { "Anne", "Smyth", NULL, "asmyth@example.com", NULL, NULL, "R-1003" },
  { "José", "García", NULL, "jgarcia@example.net", NULL, "(617) 555-0199", "R-1004" },
  { "Maxwell", "Quinn", NULL, "mq@example.com", "+1 212 555 0177", NULL, "R-1005" },
  { "Katherine", "Doyle", "Kit", "kdoyle@example.com", NULL, NULL, "R-1006" },
  { "Zoë", "Müller", NULL, NULL, NULL, NULL, "R-1007" },
  { "Annette", "Smithson", NULL, NULL, "(718) 555-0300", NULL, NULL },
  { "Siobhán", "O'Brien", NULL, "siobhan@example.ie", NULL, NULL, "R-1009" },
  { "Pat", "\"Quotes\" Anderson", NULL, NULL, NULL, NULL, "R-1010" },
};

static const char * const filler_given[] = {
  "Alice", "Brian", "Carmen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
};
static const char * const filler_family[] = {
  "Anderson", "Baptiste", "Chen", "Delgado", "Eriksen", "Fischer", "Gupta", "Haddad", "Ivanova",
  "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Rossi", "Suzuki",
  "Tanaka",
};

#define N_CLIENTS 200

typedef struct
{
  StoreFixture  base;
  TendStore    *store;
  GPtrArray    *clients;   /* TendClient, live ones only */
} SearchFixture;

/* ---- the model: what a prefix search should find ---- */

static char *
fold (const char *text)
{
  g_autofree char *nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autofree char *lower = g_utf8_strdown (nfd, -1);
  GString *out = g_string_new (NULL);

  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static void
add_words (GPtrArray  *words,
           const char *text)
{
  g_autofree char *folded = NULL;
  const char *p;

  if (text == NULL)
    return;
  folded = fold (text);
  p = folded;
  while (*p)
    {
      const char *start;

      if (!g_unichar_isalnum (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      start = p;
      while (*p && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      g_ptr_array_add (words, g_strndup (start, (gsize) (p - start)));
    }
}

static GPtrArray *
client_words (TendClient *client)
{
  static const char * const fields[] = {
    "legal_given", "legal_family", "preferred_name", "email", "record_number", NULL
  };
  static const char * const phones[] = { "phone_mobile", "phone_home", NULL };
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; fields[i]; i++)
    add_words (words, tend_record_get_string (TEND_RECORD (client), fields[i]));
  for (guint i = 0; phones[i]; i++)
    {
      const char *phone = tend_record_get_string (TEND_RECORD (client), phones[i]);
      g_autofree char *digits = NULL;

      if (phone == NULL)
        continue;
      digits = tend_phone_digits (phone);
      add_words (words, phone);
      add_words (words, digits);
      if (strlen (digits) == 11 && digits[0] == '1')
        add_words (words, digits + 1);
      if (strlen (digits) >= 10)
        add_words (words, digits + strlen (digits) - 7);
    }
  return words;
}

static gboolean
model_matches (TendClient *client,
               const char *query)
{
  g_autoptr(GPtrArray) query_words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) words = client_words (client);

  add_words (query_words, query);
  for (guint q = 0; q < query_words->len; q++)
    {
      gboolean found = FALSE;

      for (guint w = 0; w < words->len && !found; w++)
        found = g_str_has_prefix (g_ptr_array_index (words, w), g_ptr_array_index (query_words, q));
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static char *
sort_key (TendClient *client)
{
  const char *first = tend_client_get_preferred_name (client);
  g_autofree char *key = g_strdup_printf ("%s %s", tend_client_get_legal_family (client),
                                          first != NULL ? first : tend_client_get_legal_given (client));

  /* The store folds accents and case (NFKD, marks dropped, casefolded),
   * then compares bytes. */
  g_autofree char *nfkd = g_utf8_normalize (key, -1, G_NORMALIZE_NFKD);
  GString *bare = g_string_new (NULL);
  char *folded;

  for (const char *p = nfkd; *p; p = g_utf8_next_char (p))
    if (!g_unichar_ismark (g_utf8_get_char (p)))
      g_string_append_unichar (bare, g_utf8_get_char (p));
  folded = g_utf8_casefold (bare->str, -1);
  g_string_free (bare, TRUE);
  return folded;
}

/* ---- fixture ---- */

static TendClient *
person_to_client (const Person *p)
{
  TendClient *client = tend_client_new (p->given, p->family);
  TendRecord *r = TEND_RECORD (client);

  tend_record_set_string (r, "preferred_name", p->preferred);
  tend_record_set_string (r, "email", p->email);
  tend_record_set_string (r, "phone_mobile", p->mobile);
  tend_record_set_string (r, "phone_home", p->home);
  tend_record_set_string (r, "record_number", p->record_number);
  return client;
}

static void
search_setup (SearchFixture *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  store_test_setup (&f->base, data);
  f->store = store_test_open (&f->base);
  f->clients = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (tend_store_begin (f->store, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (specials); i++)
    {
      TendClient *client = person_to_client (&specials[i]);

      store_test_save (f->store, TEND_RECORD (client));
      g_ptr_array_add (f->clients, client);
    }
  for (guint g = 0; g < G_N_ELEMENTS (filler_given); g++)
    for (guint k = 0; k < G_N_ELEMENTS (filler_family); k++, n++)
      {
        g_autofree char *email = g_strdup_printf ("%s.%s@filler.test", filler_given[g], filler_family[k]);
        g_autofree char *phone = g_strdup_printf ("(212) 555-%04u", 2000 + n);
        g_autofree char *number = g_strdup_printf ("F%04u", n);
        Person p = { filler_given[g], filler_family[k], NULL, email, phone, NULL, number };
        TendClient *client = person_to_client (&p);

        store_test_save (f->store, TEND_RECORD (client));
        g_ptr_array_add (f->clients, client);
      }
  g_assert_true (tend_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->clients->len, ==, N_CLIENTS);
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, N_CLIENTS);
}

static void
search_teardown (SearchFixture *f,
                 gconstpointer  data)
{
  g_clear_pointer (&f->clients, g_ptr_array_unref);
  store_test_close (&f->store);
  store_test_teardown (&f->base, data);
}

static TendClient *
find_client (SearchFixture *f,
             const char    *given)
{
  for (guint i = 0; i < f->clients->len; i++)
    if (g_strcmp0 (tend_client_get_legal_given (g_ptr_array_index (f->clients, i)), given) == 0)
      return g_ptr_array_index (f->clients, i);
  g_error ("no client %s in the test data", given);
  return NULL;
}

/* Runs a search and checks it against the model; returns the clients found, in order. */
static GPtrArray *
search (SearchFixture *f,
        const char    *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = tend_store_search_clients (f->store, query, 0, &error);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint expected = 0;

  if (error != NULL)
    g_error ("search “%s” failed: %s", query, error->message);
  g_assert_nonnull (rids);

  for (guint i = 0; i < rids->len; i++)
    {
      TendRecord *record = tend_store_load_by_rid (f->store, TEND_TYPE_CLIENT, g_array_index (rids, gint64, i), &error);

      g_assert_no_error (error);
      g_assert_true (TEND_IS_CLIENT (record));
      g_assert_false (tend_record_get_deleted (record));
      g_ptr_array_add (found, record);
      g_assert_true (g_hash_table_add (ids, (gpointer) tend_record_get_id (record)));   /* no duplicates */

      if (i > 0)
        {
          g_autofree char *prev = sort_key (g_ptr_array_index (found, i - 1));
          g_autofree char *cur = sort_key (TEND_CLIENT (record));

          if (strcmp (prev, cur) > 0)
            g_error ("search “%s”: “%s” comes before “%s”", query, prev, cur);
        }
    }

  for (guint i = 0; i < f->clients->len; i++)
    {
      TendClient *client = g_ptr_array_index (f->clients, i);
      gboolean should = model_matches (client, query);
      gboolean did = g_hash_table_contains (ids, tend_record_get_id (TEND_RECORD (client)));

      if (should != did)
        g_error ("search “%s”: %s %s %s", query, tend_client_get_legal_given (client),
                 tend_client_get_legal_family (client), should ? "was not found" : "should not be found");
      expected += should;
    }
  g_assert_cmpuint (found->len, ==, expected);
  g_test_message ("“%s”: %u found", query, found->len);
  return found;
}

static gboolean
contains (GPtrArray  *found,
          const char *given)
{
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (tend_client_get_legal_given (g_ptr_array_index (found, i)), given) == 0)
      return TRUE;
  return FALSE;
}

#define assert_finds(f, query, given) \
  G_STMT_START { \
    g_autoptr(GPtrArray) _found = search ((f), (query)); \
    if (!contains (_found, (given))) \
      g_error ("“%s” did not find %s", (query), (given)); \
  } G_STMT_END

#define assert_misses(f, query, given) \
  G_STMT_START { \
    g_autoptr(GPtrArray) _found = search ((f), (query)); \
    if (contains (_found, (given))) \
      g_error ("“%s” found %s", (query), (given)); \
  } G_STMT_END

/* ---- tests ---- */

static void
test_name_prefixes (SearchFixture *f,
                    gconstpointer  data)
{
  static const char * const prefixes[] = { "s", "sm", "smi", "a", "an", "ann", "q", "qu", "qui", "d", "do", "doy" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autoptr(GPtrArray) found = search (f, prefixes[i]);
      g_assert_cmpuint (found->len, >, 0);
    }
  assert_finds (f, "s", "Ann");
  assert_finds (f, "sm", "Anne");
  assert_finds (f, "smi", "Annabel");
  assert_misses (f, "smi", "Anne");
  assert_finds (f, "a", "Alice");
  assert_finds (f, "ann", "Annette");
  assert_misses (f, "ann", "Alice");
  assert_finds (f, "qui", "Maxwell");
  assert_finds (f, "Q", "Maxwell");
  assert_finds (f, "doy", "Katherine");
  assert_finds (f, "SMITHERS", "Annabel");
  assert_misses (f, "smithx", "Ann");
  {
    g_autoptr(GPtrArray) found = search (f, "smithers");
    g_assert_cmpuint (found->len, ==, 1);
  }
}

static void
test_preferred_name (SearchFixture *f,
                     gconstpointer  data)
{
  assert_finds (f, "kit", "Katherine");
  assert_finds (f, "kath", "Katherine");
  assert_finds (f, "bel", "Annabel");
  {
    g_autoptr(GPtrArray) found = search (f, "kit");
    g_assert_cmpuint (found->len, ==, 1);
  }
}

static void
test_phone (SearchFixture *f,
            gconstpointer  data)
{
  assert_finds (f, "555 01", "Ann");
  assert_finds (f, "555-0123", "Ann");
  assert_finds (f, "5550123", "Ann");
  assert_finds (f, "555012", "Ann");
  assert_finds (f, "0123", "Ann");
  assert_finds (f, "(617) 555", "Annabel");
  assert_finds (f, "(617) 555", "José");
  assert_finds (f, "6175550199", "José");
  assert_finds (f, "617-555-0199", "José");
  assert_finds (f, "2125550177", "Maxwell");
  assert_finds (f, "+1 212 555 0177", "Maxwell");
  assert_finds (f, "12125550177", "Maxwell");
  assert_finds (f, "212555", "Alice");
  /* A local number without its area code (or country code). */
  assert_finds (f, "5550199", "José");
  assert_finds (f, "555-0199", "José");
  assert_finds (f, "5550177", "Maxwell");
  assert_finds (f, "5550456", "Annabel");
  assert_finds (f, "5552007", "Alice");
  assert_misses (f, "555 01", "Alice");
  {
    g_autoptr(GPtrArray) found = search (f, "5550123");
    g_assert_cmpuint (found->len, ==, 1);
  }
}

static void
test_email_and_record_number (SearchFixture *f,
                              gconstpointer  data)
{
  assert_finds (f, "jgarcia", "José");
  assert_finds (f, "jgarcia@example.net", "José");
  assert_finds (f, "example.net", "José");
  assert_finds (f, "ann.smith", "Ann");
  assert_finds (f, "R-1003", "Anne");
  assert_finds (f, "1004", "José");
  assert_finds (f, "F0042", "Carmen");
  {
    g_autoptr(GPtrArray) found = search (f, "filler.test");
    g_assert_cmpuint (found->len, ==, N_CLIENTS - G_N_ELEMENTS (specials));
  }
  {
    g_autoptr(GPtrArray) found = search (f, "example.net");
    g_assert_cmpuint (found->len, ==, 1);
  }
}

static void
test_diacritics (SearchFixture *f,
                 gconstpointer  data)
{
  assert_finds (f, "jose", "José");
  assert_finds (f, "JOSÉ", "José");
  assert_finds (f, "garcia", "José");
  assert_finds (f, "garcía", "José");
  assert_finds (f, "zoe", "Zoë");
  assert_finds (f, "muller", "Zoë");
  assert_finds (f, "siobhan", "Siobhán");
  assert_finds (f, "o'brien", "Siobhán");
  assert_finds (f, "O’Brien", "Siobhán");
}

static void
test_multi_word (SearchFixture *f,
                 gconstpointer  data)
{
  assert_finds (f, "ann smi", "Ann");
  assert_finds (f, "ann smi", "Annabel");
  assert_finds (f, "ann smi", "Annette");
  assert_misses (f, "ann smi", "Anne");
  assert_finds (f, "smi ann", "Ann");
  assert_finds (f, "  ann   smith  ", "Ann");
  assert_finds (f, "elena gupta", "Elena");
  {
    g_autoptr(GPtrArray) found = search (f, "elena gupta");
    g_assert_cmpuint (found->len, ==, 1);
  }
  {
    g_autoptr(GPtrArray) found = search (f, "ann zzz");
    g_assert_cmpuint (found->len, ==, 0);
  }
}

/* What a person might type must never reach FTS5 as syntax. */
static void
test_syntax_is_text (SearchFixture *f,
                     gconstpointer  data)
{
  static const char * const queries[] = {
    "\"", "\"\"", "*", "**", "AND", "OR", "NOT", "NEAR(", "NEAR(ann smi, 2)", "ann\"", "\"ann",
    "ann*", "smi AND", "AND ann", "NOT ann", "ann OR bob", "(", ")", "(ann", ":", "terms:ann",
    "col:ann", "^ann", "-ann", "+", "'", "''", "\\", "%", "_", "{terms}: ann", "ann -smith",
    "\"Quotes\"", "quotes anderson", "a\"b", "'; DROP TABLE client; --", "", "   ", "…", "ß",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) found = search (f, queries[i]);
      (void) found;
    }
  assert_finds (f, "\"Quotes\"", "Pat");
  assert_finds (f, "and", "Pat");     /* the word, not the operator: Anderson */
  {
    g_autoptr(GPtrArray) all = search (f, "\"");
    g_assert_cmpuint (all->len, ==, N_CLIENTS);
  }
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, N_CLIENTS);
}

static void
test_order_and_limit (SearchFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) limited = NULL;
  g_autoptr(GArray) everyone = NULL;
  g_autoptr(GPtrArray) found = search (f, "filler");
  g_autoptr(GError) error = NULL;

  /* search() checked the order; the first and last are known. */
  g_assert_cmpstr (tend_client_get_legal_family (g_ptr_array_index (found, 0)), ==, "Anderson");
  g_assert_cmpstr (tend_client_get_legal_given (g_ptr_array_index (found, 0)), ==, "Alice");
  g_assert_cmpstr (tend_client_get_legal_family (g_ptr_array_index (found, found->len - 1)), ==, "Tanaka");
  g_assert_cmpstr (tend_client_get_legal_given (g_ptr_array_index (found, found->len - 1)), ==, "Jamal");

  all = tend_store_search_clients (f->store, "filler", 0, &error);
  g_assert_no_error (error);
  limited = tend_store_search_clients (f->store, "filler", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (limited->len, ==, 10);
  for (guint i = 0; i < limited->len; i++)
    g_assert_cmpint (g_array_index (limited, gint64, i), ==, g_array_index (all, gint64, i));

  /* An empty search is every client, in the same order as the full list. */
  everyone = tend_store_list_client_rids (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (everyone->len, ==, N_CLIENTS);
  {
    g_autoptr(GArray) empty = tend_store_search_clients (f->store, "", 0, &error);
    g_autoptr(GArray) null_query = tend_store_search_clients (f->store, NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (empty->len, ==, N_CLIENTS);
    g_assert_cmpuint (null_query->len, ==, N_CLIENTS);
    for (guint i = 0; i < N_CLIENTS; i++)
      g_assert_cmpint (g_array_index (empty, gint64, i), ==, g_array_index (everyone, gint64, i));
  }
  {
    g_autoptr(GPtrArray) sorted = search (f, "");
    for (guint i = 1; i < sorted->len; i++)
      {
        g_autofree char *a = sort_key (g_ptr_array_index (sorted, i - 1));
        g_autofree char *b = sort_key (g_ptr_array_index (sorted, i));
        g_assert_cmpint (strcmp (a, b), <=, 0);
      }
  }
}

static void
forget_client (SearchFixture *f,
               TendClient    *client)
{
  g_assert_true (g_ptr_array_remove (f->clients, client));
}

static void
test_deleted_disappear (SearchFixture *f,
                        gconstpointer  data)
{
  TendClient *ann = find_client (f, "Ann");
  g_autoptr(TendClient) keep = g_object_ref (ann);
  g_autoptr(GError) error = NULL;

  assert_finds (f, "5550123", "Ann");
  g_assert_true (tend_store_delete (f->store, TEND_RECORD (keep), &error));
  g_assert_no_error (error);
  forget_client (f, ann);

  assert_misses (f, "ann smi", "Ann");
  assert_misses (f, "5550123", "Ann");
  assert_misses (f, "R-1001", "Ann");
  assert_misses (f, "", "Ann");
  assert_finds (f, "ann smi", "Annabel");
  g_assert_cmpint (tend_store_count (f->store, TEND_TYPE_CLIENT, NULL), ==, N_CLIENTS - 1);

  /* Undo brings her back into search. */
  store_test_save (f->store, TEND_RECORD (keep));
  g_ptr_array_add (f->clients, g_object_ref (keep));
  assert_finds (f, "5550123", "Ann");
  assert_finds (f, "ann smi", "Ann");
}

static void
test_updated_name (SearchFixture *f,
                   gconstpointer  data)
{
  TendClient *max = find_client (f, "Maxwell");

  assert_finds (f, "quinn", "Maxwell");
  tend_record_set_string (TEND_RECORD (max), "legal_family", "Quixote");
  tend_record_set_string (TEND_RECORD (max), "phone_mobile", "(303) 555-0999");
  store_test_save (f->store, TEND_RECORD (max));

  assert_finds (f, "quixote", "Maxwell");
  assert_finds (f, "3035550999", "Maxwell");
  assert_misses (f, "quinn", "Maxwell");
  assert_misses (f, "2125550177", "Maxwell");
  {
    g_autoptr(GPtrArray) found = search (f, "quinn");
    g_assert_cmpuint (found->len, ==, 0);
  }
}

/* ---- TendClientList ---- */

typedef struct
{
  guint calls;
  guint position;
  guint removed;
  guint added;
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *log)
{
  log->calls++;
  log->position = position;
  log->removed = removed;
  log->added = added;
  /* The model is already consistent when it announces the change. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, position + added);
}

static void
assert_list_matches (TendClientList *list,
                     GPtrArray      *found)
{
  GListModel *model = G_LIST_MODEL (list);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, found->len);
  for (guint i = 0; i < found->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (TEND_IS_CLIENT (item));
      g_assert_cmpstr (tend_record_get_id (TEND_RECORD (item)), ==,
                       tend_record_get_id (g_ptr_array_index (found, i)));
      g_assert_cmpstr (tend_client_get_legal_family (TEND_CLIENT (item)), ==,
                       tend_client_get_legal_family (g_ptr_array_index (found, i)));
    }
  g_assert_null (g_list_model_get_item (model, found->len));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_client_list (SearchFixture *f,
                  gconstpointer  data)
{
  g_autoptr(TendClientList) list = tend_client_list_new (f->store);
  GListModel *model = G_LIST_MODEL (list);
  ItemsChanged log = { 0, };
  g_autoptr(GPtrArray) smi = NULL;
  g_autoptr(GPtrArray) everyone = NULL;
  g_autoptr(TendClient) newcomer = tend_client_new ("Smilla", "Smithee");
  g_autoptr(GError) error = NULL;
  guint n_notify = 0;

  g_assert_true (g_list_model_get_item_type (model) == TEND_TYPE_CLIENT);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, tend_store_count (f->store, TEND_TYPE_CLIENT, NULL));
  g_assert_null (tend_client_list_get_query (list));
  g_assert_false (tend_client_list_is_truncated (list));
  everyone = search (f, "");
  assert_list_matches (list, everyone);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &log);
  g_signal_connect (list, "notify::n-items", G_CALLBACK (count_notify), &n_notify);

  tend_client_list_set_query (list, "smi");
  g_assert_cmpstr (tend_client_list_get_query (list), ==, "smi");
  smi = search (f, "smi");
  g_assert_cmpuint (smi->len, <, N_CLIENTS);
  g_assert_cmpuint (log.calls, ==, 1);
  g_assert_cmpuint (log.position, ==, 0);
  g_assert_cmpuint (log.removed, ==, N_CLIENTS);
  g_assert_cmpuint (log.added, ==, smi->len);
  g_assert_cmpuint (n_notify, ==, 1);
  assert_list_matches (list, smi);
  {
    g_autoptr(TendClient) first = g_list_model_get_item (model, 0);
    g_autofree char *name = tend_client_dup_display_name (first);
    g_assert_cmpstr (name, ==, "Ann Smith");
  }

  /* The same query again changes nothing. */
  tend_client_list_set_query (list, "smi");
  g_assert_cmpuint (log.calls, ==, 1);

  /* A save through the store reloads the list. */
  store_test_save (f->store, TEND_RECORD (newcomer));
  g_ptr_array_add (f->clients, g_object_ref (newcomer));
  g_assert_cmpuint (log.calls, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, smi->len + 1);
  {
    g_autoptr(GPtrArray) now = search (f, "smi");
    assert_list_matches (list, now);
  }

  /* So does an edit that takes a client out of the results... */
  tend_record_set_string (TEND_RECORD (newcomer), "legal_family", "Jones");
  tend_record_set_string (TEND_RECORD (newcomer), "legal_given", "Milla");
  store_test_save (f->store, TEND_RECORD (newcomer));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, smi->len);
  assert_list_matches (list, smi);

  /* ...and a delete. */
  g_assert_true (tend_store_delete (f->store, g_ptr_array_index (smi, 0), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, smi->len - 1);

  /* Back to everyone. */
  tend_client_list_set_query (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS);   /* +1 newcomer, -1 deleted */
  tend_client_list_set_query (list, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS);
}

/* For a window's first frame: only the first rows by name, then the rest,
 * announced as rows added after them (the view keeps the rows it built). */
static void
test_client_list_first (SearchFixture *f,
                        gconstpointer  data)
{
  g_autoptr(TendClientList) list = tend_client_list_new_first (f->store, 3);
  g_autoptr(TendClientList) all = tend_client_list_new (f->store);
  GListModel *model = G_LIST_MODEL (list);
  ItemsChanged log = { 0, };
  g_autoptr(GPtrArray) everyone = search (f, "");

  g_assert_cmpuint (everyone->len, >, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_false (tend_client_list_is_complete (list));
  g_assert_true (tend_client_list_is_complete (all));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(TendClient) a = g_list_model_get_item (model, i);
      g_autoptr(TendClient) b = g_list_model_get_item (G_LIST_MODEL (all), i);

      g_assert_cmpstr (tend_record_get_id (TEND_RECORD (a)), ==, tend_record_get_id (TEND_RECORD (b)));
    }
  /* A search is whole whatever the first rows were. */
  tend_client_list_set_query (list, "smi");
  g_assert_true (tend_client_list_is_complete (list));
  tend_client_list_set_query (list, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed), &log);
  tend_client_list_load_all (list);
  g_assert_true (tend_client_list_is_complete (list));
  g_assert_cmpuint (log.calls, ==, 1);
  g_assert_cmpuint (log.position, ==, 3);
  g_assert_cmpuint (log.removed, ==, 0);
  g_assert_cmpuint (log.added, ==, everyone->len - 3);
  assert_list_matches (list, everyone);
  /* Once only. */
  tend_client_list_load_all (list);
  g_assert_cmpuint (log.calls, ==, 1);
}

/* More matches than the list shows: it says so. */
static void
test_client_list_truncated (StoreFixture  *f,
                            gconstpointer  data)
{
  g_autoptr(TendStore) store = store_test_open (f);
  g_autoptr(TendClientList) list = NULL;
  g_autoptr(GError) error = NULL;
  guint limit;

  g_assert_true (tend_store_begin (store, &error));
  for (guint i = 0; i < 510; i++)
    {
      g_autofree char *given = g_strdup_printf ("Many%03u", i);
      g_autoptr(TendClient) client = tend_client_new (given, "Trunc");

      store_test_save (store, TEND_RECORD (client));
    }
  g_assert_true (tend_store_commit (store, &error));
  g_assert_no_error (error);

  list = tend_client_list_new (store);
  limit = tend_client_list_get_limit (list);
  g_assert_cmpuint (limit, <, 510);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 510);
  g_assert_false (tend_client_list_is_truncated (list));

  tend_client_list_set_query (list, "trunc");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, limit);
  g_assert_true (tend_client_list_is_truncated (list));

  tend_client_list_set_query (list, "many00");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_assert_false (tend_client_list_is_truncated (list));

  g_clear_object (&list);
  store_test_close (&store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, SearchFixture, NULL, search_setup, func, search_teardown)

  ADD ("/search/name-prefixes", test_name_prefixes);
  ADD ("/search/preferred-name", test_preferred_name);
  ADD ("/search/phone", test_phone);
  ADD ("/search/email-and-record-number", test_email_and_record_number);
  ADD ("/search/diacritics", test_diacritics);
  ADD ("/search/multi-word", test_multi_word);
  ADD ("/search/syntax-is-text", test_syntax_is_text);
  ADD ("/search/order-and-limit", test_order_and_limit);
  ADD ("/search/deleted-disappear", test_deleted_disappear);
  ADD ("/search/updated-name", test_updated_name);
  ADD ("/client-list/model", test_client_list);
  ADD ("/client-list/first", test_client_list_first);

#undef ADD

  g_test_add ("/client-list/truncated", StoreFixture, NULL,
              store_test_setup, test_client_list_truncated, store_test_teardown);

  return g_test_run ();
}
