/* tend-sync-engine.c: offline-first sync of a store with tend-server
 *
 * One run: push what is waiting (the batch in flight first, so a lost
 * response is answered from the server's idempotency table), then pull
 * pages until the feed says there is no more, then push again what the
 * pull merged.  Each step is a transaction of the store's (see
 * tend-sync-store.c), so a run can stop anywhere (network gone, crash,
 * cancelled) and the next one goes on from there.  The HTTP work is
 * blocking libsoup calls on a session of the run's own: the app runs it in
 * a GTask thread with a store connection of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tend-sync-engine.h"

#define DEFAULT_PAGE 1000
#define DEFAULT_PUSH 500
#define TIMEOUT_S    30
/* The most a compressed answer may grow to: a page of 5,000 changes of the
 * largest bodies, or a document. */
#define MAX_ANSWER   (512 * 1024 * 1024)

struct _TendSyncEngine
{
  GObject          parent_instance;

  TendStore       *store;
  char            *base_url;
  GMutex           lock;        /* token and CA, set from the main thread */
  char            *token;
  GTlsDatabase    *ca;
  guint            page_size;
  guint            push_size;
  gint             server_gzip;  /* atomic: the server takes gzip bodies */
  gboolean         no_gzip;      /* never asks: a server on this computer, or tests */
  char            *staff_id;
  char            *practice_id;
  TendSyncProgressFunc progress;
  gpointer         progress_data;
};

G_DEFINE_FINAL_TYPE (TendSyncEngine, tend_sync_engine, G_TYPE_OBJECT)
G_DEFINE_QUARK (tend-sync-error-quark, tend_sync_error)

static void
tend_sync_engine_finalize (GObject *object)
{
  TendSyncEngine *self = TEND_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_free (self->base_url);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_object (&self->ca);
  g_free (self->staff_id);
  g_free (self->practice_id);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tend_sync_engine_parent_class)->finalize (object);
}

static void
tend_sync_engine_class_init (TendSyncEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_sync_engine_finalize;
}

static void
tend_sync_engine_init (TendSyncEngine *self)
{
  g_mutex_init (&self->lock);
  self->page_size = DEFAULT_PAGE;
  self->push_size = DEFAULT_PUSH;
}

/* The addresses that name this computer (plain http:// is allowed only to
 * them: tend_sync_check_server_url ()). */
static gboolean
host_is_this_computer (const char *host)
{
  return host != NULL &&
         (strcmp (host, "127.0.0.1") == 0 || strcmp (host, "::1") == 0 || g_ascii_strcasecmp (host, "localhost") == 0);
}

static gboolean
url_is_this_computer (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && host_is_this_computer (g_uri_get_host (uri));
}

/**
 * tend_sync_engine_new:
 * @base_url: the server, like `https://tend.example.org` (no trailing path)
 *
 * Compresses what it sends and asks for compressed answers, unless the
 * server is on this computer (127.0.0.1, ::1, localhost), where there is no
 * link to save and gzip at both ends only takes CPU from the store
 * (bench/README.md): tend_sync_engine_set_compression () decides otherwise.
 */
TendSyncEngine *
tend_sync_engine_new (TendStore  *store,
                      const char *base_url)
{
  TendSyncEngine *self;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (TEND_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->no_gzip = url_is_this_computer (self->base_url);
  return self;
}

const char *
tend_sync_engine_get_base_url (TendSyncEngine *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);
  return self->base_url;
}

void
tend_sync_engine_set_token (TendSyncEngine *self,
                            const char     *token)
{
  g_return_if_fail (TEND_IS_SYNC_ENGINE (self));

  g_mutex_lock (&self->lock);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

/* Only for the thread that set it, or when nothing else runs. */
const char *
tend_sync_engine_get_token (TendSyncEngine *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);
  return self->token;
}

static char *
dup_token (TendSyncEngine *self)
{
  char *token;

  g_mutex_lock (&self->lock);
  token = g_strdup (self->token);
  g_mutex_unlock (&self->lock);
  return token;
}

/**
 * tend_sync_engine_dup_token:
 *
 * The session token, copied under the engine's lock: for a thread other
 * than the one that may sign in.
 *
 * Returns: (transfer full) (nullable): the token
 */
char *
tend_sync_engine_dup_token (TendSyncEngine *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);
  return dup_token (self);
}

/* Whether there is a session, under the lock. */
gboolean
tend_sync_engine_has_token (TendSyncEngine *self)
{
  gboolean has;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_mutex_lock (&self->lock);
  has = self->token != NULL;
  g_mutex_unlock (&self->lock);
  return has;
}

/**
 * tend_sync_engine_set_ca_file:
 * @path: (nullable): PEM certificates to trust for this server (a
 *   self-hosted practice's own CA), or %NULL for the system's
 */
gboolean
tend_sync_engine_set_ca_file (TendSyncEngine  *self,
                              const char      *path,
                              GError         **error)
{
  GTlsDatabase *db = NULL;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);

  if (path != NULL && (db = g_tls_file_database_new (path, error)) == NULL)
    return FALSE;
  g_mutex_lock (&self->lock);
  g_clear_object (&self->ca);
  self->ca = db;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

void
tend_sync_engine_set_progress_func (TendSyncEngine       *self,
                                    TendSyncProgressFunc  func,
                                    gpointer              user_data)
{
  g_return_if_fail (TEND_IS_SYNC_ENGINE (self));
  self->progress = func;
  self->progress_data = user_data;
}

const char *
tend_sync_engine_get_staff_id (TendSyncEngine *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);
  return self->staff_id;
}

const char *
tend_sync_engine_get_practice_id (TendSyncEngine *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);
  return self->practice_id;
}

/* A store that holds a practice may only sync with that practice's
 * accounts: records made for one practice must never land in another
 * (the server refuses a foreign practice record too, but the rest of the
 * store would go through).  A new, empty store takes any. */
static gboolean
check_store_practice (TendSyncEngine  *self,
                      GError         **error)
{
  g_autoptr(GPtrArray) practices = NULL;

  practices = tend_store_list (self->store, TEND_TYPE_PRACTICE, error);
  if (practices == NULL)
    return FALSE;
  for (guint i = 0; i < practices->len; i++)
    {
      TendRecord *practice = g_ptr_array_index (practices, i);

      if (self->practice_id == NULL ||
          g_ascii_strcasecmp (tend_record_get_id (practice), self->practice_id) != 0)
        {
          g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_OTHER_PRACTICE,
                       _("This account belongs to another practice on the server than “%s” on this computer. "
                         "To move this practice to the server, its administrator creates it there with this "
                         "practice’s id (Preferences ▸ General ▸ Move to a Server shows how)."),
                       tend_practice_get_name (TEND_PRACTICE (practice)));
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * tend_sync_check_server_url:
 *
 * An https:// address, or http:// to this computer only: a password never
 * crosses a network in the clear.
 */
gboolean
tend_sync_check_server_url (const char  *url,
                            GError     **error)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *scheme, *host;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
                   _("“%s” is not a server address (like https://tend.example.org)"), url != NULL ? url : "");
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") == 0 && host_is_this_computer (host))
    return TRUE;
  g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
               _("The server address must start with https:// (plain http:// only reaches this computer)"));
  return FALSE;
}

/**
 * tend_sync_engine_set_compression:
 * @enabled: %FALSE for a client that neither asks for compressed answers
 *   nor compresses what it sends, %TRUE for one that does even with a
 *   server on this computer (tests and measurements)
 */
void
tend_sync_engine_set_compression (TendSyncEngine *self,
                                  gboolean        enabled)
{
  g_return_if_fail (TEND_IS_SYNC_ENGINE (self));
  self->no_gzip = !enabled;
}

