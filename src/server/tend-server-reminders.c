/* tend-server-reminders.c: sending the reminder records Tend makes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tend's stores make a `reminder` record for each session (channel,
 * send_at) and keep it in step with the appointment (tend-schedule.c).  The
 * outbox senders call tend_reminders_dispatch (), which hands the due ones
 * (send_at passed, status pending, no live outbox row yet) to the outbox:
 *
 *  - the appointment must still be a session that is scheduled or
 *    confirmed and still start TEND_REMINDER_HOURS_BEFORE after send_at: a
 *    reminder of a moved, cancelled or deleted appointment is not sent and
 *    is marked cancelled, with the reason (the store normally cancels it in
 *    the same push that moved the appointment; this catches the rest);
 *  - the reminder's client must still be in the session (each member of a
 *    couple, family or group session has a reminder of their own);
 *  - the client's choice (reminders.channel: auto, sms, email, none) and
 *    opt-out (reminders.sms_opt_out, set when they reply STOP, and the
 *    sms_opt_out table) are respected: nothing is sent, and the reason is
 *    written into the reminder;
 *  - within quiet hours (quiet-hours, in the practice's zone) the outbox
 *    row is made with next_attempt_at at their end: deferred, not dropped;
 *  - the content names the practice, the date and time in the practice's
 *    zone, the place or "video", and the confirm/cancel link; never the
 *    client's name, the clinician or the service (no clinical detail).
 *
 * Just before a reminder is sent, tend_reminders_still_due () checks it
 * again (it may have waited out quiet hours or retries).  The outcome
 * (sent, failed with the reason, cancelled with the reason) is written back
 * into the reminder record as a new revision by the server, with the next
 * sequence number of its practice, so it reaches every Tend store by sync.
 *
 * Lock order: the practice's row, then records, as POST /v1/push takes
 * them; the dispatch query locks only reminder rows (SKIP LOCKED) and
 * writes no record in that transaction.
 *
 * Languages: English and Spanish, from a table here rather than the
 * gettext catalogue: one process sends in many languages at once from
 * several threads, and gettext chooses its language per process (LANGUAGE,
 * setlocale), which is neither per message nor thread-safe to switch.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-live.h"
#include "tend-server-outbox.h"
#include "tend-server-private.h"
#include "tend-server-reminders.h"


/* Content */

typedef struct
{
  const char *code;
  const char *months[12];
  const char *subject;      /* %s: the date */
  const char *greeting;
  const char *intro;        /* %s practice, %s date, %s time */
  const char *zone;         /* %s: the zone */
  const char *place;        /* %s: the place */
  const char *video;
  const char *link;         /* %s: the link */
  const char *sms;          /* %s date, %s time, %s place or video */
  const char *sms_no_place; /* %s date, %s time */
  const char *sms_link;     /* %s: the link */
  const char *link_label;
  const char *sms_stop;
  const char *video_short;
  const char *footer;
  const char *join_subject; /* %s: the date */
  const char *join_intro;   /* %s practice, %s date, %s time */
  const char *join_link;    /* %s: the link */
  const char *join_label;
} Language;

static const Language languages[] = {
  {
    "en",
    { "January", "February", "March", "April", "May", "June", "July", "August", "September",
      "October", "November", "December" },
    "Appointment reminder: %s",
    "Hello,",
    "This is a reminder of your appointment with %s on %s at %s.",
    "Times are in the %s time zone.",
    "Place: %s",
    "This is a video session: join it from the link below.",
    "To confirm or cancel: %s",
    "reminder of your appointment on %s at %s, %s.",
    "reminder of your appointment on %s at %s.",
    " Confirm or cancel: %s",
    "Confirm or cancel",
    " Reply STOP to stop text messages.",
    "video",
    "This message was sent automatically. Please do not reply to it.",
    "Your video session link: %s",
    "Your video session with %s is on %s at %s.",
    "Join it from this link (it works once, from 10 minutes before the session until its end; "
    "no account or app needed): %s",
    "Join the video session",
  },
  {
    "es",
    { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
      "octubre", "noviembre", "diciembre" },
    "Recordatorio de cita: %s",
    "Hola:",
    "Le recordamos su cita con %s el %s a las %s.",
    "Las horas son de la zona horaria %s.",
    "Lugar: %s",
    "Es una sesión por video: únase desde el enlace de abajo.",
    "Para confirmar o cancelar: %s",
    "recordatorio de su cita el %s a las %s, %s.",
    "recordatorio de su cita el %s a las %s.",
    " Confirmar o cancelar: %s",
    "Confirmar o cancelar",
    " Responda STOP para no recibir más mensajes de texto.",
    "por video",
    "Este mensaje se envió automáticamente. Por favor, no lo responda.",
    "Enlace de su sesión por video: %s",
    "Su sesión por video con %s es el %s a las %s.",
    "Únase desde este enlace (sirve una vez, desde 10 minutos antes de la sesión hasta su final; "
    "no necesita cuenta ni aplicación): %s",
    "Unirse a la sesión por video",
  },
};

