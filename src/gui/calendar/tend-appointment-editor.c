/* tend-appointment-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing is saved until Save; a conflict is shown in the window with what
 * is in the way, and owners and the front desk may book anyway with a
 * reason that is recorded.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-appointment-editor.h"
#include "tend-date-row.h"
#include "tend-client-list.h"
#include "tend-schedule.h"
#include "tend-session-members.h"

#define HORIZON_DAYS TEND_SCHEDULE_HORIZON_DAYS

typedef struct
{
  const char *code;
  const char *label;
  guint       minutes;
} Service;

/* The practice's own short descriptions (not the CPT wording). */
static const Service services[] = {
  { "90791", N_("Intake assessment"), 60 },
  { "90834", N_("Individual therapy, 45 min"), 50 },
  { "90837", N_("Individual therapy, 60 min"), 60 },
  { "90832", N_("Individual therapy, 30 min"), 30 },
  { "90847", N_("Family or couple therapy"), 50 },
  { "90853", N_("Group therapy"), 90 },
};

/* What a new session is: services[DEFAULT_SERVICE], 90834. */
#define DEFAULT_SERVICE 1

static const char * const repeat_rules[] = {
  NULL, "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=WEEKLY;INTERVAL=4", "FREQ=MONTHLY",
};

struct _TendAppointmentEditor
{
  AdwWindow        parent_instance;

  TendContext     *context;
  TendAppointment *original;      /* NULL when creating */
  char            *client_id;
  GPtrArray       *clinician_ids;
  GPtrArray       *room_ids;
  GDate            date;
  char            *problem;
  gboolean         conflict_shown;
  TendSeriesEdit   scope;
  GPtrArray       *waitlist_matches;   /* TendWaitlistEntry, after a cancellation */

  AdwEntryRow     *cancel_reason_row;
  GtkSwitch       *late_switch;
  AdwComboRow     *status_row;
  GArray          *status_choices;     /* TendAppointmentStatus, parallel to status_row */

  GtkWidget       *save_button;
  AdwComboRow     *kind_row;
  AdwEntryRow     *client_row;
  GtkPopover      *client_popover;
  GtkListBox      *client_results;
  AdwEntryRow     *title_row;
  TendSessionMembers *members;         /* a couple, family or group session's other clients */
  AdwComboRow     *clinician_row;
  AdwComboRow     *room_row;
  AdwComboRow     *service_row;
  gboolean         service_by_hand;    /* chosen for this appointment: the session type leaves it */
  gboolean         setting_service;    /* the editor itself is choosing it */
  AdwComboRow     *modality_row;
  AdwActionRow    *date_row;
  GtkCalendar     *calendar;
  AdwEntryRow     *time_row;
  GtkSpinButton   *length_spin;
  AdwComboRow     *repeat_row;
  GtkSpinButton   *count_spin;
  AdwActionRow    *count_row;
  AdwEntryRow     *note_row;
  AdwActionRow    *reminder_row;       /* the client's reminder, when there is one */
  GtkRevealer     *problem_revealer;
  GtkLabel        *problem_label;
  AdwEntryRow     *reason_row;
  GtkWidget       *anyway_button;
};

G_DEFINE_FINAL_TYPE (TendAppointmentEditor, tend_appointment_editor, ADW_TYPE_WINDOW)

enum {
  STATUS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static TendStore *
get_store (TendAppointmentEditor *self)
{
  return tend_context_get_store (self->context);
}

static gboolean
may_override (TendAppointmentEditor *self)
{
  TendStaff *user = tend_context_get_user (self->context);
  TendRole role = user != NULL ? tend_staff_get_role (user) : TEND_ROLE_OWNER;

  return role == TEND_ROLE_OWNER || role == TEND_ROLE_FRONT_DESK;
}

static void
show_problem (TendAppointmentEditor *self,
              const char            *message,
              gboolean               is_conflict)
{
  g_free (self->problem);
  self->problem = g_strdup (message);
  self->conflict_shown = is_conflict;
  gtk_label_set_text (self->problem_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->problem_revealer, message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_row), is_conflict && may_override (self));
  gtk_widget_set_visible (self->anyway_button, is_conflict && may_override (self));
}

static void
update_date_row (TendAppointmentEditor *self)
{
  char buf[128];

  if (g_date_strftime (buf, sizeof buf, "%A, %x", &self->date) == 0)
    buf[0] = '\0';
  adw_action_row_set_subtitle (self->date_row, buf);
}

static void
on_day_selected_cb (GtkCalendar           *calendar,
                    TendAppointmentEditor *self)
{
  g_autoptr(GDateTime) d = gtk_calendar_get_date (calendar);

  g_date_set_dmy (&self->date, (GDateDay) g_date_time_get_day_of_month (d),
                  (GDateMonth) g_date_time_get_month (d), (GDateYear) g_date_time_get_year (d));
  update_date_row (self);
}