void
tend_sync_engine_set_page_size (TendSyncEngine *self,
                                guint           changes_per_page,
                                guint           ops_per_push)
{
  g_return_if_fail (TEND_IS_SYNC_ENGINE (self));
  self->page_size = CLAMP (changes_per_page, 1, 5000);
  self->push_size = CLAMP (ops_per_push, 1, 1000);
}

/* HTTP */

typedef struct
{
  SoupSession *session;
  char        *token;
} Http;

static void
http_init (TendSyncEngine *self,
           Http           *http)
{
  http->session = soup_session_new_with_options ("timeout", TIMEOUT_S, "idle-timeout", 60,
                                                 "user-agent", "Tend/" PACKAGE_VERSION, NULL);
  /* Compressed answers are decompressed by http_request(), not by
   * libsoup's decoder: that one passes a body it cannot decompress on as
   * it is, so a page damaged on the way would read as "not JSON". */
  soup_session_remove_feature_by_type (http->session, SOUP_TYPE_CONTENT_DECODER);
  g_mutex_lock (&self->lock);
  if (self->ca != NULL)
    soup_session_set_tls_database (http->session, self->ca);
  g_mutex_unlock (&self->lock);
  http->token = dup_token (self);
}

static void
http_clear (Http *http)
{
  g_clear_object (&http->session);
  if (http->token != NULL)
    memset (http->token, 0, strlen (http->token));
  g_clear_pointer (&http->token, g_free);
}

/* The server's error, { "error": { "code", "message" } }, as a GError. */
static void
set_server_error (GError     **error,
                  guint        status,
                  GBytes      *body,
                  char       **code_out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *message = NULL;
  const char *code = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data != NULL && json_parser_load_from_data (parser, data, (gssize) len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonObject *e = json_object_has_member (root, "error") ? json_object_get_object_member (root, "error") : NULL;

      if (e != NULL)
        {
          code = json_object_get_string_member_with_default (e, "code", NULL);
          message = json_object_get_string_member_with_default (e, "message", NULL);
        }
    }
  if (code_out != NULL)
    *code_out = g_strdup (code);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH, _("Sign in to the practice server again: %s"),
                 message != NULL ? message : _("the session has ended"));
  else
    g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_SERVER, _("The server refused the request (%u %s): %s"),
                 status, code != NULL ? code : "", message != NULL ? message : soup_status_get_phrase (status));
}

/* What to send: @data as it is, or gzip when the server said it takes
 * that, it is long enough, and compressing gains something. */
static void
set_request_body (TendSyncEngine *self,
                  SoupMessage    *msg,
                  const char     *content_type,
                  GBytes         *data)
{
  gsize len = g_bytes_get_size (data);

  if (!self->no_gzip && g_atomic_int_get (&self->server_gzip) && len >= TEND_GZIP_MIN_SIZE)
    {
      g_autoptr(GBytes) packed = tend_gzip_compress (g_bytes_get_data (data, NULL), len, TEND_GZIP_LEVEL);

      if (g_bytes_get_size (packed) <= len - len / 10)
        {
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Encoding", "gzip");
          soup_message_set_request_body_from_bytes (msg, content_type, packed);
          return;
        }
    }
  soup_message_set_request_body_from_bytes (msg, content_type, data);
}

/* Every answer of tend-server says whether it takes gzip bodies (RFC 7694). */
static void
note_server_encoding (TendSyncEngine *self,
                      SoupMessage    *msg)
{
  const char *accepts = soup_message_headers_get_list (soup_message_get_response_headers (msg), "Accept-Encoding");

  if (soup_message_get_status (msg) >= 100)
    g_atomic_int_set (&self->server_gzip, tend_gzip_accepted (accepts));
}

/* An answer's body as the server meant it: decompressed when it came
 * gzip (its CRC checked).  FALSE with @error for one damaged on the way:
 * nothing of it is used. */
static gboolean
decode_body (SoupMessage  *msg,
             GBytes      **body,
             GError      **error)
{
  const char *encoding = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Encoding");
  g_autoptr(GError) local = NULL;
  GBytes *plain;

  if (encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (encoding, "gzip") != 0)
    {
      g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
                   _("The server’s answer is in an encoding Tend does not know (%s)"), encoding);
      return FALSE;
    }
  plain = tend_gzip_decompress (g_bytes_get_data (*body, NULL), g_bytes_get_size (*body), MAX_ANSWER, &local);
  if (plain == NULL)
    {
      g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
                   _("The server’s answer arrived damaged (it could not be decompressed): %s"), local->message);
      return FALSE;
    }
  g_bytes_unref (*body);
  *body = plain;
  return TRUE;
}

/* Called with a 2xx answer's headers, before its body is read. */
typedef void (*HeadersFunc) (SoupMessage *msg,
                             gpointer     data);

/* The whole body of @msg's answer, read once its headers are in. */
static GBytes *
send_and_read (SoupSession   *session,
               SoupMessage   *msg,
               HeadersFunc    on_headers,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GInputStream) in = soup_session_send (session, msg, cancellable, error);
  g_autoptr(GOutputStream) out = NULL;
  guint status;

  if (in == NULL)
    return NULL;
  status = soup_message_get_status (msg);
  if (on_headers != NULL && status >= 200 && status < 300)
    on_headers (msg, data);
  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              cancellable, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Sends a request; returns the body of a 2xx answer, else NULL with @error
 * (and *@status_out set when the server answered). */
static GBytes *
http_request_full (TendSyncEngine  *self,
                   Http            *http,
                   const char      *method,
                   const char      *path,
                   const char      *json,
                   guint           *status_out,
                   char           **code_out,
                   HeadersFunc      on_headers,
                   gpointer         headers_data,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  if (status_out != NULL)
    *status_out = 0;
  if (msg == NULL)
    {
      g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("“%s” is not a server address"), self->base_url);
      return NULL;
    }
  if (http->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", http->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      memset (auth, 0, strlen (auth));
    }
  if (!self->no_gzip)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip");
  if (json != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new_static (json, strlen (json));

      set_request_body (self, msg, "application/json", request);
    }
  body = send_and_read (http->session, msg, on_headers, headers_data, cancellable, &local);
  note_server_encoding (self, msg);
  if (body == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else if (local->domain == G_TLS_ERROR || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
                     _("The server’s identity could not be verified: %s"), local->message);
      else
        g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_NETWORK, _("The practice server cannot be reached: %s"),
                     local->message);
      return NULL;
    }
  if (!decode_body (msg, &body, error))
    return NULL;
  status = soup_message_get_status (msg);
  if (status_out != NULL)
    *status_out = status;
  if (status < 200 || status >= 300)
    {
      if (status >= 500 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_NETWORK, _("The practice server is not answering (%u)"), status);
      else
        set_server_error (error, status, body, code_out);
      return NULL;
    }
  return g_steal_pointer (&body);
}

static GBytes *
http_request (TendSyncEngine  *self,
              Http            *http,
              const char      *method,
              const char      *path,
              const char      *json,
              guint           *status_out,
              char           **code_out,
              GCancellable    *cancellable,
              GError         **error)
{
  return http_request_full (self, http, method, path, json, status_out, code_out, NULL, NULL, cancellable, error);
}

/* The change of a feed page around @offset, by the envelope the server
 * writes ({"type":"…","id":"…",…): "note 0b9a…", or %NULL. */
static char *
change_at (const char *data,
           gsize       len,
           gsize       offset)
{
  static const char type_key[] = "{\"type\":\"";
  gsize i = MIN (offset, len);

  while (i > 0)
    {
      i--;
      if (len - i > sizeof type_key && memcmp (data + i, type_key, sizeof type_key - 1) == 0)
        {
          const char *type = data + i + sizeof type_key - 1;
          const char *end = memchr (type, '"', len - (gsize) (type - data));
          const char *id;

          if (end == NULL || end - type > 40 || (gsize) (end - data) + 9 + 36 > len ||
              memcmp (end, "\",\"id\":\"", 8) != 0)
            return NULL;
          id = end + 8;
          {
            g_autofree char *uuid = g_strndup (id, 36);

            if (!g_uuid_string_is_valid (uuid))
              return NULL;
            return g_strdup_printf ("%.*s %s", (int) (end - type), type, uuid);
          }
        }
    }
  return NULL;
}

