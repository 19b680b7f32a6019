/* tend-chart-page.c: a client's chart: header, overview, notes, diagnoses,
 * treatment plan, measures, documents and contacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is read through tend-chart.h, which checks the signed-in role
 * and audits: the pages a role may not see are hidden here as well, but the
 * store is what refuses.  Reads the chart needs at once (the header and the
 * first page of notes) are indexed queries on the main thread; the PDF
 * export, document import and PDF rendering run in GTask threads.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-billing.h"
#include "tend-break-glass-dialog.h"
#include "tend-grant-access-dialog.h"
#include "tend-chart.h"
#include "tend-chart-page.h"
#include "tend-plan-editor.h"
#include "tend-safety-plan-window.h"
#include "tend-messages.h"
#include "tend-chart-pdf.h"
#include "tend-client-form.h"
#include "tend-document-view.h"
#include "tend-measure-graph.h"
#include "tend-money.h"
#include "tend-note-editor.h"
#include "tend-portal-forms.h"
#include "tend-related-people.h"
#include "tend-sync-controller.h"
#include "tend-view-switcher.h"

#define NOTES_PAGE      50

struct _TendChartPage
{
  GtkWidget        parent_instance;

  TendStore       *store;
  GTimeZone       *zone;
  char            *client_id;
  TendClient      *client;
  gboolean         clinical;       /* the role may read clinical content */
  gboolean         diagnoses;      /* ...or at least diagnoses */
  gboolean         audit;          /* the owner reads the client's audit trail */
  gboolean         risk;
  gboolean         locked;         /* not on this client's chart (privacy between clinicians) */
  guint            notes_shown;
  guint            overdue_days;   /* drafts older than this are flagged */
  guint            n_note_rows;

  AdwToastOverlay *toasts;
  GtkStack        *mode;           /* chart, note, editor, document */
  AdwAvatar       *avatar;
  GtkLabel        *name_label;
  GtkLabel        *details_label;
  GtkLabel        *next_label;
  GtkBox          *alerts;
  AdwViewStack    *views;
  GtkBox          *pages[8];
  GtkWidget       *graphs[TEND_N_INSTRUMENTS];
  GtkBox          *note_box;
  GtkSearchEntry  *note_search;    /* in the Notes tab, above the list */
  GtkBox          *notes_list;
  char            *note_query;
  GtkWidget       *editor;
  GtkBox          *document_box;
  TendDocumentView *document_view;   /* inside document_box, while shown */
  GBytes          *document_bytes;   /* what it shows, for Export */
  char            *document_title;
  GtkRevealer     *progress_revealer;
  GtkProgressBar  *progress_bar;
  GCancellable    *export_cancellable;
  gboolean         export_messages;  /* the next export includes messages with the client */
  guint            attaching;      /* files being read in a thread */
  char            *last_error;     /* the last message shown, for tests */
  TendSyncController *sync;        /* the practice server, when connected */
  gboolean         edit_demographics;
  GCancellable    *invite_cancellable;
};

G_DEFINE_FINAL_TYPE (TendChartPage, tend_chart_page, GTK_TYPE_WIDGET)

enum { PAGE_OVERVIEW, PAGE_NOTES, PAGE_DIAGNOSES, PAGE_PLAN, PAGE_MEASURES, PAGE_DOCUMENTS, PAGE_CONTACTS, PAGE_AUDIT };

static const struct { const char *name; const char *title; const char *icon; } page_info[] = {
  { "overview", N_("Overview"), "view-grid-symbolic" },
  { "notes", N_("Notes"), "document-edit-symbolic" },
  { "diagnoses", N_("Diagnoses"), "view-list-bullet-symbolic" },
  { "plan", N_("Treatment Plan"), "object-select-symbolic" },
  { "measures", N_("Measures"), "x-office-spreadsheet-symbolic" },
  { "documents", N_("Documents"), "folder-documents-symbolic" },
  { "contacts", N_("Contacts"), "contact-new-symbolic" },
  { "audit", N_("Audit"), "security-medium-symbolic" },
};

enum {
  BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh (TendChartPage *self);

/* Helpers */

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static GtkWidget *
row_new (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Client text may hold "&" or "<": never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void show_error (TendChartPage *self, const char *heading, const GError *error);

/* Shows a note again after a change to it, or why it cannot be. */
static void
reopen_note (TendChartPage *self,
             const char    *note_id)
{
  g_autoptr(GError) error = NULL;

  if (!tend_chart_page_open_note (self, note_id, &error))
    show_error (self, _("The Note Could Not Be Opened"), error);
}

/* A read that failed shows that it failed, with the store's message: an
 * empty list would say there is nothing, which in a clinical record is
 * false.  The whole tab, when its main list could not be read. */
/* A chart the person is not on: say so, and offer to break the glass. */
static GtkWidget *
break_glass_button_new (void)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Break the Glass…"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "chart.break-glass");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  return button;
}

static void
show_read_error (GtkBox       *page,
                 const GError *error)
{
  GtkWidget *status = adw_status_page_new ();

  clear_box (page);
  if (g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS))
    {
      GtkWidget *button = break_glass_button_new ();

      gtk_widget_add_css_class (button, "pill");
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "changes-prevent-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("You Don’t Have Access to This Chart"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("You read the charts of your own clients, of clients you are assigned to "
                                         "or covering, and of your supervisees’ clients. In an emergency, break "
                                         "the glass: your reason is recorded and shown to the client’s clinician."));
      adw_status_page_set_child (ADW_STATUS_PAGE (status), button);
      gtk_widget_add_css_class (status, "tend-chart-locked");
      gtk_widget_set_vexpand (status, TRUE);
      gtk_box_append (page, status);
      return;
    }
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("This Part of the Chart Could Not Be Read"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   error != NULL ? error->message : _("The store gave no reason."));
  gtk_widget_add_css_class (status, "tend-read-error");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (page, status);
}

/* The same for one group of a page (the overview's). */
static void
add_read_error_row (GtkWidget    *group,
                    const GError *error)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("You don’t have access to this chart"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("changes-prevent-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), break_glass_button_new ());
      gtk_widget_add_css_class (row, "tend-chart-locked");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      return;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Could not be read"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_widget_add_css_class (row, "error");
  gtk_widget_add_css_class (row, "tend-read-error");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static GtkWidget *
alert_new (const char *text,
           const char *css)
{
  GtkWidget *alert = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (alert), TRUE);
  gtk_label_set_xalign (GTK_LABEL (alert), 0);
  gtk_widget_add_css_class (alert, "tend-alert");
  gtk_widget_add_css_class (alert, css);
  return alert;
}

static GtkWidget *
group_new (GtkBox     *page,
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

static void
add_row (GtkWidget  *group,
         const char *title,
         const char *subtitle)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row_new (title, subtitle));
}

static char *
format_iso_date (const char *iso)
{
  GDate d;

  if (iso == NULL || !tend_date_parse (iso, &d, NULL))
    return g_strdup (iso != NULL ? iso : "—");
  return tend_date_format_local (&d);
}

static char *
format_session (TendChartPage   *self,
                TendAppointment *a)
{
  g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, self->zone);

  g_autofree char *day = g_date_time_format (local, "%a");
  g_autofree char *when = tend_time_format_date_time (local);

  /* "Tue 03/03/2026 09:00", in the locale's words */
  return g_strdup_printf ("%s %s", day, when);
}

static void
get_today (TendChartPage *self,
           GDate         *today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);

  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

static const char *
staff_name (TendChartPage *self,
            const char    *id,
            GHashTable    *cache)
{
  char *name;

  if (id == NULL)
    return "—";
  name = g_hash_table_lookup (cache, id);
  if (name == NULL)
    {
      name = tend_store_dup_display_name (self->store, TEND_TYPE_STAFF, id);
      if (name == NULL)
        name = g_strdup ("—");
      g_hash_table_insert (cache, g_strdup (id), name);
    }
  return name;
}

static void
toast (TendChartPage *self,
       const char    *text)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

static void
show_error (TendChartPage *self,
            const char    *heading,
            const GError  *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
note_title (TendClinicalNote *note)
{
  g_autofree char *date = format_iso_date (tend_clinical_note_get_service_date (note));

  /* TRANSLATORS: "03/02/2026 — SOAP note" */
  return g_strdup_printf (_("%s — %s"), date, tend_note_template_get_label (tend_clinical_note_get_template (note)));
}

static char *
note_status (TendChartPage    *self,
             TendClinicalNote *note,
             GHashTable       *names)
{
  const char *author = staff_name (self, tend_clinical_note_get_author_id (note), names);

  if (!tend_clinical_note_is_signed (note))
    {
      GDate today, d;

      get_today (self, &today);
      if (tend_date_parse (tend_clinical_note_get_service_date (note), &d, NULL) &&
          g_date_days_between (&d, &today) > (int) self->overdue_days)
        /* TRANSLATORS: author, days */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · Draft, unsigned for %d day",
                                             "%s · Draft, unsigned for %d days", g_date_days_between (&d, &today)),
                                author, g_date_days_between (&d, &today));
      return g_strdup_printf (_("%s · Draft"), author);
    }
  if (tend_clinical_note_get_cosign_required_by (note) != NULL && tend_clinical_note_get_cosigned_by (note) == NULL)
    return g_strdup_printf (_("%s · Signed, waiting for co-signature"), author);
  return g_strdup_printf (_("%s · Signed"), author);
}

/* Header */

/* Formats an RFC 3339 time in the practice's zone. */
static char *
format_time (TendChartPage *self,
             const char    *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  return utc != NULL ? tend_time_format_local (utc, self->zone) : g_strdup (iso != NULL ? iso : "");
}

/* The glass broken on this chart: the person's own emergency access, or
 * who else broke it and why (the chart's clinician, a supervisor and the
 * owner see it here). */
static void
add_access_alerts (TendChartPage *self,
                   GHashTable    *names)
{
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *me = tend_store_get_actor_id (self->store);

  if (!self->clinical)
    return;
  if (self->locked)
    {
      gtk_box_append (self->alerts, alert_new (_("You are not on this client’s chart: its clinical pages are closed to you."),
                                               "warning"));
      return;
    }
  access = tend_chart_list_access (self->store, self->client_id, NULL);
  for (guint i = 0; access != NULL && i < access->len; i++)
    {
      TendChartAccess *a = g_ptr_array_index (access, i);
      g_autofree char *until = NULL;
      g_autofree char *text = NULL;

      if (tend_chart_access_get_kind (a) != TEND_CHART_ACCESS_EMERGENCY || !tend_chart_access_is_live (a, now))
        continue;
      until = format_time (self, tend_chart_access_get_until (a));
      if (g_strcmp0 (tend_chart_access_get_staff_id (a), me) == 0)
        /* Translators: %s is a date and time */
        text = g_strdup_printf (_("Emergency access: you broke the glass on this chart. It ends %s, and what you "
                                  "read is audited."), until);
      else
        /* Translators: a person's name, then the reason they gave, then a date and time */
        text = g_strdup_printf (_("%s broke the glass on this chart: “%s”. Their access ends %s."),
                                staff_name (self, tend_chart_access_get_staff_id (a), names),
                                tend_chart_access_get_reason (a), until);
      gtk_box_append (self->alerts, alert_new (text, "warning"));
    }
}

