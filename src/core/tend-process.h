/* tend-process.h: how Tend's programs start
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void tend_process_use_malloc (char **argv);

G_END_DECLS
