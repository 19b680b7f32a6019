/* tend-appointment.h: one appointment, or a block of busy time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_APPOINTMENT_KIND_SESSION,   /* a client session */
  TEND_APPOINTMENT_KIND_BLOCKED,   /* busy time: meetings, leave, imported busy */
} TendAppointmentKind;

typedef enum
{
  TEND_MODALITY_IN_PERSON,
  TEND_MODALITY_TELEHEALTH,
} TendModality;

typedef enum
{
  TEND_APPOINTMENT_SCHEDULED,
  TEND_APPOINTMENT_CONFIRMED,
  TEND_APPOINTMENT_ARRIVED,
  TEND_APPOINTMENT_COMPLETED,
  TEND_APPOINTMENT_NO_SHOW,
  TEND_APPOINTMENT_CANCELLED,
  TEND_APPOINTMENT_LATE_CANCELLED,
  TEND_N_APPOINTMENT_STATUSES
} TendAppointmentStatus;

/* Who a session is with: one client, or several (couple, family, group:
 * the appointment's "participants"). */
typedef enum
{
  TEND_SESSION_INDIVIDUAL,
  TEND_SESSION_COUPLE,
  TEND_SESSION_FAMILY,
  TEND_SESSION_GROUP,
  TEND_N_SESSION_TYPES
} TendSessionType;

/* One member's attendance at a couple, family or group session. */
typedef enum
{
  TEND_ATTENDANCE_EXPECTED,
  TEND_ATTENDANCE_ATTENDED,
  TEND_ATTENDANCE_NO_SHOW,
  TEND_ATTENDANCE_LATE_CANCELLED,
  TEND_N_ATTENDANCES
} TendAttendance;

/* The most clients one session lists. */
#define TEND_APPOINTMENT_MAX_PARTICIPANTS 16

#define TEND_TYPE_APPOINTMENT (tend_appointment_get_type ())
G_DECLARE_FINAL_TYPE (TendAppointment, tend_appointment, TEND, APPOINTMENT, TendRecord)

TendAppointment      *tend_appointment_new                (const char            *clinician_id,
                                                           GDateTime             *start,
                                                           GDateTime             *end);
TendAppointmentKind   tend_appointment_get_kind           (TendAppointment       *self);
const char           *tend_appointment_get_client_id      (TendAppointment       *self);
const char           *tend_appointment_get_clinician_id   (TendAppointment       *self);
const char           *tend_appointment_get_room_id        (TendAppointment       *self);
const char           *tend_appointment_get_series_id      (TendAppointment       *self);
const char           *tend_appointment_get_title          (TendAppointment       *self);
TendModality          tend_appointment_get_modality       (TendAppointment       *self);
TendAppointmentStatus tend_appointment_get_status         (TendAppointment       *self);
GDateTime            *tend_appointment_dup_start          (TendAppointment       *self);
GDateTime            *tend_appointment_dup_end            (TendAppointment       *self);
gint64                tend_appointment_get_start_usec     (TendAppointment       *self);
gint64                tend_appointment_get_end_usec       (TendAppointment       *self);
void                  tend_appointment_set_times          (TendAppointment       *self,
                                                           GDateTime             *start,
                                                           GDateTime             *end);
gboolean              tend_appointment_is_active          (TendAppointment       *self);
gboolean              tend_appointment_set_status         (TendAppointment       *self,
                                                           TendAppointmentStatus  status,
                                                           const char            *reason,
                                                           GDateTime             *now,
                                                           GError               **error);

TendSessionType       tend_appointment_get_session_type   (TendAppointment       *self);
gboolean              tend_appointment_is_multi_client    (TendAppointment       *self);
char                **tend_appointment_dup_member_ids     (TendAppointment       *self);
gboolean              tend_appointment_has_member         (TendAppointment       *self,
                                                           const char            *client_id);
TendAttendance        tend_appointment_get_attendance     (TendAppointment       *self,
                                                           const char            *client_id);
TendAttendance        tend_appointment_effective_attendance (TendAppointment     *self,
                                                           const char            *client_id);
void                  tend_appointment_set_members        (TendAppointment       *self,
                                                           TendSessionType        type,
                                                           const char * const    *client_ids);
gboolean              tend_appointment_set_attendance     (TendAppointment       *self,
                                                           const char            *client_id,
                                                           TendAttendance         attendance,
                                                           GDateTime             *now,
                                                           GError               **error);

gboolean              tend_appointment_status_can_change  (TendAppointmentStatus  from,
                                                           TendAppointmentStatus  to);
const char           *tend_appointment_status_to_string   (TendAppointmentStatus  status);
const char           *tend_appointment_status_get_label   (TendAppointmentStatus  status);
const char           *tend_appointment_status_get_icon    (TendAppointmentStatus  status);
gboolean              tend_appointment_status_is_active   (TendAppointmentStatus  status);
const char           *tend_session_type_to_string        (TendSessionType        type);
const char           *tend_session_type_get_label         (TendSessionType        type);
const char           *tend_attendance_to_string           (TendAttendance         attendance);
const char           *tend_attendance_get_label           (TendAttendance         attendance);
char                 *tend_appointment_occurrence_id      (const char            *series_id,
                                                           GDateTime             *occurrence_start);

G_END_DECLS