static void
refresh_header (TendChartPage *self)
{
  g_autofree char *display = tend_client_dup_display_name (self->client);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;
  int age;

  get_today (self, &today);
  adw_avatar_set_text (self->avatar, display);
  gtk_label_set_text (self->name_label, display);
  age = tend_client_get_age (self->client, &today);
  if (age >= 0)
    /* TRANSLATORS: an age in years */
    g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", age), age);
  if (tend_client_get_pronouns (self->client) != NULL)
    g_string_append_printf (details, "%s%s", details->len ? " · " : "", tend_client_get_pronouns (self->client));
  if (tend_client_get_record_number (self->client) != NULL)
    g_string_append_printf (details, "%s%s", details->len ? " · " : "", tend_client_get_record_number (self->client));
  if (tend_client_get_primary_clinician (self->client) != NULL)
    g_string_append_printf (details, "%s%s", details->len ? " · " : "",
                            staff_name (self, tend_client_get_primary_clinician (self->client), names));
  if (tend_client_get_status (self->client) != TEND_CLIENT_STATUS_ACTIVE)
    g_string_append_printf (details, " · %s", tend_client_status_get_label (tend_client_get_status (self->client)));
  gtk_label_set_text (self->details_label, details->str);

  next = tend_chart_list_sessions (self->store, self->client_id, g_get_real_time (), TRUE, 1, &error);
  if (next == NULL)
    {
      /* TRANSLATORS: the store's message */
      g_autofree char *text = g_strdup_printf (_("Next appointment: could not be read (%s)"), error->message);

      gtk_label_set_text (self->next_label, text);
      g_clear_error (&error);
    }
  else if (next->len > 0)
    {
      g_autofree char *when = format_session (self, g_ptr_array_index (next, 0));
      g_autofree char *text = g_strdup_printf (_("Next appointment: %s"), when);

      gtk_label_set_text (self->next_label, text);
    }
  else
    gtk_label_set_text (self->next_label, _("No appointment booked"));

  /* Alerts: emergency access, a positive PHQ-9 item 9, a treatment plan
   * due for review. */
  clear_box (self->alerts);
  add_access_alerts (self, names);
  self->risk = self->clinical && tend_chart_has_risk_alert (self->store, self->client_id, &error);
  if (self->risk)
    gtk_box_append (self->alerts, alert_new (_("Risk: the latest PHQ-9 answered item 9 (thoughts of death or self-harm). Check safety at the next contact."), "error"));
  else if (error != NULL)
    {
      /* Not knowing is not the same as no risk. */
      g_autofree char *text = g_strdup_printf (_("The measures could not be read to check for a risk alert: %s"), error->message);

      gtk_box_append (self->alerts, alert_new (text, "error"));
      g_clear_error (&error);
    }
  if (self->clinical && !self->locked)
    {
      g_autoptr(GPtrArray) plans = tend_chart_list_plans (self->store, self->client_id, &error);
      const char *review = plans != NULL && plans->len > 0
                           ? tend_treatment_plan_get_review_date (g_ptr_array_index (plans, 0)) : NULL;
      GDate d;

      if (review != NULL && tend_date_parse (review, &d, NULL) && g_date_days_between (&today, &d) <= 14)
        {
          g_autofree char *date = tend_date_format_local (&d);
          g_autofree char *text = g_date_compare (&d, &today) < 0
                                  ? g_strdup_printf (_("The treatment plan was due for review on %s."), date)
                                  : g_strdup_printf (_("The treatment plan is due for review on %s."), date);
          gtk_box_append (self->alerts, alert_new (text, "warning"));
        }
      else if (plans == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The treatment plan could not be read to check its review date: %s"),
                                                   error->message);

          gtk_box_append (self->alerts, alert_new (text, "warning"));
          g_clear_error (&error);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->alerts), gtk_widget_get_first_child (GTK_WIDGET (self->alerts)) != NULL);
}

/* Overview */

static const char *
access_kind_label (TendChartAccessKind kind)
{
  switch (kind)
    {
    case TEND_CHART_ACCESS_ASSIGNED:
      return _("Assigned");
    case TEND_CHART_ACCESS_COVERING:
      return _("Covering");
    case TEND_CHART_ACCESS_EMERGENCY:
    default:
      return _("Emergency access");
    }
}

/* The colleagues who may be given access to this chart: clinicians and
 * supervisors of the practice not already on it (its clinician, their
 * supervisor, a live assigned or covering grant). */
static GPtrArray *
grant_candidates (TendChartPage *self,
                  GPtrArray     *access)
{
  g_autoptr(GPtrArray) staff = tend_store_list (self->store, TEND_TYPE_STAFF, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *clinician = tend_client_get_primary_clinician (self->client);
  const char *supervisor = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; staff != NULL && i < staff->len; i++)
    if (g_strcmp0 (tend_record_get_id (g_ptr_array_index (staff, i)), clinician) == 0)
      supervisor = tend_staff_get_supervisor_id (g_ptr_array_index (staff, i));
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      TendStaff *s = g_ptr_array_index (staff, i);
      const char *id = tend_record_get_id (TEND_RECORD (s));
      gboolean on_chart = g_strcmp0 (id, clinician) == 0 || g_strcmp0 (id, supervisor) == 0;

      for (guint j = 0; access != NULL && j < access->len && !on_chart; j++)
        {
          TendChartAccess *a = g_ptr_array_index (access, j);

          on_chart = tend_chart_access_get_kind (a) != TEND_CHART_ACCESS_EMERGENCY &&
                     tend_chart_access_is_live (a, now) && g_strcmp0 (tend_chart_access_get_staff_id (a), id) == 0;
        }
      if (!on_chart && tend_staff_get_active (s) && tend_staff_sees_clients (s))
        g_ptr_array_add (out, g_object_ref (s));
    }
  return out;
}

/* Who is on the chart changed here: said, sent to the server at once (with
 * a server, a chart newly reached comes back with that sync), shown. */
static void
access_changed (TendChartPage *self,
                const char    *message)
{
  toast (self, message);
  if (self->sync != NULL)
    tend_sync_controller_sync_now (self->sync);
  refresh (self);
}

static void
on_end_access_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           TendChartPage    *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "end") != 0)
    return;
  if (!tend_chart_end_access (self->store, g_object_get_data (G_OBJECT (dialog), "access"), FALSE, &error))
    {
      show_error (self, _("The Access Could Not Be Ended"), error);
      return;
    }
  access_changed (self, _("Access ended"));
}

static void
on_end_access_clicked_cb (GtkButton     *button,
                          TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TendChartAccess *access = g_object_get_data (G_OBJECT (button), "access");
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* Translators: %s is a colleague's name */
  g_autofree char *body = g_strdup_printf (_("%s will no longer read this chart. The access stays recorded as ended."),
                                           staff_name (self, tend_chart_access_get_staff_id (access), names));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("End Access?"), body);

  g_object_set_data_full (G_OBJECT (dialog), "access", g_object_ref (access), g_object_unref);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "end", _("_End Access"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_end_access_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Who else is, or was, on this chart, and why: the glass broken,
 * covering, assigned.  Those who may give access (as the store decides)
 * give it here, and end a live grant. */
static void
add_access_group (TendChartPage *self,
                  GtkBox        *page,
                  GHashTable    *names)
{
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean may_grant;
  GtkWidget *group;

  if (!self->clinical || self->locked)
    return;
  access = tend_chart_list_access (self->store, self->client_id, &error);
  candidates = grant_candidates (self, access);
  may_grant = candidates->len > 0 &&
              tend_chart_may_grant_access (self->store, self->client_id,
                                           tend_record_get_id (g_ptr_array_index (candidates, 0)), NULL);
  if (access != NULL && access->len == 0 && !may_grant)
    return;
  group = group_new (page, _("Access to This Chart"),
                     _("Besides the client’s clinician and their supervisor."));
  if (may_grant)
    {
      GtkWidget *give = gtk_button_new_with_mnemonic (_("_Give Access…"));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (give), "chart.give-access");
      gtk_widget_set_valign (give, GTK_ALIGN_CENTER);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), give);
    }
  if (access == NULL)
    add_read_error_row (group, error);
  else if (access->len == 0)
    add_row (group, _("No one else"), NULL);
  for (guint i = 0; access != NULL && i < access->len; i++)
    {
      TendChartAccess *a = g_ptr_array_index (access, i);
      g_autofree char *from = format_time (self, tend_chart_access_get_granted_at (a));
      g_autofree char *until = tend_chart_access_get_until (a) != NULL
                               ? format_time (self, tend_chart_access_get_until (a)) : NULL;
      /* Translators: a person's name, then what access they have */
      g_autofree char *title = g_strdup_printf (_("%s · %s"),
                                                staff_name (self, tend_chart_access_get_staff_id (a), names),
                                                access_kind_label (tend_chart_access_get_kind (a)));
      g_autofree char *when = until != NULL
                              /* Translators: two dates and times */
                              ? g_strdup_printf (_("From %s until %s"), from, until)
                              /* Translators: a date and time */
                              : g_strdup_printf (_("Since %s"), from);
      g_autofree char *sub = tend_chart_access_get_reason (a) != NULL
                             ? g_strdup_printf ("%s · %s", when, tend_chart_access_get_reason (a))
                             : g_strdup (when);
      GtkWidget *row = row_new (title, sub);

      if (tend_chart_access_get_kind (a) != TEND_CHART_ACCESS_EMERGENCY && tend_chart_access_is_live (a, now) &&
          tend_chart_end_access (self->store, a, TRUE, NULL))
        {
          GtkWidget *end = gtk_button_new_with_mnemonic (_("_End Access"));

          gtk_widget_set_valign (end, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (end), "access", g_object_ref (a), g_object_unref);
          g_signal_connect_object (end, "clicked", G_CALLBACK (on_end_access_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), end);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
on_note_row_activated_cb (AdwActionRow  *row,
                          TendChartPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_chart_page_open_note (self, g_object_get_data (G_OBJECT (row), "note-id"), &error))
    show_error (self, _("The Note Could Not Be Opened"), error);
}

static GtkWidget *
note_row (TendChartPage    *self,
          TendClinicalNote *note,
          GHashTable       *names)
{
  g_autofree char *title = note_title (note);
  g_autofree char *status = note_status (self, note, names);
  GtkWidget *row = row_new (title, status);
  GtkWidget *icon = gtk_image_new_from_icon_name (tend_clinical_note_is_signed (note) ? "changes-prevent-symbolic"
                                                                                      : "document-edit-symbolic");

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tend_clinical_note_is_signed (note) ? _("Signed") : _("Draft"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "note-id", g_strdup (tend_record_get_id (TEND_RECORD (note))), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (on_note_row_activated_cb), self, 0);
  if (!tend_clinical_note_is_signed (note) && strstr (status, "unsigned") != NULL)
    gtk_widget_add_css_class (row, "tend-overdue");
  return row;
}

/* The client's balance: one indexed query.  Shown only when the store lets
 * the signed-in role read it; a refusal shows nothing. */
static void
add_balance_group (TendChartPage *self,
                   GtkBox        *page)
{
  g_autoptr(TendPractice) practice = NULL;
  g_autofree char *owed = NULL;
  const char *currency;
  TendBalance balance;
  TendMoney m;
  GtkWidget *group, *row;

  g_autoptr(GError) error = NULL;

  /* A role that may not read the balance sees no group; any other failure
   * says so. */
  if (!tend_billing_client_balance (self->store, self->client_id, &balance, &error))
    {
      if (!g_error_matches (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED))
        add_read_error_row (group_new (page, _("Balance"), NULL), error);
      return;
    }
  practice = tend_store_load_practice (self->store, &error);
  /* No practice set up yet: amounts in dollars, as the store bills them. */
  if (practice == NULL && !g_error_matches (error, TEND_ERROR, TEND_ERROR_NOT_FOUND))
    {
      add_read_error_row (group_new (page, _("Balance"), NULL), error);
      return;
    }
  currency = practice != NULL ? tend_practice_get_currency (practice) : "USD";

  group = group_new (page, _("Balance"), NULL);
  gtk_widget_set_name (group, "balance-group");
  m = tend_money_init (balance.balance, currency);
  owed = tend_money_format (&m);
  row = row_new (balance.balance < 0 ? _("Client in credit") : _("Client owes"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_widget_set_name (row, "balance-client");
  if (balance.balance < 0)
    {
      g_autofree char *credit = NULL;

      m = tend_money_init (-balance.balance, currency);
      credit = tend_money_format (&m);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), credit);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), owed);
  if (balance.insurance_due != 0)
    {
      g_autofree char *ins = NULL;

      m = tend_money_init (balance.insurance_due, currency);
      ins = tend_money_format (&m);
      row = row_new (_("Insurance owes"), ins);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      gtk_widget_set_name (row, "balance-insurance");
    }
}

/* The conversations about or with the client that the person is in (their
 * threads are part of the client's record); each opens in Messages. */