static const Language *
language_for (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (languages); i++)
    if (g_ascii_strncasecmp (code, languages[i].code, 2) == 0 &&
        (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
      return &languages[i];
  return &languages[0];
}

/* "Tuesday"-free on purpose: a date and a 24-hour time need no other names. */
static char *
format_date (const Language *lang,
             GDateTime      *t)
{
  if (lang == &languages[0])
    return g_strdup_printf ("%s %d, %d", lang->months[g_date_time_get_month (t) - 1],
                            g_date_time_get_day_of_month (t), g_date_time_get_year (t));
  return g_strdup_printf ("%d de %s de %d", g_date_time_get_day_of_month (t),
                          lang->months[g_date_time_get_month (t) - 1], g_date_time_get_year (t));
}

static char *
format_time (const Language *lang,
             GDateTime      *t)
{
  int hour = g_date_time_get_hour (t), minute = g_date_time_get_minute (t);

  if (lang == &languages[0])
    return g_strdup_printf ("%d:%02d %s", hour % 12 == 0 ? 12 : hour % 12, minute, hour < 12 ? "AM" : "PM");
  return g_strdup_printf ("%02d:%02d", hour, minute);
}

/* The table's "%s" filled in order by hand: its strings are data, and the
 * compiler cannot check a format that is not a literal. */
static char *
fill (const char *tmpl,
      const char *a,
      const char *b,
      const char *c)
{
  const char *args[] = { a, b, c };
  GString *out = g_string_new (NULL);
  guint n = 0;

  for (const char *p = tmpl; *p != '\0'; p++)
    {
      if (p[0] == '%' && p[1] == 's' && n < G_N_ELEMENTS (args))
        {
          g_string_append (out, args[n] != NULL ? args[n] : "");
          n++;
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
append_html_paragraph (GString    *html,
                       const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (html, "<p>%s</p>\n", escaped);
}

/**
 * tend_reminder_render:
 *
 * The subject, the e-mail (text and HTML) and the text message of a
 * reminder, or (@c's join) of a video session's join link.  Every value is
 * escaped in the HTML.
 */
void
tend_reminder_render (const TendReminderContent *c,
                      char                     **subject,
                      char                     **email_text,
                      char                     **email_html,
                      char                     **sms_text)
{
  const Language *lang = language_for (c->language);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (c->time_zone != NULL ? c->time_zone : "UTC");
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (c->start_s);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  g_autofree char *intro = NULL;
  g_autofree char *zone_line = NULL;
  g_autofree char *place_line = NULL;
  g_autofree char *link_line = NULL;
  g_autofree char *sms_body = NULL;
  GString *text = g_string_new (NULL);
  GString *html = g_string_new (NULL);

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, zone);
  date = format_date (lang, local);
  time = format_time (lang, local);
  intro = fill (c->join ? lang->join_intro : lang->intro, c->practice_name, date, time);
  zone_line = fill (lang->zone, c->time_zone != NULL ? c->time_zone : "UTC", NULL, NULL);
  if (c->video && !c->join)
    place_line = g_strdup (lang->video);
  else if (c->place != NULL)
    place_line = fill (lang->place, c->place, NULL, NULL);
  if (c->link != NULL)
    link_line = fill (c->join ? lang->join_link : lang->link, c->link, NULL, NULL);

  *subject = fill (c->join ? lang->join_subject : lang->subject, date, NULL, NULL);

  g_string_append_printf (text, "%s\n\n%s\n%s\n", lang->greeting, intro, zone_line);
  if (place_line != NULL)
    g_string_append_printf (text, "%s\n", place_line);
  if (link_line != NULL)
    g_string_append_printf (text, "\n%s\n", link_line);
  g_string_append_printf (text, "\n%s\n%s\n", c->practice_name, lang->footer);
  *email_text = g_string_free (text, FALSE);

  g_string_append_printf (html, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"></head><body>\n",
                          lang->code);
  append_html_paragraph (html, lang->greeting);
  append_html_paragraph (html, intro);
  append_html_paragraph (html, zone_line);
  if (place_line != NULL)
    append_html_paragraph (html, place_line);
  if (c->link != NULL)
    {
      g_autofree char *href = g_markup_escape_text (c->link, -1);

      if (c->join)
        append_html_paragraph (html, link_line);
      g_string_append_printf (html, "<p><a href=\"%s\">%s</a></p>\n", href, c->join ? lang->join_label : lang->link_label);
    }
  append_html_paragraph (html, c->practice_name);
  g_string_append_printf (html, "<p><small>%s</small></p>\n", lang->footer);
  g_string_append (html, "</body></html>\n");
  *email_html = g_string_free (html, FALSE);

  if (c->video || c->place != NULL)
    sms_body = fill (lang->sms, date, time, c->video ? lang->video_short : c->place);
  else
    sms_body = fill (lang->sms_no_place, date, time, NULL);
  {
    GString *sms = g_string_new (NULL);

    /* The practice's name leads (the outbox adds it): "Name: reminder of ..." */
    g_string_append_printf (sms, "%s: %s", c->practice_name, sms_body);
    if (c->link != NULL)
      {
        g_autofree char *line = fill (lang->sms_link, c->link, NULL, NULL);

        g_string_append (sms, line);
      }
    g_string_append (sms, lang->sms_stop);
    *sms_text = g_string_free (sms, FALSE);
  }
}

/**
 * tend_reminder_phone_e164:
 * @phone: a mobile number as typed ("(555) 123-4567", "+34 612 345 678")
 * @country: (nullable): the practice's country (ISO 3166 alpha-2)
 *
 * Returns: (transfer full) (nullable): the number in E.164, or %NULL when
 *   it cannot be known (a national number outside North America)
 */
char *
tend_reminder_phone_e164 (const char *phone,
                          const char *country)
{
  g_autofree char *digits = NULL;
  const char *p;

  if (phone == NULL)
    return NULL;
  p = phone;
  while (g_ascii_isspace (*p))
    p++;
  digits = tend_phone_digits (phone);
  if (*p == '+' || g_str_has_prefix (p, "00"))
    {
      g_autofree char *e164 = g_strconcat ("+", *p == '+' ? digits : digits + 2, NULL);

      return tend_server_is_e164 (e164) ? g_steal_pointer (&e164) : NULL;
    }
  /* North American numbers are usually written without the 1. */
  if (country == NULL || g_ascii_strcasecmp (country, "US") == 0 || g_ascii_strcasecmp (country, "CA") == 0)
    {
      if (strlen (digits) == 10 && digits[0] >= '2')
        return g_strconcat ("+1", digits, NULL);
      if (strlen (digits) == 11 && digits[0] == '1')
        return g_strconcat ("+", digits, NULL);
    }
  return NULL;
}

/**
 * tend_reminder_quiet_until:
 *
 * Returns: when the quiet hours around @now_s end (unix seconds), or 0 when
 *   @now_s is outside them
 */
gint64
tend_reminder_quiet_until (const TendServerConfig *config,
                           const char             *time_zone,
                           gint64                  now_s)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) end = NULL;
  int minute, start = config->quiet_start_min, stop = config->quiet_end_min;
  gboolean quiet;

  if (start < 0)
    return 0;
  zone = g_time_zone_new_identifier (time_zone != NULL ? time_zone : "UTC");
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now_s);

    now = g_date_time_to_timezone (utc, zone);
  }
  minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);
  quiet = start < stop ? (minute >= start && minute < stop) : (minute >= start || minute < stop);
  if (!quiet)
    return 0;
  midnight = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), 0, 0, 0);
  end = g_date_time_new (zone, g_date_time_get_year (now), g_date_time_get_month (now),
                         g_date_time_get_day_of_month (now), stop / 60, stop % 60, 0);
  if (minute >= stop)
    {
      /* Evening: the end is tomorrow morning. */
      GDateTime *next = g_date_time_add_days (midnight, 1);
      GDateTime *tomorrow_end = g_date_time_new (zone, g_date_time_get_year (next), g_date_time_get_month (next),
                                                 g_date_time_get_day_of_month (next), stop / 60, stop % 60, 0);

      g_date_time_unref (next);
      g_date_time_unref (end);
      end = tomorrow_end;
    }
  return g_date_time_to_unix (end);
}

