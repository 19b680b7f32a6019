/* test-scheduling.c: appointments, series and the waitlist in the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "tend-core.h"

#define CLINICIAN "7d1b2c4e-5f60-4a8b-9c0d-1e2f3a4b5c6d"
#define OTHER_CLINICIAN "0a1b2c3d-4e5f-4061-8273-8495a6b7c8d9"
#define CLIENT "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b"
#define OTHER_CLIENT "9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b"
#define SERIES_ID "5e6f7081-92a3-4b4c-8d5e-6f708192a3b4"
#define CHICAGO "America/Chicago"

static GTimeZone *
chicago (void)
{
  GTimeZone *zone = g_time_zone_new_identifier (CHICAGO);

  g_assert_nonnull (zone);
  return zone;
}

/* A wall time in Chicago, as a UTC date-time. */
static GDateTime *
local_time (int year,
            int month,
            int day,
            int hour,
            int minute)
{
  g_autoptr(GTimeZone) zone = chicago ();
  g_autoptr(GDateTime) local = g_date_time_new (zone, year, month, day, hour, minute, 0);

  return g_date_time_to_utc (local);
}

static GDateTime *
utc_time (int year,
          int month,
          int day,
          int hour,
          int minute)
{
  return g_date_time_new_utc (year, month, day, hour, minute, 0);
}

static char *
iso (GDateTime *dt)
{
  return tend_time_to_iso8601 (dt);
}

static TendAppointment *
session (GDateTime *start,
         int        minutes)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  TendAppointment *a = tend_appointment_new (CLINICIAN, start, end);

  tend_record_set_string (TEND_RECORD (a), "client_id", CLIENT);
  return a;
}

/* Status transitions */

/* What the practice's workflow allows, written out rather than derived:
 * rows are "from", columns "to", in TendAppointmentStatus order. */
