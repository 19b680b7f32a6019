/* tend-server-video-join.c: joining a video session from a browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host of a session asks for a join link (POST /v1/video/invites): a
 * random token, kept hashed, valid from ten minutes before the
 * appointment until its end, and good for one join; Tend copies it, or
 * the server e-mails it to the client's address on file.  GET /video/join/TOKEN
 * serves the page (static HTML, CSS and JavaScript compiled in, under a
 * strict Content-Security-Policy: no inline script, nothing from anywhere
 * else), or a page that says plainly why not: a link that is wrong, not
 * open yet, expired or already used.  The page opens /v1/video/guest with
 * the token, which spends it; the guest then waits until the host admits
 * them (tend-server-video.c).  Spending it also makes the guest a rejoin
 * token (kept hashed, bound to that guest and session, valid until the
 * link's end and while the session has not ended): the page keeps it and
 * comes back with it by itself after a network drop, straight into the
 * call if the host had admitted it.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-auth.h"
#include "tend-server-outbox.h"
#include "tend-server-private.h"
#include "tend-server-reminders.h"
#include "tend-server-video-resources.h"
#include "tend-server-video.h"

#define OPEN_BEFORE_S 600  /* seconds: ten minutes */

static const char csp[] =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
  " media-src 'self' blob: mediastream:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

static void
add_page_headers (TendRequest *req)
{
  tend_request_add_header (req, "Content-Security-Policy", csp);
  tend_request_add_header (req, "X-Content-Type-Options", "nosniff");
  tend_request_add_header (req, "Referrer-Policy", "no-referrer");
  tend_request_add_header (req, "Permissions-Policy", "camera=(self), microphone=(self)");
}

