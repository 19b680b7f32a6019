/* tend-module.h: code loaded when first used (GModule), not at start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gpointer  tend_module_lookup (const char  *name,
                              const char  *symbol,
                              GError     **error);
char     *tend_module_path   (const char  *name);

G_END_DECLS
