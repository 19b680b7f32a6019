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
#include "tend-client.h"
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
  int      session_type;
  char    *participants;
};

G_DEFINE_FINAL_TYPE (TendAppointment, tend_appointment, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "session", "blocked", NULL };
static const char * const modality_choices[] = { "in_person", "telehealth", NULL };
static const char * const status_choices[] = {
  "scheduled", "confirmed", "arrived", "completed", "no_show", "cancelled", "late_cancelled", NULL
};

static const char * const session_type_choices[] = { "individual", "couple", "family", "group", NULL };
static const char * const attendance_choices[] = { "expected", "attended", "no_show", "late_cancelled", NULL };

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
  E ("session_type", N_("Session type"), TEND_FIELD_REQUIRED, session_type, session_type_choices),
  /* [{"client_id", "attendance"}, ...], the first being client_id: see
   * "Group, couple and family sessions" in docs/architecture.md. */
  F ("participants", N_("Clients in the session"), TEND_FIELD_JSON, 0, participants, 2000),
};

#undef F
#undef E

static gint64
usec_of (const char *iso)
{
  g_autoptr(GDateTime) dt = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;

  return dt != NULL ? tend_time_to_unix_usec (dt) : 0;
}

static int
attendance_from_string (const char *nick)
{
  for (int i = 0; nick != NULL && attendance_choices[i] != NULL; i++)
    if (strcmp (attendance_choices[i], nick) == 0)
      return i;
  return -1;
}

/* The participants list, checked: each entry an object with exactly a
 * client id and an attendance.  %NULL (and @error set) when it is not. */
static JsonArray *
parse_participants (TendAppointment *self,
                    GError         **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *list;

  if (self->participants == NULL)
    return NULL;
  root = tend_record_dup_json (TEND_RECORD (self), "participants");
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Clients in the session: expected a list of clients"));
      return NULL;
    }
  list = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *id = o != NULL ? json_object_get_member (o, "client_id") : NULL;
      JsonNode *att = o != NULL ? json_object_get_member (o, "attendance") : NULL;

      if (o == NULL || json_object_get_size (o) != 2 || id == NULL || att == NULL ||
          json_node_get_value_type (id) != G_TYPE_STRING || json_node_get_value_type (att) != G_TYPE_STRING ||
          !g_uuid_string_is_valid (json_node_get_string (id)) ||
          attendance_from_string (json_node_get_string (att)) < 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Clients in the session: each is a client and their attendance"));
          return NULL;
        }
    }
  return json_array_ref (list);
}

static gboolean
participants_invalid (GError    **error,
                      const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
validate_participants (TendAppointment *self,
                       GError         **error)
{
  g_autoptr(JsonArray) list = NULL;
  guint n;

  if (self->participants == NULL)
    {
      if (self->session_type != TEND_SESSION_INDIVIDUAL)
        return participants_invalid (error, _("Clients in the session: a couple, family or group session lists its clients"));
      return TRUE;
    }
  if (self->kind != TEND_APPOINTMENT_KIND_SESSION)
    return participants_invalid (error, _("Clients in the session: blocked time has no clients"));
  if (self->session_type == TEND_SESSION_INDIVIDUAL)
    return participants_invalid (error, _("Session type: a session with several clients is a couple, family or group session"));
  list = parse_participants (self, error);
  if (list == NULL)
    return FALSE;
  n = json_array_get_length (list);
  if (n < 2 || n > TEND_APPOINTMENT_MAX_PARTICIPANTS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Clients in the session: from 2 to %d clients"), TEND_APPOINTMENT_MAX_PARTICIPANTS);
      return FALSE;
    }
  if (self->session_type == TEND_SESSION_COUPLE && n != 2)
    return participants_invalid (error, _("Clients in the session: a couple session is with two clients"));
  if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (list, 0), "client_id"),
                 self->client_id) != 0)
    return participants_invalid (error, _("Clients in the session: the session’s client comes first"));
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (g_ascii_strcasecmp (json_object_get_string_member (json_array_get_object_element (list, i), "client_id"),
                              json_object_get_string_member (json_array_get_object_element (list, j), "client_id")) == 0)
        return participants_invalid (error, _("Clients in the session: a client is listed twice"));
  return TRUE;
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
  return validate_participants (self, error);
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
         actor->client_id != NULL && tend_appointment_has_member (TEND_APPOINTMENT (record), actor->client_id);
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
  /* The session is the other members' too: the practice changes it. */
  if (tend_appointment_is_multi_client (old))
    return tend_policy_deny (error, _("Ask the practice to change a couple, family or group session."));
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

