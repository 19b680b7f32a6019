/* tend-server-portal.c: the client portal's accounts, sign-in and sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clients are not staff: their accounts (portal_account) are their own
 * table, they sign in without a password, and a portal session reaches
 * nothing of the staff API (it is a cookie, never a bearer token).
 *
 * Sign-in.  POST /v1/portal/signin/code with an e-mail address always
 * answers the same {"sent":true}, whether the address has an account or
 * not; for each active account with it (one per practice) the server
 * makes a six-digit code and a single-use link, both for ten minutes, and
 * e-mails them.  Only hashes are kept: SHA-256 of "<account id>:<code>"
 * for a code (the account id salts it), SHA-256 of the 32 random bytes of
 * a link.  A code takes at most PORTAL_CODE_ATTEMPTS guesses, counted
 * before the comparison in one UPDATE, then it is spent; a new code spends
 * the old ones.  Requests are limited per e-mail address and per remote
 * address (login_failure rows with "portal-" keys), the same for known
 * and unknown addresses.
 *
 * Sessions.  The cookie (HttpOnly, SameSite=Strict, Secure unless the
 * server speaks plain HTTP on loopback, which only tests do) holds a
 * random token whose SHA-256 is the session's key; each request moves
 * its expiry PORTAL_IDLE_S ahead, never past PORTAL_MAX_S after sign-in.
 * Every write must carry the session's CSRF token in X-CSRF-Token and a
 * JSON body.  Sign-out ends this session or, "everywhere", all of the
 * account's.
 *
 * Records.  What a client reads and writes is the record policy's
 * TendClientAccess of each type (src/core), with the client taken from
 * the session (tend-server-sync.c's TendClientActor), never from the
 * body: another client's record answers 404 like one that does not exist.
 * Every client action is audited under the portal account.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tend-portal-resources.h"
#include "tend-server-auth.h"
#include "tend-server-consent-pdf.h"
#include "tend-server-portal.h"
#include "tend-server-portal-live.h"
#include "tend-server-private.h"
#include "tend-server-sync.h"

#define PORTAL_CODE_TTL_S        (10 * 60)
#define PORTAL_INVITE_TTL_S      (7 * 24 * 60 * 60)
#define PORTAL_CODE_ATTEMPTS     5
#define PORTAL_IDLE_S            (30 * 60)
#define PORTAL_MAX_S             (12 * 60 * 60)
#define PORTAL_RATE_WINDOW_S     (15 * 60)
#define PORTAL_CODES_PER_EMAIL   5
#define PORTAL_CODES_PER_ADDRESS 30
#define PORTAL_FAILURES_PER_ADDRESS 30
#define PORTAL_COOKIE            "tend_portal"
#define PORTAL_DEFAULT_LATE_HOURS 24

#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';" \
            " form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

typedef struct
{
  char *account_id;
  char *practice_id;
  char *client_id;
  char *email;
  char *language;
  char *csrf;
  char *related_person_id;   /* a guardian's account: the related person it acts as */
  char *token_hash;
  gint64 expires_s;
} PortalSession;

static void
portal_session_clear (PortalSession *s)
{
  g_free (s->account_id);
  g_free (s->practice_id);
  g_free (s->client_id);
  g_free (s->email);
  g_free (s->language);
  g_free (s->csrf);
  g_free (s->related_person_id);
  g_free (s->token_hash);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PortalSession, portal_session_clear)

/* Headers every portal answer carries. */
static void
add_security_headers (TendRequest *req)
{
  tend_request_add_header (req, "Content-Security-Policy", CSP);
  tend_request_add_header (req, "X-Content-Type-Options", "nosniff");
  tend_request_add_header (req, "Referrer-Policy", "no-referrer");
  tend_request_add_header (req, "X-Frame-Options", "DENY");
}

static void
reply_not_found (TendRequest *req)
{
  tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such record");
}

static const char *
header (TendRequest *req,
        const char  *name)
{
  return req->request_headers != NULL ? soup_message_headers_get_one (req->request_headers, name) : NULL;
}

/* The Secure flag, unless this server speaks plain HTTP (on loopback:
 * tend-server refuses plain HTTP anywhere else) with no proxy in front. */
static gboolean
cookie_secure (TendRequest *req)
{
  return req->config->tls_cert != NULL || req->config->trusted_proxies != NULL;
}

static void
set_cookie (TendRequest *req,
            const char  *token,
            gint64       max_age)
{
  g_autofree char *cookie = g_strdup_printf (PORTAL_COOKIE "=%s; Path=/; Max-Age=%" G_GINT64_FORMAT
                                             "; HttpOnly; SameSite=Strict%s",
                                             token != NULL ? token : "", max_age,
                                             cookie_secure (req) ? "; Secure" : "");

  tend_request_add_header (req, "Set-Cookie", cookie);
}

/* The session token from the Cookie header, or %NULL. */
static char *
cookie_token (TendRequest *req)
{
  const char *cookies = header (req, "Cookie");
  g_auto(GStrv) parts = NULL;

  if (cookies == NULL)
    return NULL;
  parts = g_strsplit (cookies, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];

      while (*p == ' ')
        p++;
      if (g_str_has_prefix (p, PORTAL_COOKIE "=") && strlen (p) > strlen (PORTAL_COOKIE "=") &&
          strlen (p) < 128)
        return g_strdup (p + strlen (PORTAL_COOKIE "="));
    }
  return NULL;
}

static gboolean
constant_equal (const char *a,
                const char *b)
{
  gsize n = a != NULL ? strlen (a) : 0;

  return a != NULL && b != NULL && n == strlen (b) && n > 0 && sodium_memcmp (a, b, n) == 0;
}

/* Writes need a JSON body (a cross-site form cannot send one without a
 * preflight this server never grants) and the session's CSRF token. */
static gboolean
check_write (TendRequest   *req,
             PortalSession *s)
{
  const char *type = header (req, "Content-Type");

  if (s != NULL && !constant_equal (header (req, "X-CSRF-Token"), s->csrf))
    {
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "csrf", "The request lacks this session's CSRF token");
      return FALSE;
    }
  if (type == NULL || g_ascii_strncasecmp (type, "application/json", 16) != 0)
    {
      tend_request_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "invalid_request", "Send JSON");
      return FALSE;
    }
  return TRUE;
}

/* The session from the cookie, its expiry moved on unless @extend is
 * %FALSE (the event stream: an open page alone keeps no session alive);
 * answers 401 itself. */
static gboolean
portal_authenticate (TendRequest   *req,
                     TendPgConn    *conn,
                     gboolean       extend,
                     PortalSession *s,
                     GError       **error)
{
  g_autofree char *token = cookie_token (req);
  g_autofree char *hash = NULL;
  g_autoptr(PGresult) res = NULL;

  if (token == NULL)
    {
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "Sign in first");
      return FALSE;
    }
  hash = tend_auth_token_hash (token);
  {
    const char *params[] = { hash };

    res = tend_pg_exec (conn,
                        extend
                        ? "UPDATE portal_session s SET expires_at = least (now () + make_interval (secs => " G_STRINGIFY (PORTAL_IDLE_S) "), s.created_at"
                          " + make_interval (secs => " G_STRINGIFY (PORTAL_MAX_S) ")) FROM portal_account a"
                          " WHERE s.token_hash = $1::bytea AND s.expires_at > now () AND a.id = s.account_id AND a.active"
                          " RETURNING a.id, a.practice_id, a.client_id, a.email, a.language, s.csrf_token,"
                          " a.related_person_id, extract (epoch FROM s.expires_at)::bigint"
                        : "SELECT a.id, a.practice_id, a.client_id, a.email, a.language, s.csrf_token,"
                          " a.related_person_id, extract (epoch FROM s.expires_at)::bigint"
                          " FROM portal_session s JOIN portal_account a ON a.id = s.account_id"
                          " WHERE s.token_hash = $1::bytea AND s.expires_at > now () AND a.active",
                        1, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    {
      set_cookie (req, NULL, 0);
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                          "The session has expired or was signed out: sign in again");
      return FALSE;
    }
  s->account_id = tend_pg_dup_value (res, 0, 0);
  s->practice_id = tend_pg_dup_value (res, 0, 1);
  s->client_id = tend_pg_dup_value (res, 0, 2);
  s->email = tend_pg_dup_value (res, 0, 3);
  s->language = tend_pg_dup_value (res, 0, 4);
  s->csrf = tend_pg_dup_value (res, 0, 5);
  s->related_person_id = PQgetisnull (res, 0, 6) ? NULL : tend_pg_dup_value (res, 0, 6);
  s->expires_s = tend_pg_get_int (res, 0, 7);
  s->token_hash = g_steal_pointer (&hash);
  /* Audit rows and record writes name the portal account and practice. */
  g_free (req->principal.account_id);
  g_free (req->principal.practice_id);
  req->principal.account_id = g_strdup (s->account_id);
  req->principal.practice_id = g_strdup (s->practice_id);
  return TRUE;
}

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

/* A string member of at most @max bytes; answers 400 itself. */
static const char *
string_member (TendRequest *req,
               JsonObject  *obj,
               const char  *name,
               gsize        max,
               gboolean     required)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“%s” is required", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (json_node_get_string (node)) > max || !g_utf8_validate (json_node_get_string (node), -1, NULL))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "“%s” must be a string of at most %" G_GSIZE_FORMAT " bytes", name, max);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
email_is_plausible (const char *email)
{
  const char *at = email != NULL ? strchr (email, '@') : NULL;

  return at != NULL && at != email && strchr (at + 1, '.') != NULL && strchr (email, ' ') == NULL &&
         strchr (email, '\n') == NULL && strchr (email, '\r') == NULL && strlen (email) <= 254;
}

static const char *
language_of (const char *language)
{
  return g_strcmp0 (language, "es") == 0 ? "es" : "en";
}

/* Mail */

static char *
portal_base_url (TendRequest *req)
{
  if (req->config->portal_url != NULL)
    return g_str_has_suffix (req->config->portal_url, "/") ? g_strdup (req->config->portal_url)
                                                          : g_strconcat (req->config->portal_url, "/", NULL);
  /* Never from the request's Host header: a code requested with a forged
   * Host would mail the client a link to someone else's site. */
  return g_strdup_printf ("%s://%s/portal/", req->config->tls_cert != NULL ? "https" : "http", req->config->listen);
}

/* An e-mail for the outbox, in the client's language, with no clinical
 * content.  @code may be %NULL (an invitation has only the link). */
static gboolean
send_signin_mail (TendRequest *req,
                  TendPgConn  *conn,
                  const char  *practice_id,
                  const char  *practice_name,
                  const char  *email,
                  const char  *language,
                  const char  *kind,
                  const char  *code,
                  const char  *link_token,
                  GError     **error)
{
  g_autofree char *base = portal_base_url (req);
  g_autofree char *link = g_strconcat (base, "#link=", link_token, NULL);
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  gboolean es = g_strcmp0 (language, "es") == 0;

  if (code == NULL)
    {
      subject = g_strdup_printf (es ? "%s le invita a su portal de clientes" : "%s invites you to their client portal",
                                 practice_name);
      text = g_strdup_printf (es ? "Hola:\n\n%s le invita a su portal de clientes, donde puede ver sus citas, "
                                   "enviar mensajes y completar formularios.\n\nAbra este enlace para entrar "
                                   "(sirve una vez, durante 7 días):\n%s\n\nDespués, entre con su dirección de "
                                   "correo en %s\n"
                                 : "Hello,\n\n%s invites you to their client portal, where you can see your "
                                   "appointments, send messages and fill in forms.\n\nOpen this link to sign in "
                                   "(it works once, for 7 days):\n%s\n\nAfterwards, sign in with your e-mail "
                                   "address at %s\n",
                              practice_name, link, base);
    }
  else
    {
      subject = g_strdup_printf (es ? "Su código para entrar: %s" : "Your sign-in code: %s", code);
      text = g_strdup_printf (es ? "Su código para entrar en el portal de %s es:\n\n    %s\n\nO abra este enlace "
                                   "(sirve una vez):\n%s\n\nAmbos caducan en 10 minutos. Si no lo ha pedido, "
                                   "ignore este mensaje.\n"
                                 : "Your code to sign in to %s's portal is:\n\n    %s\n\nOr open this link "
                                   "(it works once):\n%s\n\nBoth expire in 10 minutes. If you did not ask for "
                                   "this, ignore this message.\n",
                              practice_name, code, link);
    }
  return tend_server_portal_send_mail (req->server, conn, practice_id, email, subject, text, kind, error);
}

/* Codes, links and sessions */

static char *
code_hash (const char *account_id,
           const char *code)
{
  g_autofree char *salted = g_strconcat (account_id, ":", code, NULL);

  return tend_auth_token_hash (salted);
}

static char *
new_code (void)
{
  return g_strdup_printf ("%06u", randombytes_uniform (1000000));
}

/* A single-use link for @account_id, valid @ttl_s; returns the token. */
static char *
new_link (TendPgConn  *conn,
          const char  *account_id,
          gint64       ttl_s,
          GError     **error)
{
  g_autofree char *token = tend_auth_new_token ();
  g_autofree char *hash = tend_auth_token_hash (token);
  g_autofree char *ttl = g_strdup_printf ("%" G_GINT64_FORMAT, ttl_s);
  const char *params[] = { account_id, hash, ttl };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                                          " VALUES ($1, 'link', $2::bytea, now () + make_interval (secs => $3::int))",
                                          3, params, error);

  return res != NULL ? g_steal_pointer (&token) : NULL;
}

/* One request counted against @key; %FALSE when @limit were counted in the
 * window already (then answered 429).  Under an advisory lock, so a burst
 * gets exactly @limit. */