static gboolean
read_times (TendAppointmentEditor *self,
            GDateTime            **start,
            GDateTime            **end)
{
  int minutes;
  g_autoptr(GError) error = NULL;

  if (!tend_time_row_get_time (GTK_WIDGET (self->time_row), &minutes, &error) || minutes < 0)
    {
      g_autofree char *problem = NULL;

      gtk_widget_add_css_class (GTK_WIDGET (self->time_row), "error");
      /* TRANSLATORS: "Start: <why the time was refused>" */
      problem = error != NULL ? g_strdup_printf (_("Start: %s"), error->message) : g_strdup (_("Start: choose a time"));
      show_problem (self, problem, FALSE);
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->time_row), "error");
  *start = g_date_time_new (tend_context_get_zone (self->context), g_date_get_year (&self->date),
                            g_date_get_month (&self->date), g_date_get_day (&self->date),
                            (int) (minutes / 60), (int) (minutes % 60), 0);
  *end = g_date_time_add_minutes (*start, gtk_spin_button_get_value_as_int (self->length_spin));
  return TRUE;
}

static void
on_service_changed_cb (TendAppointmentEditor *self)
{
  guint i = adw_combo_row_get_selected (self->service_row);

  if (!self->setting_service)
    self->service_by_hand = TRUE;
  if (i < G_N_ELEMENTS (services))
    gtk_spin_button_set_value (self->length_spin, services[i].minutes);
}

/* The service that goes with a session type: family or couple
 * psychotherapy with the patient present (90847), group psychotherapy
 * (90853), or the default individual session. */
static guint
service_for_type (TendSessionType type)
{
  const char *code = type == TEND_SESSION_COUPLE || type == TEND_SESSION_FAMILY ? "90847"
                     : type == TEND_SESSION_GROUP ? "90853" : NULL;

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (services); i++)
    if (g_strcmp0 (services[i].code, code) == 0)
      return i;
  return DEFAULT_SERVICE;
}

/* Couple or family, group, individual: the service follows, unless one
 * was chosen by hand for this appointment. */
static void
on_session_type_changed_cb (TendAppointmentEditor *self)
{
  if (self->service_by_hand)
    return;
  self->setting_service = TRUE;
  adw_combo_row_set_selected (self->service_row,
                              service_for_type (tend_session_members_get_session_type (self->members)));
  self->setting_service = FALSE;
}

static void
on_kind_changed_cb (TendAppointmentEditor *self)
{
  gboolean blocked = adw_combo_row_get_selected (self->kind_row) == TEND_APPOINTMENT_KIND_BLOCKED;

  gtk_widget_set_visible (GTK_WIDGET (self->client_row), !blocked);
  gtk_widget_set_visible (GTK_WIDGET (self->service_row), !blocked);
  gtk_widget_set_visible (GTK_WIDGET (self->modality_row), !blocked);
  gtk_widget_set_visible (GTK_WIDGET (self->title_row), blocked);
  gtk_widget_set_visible (GTK_WIDGET (self->members), !blocked);
}

static void
on_repeat_changed_cb (TendAppointmentEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->count_row), adw_combo_row_get_selected (self->repeat_row) > 0);
}

static void
on_client_result_activated_cb (GtkListBox            *box,
                               GtkListBoxRow         *row,
                               TendAppointmentEditor *self)
{
  tend_appointment_editor_choose_client (self, g_object_get_data (G_OBJECT (row), "client-id"));
  gtk_popover_popdown (self->client_popover);
}

static void
on_client_text_changed_cb (TendAppointmentEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->client_row));
  g_autoptr(GArray) rids = NULL;
  GtkWidget *child;

  if (g_object_get_data (G_OBJECT (self->client_row), "setting") != NULL)
    return;
  g_clear_pointer (&self->client_id, g_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->client_results))) != NULL)
    gtk_list_box_remove (self->client_results, child);
  if (g_utf8_strlen (text, -1) < 2)
    {
      gtk_popover_popdown (self->client_popover);
      return;
    }
  rids = tend_store_search_clients (get_store (self), text, 8, NULL);
  for (guint i = 0; rids != NULL && i < rids->len; i++)
    {
      g_autoptr(TendRecord) r = tend_store_load_by_rid (get_store (self), TEND_TYPE_CLIENT,
                                                        g_array_index (rids, gint64, i), NULL);
      g_autofree char *name = NULL;
      g_autofree char *label = NULL;
      GtkWidget *row, *text_label;

      if (r == NULL)
        continue;
      name = tend_client_dup_display_name (TEND_CLIENT (r));
      label = g_strdup_printf ("%s  <span alpha='60%%'>%s</span>", name,
                               tend_client_get_record_number (TEND_CLIENT (r)) ? tend_client_get_record_number (TEND_CLIENT (r)) : "");
      text_label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (text_label), label);
      gtk_label_set_xalign (GTK_LABEL (text_label), 0);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), text_label);
      g_object_set_data_full (G_OBJECT (row), "client-id", g_strdup (tend_record_get_id (r)), g_free);
      gtk_list_box_append (self->client_results, row);
    }
  if (rids != NULL && rids->len > 0)
    gtk_popover_popup (self->client_popover);
  else
    gtk_popover_popdown (self->client_popover);
}

