/* test-server-portal.c: the client portal's sign-in, sessions and API,
 * against a real tend-server and a throwaway PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The staff set the scene through the ordinary API (records pushed,
 * clients invited); clients then use /v1/portal/ with a cookie, as a
 * browser does.  A code is e-mailed in real use (the browser suite reads
 * it from a real SMTP server); here the tests put a code of their own
 * into portal_code, hashed as the server hashes it, so each case knows
 * its code.  Security cases: another client's ids in every endpoint,
 * missing CSRF tokens, guessing codes, expired and reused codes and
 * links, payloads meant for HTML returned as data.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "tend-core.h"

#define PASSWORD "correct horse battery"
#define XSS "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
/* The same, inside a JSON string. */
#define XSS_JSON "<script>alert(1)</script><img src=x onerror=alert(2)>\\\"'&"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;

static struct
{
  char *practice_a;
  char *practice_b;
  char *owner_staff;
  char *owner_token;
  char *owner_b_token;
  char *biller_token;
  char *desk_token;
  char *client_x;          /* practice A: the client the cases sign in as */
  char *client_y;          /* practice A: another client */
  char *client_z;          /* practice B */
  char *account_x;
  char *account_y;
  char *account_z;
  char *appt_x;            /* in three days */
  gint64 appt_x_start;     /* unix seconds */
  char *appt_x_soon;       /* in two hours: a late cancellation */
  char *appt_y;
  char *conv_x;
  char *conv_y;
  char *consent_x;
  char *phq9_x;
  char *form_y;
  char *doc_x;             /* shared with X */
  char *doc_x_private;     /* not shared */
  char *doc_y;
  char *blob_sha;
} fx;

typedef struct
{
  char *cookie;   /* "tend_portal=..." */
  char *csrf;
} Client;

static void
client_clear (Client *c)
{
  g_clear_pointer (&c->cookie, g_free);
  g_clear_pointer (&c->csrf, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

typedef struct
{
  guint     status;
  char     *body;
  GBytes   *raw;
  JsonNode *json;
  char     *set_cookie;
  char     *content_type;
  char     *csp;
  char     *disposition;
} PortalResponse;

static void
portal_response_free (PortalResponse *r)
{
  g_free (r->body);
  g_clear_pointer (&r->json, json_node_unref);
  g_free (r->set_cookie);
  g_free (r->content_type);
  g_free (r->csp);
  g_free (r->disposition);
  g_clear_pointer (&r->raw, g_bytes_unref);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortalResponse, portal_response_free)

/* A request as the portal page makes it: the cookie, the CSRF token when
 * @csrf, a JSON body (or @content_type). */
static PortalResponse *
portal_full (Client     *c,
             const char *method,
             const char *path,
             const char *body,
             gboolean    csrf,
             const char *content_type)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *req_headers = soup_message_get_request_headers (msg);
  SoupMessageHeaders *headers;
  PortalResponse *r = g_new0 (PortalResponse, 1);

  g_assert_nonnull (msg);
  if (c != NULL && c->cookie != NULL)
    soup_message_headers_replace (req_headers, "Cookie", c->cookie);
  if (c != NULL && csrf && c->csrf != NULL)
    soup_message_headers_replace (req_headers, "X-CSRF-Token", c->csrf);
  soup_message_headers_replace (req_headers, "User-Agent", "TestBrowser/1.0 " XSS);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type != NULL ? content_type : "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->raw = g_bytes_ref (bytes);
  r->set_cookie = g_strdup (soup_message_headers_get_one (headers, "Set-Cookie"));
  r->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  r->csp = g_strdup (soup_message_headers_get_one (headers, "Content-Security-Policy"));
  r->disposition = g_strdup (soup_message_headers_get_one (headers, "Content-Disposition"));
  if (g_strcmp0 (r->content_type, "application/json") == 0)
    {
      r->json = json_from_string (r->body, &error);
      g_assert_no_error (error);
    }
  return r;
}

static PortalResponse *
portal (Client     *c,
        const char *method,
        const char *path,
        const char *body)
{
  return portal_full (c, method, path, body, TRUE, NULL);
}

static void
assert_status (PortalResponse *r,
               guint           status)
{
  if (r->status != status)
    g_error ("expected %u, got %u: %s", status, r->status, r->body);
}

static char *
new_id (void)
{
  return g_uuid_string_random ();
}

static void
push (const char *token,
      const char *type,
      const char *id,
      gint64      base_version,
      const char *body)
{
  g_autofree char *op = new_id ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);

  if (r->status != 200)
    g_error ("push of %s: %u %s", type, r->status, r->body);
  if (g_strcmp0 (test_json_string (r->json, "results.0.status"), "applied") != 0)
    g_error ("push of %s refused: %s", type, r->body);
}

/* A new record of @type. */
static void
push_new (const char *token,
          const char *type,
          const char *body)
{
  g_autofree char *id = new_id ();

  push (token, type, id, 0, body);
}

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:00Z");
}

static char *
invite (const char *token,
        const char *client_id,
        const char *email,
        guint       expected)
{
  g_autofree char *body = g_strdup_printf ("{\"client_id\":\"%s\",\"email\":\"%s\"}", client_id, email);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/portal-invitations", token, body);

  if (r->status != expected)
    g_error ("invitation: expected %u, got %u: %s", expected, r->status, r->body);
  return expected == 200 ? g_strdup (test_json_string (r->json, "account_id")) : NULL;
}

/* A code for @account_id, hashed as the server hashes it; @ttl_s may be
 * negative (expired). */
static void
put_code (const char *account_id,
          const char *code,
          int         ttl_s)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                                          " VALUES ('%s', 'code', sha256 (convert_to ('%s:%s', 'UTF8')),"
                                          " now () + make_interval (secs => %d))",
                                          account_id, account_id, code, ttl_s);

  PQclear (test_pg_exec (pg, sql));
}

static void
put_link (const char *account_id,
          const char *token,
          int         ttl_s)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                                          " VALUES ('%s', 'link', sha256 (convert_to ('%s', 'UTF8')),"
                                          " now () + make_interval (secs => %d))",
                                          account_id, token, ttl_s);

  PQclear (test_pg_exec (pg, sql));
}

/* The cookie's "name=value" from a Set-Cookie header. */
static char *
cookie_of (const char *set_cookie)
{
  const char *end = strchr (set_cookie, ';');

  return g_strndup (set_cookie, end != NULL ? (gsize) (end - set_cookie) : strlen (set_cookie));
}

static void
take_session (Client         *c,
              PortalResponse *r)
{
  assert_status (r, 200);
  g_assert_nonnull (r->set_cookie);
  client_clear (c);
  c->cookie = cookie_of (r->set_cookie);
  c->csrf = g_strdup (test_json_string (r->json, "csrf"));
  g_assert_nonnull (c->csrf);
}

static PortalResponse *
verify (const char *email,
        const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"code\":\"%s\"}", email, code);

  return portal (NULL, "POST", "/v1/portal/signin/verify", body);
}

static void
sign_in (Client     *c,
         const char *account_id,
         const char *email)
{
  g_autofree char *code = g_strdup_printf ("%06d", g_random_int_range (0, 1000000));
  g_autoptr(PortalResponse) r = NULL;

  put_code (account_id, code, 600);
  r = verify (email, code);
  take_session (c, r);
}

/* The staff's view of one record through the change feed. */
static JsonNode *
feed_body (const char *token,
           const char *type,
           const char *id)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?limit=1000", token, NULL);
  JsonArray *changes = json_node_get_array (test_json_get (r->json, "changes"));
  JsonNode *found = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (c, "type"), type) == 0 &&
          g_strcmp0 (json_object_get_string_member (c, "id"), id) == 0)
        found = json_object_get_member (c, "body");
    }
  return found != NULL ? json_node_copy (found) : NULL;
}

/* The version of one record, as the staff's feed has it (0: not there). */
static gint64
feed_version (const char *token,
              const char *type,
              const char *id)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?limit=1000", token, NULL);
  JsonArray *changes = json_node_get_array (test_json_get (r->json, "changes"));
  gint64 version = 0;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (c, "type"), type) == 0 &&
          g_strcmp0 (json_object_get_string_member (c, "id"), id) == 0)
        version = json_object_get_int_member (c, "version");
    }
  return version;
}

static char *
practice_record_id (void)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?limit=1000", fx.owner_token, NULL);
  JsonArray *changes = json_node_get_array (test_json_get (r->json, "changes"));

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (c, "type"), "practice") == 0)
        return g_strdup (json_object_get_string_member (c, "id"));
    }
  g_error ("no practice record");
}

/* The practice's messaging settings, as an owner saves them in Tend. */
static void
set_client_start (const char *value,
                  const char *notice)
{
  g_autofree char *id = practice_record_id ();
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Riverbend Counseling\",\"time_zone\":\"America/Chicago\","
                                           "\"currency\":\"USD\",\"address\":{\"line1\":\"12 Elm Street\","
                                           "\"city\":\"Springfield\"},"
                                           "\"messaging\":{\"client_notice\":\"%s\",\"client_start\":\"%s\"}}",
                                           notice, value);

  push (fx.owner_token, "practice", id, feed_version (fx.owner_token, "practice", id), body);
}

static gint64
audit_count (const char *action,
             const char *account_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = '%s' AND account_id = '%s'",
                                          action, account_id);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static gint64
outbox_count (const char *kind,
              const char *recipient)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox WHERE kind = '%s' AND lower (recipient) = lower ('%s')",
                                          kind, recipient);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

/* Cases */

static void
test_static_pages (void)
{
  g_autoptr(PortalResponse) index = portal (NULL, "GET", "/portal/", NULL);
  g_autoptr(PortalResponse) js = portal (NULL, "GET", "/portal/portal.js", NULL);
  g_autoptr(PortalResponse) climb = portal (NULL, "GET", "/portal/..%2fportal.js", NULL);
  g_autoptr(PortalResponse) missing = portal (NULL, "GET", "/portal/nothing.html", NULL);
  g_autoptr(PortalResponse) post = portal (NULL, "POST", "/portal/index.html", "{}");
  /* A reminder's link to an appointment is the page. */
  g_autoptr(PortalResponse) deep = portal (NULL, "GET", "/portal/appointments/0b7c2a6e-6a5e-4a8e-9d7c-3f1f2f1e0a11", NULL);

  assert_status (index, 200);
  g_assert_cmpstr (index->content_type, ==, "text/html");
  g_assert_nonnull (index->csp);
  g_assert_nonnull (strstr (index->csp, "script-src 'self'"));
  g_assert_null (strstr (index->csp, "unsafe-inline"));
  g_assert_nonnull (strstr (index->csp, "frame-ancestors 'none'"));
  /* No inline script, no inline handlers: the CSP would refuse them. */
  g_assert_null (strstr (index->body, "<script>"));
  g_assert_null (strstr (index->body, "onclick="));
  g_assert_null (strstr (index->body, "style="));
  assert_status (js, 200);
  g_assert_cmpstr (js->content_type, ==, "text/javascript");
  /* The page's code never writes HTML. */
  g_assert_null (strstr (js->body, "innerHTML"));
  g_assert_null (strstr (js->body, "outerHTML"));
  g_assert_null (strstr (js->body, "insertAdjacentHTML"));
  g_assert_null (strstr (js->body, "document.write"));
  g_assert_cmpuint (climb->status, >=, 400);  /* libsoup refuses it first (400) */
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (post->status, ==, 405);
  assert_status (deep, 200);
  g_assert_cmpstr (deep->body, ==, index->body);
  g_assert_nonnull (strstr (index->body, "src=\"/portal/portal.js\""));
}

static void
test_signin_does_not_tell (void)
{
  g_autoptr(PortalResponse) known = portal (NULL, "POST", "/v1/portal/signin/code",
                                            "{\"email\":\"X.Client@Mail.Example\"}");
  g_autoptr(PortalResponse) unknown = portal (NULL, "POST", "/v1/portal/signin/code",
                                              "{\"email\":\"nobody-here@mail.example\"}");
  g_autoptr(PortalResponse) bad = portal (NULL, "POST", "/v1/portal/signin/code", "{\"email\":42}");
  g_autoptr(PortalResponse) form = portal_full (NULL, "POST", "/v1/portal/signin/code", "email=a@b.example",
                                                TRUE, "application/x-www-form-urlencoded");

  assert_status (known, 200);
  assert_status (unknown, 200);
  g_assert_cmpstr (known->body, ==, unknown->body);
  g_assert_null (known->set_cookie);
  g_assert_cmpuint (bad->status, ==, 400);
  /* A cross-site form cannot post: JSON only. */
  g_assert_cmpuint (form->status, ==, 415);
  /* The known address (two practices' accounts) is mailed a code each;
   * the unknown one nothing. */
  g_assert_cmpint (outbox_count ("sign-in-code", "x.client@mail.example"), ==, 2);
  g_assert_cmpint (outbox_count ("sign-in-code", "nobody-here@mail.example"), ==, 0);
  {
    PGresult *res = test_pg_exec (pg, "SELECT body_text FROM outbox WHERE kind = 'sign-in-code' LIMIT 1");
    g_autoptr(GRegex) six = g_regex_new ("\\b[0-9]{6}\\b", 0, 0, NULL);

    g_assert_true (g_regex_match (six, PQgetvalue (res, 0, 0), 0, NULL));
    g_assert_nonnull (strstr (PQgetvalue (res, 0, 0), "/portal/#link="));
    PQclear (res);
  }
  /* The known address got a code (stored hashed, not as digits). */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*), min (length (secret_hash)) FROM portal_code"
                                            " WHERE account_id = '%s' AND kind = 'code'", fx.account_x);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpint (g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10), >=, 1);
    g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "32");
    PQclear (res);
  }
}