/* A page the store cannot read is an error naming the record it stops at
 * (so the practice's administrator can find it on the server), and nothing
 * of the page is applied: pages are applied whole or not at all. */
static JsonObject *
parse_object (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) why = NULL;
  gsize len = 0, offset = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;
  gboolean located = FALSE;

  /* Values json-glib would silently change (NUL in a text, integers
   * beyond 64 bits) are refused like the server refuses them. */
  /* A page nests a body three levels down; the server takes 64 levels. */
  if (data != NULL && !tend_json_text_check (data, len, 128, &offset, &why))
    located = TRUE;
  else if (data != NULL && !json_parser_load_from_data (parser, data, (gssize) len, &why))
    {
      guint line = 0, column = 0;
      const char *colon = why != NULL ? strstr (why->message, ":") : NULL;

      /* json-glib's message: "<data>:LINE:COLUMN: Parse error: …"; the
       * server writes a page on one line. */
      if (colon != NULL && sscanf (colon, ":%u:%u:", &line, &column) == 2 && line == 1 && column > 0)
        {
          offset = column - 1;
          located = TRUE;
        }
    }
  if (data == NULL || why != NULL ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree char *change = located ? change_at (data, len, offset) : NULL;

      if (change != NULL)
        g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
                     _("The server sent a record this computer cannot read (%s): %s. Nothing of that page "
                       "was applied; the practice’s administrator can correct the record on the server."),
                     change, why != NULL ? why->message : "");
      else
        g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s answer is not a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* { type, id, version, deleted, body } */
static TendSyncChange *
change_from_json (JsonNode  *node,
                  GError   **error)
{
  JsonObject *o;
  JsonNode *body;
  g_autofree char *body_text = NULL;
  TendSyncChange *c;
  const char *type, *id;
  gint64 version;
  gboolean deleted;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  o = json_node_get_object (node);
  type = json_object_get_string_member_with_default (o, "type", NULL);
  id = json_object_get_string_member_with_default (o, "id", NULL);
  version = json_object_get_int_member_with_default (o, "version", 0);
  deleted = json_object_get_boolean_member_with_default (o, "deleted", FALSE);
  body = json_object_get_member (o, "body");
  if (type == NULL || id == NULL || !g_uuid_string_is_valid (id) || version < 1)
    goto bad;
  if (!deleted)
    {
      if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
        goto bad;
      /* The codec's check, here in the fetching thread on the tree already
       * parsed, rather than again in the store's transaction. */
      if (!tend_sync_check_body (type, id, body, error))
        return NULL;
      /* A type from a newer server is skipped by the store, unread: its
       * body, which no codec checked, is not kept (json-glib would write
       * some numbers back as text that is not JSON, 1e21 as 1e+21.0). */
      body_text = tend_record_type_from_name (type) != G_TYPE_INVALID ? json_to_string (body, FALSE) : g_strdup ("{}");
    }
  c = tend_sync_change_new (type, id, version, deleted, body_text);
  c->checked = TRUE;
  return c;

bad:
  g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server sent a change that makes no sense"));
  return NULL;
}

/**
 * tend_sync_engine_login:
 *
 * Signs in (POST /v1/session) and keeps the token for the runs after.
 * The password is not kept.
 */
gboolean
tend_sync_engine_login (TendSyncEngine  *self,
                        const char      *email,
                        const char      *password,
                        const char      *totp,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *json = NULL;
  Http http = { 0 };
  const char *token;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (email != NULL && password != NULL, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  if (totp != NULL && *totp != '\0')
    {
      json_builder_set_member_name (b, "totp");
      json_builder_add_string_value (b, totp);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);

  http_init (self, &http);
  g_clear_pointer (&http.token, g_free);
  body = http_request (self, &http, "POST", "/v1/session", json, NULL, NULL, cancellable, error);
  memset (json, 0, strlen (json));
  http_clear (&http);
  if (body == NULL || (answer = parse_object (body, error)) == NULL)
    return FALSE;
  token = json_object_get_string_member_with_default (answer, "token", NULL);
  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server did not give a session"));
      return FALSE;
    }
  tend_sync_engine_set_token (self, token);
  g_clear_pointer (&self->staff_id, g_free);
  g_clear_pointer (&self->practice_id, g_free);
  if (json_object_has_member (answer, "user") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "user")))
    {
      JsonObject *user = json_object_get_object_member (answer, "user");

      self->staff_id = g_strdup (json_object_get_string_member_with_default (user, "staff_id", NULL));
      self->practice_id = g_strdup (json_object_get_string_member_with_default (user, "practice_id", NULL));
    }
  if (!check_store_practice (self, error))
    {
      g_autoptr(GBytes) ended = NULL;
      Http out = { 0 };

      /* The session just opened is of no use: end it (best effort). */
      http_init (self, &out);
      ended = http_request (self, &out, "DELETE", "/v1/session", NULL, NULL, NULL, cancellable, NULL);
      http_clear (&out);
      tend_sync_engine_set_token (self, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Pushing */

static char *
push_request_json (GPtrArray *ops)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ops");
  json_builder_begin_array (b);
  for (guint i = 0; i < ops->len; i++)
    {
      TendSyncOp *op = g_ptr_array_index (ops, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "op_id");
      json_builder_add_string_value (b, op->op_id);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, op->type);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, op->id);
      json_builder_set_member_name (b, "base_version");
      json_builder_add_int_value (b, op->base_version);
      if (op->deleted)
        {
          json_builder_set_member_name (b, "deleted");
          json_builder_add_boolean_value (b, TRUE);
        }
      else
        {
          json_builder_set_member_name (b, "body");
          json_builder_add_value (b, json_from_string (op->body, NULL));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static GPtrArray *
push_results (JsonObject  *answer,
              GError     **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_result_free);
  JsonNode *node = json_object_get_member (answer, "results");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    goto bad;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *o;
      TendSyncResult *r;
      const char *status, *op_id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        goto bad;
      o = json_node_get_object (element);
      op_id = json_object_get_string_member_with_default (o, "op_id", NULL);
      status = json_object_get_string_member_with_default (o, "status", NULL);
      if (op_id == NULL || status == NULL)
        goto bad;
      r = g_new0 (TendSyncResult, 1);
      r->op_id = g_strdup (op_id);
      r->version = json_object_get_int_member_with_default (o, "version", 0);
      g_ptr_array_add (results, r);
      if (strcmp (status, "applied") == 0)
        r->kind = TEND_SYNC_RESULT_APPLIED;
      else if (strcmp (status, "conflict") == 0)
        {
          r->kind = TEND_SYNC_RESULT_CONFLICT;
          r->server = change_from_json (json_object_get_member (o, "server_record"), error);
          if (r->server == NULL)
            return NULL;
        }
      else if (strcmp (status, "rejected") == 0)
        {
          JsonObject *e = json_object_has_member (o, "error") ? json_object_get_object_member (o, "error") : NULL;

          r->kind = TEND_SYNC_RESULT_REJECTED;
          r->message = g_strdup (e != NULL ? json_object_get_string_member_with_default (e, "message", NULL) : NULL);
        }
      else
        goto bad;
    }
  return g_steal_pointer (&results);

bad:
  g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s answer to a push makes no sense"));
  return NULL;
}

/* Documents' and attachments' bytes */

/* The hashes of the bytes an operation's record names: a document's or a
 * shared bill's, or a message's attachments'. */
