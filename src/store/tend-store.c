/* tend-store.c: TendStore, the local encrypted store on SQLCipher 4
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "tend-store-private.h"

struct _TendStore
{
  GObject     parent_instance;

  sqlite3    *db;
  char       *path;
  GBytes     *key;          /* NULL only for the benchmark baseline */
  GHashTable *statements;   /* SQL text -> sqlite3_stmt */
  guint       tx_depth;
  GPtrArray  *pending;      /* "type\nid" changes to announce at commit */

  char       *actor_id;
  TendRole    actor_role;
  gboolean    has_actor;
  guint       consequence_depth; /* > 0: writes that follow from an allowed change */
  GHashTable *search_batch; /* while applying a page: index name -> GArray of row ids */
  gboolean    old_outbox;   /* opened at a schema before 8 (the migration tests only) */
  GHashTable *lookups;      /* "table\nkey" -> Lookup, while a transaction is open */
  GHashTable *lookup_tables; /* the tables those were read from */
  GHashTable *save_sql;     /* table name -> the SQL of a save (SaveSql) */
};

/* The SQL of a save, written once per table rather than once per save. */
typedef enum
{
  SAVE_SQL_VERSION,
  SAVE_SQL_BASE,
  SAVE_SQL_UPSERT,
  N_SAVE_SQL
} SaveSql;

/* A value read once per transaction (tend_store_lookup_get ()). */
typedef struct
{
  gpointer       data;
  GDestroyNotify free;
} Lookup;

static void
lookup_free (gpointer p)
{
  Lookup *l = p;

  if (l->free != NULL && l->data != NULL)
    l->free (l->data);
  g_free (l);
}

G_DEFINE_FINAL_TYPE (TendStore, tend_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (tend-store-error-quark, tend_store_error)

static gboolean
set_db_error (TendStore  *self,
              int         rc,
              GError    **error)
{
  int primary = rc & 0xff;

  switch (primary)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_DISK_FULL,
                           _("The disk is full. Nothing was saved: free some space and try again."));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT,
                           _("The database file is damaged."));
      break;
    case SQLITE_CONSTRAINT:
      g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD,
                   _("The change was refused: %s"), self != NULL ? sqlite3_errmsg (self->db) : "");
      break;
    default:
      g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_FAILED,
                   _("Database error: %s"),
                   self != NULL && self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      break;
    }
  return FALSE;
}

static void lookups_clear (TendStore *self);

static gsize sqlite_configured;

static sqlite3_stmt *
prepare (TendStore  *self,
         const char *sql,
         GError    **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
tend_store_exec (TendStore  *self,
                 const char *sql,
                 GError    **error)
{
  int rc;

  /* Any SQL at all (a DELETE's truncation calls no update hook): forget. */
  lookups_clear (self);
  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_db_error (self, rc, error);
  return TRUE;
}

static gint64
now_usec (void)
{
  return g_get_real_time ();
}

static const char *
table_for_type (GType type)
{
  const char *name;

  if (!g_type_is_a (type, TEND_TYPE_RECORD) || G_TYPE_IS_ABSTRACT (type))
    return NULL;
  {
    TendRecordClass *klass = g_type_class_ref (type);
    name = klass->type_name;
    g_type_class_unref (klass);
  }
  /* Only registered wire names are tables: never SQL from outside. */
  return tend_record_type_from_name (name) == type ? name : NULL;
}

/* The words a client can be found by: names, e-mail, phones (as typed and as
 * bare digits) and record number. */
static void
client_terms_func (sqlite3_context *ctx,
                   int              argc,
                   sqlite3_value  **argv)
{
  static const char * const string_fields[] = {
    "legal_given", "legal_family", "preferred_name", "email", "record_number", NULL
  };
  static const char * const phone_fields[] = { "phone_mobile", "phone_home", NULL };
  const char *body = (const char *) sqlite3_value_text (argv[0]);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  GString *terms = g_string_new (NULL);
  JsonObject *obj;

  if (body == NULL || !json_parser_load_from_data (parser, body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      sqlite3_result_text (ctx, "", 0, SQLITE_STATIC);
      g_string_free (terms, TRUE);
      return;
    }
  obj = json_node_get_object (json_parser_get_root (parser));

  for (guint i = 0; string_fields[i]; i++)
    {
      const char *v = json_object_get_string_member_with_default (obj, string_fields[i], NULL);

      if (v != NULL)
        g_string_append_printf (terms, "%s ", v);
    }
  for (guint i = 0; phone_fields[i]; i++)
    {
      const char *v = json_object_get_string_member_with_default (obj, phone_fields[i], NULL);

      if (v != NULL)
        {
          g_autofree char *digits = tend_phone_digits (v);

          g_string_append_printf (terms, "%s %s ", v, digits);
          /* Found without the country code, and without the area code. */
          if (strlen (digits) == 11 && digits[0] == '1')
            g_string_append_printf (terms, "%s ", digits + 1);
          if (strlen (digits) >= 10)
            g_string_append_printf (terms, "%s ", digits + strlen (digits) - 7);
        }
    }
  sqlite3_result_text (ctx, terms->str, (int) terms->len, SQLITE_TRANSIENT);
  g_string_free (terms, TRUE);
}

/* "Ólafsdóttir Zoë" -> "olafsdottir zoe": names sort as people expect,
 * whatever their accents (SQLite's lower() folds ASCII only). */
char *
tend_store_sort_key (const char *text)
{
  g_autofree char *nfd = NULL;
  GString *bare;
  char *folded;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  bare = g_string_sized_new (strlen (nfd));
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  folded = g_utf8_casefold (bare->str, (gssize) bare->len);
  g_string_free (bare, TRUE);
  return folded;
}

/* For the search triggers: whether this connection indexes its writes
 * itself, a page at a time (see tend_store_search_batch_begin()). */
static void
search_batched_func (sqlite3_context *ctx,
                     int              argc,
                     sqlite3_value  **argv)
{
  TendStore *self = sqlite3_user_data (ctx);

  sqlite3_result_int (ctx, self->search_batch != NULL);
}

static void
sort_key_func (sqlite3_context *ctx,
               int              argc,
               sqlite3_value  **argv)
{
  g_autofree char *key = tend_store_sort_key ((const char *) sqlite3_value_text (argv[0]));

  if (key == NULL)
    sqlite3_result_null (ctx);
  else
    sqlite3_result_text (ctx, key, -1, SQLITE_TRANSIENT);
}

char *
tend_store_key_id (GBytes *key)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  gsize key_len;
  const guint8 *key_data = g_bytes_get_data (key, &key_len);

  g_checksum_update (sum, (const guchar *) "tend-key-id", 11);
  g_checksum_update (sum, key_data, (gssize) key_len);
  g_checksum_get_digest (sum, digest, &len);
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
                          (guint64) GUINT64_FROM_BE (*(guint64 *) digest),
                          (guint64) GUINT64_FROM_BE (*(guint64 *) (digest + 8)));
}

static char *
key_id_path (const char *path)
{
  return g_strconcat (path, ".keyid", NULL);
}

static void
tend_store_dispose (GObject *object)
{
  TendStore *self = TEND_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->save_sql, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->lookups, g_hash_table_unref);
  g_clear_pointer (&self->lookup_tables, g_hash_table_unref);
  G_OBJECT_CLASS (tend_store_parent_class)->dispose (object);
}

static void
tend_store_finalize (GObject *object)
{
  TendStore *self = TEND_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->key, g_bytes_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->actor_id, g_free);
  G_OBJECT_CLASS (tend_store_parent_class)->finalize (object);
}

