/* tend-demo-messages.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

gboolean tend_demo_messages_write (TendStore  *store,
                                   guint32     seed,
                                   gint64      now,
                                   GError    **error);

G_END_DECLS
