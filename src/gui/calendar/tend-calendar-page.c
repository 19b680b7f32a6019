/* tend-calendar-page.c: day, week, month and the front desk's today
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-appointment-editor.h"
#include "tend-billing.h"
#include "tend-calendar-page.h"
#include "tend-fit-bin.h"
#include "tend-schedule.h"

struct _TendCalendarPage
{
  GtkWidget         parent_instance;

  TendContext      *context;
  GHashTable       *names;          /* id -> display name */
  GPtrArray        *clinicians;     /* TendStaff, parallel to the dropdown's model */
  GPtrArray        *shown;          /* TendAppointment */
  char             *view;
  GDate             date;
  guint             reload_source;
  TendAppointment  *undo;           /* the appointment as it was before a move */
  TendAppointment  *status_undo;    /* as it was before a check-in, no-show or cancellation */
  TendAppointment  *attendance_undo;   /* a multi-client session before a member's check-in or no-show */
  char             *attendance_client; /* that member */
  gboolean          staff_changed;  /* refill the clinicians before the next reload */
  GStrv             hidden;         /* staff ids the day view leaves out (a setting) */
  GPtrArray        *filter_checks;  /* GtkCheckButton, one per clinician in each filter popover */
  gboolean          syncing_filter; /* setting the checks from the setting */

  GtkLabel         *range_label;
  GtkDropDown      *clinician_dropdown;
  GtkLabel         *narrow_range_label;
  GtkDropDown      *narrow_clinician_dropdown;
  GtkMenuButton    *view_menu_button;
  GtkMenuButton    *clinicians_button;
  GtkMenuButton    *narrow_clinicians_button;
  GtkMenuButton    *legend_button;
  GtkMenuButton    *narrow_legend_button;
  GtkToggleButton  *day_button;
  GtkToggleButton  *week_button;
  GtkToggleButton  *month_button;
  GtkToggleButton  *agenda_button;
  GtkToggleButton  *rooms_button;
  GtkStack         *stack;
  GtkScrolledWindow *grid_scroller;
  TendScheduleGrid *grid;
  GtkGrid          *month_grid;
  GtkListBox       *agenda_list;
  GtkWidget        *attention_box;
  GtkLabel         *attention_label;
  GtkListBox       *attention_list;
  gboolean          attention_expanded;
};

G_DEFINE_FINAL_TYPE (TendCalendarPage, tend_calendar_page, GTK_TYPE_WIDGET)

#define SESSION_MINUTES 50

static TendStore *
get_store (TendCalendarPage *self)
{
  return self->context != NULL ? tend_context_get_store (self->context) : NULL;
}

static GTimeZone *
get_zone (TendCalendarPage *self)
{
  GTimeZone *zone = self->context != NULL ? tend_context_get_zone (self->context) : NULL;

  return zone;
}

/* Display names, loaded once each: the calendar shows the same people all day. */
static char *
lookup_name (const char *id,
             gpointer    user_data)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (user_data);
  const char *cached = g_hash_table_lookup (self->names, id);
  char *name;

  if (cached != NULL)
    return g_strdup (cached);
  if (get_store (self) == NULL)
    return NULL;
  name = tend_store_dup_display_name (get_store (self), G_TYPE_INVALID, id);
  if (name == NULL)
    return NULL;
  g_hash_table_insert (self->names, g_strdup (id), g_strdup (name));
  return name;
}

static const char *
selected_clinician (TendCalendarPage *self)
{
  guint i = gtk_drop_down_get_selected (self->clinician_dropdown);

  if (self->clinicians == NULL || i >= self->clinicians->len)
    return NULL;
  return tend_record_get_id (g_ptr_array_index (self->clinicians, i));
}

static void
week_start (const GDate *date,
            GDate       *monday)
{
  *monday = *date;
  g_date_subtract_days (monday, g_date_get_weekday (date) - G_DATE_MONDAY);
}

static void today (GDate     *date,
                   GTimeZone *zone);
static void fill_clinicians (TendCalendarPage *self);
static GtkWidget *legend_popover_new (void);

