/* tend-note-session-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The session a note documents: date and start time typed in the practice's
 * time zone (stored in UTC by the note), duration, service, modality, place
 * of service and participants.  Prefilled from the appointment when the note
 * was started from one; everything stays editable.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "tend-note-session-group.h"

struct _TendNoteSessionGroup
{
  AdwPreferencesGroup  parent_instance;

  GTimeZone           *zone;
  GtkWidget           *link_row;
  AdwEntryRow         *date_row;
  AdwEntryRow         *time_row;
  AdwEntryRow         *duration_row;
  AdwEntryRow         *service_row;
  AdwComboRow         *modality_row;
  AdwComboRow         *pos_row;
  AdwEntryRow         *participants_row;
  GPtrArray           *pos_codes;      /* the codes behind pos_row's items */
  guint                last_modality;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (TendNoteSessionGroup, tend_note_session_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The places of service a therapy practice uses (CMS codes); a note that
 * carries another keeps it as an extra item. */
static const struct { const char *code; const char *label; } places[] = {
  { "11", N_("Office") },
  { "02", N_("Telehealth, not in the client’s home") },
  { "10", N_("Telehealth in the client’s home") },
  { "12", N_("Client’s home") },
  { "03", N_("School") },
  { "99", N_("Other place") },
};

static const char * const modality_nicks[] = { "in_person", "telehealth", "phone" };

static void
set_row_error (AdwEntryRow *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
on_row_changed_cb (TendNoteSessionGroup *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
select_pos (TendNoteSessionGroup *self,
            const char           *code)
{
  GtkStringList *model = GTK_STRING_LIST (adw_combo_row_get_model (self->pos_row));

  for (guint i = 0; i < self->pos_codes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->pos_codes, i), code) == 0)
      {
        adw_combo_row_set_selected (self->pos_row, i);
        return;
      }
  if (code == NULL)
    {
      adw_combo_row_set_selected (self->pos_row, self->pos_codes->len - 1);
      return;
    }
  g_ptr_array_insert (self->pos_codes, self->pos_codes->len - 1, g_strdup (code));
  gtk_string_list_splice (model, self->pos_codes->len - 2, 0, (const char *[]) { code, NULL });
  adw_combo_row_set_selected (self->pos_row, self->pos_codes->len - 2);
}

/* Video or phone from in person moves an office place of service to
 * telehealth and back, unless the clinician chose another place. */
static void
on_modality_changed_cb (TendNoteSessionGroup *self)
{
  guint modality = adw_combo_row_get_selected (self->modality_row);
  const char *pos = NULL;
  guint selected = adw_combo_row_get_selected (self->pos_row);

  if (selected < self->pos_codes->len)
    pos = g_ptr_array_index (self->pos_codes, selected);
  if (!self->loading && modality != self->last_modality)
    {
      if (modality == 0 && g_strcmp0 (pos, "02") == 0)
        select_pos (self, "11");
      else if (modality != 0 && self->last_modality == 0 && g_strcmp0 (pos, "11") == 0)
        select_pos (self, "02");
    }
  self->last_modality = modality;
  on_row_changed_cb (self);
}

static AdwEntryRow *
add_entry_row (TendNoteSessionGroup *self,
               const char           *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  return ADW_ENTRY_ROW (row);
}

static void
tend_note_session_group_dispose (GObject *object)
{
  TendNoteSessionGroup *self = TEND_NOTE_SESSION_GROUP (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->pos_codes, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_note_session_group_parent_class)->dispose (object);
}

static void
tend_note_session_group_class_init (TendNoteSessionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_note_session_group_dispose;

  /**
   * TendNoteSessionGroup::changed: something was typed or chosen
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_note_session_group_init (TendNoteSessionGroup *self)
{
  g_autoptr(GtkStringList) modalities = gtk_string_list_new ((const char *[]) { _("In person"), _("Video"), _("Phone"), NULL });
  g_autoptr(GtkStringList) pos = gtk_string_list_new (NULL);

  self->pos_codes = g_ptr_array_new_with_free_func (g_free);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Session"));

  self->link_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->link_row), _("Not linked to a session"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->link_row), gtk_image_new_from_icon_name ("x-office-calendar-symbolic"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->link_row);

  self->date_row = add_entry_row (self, _("Date (YYYY-MM-DD)"));
  self->time_row = add_entry_row (self, _("Start time (HH:MM, 24-hour)"));
  self->duration_row = add_entry_row (self, _("Duration in minutes"));
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->duration_row), 4);
  self->service_row = add_entry_row (self, _("Service code"));

  self->modality_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->modality_row), _("Modality"));
  adw_combo_row_set_model (self->modality_row, G_LIST_MODEL (modalities));
  g_signal_connect_object (self->modality_row, "notify::selected", G_CALLBACK (on_modality_changed_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->modality_row));

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      /* TRANSLATORS: place of service code and its name: "11 · Office" */
      g_autofree char *label = g_strdup_printf (_("%s · %s"), places[i].code, _(places[i].label));

      gtk_string_list_append (pos, label);
      g_ptr_array_add (self->pos_codes, g_strdup (places[i].code));
    }
  gtk_string_list_append (pos, _("Not recorded"));
  g_ptr_array_add (self->pos_codes, NULL);
  self->pos_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pos_row), _("Place of service"));
  adw_combo_row_set_model (self->pos_row, G_LIST_MODEL (pos));
  g_signal_connect_object (self->pos_row, "notify::selected", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->pos_row));

  self->participants_row = add_entry_row (self, _("Participants"));
}

