/* tend-ics.c: appointments to and from iCalendar (RFC 5545)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export builds the calendar with libical's components, so escaping, line
 * folding and CRLF endings are libical's.  Time zones come from the system's
 * tzdata (GLib and libical both read /usr/share/zoneinfo, or $TZDIR): the
 * local wall times are computed with GLib, the VTIMEZONE that describes them
 * with libical, from the same files.
 *
 * Import is the part that reads what strangers wrote: every input is bounded
 * (size, number of events, recurrence iterations), checked before libical
 * sees it (UTF-8, the VCALENDAR envelope) and after (libical keeps going on
 * errors and leaves X-LIC-ERROR properties behind), and any error refuses the
 * whole file.
 */
#define G_LOG_DOMAIN "tend-reports"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "tend-ics.h"

/* Imported times before or after these years are junk (or a way to make
 * libical's recurrence iterator spin): refused. */
#define MIN_YEAR 1850
#define MAX_YEAR 2200

/* How many recurrence instances one import may look at, in all. */
#define MAX_ITERATIONS 2000000

#define TEND_UID_DOMAIN "@tend.app"

/* ------------------------------------------------------------------ */
/* libical set-up                                                      */
/* ------------------------------------------------------------------ */

static gpointer
init_libical_once (gpointer data)
{
  const char *tzdir = g_getenv ("TZDIR");

  /* libical reports errors through icalerrno; never let it abort(). */
  icalerror_set_errors_are_fatal (0);

  /* libical's built-in zones are read from the system's tzdata.  GLib
   * follows $TZDIR; so must libical, or the two could disagree about an
   * offset.  Without $TZDIR libical searches the usual folders itself; name
   * the standard one when it found none. */
  if (!icaltimezone_get_builtin_tzdata ())
    {
      if (tzdir != NULL && g_file_test (tzdir, G_FILE_TEST_IS_DIR))
        set_zone_directory (tzdir);
      else if (icaltzutil_get_zone_directory () == NULL)
        set_zone_directory ("/usr/share/zoneinfo");
    }
  return NULL;
}

static void
ensure_libical (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_libical_once, NULL);
}

static gboolean
is_utc_identifier (const char *tzid)
{
  return g_strcmp0 (tzid, "UTC") == 0 || g_strcmp0 (tzid, "Etc/UTC") == 0 ||
         g_strcmp0 (tzid, "Z") == 0;
}

/* An IANA name ("America/Chicago", "Etc/GMT+5"), never a path: libical and
 * GLib open a file under the zoneinfo folder by the name they are given, and
 * a TZID comes from whoever wrote the file. */
static gboolean
is_plain_zone_name (const char *tzid)
{
  g_auto(GStrv) parts = NULL;

  if (tzid == NULL || *tzid == '\0' || strlen (tzid) > 64)
    return FALSE;
  parts = g_strsplit (tzid, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0' || *parts[i] == '.' || *parts[i] == '-')
        return FALSE;
      for (const char *c = parts[i]; *c; c++)
        if (!g_ascii_isalnum (*c) && strchr ("_+-", *c) == NULL)
          return FALSE;
    }
  return TRUE;
}

/* A zone both GLib and libical know, by its IANA name. */
typedef struct
{
  char         *tzid;
  GTimeZone    *gtz;
  icaltimezone *itz;      /* libical's built-in zone (not ours to free) */
  gboolean      is_utc;
} Zone;

static void
zone_free (Zone *zone)
{
  g_free (zone->tzid);
  g_clear_pointer (&zone->gtz, g_time_zone_unref);
  g_free (zone);
}

static Zone *
zone_new (const char  *tzid,
          GError     **error)
{
  g_autoptr(GTimeZone) gtz = NULL;
  icaltimezone *itz = NULL;
  Zone *zone;

  ensure_libical ();
  if (!is_plain_zone_name (tzid))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("“%s” is not a known time zone"), tzid != NULL ? tzid : "");
      return NULL;
    }
  gtz = tend_time_zone_new (tzid, error);
  if (gtz == NULL)
    return NULL;
  if (!is_utc_identifier (tzid))
    {
      itz = icaltimezone_get_builtin_timezone (tzid);
      icalerror_clear_errno ();
      if (itz == NULL || icaltimezone_get_component (itz) == NULL)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("The time zone “%s” is not in the system’s time zone data"), tzid);
          return NULL;
        }
    }
  zone = g_new0 (Zone, 1);
  zone->tzid = g_strdup (tzid);
  zone->gtz = g_steal_pointer (&gtz);
  zone->itz = itz != NULL ? itz : icaltimezone_get_utc_timezone ();
  zone->is_utc = itz == NULL;
  return zone;
}

/* ------------------------------------------------------------------ */
/* Export                                                              */
/* ------------------------------------------------------------------ */

/**
 * tend_ics_context_init:
 *
 * Sets every field to its default: privacy on, no lookup, no attendee zone.
 */
void
tend_ics_context_init (TendIcsContext *ctx)
{
  g_return_if_fail (ctx != NULL);

  memset (ctx, 0, sizeof *ctx);
  ctx->privacy = TRUE;
}

typedef struct
{
  const TendIcsContext *ctx;
  icalcomponent        *vcal;
  GHashTable           *zones;       /* tzid -> Zone */
  GPtrArray            *zone_list;   /* the same Zones, in order of first use */
  GPtrArray            *events;      /* VEVENTs, added to @vcal after the VTIMEZONEs */
  GHashTable           *names;       /* "kind:id" -> name or "" */
  Zone                 *practice;
  Zone                 *attendee;    /* NULL without an attendee zone */
  struct icaltimetype   stamp;
  gint64                earliest;    /* the first instant written, for the VTIMEZONEs */
} Exporter;