static gint64
local_midnight_usec (TendCalendarPage *self,
                     const GDate      *day)
{
  g_autoptr(GDateTime) dt = g_date_time_new (get_zone (self), g_date_get_year (day),
                                             g_date_get_month (day), g_date_get_day (day), 0, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static char *
format_day (const GDate *day,
            const char  *format)
{
  char buf[128];

  if (g_date_strftime (buf, sizeof buf, format, day) == 0)
    return g_strdup ("");
  return g_strdup (buf);
}

static const char *
view_title (const char *view)
{
  if (g_strcmp0 (view, "day") == 0)
    return _("Day");
  if (g_strcmp0 (view, "month") == 0)
    return _("Month");
  if (g_strcmp0 (view, "rooms") == 0)
    return _("Rooms");
  if (g_strcmp0 (view, "agenda") == 0)
    return _("Front Desk");
  return _("Week");
}

static GPtrArray *
query (TendCalendarPage *self,
       const GDate      *first,
       guint             n_days,
       const char       *clinician_id)
{
  g_autoptr(GError) error = NULL;
  GDate end = *first;
  const char *ids[2] = { clinician_id, NULL };
  GPtrArray *result;

  g_date_add_days (&end, n_days);
  result = tend_schedule_list (get_store (self), local_midnight_usec (self, first),
                               local_midnight_usec (self, &end),
                               clinician_id != NULL ? ids : NULL, &error);
  if (result == NULL)
    {
      g_warning ("Could not read the calendar: %s", error->message);
      result = g_ptr_array_new_with_free_func (g_object_unref);
    }
  return result;
}

static void
set_shown (TendCalendarPage *self,
           GPtrArray        *appointments)
{
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  self->shown = appointments;
}

static TendStaff *
find_clinician (TendCalendarPage *self,
                const char       *id)
{
  for (guint i = 0; id != NULL && self->clinicians != NULL && i < self->clinicians->len; i++)
    if (g_strcmp0 (tend_record_get_id (g_ptr_array_index (self->clinicians, i)), id) == 0)
      return g_ptr_array_index (self->clinicians, i);
  return NULL;
}

/* A column's day outside the clinician's working hours, shaded (when they
 * have hours at all). */
static void
shade_hours (TendCalendarPage *self,
             guint             column,
             TendStaff        *staff,
             const GDate      *day)
{
  guint start = 0, end = 0;

  if (staff == NULL || !tend_staff_has_working_hours (staff))
    return;
  if (!tend_staff_get_working_hours (staff, g_date_get_weekday (day), &start, &end))
    start = end = 0;
  tend_schedule_grid_set_column_hours (self->grid, column, (int) start, (int) end);
}

static void
show_week (TendCalendarPage *self)
{
  GDate monday, last;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *range = NULL;

  week_start (&self->date, &monday);
  tend_schedule_grid_clear_columns (self->grid);
  for (guint i = 0; i < 7; i++)
    {
      GDate d = monday;
      g_autofree char *title = NULL;

      g_date_add_days (&d, i);
      /* TRANSLATORS: a column heading in the week view, "Mon 23"; see strftime() */
      title = format_day (&d, _("%a %e"));
      tend_schedule_grid_add_column (self->grid, &d, NULL, g_strstrip (title));
      shade_hours (self, i, find_clinician (self, selected_clinician (self)), &d);
    }
  set_shown (self, query (self, &monday, 7, selected_clinician (self)));
  tend_schedule_grid_set_appointments (self->grid, self->shown);

  last = monday;
  g_date_add_days (&last, 6);
  /* TRANSLATORS: the start of a week's range, "Nov 23"; see strftime() */
  from = format_day (&monday, _("%b %e"));
  if (g_date_get_month (&monday) == g_date_get_month (&last))
    /* TRANSLATORS: the end of a week's range in the same month, "29, 2026"; see strftime() */
    to = format_day (&last, _("%e, %Y"));
  else
    /* TRANSLATORS: the end of a week's range, "Dec 3, 2026"; see strftime() */
    to = format_day (&last, _("%b %e, %Y"));
  range = g_strdup_printf ("%s – %s", g_strstrip (from), g_strstrip (to));
  gtk_label_set_text (self->range_label, range);
  gtk_stack_set_visible_child_name (self->stack, "grid");
}

/* Is this clinician's column left out of the day view?  Never all of them:
 * if every one is hidden (the last shown one left the practice), all show. */
static gboolean
day_hides (TendCalendarPage *self,
           const char       *id)
{
  guint n_hidden = 0;

  if (self->hidden == NULL || self->clinicians == NULL)
    return FALSE;
  for (guint i = 0; i < self->clinicians->len; i++)
    if (g_strv_contains ((const char * const *) self->hidden,
                         tend_record_get_id (g_ptr_array_index (self->clinicians, i))))
      n_hidden++;
  return n_hidden < self->clinicians->len && g_strv_contains ((const char * const *) self->hidden, id);
}

static void
show_day (TendCalendarPage *self)
{
  g_autofree char *title = NULL;
  guint column = 0;

  tend_schedule_grid_clear_columns (self->grid);
  for (guint i = 0; self->clinicians != NULL && i < self->clinicians->len; i++)
    {
      TendStaff *s = g_ptr_array_index (self->clinicians, i);
      g_autofree char *name = NULL;

      if (day_hides (self, tend_record_get_id (TEND_RECORD (s))))
        continue;
      name = g_strdup_printf ("%s %s", tend_staff_get_given_name (s), tend_staff_get_family_name (s));
      tend_schedule_grid_add_column (self->grid, &self->date, tend_record_get_id (TEND_RECORD (s)), name);
      shade_hours (self, column++, s, &self->date);
    }
  set_shown (self, query (self, &self->date, 1, NULL));
  tend_schedule_grid_set_appointments (self->grid, self->shown);

  /* TRANSLATORS: the day view's heading, "Tuesday, November 24, 2026"; see strftime() */
  title = format_day (&self->date, _("%A, %B %e, %Y"));
  gtk_label_set_text (self->range_label, title);
  gtk_stack_set_visible_child_name (self->stack, "grid");
}

/* Each room's day, side by side: which rooms are free, and when. */
static void
show_rooms (TendCalendarPage *self)
{
  TendStore *store = get_store (self);
  g_autoptr(GPtrArray) rooms = store != NULL ? tend_store_list (store, TEND_TYPE_ROOM, NULL) : NULL;
  g_autofree char *title = NULL;

  tend_schedule_grid_clear_columns (self->grid);
  for (guint i = 0; rooms != NULL && i < rooms->len; i++)
    {
      TendRoom *room = g_ptr_array_index (rooms, i);

      if (!tend_record_get_int (TEND_RECORD (room), "active") || tend_record_get_int (TEND_RECORD (room), "virtual"))
        continue;
      tend_schedule_grid_add_room_column (self->grid, &self->date, tend_record_get_id (TEND_RECORD (room)),
                                          tend_room_get_name (room));
    }
  set_shown (self, query (self, &self->date, 1, NULL));
  tend_schedule_grid_set_appointments (self->grid, self->shown);

  /* TRANSLATORS: the rooms view's heading, "Rooms, Tuesday, November 24"; see strftime() */
  title = format_day (&self->date, _("Rooms, %A, %B %e"));
  gtk_label_set_text (self->range_label, title);
  gtk_stack_set_visible_child_name (self->stack, "grid");
}

static void
on_month_day_clicked_cb (GtkButton        *button,
                         TendCalendarPage *self)
{
  GDate *day = g_object_get_data (G_OBJECT (button), "day");

  self->date = *day;
  tend_calendar_page_set_view (self, "day");
}

static void
show_month (TendCalendarPage *self)
{
  GDate first = self->date, cell;
  GtkWidget *child;
  g_autofree char *title = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new (g_direct_hash, g_direct_equal);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->month_grid))) != NULL)
    gtk_grid_remove (self->month_grid, child);

  g_date_set_day (&first, 1);
  week_start (&first, &cell);
  set_shown (self, query (self, &cell, 42, selected_clinician (self)));
  for (guint i = 0; i < self->shown->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (self->shown, i);
      g_autoptr(GDateTime) s = tend_appointment_dup_start (a);
      g_autoptr(GDateTime) ls = g_date_time_to_timezone (s, get_zone (self));
      GDate d;
      guint key;

      if (!tend_appointment_is_active (a) || tend_appointment_get_kind (a) != TEND_APPOINTMENT_KIND_SESSION)
        continue;
      g_date_clear (&d, 1);
      g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (ls), (GDateMonth) g_date_time_get_month (ls),
                      (GDateYear) g_date_time_get_year (ls));
      key = g_date_get_julian (&d);
      g_hash_table_insert (counts, GUINT_TO_POINTER (key),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (key))) + 1));
    }

  for (guint i = 0; i < 7; i++)
    {
      GDate d = cell;
      g_autofree char *name = NULL;
      GtkWidget *label;

      g_date_add_days (&d, i);
      /* TRANSLATORS: a weekday heading in the month view; see strftime() */
      name = format_day (&d, _("%a"));
      label = gtk_label_new (name);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_grid_attach (self->month_grid, label, (int) i, 0, 1, 1);
    }

  for (guint i = 0; i < 42; i++)
    {
      GDate *d = g_new (GDate, 1);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      g_autofree char *number = NULL;
      GtkWidget *day_label, *count_label;
      guint n;

      *d = cell;
      g_date_add_days (d, i);
      number = g_strdup_printf ("%u", g_date_get_day (d));
      day_label = gtk_label_new (number);
      gtk_label_set_xalign (GTK_LABEL (day_label), 0);
      gtk_box_append (GTK_BOX (box), day_label);
      n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (g_date_get_julian (d))));
      if (n > 0)
        {
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session", "%u sessions", n), n);
          g_autofree char *count = g_strdup_printf ("%u", n);
          GtkWidget *squeezer = adw_squeezer_new ();

          /* "3 sessions" where it fits, else "3" (a phone's month). */
          for (guint k = 0; k < 2; k++)
            {
              count_label = gtk_label_new (k == 0 ? text : count);
              gtk_label_set_xalign (GTK_LABEL (count_label), 0);
              gtk_widget_add_css_class (count_label, "caption");
              gtk_widget_add_css_class (count_label, "tend-month-count");
              adw_squeezer_add (ADW_SQUEEZER (squeezer), count_label);
            }
          gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
          gtk_box_append (GTK_BOX (box), squeezer);
        }
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "tend-month-day");
      if (g_date_get_month (d) != g_date_get_month (&self->date))
        gtk_widget_add_css_class (button, "other-month");
      {
        GDate now_day;

        today (&now_day, get_zone (self));
        if (g_date_compare (d, &now_day) == 0)
          gtk_widget_add_css_class (button, "today");
      }
      g_object_set_data_full (G_OBJECT (button), "day", d, g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_month_day_clicked_cb), self);
      gtk_grid_attach (self->month_grid, button, (int) (i % 7), (int) (i / 7) + 1, 1, 1);
    }

  /* TRANSLATORS: the month view's heading, "November 2026"; see strftime() */
  title = format_day (&self->date, _("%B %Y"));
  gtk_label_set_text (self->range_label, title);
  gtk_stack_set_visible_child_name (self->stack, "month");
}

static void toast (TendCalendarPage *self,
                   AdwToast         *t);

/* What happened, in a toast with Undo: a check-in, a no-show, a
 * cancellation are each one click, and so is taking them back. */
static void
offer_status_undo (TendCalendarPage *self,
                   TendAppointment  *before,
                   TendAppointment  *after)
{
  const char *client = tend_appointment_get_client_id (after);
  g_autofree char *name = client != NULL ? lookup_name (client, self) : NULL;
  g_autofree char *message = NULL;
  AdwToast *t;

  if (name == NULL)
    name = g_strdup (tend_appointment_get_title (after) != NULL ? tend_appointment_get_title (after) : _("Client"));
  switch (tend_appointment_get_status (after))
    {
    case TEND_APPOINTMENT_ARRIVED:
      message = g_strdup_printf (_("%s checked in"), name);
      break;
    case TEND_APPOINTMENT_NO_SHOW:
      message = g_strdup_printf (_("%s marked as a no-show"), name);
      break;
    case TEND_APPOINTMENT_CANCELLED:
    case TEND_APPOINTMENT_LATE_CANCELLED:
      message = g_strdup_printf (_("Appointment with %s cancelled"), name);
      break;
    case TEND_APPOINTMENT_COMPLETED:
      message = g_strdup_printf (_("Session with %s completed"), name);
      break;
    case TEND_APPOINTMENT_SCHEDULED:
    case TEND_APPOINTMENT_CONFIRMED:
    case TEND_N_APPOINTMENT_STATUSES:
    default:
      message = g_strdup_printf (_("%s: %s"), name, tend_appointment_status_get_label (tend_appointment_get_status (after)));
      break;
    }
  g_set_object (&self->status_undo, before);
  t = adw_toast_new (message);
  /* A completed session keeps its charge and its note: no undo. */
  if (tend_appointment_status_can_change (tend_appointment_get_status (after), tend_appointment_get_status (before)) ||
      tend_appointment_get_status (after) == TEND_APPOINTMENT_NO_SHOW)
    {
      adw_toast_set_button_label (t, _("_Undo"));
      adw_toast_set_action_name (t, "calendar.undo-status");
    }
  toast (self, t);
}

