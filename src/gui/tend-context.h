/* tend-context.h: what the application knows, passed to every window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tend-core.h"
#include "tend-store.h"
#include "tend-sync-controller.h"

G_BEGIN_DECLS

/**
 * TendContextState:
 * @TEND_CONTEXT_STATE_LOADING: looking for the key and opening the store
 * @TEND_CONTEXT_STATE_SETUP: no database yet: first run
 * @TEND_CONTEXT_STATE_READY: the store is open and a user is chosen
 * @TEND_CONTEXT_STATE_ERROR: the store could not be opened (see #TendContext:error)
 */
typedef enum
{
  TEND_CONTEXT_STATE_LOADING,
  TEND_CONTEXT_STATE_SETUP,
  TEND_CONTEXT_STATE_READY,
  TEND_CONTEXT_STATE_ERROR,
} TendContextState;

typedef struct
{
  const char *practice_name;
  const char *time_zone;
  const char *given_name;
  const char *family_name;
  const char *email;
  TendRole    role;
  const char *password;
} TendSetupInfo;

/* Connecting a new workstation to a practice server. */
typedef struct
{
  const char *server;     /* https://…, or http:// to this computer */
  const char *ca_file;    /* (nullable) a self-hosted practice's own CA */
  const char *email;
  const char *password;
  const char *totp;       /* (nullable) */
} TendConnectInfo;

#define TEND_TYPE_CONTEXT (tend_context_get_type ())
G_DECLARE_FINAL_TYPE (TendContext, tend_context, TEND, CONTEXT, GObject)

TendContext      *tend_context_new               (const char          *store_path,
                                                  GSettings           *settings);
TendContextState  tend_context_get_state         (TendContext         *self);
const GError     *tend_context_get_error         (TendContext         *self);
const char       *tend_context_get_store_path    (TendContext         *self);
TendStore        *tend_context_get_store         (TendContext         *self);
TendPractice     *tend_context_get_practice      (TendContext         *self);
TendStaff        *tend_context_get_user          (TendContext         *self);
GSettings        *tend_context_get_settings      (TendContext         *self);
GTimeZone        *tend_context_get_zone          (TendContext         *self);
void              tend_context_load              (TendContext         *self);
gboolean          tend_context_switch_user       (TendContext         *self,
                                                  const char          *staff_id,
                                                  GError             **error);
void              tend_context_setup_async       (TendContext         *self,
                                                  const TendSetupInfo *info,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          tend_context_setup_finish      (TendContext         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

void              tend_context_connect_async     (TendContext         *self,
                                                  const TendConnectInfo *info,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          tend_context_connect_finish    (TendContext         *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
guint             tend_context_get_connect_progress (TendContext      *self);
void              tend_context_move_to_server_async (TendContext           *self,
                                                     const TendConnectInfo *info,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
gboolean          tend_context_move_to_server_finish (TendContext  *self,
                                                      GAsyncResult *result,
                                                      guint        *refused,
                                                      GError      **error);
/* (nullable): the sync with the practice server, if this store has one */
TendSyncController *tend_context_get_sync        (TendContext         *self);

void              tend_context_request_upkeep    (TendContext         *self);
gboolean          tend_context_is_upkeep_running (TendContext         *self);
void              tend_context_request_search_build (TendContext      *self);
double            tend_context_get_search_progress  (TendContext      *self);

G_END_DECLS
