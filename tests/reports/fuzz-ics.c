/* fuzz-ics.c: libFuzzer target for tend_ics_import()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built only when meson's C compiler is clang (see meson.build and
 * README.md here).  Every input must give either an error or appointments
 * that validate; a crash, a leak, undefined behaviour or a hang is a bug.
 */
#define G_LOG_DOMAIN "tend-fuzz"

#include "config.h"

#include <stdint.h>

#include "tend-ics.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static GDateTime *from, *to;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) out = NULL;
  TendIcsImportOptions opts;

  if (from == NULL)
    {
      from = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
      to = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
    }
  tend_ics_import_options_init (&opts);
  opts.clinician_id = "6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01";
  opts.time_zone = "America/Chicago";
  opts.from = from;
  opts.to = to;
  opts.keep_titles = TRUE;

  out = tend_ics_import ((const char *) data, size, &opts, &error);
  if (out == NULL)
    g_assert (error != NULL && error->domain == TEND_ERROR);
  else
    for (guint i = 0; i < out->len; i++)
      g_assert (tend_record_validate (out->pdata[i], NULL));
  return 0;
}
