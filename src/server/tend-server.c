/* tend-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP side of tend-server.  libsoup calls handlers on the server's
 * main context, where a blocking libpq call would stall every client, so
 * each API request is copied into a TendRequest, its message is paused,
 * and a worker thread (one per pooled PostgreSQL connection) runs the
 * handler; the answer comes back to the main context, which sets the
 * response and unpauses the message.
 *
 * Three libsoup 3.2 behaviours are handled here:
 *  - the listen backlog is 10 when libsoup makes the socket, so the server
 *    makes its own with a large backlog;
 *  - a keep-alive connection closed by the client while idle stays in
 *    CLOSE-WAIT for ever (fixed in libsoup 3.3): after each request the
 *    server watches the connection's socket and, when a peek reads
 *    end-of-file, takes the connection over through the last message
 *    (libsoup then forgets it) and closes it;
 *  - the listener keeps a reference to every GSocket it accepts (3.2.3's
 *    listen_watch() never unrefs it; later versions do), so every
 *    connection leaked a GSocket (336 bytes) even after it closed.  On a
 *    libsoup with that listener, the server drops that reference when it
 *    first sees the socket (see leaky_listener()).
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tend-server-auth.h"
#include "tend-server-live.h"
#include "tend-server-private.h"
#include "tend-server-schema.h"
#include "tend-server-sync.h"

#define LISTEN_BACKLOG 4096

struct _TendServer
{
  GObject           parent_instance;

  TendServerConfig *config;
  SoupServer       *soup;
  GSocket          *listener;
  GMainContext     *context;
  TendPgPool       *pool;
  GThreadPool      *workers;
  GThreadPool      *signin_workers;  /* password hashing: see route_hashes () */
  TendLive         *live;
  TendOutbox       *outbox;
  char             *epoch;
  guint16           port;

  gboolean          stopping;
  gboolean          stopped;
  guint             live_wait;
  guint             live_wait_id;
  guint             in_flight;      /* main context only */
  guint             stop_timeout_id;

  GMutex            metrics_lock;
  GHashTable       *counts;         /* "method\troute\tstatus" -> guint64 * */
  GHashTable       *durations;      /* route -> Duration */
  gint             *live_connections; /* an atomic rc box: sockets outlive the server */
};

G_DEFINE_FINAL_TYPE (TendServer, tend_server, G_TYPE_OBJECT)

enum {
  STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void healthz_handler (TendRequest *req,
                             TendPgConn  *conn);
static void live_handler    (TendRequest *req,
                             TendPgConn  *conn);

static const TendRoute routes[] = {
  { "POST",   "/v1/session", tend_session_login_handler,  FALSE },
  { "DELETE", "/v1/session", tend_session_logout_handler, TRUE },
  { "GET",    "/v1/changes", tend_sync_changes_handler,   TRUE },
  { "POST",   "/v1/push",    tend_sync_push_handler,      TRUE },
  { "GET",    "/v1/charts/", tend_sync_chart_handler,     TRUE },
  { "GET",    "/v1/live",    live_handler,                TRUE },
  { "GET",    "/v1/me/totp",   tend_totp_status_handler,     TRUE },
  { "POST",   "/v1/me/totp",   tend_totp_begin_handler,      TRUE },
  { "POST",   "/v1/me/totp/confirm", tend_totp_confirm_handler, TRUE },
  { "DELETE", "/v1/me/totp",   tend_totp_disable_handler,    TRUE },
  { "GET",    "/v1/accounts",  tend_accounts_list_handler,   TRUE },
  { "POST",   "/v1/accounts",  tend_accounts_create_handler, TRUE },
  { "PATCH",  "/v1/accounts/", tend_accounts_update_handler, TRUE },
  { "PUT",    "/v1/blobs/",  tend_blob_put_handler,       TRUE },
  { "GET",    "/v1/blobs/",  tend_blob_get_handler,       TRUE },
  { "GET",    "/v1/outbox/metrics", tend_outbox_metrics_handler, TRUE },
  { "POST",   "/v1/sms/inbound", tend_sms_inbound_handler, FALSE },
  { "POST",   "/v1/video/invites", tend_video_invite_handler, TRUE },
  { "GET",    "/v1/video/guest", tend_video_guest_handler,    FALSE },
  { "GET",    "/video/join/", tend_video_join_page_handler, FALSE },
  { "GET",    "/video/assets/", tend_video_asset_handler,   FALSE },
  { "GET",    "/healthz",    healthz_handler,             FALSE },
};

/* The routes that upgrade to a WebSocket once their handler says so. */
static gboolean
route_is_websocket (const TendRoute *route)
{
  return route->handler == live_handler || route->handler == tend_video_guest_handler;
}

static const char principal_key[] = "tend-principal";

/*
 * Sign-in starvation.  An argon2id check takes 64 MiB and tens of
 * milliseconds of a whole core.  Requests that check or set a password run
 * in a pool of their own (signin-threads, with a database connection each),
 * at a lower scheduling priority, with a queue of at most signin-max-queued
 * (then 503 with Retry-After): a burst of sign-ins waits for itself and
 * never holds the workers that answer /healthz and signed-in requests.
 */
static gboolean
route_hashes (const TendRoute *route)
{
  return route->handler == tend_session_login_handler ||
         route->handler == tend_totp_begin_handler ||
         route->handler == tend_totp_disable_handler ||
         route->handler == tend_accounts_create_handler ||
         route->handler == tend_accounts_update_handler;
}

typedef struct
{
  guint64 count;
  gint64  total_usec;
} Duration;

static const char connection_key[] = "tend-connection";
static const char watch_key[] = "tend-idle-watch";
static const char header_timer_key[] = "tend-header-timer";
static const char idle_timer_key[] = "tend-idle-timer";
static const char header_timeout_key[] = "tend-header-timeout";

/* Helpers */

char *
tend_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

void
tend_request_reply_take (TendRequest *req,
                         guint        status,
                         char        *json)
{
  g_free (req->response);
  req->status = status;
  req->response = json;
}

void
tend_request_reply_node (TendRequest *req,
                         guint        status,
                         JsonNode    *node)
{
  tend_request_reply_take (req, status, tend_json_to_string (node));
  json_node_unref (node);
}

static char *
error_json (const char *code,
            const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return tend_json_to_string (root);
}

void
tend_request_error (TendRequest *req,
                    guint        status,
                    const char  *code,
                    const char  *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  tend_request_reply_take (req, status, error_json (code, message));
}

/* The error's message is PostgreSQL's SQLSTATE only (see tend-pg.c). */
void
tend_request_db_error (TendRequest *req,
                       GError      *error)
{
  g_warning ("%s %s: %s", req->route->method, req->route->path,
             error != NULL ? error->message : "unknown error");
  if (error != NULL && g_error_matches (error, TEND_PG_ERROR, TEND_PG_ERROR_CONNECT))
    tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "database_unavailable",
                        "The database cannot be reached: try again shortly");
  else
    tend_request_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                        "The server could not complete the request");
}