static void
exporter_clear (Exporter *ex)
{
  g_clear_pointer (&ex->events, g_ptr_array_unref);
  g_clear_pointer (&ex->zone_list, g_ptr_array_unref);
  g_clear_pointer (&ex->zones, g_hash_table_unref);
  g_clear_pointer (&ex->names, g_hash_table_unref);
  g_clear_pointer (&ex->vcal, icalcomponent_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Exporter, exporter_clear)

static void
free_event (gpointer event)
{
  if (event != NULL)
    icalcomponent_free (event);
}

static Zone *
exporter_zone (Exporter    *ex,
               const char  *tzid,
               GError     **error)
{
  Zone *zone = g_hash_table_lookup (ex->zones, tzid);

  if (zone == NULL)
    {
      zone = zone_new (tzid, error);
      if (zone != NULL)
        {
          g_hash_table_insert (ex->zones, zone->tzid, zone);
          g_ptr_array_add (ex->zone_list, zone);
        }
    }
  return zone;
}

static const char *
lookup_name (Exporter        *ex,
             TendIcsNameKind  kind,
             const char      *id)
{
  g_autofree char *key = NULL;
  const char *cached;
  char *name;

  if (id == NULL || ex->ctx->lookup == NULL)
    return NULL;
  key = g_strdup_printf ("%d:%s", (int) kind, id);
  cached = g_hash_table_lookup (ex->names, key);
  if (cached != NULL)
    return *cached != '\0' ? cached : NULL;
  name = ex->ctx->lookup (kind, id, ex->ctx->lookup_data);
  if (name != NULL)
    g_strstrip (name);
  if (name == NULL)
    name = g_strdup ("");
  g_hash_table_insert (ex->names, g_steal_pointer (&key), name);
  return *name != '\0' ? name : NULL;
}

static void
append_initial (GString    *out,
                const char *word)
{
  gunichar c = g_utf8_get_char (word);

  if (g_unichar_isalnum (c))
    {
      g_string_append_unichar (out, g_unichar_toupper (c));
      g_string_append_c (out, '.');
    }
}

/* "Mariam Ellis" -> "M.E.": the first letters of the first and last words. */
static char *
initials_of (const char *name)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  GString *out;

  if (name == NULL)
    return NULL;
  words = g_strsplit_set (name, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (found, words[i]);
  if (found->len == 0)
    return NULL;
  out = g_string_new (NULL);
  append_initial (out, found->pdata[0]);
  if (found->len > 1)
    append_initial (out, found->pdata[found->len - 1]);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static struct icaltimetype
utc_ical_time (gint64 usec)
{
  return icaltime_from_timet_with_zone ((time_t) (usec / G_USEC_PER_SEC), 0,
                                        icaltimezone_get_utc_timezone ());
}

/* The wall time of @usec in @zone, written floating: the TZID parameter
 * carries the zone (or, for UTC, a Z). */
static struct icaltimetype
zone_ical_time (gint64  usec,
                Zone   *zone)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  struct icaltimetype t;

  if (zone->is_utc)
    return utc_ical_time (usec);
  utc = tend_time_from_unix_usec (usec);
  local = g_date_time_to_timezone (utc, zone->gtz);
  t = icaltime_null_time ();
  t.year = g_date_time_get_year (local);
  t.month = g_date_time_get_month (local);
  t.day = g_date_time_get_day_of_month (local);
  t.hour = g_date_time_get_hour (local);
  t.minute = g_date_time_get_minute (local);
  t.second = g_date_time_get_second (local);
  t.is_date = 0;
  return t;
}

typedef icalproperty *(*TimePropertyNew) (struct icaltimetype);

static void
add_time (Exporter        *ex,
          icalcomponent   *event,
          TimePropertyNew  make,
          gint64           usec,
          Zone            *zone)
{
  icalproperty *prop = make (zone_ical_time (usec, zone));

  if (!zone->is_utc)
    icalproperty_add_parameter (prop, icalparameter_new_tzid (zone->tzid));
  icalcomponent_add_property (event, prop);
  ex->earliest = MIN (ex->earliest, usec);
}

static void
add_x (icalcomponent *event,
       const char    *name,
       const char    *value)
{
  icalproperty *prop = icalproperty_new_x (value);

  icalproperty_set_x_name (prop, name);
  icalcomponent_add_property (event, prop);
}

/*
 * Scheduled sessions are tentative until the client confirms; blocked time is
 * simply busy.  What no longer holds its time (cancelled, a no-show) is
 * cancelled for a calendar; X-TEND-STATUS keeps Tend's own status.
 */
static icalproperty_status
event_status (TendAppointmentKind   kind,
              TendAppointmentStatus status)
{
  switch (status)
    {
    case TEND_APPOINTMENT_CANCELLED:
    case TEND_APPOINTMENT_LATE_CANCELLED:
    case TEND_APPOINTMENT_NO_SHOW:
      return ICAL_STATUS_CANCELLED;
    case TEND_APPOINTMENT_SCHEDULED:
      return kind == TEND_APPOINTMENT_KIND_BLOCKED ? ICAL_STATUS_CONFIRMED : ICAL_STATUS_TENTATIVE;
    case TEND_APPOINTMENT_CONFIRMED:
    case TEND_APPOINTMENT_ARRIVED:
    case TEND_APPOINTMENT_COMPLETED:
    case TEND_N_APPOINTMENT_STATUSES:
    default:
      return ICAL_STATUS_CONFIRMED;
    }
}

/* What an event says, from the fields an appointment and a series share. */
typedef struct
{
  TendAppointmentKind   kind;
  TendAppointmentStatus status;
  TendModality          modality;
  const char           *client_id;
  const char           *clinician_id;
  const char           *room_id;
  const char           *title;
  const char           *note;
  const char           *cancel_reason;
  gint64                updated_at;
} EventFacts;

static void
facts_from_appointment (EventFacts      *facts,
                        TendAppointment *a)
{
  TendRecord *r = TEND_RECORD (a);

  facts->kind = tend_appointment_get_kind (a);
  facts->status = tend_appointment_get_status (a);
  facts->modality = tend_appointment_get_modality (a);
  facts->client_id = tend_appointment_get_client_id (a);
  facts->clinician_id = tend_appointment_get_clinician_id (a);
  facts->room_id = tend_appointment_get_room_id (a);
  facts->title = tend_appointment_get_title (a);
  facts->note = tend_record_get_string (r, "note");
  facts->cancel_reason = tend_record_get_string (r, "cancel_reason");
  facts->updated_at = tend_record_get_updated_at (r);
}

static void
facts_from_series (EventFacts *facts,
                   TendSeries *s)
{
  TendRecord *r = TEND_RECORD (s);

  facts->kind = (TendAppointmentKind) tend_record_get_int (r, "kind");
  facts->status = TEND_APPOINTMENT_SCHEDULED;
  facts->modality = (TendModality) tend_record_get_int (r, "modality");
  facts->client_id = tend_series_get_client_id (s);
  facts->clinician_id = tend_series_get_clinician_id (s);
  facts->room_id = tend_series_get_room_id (s);
  facts->title = NULL;
  facts->note = tend_record_get_string (r, "note");
  facts->cancel_reason = NULL;
  facts->updated_at = tend_record_get_updated_at (r);
}

/*
 * Privacy.  An .ics file leaves the encrypted store: it is mailed, synced to
 * a phone, shared with a calendar service, subscribed to by a program that
 * keeps copies.  So unless the caller asks for full detail, an exported
 * event carries nothing that identifies a client or describes their care:
 * a session is "Session" with the client's initials (enough for the
 * clinician to tell two apart, too little to name anyone), blocked time is
 * "Busy", and no free text
 * (titles, notes, cancellation reasons: people type anything there) is
 * written.  Full detail is for the clinician's own use (and is audited by
 * the caller).
 */
static void
add_description (Exporter      *ex,
                 icalcomponent *event,
                 EventFacts    *facts)
{
  const TendIcsContext *ctx = ex->ctx;
  const char *clinician = lookup_name (ex, TEND_ICS_NAME_STAFF, facts->clinician_id);
  g_autoptr(GString) text = g_string_new (NULL);

  if (!ctx->privacy && facts->client_id != NULL)
    {
      const char *client = lookup_name (ex, TEND_ICS_NAME_CLIENT, facts->client_id);

      if (client != NULL)
        {
          g_string_append_printf (text, _("Client: %s"), client);
          g_string_append_c (text, '\n');
        }
    }
  if (clinician != NULL)
    {
      g_string_append_printf (text, _("Clinician: %s"), clinician);
      g_string_append_c (text, '\n');
    }
  if (!ctx->privacy)
    {
      g_string_append_printf (text, _("Status: %s"), tend_appointment_status_get_label (facts->status));
      g_string_append_c (text, '\n');
      if (facts->cancel_reason != NULL)
        {
          g_string_append_printf (text, _("Cancellation reason: %s"), facts->cancel_reason);
          g_string_append_c (text, '\n');
        }
      if (facts->note != NULL)
        {
          g_string_append_c (text, '\n');
          g_string_append (text, facts->note);
        }
    }
  while (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  if (text->len > 0)
    icalcomponent_add_property (event, icalproperty_new_description (text->str));
}

static void
add_details (Exporter      *ex,
             icalcomponent *event,
             EventFacts    *facts)
{
  const TendIcsContext *ctx = ex->ctx;
  g_autofree char *summary = NULL;
  const char *location = NULL;
  gboolean held = facts->status != TEND_APPOINTMENT_CANCELLED &&
                  facts->status != TEND_APPOINTMENT_LATE_CANCELLED &&
                  facts->status != TEND_APPOINTMENT_NO_SHOW;

  if (facts->kind == TEND_APPOINTMENT_KIND_BLOCKED)
    {
      if (ctx->privacy)
        summary = g_strdup (_("Busy"));
      else
        summary = g_strdup (facts->title != NULL ? facts->title : _("Blocked time"));
    }
  else
    {
      const char *client = lookup_name (ex, TEND_ICS_NAME_CLIENT, facts->client_id);

      if (ctx->privacy)
        {
          g_autofree char *initials = initials_of (client);

          /* TRANSLATORS: an exported calendar event; %s is the client's initials, e.g. "M.E." */
          summary = initials != NULL ? g_strdup_printf (_("Session · %s"), initials) : g_strdup (_("Session"));
        }
      else
        summary = client != NULL ? g_strdup_printf (_("Session with %s"), client) : g_strdup (_("Session"));
    }
  icalcomponent_add_property (event, icalproperty_new_summary (summary));
  add_description (ex, event, facts);

  if (facts->modality == TEND_MODALITY_TELEHEALTH)
    location = _("Telehealth");
  else
    location = lookup_name (ex, TEND_ICS_NAME_ROOM, facts->room_id);
  if (location != NULL)
    icalcomponent_add_property (event, icalproperty_new_location (location));

  icalcomponent_add_property (event, icalproperty_new_status (event_status (facts->kind, facts->status)));
  /* Time that is no longer held does not make anyone busy. */
  icalcomponent_add_property (event, icalproperty_new_transp (held ? ICAL_TRANSP_OPAQUE : ICAL_TRANSP_TRANSPARENT));
  icalcomponent_add_property (event, icalproperty_new_categories (facts->kind == TEND_APPOINTMENT_KIND_BLOCKED
                                                                  ? _("Blocked time") : _("Session")));
  if (facts->modality == TEND_MODALITY_TELEHEALTH)
    icalcomponent_add_property (event, icalproperty_new_categories (_("Telehealth")));
  add_x (event, "X-TEND-KIND", facts->kind == TEND_APPOINTMENT_KIND_BLOCKED ? "blocked" : "session");
  add_x (event, "X-TEND-STATUS", tend_appointment_status_to_string (facts->status));
}

static icalcomponent *
new_event (Exporter   *ex,
           const char *record_id,
           gint64      updated_at)
{
  icalcomponent *event = icalcomponent_new_vevent ();
  g_autofree char *uid = g_strconcat (record_id, TEND_UID_DOMAIN, NULL);

  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (event, icalproperty_new_dtstamp (ex->stamp));
  if (updated_at > 0)
    icalcomponent_add_property (event, icalproperty_new_lastmodified (utc_ical_time (updated_at)));
  return event;
}

/* A single appointment, or an occurrence that differs from its series
 * (@recurrence_zone set: RECURRENCE-ID names the occurrence it replaces). */
static gboolean
export_appointment (Exporter         *ex,
                    TendAppointment  *a,
                    const char       *uid_id,
                    Zone             *recurrence_zone,
                    GError          **error)
{
  EventFacts facts;
  icalcomponent *event;
  Zone *zone = ex->attendee != NULL ? ex->attendee : ex->practice;

  facts_from_appointment (&facts, a);
  event = new_event (ex, uid_id, facts.updated_at);
  if (recurrence_zone != NULL)
    {
      g_autoptr(GDateTime) original = NULL;
      const char *iso = tend_record_get_string (TEND_RECORD (a), "occurrence_start");

      original = iso != NULL ? tend_time_parse_iso8601 (iso, error) : NULL;
      if (original == NULL)
        {
          icalcomponent_free (event);
          return FALSE;
        }
      add_time (ex, event, icalproperty_new_recurrenceid, tend_time_to_unix_usec (original), recurrence_zone);
    }
  add_time (ex, event, icalproperty_new_dtstart, tend_appointment_get_start_usec (a), zone);
  add_time (ex, event, icalproperty_new_dtend, tend_appointment_get_end_usec (a), zone);
  add_details (ex, event, &facts);
  g_ptr_array_add (ex->events, event);
  return TRUE;
}

/* UNTIL must be in UTC when DTSTART has a zone (RFC 5545 3.3.10); a series
 * may hold a local one, which means the wall time in its zone. */
static void
normalise_until (struct icalrecurrencetype *rule,
                 Zone                      *zone)
{
  g_autoptr(GDateTime) local = NULL;
  struct icaltimetype u = rule->until;

  if (icaltime_is_null_time (u) || icaltime_is_utc (u) || zone->is_utc)
    return;
  if (u.is_date)
    local = g_date_time_new (zone->gtz, u.year, u.month, u.day, 23, 59, 59);
  else
    local = g_date_time_new (zone->gtz, u.year, u.month, u.day, u.hour, u.minute, u.second);
  if (local != NULL)
    rule->until = utc_ical_time (g_date_time_to_unix (local) * G_USEC_PER_SEC);
}

static gboolean
same_string (const char *a,
             const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

/* Does the occurrence say anything its series would not? */
static gboolean
occurrence_differs (TendSeries      *series,
                    TendAppointment *a,
                    gint64           original_usec)
{
  g_autoptr(GDateTime) original = tend_time_from_unix_usec (original_usec);
  g_autoptr(TendAppointment) plain = tend_series_make_occurrence (series, original);
  TendRecord *ra = TEND_RECORD (a), *rp = TEND_RECORD (plain);

  return tend_appointment_get_start_usec (a) != tend_appointment_get_start_usec (plain) ||
         tend_appointment_get_end_usec (a) != tend_appointment_get_end_usec (plain) ||
         tend_appointment_get_status (a) != TEND_APPOINTMENT_SCHEDULED ||
         tend_appointment_get_kind (a) != tend_appointment_get_kind (plain) ||
         tend_appointment_get_modality (a) != tend_appointment_get_modality (plain) ||
         !same_string (tend_appointment_get_client_id (a), tend_appointment_get_client_id (plain)) ||
         !same_string (tend_appointment_get_room_id (a), tend_appointment_get_room_id (plain)) ||
         !same_string (tend_appointment_get_title (a), tend_appointment_get_title (plain)) ||
         !same_string (tend_record_get_string (ra, "note"), tend_record_get_string (rp, "note"));
}

static int
compare_occurrences (gconstpointer a,
                     gconstpointer b)
{
  TendRecord *ra = *(TendRecord **) a, *rb = *(TendRecord **) b;

  /* RFC 3339 in UTC with a Z: text order is time order. */
  return g_strcmp0 (tend_record_get_string (ra, "occurrence_start"),
                    tend_record_get_string (rb, "occurrence_start"));
}

/*
 * A series is one VEVENT with its RRULE, in the series' own zone: it recurs
 * in that zone's wall-clock time, and writing the rule in another zone (even
 * for an attendee elsewhere) would move occurrences by an hour in the weeks
 * when the two zones' daylight-saving dates disagree.  A cancelled
 * occurrence is an EXDATE; one that was moved or otherwise changed is a
 * VEVENT of its own with the series' UID and a RECURRENCE-ID (and no EXDATE:
 * RFC 5545 excludes an EXDATE'd instance from the set, and several clients
 * then hide the override too).
 */
static gboolean
export_series (Exporter    *ex,
               TendSeries  *series,
               GPtrArray   *occurrences,
               GError     **error)
{
  const char *series_id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GDateTime) first = tend_series_dup_first_start (series);
  g_autoptr(GPtrArray) overrides = g_ptr_array_new ();
  struct icalrecurrencetype rule;
  EventFacts facts;
  icalcomponent *event;
  Zone *zone;
  gint64 first_usec;

  if (!tend_record_validate (TEND_RECORD (series), error))
    return FALSE;
  zone = exporter_zone (ex, tend_series_get_time_zone (series), error);
  if (zone == NULL)
    return FALSE;

  icalerror_clear_errno ();
  rule = icalrecurrencetype_from_string (tend_series_get_rrule (series));
  icalerror_clear_errno ();
  normalise_until (&rule, zone);

  facts_from_series (&facts, series);
  first_usec = tend_time_to_unix_usec (first);
  event = new_event (ex, series_id, facts.updated_at);
  add_time (ex, event, icalproperty_new_dtstart, first_usec, zone);
  add_time (ex, event, icalproperty_new_dtend,
            first_usec + (gint64) tend_series_get_duration (series) * 60 * G_USEC_PER_SEC, zone);
  icalcomponent_add_property (event, icalproperty_new_rrule (rule));

  g_ptr_array_sort (occurrences, compare_occurrences);
  for (guint i = 0; i < occurrences->len; i++)
    {
      TendAppointment *a = occurrences->pdata[i];
      const char *iso = tend_record_get_string (TEND_RECORD (a), "occurrence_start");
      g_autoptr(GDateTime) original = iso != NULL ? tend_time_parse_iso8601 (iso, error) : NULL;
      TendAppointmentStatus status = tend_appointment_get_status (a);

      if (original == NULL)
        {
          icalcomponent_free (event);
          return FALSE;
        }
      if (status == TEND_APPOINTMENT_CANCELLED || status == TEND_APPOINTMENT_LATE_CANCELLED)
        add_time (ex, event, icalproperty_new_exdate, tend_time_to_unix_usec (original), zone);
      else if (occurrence_differs (series, a, tend_time_to_unix_usec (original)))
        g_ptr_array_add (overrides, a);
    }
  add_details (ex, event, &facts);
  g_ptr_array_add (ex->events, event);

  for (guint i = 0; i < overrides->len; i++)
    if (!export_appointment (ex, overrides->pdata[i], series_id, zone, error))
      return FALSE;
  return TRUE;
}

/* The zone's VTIMEZONE from tzdata, named by its IANA identifier (libical
 * names its built-in zones "/freeassociation.sourceforge.net/…", which
 * other programs do not recognise), without the transitions before the
 * first time written. */
static icalcomponent *
vtimezone_for (Zone   *zone,
               gint64  earliest)
{
  icalcomponent *vtz = icalcomponent_new_clone (icaltimezone_get_component (zone->itz));
  icalproperty *tzid = icalcomponent_get_first_property (vtz, ICAL_TZID_PROPERTY);
  icalproperty *location = NULL;

  for (icalproperty *p = icalcomponent_get_first_property (vtz, ICAL_X_PROPERTY);
       p != NULL; p = icalcomponent_get_next_property (vtz, ICAL_X_PROPERTY))
    if (g_strcmp0 (icalproperty_get_x_name (p), "X-LIC-LOCATION") == 0)
      location = p;

  /* TZID first, as other programs write it. */
  if (tzid != NULL)
    {
      icalcomponent_remove_property (vtz, tzid);
      icalproperty_free (tzid);
    }
  if (location != NULL)
    {
      icalcomponent_remove_property (vtz, location);
      icalproperty_free (location);
    }
  icalcomponent_add_property (vtz, icalproperty_new_tzid (zone->tzid));
  add_x (vtz, "X-LIC-LOCATION", zone->tzid);
  /* A week's margin: a zone's offset in force at the first event must
   * still be described. */
  icaltimezone_truncate_vtimezone (vtz, utc_ical_time ((earliest / G_TIME_SPAN_DAY - 7) * G_TIME_SPAN_DAY),
                                   icaltime_null_time (), 0);
  return vtz;
}

/**
 * tend_ics_export:
 * @appointments: (element-type TendAppointment): single appointments, blocked
 *   time, and occurrences of the series in @series
 * @series: (element-type TendSeries) (nullable): the series whose occurrences
 *   are in @appointments; an occurrence of a series not given is written as a
 *   single event
 * @ctx: names, zones and how much detail to write
 *
 * Writes an RFC 5545 calendar (METHOD:PUBLISH) with one VTIMEZONE per zone
 * used.  Each event's UID is its record's id at tend.app, so a calendar that
 * subscribes to the export updates its events rather than duplicating them.
 *
 * Returns: (transfer full): the calendar, with CRLF line endings, or %NULL
 *   with %TEND_ERROR_INVALID (an unknown zone, an invalid record)
 */
char *
tend_ics_export (GPtrArray            *appointments,
                 GPtrArray            *series,
                 const TendIcsContext *ctx,
                 GError              **error)
{
  g_auto(Exporter) ex = { 0 };
  g_autoptr(GHashTable) by_series = NULL;   /* series id -> GPtrArray of occurrences */
  g_autoptr(GDateTime) now = NULL;
  char *text;
  char *out;

  g_return_val_if_fail (appointments != NULL, NULL);
  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (ctx->time_zone != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_libical ();
  ex.ctx = ctx;
  ex.zones = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) zone_free);
  ex.zone_list = g_ptr_array_new ();
  ex.events = g_ptr_array_new_with_free_func (free_event);
  ex.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ex.earliest = G_MAXINT64;
  now = ctx->now != NULL ? g_date_time_ref (ctx->now) : tend_time_now ();
  ex.stamp = utc_ical_time (tend_time_to_unix_usec (now));

  ex.practice = exporter_zone (&ex, ctx->time_zone, error);
  if (ex.practice == NULL)
    return NULL;
  if (ctx->attendee_time_zone != NULL)
    {
      ex.attendee = exporter_zone (&ex, ctx->attendee_time_zone, error);
      if (ex.attendee == NULL)
        return NULL;
    }

  ex.vcal = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (ex.vcal, icalproperty_new_prodid ("-//Tend//Tend 0.1//EN"));
  icalcomponent_add_property (ex.vcal, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (ex.vcal, icalproperty_new_calscale ("GREGORIAN"));
  icalcomponent_add_property (ex.vcal, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  if (ctx->practice_name != NULL)
    add_x (ex.vcal, "X-WR-CALNAME", ctx->practice_name);
  add_x (ex.vcal, "X-WR-TIMEZONE", (ex.attendee != NULL ? ex.attendee : ex.practice)->tzid);

  by_series = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; series != NULL && i < series->len; i++)
    {
      TendSeries *s = g_ptr_array_index (series, i);

      g_return_val_if_fail (TEND_IS_SERIES (s), NULL);
      g_hash_table_insert (by_series, (gpointer) tend_record_get_id (TEND_RECORD (s)), g_ptr_array_new ());
    }
  for (guint i = 0; i < appointments->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (appointments, i);
      const char *series_id;
      GPtrArray *occurrences;

      g_return_val_if_fail (TEND_IS_APPOINTMENT (a), NULL);
      series_id = tend_appointment_get_series_id (a);
      occurrences = series_id != NULL ? g_hash_table_lookup (by_series, series_id) : NULL;
      if (occurrences != NULL)
        g_ptr_array_add (occurrences, a);
    }

  for (guint i = 0; series != NULL && i < series->len; i++)
    {
      TendSeries *s = g_ptr_array_index (series, i);

      if (!export_series (&ex, s, g_hash_table_lookup (by_series, tend_record_get_id (TEND_RECORD (s))), error))
        return NULL;
    }
  for (guint i = 0; i < appointments->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (appointments, i);
      const char *series_id = tend_appointment_get_series_id (a);

      if (series_id != NULL && g_hash_table_contains (by_series, series_id))
        continue;
      if (!tend_record_validate (TEND_RECORD (a), error) ||
          !export_appointment (&ex, a, tend_record_get_id (TEND_RECORD (a)), NULL, error))
        return NULL;
    }

  /* VTIMEZONEs go before the events that use them (some readers need
   * that), in the order the zones were first used: the practice's first. */
  if (ex.earliest == G_MAXINT64)
    ex.earliest = tend_time_to_unix_usec (now);
  for (guint i = 0; i < ex.zone_list->len; i++)
    {
      Zone *zone = ex.zone_list->pdata[i];

      if (!zone->is_utc)
        icalcomponent_add_component (ex.vcal, vtimezone_for (zone, ex.earliest));
    }
  for (guint i = 0; i < ex.events->len; i++)
    icalcomponent_add_component (ex.vcal, g_steal_pointer (&ex.events->pdata[i]));

  text = icalcomponent_as_ical_string_r (ex.vcal);
  out = g_strdup (text);
  icalmemory_free_buffer (text);
  return out;
}

/* ------------------------------------------------------------------ */
/* Import                                                              */
/* ------------------------------------------------------------------ */

/**
 * tend_ics_import_options_init:
 *
 * Sets every field to its default: no range, no titles.
 */
void
tend_ics_import_options_init (TendIcsImportOptions *opts)
{
  g_return_if_fail (opts != NULL);

  memset (opts, 0, sizeof *opts);
}

/**
 * tend_ics_import_id:
 *
 * The id of the appointment made from the event @source_uid for
 * @clinician_id: derived (a name-based, version 5 style UUID) so that
 * importing the same file again finds the same records.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_ics_import_id (const char *clinician_id,
                    const char *source_uid)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);

  g_return_val_if_fail (clinician_id != NULL, NULL);
  g_return_val_if_fail (source_uid != NULL, NULL);

  g_checksum_update (sum, (const guchar *) "tend-ics:", -1);
  g_checksum_update (sum, (const guchar *) clinician_id, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) source_uid, -1);
  return tend_uuid_from_sha1 (sum);
}

typedef struct
{
  const TendIcsImportOptions *opts;
  Zone                       *practice;
  gint64                      from;
  gint64                      to;
  GPtrArray                  *out;          /* TendAppointment */
  GHashTable                 *by_source;    /* source_uid -> index in @out */
  GHashTable                 *overridden;   /* "UID\nkey" of instances a RECURRENCE-ID replaces */
  GArray                     *event_lines;  /* guint: the line of each BEGIN:VEVENT */
  guint                       iterations;
} Importer;

/* One VEVENT being read: where it is, for error messages. */
typedef struct
{
  icalcomponent *vcal;
  icalcomponent *ev;
  guint          line;      /* 0: unknown */
  const char    *uid;       /* NULL: none in the file */
} Event;

static void
importer_clear (Importer *im)
{
  g_clear_pointer (&im->practice, zone_free);
  g_clear_pointer (&im->out, g_ptr_array_unref);
  g_clear_pointer (&im->by_source, g_hash_table_unref);
  g_clear_pointer (&im->overridden, g_hash_table_unref);
  g_clear_pointer (&im->event_lines, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Importer, importer_clear)

static guint
line_at (const char *data,
         const char *at)
{
  guint line = 1;

  for (const char *p = data; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

/* Names the event in an error: its line and UID, as far as known. */
G_GNUC_PRINTF (3, 4)
static gboolean
event_error (Event       *e,
             GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  g_autofree char *uid = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* A UID is anything its program chose: keep the message readable. */
  if (e->uid != NULL && g_utf8_strlen (e->uid, -1) > 80)
    {
      g_autofree char *head = g_utf8_substring (e->uid, 0, 80);

      uid = g_strconcat (head, "…", NULL);
    }
  else
    uid = g_strdup (e->uid);

  if (e->line > 0 && uid != NULL)
    /* TRANSLATORS: "Line 12, event “abc@google.com”: the event has no start (DTSTART)" */
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Line %u, event “%s”: %s"), e->line, uid, message);
  else if (e->line > 0)
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Line %u: %s"), e->line, message);
  else if (uid != NULL)
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Event “%s”: %s"), uid, message);
  else
    /* TRANSLATORS: an error outside of any event, e.g. in a VTIMEZONE */
    g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("In the calendar: %s"), message);
  return FALSE;
}

static gboolean
time_is_sane (struct icaltimetype t)
{
  if (t.year < MIN_YEAR || t.year > MAX_YEAR || t.month < 1 || t.month > 12 ||
      t.day < 1 || t.day > icaltime_days_in_month (t.month, t.year))
    return FALSE;
  if (t.is_date)
    return TRUE;
  return t.hour >= 0 && t.hour < 24 && t.minute >= 0 && t.minute < 60 && t.second >= 0 && t.second <= 60;
}

static const char *
property_name (icalproperty *prop)
{
  return icalproperty_kind_to_string (icalproperty_isa (prop));
}

/* The zone a TZID names: the file's VTIMEZONE first (RFC 5545), else the
 * system's zone of that IANA name. */
static icaltimezone *
resolve_tzid (Event       *e,
              const char  *tzid)
{
  static const char * const prefixes[] = {
    /* How libical and Evolution have named the zones they wrote. */
    "/freeassociation.sourceforge.net/Tzfile/",
    "/freeassociation.sourceforge.net/",
  };
  icaltimezone *zone;
  const char *name = tzid;

  zone = icalcomponent_get_timezone (e->vcal, tzid);
  if (zone != NULL)
    return zone;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (tzid, prefixes[i]))
      {
        name = tzid + strlen (prefixes[i]);
        break;
      }
  if (!is_plain_zone_name (name) || is_utc_identifier (name))
    return g_strcmp0 (name, "UTC") == 0 || g_strcmp0 (name, "Etc/UTC") == 0
           ? icaltimezone_get_utc_timezone () : NULL;
  zone = icaltimezone_get_builtin_timezone (name);
  icalerror_clear_errno ();
  return zone;
}

/*
 * A value of @prop as an instant (UTC microseconds).  A DATE is local
 * midnight in the practice's zone, as is a floating time its wall time: a
 * file that names no zone means "wherever you are", and the practice is
 * where its clinicians are.
 */
static gboolean
value_usec (Importer             *im,
            Event                *e,
            icalproperty         *prop,
            struct icaltimetype   t,
            gint64               *usec,
            GError              **error)
{
  icalparameter *param;
  int second;

  if (!time_is_sane (t))
    return event_error (e, error, _("%s: “%s” is not a date and time Tend can use (years %d to %d)"),
                        property_name (prop), icaltime_as_ical_string (t), MIN_YEAR, MAX_YEAR);

  /* 23:59:60, a leap second, is read as 23:59:59. */
  second = MIN (t.second, 59);
  if (t.is_date || (!icaltime_is_utc (t) && icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER) == NULL))
    {
      g_autoptr(GDateTime) local = g_date_time_new (im->practice->gtz, t.year, t.month, t.day,
                                                    t.is_date ? 0 : t.hour, t.is_date ? 0 : t.minute,
                                                    t.is_date ? 0 : second);

      if (local == NULL)
        return event_error (e, error, _("%s: “%s” is not a date and time Tend can use (years %d to %d)"),
                            property_name (prop), icaltime_as_ical_string (t), MIN_YEAR, MAX_YEAR);
      *usec = g_date_time_to_unix (local) * G_USEC_PER_SEC;
      return TRUE;
    }

  param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  t.second = second;
  if (param != NULL && !icaltime_is_utc (t))
    {
      const char *tzid = icalparameter_get_tzid (param);
      icaltimezone *zone = tzid != NULL ? resolve_tzid (e, tzid) : NULL;

      if (zone == NULL)
        return event_error (e, error, _("%s: the time zone “%s” is unknown and the file does not describe it (no VTIMEZONE)"),
                            property_name (prop), tzid != NULL ? tzid : "");
      t.zone = NULL;
      *usec = (gint64) icaltime_as_timet_with_zone (t, zone) * G_USEC_PER_SEC;
      icalerror_clear_errno ();
      return TRUE;
    }
  *usec = (gint64) icaltime_as_timet_with_zone (t, icaltimezone_get_utc_timezone ()) * G_USEC_PER_SEC;
  icalerror_clear_errno ();
  return TRUE;
}

/* The local wall time of @usec in the zone @prop's values are in (the
 * inverse of value_usec() for date-times). */
static struct icaltimetype
usec_to_value_zone (Importer     *im,
                    Event        *e,
                    icalproperty *prop,
                    gint64        usec)
{
  icalparameter *param = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  struct icaltimetype t = icalproperty_get_dtstart (prop);
  icaltimezone *zone = NULL;

  if (icaltime_is_utc (t))
    zone = icaltimezone_get_utc_timezone ();
  else if (param != NULL && icalparameter_get_tzid (param) != NULL)
    zone = resolve_tzid (e, icalparameter_get_tzid (param));
  if (zone != NULL)
    {
      t = icaltime_from_timet_with_zone ((time_t) (usec / G_USEC_PER_SEC), 0, zone);
      t.zone = NULL;
      return t;
    }
  {
    g_autoptr(GDateTime) utc = tend_time_from_unix_usec (usec);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, im->practice->gtz);

    t = icaltime_null_time ();
    t.year = g_date_time_get_year (local);
    t.month = g_date_time_get_month (local);
    t.day = g_date_time_get_day_of_month (local);
    t.hour = g_date_time_get_hour (local);
    t.minute = g_date_time_get_minute (local);
    t.second = g_date_time_get_second (local);
    return t;
  }
}

