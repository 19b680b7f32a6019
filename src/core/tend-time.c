/* tend-time.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>

#include "tend-error.h"
#include "tend-time.h"

GDateTime *
tend_time_now (void)
{
  return g_date_time_new_now_utc ();
}

/* Always UTC with a Z, microseconds only when present: stable text for hashing. */
char *
tend_time_to_iso8601 (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (dt != NULL, NULL);

  utc = g_date_time_to_utc (dt);
  if (g_date_time_get_microsecond (utc) != 0)
    return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * tend_time_is_canonical:
 *
 * Whether @text is already the form tend_time_to_iso8601() writes for a
 * whole second ("2026-03-01T14:30:00Z") and names a real instant.  Checked
 * by hand: every record load checks its date-times, and parsing them into a
 * GDateTime (twice) was most of an appointment's load.
 */
gboolean
tend_time_is_canonical (const char *text)
{
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  int year, month, day, hour, minute, second;

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < sizeof shape - 1; i++)
    {
      if (shape[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != shape[i])
        return FALSE;
    }
  if (text[sizeof shape - 1] != '\0')
    return FALSE;
#define NUM2(p) ((text[p] - '0') * 10 + (text[(p) + 1] - '0'))
  year = NUM2 (0) * 100 + NUM2 (2);
  month = NUM2 (5);
  day = NUM2 (8);
  hour = NUM2 (11);
  minute = NUM2 (14);
  second = NUM2 (17);
#undef NUM2
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 &&
         g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) &&
         hour <= 23 && minute <= 59 && second <= 59;
}

GDateTime *
tend_time_parse_iso8601 (const char *text,
                         GError    **error)
{
  GDateTime *dt = NULL;

  /* A time without an offset is ambiguous: refuse it rather than guess. */
  if (text != NULL && strlen (text) >= 20 && text[10] == 'T')
    dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("“%s” is not a date and time with a time zone (like 2026-03-01T14:30:00Z)"),
                   text != NULL ? text : "");
      return NULL;
    }
  return dt;
}

gint64
tend_time_to_unix_usec (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

GDateTime *
tend_time_from_unix_usec (gint64 usec)
{
  g_autoptr(GDateTime) base = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (base == NULL)
    return NULL;
  return g_date_time_add (base, usec % G_USEC_PER_SEC);
}

/* Exactly DDDD-DD-DD: sscanf() alone also takes "2023-+1-01" and "2023- 1-01". */
static gboolean
is_date_shaped (const char *text)
{
  if (strlen (text) != 10)
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
tend_date_parse (const char *text,
                 GDate      *date,
                 GError    **error)
{
  guint y, m, d;
  char tail;

  if (text == NULL || !is_date_shaped (text) ||
      sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y) || y < 1850)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("“%s” is not a real date (expected YYYY-MM-DD)"), text != NULL ? text : "");
      return FALSE;
    }
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

char *
tend_date_to_string (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

GTimeZone *
tend_time_zone_new (const char *identifier,
                    GError    **error)
{
  GTimeZone *tz = NULL;

  if (identifier != NULL && *identifier != '\0')
    tz = g_time_zone_new_identifier (identifier);
  if (tz == NULL)
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                 _("“%s” is not a known time zone"), identifier != NULL ? identifier : "");
  return tz;
}

char *
tend_time_format_local (GDateTime *utc,
                        GTimeZone *zone)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  g_autofree char *date = tend_time_format_date (local);
  g_autofree char *time = g_date_time_format (local, "%X");

  /* The locale's date with the whole year, and its time. */
  return g_strdup_printf ("%s %s", date, time);
}

/**
 * tend_time_format_date:
 * @local: an instant in the zone it is to be shown in
 *
 * Returns: its day as tend_date_format_entry() writes it: the locale's
 *   numeric date with all four digits of the year
 */
char *
tend_time_format_date (GDateTime *local)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (local), (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  return tend_date_format_entry (&d);
}

/**
 * tend_time_format_date_time:
 * @local: an instant in the zone it is to be shown in
 *
 * Returns: its day (tend_time_format_date()) and its time, hours and
 *   minutes: "03/14/2027 09:30"
 */
char *
tend_time_format_date_time (GDateTime *local)
{
  g_autofree char *date = tend_time_format_date (local);
  g_autofree char *time = g_date_time_format (local, "%H:%M");

  return g_strdup_printf ("%s %s", date, time);
}

/* A day for people to read: the locale's numeric date with all four
 * digits of the year, the same as in entries. */
char *
tend_date_format_local (const GDate *date)
{
  return tend_date_format_entry (date);
}

/* The locale's numeric date ("%m/%d/%y" in the US, "%d/%m/%y" in Spain)
 * with a four-digit year: a birth date in 1926 or 2026 must read back as
 * itself. */
static char *
entry_format (void)
{
  const char *fmt = nl_langinfo (D_FMT);
  GString *out = g_string_new (NULL);

  if (fmt == NULL || *fmt == '\0' || strstr (fmt, "%d") == NULL)
    fmt = "%Y-%m-%d";
  for (const char *p = fmt; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 'y')
        {
          g_string_append (out, "%Y");
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_date_format_entry:
 *
 * Returns: @date as a person types it in this locale, with all four digits
 *   of the year ("03/14/1987"), for entries that tend_date_parse_local()
 *   reads back
 */
char *
tend_date_format_entry (const GDate *date)
{
  g_autofree char *fmt = entry_format ();
  char buf[128];

  if (g_date_strftime (buf, sizeof buf, fmt, date) == 0)
    return tend_date_to_string (date);
  return g_strdup (buf);
}

/**
 * tend_date_parse_local:
 *
 * Reads a date typed by a person: YYYY-MM-DD, or the locale's own form
 * ("3/14/1987" in the US, "14/03/1987" in Spain).  A two-digit year is
 * refused: for a birth date it cannot be told apart from a century later.
 */
gboolean
tend_date_parse_local (const char *text,
                       GDate      *date,
                       GError    **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint digits = 0, longest = 0;

  if (is_date_shaped (trimmed) && tend_date_parse (trimmed, date, NULL))
    return TRUE;
  /* The year is the only run of more than two digits. */
  for (const char *p = trimmed; ; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else
        {
          longest = MAX (longest, digits);
          digits = 0;
        }
      if (*p == '\0')
        break;
    }
  g_date_clear (date, 1);
  if (longest == 4 && !is_date_shaped (trimmed))
    g_date_set_parse (date, trimmed);
  if (longest != 4 || !g_date_valid (date) || g_date_get_year (date) < 1850)
    {
      GDate example;
      g_autofree char *shown = NULL;

      g_date_clear (&example, 1);
      g_date_set_dmy (&example, 14, G_DATE_MARCH, 1987);
      shown = tend_date_format_entry (&example);
      /* TRANSLATORS: "“31/31/2026” is not a date: type it like 03/14/1987" */
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("“%s” is not a date: type it like %s"), trimmed, shown);
      return FALSE;
    }
  return TRUE;
}

guint
tend_date_age_on (const GDate *birth,
                  const GDate *today)
{
  gint years = (gint) g_date_get_year (today) - (gint) g_date_get_year (birth);

  if (g_date_get_month (today) < g_date_get_month (birth) ||
      (g_date_get_month (today) == g_date_get_month (birth) &&
       g_date_get_day (today) < g_date_get_day (birth)))
    years--;
  return years < 0 ? 0 : (guint) years;
}