/**
 * tend_request_parse_body:
 *
 * Returns: (transfer full) (nullable): the body's JSON, or %NULL after
 *   answering 400 with what is wrong
 */
JsonNode *
tend_request_parse_body (TendRequest *req)
{
  g_autofree char *message = NULL;
  gsize len = 0;
  const char *data = req->body != NULL ? g_bytes_get_data (req->body, &len) : NULL;
  JsonNode *root = tend_json_parse_request (data, len, &message);

  if (root == NULL)
    tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json", "%s", message);
  return root;
}

gboolean
tend_request_audit (TendRequest *req,
                    TendPgConn  *conn,
                    const char  *action,
                    const char  *record_type,
                    const char  *record_id,
                    const char  *detail,
                    GError     **error)
{
  const char *params[] = {
    req->principal.practice_id, req->principal.account_id, action, record_type, record_id, detail
  };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "INSERT INTO audit (practice_id, account_id, action, record_type, record_id, detail)"
                                          " VALUES ($1, $2, $3, $4, $5, $6)",
                                          6, params, error);
  return res != NULL;
}

static void
healthz_handler (TendRequest *req,
                 TendPgConn  *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = tend_pg_exec (conn, "SELECT 1", 0, NULL, &error);

  if (res == NULL)
    tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "database_unavailable",
                        "The database cannot be reached");
  else
    tend_request_reply_take (req, SOUP_STATUS_OK, g_strdup ("{\"status\":\"ok\",\"database\":\"ok\"}"));
}

/* The session is valid (checked before): let the WebSocket handshake that
 * libsoup prepared go out.  The principal travels on the message. */
static void
live_handler (TendRequest *req,
              TendPgConn  *conn)
{
  req->status = SOUP_STATUS_SWITCHING_PROTOCOLS;
}

static void
count_request (TendServer *self,
               const char *method,
               const char *route,
               guint       status)
{
  static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", NULL };
  g_autofree char *key = NULL;
  guint64 *count;

  /* Labels come from a fixed set (routes, methods), never from the request
   * as sent: a client must not be able to grow the table or write into the
   * metrics text. */
  if (method == NULL || !g_strv_contains (methods, method))
    method = "other";
  key = g_strdup_printf ("%s\t%s\t%u", method, route, status);

  g_mutex_lock (&self->metrics_lock);
  count = g_hash_table_lookup (self->counts, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->counts, g_steal_pointer (&key), count);
    }
  (*count)++;
  g_mutex_unlock (&self->metrics_lock);
}

/* Time from the request's arrival on the main context to its answer. */
static void
record_duration (TendServer  *self,
                 const char  *route,
                 gint64       started)
{
  Duration *d;

  g_mutex_lock (&self->metrics_lock);
  d = g_hash_table_lookup (self->durations, route);
  if (d == NULL)
    {
      d = g_new0 (Duration, 1);
      /* Route paths are static strings from routes[]. */
      g_hash_table_insert (self->durations, (gpointer) route, d);
    }
  d->count++;
  d->total_usec += g_get_monotonic_time () - started;
  g_mutex_unlock (&self->metrics_lock);
}

