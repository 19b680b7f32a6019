/* tend-move-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_MOVE_WINDOW (tend_move_window_get_type ())
G_DECLARE_FINAL_TYPE (TendMoveWindow, tend_move_window, TEND, MOVE_WINDOW, AdwWindow)

TendMoveWindow *tend_move_window_new         (TendContext    *context);
char           *tend_move_window_dup_command (TendMoveWindow *self);
/* For tests, as a person would type and click. */
void            tend_move_window_fill        (TendMoveWindow *self,
                                              const char     *server,
                                              const char     *email,
                                              const char     *password);
void            tend_move_window_move        (TendMoveWindow *self);
gboolean        tend_move_window_is_busy     (TendMoveWindow *self);
gboolean        tend_move_window_is_done     (TendMoveWindow *self);
const char     *tend_move_window_get_error   (TendMoveWindow *self);

G_END_DECLS
