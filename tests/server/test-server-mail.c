/* test-server-mail.c: reminders and the outbox, against real servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL, real tend-server processes, a real SMTP server on
 * loopback (aiosmtpd, smtp-sink.py: STARTTLS and AUTH required, each
 * message kept as a file) and, standing in for the SMS gateway's side, a
 * loopback HTTP server that keeps each request (sms-gateway.py).  Records
 * are pushed through the API as a Tend store would push them; what was
 * sent is read back from the sink's files.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "server-test-util.h"
#include "tend-server-private.h"

#define PASSWORD "correct horse battery"
#define SMTP_USER "relay-user"
#define SMTP_PASSWORD "relay secret 42"
#define SMS_SID "AC0123456789abcdef0123456789abcdef"
#define SMS_TOKEN "gateway-token-99"
#define SMS_FROM "+15550001111"
#define WEBHOOK "https://tend.example/v1/sms/inbound"

static TestPg *pg;
static SoupSession *session;
static char *dir;          /* certificates, secrets, config files */
static char *practice_id;
static char *op_prefix;
static guint op_counter;

static TestHelper *
smtp_sink_start (void)
{
  g_autofree char *cert = g_build_filename (dir, "relay.crt", NULL);
  g_autofree char *key = g_build_filename (dir, "relay.key", NULL);
  g_autofree char *secret = g_build_filename (dir, "smtp-password", NULL);

  return test_helper_start ("smtp-sink.py", "--tls", cert, key, "--auth", SMTP_USER, secret,
                       "--refuse", "nobody@refused.example", NULL);
}

/* A server whose outbox uses @smtp (STARTTLS and AUTH) and @sms, with
 * more settings in @extra ("key=value\n"). */
static TestServer *
mail_server_start (guint16     smtp_port,
                   guint16     sms_port,
                   const char *extra)
{
  g_autofree char *path = g_strdup_printf ("%s/server-%u.conf", dir, g_random_int ());
  g_autoptr(GString) text = g_string_new ("[server]\n");
  g_autoptr(GError) error = NULL;

  g_string_append_printf (text,
                          "smtp-host=localhost\nsmtp-port=%u\nsmtp-tls=starttls\nsmtp-user=" SMTP_USER "\n"
                          "smtp-password-file=%s/smtp-password\nsmtp-from=reminders@tend.example\n"
                          "smtp-ca-file=%s/relay.crt\n"
                          "sms-url=http://127.0.0.1:%u/\nsms-account-sid=" SMS_SID "\n"
                          "sms-token-file=%s/sms-token\nsms-from=" SMS_FROM "\nsms-webhook-url=" WEBHOOK "\n"
                          "portal-url=https://tend.example/portal/\n"
                          "outbox-poll-interval-ms=100\noutbox-retry=1\n",
                          smtp_port, dir, dir, sms_port, dir);
  g_string_append (text, extra != NULL ? extra : "quiet-hours=none\n");
  g_file_set_contents (path, text->str, -1, &error);
  g_assert_no_error (error);
  return test_server_start (pg, "--config", path, NULL);
}

/* Helpers: records */

static char *
iso (gint64 unix_s)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (unix_s);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

static void
push (TestServer *server,
      const char *token,
      const char *type,
      const char *id,
      gint64      base_version,
      const char *body)
{
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s-%u\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op_prefix, ++op_counter, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);

  g_assert_cmpuint (r->status, ==, 200);
  if (g_strcmp0 (test_json_string (r->json, "results.0.status"), "applied") != 0)
    g_error ("push of %s refused: %s", type, r->body);
}

static char *
add_client (TestServer *server,
            const char *token,
            const char *email,
            const char *phone,
            const char *language,
            const char *extra)
{
  char *id = g_uuid_string_random ();
  g_autoptr(GString) body = g_string_new ("{\"legal_given\":\"Ana\",\"legal_family\":\"Ruiz\",\"status\":\"active\"");

  if (email != NULL)
    g_string_append_printf (body, ",\"email\":\"%s\"", email);
  if (phone != NULL)
    g_string_append_printf (body, ",\"phone_mobile\":\"%s\"", phone);
  if (language != NULL)
    g_string_append_printf (body, ",\"language\":\"%s\"", language);
  if (extra != NULL)
    g_string_append_printf (body, ",%s", extra);
  g_string_append_c (body, '}');
  push (server, token, "client", id, 0, body->str);
  return id;
}

static char *
appointment_body (const char *client_id,
                  gint64      start_s,
                  const char *modality,
                  const char *status)
{
  g_autofree char *start = iso (start_s);
  g_autofree char *end = iso (start_s + 50 * 60);
  g_autofree char *clinician = g_uuid_string_random ();

  return g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"%s\","
                          "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"%s\"%s}",
                          client_id, clinician, modality, start, end, status,
                          g_strcmp0 (status, "cancelled") == 0 ? ",\"cancel_reason\":\"The client called\"" : "");
}

static char *
add_appointment (TestServer *server,
                 const char *token,
                 const char *client_id,
                 gint64      start_s,
                 const char *modality)
{
  char *id = g_uuid_string_random ();
  g_autofree char *body = appointment_body (client_id, start_s, modality, "scheduled");

  push (server, token, "appointment", id, 0, body);
  return id;
}

/* As a store makes it: 24 hours before the start. */
static char *
add_reminder (TestServer *server,
              const char *token,
              const char *appointment_id,
              const char *client_id,
              const char *channel,
              gint64      start_s)
{
  char *id = g_uuid_string_random ();
  g_autofree char *send_at = iso (start_s - 24 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"channel\":\"%s\","
                                           "\"send_at\":\"%s\",\"status\":\"pending\"}",
                                           appointment_id, client_id, channel, send_at);

  push (server, token, "reminder", id, 0, body);
  return id;
}