static GBytes *
resource (const char *name)
{
  g_autofree char *path = g_strconcat ("/app/tend/server/video/", name, NULL);

  /* Looked up in the resource itself: that also keeps its object file in
   * the link (a static library's unreferenced constructor is dropped). */
  return g_resource_lookup_data (tend_server_video_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/* The browser's first language we have: "es" or "en".  Chosen per
 * request from Accept-Language (gettext holds one language per process,
 * and the server answers many clients at once: the texts are a table
 * here, as the reminders' are). */
static const char *
page_language (TendRequest *req)
{
  const char *accept = req->request_headers != NULL
                       ? soup_message_headers_get_one (req->request_headers, "Accept-Language") : NULL;
  g_auto(GStrv) ranges = accept != NULL ? g_strsplit (accept, ",", 16) : NULL;

  for (guint i = 0; ranges != NULL && ranges[i] != NULL; i++)
    {
      const char *tag = g_strstrip (ranges[i]);

      if (g_ascii_strncasecmp (tag, "es", 2) == 0 && (tag[2] == '\0' || tag[2] == '-' || tag[2] == ';'))
        return strstr (tag, ";q=0") != NULL && strstr (tag, ";q=0.") == NULL ? "en" : "es";
      if (g_ascii_strncasecmp (tag, "en", 2) == 0 && (tag[2] == '\0' || tag[2] == '-' || tag[2] == ';'))
        return "en";
    }
  return "en";
}

/* A page that says why the link does not work: fixed texts only, in
 * @language. */
static void
reply_message (TendRequest *req,
               const char  *language,
               guint        status,
               const char  *title,
               const char  *text)
{
  g_autoptr(GBytes) template = resource ("message.html");
  g_autoptr(GString) page = g_string_new_len (g_bytes_get_data (template, NULL), g_bytes_get_size (template));

  g_string_replace (page, "@LANG@", language, 1);
  g_string_replace (page, "@PAGE_TITLE@", g_str_equal (language, "es") ? "Sesión de video" : "Video session", 1);
  g_string_replace (page, "@TITLE@", title, 1);
  g_string_replace (page, "@TEXT@", text, 1);
  req->status = status;
  req->response_type = "text/html; charset=utf-8";
  req->response_bytes = g_string_free_to_bytes (g_steal_pointer (&page));
  add_page_headers (req);
}

typedef enum
{
  LINK_OK,
  LINK_UNKNOWN,
  LINK_NOT_YET,
  LINK_EXPIRED,
  LINK_USED,
  LINK_FAILED,
} LinkState;

/* With @rejoin_hash (spending the link), the guest's rejoin token is
 * stored in the same statement, bound to @guest_id and the link's end. */
static LinkState
check_link (TendPgConn  *conn,
            const char  *token,
            const char  *rejoin_hash,
            const char  *guest_id,
            char       **practice_id,
            char       **session_id)
{
  g_autofree char *hash = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;
  const char *params[3];

  if (token == NULL || strlen (token) < 20 || strlen (token) > 100)
    return LINK_UNKNOWN;
  hash = tend_auth_token_hash (token);
  params[0] = hash;
  /* Spending it is one statement: two tabs opening the link at once do
   * not both get in. */
  if (rejoin_hash != NULL)
    {
      params[1] = rejoin_hash;
      params[2] = guest_id;
      res = tend_pg_exec (conn,
                          "WITH spent AS (UPDATE video_invite SET used_at = now () WHERE token_hash = $1::bytea"
                          "  AND used_at IS NULL AND now () >= valid_from AND now () < valid_until"
                          "  RETURNING practice_id, session_id, valid_until),"
                          " rejoin AS (INSERT INTO video_rejoin (token_hash, practice_id, session_id, guest_id, valid_until)"
                          "  SELECT $2::bytea, practice_id, session_id, $3::uuid, valid_until FROM spent)"
                          " SELECT practice_id, session_id FROM spent",
                          3, params, &error);
      if (res == NULL)
        return LINK_FAILED;
      if (PQntuples (res) == 1)
        {
          *practice_id = tend_pg_dup_value (res, 0, 0);
          *session_id = tend_pg_dup_value (res, 0, 1);
          return LINK_OK;
        }
      g_clear_pointer (&res, PQclear);
    }
  res = tend_pg_exec (conn,
                      "SELECT used_at IS NOT NULL, now () < valid_from, now () >= valid_until FROM video_invite"
                      " WHERE token_hash = $1::bytea",
                      1, params, &error);
  if (res == NULL)
    return LINK_FAILED;
  if (PQntuples (res) == 0)
    return LINK_UNKNOWN;
  if (tend_pg_get_bool (res, 0, 0))
    return LINK_USED;
  if (tend_pg_get_bool (res, 0, 1))
    return LINK_NOT_YET;
  if (tend_pg_get_bool (res, 0, 2))
    return LINK_EXPIRED;
  return rejoin_hash != NULL ? LINK_FAILED : LINK_OK;
}

/* The refusal pages' texts, English then Spanish. */
static const struct
{
  LinkState state;
  guint     status;
  const char *title[2];
  const char *text[2];
} refusals[] = {
  { LINK_UNKNOWN, SOUP_STATUS_NOT_FOUND,
    { "This link is not valid", "Este enlace no es válido" },
    { "Check that the whole link was copied, or ask your clinician for a new one.",
      "Compruebe que copió el enlace completo, o pida uno nuevo a su profesional." } },
  { LINK_NOT_YET, SOUP_STATUS_FORBIDDEN,
    { "The session is not open yet", "La sesión todavía no está abierta" },
    { "You can join from 10 minutes before your appointment. Open this link again then.",
      "Puede entrar desde 10 minutos antes de su cita. Vuelva a abrir este enlace entonces." } },
  { LINK_EXPIRED, SOUP_STATUS_GONE,
    { "This link has expired", "Este enlace ha caducado" },
    { "The appointment is over. Ask your clinician for a new link if you still need one.",
      "La cita ya terminó. Si todavía lo necesita, pida un enlace nuevo a su profesional." } },
  { LINK_USED, SOUP_STATUS_GONE,
    { "This link has already been used", "Este enlace ya se usó" },
    { "Each link joins once. Ask your clinician for a new link to join again.",
      "Cada enlace sirve para entrar una vez. Pida un enlace nuevo a su profesional para volver a entrar." } },
  { LINK_FAILED, SOUP_STATUS_SERVICE_UNAVAILABLE,
    { "The practice's server is not available", "El servidor de la consulta no está disponible" },
    { "Try again in a moment.", "Vuelva a intentarlo en un momento." } },
};

static void
reply_link_refused (TendRequest *req,
                    LinkState    state)
{
  const char *language = page_language (req);
  guint l = g_str_equal (language, "es") ? 1 : 0;
  guint i = G_N_ELEMENTS (refusals) - 1;  /* LINK_FAILED, and anything unforeseen */

  for (guint k = 0; k < G_N_ELEMENTS (refusals); k++)
    if (refusals[k].state == state)
      i = k;
  reply_message (req, language, refusals[i].status, refusals[i].title[l], refusals[i].text[l]);
}

/* The join page's own texts, English then Spanish (join.js carries the
 * texts it shows later, chosen by the page's lang). */
static const struct
{
  const char *key;
  const char *text[2];
} page_texts[] = {
  { "@VIDEO_SESSION@", { "Video session", "Sesión de video" } },
  { "@TIME_IN_SESSION@", { "Time in the session", "Tiempo en la sesión" } },
  { "@ASKING_DEVICES@", { "Asking for your camera and microphone…", "Pidiendo acceso a su cámara y micrófono…" } },
  { "@YOUR_CLINICIAN@", { "Your clinician", "Su profesional" } },
  { "@YOUR_CAMERA@", { "Your camera", "Su cámara" } },
  { "@TURN_ON_SOUND@", { "Turn on sound", "Activar el sonido" } },
  { "@CALL_CONTROLS@", { "Call controls", "Controles de la llamada" } },
  { "@MUTE@", { "Mute", "Silenciar" } },
  { "@CAMERA_OFF@", { "Camera off", "Apagar cámara" } },
  { "@LEAVE@", { "Leave", "Salir" } },
  { "@CAMERA@", { "Camera", "Cámara" } },
  { "@MICROPHONE@", { "Microphone", "Micrófono" } },
  { "@SPEAKER@", { "Speaker", "Altavoz" } },
  { "@PRIVACY@", { "Nothing of this call is recorded. It goes straight between you and your clinician, encrypted.",
                   "Nada de esta llamada se graba. Va directamente entre usted y su profesional, cifrada." } },
};

/* GET /video/join/{token} */
void
tend_video_join_page_handler (TendRequest *req,
                              TendPgConn  *conn)
{
  const char *token = req->path + strlen ("/video/join/");
  LinkState state = check_link (conn, token, NULL, NULL, NULL, NULL);

  if (state != LINK_OK)
    {
      reply_link_refused (req, state);
      return;
    }
  {
    g_autoptr(GBytes) template = resource ("join.html");
    g_autoptr(GString) page = g_string_new_len (g_bytes_get_data (template, NULL), g_bytes_get_size (template));
    const char *language = page_language (req);
    guint l = g_str_equal (language, "es") ? 1 : 0;

    g_string_replace (page, "@LANG@", language, 0);
    for (guint i = 0; i < G_N_ELEMENTS (page_texts); i++)
      g_string_replace (page, page_texts[i].key, page_texts[i].text[l], 0);
    req->response_bytes = g_string_free_to_bytes (g_steal_pointer (&page));
  }
  req->status = SOUP_STATUS_OK;
  req->response_type = "text/html; charset=utf-8";
  add_page_headers (req);
}

/* GET /video/assets/{join.js,join.css} */
void
tend_video_asset_handler (TendRequest *req,
                          TendPgConn  *conn)
{
  const char *name = req->path + strlen ("/video/assets/");

  if (strcmp (name, "join.js") == 0)
    req->response_type = "text/javascript; charset=utf-8";
  else if (strcmp (name, "join.css") == 0)
    req->response_type = "text/css; charset=utf-8";
  else
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such file");
      return;
    }
  req->status = SOUP_STATUS_OK;
  req->response_bytes = resource (name);
  add_page_headers (req);
}

/* GET /v1/video/guest?rejoin=R&session_id=S&guest_id=G: a guest comes
 * back after a dropped connection.  The token must be the one given to
 * that guest (G) for that session (S), before the appointment's end and
 * while the session record has not ended.  Audited as a rejoin by the
 * relay, as a join is. */
static void
guest_rejoin (TendRequest *req,
              TendPgConn  *conn,
              const char  *token)
{
  const char *session_id = g_hash_table_lookup (req->query, "session_id");
  const char *guest_id = g_hash_table_lookup (req->query, "guest_id");
  g_autofree char *hash = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;

  if (strlen (token) < 20 || strlen (token) > 100 || session_id == NULL || !g_uuid_string_is_valid (session_id) ||
      guest_id == NULL || !g_uuid_string_is_valid (guest_id))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "A rejoin names its token, session_id and guest_id");
      return;
    }
  hash = tend_auth_token_hash (token);
  {
    const char *params[] = { hash };

    res = tend_pg_exec (conn,
                        "SELECT r.practice_id, r.session_id, r.guest_id, now () >= r.valid_until,"
                        " s.id IS NULL OR s.body::jsonb ->> 'ended_at' IS NOT NULL"
                        " FROM video_rejoin r LEFT JOIN record s ON s.practice_id = r.practice_id"
                        "  AND s.type = 'video_session' AND s.id = r.session_id AND NOT s.deleted"
                        " WHERE r.token_hash = $1::bytea",
                        1, params, &error);
  }
  if (res == NULL)
    {
      tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "database_unavailable",
                          "The database cannot be reached: try again shortly");
      return;
    }
  if (PQntuples (res) == 0)
    tend_request_error (req, SOUP_STATUS_NOT_FOUND, "invalid_rejoin", "This rejoin token is not valid");
  else if (strcmp (PQgetvalue (res, 0, 1), session_id) != 0)
    tend_request_error (req, SOUP_STATUS_FORBIDDEN, "wrong_session", "This rejoin token is for another session");
  else if (strcmp (PQgetvalue (res, 0, 2), guest_id) != 0)
    tend_request_error (req, SOUP_STATUS_FORBIDDEN, "wrong_guest", "This rejoin token is another participant's");
  else if (tend_pg_get_bool (res, 0, 3) || tend_pg_get_bool (res, 0, 4))
    tend_request_error (req, SOUP_STATUS_GONE, "ended", "The session has ended");
  else
    {
      req->principal.practice_id = tend_pg_dup_value (res, 0, 0);
      req->principal.guest_session_id = tend_pg_dup_value (res, 0, 1);
      req->principal.guest_id = tend_pg_dup_value (res, 0, 2);
      req->status = SOUP_STATUS_SWITCHING_PROTOCOLS;
    }
}

