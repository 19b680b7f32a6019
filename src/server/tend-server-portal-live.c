/* tend-server-portal-live.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /v1/portal/events: while a portal page is open, the server tells it
 * which of the client's conversations changed, as Server-Sent Events
 * (text/event-stream, a chunked response that stays open):
 *
 *   event: ready          data: {}                       (once, at the start)
 *   event: conversation   data: {"conversation_id":"…"}  (a message in it, or it)
 *   event: end            data: {"reason":"signed_out"}  (then the response ends)
 *
 * and a comment line every KEEPALIVE_S.  An event names a conversation
 * only: the page reads it again through GET …/messages, which applies the
 * read rules and audits the read as any other.  Why SSE and not a
 * WebSocket or long polls: the portal only listens (it writes with its
 * ordinary requests), EventSource reconnects by itself and sends the
 * session cookie with no script, and a stream costs no request per event.
 *
 * Which conversations: the changes are read from PostgreSQL, never taken
 * from the notification.  TendLive hears every committed write on
 * LISTEN tend_changes and calls tend_portal_live_changed () for its
 * practice; one reader thread then reads the practice's message and
 * conversation records whose seq passed the practice's cursor (seq is
 * handed out under the practice's row lock, so in commit order: nothing
 * committed later can have a lower one), and for each stream asks
 * tend_server_portal_live_filter () (tend-server-portal.c): is the session
 * still signed in (and a guardian still acting for the minor), and which
 * of those records the record policy lets this client read.  Another
 * client's message is never named.
 *
 * libsoup 3.2 and a response that never ends: a chunked body that runs
 * out of chunks pauses the message itself (soup-server-io.c), so every
 * write appends a chunk and unpauses; the body does not accumulate
 * (written chunks are dropped).  A paused message does not read its
 * socket, so a client that goes away would be seen only at the next
 * write: a watch on the socket ends the stream when it reads end of file.
 * A stream also ends when the session's expiry (as it was at the start)
 * passes: the stream does not keep a session alive, and EventSource
 * reconnects, which succeeds only while the session does.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "tend-core.h"
#include "tend-server-portal-live.h"
#include "tend-server-portal.h"

#define KEEPALIVE_S 20
/* Records a scan reads at most at once; more are read by the next. */
#define SCAN_LIMIT 1000

struct _TendPortalLive
{
  TendPgPool   *pool;
  GMainContext *context;
  GHashTable   *practices;   /* practice id -> Practice */
  GThreadPool  *readers;     /* one thread: Scan, in order */
  guint         keepalive_id;
  guint         n_streams;
  gboolean      freed;       /* a scan's answer may come back after */
};

typedef struct
{
  TendPortalLive       *live;
  SoupServerMessage    *msg;
  TendPortalStreamInfo *info;
  GSource              *watch;
  guint                 expiry_id;
  gboolean              ended;
} Stream;

typedef struct
{
  GPtrArray *streams;     /* Stream */
  gint64     cursor;      /* changes up to here were looked at */
  gboolean   scanning;
  gboolean   again;       /* a change came in during the scan */
} Practice;

typedef struct
{
  Stream               *stream;   /* main context only: may have ended */
  TendPortalStreamInfo *info;     /* a copy, for the thread */
  GPtrArray            *conversation_ids;
  gboolean              ended;
} Target;

typedef struct
{
  TendPortalLive *live;
  char           *practice_id;
  gint64          from;
  gint64          to;       /* set by the thread */
  gboolean        more;     /* SCAN_LIMIT reached: scan on */
  GPtrArray      *targets;  /* Target */
} Scan;

static void stream_end (Stream *stream, const char *reason);

void
tend_portal_stream_info_free (TendPortalStreamInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->practice_id);
  g_free (info->client_id);
  g_free (info->account_id);
  g_free (info->token_hash);
  g_free (info->related_person_id);
  g_free (info);
}

