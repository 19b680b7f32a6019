/* tend-date-row.c: entry rows for a date or a time of day, typed or picked
 *
 * A date row shows the locale's numeric date with a four-digit year
 * ("03/14/1987", "14/03/1987") and takes what a person types that way or
 * as YYYY-MM-DD; the calendar button beside it picks one instead.  A time
 * row takes "9:30" or "09:30" and has hour and minute spinners beside it.
 * Records keep YYYY-MM-DD and HH:MM whatever the locale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-core.h"
#include "tend-date-row.h"

static GtkWidget *
picker_button (GtkWidget  *row,
               const char *icon,
               const char *tooltip,
               GtkWidget  *content)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();

  gtk_popover_set_child (GTK_POPOVER (popover), content);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), icon);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  g_object_set_data (G_OBJECT (row), "tend-picker", button);
  return popover;
}

/* Dates */

static void
on_day_selected_cb (GtkCalendar *calendar,
                    GtkWidget   *row)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *text = NULL;
  GDate d;

  if (g_object_get_data (G_OBJECT (row), "tend-syncing") != NULL)
    return;
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, (GDateDay) g_date_time_get_day_of_month (picked), (GDateMonth) g_date_time_get_month (picked),
                  (GDateYear) g_date_time_get_year (picked));
  text = tend_date_format_entry (&d);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER)));
}

/* Opening the calendar shows the typed date, or today. */
static void
on_date_popover_show_cb (GtkWidget *popover,
                         GtkWidget *row)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (GTK_POPOVER (popover)));
  g_autoptr(GDateTime) shown = NULL;
  GDate d;

  if (tend_date_parse_local (gtk_editable_get_text (GTK_EDITABLE (row)), &d, NULL))
    shown = g_date_time_new_local (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d), 0, 0, 0);
  else
    shown = g_date_time_new_now_local ();
  g_object_set_data (G_OBJECT (row), "tend-syncing", GINT_TO_POINTER (1));
  gtk_calendar_select_day (calendar, shown);
  g_object_set_data (G_OBJECT (row), "tend-syncing", NULL);
}

/**
 * tend_date_row_new:
 *
 * Returns: (transfer floating): an #AdwEntryRow for a date, with a
 *   calendar to pick it from
 */
GtkWidget *
tend_date_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *calendar = gtk_calendar_new ();
  GtkWidget *popover;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  popover = picker_button (row, "x-office-calendar-symbolic", _("Choose the date"), calendar);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (on_day_selected_cb), row);
  g_signal_connect (popover, "show", G_CALLBACK (on_date_popover_show_cb), row);
  g_object_set_data (G_OBJECT (row), "tend-calendar", calendar);
  return row;
}

/* @iso: YYYY-MM-DD, or %NULL for none; anything else is shown as it is. */
void
tend_date_row_set_date (GtkWidget  *row,
                        const char *iso)
{
  GDate d;

  if (iso != NULL && tend_date_parse (iso, &d, NULL))
    {
      g_autofree char *text = tend_date_format_entry (&d);

      gtk_editable_set_text (GTK_EDITABLE (row), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (row), iso != NULL ? iso : "");
}

/**
 * tend_date_row_get_date:
 * @iso: (out) (nullable): YYYY-MM-DD, or %NULL when the row is empty
 *
 * Returns: %FALSE, with @error saying how to type a date, when the row
 *   holds something that is not one
 */
gboolean
tend_date_row_get_date (GtkWidget  *row,
                        char      **iso,
                        GError    **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  GDate d;

  *iso = NULL;
  if (*text == '\0')
    return TRUE;
  if (!tend_date_parse_local (text, &d, error))
    return FALSE;
  *iso = tend_date_to_string (&d);
  return TRUE;
}

/* Times of day */

static void
on_time_spin_changed_cb (GtkSpinButton *spin,
                         GtkWidget     *row)
{
  GtkSpinButton *hours = g_object_get_data (G_OBJECT (row), "tend-hours");
  GtkSpinButton *minutes = g_object_get_data (G_OBJECT (row), "tend-minutes");
  g_autofree char *text = NULL;

  if (g_object_get_data (G_OBJECT (row), "tend-syncing") != NULL)
    return;
  text = g_strdup_printf ("%02d:%02d", gtk_spin_button_get_value_as_int (hours), gtk_spin_button_get_value_as_int (minutes));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Two digits always: "09", not "9". */
static gboolean
on_time_spin_output_cb (GtkSpinButton *spin,
                        gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
on_time_popover_show_cb (GtkWidget *popover,
                         GtkWidget *row)
{
  int minutes = 9 * 60;

  if (!tend_time_row_get_time (row, &minutes, NULL) || minutes < 0)
    minutes = 9 * 60;
  g_object_set_data (G_OBJECT (row), "tend-syncing", GINT_TO_POINTER (1));
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (row), "tend-hours"), minutes / 60);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (row), "tend-minutes"), minutes % 60);
  g_object_set_data (G_OBJECT (row), "tend-syncing", NULL);
}

static GtkWidget *
time_spin (GtkWidget  *row,
           int         max,
           int         step,
           const char *label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, step);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (spin), GTK_ORIENTATION_VERTICAL);
  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (spin, "output", G_CALLBACK (on_time_spin_output_cb), NULL);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_time_spin_changed_cb), row);
  return spin;
}

/**
 * tend_time_row_new:
 *
 * Returns: (transfer floating): an #AdwEntryRow for a time of day, with
 *   hour and minute spinners (five-minute steps) to set it
 */
GtkWidget *
tend_time_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *hours = time_spin (row, 23, 1, _("Hour"));
  GtkWidget *minutes = time_spin (row, 59, 5, _("Minutes"));
  GtkWidget *colon = gtk_label_new (":");
  GtkWidget *popover;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (colon, "title-2");
  gtk_box_append (GTK_BOX (box), hours);
  gtk_box_append (GTK_BOX (box), colon);
  gtk_box_append (GTK_BOX (box), minutes);
  g_object_set_data (G_OBJECT (row), "tend-hours", hours);
  g_object_set_data (G_OBJECT (row), "tend-minutes", minutes);
  popover = picker_button (row, "preferences-system-time-symbolic", _("Choose the time"), box);
  g_signal_connect (popover, "show", G_CALLBACK (on_time_popover_show_cb), row);
  return row;
}

/* @minutes: since midnight, or -1 for none. */
void
tend_time_row_set_time (GtkWidget *row,
                        int        minutes)
{
  g_autofree char *text = minutes >= 0 ? g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60) : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/**
 * tend_time_row_get_time:
 * @minutes: (out): since midnight, or -1 when the row is empty
 *
 * Takes "9:30" as well as "09:30".
 *
 * Returns: %FALSE, with @error saying how to type a time, when the row
 *   holds something that is not one
 */
gboolean
tend_time_row_get_time (GtkWidget *row,
                        int       *minutes,
                        GError   **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *padded = NULL;
  guint m = 0;

  *minutes = -1;
  if (*text == '\0')
    return TRUE;
  padded = strlen (text) == 4 && text[1] == ':' ? g_strconcat ("0", text, NULL) : g_strdup (text);
  if (!tend_time_of_day_parse (padded, &m) || m >= 24 * 60)
    {
      /* TRANSLATORS: "“25:00” is not a time of day: type it like 09:30" */
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("“%s” is not a time of day: type it like %s"), text, "09:30");
      return FALSE;
    }
  *minutes = (int) m;
  return TRUE;
}
