/* tend-server-live.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /v1/live is a WebSocket that tells a signed-in client of changes.
 * Small changes it carries itself: a push's notification names the
 * sequence numbers it took, and each client is sent those changes as the
 * feed would send them to that person ({"type":"changes","after":CURSOR,
 * "changes":[…],"cursor":CURSOR}: read by tend_sync_feed_read (), the
 * feed's own read, with the session looked up again first), so a second
 * computer has a change one hop after the push instead of after a pull.
 * A client whose cursor is "after" applies them and takes "cursor"; any
 * other pulls.  Everything else is {"type":"changes"} alone ("changes are
 * waiting, pull"): other writers' changes, more changes than
 * LIVE_MAX_CHANGES or bodies past LIVE_MAX_BYTES, a session that ended, a
 * failed read.  The client pulls once when it connects (the server sends
 * "changes" at once, for what happened while it was away).
 *
 * Instances share only PostgreSQL, so the event crosses instances there: a
 * write that applied something runs pg_notify('tend_changes', PRACTICE) or,
 * from a push, pg_notify('tend_changes', 'PRACTICE:FROM:TO') inside its
 * transaction (delivered at COMMIT), and every instance holds a dedicated
 * connection that LISTENs, watched by a GSource on its socket on the
 * server's main context.  Notifications that arrive together are
 * coalesced per practice (ranges that follow each other become one).  The
 * changes are read by one thread, with a pooled connection, one job after
 * another, so each client gets its messages in order; one read per
 * session, not per socket.  If the LISTEN connection drops, it is reopened
 * in a thread (with a growing delay) and every client is told to pull,
 * since notifications may have been lost meanwhile.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <glib-unix.h>
#include <libpq-fe.h>

#include "tend-server-live.h"
#include "tend-server-portal-live.h"
#include "tend-server-private.h"
#include "tend-server-sync.h"
#include "tend-server-video.h"

#define KEEPALIVE_S 30
#define MAX_RETRY_S 30
/* What a live message carries at most; more goes by a pull.  A record as
 * big as a long note (the feed's bodies average under 1 KiB) fits. */
#define LIVE_MAX_CHANGES 50
#define LIVE_MAX_BYTES   (16 * 1024)

struct _TendLive
{
  char         *conninfo;
  GMainContext *context;
  PGconn       *pq;
  GSource      *watch;
  guint         retry_id;
  guint         retry_s;
  gboolean      connecting;
  gboolean      closing;
  GHashTable   *clients;    /* practice id -> GPtrArray of Client */
  guint         n_clients;
  TendVideoRelay *video;
  GPtrArray    *guests;     /* Guest: browser guests of video sessions */
  TendPgPool   *pool;
  char         *epoch;
  GThreadPool  *readers;    /* one thread: Job, in order */
  TendPortalLive *portal;   /* the portal's event streams */
};

typedef struct
{
  TendLive                *live;
  SoupWebsocketConnection *conn;
  char                    *practice_id;
  char                    *session_id;
} Guest;

typedef struct
{
  TendLive                *live;
  SoupWebsocketConnection *conn;
  char                    *practice_id;
  char                    *account_id;
  char                    *staff_id;
  char                    *name;
  TendRole                 role;
  char                    *token_hash;
} Client;

/* One push's changes, (from, to], to be read for a practice's clients. */
typedef struct
{
  TendPgPool *pool;
  char       *epoch;
  char       *practice_id;
  gint64      from;
  gint64      to;
  GPtrArray  *targets;   /* Target */
} Job;

typedef struct
{
  SoupWebsocketConnection *conn;
  char                    *token_hash;
  char                    *message;   /* read by the thread */
} Target;

static const char changes_message[] = "{\"type\":\"changes\"}";

static void start_connect (TendLive *live);

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->conn, client);
  g_object_unref (client->conn);
  g_free (client->practice_id);
  g_free (client->account_id);
  g_free (client->staff_id);
  g_free (client->name);
  g_free (client->token_hash);
  g_free (client);
}