/* Checks */

TendRecord *
tend_server_load_record (GType       type,
             const char *id,
             const char *body)
{
  g_autoptr(TendRecord) record = tend_record_new (type);

  if (body == NULL || !tend_record_load_body_string (record, body, -1, NULL))
    return NULL;
  tend_record_set_id (record, id);
  return g_steal_pointer (&record);
}

/* Why @reminder must not be sent for @appointment, or NULL. */
static char *
stale_reason (TendRecord *reminder,
              TendRecord *appointment)
{
  TendAppointment *a;
  TendAppointmentStatus status;
  g_autoptr(GDateTime) send_at = NULL;
  gint64 expected;

  if (reminder == NULL)
    return g_strdup ("The reminder record cannot be read");
  if (g_strcmp0 (tend_record_get_string (reminder, "status"), "pending") != 0)
    return g_strdup ("The reminder is no longer pending");
  if (appointment == NULL)
    return g_strdup ("The appointment was deleted");
  a = TEND_APPOINTMENT (appointment);
  status = tend_appointment_get_status (a);
  if (tend_appointment_get_kind (a) != TEND_APPOINTMENT_KIND_SESSION ||
      (status != TEND_APPOINTMENT_SCHEDULED && status != TEND_APPOINTMENT_CONFIRMED))
    return g_strdup ("The appointment was cancelled");
  /* Each member of a couple, family or group session has a reminder of
   * their own: one taken out of the session is not reminded. */
  if (!tend_appointment_has_member (a, tend_record_get_string (reminder, "client_id")))
    return g_strdup ("The client is no longer in the session");
  send_at = tend_time_parse_iso8601 (tend_record_get_string (reminder, "send_at"), NULL);
  expected = tend_appointment_get_start_usec (a) / G_USEC_PER_SEC - (gint64) TEND_REMINDER_HOURS_BEFORE * 3600;
  if (send_at == NULL || g_date_time_to_unix (send_at) != expected)
    return g_strdup ("The appointment was moved");
  /* Reminders that waited too long (no relay configured yet, a long
   * outage, pending ones from before the server sent any): never after the
   * session has begun. */
  if (tend_appointment_get_start_usec (a) <= g_get_real_time ())
    return g_strdup ("The appointment had already begun");
  return NULL;
}

