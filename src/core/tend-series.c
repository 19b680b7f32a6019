/* tend-series.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A series recurs in wall-clock time in its zone: "Tuesdays at 09:00 in
 * America/Chicago" stays at 09:00 across daylight-saving changes, so the
 * UTC instants move.  libical expands the rule on local times; each
 * occurrence is then converted to UTC with GLib's zone data.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-error.h"
#include "tend-series.h"
#include "tend-time.h"

struct _TendSeries
{
  TendRecord parent_instance;

  int    kind;
  char  *client_id;
  char  *clinician_id;
  char  *room_id;
  char  *service_code;
  int    modality;
  char  *note;
  char  *first_start;
  gint64 duration;
  char  *time_zone;
  char  *rrule;
  char  *client_time_zone;
};

G_DEFINE_FINAL_TYPE (TendSeries, tend_series, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "session", "blocked", NULL };
static const char * const modality_choices[] = { "in_person", "telehealth", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendSeries, member), len, NULL, 0, 0 }

static const TendField series_fields[] = {
  { "kind", N_("Kind"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendSeries, kind), 0, kind_choices, 0, 0 },
  F ("client_id", N_("Client"), TEND_FIELD_UUID, 0, client_id, 36),
  F ("clinician_id", N_("Clinician"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, clinician_id, 36),
  F ("room_id", N_("Room"), TEND_FIELD_UUID, 0, room_id, 36),
  F ("service_code", N_("Service"), TEND_FIELD_STRING, 0, service_code, 16),
  { "modality", N_("Modality"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendSeries, modality), 0, modality_choices, 0, 0 },
  F ("note", N_("Note"), TEND_FIELD_TEXT, 0, note, 2000),
  F ("first_start", N_("First session"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, first_start, 40),
  { "duration_minutes", N_("Length"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendSeries, duration), 0, NULL, 5, 720 },
  F ("time_zone", N_("Time zone"), TEND_FIELD_TIME_ZONE, TEND_FIELD_REQUIRED, time_zone, 64),
  F ("rrule", N_("Repeats"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, rrule, 255),
  F ("client_time_zone", N_("Client's time zone"), TEND_FIELD_TIME_ZONE, 0, client_time_zone, 64),
};

#undef F

/**
 * tend_rrule_is_valid:
 *
 * Accepts what a practice schedules: DAILY, WEEKLY (with INTERVAL for every
 * N weeks) and MONTHLY (BYDAY like 2TU for "second Tuesday"), ending with
 * UNTIL or COUNT or not at all.
 */
gboolean
tend_rrule_is_valid (const char *rrule,
                     GError    **error)
{
  struct icalrecurrencetype r;

  if (rrule == NULL || *rrule == '\0' || strncmp (rrule, "RRULE:", 6) == 0)
    goto invalid;

  icalerror_clear_errno ();
  r = icalrecurrencetype_from_string (rrule);
  if (icalerrno != ICAL_NO_ERROR || r.freq == ICAL_NO_RECURRENCE)
    {
      icalerror_clear_errno ();
      goto invalid;
    }
  if (r.freq != ICAL_DAILY_RECURRENCE && r.freq != ICAL_WEEKLY_RECURRENCE &&
      r.freq != ICAL_MONTHLY_RECURRENCE)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Repeats: only daily, weekly and monthly repetition is supported"));
      return FALSE;
    }
  if (r.interval < 1 || r.interval > 52)
    goto invalid;
  return TRUE;

invalid:
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
               _("Repeats: “%s” is not a recurrence rule (like FREQ=WEEKLY;INTERVAL=2)"),
               rrule != NULL ? rrule : "");
  return FALSE;
}

static gboolean
tend_series_validate (TendRecord *record,
                      GError    **error)
{
  TendSeries *self = TEND_SERIES (record);

  if (!tend_rrule_is_valid (self->rrule, error))
    return FALSE;
  if (self->kind == TEND_APPOINTMENT_KIND_SESSION && self->client_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Client: a session needs a client"));
      return FALSE;
    }
  return TRUE;
}