/* Check-in is for today's sessions in the practice's time zone, in
 * person: a video session has no waiting room to arrive in. */
static gboolean
can_check_in (TendCalendarPage *self,
              TendAppointment  *a)
{
  TendAppointmentStatus status = tend_appointment_get_status (a);
  g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, get_zone (self));
  GDate day, now_day;

  if (tend_appointment_get_kind (a) != TEND_APPOINTMENT_KIND_SESSION ||
      (status != TEND_APPOINTMENT_SCHEDULED && status != TEND_APPOINTMENT_CONFIRMED) ||
      tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH)
    return FALSE;
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local), (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  today (&now_day, get_zone (self));
  return g_date_compare (&day, &now_day) == 0;
}

/* A video session is started by the clinician of a telehealth session
 * with a client, on its day, while it is still to be held. */
static gboolean
can_start_video (TendCalendarPage *self,
                 TendAppointment  *a)
{
  TendStore *store = get_store (self);
  GDate now_day, day;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) local = NULL;
  TendAppointmentStatus status = tend_appointment_get_status (a);

  if (store == NULL || tend_appointment_get_modality (a) != TEND_MODALITY_TELEHEALTH ||
      tend_appointment_get_kind (a) != TEND_APPOINTMENT_KIND_SESSION || tend_appointment_get_client_id (a) == NULL ||
      g_strcmp0 (tend_appointment_get_clinician_id (a), tend_store_get_actor_id (store)) != 0 ||
      (status != TEND_APPOINTMENT_SCHEDULED && status != TEND_APPOINTMENT_CONFIRMED &&
       status != TEND_APPOINTMENT_ARRIVED))
    return FALSE;
  start = tend_appointment_dup_start (a);
  local = g_date_time_to_timezone (start, get_zone (self));
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  today (&now_day, get_zone (self));
  return g_date_compare (&day, &now_day) == 0;
}

/**
 * tend_calendar_page_can_start_video:
 *
 * Returns: whether @appointment's row offers "Start Video Session"
 */
gboolean
tend_calendar_page_can_start_video (TendCalendarPage *self,
                                    TendAppointment  *appointment)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);
  return can_start_video (self, appointment);
}

static void
check_in (TendCalendarPage *self,
          const char       *appointment_id)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  record = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, appointment_id, &error);
  if (record != NULL && !can_check_in (self, TEND_APPOINTMENT (record)))
    g_set_error_literal (&error, TEND_ERROR, TEND_ERROR_INVALID,
                         _("Only an in-person session today can be checked in"));
  if (record != NULL && error == NULL)
    before = TEND_APPOINTMENT (tend_record_copy (record));
  if (error != NULL ||
      !tend_appointment_set_status (TEND_APPOINTMENT (record), TEND_APPOINTMENT_ARRIVED, NULL, now, &error) ||
      !tend_store_save (get_store (self), record, &error))
    {
      toast (self, adw_toast_new (error->message));
      return;
    }
  offer_status_undo (self, before, TEND_APPOINTMENT (record));
}

/**
 * tend_calendar_page_can_check_in:
 *
 * Returns: whether the front desk's list offers to check @appointment in
 *   now (an in-person session today, not yet arrived)
 */
gboolean
tend_calendar_page_can_check_in (TendCalendarPage *self,
                                 TendAppointment  *appointment)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);
  return can_check_in (self, appointment);
}

/**
 * tend_calendar_page_undo_status:
 *
 * Takes back the last check-in, no-show or cancellation: the appointment is
 * scheduled again (or as it was) and a fee the change made is voided.
 */
gboolean
tend_calendar_page_undo_status (TendCalendarPage *self,
                                GError          **error)
{
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(TendRecord) current = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TendAppointmentStatus was, is, target;
  const char *id;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);

  if (self->status_undo == NULL)
    return TRUE;
  before = g_steal_pointer (&self->status_undo);
  id = tend_record_get_id (TEND_RECORD (before));
  current = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, id, error);
  if (current == NULL)
    return FALSE;
  was = tend_appointment_get_status (before);
  is = tend_appointment_get_status (TEND_APPOINTMENT (current));
  if (was == is)
    return TRUE;
  target = tend_appointment_status_can_change (is, was) ? was : TEND_APPOINTMENT_SCHEDULED;
  if (!tend_appointment_set_status (TEND_APPOINTMENT (current), target, NULL, now, error) ||
      !tend_schedule_save_appointment (get_store (self), TEND_APPOINTMENT (current), get_zone (self), error))
    return FALSE;
  if (is == TEND_APPOINTMENT_NO_SHOW || is == TEND_APPOINTMENT_LATE_CANCELLED)
    {
      g_autofree char *charge_id = tend_billing_charge_id_for (id, is == TEND_APPOINTMENT_NO_SHOW
                                                                   ? TEND_CHARGE_NO_SHOW : TEND_CHARGE_LATE_CANCEL);
      g_autoptr(TendRecord) charge = tend_store_load (get_store (self), TEND_TYPE_CHARGE, charge_id, NULL);

      if (charge != NULL &&
          !tend_billing_void_charge (get_store (self), charge_id, _("The no-show or cancellation was taken back"), error))
        {
          g_prefix_error (error, _("Scheduled again, but its fee stays: "));
          return FALSE;
        }
    }
  return TRUE;
}

static void
undo_status_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tend_calendar_page_undo_status (self, &error))
    toast (self, adw_toast_new (error->message));
}

static void
on_editor_status_changed_cb (TendCalendarPage *self,
                             TendAppointment  *before,
                             TendAppointment  *after)
{
  offer_status_undo (self, before, after);
}

static void
on_check_in_clicked_cb (GtkButton        *button,
                        TendCalendarPage *self)
{
  check_in (self, g_object_get_data (G_OBJECT (button), "appointment-id"));
}

/* A couple, family or group session's members are checked in one by one,
 * or marked as not come, while it is held: today, in person. */
static gboolean
can_mark_attendance (TendCalendarPage *self,
                     TendAppointment  *a)
{
  TendAppointmentStatus status = tend_appointment_get_status (a);
  g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, get_zone (self));
  GDate day, now_day;

  if (!tend_appointment_is_multi_client (a) ||
      (status != TEND_APPOINTMENT_SCHEDULED && status != TEND_APPOINTMENT_CONFIRMED &&
       status != TEND_APPOINTMENT_ARRIVED) ||
      tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH)
    return FALSE;
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, (GDateDay) g_date_time_get_day_of_month (local), (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  today (&now_day, get_zone (self));
  return g_date_compare (&day, &now_day) == 0;
}

/**
 * tend_calendar_page_mark_attendance:
 *
 * Records @client_id's attendance at the multi-client session
 * @appointment_id (the first arrival checks the session in), and offers
 * to undo it.
 */
gboolean
tend_calendar_page_mark_attendance (TendCalendarPage *self,
                                    const char       *appointment_id,
                                    const char       *client_id,
                                    TendAttendance    attendance,
                                    GError          **error)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  AdwToast *t;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);
  record = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, appointment_id, error);
  if (record == NULL)
    return FALSE;
  before = TEND_APPOINTMENT (tend_record_copy (record));
  if (!tend_appointment_set_attendance (TEND_APPOINTMENT (record), client_id, attendance, now, error) ||
      !tend_store_save (get_store (self), record, error))
    return FALSE;
  g_set_object (&self->attendance_undo, before);
  g_free (self->attendance_client);
  self->attendance_client = g_strdup (client_id);
  name = lookup_name (client_id, self);
  if (name == NULL)
    name = g_strdup (_("Client"));
  switch (attendance)
    {
    case TEND_ATTENDANCE_ATTENDED:
      message = g_strdup_printf (_("%s checked in"), name);
      break;
    case TEND_ATTENDANCE_NO_SHOW:
      message = g_strdup_printf (_("%s marked as a no-show"), name);
      break;
    case TEND_ATTENDANCE_EXPECTED:
    case TEND_ATTENDANCE_LATE_CANCELLED:
    case TEND_N_ATTENDANCES:
    default:
      message = g_strdup_printf (_("%s: %s"), name, tend_attendance_get_label (attendance));
      break;
    }
  t = adw_toast_new (message);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_action_name (t, "calendar.undo-attendance");
  toast (self, t);
  return TRUE;
}

/**
 * tend_calendar_page_undo_attendance:
 *
 * Takes back the last member's check-in or no-show: their attendance is
 * as it was (and the session's status follows).
 */
