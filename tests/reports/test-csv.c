/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv.c: report tables as CSV */
#include "config.h"

#include "tend-csv.h"

static void
test_csv (void)
{
  const char *headers[] = { "Client", "Owes", "Date" };
  const TendColumnKind kinds[] = { TEND_COLUMN_TEXT, TEND_COLUMN_MONEY, TEND_COLUMN_DATE };
  g_autoptr(TendTable) t = tend_table_new ("Test", "USD", 3, headers, kinds);
  g_autoptr(TendTable) jpy = tend_table_new ("Test", "JPY", 3, headers, kinds);
  g_autofree char *csv = NULL;
  g_autofree char *yen = NULL;
  char **row;

  row = tend_table_add_row (t);
  tend_table_set (t, row, 0, "Lee, Cara");
  tend_table_set_money (t, row, 1, 123456);
  tend_table_set (t, row, 2, "2026-04-01");
  row = tend_table_add_row (t);
  tend_table_set (t, row, 0, "Ann \"Annie\" Smith");
  tend_table_set_money (t, row, 1, -5);
  row = tend_table_add_row (t);
  tend_table_set (t, row, 0, "=HYPERLINK(\"x\")");
  tend_table_set_money (t, row, 1, 0);
  csv = tend_csv_from_table (t);
  g_assert_cmpstr (csv, ==,
                   "Client,Owes,Date\r\n"
                   "\"Lee, Cara\",1234.56,2026-04-01\r\n"
                   "\"Ann \"\"Annie\"\" Smith\",-0.05,\r\n"
                   "\"'=HYPERLINK(\"\"x\"\")\",0.00,\r\n");

  row = tend_table_add_row (jpy);
  tend_table_set_money (jpy, row, 1, 1200);
  yen = tend_csv_from_table (jpy);
  g_assert_cmpstr (yen, ==, "Client,Owes,Date\r\n,1200,\r\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/table", test_csv);
  return g_test_run ();
}
