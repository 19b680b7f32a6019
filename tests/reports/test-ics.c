/* test-ics.c: iCalendar export and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exported text is read back with libical and compared field by field; the
 * import is fed a Google-Calendar-like file, every malformed case we refuse,
 * and a few thousand truncated and mutated files that must never crash.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <libical/ical.h>
#include <string.h>

#include "tend-ics.h"

#define PRACTICE_ZONE "America/Chicago"
#define CLINICIAN_ID  "6b1f7a52-3c1e-4d7a-9f0e-2b8c4e1d5a01"
#define OTHER_ID      "0c0ffee0-1234-4abc-8def-0123456789ab"
#define CLIENT_ID     "2d4e6f80-9a1b-4c3d-8e5f-7a9b1c3d5e7f"
#define ROOM_ID       "9e8d7c6b-5a49-4382-a716-0f1e2d3c4b5a"

/* ------------------------------------------------------------------ */
/* Building the schedule                                               */
/* ------------------------------------------------------------------ */

static GDateTime *
utc (const char *iso)
{
  g_autoptr(GError) error = NULL;
  GDateTime *dt = tend_time_parse_iso8601 (iso, &error);

  g_assert_no_error (error);
  return dt;
}

static gint64
usec (const char *iso)
{
  g_autoptr(GDateTime) dt = utc (iso);

  return tend_time_to_unix_usec (dt);
}

static TendAppointment *
session (const char *start,
         const char *end)
{
  g_autoptr(GDateTime) s = utc (start);
  g_autoptr(GDateTime) e = utc (end);
  TendAppointment *a = tend_appointment_new (CLINICIAN_ID, s, e);

  tend_record_set_string (TEND_RECORD (a), "client_id", CLIENT_ID);
  return a;
}

static void
set_status (TendAppointment       *a,
            TendAppointmentStatus  status,
            const char            *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = utc ("2026-02-20T12:00:00Z");

  g_assert_true (tend_appointment_set_status (a, status, reason, now, &error));
  g_assert_no_error (error);
}

typedef struct
{
  GPtrArray  *appointments;
  GPtrArray  *series;
  GHashTable *names;
  /* The records the tests look at. */
  TendAppointment *in_person;     /* confirmed, with a note */
  TendAppointment *telehealth;    /* after the DST change */
  TendAppointment *late_spring;   /* telehealth, when London is on summer time */
  TendAppointment *cancelled;
  TendAppointment *blocked;
  TendSeries      *weekly;
  TendAppointment *occ_cancelled;
  TendAppointment *occ_moved;
} Schedule;

static char *
lookup_cb (TendIcsNameKind  kind,
           const char      *id,
           gpointer         user_data)
{
  Schedule *s = user_data;

  return g_strdup (g_hash_table_lookup (s->names, id));
}

/*
 * In America/Chicago daylight-saving time starts on 8 March 2026: a Tuesday
 * 16:00 series is 22:00 UTC before it and 21:00 UTC after.  London changes
 * on 29 March, so for three weeks the two zones are five hours apart.
 */
static void
schedule_init (Schedule *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) first = utc ("2026-02-24T22:00:00Z");   /* Tue 16:00 CST */
  g_autoptr(GDateTime) from = utc ("2026-02-01T00:00:00Z");
  g_autoptr(GDateTime) to = utc ("2026-05-01T00:00:00Z");
  g_autoptr(GPtrArray) starts = NULL;
  TendRecord *r;

  s->appointments = g_ptr_array_new_with_free_func (g_object_unref);
  s->series = g_ptr_array_new_with_free_func (g_object_unref);
  s->names = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (s->names, (gpointer) CLIENT_ID, (gpointer) "Mariam Ellis");
  g_hash_table_insert (s->names, (gpointer) CLINICIAN_ID, (gpointer) "Ana Ruiz, LCSW");
  g_hash_table_insert (s->names, (gpointer) ROOM_ID, (gpointer) "Willow Room");

  /* Tue 3 March 09:00-09:50 CST, in the Willow Room, confirmed. */
  s->in_person = session ("2026-03-03T15:00:00Z", "2026-03-03T15:50:00Z");
  r = TEND_RECORD (s->in_person);
  tend_record_set_string (r, "room_id", ROOM_ID);
  tend_record_set_string (r, "note", "Discussed panic attacks at work");
  set_status (s->in_person, TEND_APPOINTMENT_CONFIRMED, NULL);
  g_ptr_array_add (s->appointments, s->in_person);

  /* Tue 10 March 10:00 CDT (after the change): telehealth, scheduled. */
  s->telehealth = session ("2026-03-10T15:00:00Z", "2026-03-10T15:50:00Z");
  tend_record_set_int (TEND_RECORD (s->telehealth), "modality", TEND_MODALITY_TELEHEALTH);
  tend_record_set_string (TEND_RECORD (s->telehealth), "client_time_zone", "Europe/London");
  g_ptr_array_add (s->appointments, s->telehealth);

  /* Tue 7 April 10:00 CDT = 15:00 UTC = 16:00 BST. */
  s->late_spring = session ("2026-04-07T15:00:00Z", "2026-04-07T15:50:00Z");
  tend_record_set_int (TEND_RECORD (s->late_spring), "modality", TEND_MODALITY_TELEHEALTH);
  g_ptr_array_add (s->appointments, s->late_spring);

  /* Wed 4 March 14:00 CST, cancelled. */
  s->cancelled = session ("2026-03-04T20:00:00Z", "2026-03-04T20:50:00Z");
  set_status (s->cancelled, TEND_APPOINTMENT_CANCELLED, "Client unwell with flu");
  g_ptr_array_add (s->appointments, s->cancelled);

  /* Thu 5 March 12:00-13:00 CST, blocked. */
  {
    g_autoptr(GDateTime) bs = utc ("2026-03-05T18:00:00Z");
    g_autoptr(GDateTime) be = utc ("2026-03-05T19:00:00Z");

    s->blocked = tend_appointment_new (CLINICIAN_ID, bs, be);
    tend_record_set_int (TEND_RECORD (s->blocked), "kind", TEND_APPOINTMENT_KIND_BLOCKED);
    tend_record_set_string (TEND_RECORD (s->blocked), "title", "Staff meeting");
    g_ptr_array_add (s->appointments, s->blocked);
  }

  /* Weekly on Tuesdays at 16:00 for six weeks, across the DST change. */
  s->weekly = tend_series_new (CLINICIAN_ID, first, 50, PRACTICE_ZONE, "FREQ=WEEKLY;COUNT=6");
  tend_record_set_string (TEND_RECORD (s->weekly), "client_id", CLIENT_ID);
  tend_record_set_string (TEND_RECORD (s->weekly), "room_id", ROOM_ID);
  g_ptr_array_add (s->series, s->weekly);
  starts = tend_series_expand (s->weekly, from, to, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (starts->len, ==, 6);
  for (guint i = 0; i < starts->len; i++)
    {
      TendAppointment *occ = tend_series_make_occurrence (s->weekly, starts->pdata[i]);

      if (i == 2)           /* 10 March: cancelled */
        {
          set_status (occ, TEND_APPOINTMENT_CANCELLED, "Holiday");
          s->occ_cancelled = occ;
        }
      else if (i == 3)      /* 17 March 16:00 moved to Wednesday 18 March 17:00 CDT */
        {
          g_autoptr(GDateTime) ms = utc ("2026-03-18T22:00:00Z");
          g_autoptr(GDateTime) me = utc ("2026-03-18T22:50:00Z");

          tend_appointment_set_times (occ, ms, me);
          s->occ_moved = occ;
        }
      g_ptr_array_add (s->appointments, occ);
    }
}

