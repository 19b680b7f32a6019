/* tend-process.c: how Tend's programs start
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <unistd.h>

#include "tend-process.h"

/**
 * tend_process_use_malloc:
 * @argv: the program's arguments, as main() received them
 *
 * GLib before 2.76 hands small blocks out of its slice allocator, which is
 * slow when trees parsed on one thread (the sync engine's fetchers) are
 * freed on another (the store's): a first sync of 100,000 records took
 * 7.2 s with it and 5.3 s with plain malloc (bench/README.md, issue 18).
 * GLib reads G_SLICE once, before main() runs, so on such a GLib this
 * starts the program again with G_SLICE=always-malloc (once: the variable
 * is then set).  Newer GLib (Debian 13, the Flatpak's runtime) always uses
 * malloc, and nothing happens.  If the program cannot be started again, it
 * carries on as it is.  Starting again loads every library twice: the app
 * calls this only when it has no database yet (a first sync may follow).
 */
void
tend_process_use_malloc (char **argv)
{
  if (glib_check_version (2, 76, 0) == NULL || g_getenv ("G_SLICE") != NULL)
    return;
  if (!g_setenv ("G_SLICE", "always-malloc", TRUE))
    return;
  execv ("/proc/self/exe", argv);
}