/**
 * tend_reminders_still_due:
 * @stale_reason: (out): why it must not be sent, or %NULL when it may
 */
gboolean
tend_reminders_still_due (TendPgConn *conn,
                          const char *practice_id,
                          const char *reminder_id,
                          char      **stale,
                          GError    **error)
{
  const char *params[] = { practice_id, reminder_id };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(TendRecord) reminder = NULL;
  g_autoptr(TendRecord) appointment = NULL;

  *stale = NULL;
  res = tend_pg_exec (conn,
                      "SELECT r.body, a.id, a.body FROM record r"
                      " LEFT JOIN record a ON a.practice_id = r.practice_id AND a.type = 'appointment'"
                      "   AND a.id = (r.body::jsonb ->> 'appointment_id')::uuid AND NOT a.deleted"
                      " WHERE r.practice_id = $1 AND r.type = 'reminder' AND r.id = $2 AND NOT r.deleted",
                      2, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      *stale = g_strdup ("The reminder was deleted");
      return TRUE;
    }
  reminder = tend_server_load_record (TEND_TYPE_REMINDER, reminder_id, PQgetvalue (res, 0, 0));
  if (!PQgetisnull (res, 0, 1))
    appointment = tend_server_load_record (TEND_TYPE_APPOINTMENT, PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2));
  *stale = stale_reason (reminder, appointment);
  return TRUE;
}

/* Writing back */

/**
 * tend_server_write_record:
 * @record: the new body (its id names the record)
 * @action: the audit row's action ("reminder-sent")
 *
 * A change made by the server itself: @record becomes the next version of
 * the stored record, with the practice's next sequence number (so every
 * store pulls it), an audit row without an account, and a live
 * notification.  Inside the caller's transaction, which must already hold
 * the practice's row (SELECT ... FOR UPDATE, before any record row: the
 * order POST /v1/push takes them in).
 */
gboolean
tend_server_write_record (TendPgConn *conn,
                          const char *practice_id,
                          TendRecord *record,
                          const char *action,
                          GError    **error)
{
  g_autoptr(PGresult) seq = NULL;
  g_autoptr(PGresult) written = NULL;
  g_autoptr(PGresult) notified = NULL;
  g_autofree char *body = tend_record_to_body_string (record);
  const char *type = tend_record_get_type_name (record);
  const char *id = tend_record_get_id (record);

  {
    const char *params[] = { practice_id };

    seq = tend_pg_exec (conn, "UPDATE practice SET seq = seq + 1 WHERE id = $1 RETURNING seq", 1, params, error);
  }
  if (seq == NULL)
    return FALSE;
  {
    const char *params[] = { practice_id, type, id, PQgetvalue (seq, 0, 0), body, action };

    written = tend_pg_exec (conn,
                            "WITH w AS (UPDATE record SET version = version + 1, seq = $4::bigint, body = $5,"
                            "           updated_at = now () WHERE practice_id = $1 AND type = $2 AND id = $3)"
                            " INSERT INTO audit (practice_id, action, record_type, record_id)"
                            " VALUES ($1, $6, $2, $3)",
                            6, params, error);
  }
  if (written == NULL)
    return FALSE;
  {
    const char *params[] = { practice_id };

    /* One notification per practice and transaction (PostgreSQL folds
     * identical ones): every instance's live clients pull the change. */
    notified = tend_pg_exec (conn, "SELECT pg_notify ('" TEND_LIVE_CHANNEL "', $1)", 1, params, error);
  }
  return notified != NULL;
}

gboolean
tend_server_lock_practice (TendPgConn *conn,
                           const char *practice_id,
                           GError    **error)
{
  const char *params[] = { practice_id };
  g_autoptr(PGresult) lock = tend_pg_exec (conn, "SELECT seq FROM practice WHERE id = $1 FOR UPDATE", 1, params, error);

  return lock != NULL;
}

/**
 * tend_reminders_record_outcome:
 * @status: "sent", "failed" or "cancelled"
 *
 * Writes @status (and @reason, and the time sent) into the reminder as a
 * new revision by the server (tend_server_write_record ()), inside the
 * caller's transaction.  A "cancelled" outcome is not written over a
 * reminder that is no longer pending.
 */