/* A session whose reminder is due now: starts in a little under a day. */
static gint64
due_start (guint k)
{
  return (g_get_real_time () / G_USEC_PER_SEC / 60) * 60 + 24 * 3600 - 60 * (gint64) (k + 1);
}

static char *
reminder_field (const char *id,
                const char *member)
{
  g_autofree char *sql = g_strdup_printf ("SELECT body::jsonb ->> '%s' FROM record WHERE type = 'reminder' AND id = '%s'",
                                          member, id);
  PGresult *res = test_pg_exec (pg, sql);
  char *value = PQntuples (res) == 1 && !PQgetisnull (res, 0, 0) ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;

  PQclear (res);
  return value;
}

static gint64
sql_int (const char *sql)
{
  PGresult *res = test_pg_exec (pg, sql);
  /* No row yet (the sender has not queued it on a loaded machine): 0. */
  gint64 n = PQntuples (res) > 0 && !PQgetisnull (res, 0, 0) ? g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : 0;

  PQclear (res);
  return n;
}

static char *
wait_reminder_status (const char *id,
                      const char *not_status,
                      guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      g_autofree char *status = reminder_field (id, "status");

      if (g_strcmp0 (status, not_status) != 0 || g_get_monotonic_time () > deadline)
        return g_steal_pointer (&status);
      g_usleep (50 * 1000);
    }
}

/* Helpers: reading an e-mail */

static char *
decode_words (const char *value)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  while (*p != '\0')
    {
      const char *start = strstr (p, "=?UTF-8?B?");
      const char *end;

      if (start == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, start - p);
      start += strlen ("=?UTF-8?B?");
      end = strstr (start, "?=");
      g_assert_nonnull (end);
      {
        g_autofree char *b64 = g_strndup (start, end - start);
        gsize len;
        g_autofree guchar *raw = g_base64_decode (b64, &len);

        g_string_append_len (out, (const char *) raw, (gssize) len);
      }
      p = end + 2;
      /* White space between two encoded words is not part of the text. */
      if (*p == ' ' && g_str_has_prefix (p + 1, "=?UTF-8?B?"))
        p++;
    }
  return g_string_free (out, FALSE);
}

static char *
header (const char *message,
        const char *name)
{
  g_autofree char *needle = g_strdup_printf ("\r\n%s: ", name);
  const char *start = strstr (message, needle);
  const char *end;
  g_autofree char *raw = NULL;

  if (start == NULL)
    return NULL;
  start += strlen (needle);
  end = start;
  /* Up to the end of the header, with its continuation lines. */
  while ((end = strstr (end, "\r\n")) != NULL && (end[2] == ' ' || end[2] == '\t'))
    end += 2;
  raw = g_strndup (start, end - start);
  {
    /* Unfolded, as RFC 5322 says: the line break before white space goes. */
    g_auto(GStrv) lines = g_strsplit (raw, "\r\n", -1);
    g_autofree char *unfolded = g_strjoinv ("", lines);

    return decode_words (unfolded);
  }
}

/* The decoded part of @type ("text/plain", "text/html"). */
static char *
part (const char *message,
      const char *type)
{
  g_autofree char *needle = g_strdup_printf ("Content-Type: %s; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", type);
  const char *start = strstr (message, needle);
  const char *end;
  g_autofree char *b64 = NULL;
  gsize len;
  guchar *raw;

  if (start == NULL)
    return NULL;
  start += strlen (needle);
  end = strstr (start, "\r\n\r\n");
  if (end == NULL || (strstr (start, "\r\n--") != NULL && strstr (start, "\r\n--") < end))
    end = strstr (start, "\r\n--");
  if (end == NULL)
    end = start + strlen (start);
  b64 = g_strndup (start, end - start);
  raw = g_base64_decode (b64, &len);
  raw = g_realloc (raw, len + 1);
  raw[len] = '\0';
  return (char *) raw;
}

static const char *
find_message_to (GPtrArray  *messages,
                 const char *recipient)
{
  g_autofree char *needle = g_strdup_printf ("X-Sink-To: %s\r\n", recipient);

  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], needle) != NULL)
      return messages->pdata[i];
  return NULL;
}

static guint
count_messages_to (GPtrArray  *messages,
                   const char *recipient)
{
  g_autofree char *needle = g_strdup_printf ("X-Sink-To: %s\r\n", recipient);
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    if (strstr (messages->pdata[i], needle) != NULL)
      n++;
  return n;
}

/* "December 8, 2026" and "3:05 PM" in the practice's zone, and the Spanish
 * "8 de diciembre de 2026" and "15:05", written here independently. */