static void
add_messages_group (TendChartPage *self,
                    GtkBox        *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = tend_messages_list_conversations (self->store, self->client_id, &error);
  GtkWidget *group;

  if (list != NULL && list->len == 0)
    return;
  group = group_new (page, _("Messages"), NULL);
  if (list == NULL)
    {
      add_read_error_row (group, error);
      return;
    }
  for (guint i = 0; i < list->len && i < 5; i++)
    {
      TendConversationSummary *s = list->pdata[i];
      TendConversation *c = s->conversation;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;
      const char *title = tend_conversation_get_subject (c) != NULL ? tend_conversation_get_subject (c)
                          : tend_conversation_is_with_client (c) ? _("Conversation with the client")
                          : _("Conversation about the client");

      if (s->unread > 0)
        /* TRANSLATORS: unread messages in a conversation */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unread", "%u unread", s->unread), s->unread);
      else if (tend_conversation_is_with_client (c))
        subtitle = g_strdup (_("With the client"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      if (subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "app.show-conversation");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", tend_record_get_id (TEND_RECORD (c)));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

typedef struct
{
  TendSyncEngine *engine;
  char           *client_id;
  char           *email;
  char           *language;
} Invite;

static void
invite_free (Invite *invite)
{
  g_object_unref (invite->engine);
  g_free (invite->client_id);
  g_free (invite->email);
  g_free (invite->language);
  g_free (invite);
}

static void
invite_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  Invite *invite = data;
  GError *error = NULL;

  if (tend_sync_engine_invite_to_portal (invite->engine, invite->client_id, invite->email, invite->language,
                                         cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void refresh_overview (TendChartPage *self);

static void
invite_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TendChartPage *self = TEND_CHART_PAGE (source);
  Invite *invite = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, _("The Invitation Was Not Sent"), error);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Invitation sent to %s"), invite->email);

      toast (self, text);
    }
  g_clear_object (&self->invite_cancellable);
  if (self->client != NULL)
    refresh_overview (self);
}

static void
on_invite_clicked_cb (TendChartPage *self)
{
  TendSyncEngine *engine = self->sync != NULL ? tend_sync_controller_get_engine (self->sync) : NULL;
  const char *email = self->client != NULL ? tend_record_get_string (TEND_RECORD (self->client), "email") : NULL;
  const char *language = self->client != NULL ? tend_record_get_string (TEND_RECORD (self->client), "language") : NULL;
  g_autoptr(GTask) task = NULL;
  Invite *invite;

  if (engine == NULL || email == NULL || self->invite_cancellable != NULL)
    return;
  invite = g_new0 (Invite, 1);
  invite->engine = g_object_ref (engine);
  invite->client_id = g_strdup (self->client_id);
  invite->email = g_strdup (email);
  invite->language = g_strdup (g_strcmp0 (language, "es") == 0 ? "es" : "en");
  self->invite_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->invite_cancellable, invite_done_cb, NULL);
  g_task_set_task_data (task, invite, (GDestroyNotify) invite_free);
  g_task_run_in_thread (task, invite_thread);
  refresh_overview (self);
}

static void
refresh_overview (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_OVERVIEW];
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) upcoming_error = NULL;
  g_autoptr(GError) past_error = NULL;
  g_autoptr(GPtrArray) upcoming = tend_chart_list_sessions (self->store, self->client_id, g_get_real_time (), TRUE, 3, &upcoming_error);
  g_autoptr(GPtrArray) past = tend_chart_list_sessions (self->store, self->client_id, g_get_real_time (), FALSE, 5, &past_error);
  GtkWidget *group;

  clear_box (page);
  group = group_new (page, _("Upcoming Sessions"), NULL);
  for (guint i = 0; upcoming != NULL && i < upcoming->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (upcoming, i);
      g_autofree char *when = format_session (self, a);
      g_autofree char *sub = g_strdup_printf ("%s · %s", staff_name (self, tend_appointment_get_clinician_id (a), names),
                                              tend_appointment_status_get_label (tend_appointment_get_status (a)));
      add_row (group, when, sub);
    }
  if (upcoming == NULL)
    add_read_error_row (group, upcoming_error);
  else if (upcoming->len == 0)
    add_row (group, _("None booked"), NULL);

  group = group_new (page, _("Past Sessions"), NULL);
  for (guint i = 0; past != NULL && i < past->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (past, i);
      g_autofree char *when = format_session (self, a);
      g_autofree char *sub = g_strdup_printf ("%s · %s", staff_name (self, tend_appointment_get_clinician_id (a), names),
                                              tend_appointment_status_get_label (tend_appointment_get_status (a)));
      add_row (group, when, sub);
    }
  if (past == NULL)
    add_read_error_row (group, past_error);
  else if (past->len == 0)
    add_row (group, _("None yet"), NULL);

  if (self->clinical)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) notes = tend_chart_list_notes (self->store, self->client_id, 0, 3, &error);

      group = group_new (page, _("Recent Notes"), NULL);
      for (guint i = 0; notes != NULL && i < notes->len; i++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note_row (self, g_ptr_array_index (notes, i), names));
      if (notes == NULL)
        add_read_error_row (group, error);
      else if (notes->len == 0)
        add_row (group, _("No notes yet"), NULL);
    }
  if (self->diagnoses)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) dxs = tend_chart_list_diagnoses (self->store, self->client_id, &error);

      group = group_new (page, _("Active Diagnoses"), NULL);
      if (dxs == NULL)
        add_read_error_row (group, error);
      for (guint i = 0; dxs != NULL && i < dxs->len; i++)
        if (tend_diagnosis_is_active (g_ptr_array_index (dxs, i)))
          {
            TendDiagnosis *dx = g_ptr_array_index (dxs, i);
            g_autofree char *title = g_strdup_printf ("%s %s", tend_diagnosis_get_code (dx), tend_diagnosis_get_description (dx));

            add_row (group, title, tend_diagnosis_get_rank (dx) == TEND_DIAGNOSIS_PRIMARY ? _("Primary") : _("Secondary"));
          }
    }
  add_access_group (self, page, names);
  add_messages_group (self, page);
  add_balance_group (self, page);

  /* The client portal: an invitation to the address on file, through the
   * practice server (so only when connected, and for roles that edit
   * demographics, as the server checks). */
  if (self->sync != NULL && self->edit_demographics && tend_sync_controller_get_engine (self->sync) != NULL)
    {
      const char *email = tend_record_get_string (TEND_RECORD (self->client), "email");
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *invite = gtk_button_new_with_mnemonic (_("_Invite to Portal"));

      group = group_new (page, _("Client Portal"), NULL);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Invitation"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   email != NULL ? email : _("Add the client’s e-mail address first (Contacts)"));
      gtk_widget_set_valign (invite, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (invite, email != NULL && self->invite_cancellable == NULL);
      g_signal_connect_object (invite, "clicked", G_CALLBACK (on_invite_clicked_cb), self, G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (invite), "invite-button", GINT_TO_POINTER (1));  /* for tests */
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), invite);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  /* Forms for the portal are records: sent offline too, with the next sync. */
  if (self->sync != NULL)
    gtk_box_append (page, tend_portal_forms_new (self->store, self->client_id));
}

/* Notes */

static void
on_more_notes_clicked_cb (TendChartPage *self)
{
  self->notes_shown += NOTES_PAGE;
  refresh (self);
}

static void refresh_notes (TendChartPage *self);

static void
on_note_search_changed_cb (GtkSearchEntry *entry,
                           TendChartPage  *self)
{
  g_free (self->note_query);
  self->note_query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  refresh_notes (self);
}

/* The client's notes matching the search, from the store's full-text index. */
static void
fill_note_hits (TendChartPage *self,
                GHashTable    *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = tend_chart_search_client_notes (self->store, self->client_id, self->note_query,
                                                              NOTES_PAGE, &error);
  g_autofree char *title = NULL;
  GtkWidget *group;

  if (hits == NULL)
    {
      show_read_error (self->notes_list, error);
      return;
    }
  /* TRANSLATORS: the words searched for */
  title = g_strdup_printf (_("Notes with “%s”"), self->note_query);
  group = group_new (self->notes_list, title,
                     hits->len >= NOTES_PAGE ? _("The most recent matches; add a word to narrow them down.") : NULL);
  self->n_note_rows = 0;
  for (guint i = 0; i < hits->len; i++, self->n_note_rows++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note_row (self, g_ptr_array_index (hits, i), names));
  if (hits->len == 0)
    add_row (group, _("No notes match"), _("Words are matched whole, and the last one by its start."));
}

static void
refresh_notes (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_NOTES];
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group, *menu_button;
  g_autoptr(GMenu) menu = g_menu_new ();
  gint64 total;

  if (self->note_search == NULL)
    {
      clear_box (page);
      self->note_search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
      g_object_set (self->note_search, "placeholder-text", _("Search this client’s notes"), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Search this client’s notes"), -1);
      g_signal_connect_object (self->note_search, "search-changed", G_CALLBACK (on_note_search_changed_cb), self, 0);
      gtk_box_append (page, GTK_WIDGET (self->note_search));
      self->notes_list = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
      gtk_box_append (page, GTK_WIDGET (self->notes_list));
    }
  clear_box (self->notes_list);
  gtk_widget_set_visible (GTK_WIDGET (self->note_search), self->clinical);
  if (!self->clinical)
    return;
  if (self->note_query != NULL && self->note_query[0] != '\0')
    {
      fill_note_hits (self, names);
      return;
    }
  total = tend_chart_count_notes (self->store, self->client_id, &error);
  if (total >= 0)
    notes = tend_chart_list_notes (self->store, self->client_id, 0, self->notes_shown, &error);
  if (notes == NULL)
    {
      show_read_error (self->notes_list, error);
      return;
    }
  group = group_new (self->notes_list, _("Notes"), NULL);
  for (guint t = 0; t < TEND_NOTE_TEMPLATE_ADDENDUM; t++)
    {
      g_autofree char *action = g_strdup_printf ("chart.new-note('%s')", tend_note_template_to_string ((TendNoteTemplate) t));

      g_menu_append (menu, tend_note_template_get_label ((TendNoteTemplate) t), action);
    }
  menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (menu_button), _("New Note"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_widget_add_css_class (menu_button, "suggested-action");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), menu_button);
  self->n_note_rows = 0;
  for (guint i = 0; i < notes->len; i++, self->n_note_rows++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), note_row (self, g_ptr_array_index (notes, i), names));
  if (notes->len == 0)
    add_row (group, _("No notes yet"), _("Write the first one from a template with New Note."));
  if (total > (gint64) self->n_note_rows)
    {
      GtkWidget *more = gtk_button_new_with_label (_("Show Older Notes"));

      gtk_widget_set_halign (more, GTK_ALIGN_CENTER);
      g_signal_connect_object (more, "clicked", G_CALLBACK (on_more_notes_clicked_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->notes_list, more);
    }
}

/* The note view: sections, signature, addenda. */

static GtkWidget *
text_label (const char *text,
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

static void
append_note_body (GtkBox           *box,
                  TendClinicalNote *note)
{
  guint n = 0;
  const TendNoteSection *sections = tend_note_template_get_sections (tend_clinical_note_get_template (note), &n);
  g_autoptr(JsonNode) all = tend_record_dup_json (TEND_RECORD (note), "sections");

  if (all == NULL && tend_record_get_string (TEND_RECORD (note), "risk") == NULL &&
      tend_record_get_string (TEND_RECORD (note), "mse") == NULL)
    {
      gtk_box_append (box, text_label (_("No text."), "dim-label"));
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = tend_clinical_note_dup_section (note, sections[i].key);

      if (text == NULL)
        continue;
      if (tend_clinical_note_get_template (note) != TEND_NOTE_TEMPLATE_ADDENDUM)
        {
          GtkWidget *heading = text_label (_(sections[i].label), "heading");

          gtk_widget_set_margin_top (heading, 8);
          gtk_box_append (box, heading);
        }
      gtk_box_append (box, text_label (text, NULL));
    }
  for (guint f = 0; f < TEND_N_NOTE_FORMS; f++)
    {
      g_autofree char *text = tend_clinical_note_dup_form_text (note, (TendNoteForm) f);
      GtkWidget *heading;

      if (text == NULL)
        continue;
      heading = text_label (tend_note_form_get_label ((TendNoteForm) f), "heading");
      gtk_widget_set_margin_top (heading, 8);
      gtk_box_append (box, heading);
      gtk_box_append (box, text_label (text, NULL));
    }
}

static char *
signature_text (TendChartPage    *self,
                TendClinicalNote *note,
                GHashTable       *names)
{
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *when = NULL;
  GString *s = g_string_new (NULL);

  at = tend_time_parse_iso8601 (tend_clinical_note_get_signed_at (note), NULL);
  when = at != NULL ? tend_time_format_local (at, self->zone) : g_strdup ("—");
  /* TRANSLATORS: signer, time, SHA-256 of the note's content */
  g_string_append_printf (s, _("Signed by %s on %s · SHA-256 %.16s…"),
                          staff_name (self, tend_clinical_note_get_signed_by (note), names), when,
                          tend_clinical_note_get_content_sha256 (note));
  if (tend_clinical_note_get_cosigned_by (note) != NULL)
    g_string_append_printf (s, "\n%s", _("Co-signed by the supervisor"));
  else if (tend_clinical_note_get_cosign_required_by (note) != NULL)
    g_string_append_printf (s, "\n%s", _("Waiting for the supervisor’s co-signature"));
  return g_string_free (s, FALSE);
}

static void
close_document (TendChartPage *self)
{
  /* The document's bytes are not kept once it is closed. */
  self->document_view = NULL;
  clear_box (self->document_box);
  g_clear_pointer (&self->document_bytes, g_bytes_unref);
  g_clear_pointer (&self->document_title, g_free);
}

static void
on_back_to_chart_cb (TendChartPage *self)
{
  gtk_stack_set_visible_child_name (self->mode, "chart");
  if (self->document_bytes != NULL)
    close_document (self);
  refresh (self);
}

static void
on_edit_clicked_cb (GtkButton     *button,
                    TendChartPage *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *editor = tend_note_editor_new (self->store, g_object_get_data (G_OBJECT (button), "note-id"), self->zone, &error);

  if (editor == NULL)
    {
      show_error (self, _("The Note Could Not Be Opened"), error);
      return;
    }
  if (self->editor != NULL)
    gtk_stack_remove (self->mode, self->editor);
  self->editor = editor;
  gtk_stack_add_named (self->mode, editor, "editor");
  g_signal_connect_object (editor, "done", G_CALLBACK (on_back_to_chart_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "signed", G_CALLBACK (on_back_to_chart_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->mode, "editor");
  tend_note_editor_focus (TEND_NOTE_EDITOR (editor));
}

static void
on_addendum_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         TendChartPage    *self)
{
  GtkTextBuffer *buffer = g_object_get_data (G_OBJECT (dialog), "buffer");
  const char *note_id = g_object_get_data (G_OBJECT (dialog), "note-id");
  g_autoptr(TendClinicalNote) addendum = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (g_strcmp0 (response, "add") != 0)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  addendum = tend_chart_add_addendum (self->store, note_id, text, &error);
  if (addendum == NULL)
    {
      show_error (self, _("The Addendum Could Not Be Added"), error);
      return;
    }
  reopen_note (self, note_id);
  toast (self, _("Addendum signed and added"));
}

static void
on_addendum_clicked_cb (GtkButton     *button,
                        TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Add an Addendum"),
                                              _("The addendum is signed in your name when you add it and shown under the note. The note itself does not change."));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (view, "card");
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Addendum"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_set_size_request (scroller, 360, 140);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "add", _("_Sign and Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "buffer", gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)));
  g_object_set_data_full (G_OBJECT (dialog), "note-id", g_strdup (g_object_get_data (G_OBJECT (button), "note-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_addendum_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sign_draft_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           TendChartPage    *self)
{
  g_autofree char *note_id = g_strdup (g_object_get_data (G_OBJECT (dialog), "note-id"));
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "sign") != 0)
    return;
  note = tend_chart_sign_note (self->store, note_id, &error);
  if (note == NULL)
    {
      show_error (self, _("The Note Could Not Be Signed"), error);
      return;
    }
  reopen_note (self, note_id);
  toast (self, _("Note signed"));
}

/* Signing a draft from its view, as the editor's Sign does. */
static void
on_sign_draft_clicked_cb (GtkButton     *button,
                          TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Sign This Note?"),
                                              _("A signed note becomes part of the legal record and can no longer be edited. "
                                                "Corrections are added as addenda under it."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "note-id", g_strdup (g_object_get_data (G_OBJECT (button), "note-id")), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_draft_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_cosign_clicked_cb (GtkButton     *button,
                      TendChartPage *self)
{
  const char *note_id = g_object_get_data (G_OBJECT (button), "note-id");
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (note_id);

  note = tend_chart_cosign_note (self->store, id, &error);
  if (note == NULL)
    {
      show_error (self, _("The Note Could Not Be Co-signed"), error);
      return;
    }
  reopen_note (self, id);
  toast (self, _("Note co-signed"));
}

/* Measures */

static void
update_measure_form (GtkWidget *dialog)
{
  GPtrArray *groups = g_object_get_data (G_OBJECT (dialog), "groups");
  GtkLabel *total = g_object_get_data (G_OBJECT (dialog), "total");
  TendInstrument inst = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "instrument"));
  guint score = 0, answered = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < groups->len; i++)
    {
      GtkToggleButton **buttons = g_ptr_array_index (groups, i);

      for (guint v = 0; v < tend_instrument_get_n_options (inst, i); v++)
        if (gtk_toggle_button_get_active (buttons[v]))
          {
            score += v;
            answered++;
          }
    }
  if (answered == groups->len)
    {
      guint answers[TEND_INSTRUMENT_MAX_ITEMS] = { 0 };
      g_autoptr(TendMeasure) m = NULL;
      g_autofree char *result = NULL;

      for (guint i = 0; i < groups->len; i++)
        {
          GtkToggleButton **buttons = g_ptr_array_index (groups, i);

          for (guint v = 0; v < tend_instrument_get_n_options (inst, i); v++)
            if (gtk_toggle_button_get_active (buttons[v]))
              answers[i] = v;
        }
      m = tend_measure_new (NULL, inst, "2000-01-01", answers, groups->len);
      result = tend_measure_dup_result (m);
      /* TRANSLATORS: "Score 12 of 27: Moderate" */
      text = g_strdup_printf (_("Score %u of %u: %s"), score, tend_instrument_get_max_score (inst), result);
    }
  else
    text = g_strdup_printf (_("%u of %u answered"), answered, groups->len);
  gtk_label_set_text (total, text);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", answered == groups->len);
}