static const TendRecordPolicy series_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_SCHEDULE);

static void
tend_series_class_init (TendSeriesClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "series", series_fields, G_N_ELEMENTS (series_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &series_policy);
  /* Its occurrences (tend_appointment_occurrence_id ()). */
  record_class->orders_derived_ids = TRUE;
  record_class->validate = tend_series_validate;
}

static void
tend_series_init (TendSeries *self)
{
  self->duration = 50;
}

TendSeries *
tend_series_new (const char *clinician_id,
                 GDateTime  *first_start,
                 guint       duration_minutes,
                 const char *time_zone,
                 const char *rrule)
{
  TendSeries *self = TEND_SERIES (tend_record_new (TEND_TYPE_SERIES));
  g_autofree char *iso = tend_time_to_iso8601 (first_start);

  tend_record_set_string (TEND_RECORD (self), "clinician_id", clinician_id);
  tend_record_set_string (TEND_RECORD (self), "first_start", iso);
  self->duration = duration_minutes;
  tend_record_set_string (TEND_RECORD (self), "time_zone", time_zone);
  tend_record_set_string (TEND_RECORD (self), "rrule", rrule);
  return self;
}

#define GETTER(field) \
  const char *tend_series_get_##field (TendSeries *self) \
  { \
    g_return_val_if_fail (TEND_IS_SERIES (self), NULL); \
    return self->field; \
  }

GETTER (rrule)
GETTER (time_zone)
GETTER (clinician_id)
GETTER (client_id)
GETTER (room_id)

#undef GETTER

guint
tend_series_get_duration (TendSeries *self)
{
  g_return_val_if_fail (TEND_IS_SERIES (self), 0);
  return (guint) self->duration;
}

GDateTime *
tend_series_dup_first_start (TendSeries *self)
{
  g_return_val_if_fail (TEND_IS_SERIES (self), NULL);
  return self->first_start != NULL ? tend_time_parse_iso8601 (self->first_start, NULL) : NULL;
}

/* A local wall time, as libical's floating time. */
static struct icaltimetype
to_ical_local (GDateTime *local)
{
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (local);
  t.month = g_date_time_get_month (local);
  t.day = g_date_time_get_day_of_month (local);
  t.hour = g_date_time_get_hour (local);
  t.minute = g_date_time_get_minute (local);
  t.second = g_date_time_get_second (local);
  t.is_date = 0;
  return t;
}

/* A local wall time in @zone as an instant, read as RFC 5545 (3.3.5) says:
 * a time that happens twice (the hour repeated when clocks go back) means
 * the first of the two, and a time that does not exist (skipped when they go
 * forward) is read with the offset in force before the gap.  That is what
 * other calendars do with the same rule; g_date_time_new() would take the
 * second of the two, and the end of the gap. */
static GDateTime *
local_to_utc (GTimeZone                 *zone,
              const struct icaltimetype *t)
{
  static const GTimeType types[] = { G_TIME_TYPE_DAYLIGHT, G_TIME_TYPE_STANDARD };
  g_autoptr(GDateTime) naive = g_date_time_new_utc (t->year, t->month, t->day, t->hour, t->minute, t->second);
  gint64 wall, best = G_MAXINT64;

  if (naive == NULL)
    return NULL;
  wall = g_date_time_to_unix (naive);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      int interval = g_time_zone_find_interval (zone, types[i], wall);

      if (interval >= 0)
        best = MIN (best, wall - g_time_zone_get_offset (zone, interval));
    }
  if (best == G_MAXINT64)
    {
      gint64 moved = wall;
      int after = g_time_zone_adjust_time (zone, G_TIME_TYPE_STANDARD, &moved);
      int before = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL,
                                              wall - g_time_zone_get_offset (zone, after));

      best = wall - g_time_zone_get_offset (zone, before);
    }
  return g_date_time_new_from_unix_utc (best);
}

