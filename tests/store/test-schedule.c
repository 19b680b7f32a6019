/* test-schedule.c: appointments, series, conflicts and the waitlist in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "tend-schedule.h"

typedef struct
{
  StoreFixture f;
  TendStore   *store;
  GTimeZone   *zone;
  char        *maya;     /* clinician, Mon-Fri 08:00-18:00 */
  char        *daniel;   /* clinician, no working hours */
  char        *rosa;     /* front desk */
  char        *birch;    /* a room */
  char        *cedar;    /* another room */
  char        *tele;     /* the virtual room */
  char        *ann;      /* clients */
  char        *bob;
  char        *cara;
  char        *dev;
} Fixture;

static char *
save_new (TendStore  *store,
          TendRecord *record)
{
  store_test_save (store, record);
  return g_strdup (tend_record_get_id (record));
}

static char *
add_staff (Fixture    *fx,
           const char *given,
           const char *family,
           TendRole    role,
           gboolean    hours)
{
  g_autoptr(TendStaff) staff = tend_staff_new (given, family, role);
  static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", NULL };

  for (guint i = 0; hours && days[i] != NULL; i++)
    {
      g_autofree char *start = g_strdup_printf ("working_hours.%s.start", days[i]);
      g_autofree char *end = g_strdup_printf ("working_hours.%s.end", days[i]);

      tend_record_set_string (TEND_RECORD (staff), start, "08:00");
      tend_record_set_string (TEND_RECORD (staff), end, "18:00");
    }
  return save_new (fx->store, TEND_RECORD (staff));
}

static char *
add_room (Fixture    *fx,
          const char *name,
          gboolean    is_virtual)
{
  g_autoptr(TendRoom) room = tend_room_new (name);

  tend_record_set_int (TEND_RECORD (room), "virtual", is_virtual);
  return save_new (fx->store, TEND_RECORD (room));
}

static char *
add_client (Fixture    *fx,
            const char *given,
            const char *family)
{
  g_autoptr(TendClient) client = tend_client_new (given, family);

  return save_new (fx->store, TEND_RECORD (client));
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(TendPractice) practice = tend_practice_new ("Riverbend", "America/Chicago");

  store_test_setup (&fx->f, data);
  fx->store = store_test_open (&fx->f);
  fx->zone = g_time_zone_new_identifier ("America/Chicago");
  store_test_save (fx->store, TEND_RECORD (practice));
  fx->maya = add_staff (fx, "Maya", "Okafor", TEND_ROLE_CLINICIAN, TRUE);
  fx->daniel = add_staff (fx, "Daniel", "Lindqvist", TEND_ROLE_CLINICIAN, FALSE);
  fx->rosa = add_staff (fx, "Rosa", "Delgado", TEND_ROLE_FRONT_DESK, FALSE);
  fx->birch = add_room (fx, "Birch", FALSE);
  fx->cedar = add_room (fx, "Cedar", FALSE);
  fx->tele = add_room (fx, "Telehealth", TRUE);
  fx->ann = add_client (fx, "Ann", "Smith");
  fx->bob = add_client (fx, "Bob", "Jones");
  fx->cara = add_client (fx, "Cara", "Nguyễn");
  fx->dev = add_client (fx, "Dev", "Patel");
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->store);
  g_clear_pointer (&fx->zone, g_time_zone_unref);
  g_free (fx->maya);
  g_free (fx->daniel);
  g_free (fx->rosa);
  g_free (fx->birch);
  g_free (fx->cedar);
  g_free (fx->tele);
  g_free (fx->ann);
  g_free (fx->bob);
  g_free (fx->cara);
  g_free (fx->dev);
  store_test_teardown (&fx->f, data);
}

/* A wall time in Chicago. */
static GDateTime *
at (Fixture *fx,
    int      year,
    int      month,
    int      day,
    int      hour,
    int      minute)
{
  g_autoptr(GDateTime) local = g_date_time_new (fx->zone, year, month, day, hour, minute, 0);

  return g_date_time_to_utc (local);
}

/* Monday of the week @weeks from this one, at @hour:@minute in Chicago. */
static GDateTime *
monday (Fixture *fx,
        int      weeks,
        int      hour,
        int      minute)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (fx->zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 7 * weeks - (g_date_time_get_day_of_week (now) - 1));

  return at (fx, g_date_time_get_year (day), g_date_time_get_month (day), g_date_time_get_day_of_month (day),
             hour, minute);
}

static gint64
usec (GDateTime *dt)
{
  return tend_time_to_unix_usec (dt);
}

static TendAppointment *
appointment (const char *clinician,
             const char *client,
             const char *room,
             GDateTime  *start,
             int         minutes)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  TendAppointment *a = tend_appointment_new (clinician, start, end);

  tend_record_set_string (TEND_RECORD (a), "client_id", client);
  if (client == NULL)
    tend_record_set_string (TEND_RECORD (a), "kind", "blocked");
  tend_record_set_string (TEND_RECORD (a), "room_id", room);
  tend_record_set_string (TEND_RECORD (a), "service_code", "90834");
  return a;
}

static char *
book (Fixture         *fx,
      TendAppointment *a)
{
  g_autoptr(GError) error = NULL;

  if (!tend_schedule_save_appointment (fx->store, a, fx->zone, &error))
    g_error ("Could not book: %s", error->message);
  return g_strdup (tend_record_get_id (TEND_RECORD (a)));
}

static gint64
rows (Fixture    *fx,
      const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM appointment WHERE %s", where);

  return store_test_query_int (&fx->f, sql);
}

static gint64
audit_rows (Fixture *fx)
{
  return store_test_query_int (&fx->f, "SELECT count(*) FROM audit_log");
}

