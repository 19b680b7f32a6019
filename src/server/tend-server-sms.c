/* tend-server-sms.c: POST /v1/sms/inbound, replies from the SMS gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gateway (Twilio or one that speaks its API) posts each text message
 * a client sends to the practice's number here, as a form with From, To
 * and Body, signed in X-Twilio-Signature: the base64 HMAC-SHA1, keyed with
 * the account's auth token, of the URL the gateway was given
 * (sms-webhook-url) followed by every form field's name and value, sorted
 * by name.  Nothing else authenticates the request, so an unsigned or
 * wrongly signed one is refused (403) before anything is read.
 *
 * "STOP" (and STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT) opts the number out
 * of text messages: it is kept in sms_opt_out (one sending number serves
 * every practice on this server, so the opt-out is the number's), and each
 * client whose mobile number it is gets reminders.sms_opt_out (and the
 * time) as a new revision by the server, so the practice sees it in Tend.
 * "START" (UNSTOP, YES) opts back in.  Anything else is answered with
 * nothing: messages to the practice are not read here.
 *
 * Finding the clients reads every client with a mobile number that ends
 * in the same last seven digits, then compares them whole in C: replies
 * are rare, and phone numbers are stored as typed.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tend-server-private.h"
#include "tend-server-reminders.h"

static const char * const stop_words[] = { "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", NULL };
static const char * const start_words[] = { "START", "UNSTOP", "YES", NULL };

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * tend_sms_signature: (skip)
 *
 * The signature the gateway sends for @form posted to @url.
 */
char *
tend_sms_signature (const char *token,
                    const char *url,
                    GHashTable *form)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) token, strlen (token));
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (form, NULL);
  guint8 digest[20];
  gsize len = sizeof digest;

  qsort (keys, g_hash_table_size (form), sizeof (char *), compare_strings);
  g_hmac_update (hmac, (const guchar *) url, -1);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_hmac_update (hmac, (const guchar *) keys[i], -1);
      g_hmac_update (hmac, (const guchar *) g_hash_table_lookup (form, keys[i]), -1);
    }
  g_hmac_get_digest (hmac, digest, &len);
  return g_base64_encode (digest, len);
}

static gboolean
signature_matches (const char *expected,
                   const char *given)
{
  gsize n = strlen (expected);

  return given != NULL && strlen (given) == n && sodium_memcmp (expected, given, n) == 0;
}

static gboolean
is_word (const char * const *words,
         const char         *text)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (words[i], text) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  char *practice_id;
  char *id;
  char *body;
} Match;

static void
match_free (gpointer data)
{
  Match *m = data;

  g_free (m->practice_id);
  g_free (m->id);
  g_free (m->body);
  g_free (m);
}

static int
compare_match (gconstpointer a,
               gconstpointer b)
{
  const Match *ma = *(Match * const *) a, *mb = *(Match * const *) b;

  return strcmp (ma->practice_id, mb->practice_id);
}

/* Records the opt-out (or back in) of @number on its clients.  Returns how
 * many client records were changed, or -1. */
