/* tend-store-private.h: for the store's own files, tests and benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tend-store.h"

G_BEGIN_DECLS

extern const char * const tend_store_migrations[];
extern const guint tend_store_n_migrations;
/* The schema whose outbox names records instead of copying their bodies. */
#define TEND_STORE_SCHEMA_OUTBOX_REFERENCE 8
/* The schema with deferred_index (tend-deferred-index.c). */
#define TEND_STORE_SCHEMA_DEFERRED_INDEX 13

/* Stop migrating at @target (tests build stores at every older version). */
TendStore *tend_store_open_at_version      (const char  *path,
                                            GBytes      *key,
                                            guint        target,
                                            GError     **error);
/* The baseline for benchmarks only: the same library and schema, no key. */
TendStore *tend_store_open_plaintext       (const char  *path,
                                            GError     **error);
gboolean   tend_store_exec                 (TendStore   *self,
                                            const char  *sql,
                                            GError     **error);
gboolean   tend_store_set_max_pages        (TendStore   *self,
                                            gint64       pages,
                                            GError     **error);
char      *tend_store_key_id               (GBytes      *key);
/* What names sort by: accents dropped, case folded (NFKD, casefold). */
char      *tend_store_sort_key             (const char  *text);

/* For the store's other files (tend-schedule.c).  A statement cached by its
 * SQL text, reset and with no bindings: step it, then sqlite3_reset() it;
 * never finalise it, and never hold it across a call that may prepare the
 * same text. */
sqlite3_stmt *tend_store_prepare_cached   (TendStore     *self,
                                           const char    *sql,
                                           GError       **error);
/* The first column of the first row of @sql with up to two text
 * parameters (%NULL: not bound); @fallback when there is none, it is NULL,
 * or the SQL cannot be prepared. */
gint64     tend_store_query_int            (TendStore     *self,
                                            const char    *sql,
                                            const char    *a,
                                            const char    *b,
                                            gint64         fallback);
/* Steps @stmt, which returns no rows, and resets it and its bindings. */
gboolean   tend_store_step_done            (TendStore     *self,
                                            sqlite3_stmt  *stmt,
                                            GError       **error);
/* Steps @stmt (one column: a row id) to the end and resets it. */
GArray    *tend_store_collect_rids         (TendStore     *self,
                                            sqlite3_stmt  *stmt,
                                            GError       **error);
/* Sets @error from an SQLite result code (disk full, damaged file...);
 * always returns %FALSE. */
gboolean   tend_store_take_db_error        (TendStore     *self,
                                            int            rc,
                                            GError       **error);
/* Values read once per transaction of this connection (the practice, the
 * billing settings, a service), forgotten when the transaction ends, rolls
 * back (to a savepoint too) or writes their table: see tend-store.c. */
gpointer   tend_store_lookup_get           (TendStore     *self,
                                            const char    *key);
void       tend_store_lookup_put           (TendStore     *self,
                                            const char    *table,
                                            const char    *key,
                                            gpointer       data,
                                            GDestroyNotify free);
TendPractice *tend_store_load_practice_shared (TendStore  *self);
GTimeZone *tend_store_dup_practice_zone    (TendStore     *self);
/* Columns id, version, deleted, updated_at, body, in that order. */
TendRecord *tend_store_record_from_row    (TendStore     *self,
                                           GType          type,
                                           sqlite3_stmt  *stmt,
                                           GError       **error);
/* A transaction of its own, or a savepoint inside the caller's: on failure
 * only what happened since tend_store_step_begin() is undone. */
gboolean   tend_store_step_begin           (TendStore     *self,
                                            GError       **error);
gboolean   tend_store_step_end             (TendStore     *self,
                                            gboolean       ok,
                                            GError       **error);
/* An audit row in the caller's open transaction (no savepoint). */
gboolean   tend_store_audit_in_transaction (TendStore     *self,
                                            const char    *action,
                                            const char    *record_type,
                                            const char    *record_id,
                                            GError       **error);
/* Steps @stmt (columns id, version, deleted, updated_at, body) to the end
 * and loads every row (@for_actor: as the actor may read it); resets it. */
GPtrArray *tend_store_collect_rows         (TendStore     *self,
                                            GType          type,
                                            sqlite3_stmt  *stmt,
                                            gboolean       for_actor,
                                            GError       **error);
/* Announces a change on commit (tend-sync-store.c writes rows itself). */
void       tend_store_queue_changed        (TendStore     *self,
                                            const char    *type_name,
                                            const char    *id);

/* The role checks for clinical records (tend-chart.c reads with its own SQL). */
int        tend_store_staff_may_read_chart (TendStore     *self,
                                            const char    *staff_id,
                                            const char    *client_id,
                                            GError       **error);
gboolean   tend_store_check_read           (TendStore     *self,
                                            GType          type,
                                            GError       **error);
TendRecord *tend_store_record_from_row_for_actor (TendStore    *self,
                                                  GType         type,
                                                  sqlite3_stmt *stmt,
                                                  GError      **error);

/* Typed words as FTS5 terms (tend-chart.c): never FTS5 syntax. */
char      *tend_store_fts_query            (const char    *text,
                                            gboolean       last_is_prefix);
/* A file's first bytes agree with its declared type (PDF, PNG, JPEG). */
gboolean   tend_store_check_magic          (const char    *mime_type,
                                            GBytes        *contents,
                                            GError       **error);

gboolean   tend_store_audit_detail         (TendStore     *self,
                                            const char    *action,
                                            const char    *record_type,
                                            const char    *record_id,
                                            const char    *detail,
                                            GError       **error);
/* Between push and pop, saves skip the role check (still audited under the
 * actor): for rows that follow from a change the actor was allowed to make,
 * like the charge a clinician's completed session makes. */
void       tend_store_push_consequence     (TendStore     *self);
void       tend_store_pop_consequence      (TendStore     *self);

/* A bigger page cache for bulk writes on this connection, and back. */
char      *tend_store_grow_cache           (TendStore   *self,
                                            gint64       kib);
void       tend_store_restore_cache        (TendStore   *self,
                                            const char  *restore);

/* Search indexing a page at a time (tend-store.c, tend-search-index.c). */
void       tend_store_search_batch_begin   (TendStore     *self);
void       tend_store_search_batch_add     (TendStore     *self,
                                            const char    *table,
                                            gint64         rid);
gboolean   tend_store_search_batch_end     (TendStore     *self,
                                            gboolean       ok,
                                            GError       **error);
/* The index's name (a static string) when @table has a search index. */
const char *tend_store_search_is_indexed   (const char    *table);
gboolean   tend_store_search_index_rids    (TendStore     *self,
                                            const char    *name,
                                            GArray        *rids,
                                            GError       **error);

G_END_DECLS
