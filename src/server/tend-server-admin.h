/* tend-server-admin.h: `tend-server admin ...`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int tend_server_admin_main (int    argc,
                            char **argv);

G_END_DECLS