static void
expected_when (gint64   start_s,
               gboolean spanish,
               char   **date,
               char   **time)
{
  static const char * const es[] = { "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                     "septiembre", "octubre", "noviembre", "diciembre" };
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (start_s);
  g_autoptr(GDateTime) t = g_date_time_to_timezone (utc, zone);

  if (spanish)
    {
      *date = g_strdup_printf ("%d de %s de %d", g_date_time_get_day_of_month (t), es[g_date_time_get_month (t) - 1],
                               g_date_time_get_year (t));
      *time = g_date_time_format (t, "%H:%M");
    }
  else
    {
      *date = g_date_time_format (t, "%B %-d, %Y");
      *time = g_date_time_format (t, "%-l:%M %p");
    }
}

/* With TEND_TEST_SCREENSHOTS=DIR, keeps what was sent for a person to look
 * at (as the GUI tests keep screenshots). */
static void
save_for_review (const char *name,
                 const char *content)
{
  const char *dir_env = g_getenv ("TEND_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;

  if (dir_env == NULL)
    return;
  path = g_build_filename (dir_env, name, NULL);
  g_file_set_contents (path, content, -1, NULL);
}

/* Tests */

static void
test_due_en_es (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  TestServer *server = mail_server_start (sink->port, gateway->port, NULL);
  g_autofree char *token = test_login (session, server, "owner@a.example", PASSWORD);
  g_autofree char *en = add_client (server, token, "ana@client.example", NULL, NULL, NULL);
  g_autofree char *es = add_client (server, token, "luis@client.example", NULL, "es", NULL);
  g_autofree char *sms = add_client (server, token, NULL, "(312) 555-0147", "es-MX", NULL);
  gint64 start_en = due_start (0), start_es = due_start (1), start_sms = due_start (2);
  g_autofree char *a_en = add_appointment (server, token, en, start_en, "in_person");
  g_autofree char *a_es = add_appointment (server, token, es, start_es, "telehealth");
  g_autofree char *a_sms = add_appointment (server, token, sms, start_sms, "telehealth");
  g_autofree char *r_en = NULL;
  g_autofree char *r_es = NULL;
  g_autofree char *r_sms = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) texts = NULL;

  r_en = add_reminder (server, token, a_en, en, "email", start_en);
  r_es = add_reminder (server, token, a_es, es, "email", start_es);
  r_sms = add_reminder (server, token, a_sms, sms, "sms", start_sms);

  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", 2, 20000), ==, 2);
  g_assert_cmpuint (test_helper_wait_files (gateway, "sms-", 1, 20000), ==, 1);
  {
    g_autofree char *s1 = wait_reminder_status (r_en, "pending", 30000);
    g_autofree char *s2 = wait_reminder_status (r_es, "pending", 30000);
    g_autofree char *s3 = wait_reminder_status (r_sms, "pending", 30000);

    g_assert_cmpstr (s1, ==, "sent");
    g_assert_cmpstr (s2, ==, "sent");
    g_assert_cmpstr (s3, ==, "sent");
  }
  /* Once: nothing more arrives. */
  g_usleep (1500 * 1000);
  messages = test_helper_files (sink, "msg-");
  texts = test_helper_files (gateway, "sms-");
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpuint (texts->len, ==, 1);

  /* English, in person, over STARTTLS with AUTH. */
  {
    const char *m = find_message_to (messages, "ana@client.example");
    g_autofree char *from = header (m, "From");
    g_autofree char *subject = header (m, "Subject");
    g_autofree char *text = part (m, "text/plain");
    g_autofree char *html = part (m, "text/html");
    g_autofree char *date = NULL;
    g_autofree char *time = NULL;
    g_autofree char *link = g_strdup_printf ("https://tend.example/portal/appointments/%s", a_en);

    expected_when (start_en, FALSE, &date, &time);
    g_assert_nonnull (m);
    g_assert_nonnull (strstr (m, "X-Sink-TLS: yes\r\n"));
    g_assert_nonnull (strstr (m, "X-Sink-Auth: " SMTP_USER "\r\n"));
    g_assert_nonnull (strstr (m, "X-Sink-From: reminders@tend.example\r\n"));
    g_assert_cmpstr (from, ==, "Riverbend Counseling & Co. <reminders@tend.example>");
    g_assert_nonnull (strstr (subject, date));
    g_assert_nonnull (strstr (text, "Riverbend Counseling & Co."));
    g_assert_nonnull (strstr (text, date));
    g_assert_nonnull (strstr (text, time));
    g_assert_nonnull (strstr (text, "America/Chicago"));
    g_assert_nonnull (strstr (text, "Place: 12 Elm Street, Springfield"));
    g_assert_nonnull (strstr (text, link));
    /* No clinical detail, not even the client's name. */
    g_assert_null (strstr (m, "Ana"));
    g_assert_null (strstr (text, "Ruiz"));
    g_assert_nonnull (html);
    save_for_review ("reminder-email-en.html", html);
    save_for_review ("reminder-email-en.txt", text);
    g_assert_nonnull (strstr (html, "Riverbend Counseling &amp; Co."));
    g_assert_nonnull (strstr (html, "<html lang=\"en\">"));
  }
  /* Spanish, by video. */
  {
    const char *m = find_message_to (messages, "luis@client.example");
    g_autofree char *subject = header (m, "Subject");
    g_autofree char *text = part (m, "text/plain");
    g_autofree char *date = NULL;
    g_autofree char *time = NULL;
    g_autofree char *expected = NULL;

    save_for_review ("reminder-email-es.txt", text);
    expected_when (start_es, TRUE, &date, &time);
    expected = g_strdup_printf ("Recordatorio de cita: %s", date);
    g_assert_cmpstr (subject, ==, expected);
    g_assert_nonnull (strstr (text, "Le recordamos su cita con Riverbend Counseling & Co."));
    g_assert_nonnull (strstr (text, time));
    g_assert_nonnull (strstr (text, "Es una sesión por video"));
    g_assert_null (strstr (text, "Elm Street"));
  }
  /* The text message: to the number in E.164, from ours, Spanish. */
  {
    g_autoptr(JsonNode) req = json_from_string (texts->pdata[0], NULL);
    g_autofree char *date = NULL;
    g_autofree char *time = NULL;
    g_autofree char *basic = g_base64_encode ((const guchar *) SMS_SID ":" SMS_TOKEN, strlen (SMS_SID ":" SMS_TOKEN));
    g_autofree char *auth = g_strdup_printf ("Basic %s", basic);
    const char *body = test_json_string (req, "form.Body");

    expected_when (start_sms, TRUE, &date, &time);
    g_assert_cmpstr (test_json_string (req, "path"), ==, "/2010-04-01/Accounts/" SMS_SID "/Messages.json");
    g_assert_cmpstr (test_json_string (req, "authorization"), ==, auth);
    g_assert_cmpstr (test_json_string (req, "form.To"), ==, "+13125550147");
    g_assert_cmpstr (test_json_string (req, "form.From"), ==, SMS_FROM);
    g_assert_true (g_str_has_prefix (body, "Riverbend Counseling & Co.: recordatorio de su cita el "));
    g_assert_nonnull (strstr (body, date));
    g_assert_nonnull (strstr (body, time));
    g_assert_nonnull (strstr (body, "por video"));
    g_assert_nonnull (strstr (body, "STOP"));
  }
  /* The outcome is a new revision of the reminder, with the time sent. */
  {
    g_autofree char *sent_at = reminder_field (r_en, "sent_at");
    g_autofree char *sql = g_strdup_printf ("SELECT version FROM record WHERE type = 'reminder' AND id = '%s'", r_en);

    g_assert_nonnull (sent_at);
    g_assert_cmpint (sql_int (sql), ==, 2);
    /* Bodies do not stay in the database once sent. */
    g_assert_cmpint (sql_int ("SELECT count (*) FROM outbox WHERE status = 'sent' AND body_text <> ''"), ==, 0);
  }
  /* No recipient, body or secret in the server's log. */
  {
    g_autofree char *log = test_server_get_log (server);

    g_assert_null (strstr (log, "client.example"));
    g_assert_null (strstr (log, "5550147"));
    g_assert_null (strstr (log, SMTP_PASSWORD));
    g_assert_null (strstr (log, SMS_TOKEN));
    g_assert_null (strstr (log, "Riverbend"));
  }
  test_server_stop (server);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

/* Moved: the old reminder is not sent, the new one is, at the new time.
 * Cancelled: not sent.  Both are marked cancelled with the reason. */
static void
test_moved_cancelled (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  TestServer *server = NULL;
  g_autofree char *token = NULL;
  g_autofree char *moved_client = NULL;
  g_autofree char *cancelled_client = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *cancelled = NULL;
  g_autofree char *old_reminder = NULL;
  g_autofree char *new_reminder = NULL;
  g_autofree char *cancelled_reminder = NULL;
  g_autofree char *past_client = NULL;
  g_autofree char *past = NULL;
  g_autofree char *past_reminder = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  gint64 start = due_start (3), new_start = due_start (20);

  /* Records first, then the server: as if they had synced while it was down. */
  server = mail_server_start (sink->port, gateway->port, "quiet-hours=none\nreminders=false\n");
  token = test_login (session, server, "owner@a.example", PASSWORD);
  moved_client = add_client (server, token, "moved@client.example", NULL, NULL, NULL);
  cancelled_client = add_client (server, token, "cancelled@client.example", NULL, NULL, NULL);
  moved = add_appointment (server, token, moved_client, start, "in_person");
  cancelled = add_appointment (server, token, cancelled_client, start, "in_person");
  old_reminder = add_reminder (server, token, moved, moved_client, "email", start);
  cancelled_reminder = add_reminder (server, token, cancelled, cancelled_client, "email", start);
  /* A reminder still pending for a session that has begun (made before any
   * server sent reminders, or while no relay was set up). */
  past_client = add_client (server, token, "past@client.example", NULL, NULL, NULL);
  past = add_appointment (server, token, past_client, start - 24 * 3600 - 600, "in_person");
  past_reminder = add_reminder (server, token, past, past_client, "email", start - 24 * 3600 - 600);
  {
    g_autofree char *body = appointment_body (moved_client, new_start, "in_person", "scheduled");
    g_autofree char *cancel = appointment_body (cancelled_client, start, "in_person", "cancelled");

    push (server, token, "appointment", moved, 1, body);
    push (server, token, "appointment", cancelled, 1, cancel);
  }
  new_reminder = add_reminder (server, token, moved, moved_client, "email", new_start);
  test_server_stop (server);

  server = mail_server_start (sink->port, gateway->port, NULL);
  {
    g_autofree char *s_old = wait_reminder_status (old_reminder, "pending", 30000);
    g_autofree char *s_new = wait_reminder_status (new_reminder, "pending", 30000);
    g_autofree char *s_cancelled = wait_reminder_status (cancelled_reminder, "pending", 30000);
    g_autofree char *why_old = reminder_field (old_reminder, "status_reason");
    g_autofree char *why_cancelled = reminder_field (cancelled_reminder, "status_reason");

    g_assert_cmpstr (s_old, ==, "cancelled");
    g_assert_cmpstr (why_old, ==, "The appointment was moved");
    g_assert_cmpstr (s_cancelled, ==, "cancelled");
    g_assert_cmpstr (why_cancelled, ==, "The appointment was cancelled");
    g_assert_cmpstr (s_new, ==, "sent");
  }
  {
    g_autofree char *s_past = wait_reminder_status (past_reminder, "pending", 30000);
    g_autofree char *why_past = reminder_field (past_reminder, "status_reason");

    g_assert_cmpstr (s_past, ==, "cancelled");
    g_assert_cmpstr (why_past, ==, "The appointment had already begun");
  }
  g_usleep (1000 * 1000);
  messages = test_helper_files (sink, "msg-");
  g_assert_cmpuint (messages->len, ==, 1);
  {
    const char *m = find_message_to (messages, "moved@client.example");
    g_autofree char *text = part (m, "text/plain");
    g_autofree char *date = NULL;
    g_autofree char *time = NULL;

    expected_when (new_start, FALSE, &date, &time);
    g_assert_nonnull (strstr (text, time));
  }
  g_assert_cmpuint (count_messages_to (messages, "cancelled@client.example"), ==, 0);
  test_server_stop (server);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

/* Within quiet hours (in the practice's zone) a due reminder waits for
 * their end: in the outbox with that time, not sent, not dropped. */
static void
test_quiet_hours (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) from = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) to = g_date_time_add_hours (now, 2);
  g_autofree char *quiet = g_strdup_printf ("quiet-hours=%02d:00-%02d:00\n", g_date_time_get_hour (from),
                                            g_date_time_get_hour (to));
  TestServer *server = mail_server_start (sink->port, gateway->port, quiet);
  g_autofree char *token = test_login (session, server, "owner@a.example", PASSWORD);
  g_autofree char *client = add_client (server, token, "night@client.example", NULL, NULL, NULL);
  gint64 start = due_start (4);
  g_autofree char *appointment = add_appointment (server, token, client, start, "in_person");
  g_autofree char *reminder = add_reminder (server, token, appointment, client, "email", start);
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox WHERE reminder_id = '%s' AND status = 'pending'", reminder);
  g_autofree char *sql_at = g_strdup_printf ("SELECT extract (epoch FROM next_attempt_at)::bigint FROM outbox"
                                             " WHERE reminder_id = '%s'", reminder);
  g_autoptr(GDateTime) end = g_date_time_new (zone, g_date_time_get_year (to), g_date_time_get_month (to),
                                              g_date_time_get_day_of_month (to), g_date_time_get_hour (to), 0, 0);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (sql_int (sql) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  g_assert_cmpint (sql_int (sql), ==, 1);
  g_assert_cmpint (sql_int (sql_at), ==, g_date_time_to_unix (end));
  g_usleep (1500 * 1000);
  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", 1, 0), ==, 0);
  {
    g_autofree char *status = reminder_field (reminder, "status");

    g_assert_cmpstr (status, ==, "pending");
  }
  /* When the quiet hours end, it goes. */
  {
    g_autofree char *end_now = g_strdup_printf ("UPDATE outbox SET next_attempt_at = now () WHERE reminder_id = '%s'", reminder);

    PQclear (test_pg_exec (pg, end_now));
  }
  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", 1, 30000), ==, 1);
  test_server_stop (server);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

static void
post_inbound (TestServer *server,
              const char *from,
              const char *body,
              gboolean    sign,
              guint       expect)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *url = g_strdup_printf ("%s/v1/sms/inbound", server->base);

  g_hash_table_insert (form, "From", (gpointer) from);
  g_hash_table_insert (form, "To", SMS_FROM);
  g_hash_table_insert (form, "Body", (gpointer) body);
  g_hash_table_insert (form, "MessageSid", "SM00000000000000000000000000000001");
  g_hash_table_insert (form, "AccountSid", SMS_SID);
  encoded = soup_form_encode_hash (form);
  /* As the gateway signs it, with the URL it was given. */
  signature = tend_sms_signature (sign ? SMS_TOKEN : "not the token", WEBHOOK, form);
  msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Twilio-Signature", signature);
  {
    g_autoptr(GBytes) bytes = g_bytes_new (encoded, strlen (encoded));

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  }
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expect);
}

/* A client who replies STOP gets no more text messages; it is recorded on
 * the client record, which syncs. */
static void
test_opt_out (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  TestServer *server = mail_server_start (sink->port, gateway->port, "quiet-hours=none\nreminders=false\n");
  g_autofree char *token = test_login (session, server, "owner@a.example", PASSWORD);
  g_autofree char *client = add_client (server, token, NULL, "+1 312 555 0188", NULL, NULL);
  g_autofree char *other = add_client (server, token, NULL, "312-555-0199", NULL, NULL);
  gint64 start = due_start (5);
  g_autofree char *appointment = add_appointment (server, token, client, start, "in_person");
  g_autofree char *appointment2 = add_appointment (server, token, other, start, "in_person");
  g_autofree char *reminder = NULL;
  g_autofree char *reminder2 = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT body::jsonb -> 'reminders' ->> 'sms_opt_out', version FROM record"
                                          " WHERE type = 'client' AND id = '%s'", client);

  /* Unsigned, wrongly signed or malformed: refused, nothing recorded. */
  post_inbound (server, "+13125550188", "STOP", FALSE, 403);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM sms_opt_out"), ==, 0);
  post_inbound (server, "not a number", "STOP", TRUE, 400);
  post_inbound (server, "+13125550188", "STOP", TRUE, 200);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM sms_opt_out WHERE phone = '+13125550188'"), ==, 1);
  {
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "true");
    g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "2");
    PQclear (res);
  }
  /* Anything but a keyword changes nothing. */
  post_inbound (server, "+13125550199", "See you tomorrow", TRUE, 200);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM sms_opt_out"), ==, 1);

  reminder = add_reminder (server, token, appointment, client, "sms", start);
  reminder2 = add_reminder (server, token, appointment2, other, "sms", start);
  test_server_stop (server);
  server = mail_server_start (sink->port, gateway->port, NULL);
  {
    g_autofree char *status = wait_reminder_status (reminder, "pending", 30000);
    g_autofree char *status2 = wait_reminder_status (reminder2, "pending", 30000);
    g_autofree char *why = reminder_field (reminder, "status_reason");

    g_assert_cmpstr (status, ==, "cancelled");
    g_assert_cmpstr (why, ==, "The client replied STOP: no text messages");
    g_assert_cmpstr (status2, ==, "sent");
  }
  {
    g_autoptr(GPtrArray) texts = test_helper_files (gateway, "sms-");

    g_assert_cmpuint (texts->len, ==, 1);
    g_assert_nonnull (strstr (texts->pdata[0], "+13125550199"));
  }
  /* START opts back in. */
  post_inbound (server, "+13125550188", "start", TRUE, 200);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM sms_opt_out"), ==, 0);
  {
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "false");
    PQclear (res);
  }
  test_server_stop (server);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

