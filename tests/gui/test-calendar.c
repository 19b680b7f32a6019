/* test-calendar.c: the schedule grid places appointments and turns drags
 * into times, in the practice's zone, across daylight-saving changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "gui-test-util.h"

#include <adwaita.h>

#include "tend-schedule-grid.h"

#define CLINICIAN "8f14e45f-ceea-467a-9e5b-6f1c4d8a2b10"
#define CLIENT    "c9f0f895-fb98-4b91-a1c2-7e5d6f4a3b21"

typedef struct
{
  GtkWidget        *window;
  TendScheduleGrid *grid;
  GTimeZone        *zone;
} Fixture;

static TendAppointment *
make (Fixture    *f,
      int         y,
      int         mo,
      int         d,
      int         h,
      int         mi,
      int         minutes)
{
  g_autoptr(GDateTime) start = g_date_time_new (f->zone, y, mo, d, h, mi, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  TendAppointment *a = tend_appointment_new (CLINICIAN, start, end);

  tend_record_set_string (TEND_RECORD (a), "client_id", CLIENT);
  return a;
}

/* The week of 2026-03-02 .. 2026-03-08 has the spring-forward on Sunday 8th. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->zone = g_time_zone_new_identifier ("America/Chicago");
  f->window = gtk_window_new ();
  f->grid = TEND_SCHEDULE_GRID (tend_schedule_grid_new ());
  tend_schedule_grid_set_zone (f->grid, f->zone);
  tend_schedule_grid_set_hours (f->grid, 7, 21);
  for (int i = 0; i < 7; i++)
    {
      GDate d;
      g_autofree char *title = g_strdup_printf ("%d", 2 + i);

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, (GDateDay) (2 + i), G_DATE_MARCH, 2026);
      tend_schedule_grid_add_column (f->grid, &d, NULL, title);
    }
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->grid));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 60 + 7 * 140, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  spin_for (200);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin_for (20);
  g_clear_pointer (&f->zone, g_time_zone_unref);
}

static void
test_places_by_wall_clock (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  TendAppointment *monday = make (f, 2026, 3, 2, 9, 0, 50);
  TendAppointment *sunday = make (f, 2026, 3, 8, 9, 0, 50);   /* after the change */
  TendAppointment *late = make (f, 2026, 3, 4, 16, 30, 60);
  double hour = tend_schedule_grid_get_hour_height (f->grid);
  double width = gtk_widget_get_width (GTK_WIDGET (f->grid));
  double column = (width - 60) / 7;
  graphene_rect_t r1, r2, r3;

  g_ptr_array_add (list, monday);
  g_ptr_array_add (list, sunday);
  g_ptr_array_add (list, late);
  tend_schedule_grid_set_appointments (f->grid, list);
  spin_for (100);

  g_assert_true (tend_schedule_grid_get_tile_bounds (f->grid, tend_record_get_id (TEND_RECORD (monday)), &r1));
  g_assert_true (tend_schedule_grid_get_tile_bounds (f->grid, tend_record_get_id (TEND_RECORD (sunday)), &r2));
  g_assert_true (tend_schedule_grid_get_tile_bounds (f->grid, tend_record_get_id (TEND_RECORD (late)), &r3));

  /* 09:00 is two hours below 07:00 under the 44 px heading, on both sides of
   * the daylight-saving change (the UTC instants differ by an hour). */
  g_assert_cmpfloat_with_epsilon (r1.origin.y, 44 + 2 * hour + 1, 0.5);
  g_assert_cmpfloat_with_epsilon (r2.origin.y, r1.origin.y, 0.5);
  g_assert_cmpfloat_with_epsilon (r1.size.height, 50 * hour / 60 - 2, 0.5);
  g_assert_cmpfloat_with_epsilon (r3.origin.y, 44 + 9.5 * hour + 1, 0.5);

  /* Monday is the first column, Wednesday the third, Sunday the last. */
  g_assert_cmpfloat (r1.origin.x, >=, 60);
  g_assert_cmpfloat (r1.origin.x, <, 60 + column);
  g_assert_cmpfloat (r3.origin.x, >=, 60 + 2 * column);
  g_assert_cmpfloat (r3.origin.x, <, 60 + 3 * column);
  g_assert_cmpfloat (r2.origin.x, >=, 60 + 6 * column);
}