static void
on_measure_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TendChartPage    *self)
{
  GPtrArray *groups = g_object_get_data (G_OBJECT (dialog), "groups");
  TendInstrument inst = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "instrument"));
  guint answers[TEND_INSTRUMENT_MAX_ITEMS] = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(TendMeasure) m = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;
  for (guint i = 0; i < groups->len; i++)
    {
      GtkToggleButton **buttons = g_ptr_array_index (groups, i);

      for (guint v = 0; v < tend_instrument_get_n_options (inst, i); v++)
        if (gtk_toggle_button_get_active (buttons[v]))
          answers[i] = v;
    }
  m = tend_measure_new (self->client_id, inst, date, answers, groups->len);
  tend_record_set_string (TEND_RECORD (m), "recorded_by", tend_store_get_actor_id (self->store));
  if (!tend_store_save (self->store, TEND_RECORD (m), &error))
    {
      show_error (self, _("The Measure Could Not Be Saved"), error);
      return;
    }
  refresh (self);
  toast (self, tend_measure_has_risk (m) ? _("Saved. Item 9 was answered: a risk alert is shown on the chart.")
                                         : _("Measure saved"));
}

static void
on_record_measure_clicked_cb (GtkButton     *button,
                              TendChartPage *self)
{
  TendInstrument inst = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "instrument"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              tend_instrument_get_title (inst), tend_instrument_get_stem (inst));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *total = gtk_label_new (NULL);
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < tend_instrument_get_n_items (inst); i++)
    {
      g_autofree char *item = g_strdup_printf ("%u. %s", i + 1, tend_instrument_get_item (inst, i));
      GtkWidget *label = text_label (item, NULL);
      GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      guint n_options = tend_instrument_get_n_options (inst, i);
      GtkToggleButton **buttons = g_new0 (GtkToggleButton *, n_options);

      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
      gtk_widget_add_css_class (choices, "linked");
      gtk_box_set_homogeneous (GTK_BOX (choices), TRUE);
      for (guint v = 0; v < n_options; v++)
        {
          /* The option's points, then its words, which wrap in a narrow button. */
          g_autofree char *text = g_strdup_printf ("%u · %s", v, tend_instrument_get_option (inst, i, v));
          GtkWidget *words = gtk_label_new (text);

          gtk_label_set_wrap (GTK_LABEL (words), TRUE);
          gtk_label_set_justify (GTK_LABEL (words), GTK_JUSTIFY_CENTER);
          gtk_label_set_max_width_chars (GTK_LABEL (words), 12);
          buttons[v] = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
          gtk_button_set_child (GTK_BUTTON (buttons[v]), words);
          gtk_widget_set_hexpand (GTK_WIDGET (buttons[v]), TRUE);
          if (v > 0)
            gtk_toggle_button_set_group (buttons[v], buttons[0]);
          g_signal_connect_object (buttons[v], "toggled", G_CALLBACK (update_measure_form), dialog, G_CONNECT_SWAPPED);
          gtk_box_append (GTK_BOX (choices), GTK_WIDGET (buttons[v]));
        }
      gtk_accessible_update_relation (GTK_ACCESSIBLE (choices), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
      g_ptr_array_add (groups, buttons);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), choices);
    }
  gtk_widget_add_css_class (total, "heading");
  gtk_label_set_wrap (GTK_LABEL (total), TRUE);
  gtk_label_set_xalign (GTK_LABEL (total), 0);
  gtk_box_append (GTK_BOX (box), total);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 520);
  gtk_widget_set_size_request (scroller, 560, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "groups", groups, (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (dialog), "total", total);
  g_object_set_data (G_OBJECT (dialog), "instrument", GINT_TO_POINTER (inst));
  update_measure_form (dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_measure_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
refresh_measures (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_MEASURES];
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  clear_box (page);
  for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
    self->graphs[i] = NULL;
  if (!self->clinical)
    return;
  all = tend_chart_list_measures (self->store, self->client_id, -1, &error);
  if (all == NULL)
    {
      show_read_error (page, error);
      return;
    }
  for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
    {
      TendInstrument inst = (TendInstrument) i;
      GtkWidget *group = group_new (page, tend_instrument_get_title (inst), NULL);
      GtkWidget *record = gtk_button_new_with_label (_("Record…"));
      GtkWidget *frame = gtk_frame_new (NULL);
      GtkWidget *graph = tend_measure_graph_new (inst);
      TendMeasure *latest = NULL;

      for (guint k = 0; all != NULL && k < all->len; k++)
        if (tend_measure_get_instrument (g_ptr_array_index (all, k)) == inst)
          latest = g_ptr_array_index (all, k);
      g_object_set_data (G_OBJECT (record), "instrument", GINT_TO_POINTER (inst));
      g_signal_connect_object (record, "clicked", G_CALLBACK (on_record_measure_clicked_cb), self, 0);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), record);
      if (latest != NULL)
        {
          g_autofree char *date = format_iso_date (tend_measure_get_date (latest));
          g_autofree char *result = tend_measure_dup_result (latest);
          /* TRANSLATORS: "Latest: 9 of 27, Mild, on 03/02/2026" */
          g_autofree char *desc = g_strdup_printf (_("Latest: %u of %u, %s, on %s"), tend_measure_get_score (latest),
                                                   tend_instrument_get_max_score (inst), result, date);
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), desc);
        }
      else
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("Not given yet."));
      tend_measure_graph_set_measures (TEND_MEASURE_GRAPH (graph), all);
      gtk_widget_set_size_request (graph, -1, 200);
      gtk_widget_set_margin_top (graph, 6);
      gtk_widget_set_margin_bottom (graph, 6);
      gtk_frame_set_child (GTK_FRAME (frame), graph);
      gtk_widget_add_css_class (frame, "view");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
      self->graphs[i] = graph;
    }
}

/* Diagnoses, plan */

static void
fill_icd_results (GtkSearchEntry *entry,
                  GtkListBox     *list)
{
  g_autoptr(GPtrArray) hits = tend_icd10_search (gtk_editable_get_text (GTK_EDITABLE (entry)), 30);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  for (guint i = 0; i < hits->len; i++)
    {
      const TendIcd10Entry *e = g_ptr_array_index (hits, i);
      g_autofree char *title = e->billable ? g_strdup (e->code)
                                           /* Translators: an ICD-10-CM code that a claim cannot carry */
                                           : g_strdup_printf (_("%s · heading, not billable"), e->code);
      GtkWidget *row = row_new (title, e->description);

      g_object_set_data (G_OBJECT (row), "entry", (gpointer) e);
      gtk_list_box_append (list, row);
    }
  if (hits->len > 0)
    gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
}

static void
on_diagnosis_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          TendChartPage    *self)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (dialog), "list");
  GtkCheckButton *primary = g_object_get_data (G_OBJECT (dialog), "primary");
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);
  const TendIcd10Entry *e = row != NULL ? g_object_get_data (G_OBJECT (row), "entry") : NULL;
  g_autoptr(TendDiagnosis) dx = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  if (g_strcmp0 (response, "add") != 0 || e == NULL)
    return;
  dx = tend_diagnosis_new (self->client_id, e->code, e->description);
  tend_record_set_string (TEND_RECORD (dx), "rank", gtk_check_button_get_active (primary) ? "primary" : "secondary");
  tend_record_set_string (TEND_RECORD (dx), "onset", today);
  tend_record_set_string (TEND_RECORD (dx), "recorded_by", tend_store_get_actor_id (self->store));
  if (!tend_store_save (self->store, TEND_RECORD (dx), &error))
    {
      show_error (self, _("The Diagnosis Could Not Be Added"), error);
      return;
    }
  refresh (self);
  toast (self, _("Diagnosis added"));
}