/* Every row of the scheduling tables, for "nothing changed". */
static char *
snapshot (Fixture *fx)
{
  sqlite3 *db = store_test_raw_open (&fx->f);
  static const char * const queries[] = {
    "SELECT id || ' ' || deleted || ' ' || body FROM appointment ORDER BY id",
    "SELECT id || ' ' || deleted || ' ' || body FROM series ORDER BY id",
    "SELECT series_id || ' ' || until_s FROM series_horizon ORDER BY series_id",
    "SELECT count(*) FROM outbox",
    "SELECT count(*) FROM audit_log",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (out, "%s\n", (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static GPtrArray *
list (Fixture    *fx,
      GDateTime  *from,
      GDateTime  *to,
      const char *clinician)
{
  g_autoptr(GError) error = NULL;
  const char *ids[] = { clinician, NULL };
  GPtrArray *out = tend_schedule_list (fx->store, usec (from), usec (to), clinician != NULL ? ids : NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

static void
assert_ids (GPtrArray  *appointments,
            const char *first,
            ...)
{
  va_list args;
  const char *id = first;
  guint i = 0;

  va_start (args, first);
  for (; id != NULL; id = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, appointments->len);
      g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (appointments, i)), ==, id);
    }
  va_end (args);
  g_assert_cmpuint (appointments->len, ==, i);
}

/* List */

static void
test_list (Fixture       *fx,
           gconstpointer  data)
{
  /* Monday 2030-03-04 (CST). */
  g_autoptr(GDateTime) nine = at (fx, 2030, 3, 4, 9, 0);
  g_autoptr(GDateTime) ten = at (fx, 2030, 3, 4, 10, 0);
  g_autoptr(GDateTime) tue_nine = at (fx, 2030, 3, 5, 9, 0);
  g_autoptr(GDateTime) wed_noon = at (fx, 2030, 3, 6, 12, 0);
  g_autoptr(GDateTime) sun_late = at (fx, 2030, 3, 3, 23, 30);
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, fx->birch, nine, 50);
  g_autoptr(TendAppointment) b = appointment (fx->maya, fx->bob, NULL, ten, 50);
  g_autoptr(TendAppointment) c = appointment (fx->maya, fx->cara, NULL, tue_nine, 50);
  g_autoptr(TendAppointment) d = appointment (fx->daniel, fx->dev, fx->cedar, nine, 50);
  g_autoptr(TendAppointment) e = appointment (fx->maya, NULL, NULL, wed_noon, 60);
  g_autoptr(TendAppointment) gone = appointment (fx->maya, fx->bob, NULL, tue_nine, 50);
  g_autoptr(TendAppointment) night = appointment (fx->daniel, NULL, NULL, sun_late, 60);
  g_autofree char *id_a = NULL, *id_b = NULL, *id_c = NULL, *id_d = NULL, *id_e = NULL, *id_night = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  id_a = book (fx, a);
  id_b = book (fx, b);
  g_assert_true (tend_appointment_set_status (c, TEND_APPOINTMENT_CANCELLED, "Sick", now, NULL));
  id_c = book (fx, c);
  id_d = book (fx, d);
  id_e = book (fx, e);
  id_night = book (fx, night);
  store_test_save (fx->store, TEND_RECORD (gone));
  g_assert_true (tend_store_delete (fx->store, TEND_RECORD (gone), NULL));

  {
    g_autoptr(GDateTime) from = at (fx, 2030, 3, 4, 0, 0);
    g_autoptr(GDateTime) to = at (fx, 2030, 3, 5, 0, 0);
    g_autoptr(GPtrArray) day = list (fx, from, to, fx->maya);
    g_autoptr(GPtrArray) everyone = list (fx, from, to, NULL);
    const char *first = strcmp (id_a, id_d) < 0 ? id_a : id_d;
    const char *second = strcmp (id_a, id_d) < 0 ? id_d : id_a;

    assert_ids (day, id_a, id_b, NULL);
    g_assert_true (TEND_IS_APPOINTMENT (g_ptr_array_index (day, 0)));
    /* Everyone's: by start, then id; the night session crosses midnight. */
    assert_ids (everyone, id_night, first, second, id_b, NULL);
  }
  {
    /* The week: cancelled and blocked included, deleted not. */
    g_autoptr(GDateTime) from = at (fx, 2030, 3, 4, 0, 0);
    g_autoptr(GDateTime) to = at (fx, 2030, 3, 11, 0, 0);
    g_autoptr(GPtrArray) week = list (fx, from, to, fx->maya);

    assert_ids (week, id_a, id_b, id_c, id_e, NULL);
  }
  {
    /* Boundaries: A is 09:00-09:50, B 10:00-10:50. */
    g_autoptr(GDateTime) t0950 = at (fx, 2030, 3, 4, 9, 50);
    g_autoptr(GDateTime) t0949 = at (fx, 2030, 3, 4, 9, 49);
    g_autoptr(GDateTime) t1000 = at (fx, 2030, 3, 4, 10, 0);
    g_autoptr(GDateTime) t1001 = at (fx, 2030, 3, 4, 10, 1);
    g_autoptr(GDateTime) t1050 = at (fx, 2030, 3, 4, 10, 50);
    g_autoptr(GDateTime) t1100 = at (fx, 2030, 3, 4, 11, 0);
    g_autoptr(GDateTime) t0800 = at (fx, 2030, 3, 4, 8, 0);
    g_autoptr(GPtrArray) gap = list (fx, t0950, t1000, fx->maya);
    g_autoptr(GPtrArray) edge_a = list (fx, t0949, t1000, fx->maya);
    g_autoptr(GPtrArray) edge_b = list (fx, t0950, t1001, fx->maya);
    g_autoptr(GPtrArray) after = list (fx, t1050, t1100, fx->maya);
    g_autoptr(GPtrArray) before = list (fx, t0800, nine, fx->maya);

    g_assert_cmpuint (gap->len, ==, 0);
    assert_ids (edge_a, id_a, NULL);
    assert_ids (edge_b, id_b, NULL);
    g_assert_cmpuint (after->len, ==, 0);
    g_assert_cmpuint (before->len, ==, 0);
    /* An empty range holds nothing. */
    {
      g_autoptr(GPtrArray) none = list (fx, ten, ten, fx->maya);

      g_assert_cmpuint (none->len, ==, 0);
    }
  }
  {
    g_autoptr(GDateTime) from = at (fx, 2030, 3, 4, 0, 0);
    g_autoptr(GDateTime) to = at (fx, 2030, 3, 11, 0, 0);
    const char * const both[] = { fx->maya, fx->daniel, NULL };
    const char * const nobody[] = { NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) two = tend_schedule_list (fx->store, usec (from), usec (to), both, &error);
    g_autoptr(GPtrArray) none = tend_schedule_list (fx->store, usec (from), usec (to), nobody, &error);
    g_autoptr(GPtrArray) birch = tend_schedule_list_for_room (fx->store, fx->birch, usec (from), usec (to), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (two->len, ==, 6);
    g_assert_cmpuint (none->len, ==, 0);
    assert_ids (birch, id_a, NULL);
  }
}

/* The queries use the indexes of migration 3 (the same SQL as tend-schedule.c). */
static void
test_query_plans (Fixture       *fx,
                  gconstpointer  data)
{
  static const struct { const char *sql; const char *index; } plans[] = {
    { "SELECT id, version, deleted, updated_at, body FROM appointment"
      " WHERE deleted = 0 AND clinician_id IN (?4) AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
      " ORDER BY start_s, id", "appointment_clinician (clinician_id=? AND start_s>? AND start_s<?)" },
    { "SELECT id, version, deleted, updated_at, body FROM appointment"
      " WHERE deleted = 0 AND clinician_id IN (?4, ?5, ?6) AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
      " ORDER BY start_s, id", "appointment_clinician (clinician_id=? AND start_s>? AND start_s<?)" },
    { "SELECT id, version, deleted, updated_at, body FROM appointment"
      " WHERE deleted = 0 AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
      " ORDER BY start_s, id", "appointment_start (start_s>? AND start_s<?)" },
    { "SELECT id, start_s, end_s, json_extract(body, '$.kind') FROM appointment"
      " WHERE deleted = 0 AND room_id = ?4 AND start_s > ?1 AND start_s < ?3 AND end_s > ?2"
      " AND id != ?5 AND status NOT IN ('cancelled', 'late_cancelled', 'no_show')"
      " ORDER BY start_s, id", "appointment_room (room_id=? AND start_s>? AND start_s<?)" },
  };
  sqlite3 *db = store_test_raw_open (&fx->f);

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", plans[i].sql, NULL);
      sqlite3_stmt *stmt = NULL;
      GString *plan = g_string_new (NULL);

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      if (strstr (plan->str, plans[i].index) == NULL)
        g_error ("%s\nplan:\n%s", plans[i].sql, plan->str);
      g_string_free (plan, TRUE);
    }
  sqlite3_close (db);
}

/* Conflicts */

static GPtrArray *
conflicts (Fixture         *fx,
           TendAppointment *a)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *found = tend_schedule_find_conflicts (fx->store, a, fx->zone, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
assert_conflicts (Fixture         *fx,
                  TendAppointment *a,
                  guint            n,
                  ...)
{
  g_autoptr(GPtrArray) found = conflicts (fx, a);
  va_list args;

  g_assert_cmpuint (found->len, ==, n);
  va_start (args, n);
  for (guint i = 0; i < n; i++)
    {
      TendConflict *c = g_ptr_array_index (found, i);
      TendConflictKind kind = va_arg (args, TendConflictKind);
      const char *other = va_arg (args, const char *);

      g_assert_cmpint (c->kind, ==, kind);
      g_assert_cmpstr (c->other_id, ==, other);
    }
  va_end (args);
}

static void
test_conflicts (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GDateTime) nine = at (fx, 2030, 3, 4, 9, 0);
  g_autoptr(GDateTime) nine_thirty = at (fx, 2030, 3, 4, 9, 30);
  g_autoptr(GDateTime) nine_fifty = at (fx, 2030, 3, 4, 9, 50);
  g_autoptr(GDateTime) tue_nine = at (fx, 2030, 3, 5, 9, 0);
  g_autoptr(GDateTime) wed_noon = at (fx, 2030, 3, 6, 12, 0);
  g_autoptr(GDateTime) wed_half = at (fx, 2030, 3, 6, 12, 30);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, fx->birch, nine, 50);
  g_autoptr(TendAppointment) cancelled = appointment (fx->maya, fx->bob, fx->birch, tue_nine, 50);
  g_autoptr(TendAppointment) meeting = appointment (fx->maya, NULL, NULL, wed_noon, 60);
  g_autoptr(GDateTime) one = at (fx, 2030, 3, 4, 13, 0);
  g_autoptr(TendAppointment) tele = appointment (fx->daniel, fx->dev, fx->tele, one, 50);
  g_autofree char *id_a = NULL, *id_meeting = NULL;

  id_a = book (fx, a);
  g_assert_true (tend_appointment_set_status (cancelled, TEND_APPOINTMENT_CANCELLED, "Sick", now, NULL));
  g_free (book (fx, cancelled));
  id_meeting = book (fx, meeting);
  g_free (book (fx, tele));

  /* Itself: nothing. */
  assert_conflicts (fx, a, 0);
  {
    /* The same clinician, overlapping. */
    g_autoptr(TendAppointment) x = appointment (fx->maya, fx->cara, NULL, nine_thirty, 50);
    g_autoptr(TendAppointment) touching = appointment (fx->maya, fx->cara, NULL, nine_fifty, 50);

    assert_conflicts (fx, x, 1, TEND_CONFLICT_CLINICIAN, id_a);
    assert_conflicts (fx, touching, 0);
  }
  {
    /* Another clinician in the same room; a virtual room is never taken. */
    g_autoptr(TendAppointment) x = appointment (fx->daniel, fx->cara, fx->birch, nine_thirty, 50);
    g_autoptr(TendAppointment) y = appointment (fx->daniel, fx->cara, fx->cedar, nine_thirty, 50);
    g_autoptr(TendAppointment) z = appointment (fx->maya, fx->cara, fx->tele, one, 50);
    g_autoptr(TendAppointment) both = appointment (fx->maya, fx->cara, fx->birch, nine_thirty, 50);

    assert_conflicts (fx, x, 1, TEND_CONFLICT_ROOM, id_a);
    assert_conflicts (fx, y, 0);
    assert_conflicts (fx, z, 0);
    assert_conflicts (fx, both, 2, TEND_CONFLICT_CLINICIAN, id_a, TEND_CONFLICT_ROOM, id_a);
  }
  {
    /* Blocked time counts; a cancelled appointment does not, nor a no-show. */
    g_autoptr(TendAppointment) x = appointment (fx->maya, fx->cara, NULL, wed_half, 50);
    g_autoptr(TendAppointment) y = appointment (fx->maya, fx->cara, fx->birch, tue_nine, 50);

    assert_conflicts (fx, x, 1, TEND_CONFLICT_CLINICIAN, id_meeting);
    assert_conflicts (fx, y, 0);
    g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_NO_SHOW, NULL, now, NULL));
    g_free (book (fx, a));
    {
      g_autoptr(TendAppointment) z = appointment (fx->maya, fx->cara, fx->birch, nine_thirty, 50);

      assert_conflicts (fx, z, 0);
    }
    /* And an appointment that is itself cancelled stands in no one's way. */
    g_assert_true (tend_appointment_set_status (x, TEND_APPOINTMENT_CANCELLED, "Sick", now, NULL));
    assert_conflicts (fx, x, 0);
  }
  {
    /* Working hours: Maya works Monday to Friday, 08:00 to 18:00, in Chicago. */
    g_autoptr(GDateTime) early = at (fx, 2030, 3, 4, 7, 0);
    g_autoptr(GDateTime) first = at (fx, 2030, 3, 4, 8, 0);
    g_autoptr(GDateTime) last = at (fx, 2030, 3, 4, 17, 10);
    g_autoptr(GDateTime) late = at (fx, 2030, 3, 4, 17, 30);
    g_autoptr(GDateTime) saturday = at (fx, 2030, 3, 9, 10, 0);
    g_autoptr(GDateTime) night = at (fx, 2030, 3, 4, 23, 30);
    g_autoptr(TendAppointment) e = appointment (fx->maya, fx->cara, NULL, early, 50);
    g_autoptr(TendAppointment) f = appointment (fx->maya, fx->cara, NULL, first, 50);
    g_autoptr(TendAppointment) l = appointment (fx->maya, fx->cara, NULL, last, 50);
    g_autoptr(TendAppointment) lt = appointment (fx->maya, fx->cara, NULL, late, 50);
    g_autoptr(TendAppointment) sat = appointment (fx->maya, fx->cara, NULL, saturday, 50);
    g_autoptr(TendAppointment) midnight = appointment (fx->maya, fx->cara, NULL, night, 60);
    g_autoptr(TendAppointment) daniel_sat = appointment (fx->daniel, fx->cara, NULL, saturday, 50);
    g_autoptr(TendAppointment) leave = appointment (fx->maya, NULL, NULL, saturday, 240);

    assert_conflicts (fx, e, 1, TEND_CONFLICT_OUTSIDE_HOURS, NULL);
    assert_conflicts (fx, f, 0);
    assert_conflicts (fx, l, 0);
    assert_conflicts (fx, lt, 1, TEND_CONFLICT_OUTSIDE_HOURS, NULL);
    assert_conflicts (fx, sat, 1, TEND_CONFLICT_OUTSIDE_HOURS, NULL);
    assert_conflicts (fx, midnight, 1, TEND_CONFLICT_OUTSIDE_HOURS, NULL);
    /* No working hours: no limits.  Blocked time may lie anywhere. */
    assert_conflicts (fx, daniel_sat, 0);
    assert_conflicts (fx, leave, 0);
  }
  {
    /* In another zone, 08:00 Chicago is 09:00 New York. */
    g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
    g_autoptr(GDateTime) first = at (fx, 2030, 3, 4, 8, 0);
    g_autoptr(TendAppointment) f = appointment (fx->maya, fx->cara, NULL, first, 50);
    g_autoptr(GPtrArray) found = tend_schedule_find_conflicts (fx->store, f, new_york, NULL);
    g_autoptr(GPtrArray) practice = tend_schedule_find_conflicts (fx->store, f, NULL, NULL);

    g_assert_cmpuint (found->len, ==, 0);
    g_assert_cmpuint (practice->len, ==, 0);
  }
}

