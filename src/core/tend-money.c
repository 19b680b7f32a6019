/* tend-money.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "tend-error.h"
#include "tend-money.h"

static const struct
{
  const char *code;
  const char *symbol;
  guint       exponent;
} currencies[] = {
  { "USD", "$", 2 }, { "CAD", "CA$", 2 }, { "EUR", "€", 2 }, { "GBP", "£", 2 },
  { "AUD", "A$", 2 }, { "NZD", "NZ$", 2 }, { "MXN", "MX$", 2 }, { "CHF", "CHF", 2 },
  { "JPY", "¥", 0 }, { "SEK", "kr", 2 }, { "NOK", "kr", 2 }, { "DKK", "kr", 2 },
};

static gint
find_currency (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (g_strcmp0 (currencies[i].code, code) == 0)
      return (gint) i;
  return -1;
}

gboolean
tend_money_is_currency (const char *code)
{
  return find_currency (code) >= 0;
}

guint
tend_money_get_exponent (const char *currency)
{
  gint i = find_currency (currency);

  return i >= 0 ? currencies[i].exponent : 2;
}

TendMoney
tend_money_init (gint64      minor,
                 const char *currency)
{
  TendMoney m = { minor, "" };

  g_strlcpy (m.currency, currency != NULL ? currency : "USD", sizeof m.currency);
  return m;
}

gboolean
tend_money_add (TendMoney       *sum,
                const TendMoney *a,
                const TendMoney *b,
                GError         **error)
{
  if (strcmp (a->currency, b->currency) != 0)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Cannot add amounts in %s and %s"), a->currency, b->currency);
      return FALSE;
    }
  if ((b->minor > 0 && a->minor > G_MAXINT64 - b->minor) ||
      (b->minor < 0 && a->minor < G_MININT64 - b->minor))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The amount is too large"));
      return FALSE;
    }
  *sum = tend_money_init (a->minor + b->minor, a->currency);
  return TRUE;
}

/* The locale's monetary marks; the C locale has none (""), so fall back
 * to the US ones. */
static const char *
decimal_mark (const struct lconv *lc)
{
  return lc->mon_decimal_point != NULL && *lc->mon_decimal_point != '\0' ? lc->mon_decimal_point : ".";
}

static const char *
thousands_mark (const struct lconv *lc)
{
  return lc->mon_thousands_sep != NULL && *lc->mon_thousands_sep != '\0' ? lc->mon_thousands_sep : ",";
}

/* The amount grouped with the locale's monetary separators, with or
 * without the currency's symbol, placed as the locale places it
 * ("$1,234.56" in the US, "1.234,56 $" in Spain). */
static char *
format_money (const TendMoney *money,
              gboolean         with_symbol)
{
  struct lconv *lc = localeconv ();
  const char *decimal = decimal_mark (lc);
  const char *thousands = thousands_mark (lc);
  gint i = find_currency (money->currency);
  const char *symbol = i >= 0 ? currencies[i].symbol : money->currency;
  guint exp = tend_money_get_exponent (money->currency);
  guint64 magnitude = money->minor < 0 ? (guint64) (-(money->minor + 1)) + 1 : (guint64) money->minor;
  guint64 scale = 1;
  /* CHAR_MAX: the locale does not say (the C locale): before, no space. */
  gboolean before = lc->p_cs_precedes != 0;
  gboolean space = lc->p_sep_by_space == 1;
  g_autofree char *digits = NULL;
  GString *out = g_string_new (NULL);
  gsize len;

  for (guint e = 0; e < exp; e++)
    scale *= 10;

  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude / scale);
  len = strlen (digits);

  if (money->minor < 0)
    g_string_append_c (out, '-');
  if (with_symbol && before)
    g_string_append_printf (out, "%s%s", symbol, space ? " " : "");
  for (gsize k = 0; k < len; k++)
    {
      if (k > 0 && (len - k) % 3 == 0)
        g_string_append (out, thousands);
      g_string_append_c (out, digits[k]);
    }
  if (exp > 0)
    g_string_append_printf (out, "%s%0*" G_GUINT64_FORMAT, decimal, (int) exp, magnitude % scale);
  if (with_symbol && !before)
    g_string_append_printf (out, "%s%s", space ? " " : "", symbol);

  return g_string_free (out, FALSE);
}

/* For people to read: with the symbol. */
char *
tend_money_format (const TendMoney *money)
{
  return format_money (money, TRUE);
}

/* For an entry to edit: the locale's marks, no symbol; tend_money_parse()
 * reads it back. */
char *
tend_money_format_entry (const TendMoney *money)
{
  return format_money (money, FALSE);
}

/* Accepts "1234", "1234.5", "1,234.56" (and the locale's decimal mark). */
gboolean
tend_money_parse (const char *text,
                  const char *currency,
                  TendMoney  *out,
                  GError    **error)
{
  struct lconv *lc = localeconv ();
  char decimal = *decimal_mark (lc);
  /* The locale's grouping mark, when it is one byte ("." in Spain; glibc's
   * thin spaces are several), besides "," and " "; a group after a mark
   * must have three digits, so "12.5" in Spain is refused rather than
   * read as 125. */
  char thousands = strlen (thousands_mark (lc)) == 1 ? *thousands_mark (lc) : ',';
  guint exp = tend_money_get_exponent (currency);
  gboolean negative = FALSE, seen_decimal = FALSE, seen_digit = FALSE, grouped = FALSE;
  guint decimals = 0, group = 0;
  guint64 value = 0;
  const char *p = text;

  while (*p == ' ')
    p++;
  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (seen_decimal && ++decimals > exp)
            goto invalid;
          if (value > (G_MAXINT64 - 9) / 10)
            goto invalid;
          value = value * 10 + (guint64) (*p - '0');
          seen_digit = TRUE;
          if (!seen_decimal)
            group++;
        }
      else if ((*p == decimal || (*p == '.' && thousands != '.')) && !seen_decimal && exp > 0)
        {
          if (grouped && group != 3)
            goto invalid;
          seen_decimal = TRUE;
        }
      else if ((*p == thousands || *p == ',' || *p == ' ') && *p != decimal && !seen_decimal)
        {
          if (grouped && group != 3)
            goto invalid;
          grouped = TRUE;
          group = 0;
        }
      else
        goto invalid;
    }
  if (!seen_digit || (grouped && !seen_decimal && group != 3))
    goto invalid;
  for (; decimals < exp; decimals++)
    {
      if (value > G_MAXINT64 / 10)
        goto invalid;
      value *= 10;
    }
  *out = tend_money_init (negative ? -(gint64) value : (gint64) value, currency);
  return TRUE;

invalid:
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
               _("“%s” is not an amount of money"), text);
  return FALSE;
}