static void
respond (TendServer        *self,
         SoupServerMessage *msg,
         const char        *route,
         guint              status,
         char              *json,
         const char        *retry_after)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Accept-Encoding", "gzip");
  if (retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", retry_after);
  if (self->stopping)
    soup_message_headers_replace (headers, "Connection", "close");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json, strlen (json));
  count_request (self, soup_server_message_get_method (msg), route, status);
}

static void
respond_error (TendServer        *self,
               SoupServerMessage *msg,
               const char        *route,
               guint              status,
               const char        *code,
               const char        *message)
{
  respond (self, msg, route, status, error_json (code, message), NULL);
}

static char *
metrics_text (TendServer *self)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GList) keys = NULL;
  guint max_size, open, idle;

  out = g_string_append (out,
                         "# HELP tend_http_requests_total HTTP requests answered, by method, route and status.\n"
                         "# TYPE tend_http_requests_total counter\n");
  g_mutex_lock (&self->metrics_lock);
  keys = g_list_sort (g_hash_table_get_keys (self->counts), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, "\t", 3);
      guint64 *count = g_hash_table_lookup (self->counts, l->data);

      g_string_append_printf (out, "tend_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              parts[0], parts[1], parts[2], *count);
    }
  {
    g_autoptr(GList) routes_seen = g_list_sort (g_hash_table_get_keys (self->durations), (GCompareFunc) strcmp);
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append (out,
                     "# HELP tend_http_request_duration_seconds Time from a request's arrival to its answer, by route.\n"
                     "# TYPE tend_http_request_duration_seconds summary\n");
    for (GList *l = routes_seen; l != NULL; l = l->next)
      {
        Duration *d = g_hash_table_lookup (self->durations, l->data);

        g_string_append_printf (out, "tend_http_request_duration_seconds_sum{route=\"%s\"} %s\n",
                                (const char *) l->data,
                                g_ascii_formatd (buf, sizeof buf, "%.6f", (double) d->total_usec / G_USEC_PER_SEC));
        g_string_append_printf (out, "tend_http_request_duration_seconds_count{route=\"%s\"} %" G_GUINT64_FORMAT "\n",
                                (const char *) l->data, d->count);
      }
  }
  g_mutex_unlock (&self->metrics_lock);

  tend_pg_pool_get_stats (self->pool, &max_size, &open, &idle);
  g_string_append_printf (out,
                          "# HELP tend_http_requests_in_flight API requests being handled now.\n"
                          "# TYPE tend_http_requests_in_flight gauge\n"
                          "tend_http_requests_in_flight %u\n"
                          "# HELP tend_http_connections Open client connections.\n"
                          "# TYPE tend_http_connections gauge\n"
                          "tend_http_connections %d\n"
                          "# HELP tend_live_connections Open live WebSockets.\n"
                          "# TYPE tend_live_connections gauge\n"
                          "tend_live_connections %u\n"
                          "# HELP tend_db_pool_size Most PostgreSQL connections the pool opens (workers and sign-in threads).\n"
                          "# TYPE tend_db_pool_size gauge\n"
                          "tend_db_pool_size %u\n"
                          "# HELP tend_db_pool_open PostgreSQL connections open now.\n"
                          "# TYPE tend_db_pool_open gauge\n"
                          "tend_db_pool_open %u\n"
                          "# HELP tend_db_pool_idle PostgreSQL connections open and unused now.\n"
                          "# TYPE tend_db_pool_idle gauge\n"
                          "tend_db_pool_idle %u\n",
                          self->in_flight, g_atomic_int_get (self->live_connections),
                          tend_live_count (self->live), max_size, open, idle);
  return g_string_free (out, FALSE);
}

static void
request_free (TendRequest *req)
{
  g_signal_handlers_disconnect_by_data (req->msg, req);
  g_object_unref (req->msg);
  g_free (req->path);
  g_free (req->remote);
  g_free (req->authorization);
  g_clear_pointer (&req->request_headers, soup_message_headers_unref);
  g_free (req->gateway_signature);
  g_free (req->content_encoding);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->principal.account_id);
  g_free (req->principal.practice_id);
  g_free (req->principal.staff_id);
  g_free (req->principal.email);
  g_free (req->principal.display_name);
  g_free (req->principal.token_hash);
  g_free (req->principal.guest_session_id);
  g_free (req->principal.guest_id);
  g_free (req->principal.guest_rejoin);
  g_free (req->response);
  g_clear_pointer (&req->response_bytes, g_bytes_unref);
  g_clear_pointer (&req->response_headers, g_ptr_array_unref);
  g_free (req->retry_after);
  g_clear_pointer (&req->portal_stream, tend_portal_stream_info_free);
  g_object_unref (req->server);
  g_free (req);
}

static void
principal_free (gpointer data)
{
  TendPrincipal *p = data;

  g_free (p->practice_id);
  g_free (p->account_id);
  g_free (p->staff_id);
  g_free (p->display_name);
  g_free (p->token_hash);
  g_free (p->guest_session_id);
  g_free (p->guest_id);
  g_free (p->guest_rejoin);
  g_free (p);
}