static gboolean
propagate (GError **error,
           GError  *local)
{
  g_propagate_error (error, local);
  return FALSE;
}

/* The clients a write adds to a session (beyond its own client) are in
 * the practice, and a clinician or supervisor adds only clients whose
 * chart they are on: a group does not become a way to reach a chart. */
static gboolean
appointment_check (TendPolicyActor *actor,
                   gboolean         extra_writer,
                   TendRecord      *stored,
                   TendRecord      *record,
                   GError         **error)
{
  TendAppointment *self;
  g_auto(GStrv) members = NULL;

  if (record == NULL || !tend_appointment_is_multi_client (TEND_APPOINTMENT (record)))
    return TRUE;
  self = TEND_APPOINTMENT (record);
  members = tend_appointment_dup_member_ids (self);
  for (guint i = 0; members[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;

      if (stored != NULL && tend_appointment_has_member (TEND_APPOINTMENT (stored), members[i]))
        continue;
      if (!tend_policy_require_live (actor, TEND_TYPE_CLIENT, members[i],
                                     _("A client in the session is not in this practice."), error))
        return FALSE;
      if (g_strcmp0 (members[i], self->client_id) == 0 || actor->may_read_chart == NULL ||
          !tend_record_policy_chart_restricted (actor->role))
        continue;
      if (!actor->may_read_chart (actor, members[i], &local))
        {
          if (local != NULL)
            return propagate (error, g_steal_pointer (&local));
          return tend_policy_deny (error, _("You can add to a session only clients whose chart you are on."));
        }
    }
  return TRUE;
}

static const TendRecordPolicy appointment_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MANAGE_SCHEDULE,
  .write_also = TEND_PERMISSION_NONE,
  .check = appointment_check,
  .client = &appointment_client_access,
};

static void
tend_appointment_class_init (TendAppointmentClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  G_STATIC_ASSERT (G_N_ELEMENTS (status_choices) == TEND_N_APPOINTMENT_STATUSES + 1);
  G_STATIC_ASSERT (G_N_ELEMENTS (session_type_choices) == TEND_N_SESSION_TYPES + 1);
  G_STATIC_ASSERT (G_N_ELEMENTS (attendance_choices) == TEND_N_ATTENDANCES + 1);
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
/* Couple, family and group sessions */

TendSessionType
tend_appointment_get_session_type (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), TEND_SESSION_INDIVIDUAL);
  return (TendSessionType) self->session_type;
}

/**
 * tend_appointment_is_multi_client:
 *
 * Returns: whether the session lists several clients (its participants)
 */
gboolean
tend_appointment_is_multi_client (TendAppointment *self)
{
  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), FALSE);
  return self->kind == TEND_APPOINTMENT_KIND_SESSION && self->participants != NULL;
}

/**
 * tend_appointment_dup_member_ids:
 *
 * Returns: (transfer full): the session's clients, its own client first;
 *   empty for blocked time or a session without a client
 */
char **
tend_appointment_dup_member_ids (TendAppointment *self)
{
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  g_autoptr(JsonArray) list = NULL;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), NULL);
  if (self->kind != TEND_APPOINTMENT_KIND_SESSION || self->client_id == NULL)
    return g_strv_builder_end (out);
  g_strv_builder_add (out, self->client_id);
  list = tend_appointment_is_multi_client (self) ? parse_participants (self, NULL) : NULL;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      const char *id = json_object_get_string_member (json_array_get_object_element (list, i), "client_id");

      if (g_strcmp0 (id, self->client_id) != 0)
        g_strv_builder_add (out, id);
    }
  return g_strv_builder_end (out);
}

