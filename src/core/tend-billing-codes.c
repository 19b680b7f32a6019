/* tend-billing-codes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <string.h>

#include "tend-billing-codes.h"

/* CPT: five digits (90834), or four digits and a letter for category II/III
 * codes (0362T); HCPCS level II: a letter and four digits (H0031). */
gboolean
tend_cpt_code_is_valid (const char *code)
{
  guint digits = 0;

  if (code == NULL || strlen (code) != 5)
    return FALSE;
  for (guint i = 0; i < 5; i++)
    if (g_ascii_isdigit (code[i]))
      digits++;
    else if (!g_ascii_isupper (code[i]))
      return FALSE;
  if (digits == 5)
    return TRUE;
  return digits == 4 && (!g_ascii_isdigit (code[0]) || !g_ascii_isdigit (code[4]));
}

/* X12 HI segments carry diagnosis codes without the dot. */
char *
tend_icd10_code_for_x12 (const char *code)
{
  GString *s = g_string_new (NULL);

  for (const char *p = code; p != NULL && *p; p++)
    if (*p != '.')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

gboolean
tend_modifier_is_valid (const char *modifier)
{
  return modifier != NULL && strlen (modifier) == 2 &&
         g_ascii_isalnum (modifier[0]) && g_ascii_isalnum (modifier[1]) &&
         !g_ascii_islower (modifier[0]) && !g_ascii_islower (modifier[1]);
}

gboolean
tend_place_of_service_is_valid (const char *pos)
{
  return pos != NULL && strlen (pos) == 2 && g_ascii_isdigit (pos[0]) && g_ascii_isdigit (pos[1]) &&
         strcmp (pos, "00") != 0;
}

/* CLM/SBR09 claim filing indicator codes of 005010X222A1. */
gboolean
tend_claim_filing_is_valid (const char *code)
{
  static const char * const codes[] = {
    "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS", "FI",
    "HM", "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ", NULL
  };

  for (guint i = 0; code != NULL && codes[i] != NULL; i++)
    if (strcmp (codes[i], code) == 0)
      return TRUE;
  return FALSE;
}

/* Claim adjustment reason codes: 1 to 5 characters, digits or letters. */
gboolean
tend_carc_is_valid (const char *reason)
{
  gsize n = reason != NULL ? strlen (reason) : 0;

  if (n < 1 || n > 5)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (reason[i]) && !g_ascii_isupper (reason[i]))
      return FALSE;
  return TRUE;
}

/**
 * tend_code_list_check:
 * @list: (nullable): codes separated by single spaces
 * @bad_item: (out) (optional) (transfer full): the first code that fails
 *
 * Returns: whether @list has at most @max_items codes, all passing @check
 */
gboolean
tend_code_list_check (const char  *list,
                      guint        max_items,
                      gboolean   (*check) (const char *),
                      char       **bad_item)
{
  g_auto(GStrv) items = NULL;

  if (list == NULL)
    return TRUE;
  items = g_strsplit (list, " ", -1);
  if (g_strv_length (items) > max_items)
    {
      if (bad_item != NULL)
        *bad_item = g_strdup (items[max_items]);
      return FALSE;
    }
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (!check (items[i]))
        {
          if (bad_item != NULL)
            *bad_item = g_strdup (items[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* @percent of an amount, rounded half up to a whole minor unit: a sliding
 * scale of 33% on 150.00 is 49.50; 33% of 0.99 is 0.33 (32.67 rounds up). */
gint64
tend_money_scale_percent (gint64 minor,
                          guint  percent)
{
  gint64 num = minor * (gint64) percent;

  g_return_val_if_fail (minor >= 0, 0);
  return (num + 50) / 100;
}
