/* tend-secret.c: reading a password for a command-line tool
 *
 * tend-cli and tend-server's admin commands take a password from a file or
 * from the first line of standard input, never from an argument (which
 * other users could read in the process list).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "tend-error.h"
#include "tend-secret.h"

/* Overwrites before freeing: the compiler may not drop a call through a
 * volatile pointer. */
static void *(*volatile wipe) (void *, int, size_t) = memset;

void
tend_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  wipe (secret, 0, strlen (secret));
  g_free (secret);
}

/**
 * tend_read_secret_line:
 * @path: (nullable): a file whose first line is the secret, or %NULL for
 *   standard input
 *
 * Returns: (transfer full) (nullable): the first line, without its line
 *   end; free it with tend_secret_free()
 */
char *
tend_read_secret_line (const char  *path,
                       GError     **error)
{
  char *text = NULL;

  if (path != NULL)
    {
      if (!g_file_get_contents (path, &text, NULL, error))
        return NULL;
    }
  else
    {
      char line[1100];

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("No password: give a password file or write it to standard input"));
          return NULL;
        }
      text = g_strdup (line);
      wipe (line, 0, sizeof line);
    }
  text[strcspn (text, "\r\n")] = '\0';
  return text;
}