static gboolean
rate_take (TendRequest *req,
           TendPgConn  *conn,
           const char  *key,
           guint        limit,
           gboolean    *limited,
           GError     **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { key, limit_text };
  g_autoptr(PGresult) res = NULL;

  *limited = FALSE;
  if (!tend_pg_run (conn, "BEGIN", error))
    return FALSE;
  res = tend_pg_exec (conn,
                      "WITH l AS (SELECT pg_advisory_xact_lock (7428118, hashtext ($1))),"
                      " old AS (DELETE FROM login_failure WHERE key = $1"
                      "         AND at < now () - make_interval (secs => " G_STRINGIFY (PORTAL_RATE_WINDOW_S) ")),"
                      " n AS (SELECT count (*) AS n, min (at) AS oldest FROM login_failure, l WHERE key = $1"
                      "       AND at >= now () - make_interval (secs => " G_STRINGIFY (PORTAL_RATE_WINDOW_S) ")),"
                      " ins AS (INSERT INTO login_failure (key) SELECT $1 FROM n WHERE n.n < $2::int)"
                      " SELECT n.n >= $2::int, ceil (extract (epoch FROM n.oldest + make_interval (secs => " G_STRINGIFY (PORTAL_RATE_WINDOW_S) ") - now ())) FROM n",
                      2, params, error);
  if (res == NULL || !tend_pg_run (conn, "COMMIT", error))
    {
      tend_pg_rollback (conn);
      return FALSE;
    }
  if (tend_pg_get_bool (res, 0, 0))
    {
      gint64 wait = MAX (1, tend_pg_get_int (res, 0, 1));

      *limited = TRUE;
      req->retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      tend_request_error (req, 429, "rate_limited", "Too many attempts: try again in %" G_GINT64_FORMAT " seconds",
                          wait);
    }
  return TRUE;
}

static gboolean
rate_count_failure (TendPgConn  *conn,
                    const char  *key,
                    GError     **error)
{
  const char *params[] = { key };
  g_autoptr(PGresult) res = tend_pg_exec (conn, "INSERT INTO login_failure (key) VALUES ($1)", 1, params, error);

  return res != NULL;
}

static gboolean
rate_limited (TendRequest *req,
              TendPgConn  *conn,
              const char  *key,
              guint        limit,
              gboolean    *limited,
              GError     **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { key, limit_text };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "SELECT count (*) >= $2::int FROM login_failure WHERE key = $1"
                                          " AND at >= now () - make_interval (secs => " G_STRINGIFY (PORTAL_RATE_WINDOW_S) ")",
                                          2, params, error);

  if (res == NULL)
    return FALSE;
  *limited = tend_pg_get_bool (res, 0, 0);
  if (*limited)
    {
      req->retry_after = g_strdup ("60");
      tend_request_error (req, 429, "rate_limited", "Too many attempts: try again later");
    }
  return TRUE;
}

static void
audit_as (TendRequest *req,
          TendPgConn  *conn,
          const char  *practice_id,
          const char  *account_id,
          const char  *action,
          const char  *record_type,
          const char  *record_id)
{
  const char *params[] = { practice_id, account_id, action, record_type, record_id };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "INSERT INTO audit (practice_id, account_id, action, record_type, record_id)"
                                          " VALUES ($1, $2, $3, $4, $5)",
                                          5, params, &error);

  if (res == NULL)
    g_warning ("Cannot audit %s: %s", action, error->message);
}

/* A new session for @account_id: the cookie, and the CSRF token in the
 * answer. */
static void
start_session (TendRequest *req,
               TendPgConn  *conn,
               const char  *account_id,
               const char  *how)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *token = tend_auth_new_token ();
  g_autofree char *hash = tend_auth_token_hash (token);
  g_autofree char *csrf = tend_auth_new_token ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *params[] = { hash, account_id, csrf };

  res = tend_pg_exec (conn,
                      "WITH e AS (DELETE FROM portal_session WHERE account_id = $2 AND expires_at <= now ())"
                      " INSERT INTO portal_session (token_hash, account_id, practice_id, csrf_token, expires_at)"
                      " SELECT $1::bytea, id, practice_id, $3, now () + make_interval (secs => " G_STRINGIFY (PORTAL_IDLE_S) ")"
                      " FROM portal_account WHERE id = $2 AND active RETURNING practice_id",
                      3, params, &error);
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQntuples (res) != 1)
    {
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_code", "The code or link is not valid");
      return;
    }
  audit_as (req, conn, PQgetvalue (res, 0, 0), account_id, how, NULL, NULL);
  set_cookie (req, token, PORTAL_MAX_S);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "csrf");
  json_builder_add_string_value (b, csrf);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* POST /v1/portal/signin/code {"email", "language"?} */
static void
signin_code (TendRequest *req,
             TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) accounts = NULL;
  g_autofree char *email_lower = NULL;
  g_autofree char *email_key = NULL;
  g_autofree char *address_key = NULL;
  const char *email;
  gboolean limited = FALSE;

  if (obj == NULL || (email = string_member (req, obj, "email", 254, TRUE)) == NULL)
    return;
  email_lower = g_utf8_strdown (email, -1);
  email_key = g_strconcat ("portal-email:", email_lower, NULL);
  address_key = g_strconcat ("portal-address:", req->remote, NULL);
  /* The same limits for every address, known or not. */
  if (!rate_take (req, conn, address_key, PORTAL_CODES_PER_ADDRESS, &limited, &error) || limited ||
      !rate_take (req, conn, email_key, PORTAL_CODES_PER_EMAIL, &limited, &error) || limited)
    goto out;
  {
    const char *params[] = { email_lower };

    accounts = tend_pg_exec (conn,
                             "SELECT a.id, a.practice_id, p.name, a.email, a.language FROM portal_account a"
                             " JOIN practice p ON p.id = a.practice_id WHERE lower (a.email) = $1 AND a.active",
                             1, params, &error);
  }
  if (accounts == NULL)
    goto out;
  for (int i = 0; i < PQntuples (accounts); i++)
    {
      const char *account_id = PQgetvalue (accounts, i, 0);
      g_autofree char *code = new_code ();
      g_autofree char *hash = code_hash (account_id, code);
      g_autofree char *link = NULL;
      g_autoptr(PGresult) res = NULL;
      const char *params[] = { account_id, hash };

      g_autoptr(GError) local = NULL;

      if (!tend_pg_run (conn, "BEGIN", &error))
        goto out;
      /* A new code spends the ones before it. */
      res = tend_pg_exec (conn,
                          "WITH spent AS (UPDATE portal_code SET used_at = now () WHERE account_id = $1"
                          "               AND kind = 'code' AND used_at IS NULL)"
                          " INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                          " VALUES ($1, 'code', $2::bytea, now () + make_interval (secs => " G_STRINGIFY (PORTAL_CODE_TTL_S) "))",
                          2, params, &local);
      /* One account that cannot be mailed (the outbox refuses its address)
       * must not change the answer: it would tell that the address is known. */
      if (res == NULL ||
          (link = new_link (conn, account_id, PORTAL_CODE_TTL_S, &local)) == NULL ||
          !send_signin_mail (req, conn, PQgetvalue (accounts, i, 1), PQgetvalue (accounts, i, 2),
                             PQgetvalue (accounts, i, 3), PQgetvalue (accounts, i, 4), "sign-in-code",
                             code, link, &local) ||
          !tend_pg_run (conn, "COMMIT", &local))
        {
          tend_pg_rollback (conn);
          /* The outbox's reason can quote the address: not logged. */
          g_warning ("No sign-in code for portal account %s (%s)", account_id,
                     local != NULL && local->domain == TEND_PG_ERROR ? "database error" : "refused by the outbox");
          continue;
        }
      audit_as (req, conn, PQgetvalue (accounts, i, 1), account_id, "portal-code-sent", NULL, NULL);
      sodium_memzero (code, strlen (code));
    }
  if (PQntuples (accounts) > 0)
    tend_server_portal_kick (req->server);
  tend_request_reply_take (req, SOUP_STATUS_OK, g_strdup ("{\"sent\":true}"));

out:
  if (error != NULL)
    tend_request_db_error (req, error);
}

/* POST /v1/portal/signin/verify {"email", "code"} */
static void
signin_verify (TendRequest *req,
               TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) codes = NULL;
  g_autofree char *email_lower = NULL;
  g_autofree char *address_key = NULL;
  const char *email, *code;
  gboolean limited = FALSE;
  gboolean any_left = FALSE;

  if (obj == NULL || (email = string_member (req, obj, "email", 254, TRUE)) == NULL ||
      (code = string_member (req, obj, "code", 16, TRUE)) == NULL)
    return;
  address_key = g_strconcat ("portal-failure:", req->remote, NULL);
  if (!rate_limited (req, conn, address_key, PORTAL_FAILURES_PER_ADDRESS, &limited, &error) || limited)
    goto out;
  email_lower = g_utf8_strdown (email, -1);
  {
    const char *params[] = { email_lower };

    /* The guess is counted before it is compared: each account's newest
     * live code, while it has guesses left. */
    codes = tend_pg_exec (conn,
                          "UPDATE portal_code c SET attempts = c.attempts + 1"
                          " FROM portal_account a"
                          " WHERE a.id = c.account_id AND lower (a.email) = $1 AND a.active AND c.kind = 'code'"
                          " AND c.used_at IS NULL AND c.expires_at > now () AND c.attempts < "
                          G_STRINGIFY (PORTAL_CODE_ATTEMPTS)
                          " RETURNING c.id, c.account_id, encode (c.secret_hash, 'hex'), c.attempts",
                          1, params, &error);
  }
  if (codes == NULL)
    goto out;
  for (int i = 0; i < PQntuples (codes); i++)
    {
      g_autofree char *hash = code_hash (PQgetvalue (codes, i, 1), code);

      if (tend_pg_get_int (codes, i, 3) < PORTAL_CODE_ATTEMPTS)
        any_left = TRUE;
      /* hash is "\x<hex>". */
      if (constant_equal (hash + 2, PQgetvalue (codes, i, 2)))
        {
          const char *params[] = { PQgetvalue (codes, i, 0) };
          g_autoptr(PGresult) used = tend_pg_exec (conn,
                                                   "UPDATE portal_code SET used_at = now () WHERE id = $1::bigint"
                                                   " AND used_at IS NULL",
                                                   1, params, &error);

          if (used == NULL)
            goto out;
          if (g_strcmp0 (PQcmdTuples (used), "1") == 0)
            {
              start_session (req, conn, PQgetvalue (codes, i, 1), "portal-signin-code");
              return;
            }
        }
    }
  if (!rate_count_failure (conn, address_key, &error))
    goto out;
  if (PQntuples (codes) > 0 && !any_left)
    tend_request_error (req, 429, "code_locked", "Too many wrong codes: ask for a new code");
  else
    tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_code",
                        "The code is not right, has expired or was used: check it or ask for a new one");
  return;

out:
  if (error != NULL)
    tend_request_db_error (req, error);
}

/* POST /v1/portal/signin/link {"token"} */
static void
signin_link (TendRequest *req,
             TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *address_key = NULL;
  g_autofree char *hash = NULL;
  const char *token;
  gboolean limited = FALSE;

  if (obj == NULL || (token = string_member (req, obj, "token", 128, TRUE)) == NULL)
    return;
  address_key = g_strconcat ("portal-failure:", req->remote, NULL);
  if (!rate_limited (req, conn, address_key, PORTAL_FAILURES_PER_ADDRESS, &limited, &error) || limited)
    goto out;
  hash = tend_auth_token_hash (token);
  {
    const char *params[] = { hash };

    res = tend_pg_exec (conn,
                        "UPDATE portal_code SET used_at = now () WHERE kind = 'link' AND secret_hash = $1::bytea"
                        " AND used_at IS NULL AND expires_at > now () RETURNING account_id",
                        1, params, &error);
  }
  if (res == NULL)
    goto out;
  if (PQntuples (res) != 1)
    {
      if (!rate_count_failure (conn, address_key, &error))
        goto out;
      tend_request_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_link",
                          "This link has expired or was used already: ask for a new code");
      return;
    }
  start_session (req, conn, PQgetvalue (res, 0, 0), "portal-signin-link");
  return;

out:
  if (error != NULL)
    tend_request_db_error (req, error);
}

static void
signout (TendRequest   *req,
         TendPgConn    *conn,
         PortalSession *s,
         gboolean       everywhere)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = cookie_token (req);
  g_autofree char *hash = tend_auth_token_hash (token);
  const char *params[] = { hash, s->account_id };
  g_autoptr(PGresult) res = NULL;

  res = tend_pg_exec (conn,
                      everywhere ? "DELETE FROM portal_session WHERE account_id = $2 AND $1::bytea IS NOT NULL"
                                 : "DELETE FROM portal_session WHERE token_hash = $1::bytea AND account_id = $2",
                      2, params, &error);
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  audit_as (req, conn, s->practice_id, s->account_id, everywhere ? "portal-signout-everywhere" : "portal-signout",
            NULL, NULL);
  set_cookie (req, NULL, 0);
  tend_request_reply_take (req, SOUP_STATUS_OK, g_strdup ("{\"signed_out\":true}"));
}

/* Reading records */

/* The live records of @type in the client's practice whose @member is
 * @value (a narrowing only: each is then checked against the policy). */