static void
test_signin_code (void)
{
  g_auto(Client) c = { 0 };
  g_autoptr(PortalResponse) wrong = NULL;
  g_autoptr(PortalResponse) right = NULL;
  g_autoptr(PortalResponse) again = NULL;
  g_autoptr(PortalResponse) me = NULL;

  put_code (fx.account_x, "246810", 600);
  wrong = verify ("x.client@mail.example", "111111");
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_null (wrong->set_cookie);
  right = verify ("X.CLIENT@mail.example", "246810");
  take_session (&c, right);
  /* The cookie: HttpOnly, SameSite=Strict, the whole site; not Secure
   * only because this server speaks plain HTTP on loopback. */
  g_assert_nonnull (strstr (right->set_cookie, "HttpOnly"));
  g_assert_nonnull (strstr (right->set_cookie, "SameSite=Strict"));
  g_assert_nonnull (strstr (right->set_cookie, "Path=/"));
  g_assert_null (strstr (right->set_cookie, "Secure"));
  me = portal (&c, "GET", "/v1/portal/me", NULL);
  assert_status (me, 200);
  g_assert_cmpstr (test_json_string (me->json, "email"), ==, "x.client@mail.example");
  g_assert_cmpstr (test_json_string (me->json, "client.legal_given"), ==, "Xavi");
  g_assert_null (test_json_get (me->json, "client.date_of_birth"));
  g_assert_cmpstr (test_json_string (me->json, "practice.time_zone"), ==, "America/Chicago");
  /* The practice's own notice beside messages (Tend: Preferences, Practice). */
  g_assert_cmpstr (test_json_string (me->json, "practice.client_notice"), ==, "Not for emergencies: call 988 or 911.");
  g_assert_true (JSON_NODE_HOLDS_NULL (test_json_get (me->json, "guardian_of")));
  g_assert_nonnull (me->csp);
  /* Used once. */
  again = verify ("x.client@mail.example", "246810");
  g_assert_cmpuint (again->status, ==, 401);
  g_assert_cmpint (audit_count ("portal-signin-code", fx.account_x), >=, 1);
}

static void
test_signin_brute_force (void)
{
  g_autoptr(PortalResponse) last = NULL;
  g_autoptr(PortalResponse) right = NULL;

  put_code (fx.account_y, "135790", 600);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *guess = g_strdup_printf ("00000%d", i);
      g_autoptr(PortalResponse) r = verify ("y.client@mail.example", guess);

      g_assert_cmpuint (r->status, ==, 401);
    }
  /* The fifth wrong guess spends the code ... */
  last = verify ("y.client@mail.example", "000009");
  g_assert_cmpuint (last->status, ==, 429);
  g_assert_cmpstr (test_json_string (last->json, "error.code"), ==, "code_locked");
  /* ... so even the right one is refused now. */
  right = verify ("y.client@mail.example", "135790");
  g_assert_cmpuint (right->status, ==, 401);
  g_assert_null (right->set_cookie);
}

static void
test_signin_expired_and_links (void)
{
  g_auto(Client) c = { 0 };
  g_autoptr(PortalResponse) expired = NULL;
  g_autoptr(PortalResponse) link = NULL;
  g_autoptr(PortalResponse) reused = NULL;
  g_autoptr(PortalResponse) old_link = NULL;
  g_autoptr(PortalResponse) junk = NULL;

  put_code (fx.account_x, "555444", -1);
  expired = verify ("x.client@mail.example", "555444");
  g_assert_cmpuint (expired->status, ==, 401);

  put_link (fx.account_x, "link-token-one-abcdefghijklmnopqrstuvwxyz", 600);
  link = portal (NULL, "POST", "/v1/portal/signin/link", "{\"token\":\"link-token-one-abcdefghijklmnopqrstuvwxyz\"}");
  take_session (&c, link);
  reused = portal (NULL, "POST", "/v1/portal/signin/link", "{\"token\":\"link-token-one-abcdefghijklmnopqrstuvwxyz\"}");
  g_assert_cmpuint (reused->status, ==, 401);
  g_assert_cmpstr (test_json_string (reused->json, "error.code"), ==, "invalid_link");
  put_link (fx.account_x, "link-token-old-abcdefghijklmnopqrstuvwxyz", -1);
  old_link = portal (NULL, "POST", "/v1/portal/signin/link", "{\"token\":\"link-token-old-abcdefghijklmnopqrstuvwxyz\"}");
  g_assert_cmpuint (old_link->status, ==, 401);
  junk = portal (NULL, "POST", "/v1/portal/signin/link", "{\"token\":[1,2]}");
  g_assert_cmpuint (junk->status, ==, 400);
}

static void
test_sessions (void)
{
  g_auto(Client) one = { 0 };
  g_auto(Client) two = { 0 };
  g_auto(Client) three = { 0 };
  g_autoptr(PortalResponse) none = portal (NULL, "GET", "/v1/portal/me", NULL);
  g_autoptr(PortalResponse) bearer = NULL;
  g_autoptr(PortalResponse) out = NULL;
  g_autoptr(PortalResponse) after = NULL;
  g_autoptr(PortalResponse) other = NULL;
  g_autoptr(PortalResponse) all = NULL;
  g_autoptr(PortalResponse) gone = NULL;
  g_autoptr(PortalResponse) expired = NULL;

  g_assert_cmpuint (none->status, ==, 401);
  /* A staff token is no portal session. */
  {
    g_auto(Client) staff = { .cookie = g_strdup_printf ("tend_portal=%s", fx.owner_token) };

    bearer = portal (&staff, "GET", "/v1/portal/me", NULL);
    g_assert_cmpuint (bearer->status, ==, 401);
  }
  sign_in (&one, fx.account_x, "x.client@mail.example");
  sign_in (&two, fx.account_x, "x.client@mail.example");
  sign_in (&three, fx.account_x, "x.client@mail.example");

  out = portal (&one, "POST", "/v1/portal/signout", "{}");
  assert_status (out, 200);
  g_assert_nonnull (strstr (out->set_cookie, "Max-Age=0"));
  after = portal (&one, "GET", "/v1/portal/me", NULL);
  g_assert_cmpuint (after->status, ==, 401);
  other = portal (&two, "GET", "/v1/portal/me", NULL);
  assert_status (other, 200);

  all = portal (&two, "POST", "/v1/portal/signout-everywhere", "{}");
  assert_status (all, 200);
  gone = portal (&three, "GET", "/v1/portal/me", NULL);
  g_assert_cmpuint (gone->status, ==, 401);

  /* Expiry. */
  sign_in (&one, fx.account_x, "x.client@mail.example");
  PQclear (test_pg_exec (pg, "UPDATE portal_session SET expires_at = now () - interval '1 second'"));
  expired = portal (&one, "GET", "/v1/portal/me", NULL);
  g_assert_cmpuint (expired->status, ==, 401);
}

/* Join video from the portal: nothing until the clinician starts the
 * session; then a single-use link for the client whose appointment it is,
 * and no one else; the link opens the join page once. */
static void
test_join_video (void)
{
  g_auto(Client) c = { 0 };
  g_auto(Client) other = { 0 };
  g_autofree char *appt = new_id ();
  g_autofree char *video = new_id ();
  g_autofree char *start = iso_in (5 * 60);
  g_autofree char *end = iso_in (50 * 60);
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\","
                                           "\"modality\":\"telehealth\",\"start\":\"%s\",\"end\":\"%s\","
                                           "\"status\":\"scheduled\"}", fx.client_x, fx.owner_staff, start, end);
  g_autofree char *path = g_strdup_printf ("/v1/portal/appointments/%s/join", appt);
  g_autofree char *session_body = NULL;
  g_autoptr(PortalResponse) early = NULL;
  g_autoptr(PortalResponse) stranger = NULL;
  g_autoptr(PortalResponse) joined = NULL;
  g_autoptr(PortalResponse) in_person = NULL;
  g_autofree char *in_person_path = g_strdup_printf ("/v1/portal/appointments/%s/join", fx.appt_x);

  push (fx.owner_token, "appointment", appt, 0, body);
  sign_in (&c, fx.account_x, "x.client@mail.example");
  sign_in (&other, fx.account_y, "y.client@mail.example");

  early = portal (&c, "POST", path, "{}");
  g_assert_cmpuint (early->status, ==, 409);
  g_assert_cmpstr (test_json_string (early->json, "error.code"), ==, "not_started");
  in_person = portal (&c, "POST", in_person_path, "{}");
  g_assert_cmpuint (in_person->status, ==, 409);

  session_body = g_strdup_printf ("{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"host_id\":\"%s\","
                                  "\"participants\":[\"%s\"],\"started_at\":\"%s\"}",
                                  appt, fx.client_x, fx.owner_staff, fx.owner_staff, start);
  push (fx.owner_token, "video_session", video, 0, session_body);

  /* Another client: the appointment is not theirs, as if it did not exist. */
  stranger = portal (&other, "POST", path, "{}");
  g_assert_cmpuint (stranger->status, ==, 404);

  joined = portal (&c, "POST", path, "{}");
  assert_status (joined, 201);
  g_assert_true (g_str_has_prefix (test_json_string (joined->json, "path"), "/video/join/"));
  {
    g_autoptr(TestResponse) page = test_request (session, server, "GET", test_json_string (joined->json, "path"), NULL, NULL);

    g_assert_cmpuint (page->status, ==, 200);
  }
  g_assert_cmpint (audit_count ("portal-video-join", fx.account_x), ==, 1);
}

/* The safety plan: nothing until the clinician shares it; then the client's
 * own plan, without who wrote it, and never another client's. */
static void
test_safety_plan (void)
{
  g_auto(Client) c = { 0 };
  g_auto(Client) other = { 0 };
  g_autofree char *plan = new_id ();
  g_autofree char *body = NULL;
  g_autoptr(PortalResponse) before = NULL;
  g_autoptr(PortalResponse) shared = NULL;
  g_autoptr(PortalResponse) stranger = NULL;

  body = g_strdup_printf ("{\"client_id\":\"%s\",\"author_id\":\"%s\",\"plan_date\":\"2026-12-01\","
                          "\"warning_signs\":\"Not sleeping\\n<script>alert(1)</script>\","
                          "\"help_contacts\":\"Sister Dana 555-0142\",\"crisis_line\":\"988\"}",
                          fx.client_x, fx.owner_staff);
  push (fx.owner_token, "safety_plan", plan, 0, body);
  sign_in (&c, fx.account_x, "x.client@mail.example");
  sign_in (&other, fx.account_y, "y.client@mail.example");
  before = portal (&c, "GET", "/v1/portal/safety-plan", NULL);
  assert_status (before, 200);
  g_assert_true (JSON_NODE_HOLDS_NULL (test_json_get (before->json, "safety_plan")));

  g_free (body);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"author_id\":\"%s\",\"plan_date\":\"2026-12-01\","
                          "\"warning_signs\":\"Not sleeping\\n<script>alert(1)</script>\","
                          "\"help_contacts\":\"Sister Dana 555-0142\",\"crisis_line\":\"988\","
                          "\"shared_with_client\":true}", fx.client_x, fx.owner_staff);
  push (fx.owner_token, "safety_plan", plan, 1, body);
  shared = portal (&c, "GET", "/v1/portal/safety-plan", NULL);
  assert_status (shared, 200);
  /* As data: the page sets it with textContent. */
  g_assert_cmpstr (test_json_string (shared->json, "safety_plan.warning_signs"), ==, "Not sleeping\n<script>alert(1)</script>");
  g_assert_cmpstr (test_json_string (shared->json, "safety_plan.crisis_line"), ==, "988");
  g_assert_null (test_json_get (shared->json, "safety_plan.author_id"));
  stranger = portal (&other, "GET", "/v1/portal/safety-plan", NULL);
  assert_status (stranger, 200);
  g_assert_true (JSON_NODE_HOLDS_NULL (test_json_get (stranger->json, "safety_plan")));
}

static void
test_csrf (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *path = g_strdup_printf ("/v1/portal/appointments/%s/confirm", fx.appt_x);
  g_autofree char *msg_path = g_strdup_printf ("/v1/portal/conversations/%s/messages", fx.conv_x);
  g_autoptr(PortalResponse) without = NULL;
  g_autoptr(PortalResponse) forged = NULL;
  g_autoptr(PortalResponse) form = NULL;
  g_autoptr(PortalResponse) message = NULL;
  g_autoptr(PortalResponse) signout = NULL;
  g_autoptr(PortalResponse) still = NULL;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  without = portal_full (&c, "POST", path, "{}", FALSE, NULL);
  g_assert_cmpuint (without->status, ==, 403);
  g_assert_cmpstr (test_json_string (without->json, "error.code"), ==, "csrf");
  message = portal_full (&c, "POST", msg_path, "{\"text\":\"hello\"}", FALSE, NULL);
  g_assert_cmpuint (message->status, ==, 403);
  signout = portal_full (&c, "POST", "/v1/portal/signout-everywhere", "{}", FALSE, NULL);
  g_assert_cmpuint (signout->status, ==, 403);
  g_free (c.csrf);
  c.csrf = g_strdup ("not-the-token");
  forged = portal (&c, "POST", path, "{}");
  g_assert_cmpuint (forged->status, ==, 403);
  {
    g_autoptr(JsonNode) body = feed_body (fx.owner_token, "appointment", fx.appt_x);

    g_assert_cmpstr (test_json_string (body, "status"), ==, "scheduled");
  }
  still = portal_full (&c, "GET", "/v1/portal/me", NULL, FALSE, NULL);
  assert_status (still, 200);
  g_free (c.csrf);
  c.csrf = g_strdup (test_json_string (still->json, "csrf"));
  form = portal_full (&c, "POST", path, "a=b", TRUE, "text/plain");
  g_assert_cmpuint (form->status, ==, 415);
}