static int
apply_choice (TendPgConn *conn,
              const char *number,
              gboolean    opt_out,
              GError    **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) changed = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (match_free);
  g_autofree char *tail = g_strdup (number + MAX (0, (int) strlen (number) - 7));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_iso = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  int n = 0;

  {
    const char *params[] = { number };

    changed = tend_pg_exec (conn, opt_out ? "INSERT INTO sms_opt_out (phone) VALUES ($1) ON CONFLICT DO NOTHING"
                                          : "DELETE FROM sms_opt_out WHERE phone = $1",
                            1, params, error);
  }
  if (changed == NULL)
    return -1;
  {
    const char *params[] = { tail };

    res = tend_pg_exec (conn,
                        "SELECT c.practice_id, c.id, c.body, pr.body FROM record c"
                        " LEFT JOIN LATERAL (SELECT body FROM record WHERE practice_id = c.practice_id"
                        "   AND type = 'practice' AND NOT deleted ORDER BY seq DESC LIMIT 1) pr ON true"
                        " WHERE c.type = 'client' AND NOT c.deleted"
                        "   AND regexp_replace (c.body::jsonb ->> 'phone_mobile', '[^0-9]', '', 'g') LIKE '%' || $1"
                        " ORDER BY c.practice_id",
                        1, params, error);
  }
  if (res == NULL)
    return -1;
  for (int r = 0; r < PQntuples (res); r++)
    {
      g_autoptr(TendRecord) client = tend_server_load_record (TEND_TYPE_CLIENT, PQgetvalue (res, r, 1),
                                                              PQgetvalue (res, r, 2));
      g_autoptr(TendRecord) practice = PQgetisnull (res, r, 3) ? NULL :
        tend_server_load_record (TEND_TYPE_PRACTICE, PQgetvalue (res, r, 0), PQgetvalue (res, r, 3));
      g_autofree char *e164 = NULL;

      if (client == NULL)
        continue;
      e164 = tend_reminder_phone_e164 (tend_record_get_string (client, "phone_mobile"),
                                       practice != NULL ? tend_record_get_string (practice, "address.country") : NULL);
      if (g_strcmp0 (e164, number) != 0 ||
          (tend_record_get_int (client, "reminders.sms_opt_out") != 0) == opt_out)
        continue;
      {
        Match *m = g_new0 (Match, 1);

        m->practice_id = g_strdup (PQgetvalue (res, r, 0));
        m->id = g_strdup (PQgetvalue (res, r, 1));
        g_ptr_array_add (matches, m);
      }
    }
  g_ptr_array_sort (matches, compare_match);
  for (guint i = 0; i < matches->len; i++)
    {
      Match *m = g_ptr_array_index (matches, i);
      g_autoptr(PGresult) current = NULL;
      g_autoptr(TendRecord) client = NULL;

      /* Read again under the practice's lock: a push may have changed it. */
      if (!tend_server_lock_practice (conn, m->practice_id, error))
        return -1;
      {
        const char *params[] = { m->practice_id, m->id };

        current = tend_pg_exec (conn, "SELECT body FROM record WHERE practice_id = $1 AND type = 'client'"
                                      " AND id = $2 AND NOT deleted", 2, params, error);
      }
      if (current == NULL)
        return -1;
      if (PQntuples (current) == 0 ||
          (client = tend_server_load_record (TEND_TYPE_CLIENT, m->id, PQgetvalue (current, 0, 0))) == NULL)
        continue;
      tend_record_set_int (client, "reminders.sms_opt_out", opt_out ? 1 : 0);
      tend_record_set_string (client, "reminders.sms_opt_out_at", opt_out ? now_iso : NULL);
      if (!tend_server_write_record (conn, m->practice_id, client, opt_out ? "sms-opt-out" : "sms-opt-in", error))
        return -1;
      n++;
    }
  return n;
}

void
tend_sms_inbound_handler (TendRequest *req,
                          TendPgConn  *conn)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *body = NULL;
  const char *from, *words;
  gsize len = 0;
  const char *data;
  int n;

  if (req->config->sms_webhook_url == NULL || req->config->sms_token == NULL)
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_configured",
                          "This server takes no replies from an SMS gateway (sms-webhook-url is not set)");
      return;
    }
  data = req->body != NULL ? g_bytes_get_data (req->body, &len) : "";
  if (len > 16 * 1024 || memchr (data, '\0', len) != NULL || !g_utf8_validate (data, (gssize) len, NULL))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "Expected a form (application/x-www-form-urlencoded) of at most 16 KiB");
      return;
    }
  text = g_strndup (data, len);
  form = soup_form_decode (text);
  expected = tend_sms_signature (req->config->sms_token, req->config->sms_webhook_url, form);
  if (!signature_matches (expected, req->gateway_signature))
    {
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "invalid_signature",
                          "The request is not signed by the SMS gateway (X-Twilio-Signature)");
      return;
    }
  from = g_hash_table_lookup (form, "From");
  words = g_hash_table_lookup (form, "Body");
  if (from == NULL || !tend_server_is_e164 (from) || words == NULL)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "Expected From (a number in E.164) and Body");
      return;
    }
  body = g_strstrip (g_strdup (words));
  if (is_word (stop_words, body) || is_word (start_words, body))
    {
      gboolean opt_out = is_word (stop_words, body);

      if (!tend_pg_run (conn, "BEGIN", &error) ||
          (n = apply_choice (conn, from, opt_out, &error)) < 0 ||
          !tend_pg_run (conn, "COMMIT", &error))
        {
          tend_pg_rollback (conn);
          tend_request_db_error (req, error);
          return;
        }
      g_message ("SMS %s received: %d client records changed", opt_out ? "opt-out" : "opt-in", n);
    }
  /* An empty TwiML answer: the gateway sends no reply of its own. */
  req->status = SOUP_STATUS_OK;
  req->response_type = "text/xml";
  req->response_bytes = g_bytes_new_static ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
                                            strlen ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"));
}
