/* tend-schedule.c: appointments, series, conflicts and the waitlist in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Range queries use the generated start_s/end_s columns (unix seconds) and
 * the partial indexes of migration 3.  An appointment lasts at most a day
 * (the core refuses longer), so "overlaps [from, to)" becomes a bounded
 * index range: from - 1 day < start_s < to, then end_s > from.  Times are
 * compared to the second, as the columns hold them.
 *
 * A series' occurrences are ordinary appointment rows whose ids are derived
 * from the series id and the occurrence's original start, so every computer
 * that expands the same series makes the same rows, and a row that exists
 * (edited, cancelled, or a tombstone) is never made again.  That rule shapes
 * the edits: an occurrence can be changed in place, but a series whose
 * times move cannot keep its id (its expansion would no longer name the
 * rows it made), so "this and following", and "all" when the time moves,
 * end the old series and start a new one.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "tend-billing.h"
#include "tend-schedule.h"
#include "tend-store-private.h"

/* The longest appointment the core accepts. */
#define MAX_DURATION_S (24 * 60 * 60)
/* How many conflicts an error message lists before "and N more". */
#define MAX_LISTED 5

#define RECORD_COLUMNS "id, version, deleted, updated_at, body"

/* The fields a series gives each occurrence (and an "all" edit passes on). */
static const char * const template_fields[] = {
  "kind", "client_id", "clinician_id", "room_id", "service_code", "modality", "note", "client_time_zone", NULL
};

typedef struct
{
  TendConflict public;     /* first: freed by tend_conflict_free() */
  gint64       start_s;
  gint64       end_s;
  gboolean     blocked;
} Found;

/**
 * tend_conflict_free:
 * @conflict: (nullable): a conflict from tend_schedule_find_conflicts()
 */
void
tend_conflict_free (TendConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->other_id);
  g_free (conflict);
}

static gint64
floor_s (gint64 usec)
{
  return usec >= 0 ? usec / G_USEC_PER_SEC : -((-usec + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static gint64
ceil_s (gint64 usec)
{
  return -floor_s (-usec);
}

static GDateTime *
from_usec (gint64 usec)
{
  return tend_time_from_unix_usec (usec);
}

static gint64
parse_usec (const char *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  return dt != NULL ? tend_time_to_unix_usec (dt) : G_MININT64;
}

static GTimeZone *
practice_zone (TendStore *store)
{
  return tend_store_dup_practice_zone (store);
}

static gboolean
is_cancellation (TendAppointmentStatus status)
{
  return status == TEND_APPOINTMENT_CANCELLED || status == TEND_APPOINTMENT_LATE_CANCELLED;
}

/* Has it happened (so an edit of several occurrences must leave it)? */
static gboolean
is_history (TendAppointment *a,
            gint64           now)
{
  TendAppointmentStatus status = tend_appointment_get_status (a);

  return tend_appointment_get_start_usec (a) <= now || status == TEND_APPOINTMENT_ARRIVED ||
         status == TEND_APPOINTMENT_COMPLETED || status == TEND_APPOINTMENT_NO_SHOW;
}

/* Steps a statement whose first five columns are RECORD_COLUMNS and loads
 * every row; the statement is reset. */
static GPtrArray *
collect_records (TendStore    *store,
                 GType         type,
                 sqlite3_stmt *stmt,
                 GError      **error)
{
  return tend_store_collect_rows (store, type, stmt, FALSE, error);
}

/* The bounds shared by every overlap query: ?1 < start_s < ?3, end_s > ?2. */
static void
bind_range (sqlite3_stmt *stmt,
            gint64        from_usec,
            gint64        to_usec)
{
  sqlite3_bind_int64 (stmt, 1, floor_s (from_usec) - MAX_DURATION_S);
  sqlite3_bind_int64 (stmt, 2, floor_s (from_usec));
  sqlite3_bind_int64 (stmt, 3, ceil_s (to_usec));
}

/**
 * tend_schedule_list:
 * @store: a #TendStore
 * @from_usec: the start of the range (unix microseconds, inclusive)
 * @to_usec: its end (exclusive)
 * @clinician_ids: (nullable) (array zero-terminated=1): only these
 *   clinicians' appointments; %NULL for everyone's
 * @error: return location for a #GError
 *
 * Appointments and blocked time overlapping [@from_usec, @to_usec), by
 * start time then id.  An appointment that ends when the range starts does
 * not overlap it.  Cancelled appointments and no-shows are included (the
 * views show them struck through); deleted ones are not.
 *
 * Returns: (transfer full) (element-type TendAppointment): the appointments
 */
GPtrArray *
tend_schedule_list (TendStore          *store,
                    gint64              from_usec,
                    gint64              to_usec,
                    const char * const *clinician_ids,
                    GError            **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  if (clinician_ids != NULL)
    {
      GString *in = g_string_new (NULL);

      n = g_strv_length ((char **) clinician_ids);
      if (n == 0 || to_usec <= from_usec)
        {
          g_string_free (in, TRUE);
          return g_ptr_array_new_with_free_func (g_object_unref);
        }
      for (guint i = 0; i < n; i++)
        g_string_append_printf (in, i == 0 ? "?%u" : ", ?%u", i + 4);
      /* One statement per number of clinicians, cached by its text. */
      sql = g_strdup_printf ("SELECT " RECORD_COLUMNS " FROM appointment"
                             " WHERE deleted = 0 AND clinician_id IN (%s)"
                             " AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
                             " ORDER BY start_s, id", in->str);
      g_string_free (in, TRUE);
    }
  else
    {
      if (to_usec <= from_usec)
        return g_ptr_array_new_with_free_func (g_object_unref);
      sql = g_strdup ("SELECT " RECORD_COLUMNS " FROM appointment"
                      " WHERE deleted = 0 AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
                      " ORDER BY start_s, id");
    }

  stmt = tend_store_prepare_cached (store, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_range (stmt, from_usec, to_usec);
  for (guint i = 0; i < n; i++)
    sqlite3_bind_text (stmt, (int) i + 4, clinician_ids[i], -1, SQLITE_TRANSIENT);
  return collect_records (store, TEND_TYPE_APPOINTMENT, stmt, error);
}

/**
 * tend_schedule_list_for_room:
 * @store: a #TendStore
 * @room_id: the room
 * @from_usec: the start of the range (unix microseconds, inclusive)
 * @to_usec: its end (exclusive)
 * @error: return location for a #GError
 *
 * Like tend_schedule_list(), for one room.
 *
 * Returns: (transfer full) (element-type TendAppointment): the appointments
 */
GPtrArray *
tend_schedule_list_for_room (TendStore  *store,
                             const char *room_id,
                             gint64      from_usec,
                             gint64      to_usec,
                             GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (room_id != NULL, NULL);

  if (to_usec <= from_usec)
    return g_ptr_array_new_with_free_func (g_object_unref);
  stmt = tend_store_prepare_cached (store, "SELECT " RECORD_COLUMNS " FROM appointment"
                                           " WHERE deleted = 0 AND room_id = ?4"
                                           " AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
                                           " ORDER BY start_s, id", error);
  if (stmt == NULL)
    return NULL;
  bind_range (stmt, from_usec, to_usec);
  sqlite3_bind_text (stmt, 4, room_id, -1, SQLITE_TRANSIENT);
  return collect_records (store, TEND_TYPE_APPOINTMENT, stmt, error);
}

/* Conflicts */

static gboolean
busy_rows (TendStore        *store,
           const char       *sql,
           const char       *key,
           TendAppointment  *a,
           TendConflictKind  kind,
           GPtrArray        *found,
           GError          **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_range (stmt, tend_appointment_get_start_usec (a), tend_appointment_get_end_usec (a));
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, tend_record_get_id (TEND_RECORD (a)), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Found *f = g_new0 (Found, 1);

      f->public.kind = kind;
      f->public.other_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      f->start_s = sqlite3_column_int64 (stmt, 1);
      f->end_s = sqlite3_column_int64 (stmt, 2);
      f->blocked = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "blocked") == 0;
      g_ptr_array_add (found, f);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

#define BUSY_SQL(column) \
  "SELECT id, start_s, end_s, json_extract(body, '$.kind') FROM appointment" \
  " WHERE deleted = 0 AND " column " = ?4 AND start_s > ?1 AND start_s < ?3 AND end_s > ?2" \
  " AND id != ?5 AND status NOT IN ('cancelled', 'late_cancelled', 'no_show')" \
  " ORDER BY start_s, id"

static gboolean
room_is_virtual (TendStore  *store,
                 const char *room_id)
{
  g_autoptr(TendRecord) room = tend_store_load (store, TEND_TYPE_ROOM, room_id, NULL);

  return room != NULL && !tend_record_get_deleted (room) && tend_record_get_int (room, "virtual") != 0;
}

static guint
minutes_of (GDateTime *local)
{
  return (guint) (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local));
}

/* Inside the staff member's hours that day, in @zone?  Across midnight, or
 * on a day without hours, it is not. */
static gboolean
within_hours (TendStaff *staff,
              gint64     start_usec,
              gint64     end_usec,
              GTimeZone *zone)
{
  g_autoptr(GDateTime) start = from_usec (start_usec);
  g_autoptr(GDateTime) end = from_usec (end_usec);
  g_autoptr(GDateTime) ls = g_date_time_to_timezone (start, zone);
  g_autoptr(GDateTime) le = g_date_time_to_timezone (end, zone);
  guint from, to, work_start, work_end;

  if (!tend_staff_get_working_hours (staff, (guint) g_date_time_get_day_of_week (ls), &work_start, &work_end))
    return FALSE;
  from = minutes_of (ls);
  if (g_date_time_get_year (le) == g_date_time_get_year (ls) &&
      g_date_time_get_day_of_year (le) == g_date_time_get_day_of_year (ls))
    to = minutes_of (le) + (g_date_time_get_second (le) > 0 ? 1 : 0);
  else
    {
      /* Ending at midnight is ending at 24:00 of the same day. */
      g_autoptr(GDateTime) day_end = g_date_time_add_days (ls, 1);

      if (minutes_of (le) != 0 || g_date_time_get_second (le) != 0 ||
          g_date_time_get_day_of_year (le) != g_date_time_get_day_of_year (day_end))
        return FALSE;
      to = 24 * 60;
    }
  return from >= work_start && to <= work_end;
}

static gboolean
find_conflicts (TendStore       *store,
                TendAppointment *a,
                GTimeZone       *zone,
                GPtrArray       *found,
                GError         **error)
{
  const char *clinician = tend_appointment_get_clinician_id (a);
  const char *room = tend_appointment_get_room_id (a);
  gint64 start = tend_appointment_get_start_usec (a);
  gint64 end = tend_appointment_get_end_usec (a);

  /* Something that holds no time is in nobody's way. */
  if (tend_record_get_deleted (TEND_RECORD (a)) || !tend_appointment_is_active (a) || end <= start)
    return TRUE;

  if (clinician != NULL &&
      !busy_rows (store, BUSY_SQL ("clinician_id"), clinician, a, TEND_CONFLICT_CLINICIAN, found, error))
    return FALSE;
  /* A virtual room (telehealth) is not a place two sessions can collide in. */
  if (room != NULL && !room_is_virtual (store, room) &&
      !busy_rows (store, BUSY_SQL ("room_id"), room, a, TEND_CONFLICT_ROOM, found, error))
    return FALSE;

  /* Blocked time (leave, imported busy time) may lie anywhere. */
  if (clinician != NULL && tend_appointment_get_kind (a) == TEND_APPOINTMENT_KIND_SESSION)
    {
      g_autoptr(TendRecord) staff = tend_store_load (store, TEND_TYPE_STAFF, clinician, NULL);

      if (staff != NULL && !tend_record_get_deleted (staff) &&
          tend_staff_has_working_hours (TEND_STAFF (staff)) &&
          !within_hours (TEND_STAFF (staff), start, end, zone))
        {
          Found *f = g_new0 (Found, 1);

          f->public.kind = TEND_CONFLICT_OUTSIDE_HOURS;
          g_ptr_array_add (found, f);
        }
    }
  return TRUE;
}

/**
 * tend_schedule_find_conflicts:
 * @store: a #TendStore
 * @appointment: the appointment as it would be saved
 * @zone: (nullable): the zone working hours are meant in; %NULL for the
 *   practice's
 * @error: return location for a #GError
 *
 * What stands in the way of @appointment: active appointments and blocked
 * time of the same clinician or in the same room that overlap it (not
 * itself, not cancelled ones or no-shows; virtual rooms never conflict), and
 * the clinician's working hours, when they have any.  An appointment that
 * is itself cancelled, a no-show or deleted has no conflicts, and blocked
 * time is never "outside hours".
 *
 * Returns: (transfer full) (element-type TendConflict): the conflicts
 *   (free each with tend_conflict_free()), or %NULL on error
 */
GPtrArray *
tend_schedule_find_conflicts (TendStore       *store,
                              TendAppointment *appointment,
                              GTimeZone       *zone,
                              GError         **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_conflict_free);
  g_autoptr(GTimeZone) own_zone = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (appointment), NULL);

  if (zone == NULL)
    zone = own_zone = practice_zone (store);
  if (!find_conflicts (store, appointment, zone, found, error))
    return NULL;
  return g_steal_pointer (&found);
}

/* "Maya Okafor", for messages. */
static char *
staff_name (TendStore  *store,
            const char *staff_id)
{
  g_autoptr(TendRecord) staff = staff_id != NULL ? tend_store_load (store, TEND_TYPE_STAFF, staff_id, NULL) : NULL;

  if (staff == NULL || tend_record_get_deleted (staff))
    return g_strdup (_("The clinician"));
  return g_strdup_printf ("%s %s", tend_staff_get_given_name (TEND_STAFF (staff)),
                          tend_staff_get_family_name (TEND_STAFF (staff)));
}

static char *
format_time (gint64     unix_s,
             GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_s);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  return g_date_time_format (local, "%H:%M");
}

