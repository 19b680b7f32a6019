/* tend-appointment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-appointment.h"
#include "tend-error.h"
#include "tend-time.h"

struct _TendAppointment
{
  TendRecord parent_instance;

  int      kind;
  char    *client_id;
  char    *clinician_id;
  char    *room_id;
  char    *service_code;
  int      modality;
  char    *start;
  char    *end;
  int      status;
  char    *cancel_reason;
  char    *checked_in_at;
  char    *status_changed_at;
  char    *title;
  char    *note;
  char    *series_id;
  char    *occurrence_start;
  gboolean override_conflict;
  char    *override_by;
  char    *override_reason;
  char    *source_uid;
  char    *client_time_zone;
};

G_DEFINE_FINAL_TYPE (TendAppointment, tend_appointment, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "session", "blocked", NULL };
static const char * const modality_choices[] = { "in_person", "telehealth", NULL };
static const char * const status_choices[] = {
  "scheduled", "confirmed", "arrived", "completed", "no_show", "cancelled", "late_cancelled", NULL
};

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendAppointment, member), len, NULL, 0, 0 }
#define E(n, l, fl, member, choices) \
  { n, l, TEND_FIELD_ENUM, fl, G_STRUCT_OFFSET (TendAppointment, member), 0, choices, 0, 0 }

static const TendField appointment_fields[] = {
  E ("kind", N_("Kind"), TEND_FIELD_REQUIRED, kind, kind_choices),
  F ("client_id", N_("Client"), TEND_FIELD_UUID, 0, client_id, 36),
  F ("clinician_id", N_("Clinician"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, clinician_id, 36),
  F ("room_id", N_("Room"), TEND_FIELD_UUID, 0, room_id, 36),
  F ("service_code", N_("Service"), TEND_FIELD_STRING, 0, service_code, 16),
  E ("modality", N_("Modality"), TEND_FIELD_REQUIRED, modality, modality_choices),
  F ("start", N_("Start"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, start, 40),
  F ("end", N_("End"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, end, 40),
  E ("status", N_("Status"), TEND_FIELD_REQUIRED, status, status_choices),
  F ("cancel_reason", N_("Cancellation reason"), TEND_FIELD_STRING, 0, cancel_reason, 200),
  F ("checked_in_at", N_("Check-in time"), TEND_FIELD_DATETIME, 0, checked_in_at, 40),
  F ("status_changed_at", N_("Status changed"), TEND_FIELD_DATETIME, 0, status_changed_at, 40),
  F ("title", N_("Title"), TEND_FIELD_STRING, 0, title, 120),
  F ("note", N_("Note"), TEND_FIELD_TEXT, 0, note, 2000),
  F ("series_id", N_("Series"), TEND_FIELD_UUID, 0, series_id, 36),
  F ("occurrence_start", N_("Occurrence"), TEND_FIELD_DATETIME, 0, occurrence_start, 40),
  { "override.conflict", N_("Conflict override"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendAppointment, override_conflict), 0, NULL, 0, 0 },
  F ("override.by", N_("Override recorded by"), TEND_FIELD_UUID, 0, override_by, 36),
  F ("override.reason", N_("Override reason"), TEND_FIELD_STRING, 0, override_reason, 200),
  F ("source_uid", N_("Imported from"), TEND_FIELD_STRING, 0, source_uid, 255),
  F ("client_time_zone", N_("Client's time zone"), TEND_FIELD_TIME_ZONE, 0, client_time_zone, 64),
};

#undef F
#undef E

static gint64
usec_of (const char *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  return dt != NULL ? tend_time_to_unix_usec (dt) : 0;
}

static gboolean
tend_appointment_validate (TendRecord *record,
                           GError    **error)
{
  TendAppointment *self = TEND_APPOINTMENT (record);
  gint64 start = usec_of (self->start), end = usec_of (self->end);

  if (end <= start)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("End: must be after the start"));
      return FALSE;
    }
  if (end - start > 24 * G_TIME_SPAN_HOUR)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("End: an appointment cannot last more than a day"));
      return FALSE;
    }
  if (self->kind == TEND_APPOINTMENT_KIND_SESSION && self->client_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Client: a session needs a client"));
      return FALSE;
    }
  if ((self->status == TEND_APPOINTMENT_CANCELLED || self->status == TEND_APPOINTMENT_LATE_CANCELLED) &&
      self->cancel_reason == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Cancellation reason: required when cancelling"));
      return FALSE;
    }
  if (self->override_conflict && (self->override_by == NULL || self->override_reason == NULL))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Conflict override: who overrode it and why must be recorded"));
      return FALSE;
    }
  if ((self->series_id == NULL) != (self->occurrence_start == NULL))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Series: an occurrence needs both its series and its original start"));
      return FALSE;
    }
  return TRUE;
}

/* The portal: a client sees their own sessions and may confirm or cancel
 * one that has not started; nothing else of it changes.  Whether a
 * cancellation is late is the server's to say (the practice's window). */