static gboolean
on_live_closed_cb (gpointer data)
{
  TendServer *self = data;

  /* Wait (up to about a second) for the close frames to go out. */
  if (tend_live_count (self->live) > 0 && self->live_wait++ < 20)
    return G_SOURCE_CONTINUE;
  self->live_wait_id = 0;
  g_signal_emit (self, signals[STOPPED], 0);
  return G_SOURCE_REMOVE;
}

static void
finish_stop (TendServer *self)
{
  GSource *source;

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  /* What is being sent is finished and recorded; the rest waits. */
  tend_outbox_stop (self->outbox);
  soup_server_disconnect (self->soup);
  tend_live_close_all (self->live);
  source = g_timeout_source_new (50);
  g_source_set_callback (source, on_live_closed_cb, self, NULL);
  self->live_wait_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

static gboolean
finish_request_cb (gpointer data)
{
  TendRequest *req = data;
  TendServer *self = req->server;

  record_duration (self, req->route->path, req->started);
  if (req->portal_stream != NULL && (self->stopping || tend_live_get_portal (self->live) == NULL))
    {
      g_clear_pointer (&req->portal_stream, tend_portal_stream_info_free);
      tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting_down", "The server is shutting down: try again");
    }
  if (!req->gone && req->portal_stream != NULL && req->status == SOUP_STATUS_OK)
    {
      /* The portal's event stream: the message stays open (and in flight). */
      for (guint i = 0; req->response_headers != NULL && i + 1 < req->response_headers->len; i += 2)
        soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                      req->response_headers->pdata[i], req->response_headers->pdata[i + 1]);
      count_request (self, "GET", req->route->path, SOUP_STATUS_OK);
      tend_portal_live_open (tend_live_get_portal (self->live), req->msg, g_steal_pointer (&req->portal_stream));
    }
  else if (!req->gone && route_is_websocket (req->route) && req->status == SOUP_STATUS_SWITCHING_PROTOCOLS)
    {
      TendPrincipal *p = g_new0 (TendPrincipal, 1);

      p->practice_id = g_steal_pointer (&req->principal.practice_id);
      p->account_id = g_steal_pointer (&req->principal.account_id);
      p->staff_id = g_steal_pointer (&req->principal.staff_id);
      p->display_name = g_steal_pointer (&req->principal.display_name);
      p->token_hash = g_steal_pointer (&req->principal.token_hash);
      p->guest_session_id = g_steal_pointer (&req->principal.guest_session_id);
      p->guest_id = g_steal_pointer (&req->principal.guest_id);
      p->guest_rejoin = g_steal_pointer (&req->principal.guest_rejoin);
      p->role = req->principal.role;
      g_object_set_data_full (G_OBJECT (req->msg), principal_key, p, principal_free);
      count_request (self, "GET", req->route->path, SOUP_STATUS_SWITCHING_PROTOCOLS);
      soup_server_message_unpause (req->msg);
    }
  else if (!req->gone)
    {
      if (req->status == 0)
        tend_request_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                            "The server could not complete the request");
      if (route_is_websocket (req->route))
        {
          SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

          /* Refused: take back the handshake libsoup prepared. */
          soup_message_headers_remove (headers, "Upgrade");
          soup_message_headers_remove (headers, "Sec-WebSocket-Accept");
          soup_message_headers_remove (headers, "Sec-WebSocket-Extensions");
          soup_message_headers_replace (headers, "Connection", "close");
        }
      for (guint i = 0; req->response_headers != NULL && i + 1 < req->response_headers->len; i += 2)
        soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                      req->response_headers->pdata[i], req->response_headers->pdata[i + 1]);
      if (req->response_bytes != NULL && req->response == NULL)
        {
          SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

          soup_server_message_set_status (req->msg, req->status, NULL);
          soup_message_headers_replace (headers, "Cache-Control", "no-store");
          soup_message_headers_replace (headers, "Accept-Encoding", "gzip");
          if (req->response_encoding != NULL)
            {
              soup_message_headers_replace (headers, "Content-Encoding", req->response_encoding);
              soup_message_headers_replace (headers, "Vary", "Accept-Encoding");
            }
          soup_server_message_set_response (req->msg, req->response_type, SOUP_MEMORY_COPY,
                                            g_bytes_get_data (req->response_bytes, NULL),
                                            g_bytes_get_size (req->response_bytes));
          count_request (self, soup_server_message_get_method (req->msg), req->route->path, req->status);
        }
      else
        respond (self, req->msg, req->route->path, req->status, g_steal_pointer (&req->response),
                 req->retry_after);
      soup_server_message_unpause (req->msg);
    }
  request_free (req);
  return G_SOURCE_REMOVE;
}

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  TendRequest *req = data;
  TendServer *self = req->server;
  g_autoptr(GError) error = NULL;
  TendPgConn *conn;

  if (self->config->debug_delay_ms > 0)
    g_usleep (self->config->debug_delay_ms * 1000);

  conn = tend_pg_pool_acquire (self->pool, &error);
  if (conn == NULL)
    {
      g_warning ("%s", error->message);
      tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "database_unavailable",
                          "The database cannot be reached: try again shortly");
    }
  else
    {
      if (!req->route->authenticated || tend_session_authenticate (req, conn, &error))
        {
          if (tend_request_decode_body (req))
            req->route->handler (req, conn);
        }
      else if (error != NULL)
        tend_request_db_error (req, error);
      tend_pg_pool_release (self->pool, conn);
    }
  tend_request_encode_response (req);
  g_main_context_invoke (self->context, finish_request_cb, req);
}