static void
add_named_blobs (TendSyncOp *op,
                 GPtrArray  *hashes)
{
  g_autoptr(JsonNode) body = NULL;
  JsonObject *obj;

  if (op->deleted || (g_strcmp0 (op->type, "document") != 0 && g_strcmp0 (op->type, "shared_bill") != 0 &&
                      g_strcmp0 (op->type, "message") != 0) ||
      (body = json_from_string (op->body, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return;
  obj = json_node_get_object (body);
  if (g_strcmp0 (op->type, "message") != 0)
    {
      const char *sha256 = json_object_get_string_member_with_default (obj, "sha256", NULL);

      if (sha256 != NULL)
        g_ptr_array_add (hashes, g_strdup (sha256));
      return;
    }
  if (json_object_has_member (obj, "attachments") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "attachments")))
    {
      JsonArray *files = json_object_get_array_member (obj, "attachments");

      for (guint i = 0; i < json_array_get_length (files); i++)
        {
          JsonNode *file = json_array_get_element (files, i);
          const char *sha256 = JSON_NODE_HOLDS_OBJECT (file)
            ? json_object_get_string_member_with_default (json_node_get_object (file), "sha256", NULL) : NULL;

          if (sha256 != NULL)
            g_ptr_array_add (hashes, g_strdup (sha256));
        }
    }
}

static gboolean
upload_blobs (TendSyncEngine  *self,
              TendStore       *store,
              Http            *http,
              GPtrArray       *ops,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ops->len; i++)
    add_named_blobs (g_ptr_array_index (ops, i), hashes);
  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha256 = hashes->pdata[i];
      g_autoptr(GBytes) data = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autofree char *url = NULL;
      g_autofree char *auth = NULL;
      g_autoptr(GError) local = NULL;
      guint status;

      data = tend_store_sync_dup_blob (store, sha256, error);
      if (data == NULL)
        return FALSE;
      url = g_strconcat (self->base_url, "/v1/blobs/", sha256, NULL);
      msg = soup_message_new ("PUT", url);
      auth = g_strconcat ("Bearer ", http->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      set_request_body (self, msg, "application/octet-stream", data);
      answer = soup_session_send_and_read (http->session, msg, cancellable, &local);
      note_server_encoding (self, msg);
      if (answer == NULL)
        {
          g_set_error (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_NETWORK, _("The practice server cannot be reached: %s"),
                       local->message);
          return FALSE;
        }
      status = soup_message_get_status (msg);
      if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CREATED)
        {
          set_server_error (error, status, answer, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

/* After a pull: the bytes of documents and attachments this store may
 * read but lacks. */
static gboolean
download_blobs (TendSyncEngine  *self,
                TendStore       *store,
                Http            *http,
                GCancellable    *cancellable,
                GError         **error)
{
  g_auto(GStrv) missing = tend_store_sync_missing_blobs (store, error);

  if (missing == NULL)
    return FALSE;
  for (guint i = 0; missing[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("/v1/blobs/", missing[i], NULL);
      g_autoptr(GBytes) data = http_request (self, http, "GET", path, NULL, NULL, NULL, cancellable, error);

      if (data == NULL || !tend_store_sync_put_blob (store, missing[i], data, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
push_all (TendSyncEngine  *self,
          TendStore       *store,
          Http            *http,
          TendSyncStats   *stats,
          GCancellable    *cancellable,
          GError         **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) ops = tend_store_sync_prepare_push (store, self->push_size, error);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GPtrArray) results = NULL;
      g_autofree char *json = NULL;
      guint before = stats->pushed + stats->rejected;

      if (ops == NULL)
        return FALSE;
      if (ops->len == 0)
        return TRUE;
      /* A document's bytes go first: the server never holds a document
       * record whose content it has not got. */
      if (!upload_blobs (self, store, http, ops, cancellable, error))
        return FALSE;
      json = push_request_json (ops);
      body = http_request (self, http, "POST", "/v1/push", json, NULL, NULL, cancellable, error);
      if (body == NULL || (answer = parse_object (body, error)) == NULL ||
          (results = push_results (answer, error)) == NULL ||
          !tend_store_sync_finish_push (store, results, stats, error))
        return FALSE;
      if (self->progress != NULL)
        self->progress (stats, self->progress_data);
      /* An answer that settled nothing would loop for ever. */
      if (stats->pushed + stats->rejected == before && results->len == 0)
        {
          g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL,
                               _("The server answered a push without any result"));
          return FALSE;
        }
    }
}

/* Pulling */

typedef struct
{
  GPtrArray *changes;    /* TendSyncChange */
  char      *next;
  gboolean   has_more;
} Page;

static void
page_free (Page *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static GPtrArray *page_from_object (JsonObject  *answer,
                                    char       **next,
                                    gboolean    *has_more,
                                    GError     **error);

/* One page of the feed after @cursor (NULL: from the beginning). */
static Page *
fetch_page_full (TendSyncEngine  *self,
                 Http            *http,
                 const char      *cursor,
                 guint           *status,
                 char           **code,
                 HeadersFunc      on_headers,
                 gpointer         headers_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(Page) page = g_new0 (Page, 1);

  if (cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);

      path = g_strdup_printf ("/v1/changes?cursor=%s&limit=%u", escaped, self->page_size);
    }
  else
    path = g_strdup_printf ("/v1/changes?limit=%u", self->page_size);

  body = http_request_full (self, http, "GET", path, NULL, status, code, on_headers, headers_data, cancellable, error);
  if (body == NULL)
    return NULL;
  page->changes = tend_sync_parse_page (body, &page->next, &page->has_more, error);
  if (page->changes == NULL)
    return NULL;
  return g_steal_pointer (&page);
}

/**
 * tend_sync_parse_page:
 * @body: a GET /v1/changes answer
 * @next: (out): the cursor after the page
 * @has_more: (out): whether more pages follow
 *
 * Reads one page of the change feed: no network, no store (the fuzz
 * target fuzz-changes runs it on anything).  Each change's body gets the
 * codec's check here.
 *
 * Returns: (transfer full) (element-type TendSyncChange): the changes, or
 *   %NULL with @error set
 */
GPtrArray *
tend_sync_parse_page (GBytes    *body,
                      char     **next,
                      gboolean  *has_more,
                      GError   **error)
{
  g_autoptr(JsonObject) answer = NULL;

  if ((answer = parse_object (body, error)) == NULL)
    return NULL;
  return page_from_object (answer, next, has_more, error);
}

/* A feed page's object (also a live message's): its changes, checked. */
static GPtrArray *
page_from_object (JsonObject  *answer,
                  char       **next,
                  gboolean    *has_more,
                  GError     **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_sync_change_free);
  JsonNode *list;
  const char *cursor;

  list = json_object_get_member (answer, "changes");
  cursor = json_object_get_string_member_with_default (answer, "cursor", NULL);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) || cursor == NULL)
    {
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s change feed makes no sense"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      TendSyncChange *c = change_from_json (json_array_get_element (json_node_get_array (list), i), error);

      if (c == NULL)
        return NULL;
      g_ptr_array_add (changes, c);
    }
  *next = g_strdup (cursor);
  *has_more = json_object_get_boolean_member_with_default (answer, "has_more", FALSE);
  return g_steal_pointer (&changes);
}

static Page *
fetch_page (TendSyncEngine  *self,
            Http            *http,
            const char      *cursor,
            guint           *status,
            char           **code,
            GCancellable    *cancellable,
            GError         **error)
{
  return fetch_page_full (self, http, cursor, status, code, NULL, NULL, cancellable, error);
}

/* The pages after the first are fetched (and parsed, and checked) by
 * threads of their own, each with an HTTP session (a connection) of its
 * own, while the store applies what came before: the network, the server
 * and the store overlap.  tend-server puts a page's next cursor in its
 * headers too (Tend-Cursor, Tend-Has-More), so the next page is asked for
 * as soon as those arrive, on the other connection, while this page's body
 * is still on its way: over a link with a round trip, the wait for each
 * page's first byte overlaps the transfer of the one before.  (From a
 * server that does not send them, one page at a time.)  The fetchers run
 * at most FETCH_AHEAD changes ahead of the store. */
#define FETCH_AHEAD 8000
#define FETCHERS    2
/* Pages already waiting are applied together, in one transaction with the
 * last one's cursor: a big first sync commits (and rewrites the indexes'
 * pages) a few times rather than once a page. */
#define APPLY_BATCH 5000

typedef struct
{
  TendSyncEngine *self;
  GCancellable   *cancellable;
  GMutex          lock;
  GCond           cond;
  char           *cursor;       /* the next request's, once known */
  gboolean        cursor_known;
  gboolean        issued_last;  /* the last page (or a failure) is known: ask no more */
  guint           next_index;   /* of the next page asked for */
  guint           want;         /* of the next page the store takes */
  GHashTable     *pages;        /* index -> Page, fetched, not yet taken */
  guint           queued;       /* changes in @pages */
  GHashTable     *errors;       /* index -> GError */
  gboolean        stop;
  GThread        *threads[FETCHERS];
} Fetcher;

typedef struct
{
  Fetcher *f;
  guint    index;
  gboolean seen;               /* the headers said where the next page starts */
} Request;

static void
on_page_headers (SoupMessage *msg,
                 gpointer     data)
{
  Request *r = data;
  Fetcher *f = r->f;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *cursor = soup_message_headers_get_one (headers, "Tend-Cursor");
  const char *more = soup_message_headers_get_one (headers, "Tend-Has-More");

  if (cursor == NULL || more == NULL)
    return;
  r->seen = TRUE;
  g_mutex_lock (&f->lock);
  if (g_strcmp0 (more, "true") == 0)
    {
      g_free (f->cursor);
      f->cursor = g_strdup (cursor);
      f->cursor_known = TRUE;
    }
  else
    f->issued_last = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
}

static gpointer
fetcher_thread (gpointer data)
{
  Fetcher *f = data;
  Http http = { 0 };

  http_init (f->self, &http);
  for (;;)
    {
      GError *error = NULL;
      g_autofree char *cursor = NULL;
      Request r = { f, 0, FALSE };
      Page *page;

      g_mutex_lock (&f->lock);
      while (!f->stop && !f->issued_last && (!f->cursor_known || f->queued >= FETCH_AHEAD))
        g_cond_wait (&f->cond, &f->lock);
      if (f->stop || f->issued_last)
        {
          g_mutex_unlock (&f->lock);
          break;
        }
      cursor = g_steal_pointer (&f->cursor);
      f->cursor_known = FALSE;
      r.index = f->next_index++;
      g_mutex_unlock (&f->lock);

      page = fetch_page_full (f->self, &http, cursor, NULL, NULL, on_page_headers, &r, f->cancellable, &error);

      g_mutex_lock (&f->lock);
      if (page == NULL)
        {
          g_hash_table_insert (f->errors, GUINT_TO_POINTER (r.index), error);
          f->issued_last = TRUE;
        }
      else
        {
          if (!r.seen)
            {
              /* No cursor in the headers: this page's says. */
              g_free (f->cursor);
              f->cursor = g_strdup (page->next);
              f->cursor_known = page->has_more;
              f->issued_last = !page->has_more;
            }
          f->queued += page->changes->len;
          g_hash_table_insert (f->pages, GUINT_TO_POINTER (r.index), page);
        }
      g_cond_broadcast (&f->cond);
      g_mutex_unlock (&f->lock);
    }
  http_clear (&http);
  return NULL;
}

static Fetcher *
fetcher_start (TendSyncEngine *self,
               const char     *cursor,
               GCancellable   *cancellable)
{
  Fetcher *f = g_new0 (Fetcher, 1);

  f->self = self;
  f->cursor = g_strdup (cursor);
  f->cursor_known = TRUE;
  f->cancellable = cancellable;
  f->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_free);
  f->errors = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_error_free);
  g_mutex_init (&f->lock);
  g_cond_init (&f->cond);
  for (guint i = 0; i < FETCHERS; i++)
    f->threads[i] = g_thread_new ("tend-sync-fetch", fetcher_thread, f);
  return f;
}

