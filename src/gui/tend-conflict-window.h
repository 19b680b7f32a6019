/* tend-conflict-window.h: resolving what sync could not merge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-sync-controller.h"

G_BEGIN_DECLS

#define TEND_TYPE_CONFLICT_WINDOW (tend_conflict_window_get_type ())
G_DECLARE_FINAL_TYPE (TendConflictWindow, tend_conflict_window, TEND, CONFLICT_WINDOW, AdwWindow)

TendConflictWindow *tend_conflict_window_new        (TendStore          *store,
                                                     TendSyncController *sync);
guint               tend_conflict_window_get_n_shown (TendConflictWindow *self);

G_END_DECLS