static void
tend_store_class_init (TendStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_store_dispose;
  object_class->finalize = tend_store_finalize;

  /**
   * TendStore::changed:
   * @type_name: the record type
   * @id: the record's id
   *
   * A record was written through this connection; emitted after commit.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
tend_store_init (TendStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->pending = g_ptr_array_new_with_free_func (g_free);
  self->lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, lookup_free);
  self->lookup_tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->save_sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
}

/* @table is a record class's type name (table_for_type ()): no SQL from
 * outside reaches this. */
static const char *
save_sql (TendStore  *self,
          const char *table,
          SaveSql     which)
{
  char **sql = g_hash_table_lookup (self->save_sql, table);

  if (sql == NULL)
    {
      sql = g_new0 (char *, N_SAVE_SQL + 1);
      sql[SAVE_SQL_VERSION] = g_strdup_printf ("SELECT version, deleted FROM %s WHERE id = ?", table);
      sql[SAVE_SQL_BASE] = g_strdup_printf (
        "INSERT OR IGNORE INTO sync_base (record_type, record_id, version, deleted, body)"
        " SELECT '%s', id, version, deleted, body FROM %s WHERE id = ?1 AND dirty = 0", table, table);
      /* Upsert keeps the server's version: only sync moves it. */
      sql[SAVE_SQL_UPSERT] = g_strdup_printf ("INSERT INTO %s (id, version, dirty, deleted, updated_at, body)"
                                              " VALUES (?1, ?2, 1, ?3, ?4, ?5)"
                                              " ON CONFLICT (id) DO UPDATE SET dirty = 1, deleted = ?3,"
                                              " updated_at = ?4, body = ?5", table);
      g_hash_table_insert (self->save_sql, g_strdup (table), sql);
    }
  return sql[which];
}

static void
lookups_clear (TendStore *self)
{
  if (self->lookups == NULL || g_hash_table_size (self->lookups) == 0)
    return;
  g_hash_table_remove_all (self->lookups);
  g_hash_table_remove_all (self->lookup_tables);
}

/* Every row this connection writes, triggers' included: a write to a
 * table a lookup came from forgets every lookup. */
static void
lookup_update_hook (void          *data,
                    int            op,
                    const char    *db,
                    const char    *table,
                    sqlite3_int64  rowid)
{
  TendStore *self = data;

  if (g_hash_table_size (self->lookups) > 0 && g_hash_table_contains (self->lookup_tables, table))
    lookups_clear (self);
}

/* Also SQLite's own rollback after an error (disk full, ...). */
static void
lookup_rollback_hook (void *data)
{
  lookups_clear (data);
}

/**
 * tend_store_lookup_get:
 * @key: "table\nwhat", as given to tend_store_lookup_put ()
 *
 * A value read from the store earlier in this connection's open
 * transaction, which nothing has written since: inside a transaction no
 * other connection can change what this one reads (WAL snapshot, and the
 * write lock of `BEGIN IMMEDIATE`), and this connection's own writes to the
 * table, its rollbacks and `ROLLBACK TO` forget it.  Outside a transaction
 * nothing is kept.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL
 */
gpointer
tend_store_lookup_get (TendStore  *self,
                       const char *key)
{
  Lookup *l;

  if (self->tx_depth == 0 || sqlite3_get_autocommit (self->db))
    return NULL;
  l = g_hash_table_lookup (self->lookups, key);
  return l != NULL ? l->data : NULL;
}

/**
 * tend_store_lookup_put:
 * @table: the table @data was read from (a write to it forgets @data)
 * @data: (transfer full): the value; @free frees it
 *
 * Keeps @data under @key until the transaction ends or @table is written;
 * outside a transaction frees it at once.
 */
void
tend_store_lookup_put (TendStore      *self,
                       const char     *table,
                       const char     *key,
                       gpointer        data,
                       GDestroyNotify  free)
{
  Lookup *l;

  if (self->tx_depth == 0 || sqlite3_get_autocommit (self->db))
    {
      if (free != NULL && data != NULL)
        free (data);
      return;
    }
  l = g_new (Lookup, 1);
  l->data = data;
  l->free = free;
  g_hash_table_replace (self->lookups, g_strdup (key), l);
  g_hash_table_add (self->lookup_tables, g_strdup (table));
}

/* The first column of the first row of @sql, with up to two text
 * parameters (%NULL: not bound), or @fallback. */
gint64
tend_store_query_int (TendStore  *self,
                      const char *sql,
                      const char *a,
                      const char *b,
                      gint64      fallback)
{
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gint64 v = fallback;

  if (stmt == NULL)
    return fallback;
  if (a != NULL)
    sqlite3_bind_text (stmt, 1, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return v;
}

static gint64
query_int (TendStore  *self,
           const char *sql,
           gint64      fallback)
{
  return tend_store_query_int (self, sql, NULL, NULL, fallback);
}

static gboolean
migrate (TendStore *self,
         guint      target,
         GError   **error)
{
  guint current = (guint) query_int (self, "PRAGMA user_version", 0);
  g_autofree char *set_version = NULL;

  if (current > tend_store_n_migrations)
    {
      g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_TOO_NEW,
                   _("This database was last used by a newer version of Tend (schema %u; this version knows up to %u). Update Tend to open it."),
                   current, tend_store_n_migrations);
      return FALSE;
    }
  if (current >= target)
    return TRUE;

  if (!tend_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint v = current + 1; v <= target; v++)
    {
      if (!tend_store_exec (self, tend_store_migrations[v], error))
        {
          g_prefix_error (error, _("Could not upgrade the database to schema %u: "), v);
          tend_store_exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
    }
  set_version = g_strdup_printf ("PRAGMA user_version = %u", target);
  if (!tend_store_exec (self, set_version, error) ||
      !tend_store_exec (self, "COMMIT", error))
    {
      tend_store_exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  g_hash_table_remove_all (self->statements);
  return TRUE;
}

static TendStore *
open_internal (const char         *path,
               GBytes             *key,
               TendStoreOpenFlags  flags,
               guint               target,
               GError            **error)
{
  g_autoptr(TendStore) self = NULL;
  g_autofree char *keyid_path = key_id_path (path);
  g_autofree char *expected_id = NULL;
  g_autofree char *stored_id = NULL;
  gboolean existed = g_file_test (path, G_FILE_TEST_EXISTS);
  gboolean read_only = (flags & TEND_STORE_OPEN_READ_ONLY) != 0;
  int open_flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_FULLMUTEX;
  int rc;

  if (key != NULL && g_bytes_get_size (key) != TEND_STORE_KEY_SIZE)
    {
      g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY,
                   _("The database key must be %d bytes"), TEND_STORE_KEY_SIZE);
      return NULL;
    }
  g_return_val_if_fail (!((flags & TEND_STORE_OPEN_CREATE) && (flags & TEND_STORE_OPEN_READ_ONLY)), NULL);
  if (!existed && !(flags & TEND_STORE_OPEN_CREATE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no database at %s"), path);
      return NULL;
    }
  if (existed && g_file_test (keyid_path, G_FILE_TEST_EXISTS))
    {
      GStatBuf st;

      /* A store was written here (its key id says so): an empty or cut
       * file is a damaged store, never a new one.  SQLite would take an
       * empty file for an empty database and build a new store in it. */
      if (g_stat (path, &st) == 0 && (st.st_size == 0 || st.st_size % 512 != 0))
        {
          if (st.st_size == 0)
            g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT,
                         _("The database file %s is damaged: it is empty. "
                           "Restore it from a backup; it was left as it is."), path);
          else
            g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT,
                         _("The database file %s is damaged: it was cut off in the middle of a page. "
                           "Restore it from a backup; it was left as it is."), path);
          return NULL;
        }
    }

  if (key != NULL)
    {
      expected_id = tend_store_key_id (key);
      if (existed && g_file_get_contents (keyid_path, &stored_id, NULL, NULL))
        {
          g_strstrip (stored_id);
          if (strcmp (stored_id, expected_id) != 0)
            {
              g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY,
                                   _("This key does not belong to this database."));
              return NULL;
            }
        }
    }

  if (!existed)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       _("Could not create the folder %s: %s"), dir, g_strerror (errno));
          return NULL;
        }
      /* Only its owner may read the file, even encrypted. */
      {
        int fd = g_open (path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);

        if (fd < 0)
          {
            int saved = errno;

            g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                         _("Could not create %s: %s"), path, g_strerror (saved));
            return NULL;
          }
        close (fd);
      }
      open_flags |= SQLITE_OPEN_CREATE;
    }

  self = g_object_new (TEND_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->key = key != NULL ? g_bytes_ref (key) : NULL;

  /* SQLite counts every allocation it makes under a process-wide mutex
   * unless told not to, before its first use; nothing here reads the
   * counts (sqlite3_memory_used ()).  If something else in the process
   * started SQLite first, the call fails and changes nothing. */
  if (g_once_init_enter (&sqlite_configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&sqlite_configured, 1);
    }

  rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_update_hook (self->db, lookup_update_hook, self);
  sqlite3_rollback_hook (self->db, lookup_rollback_hook, self);

  /* A plain SQLite linked by mistake ignores PRAGMA key and writes clear text. */
  {
    sqlite3_stmt *stmt = NULL;
    gboolean have_cipher = FALSE;

    if (sqlite3_prepare_v2 (self->db, "PRAGMA cipher_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
      have_cipher = TRUE;
    sqlite3_finalize (stmt);
    if (!have_cipher)
      {
        g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_NOT_ENCRYPTED,
                             _("Tend was built without SQLCipher and cannot encrypt the database; refusing to open it."));
        return NULL;
      }
  }

  /* SQLCipher's own log goes to stderr; our errors say what matters. */
  sqlite3_exec (self->db, "PRAGMA cipher_log_level = NONE", NULL, NULL, NULL);

  if (key != NULL)
    {
      g_autofree char *hex = sodium_malloc (TEND_STORE_KEY_SIZE * 2 + 1);
      g_autofree char *pragma = NULL;

      sodium_bin2hex (hex, TEND_STORE_KEY_SIZE * 2 + 1, g_bytes_get_data (key, NULL), TEND_STORE_KEY_SIZE);
      pragma = g_strdup_printf ("PRAGMA key = \"x'%s'\"", hex);
      sodium_memzero (hex, TEND_STORE_KEY_SIZE * 2);
      rc = sqlite3_exec (self->db, pragma, NULL, NULL, NULL);
      sodium_memzero (pragma, strlen (pragma));
      sodium_free (g_steal_pointer (&hex));
      if (rc != SQLITE_OK)
        {
          set_db_error (self, rc, error);
          return NULL;
        }
    }

  /* The first read tells a wrong key or a damaged file. */
  rc = sqlite3_exec (self->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_NOTADB && stored_id == NULL)
        g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY,
                             _("The database cannot be read with this key: the key is wrong or the file is damaged."));
      else if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT,
                             _("The database file is damaged: its key is right but its contents cannot be read."));
      else
        set_db_error (self, rc, error);
      return NULL;
    }

  rc = sqlite3_create_function_v2 (self->db, "tend_sort_key", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, sort_key_func, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (self->db, "tend_search_batched", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS,
                                     self, search_batched_func, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2 (self->db, "tend_client_terms", 1,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                   NULL, client_terms_func, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, error);
      return NULL;
    }

  if (read_only)
    {
      /* Nothing is written: no journal mode set, no upgrade, no key id. */
      guint current;

      if (!tend_store_exec (self, "PRAGMA busy_timeout = 5000;"
                                  "PRAGMA temp_store = MEMORY;", error))
        return NULL;
      current = (guint) query_int (self, "PRAGMA user_version", 0);
      if (current != target)
        {
          g_set_error (error, TEND_STORE_ERROR, current > target ? TEND_STORE_ERROR_TOO_NEW : TEND_STORE_ERROR_FAILED,
                       _("This database has schema %u and this version of Tend uses %u: "
                         "it can only be read after Tend opens it for writing and upgrades it."),
                       current, target);
          return NULL;
        }
      return g_steal_pointer (&self);
    }

  /* WAL for concurrent readers; FULL so a committed note survives power loss. */
  if (!tend_store_exec (self, "PRAGMA journal_mode = WAL;"
                              "PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON;"
                              "PRAGMA busy_timeout = 5000;"
                              "PRAGMA temp_store = MEMORY;", error))
    return NULL;

  if (!migrate (self, target, error))
    return NULL;
  self->old_outbox = target < TEND_STORE_SCHEMA_OUTBOX_REFERENCE;
  /* A bulk writer that stopped before the end left indexes set aside. */
  if (target >= TEND_STORE_SCHEMA_DEFERRED_INDEX && tend_store_index_deferred (self) > 0 &&
      !tend_store_index_build (self, NULL, error))
    return NULL;

  if (key != NULL && stored_id == NULL)
    {
      g_autoptr(GError) local = NULL;

      /* Not fatal: it only improves the message for a wrong key later. */
      if (!g_file_set_contents_full (keyid_path, expected_id, -1,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
        g_debug ("Could not write the key id file: %s", local->message);
    }

  return g_steal_pointer (&self);
}

/**
 * tend_store_open:
 * @path: the database file
 * @key: the 32-byte raw key
 * @flags: %TEND_STORE_OPEN_CREATE to create a missing file
 *
 * Opens (and upgrades) the store.  Never overwrites a file it cannot read.
 *
 * Returns: (transfer full): the store, or %NULL with a #TEND_STORE_ERROR
 */
TendStore *
tend_store_open (const char         *path,
                 GBytes             *key,
                 TendStoreOpenFlags  flags,
                 GError            **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_FAILED,
                           _("The cryptography library could not start"));
      return NULL;
    }
  return open_internal (path, key, flags, tend_store_n_migrations, error);
}