gboolean
tend_reminders_record_outcome (TendPgConn *conn,
                               const char *practice_id,
                               const char *reminder_id,
                               const char *status,
                               const char *reason,
                               GError    **error)
{
  g_autoptr(PGresult) current = NULL;
  g_autoptr(TendRecord) reminder = NULL;
  g_autofree char *action = NULL;

  if (!tend_server_lock_practice (conn, practice_id, error))
    return FALSE;
  {
    const char *params[] = { practice_id, reminder_id };

    current = tend_pg_exec (conn,
                            "SELECT body FROM record WHERE practice_id = $1 AND type = 'reminder' AND id = $2"
                            " AND NOT deleted",
                            2, params, error);
  }
  if (current == NULL)
    return FALSE;
  if (PQntuples (current) == 0)
    return TRUE;
  reminder = tend_server_load_record (TEND_TYPE_REMINDER, reminder_id, PQgetvalue (current, 0, 0));
  if (reminder == NULL)
    return TRUE;
  if (g_strcmp0 (status, "cancelled") == 0 && g_strcmp0 (tend_record_get_string (reminder, "status"), "pending") != 0)
    return TRUE;
  tend_record_set_string (reminder, "status", status);
  tend_record_set_string (reminder, "status_reason", reason);
  if (g_strcmp0 (status, "sent") == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) whole = g_date_time_add (now, -(g_date_time_get_microsecond (now)));
      g_autofree char *iso = tend_time_to_iso8601 (whole);

      tend_record_set_string (reminder, "sent_at", iso);
    }
  action = g_strconcat ("reminder-", status, NULL);
  return tend_server_write_record (conn, practice_id, reminder, action, error);
}

typedef struct
{
  const TendReminderOutcome *outcome;
  TendRecord                *record;    /* the new body, or NULL: nothing to write */
  gint64                     version;   /* the stored version it was made from */
} Pending;

static int
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *pa = a, *pb = b;

  return strcmp (pa->outcome->practice_id, pb->outcome->practice_id);
}

/* The new body for @outcome over the stored @body, or NULL when there is
 * nothing to write. */
static TendRecord *
apply_outcome (const TendReminderOutcome *outcome,
               const char                *body)
{
  g_autoptr(TendRecord) reminder = tend_server_load_record (TEND_TYPE_REMINDER, outcome->reminder_id, body);

  if (reminder == NULL)
    return NULL;
  if (g_strcmp0 (outcome->status, "cancelled") == 0 &&
      g_strcmp0 (tend_record_get_string (reminder, "status"), "pending") != 0)
    return NULL;
  tend_record_set_string (reminder, "status", outcome->status);
  tend_record_set_string (reminder, "status_reason", outcome->reason);
  if (g_strcmp0 (outcome->status, "sent") == 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *iso = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      tend_record_set_string (reminder, "sent_at", iso);
    }
  return g_steal_pointer (&reminder);
}

/* One practice's writes: its row locked (and its counter moved) once, the
 * records written and audited by one statement each.  A record that
 * changed since it was read (a push in between) is done again on its own,
 * under the lock.  Returns FALSE on a database error. */
static gboolean
write_practice_batch (TendPgConn *conn,
                      const char *practice_id,
                      Pending    *items,
                      guint       n,
                      GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PGresult) seq = NULL;
  g_autoptr(PGresult) written = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *json = NULL;
  g_autofree char *count = NULL;
  g_autofree char *first = NULL;
  guint n_writes = 0;

  for (guint i = 0; i < n; i++)
    if (items[i].record != NULL)
      n_writes++;
  if (n_writes == 0)
    return TRUE;
  /* Everything written out before the practice's row is taken. */
  json_builder_begin_array (b);
  for (guint i = 0, k = 0; i < n; i++)
    {
      g_autofree char *body = NULL;

      if (items[i].record == NULL)
        continue;
      body = tend_record_to_body_string (items[i].record);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, items[i].outcome->reminder_id);
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, items[i].version);
      json_builder_set_member_name (b, "k");
      json_builder_add_int_value (b, k++);
      json_builder_set_member_name (b, "body");
      json_builder_add_string_value (b, body);
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, g_strcmp0 (items[i].outcome->status, "sent") == 0 ? "reminder-sent" :
                                        g_strcmp0 (items[i].outcome->status, "failed") == 0 ? "reminder-failed" :
                                        "reminder-cancelled");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json = tend_json_to_string (root);
  count = g_strdup_printf ("%u", n_writes);
  {
    const char *params[] = { practice_id, count };

    /* The practice's row lock, as a push takes it, held until COMMIT:
     * sequence numbers stay in commit order. */
    seq = tend_pg_exec (conn, "UPDATE practice SET seq = seq + $2::bigint WHERE id = $1 RETURNING seq",
                        2, params, error);
  }
  if (seq == NULL)
    return FALSE;
  first = g_strdup_printf ("%" G_GINT64_FORMAT, tend_pg_get_int (seq, 0, 0) - n_writes + 1);
  {
    const char *params[] = { practice_id, json, first };

    written = tend_pg_exec (conn,
                            "WITH w AS (UPDATE record r SET version = r.version + 1, seq = $3::bigint + u.k, body = u.body,"
                            "             updated_at = now ()"
                            "           FROM json_to_recordset ($2::json) AS u (id uuid, version bigint, k bigint,"
                            "                                                   body text, action text)"
                            "           WHERE r.practice_id = $1 AND r.type = 'reminder' AND r.id = u.id"
                            "             AND r.version = u.version AND NOT r.deleted"
                            "           RETURNING r.id, u.action)"
                            " INSERT INTO audit (practice_id, action, record_type, record_id)"
                            " SELECT $1, w.action, 'reminder', w.id::text FROM w RETURNING record_id",
                            3, params, error);
  }
  if (written == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (written); r++)
    g_hash_table_add (done, PQgetvalue (written, r, 0));
  for (guint i = 0; i < n; i++)
    if (items[i].record != NULL && !g_hash_table_contains (done, items[i].outcome->reminder_id) &&
        !tend_reminders_record_outcome (conn, practice_id, items[i].outcome->reminder_id,
                                        items[i].outcome->status, items[i].outcome->reason, error))
      return FALSE;
  {
    const char *params[] = { practice_id };
    g_autoptr(PGresult) notified = tend_pg_exec (conn, "SELECT pg_notify ('" TEND_LIVE_CHANNEL "', $1)",
                                                 1, params, error);

    return notified != NULL;
  }
}

