/* tend-server-auth.c: passwords, bearer tokens, sign-in and sign-out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords: argon2id through libsodium's crypto_pwhash_str at the
 * interactive limits (64 MiB, a few tens of milliseconds), at most two at
 * a time so a burst of sign-ins cannot take the machine's memory.
 *
 * Tokens: 32 random bytes, base64url, given to the client once; the server
 * keeps only their SHA-256, so a copy of the session table opens nothing.
 *
 * Sign-in attempts are counted per account and per remote address in
 * PostgreSQL (so every instance sees them), before the password is checked
 * (see attempt_begin ()); past the limit within the window the answer is
 * 429 with Retry-After.  Authenticator codes work once.  Unknown accounts cost the same argon2id verification as known
 * ones, so timing does not tell which emails exist.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tend-server-auth.h"
#include "tend-server-private.h"
#include "tend-totp.h"

#define MAX_CONCURRENT_HASHES 2

static GMutex hash_lock;
static GCond hash_cond;
static guint hashes_running;
static char *dummy_hash;

gboolean
tend_auth_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      gboolean ok = sodium_init () >= 0;

      if (ok)
        dummy_hash = tend_auth_hash_password ("tend-server: not a real password");
      g_once_init_leave (&done, ok ? 1 : 2);
    }
  return done == 1;
}

static void
hash_slot_enter (void)
{
  g_mutex_lock (&hash_lock);
  while (hashes_running >= MAX_CONCURRENT_HASHES)
    g_cond_wait (&hash_cond, &hash_lock);
  hashes_running++;
  g_mutex_unlock (&hash_lock);
}

static void
hash_slot_leave (void)
{
  g_mutex_lock (&hash_lock);
  hashes_running--;
  g_cond_signal (&hash_cond);
  g_mutex_unlock (&hash_lock);
}

/* Returns: (transfer full) (nullable): the hash string, %NULL when out of memory */
char *
tend_auth_hash_password (const char *password)
{
  char out[crypto_pwhash_STRBYTES];
  int rc;

  hash_slot_enter ();
  rc = crypto_pwhash_str (out, password, strlen (password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  hash_slot_leave ();
  return rc == 0 ? g_strdup (out) : NULL;
}

/* @hash may be %NULL (no such account): the work is done all the same. */
gboolean
tend_auth_verify_password (const char *hash,
                           const char *password)
{
  int rc;

  hash_slot_enter ();
  rc = crypto_pwhash_str_verify (hash != NULL ? hash : dummy_hash, password, strlen (password));
  hash_slot_leave ();
  return hash != NULL && rc == 0;
}

char *
tend_auth_new_token (void)
{
  guint8 raw[32];
  char out[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (out, sizeof out, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  return g_strdup (out);
}

/* "\x<hex>": a bytea in PostgreSQL's text format. */
char *
tend_auth_bytea_hex (const guint8 *data,
                     gsize         len)
{
  char *out = g_malloc (len * 2 + 3);

  out[0] = '\\';
  out[1] = 'x';
  sodium_bin2hex (out + 2, len * 2 + 1, data, len);
  return out;
}

char *
tend_auth_token_hash (const char *token)
{
  guint8 digest[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (digest, (const guint8 *) token, strlen (token));
  return tend_auth_bytea_hex (digest, sizeof digest);
}

/* Sign-in */

static void
reply_retry_after (TendRequest *req,
                   gint64       seconds)
{
  req->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (seconds, 1));
  tend_request_error (req, 429 /* Too Many Requests: not in libsoup 3.2's enum */, "rate_limited",
                      "Too many sign-in attempts: try again in %" G_GINT64_FORMAT " seconds",
                      MAX (seconds, 1));
}

/*
 * One attempt at a password or an authenticator code, counted before it is
 * checked.  attempt_begin() takes advisory locks on the attempt's keys (the
 * account's first, then the address's: two attempts never wait on each
 * other in a circle), checks the limits and inserts the rows that count the
 * attempt as a failure, in one short transaction.  So sixty wrong tries at
 * once get exactly as many checks as the limit allows.  A right answer
 * removes the reservation again (attempt_passed()); a wrong one leaves it,
 * and it is the failure.
 *
 * Successful sign-ins count too ("signin:" rows, login-max-signins per
 * account in the window): a valid password cannot be used to make the
 * server hash without end.
 */
typedef struct
{
  char *account_key;    /* "account:<lower email>" */
  char *address_key;    /* "address:<remote address>" */
  char *signin_key;     /* "signin:<lower email>" */
  char *account_row;    /* the reservation's login_failure ids */
  char *address_row;
} Attempt;

static void
attempt_clear (Attempt *a)
{
  g_free (a->account_key);
  g_free (a->address_key);
  g_free (a->signin_key);
  g_free (a->account_row);
  g_free (a->address_row);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Attempt, attempt_clear)

static void
attempt_init (Attempt     *a,
              TendRequest *req,
              const char  *email)
{
  g_autofree char *email_lower = g_utf8_strdown (email, -1);

  memset (a, 0, sizeof *a);
  a->account_key = g_strconcat ("account:", email_lower, NULL);
  a->address_key = g_strconcat ("address:", req->remote, NULL);
  a->signin_key = g_strconcat ("signin:", email_lower, NULL);
}

/* FALSE when the request was answered (429) or on @error. */
static gboolean
attempt_begin (TendRequest *req,
               TendPgConn  *conn,
               Attempt     *a,
               GError     **error)
{
  g_autofree char *window = g_strdup_printf ("%u", req->config->login_window_s);
  g_autofree char *limit = g_strdup_printf ("%u", req->config->login_max_failures);
  g_autofree char *address_limit = g_strdup_printf ("%u", req->config->login_max_failures_per_address);
  g_autofree char *signin_limit = g_strdup_printf ("%u", req->config->login_max_signins);
  const char *params[] = { a->account_key, a->address_key, window, limit, address_limit,
                           a->signin_key, signin_limit };
  g_autoptr(PGresult) locked = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) rows = NULL;
  gint64 wait_s;

  if (!tend_pg_run (conn, "BEGIN", error))
    return FALSE;
  locked = tend_pg_exec (conn, "SELECT pg_advisory_xact_lock (7428116, hashtext ($1))", 1, params, error);
  if (locked == NULL)
    goto fail;
  g_clear_pointer (&locked, PQclear);
  locked = tend_pg_exec (conn, "SELECT pg_advisory_xact_lock (7428117, hashtext ($1))", 1, params + 1, error);
  if (locked == NULL)
    goto fail;
  /* For each key at its limit: when its oldest row leaves the window. */
  res = tend_pg_exec (conn,
                      "SELECT coalesce (max (ceil (extract (epoch FROM oldest + make_interval (secs => $3::int) - now ()))), 0)"
                      " FROM (SELECT key, min (at) AS oldest FROM login_failure"
                      "       WHERE key IN ($1, $2, $6) AND at > now () - make_interval (secs => $3::int)"
                      "       GROUP BY key HAVING count (*) >= CASE key WHEN $1 THEN $4::int WHEN $2 THEN $5::int"
                      "                                        ELSE $7::int END) AS limited",
                      7, params, error);
  if (res == NULL)
    goto fail;
  wait_s = tend_pg_get_int (res, 0, 0);
  if (wait_s > 0)
    {
      if (!tend_pg_run (conn, "COMMIT", error))
        goto fail;
      reply_retry_after (req, wait_s);
      return FALSE;
    }
  /* The rows that left the window go at the same time: the table stays as
   * small as the attacks it records. */
  {
    const char *insert_params[] = { a->account_key, a->address_key, window, a->signin_key };

    rows = tend_pg_exec (conn,
                         "WITH old AS (DELETE FROM login_failure WHERE key IN ($1, $2, $4)"
                         "             AND at < now () - make_interval (secs => $3::int))"
                         " INSERT INTO login_failure (key) VALUES ($1), ($2) RETURNING id, key = $1",
                         4, insert_params, error);
  }
  if (rows == NULL || !tend_pg_run (conn, "COMMIT", error))
    goto fail;
  for (int i = 0; i < PQntuples (rows); i++)
    {
      if (tend_pg_get_bool (rows, i, 1))
        a->account_row = tend_pg_dup_value (rows, i, 0);
      else
        a->address_row = tend_pg_dup_value (rows, i, 0);
    }
  return TRUE;

fail:
  tend_pg_rollback (conn);
  return FALSE;
}

/* The answer was right (and not a sign-in: that forgets the account's
 * failures in its own statement): the reservation is no failure. */
static gboolean
attempt_passed (TendPgConn *conn,
                Attempt    *a,
                GError    **error)
{
  const char *params[] = { a->account_row, a->address_row };
  g_autoptr(PGresult) res = tend_pg_exec (conn, "DELETE FROM login_failure WHERE id IN ($1::bigint, $2::bigint)",
                                          2, params, error);

  return res != NULL;
}

static JsonNode *
user_node (const char *account_id,
           const char *practice_id,
           const char *staff_id,
           const char *email,
           const char *name,
           const char *role)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, account_id);
  json_builder_set_member_name (b, "practice_id");
  json_builder_add_string_value (b, practice_id);
  json_builder_set_member_name (b, "staff_id");
  json_builder_add_string_value (b, staff_id);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, role);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
member_string (JsonObject  *obj,
               const char  *name,
               gboolean     required,
               TendRequest *req,
               gboolean    *ok)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“%s” is required", name);
          *ok = FALSE;
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“%s” must be a string", name);
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

/* The authenticator code @code is right for the secret in @column of
 * @res's first row; @step: the time step it is for. */
static gboolean
code_matches (PGresult   *res,
              int         column,
              const char *code,
              gint64     *step)
{
  size_t len = 0;
  guchar *secret;
  gboolean ok;

  if (PQgetisnull (res, 0, column) || code == NULL)
    return FALSE;
  secret = PQunescapeBytea ((const guchar *) PQgetvalue (res, 0, column), &len);
  if (secret == NULL)
    return FALSE;
  ok = tend_totp_verify_step (secret, len, code, g_get_real_time () / G_USEC_PER_SEC, step);
  sodium_memzero (secret, len);
  PQfreemem (secret);
  return ok;
}

/* A code works once: its step must come after the last one accepted for
 * the account, and becomes the last one, in one statement (two sign-ins
 * with the same code at once: one wins). */
static gboolean
take_totp_step (TendPgConn  *conn,
                const char  *account_id,
                gint64       step,
                gboolean    *taken,
                GError     **error)
{
  g_autofree char *step_text = g_strdup_printf ("%" G_GINT64_FORMAT, step);
  const char *params[] = { account_id, step_text };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "UPDATE account SET totp_last_step = $2::bigint WHERE id = $1"
                                          " AND (totp_last_step IS NULL OR totp_last_step < $2::bigint)",
                                          2, params, error);

  if (res == NULL)
    return FALSE;
  *taken = g_strcmp0 (PQcmdTuples (res), "1") == 0;
  return TRUE;
}

