/* tend-module.c: code loaded when first used (GModule), not at start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The video sessions (GStreamer, libnice) and the reading of PDFs
 * (poppler) are shared modules, `libtend-video.so` and `libtend-pdf.so`,
 * in `<libdir>/tend`: the program does not link them, so their sixty-odd
 * libraries are neither mapped nor relocated before its first frame
 * (bench/README.md, bench-startup).  A program run from the build tree
 * (the tests, the benchmarks, `build/src/gui/tend`) takes them from the
 * build tree's `src/modules` instead.  A module is opened once, with every
 * symbol bound at once (a missing one is an error here, not a crash
 * later), and stays loaded.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <gmodule.h>
#include <string.h>

#include "tend-error.h"
#include "tend-module.h"

static GMutex modules_lock;
static GHashTable *modules;   /* name → GModule */

/* Whether this program is one of the build tree's (then modules come from
 * it, so what is tested is what was just built, never an installed copy). */
static gboolean
running_from_build_tree (void)
{
  static gsize once = 0;
  static gboolean from_build = FALSE;

  if (g_once_init_enter (&once))
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *root = g_strconcat (TEND_BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);

      from_build = exe != NULL && g_str_has_prefix (exe, root);
      g_once_init_leave (&once, 1);
    }
  return from_build;
}

/**
 * tend_module_path:
 * @name: the module's name ("video", "pdf")
 *
 * Returns: (transfer full): the file the module is loaded from
 */
char *
tend_module_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("libtend-%s.so", name);

  return g_build_filename (running_from_build_tree () ? TEND_BUILD_MODULE_DIR : TEND_MODULE_DIR, file, NULL);
}

/**
 * tend_module_lookup:
 * @name: the module's name ("video", "pdf")
 * @symbol: what to find in it
 *
 * Loads the module when first asked (from any thread) and finds @symbol.
 *
 * Returns: (nullable): the symbol's address, or %NULL with a
 *   %TEND_ERROR_FAILED error saying what is missing
 */
gpointer
tend_module_lookup (const char  *name,
                    const char  *symbol,
                    GError     **error)
{
  GModule *module;
  gpointer address = NULL;

  g_return_val_if_fail (name != NULL && symbol != NULL, NULL);

  g_mutex_lock (&modules_lock);
  if (modules == NULL)
    modules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  module = g_hash_table_lookup (modules, name);
  if (module == NULL)
    {
      g_autofree char *path = tend_module_path (name);

      module = g_module_open (path, G_MODULE_BIND_LOCAL);
      if (module == NULL)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_FAILED, "%s", g_module_error ());
          g_mutex_unlock (&modules_lock);
          return NULL;
        }
      g_module_make_resident (module);
      g_hash_table_insert (modules, g_strdup (name), module);
    }
  if (!g_module_symbol (module, symbol, &address) || address == NULL)
    g_set_error (error, TEND_ERROR, TEND_ERROR_FAILED, "%s", g_module_error ());
  g_mutex_unlock (&modules_lock);
  return address;
}