/* The next page (waiting for it), and those already fetched after it, as
 * one page of at most about APPLY_BATCH changes; NULL with @error when the
 * fetch failed before any. */
static Page *
fetcher_take (Fetcher  *f,
              GError  **error)
{
  Page *batch = NULL;
  Page *next;

  g_mutex_lock (&f->lock);
  while (!g_hash_table_contains (f->pages, GUINT_TO_POINTER (f->want)) &&
         !g_hash_table_contains (f->errors, GUINT_TO_POINTER (f->want)) &&
         !(f->issued_last && f->want >= f->next_index))
    g_cond_wait (&f->cond, &f->lock);
  while ((next = g_hash_table_lookup (f->pages, GUINT_TO_POINTER (f->want))) != NULL &&
         (batch == NULL || batch->changes->len + next->changes->len <= APPLY_BATCH))
    {
      g_hash_table_steal (f->pages, GUINT_TO_POINTER (f->want));
      f->want++;
      f->queued -= next->changes->len;
      if (batch == NULL)
        batch = next;
      else
        {
          g_ptr_array_extend_and_steal (batch->changes, g_steal_pointer (&next->changes));
          g_free (batch->next);
          batch->next = g_steal_pointer (&next->next);
          batch->has_more = next->has_more;
          page_free (next);
        }
    }
  if (batch == NULL && g_hash_table_contains (f->errors, GUINT_TO_POINTER (f->want)))
    {
      GError *e = NULL;

      g_hash_table_steal_extended (f->errors, GUINT_TO_POINTER (f->want), NULL, (gpointer *) &e);
      g_propagate_error (error, e);
    }
  else if (batch == NULL)
    g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s change feed makes no sense"));
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  return batch;
}

static void
fetcher_stop (Fetcher *f)
{
  g_mutex_lock (&f->lock);
  f->stop = TRUE;
  g_cond_broadcast (&f->cond);
  g_mutex_unlock (&f->lock);
  for (guint i = 0; i < FETCHERS; i++)
    g_thread_join (f->threads[i]);
  g_free (f->cursor);
  g_hash_table_unref (f->pages);
  g_hash_table_unref (f->errors);
  g_mutex_clear (&f->lock);
  g_cond_clear (&f->cond);
  g_free (f);
}