/* Another client's ids, and ids that are nobody's, in every endpoint. */
static void
test_other_clients_ids (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *nobody = new_id ();
  struct { const char *method; char *path; const char *body; } cases[] = {
    { "POST", g_strdup_printf ("/v1/portal/appointments/%s/confirm", fx.appt_y), "{}" },
    { "POST", g_strdup_printf ("/v1/portal/appointments/%s/cancel", fx.appt_y), "{}" },
    { "POST", g_strdup_printf ("/v1/portal/appointments/%s/confirm", nobody), "{}" },
    { "POST", g_strdup_printf ("/v1/portal/appointments/%s/cancel", fx.conv_x), "{}" },
    { "GET", g_strdup_printf ("/v1/portal/appointments/%s/slots", fx.appt_y), NULL },
    { "POST", g_strdup_printf ("/v1/portal/appointments/%s/request", fx.appt_y), "{\"start\":\"2031-01-01T03:00:00Z\"}" },
    { "GET", g_strdup_printf ("/v1/portal/conversations/%s/messages", fx.conv_y), NULL },
    { "POST", g_strdup_printf ("/v1/portal/conversations/%s/messages", fx.conv_y), "{\"text\":\"hi\"}" },
    { "POST", g_strdup_printf ("/v1/portal/conversations/%s/messages", nobody), "{\"text\":\"hi\"}" },
    { "POST", g_strdup_printf ("/v1/portal/forms/%s/sign", fx.form_y), "{\"name\":\"X\",\"text_sha256\":\"00\"}" },
    { "POST", g_strdup_printf ("/v1/portal/forms/%s/answers", fx.form_y), "{\"answers\":[0,0,0,0,0,0,0,0,0]}" },
    { "POST", g_strdup_printf ("/v1/portal/forms/%s/sign", fx.phq9_x), "{\"name\":\"X\",\"text_sha256\":\"00\"}" },
    { "POST", g_strdup_printf ("/v1/portal/forms/%s/details", fx.form_y), "{\"details\":{\"pronouns\":\"she\"}}" },
    { "POST", g_strdup_printf ("/v1/portal/forms/%s/details", fx.consent_x), "{\"details\":{\"pronouns\":\"she\"}}" },
    { "GET", g_strdup_printf ("/v1/portal/documents/%s/download", fx.doc_y), NULL },
    { "GET", g_strdup_printf ("/v1/portal/documents/%s/download", fx.doc_x_private), NULL },
    { "GET", g_strdup_printf ("/v1/portal/documents/%s/download", nobody), NULL },
    { "GET", g_strdup ("/v1/portal/documents/not-a-uuid/download"), NULL },
    { "GET", g_strdup ("/v1/portal/nothing"), NULL },
  };

  sign_in (&c, fx.account_x, "x.client@mail.example");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PortalResponse) r = portal (&c, cases[i].method, cases[i].path, cases[i].body);

      if (r->status != 404)
        g_error ("%s %s: expected 404, got %u: %s", cases[i].method, cases[i].path, r->status, r->body);
      g_free (cases[i].path);
    }
  /* Nothing of Y's changed. */
  {
    g_autoptr(JsonNode) appt = feed_body (fx.owner_token, "appointment", fx.appt_y);
    g_autoptr(JsonNode) form = feed_body (fx.owner_token, "portal_form", fx.form_y);

    g_assert_cmpstr (test_json_string (appt, "status"), ==, "scheduled");
    g_assert_cmpstr (test_json_string (form, "status"), ==, "pending");
  }
  /* Lists hold only X's own. */
  {
    g_autoptr(PortalResponse) appts = portal (&c, "GET", "/v1/portal/appointments", NULL);
    g_autoptr(PortalResponse) convs = portal (&c, "GET", "/v1/portal/conversations", NULL);
    g_autoptr(PortalResponse) forms = portal (&c, "GET", "/v1/portal/forms", NULL);
    g_autoptr(PortalResponse) docs = portal (&c, "GET", "/v1/portal/documents", NULL);

    g_assert_null (strstr (appts->body, fx.appt_y));
    g_assert_nonnull (strstr (appts->body, fx.appt_x));
    g_assert_null (strstr (convs->body, fx.conv_y));
    g_assert_nonnull (strstr (convs->body, fx.conv_x));
    g_assert_null (strstr (forms->body, fx.form_y));
    g_assert_nonnull (strstr (forms->body, fx.consent_x));
    g_assert_null (strstr (docs->body, fx.doc_y));
    g_assert_null (strstr (docs->body, fx.doc_x_private));
    g_assert_nonnull (strstr (docs->body, fx.doc_x));
    /* Only what the client access keeps: no staff notes on the appointment. */
    g_assert_null (strstr (appts->body, "internal note"));
  }
}

static void
test_appointments (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *confirm = g_strdup_printf ("/v1/portal/appointments/%s/confirm", fx.appt_x);
  g_autofree char *cancel_soon = g_strdup_printf ("/v1/portal/appointments/%s/cancel", fx.appt_x_soon);
  g_autoptr(PortalResponse) list = NULL;
  g_autoptr(PortalResponse) ok = NULL;
  g_autoptr(PortalResponse) twice = NULL;
  g_autoptr(PortalResponse) cancelled = NULL;
  g_autoptr(PortalResponse) bad_reason = NULL;
  JsonArray *items;
  gboolean seen_soon = FALSE;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  list = portal (&c, "GET", "/v1/portal/appointments", NULL);
  assert_status (list, 200);
  items = json_node_get_array (test_json_get (list->json, "appointments"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *a = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (a, "id"), fx.appt_x_soon) == 0)
        {
          seen_soon = TRUE;
          g_assert_true (json_object_get_boolean_member (a, "cancel_is_late"));
          g_assert_cmpint (json_object_get_int_member (a, "late_cancel_fee"), ==, 4500);
          g_assert_cmpint (json_object_get_int_member (a, "late_cancel_hours"), ==, 24);
          g_assert_true (json_object_get_boolean_member (a, "video"));
        }
      else
        {
          g_assert_false (json_object_get_boolean_member (a, "cancel_is_late"));
          g_assert_cmpstr (json_object_get_string_member (a, "address"), ==, "12 Elm Street, Springfield");
          g_assert_cmpstr (json_object_get_string_member (a, "practice_time_zone"), ==, "America/Chicago");
        }
      g_assert_cmpstr (json_object_get_string_member (a, "clinician"), ==, "Olive Owner");
      g_assert_false (json_object_has_member (a, "note"));
    }
  g_assert_true (seen_soon);

  /* Another time: one of the offered slots becomes a request for the
   * front desk (a waitlist entry); the appointment does not move. */
  {
    g_autofree char *slots_path = g_strdup_printf ("/v1/portal/appointments/%s/slots", fx.appt_x);
    g_autofree char *request_path = g_strdup_printf ("/v1/portal/appointments/%s/request", fx.appt_x);
    g_autoptr(PortalResponse) slots = portal (&c, "GET", slots_path, NULL);
    g_autoptr(PortalResponse) bogus = portal (&c, "POST", request_path, "{\"start\":\"2031-01-01T03:17:00Z\"}");
    g_autoptr(PortalResponse) asked = NULL;
    g_autofree char *body = NULL;
    g_autofree char *pick = NULL;
    JsonArray *offered;
    PGresult *res;

    assert_status (slots, 200);
    offered = json_node_get_array (test_json_get (slots->json, "slots"));
    g_assert_cmpuint (json_array_get_length (offered), >, 0);
    /* A session booked at the first time offered takes it off the list. */
    {
      g_autofree char *first = g_strdup (json_array_get_string_element (offered, 0));
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (first, NULL);
      g_autoptr(GDateTime) until = g_date_time_add_minutes (at, 50);
      g_autofree char *end = g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *busy = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\","
                                               "\"modality\":\"in_person\",\"start\":\"%s\",\"end\":\"%s\","
                                               "\"status\":\"scheduled\"}", fx.client_y, fx.owner_staff, first, end);
      g_autoptr(PortalResponse) again = NULL;

      push_new (fx.owner_token, "appointment", busy);
      again = portal (&c, "GET", slots_path, NULL);
      assert_status (again, 200);
      g_assert_null (strstr (again->body, first));
      g_assert_nonnull (strstr (slots->body, first));
      g_assert_cmpuint (json_array_get_length (json_node_get_array (test_json_get (again->json, "slots"))), >, 0);
      pick = g_strdup (json_array_get_string_element (json_node_get_array (test_json_get (again->json, "slots")), 0));
      body = g_strdup_printf ("{\"start\":\"%s\"}", first);
      asked = portal (&c, "POST", request_path, body);
      g_assert_cmpuint (asked->status, ==, 409);   /* no longer offered */
      g_clear_pointer (&asked, portal_response_free);
      g_clear_pointer (&body, g_free);
    }
    g_assert_cmpuint (bogus->status, ==, 409);
    body = g_strdup_printf ("{\"start\":\"%s\"}", pick);
    asked = portal (&c, "POST", request_path, body);
    assert_status (asked, 201);
    res = test_pg_exec (pg, "SELECT body FROM record WHERE type = 'waitlist' AND NOT deleted");
    g_assert_cmpint (PQntuples (res), ==, 1);
    g_assert_nonnull (strstr (PQgetvalue (res, 0, 0), fx.client_x));
    g_assert_nonnull (strstr (PQgetvalue (res, 0, 0), fx.owner_staff));
    g_assert_nonnull (strstr (PQgetvalue (res, 0, 0), fx.appt_x));
    PQclear (res);
  }

  ok = portal (&c, "POST", confirm, "{}");
  assert_status (ok, 200);
  g_assert_cmpstr (test_json_string (ok->json, "status"), ==, "confirmed");
  twice = portal (&c, "POST", confirm, "{}");
  g_assert_cmpuint (twice->status, ==, 409);
  bad_reason = portal (&c, "POST", cancel_soon, "{\"reason\":17}");
  g_assert_cmpuint (bad_reason->status, ==, 400);
  cancelled = portal (&c, "POST", cancel_soon, "{\"reason\":\"" "Sick " "\\u003cb\\u003e" "\"}");
  assert_status (cancelled, 200);
  g_assert_cmpstr (test_json_string (cancelled->json, "status"), ==, "late_cancelled");

  /* Staff see each as a change on the appointment, audited. */
  {
    g_autoptr(JsonNode) a = feed_body (fx.owner_token, "appointment", fx.appt_x);
    g_autoptr(JsonNode) b = feed_body (fx.owner_token, "appointment", fx.appt_x_soon);

    g_assert_cmpstr (test_json_string (a, "status"), ==, "confirmed");
    g_assert_nonnull (test_json_string (a, "status_changed_at"));
    g_assert_cmpstr (test_json_string (a, "note"), ==, "internal note");
    g_assert_cmpstr (test_json_string (b, "status"), ==, "late_cancelled");
    g_assert_cmpstr (test_json_string (b, "cancel_reason"), ==, "Sick <b>");
  }
  g_assert_cmpint (audit_count ("portal-write", fx.account_x), >=, 2);
}

static void
test_messages (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *path = g_strdup_printf ("/v1/portal/conversations/%s/messages", fx.conv_x);
  g_autoptr(PortalResponse) list = NULL;
  g_autoptr(PortalResponse) sent = NULL;
  g_autoptr(PortalResponse) empty = NULL;
  g_autoptr(PortalResponse) again = NULL;
  const char *id;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  list = portal (&c, "GET", path, NULL);
  assert_status (list, 200);
  g_assert_cmpstr (test_json_string (list->json, "messages.0.text"), ==, "Welcome " XSS);
  g_assert_cmpstr (test_json_string (list->json, "messages.0.author"), ==, "Olive Owner");
  g_assert_false (json_node_get_boolean (test_json_get (list->json, "messages.0.from_client")));
  g_assert_null (test_json_get (list->json, "messages.0.author_id"));

  empty = portal (&c, "POST", path, "{\"text\":\"   \"}");
  g_assert_cmpuint (empty->status, ==, 400);
  sent = portal (&c, "POST", path, "{\"text\":\"Thanks " "<script>alert(1)</script>" "\",\"from_client\":false,"
                                   "\"author_id\":\"00000000-0000-0000-0000-000000000000\"}");
  assert_status (sent, 201);
  id = test_json_string (sent->json, "id");
  {
    g_autoptr(JsonNode) m = feed_body (fx.owner_token, "message", id);

    g_assert_nonnull (m);
    g_assert_true (json_node_get_boolean (test_json_get (m, "from_client")));
    g_assert_null (test_json_get (m, "author_id"));
    g_assert_cmpstr (test_json_string (m, "text"), ==, "Thanks <script>alert(1)</script>");
  }
  again = portal (&c, "GET", path, NULL);
  g_assert_cmpstr (test_json_string (again->json, "messages.1.text"), ==, "Thanks <script>alert(1)</script>");
  g_assert_cmpstr (again->content_type, ==, "application/json");

  /* The staff answer: the client is told there is a message (never what
   * it says), once in a while however many arrive. */
  g_assert_cmpint (outbox_count ("message-notice", "x.client@mail.example"), ==, 1);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *when = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
      g_autofree char *body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Secret answer\","
                                               "\"sent_at\":\"%s\"}", fx.conv_x, fx.owner_staff, when);

      push_new (fx.owner_token, "message", body);
    }
  g_assert_cmpint (outbox_count ("message-notice", "x.client@mail.example"), ==, 1);
  {
    PGresult *res = test_pg_exec (pg, "SELECT count (*) FROM outbox WHERE body_text LIKE '%Secret answer%'"
                                      " OR body_text LIKE '%Welcome%' OR subject LIKE '%Secret%'");

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "0");
    PQclear (res);
  }
}