static TendAppointment *
build_appointment (TendAppointmentEditor *self,
                   GDateTime             *start,
                   GDateTime             *end)
{
  TendAppointment *a;
  TendRecord *r;
  guint clinician = adw_combo_row_get_selected (self->clinician_row);
  guint room = adw_combo_row_get_selected (self->room_row);
  guint service = adw_combo_row_get_selected (self->service_row);
  gboolean blocked = adw_combo_row_get_selected (self->kind_row) == TEND_APPOINTMENT_KIND_BLOCKED;

  a = self->original != NULL ? TEND_APPOINTMENT (tend_record_copy (TEND_RECORD (self->original)))
                             : TEND_APPOINTMENT (tend_record_new (TEND_TYPE_APPOINTMENT));
  r = TEND_RECORD (a);
  tend_appointment_set_times (a, start, end);
  tend_record_set_int (r, "kind", blocked ? TEND_APPOINTMENT_KIND_BLOCKED : TEND_APPOINTMENT_KIND_SESSION);
  tend_record_set_string (r, "clinician_id", clinician < self->clinician_ids->len ? g_ptr_array_index (self->clinician_ids, clinician) : NULL);
  tend_record_set_string (r, "room_id", room > 0 && room - 1 < self->room_ids->len ? g_ptr_array_index (self->room_ids, room - 1) : NULL);
  tend_record_set_string (r, "client_id", blocked ? NULL : self->client_id);
  tend_session_members_apply (self->members, a, blocked ? NULL : self->client_id);
  tend_record_set_string (r, "service_code", !blocked && service < G_N_ELEMENTS (services) ? services[service].code : NULL);
  tend_record_set_int (r, "modality", blocked ? TEND_MODALITY_IN_PERSON : adw_combo_row_get_selected (self->modality_row));
  tend_record_set_string (r, "title", blocked ? gtk_editable_get_text (GTK_EDITABLE (self->title_row)) : NULL);
  tend_record_set_string (r, "note", gtk_editable_get_text (GTK_EDITABLE (self->note_row)));
  return a;
}

static gboolean
save (TendAppointmentEditor *self,
      gboolean               anyway)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(GError) error = NULL;
  GTimeZone *zone = tend_context_get_zone (self->context);
  guint repeat = adw_combo_row_get_selected (self->repeat_row);
  gboolean ok;

  if (!read_times (self, &start, &end))
    return FALSE;
  if (adw_combo_row_get_selected (self->kind_row) == TEND_APPOINTMENT_KIND_SESSION && self->client_id == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->client_row), "error");
      show_problem (self, _("Client: choose a client from the matches as you type"), FALSE);
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->client_row), "error");

  a = build_appointment (self, start, end);
  if (self->status_row != NULL)
    {
      guint i = adw_combo_row_get_selected (self->status_row);
      TendAppointmentStatus wanted = i < self->status_choices->len
                                     ? g_array_index (self->status_choices, TendAppointmentStatus, i)
                                     : tend_appointment_get_status (a);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (wanted != tend_appointment_get_status (a) &&
          !tend_appointment_set_status (a, wanted, NULL, now, &error))
        {
          show_problem (self, error->message, FALSE);
          return FALSE;
        }
    }
  if (anyway)
    {
      const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->reason_row));
      TendStaff *user = tend_context_get_user (self->context);

      if (*reason == '\0')
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->reason_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
          return FALSE;
        }
      tend_record_set_int (TEND_RECORD (a), "override.conflict", TRUE);
      tend_record_set_string (TEND_RECORD (a), "override.by", user != NULL ? tend_record_get_id (TEND_RECORD (user)) : NULL);
      tend_record_set_string (TEND_RECORD (a), "override.reason", reason);
    }

  if (self->original == NULL && repeat > 0)
    {
      g_autofree char *rule = g_strdup_printf ("%s;COUNT=%d", repeat_rules[repeat],
                                               gtk_spin_button_get_value_as_int (self->count_spin));
      g_autoptr(TendSeries) series = tend_series_new (tend_appointment_get_clinician_id (a), start,
                                                      (guint) gtk_spin_button_get_value_as_int (self->length_spin),
                                                      g_time_zone_get_identifier (zone), rule);
      g_autoptr(GDateTime) horizon = g_date_time_add_days (start, HORIZON_DAYS);
      static const char * const copy[] = { "kind", "client_id", "room_id", "service_code", "modality", "note", NULL };

      for (guint i = 0; copy[i] != NULL; i++)
        {
          if (g_strcmp0 (copy[i], "kind") == 0 || g_strcmp0 (copy[i], "modality") == 0)
            tend_record_set_int (TEND_RECORD (series), copy[i], tend_record_get_int (TEND_RECORD (a), copy[i]));
          else
            tend_record_set_string (TEND_RECORD (series), copy[i], tend_record_get_string (TEND_RECORD (a), copy[i]));
        }
      /* The first occurrence is checked for conflicts like a single booking. */
      {
        g_autoptr(TendAppointment) first = tend_series_make_occurrence (series, start);
        g_autoptr(GPtrArray) conflicts = tend_schedule_find_conflicts (get_store (self), first, zone, &error);

        ok = conflicts != NULL;
        if (ok && conflicts->len > 0 && !anyway)
          {
            g_set_error_literal (&error, TEND_ERROR, TEND_ERROR_CONFLICT,
                                 _("The first session conflicts with the calendar: book it anyway, or choose another time."));
            ok = FALSE;
          }
      }
      if (ok)
        ok = tend_schedule_save_series (get_store (self), series,
                                        g_date_time_to_unix (horizon) * G_USEC_PER_SEC, &error);
    }
  else if (self->original != NULL && tend_appointment_get_series_id (self->original) != NULL)
    {
      g_autoptr(GDateTime) horizon = g_date_time_add_days (start, HORIZON_DAYS);

      ok = tend_schedule_edit_occurrence (get_store (self), a, self->scope,
                                          g_date_time_to_unix (horizon) * G_USEC_PER_SEC, &error);
    }
  else
    ok = tend_schedule_save_appointment (get_store (self), a, zone, &error);

  /* New occurrences get their reminders from the upkeep, in a thread. */
  if (ok && (repeat > 0 || (self->original != NULL && tend_appointment_get_series_id (self->original) != NULL)))
    tend_context_request_upkeep (self->context);
  if (!ok)
    {
      show_problem (self, error->message, g_error_matches (error, TEND_ERROR, TEND_ERROR_CONFLICT));
      return FALSE;
    }
  show_problem (self, NULL, FALSE);
  if (self->original != NULL && tend_appointment_get_status (self->original) != tend_appointment_get_status (a))
    g_signal_emit (self, signals[STATUS_CHANGED], 0, self->original, a);
  return TRUE;
}