static void
schedule_clear (Schedule *s)
{
  g_clear_pointer (&s->appointments, g_ptr_array_unref);
  g_clear_pointer (&s->series, g_ptr_array_unref);
  g_clear_pointer (&s->names, g_hash_table_unref);
}

static char *
export (Schedule   *s,
        gboolean    privacy,
        const char *attendee_zone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = utc ("2026-02-26T12:00:00Z");
  TendIcsContext ctx;
  char *text;

  tend_ics_context_init (&ctx);
  g_assert_true (ctx.privacy);
  ctx.practice_name = "Riverbend Counseling Collective";
  ctx.time_zone = PRACTICE_ZONE;
  ctx.lookup = lookup_cb;
  ctx.lookup_data = s;
  ctx.privacy = privacy;
  ctx.attendee_time_zone = attendee_zone;
  ctx.now = now;
  text = tend_ics_export (s->appointments, s->series, &ctx, &error);
  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

/* ------------------------------------------------------------------ */
/* Reading the export back                                             */
/* ------------------------------------------------------------------ */

static icalcomponent *
parse (const char *text)
{
  icalcomponent *cal = icalparser_parse_string (text);

  g_assert_nonnull (cal);
  g_assert_cmpint (icalcomponent_isa (cal), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_null (icalcomponent_get_first_property (cal, ICAL_XLICERROR_PROPERTY));
  return cal;
}

/* The VEVENT with this UID (and RECURRENCE-ID, or none). */
static icalcomponent *
find_event (icalcomponent *cal,
            const char    *record_id,
            const char    *recurrence_id)
{
  g_autofree char *uid = g_strconcat (record_id, "@tend.app", NULL);
  icalcomponent *found = NULL;

  for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       ev != NULL; ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    {
      icalproperty *rid = icalcomponent_get_first_property (ev, ICAL_RECURRENCEID_PROPERTY);

      if (g_strcmp0 (icalcomponent_get_uid (ev), uid) != 0)
        continue;
      if ((rid == NULL) != (recurrence_id == NULL))
        continue;
      if (rid != NULL && g_strcmp0 (icaltime_as_ical_string (icalproperty_get_recurrenceid (rid)), recurrence_id) != 0)
        continue;
      g_assert_null (found);
      found = ev;
    }
  g_assert_nonnull (found);
  return found;
}

static guint
count_components (icalcomponent      *parent,
                  icalcomponent_kind  kind)
{
  guint n = 0;

  for (icalcomponent *c = icalcomponent_get_first_component (parent, kind);
       c != NULL; c = icalcomponent_get_next_component (parent, kind))
    n++;
  return n;
}

static const char *
x_property (icalcomponent *ev,
            const char    *name)
{
  for (icalproperty *p = icalcomponent_get_first_property (ev, ICAL_X_PROPERTY);
       p != NULL; p = icalcomponent_get_next_property (ev, ICAL_X_PROPERTY))
    if (g_strcmp0 (icalproperty_get_x_name (p), name) == 0)
      return icalproperty_get_x (p);
  return NULL;
}

/* A time property: its local value, its TZID, and the UTC instant it names
 * according to the calendar's own VTIMEZONE. */
static void
assert_time (icalcomponent      *cal,
             icalproperty       *prop,
             const char         *tzid,
             const char         *local,
             gint64              expected_usec)
{
  icalparameter *param;
  struct icaltimetype t;
  icaltimezone *zone;

  g_assert_nonnull (prop);
  param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  g_assert_nonnull (param);
  g_assert_cmpstr (icalparameter_get_tzid (param), ==, tzid);
  t = icalvalue_get_datetime (icalproperty_get_value (prop));
  g_assert_cmpstr (icaltime_as_ical_string (t), ==, local);
  /* The zone must come from the file, not from libical's own data. */
  zone = icalcomponent_get_timezone (cal, tzid);
  g_assert_nonnull (zone);
  t.zone = NULL;
  g_assert_cmpint ((gint64) icaltime_as_timet_with_zone (t, zone) * G_USEC_PER_SEC, ==, expected_usec);
}

static void
assert_vtimezone (icalcomponent *cal,
                  const char    *tzid,
                  gboolean       with_daylight)
{
  icalcomponent *found = NULL;

  for (icalcomponent *tz = icalcomponent_get_first_component (cal, ICAL_VTIMEZONE_COMPONENT);
       tz != NULL; tz = icalcomponent_get_next_component (cal, ICAL_VTIMEZONE_COMPONENT))
    {
      icalproperty *p = icalcomponent_get_first_property (tz, ICAL_TZID_PROPERTY);

      if (g_strcmp0 (icalproperty_get_tzid (p), tzid) == 0)
        found = tz;
    }
  g_assert_nonnull (found);
  g_assert_cmpuint (count_components (found, ICAL_XSTANDARD_COMPONENT), >=, 1);
  if (with_daylight)
    g_assert_cmpuint (count_components (found, ICAL_XDAYLIGHT_COMPONENT), >=, 1);
}

/* RFC 5545 3.1: CRLF, lines of at most 75 octets. */
static void
assert_wire_format (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
    }
}

static void
test_export_fields (void)
{
  Schedule s = { 0 };
  g_autofree char *text = NULL;
  icalcomponent *cal, *ev;
  icalproperty *p;
  const char *series_id;
  guint n_exdates = 0;

  schedule_init (&s);
  text = export (&s, TRUE, NULL);
  assert_wire_format (text);
  cal = parse (text);

  g_assert_cmpstr (icalproperty_get_version (icalcomponent_get_first_property (cal, ICAL_VERSION_PROPERTY)), ==, "2.0");
  g_assert_cmpstr (icalproperty_get_prodid (icalcomponent_get_first_property (cal, ICAL_PRODID_PROPERTY)), ==,
                   "-//Tend//Tend 0.1//EN");
  g_assert_cmpstr (icalproperty_get_calscale (icalcomponent_get_first_property (cal, ICAL_CALSCALE_PROPERTY)), ==,
                   "GREGORIAN");
  g_assert_cmpint (icalproperty_get_method (icalcomponent_get_first_property (cal, ICAL_METHOD_PROPERTY)), ==,
                   ICAL_METHOD_PUBLISH);
  g_assert_cmpstr (x_property (cal, "X-WR-CALNAME"), ==, "Riverbend Counseling Collective");
  assert_vtimezone (cal, PRACTICE_ZONE, TRUE);
  g_assert_cmpuint (count_components (cal, ICAL_VTIMEZONE_COMPONENT), ==, 1);

  /* Five single appointments, the series, one moved occurrence; the
   * unchanged occurrences are the RRULE's. */
  g_assert_cmpuint (count_components (cal, ICAL_VEVENT_COMPONENT), ==, 7);

  /* Privacy: no name, note, reason or title anywhere. */
  g_assert_null (strstr (text, "Mariam"));
  g_assert_null (strstr (text, "Ellis"));
  g_assert_null (strstr (text, "panic"));
  g_assert_null (strstr (text, "flu"));
  g_assert_null (strstr (text, "Staff meeting"));
  g_assert_null (strstr (text, "Holiday"));

  /* In person, confirmed, before the DST change. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.in_person)), NULL);
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), PRACTICE_ZONE,
               "20260303T090000", usec ("2026-03-03T15:00:00Z"));
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTEND_PROPERTY), PRACTICE_ZONE,
               "20260303T095000", usec ("2026-03-03T15:50:00Z"));
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==, "Session · M.E.");
  g_assert_cmpstr (icalcomponent_get_location (ev), ==, "Willow Room");
  g_assert_cmpint (icalcomponent_get_status (ev), ==, ICAL_STATUS_CONFIRMED);
  g_assert_cmpint (icalproperty_get_transp (icalcomponent_get_first_property (ev, ICAL_TRANSP_PROPERTY)), ==,
                   ICAL_TRANSP_OPAQUE);
  g_assert_cmpstr (icalproperty_get_categories (icalcomponent_get_first_property (ev, ICAL_CATEGORIES_PROPERTY)),
                   ==, "Session");
  g_assert_cmpstr (x_property (ev, "X-TEND-STATUS"), ==, "confirmed");
  g_assert_cmpstr (x_property (ev, "X-TEND-KIND"), ==, "session");
  g_assert_nonnull (icalcomponent_get_first_property (ev, ICAL_DTSTAMP_PROPERTY));
  g_assert_cmpstr (icaltime_as_ical_string (icalcomponent_get_dtstamp (ev)), ==, "20260226T120000Z");
  g_assert_cmpstr (icalcomponent_get_description (ev), ==, "Clinician: Ana Ruiz, LCSW");

  /* Telehealth, after the change: 10:00 CDT is 15:00 UTC, tentative. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.telehealth)), NULL);
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), PRACTICE_ZONE,
               "20260310T100000", usec ("2026-03-10T15:00:00Z"));
  g_assert_cmpstr (icalcomponent_get_location (ev), ==, "Telehealth");
  g_assert_cmpint (icalcomponent_get_status (ev), ==, ICAL_STATUS_TENTATIVE);
  g_assert_cmpstr (x_property (ev, "X-TEND-STATUS"), ==, "scheduled");

  /* Cancelled: kept, but it holds no time. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.cancelled)), NULL);
  g_assert_cmpint (icalcomponent_get_status (ev), ==, ICAL_STATUS_CANCELLED);
  g_assert_cmpstr (x_property (ev, "X-TEND-STATUS"), ==, "cancelled");
  g_assert_cmpint (icalproperty_get_transp (icalcomponent_get_first_property (ev, ICAL_TRANSP_PROPERTY)), ==,
                   ICAL_TRANSP_TRANSPARENT);

  /* Blocked time is busy. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.blocked)), NULL);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==, "Busy");
  g_assert_cmpstr (x_property (ev, "X-TEND-KIND"), ==, "blocked");
  g_assert_cmpint (icalcomponent_get_status (ev), ==, ICAL_STATUS_CONFIRMED);
  g_assert_cmpint (icalproperty_get_transp (icalcomponent_get_first_property (ev, ICAL_TRANSP_PROPERTY)), ==,
                   ICAL_TRANSP_OPAQUE);
  g_assert_null (icalcomponent_get_first_property (ev, ICAL_LOCATION_PROPERTY));

  /* The series: one VEVENT with the rule, in the practice's zone. */
  series_id = tend_record_get_id (TEND_RECORD (s.weekly));
  ev = find_event (cal, series_id, NULL);
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), PRACTICE_ZONE,
               "20260224T160000", usec ("2026-02-24T22:00:00Z"));
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTEND_PROPERTY), PRACTICE_ZONE,
               "20260224T165000", usec ("2026-02-24T22:50:00Z"));
  p = icalcomponent_get_first_property (ev, ICAL_RRULE_PROPERTY);
  g_assert_nonnull (p);
  {
    struct icalrecurrencetype rule = icalproperty_get_rrule (p);

    g_assert_cmpint (rule.freq, ==, ICAL_WEEKLY_RECURRENCE);
    g_assert_cmpint (rule.count, ==, 6);
  }
  for (p = icalcomponent_get_first_property (ev, ICAL_EXDATE_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (ev, ICAL_EXDATE_PROPERTY))
    {
      /* 10 March 16:00 CDT is 21:00 UTC: an hour earlier in UTC than in February. */
      assert_time (cal, p, PRACTICE_ZONE, "20260310T160000", usec ("2026-03-10T21:00:00Z"));
      n_exdates++;
    }
  g_assert_cmpuint (n_exdates, ==, 1);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==, "Session · M.E.");
  g_assert_cmpstr (icalcomponent_get_location (ev), ==, "Willow Room");
  g_assert_cmpint (icalcomponent_get_status (ev), ==, ICAL_STATUS_TENTATIVE);

  /* The moved occurrence: same UID, RECURRENCE-ID of its original start. */
  ev = find_event (cal, series_id, "20260317T160000");
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_RECURRENCEID_PROPERTY), PRACTICE_ZONE,
               "20260317T160000", usec ("2026-03-17T21:00:00Z"));
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), PRACTICE_ZONE,
               "20260318T170000", usec ("2026-03-18T22:00:00Z"));
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTEND_PROPERTY), PRACTICE_ZONE,
               "20260318T175000", usec ("2026-03-18T22:50:00Z"));
  g_assert_null (icalcomponent_get_first_property (ev, ICAL_RRULE_PROPERTY));
  g_assert_cmpstr (x_property (ev, "X-TEND-STATUS"), ==, "scheduled");

  icalcomponent_free (cal);
  schedule_clear (&s);
}