static TendPortalStreamInfo *
info_copy (const TendPortalStreamInfo *info)
{
  TendPortalStreamInfo *copy = g_new0 (TendPortalStreamInfo, 1);

  copy->practice_id = g_strdup (info->practice_id);
  copy->client_id = g_strdup (info->client_id);
  copy->account_id = g_strdup (info->account_id);
  copy->token_hash = g_strdup (info->token_hash);
  copy->related_person_id = g_strdup (info->related_person_id);
  copy->expires_s = info->expires_s;
  copy->seq = info->seq;
  return copy;
}

static void
practice_free (Practice *practice)
{
  g_ptr_array_unref (practice->streams);
  g_free (practice);
}

static void
target_free (Target *target)
{
  tend_portal_stream_info_free (target->info);
  g_clear_pointer (&target->conversation_ids, g_ptr_array_unref);
  g_free (target);
}

static void
live_clear (TendPortalLive *live)
{
  g_hash_table_unref (live->practices);
}

static void
scan_free (Scan *scan)
{
  g_rc_box_release_full (scan->live, (GDestroyNotify) live_clear);
  g_free (scan->practice_id);
  g_ptr_array_unref (scan->targets);
  g_free (scan);
}

/* Writing */

static void
stream_write (Stream     *stream,
              const char *text)
{
  if (stream->ended)
    return;
  soup_message_body_append (soup_server_message_get_response_body (stream->msg), SOUP_MEMORY_COPY,
                            text, strlen (text));
  soup_server_message_unpause (stream->msg);
}

static void
stream_event (Stream     *stream,
              const char *event,
              const char *data)
{
  g_autofree char *text = g_strdup_printf ("event: %s\ndata: %s\n\n", event, data);

  stream_write (stream, text);
}

/* Forgets @stream (the message finished, or never will be written again). */
static void
stream_forget (Stream *stream)
{
  TendPortalLive *live = stream->live;
  g_autofree char *stream_practice_id = g_strdup (stream->info->practice_id);
  Practice *practice = g_hash_table_lookup (live->practices, stream_practice_id);

  if (practice == NULL || !g_ptr_array_find (practice->streams, stream, NULL))
    return;
  if (stream->watch != NULL)
    {
      g_source_destroy (stream->watch);
      g_clear_pointer (&stream->watch, g_source_unref);
    }
  g_clear_handle_id (&stream->expiry_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  live->n_streams--;
  g_ptr_array_remove_fast (practice->streams, stream);
  /* The practice (and its cursor) stays while a scan may come back to it. */
  if (practice->streams->len == 0 && !practice->scanning)
    g_hash_table_remove (live->practices, stream_practice_id);
}

static void
stream_free (Stream *stream)
{
  g_object_unref (stream->msg);
  tend_portal_stream_info_free (stream->info);
  g_free (stream);
}

/* Ends the response (after an "end" event when @reason is set). */
static void
stream_end (Stream     *stream,
            const char *reason)
{
  SoupServerMessage *msg = g_object_ref (stream->msg);

  if (stream->ended)
    {
      g_object_unref (msg);
      return;
    }
  if (reason != NULL)
    {
      g_autofree char *data = g_strdup_printf ("{\"reason\":\"%s\"}", reason);

      stream_event (stream, "end", data);
    }
  stream->ended = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (msg));
  stream_forget (stream);   /* frees it */
  soup_server_message_unpause (msg);
  g_object_unref (msg);
}

static void
on_stream_gone_cb (SoupServerMessage *msg,
                   Stream            *stream)
{
  stream->ended = TRUE;
  stream_forget (stream);   /* frees it */
}