static void
test_overlaps_share_the_column (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  TendAppointment *a = make (f, 2026, 3, 3, 10, 0, 60);
  TendAppointment *b = make (f, 2026, 3, 3, 10, 30, 60);
  TendAppointment *c = make (f, 2026, 3, 3, 12, 0, 30);
  graphene_rect_t ra, rb, rc;

  g_ptr_array_add (list, a);
  g_ptr_array_add (list, b);
  g_ptr_array_add (list, c);
  tend_schedule_grid_set_appointments (f->grid, list);
  spin_for (100);

  g_assert_true (tend_schedule_grid_get_tile_bounds (f->grid, tend_record_get_id (TEND_RECORD (a)), &ra));
  g_assert_true (tend_schedule_grid_get_tile_bounds (f->grid, tend_record_get_id (TEND_RECORD (b)), &rb));
  g_assert_true (tend_schedule_grid_get_tile_bounds (f->grid, tend_record_get_id (TEND_RECORD (c)), &rc));
  /* Side by side, each half as wide as the lone one after them. */
  g_assert_cmpfloat (rb.origin.x, >=, ra.origin.x + ra.size.width);
  g_assert_cmpfloat_with_epsilon (ra.size.width * 2, rc.size.width, 4);
}

typedef struct
{
  guint      column;
  GDateTime *start;
  GDateTime *end;
  guint      count;
} Created;

static void
on_create_cb (TendScheduleGrid *grid,
              guint             column,
              GDateTime        *start,
              GDateTime        *end,
              Created          *out)
{
  out->column = column;
  g_clear_pointer (&out->start, g_date_time_unref);
  g_clear_pointer (&out->end, g_date_time_unref);
  out->start = g_date_time_ref (start);
  out->end = g_date_time_ref (end);
  out->count++;
}

static void
test_drag_to_create (Fixture       *f,
                     gconstpointer  data)
{
  Created created = { 0 };
  double hour = tend_schedule_grid_get_hour_height (f->grid);
  double width = gtk_widget_get_width (GTK_WIDGET (f->grid));
  double column = (width - 60) / 7;
  double x = 60 + 6.5 * column;    /* Sunday 8 March: the spring-forward day */
  g_autoptr(GDateTime) local_start = NULL;
  g_autoptr(GDateTime) local_end = NULL;

  g_signal_connect (f->grid, "create-requested", G_CALLBACK (on_create_cb), &created);

  /* From 10:10 down to 11:20: 10:00 to 11:30 after snapping to quarters. */
  tend_schedule_grid_drag (f->grid, x, 44 + (3 + 10.0 / 60) * hour, x, 44 + (4 + 20.0 / 60) * hour);
  g_assert_cmpuint (created.count, ==, 1);
  g_assert_cmpuint (created.column, ==, 6);
  local_start = g_date_time_to_timezone (created.start, f->zone);
  local_end = g_date_time_to_timezone (created.end, f->zone);
  g_assert_cmpint (g_date_time_get_day_of_month (local_start), ==, 8);
  g_assert_cmpint (g_date_time_get_hour (local_start), ==, 10);
  g_assert_cmpint (g_date_time_get_minute (local_start), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (local_end), ==, 11);
  g_assert_cmpint (g_date_time_get_minute (local_end), ==, 30);
  /* 10:00 CDT is 15:00 UTC on that day. */
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (created.start);
    g_assert_cmpint (g_date_time_get_hour (utc), ==, 15);
  }

  /* A click (no movement) asks for a 50-minute session. */
  tend_schedule_grid_drag (f->grid, 60 + 0.5 * column, 44 + 2 * hour + 3, 60 + 0.5 * column, 44 + 2 * hour + 3);
  g_assert_cmpuint (created.count, ==, 2);
  g_assert_cmpint (g_date_time_difference (created.end, created.start) / G_TIME_SPAN_MINUTE, ==, 50);

  /* The hour labels' gutter and the headings are not time. */
  tend_schedule_grid_drag (f->grid, 10, 300, 10, 400);
  tend_schedule_grid_drag (f->grid, x, 10, x, 20);
  g_assert_cmpuint (created.count, ==, 2);

  g_clear_pointer (&created.start, g_date_time_unref);
  g_clear_pointer (&created.end, g_date_time_unref);
}

typedef struct
{
  char      *id;
  guint      column;
  GDateTime *start;
  guint      count;
} Moved;

