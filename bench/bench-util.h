/* bench-util.h: what every benchmark prints and how it ranks samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>

/* "key: value" with a dot, whatever the locale, for scripts to read. */
static inline void
bench_print_ms (const char *key,
                double      ms)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  printf ("%s: %s\n", key, g_ascii_formatd (buf, sizeof buf, ms < 1 ? "%.3f" : "%.2f", ms));
  fflush (stdout);
}

static inline int
bench_compare_double (gconstpointer a,
                      gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of @values (sorted in place). */
static inline double
bench_percentile (GArray *values,
                  double  p)
{
  guint rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, bench_compare_double);
  rank = (guint) (p / 100.0 * values->len + 0.999999);
  rank = CLAMP (rank, 1, values->len);
  return g_array_index (values, double, rank - 1);
}