/* One line per conflict of @a, prefixed with its date when @with_date. */
static void
describe_conflicts (TendStore       *store,
                    TendAppointment *a,
                    GPtrArray       *found,
                    GTimeZone       *zone,
                    gboolean         with_date,
                    GPtrArray       *lines)
{
  g_autofree char *who = staff_name (store, tend_appointment_get_clinician_id (a));
  g_autofree char *date = NULL;
  gboolean room_said = FALSE;

  if (with_date)
    {
      g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);

      date = g_date_time_format (local, "%x");
    }

  for (guint i = 0; i < found->len; i++)
    {
      Found *f = g_ptr_array_index (found, i);
      g_autofree char *line = NULL;

      switch (f->public.kind)
        {
        case TEND_CONFLICT_CLINICIAN:
          {
            g_autofree char *from = format_time (f->start_s, zone);
            g_autofree char *to = format_time (f->end_s, zone);

            if (f->blocked)
              /* TRANSLATORS: "Maya Okafor is not available from 12:00 to 13:00" */
              line = g_strdup_printf (_("%s is not available from %s to %s"), who, from, to);
            else
              /* TRANSLATORS: "Maya Okafor already has an appointment from 09:00 to 09:50" */
              line = g_strdup_printf (_("%s already has an appointment from %s to %s"), who, from, to);
          }
          break;
        case TEND_CONFLICT_ROOM:
          if (!room_said)
            {
              g_autoptr(TendRecord) room = tend_store_load (store, TEND_TYPE_ROOM,
                                                            tend_appointment_get_room_id (a), NULL);
              const char *name = room != NULL && !tend_record_get_deleted (room)
                                 ? tend_room_get_name (TEND_ROOM (room)) : "";

              /* TRANSLATORS: "Room Birch is taken then" */
              line = g_strdup_printf (_("Room %s is taken then"), name);
              room_said = TRUE;
            }
          break;
        case TEND_CONFLICT_OUTSIDE_HOURS:
          /* TRANSLATORS: "Outside Maya Okafor’s working hours" */
          line = g_strdup_printf (_("Outside %s’s working hours"), who);
          break;
        default:
          break;
        }
      if (line == NULL)
        continue;
      if (date != NULL)
        /* TRANSLATORS: a date, then what is in the way that day */
        g_ptr_array_add (lines, g_strdup_printf (_("%s: %s"), date, line));
      else
        g_ptr_array_add (lines, g_steal_pointer (&line));
    }
}

static void
set_conflict_error (GPtrArray  *lines,
                    GError    **error)
{
  GString *message = g_string_new (NULL);

  for (guint i = 0; i < lines->len && i < MAX_LISTED; i++)
    {
      if (i > 0)
        g_string_append_c (message, '\n');
      g_string_append (message, g_ptr_array_index (lines, i));
    }
  if (lines->len > MAX_LISTED)
    {
      guint more = lines->len - MAX_LISTED;

      g_string_append_c (message, '\n');
      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE, "…and %u more conflict", "…and %u more conflicts", more),
                              more);
    }
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_CONFLICT, message->str);
  g_string_free (message, TRUE);
}

/* May the store's actor book over a conflict?  The system (no actor) may. */
static gboolean
check_override_role (TendStore  *store,
                     GError    **error)
{
  TendRole role;

  if (!tend_store_get_actor_role (store, &role) ||
      role == TEND_ROLE_OWNER || role == TEND_ROLE_FRONT_DESK)
    return TRUE;
  g_set_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
               _("Your role (%s) may not book over a conflict: ask the front desk or the practice owner."),
               tend_role_get_label (role));
  return FALSE;
}

static gboolean
has_override (TendAppointment *a)
{
  return tend_record_get_int (TEND_RECORD (a), "override.conflict") != 0;
}