static void
test_save_refused (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) nine = at (fx, 2030, 3, 4, 9, 0);
  g_autoptr(GDateTime) nine_thirty = at (fx, 2030, 3, 4, 9, 30);
  g_autoptr(GDateTime) evening = at (fx, 2030, 3, 4, 17, 30);
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, fx->birch, nine, 50);
  g_autoptr(TendAppointment) x = appointment (fx->maya, fx->bob, fx->birch, nine_thirty, 50);
  g_autoptr(TendAppointment) late = appointment (fx->maya, fx->bob, NULL, evening, 50);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *id_a = book (fx, a);
  guint outbox = tend_store_count_outbox (fx->store);
  gint64 audit = audit_rows (fx);

  before = snapshot (fx);
  g_assert_false (tend_schedule_save_appointment (fx->store, x, fx->zone, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Maya Okafor already has an appointment from 09:00 to 09:50"));
  g_assert_nonnull (strstr (error->message, "Room Birch is taken then"));
  g_clear_error (&error);

  g_assert_false (tend_schedule_save_appointment (fx->store, late, fx->zone, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Outside Maya Okafor’s working hours"));
  g_clear_error (&error);

  /* Times in the zone asked for. */
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

    g_assert_false (tend_schedule_save_appointment (fx->store, x, utc, &error));
    g_assert_nonnull (strstr (error->message, "from 15:00 to 15:50"));
    g_clear_error (&error);
  }

  /* Nothing was written. */
  after = snapshot (fx);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (rows (fx, "1"), ==, 1);
  g_assert_cmpuint (tend_store_count_outbox (fx->store), ==, outbox);
  g_assert_cmpint (audit_rows (fx), ==, audit);

  /* Moving it out of the way saves it. */
  tend_appointment_set_times (x, nine_thirty, nine_thirty);
  {
    g_autoptr(GDateTime) ten = at (fx, 2030, 3, 4, 10, 0);
    g_autoptr(GDateTime) ten_fifty = at (fx, 2030, 3, 4, 10, 50);

    tend_appointment_set_times (x, ten, ten_fifty);
  }
  g_assert_true (tend_schedule_save_appointment (fx->store, x, fx->zone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows (fx, "deleted = 0"), ==, 2);

  /* Invalid input is a validation error, not a conflict. */
  {
    g_autoptr(TendAppointment) bad = appointment (fx->maya, NULL, NULL, nine, 50);

    tend_record_set_string (TEND_RECORD (bad), "kind", "session");
    g_assert_false (tend_schedule_save_appointment (fx->store, bad, fx->zone, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  }
}

static void
test_override (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GDateTime) nine = at (fx, 2030, 3, 4, 9, 0);
  g_autoptr(GDateTime) nine_thirty = at (fx, 2030, 3, 4, 9, 30);
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, fx->birch, nine, 50);
  g_autoptr(TendAppointment) x = appointment (fx->maya, fx->bob, NULL, nine_thirty, 50);
  g_autoptr(GError) error = NULL;
  g_autofree char *id_a = book (fx, a);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  tend_record_set_int (TEND_RECORD (x), "override.conflict", TRUE);
  tend_record_set_string (TEND_RECORD (x), "override.by", fx->maya);
  tend_record_set_string (TEND_RECORD (x), "override.reason", "Crisis session");

  /* A clinician may not override. */
  tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
  before = snapshot (fx);
  g_assert_false (tend_schedule_save_appointment (fx->store, x, fx->zone, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  after = snapshot (fx);
  g_assert_cmpstr (before, ==, after);

  /* The front desk may, and the override is recorded. */
  tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_FRONT_DESK);
  tend_record_set_string (TEND_RECORD (x), "override.by", fx->rosa);
  g_assert_true (tend_schedule_save_appointment (fx->store, x, fx->zone, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TendRecord) saved = tend_store_load (fx->store, TEND_TYPE_APPOINTMENT,
                                                   tend_record_get_id (TEND_RECORD (x)), &error);
    g_autofree char *actor = store_test_query_text (&fx->f, "SELECT actor_id FROM audit_log ORDER BY seq DESC LIMIT 1");
    g_autofree char *outbox_body = store_test_query_text (&fx->f, "SELECT a.body FROM outbox o JOIN appointment a"
                                                                         " ON a.id = o.record_id ORDER BY o.seq DESC LIMIT 1");

    g_assert_no_error (error);
    g_assert_cmpint (tend_record_get_int (saved, "override.conflict"), ==, TRUE);
    g_assert_cmpstr (tend_record_get_string (saved, "override.by"), ==, fx->rosa);
    g_assert_cmpstr (tend_record_get_string (saved, "override.reason"), ==, "Crisis session");
    g_assert_cmpstr (actor, ==, fx->rosa);
    g_assert_nonnull (strstr (outbox_body, "Crisis session"));
  }
  g_assert_cmpint (rows (fx, "deleted = 0"), ==, 2);

  /* A clinician may still save without a conflict, but a biller not at all. */
  {
    g_autoptr(GDateTime) two = at (fx, 2030, 3, 4, 14, 0);
    g_autoptr(TendAppointment) y = appointment (fx->maya, fx->cara, NULL, two, 50);
    g_autoptr(TendAppointment) z = appointment (fx->maya, fx->dev, NULL, two, 50);

    tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
    g_assert_true (tend_schedule_save_appointment (fx->store, y, fx->zone, &error));
    g_assert_no_error (error);
    tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_BILLER);
    tend_appointment_set_times (z, nine, nine);
    {
      g_autoptr(GDateTime) sixteen = at (fx, 2030, 3, 4, 16, 0);
      g_autoptr(GDateTime) end = at (fx, 2030, 3, 4, 16, 50);

      tend_appointment_set_times (z, sixteen, end);
    }
    g_assert_false (tend_schedule_save_appointment (fx->store, z, fx->zone, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }

  /* No actor: the system may override. */
  {
    g_autoptr(TendAppointment) w = appointment (fx->maya, fx->dev, NULL, nine, 30);

    tend_store_set_actor (fx->store, NULL, TEND_ROLE_OWNER);
    tend_record_set_int (TEND_RECORD (w), "override.conflict", TRUE);
    tend_record_set_string (TEND_RECORD (w), "override.by", fx->rosa);
    tend_record_set_string (TEND_RECORD (w), "override.reason", "Imported");
    g_assert_true (tend_schedule_save_appointment (fx->store, w, NULL, &error));
    g_assert_no_error (error);
  }
}

/* Series */

/* A horizon just after @n weekly occurrences from @first, whatever
 * daylight-saving change lies between (an hour either way). */
static GDateTime *
weeks_after (GDateTime *first,
             int        n)
{
  g_autoptr(GDateTime) later = g_date_time_add_weeks (first, n);

  return g_date_time_add_days (later, -1);
}

static TendSeries *
weekly (Fixture    *fx,
        GDateTime  *first,
        const char *client,
        const char *rule)
{
  TendSeries *series = tend_series_new (fx->maya, first, 50, "America/Chicago", rule);

  tend_record_set_string (TEND_RECORD (series), "client_id", client);
  tend_record_set_string (TEND_RECORD (series), "room_id", fx->birch);
  tend_record_set_string (TEND_RECORD (series), "service_code", "90834");
  return series;
}

static void
save_series (Fixture    *fx,
             TendSeries *series,
             GDateTime  *horizon)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_schedule_save_series (fx->store, series, usec (horizon), &error));
  g_assert_no_error (error);
}

static gint64
series_rows (Fixture    *fx,
             const char *series_id,
             const char *extra)
{
  g_autofree char *where = g_strdup_printf ("series_id = '%s' %s", series_id, extra != NULL ? extra : "");

  return rows (fx, where);
}

/* The live rows of a series, by start. */
static GPtrArray *
series_list (Fixture    *fx,
             const char *series_id)
{
  g_autoptr(GDateTime) from = g_date_time_new_utc (2000, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) to = g_date_time_new_utc (2100, 1, 1, 0, 0, 0);
  g_autoptr(GPtrArray) all = list (fx, from, to, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (tend_appointment_get_series_id (g_ptr_array_index (all, i)), series_id) == 0)
      g_ptr_array_add (out, g_object_ref (g_ptr_array_index (all, i)));
  return out;
}

/* No two live, active rows of @client overlap. */
static void
assert_no_overlap (Fixture    *fx,
                   const char *client)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM appointment a JOIN appointment b"
                                          " ON a.client_id = b.client_id AND a.id < b.id"
                                          " WHERE a.client_id = '%s' AND a.deleted = 0 AND b.deleted = 0"
                                          " AND a.status NOT IN ('cancelled', 'late_cancelled', 'no_show')"
                                          " AND b.status NOT IN ('cancelled', 'late_cancelled', 'no_show')"
                                          " AND a.start_s < b.end_s AND b.start_s < a.end_s", client);

  g_assert_cmpint (store_test_query_int (&fx->f, sql), ==, 0);
}

/* The start of occurrence @k (from 0) of @series, as the series expands it
 * (across daylight-saving changes, unlike adding weeks in UTC). */
static GDateTime *
nth (TendSeries *series,
     guint       k)
{
  g_autoptr(GDateTime) first = tend_series_dup_first_start (series);
  g_autoptr(GDateTime) to = g_date_time_add_days (first, 7 * ((int) k + 2));
  g_autoptr(GPtrArray) all = tend_series_expand (series, first, to, NULL);

  g_assert_nonnull (all);
  g_assert_cmpuint (k, <, all->len);
  return g_date_time_ref (g_ptr_array_index (all, k));
}

static TendAppointment *
occurrence (Fixture    *fx,
            TendSeries *series,
            GDateTime  *start)
{
  g_autofree char *id = tend_appointment_occurrence_id (tend_record_get_id (TEND_RECORD (series)), start);
  g_autoptr(GError) error = NULL;
  TendRecord *r = tend_store_load (fx->store, TEND_TYPE_APPOINTMENT, id, &error);

  g_assert_no_error (error);
  return TEND_APPOINTMENT (r);
}

/* A series made before Tend gave series version 8 ids (a version 7 id, as
 * any computer may already hold it with its rows) keeps the version 5
 * occurrence ids it always had, when saved again and when extended: the
 * rows it has are found, none is made twice.  A series made now has rows
 * whose ids begin with its own first 48 bits. */
static void
test_series_occurrence_ids (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, 1, 9, 0);
  g_autoptr(GDateTime) horizon = weeks_after (first, 6);
  g_autoptr(GDateTime) further = weeks_after (first, 12);
  g_autoptr(TendSeries) before = weekly (fx, first, fx->ann, "FREQ=WEEKLY");
  g_autoptr(TendSeries) now = weekly (fx, first, fx->bob, "FREQ=WEEKLY");
  g_autofree char *v7 = tend_uuid_new_time_ordered ();
  const char *now_id = tend_record_get_id (TEND_RECORD (now));
  g_autoptr(GError) error = NULL;

  tend_record_set_id (TEND_RECORD (before), v7);
  tend_record_set_string (TEND_RECORD (now), "clinician_id", fx->daniel);
  tend_record_set_string (TEND_RECORD (now), "room_id", NULL);
  tend_record_set_int (TEND_RECORD (now), "modality", TEND_MODALITY_TELEHEALTH);
  save_series (fx, before, horizon);
  save_series (fx, now, horizon);
  g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
  g_assert_no_error (error);
  save_series (fx, before, horizon);
  g_assert_cmpint (series_rows (fx, v7, NULL), ==, 12);
  g_assert_cmpint (series_rows (fx, now_id, NULL), ==, 12);
  {
    g_autoptr(GPtrArray) old_rows = series_list (fx, v7);
    g_autoptr(GPtrArray) new_rows = series_list (fx, now_id);

    for (guint i = 0; i < old_rows->len; i++)
      {
        const char *id = tend_record_get_id (g_ptr_array_index (old_rows, i));
        g_autoptr(GDateTime) start = tend_appointment_dup_start (g_ptr_array_index (old_rows, i));
        g_autofree char *legacy = tend_record_derive_id ("tend-occurrence", v7, tend_record_get_string (g_ptr_array_index (old_rows, i), "occurrence_start"));

        g_assert_cmpint (id[14], ==, '5');
        g_assert_cmpstr (id, ==, legacy);
      }
    g_assert_cmpuint (new_rows->len, ==, 12);
    for (guint i = 0; i < new_rows->len; i++)
      {
        const char *id = tend_record_get_id (g_ptr_array_index (new_rows, i));

        g_assert_cmpint (strncmp (id, now_id, 13), ==, 0);
        g_assert_cmpint (id[14], ==, '8');
      }
  }
}

