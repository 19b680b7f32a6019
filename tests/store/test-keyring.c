/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-keyring.c: the database key in the Secret Service, and key files
 *
 * Needs an unlocked Secret Service on the session bus.  The test command
 * provides one:
 *
 *   dbus-run-session -- sh -c 'eval "$(printf %s test-pass |
 *     gnome-keyring-daemon --unlock --components=secrets)";
 *     meson test -C build --suite store'
 *
 * Without a session bus the keyring tests fail (they do not skip): a run
 * that silently skipped them would look like a pass.
 */
#include "config.h"

#include "store-test-util.h"

static gboolean
have_session_bus (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_fail_printf ("DBUS_SESSION_BUS_ADDRESS is not set: run this test under dbus-run-session "
                          "with an unlocked gnome-keyring-daemon (see tests/store/test-keyring.c)");
      return FALSE;
    }
  return TRUE;
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpmem (g_bytes_get_data (a, NULL), g_bytes_get_size (a),
                   g_bytes_get_data (b, NULL), g_bytes_get_size (b));
}

static void
test_store_lookup_clear (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) found = NULL;
  g_autoptr(GBytes) other = NULL;
  g_autoptr(GBytes) replacement = tend_keyring_generate_key ();
  g_autoptr(GBytes) found2 = NULL;
  g_autoptr(GBytes) gone = NULL;
  g_autofree char *other_path = g_build_filename (f->dir, "other.db", NULL);

  if (!have_session_bus ())
    return;

  /* Nothing there yet. */
  found = tend_keyring_lookup_key (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);

  g_assert_true (tend_keyring_store_key (f->path, f->key, NULL, &error));
  g_assert_no_error (error);

  found = tend_keyring_lookup_key (f->path, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (found, f->key);

  /* Another database's key is a different item. */
  other = tend_keyring_lookup_key (other_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (other);

  /* Storing again replaces the key rather than adding a second one. */
  g_assert_true (tend_keyring_store_key (f->path, replacement, NULL, &error));
  g_assert_no_error (error);
  found2 = tend_keyring_lookup_key (f->path, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_equal (found2, replacement);

  g_assert_true (tend_keyring_clear_key (f->path, NULL, &error));
  g_assert_no_error (error);
  gone = tend_keyring_lookup_key (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (gone);

  /* Clearing what is not there is fine. */
  g_assert_true (tend_keyring_clear_key (f->path, NULL, &error));
  g_assert_no_error (error);
}

/* The key from the keyring opens the store it was made for. */
static void
test_key_opens_store (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GBytes) key = NULL;

  if (!have_session_bus ())
    return;

  store = store_test_open (f);
  store_test_close (&store);
  g_assert_true (tend_keyring_store_key (f->path, f->key, NULL, &error));
  g_assert_no_error (error);

  key = tend_keyring_lookup_key (f->path, NULL, &error);
  g_assert_no_error (error);
  store = tend_store_open (f->path, key, TEND_STORE_OPEN_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  g_assert_true (tend_keyring_clear_key (f->path, NULL, &error));
  g_assert_no_error (error);
}

static char *
write_file (StoreFixture *f,
            const char   *name,
            const char   *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_key_file (StoreFixture  *f,
               gconstpointer  data)
{
  static const char hexdigits[] = "0123456789abcdef";
  const guint8 *raw = g_bytes_get_data (f->key, NULL);
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autoptr(GString) upper = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) key_upper = NULL;
  g_autofree char *good = NULL;
  g_autofree char *good_upper = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "no-such-key", NULL);
  static const char * const bad[] = {
    "0123456789abcdef",                                                    /* short */
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",     /* 63 digits */
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef00",  /* 66 digits */
    "zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",    /* not hex */
    "0123456789abcdef 0123456789abcdef0123456789abcdef0123456789abcde",    /* a space inside */
    "",
  };

  for (guint i = 0; i < TEND_STORE_KEY_SIZE; i++)
    {
      g_string_append_c (hex, hexdigits[raw[i] >> 4]);
      g_string_append_c (hex, hexdigits[raw[i] & 0xf]);
    }
  g_string_append_c (hex, '\n');   /* as `echo` writes it */
  good = write_file (f, "good.key", hex->str);
  key = tend_keyring_read_key_file (good, &error);
  g_assert_no_error (error);
  assert_bytes_equal (key, f->key);

  upper = g_string_new (hex->str);
  g_string_ascii_up (upper);
  good_upper = write_file (f, "upper.key", upper->str);
  key_upper = tend_keyring_read_key_file (good_upper, &error);
  g_assert_no_error (error);
  assert_bytes_equal (key_upper, f->key);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%u.key", i);
      g_autofree char *path = write_file (f, name, bad[i]);
      g_autoptr(GBytes) none = tend_keyring_read_key_file (path, &error);

      g_assert_null (none);
      g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_WRONG_KEY);
      g_clear_error (&error);
    }

  g_assert_null (tend_keyring_read_key_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_generate_and_default_path (void)
{
  g_autoptr(GBytes) a = tend_keyring_generate_key ();
  g_autoptr(GBytes) b = tend_keyring_generate_key ();
  g_autofree char *path = tend_keyring_default_db_path ();

  g_assert_cmpuint (g_bytes_get_size (a), ==, TEND_STORE_KEY_SIZE);
  g_assert_false (g_bytes_equal (a, b));
  g_assert_true (g_path_is_absolute (path));
  g_assert_true (g_str_has_suffix (path, G_DIR_SEPARATOR_S "tend" G_DIR_SEPARATOR_S "tend.db"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/keyring/store-lookup-clear", StoreFixture, NULL,
              store_test_setup, test_store_lookup_clear, store_test_teardown);
  g_test_add ("/keyring/key-opens-store", StoreFixture, NULL,
              store_test_setup, test_key_opens_store, store_test_teardown);
  g_test_add ("/keyring/key-file", StoreFixture, NULL,
              store_test_setup, test_key_file, store_test_teardown);
  g_test_add_func ("/keyring/generate-and-default-path", test_generate_and_default_path);

  return g_test_run ();
}