/* The instance key that names an occurrence in a source uid: its start in
 * UTC, or its date for an all-day event. */
static char *
instance_key (gint64   usec,
              gboolean is_date,
              Zone    *practice)
{
  g_autoptr(GDateTime) utc = tend_time_from_unix_usec (usec);

  if (is_date)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, practice->gtz);

      return g_date_time_format (local, "%Y%m%d");
    }
  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/* A source uid the appointment field can hold: one line, at most 255
 * characters.  Anything else is replaced by its digest (stable, so
 * re-importing still finds it). */
static char *
sanitise_source_uid (const char *text)
{
  g_autofree char *digest = NULL;
  gboolean ok = g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) <= 255 &&
                *text != '\0' && !g_ascii_isspace (text[0]) && !g_ascii_isspace (text[strlen (text) - 1]);

  for (const char *p = text; ok && *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      ok = FALSE;
  if (ok)
    return g_strdup (text);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  return g_strconcat ("sha256:", digest, NULL);
}

/* SUMMARY as a title: its first line, without control characters, cut to
 * the 120 characters the field holds. */
static char *
title_of (icalcomponent *ev)
{
  const char *summary = icalcomponent_get_summary (ev);
  GString *out;
  char *title;
  guint n = 0;

  if (summary == NULL || !g_utf8_validate (summary, -1, NULL))
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = summary; *p && n < 120; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r')
        break;
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
      n++;
    }
  title = g_strstrip (g_string_free (out, FALSE));
  if (*title == '\0')
    g_clear_pointer (&title, g_free);
  return title;
}

