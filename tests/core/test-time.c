/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-time.c: instants in UTC, strict dates, ages, and the practice's zone */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "tend-core.h"

static void
assert_iso (const char *text,
            const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = tend_time_parse_iso8601 (text, &error);
  g_autoptr(GDateTime) again = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (dt);
  out = tend_time_to_iso8601 (dt);
  g_assert_cmpstr (out, ==, expected);

  /* And the output reads back as the same instant. */
  again = tend_time_parse_iso8601 (out, &error);
  g_assert_no_error (error);
  g_assert_true (g_date_time_equal (dt, again));
  out2 = tend_time_to_iso8601 (again);
  g_assert_cmpstr (out2, ==, expected);
}

static void
test_iso8601_round_trip (void)
{
  assert_iso ("2026-03-01T14:30:00Z", "2026-03-01T14:30:00Z");
  assert_iso ("2026-03-01T09:30:00-05:00", "2026-03-01T14:30:00Z");
  assert_iso ("2026-03-02T01:00:00+10:30", "2026-03-01T14:30:00Z");
  assert_iso ("2026-03-01T14:30:00.123456Z", "2026-03-01T14:30:00.123456Z");
  assert_iso ("2026-03-01T14:30:00.5+00:00", "2026-03-01T14:30:00.500000Z");
  assert_iso ("1999-12-31T23:59:59Z", "1999-12-31T23:59:59Z");
}

static void
test_unix_usec_round_trip (void)
{
  static const gint64 values[] = {
    0, 1, 999999, G_GINT64_CONSTANT (1772375400123456), G_GINT64_CONSTANT (1772375400000000),
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GDateTime) dt = tend_time_from_unix_usec (values[i]);

      g_assert_nonnull (dt);
      g_assert_cmpint (tend_time_to_unix_usec (dt), ==, values[i]);
    }
  {
    g_autoptr(GDateTime) dt = tend_time_parse_iso8601 ("2026-03-01T14:30:00.123456Z", NULL);
    g_assert_cmpint (tend_time_to_unix_usec (dt), ==, G_GINT64_CONSTANT (1772375400123456));
  }
}