static const gboolean allowed[TEND_N_APPOINTMENT_STATUSES][TEND_N_APPOINTMENT_STATUSES] = {
  /*                 sched  conf   arr    compl  noshow canc   late */
  /* scheduled */  { FALSE, TRUE,  TRUE,  FALSE, TRUE,  TRUE,  TRUE  },
  /* confirmed */  { TRUE,  FALSE, TRUE,  FALSE, TRUE,  TRUE,  TRUE  },
  /* arrived */    { TRUE,  TRUE,  FALSE, TRUE,  FALSE, FALSE, FALSE },
  /* completed */  { FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
  /* no_show */    { TRUE,  FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
  /* cancelled */  { TRUE,  FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
  /* late_canc. */ { TRUE,  FALSE, FALSE, FALSE, FALSE, FALSE, FALSE },
};

static gboolean
is_cancel (TendAppointmentStatus s)
{
  return s == TEND_APPOINTMENT_CANCELLED || s == TEND_APPOINTMENT_LATE_CANCELLED;
}

static void
test_status_matrix (void)
{
  g_autoptr(GDateTime) start = utc_time (2026, 3, 2, 15, 0);
  g_autoptr(GDateTime) now = utc_time (2026, 3, 2, 14, 55);

  for (guint from = 0; from < TEND_N_APPOINTMENT_STATUSES; from++)
    for (guint to = 0; to < TEND_N_APPOINTMENT_STATUSES; to++)
      {
        g_autoptr(TendAppointment) a = session (start, 50);
        g_autoptr(GError) error = NULL;
        gboolean ok;

        tend_record_set_string (TEND_RECORD (a), "status", tend_appointment_status_to_string (from));
        if (is_cancel (from))
          tend_record_set_string (TEND_RECORD (a), "cancel_reason", "Illness");
        g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));

        g_assert_cmpint (tend_appointment_status_can_change (from, to), ==, allowed[from][to]);
        ok = tend_appointment_set_status (a, to, is_cancel (to) ? "Client is ill" : NULL, now, &error);
        g_assert_cmpint (ok, ==, allowed[from][to]);
        if (ok)
          {
            g_assert_no_error (error);
            g_assert_cmpint (tend_appointment_get_status (a), ==, to);
            /* Whatever the move, the result is a valid record. */
            g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
          }
        else
          {
            /* "An appointment that is “Completed” cannot become “Scheduled”" */
            g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
            g_assert_nonnull (strstr (error->message, tend_appointment_status_get_label (from)));
            g_assert_nonnull (strstr (error->message, tend_appointment_status_get_label (to)));
            g_assert_cmpint (tend_appointment_get_status (a), ==, from);
          }
      }
}

static void
test_status_cancel_reason (void)
{
  g_autoptr(GDateTime) start = utc_time (2026, 3, 2, 15, 0);
  g_autoptr(GDateTime) now = utc_time (2026, 3, 1, 10, 0);
  g_autoptr(TendAppointment) a = session (start, 50);
  g_autoptr(GError) error = NULL;
  g_autofree char *now_iso = iso (now);

  g_assert_false (tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, NULL, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "reason"));
  g_clear_error (&error);
  g_assert_false (tend_appointment_set_status (a, TEND_APPOINTMENT_LATE_CANCELLED, "", now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_SCHEDULED);

  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, "Car broke down", now, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "cancel_reason"), ==, "Car broke down");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "status_changed_at"), ==, now_iso);
  g_assert_false (tend_appointment_is_active (a));

  /* Undoing the cancellation clears the reason. */
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_SCHEDULED, NULL, now, &error));
  g_assert_null (tend_record_get_string (TEND_RECORD (a), "cancel_reason"));
  g_assert_true (tend_appointment_is_active (a));

  /* A cancelled status in a body without a reason does not validate. */
  tend_record_set_string (TEND_RECORD (a), "status", "cancelled");
  g_assert_false (tend_record_validate (TEND_RECORD (a), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

static void
test_status_check_in (void)
{
  g_autoptr(GDateTime) start = utc_time (2026, 3, 2, 15, 0);
  g_autoptr(GDateTime) arrival = utc_time (2026, 3, 2, 14, 52);
  g_autoptr(GDateTime) done = utc_time (2026, 3, 2, 15, 50);
  g_autoptr(TendAppointment) a = session (start, 50);
  g_autofree char *arrival_iso = iso (arrival);
  g_autofree char *done_iso = iso (done);

  g_assert_null (tend_record_get_string (TEND_RECORD (a), "checked_in_at"));
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_ARRIVED, NULL, arrival, NULL));
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "checked_in_at"), ==, arrival_iso);
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_COMPLETED, NULL, done, NULL));
  /* Completing keeps the check-in time. */
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "checked_in_at"), ==, arrival_iso);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "status_changed_at"), ==, done_iso);

  /* Undoing a check-in clears it. */
  {
    g_autoptr(TendAppointment) b = session (start, 50);

    g_assert_true (tend_appointment_set_status (b, TEND_APPOINTMENT_ARRIVED, NULL, arrival, NULL));
    g_assert_true (tend_appointment_set_status (b, TEND_APPOINTMENT_SCHEDULED, NULL, arrival, NULL));
    g_assert_null (tend_record_get_string (TEND_RECORD (b), "checked_in_at"));
  }
}

static void
test_status_blocked (void)
{
  g_autoptr(GDateTime) start = utc_time (2026, 3, 4, 18, 0);
  g_autoptr(GDateTime) end = utc_time (2026, 3, 4, 19, 0);
  g_autoptr(TendAppointment) a = tend_appointment_new (CLINICIAN, start, end);
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (a), "kind", "blocked");
  tend_record_set_string (TEND_RECORD (a), "title", "Staff meeting");
  g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  g_assert_false (tend_appointment_set_status (a, TEND_APPOINTMENT_ARRIVED, NULL, start, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, "Holiday", start, NULL));
}

/* Validation */

static void
assert_invalid (TendAppointment *a,
                const char      *words)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tend_record_validate (TEND_RECORD (a), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  if (strstr (error->message, words) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, words);
}

