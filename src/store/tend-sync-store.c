/* tend-sync-store.c: the store's side of sync
 *
 * Tables (migration "sync"):
 *  - sync_base: the server's copy of a record at the version local edits
 *    started from, kept only while the record has local edits: the base of
 *    the three-way merge;
 *  - sync_inflight: the operations of the push being sent, written before
 *    sending, so that a retry after a lost response sends the very same
 *    operations (same op_ids: the server answers from its idempotency
 *    table and applies nothing twice);
 *  - sync_conflict: fields changed on both sides, and deletions racing an
 *    edit, for a person to resolve; the record is not pushed until then;
 *  - sync_seen: the records a full resync has received, to find those the
 *    server lost (restored from a backup) and send them again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tend-store-private.h"
#include "tend-sync-store.h"

#define META_CURSOR "sync_cursor"
#define APPLY_CACHE_KIB (32 * 1024)
#define META_RESYNC "sync_resync"
#define DEFER_SEARCH_MIN 500

TendSyncChange *
tend_sync_change_new (const char *type,
                      const char *id,
                      gint64      version,
                      gboolean    deleted,
                      const char *body)
{
  TendSyncChange *c = g_new0 (TendSyncChange, 1);

  c->type = g_strdup (type);
  c->id = g_strdup (id);
  c->version = version;
  c->deleted = deleted;
  c->body = deleted ? NULL : g_strdup (body);
  return c;
}

void
tend_sync_change_free (TendSyncChange *change)
{
  if (change == NULL)
    return;
  g_free (change->type);
  g_free (change->id);
  g_free (change->body);
  g_free (change);
}

void
tend_sync_op_free (TendSyncOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op_id);
  g_free (op->type);
  g_free (op->id);
  g_free (op->body);
  g_free (op);
}

void
tend_sync_result_free (TendSyncResult *result)
{
  if (result == NULL)
    return;
  g_free (result->op_id);
  tend_sync_change_free (result->server);
  g_free (result->message);
  g_free (result);
}

void
tend_sync_conflict_free (TendSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->type);
  g_free (conflict->record_id);
  g_free (conflict->field);
  g_free (conflict->local_value);
  g_free (conflict->server_value);
  g_free (conflict);
}

/* Small SQL helpers */

static gboolean
exec_bind (TendStore   *store,
           const char  *sql,
           GError     **error,
           const char  *fmt,
           ...)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  va_list ap;
  int rc;

  if (stmt == NULL)
    return FALSE;
  va_start (ap, fmt);
  for (int i = 0; fmt[i] != '\0'; i++)
    {
      if (fmt[i] == 's')
        {
          const char *s = va_arg (ap, const char *);

          if (s == NULL)
            sqlite3_bind_null (stmt, i + 1);
          else
            sqlite3_bind_text (stmt, i + 1, s, -1, SQLITE_TRANSIENT);
        }
      else
        sqlite3_bind_int64 (stmt, i + 1, va_arg (ap, gint64));
    }
  va_end (ap);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

/* The record's table name, checked against the registry: never SQL from
 * the network. */
static const char *
checked_table (const char *type)
{
  const char * const *names = tend_record_list_type_names ();

  for (guint i = 0; type != NULL && names[i] != NULL; i++)
    if (strcmp (names[i], type) == 0)
      return names[i];
  return NULL;
}

typedef struct
{
  gboolean exists;
  gint64   version;
  gboolean deleted;
  char    *body;
} LocalRow;

static void
local_row_clear (LocalRow *row)
{
  g_clear_pointer (&row->body, g_free);
}

static gboolean
read_local (TendStore  *store,
            const char *table,
            const char *id,
            LocalRow   *row,
            GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version, deleted, body FROM %s WHERE id = ?1", table);
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  int rc;

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->exists = TRUE;
      row->version = sqlite3_column_int64 (stmt, 0);
      row->deleted = sqlite3_column_int (stmt, 1) != 0;
      row->body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

/* Writes the row; while a page is applied, notes it for its search index
 * (see tend_store_search_batch_begin()). */
static gboolean
write_row (TendStore  *store,
           const char *table,
           const char *id,
           gint64      version,
           gboolean    dirty,
           gboolean    deleted,
           const char *body,
           GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO %s (id, version, dirty, deleted, updated_at, body)"
                                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                          " ON CONFLICT (id) DO UPDATE SET version = ?2, dirty = ?3,"
                                          " deleted = ?4, updated_at = ?5, body = ?6 RETURNING rid", table);
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  gint64 rid = -1;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, version);
  sqlite3_bind_int (stmt, 3, dirty);
  sqlite3_bind_int (stmt, 4, deleted);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  sqlite3_bind_text (stmt, 6, deleted ? "{}" : body, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      rid = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  tend_store_search_batch_add (store, table, rid);
  return TRUE;
}

static gboolean
set_base (TendStore  *store,
          const char *table,
          const char *id,
          gint64      version,
          gboolean    deleted,
          const char *body,
          GError    **error)
{
  return exec_bind (store, "INSERT OR REPLACE INTO sync_base (record_type, record_id, version, deleted, body)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)", error, "ssiis",
                    table, id, version, (gint64) deleted, deleted ? "{}" : body);
}

static gboolean
drop_base (TendStore  *store,
           const char *table,
           const char *id,
           GError    **error)
{
  return exec_bind (store, "DELETE FROM sync_base WHERE record_type = ?1 AND record_id = ?2", error, "ss", table, id);
}

static gboolean
has_pending (TendStore  *store,
             const char *table,
             const char *id)
{
  return tend_store_query_int (store, "SELECT EXISTS (SELECT 1 FROM outbox WHERE record_type = ?1 AND record_id = ?2)",
                               table, id, 0) > 0;
}

static char *
invalid_body (const char  *type,
              GError      *local,
              GError     **error)
{
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("The server sent an invalid %s record: %s"),
               type, local != NULL ? local->message : _("no body"));
  return NULL;
}

