/* bench-calendar.c: query plus layout of the calendar grid on the full demo
 * store (about a million appointments): a busy clinician's week and a
 * ten-clinician day.  Target: each well under one frame (<= 8 ms), as p50
 * and p95.
 *
 * Runs under a display (bench/run.sh uses Xvfb): the grid is a real widget
 * in a real window, measured and allocated as GTK does before a frame.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bench-util.h"

#include <adwaita.h>
#include <stdio.h>

#include "tend-keyring.h"
#include "tend-schedule-grid.h"
#include "tend-schedule.h"
#include "tend-store-private.h"

#define RUNS 60

static void
print_percentiles (const char *name,
                   GArray     *ms)
{
  g_autofree char *p50 = g_strdup_printf ("%s_p50_ms", name);
  g_autofree char *p95 = g_strdup_printf ("%s_p95_ms", name);

  bench_print_ms (p50, bench_percentile (ms, 50));
  bench_print_ms (p95, bench_percentile (ms, 95));
}

static double
layout (TendScheduleGrid *grid,
        GPtrArray        *appointments)
{
  gint64 t0 = g_get_monotonic_time ();
  int min, nat;

  tend_schedule_grid_set_appointments (grid, appointments);
  gtk_widget_measure (GTK_WIDGET (grid), GTK_ORIENTATION_VERTICAL, 1100, &min, &nat, NULL, NULL);
  gtk_widget_size_allocate (GTK_WIDGET (grid), &(GtkAllocation) { 0, 0, 1100, nat }, -1);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

#define SWITCHES 50

typedef struct
{
  TendStore        *store;
  GTimeZone        *zone;
  TendScheduleGrid *grid;
  const char       *clinician;
  GDateTime        *monday;
  guint             week;
  GArray           *times;   /* frame times, µs */
  gint64            update_started;
  double            worst_work_ms;
} SwitchState;

/* Wall time from the start of a frame's update to the end of its paint:
 * the work a frame did, whatever the frame clock's smoothed timestamps say. */
static void
on_switch_after_paint_cb (GdkFrameClock *clock,
                          SwitchState   *st)
{
  if (st->update_started != 0)
    st->worst_work_ms = MAX (st->worst_work_ms, (g_get_monotonic_time () - st->update_started) / 1000.0);
}

static void
on_switch_update_cb (GdkFrameClock *clock,
                     SwitchState   *st)
{
  g_autoptr(GDateTime) from = g_date_time_add_weeks (st->monday, (int) st->week);
  g_autoptr(GDateTime) to = g_date_time_add_days (from, 7);
  g_autoptr(GPtrArray) list = NULL;
  const char *ids[2] = { st->clinician, NULL };
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  st->update_started = g_get_monotonic_time ();
  g_array_append_val (st->times, now);
  tend_schedule_grid_clear_columns (st->grid);
  for (int i = 0; i < 7; i++)
    {
      g_autoptr(GDateTime) di = g_date_time_add_days (from, i);
      GDate d;

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (di), (GDateMonth) g_date_time_get_month (di),
                      (GDateYear) g_date_time_get_year (di));
      tend_schedule_grid_add_column (st->grid, &d, NULL, "Day");
    }
  list = tend_schedule_list (st->store, g_date_time_to_unix (from) * G_USEC_PER_SEC,
                             g_date_time_to_unix (to) * G_USEC_PER_SEC, ids, NULL);
  tend_schedule_grid_set_appointments (st->grid, list);
  st->week++;
}