static gboolean
add_piece (Importer    *im,
           Event       *e,
           const char  *source_uid,
           gint64       start,
           gint64       end,
           GError     **error)
{
  g_autoptr(GDateTime) s = NULL;
  g_autoptr(GDateTime) en = NULL;
  g_autoptr(TendAppointment) a = NULL;
  g_autofree char *uid = sanitise_source_uid (source_uid);
  g_autofree char *id = tend_ics_import_id (im->opts->clinician_id, uid);
  g_autoptr(GError) local = NULL;
  TendRecord *r;
  gpointer index;

  if (end <= im->from || start >= im->to)
    return TRUE;
  s = tend_time_from_unix_usec (start);
  en = tend_time_from_unix_usec (end);
  a = tend_appointment_new (im->opts->clinician_id, s, en);
  r = TEND_RECORD (a);
  tend_record_set_id (r, id);
  tend_record_set_int (r, "kind", TEND_APPOINTMENT_KIND_BLOCKED);
  tend_record_set_string (r, "source_uid", uid);
  if (im->opts->keep_titles)
    {
      g_autofree char *title = title_of (e->ev);

      tend_record_set_string (r, "title", title);
    }
  if (!tend_record_validate (r, &local))
    return event_error (e, error, "%s", local->message);

  /* The same event twice (a calendar that repeats itself): the later copy wins. */
  if (g_hash_table_lookup_extended (im->by_source, uid, NULL, &index))
    {
      g_object_unref (im->out->pdata[GPOINTER_TO_UINT (index)]);
      im->out->pdata[GPOINTER_TO_UINT (index)] = g_steal_pointer (&a);
      return TRUE;
    }
  if (im->out->len >= TEND_ICS_MAX_EVENTS)
    return event_error (e, error, _("the file makes more than %u appointments; import a shorter period"),
                        TEND_ICS_MAX_EVENTS);
  g_hash_table_insert (im->by_source, g_strdup (uid), GUINT_TO_POINTER (im->out->len));
  g_ptr_array_add (im->out, g_steal_pointer (&a));
  return TRUE;
}

