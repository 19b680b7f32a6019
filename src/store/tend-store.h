/* tend-store.h: the local encrypted store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_STORE_ERROR (tend_store_error_quark ())

/**
 * TendStoreError:
 * @TEND_STORE_ERROR_KEYRING_UNAVAILABLE: no Secret Service answered
 * @TEND_STORE_ERROR_KEYRING_LOCKED: the keyring is locked and was not unlocked
 * @TEND_STORE_ERROR_KEY_MISSING: a database exists but its key is not in the keyring
 * @TEND_STORE_ERROR_WRONG_KEY: the key does not open this database
 * @TEND_STORE_ERROR_CORRUPT: the file is damaged
 * @TEND_STORE_ERROR_TOO_NEW: made by a newer version of Tend
 * @TEND_STORE_ERROR_DISK_FULL: no space left; nothing was written
 * @TEND_STORE_ERROR_NOT_ENCRYPTED: SQLCipher is not really in use
 * @TEND_STORE_ERROR_LOCKED_RECORD: the record may no longer change
 * @TEND_STORE_ERROR_FAILED: another database error
 */
typedef enum
{
  TEND_STORE_ERROR_KEYRING_UNAVAILABLE,
  TEND_STORE_ERROR_KEYRING_LOCKED,
  TEND_STORE_ERROR_KEY_MISSING,
  TEND_STORE_ERROR_WRONG_KEY,
  TEND_STORE_ERROR_CORRUPT,
  TEND_STORE_ERROR_TOO_NEW,
  TEND_STORE_ERROR_DISK_FULL,
  TEND_STORE_ERROR_NOT_ENCRYPTED,
  TEND_STORE_ERROR_LOCKED_RECORD,
  TEND_STORE_ERROR_FAILED,
} TendStoreError;

typedef enum
{
  TEND_STORE_OPEN_NONE   = 0,
  TEND_STORE_OPEN_CREATE = 1 << 0,
  TEND_STORE_OPEN_READ_ONLY = 1 << 1,
} TendStoreOpenFlags;

#define TEND_STORE_KEY_SIZE 32

#define TEND_TYPE_STORE (tend_store_get_type ())
G_DECLARE_FINAL_TYPE (TendStore, tend_store, TEND, STORE, GObject)

GQuark       tend_store_error_quark          (void);

TendStore   *tend_store_open                 (const char          *path,
                                              GBytes              *key,
                                              TendStoreOpenFlags   flags,
                                              GError             **error);