/* GET /v1/video/guest?token=T (a WebSocket): spends the link, and gives
 * the guest a rejoin token (in its first "video.waiting"); or
 * ?rejoin=R&...: comes back with it (guest_rejoin ()). */
void
tend_video_guest_handler (TendRequest *req,
                          TendPgConn  *conn)
{
  const char *token = g_hash_table_lookup (req->query, "token");
  const char *rejoin = g_hash_table_lookup (req->query, "rejoin");
  g_autofree char *practice_id = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *guest_id = NULL;
  g_autofree char *rejoin_token = NULL;
  g_autofree char *rejoin_hash = NULL;
  LinkState state;

  if (rejoin != NULL)
    {
      guest_rejoin (req, conn, rejoin);
      return;
    }
  guest_id = g_uuid_string_random ();
  rejoin_token = tend_auth_new_token ();
  rejoin_hash = tend_auth_token_hash (rejoin_token);
  state = check_link (conn, token, rejoin_hash, guest_id, &practice_id, &session_id);
  switch (state)
    {
    case LINK_OK:
      req->principal.practice_id = g_steal_pointer (&practice_id);
      req->principal.guest_session_id = g_steal_pointer (&session_id);
      req->principal.guest_id = g_steal_pointer (&guest_id);
      req->principal.guest_rejoin = g_steal_pointer (&rejoin_token);
      req->status = SOUP_STATUS_SWITCHING_PROTOCOLS;
      return;
    case LINK_UNKNOWN:
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "invalid_link", "This join link is not valid");
      return;
    case LINK_NOT_YET:
      tend_request_error (req, SOUP_STATUS_FORBIDDEN, "not_open", "The session opens 10 minutes before it starts");
      return;
    case LINK_EXPIRED:
      tend_request_error (req, SOUP_STATUS_GONE, "expired", "This join link has expired");
      return;
    case LINK_USED:
      tend_request_error (req, SOUP_STATUS_GONE, "used", "This join link has already been used");
      return;
    case LINK_FAILED:
    default:
      tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "database_unavailable",
                          "The database cannot be reached: try again shortly");
      return;
    }
}