gboolean
tend_calendar_page_undo_attendance (TendCalendarPage *self,
                                    GError          **error)
{
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(TendRecord) current = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *client = NULL;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);
  if (self->attendance_undo == NULL)
    return TRUE;
  before = g_steal_pointer (&self->attendance_undo);
  client = g_steal_pointer (&self->attendance_client);
  current = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (before)), error);
  if (current == NULL)
    return FALSE;
  return tend_appointment_set_attendance (TEND_APPOINTMENT (current), client,
                                          tend_appointment_get_attendance (before, client), now, error) &&
         tend_store_save (get_store (self), current, error);
}

static void
undo_attendance_action (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tend_calendar_page_undo_attendance (self, &error))
    toast (self, adw_toast_new (error->message));
}

static void
on_attendance_clicked_cb (GtkButton        *button,
                          TendCalendarPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_calendar_page_mark_attendance (self, g_object_get_data (G_OBJECT (button), "appointment-id"),
                                           g_object_get_data (G_OBJECT (button), "client-id"),
                                           (TendAttendance) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "attendance")),
                                           &error))
    toast (self, adw_toast_new (error->message));
}

static GtkWidget *
attendance_chip (TendAttendance attendance)
{
  static const char * const icons[] = {
    "x-office-calendar-symbolic", "go-home-symbolic", "action-unavailable-symbolic", "alarm-symbolic"
  };
  static const char * const classes[] = { "scheduled", "arrived", "no_show", "late_cancelled" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_widget_add_css_class (box, "tend-status-chip");
  gtk_widget_add_css_class (box, classes[attendance]);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icons[attendance]));
  gtk_box_append (GTK_BOX (box), gtk_label_new (tend_attendance_get_label (attendance)));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

static GtkWidget *
attendance_button (TendCalendarPage *self,
                   TendAppointment  *a,
                   const char       *client_id,
                   const char       *name,
                   TendAttendance    attendance)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (attendance == TEND_ATTENDANCE_ATTENDED ? _("_Check In")
                                                                                            : _("_No-Show"));
  g_autofree char *label = g_strdup_printf (attendance == TEND_ATTENDANCE_ATTENDED ? _("Check in %s")
                                                                                     : _("Mark %s as a no-show"),
                                            name != NULL ? name : "");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "appointment-id", g_strdup (tend_record_get_id (TEND_RECORD (a))), g_free);
  g_object_set_data_full (G_OBJECT (button), "client-id", g_strdup (client_id), g_free);
  g_object_set_data (G_OBJECT (button), "attendance", GINT_TO_POINTER (attendance));
  g_signal_connect (button, "clicked", G_CALLBACK (on_attendance_clicked_cb), self);
  return button;
}

/* A multi-client session once, with a row per member: their attendance,
 * and while it is held, their own Check In and No-Show. */
static GtkWidget *
agenda_group_row (TendCalendarPage *self,
                  TendAppointment  *a,
                  const char       *title,
                  const char       *subtitle,
                  GtkWidget        *status_box,
                  gboolean         *suggested)
{
  GtkWidget *row = adw_expander_row_new ();
  g_auto(GStrv) members = tend_appointment_dup_member_ids (a);
  gboolean open = can_mark_attendance (self, a);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), status_box);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), open);
  for (guint i = 0; members[i] != NULL; i++)
    {
      g_autofree char *name = lookup_name (members[i], self);
      TendAttendance attendance = tend_appointment_effective_attendance (a, members[i]);
      GtkWidget *member = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (member), name != NULL ? name : _("Client"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (member), attendance_chip (attendance));
      if (open && attendance == TEND_ATTENDANCE_EXPECTED)
        {
          GtkWidget *in = attendance_button (self, a, members[i], name, TEND_ATTENDANCE_ATTENDED);

          if (!*suggested)
            {
              gtk_widget_add_css_class (in, "suggested-action");
              *suggested = TRUE;
            }
          adw_action_row_add_suffix (ADW_ACTION_ROW (member),
                                     attendance_button (self, a, members[i], name, TEND_ATTENDANCE_NO_SHOW));
          adw_action_row_add_suffix (ADW_ACTION_ROW (member), in);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), member);
    }
  if (!tend_appointment_is_active (a))
    gtk_widget_add_css_class (row, "tend-inactive-row");
  return row;
}

static GtkWidget *
agenda_row (TendCalendarPage *self,
            TendAppointment  *a,
            gboolean         *suggested)
{
  TendAppointmentStatus status = tend_appointment_get_status (a);
  g_autoptr(GDateTime) s = tend_appointment_dup_start (a);
  g_autoptr(GDateTime) e = tend_appointment_dup_end (a);
  g_autoptr(GDateTime) ls = g_date_time_to_timezone (s, get_zone (self));
  g_autoptr(GDateTime) le = g_date_time_to_timezone (e, get_zone (self));
  g_autofree char *from = g_date_time_format (ls, _("%H:%M"));
  g_autofree char *to = g_date_time_format (le, _("%H:%M"));
  g_autofree char *client = tend_appointment_get_client_id (a) ? lookup_name (tend_appointment_get_client_id (a), self) : NULL;
  g_autofree char *clinician = lookup_name (tend_appointment_get_clinician_id (a), self);
  g_autofree char *room = tend_appointment_get_room_id (a) ? lookup_name (tend_appointment_get_room_id (a), self) : NULL;
  g_autofree char *title = g_strdup_printf ("%s – %s  %s", from, to,
                                            client != NULL ? client : (tend_appointment_get_title (a) ? tend_appointment_get_title (a) : _("Busy")));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name (tend_appointment_status_get_icon (status));
  GtkWidget *status_label = gtk_label_new (tend_appointment_status_get_label (status));

  if (tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH)
    subtitle = g_strdup_printf ("%s · %s", clinician != NULL ? clinician : "", _("Telehealth"));
  else
    subtitle = g_strdup_printf ("%s · %s", clinician != NULL ? clinician : "", room != NULL ? room : _("No room"));

  gtk_widget_add_css_class (status_box, "tend-status-chip");
  gtk_widget_add_css_class (status_box, tend_appointment_status_to_string (status));
  gtk_box_append (GTK_BOX (status_box), icon);
  gtk_box_append (GTK_BOX (status_box), status_label);
  gtk_widget_set_valign (status_box, GTK_ALIGN_CENTER);
  if (tend_appointment_is_multi_client (a))
    {
      g_auto(GStrv) members = tend_appointment_dup_member_ids (a);
      /* TRANSLATORS: a couple, family or group session in the day's list:
       * "10:00 – 10:50  Family (3)" */
      g_autofree char *group_title = g_strdup_printf (_("%s – %s  %s (%u)"), from, to,
                                                      tend_session_type_get_label (tend_appointment_get_session_type (a)),
                                                      g_strv_length (members));

      g_object_ref_sink (row);
      g_object_unref (row);
      return agenda_group_row (self, a, group_title, subtitle, status_box, suggested);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_box);

  if (can_check_in (self, a))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Check In"));
      g_autofree char *label = g_strdup_printf (_("Check in %s"), client != NULL ? client : "");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* The next one to arrive is the suggestion; one per view. */
      if (!*suggested)
        {
          gtk_widget_add_css_class (button, "suggested-action");
          *suggested = TRUE;
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      g_object_set_data_full (G_OBJECT (button), "appointment-id",
                              g_strdup (tend_record_get_id (TEND_RECORD (a))), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_check_in_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  if (can_start_video (self, a))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Start _Video Session"));
      g_autofree char *label = g_strdup_printf (_("Start a video session with %s"), client != NULL ? client : "");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.start-video-session");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", tend_record_get_id (TEND_RECORD (a)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  if (!tend_appointment_is_active (a))
    gtk_widget_add_css_class (row, "tend-inactive-row");
  return row;
}

#define ATTENTION_DAYS 90
#define ATTENTION_ROWS 50
/* Folded, the list keeps today's sessions in sight below it. */
#define ATTENTION_FOLDED_ROWS 3

/**
 * tend_calendar_page_list_needing_attention:
 *
 * Past sessions (the last 90 days) that never got an outcome: still
 * scheduled, confirmed or checked in after they ended.  A clinician sees
 * their own; the front desk and the owner, everyone's.
 *
 * Returns: (transfer container) (element-type TendAppointment): oldest first
 */
GPtrArray *
tend_calendar_page_list_needing_attention (TendCalendarPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (get_zone (self));
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -ATTENTION_DAYS);
  TendStaff *user = self->context != NULL ? tend_context_get_user (self->context) : NULL;
  const char *ids[2] = { NULL, NULL };
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), result);

  if (get_store (self) == NULL)
    return result;
  if (user != NULL && (tend_staff_get_role (user) == TEND_ROLE_CLINICIAN ||
                       tend_staff_get_role (user) == TEND_ROLE_SUPERVISOR))
    ids[0] = tend_record_get_id (TEND_RECORD (user));
  all = tend_schedule_list (get_store (self), g_date_time_to_unix (from) * G_USEC_PER_SEC,
                            g_date_time_to_unix (now) * G_USEC_PER_SEC, ids[0] != NULL ? ids : NULL, &error);
  if (all == NULL)
    {
      g_warning ("Could not read the calendar: %s", error->message);
      return result;
    }
  for (guint i = 0; i < all->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (all, i);
      TendAppointmentStatus status = tend_appointment_get_status (a);

      if (tend_appointment_get_kind (a) == TEND_APPOINTMENT_KIND_SESSION &&
          (status == TEND_APPOINTMENT_SCHEDULED || status == TEND_APPOINTMENT_CONFIRMED ||
           status == TEND_APPOINTMENT_ARRIVED) &&
          tend_appointment_get_end_usec (a) <= g_date_time_to_unix (now) * G_USEC_PER_SEC)
        g_ptr_array_add (result, g_object_ref (a));
    }
  return result;
}

