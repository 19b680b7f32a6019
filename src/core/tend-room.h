/* tend-room.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_ROOM (tend_room_get_type ())
G_DECLARE_FINAL_TYPE (TendRoom, tend_room, TEND, ROOM, TendRecord)

TendRoom   *tend_room_new       (const char *name);
const char *tend_room_get_name  (TendRoom   *self);

G_END_DECLS