static void
on_move_cb (TendScheduleGrid *grid,
            const char       *id,
            guint             column,
            GDateTime        *start,
            Moved            *out)
{
  g_free (out->id);
  out->id = g_strdup (id);
  out->column = column;
  g_clear_pointer (&out->start, g_date_time_unref);
  out->start = g_date_time_ref (start);
  out->count++;
}

/* Dragging a tile down an hour and a quarter and one day right moves it to
 * the next day, 75 minutes later; a tiny drag is a click, not a move. */
static void
test_drag_to_move (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  TendAppointment *a = make (f, 2026, 3, 3, 9, 0, 50);   /* Tuesday */
  double hour = tend_schedule_grid_get_hour_height (f->grid);
  double column = (gtk_widget_get_width (GTK_WIDGET (f->grid)) - 60) / 7;
  Moved moved = { 0 };
  g_autoptr(GDateTime) local = NULL;

  g_ptr_array_add (list, a);
  tend_schedule_grid_set_appointments (f->grid, list);
  spin_for (50);
  g_signal_connect (f->grid, "move-requested", G_CALLBACK (on_move_cb), &moved);

  tend_schedule_grid_move (f->grid, tend_record_get_id (TEND_RECORD (a)), 2, 3);
  g_assert_cmpuint (moved.count, ==, 0);

  tend_schedule_grid_move (f->grid, tend_record_get_id (TEND_RECORD (a)), column, 1.25 * hour + 3);
  g_assert_cmpuint (moved.count, ==, 1);
  g_assert_cmpstr (moved.id, ==, tend_record_get_id (TEND_RECORD (a)));
  g_assert_cmpuint (moved.column, ==, 2);
  local = g_date_time_to_timezone (moved.start, f->zone);
  g_assert_cmpint (g_date_time_get_day_of_month (local), ==, 4);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 10);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 15);

  /* The keyboard: a quarter hour earlier, then a day later at the same
   * wall-clock time across the spring-forward night (Sat 7 to Sun 8). */
  tend_schedule_grid_nudge (f->grid, tend_record_get_id (TEND_RECORD (a)), -15);
  g_assert_cmpuint (moved.count, ==, 2);
  {
    g_autoptr(GDateTime) l = g_date_time_to_timezone (moved.start, f->zone);
    g_assert_cmpint (g_date_time_get_hour (l), ==, 8);
    g_assert_cmpint (g_date_time_get_minute (l), ==, 45);
  }
  {
    g_autoptr(GPtrArray) sat = g_ptr_array_new_with_free_func (g_object_unref);
    TendAppointment *s7 = make (f, 2026, 3, 7, 9, 0, 50);
    g_autoptr(GDateTime) l = NULL;

    g_ptr_array_add (sat, s7);
    tend_schedule_grid_set_appointments (f->grid, sat);
    tend_schedule_grid_nudge (f->grid, tend_record_get_id (TEND_RECORD (s7)), 24 * 60);
    g_assert_cmpuint (moved.count, ==, 3);
    l = g_date_time_to_timezone (moved.start, f->zone);
    g_assert_cmpint (g_date_time_get_day_of_month (l), ==, 8);
    g_assert_cmpint (g_date_time_get_hour (l), ==, 9);
  }

  g_free (moved.id);
  g_clear_pointer (&moved.start, g_date_time_unref);
}

static void
on_resize_cb (TendScheduleGrid  *grid,
              const char        *id,
              GDateTime         *end,
              GDateTime        **out)
{
  g_clear_pointer (out, g_date_time_unref);
  *out = g_date_time_ref (end);
}

/* Dragging the bottom edge down 40 minutes makes a 50-minute session end at
 * the nearest quarter hour: 10:30; it never goes under a quarter hour. */
static void
test_drag_to_resize (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  TendAppointment *a = make (f, 2026, 3, 3, 9, 0, 50);
  double hour = tend_schedule_grid_get_hour_height (f->grid);
  GDateTime *end = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_ptr_array_add (list, a);
  tend_schedule_grid_set_appointments (f->grid, list);
  g_signal_connect (f->grid, "resize-requested", G_CALLBACK (on_resize_cb), &end);

  tend_schedule_grid_resize (f->grid, tend_record_get_id (TEND_RECORD (a)), 40 * hour / 60);
  g_assert_nonnull (end);
  local = g_date_time_to_timezone (end, f->zone);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 10);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 30);
  g_clear_pointer (&local, g_date_time_unref);

  tend_schedule_grid_resize (f->grid, tend_record_get_id (TEND_RECORD (a)), -3 * hour);
  local = g_date_time_to_timezone (end, f->zone);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 9);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 15);
  g_clear_pointer (&end, g_date_time_unref);
}

