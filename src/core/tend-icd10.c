/* tend-icd10.c: search the shipped ICD-10-CM list by code or by words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tend-core-resources.h"
#include "tend-icd10.h"

typedef struct
{
  TendIcd10Entry entry;
  char          *bare_code;  /* "F411": what a code typed without its dot matches */
  char          *folded;     /* the description, case-folded */
} Entry;

static GArray *entries;      /* of Entry, loaded once, never freed */

static GArray *
load_entries (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *out = g_array_new (FALSE, TRUE, sizeof (Entry));

  /* Looked up in the resource itself: in a static library, nothing else would
   * pull its constructor into the program. */
  bytes = g_resource_lookup_data (tend_core_get_resource (), "/app/tend/Tend/core/icd10-f-z.tsv", 0, NULL);
  g_assert (bytes != NULL);  /* compiled into the library */
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    lines = g_strsplit (text, "\n", -1);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;
      Entry e;
      GString *bare;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      parts = g_strsplit (lines[i], "\t", 2);
      if (g_strv_length (parts) != 2)
        continue;
      e.entry.code = g_intern_string (parts[0]);
      e.entry.description = g_intern_string (parts[1]);
      bare = g_string_new (NULL);
      for (const char *p = parts[0]; *p; p++)
        if (*p != '.')
          g_string_append_c (bare, *p);
      e.bare_code = g_string_free (bare, FALSE);
      e.folded = g_utf8_casefold (parts[1], -1);
      g_array_append_val (out, e);
    }
  return out;
}

static GArray *
get_entries (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      entries = load_entries ();
      g_once_init_leave (&once, 1);
    }
  return entries;
}

guint
tend_icd10_get_n_entries (void)
{
  return get_entries ()->len;
}

/**
 * tend_icd10_lookup:
 * @code: a code, with or without its dot, any case
 *
 * Returns: (nullable) (transfer none): the entry, or %NULL if the list does
 *   not have it
 */
const TendIcd10Entry *
tend_icd10_lookup (const char *code)
{
  GArray *all = get_entries ();
  g_autofree char *upper = NULL;
  GString *bare;

  if (code == NULL)
    return NULL;
  upper = g_ascii_strup (code, -1);
  bare = g_string_new (NULL);
  for (const char *p = g_strstrip (upper); *p; p++)
    if (*p != '.')
      g_string_append_c (bare, *p);
  for (guint i = 0; i < all->len; i++)
    {
      Entry *e = &g_array_index (all, Entry, i);

      if (strcmp (e->bare_code, bare->str) == 0)
        {
          g_string_free (bare, TRUE);
          return &e->entry;
        }
    }
  g_string_free (bare, TRUE);
  return NULL;
}

static gboolean
looks_like_code (const char *q)
{
  return g_ascii_isalpha (q[0]) && (q[1] == '\0' || g_ascii_isdigit (q[1]));
}

/* Every word of the query starts a word of the description. */
static gboolean
words_match (const char  *folded,
             char       **words)
{
  for (guint w = 0; words[w] != NULL; w++)
    {
      const char *hit = folded;
      gboolean found = FALSE;

      if (*words[w] == '\0')
        continue;
      while ((hit = strstr (hit, words[w])) != NULL)
        {
          if (hit == folded || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (hit))))
            {
              found = TRUE;
              break;
            }
          hit++;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/**
 * tend_icd10_search:
 * @query: a code prefix ("F41", "f41.1", "F411") or words ("panic", "adjust anx")
 * @limit: the most entries to return (0: no limit)
 *
 * Returns: (transfer container) (element-type TendIcd10Entry): matches in
 *   code order
 */
GPtrArray *
tend_icd10_search (const char *query,
                   guint       limit)
{
  GArray *all = get_entries ();
  GPtrArray *out = g_ptr_array_new ();
  g_autofree char *q = g_strstrip (g_strdup (query != NULL ? query : ""));
  g_autofree char *folded = g_utf8_casefold (q, -1);
  g_auto(GStrv) words = g_strsplit_set (folded, " ,;-", -1);
  g_autofree char *bare = NULL;
  gboolean by_code = *q != '\0' && looks_like_code (q);

  if (by_code)
    {
      GString *b = g_string_new (NULL);

      for (const char *p = q; *p; p++)
        if (*p != '.')
          g_string_append_c (b, g_ascii_toupper (*p));
      bare = g_string_free (b, FALSE);
    }

  for (guint i = 0; i < all->len && (limit == 0 || out->len < limit); i++)
    {
      Entry *e = &g_array_index (all, Entry, i);
      gboolean match;

      if (by_code)
        match = g_str_has_prefix (e->bare_code, bare);
      else
        match = words_match (e->folded, words);
      if (match)
        g_ptr_array_add (out, &e->entry);
    }
  return out;
}