/* The relay is down: the reminder is retried with backoff, then sent once
 * when the relay is back; refusals are failures with the reason. */
static void
test_relay_down_then_up (void)
{
  TestHelper *gateway = test_helper_start ("sms-gateway.py", "--refuse", "+13125550666", NULL);
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *cert = g_build_filename (dir, "relay.crt", NULL);
  g_autofree char *key = g_build_filename (dir, "relay.key", NULL);
  g_autofree char *secret = g_build_filename (dir, "smtp-password", NULL);
  TestServer *server;
  g_autofree char *token = NULL;
  g_autofree char *client = NULL;
  g_autofree char *refused_client = NULL;
  g_autofree char *bad_number = NULL;
  g_autofree char *appointment = NULL;
  g_autofree char *refused_appointment = NULL;
  g_autofree char *bad_appointment = NULL;
  g_autofree char *reminder = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *sql = NULL;
  TestHelper *sink;
  guint16 port;
  gint64 start = due_start (6), deadline;

  /* A free port, with nothing listening on it yet. */
  g_assert_true (g_socket_bind (probe, any, TRUE, NULL));
  bound = g_socket_get_local_address (probe, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (probe, NULL);

  server = mail_server_start (port, gateway->port, "quiet-hours=none\noutbox-max-attempts=20\n");
  token = test_login (session, server, "owner@a.example", PASSWORD);
  client = add_client (server, token, "patient@client.example", NULL, NULL, NULL);
  refused_client = add_client (server, token, "nobody@refused.example", NULL, NULL, NULL);
  bad_number = add_client (server, token, NULL, "+1 312 555 0666", NULL, NULL);
  appointment = add_appointment (server, token, client, start, "in_person");
  refused_appointment = add_appointment (server, token, refused_client, start, "in_person");
  bad_appointment = add_appointment (server, token, bad_number, start, "in_person");
  reminder = add_reminder (server, token, appointment, client, "email", start);
  refused = add_reminder (server, token, refused_appointment, refused_client, "email", start);
  bad = add_reminder (server, token, bad_appointment, bad_number, "sms", start);

  /* The gateway refuses the number: failed for good, with its reason. */
  {
    g_autofree char *status = wait_reminder_status (bad, "pending", 30000);
    g_autofree char *why = reminder_field (bad, "status_reason");

    g_assert_cmpstr (status, ==, "failed");
    g_assert_cmpstr (why, ==, "HTTP 400: The 'To' number is not a valid phone number. (21211)");
  }

  /* Attempts with a growing delay, each with the reason. */
  sql = g_strdup_printf ("SELECT attempts FROM outbox WHERE reminder_id = '%s' AND status = 'pending'"
                         " AND last_error IS NOT NULL", reminder);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (sql_int (sql) < 2 && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_cmpint (sql_int (sql), >=, 2);
  {
    g_autofree char *status = reminder_field (reminder, "status");

    g_assert_cmpstr (status, ==, "pending");
  }

  /* The relay comes up on that port. */
  port_text = g_strdup_printf ("%u", port);
  sink = test_helper_start ("smtp-sink.py", "--port", port_text, "--tls", cert, key, "--auth", SMTP_USER, secret,
                       "--refuse", "nobody@refused.example", NULL);
  {
    g_autofree char *status = wait_reminder_status (reminder, "pending", 30000);
    g_autofree char *refused_status = wait_reminder_status (refused, "pending", 30000);
    g_autofree char *why = reminder_field (refused, "status_reason");

    g_assert_cmpstr (status, ==, "sent");
    g_assert_cmpstr (refused_status, ==, "failed");
    g_assert_true (g_str_has_prefix (why, "SMTP 550"));
  }
  g_usleep (1500 * 1000);
  {
    g_autoptr(GPtrArray) messages = test_helper_files (sink, "msg-");

    g_assert_cmpuint (messages->len, ==, 1);
    g_assert_cmpuint (count_messages_to (messages, "patient@client.example"), ==, 1);
  }
  test_server_stop (server);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

/* Two instances on one database, two senders each, small batches: every
 * reminder is sent exactly once. */
static void
test_two_instances (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  TestServer *one = NULL, *two = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GPtrArray) reminders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = 120;

  one = mail_server_start (sink->port, gateway->port, "quiet-hours=none\nreminders=false\n");
  token = test_login (session, one, "owner@a.example", PASSWORD);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = g_strdup_printf ("client-%03u@many.example", i);
      g_autofree char *client = add_client (one, token, email, NULL, NULL, NULL);
      gint64 start = due_start (30 + i);
      g_autofree char *appointment = add_appointment (one, token, client, start, "telehealth");

      g_ptr_array_add (reminders, add_reminder (one, token, appointment, client, "email", start));
    }
  test_server_stop (one);

  one = mail_server_start (sink->port, gateway->port, "quiet-hours=none\noutbox-senders=2\noutbox-batch=5\n");
  two = mail_server_start (sink->port, gateway->port, "quiet-hours=none\noutbox-senders=2\noutbox-batch=5\n");
  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", n, 60000), ==, n);
  g_usleep (1500 * 1000);
  messages = test_helper_files (sink, "msg-");
  g_assert_cmpuint (messages->len, ==, n);
  for (guint i = 0; i < messages->len; i++)
    {
      const char *to = strstr (messages->pdata[i], "X-Sink-To: ");
      g_autofree char *address = g_strndup (to + 11, strcspn (to + 11, "\r"));

      g_assert_false (g_hash_table_contains (seen, address));
      g_hash_table_add (seen, g_steal_pointer (&address));
    }
  for (guint i = 0; i < reminders->len; i++)
    {
      g_autofree char *status = wait_reminder_status (reminders->pdata[i], "pending", 30000);

      g_assert_cmpstr (status, ==, "sent");
    }
  g_assert_cmpint (sql_int ("SELECT count (*) FROM outbox WHERE kind = 'reminder' AND status = 'sent'"
                            " AND recipient LIKE '%@many.example'"), ==, n);
  test_server_stop (one);
  test_server_stop (two);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

/* Anything queued through the API the portal uses: sent, in one
 * transaction with the caller's work, or not at all. */
static void
test_enqueue_api (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  TestServer *server = mail_server_start (sink->port, gateway->port, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPgConn) conn = tend_pg_conn_open (pg->conninfo, &error);
  TendOutboxItem code = {
    .channel = TEND_OUTBOX_EMAIL, .practice_id = practice_id, .recipient = "code@client.example",
    .subject = "Your sign-in code", .body_text = "Código: 123456", .kind = "sign-in-code",
  };
  TendOutboxItem rolled_back = code;
  TendOutboxItem bad = code;

  g_assert_no_error (error);
  rolled_back.recipient = "never@client.example";
  g_assert_true (tend_pg_run (conn, "BEGIN", NULL));
  g_assert_true (tend_server_outbox_enqueue (conn, &rolled_back, &error));
  g_assert_no_error (error);
  tend_pg_rollback (conn);

  g_assert_true (tend_pg_run (conn, "BEGIN", NULL));
  g_assert_true (tend_server_outbox_enqueue (conn, &code, &error));
  g_assert_true (tend_pg_run (conn, "COMMIT", NULL));

  /* Header injection and wrong recipients are refused. */
  bad.subject = "Hello\r\nBcc: victim@example.org";
  g_assert_false (tend_server_outbox_enqueue (conn, &bad, &error));
  g_clear_error (&error);
  bad = code;
  bad.recipient = "a@b.example>\r\nRCPT TO:<c@d.example";
  g_assert_false (tend_server_outbox_enqueue (conn, &bad, &error));
  g_clear_error (&error);
  bad = code;
  bad.channel = TEND_OUTBOX_SMS;
  bad.recipient = "3125550100";
  bad.subject = NULL;
  g_assert_false (tend_server_outbox_enqueue (conn, &bad, &error));
  g_clear_error (&error);

  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", 1, 30000), ==, 1);
  g_usleep (1000 * 1000);
  {
    g_autoptr(GPtrArray) messages = test_helper_files (sink, "msg-");
    g_autofree char *text = part (messages->pdata[0], "text/plain");
    g_autofree char *subject = header (messages->pdata[0], "Subject");

    g_assert_cmpuint (messages->len, ==, 1);
    g_assert_cmpstr (text, ==, "Código: 123456");
    g_assert_cmpstr (subject, ==, "Your sign-in code");
  }
  test_server_stop (server);
  test_helper_stop (sink);
  test_helper_stop (gateway);
}

/* Long and non-ASCII practice names and subjects make valid headers. */
static void
test_build_email (void)
{
  g_autofree char *m = tend_outbox_build_email ("from@tend.example",
                                                "Consultorio Psicológico «Nuestra Señora» de la Esperanza y Asociados",
                                                "to@client.example",
                                                "Recordatorio de cita: 8 de diciembre de 2026 — por favor confirme su asistencia",
                                                "texto", "<p>html</p>", "id-1");
  g_autofree char *from = header (m, "From");
  g_autofree char *subject = header (m, "Subject");
  g_auto(GStrv) lines = g_strsplit (m, "\r\n", -1);

  g_assert_cmpstr (from, ==, "Consultorio Psicológico «Nuestra Señora» de la Esperanza y Asociados <from@tend.example>");
  g_assert_cmpstr (subject, ==, "Recordatorio de cita: 8 de diciembre de 2026 — por favor confirme su asistencia");
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 78);
      for (const char *c = lines[i]; *c; c++)
        g_assert_true ((guchar) *c < 0x80);
    }
}