/**
 * tend_video_mint_invite:
 * @valid_from: when the link opens (a PostgreSQL timestamptz text)
 * @valid_until: when it closes
 * @created_by: (nullable): the staff account that asked; %NULL for a client
 *   through the portal
 * @out_from: (out) (optional): @valid_from as RFC 3339 UTC
 * @out_until: (out) (optional): @valid_until as RFC 3339 UTC
 *
 * Makes a single-use join link into @session_id, kept hashed.
 *
 * Returns: (transfer full) (nullable): the link's secret, for
 *   /video/join/SECRET
 */
char *
tend_video_mint_invite (TendPgConn  *conn,
                        const char  *practice_id,
                        const char  *session_id,
                        const char  *valid_from,
                        const char  *valid_until,
                        const char  *created_by,
                        char       **out_from,
                        char       **out_until,
                        GError     **error)
{
  g_autofree char *token = tend_auth_new_token ();
  g_autofree char *hash = tend_auth_token_hash (token);
  const char *params[] = { hash, practice_id, session_id, valid_from, valid_until, created_by };
  g_autoptr(PGresult) inserted = tend_pg_exec (conn,
                                               "INSERT INTO video_invite (token_hash, practice_id, session_id, valid_from,"
                                               " valid_until, created_by) VALUES ($1::bytea, $2, $3, $4::timestamptz,"
                                               " $5::timestamptz, $6)"
                                               " RETURNING to_char (valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                                               " to_char (valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                                               6, params, error);

  if (inserted == NULL)
    return NULL;
  if (out_from != NULL)
    *out_from = g_strdup (PQgetvalue (inserted, 0, 0));
  if (out_until != NULL)
    *out_until = g_strdup (PQgetvalue (inserted, 0, 1));
  return g_steal_pointer (&token);
}

/* Where clients reach this server: the portal's public address when it is
 * configured (links never come from a request's Host header, which the
 * requester controls), else the listen address. */
static char *
public_origin (TendRequest *req)
{
  if (req->config->portal_url != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (req->config->portal_url, G_URI_FLAGS_NONE, NULL);

      if (uri != NULL && g_uri_get_host (uri) != NULL)
        return g_uri_get_port (uri) > 0
               ? g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri))
               : g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
    }
  return g_strdup_printf ("%s://%s", req->config->tls_cert != NULL ? "https" : "http", req->config->listen);
}