static gboolean
pull_all (TendSyncEngine  *self,
          TendStore       *store,
          Http            *http,
          TendSyncStats   *stats,
          gboolean        *from_start,
          GCancellable    *cancellable,
          GError         **error)
{
  g_autoptr(Page) page = NULL;
  gboolean restarted = FALSE;
  Fetcher *fetcher = NULL;
  gboolean ok;

  while (page == NULL)
    {
      g_autofree char *cursor = tend_store_sync_dup_cursor (store);
      g_autofree char *code = NULL;
      g_autoptr(GError) local = NULL;
      guint status = 0;

      *from_start = cursor == NULL;
      page = fetch_page (self, http, cursor, &status, &code, cancellable, &local);
      if (page != NULL)
        break;
      if (!restarted && cursor != NULL &&
          (status == SOUP_STATUS_GONE || (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (code, "invalid_cursor") == 0)))
        {
          /* Start again from the beginning.  Past the tombstone horizon,
           * what the server no longer has was deleted; otherwise (another
           * database, a restored one, a cursor it does not know) it was
           * lost, and this store gives it back. */
          restarted = TRUE;
          if (!tend_store_sync_start_resync (store, g_strcmp0 (code, "cursor_expired") == 0
                                                    ? TEND_SYNC_RESYNC_DELETED : TEND_SYNC_RESYNC_SERVER_LOST,
                                             error))
            return FALSE;
          continue;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }

  if (page->has_more)
    fetcher = fetcher_start (self, page->next, cancellable);
  for (;;)
    {
      ok = tend_store_sync_apply_page (store, page->changes, page->next, page->has_more, stats, error);
      if (ok && self->progress != NULL)
        self->progress (stats, self->progress_data);
      if (!ok || !page->has_more)
        break;
      g_clear_pointer (&page, page_free);
#ifdef __GLIBC__
      /* The fetchers' threads parse pages in malloc arenas of their own,
       * and the store frees the changes in this one: without handing the
       * free pages back, a first sync over a slow link reached 170-215 MB
       * of RSS instead of 55-70 (bench-sync, 100,000 records). */
      malloc_trim (0);
#endif
      if ((page = fetcher_take (fetcher, error)) == NULL)
        {
          ok = FALSE;
          break;
        }
    }
  if (fetcher != NULL)
    fetcher_stop (fetcher);
  return ok;
}

/* Privacy between clinicians: the charts the person newly reads are
 * fetched whole (the feed sends only what changes after they came onto
 * one), and those they no longer read are dropped from the store
 * (tend_store_chart_reach_update ()).  After a pull from the beginning
 * the feed has sent every chart they read. */
static gboolean
pull_charts (TendSyncEngine  *self,
             TendStore       *store,
             Http            *http,
             TendSyncStats   *stats,
             gboolean         from_start,
             GCancellable    *cancellable,
             GError         **error)
{
  g_auto(GStrv) gained = tend_store_chart_reach_update (store, from_start, &stats->dropped, error);

  if (gained == NULL)
    return FALSE;
  for (guint i = 0; gained[i] != NULL; i++)
    {
      g_autofree char *after = g_strdup ("0");
      gboolean has_more = TRUE;

      while (has_more)
        {
          g_autofree char *path = g_strdup_printf ("/v1/charts/%s?after=%s&limit=%u", gained[i], after, self->page_size);
          g_autofree char *code = NULL;
          g_autofree char *next = NULL;
          g_autoptr(GBytes) body = NULL;
          g_autoptr(GPtrArray) changes = NULL;
          g_autoptr(GError) local = NULL;
          guint status = 0;

          body = http_request (self, http, "GET", path, NULL, &status, &code, cancellable, &local);
          if (body == NULL && status == SOUP_STATUS_FORBIDDEN)
            break;  /* off the chart again meanwhile: the next run says so */
          if (body == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          changes = tend_sync_parse_page (body, &next, &has_more, error);
          if (changes == NULL ||
              !tend_store_sync_apply_page (store, changes, NULL, FALSE, stats, error))
            return FALSE;
          g_free (after);
          after = g_steal_pointer (&next);
          if (!has_more && !tend_store_chart_reach_add (store, gained[i], error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
run_on (TendSyncEngine  *self,
        TendStore       *store,
        TendSyncStats   *stats,
        GCancellable    *cancellable,
        GError         **error)
{
  TendSyncStats local_stats = { 0 };
  Http http = { 0 };
  gboolean from_start = FALSE;
  gboolean ok;

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  http_init (self, &http);
  if (http.token == NULL)
    {
      http_clear (&http);
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH, _("Sign in to the practice server first"));
      return FALSE;
    }
  ok = push_all (self, store, &http, stats, cancellable, error) &&
       pull_all (self, store, &http, stats, &from_start, cancellable, error) &&
       pull_charts (self, store, &http, stats, from_start, cancellable, error) &&
       download_blobs (self, store, &http, cancellable, error) &&
       push_all (self, store, &http, stats, cancellable, error);
  http_clear (&http);
  return ok;
}

/* The live channel (tend-server-live.c): a message that carries changes
 * is applied as a page when it follows this store's cursor; anything else
 * asks for a run. */
static gboolean
apply_live_on (TendSyncEngine  *self,
               TendStore       *store,
               GBytes          *message,
               gboolean        *pull,
               TendSyncStats   *stats,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *next = NULL;
  TendSyncStats local_stats = { 0 };
  const char *after;
  gboolean has_more = FALSE, applied = FALSE, ok;
  Http http = { 0 };

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  *pull = FALSE;
  if ((object = parse_object (message, error)) == NULL)
    {
      *pull = TRUE;
      return FALSE;
    }
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "changes") != 0)
    return TRUE;  /* not about sync (video signalling) */
  after = json_object_get_string_member_with_default (object, "after", NULL);
  *pull = TRUE;
  if (after == NULL || !json_object_has_member (object, "changes"))
    return TRUE;  /* "changes are waiting" */
  if ((changes = page_from_object (object, &next, &has_more, error)) == NULL)
    return FALSE;
  if (has_more)
    return TRUE;
  if (!tend_store_sync_apply_after (store, changes, after, next, &applied, stats, error))
    return FALSE;
  if (!applied)
    return TRUE;  /* not what this store's cursor follows: a pull has it all */
  *pull = FALSE;
  /* What a run does after its pull: charts newly reached, documents. */
  http_init (self, &http);
  ok = pull_charts (self, store, &http, stats, FALSE, cancellable, error) &&
       download_blobs (self, store, &http, cancellable, error);
  http_clear (&http);
  *pull = !ok;
  return ok;
}

/**
 * tend_sync_engine_apply_live:
 * @message: a message of the live WebSocket
 * @pull: (out): whether a run is needed for what it announced
 * @stats: (out caller-allocates) (optional): what was applied
 *
 * Applies the changes a live message carries when they follow this
 * store's cursor (nothing is skipped: the server sends each push's
 * changes with the cursor before them and the one after), blocking.
 * "Changes are waiting", changes that follow another cursor (a gap: a
 * message lost, another writer's changes in between) or a push of this
 * store's under way set @pull: a run gets them.  Messages not about sync
 * do nothing.
 *
 * Returns: %FALSE on an error (then @pull is set too)
 */
gboolean
tend_sync_engine_apply_live (TendSyncEngine  *self,
                             GBytes          *message,
                             gboolean        *pull,
                             TendSyncStats   *stats,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (message != NULL && pull != NULL, FALSE);
  return apply_live_on (self, self->store, message, pull, stats, cancellable, error);
}

/**
 * tend_sync_engine_run:
 * @stats: (out caller-allocates) (optional): what moved
 *
 * One full sync on the engine's store, blocking.
 */
gboolean
tend_sync_engine_run (TendSyncEngine  *self,
                      TendSyncStats   *stats,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  return run_on (self, self->store, stats, cancellable, error);
}

/* What the thread hands back: the stats, also when the run failed part way
 * (pages applied before the failure are in the store). */
typedef struct
{
  TendSyncStats stats;
} RunData;

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  TendSyncEngine *self = source_object;
  RunData *data = task_data;
  g_autoptr(TendStore) worker = NULL;
  GError *error = NULL;

  worker = tend_store_open_worker (self->store, &error);
  if (worker == NULL || !run_on (self, worker, &data->stats, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_memdup2 (&data->stats, sizeof data->stats), g_free);
}

/* Rows written on the worker's connection: the views reload, once per
 * type, and only when something came in. */
static void
notify_moved (TendSyncEngine      *self,
              const TendSyncStats *stats)
{
  const char * const *types = tend_record_list_type_names ();

  if (stats->applied + stats->merged + stats->pushed + stats->rejected + stats->dropped > 0)
    for (guint i = 0; types[i] != NULL; i++)
      tend_store_notify_changed (self->store, types[i]);
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *outer = user_data;
  TendSyncEngine *self = TEND_SYNC_ENGINE (source);
  RunData *data = g_task_get_task_data (G_TASK (result));

  notify_moved (self, &data->stats);
  g_task_return_pointer (outer, g_object_ref (result), g_object_unref);
  g_object_unref (outer);
}

typedef struct
{
  GBytes        *message;
  TendSyncStats  stats;
  gboolean       pull;
} LiveData;

static void
live_data_free (LiveData *data)
{
  g_bytes_unref (data->message);
  g_free (data);
}

static void
live_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TendSyncEngine *self = source_object;
  LiveData *data = task_data;
  g_autoptr(TendStore) worker = NULL;
  GError *error = NULL;

  data->pull = TRUE;
  worker = tend_store_open_worker (self->store, &error);
  if (worker == NULL ||
      !apply_live_on (self, worker, data->message, &data->pull, &data->stats, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
live_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  LiveData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  notify_moved (TEND_SYNC_ENGINE (source), &data->stats);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (outer, error);
  else
    g_task_return_boolean (outer, data->pull);
}

/**
 * tend_sync_engine_apply_live_async:
 *
 * tend_sync_engine_apply_live () in a thread, on a store connection of
 * its own (as tend_sync_engine_run_async ()); the views reload for what
 * it applied.  Do not run it beside a run: the caller orders them.
 */
void
tend_sync_engine_apply_live_async (TendSyncEngine      *self,
                                   GBytes              *message,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  GTask *outer;
  LiveData *data;

  g_return_if_fail (TEND_IS_SYNC_ENGINE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tend_sync_engine_apply_live_async);
  data = g_new0 (LiveData, 1);
  data->message = g_bytes_ref (message);
  inner = g_task_new (self, cancellable, live_done_cb, outer);
  g_task_set_task_data (inner, data, (GDestroyNotify) live_data_free);
  g_task_run_in_thread (inner, live_thread);
}

/**
 * tend_sync_engine_apply_live_finish:
 * @pull: (out): whether a run is needed (also set on an error)
 *
 * Returns: %FALSE on an error
 */
gboolean
tend_sync_engine_apply_live_finish (TendSyncEngine  *self,
                                    GAsyncResult    *result,
                                    gboolean        *pull,
                                    GError         **error)
{
  GError *local = NULL;
  gboolean value;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  value = g_task_propagate_boolean (G_TASK (result), &local);
  if (local != NULL)
    {
      *pull = TRUE;
      g_propagate_error (error, local);
      return FALSE;
    }
  *pull = value;
  return TRUE;
}

void
tend_sync_engine_run_async (TendSyncEngine      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  GTask *outer;

  g_return_if_fail (TEND_IS_SYNC_ENGINE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tend_sync_engine_run_async);
  inner = g_task_new (self, cancellable, run_done_cb, outer);
  g_task_set_task_data (inner, g_new0 (RunData, 1), g_free);
  g_task_run_in_thread (inner, run_thread);
}

gboolean
tend_sync_engine_run_finish (TendSyncEngine  *self,
                             GAsyncResult    *result,
                             TendSyncStats   *stats,
                             GError         **error)
{
  g_autoptr(GAsyncResult) inner = NULL;
  g_autofree TendSyncStats *got = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  inner = g_task_propagate_pointer (G_TASK (result), error);
  if (inner == NULL)
    return FALSE;
  got = g_task_propagate_pointer (G_TASK (inner), error);
  if (got == NULL)
    return FALSE;
  if (stats != NULL)
    *stats = *got;
  return TRUE;
}

/* Accounts */

void
tend_account_free (TendAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->email);
  g_free (account->name);
  g_free (account->role);
  g_free (account->staff_id);
  g_free (account);
}

static TendAccount *
account_from_json (JsonNode  *node,
                   GError   **error)
{
  JsonObject *o;
  TendAccount *a;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  o = json_node_get_object (node);
  if (json_object_get_string_member_with_default (o, "id", NULL) == NULL ||
      json_object_get_string_member_with_default (o, "email", NULL) == NULL)
    goto bad;
  a = g_new0 (TendAccount, 1);
  a->id = g_strdup (json_object_get_string_member (o, "id"));
  a->email = g_strdup (json_object_get_string_member (o, "email"));
  a->name = g_strdup (json_object_get_string_member_with_default (o, "name", ""));
  a->role = g_strdup (json_object_get_string_member_with_default (o, "role", ""));
  a->staff_id = g_strdup (json_object_get_string_member_with_default (o, "staff_id", NULL));
  a->active = json_object_get_boolean_member_with_default (o, "active", TRUE);
  a->totp = json_object_get_boolean_member_with_default (o, "totp", FALSE);
  return a;

bad:
  g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s account list makes no sense"));
  return NULL;
}

/* One request with the session; the answer as a JSON object. */
static JsonObject *
call_with_code (TendSyncEngine  *self,
                const char      *method,
                const char      *path,
                JsonBuilder     *request,
                char           **code,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *json = NULL;
  Http http = { 0 };

  if (request != NULL)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (request);

      json = json_to_string (root, FALSE);
    }
  http_init (self, &http);
  if (http.token == NULL)
    {
      http_clear (&http);
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH, _("Sign in to the practice server first"));
      return NULL;
    }
  body = http_request (self, &http, method, path, json, NULL, code, cancellable, error);
  if (json != NULL)
    memset (json, 0, strlen (json));      /* may hold a password */
  http_clear (&http);
  return body != NULL ? parse_object (body, error) : NULL;
}

static JsonObject *
call (TendSyncEngine  *self,
      const char      *method,
      const char      *path,
      JsonBuilder     *request,
      GCancellable    *cancellable,
      GError         **error)
{
  return call_with_code (self, method, path, request, NULL, cancellable, error);
}

GPtrArray *
tend_sync_engine_list_accounts (TendSyncEngine  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_account_free);
  JsonNode *accounts;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);

  answer = call (self, "GET", "/v1/accounts", NULL, cancellable, error);
  if (answer == NULL)
    return NULL;
  accounts = json_object_get_member (answer, "accounts");
  if (accounts == NULL || !JSON_NODE_HOLDS_ARRAY (accounts))
    {
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s account list makes no sense"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (accounts)); i++)
    {
      TendAccount *a = account_from_json (json_array_get_element (json_node_get_array (accounts), i), error);

      if (a == NULL)
        return NULL;
      g_ptr_array_add (list, a);
    }
  return g_steal_pointer (&list);
}

TendAccount *
tend_sync_engine_create_account (TendSyncEngine  *self,
                                 const char      *email,
                                 const char      *name,
                                 const char      *role,
                                 const char      *password,
                                 const char      *staff_id,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) answer = NULL;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, role);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_set_member_name (b, "staff_id");
  json_builder_add_string_value (b, staff_id);
  json_builder_end_object (b);
  answer = call (self, "POST", "/v1/accounts", b, cancellable, error);
  if (answer == NULL)
    return NULL;
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, answer);
    return account_from_json (node, error);
  }
}

