/* tend-sync-controller.h: when and how the app syncs with its server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "tend-sync-engine.h"

G_BEGIN_DECLS

/**
 * TendSyncState:
 * @TEND_SYNC_STATE_IDLE: up to date as of the last run
 * @TEND_SYNC_STATE_SYNCING: a run is going on
 * @TEND_SYNC_STATE_OFFLINE: the server cannot be reached; changes wait
 * @TEND_SYNC_STATE_SIGNED_OUT: the session ended: sign in again
 * @TEND_SYNC_STATE_ERROR: the last run failed (see the message)
 */
typedef enum
{
  TEND_SYNC_STATE_IDLE,
  TEND_SYNC_STATE_SYNCING,
  TEND_SYNC_STATE_OFFLINE,
  TEND_SYNC_STATE_SIGNED_OUT,
  TEND_SYNC_STATE_ERROR,
} TendSyncState;

#define TEND_TYPE_SYNC_CONTROLLER (tend_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (TendSyncController, tend_sync_controller, TEND, SYNC_CONTROLLER, GObject)

TendSyncController *tend_sync_controller_new          (TendStore          *store,
                                                       const char         *server_url,
                                                       const char         *ca_file);
void                tend_sync_controller_start        (TendSyncController *self);
void                tend_sync_controller_stop         (TendSyncController *self);
void                tend_sync_controller_sync_now     (TendSyncController *self);
TendSyncState       tend_sync_controller_get_state    (TendSyncController *self);
const char         *tend_sync_controller_get_message  (TendSyncController *self);
guint               tend_sync_controller_get_waiting  (TendSyncController *self);
guint               tend_sync_controller_get_conflicts(TendSyncController *self);
guint               tend_sync_controller_get_runs     (TendSyncController *self);
guint               tend_sync_controller_get_live_events (TendSyncController *self);
guint               tend_sync_controller_get_live_applied (TendSyncController *self);
const char         *tend_sync_controller_get_server   (TendSyncController *self);
TendSyncEngine     *tend_sync_controller_get_engine   (TendSyncController *self);
SoupWebsocketConnection *tend_sync_controller_get_live (TendSyncController *self);
char               *tend_sync_controller_describe     (TendSyncController *self);

void                tend_sync_controller_sign_in_async  (TendSyncController  *self,
                                                         const char          *email,
                                                         const char          *password,
                                                         const char          *totp,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            tend_sync_controller_sign_in_finish (TendSyncController  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
