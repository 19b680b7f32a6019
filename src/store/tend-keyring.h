/* tend-keyring.h: the database key in the user's keyring (libsecret)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes  *tend_keyring_generate_key      (void);
GBytes  *tend_keyring_lookup_key        (const char          *db_path,
                                         GCancellable        *cancellable,
                                         GError             **error);
gboolean tend_keyring_store_key         (const char          *db_path,
                                         GBytes              *key,
                                         GCancellable        *cancellable,
                                         GError             **error);
gboolean tend_keyring_clear_key         (const char          *db_path,
                                         GCancellable        *cancellable,
                                         GError             **error);
GBytes  *tend_keyring_read_key_file     (const char          *path,
                                         GError             **error);
gboolean tend_keyring_write_key_file    (const char          *path,
                                         GBytes              *key,
                                         GError             **error);
char    *tend_keyring_default_db_path   (void);

gboolean tend_keyring_store_token       (const char          *db_path,
                                         const char          *server,
                                         const char          *token,
                                         GCancellable        *cancellable,
                                         GError             **error);
char    *tend_keyring_lookup_token      (const char          *db_path,
                                         const char          *server,
                                         GCancellable        *cancellable,
                                         GError             **error);
gboolean tend_keyring_clear_token       (const char          *db_path,
                                         const char          *server,
                                         GCancellable        *cancellable,
                                         GError             **error);

G_END_DECLS