/**
 * tend_sync_check_body:
 * @body: (nullable): the body as parsed from the feed
 *
 * Checks a body from the server with the core codec (the server checked it
 * too, with the same codec).  The sync engine calls this on the page it
 * parsed, in its fetching thread, and marks the change checked, so the
 * store's transaction does not parse the body again.  A type this build
 * does not know passes (the store skips it).
 */
gboolean
tend_sync_check_body (const char  *type,
                      const char  *id,
                      JsonNode    *body,
                      GError     **error)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(GError) local = NULL;

  if (checked_table (type) == NULL)
    return TRUE;
  record = tend_record_new (tend_record_type_from_name (type));
  tend_record_set_id (record, id);
  if (body == NULL || !tend_record_load_body (record, body, &local))
    {
      invalid_body (type, local, error);
      return FALSE;
    }
  return TRUE;
}

/* The same for a body as text; returns it as it came, unknown members and
 * all, or %NULL with an error. */
static char *
checked_body (const char  *type,
              const char  *id,
              const char  *body,
              GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local = NULL;

  if (body != NULL && (node = json_from_string (body, &local)) == NULL)
    return invalid_body (type, local, error);
  if (!tend_sync_check_body (type, id, node, error))
    return NULL;
  return g_strdup (body);
}

/* JSON leaves by dotted path, for the three-way merge. */

static void
flatten (JsonObject *obj,
         const char *prefix,
         GHashTable *out)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &member, &value))
    {
      g_autofree char *path = prefix != NULL ? g_strconcat (prefix, ".", member, NULL) : g_strdup (member);

      if (JSON_NODE_HOLDS_OBJECT (value))
        flatten (json_node_get_object (value), path, out);
      else if (!JSON_NODE_HOLDS_NULL (value))
        g_hash_table_insert (out, g_steal_pointer (&path), json_to_string (value, FALSE));
    }
}

static GHashTable *
leaves (const char *body)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonNode) node = body != NULL ? json_from_string (body, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    flatten (json_node_get_object (node), NULL, out);
  return out;
}

static void
set_path (JsonObject *root,
          const char *path,
          const char *json_value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonObject *obj = root;
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (obj, parts[i]);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (obj, parts[i], json_object_new ());
          child = json_object_get_member (obj, parts[i]);
        }
      obj = json_node_get_object (child);
    }
  if (json_value == NULL)
    json_object_remove_member (obj, parts[n - 1]);
  else
    json_object_set_member (obj, parts[n - 1], json_from_string (json_value, NULL));
}

static char *
body_from_leaves (GHashTable *values)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GList) keys = g_hash_table_get_keys (values);
  JsonObject *obj = json_object_new ();

  json_node_take_object (root, obj);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    set_path (obj, l->data, g_hash_table_lookup (values, l->data));
  return json_to_string (root, FALSE);
}

static gboolean
add_conflict (TendStore  *store,
              const char *table,
              const char *id,
              const char *field,
              const char *local_value,
              const char *server_value,
              gint64      server_version,
              GError    **error)
{
  return exec_bind (store, "INSERT OR REPLACE INTO sync_conflict"
                           " (record_type, record_id, field, local_value, server_value, server_version, created_at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error, "sssssii",
                    table, id, field, local_value, server_value, server_version, g_get_real_time ());
}

/* After a merge the record's row holds the merged body, which is what will
 * be pushed; its outbox entries are based on the server's new version, and
 * the last says whether it is now a deletion. */
static gboolean
rebase_outbox (TendStore  *store,
               const char *table,
               const char *id,
               gint64      version,
               gboolean    deleted,
               GError    **error)
{
  return exec_bind (store, "UPDATE outbox SET base_version = ?3 WHERE record_type = ?1 AND record_id = ?2",
                    error, "ssi", table, id, version) &&
         exec_bind (store, "UPDATE outbox SET op = ?3 WHERE seq ="
                           " (SELECT max(seq) FROM outbox WHERE record_type = ?1 AND record_id = ?2)",
                    error, "sss", table, id, deleted ? "delete" : "upsert");
}

static gboolean
drop_outbox (TendStore  *store,
             const char *table,
             const char *id,
             gint64      up_to_seq,
             GError    **error)
{
  return exec_bind (store, "DELETE FROM outbox WHERE record_type = ?1 AND record_id = ?2 AND seq <= ?3",
                    error, "ssi", table, id, up_to_seq);
}

/* A remote version of a record that has local edits: merges field by field
 * against the base; what both sides changed differently becomes a
 * conflict and keeps the local value meanwhile. */
