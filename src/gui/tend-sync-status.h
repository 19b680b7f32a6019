/* tend-sync-status.h: the sync state in the header, with what to do about it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_SYNC_STATUS (tend_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (TendSyncStatus, tend_sync_status, TEND, SYNC_STATUS, GtkWidget)

GtkWidget  *tend_sync_status_new       (void);
void        tend_sync_status_set_sync  (TendSyncStatus     *self,
                                        TendStore          *store,
                                        TendSyncController *sync);
const char *tend_sync_status_get_text  (TendSyncStatus     *self);

G_END_DECLS