static gboolean
on_socket_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      data)
{
  Stream *stream = data;
  char byte;
  gssize n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;
  /* End of file: the page went away.  Anything else read while the stream
   * is open is not HTTP this server expects either: end it. */
  g_clear_pointer (&stream->watch, g_source_unref);
  stream_end (stream, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_expiry_cb (gpointer data)
{
  Stream *stream = data;

  stream->expiry_id = 0;
  stream_end (stream, NULL);   /* EventSource comes back, if still signed in */
  return G_SOURCE_REMOVE;
}

static gboolean
on_keepalive_cb (gpointer data)
{
  TendPortalLive *live = data;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->practices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Practice *practice = value;

      for (guint i = 0; i < practice->streams->len; i++)
        stream_write (practice->streams->pdata[i], ": keep-alive\n\n");
    }
  return G_SOURCE_CONTINUE;
}

/* Scanning */

static void start_scan (TendPortalLive *live, const char *practice_id, Practice *practice);

static gboolean
scan_done_cb (gpointer data)
{
  Scan *scan = data;
  TendPortalLive *live = scan->live;
  Practice *practice = live->freed ? NULL : g_hash_table_lookup (live->practices, scan->practice_id);

  if (practice == NULL)
    return G_SOURCE_REMOVE;
  practice->cursor = MAX (practice->cursor, scan->to);
  for (guint i = 0; i < scan->targets->len; i++)
    {
      Target *target = scan->targets->pdata[i];

      /* Only a stream still open (still in the list) hears anything. */
      if (!g_ptr_array_find (practice->streams, target->stream, NULL))
        continue;
      if (target->conversation_ids != NULL)
        for (guint j = 0; j < target->conversation_ids->len; j++)
          {
            g_autofree char *event = g_strdup_printf ("{\"conversation_id\":\"%s\"}",
                                                     (char *) target->conversation_ids->pdata[j]);

            stream_event (target->stream, "conversation", event);
          }
      if (target->ended)
        stream_end (target->stream, "signed_out");
    }
  practice->scanning = FALSE;
  if (practice->streams->len == 0)
    g_hash_table_remove (live->practices, scan->practice_id);
  else if (practice->again || scan->more)
    {
      practice->again = FALSE;
      start_scan (live, scan->practice_id, practice);
    }
  return G_SOURCE_REMOVE;
}

/* The practice's message and conversation records changed in (from, to]. */
static GPtrArray *
read_changes (TendPgConn *conn,
              Scan       *scan,
              GError    **error)
{
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, scan->from);
  const char *params[] = { scan->practice_id, from };
  g_autoptr(PGresult) top = tend_pg_exec (conn, "SELECT seq FROM practice WHERE id = $1", 1, params, error);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *to = NULL;
  GPtrArray *records;

  if (top == NULL)
    return NULL;
  scan->to = PQntuples (top) == 1 ? tend_pg_get_int (top, 0, 0) : scan->from;
  records = g_ptr_array_new_with_free_func (g_object_unref);
  if (scan->to <= scan->from)
    {
      scan->to = scan->from;
      return records;
    }
  to = g_strdup_printf ("%" G_GINT64_FORMAT, scan->to);
  {
    const char *range[] = { scan->practice_id, from, to };

    res = tend_pg_exec (conn,
                        "SELECT type, id, version, deleted, body, seq FROM record"
                        " WHERE practice_id = $1 AND seq > $2::bigint AND seq <= $3::bigint"
                        " AND type IN ('message', 'conversation') ORDER BY seq LIMIT " G_STRINGIFY (SCAN_LIMIT),
                        3, range, error);
  }
  if (res == NULL)
    {
      g_ptr_array_unref (records);
      return NULL;
    }
  if (PQntuples (res) == SCAN_LIMIT)
    {
      scan->to = tend_pg_get_int (res, SCAN_LIMIT - 1, 5);   /* the rest at the next scan */
      scan->more = TRUE;
    }
  for (int i = 0; i < PQntuples (res); i++)
    {
      GType type = strcmp (PQgetvalue (res, i, 0), "message") == 0 ? TEND_TYPE_MESSAGE : TEND_TYPE_CONVERSATION;
      g_autoptr(TendRecord) record = tend_record_new (type);

      tend_record_set_id (record, PQgetvalue (res, i, 1));
      tend_record_set_version (record, tend_pg_get_int (res, i, 2));
      if (!tend_record_load_body_string (record, PQgetvalue (res, i, 4), -1, NULL))
        continue;
      tend_record_set_deleted (record, tend_pg_get_bool (res, i, 3));
      g_ptr_array_add (records, g_steal_pointer (&record));
    }
  return records;
}

/* The clients whose threads @records may be in (a conversation's
 * client_id, a message's conversation's): only their streams are asked
 * about them, so a write costs a query per stream it may concern, not per
 * stream open.  A narrowing only: tend_server_portal_live_filter () asks
 * the record policy. */