static void
test_validation (void)
{
  g_autoptr(GDateTime) start = utc_time (2026, 3, 2, 15, 0);
  g_autoptr(GDateTime) before = utc_time (2026, 3, 2, 14, 0);
  g_autoptr(GDateTime) day_later = g_date_time_add_hours (start, 24);
  g_autoptr(GDateTime) too_late = g_date_time_add_minutes (day_later, 1);

  {
    g_autoptr(TendAppointment) a = session (start, 50);

    g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
    tend_appointment_set_times (a, start, before);
    assert_invalid (a, "after the start");
    tend_appointment_set_times (a, start, start);
    assert_invalid (a, "after the start");
    tend_appointment_set_times (a, start, too_late);
    assert_invalid (a, "more than a day");
    tend_appointment_set_times (a, start, day_later);
    g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  }
  {
    g_autoptr(TendAppointment) a = session (start, 50);

    tend_record_set_string (TEND_RECORD (a), "client_id", NULL);
    assert_invalid (a, "needs a client");
    /* Blocked time has no client. */
    tend_record_set_string (TEND_RECORD (a), "kind", "blocked");
    g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  }
  {
    g_autoptr(TendAppointment) a = session (start, 50);

    tend_record_set_int (TEND_RECORD (a), "override.conflict", TRUE);
    assert_invalid (a, "who overrode it and why");
    tend_record_set_string (TEND_RECORD (a), "override.by", OTHER_CLINICIAN);
    assert_invalid (a, "who overrode it and why");
    tend_record_set_string (TEND_RECORD (a), "override.by", NULL);
    tend_record_set_string (TEND_RECORD (a), "override.reason", "Crisis session");
    assert_invalid (a, "who overrode it and why");
    tend_record_set_string (TEND_RECORD (a), "override.by", OTHER_CLINICIAN);
    g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  }
  {
    g_autoptr(TendAppointment) a = session (start, 50);
    g_autofree char *start_iso = iso (start);

    tend_record_set_string (TEND_RECORD (a), "series_id", SERIES_ID);
    assert_invalid (a, "original start");
    tend_record_set_string (TEND_RECORD (a), "occurrence_start", start_iso);
    g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  }
}

/* Occurrences */

static void
test_occurrence_id (void)
{
  g_autoptr(GDateTime) a = utc_time (2026, 3, 2, 15, 0);
  g_autoptr(GDateTime) a_again = g_date_time_new_from_iso8601 ("2026-03-02T09:00:00-06:00", NULL);
  g_autoptr(GDateTime) b = utc_time (2026, 3, 9, 14, 0);
  g_autofree char *id_a = tend_appointment_occurrence_id (SERIES_ID, a);
  g_autofree char *id_a2 = tend_appointment_occurrence_id (SERIES_ID, a_again);
  g_autofree char *id_b = tend_appointment_occurrence_id (SERIES_ID, b);
  g_autofree char *id_other = tend_appointment_occurrence_id (OTHER_CLIENT, a);

  g_assert_true (g_uuid_string_is_valid (id_a));
  g_assert_cmpint (id_a[14], ==, '5');  /* a name-based UUID */
  g_assert_true (strchr ("89ab", id_a[19]) != NULL);
  /* The same instant, however it is written, names the same occurrence. */
  g_assert_cmpstr (id_a, ==, id_a2);
  g_assert_cmpstr (id_a, !=, id_b);
  g_assert_cmpstr (id_a, !=, id_other);
  /* Stable across versions: other computers derive the same ids. */
  g_assert_cmpstr (id_a, ==, "c33683ec-c991-5447-be2f-29fdba2c280b");

  {
    g_autoptr(TendSeries) series = tend_series_new (CLINICIAN, a, 50, CHICAGO, "FREQ=WEEKLY");
    g_autoptr(TendAppointment) occ = NULL;
    g_autoptr(GDateTime) end = NULL;
    g_autofree char *start_iso = iso (b);

    tend_record_set_id (TEND_RECORD (series), SERIES_ID);
    tend_record_set_string (TEND_RECORD (series), "client_id", CLIENT);
    tend_record_set_string (TEND_RECORD (series), "service_code", "90834");
    tend_record_set_string (TEND_RECORD (series), "modality", "telehealth");
    occ = tend_series_make_occurrence (series, b);
    g_assert_cmpstr (tend_record_get_id (TEND_RECORD (occ)), ==, id_b);
    g_assert_cmpstr (tend_appointment_get_series_id (occ), ==, SERIES_ID);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (occ), "occurrence_start"), ==, start_iso);
    g_assert_cmpstr (tend_appointment_get_client_id (occ), ==, CLIENT);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (occ), "service_code"), ==, "90834");
    g_assert_cmpint (tend_appointment_get_modality (occ), ==, TEND_MODALITY_TELEHEALTH);
    end = tend_appointment_dup_end (occ);
    g_assert_cmpint (g_date_time_difference (end, b), ==, 50 * G_TIME_SPAN_MINUTE);
    g_assert_true (tend_record_validate (TEND_RECORD (occ), NULL));
  }
}

/* Series and appointments made now have version 8 ids, and what is derived
 * from them begins with their first 48 bits; ids of every other version
 * (the rows made before, on any computer) derive as they always did.  The
 * expected ids are written out: every computer must derive these. */