static GPtrArray *
load_where (TendClientActor *actor,
            TendRequest     *req,
            TendPgConn      *conn,
            GType            type,
            const char      *member,
            const char      *value,
            GError         **error)
{
  TendRecordClass *klass = g_type_class_ref (type);
  const char *params[] = { req->principal.practice_id, klass->type_name, value };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *out;

  /* The member is written out so the indexes of migration_portal serve
   * the query (record_portal_client, record_portal_thread). */
  if (g_strcmp0 (member, "conversation_id") == 0)
    res = tend_pg_exec (conn,
                        "SELECT id, version, body FROM record WHERE practice_id = $1 AND type = $2"
                        " AND NOT deleted AND body::jsonb ->> 'conversation_id' = $3",
                        3, params, error);
  else if (g_strcmp0 (member, "participants") == 0)
    {
      /* The couple, family and group sessions @value is in but not the
       * client of (those the client_id narrowing finds). */
      const char *member_params[] = { req->principal.practice_id, value };

      g_assert (type == TEND_TYPE_APPOINTMENT);
      res = tend_pg_exec (conn, TEND_PORTAL_MEMBER_SESSIONS_SQL, 2, member_params, error);
    }
  else
    {
      g_assert (g_strcmp0 (member, "client_id") == 0);
      res = tend_pg_exec (conn,
                          "SELECT id, version, body FROM record WHERE practice_id = $1 AND type = $2"
                          " AND NOT deleted AND body::jsonb ->> 'client_id' = $3",
                          3, params, error);
    }

  g_type_class_unref (klass);
  if (res == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr(TendRecord) record = tend_record_new (type);
      g_autoptr(GError) local = NULL;

      tend_record_set_id (record, PQgetvalue (res, i, 0));
      tend_record_set_version (record, tend_pg_get_int (res, i, 1));
      if (!tend_record_load_body_string (record, PQgetvalue (res, i, 2), -1, NULL))
        continue;
      if (!tend_record_policy_client_may_read (tend_client_actor_get_actor (actor), record, &local))
        {
          if (local != NULL && local->domain != TEND_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              g_ptr_array_unref (out);
              return NULL;
            }
          continue;
        }
      g_ptr_array_add (out, g_steal_pointer (&record));
    }
  return out;
}

/* One of the client's records by id; %NULL (404 answered) when it is not
 * there or not theirs. */
static TendRecord *
load_own (TendClientActor *actor,
          TendRequest     *req,
          GType            type,
          const char      *id,
          GError         **error)
{
  g_autoptr(TendRecord) record = tend_client_actor_load (actor, type, id, error);

  if (record == NULL ||
      !tend_record_policy_client_may_read (tend_client_actor_get_actor (actor), record, error))
    {
      if (error == NULL || *error == NULL)
        reply_not_found (req);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static char *
staff_name (TendClientActor *actor,
            const char      *staff_id)
{
  g_autoptr(TendRecord) staff = tend_client_actor_load (actor, TEND_TYPE_STAFF, staff_id, NULL);

  if (staff == NULL)
    return NULL;
  return g_strjoin (" ", tend_record_get_string (staff, "given_name"),
                    tend_record_get_string (staff, "family_name"), NULL);
}

/* The practice record (the first live one), and its time zone. */
static TendRecord *
load_practice (TendRequest *req,
               TendPgConn  *conn,
               char       **time_zone)
{
  const char *params[] = { req->principal.practice_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "SELECT r.id, r.body, p.time_zone FROM practice p LEFT JOIN record r ON"
                                          " r.practice_id = p.id AND r.type = 'practice' AND NOT r.deleted"
                                          " WHERE p.id = $1 LIMIT 1",
                                          1, params, NULL);
  TendRecord *record;

  *time_zone = NULL;
  if (res == NULL || PQntuples (res) != 1)
    return NULL;
  *time_zone = tend_pg_dup_value (res, 0, 2);
  if (PQgetisnull (res, 0, 0))
    return NULL;
  record = tend_record_new (TEND_TYPE_PRACTICE);
  tend_record_set_id (record, PQgetvalue (res, 0, 0));
  if (!tend_record_load_body_string (record, PQgetvalue (res, 0, 1), -1, NULL))
    g_clear_object (&record);
  return record;
}

/* The practice's "messaging.client_start": who a conversation a client
 * starts goes to ("clinician", "front_desk"), or "off".  A practice that
 * never set it (or has no record yet) takes the clinician. */
static const char *
client_start_setting (TendRecord *practice)
{
  const char *value = practice != NULL ? tend_record_get_string (practice, "messaging.client_start") : NULL;

  return value != NULL ? value : "clinician";
}

static char *
practice_address (TendRecord *practice)
{
  static const char * const parts[] = {
    "address.line1", "address.line2", "address.city", "address.region", "address.postal_code", NULL
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; practice != NULL && parts[i] != NULL; i++)
    {
      const char *v = tend_record_get_string (practice, parts[i]);

      if (v == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, v);
    }
  return g_string_free (out, out->len == 0);
}

/* The practice's today, in its time zone. */
static void
practice_today (TendRequest *req,
                TendPgConn  *conn,
                GDate       *today)
{
  g_autofree char *zone_name = NULL;
  g_autoptr(TendRecord) practice = load_practice (req, conn, &zone_name);
  g_autoptr(GTimeZone) zone = zone_name != NULL ? g_time_zone_new_identifier (zone_name) : NULL;
  g_autoptr(GDateTime) now = NULL;

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  now = g_date_time_new_now (zone);
  g_date_clear (today, 1);
  g_date_set_dmy (today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
}

/* Whether the related person @related_person_id acts for @client_id in
 * the portal now (tend_related_person_may_act_for (): a live record of
 * that client's, marked legal guardian, of a minor), from the records as
 * the server holds them.  %FALSE with @refusal set: no, and why; with
 * @error set: the lookup failed. */
static gboolean
guardian_acts_for (TendRequest *req,
                   TendPgConn  *conn,
                   const char  *related_person_id,
                   const char  *client_id,
                   GError     **refusal,
                   GError     **error)
{
  g_autoptr(TendClientActor) loader = tend_client_actor_new (req, conn, client_id);
  g_autoptr(TendRecord) person = tend_client_actor_load (loader, TEND_TYPE_RELATED_PERSON, related_person_id, error);
  g_autoptr(TendRecord) client = NULL;
  GDate today;

  if (person == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (refusal, TEND_ERROR, TEND_ERROR_NOT_FOUND, "No such related person");
      return FALSE;
    }
  client = tend_client_actor_load (loader, TEND_TYPE_CLIENT, client_id, error);
  if (client == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (refusal, TEND_ERROR, TEND_ERROR_NOT_FOUND, "No such client");
      return FALSE;
    }
  practice_today (req, conn, &today);
  return tend_related_person_may_act_for (TEND_RELATED_PERSON (person), TEND_CLIENT (client), &today, refusal);
}

/* GET /v1/portal/me */
static void
get_me (TendRequest     *req,
        TendPgConn      *conn,
        TendClientActor *actor,
        PortalSession   *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) client = tend_client_actor_load (actor, TEND_TYPE_CLIENT, s->client_id, &error);
  g_autofree char *zone = NULL;
  g_autoptr(TendRecord) practice = load_practice (req, conn, &zone);
  g_autofree char *address = practice_address (practice);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (error != NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "csrf");
  json_builder_add_string_value (b, s->csrf);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, s->email);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, s->language);
  json_builder_set_member_name (b, "client");
  if (client != NULL && tend_record_policy_client_may_read (tend_client_actor_get_actor (actor), client, NULL))
    json_builder_add_value (b, tend_record_policy_client_view (client));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "practice");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, practice != NULL ? tend_record_get_string (practice, "name") : NULL);
  json_builder_set_member_name (b, "time_zone");
  json_builder_add_string_value (b, zone);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, address);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, practice != NULL ? tend_record_get_string (practice, "phone") : NULL);
  /* The practice's own notice beside messages (Preferences ▸ Practice in
   * Tend); null: the page's built-in "not for emergencies". */
  json_builder_set_member_name (b, "client_notice");
  json_builder_add_string_value (b, practice != NULL ? tend_record_get_string (practice, "messaging.client_notice") : NULL);
  /* Whether the client may start a conversation (POST conversations). */
  json_builder_set_member_name (b, "client_start");
  json_builder_add_boolean_value (b, g_strcmp0 (client_start_setting (practice), "off") != 0);
  json_builder_end_object (b);
  /* A guardian's account: the client they act for, and who they are
   * (their related_person record's name and relationship). */
  json_builder_set_member_name (b, "guardian_of");
  if (s->related_person_id != NULL)
    json_builder_add_string_value (b, s->client_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "guardian");
  if (s->related_person_id != NULL)
    {
      g_autoptr(TendRecord) person = tend_client_actor_load (actor, TEND_TYPE_RELATED_PERSON, s->related_person_id, NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, person != NULL ? tend_record_get_string (person, "name") : NULL);
      json_builder_set_member_name (b, "relationship");
      json_builder_add_string_value (b, person != NULL ? tend_record_get_string (person, "relationship") : NULL);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* Appointments */

typedef struct
{
  gint64 late_hours;
  gint64 late_fee;
  char  *currency;
} CancelTerms;

static void
cancel_terms (TendRequest *req,
              TendPgConn  *conn,
              TendRecord  *practice,
              CancelTerms *terms)
{
  const char *params[] = { req->principal.practice_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "SELECT body FROM record WHERE practice_id = $1 AND type = 'billing_settings'"
                                          " AND NOT deleted ORDER BY seq DESC LIMIT 1",
                                          1, params, NULL);
  g_autoptr(TendRecord) settings = NULL;

  terms->late_hours = PORTAL_DEFAULT_LATE_HOURS;
  terms->late_fee = 0;
  terms->currency = g_strdup (practice != NULL && tend_record_get_string (practice, "currency") != NULL
                              ? tend_record_get_string (practice, "currency") : "USD");
  if (res == NULL || PQntuples (res) != 1)
    return;
  settings = tend_record_new (TEND_TYPE_BILLING_SETTINGS);
  if (!tend_record_load_body_string (settings, PQgetvalue (res, 0, 0), -1, NULL))
    return;
  if (tend_record_get_int (settings, "late_cancel_hours") > 0)
    terms->late_hours = tend_record_get_int (settings, "late_cancel_hours");
  terms->late_fee = tend_record_get_int (settings, "late_cancel_fee");
}

static gboolean
appointment_is_late (TendAppointment *a,
                     CancelTerms     *terms)
{
  return tend_appointment_get_start_usec (a) - g_get_real_time () < terms->late_hours * G_USEC_PER_SEC * 3600;
}

static JsonNode *
appointment_node (TendClientActor *actor,
                  TendPgConn      *conn,
                  TendRecord      *record,
                  const char      *address,
                  const char      *zone,
                  CancelTerms     *terms)
{
  TendAppointment *a = TEND_APPOINTMENT (record);
  g_autoptr(JsonNode) node = tend_record_policy_client_view (record);
  JsonObject *obj = json_node_get_object (node);
  g_autofree char *clinician = staff_name (actor, tend_appointment_get_clinician_id (a));
  gboolean is_video = tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH;
  TendAppointmentStatus status = tend_appointment_get_status (a);
  gboolean open = (status == TEND_APPOINTMENT_SCHEDULED || status == TEND_APPOINTMENT_CONFIRMED) &&
                  tend_appointment_get_start_usec (a) > g_get_real_time ();

  if (!is_video && tend_appointment_get_room_id (a) != NULL)
    {
      g_autoptr(TendRecord) room = tend_client_actor_load (actor, TEND_TYPE_ROOM, tend_appointment_get_room_id (a), NULL);

      is_video = room != NULL && tend_record_get_int (room, "virtual") != 0;
    }
  json_object_remove_member (obj, "clinician_id");
  json_object_remove_member (obj, "room_id");
  /* A couple, family or group session: the client's own attendance only,
   * nothing of the other members (not even why the practice cancelled
   * it), and changes go through the practice. */
  if (tend_appointment_is_multi_client (a))
    {
      const char *client_id = tend_client_actor_get_actor (actor)->client_id;

      open = FALSE;
      json_object_remove_member (obj, "cancel_reason");
      json_object_set_string_member (obj, "session_type",
                                     tend_session_type_to_string (tend_appointment_get_session_type (a)));
      json_object_set_string_member (obj, "attendance",
                                     tend_attendance_to_string (tend_appointment_effective_attendance (a, client_id)));
    }
  json_object_set_string_member (obj, "clinician", clinician);
  json_object_set_boolean_member (obj, "video", is_video);
  if (is_video)
    json_object_set_null_member (obj, "address");
  else
    json_object_set_string_member (obj, "address", address);
  /* The page shows the time in client_time_zone when the practice noted
   * one, else in the zone of the client's own device; the practice's is
   * for reference. */
  json_object_set_string_member (obj, "practice_time_zone", zone);
  json_object_set_boolean_member (obj, "may_confirm", open && status == TEND_APPOINTMENT_SCHEDULED);
  json_object_set_boolean_member (obj, "may_cancel", open);
  json_object_set_boolean_member (obj, "cancel_is_late", open && appointment_is_late (a, terms));
  json_object_set_int_member (obj, "late_cancel_hours", terms->late_hours);
  json_object_set_int_member (obj, "late_cancel_fee", terms->late_fee);
  json_object_set_string_member (obj, "currency", terms->currency);
  /* A video session is joined through POST .../join (join_video ()). */
  return g_steal_pointer (&node);
}

static gint
compare_start (gconstpointer a,
               gconstpointer b)
{
  gint64 x = tend_appointment_get_start_usec (*(TendAppointment **) a);
  gint64 y = tend_appointment_get_start_usec (*(TendAppointment **) b);

  return x < y ? -1 : x > y;
}

static void
list_appointments (TendRequest     *req,
                   TendPgConn      *conn,
                   TendClientActor *actor,
                   PortalSession   *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = load_where (actor, req, conn, TEND_TYPE_APPOINTMENT, "client_id", s->client_id, &error);
  g_autoptr(GPtrArray) member_of = list != NULL ? load_where (actor, req, conn, TEND_TYPE_APPOINTMENT, "participants",
                                                              s->client_id, &error) : NULL;
  g_autofree char *zone = NULL;
  g_autoptr(TendRecord) practice = load_practice (req, conn, &zone);
  g_autofree char *address = practice_address (practice);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  CancelTerms terms;
  gint64 since = g_get_real_time () - 12 * G_TIME_SPAN_HOUR;

  if (list == NULL || member_of == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  g_ptr_array_extend_and_steal (list, g_steal_pointer (&member_of));
  cancel_terms (req, conn, practice, &terms);
  g_ptr_array_sort (list, compare_start);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "appointments");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    if (tend_appointment_get_end_usec (list->pdata[i]) >= since)
      json_builder_add_value (b, appointment_node (actor, conn, list->pdata[i], address, zone, &terms));
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_free (terms.currency);
  audit_as (req, conn, s->practice_id, s->account_id, "portal-read", "appointment", NULL);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* Writes @records (each read at its version) in one transaction; answers
 * the request on refusal or failure and returns %FALSE. */
static gboolean
write_records (TendRequest     *req,
               TendClientActor *actor,
               TendRecord     **records,
               guint            n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *code = NULL;

  if (!tend_client_actor_begin (actor, &error))
    goto db_error;
  for (guint i = 0; i < n; i++)
    if (!tend_client_actor_apply (actor, records[i], &code, &message, &error))
      {
        /* All or nothing: an earlier record of this change is undone too. */
        tend_pg_rollback (tend_client_actor_get_conn (actor));
        if (error != NULL)
          goto db_error;
        if (g_strcmp0 (code, "conflict") == 0)
          tend_request_error (req, SOUP_STATUS_CONFLICT, "conflict",
                              "The practice changed this a moment ago: reload and try again");
        else
          tend_request_error (req, SOUP_STATUS_FORBIDDEN, code != NULL ? code : "forbidden",
                              "%s", message != NULL ? message : "This change is not allowed");
        return FALSE;
      }
  if (!tend_client_actor_commit (actor, &error))
    goto db_error;
  return TRUE;

db_error:
  tend_request_db_error (req, error);
  return FALSE;
}

static void
change_appointment (TendRequest     *req,
                    TendPgConn      *conn,
                    TendClientActor *actor,
                    PortalSession   *s,
                    const char      *id,
                    const char      *action)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TendAppointmentStatus to;
  const char *reason = NULL;

  if (obj == NULL)
    return;
  record = load_own (actor, req, TEND_TYPE_APPOINTMENT, id, &error);
  if (record == NULL)
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  if (strcmp (action, "confirm") == 0)
    to = TEND_APPOINTMENT_CONFIRMED;
  else
    {
      g_autofree char *zone = NULL;
      g_autoptr(TendRecord) practice = load_practice (req, conn, &zone);
      CancelTerms terms;

      cancel_terms (req, conn, practice, &terms);
      to = appointment_is_late (TEND_APPOINTMENT (record), &terms) ? TEND_APPOINTMENT_LATE_CANCELLED
                                                                   : TEND_APPOINTMENT_CANCELLED;
      g_free (terms.currency);
      reason = string_member (req, obj, "reason", 200, FALSE);
      if (reason == NULL && json_object_has_member (obj, "reason") && req->status != 0)
        return;
      if (reason == NULL || *reason == '\0')
        reason = "Cancelled by the client in the portal";
    }
  if (!tend_appointment_set_status (TEND_APPOINTMENT (record), to, reason, now, &error))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "invalid_status", "%s", error->message);
      return;
    }
  if (!write_records (req, actor, &record, 1))
    return;
  {
    g_autoptr(JsonBuilder) b = json_builder_new ();

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "status");
    json_builder_add_string_value (b, tend_appointment_status_to_string (to));
    json_builder_end_object (b);
    tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
  }
}