static void
test_export_full_detail (void)
{
  Schedule s = { 0 };
  g_autofree char *text = NULL;
  icalcomponent *cal, *ev;

  schedule_init (&s);
  text = export (&s, FALSE, NULL);
  assert_wire_format (text);
  cal = parse (text);

  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.in_person)), NULL);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==, "Session with Mariam Ellis");
  g_assert_nonnull (strstr (icalcomponent_get_description (ev), "Discussed panic attacks at work"));
  g_assert_nonnull (strstr (icalcomponent_get_description (ev), "Client: Mariam Ellis"));
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.blocked)), NULL);
  g_assert_cmpstr (icalcomponent_get_summary (ev), ==, "Staff meeting");
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.cancelled)), NULL);
  g_assert_nonnull (strstr (icalcomponent_get_description (ev), "Client unwell with flu"));

  icalcomponent_free (cal);
  schedule_clear (&s);
}

/* A client in London sees the telehealth times in London time: the same
 * instants, other wall times. */
static void
test_export_attendee_zone (void)
{
  Schedule s = { 0 };
  g_autofree char *text = NULL;
  icalcomponent *cal, *ev;

  schedule_init (&s);
  text = export (&s, TRUE, "Europe/London");
  cal = parse (text);
  assert_vtimezone (cal, "Europe/London", TRUE);
  assert_vtimezone (cal, PRACTICE_ZONE, TRUE);
  g_assert_cmpstr (x_property (cal, "X-WR-TIMEZONE"), ==, "Europe/London");

  /* 10 March: Chicago is already on CDT, London still on GMT. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.telehealth)), NULL);
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), "Europe/London",
               "20260310T150000", usec ("2026-03-10T15:00:00Z"));
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTEND_PROPERTY), "Europe/London",
               "20260310T155000", usec ("2026-03-10T15:50:00Z"));
  /* 7 April: London on BST. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.late_spring)), NULL);
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), "Europe/London",
               "20260407T160000", usec ("2026-04-07T15:00:00Z"));

  /* The series keeps recurring in Chicago's wall time; its moved
   * occurrence is shown in London's. */
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.weekly)), NULL);
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), PRACTICE_ZONE,
               "20260224T160000", usec ("2026-02-24T22:00:00Z"));
  ev = find_event (cal, tend_record_get_id (TEND_RECORD (s.weekly)), "20260317T160000");
  assert_time (cal, icalcomponent_get_first_property (ev, ICAL_DTSTART_PROPERTY), "Europe/London",
               "20260318T220000", usec ("2026-03-18T22:00:00Z"));

  icalcomponent_free (cal);
  schedule_clear (&s);
}

