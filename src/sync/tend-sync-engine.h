/* tend-sync-engine.h: offline-first sync of a store with tend-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"
#include "tend-sync-store.h"

G_BEGIN_DECLS

#define TEND_SYNC_ERROR (tend_sync_error_quark ())

/**
 * TendSyncError:
 * @TEND_SYNC_ERROR_NETWORK: the server could not be reached (offline): try
 *   again later, nothing is lost
 * @TEND_SYNC_ERROR_AUTH: the session expired or the password is wrong:
 *   sign in again
 * @TEND_SYNC_ERROR_PROTOCOL: the server's answer made no sense
 * @TEND_SYNC_ERROR_SERVER: the server refused the request (its message)
 * @TEND_SYNC_ERROR_OTHER_PRACTICE: the account belongs to another practice
 *   than the one this store holds
 */
typedef enum
{
  TEND_SYNC_ERROR_NETWORK,
  TEND_SYNC_ERROR_AUTH,
  TEND_SYNC_ERROR_PROTOCOL,
  TEND_SYNC_ERROR_SERVER,
  TEND_SYNC_ERROR_OTHER_PRACTICE,
} TendSyncError;

#define TEND_TYPE_SYNC_ENGINE (tend_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (TendSyncEngine, tend_sync_engine, TEND, SYNC_ENGINE, GObject)

GQuark          tend_sync_error_quark          (void);

TendSyncEngine *tend_sync_engine_new           (TendStore       *store,
                                                const char      *base_url);
const char     *tend_sync_engine_get_base_url  (TendSyncEngine  *self);
void            tend_sync_engine_set_token     (TendSyncEngine  *self,
                                                const char      *token);
const char     *tend_sync_engine_get_token     (TendSyncEngine  *self);
char           *tend_sync_engine_dup_token     (TendSyncEngine  *self);
gboolean        tend_sync_engine_has_token     (TendSyncEngine  *self);
gboolean        tend_sync_engine_set_ca_file   (TendSyncEngine  *self,
                                                const char      *path,
                                                GError         **error);
void            tend_sync_engine_set_page_size (TendSyncEngine  *self,
                                                guint            changes_per_page,
                                                guint            ops_per_push);
void            tend_sync_engine_set_compression (TendSyncEngine *self,
                                                  gboolean        enabled);

/* Called in the thread that runs the sync, after each page or batch. */
typedef void (*TendSyncProgressFunc) (const TendSyncStats *stats,
                                      gpointer             user_data);

void            tend_sync_engine_set_progress_func (TendSyncEngine       *self,
                                                    TendSyncProgressFunc  func,
                                                    gpointer              user_data);
/* The signed-in person's staff record, from the last login. */
const char     *tend_sync_engine_get_staff_id  (TendSyncEngine  *self);
/* The signed-in person's practice (its practice record's id), from the last login. */
const char     *tend_sync_engine_get_practice_id (TendSyncEngine *self);
/* Plain http:// is for this computer only (tests, a local server). */
gboolean        tend_sync_check_server_url     (const char      *url,
                                                GError         **error);

/* Blocking: for tend-cli and for threads (the app uses the async one). */
gboolean        tend_sync_engine_login         (TendSyncEngine  *self,
                                                const char      *email,
                                                const char      *password,
                                                const char      *totp,
                                                GCancellable    *cancellable,
                                                GError         **error);
gboolean        tend_sync_engine_run           (TendSyncEngine  *self,
                                                TendSyncStats   *stats,
                                                GCancellable    *cancellable,
                                                GError         **error);

/* Two-step verification of the person signed in, blocking. */
int          tend_sync_engine_get_totp        (TendSyncEngine  *self,
                                               GCancellable    *cancellable,
                                               GError         **error);
gboolean     tend_sync_engine_begin_totp      (TendSyncEngine  *self,
                                               const char      *password,
                                               char           **secret,
                                               char           **uri,
                                               GCancellable    *cancellable,
                                               GError         **error);