TendStore *
tend_store_open_at_version (const char *path,
                            GBytes     *key,
                            guint       target,
                            GError    **error)
{
  return open_internal (path, key, TEND_STORE_OPEN_CREATE, target, error);
}

TendStore *
tend_store_open_plaintext (const char *path,
                           GError    **error)
{
  return open_internal (path, NULL, TEND_STORE_OPEN_CREATE, tend_store_n_migrations, error);
}

typedef struct
{
  char              *path;
  GBytes            *key;
  TendStoreOpenFlags flags;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_free (data->path);
  g_bytes_unref (data->key);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *data = task_data;
  GError *error = NULL;
  TendStore *store = tend_store_open (data->path, data->key, data->flags, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * tend_store_open_async:
 *
 * Opens the store in a worker thread (migrations can take a while).
 */
void
tend_store_open_async (const char          *path,
                       GBytes              *key,
                       TendStoreOpenFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  OpenData *data = g_new0 (OpenData, 1);

  data->path = g_strdup (path);
  data->key = g_bytes_ref (key);
  data->flags = flags;
  g_task_set_source_tag (task, tend_store_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

TendStore *
tend_store_open_finish (GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * tend_store_open_worker:
 *
 * Returns: (transfer full): a second connection to the same database, for
 *   one worker thread, acting as the same user
 */
TendStore *
tend_store_open_worker (TendStore *self,
                        GError   **error)
{
  TendStore *worker;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);

  worker = self->key != NULL ? tend_store_open (self->path, self->key, TEND_STORE_OPEN_NONE, error)
                             : tend_store_open_plaintext (self->path, error);
  if (worker != NULL && self->has_actor)
    tend_store_set_actor (worker, self->actor_id, self->actor_role);
  return worker;
}

/**
 * tend_store_remove_files:
 * @path: a database file
 *
 * Removes a store's files: the database, its write-ahead log and shared
 * memory, a rollback journal and the key-id sidecar.  For taking back a
 * store that was just made (a failed set-up), never for one in use.
 */
void
tend_store_remove_files (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal", ".keyid" };

  g_return_if_fail (path != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

const char *
tend_store_get_path (TendStore *self)
{
  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  return self->path;
}

guint
tend_store_get_schema_version (TendStore *self)
{
  g_return_val_if_fail (TEND_IS_STORE (self), 0);
  return (guint) query_int (self, "PRAGMA user_version", 0);
}

guint
tend_store_get_latest_version (void)
{
  return tend_store_n_migrations;
}

char *
tend_store_dup_cipher_version (TendStore *self)
{
  sqlite3_stmt *stmt;
  char *v = NULL;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  stmt = prepare (self, "PRAGMA cipher_version", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return v;
}

gboolean
tend_store_set_max_pages (TendStore *self,
                          gint64     pages,
                          GError   **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);

  return tend_store_exec (self, sql, error);
}

/**
 * tend_store_set_actor:
 * @staff_id: (nullable): who is working, or %NULL for the system (the
 *   command-line tool and first-run set-up, which hold the key anyway)
 *
 * Every later change is audited under this person and checked against @role.
 */
void
tend_store_set_actor (TendStore  *self,
                      const char *staff_id,
                      TendRole    role)
{
  g_return_if_fail (TEND_IS_STORE (self));

  g_free (self->actor_id);
  self->actor_id = g_strdup (staff_id);
  self->actor_role = role;
  self->has_actor = staff_id != NULL;
}

const char *
tend_store_get_actor_id (TendStore *self)
{
  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  return self->actor_id;
}

/* SQLite rolls a whole transaction back by itself after some errors (a full
 * disk, no memory).  The caller's transaction is then gone: a later SAVEPOINT
 * would quietly start a new one, and its RELEASE commit it on its own. */
static gboolean
check_tx_alive (TendStore *self,
                GError   **error)
{
  if (self->tx_depth > 0 && sqlite3_get_autocommit (self->db))
    {
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_FAILED,
                           _("The changes were undone after an earlier error; nothing in them was saved."));
      return FALSE;
    }
  return TRUE;
}

gboolean
tend_store_begin (TendStore *self,
                  GError   **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);

  if (!check_tx_alive (self, error))
    return FALSE;
  if (self->tx_depth == 0 && !tend_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->tx_depth++;
  return TRUE;
}

static void
flush_pending (TendStore *self)
{
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);

  self->pending = g_ptr_array_new_with_free_func (g_free);

  /* A big batch (an import, demo data) is announced once per type, with no
   * id, rather than making every list reload a thousand times. */
  if (pending->len > 16)
    {
      g_autoptr(GHashTable) types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree gpointer *keys = NULL;
      guint n = 0;

      for (guint i = 0; i < pending->len; i++)
        {
          const char *item = g_ptr_array_index (pending, i);
          g_hash_table_add (types, g_strndup (item, strcspn (item, "\n")));
        }
      keys = g_hash_table_get_keys_as_array (types, &n);
      for (guint i = 0; i < n; i++)
        g_signal_emit (self, signals[CHANGED], 0, (const char *) keys[i], NULL);
      return;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (pending, i), "\n", 2);

      g_signal_emit (self, signals[CHANGED], 0, parts[0], parts[1]);
    }
}

/**
 * tend_store_notify_changed:
 * @type_name: the record type written
 *
 * Tells this connection's listeners that records of @type_name changed
 * through another connection (a worker thread's, see
 * tend_store_open_worker()): emits #TendStore::changed with no id.
 */
void
tend_store_notify_changed (TendStore  *self,
                           const char *type_name)
{
  g_return_if_fail (TEND_IS_STORE (self));
  g_return_if_fail (type_name != NULL);

  g_signal_emit (self, signals[CHANGED], 0, type_name, NULL);
}

gboolean
tend_store_commit (TendStore *self,
                   GError   **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth > 0, FALSE);

  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      return TRUE;
    }
  if (!check_tx_alive (self, error) ||
      !tend_store_exec (self, "COMMIT", error))
    {
      tend_store_rollback (self);
      return FALSE;
    }
  self->tx_depth = 0;
  lookups_clear (self);
  flush_pending (self);
  return TRUE;
}

void
tend_store_rollback (TendStore *self)
{
  g_return_if_fail (TEND_IS_STORE (self));

  if (self->tx_depth == 0)
    return;
  self->tx_depth = 0;
  lookups_clear (self);
  if (sqlite3_get_autocommit (self->db) == 0)
    tend_store_exec (self, "ROLLBACK", NULL);
  g_ptr_array_set_size (self->pending, 0);
}

/* A statement without rows, prepared once: every save inside a transaction
 * opens and releases a savepoint, and parsing those each time cost a fifth
 * of a bulk insert. */
static gboolean
exec_cached (TendStore  *self,
             const char *sql,
             GError    **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (self, rc, error);
  return TRUE;
}

/* A savepoint inside the caller's transaction, or a transaction of our own. */
static gboolean
step_begin (TendStore *self,
            GError   **error)
{
  if (self->tx_depth == 0)
    return tend_store_begin (self, error);
  if (!check_tx_alive (self, error))
    return FALSE;
  self->tx_depth++;
  return exec_cached (self, "SAVEPOINT step", error);
}

static gboolean
step_end (TendStore *self,
          gboolean   ok,
          GError   **error)
{
  if (self->tx_depth > 1)
    {
      self->tx_depth--;
      if (ok)
        return exec_cached (self, "RELEASE step", error);
      lookups_clear (self);
      if (exec_cached (self, "ROLLBACK TO step", NULL))
        exec_cached (self, "RELEASE step", NULL);
      return FALSE;
    }
  if (!ok)
    {
      tend_store_rollback (self);
      return FALSE;
    }
  return tend_store_commit (self, error);
}

/**
 * tend_store_type_is_clinical:
 *
 * Whether records of @type are clinical content (the record policy's
 * declaration): notes, measures, treatment plans, documents and diagnoses.
 * The front desk never reads them.
 */
gboolean
tend_store_type_is_clinical (GType type)
{
  return tend_record_policy_is_clinical (type);
}

/* Reading is checked here, in the store, so that no caller (the GUI, the
 * command-line tool, a later sync) can show a role what it may not see:
 * by the record policy, as the server filters what it sends. */
gboolean
tend_store_check_read (TendStore  *self,
                       GType       type,
                       GError    **error)
{
  if (!self->has_actor || tend_record_policy_read_access (type, self->actor_role) != TEND_READ_NONE)
    return TRUE;
  g_set_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
               tend_record_policy_is_clinical (type) ? _("Your role (%s) may not see clinical records.")
                                                     : _("Your role (%s) may not see these records."),
               tend_role_get_label (self->actor_role));
  return FALSE;
}