static void
test_series_materialise (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, 1, 9, 0);
  g_autoptr(GDateTime) horizon = weeks_after (first, 10);
  g_autoptr(GDateTime) further = weeks_after (first, 20);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->ann, "FREQ=WEEKLY");
  g_autoptr(TendSeries) counted = weekly (fx, first, fx->bob, "FREQ=WEEKLY;INTERVAL=2;COUNT=4");
  const char *id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (counted), "clinician_id", fx->daniel);
  save_series (fx, series, horizon);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 10);
  g_assert_cmpint (store_test_query_int (&fx->f, "SELECT count(*) FROM series"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT until_s FROM series_horizon WHERE series_id = '%s'", id);

    g_assert_cmpint (store_test_query_int (&fx->f, sql), ==, g_date_time_to_unix (horizon));
  }
  /* Each row has the id every computer derives for it. */
  {
    g_autoptr(GPtrArray) all = series_list (fx, id);

    g_assert_cmpuint (all->len, ==, 10);
    for (guint i = 0; i < all->len; i++)
      {
        TendAppointment *a = g_ptr_array_index (all, i);
        g_autoptr(GDateTime) a_start = tend_appointment_dup_start (a);
        g_autoptr(GDateTime) local = g_date_time_to_timezone (a_start, fx->zone);
        g_autofree char *expected = tend_appointment_occurrence_id (id, a_start);

        g_assert_cmpint (g_date_time_get_hour (local), ==, 9);
        g_assert_cmpint (g_date_time_get_day_of_week (local), ==, 1);
        g_assert_cmpstr (tend_record_get_id (TEND_RECORD (a)), ==, expected);
        g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "occurrence_start"), ==,
                         tend_record_get_string (TEND_RECORD (a), "start"));
        g_assert_cmpstr (tend_appointment_get_client_id (a), ==, fx->ann);
        g_assert_cmpstr (tend_appointment_get_room_id (a), ==, fx->birch);
      }
  }

  /* Saving again and extending twice make no duplicates. */
  save_series (fx, series, horizon);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 10);
  g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
  g_assert_no_error (error);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 20);
  g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
  g_assert_true (tend_schedule_extend_horizon (fx->store, usec (horizon), &error));
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 20);
  save_series (fx, series, horizon);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 20);

  /* COUNT ends it, however far the horizon; an ended series is marked so
   * (9999-12-31) and extending passes it by. */
  save_series (fx, counted, further);
  g_assert_cmpint (series_rows (fx, tend_record_get_id (TEND_RECORD (counted)), NULL), ==, 4);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT until_s FROM series_horizon WHERE series_id = '%s'",
                                            tend_record_get_id (TEND_RECORD (counted)));

    g_assert_cmpint (store_test_query_int (&fx->f, sql), ==, G_GINT64_CONSTANT (253402300799));
  }
  {
    g_autoptr(GDateTime) much_further = weeks_after (first, 60);

    g_assert_true (tend_schedule_extend_horizon (fx->store, usec (much_further), &error));
    g_assert_cmpint (series_rows (fx, tend_record_get_id (TEND_RECORD (counted)), NULL), ==, 4);
    g_assert_cmpint (series_rows (fx, id, NULL), ==, 60);
  }
  /* A deleted series is not extended. */
  {
    g_autoptr(GDateTime) later = weeks_after (first, 70);

    g_assert_true (tend_store_delete (fx->store, TEND_RECORD (series), &error));
    g_assert_true (tend_schedule_extend_horizon (fx->store, usec (later), &error));
    g_assert_cmpint (series_rows (fx, id, NULL), ==, 60);
  }

  /* An invalid series writes nothing. */
  {
    g_autoptr(TendSeries) bad = weekly (fx, first, fx->ann, "FREQ=SECONDLY");
    gint64 before = rows (fx, "1");

    g_assert_false (tend_schedule_save_series (fx->store, bad, usec (horizon), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_cmpint (rows (fx, "1"), ==, before);
    g_assert_cmpint (store_test_query_int (&fx->f, "SELECT count(*) FROM series"), ==, 2);
  }
}

static void
test_series_exception_kept (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, 1, 9, 0);
  g_autoptr(GDateTime) horizon = weeks_after (first, 6);
  g_autoptr(GDateTime) further = weeks_after (first, 12);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->ann, "FREQ=WEEKLY");
  g_autoptr(GDateTime) third = nth (series, 2);
  g_autoptr(GDateTime) fourth = nth (series, 3);
  const char *id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TendAppointment) moved = NULL;
  g_autoptr(TendAppointment) cancelled = NULL;
  g_autofree char *moved_body = NULL;

  save_series (fx, series, horizon);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 6);

  /* THIS: the third moves to Tuesday 11:00 with a note; the fourth is cancelled. */
  moved = occurrence (fx, series, third);
  {
    g_autoptr(GDateTime) tue = g_date_time_add_days (third, 1);
    g_autoptr(GDateTime) start = g_date_time_add_hours (tue, 2);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);

    tend_appointment_set_times (moved, start, end);
  }
  tend_record_set_string (TEND_RECORD (moved), "note", "Moved for a school event");
  tend_record_set_string (TEND_RECORD (moved), "series_id", NULL);   /* the edit keeps it in the series */
  tend_record_set_string (TEND_RECORD (moved), "occurrence_start", NULL);
  g_assert_true (tend_schedule_edit_occurrence (fx->store, moved, TEND_SERIES_EDIT_THIS, usec (horizon), &error));
  g_assert_no_error (error);
  cancelled = occurrence (fx, series, fourth);
  g_assert_true (tend_appointment_set_status (cancelled, TEND_APPOINTMENT_CANCELLED, "Vacation", now, NULL));
  g_assert_true (tend_schedule_edit_occurrence (fx->store, cancelled, TEND_SERIES_EDIT_THIS, usec (horizon), &error));
  g_assert_no_error (error);
  moved_body = tend_record_to_body_string (TEND_RECORD (moved));

  /* Extending and saving again keep both exceptions as they are. */
  g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
  g_assert_no_error (error);
  save_series (fx, series, further);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 12);
  g_assert_cmpint (series_rows (fx, id, "AND deleted = 0"), ==, 12);
  {
    g_autoptr(TendAppointment) m = occurrence (fx, series, third);
    g_autoptr(TendAppointment) c = occurrence (fx, series, fourth);
    g_autofree char *body = tend_record_to_body_string (TEND_RECORD (m));

    g_assert_cmpstr (body, ==, moved_body);
    g_assert_cmpstr (tend_appointment_get_series_id (m), ==, id);
    g_assert_cmpint (tend_appointment_get_status (c), ==, TEND_APPOINTMENT_CANCELLED);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (c), "cancel_reason"), ==, "Vacation");
  }
  assert_no_overlap (fx, fx->ann);

  /* A THIS edit into a conflict is refused like any booking. */
  {
    g_autoptr(GDateTime) eleven = g_date_time_add_hours (first, 2);
    g_autoptr(TendAppointment) other = appointment (fx->maya, fx->bob, NULL, eleven, 50);
    g_autoptr(TendAppointment) again = occurrence (fx, series, third);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (eleven, 50);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    g_free (book (fx, other));
    before = snapshot (fx);
    tend_appointment_set_times (again, eleven, end);
    g_assert_false (tend_schedule_edit_occurrence (fx->store, again, TEND_SERIES_EDIT_THIS, usec (horizon), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
    after = snapshot (fx);
    g_assert_cmpstr (before, ==, after);
  }
}

static void
test_series_following (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, 1, 9, 0);
  g_autoptr(GDateTime) horizon = weeks_after (first, 26);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->ann, "FREQ=WEEKLY;COUNT=10");
  g_autoptr(GDateTime) fifth = nth (series, 4);
  g_autoptr(GDateTime) eighth = nth (series, 7);
  g_autofree char *id = g_strdup (tend_record_get_id (TEND_RECORD (series)));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TendAppointment) changed = NULL;
  g_autoptr(GDateTime) new_start = g_date_time_add_hours (fifth, 2);
  g_autoptr(GDateTime) new_end = g_date_time_add_minutes (new_start, 60);
  g_autofree char *new_id = NULL;

  save_series (fx, series, horizon);
  g_assert_cmpint (series_rows (fx, id, NULL), ==, 10);

  /* The eighth is cancelled beforehand. */
  {
    g_autoptr(TendAppointment) c = occurrence (fx, series, eighth);

    g_assert_true (tend_appointment_set_status (c, TEND_APPOINTMENT_CANCELLED, "Vacation", now, NULL));
    g_assert_true (tend_schedule_edit_occurrence (fx->store, c, TEND_SERIES_EDIT_THIS, usec (horizon), &error));
    g_assert_no_error (error);
  }

  /* From the fifth on: 11:00, an hour, in Cedar. */
  changed = occurrence (fx, series, fifth);
  tend_appointment_set_times (changed, new_start, new_end);
  tend_record_set_string (TEND_RECORD (changed), "room_id", fx->cedar);
  tend_record_set_string (TEND_RECORD (changed), "service_code", "90837");
  g_assert_true (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
  g_assert_no_error (error);

  /* The old series ends before the fifth: UNTIL (UTC), no COUNT. */
  {
    g_autoptr(TendRecord) old = tend_store_load (fx->store, TEND_TYPE_SERIES, id, &error);
    g_autoptr(GDateTime) just_before = g_date_time_add_seconds (fifth, -1);
    g_autofree char *stamp = g_date_time_format (just_before, "UNTIL=%Y%m%dT%H%M%SZ");
    const char *rule = tend_series_get_rrule (TEND_SERIES (old));

    g_assert_no_error (error);
    g_assert_null (strstr (rule, "COUNT"));
    g_assert_nonnull (strstr (rule, stamp));
    g_assert_true (g_str_has_prefix (rule, "FREQ=WEEKLY"));
  }
  g_assert_cmpint (series_rows (fx, id, "AND deleted = 0"), ==, 4);
  /* (a tombstone keeps its id, not its body) */
  g_assert_cmpint (rows (fx, "deleted = 1"), ==, 6);

  /* The new one starts at the changed start, with the rest of the COUNT. */
  new_id = store_test_query_text (&fx->f, "SELECT id FROM series WHERE id != (SELECT series_id FROM appointment"
                                          " WHERE deleted = 0 ORDER BY start_s LIMIT 1)");
  g_assert_nonnull (new_id);
  {
    g_autoptr(TendRecord) next = tend_store_load (fx->store, TEND_TYPE_SERIES, new_id, &error);
    g_autoptr(GDateTime) next_first = tend_series_dup_first_start (TEND_SERIES (next));
    g_autoptr(GPtrArray) next_rows = series_list (fx, new_id);

    g_assert_no_error (error);
    g_assert_true (g_date_time_equal (next_first, new_start));
    g_assert_cmpstr (tend_series_get_rrule (TEND_SERIES (next)), ==, "FREQ=WEEKLY;COUNT=6");
    g_assert_cmpuint (tend_series_get_duration (TEND_SERIES (next)), ==, 60);
    g_assert_cmpstr (tend_series_get_room_id (TEND_SERIES (next)), ==, fx->cedar);
    g_assert_cmpstr (tend_series_get_client_id (TEND_SERIES (next)), ==, fx->ann);
    g_assert_cmpuint (next_rows->len, ==, 6);
    for (guint i = 0; i < next_rows->len; i++)
      {
        TendAppointment *a = g_ptr_array_index (next_rows, i);
        g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
        g_autoptr(GDateTime) local = g_date_time_to_timezone (start, fx->zone);

        g_assert_cmpint (g_date_time_get_hour (local), ==, 11);
        g_assert_cmpstr (tend_appointment_get_room_id (a), ==, fx->cedar);
        g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "service_code"), ==, "90837");
        g_assert_cmpint (tend_appointment_get_end_usec (a) - tend_appointment_get_start_usec (a), ==,
                         60 * G_TIME_SPAN_MINUTE);
        /* The cancellation of the eighth carried to the new series' fourth. */
        g_assert_cmpint (tend_appointment_get_status (a), ==,
                         i == 3 ? TEND_APPOINTMENT_CANCELLED : TEND_APPOINTMENT_SCHEDULED);
        if (i == 3)
          g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "cancel_reason"), ==, "Vacation");
      }
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (next_rows, 0)), !=,
                     tend_record_get_id (TEND_RECORD (changed)));
  }

  /* Ten live occurrences in all, one a week, none twice. */
  g_assert_cmpint (rows (fx, "deleted = 0"), ==, 10);
  assert_no_overlap (fx, fx->ann);
  g_assert_cmpint (store_test_query_int (&fx->f, "SELECT count(DISTINCT strftime('%Y%W', start_s, 'unixepoch'))"
                                                 " FROM appointment WHERE deleted = 0"), ==, 10);

  /* Extending adds nothing to either. */
  {
    g_autoptr(GDateTime) further = weeks_after (first, 52);

    g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
    g_assert_no_error (error);
    g_assert_cmpint (rows (fx, "deleted = 0"), ==, 10);
  }

  /* The first occurrence: nothing is left of the old series. */
  {
    g_autoptr(TendAppointment) head = NULL;
    g_autoptr(GDateTime) noon = g_date_time_add_hours (new_start, 1);
    g_autoptr(GDateTime) noon_end = g_date_time_add_minutes (noon, 60);
    g_autoptr(TendRecord) next = tend_store_load (fx->store, TEND_TYPE_SERIES, new_id, &error);

    head = occurrence (fx, TEND_SERIES (next), new_start);
    tend_appointment_set_times (head, noon, noon_end);
    g_assert_true (tend_schedule_edit_occurrence (fx->store, head, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
    g_assert_no_error (error);
    g_clear_object (&next);
    next = tend_store_load (fx->store, TEND_TYPE_SERIES, new_id, &error);
    g_assert_true (tend_record_get_deleted (next));
    g_assert_cmpint (rows (fx, "deleted = 0"), ==, 10);
    assert_no_overlap (fx, fx->ann);
  }
}

static void
test_series_all_shift (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, -3, 9, 0);
  g_autoptr(GDateTime) horizon = monday (fx, 6, 0, 0);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->ann, "FREQ=WEEKLY");
  const char *id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(TendAppointment) changed = NULL;
  gint64 now = g_get_real_time ();
  guint n_past = 0, n_future = 0;

  save_series (fx, series, horizon);
  before = series_list (fx, id);
  g_assert_cmpuint (before->len, ==, 9);

  /* Move one future occurrence to 10:30 for all. */
  for (guint i = 0; i < before->len && changed == NULL; i++)
    if (tend_appointment_get_start_usec (g_ptr_array_index (before, i)) > now + G_TIME_SPAN_DAY)
      changed = TEND_APPOINTMENT (tend_record_copy (g_ptr_array_index (before, i)));
  g_assert_nonnull (changed);
  {
    g_autoptr(GDateTime) start = tend_appointment_dup_start (changed);
    g_autoptr(GDateTime) moved = g_date_time_add_minutes (start, 90);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (moved, 50);

    tend_appointment_set_times (changed, moved, end);
  }
  g_assert_true (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_ALL, usec (horizon), &error));
  g_assert_no_error (error);

  /* What has started keeps its time; everything later moved, one a week. */
  {
    g_autoptr(GDateTime) from = g_date_time_new_utc (2000, 1, 1, 0, 0, 0);
    g_autoptr(GDateTime) to = g_date_time_new_utc (2100, 1, 1, 0, 0, 0);

    after = list (fx, from, to, fx->maya);
  }
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (after, i);
      TendAppointment *b = g_ptr_array_index (before, i);
      g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (start, fx->zone);

      if (tend_appointment_get_start_usec (b) <= now)
        {
          g_assert_cmpstr (tend_record_get_id (TEND_RECORD (a)), ==, tend_record_get_id (TEND_RECORD (b)));
          g_assert_cmpint (g_date_time_get_hour (local), ==, 9);
          g_assert_cmpint (g_date_time_get_minute (local), ==, 0);
          n_past++;
        }
      else
        {
          g_assert_cmpint (g_date_time_get_hour (local), ==, 10);
          g_assert_cmpint (g_date_time_get_minute (local), ==, 30);
          g_assert_cmpint (tend_appointment_get_start_usec (a) - tend_appointment_get_start_usec (b), ==,
                           90 * G_TIME_SPAN_MINUTE);
          n_future++;
        }
    }
  g_assert_cmpuint (n_past, >=, 3);
  g_assert_cmpuint (n_future, >=, 5);
  assert_no_overlap (fx, fx->ann);

  /* The old series ends; its past rows are still its own. */
  g_assert_cmpint (series_rows (fx, id, "AND deleted = 0"), ==, n_past);
  {
    g_autoptr(TendRecord) old = tend_store_load (fx->store, TEND_TYPE_SERIES, id, &error);

    g_assert_nonnull (strstr (tend_series_get_rrule (TEND_SERIES (old)), "UNTIL="));
  }
  /* Extending carries on at 10:30 only. */
  {
    g_autoptr(GDateTime) further = monday (fx, 10, 0, 0);

    g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
    g_assert_no_error (error);
    g_assert_cmpint (rows (fx, "deleted = 0"), ==, (gint64) before->len + 4);
    assert_no_overlap (fx, fx->ann);
  }
}

