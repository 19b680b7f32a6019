/* test-cli-ics.c: `tend-cli export ics` and `tend-cli import ics`, run as a program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A demo store (with --key-file, no keyring) gets a week of appointments for
 * one clinician; tend-cli exports them (the output is read back with
 * libical) and imports busy time from tests/cli/fixtures.  $TEND_CLI names
 * the program.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <glib/gstdio.h>
#include <libical/ical.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tend-demo.h"
#include "tend-ics.h"
#include "tend-schedule.h"
#include "tend-store.h"

#define KEY_BYTE 0x5a

typedef struct
{
  char *dir;
  char *db;
  char *key_file;
  char *clinician_id;
  char *clinician_email;
  char *other_email;        /* another clinician, with nothing scheduled */
  char *client_family;      /* the name privacy mode must not show */
  GPtrArray *ids;           /* of the appointments and series made here */
  char *series_id;
  char *moved_id;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GBytes *
test_key (void)
{
  guint8 key[TEND_STORE_KEY_SIZE];

  memset (key, KEY_BYTE, sizeof key);
  return g_bytes_new (key, sizeof key);
}

static TendStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = test_key ();
  TendStore *store = tend_store_open (f->db, key, TEND_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  return store;
}

/* tend-cli ARGS... --store DB --key-file KEY */
static void
run_cli (Fixture    *f,
         Run        *run,
         const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("TEND_CLI");
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--store");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, (gpointer) "--key-file");
  g_ptr_array_add (argv, f->key_file);
  g_ptr_array_add (argv, NULL);

  run_clear (run);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  if (run->err != NULL && *run->err != '\0')
    g_test_message ("tend-cli %s: %s", first, run->err);
}

static GDateTime *
local_time (GTimeZone *zone,
            GDate     *day,
            int        add_days,
            int        hour,
            int        minute)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (zone, g_date_get_year (day), g_date_get_month (day),
                                                   g_date_get_day (day), 0, 0, 0);
  g_autoptr(GDateTime) date = g_date_time_add_days (midnight, add_days);

  return g_date_time_new (zone, g_date_time_get_year (date), g_date_time_get_month (date),
                          g_date_time_get_day_of_month (date), hour, minute, 0);
}

static void
save (TendStore  *store,
      Fixture    *f,
      TendRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_save (store, record, &error));
  g_assert_no_error (error);
  g_ptr_array_add (f->ids, g_strdup (tend_record_get_id (record)));
}

