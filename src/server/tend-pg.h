/* tend-pg.h: a libpq connection pool and the few helpers the server needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define TEND_PG_ERROR (tend_pg_error_quark ())

typedef enum
{
  TEND_PG_ERROR_CONNECT,   /* the database cannot be reached */
  TEND_PG_ERROR_QUERY,     /* a statement failed */
  TEND_PG_ERROR_SCHEMA,    /* the schema is newer than this build */
} TendPgError;

typedef struct _TendPgConn TendPgConn;
typedef struct _TendPgPool TendPgPool;

GQuark       tend_pg_error_quark      (void);

TendPgConn  *tend_pg_conn_open        (const char         *conninfo,
                                       GError            **error);
void         tend_pg_conn_free        (TendPgConn         *conn);
PGconn      *tend_pg_conn_get_pq      (TendPgConn         *conn);
PGresult    *tend_pg_exec             (TendPgConn         *conn,
                                       const char         *sql,
                                       int                 n_params,
                                       const char * const *params,
                                       GError            **error);
PGresult    *tend_pg_exec_full        (TendPgConn         *conn,
                                       const char         *sql,
                                       int                 n_params,
                                       const char * const *params,
                                       const int          *lengths,
                                       const int          *formats,
                                       int                 result_format,
                                       GError            **error);
PGresult    *tend_pg_exec_custom      (TendPgConn         *conn,
                                       const char         *sql,
                                       int                 n_params,
                                       const char * const *params,
                                       GError            **error);
gboolean     tend_pg_run              (TendPgConn         *conn,
                                       const char         *sql,
                                       GError            **error);
void         tend_pg_rollback         (TendPgConn         *conn);
char        *tend_pg_dup_value        (PGresult           *res,
                                       int                 row,
                                       int                 col);
gint64       tend_pg_get_int          (PGresult           *res,
                                       int                 row,
                                       int                 col);
gboolean     tend_pg_get_bool         (PGresult           *res,
                                       int                 row,
                                       int                 col);

TendPgPool  *tend_pg_pool_new         (const char         *conninfo,
                                       guint               max_size);
void         tend_pg_pool_free        (TendPgPool         *pool);
TendPgConn  *tend_pg_pool_acquire     (TendPgPool         *pool,
                                       GError            **error);
void         tend_pg_pool_release     (TendPgPool         *pool,
                                       TendPgConn         *conn);
void         tend_pg_pool_get_stats   (TendPgPool         *pool,
                                       guint              *max_size,
                                       guint              *open,
                                       guint              *idle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendPgConn, tend_pg_conn_free)

G_END_DECLS
