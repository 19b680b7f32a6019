/* tend-server-outbox.c: e-mail and text messages that tend-server sends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Anything tend-server sends to a person outside the practice (reminders,
 * portal invitations, sign-in codes, "you have a message" notices) is a row
 * of the `outbox` table, written inside the transaction that decided to
 * send it (tend_server_outbox_enqueue ()): if that transaction rolls back,
 * nothing is sent.
 *
 * Each tend-server instance runs outbox-senders threads, each with its own
 * PostgreSQL connection and its own libcurl handles (SMTP, HTTP).  A sender:
 *
 *  1. hands due reminder records to the outbox (tend-server-reminders.c);
 *  2. claims up to outbox-batch due rows with FOR UPDATE SKIP LOCKED and
 *     marks them `sending` with a lease (claimed_until) in one short
 *     transaction, so another sender (in this or another instance) never
 *     claims the same row while it is being sent;
 *  3. sends each (SMTP through libcurl with STARTTLS and AUTH; SMS through a
 *     Twilio-compatible REST gateway);
 *  4. records the outcomes in one transaction: sent; pending again with a
 *     retry time (temporary failures: the relay is down, 4xx SMTP replies,
 *     HTTP 429 and 5xx), doubling from outbox-retry seconds; failed for
 *     good with the reason (5xx SMTP replies, other HTTP 4xx, or
 *     outbox-max-attempts reached).  A row with a reminder_id writes the
 *     outcome back into that reminder record, in the same transaction.
 *
 * A sender that dies between sending and recording leaves its rows
 * `sending`; when the lease runs out they are due again (at least once,
 * never twice while every instance is alive).  Message bodies are cleared
 * once a row is sent or failed: a sign-in code does not outlive its use in
 * the database.  Logs name rows by id and kind, never a recipient, a body
 * or a secret.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tend-server-outbox.h"
#include "tend-server-private.h"
#include "tend-server-reminders.h"

#define LEASE_SECONDS 600
#define MAX_RETRY_DELAY_S (6 * 3600)
#define REASON_MAX 300

struct _TendOutbox
{
  const TendServerConfig *config;
  GMutex     lock;
  GCond      cond;
  gint       stopping;     /* atomic: read by transfers in progress */
  guint64    kicks;
  GPtrArray *threads;
};

typedef struct
{
  TendOutbox *outbox;
  guint       index;
  TendPgConn *conn;
  CURL       *smtp;
  CURL       *http;
  char       *smtp_url;
  char       *sms_endpoint;
  gint64      next_slot;     /* outbox-rate: when this sender may send next */
} Sender;

typedef enum
{
  OUTCOME_SENT,
  OUTCOME_RETRY,
  OUTCOME_FAILED,
  OUTCOME_CANCELLED,
} Outcome;

typedef struct
{
  char    *id;
  char    *practice_id;
  char    *practice_name;
  char    *channel;
  char    *recipient;
  char    *subject;
  char    *body_text;
  char    *body_html;
  char    *kind;
  char    *reminder_id;
  gint64   attempts;
  Outcome  outcome;
  char    *reason;
} Claimed;

static void
claimed_free (gpointer data)
{
  Claimed *m = data;

  g_free (m->id);
  g_free (m->practice_id);
  g_free (m->practice_name);
  g_free (m->channel);
  g_free (m->recipient);
  g_free (m->subject);
  g_free (m->body_text);
  g_free (m->body_html);
  g_free (m->kind);
  g_free (m->reminder_id);
  g_free (m->reason);
  g_free (m);
}

/* Enqueueing */