/* Each thread of the sign-in pool (exclusive: its threads never serve the
 * workers' pool) lowers its own priority once.  On Linux a thread's nice
 * value is its own; elsewhere this does nothing. */
static void
signin_worker_cb (gpointer data,
                  gpointer user_data)
{
  static GPrivate lowered;

  if (g_private_get (&lowered) == NULL)
    {
#ifdef SYS_gettid
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
        g_debug ("Cannot lower the sign-in thread's priority: %s", g_strerror (errno));
#endif
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }
  worker_cb (data, user_data);
}

static void
on_message_gone_cb (SoupServerMessage *msg,
                    TendRequest       *req)
{
  req->gone = TRUE;
}

/* Once the answer is written (or the client is gone): a graceful stop
 * closes connections only after this, or the answer would be cut off. */
static void
on_api_message_finished_cb (SoupServerMessage *msg,
                            TendServer        *self)
{
  g_signal_handlers_disconnect_by_func (msg, on_api_message_finished_cb, self);
  self->in_flight--;
  if (self->stopping && self->in_flight == 0)
    finish_stop (self);
}

/* libsoup took the connection over for the WebSocket: its message never
 * "finishes". */
static void
on_live_connected_cb (SoupServer              *soup,
                      SoupServerMessage       *msg,
                      const char              *path,
                      SoupWebsocketConnection *conn,
                      gpointer                 user_data)
{
  TendServer *self = user_data;
  TendPrincipal *p = g_object_get_data (G_OBJECT (msg), principal_key);

  if (p != NULL && !self->stopping)
    tend_live_add (self->live, conn, p->practice_id, p->account_id, p->staff_id, p->display_name, p->role,
                   p->token_hash);
  else
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  on_api_message_finished_cb (msg, self);
}

/* A browser guest's socket, its link spent (tend-server-video-join.c). */
static void
on_guest_connected_cb (SoupServer              *soup,
                       SoupServerMessage       *msg,
                       const char              *path,
                       SoupWebsocketConnection *conn,
                       gpointer                 user_data)
{
  TendServer *self = user_data;
  TendPrincipal *p = g_object_get_data (G_OBJECT (msg), principal_key);

  if (p != NULL && p->guest_session_id != NULL && !self->stopping)
    tend_live_add_guest (self->live, conn, p->practice_id, p->guest_session_id, p->guest_id, p->guest_rejoin);
  else
    soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  on_api_message_finished_cb (msg, self);
}

static GHashTable *
copy_query (GHashTable *query)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
    }
  return copy;
}

static void
handle_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TendServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const TendRoute *route = NULL;
  const TendRoute *path_known = NULL;
  SoupMessageBody *body;
  TendRequest *req;

  /* A body over the limit was answered when its headers or chunks came in. */
  if (soup_server_message_get_status (msg) != 0)
    return;

  if (g_strcmp0 (path, "/metrics") == 0)
    {
      if (g_strcmp0 (method, "GET") != 0)
        respond_error (self, msg, "/metrics", SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "Use GET");
      else
        {
          char *text = metrics_text (self);

          soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (msg, "text/plain; version=0.0.4", SOUP_MEMORY_TAKE,
                                            text, strlen (text));
          count_request (self, method, "/metrics", SOUP_STATUS_OK);
        }
      return;
    }

  /* The portal's pages: static, from the GResource, on this context. */
  if (tend_portal_serve_static (msg, path))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (routes) + tend_portal_n_routes; i++)
    {
      const TendRoute *r = i < G_N_ELEMENTS (routes) ? &routes[i] : &tend_portal_routes[i - G_N_ELEMENTS (routes)];
      gsize n = strlen (r->path);
      gboolean prefix = r->path[n - 1] == '/';

      if (prefix ? strncmp (r->path, path, n) != 0 : strcmp (r->path, path) != 0)
        continue;
      path_known = r;
      if (g_strcmp0 (r->method, method) == 0)
        route = r;
    }
  if (route == NULL)
    {
      if (path_known)
        respond_error (self, msg, path_known->path, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "This method is not allowed here");
      else
        respond_error (self, msg, "other", SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
      return;
    }
  if (self->stopping)
    {
      respond_error (self, msg, route->path, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting_down",
                     "The server is shutting down: try again");
      return;
    }
  if (route_is_websocket (route) &&
      !soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, NULL))
    {
      respond_error (self, msg, route->path, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                     "This endpoint is a WebSocket: send a WebSocket upgrade");
      return;
    }

  if (route_hashes (route) &&
      g_thread_pool_unprocessed (self->signin_workers) >= self->config->signin_max_queued)
    {
      respond (self, msg, route->path, SOUP_STATUS_SERVICE_UNAVAILABLE,
               error_json ("signin_busy", "Too many sign-ins are being checked: try again in a few seconds"), "2");
      return;
    }
  /* Shed load early rather than queue without bound: the client retries. */
  if (!route_hashes (route) && g_thread_pool_unprocessed (self->workers) >= self->config->max_queued)
    {
      respond (self, msg, route->path, SOUP_STATUS_SERVICE_UNAVAILABLE,
               error_json ("overloaded", "The server is busy: try again in a moment"), "1");
      return;
    }

  req = g_new0 (TendRequest, 1);
  req->server = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->route = route;
  req->config = self->config;
  req->epoch = self->epoch;
  req->path = g_strdup (path);
  req->remote = tend_server_client_address (self->config, soup_server_message_get_remote_host (msg),
                                            soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                                           "X-Forwarded-For"));
  req->authorization = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                               "Authorization"));
  req->request_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  req->gateway_signature = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                   "X-Twilio-Signature"));
  req->query = copy_query (query);
  req->content_encoding = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                  "Content-Encoding"));
  req->accepts_gzip = tend_gzip_accepted (soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                                         "Accept-Encoding"));
  body = soup_server_message_get_request_body (msg);
  if (body != NULL && body->length > 0)
    req->body = soup_message_body_flatten (body);
  req->started = g_get_monotonic_time ();
  g_signal_connect (msg, "finished", G_CALLBACK (on_message_gone_cb), req);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_gone_cb), req);

  g_signal_connect_object (msg, "finished", G_CALLBACK (on_api_message_finished_cb), self, 0);
  soup_server_message_pause (msg);
  self->in_flight++;
  g_thread_pool_push (route_hashes (route) ? self->signin_workers : self->workers, req, NULL);
}