static void
test_series_all_in_place (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, -2, 14, 0);
  g_autoptr(GDateTime) horizon = monday (fx, 4, 0, 0);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->bob, "FREQ=WEEKLY");
  const char *id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows_before = NULL;
  g_autoptr(TendAppointment) changed = NULL;
  g_autoptr(TendAppointment) cancelled = NULL;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
  gint64 now = g_get_real_time ();

  save_series (fx, series, horizon);
  rows_before = series_list (fx, id);
  g_assert_cmpuint (rows_before->len, ==, 6);

  /* The last one is cancelled (an exception of another status). */
  cancelled = TEND_APPOINTMENT (tend_record_copy (g_ptr_array_index (rows_before, 5)));
  g_assert_true (tend_appointment_set_status (cancelled, TEND_APPOINTMENT_CANCELLED, "Travel", now_dt, NULL));
  g_assert_true (tend_schedule_edit_occurrence (fx->store, cancelled, TEND_SERIES_EDIT_THIS, usec (horizon), &error));

  /* Telehealth from now on, for all. */
  changed = TEND_APPOINTMENT (tend_record_copy (g_ptr_array_index (rows_before, 4)));
  tend_record_set_string (TEND_RECORD (changed), "room_id", fx->tele);
  tend_record_set_string (TEND_RECORD (changed), "modality", "telehealth");
  g_assert_true (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_ALL, usec (horizon), &error));
  g_assert_no_error (error);

  {
    g_autoptr(GPtrArray) after = series_list (fx, id);
    g_autoptr(TendRecord) s = tend_store_load (fx->store, TEND_TYPE_SERIES, id, &error);

    /* Same series, same rows, same times. */
    g_assert_cmpstr (tend_series_get_room_id (TEND_SERIES (s)), ==, fx->tele);
    g_assert_cmpint (tend_record_get_int (s, "modality"), ==, TEND_MODALITY_TELEHEALTH);
    g_assert_cmpuint (after->len, ==, 6);
    for (guint i = 0; i < after->len; i++)
      {
        TendAppointment *a = g_ptr_array_index (after, i);
        TendAppointment *b = g_ptr_array_index (rows_before, i);
        gboolean future = tend_appointment_get_start_usec (a) > now;

        g_assert_cmpstr (tend_record_get_id (TEND_RECORD (a)), ==, tend_record_get_id (TEND_RECORD (b)));
        g_assert_cmpint (tend_appointment_get_start_usec (a), ==, tend_appointment_get_start_usec (b));
        if (i == 5)
          {
            g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_CANCELLED);
            g_assert_cmpstr (tend_appointment_get_room_id (a), ==, fx->birch);
          }
        else
          g_assert_cmpstr (tend_appointment_get_room_id (a), ==, future ? fx->tele : fx->birch);
      }
  }
  /* New occurrences come from the changed series. */
  {
    g_autoptr(GDateTime) further = monday (fx, 6, 0, 0);
    g_autoptr(GPtrArray) after = NULL;

    g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
    after = series_list (fx, id);
    g_assert_cmpuint (after->len, ==, 8);
    g_assert_cmpstr (tend_appointment_get_room_id (g_ptr_array_index (after, 7)), ==, fx->tele);
  }
}

