/* tend-server.h: the central API's HTTP server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tend-server-config.h"

G_BEGIN_DECLS

#define TEND_TYPE_SERVER (tend_server_get_type ())
G_DECLARE_FINAL_TYPE (TendServer, tend_server, TEND, SERVER, GObject)

TendServer *tend_server_new       (TendServerConfig  *config,
                                   GError           **error);
gboolean    tend_server_start     (TendServer        *self,
                                   GError           **error);
guint16     tend_server_get_port  (TendServer        *self);
void        tend_server_stop      (TendServer        *self);

G_END_DECLS
