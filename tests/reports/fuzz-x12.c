/* fuzz-x12.c: libFuzzer target for tend_x12_parse_835()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built only when meson's C compiler is clang (see meson.build and
 * README.md here).  Every input must give either an error or a remittance
 * whose claim payments add up to its total; a crash, a leak, undefined
 * behaviour or a hang is a bug.
 */
#define G_LOG_DOMAIN "tend-fuzz"

#include "config.h"

#include <stdint.h>

#include "tend-x12.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRemittance) r = tend_x12_parse_835 ((const char *) data, size, "USD", &error);

  if (r == NULL)
    g_assert (error != NULL && error->domain == TEND_ERROR);
  else
    {
      gint64 sum = 0;

      for (guint i = 0; i < r->claims->len; i++)
        sum += ((TendRemitClaim *) g_ptr_array_index (r->claims, i))->paid;
      g_assert (sum - r->provider_adjustments == r->total_paid);
    }
  return 0;
}