/**
 * tend_note_session_group_new:
 * @zone: (nullable): the practice's time zone
 */
GtkWidget *
tend_note_session_group_new (GTimeZone *zone)
{
  TendNoteSessionGroup *self = g_object_new (TEND_TYPE_NOTE_SESSION_GROUP, NULL);
  g_autofree char *description = NULL;

  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  /* TRANSLATORS: the practice's time zone, e.g. America/Chicago */
  description = g_strdup_printf (_("Date and time in the practice’s time zone (%s)"),
                                 g_time_zone_get_identifier (self->zone));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  return GTK_WIDGET (self);
}

/**
 * tend_note_session_group_load:
 * @appointment_label: (nullable): how to name the linked session, or %NULL
 *
 * Shows what the note records of its session.
 */
void
tend_note_session_group_load (TendNoteSessionGroup *self,
                              TendClinicalNote     *note,
                              const char           *appointment_label)
{
  TendRecord *r = TEND_RECORD (note);
  g_autoptr(GDateTime) start = NULL;
  const char *modality = tend_record_get_string (r, "modality");
  gint64 minutes = tend_record_get_int (r, "duration_minutes");

  g_return_if_fail (TEND_IS_NOTE_SESSION_GROUP (self));
  self->loading = TRUE;
  if (appointment_label != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->link_row), appointment_label);
  start = tend_clinical_note_dup_service_start (note);
  if (start != NULL)
    {
      g_autoptr(GDateTime) there = g_date_time_to_timezone (start, self->zone);
      g_autofree char *date = g_date_time_format (there, "%Y-%m-%d");
      g_autofree char *time = g_date_time_format (there, "%H:%M");

      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
    }
  else
    {
      const char *date = tend_clinical_note_get_service_date (note);

      gtk_editable_set_text (GTK_EDITABLE (self->date_row), date != NULL ? date : "");
      gtk_editable_set_text (GTK_EDITABLE (self->time_row), "");
    }
  if (minutes > 0)
    {
      g_autofree char *text = g_strdup_printf ("%d", (int) minutes);
      gtk_editable_set_text (GTK_EDITABLE (self->duration_row), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->duration_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->service_row),
                         tend_record_get_string (r, "service_code") != NULL ? tend_record_get_string (r, "service_code") : "");
  for (guint i = 0; i < G_N_ELEMENTS (modality_nicks); i++)
    if (g_strcmp0 (modality, modality_nicks[i]) == 0)
      adw_combo_row_set_selected (self->modality_row, i);
  self->last_modality = adw_combo_row_get_selected (self->modality_row);
  select_pos (self, tend_record_get_string (r, "place_of_service"));
  gtk_editable_set_text (GTK_EDITABLE (self->participants_row),
                         tend_record_get_string (r, "participants") != NULL ? tend_record_get_string (r, "participants") : "");
  self->loading = FALSE;
}

