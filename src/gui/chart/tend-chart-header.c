/* tend-chart-header.c: the top of a client's chart: who (age, pronouns,
 * record number, clinician, status), the next appointment, and the
 * alerts: emergency access, a risk answered on the latest PHQ-9, a
 * treatment plan due for review
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not knowing is not the same as nothing to say: a read that fails shows
 * as an alert with the store's message, never as no alert.  Back, Export
 * and Cancel are the chart page's actions ("chart.back", "chart.export",
 * "chart.cancel-export").
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-header.h"
#include "tend-chart-util.h"

/* Days before a plan's review date that the header warns of it. */
#define REVIEW_WARNING_DAYS 14

struct _TendChartHeader
{
  TendChartTab    parent_instance;

  gboolean        risk;

  AdwAvatar      *avatar;
  GtkLabel       *name_label;
  GtkLabel       *details_label;
  GtkLabel       *next_label;
  GtkWidget      *export_button;
  GtkBox         *alerts;
  GtkRevealer    *progress_revealer;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (TendChartHeader, tend_chart_header, TEND_TYPE_CHART_TAB)

static void
add_alert (TendChartHeader *self,
           const char      *text,
           const char      *css)
{
  GtkWidget *alert = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (alert), TRUE);
  gtk_label_set_xalign (GTK_LABEL (alert), 0);
  gtk_widget_add_css_class (alert, "tend-alert");
  gtk_widget_add_css_class (alert, css);
  gtk_box_append (self->alerts, alert);
}

static void
get_today (GTimeZone *zone,
           GDate     *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

static void
show_details (TendChartHeader *self,
              GHashTable      *names)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendClient *client = tend_chart_tab_get_client (tab);
  g_autofree char *display = tend_client_dup_display_name (client);
  g_autoptr(GString) details = g_string_new (NULL);
  GDate today;
  int age;

  get_today (tend_chart_tab_get_zone (tab), &today);
  adw_avatar_set_text (self->avatar, display);
  gtk_label_set_text (self->name_label, display);
  age = tend_client_get_age (client, &today);
  if (age >= 0)
    /* TRANSLATORS: an age in years */
    g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", age), age);
  if (tend_client_get_pronouns (client) != NULL)
    g_string_append_printf (details, "%s%s", details->len ? " · " : "", tend_client_get_pronouns (client));
  if (tend_client_get_record_number (client) != NULL)
    g_string_append_printf (details, "%s%s", details->len ? " · " : "", tend_client_get_record_number (client));
  if (tend_client_get_primary_clinician (client) != NULL)
    g_string_append_printf (details, "%s%s", details->len ? " · " : "",
                            tend_chart_ui_staff_name (tend_chart_tab_get_store (tab), names,
                                                      tend_client_get_primary_clinician (client)));
  if (tend_client_get_status (client) != TEND_CLIENT_STATUS_ACTIVE)
    g_string_append_printf (details, " · %s", tend_client_status_get_label (tend_client_get_status (client)));
  gtk_label_set_text (self->details_label, details->str);
}

static void
show_next_session (TendChartHeader *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) next = tend_chart_list_sessions (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab),
                                                        g_get_real_time (), TRUE, 1, &error);

  if (next == NULL)
    {
      /* TRANSLATORS: the store's message */
      g_autofree char *text = g_strdup_printf (_("Next appointment: could not be read (%s)"), error->message);

      gtk_label_set_text (self->next_label, text);
    }
  else if (next->len > 0)
    {
      g_autofree char *when = tend_chart_ui_format_session (g_ptr_array_index (next, 0), tend_chart_tab_get_zone (tab));
      g_autofree char *text = g_strdup_printf (_("Next appointment: %s"), when);

      gtk_label_set_text (self->next_label, text);
    }
  else
    gtk_label_set_text (self->next_label, _("No appointment booked"));
}

/* The glass broken on this chart: the person's own emergency access, or
 * who else broke it and why (the chart's clinician, a supervisor and the
 * owner see it here). */