/* The body limit */

static void
refuse_oversize (TendServer        *self,
                 SoupServerMessage *msg)
{
  g_autofree char *message = g_strdup_printf ("The body is larger than %" G_GSIZE_FORMAT " bytes",
                                              self->config->max_body_size);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  respond_error (self, msg, "other", SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body_too_large", message);
}

static void
on_got_headers_cb (SoupServerMessage *msg,
                   TendServer        *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    {
      g_object_set_data (G_OBJECT (socket), header_timer_key, NULL);
      g_object_set_data (G_OBJECT (socket), idle_timer_key, NULL);
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) self->config->max_body_size)
    refuse_oversize (self, msg);
}

static void
on_got_chunk_cb (SoupServerMessage *msg,
                 GBytes            *chunk,
                 TendServer        *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (soup_server_message_get_status (msg) == 0 && body->length > (goffset) self->config->max_body_size)
    refuse_oversize (self, msg);
}

/* Connections: counting them, and the idle keep-alive remedy */

static void
destroy_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

static void
connection_closed (gpointer data)
{
  gint *live = data;

  g_atomic_int_add (live, -1);
  g_atomic_rc_box_release (live);
}

/*
 * Timeouts.  libsoup 3.2's server has none: a client that sends half a
 * request line, or opens connections and sends nothing, holds a descriptor
 * for ever.  A connection gets header-timeout seconds from its start (or
 * from the first byte of its next request) until its headers are in, and
 * may sit idle between requests for idle-timeout seconds; then the server
 * shuts the socket down, libsoup reads the end and lets the connection go.
 * Timers live on the socket (as its data), so they go with it.
 */
static gboolean
on_connection_timeout_cb (gpointer data)
{
  GSocket *socket = data;

  if (!g_socket_is_closed (socket))
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

/* On the server's context (the thread-default one of every callback here). */
static void
arm_timer (GSocket    *socket,
           const char *key,
           guint       seconds)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  GSource *source = g_timeout_source_new (seconds * 1000);

  /* The socket does not hold itself: the source dies with its data. */
  g_source_set_callback (source, on_connection_timeout_cb, socket, NULL);
  g_source_attach (source, context);
  g_object_set_data_full (G_OBJECT (socket), key, source, destroy_source);
}

static gboolean
on_idle_socket_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  SoupServerMessage *finished = user_data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    goto done;
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (n <= 0)
    {
      /* End of file (or a reset) on an idle connection: libsoup 3.2 would
       * keep it in CLOSE-WAIT for ever.  Taking the connection over through
       * the last message makes libsoup forget it (its "disconnected"), so
       * neither the descriptor nor the connection object stays behind. */
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (finished);

      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      if (!g_socket_is_closed (socket))
        g_socket_close (socket, NULL);
    }
  else
    {
      /* The next request is arriving; libsoup reads it, and its headers
       * have header-timeout seconds from now. */
      g_object_set_data (G_OBJECT (socket), idle_timer_key, NULL);
      arm_timer (socket, header_timer_key, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (socket), header_timeout_key)));
    }