static void
on_scope_response_cb (AdwMessageDialog      *dialog,
                      const char            *response,
                      TendAppointmentEditor *self)
{
  if (g_strcmp0 (response, "this") == 0)
    self->scope = TEND_SERIES_EDIT_THIS;
  else if (g_strcmp0 (response, "following") == 0)
    self->scope = TEND_SERIES_EDIT_FOLLOWING;
  else if (g_strcmp0 (response, "all") == 0)
    self->scope = TEND_SERIES_EDIT_ALL;
  else
    return;
  if (save (self, FALSE))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_save_clicked_cb (TendAppointmentEditor *self)
{
  /* A change to one session of a series: say which sessions it is for. */
  if (self->original != NULL && tend_appointment_get_series_id (self->original) != NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Change Repeating Appointment?"),
                                                  _("This appointment is one of a series."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "this", _("_Only This One"),
                                        "following", _("This and _Following"),
                                        "all", _("_All Future Ones"),
                                        NULL);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "this");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_scope_response_cb), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (save (self, FALSE))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_anyway_clicked_cb (TendAppointmentEditor *self)
{
  if (save (self, TRUE))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
show_waitlist (TendAppointmentEditor *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GString *names = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < self->waitlist_matches->len; i++)
    {
      TendWaitlistEntry *entry = g_ptr_array_index (self->waitlist_matches, i);
      g_autoptr(TendRecord) client = tend_store_load (get_store (self), TEND_TYPE_CLIENT,
                                                      tend_waitlist_entry_get_client_id (entry), NULL);
      g_autofree char *name = client != NULL ? tend_client_dup_display_name (TEND_CLIENT (client)) : NULL;
      const char *phone = client != NULL ? tend_client_get_phone (TEND_CLIENT (client)) : NULL;

      if (name == NULL)
        continue;
      g_string_append_printf (names, "%s%s%s%s\n", name, phone != NULL ? " (" : "",
                              phone != NULL ? phone : "", phone != NULL ? ")" : "");
    }
  dialog = adw_message_dialog_new (parent, _("Waitlisted Clients Could Take This Time"), names->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  g_string_free (names, TRUE);
}

/**
 * tend_appointment_editor_cancel_appointment:
 * @reason: why (required)
 * @late: a late cancellation (the practice may charge for it)
 *
 * Cancels the appointment being edited (only this one, for a series), then
 * finds the waitlisted clients who would take the freed time.
 */
gboolean
tend_appointment_editor_cancel_appointment (TendAppointmentEditor *self,
                                            const char            *reason,
                                            gboolean               late)
{
  g_autoptr(TendAppointment) cancelled = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), FALSE);
  g_return_val_if_fail (self->original != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (*trimmed == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->cancel_reason_row), "error");
      show_problem (self, _("Cancellation reason: say why the appointment is cancelled"), FALSE);
      return FALSE;
    }
  cancelled = TEND_APPOINTMENT (tend_record_copy (TEND_RECORD (self->original)));
  ok = tend_appointment_set_status (cancelled, late ? TEND_APPOINTMENT_LATE_CANCELLED : TEND_APPOINTMENT_CANCELLED,
                                    trimmed, now, &error);
  if (ok && tend_appointment_get_series_id (cancelled) != NULL)
    ok = tend_schedule_edit_occurrence (get_store (self), cancelled, TEND_SERIES_EDIT_THIS, 0, &error);
  else if (ok)
    ok = tend_schedule_save_appointment (get_store (self), cancelled, tend_context_get_zone (self->context), &error);
  if (!ok)
    {
      show_problem (self, error->message, FALSE);
      return FALSE;
    }
  show_problem (self, NULL, FALSE);
  g_signal_emit (self, signals[STATUS_CHANGED], 0, self->original, cancelled);

  g_clear_pointer (&self->waitlist_matches, g_ptr_array_unref);
  self->waitlist_matches = tend_schedule_match_waitlist (get_store (self), cancelled,
                                                         tend_context_get_zone (self->context), NULL);
  if (self->waitlist_matches == NULL)
    self->waitlist_matches = g_ptr_array_new_with_free_func (g_object_unref);
  return TRUE;
}

/**
 * tend_appointment_editor_get_waitlist_matches:
 *
 * Returns: (transfer none) (nullable) (element-type TendWaitlistEntry):
 *   who could take the time freed by the last cancellation
 */
GPtrArray *
tend_appointment_editor_get_waitlist_matches (TendAppointmentEditor *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->waitlist_matches;
}