static void
on_add_diagnosis_clicked_cb (TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Add a Diagnosis"),
                                              _("Search the ICD-10-CM list by code (F41.1, f411) or by words (panic, adjustment anxiety)."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *primary = gtk_check_button_new_with_mnemonic (_("_Primary diagnosis"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search diagnoses"), -1);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_SINGLE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scroller, 460, 280);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), primary);
  g_signal_connect (entry, "search-changed", G_CALLBACK (fill_icd_results), list);
  fill_icd_results (GTK_SEARCH_ENTRY (entry), GTK_LIST_BOX (list));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "list", list);
  g_object_set_data (G_OBJECT (dialog), "primary", primary);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_diagnosis_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_resolve_clicked_cb (GtkButton     *button,
                       TendChartPage *self)
{
  TendRecord *dx = g_object_get_data (G_OBJECT (button), "diagnosis");
  g_autoptr(TendRecord) copy = tend_record_copy (dx);
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(GError) error = NULL;

  tend_record_set_string (copy, "resolved", today);
  if (!tend_store_save (self->store, copy, &error))
    {
      show_error (self, _("The Diagnosis Could Not Be Changed"), error);
      return;
    }
  refresh (self);
  {
    AdwToast *t = adw_toast_new (_("Diagnosis marked resolved"));

    adw_toast_set_button_label (t, _("_Undo"));
    adw_toast_set_action_name (t, "chart.unresolve");
    adw_toast_set_action_target_value (t, g_variant_new_string (tend_record_get_id (copy)));
    adw_toast_overlay_add_toast (self->toasts, t);
  }
}

static void
unresolve_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(TendRecord) dx = NULL;
  g_autoptr(GError) error = NULL;

  dx = tend_store_load (self->store, TEND_TYPE_DIAGNOSIS, g_variant_get_string (parameter, NULL), &error);
  if (dx != NULL)
    tend_record_set_string (dx, "resolved", NULL);
  if (dx == NULL || !tend_store_save (self->store, dx, &error))
    {
      show_error (self, _("The Diagnosis Could Not Be Changed"), error);
      return;
    }
  refresh (self);
}

static void
refresh_diagnoses (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_DIAGNOSES];
  g_autoptr(GPtrArray) dxs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group;

  clear_box (page);
  if (!self->diagnoses)
    return;
  dxs = tend_chart_list_diagnoses (self->store, self->client_id, &error);
  if (dxs == NULL)
    {
      show_read_error (page, error);
      return;
    }
  group = group_new (page, _("Diagnoses"), _("ICD-10-CM"));
  if (self->clinical)
    {
      GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add…"));

      g_signal_connect_object (add, "clicked", G_CALLBACK (on_add_diagnosis_clicked_cb), self, G_CONNECT_SWAPPED);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);
    }
  for (guint i = 0; dxs != NULL && i < dxs->len; i++)
    {
      TendDiagnosis *dx = g_ptr_array_index (dxs, i);
      g_autofree char *title = g_strdup_printf ("%s %s", tend_diagnosis_get_code (dx), tend_diagnosis_get_description (dx));
      g_autofree char *onset = format_iso_date (tend_diagnosis_get_onset (dx));
      g_autofree char *resolved = tend_diagnosis_get_resolved (dx) != NULL ? format_iso_date (tend_diagnosis_get_resolved (dx)) : NULL;
      g_autofree char *sub = resolved != NULL
                             /* TRANSLATORS: rank, onset date, resolved date */
                             ? g_strdup_printf (_("%s · onset %s · resolved %s"),
                                                tend_diagnosis_get_rank (dx) == TEND_DIAGNOSIS_PRIMARY ? _("Primary") : _("Secondary"),
                                                onset, resolved)
                             : g_strdup_printf (_("%s · onset %s"),
                                                tend_diagnosis_get_rank (dx) == TEND_DIAGNOSIS_PRIMARY ? _("Primary") : _("Secondary"),
                                                onset);
      GtkWidget *row = row_new (title, sub);

      if (self->clinical && tend_diagnosis_is_active (dx))
        {
          GtkWidget *resolve = gtk_button_new_with_mnemonic (_("_Resolved"));

          gtk_widget_set_valign (resolve, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (resolve, _("Mark the diagnosis resolved today"));
          g_object_set_data_full (G_OBJECT (resolve), "diagnosis", g_object_ref (dx), g_object_unref);
          g_signal_connect_object (resolve, "clicked", G_CALLBACK (on_resolve_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), resolve);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (dxs == NULL || dxs->len == 0)
    add_row (group, _("No diagnoses recorded"), NULL);
}

static void
on_plan_saved_cb (TendChartPage *self)
{
  refresh (self);
  toast (self, _("Treatment plan saved as a draft"));
}

static void
on_edit_plan_clicked_cb (GtkButton     *button,
                         TendChartPage *self)
{
  /* A signed plan is revised as a new draft; a draft is edited. */
  TendTreatmentPlan *plan = g_object_get_data (G_OBJECT (button), "plan");
  TendPlanEditor *editor = tend_plan_editor_new (self->store, self->client_id, plan, self->zone);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_plan_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_sign_plan_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          TendChartPage    *self)
{
  g_autoptr(TendTreatmentPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "sign") != 0)
    return;
  plan = tend_chart_sign_plan (self->store, g_object_get_data (G_OBJECT (dialog), "plan-id"), &error);
  if (plan == NULL)
    {
      show_error (self, _("The Treatment Plan Could Not Be Signed"), error);
      return;
    }
  refresh (self);
  toast (self, _("Treatment plan signed"));
}

static void
on_sign_plan_clicked_cb (GtkButton     *button,
                         TendChartPage *self)
{
  TendTreatmentPlan *plan = g_object_get_data (G_OBJECT (button), "plan");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Sign the Treatment Plan?"),
                                              _("A signed plan can no longer be edited; later changes are made in a revised plan."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "sign", _("_Sign"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "plan-id", g_strdup (tend_record_get_id (TEND_RECORD (plan))), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_plan_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void refresh_plan (TendChartPage *self);

static void
on_safety_plan_clicked_cb (GtkButton     *button,
                           TendChartPage *self)
{
  g_autoptr(GPtrArray) plans = tend_chart_list_safety_plans (self->store, self->client_id, NULL);
  TendSafetyPlanWindow *window;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  window = tend_safety_plan_window_new (self->store, self->client_id,
                                        plans != NULL && plans->len > 0 ? plans->pdata[0] : NULL, self->zone);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  g_signal_connect_object (window, "saved", G_CALLBACK (refresh_plan), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

/* The client's current safety plan under the treatment plan. */
static void
add_safety_plan_group (TendChartPage *self,
                       GtkBox        *page)
{
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group;
  GtkWidget *button;

  plans = tend_chart_list_safety_plans (self->store, self->client_id, &error);
  if (plans == NULL)
    {
      show_read_error (page, error);
      return;
    }
  if (plans->len == 0)
    {
      group = group_new (page, _("Safety Plan"), NULL);
      add_row (group, _("No safety plan yet"), NULL);
      button = gtk_button_new_with_mnemonic (_("New _Safety Plan…"));
    }
  else
    {
      TendSafetyPlan *plan = plans->pdata[0];
      g_autofree char *date = format_iso_date (tend_record_get_string (TEND_RECORD (plan), "plan_date"));
      g_autofree char *desc = g_strdup_printf (tend_record_get_int (TEND_RECORD (plan), "shared_with_client")
                                               ? _("Made %s · shared with the client") : _("Made %s"), date);
      g_autofree char *text = tend_safety_plan_dup_plain_text (plan);
      GtkWidget *label = text_label (text, NULL);
      GtkWidget *frame = gtk_frame_new (NULL);

      group = group_new (page, _("Safety Plan"), desc);
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_frame_set_child (GTK_FRAME (frame), label);
      gtk_widget_add_css_class (frame, "view");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
      button = gtk_button_new_with_mnemonic (_("Revise _Safety Plan…"));
    }
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_safety_plan_clicked_cb), self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), button);
}

static void
refresh_plan (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_PLAN];
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GError) error = NULL;
  TendTreatmentPlan *plan;
  GtkWidget *group;
  g_autofree char *text = NULL;
  g_autofree char *review = NULL;
  g_autofree char *desc = NULL;
  const char *frequency;

  clear_box (page);
  if (!self->clinical)
    return;
  plans = tend_chart_list_plans (self->store, self->client_id, &error);
  if (plans == NULL)
    {
      show_read_error (page, error);
      return;
    }
  if (plans->len == 0)
    {
      GtkWidget *create = gtk_button_new_with_mnemonic (_("_New Plan…"));

      group = group_new (page, _("Treatment Plan"), NULL);
      g_signal_connect_object (create, "clicked", G_CALLBACK (on_edit_plan_clicked_cb), self, 0);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), create);
      add_row (group, _("No treatment plan yet"), NULL);
      add_safety_plan_group (self, page);
      return;
    }
  plan = g_ptr_array_index (plans, 0);
  review = format_iso_date (tend_treatment_plan_get_review_date (plan));
  desc = g_strdup_printf (tend_treatment_plan_get_status (plan) == TEND_SIGN_STATUS_SIGNED
                          ? _("Signed · review by %s") : _("Draft · review by %s"), review);
  frequency = tend_record_get_string (TEND_RECORD (plan), "frequency");
  if (frequency != NULL)
    {
      /* TRANSLATORS: "Signed · review by 05/01/2027" and the plan's frequency of sessions */
      char *with = g_strdup_printf (_("%s · %s"), desc, frequency);

      g_free (desc);
      desc = with;
    }
  group = group_new (page, _("Treatment Plan"), desc);
  {
    GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    gboolean draft = tend_treatment_plan_get_status (plan) == TEND_SIGN_STATUS_DRAFT;
    GtkWidget *edit = gtk_button_new_with_mnemonic (draft ? _("_Edit…") : _("_Revise…"));

    g_object_set_data_full (G_OBJECT (edit), "plan", g_object_ref (plan), g_object_unref);
    g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_plan_clicked_cb), self, 0);
    gtk_box_append (GTK_BOX (buttons), edit);
    if (draft)
      {
        GtkWidget *sign = gtk_button_new_with_mnemonic (_("_Sign…"));

        gtk_widget_add_css_class (sign, "suggested-action");
        g_object_set_data_full (G_OBJECT (sign), "plan", g_object_ref (plan), g_object_unref);
        g_signal_connect_object (sign, "clicked", G_CALLBACK (on_sign_plan_clicked_cb), self, 0);
        gtk_box_append (GTK_BOX (buttons), sign);
      }
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), buttons);
  }
  text = tend_treatment_plan_dup_outline (plan, format_iso_date);
  {
    GtkWidget *label = text_label (text, NULL);
    GtkWidget *frame = gtk_frame_new (NULL);

    gtk_widget_set_margin_start (label, 12);
    gtk_widget_set_margin_end (label, 12);
    gtk_widget_set_margin_top (label, 12);
    gtk_widget_set_margin_bottom (label, 12);
    gtk_frame_set_child (GTK_FRAME (frame), label);
    gtk_widget_add_css_class (frame, "view");
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  }
  add_safety_plan_group (self, page);
}

/* Documents */

typedef struct
{
  GBytes *bytes;
  char   *title;
  char   *mime;
} Attachment;

static void
attachment_free (Attachment *a)
{
  g_clear_pointer (&a->bytes, g_bytes_unref);
  g_free (a->title);
  g_free (a->mime);
  g_free (a);
}

/* In a thread: read the file, tell what it is, check a PDF with poppler. */
static void
read_attachment_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GFile *file = task_data;
  Attachment *a = g_new0 (Attachment, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, &error))
    {
      attachment_free (a);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  a->bytes = g_bytes_new_take (contents, len);
  type = g_content_type_guess (basename, (const guchar *) contents, MIN (len, 4096), NULL);
  a->mime = g_content_type_get_mime_type (type);
  a->title = g_strdup (basename);
  if (g_strcmp0 (a->mime, "application/pdf") == 0 && !tend_pdf_check (a->bytes, NULL, &error))
    {
      attachment_free (a);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, a, (GDestroyNotify) attachment_free);
}

static void
on_attachment_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TendChartPage *self = TEND_CHART_PAGE (source);
  g_autoptr(GError) error = NULL;
  Attachment *a = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(TendDocument) doc = NULL;

  if (a == NULL ||
      (doc = tend_chart_attach_document (self->store, self->client_id, a->title, a->mime, a->bytes, &error)) == NULL)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      show_error (self, _("The File Could Not Be Attached"), error);
    }
  else
    {
      refresh (self);
      toast (self, _("Document attached"));
    }
  self->attaching--;
  if (a != NULL)
    attachment_free (a);
}

static void
on_attach_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       TendChartPage   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file != NULL)
    tend_chart_page_attach_file (self, file);
}