done:
  g_object_set_data (G_OBJECT (socket), idle_timer_key, NULL);
  g_object_set_data (G_OBJECT (socket), watch_key, NULL);
  return G_SOURCE_REMOVE;
}

/* libsoup 3.2.0 to 3.2.3: listen_watch() keeps the reference that
 * g_socket_accept() returned.  Re-check when the platform's libsoup moves. */
static gboolean
leaky_listener (void)
{
  return soup_get_major_version () == 3 && soup_get_minor_version () == 2 && soup_get_micro_version () <= 3;
}

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       TendServer        *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && g_object_get_data (G_OBJECT (socket), connection_key) == NULL)
    {
      /* The connection holds references of its own: only the listener's
       * stray one goes. */
      if (leaky_listener ())
        g_object_unref (socket);
      g_atomic_int_inc (self->live_connections);
      g_object_set_data_full (G_OBJECT (socket), connection_key,
                              g_atomic_rc_box_acquire (self->live_connections), connection_closed);
      g_object_set_data (G_OBJECT (socket), header_timeout_key, GUINT_TO_POINTER (self->config->header_timeout_s));
      arm_timer (socket, header_timer_key, self->config->header_timeout_s);
    }
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers_cb), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk_cb), self, 0);
}

static void
on_request_finished_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        TendServer        *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  GSource *source;

  if (socket == NULL || g_socket_is_closed (socket) ||
      g_object_get_data (G_OBJECT (socket), watch_key) != NULL)
    return;
  source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  /* The message keeps the connection: held only while the watch lives. */
  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (on_idle_socket_cb), g_object_ref (msg), g_object_unref);
  g_source_attach (source, self->context);
  /* Owned by the socket: destroyed with it, or when the watch ends. */
  g_object_set_data_full (G_OBJECT (socket), watch_key, source, destroy_source);
  arm_timer (socket, idle_timer_key, self->config->idle_timeout_s);
}

static gboolean
on_stop_timeout_cb (gpointer data)
{
  TendServer *self = data;

  self->stop_timeout_id = 0;
  g_warning ("Stopping with %u requests still in flight after %u seconds",
             self->in_flight, self->config->shutdown_timeout_s);
  finish_stop (self);
  return G_SOURCE_REMOVE;
}

static void
tend_server_dispose (GObject *object)
{
  TendServer *self = TEND_SERVER (object);

  g_clear_handle_id (&self->stop_timeout_id, g_source_remove);
  g_clear_handle_id (&self->live_wait_id, g_source_remove);
  g_clear_pointer (&self->outbox, tend_outbox_free);
  if (self->workers != NULL)
    {
      g_thread_pool_free (self->workers, FALSE, TRUE);
      self->workers = NULL;
    }
  if (self->signin_workers != NULL)
    {
      g_thread_pool_free (self->signin_workers, FALSE, TRUE);
      self->signin_workers = NULL;
    }
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->listener);

  G_OBJECT_CLASS (tend_server_parent_class)->dispose (object);
}

static void
tend_server_finalize (GObject *object)
{
  TendServer *self = TEND_SERVER (object);

  g_clear_pointer (&self->live, tend_live_free);
  g_clear_pointer (&self->pool, tend_pg_pool_free);
  g_clear_pointer (&self->config, tend_server_config_free);
  g_clear_pointer (&self->counts, g_hash_table_unref);
  g_clear_pointer (&self->durations, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->epoch);
  g_mutex_clear (&self->metrics_lock);
  g_atomic_rc_box_release (self->live_connections);

  G_OBJECT_CLASS (tend_server_parent_class)->finalize (object);
}

static void
tend_server_class_init (TendServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_server_dispose;
  object_class->finalize = tend_server_finalize;

  /**
   * TendServer::stopped:
   *
   * After tend_server_stop(), once the last request in flight was answered
   * (or the shutdown timeout passed) and every connection was closed.
   */
  signals[STOPPED] = g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_server_init (TendServer *self)
{
  g_mutex_init (&self->metrics_lock);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->durations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->live_connections = g_atomic_rc_box_new0 (gint);
}

/**
 * tend_server_new:
 * @config: (transfer full): the settings, already checked
 *
 * Connects to PostgreSQL and brings its schema up to date.  Nothing
 * listens until tend_server_start().
 *
 * Returns: (transfer full): the server, or %NULL with @error set
 */
TendServer *
tend_server_new (TendServerConfig *config,
                 GError          **error)
{
  g_autoptr(TendServer) self = g_object_new (TEND_TYPE_SERVER, NULL);
  TendPgConn *conn;
  gboolean ok;

  self->config = config;
  self->context = g_main_context_ref_thread_default ();
  if (!tend_auth_init ())
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium could not be initialised");
      return NULL;
    }
  /* A connection for each worker and each sign-in thread. */
  self->pool = tend_pg_pool_new (config->database, config->pool_size + config->signin_threads);
  conn = tend_pg_pool_acquire (self->pool, error);
  if (conn == NULL)
    return NULL;
  ok = tend_server_schema_migrate (conn, NULL, error) &&
       (self->epoch = tend_server_schema_epoch (conn, error)) != NULL;
  tend_pg_pool_release (self->pool, conn);
  if (!ok)
    return NULL;

  self->live = tend_live_new (config->database, self->context, error);
  if (self->live == NULL)
    return NULL;
  tend_live_set_pool (self->live, self->pool, self->config, self->epoch);
  self->workers = g_thread_pool_new (worker_cb, self, (gint) config->pool_size, FALSE, error);
  if (self->workers == NULL)
    return NULL;
  self->signin_workers = g_thread_pool_new (signin_worker_cb, self, (gint) config->signin_threads, TRUE, error);
  if (self->signin_workers == NULL)
    return NULL;
  self->outbox = tend_outbox_new (config);
  return g_steal_pointer (&self);
}