static void
on_cancel_appointment_cb (TendAppointmentEditor *self)
{
  if (!tend_appointment_editor_cancel_appointment (self, gtk_editable_get_text (GTK_EDITABLE (self->cancel_reason_row)),
                                                   gtk_switch_get_active (self->late_switch)))
    return;
  if (self->waitlist_matches->len > 0)
    show_waitlist (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* In the practice's zone, not the computer's. */
static char *
format_local (TendAppointmentEditor *self,
              const char            *iso)
{
  g_autoptr(GDateTime) utc = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tend_context_get_zone (self->context)) : NULL;

  return local != NULL ? tend_time_format_date_time (local) : g_strdup ("");
}

/* What became of the client's reminder, as tend-server wrote it back: a
 * permanent failure is shown as a warning, with the reason (which the
 * server words in English). */
static AdwActionRow *
reminder_row (TendAppointmentEditor *self)
{
  g_autoptr(TendReminder) reminder = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *when = NULL;
  TendRecord *r;
  const char *status, *reason;
  AdwActionRow *row;

  if (self->original == NULL || tend_appointment_get_kind (self->original) != TEND_APPOINTMENT_KIND_SESSION)
    return NULL;
  reminder = tend_schedule_get_reminder (get_store (self), tend_record_get_id (TEND_RECORD (self->original)), NULL);
  if (reminder == NULL)
    return NULL;
  r = TEND_RECORD (reminder);
  status = tend_record_get_string (r, "status");
  reason = tend_record_get_string (r, "status_reason");
  row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 g_strcmp0 (tend_record_get_string (r, "channel"), "sms") == 0
                                   ? _("Text message reminder") : _("E-mail reminder"));
  if (g_strcmp0 (status, "sent") == 0)
    {
      when = format_local (self, tend_record_get_string (r, "sent_at"));
      subtitle = g_strdup_printf (_("Sent %s"), when);
    }
  else if (g_strcmp0 (status, "failed") == 0)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      subtitle = g_strdup_printf (_("Could not be sent: %s"), reason != NULL ? reason : _("unknown reason"));
      /* The icon in the warning colour; the text stays legible. */
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
      adw_action_row_add_prefix (row, icon);
    }
  else if (g_strcmp0 (status, "cancelled") == 0)
    subtitle = reason != NULL ? g_strdup_printf (_("Not sent: %s"), reason) : g_strdup (_("Not sent"));
  else
    {
      when = format_local (self, tend_record_get_string (r, "send_at"));
      subtitle = g_strdup_printf (_("To be sent %s"), when);
    }
  adw_action_row_set_subtitle (row, subtitle);
  return row;
}

static AdwComboRow *
combo_row (const char  *title,
           GListModel  *model)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (row, model);
  g_object_unref (model);
  return row;
}

static GListModel *
strings (const char * const *items)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; items[i] != NULL; i++)
    gtk_string_list_append (list, _(items[i]));
  return G_LIST_MODEL (list);
}