static gboolean
appointment_client_owns (TendPolicyActor *actor,
                         TendRecord      *record,
                         GError         **error)
{
  return TEND_APPOINTMENT (record)->kind == TEND_APPOINTMENT_KIND_SESSION &&
         tend_policy_client_owns_member (actor, record, error);
}

static gboolean
appointment_client_check (TendPolicyActor *actor,
                          TendRecord      *stored,
                          TendRecord      *record,
                          GError         **error)
{
  static const char * const may_change[] = { "status", "status_changed_at", "cancel_reason", NULL };
  TendAppointment *old, *self = TEND_APPOINTMENT (record);

  if (stored == NULL)
    return tend_policy_deny (error, _("Clients ask for appointments; they do not book them."));
  old = TEND_APPOINTMENT (stored);
  if (!tend_policy_only_changed (stored, record, may_change))
    return tend_policy_deny (error, _("Clients may only confirm or cancel an appointment."));
  if (usec_of (old->start) <= g_get_real_time ())
    return tend_policy_deny (error, _("This appointment has already started."));
  if (old->status != TEND_APPOINTMENT_SCHEDULED && old->status != TEND_APPOINTMENT_CONFIRMED)
    return tend_policy_deny (error, _("This appointment can no longer be changed."));
  if (self->status == TEND_APPOINTMENT_CONFIRMED ||
      self->status == TEND_APPOINTMENT_CANCELLED || self->status == TEND_APPOINTMENT_LATE_CANCELLED)
    return TRUE;
  return tend_policy_deny (error, _("Clients may only confirm or cancel an appointment."));
}

static const char * const appointment_client_keep[] = {
  "kind", "clinician_id", "room_id", "modality", "start", "end", "status", "cancel_reason",
  "status_changed_at", "client_time_zone", NULL
};

static const TendClientAccess appointment_client_access = {
  .owns = appointment_client_owns,
  .keep = appointment_client_keep,
  .check = appointment_client_check,
};

static const TendRecordPolicy appointment_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MANAGE_SCHEDULE,
  .write_also = TEND_PERMISSION_NONE,
  .client = &appointment_client_access,
};

static void
tend_appointment_class_init (TendAppointmentClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  G_STATIC_ASSERT (G_N_ELEMENTS (status_choices) == TEND_N_APPOINTMENT_STATUSES + 1);
  tend_record_class_set_fields (record_class, "appointment", appointment_fields,
                                G_N_ELEMENTS (appointment_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &appointment_policy);
  record_class->validate = tend_appointment_validate;
  /* A session's charges (tend_charge_id_for ()). */
  record_class->orders_derived_ids = TRUE;
}

static void
tend_appointment_init (TendAppointment *self)
{
  self->kind = TEND_APPOINTMENT_KIND_SESSION;
  self->modality = TEND_MODALITY_IN_PERSON;
  self->status = TEND_APPOINTMENT_SCHEDULED;
}

TendAppointment *
tend_appointment_new (const char *clinician_id,
                      GDateTime  *start,
                      GDateTime  *end)
{
  TendAppointment *self = TEND_APPOINTMENT (tend_record_new (TEND_TYPE_APPOINTMENT));

  tend_record_set_string (TEND_RECORD (self), "clinician_id", clinician_id);
  tend_appointment_set_times (self, start, end);
  return self;
}

void
tend_appointment_set_times (TendAppointment *self,
                            GDateTime       *start,
                            GDateTime       *end)
{
  g_autofree char *s = NULL;
  g_autofree char *e = NULL;

  g_return_if_fail (TEND_IS_APPOINTMENT (self));
  s = start != NULL ? tend_time_to_iso8601 (start) : NULL;
  e = end != NULL ? tend_time_to_iso8601 (end) : NULL;
  tend_record_set_string (TEND_RECORD (self), "start", s);
  tend_record_set_string (TEND_RECORD (self), "end", e);
}

TendAppointmentKind
tend_appointment_get_kind (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), TEND_APPOINTMENT_KIND_SESSION);
  return (TendAppointmentKind) self->kind;
}