/* A client starts a conversation: it goes to whom the practice's setting
 * says (never whom the request names), in the client's name, with its
 * first message; the practice can turn it off (403, and "me" says so)
 * and sets the notice the page shows. */
static void
test_start_conversation (void)
{
  g_auto(Client) c = { 0 };
  g_autoptr(PortalResponse) me = NULL;
  g_autoptr(PortalResponse) started = NULL;
  g_autoptr(PortalResponse) empty = NULL;
  g_autoptr(PortalResponse) listed = NULL;
  g_autoptr(PortalResponse) messages = NULL;
  g_autoptr(PortalResponse) off = NULL;
  g_autoptr(PortalResponse) me_off = NULL;
  g_autoptr(PortalResponse) again = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) at_owner = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  const char *id;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  me = portal (&c, "GET", "/v1/portal/me", NULL);
  assert_status (me, 200);
  g_assert_true (json_node_get_boolean (test_json_get (me->json, "practice.client_start")));
  g_assert_cmpstr (test_json_string (me->json, "practice.client_notice"), ==, "Not for emergencies: call 988 or 911.");

  empty = portal (&c, "POST", "/v1/portal/conversations", "{\"text\":\"  \"}");
  g_assert_cmpuint (empty->status, ==, 400);
  /* Members, a clinical flag or another client in the request change nothing. */
  body = g_strdup_printf ("{\"subject\":\"Moving Thursday " XSS_JSON "\",\"text\":\"Can we move Thursday?\","
                          "\"members\":[\"%s\"],\"clinical\":true,\"client_id\":\"%s\"}", fx.owner_staff, fx.client_y);
  started = portal (&c, "POST", "/v1/portal/conversations", body);
  assert_status (started, 201);
  id = test_json_string (started->json, "id");
  g_assert_nonnull (id);
  g_assert_cmpstr (test_json_string (started->json, "subject"), ==, "Moving Thursday " XSS);
  g_assert_null (test_json_get (started->json, "members"));

  /* The client has no clinician on file: the front desk receives it, the
   * owner (not a member) does not. */
  conversation = feed_body (fx.desk_token, "conversation", id);
  g_assert_nonnull (conversation);
  g_assert_true (json_node_get_boolean (test_json_get (conversation, "started_by_client")));
  g_assert_true (json_node_get_boolean (test_json_get (conversation, "with_client")));
  g_assert_false (json_node_get_boolean (test_json_get (conversation, "clinical")));
  g_assert_cmpstr (test_json_string (conversation, "client_id"), ==, fx.client_x);
  g_assert_cmpstr (test_json_string (conversation, "created_by"), ==, fx.client_x);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (test_json_get (conversation, "members"))), ==, 1);
  at_owner = feed_body (fx.owner_token, "conversation", id);
  g_assert_null (at_owner);

  listed = portal (&c, "GET", "/v1/portal/conversations", NULL);
  assert_status (listed, 200);
  g_assert_nonnull (strstr (listed->body, id));
  path = g_strdup_printf ("/v1/portal/conversations/%s/messages", id);
  messages = portal (&c, "GET", path, NULL);
  assert_status (messages, 200);
  g_assert_cmpstr (test_json_string (messages->json, "messages.0.text"), ==, "Can we move Thursday?");
  g_assert_true (json_node_get_boolean (test_json_get (messages->json, "messages.0.from_client")));

  /* Turned off: refused with a clear error, and the page is told. */
  set_client_start ("off", "Call us for anything urgent.");
  off = portal (&c, "POST", "/v1/portal/conversations", "{\"text\":\"Another one\"}");
  g_assert_cmpuint (off->status, ==, 403);
  g_assert_cmpstr (test_json_string (off->json, "error.code"), ==, "client_start_off");
  g_assert_nonnull (test_json_string (off->json, "error.message"));
  me_off = portal (&c, "GET", "/v1/portal/me", NULL);
  g_assert_false (json_node_get_boolean (test_json_get (me_off->json, "practice.client_start")));
  g_assert_cmpstr (test_json_string (me_off->json, "practice.client_notice"), ==, "Call us for anything urgent.");
  /* Answering the practice's conversations still works. */
  {
    g_autofree char *reply = g_strdup_printf ("/v1/portal/conversations/%s/messages", fx.conv_x);
    g_autoptr(PortalResponse) answered = portal (&c, "POST", reply, "{\"text\":\"Still here\"}");

    assert_status (answered, 201);
  }

  /* "front_desk": the same, explicitly. */
  set_client_start ("front_desk", "Not for emergencies: call 988 or 911.");
  again = portal (&c, "POST", "/v1/portal/conversations", "{\"text\":\"One more\"}");
  assert_status (again, 201);
  {
    g_autoptr(JsonNode) second = feed_body (fx.desk_token, "conversation", test_json_string (again->json, "id"));

    g_assert_nonnull (second);
    g_assert_null (test_json_get (second, "subject"));
  }
  set_client_start ("clinician", "Not for emergencies: call 988 or 911.");
}

static void
test_consent (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *path = g_strdup_printf ("/v1/portal/forms/%s/sign", fx.consent_x);
  g_autoptr(PortalResponse) forms = NULL;
  g_autoptr(PortalResponse) wrong = NULL;
  g_autoptr(PortalResponse) nameless = NULL;
  g_autoptr(PortalResponse) ok = NULL;
  g_autoptr(PortalResponse) twice = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sha = NULL;
  JsonArray *items;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  forms = portal (&c, "GET", "/v1/portal/forms", NULL);
  items = json_node_get_array (test_json_get (forms->json, "forms"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *f = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (f, "id"), fx.consent_x) == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (f, "text"), ==, "I consent " XSS);
          sha = g_strdup (json_object_get_string_member (f, "text_sha256"));
        }
    }
  g_assert_nonnull (sha);
  {
    g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "I consent " XSS, -1);

    g_assert_cmpstr (sha, ==, expected);
  }
  wrong = portal (&c, "POST", path, "{\"name\":\"Xavi Client\",\"text_sha256\":\"0000\"}");
  g_assert_cmpuint (wrong->status, ==, 409);
  nameless = portal (&c, "POST", path, "{\"name\":\"  \",\"text_sha256\":\"0000\"}");
  g_assert_cmpuint (nameless->status, ==, 400);
  body = g_strdup_printf ("{\"name\":\"Xavi <i>Client</i>\",\"text_sha256\":\"%s\"}", sha);
  ok = portal (&c, "POST", path, body);
  assert_status (ok, 200);
  twice = portal (&c, "POST", path, body);
  g_assert_cmpuint (twice->status, ==, 409);
  {
    g_autoptr(JsonNode) f = feed_body (fx.owner_token, "portal_form", fx.consent_x);

    g_assert_cmpstr (test_json_string (f, "status"), ==, "completed");
    g_assert_cmpstr (test_json_string (f, "signed_name"), ==, "Xavi <i>Client</i>");
    g_assert_cmpstr (test_json_string (f, "text_sha256"), ==, sha);
    g_assert_cmpstr (test_json_string (f, "signed_address"), ==, "127.0.0.1");
    g_assert_cmpstr (test_json_string (f, "signed_user_agent"), ==, "TestBrowser/1.0 " XSS);
    g_assert_nonnull (test_json_string (f, "completed_at"));
  }
  /* Kept in the chart as a PDF, which the client may download too. */
  {
    g_autofree char *doc_id = tend_record_derive_id ("portal-consent-pdf", fx.consent_x, "1");
    g_autoptr(JsonNode) doc = feed_body (fx.owner_token, "document", doc_id);
    g_autofree char *download = g_strdup_printf ("/v1/portal/documents/%s/download", doc_id);
    g_autoptr(PortalResponse) pdf = NULL;
    g_autofree char *got = NULL;

    g_assert_nonnull (doc);
    g_assert_cmpstr (test_json_string (doc, "client_id"), ==, fx.client_x);
    g_assert_cmpstr (test_json_string (doc, "mime_type"), ==, "application/pdf");
    g_assert_true (json_node_get_boolean (test_json_get (doc, "shared_with_client")));
    g_assert_true (g_str_has_prefix (test_json_string (doc, "title"), "Consent "));
    pdf = portal (&c, "GET", download, NULL);
    assert_status (pdf, 200);
    g_assert_true (g_str_has_prefix (pdf->body, "%PDF-"));
    got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf->raw);
    g_assert_cmpstr (got, ==, test_json_string (doc, "sha256"));
  }
}

/* The text of a form as the portal shows it, or NULL. */
static char *
form_text (Client     *c,
           const char *id,
           char      **sha)
{
  g_autoptr(PortalResponse) forms = portal (c, "GET", "/v1/portal/forms", NULL);
  JsonArray *items = json_node_get_array (test_json_get (forms->json, "forms"));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *f = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (f, "id"), id) == 0)
        {
          *sha = g_strdup (json_object_get_string_member (f, "text_sha256"));
          return g_strdup (json_object_get_string_member (f, "text"));
        }
    }
  return NULL;
}

static char *push_status (const char *token,
                          const char *type,
                          const char *id,
                          gint64      base_version,
                          const char *body);

/* A treatment plan for @client_id by the owner, signed at @signed_at (or a
 * draft when %NULL), pushed. */
static TendTreatmentPlan *
push_plan (const char *client_id,
           const char *outline,
           const char *signed_at)
{
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (client_id, fx.owner_staff);
  g_autoptr(JsonNode) problems = tend_treatment_plan_parse_outline (outline, NULL);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (problems);
  tend_record_set_json (TEND_RECORD (plan), "problems", problems);
  tend_record_set_string (TEND_RECORD (plan), "review_date", "2027-06-01");
  if (signed_at != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (signed_at, NULL);

      g_assert_true (tend_treatment_plan_mark_signed (plan, fx.owner_staff, when, NULL));
    }
  body = tend_record_serialize_body (TEND_RECORD (plan));
  text = json_to_string (body, FALSE);
  push (fx.owner_token, "treatment_plan", tend_record_get_id (TEND_RECORD (plan)), 0, text);
  return g_steal_pointer (&plan);
}

/* The request to co-sign @plan, as the chart makes it; @id overrides the
 * derived id. */
static char *
plan_request_body (TendTreatmentPlan *plan,
                   const char        *sha,
                   char             **id)
{
  g_autoptr(TendPortalForm) form = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = tend_treatment_plan_dup_client_text (plan, NULL);

  form = tend_portal_form_new_plan_request (tend_treatment_plan_get_client_id (plan),
                                            tend_record_get_id (TEND_RECORD (plan)),
                                            sha != NULL ? sha : tend_record_get_string (TEND_RECORD (plan), "content_sha256"),
                                            "Your treatment plan", text, fx.owner_staff);
  if (id != NULL)
    *id = g_strdup (tend_record_get_id (TEND_RECORD (form)));
  body = tend_record_serialize_body (TEND_RECORD (form));
  return json_to_string (body, FALSE);
}

/* Issue 16: the client co-signs the plan the clinician signed, in the
 * portal, exactly as shown; the server decides everything from the
 * session: their plans only, signed plans only, once, and never a plan
 * changed or replaced since they were asked. */
