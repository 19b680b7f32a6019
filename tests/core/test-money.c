/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-money.c: integer minor units, formatting and parsing in the C locale,
 * and in the US and Spanish locales */
#include "config.h"

#include <locale.h>

#include "tend-core.h"

static void
assert_format (gint64      minor,
               const char *currency,
               const char *expected)
{
  TendMoney m = tend_money_init (minor, currency);
  g_autofree char *text = tend_money_format (&m);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format (void)
{
  assert_format (123456, "USD", "$1,234.56");
  assert_format (0, "USD", "$0.00");
  assert_format (5, "USD", "$0.05");
  assert_format (99, "EUR", "€0.99");
  assert_format (100, "USD", "$1.00");
  assert_format (99999, "USD", "$999.99");
  assert_format (100000, "USD", "$1,000.00");
  assert_format (100000000, "USD", "$1,000,000.00");
  assert_format (-123456, "USD", "-$1,234.56");
  assert_format (-5, "USD", "-$0.05");
  assert_format (1234, "JPY", "¥1,234");
  assert_format (-1234567, "JPY", "-¥1,234,567");
  assert_format (7, "JPY", "¥7");
  assert_format (250000, "GBP", "£2,500.00");
  assert_format (G_MAXINT64, "USD", "$92,233,720,368,547,758.07");
  assert_format (G_MININT64, "USD", "-$92,233,720,368,547,758.08");
}

static void
assert_parses (const char *text,
               const char *currency,
               gint64      expected)
{
  g_autoptr(GError) error = NULL;
  TendMoney m = { 0, "" };

  if (!tend_money_parse (text, currency, &m, &error))
    g_error ("“%s” (%s) did not parse: %s", text, currency, error->message);
  g_assert_no_error (error);
  g_assert_cmpint (m.minor, ==, expected);
  g_assert_cmpstr (m.currency, ==, currency);
}

static void
assert_rejected (const char *text,
                 const char *currency)
{
  g_autoptr(GError) error = NULL;
  TendMoney m = tend_money_init (42, "USD");

  if (tend_money_parse (text, currency, &m, &error))
    g_error ("“%s” (%s) parsed as %" G_GINT64_FORMAT, text, currency, m.minor);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  /* The output is not touched on failure. */
  g_assert_cmpint (m.minor, ==, 42);
}

static void
test_parse (void)
{
  assert_parses ("1,234.5", "USD", 123450);
  assert_parses ("1,234.56", "USD", 123456);
  assert_parses ("1234", "USD", 123400);
  assert_parses ("0.05", "USD", 5);
  assert_parses (".5", "USD", 50);
  assert_parses ("12.", "USD", 1200);
  assert_parses ("-12.34", "USD", -1234);
  assert_parses ("  7", "USD", 700);
  assert_parses ("1,234", "JPY", 1234);
  assert_parses ("0", "EUR", 0);
  assert_parses ("1 000 000", "USD", 100000000);

  assert_rejected ("12.345", "USD");
  assert_rejected ("abc", "USD");
  assert_rejected ("", "USD");
  assert_rejected ("-", "USD");
  assert_rejected (".", "USD");
  assert_rejected ("1.2.3", "USD");
  assert_rejected ("12a", "USD");
  assert_rejected ("$12", "USD");
  assert_rejected ("12.5", "JPY");
  assert_rejected ("1.000,5", "USD");
  assert_rejected ("--5", "USD");
  assert_rejected ("99999999999999999999", "USD");
  assert_rejected ("100000000000000000", "USD");       /* 10^19 cents */
  /* A grouping mark is followed by three digits: "12,5" is not 125. */
  assert_rejected ("12,5", "USD");
  assert_rejected ("1,23", "USD");
  assert_rejected ("1,2345.00", "USD");
  assert_rejected ("9223372036854775808", "JPY");
}

/* What format writes, parse reads back. */
static void
test_format_parse_round_trip (void)
{
  static const gint64 amounts[] = { 0, 1, 99, 100, 123456, -123456, 100000000, 987654321 };

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      TendMoney m = tend_money_init (amounts[i], "USD");
      g_autofree char *text = tend_money_format (&m);
      /* Drop the symbol ("$" after an optional "-"). */
      g_autofree char *bare = amounts[i] < 0 ? g_strconcat ("-", text + 2, NULL) : g_strdup (text + 1);

      assert_parses (bare, "USD", amounts[i]);
    }
}