static void
test_iso8601_rejects (void)
{
  static const char * const bad[] = {
    "2026-03-01T14:30:00",         /* no offset: ambiguous */
    "2026-03-01T14:30:00.123",     /* no offset, long enough to pass a length check */
    "2026-03-01T14:30:00.123456",
    "2026-03-01 14:30:00Z",
    "2026-03-01",
    "2026-02-30T14:30:00Z",
    "2026-03-01T25:30:00Z",
    "yesterday at noon, UTC",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = tend_time_parse_iso8601 (bad[i], &error);

      if (dt != NULL)
        g_error ("“%s” was accepted", bad[i]);
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (tend_time_parse_iso8601 (NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  }
}

static void
test_date_parse_strict (void)
{
  static const char * const good[] = { "2024-02-29", "1990-04-17", "1850-01-01", "2026-12-31" };
  static const char * const bad[] = {
    "2023-02-29", "2023-02-30", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00",
    "2023-1-01", "2023-01-1", "23-01-01", "2023/01/01", "20230101", "2023-01-01x",
    "2023-01-01T00:00:00Z", " 2023-01-01", "2023-+1-01", "2023- 1-01", "2023-01- 1",
    "+023-01-01", "2023-01-+1", "1849-12-31", "abcd-ef-gh", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      GDate date;

      g_assert_true (tend_date_parse (good[i], &date, &error));
      g_assert_no_error (error);
      g_assert_true (g_date_valid (&date));
      back = tend_date_to_string (&date);
      g_assert_cmpstr (back, ==, good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      if (tend_date_parse (bad[i], &date, &error))
        g_error ("“%s” was accepted as a date", bad[i]);
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    }
}

static guint
age_on (const char *birth,
        const char *today)
{
  GDate b, t;

  g_assert_true (tend_date_parse (birth, &b, NULL));
  g_assert_true (tend_date_parse (today, &t, NULL));
  return tend_date_age_on (&b, &t);
}

static void
test_age (void)
{
  g_assert_cmpuint (age_on ("2000-06-15", "2026-06-14"), ==, 25);
  g_assert_cmpuint (age_on ("2000-06-15", "2026-06-15"), ==, 26);
  g_assert_cmpuint (age_on ("2000-06-15", "2026-06-16"), ==, 26);
  g_assert_cmpuint (age_on ("2000-06-15", "2026-05-20"), ==, 25);
  g_assert_cmpuint (age_on ("2000-06-15", "2026-07-01"), ==, 26);
  g_assert_cmpuint (age_on ("2000-12-31", "2001-01-01"), ==, 0);
  g_assert_cmpuint (age_on ("2000-01-01", "2000-12-31"), ==, 0);
  /* A leap-day birthday: not yet on 28 February, done on 1 March. */
  g_assert_cmpuint (age_on ("2004-02-29", "2025-02-28"), ==, 20);
  g_assert_cmpuint (age_on ("2004-02-29", "2025-03-01"), ==, 21);
  g_assert_cmpuint (age_on ("2004-02-29", "2028-02-29"), ==, 24);
  /* A birth after "today" is not a negative age. */
  g_assert_cmpuint (age_on ("2030-01-01", "2026-01-01"), ==, 0);
}

typedef struct
{
  const char *utc;
  int         hour;
  int         minute;
  int         day;
  gint64      offset_hours;
  gboolean    dst;
} LocalCase;

static void
test_new_york_dst (void)
{
  /* 2026: clocks go forward at 02:00 EST on 8 March, back at 02:00 EDT on 1 November. */
  static const LocalCase cases[] = {
    { "2026-03-08T06:59:00Z", 1, 59, 8, -5, FALSE },
    { "2026-03-08T07:00:00Z", 3, 0, 8, -4, TRUE },
    { "2026-03-08T12:00:00Z", 8, 0, 8, -4, TRUE },
    { "2026-03-07T12:00:00Z", 7, 0, 7, -5, FALSE },
    { "2026-11-01T04:59:00Z", 0, 59, 1, -4, TRUE },
    { "2026-11-01T05:30:00Z", 1, 30, 1, -4, TRUE },   /* the first 01:30 */
    { "2026-11-01T06:30:00Z", 1, 30, 1, -5, FALSE },  /* the second 01:30 */
    { "2026-11-01T07:00:00Z", 2, 0, 1, -5, FALSE },
    { "2026-11-02T12:00:00Z", 7, 0, 2, -5, FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = tend_time_zone_new ("America/New_York", &error);

  g_assert_no_error (error);
  g_assert_nonnull (zone);
  g_assert_cmpstr (g_time_zone_get_identifier (zone), ==, "America/New_York");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) utc = tend_time_parse_iso8601 (cases[i].utc, &error);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      local = g_date_time_to_timezone (utc, zone);
      g_test_message ("%s -> %02d:%02d", cases[i].utc,
                      g_date_time_get_hour (local), g_date_time_get_minute (local));
      g_assert_cmpint (g_date_time_get_hour (local), ==, cases[i].hour);
      g_assert_cmpint (g_date_time_get_minute (local), ==, cases[i].minute);
      g_assert_cmpint (g_date_time_get_day_of_month (local), ==, cases[i].day);
      g_assert_cmpint (g_date_time_get_utc_offset (local), ==, cases[i].offset_hours * G_TIME_SPAN_HOUR);
      g_assert_cmpint (g_date_time_is_daylight_savings (local), ==, cases[i].dst);
      /* Still the same instant. */
      g_assert_true (g_date_time_equal (utc, local));

      text = tend_time_format_local (utc, zone);
      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
    }
}

static void
test_time_zone_new (void)
{
  static const char * const bad[] = { "Mars/Olympus", "", "America/Nowhere" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = tend_time_zone_new ("UTC", &error);

  g_assert_no_error (error);
  g_assert_nonnull (utc);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GTimeZone) tz = tend_time_zone_new (bad[i], &error);

      g_assert_null (tz);
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_null (tend_time_zone_new (NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

/* The fast check agrees with GLib's parser and tend_time_to_iso8601 (). */
static void
test_canonical (void)
{
  static const char * const yes[] = {
    "2026-03-01T14:30:00Z", "2024-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
  };
  static const char * const no[] = {
    "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-04-31T10:00:00Z", "2026-03-01T24:00:00Z",
    "2026-03-01T14:60:00Z", "2026-03-01T14:30:60Z", "2026-03-01T14:30:00z", "2026-03-01T14:30:00+00:00",
    "2026-03-01T14:30:00.5Z", "2026-03-01 14:30:00Z", "0000-01-01T00:00:00Z", "2026-03-01T14:30:00Z ",
    "2026-3-01T14:30:00Z", "", "T",
  };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (tend_time_is_canonical (yes[i]));
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (tend_time_is_canonical (no[i]));
  g_assert_false (tend_time_is_canonical (NULL));

  for (guint i = 0; i < 20000; i++)
    {
      gint64 unix_s = (gint64) g_rand_double_range (rand, -2000.0 * 365 * 86400, 7900.0 * 365 * 86400);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_s);
      g_autofree char *text = NULL;
      g_autoptr(GDateTime) again = NULL;

      if (dt == NULL)
        continue;
      text = tend_time_to_iso8601 (dt);
      again = tend_time_parse_iso8601 (text, NULL);
      g_assert_true (tend_time_is_canonical (text) == (again != NULL && strlen (text) == 20));
    }
  g_rand_free (rand);
}

/* A date as a person types it: the locale's order with a four-digit year,
 * read back as itself; ISO always works; two-digit years are refused. */
static void
test_date_local (gconstpointer data)
{
  static const char * const bad[] = { "3/14/87", "14/03/26", "31/31/2026", "2026-02-30", "tomorrow", "", "1/1/1849" };
  const char *loc = data;
  gboolean spanish = g_str_has_prefix (loc, "es");
  g_autofree char *saved = g_strdup (setlocale (LC_TIME, NULL));
  GDate d, back;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (setlocale (LC_TIME, loc) == NULL)
    {
      /* build-aux/install-deps.sh makes both; say so rather than pass. */
      g_test_skip ("the locale is not installed (build-aux/install-deps.sh makes it)");
      return;
    }
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 4, G_DATE_MARCH, 1926);
  text = tend_date_format_entry (&d);
  g_assert_cmpstr (text, ==, spanish ? "04/03/1926" : "03/04/1926");
  g_assert_true (tend_date_parse_local (text, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_compare (&d, &back), ==, 0);

  /* The day first in Spain, the month first in the US. */
  g_assert_false (tend_date_parse_local (spanish ? "3/14/1987" : " 14/3/1987 ", &back, &error));
  g_clear_error (&error);
  g_assert_true (tend_date_parse_local (spanish ? " 14/3/1987 " : "3/14/1987", &back, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_get_day (&back), ==, 14);
  g_assert_cmpint (g_date_get_month (&back), ==, 3);

  g_assert_true (tend_date_parse_local ("2026-12-07", &back, &error));
  g_assert_cmpint (g_date_get_year (&back), ==, 2026);
  g_assert_cmpint (g_date_get_day (&back), ==, 7);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local = NULL;

      if (tend_date_parse_local (bad[i], &back, &local))
        g_error ("“%s” was accepted as a date in %s", bad[i], loc);
      g_assert_error (local, TEND_ERROR, TEND_ERROR_INVALID);
    }
  setlocale (LC_TIME, saved);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time/canonical", test_canonical);

  g_test_add_func ("/time/iso8601/round-trip", test_iso8601_round_trip);
  g_test_add_func ("/time/iso8601/rejects", test_iso8601_rejects);
  g_test_add_func ("/time/unix-usec", test_unix_usec_round_trip);
  g_test_add_func ("/time/date/strict", test_date_parse_strict);
  g_test_add_func ("/time/age", test_age);
  g_test_add_data_func ("/time/date/local/en_US", "en_US.UTF-8", test_date_local);
  g_test_add_data_func ("/time/date/local/es_ES", "es_ES.UTF-8", test_date_local);
  g_test_add_func ("/time/zone/new-york-dst", test_new_york_dst);
  g_test_add_func ("/time/zone/new", test_time_zone_new);

  return g_test_run ();
}