/* The join link, e-mailed to the client's address on file in their
 * language (no clinical content: the practice, the date and the link), in
 * the caller's transaction. */
static gboolean
mail_invite (TendRequest *req,
             TendPgConn  *conn,
             PGresult    *session,
             const char  *url,
             GError     **error)
{
  TendReminderContent content = {
    .language = PQgetisnull (session, 0, 5) ? NULL : PQgetvalue (session, 0, 5),
    .practice_name = PQgetvalue (session, 0, 6),
    .time_zone = PQgetvalue (session, 0, 7),
    .start_s = g_ascii_strtoll (PQgetvalue (session, 0, 8), NULL, 10),
    .video = TRUE,
    .link = url,
    .join = TRUE,
  };
  TendOutboxItem item = {
    .channel = TEND_OUTBOX_EMAIL,
    .practice_id = req->principal.practice_id,
    .recipient = PQgetvalue (session, 0, 4),
    .kind = "video-invite",
  };
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *sms = NULL;

  tend_reminder_render (&content, &subject, &text, &html, &sms);
  item.subject = subject;
  item.body_text = text;
  item.body_html = html;
  return tend_server_outbox_enqueue (conn, &item, error);
}

/* POST /v1/video/invites {"session_id": ..., "email": false}: the host
 * only.  With "email": true the link also goes to the client's e-mail
 * address on file. */
