/* tend-search-index.c: search indexes built after their rows
 *
 * A first sync of a practice writes tens of thousands of clients and notes;
 * indexing each as it was written was half of that sync.  So the sync marks
 * the indexes as behind (search_backlog: the rows above from_rid are not in
 * them, and the triggers leave them alone, see migration 7), and
 * tend_store_search_catch_up() indexes those rows afterwards, a chunk per
 * transaction, on a worker connection.  Until it is done, client search also
 * finds the rows not yet indexed by the start of the family name, through
 * the name index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-store-private.h"

/* Row ids per transaction: other connections write between them. */
#define CATCH_UP_CHUNK 4096

typedef struct
{
  const char *name;    /* search_backlog.name, and the table */
  const char *fill;    /* indexes the rows with ?1 < rid <= ?2 */
  const char *remove;  /* takes the rows in the JSON array ?1 out */
  const char *add;     /* indexes the rows in the JSON array ?1, above ?2 */
} SearchIndex;

#define CLIENT_TERMS "SELECT rid, tend_client_terms(body) FROM client"
#define NOTE_TERMS   "SELECT n.rid, (SELECT group_concat(value, ' ') FROM json_each(n.body, '$.sections')) FROM note n"

static const SearchIndex indexes[] = {
  { "client",
    "INSERT INTO client_fts (rowid, terms) " CLIENT_TERMS " WHERE rid > ?1 AND rid <= ?2 AND deleted = 0",
    "DELETE FROM client_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
    "INSERT INTO client_fts (rowid, terms) " CLIENT_TERMS
    " WHERE rid IN (SELECT value FROM json_each(?1)) AND rid <= ?2 AND deleted = 0" },
  { "note",
    "INSERT INTO note_fts (rowid, terms) " NOTE_TERMS " WHERE n.rid > ?1 AND n.rid <= ?2 AND n.deleted = 0",
    "DELETE FROM note_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
    "INSERT INTO note_fts (rowid, terms) " NOTE_TERMS
    " WHERE n.rid IN (SELECT value FROM json_each(?1)) AND n.rid <= ?2 AND n.deleted = 0" },
};

const char *
tend_store_search_is_indexed (const char *table)
{
  for (guint i = 0; table != NULL && i < G_N_ELEMENTS (indexes); i++)
    if (strcmp (indexes[i].name, table) == 0)
      return indexes[i].name;
  return NULL;
}

gboolean
tend_store_step_done (TendStore     *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE || tend_store_take_db_error (self, rc, error);
}

/* The row id above which @name's rows are not indexed yet, or -1. */
gint64
tend_store_search_indexed_upto (TendStore  *self,
                                const char *name)
{
  g_return_val_if_fail (TEND_IS_STORE (self), -1);
  return tend_store_query_int (self, "SELECT from_rid FROM search_backlog WHERE name = ?1", name, NULL, -1);
}

/* Re-indexes the rows @rids of @name (written in this transaction while
 * the triggers left them alone): their old entries out, one statement to
 * index them all.  Rows above a backlog's from_rid are left to
 * tend_store_search_catch_up(). */