static void
copy_override (TendAppointment *from,
               TendAppointment *to)
{
  tend_record_set_int (TEND_RECORD (to), "override.conflict", TRUE);
  tend_record_set_string (TEND_RECORD (to), "override.by", tend_record_get_string (TEND_RECORD (from), "override.by"));
  tend_record_set_string (TEND_RECORD (to), "override.reason",
                          tend_record_get_string (TEND_RECORD (from), "override.reason"));
}

/* The check and the write of one appointment, inside the caller's step. */
static gboolean sync_reminder (TendStore       *store,
                               TendAppointment *appointment,
                               gint64           now_usec,
                               guint           *n_written,
                               GError         **error);

static gboolean
check_and_save (TendStore        *store,
                TendAppointment  *a,
                GTimeZone        *zone,
                GError          **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_conflict_free);

  if (!find_conflicts (store, a, zone, found, error))
    return FALSE;
  if (found->len > 0)
    {
      if (!has_override (a))
        {
          g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

          describe_conflicts (store, a, found, zone, FALSE, lines);
          set_conflict_error (lines, error);
          return FALSE;
        }
      if (!check_override_role (store, error))
        return FALSE;
    }
  return tend_store_save (store, TEND_RECORD (a), error);
}

/**
 * tend_schedule_save_appointment:
 * @store: a #TendStore
 * @appointment: the appointment to save (new, moved or changed)
 * @zone: (nullable): the zone for working hours and the times in messages;
 *   %NULL for the practice's
 * @error: return location for a #GError
 *
 * Validates @appointment, checks its conflicts (see
 * tend_schedule_find_conflicts()) and saves it, in one transaction (or a
 * savepoint of the caller's).  With conflicts and no override
 * (`override.conflict` with who and why) it fails with
 * %TEND_ERROR_CONFLICT and a message naming each conflict, times in @zone.
 * With an override, the store's actor must be the owner or front desk (or
 * the system, with no actor), or it fails with
 * %TEND_ERROR_PERMISSION_DENIED.  Nothing is written on failure.
 *
 * Status changes are made with tend_appointment_set_status() first.
 *
 * Returns: %TRUE when saved
 */
gboolean
tend_schedule_save_appointment (TendStore       *store,
                                TendAppointment *appointment,
                                GTimeZone       *zone,
                                GError         **error)
{
  g_autoptr(GTimeZone) own_zone = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (appointment), FALSE);

  if (!tend_record_validate (TEND_RECORD (appointment), error))
    return FALSE;
  if (zone == NULL)
    zone = own_zone = practice_zone (store);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = check_and_save (store, appointment, zone, error);
  /* The client's reminder follows the appointment: made, moved or
   * cancelled with it, in the same transaction. */
  if (ok)
    ok = sync_reminder (store, appointment, g_get_real_time (), &(guint) { 0 }, error);
  /* So do its charges: a completed session, a no-show or late cancellation
   * the practice charges for. */
  if (ok)
    ok = tend_billing_sync_appointment (store, appointment, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/* Series */

static gboolean
row_exists (TendStore  *store,
            const char *id,
            gboolean   *exists,
            GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT 1 FROM appointment WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

/* What series_horizon holds for a series that has no occurrence left to
 * make (9999-12-31T23:59:59Z): extending passes it by. */
#define HORIZON_ENDED G_GINT64_CONSTANT (253402300799)

/* Records how far @series_id is materialised: to @horizon_usec, or for
 * good when it has @ended.  Saving the series again sets it afresh (its
 * rule may have changed); rows are never made twice either way. */
static gboolean
record_horizon (TendStore  *store,
                const char *series_id,
                gint64      horizon_usec,
                gboolean    ended,
                GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store,
    "INSERT INTO series_horizon (series_id, until_s) VALUES (?1, ?2)"
    " ON CONFLICT (series_id) DO UPDATE SET until_s = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, series_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, ended ? HORIZON_ENDED : floor_s (horizon_usec));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

static GPtrArray *
expand (TendSeries *series,
        gint64      from,
        gint64      to,
        GError    **error)
{
  g_autoptr(GDateTime) f = from_usec (from);
  g_autoptr(GDateTime) t = from_usec (to);

  if (to <= from)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  return tend_series_expand (series, f, t, error);
}

static char *rule_get (const char *rule,
                       const char *name);

/* Has @series no occurrence at or after @to, @n of them coming before? */
static gboolean
series_ended (TendSeries *series,
              guint       n,
              gint64      to)
{
  g_autofree char *count = rule_get (tend_series_get_rrule (series), "COUNT");
  g_autofree char *until = rule_get (tend_series_get_rrule (series), "UNTIL");
  int y, mo, d, h = 23, mi = 59, sec = 59;

  if (count != NULL)
    return n >= g_ascii_strtoull (count, NULL, 10);
  if (until == NULL || sscanf (until, "%4d%2d%2d", &y, &mo, &d) != 3)
    return FALSE;
  if (strlen (until) >= 15)
    sscanf (until + 9, "%2d%2d%2d", &h, &mi, &sec);
  {
    g_autoptr(GDateTime) end = g_date_time_new_utc (y, mo, d, h, mi, sec);

    /* A floating or date-only UNTIL is local: a day either way is safe. */
    return end != NULL && tend_time_to_unix_usec (end) + (until[strlen (until) - 1] == 'Z' ? 0 : G_TIME_SPAN_DAY) < to;
  }
}

/* Inserts the occurrences of @series in [@from, @to) that have no row yet
 * (edited, cancelled or deleted rows are kept as they are).  @ended: (out)
 * (optional): whether it has none from @to on. */
static gboolean
materialise (TendStore  *store,
             TendSeries *series,
             gint64      from,
             gint64      to,
             guint      *n_inserted,
             gboolean   *ended,
             GError    **error)
{
  const char *series_id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GDateTime) first = tend_series_dup_first_start (series);
  /* libical steps from the first start whatever is asked: expanding from
   * it costs nothing more, and counts the occurrences for COUNT. */
  g_autoptr(GPtrArray) starts = expand (series, tend_time_to_unix_usec (first), to, error);

  if (starts == NULL)
    return FALSE;
  if (ended != NULL)
    *ended = series_ended (series, starts->len, to);
  for (guint i = 0; i < starts->len; i++)
    {
      GDateTime *start = g_ptr_array_index (starts, i);
      g_autofree char *id = NULL;
      g_autoptr(TendAppointment) occurrence = NULL;
      gboolean exists = FALSE;

      if (tend_time_to_unix_usec (start) < from)
        continue;
      id = tend_appointment_occurrence_id (series_id, start);
      if (!row_exists (store, id, &exists, error))
        return FALSE;
      if (exists)
        continue;
      occurrence = tend_series_make_occurrence (series, start);
      if (!tend_store_save (store, TEND_RECORD (occurrence), error))
        return FALSE;
      if (n_inserted != NULL)
        (*n_inserted)++;
    }
  return TRUE;
}

/**
 * tend_schedule_save_series:
 * @store: a #TendStore
 * @series: the series
 * @horizon_usec: materialise occurrences starting before this instant
 * @error: return location for a #GError
 *
 * Validates and saves @series, then writes a row for each of its
 * occurrences from its first start up to @horizon_usec that has none yet
 * (ids derived from the series and each occurrence's start: an edited,
 * cancelled or deleted occurrence is never overwritten, and saving twice
 * makes no duplicates), and records how far it is materialised on this
 * computer.  All in one transaction, or a savepoint of the caller's.
 *
 * Occurrences are not checked for conflicts: check the first (or each)
 * with tend_schedule_find_conflicts() before.
 *
 * Returns: %TRUE when saved
 */
gboolean
tend_schedule_save_series (TendStore  *store,
                           TendSeries *series,
                           gint64      horizon_usec,
                           GError    **error)
{
  g_autoptr(GDateTime) first = NULL;
  gboolean ok, ended = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_SERIES (series), FALSE);

  if (!tend_record_validate (TEND_RECORD (series), error))
    return FALSE;
  first = tend_series_dup_first_start (series);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = tend_store_save (store, TEND_RECORD (series), error) &&
       materialise (store, series, tend_time_to_unix_usec (first), horizon_usec, NULL, &ended, error) &&
       record_horizon (store, tend_record_get_id (TEND_RECORD (series)), horizon_usec, ended, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/* Rows per transaction when extending: bounded journals and memory. */
#define EXTEND_BATCH 2000
/* The page cache while extending, in KiB: a week of a big practice's rows
 * touches pages all over six indexes, and with SQLCipher's 2 MB cache each
 * is decrypted, evicted, encrypted and read again (twice as slow). */
#define EXTEND_CACHE_KIB 65536

typedef struct
{
  TendSeries *series;
  gint64      from;
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->series);
  g_free (p);
}

/**
 * tend_schedule_extend_horizon:
 * @store: a #TendStore
 * @horizon_usec: materialise occurrences starting before this instant
 * @error: return location for a #GError
 *
 * Extends every live series from the horizon recorded on this computer (or
 * its first start) to @horizon_usec, as tend_schedule_save_series() does.
 * A series that has ended is marked so and not looked at again.  The work
 * is committed in batches of about %EXTEND_BATCH rows (savepoints inside a
 * transaction of the caller's): interrupted, it leaves whole series done
 * and the next call goes on, since rows are never made twice.  Call it at
 * start and once a day, from a worker thread on its own connection (see
 * tend_store_open_worker()) for a big practice.
 *
 * Returns: %TRUE when done
 */
gboolean
tend_schedule_extend_horizon (TendStore *store,
                              gint64     horizon_usec,
                              GError   **error)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_autofree char *restore = NULL;
  gboolean open = TRUE;
  guint batch = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);

  stmt = tend_store_prepare_cached (store,
    "SELECT s.id, s.version, s.deleted, s.updated_at, s.body, h.until_s"
    " FROM series s LEFT JOIN series_horizon h ON h.series_id = s.id"
    " WHERE s.deleted = 0 AND (h.until_s IS NULL OR h.until_s < ?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, floor_s (horizon_usec));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendRecord *record = tend_store_record_from_row (store, TEND_TYPE_SERIES, stmt, error);
      Pending *p;

      if (record == NULL)
        {
          ok = FALSE;
          break;
        }
      p = g_new0 (Pending, 1);
      p->series = TEND_SERIES (record);
      if (sqlite3_column_type (stmt, 5) == SQLITE_NULL)
        {
          g_autoptr(GDateTime) first = tend_series_dup_first_start (p->series);

          p->from = tend_time_to_unix_usec (first);
        }
      else
        p->from = sqlite3_column_int64 (stmt, 5) * G_USEC_PER_SEC;
      g_ptr_array_add (pending, p);
    }
  sqlite3_reset (stmt);
  if (ok && rc != SQLITE_DONE)
    ok = tend_store_take_db_error (store, rc, error);
  if (!ok || pending->len == 0)
    return ok;

  restore = tend_store_grow_cache (store, EXTEND_CACHE_KIB);
  if (!tend_store_step_begin (store, error))
    {
      if (restore != NULL)
        tend_store_restore_cache (store, restore);
      return FALSE;
    }
  for (guint i = 0; ok && i < pending->len; i++)
    {
      Pending *p = g_ptr_array_index (pending, i);
      gboolean ended = FALSE;

      ok = materialise (store, p->series, p->from, horizon_usec, &batch, &ended, error) &&
           record_horizon (store, tend_record_get_id (TEND_RECORD (p->series)), horizon_usec, ended, error);
      if (ok && batch >= EXTEND_BATCH && i + 1 < pending->len)
        {
          /* A failed commit has rolled back already. */
          batch = 0;
          open = FALSE;
          ok = tend_store_step_end (store, TRUE, error) && tend_store_step_begin (store, error);
          open = ok;
        }
    }
  if (open)
    ok = tend_store_step_end (store, ok, ok ? error : NULL) && ok;
  if (restore != NULL)
    tend_store_restore_cache (store, restore);
  return ok;
}