int
main (int   argc,
      char *argv[])
{
  const char *dir = argc > 1 ? argv[1] : "bench/out";
  g_autofree char *path = g_build_filename (dir, "schedule-50000-y2-seed42.db", NULL);
  g_autofree char *key_path = g_build_filename (dir, "schedule-50000-y2-seed42.key", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = NULL;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new ();
  g_autoptr(GArray) week_query = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) week_cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) week_total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) day_total = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GtkWidget *window;
  TendScheduleGrid *week, *day;
  guint rows = 0;

  gtk_init ();
  adw_init ();

  key = tend_keyring_read_key_file (key_path, &error);
  if (key != NULL)
    store = tend_store_open (path, key, TEND_STORE_OPEN_NONE, &error);
  if (store == NULL)
    {
      fprintf (stderr, "bench-calendar: %s (run bench-schedule first to make the store)\n", error->message);
      return 1;
    }
  practice = tend_store_load_practice (store, NULL);
  zone = tend_practice_dup_zone (practice);
  staff = tend_store_list (store, TEND_TYPE_STAFF, NULL);
  /* Busy clinicians: those with the most appointments in the store. */
  {
    sqlite3_stmt *stmt = tend_store_prepare_cached (store,
      "SELECT clinician_id FROM appointment WHERE deleted = 0 AND json_extract(body, '$.kind') = 'session'"
      " GROUP BY clinician_id ORDER BY count(*) DESC LIMIT 40", NULL);

    while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      for (guint i = 0; i < staff->len; i++)
        if (g_strcmp0 (tend_record_get_id (g_ptr_array_index (staff, i)),
                       (const char *) sqlite3_column_text (stmt, 0)) == 0)
          g_ptr_array_add (clinicians, g_ptr_array_index (staff, i));
    if (stmt != NULL)
      sqlite3_reset (stmt);
  }

  window = gtk_window_new ();
  week = TEND_SCHEDULE_GRID (tend_schedule_grid_new ());
  day = TEND_SCHEDULE_GRID (tend_schedule_grid_new ());
  tend_schedule_grid_set_zone (week, zone);
  tend_schedule_grid_set_zone (day, zone);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (week));
  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  for (guint run = 0; run < RUNS; run++)
    {
      /* A random week in the two years of data, for a random clinician. */
      TendStaff *who = g_ptr_array_index (clinicians, (guint) g_rand_int_range (rand, 0, (gint32) clinicians->len));
      const char *ids[2] = { tend_record_get_id (TEND_RECORD (who)), NULL };
      g_autoptr(GDateTime) monday = g_date_time_new (zone, 2026, 1, 5, 0, 0, 0);
      g_autoptr(GDateTime) from = g_date_time_add_weeks (monday, g_rand_int_range (rand, 0, 52));
      g_autoptr(GDateTime) to = g_date_time_add_days (from, 7);
      g_autoptr(GPtrArray) list = NULL;
      GDate d;
      gint64 t0;
      double q;

      tend_schedule_grid_clear_columns (week);
      for (int i = 0; i < 7; i++)
        {
          g_autoptr(GDateTime) di = g_date_time_add_days (from, i);

          g_date_clear (&d, 1);
          g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (di), (GDateMonth) g_date_time_get_month (di),
                          (GDateYear) g_date_time_get_year (di));
          tend_schedule_grid_add_column (week, &d, NULL, "Day");
        }
      /* Warm: a calendar being looked at is in the page cache; the first,
       * cold read from disk is measured apart. */
      t0 = g_get_monotonic_time ();
      g_ptr_array_unref (tend_schedule_list (store, g_date_time_to_unix (from) * G_USEC_PER_SEC,
                                             g_date_time_to_unix (to) * G_USEC_PER_SEC, ids, NULL));
      q = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (week_cold, q);
      t0 = g_get_monotonic_time ();
      list = tend_schedule_list (store, g_date_time_to_unix (from) * G_USEC_PER_SEC,
                                 g_date_time_to_unix (to) * G_USEC_PER_SEC, ids, NULL);
      q = (g_get_monotonic_time () - t0) / 1000.0;
      rows += list->len;
      g_array_append_val (week_query, q);
      q += layout (week, list);
      g_array_append_val (week_total, q);

      /* Ten clinicians side by side on one day of that week. */
      {
        g_autoptr(GDateTime) day_start = g_date_time_add_days (from, 2);
        g_autoptr(GDateTime) day_end = g_date_time_add_days (day_start, 1);
        const char *ten[11] = { NULL };
        g_autoptr(GPtrArray) day_list = NULL;
        double total;

        tend_schedule_grid_clear_columns (day);
        g_date_clear (&d, 1);
        g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (day_start),
                        (GDateMonth) g_date_time_get_month (day_start), (GDateYear) g_date_time_get_year (day_start));
        for (guint i = 0; i < 10 && i < clinicians->len; i++)
          {
            ten[i] = tend_record_get_id (g_ptr_array_index (clinicians, (run * 10 + i) % clinicians->len));
            tend_schedule_grid_add_column (day, &d, ten[i], "Clinician");
          }
        g_ptr_array_unref (tend_schedule_list (store, g_date_time_to_unix (day_start) * G_USEC_PER_SEC,
                                               g_date_time_to_unix (day_end) * G_USEC_PER_SEC, ten, NULL));
        t0 = g_get_monotonic_time ();
        day_list = tend_schedule_list (store, g_date_time_to_unix (day_start) * G_USEC_PER_SEC,
                                       g_date_time_to_unix (day_end) * G_USEC_PER_SEC, ten, NULL);
        total = (g_get_monotonic_time () - t0) / 1000.0 + layout (day, day_list);
        g_array_append_val (day_total, total);
      }
    }

  /* Switching weeks as Alt+Right does, once per frame: each frame loads
   * and lays out the next week; the frame clock says how long frames took. */
  {
    SwitchState st = { 0 };
    GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (week));
    double worst = 0, sum = 0;

    st.store = store;
    st.zone = zone;
    st.grid = week;
    st.clinician = tend_record_get_id (g_ptr_array_index (clinicians, 0));
    st.monday = g_date_time_new (zone, 2026, 1, 5, 0, 0, 0);
    st.times = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_signal_connect (clock, "update", G_CALLBACK (on_switch_update_cb), &st);
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_switch_after_paint_cb), &st);
    gdk_frame_clock_begin_updating (clock);
    while (st.week < SWITCHES + 1)
      g_main_context_iteration (NULL, TRUE);
    gdk_frame_clock_end_updating (clock);
    g_signal_handlers_disconnect_by_func (clock, on_switch_update_cb, &st);
    g_signal_handlers_disconnect_by_func (clock, on_switch_after_paint_cb, &st);
    for (guint i = 1; i < st.times->len; i++)
      {
        double ms = (g_array_index (st.times, gint64, i) - g_array_index (st.times, gint64, i - 1)) / 1000.0;

        worst = MAX (worst, ms);
        sum += ms;
      }
    printf ("week_switches: %u\nweek_switch_mean_frame_ms: %.2f\nweek_switch_worst_frame_ms: %.2f\n"
            "week_switch_lowest_fps: %.1f  (target >= 60)\n"
            "week_switch_worst_frame_work_ms: %.2f  (update to end of paint; budget 16.7)\n",
            SWITCHES, sum / (st.times->len - 1), worst, 1000.0 / worst, st.worst_work_ms);
    g_array_unref (st.times);
    g_date_time_unref (st.monday);
  }

  printf ("weeks_measured: %u\nmean_appointments_per_week: %.1f\n", RUNS, (double) rows / RUNS);
  print_percentiles ("week_query_cold_cache", week_cold);
  print_percentiles ("week_query", week_query);
  print_percentiles ("week_query_and_layout", week_total);
  print_percentiles ("ten_clinician_day_query_and_layout", day_total);
  printf ("target_ms: 8\n");
  printf ("ten_clinician_day_target_p95_ms: 4  (issue 18)\n");

  g_object_ref_sink (day);
  g_object_unref (day);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
