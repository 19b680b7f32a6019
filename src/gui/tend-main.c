/* tend-main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tend-application.h"
#include "tend-process.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TendApplication) app = NULL;

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
