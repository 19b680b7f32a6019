/* tend-csv.c: report tables as CSV (RFC 4180)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For spreadsheets and accountants, not people: money is a plain decimal in
 * the currency's units ("1234.50"), dates stay YYYY-MM-DD, whatever the
 * locale, so the numbers add up the same everywhere.  Cells that a
 * spreadsheet would run as a formula get a leading apostrophe.
 */
#define G_LOG_DOMAIN "tend-reports"

#include "config.h"

#include <string.h>

#include "tend-csv.h"

static void
append_cell (GString    *out,
             const char *value)
{
  gboolean quote;

  if (value == NULL)
    return;
  /* A name like "=HYPERLINK(...)" must not become a formula. */
  if (strchr ("=+-@", value[0]) != NULL && value[0] != '\0' &&
      !(value[0] == '-' && g_ascii_isdigit (value[1])))
    {
      g_autofree char *safe = g_strconcat ("'", value, NULL);
      append_cell (out, safe);
      return;
    }
  quote = strpbrk (value, ",\"\r\n") != NULL || g_ascii_isspace (value[0]);
  if (!quote)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static char *
decimal (const char *minor_text,
         guint       exponent)
{
  gint64 v = g_ascii_strtoll (minor_text, NULL, 10);
  guint64 mag = v < 0 ? (guint64) (-(v + 1)) + 1 : (guint64) v;
  guint64 scale = 1;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;
  if (exponent == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, v < 0 ? "-" : "", mag);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, v < 0 ? "-" : "",
                          mag / scale, (int) exponent, mag % scale);
}

/**
 * tend_csv_from_table:
 *
 * Returns: (transfer full): the table as CSV, a header line first, lines
 *   ending in CRLF
 */
char *
tend_csv_from_table (const TendTable *table)
{
  GString *out = g_string_new (NULL);
  guint exponent = tend_money_get_exponent (table->currency);

  for (guint c = 0; c < table->n_columns; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      append_cell (out, table->headers[c]);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          if (table->kinds[c] == TEND_COLUMN_MONEY && row[c] != NULL)
            {
              g_autofree char *d = decimal (row[c], exponent);
              append_cell (out, d);
            }
          else
            append_cell (out, row[c]);
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}