static void
test_export_unknown_zone (void)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  TendIcsContext ctx;
  char *text;

  tend_ics_context_init (&ctx);
  ctx.time_zone = "Mars/Olympus_Mons";
  text = tend_ics_export (none, NULL, &ctx, &error);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_null (text);

  g_clear_error (&error);
  ctx.time_zone = PRACTICE_ZONE;
  ctx.attendee_time_zone = "Nowhere/Land";
  text = tend_ics_export (none, NULL, &ctx, &error);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_null (text);

  /* An empty calendar is still a calendar. */
  g_clear_error (&error);
  ctx.attendee_time_zone = NULL;
  text = tend_ics_export (none, NULL, &ctx, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "BEGIN:VCALENDAR"));
  g_assert_null (strstr (text, "BEGIN:VEVENT"));
  g_free (text);
}

/* ------------------------------------------------------------------ */
/* Import                                                              */
/* ------------------------------------------------------------------ */

static GPtrArray *
import_range (const char  *data,
              gsize        length,
              const char  *from,
              const char  *to,
              gboolean     keep_titles,
              GError     **error)
{
  g_autoptr(GDateTime) f = from != NULL ? utc (from) : NULL;
  g_autoptr(GDateTime) t = to != NULL ? utc (to) : NULL;
  TendIcsImportOptions opts;

  tend_ics_import_options_init (&opts);
  opts.clinician_id = OTHER_ID;
  opts.time_zone = PRACTICE_ZONE;
  opts.from = f;
  opts.to = t;
  opts.keep_titles = keep_titles;
  return tend_ics_import (data, length, &opts, error);
}