/* Who reads a client's chart, besides owners and the roles that read every
 * chart as their role allows (docs/architecture.md, "Privacy between
 * clinicians"); tend-server's chart_readable () is the same relation. */
#define CHART_READER_SQL \
  "SELECT EXISTS (SELECT 1 FROM client c WHERE c.id = ?1 AND c.deleted = 0 AND" \
  "   (c.primary_clinician_id = ?2 OR EXISTS (SELECT 1 FROM staff s WHERE s.id = c.primary_clinician_id" \
  "      AND s.deleted = 0 AND json_extract (s.body, '$.supervisor_id') = ?2)))" \
  " OR EXISTS (SELECT 1 FROM chart_access a WHERE a.client_id = ?1 AND a.staff_id = ?2" \
  "      AND a.deleted = 0 AND (a.until_s IS NULL OR a.until_s > ?3))"

/**
 * tend_store_staff_may_read_chart:
 * @staff_id: a clinician or supervisor
 *
 * Whether @staff_id is on @client_id's chart now: their own client, their
 * supervisee's, or assigned, covering or with the glass broken (a live
 * chart_access record).  Says nothing of roles.
 *
 * Returns: 1 or 0; -1 with @error set when the query failed
 */
int
tend_store_staff_may_read_chart (TendStore  *self,
                                 const char *staff_id,
                                 const char *client_id,
                                 GError    **error)
{
  sqlite3_stmt *stmt;
  int rc, result = -1;

  g_return_val_if_fail (TEND_IS_STORE (self), -1);
  if (staff_id == NULL || client_id == NULL)
    return 0;
  stmt = tend_store_prepare_cached (self, CHART_READER_SQL, error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, staff_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    set_db_error (self, rc, error);
  return result;
}

/* Whether the signed-in person may read @client_id's chart: 1, 0, or -1
 * with @error set. */
static int
actor_may_read_chart (TendStore  *self,
                      const char *client_id,
                      GError    **error)
{
  if (!self->has_actor || !tend_record_policy_chart_restricted (self->actor_role))
    return 1;
  return tend_store_staff_may_read_chart (self, self->actor_id, client_id, error);
}

/**
 * tend_store_check_chart:
 *
 * Whether the signed-in person may read @client_id's chart (see
 * tend_store_staff_may_read_chart ()); owners and the roles that read
 * every chart as their role allows always may.
 *
 * Returns: %TRUE, or %FALSE with %TEND_ERROR_NO_CHART_ACCESS (or a
 *   database error)
 */
gboolean
tend_store_check_chart (TendStore  *self,
                        const char *client_id,
                        GError    **error)
{
  int may;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  may = actor_may_read_chart (self, client_id, error);
  if (may > 0)
    return TRUE;
  if (may == 0)
    g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS,
                         _("You don’t have access to this chart."));
  return FALSE;
}

/* A loaded record the person may see: not chart content, or from a chart
 * they read.  1, 0, or -1 with @error set. */
static int
chart_visible (TendStore  *self,
               TendRecord *record,
               GError    **error)
{
  const char *client_id;

  if (record == NULL || !self->has_actor || !tend_record_policy_chart_restricted (self->actor_role))
    return 1;
  client_id = tend_record_policy_chart_client (record);
  if (client_id == NULL)
    return tend_record_policy_chart_member (G_OBJECT_TYPE (record)) == NULL || tend_record_get_deleted (record);
  return actor_may_read_chart (self, client_id, error);
}

/* A redacted reader (a biller reading a note, the front desk a charge) gets
 * only what the record policy lists for it. */
static void
redact_for_role (TendStore  *self,
                 TendRecord *record)
{
  if (record != NULL && self->has_actor &&
      tend_record_policy_read_access (G_OBJECT_TYPE (record), self->actor_role) == TEND_READ_REDACTED)
    tend_record_policy_redact (record);
}

static TendRecord *load_live (TendStore  *self,
                              GType       type,
                              const char *id,
                              GError    **error);

/* The record policy's view of the store: the signed-in person, and the
 * records and blobs its rules look up. */
static TendRecord *
policy_load (TendPolicyActor *actor,
             GType            type,
             const char      *id,
             GError         **error)
{
  return load_live (actor->user_data, type, id, error);
}

static gboolean
policy_has_blob (TendPolicyActor *actor,
                 const char      *sha256,
                 GError         **error)
{
  /* -1: the query failed, which is not "held". */
  return tend_store_query_int (actor->user_data, "SELECT count(*) FROM document_blob WHERE sha256 = ?1",
                               sha256, NULL, -1) > 0;
}

static gboolean
policy_may_read_chart (TendPolicyActor *actor,
                       const char      *client_id,
                       GError         **error)
{
  return tend_store_staff_may_read_chart (actor->user_data, actor->staff_id, client_id, error) > 0;
}

/* Whether the signed-in person may write @record (%NULL: delete the
 * record @id of @type), by the record policy in core, which tend-server
 * evaluates alike for every push. */