gboolean     tend_sync_engine_confirm_totp    (TendSyncEngine  *self,
                                               const char      *code,
                                               GCancellable    *cancellable,
                                               GError         **error);
gboolean     tend_sync_engine_disable_totp    (TendSyncEngine  *self,
                                               const char      *password,
                                               const char      *code,
                                               GCancellable    *cancellable,
                                               GError         **error);

/* The practice's sign-in accounts (owners manage them), blocking. */
typedef struct
{
  char     *id;
  char     *email;
  char     *name;
  char     *role;       /* tend_role_to_string () */
  char     *staff_id;
  gboolean  active;
  gboolean  totp;
} TendAccount;

void         tend_account_free                (TendAccount     *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendAccount, tend_account_free)
GPtrArray   *tend_sync_engine_list_accounts   (TendSyncEngine  *self,
                                               GCancellable    *cancellable,
                                               GError         **error);
TendAccount *tend_sync_engine_create_account  (TendSyncEngine  *self,
                                               const char      *email,
                                               const char      *name,
                                               const char      *role,
                                               const char      *password,
                                               const char      *staff_id,
                                               GCancellable    *cancellable,
                                               GError         **error);
/* @role, @password: (nullable) unchanged; @active: -1 unchanged, else 0/1 */
TendAccount *tend_sync_engine_update_account  (TendSyncEngine  *self,
                                               const char      *id,
                                               const char      *role,
                                               int              active,
                                               const char      *password,
                                               GCancellable    *cancellable,
                                               GError         **error);

/* The client portal: an invitation e-mailed to @email (the server makes
 * or updates the client's portal account); @language "en" or "es". */
gboolean     tend_sync_engine_invite_to_portal (TendSyncEngine *self,
                                                const char     *client_id,
                                                const char     *email,
                                                const char     *language,
                                                GCancellable   *cancellable,
                                                GError        **error);
gboolean     tend_sync_engine_invite_guardian_to_portal (TendSyncEngine *self,
                                                         const char     *client_id,
                                                         const char     *related_person_id,
                                                         const char     *email,
                                                         const char     *language,
                                                         GCancellable   *cancellable,
                                                         GError        **error);

/* A video session's single-use join link for the client (its host only):
 * copied by the caller, or with @email also mailed by the server to the
 * client's address on file.  Blocking, for a thread. */
gboolean     tend_sync_engine_create_video_invite (TendSyncEngine *self,
                                                   const char     *session_id,
                                                   gboolean        email,
                                                   char          **url,
                                                   GDateTime     **valid_until,
                                                   GCancellable   *cancellable,
                                                   GError        **error);

/* One sync in a thread, on a connection of its own; the store's
 * #TendStore::changed fires on the main context afterwards. */
void            tend_sync_engine_run_async     (TendSyncEngine      *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean        tend_sync_engine_run_finish    (TendSyncEngine      *self,
                                                GAsyncResult        *result,
                                                TendSyncStats       *stats,
                                                GError             **error);

/* The live WebSocket's messages: changes it carries, applied when they
 * follow the store's cursor; otherwise @pull asks for a run. */
gboolean        tend_sync_engine_apply_live    (TendSyncEngine      *self,
                                                GBytes              *message,
                                                gboolean            *pull,
                                                TendSyncStats       *stats,
                                                GCancellable        *cancellable,
                                                GError             **error);
void            tend_sync_engine_apply_live_async  (TendSyncEngine      *self,
                                                    GBytes              *message,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        tend_sync_engine_apply_live_finish (TendSyncEngine      *self,
                                                    GAsyncResult        *result,
                                                    gboolean            *pull,
                                                    GError             **error);

/* Reading one GET /v1/changes answer, without network or store. */
GPtrArray      *tend_sync_parse_page           (GBytes              *body,
                                                char               **next,
                                                gboolean            *has_more,
                                                GError             **error);

G_END_DECLS