/* Rules: the parts of an RRULE, "FREQ=WEEKLY;COUNT=10" */

static char *
rule_without (const char *rule,
              const char *names[])
{
  g_auto(GStrv) parts = g_strsplit (rule, ";", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean drop = parts[i][0] == '\0';

      for (guint k = 0; !drop && names[k] != NULL; k++)
        drop = g_ascii_strncasecmp (parts[i], names[k], strlen (names[k])) == 0;
      if (drop)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ';');
      g_string_append (out, parts[i]);
    }
  return g_string_free (out, FALSE);
}

/* The value of "NAME=" in @rule, or NULL. */
static char *
rule_get (const char *rule,
          const char *name)
{
  g_auto(GStrv) parts = g_strsplit (rule, ";", -1);
  gsize len = strlen (name);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_ascii_strncasecmp (parts[i], name, len) == 0 && parts[i][len] == '=')
      return g_strdup (parts[i] + len + 1);
  return NULL;
}

/* @rule ending with the last occurrence before @before_usec:
 * "FREQ=WEEKLY;COUNT=10" -> "FREQ=WEEKLY;UNTIL=20261116T145959Z". */
static char *
rule_ending_before (const char *rule,
                    gint64      before_usec)
{
  static const char *drop[] = { "COUNT=", "UNTIL=", NULL };
  g_autofree char *base = rule_without (rule, drop);
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (floor_s (before_usec - 1));
  g_autofree char *stamp = g_date_time_format (until, "%Y%m%dT%H%M%SZ");

  return g_strdup_printf ("%s;UNTIL=%s", base, stamp);
}

static const char * const weekdays[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

/* Moves a list of BYDAY ("2TU,-1FR") or BYMONTHDAY ("15") values by
 * @days; NULL when a month day would leave the month. */
static char *
shift_by_list (const char *name,
               const char *list,
               int         days)
{
  g_auto(GStrv) items = g_strsplit (list, ",", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      gsize len = strlen (item);

      if (out->len > 0)
        g_string_append_c (out, ',');
      if (g_ascii_strcasecmp (name, "BYDAY") == 0 && len >= 2)
        {
          int day = -1;

          for (int d = 0; d < 7; d++)
            if (g_ascii_strcasecmp (item + len - 2, weekdays[d]) == 0)
              day = d;
          if (day < 0)
            goto fail;
          g_string_append_len (out, item, (gssize) len - 2);
          g_string_append (out, weekdays[((day + days) % 7 + 7) % 7]);
        }
      else
        {
          gint64 v = g_ascii_strtoll (item, NULL, 10) + days;

          if (v < 1 || v > 28)
            goto fail;
          g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
        }
    }
  return g_string_free (out, FALSE);

fail:
  g_string_free (out, TRUE);
  return NULL;
}

/* The rule of the series that continues @rule from its occurrence number
 * @n_before (0-based), moved by @days: COUNT is what remains, UNTIL stays,
 * BYDAY and BYMONTHDAY move with the days. */
static char *
rule_continuing (const char  *rule,
                 guint        n_before,
                 int          days,
                 GError     **error)
{
  static const char *drop[] = { "COUNT=", "BYDAY=", "BYMONTHDAY=", NULL };
  static const char * const moved[] = { "BYDAY", "BYMONTHDAY", NULL };
  g_autofree char *count = rule_get (rule, "COUNT");
  GString *out = g_string_new (NULL);
  char *base = rule_without (rule, drop);

  g_string_append (out, base);
  g_free (base);
  if (count != NULL)
    {
      gint64 n = g_ascii_strtoll (count, NULL, 10) - (gint64) n_before;

      g_string_append_printf (out, ";COUNT=%" G_GINT64_FORMAT, MAX (n, 1));
    }
  for (guint i = 0; moved[i] != NULL; i++)
    {
      g_autofree char *list = rule_get (rule, moved[i]);
      g_autofree char *shifted = NULL;

      if (list == NULL)
        continue;
      shifted = days != 0 ? shift_by_list (moved[i], list, days) : g_strdup (list);
      if (shifted == NULL)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Repeats: the series cannot move to that day; change its rule instead"));
          g_string_free (out, TRUE);
          return NULL;
        }
      g_string_append_printf (out, ";%s=%s", moved[i], shifted);
    }
  return g_string_free (out, FALSE);
}

/* Edits */

typedef struct
{
  TendStore       *store;
  TendAppointment *changed;
  TendAppointment *original;   /* the row as stored */
  TendSeries      *series;
  GTimeZone       *zone;
  gint64           now;
  gint64           horizon;
  GPtrArray       *rows;       /* the series' live rows, by original start */
  GArray          *row_starts; /* gint64, each row's original start */
  GPtrArray       *lines;      /* conflicts found */
  gboolean         overriding; /* changed holds an override */
  gboolean         role_checked;
} Edit;

static void
edit_clear (Edit *e)
{
  g_clear_object (&e->original);
  g_clear_object (&e->series);
  g_clear_pointer (&e->zone, g_time_zone_unref);
  g_clear_pointer (&e->rows, g_ptr_array_unref);
  g_clear_pointer (&e->row_starts, g_array_unref);
  g_clear_pointer (&e->lines, g_ptr_array_unref);
}

typedef struct
{
  gint64           start;
  TendAppointment *row;
} RowKey;

static int
compare_row_keys (gconstpointer a,
                  gconstpointer b)
{
  const RowKey *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return strcmp (tend_record_get_id (TEND_RECORD (x->row)), tend_record_get_id (TEND_RECORD (y->row)));
}