/* The next local midnight after @usec in the practice's zone. */
static gint64
next_midnight (Importer *im,
               gint64    usec)
{
  g_autoptr(GDateTime) utc = tend_time_from_unix_usec (usec);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, im->practice->gtz);
  g_autoptr(GDateTime) day = g_date_time_new (im->practice->gtz, g_date_time_get_year (local),
                                              g_date_time_get_month (local),
                                              g_date_time_get_day_of_month (local), 0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);
  /* A zone that skips midnight on its DST day gives the time after the gap. */
  g_autoptr(GDateTime) midnight = g_date_time_new (im->practice->gtz, g_date_time_get_year (next),
                                                   g_date_time_get_month (next),
                                                   g_date_time_get_day_of_month (next), 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

/*
 * Busy time from @start to @end.  An appointment lasts at most a day, so a
 * longer event (a conference, a week's leave) becomes one piece per local
 * day, each named after its date; a day of 25 hours (when the clocks go
 * back) is two pieces.
 */
static gboolean
add_busy (Importer    *im,
          Event       *e,
          const char  *source_uid,
          gint64       start,
          gint64       end,
          GError     **error)
{
  gint64 s;

  if (end <= start)
    return TRUE;
  if (end - start <= 24 * G_TIME_SPAN_HOUR)
    return add_piece (im, e, source_uid, start, end, error);

  /* Pieces before the range are never made: start the walk there. */
  s = start;
  if (im->from > s + 2 * G_TIME_SPAN_DAY)
    {
      gint64 day_before = next_midnight (im, im->from - 2 * G_TIME_SPAN_DAY);

      s = MAX (start, day_before);
    }
  while (s < end && s < im->to)
    {
      gint64 e_piece = MIN (next_midnight (im, s), end);
      g_autoptr(GDateTime) utc = tend_time_from_unix_usec (s);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, im->practice->gtz);
      g_autofree char *date = g_date_time_format (local, "%Y%m%d");

      if (e_piece <= s)
        break;
      if (e_piece - s > 24 * G_TIME_SPAN_HOUR)
        {
          gint64 mid = s + (e_piece - s) / 2;
          g_autofree char *uid_a = g_strdup_printf ("%s#%s", source_uid, date);
          g_autofree char *uid_b = g_strdup_printf ("%s#%sb", source_uid, date);

          if (!add_piece (im, e, uid_a, s, mid, error) || !add_piece (im, e, uid_b, mid, e_piece, error))
            return FALSE;
        }
      else
        {
          g_autofree char *uid = g_strdup_printf ("%s#%s", source_uid, date);

          if (!add_piece (im, e, uid, s, e_piece, error))
            return FALSE;
        }
      s = e_piece;
    }
  return TRUE;
}

/* Properties libical could not read leave X-LIC-ERRORs behind; those that
 * touch the times, the recurrence or whether the event counts make the file
 * unusable. */
static gboolean
check_parse_errors (Event          *e,
                    icalcomponent  *comp,
                    gboolean        recurse,
                    GError        **error)
{
  static const char * const vital[] = {
    "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID",
    "UID", "STATUS", "TRANSP", "TZID", "TZOFFSETFROM", "TZOFFSETTO",
  };

  for (icalproperty *p = icalcomponent_get_first_property (comp, ICAL_XLICERROR_PROPERTY);
       p != NULL; p = icalcomponent_get_next_property (comp, ICAL_XLICERROR_PROPERTY))
    {
      icalparameter *type = icalproperty_get_first_parameter (p, ICAL_XLICERRORTYPE_PARAMETER);
      const char *text = icalproperty_get_xlicerror (p);
      g_autofree char *head = NULL;
      const char *cut;

      if (text == NULL)
        continue;
      if (type != NULL && icalparameter_get_xlicerrortype (type) == ICAL_XLICERRORTYPE_COMPONENTPARSEERROR)
        return event_error (e, error, _("the file is not valid iCalendar here (%s)"), text);
      /* Only the message, not the value libical quotes after it. */
      cut = strstr (text, "Removing entire property");
      head = cut != NULL ? g_strndup (text, cut - text) : g_strdup (text);
      for (guint i = 0; i < G_N_ELEMENTS (vital); i++)
        {
          g_autofree char *needle = g_strdup_printf (" %s ", vital[i]);

          if (strstr (head, needle) != NULL)
            return event_error (e, error, _("the %s property cannot be read (%s)"), vital[i], text);
        }
    }
  for (icalcomponent *c = recurse ? icalcomponent_get_first_component (comp, ICAL_ANY_COMPONENT) : NULL;
       c != NULL; c = icalcomponent_get_next_component (comp, ICAL_ANY_COMPONENT))
    if (!check_parse_errors (e, c, TRUE, error))
      return FALSE;
  return TRUE;
}

