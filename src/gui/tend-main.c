/* tend-main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tend-application.h"
#include "tend-keyring.h"
#include "tend-process.h"

/* Whether the database Tend will open is there already, found as
 * TendApplication finds it: --store, then TEND_STORE_PATH, then the
 * "store-path" setting, then the default. */
static gboolean
store_exists (int    argc,
              char **argv)
{
  g_autofree char *path = NULL;

  for (int i = 1; i < argc && path == NULL; i++)
    {
      if (g_str_has_prefix (argv[i], "--store="))
        path = g_strdup (argv[i] + strlen ("--store="));
      else if (strcmp (argv[i], "--store") == 0 && i + 1 < argc)
        path = g_strdup (argv[i + 1]);
    }
  if (path == NULL && g_getenv ("TEND_STORE_PATH") != NULL)
    path = g_strdup (g_getenv ("TEND_STORE_PATH"));
  if (path == NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = source != NULL
                                          ? g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE)
                                          : NULL;

      if (schema != NULL)
        {
          g_autoptr(GSettings) settings = g_settings_new (SETTINGS_SCHEMA_ID);

          path = g_settings_get_string (settings, "store-path");
          if (*path == '\0')
            g_clear_pointer (&path, g_free);
        }
    }
  if (path == NULL)
    path = tend_keyring_default_db_path ();
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TendApplication) app = NULL;

  /* GLib's slice allocator (before 2.76) slows a first sync from a server
   * by a quarter, and only that (tend_process_use_malloc ()); starting the
   * program a second time to leave it cost every start about a third of
   * what a whole bare window takes (perf over bench-startup): only the
   * first run, with no database yet, pays it. */
  if (!store_exists (argc, argv))
    tend_process_use_malloc (argv);
  setlocale (LC_ALL, "");
  /* An uninstalled build (build-aux/run.sh) reads the catalogues the build
   * made: build/po/LANG/LC_MESSAGES/tend.mo. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("TEND_LOCALEDIR") != NULL ? g_getenv ("TEND_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Tend"));
  app = tend_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