static gboolean
load_rows (Edit    *e,
           GError **error)
{
  const char *series_id = tend_record_get_id (TEND_RECORD (e->series));
  sqlite3_stmt *stmt = tend_store_prepare_cached (e->store, "SELECT " RECORD_COLUMNS " FROM appointment"
                                                            " WHERE series_id = ?1 AND deleted = 0", error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) keys = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, series_id, -1, SQLITE_TRANSIENT);
  rows = collect_records (e->store, TEND_TYPE_APPOINTMENT, stmt, error);
  if (rows == NULL)
    return FALSE;

  keys = g_array_sized_new (FALSE, FALSE, sizeof (RowKey), rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      RowKey k = { parse_usec (tend_record_get_string (g_ptr_array_index (rows, i), "occurrence_start")),
                   g_ptr_array_index (rows, i) };

      g_array_append_val (keys, k);
    }
  g_array_sort (keys, compare_row_keys);

  e->rows = g_ptr_array_new_with_free_func (g_object_unref);
  e->row_starts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), keys->len);
  for (guint i = 0; i < keys->len; i++)
    {
      RowKey *k = &g_array_index (keys, RowKey, i);

      g_ptr_array_add (e->rows, g_object_ref (k->row));
      g_array_append_val (e->row_starts, k->start);
    }
  return TRUE;
}

#define ROW(e, i) ((TendAppointment *) g_ptr_array_index ((e)->rows, (i)))
#define ROW_START(e, i) (g_array_index ((e)->row_starts, gint64, (i)))

/* The fields of a series template that @changed has changed. */
static GPtrArray *
changed_fields (Edit *e)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; template_fields[i] != NULL; i++)
    if (g_strcmp0 (tend_record_get_string (TEND_RECORD (e->changed), template_fields[i]),
                   tend_record_get_string (TEND_RECORD (e->original), template_fields[i])) != 0)
      g_ptr_array_add (names, (gpointer) template_fields[i]);
  return names;
}

static gint64
duration_of (TendAppointment *a)
{
  return tend_appointment_get_end_usec (a) - tend_appointment_get_start_usec (a);
}

static void
copy_fields (TendRecord *from,
             TendRecord *to,
             GPtrArray  *names)
{
  for (guint i = 0; i < names->len; i++)
    tend_record_set_string (to, g_ptr_array_index (names, i),
                            tend_record_get_string (from, g_ptr_array_index (names, i)));
}

/* Saves @a after checking its conflicts; conflicts without an override go
 * to e->lines (and nothing is saved).  Unchanged rows are not written. */
static gboolean
check_and_write (Edit            *e,
                 TendAppointment *a,
                 const char      *body_before,
                 GError         **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_conflict_free);

  if (!find_conflicts (e->store, a, e->zone, found, error))
    return FALSE;
  if (found->len > 0)
    {
      if (!e->overriding)
        {
          describe_conflicts (e->store, a, found, e->zone, TRUE, e->lines);
          return TRUE;
        }
      if (!e->role_checked && !check_override_role (e->store, error))
        return FALSE;
      e->role_checked = TRUE;
      if (a != e->changed)
        copy_override (e->changed, a);
    }
  if (body_before != NULL)
    {
      g_autofree char *body = tend_record_to_body_string (TEND_RECORD (a));

      if (strcmp (body, body_before) == 0)
        return TRUE;
    }
  return tend_store_save (e->store, TEND_RECORD (a), error);
}

/* Local wall time of @usec in @zone, moved by @days and @minutes, as an
 * instant (a move that lands in a daylight-saving gap moves forward). */
static gint64
shift_wall_time (gint64     usec,
                 GTimeZone *zone,
                 int        days,
                 int        minutes)
{
  g_autoptr(GDateTime) utc = from_usec (usec);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  g_autoptr(GDateTime) naive = g_date_time_new_utc (g_date_time_get_year (local), g_date_time_get_month (local),
                                                    g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                                                    g_date_time_get_minute (local), g_date_time_get_seconds (local));
  g_autoptr(GDateTime) moved_days = g_date_time_add_days (naive, days);
  g_autoptr(GDateTime) moved = g_date_time_add_minutes (moved_days, minutes);
  g_autoptr(GDateTime) result = g_date_time_new (zone, g_date_time_get_year (moved), g_date_time_get_month (moved),
                                                 g_date_time_get_day_of_month (moved), g_date_time_get_hour (moved),
                                                 g_date_time_get_minute (moved), g_date_time_get_seconds (moved));

  return tend_time_to_unix_usec (result);
}

/* Days and minutes of wall time from @a to @b in @zone. */
static void
wall_difference (gint64     a,
                 gint64     b,
                 GTimeZone *zone,
                 int       *days,
                 int       *minutes)
{
  g_autoptr(GDateTime) ua = from_usec (a);
  g_autoptr(GDateTime) ub = from_usec (b);
  g_autoptr(GDateTime) la = g_date_time_to_timezone (ua, zone);
  g_autoptr(GDateTime) lb = g_date_time_to_timezone (ub, zone);
  GDate da, db;

  g_date_clear (&da, 1);
  g_date_clear (&db, 1);
  g_date_set_dmy (&da, (GDateDay) g_date_time_get_day_of_month (la), (GDateMonth) g_date_time_get_month (la),
                  (GDateYear) g_date_time_get_year (la));
  g_date_set_dmy (&db, (GDateDay) g_date_time_get_day_of_month (lb), (GDateMonth) g_date_time_get_month (lb),
                  (GDateYear) g_date_time_get_year (lb));
  *days = (int) g_date_days_between (&da, &db);
  *minutes = (int) minutes_of (lb) - (int) minutes_of (la);
}

/* Ends e->series before @t0: its rule gets an UNTIL, or, with no
 * occurrence left, it is deleted.  @n_before: (out): occurrences kept. */
static gboolean
end_series_before (Edit    *e,
                   gint64   t0,
                   guint   *n_before,
                   GError **error)
{
  g_autoptr(GDateTime) first = tend_series_dup_first_start (e->series);
  g_autoptr(GPtrArray) before = expand (e->series, tend_time_to_unix_usec (first), t0, error);
  g_autofree char *rule = NULL;

  if (before == NULL)
    return FALSE;
  *n_before = before->len;
  if (before->len == 0)
    return tend_store_delete (e->store, TEND_RECORD (e->series), error);
  rule = rule_ending_before (tend_series_get_rrule (e->series), t0);
  tend_record_set_string (TEND_RECORD (e->series), "rrule", rule);
  return tend_store_save (e->store, TEND_RECORD (e->series), error);
}

/* Refuses to move occurrences from @t0 on when one has taken place. */
static gboolean
check_not_started (Edit    *e,
                   gint64   t0,
                   GError **error)
{
  for (guint i = 0; i < e->rows->len; i++)
    if (ROW_START (e, i) >= t0 && is_history (ROW (e, i), e->now))
      {
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                             _("Some of these occurrences have already taken place: change the later ones one at a time"));
        return FALSE;
      }
  return TRUE;
}

/* Cancels every occurrence from @t0 on that has not started and ends the
 * series before @t0. */
static gboolean
cancel_from (Edit    *e,
             gint64   t0,
             GError **error)
{
  const char *reason = tend_record_get_string (TEND_RECORD (e->changed), "cancel_reason");
  g_autoptr(GDateTime) now = from_usec (e->now);
  guint n_before;

  for (guint i = 0; i < e->rows->len; i++)
    {
      TendAppointment *row = ROW (e, i);
      TendAppointmentStatus status = tend_appointment_get_status (row);

      if (ROW_START (e, i) < t0 || tend_appointment_get_start_usec (row) <= e->now)
        continue;
      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (row)), tend_record_get_id (TEND_RECORD (e->changed))) == 0)
        row = e->changed;
      else if (status == TEND_APPOINTMENT_SCHEDULED || status == TEND_APPOINTMENT_CONFIRMED)
        {
          if (!tend_appointment_set_status (row, TEND_APPOINTMENT_CANCELLED, reason, now, error))
            return FALSE;
        }
      else
        continue;
      if (!tend_store_save (e->store, TEND_RECORD (row), error))
        return FALSE;
    }
  return end_series_before (e, t0, &n_before, error);
}

/*
 * Splits e->series at the occurrence whose original start is @t0: the old
 * series ends before it, and a new one (a new id: its occurrences' ids
 * derive from it) starts at @new_first with the fields in @names and the
 * duration @duration, and the same rule (what remains of a COUNT; BYDAY
 * moved with the day).  The old series' rows from @t0 on are deleted and
 * the new series' rows written up to the later of the old horizon and
 * e->horizon; the k-th new row keeps the cancellation (or, at an unchanged
 * time, the confirmation) of the k-th old one.
 */