static void
build (TendAppointmentEditor *self)
{
  static const char * const kinds[] = { N_("Session"), N_("Blocked time"), NULL };
  static const char * const modalities[] = { N_("In person"), N_("Telehealth"), NULL };
  static const char * const repeats[] = {
    N_("Does not repeat"), N_("Every week"), N_("Every 2 weeks"), N_("Every 4 weeks"), N_("Every month"), NULL
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *what = adw_preferences_group_new ();
  GtkWidget *when = adw_preferences_group_new ();
  GtkWidget *more = adw_preferences_group_new ();
  GtkWidget *problem_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *problem_group = adw_preferences_group_new ();
  GtkWidget *date_button = gtk_menu_button_new ();
  GtkWidget *date_popover = gtk_popover_new ();
  GtkStringList *clinicians = gtk_string_list_new (NULL);
  GtkStringList *rooms = gtk_string_list_new (NULL);
  GtkStringList *service_names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) staff = tend_store_list (get_store (self), TEND_TYPE_STAFF, NULL);
  g_autoptr(GPtrArray) room_records = tend_store_list (get_store (self), TEND_TYPE_ROOM, NULL);
  GtkWidget *length_row, *scroll;

  gtk_window_set_title (GTK_WINDOW (self), self->original != NULL ? _("Appointment") : _("New Appointment"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);

  /* Problems show at the top, where they are seen. */
  self->problem_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem_label, TRUE);
  gtk_label_set_xalign (self->problem_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
  self->reason_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reason_row), _("Reason for booking anyway"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (problem_group), GTK_WIDGET (self->reason_row));
  self->anyway_button = gtk_button_new_with_mnemonic (_("Book _Anyway"));
  gtk_widget_add_css_class (self->anyway_button, "destructive-action");
  gtk_widget_set_halign (self->anyway_button, GTK_ALIGN_END);
  g_signal_connect_swapped (self->anyway_button, "clicked", G_CALLBACK (on_anyway_clicked_cb), self);
  gtk_box_append (GTK_BOX (problem_box), GTK_WIDGET (self->problem_label));
  gtk_box_append (GTK_BOX (problem_box), problem_group);
  gtk_box_append (GTK_BOX (problem_box), self->anyway_button);
  gtk_widget_set_margin_start (problem_box, 24);
  gtk_widget_set_margin_end (problem_box, 24);
  gtk_widget_set_margin_top (problem_box, 12);
  self->problem_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->problem_revealer, problem_box);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->problem_revealer));

  self->kind_row = combo_row (_("Type"), strings (kinds));
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (on_kind_changed_cb), self);

  self->client_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->client_row), _("Client"));
  g_signal_connect_swapped (self->client_row, "changed", G_CALLBACK (on_client_text_changed_cb), self);
  self->client_results = GTK_LIST_BOX (gtk_list_box_new ());
  g_signal_connect (self->client_results, "row-activated", G_CALLBACK (on_client_result_activated_cb), self);
  self->client_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->client_popover, FALSE);
  gtk_popover_set_has_arrow (self->client_popover, FALSE);
  gtk_popover_set_child (self->client_popover, GTK_WIDGET (self->client_results));
  gtk_widget_set_parent (GTK_WIDGET (self->client_popover), GTK_WIDGET (self->client_row));

  self->title_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->title_row), _("What (for example “Staff meeting”)"));
  self->members = tend_session_members_new (get_store (self));
  g_signal_connect_object (self->members, "type-changed", G_CALLBACK (on_session_type_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    {
      TendStaff *s = g_ptr_array_index (staff, i);
      g_autofree char *name = NULL;

      if (!tend_staff_sees_clients (s))
        continue;
      name = tend_staff_dup_display_name (s);
      gtk_string_list_append (clinicians, name);
      g_ptr_array_add (self->clinician_ids, g_strdup (tend_record_get_id (TEND_RECORD (s))));
    }
  self->clinician_row = combo_row (_("Clinician"), G_LIST_MODEL (clinicians));

  self->room_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (rooms, _("No room"));
  for (guint i = 0; room_records != NULL && i < room_records->len; i++)
    {
      gtk_string_list_append (rooms, tend_room_get_name (g_ptr_array_index (room_records, i)));
      g_ptr_array_add (self->room_ids, g_strdup (tend_record_get_id (g_ptr_array_index (room_records, i))));
    }
  self->room_row = combo_row (_("Room"), G_LIST_MODEL (rooms));

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", _(services[i].label), services[i].code);
      gtk_string_list_append (service_names, text);
    }
  self->service_row = combo_row (_("Service"), G_LIST_MODEL (service_names));
  adw_combo_row_set_selected (self->service_row, DEFAULT_SERVICE);
  g_signal_connect_swapped (self->service_row, "notify::selected", G_CALLBACK (on_service_changed_cb), self);
  self->modality_row = combo_row (_("Where"), strings (modalities));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (what), _("What"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->kind_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->client_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->title_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->clinician_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->service_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->modality_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->room_row));

  /* The statuses it can move to from here (cancelling has its own place,
   * because it needs a reason). */
  if (self->original != NULL && tend_appointment_get_kind (self->original) == TEND_APPOINTMENT_KIND_SESSION)
    {
      TendAppointmentStatus current = tend_appointment_get_status (self->original);
      GtkStringList *labels = gtk_string_list_new (NULL);

      self->status_choices = g_array_new (FALSE, FALSE, sizeof (TendAppointmentStatus));
      for (TendAppointmentStatus st = 0; st < TEND_N_APPOINTMENT_STATUSES; st++)
        {
          if (st != current && (!tend_appointment_status_can_change (current, st) ||
                                st == TEND_APPOINTMENT_CANCELLED || st == TEND_APPOINTMENT_LATE_CANCELLED))
            continue;
          g_array_append_val (self->status_choices, st);
          gtk_string_list_append (labels, tend_appointment_status_get_label (st));
        }
      self->status_row = combo_row (_("Status"), G_LIST_MODEL (labels));
      for (guint i = 0; i < self->status_choices->len; i++)
        if (g_array_index (self->status_choices, TendAppointmentStatus, i) == current)
          adw_combo_row_set_selected (self->status_row, i);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->status_row));
    }
  /* Under the status, where a reminder that could not be sent is seen. */
  self->reminder_row = reminder_row (self);
  if (self->reminder_row != NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (what), GTK_WIDGET (self->reminder_row));

  self->date_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row), _("Date"));
  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  g_signal_connect (self->calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self);
  gtk_popover_set_child (GTK_POPOVER (date_popover), GTK_WIDGET (self->calendar));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (date_button), date_popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (date_button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (date_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (date_button, _("Choose the date"));
  adw_action_row_add_suffix (self->date_row, date_button);
  adw_action_row_set_activatable_widget (self->date_row, date_button);

  self->time_row = ADW_ENTRY_ROW (tend_time_row_new (_("Start")));
  self->length_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (5, 720, 5));
  gtk_widget_set_valign (GTK_WIDGET (self->length_spin), GTK_ALIGN_CENTER);
  length_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (length_row), _("Length in minutes"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (length_row), GTK_WIDGET (self->length_spin));
  self->repeat_row = combo_row (_("Repeats"), strings (repeats));
  g_signal_connect_swapped (self->repeat_row, "notify::selected", G_CALLBACK (on_repeat_changed_cb), self);
  self->count_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (2, 104, 1));
  gtk_spin_button_set_value (self->count_spin, 12);
  gtk_widget_set_valign (GTK_WIDGET (self->count_spin), GTK_ALIGN_CENTER);
  self->count_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->count_row), _("Number of sessions"));
  adw_action_row_add_suffix (self->count_row, GTK_WIDGET (self->count_spin));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (when), _("When"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), GTK_WIDGET (self->date_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), GTK_WIDGET (self->time_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), length_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), GTK_WIDGET (self->repeat_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), GTK_WIDGET (self->count_row));

  self->note_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _("Note for the calendar"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (more), GTK_WIDGET (self->note_row));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (what));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->members));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (when));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (more));
  if (self->original != NULL && tend_appointment_is_active (self->original))
    {
      GtkWidget *cancel_group = adw_preferences_group_new ();
      GtkWidget *late_row = adw_action_row_new ();
      GtkWidget *cancel_button = gtk_button_new_with_mnemonic (_("Cancel _Appointment"));

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (cancel_group), _("Cancel This Appointment"));
      self->cancel_reason_row = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->cancel_reason_row), _("Reason"));
      self->late_switch = GTK_SWITCH (gtk_switch_new ());
      gtk_widget_set_valign (GTK_WIDGET (self->late_switch), GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (late_row), _("Late cancellation"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (late_row), GTK_WIDGET (self->late_switch));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (late_row), GTK_WIDGET (self->late_switch));
      gtk_widget_add_css_class (cancel_button, "destructive-action");
      gtk_widget_set_halign (cancel_button, GTK_ALIGN_END);
      gtk_widget_set_margin_top (cancel_button, 12);
      g_signal_connect_swapped (cancel_button, "clicked", G_CALLBACK (on_cancel_appointment_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (cancel_group), GTK_WIDGET (self->cancel_reason_row));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (cancel_group), late_row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (cancel_group), cancel_button);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (cancel_group));
    }

  gtk_widget_set_vexpand (page, TRUE);
  scroll = page;
  gtk_box_append (GTK_BOX (box), scroll);
  adw_window_set_content (ADW_WINDOW (self), box);

  on_kind_changed_cb (self);
  on_repeat_changed_cb (self);
}

