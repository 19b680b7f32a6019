/* tend-hours-group.c: a staff member's working hours, a row per weekday
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seven rows, Monday first, each with a switch (works that day) and the
 * start and end as HH:MM in the practice's zone.  Used for one's own hours
 * (Preferences) and by an owner for anyone's (the Staff page); the staff
 * record's own validation says what is wrong with them.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-hours-group.h"

struct _TendHoursGroup
{
  AdwPreferencesGroup parent_instance;

  GtkSwitch *day_switch[7];
  GtkEntry  *day_start[7];
  GtkEntry  *day_end[7];
};

G_DEFINE_FINAL_TYPE (TendHoursGroup, tend_hours_group, ADW_TYPE_PREFERENCES_GROUP)

static const char * const day_keys[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static GtkWidget *
time_entry (const char *label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 5);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), 5);
  gtk_widget_set_hexpand (entry, FALSE);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return entry;
}

static void
tend_hours_group_class_init (TendHoursGroupClass *klass)
{
}

static void
tend_hours_group_init (TendHoursGroup *self)
{
  GDate monday;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Working Hours"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Bookings outside these hours are refused unless the front desk or an owner books anyway. Times are in the practice’s time zone, like 09:00."));
  g_date_clear (&monday, 1);
  g_date_set_dmy (&monday, 7, G_DATE_DECEMBER, 2026); /* a Monday */
  for (guint d = 0; d < 7; d++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      GtkWidget *from = time_entry (_("Starts"));
      GtkWidget *to = time_entry (_("Ends"));
      GDate day = monday;
      char name[64];

      g_date_add_days (&day, d);
      if (g_date_strftime (name, sizeof name, "%A", &day) == 0)
        g_strlcpy (name, day_keys[d], sizeof name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      g_object_bind_property (sw, "active", from, "sensitive", G_BINDING_SYNC_CREATE);
      g_object_bind_property (sw, "active", to, "sensitive", G_BINDING_SYNC_CREATE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), from);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new ("–"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), to);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      self->day_switch[d] = GTK_SWITCH (sw);
      self->day_start[d] = GTK_ENTRY (from);
      self->day_end[d] = GTK_ENTRY (to);
    }
}

GtkWidget *
tend_hours_group_new (void)
{
  return g_object_new (TEND_TYPE_HOURS_GROUP, NULL);
}

/**
 * tend_hours_group_set_day:
 * @weekday: 1 (Monday) to 7
 * @start: (nullable): "09:00", or %NULL for a day off
 */
void
tend_hours_group_set_day (TendHoursGroup *self,
                          guint           weekday,
                          const char     *start,
                          const char     *end)
{
  g_return_if_fail (TEND_IS_HOURS_GROUP (self));
  g_return_if_fail (weekday >= 1 && weekday <= 7);

  gtk_switch_set_active (self->day_switch[weekday - 1], start != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->day_start[weekday - 1]), start != NULL ? start : "");
  gtk_editable_set_text (GTK_EDITABLE (self->day_end[weekday - 1]), end != NULL ? end : "");
}

/**
 * tend_hours_group_show:
 * @staff: (nullable): whose hours to show; %NULL for none
 */
void
tend_hours_group_show (TendHoursGroup *self,
                       TendStaff      *staff)
{
  g_return_if_fail (TEND_IS_HOURS_GROUP (self));

  for (guint d = 0; d < 7; d++)
    {
      guint a, b;

      if (staff != NULL && tend_staff_get_working_hours (staff, d + 1, &a, &b))
        {
          g_autofree char *s1 = g_strdup_printf ("%02u:%02u", a / 60, a % 60);
          g_autofree char *s2 = g_strdup_printf ("%02u:%02u", b / 60, b % 60);

          tend_hours_group_set_day (self, d + 1, s1, s2);
        }
      else
        tend_hours_group_set_day (self, d + 1, NULL, NULL);
    }
}

/**
 * tend_hours_group_apply:
 * @staff: a staff record to change (not yet saved)
 *
 * Puts the hours shown into @staff; a day whose switch is off has none.
 */
void
tend_hours_group_apply (TendHoursGroup *self,
                        TendRecord     *staff)
{
  g_return_if_fail (TEND_IS_HOURS_GROUP (self));
  g_return_if_fail (TEND_IS_STAFF (staff));

  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *start_key = g_strdup_printf ("working_hours.%s.start", day_keys[d]);
      g_autofree char *end_key = g_strdup_printf ("working_hours.%s.end", day_keys[d]);
      gboolean works = gtk_switch_get_active (self->day_switch[d]);
      const char *start = gtk_editable_get_text (GTK_EDITABLE (self->day_start[d]));
      const char *end = gtk_editable_get_text (GTK_EDITABLE (self->day_end[d]));

      tend_record_set_string (staff, start_key, works && *start != '\0' ? start : NULL);
      tend_record_set_string (staff, end_key, works && *end != '\0' ? end : NULL);
    }
}