static const char *
row_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return text[0] != '\0' ? text : NULL;
}

/**
 * tend_note_session_group_apply:
 *
 * Puts what is typed into @note.  A date, time or duration that cannot be
 * read marks its row and gives an error naming it; the rest is applied.
 */
gboolean
tend_note_session_group_apply (TendNoteSessionGroup *self,
                               TendClinicalNote     *note,
                               GError              **error)
{
  TendRecord *r = TEND_RECORD (note);
  const char *date = row_text (self->date_row);
  const char *time = row_text (self->time_row);
  const char *duration = row_text (self->duration_row);
  guint selected = adw_combo_row_get_selected (self->pos_row);
  g_autofree char *bad = NULL;
  GDate d;
  guint minutes = 0;

  g_return_val_if_fail (TEND_IS_NOTE_SESSION_GROUP (self), FALSE);
  set_row_error (self->date_row, FALSE);
  set_row_error (self->time_row, FALSE);
  set_row_error (self->duration_row, FALSE);
  if (date == NULL || !tend_date_parse (date, &d, NULL))
    {
      set_row_error (self->date_row, TRUE);
      bad = g_strdup (_("Date: expected a day such as 2026-03-08"));
    }
  else if (time != NULL && !tend_time_of_day_parse (time, &minutes))
    {
      set_row_error (self->time_row, TRUE);
      bad = g_strdup (_("Start time: expected a time such as 14:30"));
    }
  else if (time != NULL)
    {
      g_autoptr(GDateTime) start = g_date_time_new (self->zone, g_date_get_year (&d), g_date_get_month (&d),
                                                    g_date_get_day (&d), minutes / 60, minutes % 60, 0);

      if (start == NULL)
        {
          set_row_error (self->time_row, TRUE);
          bad = g_strdup (_("Start time: that time does not exist on that day"));
        }
      else
        tend_clinical_note_set_service_start (note, start, self->zone);
    }
  else
    {
      tend_record_set_string (r, "service_start", NULL);
      tend_record_set_string (r, "service_date", date);
    }

  if (duration != NULL)
    {
      char *end = NULL;
      gint64 value = g_ascii_strtoll (duration, &end, 10);

      if (end == NULL || *end != '\0' || value < 0 || value > 1440)
        {
          set_row_error (self->duration_row, TRUE);
          if (bad == NULL)
            bad = g_strdup (_("Duration: expected minutes, from 0 to 1440"));
        }
      else
        tend_record_set_int (r, "duration_minutes", value);
    }
  else
    tend_record_set_int (r, "duration_minutes", 0);

  tend_record_set_string (r, "service_code", row_text (self->service_row));
  tend_record_set_string (r, "modality", modality_nicks[MIN (adw_combo_row_get_selected (self->modality_row), 2)]);
  tend_record_set_string (r, "place_of_service",
                          selected < self->pos_codes->len ? g_ptr_array_index (self->pos_codes, selected) : NULL);
  tend_record_set_string (r, "participants", row_text (self->participants_row));
  if (bad != NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, bad);
      return FALSE;
    }
  return TRUE;
}

/* For tests: the rows by what they hold. */
AdwEntryRow *
tend_note_session_group_get_time_row (TendNoteSessionGroup *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_SESSION_GROUP (self), NULL);
  return self->time_row;
}

AdwComboRow *
tend_note_session_group_get_modality_row (TendNoteSessionGroup *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_SESSION_GROUP (self), NULL);
  return self->modality_row;
}

AdwEntryRow *
tend_note_session_group_get_participants_row (TendNoteSessionGroup *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_SESSION_GROUP (self), NULL);
  return self->participants_row;
}