static void
notify_practice (TendLive   *live,
                 const char *practice_id)
{
  GPtrArray *list = g_hash_table_lookup (live->clients, practice_id);

  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      Client *client = list->pdata[i];

      if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (client->conn, changes_message);
    }
}

static void
notify_everyone (TendLive *live)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, live->clients);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    notify_practice (live, key);
}

static void
target_free (Target *target)
{
  g_object_unref (target->conn);
  g_free (target->token_hash);
  g_free (target->message);
  g_free (target);
}

static void
job_free (Job *job)
{
  g_free (job->epoch);
  g_free (job->practice_id);
  g_ptr_array_unref (job->targets);
  g_free (job);
}

/* The message for one session: its changes in (from, to], or "changes". */
static char *
read_for (Job        *job,
          TendPgConn *conn,
          const char *token_hash)
{
  g_autoptr(GError) error = NULL;
  g_auto(TendFeedPage) page = { 0 };
  TendPrincipal principal = { 0 };
  g_autofree char *after = NULL;
  g_autofree char *cursor = NULL;
  gboolean ok;

  /* As it is now: signed out, turned off, or given another role since the
   * socket opened is seen here, as a request would see it. */
  if (conn == NULL || !tend_session_principal_from_hash (conn, token_hash, &principal, &error) ||
      principal.account_id == NULL || g_strcmp0 (principal.practice_id, job->practice_id) != 0)
    {
      if (error != NULL)
        g_warning ("Live changes not read: %s", error->message);
      tend_principal_clear (&principal);
      return g_strdup (changes_message);
    }
  ok = tend_sync_feed_read (conn, &principal, job->from, job->to, LIVE_MAX_CHANGES, LIVE_MAX_BYTES,
                            "read-live", &page, &error);
  tend_principal_clear (&principal);
  if (!ok)
    g_warning ("Live changes not read: %s", error->message);
  if (!ok || !page.found || page.has_more || page.changes->len > LIVE_MAX_BYTES || page.practice_seq < job->to)
    return g_strdup (changes_message);
  after = tend_sync_cursor_encode (job->epoch, job->from, page.horizon);
  cursor = tend_sync_cursor_encode (job->epoch, job->to, page.horizon);
  return g_strdup_printf ("{\"type\":\"changes\",\"after\":\"%s\",\"cursor\":\"%s\",\"has_more\":false,"
                          "\"changes\":[%s]}",
                          after, cursor, page.changes->str);
}

static gboolean
send_job_cb (gpointer data)
{
  Job *job = data;

  for (guint i = 0; i < job->targets->len; i++)
    {
      Target *target = job->targets->pdata[i];

      if (soup_websocket_connection_get_state (target->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (target->conn, target->message);
    }
  return G_SOURCE_REMOVE;
}

/* In the readers' thread. */
static void
read_job (gpointer data,
          gpointer user_data)
{
  Job *job = data;
  GMainContext *context = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) by_session = g_hash_table_new (g_str_hash, g_str_equal);
  TendPgConn *conn = tend_pg_pool_acquire (job->pool, &error);

  if (conn == NULL)
    g_warning ("Live changes not read: %s", error->message);
  for (guint i = 0; i < job->targets->len; i++)
    {
      Target *target = job->targets->pdata[i];
      const char *message = g_hash_table_lookup (by_session, target->token_hash);

      if (message == NULL)
        {
          target->message = read_for (job, conn, target->token_hash);
          g_hash_table_insert (by_session, target->token_hash, target->message);
        }
      else
        target->message = g_strdup (message);
    }
  if (conn != NULL)
    tend_pg_pool_release (job->pool, conn);
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, send_job_cb, job, (GDestroyNotify) job_free);
}