static gboolean
merge_remote (TendStore      *store,
              const char     *table,
              TendSyncChange *c,
              const char     *server_body,
              LocalRow       *local,
              TendSyncStats  *stats,
              GError        **error)
{
  g_autoptr(GHashTable) base = NULL;
  g_autoptr(GHashTable) mine = NULL;
  g_autoptr(GHashTable) theirs = NULL;
  g_autoptr(GHashTable) merged = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) clashes = g_ptr_array_new ();
  g_autofree char *base_body = NULL;
  g_autofree char *merged_body = NULL;
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key;

  /* Deletion against an edit, either way round: never decided silently. */
  if (c->deleted != local->deleted)
    {
      stats->conflicts++;
      return add_conflict (store, table, c->id, "", local->deleted ? NULL : local->body,
                           c->deleted ? NULL : server_body, c->version, error) &&
             write_row (store, table, c->id, c->version, TRUE, local->deleted, local->body, error) &&
             set_base (store, table, c->id, c->version, c->deleted, server_body, error) &&
             rebase_outbox (store, table, c->id, c->version, local->deleted, error);
    }
  if (c->deleted)
    {
      /* Deleted on both sides: nothing left to send. */
      stats->skipped++;
      return drop_outbox (store, table, c->id, G_MAXINT64, error) &&
             write_row (store, table, c->id, c->version, FALSE, TRUE, NULL, error) &&
             drop_base (store, table, c->id, error);
    }

  stmt = tend_store_prepare_cached (store, "SELECT body FROM sync_base WHERE record_type = ?1 AND record_id = ?2",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, c->id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    base_body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  base = leaves (base_body);
  mine = leaves (local->body);
  theirs = leaves (server_body);
  merged = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_hash_table_iter_init (&iter, mine);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (paths, key);
  g_hash_table_iter_init (&iter, theirs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (paths, key);

  g_hash_table_iter_init (&iter, paths);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *b = g_hash_table_lookup (base, key);
      const char *l = g_hash_table_lookup (mine, key);
      const char *s = g_hash_table_lookup (theirs, key);
      const char *pick;

      if (g_strcmp0 (l, s) == 0 || g_strcmp0 (l, b) == 0)
        pick = s;                  /* the same, or changed there only */
      else if (g_strcmp0 (s, b) == 0)
        pick = l;                  /* changed here only */
      else
        {
          pick = l;                /* both: a person decides; ours meanwhile */
          g_ptr_array_add (clashes, key);
        }
      if (pick != NULL)
        g_hash_table_insert (merged, key, (gpointer) pick);
    }
  merged_body = body_from_leaves (merged);

  /* Fields merged one by one may break a rule of the whole record (an end
   * before the start): then every differing field is for a person. */
  {
    g_autoptr(GError) invalid = NULL;
    g_autofree char *valid = checked_body (table, c->id, merged_body, &invalid);

    if (valid == NULL)
      {
        g_ptr_array_set_size (clashes, 0);
        g_hash_table_iter_init (&iter, paths);
        while (g_hash_table_iter_next (&iter, &key, NULL))
          if (g_strcmp0 (g_hash_table_lookup (mine, key), g_hash_table_lookup (theirs, key)) != 0)
            g_ptr_array_add (clashes, key);
        g_free (merged_body);
        merged_body = g_strdup (local->body);
      }
    else
      {
        g_free (merged_body);
        merged_body = g_steal_pointer (&valid);
      }
  }

  for (guint i = 0; i < clashes->len; i++)
    {
      const char *path = g_ptr_array_index (clashes, i);

      if (!add_conflict (store, table, c->id, path, g_hash_table_lookup (mine, path),
                         g_hash_table_lookup (theirs, path), c->version, error))
        return FALSE;
    }
  stats->conflicts += clashes->len;
  stats->merged++;

  if (clashes->len == 0 && g_strcmp0 (merged_body, server_body) == 0)
    {
      /* Nothing of ours is left to send. */
      return drop_outbox (store, table, c->id, G_MAXINT64, error) &&
             write_row (store, table, c->id, c->version, FALSE, FALSE, server_body, error) &&
             drop_base (store, table, c->id, error);
    }
  return write_row (store, table, c->id, c->version, TRUE, FALSE, merged_body, error) &&
         set_base (store, table, c->id, c->version, FALSE, server_body, error) &&
         rebase_outbox (store, table, c->id, c->version, FALSE, error);
}

/* One remote change, inside the caller's transaction. */
static gboolean
apply_one (TendStore      *store,
           TendSyncChange *c,
           gboolean        resync,
           TendSyncStats  *stats,
           GError        **error)
{
  const char *table = checked_table (c->type);
  g_autofree char *owned = NULL;
  const char *body = NULL;
  LocalRow local;
  gboolean ok;

  if (table == NULL)
    {
      /* A type from a newer server: this build cannot keep it. */
      stats->skipped++;
      return TRUE;
    }
  if (c->id == NULL || !g_uuid_string_is_valid (c->id) || c->version < 1)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The server sent a change without a valid id or version"));
      return FALSE;
    }
  if (!c->deleted && c->checked)
    body = c->body;
  else if (!c->deleted && (body = owned = checked_body (c->type, c->id, c->body, error)) == NULL)
    return FALSE;
  if (resync && !exec_bind (store, "INSERT OR IGNORE INTO sync_seen (record_type, record_id) VALUES (?1, ?2)",
                            error, "ss", table, c->id))
    return FALSE;
  if (!read_local (store, table, c->id, &local, error))
    return FALSE;

  if (local.exists && local.version >= c->version)
    {
      stats->skipped++;        /* ours, coming back; or seen before */
      local_row_clear (&local);
      return TRUE;
    }
  if (!local.exists || !has_pending (store, table, c->id))
    {
      /* The server's copy as it is: audited once for the page (see
       * tend_store_sync_apply_page()). */
      ok = write_row (store, table, c->id, c->version, FALSE, c->deleted, body, error) &&
           drop_base (store, table, c->id, error);
      stats->applied++;
    }
  else
    {
      /* Merged with edits made here: audited as a change to this record. */
      ok = merge_remote (store, table, c, body, &local, stats, error) &&
           tend_store_audit_in_transaction (store, "sync-merge", table, c->id, error);
    }
  local_row_clear (&local);
  if (ok)
    tend_store_queue_changed (store, table, c->id);
  return ok;
}

char *
tend_store_sync_dup_cursor (TendStore *store)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return tend_store_get_meta (store, META_CURSOR);
}

/* After the last page of a full resync, the records this store holds from
 * the server (version > 0) that the server did not send again:
 *  - the server lost them (restored from a backup, or a new database): they
 *    are queued to be sent again, so nothing is lost;
 *  - the server deleted them and has since purged the tombstones: those
 *    without local edits are deleted here too, as a pulled deletion would
 *    be (those with local edits are kept, and their edits sent). */