static void
test_occurrence_id_ordered (void)
{
  static const char v7_series[] = "0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b";
  static const char v8_series[] = "0190a1b2-c3d4-8e5f-8a6b-7c8d9e0f1a2b";
  static const char * const legacy_charges[] = {
    "ddc81167-7f00-58b3-815e-916852291b52", "3c9c7245-2c7f-53b1-acd2-dc545ca39d92",
    "ccc1c320-ff4b-5bb7-bfe0-07f117587918",
  };
  static const char * const ordered_charges[] = {
    "0190a1b2-c3d4-8e08-b130-6bbf5a4427f5", "0190a1b2-c3d4-8ebf-9c4d-a01f58290f30",
    "0190a1b2-c3d4-8c64-912a-86ad25beca38",
  };
  g_autoptr(GDateTime) a = utc_time (2026, 3, 2, 15, 0);
  g_autoptr(GDateTime) b = utc_time (2026, 3, 9, 14, 0);
  g_autofree char *legacy = tend_appointment_occurrence_id (v7_series, a);
  g_autofree char *ordered_a = tend_appointment_occurrence_id (v8_series, a);
  g_autofree char *ordered_b = tend_appointment_occurrence_id (v8_series, b);
  g_autofree char *v4_a = tend_appointment_occurrence_id (SERIES_ID, a);

  /* Version 4, 5 and 7 owners: the name-based ids, unchanged. */
  g_assert_false (tend_uuid_orders_derived (SERIES_ID));
  g_assert_false (tend_uuid_orders_derived (v7_series));
  g_assert_false (tend_uuid_orders_derived (legacy));
  g_assert_cmpstr (v4_a, ==, "c33683ec-c991-5447-be2f-29fdba2c280b");
  g_assert_cmpstr (legacy, ==, "70d7ff5c-a4b2-5470-b14b-24d90e0e5f11");
  for (guint k = 0; k < G_N_ELEMENTS (legacy_charges); k++)
    {
      g_autofree char *charge = tend_charge_id_for (v7_series, (TendChargeKind) k);

      g_assert_cmpstr (charge, ==, legacy_charges[k]);
    }

  /* A version 8 series: its 48 bits, version 8, the variant, the hash. */
  g_assert_true (tend_uuid_orders_derived (v8_series));
  g_assert_true (g_uuid_string_is_valid (ordered_a));
  g_assert_cmpstr (ordered_a, ==, "0190a1b2-c3d4-8e8c-957d-386fabc43d6d");
  g_assert_cmpstr (ordered_b, ==, "0190a1b2-c3d4-895c-959c-eae603b833f8");
  g_assert_true (strchr ("89ab", ordered_a[19]) != NULL);
  /* An occurrence of it is itself version 8: its charges follow it. */
  g_assert_true (tend_uuid_orders_derived (ordered_a));
  for (guint k = 0; k < G_N_ELEMENTS (ordered_charges); k++)
    {
      g_autofree char *charge = tend_charge_id_for (ordered_a, (TendChargeKind) k);

      g_assert_cmpstr (charge, ==, ordered_charges[k]);
      g_assert_true (g_uuid_string_is_valid (charge));
    }

  /* New series and appointments get version 8 ids, in the order made;
   * other records version 7. */
  {
    g_autoptr(TendSeries) s1 = tend_series_new (CLINICIAN, a, 50, CHICAGO, "FREQ=WEEKLY");
    g_autoptr(TendSeries) s2 = tend_series_new (CLINICIAN, a, 50, CHICAGO, "FREQ=WEEKLY");
    g_autoptr(TendAppointment) one = tend_appointment_new (CLINICIAN, a, b);
    g_autoptr(TendRecord) waitlist = tend_record_new (TEND_TYPE_WAITLIST_ENTRY);
    const char *id1 = tend_record_get_id (TEND_RECORD (s1));
    const char *id2 = tend_record_get_id (TEND_RECORD (s2));
    g_autoptr(TendAppointment) occ = tend_series_make_occurrence (s2, b);
    g_autofree char *occ_id = g_strdup (tend_record_get_id (TEND_RECORD (occ)));

    g_assert_true (tend_uuid_orders_derived (id1));
    g_assert_true (tend_uuid_orders_derived (tend_record_get_id (TEND_RECORD (one))));
    g_assert_false (tend_uuid_orders_derived (tend_record_get_id (waitlist)));
    g_assert_cmpint (tend_record_get_id (waitlist)[14], ==, '7');
    g_assert_cmpint (strcmp (id1, id2), <, 0);
    g_assert_cmpint (strncmp (occ_id, id2, 13), ==, 0);
    g_assert_cmpint (occ_id[14], ==, '8');
  }
}