/* Another time: the slots offered are the clinician's working hours
 * (Monday to Friday 09:00-17:00 when the staff record has none), in the
 * practice's zone, on the hour, for the next PORTAL_SLOT_DAYS days from
 * tomorrow, of the appointment's length, that no active appointment of
 * the clinician overlaps.  Asking for one makes a waitlist entry for the
 * front desk (that clinician, that day and hour, the appointment named in
 * its note); the appointment itself does not change until staff move it. */

#define PORTAL_SLOT_DAYS 14

/* The practice's zone (UTC if the name is unknown). */
static GTimeZone *
zone_of (const char *name)
{
  GTimeZone *zone = name != NULL ? g_time_zone_new_identifier (name) : NULL;

  return zone != NULL ? zone : g_time_zone_new_utc ();
}
#define PORTAL_MAX_SLOTS 12

static const char * const weekday_keys[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static GArray *
offered_slots (TendClientActor *actor,
               TendRequest     *req,
               TendPgConn      *conn,
               TendAppointment *appt,
               GError         **error)
{
  GArray *slots = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TendRecord) staff = tend_client_actor_load (actor, TEND_TYPE_STAFF, tend_appointment_get_clinician_id (appt), NULL);
  g_autofree char *zone_name = NULL;
  g_autoptr(TendRecord) practice = load_practice (req, conn, &zone_name);
  g_autoptr(GTimeZone) zone = zone_of (zone_name);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(PGresult) busy = NULL;
  gint64 length = (tend_appointment_get_end_usec (appt) - tend_appointment_get_start_usec (appt)) / G_USEC_PER_SEC;
  gint64 from = g_date_time_to_unix (now), to = from + (PORTAL_SLOT_DAYS + 2) * 86400;
  gboolean any_hours = FALSE;

  for (guint d = 0; staff != NULL && d < 7; d++)
    {
      g_autofree char *key = g_strdup_printf ("working_hours.%s.start", weekday_keys[d]);

      any_hours |= tend_record_get_string (staff, key) != NULL;
    }
  {
    g_autofree char *from_text = g_strdup_printf ("%" G_GINT64_FORMAT, from);
    g_autofree char *to_text = g_strdup_printf ("%" G_GINT64_FORMAT, to);
    const char *params[] = { req->principal.practice_id, tend_appointment_get_clinician_id (appt), from_text, to_text };

    busy = tend_pg_exec (conn, "SELECT start_s, end_s FROM record WHERE practice_id = $1 AND type = 'appointment'"
                               " AND clinician_id = $2 AND start_s IS NOT NULL AND start_s < $4::bigint AND end_s > $3::bigint",
                         4, params, error);
  }
  if (busy == NULL)
    {
      g_array_unref (slots);
      return NULL;
    }
  for (int day = 1; day <= PORTAL_SLOT_DAYS && slots->len < PORTAL_MAX_SLOTS; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (now, day);
      guint dow = (guint) g_date_time_get_day_of_week (date) - 1;   /* Monday 0 */
      g_autofree char *start_key = g_strdup_printf ("working_hours.%s.start", weekday_keys[dow]);
      g_autofree char *end_key = g_strdup_printf ("working_hours.%s.end", weekday_keys[dow]);
      const char *open_text = any_hours ? tend_record_get_string (staff, start_key) : (dow < 5 ? "09:00" : NULL);
      const char *close_text = any_hours ? tend_record_get_string (staff, end_key) : (dow < 5 ? "17:00" : NULL);
      guint open_min, close_min;

      if (open_text == NULL || close_text == NULL ||
          !tend_time_of_day_parse (open_text, &open_min) || !tend_time_of_day_parse (close_text, &close_min))
        continue;
      for (guint m = open_min; m + (guint) (length / 60) <= close_min && slots->len < PORTAL_MAX_SLOTS; m += 60)
        {
          g_autoptr(GDateTime) at = g_date_time_new (zone, g_date_time_get_year (date), g_date_time_get_month (date),
                                                     g_date_time_get_day_of_month (date), (int) (m / 60), (int) (m % 60), 0);
          gint64 t = at != NULL ? g_date_time_to_unix (at) : 0;
          gboolean free = at != NULL;

          for (int r = 0; free && r < PQntuples (busy); r++)
            if (tend_pg_get_int (busy, r, 0) < t + length && tend_pg_get_int (busy, r, 1) > t)
              free = FALSE;
          if (free)
            g_array_append_val (slots, t);
        }
    }
  return slots;
}

static char *
iso_of_unix (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* An appointment the client may ask to move (as cancel: theirs, open). */
static TendRecord *
load_movable (TendRequest     *req,
              TendClientActor *actor,
              const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = load_own (actor, req, TEND_TYPE_APPOINTMENT, id, &error);
  TendAppointmentStatus status;

  if (record == NULL)
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return NULL;
    }
  status = tend_appointment_get_status (TEND_APPOINTMENT (record));
  if ((status != TEND_APPOINTMENT_SCHEDULED && status != TEND_APPOINTMENT_CONFIRMED) ||
      tend_appointment_get_start_usec (TEND_APPOINTMENT (record)) <= g_get_real_time ())
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "invalid_status", "This appointment can no longer be changed");
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* GET /v1/portal/appointments/{id}/slots */
static void
list_slots (TendRequest     *req,
            TendPgConn      *conn,
            TendClientActor *actor,
            const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = load_movable (req, actor, id);
  g_autoptr(GArray) slots = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (record == NULL)
    return;
  slots = offered_slots (actor, req, conn, TEND_APPOINTMENT (record), &error);
  if (slots == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "slots");
  json_builder_begin_array (b);
  for (guint i = 0; i < slots->len; i++)
    {
      g_autofree char *iso = iso_of_unix (g_array_index (slots, gint64, i));

      json_builder_add_string_value (b, iso);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* POST /v1/portal/appointments/{id}/request {"start"}: one of the offered
 * slots, as a waitlist entry for the front desk. */
static void
request_time (TendRequest     *req,
              TendPgConn      *conn,
              TendClientActor *actor,
              PortalSession   *s,
              const char      *id)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(GArray) slots = NULL;
  g_autoptr(GDateTime) wanted = NULL;
  g_autoptr(TendRecord) entry = NULL;
  g_autofree char *entry_id = g_uuid_string_random ();
  g_autofree char *zone_name = NULL;
  g_autoptr(TendRecord) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *hour = NULL;
  g_autofree char *until = NULL;
  g_autofree char *note = NULL;
  g_autofree char *was = NULL;
  const char *start;
  const char *clinicians[2] = { NULL, NULL };
  gint64 t;
  gboolean offered = FALSE;

  if (obj == NULL || (start = string_member (req, obj, "start", 40, TRUE)) == NULL)
    return;
  wanted = tend_time_parse_iso8601 (start, NULL);
  if (wanted == NULL)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“start” must be one of the times offered");
      return;
    }
  if ((record = load_movable (req, actor, id)) == NULL)
    return;
  slots = offered_slots (actor, req, conn, TEND_APPOINTMENT (record), &error);
  if (slots == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  t = g_date_time_to_unix (wanted);
  for (guint i = 0; i < slots->len; i++)
    offered |= g_array_index (slots, gint64, i) == t;
  if (!offered)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "not_offered", "This time is not offered (any more): choose another");
      return;
    }
  practice = load_practice (req, conn, &zone_name);
  zone = zone_of (zone_name);
  local = g_date_time_to_timezone (wanted, zone);
  hour = g_date_time_format (local, "%H:%M");
  {
    g_autoptr(GDateTime) end = g_date_time_add_minutes (local, 59);

    until = g_date_time_format (end, "%H:%M");
    if (g_strcmp0 (until, hour) <= 0)
      g_clear_pointer (&until, g_free);
  }
  {
    g_autoptr(GDateTime) old = tend_appointment_dup_start (TEND_APPOINTMENT (record));
    g_autoptr(GDateTime) old_local = g_date_time_to_timezone (old, zone);

    was = g_date_time_format (old_local, "%Y-%m-%d %H:%M");
  }
  {
    g_autofree char *day = g_date_time_format (local, "%Y-%m-%d %H:%M");

    note = g_strdup_printf ("Asked in the client portal to move the session of %s to %s (appointment %s).",
                            was, day, tend_record_get_id (record));
  }
  entry = tend_record_new (TEND_TYPE_WAITLIST_ENTRY);
  tend_record_set_id (entry, entry_id);
  tend_record_set_string (entry, "client_id", s->client_id);
  clinicians[0] = tend_appointment_get_clinician_id (TEND_APPOINTMENT (record));
  tend_record_set_strv (entry, "clinician_ids", (const char * const *) clinicians);
  tend_record_set_int (entry, "weekdays", 1 << (g_date_time_get_day_of_week (local) - 1));
  tend_record_set_string (entry, "earliest", hour);
  tend_record_set_string (entry, "latest", until);
  tend_record_set_string (entry, "modality", tend_record_get_string (record, "modality"));
  tend_record_set_string (entry, "note", note);
  tend_record_set_int (entry, "active", 1);
  if (!tend_record_validate (entry, &error))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", "%s", error->message);
      return;
    }
  if (!write_records (req, actor, &entry, 1))
    return;
  tend_request_reply_take (req, SOUP_STATUS_CREATED, g_strdup ("{\"requested\":true}"));
}

/* POST /v1/portal/appointments/ID/join: a single-use link into the
 * video session the clinician started for this client's appointment, from
 * ten minutes before it until its end (the video issue's browser join).
 * Made when the client asks, never listed: a link is spent by its use. */
