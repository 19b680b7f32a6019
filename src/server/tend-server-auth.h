/* tend-server-auth.h: passwords, tokens and sign-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  tend_auth_init            (void);
char     *tend_auth_hash_password   (const char *password);
gboolean  tend_auth_verify_password (const char *hash,
                                     const char *password);
char     *tend_auth_new_token       (void);
char     *tend_auth_token_hash      (const char *token);
char     *tend_auth_bytea_hex       (const guint8 *data,
                                     gsize         len);

G_END_DECLS