static gboolean
write_port_file (const char *path,
                 guint16     port,
                 GError    **error)
{
  g_autofree char *text = g_strdup_printf ("%u\n", port);

  /* g_file_set_contents() renames into place: a reader never sees half. */
  return g_file_set_contents (path, text, -1, error);
}

/**
 * tend_server_start:
 *
 * Listens on the configured address (with TLS when configured), and writes
 * the bound port to the port file.
 */
gboolean
tend_server_start (TendServer *self,
                   GError    **error)
{
  g_autoptr(GInetAddress) addr = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *host = NULL;
  guint16 port;

  g_return_val_if_fail (TEND_IS_SERVER (self), FALSE);

  if (!tend_server_config_check (self->config, error) ||
      !tend_server_parse_listen (self->config->listen, &host, &port, error))
    return FALSE;
  if (self->config->tls_cert != NULL)
    {
      cert = g_tls_certificate_new_from_files (self->config->tls_cert, self->config->tls_key, error);
      if (cert == NULL)
        {
          g_prefix_error (error, "TLS certificate: ");
          return FALSE;
        }
    }

  self->soup = soup_server_new ("server-header", "tend-server", NULL);
  if (cert != NULL)
    soup_server_set_tls_certificate (self->soup, cert);
  soup_server_add_handler (self->soup, NULL, handle_cb, self, NULL);
  /* The same handler runs first (it checks the session in a worker with
   * the message paused); libsoup then completes the upgrade. */
  soup_server_add_handler (self->soup, "/v1/live", handle_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/v1/live", NULL, NULL, on_live_connected_cb, self, NULL);
  soup_server_add_handler (self->soup, "/v1/video/guest", handle_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/v1/video/guest", NULL, NULL, on_guest_connected_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);

  addr = g_inet_address_new_from_string (host);
  self->listener = g_socket_new (g_inet_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL)
    return FALSE;
  g_socket_set_listen_backlog (self->listener, LISTEN_BACKLOG);
  sockaddr = g_inet_socket_address_new (addr, port);
  if (!g_socket_bind (self->listener, sockaddr, TRUE, error) ||
      !g_socket_listen (self->listener, error) ||
      !soup_server_listen_socket (self->soup, self->listener,
                                  cert != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_prefix_error (error, "Cannot listen on %s: ", self->config->listen);
      return FALSE;
    }
  bound = g_socket_get_local_address (self->listener, error);
  if (bound == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* Port 0 picked one: links made from the listen address (without
   * portal-url) must name the port clients can reach.  No request has
   * been taken yet, so nothing reads the setting meanwhile. */
  if (port == 0)
    {
      g_free (self->config->listen);
      self->config->listen = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]:%u", host, self->port)
                                                        : g_strdup_printf ("%s:%u", host, self->port);
    }
  if (self->config->port_file != NULL && !write_port_file (self->config->port_file, self->port, error))
    return FALSE;
  g_message ("Listening on %s port %u (%s)", host, self->port, cert != NULL ? "HTTPS" : "HTTP, loopback only");
  tend_outbox_start (self->outbox);
  return TRUE;
}

TendOutbox *
tend_server_get_outbox (TendServer *self)
{
  return self->outbox;
}

guint16
tend_server_get_port (TendServer *self)
{
  g_return_val_if_fail (TEND_IS_SERVER (self), 0);
  return self->port;
}

/**
 * tend_server_stop:
 *
 * Graceful shutdown: stops accepting connections, answers new requests on
 * open connections with 503, lets the requests in flight finish, then
 * closes every connection and emits #TendServer::stopped.
 */
void
tend_server_stop (TendServer *self)
{
  g_return_if_fail (TEND_IS_SERVER (self));

  if (self->stopping)
    return;
  self->stopping = TRUE;
  /* libsoup's accept watch fails on the closed socket and goes away. */
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_message ("Stopping: %u requests in flight", self->in_flight);
  /* The portal's event streams end now (they are in flight for ever). */
  if (tend_live_get_portal (self->live) != NULL)
    tend_portal_live_close_all (tend_live_get_portal (self->live));
  if (self->in_flight == 0)
    finish_stop (self);
  else if (self->config->shutdown_timeout_s > 0)
    self->stop_timeout_id = g_timeout_add_seconds (self->config->shutdown_timeout_s, on_stop_timeout_cb, self);
}