static void
join_video (TendRequest     *req,
            TendPgConn      *conn,
            TendClientActor *actor,
            PortalSession   *s,
            const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) appointment = load_own (actor, req, TEND_TYPE_APPOINTMENT, id, &error);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;

  if (appointment == NULL)
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  {
    const char *params[] = { s->practice_id, id };

    /* The session not ended first; then whether the link may open yet. */
    res = tend_pg_exec (conn,
                        "SELECT s.id, s.body::jsonb ->> 'ended_at' IS NOT NULL,"
                        " (a.body::jsonb ->> 'start')::timestamptz - interval '10 minutes',"
                        " (a.body::jsonb ->> 'end')::timestamptz,"
                        " (a.body::jsonb ->> 'end')::timestamptz <= now (),"
                        " (a.body::jsonb ->> 'start')::timestamptz - interval '10 minutes' > now ()"
                        " FROM record s JOIN record a ON a.practice_id = s.practice_id AND a.type = 'appointment'"
                        "  AND a.id = (s.body::jsonb ->> 'appointment_id')::uuid AND NOT a.deleted"
                        " WHERE s.practice_id = $1 AND s.type = 'video_session' AND NOT s.deleted"
                        "  AND s.body::jsonb ->> 'appointment_id' = $2::text"
                        " ORDER BY 2 LIMIT 1",
                        2, params, &error);
  }
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQntuples (res) == 0)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "not_started",
                          "The video session has not started: your clinician starts it, then join again");
      return;
    }
  if (tend_pg_get_bool (res, 0, 1) || tend_pg_get_bool (res, 0, 4))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "ended", "The video session is over");
      return;
    }
  if (tend_pg_get_bool (res, 0, 5))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "not_open",
                          "The video session opens ten minutes before the appointment");
      return;
    }
  token = tend_video_mint_invite (conn, s->practice_id, PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 2),
                                  PQgetvalue (res, 0, 3), NULL, NULL, NULL, &error);
  if (token == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  audit_as (req, conn, s->practice_id, s->account_id, "portal-video-join", "video_session", PQgetvalue (res, 0, 0));
  path = g_strconcat ("/video/join/", token, NULL);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_CREATED, json_builder_get_root (b));
}

/* Replies {"NAME": [...]} with each record of @list through @node (which
 * returns %NULL for a record to leave out), or the database's error. */
typedef JsonNode *(*PortalNodeFunc) (TendRecord *record);

static gboolean
reply_list (TendRequest    *req,
            const char     *name,
            GPtrArray      *list,
            GError         *error,
            PortalNodeFunc  node)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (list == NULL)
    {
      tend_request_db_error (req, error);
      return FALSE;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      JsonNode *n = node (list->pdata[i]);

      if (n != NULL)
        json_builder_add_value (b, n);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
  return TRUE;
}

/* Messages */

static void
list_conversations (TendRequest     *req,
                    TendPgConn      *conn,
                    TendClientActor *actor,
                    PortalSession   *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = load_where (actor, req, conn, TEND_TYPE_CONVERSATION, "client_id", s->client_id, &error);

  reply_list (req, "conversations", list, error, tend_record_policy_client_view);
}

static gint
compare_sent (gconstpointer a,
              gconstpointer b)
{
  /* As instants: as text, "…:05Z" would sort after "…:05.1Z". */
  g_autoptr(GDateTime) x = tend_time_parse_iso8601 (tend_message_get_sent_at (*(TendMessage **) a), NULL);
  g_autoptr(GDateTime) y = tend_time_parse_iso8601 (tend_message_get_sent_at (*(TendMessage **) b), NULL);

  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);
  return g_date_time_compare (x, y);
}

static void
list_messages (TendRequest     *req,
               TendPgConn      *conn,
               TendClientActor *actor,
               PortalSession   *s,
               const char      *conversation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) conversation = load_own (actor, req, TEND_TYPE_CONVERSATION, conversation_id, &error);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (conversation == NULL)
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  list = load_where (actor, req, conn, TEND_TYPE_MESSAGE, "conversation_id", conversation_id, &error);
  if (list == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  g_ptr_array_sort (list, compare_sent);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      TendMessage *m = list->pdata[i];
      JsonNode *node = tend_record_policy_client_view (TEND_RECORD (m));
      JsonObject *obj = json_node_get_object (node);

      if (tend_message_is_withdrawn (m))
        json_object_set_null_member (obj, "text");
      if (!tend_message_is_from_client (m))
        {
          g_autofree char *name = staff_name (actor, tend_message_get_author_id (m));

          json_object_set_string_member (obj, "author", name);
        }
      json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  audit_as (req, conn, s->practice_id, s->account_id, "portal-read", "conversation", conversation_id);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

static void
send_message (TendRequest     *req,
              TendPgConn      *conn,
              TendClientActor *actor,
              PortalSession   *s,
              const char      *conversation_id)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) conversation = NULL;
  g_autoptr(TendRecord) message = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *sent = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  const char *raw;

  if (obj == NULL || (raw = string_member (req, obj, "text", 10000, TRUE)) == NULL)
    return;
  text = g_strstrip (g_strdup (raw));
  if (*text == '\0')
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The message is empty");
      return;
    }
  conversation = load_own (actor, req, TEND_TYPE_CONVERSATION, conversation_id, &error);
  if (conversation == NULL)
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  message = tend_record_new (TEND_TYPE_MESSAGE);
  tend_record_set_id (message, id);
  sent = tend_time_to_iso8601 (now);
  tend_record_set_string (message, "conversation_id", conversation_id);
  tend_record_set_int (message, "from_client", 1);
  tend_record_set_string (message, "text", text);
  tend_record_set_string (message, "sent_at", sent);
  if (!tend_record_validate (message, &error))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", "%s", error->message);
      return;
    }
  if (!write_records (req, actor, &message, 1))
    return;
  tend_request_reply_node (req, SOUP_STATUS_CREATED, tend_record_policy_client_view (message));
}

/* Who a conversation the client starts goes to, as the practice's setting
 * says: their clinician (active, on the staff); otherwise, or when the
 * setting says so, the front desk (every active member); with no front
 * desk, the owners.  Never chosen from the request. */
static GPtrArray *
client_start_members (TendRequest     *req,
                      TendPgConn      *conn,
                      TendClientActor *actor,
                      const char      *client_id,
                      const char      *setting,
                      GError         **error)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) staff = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TendRecord) client = NULL;
  const char *params[] = { req->principal.practice_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn, "SELECT id, body FROM record WHERE practice_id = $1"
                                                " AND type = 'staff' AND NOT deleted ORDER BY id",
                                          1, params, error);
  const char *clinician = NULL;

  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr(TendRecord) s = tend_record_new (TEND_TYPE_STAFF);

      tend_record_set_id (s, PQgetvalue (res, i, 0));
      if (tend_record_load_body_string (s, PQgetvalue (res, i, 1), -1, NULL) &&
          tend_staff_get_active (TEND_STAFF (s)))
        g_ptr_array_add (staff, g_steal_pointer (&s));
    }
  client = tend_client_actor_load (actor, TEND_TYPE_CLIENT, client_id, error);
  if (client == NULL && error != NULL && *error != NULL)
    return NULL;
  if (client != NULL && g_strcmp0 (setting, "clinician") == 0)
    clinician = tend_record_get_string (client, "primary_clinician_id");
  for (guint i = 0; clinician != NULL && i < staff->len; i++)
    if (g_strcmp0 (tend_record_get_id (staff->pdata[i]), clinician) == 0)
      g_ptr_array_add (members, g_strdup (clinician));
  for (TendRole role = TEND_ROLE_FRONT_DESK; members->len == 0; role = TEND_ROLE_OWNER)
    {
      for (guint i = 0; i < staff->len && members->len < TEND_CONVERSATION_MAX_MEMBERS; i++)
        if (tend_staff_get_role (TEND_STAFF (staff->pdata[i])) == role)
          g_ptr_array_add (members, g_strdup (tend_record_get_id (staff->pdata[i])));
      if (role == TEND_ROLE_OWNER)
        break;
    }
  return g_steal_pointer (&members);
}

/* POST /v1/portal/conversations {"subject"?, "text"}: the client starts a
 * conversation with the practice, unless the practice turned that off
 * (403 client_start_off).  The conversation and its first message are
 * written together, as the client's own (the record policy's client
 * rule), and reach Tend like any change. */
static void
start_conversation (TendRequest     *req,
                    TendPgConn      *conn,
                    TendClientActor *actor,
                    PortalSession   *s)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autofree char *zone = NULL;
  g_autoptr(TendRecord) practice = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = tend_time_to_iso8601 (now);
  g_autofree char *conversation_id = g_uuid_string_random ();
  g_autofree char *message_id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;
  TendRecord *records[2] = { NULL, NULL };
  const char *raw;
  const char *setting;

  if (obj == NULL)
    return;
  practice = load_practice (req, conn, &zone);
  setting = client_start_setting (practice);
  if (g_strcmp0 (setting, "off") == 0)
    {
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "client_start_off",
                          "The practice does not take new conversations through the portal: "
                          "answer one the practice started, or call the practice");
      return;
    }
  if ((raw = string_member (req, obj, "text", 10000, TRUE)) == NULL)
    return;
  text = g_strstrip (g_strdup (raw));
  if (json_object_has_member (obj, "subject") && !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "subject")))
    {
      if ((raw = string_member (req, obj, "subject", 200, TRUE)) == NULL)
        return;
      subject = g_strstrip (g_strdup (raw));
    }
  if (*text == '\0')
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The message is empty");
      return;
    }
  members = client_start_members (req, conn, actor, s->client_id, setting, &error);
  if (members == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (members->len == 0)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "no_recipient",
                          "Nobody at the practice can receive a new conversation yet: call the practice");
      return;
    }
  g_ptr_array_add (members, NULL);
  records[0] = tend_record_new (TEND_TYPE_CONVERSATION);
  tend_record_set_id (records[0], conversation_id);
  tend_record_set_strv (records[0], "members", (const char * const *) members->pdata);
  tend_record_set_string (records[0], "subject", subject != NULL && *subject != '\0' ? subject : NULL);
  tend_record_set_string (records[0], "client_id", s->client_id);
  tend_record_set_int (records[0], "with_client", TRUE);
  tend_record_set_int (records[0], "started_by_client", TRUE);
  tend_record_set_string (records[0], "created_by", s->client_id);
  tend_record_set_string (records[0], "created_at", at);
  records[1] = tend_record_new (TEND_TYPE_MESSAGE);
  tend_record_set_id (records[1], message_id);
  tend_record_set_string (records[1], "conversation_id", conversation_id);
  tend_record_set_int (records[1], "from_client", 1);
  tend_record_set_string (records[1], "text", text);
  tend_record_set_string (records[1], "sent_at", at);
  if (!tend_record_validate (records[0], &error) || !tend_record_validate (records[1], &error))
    tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", "%s", error->message);
  else if (write_records (req, actor, records, 2))
    tend_request_reply_node (req, SOUP_STATUS_CREATED, tend_record_policy_client_view (records[0]));
  g_object_unref (records[0]);
  g_object_unref (records[1]);
}

/* Forms */

static gboolean
instrument_from_string (const char     *name,
                        TendInstrument *out)
{
  for (guint i = 0; name != NULL && i < TEND_N_INSTRUMENTS; i++)
    if (g_strcmp0 (tend_instrument_to_string ((TendInstrument) i), name) == 0)
      {
        *out = (TendInstrument) i;
        return TRUE;
      }
  return FALSE;
}

static JsonNode *
form_node (TendRecord *record)
{
  TendPortalForm *form = TEND_PORTAL_FORM (record);
  JsonNode *node = tend_record_policy_client_view (record);
  JsonObject *obj = json_node_get_object (node);
  TendInstrument instrument;

  if (tend_portal_form_is_signed_text (form))
    {
      g_autofree char *sha = tend_portal_form_text_sha256 (tend_portal_form_get_text (form));

      json_object_set_string_member (obj, "text_sha256", sha);
    }
  else if (instrument_from_string (tend_portal_form_get_instrument (form), &instrument))
    {
      JsonArray *items = json_array_new ();
      JsonArray *options = json_array_new ();
      JsonArray *item_options = json_array_new ();

      json_object_set_string_member (obj, "stem", tend_instrument_get_stem (instrument));
      for (guint i = 0; i < tend_instrument_get_n_items (instrument); i++)
        {
          JsonArray *these = json_array_new ();

          json_array_add_string_element (items, tend_instrument_get_item (instrument, i));
          /* Each item's own answers: the AUDIT-C's differ from item to item. */
          for (guint o = 0; o < tend_instrument_get_n_options (instrument, i); o++)
            json_array_add_string_element (these, tend_instrument_get_option (instrument, i, o));
          json_array_add_array_element (item_options, these);
        }
      for (guint o = 0; o < tend_instrument_get_n_options (instrument, 0); o++)
        json_array_add_string_element (options, tend_instrument_get_option (instrument, 0, o));
      json_object_set_array_member (obj, "items", items);
      json_object_set_array_member (obj, "options", options);
      json_object_set_array_member (obj, "item_options", item_options);
    }
  return node;
}

/* A withdrawn form is no longer the client's to see. */
static JsonNode *
form_node_unless_withdrawn (TendRecord *record)
{
  if (g_strcmp0 (tend_record_get_string (record, "status"), "withdrawn") == 0)
    return NULL;
  return form_node (record);
}