static gboolean
has_line_break (const char *text)
{
  return text != NULL && strpbrk (text, "\r\n") != NULL;
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/**
 * tend_server_outbox_enqueue:
 *
 * Checks @item (an e-mail needs a valid address and a one-line subject; a
 * text message a number in E.164 and no subject or HTML) and inserts it as
 * a pending row.  Call tend_server_outbox_kick () after the transaction
 * commits to send it at once rather than at the next poll.
 */
gboolean
tend_server_outbox_enqueue (TendPgConn           *conn,
                            const TendOutboxItem *item,
                            GError              **error)
{
  return tend_outbox_enqueue_at (conn, item, 0, error);
}

/**
 * tend_outbox_enqueue_at:
 * @not_before: unix seconds before which it is not sent (quiet hours); 0
 *
 * tend_server_outbox_enqueue () with a time.  A second live row for the
 * same reminder is not made (and is not an error).
 */
gboolean
tend_outbox_enqueue_at (TendPgConn           *conn,
                        const TendOutboxItem *item,
                        gint64                not_before,
                        GError              **error)
{
  g_autoptr(PGresult) res = NULL;
  const char *channel;

  g_return_val_if_fail (conn != NULL && item != NULL, FALSE);

  if (item->practice_id == NULL || item->recipient == NULL || item->body_text == NULL ||
      item->kind == NULL || *item->kind == '\0' || strlen (item->kind) > 40 || has_line_break (item->kind))
    return invalid (error, "An outbox item needs a practice, a recipient, a body and a kind");
  if (!g_utf8_validate (item->body_text, -1, NULL) ||
      (item->body_html != NULL && !g_utf8_validate (item->body_html, -1, NULL)) ||
      (item->subject != NULL && !g_utf8_validate (item->subject, -1, NULL)))
    return invalid (error, "An outbox item's text must be UTF-8");
  switch (item->channel)
    {
    case TEND_OUTBOX_EMAIL:
      channel = "email";
      if (!tend_email_is_valid (item->recipient) || has_line_break (item->recipient) ||
          strpbrk (item->recipient, "<>,; \t\"") != NULL)
        return invalid (error, "The recipient is not an e-mail address");
      if (item->subject == NULL || *item->subject == '\0' || has_line_break (item->subject) ||
          strlen (item->subject) > 400)
        return invalid (error, "An e-mail needs a subject of one line");
      break;
    case TEND_OUTBOX_SMS:
      channel = "sms";
      if (!tend_server_is_e164 (item->recipient))
        return invalid (error, "The recipient is not a phone number in E.164 (+15551230000)");
      if (item->body_html != NULL)
        return invalid (error, "A text message has no HTML body");
      if (strlen (item->body_text) > 1600)
        return invalid (error, "A text message holds at most 1,600 bytes");
      break;
    default:
      return invalid (error, "Unknown outbox channel");
    }

  {
    g_autofree char *at = g_strdup_printf ("%" G_GINT64_FORMAT, not_before);
    const char *params[] = {
      item->practice_id, channel, item->recipient,
      item->channel == TEND_OUTBOX_EMAIL ? item->subject : NULL,
      item->body_text, item->body_html, item->kind, item->reminder_id, at,
    };

    res = tend_pg_exec (conn,
                        "INSERT INTO outbox (practice_id, channel, recipient, subject, body_text, body_html,"
                        " kind, reminder_id, next_attempt_at)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
                        "         greatest (now (), to_timestamp ($9::bigint)))"
                        " ON CONFLICT (practice_id, reminder_id) WHERE reminder_id IS NOT NULL AND status <> 'cancelled'"
                        " DO NOTHING",
                        9, params, error);
  }
  return res != NULL;
}

void
tend_server_outbox_kick (TendServer *server)
{
  TendOutbox *outbox;

  g_return_if_fail (TEND_IS_SERVER (server));

  outbox = tend_server_get_outbox (server);
  if (outbox != NULL)
    tend_outbox_wake (outbox);
}

void
tend_outbox_wake (TendOutbox *outbox)
{
  g_mutex_lock (&outbox->lock);
  outbox->kicks++;
  g_cond_broadcast (&outbox->cond);
  g_mutex_unlock (&outbox->lock);
}

/* Building an e-mail */

/* RFC 2047 encoded words ("=?UTF-8?B?...?="), each at most 75 characters,
 * cut between UTF-8 characters, separated by folding white space. */
static gboolean
append_encoded_words (GString    *out,
                       const char *text,
                       gboolean    phrase)
{
  const char *p = text;
  gboolean ascii = TRUE;

  /* A display name (@phrase) is written as it is only when it is made of
   * atoms: RFC 5322's specials would need quoting. */
  for (const char *c = text; *c != '\0'; c++)
    if ((guchar) *c < 0x20 || (guchar) *c >= 0x7f || *c == '"' || *c == '=' || *c == '?' || *c == '\\' ||
        (phrase && strchr ("()<>[]:;@,.", *c) != NULL))
      ascii = FALSE;
  if (ascii && strlen (text) < 60)
    {
      g_string_append (out, text);
      return FALSE;
    }
  while (*p != '\0')
    {
      const char *end = p;
      g_autofree char *b64 = NULL;

      /* 39 bytes of text make 52 of base64: 64 characters with the
       * wrapper, which leaves room for "Subject: " on the first line. */
      while (*end != '\0')
        {
          const char *next = g_utf8_next_char (end);

          if (next - p > 39)
            break;
          end = next;
        }
      b64 = g_base64_encode ((const guchar *) p, end - p);
      if (p != text)
        g_string_append (out, "\r\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", b64);
      p = end;
    }
  return TRUE;
}

static void
append_base64_body (GString    *out,
                    const char *text)
{
  g_autofree char *b64 = g_base64_encode ((const guchar *) text, strlen (text));
  gsize len = strlen (b64);

  for (gsize i = 0; i < len; i += 76)
    {
      g_string_append_len (out, b64 + i, MIN (76, len - i));
      g_string_append (out, "\r\n");
    }
}

static char *
rfc5322_date (void)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  /* Names by hand: %a and %b follow the locale. */
  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (now) - 1], g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1], g_date_time_get_year (now),
                          g_date_time_get_hour (now), g_date_time_get_minute (now), g_date_time_get_second (now));
}

