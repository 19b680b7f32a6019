/* tend-keyring.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <sodium.h>
#include <string.h>

#include "tend-keyring.h"
#include "tend-store.h"

static const SecretSchema *
key_schema (void)
{
  static const SecretSchema schema = {
    "app.tend.Tend.DatabaseKey", SECRET_SCHEMA_NONE,
    {
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };
  return &schema;
}

/* Turns libsecret and D-Bus failures into the store's errors a person can act on. */
static void
translate_error (GError  *local,
                 GError **error)
{
  if (g_error_matches (local, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (local, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED))
    g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_KEYRING_LOCKED,
                 _("The keyring is locked. Unlock it to open Tend’s database (%s)."), local->message);
  else
    g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_KEYRING_UNAVAILABLE,
                 _("No keyring is available to hold the database key (%s). Tend needs a Secret Service such as GNOME Keyring."),
                 local->message);
}

GBytes *
tend_keyring_generate_key (void)
{
  guint8 *key = g_malloc (32);

  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  randombytes_buf (key, 32);
  return g_bytes_new_take (key, 32);
}

static GBytes *
key_from_hex (const char *hex)
{
  guint8 *bin = g_malloc (TEND_STORE_KEY_SIZE);
  size_t len = 0;

  if (hex == NULL || strlen (hex) != TEND_STORE_KEY_SIZE * 2 ||
      sodium_hex2bin (bin, TEND_STORE_KEY_SIZE, hex, strlen (hex), NULL, &len, NULL) != 0 ||
      len != TEND_STORE_KEY_SIZE)
    {
      g_free (bin);
      return NULL;
    }
  return g_bytes_new_take (bin, TEND_STORE_KEY_SIZE);
}

/**
 * tend_keyring_lookup_key:
 * @db_path: the database file the key belongs to (made absolute, so a
 *   relative path finds the same key)
 *
 * Blocks on D-Bus: call it from a worker thread in the GUI.
 *
 * Returns: (transfer full) (nullable): the key; %NULL without an error when
 *   the keyring has none for @db_path
 */
GBytes *
tend_keyring_lookup_key (const char   *db_path,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *canonical = g_canonicalize_filename (db_path, NULL);
  char *hex;
  GBytes *key;

  hex = secret_password_lookup_sync (key_schema (), cancellable, &local, "database", canonical, NULL);
  if (local != NULL)
    {
      translate_error (local, error);
      return NULL;
    }
  if (hex == NULL)
    return NULL;
  key = key_from_hex (hex);
  secret_password_free (hex);
  if (key == NULL)
    g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY,
                         _("The database key in the keyring is malformed"));
  return key;
}

gboolean
tend_keyring_store_key (const char   *db_path,
                        GBytes       *key,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr(GError) local = NULL;
  char hex[TEND_STORE_KEY_SIZE * 2 + 1];
  g_autofree char *canonical = g_canonicalize_filename (db_path, NULL);
  g_autofree char *label = g_strdup_printf (_("Tend database key for %s"), canonical);
  gboolean ok;

  g_return_val_if_fail (g_bytes_get_size (key) == TEND_STORE_KEY_SIZE, FALSE);

  sodium_bin2hex (hex, sizeof hex, g_bytes_get_data (key, NULL), TEND_STORE_KEY_SIZE);
  ok = secret_password_store_sync (key_schema (), SECRET_COLLECTION_DEFAULT, label, hex,
                                   cancellable, &local, "database", canonical, NULL);
  sodium_memzero (hex, sizeof hex);
  if (!ok)
    translate_error (local, error);
  return ok;
}

gboolean
tend_keyring_clear_key (const char   *db_path,
                        GCancellable *cancellable,
                        GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *canonical = g_canonicalize_filename (db_path, NULL);

  secret_password_clear_sync (key_schema (), cancellable, &local, "database", canonical, NULL);
  if (local != NULL)
    {
      translate_error (local, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_keyring_read_key_file:
 *
 * For scripts and benchmarks without a keyring: a file holding the key as
 * 64 hexadecimal digits.
 */
GBytes *
tend_keyring_read_key_file (const char *path,
                            GError    **error)
{
  g_autofree char *contents = NULL;
  GBytes *key;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  g_strstrip (contents);
  key = key_from_hex (contents);
  sodium_memzero (contents, strlen (contents));
  if (key == NULL)
    g_set_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY,
                 _("%s does not hold a key (64 hexadecimal digits)"), path);
  return key;
}

/**
 * tend_keyring_default_db_path:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/tend/tend.db
 */
char *
tend_keyring_default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tend", "tend.db", NULL);
}

/**
 * tend_keyring_write_key_file:
 *
 * Writes @key as 64 hexadecimal digits to a new file only its owner can
 * read: the counterpart of tend_keyring_read_key_file().
 */
gboolean
tend_keyring_write_key_file (const char *path,
                             GBytes     *key,
                             GError    **error)
{
  char hex[TEND_STORE_KEY_SIZE * 2 + 2];
  g_autoptr(GError) local = NULL;
  gboolean ok;

  g_return_val_if_fail (g_bytes_get_size (key) == TEND_STORE_KEY_SIZE, FALSE);

  sodium_bin2hex (hex, sizeof hex - 1, g_bytes_get_data (key, NULL), TEND_STORE_KEY_SIZE);
  strcat (hex, "\n");
  ok = g_file_set_contents_full (path, hex, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local);
  sodium_memzero (hex, sizeof hex);
  if (!ok)
    g_set_error (error, G_IO_ERROR, local->code,
                 _("Could not write the new key to %s: %s"), path, local->message);
  return ok;
}

/* Sessions with a practice server: the bearer token, per store and server. */

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "app.tend.Tend.ServerSession", SECRET_SCHEMA_NONE,
    {
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };
  return &schema;
}

/**
 * tend_keyring_store_token:
 *
 * Keeps the session token of @server for the store at @db_path.  Blocks on
 * D-Bus: call it from a worker thread in the GUI.
 */
gboolean
tend_keyring_store_token (const char   *db_path,
                          const char   *server,
                          const char   *token,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *canonical = g_canonicalize_filename (db_path, NULL);
  g_autofree char *label = g_strdup_printf (_("Tend session with %s"), server);

  if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable, &local,
                                   "database", canonical, "server", server, NULL))
    {
      translate_error (local, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_keyring_lookup_token:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL without an
 *   error when there is none (sign in again)
 */
char *
tend_keyring_lookup_token (const char   *db_path,
                           const char   *server,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *canonical = g_canonicalize_filename (db_path, NULL);
  char *secret = secret_password_lookup_sync (token_schema (), cancellable, &local,
                                              "database", canonical, "server", server, NULL);
  char *token;

  if (local != NULL)
    {
      translate_error (local, error);
      return NULL;
    }
  token = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);
  return token;
}

gboolean
tend_keyring_clear_token (const char   *db_path,
                          const char   *server,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *canonical = g_canonicalize_filename (db_path, NULL);

  secret_password_clear_sync (token_schema (), cancellable, &local, "database", canonical, "server", server, NULL);
  if (local != NULL)
    {
      translate_error (local, error);
      return FALSE;
    }
  return TRUE;
}