static gboolean
split (Edit       *e,
       gint64      t0,
       gint64      new_first,
       GPtrArray  *names,
       gint64      duration,
       GError    **error)
{
  g_autoptr(TendSeries) next = TEND_SERIES (tend_record_copy (TEND_RECORD (e->series)));
  g_autoptr(GPtrArray) old_starts = NULL;
  g_autoptr(GPtrArray) new_starts = NULL;
  g_autoptr(GHashTable) old_rows = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GDateTime) first = from_usec (new_first);
  g_autofree char *first_iso = tend_time_to_iso8601 (first);
  g_autofree char *new_id = g_uuid_string_random ();
  g_autofree char *rule = NULL;
  gint64 limit = e->horizon;
  guint n_before = 0;
  int days, minutes;

  /* The new series. */
  wall_difference (t0, new_first, e->zone, &days, &minutes);
  tend_record_set_id (TEND_RECORD (next), new_id);
  tend_record_set_version (TEND_RECORD (next), 0);
  copy_fields (TEND_RECORD (e->changed), TEND_RECORD (next), names);
  tend_record_set_string (TEND_RECORD (next), "first_start", first_iso);
  tend_record_set_int (TEND_RECORD (next), "duration_minutes", duration / (60 * G_USEC_PER_SEC));

  /* As far as the old rows went (every one is replaced), and past the new
   * first start. */
  for (guint i = 0; i < e->rows->len; i++)
    limit = MAX (limit, ROW_START (e, i) + G_TIME_SPAN_DAY);
  limit = MAX (limit, new_first + 1);

  /* The old series' occurrences from t0 on, for matching by position. */
  old_starts = expand (e->series, t0, limit, error);
  if (old_starts == NULL)
    return FALSE;
  for (guint i = 0; i < e->rows->len; i++)
    if (ROW_START (e, i) >= t0)
      g_hash_table_insert (old_rows, &g_array_index (e->row_starts, gint64, i), ROW (e, i));

  if (!end_series_before (e, t0, &n_before, error))
    return FALSE;
  rule = rule_continuing (tend_series_get_rrule (next), n_before, days, error);
  if (rule == NULL)
    return FALSE;
  tend_record_set_string (TEND_RECORD (next), "rrule", rule);
  if (!tend_store_save (e->store, TEND_RECORD (next), error))
    return FALSE;

  /* Out with the old rows (they hold their time until now)... */
  for (guint i = 0; i < e->rows->len; i++)
    if (ROW_START (e, i) >= t0 && !tend_store_delete (e->store, TEND_RECORD (ROW (e, i)), error))
      return FALSE;

  /* ...in with the new. */
  new_starts = expand (next, new_first, limit, error);
  if (new_starts == NULL)
    return FALSE;
  for (guint k = 0; k < new_starts->len; k++)
    {
      GDateTime *start = g_ptr_array_index (new_starts, k);
      g_autoptr(TendAppointment) occurrence = tend_series_make_occurrence (next, start);
      TendAppointment *old = NULL;

      if (k < old_starts->len)
        old = g_hash_table_lookup (old_rows, &(gint64) { tend_time_to_unix_usec (g_ptr_array_index (old_starts, k)) });
      if (old != NULL)
        {
          TendAppointmentStatus status = tend_appointment_get_status (old);
          gboolean same_time = tend_appointment_get_start_usec (old) == tend_appointment_get_start_usec (occurrence) &&
                               tend_appointment_get_end_usec (old) == tend_appointment_get_end_usec (occurrence);

          if (is_cancellation (status) || (status == TEND_APPOINTMENT_CONFIRMED && same_time))
            {
              static const char * const kept[] = { "status", "cancel_reason", "status_changed_at", NULL };

              for (guint f = 0; kept[f] != NULL; f++)
                tend_record_set_string (TEND_RECORD (occurrence), kept[f],
                                        tend_record_get_string (TEND_RECORD (old), kept[f]));
            }
        }
      if (!check_and_write (e, occurrence, NULL, error))
        return FALSE;
    }
  return record_horizon (e->store, new_id, limit, FALSE, error);
}

/* The first occurrence (original start) after the last one that has taken
 * place and after now, or G_MININT64 when the series has none left. */
static gint64
first_not_started (Edit    *e,
                   GError **error)
{
  g_autoptr(GPtrArray) next = NULL;
  gint64 after = e->now;

  for (guint i = 0; i < e->rows->len; i++)
    if (is_history (ROW (e, i), e->now))
      after = MAX (after, ROW_START (e, i));
  next = expand (e->series, after + 1, MAX (e->horizon, after + 1) + 400 * 24 * G_TIME_SPAN_HOUR, error);
  if (next == NULL)
    return G_MININT64 + 1;
  if (next->len == 0)
    return G_MININT64;
  return tend_time_to_unix_usec (g_ptr_array_index (next, 0));
}

static gboolean
edit_all_in_place (Edit       *e,
                   GPtrArray  *names,
                   gboolean    duration_changed,
                   GError    **error)
{
  gint64 duration = duration_of (e->changed);

  if (names->len == 0 && !duration_changed)
    return TRUE;
  copy_fields (TEND_RECORD (e->changed), TEND_RECORD (e->series), names);
  if (duration_changed)
    tend_record_set_int (TEND_RECORD (e->series), "duration_minutes", duration / (60 * G_USEC_PER_SEC));
  if (!tend_store_save (e->store, TEND_RECORD (e->series), error))
    return FALSE;

  for (guint i = 0; i < e->rows->len; i++)
    {
      TendAppointment *row = ROW (e, i);
      g_autofree char *before = NULL;

      /* What has started stays, and so do exceptions of another status. */
      if (tend_appointment_get_start_usec (row) <= e->now ||
          tend_appointment_get_status (row) != tend_appointment_get_status (e->original))
        continue;
      before = tend_record_to_body_string (TEND_RECORD (row));
      copy_fields (TEND_RECORD (e->changed), TEND_RECORD (row), names);
      if (duration_changed)
        {
          g_autoptr(GDateTime) start = tend_appointment_dup_start (row);
          g_autoptr(GDateTime) end = g_date_time_add (start, duration);

          tend_appointment_set_times (row, start, end);
        }
      if (!check_and_write (e, row, before, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
edit_several (Edit            *e,
              TendSeriesEdit   scope,
              GError         **error)
{
  TendAppointmentStatus was = tend_appointment_get_status (e->original);
  TendAppointmentStatus now_status = tend_appointment_get_status (e->changed);
  gint64 t0 = parse_usec (tend_record_get_string (TEND_RECORD (e->original), "occurrence_start"));
  gint64 shift = tend_appointment_get_start_usec (e->changed) - tend_appointment_get_start_usec (e->original);
  gboolean duration_changed = duration_of (e->changed) != duration_of (e->original);
  g_autoptr(GPtrArray) names = changed_fields (e);

  if (!load_rows (e, error))
    return FALSE;

  if (scope == TEND_SERIES_EDIT_ALL)
    {
      t0 = first_not_started (e, error);
      if (t0 == G_MININT64 + 1)
        return FALSE;
      if (t0 == G_MININT64)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("This series has no occurrences left to change"));
          return FALSE;
        }
    }
  else if (!check_not_started (e, t0, error))
    return FALSE;

  if (now_status != was)
    {
      if (!is_cancellation (now_status))
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Only a cancellation can change the status of several occurrences: "
                                 "change the others one at a time"));
          return FALSE;
        }
      return cancel_from (e, t0, error);
    }

  if (scope == TEND_SERIES_EDIT_FOLLOWING)
    return split (e, t0, tend_appointment_get_start_usec (e->changed), names, duration_of (e->changed), error);

  if (shift != 0)
    {
      int days, minutes;

      /* The series goes where this occurrence went, from its original slot. */
      wall_difference (parse_usec (tend_record_get_string (TEND_RECORD (e->original), "occurrence_start")),
                       tend_appointment_get_start_usec (e->changed), e->zone, &days, &minutes);
      return split (e, t0, shift_wall_time (t0, e->zone, days, minutes), names, duration_of (e->changed), error);
    }
  return edit_all_in_place (e, names, duration_changed, error);
}

/**
 * tend_schedule_edit_occurrence:
 * @store: a #TendStore
 * @changed: an occurrence of a series, as edited (times, room, clinician,
 *   modality, note...; or cancelled with tend_appointment_set_status())
 * @scope: which occurrences the change is for
 * @horizon_usec: how far a new series is materialised (at least as far as
 *   the old one was)
 * @error: return location for a #GError
 *
 * %TEND_SERIES_EDIT_THIS saves @changed alone, as an exception of its
 * series (tend_schedule_save_appointment()).
 *
 * %TEND_SERIES_EDIT_FOLLOWING splits the series at @changed: the old series
 * ends with an UNTIL just before @changed's original start (or is deleted
 * when nothing is left of it), its rows from there on are deleted, and a
 * new series starts at @changed's new start with its fields and the same
 * rule (the rest of a COUNT).  A cancellation instead cancels every
 * occurrence from @changed on and ends the series.  Occurrences that have
 * taken place cannot be moved this way.
 *
 * %TEND_SERIES_EDIT_ALL changes what has not started yet: the fields that
 * differ between @changed and the stored occurrence are applied to the
 * series and to every occurrence that has not started and has the stored
 * occurrence's status (other exceptions, a cancelled occurrence say, stay
 * as they are).  When the start moves, the series is split at its first
 * occurrence that has not started, as above, so what happened keeps its
 * times.  A cancellation cancels every occurrence that has not started and
 * ends the series.
 *
 * In a split, the new series' rows keep the cancellations (and, at
 * unchanged times, the confirmations) of the old rows they replace, in
 * order; other one-off changes of those rows give way to the new ones.
 *
 * Every occurrence written is checked for conflicts, as by
 * tend_schedule_save_appointment(); @changed's override, if any, applies
 * to all of them.  Everything happens in one transaction (or a savepoint of
 * the caller's): on any error nothing is changed.
 *
 * Returns: %TRUE when saved
 */