static gboolean
event_is_free (icalcomponent *ev)
{
  icalproperty *p = icalcomponent_get_first_property (ev, ICAL_STATUS_PROPERTY);

  if (p != NULL && icalproperty_get_status (p) == ICAL_STATUS_CANCELLED)
    return TRUE;
  p = icalcomponent_get_first_property (ev, ICAL_TRANSP_PROPERTY);
  if (p != NULL)
    {
      icalproperty_transp t = icalproperty_get_transp (p);

      if (t == ICAL_TRANSP_TRANSPARENT || t == ICAL_TRANSP_TRANSPARENTNOCONFLICT)
        return TRUE;
    }
  return FALSE;
}

static char *
override_key (const char *uid,
              const char *key)
{
  return g_strconcat (uid, "\n", key, NULL);
}

/* Bounds of one event, as read. */
typedef struct
{
  icalproperty *dtstart;
  gboolean      is_date;
  gint64        start;
  gint64        length;       /* for date-times: exact microseconds */
  int           days;         /* for dates: nominal days */
} Span;

static gint64
duration_usec (struct icaldurationtype d)
{
  gint64 s = (gint64) d.weeks * 7 * 86400 + (gint64) d.days * 86400 + (gint64) d.hours * 3600 +
             (gint64) d.minutes * 60 + (gint64) d.seconds;

  return (d.is_neg ? -s : s) * G_USEC_PER_SEC;
}

static gboolean
read_span (Importer  *im,
           Event     *e,
           Span      *span,
           GError   **error)
{
  icalproperty *dtend = icalcomponent_get_first_property (e->ev, ICAL_DTEND_PROPERTY);
  icalproperty *duration = icalcomponent_get_first_property (e->ev, ICAL_DURATION_PROPERTY);
  struct icaltimetype st;

  span->dtstart = icalcomponent_get_first_property (e->ev, ICAL_DTSTART_PROPERTY);
  if (span->dtstart == NULL)
    return event_error (e, error, _("the event has no start (DTSTART)"));
  st = icalproperty_get_dtstart (span->dtstart);
  if (icaltime_is_null_time (st))
    return event_error (e, error, _("the event has no start (DTSTART)"));
  span->is_date = st.is_date;
  if (!value_usec (im, e, span->dtstart, st, &span->start, error))
    return FALSE;

  span->length = 0;
  span->days = span->is_date ? 1 : 0;
  if (dtend != NULL)
    {
      struct icaltimetype et = icalproperty_get_dtend (dtend);
      gint64 end;

      if (icaltime_is_null_time (et))
        return event_error (e, error, _("the end (DTEND) cannot be read"));
      if (!value_usec (im, e, dtend, et, &end, error))
        return FALSE;
      if (end < span->start)
        return event_error (e, error, _("the event ends (DTEND) before it starts (DTSTART)"));
      span->length = end - span->start;
      if (span->is_date && et.is_date)
        {
          GDate a, b;

          g_date_clear (&a, 1);
          g_date_clear (&b, 1);
          g_date_set_dmy (&a, (GDateDay) st.day, (GDateMonth) st.month, (GDateYear) st.year);
          g_date_set_dmy (&b, (GDateDay) et.day, (GDateMonth) et.month, (GDateYear) et.year);
          span->days = g_date_days_between (&a, &b);
        }
      else if (span->is_date)
        span->is_date = FALSE;   /* a date that ends at a time: read as times */
    }
  else if (duration != NULL)
    {
      struct icaldurationtype d = icalproperty_get_duration (duration);
      gint64 length = duration_usec (d);

      if (length < 0)
        return event_error (e, error, _("the event ends (DURATION) before it starts (DTSTART)"));
      if (length > (gint64) (MAX_YEAR - MIN_YEAR) * 366 * G_TIME_SPAN_DAY)
        return event_error (e, error, _("the length (DURATION) is not plausible"));
      span->length = length;
      if (span->is_date)
        span->days = (int) (length / G_TIME_SPAN_DAY);
    }
  else if (span->is_date)
    span->length = G_TIME_SPAN_DAY;
  return TRUE;
}

/* The end of an instance that starts at @start. */
static gint64
span_end (Importer *im,
          Span     *span,
          gint64    start)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (!span->is_date)
    return start + span->length;
  /* All day: midnight to midnight, whatever the day's length. */
  utc = tend_time_from_unix_usec (start);
  local = g_date_time_to_timezone (utc, im->practice->gtz);
  later = g_date_time_add_days (local, span->days);
  if (later == NULL)
    return start;
  end = g_date_time_new (im->practice->gtz, g_date_time_get_year (later), g_date_time_get_month (later),
                         g_date_time_get_day_of_month (later), 0, 0, 0);
  return end != NULL ? g_date_time_to_unix (end) * G_USEC_PER_SEC : start;
}

/* An event without a UID (RFC 5545 requires one; hand-written files omit
 * it) is named after what it says, so re-importing still finds it. */
static char *
synthesise_uid (icalcomponent *ev)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  static const icalproperty_kind kinds[] = {
    ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY, ICAL_DURATION_PROPERTY, ICAL_RRULE_PROPERTY,
    ICAL_SUMMARY_PROPERTY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      icalproperty *p = icalcomponent_get_first_property (ev, kinds[i]);
      char *text = p != NULL ? icalproperty_as_ical_string_r (p) : NULL;

      if (text != NULL)
        {
          g_checksum_update (sum, (const guchar *) text, -1);
          icalmemory_free_buffer (text);
        }
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strconcat ("nouid:", g_checksum_get_string (sum), NULL);
}

typedef struct
{
  GHashTable *usecs;    /* gint64 instants excluded */
  GHashTable *days;     /* "YYYYMMDD" dates excluded (an all-day EXDATE of a timed event) */
} Exclusions;

static gboolean
add_instance (Importer    *im,
              Event       *e,
              const char  *uid,
              Span        *span,
              Exclusions  *ex,
              gint64       start,
              GError     **error)
{
  g_autofree char *key = instance_key (start, span->is_date, im->practice);
  g_autofree char *okey = override_key (uid, key);
  g_autofree char *source = NULL;

  if (g_hash_table_contains (ex->usecs, &start) || g_hash_table_contains (im->overridden, okey))
    return TRUE;
  if (g_hash_table_size (ex->days) > 0)
    {
      g_autofree char *day = instance_key (start, TRUE, im->practice);

      if (g_hash_table_contains (ex->days, day))
        return TRUE;
    }
  source = g_strdup_printf ("%s/%s", uid, key);
  return add_busy (im, e, source, start, span_end (im, span, start), error);
}

/* RRULE's UNTIL in the wall time DTSTART's values are in, as libical's
 * iterator compares it with them as they are. */
static struct icaltimetype
local_until (Importer            *im,
             Event               *e,
             Span                *span,
             struct icaltimetype  until)
{
  struct icaltimetype local;
  gint64 usec;

  if (icaltime_is_null_time (until) || !time_is_sane (until))
    return until;
  if (span->is_date)
    {
      if (until.is_date)
        return until;
      usec = (gint64) icaltime_as_timet_with_zone (until, icaltime_is_utc (until) ? icaltimezone_get_utc_timezone () : NULL) *
             G_USEC_PER_SEC;
      local = usec_to_value_zone (im, e, span->dtstart, usec);
      local.is_date = 1;
      local.hour = local.minute = local.second = 0;
      return local;
    }
  if (until.is_date)
    {
      local = until;
      local.is_date = 0;
      local.hour = 23;
      local.minute = 59;
      local.second = 59;
      return local;
    }
  if (!icaltime_is_utc (until))
    return until;
  usec = (gint64) icaltime_as_timet_with_zone (until, icaltimezone_get_utc_timezone ()) * G_USEC_PER_SEC;
  return usec_to_value_zone (im, e, span->dtstart, usec);
}