static void
test_plan_cosign (void)
{
  g_auto(Client) c = { 0 };
  g_auto(Client) y = { 0 };
  g_autoptr(TendTreatmentPlan) draft = push_plan (fx.client_x, "Problem: Sleep\nGoal: Rest\nObjective: Asleep by 23:00",
                                                  NULL);
  g_autoptr(TendTreatmentPlan) first = push_plan (fx.client_x,
                                                  "Problem: Low mood " XSS "\nGoal: Feel better\n"
                                                  "Objective: Walk 3 times a week (by 2027-03-01)\nIntervention: CBT",
                                                  "2026-11-01T10:00:00Z");
  g_autoptr(TendTreatmentPlan) other = push_plan (fx.client_y, "Problem: Worry\nGoal: Calm", "2026-11-01T10:00:00Z");
  g_autoptr(TendTreatmentPlan) revised = NULL;
  g_autofree char *first_form = NULL;
  g_autofree char *revised_form = NULL;
  g_autofree char *other_form = NULL;
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  /* Refused by the record policy: a draft plan; a hash that is not the
   * plan's signature's; an id of one's own choosing; the front desk. */
  body = plan_request_body (draft, "0000", NULL);
  {
    g_autofree char *id = tend_portal_form_plan_request_id (tend_record_get_id (TEND_RECORD (draft)));

    status = push_status (fx.owner_token, "portal_form", id, 0, body);
    g_assert_cmpstr (status, ==, "rejected");
  }
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&status, g_free);
  body = plan_request_body (first, "0000", &first_form);
  status = push_status (fx.owner_token, "portal_form", first_form, 0, body);
  g_assert_cmpstr (status, ==, "rejected");
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&first_form, g_free);
  body = plan_request_body (first, NULL, &first_form);
  {
    g_autofree char *mine = new_id ();

    status = push_status (fx.owner_token, "portal_form", mine, 0, body);
    g_assert_cmpstr (status, ==, "rejected");
    g_clear_pointer (&status, g_free);
  }
  status = push_status (fx.desk_token, "portal_form", first_form, 0, body);
  g_assert_cmpstr (status, ==, "rejected");
  g_clear_pointer (&status, g_free);
  /* The clinician asks. */
  push (fx.owner_token, "portal_form", first_form, 0, body);
  g_clear_pointer (&body, g_free);
  body = plan_request_body (other, NULL, &other_form);
  push (fx.owner_token, "portal_form", other_form, 0, body);
  g_clear_pointer (&body, g_free);

  /* The client sees the plan in plain words, with the hash of that text. */
  sign_in (&c, fx.account_x, "x.client@mail.example");
  text = form_text (&c, first_form, &sha);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "What we will work on: Low mood " XSS));
  g_assert_nonnull (strstr (text, "  • Walk 3 times a week, by 2027-03-01"));
  g_assert_nonnull (strstr (text, "How we will work on it: CBT"));
  {
    g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

    g_assert_cmpstr (sha, ==, expected);
  }
  /* Another client's plan: not listed, 404 to sign. */
  {
    g_autofree char *other_path = g_strdup_printf ("/v1/portal/forms/%s/sign", other_form);
    g_autofree char *other_body = g_strdup_printf ("{\"name\":\"Xavi Client\",\"text_sha256\":\"%s\"}", sha);
    g_autoptr(PortalResponse) forms = portal (&c, "GET", "/v1/portal/forms", NULL);
    g_autoptr(PortalResponse) r = portal (&c, "POST", other_path, other_body);

    g_assert_null (strstr (forms->body, other_form));
    g_assert_cmpuint (r->status, ==, 404);
  }

  /* The clinician revises and signs a new plan: the first can no longer be
   * signed, whatever text the page sends. */
  revised = push_plan (fx.client_x, "Problem: Low mood\nGoal: Feel better\nObjective: Walk daily (by 2027-04-01)",
                       "2026-12-01T10:00:00Z");
  path = g_strdup_printf ("/v1/portal/forms/%s/sign", first_form);
  body = g_strdup_printf ("{\"name\":\"Xavi Client\",\"text_sha256\":\"%s\"}", sha);
  {
    g_autoptr(PortalResponse) r = portal (&c, "POST", path, body);
    g_autoptr(JsonNode) f = feed_body (fx.owner_token, "portal_form", first_form);

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "plan_changed");
    g_assert_cmpstr (test_json_string (f, "status"), ==, "pending");
  }
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&sha, g_free);
  g_clear_pointer (&text, g_free);

  /* The revised plan is asked for and signed: the text shown, once. */
  body = plan_request_body (revised, NULL, &revised_form);
  push (fx.owner_token, "portal_form", revised_form, 0, body);
  g_clear_pointer (&body, g_free);
  text = form_text (&c, revised_form, &sha);
  g_assert_nonnull (strstr (text, "Walk daily"));
  path = g_strdup_printf ("/v1/portal/forms/%s/sign", revised_form);
  {
    g_autoptr(PortalResponse) r = portal (&c, "POST", path, "{\"name\":\"Xavi Client\",\"text_sha256\":\"0000\"}");

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "text_changed");
  }
  body = g_strdup_printf ("{\"name\":\"Xavi Client\",\"text_sha256\":\"%s\"}", sha);
  {
    g_autoptr(PortalResponse) ok = portal (&c, "POST", path, body);
    g_autoptr(PortalResponse) twice = portal (&c, "POST", path, body);
    g_autoptr(JsonNode) f = feed_body (fx.owner_token, "portal_form", revised_form);
    g_autofree char *doc_id = tend_record_derive_id ("portal-consent-pdf", revised_form, "1");
    g_autoptr(JsonNode) doc = feed_body (fx.owner_token, "document", doc_id);

    assert_status (ok, 200);
    g_assert_cmpuint (twice->status, ==, 409);
    g_assert_cmpstr (test_json_string (twice->json, "error.code"), ==, "completed");
    g_assert_cmpstr (test_json_string (f, "kind"), ==, "plan");
    g_assert_cmpstr (test_json_string (f, "status"), ==, "completed");
    g_assert_cmpstr (test_json_string (f, "plan_id"), ==, tend_record_get_id (TEND_RECORD (revised)));
    g_assert_cmpstr (test_json_string (f, "signed_name"), ==, "Xavi Client");
    g_assert_cmpstr (test_json_string (f, "text_sha256"), ==, sha);
    g_assert_cmpstr (test_json_string (f, "signed_address"), ==, "127.0.0.1");
    g_assert_cmpstr (test_json_string (f, "signed_user_agent"), ==, "TestBrowser/1.0 " XSS);
    g_assert_nonnull (test_json_string (f, "completed_at"));
    g_assert_nonnull (doc);
    g_assert_cmpstr (test_json_string (doc, "title"), ==, "Your treatment plan (signed)");
  }
  /* Asked again for the same plan (another computer, offline): the same
   * record, so not a second request. */
  g_clear_pointer (&body, g_free);
  body = plan_request_body (revised, NULL, NULL);
  status = push_status (fx.owner_token, "portal_form", revised_form, 0, body);
  g_assert_cmpstr (status, !=, "applied");
  g_clear_pointer (&status, g_free);

  /* Another client, signed in, cannot sign X's request. */
  sign_in (&y, fx.account_y, "y.client@mail.example");
  {
    g_autofree char *sign = g_strdup_printf ("{\"name\":\"Yola Client\",\"text_sha256\":\"%s\"}", sha);
    g_autoptr(PortalResponse) r = portal (&y, "POST", path, sign);

    g_assert_cmpuint (r->status, ==, 404);
  }
}

/* The practice's own consent text (Preferences ▸ Practice, synced in the
 * practice record), edited between two consents: the portal shows each form
 * the text it was sent with, each signature keeps the SHA-256 of that text,
 * the later one differs, and the earlier one is not rewritten. */
static void
test_consent_practice_text (void)
{
  static const char * const texts[] = {
    "Riverbend's consent to treatment, first edition.",
    "Riverbend's consent to treatment, second edition: sessions are 50 minutes.",
  };
  g_auto(Client) c = { 0 };
  g_autofree char *practice = practice_record_id ();
  g_autofree char *first = new_id ();
  g_autofree char *second = new_id ();
  const char *ids[] = { first, second };
  char *shas[2] = { NULL, NULL };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Riverbend Counseling\",\"time_zone\":\"America/Chicago\","
                                               "\"currency\":\"USD\",\"consents\":{\"treatment_en\":\"%s\","
                                               "\"treatment_es\":\"Consentimiento %u\"}}", texts[i], i);
      g_autofree char *form = NULL;
      g_autoptr(JsonNode) stored = NULL;

      /* The owner edits the practice's text; Tend sends a consent with it. */
      push (fx.owner_token, "practice", practice, feed_version (fx.owner_token, "practice", practice), body);
      stored = feed_body (fx.owner_token, "practice", practice);
      g_assert_cmpstr (test_json_string (stored, "consents.treatment_en"), ==, texts[i]);
      form = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"consent\",\"consent\":\"treatment\","
                              "\"title\":\"Consent to Treatment\",\"text\":\"%s\",\"status\":\"pending\","
                              "\"assigned_by\":\"%s\"}", fx.client_x, texts[i], fx.owner_staff);
      push (fx.owner_token, "portal_form", ids[i], 0, form);
    }

  sign_in (&c, fx.account_x, "x.client@mail.example");
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *shown = form_text (&c, ids[i], &shas[i]);
      g_autofree char *expected = g_compute_checksum_for_string (G_CHECKSUM_SHA256, texts[i], -1);

      g_assert_cmpstr (shown, ==, texts[i]);
      g_assert_cmpstr (shas[i], ==, expected);
    }
  g_assert_cmpstr (shas[0], !=, shas[1]);
  {
    g_autofree char *path = g_strdup_printf ("/v1/portal/forms/%s/sign", first);
    g_autofree char *body = g_strdup_printf ("{\"name\":\"Xavi Client\",\"text_sha256\":\"%s\"}", shas[0]);
    g_autoptr(PortalResponse) ok = portal (&c, "POST", path, body);

    assert_status (ok, 200);
  }
  {
    /* The second form with the first text's hash: not what it shows. */
    g_autofree char *path = g_strdup_printf ("/v1/portal/forms/%s/sign", second);
    g_autofree char *stale = g_strdup_printf ("{\"name\":\"Xavi Client\",\"text_sha256\":\"%s\"}", shas[0]);
    g_autofree char *body = g_strdup_printf ("{\"name\":\"Xavi Client\",\"text_sha256\":\"%s\"}", shas[1]);
    g_autoptr(PortalResponse) refused = portal (&c, "POST", path, stale);
    g_autoptr(PortalResponse) ok = NULL;

    g_assert_cmpuint (refused->status, ==, 409);
    ok = portal (&c, "POST", path, body);
    assert_status (ok, 200);
  }
  {
    g_autoptr(JsonNode) a = feed_body (fx.owner_token, "portal_form", first);
    g_autoptr(JsonNode) b = feed_body (fx.owner_token, "portal_form", second);

    g_assert_cmpstr (test_json_string (a, "text_sha256"), ==, shas[0]);
    g_assert_cmpstr (test_json_string (a, "text"), ==, texts[0]);
    g_assert_cmpstr (test_json_string (b, "text_sha256"), ==, shas[1]);
    g_assert_cmpstr (test_json_string (a, "status"), ==, "completed");
    g_assert_cmpstr (test_json_string (b, "status"), ==, "completed");
  }
  g_free (shas[0]);
  g_free (shas[1]);
  /* The practice's address and messaging settings as the other cases
   * expect them. */
  set_client_start ("clinician", "Not for emergencies: call 988 or 911.");
}

static void
test_questionnaire (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *path = g_strdup_printf ("/v1/portal/forms/%s/answers", fx.phq9_x);
  g_autoptr(PortalResponse) forms = NULL;
  g_autoptr(PortalResponse) short_answers = NULL;
  g_autoptr(PortalResponse) out_of_range = NULL;
  g_autoptr(PortalResponse) ok = NULL;
  g_autoptr(JsonNode) form = NULL;
  g_autoptr(JsonNode) measure = NULL;
  const char *measure_id;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  forms = portal (&c, "GET", "/v1/portal/forms", NULL);
  g_assert_nonnull (strstr (forms->body, "\"items\":["));
  short_answers = portal (&c, "POST", path, "{\"answers\":[1,2]}");
  g_assert_cmpuint (short_answers->status, ==, 400);
  out_of_range = portal (&c, "POST", path, "{\"answers\":[1,2,3,0,0,0,0,0,9]}");
  g_assert_cmpuint (out_of_range->status, ==, 400);
  ok = portal (&c, "POST", path, "{\"answers\":[1,2,3,0,0,0,0,0,1]}");
  assert_status (ok, 200);

  form = feed_body (fx.owner_token, "portal_form", fx.phq9_x);
  g_assert_cmpstr (test_json_string (form, "status"), ==, "completed");
  measure_id = test_json_string (form, "measure_id");
  measure = feed_body (fx.owner_token, "measure", measure_id);
  g_assert_nonnull (measure);
  g_assert_cmpstr (test_json_string (measure, "instrument"), ==, "phq9");
  g_assert_cmpint (test_json_int (measure, "score"), ==, 7);
  g_assert_cmpstr (test_json_string (measure, "client_id"), ==, fx.client_x);
  g_assert_null (test_json_get (measure, "recorded_by"));
  /* Item 9 above 0: the clinician is told (audited; mailed through the outbox). */
  g_assert_cmpint (audit_count ("portal-risk-alert", fx.account_x), ==, 1);
  g_assert_cmpint (outbox_count ("measure-alert", "owner@a.example"), ==, 1);
}

/* Every instrument the measure record scores is answered in the portal,
 * each item with its own answers: the PCL-5's twenty. */
static void
test_questionnaire_pcl5 (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *id = new_id ();
  g_autofree char *body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"measure\",\"instrument\":\"pcl5\",\"title\":\"PCL-5\","
                                           "\"status\":\"pending\",\"assigned_by\":\"%s\"}", fx.client_x, fx.owner_staff);
  g_autofree char *path = g_strdup_printf ("/v1/portal/forms/%s/answers", id);
  g_autoptr(PortalResponse) forms = NULL;
  g_autoptr(PortalResponse) ok = NULL;
  g_autoptr(JsonNode) form = NULL;
  g_autoptr(JsonNode) measure = NULL;
  g_autoptr(GString) answers = g_string_new ("{\"answers\":[");
  JsonArray *list, *per_item = NULL;

  push (fx.owner_token, "portal_form", id, 0, body);
  sign_in (&c, fx.account_x, "x.client@mail.example");
  forms = portal (&c, "GET", "/v1/portal/forms", NULL);
  list = json_node_get_array (test_json_get (forms->json, "forms"));
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (list, i), "id"), id) == 0)
      per_item = json_object_get_array_member (json_array_get_object_element (list, i), "item_options");
  g_assert_nonnull (per_item);
  g_assert_cmpuint (json_array_get_length (per_item), ==, tend_instrument_get_n_items (TEND_INSTRUMENT_PCL5));
  for (guint i = 0; i < json_array_get_length (per_item); i++)
    {
      g_assert_cmpuint (json_array_get_length (json_array_get_array_element (per_item, i)), ==,
                        tend_instrument_get_n_options (TEND_INSTRUMENT_PCL5, i));
      g_string_append (answers, i > 0 ? ",1" : "1");
    }
  g_string_append (answers, "]}");
  ok = portal (&c, "POST", path, answers->str);
  assert_status (ok, 200);
  form = feed_body (fx.owner_token, "portal_form", id);
  g_assert_cmpstr (test_json_string (form, "status"), ==, "completed");
  measure = feed_body (fx.owner_token, "measure", test_json_string (form, "measure_id"));
  g_assert_cmpstr (test_json_string (measure, "instrument"), ==, "pcl5");
  g_assert_cmpint (test_json_int (measure, "score"), ==, 20);
}

/* An intake form: the client's contact and insurance details, as typed
 * (trimmed, empty ones left out), kept in the form for the staff to
 * review; nothing of the client record changes. */