static void
test_series_all_cancel (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, -2, 15, 0);
  g_autoptr(GDateTime) horizon = monday (fx, 4, 0, 0);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->cara, "FREQ=WEEKLY");
  const char *id = tend_record_get_id (TEND_RECORD (series));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows_before = NULL;
  g_autoptr(TendAppointment) changed = NULL;
  g_autoptr(GDateTime) now_dt = g_date_time_new_now_utc ();
  gint64 now = g_get_real_time ();
  guint n_cancelled = 0;

  save_series (fx, series, horizon);
  rows_before = series_list (fx, id);
  changed = TEND_APPOINTMENT (tend_record_copy (g_ptr_array_index (rows_before, rows_before->len - 2)));
  g_assert_true (tend_appointment_set_status (changed, TEND_APPOINTMENT_CANCELLED, "Moving away", now_dt, NULL));
  g_assert_true (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_ALL, usec (horizon), &error));
  g_assert_no_error (error);

  {
    g_autoptr(GPtrArray) after = series_list (fx, id);

    g_assert_cmpuint (after->len, ==, rows_before->len);
    for (guint i = 0; i < after->len; i++)
      {
        TendAppointment *a = g_ptr_array_index (after, i);

        if (tend_appointment_get_start_usec (a) > now)
          {
            g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_CANCELLED);
            g_assert_cmpstr (tend_record_get_string (TEND_RECORD (a), "cancel_reason"), ==, "Moving away");
            n_cancelled++;
          }
        else
          g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_SCHEDULED);
      }
  }
  g_assert_cmpuint (n_cancelled, >=, 3);
  /* The series stops: extending adds nothing. */
  {
    g_autoptr(GDateTime) further = monday (fx, 12, 0, 0);

    g_assert_true (tend_schedule_extend_horizon (fx->store, usec (further), &error));
    g_assert_cmpint (series_rows (fx, id, NULL), ==, rows_before->len);
  }
}

static void
test_series_failed_edit (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) first = monday (fx, 1, 9, 0);
  g_autoptr(GDateTime) horizon = weeks_after (first, 10);
  g_autoptr(TendSeries) series = weekly (fx, first, fx->ann, "FREQ=WEEKLY");
  g_autoptr(GDateTime) sixth = nth (series, 5);
  g_autoptr(GDateTime) sixth_eleven = g_date_time_add_hours (sixth, 2);
  g_autoptr(TendAppointment) busy = appointment (fx->maya, fx->dev, NULL, sixth_eleven, 50);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *busy_id = NULL;

  save_series (fx, series, horizon);
  busy_id = book (fx, busy);
  before = snapshot (fx);

  /* Moving the third and following to 11:00 hits Dev's session on the sixth. */
  {
    g_autoptr(GDateTime) third = nth (series, 2);
    g_autoptr(TendAppointment) changed = occurrence (fx, series, third);
    g_autoptr(GDateTime) start = g_date_time_add_hours (third, 2);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);

    tend_appointment_set_times (changed, start, end);
    g_assert_false (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "Maya Okafor already has an appointment from 11:00 to 11:50"));
    g_clear_error (&error);
    after = snapshot (fx);
    g_assert_cmpstr (before, ==, after);
    g_free (after);

    g_assert_false (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_ALL, usec (horizon), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
    g_clear_error (&error);
    after = snapshot (fx);
    g_assert_cmpstr (before, ==, after);
    g_free (after);

    /* An override by a clinician is refused, and changes nothing either. */
    tend_record_set_int (TEND_RECORD (changed), "override.conflict", TRUE);
    tend_record_set_string (TEND_RECORD (changed), "override.by", fx->maya);
    tend_record_set_string (TEND_RECORD (changed), "override.reason", "Dev agreed to share");
    tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
    g_assert_false (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    after = snapshot (fx);
    g_assert_cmpstr (before, ==, after);
    g_free (after);

    /* Inside the caller's transaction, only the edit is undone. */
    g_assert_true (tend_store_begin (fx->store, &error));
    tend_record_set_int (TEND_RECORD (changed), "override.conflict", FALSE);
    g_assert_false (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
    g_clear_error (&error);
    {
      g_autoptr(GDateTime) tue = g_date_time_add_days (first, 1);
      g_autoptr(TendAppointment) other = appointment (fx->daniel, fx->bob, NULL, tue, 50);

      g_assert_true (tend_schedule_save_appointment (fx->store, other, fx->zone, &error));
    }
    g_assert_true (tend_store_commit (fx->store, &error));
    g_assert_cmpint (rows (fx, "deleted = 0"), ==, 12);

    /* With the front desk's override, it goes through, recorded on the sixth. */
    tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_FRONT_DESK);
    tend_record_set_int (TEND_RECORD (changed), "override.conflict", TRUE);
    g_assert_true (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
    g_assert_no_error (error);
    g_assert_cmpint (rows (fx, "deleted = 0 AND json_extract(body, '$.override.conflict') = 1"), ==, 1);
  }

  /* Occurrences that have taken place cannot move with the following ones. */
  {
    g_autoptr(GDateTime) past_first = monday (fx, -4, 16, 0);
    g_autoptr(TendSeries) past = weekly (fx, past_first, fx->cara, "FREQ=WEEKLY");
    g_autoptr(TendAppointment) changed = NULL;

    tend_record_set_string (TEND_RECORD (past), "clinician_id", fx->daniel);
    save_series (fx, past, horizon);
    changed = occurrence (fx, past, past_first);
    tend_record_set_string (TEND_RECORD (changed), "room_id", fx->cedar);
    g_free (before);
    before = snapshot (fx);
    g_assert_false (tend_schedule_edit_occurrence (fx->store, changed, TEND_SERIES_EDIT_FOLLOWING, usec (horizon), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_clear_error (&error);
    after = snapshot (fx);
    g_assert_cmpstr (before, ==, after);
  }
}

/* The waitlist */

static char *
wait (Fixture    *fx,
      const char *client,
      gint64      weekdays,
      const char *earliest,
      const char *latest,
      const char *modality,
      const char *clinician,
      gboolean    active)
{
  g_autoptr(TendWaitlistEntry) e = tend_waitlist_entry_new (client);
  const char * const ids[] = { clinician, NULL };

  tend_record_set_int (TEND_RECORD (e), "weekdays", weekdays);
  tend_record_set_string (TEND_RECORD (e), "earliest", earliest);
  tend_record_set_string (TEND_RECORD (e), "latest", latest);
  tend_record_set_string (TEND_RECORD (e), "modality", modality);
  if (clinician != NULL)
    tend_record_set_strv (TEND_RECORD (e), "clinician_ids", ids);
  tend_record_set_int (TEND_RECORD (e), "active", active);
  return save_new (fx->store, TEND_RECORD (e));
}

static void
test_waitlist (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GDateTime) nine = at (fx, 2030, 3, 4, 9, 0);   /* a Monday */
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, fx->birch, nine, 50);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *monday_mornings = NULL, *telehealth = NULL, *inactive = NULL, *own = NULL;
  g_autofree char *daniel_only = NULL, *maya_any = NULL, *afternoons = NULL;
  g_autofree char *a_id = book (fx, a);

  monday_mornings = wait (fx, fx->bob, 1, "08:00", "12:00", "any", NULL, TRUE);
  telehealth = wait (fx, fx->cara, 127, NULL, NULL, "telehealth", NULL, TRUE);
  inactive = wait (fx, fx->dev, 127, NULL, NULL, "any", NULL, FALSE);
  own = wait (fx, fx->ann, 127, NULL, NULL, "any", NULL, TRUE);
  daniel_only = wait (fx, fx->dev, 127, NULL, NULL, "any", fx->daniel, TRUE);
  afternoons = wait (fx, fx->cara, 127, "13:00", NULL, "in_person", NULL, TRUE);
  maya_any = wait (fx, fx->dev, 1 | 2, NULL, "10:00", "in_person", fx->maya, TRUE);

  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, "Sick", now, NULL));
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  found = tend_schedule_match_waitlist (fx->store, a, fx->zone, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (found, 0)), ==, monday_mornings);
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (found, 1)), ==, maya_any);

  /* Telehealth slots match the telehealth entry too. */
  {
    g_autoptr(GPtrArray) tele = NULL;

    tend_record_set_string (TEND_RECORD (a), "modality", "telehealth");
    tele = tend_schedule_match_waitlist (fx->store, a, NULL, &error);
    g_assert_cmpuint (tele->len, ==, 2);
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (tele, 0)), ==, monday_mornings);
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (tele, 1)), ==, telehealth);
  }
}