gboolean
tend_appointment_has_member (TendAppointment *self,
                             const char      *client_id)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), FALSE);
  if (client_id == NULL)
    return FALSE;
  ids = tend_appointment_dup_member_ids (self);
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_ascii_strcasecmp (ids[i], client_id) == 0)
      return TRUE;
  return FALSE;
}

/**
 * tend_appointment_get_attendance:
 *
 * Returns: @client_id's attendance as recorded in the participants
 *   (%TEND_ATTENDANCE_EXPECTED for an individual session or a client not
 *   listed)
 */
TendAttendance
tend_appointment_get_attendance (TendAppointment *self,
                                 const char      *client_id)
{
  g_autoptr(JsonArray) list = NULL;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), TEND_ATTENDANCE_EXPECTED);
  list = tend_appointment_is_multi_client (self) ? parse_participants (self, NULL) : NULL;
  for (guint i = 0; list != NULL && client_id != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (o, "client_id"), client_id) == 0)
        return (TendAttendance) MAX (attendance_from_string (json_object_get_string_member (o, "attendance")), 0);
    }
  return TEND_ATTENDANCE_EXPECTED;
}

/**
 * tend_appointment_effective_attendance:
 *
 * What a member's attendance comes to: what was recorded for them, or,
 * while they are still "expected", what the session's status says (a
 * completed session was attended, a no-show or a late cancellation of the
 * whole session is theirs too).  An individual session's client follows
 * its status alone.
 */
TendAttendance
tend_appointment_effective_attendance (TendAppointment *self,
                                       const char      *client_id)
{
  TendAttendance recorded;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), TEND_ATTENDANCE_EXPECTED);
  recorded = tend_appointment_get_attendance (self, client_id);
  if (recorded != TEND_ATTENDANCE_EXPECTED)
    return recorded;
  switch ((TendAppointmentStatus) self->status)
    {
    case TEND_APPOINTMENT_COMPLETED:      return TEND_ATTENDANCE_ATTENDED;
    case TEND_APPOINTMENT_NO_SHOW:        return TEND_ATTENDANCE_NO_SHOW;
    case TEND_APPOINTMENT_LATE_CANCELLED: return TEND_ATTENDANCE_LATE_CANCELLED;
    case TEND_APPOINTMENT_SCHEDULED:
    case TEND_APPOINTMENT_CONFIRMED:
    case TEND_APPOINTMENT_ARRIVED:
    case TEND_APPOINTMENT_CANCELLED:
    case TEND_N_APPOINTMENT_STATUSES:
    default:
      return TEND_ATTENDANCE_EXPECTED;
    }
}

/**
 * tend_appointment_set_members:
 * @client_ids: (array zero-terminated=1) (nullable): the clients, the
 *   session's own client first
 *
 * Makes the session individual (@type %TEND_SESSION_INDIVIDUAL or fewer
 * than two clients: only the first stays) or a couple, family or group
 * session with @client_ids; members already listed keep their attendance,
 * new ones are expected.
 */
void
tend_appointment_set_members (TendAppointment    *self,
                              TendSessionType     type,
                              const char * const *client_ids)
{
  g_autoptr(JsonArray) list = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  guint n = client_ids != NULL ? g_strv_length ((char **) client_ids) : 0;

  g_return_if_fail (TEND_IS_APPOINTMENT (self));
  g_return_if_fail (type < TEND_N_SESSION_TYPES);
  tend_record_set_string (TEND_RECORD (self), "client_id", n > 0 ? client_ids[0] : NULL);
  if (type == TEND_SESSION_INDIVIDUAL || n < 2)
    {
      self->session_type = TEND_SESSION_INDIVIDUAL;
      tend_record_set_json (TEND_RECORD (self), "participants", NULL);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonObject *o = json_object_new ();
      TendAttendance attendance = tend_appointment_get_attendance (self, client_ids[i]);

      json_object_set_string_member (o, "client_id", client_ids[i]);
      json_object_set_string_member (o, "attendance", attendance_choices[attendance]);
      json_array_add_object_element (list, o);
    }
  node = json_node_init_array (json_node_alloc (), list);
  self->session_type = type;
  tend_record_set_json (TEND_RECORD (self), "participants", node);
}