static gboolean
finish_resync (TendStore  *store,
               gboolean    server_lost,
               GError    **error)
{
  const char * const *types = tend_record_list_type_names ();

  for (guint i = 0; types[i] != NULL; i++)
    {
      const char *t = types[i];

      if (server_lost)
        {
          g_autofree char *sql = g_strdup_printf (
            "INSERT INTO outbox (record_type, record_id, base_version, op, created_at)"
            " SELECT '%s', t.id, 0, 'upsert', ?1 FROM %s t"
            " WHERE t.deleted = 0 AND t.version > 0"
            "   AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.record_type = '%s' AND s.record_id = t.id)"
            "   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_type = '%s' AND o.record_id = t.id)",
            t, t, t, t);
          g_autofree char *reset = g_strdup_printf (
            "UPDATE %s SET version = 0, dirty = 1 WHERE deleted = 0 AND version > 0"
            " AND id IN (SELECT record_id FROM outbox WHERE record_type = '%s' AND base_version = 0)",
            t, t);

          if (!exec_bind (store, sql, error, "i", g_get_real_time ()) ||
              !exec_bind (store, reset, error, ""))
            return FALSE;
        }
      else
        {
          g_autofree char *sql = g_strdup_printf (
            "SELECT t.id FROM %s t WHERE t.deleted = 0 AND t.version > 0"
            "   AND NOT EXISTS (SELECT 1 FROM sync_seen s WHERE s.record_type = '%s' AND s.record_id = t.id)"
            "   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.record_type = '%s' AND o.record_id = t.id)",
            t, t, t);
          g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
          sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
          int rc;

          if (stmt == NULL)
            return FALSE;
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            g_ptr_array_add (gone, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            return tend_store_take_db_error (store, rc, error);
          for (guint k = 0; k < gone->len; k++)
            {
              const char *id = g_ptr_array_index (gone, k);
              g_autofree char *del = g_strdup_printf ("UPDATE %s SET deleted = 1, dirty = 0, body = '{}',"
                                                      " updated_at = ?2 WHERE id = ?1", t);

              if (!exec_bind (store, del, error, "si", id, g_get_real_time ()) ||
                  !drop_base (store, t, id, error) ||
                  !tend_store_audit_in_transaction (store, "sync-apply", t, id, error))
                return FALSE;
              tend_store_queue_changed (store, t, id);
            }
        }
    }
  return exec_bind (store, "DELETE FROM sync_seen", error, "") &&
         exec_bind (store, "DELETE FROM meta WHERE key = '" META_RESYNC "'", error, "");
}

/* @expect: (nullable): apply only when the store's cursor is this one
 * (else *@applied is %FALSE, nothing is written and it is no error) */
static gboolean
apply_page (TendStore      *store,
            GPtrArray      *changes,
            const char     *expect,
            const char     *cursor,
            gboolean        has_more,
            gboolean       *applied,
            TendSyncStats  *stats,
            GError        **error)
{
  TendSyncStats local_stats = { 0 };
  g_autofree char *resync = NULL;
  g_autofree char *restore = NULL;
  guint applied_before;
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  *applied = FALSE;
  if (stats == NULL)
    stats = &local_stats;
  if (tend_store_query_int (store, "SELECT count(*) FROM sync_inflight", NULL, NULL, 0) > 0)
    {
      if (expect != NULL)
        return TRUE;  /* a run is under way: it pulls these too */
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_CONFLICT,
                           _("Changes are being sent to the server: send them before receiving"));
      return FALSE;
    }
  resync = tend_store_get_meta (store, META_RESYNC);
  if (expect != NULL && resync != NULL)
    return TRUE;
  /* A big page touches many index pages: a bigger page cache for it
   * (SQLCipher's 2 MB would decrypt and encrypt the same pages again). */
  if (changes->len > 64)
    restore = tend_store_grow_cache (store, APPLY_CACHE_KIB);
  if (!tend_store_begin (store, error))
    {
      if (restore != NULL)
        tend_store_restore_cache (store, restore);
      return FALSE;
    }
  if (expect != NULL)
    {
      g_autofree char *had = tend_store_get_meta (store, META_CURSOR);

      if (g_strcmp0 (had, expect) != 0)
        {
          tend_store_rollback (store);
          if (restore != NULL)
            tend_store_restore_cache (store, restore);
          return TRUE;
        }
    }
  /* The first page of a big first sync: the search indexes are built
   * after the rows (tend-search-index.c), not row by row. */
  if (has_more && changes->len >= DEFER_SEARCH_MIN)
    {
      g_autofree char *had = tend_store_get_meta (store, META_CURSOR);

      if (had == NULL)
        ok = tend_store_search_defer (store, error);
    }
  tend_store_search_batch_begin (store);
  applied_before = stats->applied;
  for (guint i = 0; ok && i < changes->len; i++)
    ok = apply_one (store, g_ptr_array_index (changes, i), resync != NULL, stats, error);
  ok = tend_store_search_batch_end (store, ok, error);
  /* One audit row for the records taken as the server sent them: an
   * audit row (and an index entry on its random id) per record was a
   * fifth of a first sync.  The server's audit has each write, by whom. */
  if (ok && stats->applied > applied_before)
    {
      g_autofree char *detail = g_strdup_printf ("%u", stats->applied - applied_before);

      ok = tend_store_audit_detail (store, "sync-apply", NULL, NULL, detail, error);
    }
  if (ok && cursor != NULL)
    ok = tend_store_set_meta (store, META_CURSOR, cursor, error);
  if (ok && !has_more && resync != NULL)
    ok = finish_resync (store, g_strcmp0 (resync, "deleted") != 0, error);
  if (!ok)
    tend_store_rollback (store);
  else
    ok = *applied = tend_store_commit (store, error);
  if (restore != NULL)
    tend_store_restore_cache (store, restore);
  return ok;
}


/* What the server sent can be fetched again: the transaction that applies
 * it, which holds the cursor too, need not wait for the disk (a power cut
 * loses the changes and the cursor together, and the next pull brings
 * both; records merged with edits made here are merged again; a later
 * FULL commit makes it durable with everything before it, as the WAL is
 * written in order).  Waiting was two thirds of applying one live change
 * (1.1 against 0.4 ms, bench-sync, 2026-12-07); for 1,000 pulled changes
 * it made no difference (the commit's 25 ms are writing the pages).
 * Local saves stay FULL. */