static void
list_forms (TendRequest     *req,
            TendPgConn      *conn,
            TendClientActor *actor,
            PortalSession   *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = load_where (actor, req, conn, TEND_TYPE_PORTAL_FORM, "client_id", s->client_id, &error);

  if (reply_list (req, "forms", list, error, form_node_unless_withdrawn))
    audit_as (req, conn, s->practice_id, s->account_id, "portal-read", "portal_form", NULL);
}

static TendRecord *
load_pending_form (TendRequest     *req,
                   TendClientActor *actor,
                   const char      *id,
                   TendPortalFormKind kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) form = load_own (actor, req, TEND_TYPE_PORTAL_FORM, id, &error);

  if (form == NULL)
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return NULL;
    }
  /* Consents and plans to co-sign are signed alike (sign_form ()). */
  if (kind == TEND_PORTAL_FORM_CONSENT ? !tend_portal_form_is_signed_text (TEND_PORTAL_FORM (form))
                                       : tend_portal_form_get_kind (TEND_PORTAL_FORM (form)) != kind)
    {
      reply_not_found (req);
      return NULL;
    }
  if (!tend_portal_form_is_pending (TEND_PORTAL_FORM (form)))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "completed", "This form was completed already");
      return NULL;
    }
  return g_steal_pointer (&form);
}

/* Inside the signature's transaction (the practice's row locked, so no push
 * lands between the check and the commit): the plan a request names is
 * still this client's, signed as it was when the client was asked, and no
 * plan of theirs signed since replaces it.  FALSE with a 409 answered (or
 * @error set). */
static gboolean
plan_still_as_asked (TendRequest     *req,
                     TendPgConn      *conn,
                     TendClientActor *actor,
                     PortalSession   *s,
                     TendRecord      *form,
                     GError         **error)
{
  const char *plan_id = tend_record_get_string (form, "plan_id");
  g_autoptr(TendRecord) plan = tend_client_actor_load (actor, TEND_TYPE_TREATMENT_PLAN, plan_id, error);
  g_autoptr(PGresult) newer = NULL;

  if (plan == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (plan == NULL || g_strcmp0 (tend_record_get_string (plan, "client_id"), s->client_id) != 0 ||
      tend_treatment_plan_get_status (TEND_TREATMENT_PLAN (plan)) != TEND_SIGN_STATUS_SIGNED ||
      g_strcmp0 (tend_record_get_string (plan, "content_sha256"), tend_record_get_string (form, "plan_sha256")) != 0)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "plan_changed",
                          "The treatment plan changed after you were asked to sign it: ask your clinician for the new one");
      return FALSE;
    }
  {
    const char *params[] = { req->principal.practice_id, s->client_id, plan_id,
                             tend_record_get_string (plan, "signed_at") };

    newer = tend_pg_exec (conn, "SELECT 1 FROM record WHERE practice_id = $1 AND type = 'treatment_plan' AND NOT deleted"
                                " AND body::jsonb ->> 'client_id' = $2 AND id <> $3"
                                " AND body::jsonb ->> 'status' = 'signed' AND body::jsonb ->> 'signed_at' > $4 LIMIT 1",
                          4, params, error);
  }
  if (newer == NULL)
    return FALSE;
  if (PQntuples (newer) > 0)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "plan_changed",
                          "Your clinician has signed a newer treatment plan: this one can no longer be signed");
      return FALSE;
    }
  return TRUE;
}

/* The signature, and its PDF kept in the chart as a document (shared with
 * the client), in one transaction. */
static gboolean
sign_and_keep (TendRequest     *req,
               TendPgConn      *conn,
               TendClientActor *actor,
               PortalSession   *s,
               TendRecord      *form,
               GDateTime       *now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) client = tend_client_actor_load (actor, TEND_TYPE_CLIENT, s->client_id, NULL);
  g_autofree char *zone = NULL;
  g_autoptr(TendRecord) practice = load_practice (req, conn, &zone);
  g_autofree char *client_name = client != NULL ? g_strjoin (" ", tend_record_get_string (client, "legal_given"),
                                                             tend_record_get_string (client, "legal_family"), NULL)
                                                : NULL;
  g_autofree char *pdf_date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *title = g_strdup_printf ("%s (signed)", tend_record_get_string (form, "title"));
  g_autofree char *doc_id = tend_record_derive_id ("portal-consent-pdf", tend_record_get_id (form), "1");
  g_autofree char *sha = NULL;
  g_autofree char *size = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(TendRecord) doc = NULL;
  g_autoptr(PGresult) blob = NULL;
  const char *code = NULL;
  g_autofree char *message = NULL;

  pdf = tend_consent_pdf_new (practice != NULL ? tend_record_get_string (practice, "name") : NULL, client_name,
                              tend_record_get_string (form, "title"), tend_portal_form_get_text (TEND_PORTAL_FORM (form)),
                              tend_record_get_string (form, "signed_name"), pdf_date,
                              tend_record_get_string (form, "signed_address"),
                              tend_record_get_string (form, "signed_user_agent"),
                              tend_record_get_string (form, "text_sha256"));
  if (pdf == NULL)
    {
      tend_request_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", "The signed form could not be made");
      return FALSE;
    }
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (pdf));
  doc = tend_record_new (TEND_TYPE_DOCUMENT);
  tend_record_set_id (doc, doc_id);
  tend_record_set_string (doc, "client_id", s->client_id);
  tend_record_set_string (doc, "title", title);
  tend_record_set_string (doc, "mime_type", "application/pdf");
  tend_record_set_int (doc, "size", (gint64) g_bytes_get_size (pdf));
  tend_record_set_string (doc, "sha256", sha);
  tend_record_set_string (doc, "added_at", tend_record_get_string (form, "completed_at"));
  tend_record_set_int (doc, "shared_with_client", 1);

  if (!tend_client_actor_begin (actor, &error))
    goto db_error;
  {
    const char *params[] = { req->principal.practice_id, sha, size, NULL };
    int lengths[] = { 0, 0, 0, (int) g_bytes_get_size (pdf) };
    int formats[] = { 0, 0, 0, 1 };

    params[3] = g_bytes_get_data (pdf, NULL);
    blob = tend_pg_exec_full (conn, "INSERT INTO blob (practice_id, sha256, size, data) VALUES ($1, $2, $3::bigint, $4)"
                                    " ON CONFLICT DO NOTHING",
                              4, params, lengths, formats, 0, &error);
  }
  if (blob == NULL)
    {
      tend_pg_rollback (conn);
      goto db_error;
    }
  if (tend_portal_form_get_kind (TEND_PORTAL_FORM (form)) == TEND_PORTAL_FORM_PLAN &&
      !plan_still_as_asked (req, conn, actor, s, form, &error))
    {
      tend_pg_rollback (conn);
      if (error != NULL)
        goto db_error;
      return FALSE;
    }
  if (!tend_client_actor_apply (actor, form, &code, &message, &error))
    {
      tend_pg_rollback (conn);   /* the blob too */
      if (error != NULL)
        goto db_error;
      tend_request_error (req, g_strcmp0 (code, "conflict") == 0 ? SOUP_STATUS_CONFLICT : SOUP_STATUS_FORBIDDEN,
                          code != NULL ? code : "forbidden", "%s", message != NULL ? message : "Not allowed");
      return FALSE;
    }
  if (!tend_client_actor_apply_as_server (actor, doc, &error) || !tend_client_actor_commit (actor, &error))
    {
      tend_pg_rollback (conn);
      goto db_error;
    }
  return TRUE;

db_error:
  tend_request_db_error (req, error);
  return FALSE;
}

/* POST /v1/portal/forms/{id}/sign {"name", "text_sha256"}: the hash is of
 * the text the page showed; it must be the text held.  A consent, or a
 * treatment plan the client is asked to co-sign (then the plan must still
 * be as it was signed when they were asked: plan_still_as_asked ()). */
static void
sign_form (TendRequest     *req,
           TendPgConn      *conn,
           TendClientActor *actor,
           PortalSession   *s,
           const char      *id)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(TendRecord) form = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *name = NULL;
  g_autofree char *agent = NULL;
  const char *raw_name, *shown;
  const char *ua = header (req, "User-Agent");

  if (obj == NULL || (raw_name = string_member (req, obj, "name", 120, TRUE)) == NULL ||
      (shown = string_member (req, obj, "text_sha256", 64, TRUE)) == NULL)
    return;
  name = g_strstrip (g_strdup (raw_name));
  if (*name == '\0')
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "Type your name to sign");
      return;
    }
  if ((form = load_pending_form (req, actor, id, TEND_PORTAL_FORM_CONSENT)) == NULL)
    return;
  sha = tend_portal_form_text_sha256 (tend_portal_form_get_text (TEND_PORTAL_FORM (form)));
  if (strcmp (sha, shown) != 0)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "text_changed",
                          "The text you read is not the form's text: reload the form");
      return;
    }
  when = tend_time_to_iso8601 (now);
  agent = ua != NULL && g_utf8_validate (ua, -1, NULL) ? g_utf8_substring (ua, 0, MIN (g_utf8_strlen (ua, -1), 400))
                                                       : g_strdup ("unknown");
  tend_record_set_string (form, "status", "completed");
  tend_record_set_string (form, "completed_at", when);
  tend_record_set_string (form, "signed_name", name);
  tend_record_set_string (form, "signed_address", req->remote);
  tend_record_set_string (form, "signed_user_agent", agent);
  tend_record_set_string (form, "text_sha256", sha);
  if (!sign_and_keep (req, conn, actor, s, form, now))
    return;
  tend_request_reply_node (req, SOUP_STATUS_OK, form_node (form));
}

/* POST /v1/portal/forms/{id}/answers {"answers": [n, ...]}: a measure
 * record, and the form completed, in one transaction.  A PHQ-9 item 9
 * above 0 raises the chart's risk alert in Tend and notifies the
 * clinician who assigned it. */
static void
answer_form (TendRequest     *req,
             TendPgConn      *conn,
             TendClientActor *actor,
             PortalSession   *s,
             const char      *id)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) form = NULL;
  g_autoptr(TendRecord) measure = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = NULL;
  g_autofree char *date = NULL;
  g_autofree char *measure_id = g_uuid_string_random ();
  g_autofree char *answers_json = NULL;
  JsonNode *answers;
  TendInstrument instrument;
  guint values[TEND_INSTRUMENT_MAX_ITEMS], n, score = 0;
  TendRecord *both[2];

  if (obj == NULL)
    return;
  answers = json_object_get_member (obj, "answers");
  if (answers == NULL || !JSON_NODE_HOLDS_ARRAY (answers) ||
      (n = json_array_get_length (json_node_get_array (answers))) > TEND_INSTRUMENT_MAX_ITEMS)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“answers” must be a list of numbers");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (answers), i);

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64 ||
          json_node_get_int (e) < 0 || json_node_get_int (e) > 100)
        {
          tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“answers” must be a list of numbers");
          return;
        }
      values[i] = (guint) json_node_get_int (e);
    }
  if ((form = load_pending_form (req, actor, id, TEND_PORTAL_FORM_MEASURE)) == NULL)
    return;
  if (!instrument_from_string (tend_portal_form_get_instrument (TEND_PORTAL_FORM (form)), &instrument) ||
      !tend_instrument_score (instrument, values, n, &score, &error))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", "%s",
                          error != NULL ? error->message : "Unknown questionnaire");
      return;
    }
  when = tend_time_to_iso8601 (now);
  date = g_date_time_format (now, "%Y-%m-%d");
  answers_json = json_to_string (answers, FALSE);
  measure = tend_record_new (TEND_TYPE_MEASURE);
  tend_record_set_id (measure, measure_id);
  tend_record_set_string (measure, "client_id", s->client_id);
  tend_record_set_string (measure, "instrument", tend_portal_form_get_instrument (TEND_PORTAL_FORM (form)));
  tend_record_set_string (measure, "date", date);
  tend_record_set_json (measure, "answers", answers);
  tend_record_set_int (measure, "score", score);
  if (!tend_record_validate (measure, &error))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", "%s", error->message);
      return;
    }
  tend_record_set_string (form, "status", "completed");
  tend_record_set_string (form, "completed_at", when);
  tend_record_set_string (form, "measure_id", measure_id);
  both[0] = measure;
  both[1] = form;
  if (!write_records (req, actor, both, 2))
    return;
  if (tend_measure_has_risk (TEND_MEASURE (measure)))
    {
      /* No clinical detail in the notice: the chart has the answers. */
      g_autoptr(TendRecord) clinician = tend_client_actor_load (actor, TEND_TYPE_STAFF,
                                                                tend_portal_form_get_assigned_by (TEND_PORTAL_FORM (form)),
                                                                NULL);
      const char *to = clinician != NULL ? tend_record_get_string (clinician, "email") : NULL;

      audit_as (req, conn, s->practice_id, s->account_id, "portal-risk-alert", "measure", measure_id);
      if (to != NULL &&
          tend_server_portal_send_mail (req->server, conn, s->practice_id, to,
                                        "A questionnaire needs your attention",
                                        "A client answered a questionnaire in the portal with an answer that needs "
                                        "your attention today. Open their chart in Tend.\n",
                                        "measure-alert", &error))
        tend_server_portal_kick (req->server);
      else if (error != NULL)
        g_warning ("Cannot notify the clinician of measure %s", measure_id);
    }
  tend_request_reply_node (req, SOUP_STATUS_OK, form_node (form));
}

/* POST /v1/portal/forms/{id}/details {"details": {"phone_mobile": "…", …}}:
 * an intake form's contact and insurance details, as the client typed
 * them (trimmed; empty ones left out).  They wait in the form until the
 * staff review them into the client record. */