/* A push's changes (from, to] to the practice's clients here. */
static void
send_range (TendLive   *live,
            const char *practice_id,
            gint64      from,
            gint64      to)
{
  GPtrArray *list = g_hash_table_lookup (live->clients, practice_id);
  Job *job;

  if (list == NULL)
    return;
  if (live->readers == NULL || to - from > LIVE_MAX_CHANGES)
    {
      notify_practice (live, practice_id);
      return;
    }
  job = g_new0 (Job, 1);
  job->pool = live->pool;
  job->epoch = g_strdup (live->epoch);
  job->practice_id = g_strdup (practice_id);
  job->from = from;
  job->to = to;
  job->targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  for (guint i = 0; i < list->len; i++)
    {
      Client *client = list->pdata[i];
      Target *target;

      if (soup_websocket_connection_get_state (client->conn) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;
      target = g_new0 (Target, 1);
      target->conn = g_object_ref (client->conn);
      target->token_hash = g_strdup (client->token_hash);
      g_ptr_array_add (job->targets, target);
    }
  g_thread_pool_push (live->readers, job, NULL);
}

/* What arrived for one practice: a plain notice, or pushes' ranges. */
typedef struct
{
  gboolean plain;
  GArray  *ranges;   /* gint64 pairs, in the order they committed */
} Pending;

static void
pending_free (Pending *pending)
{
  g_array_unref (pending->ranges);
  g_free (pending);
}

static void
pending_add (GHashTable *practices,
             const char *payload)
{
  g_auto(GStrv) parts = g_strsplit (payload, ":", 4);
  guint n = g_strv_length (parts);
  gint64 range[2];
  Pending *pending;

  if (n < 1 || !g_uuid_string_is_valid (parts[0]))
    return;
  pending = g_hash_table_lookup (practices, parts[0]);
  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      pending->ranges = g_array_new (FALSE, FALSE, sizeof range);
      g_hash_table_insert (practices, g_strdup (parts[0]), pending);
    }
  if (n == 3 &&
      g_ascii_string_to_signed (parts[1], 10, 0, G_MAXINT64, &range[0], NULL) &&
      g_ascii_string_to_signed (parts[2], 10, 0, G_MAXINT64, &range[1], NULL) &&
      range[0] < range[1])
    {
      gint64 *last = pending->ranges->len > 0 ? &g_array_index (pending->ranges, gint64, 2 * (pending->ranges->len - 1)) : NULL;

      if (last != NULL && last[1] == range[0])
        last[1] = range[1];   /* one push after the other */
      else
        g_array_append_val (pending->ranges, range);
    }
  else
    pending->plain = TRUE;
}

static void
drop_connection (TendLive *live)
{
  if (live->watch != NULL)
    {
      g_source_destroy (live->watch);
      g_clear_pointer (&live->watch, g_source_unref);
    }
  g_clear_pointer (&live->pq, PQfinish);
}

static gboolean
on_retry_cb (gpointer data)
{
  TendLive *live = data;

  live->retry_id = 0;
  start_connect (live);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (TendLive *live)
{
  GSource *source;

  if (live->closing)
    return;
  live->retry_s = CLAMP (live->retry_s * 2, 1, MAX_RETRY_S);
  source = g_timeout_source_new_seconds (live->retry_s);
  g_source_set_callback (source, on_retry_cb, live, NULL);
  live->retry_id = g_source_attach (source, live->context);
  g_source_unref (source);
}

static gboolean
on_pg_readable_cb (gint         fd,
                   GIOCondition condition,
                   gpointer     data)
{
  TendLive *live = data;
  g_autoptr(GHashTable) practices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) pending_free);
  GHashTableIter iter;
  gpointer key, value;
  PGnotify *n;

  if (!PQconsumeInput (live->pq) || PQstatus (live->pq) != CONNECTION_OK)
    {
      g_warning ("Lost the PostgreSQL connection that listens for changes; reconnecting");
      live->watch = NULL;  /* removed by returning G_SOURCE_REMOVE */
      g_clear_pointer (&live->pq, PQfinish);
      schedule_retry (live);
      return G_SOURCE_REMOVE;
    }
  while ((n = PQnotifies (live->pq)) != NULL)
    {
      if (n->extra != NULL)
        pending_add (practices, n->extra);
      PQfreemem (n);
    }
  g_hash_table_iter_init (&iter, practices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Pending *pending = value;

      if (live->portal != NULL)
        tend_portal_live_changed (live->portal, key);
      if (pending->plain)
        notify_practice (live, key);  /* a pull takes everything */
      else
        for (guint i = 0; i < pending->ranges->len; i++)
          {
            gint64 *range = &g_array_index (pending->ranges, gint64, 2 * i);

            send_range (live, key, range[0], range[1]);
          }
    }
  return G_SOURCE_CONTINUE;
}