static void
make_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (dir, "relay.crt", NULL);
  g_autofree char *key = g_build_filename (dir, "relay.key", NULL);
  g_autofree char *smtp_secret = g_build_filename (dir, "smtp-password", NULL);
  g_autofree char *sms_secret = g_build_filename (dir, "sms-token", NULL);
  g_autoptr(GSubprocess) openssl = NULL;

  /* The relay's certificate, for "localhost", which the server trusts
   * through smtp-ca-file. */
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                              "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                              "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
  g_assert_no_error (error);
  g_file_set_contents (smtp_secret, SMTP_PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (sms_secret, SMS_TOKEN "\n", -1, &error);
  g_assert_no_error (error);
  g_chmod (smtp_secret, 0600);
  g_chmod (sms_secret, 0600);
}

/* A group session: each member's own reminder reaches them, in their own
 * language, naming nobody; a member taken out of the session after their
 * reminder was made is not reminded, and the reason is written back. */
static void
test_group_members (void)
{
  TestHelper *sink = smtp_sink_start ();
  TestHelper *gateway = test_helper_start ("sms-gateway.py", NULL);
  TestServer *server = mail_server_start (sink->port, gateway->port, "quiet-hours=none\n");
  g_autofree char *token = test_login (session, server, "owner@a.example", PASSWORD);
  g_autofree char *wren = g_uuid_string_random ();
  g_autofree char *yusuf = g_uuid_string_random ();
  g_autofree char *zoe = g_uuid_string_random ();
  g_autofree char *group = g_uuid_string_random ();
  g_autofree char *r_wren = NULL;
  g_autofree char *r_yusuf = NULL;
  g_autofree char *r_zoe = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  gint64 start = due_start (0);
  const char *names[] = { "Wren", "Adair", "Yusuf", "Banda", "Zoe", "Carter" };

  push (server, token, "client", wren, 0,
        "{\"legal_given\":\"Wren\",\"legal_family\":\"Adair\",\"status\":\"active\",\"email\":\"wren@group.example\"}");
  push (server, token, "client", yusuf, 0,
        "{\"legal_given\":\"Yusuf\",\"legal_family\":\"Banda\",\"status\":\"active\",\"email\":\"yusuf@group.example\","
        "\"language\":\"es\"}");
  push (server, token, "client", zoe, 0,
        "{\"legal_given\":\"Zoe\",\"legal_family\":\"Carter\",\"status\":\"active\",\"email\":\"zoe@group.example\"}");
  {
    g_autofree char *base = appointment_body (wren, start, "in_person", "scheduled");
    g_autofree char *members = g_strdup_printf (",\"session_type\":\"group\",\"participants\":["
                                                "{\"client_id\":\"%s\",\"attendance\":\"expected\"},"
                                                "{\"client_id\":\"%s\",\"attendance\":\"expected\"}]}", wren, yusuf);
    g_autofree char *body = NULL;

    base[strlen (base) - 1] = '\0';
    body = g_strconcat (base, members, NULL);
    push (server, token, "appointment", group, 0, body);
  }
  /* As the stores make them: one per member; Zoe's was made while she was
   * still in the group. */
  r_wren = add_reminder (server, token, group, wren, "email", start);
  r_yusuf = add_reminder (server, token, group, yusuf, "email", start);
  r_zoe = add_reminder (server, token, group, zoe, "email", start);

  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", 2, 20000), ==, 2);
  {
    g_autofree char *s_wren = wait_reminder_status (r_wren, "pending", 30000);
    g_autofree char *s_yusuf = wait_reminder_status (r_yusuf, "pending", 30000);
    g_autofree char *s_zoe = wait_reminder_status (r_zoe, "pending", 30000);
    g_autofree char *why_zoe = reminder_field (r_zoe, "status_reason");

    g_assert_cmpstr (s_wren, ==, "sent");
    g_assert_cmpstr (s_yusuf, ==, "sent");
    g_assert_cmpstr (s_zoe, ==, "cancelled");
    g_assert_cmpstr (why_zoe, ==, "The client is no longer in the session");
  }
  g_usleep (1000 * 1000);
  messages = test_helper_files (sink, "msg-");
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpuint (count_messages_to (messages, "wren@group.example"), ==, 1);
  g_assert_cmpuint (count_messages_to (messages, "yusuf@group.example"), ==, 1);
  g_assert_cmpuint (count_messages_to (messages, "zoe@group.example"), ==, 0);
  {
    g_autofree char *en = part (find_message_to (messages, "wren@group.example"), "text/plain");
    g_autofree char *es = part (find_message_to (messages, "yusuf@group.example"), "text/plain");
    g_autofree char *link = g_strdup_printf ("https://tend.example/portal/appointments/%s", group);

    g_assert_nonnull (strstr (en, "This is a reminder of your appointment"));
    g_assert_nonnull (strstr (es, "Le recordamos su cita"));
    g_assert_nonnull (strstr (en, link));
    g_assert_nonnull (strstr (es, link));
    /* Nobody's name: neither their own nor another member's. */
    for (guint k = 0; k < messages->len; k++)
      {
        const char *m = g_ptr_array_index (messages, k);
        g_autofree char *text = part (m, "text/plain");
        g_autofree char *html = part (m, "text/html");

        g_assert_nonnull (text);
        g_assert_nonnull (html);
        for (guint i = 0; i < G_N_ELEMENTS (names); i++)
          {
            g_assert_null (strstr (m, names[i]));
            g_assert_null (strstr (text, names[i]));
            g_assert_null (strstr (html, names[i]));
          }
      }
  }
  test_server_stop (server);
  test_helper_stop (gateway);
  test_helper_stop (sink);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/mail/build-email", test_build_email);
  g_test_add_func ("/server/mail/due-en-es", test_due_en_es);
  g_test_add_func ("/server/mail/moved-cancelled", test_moved_cancelled);
  g_test_add_func ("/server/mail/group-members", test_group_members);
  g_test_add_func ("/server/mail/quiet-hours", test_quiet_hours);
  g_test_add_func ("/server/mail/opt-out", test_opt_out);
  g_test_add_func ("/server/mail/relay-down-then-up", test_relay_down_then_up);
  g_test_add_func ("/server/mail/two-instances", test_two_instances);
  g_test_add_func ("/server/mail/enqueue-api", test_enqueue_api);

  dir = g_dir_make_tmp ("tend-mail-XXXXXX", &error);
  g_assert_no_error (error);
  make_files ();
  op_prefix = g_uuid_string_random ();
  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling & Co.",
                         "--time-zone", "America/Chicago",
                         "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  session = test_session_new ();
  /* The practice's address, as Tend would push it. */
  {
    TestServer *server = mail_server_start (1, 1, "reminders=false\n");
    g_autofree char *token = test_login (session, server, "owner@a.example", PASSWORD);
    g_autoptr(TestResponse) feed = test_request (session, server, "GET", "/v1/changes?limit=1000", token, NULL);
    JsonArray *changes = json_node_get_array (test_json_get (feed->json, "changes"));

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonNode *change = json_array_get_element (changes, i);

        if (g_strcmp0 (test_json_string (change, "type"), "practice") == 0)
          {
            JsonObject *body = json_node_get_object (test_json_get (change, "body"));
            JsonObject *address = json_object_new ();
            g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
            g_autofree char *text = NULL;

            json_object_set_string_member (address, "line1", "12 Elm Street");
            json_object_set_string_member (address, "city", "Springfield");
            json_object_set_string_member (address, "country", "US");
            json_object_set_object_member (body, "address", address);
            json_node_set_object (node, body);
            text = json_to_string (node, FALSE);
            push (server, token, "practice", test_json_string (change, "id"), test_json_int (change, "version"), text);
          }
      }
    test_server_stop (server);
  }

  rc = g_test_run ();

  g_clear_object (&session);
  test_pg_stop (pg);
  test_remove_folder (dir);
  return rc;
}