static gboolean
invite (TendSyncEngine *self,
        const char     *client_id,
        const char     *related_person_id,
        const char     *email,
        const char     *language,
        GCancellable   *cancellable,
        GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) answer = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "client_id");
  json_builder_add_string_value (b, client_id);
  if (related_person_id != NULL)
    {
      json_builder_set_member_name (b, "related_person_id");
      json_builder_add_string_value (b, related_person_id);
    }
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, language != NULL ? language : "en");
  json_builder_end_object (b);
  answer = call (self, "POST", "/v1/portal-invitations", b, cancellable, error);
  return answer != NULL;
}

/**
 * tend_sync_engine_invite_to_portal:
 *
 * POST /v1/portal-invitations: blocking, for a thread.
 */
gboolean
tend_sync_engine_invite_to_portal (TendSyncEngine *self,
                                   const char     *client_id,
                                   const char     *email,
                                   const char     *language,
                                   GCancellable   *cancellable,
                                   GError        **error)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (client_id != NULL && email != NULL, FALSE);
  return invite (self, client_id, NULL, email, language, cancellable, error);
}

/**
 * tend_sync_engine_invite_guardian_to_portal:
 * @related_person_id: a related_person of @client_id marked legal guardian
 *
 * POST /v1/portal-invitations for a minor's legal guardian, whose portal
 * account then acts for @client_id (the server checks that the person is
 * the client's legal guardian and that the client is a minor, at the
 * invitation and at every request): blocking, for a thread.
 */