static void
test_rrule_validation (void)
{
  static const char * const good[] = {
    "FREQ=WEEKLY;INTERVAL=2;COUNT=10",
    "FREQ=MONTHLY;BYDAY=2TU",
    "FREQ=WEEKLY;UNTIL=20270101T000000Z",
    "FREQ=WEEKLY",
    "FREQ=DAILY;COUNT=5",
    "FREQ=WEEKLY;BYDAY=MO,WE",
    NULL
  };
  static const char * const bad[] = {
    "", "FREQ=SECONDLY", "nonsense", "RRULE:FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=0",
    "FREQ=YEARLY", "INTERVAL=2", NULL
  };

  for (guint i = 0; good[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!tend_rrule_is_valid (good[i], &error))
        g_error ("“%s” refused: %s", good[i], error->message);
    }
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (tend_rrule_is_valid (bad[i], &error))
        g_error ("“%s” accepted", bad[i]);
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "Repeats:"));
    }
  g_assert_false (tend_rrule_is_valid (NULL, NULL));
}

/* Recurrence */

static TendSeries *
series_at (GDateTime  *first,
           const char *rule)
{
  TendSeries *series = tend_series_new (CLINICIAN, first, 50, CHICAGO, rule);

  tend_record_set_id (TEND_RECORD (series), SERIES_ID);
  tend_record_set_string (TEND_RECORD (series), "client_id", CLIENT);
  return series;
}

static GPtrArray *
expand (TendSeries *series,
        GDateTime  *from,
        GDateTime  *to)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *out = tend_series_expand (series, from, to, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_utc (GDateTime  *dt,
            const char *expected)
{
  g_autofree char *text = iso (dt);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_weekly_across_dst (void)
{
  g_autoptr(GTimeZone) zone = chicago ();
  g_autoptr(GDateTime) first = local_time (2026, 2, 23, 9, 0);
  g_autoptr(GDateTime) to = utc_time (2027, 1, 1, 0, 0);
  g_autoptr(TendSeries) series = series_at (first, "FREQ=WEEKLY");
  g_autoptr(GPtrArray) all = expand (series, first, to);

  assert_utc (first, "2026-02-23T15:00:00Z");
  /* Every Monday from Feb 23 to Dec 28 2026. */
  g_assert_cmpuint (all->len, ==, 45);
  for (guint i = 0; i < all->len; i++)
    {
      GDateTime *start = g_ptr_array_index (all, i);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);
      gint64 month_day = g_date_time_get_month (local) * 100 + g_date_time_get_day_of_month (local);

      /* 09:00 on a Monday in Chicago, always... */
      g_assert_cmpint (g_date_time_get_day_of_week (local), ==, 1);
      g_assert_cmpint (g_date_time_get_hour (local), ==, 9);
      g_assert_cmpint (g_date_time_get_minute (local), ==, 0);
      /* ...which is 15:00Z in CST and 14:00Z in CDT (Mar 8 to Nov 1). */
      g_assert_cmpint (g_date_time_get_hour (start), ==, month_day < 308 || month_day > 1101 ? 15 : 14);
      if (i > 0)
        {
          g_autoptr(GDateTime) prev_local = g_date_time_to_timezone (g_ptr_array_index (all, i - 1), zone);

          g_assert_cmpint (g_date_time_get_day_of_year (local) - g_date_time_get_day_of_year (prev_local), ==, 7);
        }
    }
  assert_utc (g_ptr_array_index (all, 0), "2026-02-23T15:00:00Z");
  assert_utc (g_ptr_array_index (all, 1), "2026-03-02T15:00:00Z");
  assert_utc (g_ptr_array_index (all, 2), "2026-03-09T14:00:00Z");
  assert_utc (g_ptr_array_index (all, 35), "2026-10-26T14:00:00Z");
  assert_utc (g_ptr_array_index (all, 36), "2026-11-02T15:00:00Z");

  /* A window: [from, to), from a later start. */
  {
    g_autoptr(GDateTime) from = utc_time (2026, 3, 9, 14, 0);
    g_autoptr(GDateTime) until = utc_time (2026, 3, 23, 14, 0);
    g_autoptr(GPtrArray) some = expand (series, from, until);

    g_assert_cmpuint (some->len, ==, 2);
    assert_utc (g_ptr_array_index (some, 0), "2026-03-09T14:00:00Z");
    assert_utc (g_ptr_array_index (some, 1), "2026-03-16T14:00:00Z");
  }
}

static void
test_sunday_fall_back (void)
{
  /* Sunday 01:30 in Chicago: on Nov 1 2026 clocks go back at 02:00, so
   * 01:30 happens twice; RFC 5545 (3.3.5) means the first (CDT). */
  g_autoptr(GDateTime) first = utc_time (2026, 10, 18, 6, 30);
  g_autoptr(GDateTime) to = utc_time (2026, 11, 30, 0, 0);
  g_autoptr(TendSeries) series = series_at (first, "FREQ=WEEKLY");
  g_autoptr(GPtrArray) all = expand (series, first, to);
  static const char * const expected[] = {
    "2026-10-18T06:30:00Z", "2026-10-25T06:30:00Z", "2026-11-01T06:30:00Z",
    "2026-11-08T07:30:00Z", "2026-11-15T07:30:00Z", "2026-11-22T07:30:00Z", "2026-11-29T07:30:00Z",
  };

  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < all->len; i++)
    assert_utc (g_ptr_array_index (all, i), expected[i]);

  /* 02:30 does not exist on Mar 8 2026: read with the offset before the
   * gap (CST), which is 03:30 CDT. */
  {
    g_autoptr(GDateTime) spring = utc_time (2026, 3, 1, 8, 30);
    g_autoptr(GDateTime) spring_to = utc_time (2026, 3, 20, 0, 0);
    g_autoptr(TendSeries) s2 = series_at (spring, "FREQ=WEEKLY");
    g_autoptr(GPtrArray) sundays = expand (s2, spring, spring_to);

    g_assert_cmpuint (sundays->len, ==, 3);
    assert_utc (g_ptr_array_index (sundays, 0), "2026-03-01T08:30:00Z");
    assert_utc (g_ptr_array_index (sundays, 1), "2026-03-08T08:30:00Z");
    assert_utc (g_ptr_array_index (sundays, 2), "2026-03-15T07:30:00Z");
  }
}