/**
 * tend_reminders_record_outcomes:
 *
 * tend_reminders_record_outcome () for many reminders, inside the
 * caller's transaction: the bodies are read and rewritten before any lock
 * is taken, then each practice's row is held only for two statements.
 * This is what keeps a run of 10,000 reminders from holding up pushes
 * (bench/bench-reminders).
 */
gboolean
tend_reminders_record_outcomes (TendPgConn                *conn,
                                const TendReminderOutcome *outcomes,
                                guint                      n,
                                GError                   **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(PGresult) current = NULL;
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *json = NULL;
  g_autofree Pending *items = NULL;
  gboolean ok = TRUE;

  if (n == 0)
    return TRUE;
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "p");
      json_builder_add_string_value (b, outcomes[i].practice_id);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, outcomes[i].reminder_id);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json = tend_json_to_string (root);
  {
    const char *params[] = { json };

    current = tend_pg_exec (conn,
                            "SELECT r.practice_id, r.id, r.version, r.body"
                            " FROM json_to_recordset ($1::json) AS k (p uuid, id uuid)"
                            " JOIN record r ON r.practice_id = k.p AND r.type = 'reminder' AND r.id = k.id"
                            "   AND NOT r.deleted",
                            1, params, error);
  }
  if (current == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (current); r++)
    g_hash_table_insert (stored, g_strconcat (PQgetvalue (current, r, 0), "/", PQgetvalue (current, r, 1), NULL),
                         GINT_TO_POINTER (r + 1));

  items = g_new0 (Pending, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *key = g_strconcat (outcomes[i].practice_id, "/", outcomes[i].reminder_id, NULL);
      int row = GPOINTER_TO_INT (g_hash_table_lookup (stored, key)) - 1;

      items[i].outcome = &outcomes[i];
      if (row < 0)
        continue;
      items[i].version = tend_pg_get_int (current, row, 2);
      items[i].record = apply_outcome (&outcomes[i], PQgetvalue (current, row, 3));
    }
  /* Practices in one order everywhere: no deadlock between two senders. */
  qsort (items, n, sizeof (Pending), compare_pending);
  for (guint start = 0, end; ok && start < n; start = end)
    {
      for (end = start + 1; end < n && strcmp (items[end].outcome->practice_id, items[start].outcome->practice_id) == 0; end++)
        ;
      ok = write_practice_batch (conn, items[start].outcome->practice_id, items + start, end - start, error);
    }
  for (guint i = 0; i < n; i++)
    g_clear_object (&items[i].record);
  return ok;
}

/* Dispatching */

typedef struct
{
  char *practice_id;
  char *reminder_id;
  char *reason;
} Skip;

static void
skip_free (gpointer data)
{
  Skip *s = data;

  g_free (s->practice_id);
  g_free (s->reminder_id);
  g_free (s->reason);
  g_free (s);
}