gboolean
tend_schedule_edit_occurrence (TendStore       *store,
                               TendAppointment *changed,
                               TendSeriesEdit   scope,
                               gint64           horizon_usec,
                               GError         **error)
{
  Edit e = { 0 };
  g_autoptr(TendRecord) series = NULL;
  const char *series_id;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (changed), FALSE);
  g_return_val_if_fail (scope <= TEND_SERIES_EDIT_ALL, FALSE);

  e.store = store;
  e.changed = changed;
  e.original = TEND_APPOINTMENT (tend_store_load (store, TEND_TYPE_APPOINTMENT,
                                                  tend_record_get_id (TEND_RECORD (changed)), error));
  if (e.original == NULL)
    return FALSE;
  if (tend_record_get_deleted (TEND_RECORD (e.original)))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The appointment no longer exists"));
      edit_clear (&e);
      return FALSE;
    }
  series_id = tend_appointment_get_series_id (e.original);
  if (series_id == NULL)
    {
      edit_clear (&e);
      if (scope == TEND_SERIES_EDIT_THIS)
        return tend_schedule_save_appointment (store, changed, NULL, error);
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The appointment is not part of a series"));
      return FALSE;
    }
  /* An exception stays an occurrence of its series, from its original start. */
  tend_record_set_string (TEND_RECORD (changed), "series_id", series_id);
  tend_record_set_string (TEND_RECORD (changed), "occurrence_start",
                          tend_record_get_string (TEND_RECORD (e.original), "occurrence_start"));

  series = tend_store_load (store, TEND_TYPE_SERIES, series_id, error);
  if (series == NULL || !tend_record_validate (TEND_RECORD (changed), error))
    {
      edit_clear (&e);
      return FALSE;
    }
  e.zone = tend_time_zone_new (tend_series_get_time_zone (TEND_SERIES (series)), NULL);
  if (e.zone == NULL)
    e.zone = practice_zone (store);
  if (scope == TEND_SERIES_EDIT_THIS || tend_record_get_deleted (series))
    {
      ok = tend_schedule_save_appointment (store, changed, e.zone, error);
      edit_clear (&e);
      return ok;
    }

  e.series = TEND_SERIES (g_steal_pointer (&series));
  e.now = g_get_real_time ();
  e.horizon = horizon_usec;
  e.lines = g_ptr_array_new_with_free_func (g_free);
  e.overriding = has_override (changed);

  if (!tend_store_step_begin (store, error))
    {
      edit_clear (&e);
      return FALSE;
    }
  ok = edit_several (&e, scope, error);
  if (ok && e.lines->len > 0)
    {
      set_conflict_error (e.lines, error);
      ok = FALSE;
    }
  ok = tend_store_step_end (store, ok, ok ? error : NULL) && ok;
  edit_clear (&e);
  return ok;
}

/* The waitlist */

/**
 * tend_schedule_match_waitlist:
 * @store: a #TendStore
 * @cancelled: the appointment whose slot came free
 * @zone: (nullable): the zone waitlist days and times are meant in; %NULL
 *   for the practice's
 * @error: return location for a #GError
 *
 * Active waitlist entries that would take @cancelled's slot (its
 * clinician, times and modality, see tend_waitlist_entry_matches()), not
 * counting @cancelled's own client, longest waiting first (the order the
 * entries reached this store).
 *
 * Returns: (transfer full) (element-type TendWaitlistEntry): the entries
 */
GPtrArray *
tend_schedule_match_waitlist (TendStore       *store,
                              TendAppointment *cancelled,
                              GTimeZone       *zone,
                              GError         **error)
{
  g_autoptr(GTimeZone) own_zone = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  GPtrArray *out;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (cancelled), NULL);

  if (zone == NULL)
    zone = own_zone = practice_zone (store);
  stmt = tend_store_prepare_cached (store, "SELECT " RECORD_COLUMNS " FROM waitlist"
                                           " WHERE deleted = 0 AND active = 1 ORDER BY rid", error);
  if (stmt == NULL)
    return NULL;
  entries = collect_records (store, TEND_TYPE_WAITLIST_ENTRY, stmt, error);
  if (entries == NULL)
    return NULL;

  out = g_ptr_array_new_with_free_func (g_object_unref);
  start = tend_appointment_dup_start (cancelled);
  end = tend_appointment_dup_end (cancelled);
  if (start == NULL || end == NULL)
    return out;
  for (guint i = 0; i < entries->len; i++)
    {
      TendWaitlistEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (tend_waitlist_entry_get_client_id (entry), tend_appointment_get_client_id (cancelled)) == 0)
        continue;
      if (tend_waitlist_entry_matches (entry, tend_appointment_get_clinician_id (cancelled), start, end,
                                       tend_appointment_get_modality (cancelled), zone))
        g_ptr_array_add (out, g_object_ref (entry));
    }
  return out;
}

/* Reminders */

/* When @appointment's reminders go, @hours_before its start: %FALSE for
 * none (not an active session, already too late, or beyond
 * @window_usec, 0 for no limit on how far ahead). */
static gboolean
reminder_time (TendAppointment  *appointment,
               guint             hours_before,
               gint64            now_usec,
               gint64            window_usec,
               GDateTime       **send_at)
{
  g_autoptr(GDateTime) start = NULL;
  gint64 start_usec = tend_appointment_get_start_usec (appointment);

  if (tend_appointment_get_client_id (appointment) == NULL || tend_record_get_deleted (TEND_RECORD (appointment)) ||
      tend_appointment_get_kind (appointment) != TEND_APPOINTMENT_KIND_SESSION ||
      !tend_appointment_is_active (appointment) ||
      tend_appointment_get_status (appointment) == TEND_APPOINTMENT_COMPLETED)
    return FALSE;
  if (start_usec - (gint64) hours_before * G_USEC_PER_SEC * 3600 <= now_usec)
    return FALSE;
  if (window_usec > 0 && start_usec > now_usec + window_usec)
    return FALSE;
  start = tend_appointment_dup_start (appointment);
  *send_at = g_date_time_add_hours (start, -(int) hours_before);
  return TRUE;
}

/* How @client_id is reminded: a text message when they have a mobile
 * number, else an e-mail, as they chose; %NULL for none (no contact
 * details, or they asked for no reminders). */
static const char *
reminder_channel (TendStore  *store,
                  const char *client_id)
{
  g_autoptr(TendRecord) client = tend_store_load (store, TEND_TYPE_CLIENT, client_id, NULL);
  const char *choice;
  gboolean sms, email;

  if (client == NULL || tend_record_get_deleted (client))
    return NULL;
  /* The client's choice, and no text messages after they replied STOP. */
  choice = tend_record_get_string (client, "reminders.channel");
  sms = tend_record_get_string (client, "phone_mobile") != NULL &&
        tend_record_get_int (client, "reminders.sms_opt_out") == 0;
  email = tend_record_get_string (client, "email") != NULL;
  if (g_strcmp0 (choice, "none") == 0)
    return NULL;
  if (sms && g_strcmp0 (choice, "email") != 0)
    return "sms";
  if (email)
    return "email";
  if (sms)
    return "sms";
  return NULL;
}

/* Whether @appointment's own client wants a reminder @hours_before its
 * start, and when and how. */
static gboolean
reminder_wanted (TendStore        *store,
                 TendAppointment  *appointment,
                 guint             hours_before,
                 gint64            now_usec,
                 gint64            window_usec,
                 GDateTime       **send_at,
                 const char      **channel)
{
  g_autoptr(GDateTime) when = NULL;

  if (!reminder_time (appointment, hours_before, now_usec, window_usec, &when))
    return FALSE;
  *channel = reminder_channel (store, tend_appointment_get_client_id (appointment));
  if (*channel == NULL)
    return FALSE;
  *send_at = g_steal_pointer (&when);
  return TRUE;
}

/**
 * tend_schedule_add_reminder:
 * @appointment: a session just booked
 * @hours_before: how long before the start to remind
 * @now_usec: the present (reminders already due are not made)
 *
 * Records a reminder for tend-server to send: a text message when the client
 * has a mobile number, else an e-mail, else none.
 *
 * Returns: (transfer full) (nullable): the reminder saved, or %NULL when
 *   none is needed (check @error for failures)
 */