static gboolean
expand_rule (Importer      *im,
             Event         *e,
             const char    *uid,
             Span          *span,
             Exclusions    *ex,
             icalproperty  *prop,
             GError       **error)
{
  struct icalrecurrencetype rule = icalproperty_get_rrule (prop);
  struct icaltimetype dtstart = icalproperty_get_dtstart (span->dtstart);
  gboolean in_utc = icaltime_is_utc (dtstart);
  icalrecur_iterator *it;
  struct icaltimetype next;
  gboolean ok = TRUE;

  switch (rule.freq)
    {
    case ICAL_DAILY_RECURRENCE:
    case ICAL_WEEKLY_RECURRENCE:
    case ICAL_MONTHLY_RECURRENCE:
    case ICAL_YEARLY_RECURRENCE:
      break;
    case ICAL_SECONDLY_RECURRENCE:
    case ICAL_MINUTELY_RECURRENCE:
    case ICAL_HOURLY_RECURRENCE:
      /* Real calendars do not repeat events by the hour, and libical's
       * iterator, looking for instances of such a rule that never come
       * (FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30), takes many seconds, by the
       * minute or second far longer: refused rather than risked. */
      return event_error (e, error, _("the repetition rule (RRULE) repeats more often than daily, which Tend does not import"));
    case ICAL_NO_RECURRENCE:
    default:
      return event_error (e, error, _("the repetition rule (RRULE) cannot be read"));
    }

  /* The iterator works on wall times without a zone (it would convert
   * otherwise); value_usec() places each in DTSTART's zone. */
  rule.until = local_until (im, e, span, rule.until);
  rule.until.zone = NULL;
  dtstart.zone = NULL;
  icalerror_clear_errno ();
  it = icalrecur_iterator_new (rule, dtstart);
  icalerror_clear_errno ();
  if (it == NULL)
    return event_error (e, error, _("the repetition rule (RRULE) cannot be expanded"));

  while (ok)
    {
      gint64 start;

      next = icalrecur_iterator_next (it);
      if (icaltime_is_null_time (next))
        break;
      if (++im->iterations > MAX_ITERATIONS)
        {
          ok = event_error (e, error, _("the repetition rules (RRULE) make more occurrences than Tend expands"));
          break;
        }
      if (!time_is_sane (next))
        break;
      next.is_date = dtstart.is_date;
      next.zone = in_utc ? icaltimezone_get_utc_timezone () : NULL;
      if (!value_usec (im, e, span->dtstart, next, &start, error))
        {
          ok = FALSE;
          break;
        }
      if (start >= im->to)
        break;
      if (span_end (im, span, start) <= im->from)
        continue;
      ok = add_instance (im, e, uid, span, ex, start, error);
    }
  icalrecur_iterator_free (it);
  icalerror_clear_errno ();
  return ok;
}

/* The properties of one kind, taken before anything else looks at @comp:
 * libical keeps one property iterator per component, and a call such as
 * icalcomponent_get_summary() moves it under a loop's feet. */
static GPtrArray *
properties_of (icalcomponent     *comp,
               icalproperty_kind  kind)
{
  GPtrArray *props = g_ptr_array_new ();

  for (icalproperty *p = icalcomponent_get_first_property (comp, kind);
       p != NULL; p = icalcomponent_get_next_property (comp, kind))
    g_ptr_array_add (props, p);
  return props;
}

static gboolean
import_event (Importer  *im,
              Event     *e,
              GError   **error)
{
  icalproperty *recurid = icalcomponent_get_first_property (e->ev, ICAL_RECURRENCEID_PROPERTY);
  g_autofree char *own_uid = e->uid == NULL ? synthesise_uid (e->ev) : NULL;
  const char *uid = e->uid != NULL ? e->uid : own_uid;
  g_autoptr(GHashTable) ex_usecs = NULL;
  g_autoptr(GHashTable) ex_days = NULL;
  g_autoptr(GPtrArray) exdates = NULL;
  g_autoptr(GPtrArray) rrules = NULL;
  g_autoptr(GPtrArray) rdates = NULL;
  Exclusions ex;
  Span span;
  gboolean recurring;

  if (!read_span (im, e, &span, error))
    return FALSE;

  if (recurid != NULL)
    {
      struct icaltimetype rt = icalproperty_get_recurrenceid (recurid);
      g_autofree char *key = NULL;
      g_autofree char *source = NULL;
      gint64 original;

      if (!value_usec (im, e, recurid, rt, &original, error))
        return FALSE;
      key = instance_key (original, rt.is_date, im->practice);
      source = g_strdup_printf ("%s/%s", uid, key);
      return add_busy (im, e, source, span.start, span_end (im, &span, span.start), error);
    }

  recurring = icalcomponent_get_first_property (e->ev, ICAL_RRULE_PROPERTY) != NULL ||
              icalcomponent_get_first_property (e->ev, ICAL_RDATE_PROPERTY) != NULL;
  if (!recurring)
    return add_busy (im, e, uid, span.start, span_end (im, &span, span.start), error);

  ex_usecs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ex_days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ex.usecs = ex_usecs;
  ex.days = ex_days;
  exdates = properties_of (e->ev, ICAL_EXDATE_PROPERTY);
  rrules = properties_of (e->ev, ICAL_RRULE_PROPERTY);
  rdates = properties_of (e->ev, ICAL_RDATE_PROPERTY);
  for (guint i = 0; i < exdates->len; i++)
    {
      icalproperty *p = exdates->pdata[i];
      struct icaltimetype t = icalproperty_get_exdate (p);
      gint64 usec;

      if (!value_usec (im, e, p, t, &usec, error))
        return FALSE;
      if (t.is_date && !span.is_date)
        g_hash_table_add (ex_days, instance_key (usec, TRUE, im->practice));
      else
        g_hash_table_add (ex_usecs, g_memdup2 (&usec, sizeof usec));
    }

  /* The first instance is DTSTART, whatever the rule says (RFC 5545 3.8.5.3). */
  if (!add_instance (im, e, uid, &span, &ex, span.start, error))
    return FALSE;
  for (guint i = 0; i < rrules->len; i++)
    if (!expand_rule (im, e, uid, &span, &ex, rrules->pdata[i], error))
      return FALSE;
  for (guint i = 0; i < rdates->len; i++)
    {
      icalproperty *p = rdates->pdata[i];
      struct icaldatetimeperiodtype v = icalproperty_get_rdate (p);
      struct icaltimetype t = icaltime_is_null_time (v.time) ? v.period.start : v.time;
      gint64 usec;

      if (icaltime_is_null_time (t))
        return event_error (e, error, _("an extra date (RDATE) cannot be read"));
      if (!value_usec (im, e, p, t, &usec, error) ||
          !add_instance (im, e, uid, &span, &ex, usec, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GPtrArray *stack;          /* the names of the components open */
  GArray    *event_lines;    /* guint: where each BEGIN:VEVENT is */
  gboolean   seen_text;
  gboolean   starts_well;    /* the first line that is not blank is BEGIN:VCALENDAR */
  gboolean   ends_well;      /* ... and the last one END:VCALENDAR */
  gboolean   any_event;
  gboolean   any_calendar;
} Envelope;

static gboolean
is_blank (const char *text,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

static gboolean
line_equals (const char *text,
             gsize       len,
             const char *what)
{
  return len == strlen (what) && memcmp (text, what, len) == 0;
}

/* The component named on a BEGIN: or END: line, for messages: at most 40
 * characters. */
static char *
component_name (const char *text,
                gsize       len,
                gsize       prefix)
{
  g_autofree char *name = g_strndup (text + prefix, len - prefix);

  return g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 40));
}

/*
 * One unfolded line.  BEGIN and END must pair up: libical accepts END:VTODO
 * closing a VEVENT, drops a component whose BEGIN is not in capitals, and
 * prints to stderr about an END without a BEGIN.  Checking here gives the
 * line number, and bounds the nesting libical would recurse into.
 */
static gboolean
check_line (Envelope    *env,
            const char  *text,
            gsize        len,
            guint        number,
            GError     **error)
{
  gboolean begin, is_end;
  gsize name_len;

  if (is_blank (text, len))
    return TRUE;
  if (!env->seen_text)
    env->starts_well = line_equals (text, len, "BEGIN:VCALENDAR");
  env->seen_text = TRUE;
  env->ends_well = line_equals (text, len, "END:VCALENDAR");

  /* libical takes any line named BEGIN or END, whatever follows the name. */
  name_len = strcspn (text, ":;");
  begin = name_len == 5 && g_ascii_strncasecmp (text, "BEGIN", 5) == 0;
  is_end = name_len == 3 && g_ascii_strncasecmp (text, "END", 3) == 0;
  if (!begin && !is_end)
    return TRUE;
  if (name_len >= len || text[name_len] != ':')
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Line %u: BEGIN and END lines take a component name and nothing else"), number);
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (g_ascii_islower (text[i]))
      {
        g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                     _("Line %u: BEGIN and END lines must be in capitals"), number);
        return FALSE;
      }

  if (begin)
    {
      if (env->stack->len >= 16)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Line %u: the components are nested too deeply"), number);
          return FALSE;
        }
      g_ptr_array_add (env->stack, g_strndup (text + 6, len - 6));
      if (line_equals (text, len, "BEGIN:VEVENT"))
        {
          env->any_event = TRUE;
          if (env->event_lines->len >= TEND_ICS_MAX_EVENTS)
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("The file holds more than %u events, more than Tend imports at once"),
                           TEND_ICS_MAX_EVENTS);
              return FALSE;
            }
          g_array_append_val (env->event_lines, number);
        }
      else if (line_equals (text, len, "BEGIN:VCALENDAR"))
        env->any_calendar = TRUE;
      return TRUE;
    }

  if (env->stack->len == 0)
    {
      g_autofree char *name = component_name (text, len, 4);

      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Line %u: END:%s has no BEGIN:%s before it"), number, name, name);
      return FALSE;
    }
  if (strlen (env->stack->pdata[env->stack->len - 1]) != len - 4 ||
      memcmp (env->stack->pdata[env->stack->len - 1], text + 4, len - 4) != 0)
    {
      g_autofree char *name = component_name (text, len, 4);
      g_autofree char *open = component_name (env->stack->pdata[env->stack->len - 1],
                                              strlen (env->stack->pdata[env->stack->len - 1]), 0);

      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Line %u: END:%s where END:%s was expected"), number, name, open);
      return FALSE;
    }
  g_ptr_array_set_size (env->stack, env->stack->len - 1);
  return TRUE;
}

/* Walks the text as libical will read it: lines end at LF (a CR before it
 * is dropped), and a line that starts with a space or a tab continues the
 * one before (RFC 5545 3.1, folding). */