static GtkWidget *
attention_row (TendCalendarPage *self,
               TendAppointment  *a)
{
  g_autoptr(GDateTime) s = tend_appointment_dup_start (a);
  g_autoptr(GDateTime) ls = g_date_time_to_timezone (s, get_zone (self));
  g_autofree char *time = g_date_time_format (ls, _("%H:%M"));
  g_autofree char *day = NULL;
  g_autofree char *client = tend_appointment_get_client_id (a) ? lookup_name (tend_appointment_get_client_id (a), self) : NULL;
  g_autofree char *clinician = lookup_name (tend_appointment_get_clinician_id (a), self);
  g_autofree char *title = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  const char *id = tend_record_get_id (TEND_RECORD (a));
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_menu_button_new ();
  static const struct { const char *label; const char *outcome; } outcomes[] = {
    { N_("_Completed"), "completed" },
    { N_("_No-Show"), "no_show" },
    { N_("C_ancelled"), "cancelled" },
  };
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (ls), (GDateMonth) g_date_time_get_month (ls),
                  (GDateYear) g_date_time_get_year (ls));
  day = tend_date_format_local (&d);
  /* TRANSLATORS: a past session: its date, its time and who it was with */
  title = g_strdup_printf (_("%s, %s: %s"), day, time, client != NULL ? client : _("Client"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), clinician != NULL ? clinician : "");
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      /* A session checked in did not end as a no-show. */
      if (tend_appointment_get_status (a) == TEND_APPOINTMENT_ARRIVED && i > 0)
        continue;
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (_(outcomes[i].label), NULL);

        g_menu_item_set_action_and_target_value (item, "calendar.outcome", g_variant_new ("(ss)", id, outcomes[i].outcome));
        g_menu_append_item (menu, item);
      }
    }
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Outcome"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  label = g_strdup_printf (_("Outcome of the session with %s"), client != NULL ? client : _("Client"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void on_attention_fold_cb (TendCalendarPage *self);

static void
fill_attention (TendCalendarPage *self)
{
  g_autoptr(GPtrArray) due = tend_calendar_page_list_needing_attention (self);
  g_autofree char *text = NULL;
  GtkWidget *child;
  guint shown;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attention_list))) != NULL)
    gtk_list_box_remove (self->attention_list, child);
  gtk_widget_set_visible (self->attention_box, due->len > 0);
  if (due->len == 0)
    return;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u past session has no outcome: until it has one it is not charged.",
                                       "%u past sessions have no outcome: until they have one they are not charged.",
                                       due->len), due->len);
  gtk_label_set_text (self->attention_label, text);
  shown = MIN (due->len, self->attention_expanded ? ATTENTION_ROWS : ATTENTION_FOLDED_ROWS);
  for (guint i = 0; i < shown; i++)
    gtk_list_box_append (self->attention_list, attention_row (self, g_ptr_array_index (due, i)));
  if (due->len > ATTENTION_FOLDED_ROWS)
    {
      GtkWidget *fold = adw_action_row_new ();
      g_autofree char *title = NULL;

      if (!self->attention_expanded)
        /* TRANSLATORS: unfolds the list of past sessions without an outcome */
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show All %'u", "Show All %'u", due->len), due->len);
      else if (due->len > ATTENTION_ROWS)
        /* TRANSLATORS: folds the list; the oldest %u are shown while it is unfolded */
        title = g_strdup_printf (_("Show Fewer (the oldest %u are listed)"), ATTENTION_ROWS);
      else
        title = g_strdup (_("Show Fewer"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fold), title);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (fold), TRUE);
      gtk_widget_set_name (fold, "attention-fold");
      g_signal_connect_swapped (fold, "activated", G_CALLBACK (on_attention_fold_cb), self);
      gtk_list_box_append (self->attention_list, fold);
    }
}

static void
on_attention_fold_cb (TendCalendarPage *self)
{
  self->attention_expanded = !self->attention_expanded;
  fill_attention (self);
}

/**
 * tend_calendar_page_record_outcome:
 * @outcome: %TEND_APPOINTMENT_COMPLETED, %TEND_APPOINTMENT_NO_SHOW or
 *   %TEND_APPOINTMENT_CANCELLED
 *
 * Records how a past session ended, and so makes its charges as any
 * status change does.
 */
gboolean
tend_calendar_page_record_outcome (TendCalendarPage      *self,
                                   const char            *appointment_id,
                                   TendAppointmentStatus  outcome,
                                   GError               **error)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TendAppointment *a;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);

  record = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, appointment_id, error);
  if (record == NULL)
    return FALSE;
  a = TEND_APPOINTMENT (record);
  before = TEND_APPOINTMENT (tend_record_copy (record));
  start = tend_appointment_dup_start (a);
  end = tend_appointment_dup_end (a);
  switch (outcome)
    {
    case TEND_APPOINTMENT_COMPLETED:
      /* Recorded afterwards: arrived at the start, done at the end. */
      ok = (tend_appointment_get_status (a) == TEND_APPOINTMENT_ARRIVED ||
            tend_appointment_set_status (a, TEND_APPOINTMENT_ARRIVED, NULL, start, error)) &&
           tend_appointment_set_status (a, TEND_APPOINTMENT_COMPLETED, NULL, end, error);
      break;
    case TEND_APPOINTMENT_NO_SHOW:
      ok = tend_appointment_set_status (a, TEND_APPOINTMENT_NO_SHOW, NULL, end, error);
      break;
    case TEND_APPOINTMENT_CANCELLED:
      ok = tend_appointment_set_status (a, TEND_APPOINTMENT_CANCELLED, _("Recorded after the session"), now, error);
      break;
    case TEND_APPOINTMENT_SCHEDULED:
    case TEND_APPOINTMENT_CONFIRMED:
    case TEND_APPOINTMENT_ARRIVED:
    case TEND_APPOINTMENT_LATE_CANCELLED:
    case TEND_N_APPOINTMENT_STATUSES:
    default:
      g_return_val_if_reached (FALSE);
    }
  if (!ok || !tend_schedule_save_appointment (get_store (self), a, get_zone (self), error))
    return FALSE;
  offer_status_undo (self, before, a);
  return TRUE;
}

static void
outcome_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *id, *outcome;
  TendAppointmentStatus status;

  g_variant_get (param, "(&s&s)", &id, &outcome);
  status = g_strcmp0 (outcome, "completed") == 0 ? TEND_APPOINTMENT_COMPLETED
           : g_strcmp0 (outcome, "no_show") == 0 ? TEND_APPOINTMENT_NO_SHOW : TEND_APPOINTMENT_CANCELLED;
  if (!tend_calendar_page_record_outcome (self, id, status, &error))
    toast (self, adw_toast_new (error->message));
}

static void
show_agenda (TendCalendarPage *self)
{
  GtkWidget *child;
  g_autofree char *title = NULL;
  gboolean suggested = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->agenda_list))) != NULL)
    gtk_list_box_remove (self->agenda_list, child);

  set_shown (self, query (self, &self->date, 1, NULL));
  for (guint i = 0; i < self->shown->len; i++)
    gtk_list_box_append (self->agenda_list, agenda_row (self, g_ptr_array_index (self->shown, i), &suggested));
  if (self->shown->len == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty), _("No appointments on this day"));
      gtk_list_box_append (self->agenda_list, empty);
    }

  fill_attention (self);

  /* TRANSLATORS: the front desk view's heading, "Tuesday, November 24"; see strftime() */
  title = format_day (&self->date, _("%A, %B %e"));
  gtk_label_set_text (self->range_label, title);
  gtk_stack_set_visible_child_name (self->stack, "agenda");
}

