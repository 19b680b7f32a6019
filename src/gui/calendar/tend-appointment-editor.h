/* tend-appointment-editor.h: create or change an appointment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"
#include "tend-session-members.h"
#include "tend-schedule.h"

G_BEGIN_DECLS

#define TEND_TYPE_APPOINTMENT_EDITOR (tend_appointment_editor_get_type ())
G_DECLARE_FINAL_TYPE (TendAppointmentEditor, tend_appointment_editor, TEND, APPOINTMENT_EDITOR, AdwWindow)

TendAppointmentEditor *tend_appointment_editor_new     (TendContext     *context,
                                                        GDateTime       *start,
                                                        GDateTime       *end,
                                                        const char      *clinician_id);
TendAppointmentEditor *tend_appointment_editor_new_for (TendContext     *context,
                                                        TendAppointment *appointment);
void                   tend_appointment_editor_set_client (TendAppointmentEditor *self,
                                                           const char            *client_id);
void                   tend_appointment_editor_choose_client (TendAppointmentEditor *self,
                                                             const char            *client_id);
const char            *tend_appointment_editor_get_clinician_id (TendAppointmentEditor *self);
gboolean               tend_appointment_editor_save    (TendAppointmentEditor *self);
const char            *tend_appointment_editor_get_problem (TendAppointmentEditor *self);
gboolean               tend_appointment_editor_save_scope (TendAppointmentEditor *self,
                                                           TendSeriesEdit         scope);
gboolean               tend_appointment_editor_cancel_appointment (TendAppointmentEditor *self,
                                                                   const char            *reason,
                                                                   gboolean               late);
GPtrArray             *tend_appointment_editor_get_waitlist_matches (TendAppointmentEditor *self);
gboolean               tend_appointment_editor_choose_status (TendAppointmentEditor *self,
                                                              TendAppointmentStatus  status);
void                   tend_appointment_editor_set_start_time (TendAppointmentEditor *self,
                                                               const char            *hh_mm);

GtkWidget             *tend_appointment_editor_get_reminder_row (TendAppointmentEditor *self);
TendSessionMembers    *tend_appointment_editor_get_members (TendAppointmentEditor *self);

AdwComboRow           *tend_appointment_editor_get_service_row (TendAppointmentEditor *self);
const char            *tend_appointment_editor_get_service_code (TendAppointmentEditor *self);

G_END_DECLS
