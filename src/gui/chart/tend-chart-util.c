/* tend-chart-util.c: small pieces the chart's tabs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-chart-util.h"

/* An action row of client text: never markup ("&" and "<" are text). */
GtkWidget *
tend_chart_ui_row_new (const char *title,
                       const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

void
tend_chart_ui_add_row (GtkWidget  *group,
                       const char *title,
                       const char *subtitle)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), tend_chart_ui_row_new (title, subtitle));
}

/* A group appended to @page. */
GtkWidget *
tend_chart_ui_group_new (GtkBox     *page,
                         const char *title,
                         const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (page, group);
  return group;
}

/* The chart's button that asks to break the glass (the "chart.break-glass"
 * action of TendChartPage). */
GtkWidget *
tend_chart_ui_break_glass_button_new (void)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Break the Glass…"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "chart.break-glass");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  return button;
}

/* A read that failed, as one row of a group (the overview's): an empty
 * group would say there is nothing, which in a clinical record is false. */
GtkWidget *
tend_chart_ui_error_row_new (const GError *error)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("You don’t have access to this chart"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("changes-prevent-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tend_chart_ui_break_glass_button_new ());
      gtk_widget_add_css_class (row, "tend-chart-locked");
      return row;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Could not be read"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error != NULL ? error->message : _("The store gave no reason."));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_widget_add_css_class (row, "error");
  gtk_widget_add_css_class (row, "tend-read-error");
  return row;
}

void
tend_chart_ui_add_error_row (GtkWidget    *group,
                             const GError *error)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), tend_chart_ui_error_row_new (error));
}

GtkWidget *
tend_chart_ui_text_label (const char *text,
                          const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* Text in a framed view (a plan's outline, a safety plan). */
GtkWidget *
tend_chart_ui_text_frame (const char *text)
{
  GtkWidget *label = tend_chart_ui_text_label (text, NULL);
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_frame_set_child (GTK_FRAME (frame), label);
  gtk_widget_add_css_class (frame, "view");
  return frame;
}

void
tend_chart_ui_clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

/* A YYYY-MM-DD date in the locale's format ("—" when absent). */
char *
tend_chart_ui_format_date (const char *iso)
{
  GDate d;

  if (iso == NULL || !tend_date_parse (iso, &d, NULL))
    return g_strdup (iso != NULL ? iso : "—");
  return tend_date_format_local (&d);
}

/* The day of an RFC 3339 time in @zone, in the locale's format ("—" when
 * absent or unreadable). */
char *
tend_chart_ui_format_day_of (const char *iso,
                             GTimeZone  *zone)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;

  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (utc, zone);
  day = g_date_time_format (local, "%Y-%m-%d");
  return tend_chart_ui_format_date (day);
}

/* An RFC 3339 time in @zone. */
char *
tend_chart_ui_format_time (const char *iso,
                           GTimeZone  *zone)
{
  g_autoptr(GDateTime) utc = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  return utc != NULL ? tend_time_format_local (utc, zone) : g_strdup (iso != NULL ? iso : "");
}

/* Today in @zone, YYYY-MM-DD. */
char *
tend_chart_ui_today (GTimeZone *zone)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  return g_date_time_format (now, "%Y-%m-%d");
}