static void
test_intake (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *id = new_id ();
  g_autofree char *body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"intake\",\"title\":\"Contact and Insurance Details\","
                                           "\"status\":\"pending\",\"assigned_by\":\"%s\"}", fx.client_x, fx.owner_staff);
  g_autofree char *path = g_strdup_printf ("/v1/portal/forms/%s/details", id);
  g_autofree char *long_city = NULL;
  g_autofree char *too_long = NULL;
  static const char * const refused[] = {
    "{\"details\":[]}",
    "{\"details\":{\"phone_mobile\":5550100}}",
    "{\"details\":{\"legal_family\":\"Changed\"}}",
    "{\"details\":{\"status\":\"discharged\"}}",
    "{\"details\":{\"pronouns\":\"   \"}}",
    "{}",
  };
  g_autoptr(PortalResponse) ok = NULL;
  g_autoptr(PortalResponse) twice = NULL;
  g_autoptr(JsonNode) form = NULL;
  g_autoptr(JsonNode) client = NULL;
  JsonNode *details;

  push (fx.owner_token, "portal_form", id, 0, body);
  sign_in (&c, fx.account_x, "x.client@mail.example");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(PortalResponse) r = portal (&c, "POST", path, refused[i]);

      if (r->status != 400)
        g_error ("%s: expected 400, got %u: %s", refused[i], r->status, r->body);
    }
  long_city = g_strnfill (81, 'a');
  too_long = g_strdup_printf ("{\"details\":{\"address.city\":\"%s\"}}", long_city);
  {
    g_autoptr(PortalResponse) r = portal (&c, "POST", path, too_long);

    g_assert_cmpuint (r->status, ==, 400);
  }
  /* The wrong kind of form for the endpoint: not found. */
  {
    g_autofree char *sign = g_strdup_printf ("/v1/portal/forms/%s/sign", id);
    g_autoptr(PortalResponse) r = portal (&c, "POST", sign, "{\"name\":\"X\",\"text_sha256\":\"00\"}");

    g_assert_cmpuint (r->status, ==, 404);
  }
  ok = portal (&c, "POST", path, "{\"details\":{\"phone_mobile\":\" 555-0100 \",\"address.city\":\"Austin " XSS_JSON "\","
                                 "\"pronouns\":\"\",\"insurance.payer\":\"Blue Shield\"}}");
  assert_status (ok, 200);
  twice = portal (&c, "POST", path, "{\"details\":{\"pronouns\":\"they\"}}");
  g_assert_cmpuint (twice->status, ==, 409);

  form = feed_body (fx.owner_token, "portal_form", id);
  g_assert_cmpstr (test_json_string (form, "status"), ==, "completed");
  g_assert_nonnull (test_json_string (form, "completed_at"));
  g_assert_null (test_json_get (form, "reviewed_by"));
  details = test_json_get (form, "details");
  g_assert_cmpstr (test_json_string (details, "phone_mobile"), ==, "555-0100");
  /* Member names hold a dot (as the client record's): not a path here. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (details), "address.city"), ==, "Austin " XSS);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (details), "insurance.payer"), ==, "Blue Shield");
  g_assert_null (test_json_get (details, "pronouns"));
  /* The record waits for the staff's review. */
  client = feed_body (fx.owner_token, "client", fx.client_x);
  g_assert_cmpstr (test_json_string (client, "phone_mobile"), !=, "555-0100");
  g_assert_cmpint (audit_count ("portal-write", fx.account_x), >, 0);
}

static void
test_documents (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *path = g_strdup_printf ("/v1/portal/documents/%s/download", fx.doc_x);
  g_autoptr(PortalResponse) list = NULL;
  g_autoptr(PortalResponse) file = NULL;
  gint64 downloads;
  JsonArray *docs;
  gboolean seen = FALSE;

  sign_in (&c, fx.account_x, "x.client@mail.example");
  downloads = audit_count ("portal-download", fx.account_x);

  list = portal (&c, "GET", "/v1/portal/documents", NULL);
  docs = json_node_get_array (test_json_get (list->json, "documents"));
  for (guint i = 0; i < json_array_get_length (docs); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (docs, i), "id"), fx.doc_x) == 0)
      {
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (docs, i), "title"), ==,
                         "Statement " XSS);
        seen = TRUE;
      }
  g_assert_true (seen);
  file = portal (&c, "GET", path, NULL);
  assert_status (file, 200);
  g_assert_cmpstr (file->content_type, ==, "application/pdf");
  g_assert_true (g_str_has_prefix (file->body, "%PDF-1.4"));
  g_assert_nonnull (strstr (file->disposition, "attachment"));
  g_assert_cmpint (audit_count ("portal-download", fx.account_x), ==, downloads + 1);
}

/* A push that the server answers, whatever it decided: the status. */
static char *
push_status (const char *token,
             const char *type,
             const char *id,
             gint64      base_version,
             const char *body)
{
  g_autofree char *op = new_id ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (test_json_string (r->json, "results.0.status"));
}

static gboolean
listed (PortalResponse *list,
        const char     *id)
{
  JsonArray *docs = json_node_get_array (test_json_get (list->json, "documents"));

  for (guint i = 0; i < json_array_get_length (docs); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (docs, i), "id"), id) == 0)
      return TRUE;
  return FALSE;
}

/* Statements and superbills billing shares: listed and served to their
 * client only while shared, never another client's, each download
 * audited; only billing staff share them, bytes first, and a shared one is
 * not rewritten. */
static void
test_shared_bills (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *bill_x = new_id ();
  g_autofree char *bill_x_unshared = new_id ();
  g_autofree char *bill_y = new_id ();
  g_autofree char *other = new_id ();
  g_autofree char *body_x = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path_x = g_strdup_printf ("/v1/portal/documents/%s/download", bill_x);
  g_autofree char *sql = NULL;
  g_autofree char *status = NULL;
  g_autoptr(PortalResponse) list = NULL;
  g_autoptr(PortalResponse) file = NULL;
  JsonArray *docs;
  PGresult *res;

#define BILL(client, kind, number, shared) \
  g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"" kind "\",\"number\":\"" number "\",\"issued_on\":\"2026-12-01\"," \
                   "\"period_from\":\"2026-11-01\",\"period_to\":\"2026-11-30\",\"size\":60,\"sha256\":\"%s\"," \
                   "\"shared_at\":\"2026-12-01T10:00:00Z\",\"shared_with_client\":" shared "}", client, fx.blob_sha)
  body_x = BILL (fx.client_x, "statement", "ST-000777", "true");
  push (fx.biller_token, "shared_bill", bill_x, 0, body_x);
  body = BILL (fx.client_x, "superbill", "SB-000778", "false");
  push (fx.owner_token, "shared_bill", bill_x_unshared, 0, body);
  g_clear_pointer (&body, g_free);
  body = BILL (fx.client_y, "statement", "ST-000779", "true");
  push (fx.biller_token, "shared_bill", bill_y, 0, body);
  g_clear_pointer (&body, g_free);

  /* The front desk sees what was shared but does not share. */
  body = BILL (fx.client_x, "statement", "ST-000780", "true");
  status = push_status (fx.desk_token, "shared_bill", other, 0, body);
  g_assert_cmpstr (status, !=, "applied");
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&body, g_free);
  /* Bytes the practice does not hold are refused. */
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"statement\",\"number\":\"ST-000781\",\"size\":1,"
                          "\"sha256\":\"%064d\",\"shared_with_client\":true}", fx.client_x, 7);
  status = push_status (fx.biller_token, "shared_bill", other, 0, body);
  g_assert_cmpstr (status, !=, "applied");
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&body, g_free);
  /* A shared bill stays the bill it was. */
  body = BILL (fx.client_x, "statement", "ST-009999", "true");
  status = push_status (fx.biller_token, "shared_bill", bill_x, 1, body);
  g_assert_cmpstr (status, !=, "applied");
  g_clear_pointer (&status, g_free);
  g_clear_pointer (&body, g_free);

  sign_in (&c, fx.account_x, "x.client@mail.example");
  list = portal (&c, "GET", "/v1/portal/documents", NULL);
  assert_status (list, 200);
  g_assert_true (listed (list, bill_x));
  g_assert_false (listed (list, bill_x_unshared));
  g_assert_false (listed (list, bill_y));
  g_assert_true (listed (list, fx.doc_x));
  docs = json_node_get_array (test_json_get (list->json, "documents"));
  for (guint i = 0; i < json_array_get_length (docs); i++)
    {
      JsonObject *d = json_array_get_object_element (docs, i);

      if (g_strcmp0 (json_object_get_string_member (d, "id"), bill_x) != 0)
        continue;
      g_assert_cmpstr (json_object_get_string_member (d, "kind"), ==, "statement");
      g_assert_cmpstr (json_object_get_string_member (d, "number"), ==, "ST-000777");
      g_assert_cmpstr (json_object_get_string_member (d, "mime_type"), ==, "application/pdf");
      g_assert_cmpstr (json_object_get_string_member (d, "added_at"), ==, "2026-12-01T10:00:00Z");
      /* Who shared it is the practice's business. */
      g_assert_false (json_object_has_member (d, "shared_by"));
    }

  file = portal (&c, "GET", path_x, NULL);
  assert_status (file, 200);
  g_assert_cmpstr (file->content_type, ==, "application/pdf");
  g_assert_true (g_str_has_prefix (file->body, "%PDF-1.4"));
  g_assert_cmpstr (file->disposition, ==, "attachment; filename=\"statement-ST-000777.pdf\"");
  sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = 'portal-download' AND account_id = '%s'"
                         " AND record_type = 'shared_bill' AND record_id = '%s'", fx.account_x, bill_x);
  res = test_pg_exec (pg, sql);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "1");
  PQclear (res);

  /* Another client's, and one not shared: the same 404 as no such id. */
  {
    const char *ids[] = { bill_y, bill_x_unshared };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autofree char *path = g_strdup_printf ("/v1/portal/documents/%s/download", ids[i]);
        g_autoptr(PortalResponse) r = portal (&c, "GET", path, NULL);

        assert_status (r, 404);
      }
  }

  /* Billing stops sharing it: gone from the list and the download. */
  {
    g_autoptr(PortalResponse) again = NULL;
    g_autoptr(PortalResponse) gone = NULL;

    body = BILL (fx.client_x, "statement", "ST-000777", "false");
    push (fx.biller_token, "shared_bill", bill_x, 1, body);
    g_clear_pointer (&body, g_free);
    again = portal (&c, "GET", "/v1/portal/documents", NULL);
    g_assert_false (listed (again, bill_x));
    gone = portal (&c, "GET", path_x, NULL);
    assert_status (gone, 404);
  }
#undef BILL
}

static gint64
metric (TestResponse *r,
        const char   *name)
{
  return json_node_get_int (test_json_get (r->json, name));
}

static gint64
outbox_sql_count (const char *practice,
                  const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM outbox WHERE practice_id = '%s' AND %s", practice, where);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

/* GET /v1/outbox/metrics: the owner's figures of their practice's outbox
 * (no relay is configured here, so nothing is sent while the test looks):
 * due now, sending, sent, failed, retrying, and the oldest due row's wait;
 * another practice's rows never counted; anyone else 403, no session 401. */
static void
test_outbox_metrics (void)
{
  g_autoptr(TestResponse) biller = test_request (session, server, "GET", "/v1/outbox/metrics", fx.biller_token, NULL);
  g_autoptr(TestResponse) nobody = test_request (session, server, "GET", "/v1/outbox/metrics", NULL, NULL);
  g_autoptr(TestResponse) before = test_request (session, server, "GET", "/v1/outbox/metrics", fx.owner_token, NULL);
  g_autoptr(TestResponse) after = NULL;
  g_autoptr(TestResponse) other = NULL;
  g_autofree char *insert = NULL;

  g_assert_cmpuint (biller->status, ==, 403);
  g_assert_cmpuint (nobody->status, ==, 401);
  g_assert_cmpuint (before->status, ==, 200);
  g_assert_cmpint (metric (before, "due"), ==,
                   outbox_sql_count (fx.practice_a, "status = 'pending' AND next_attempt_at <= now ()"));
  g_assert_cmpint (metric (before, "failed"), ==, outbox_sql_count (fx.practice_a, "status = 'failed'"));

  /* A retry due an hour ago, one for later, one failed for good, one sent;
   * and a failed one of another practice. */
  insert = g_strdup_printf ("INSERT INTO outbox (practice_id, channel, recipient, subject, body_text, kind, status,"
                            " attempts, next_attempt_at) VALUES"
                            " ('%1$s', 'email', 'a@mail.example', 'S', 'B', 'test', 'pending', 2, now () - interval '1 hour'),"
                            " ('%1$s', 'email', 'b@mail.example', 'S', 'B', 'test', 'pending', 1, now () + interval '1 hour'),"
                            " ('%1$s', 'email', 'c@mail.example', 'S', 'B', 'test', 'failed', 5, now ()),"
                            " ('%1$s', 'email', 'd@mail.example', 'S', 'B', 'test', 'sent', 1, now ()),"
                            " ('%2$s', 'email', 'e@mail.example', 'S', 'B', 'test', 'failed', 5, now ())",
                            fx.practice_a, fx.practice_b);
  PQclear (test_pg_exec (pg, insert));
  after = test_request (session, server, "GET", "/v1/outbox/metrics", fx.owner_token, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  g_assert_cmpint (metric (after, "due"), ==, metric (before, "due") + 1);
  g_assert_cmpint (metric (after, "retrying"), ==, metric (before, "retrying") + 2);
  g_assert_cmpint (metric (after, "failed"), ==, metric (before, "failed") + 1);
  g_assert_cmpint (metric (after, "sent"), ==, metric (before, "sent") + 1);
  g_assert_cmpint (metric (after, "oldest_due_seconds"), >=, 3600);
  g_assert_cmpint (metric (after, "oldest_due_seconds"), <, 3600 * 24 * 365);
  /* Counts only: no address, no body. */
  g_assert_null (strstr (after->body, "mail.example"));
  other = test_request (session, server, "GET", "/v1/outbox/metrics", fx.owner_b_token, NULL);
  g_assert_cmpuint (other->status, ==, 200);
  g_assert_cmpint (metric (other, "failed"), ==, outbox_sql_count (fx.practice_b, "status = 'failed'"));
  PQclear (test_pg_exec (pg, "DELETE FROM outbox WHERE kind = 'test'"));
}

static void
test_invitations (void)
{
  g_autofree char *client = new_id ();
  g_autoptr(TestResponse) bad = NULL;

  push (fx.owner_token, "client", client, 0,
        "{\"legal_given\":\"Ina\",\"legal_family\":\"Vite\",\"status\":\"active\"}");
  /* A biller does not invite; another practice's client is not found. */
  g_assert_null (invite (fx.biller_token, client, "ina@mail.example", 403));
  g_assert_null (invite (fx.owner_b_token, client, "ina@mail.example", 404));
  g_free (invite (fx.desk_token, client, "ina@mail.example", 200));
  g_assert_cmpint (outbox_count ("portal-invite", "ina@mail.example"), ==, 1);
  /* Another client of the practice has this address already. */
  g_assert_null (invite (fx.owner_token, client, "x.client@mail.example", 409));
  bad = test_request (session, server, "POST", "/v1/portal-invitations", fx.owner_token,
                      "{\"client_id\":\"nope\",\"email\":\"not an address\"}");
  g_assert_cmpuint (bad->status, ==, 400);
  /* No token, no invitation. */
  {
    g_autoptr(TestResponse) anon = test_request (session, server, "POST", "/v1/portal-invitations", NULL, "{}");

    g_assert_cmpuint (anon->status, ==, 401);
  }
}

static char *
invite_guardian (const char *token,
                 const char *client_id,
                 const char *related_person_id,
                 const char *email,
                 guint       expected,
                 const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"client_id\":\"%s\",\"related_person_id\":\"%s\",\"email\":\"%s\"}",
                                           client_id, related_person_id, email);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/portal-invitations", token, body);

  if (r->status != expected)
    g_error ("guardian invitation: expected %u, got %u: %s", expected, r->status, r->body);
  if (code != NULL)
    g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, code);
  return expected == 200 ? g_strdup (test_json_string (r->json, "account_id")) : NULL;
}