static void
test_monthly_second_tuesday (void)
{
  g_autoptr(GTimeZone) zone = chicago ();
  g_autoptr(GDateTime) first = local_time (2026, 1, 13, 17, 30);
  g_autoptr(GDateTime) to = local_time (2026, 7, 1, 0, 0);
  g_autoptr(TendSeries) series = series_at (first, "FREQ=MONTHLY;BYDAY=2TU");
  g_autoptr(GPtrArray) all = expand (series, first, to);
  static const int days[] = { 13, 10, 10, 14, 12, 9 };

  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (days));
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (g_ptr_array_index (all, i), zone);

      g_assert_cmpint (g_date_time_get_month (local), ==, (int) i + 1);
      g_assert_cmpint (g_date_time_get_day_of_month (local), ==, days[i]);
      g_assert_cmpint (g_date_time_get_day_of_week (local), ==, 2);
      g_assert_cmpint (g_date_time_get_hour (local), ==, 17);
      g_assert_cmpint (g_date_time_get_minute (local), ==, 30);
    }
}

static void
test_biweekly_count (void)
{
  g_autoptr(GTimeZone) zone = chicago ();
  g_autoptr(GDateTime) first = local_time (2026, 2, 24, 16, 0);
  g_autoptr(GDateTime) to = utc_time (2027, 1, 1, 0, 0);
  g_autoptr(TendSeries) series = series_at (first, "FREQ=WEEKLY;INTERVAL=2;COUNT=5");
  g_autoptr(GPtrArray) all = expand (series, first, to);
  static const char * const expected[] = {
    "2026-02-24T22:00:00Z", "2026-03-10T21:00:00Z", "2026-03-24T21:00:00Z",
    "2026-04-07T21:00:00Z", "2026-04-21T21:00:00Z",
  };

  g_assert_cmpuint (all->len, ==, 5);
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (g_ptr_array_index (all, i), zone);

      assert_utc (g_ptr_array_index (all, i), expected[i]);
      g_assert_cmpint (g_date_time_get_hour (local), ==, 16);
    }

  /* COUNT counts from the first start, whatever window is asked for. */
  {
    g_autoptr(GDateTime) from = utc_time (2026, 3, 20, 0, 0);
    g_autoptr(GPtrArray) later = expand (series, from, to);

    g_assert_cmpuint (later->len, ==, 3);
  }
}

