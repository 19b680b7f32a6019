/* tend-pg.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every statement goes through tend_pg_exec(), which prepares it once per
 * connection (named by a counter, keyed by its text) and then only sends the
 * parameters: the hot paths (a session lookup, an empty change feed) parse
 * no SQL after the first request on a connection.
 *
 * Error messages from PostgreSQL can quote values ("Key (email)=(…) already
 * exists"), so they are never logged; callers turn them into a generic
 * error for the client and a log line with the SQLSTATE only.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tend-pg.h"

struct _TendPgConn
{
  PGconn     *pq;
  GHashTable *prepared;  /* SQL text (borrowed, static) -> statement name */
  guint       next_name;
};

struct _TendPgPool
{
  GMutex  lock;
  GCond   available;
  char   *conninfo;
  GQueue  idle;
  guint   max_size;
  guint   open;
};

G_DEFINE_QUARK (tend-pg-error-quark, tend_pg_error)

static void
ignore_notice (void       *data,
               const char *message)
{
}

TendPgConn *
tend_pg_conn_open (const char *conninfo,
                   GError    **error)
{
  PGconn *pq = PQconnectdb (conninfo);
  TendPgConn *conn;

  if (PQstatus (pq) != CONNECTION_OK)
    {
      /* libpq's message names the host and the reason, never a password. */
      g_autofree char *msg = g_strstrip (g_strdup (PQerrorMessage (pq)));

      g_set_error (error, TEND_PG_ERROR, TEND_PG_ERROR_CONNECT,
                   "Cannot connect to PostgreSQL: %s", msg);
      PQfinish (pq);
      return NULL;
    }
  /* Notices ("relation already exists, skipping") are not for the log. */
  PQsetNoticeProcessor (pq, ignore_notice, NULL);
  conn = g_new0 (TendPgConn, 1);
  conn->pq = pq;
  conn->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  return conn;
}

void
tend_pg_conn_free (TendPgConn *conn)
{
  if (conn == NULL)
    return;
  PQfinish (conn->pq);
  g_hash_table_unref (conn->prepared);
  g_free (conn);
}

PGconn *
tend_pg_conn_get_pq (TendPgConn *conn)
{
  return conn->pq;
}

static void
set_query_error (TendPgConn *conn,
                 PGresult   *res,
                 GError    **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;

  /* The SQLSTATE only: the message text may quote row values. */
  g_set_error (error, TEND_PG_ERROR,
               PQstatus (conn->pq) == CONNECTION_OK ? TEND_PG_ERROR_QUERY : TEND_PG_ERROR_CONNECT,
               "Database error (SQLSTATE %s)", state != NULL ? state : "unknown");
}

/**
 * tend_pg_exec:
 * @sql: a statement; must be a string that lives as long as the process
 *   (a literal), because it keys the per-connection statement cache
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PGresult *
tend_pg_exec (TendPgConn         *conn,
              const char         *sql,
              int                 n_params,
              const char * const *params,
              GError            **error)
{
  return tend_pg_exec_full (conn, sql, n_params, params, NULL, NULL, 0, error);
}

/**
 * tend_pg_exec_full:
 * @lengths: (nullable): for binary parameters, their lengths
 * @formats: (nullable): 1 for each binary parameter, 0 for text
 * @result_format: 1 for binary results
 *
 * Like tend_pg_exec(), for bytes (blobs).
 */
PGresult *
tend_pg_exec_full (TendPgConn         *conn,
                   const char         *sql,
                   int                 n_params,
                   const char * const *params,
                   const int          *lengths,
                   const int          *formats,
                   int                 result_format,
                   GError            **error)
{
  const char *name = g_hash_table_lookup (conn->prepared, sql);
  PGresult *res;
  ExecStatusType status;

  if (name == NULL)
    {
      g_autofree char *new_name = g_strdup_printf ("s%u", conn->next_name++);

      res = PQprepare (conn->pq, new_name, sql, n_params, NULL);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          set_query_error (conn, res, error);
          PQclear (res);
          return NULL;
        }
      PQclear (res);
      name = new_name;
      g_hash_table_insert (conn->prepared, (gpointer) sql, g_steal_pointer (&new_name));
    }

  res = PQexecPrepared (conn->pq, name, n_params, params, lengths, formats, result_format);
  status = PQresultStatus (res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_query_error (conn, res, error);
      PQclear (res);
      return NULL;
    }
  return res;
}

/**
 * tend_pg_exec_custom:
 *
 * Like tend_pg_exec(), but planned for these parameters every time (an
 * unnamed statement), never with a cached generic plan.  For a statement
 * whose best plan depends on its values and on statistics a young table
 * does not have yet: after a restart, on fresh connections, the generic
 * plan of the double-booking check walked every appointment of the
 * practice (23-34 ms a check instead of 0.5 ms) until the table was
 * analysed.  Planning costs a few tens of microseconds.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PGresult *
tend_pg_exec_custom (TendPgConn         *conn,
                     const char         *sql,
                     int                 n_params,
                     const char * const *params,
                     GError            **error)
{
  PGresult *res = PQexecParams (conn->pq, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (res);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_query_error (conn, res, error);
      PQclear (res);
      return NULL;
    }
  return res;
}

/* A statement without parameters and without a result (BEGIN, DDL). */
gboolean
tend_pg_run (TendPgConn *conn,
             const char *sql,
             GError    **error)
{
  g_autoptr(PGresult) res = PQexec (conn->pq, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      set_query_error (conn, res, error);
      return FALSE;
    }
  return TRUE;
}