void
tend_calendar_page_reload (TendCalendarPage *self)
{
  g_return_if_fail (TEND_IS_CALENDAR_PAGE (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (get_store (self) == NULL)
    return;
  /* Here rather than in the idle: a reload asked for directly (a view
   * switch) also cancels the idle, and must not drop a staff change. */
  if (self->staff_changed)
    {
      self->staff_changed = FALSE;
      fill_clinicians (self);
    }
  tend_schedule_grid_set_zone (self->grid, get_zone (self));
  gtk_widget_set_visible (GTK_WIDGET (self->clinician_dropdown),
                          g_strcmp0 (self->view, "week") == 0 || g_strcmp0 (self->view, "month") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->clinicians_button), g_strcmp0 (self->view, "day") == 0);
  /* The legend explains tiles: the views that have none do not need it. */
  gtk_widget_set_visible (GTK_WIDGET (self->legend_button),
                          g_strcmp0 (self->view, "month") != 0 && g_strcmp0 (self->view, "agenda") != 0);
  gtk_toggle_button_set_active (self->day_button, g_strcmp0 (self->view, "day") == 0);
  gtk_toggle_button_set_active (self->week_button, g_strcmp0 (self->view, "week") == 0);
  gtk_toggle_button_set_active (self->month_button, g_strcmp0 (self->view, "month") == 0);
  gtk_toggle_button_set_active (self->agenda_button, g_strcmp0 (self->view, "agenda") == 0);
  gtk_toggle_button_set_active (self->rooms_button, g_strcmp0 (self->view, "rooms") == 0);
  gtk_menu_button_set_label (self->view_menu_button, view_title (self->view));

  if (g_strcmp0 (self->view, "day") == 0)
    show_day (self);
  else if (g_strcmp0 (self->view, "rooms") == 0)
    show_rooms (self);
  else if (g_strcmp0 (self->view, "month") == 0)
    show_month (self);
  else if (g_strcmp0 (self->view, "agenda") == 0)
    show_agenda (self);
  else
    show_week (self);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (user_data);

  self->reload_source = 0;
  tend_calendar_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (TendStore        *store,
                     const char       *type_name,
                     const char       *id,
                     TendCalendarPage *self)
{
  if (g_strcmp0 (type_name, "client") == 0 || g_strcmp0 (type_name, "staff") == 0)
    g_hash_table_remove_all (self->names);
  if (g_strcmp0 (type_name, "staff") == 0)
    self->staff_changed = TRUE;
  if (self->reload_source == 0)
    /* Default priority: a change shows before animations finish. */
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT, reload_idle_cb, self, NULL);
}

static void
on_clinician_changed_cb (TendCalendarPage *self)
{
  tend_calendar_page_reload (self);
}

static void
on_appointment_activated_cb (TendCalendarPage *self,
                             const char       *id)
{
  g_autoptr(TendRecord) record = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, id, NULL);
  TendAppointmentEditor *editor;

  if (record == NULL)
    return;
  editor = tend_appointment_editor_new_for (self->context, TEND_APPOINTMENT (record));
  g_signal_connect_object (editor, "status-changed", G_CALLBACK (on_editor_status_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_create_requested_cb (TendCalendarPage *self,
                        guint             column,
                        GDateTime        *start,
                        GDateTime        *end)
{
  const char *clinician = NULL;
  TendAppointmentEditor *editor;

  /* In the day view each column is a clinician. */
  if (column < tend_schedule_grid_get_n_columns (self->grid))
    clinician = tend_schedule_grid_get_column_clinician (self->grid, column);
  editor = tend_appointment_editor_new (self->context, start, end,
                                        clinician != NULL ? clinician : selected_clinician (self));
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (editor));
}

static gboolean
save_moved (TendCalendarPage *self,
            TendAppointment  *a,
            GError          **error)
{
  gboolean ok;

  /* The store moves the client's reminder with the appointment. */
  if (tend_appointment_get_series_id (a) != NULL)
    ok = tend_schedule_edit_occurrence (get_store (self), a, TEND_SERIES_EDIT_THIS, 0, error);
  else
    ok = tend_schedule_save_appointment (get_store (self), a, get_zone (self), error);
  return ok;
}

static void
toast (TendCalendarPage *self,
       AdwToast         *t)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
  else
    g_object_unref (g_object_ref_sink (t));
}

/**
 * tend_calendar_page_move_appointment:
 * @clinician_id: (nullable): the clinician it moves to, or %NULL to keep
 * @start: the new start; the length stays
 *
 * Moves an appointment (only this one, for a series) after the same checks
 * as booking, and remembers how it was so the move can be undone.
 */
gboolean
tend_calendar_page_move_appointment (TendCalendarPage *self,
                                     const char       *id,
                                     const char       *clinician_id,
                                     GDateTime        *start,
                                     GError          **error)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(GDateTime) end = NULL;
  GTimeSpan length;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);

  record = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, id, error);
  if (record == NULL)
    return FALSE;
  before = TEND_APPOINTMENT (tend_record_copy (record));
  length = tend_appointment_get_end_usec (TEND_APPOINTMENT (record)) - tend_appointment_get_start_usec (TEND_APPOINTMENT (record));
  end = g_date_time_add (start, length);
  tend_appointment_set_times (TEND_APPOINTMENT (record), start, end);
  if (clinician_id != NULL)
    tend_record_set_string (record, "clinician_id", clinician_id);
  if (!save_moved (self, TEND_APPOINTMENT (record), error))
    return FALSE;
  g_set_object (&self->undo, before);
  return TRUE;
}

/**
 * tend_calendar_page_resize_appointment:
 * @end: the new end (after the start)
 *
 * Changes an appointment's length, with the checks of a booking; undoable
 * like a move.
 */
gboolean
tend_calendar_page_resize_appointment (TendCalendarPage *self,
                                       const char       *id,
                                       GDateTime        *end,
                                       GError          **error)
{
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(GDateTime) start = NULL;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);

  record = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, id, error);
  if (record == NULL)
    return FALSE;
  before = TEND_APPOINTMENT (tend_record_copy (record));
  start = tend_appointment_dup_start (TEND_APPOINTMENT (record));
  tend_appointment_set_times (TEND_APPOINTMENT (record), start, end);
  if (!save_moved (self, TEND_APPOINTMENT (record), error))
    return FALSE;
  g_set_object (&self->undo, before);
  return TRUE;
}

static void
on_resize_requested_cb (TendCalendarPage *self,
                        const char       *id,
                        GDateTime        *end)
{
  g_autoptr(GError) error = NULL;
  AdwToast *t;

  if (!tend_calendar_page_resize_appointment (self, id, end, &error))
    {
      t = adw_toast_new (error->message);
      adw_toast_set_timeout (t, 0);
      toast (self, t);
      return;
    }
  {
    /* TRANSLATORS: the new end of a resized appointment, "10:45"; see g_date_time_format() */
    g_autofree char *when = g_date_time_format (end, _("%H:%M"));
    g_autofree char *title = g_strdup_printf (_("Now ends at %s"), when);

    t = adw_toast_new (title);
    adw_toast_set_button_label (t, _("_Undo"));
    adw_toast_set_action_name (t, "calendar.undo-move");
    toast (self, t);
  }
}

/**
 * tend_calendar_page_undo_move:
 *
 * Puts the last moved appointment back where it was.
 */
gboolean
tend_calendar_page_undo_move (TendCalendarPage *self,
                              GError          **error)
{
  g_autoptr(TendAppointment) before = NULL;
  g_autoptr(TendRecord) current = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), FALSE);

  if (self->undo == NULL)
    return TRUE;
  before = g_steal_pointer (&self->undo);
  current = tend_store_load (get_store (self), TEND_TYPE_APPOINTMENT, tend_record_get_id (TEND_RECORD (before)), error);
  if (current == NULL)
    return FALSE;
  start = tend_appointment_dup_start (before);
  end = tend_appointment_dup_end (before);
  tend_appointment_set_times (TEND_APPOINTMENT (current), start, end);
  tend_record_set_string (current, "clinician_id", tend_appointment_get_clinician_id (before));
  return save_moved (self, TEND_APPOINTMENT (current), error);
}

static void
undo_move_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!tend_calendar_page_undo_move (self, &error))
    toast (self, adw_toast_new (error->message));
}

