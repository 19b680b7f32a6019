/* tend-reminder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tend never sends messages to clients itself: it records what should be
 * sent and when, and tend-server sends it (and marks it sent).
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-appointment.h"
#include "tend-record-policy.h"
#include "tend-reminder.h"
#include "tend-time.h"

struct _TendReminder
{
  TendRecord parent_instance;

  char *appointment_id;
  char *client_id;
  int   channel;
  char *send_at;
  int   status;
  char *sent_at;
  char *status_reason;
};

G_DEFINE_FINAL_TYPE (TendReminder, tend_reminder, TEND_TYPE_RECORD)

static const char * const channel_choices[] = { "sms", "email", NULL };
static const char * const status_choices[] = { "pending", "sent", "failed", "cancelled", NULL };

static const TendField reminder_fields[] = {
  { "appointment_id", N_("Appointment"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReminder, appointment_id), 36, NULL, 0, 0 },
  { "client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReminder, client_id), 36, NULL, 0, 0 },
  { "channel", N_("Channel"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReminder, channel), 0, channel_choices, 0, 0 },
  { "send_at", N_("Send at"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReminder, send_at), 40, NULL, 0, 0 },
  { "status", N_("Status"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReminder, status), 0, status_choices, 0, 0 },
  { "sent_at", N_("Sent at"), TEND_FIELD_DATETIME, 0, G_STRUCT_OFFSET (TendReminder, sent_at), 40, NULL, 0, 0 },
  /* Written by tend-server: why it failed, or why it was not sent. */
  { "status_reason", N_("Reason"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendReminder, status_reason), 400, NULL, 0, 0 },
};

static const TendRecordPolicy reminder_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_SCHEDULE);

static void
tend_reminder_class_init (TendReminderClass *klass)
{
  tend_record_class_set_fields (TEND_RECORD_CLASS (klass), "reminder", reminder_fields,
                                G_N_ELEMENTS (reminder_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &reminder_policy);
}

static void
tend_reminder_init (TendReminder *self)
{
}

TendReminder *
tend_reminder_new (const char *appointment_id,
                   const char *client_id,
                   const char *channel,
                   GDateTime  *send_at)
{
  TendReminder *self = TEND_REMINDER (tend_record_new (TEND_TYPE_REMINDER));
  g_autofree char *iso = tend_time_to_iso8601 (send_at);
  /* The same reminder from every workstation that makes it: one message. */
  g_autofree char *id = tend_record_derive_id ("tend-reminder", appointment_id, iso);

  tend_record_set_id (TEND_RECORD (self), id);
  tend_record_set_string (TEND_RECORD (self), "appointment_id", appointment_id);
  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "channel", channel);
  tend_record_set_string (TEND_RECORD (self), "send_at", iso);
  return self;
}

/**
 * tend_reminder_new_for_member:
 * @appointment: a session, individual or with several clients
 * @client_id: the member reminded (the session's own client, or another
 *   member of a couple, family or group session)
 *
 * Each member of a multi-client session gets a reminder of their own.
 * The session's own client's has the id tend_reminder_new () gives (so a
 * reminder made before sessions had several clients keeps its id); any
 * other member's id is derived from the session, the time and the member,
 * the same on every workstation.
 *
 * Returns: (transfer full): the reminder
 */
TendReminder *
tend_reminder_new_for_member (TendAppointment *appointment,
                              const char      *client_id,
                              const char      *channel,
                              GDateTime       *send_at)
{
  const char *appointment_id = tend_record_get_id (TEND_RECORD (appointment));
  TendReminder *self = tend_reminder_new (appointment_id, client_id, channel, send_at);

  if (g_strcmp0 (tend_appointment_get_client_id (appointment), client_id) != 0)
    {
      g_autofree char *iso = tend_time_to_iso8601 (send_at);
      g_autofree char *detail = g_strconcat (iso, " ", client_id, NULL);
      g_autofree char *id = tend_record_derive_id ("tend-reminder-member", appointment_id, detail);

      tend_record_set_id (TEND_RECORD (self), id);
    }
  return self;
}