#define GETTER(field) \
  const char *tend_appointment_get_##field (TendAppointment *self) \
  { \
    g_return_val_if_fail (TEND_IS_APPOINTMENT (self), NULL); \
    return self->field; \
  }

GETTER (client_id)
GETTER (clinician_id)
GETTER (room_id)
GETTER (series_id)
GETTER (title)

#undef GETTER

TendModality
tend_appointment_get_modality (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), TEND_MODALITY_IN_PERSON);
  return (TendModality) self->modality;
}

TendAppointmentStatus
tend_appointment_get_status (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), TEND_APPOINTMENT_SCHEDULED);
  return (TendAppointmentStatus) self->status;
}

GDateTime *
tend_appointment_dup_start (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), NULL);
  return self->start != NULL ? tend_time_parse_iso8601 (self->start, NULL) : NULL;
}

GDateTime *
tend_appointment_dup_end (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), NULL);
  return self->end != NULL ? tend_time_parse_iso8601 (self->end, NULL) : NULL;
}

gint64
tend_appointment_get_start_usec (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), 0);
  return usec_of (self->start);
}

gint64
tend_appointment_get_end_usec (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), 0);
  return usec_of (self->end);
}

/**
 * tend_appointment_status_is_active:
 *
 * Returns: whether an appointment in @status still holds its time (for
 *   conflicts and the waitlist): not cancelled, and not a no-show
 */
gboolean
tend_appointment_status_is_active (TendAppointmentStatus status)
{
  return status != TEND_APPOINTMENT_CANCELLED && status != TEND_APPOINTMENT_LATE_CANCELLED &&
         status != TEND_APPOINTMENT_NO_SHOW;
}

/* Does it still hold its time (for conflicts and the waitlist)? */
gboolean
tend_appointment_is_active (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), FALSE);
  return tend_appointment_status_is_active ((TendAppointmentStatus) self->status);
}

/*
 * The life of an appointment.  Corrections are allowed (back to scheduled
 * from a cancellation or a no-show, undoing a check-in); a completed session
 * stays completed, because notes and charges hang off it.
 */
gboolean
tend_appointment_status_can_change (TendAppointmentStatus from,
                                    TendAppointmentStatus to)
{
  if (from == to)
    return FALSE;
  switch (from)
    {
    case TEND_APPOINTMENT_SCHEDULED:
      return to != TEND_APPOINTMENT_COMPLETED;
    case TEND_APPOINTMENT_CONFIRMED:
      return to != TEND_APPOINTMENT_COMPLETED;
    case TEND_APPOINTMENT_ARRIVED:
      return to == TEND_APPOINTMENT_COMPLETED || to == TEND_APPOINTMENT_SCHEDULED ||
             to == TEND_APPOINTMENT_CONFIRMED;
    case TEND_APPOINTMENT_COMPLETED:
      return FALSE;
    case TEND_APPOINTMENT_NO_SHOW:
    case TEND_APPOINTMENT_CANCELLED:
    case TEND_APPOINTMENT_LATE_CANCELLED:
      return to == TEND_APPOINTMENT_SCHEDULED;
    case TEND_N_APPOINTMENT_STATUSES:
    default:
      return FALSE;
    }
}

/**
 * tend_appointment_set_status:
 * @reason: (nullable): required for a cancellation
 * @now: when it happens (the check-in time for %TEND_APPOINTMENT_ARRIVED)
 *
 * Moves the appointment to @status if that transition is allowed.
 */
