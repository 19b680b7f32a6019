/* tend-secret.h: reading a password for a command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *tend_read_secret_line (const char  *path,
                             GError     **error);
void  tend_secret_free      (char        *secret);

G_END_DECLS
