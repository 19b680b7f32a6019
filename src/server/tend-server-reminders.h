/* tend-server-reminders.h: sending the reminder records Tend makes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-pg.h"
#include "tend-server-config.h"

G_BEGIN_DECLS

/* Due reminders handed over in one transaction. */
#define TEND_REMINDERS_BATCH 200

int       tend_reminders_dispatch        (TendPgConn             *conn,
                                          const TendServerConfig *config,
                                          GError                **error);
gboolean  tend_reminders_still_due       (TendPgConn             *conn,
                                          const char             *practice_id,
                                          const char             *reminder_id,
                                          char                  **stale_reason,
                                          GError                **error);
gboolean  tend_reminders_record_outcome  (TendPgConn             *conn,
                                          const char             *practice_id,
                                          const char             *reminder_id,
                                          const char             *status,
                                          const char             *reason,
                                          GError                **error);

typedef struct
{
  const char *practice_id;
  const char *reminder_id;
  const char *status;         /* "sent", "failed", "cancelled" */
  const char *reason;         /* nullable */
} TendReminderOutcome;

gboolean  tend_reminders_record_outcomes (TendPgConn                *conn,
                                          const TendReminderOutcome *outcomes,
                                          guint                      n,
                                          GError                   **error);

/* What a reminder says, in the client's language (exposed for tests). */
typedef struct
{
  const char *language;       /* "en", "es-MX", NULL: English */
  const char *practice_name;
  const char *time_zone;      /* the practice's */
  gint64      start_s;        /* the session's start, unix seconds */
  gboolean    video;
  const char *place;          /* the practice's address or room; NULL */
  const char *link;           /* the confirm/cancel page; NULL */
  gboolean    join;           /* not a reminder: @link joins the video session */
} TendReminderContent;

void      tend_reminder_render           (const TendReminderContent *content,
                                          char                     **subject,
                                          char                     **email_text,
                                          char                     **email_html,
                                          char                     **sms_text);
char     *tend_reminder_phone_e164       (const char             *phone,
                                          const char             *country);
gint64    tend_reminder_quiet_until      (const TendServerConfig *config,
                                          const char             *time_zone,
                                          gint64                  now_s);

G_END_DECLS