void
tend_session_login_handler (TendRequest *req,
                            TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) account = NULL;
  g_autofree char *email_lower = NULL;
  g_auto(Attempt) attempt = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *lifetime = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *email, *password, *totp;
  gboolean ok = TRUE, found, taken = FALSE;

  if (root == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The body must be a JSON object");
      return;
    }
  email = member_string (json_node_get_object (root), "email", TRUE, req, &ok);
  password = ok ? member_string (json_node_get_object (root), "password", TRUE, req, &ok) : NULL;
  totp = ok ? member_string (json_node_get_object (root), "totp", FALSE, req, &ok) : NULL;
  if (!ok)
    return;
  if (strlen (email) > 254 || strlen (password) > 1024)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The email or password is too long");
      return;
    }

  email_lower = g_utf8_strdown (email, -1);
  attempt_init (&attempt, req, email);
  if (!attempt_begin (req, conn, &attempt, &error))
    goto answered_or_error;

  {
    const char *params[] = { email_lower };

    account = tend_pg_exec (conn,
                            "SELECT a.id, a.practice_id, a.staff_id, a.email, a.display_name, a.role,"
                            " a.password_hash, a.totp_secret, a.totp_last_step"
                            " FROM account a WHERE lower (a.email) = $1 AND a.active",
                            1, params, &error);
  }
  if (account == NULL)
    goto db_error;
  found = PQntuples (account) == 1;

  if (!tend_auth_verify_password (found ? PQgetvalue (account, 0, 6) : NULL, password))
    {
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                          "The email or password is not correct");
      return;
    }

  if (!PQgetisnull (account, 0, 7))
    {
      gint64 step = -1;

      if (totp == NULL)
        {
          /* The password was right: asking for the code is no failure. */
          if (!attempt_passed (conn, &attempt, &error))
            goto db_error;
          tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "totp_required",
                              "This account needs the code from its authenticator app (“totp”)");
          return;
        }
      if (!code_matches (account, 7, totp, &step))
        {
          tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_totp",
                              "The authenticator code is not correct");
          return;
        }
      if (!take_totp_step (conn, PQgetvalue (account, 0, 0), step, &taken, &error))
        goto db_error;
      if (!taken)
        {
          tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_totp",
                              "This authenticator code was used already: wait for the next one");
          return;
        }
    }

  token = tend_auth_new_token ();
  token_hash = tend_auth_token_hash (token);
  lifetime = g_strdup_printf ("%" G_GINT64_FORMAT, req->config->token_lifetime_s);
  {
    const char *params[] = { token_hash, PQgetvalue (account, 0, 1), PQgetvalue (account, 0, 0), lifetime,
                             attempt.account_key, attempt.address_row, attempt.signin_key };
    g_autoptr(PGresult) res = NULL;

    /* One round trip: the session, the account's failures forgotten (and
     * this attempt's reservation), the sign-in counted. */
    res = tend_pg_exec (conn,
                        "WITH s AS (INSERT INTO session (token_hash, practice_id, account_id, expires_at)"
                        "           VALUES ($1::bytea, $2, $3, now () + make_interval (secs => $4::int))"
                        "           RETURNING to_char (expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')),"
                        " f AS (DELETE FROM login_failure WHERE key = $5 OR id = $6::bigint),"
                        " g AS (INSERT INTO login_failure (key) VALUES ($7)),"
                        /* The account's expired sessions, while we are here. */
                        " e AS (DELETE FROM session WHERE account_id = $3 AND expires_at <= now ())"
                        " SELECT * FROM s",
                        7, params, &error);
    if (res == NULL)
      goto db_error;

    req->principal.account_id = g_strdup (PQgetvalue (account, 0, 0));
    req->principal.practice_id = g_strdup (PQgetvalue (account, 0, 1));
    if (!tend_request_audit (req, conn, "login", NULL, NULL, NULL, &error))
      goto db_error;

    b = json_builder_new ();
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "token");
    json_builder_add_string_value (b, token);
    json_builder_set_member_name (b, "expires_at");
    json_builder_add_string_value (b, PQgetvalue (res, 0, 0));
    json_builder_set_member_name (b, "user");
    json_builder_add_value (b, user_node (PQgetvalue (account, 0, 0), PQgetvalue (account, 0, 1),
                                          PQgetvalue (account, 0, 2), PQgetvalue (account, 0, 3),
                                          PQgetvalue (account, 0, 4), PQgetvalue (account, 0, 5)));
    json_builder_end_object (b);
  }
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
  return;