static void
set_times (TendAppointmentEditor *self,
           GDateTime             *start,
           GDateTime             *end)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, tend_context_get_zone (self->context));
  g_autofree char *time = g_date_time_format (local, "%H:%M");

  g_date_clear (&self->date, 1);
  g_date_set_dmy (&self->date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local), (GDateYear) g_date_time_get_year (local));
  gtk_calendar_select_day (self->calendar, local);
  update_date_row (self);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
  gtk_spin_button_set_value (self->length_spin, (double) g_date_time_difference (end, start) / G_TIME_SPAN_MINUTE);
}

static void
select_id (AdwComboRow *row,
           GPtrArray   *ids,
           const char  *id,
           guint        offset)
{
  for (guint i = 0; id != NULL && i < ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ids, i), id) == 0)
      adw_combo_row_set_selected (row, i + offset);
}

static void
tend_appointment_editor_dispose (GObject *object)
{
  TendAppointmentEditor *self = TEND_APPOINTMENT_EDITOR (object);

  if (self->client_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->client_popover));
      self->client_popover = NULL;
    }
  g_clear_object (&self->original);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_appointment_editor_parent_class)->dispose (object);
}

static void
tend_appointment_editor_finalize (GObject *object)
{
  TendAppointmentEditor *self = TEND_APPOINTMENT_EDITOR (object);

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&self->room_ids, g_ptr_array_unref);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->waitlist_matches, g_ptr_array_unref);
  g_clear_pointer (&self->status_choices, g_array_unref);
  G_OBJECT_CLASS (tend_appointment_editor_parent_class)->finalize (object);
}

static void
tend_appointment_editor_class_init (TendAppointmentEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_appointment_editor_dispose;
  object_class->finalize = tend_appointment_editor_finalize;
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, (GtkShortcutFunc) gtk_window_destroy, NULL);

  /**
   * TendAppointmentEditor::status-changed:
   * @before: the appointment as it was
   * @after: as it was saved, with its new status
   *
   * A status was saved (a no-show, a cancellation...), so it can be undone.
   */
  signals[STATUS_CHANGED] = g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          TEND_TYPE_APPOINTMENT, TEND_TYPE_APPOINTMENT);
}

static void
tend_appointment_editor_init (TendAppointmentEditor *self)
{
}

static TendAppointmentEditor *
editor_new (TendContext     *context,
            TendAppointment *original)
{
  TendAppointmentEditor *self = g_object_new (TEND_TYPE_APPOINTMENT_EDITOR, NULL);

  self->context = g_object_ref (context);
  self->original = original != NULL ? g_object_ref (original) : NULL;
  build (self);
  return self;
}

/**
 * tend_appointment_editor_new:
 * @clinician_id: (nullable): whose calendar the time was chosen in
 */