static gboolean
apply_page_relaxed (TendStore      *store,
                    GPtrArray      *changes,
                    const char     *expect,
                    const char     *cursor,
                    gboolean        has_more,
                    gboolean       *applied,
                    TendSyncStats  *stats,
                    GError        **error)
{
  gboolean ok;

  *applied = FALSE;
  if (!tend_store_exec (store, "PRAGMA synchronous = NORMAL", error))
    return FALSE;
  ok = apply_page (store, changes, expect, cursor, has_more, applied, stats, error);
  if (!tend_store_exec (store, "PRAGMA synchronous = FULL", NULL))
    g_warning ("Cannot set the store back to synchronous = FULL");
  return ok;
}

/**
 * tend_store_sync_apply_page:
 * @changes: (element-type TendSyncChange): one page of the change feed
 * @cursor: the page's cursor, saved with it
 * @has_more: whether more pages follow
 *
 * Applies a page and its cursor in one transaction: after a crash either
 * both are there or neither.  Records without local edits take the server's
 * copy; those with local edits are merged (see the file's comment).  A body
 * that fails the core codec fails the whole page, and nothing is written.
 * Refused while a push is in flight: push first.
 *
 * Returns: %TRUE when applied
 */
gboolean
tend_store_sync_apply_page (TendStore      *store,
                            GPtrArray      *changes,
                            const char     *cursor,
                            gboolean        has_more,
                            TendSyncStats  *stats,
                            GError        **error)
{
  gboolean applied;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  return apply_page_relaxed (store, changes, NULL, cursor, has_more, &applied, stats, error);
}

/**
 * tend_store_sync_apply_after:
 * @changes: (element-type TendSyncChange): changes the live channel carried
 * @after: the cursor they follow
 * @cursor: the cursor after them
 * @applied: (out): whether they were applied
 *
 * Applies changes that follow @after, with @cursor, as one page, only when
 * this store's cursor is @after: nothing before them is then missing.
 * Otherwise (another cursor, a resync or a push under way) nothing is
 * written, *@applied is %FALSE, and a pull is what gets them.
 *
 * Returns: %FALSE on an error (nothing applied)
 */
gboolean
tend_store_sync_apply_after (TendStore      *store,
                             GPtrArray      *changes,
                             const char     *after,
                             const char     *cursor,
                             gboolean       *applied,
                             TendSyncStats  *stats,
                             GError        **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (changes != NULL && after != NULL && cursor != NULL, FALSE);
  return apply_page_relaxed (store, changes, after, cursor, FALSE, applied, stats, error);
}

/**
 * tend_store_sync_start_resync:
 *
 * Forgets the cursor (the server answered 410) so the next pull starts from
 * the beginning.  Local edits stay in the outbox.  After the last page,
 * records the server did not send again are sent to it (@mode
 * %TEND_SYNC_RESYNC_SERVER_LOST) or deleted here (%TEND_SYNC_RESYNC_DELETED),
 * see finish_resync().
 */
gboolean
tend_store_sync_start_resync (TendStore       *store,
                              TendSyncResync   mode,
                              GError         **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);

  if (!tend_store_begin (store, error))
    return FALSE;
  if (!exec_bind (store, "DELETE FROM meta WHERE key = '" META_CURSOR "'", error, "") ||
      !exec_bind (store, "DELETE FROM sync_seen", error, "") ||
      !tend_store_set_meta (store, META_RESYNC, mode == TEND_SYNC_RESYNC_DELETED ? "deleted" : "lost", error))
    {
      tend_store_rollback (store);
      return FALSE;
    }
  return tend_store_commit (store, error);
}

/* Pushing */

static GPtrArray *
read_inflight (TendStore  *store,
               GError    **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_op_free);
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT op_id, record_type, record_id, base_version, op, body"
                                                         " FROM sync_inflight ORDER BY pos", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendSyncOp *op = g_new0 (TendSyncOp, 1);

      op->op_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      op->type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      op->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      op->base_version = sqlite3_column_int64 (stmt, 3);
      op->deleted = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 4), "delete") == 0;
      op->body = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (ops, op);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ops);
}

/**
 * tend_store_sync_prepare_push:
 * @max_ops: at most this many records in the batch
 *
 * The operations to send: the batch still in flight if there is one (its
 * response was lost: the same op_ids again), else a new batch with one
 * operation per record carrying its current local state (several edits of
 * one record coalesced), based on the server version it was edited from.
 * Records with an open conflict, or whose change the server refused, wait.
 *
 * Returns: (transfer full) (element-type TendSyncOp): the batch (maybe empty)
 */