static char *
practice_place (TendRecord *practice,
                TendRecord *room)
{
  GString *place = g_string_new (NULL);
  const char *parts[] = {
    practice != NULL ? tend_record_get_string (practice, "address.line1") : NULL,
    practice != NULL ? tend_record_get_string (practice, "address.line2") : NULL,
    practice != NULL ? tend_record_get_string (practice, "address.city") : NULL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_string_append_printf (place, "%s%s", place->len > 0 ? ", " : "", parts[i]);
  if (room != NULL && tend_record_get_string (room, "name") != NULL)
    g_string_append_printf (place, "%s%s", place->len > 0 ? " · " : "", tend_record_get_string (room, "name"));
  if (place->len == 0)
    {
      g_string_free (place, TRUE);
      return NULL;
    }
  return g_string_free (place, FALSE);
}

typedef struct
{
  TendOutboxItem item;
  gint64         not_before;
  char          *subject;
  char          *text;
  char          *html;
  char          *sms;
  char          *recipient;
} Planned;

/* Decides one due reminder: an outbox item (in @planned), or a reason not
 * to send it. */
static char *
plan (const TendServerConfig *config,
      PGresult               *res,
      int                     r,
      gint64                  now_s,
      GHashTable             *opted_out,
      Planned                *out)
{
  const char *practice_id = PQgetvalue (res, r, 0);
  const char *reminder_id = PQgetvalue (res, r, 1);
  g_autoptr(TendRecord) reminder = tend_server_load_record (TEND_TYPE_REMINDER, reminder_id, PQgetvalue (res, r, 2));
  g_autoptr(TendRecord) appointment = NULL;
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(TendRecord) room = NULL;
  g_autoptr(TendRecord) practice = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *place = NULL;
  g_autofree char *link = NULL;
  const char *practice_name = PQgetvalue (res, r, 7);
  const char *time_zone = PQgetvalue (res, r, 8);
  const char *choice, *channel, *language;
  TendReminderContent content = { 0 };

  if (!PQgetisnull (res, r, 3))
    appointment = tend_server_load_record (TEND_TYPE_APPOINTMENT, PQgetvalue (res, r, 3), PQgetvalue (res, r, 4));
  stale = stale_reason (reminder, appointment);
  if (stale != NULL)
    return g_steal_pointer (&stale);
  if (!PQgetisnull (res, r, 5))
    client = tend_server_load_record (TEND_TYPE_CLIENT, PQgetvalue (res, r, 5), PQgetvalue (res, r, 6));
  if (client == NULL)
    return g_strdup ("The client record is missing");
  if (!PQgetisnull (res, r, 9))
    room = tend_server_load_record (TEND_TYPE_ROOM, PQgetvalue (res, r, 9), PQgetvalue (res, r, 10));
  if (!PQgetisnull (res, r, 11))
    practice = tend_server_load_record (TEND_TYPE_PRACTICE, PQgetvalue (res, r, 11), PQgetvalue (res, r, 12));

  /* The client's choice wins over the channel the store picked, when the
   * client has that contact. */
  choice = tend_record_get_string (client, "reminders.channel");
  channel = tend_record_get_string (reminder, "channel");
  if (g_strcmp0 (choice, "none") == 0)
    return g_strdup ("The client asked for no reminders");
  if (g_strcmp0 (choice, "email") == 0 && tend_record_get_string (client, "email") != NULL)
    channel = "email";
  else if (g_strcmp0 (choice, "sms") == 0 && tend_record_get_string (client, "phone_mobile") != NULL)
    channel = "sms";

  if (g_strcmp0 (channel, "sms") == 0)
    {
      out->recipient = tend_reminder_phone_e164 (tend_record_get_string (client, "phone_mobile"),
                                                 practice != NULL ? tend_record_get_string (practice, "address.country") : NULL);
      if (out->recipient == NULL)
        return g_strdup ("The client's mobile number is not in international form (+country code)");
      if (tend_record_get_int (client, "reminders.sms_opt_out") != 0 ||
          g_hash_table_contains (opted_out, out->recipient))
        return g_strdup ("The client replied STOP: no text messages");
      out->item.channel = TEND_OUTBOX_SMS;
    }
  else
    {
      const char *email = tend_record_get_string (client, "email");

      if (email == NULL)
        return g_strdup ("The client has no e-mail address");
      out->recipient = g_strdup (email);
      out->item.channel = TEND_OUTBOX_EMAIL;
    }

  place = practice_place (practice, room);
  if (config->portal_url != NULL)
    link = g_strdup_printf ("%s%sappointments/%s", config->portal_url,
                            g_str_has_suffix (config->portal_url, "/") ? "" : "/",
                            tend_record_get_id (appointment));
  language = tend_record_get_string (client, "language");
  content.language = language;
  content.practice_name = practice_name;
  content.time_zone = time_zone;
  content.start_s = tend_appointment_get_start_usec (TEND_APPOINTMENT (appointment)) / G_USEC_PER_SEC;
  content.video = tend_appointment_get_modality (TEND_APPOINTMENT (appointment)) == TEND_MODALITY_TELEHEALTH;
  content.place = place;
  content.link = link;
  tend_reminder_render (&content, &out->subject, &out->text, &out->html, &out->sms);

  out->item.practice_id = practice_id;
  out->item.recipient = out->recipient;
  out->item.kind = "reminder";
  out->item.reminder_id = reminder_id;
  if (out->item.channel == TEND_OUTBOX_EMAIL)
    {
      out->item.subject = out->subject;
      out->item.body_text = out->text;
      out->item.body_html = out->html;
    }
  else
    out->item.body_text = out->sms;
  out->not_before = tend_reminder_quiet_until (config, time_zone, now_s);
  return NULL;
}

static void
planned_clear (Planned *p)
{
  g_free (p->subject);
  g_free (p->text);
  g_free (p->html);
  g_free (p->sms);
  g_free (p->recipient);
  memset (p, 0, sizeof *p);
}

static GHashTable *
load_opt_outs (TendPgConn *conn,
               PGresult   *due,
               GError    **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PGresult) res = NULL;

  if (PQntuples (due) == 0)
    return g_steal_pointer (&set);
  res = tend_pg_exec (conn, "SELECT phone FROM sms_opt_out", 0, NULL, error);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    g_hash_table_add (set, g_strdup (PQgetvalue (res, r, 0)));
  return g_steal_pointer (&set);
}