gboolean
tend_sync_engine_invite_guardian_to_portal (TendSyncEngine *self,
                                            const char     *client_id,
                                            const char     *related_person_id,
                                            const char     *email,
                                            const char     *language,
                                            GCancellable   *cancellable,
                                            GError        **error)
{
  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (client_id != NULL && related_person_id != NULL && email != NULL, FALSE);
  return invite (self, client_id, related_person_id, email, language, cancellable, error);
}

/**
 * tend_sync_engine_create_video_invite:
 * @url: (out): the link, as clients reach the server
 * @valid_until: (out) (optional): when it stops working
 *
 * POST /v1/video/invites: blocking, for a thread.
 */
gboolean
tend_sync_engine_create_video_invite (TendSyncEngine *self,
                                      const char     *session_id,
                                      gboolean        email,
                                      char          **url,
                                      GDateTime     **valid_until,
                                      GCancellable   *cancellable,
                                      GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *code = NULL;
  const char *link;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (session_id != NULL && url != NULL, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, session_id);
  json_builder_set_member_name (b, "email");
  json_builder_add_boolean_value (b, email);
  json_builder_end_object (b);
  answer = call_with_code (self, "POST", "/v1/video/invites", b, &code, cancellable, error);
  /* What the person can act on, in their language. */
  if (answer == NULL)
    {
      static const struct { const char *code; const char *message; } refusals[] = {
        { "no_email", N_("The client has no e-mail address on file: add one to their record, or copy the link instead.") },
        { "not_found", N_("The server does not have this session yet: try again once it has synced.") },
        { "ended", N_("The session or its appointment is over: a join link would not work.") },
      };

      for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
        if (g_strcmp0 (code, refusals[i].code) == 0)
          {
            g_clear_error (error);
            g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_SERVER, _(refusals[i].message));
          }
    }
  if (answer == NULL)
    return FALSE;
  link = json_object_get_string_member_with_default (answer, "url", NULL);
  if (link == NULL || !(g_str_has_prefix (link, "https://") || g_str_has_prefix (link, "http://")))
    {
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_SERVER, _("The server’s answer had no join link."));
      return FALSE;
    }
  *url = g_strdup (link);
  if (valid_until != NULL)
    *valid_until = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (answer, "valid_until", ""),
                                                 NULL);
  return TRUE;
}

TendAccount *
tend_sync_engine_update_account (TendSyncEngine  *self,
                                 const char      *id,
                                 const char      *role,
                                 int              active,
                                 const char      *password,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (id != NULL && g_uuid_string_is_valid (id), NULL);

  json_builder_begin_object (b);
  if (role != NULL)
    {
      json_builder_set_member_name (b, "role");
      json_builder_add_string_value (b, role);
    }
  if (active >= 0)
    {
      json_builder_set_member_name (b, "active");
      json_builder_add_boolean_value (b, active != 0);
    }
  if (password != NULL)
    {
      json_builder_set_member_name (b, "password");
      json_builder_add_string_value (b, password);
    }
  json_builder_end_object (b);
  path = g_strconcat ("/v1/accounts/", id, NULL);
  answer = call (self, "PATCH", path, b, cancellable, error);
  if (answer == NULL)
    return NULL;
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, answer);
    return account_from_json (node, error);
  }
}


/* Two-step verification of the person signed in */

/* The server's refusals, in the person's language. */
static gboolean
totp_call (TendSyncEngine  *self,
           const char      *method,
           const char      *path,
           JsonBuilder     *request,
           JsonObject     **answer_out,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *code = NULL;
  JsonObject *answer = call_with_code (self, method, path, request, &code, cancellable, &local);
  const char *message = NULL;

  if (answer != NULL)
    {
      if (answer_out != NULL)
        *answer_out = answer;
      else
        json_object_unref (answer);
      return TRUE;
    }
  if (g_strcmp0 (code, "invalid_credentials") == 0)
    message = _("The password is not correct.");
  else if (g_strcmp0 (code, "invalid_totp") == 0)
    message = _("The code is not correct. Type the one your authenticator shows now, and check that its clock is right.");
  else if (g_strcmp0 (code, "no_pending_totp") == 0)
    message = _("The set-up waited more than ten minutes. Start again.");
  else if (g_strcmp0 (code, "totp_enabled") == 0)
    message = _("Two-step verification is on already.");
  else if (g_strcmp0 (code, "totp_disabled") == 0)
    message = _("Two-step verification is off already.");
  if (message != NULL)
    g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_SERVER, message);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/**
 * tend_sync_engine_get_totp:
 *
 * Blocking.  Returns: 1 when the person's account asks for a code at
 *   sign-in, 0 when it does not, -1 with @error
 */
int
tend_sync_engine_get_totp (TendSyncEngine  *self,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr(JsonObject) answer = NULL;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), -1);
  if (!totp_call (self, "GET", "/v1/me/totp", NULL, &answer, cancellable, error))
    return -1;
  return json_object_get_boolean_member_with_default (answer, "enabled", FALSE) ? 1 : 0;
}

/**
 * tend_sync_engine_begin_totp:
 * @secret: (out): the new secret, base32, for typing into an authenticator
 * @uri: (out): the same as an otpauth:// link
 *
 * Blocking.  Starts turning on two-step verification: it counts once
 * tend_sync_engine_confirm_totp() sends a right code (within ten minutes).
 */
gboolean
tend_sync_engine_begin_totp (TendSyncEngine  *self,
                             const char      *password,
                             char           **secret,
                             char           **uri,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonObject) answer = NULL;
  const char *s, *u;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  if (!totp_call (self, "POST", "/v1/me/totp", b, &answer, cancellable, error))
    return FALSE;
  s = json_object_get_string_member_with_default (answer, "secret", NULL);
  u = json_object_get_string_member_with_default (answer, "uri", NULL);
  if (s == NULL || u == NULL || !g_str_has_prefix (u, "otpauth://"))
    {
      g_set_error_literal (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_PROTOCOL, _("The server’s answer makes no sense"));
      return FALSE;
    }
  *secret = g_strdup (s);
  *uri = g_strdup (u);
  return TRUE;
}

static JsonBuilder *
totp_request (const char *password,
              const char *code)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  if (password != NULL)
    {
      json_builder_set_member_name (b, "password");
      json_builder_add_string_value (b, password);
    }
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_end_object (b);
  return b;
}

/**
 * tend_sync_engine_confirm_totp:
 * @code: what the authenticator shows
 *
 * Blocking.  Turns two-step verification on.
 */
gboolean
tend_sync_engine_confirm_totp (TendSyncEngine  *self,
                               const char      *code,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr(JsonBuilder) b = NULL;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  b = totp_request (NULL, code);
  return totp_call (self, "POST", "/v1/me/totp/confirm", b, NULL, cancellable, error);
}

/**
 * tend_sync_engine_disable_totp:
 *
 * Blocking.  Turns two-step verification off: the password and a right
 * code, so a session left open is not enough.
 */
gboolean
tend_sync_engine_disable_totp (TendSyncEngine  *self,
                               const char      *password,
                               const char      *code,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr(JsonBuilder) b = NULL;

  g_return_val_if_fail (TEND_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (password != NULL && code != NULL, FALSE);
  b = totp_request (password, code);
  return totp_call (self, "DELETE", "/v1/me/totp", b, NULL, cancellable, error);
}