/* Runs in a thread: connecting can take as long as the network does. */
static void
connect_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  const char *conninfo = data;
  PGconn *pq = PQconnectdb (conninfo);
  PGresult *res;

  if (PQstatus (pq) != CONNECTION_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot connect");
      PQfinish (pq);
      return;
    }
  res = PQexec (pq, "LISTEN " TEND_LIVE_CHANNEL);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      PQclear (res);
      PQfinish (pq);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "LISTEN failed");
      return;
    }
  PQclear (res);
  g_task_return_pointer (task, pq, (GDestroyNotify) PQfinish);
}

static void
attach_watch (TendLive *live)
{
  live->watch = g_unix_fd_source_new (PQsocket (live->pq), G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (live->watch, (GSourceFunc) G_CALLBACK (on_pg_readable_cb), live, NULL);
  g_source_attach (live->watch, live->context);
}

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  TendLive *live = data;
  PGconn *pq = g_task_propagate_pointer (G_TASK (result), NULL);

  live->connecting = FALSE;
  if (live->closing)
    {
      g_clear_pointer (&pq, PQfinish);
      g_free (live->conninfo);
      g_hash_table_unref (live->clients);
      g_ptr_array_unref (live->guests);
      g_free (live);
      return;
    }
  if (pq == NULL)
    {
      schedule_retry (live);
      return;
    }
  live->pq = pq;
  live->retry_s = 0;
  attach_watch (live);
  g_message ("Listening for changes again");
  /* Anything may have happened while we were not listening. */
  notify_everyone (live);
  if (live->portal != NULL)
    tend_portal_live_changed_all (live->portal);
}

static void
start_connect (TendLive *live)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_connected_cb, live);

  live->connecting = TRUE;
  g_task_set_task_data (task, g_strdup (live->conninfo), g_free);
  g_task_run_in_thread (task, connect_thread);
}

static void
on_closed_cb (SoupWebsocketConnection *conn,
              Client                  *client)
{
  TendLive *live = client->live;
  g_autofree char *practice_id = g_strdup (client->practice_id);
  GPtrArray *list = g_hash_table_lookup (live->clients, practice_id);

  live->n_clients--;
  if (live->video != NULL)
    tend_video_relay_closed (live->video, conn);
  if (list != NULL)
    {
      g_ptr_array_remove_fast (list, client);  /* frees it */
      if (list->len == 0)
        g_hash_table_remove (live->clients, practice_id);
    }
}

static void
on_message_cb (SoupWebsocketConnection *conn,
               gint                     type,
               GBytes                  *message,
               Client                  *client)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *obj;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  g_autofree char *why = NULL;

  /* Only video signalling so far (tend-server-video.c); anything else is
   * ignored, as before. */
  if (type != SOUP_WEBSOCKET_DATA_TEXT || client->live->video == NULL)
    return;
  /* The same checks as a request body: depth, escapes, numbers, UTF-8. */
  root = tend_json_parse_request (data, length, &why);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  obj = json_node_get_object (root);
  if (g_str_has_prefix (json_object_get_string_member_with_default (obj, "type", ""), "video."))
    {
      TendVideoIdentity who = { client->practice_id, client->account_id, client->staff_id, client->name, NULL };

      tend_video_relay_message (client->live->video, conn, &who, obj);
    }
}