/* A minor's legal guardian is invited from their related_person record
 * and acts for the minor: the minor's appointments, messages and forms,
 * nobody else's, audited under the guardian's account; a parent who is
 * not the legal guardian, and the guardian of an adult, are refused; the
 * access ends as soon as the practice unmarks the guardian. */
/* The next event of a portal event stream: its name (data in @data). */
static char *
next_event (GDataInputStream *in,
            char            **data)
{
  char *event = NULL;

  *data = NULL;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);   /* the stream ended without an event */
      if (*line == '\0' && event != NULL)
        return event;
      if (g_str_has_prefix (line, "event: "))
        {
          g_free (event);
          event = g_strdup (line + 7);
        }
      else if (g_str_has_prefix (line, "data: "))
        {
          g_free (*data);
          *data = g_strdup (line + 6);
        }
    }
}

static void
push_staff_message (const char *conversation_id,
                    const char *text)
{
  g_autofree char *id = new_id ();
  g_autofree char *now = iso_in (-5);
  g_autofree char *body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"%s\","
                                           "\"sent_at\":\"%s\"}", conversation_id, fx.owner_staff, text, now);

  push (fx.owner_token, "message", id, 0, body);
}

static void
test_guardian (void)
{
  g_auto(Client) c = { 0 };
  g_autofree char *minor = new_id ();
  g_autofree char *adult = new_id ();
  g_autofree char *guardian = new_id ();
  g_autofree char *parent = new_id ();
  g_autofree char *adult_guardian = new_id ();
  g_autofree char *appt = new_id ();
  g_autofree char *conv = new_id ();
  g_autofree char *form = new_id ();
  g_autofree char *account = NULL;
  g_autofree char *body = NULL;
  g_autofree char *start = iso_in (4 * 24 * 3600);
  g_autofree char *end = iso_in (4 * 24 * 3600 + 3000);
  g_autofree char *now = iso_in (-60);
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) twelve = g_date_time_add_years (today, -12);
  g_autofree char *dob = g_date_time_format (twelve, "%Y-%m-%d");
  g_autoptr(SoupSession) live_session = soup_session_new ();
  g_autoptr(SoupMessage) live = NULL;
  g_autoptr(GInputStream) live_raw = NULL;
  g_autoptr(GDataInputStream) live_in = NULL;
  g_autofree char *other_conv = new_id ();
  g_autofree char *other_client = new_id ();

  body = g_strdup_printf ("{\"legal_given\":\"Milo\",\"legal_family\":\"Minor\",\"status\":\"active\","
                          "\"date_of_birth\":\"%s\"}", dob);
  push (fx.owner_token, "client", minor, 0, body);
  g_clear_pointer (&body, g_free);
  push (fx.owner_token, "client", adult, 0,
        "{\"legal_given\":\"Ada\",\"legal_family\":\"Adult\",\"status\":\"active\",\"date_of_birth\":\"1980-04-04\"}");
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"name\":\"Gil Minor\",\"relationship\":\"legal_guardian\","
                          "\"legal_guardian\":true,\"email\":\"gil@mail.example\"}", minor);
  push (fx.desk_token, "related_person", guardian, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"name\":\"Pat Minor\",\"relationship\":\"parent\","
                          "\"email\":\"pat@mail.example\"}", minor);
  push (fx.desk_token, "related_person", parent, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"name\":\"Al Adult\",\"relationship\":\"legal_guardian\","
                          "\"legal_guardian\":true,\"email\":\"al@mail.example\"}", adult);
  push (fx.desk_token, "related_person", adult_guardian, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"in_person\","
                          "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\"}", minor, fx.owner_staff, start, end);
  push (fx.owner_token, "appointment", appt, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"members\":[\"%s\"],\"client_id\":\"%s\",\"with_client\":true,"
                          "\"created_by\":\"%s\",\"created_at\":\"%s\"}", fx.owner_staff, minor, fx.owner_staff, now);
  push (fx.owner_token, "conversation", conv, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"consent\",\"consent\":\"treatment\",\"title\":\"Consent\","
                          "\"text\":\"I consent for my child\",\"status\":\"pending\",\"assigned_by\":\"%s\"}",
                          minor, fx.owner_staff);
  push (fx.owner_token, "portal_form", form, 0, body);
  g_clear_pointer (&body, g_free);

  /* Refused: a parent who is not the legal guardian; an adult's guardian;
   * a guardian named for another client; a role that does not invite; an
   * unknown related person; another practice. */
  g_assert_null (invite_guardian (fx.desk_token, minor, parent, "pat@mail.example", 403, "not_guardian"));
  g_assert_null (invite_guardian (fx.desk_token, adult, adult_guardian, "al@mail.example", 403, "not_guardian"));
  g_assert_null (invite_guardian (fx.desk_token, fx.client_x, guardian, "gil@mail.example", 403, "not_guardian"));
  g_assert_null (invite_guardian (fx.biller_token, minor, guardian, "gil@mail.example", 403, "forbidden"));
  {
    g_autofree char *nobody = new_id ();

    g_assert_null (invite_guardian (fx.desk_token, minor, nobody, "gil@mail.example", 404, "not_found"));
  }
  g_assert_null (invite_guardian (fx.owner_b_token, minor, guardian, "gil@mail.example", 404, "not_found"));
  g_assert_cmpint (outbox_count ("portal-invite", "pat@mail.example"), ==, 0);
  g_assert_cmpint (outbox_count ("portal-invite", "al@mail.example"), ==, 0);

  /* The guardian: invited, e-mailed, audited. */
  account = invite_guardian (fx.desk_token, minor, guardian, "gil@mail.example", 200, NULL);
  g_assert_cmpint (outbox_count ("portal-invite", "gil@mail.example"), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = 'portal-invite-guardian'"
                                            " AND record_id = '%s'", guardian);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "1");
    PQclear (res);
  }
  /* The minor may still have an account of their own. */
  g_free (invite (fx.owner_token, minor, "milo@mail.example", 200));

  sign_in (&c, account, "gil@mail.example");
  {
    g_autoptr(PortalResponse) me = portal (&c, "GET", "/v1/portal/me", NULL);

    assert_status (me, 200);
    g_assert_cmpstr (test_json_string (me->json, "guardian_of"), ==, minor);
    g_assert_cmpstr (test_json_string (me->json, "client.legal_given"), ==, "Milo");
    g_assert_cmpstr (test_json_string (me->json, "guardian.name"), ==, "Gil Minor");
  }
  {
    g_autoptr(PortalResponse) appts = portal (&c, "GET", "/v1/portal/appointments", NULL);
    g_autoptr(PortalResponse) forms = portal (&c, "GET", "/v1/portal/forms", NULL);
    g_autoptr(PortalResponse) convs = portal (&c, "GET", "/v1/portal/conversations", NULL);

    assert_status (appts, 200);
    g_assert_nonnull (strstr (appts->body, appt));
    g_assert_null (strstr (appts->body, fx.appt_x));
    g_assert_nonnull (strstr (forms->body, form));
    g_assert_null (strstr (forms->body, fx.consent_x));
    g_assert_nonnull (strstr (convs->body, conv));
    g_assert_null (strstr (convs->body, fx.conv_x));
  }
  /* Another client's ids: 404, like ids that do not exist. */
  {
    const char *paths[][4] = {
      { "POST", "/v1/portal/appointments/", fx.appt_x, "/confirm" },
      { "POST", "/v1/portal/appointments/", fx.appt_y, "/cancel" },
      { "GET", "/v1/portal/conversations/", fx.conv_x, "/messages" },
      { "POST", "/v1/portal/conversations/", fx.conv_y, "/messages" },
      { "POST", "/v1/portal/forms/", fx.consent_x, "/sign" },
      { "GET", "/v1/portal/documents/", fx.doc_x, "/download" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_autofree char *path = g_strconcat (paths[i][1], paths[i][2], paths[i][3], NULL);
        const char *req_body = strcmp (paths[i][0], "GET") == 0 ? NULL
                               : strstr (path, "messages") != NULL ? "{\"text\":\"hi\"}"
                               : strstr (path, "/sign") != NULL ? "{\"name\":\"X\",\"text_sha256\":\"00\"}" : "{}";
        g_autoptr(PortalResponse) r = portal (&c, paths[i][0], path, req_body);

        if (r->status != 404)
          g_error ("guardian %s %s: expected 404, got %u: %s", paths[i][0], path, r->status, r->body);
      }
  }
  /* What the guardian does is the minor's, audited as the guardian. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/portal/appointments/%s/confirm", appt);
    g_autofree char *msg_path = g_strdup_printf ("/v1/portal/conversations/%s/messages", conv);
    g_autoptr(PortalResponse) confirm = portal (&c, "POST", path, "{}");
    g_autoptr(PortalResponse) sent = portal (&c, "POST", msg_path, "{\"text\":\"Milo will be there\"}");
    g_autoptr(JsonNode) stored = NULL;

    assert_status (confirm, 200);
    assert_status (sent, 201);
    stored = feed_body (fx.owner_token, "appointment", appt);
    g_assert_cmpstr (test_json_string (stored, "status"), ==, "confirmed");
    g_assert_cmpint (audit_count ("portal-write", account), >=, 2);
  }

  /* The live stream (GET /v1/portal/events): the guardian hears of the
   * minor's threads, never another client's; it does not open without a
   * session. */
  {
    g_autoptr(PortalResponse) anonymous = portal_full (NULL, "GET", "/v1/portal/events", NULL, FALSE, NULL);
    g_autofree char *url = g_strconcat (server->base, "/v1/portal/events", NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *event = NULL;
    g_autofree char *data = NULL;

    assert_status (anonymous, 401);
    /* A thread of another client's (one of its own: the other cases
     * count X's and Y's messages and notices). */
    push (fx.owner_token, "client", other_client, 0,
          "{\"legal_given\":\"Oz\",\"legal_family\":\"Other\",\"status\":\"active\"}");
    body = g_strdup_printf ("{\"members\":[\"%s\"],\"client_id\":\"%s\",\"with_client\":true,"
                            "\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                            fx.owner_staff, other_client, fx.owner_staff, now);
    push (fx.owner_token, "conversation", other_conv, 0, body);
    g_clear_pointer (&body, g_free);
    live = soup_message_new ("GET", url);
    soup_message_headers_replace (soup_message_get_request_headers (live), "Cookie", c.cookie);
    live_raw = soup_session_send (live_session, live, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (live), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (live), NULL), ==,
                     "text/event-stream");
    live_in = g_data_input_stream_new (live_raw);
    event = next_event (live_in, &data);
    g_assert_cmpstr (event, ==, "ready");
    g_clear_pointer (&event, g_free);
    g_clear_pointer (&data, g_free);
    push_staff_message (other_conv, "For X only");
    push_staff_message (conv, "For Milo");
    event = next_event (live_in, &data);
    g_assert_cmpstr (event, ==, "conversation");
    g_assert_nonnull (strstr (data, conv));
    g_assert_null (strstr (data, other_conv));
  }

  /* The practice unmarks the guardian: the session stops acting for the
   * minor at once (signing out still works). */
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"name\":\"Gil Minor\",\"relationship\":\"parent\","
                          "\"legal_guardian\":false,\"email\":\"gil@mail.example\"}", minor);
  push (fx.desk_token, "related_person", guardian, 1, body);
  /* The stream (the session still signed in) names nothing more: at the
   * minor's next message it ends. */
  {
    g_autofree char *event = NULL;
    g_autofree char *data = NULL;

    push_staff_message (conv, "Not for Gil any more");
    event = next_event (live_in, &data);
    g_assert_cmpstr (event, ==, "end");
    g_assert_cmpstr (data, ==, "{\"reason\":\"signed_out\"}");
  }
  {
    g_autoptr(PortalResponse) me = portal (&c, "GET", "/v1/portal/me", NULL);
    g_autoptr(PortalResponse) appts = portal (&c, "GET", "/v1/portal/appointments", NULL);
    g_autoptr(PortalResponse) out = portal (&c, "POST", "/v1/portal/signout", "{}");

    assert_status (me, 403);
    g_assert_cmpstr (test_json_string (me->json, "error.code"), ==, "guardian_ended");
    assert_status (appts, 403);
    g_assert_null (strstr (appts->body, appt));
    assert_status (out, 200);
  }
}