void
tend_video_invite_handler (TendRequest *req,
                           TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *url = NULL;
  g_autofree char *valid_from = NULL;
  g_autofree char *valid_until = NULL;
  const char *session_id;
  JsonNode *email_member;
  gboolean email = FALSE;

  if (root == NULL)
    return;
  session_id = JSON_NODE_HOLDS_OBJECT (root)
               ? json_object_get_string_member_with_default (json_node_get_object (root), "session_id", NULL) : NULL;
  if (session_id == NULL || !g_uuid_string_is_valid (session_id))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "session_id: a video session's id (a UUID)");
      return;
    }
  email_member = json_object_get_member (json_node_get_object (root), "email");
  if (email_member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (email_member) || json_node_get_value_type (email_member) != G_TYPE_BOOLEAN)
        {
          tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "email: true or false");
          return;
        }
      email = json_node_get_boolean (email_member);
    }
  {
    /* The session, its host (the caller, from the session), and its
     * appointment's times: the link opens 10 minutes before, ends with it;
     * the client's address and language, and the practice, for the mail. */
    const char *params[] = { req->principal.practice_id, session_id, req->principal.staff_id };

    res = tend_pg_exec (conn,
                        "SELECT s.body::jsonb ->> 'ended_at' IS NOT NULL,"
                        " (a.body::jsonb ->> 'start')::timestamptz - interval '" G_STRINGIFY (OPEN_BEFORE_S) " seconds',"
                        " (a.body::jsonb ->> 'end')::timestamptz,"
                        " (a.body::jsonb ->> 'end')::timestamptz <= now (),"
                        " nullif (trim (c.body::jsonb ->> 'email'), ''), c.body::jsonb ->> 'language',"
                        " p.name, p.time_zone,"
                        " extract (epoch FROM (a.body::jsonb ->> 'start')::timestamptz)::bigint"
                        " FROM record s JOIN record a ON a.practice_id = s.practice_id AND a.type = 'appointment'"
                        "  AND a.id = (s.body::jsonb ->> 'appointment_id')::uuid AND NOT a.deleted"
                        " JOIN practice p ON p.id = s.practice_id"
                        " LEFT JOIN record c ON c.practice_id = s.practice_id AND c.type = 'client'"
                        "  AND c.id = (s.body::jsonb ->> 'client_id')::uuid AND NOT c.deleted"
                        " WHERE s.practice_id = $1 AND s.type = 'video_session' AND s.id = $2 AND NOT s.deleted"
                        "  AND s.body::jsonb ->> 'host_id' = $3::text",
                        3, params, &error);
  }
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQntuples (res) == 0)
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found",
                          "No such video session: only its host makes join links");
      return;
    }
  if (tend_pg_get_bool (res, 0, 0) || tend_pg_get_bool (res, 0, 3))
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "ended", "The session or its appointment is over");
      return;
    }
  if (email && (PQgetisnull (res, 0, 4) || !tend_email_is_valid (PQgetvalue (res, 0, 4))))
    {
      tend_request_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "no_email",
                          "The client has no valid e-mail address on file: add one to their record, or copy the link");
      return;
    }

  if (!tend_pg_run (conn, "BEGIN", &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  token = tend_video_mint_invite (conn, req->principal.practice_id, session_id, PQgetvalue (res, 0, 1),
                                  PQgetvalue (res, 0, 2), req->principal.account_id, &valid_from, &valid_until, &error);
  path = token != NULL ? g_strconcat ("/video/join/", token, NULL) : NULL;
  origin = public_origin (req);
  url = path != NULL ? g_strconcat (origin, path, NULL) : NULL;
  if (token == NULL || (email && !mail_invite (req, conn, res, url, &error)) ||
      !tend_request_audit (req, conn, email ? "video-invite-mailed" : "video-invite", "video_session", session_id,
                           NULL, &error) ||
      !tend_pg_run (conn, "COMMIT", &error))
    {
      tend_pg_rollback (conn);
      tend_request_db_error (req, error);
      return;
    }
  if (email)
    tend_server_outbox_kick (req->server);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "valid_from");
  json_builder_add_string_value (b, valid_from);
  json_builder_set_member_name (b, "valid_until");
  json_builder_add_string_value (b, valid_until);
  json_builder_set_member_name (b, "emailed");
  json_builder_add_boolean_value (b, email);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_CREATED, json_builder_get_root (b));
}