static void
guest_free (Guest *guest)
{
  g_signal_handlers_disconnect_by_data (guest->conn, guest);
  g_object_unref (guest->conn);
  g_free (guest->practice_id);
  g_free (guest->session_id);
  g_free (guest);
}

static void
on_guest_closed_cb (SoupWebsocketConnection *conn,
                    Guest                   *guest)
{
  TendLive *live = guest->live;

  if (live->video != NULL)
    tend_video_relay_closed (live->video, conn);
  g_ptr_array_remove_fast (live->guests, guest);  /* frees it */
}

static void
on_guest_message_cb (SoupWebsocketConnection *conn,
                     gint                     type,
                     GBytes                  *message,
                     Guest                   *guest)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *why = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  TendVideoIdentity who = { guest->practice_id, NULL, NULL, NULL, guest->session_id };

  if (type != SOUP_WEBSOCKET_DATA_TEXT || guest->live->video == NULL)
    return;
  root = tend_json_parse_request (data, length, &why);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    tend_video_relay_message (guest->live->video, conn, &who, json_node_get_object (root));
}

/**
 * tend_live_add_guest:
 *
 * @guest_id: the guest, the same across its rejoins
 * @rejoin_token: (nullable): on its first join, the token the page keeps
 *   to come back with; %NULL when it comes back
 *
 * A browser guest of one video session (its link spent, or its rejoin
 * token shown): it speaks only that session's signalling, once admitted,
 * and hears nothing of sync.
 */
void
tend_live_add_guest (TendLive                *live,
                     SoupWebsocketConnection *conn,
                     const char              *practice_id,
                     const char              *session_id,
                     const char              *guest_id,
                     const char              *rejoin_token)
{
  Guest *guest = g_new0 (Guest, 1);

  guest->live = live;
  guest->conn = g_object_ref (conn);
  guest->practice_id = g_strdup (practice_id);
  guest->session_id = g_strdup (session_id);
  g_ptr_array_add (live->guests, guest);
  soup_websocket_connection_set_keepalive_interval (conn, KEEPALIVE_S);
  soup_websocket_connection_set_max_incoming_payload_size (conn, tend_video_relay_max_message_size ());
  g_signal_connect (conn, "closed", G_CALLBACK (on_guest_closed_cb), guest);
  g_signal_connect (conn, "message", G_CALLBACK (on_guest_message_cb), guest);
  if (live->video != NULL)
    tend_video_relay_add_guest (live->video, conn, practice_id, session_id, guest_id, rejoin_token);
}

/**
 * tend_live_new:
 *
 * Opens the LISTEN connection (blocking: call it at start-up).
 */
TendLive *
tend_live_new (const char   *conninfo,
               GMainContext *context,
               GError      **error)
{
  TendLive *live = g_new0 (TendLive, 1);
  PGresult *res;

  live->conninfo = g_strdup (conninfo);
  live->context = context;
  live->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  live->guests = g_ptr_array_new_with_free_func ((GDestroyNotify) guest_free);
  live->pq = PQconnectdb (conninfo);
  res = PQstatus (live->pq) == CONNECTION_OK ? PQexec (live->pq, "LISTEN " TEND_LIVE_CHANNEL) : NULL;
  if (res == NULL || PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "Cannot open the PostgreSQL connection that listens for changes");
      PQclear (res);
      tend_live_free (live);
      return NULL;
    }
  PQclear (res);
  attach_watch (live);
  return live;
}