/**
 * tend_outbox_build_email: (skip)
 *
 * The whole message (RFC 5322, MIME): From is the practice's name with the
 * relay's address; plain text, or plain text and HTML as alternatives;
 * bodies in base64 so no line is too long and no dot-stuffing matters.
 */
char *
tend_outbox_build_email (const char *from_address,
                         const char *practice_name,
                         const char *recipient,
                         const char *subject,
                         const char *body_text,
                         const char *body_html,
                         const char *message_id)
{
  GString *out = g_string_new (NULL);
  g_autofree char *date = rfc5322_date ();
  const char *domain = strrchr (from_address, '@');
  g_autofree char *boundary = NULL;

  g_string_append_printf (out, "Date: %s\r\n", date);
  g_string_append (out, "From: ");
  if (practice_name != NULL && *practice_name != '\0' && !has_line_break (practice_name))
    {
      /* The address on a line of its own after encoded words. */
      if (append_encoded_words (out, practice_name, TRUE))
        g_string_append (out, "\r\n");
      g_string_append_c (out, ' ');
    }
  g_string_append_printf (out, "<%s>\r\n", from_address);
  g_string_append_printf (out, "To: <%s>\r\n", recipient);
  g_string_append (out, "Subject: ");
  append_encoded_words (out, subject, FALSE);
  g_string_append (out, "\r\n");
  g_string_append_printf (out, "Message-ID: <%s%s>\r\n", message_id, domain != NULL ? domain : "@tend.invalid");
  g_string_append (out, "MIME-Version: 1.0\r\n");
  g_string_append (out, "Auto-Submitted: auto-generated\r\n");
  if (body_html == NULL)
    {
      g_string_append (out, "Content-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: base64\r\n\r\n");
      append_base64_body (out, body_text);
      return g_string_free (out, FALSE);
    }
  boundary = g_strdup_printf ("tend-%s", message_id);
  g_string_append_printf (out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
  g_string_append_printf (out, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
  append_base64_body (out, body_text);
  g_string_append_printf (out, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
  append_base64_body (out, body_html);
  g_string_append_printf (out, "--%s--\r\n", boundary);
  return g_string_free (out, FALSE);
}

/* Sending */

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
} Upload;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *data)
{
  Upload *up = data;
  size_t n = MIN (size * nitems, up->len - up->pos);

  memcpy (buffer, up->data + up->pos, n);
  up->pos += n;
  return n;
}

static size_t
write_cb (char   *ptr,
          size_t  size,
          size_t  nmemb,
          void   *data)
{
  GString *out = data;

  if (out->len < 16 * 1024)
    g_string_append_len (out, ptr, (gssize) MIN (size * nmemb, 16 * 1024 - out->len));
  return size * nmemb;
}

/* A transfer in progress stops when the server does (it is retried). */
static int
progress_cb (void       *data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  TendOutbox *outbox = data;

  return g_atomic_int_get (&outbox->stopping) ? 1 : 0;
}

static void
set_common_options (Sender *s,
                    CURL   *curl,
                    char   *errbuf)
{
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, s->outbox);
}

static char *
cut_reason (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *one_line = g_strdelimit (g_strdup (valid), "\r\n\t", ' ');

  if (g_utf8_strlen (one_line, -1) > REASON_MAX)
    return g_utf8_substring (one_line, 0, REASON_MAX);
  return g_steal_pointer (&one_line);
}