answered_or_error:
  if (error == NULL)
    return;
db_error:
  tend_request_db_error (req, error);
}

/**
 * tend_session_authenticate:
 *
 * Fills @req's principal from its bearer token.  Answers 401 itself (and
 * returns %FALSE without @error) when the token is missing, unknown or
 * expired.
 */
gboolean
tend_session_authenticate (TendRequest *req,
                           TendPgConn  *conn,
                           GError     **error)
{
  g_autofree char *hash = NULL;
  const char *token = NULL;

  if (req->authorization != NULL && g_ascii_strncasecmp (req->authorization, "Bearer ", 7) == 0)
    token = req->authorization + 7;
  while (token != NULL && *token == ' ')
    token++;
  if (token == NULL || *token == '\0' || strlen (token) > 128)
    {
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                          "Sign in first: send “Authorization: Bearer TOKEN”");
      return FALSE;
    }

  hash = tend_auth_token_hash (token);
  if (!tend_session_principal_from_hash (conn, hash, &req->principal, error))
    return FALSE;
  if (req->principal.account_id == NULL)
    {
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                          "The session has expired or was signed out: sign in again");
      return FALSE;
    }
  req->principal.token_hash = g_steal_pointer (&hash);
  return TRUE;
}

/**
 * tend_session_principal_from_hash:
 * @token_hash: "\x…", as tend_auth_token_hash () writes it
 *
 * Fills @principal (which must be empty) with the account the session
 * belongs to, as it is now; leaves it empty when the session has expired,
 * was signed out, or its account was turned off.  The live channel asks
 * again before it sends records (tend-server-live.c).
 *
 * Returns: %FALSE on a database error
 */