gboolean
tend_appointment_set_status (TendAppointment       *self,
                             TendAppointmentStatus  status,
                             const char            *reason,
                             GDateTime             *now,
                             GError               **error)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (self->kind == TEND_APPOINTMENT_KIND_BLOCKED &&
      status != TEND_APPOINTMENT_CANCELLED && status != TEND_APPOINTMENT_SCHEDULED)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Blocked time can only be kept or cancelled"));
      return FALSE;
    }
  if (!tend_appointment_status_can_change ((TendAppointmentStatus) self->status, status))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("An appointment that is “%s” cannot become “%s”"),
                   tend_appointment_status_get_label ((TendAppointmentStatus) self->status),
                   tend_appointment_status_get_label (status));
      return FALSE;
    }
  if ((status == TEND_APPOINTMENT_CANCELLED || status == TEND_APPOINTMENT_LATE_CANCELLED) &&
      (reason == NULL || *reason == '\0'))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Cancellation reason: required when cancelling"));
      return FALSE;
    }

  when = tend_time_to_iso8601 (now);
  self->status = status;
  tend_record_set_string (TEND_RECORD (self), "status_changed_at", when);
  tend_record_set_string (TEND_RECORD (self), "cancel_reason",
                          status == TEND_APPOINTMENT_CANCELLED || status == TEND_APPOINTMENT_LATE_CANCELLED ? reason : NULL);
  if (status == TEND_APPOINTMENT_ARRIVED)
    tend_record_set_string (TEND_RECORD (self), "checked_in_at", when);
  else if (status == TEND_APPOINTMENT_SCHEDULED || status == TEND_APPOINTMENT_CONFIRMED)
    tend_record_set_string (TEND_RECORD (self), "checked_in_at", NULL);
  return TRUE;
}

const char *
tend_appointment_status_to_string (TendAppointmentStatus status)
{
  g_return_val_if_fail (status < TEND_N_APPOINTMENT_STATUSES, NULL);
  return status_choices[status];
}

const char *
tend_appointment_status_get_label (TendAppointmentStatus status)
{
  switch (status)
    {
    case TEND_APPOINTMENT_SCHEDULED:      return _("Scheduled");
    case TEND_APPOINTMENT_CONFIRMED:      return _("Confirmed");
    case TEND_APPOINTMENT_ARRIVED:        return _("Arrived");
    case TEND_APPOINTMENT_COMPLETED:      return _("Completed");
    case TEND_APPOINTMENT_NO_SHOW:        return _("No-show");
    case TEND_APPOINTMENT_CANCELLED:      return _("Cancelled");
    case TEND_APPOINTMENT_LATE_CANCELLED: return _("Late cancellation");
    case TEND_N_APPOINTMENT_STATUSES:
    default:                              return "";
    }
}

/* Symbolic icons in adwaita-icon-theme 43: a shape as well as a colour. */
const char *
tend_appointment_status_get_icon (TendAppointmentStatus status)
{
  switch (status)
    {
    case TEND_APPOINTMENT_SCHEDULED:      return "x-office-calendar-symbolic";
    case TEND_APPOINTMENT_CONFIRMED:      return "object-select-symbolic";
    case TEND_APPOINTMENT_ARRIVED:        return "go-home-symbolic";
    case TEND_APPOINTMENT_COMPLETED:      return "emblem-ok-symbolic";
    case TEND_APPOINTMENT_NO_SHOW:        return "action-unavailable-symbolic";
    case TEND_APPOINTMENT_CANCELLED:      return "window-close-symbolic";
    case TEND_APPOINTMENT_LATE_CANCELLED: return "alarm-symbolic";
    case TEND_N_APPOINTMENT_STATUSES:
    default:                              return "x-office-calendar-symbolic";
    }
}

/**
 * tend_appointment_occurrence_id:
 *
 * The id of a series' occurrence is derived from the series and the
 * occurrence's original start, so every workstation that materialises the
 * series makes the same rows: a name-based, version 5 style UUID for a
 * series made before Tend gave series version 8 ids, and for a version 8
 * series (tend_uuid_orders_derived ()) the series' first 48 bits then the
 * name's hash (tend_record_derive_ordered_id ()), so a series' rows sit
 * together in the appointments' id index.  Which one follows from
 * @series_id alone: rows already made keep their ids.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_appointment_occurrence_id (const char *series_id,
                                GDateTime  *occurrence_start)
{
  g_autofree char *iso = tend_time_to_iso8601 (occurrence_start);

  if (tend_uuid_orders_derived (series_id))
    return tend_record_derive_ordered_id ("tend-occurrence", series_id, iso);
  return tend_record_derive_id ("tend-occurrence", series_id, iso);
}