static GPtrArray *
import_text (const char  *text,
             GError     **error)
{
  return import_range (text, strlen (text), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", FALSE, error);
}

typedef struct
{
  gint64 start;
  gint64 end;
} Interval;

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const Interval *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

/* Export, then import: the busy times come back at the same instants. */
static void
test_round_trip (void)
{
  Schedule s = { 0 };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (Interval));
  g_autoptr(GArray) got = g_array_new (FALSE, FALSE, sizeof (Interval));

  schedule_init (&s);
  text = export (&s, TRUE, NULL);
  for (guint i = 0; i < s.appointments->len; i++)
    {
      TendAppointment *a = s.appointments->pdata[i];
      Interval iv = { tend_appointment_get_start_usec (a), tend_appointment_get_end_usec (a) };

      if (tend_appointment_is_active (a))
        g_array_append_val (expected, iv);
    }
  g_array_sort (expected, compare_intervals);
  g_assert_cmpuint (expected->len, ==, 9);

  imported = import_range (text, strlen (text), "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  for (guint i = 0; i < imported->len; i++)
    {
      TendAppointment *a = imported->pdata[i];
      Interval iv = { tend_appointment_get_start_usec (a), tend_appointment_get_end_usec (a) };

      g_assert_cmpint (tend_appointment_get_kind (a), ==, TEND_APPOINTMENT_KIND_BLOCKED);
      g_assert_cmpstr (tend_appointment_get_clinician_id (a), ==, OTHER_ID);
      g_assert_null (tend_appointment_get_client_id (a));
      g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
      g_array_append_val (got, iv);
    }
  g_array_sort (got, compare_intervals);
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    {
      g_assert_cmpint (g_array_index (got, Interval, i).start, ==, g_array_index (expected, Interval, i).start);
      g_assert_cmpint (g_array_index (got, Interval, i).end, ==, g_array_index (expected, Interval, i).end);
    }

  /* The same file again: the same ids and source uids. */
  again = import_range (text, strlen (text), "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, imported->len);
  for (guint i = 0; i < again->len; i++)
    {
      TendRecord *a = again->pdata[i], *b = imported->pdata[i];

      g_assert_cmpstr (tend_record_get_id (a), ==, tend_record_get_id (b));
      g_assert_cmpstr (tend_record_get_string (a, "source_uid"), ==, tend_record_get_string (b, "source_uid"));
    }
  schedule_clear (&s);
}

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  char *data = NULL;

  g_file_get_contents (path, &data, length, &error);
  g_assert_no_error (error);
  return data;
}

static TendAppointment *
find_source (GPtrArray  *appointments,
             const char *source_uid)
{
  for (guint i = 0; i < appointments->len; i++)
    if (g_strcmp0 (tend_record_get_string (appointments->pdata[i], "source_uid"), source_uid) == 0)
      return appointments->pdata[i];
  g_test_message ("no appointment from %s", source_uid);
  g_assert_not_reached ();
  return NULL;
}

static void
assert_busy (GPtrArray  *appointments,
             const char *source_uid,
             const char *start,
             const char *end)
{
  TendAppointment *a = find_source (appointments, source_uid);
  g_autofree char *id = tend_ics_import_id (OTHER_ID, source_uid);

  g_assert_cmpint (tend_appointment_get_start_usec (a), ==, usec (start));
  g_assert_cmpint (tend_appointment_get_end_usec (a), ==, usec (end));
  g_assert_cmpint (tend_appointment_get_kind (a), ==, TEND_APPOINTMENT_KIND_BLOCKED);
  g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_SCHEDULED);
  g_assert_cmpstr (tend_record_get_id (TEND_RECORD (a)), ==, id);
}