gboolean
tend_session_principal_from_hash (TendPgConn    *conn,
                                  const char    *token_hash,
                                  TendPrincipal *principal,
                                  GError       **error)
{
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { token_hash };

  res = tend_pg_exec (conn,
                      "SELECT a.id, a.practice_id, a.staff_id, a.email, a.display_name, a.role"
                      " FROM session s JOIN account a ON a.id = s.account_id"
                      " WHERE s.token_hash = $1::bytea AND s.expires_at > now () AND a.active",
                      1, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    return TRUE;
  principal->account_id = tend_pg_dup_value (res, 0, 0);
  principal->practice_id = tend_pg_dup_value (res, 0, 1);
  principal->staff_id = tend_pg_dup_value (res, 0, 2);
  principal->email = tend_pg_dup_value (res, 0, 3);
  principal->display_name = tend_pg_dup_value (res, 0, 4);
  if (!tend_role_from_string (PQgetvalue (res, 0, 5), &principal->role))
    principal->role = TEND_ROLE_FRONT_DESK;  /* unreachable: the column is checked */
  return TRUE;
}

void
tend_principal_clear (TendPrincipal *principal)
{
  g_free (principal->account_id);
  g_free (principal->practice_id);
  g_free (principal->staff_id);
  g_free (principal->email);
  g_free (principal->display_name);
  g_free (principal->token_hash);
  g_free (principal->guest_session_id);
  g_free (principal->guest_id);
  g_free (principal->guest_rejoin);
  memset (principal, 0, sizeof *principal);
}

void
tend_session_logout_handler (TendRequest *req,
                             TendPgConn  *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { req->principal.token_hash, req->principal.practice_id };

  /* Durable: a sign-out must survive a database crash. */
  if (!tend_pg_run (conn, "BEGIN", &error) ||
      !tend_pg_run (conn, "SET LOCAL synchronous_commit = on", &error) ||
      (res = tend_pg_exec (conn, "DELETE FROM session WHERE token_hash = $1::bytea AND practice_id = $2",
                           2, params, &error)) == NULL ||
      !tend_request_audit (req, conn, "logout", NULL, NULL, NULL, &error) ||
      !tend_pg_run (conn, "COMMIT", &error))
    {
      tend_pg_rollback (conn);
      tend_request_db_error (req, error);
      return;
    }
  tend_request_reply_take (req, SOUP_STATUS_OK, g_strdup ("{\"signed_out\":true}"));
}

/* One's own second factor
 *
 *   GET    /v1/me/totp           {"enabled"}
 *   POST   /v1/me/totp           {"password"} -> {"secret", "uri"}, pending
 *   POST   /v1/me/totp/confirm   {"code"}: turns it on
 *   DELETE /v1/me/totp           {"password", "code"}: turns it off
 *
 * Starting and turning off ask for the password again (a stolen session
 * must not change how its owner signs in), counted with the sign-in
 * failures; the pending secret lasts ten minutes and needs a right code
 * before it counts, so nobody is locked out by a half-done set-up. */

#define TOTP_PENDING_S 600

static JsonObject *
body_object (TendRequest *req,
             JsonNode    *root)
{
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

/* The password checked as at sign-in, with its failures counted; FALSE
 * when the request was answered (wrong, limited) or on @error.  On success
 * @attempt is still reserved: the caller passes or fails it. */
static gboolean
recheck_password (TendRequest *req,
                  TendPgConn  *conn,
                  const char  *password,
                  Attempt     *attempt,
                  PGresult   **account,
                  GError     **error)
{
  const char *params[] = { req->principal.account_id, req->principal.practice_id };

  *account = NULL;
  attempt_init (attempt, req, req->principal.email);
  if (!attempt_begin (req, conn, attempt, error))
    return FALSE;
  *account = tend_pg_exec (conn, "SELECT password_hash, totp_secret FROM account WHERE id = $1 AND practice_id = $2",
                           2, params, error);
  if (*account == NULL)
    return FALSE;
  if (PQntuples (*account) != 1 || !tend_auth_verify_password (PQgetvalue (*account, 0, 0), password))
    {
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "invalid_credentials", "The password is not correct");
      return FALSE;
    }
  return TRUE;
}

/* The account's change (@sql, on $1 = the account, $2 = its practice,
 * $3 = the step of the code given, and only when the code's step comes
 * after the last accepted) and its audit row, durably, then the answer. */
static void
change_totp (TendRequest *req,
             TendPgConn  *conn,
             const char  *sql,
             gint64       step,
             const char  *action,
             gboolean     enabled)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *step_text = g_strdup_printf ("%" G_GINT64_FORMAT, step);
  const char *params[] = { req->principal.account_id, req->principal.practice_id, step_text };

  if (!tend_pg_run (conn, "BEGIN", &error) ||
      !tend_pg_run (conn, "SET LOCAL synchronous_commit = on", &error) ||
      (res = tend_pg_exec (conn, sql, 3, params, &error)) == NULL)
    goto fail;
  if (g_strcmp0 (PQcmdTuples (res), "1") != 0)
    {
      tend_pg_rollback (conn);
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_totp",
                          "This authenticator code was used already: wait for the next one");
      return;
    }
  if (!tend_request_audit (req, conn, action, "account", req->principal.account_id, NULL, &error) ||
      !tend_pg_run (conn, "COMMIT", &error))
    goto fail;
  tend_request_reply_take (req, SOUP_STATUS_OK, g_strdup (enabled ? "{\"enabled\":true}" : "{\"enabled\":false}"));
  return;