static Outcome
send_email (Sender  *s,
            Claimed *m)
{
  const TendServerConfig *config = s->outbox->config;
  g_autofree char *message = NULL;
  g_autofree char *from = g_strdup_printf ("<%s>", config->smtp_from);
  g_autofree char *rcpt = g_strdup_printf ("<%s>", m->recipient);
  g_autofree char *message_id = g_strdup_printf ("outbox-%s.%08x", m->id, g_random_int ());
  struct curl_slist *rcpts = NULL;
  char errbuf[CURL_ERROR_SIZE] = "";
  Upload up;
  CURLcode rc;
  long code = 0;

  message = tend_outbox_build_email (config->smtp_from, m->practice_name, m->recipient, m->subject,
                                     m->body_text, m->body_html, message_id);
  up = (Upload) { message, strlen (message), 0 };
  if (s->smtp == NULL)
    s->smtp = curl_easy_init ();
  curl_easy_reset (s->smtp);
  rcpts = curl_slist_append (rcpts, rcpt);
  curl_easy_setopt (s->smtp, CURLOPT_URL, s->smtp_url);
  set_common_options (s, s->smtp, errbuf);
  curl_easy_setopt (s->smtp, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt (s->smtp, CURLOPT_MAXAGE_CONN, 30L);
  curl_easy_setopt (s->smtp, CURLOPT_USE_SSL,
                    g_strcmp0 (config->smtp_tls, "none") == 0 ? (long) CURLUSESSL_NONE : (long) CURLUSESSL_ALL);
  if (config->smtp_ca_file != NULL)
    curl_easy_setopt (s->smtp, CURLOPT_CAINFO, config->smtp_ca_file);
  if (config->smtp_user != NULL)
    {
      curl_easy_setopt (s->smtp, CURLOPT_USERNAME, config->smtp_user);
      curl_easy_setopt (s->smtp, CURLOPT_PASSWORD, config->smtp_password != NULL ? config->smtp_password : "");
    }
  curl_easy_setopt (s->smtp, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (s->smtp, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt (s->smtp, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (s->smtp, CURLOPT_READDATA, &up);
  curl_easy_setopt (s->smtp, CURLOPT_UPLOAD, 1L);
  rc = curl_easy_perform (s->smtp);
  curl_easy_getinfo (s->smtp, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all (rcpts);
  explicit_bzero (message, strlen (message));
  if (rc == CURLE_OK)
    return OUTCOME_SENT;

  m->reason = cut_reason (*errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
  if (code > 0)
    {
      g_autofree char *with_code = g_strdup_printf ("SMTP %ld: %s", code, m->reason);

      g_free (m->reason);
      m->reason = g_steal_pointer (&with_code);
    }
  g_message ("outbox: e-mail %s (%s) not sent: %s%s%ld",
             m->id, m->kind, curl_easy_strerror (rc), code > 0 ? ", SMTP reply " : "", code > 0 ? code : 0);
  /* 5xx: the relay refuses this message for good; but not its own
   * authentication (530, 535), which the administrator can fix. */
  if (code >= 500 && code < 600 && code != 530 && code != 535)
    return OUTCOME_FAILED;
  /* Anything else (the relay down, TLS, a timeout) is retried. */
  return OUTCOME_RETRY;
}

static void
append_form (GString    *out,
             CURL       *curl,
             const char *name,
             const char *value)
{
  char *escaped = curl_easy_escape (curl, value, 0);

  if (out->len > 0)
    g_string_append_c (out, '&');
  g_string_append_printf (out, "%s=%s", name, escaped);
  curl_free (escaped);
}

/* The sender's name leads a text message (SMS has no From name). */
static char *
sms_text (const Claimed *m)
{
  if (m->practice_name == NULL || g_str_has_prefix (m->body_text, m->practice_name))
    return g_strdup (m->body_text);
  return g_strdup_printf ("%s: %s", m->practice_name, m->body_text);
}

/* The gateway's own explanation: Twilio answers {"code":21211,"message":...}. */
static char *
gateway_reason (long        status,
                const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body != NULL && json_parser_load_from_data (parser, body, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      const char *message = json_object_get_string_member_with_default (o, "message", NULL);
      JsonNode *code_node = json_object_get_member (o, "code");
      gint64 code = code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node) &&
                    json_node_get_value_type (code_node) == G_TYPE_INT64 ? json_node_get_int (code_node) : 0;

      if (message != NULL)
        {
          g_autofree char *text = code != 0 ? g_strdup_printf ("HTTP %ld: %s (%" G_GINT64_FORMAT ")", status, message, code)
                                            : g_strdup_printf ("HTTP %ld: %s", status, message);

          return cut_reason (text);
        }
    }
  return g_strdup_printf ("HTTP %ld from the SMS gateway", status);
}

static Outcome
send_sms (Sender  *s,
          Claimed *m)
{
  const TendServerConfig *config = s->outbox->config;
  g_autoptr(GString) form = g_string_new (NULL);
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *text = sms_text (m);
  char errbuf[CURL_ERROR_SIZE] = "";
  CURLcode rc;
  long status = 0;

  if (s->http == NULL)
    s->http = curl_easy_init ();
  curl_easy_reset (s->http);
  append_form (form, s->http, "To", m->recipient);
  append_form (form, s->http, "From", config->sms_from);
  append_form (form, s->http, "Body", text);
  curl_easy_setopt (s->http, CURLOPT_URL, s->sms_endpoint);
  set_common_options (s, s->http, errbuf);
  curl_easy_setopt (s->http, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt (s->http, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (s->http, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
  curl_easy_setopt (s->http, CURLOPT_USERNAME, config->sms_account_sid);
  curl_easy_setopt (s->http, CURLOPT_PASSWORD, config->sms_token != NULL ? config->sms_token : "");
  curl_easy_setopt (s->http, CURLOPT_POSTFIELDS, form->str);
  curl_easy_setopt (s->http, CURLOPT_POSTFIELDSIZE, (long) form->len);
  curl_easy_setopt (s->http, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (s->http, CURLOPT_WRITEDATA, answer);
  rc = curl_easy_perform (s->http);
  curl_easy_getinfo (s->http, CURLINFO_RESPONSE_CODE, &status);
  explicit_bzero (form->str, form->len);
  if (rc == CURLE_OK && status >= 200 && status < 300)
    return OUTCOME_SENT;
  if (rc != CURLE_OK)
    {
      m->reason = cut_reason (*errbuf != '\0' ? errbuf : curl_easy_strerror (rc));
      g_message ("outbox: text message %s (%s) not sent: %s", m->id, m->kind, curl_easy_strerror (rc));
      return OUTCOME_RETRY;
    }
  m->reason = gateway_reason (status, answer->str);
  g_message ("outbox: text message %s (%s) not sent: HTTP %ld", m->id, m->kind, status);
  if (status == 429 || status >= 500 || status == 401 || status == 403)
    return OUTCOME_RETRY;
  return OUTCOME_FAILED;
}

/* The sender's loop */

static const char *
outcome_status (Outcome outcome)
{
  switch (outcome)
    {
    case OUTCOME_SENT: return "sent";
    case OUTCOME_RETRY: return "pending";
    case OUTCOME_FAILED: return "failed";
    case OUTCOME_CANCELLED: return "cancelled";
    default: g_assert_not_reached ();
    }
}

static gboolean
ensure_connection (Sender  *s,
                   GError **error)
{
  if (s->conn != NULL && PQstatus (tend_pg_conn_get_pq (s->conn)) == CONNECTION_OK)
    return TRUE;
  g_clear_pointer (&s->conn, tend_pg_conn_free);
  s->conn = tend_pg_conn_open (s->outbox->config->database, error);
  return s->conn != NULL;
}

/* Rows whose sender died mid-send are due again once their lease ends. */
static gboolean
release_expired (Sender  *s,
                 GError **error)
{
  g_autoptr(PGresult) res = tend_pg_exec (s->conn,
                                          "UPDATE outbox SET status = 'pending', claimed_until = NULL"
                                          " WHERE status = 'sending' AND claimed_until < now ()",
                                          0, NULL, error);
  return res != NULL;
}

static GPtrArray *
claim (Sender  *s,
       GError **error)
{
  const TendServerConfig *config = s->outbox->config;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) claimed = g_ptr_array_new_with_free_func (claimed_free);
  g_autofree char *limit = g_strdup_printf ("%u", config->outbox_batch);
  g_autofree char *lease = g_strdup_printf ("%d", LEASE_SECONDS);
  const char *channels = config->smtp_host != NULL && config->sms_url != NULL ? "{email,sms}" :
                         config->smtp_host != NULL ? "{email}" : config->sms_url != NULL ? "{sms}" : "{}";
  const char *params[] = { limit, channels, lease };

  res = tend_pg_exec (s->conn,
                      "WITH c AS (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= now ()"
                      "           AND channel = ANY ($2::text[])"
                      "           ORDER BY next_attempt_at, id LIMIT $1::int FOR UPDATE SKIP LOCKED)"
                      " UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1,"
                      "   claimed_until = now () + $3::int * interval '1 second'"
                      " FROM c, practice p WHERE o.id = c.id AND p.id = o.practice_id"
                      " RETURNING o.id, o.practice_id, p.name, o.channel, o.recipient, o.subject, o.body_text,"
                      "   o.body_html, o.kind, o.reminder_id, o.attempts",
                      3, params, error);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    {
      Claimed *m = g_new0 (Claimed, 1);

      m->id = tend_pg_dup_value (res, r, 0);
      m->practice_id = tend_pg_dup_value (res, r, 1);
      m->practice_name = tend_pg_dup_value (res, r, 2);
      m->channel = tend_pg_dup_value (res, r, 3);
      m->recipient = tend_pg_dup_value (res, r, 4);
      m->subject = tend_pg_dup_value (res, r, 5);
      m->body_text = tend_pg_dup_value (res, r, 6);
      m->body_html = tend_pg_dup_value (res, r, 7);
      m->kind = tend_pg_dup_value (res, r, 8);
      m->reminder_id = tend_pg_dup_value (res, r, 9);
      m->attempts = tend_pg_get_int (res, r, 10);
      g_ptr_array_add (claimed, m);
    }
  return g_steal_pointer (&claimed);
}

static gint64
retry_delay (const TendServerConfig *config,
             gint64                  attempts)
{
  gint64 delay = config->outbox_retry_s;

  for (gint64 i = 1; i < attempts && delay < MAX_RETRY_DELAY_S; i++)
    delay *= 2;
  return MIN (delay, MAX_RETRY_DELAY_S);
}

/* The outcomes of a batch, and what they mean for reminder records, in
 * one transaction. */
static gboolean
record_outcomes (Sender    *s,
                 GPtrArray *claimed,
                 GError   **error)
{
  const TendServerConfig *config = s->outbox->config;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autoptr(PGresult) res = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < claimed->len; i++)
    {
      Claimed *m = g_ptr_array_index (claimed, i);

      if (m->outcome == OUTCOME_RETRY && m->attempts >= config->outbox_max_attempts)
        {
          g_autofree char *why = g_strdup_printf ("Not sent after %" G_GINT64_FORMAT " attempts: %s",
                                                  m->attempts, m->reason != NULL ? m->reason : "unknown error");

          g_free (m->reason);
          m->reason = cut_reason (why);
          m->outcome = OUTCOME_FAILED;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, m->id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, outcome_status (m->outcome));
      json_builder_set_member_name (b, "delay");
      json_builder_add_int_value (b, m->outcome == OUTCOME_RETRY ? retry_delay (config, m->attempts) : 0);
      json_builder_set_member_name (b, "error");
      if (m->reason != NULL)
        json_builder_add_string_value (b, m->reason);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json = tend_json_to_string (root);

  if (!tend_pg_run (s->conn, "BEGIN", error))
    return FALSE;
  {
    const char *params[] = { json };

    /* Bodies go once nothing more will be sent from them. */
    res = tend_pg_exec (s->conn,
                        "UPDATE outbox o SET status = r.status, claimed_until = NULL, last_error = r.error,"
                        "  next_attempt_at = CASE WHEN r.status = 'pending' THEN now () + r.delay * interval '1 second'"
                        "                    ELSE o.next_attempt_at END,"
                        "  sent_at = CASE WHEN r.status = 'sent' THEN now () END,"
                        "  body_text = CASE WHEN r.status = 'pending' THEN o.body_text ELSE '' END,"
                        "  body_html = CASE WHEN r.status = 'pending' THEN o.body_html END,"
                        "  subject = CASE WHEN r.status = 'pending' THEN o.subject END"
                        " FROM json_to_recordset ($1::json) AS r (id bigint, status text, delay int, error text)"
                        " WHERE o.id = r.id",
                        1, params, error);
  }
  if (res == NULL)
    goto fail;
  {
    g_autofree TendReminderOutcome *outcomes = g_new0 (TendReminderOutcome, claimed->len);
    guint n = 0;

    for (guint i = 0; i < claimed->len; i++)
      {
        Claimed *m = g_ptr_array_index (claimed, i);

        if (m->reminder_id == NULL || m->outcome == OUTCOME_RETRY)
          continue;
        outcomes[n++] = (TendReminderOutcome) {
          m->practice_id, m->reminder_id,
          m->outcome == OUTCOME_SENT ? "sent" : m->outcome == OUTCOME_FAILED ? "failed" : "cancelled",
          m->reason,
        };
      }
    if (!tend_reminders_record_outcomes (s->conn, outcomes, n, error))
      goto fail;
  }
  if (!tend_pg_run (s->conn, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  tend_pg_rollback (s->conn);
  return FALSE;
}

/* outbox-rate: each sender takes its share of the instance's rate. */
static void
pace (Sender *s)
{
  const TendServerConfig *config = s->outbox->config;
  gint64 now = g_get_monotonic_time ();

  if (config->outbox_rate == 0)
    return;
  /* Slots at a fixed spacing: a sender that fell behind (a batch's
   * database work) catches up, but never by more than a second's worth. */
  if (s->next_slot < now - G_USEC_PER_SEC)
    s->next_slot = now;
  if (s->next_slot > now)
    g_usleep ((gulong) (s->next_slot - now));
  s->next_slot += (gint64) G_USEC_PER_SEC * config->outbox_senders / config->outbox_rate;
}

/* Returns how many rows were handled; -1 on a database error. */
static int
send_batch (Sender  *s,
            GError **error)
{
  g_autoptr(GPtrArray) claimed = NULL;

  if (!release_expired (s, error))
    return -1;
  claimed = claim (s, error);
  if (claimed == NULL)
    return -1;
  if (claimed->len == 0)
    return 0;
  for (guint i = 0; i < claimed->len; i++)
    {
      Claimed *m = g_ptr_array_index (claimed, i);
      g_autofree char *stale = NULL;

      /* A reminder is checked again just before it goes: its appointment
       * may have moved or been cancelled while it waited. */
      if (m->reminder_id != NULL)
        {
          if (!tend_reminders_still_due (s->conn, m->practice_id, m->reminder_id, &stale, error))
            return -1;
          if (stale != NULL)
            {
              m->outcome = OUTCOME_CANCELLED;
              m->reason = g_steal_pointer (&stale);
              continue;
            }
        }
      pace (s);
      if (g_strcmp0 (m->channel, "email") == 0)
        m->outcome = send_email (s, m);
      else
        m->outcome = send_sms (s, m);
    }
  if (!record_outcomes (s, claimed, error))
    return -1;
  return (int) claimed->len;
}

static gpointer
sender_thread (gpointer data)
{
  Sender *s = data;
  TendOutbox *outbox = s->outbox;
  const TendServerConfig *config = outbox->config;
  gboolean warned = FALSE;

  /* Sending waits; requests do not: the senders yield the processor to
   * the request workers (as the sign-in threads do).  On Linux a thread's
   * nice value is its own. */
#ifdef SYS_gettid
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Cannot lower the outbox sender's priority: %s", g_strerror (errno));
#endif

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint64 kicks;
      int sent = 0, handed = 0;

      g_mutex_lock (&outbox->lock);
      kicks = outbox->kicks;
      if (outbox->stopping)
        {
          g_mutex_unlock (&outbox->lock);
          break;
        }
      g_mutex_unlock (&outbox->lock);

      if (ensure_connection (s, &error))
        {
          warned = FALSE;
          if (config->reminders)
            handed = tend_reminders_dispatch (s->conn, config, &error);
          if (handed >= 0)
            sent = send_batch (s, &error);
        }
      if (error != NULL)
        {
          /* The database is down or a statement failed: wait a poll. */
          if (!warned)
            g_warning ("outbox: %s", error->message);
          warned = TRUE;
          handed = sent = 0;
          if (s->conn != NULL && PQtransactionStatus (tend_pg_conn_get_pq (s->conn)) != PQTRANS_IDLE)
            tend_pg_rollback (s->conn);
        }

      g_mutex_lock (&outbox->lock);
      /* Straight on while there is more: a full batch of reminders (there
       * may be others), or messages sent (others may be due). */
      if (handed < TEND_REMINDERS_BATCH && sent <= 0 && !outbox->stopping && outbox->kicks == kicks)
        g_cond_wait_until (&outbox->cond, &outbox->lock,
                           g_get_monotonic_time () + (gint64) config->outbox_poll_ms * 1000);
      g_mutex_unlock (&outbox->lock);
    }
  g_clear_pointer (&s->conn, tend_pg_conn_free);
  g_clear_pointer (&s->smtp, curl_easy_cleanup);
  g_clear_pointer (&s->http, curl_easy_cleanup);
  g_free (s->smtp_url);
  g_free (s->sms_endpoint);
  g_free (s);
  return NULL;
}

/* Lifecycle (TendServer) */

TendOutbox *
tend_outbox_new (const TendServerConfig *config)
{
  TendOutbox *outbox = g_new0 (TendOutbox, 1);

  /* Before any thread: curl_global_init is not thread-safe everywhere. */
  curl_global_init (CURL_GLOBAL_DEFAULT);
  outbox->config = config;
  g_mutex_init (&outbox->lock);
  g_cond_init (&outbox->cond);
  outbox->threads = g_ptr_array_new ();
  return outbox;
}

void
tend_outbox_start (TendOutbox *outbox)
{
  const TendServerConfig *config = outbox->config;

  if (outbox->threads->len > 0)
    return;
  for (guint i = 0; i < config->outbox_senders; i++)
    {
      Sender *s = g_new0 (Sender, 1);
      g_autofree char *name = g_strdup_printf ("outbox-%u", i);

      s->outbox = outbox;
      s->index = i;
      if (config->smtp_host != NULL)
        s->smtp_url = g_strdup_printf ("%s://%s:%u", g_strcmp0 (config->smtp_tls, "tls") == 0 ? "smtps" : "smtp",
                                       config->smtp_host, config->smtp_port);
      if (config->sms_url != NULL)
        s->sms_endpoint = g_strdup_printf ("%s%s2010-04-01/Accounts/%s/Messages.json", config->sms_url,
                                           g_str_has_suffix (config->sms_url, "/") ? "" : "/",
                                           config->sms_account_sid);
      g_ptr_array_add (outbox->threads, g_thread_new (name, sender_thread, s));
    }
}

/* Waits for the senders to finish what they are sending. */
void
tend_outbox_stop (TendOutbox *outbox)
{
  g_mutex_lock (&outbox->lock);
  g_atomic_int_set (&outbox->stopping, TRUE);
  g_cond_broadcast (&outbox->cond);
  g_mutex_unlock (&outbox->lock);
  for (guint i = 0; i < outbox->threads->len; i++)
    g_thread_join (g_ptr_array_index (outbox->threads, i));
  g_ptr_array_set_size (outbox->threads, 0);
}

void
tend_outbox_free (TendOutbox *outbox)
{
  if (outbox == NULL)
    return;
  tend_outbox_stop (outbox);
  g_ptr_array_unref (outbox->threads);
  g_mutex_clear (&outbox->lock);
  g_cond_clear (&outbox->cond);
  g_free (outbox);
}

/**
 * tend_outbox_metrics_handler:
 *
 * GET /v1/outbox/metrics: how the practice's outbox stands, for its owner
 * (Preferences shows it; a monitor may poll it): rows due now, sent,
 * failed for good, waiting to be tried again after a failure, and how
 * long the oldest due row has waited.  Counts only, never a recipient or a
 * body.  Read through the outbox_practice index, this practice's rows only.
 */
void
tend_outbox_metrics_handler (TendRequest *req,
                             TendPgConn  *conn)
{
  static const char * const names[] = { "due", "sending", "sent", "failed", "retrying", "oldest_due_seconds" };
  const char *params[] = { req->principal.practice_id };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (req->principal.role != TEND_ROLE_OWNER)
    {
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only the practice's owner reads the outbox's figures");
      return;
    }
  res = tend_pg_exec (conn,
                      "SELECT count (*) FILTER (WHERE status = 'pending' AND next_attempt_at <= now ()),"
                      " count (*) FILTER (WHERE status = 'sending'),"
                      " count (*) FILTER (WHERE status = 'sent'),"
                      " count (*) FILTER (WHERE status = 'failed'),"
                      " count (*) FILTER (WHERE status IN ('pending', 'sending') AND attempts > 0),"
                      " coalesce (floor (extract (epoch FROM now () - min (next_attempt_at)"
                      "   FILTER (WHERE status = 'pending' AND next_attempt_at <= now ()))), 0)::bigint"
                      " FROM outbox WHERE practice_id = $1",
                      1, params, &error);
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      json_builder_add_int_value (b, tend_pg_get_int (res, 0, (int) i));
    }
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}