GtkWindow *
tend_chart_ui_parent_window (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
tend_chart_ui_show_error (GtkWidget    *widget,
                          const char   *heading,
                          const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (tend_chart_ui_parent_window (widget), heading,
                                              error != NULL ? error->message : NULL);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Shows @toast (taking it) in the chart's overlay. */
void
tend_chart_ui_toast (GtkWidget *widget,
                     AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

void
tend_chart_ui_toast_text (GtkWidget  *widget,
                          const char *text)
{
  tend_chart_ui_toast (widget, adw_toast_new (text));
}

/* A cache of staff names by id, for one refresh. */
GHashTable *
tend_chart_ui_names_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

const char *
tend_chart_ui_staff_name (TendStore  *store,
                          GHashTable *names,
                          const char *staff_id)
{
  char *name;

  if (staff_id == NULL)
    return "—";
  name = g_hash_table_lookup (names, staff_id);
  if (name == NULL)
    {
      name = tend_store_dup_display_name (store, TEND_TYPE_STAFF, staff_id);
      if (name == NULL)
        name = g_strdup ("—");
      g_hash_table_insert (names, g_strdup (staff_id), name);
    }
  return name;
}

void
tend_chart_ui_list_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* Shows a read that failed in the tab (the read error page of its
 * template's stack), or the tab's content again. */
void
tend_chart_ui_show_read_error (GtkStack           *stack,
                               TendChartReadError *page,
                               const GError       *error)
{
  if (error == NULL)
    {
      gtk_stack_set_visible_child_name (stack, "content");
      return;
    }
  tend_chart_read_error_set_error (page, error);
  gtk_stack_set_visible_child_name (stack, "error");
}

/* A list of rows is shown only when it has some. */
void
tend_chart_ui_list_update_visible (GtkListBox *list)
{
  gtk_widget_set_visible (GTK_WIDGET (list), gtk_widget_get_first_child (GTK_WIDGET (list)) != NULL);
}

/* "03/02/2026 — SOAP note" */
char *
tend_chart_ui_note_title (TendClinicalNote *note)
{
  g_autofree char *date = tend_chart_ui_format_date (tend_clinical_note_get_service_date (note));
  g_autofree char *name = tend_clinical_note_dup_template_name (note);

  /* TRANSLATORS: "03/02/2026 — SOAP note" */
  return g_strdup_printf (_("%s — %s"), date, name);
}

/* Who wrote the note and where it stands: a draft (overdue after
 * @overdue_days, said in @overdue), signed, or waiting for the
 * supervisor's co-signature. */
char *
tend_chart_ui_note_status (TendStore        *store,
                           GTimeZone        *zone,
                           guint             overdue_days,
                           TendClinicalNote *note,
                           GHashTable       *names,
                           gboolean         *overdue)
{
  const char *author = tend_chart_ui_staff_name (store, names, tend_clinical_note_get_author_id (note));

  if (!tend_clinical_note_is_signed (note))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (zone);
      GDate today, d;

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                      (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
      if (tend_date_parse (tend_clinical_note_get_service_date (note), &d, NULL) &&
          g_date_days_between (&d, &today) > (int) overdue_days)
        {
          if (overdue != NULL)
            *overdue = TRUE;
          /* TRANSLATORS: author, days */
          return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · Draft, unsigned for %d day",
                                               "%s · Draft, unsigned for %d days", g_date_days_between (&d, &today)),
                                  author, g_date_days_between (&d, &today));
        }
      return g_strdup_printf (_("%s · Draft"), author);
    }
  if (tend_clinical_note_get_cosign_required_by (note) != NULL && tend_clinical_note_get_cosigned_by (note) == NULL)
    return g_strdup_printf (_("%s · Signed, waiting for co-signature"), author);
  return g_strdup_printf (_("%s · Signed"), author);
}

/* A note's row in a list: it opens the note through the chart page's
 * "chart.open-note" action. */
GtkWidget *
tend_chart_ui_note_row_new (TendStore        *store,
                            GTimeZone        *zone,
                            guint             overdue_days,
                            TendClinicalNote *note,
                            GHashTable       *names)
{
  g_autofree char *title = tend_chart_ui_note_title (note);
  gboolean overdue = FALSE;
  g_autofree char *status = tend_chart_ui_note_status (store, zone, overdue_days, note, names, &overdue);
  GtkWidget *row = tend_chart_ui_row_new (title, status);
  gboolean is_signed = tend_clinical_note_is_signed (note);
  GtkWidget *icon = gtk_image_new_from_icon_name (is_signed ? "changes-prevent-symbolic" : "document-edit-symbolic");

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  is_signed ? _("Signed") : _("Draft"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "chart.open-note");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", tend_record_get_id (TEND_RECORD (note)));
  if (overdue)
    gtk_widget_add_css_class (row, "tend-overdue");
  return row;
}

/* A session's day and time in @zone: "Tue 03/03/2026 09:00", in the
 * locale's words. */
char *
tend_chart_ui_format_session (TendAppointment *appointment,
                              GTimeZone       *zone)
{
  g_autoptr(GDateTime) start = tend_appointment_dup_start (appointment);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);
  g_autofree char *day = g_date_time_format (local, "%a");
  g_autofree char *when = tend_time_format_date_time (local);

  return g_strdup_printf ("%s %s", day, when);
}

/* For a template widget's dispose: the template's children without an id
 * are not bound, and gtk_widget_dispose_template () leaves them. */
void
tend_chart_ui_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}