fail:
  tend_pg_rollback (conn);
  tend_request_db_error (req, error);
}

void
tend_totp_status_handler (TendRequest *req,
                          TendPgConn  *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { req->principal.account_id, req->principal.practice_id };

  res = tend_pg_exec (conn, "SELECT totp_secret IS NOT NULL FROM account WHERE id = $1 AND practice_id = $2",
                      2, params, &error);
  if (res == NULL || PQntuples (res) != 1)
    {
      tend_request_db_error (req, error);
      return;
    }
  tend_request_reply_take (req, SOUP_STATUS_OK,
                           g_strdup_printf ("{\"enabled\":%s}", tend_pg_get_bool (res, 0, 0) ? "true" : "false"));
}

void
tend_totp_begin_handler (TendRequest *req,
                         TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) account = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *secret32 = NULL;
  g_autofree char *label = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(Attempt) attempt = { 0 };
  const char *password;
  gboolean ok = TRUE;
  guint8 secret[20];

  if (obj == NULL)
    return;
  password = member_string (obj, "password", TRUE, req, &ok);
  if (!ok)
    return;
  if (!recheck_password (req, conn, password, &attempt, &account, &error) ||
      !attempt_passed (conn, &attempt, &error))
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  if (!PQgetisnull (account, 0, 1))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "totp_enabled",
                          "Two-step verification is on already: turn it off first to change the authenticator");
      return;
    }
  randombytes_buf (secret, sizeof secret);
  hex = tend_auth_bytea_hex (secret, sizeof secret);
  secret32 = tend_base32_encode (secret, sizeof secret);
  sodium_memzero (secret, sizeof secret);
  {
    const char *params[] = { req->principal.account_id, req->principal.practice_id, hex };

    res = tend_pg_exec (conn, "UPDATE account SET totp_pending = $3::bytea, totp_pending_at = now ()"
                              " WHERE id = $1 AND practice_id = $2",
                        3, params, &error);
  }
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  label = g_uri_escape_string (req->principal.email, "@", FALSE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "secret");
  json_builder_add_string_value (b, secret32);
  json_builder_set_member_name (b, "uri");
  {
    g_autofree char *uri = g_strdup_printf ("otpauth://totp/Tend:%s?secret=%s&issuer=Tend&algorithm=SHA1&digits=6&period=30",
                                            label, secret32);

    json_builder_add_string_value (b, uri);
  }
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
  sodium_memzero (secret32, strlen (secret32));
}