static void
test_until_is_utc (void)
{
  /* Mondays 09:00 Chicago = 14:00Z in March.  UNTIL is an instant: one
   * second before the third occurrence stops before it. */
  g_autoptr(GDateTime) first = local_time (2026, 3, 9, 9, 0);
  g_autoptr(GDateTime) to = utc_time (2027, 1, 1, 0, 0);
  g_autoptr(TendSeries) before = series_at (first, "FREQ=WEEKLY;UNTIL=20260323T135959Z");
  g_autoptr(TendSeries) at = series_at (first, "FREQ=WEEKLY;UNTIL=20260323T140000Z");
  g_autoptr(TendSeries) date_only = series_at (first, "FREQ=WEEKLY;UNTIL=20260323");
  g_autoptr(GPtrArray) a = expand (before, first, to);
  g_autoptr(GPtrArray) b = expand (at, first, to);
  g_autoptr(GPtrArray) c = expand (date_only, first, to);

  g_assert_cmpuint (a->len, ==, 2);
  g_assert_cmpuint (b->len, ==, 3);
  g_assert_cmpuint (c->len, ==, 3);
  assert_utc (g_ptr_array_index (b, 2), "2026-03-23T14:00:00Z");
}

static void
test_expand_invalid (void)
{
  g_autoptr(GDateTime) first = local_time (2026, 3, 9, 9, 0);
  g_autoptr(GDateTime) to = utc_time (2027, 1, 1, 0, 0);
  g_autoptr(TendSeries) series = series_at (first, "FREQ=HOURLY");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = tend_series_expand (series, first, to, &error);

  g_assert_null (none);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

/* The waitlist */

static TendWaitlistEntry *
entry (void)
{
  TendWaitlistEntry *e = tend_waitlist_entry_new (OTHER_CLIENT);

  g_assert_true (tend_record_validate (TEND_RECORD (e), NULL));
  return e;
}

static gboolean
matches (TendWaitlistEntry *e,
         const char        *clinician,
         GDateTime         *start,
         int                minutes,
         TendModality       modality)
{
  g_autoptr(GTimeZone) zone = chicago ();
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);

  return tend_waitlist_entry_matches (e, clinician, start, end, modality, zone);
}