TendReminder *
tend_schedule_add_reminder (TendStore       *store,
                            TendAppointment *appointment,
                            guint            hours_before,
                            gint64           now_usec,
                            GError         **error)
{
  g_autoptr(GDateTime) send_at = NULL;
  g_autoptr(TendReminder) reminder = NULL;
  const char *channel = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (appointment), NULL);

  if (!reminder_wanted (store, appointment, hours_before, now_usec, 0, &send_at, &channel))
    return NULL;
  reminder = tend_reminder_new (tend_record_get_id (TEND_RECORD (appointment)),
                                tend_appointment_get_client_id (appointment), channel, send_at);
  if (!tend_store_save (store, TEND_RECORD (reminder), error))
    return NULL;
  return g_steal_pointer (&reminder);
}

/**
 * tend_schedule_cancel_reminders:
 *
 * Marks an appointment's pending reminders cancelled (after it is cancelled
 * or moved), so tend-server does not send them.
 *
 * Returns: how many were cancelled, or -1 with @error set
 */
int
tend_schedule_cancel_reminders (TendStore  *store,
                                const char *appointment_id,
                                GError    **error)
{
  g_autoptr(GPtrArray) reminders = NULL;
  sqlite3_stmt *stmt;
  int n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), -1);

  stmt = tend_store_prepare_cached (store, "SELECT " RECORD_COLUMNS " FROM reminder"
                                           " WHERE deleted = 0 AND appointment_id = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, appointment_id, -1, SQLITE_TRANSIENT);
  reminders = collect_records (store, TEND_TYPE_REMINDER, stmt, error);
  if (reminders == NULL)
    return -1;
  for (guint i = 0; i < reminders->len; i++)
    {
      TendRecord *r = g_ptr_array_index (reminders, i);

      if (g_strcmp0 (tend_record_get_string (r, "status"), "pending") != 0)
        continue;
      tend_record_set_string (r, "status", "cancelled");
      if (!tend_store_save (store, r, error))
        return -1;
      n++;
    }
  return n;
}

TendReminder *
tend_schedule_get_reminder (TendStore  *store,
                            const char *appointment_id,
                            GError    **error)
{
  g_autoptr(GPtrArray) reminders = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  stmt = tend_store_prepare_cached (store, "SELECT " RECORD_COLUMNS " FROM reminder"
                                           " WHERE deleted = 0 AND appointment_id = ?1"
                                           " ORDER BY json_extract(body, '$.status') = 'failed' DESC,"
                                           " json_extract(body, '$.status') = 'cancelled', send_s DESC, rid DESC LIMIT 1",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, appointment_id, -1, SQLITE_TRANSIENT);
  reminders = collect_records (store, TEND_TYPE_REMINDER, stmt, error);
  if (reminders == NULL || reminders->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (reminders, 0));
}

static GPtrArray *
pending_reminders (TendStore  *store,
                   const char *appointment_id,
                   GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT " RECORD_COLUMNS " FROM reminder"
                                                         " WHERE deleted = 0 AND appointment_id = ?1"
                                                         " AND json_extract(body, '$.status') = 'pending'", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, appointment_id, -1, SQLITE_TRANSIENT);
  return collect_records (store, TEND_TYPE_REMINDER, stmt, error);
}

/* The work of tend_schedule_sync_reminder(), inside the caller's step;
 * counts what it wrote in @n_written.  Every member of a couple, family
 * or group session gets their own reminder (their own contact and
 * choice); a member taken out of the session has theirs cancelled. */
static gboolean
sync_reminder (TendStore       *store,
               TendAppointment *appointment,
               gint64           now_usec,
               guint           *n_written,
               GError         **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GDateTime) send_at = NULL;
  g_autofree char *send_iso = NULL;
  g_auto(GStrv) members = tend_appointment_dup_member_ids (appointment);
  guint n = g_strv_length (members);
  g_autofree const char **channels = g_new0 (const char *, n + 1);
  g_autofree gboolean *kept = g_new0 (gboolean, n + 1);
  gboolean due;

  pending = pending_reminders (store, tend_record_get_id (TEND_RECORD (appointment)), error);
  if (pending == NULL)
    return FALSE;
  due = reminder_time (appointment, TEND_REMINDER_HOURS_BEFORE, now_usec,
                       (gint64) TEND_REMINDER_WINDOW_DAYS * 24 * 3600 * G_USEC_PER_SEC, &send_at);
  if (due)
    {
      send_iso = tend_time_to_iso8601 (send_at);
      for (guint m = 0; m < n; m++)
        channels[m] = reminder_channel (store, members[m]);
    }

  for (guint i = 0; i < pending->len; i++)
    {
      TendRecord *r = g_ptr_array_index (pending, i);
      gboolean keep = FALSE;

      for (guint m = 0; due && !keep && m < n; m++)
        if (channels[m] != NULL && !kept[m] &&
            g_ascii_strcasecmp (tend_record_get_string (r, "client_id"), members[m]) == 0 &&
            g_strcmp0 (tend_record_get_string (r, "send_at"), send_iso) == 0 &&
            g_strcmp0 (tend_record_get_string (r, "channel"), channels[m]) == 0)
          keep = kept[m] = TRUE;
      if (keep)
        continue;
      tend_record_set_string (r, "status", "cancelled");
      if (!tend_store_save (store, r, error))
        return FALSE;
      (*n_written)++;
    }
  for (guint m = 0; due && m < n; m++)
    {
      g_autoptr(TendReminder) reminder = NULL;

      if (channels[m] == NULL || kept[m])
        continue;
      reminder = tend_reminder_new_for_member (appointment, members[m], channels[m], send_at);
      if (!tend_store_save (store, TEND_RECORD (reminder), error))
        return FALSE;
      (*n_written)++;
    }
  return TRUE;
}

gboolean
tend_schedule_sync_reminder (TendStore       *store,
                             TendAppointment *appointment,
                             gint64           now_usec,
                             GError         **error)
{
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (appointment), FALSE);

  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = sync_reminder (store, appointment, now_usec, &n, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/* Appointments whose reminders may be wrong: sessions starting within the
 * window with no pending reminder at the right time, and those with a
 * pending reminder that is still to be sent. */
static GPtrArray *
reminder_candidates (TendStore *store,
                     gint64     now_usec,
                     GError   **error)
{
  sqlite3_stmt *stmt;
  gint64 now_s = floor_s (now_usec);

  stmt = tend_store_prepare_cached (store,
    "SELECT " RECORD_COLUMNS " FROM appointment a"
    " WHERE a.deleted = 0 AND a.start_s > ?1 + ?2 AND a.start_s <= ?1 + ?3"
    "   AND a.client_id IS NOT NULL AND a.status IN ('scheduled', 'confirmed')"
    "   AND NOT EXISTS (SELECT 1 FROM reminder r WHERE r.deleted = 0 AND r.appointment_id = a.id"
    "                   AND json_extract(r.body, '$.status') = 'pending' AND r.send_s = a.start_s - ?2)"
    " UNION "
    "SELECT " RECORD_COLUMNS " FROM appointment a"
    " WHERE a.id IN (SELECT r.appointment_id FROM reminder r WHERE r.deleted = 0 AND r.send_s > ?1"
    "                AND json_extract(r.body, '$.status') = 'pending')",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now_s);
  sqlite3_bind_int64 (stmt, 2, (gint64) TEND_REMINDER_HOURS_BEFORE * 3600);
  sqlite3_bind_int64 (stmt, 3, (gint64) TEND_REMINDER_WINDOW_DAYS * 24 * 3600);
  return collect_records (store, TEND_TYPE_APPOINTMENT, stmt, error);
}

/**
 * tend_schedule_maintain:
 * @now_usec: the present
 *
 * Extends every series to TEND_SCHEDULE_HORIZON_DAYS from @now_usec (see
 * tend_schedule_extend_horizon()), then makes the reminders of sessions now
 * inside the reminder window and cancels those of appointments that were
 * cancelled or moved through another computer.  Safe to interrupt and to
 * run again: it only writes what is missing or wrong.
 *
 * Returns: %TRUE when done
 */
gboolean
tend_schedule_maintain (TendStore *store,
                        gint64     now_usec,
                        guint     *n_reminders,
                        GError   **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  guint n = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);

  if (!tend_schedule_extend_horizon (store, now_usec + (gint64) TEND_SCHEDULE_HORIZON_DAYS * 24 * 3600 * G_USEC_PER_SEC,
                                     error))
    return FALSE;
  candidates = reminder_candidates (store, now_usec, error);
  if (candidates == NULL)
    return FALSE;
  if (candidates->len > 0)
    {
      if (!tend_store_step_begin (store, error))
        return FALSE;
      for (guint i = 0; ok && i < candidates->len; i++)
        ok = sync_reminder (store, g_ptr_array_index (candidates, i), now_usec, &n, error);
      ok = tend_store_step_end (store, ok, ok ? error : NULL) && ok;
    }
  if (n_reminders != NULL)
    *n_reminders = n;
  return ok;
}