static void
test_import_google (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) busy = NULL;
  g_autoptr(GPtrArray) titled = NULL;
  g_autoptr(GPtrArray) march = NULL;
  gsize length;
  g_autofree char *data = read_fixture ("google-busy.ics", &length);

  busy = import_range (data, length, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z", FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (busy);
  g_assert_cmpuint (busy->len, ==, 12);

  /* UTC */
  assert_busy (busy, "utc1@google.com", "2026-03-02T17:00:00Z", "2026-03-02T18:00:00Z");
  /* Floating: 09:00 where the practice is (CST). */
  assert_busy (busy, "floating1@example.com", "2026-03-03T15:00:00Z", "2026-03-03T15:30:00Z");
  /* All day: the practice's local day. */
  assert_busy (busy, "allday1@google.com", "2026-03-06T06:00:00Z", "2026-03-07T06:00:00Z");
  /* Three days across the DST change: one block a day, the Sunday 23 hours. */
  assert_busy (busy, "leave1@google.com#20260307", "2026-03-07T06:00:00Z", "2026-03-08T06:00:00Z");
  assert_busy (busy, "leave1@google.com#20260308", "2026-03-08T06:00:00Z", "2026-03-09T05:00:00Z");
  assert_busy (busy, "leave1@google.com#20260309", "2026-03-09T05:00:00Z", "2026-03-10T05:00:00Z");
  /* Weekly in Los Angeles time, 11 March excluded, 18 March moved. */
  assert_busy (busy, "rec1@google.com/20260225T180000Z", "2026-02-25T18:00:00Z", "2026-02-25T19:00:00Z");
  assert_busy (busy, "rec1@google.com/20260304T180000Z", "2026-03-04T18:00:00Z", "2026-03-04T19:00:00Z");
  assert_busy (busy, "rec1@google.com/20260318T170000Z", "2026-03-18T20:00:00Z", "2026-03-18T21:00:00Z");
  assert_busy (busy, "rec1@google.com/20260325T170000Z", "2026-03-25T17:00:00Z", "2026-03-25T18:00:00Z");
  /* Daily until 4 March 08:00 UTC (midnight in LA): two mornings. */
  assert_busy (busy, "daily1@google.com/20260302T150000Z", "2026-03-02T15:00:00Z", "2026-03-02T15:30:00Z");
  assert_busy (busy, "daily1@google.com/20260303T150000Z", "2026-03-03T15:00:00Z", "2026-03-03T15:30:00Z");

  /* Transparent and cancelled events are not busy time; no titles by default. */
  for (guint i = 0; i < busy->len; i++)
    {
      const char *source = tend_record_get_string (busy->pdata[i], "source_uid");

      g_assert_false (g_str_has_prefix (source, "free1@"));
      g_assert_false (g_str_has_prefix (source, "cancelled1@"));
      g_assert_null (tend_appointment_get_title (busy->pdata[i]));
      if (i > 0)
        g_assert_cmpint (tend_appointment_get_start_usec (busy->pdata[i - 1]), <=,
                         tend_appointment_get_start_usec (busy->pdata[i]));
    }

  /* Titles when asked for. */
  titled = import_range (data, length, "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_appointment_get_title (find_source (titled, "utc1@google.com")), ==, "Dentist");
  g_assert_cmpstr (tend_appointment_get_title (find_source (titled, "rec1@google.com/20260318T170000Z")), ==,
                   "Supervision group (moved)");

  /* A range: only what overlaps it. */
  march = import_range (data, length, "2026-03-06T00:00:00Z", "2026-03-08T12:00:00Z", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (march->len, ==, 3);
  assert_busy (march, "allday1@google.com", "2026-03-06T06:00:00Z", "2026-03-07T06:00:00Z");
  assert_busy (march, "leave1@google.com#20260307", "2026-03-07T06:00:00Z", "2026-03-08T06:00:00Z");
  assert_busy (march, "leave1@google.com#20260308", "2026-03-08T06:00:00Z", "2026-03-09T05:00:00Z");
}

#define CAL_HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
#define CAL_TAIL "END:VCALENDAR\r\n"
#define EVENT(body) "BEGIN:VEVENT\r\nUID:bad-1@example.com\r\nDTSTAMP:20260101T000000Z\r\n" body "END:VEVENT\r\n"

static void
assert_refused (const char *data,
                gssize      length,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) out = NULL;

  out = import_range (data, length < 0 ? strlen (data) : (gsize) length,
                      "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", FALSE, &error);
  g_assert_null (out);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_import_malformed (void)
{
  g_autoptr(GString) many = NULL;
  g_autofree char *huge = NULL;

  assert_refused ("hello, world\n", -1, "not an iCalendar file");
  assert_refused ("", 0, "empty");
  assert_refused ("{\"kind\": \"appointment\"}", -1, "not an iCalendar file");
  assert_refused (EVENT ("DTSTART:20260301T100000Z\r\n"), -1, "BEGIN:VCALENDAR");
  assert_refused (CAL_HEAD CAL_HEAD CAL_TAIL, -1, NULL);
  /* An event without a start: the line of its BEGIN:VEVENT and its UID. */
  assert_refused (CAL_HEAD EVENT ("SUMMARY:No start\r\n") CAL_TAIL, -1, "Line 4, event “bad-1@example.com”");
  assert_refused (CAL_HEAD EVENT ("SUMMARY:No start\r\n") CAL_TAIL, -1, "DTSTART");
  assert_refused (CAL_HEAD EVENT ("DTSTART:2026\r\n") CAL_TAIL, -1, "DTSTART");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20261301T100000Z\r\n") CAL_TAIL, -1, "DTSTART");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nDTEND:20260301T090000Z\r\n") CAL_TAIL, -1,
                  "before it starts");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nDURATION:-PT1H\r\n") CAL_TAIL, -1,
                  "before it starts");
  assert_refused (CAL_HEAD EVENT ("DTSTART;TZID=Mars/Olympus_Mons:20260301T100000\r\n") CAL_TAIL, -1,
                  "Mars/Olympus_Mons");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nRRULE:FREQ=FORTNIGHTLY\r\n") CAL_TAIL, -1, "RRULE");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nRRULE:FREQ=WEEKLY;INTERVAL=0\r\n") CAL_TAIL, -1,
                  "RRULE");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nRRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30\r\n")
                  CAL_TAIL, -1, "RRULE");
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nEXDATE:nonsense\r\nRRULE:FREQ=DAILY\r\n") CAL_TAIL,
                  -1, "EXDATE");
  assert_refused (CAL_HEAD EVENT ("DTSTART:00010301T100000Z\r\n") CAL_TAIL, -1, "DTSTART");
  /* Not UTF-8, a NUL byte. */
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\nSUMMARY:caf\xe9\r\n") CAL_TAIL, -1, "UTF-8");
  assert_refused (CAL_HEAD "X-A:b\0c\r\n" CAL_TAIL, sizeof (CAL_HEAD "X-A:b\0c\r\n" CAL_TAIL) - 1, "UTF-8");
  /* Cut short. */
  assert_refused (CAL_HEAD EVENT ("DTSTART:20260301T100000Z\r\n"), -1, "END:VCALENDAR");
  assert_refused (CAL_HEAD "BEGIN:VEVENT\r\nDTSTART:20260301T100000Z\r\n", -1, "END:VCALENDAR");
  /* END and BEGIN that do not pair up. */
  assert_refused (CAL_HEAD "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260301T100000Z\r\nEND:VTODO\r\n" CAL_TAIL, -1,
                  "Line 7: END:VTODO");
  assert_refused (CAL_HEAD "END:VEVENT\r\n" CAL_TAIL, -1, "Line 4");
  /* Garbage between the components. */
  assert_refused (CAL_HEAD "this is not a property\r\n" EVENT ("DTSTART:20260301T100000Z\r\n") CAL_TAIL, -1, NULL);

  /* Too many events, too many bytes. */
  many = g_string_new (CAL_HEAD);
  for (guint i = 0; i <= TEND_ICS_MAX_EVENTS; i++)
    g_string_append_printf (many, "BEGIN:VEVENT\r\nUID:%u\r\nDTSTART:20260301T100000Z\r\nEND:VEVENT\r\n", i);
  g_string_append (many, CAL_TAIL);
  assert_refused (many->str, many->len, "100000");
  huge = g_malloc (TEND_ICS_MAX_BYTES + 2);
  memset (huge, 'X', TEND_ICS_MAX_BYTES + 1);
  huge[TEND_ICS_MAX_BYTES + 1] = '\0';
  assert_refused (huge, TEND_ICS_MAX_BYTES + 1, "MB");
}