/**
 * tend_reminders_dispatch:
 *
 * Hands the due reminders to the outbox (one transaction for a batch of up
 * to 200), then writes the reasons of those not sent into their records
 * (a second transaction, taking the practices' rows first).
 *
 * Returns: how many reminders were handled, or -1 with @error set
 */
int
tend_reminders_dispatch (TendPgConn             *conn,
                         const TendServerConfig *config,
                         GError                **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_iso = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(PGresult) due = NULL;
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (skip_free);
  g_autoptr(GHashTable) opted_out = NULL;
  int handled;

  if (!tend_pg_run (conn, "BEGIN", error))
    return -1;
  {
    g_autofree char *limit = g_strdup_printf ("%d", TEND_REMINDERS_BATCH);
    const char *params[] = { now_iso, limit };

    /* Due, pending, not yet in the outbox; the rows another sender holds
     * are skipped (it is handing them over). */
    due = tend_pg_exec (conn,
                        "SELECT r.practice_id, r.id, r.body, a.id, a.body, c.id, c.body, p.name, p.time_zone,"
                        "       rm.id, rm.body, pr.id, pr.body"
                        " FROM record r"
                        " JOIN practice p ON p.id = r.practice_id"
                        " LEFT JOIN record a ON a.practice_id = r.practice_id AND a.type = 'appointment'"
                        "   AND a.id = (r.body::jsonb ->> 'appointment_id')::uuid AND NOT a.deleted"
                        " LEFT JOIN record c ON c.practice_id = r.practice_id AND c.type = 'client'"
                        "   AND c.id = (r.body::jsonb ->> 'client_id')::uuid AND NOT c.deleted"
                        " LEFT JOIN record rm ON rm.practice_id = r.practice_id AND rm.type = 'room'"
                        "   AND rm.id = (a.body::jsonb ->> 'room_id')::uuid AND NOT rm.deleted"
                        " LEFT JOIN LATERAL (SELECT id, body FROM record WHERE practice_id = r.practice_id"
                        "   AND type = 'practice' AND NOT deleted ORDER BY seq DESC LIMIT 1) pr ON true"
                        " WHERE r.type = 'reminder' AND NOT r.deleted AND r.body::jsonb ->> 'status' = 'pending'"
                        "   AND r.body::jsonb ->> 'send_at' <= $1"
                        "   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.practice_id = r.practice_id"
                        "                   AND o.reminder_id = r.id AND o.status <> 'cancelled')"
                        " ORDER BY r.body::jsonb ->> 'send_at' LIMIT $2::int"
                        " FOR UPDATE OF r SKIP LOCKED",
                        2, params, error);
  }
  if (due == NULL || (opted_out = load_opt_outs (conn, due, error)) == NULL)
    goto fail;
  for (int r = 0; r < PQntuples (due); r++)
    {
      Planned planned = { 0 };
      g_autofree char *why = plan (config, due, r, g_date_time_to_unix (now), opted_out, &planned);

      if (why != NULL)
        {
          Skip *s = g_new0 (Skip, 1);

          s->practice_id = g_strdup (PQgetvalue (due, r, 0));
          s->reminder_id = g_strdup (PQgetvalue (due, r, 1));
          s->reason = g_steal_pointer (&why);
          g_ptr_array_add (skipped, s);
        }
      else if (!tend_outbox_enqueue_at (conn, &planned.item, planned.not_before, error))
        {
          planned_clear (&planned);
          goto fail;
        }
      planned_clear (&planned);
    }
  if (!tend_pg_run (conn, "COMMIT", error))
    goto fail;
  handled = PQntuples (due);

  if (skipped->len > 0)
    {
      g_autofree TendReminderOutcome *outcomes = g_new0 (TendReminderOutcome, skipped->len);

      for (guint i = 0; i < skipped->len; i++)
        {
          Skip *sk = g_ptr_array_index (skipped, i);

          outcomes[i] = (TendReminderOutcome) { sk->practice_id, sk->reminder_id, "cancelled", sk->reason };
        }
      if (!tend_pg_run (conn, "BEGIN", error))
        return -1;
      if (!tend_reminders_record_outcomes (conn, outcomes, skipped->len, error) ||
          !tend_pg_run (conn, "COMMIT", error))
        goto fail;
    }
  return handled;

fail:
  tend_pg_rollback (conn);
  return -1;
}
