/* fuzz-changes.c: libFuzzer target for the change-feed page reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built only when meson's C compiler is clang (see meson.build).  Each
 * input is taken as the answer to GET /v1/changes and read by
 * tend_sync_parse_page(), what a workstation does with every page before
 * its store sees it.  It must give an error or a page whose every change
 * has a type, an id, a version of at least 1, and (unless deleted) a body
 * that is JSON the store can parse again: a body written back as something
 * that no longer parses (json-glib writes 1e21 as "1e+21.0") would stop
 * every later sync at that page.  A crash, a leak, undefined behaviour or
 * a hang is a bug.
 */
#define G_LOG_DOMAIN "tend-fuzz"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "tend-sync-engine.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *next = NULL;
  gboolean has_more = FALSE;

  changes = tend_sync_parse_page (body, &next, &has_more, &error);
  if (changes == NULL)
    {
      /* The feed's own errors, or the codec's about a body. */
      g_assert (error != NULL && error->message != NULL);
      return 0;
    }
  g_assert (next != NULL);
  for (guint i = 0; i < changes->len; i++)
    {
      TendSyncChange *c = g_ptr_array_index (changes, i);

      g_assert (c->type != NULL && c->id != NULL && c->version >= 1);
      if (!c->deleted)
        {
          g_autoptr(JsonNode) again = json_from_string (c->body, NULL);

          /* abort (): libFuzzer catches SIGABRT and keeps the input. */
          if (again == NULL || !JSON_NODE_HOLDS_OBJECT (again))
            {
              g_printerr ("The %s %s was read but its body no longer parses: %s\n", c->type, c->id, c->body);
              abort ();
            }
        }
    }
  return 0;
}