/* Things that are odd but not wrong. */
static void
test_import_lenient (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autofree char *long_uid = g_strnfill (400, 'u');
  g_autofree char *text = NULL;

  /* A byte order mark, LF line endings, a zero-length event, an event
   * without DTEND (it lasts no time), a very long UID, no UID at all. */
  text = g_strdup_printf ("\xef\xbb\xbf" "BEGIN:VCALENDAR\nVERSION:2.0\n"
                          "BEGIN:VEVENT\nUID:zero\nDTSTART:20260301T100000Z\nDTEND:20260301T100000Z\nEND:VEVENT\n"
                          "BEGIN:VEVENT\nUID:point\nDTSTART:20260301T110000Z\nEND:VEVENT\n\n"
                          "BEGIN:VEVENT\nUID:%s\nDTSTART:20260301T120000Z\nDURATION:PT45M\nEND:VEVENT\n"
                          "BEGIN:VEVENT\nDTSTART;VALUE=DATE:20260302\nSUMMARY:No uid\nEND:VEVENT\n"
                          "END:VCALENDAR\n", long_uid);
  out = import_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 2);
  g_assert_true (g_str_has_prefix (tend_record_get_string (out->pdata[0], "source_uid"), "sha256:"));
  g_assert_cmpint (tend_appointment_get_end_usec (out->pdata[0]) - tend_appointment_get_start_usec (out->pdata[0]),
                   ==, (gint64) 45 * 60 * G_USEC_PER_SEC);
  g_assert_true (g_str_has_prefix (tend_record_get_string (out->pdata[1], "source_uid"), "nouid:"));
  for (guint i = 0; i < out->len; i++)
    g_assert_true (tend_record_validate (out->pdata[i], NULL));
}