static gboolean
check_write_policy (TendStore  *self,
                    GType       type,
                    const char *id,
                    TendRecord *record,
                    GError    **error)
{
  TendPolicyActor actor = {
    .staff_id = self->actor_id,
    .role = self->actor_role,
    .load = policy_load,
    .has_blob = policy_has_blob,
    .user_data = self,
    .may_read_chart = policy_may_read_chart,
  };
  g_autoptr(TendRecord) stored = NULL;
  g_autoptr(GError) local = NULL;

  /* The system (sync, upkeep) and the consequences of an allowed change
   * (the charge a completed session makes) are not the person's writes. */
  if (!self->has_actor || self->consequence_depth > 0)
    return TRUE;
  if (tend_record_policy_needs_stored (type))
    {
      stored = load_live (self, type, id, &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  if (!tend_record_policy_check_write (&actor, type, stored, record, &local))
    {
      /* The store's own word for a frozen record, as its trigger says it. */
      if (g_error_matches (local, TEND_ERROR, TEND_ERROR_IMMUTABLE))
        g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD, local->message);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_store_check_write:
 *
 * Whether the signed-in person may save @record, by the record policy the
 * save applies (nothing is written): for a screen deciding whether to
 * offer an action at all.
 */
gboolean
tend_store_check_write (TendStore  *self,
                        TendRecord *record,
                        GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (TEND_IS_RECORD (record), FALSE);
  return check_write_policy (self, G_OBJECT_TYPE (record), tend_record_get_id (record), record, error);
}

static char *
hash_audit_row (const char *prev_hash,
                gint64      seq,
                gint64      at,
                const char *actor,
                const char *action,
                const char *type,
                const char *id,
                const char *detail)
{
  g_autofree char *line =
    g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%s\n%s\n%s\n%s",
                     prev_hash, seq, at, actor ? actor : "", action,
                     type ? type : "", id ? id : "", detail ? detail : "");

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, line, -1);
}

static gboolean
audit_append (TendStore  *self,
              const char *action,
              const char *type,
              const char *id,
              const char *detail,
              GError    **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  gint64 seq = 1;
  gint64 at = now_usec ();
  int rc;

  stmt = prepare (self, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0) + 1;
      prev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (prev == NULL)
    prev = g_strnfill (64, '0');

  hash = hash_audit_row (prev, seq, at, self->actor_id, action, type, id, detail);

  stmt = prepare (self, "INSERT INTO audit_log (seq, at, actor_id, action, record_type, record_id, detail, prev_hash, hash)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, at);
  sqlite3_bind_text (stmt, 3, self->actor_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (self, rc, error);
  return TRUE;
}

/**
 * tend_store_audit:
 * @action: what happened ("open-chart", "export", ...); never health data
 *
 * Appends one row to the audit log, in its own transaction unless one is open.
 */
gboolean
tend_store_audit (TendStore  *self,
                  const char *action,
                  const char *record_type,
                  const char *record_id,
                  GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (!step_begin (self, error))
    return FALSE;
  return step_end (self, audit_append (self, action, record_type, record_id, NULL, error), error);
}

/* For the store's other files: an audit row inside the caller's open
 * transaction, without a savepoint of its own (a bulk apply writes one per
 * record; the caller's transaction makes it all or nothing). */
gboolean
tend_store_audit_in_transaction (TendStore  *self,
                                 const char *action,
                                 const char *record_type,
                                 const char *record_id,
                                 GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  return audit_append (self, action, record_type, record_id, NULL, error);
}

/* The same, with a detail (an opaque id, such as the client a note belongs
 * to, so an owner can list a client's trail); never health data. */
gboolean
tend_store_audit_detail (TendStore  *self,
                         const char *action,
                         const char *record_type,
                         const char *record_id,
                         const char *detail,
                         GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (!step_begin (self, error))
    return FALSE;
  return step_end (self, audit_append (self, action, record_type, record_id, detail, error), error);
}

/**
 * tend_store_verify_audit:
 * @n_rows: (out) (optional): how many rows were checked
 * @first_bad_seq: (out) (optional): the first row that fails, or 0
 *
 * Walks the hash chain.  Returns %TRUE when every row is intact; %FALSE with
 * @first_bad_seq set (and no error) when the log was tampered with; %FALSE
 * with an error when it could not be read.
 */
gboolean
tend_store_verify_audit (TendStore *self,
                         gint64    *n_rows,
                         gint64    *first_bad_seq,
                         GError   **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strnfill (64, '0');
  gint64 count = 0, bad = 0, expected_seq = 1;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT seq, at, actor_id, action, record_type, record_id, detail, prev_hash, hash"
                           " FROM audit_log ORDER BY seq", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_db_error (self, rc, error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *stored_prev = (const char *) sqlite3_column_text (stmt, 7);
      const char *stored_hash = (const char *) sqlite3_column_text (stmt, 8);
      g_autofree char *computed =
        hash_audit_row (prev, seq, sqlite3_column_int64 (stmt, 1),
                        (const char *) sqlite3_column_text (stmt, 2),
                        (const char *) sqlite3_column_text (stmt, 3),
                        (const char *) sqlite3_column_text (stmt, 4),
                        (const char *) sqlite3_column_text (stmt, 5),
                        (const char *) sqlite3_column_text (stmt, 6));

      count++;
      if (seq != expected_seq || g_strcmp0 (stored_prev, prev) != 0 ||
          g_strcmp0 (stored_hash, computed) != 0)
        {
          bad = seq;
          break;
        }
      expected_seq++;
      g_free (prev);
      prev = g_strdup (stored_hash);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_db_error (self, rc, error);

  if (n_rows != NULL)
    *n_rows = count;
  if (first_bad_seq != NULL)
    *first_bad_seq = bad;
  return bad == 0;
}

static void
queue_changed (TendStore  *self,
               const char *type,
               const char *id)
{
  g_ptr_array_add (self->pending, g_strconcat (type, "\n", id, NULL));
}

/* The entry names the record; what is pushed is the record's row as it is
 * then (tend_store_sync_prepare_push ()), so no copy of the body is kept. */
static gboolean
write_outbox (TendStore  *self,
              const char *type,
              const char *id,
              gint64      base_version,
              const char *op,
              GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* Before schema 8 the outbox wanted an op_id of its own (and had room
   * for a copy of the body): only a store the migration tests open at an
   * older schema on purpose has that table. */
  stmt = prepare (self, self->old_outbox
                        ? "INSERT INTO outbox (record_type, record_id, base_version, op, created_at, op_id)"
                          " VALUES (?, ?, ?, ?, ?, lower(hex(randomblob(16))))"
                        : "INSERT INTO outbox (record_type, record_id, base_version, op, created_at)"
                          " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, base_version);
  sqlite3_bind_text (stmt, 4, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (self, rc, error);
  return TRUE;
}

/* Returns -1 when the row does not exist. */
static gint64
existing_version (TendStore  *self,
                  const char *table,
                  const char *id,
                  gboolean   *deleted)
{
  sqlite3_stmt *stmt = prepare (self, save_sql (self, table, SAVE_SQL_VERSION), NULL);
  gint64 v = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      v = sqlite3_column_int64 (stmt, 0);
      if (deleted != NULL)
        *deleted = sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  return v;
}

static gboolean
save_internal (TendStore  *self,
               TendRecord *record,
               gboolean    is_delete,
               GError    **error)
{
  GType type = G_OBJECT_TYPE (record);
  const char *table = table_for_type (type);
  const char *id = tend_record_get_id (record);
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean was_deleted = FALSE;
  gint64 version;
  gint64 at = now_usec ();
  gboolean ok = FALSE;
  int rc;

  if (table == NULL)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("“%s” records cannot be stored"), G_OBJECT_TYPE_NAME (record));
      return FALSE;
    }
  if (!check_write_policy (self, type, id, is_delete ? NULL : record, error))
    return FALSE;
  if (!is_delete)
    {
      gboolean flagged = tend_record_get_deleted (record);
      gboolean valid;

      /* Validation skips tombstones, but saving one is how a delete is
       * undone: its fields are written to a live row, so check them. */
      tend_record_set_deleted (record, FALSE);
      valid = tend_record_validate (record, error);
      tend_record_set_deleted (record, flagged);
      if (!valid)
        return FALSE;
    }

  body = is_delete ? g_strdup ("{}") : tend_record_to_body_string (record);

  if (!step_begin (self, error))
    return FALSE;

  version = existing_version (self, table, id, &was_deleted);
  if (is_delete && (version < 0 || was_deleted))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The record no longer exists"));
      goto out;
    }

  /* The first local edit of a synced record keeps the server's copy as
   * the base of a later three-way merge (tend-sync-store.c). */
  if (version > 0)
    {
      stmt = prepare (self, save_sql (self, table, SAVE_SQL_BASE), error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          set_db_error (self, rc, error);
          goto out;
        }
    }

  /* Cached: a batch of saves (an import, demo data) prepares it once. */
  stmt = prepare (self, save_sql (self, table, SAVE_SQL_UPSERT), error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, MAX (version, 0));
  sqlite3_bind_int (stmt, 3, is_delete);
  sqlite3_bind_int64 (stmt, 4, at);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, error);
      goto out;
    }

  if (!write_outbox (self, table, id, MAX (version, 0), is_delete ? "delete" : "upsert", error))
    goto out;

  if (!audit_append (self, is_delete ? "delete" : (version < 0 || was_deleted) ? "create" : "update",
                     table, id, NULL, error))
    goto out;

  queue_changed (self, table, id);
  ok = TRUE;

out:
  if (!step_end (self, ok, ok ? error : NULL))
    return FALSE;
  tend_record_set_updated_at (record, at);
  tend_record_set_version (record, MAX (version, 0));
  tend_record_set_deleted (record, is_delete);
  return TRUE;
}

/* For the store's other files (tend-schedule.c): see tend-store-private.h. */

sqlite3_stmt *
tend_store_prepare_cached (TendStore  *self,
                           const char *sql,
                           GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  return prepare (self, sql, error);
}

gboolean
tend_store_take_db_error (TendStore *self,
                          int        rc,
                          GError   **error)
{
  return set_db_error (self, rc, error);
}

gboolean
tend_store_step_begin (TendStore *self,
                       GError   **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  return step_begin (self, error);
}

gboolean
tend_store_step_end (TendStore *self,
                     gboolean   ok,
                     GError   **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  return step_end (self, ok, error);
}

void
tend_store_queue_changed (TendStore  *self,
                          const char *type_name,
                          const char *id)
{
  g_return_if_fail (TEND_IS_STORE (self));
  queue_changed (self, type_name, id);
}

void
tend_store_push_consequence (TendStore *self)
{
  g_return_if_fail (TEND_IS_STORE (self));
  self->consequence_depth++;
}

void
tend_store_pop_consequence (TendStore *self)
{
  g_return_if_fail (TEND_IS_STORE (self));
  g_return_if_fail (self->consequence_depth > 0);
  self->consequence_depth--;
}

gboolean
tend_store_get_actor_role (TendStore *self,
                           TendRole  *role)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  if (self->has_actor && role != NULL)
    *role = self->actor_role;
  return self->has_actor;
}