/* The rooms view: each room's column shows only what is booked there. */
static void
test_room_columns (void)
{
  static const char *willow = "11111111-1111-4111-8111-111111111111";
  static const char *birch = "22222222-2222-4222-8222-222222222222";
  GtkWidget *window = gtk_window_new ();
  TendScheduleGrid *grid = TEND_SCHEDULE_GRID (tend_schedule_grid_new ());
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  TendAppointment *in_birch = tend_appointment_new (CLINICIAN, start, end);
  TendAppointment *in_willow = tend_appointment_new (CLINICIAN, start, end);
  TendAppointment *no_room = tend_appointment_new (CLINICIAN, start, end);
  graphene_rect_t r1, r2, r3;
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 2, G_DATE_MARCH, 2026);
  tend_schedule_grid_add_room_column (grid, &d, willow, "Willow");
  tend_schedule_grid_add_room_column (grid, &d, birch, "Birch");
  tend_record_set_string (TEND_RECORD (in_birch), "room_id", birch);
  tend_record_set_string (TEND_RECORD (in_willow), "room_id", willow);
  g_ptr_array_add (list, in_birch);
  g_ptr_array_add (list, in_willow);
  g_ptr_array_add (list, no_room);
  tend_schedule_grid_set_appointments (grid, list);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (grid));
  gtk_window_set_default_size (GTK_WINDOW (window), 60 + 2 * 200, 900);
  gtk_window_present (GTK_WINDOW (window));
  spin_for (200);

  g_assert_true (tend_schedule_grid_get_tile_bounds (grid, tend_record_get_id (TEND_RECORD (in_willow)), &r1));
  g_assert_true (tend_schedule_grid_get_tile_bounds (grid, tend_record_get_id (TEND_RECORD (in_birch)), &r2));
  g_assert_false (tend_schedule_grid_get_tile_bounds (grid, tend_record_get_id (TEND_RECORD (no_room)), &r3));
  g_assert_cmpfloat (r1.origin.x, <, r2.origin.x);
  /* Alone in its room, each takes the whole column. */
  g_assert_cmpfloat_with_epsilon (r1.size.width, r2.size.width, 1);
  g_assert_cmpfloat (r1.size.width, >, 150);

  gtk_window_destroy (GTK_WINDOW (window));
  spin_for (20);
}

static void
test_grid_finalizes (void)
{
  GtkWidget *grid = tend_schedule_grid_new ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 2, G_DATE_MARCH, 2026);
  g_object_ref_sink (grid);
  tend_schedule_grid_add_column (TEND_SCHEDULE_GRID (grid), &d, NULL, "Mon");
  g_ptr_array_add (list, tend_appointment_new (CLINICIAN, start, end));
  tend_record_set_string (g_ptr_array_index (list, 0), "client_id", CLIENT);
  tend_schedule_grid_set_appointments (TEND_SCHEDULE_GRID (grid), list);
  g_assert_finalize_object (grid);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  adw_init ();

  g_test_add ("/gui/calendar/places-by-wall-clock", Fixture, NULL, fixture_set_up, test_places_by_wall_clock, fixture_tear_down);
  g_test_add ("/gui/calendar/overlaps-share-the-column", Fixture, NULL, fixture_set_up, test_overlaps_share_the_column, fixture_tear_down);
  g_test_add ("/gui/calendar/drag-to-create", Fixture, NULL, fixture_set_up, test_drag_to_create, fixture_tear_down);
  g_test_add ("/gui/calendar/drag-to-move", Fixture, NULL, fixture_set_up, test_drag_to_move, fixture_tear_down);
  g_test_add ("/gui/calendar/drag-to-resize", Fixture, NULL, fixture_set_up, test_drag_to_resize, fixture_tear_down);
  g_test_add_func ("/gui/calendar/room-columns", test_room_columns);
  g_test_add_func ("/gui/calendar/finalizes", test_grid_finalizes);
  return g_test_run ();
}