GPtrArray *
tend_store_sync_prepare_push (TendStore  *store,
                              guint       max_ops,
                              GError    **error)
{
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  ops = read_inflight (store, error);
  if (ops == NULL || ops->len > 0)
    return g_steal_pointer (&ops);

  /* Oldest first, one entry per record, stopping at @max_ops records: the
   * head of the outbox is what goes next, so the walk is short (a GROUP BY
   * over the whole outbox made each batch of a big push cost as much as
   * the outbox is long). */
  stmt = tend_store_prepare_cached (store, "SELECT record_type, record_id FROM outbox WHERE rejected IS NULL ORDER BY seq",
                                    error);
  if (stmt == NULL)
    return NULL;
  {
    g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    while (records->len < max_ops && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *type = (const char *) sqlite3_column_text (stmt, 0);
        const char *id = (const char *) sqlite3_column_text (stmt, 1);
        char *key = g_strconcat (type, "\n", id, NULL);

        if (!g_hash_table_add (seen, key))
          continue;
        /* Held back: records with an open conflict, or a refused change. */
        if (tend_store_query_int (store, "SELECT EXISTS (SELECT 1 FROM sync_conflict WHERE record_type = ?1 AND record_id = ?2)",
                                  type, id, 0) > 0 ||
            tend_store_query_int (store, "SELECT EXISTS (SELECT 1 FROM outbox WHERE record_type = ?1 AND record_id = ?2"
                                         " AND rejected IS NOT NULL)", type, id, 0) > 0)
          continue;
        g_ptr_array_add (records, g_strdup (key));
      }
    if (records->len < max_ops && rc != SQLITE_DONE)
      {
        sqlite3_reset (stmt);
        tend_store_take_db_error (store, rc, error);
        return NULL;
      }
    sqlite3_reset (stmt);
  }
  if (records->len == 0)
    return g_steal_pointer (&ops);

  if (!tend_store_begin (store, error))
    return NULL;
  for (guint i = 0; ok && i < records->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (records, i), "\n", 2);
      const char *table = checked_table (parts[0]);
      gint64 last_seq = tend_store_query_int (store, "SELECT max(seq) FROM outbox WHERE record_type = ?1 AND record_id = ?2",
                                              parts[0], parts[1], 0);
      g_autofree char *op_id = g_uuid_string_random ();
      LocalRow local;

      if (table == NULL)
        continue;
      ok = read_local (store, table, parts[1], &local, error);
      if (!ok)
        break;
      if (!local.exists || (local.deleted && local.version == 0))
        {
          /* Made and deleted here before the server ever saw it. */
          ok = drop_outbox (store, table, parts[1], G_MAXINT64, error);
          local_row_clear (&local);
          continue;
        }
      ok = exec_bind (store, "INSERT INTO sync_inflight (op_id, record_type, record_id, base_version, op, body,"
                             " last_seq, pos) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error, "sssissii",
                      op_id, table, parts[1], local.version, local.deleted ? "delete" : "upsert",
                      local.deleted ? NULL : local.body, last_seq, (gint64) i);
      local_row_clear (&local);
    }
  if (!ok)
    {
      tend_store_rollback (store);
      return NULL;
    }
  if (!tend_store_commit (store, error))
    return NULL;
  g_clear_pointer (&ops, g_ptr_array_unref);
  return read_inflight (store, error);
}

/**
 * tend_store_sync_finish_push:
 * @results: (element-type TendSyncResult): the server's answers
 *
 * Records the answers to the batch in flight, in one transaction: applied
 * operations leave the outbox and take the server's version; conflicts are
 * merged with the server's copy as a pulled change would be; refused ones
 * stay in the outbox, marked with the reason, for a person to see.
 * Operations without an answer stay in flight and are sent again.
 */
gboolean
tend_store_sync_finish_push (TendStore      *store,
                             GPtrArray      *results,
                             TendSyncStats  *stats,
                             GError        **error)
{
  TendSyncStats local_stats = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  if (!tend_store_begin (store, error))
    return FALSE;
  for (guint i = 0; ok && i < results->len; i++)
    {
      TendSyncResult *r = g_ptr_array_index (results, i);
      sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT record_type, record_id, op, body, last_seq"
                                                             " FROM sync_inflight WHERE op_id = ?1", error);
      g_autofree char *table = NULL;
      g_autofree char *id = NULL;
      g_autofree char *body = NULL;
      gboolean deleted = FALSE;
      gint64 last_seq = 0;

      if (stmt == NULL)
        {
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, r->op_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          table = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          deleted = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "delete") == 0;
          body = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          last_seq = sqlite3_column_int64 (stmt, 4);
        }
      sqlite3_reset (stmt);
      if (table == NULL || checked_table (table) == NULL)
        continue;    /* not ours: ignore */

      switch (r->kind)
        {
        case TEND_SYNC_RESULT_APPLIED:
          if (r->version < 1)
            {
              g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The server applied a change without a version"));
              ok = FALSE;
              break;
            }
          ok = drop_outbox (store, table, id, last_seq, error);
          if (ok && has_pending (store, table, id))
            {
              /* Edited again meanwhile: the rest goes next, on the new version. */
              g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = ?2 WHERE id = ?1", table);

              ok = exec_bind (store, sql, error, "si", id, r->version) &&
                   set_base (store, table, id, r->version, deleted, body, error) &&
                   exec_bind (store, "UPDATE outbox SET base_version = ?3 WHERE record_type = ?1 AND record_id = ?2",
                              error, "ssi", table, id, r->version);
            }
          else if (ok)
            {
              g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = ?2, dirty = 0 WHERE id = ?1", table);

              ok = exec_bind (store, sql, error, "si", id, r->version) && drop_base (store, table, id, error);
            }
          stats->pushed++;
          break;
        case TEND_SYNC_RESULT_CONFLICT:
          {
            LocalRow local;
            g_autofree char *server_body = NULL;

            if (r->server == NULL || g_strcmp0 (r->server->id, id) != 0 || r->server->version < 1)
              {
                g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                                     _("The server reported a conflict without its copy of the record"));
                ok = FALSE;
                break;
              }
            if (!r->server->deleted &&
                (server_body = checked_body (table, id, r->server->body, error)) == NULL)
              {
                ok = FALSE;
                break;
              }
            ok = read_local (store, table, id, &local, error) &&
                 merge_remote (store, table, r->server, server_body, &local, stats, error);
            local_row_clear (&local);
            if (ok)
              tend_store_queue_changed (store, table, id);
          }
          break;
        case TEND_SYNC_RESULT_REJECTED:
        default:
          ok = exec_bind (store, "UPDATE outbox SET rejected = ?4 WHERE record_type = ?1 AND record_id = ?2"
                                 " AND seq <= ?3", error, "ssis", table, id, last_seq,
                          r->message != NULL ? r->message : _("Refused by the server"));
          stats->rejected++;
          break;
        }
      if (ok)
        ok = exec_bind (store, "DELETE FROM sync_inflight WHERE op_id = ?1", error, "s", r->op_id);
    }
  if (!ok)
    {
      tend_store_rollback (store);
      return FALSE;
    }
  return tend_store_commit (store, error);
}