/**
 * tend_store_save:
 *
 * Validates @record and writes it, its outbox entry and an audit row in one
 * transaction.  On any failure nothing is written.
 */
gboolean
tend_store_save (TendStore  *self,
                 TendRecord *record,
                 GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (TEND_IS_RECORD (record), FALSE);
  return save_internal (self, record, FALSE, error);
}

/**
 * tend_store_delete:
 *
 * Leaves a tombstone (so the deletion syncs); save the same record again to
 * undo.
 */
gboolean
tend_store_delete (TendStore  *self,
                   TendRecord *record,
                   GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (TEND_IS_RECORD (record), FALSE);
  return save_internal (self, record, TRUE, error);
}

static TendRecord *
record_from_row (TendStore     *self,
                 GType          type,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  /* columns: id, version, deleted, updated_at, body */
  g_autoptr(TendRecord) record = g_object_new (type, NULL);

  tend_record_set_id (record, (const char *) sqlite3_column_text (stmt, 0));
  tend_record_set_version (record, sqlite3_column_int64 (stmt, 1));
  tend_record_set_deleted (record, sqlite3_column_int (stmt, 2) != 0);
  tend_record_set_updated_at (record, sqlite3_column_int64 (stmt, 3));
  if (!tend_record_get_deleted (record) &&
      !tend_record_load_body_string (record, (const char *) sqlite3_column_text (stmt, 4),
                                     sqlite3_column_bytes (stmt, 4), error))
    return NULL;
  return g_steal_pointer (&record);
}

TendRecord *
tend_store_record_from_row (TendStore     *self,
                            GType          type,
                            sqlite3_stmt  *stmt,
                            GError       **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  return record_from_row (self, type, stmt, error);
}

/* A row read by another file's SQL, redacted for the actor's role like
 * every load; the caller has already called tend_store_check_read(). */
TendRecord *
tend_store_record_from_row_for_actor (TendStore     *self,
                                      GType          type,
                                      sqlite3_stmt  *stmt,
                                      GError       **error)
{
  TendRecord *record;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  record = record_from_row (self, type, stmt, error);
  redact_for_role (self, record);
  return record;
}

/* For the store's other files: steps @stmt (columns as RECORD_COLUMNS) to
 * the end, loading each row (@for_actor: as the actor may read it), then
 * resets it and clears its bindings. */