gboolean
tend_store_search_index_rids (TendStore   *self,
                              const char  *name,
                              GArray      *rids,
                              GError     **error)
{
  const SearchIndex *ix = NULL;
  gint64 upto = tend_store_search_indexed_upto (self, name);
  g_autoptr(GString) list = g_string_new ("[");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    if (strcmp (indexes[i].name, name) == 0)
      ix = &indexes[i];
  g_return_val_if_fail (ix != NULL, FALSE);
  if (upto < 0)
    upto = G_MAXINT64;

  for (guint i = 0; i < rids->len; i++)
    {
      gint64 rid = g_array_index (rids, gint64, i);

      if (rid <= upto)
        g_string_append_printf (list, "%s%" G_GINT64_FORMAT, list->len > 1 ? "," : "", rid);
    }
  if (list->len == 1)
    return TRUE;
  g_string_append_c (list, ']');
  /* Their old entries out in one statement too: FTS5 writes a segment at
   * the end of each statement, and a DELETE per row was half of applying
   * 1,000 changed clients (bench-sync: 55 ms of 103).  Harmless for a row
   * that had no entry (a new one, a tombstone). */
  if ((stmt = tend_store_prepare_cached (self, ix->remove, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, list->str, (int) list->len, SQLITE_TRANSIENT);
  if (!tend_store_step_done (self, stmt, error))
    return FALSE;
  if ((stmt = tend_store_prepare_cached (self, ix->add, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, list->str, (int) list->len, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, upto);
  return tend_store_step_done (self, stmt, error);
}

/**
 * tend_store_search_defer:
 *
 * From now on, rows written to the clients and notes are left out of the
 * search indexes until tend_store_search_catch_up() adds them.  Inside the
 * caller's transaction, or one of its own.  Does nothing for an index that
 * is behind already.
 */
gboolean
tend_store_search_defer (TendStore  *self,
                         GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);

  if (!tend_store_step_begin (self, error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT OR IGNORE INTO search_backlog (name, from_rid)"
                                              " SELECT ?1, coalesce(max(rid), 0) FROM %s", indexes[i].name);
      sqlite3_stmt *stmt = tend_store_prepare_cached (self, sql, error);

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, indexes[i].name, -1, SQLITE_STATIC);
      ok = tend_store_step_done (self, stmt, error);
    }
  return tend_store_step_end (self, ok, error);
}

/**
 * tend_store_search_backlog:
 *
 * Returns: how many clients and notes are not in the search indexes yet
 */
gint64
tend_store_search_backlog (TendStore *self)
{
  gint64 total = 0;

  g_return_val_if_fail (TEND_IS_STORE (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s, search_backlog b"
                                              " WHERE b.name = ?1 AND rid > b.from_rid AND deleted = 0",
                                              indexes[i].name);

      total += tend_store_query_int (self, sql, indexes[i].name, NULL, 0);
    }
  return total;
}

/* FTS5's own defaults (fts5_config.c), put back after a catch-up. */
#define FTS5_DEFAULT_AUTOMERGE   4
#define FTS5_DEFAULT_CRISISMERGE 16
#define FTS5_DEFAULT_HASHSIZE    (1024 * 1024)
/* The crisis merge while catching up: below FTS5's limit of 2,000
 * segments, above the chunks of any practice (a chunk's rows make one
 * segment or a few: 50,000 clients' notes are some 130). */
#define CATCH_UP_CRISISMERGE     1024
/* The in-memory hash of a catch-up transaction: a chunk's terms in one go. */
#define CATCH_UP_HASH_BYTES    (32 * 1024 * 1024)

/* Sets FTS5 option @option of @ix's full-text table ('automerge',
 * 'hashsize'): stored in its %_config table, in the transaction. */
static gboolean
set_fts_option (TendStore          *self,
                const SearchIndex  *ix,
                const char         *option,
                gint64              value,
                GError            **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s_fts (%s_fts, rank) VALUES (?1, ?2)", ix->name, ix->name);
  sqlite3_stmt *stmt = tend_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, option, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  return tend_store_step_done (self, stmt, error);
}

/* Indexes the rows of @ix above @from, up to @chunk row ids, and moves the
 * backlog on (or drops it, after merging the index, with the last chunk). */
static gboolean
catch_up_one (TendStore         *self,
              const SearchIndex *ix,
              gint64             from,
              guint              chunk,
              GError           **error)
{
  g_autofree char *max_sql = g_strdup_printf ("SELECT coalesce(max(rid), 0) FROM %s", ix->name);
  gint64 top = tend_store_query_int (self, max_sql, NULL, NULL, 0);
  gint64 upto = MIN (top, from + (gint64) chunk);
  sqlite3_stmt *stmt;

  /* Each chunk's rows go in as one new segment (a segment per flush of
   * FTS5's in-memory hash: larger than the chunk's terms).  FTS5's
   * automerge would then merge the segments as they come, writing every
   * entry again at each level: the build cost more per chunk the larger
   * the index was.  Off while catching up, the segments wait for the one
   * merge with the last chunk.  FTS5's crisis merge (16 segments on a
   * level, whatever automerge says) would still merge every 16 chunks,
   * and the final merge then wrote the same entries once more: 1,024
   * instead (still below FTS5's limit of segments, so it still bounds
   * them if edits meanwhile make many).  The settings are rows of the
   * index's own table, written in this transaction: a build stopped half
   * way leaves the backlog and these with it, and the next catch-up goes
   * on and puts them back. */
  if (!set_fts_option (self, ix, "automerge", 0, error) ||
      !set_fts_option (self, ix, "crisismerge", CATCH_UP_CRISISMERGE, error) ||
      !set_fts_option (self, ix, "hashsize", CATCH_UP_HASH_BYTES, error))
    return FALSE;
  if ((stmt = tend_store_prepare_cached (self, ix->fill, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, upto);
  if (!tend_store_step_done (self, stmt, error))
    return FALSE;
  /* The chunks leave the index in many segments, where deleting an entry
   * (every later edit) costs ten times what it does in one: merged into
   * one with the last chunk. */
  if (upto >= top)
    {
      g_autofree char *optimize = g_strdup_printf ("INSERT INTO %s_fts (%s_fts) VALUES ('optimize')",
                                                   ix->name, ix->name);

      if (!tend_store_exec (self, optimize, error) ||
          !set_fts_option (self, ix, "automerge", FTS5_DEFAULT_AUTOMERGE, error) ||
          !set_fts_option (self, ix, "crisismerge", FTS5_DEFAULT_CRISISMERGE, error) ||
          !set_fts_option (self, ix, "hashsize", FTS5_DEFAULT_HASHSIZE, error))
        return FALSE;
    }
  stmt = tend_store_prepare_cached (self, upto >= top
                                          ? "DELETE FROM search_backlog WHERE name = ?2"
                                          : "UPDATE search_backlog SET from_rid = ?1 WHERE name = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, upto);
  sqlite3_bind_text (stmt, 2, ix->name, -1, SQLITE_STATIC);
  return tend_store_step_done (self, stmt, error);
}

/**
 * tend_store_search_catch_up:
 * @chunk: how many row ids to index in this transaction
 * @remaining: (out) (optional): rows still to index after this chunk
 *
 * Indexes the next chunk of rows of the first index that is behind, in
 * one transaction; the last chunk also marks the index complete, so rows
 * written meanwhile are indexed by the triggers from then on, and none is
 * missed or indexed twice.  Call until @remaining is 0.
 */
gboolean
tend_store_search_catch_up (TendStore  *self,
                            guint       chunk,
                            gint64     *remaining,
                            GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (chunk > 0, FALSE);

  if (!tend_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      gint64 from = tend_store_search_indexed_upto (self, indexes[i].name);

      if (from >= 0)
        {
          ok = catch_up_one (self, &indexes[i], from, chunk, error);
          break;
        }
    }
  if (!ok)
    {
      tend_store_rollback (self);
      return FALSE;
    }
  if (!tend_store_commit (self, error))
    return FALSE;
  if (remaining != NULL)
    *remaining = tend_store_search_backlog (self);
  return TRUE;
}

/* The row ids still to index, over every index that is behind: two
 * lookups each, whatever the size of the backlog. */
static gint64
backlog_span (TendStore *self)
{
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT (SELECT coalesce(max(rid), 0) FROM %s) - from_rid"
                                              " FROM search_backlog WHERE name = ?1", indexes[i].name);

      total += MAX (tend_store_query_int (self, sql, indexes[i].name, NULL, 0), 0);
    }
  return total;
}

/**
 * tend_store_search_build:
 * @progress: (nullable) (scope call): called after each chunk with the
 *   rows indexed so far and the rows there were to index
 *
 * Catches the search indexes up (see tend_store_search_catch_up()), in
 * chunks of a few thousand rows so other connections can write between
 * them; stops at @cancellable.
 *
 * Returns: %TRUE when the indexes are complete
 */
gboolean
tend_store_search_build (TendStore               *self,
                         TendStoreSearchProgress  progress,
                         gpointer                 user_data,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  gint64 total, remaining;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);

  /* Progress in row ids: counting the rows left after every chunk reads
   * them all, and made building the index of a large store quadratic. */
  remaining = total = backlog_span (self);
  while (tend_store_query_int (self, "SELECT count(*) FROM search_backlog", NULL, NULL, 0) > 0)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!tend_store_search_catch_up (self, CATCH_UP_CHUNK, NULL, error))
        return FALSE;
      remaining = backlog_span (self);
      if (progress != NULL)
        progress (MAX (total - remaining, 0), MAX (total, 1), user_data);
    }
  return TRUE;
}