TendAppointmentEditor *
tend_appointment_editor_new (TendContext *context,
                             GDateTime   *start,
                             GDateTime   *end,
                             const char  *clinician_id)
{
  TendAppointmentEditor *self = editor_new (context, NULL);

  set_times (self, start, end);
  select_id (self->clinician_row, self->clinician_ids, clinician_id, 0);
  /* Typing a name is the first thing a person does here. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->client_row));
  return self;
}

/* The row showing what became of the client's reminder (NULL: none). */
GtkWidget *
tend_appointment_editor_get_reminder_row (TendAppointmentEditor *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  return GTK_WIDGET (self->reminder_row);
}

TendAppointmentEditor *
tend_appointment_editor_new_for (TendContext     *context,
                                 TendAppointment *appointment)
{
  TendAppointmentEditor *self = editor_new (context, appointment);
  g_autoptr(GDateTime) start = tend_appointment_dup_start (appointment);
  g_autoptr(GDateTime) end = tend_appointment_dup_end (appointment);
  const char *service = tend_record_get_string (TEND_RECORD (appointment), "service_code");

  set_times (self, start, end);
  adw_combo_row_set_selected (self->kind_row, tend_appointment_get_kind (appointment));
  select_id (self->clinician_row, self->clinician_ids, tend_appointment_get_clinician_id (appointment), 0);
  adw_combo_row_set_selected (self->room_row, 0);
  select_id (self->room_row, self->room_ids, tend_appointment_get_room_id (appointment), 1);
  self->setting_service = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (g_strcmp0 (services[i].code, service) == 0)
      adw_combo_row_set_selected (self->service_row, i);
  gtk_spin_button_set_value (self->length_spin, (double) g_date_time_difference (end, start) / G_TIME_SPAN_MINUTE);
  adw_combo_row_set_selected (self->modality_row, tend_appointment_get_modality (appointment));
  if (tend_appointment_get_client_id (appointment) != NULL)
    tend_appointment_editor_set_client (self, tend_appointment_get_client_id (appointment));
  /* A saved session's service counts as chosen when it is not the one
   * its type would have given. */
  self->service_by_hand = TRUE;
  tend_session_members_set_from (self->members, appointment);
  self->setting_service = FALSE;
  self->service_by_hand = adw_combo_row_get_selected (self->service_row) !=
                          service_for_type (tend_appointment_get_session_type (appointment));
  if (tend_appointment_get_title (appointment) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), tend_appointment_get_title (appointment));
  if (tend_record_get_string (TEND_RECORD (appointment), "note") != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->note_row), tend_record_get_string (TEND_RECORD (appointment), "note"));
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_row), FALSE);
  return self;
}

void
tend_appointment_editor_set_client (TendAppointmentEditor *self,
                                    const char            *client_id)
{
  g_autoptr(TendRecord) client = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (TEND_IS_APPOINTMENT_EDITOR (self));

  client = tend_store_load (get_store (self), TEND_TYPE_CLIENT, client_id, NULL);
  if (client == NULL)
    return;
  name = tend_client_dup_display_name (TEND_CLIENT (client));
  g_object_set_data (G_OBJECT (self->client_row), "setting", GINT_TO_POINTER (1));
  gtk_editable_set_text (GTK_EDITABLE (self->client_row), name);
  g_object_set_data (G_OBJECT (self->client_row), "setting", NULL);
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  gtk_widget_remove_css_class (GTK_WIDGET (self->client_row), "error");
}

/* For tests: what Save does, without closing the window. */
gboolean
tend_appointment_editor_save (TendAppointmentEditor *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), FALSE);
  return save (self, FALSE);
}

const char *
tend_appointment_editor_get_problem (TendAppointmentEditor *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->problem;
}

/**
 * tend_appointment_editor_save_scope:
 * @scope: for an occurrence of a series, which occurrences to change
 *
 * What Save does after the "which sessions" question (for tests).
 */
gboolean
tend_appointment_editor_save_scope (TendAppointmentEditor *self,
                                    TendSeriesEdit         scope)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), FALSE);
  self->scope = scope;
  return save (self, FALSE);
}

void
tend_appointment_editor_set_start_time (TendAppointmentEditor *self,
                                        const char            *hh_mm)
{
  g_return_if_fail (TEND_IS_APPOINTMENT_EDITOR (self));
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), hh_mm);
}

/* For tests: picks a status in the Status row, as a person would. */
gboolean
tend_appointment_editor_choose_status (TendAppointmentEditor *self,
                                       TendAppointmentStatus  status)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), FALSE);

  for (guint i = 0; self->status_choices != NULL && i < self->status_choices->len; i++)
    if (g_array_index (self->status_choices, TendAppointmentStatus, i) == status)
      {
        adw_combo_row_set_selected (self->status_row, i);
        return TRUE;
      }
  return FALSE;
}


/**
 * tend_appointment_editor_choose_client:
 *
 * What choosing a client from the matches does: sets the client and, for
 * a new booking, their own clinician (who can still be changed).
 */
void
tend_appointment_editor_choose_client (TendAppointmentEditor *self,
                                       const char            *client_id)
{
  g_autoptr(TendRecord) client = NULL;

  g_return_if_fail (TEND_IS_APPOINTMENT_EDITOR (self));

  tend_appointment_editor_set_client (self, client_id);
  if (self->original != NULL)
    return;
  client = tend_store_load (get_store (self), TEND_TYPE_CLIENT, client_id, NULL);
  if (client != NULL)
    select_id (self->clinician_row, self->clinician_ids, tend_record_get_string (client, "primary_clinician_id"), 0);
}

const char *
tend_appointment_editor_get_clinician_id (TendAppointmentEditor *self)
{
  guint i;

  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  i = adw_combo_row_get_selected (self->clinician_row);
  return i < self->clinician_ids->len ? g_ptr_array_index (self->clinician_ids, i) : NULL;
}

/* The couple, family or group session's type and other clients (for tests
 * and the calendar). */
TendSessionMembers *
tend_appointment_editor_get_members (TendAppointmentEditor *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->members;
}

/* For tests: the service row, and the code chosen. */
AdwComboRow *
tend_appointment_editor_get_service_row (TendAppointmentEditor *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->service_row;
}

const char *
tend_appointment_editor_get_service_code (TendAppointmentEditor *self)
{
  guint i;

  g_return_val_if_fail (TEND_IS_APPOINTMENT_EDITOR (self), NULL);
  i = adw_combo_row_get_selected (self->service_row);
  return i < G_N_ELEMENTS (services) ? services[i].code : NULL;
}
