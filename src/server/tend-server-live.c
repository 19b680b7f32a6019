/* tend-server-live.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /v1/live is a WebSocket that tells a signed-in client "changes are
 * waiting, pull" ({"type":"changes"}); it never carries records.  The
 * client pulls once when it connects (the server sends "changes" at once,
 * for what happened while it was away) and again on each message.
 *
 * Instances share only PostgreSQL, so the event crosses instances there: a
 * push that applied something runs pg_notify('tend_changes', practice_id)
 * inside its transaction (delivered at COMMIT), and every instance holds a
 * dedicated connection that LISTENs, watched by a GSource on its socket on
 * the server's main context.  Notifications that arrive together are
 * coalesced per practice.  If that connection drops, it is reopened in a
 * thread (with a growing delay) and every client is told to pull, since
 * notifications may have been lost meanwhile.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <glib-unix.h>
#include <libpq-fe.h>

#include "tend-server-live.h"
#include "tend-server-sync.h"
#include "tend-server-video.h"

#define KEEPALIVE_S 30
#define MAX_RETRY_S 30

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
} Client;

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
  g_autoptr(GHashTable) practices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
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
      if (n->extra != NULL && g_uuid_string_is_valid (n->extra))
        g_hash_table_add (practices, g_strdup (n->extra));
      PQfreemem (n);
    }
  g_hash_table_iter_init (&iter, practices);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    notify_practice (live, key);
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
 * A browser guest of one video session (its link spent): it speaks only
 * that session's signalling, once admitted, and hears nothing of sync.
 */
void
tend_live_add_guest (TendLive                *live,
                     SoupWebsocketConnection *conn,
                     const char              *practice_id,
                     const char              *session_id)
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
    tend_video_relay_add_guest (live->video, conn, practice_id, session_id);
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
               TendRole                 role)
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

/* Video signalling is relayed once the live channel has a pool to check
 * joins with. */
void
tend_live_set_pool (TendLive         *live,
                    TendPgPool       *pool,
                    TendServerConfig *config)
{
  g_clear_pointer (&live->video, tend_video_relay_free);
  live->video = tend_video_relay_new (pool, config, live->context);
}

guint
tend_live_count (TendLive *live)
{
  return live->n_clients;
}