static TendAppointment *
make_session (Fixture    *f,
              GTimeZone  *zone,
              GDate      *today,
              int         add_days,
              int         hour,
              const char *client_id)
{
  g_autoptr(GDateTime) start = local_time (zone, today, add_days, hour, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  TendAppointment *a = tend_appointment_new (f->clinician_id, start, end);

  tend_record_set_string (TEND_RECORD (a), "client_id", client_id);
  return a;
}

/* A demo practice (America/Chicago) and, for one clinician, a week of
 * appointments from today on: sessions, a cancellation, blocked time and a
 * weekly series with a cancelled and a moved occurrence. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) rooms = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autofree char *hex = NULL;
  TendDemoOptions opts;
  const char *client_id, *room_id;
  GDate today;

  f->dir = g_dir_make_tmp ("tend-test-cli-ics-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "tend.db", NULL);
  f->key_file = g_build_filename (f->dir, "tend.key", NULL);
  f->ids = g_ptr_array_new_with_free_func (g_free);
  hex = g_strnfill (TEND_STORE_KEY_SIZE * 2, 'a');
  for (guint i = 0; i < TEND_STORE_KEY_SIZE * 2; i += 2)
    g_snprintf (hex + i, 3, "%02x", KEY_BYTE);
  g_file_set_contents_full (f->key_file, hex, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);

  store = open_store (f);
  tend_demo_options_init (&opts);
  opts.n_clients = 30;
  opts.seed = 7;
  g_assert_true (tend_demo_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  staff = tend_store_list (store, TEND_TYPE_STAFF, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < staff->len; i++)
    if (tend_staff_get_role (staff->pdata[i]) == TEND_ROLE_CLINICIAN)
      {
        if (f->clinician_id == NULL)
          {
            f->clinician_id = g_strdup (tend_record_get_id (staff->pdata[i]));
            f->clinician_email = g_strdup (tend_record_get_string (staff->pdata[i], "email"));
          }
        else if (f->other_email == NULL)
          f->other_email = g_strdup (tend_record_get_string (staff->pdata[i], "email"));
      }
  g_assert_nonnull (f->clinician_email);
  g_assert_nonnull (f->other_email);
  clients = tend_store_list (store, TEND_TYPE_CLIENT, &error);
  g_assert_no_error (error);
  client_id = tend_record_get_id (clients->pdata[0]);
  f->client_family = g_strdup (tend_client_get_legal_family (clients->pdata[0]));
  rooms = tend_store_list (store, TEND_TYPE_ROOM, &error);
  g_assert_no_error (error);
  room_id = tend_record_get_id (rooms->pdata[0]);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now), (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));

  {
    g_autoptr(TendAppointment) a = make_session (f, zone, &today, 1, 10, client_id);
    g_autoptr(TendAppointment) b = make_session (f, zone, &today, 2, 14, client_id);
    g_autoptr(TendAppointment) c = make_session (f, zone, &today, 3, 9, client_id);
    g_autoptr(GDateTime) bs = local_time (zone, &today, 4, 12, 0);
    g_autoptr(GDateTime) be = local_time (zone, &today, 4, 13, 0);
    g_autoptr(TendAppointment) d = tend_appointment_new (f->clinician_id, bs, be);

    tend_record_set_string (TEND_RECORD (a), "room_id", room_id);
    tend_record_set_string (TEND_RECORD (a), "note", "Talked about the divorce");
    tend_record_set_int (TEND_RECORD (b), "modality", TEND_MODALITY_TELEHEALTH);
    g_assert_true (tend_appointment_set_status (c, TEND_APPOINTMENT_CANCELLED, "Sick", now, &error));
    tend_record_set_int (TEND_RECORD (d), "kind", TEND_APPOINTMENT_KIND_BLOCKED);
    tend_record_set_string (TEND_RECORD (d), "title", "Dentist appointment");
    save (store, f, TEND_RECORD (a));
    save (store, f, TEND_RECORD (b));
    save (store, f, TEND_RECORD (c));
    save (store, f, TEND_RECORD (d));
  }

  /* Weekly at 16:00 from tomorrow, four times; the second cancelled, the
   * third moved a day later.  Rows saved as the schedule materialises them. */
  {
    g_autoptr(GDateTime) first = local_time (zone, &today, 1, 16, 0);
    g_autoptr(GDateTime) until = local_time (zone, &today, 40, 0, 0);
    g_autoptr(TendSeries) series = tend_series_new (f->clinician_id, first, 50, "America/Chicago",
                                                    "FREQ=WEEKLY;COUNT=4");
    g_autoptr(GPtrArray) starts = NULL;

    tend_record_set_string (TEND_RECORD (series), "client_id", client_id);
    save (store, f, TEND_RECORD (series));
    f->series_id = g_strdup (tend_record_get_id (TEND_RECORD (series)));
    starts = tend_series_expand (series, first, until, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (starts->len, ==, 4);
    for (guint i = 0; i < starts->len; i++)
      {
        g_autoptr(TendAppointment) occ = tend_series_make_occurrence (series, starts->pdata[i]);

        if (i == 1)
          g_assert_true (tend_appointment_set_status (occ, TEND_APPOINTMENT_CANCELLED, "Holiday", now, &error));
        if (i == 2)
          {
            g_autoptr(GDateTime) s = g_date_time_add_days (starts->pdata[i], 1);
            g_autoptr(GDateTime) e = g_date_time_add_minutes (s, 50);

            tend_appointment_set_times (occ, s, e);
            f->moved_id = g_strdup (tend_record_get_id (TEND_RECORD (occ)));
          }
        save (store, f, TEND_RECORD (occ));
      }
  }
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->key_file);
  g_free (f->clinician_id);
  g_free (f->clinician_email);
  g_free (f->other_email);
  g_free (f->client_family);
  g_free (f->series_id);
  g_free (f->moved_id);
  g_ptr_array_unref (f->ids);
}

static icalcomponent *
parse_calendar (const char *text)
{
  icalcomponent *cal;

  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  cal = icalparser_parse_string (text);
  g_assert_nonnull (cal);
  g_assert_cmpint (icalcomponent_isa (cal), ==, ICAL_VCALENDAR_COMPONENT);
  return cal;
}