static void
test_permission (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) nine = at (fx, 2030, 3, 4, 9, 0);
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, NULL, nine, 50);
  g_autoptr(GDateTime) horizon = g_date_time_add_days (nine, 26);
  g_autoptr(TendSeries) series = weekly (fx, nine, fx->bob, "FREQ=WEEKLY");
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (series), "clinician_id", fx->daniel);
  tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_BILLER);
  g_assert_false (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (tend_schedule_save_series (fx->store, series, usec (horizon), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (rows (fx, "1"), ==, 0);

  /* The front desk runs the schedule. */
  tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_FRONT_DESK);
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_no_error (error);
  g_assert_true (tend_schedule_save_series (fx->store, series, usec (horizon), &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows (fx, "deleted = 0"), ==, 5);
}

/* A booked session gets a reminder by text (mobile) or e-mail; none when
 * the client has neither or it would be due already; cancelling the
 * appointment cancels what is pending. */
static void
test_reminders (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) ann = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->ann, &error);
  g_autoptr(TendRecord) bob = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->bob, &error);
  g_autoptr(GDateTime) start = g_date_time_new (fx->zone, 2031, 6, 3, 10, 0, 0);
  g_autoptr(TendAppointment) a = appointment (fx->maya, fx->ann, NULL, start, 50);
  g_autoptr(TendAppointment) b = appointment (fx->maya, fx->bob, NULL, start, 50);
  g_autoptr(TendReminder) r = NULL;
  g_autoptr(TendRecord) after = NULL;
  gint64 now = g_get_real_time ();

  tend_record_set_string (ann, "phone_mobile", "(608) 555-0101");
  tend_record_set_string (ann, "email", "ann@example.org");
  store_test_save (fx->store, ann);
  store_test_save (fx->store, TEND_RECORD (a));
  store_test_save (fx->store, TEND_RECORD (b));

  r = tend_schedule_add_reminder (fx->store, a, 24, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (r), "channel"), ==, "sms");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (r), "status"), ==, "pending");
  {
    g_autoptr(GDateTime) due = tend_time_parse_iso8601 (tend_record_get_string (TEND_RECORD (r), "send_at"), NULL);
    g_assert_cmpint (g_date_time_difference (start, due), ==, 24 * G_TIME_SPAN_HOUR);
  }

  /* Bob has no phone or e-mail; and nothing is made when it would be due already. */
  g_assert_null (tend_schedule_add_reminder (fx->store, b, 24, now, &error));
  g_assert_no_error (error);
  g_assert_null (tend_schedule_add_reminder (fx->store, a, 24, tend_appointment_get_start_usec (a), &error));
  g_assert_no_error (error);

  g_assert_cmpint (tend_schedule_cancel_reminders (fx->store, tend_record_get_id (TEND_RECORD (a)), &error), ==, 1);
  g_assert_no_error (error);
  after = tend_store_load (fx->store, TEND_TYPE_REMINDER, tend_record_get_id (TEND_RECORD (r)), &error);
  g_assert_cmpstr (tend_record_get_string (after, "status"), ==, "cancelled");
  /* Nothing left pending: a second call changes nothing. */
  g_assert_cmpint (tend_schedule_cancel_reminders (fx->store, tend_record_get_id (TEND_RECORD (a)), &error), ==, 0);

  /* The client's choice: e-mail although there is a mobile number; none
   * at all; and after a STOP reply (recorded by tend-server), e-mail. */
  {
    g_autoptr(TendReminder) by_email = NULL;
    g_autoptr(TendReminder) none = NULL;
    g_autoptr(TendReminder) after_stop = NULL;
    g_autoptr(TendRecord) ann2 = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->ann, &error);

    tend_record_set_string (ann2, "reminders.channel", "email");
    store_test_save (fx->store, ann2);
    by_email = tend_schedule_add_reminder (fx->store, a, 25, now, &error);
    g_assert_nonnull (by_email);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (by_email), "channel"), ==, "email");

    tend_record_set_string (ann2, "reminders.channel", "none");
    store_test_save (fx->store, ann2);
    none = tend_schedule_add_reminder (fx->store, a, 26, now, &error);
    g_assert_no_error (error);
    g_assert_null (none);

    tend_record_set_string (ann2, "reminders.channel", "auto");
    tend_record_set_int (ann2, "reminders.sms_opt_out", 1);
    store_test_save (fx->store, ann2);
    after_stop = tend_schedule_add_reminder (fx->store, a, 27, now, &error);
    g_assert_nonnull (after_stop);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (after_stop), "channel"), ==, "email");

    /* The one to show on the appointment: the latest not cancelled. */
    {
      g_autoptr(TendReminder) shown = tend_schedule_get_reminder (fx->store, tend_record_get_id (TEND_RECORD (a)), &error);

      g_assert_cmpstr (tend_record_get_id (TEND_RECORD (shown)), ==, tend_record_get_id (TEND_RECORD (by_email)));
    }
  }
}

static gint64
pending_reminders (Fixture    *fx,
                   const char *appointment_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM reminder WHERE deleted = 0"
                                          " AND json_extract(body, '$.status') = 'pending'"
                                          " AND appointment_id = '%s'", appointment_id);

  return store_test_query_int (&fx->f, sql);
}

/* A whole hour @days from now, in Chicago (Daniel keeps no hours: any
 * time is bookable). */
static GDateTime *
days_from_now (Fixture *fx,
               int      days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (fx->zone);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, days);

  return g_date_time_new (fx->zone, g_date_time_get_year (later), g_date_time_get_month (later),
                          g_date_time_get_day_of_month (later), 10, 0, 0);
}

/* The client's reminder follows the appointment through the store:
 * made when it is booked, moved with it, left alone when nothing changed,
 * cancelled with it; sessions beyond the window get theirs from the
 * upkeep as they come near; the upkeep extends series to the horizon. */
