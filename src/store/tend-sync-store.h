/* tend-sync-store.h: the store's side of sync (no HTTP here)
 *
 * The sync engine moves JSON between tend-server and these functions:
 * pulled pages are applied with their cursor in one transaction; local
 * changes leave through a persistent in-flight batch (so a retry after a
 * lost response resends the same operations with the same op_ids); a
 * conflict is merged field by field against the base version, and what
 * cannot be merged is kept for a person to resolve.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tend-store.h"

G_BEGIN_DECLS

/* A record as the server has it. */
typedef struct
{
  char     *type;
  char     *id;
  gint64    version;
  gboolean  deleted;
  char     *body;      /* a JSON object; NULL for a tombstone */
  gboolean  checked;   /* body already passed tend_sync_check_body () */
} TendSyncChange;

TendSyncChange *tend_sync_change_new  (const char *type,
                                       const char *id,
                                       gint64      version,
                                       gboolean    deleted,
                                       const char *body);
void            tend_sync_change_free (TendSyncChange *change);
gboolean        tend_sync_check_body  (const char     *type,
                                       const char     *id,
                                       JsonNode       *body,
                                       GError        **error);

/* One operation to push: the coalesced local edits of one record. */
typedef struct
{
  char     *op_id;
  char     *type;
  char     *id;
  gint64    base_version;
  gboolean  deleted;
  char     *body;      /* NULL for a delete */
} TendSyncOp;

void tend_sync_op_free (TendSyncOp *op);

typedef enum
{
  TEND_SYNC_RESULT_APPLIED,
  TEND_SYNC_RESULT_CONFLICT,
  TEND_SYNC_RESULT_REJECTED,
} TendSyncResultKind;

/* The server's answer to one operation. */
typedef struct
{
  char               *op_id;
  TendSyncResultKind  kind;
  gint64              version;   /* APPLIED: the record's new version */
  TendSyncChange     *server;    /* CONFLICT: the server's copy */
  char               *message;   /* REJECTED: why, for a person */
} TendSyncResult;

void tend_sync_result_free (TendSyncResult *result);

typedef struct
{
  guint applied;     /* remote changes written as they came */
  guint merged;      /* merged with local edits, field by field */
  guint conflicts;   /* fields (or deletions) left for a person */
  guint skipped;     /* already here (our own changes coming back) */
  guint pushed;      /* operations the server applied */
  guint rejected;    /* operations the server refused */
  guint dropped;     /* charts dropped from this computer (chart privacy) */
} TendSyncStats;

/* A field changed on both sides, or a deletion racing an edit. */
typedef struct
{
  gint64  id;
  char   *type;
  char   *record_id;
  char   *field;         /* dotted path; "" for the whole record (deletion) */
  char   *local_value;   /* JSON, or NULL when absent / deleted here */
  char   *server_value;  /* JSON, or NULL when absent / deleted there */
} TendSyncConflict;

void tend_sync_conflict_free (TendSyncConflict *conflict);

char      *tend_store_sync_dup_cursor       (TendStore      *store);
gboolean   tend_store_sync_apply_page       (TendStore      *store,
                                             GPtrArray      *changes,
                                             const char     *cursor,
                                             gboolean        has_more,
                                             TendSyncStats  *stats,
                                             GError        **error);
gboolean   tend_store_sync_apply_after      (TendStore      *store,
                                             GPtrArray      *changes,
                                             const char     *after,
                                             const char     *cursor,
                                             gboolean       *applied,
                                             TendSyncStats  *stats,
                                             GError        **error);
/* How a full resync ends for records the server did not send again. */
typedef enum
{
  TEND_SYNC_RESYNC_SERVER_LOST,   /* restored from a backup: send them again */
  TEND_SYNC_RESYNC_DELETED,       /* tombstones purged: they were deleted */
} TendSyncResync;

gboolean   tend_store_sync_start_resync     (TendStore      *store,
                                             TendSyncResync  mode,
                                             GError        **error);

GPtrArray *tend_store_sync_prepare_push     (TendStore      *store,
                                             guint           max_ops,
                                             GError        **error);
gboolean   tend_store_sync_finish_push      (TendStore      *store,
                                             GPtrArray      *results,
                                             TendSyncStats  *stats,
                                             GError        **error);
guint      tend_store_sync_count_waiting    (TendStore      *store);
guint      tend_store_sync_count_rejected   (TendStore      *store);

GPtrArray *tend_store_sync_list_conflicts   (TendStore      *store,
                                             GError        **error);
gboolean   tend_store_sync_resolve          (TendStore      *store,
                                             gint64          conflict_id,
                                             const char     *value,
                                             GError        **error);

/* Documents' bytes (content-addressed: the SHA-256 of the bytes). */
GBytes    *tend_store_sync_dup_blob         (TendStore      *store,
                                             const char     *sha256,
                                             GError        **error);
gboolean   tend_store_sync_put_blob         (TendStore      *store,
                                             const char     *sha256,
                                             GBytes         *data,
                                             GError        **error);
/* (transfer full): hashes of live documents and message attachments whose
 * bytes are not here */
GStrv      tend_store_sync_missing_blobs    (TendStore      *store,
                                             GError        **error);

/* Privacy between clinicians: the charts this computer holds. */
GStrv      tend_store_chart_reach_update    (TendStore      *store,
                                             gboolean        adopt,
                                             guint          *n_dropped,
                                             GError        **error);
gboolean   tend_store_chart_reach_add       (TendStore      *store,
                                             const char     *client_id,
                                             GError        **error);

G_END_DECLS