static void
on_move_requested_cb (TendCalendarPage *self,
                      const char       *id,
                      guint             column,
                      GDateTime        *start)
{
  g_autoptr(GError) error = NULL;
  const char *clinician = NULL;

  if (column < tend_schedule_grid_get_n_columns (self->grid))
    clinician = tend_schedule_grid_get_column_clinician (self->grid, column);
  if (!tend_calendar_page_move_appointment (self, id, clinician, start, &error))
    {
      AdwToast *t = adw_toast_new (error->message);

      adw_toast_set_timeout (t, 0);
      toast (self, t);
      return;
    }
  {
    /* TRANSLATORS: where a moved appointment now is, "Tue 10:15"; see g_date_time_format() */
    g_autofree char *when = g_date_time_format (start, _("%a %H:%M"));
    g_autofree char *title = g_strdup_printf (_("Moved to %s"), when);
    AdwToast *t = adw_toast_new (title);

    adw_toast_set_button_label (t, _("_Undo"));
    adw_toast_set_action_name (t, "calendar.undo-move");
    toast (self, t);
  }
}

static void
step (TendCalendarPage *self,
      int               direction)
{
  if (g_strcmp0 (self->view, "week") == 0)
    direction > 0 ? g_date_add_days (&self->date, 7) : g_date_subtract_days (&self->date, 7);
  else if (g_strcmp0 (self->view, "month") == 0)
    direction > 0 ? g_date_add_months (&self->date, 1) : g_date_subtract_months (&self->date, 1);
  else
    direction > 0 ? g_date_add_days (&self->date, 1) : g_date_subtract_days (&self->date, 1);
  tend_calendar_page_reload (self);
}

static void
previous_action (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  step (TEND_CALENDAR_PAGE (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  step (TEND_CALENDAR_PAGE (widget), 1);
}

static void
today (GDate     *date,
       GTimeZone *zone)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (zone != NULL ? zone : g_time_zone_new_local ());

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (now), (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

static void
today_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (widget);

  today (&self->date, get_zone (self));
  tend_calendar_page_reload (self);
}

static void
view_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  tend_calendar_page_set_view (TEND_CALENDAR_PAGE (widget), g_variant_get_string (param, NULL));
}

static void
new_action (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = tend_calendar_page_default_start (self, now);
  g_autoptr(GDateTime) end = NULL;

  end = g_date_time_add_minutes (start, SESSION_MINUTES);
  on_create_requested_cb (self, 0, start, end);
}

static void
tend_calendar_page_dispose (GObject *object)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_CALENDAR_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_object (&self->undo);
  g_clear_object (&self->status_undo);
  g_clear_object (&self->attendance_undo);
  g_clear_pointer (&self->attendance_client, g_free);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_calendar_page_parent_class)->dispose (object);
}

static void
tend_calendar_page_finalize (GObject *object)
{
  TendCalendarPage *self = TEND_CALENDAR_PAGE (object);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->clinicians, g_ptr_array_unref);
  g_clear_pointer (&self->filter_checks, g_ptr_array_unref);
  g_clear_pointer (&self->hidden, g_strfreev);
  g_clear_pointer (&self->view, g_free);
  G_OBJECT_CLASS (tend_calendar_page_parent_class)->finalize (object);
}

static void
tend_calendar_page_class_init (TendCalendarPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_calendar_page_dispose;
  object_class->finalize = tend_calendar_page_finalize;

  g_type_ensure (TEND_TYPE_SCHEDULE_GRID);
  g_type_ensure (TEND_TYPE_FIT_BIN);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/calendar/tend-calendar-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, range_label);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, clinician_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, narrow_range_label);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, narrow_clinician_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, view_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, clinicians_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, narrow_clinicians_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, legend_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, narrow_legend_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, day_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, week_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, month_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, agenda_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, rooms_button);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, grid_scroller);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, grid);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, month_grid);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, agenda_list);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, attention_box);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, attention_label);
  gtk_widget_class_bind_template_child (widget_class, TendCalendarPage, attention_list);
  gtk_widget_class_bind_template_callback (widget_class, on_appointment_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_create_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_move_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_resize_requested_cb);

  gtk_widget_class_install_action (widget_class, "calendar.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "calendar.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "calendar.today", NULL, today_action);
  gtk_widget_class_install_action (widget_class, "calendar.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "calendar.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "calendar.undo-move", NULL, undo_move_action);
  gtk_widget_class_install_action (widget_class, "calendar.undo-status", NULL, undo_status_action);
  gtk_widget_class_install_action (widget_class, "calendar.undo-attendance", NULL, undo_attendance_action);
  gtk_widget_class_install_action (widget_class, "calendar.outcome", "(ss)", outcome_action);

  /* Ctrl+N, Ctrl+T, Ctrl+1 to Ctrl+5 and Alt+Left/Right are the window's
   * (tend-window.c), so they work wherever the focus is. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "calendar.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "calendar.next", NULL);
}

static void
tend_calendar_page_init (TendCalendarPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->view = g_strdup ("week");
  today (&self->date, NULL);
  tend_schedule_grid_set_name_func (self->grid, lookup_name, self);
  g_signal_connect_swapped (self->clinician_dropdown, "notify::selected", G_CALLBACK (on_clinician_changed_cb), self);
  /* The narrow toolbar shows the same state as the wide one. */
  g_object_bind_property (self->range_label, "label", self->narrow_range_label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->clinician_dropdown, "visible", self->narrow_clinician_dropdown, "visible",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->clinician_dropdown, "model", self->narrow_clinician_dropdown, "model",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->clinician_dropdown, "selected", self->narrow_clinician_dropdown, "selected",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self->clinicians_button, "visible", self->narrow_clinicians_button, "visible",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->legend_button, "visible", self->narrow_legend_button, "visible",
                          G_BINDING_SYNC_CREATE);
  self->filter_checks = g_ptr_array_new ();
  gtk_menu_button_set_popover (self->legend_button, legend_popover_new ());
  gtk_menu_button_set_popover (self->narrow_legend_button, legend_popover_new ());
}

/* The toolbar's popovers: their content, with the usual margin. */
static GtkWidget *
popover_with (GtkWidget *popover,
              GtkWidget *box)
{
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

static GtkWidget *
legend_popover_new (void)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Legend"));
  GtkWidget *legend = tend_schedule_grid_legend_new ();

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_size_request (legend, 180, -1);
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), legend);
  return popover_with (popover, box);
}

/* The checks follow the setting (in both toolbars' popovers); the last
 * clinician shown cannot be unticked. */
static void
sync_filter_checks (TendCalendarPage *self)
{
  guint n_shown = 0;

  for (guint i = 0; self->clinicians != NULL && i < self->clinicians->len; i++)
    if (!day_hides (self, tend_record_get_id (g_ptr_array_index (self->clinicians, i))))
      n_shown++;
  self->syncing_filter = TRUE;
  for (guint i = 0; i < self->filter_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->filter_checks, i);
      gboolean shown = !day_hides (self, g_object_get_data (G_OBJECT (check), "staff-id"));

      gtk_check_button_set_active (check, shown);
      gtk_widget_set_sensitive (GTK_WIDGET (check), !shown || n_shown > 1);
    }
  self->syncing_filter = FALSE;
}

static void
on_hidden_changed_cb (GSettings        *settings,
                      const char       *key,
                      TendCalendarPage *self)
{
  g_clear_pointer (&self->hidden, g_strfreev);
  self->hidden = g_settings_get_strv (settings, "day-view-hidden-clinicians");
  sync_filter_checks (self);
  if (g_strcmp0 (self->view, "day") == 0)
    tend_calendar_page_reload (self);
}

/**
 * tend_calendar_page_set_clinician_shown:
 * @id: a clinician's staff id
 *
 * Shows or leaves out @id's column in the day view, remembered on this
 * computer (the "day-view-hidden-clinicians" setting).
 */
void
tend_calendar_page_set_clinician_shown (TendCalendarPage *self,
                                        const char       *id,
                                        gboolean          shown)
{
  GSettings *settings;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hidden = NULL;

  g_return_if_fail (TEND_IS_CALENDAR_PAGE (self));
  settings = self->context != NULL ? tend_context_get_settings (self->context) : NULL;
  if (settings == NULL)
    return;
  for (guint i = 0; self->hidden != NULL && self->hidden[i] != NULL; i++)
    if (g_strcmp0 (self->hidden[i], id) != 0)
      g_strv_builder_add (builder, self->hidden[i]);
  if (!shown)
    g_strv_builder_add (builder, id);
  hidden = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "day-view-hidden-clinicians", (const char * const *) hidden);
}