guint
tend_store_sync_count_waiting (TendStore *store)
{
  g_return_val_if_fail (TEND_IS_STORE (store), 0);
  return (guint) tend_store_query_int (store, "SELECT count(*) FROM (SELECT DISTINCT record_type, record_id FROM outbox"
                                              " WHERE rejected IS NULL)", NULL, NULL, 0);
}

guint
tend_store_sync_count_rejected (TendStore *store)
{
  g_return_val_if_fail (TEND_IS_STORE (store), 0);
  return (guint) tend_store_query_int (store, "SELECT count(*) FROM (SELECT DISTINCT record_type, record_id FROM outbox"
                                              " WHERE rejected IS NOT NULL)", NULL, NULL, 0);
}

/* Conflicts */

GPtrArray *
tend_store_sync_list_conflicts (TendStore  *store,
                                GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  stmt = tend_store_prepare_cached (store, "SELECT id, record_type, record_id, field, local_value, server_value"
                                           " FROM sync_conflict ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendSyncConflict *c = g_new0 (TendSyncConflict, 1);

      c->id = sqlite3_column_int64 (stmt, 0);
      c->type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      c->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      c->field = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      c->local_value = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      c->server_value = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * tend_store_sync_resolve:
 * @conflict_id: a #TendSyncConflict's id
 * @value: (nullable): the value chosen or edited, as JSON (for a field);
 *   for a deletion conflict (empty field), %NULL deletes the record and a
 *   JSON object keeps it with that body
 *
 * Saves the record with the value a person chose, through the ordinary
 * save (validated, audited, queued to push), and closes the conflict; the
 * record is pushed once none of its conflicts is open.
 */
gboolean
tend_store_sync_resolve (TendStore   *store,
                         gint64       conflict_id,
                         const char  *value,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *table = NULL;
  g_autofree char *id = NULL;
  g_autofree char *field = NULL;
  g_autoptr(TendRecord) record = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);

  stmt = tend_store_prepare_cached (store, "SELECT record_type, record_id, field FROM sync_conflict WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      table = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      field = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (table == NULL || checked_table (table) == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The conflict was resolved already"));
      return FALSE;
    }

  if (!tend_store_begin (store, error))
    return FALSE;
  ok = exec_bind (store, "DELETE FROM sync_conflict WHERE id = ?1", error, "i", conflict_id);
  if (ok && *field == '\0')
    {
      record = tend_record_new (tend_record_type_from_name (table));
      tend_record_set_id (record, id);
      if (value == NULL)
        {
          g_autoptr(TendRecord) have = tend_store_load (store, tend_record_type_from_name (table), id, NULL);

          /* Already deleted here: the pending delete goes out as it is. */
          if (have != NULL && !tend_record_get_deleted (have))
            ok = tend_store_delete (store, have, error);
        }
      else
        ok = tend_record_load_body_string (record, value, -1, error) && tend_store_save (store, record, error);
    }
  else if (ok)
    {
      LocalRow local;
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *body = NULL;

      ok = read_local (store, table, id, &local, error);
      if (ok)
        {
          g_autoptr(JsonNode) parsed = value != NULL ? json_from_string (value, NULL) : NULL;

          root = json_from_string (local.body, NULL);
          local_row_clear (&local);
          if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) || (value != NULL && parsed == NULL))
            {
              g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The chosen value is not valid JSON"));
              ok = FALSE;
            }
        }
      if (ok)
        {
          set_path (json_node_get_object (root), field, value);
          body = json_to_string (root, FALSE);
          record = tend_store_load (store, tend_record_type_from_name (table), id, error);
          ok = record != NULL && tend_record_load_body_string (record, body, -1, error) &&
               tend_store_save (store, record, error);
        }
    }
  if (!ok)
    {
      tend_store_rollback (store);
      return FALSE;
    }
  return tend_store_commit (store, error);
}

/* Documents' bytes */

GBytes *
tend_store_sync_dup_blob (TendStore   *store,
                          const char  *sha256,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *data = NULL;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  stmt = tend_store_prepare_cached (store, "SELECT data FROM document_blob WHERE sha256 = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    data = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The document’s content is not on this computer"));
  else if (rc != SQLITE_ROW)
    tend_store_take_db_error (store, rc, error);
  return data;
}

/* Keeps bytes that came from the server, after checking they are the ones
 * named: a short or altered download is refused, never stored. */