/**
 * tend_appointment_set_attendance:
 * @now: when (the session's check-in time when it is the first arrival)
 *
 * Records one member's attendance.  The first member who arrives starts
 * the session (arrived, as a check-in does); taking back the last arrival
 * before the session is completed makes it scheduled again (the Undo of a
 * check-in).
 */
gboolean
tend_appointment_set_attendance (TendAppointment *self,
                                 const char      *client_id,
                                 TendAttendance   attendance,
                                 GDateTime       *now,
                                 GError         **error)
{
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean found = FALSE, anyone_here = FALSE;
  TendAppointmentStatus status = (TendAppointmentStatus) self->status;

  g_return_val_if_fail (TEND_IS_APPOINTMENT (self), FALSE);
  g_return_val_if_fail (attendance < TEND_N_ATTENDANCES, FALSE);
  list = tend_appointment_is_multi_client (self) ? parse_participants (self, error) : NULL;
  if (list == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                             _("Attendance is kept for couple, family and group sessions"));
      return FALSE;
    }
  if (status == TEND_APPOINTMENT_CANCELLED || status == TEND_APPOINTMENT_LATE_CANCELLED ||
      status == TEND_APPOINTMENT_NO_SHOW || status == TEND_APPOINTMENT_COMPLETED)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("The session is “%s”: its attendance no longer changes"),
                   tend_appointment_status_get_label (status));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      if (g_ascii_strcasecmp (json_object_get_string_member (o, "client_id"), client_id) == 0)
        {
          json_object_set_string_member (o, "attendance", attendance_choices[attendance]);
          found = TRUE;
        }
      if (g_strcmp0 (json_object_get_string_member (o, "attendance"), "attended") == 0)
        anyone_here = TRUE;
    }
  if (!found)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("This client is not in the session"));
      return FALSE;
    }
  node = json_node_init_array (json_node_alloc (), list);
  tend_record_set_json (TEND_RECORD (self), "participants", node);
  if (anyone_here && status != TEND_APPOINTMENT_ARRIVED)
    return tend_appointment_set_status (self, TEND_APPOINTMENT_ARRIVED, NULL, now, error);
  if (!anyone_here && status == TEND_APPOINTMENT_ARRIVED)
    return tend_appointment_set_status (self, TEND_APPOINTMENT_SCHEDULED, NULL, now, error);
  return TRUE;
}

const char *
tend_session_type_to_string (TendSessionType type)
{
  g_return_val_if_fail (type < TEND_N_SESSION_TYPES, NULL);
  return session_type_choices[type];
}

const char *
tend_session_type_get_label (TendSessionType type)
{
  switch (type)
    {
    case TEND_SESSION_INDIVIDUAL: return _("Individual");
    case TEND_SESSION_COUPLE:     return _("Couple");
    case TEND_SESSION_FAMILY:     return _("Family");
    case TEND_SESSION_GROUP:      return _("Group");
    case TEND_N_SESSION_TYPES:
    default:                      return "";
    }
}

const char *
tend_attendance_to_string (TendAttendance attendance)
{
  g_return_val_if_fail (attendance < TEND_N_ATTENDANCES, NULL);
  return attendance_choices[attendance];
}

const char *
tend_attendance_get_label (TendAttendance attendance)
{
  switch (attendance)
    {
    case TEND_ATTENDANCE_EXPECTED:       return _("Expected");
    case TEND_ATTENDANCE_ATTENDED:       return _("Attended");
    case TEND_ATTENDANCE_NO_SHOW:        return _("No-show");
    case TEND_ATTENDANCE_LATE_CANCELLED: return _("Late cancellation");
    case TEND_N_ATTENDANCES:
    default:                             return "";
    }
}