static GHashTable *
owners_of (TendPgConn *conn,
           const char *practice_id,
           GPtrArray  *records,
           GError    **error)
{
  g_autoptr(GHashTable) owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) asked = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < records->len; i++)
    {
      TendRecord *record = records->pdata[i];
      const char *conversation_id;
      g_autoptr(PGresult) res = NULL;

      if (TEND_IS_CONVERSATION (record))
        {
          if (tend_record_get_string (record, "client_id") != NULL)
            g_hash_table_add (owners, g_strdup (tend_record_get_string (record, "client_id")));
          continue;
        }
      conversation_id = tend_message_get_conversation_id (TEND_MESSAGE (record));
      if (conversation_id == NULL || !g_uuid_string_is_valid (conversation_id) ||
          !g_hash_table_add (asked, (gpointer) conversation_id))
        continue;
      {
        const char *params[] = { practice_id, conversation_id };

        res = tend_pg_exec (conn, "SELECT body::jsonb ->> 'client_id' FROM record"
                                  " WHERE practice_id = $1 AND type = 'conversation' AND id = $2::uuid",
                            2, params, error);
      }
      if (res == NULL)
        return NULL;
      if (PQntuples (res) == 1 && !PQgetisnull (res, 0, 0))
        g_hash_table_add (owners, g_strdup (PQgetvalue (res, 0, 0)));
    }
  return g_steal_pointer (&owners);
}

/* In the reader thread. */
static void
scan_thread (gpointer data,
             gpointer user_data)
{
  Scan *scan = data;
  TendPortalLive *live = scan->live;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) owners = NULL;
  TendPgConn *conn = tend_pg_pool_acquire (live->pool, &error);

  if (conn != NULL)
    records = read_changes (conn, scan, &error);
  if (records == NULL)
    {
      /* Tried again at the next change. */
      g_warning ("Portal live changes not read: %s", error->message);
      scan->to = scan->from;
    }
  if (records != NULL && records->len > 0)
    owners = owners_of (conn, scan->practice_id, records, &error);
  if (records != NULL && records->len > 0 && owners == NULL)
    g_warning ("Portal live changes not read: %s", error->message);
  for (guint i = 0; owners != NULL && i < scan->targets->len; i++)
    {
      Target *target = scan->targets->pdata[i];
      g_autoptr(GError) local = NULL;

      if (!g_hash_table_contains (owners, target->info->client_id))
        continue;

      target->conversation_ids = g_ptr_array_new_with_free_func (g_free);
      if (!tend_server_portal_live_filter (conn, target->info, records, target->conversation_ids,
                                           &target->ended, &local))
        {
          g_warning ("Portal live changes not filtered: %s", local->message);
          g_clear_pointer (&target->conversation_ids, g_ptr_array_unref);
        }
    }
  if (conn != NULL)
    tend_pg_pool_release (live->pool, conn);
  g_main_context_invoke_full (live->context, G_PRIORITY_DEFAULT, scan_done_cb, scan, (GDestroyNotify) scan_free);
}

static void
start_scan (TendPortalLive *live,
            const char     *practice_id,
            Practice       *practice)
{
  Scan *scan;

  if (practice->scanning)
    {
      practice->again = TRUE;
      return;
    }
  scan = g_new0 (Scan, 1);
  scan->live = g_rc_box_acquire (live);
  scan->practice_id = g_strdup (practice_id);
  scan->from = practice->cursor;
  scan->to = practice->cursor;
  scan->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  for (guint i = 0; i < practice->streams->len; i++)
    {
      Stream *stream = practice->streams->pdata[i];
      Target *target = g_new0 (Target, 1);

      target->stream = stream;
      target->info = info_copy (stream->info);
      g_ptr_array_add (scan->targets, target);
    }
  practice->scanning = TRUE;
  g_thread_pool_push (live->readers, scan, NULL);
}

/* API */

