/* tend-schedule.h: appointments, series, conflicts and the waitlist in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

/**
 * TendConflictKind:
 * @TEND_CONFLICT_CLINICIAN: the clinician has another appointment then
 * @TEND_CONFLICT_ROOM: the room is taken then
 * @TEND_CONFLICT_OUTSIDE_HOURS: outside the clinician's working hours
 */
typedef enum
{
  TEND_CONFLICT_CLINICIAN,
  TEND_CONFLICT_ROOM,
  TEND_CONFLICT_OUTSIDE_HOURS,
} TendConflictKind;

typedef struct
{
  TendConflictKind kind;
  char            *other_id;   /* the appointment in the way, or NULL for hours */
} TendConflict;

void       tend_conflict_free                 (TendConflict *conflict);

/* Appointments (and blocked time) overlapping [from, to), by start time.
 * @clinician_ids: (nullable): only these clinicians; %NULL for everyone.
 * Cancelled ones are included: the views show them struck through. */
GPtrArray *tend_schedule_list                 (TendStore          *store,
                                               gint64              from_usec,
                                               gint64              to_usec,
                                               const char * const *clinician_ids,
                                               GError            **error);
GPtrArray *tend_schedule_list_for_room        (TendStore          *store,
                                               const char         *room_id,
                                               gint64              from_usec,
                                               gint64              to_usec,
                                               GError            **error);

/* What stands in the way of @appointment (not saved yet, or being moved):
 * element-type TendConflict.  Ignores @appointment itself and anything
 * cancelled or a no-show. */
GPtrArray *tend_schedule_find_conflicts       (TendStore          *store,
                                               TendAppointment    *appointment,
                                               GTimeZone          *zone,
                                               GError            **error);

/* Saves after checking conflicts: with conflicts and no override, fails with
 * TEND_ERROR_CONFLICT and a message naming them.  An override needs a role
 * that may (owner, front desk) and is recorded in the appointment. */
gboolean   tend_schedule_save_appointment     (TendStore          *store,
                                               TendAppointment    *appointment,
                                               GTimeZone          *zone,
                                               GError            **error);

/* Series: saves the series and materialises its occurrences up to
 * @horizon_usec (rows with derived ids; existing edited rows are kept). */
gboolean   tend_schedule_save_series          (TendStore          *store,
                                               TendSeries         *series,
                                               gint64              horizon_usec,
                                               GError            **error);
/* Extends every series' rows to @horizon_usec (call at start and daily). */
gboolean   tend_schedule_extend_horizon       (TendStore          *store,
                                               gint64              horizon_usec,
                                               GError            **error);

typedef enum
{
  TEND_SERIES_EDIT_THIS,           /* only this occurrence */
  TEND_SERIES_EDIT_FOLLOWING,      /* this and every later one: splits the series */
  TEND_SERIES_EDIT_ALL,            /* the whole series */
} TendSeriesEdit;

/* Moves or cancels occurrences.  @changed is the occurrence as edited (new
 * times, room, status...).  FOLLOWING ends the old series before it (UNTIL)
 * and starts a new series from it; ALL applies the change to every
 * occurrence not yet past. */
gboolean   tend_schedule_edit_occurrence      (TendStore          *store,
                                               TendAppointment    *changed,
                                               TendSeriesEdit      scope,
                                               gint64              horizon_usec,
                                               GError            **error);

/* Waitlist entries (element-type TendWaitlistEntry) that would take the slot
 * of @cancelled, best first (longest waiting). */
GPtrArray *tend_schedule_match_waitlist       (TendStore          *store,
                                               TendAppointment    *cancelled,
                                               GTimeZone          *zone,
                                               GError            **error);

/* Outbound reminders, recorded for tend-server to send:
 * TEND_REMINDER_HOURS_BEFORE (tend-reminder.h: tend-server checks it too)
 * before each session with a client, for sessions starting within
 * TEND_REMINDER_WINDOW_DAYS (later ones get theirs from
 * tend_schedule_maintain() as they come closer). */
#define TEND_REMINDER_WINDOW_DAYS  14
/* How far ahead series occurrences are materialised. */
#define TEND_SCHEDULE_HORIZON_DAYS 400

TendReminder *tend_schedule_add_reminder      (TendStore          *store,
                                               TendAppointment    *appointment,
                                               guint               hours_before,
                                               gint64              now_usec,
                                               GError            **error);
/* The reminder of @appointment that a person should see: the last one
 * that failed for good, else the last one made (NULL: none). */
TendReminder *tend_schedule_get_reminder      (TendStore          *store,
                                               const char         *appointment_id,
                                               GError            **error);
int        tend_schedule_cancel_reminders     (TendStore          *store,
                                               const char         *appointment_id,
                                               GError            **error);
/* Makes @appointment's reminders right after any change to it: none when it
 * is cancelled, blocked time or too far ahead, else one pending reminder at
 * its (new) time; stale ones are cancelled.  Idempotent. */
gboolean   tend_schedule_sync_reminder        (TendStore          *store,
                                               TendAppointment    *appointment,
                                               gint64              now_usec,
                                               GError            **error);
/* The daily (and start-up) upkeep: materialises every series to
 * TEND_SCHEDULE_HORIZON_DAYS from @now_usec and brings the reminders of the
 * window up to date.  For a worker connection (tend_store_open_worker()).
 * @n_reminders: (out) (optional): reminders made or cancelled */
gboolean   tend_schedule_maintain             (TendStore          *store,
                                               gint64              now_usec,
                                               guint              *n_reminders,
                                               GError            **error);

G_END_DECLS