GPtrArray *
tend_store_collect_rows (TendStore     *self,
                         GType          type,
                         sqlite3_stmt  *stmt,
                         gboolean       for_actor,
                         GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendRecord *record = for_actor ? tend_store_record_from_row_for_actor (self, type, stmt, error)
                                     : record_from_row (self, type, stmt, error);
      int visible = for_actor && record != NULL ? chart_visible (self, record, error) : 1;

      if (record == NULL || visible < 0)
        {
          g_clear_object (&record);
          sqlite3_clear_bindings (stmt);
          sqlite3_reset (stmt);
          return NULL;
        }
      /* Lists across clients leave out the charts the person is not on. */
      if (visible == 0)
        g_object_unref (record);
      else
        g_ptr_array_add (out, record);
    }
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Statements are cached by their text: one per table and key column. */
static TendRecord *
load_where (TendStore  *self,
            GType       type,
            const char *column,
            const char *text_value,
            gint64      int_value,
            gboolean    for_actor,
            GError    **error)
{
  const char *table = table_for_type (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  TendRecord *record = NULL;
  int rc;

  g_return_val_if_fail (table != NULL, NULL);
  if (for_actor && !tend_store_check_read (self, type, error))
    return NULL;

  sql = g_strdup_printf ("SELECT id, version, deleted, updated_at, body FROM %s WHERE %s = ?", table, column);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (text_value != NULL)
    sqlite3_bind_text (stmt, 1, text_value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, int_value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (self, type, stmt, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The record was not found"));
  else
    set_db_error (self, rc, error);
  sqlite3_reset (stmt);
  if (for_actor && record != NULL)
    {
      int visible = chart_visible (self, record, error);

      if (visible <= 0)
        {
          if (visible == 0)
            g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS,
                                 _("You don’t have access to this chart."));
          g_clear_object (&record);
          return NULL;
        }
    }
  if (for_actor)
    redact_for_role (self, record);
  return record;
}

/* The live stored record as it is, whoever reads: for the record policy's
 * checks.  %NULL without an error when there is none (or a tombstone). */
static TendRecord *
load_live (TendStore  *self,
           GType       type,
           const char *id,
           GError    **error)
{
  g_autoptr(GError) local = NULL;
  TendRecord *record;

  if (table_for_type (type) == NULL)
    return NULL;
  record = load_where (self, type, "id", id, 0, FALSE, &local);
  if (record == NULL)
    {
      if (!g_error_matches (local, TEND_ERROR, TEND_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (tend_record_get_deleted (record))
    g_clear_object (&record);
  return record;
}

/**
 * tend_store_load:
 *
 * Returns: (transfer full) (nullable): the record (possibly a tombstone), or
 *   %NULL with %TEND_ERROR_NOT_FOUND
 */
TendRecord *
tend_store_load (TendStore  *self,
                 GType       type,
                 const char *id,
                 GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  return load_where (self, type, "id", id, 0, TRUE, error);
}

/**
 * tend_store_load_by_rid:
 *
 * What list models use: a row id from a search, loaded as the row is shown.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL with
 *   %TEND_ERROR_NOT_FOUND
 */
TendRecord *
tend_store_load_by_rid (TendStore *self,
                        GType      type,
                        gint64     rid,
                        GError   **error)
{
  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  return load_where (self, type, "rid", NULL, rid, TRUE, error);
}

/**
 * tend_store_list:
 *
 * Returns: (transfer full) (element-type TendRecord): every live record of @type
 */
GPtrArray *
tend_store_list (TendStore *self,
                 GType      type,
                 GError   **error)
{
  const char *table = table_for_type (type);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  g_return_val_if_fail (table != NULL, NULL);
  if (!tend_store_check_read (self, type, error))
    return NULL;

  sql = g_strdup_printf ("SELECT id, version, deleted, updated_at, body FROM %s"
                         " WHERE deleted = 0 ORDER BY %s", table,
                         (type == TEND_TYPE_STAFF || type == TEND_TYPE_CLIENT) ? "sort_key" : "rid");
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (self, rc, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendRecord *record = record_from_row (self, type, stmt, error);
      int visible = record != NULL ? chart_visible (self, record, error) : -1;

      if (visible < 0)
        {
          g_clear_object (&record);
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (visible == 0)
        {
          g_object_unref (record);
          continue;
        }
      redact_for_role (self, record);
      g_ptr_array_add (out, record);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

gint64
tend_store_count (TendStore *self,
                  GType      type,
                  GError   **error)
{
  return tend_store_count_up_to (self, type, 0, error);
}

/**
 * tend_store_count_up_to:
 * @limit: the most rows to count (0: all)
 *
 * Whether there are some, or more than one, without counting a big table
 * through: reads at most @limit rows.
 *
 * Returns: the live records of @type, at most @limit; -1 on error
 */
gint64
tend_store_count_up_to (TendStore *self,
                        GType      type,
                        guint      limit,
                        GError   **error)
{
  const char *table = table_for_type (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (table != NULL, -1);
  sql = limit > 0
        ? g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM %s WHERE deleted = 0 LIMIT %u)", table, limit)
        : g_strdup_printf ("SELECT count(*) FROM %s WHERE deleted = 0", table);
  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    set_db_error (self, rc, error);
  sqlite3_finalize (stmt);
  return n;
}

guint
tend_store_count_outbox (TendStore *self)
{
  g_return_val_if_fail (TEND_IS_STORE (self), 0);
  return (guint) query_int (self, "SELECT count(*) FROM outbox", 0);
}

/**
 * tend_store_load_practice:
 *
 * Returns: (transfer full) (nullable): the practice, or %NULL with
 *   %TEND_ERROR_NOT_FOUND before first-run set-up
 */
TendPractice *
tend_store_load_practice (TendStore *self,
                          GError   **error)
{
  g_autoptr(GPtrArray) all = tend_store_list (self, TEND_TYPE_PRACTICE, error);

  if (all == NULL)
    return NULL;
  if (all->len == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The practice is not set up yet"));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (all, 0));
}

/* The practice read once per transaction (tend_store_lookup_get ()): billing
 * and the schedule want its time zone for every session they write.  Shared
 * with later calls in the transaction: read it, never change it. */
TendPractice *
tend_store_load_practice_shared (TendStore *self)
{
  TendPractice *practice = tend_store_lookup_get (self, "practice\nrecord");

  if (practice != NULL)
    return g_object_ref (practice);
  practice = tend_store_load_practice (self, NULL);
  if (practice != NULL)
    tend_store_lookup_put (self, "practice", "practice\nrecord", g_object_ref (practice), g_object_unref);
  return practice;
}

/**
 * tend_store_dup_practice_zone:
 *
 * Returns: (transfer full): the practice's time zone, or UTC before set-up
 *   or when it has none
 */
GTimeZone *
tend_store_dup_practice_zone (TendStore *self)
{
  GTimeZone *zone = tend_store_lookup_get (self, "practice\nzone");
  g_autoptr(TendPractice) practice = NULL;

  if (zone != NULL)
    return g_time_zone_ref (zone);
  practice = tend_store_load_practice_shared (self);
  zone = practice != NULL ? tend_practice_dup_zone (practice) : g_time_zone_new_utc ();
  tend_store_lookup_put (self, "practice", "practice\nzone", g_time_zone_ref (zone),
                         (GDestroyNotify) g_time_zone_unref);
  return zone;
}

char *
tend_store_get_meta (TendStore  *self,
                     const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
tend_store_set_meta (TendStore  *self,
                     const char *key,
                     const char *value,
                     GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  stmt = prepare (self, value != NULL
                  ? "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2"
                  : "DELETE FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (self, rc, error);
  return TRUE;
}

/* "ann 555-1" -> "ann"* AND "555"* AND "1"* ; NULL when there is nothing to match. */
static char *
build_match (const char *text)
{
  GString *q = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (q->len > 0)
        g_string_append (q, " AND ");
      /* Alphanumeric runs only, so no quote can appear inside. */
      g_string_append_c (q, '"');
      g_string_append_len (q, start, p - start);
      g_string_append (q, "\"*");
    }
  if (q->len == 0)
    {
      g_string_free (q, TRUE);
      return NULL;
    }
  return g_string_free (q, FALSE);
}

/* Steps @stmt (one column: a row id) to the end and resets it. */
GArray *
tend_store_collect_rids (TendStore    *self,
                         sqlite3_stmt *stmt,
                         GError      **error)
{
  GArray *rids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rids, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_array_unref (rids);
      set_db_error (self, rc, error);
      return NULL;
    }
  return rids;
}

/* Sorting one match by name (a row lookup and the JSON behind sort_key)
 * costs about as much as this many steps along the client_sort index, in an
 * encrypted store with SQLCipher's default 2 MB page cache, where a row
 * lookup usually means decrypting a page (about 32 without encryption).
 * Measured with bench/bench-search on 50,000 clients: see bench/README.md. */
#define SORT_ROW_COST 160
/* Above this row id the bitmap of matches would pass 8 MB. */
#define MAX_BITMAP_RID (G_GINT64_CONSTANT (64) * 1024 * 1024)

/**
 * tend_store_search_clients:
 * @text: what the user typed: any part of a name, phone, e-mail or record number
 * @limit: the most rows to return (0: no limit)
 *
 * Returns: (transfer full) (element-type gint64): matching clients' row ids,
 *   in name order (ties by row id)
 */
GArray *
tend_store_search_clients (TendStore  *self,
                           const char *text,
                           guint       limit,
                           GError    **error)
{
  g_autofree char *match = NULL;
  g_autofree guint64 *bits = NULL;
  g_autoptr(GArray) hits = NULL;
  GArray *rids;
  sqlite3_stmt *stmt;
  gint64 top = 0, max_rid, backlog_from;
  double walk;
  guint want;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);

  match = build_match (text != NULL ? text : "");
  if (match == NULL)
    return tend_store_list_client_rids (self, error);

  /* Joined to client in one statement, SQLite's planner walks the name
   * index and runs the MATCH once per client: a second for one letter on
   * 50,000 clients.  So: every match first (cheap, even for one letter),
   * then whichever of two plans touches fewer rows. */
  stmt = prepare (self, "SELECT rowid FROM client_fts WHERE client_fts MATCH ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  hits = tend_store_collect_rids (self, stmt, error);
  if (hits == NULL)
    return NULL;
  /* Clients not indexed yet (after a first sync, see tend-search-index.c)
   * are found by the start of their family name, through the name index;
   * the names walk below orders them with the rest. */
  if ((backlog_from = tend_store_search_indexed_upto (self, "client")) >= 0)
    {
      g_autofree char *key = tend_store_sort_key (text);
      g_autoptr(GArray) more = NULL;

      if (key != NULL && *(key = g_strstrip (key)) != '\0')
        {
          g_autofree char *end = g_strconcat (key, "\xf4\x8f\xbf\xbf", NULL);

          stmt = prepare (self, "SELECT rid FROM client WHERE deleted = 0 AND sort_key >= ?1 AND sort_key < ?2"
                                " AND rid > ?3", error);
          if (stmt == NULL)
            return NULL;
          sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, end, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 3, backlog_from);
          more = tend_store_collect_rids (self, stmt, error);
          if (more == NULL)
            return NULL;
          g_array_append_vals (hits, more->data, more->len);
        }
    }
  if (hits->len == 0)
    return g_steal_pointer (&hits);

  for (guint i = 0; i < hits->len; i++)
    top = MAX (top, g_array_index (hits, gint64, i));
  want = limit > 0 ? MIN (limit, hits->len) : hits->len;
  max_rid = query_int (self, "SELECT max(rid) FROM client", 0);
  /* Index steps until @want matches turn up, if they are spread evenly. */
  walk = want >= hits->len ? (double) max_rid : (double) want * (double) max_rid / hits->len;

  if (((double) hits->len * SORT_ROW_COST <= walk && backlog_from < 0) || top > MAX_BITMAP_RID)
    {
      /* Few matches: sort them.  CROSS JOIN keeps the FTS table outside. */
      stmt = prepare (self, "SELECT c.rid FROM client_fts f CROSS JOIN client c ON c.rid = f.rowid"
                            " WHERE client_fts MATCH ?1 AND c.deleted = 0"
                            " ORDER BY c.sort_key, c.rid LIMIT ?2", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);
      return tend_store_collect_rids (self, stmt, error);
    }

  /* Many matches: walk the names in order, keeping the matches, until
   * there are enough. */
  bits = g_new0 (guint64, top / 64 + 1);
  for (guint i = 0; i < hits->len; i++)
    {
      gint64 rid = g_array_index (hits, gint64, i);

      if (rid >= 0)
        bits[rid / 64] |= G_GUINT64_CONSTANT (1) << (rid % 64);
    }
  stmt = prepare (self, "SELECT rid FROM client WHERE deleted = 0 ORDER BY deleted, sort_key, rid", error);
  if (stmt == NULL)
    return NULL;
  rids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), want);
  while (rids->len < want && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      if (rid >= 0 && rid <= top && (bits[rid / 64] & (G_GUINT64_CONSTANT (1) << (rid % 64))) != 0)
        g_array_append_val (rids, rid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_array_unref (rids);
      set_db_error (self, rc, error);
      return NULL;
    }
  return rids;
}

/**
 * tend_store_list_client_rids:
 *
 * Returns: (transfer full) (element-type gint64): every live client, by name
 */
GArray *
tend_store_list_client_rids (TendStore *self,
                             GError   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT rid FROM client WHERE deleted = 0 ORDER BY deleted, sort_key", error);
  if (stmt == NULL)
    return NULL;
  return tend_store_collect_rids (self, stmt, error);
}

static int
compare_staff_names (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  g_autofree char *x = tend_staff_dup_display_name (*(TendStaff **) a);
  g_autofree char *y = tend_staff_dup_display_name (*(TendStaff **) b);

  return g_utf8_collate (x, y);
}

/* Passwords: argon2id through libsodium, at its interactive cost. */

/* Whether the person at the computer may set @staff_id's password: their
 * own, or anyone's for an owner (who manages staff).  First-run set-up and
 * sign-in to a server set it before anyone is signed in. */
static gboolean
may_set_password (TendStore  *self,
                  const char *staff_id,
                  GError    **error)
{
  if (!self->has_actor || g_strcmp0 (self->actor_id, staff_id) == 0 ||
      tend_role_can (self->actor_role, TEND_PERMISSION_MANAGE_STAFF))
    return TRUE;
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                       _("Only an owner sets another person’s password"));
  return FALSE;
}

/* Blocks for tens of milliseconds.  Returns: (transfer full): the hash */
static char *
hash_password (const char *password,
               GError    **error)
{
  char hash[crypto_pwhash_STRBYTES];
  char *out;

  if (g_utf8_strlen (password, -1) < 8)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Password: use at least 8 characters"));
      return NULL;
    }
  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_FAILED,
                           _("Not enough memory to protect the password"));
      return NULL;
    }
  out = g_strdup (hash);
  sodium_memzero (hash, sizeof hash);
  return out;
}

static gboolean
store_password_hash (TendStore  *self,
                     const char *staff_id,
                     const char *hash,
                     GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!step_begin (self, error))
    return FALSE;
  stmt = prepare (self, "INSERT INTO local_credential (staff_id, password_hash, updated_at) VALUES (?1, ?2, ?3)"
                        " ON CONFLICT (staff_id) DO UPDATE SET password_hash = ?2, updated_at = ?3", error);
  if (stmt == NULL)
    return step_end (self, FALSE, NULL);
  sqlite3_bind_text (stmt, 1, staff_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_usec ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, error);
      return step_end (self, FALSE, NULL);
    }
  if (!audit_append (self, "set-password", "staff", staff_id, NULL, error))
    return step_end (self, FALSE, NULL);
  return step_end (self, TRUE, error);
}

/**
 * tend_store_set_password:
 *
 * Sets the password @staff_id signs in with on this computer.  Blocks for
 * tens of milliseconds (argon2id): use the async variant from the GUI.
 */
gboolean
tend_store_set_password (TendStore  *self,
                         const char *staff_id,
                         const char *password,
                         GError    **error)
{
  g_autofree char *hash = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  g_return_val_if_fail (staff_id != NULL && password != NULL, FALSE);

  if (!may_set_password (self, staff_id, error))
    return FALSE;
  hash = hash_password (password, error);
  if (hash == NULL)
    return FALSE;
  ok = store_password_hash (self, staff_id, hash, error);
  sodium_memzero (hash, strlen (hash));
  return ok;
}

/* What a password task carries to its thread: the password (wiped when
 * done) and a key: the staff id whose password is set, or the stored hash
 * a password is checked against. */
typedef struct
{
  char *key;
  char *password;
} PasswordTask;

static PasswordTask *
password_task_new (char       *key,
                   const char *password)
{
  PasswordTask *data = g_new0 (PasswordTask, 1);

  data->key = key;
  data->password = g_strdup (password);
  return data;
}

static void
password_task_free (PasswordTask *data)
{
  g_free (data->key);
  if (data->password != NULL)
    sodium_memzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PasswordTask *data = task_data;
  GError *error = NULL;
  char *hash = hash_password (data->password, &error);

  if (hash != NULL)
    g_task_return_pointer (task, hash, g_free);
  else
    g_task_return_error (task, error);
}

/**
 * tend_store_set_password_async:
 *
 * Hashes the password in a thread; tend_store_set_password_finish(), on the
 * caller's thread, stores it.
 */
void
tend_store_set_password_async (TendStore           *self,
                               const char          *staff_id,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (TEND_IS_STORE (self));
  g_return_if_fail (staff_id != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tend_store_set_password_async);
  g_task_set_task_data (task, password_task_new (g_strdup (staff_id), password), (GDestroyNotify) password_task_free);
  if (!may_set_password (self, staff_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, hash_thread);
}

gboolean
tend_store_set_password_finish (TendStore    *self,
                                GAsyncResult *result,
                                GError      **error)
{
  PasswordTask *data;
  g_autofree char *hash = NULL;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  data = g_task_get_task_data (G_TASK (result));
  hash = g_task_propagate_pointer (G_TASK (result), error);
  if (hash == NULL)
    return FALSE;
  ok = store_password_hash (self, data->key, hash, error);
  sodium_memzero (hash, strlen (hash));
  return ok;
}

/**
 * tend_store_list_local_accounts:
 *
 * The active staff who have a password on this computer, by name.
 *
 * Returns: (transfer container) (element-type TendStaff) (nullable): the
 *   staff records, or %NULL with @error set
 */
GPtrArray *
tend_store_list_local_accounts (TendStore *self,
                                GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  stmt = prepare (self, "SELECT staff_id FROM local_credential ORDER BY staff_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_db_error (self, rc, error);
      return NULL;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      GError *local = NULL;
      TendRecord *staff = tend_store_load (self, TEND_TYPE_STAFF, ids->pdata[i], &local);

      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (staff != NULL && tend_staff_get_active (TEND_STAFF (staff)))
        g_ptr_array_add (out, staff);
      else
        g_clear_object (&staff);
    }
  g_ptr_array_sort_with_data (out, compare_staff_names, NULL);
  return g_steal_pointer (&out);
}

static char *
load_password_hash (TendStore  *self,
                    const char *staff_id,
                    GError    **error)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT password_hash FROM local_credential WHERE staff_id = ?", error);
  char *hash = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, staff_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (hash == NULL)
    g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                         _("No password is set for this person on this computer"));
  return hash;
}