static gboolean
check_envelope (const char  *text,
                gsize        length,
                GArray      *event_lines,
                GError     **error)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) logical = g_string_new (NULL);
  const char *end = text + length;
  Envelope env = { stack, event_lines, FALSE, FALSE, FALSE, FALSE, FALSE };
  guint line = 0, logical_line = 0;

  for (const char *p = text; p < end;)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl != NULL ? nl : end;
      gsize len = stop - p;

      line++;
      if (len > 0 && p[len - 1] == '\r')
        len--;
      if (len > 0 && (p[0] == ' ' || p[0] == '\t') && logical_line > 0)
        g_string_append_len (logical, p + 1, len - 1);
      else
        {
          if (logical_line > 0 && !check_line (&env, logical->str, logical->len, logical_line, error))
            return FALSE;
          g_string_truncate (logical, 0);
          g_string_append_len (logical, p, len);
          logical_line = line;
        }
      p = nl != NULL ? nl + 1 : end;
    }
  if (logical_line > 0 && !check_line (&env, logical->str, logical->len, logical_line, error))
    return FALSE;

  if (!env.starts_well)
    {
      if (env.any_event && !env.any_calendar)
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                             _("The events are not inside a calendar: the file has no BEGIN:VCALENDAR"));
      else
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                             _("This is not an iCalendar file: it does not start with BEGIN:VCALENDAR"));
      return FALSE;
    }
  if (!env.ends_well || stack->len > 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("The file is incomplete: it does not end with END:VCALENDAR"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
collect_calendars (icalcomponent  *root,
                   GPtrArray      *calendars,
                   GError        **error)
{
  if (icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT)
    g_ptr_array_add (calendars, root);
  else if (icalcomponent_isa (root) == ICAL_XROOT_COMPONENT)
    for (icalcomponent *c = icalcomponent_get_first_component (root, ICAL_ANY_COMPONENT);
         c != NULL; c = icalcomponent_get_next_component (root, ICAL_ANY_COMPONENT))
      {
        if (icalcomponent_isa (c) != ICAL_VCALENDAR_COMPONENT)
          {
            g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                         _("The file holds a %s outside of any calendar (VCALENDAR)"),
                         icalcomponent_kind_to_string (icalcomponent_isa (c)));
            return FALSE;
          }
        g_ptr_array_add (calendars, c);
      }
  if (calendars->len == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("The file holds no calendar (VCALENDAR)"));
      return FALSE;
    }
  return TRUE;
}

static int
compare_starts (gconstpointer a,
                gconstpointer b)
{
  gint64 sa = tend_appointment_get_start_usec (*(TendAppointment **) a);
  gint64 sb = tend_appointment_get_start_usec (*(TendAppointment **) b);

  return sa < sb ? -1 : sa > sb;
}

static void
free_root (gpointer root)
{
  if (root != NULL)
    icalcomponent_free (root);
}

/**
 * tend_ics_import:
 * @data: the file's contents (need not be nul-terminated)
 * @length: its length in bytes
 * @opts: whose busy time the events become, the practice's zone, the range
 *
 * Reads busy time from another calendar: each event that makes its owner
 * busy (not TRANSP:TRANSPARENT, not STATUS:CANCELLED) becomes blocked time
 * for @opts' clinician.  Recurring events are expanded within the range
 * (EXDATEs removed, RECURRENCE-ID overrides used instead of the instances
 * they replace); all-day events block the whole local day; an event longer
 * than a day becomes one block per day.
 *
 * Each appointment's `source_uid` is the event's UID (with the instance's
 * original start for an occurrence, and the date for a day of a longer
 * event), and its id is tend_ics_import_id() of it: importing the same file
 * again gives the same ids, so saving them updates rather than duplicates.
 *
 * Anything malformed (not iCalendar, no VCALENDAR, an event without a start
 * or ending before it starts, a TZID the file does not describe, an
 * unreadable RRULE, text that is not UTF-8, more than
 * %TEND_ICS_MAX_EVENTS events or %TEND_ICS_MAX_BYTES bytes) refuses the whole
 * file with %TEND_ERROR_INVALID naming the line and UID.
 *
 * Returns: (transfer full) (element-type TendAppointment): new, unsaved
 *   appointments, or %NULL with @error set
 */
GPtrArray *
tend_ics_import (const char                 *data,
                 gsize                       length,
                 const TendIcsImportOptions *opts,
                 GError                    **error)
{
  g_auto(Importer) im = { 0 };
  g_autoptr(GPtrArray) calendars = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) root_holder = g_ptr_array_new_with_free_func (free_root);
  g_autofree char *copy = NULL;
  const char *text = data;
  const char *bad;
  icalcomponent *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (opts != NULL, NULL);
  g_return_val_if_fail (opts->clinician_id != NULL, NULL);
  g_return_val_if_fail (opts->time_zone != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_libical ();

  if (length > TEND_ICS_MAX_BYTES)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("The file is larger than %u MB: too large for a calendar Tend imports"),
                   TEND_ICS_MAX_BYTES / (1024 * 1024));
      return NULL;
    }
  if (length == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The file is empty"));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, &bad))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Line %u: the file is not UTF-8 text (or holds a NUL byte)"), line_at (data, bad));
      return NULL;
    }
  /* A byte order mark is allowed before BEGIN:VCALENDAR. */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      length -= 3;
    }

  im.opts = opts;
  im.practice = zone_new (opts->time_zone, error);
  if (im.practice == NULL)
    return NULL;
  im.from = opts->from != NULL ? tend_time_to_unix_usec (opts->from) : G_MININT64;
  if (opts->to != NULL)
    im.to = tend_time_to_unix_usec (opts->to);
  else
    {
      g_autoptr(GDateTime) now = tend_time_now ();

      im.to = tend_time_to_unix_usec (now) + 366 * G_TIME_SPAN_DAY;
    }
  im.out = g_ptr_array_new_with_free_func (g_object_unref);
  im.by_source = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.overridden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.event_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!check_envelope (text, length, im.event_lines, error))
    return NULL;

  copy = g_strndup (text, length);
  icalerror_clear_errno ();
  root = icalparser_parse_string (copy);
  icalerror_clear_errno ();
  if (root == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("This is not an iCalendar file: it could not be read"));
      return NULL;
    }
  g_ptr_array_add (root_holder, root);
  if (!collect_calendars (root, calendars, error))
    return NULL;

  /* First pass: is it all readable, and which instances do RECURRENCE-IDs
   * replace? */
  for (guint c = 0; c < calendars->len; c++)
    {
      icalcomponent *vcal = calendars->pdata[c];
      Event whole = { vcal, NULL, 0, NULL };

      if (!check_parse_errors (&whole, vcal, FALSE, error))
        return NULL;
      for (icalcomponent *tz = icalcomponent_get_first_component (vcal, ICAL_VTIMEZONE_COMPONENT);
           tz != NULL; tz = icalcomponent_get_next_component (vcal, ICAL_VTIMEZONE_COMPONENT))
        if (!check_parse_errors (&whole, tz, TRUE, error))
          return NULL;
      for (icalcomponent *ev = icalcomponent_get_first_component (vcal, ICAL_VEVENT_COMPONENT);
           ev != NULL; ev = icalcomponent_get_next_component (vcal, ICAL_VEVENT_COMPONENT))
        {
          Event *e = g_new0 (Event, 1);

          e->vcal = vcal;
          e->ev = ev;
          e->uid = icalcomponent_get_uid (ev);
          if (e->uid != NULL && (*e->uid == '\0' || !g_utf8_validate (e->uid, -1, NULL)))
            e->uid = NULL;
          g_ptr_array_add (events, e);
        }
    }
  if (events->len > TEND_ICS_MAX_EVENTS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("The file holds more than %u events, more than Tend imports at once"), TEND_ICS_MAX_EVENTS);
      return NULL;
    }
  /* Every BEGIN:VEVENT line must have given an event: libical skips what
   * it cannot make sense of, and nothing may be left out silently. */
  if (events->len != im.event_lines->len)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Only %u of the %u events in the file could be read"), events->len, im.event_lines->len);
      return NULL;
    }
  for (guint i = 0; i < events->len; i++)
    {
      Event *e = events->pdata[i];
      icalproperty *recurid;
      Span span;

      e->line = g_array_index (im.event_lines, guint, i);
      if (!check_parse_errors (e, e->ev, FALSE, error) || !read_span (&im, e, &span, error))
        return NULL;
      recurid = icalcomponent_get_first_property (e->ev, ICAL_RECURRENCEID_PROPERTY);
      if (recurid != NULL)
        {
          struct icaltimetype rt = icalproperty_get_recurrenceid (recurid);
          g_autofree char *own_uid = e->uid == NULL ? synthesise_uid (e->ev) : NULL;
          g_autofree char *key = NULL;
          gint64 original;

          if (icaltime_is_null_time (rt))
            {
              event_error (e, error, _("the RECURRENCE-ID property cannot be read"));
              return NULL;
            }
          if (!value_usec (&im, e, recurid, rt, &original, error))
            return NULL;
          key = instance_key (original, rt.is_date, im.practice);
          g_hash_table_add (im.overridden, override_key (e->uid != NULL ? e->uid : own_uid, key));
        }
    }

  /* Second pass: the busy time. */
  for (guint i = 0; i < events->len; i++)
    {
      Event *e = events->pdata[i];

      if (event_is_free (e->ev))
        continue;
      if (!import_event (&im, e, error))
        return NULL;
    }

  g_ptr_array_sort (im.out, compare_starts);
  return g_steal_pointer (&im.out);
}