static void
test_waitlist_matching (void)
{
  /* Tuesday 2026-03-10, 09:00-09:50 in Chicago (14:00Z). */
  g_autoptr(GDateTime) tuesday = local_time (2026, 3, 10, 9, 0);
  g_autoptr(GDateTime) evening = local_time (2026, 3, 10, 18, 30);

  {
    g_autoptr(TendWaitlistEntry) e = entry ();

    /* Any day, any time, anyone, either modality. */
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    g_assert_true (matches (e, OTHER_CLINICIAN, tuesday, 50, TEND_MODALITY_TELEHEALTH));
    tend_record_set_int (TEND_RECORD (e), "active", FALSE);
    g_assert_false (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
  }
  {
    g_autoptr(TendWaitlistEntry) e = entry ();

    /* Days: Monday 1, Tuesday 2, Wednesday 4 ... */
    tend_record_set_int (TEND_RECORD (e), "weekdays", 1 | 4);
    g_assert_true (tend_record_validate (TEND_RECORD (e), NULL));
    g_assert_false (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    tend_record_set_int (TEND_RECORD (e), "weekdays", 2);
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
  }
  {
    g_autoptr(TendWaitlistEntry) e = entry ();

    /* Times are Chicago's: 09:00 local is 14:00 UTC. */
    tend_record_set_string (TEND_RECORD (e), "earliest", "09:00");
    tend_record_set_string (TEND_RECORD (e), "latest", "09:50");
    g_assert_true (tend_record_validate (TEND_RECORD (e), NULL));
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    g_assert_false (matches (e, CLINICIAN, tuesday, 60, TEND_MODALITY_IN_PERSON));
    tend_record_set_string (TEND_RECORD (e), "earliest", "09:30");
    g_assert_false (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    tend_record_set_string (TEND_RECORD (e), "earliest", "14:00");
    tend_record_set_string (TEND_RECORD (e), "latest", "20:00");
    g_assert_false (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    g_assert_true (matches (e, CLINICIAN, evening, 50, TEND_MODALITY_IN_PERSON));
    g_assert_false (matches (e, CLINICIAN, evening, 120, TEND_MODALITY_IN_PERSON));
    /* latest before earliest does not validate */
    tend_record_set_string (TEND_RECORD (e), "latest", "13:00");
    g_assert_false (tend_record_validate (TEND_RECORD (e), NULL));
  }
  {
    g_autoptr(TendWaitlistEntry) e = entry ();
    const char * const one[] = { CLINICIAN, NULL };
    const char * const none[] = { NULL };

    tend_record_set_strv (TEND_RECORD (e), "clinician_ids", one);
    g_assert_true (tend_record_validate (TEND_RECORD (e), NULL));
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    g_assert_false (matches (e, OTHER_CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    /* An empty list means anyone. */
    tend_record_set_strv (TEND_RECORD (e), "clinician_ids", none);
    g_assert_true (matches (e, OTHER_CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
  }
  {
    g_autoptr(TendWaitlistEntry) e = entry ();

    tend_record_set_string (TEND_RECORD (e), "modality", "telehealth");
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_TELEHEALTH));
    g_assert_false (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    tend_record_set_string (TEND_RECORD (e), "modality", "in_person");
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_IN_PERSON));
    g_assert_false (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_TELEHEALTH));
    tend_record_set_string (TEND_RECORD (e), "modality", "any");
    g_assert_true (matches (e, CLINICIAN, tuesday, 50, TEND_MODALITY_TELEHEALTH));
  }
}

/* Working hours */

static void
test_working_hours (void)
{
  g_autoptr(TendStaff) staff = tend_staff_new ("Maya", "Okafor", TEND_ROLE_OWNER);
  guint start = 0, end = 0;

  g_assert_false (tend_staff_has_working_hours (staff));
  tend_record_set_string (TEND_RECORD (staff), "working_hours.mon.start", "08:00");
  tend_record_set_string (TEND_RECORD (staff), "working_hours.mon.end", "18:00");
  g_assert_true (tend_record_validate (TEND_RECORD (staff), NULL));
  g_assert_true (tend_staff_has_working_hours (staff));
  g_assert_true (tend_staff_get_working_hours (staff, 1, &start, &end));
  g_assert_cmpuint (start, ==, 8 * 60);
  g_assert_cmpuint (end, ==, 18 * 60);
  g_assert_false (tend_staff_get_working_hours (staff, 2, &start, &end));

  tend_record_set_string (TEND_RECORD (staff), "working_hours.tue.start", "12:00");
  g_assert_false (tend_record_validate (TEND_RECORD (staff), NULL));
  tend_record_set_string (TEND_RECORD (staff), "working_hours.tue.end", "09:00");
  g_assert_false (tend_record_validate (TEND_RECORD (staff), NULL));
  tend_record_set_string (TEND_RECORD (staff), "working_hours.tue.end", "24:00");
  g_assert_true (tend_record_validate (TEND_RECORD (staff), NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scheduling/status/matrix", test_status_matrix);
  g_test_add_func ("/scheduling/status/cancel-reason", test_status_cancel_reason);
  g_test_add_func ("/scheduling/status/check-in", test_status_check_in);
  g_test_add_func ("/scheduling/status/blocked", test_status_blocked);
  g_test_add_func ("/scheduling/validation", test_validation);
  g_test_add_func ("/scheduling/occurrence-id", test_occurrence_id);
  g_test_add_func ("/scheduling/occurrence-id/ordered", test_occurrence_id_ordered);
  g_test_add_func ("/scheduling/rrule-validation", test_rrule_validation);
  g_test_add_func ("/scheduling/recurrence/weekly-across-dst", test_weekly_across_dst);
  g_test_add_func ("/scheduling/recurrence/sunday-fall-back", test_sunday_fall_back);
  g_test_add_func ("/scheduling/recurrence/monthly-second-tuesday", test_monthly_second_tuesday);
  g_test_add_func ("/scheduling/recurrence/biweekly-count", test_biweekly_count);
  g_test_add_func ("/scheduling/recurrence/until-is-utc", test_until_is_utc);
  g_test_add_func ("/scheduling/recurrence/invalid", test_expand_invalid);
  g_test_add_func ("/scheduling/waitlist-matching", test_waitlist_matching);
  g_test_add_func ("/scheduling/working-hours", test_working_hours);
  return g_test_run ();
}