void
tend_totp_confirm_handler (TendRequest *req,
                           TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_auto(Attempt) attempt = { 0 };
  const char *params[] = { req->principal.account_id, req->principal.practice_id };
  const char *code;
  gboolean ok = TRUE;
  gint64 step = -1;

  if (obj == NULL)
    return;
  code = member_string (obj, "code", TRUE, req, &ok);
  if (!ok)
    return;
  res = tend_pg_exec (conn, "SELECT totp_pending,"
                            " totp_pending_at > now () - make_interval (secs => " G_STRINGIFY (TOTP_PENDING_S) ")"
                            " FROM account WHERE id = $1 AND practice_id = $2",
                      2, params, &error);
  if (res == NULL || PQntuples (res) != 1)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQgetisnull (res, 0, 0) || !tend_pg_get_bool (res, 0, 1))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "no_pending_totp",
                          "There is no set-up waiting (it lasts ten minutes): start again");
      return;
    }
  /* A wrong code here counts like a wrong sign-in. */
  attempt_init (&attempt, req, req->principal.email);
  if (!attempt_begin (req, conn, &attempt, &error))
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  if (!code_matches (res, 0, code, &step))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_totp", "The authenticator code is not correct");
      return;
    }
  if (!attempt_passed (conn, &attempt, &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  change_totp (req, conn, "UPDATE account SET totp_secret = totp_pending, totp_pending = NULL,"
                          " totp_pending_at = NULL, totp_last_step = $3::bigint WHERE id = $1 AND practice_id = $2",
               step, "enable-totp", TRUE);
}

void
tend_totp_disable_handler (TendRequest *req,
                           TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) account = NULL;
  g_auto(Attempt) attempt = { 0 };
  const char *password, *code;
  gboolean ok = TRUE;
  gint64 step = -1;

  if (obj == NULL)
    return;
  password = member_string (obj, "password", TRUE, req, &ok);
  code = ok ? member_string (obj, "code", TRUE, req, &ok) : NULL;
  if (!ok)
    return;
  /* One attempt for both: a wrong code keeps it as a failure. */
  if (!recheck_password (req, conn, password, &attempt, &account, &error))
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  if (PQgetisnull (account, 0, 1))
    {
      if (!attempt_passed (conn, &attempt, &error))
        tend_request_db_error (req, error);
      else
        tend_request_error (req, SOUP_STATUS_CONFLICT, "totp_disabled", "Two-step verification is off already");
      return;
    }
  if (!code_matches (account, 1, code, &step))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_totp", "The authenticator code is not correct");
      return;
    }
  if (!attempt_passed (conn, &attempt, &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  change_totp (req, conn, "UPDATE account SET totp_secret = NULL, totp_pending = NULL, totp_pending_at = NULL,"
                          " totp_last_step = NULL WHERE id = $1 AND practice_id = $2"
                          " AND (totp_last_step IS NULL OR totp_last_step < $3::bigint)",
               step, "disable-totp", FALSE);
}
