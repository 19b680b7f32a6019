/* tend-server-ice.h: the STUN and TURN servers a video call may use, with
 * short-lived TURN credentials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tend-server-config.h"

G_BEGIN_DECLS

gboolean tend_ice_check_uri          (const char       *key,
                                      const char       *uri,
                                      gboolean          turn,
                                      GError          **error);
char    *tend_turn_credential        (const char       *secret,
                                      const char       *username);
void     tend_ice_add_servers        (JsonBuilder      *builder,
                                      TendServerConfig *config,
                                      const char       *who,
                                      gint64            now_unix);

G_END_DECLS