static void
on_attach_clicked_cb (TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Attach a Document"),
                                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"), _("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("PDF documents and images"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_attach_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_document_response_cb (GtkNativeDialog *dialog,
                                int              response,
                                TendChartPage   *self)
{
  g_autoptr(GFile) file = NULL;
  GBytes *bytes = g_object_get_data (G_OBJECT (dialog), "bytes");

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    {
      g_autoptr(GError) error = NULL;
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      /* Small and local: written at once, owner-only like every export. */
      if (!g_file_set_contents_full (g_file_peek_path (file), data, (gssize) len,
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        show_error (self, _("The Document Could Not Be Saved"), error);
      else
        toast (self, _("Document exported"));
    }
  g_object_unref (dialog);
}

static void
on_export_document_clicked_cb (TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export the Document"),
                                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), self->document_title);
  g_object_set_data_full (G_OBJECT (chooser), "bytes", g_bytes_ref (self->document_bytes),
                          (GDestroyNotify) g_bytes_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_document_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Takes @bytes. */
static void
show_document (TendChartPage *self,
               GBytes        *bytes,
               const char    *mime,
               const char    *title)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export…"));

  close_document (self);
  self->document_bytes = bytes;
  self->document_title = g_strdup (title);

  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  gtk_widget_set_tooltip_text (back, _("Back to the chart"));
  g_signal_connect_object (back, "clicked", G_CALLBACK (on_back_to_chart_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (bar), back);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (bar), label);
  g_signal_connect_object (export, "clicked", G_CALLBACK (on_export_document_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_box_append (self->document_box, bar);
  gtk_box_append (self->document_box, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->document_view = TEND_DOCUMENT_VIEW (tend_document_view_new ());
  tend_document_view_load (self->document_view, bytes, mime);
  gtk_box_append (self->document_box, GTK_WIDGET (self->document_view));
  gtk_stack_set_visible_child_name (self->mode, "document");
}

static void
on_document_row_activated_cb (AdwActionRow  *row,
                              TendChartPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendDocument) doc = NULL;
  GBytes *bytes = tend_chart_read_document (self->store, g_object_get_data (G_OBJECT (row), "document-id"), &doc, &error);

  if (bytes == NULL)
    {
      show_error (self, _("The Document Could Not Be Opened"), error);
      return;
    }
  show_document (self, bytes, tend_document_get_mime_type (doc), tend_document_get_title (doc));
}

static void refresh_documents (TendChartPage *self);

static void
on_share_clicked_cb (GtkButton     *button,
                     TendChartPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "document-id");
  gboolean share = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "share"));
  g_autoptr(GError) error = NULL;

  if (!tend_chart_share_document (self->store, id, share, &error))
    {
      show_error (self, share ? _("The Document Was Not Shared") : _("The Document Is Still Shared"), error);
      return;
    }
  refresh_documents (self);
  toast (self, share ? _("Shared: the client can download it from the portal")
                     : _("No longer shared with the client"));
}

static void
refresh_documents (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_DOCUMENTS];
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group, *attach;

  clear_box (page);
  if (!self->clinical)
    return;
  docs = tend_chart_list_documents (self->store, self->client_id, &error);
  if (docs == NULL)
    {
      show_read_error (page, error);
      return;
    }
  group = group_new (page, _("Documents"), _("Stored encrypted with the rest of the chart."));
  attach = gtk_button_new_with_mnemonic (_("_Attach…"));
  g_signal_connect_object (attach, "clicked", G_CALLBACK (on_attach_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), attach);
  for (guint i = 0; docs != NULL && i < docs->len; i++)
    {
      TendDocument *doc = g_ptr_array_index (docs, i);
      g_autofree char *size = g_format_size ((guint64) tend_document_get_size (doc));
      g_autofree char *desc = g_content_type_get_description (tend_document_get_mime_type (doc));
      gboolean shared = tend_record_get_int (TEND_RECORD (doc), "shared_with_client") != 0;
      /* TRANSLATORS: a document's type and size, and that the client sees it in the portal */
      g_autofree char *sub = shared ? g_strdup_printf (_("%s · %s · Shared with the client"), desc, size)
                                    : g_strdup_printf ("%s · %s", desc, size);
      GtkWidget *row = row_new (tend_document_get_title (doc), sub);

      /* With a practice server, a document can be offered in the portal. */
      if (self->sync != NULL)
        {
          GtkWidget *share = gtk_button_new_with_mnemonic (shared ? _("Stop _Sharing") : _("_Share with Client"));

          gtk_widget_set_valign (share, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (share, "flat");
          gtk_widget_set_tooltip_text (share, shared ? _("The client will no longer see it in the portal")
                                                     : _("The client can download it from the portal"));
          g_object_set_data_full (G_OBJECT (share), "document-id", g_strdup (tend_record_get_id (TEND_RECORD (doc))), g_free);
          g_object_set_data (G_OBJECT (share), "share", GINT_TO_POINTER (!shared));
          g_object_set_data (G_OBJECT (share), "share-button", GINT_TO_POINTER (1));  /* for tests */
          g_signal_connect_object (share, "clicked", G_CALLBACK (on_share_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), share);
        }
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "document-id", g_strdup (tend_record_get_id (TEND_RECORD (doc))), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_document_row_activated_cb), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (docs == NULL || docs->len == 0)
    add_row (group, _("No documents yet"), _("Attach referral letters, releases and scanned forms (PDF, PNG, JPEG)."));
}

/* Contacts */

static void
on_client_edited_cb (TendClientForm *form,
                     const char     *client_id,
                     TendChartPage  *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) client = tend_store_load (self->store, TEND_TYPE_CLIENT, client_id, &error);

  if (client != NULL)
    g_set_object (&self->client, TEND_CLIENT (client));
  else
    show_error (self, _("The Client Could Not Be Read Again"), error);
  refresh (self);
  toast (self, _("Client details saved"));
}

static void
on_edit_client_clicked_cb (TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TendClientForm *form = tend_client_form_new_for_client (self->store, self->client);

  gtk_window_set_modal (GTK_WINDOW (form), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (root));
  g_signal_connect_object (form, "saved", G_CALLBACK (on_client_edited_cb), self, 0);
  gtk_window_present (GTK_WINDOW (form));
}

/* The newest consent of @consent ("telehealth") the client signed in the
 * portal, or NULL. */
static TendRecord *
portal_signed_consent (GPtrArray  *forms,
                       const char *consent)
{
  for (guint i = 0; forms != NULL && i < forms->len; i++)
    {
      TendRecord *form = g_ptr_array_index (forms, i);

      if (g_strcmp0 (tend_record_get_string (form, "kind"), "consent") == 0 &&
          g_strcmp0 (tend_record_get_string (form, "consent"), consent) == 0 &&
          g_strcmp0 (tend_record_get_string (form, "status"), "completed") == 0)
        return form;
    }
  return NULL;
}

/* The day of an ISO 8601 time in the practice's zone, as the chart writes dates. */
static char *
format_iso_time_as_date (TendChartPage *self,
                         const char    *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day = NULL;

  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_timezone (utc, self->zone);
  day = g_date_time_format (local, "%Y-%m-%d");
  return format_iso_date (day);
}

static void
refresh_contacts (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_CONTACTS];
  TendRecord *c = TEND_RECORD (self->client);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GtkWidget *group;
  g_autofree char *dob = format_iso_date (tend_client_get_date_of_birth (self->client));
  g_autofree char *legal = g_strdup_printf ("%s %s", tend_client_get_legal_given (self->client),
                                            tend_client_get_legal_family (self->client));
  g_autoptr(GPtrArray) portal_forms = NULL;
  static const struct { const char *key; const char *label; } consents[] = {
    { "consents.treatment", N_("Consent to treatment") },
    { "consents.telehealth", N_("Consent to telehealth") },
    { "consents.release_of_information", N_("Release of information") },
  };

  clear_box (page);
  group = group_new (page, _("Client"), NULL);
  {
    TendRole role = TEND_ROLE_OWNER;
    GtkWidget *edit;

    tend_store_get_actor_role (self->store, &role);
    if (tend_role_can (role, TEND_PERMISSION_EDIT_DEMOGRAPHICS))
      {
        edit = gtk_button_new_with_mnemonic (_("_Edit…"));
        g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_client_clicked_cb), self, G_CONNECT_SWAPPED);
        adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), edit);
      }
  }
  add_row (group, legal, _("Legal name"));
  if (tend_client_get_preferred_name (self->client) != NULL)
    add_row (group, tend_client_get_preferred_name (self->client), _("Preferred name"));
  add_row (group, dob, _("Date of birth"));

  group = group_new (page, _("Contact"), NULL);
#define FIELD(name, label) G_STMT_START { \
    if (tend_record_get_string (c, name) != NULL) add_row (group, tend_record_get_string (c, name), label); \
  } G_STMT_END
  FIELD ("phone_mobile", _("Mobile phone"));
  FIELD ("phone_home", _("Home phone"));
  FIELD ("email", _("Email"));
  if (tend_record_get_string (c, "address.line1") != NULL)
    {
      g_autofree char *addr = g_strdup_printf ("%s, %s %s %s", tend_record_get_string (c, "address.line1"),
                                               tend_record_get_string (c, "address.city") ? tend_record_get_string (c, "address.city") : "",
                                               tend_record_get_string (c, "address.region") ? tend_record_get_string (c, "address.region") : "",
                                               tend_record_get_string (c, "address.postal_code") ? tend_record_get_string (c, "address.postal_code") : "");
      add_row (group, addr, _("Address"));
    }
  group = group_new (page, _("Emergency Contact"), NULL);
  FIELD ("emergency_contact.name", _("Name"));
  FIELD ("emergency_contact.relationship", _("Relationship"));
  FIELD ("emergency_contact.phone", _("Phone"));
  group = group_new (page, _("Insurance"), NULL);
  FIELD ("insurance.payer", _("Payer"));
  FIELD ("insurance.member_number", _("Member number"));
  FIELD ("insurance.group_number", _("Group number"));
  FIELD ("insurance.subscriber", _("Subscriber"));
  if (tend_record_get_string (c, "insurance.payer") == NULL)
    add_row (group, _("Self-pay"), _("No insurance on file"));
  group = group_new (page, _("Consents"), NULL);
  /* A consent the client signed in the portal (its PDF is in Documents)
   * says so before any date typed by staff. */
  portal_forms = tend_chart_list_portal_forms (self->store, self->client_id, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (consents); i++)
    {
      g_autofree char *date_key = g_strconcat (consents[i].key, ".date", NULL);
      g_autofree char *by_key = g_strconcat (consents[i].key, ".recorded_by", NULL);
      const char *date = tend_record_get_string (c, date_key);
      TendRecord *signed_form = portal_signed_consent (portal_forms, consents[i].key + strlen ("consents."));
      g_autofree char *sub = NULL;

      if (signed_form != NULL)
        {
          g_autofree char *d = format_iso_time_as_date (self, tend_record_get_string (signed_form, "completed_at"));

          /* TRANSLATORS: "Signed in the portal on 12/07/2026 as “Ana Ruiz”": the name the client typed */
          sub = g_strdup_printf (_("Signed in the portal on %s as “%s”"), d,
                                 tend_record_get_string (signed_form, "signed_name"));
        }
      else if (date != NULL)
        {
          g_autofree char *d = format_iso_date (date);
          /* TRANSLATORS: date, staff member: "Signed 01/05/2026, recorded by Rosa Delgado" */
          sub = g_strdup_printf (_("Signed %s, recorded by %s"), d, staff_name (self, tend_record_get_string (c, by_key), names));
        }
      add_row (group, _(consents[i].label), sub != NULL ? sub : _("Not on file"));
    }
  FIELD ("referral_source", _("Referral source"));
#undef FIELD
  gtk_box_append (page, tend_related_people_new (self->store, self->sync, self->client_id));
}

