/* tend-deferred-index.c: indexes set aside during a bulk write
 *
 * A bulk write (the demo practice: millions of rows) inserts into indexes
 * whose keys are random: record ids in the outbox and the audit log, times
 * and other records' ids in the appointments, charges and payments.  Once
 * such an index is larger than the page cache, every row written reads a
 * page of it and every commit writes that page back, so the time per row
 * grows with the store.  Made afresh from the finished table, the same
 * index is one sort.
 *
 * tend_store_index_defer () drops the indexes it is given and keeps their
 * definitions in deferred_index (migration 14), in the same transaction;
 * tend_store_index_build () makes them again, each in a transaction that
 * also removes its row.  A store opened for writing with rows in
 * deferred_index (its writer stopped before the end) builds them first
 * (open_internal () in tend-store.c), so no store is left without them.
 * Only non-unique indexes can be deferred: a unique one is a rule the
 * writes must keep as they go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-store-private.h"

/**
 * tend_store_index_defer:
 * @names: (array zero-terminated=1): the indexes to set aside
 *
 * Drops each of @names (an index that is already deferred is left as it
 * is) and keeps its definition for tend_store_index_build().  Queries keep
 * their results meanwhile, but those that used the index read the whole
 * table: defer only the indexes the bulk write does not read, and never
 * one named by INDEXED BY.
 *
 * Returns: %FALSE with @error set when one of @names is not a
 *   non-unique index of the store (then nothing is deferred)
 */
gboolean
tend_store_index_defer (TendStore          *self,
                        const char * const *names,
                        GError            **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (names != NULL, FALSE);

  if (!tend_store_step_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && names[i] != NULL; i++)
    {
      sqlite3_stmt *stmt;
      char *drop;

      if (tend_store_query_int (self, "SELECT count(*) FROM deferred_index WHERE name = ?1", names[i], NULL, 0) > 0)
        continue;
      stmt = tend_store_prepare_cached (self,
                                        "INSERT INTO deferred_index (name, sql)"
                                        " SELECT name, sql FROM sqlite_schema"
                                        " WHERE type = 'index' AND name = ?1 AND sql IS NOT NULL"
                                        " AND sql NOT LIKE 'CREATE UNIQUE%'", error);
      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, names[i], -1, SQLITE_TRANSIENT);
      if (!tend_store_step_done (self, stmt, error))
        {
          ok = FALSE;
          break;
        }
      if (tend_store_query_int (self, "SELECT count(*) FROM deferred_index WHERE name = ?1", names[i], NULL, 0) == 0)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("“%s” is not an index that can be deferred"), names[i]);
          ok = FALSE;
          break;
        }
      drop = sqlite3_mprintf ("DROP INDEX \"%w\"", names[i]);
      ok = tend_store_exec (self, drop, error);
      sqlite3_free (drop);
    }
  return tend_store_step_end (self, ok, error);
}

/**
 * tend_store_index_deferred:
 *
 * Returns: how many indexes are set aside (tend_store_index_defer())
 */
guint
tend_store_index_deferred (TendStore *self)
{
  g_return_val_if_fail (TEND_IS_STORE (self), 0);
  return (guint) tend_store_query_int (self, "SELECT count(*) FROM deferred_index", NULL, NULL, 0);
}

/**
 * tend_store_index_build:
 * @cancellable: (nullable): checked before each index
 *
 * Makes every deferred index again, one transaction each.  When cancelled
 * or stopped, those not made yet stay deferred (the next open for writing
 * makes them).  Call it outside a transaction.
 */
gboolean
tend_store_index_build (TendStore     *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);

  for (;;)
    {
      g_autofree char *name = NULL;
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt;
      gboolean ok;
      int rc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      stmt = tend_store_prepare_cached (self, "SELECT name, sql FROM deferred_index ORDER BY name LIMIT 1", error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sql = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        return TRUE;
      if (rc != SQLITE_ROW)
        return tend_store_take_db_error (self, rc, error);

      if (!tend_store_step_begin (self, error))
        return FALSE;
      ok = tend_store_exec (self, sql, error);
      if (ok)
        {
          stmt = tend_store_prepare_cached (self, "DELETE FROM deferred_index WHERE name = ?1", error);
          ok = stmt != NULL;
          if (ok)
            {
              sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
              ok = tend_store_step_done (self, stmt, error);
            }
        }
      if (!tend_store_step_end (self, ok, error))
        return FALSE;
    }
}