static void
test_reminders_follow (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) ann = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->ann, &error);
  g_autoptr(GDateTime) start = days_from_now (fx, 4);
  g_autoptr(GDateTime) later = g_date_time_add_hours (start, 2);
  g_autoptr(GDateTime) far = days_from_now (fx, 30);
  g_autoptr(TendAppointment) a = appointment (fx->daniel, fx->ann, NULL, start, 50);
  g_autoptr(TendAppointment) f = appointment (fx->daniel, fx->ann, NULL, far, 50);
  g_autoptr(GPtrArray) all = NULL;
  const char *id = tend_record_get_id (TEND_RECORD (a));
  gint64 outbox;
  guint n = 99;

  tend_record_set_string (ann, "email", "ann@example.org");
  store_test_save (fx->store, ann);

  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_reminders (fx, id), ==, 1);

  /* Saved again unchanged: nothing more is written. */
  outbox = tend_store_count_outbox (fx->store);
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_store_count_outbox (fx->store), ==, outbox + 1);   /* the appointment only */
  g_assert_cmpint (pending_reminders (fx, id), ==, 1);

  /* Moved two hours: one pending reminder, at the new time. */
  {
    g_autoptr(GDateTime) later_end = g_date_time_add_minutes (later, 50);

    tend_appointment_set_times (a, later, later_end);
  }
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_reminders (fx, id), ==, 1);
  all = tend_store_list (fx->store, TEND_TYPE_REMINDER, &error);
  g_assert_cmpuint (all->len, ==, 2);
  for (guint i = 0; i < all->len; i++)
    {
      TendRecord *r = g_ptr_array_index (all, i);
      g_autoptr(GDateTime) due = tend_time_parse_iso8601 (tend_record_get_string (r, "send_at"), NULL);

      if (g_strcmp0 (tend_record_get_string (r, "status"), "pending") == 0)
        g_assert_cmpint (g_date_time_difference (later, due), ==, 24 * G_TIME_SPAN_HOUR);
      else
        g_assert_cmpstr (tend_record_get_string (r, "status"), ==, "cancelled");
    }

  /* Cancelled: nothing pending. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, "Client is unwell", now, &error));
    g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pending_reminders (fx, id), ==, 0);
  }

  /* A month ahead: too early for a reminder. */
  g_assert_true (tend_schedule_save_appointment (fx->store, f, fx->zone, &error));
  g_assert_cmpint (pending_reminders (fx, tend_record_get_id (TEND_RECORD (f))), ==, 0);
  /* Twenty days later the upkeep makes it, once. */
  g_assert_true (tend_schedule_maintain (fx->store, g_get_real_time () + 20 * G_TIME_SPAN_DAY, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (pending_reminders (fx, tend_record_get_id (TEND_RECORD (f))), ==, 1);
  g_assert_true (tend_schedule_maintain (fx->store, g_get_real_time () + 20 * G_TIME_SPAN_DAY, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* A series saved for three weeks is extended by the upkeep to the
   * horizon, and its sessions in the window get reminders. */
  {
    g_autoptr(GDateTime) first = days_from_now (fx, 2);
    g_autoptr(GDateTime) horizon = g_date_time_add_weeks (first, 3);
    g_autoptr(TendSeries) series = tend_series_new (fx->daniel, first, 50, "America/Chicago", "FREQ=WEEKLY");
    const char *sid = tend_record_get_id (TEND_RECORD (series));
    g_autofree char *where = g_strdup_printf ("series_id = '%s'", sid);
    g_autofree char *with_reminder = g_strdup_printf (
      "SELECT count(*) FROM appointment a WHERE series_id = '%s' AND EXISTS (SELECT 1 FROM reminder r"
      " WHERE r.appointment_id = a.id AND json_extract(r.body, '$.status') = 'pending')", sid);

    tend_record_set_string (TEND_RECORD (series), "client_id", fx->ann);
    save_series (fx, series, horizon);
    g_assert_cmpint (rows (fx, where), ==, 3);
    g_assert_true (tend_schedule_maintain (fx->store, g_get_real_time (), &n, &error));
    g_assert_no_error (error);
    /* 400 days of weekly sessions: 57 or 58. */
    g_assert_cmpint (rows (fx, where), >=, 57);
    g_assert_cmpint (rows (fx, where), <=, 58);
    /* Within 14 days and more than a day away: 2. */
    g_assert_cmpint (store_test_query_int (&fx->f, with_reminder), ==, 2);
  }
}

/* The pending reminder of @client_id for @appointment_id, or NULL. */
static TendRecord *
member_reminder (Fixture    *fx,
                 const char *appointment_id,
                 const char *client_id)
{
  g_autoptr(GPtrArray) all = tend_store_list (fx->store, TEND_TYPE_REMINDER, NULL);

  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      TendRecord *r = g_ptr_array_index (all, i);

      if (g_strcmp0 (tend_record_get_string (r, "appointment_id"), appointment_id) == 0 &&
          g_strcmp0 (tend_record_get_string (r, "client_id"), client_id) == 0 &&
          g_strcmp0 (tend_record_get_string (r, "status"), "pending") == 0)
        return g_object_ref (r);
    }
  return NULL;
}

/* Every member of a group session with contact details and reminders on
 * gets their own reminder (their own channel, an id of their own, the
 * session's client keeping the id it always had); a member without
 * contact, or who asked for none, gets none; a member taken out has
 * theirs cancelled, and a member added gets one. */
static void
test_reminders_members (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = days_from_now (fx, 3);
  g_autoptr(TendAppointment) a = appointment (fx->daniel, fx->ann, NULL, start, 90);
  const char *id = tend_record_get_id (TEND_RECORD (a));
  const char *group[] = { fx->ann, fx->bob, fx->cara, fx->dev, NULL };
  const char *fewer[] = { fx->ann, fx->cara, fx->dev, NULL };
  g_autoptr(TendRecord) ann_r = NULL;
  g_autoptr(TendRecord) bob_r = NULL;
  g_autoptr(TendRecord) cara_r = NULL;
  g_autoptr(TendRecord) dev_r = NULL;
  g_autoptr(TendReminder) expected_own = NULL;
  g_autoptr(GDateTime) send_at = g_date_time_add_hours (start, -TEND_REMINDER_HOURS_BEFORE);
  struct { const char *id; const char *field; const char *value; } contacts[] = {
    { fx->ann, "email", "ann@example.org" },
    { fx->bob, "phone_mobile", "+13125550147" },
    { fx->cara, "email", "cara@example.org" },
    { fx->cara, "reminders.channel", "none" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (contacts); i++)
    {
      g_autoptr(TendRecord) c = tend_store_load (fx->store, TEND_TYPE_CLIENT, contacts[i].id, &error);

      tend_record_set_string (c, contacts[i].field, contacts[i].value);
      store_test_save (fx->store, c);
    }
  tend_appointment_set_members (a, TEND_SESSION_GROUP, group);
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_no_error (error);

  /* Ann by e-mail, Bob by text; Cara asked for none, Dev has no contact. */
  g_assert_cmpint (pending_reminders (fx, id), ==, 2);
  ann_r = member_reminder (fx, id, fx->ann);
  bob_r = member_reminder (fx, id, fx->bob);
  cara_r = member_reminder (fx, id, fx->cara);
  dev_r = member_reminder (fx, id, fx->dev);
  g_assert_nonnull (ann_r);
  g_assert_nonnull (bob_r);
  g_assert_null (cara_r);
  g_assert_null (dev_r);
  g_assert_cmpstr (tend_record_get_string (ann_r, "channel"), ==, "email");
  g_assert_cmpstr (tend_record_get_string (bob_r, "channel"), ==, "sms");
  g_assert_cmpstr (tend_record_get_string (ann_r, "send_at"), ==, tend_record_get_string (bob_r, "send_at"));
  expected_own = tend_reminder_new (id, fx->ann, "email", send_at);
  g_assert_cmpstr (tend_record_get_id (ann_r), ==, tend_record_get_id (TEND_RECORD (expected_own)));
  g_assert_cmpstr (tend_record_get_id (bob_r), !=, tend_record_get_id (ann_r));
  /* The reminder names nobody: an appointment and a client id only. */
  {
    g_autofree char *body = tend_record_to_body_string (bob_r);

    g_assert_null (strstr (body, "Ann"));
    g_assert_null (strstr (body, fx->ann));
  }

  /* Saved again unchanged: the same two, nothing more. */
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_cmpint (pending_reminders (fx, id), ==, 2);

  /* Bob leaves the group: his reminder is cancelled, Ann's stays. */
  tend_appointment_set_members (a, TEND_SESSION_GROUP, fewer);
  g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pending_reminders (fx, id), ==, 1);
  {
    g_autoptr(TendRecord) bob_now = tend_store_load (fx->store, TEND_TYPE_REMINDER, tend_record_get_id (bob_r), NULL);
    g_autoptr(TendRecord) ann_now = tend_store_load (fx->store, TEND_TYPE_REMINDER, tend_record_get_id (ann_r), NULL);

    g_assert_cmpstr (tend_record_get_string (bob_now, "status"), ==, "cancelled");
    g_assert_cmpstr (tend_record_get_string (ann_now, "status"), ==, "pending");
    g_assert_cmpint (tend_record_get_version (ann_now), ==, tend_record_get_version (ann_r));
  }
  g_assert_null (member_reminder (fx, id, fx->bob));
  g_assert_nonnull (member_reminder (fx, id, fx->ann));

  /* Dev gives an e-mail address: the upkeep makes his reminder. */
  {
    g_autoptr(TendRecord) dev = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->dev, &error);
    guint n = 0;

    tend_record_set_string (dev, "email", "dev@example.org");
    store_test_save (fx->store, dev);
    g_assert_true (tend_schedule_maintain (fx->store, g_get_real_time (), &n, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n, >=, 1);
    dev_r = member_reminder (fx, id, fx->dev);
    g_assert_nonnull (dev_r);
    g_assert_cmpstr (tend_record_get_string (dev_r, "channel"), ==, "email");
    g_assert_cmpint (pending_reminders (fx, id), ==, 2);
  }

  /* The session is cancelled: nobody is reminded. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, "Clinician unwell", now, &error));
    g_assert_true (tend_schedule_save_appointment (fx->store, a, fx->zone, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pending_reminders (fx, id), ==, 0);
  }
}

/* Names by id, whatever the kind; none for unknown or deleted records. */
static void
test_display_names (Fixture       *fx,
                    gconstpointer  data)
{
  g_autofree char *client = tend_store_dup_display_name (fx->store, G_TYPE_INVALID, fx->ann);
  g_autofree char *room = tend_store_dup_display_name (fx->store, G_TYPE_INVALID, fx->birch);
  g_autofree char *typed = tend_store_dup_display_name (fx->store, TEND_TYPE_ROOM, fx->ann);
  g_autofree char *unknown = tend_store_dup_display_name (fx->store, G_TYPE_INVALID,
                                                           "00000000-0000-4000-8000-000000000000");
  g_autoptr(TendRecord) dev = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->dev, NULL);
  g_autofree char *deleted = NULL;

  g_assert_cmpstr (client, ==, "Ann Smith");
  g_assert_cmpstr (room, ==, "Birch");
  g_assert_null (typed);
  g_assert_null (unknown);
  g_assert_true (tend_store_delete (fx->store, dev, NULL));
  deleted = tend_store_dup_display_name (fx->store, TEND_TYPE_CLIENT, fx->dev);
  g_assert_null (deleted);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/schedule/list", test_list);
  ADD ("/schedule/reminders", test_reminders);
  ADD ("/schedule/reminders-follow", test_reminders_follow);
  ADD ("/schedule/reminders-members", test_reminders_members);
  ADD ("/schedule/display-names", test_display_names);
  ADD ("/schedule/query-plans", test_query_plans);
  ADD ("/schedule/conflicts", test_conflicts);
  ADD ("/schedule/save-refused", test_save_refused);
  ADD ("/schedule/override", test_override);
  ADD ("/schedule/permission", test_permission);
  ADD ("/schedule/series/materialise", test_series_materialise);
  ADD ("/schedule/series/occurrence-ids", test_series_occurrence_ids);
  ADD ("/schedule/series/exception-kept", test_series_exception_kept);
  ADD ("/schedule/series/following", test_series_following);
  ADD ("/schedule/series/all-shift", test_series_all_shift);
  ADD ("/schedule/series/all-in-place", test_series_all_in_place);
  ADD ("/schedule/series/all-cancel", test_series_all_cancel);
  ADD ("/schedule/series/failed-edit", test_series_failed_edit);
  ADD ("/schedule/waitlist", test_waitlist);
#undef ADD
  return g_test_run ();
}