static void
test_add (void)
{
  TendMoney a = tend_money_init (1050, "USD");
  TendMoney b = tend_money_init (-250, "USD");
  TendMoney eur = tend_money_init (100, "EUR");
  TendMoney big = tend_money_init (G_MAXINT64, "USD");
  TendMoney small = tend_money_init (G_MININT64, "USD");
  TendMoney one = tend_money_init (1, "USD");
  TendMoney minus_one = tend_money_init (-1, "USD");
  TendMoney sum = tend_money_init (-7, "GBP");
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_money_add (&sum, &a, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sum.minor, ==, 800);
  g_assert_cmpstr (sum.currency, ==, "USD");

  sum = tend_money_init (-7, "GBP");
  g_assert_false (tend_money_add (&sum, &a, &eur, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpint (sum.minor, ==, -7);
  g_clear_error (&error);

  g_assert_false (tend_money_add (&sum, &big, &one, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tend_money_add (&sum, &small, &minus_one, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (tend_money_add (&sum, &big, &minus_one, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sum.minor, ==, G_MAXINT64 - 1);
}

static void
test_currencies (void)
{
  TendMoney m = tend_money_init (1, NULL);

  g_assert_cmpstr (m.currency, ==, "USD");
  g_assert_true (tend_money_is_currency ("USD"));
  g_assert_true (tend_money_is_currency ("JPY"));
  g_assert_false (tend_money_is_currency ("XYZ"));
  g_assert_false (tend_money_is_currency ("usd"));
  g_assert_false (tend_money_is_currency (NULL));
  g_assert_cmpuint (tend_money_get_exponent ("USD"), ==, 2);
  g_assert_cmpuint (tend_money_get_exponent ("JPY"), ==, 0);
}

/* Formatted as the locale writes money, and read back: the symbol where the
 * locale puts it, its marks; an ambiguous "12.5" in Spain is refused, not
 * read as 125. */
static void
test_locales (gconstpointer data)
{
  const char *loc = data;
  gboolean spanish = g_str_has_prefix (loc, "es");
  g_autofree char *saved = g_strdup (setlocale (LC_MONETARY, NULL));
  TendMoney m = tend_money_init (123456, "USD");
  g_autofree char *shown = NULL;
  g_autofree char *entry = NULL;

  if (setlocale (LC_MONETARY, loc) == NULL)
    {
      g_test_skip ("the locale is not installed (build-aux/install-deps.sh makes it)");
      return;
    }
  shown = tend_money_format (&m);
  entry = tend_money_format_entry (&m);
  g_assert_cmpstr (shown, ==, spanish ? "1.234,56 $" : "$1,234.56");
  g_assert_cmpstr (entry, ==, spanish ? "1.234,56" : "1,234.56");
  assert_parses (entry, "USD", 123456);
  if (spanish)
    {
      assert_parses ("140,50", "USD", 14050);
      assert_parses ("1234,5", "USD", 123450);
      assert_rejected ("12.5", "USD");
      assert_rejected ("1.234.5", "USD");
    }
  else
    {
      assert_parses ("140.50", "USD", 14050);
      assert_rejected ("140,50", "USD");
    }
  setlocale (LC_MONETARY, saved);
}

int
main (int   argc,
      char *argv[])
{
  /* The expected strings are the C locale's; other locales are the GUI's business. */
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/parse", test_parse);
  g_test_add_func ("/money/format-parse-round-trip", test_format_parse_round_trip);
  g_test_add_func ("/money/add", test_add);
  g_test_add_func ("/money/currencies", test_currencies);
  g_test_add_data_func ("/money/locale/en_US", "en_US.UTF-8", test_locales);
  g_test_add_data_func ("/money/locale/es_ES", "es_ES.UTF-8", test_locales);

  return g_test_run ();
}
