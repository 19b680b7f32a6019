/* tend-icd10.c: search the shipped ICD-10-CM list by code or by words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tend-core-resources.h"
#include "tend-error.h"
#include "tend-icd10.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  TendIcd10Entry entry;
  char          *bare_code;  /* "F411": what a code typed without its dot matches */
  char          *folded;     /* the long title, case-folded */
} Entry;

typedef struct
{
  GArray     *entries;       /* of Entry, in the CMS tabular order */
  GHashTable *by_bare_code;  /* bare code -> index + 1 */
} Table;

static Table table;          /* loaded once, never freed */

static char *
bare_code_of (const char *code)
{
  GString *bare = g_string_new (NULL);

  for (const char *p = code; *p; p++)
    if (*p != '.' && !g_ascii_isspace (*p))
      g_string_append_c (bare, g_ascii_toupper (*p));
  return g_string_free (bare, FALSE);
}

/* The file's rows: code, billable (1 or 0), short title, long title, with
 * one header line.  It is compiled in and checked by the tests, so a row
 * that does not fit is a build mistake, not bad input. */
static void
load_table (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;

  /* Looked up in the resource itself: in a static library, nothing else would
   * pull its constructor into the program. */
  bytes = g_resource_lookup_data (tend_core_get_resource (),
                                  "/app/tend/Tend/core/icd10cm-mental-health.tsv", 0, NULL);
  g_assert (bytes != NULL);  /* compiled into the library */
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    lines = g_strsplit (text, "\n", -1);
  }
  table.entries = g_array_sized_new (FALSE, TRUE, sizeof (Entry), g_strv_length (lines));
  table.by_bare_code = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 1; lines[i] != NULL; i++)  /* line 0 is the header */
    {
      g_auto(GStrv) parts = NULL;
      Entry e;

      if (lines[i][0] == '\0')
        continue;
      parts = g_strsplit (lines[i], "\t", 4);
      g_assert (g_strv_length (parts) == 4);
      e.entry.code = g_intern_string (parts[0]);
      e.entry.billable = strcmp (parts[1], "1") == 0;
      e.entry.short_description = g_intern_string (parts[2]);
      e.entry.description = g_intern_string (parts[3]);
      e.bare_code = bare_code_of (parts[0]);
      e.folded = g_utf8_casefold (parts[3], -1);
      g_array_append_val (table.entries, e);
      g_hash_table_insert (table.by_bare_code, e.bare_code, GUINT_TO_POINTER (table.entries->len));
    }
}

static GArray *
get_entries (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      load_table ();
      g_once_init_leave (&once, 1);
    }
  return table.entries;
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
  g_autofree char *bare = NULL;
  guint index;

  if (code == NULL)
    return NULL;
  bare = bare_code_of (code);
  index = GPOINTER_TO_UINT (g_hash_table_lookup (table.by_bare_code, bare));
  return index > 0 ? &g_array_index (all, Entry, index - 1).entry : NULL;
}

/**
 * tend_icd10_list_billable_under:
 * @heading: a category or subcategory ("F41", "F43.2")
 * @limit: the most entries to return (0: no limit)
 *
 * Returns: (transfer container) (element-type TendIcd10Entry): the billable
 *   codes under @heading, in code order
 */
GPtrArray *
tend_icd10_list_billable_under (const char *heading,
                                guint       limit)
{
  GArray *all = get_entries ();
  GPtrArray *out = g_ptr_array_new ();
  g_autofree char *bare = bare_code_of (heading != NULL ? heading : "");
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (table.by_bare_code, bare));

  /* Tabular order puts a heading's codes right after it. */
  for (guint i = index; index > 0 && i < all->len && (limit == 0 || out->len < limit); i++)
    {
      Entry *e = &g_array_index (all, Entry, i);

      if (!g_str_has_prefix (e->bare_code, bare))
        break;
      if (e->entry.billable)
        g_ptr_array_add (out, &e->entry);
    }
  return out;
}

/**
 * tend_icd10_check_billable:
 * @codes: (nullable): codes separated by spaces, as a charge holds them
 * @error: set to %TEND_ERROR_INVALID naming the first heading and what to
 *   choose instead
 *
 * A claim may carry only billable codes.  Codes the list does not hold (from
 * chapters Tend does not ship) are not refused here: their shape is checked
 * where they are recorded, and the payer has the last word.
 *
 * Returns: whether no code in @codes is a heading
 */
gboolean
tend_icd10_check_billable (const char *codes,
                           GError    **error)
{
  g_auto(GStrv) items = g_strsplit (codes != NULL ? codes : "", " ", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const TendIcd10Entry *e = *items[i] != '\0' ? tend_icd10_lookup (items[i]) : NULL;
      g_autoptr(GPtrArray) under = NULL;

      if (e == NULL || e->billable)
        continue;
      under = tend_icd10_list_billable_under (e->code, 2);
      if (under->len == 2)
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     /* Translators: the codes are ICD-10-CM codes, the title is in English */
                     _("Diagnoses: %s (%s) is a heading, not a billable code: choose a more specific one, "
                       "such as %s or %s"), e->code, e->description,
                     ((TendIcd10Entry *) under->pdata[0])->code, ((TendIcd10Entry *) under->pdata[1])->code);
      else if (under->len == 1)
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     _("Diagnoses: %s (%s) is a heading, not a billable code: choose a more specific one, "
                       "such as %s"), e->code, e->description, ((TendIcd10Entry *) under->pdata[0])->code);
      else
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     _("Diagnoses: %s (%s) is a heading, not a billable code: choose a more specific one"),
                     e->code, e->description);
      return FALSE;
    }
  return TRUE;
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
