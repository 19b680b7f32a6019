/* tend-json.h: JSON text that json-glib writes back unchanged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean tend_json_is_canonical (const char *text,
                                 gssize      length);

G_END_DECLS