void         tend_store_open_async           (const char          *path,
                                              GBytes              *key,
                                              TendStoreOpenFlags   flags,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TendStore   *tend_store_open_finish          (GAsyncResult        *result,
                                              GError             **error);
TendStore   *tend_store_open_worker          (TendStore           *self,
                                              GError             **error);
const char  *tend_store_get_path             (TendStore           *self);
void         tend_store_remove_files         (const char          *path);
guint        tend_store_get_schema_version   (TendStore           *self);
guint        tend_store_get_latest_version   (void);
char        *tend_store_dup_cipher_version   (TendStore           *self);

void         tend_store_set_actor            (TendStore           *self,
                                              const char          *staff_id,
                                              TendRole             role);
const char  *tend_store_get_actor_id         (TendStore           *self);
/* %FALSE when no one is signed in (the system); otherwise sets @role. */
gboolean     tend_store_get_actor_role       (TendStore           *self,
                                              TendRole            *role);

gboolean     tend_store_begin                (TendStore           *self,
                                              GError             **error);
gboolean     tend_store_commit               (TendStore           *self,
                                              GError             **error);
void         tend_store_rollback             (TendStore           *self);
void         tend_store_notify_changed       (TendStore           *self,
                                              const char          *type_name);

gboolean     tend_store_save                 (TendStore           *self,
                                              TendRecord          *record,
                                              GError             **error);
gboolean     tend_store_delete               (TendStore           *self,
                                              TendRecord          *record,
                                              GError             **error);
TendRecord  *tend_store_load                 (TendStore           *self,
                                              GType                type,
                                              const char          *id,
                                              GError             **error);
TendRecord  *tend_store_load_by_rid          (TendStore           *self,
                                              GType                type,
                                              gint64               rid,
                                              GError             **error);
GPtrArray   *tend_store_list                 (TendStore           *self,
                                              GType                type,
                                              GError             **error);
gint64       tend_store_count                (TendStore           *self,
                                              GType                type,
                                              GError             **error);
gint64       tend_store_count_up_to          (TendStore           *self,
                                              GType                type,
                                              guint                limit,
                                              GError             **error);
guint        tend_store_count_outbox         (TendStore           *self);

TendPractice*tend_store_load_practice        (TendStore           *self,
                                              GError             **error);
char        *tend_store_get_meta             (TendStore           *self,
                                              const char          *key);
gboolean     tend_store_set_meta             (TendStore           *self,
                                              const char          *key,
                                              const char          *value,
                                              GError             **error);

char        *tend_store_dup_display_name     (TendStore           *self,
                                              GType                type,
                                              const char          *id);
GArray      *tend_store_search_clients       (TendStore           *self,
                                              const char          *text,
                                              guint                limit,
                                              GError             **error);
gboolean     tend_store_type_is_clinical     (GType                type);
gboolean     tend_store_check_write          (TendStore           *self,
                                              TendRecord          *record,
                                              GError             **error);
gboolean     tend_store_check_chart          (TendStore           *self,
                                              const char          *client_id,
                                              GError             **error);

/* Search indexes built after their rows (tend-search-index.c). */
typedef void (*TendStoreSearchProgress) (gint64   done,
                                         gint64   total,
                                         gpointer user_data);

gboolean     tend_store_search_defer         (TendStore           *self,
                                              GError             **error);
gint64       tend_store_search_backlog       (TendStore           *self);
gint64       tend_store_search_indexed_upto  (TendStore           *self,
                                              const char          *name);
gboolean     tend_store_search_catch_up      (TendStore           *self,
                                              guint                chunk,
                                              gint64              *remaining,
                                              GError             **error);
gboolean     tend_store_search_build         (TendStore           *self,
                                              TendStoreSearchProgress progress,
                                              gpointer             user_data,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* Indexes set aside during a bulk write (tend-deferred-index.c). */
gboolean     tend_store_index_defer          (TendStore           *self,
                                              const char * const  *names,
                                              GError             **error);
guint        tend_store_index_deferred       (TendStore           *self);
gboolean     tend_store_index_build          (TendStore           *self,
                                              GCancellable        *cancellable,
                                              GError             **error);
GArray      *tend_store_list_client_rids     (TendStore           *self,
                                              GError             **error);

gboolean     tend_store_audit                (TendStore           *self,
                                              const char          *action,
                                              const char          *record_type,
                                              const char          *record_id,
                                              GError             **error);
gboolean     tend_store_verify_audit         (TendStore           *self,
                                              gint64              *n_rows,
                                              gint64              *first_bad_seq,
                                              GError             **error);

gboolean     tend_store_set_password         (TendStore           *self,
                                              const char          *staff_id,
                                              const char          *password,
                                              GError             **error);
void         tend_store_set_password_async   (TendStore           *self,
                                              const char          *staff_id,
                                              const char          *password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     tend_store_set_password_finish  (TendStore           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
GPtrArray   *tend_store_list_local_accounts  (TendStore           *self,
                                              GError             **error);
gboolean     tend_store_check_password       (TendStore           *self,
                                              const char          *staff_id,
                                              const char          *password,
                                              GError             **error);
void         tend_store_check_password_async (TendStore           *self,
                                              const char          *staff_id,
                                              const char          *password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     tend_store_check_password_finish(TendStore           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