gboolean
tend_store_sync_put_blob (TendStore   *store,
                          const char  *sha256,
                          GBytes      *data,
                          GError     **error)
{
  g_autofree char *actual = NULL;
  sqlite3_stmt *stmt;
  gsize len = 0;
  const guint8 *bytes;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);

  bytes = g_bytes_get_data (data, &len);
  actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes != NULL ? bytes : (const guint8 *) "", len);
  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("A document from the server does not match its fingerprint: it was not kept"));
      return FALSE;
    }
  stmt = tend_store_prepare_cached (store, "INSERT INTO document_blob (sha256, data, created_at) VALUES (?1, ?2, ?3)"
                                           " ON CONFLICT (sha256) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 2, bytes != NULL ? bytes : (const guint8 *) "", len, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

GStrv
tend_store_sync_missing_blobs (TendStore  *store,
                               GError    **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  stmt = tend_store_prepare_cached (store, "SELECT sha256 FROM document d WHERE deleted = 0 AND sha256 IS NOT NULL"
                                           " AND NOT EXISTS (SELECT 1 FROM document_blob b WHERE b.sha256 = d.sha256)"
                                           " UNION SELECT json_extract(f.value, '$.sha256') FROM message m,"
                                           "   json_each(m.body, '$.attachments') f"
                                           " WHERE m.deleted = 0 AND json_extract(f.value, '$.sha256') IS NOT NULL"
                                           " AND NOT EXISTS (SELECT 1 FROM document_blob b"
                                           "                 WHERE b.sha256 = json_extract(f.value, '$.sha256'))",
                                    error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}


/* Privacy between clinicians: the charts this computer holds.
 *
 * A clinician's or supervisor's store receives chart content only of the
 * clients whose charts they are on (tend-server's feed filters it by the
 * same relation the store reads by).  When they come onto a chart
 * (a client assigned or reassigned to them, covering, a supervisee's new
 * client, the glass broken) the feed sends what changes from then on, so
 * the chart's history is fetched whole, once (GET /v1/charts/ID); when
 * they leave one, the chart's content is dropped from this computer.
 * chart_reach lists the clients whose charts are held. */

#define META_CHART_REACH "chart_reach_ready"

#define READABLE_CLIENTS_SQL \
  "SELECT id FROM client WHERE deleted = 0 AND primary_clinician_id = ?1" \
  " UNION SELECT c.id FROM client c JOIN staff s ON s.id = c.primary_clinician_id" \
  "   WHERE c.deleted = 0 AND s.deleted = 0 AND json_extract (s.body, '$.supervisor_id') = ?1" \
  " UNION SELECT client_id FROM chart_access WHERE staff_id = ?1 AND deleted = 0" \
  "   AND (until_s IS NULL OR until_s > ?2)"

static GHashTable *
collect_ids (TendStore  *store,
             const char *sql,
             const char *staff_id,
             GError    **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (staff_id != NULL)
    {
      sqlite3_bind_text (stmt, 1, staff_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_hash_table_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gboolean
exec_with_id (TendStore  *store,
              const char *sql,
              const char *id,
              GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return tend_store_step_done (store, stmt, error);
}

/* Drops @client_id's chart content from this computer (not from the
 * practice: nothing goes to the outbox), except records with edits not
 * yet pushed, which stay until the server has answered them. */
static gboolean
purge_chart (TendStore  *store,
             const char *client_id,
             GError    **error)
{
  g_auto(GStrv) types = tend_record_policy_chart_types ();
  gboolean ok = TRUE;

  /* Document bytes no other live document names go with them. */
  ok = exec_with_id (store,
                     "DELETE FROM document_blob WHERE sha256 IN"
                     " (SELECT json_extract (body, '$.sha256') FROM document WHERE client_id = ?1 AND dirty = 0)"
                     " AND sha256 NOT IN (SELECT json_extract (body, '$.sha256') FROM document"
                     "   WHERE deleted = 0 AND (client_id IS NOT ?1 OR dirty = 1))",
                     client_id, error);
  /* Signed notes and plans are never deleted, but here (inside this
   * transaction only: see migration 13). */
  ok = ok && exec_with_id (store, "INSERT OR IGNORE INTO chart_purge (client_id) VALUES (?1)", client_id, error);
  for (guint i = 0; ok && types[i] != NULL; i++)
    {
      /* The names are the record classes' own, each a table. */
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE client_id = ?1 AND dirty = 0", types[i]);

      ok = exec_with_id (store, sql, client_id, error);
    }
  return ok && exec_with_id (store, "DELETE FROM chart_purge WHERE client_id = ?1", client_id, error) &&
         exec_with_id (store, "DELETE FROM chart_reach WHERE client_id = ?1", client_id, error);
}

/**
 * tend_store_chart_reach_update:
 * @adopt: the charts the person reads now are all here already (after a
 *   sync from the beginning, whose feed sent them whole)
 * @n_dropped: (out) (optional): how many charts were dropped
 *
 * For a clinician or supervisor syncing with a server: drops the charts
 * the signed-in person no longer reads (reassigned, covering ended, the
 * glass's time up) and says which they newly read, to be fetched whole
 * and then marked with tend_store_chart_reach_add ().  Nothing for other
 * roles (they read every chart as their role allows).
 *
 * Returns: (transfer full): the client ids whose charts to fetch, or
 *   %NULL with @error set
 */
GStrv
tend_store_chart_reach_update (TendStore  *store,
                               gboolean    adopt,
                               guint      *n_dropped,
                               GError    **error)
{
  g_autoptr(GHashTable) readable = NULL;
  g_autoptr(GHashTable) held = NULL;
  g_autoptr(GPtrArray) gained = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ready = NULL;
  const char *staff_id = tend_store_get_actor_id (store);
  TendRole role;
  GHashTableIter iter;
  gpointer key;
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (n_dropped != NULL)
    *n_dropped = 0;
  if (!tend_store_get_actor_role (store, &role) || !tend_record_policy_chart_restricted (role) || staff_id == NULL)
    return g_new0 (char *, 1);
  if (!tend_store_begin (store, error))
    return NULL;
  readable = collect_ids (store, READABLE_CLIENTS_SQL, staff_id, error);
  held = readable != NULL ? collect_ids (store, "SELECT client_id FROM chart_reach", NULL, error) : NULL;
  if (held == NULL)
    goto failed;
  /* A store from before chart privacy received every chart. */
  ready = tend_store_get_meta (store, META_CHART_REACH);
  adopt = adopt || ready == NULL;

  g_hash_table_iter_init (&iter, held);
  while (ok && g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (readable, key))
      {
        ok = purge_chart (store, key, error);
        if (ok && n_dropped != NULL)
          (*n_dropped)++;
      }
  g_hash_table_iter_init (&iter, readable);
  while (ok && g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (held, key))
      {
        if (adopt)
          ok = exec_with_id (store, "INSERT OR IGNORE INTO chart_reach (client_id) VALUES (?1)", key, error);
        else
          g_ptr_array_add (gained, g_strdup (key));
      }
  if (ok && ready == NULL)
    ok = tend_store_set_meta (store, META_CHART_REACH, "1", error);
  if (!ok || !tend_store_commit (store, error))
    goto failed;
  g_ptr_array_add (gained, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&gained), FALSE);

failed:
  tend_store_rollback (store);
  return NULL;
}

/**
 * tend_store_chart_reach_add:
 *
 * Marks @client_id's chart as held (its history fetched).
 */
gboolean
tend_store_chart_reach_add (TendStore  *store,
                            const char *client_id,
                            GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  return exec_with_id (store, "INSERT OR IGNORE INTO chart_reach (client_id) VALUES (?1)", client_id, error);
}
