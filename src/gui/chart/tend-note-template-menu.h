/* tend-note-template-menu.h: the practice's note templates in a New Note menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tend-store.h"

G_BEGIN_DECLS

GMenu      *tend_note_template_menu_new    (TendStore  *store,
                                            const char *action);
const char *tend_note_template_menu_get_id (const char *target);
GPtrArray  *tend_note_template_list_active (TendStore  *store,
                                            GError    **error);

G_END_DECLS