static const char *
action_label (const char *action)
{
  static const struct { const char *action; const char *label; } labels[] = {
    { "open-chart", N_("Opened the chart") },
    { "view-note", N_("Read a note") },
    { "sign-note", N_("Signed a note") },
    { "sign-addendum", N_("Signed an addendum") },
    { "cosign-note", N_("Co-signed a note") },
    { "sign-plan", N_("Signed a treatment plan") },
    { "view-document", N_("Opened a document") },
    { "export-chart", N_("Exported the chart") },
    { "break-glass", N_("Broke the glass (emergency access)") },
    { "create", N_("Created") },
    { "update", N_("Changed") },
    { "delete", N_("Deleted") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (action, labels[i].action) == 0)
      return _(labels[i].label);
  return action;
}

static const char *
record_type_label (const char *type)
{
  static const struct { const char *type; const char *label; } labels[] = {
    { "client", N_("client record") },
    { "note", N_("note") },
    { "measure", N_("measure") },
    { "diagnosis", N_("diagnosis") },
    { "treatment_plan", N_("treatment plan") },
    { "document", N_("document") },
    { "chart_access", N_("access to the chart") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (type, labels[i].type) == 0)
      return _(labels[i].label);
  return type != NULL ? type : "";
}

static void
refresh_audit (TendChartPage *self)
{
  GtkBox *page = self->pages[PAGE_AUDIT];
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) trail = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *group;
  guint shown = 0;

  clear_box (page);
  if (!self->audit)
    return;
  trail = tend_chart_list_audit (self->store, self->client_id, &error);
  if (trail == NULL)
    {
      show_read_error (page, error);
      return;
    }
  group = group_new (page, _("Audit Trail"),
                     _("Who opened, read, signed, changed or exported this client’s records, newest first."));
  for (guint i = trail != NULL ? trail->len : 0; i > 0 && shown < 200; i--, shown++)
    {
      TendAuditEntry *e = g_ptr_array_index (trail, i - 1);
      g_autoptr(GDateTime) at = tend_time_from_unix_usec (e->at);
      g_autofree char *when = tend_time_format_local (at, self->zone);
      const char *who = e->actor_id != NULL ? staff_name (self, e->actor_id, names) : _("The system");
      /* TRANSLATORS: what was done, to what: "Changed · note" */
      g_autofree char *title = g_strdup_printf (_("%s · %s"), action_label (e->action), record_type_label (e->record_type));
      g_autofree char *sub = g_strdup_printf ("%s · %s", when, who);

      add_row (group, title, sub);
    }
  if (shown == 0)
    add_row (group, _("Nothing recorded yet"), NULL);
}

static void
refresh (TendChartPage *self)
{
  if (self->client == NULL)
    return;
  {
    g_autoptr(GError) error = NULL;

    self->locked = self->clinical && !tend_store_check_chart (self->store, self->client_id, &error) &&
                   g_error_matches (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  }
  refresh_header (self);
  refresh_overview (self);
  refresh_notes (self);
  refresh_diagnoses (self);
  refresh_plan (self);
  refresh_measures (self);
  refresh_documents (self);
  refresh_contacts (self);
  refresh_audit (self);
}

/* Export */

typedef struct
{
  TendStore     *worker;
  char          *client_id;
  char          *from;
  char          *to;
  char          *path;
  gboolean       messages;  /* with the conversations with the client */
  TendChartPage *self;     /* only touched on the main thread */
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->worker);
  g_free (job->client_id);
  g_free (job->from);
  g_free (job->to);
  g_free (job->path);
  g_free (job);
}

typedef struct
{
  GWeakRef page;
  double   fraction;
} Progress;

static gboolean
progress_idle_cb (gpointer data)
{
  Progress *p = data;
  g_autoptr(TendChartPage) self = g_weak_ref_get (&p->page);

  if (self != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, p->fraction);
  g_weak_ref_clear (&p->page);
  g_free (p);
  return G_SOURCE_REMOVE;
}

static void
export_progress_cb (double   fraction,
                    gpointer user_data)
{
  Progress *p = g_new0 (Progress, 1);

  g_weak_ref_init (&p->page, user_data);
  p->fraction = fraction;
  g_idle_add (progress_idle_cb, p);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(TendChartBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  bundle = tend_chart_collect (job->worker, job->client_id, job->from, job->to, &error);
  if (bundle == NULL ||
      (job->messages && !tend_chart_collect_messages (job->worker, bundle, &error)) ||
      !tend_chart_pdf_write (bundle, job->path, cancellable, export_progress_cb, source, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * tend_chart_page_export_async:
 * @from: (nullable): first date, YYYY-MM-DD
 * @to: (nullable): last date
 *
 * Writes the chart as a PDF in a thread, on a connection of its own, with
 * progress shown under the header and a Cancel button.
 */
void
tend_chart_page_export_async (TendChartPage      *self,
                              GFile              *file,
                              const char         *from,
                              const char         *to,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  ExportJob *job = g_new0 (ExportJob, 1);

  g_task_set_source_tag (task, tend_chart_page_export_async);
  job->worker = tend_store_open_worker (self->store, &error);
  job->client_id = g_strdup (self->client_id);
  job->from = g_strdup (from);
  job->to = g_strdup (to);
  job->path = g_file_get_path (file);
  job->messages = self->export_messages;
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  if (job->worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tend_chart_page_export_finish (TendChartPage *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TendChartPage *self = TEND_CHART_PAGE (source);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->export_cancellable);
  if (!tend_chart_page_export_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("The Chart Could Not Be Exported"), error);
      else
        toast (self, _("Export cancelled"));
      return;
    }
  toast (self, _("Chart exported"));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       TendChartPage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *from = g_strdup (g_object_get_data (G_OBJECT (dialog), "from"));
  g_autofree char *to = g_strdup (g_object_get_data (G_OBJECT (dialog), "to"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL)
    return;
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  tend_chart_page_export_async (self, file, from, to, self->export_cancellable, on_export_done_cb, NULL);
}

static void
choose_export_file (TendChartPage *self,
                    const char    *from,
                    const char    *to)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export the Chart as PDF"),
                                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  g_autofree char *display = tend_client_dup_display_name (self->client);
  /* TRANSLATORS: a file name: "Chart - Ann Smith.pdf" */
  g_autofree char *name = g_strdup_printf (_("Chart - %s.pdf"), display);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "from", g_strdup (from), g_free);
  g_object_set_data_full (G_OBJECT (chooser), "to", g_strdup (to), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * tend_chart_page_set_export_messages:
 *
 * Whether the next export includes the conversations with the client (the
 * export dialog's check box).
 */
void
tend_chart_page_set_export_messages (TendChartPage *self,
                                     gboolean       include)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  self->export_messages = include;
}

static void
on_export_messages_toggled_cb (GtkCheckButton *button,
                               TendChartPage  *self)
{
  tend_chart_page_set_export_messages (self, gtk_check_button_get_active (button));
}

static void
on_export_range_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             TendChartPage    *self)
{
  const char *from = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "from"));
  const char *to = gtk_editable_get_text (g_object_get_data (G_OBJECT (dialog), "to"));
  g_autoptr(GError) error = NULL;
  GDate d;

  if (g_strcmp0 (response, "range") == 0)
    {
      if ((*from != '\0' && !tend_date_parse (from, &d, &error)) ||
          (*to != '\0' && !tend_date_parse (to, &d, &error)))
        {
          show_error (self, _("The Chart Could Not Be Exported"), error);
          return;
        }
      choose_export_file (self, *from != '\0' ? from : NULL, *to != '\0' ? to : NULL);
    }
  else if (g_strcmp0 (response, "all") == 0)
    choose_export_file (self, NULL, NULL);
}

static void
on_export_clicked_cb (TendChartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Export the Chart"),
                                              _("The whole record, or the notes and measures of some dates (diagnoses and plans are always included). The export is recorded in the audit log."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *from = gtk_entry_new ();
  GtkWidget *to = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (from), _("From (YYYY-MM-DD)"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (to), _("To (YYYY-MM-DD)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (from), GTK_ACCESSIBLE_PROPERTY_LABEL, _("First date"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (to), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Last date"), -1);
  gtk_box_append (GTK_BOX (box), from);
  gtk_box_append (GTK_BOX (box), to);
  {
    GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
    GtkWidget *messages = gtk_check_button_new_with_mnemonic (_("Include _messages with the client"));

    /* The messages are part of the record, but a request for the record
     * does not always cover them: asked each time, off by default. */
    gtk_check_button_set_active (GTK_CHECK_BUTTON (messages), self->export_messages);
    g_signal_connect_object (messages, "toggled", G_CALLBACK (on_export_messages_toggled_cb), self, 0);
    gtk_box_append (GTK_BOX (column), box);
    gtk_box_append (GTK_BOX (column), messages);
    adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), column);
  }
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "range", _("These _Dates…"), "all", _("_Whole Record…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "all", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "from", from);
  g_object_set_data (G_OBJECT (dialog), "to", to);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_range_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_cancel_export_clicked_cb (TendChartPage *self)
{
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

/* Actions */

static void
new_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GError) error = NULL;
  TendNoteTemplate t;

  if (!tend_note_template_from_string (g_variant_get_string (parameter, NULL), &t) ||
      tend_chart_page_new_note (self, t, &error) == NULL)
    show_error (self, _("The Note Could Not Be Created"), error);
}

static void
on_break_glass_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            TendChartPage    *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendChartAccess) access = NULL;

  if (g_strcmp0 (response, "break") != 0)
    return;
  access = tend_chart_break_glass (self->store, self->client_id,
                                   tend_break_glass_dialog_get_reason (TEND_BREAK_GLASS_DIALOG (dialog)), &error);
  if (access == NULL)
    {
      show_error (self, _("The Glass Could Not Be Broken"), error);
      return;
    }
  access_changed (self, _("Emergency access recorded"));
}

static void
break_glass_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *client_name = NULL;
  const char *clinician = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  client_name = tend_client_dup_display_name (self->client);
  if (tend_client_get_primary_clinician (self->client) != NULL)
    clinician = staff_name (self, tend_client_get_primary_clinician (self->client), names);
  dialog = tend_break_glass_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, client_name, clinician);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_break_glass_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_give_access_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            TendChartPage    *self)
{
  TendGrantAccessDialog *give = TEND_GRANT_ACCESS_DIALOG (dialog);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendChartAccess) access = NULL;
  g_autofree char *until = NULL;
  const char *staff_id = tend_grant_access_dialog_get_staff_id (give);

  if (g_strcmp0 (response, "give") != 0 || staff_id == NULL)
    return;
  until = tend_grant_access_dialog_dup_until (give);
  access = tend_chart_grant_access (self->store, self->client_id, staff_id,
                                    tend_grant_access_dialog_get_kind (give), until, &error);
  if (access == NULL)
    {
      show_error (self, _("Access Could Not Be Given"), error);
      return;
    }
  access_changed (self, _("Access given"));
}

static void
give_access_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TendChartPage *self = TEND_CHART_PAGE (widget);
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *client_name = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;
  access = tend_chart_list_access (self->store, self->client_id, NULL);
  candidates = grant_candidates (self, access);
  client_name = tend_client_dup_display_name (self->client);
  dialog = tend_grant_access_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, client_name,
                                         candidates, self->zone);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_give_access_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_back_clicked_cb (TendChartPage *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

/* Construction */

static GtkWidget *
build_header (TendChartPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *export = gtk_button_new_with_mnemonic (_("E_xport…"));
  GtkWidget *progress_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_tooltip_text (back, _("Back to the clients"));
  gtk_widget_set_valign (back, GTK_ALIGN_CENTER);
  g_signal_connect_object (back, "clicked", G_CALLBACK (on_back_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (top), back);
  self->avatar = ADW_AVATAR (adw_avatar_new (56, NULL, TRUE));
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->avatar));
  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_wrap (self->name_label, TRUE);
  gtk_label_set_wrap_mode (self->name_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "title-2");
  self->details_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->details_label, 0);
  gtk_label_set_wrap (self->details_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->details_label), "dim-label");
  self->next_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->next_label, 0);
  gtk_label_set_wrap (self->next_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->next_label), "caption");
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->details_label));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->next_label));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (top), text);
  gtk_widget_set_valign (export, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (export, _("Write the chart as a PDF, for a records request"));
  g_signal_connect_object (export, "clicked", G_CALLBACK (on_export_clicked_cb), self, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (self), "export-button", export);
  gtk_box_append (GTK_BOX (top), export);
  gtk_box_append (GTK_BOX (box), top);

  self->alerts = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->alerts));

  self->progress_bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_text (self->progress_bar, _("Exporting the chart…"));
  gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress_bar), GTK_ALIGN_CENTER);
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (on_cancel_export_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (progress_box), GTK_WIDGET (self->progress_bar));
  gtk_box_append (GTK_BOX (progress_box), cancel);
  self->progress_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->progress_revealer, progress_box);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress_revealer));

  gtk_box_append (GTK_BOX (box), tend_view_switcher_new (self->views));
  return box;
}

static void
tend_chart_page_dispose (GObject *object)
{
  TendChartPage *self = TEND_CHART_PAGE (object);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  if (self->invite_cancellable != NULL)
    g_cancellable_cancel (self->invite_cancellable);
  g_clear_object (&self->invite_cancellable);
  g_clear_object (&self->sync);
  if (self->toasts != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->toasts));
      self->toasts = NULL;
    }
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->note_query, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->document_bytes, g_bytes_unref);
  g_clear_pointer (&self->document_title, g_free);
  G_OBJECT_CLASS (tend_chart_page_parent_class)->dispose (object);
}

static void
tend_chart_page_class_init (TendChartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_chart_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "chart.new-note", "s", new_note_action);
  gtk_widget_class_install_action (widget_class, "chart.unresolve", "s", unresolve_action);
  gtk_widget_class_install_action (widget_class, "chart.break-glass", NULL, break_glass_action);
  gtk_widget_class_install_action (widget_class, "chart.give-access", NULL, give_access_action);

  /**
   * TendChartPage::back: the person asked to return to the client list
   */
  signals[BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_chart_page_init (TendChartPage *self)
{
  GtkWidget *chart = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *note_scroller = gtk_scrolled_window_new ();
  GtkWidget *note_clamp = adw_clamp_new ();

  self->notes_shown = NOTES_PAGE;
  self->overdue_days = 3;
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->toasts), GTK_WIDGET (self));
  self->mode = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->mode, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->mode));

  self->views = ADW_VIEW_STACK (adw_view_stack_new ());
  adw_view_stack_set_hhomogeneous (self->views, FALSE);
  adw_view_stack_set_vhomogeneous (self->views, FALSE);
  gtk_stack_set_hhomogeneous (self->mode, FALSE);
  gtk_stack_set_vhomogeneous (self->mode, FALSE);
  gtk_box_append (GTK_BOX (chart), build_header (self));
  for (guint i = 0; i < G_N_ELEMENTS (page_info); i++)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *clamp = adw_clamp_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
      AdwViewStackPage *page;

      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 12);
      gtk_widget_set_margin_bottom (box, 24);
      adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 820);
      adw_clamp_set_child (ADW_CLAMP (clamp), box);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
      page = adw_view_stack_add_titled (self->views, scroller, page_info[i].name, _(page_info[i].title));
      adw_view_stack_page_set_icon_name (page, page_info[i].icon);
      self->pages[i] = GTK_BOX (box);
    }
  gtk_widget_set_vexpand (GTK_WIDGET (self->views), TRUE);
  gtk_box_append (GTK_BOX (chart), GTK_WIDGET (self->views));
  gtk_stack_add_named (self->mode, chart, "chart");

  self->note_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  gtk_widget_set_margin_start (GTK_WIDGET (self->note_box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->note_box), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->note_box), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->note_box), 24);
  adw_clamp_set_maximum_size (ADW_CLAMP (note_clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (note_clamp), GTK_WIDGET (self->note_box));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (note_scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (note_scroller), note_clamp);
  gtk_stack_add_named (self->mode, note_scroller, "note");

  self->document_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_stack_add_named (self->mode, GTK_WIDGET (self->document_box), "document");
}

/* A document that arrives with a sync (a consent the client signed in the
 * portal) or whose sharing changed is listed at once; a consent signed in
 * the portal shows in Contacts. */