/**
 * tend_series_expand:
 * @from: the first instant to include (UTC)
 * @to: the instant to stop before (UTC)
 *
 * Returns: (transfer full) (element-type GDateTime): the UTC start of each
 *   occurrence in [@from, @to), in order
 */
GPtrArray *
tend_series_expand (TendSeries *self,
                    GDateTime  *from,
                    GDateTime  *to,
                    GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) first_local = NULL;
  struct icalrecurrencetype rule;
  icalrecur_iterator *it;
  struct icaltimetype next;
  gint64 from_us, to_us;

  g_return_val_if_fail (TEND_IS_SERIES (self), NULL);

  if (!tend_record_validate (TEND_RECORD (self), error))
    return NULL;
  zone = tend_time_zone_new (self->time_zone, error);
  if (zone == NULL)
    return NULL;
  first = tend_series_dup_first_start (self);
  first_local = g_date_time_to_timezone (first, zone);
  from_us = tend_time_to_unix_usec (from);
  to_us = tend_time_to_unix_usec (to);

  rule = icalrecurrencetype_from_string (self->rrule);
  /* libical compares a UTC UNTIL with the floating local times as if they
   * were UTC too: hours off, by the zone's offset.  Give it local time. */
  if (!icaltime_is_null_time (rule.until) && !rule.until.is_date && icaltime_is_utc (rule.until))
    {
      g_autoptr(GDateTime) until = g_date_time_new_utc (rule.until.year, rule.until.month, rule.until.day,
                                                        rule.until.hour, rule.until.minute, rule.until.second);
      g_autoptr(GDateTime) until_local = until != NULL ? g_date_time_to_timezone (until, zone) : NULL;

      if (until_local != NULL)
        rule.until = to_ical_local (until_local);
    }
  else if (!icaltime_is_null_time (rule.until) && rule.until.is_date)
    {
      /* UNTIL=20260323 with a start that has a time (other calendars write
       * it): the whole of that day, not its midnight. */
      rule.until.is_date = 0;
      rule.until.hour = 23;
      rule.until.minute = 59;
      rule.until.second = 59;
    }
  it = icalrecur_iterator_new (rule, to_ical_local (first_local));
  if (it == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Repeats: the rule cannot be expanded"));
      return NULL;
    }

  while (!icaltime_is_null_time (next = icalrecur_iterator_next (it)))
    {
      g_autoptr(GDateTime) utc = local_to_utc (zone, &next);
      gint64 us;

      if (utc == NULL)
        continue;
      us = g_date_time_to_unix (utc) * G_USEC_PER_SEC;
      if (us >= to_us)
        break;
      if (us >= from_us)
        g_ptr_array_add (out, g_steal_pointer (&utc));
    }
  icalrecur_iterator_free (it);
  return g_steal_pointer (&out);
}

/**
 * tend_series_make_occurrence:
 *
 * Returns: (transfer full): the appointment for one occurrence, with the id
 *   every workstation derives for it
 */
TendAppointment *
tend_series_make_occurrence (TendSeries *self,
                             GDateTime  *occurrence_start)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (occurrence_start, (int) self->duration);
  g_autofree char *id = tend_appointment_occurrence_id (tend_record_get_id (TEND_RECORD (self)), occurrence_start);
  g_autofree char *iso = tend_time_to_iso8601 (occurrence_start);
  TendAppointment *a = tend_appointment_new (self->clinician_id, occurrence_start, end);
  TendRecord *r = TEND_RECORD (a);

  tend_record_set_id (r, id);
  tend_record_set_int (r, "kind", self->kind);
  tend_record_set_string (r, "client_id", self->client_id);
  tend_record_set_string (r, "room_id", self->room_id);
  tend_record_set_string (r, "service_code", self->service_code);
  tend_record_set_int (r, "modality", self->modality);
  tend_record_set_string (r, "note", self->note);
  tend_record_set_string (r, "client_time_zone", self->client_time_zone);
  tend_record_set_string (r, "series_id", tend_record_get_id (TEND_RECORD (self)));
  tend_record_set_string (r, "occurrence_start", iso);
  return a;
}