void
tend_pg_rollback (TendPgConn *conn)
{
  g_autoptr(PGresult) res = PQexec (conn->pq, "ROLLBACK");
}

char *
tend_pg_dup_value (PGresult *res,
                   int       row,
                   int       col)
{
  if (PQgetisnull (res, row, col))
    return NULL;
  return g_strdup (PQgetvalue (res, row, col));
}

gint64
tend_pg_get_int (PGresult *res,
                 int       row,
                 int       col)
{
  if (PQgetisnull (res, row, col))
    return 0;
  return g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

gboolean
tend_pg_get_bool (PGresult *res,
                  int       row,
                  int       col)
{
  return !PQgetisnull (res, row, col) && PQgetvalue (res, row, col)[0] == 't';
}

/* The pool */

TendPgPool *
tend_pg_pool_new (const char *conninfo,
                  guint       max_size)
{
  TendPgPool *pool = g_new0 (TendPgPool, 1);

  g_mutex_init (&pool->lock);
  g_cond_init (&pool->available);
  g_queue_init (&pool->idle);
  pool->conninfo = g_strdup (conninfo);
  pool->max_size = MAX (max_size, 1);
  return pool;
}

void
tend_pg_pool_free (TendPgPool *pool)
{
  TendPgConn *conn;

  if (pool == NULL)
    return;
  while ((conn = g_queue_pop_head (&pool->idle)) != NULL)
    tend_pg_conn_free (conn);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->available);
  g_free (pool->conninfo);
  g_free (pool);
}

/**
 * tend_pg_pool_acquire:
 *
 * Blocks until a connection is free (call it from a worker thread only);
 * opens a new one while fewer than the maximum are open.
 *
 * Returns: (transfer full): a connection to give back with
 *   tend_pg_pool_release(), or %NULL when the database cannot be reached
 */
TendPgConn *
tend_pg_pool_acquire (TendPgPool *pool,
                      GError    **error)
{
  TendPgConn *conn;

  g_mutex_lock (&pool->lock);
  for (;;)
    {
      conn = g_queue_pop_head (&pool->idle);
      if (conn != NULL || pool->open < pool->max_size)
        break;
      g_cond_wait (&pool->available, &pool->lock);
    }
  if (conn == NULL)
    pool->open++;
  g_mutex_unlock (&pool->lock);

  if (conn != NULL && PQstatus (conn->pq) == CONNECTION_OK)
    return conn;

  /* A new slot, or a connection the server dropped (restart, failover). */
  g_clear_pointer (&conn, tend_pg_conn_free);
  conn = tend_pg_conn_open (pool->conninfo, error);
  /* Reads are audited, so every request commits a row.  Pool connections
   * do not wait for that commit to reach the disk; transactions whose
   * durability matters (push, sign-out) turn it back on with SET LOCAL.
   * A PostgreSQL crash can lose the last fraction of a second of read-audit
   * rows and sign-ins, never corrupt anything. */
  if (conn != NULL && !tend_pg_run (conn, "SET synchronous_commit = off", error))
    g_clear_pointer (&conn, tend_pg_conn_free);
  if (conn == NULL)
    {
      g_mutex_lock (&pool->lock);
      pool->open--;
      g_cond_signal (&pool->available);
      g_mutex_unlock (&pool->lock);
    }
  return conn;
}

void
tend_pg_pool_release (TendPgPool *pool,
                      TendPgConn *conn)
{
  gboolean broken;

  if (conn == NULL)
    return;
  /* A connection left inside a transaction (an error path) is rolled back. */
  if (PQtransactionStatus (conn->pq) != PQTRANS_IDLE && PQstatus (conn->pq) == CONNECTION_OK)
    tend_pg_rollback (conn);
  broken = PQstatus (conn->pq) != CONNECTION_OK;
  if (broken)
    tend_pg_conn_free (conn);

  g_mutex_lock (&pool->lock);
  if (broken)
    pool->open--;
  else
    g_queue_push_head (&pool->idle, conn);
  g_cond_signal (&pool->available);
  g_mutex_unlock (&pool->lock);
}

void
tend_pg_pool_get_stats (TendPgPool *pool,
                        guint      *max_size,
                        guint      *open,
                        guint      *idle)
{
  g_mutex_lock (&pool->lock);
  if (max_size != NULL)
    *max_size = pool->max_size;
  if (open != NULL)
    *open = pool->open;
  if (idle != NULL)
    *idle = pool->idle.length;
  g_mutex_unlock (&pool->lock);
}