static void
add_access_alerts (TendChartHeader *self,
                   gboolean         locked,
                   GHashTable      *names)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  TendStore *store = tend_chart_tab_get_store (tab);
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *me = tend_store_get_actor_id (store);

  if (locked)
    {
      add_alert (self, _("You are not on this client’s chart: its clinical pages are closed to you."), "warning");
      return;
    }
  access = tend_chart_list_access (store, tend_chart_tab_get_client_id (tab), &error);
  if (access == NULL)
    {
      /* TRANSLATORS: the store's message */
      g_autofree char *text = g_strdup_printf (_("Who else reads this chart could not be read: %s"), error->message);

      add_alert (self, text, "warning");
      return;
    }
  for (guint i = 0; i < access->len; i++)
    {
      TendChartAccess *a = g_ptr_array_index (access, i);
      g_autofree char *until = NULL;
      g_autofree char *text = NULL;

      if (tend_chart_access_get_kind (a) != TEND_CHART_ACCESS_EMERGENCY || !tend_chart_access_is_live (a, now))
        continue;
      until = tend_chart_ui_format_time (tend_chart_access_get_until (a), tend_chart_tab_get_zone (tab));
      if (g_strcmp0 (tend_chart_access_get_staff_id (a), me) == 0)
        /* Translators: %s is a date and time */
        text = g_strdup_printf (_("Emergency access: you broke the glass on this chart. It ends %s, and what you "
                                  "read is audited."), until);
      else
        /* Translators: a person's name, then the reason they gave, then a date and time */
        text = g_strdup_printf (_("%s broke the glass on this chart: “%s”. Their access ends %s."),
                                tend_chart_ui_staff_name (store, names, tend_chart_access_get_staff_id (a)),
                                tend_chart_access_get_reason (a), until);
      add_alert (self, text, "warning");
    }
}

static void
add_review_alert (TendChartHeader *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) plans = tend_chart_list_plans (tend_chart_tab_get_store (tab), tend_chart_tab_get_client_id (tab),
                                                      &error);
  const char *review = plans != NULL && plans->len > 0
                       ? tend_treatment_plan_get_review_date (g_ptr_array_index (plans, 0)) : NULL;
  GDate today, d;

  get_today (tend_chart_tab_get_zone (tab), &today);
  if (review != NULL && tend_date_parse (review, &d, NULL) && g_date_days_between (&today, &d) <= REVIEW_WARNING_DAYS)
    {
      g_autofree char *date = tend_date_format_local (&d);
      g_autofree char *text = g_date_compare (&d, &today) < 0
                              ? g_strdup_printf (_("The treatment plan was due for review on %s."), date)
                              : g_strdup_printf (_("The treatment plan is due for review on %s."), date);

      add_alert (self, text, "warning");
    }
  else if (plans == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The treatment plan could not be read to check its review date: %s"),
                                               error->message);

      add_alert (self, text, "warning");
    }
}

static void
tend_chart_header_refresh (TendChartTab *tab)
{
  TendChartHeader *self = TEND_CHART_HEADER (tab);
  TendStore *store = tend_chart_tab_get_store (tab);
  const char *client_id = tend_chart_tab_get_client_id (tab);
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();
  g_autoptr(GError) error = NULL;
  gboolean clinical = tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL);
  gboolean locked = FALSE;

  show_details (self, names);
  show_next_session (self);
  gtk_widget_set_visible (self->export_button, clinical);
  tend_chart_ui_clear_box (self->alerts);
  self->risk = FALSE;
  if (clinical)
    {
      locked = !tend_store_check_chart (store, client_id, &error) &&
               g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
      g_clear_error (&error);
      add_access_alerts (self, locked, names);
      self->risk = tend_chart_has_risk_alert (store, client_id, &error);
    }
  if (self->risk)
    add_alert (self, _("Risk: the latest PHQ-9 answered item 9 (thoughts of death or self-harm). Check safety at the next contact."),
               "error");
  else if (error != NULL)
    {
      /* Not knowing is not the same as no risk. */
      g_autofree char *text = g_strdup_printf (_("The measures could not be read to check for a risk alert: %s"),
                                               error->message);

      add_alert (self, text, "error");
    }
  if (clinical && !locked)
    add_review_alert (self);
  gtk_widget_set_visible (GTK_WIDGET (self->alerts), gtk_widget_get_first_child (GTK_WIDGET (self->alerts)) != NULL);
}

static void
tend_chart_header_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_HEADER);
  G_OBJECT_CLASS (tend_chart_header_parent_class)->dispose (object);
}

static void
tend_chart_header_class_init (TendChartHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_header_dispose;
  tab_class->refresh = tend_chart_header_refresh;
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-header.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, avatar);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, name_label);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, details_label);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, next_label);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, export_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, alerts);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, TendChartHeader, progress_bar);
}

static void
tend_chart_header_init (TendChartHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Whether the risk alert shows (the latest PHQ-9's item 9). */
gboolean
tend_chart_header_has_risk_alert (TendChartHeader *self)
{
  g_return_val_if_fail (TEND_IS_CHART_HEADER (self), FALSE);
  return self->risk;
}

/* The export's progress bar and its Cancel, shown or not. */
void
tend_chart_header_show_progress (TendChartHeader *self,
                                 gboolean         shown)
{
  g_return_if_fail (TEND_IS_CHART_HEADER (self));
  if (shown)
    gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, shown);
}

void
tend_chart_header_set_progress (TendChartHeader *self,
                                double           fraction)
{
  g_return_if_fail (TEND_IS_CHART_HEADER (self));
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}