/* Cases the fuzzer found or that other programs write. */
static void
test_import_recurrence_edges (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) out = NULL;
  const char *text =
    CAL_HEAD
    /* UTC start, the rule before SUMMARY (read with titles: libical's
     * property iterator must not be disturbed). */
    "BEGIN:VEVENT\r\nUID:utc-daily\r\nDTSTART:20260302T170000Z\r\nDTEND:20260302T173000Z\r\n"
    "RRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:Walk\r\nEND:VEVENT\r\n"
    /* libical's own name for a zone, no VTIMEZONE. */
    "BEGIN:VEVENT\r\nUID:lic\r\nDTSTART;TZID=/freeassociation.sourceforge.net/America/New_York:20260310T090000\r\n"
    "DURATION:PT1H\r\nEND:VEVENT\r\n"
    /* An IANA name, no VTIMEZONE. */
    "BEGIN:VEVENT\r\nUID:iana\r\nDTSTART;TZID=Europe/Berlin:20260310T090000\r\n"
    "DTEND;TZID=Europe/Berlin:20260310T100000\r\nEND:VEVENT\r\n"
    /* Weekly with UNTIL in UTC, east of Greenwich: 09:00 in Berlin is 08:00
     * UTC, so UNTIL=...T083000Z keeps the third Monday and UNTIL at 07:30
     * would not. */
    "BEGIN:VEVENT\r\nUID:until\r\nDTSTART;TZID=Europe/Berlin:20260302T090000\r\n"
    "DTEND;TZID=Europe/Berlin:20260302T093000\r\nRRULE:FREQ=WEEKLY;UNTIL=20260316T083000Z\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:until2\r\nDTSTART;TZID=Europe/Berlin:20260302T090000\r\n"
    "DTEND;TZID=Europe/Berlin:20260302T093000\r\nRRULE:FREQ=WEEKLY;UNTIL=20260316T073000Z\r\nEND:VEVENT\r\n"
    CAL_TAIL;

  out = import_range (text, strlen (text), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 10);
  assert_busy (out, "utc-daily/20260302T170000Z", "2026-03-02T17:00:00Z", "2026-03-02T17:30:00Z");
  assert_busy (out, "utc-daily/20260304T170000Z", "2026-03-04T17:00:00Z", "2026-03-04T17:30:00Z");
  g_assert_cmpstr (tend_appointment_get_title (find_source (out, "utc-daily/20260303T170000Z")), ==, "Walk");
  assert_busy (out, "lic", "2026-03-10T13:00:00Z", "2026-03-10T14:00:00Z");
  assert_busy (out, "iana", "2026-03-10T08:00:00Z", "2026-03-10T09:00:00Z");
  assert_busy (out, "until/20260316T080000Z", "2026-03-16T08:00:00Z", "2026-03-16T08:30:00Z");
  assert_busy (out, "until2/20260309T080000Z", "2026-03-09T08:00:00Z", "2026-03-09T08:30:00Z");
  for (guint i = 0; i < out->len; i++)
    g_assert_cmpstr (tend_record_get_string (out->pdata[i], "source_uid"), !=, "until2/20260316T080000Z");

  /* A TZID is a name, never a path. */
  assert_refused (CAL_HEAD EVENT ("DTSTART;TZID=../../../../etc/passwd:20260301T100000\r\n") CAL_TAIL, -1,
                  "etc/passwd");
  assert_refused (CAL_HEAD EVENT ("DTSTART;TZID=/etc/localtime:20260301T100000\r\n") CAL_TAIL, -1,
                  "/etc/localtime");
}

/*
 * Every prefix of a valid file, and the file with one byte changed at each
 * place: the import may fail, but must fail cleanly (an error and no
 * result) or succeed, never crash.  Run under valgrind or a sanitizer for
 * the full benefit; tests/reports/fuzz-ics.c is the libFuzzer version.
 */
static void
check_survives (const char *data,
                gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) out = import_range (data, length, "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z",
                                           TRUE, &error);

  if (out == NULL)
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  else
    {
      g_assert_no_error (error);
      for (guint i = 0; i < out->len; i++)
        g_assert_true (tend_record_validate (out->pdata[i], NULL));
    }
}

static void
mutate_all (const char *data,
            gsize       length,
            guint       step)
{
  static const char replacements[] = { '\0', '\n', ':', ';', '=', '0', '9', 'Z', 'T', '-', ',', (char) 0xff };
  g_autofree char *copy = g_malloc (length + 1);

  for (gsize cut = 0; cut <= length; cut += step)
    check_survives (data, cut);

  for (gsize i = 0; i < length; i += step)
    {
      memcpy (copy, data, length);
      copy[length] = '\0';
      copy[i] = replacements[g_test_rand_int_range (0, G_N_ELEMENTS (replacements))];
      check_survives (copy, length);
      copy[i] = (char) (data[i] ^ 0x20);
      check_survives (copy, length);
    }
}

static void
test_import_fuzz (void)
{
  Schedule s = { 0 };
  g_autofree char *exported = NULL;
  g_autofree char *google = NULL;
  gsize length;
  /* Every offset when asked to be thorough (-m thorough); otherwise a
   * sample of them, so the suite stays quick. */
  guint step = g_test_thorough () ? 1 : 3;

  google = read_fixture ("google-busy.ics", &length);
  mutate_all (google, length, step);

  schedule_init (&s);
  exported = export (&s, TRUE, "Europe/London");
  mutate_all (exported, strlen (exported), step * 4);
  schedule_clear (&s);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ics/export/fields", test_export_fields);
  g_test_add_func ("/ics/export/full-detail", test_export_full_detail);
  g_test_add_func ("/ics/export/attendee-zone", test_export_attendee_zone);
  g_test_add_func ("/ics/export/unknown-zone", test_export_unknown_zone);
  g_test_add_func ("/ics/round-trip", test_round_trip);
  g_test_add_func ("/ics/import/google", test_import_google);
  g_test_add_func ("/ics/import/malformed", test_import_malformed);
  g_test_add_func ("/ics/import/lenient", test_import_lenient);
  g_test_add_func ("/ics/import/recurrence-edges", test_import_recurrence_edges);
  g_test_add_func ("/ics/import/fuzz", test_import_fuzz);
  return g_test_run ();
}