static void
on_store_changed_cb (TendStore     *store,
                     const char    *type_name,
                     const char    *id,
                     TendChartPage *self)
{
  if (self->client != NULL && g_strcmp0 (type_name, "document") == 0)
    refresh_documents (self);
  else if (self->client != NULL && g_strcmp0 (type_name, "portal_form") == 0)
    refresh_contacts (self);
}

/* Public API */

GtkWidget *
tend_chart_page_new (void)
{
  return g_object_new (TEND_TYPE_CHART_PAGE, NULL);
}

void
tend_chart_page_set_store (TendChartPage *self,
                           TendStore     *store,
                           GTimeZone     *zone)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
}

/**
 * tend_chart_page_set_client:
 *
 * Shows a client's chart (recording the open in the audit log).
 */
gboolean
tend_chart_page_set_client (TendChartPage *self,
                            const char    *client_id,
                            GError       **error)
{
  g_autoptr(TendRecord) client = NULL;
  TendRole role = TEND_ROLE_OWNER;

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  client = tend_store_load (self->store, TEND_TYPE_CLIENT, client_id, error);
  if (client == NULL || !tend_chart_open (self->store, client_id, error))
    return FALSE;
  g_set_object (&self->client, TEND_CLIENT (client));
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  self->notes_shown = NOTES_PAGE;
  g_clear_pointer (&self->note_query, g_free);
  if (self->note_search != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->note_search), "");
  tend_store_get_actor_role (self->store, &role);
  self->clinical = tend_role_can (role, TEND_PERMISSION_VIEW_CLINICAL);
  self->diagnoses = tend_role_can (role, TEND_PERMISSION_VIEW_DIAGNOSES);
  self->audit = tend_store_get_actor_role (self->store, NULL) ? tend_role_can (role, TEND_PERMISSION_VIEW_AUDIT) : TRUE;
  self->edit_demographics = tend_role_can (role, TEND_PERMISSION_EDIT_DEMOGRAPHICS);
  for (guint i = 0; i < G_N_ELEMENTS (page_info); i++)
    {
      GtkWidget *child = gtk_widget_get_ancestor (GTK_WIDGET (self->pages[i]), GTK_TYPE_SCROLLED_WINDOW);
      gboolean visible = i == PAGE_OVERVIEW || i == PAGE_CONTACTS ||
                         (i == PAGE_AUDIT ? self->audit :
                          i == PAGE_DIAGNOSES ? self->diagnoses : self->clinical);

      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->views, child), visible);
    }
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (self), "export-button"), self->clinical);
  adw_view_stack_set_visible_child_name (self->views, "overview");
  gtk_stack_set_visible_child_name (self->mode, "chart");
  refresh (self);
  return TRUE;
}

/**
 * tend_chart_page_set_sync:
 * @sync: (nullable): the practice server the store syncs with
 *
 * With a server, the Overview offers to invite the client to the portal.
 */
void
tend_chart_page_set_sync (TendChartPage      *self,
                          TendSyncController *sync)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  g_set_object (&self->sync, sync);
}

const char *
tend_chart_page_get_client_id (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->client_id;
}

AdwViewStack *
tend_chart_page_get_views (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->views;
}

/* "chart", "note", "editor" or "document" */
const char *
tend_chart_page_get_mode (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->mode);
}

gboolean
tend_chart_page_has_risk_alert (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  return self->risk;
}

guint
tend_chart_page_get_n_note_rows (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), 0);
  return self->n_note_rows;
}

/**
 * tend_chart_page_search_notes:
 *
 * Searches the client's notes as typing in the Notes tab's search does
 * (empty text: the list again).
 */
void
tend_chart_page_search_notes (TendChartPage *self,
                              const char    *text)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  if (self->note_search != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->note_search), text != NULL ? text : "");
  g_free (self->note_query);
  self->note_query = g_strstrip (g_strdup (text != NULL ? text : ""));
  refresh_notes (self);
}

GtkWidget *
tend_chart_page_get_editor (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->editor;
}

GtkWidget *
tend_chart_page_get_measure_graph (TendChartPage  *self,
                                   TendInstrument  instrument)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  g_return_val_if_fail (instrument < TEND_N_INSTRUMENTS, NULL);
  return self->graphs[instrument];
}

/**
 * tend_chart_page_new_note:
 *
 * Starts a note from a template, linked to and prefilled from the client's
 * latest past session that has no note yet, and opens it in the editor.
 *
 * Returns: (transfer none) (nullable): the editor
 */
GtkWidget *
tend_chart_page_new_note (TendChartPage    *self,
                          TendNoteTemplate  template_,
                          GError          **error)
{
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GPtrArray) past = NULL;
  g_autoptr(GtkButton) opener = NULL;
  const char *author = tend_store_get_actor_id (self->store);

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  if (author == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED, _("Sign in to write notes."));
      return NULL;
    }
  note = tend_clinical_note_new (self->client_id, author, template_);
  past = tend_chart_list_sessions (self->store, self->client_id, g_get_real_time (), FALSE, 10, error);
  if (past == NULL)
    return NULL;
  for (guint i = 0; i < past->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (past, i);
      g_autoptr(TendClinicalNote) existing = NULL;
      g_autoptr(TendVideoSession) video = NULL;
      g_autoptr(GError) local = NULL;

      /* A video session that was held counts as the session held. */
      if (tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH)
        video = tend_chart_find_video_session (self->store, tend_record_get_id (TEND_RECORD (a)), NULL);
      if (tend_appointment_get_status (a) != TEND_APPOINTMENT_COMPLETED &&
          tend_appointment_get_status (a) != TEND_APPOINTMENT_ARRIVED &&
          (video == NULL || !tend_video_session_is_ended (video)))
        continue;
      existing = tend_chart_find_note_for_appointment (self->store, tend_record_get_id (TEND_RECORD (a)), &local);
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (existing == NULL)
        {
          tend_clinical_note_prefill_from_appointment (note, TEND_RECORD (a), self->zone);
          /* What was held, not what was booked. */
          if (video != NULL)
            tend_clinical_note_prefill_from_video_session (note, video, self->zone);
          break;
        }
    }
  /* The client took part; the clinician adds anyone else. */
  if (self->client != NULL)
    {
      g_autofree char *name = tend_client_dup_display_name (self->client);

      tend_record_set_string (TEND_RECORD (note), "participants", name);
    }
  if (!tend_chart_save_note (self->store, note, error))
    return NULL;
  opener = g_object_ref_sink (GTK_BUTTON (gtk_button_new ()));
  g_object_set_data_full (G_OBJECT (opener), "note-id", g_strdup (tend_record_get_id (TEND_RECORD (note))), g_free);
  on_edit_clicked_cb (opener, self);
  return self->editor;
}

/**
 * tend_chart_page_open_note:
 *
 * Shows one note (audited as a view), its signature and its addenda.
 */
gboolean
tend_chart_page_open_note (TendChartPage *self,
                           const char    *note_id,
                           GError       **error)
{
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  GtkWidget *bar, *back, *heading, *button;

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  note = tend_chart_view_note (self->store, note_id, error);
  if (note == NULL)
    return FALSE;
  addenda = tend_chart_list_addenda (self->store, note_id, error);
  if (addenda == NULL)
    return FALSE;

  clear_box (self->note_box);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (back, _("Back to the chart"));
  g_signal_connect_object (back, "clicked", G_CALLBACK (on_back_to_chart_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (bar), back);
  title = note_title (note);
  heading = text_label (title, "title-3");
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_box_append (GTK_BOX (bar), heading);
  if (!tend_clinical_note_is_signed (note))
    {
      GtkWidget *sign = gtk_button_new_with_mnemonic (_("_Sign…"));

      gtk_widget_set_valign (sign, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (sign, _("Sign the note: it can no longer be edited"));
      g_object_set_data_full (G_OBJECT (sign), "note-id", g_strdup (note_id), g_free);
      g_signal_connect_object (sign, "clicked", G_CALLBACK (on_sign_draft_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (bar), sign);
      button = gtk_button_new_with_mnemonic (_("_Edit"));
      gtk_widget_add_css_class (button, "suggested-action");
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_edit_clicked_cb), self, 0);
    }
  else
    {
      TendRole role = TEND_ROLE_OWNER;
      const char *actor = tend_store_get_actor_id (self->store);

      tend_store_get_actor_role (self->store, &role);
      if (tend_clinical_note_get_cosign_required_by (note) != NULL && tend_clinical_note_get_cosigned_by (note) == NULL &&
          (g_strcmp0 (actor, tend_clinical_note_get_cosign_required_by (note)) == 0 || role == TEND_ROLE_OWNER))
        {
          GtkWidget *cosign = gtk_button_new_with_mnemonic (_("_Co-sign"));

          gtk_widget_add_css_class (cosign, "suggested-action");
          gtk_widget_set_valign (cosign, GTK_ALIGN_CENTER);
          g_object_set_data_full (G_OBJECT (cosign), "note-id", g_strdup (note_id), g_free);
          g_signal_connect_object (cosign, "clicked", G_CALLBACK (on_cosign_clicked_cb), self, 0);
          gtk_box_append (GTK_BOX (bar), cosign);
        }
      button = gtk_button_new_with_mnemonic (_("Add _Addendum…"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_addendum_clicked_cb), self, 0);
    }
  g_object_set_data_full (G_OBJECT (button), "note-id", g_strdup (note_id), g_free);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), button);
  gtk_box_append (self->note_box, bar);
  {
    g_autofree char *who = note_status (self, note, names);
    g_autofree char *client = tend_client_dup_display_name (self->client);

    status = g_strdup_printf ("%s · %s", client, who);
  }
  gtk_box_append (self->note_box, text_label (status, "dim-label"));
  {
    g_autofree char *session = tend_clinical_note_dup_session_summary (note, self->zone);
    const char *participants = tend_record_get_string (TEND_RECORD (note), "participants");

    gtk_box_append (self->note_box, text_label (session, "dim-label"));
    if (participants != NULL)
      {
        /* TRANSLATORS: who took part in the session */
        g_autofree char *who = g_strdup_printf (_("Participants: %s"), participants);

        gtk_box_append (self->note_box, text_label (who, "dim-label"));
      }
  }

  append_note_body (self->note_box, note);
  if (tend_clinical_note_is_signed (note))
    {
      g_autofree char *sig = signature_text (self, note, names);
      GtkWidget *label = text_label (sig, "caption");

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_box_append (self->note_box, label);
    }
  for (guint i = 0; addenda != NULL && i < addenda->len; i++)
    {
      TendClinicalNote *add = g_ptr_array_index (addenda, i);
      GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      g_autofree char *sig = signature_text (self, add, names);
      GtkWidget *sig_label = text_label (sig, "caption");

      gtk_widget_add_css_class (frame, "card");
      gtk_widget_add_css_class (frame, "tend-addendum");
      gtk_widget_set_margin_top (frame, 12);
      gtk_box_append (GTK_BOX (frame), text_label (_("Addendum"), "heading"));
      append_note_body (GTK_BOX (frame), add);
      gtk_widget_add_css_class (sig_label, "dim-label");
      gtk_box_append (GTK_BOX (frame), sig_label);
      gtk_box_append (self->note_box, frame);
    }
  gtk_stack_set_visible_child_name (self->mode, "note");
  return TRUE;
}

/**
 * tend_chart_page_attach_file:
 *
 * Reads @file in a thread (checking a PDF with poppler) and attaches it to
 * the chart; an error is shown in a dialog.
 */
void
tend_chart_page_attach_file (TendChartPage *self,
                             GFile         *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  self->attaching++;
  task = g_task_new (self, NULL, on_attachment_read_cb, NULL);
  g_task_set_source_tag (task, tend_chart_page_attach_file);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_attachment_thread);
}

gboolean
tend_chart_page_is_attaching (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  return self->attaching > 0;
}

/* The message of the last error shown, or %NULL. */
const char *
tend_chart_page_get_last_error (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), NULL);
  return self->last_error;
}

/* Opens a document as a click on its row does. */
gboolean
tend_chart_page_open_document (TendChartPage *self,
                               const char    *document_id,
                               GError       **error)
{
  g_autoptr(TendDocument) doc = NULL;
  GBytes *bytes;

  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), FALSE);
  bytes = tend_chart_read_document (self->store, document_id, &doc, error);
  if (bytes == NULL)
    return FALSE;
  show_document (self, bytes, tend_document_get_mime_type (doc), tend_document_get_title (doc));
  return TRUE;
}

/* How many page images the document view shows (0 while rendering). */
guint
tend_chart_page_get_n_document_pages (TendChartPage *self)
{
  g_return_val_if_fail (TEND_IS_CHART_PAGE (self), 0);
  return self->document_view != NULL ? tend_document_view_get_n_pages (self->document_view) : 0;
}

/* From the unsigned-note-days setting. */
void
tend_chart_page_set_overdue_days (TendChartPage *self,
                                  guint          days)
{
  g_return_if_fail (TEND_IS_CHART_PAGE (self));
  self->overdue_days = MAX (days, 1);
}