static void
fill_in_form (TendRequest     *req,
              TendPgConn      *conn,
              TendClientActor *actor,
              PortalSession   *s,
              const char      *id)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) form = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  JsonNode *given;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  guint n = 0;

  if (obj == NULL)
    return;
  given = json_object_get_member (obj, "details");
  if (given == NULL || !JSON_NODE_HOLDS_OBJECT (given))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“details” must be an object of text");
      return;
    }
  json_builder_begin_object (b);
  json_object_iter_init (&iter, json_node_get_object (given));
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *text = NULL;

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“details” must be an object of text");
          return;
        }
      text = g_strstrip (g_strdup (json_node_get_string (value)));
      if (*text == '\0')
        continue;
      json_builder_set_member_name (b, name);
      json_builder_add_string_value (b, text);
      n++;
    }
  json_builder_end_object (b);
  if (n == 0)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "Fill in at least one detail");
      return;
    }
  details = json_builder_get_root (b);
  if ((form = load_pending_form (req, actor, id, TEND_PORTAL_FORM_INTAKE)) == NULL)
    return;
  when = tend_time_to_iso8601 (now);
  tend_record_set_json (form, "details", details);
  tend_record_set_string (form, "status", "completed");
  tend_record_set_string (form, "completed_at", when);
  if (!tend_record_validate (form, &error))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid", "%s", error->message);
      return;
    }
  if (!write_records (req, actor, &form, 1))
    return;
  tend_request_reply_node (req, SOUP_STATUS_OK, form_node (form));
}

/* Documents */

/* A shared chart document, or a shared statement or superbill, as the
 * documents page lists it: "kind" ("document", "statement", "superbill"),
 * "mime_type" and "added_at" for each. */
static JsonNode *
document_node (TendRecord *record)
{
  JsonNode *node = tend_record_policy_client_view (record);
  JsonObject *obj = json_node_get_object (node);

  if (TEND_IS_SHARED_BILL (record))
    {
      json_object_set_string_member (obj, "mime_type", "application/pdf");
      if (json_object_has_member (obj, "shared_at"))
        json_object_set_string_member (obj, "added_at", json_object_get_string_member (obj, "shared_at"));
    }
  else
    json_object_set_string_member (obj, "kind", "document");
  return node;
}

static void
list_documents (TendRequest     *req,
                TendPgConn      *conn,
                TendClientActor *actor,
                PortalSession   *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = load_where (actor, req, conn, TEND_TYPE_DOCUMENT, "client_id", s->client_id, &error);
  g_autoptr(GPtrArray) bills = list != NULL
    ? load_where (actor, req, conn, TEND_TYPE_SHARED_BILL, "client_id", s->client_id, &error) : NULL;

  if (bills != NULL)
    g_ptr_array_extend_and_steal (list, g_steal_pointer (&bills));
  reply_list (req, "documents", error == NULL ? list : NULL, error, document_node);
}

/* GET /v1/portal/safety-plan: the client's current safety plan (the latest
 * by date) once the clinician shared it, or null. */
static void
get_safety_plan (TendRequest     *req,
                 TendPgConn      *conn,
                 TendClientActor *actor,
                 PortalSession   *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = load_where (actor, req, conn, TEND_TYPE_SAFETY_PLAN, "client_id", s->client_id, &error);
  g_autoptr(JsonBuilder) b = NULL;
  TendRecord *current = NULL;

  if (list == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  for (guint i = 0; i < list->len; i++)
    if (current == NULL || g_strcmp0 (tend_record_get_string (list->pdata[i], "plan_date"),
                                      tend_record_get_string (current, "plan_date")) > 0)
      current = list->pdata[i];
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "safety_plan");
  if (current != NULL)
    json_builder_add_value (b, tend_record_policy_client_view (current));
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  if (current != NULL)
    audit_as (req, conn, s->practice_id, s->account_id, "portal-read", "safety_plan", tend_record_get_id (current));
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

/* A file name for a download: the kind and what names the file (a bill's
 * number, typed by staff, kept to letters, digits and dashes). */
static char *
download_name (const char *kind,
               const char *name)
{
  GString *out = g_string_new (kind);

  g_string_append_c (out, '-');
  for (const char *p = name; p != NULL && *p != '\0'; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) || *p == '-' ? *p : '_');
  return g_string_free (out, FALSE);
}

/* GET /v1/portal/documents/{id}/download: a shared chart document or a
 * shared statement or superbill of the signed-in client's; anything else
 * (another client's, one no longer shared, no such id) is the same 404. */
static void
download_document (TendRequest     *req,
                   TendPgConn      *conn,
                   TendClientActor *actor,
                   PortalSession   *s,
                   const char      *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) doc = tend_client_actor_load (actor, TEND_TYPE_DOCUMENT, id, &error);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *file_name = NULL;
  const char *params[2];
  const char *mime_type;
  static const int formats[] = { 0, 0 };

  if (doc == NULL && error == NULL)
    doc = tend_client_actor_load (actor, TEND_TYPE_SHARED_BILL, id, &error);
  if (error == NULL && doc != NULL &&
      !tend_record_policy_client_may_read (tend_client_actor_get_actor (actor), doc, &error))
    g_clear_object (&doc);
  if (error != NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (doc == NULL)
    {
      reply_not_found (req);
      return;
    }
  params[0] = req->principal.practice_id;
  params[1] = tend_record_get_string (doc, "sha256");
  res = tend_pg_exec_full (conn, "SELECT data FROM blob WHERE practice_id = $1 AND sha256 = $2",
                           2, params, NULL, formats, 1, &error);
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQntuples (res) != 1)
    {
      reply_not_found (req);
      return;
    }
  audit_as (req, conn, s->practice_id, s->account_id, "portal-download", tend_record_get_type_name (doc), id);
  if (TEND_IS_SHARED_BILL (doc))
    {
      mime_type = "application/pdf";
      file_name = download_name (tend_shared_bill_get_kind (TEND_SHARED_BILL (doc)), tend_record_get_string (doc, "number"));
    }
  else
    {
      mime_type = tend_document_get_mime_type (TEND_DOCUMENT (doc));
      mime_type = g_strcmp0 (mime_type, "application/pdf") == 0 ? "application/pdf"
                  : g_strcmp0 (mime_type, "image/png") == 0 ? "image/png" : "image/jpeg";
      file_name = download_name ("document", id);
    }
  req->status = SOUP_STATUS_OK;
  req->response_bytes = g_bytes_new (PQgetvalue (res, 0, 0), (gsize) PQgetlength (res, 0, 0));
  req->response_type = mime_type;
  disposition = g_strdup_printf ("attachment; filename=\"%s.%s\"", file_name,
                                 g_str_equal (mime_type, "application/pdf") ? "pdf"
                                 : g_str_equal (mime_type, "image/png") ? "png" : "jpg");
  tend_request_add_header (req, "Content-Disposition", disposition);
}

/* Notices */

/* The notice for one account (@row of @account: id, email, language,
 * practice name), unless it had one a moment ago. */
static gboolean
notice_account (TendRequest *req,
                TendPgConn  *conn,
                PGresult    *account,
                int          row,
                GError     **error)
{
  g_autoptr(PGresult) recent = NULL;
  g_autofree char *key = NULL;
  g_autofree char *base = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  gboolean es;

  key = g_strconcat ("portal-notice:", PQgetvalue (account, row, 0), NULL);
  {
    const char *params[] = { key };

    recent = tend_pg_exec (conn,
                           "WITH old AS (DELETE FROM login_failure WHERE key = $1"
                           "             AND at < now () - make_interval (secs => " G_STRINGIFY (PORTAL_RATE_WINDOW_S) ")),"
                           " seen AS (SELECT 1 FROM login_failure WHERE key = $1"
                           "          AND at >= now () - make_interval (secs => " G_STRINGIFY (PORTAL_RATE_WINDOW_S) "))"
                           " INSERT INTO login_failure (key) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM seen)"
                           " RETURNING 1",
                           1, params, error);
  }
  if (recent == NULL)
    return FALSE;
  if (PQntuples (recent) == 0)
    return TRUE;   /* told a moment ago */
  es = g_strcmp0 (PQgetvalue (account, row, 2), "es") == 0;
  base = portal_base_url (req);
  subject = g_strdup_printf (es ? "Tiene un mensaje nuevo de %s" : "You have a new message from %s",
                             PQgetvalue (account, row, 3));
  text = g_strdup_printf (es ? "Tiene un mensaje nuevo de %s en su portal de clientes.\n\nEntre para leerlo:\n%s#messages\n"
                             : "You have a new message from %s in your client portal.\n\nSign in to read it:\n%s#messages\n",
                          PQgetvalue (account, row, 3), base);
  return tend_server_portal_send_mail (req->server, conn, req->principal.practice_id, PQgetvalue (account, row, 1),
                                       subject, text, "message-notice", error);
}

/**
 * tend_server_portal_message_notice:
 * @message: a new message by a member of staff, being written in @conn's
 *   transaction
 *
 * When @message is in a client's thread and the client has a portal
 * account, queues "you have a new message" (never the message itself), at
 * most one every PORTAL_RATE_WINDOW_S for an account (the client's and each guardian's).
 */
gboolean
tend_server_portal_message_notice (TendRequest     *req,
                                   TendPgConn      *conn,
                                   TendPolicyActor *actor,
                                   TendMessage     *message,
                                   GError         **error)
{
  g_autoptr(TendRecord) conversation = NULL;
  g_autoptr(PGresult) account = NULL;
  const char *client_id;

  conversation = tend_policy_actor_load (actor, TEND_TYPE_CONVERSATION, tend_message_get_conversation_id (message),
                                         error);
  if (conversation == NULL)
    return error == NULL || *error == NULL;
  if (!tend_conversation_is_with_client (TEND_CONVERSATION (conversation)))
    return TRUE;
  client_id = tend_conversation_get_client_id (TEND_CONVERSATION (conversation));
  {
    const char *params[] = { req->principal.practice_id, client_id };

    /* The client's own account and their guardians'. */
    account = tend_pg_exec (conn, "SELECT a.id, a.email, a.language, p.name FROM portal_account a"
                                  " JOIN practice p ON p.id = a.practice_id"
                                  " WHERE a.practice_id = $1 AND a.client_id = $2 AND a.active",
                            2, params, error);
  }
  if (account == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (account); row++)
    if (!notice_account (req, conn, account, row, error))
      return FALSE;
  return TRUE;
}

/* Live events (tend-server-portal-live.c) */

/* GET /v1/portal/events: the page's event stream, opened by TendServer
 * once this answers (the session checked, its expiry not moved on). */
static void
open_events (TendRequest   *req,
             TendPgConn    *conn,
             PortalSession *s)
{
  g_autoptr(GError) error = NULL;
  const char *params[] = { s->practice_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn, "SELECT seq FROM practice WHERE id = $1", 1, params, &error);
  TendPortalStreamInfo *info;

  if (res == NULL || PQntuples (res) != 1)
    {
      tend_request_db_error (req, error);
      return;
    }
  info = g_new0 (TendPortalStreamInfo, 1);
  info->practice_id = g_strdup (s->practice_id);
  info->client_id = g_strdup (s->client_id);
  info->account_id = g_strdup (s->account_id);
  info->token_hash = g_strdup (s->token_hash);
  info->related_person_id = g_strdup (s->related_person_id);
  info->expires_s = s->expires_s;
  info->seq = tend_pg_get_int (res, 0, 0);
  req->portal_stream = info;
  req->status = SOUP_STATUS_OK;
}

/**
 * tend_server_portal_live_filter:
 * @info: a stream's session
 * @records: message and conversation records of its practice that changed
 * @conversation_ids: (element-type utf8): gets the ids of the conversations
 *   among them the session may read, each once
 * @ended: set when the session ended (signed out, expired, the account
 *   turned off, or a guardian who no longer acts for the client)
 *
 * What a stream may hear of @records: exactly what the session's own
 * requests would read (tend_record_policy_client_may_read () for the
 * session's client), while the session is what portal_handler () accepts.
 * In a thread, with its own connection.
 */