/* How many VEVENTs have UIDs of records made by the fixture. */
static guint
count_own_events (Fixture       *f,
                  icalcomponent *cal,
                  guint         *n_all)
{
  guint n = 0;

  *n_all = 0;
  for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       ev != NULL; ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    {
      const char *uid = icalcomponent_get_uid (ev);

      (*n_all)++;
      for (guint i = 0; i < f->ids->len; i++)
        {
          g_autofree char *expected = g_strconcat (f->ids->pdata[i], "@tend.app", NULL);

          if (g_strcmp0 (uid, expected) == 0)
            {
              n++;
              break;
            }
        }
    }
  return n;
}

static gint64
count_audit (Fixture *f)
{
  g_autoptr(TendStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  g_assert_true (tend_store_verify_audit (store, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  icalcomponent *cal;
  guint n_all;
  gint64 audit_before = count_audit (f);

  /* One clinician, the default range (30 days back, a year ahead). */
  run_cli (f, &run, "export", "ics", "--clinician", f->clinician_email, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cal = parse_calendar (run.out);
  /* Four single appointments, the series and its moved occurrence (the
   * cancelled one is an EXDATE, the others the RRULE's). */
  g_assert_cmpuint (count_own_events (f, cal, &n_all), ==, 6);
  g_assert_cmpuint (n_all, ==, 6);
  g_assert_nonnull (icalcomponent_get_first_component (cal, ICAL_VTIMEZONE_COMPONENT));
  icalcomponent_free (cal);
  g_assert_nonnull (strstr (run.out, "RRULE:FREQ=WEEKLY;COUNT=4"));
  g_assert_nonnull (strstr (run.out, "EXDATE;TZID=America/Chicago:"));
  g_assert_nonnull (strstr (run.out, "RECURRENCE-ID;TZID=America/Chicago:"));
  g_assert_nonnull (strstr (run.out, "X-TEND-KIND:blocked"));
  /* Private by default. */
  g_assert_null (strstr (run.out, f->client_family));
  g_assert_null (strstr (run.out, "divorce"));
  g_assert_null (strstr (run.out, "Dentist"));
  g_assert_cmpint (count_audit (f), ==, audit_before + 1);

  /* Full detail says more. */
  run_cli (f, &run, "export", "ics", "--clinician", f->clinician_id, "--full-detail", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, f->client_family));
  g_assert_nonnull (strstr (run.out, "divorce"));
  g_assert_nonnull (strstr (run.out, "Dentist appointment"));

  /* Another clinician: an empty calendar, still a calendar. */
  run_cli (f, &run, "export", "ics", "--clinician", f->other_email, NULL);
  g_assert_cmpint (run.status, ==, 0);
  cal = parse_calendar (run.out);
  g_assert_cmpuint (count_own_events (f, cal, &n_all), ==, 0);
  icalcomponent_free (cal);

  /* The whole practice, into a file only its owner can read, in a client's zone. */
  {
    g_autofree char *path = g_build_filename (f->dir, "practice.ics", NULL);
    g_autofree char *text = NULL;
    GStatBuf st;

    run_cli (f, &run, "export", "ics", "--output", path, "--time-zone", "Europe/London", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "Wrote "));
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    g_file_get_contents (path, &text, NULL, NULL);
    cal = parse_calendar (text);
    g_assert_cmpuint (count_own_events (f, cal, &n_all), ==, 6);
    icalcomponent_free (cal);
    g_assert_nonnull (strstr (text, "DTSTART;TZID=Europe/London:"));
  }

  /* A range that holds only the first day's session. */
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
    g_autoptr(GDateTime) now = g_date_time_new_now (zone);
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autofree char *day = g_date_time_format (tomorrow, "%Y-%m-%d");

    run_cli (f, &run, "export", "ics", "--clinician", f->clinician_email, "--from", day, "--to", day, NULL);
    g_assert_cmpint (run.status, ==, 0);
    cal = parse_calendar (run.out);
    /* The session at 10:00 and the series (its first occurrence is at 16:00). */
    g_assert_cmpuint (count_own_events (f, cal, &n_all), ==, 2);
    icalcomponent_free (cal);
  }
}

static void
test_export_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Run) run = { 0 };

  run_cli (f, &run, "export", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "ics"));
  run_cli (f, &run, "export", "csv", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (f, &run, "export", "ics", "--from", "2026-13-01", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--from"));
  run_cli (f, &run, "export", "ics", "--from", "2026-05-02", "--to", "2026-05-01", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (f, &run, "export", "ics", "--time-zone", "Mars/Olympus_Mons", NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (f, &run, "export", "ics", "--clinician", "nobody@example.org", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "nobody@example.org"));
  g_assert_cmpstr (run.out, ==, "");
}

static gint64
count_appointments (Fixture *f,
                    guint   *n_imported)
{
  g_autoptr(TendStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tend_store_list (store, TEND_TYPE_APPOINTMENT, &error);

  g_assert_no_error (error);
  *n_imported = 0;
  for (guint i = 0; i < all->len; i++)
    {
      const char *source = tend_record_get_string (all->pdata[i], "source_uid");

      if (source == NULL)
        continue;
      (*n_imported)++;
      g_assert_cmpint (tend_appointment_get_kind (all->pdata[i]), ==, TEND_APPOINTMENT_KIND_BLOCKED);
      g_assert_cmpstr (tend_appointment_get_clinician_id (all->pdata[i]), ==, f->clinician_id);
      g_assert_null (tend_appointment_get_title (all->pdata[i]));
    }
  return all->len;
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *busy = g_test_build_filename (G_TEST_DIST, "fixtures", "busy.ics", NULL);
  g_autofree char *broken = g_test_build_filename (G_TEST_DIST, "fixtures", "broken.ics", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.ics", NULL);
  guint imported;
  gint64 before = count_appointments (f, &imported), after;

  g_assert_cmpuint (imported, ==, 0);

  /* Busy time, added. */
  run_cli (f, &run, "import", "ics", busy, "--clinician", f->clinician_email,
           "--from", "2026-03-01", "--to", "2026-03-31", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Read 5 busy times from "));
  g_assert_nonnull (strstr (run.out, "\nAdded: 5\nUpdated: 0\n"));
  after = count_appointments (f, &imported);
  g_assert_cmpint (after, ==, before + 5);
  g_assert_cmpuint (imported, ==, 5);

  /* The same file again: found and updated, not duplicated. */
  run_cli (f, &run, "import", "ics", busy, "--clinician", f->clinician_id,
           "--from", "2026-03-01", "--to", "2026-03-31", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\nAdded: 0\nUpdated: 5\n"));
  g_assert_cmpint (count_appointments (f, &imported), ==, after);

  /* The imported time exports as blocked time. */
  run_cli (f, &run, "export", "ics", "--clinician", f->clinician_email,
           "--from", "2026-03-01", "--to", "2026-03-31", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    icalcomponent *cal = parse_calendar (run.out);
    guint n_all;

    count_own_events (f, cal, &n_all);
    g_assert_cmpuint (n_all, ==, 5);
    icalcomponent_free (cal);
  }

  /* A malformed file: an error naming the line and the event, nothing imported. */
  run_cli (f, &run, "import", "ics", broken, "--clinician", f->clinician_email,
           "--from", "2026-03-01", "--to", "2026-03-31", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Line 11, event “backwards-0310@example.org”"));
  g_assert_nonnull (strstr (run.err, "Nothing was imported"));
  g_assert_cmpint (count_appointments (f, &imported), ==, after);

  /* Other failures. */
  run_cli (f, &run, "import", "ics", busy, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--clinician"));
  run_cli (f, &run, "import", "ics", "--clinician", f->clinician_email, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (f, &run, "import", "vcf", busy, "--clinician", f->clinician_email, NULL);
  g_assert_cmpint (run.status, ==, 2);
  run_cli (f, &run, "import", "ics", missing, "--clinician", f->clinician_email, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "missing.ics"));
  run_cli (f, &run, "import", "ics", busy, "--clinician", "00000000-0000-4000-8000-000000000000", NULL);
  g_assert_cmpint (run.status, ==, 1);
  run_cli (f, &run, "import", "ics", f->db, "--clinician", f->clinician_email, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpint (count_appointments (f, &imported), ==, after);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TEND_CLI") == NULL)
    {
      g_printerr ("test-cli-ics: set TEND_CLI to the tend-cli program\n");
      return 1;
    }
  g_test_add ("/cli/ics/export", Fixture, NULL, fixture_setup, test_export, fixture_teardown);
  g_test_add ("/cli/ics/export-errors", Fixture, NULL, fixture_setup, test_export_errors, fixture_teardown);
  g_test_add ("/cli/ics/import", Fixture, NULL, fixture_setup, test_import, fixture_teardown);
  return g_test_run ();
}