static void
on_filter_toggled_cb (GtkCheckButton   *check,
                      TendCalendarPage *self)
{
  if (self->syncing_filter)
    return;
  tend_calendar_page_set_clinician_shown (self, g_object_get_data (G_OBJECT (check), "staff-id"),
                                          gtk_check_button_get_active (check));
}

static void
on_show_all_clicked_cb (GtkButton        *button,
                        TendCalendarPage *self)
{
  GSettings *settings = self->context != NULL ? tend_context_get_settings (self->context) : NULL;

  if (settings != NULL)
    g_settings_reset (settings, "day-view-hidden-clinicians");
}

static GtkWidget *
filter_popover_new (TendCalendarPage *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Clinicians in the Day View"));
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *all = gtk_button_new_with_mnemonic (_("Show _All"));

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (box), heading);
  for (guint i = 0; self->clinicians != NULL && i < self->clinicians->len; i++)
    {
      TendStaff *s = g_ptr_array_index (self->clinicians, i);
      g_autofree char *name = g_strdup_printf ("%s %s", tend_staff_get_given_name (s), tend_staff_get_family_name (s));
      GtkWidget *check = gtk_check_button_new_with_label (name);

      g_object_set_data_full (G_OBJECT (check), "staff-id", g_strdup (tend_record_get_id (TEND_RECORD (s))), g_free);
      g_signal_connect (check, "toggled", G_CALLBACK (on_filter_toggled_cb), self);
      gtk_box_append (GTK_BOX (list), check);
      g_ptr_array_add (self->filter_checks, check);
    }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_box_append (GTK_BOX (box), scroller);
  g_signal_connect (all, "clicked", G_CALLBACK (on_show_all_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), all);
  return popover_with (popover, box);
}

/* Both toolbars' filters, made again when the clinicians change. */
static void
fill_filters (TendCalendarPage *self)
{
  g_ptr_array_set_size (self->filter_checks, 0);
  gtk_menu_button_set_popover (self->clinicians_button, filter_popover_new (self));
  gtk_menu_button_set_popover (self->narrow_clinicians_button, filter_popover_new (self));
  sync_filter_checks (self);
}

static void
fill_clinicians (TendCalendarPage *self)
{
  g_autoptr(GPtrArray) staff = tend_store_list (get_store (self), TEND_TYPE_STAFF, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  TendStaff *user = tend_context_get_user (self->context);
  guint selected = 0;
  const char *current = selected_clinician (self);
  g_autofree char *keep = g_strdup (current != NULL ? current
                                    : user != NULL ? tend_record_get_id (TEND_RECORD (user)) : NULL);

  g_autoptr(GHashTable) colors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Read once here (and again when staff change), not on every reload. */
  g_clear_pointer (&self->clinicians, g_ptr_array_unref);
  self->clinicians = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      TendStaff *s = g_ptr_array_index (staff, i);
      g_autofree char *name = NULL;

      if (!tend_staff_sees_clients (s))
        continue;
      g_hash_table_insert (colors, g_strdup (tend_record_get_id (TEND_RECORD (s))), g_strdup (tend_staff_get_color (s)));
      name = g_strdup_printf ("%s %s", tend_staff_get_given_name (s), tend_staff_get_family_name (s));
      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (s)), keep) == 0)
        selected = self->clinicians->len;
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->clinicians, g_object_ref (s));
    }
  g_signal_handlers_block_by_func (self->clinician_dropdown, on_clinician_changed_cb, self);
  gtk_drop_down_set_model (self->clinician_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->clinician_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->clinician_dropdown, on_clinician_changed_cb, self);
  tend_schedule_grid_set_clinician_colors (self->grid, colors);
  fill_filters (self);
}

void
tend_calendar_page_set_context (TendCalendarPage *self,
                                TendContext      *context)
{
  TendStaff *user;

  g_return_if_fail (TEND_IS_CALENDAR_PAGE (self));

  if (self->context == context)
    return;
  g_set_object (&self->context, context);
  g_hash_table_remove_all (self->names);
  if (context == NULL || get_store (self) == NULL)
    return;

  g_signal_connect_object (get_store (self), "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  if (tend_context_get_settings (context) != NULL)
    {
      g_clear_pointer (&self->hidden, g_strfreev);
      self->hidden = g_settings_get_strv (tend_context_get_settings (context), "day-view-hidden-clinicians");
      g_signal_connect_object (tend_context_get_settings (context), "changed::day-view-hidden-clinicians",
                               G_CALLBACK (on_hidden_changed_cb), self, 0);
    }
  today (&self->date, get_zone (self));
  fill_clinicians (self);
  /* The front desk starts on today's list; clinicians on their week. */
  user = tend_context_get_user (context);
  g_free (self->view);
  self->view = g_strdup (user != NULL && tend_staff_get_role (user) == TEND_ROLE_FRONT_DESK ? "agenda" : "week");
  tend_calendar_page_reload (self);
}

void
tend_calendar_page_set_view (TendCalendarPage *self,
                             const char       *view)
{
  g_return_if_fail (TEND_IS_CALENDAR_PAGE (self));

  g_free (self->view);
  self->view = g_strdup (view);
  tend_calendar_page_reload (self);
}

TendScheduleGrid *
tend_calendar_page_get_grid (TendCalendarPage *self)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), NULL);
  return self->grid;
}

GtkListBox *
tend_calendar_page_get_agenda (TendCalendarPage *self)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), NULL);
  return self->agenda_list;
}

/* The past sessions without an outcome, as shown (folded to a few rows,
 * with a last row that unfolds or folds the list). */
GtkListBox *
tend_calendar_page_get_attention (TendCalendarPage *self)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), NULL);
  return self->attention_list;
}

guint
tend_calendar_page_get_n_shown (TendCalendarPage *self)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), 0);
  return self->shown != NULL ? self->shown->len : 0;
}

const char *
tend_calendar_page_get_view (TendCalendarPage *self)
{
  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), NULL);
  return self->view;
}

/**
 * tend_calendar_page_get_date:
 * @date: (out): the day the view shows (or the week or month holding it)
 */
void
tend_calendar_page_get_date (TendCalendarPage *self,
                             GDate            *date)
{
  g_return_if_fail (TEND_IS_CALENDAR_PAGE (self));
  *date = self->date;
}

/**
 * tend_calendar_page_default_start:
 * @now: the time it is
 *
 * Where a new booking (Ctrl+N) starts: on the day shown, or today if that
 * is past, at the first whole hour from now within the clinician's working
 * hours, else at the start of their next working day.  Someone without
 * working hours works 09:00 to 17:00 on weekdays.  At 22:00 it is
 * tomorrow morning, not 20:00 tonight.
 *
 * Returns: (transfer full): the start, in the practice's time zone
 */
GDateTime *
tend_calendar_page_default_start (TendCalendarPage *self,
                                  GDateTime        *now)
{
  g_autoptr(GTimeZone) local_zone = g_time_zone_new_local ();
  GTimeZone *zone = get_zone (self) != NULL ? get_zone (self) : local_zone;
  g_autoptr(GDateTime) local_now = g_date_time_to_timezone (now, zone);
  const char *id = selected_clinician (self);
  TendStaff *staff = self->context != NULL ? tend_context_get_user (self->context) : NULL;
  GDate today_d, day;

  g_return_val_if_fail (TEND_IS_CALENDAR_PAGE (self), NULL);

  if (find_clinician (self, id) != NULL)
    staff = find_clinician (self, id);
  g_date_clear (&today_d, 1);
  g_date_set_dmy (&today_d, (GDateDay) g_date_time_get_day_of_month (local_now),
                  (GDateMonth) g_date_time_get_month (local_now), (GDateYear) g_date_time_get_year (local_now));
  day = g_date_compare (&self->date, &today_d) < 0 ? today_d : self->date;
  for (guint k = 0; k < 28; k++, g_date_add_days (&day, 1))
    {
      guint weekday = g_date_get_weekday (&day);
      guint from, to;

      if (staff != NULL && tend_staff_has_working_hours (staff))
        {
          if (!tend_staff_get_working_hours (staff, weekday, &from, &to))
            continue;
        }
      else if (weekday >= G_DATE_SATURDAY)
        continue;
      else
        from = 9 * 60, to = 17 * 60;
      if (g_date_compare (&day, &today_d) == 0)
        from = MAX (from, (guint) (g_date_time_get_hour (local_now) + 1) * 60);
      if (from + SESSION_MINUTES > to)
        continue;
      return g_date_time_new (zone, g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day),
                              (int) (from / 60), (int) (from % 60), 0);
    }
  return g_date_time_new (zone, g_date_get_year (&self->date), g_date_get_month (&self->date),
                          g_date_get_day (&self->date), 9, 0, 0);
}