static void
test_same_address_two_practices (void)
{
  g_auto(Client) c = { 0 };
  g_autoptr(PortalResponse) me = NULL;

  /* Z (practice B) shares X's address: each account has its own code. */
  put_code (fx.account_x, "700001", 600);
  put_code (fx.account_z, "700002", 600);
  {
    g_autoptr(PortalResponse) r = verify ("x.client@mail.example", "700002");

    take_session (&c, r);
  }
  me = portal (&c, "GET", "/v1/portal/me", NULL);
  g_assert_cmpstr (test_json_string (me->json, "client.legal_given"), ==, "Zed");
  g_assert_cmpstr (test_json_string (me->json, "practice.time_zone"), ==, "Europe/Berlin");
  {
    g_autoptr(PortalResponse) appts = portal (&c, "GET", "/v1/portal/appointments", NULL);

    g_assert_null (strstr (appts->body, fx.appt_x));
  }
}

static void
test_rate_limits (void)
{
  /* Per e-mail: five requests, then 429, known address or not alike. */
  for (int pass = 0; pass < 2; pass++)
    {
      const char *body = pass == 0 ? "{\"email\":\"y.client@mail.example\"}" : "{\"email\":\"ghost@mail.example\"}";

      for (int i = 0; i < 5; i++)
        {
          g_autoptr(PortalResponse) r = portal (NULL, "POST", "/v1/portal/signin/code", body);

          assert_status (r, 200);
        }
      {
        g_autoptr(PortalResponse) r = portal (NULL, "POST", "/v1/portal/signin/code", body);

        g_assert_cmpuint (r->status, ==, 429);
        g_assert_cmpstr (test_json_string (r->json, "error.code"), ==, "rate_limited");
      }
    }
}

static void
setup (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *in3d = iso_in (3 * 24 * 3600);
  g_autoptr(GDateTime) in3d_dt = g_date_time_new_from_iso8601 (in3d, NULL);
  g_autofree char *in3d_end = iso_in (3 * 24 * 3600 + 3000);
  g_autofree char *in2h = iso_in (2 * 3600);
  g_autofree char *in2h_end = iso_in (2 * 3600 + 3000);
  g_autofree char *now = iso_in (-60);
  g_autofree char *body = NULL;
  g_autofree char *room = new_id ();

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  b = test_admin (pg, PASSWORD, "create-practice", "--name", "Lakeside Therapy", "--time-zone", "Europe/Berlin",
                  "--owner-email", "owner@b.example", "--owner-name", "Bea Owner", NULL);
  fx.practice_a = g_strdup (test_json_string (a, "practice_id"));
  fx.practice_b = g_strdup (test_json_string (b, "practice_id"));
  fx.owner_staff = g_strdup (test_json_string (a, "staff_id"));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a, "--email", "biller@a.example",
                               "--name", "Bill Biller", "--role", "biller", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a, "--email", "desk@a.example",
                               "--name", "Dee Desk", "--role", "front_desk", NULL));
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  fx.owner_token = test_login (session, server, "owner@a.example", PASSWORD);
  fx.owner_b_token = test_login (session, server, "owner@b.example", PASSWORD);
  fx.biller_token = test_login (session, server, "biller@a.example", PASSWORD);
  fx.desk_token = test_login (session, server, "desk@a.example", PASSWORD);

  /* The practice's address and terms. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes", fx.owner_token, NULL);
    JsonArray *changes = json_node_get_array (test_json_get (r->json, "changes"));

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *c = json_array_get_object_element (changes, i);

        if (g_strcmp0 (json_object_get_string_member (c, "type"), "practice") == 0)
          {
            g_autofree char *practice = g_strdup_printf ("{\"name\":\"Riverbend Counseling\",\"time_zone\":\"America/Chicago\","
                                                         "\"currency\":\"USD\",\"address\":{\"line1\":\"12 Elm Street\","
                                                         "\"city\":\"Springfield\"},"
                                                         "\"messaging\":{\"client_notice\":\"Not for emergencies: call 988 or 911.\"}}");

            push (fx.owner_token, "practice", json_object_get_string_member (c, "id"),
                  json_object_get_int_member (c, "version"), practice);
          }
      }
  }
  push_new (fx.owner_token, "billing_settings",
        "{\"charge_on\":\"completed\",\"telehealth_modifier\":\"95\",\"late_cancel_fee\":4500}");
  push (fx.owner_token, "room", room, 0, "{\"name\":\"Video room\",\"virtual\":true,\"active\":true}");

  fx.client_x = new_id ();
  fx.client_y = new_id ();
  fx.client_z = new_id ();
  push (fx.owner_token, "client", fx.client_x, 0,
        "{\"legal_given\":\"Xavi\",\"legal_family\":\"Client\",\"status\":\"active\",\"date_of_birth\":\"1990-01-02\"}");
  push (fx.owner_token, "client", fx.client_y, 0, "{\"legal_given\":\"Yara\",\"legal_family\":\"Other\",\"status\":\"active\"}");
  push (fx.owner_b_token, "client", fx.client_z, 0, "{\"legal_given\":\"Zed\",\"legal_family\":\"Else\",\"status\":\"active\"}");
  fx.account_x = invite (fx.owner_token, fx.client_x, "x.client@mail.example", 200);
  fx.account_y = invite (fx.owner_token, fx.client_y, "y.client@mail.example", 200);
  fx.account_z = invite (fx.owner_b_token, fx.client_z, "X.Client@mail.example", 200);

  fx.appt_x = new_id ();
  fx.appt_x_start = g_date_time_to_unix (in3d_dt);
  fx.appt_x_soon = new_id ();
  fx.appt_y = new_id ();
  body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"in_person\","
                          "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\",\"note\":\"internal note\"}",
                          fx.client_x, fx.owner_staff, in3d, in3d_end);
  push (fx.owner_token, "appointment", fx.appt_x, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"in_person\","
                          "\"room_id\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\"}",
                          fx.client_x, fx.owner_staff, room, in2h, in2h_end);
  push (fx.owner_token, "appointment", fx.appt_x_soon, 0, body);
  g_clear_pointer (&body, g_free);
  {
    g_autofree char *later = iso_in (5 * 24 * 3600);
    g_autofree char *later_end = iso_in (5 * 24 * 3600 + 3000);

    body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"telehealth\","
                            "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\"}",
                            fx.client_y, fx.owner_staff, later, later_end);
    push (fx.owner_token, "appointment", fx.appt_y, 0, body);
    g_clear_pointer (&body, g_free);
  }

  fx.conv_x = new_id ();
  fx.conv_y = new_id ();
  body = g_strdup_printf ("{\"subject\":\"Scheduling " XSS_JSON "\",\"members\":[\"%s\"],\"client_id\":\"%s\",\"with_client\":true,"
                          "\"created_by\":\"%s\",\"created_at\":\"%s\"}", fx.owner_staff, fx.client_x, fx.owner_staff, now);
  push (fx.owner_token, "conversation", fx.conv_x, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"members\":[\"%s\"],\"client_id\":\"%s\",\"with_client\":true,"
                          "\"created_by\":\"%s\",\"created_at\":\"%s\"}", fx.owner_staff, fx.client_y, fx.owner_staff, now);
  push (fx.owner_token, "conversation", fx.conv_y, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Welcome " XSS_JSON "\",\"sent_at\":\"%s\"}",
                          fx.conv_x, fx.owner_staff, now);
  push_new (fx.owner_token, "message", body);
  g_clear_pointer (&body, g_free);

  fx.consent_x = new_id ();
  fx.phq9_x = new_id ();
  fx.form_y = new_id ();
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"consent\",\"consent\":\"treatment\",\"title\":\"Consent " XSS_JSON "\","
                          "\"text\":\"I consent " XSS_JSON "\",\"status\":\"pending\",\"assigned_by\":\"%s\"}",
                          fx.client_x, fx.owner_staff);
  push (fx.owner_token, "portal_form", fx.consent_x, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"measure\",\"instrument\":\"phq9\",\"title\":\"PHQ-9\","
                          "\"status\":\"pending\",\"assigned_by\":\"%s\"}", fx.client_x, fx.owner_staff);
  push (fx.owner_token, "portal_form", fx.phq9_x, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"measure\",\"instrument\":\"phq9\",\"title\":\"PHQ-9\","
                          "\"status\":\"pending\",\"assigned_by\":\"%s\"}", fx.client_y, fx.owner_staff);
  push (fx.owner_token, "portal_form", fx.form_y, 0, body);
  g_clear_pointer (&body, g_free);

  /* A shared statement, an unshared document, another client's. */
  pdf = g_strdup ("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
  fx.blob_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pdf, -1);
  {
    g_autofree char *blob_path = g_strdup_printf ("/v1/blobs/%s", fx.blob_sha);
    g_autoptr(GBytes) bytes = g_bytes_new (pdf, strlen (pdf));
    g_autoptr(TestResponse) put = test_request_bytes (session, server, "PUT", blob_path, fx.owner_token, bytes);

    g_assert_cmpuint (put->status, <, 300);
  }
  fx.doc_x = new_id ();
  fx.doc_x_private = new_id ();
  fx.doc_y = new_id ();
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"title\":\"Statement " XSS_JSON "\",\"mime_type\":\"application/pdf\","
                          "\"size\":%zu,\"sha256\":\"%s\",\"shared_with_client\":true}", fx.client_x, strlen (pdf), fx.blob_sha);
  push (fx.owner_token, "document", fx.doc_x, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"title\":\"Private\",\"mime_type\":\"application/pdf\","
                          "\"size\":%zu,\"sha256\":\"%s\"}", fx.client_x, strlen (pdf), fx.blob_sha);
  push (fx.owner_token, "document", fx.doc_x_private, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"title\":\"Y's\",\"mime_type\":\"application/pdf\","
                          "\"size\":%zu,\"sha256\":\"%s\",\"shared_with_client\":true}", fx.client_y, strlen (pdf), fx.blob_sha);
  push (fx.owner_token, "document", fx.doc_y, 0, body);
  g_clear_pointer (&body, g_free);
}

static void
teardown (void)
{
  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  g_free (fx.practice_a);
  g_free (fx.practice_b);
  g_free (fx.owner_staff);
  g_free (fx.owner_token);
  g_free (fx.owner_b_token);
  g_free (fx.biller_token);
  g_free (fx.desk_token);
  g_free (fx.client_x);
  g_free (fx.client_y);
  g_free (fx.client_z);
  g_free (fx.account_x);
  g_free (fx.account_y);
  g_free (fx.account_z);
  g_free (fx.appt_x);
  g_free (fx.appt_x_soon);
  g_free (fx.appt_y);
  g_free (fx.conv_x);
  g_free (fx.conv_y);
  g_free (fx.consent_x);
  g_free (fx.phq9_x);
  g_free (fx.form_y);
  g_free (fx.doc_x);
  g_free (fx.doc_x_private);
  g_free (fx.doc_y);
  g_free (fx.blob_sha);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/portal/static/pages", test_static_pages);
  g_test_add_func ("/portal/signin/does-not-tell", test_signin_does_not_tell);
  g_test_add_func ("/portal/signin/code", test_signin_code);
  g_test_add_func ("/portal/signin/brute-force", test_signin_brute_force);
  g_test_add_func ("/portal/signin/expired-and-links", test_signin_expired_and_links);
  g_test_add_func ("/portal/signin/same-address-two-practices", test_same_address_two_practices);
  g_test_add_func ("/portal/session/sign-out-and-expiry", test_sessions);
  g_test_add_func ("/portal/security/csrf", test_csrf);
  g_test_add_func ("/portal/security/other-clients-ids", test_other_clients_ids);
  g_test_add_func ("/portal/appointments/confirm-cancel", test_appointments);
  g_test_add_func ("/portal/messages/read-send", test_messages);
  g_test_add_func ("/portal/messages/start-conversation", test_start_conversation);
  g_test_add_func ("/portal/forms/consent", test_consent);
  g_test_add_func ("/portal/forms/consent-practice-text", test_consent_practice_text);
  g_test_add_func ("/portal/forms/questionnaire", test_questionnaire);
  g_test_add_func ("/portal/forms/questionnaire-pcl5", test_questionnaire_pcl5);
  g_test_add_func ("/portal/forms/intake", test_intake);
  g_test_add_func ("/portal/forms/plan-cosign", test_plan_cosign);
  g_test_add_func ("/portal/documents/download", test_documents);
  g_test_add_func ("/portal/documents/shared-bills", test_shared_bills);
  g_test_add_func ("/portal/appointments/join-video", test_join_video);
  g_test_add_func ("/portal/documents/safety-plan", test_safety_plan);
  g_test_add_func ("/portal/staff/invitations", test_invitations);
  g_test_add_func ("/portal/staff/outbox-metrics", test_outbox_metrics);
  g_test_add_func ("/portal/guardian", test_guardian);
  g_test_add_func ("/portal/zz/rate-limits", test_rate_limits);

  setup ();
  rc = g_test_run ();
  teardown ();
  return rc;
}