static gboolean
verify_hash (const char *hash,
             const char *password,
             GError    **error)
{
  if (crypto_pwhash_str_verify (hash, password, strlen (password)) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("The password is not correct"));
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_store_check_password:
 *
 * Blocks for tens of milliseconds (argon2id): use the async variant from
 * the GUI.
 */
gboolean
tend_store_check_password (TendStore  *self,
                           const char *staff_id,
                           const char *password,
                           GError    **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (TEND_IS_STORE (self), FALSE);
  hash = load_password_hash (self, staff_id, error);
  return hash != NULL && verify_hash (hash, password, error);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PasswordTask *data = task_data;
  GError *error = NULL;

  if (verify_hash (data->key, data->password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tend_store_check_password_async (TendStore           *self,
                                 const char          *staff_id,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  PasswordTask *data;

  g_return_if_fail (TEND_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tend_store_check_password_async);

  data = password_task_new (load_password_hash (self, staff_id, &error), password);
  g_task_set_task_data (task, data, (GDestroyNotify) password_task_free);
  if (data->key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, check_thread);
}

gboolean
tend_store_check_password_finish (TendStore    *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tend_store_dup_display_name:
 * @type: %TEND_TYPE_CLIENT, %TEND_TYPE_STAFF or %TEND_TYPE_ROOM, or
 *   %G_TYPE_INVALID to try each in turn
 * @id: the record's id
 *
 * The name a person knows a client, staff member or room by.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when there is no
 *   such live record
 */
char *
tend_store_dup_display_name (TendStore  *self,
                             GType       type,
                             const char *id)
{
  GType types[4] = { TEND_TYPE_CLIENT, TEND_TYPE_STAFF, TEND_TYPE_ROOM, TEND_TYPE_PAYER };

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(TendRecord) record = NULL;

      if (type != G_TYPE_INVALID && type != types[i])
        continue;
      record = tend_store_load (self, types[i], id, NULL);
      if (record == NULL || tend_record_get_deleted (record))
        continue;
      if (TEND_IS_CLIENT (record))
        return tend_client_dup_display_name (TEND_CLIENT (record));
      if (TEND_IS_STAFF (record))
        return tend_staff_dup_display_name (TEND_STAFF (record));
      if (TEND_IS_PAYER (record))
        return g_strdup (tend_payer_get_name (TEND_PAYER (record)));
      return g_strdup (tend_room_get_name (TEND_ROOM (record)));
    }
  return NULL;
}

/**
 * tend_store_grow_cache:
 * @kib: the page cache wanted, in KiB
 *
 * For bulk writes (demo data, extending every series): a million rows touch
 * every page of several indexes in turn, and with SQLCipher's 2 MB default
 * each insert decrypts and re-encrypts pages it has just evicted.  Affects
 * this connection only.
 *
 * Returns: (transfer full) (nullable): what to give
 *   tend_store_restore_cache() afterwards, or %NULL when the cache was
 *   already that large
 */
char *
tend_store_grow_cache (TendStore *self,
                       gint64     kib)
{
  g_autofree char *grow = NULL;
  gint64 size;

  g_return_val_if_fail (TEND_IS_STORE (self), NULL);

  size = query_int (self, "PRAGMA cache_size", 0);
  /* Positive: pages (of 4 KiB); negative: KiB. */
  if (size == 0 || (size > 0 ? size * 4 : -size) >= kib)
    return NULL;
  grow = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, -kib);
  if (!tend_store_exec (self, grow, NULL))
    return NULL;
  return g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, size);
}

void
tend_store_restore_cache (TendStore  *self,
                          const char *restore)
{
  g_return_if_fail (TEND_IS_STORE (self));
  if (restore != NULL)
    tend_store_exec (self, restore, NULL);
}


/* Search indexing a page at a time.  FTS5 writes its pending entries out at
 * the end of every statement, so a trigger that indexes each row as it is
 * written costs a segment per row; while a batch is open the triggers leave
 * this connection's rows alone, tend_store_search_batch_add() notes them,
 * and tend_store_search_batch_end() indexes them all in one statement per
 * index, in the same transaction. */
void
tend_store_search_batch_begin (TendStore *self)
{
  g_return_if_fail (TEND_IS_STORE (self));
  g_return_if_fail (self->search_batch == NULL);

  self->search_batch = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
}

void
tend_store_search_batch_add (TendStore  *self,
                             const char *table,
                             gint64      rid)
{
  GArray *rids;

  if (self->search_batch == NULL || !tend_store_search_is_indexed (table))
    return;
  rids = g_hash_table_lookup (self->search_batch, table);
  if (rids == NULL)
    {
      rids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->search_batch, (gpointer) tend_store_search_is_indexed (table), rids);
    }
  g_array_append_val (rids, rid);
}

gboolean
tend_store_search_batch_end (TendStore  *self,
                             gboolean    ok,
                             GError    **error)
{
  g_autoptr(GHashTable) batch = g_steal_pointer (&self->search_batch);
  GHashTableIter iter;
  gpointer name, rids;

  g_return_val_if_fail (batch != NULL, FALSE);

  if (!ok)
    return FALSE;
  g_hash_table_iter_init (&iter, batch);
  while (g_hash_table_iter_next (&iter, &name, &rids))
    if (!tend_store_search_index_rids (self, name, rids, error))
      return FALSE;
  return TRUE;
}
