/* tend-reminder.h: an outbound reminder for the server to send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-appointment.h"
#include "tend-record.h"

G_BEGIN_DECLS

/* A reminder is sent this long before its session starts: tend-server
 * sends one only while its appointment still starts this long after it. */
#define TEND_REMINDER_HOURS_BEFORE 24

#define TEND_TYPE_REMINDER (tend_reminder_get_type ())
G_DECLARE_FINAL_TYPE (TendReminder, tend_reminder, TEND, REMINDER, TendRecord)

TendReminder *tend_reminder_new (const char *appointment_id,
                                 const char *client_id,
                                 const char *channel,
                                 GDateTime  *send_at);

TendReminder *tend_reminder_new_for_member (TendAppointment *appointment,
                                            const char      *client_id,
                                            const char      *channel,
                                            GDateTime       *send_at);

G_END_DECLS