void
tend_live_close_all (TendLive *live)
{
  GHashTableIter iter;
  gpointer value;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, live->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *list = value;

      for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (all, g_object_ref (((Client *) list->pdata[i])->conn));
    }
  for (guint i = 0; i < live->guests->len; i++)
    g_ptr_array_add (all, g_object_ref (((Guest *) live->guests->pdata[i])->conn));
  if (live->portal != NULL)
    tend_portal_live_close_all (live->portal);
  /* "Going away": the client reconnects, to another instance if need be. */
  for (guint i = 0; i < all->len; i++)
    if (soup_websocket_connection_get_state (all->pdata[i]) == SOUP_WEBSOCKET_STATE_OPEN)
      soup_websocket_connection_close (all->pdata[i], SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server stopping");
}

void
tend_live_free (TendLive *live)
{
  if (live == NULL)
    return;
  if (live->readers != NULL)
    g_thread_pool_free (g_steal_pointer (&live->readers), FALSE, TRUE);
  g_clear_pointer (&live->portal, tend_portal_live_free);
  g_clear_pointer (&live->epoch, g_free);
  drop_connection (live);
  g_clear_handle_id (&live->retry_id, g_source_remove);
  g_hash_table_remove_all (live->clients);
  g_ptr_array_set_size (live->guests, 0);
  g_clear_pointer (&live->video, tend_video_relay_free);
  if (live->connecting)
    {
      /* The connecting thread's callback frees what is left. */
      live->closing = TRUE;
      return;
    }
  g_free (live->conninfo);
  g_hash_table_unref (live->clients);
  g_ptr_array_unref (live->guests);
  g_free (live);
}

/**
 * tend_live_add:
 *
 * @token_hash: the session's, looked up again before changes are sent
 *
 * Takes a reference on @conn and keeps it until it closes.  Sends "changes"
 * at once: the client pulls what happened while it was away.
 */
void
tend_live_add (TendLive                *live,
               SoupWebsocketConnection *conn,
               const char              *practice_id,
               const char              *account_id,
               const char              *staff_id,
               const char              *name,
               TendRole                 role,
               const char              *token_hash)
{
  Client *client = g_new0 (Client, 1);
  GPtrArray *list = g_hash_table_lookup (live->clients, practice_id);

  client->live = live;
  client->conn = g_object_ref (conn);
  client->practice_id = g_strdup (practice_id);
  client->account_id = g_strdup (account_id);
  client->staff_id = g_strdup (staff_id);
  client->name = g_strdup (name);
  client->role = role;
  client->token_hash = g_strdup (token_hash);
  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
      g_hash_table_insert (live->clients, g_strdup (practice_id), list);
    }
  g_ptr_array_add (list, client);
  live->n_clients++;
  soup_websocket_connection_set_keepalive_interval (conn, KEEPALIVE_S);
  soup_websocket_connection_set_max_incoming_payload_size (conn, tend_video_relay_max_message_size ());
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed_cb), client);
  g_signal_connect (conn, "message", G_CALLBACK (on_message_cb), client);
  soup_websocket_connection_send_text (conn, changes_message);
}

/* Video signalling is relayed, and pushes' changes read, once the live
 * channel has a pool to check joins and read changes with; @epoch is the
 * database's, for the cursors. */
void
tend_live_set_pool (TendLive         *live,
                    TendPgPool       *pool,
                    TendServerConfig *config,
                    const char       *epoch)
{
  g_clear_pointer (&live->video, tend_video_relay_free);
  live->video = tend_video_relay_new (pool, config, live->context);
  live->pool = pool;
  g_free (live->epoch);
  live->epoch = g_strdup (epoch);
  if (live->readers == NULL)
    live->readers = g_thread_pool_new (read_job, live->context, 1, FALSE, NULL);
  if (live->portal == NULL)
    live->portal = tend_portal_live_new (pool, live->context);
}

/* The portal's event streams (%NULL until tend_live_set_pool ()). */
TendPortalLive *
tend_live_get_portal (TendLive *live)
{
  return live->portal;
}

guint
tend_live_count (TendLive *live)
{
  return live->n_clients;
}