TendPortalLive *
tend_portal_live_new (TendPgPool   *pool,
                      GMainContext *context)
{
  TendPortalLive *live = g_rc_box_new0 (TendPortalLive);
  GSource *source;

  live->pool = pool;
  live->context = context;
  live->practices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) practice_free);
  live->readers = g_thread_pool_new (scan_thread, NULL, 1, FALSE, NULL);
  source = g_timeout_source_new_seconds (KEEPALIVE_S);
  g_source_set_callback (source, on_keepalive_cb, live, NULL);
  live->keepalive_id = g_source_attach (source, context);
  g_source_unref (source);
  return live;
}

void
tend_portal_live_free (TendPortalLive *live)
{
  if (live == NULL)
    return;
  /* Waits for a scan under way; its answer (on the context, holding a
   * reference) then does nothing. */
  g_thread_pool_free (g_steal_pointer (&live->readers), FALSE, TRUE);
  tend_portal_live_close_all (live);
  g_clear_handle_id (&live->keepalive_id, g_source_remove);
  live->freed = TRUE;
  g_rc_box_release_full (live, (GDestroyNotify) live_clear);
}

/**
 * tend_portal_live_open:
 * @msg: the request, paused, its session checked
 * @info: (transfer full): whose stream it is
 *
 * Starts the event stream on @msg and unpauses it.  On the server's
 * context.
 */
void
tend_portal_live_open (TendPortalLive       *live,
                       SoupServerMessage    *msg,
                       TendPortalStreamInfo *info)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Practice *practice = g_hash_table_lookup (live->practices, info->practice_id);
  Stream *stream = g_new0 (Stream, 1);
  GSocket *socket = soup_server_message_get_socket (msg);
  gint64 left = info->expires_s - g_get_real_time () / G_USEC_PER_SEC;

  stream->live = live;
  stream->msg = g_object_ref (msg);
  stream->info = info;
  if (practice == NULL)
    {
      practice = g_new0 (Practice, 1);
      practice->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
      practice->cursor = info->seq;
      g_hash_table_insert (live->practices, g_strdup (info->practice_id), practice);
    }
  g_ptr_array_add (practice->streams, stream);
  live->n_streams++;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream; charset=utf-8");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Accel-Buffering", "no");
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "finished", G_CALLBACK (on_stream_gone_cb), stream);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_stream_gone_cb), stream);
  if (socket != NULL)
    {
      stream->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (stream->watch, (GSourceFunc) G_CALLBACK (on_socket_cb), stream, NULL);
      g_source_attach (stream->watch, live->context);
    }
  {
    GSource *source = g_timeout_source_new_seconds ((guint) CLAMP (left, 1, 24 * 3600));

    g_source_set_callback (source, on_expiry_cb, stream, NULL);
    stream->expiry_id = g_source_attach (source, live->context);
    g_source_unref (source);
  }
  /* "retry": EventSource waits this long before it reconnects. */
  stream_write (stream, "retry: 3000\n\n");
  stream_event (stream, "ready", "{}");
  /* Anything committed between the request's read and now. */
  if (practice->cursor < info->seq)
    start_scan (live, info->practice_id, practice);
}

/* A write committed for @practice_id (from LISTEN, on the server's context). */
void
tend_portal_live_changed (TendPortalLive *live,
                          const char     *practice_id)
{
  Practice *practice = g_hash_table_lookup (live->practices, practice_id);

  if (practice != NULL && practice->streams->len > 0)
    start_scan (live, practice_id, practice);
}

/* Notifications may have been lost (LISTEN reconnected): look at everything. */
void
tend_portal_live_changed_all (TendPortalLive *live)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, live->practices);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    tend_portal_live_changed (live, key);
}

/* Ends every stream (the server is stopping: pages reconnect elsewhere). */
void
tend_portal_live_close_all (TendPortalLive *live)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, live->practices);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Practice *practice = value;

      for (guint i = 0; i < practice->streams->len; i++)
        g_ptr_array_add (all, practice->streams->pdata[i]);
    }
  for (guint i = 0; i < all->len; i++)
    stream_end (all->pdata[i], NULL);
}

guint
tend_portal_live_count (TendPortalLive *live)
{
  return live->n_streams;
}
