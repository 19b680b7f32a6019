/* tend-calendar-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"
#include "tend-schedule-grid.h"

G_BEGIN_DECLS

#define TEND_TYPE_CALENDAR_PAGE (tend_calendar_page_get_type ())
G_DECLARE_FINAL_TYPE (TendCalendarPage, tend_calendar_page, TEND, CALENDAR_PAGE, GtkWidget)

void              tend_calendar_page_set_context   (TendCalendarPage *self,
                                                    TendContext      *context);
void              tend_calendar_page_set_view      (TendCalendarPage *self,
                                                    const char       *view);
TendScheduleGrid *tend_calendar_page_get_grid      (TendCalendarPage *self);
GtkListBox       *tend_calendar_page_get_agenda    (TendCalendarPage *self);
GtkListBox       *tend_calendar_page_get_attention (TendCalendarPage *self);
guint             tend_calendar_page_get_n_shown   (TendCalendarPage *self);
const char       *tend_calendar_page_get_view      (TendCalendarPage *self);
gboolean          tend_calendar_page_can_check_in  (TendCalendarPage *self,
                                                    TendAppointment  *appointment);
gboolean          tend_calendar_page_mark_attendance (TendCalendarPage *self,
                                                      const char       *appointment_id,
                                                      const char       *client_id,
                                                      TendAttendance    attendance,
                                                      GError          **error);
gboolean          tend_calendar_page_undo_attendance (TendCalendarPage *self,
                                                      GError          **error);
gboolean          tend_calendar_page_undo_status   (TendCalendarPage *self,
                                                    GError          **error);
GPtrArray        *tend_calendar_page_list_needing_attention (TendCalendarPage *self);
GDateTime        *tend_calendar_page_default_start (TendCalendarPage *self,
                                                    GDateTime        *now);
gboolean          tend_calendar_page_record_outcome (TendCalendarPage     *self,
                                                     const char           *appointment_id,
                                                     TendAppointmentStatus outcome,
                                                     GError              **error);
void              tend_calendar_page_get_date      (TendCalendarPage *self,
                                                    GDate            *date);
void              tend_calendar_page_reload        (TendCalendarPage *self);
void              tend_calendar_page_set_clinician_shown (TendCalendarPage *self,
                                                    const char       *id,
                                                    gboolean          shown);
gboolean          tend_calendar_page_move_appointment (TendCalendarPage *self,
                                                       const char       *id,
                                                       const char       *clinician_id,
                                                       GDateTime        *start,
                                                       GError          **error);
gboolean          tend_calendar_page_resize_appointment (TendCalendarPage *self,
                                                         const char       *id,
                                                         GDateTime        *end,
                                                         GError          **error);
gboolean          tend_calendar_page_undo_move     (TendCalendarPage *self,
                                                    GError          **error);

gboolean     tend_calendar_page_can_start_video (TendCalendarPage *self,
                                                 TendAppointment  *appointment);

G_END_DECLS