gboolean
tend_server_portal_live_filter (TendPgConn                 *conn,
                                const TendPortalStreamInfo *info,
                                GPtrArray                  *records,
                                GPtrArray                  *conversation_ids,
                                gboolean                   *ended,
                                GError                    **error)
{
  /* The actor's lookups need only the practice (see server_actor_load). */
  TendRequest req = { 0 };
  g_autoptr(TendClientActor) actor = NULL;
  g_autoptr(PGresult) res = NULL;

  *ended = FALSE;
  {
    const char *params[] = { info->token_hash, info->account_id };

    res = tend_pg_exec (conn, "SELECT 1 FROM portal_session s JOIN portal_account a ON a.id = s.account_id"
                              " WHERE s.token_hash = $1::bytea AND s.account_id = $2 AND s.expires_at > now ()"
                              " AND a.active",
                        2, params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    {
      *ended = TRUE;
      return TRUE;
    }
  req.principal.practice_id = info->practice_id;
  if (info->related_person_id != NULL)
    {
      g_autoptr(GError) refusal = NULL;

      if (!guardian_acts_for (&req, conn, info->related_person_id, info->client_id, &refusal, error))
        {
          *ended = refusal != NULL;
          return refusal != NULL;
        }
    }
  actor = tend_client_actor_new (&req, conn, info->client_id);
  for (guint i = 0; i < records->len; i++)
    {
      TendRecord *record = records->pdata[i];
      const char *id;
      g_autoptr(GError) local = NULL;

      if (!tend_record_policy_client_may_read (tend_client_actor_get_actor (actor), record, &local))
        {
          if (local != NULL && local->domain != TEND_ERROR)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          continue;
        }
      id = TEND_IS_MESSAGE (record) ? tend_message_get_conversation_id (TEND_MESSAGE (record))
                                    : tend_record_get_id (record);
      if (!g_ptr_array_find_with_equal_func (conversation_ids, id, g_str_equal, NULL))
        g_ptr_array_add (conversation_ids, g_strdup (id));
    }
  return TRUE;
}

/* Dispatch */

/* "/v1/portal/<a>/<id>/<b>" split; %NULL-terminated, at most 3 parts. */
static char **
path_parts (const char *path)
{
  const char *rest = path + strlen ("/v1/portal/");

  return g_strsplit (rest, "/", 4);
}

static void
portal_handler (TendRequest *req,
                TendPgConn  *conn)
{
  g_auto(GStrv) parts = path_parts (req->path);
  guint n = g_strv_length (parts);
  gboolean post = strcmp (req->route->method, "POST") == 0;
  g_auto(PortalSession) s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClientActor) actor = NULL;
  const char *a = n > 0 ? parts[0] : "";

  add_security_headers (req);
  if (post && n == 2 && strcmp (a, "signin") == 0)
    {
      if (!check_write (req, NULL))
        return;
      if (strcmp (parts[1], "code") == 0)
        signin_code (req, conn);
      else if (strcmp (parts[1], "verify") == 0)
        signin_verify (req, conn);
      else if (strcmp (parts[1], "link") == 0)
        signin_link (req, conn);
      else
        tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
      return;
    }

  if (!portal_authenticate (req, conn, !(!post && n == 1 && strcmp (a, "events") == 0), &s, &error))
    {
      if (error != NULL)
        tend_request_db_error (req, error);
      return;
    }
  if (post && !check_write (req, &s))
    return;
  /* Ids in paths are UUIDs, or nothing of anyone's. */
  if (n >= 2 && !g_uuid_string_is_valid (parts[1]))
    {
      reply_not_found (req);
      return;
    }
  actor = tend_client_actor_new (req, conn, s.client_id);

  /* A guardian acts for the client only while the practice's records say
   * they are the legal guardian of a minor: checked at every request
   * (signing out always works). */
  if (s.related_person_id != NULL && !(post && n == 1 && g_str_has_prefix (a, "signout")))
    {
      g_autoptr(GError) refusal = NULL;

      if (!guardian_acts_for (req, conn, s.related_person_id, s.client_id, &refusal, &error))
        {
          if (error != NULL)
            tend_request_db_error (req, error);
          else
            tend_request_error (req, SOUP_STATUS_FORBIDDEN, "guardian_ended",
                                "This account no longer acts for the client: %s", refusal->message);
          return;
        }
    }

  if (!post && n == 1 && strcmp (a, "me") == 0)
    get_me (req, conn, actor, &s);
  else if (!post && n == 1 && strcmp (a, "events") == 0)
    open_events (req, conn, &s);
  else if (post && n == 1 && strcmp (a, "signout") == 0)
    signout (req, conn, &s, FALSE);
  else if (post && n == 1 && strcmp (a, "signout-everywhere") == 0)
    signout (req, conn, &s, TRUE);
  else if (!post && n == 1 && strcmp (a, "appointments") == 0)
    list_appointments (req, conn, actor, &s);
  else if (post && n == 3 && strcmp (a, "appointments") == 0 &&
           (strcmp (parts[2], "confirm") == 0 || strcmp (parts[2], "cancel") == 0))
    change_appointment (req, conn, actor, &s, parts[1], parts[2]);
  else if (!post && n == 3 && strcmp (a, "appointments") == 0 && strcmp (parts[2], "slots") == 0)
    list_slots (req, conn, actor, parts[1]);
  else if (post && n == 3 && strcmp (a, "appointments") == 0 && strcmp (parts[2], "request") == 0)
    request_time (req, conn, actor, &s, parts[1]);
  else if (post && n == 3 && strcmp (a, "appointments") == 0 && strcmp (parts[2], "join") == 0)
    join_video (req, conn, actor, &s, parts[1]);
  else if (!post && n == 1 && strcmp (a, "conversations") == 0)
    list_conversations (req, conn, actor, &s);
  else if (post && n == 1 && strcmp (a, "conversations") == 0)
    start_conversation (req, conn, actor, &s);
  else if (n == 3 && strcmp (a, "conversations") == 0 && strcmp (parts[2], "messages") == 0)
    {
      if (post)
        send_message (req, conn, actor, &s, parts[1]);
      else
        list_messages (req, conn, actor, &s, parts[1]);
    }
  else if (!post && n == 1 && strcmp (a, "forms") == 0)
    list_forms (req, conn, actor, &s);
  else if (post && n == 3 && strcmp (a, "forms") == 0 && strcmp (parts[2], "sign") == 0)
    sign_form (req, conn, actor, &s, parts[1]);
  else if (post && n == 3 && strcmp (a, "forms") == 0 && strcmp (parts[2], "answers") == 0)
    answer_form (req, conn, actor, &s, parts[1]);
  else if (post && n == 3 && strcmp (a, "forms") == 0 && strcmp (parts[2], "details") == 0)
    fill_in_form (req, conn, actor, &s, parts[1]);
  else if (!post && n == 1 && strcmp (a, "documents") == 0)
    list_documents (req, conn, actor, &s);
  else if (!post && n == 1 && strcmp (a, "safety-plan") == 0)
    get_safety_plan (req, conn, actor, &s);
  else if (!post && n == 3 && strcmp (a, "documents") == 0 && strcmp (parts[2], "download") == 0)
    download_document (req, conn, actor, &s, parts[1]);
  else
    tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
}

/* Staff: POST /v1/portal-invitations {"client_id", "email", "language"?,
 * "related_person_id"?} (a bearer token, a role that edits demographics):
 * the client's portal account (made, or its address changed) and an e-mail
 * with a link.  With "related_person_id", the account is that related
 * person's, acting for the client: only for the client's legal guardian
 * while the client is a minor (403 "not_guardian" otherwise), checked from
 * the records the server holds, never from the request. */
static void
invite_handler (TendRequest *req,
                TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  JsonObject *obj = body_object (req, root);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) client = NULL;
  g_autoptr(PGresult) account = NULL;
  g_autofree char *new_id = g_uuid_string_random ();
  g_autofree char *link = NULL;
  const char *client_id, *email, *language, *related_person_id = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (obj == NULL)
    return;
  if (!tend_role_can (req->principal.role, TEND_PERMISSION_EDIT_DEMOGRAPHICS))
    {
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Your role may not invite clients to the portal");
      return;
    }
  if ((client_id = string_member (req, obj, "client_id", 36, TRUE)) == NULL ||
      (email = string_member (req, obj, "email", 254, TRUE)) == NULL)
    return;
  language = language_of (string_member (req, obj, "language", 8, FALSE));
  if (json_object_has_member (obj, "related_person_id") &&
      (related_person_id = string_member (req, obj, "related_person_id", 36, TRUE)) == NULL)
    return;
  if (related_person_id != NULL && !g_uuid_string_is_valid (related_person_id))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“related_person_id” must be a record id");
      return;
    }
  if (!g_uuid_string_is_valid (client_id) || !email_is_plausible (email))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "A client id and an e-mail address are needed");
      return;
    }
  {
    const char *params[] = { req->principal.practice_id, client_id };

    client = tend_pg_exec (conn, "SELECT p.name FROM record r JOIN practice p ON p.id = r.practice_id"
                                 " WHERE r.practice_id = $1 AND r.type = 'client' AND r.id = $2 AND NOT r.deleted",
                           2, params, &error);
  }
  if (client == NULL)
    goto db_error;
  if (PQntuples (client) != 1)
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "The client is not on the server yet: sync first");
      return;
    }
  if (related_person_id != NULL)
    {
      g_autoptr(GError) refusal = NULL;

      if (!guardian_acts_for (req, conn, related_person_id, client_id, &refusal, &error))
        {
          if (error != NULL)
            goto db_error;
          if (g_error_matches (refusal, TEND_ERROR, TEND_ERROR_NOT_FOUND))
            tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                                "The related person is not on the server yet: sync first");
          else
            tend_request_error (req, SOUP_STATUS_FORBIDDEN, "not_guardian", "%s", refusal->message);
          return;
        }
    }
  if (!tend_pg_run (conn, "BEGIN", &error))
    goto db_error;
  if (related_person_id == NULL)
    {
      const char *params[] = { new_id, req->principal.practice_id, client_id, email, language, req->principal.staff_id };

      account = tend_pg_exec (conn,
                              "INSERT INTO portal_account (id, practice_id, client_id, email, language, invited_by)"
                              " VALUES ($1, $2, $3, $4, $5, $6)"
                              " ON CONFLICT (practice_id, client_id) WHERE related_person_id IS NULL"
                              " DO UPDATE SET email = EXCLUDED.email, language = EXCLUDED.language, active = true"
                              " RETURNING id",
                              6, params, &error);
    }
  else
    {
      const char *params[] = { new_id, req->principal.practice_id, client_id, email, language, req->principal.staff_id,
                               related_person_id };

      account = tend_pg_exec (conn,
                              "INSERT INTO portal_account (id, practice_id, client_id, email, language, invited_by,"
                              " guardian_of, related_person_id)"
                              " VALUES ($1, $2, $3, $4, $5, $6, $3, $7)"
                              " ON CONFLICT (practice_id, related_person_id) WHERE related_person_id IS NOT NULL"
                              " DO UPDATE SET email = EXCLUDED.email, language = EXCLUDED.language, active = true"
                              " RETURNING id",
                              7, params, &error);
    }
  if (account == NULL)
    {
      tend_pg_rollback (conn);
      if (error != NULL && strstr (error->message, "23505") != NULL)
        {
          tend_request_error (req, SOUP_STATUS_CONFLICT, "email_taken",
                              "Another portal account of this practice has this e-mail address");
          return;
        }
      goto db_error;
    }
  if ((link = new_link (conn, PQgetvalue (account, 0, 0), PORTAL_INVITE_TTL_S, &error)) == NULL)
    {
      tend_pg_rollback (conn);
      goto db_error;
    }
  if (!send_signin_mail (req, conn, req->principal.practice_id, PQgetvalue (client, 0, 0), email, language,
                         "portal-invite", NULL, link, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    {
      tend_pg_rollback (conn);
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "%s", error->message);
      return;
    }
  if (error != NULL ||
      !(related_person_id != NULL
        ? tend_request_audit (req, conn, "portal-invite-guardian", "related_person", related_person_id, client_id, &error)
        : tend_request_audit (req, conn, "portal-invite", "client", client_id, NULL, &error)) ||
      !tend_pg_run (conn, "COMMIT", &error))
    {
      tend_pg_rollback (conn);
      goto db_error;
    }
  tend_server_portal_kick (req->server);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "account_id");
  json_builder_add_string_value (b, PQgetvalue (account, 0, 0));
  json_builder_set_member_name (b, "invited");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
  return;

db_error:
  tend_request_db_error (req, error);
}

const TendRoute tend_portal_routes[] = {
  { "GET",  "/v1/portal/", portal_handler, FALSE },
  { "POST", "/v1/portal/", portal_handler, FALSE },
  { "POST", "/v1/portal-invitations", invite_handler, TRUE },
};

const guint tend_portal_n_routes = G_N_ELEMENTS (tend_portal_routes);

/* Static pages */

static const char *
content_type_of (const char *path)
{
  if (g_str_has_suffix (path, ".html"))
    return "text/html; charset=utf-8";
  if (g_str_has_suffix (path, ".css"))
    return "text/css; charset=utf-8";
  if (g_str_has_suffix (path, ".js"))
    return "text/javascript; charset=utf-8";
  if (g_str_has_suffix (path, ".svg"))
    return "image/svg+xml";
  return "application/octet-stream";
}

/**
 * tend_portal_serve_static:
 *
 * Answers GET /portal/... from the compiled-in pages, with the portal's
 * Content-Security-Policy.  Runs on the server's context (a resource
 * lookup, no database).
 *
 * Returns: %TRUE when @path was the portal's (answered)
 */
gboolean
tend_portal_serve_static (SoupServerMessage *msg,
                          const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autofree char *resource = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *name;

  if (strcmp (path, "/portal") != 0 && !g_str_has_prefix (path, "/portal/"))
    return FALSE;
  soup_message_headers_replace (headers, "Content-Security-Policy", CSP);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  if (strcmp (path, "/portal") == 0)
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, "/portal/");
      return TRUE;
    }
  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return TRUE;
    }
  name = path + strlen ("/portal/");
  /* The page's own addresses (a reminder's /portal/appointments/ID link)
   * are the page; files have a dot in their name. */
  if (strchr (name, '.') == NULL)
    name = "index.html";
  /* Plain file names only: nothing can climb out of the folder. */
  if (strchr (name, '/') != NULL || strstr (name, "..") != NULL || strlen (name) > 64)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return TRUE;
    }
  /* The page's words, from the gettext catalogues, and the language the
   * browser asks for (tend-server-portal-strings.c). */
  if (strcmp (name, "i18n.js") == 0)
    {
      char *script = tend_portal_strings_script (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                               "Accept-Language"));

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
      soup_message_headers_replace (headers, "Vary", "Accept-Language");
      soup_server_message_set_response (msg, content_type_of (name), SOUP_MEMORY_TAKE, script, strlen (script));
      return TRUE;
    }
  resource = g_strconcat ("/app/tend/portal/", name, NULL);
  bytes = g_resource_lookup_data (tend_portal_get_resource (), resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return TRUE;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_server_message_set_response (msg, content_type_of (name), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}
