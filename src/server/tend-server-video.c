/* tend-server-video.c: video session signalling over the live WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server only relays: offers, answers, ICE candidates, mute state and
 * hang-ups go from one participant's socket to another's, and media never
 * passes through here.  A socket joins a session's room with
 * {"type":"video.join","session_id":...}; the join is checked in a thread
 * against the stored video_session record, for the authenticated person
 * (the socket's account and staff id, never anything in the message): the
 * person must be in the record's audience (its participants) and the
 * session must not have ended.  Then, and only then, the socket gets a
 * peer id, and messages it addresses to another peer of the same room are
 * forwarded with the sender's peer id added by the server.  Anything else
 * is answered with a "video.error".  Joins, leaves and admissions are
 * audited.  A room holds at most TEND_VIDEO_SESSION_MAX_PARTICIPANTS
 * sockets.
 *
 * Rooms live in this instance's memory: the participants of one session
 * must reach the same instance (docs/deploy.md).
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-ice.h"
#include "tend-server-video.h"

/* An SDP offer with many candidates is a few kilobytes. */
#define MAX_MESSAGE_BYTES (64 * 1024)

struct _TendVideoRelay
{
  TendPgPool       *pool;
  TendServerConfig *config;   /* the server's: STUN and TURN */
  GMainContext     *context;
  GHashTable   *rooms;     /* "practice/session" -> Room */
  gboolean      closing;
  guint         pending;   /* lookups in threads */
};

typedef struct
{
  char                    *peer_id;
  SoupWebsocketConnection *conn;
  char                    *account_id;
  char                    *staff_id;
  char                    *name;
  gboolean                 guest;       /* a browser guest, from a join link */
  char                    *guest_id;    /* that guest, the same across its rejoins */
} RoomPeer;

typedef struct
{
  char      *key;
  char      *practice_id;
  char      *session_id;
  char      *host_id;     /* from the record, once a participant joined */
  GPtrArray *peers;       /* RoomPeer */
  GPtrArray *waiting;     /* RoomPeer: guests not admitted yet */
  GHashTable *admitted;   /* guest ids the host has admitted: they come back in by themselves */
} Room;

static void
room_peer_free (RoomPeer *peer)
{
  g_free (peer->peer_id);
  g_clear_object (&peer->conn);
  g_free (peer->account_id);
  g_free (peer->staff_id);
  g_free (peer->name);
  g_free (peer->guest_id);
  g_free (peer);
}

static void
room_free (Room *room)
{
  g_free (room->key);
  g_free (room->practice_id);
  g_free (room->session_id);
  g_free (room->host_id);
  g_ptr_array_unref (room->peers);
  g_ptr_array_unref (room->waiting);
  g_hash_table_unref (room->admitted);
  g_free (room);
}

static void
send_node (SoupWebsocketConnection *conn,
           JsonBuilder             *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  if (soup_websocket_connection_get_state (conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  soup_websocket_connection_send_text (conn, text);
}

static JsonBuilder *
begin_message (const char *type,
               const char *session_id)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  if (session_id != NULL)
    {
      json_builder_set_member_name (b, "session_id");
      json_builder_add_string_value (b, session_id);
    }
  return b;
}

static void
send_error (SoupWebsocketConnection *conn,
            const char              *session_id,
            const char              *code,
            const char              *message)
{
  g_autoptr(JsonBuilder) b = begin_message ("video.error", session_id);

  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  send_node (conn, b);
}

static void
add_peer_object (JsonBuilder *b,
                 RoomPeer    *peer)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "peer_id");
  json_builder_add_string_value (b, peer->peer_id);
  json_builder_set_member_name (b, "staff_id");
  if (peer->staff_id != NULL)
    json_builder_add_string_value (b, peer->staff_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "guest");
  json_builder_add_boolean_value (b, peer->guest);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, peer->name);
  json_builder_end_object (b);
}

static char *
room_key (const char *practice_id,
          const char *session_id)
{
  return g_strconcat (practice_id, "/", session_id, NULL);
}

static RoomPeer *
find_peer_by_conn (Room                    *room,
                   SoupWebsocketConnection *conn)
{
  for (guint i = 0; room != NULL && i < room->peers->len; i++)
    {
      RoomPeer *peer = room->peers->pdata[i];

      if (peer->conn == conn)
        return peer;
    }
  return NULL;
}

static RoomPeer *
find_in (GPtrArray               *list,
         SoupWebsocketConnection *conn,
         const char              *peer_id)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      RoomPeer *peer = list->pdata[i];

      if ((conn != NULL && peer->conn == conn) || (peer_id != NULL && g_strcmp0 (peer->peer_id, peer_id) == 0))
        return peer;
    }
  return NULL;
}

static RoomPeer *
find_peer_by_id (Room       *room,
                 const char *peer_id)
{
  for (guint i = 0; room != NULL && i < room->peers->len; i++)
    {
      RoomPeer *peer = room->peers->pdata[i];

      if (g_strcmp0 (peer->peer_id, peer_id) == 0)
        return peer;
    }
  return NULL;
}

/* Audit rows, written in a thread (fire and forget: a failure is logged
 * by its SQLSTATE only). */

typedef struct
{
  TendPgPool *pool;
  char       *practice_id;
  char       *account_id;
  char       *action;
  char       *session_id;
} AuditRow;

static void
audit_row_free (AuditRow *row)
{
  g_free (row->practice_id);
  g_free (row->account_id);
  g_free (row->action);
  g_free (row->session_id);
  g_free (row);
}

static gboolean
write_audit (TendPgConn  *conn,
             AuditRow    *row,
             GError     **error)
{
  const char *params[] = { row->practice_id, row->account_id, row->action, row->session_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "INSERT INTO audit (practice_id, account_id, action, record_type, record_id)"
                                          " VALUES ($1, $2, $3, 'video_session', $4)",
                                          4, params, error);

  return res != NULL;
}

static void
audit_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  AuditRow *row = data;
  g_autoptr(GError) error = NULL;
  TendPgConn *conn = tend_pg_pool_acquire (row->pool, &error);

  if (conn != NULL)
    {
      write_audit (conn, row, &error);
      tend_pg_pool_release (row->pool, conn);
    }
  if (error != NULL)
    g_warning ("Video audit row not written: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_audit_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  TendVideoRelay *relay = data;

  relay->pending--;
  if (relay->closing && relay->pending == 0)
    tend_video_relay_free (relay);
}

static void
audit_async (TendVideoRelay *relay,
             const char     *practice_id,
             const char     *account_id,
             const char     *action,
             const char     *session_id)
{
  /* GTask is not a GObject source here: the relay is a plain struct. */
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_audit_done_cb, relay);
  AuditRow *row = g_new0 (AuditRow, 1);

  row->pool = relay->pool;
  row->practice_id = g_strdup (practice_id);
  row->account_id = g_strdup (account_id);
  row->action = g_strdup (action);
  row->session_id = g_strdup (session_id);
  g_task_set_task_data (task, row, (GDestroyNotify) audit_row_free);
  relay->pending++;
  g_task_run_in_thread (task, audit_thread);
}

/* Leaving */

static Room *
ensure_room (TendVideoRelay *relay,
             const char     *practice_id,
             const char     *session_id)
{
  g_autofree char *key = room_key (practice_id, session_id);
  Room *room = g_hash_table_lookup (relay->rooms, key);

  if (room == NULL)
    {
      room = g_new0 (Room, 1);
      room->key = g_steal_pointer (&key);
      room->practice_id = g_strdup (practice_id);
      room->session_id = g_strdup (session_id);
      room->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) room_peer_free);
      room->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) room_peer_free);
      room->admitted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (relay->rooms, room->key, room);
    }
  return room;
}

/* @peer joins @room's call: it learns who is there and the relays it may
 * use (with credentials of its own), they learn of it. */
static void
enter_room (TendVideoRelay *relay,
            Room           *room,
            RoomPeer       *peer)
{
  {
    g_autoptr(JsonBuilder) b = begin_message ("video.joined", room->session_id);

    json_builder_set_member_name (b, "peer_id");
    json_builder_add_string_value (b, peer->peer_id);
    tend_ice_add_servers (b, relay->config, peer->guest ? "guest" : peer->staff_id, g_get_real_time () / G_USEC_PER_SEC);
    json_builder_set_member_name (b, "peers");
    json_builder_begin_array (b);
    for (guint i = 0; i < room->peers->len; i++)
      add_peer_object (b, room->peers->pdata[i]);
    json_builder_end_array (b);
    json_builder_end_object (b);
    send_node (peer->conn, b);
  }
  for (guint i = 0; i < room->peers->len; i++)
    {
      RoomPeer *other = room->peers->pdata[i];
      g_autoptr(JsonBuilder) b = begin_message ("video.peer-joined", room->session_id);

      json_builder_set_member_name (b, "peer");
      add_peer_object (b, peer);
      json_builder_end_object (b);
      send_node (other->conn, b);
    }
  g_ptr_array_add (room->peers, peer);
}

/* Tells the room's staff that a guest waits. */
static void
announce_waiting (RoomPeer *guest,
                  Room     *room,
                  RoomPeer *to)
{
  g_autoptr(JsonBuilder) b = begin_message ("video.waiting", room->session_id);

  json_builder_set_member_name (b, "guest_id");
  json_builder_add_string_value (b, guest->peer_id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, guest->name);
  json_builder_end_object (b);
  send_node (to->conn, b);
}

static void
leave_room (TendVideoRelay *relay,
            Room           *room,
            RoomPeer       *peer)
{
  g_autofree char *peer_id = g_strdup (peer->peer_id);

  audit_async (relay, room->practice_id, peer->account_id, peer->guest ? "video-guest-leave" : "video-leave",
               room->session_id);
  if (!g_ptr_array_remove (room->peers, peer))  /* frees it */
    g_ptr_array_remove (room->waiting, peer);
  for (guint i = 0; i < room->peers->len; i++)
    {
      RoomPeer *other = room->peers->pdata[i];
      g_autoptr(JsonBuilder) b = begin_message ("video.peer-left", room->session_id);

      json_builder_set_member_name (b, "peer_id");
      json_builder_add_string_value (b, peer_id);
      json_builder_end_object (b);
      send_node (other->conn, b);
    }
  if (room->peers->len == 0 && room->waiting->len == 0)
    g_hash_table_remove (relay->rooms, room->key);
}

/* Joining: the check runs in a thread */

typedef struct
{
  TendVideoRelay          *relay;
  SoupWebsocketConnection *conn;
  char                    *practice_id;
  char                    *account_id;
  char                    *staff_id;
  char                    *name;
  char                    *session_id;
  char                    *host_id;
  const char              *refused_code;
  const char              *refused_message;
} Join;

static void
join_free (Join *join)
{
  g_clear_object (&join->conn);
  g_free (join->practice_id);
  g_free (join->account_id);
  g_free (join->staff_id);
  g_free (join->name);
  g_free (join->session_id);
  g_free (join->host_id);
  g_free (join);
}

static void
join_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Join *join = data;
  g_autoptr(GError) error = NULL;
  TendPgConn *conn = tend_pg_pool_acquire (join->relay->pool, &error);
  g_autoptr(PGresult) res = NULL;

  if (conn == NULL)
    {
      join->refused_code = "unavailable";
      join->refused_message = "The database cannot be reached: try again shortly";
      g_task_return_boolean (task, TRUE);
      return;
    }
  {
    /* Who the person is comes from the socket's session; the audience is
     * what the server computed from the stored record when it was written. */
    const char *params[] = { join->practice_id, join->session_id, join->staff_id };

    res = tend_pg_exec (conn,
                        "SELECT body::jsonb ->> 'ended_at' IS NOT NULL, body::jsonb ->> 'host_id' FROM record"
                        " WHERE practice_id = $1 AND type = 'video_session' AND id = $2 AND NOT deleted"
                        " AND $3::uuid = ANY (audience)",
                        3, params, &error);
  }
  if (res == NULL)
    {
      join->refused_code = "internal";
      join->refused_message = "The server could not check the session";
    }
  else if (PQntuples (res) == 0)
    {
      join->refused_code = "not_participant";
      join->refused_message = "There is no such video session, or you are not one of its participants";
    }
  else if (tend_pg_get_bool (res, 0, 0))
    {
      join->refused_code = "ended";
      join->refused_message = "This video session has ended";
    }
  else
    {
      AuditRow row = { NULL, join->practice_id, join->account_id, (char *) "video-join", join->session_id };

      join->host_id = tend_pg_dup_value (res, 0, 1);

      write_audit (conn, &row, &error);
    }
  if (error != NULL)
    g_warning ("Video join check: %s", error->message);
  tend_pg_pool_release (join->relay->pool, conn);
  g_task_return_boolean (task, TRUE);
}

static void
on_join_checked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      data)
{
  TendVideoRelay *relay = data;
  Join *join = g_task_get_task_data (G_TASK (result));
  Room *room;
  RoomPeer *peer;

  relay->pending--;
  if (relay->closing)
    {
      if (relay->pending == 0)
        tend_video_relay_free (relay);
      return;
    }
  if (soup_websocket_connection_get_state (join->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  if (join->refused_code != NULL)
    {
      send_error (join->conn, join->session_id, join->refused_code, join->refused_message);
      return;
    }

  room = ensure_room (relay, join->practice_id, join->session_id);
  if (room->host_id == NULL)
    room->host_id = g_strdup (join->host_id);
  if (find_peer_by_conn (room, join->conn) != NULL)
    {
      send_error (join->conn, join->session_id, "already_joined", "This connection has already joined the session");
      return;
    }
  if (room->peers->len >= TEND_VIDEO_SESSION_MAX_PARTICIPANTS)
    {
      send_error (join->conn, join->session_id, "session_full", "The video session already has four participants");
      return;
    }

  peer = g_new0 (RoomPeer, 1);
  peer->peer_id = g_uuid_string_random ();
  peer->conn = g_object_ref (join->conn);
  peer->account_id = g_strdup (join->account_id);
  peer->staff_id = g_strdup (join->staff_id);
  peer->name = g_strdup (join->name);

  enter_room (join->relay, room, peer);
  for (guint i = 0; i < room->waiting->len; i++)
    announce_waiting (room->waiting->pdata[i], room, peer);
}

static void
handle_join (TendVideoRelay          *relay,
             SoupWebsocketConnection *conn,
             const TendVideoIdentity *who,
             const char              *session_id)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_join_checked_cb, relay);
  Join *join = g_new0 (Join, 1);

  join->relay = relay;
  join->conn = g_object_ref (conn);
  join->practice_id = g_strdup (who->practice_id);
  join->account_id = g_strdup (who->account_id);
  join->staff_id = g_strdup (who->staff_id);
  join->name = g_strdup (who->name);
  join->session_id = g_strdup (session_id);
  g_task_set_task_data (task, join, (GDestroyNotify) join_free);
  relay->pending++;
  g_task_run_in_thread (task, join_thread);
}

/* Relaying */

static void
handle_signal (TendVideoRelay          *relay,
               SoupWebsocketConnection *conn,
               const TendVideoIdentity *who,
               const char              *session_id,
               JsonObject              *message)
{
  g_autofree char *key = room_key (who->practice_id, session_id);
  Room *room = g_hash_table_lookup (relay->rooms, key);
  RoomPeer *from = find_peer_by_conn (room, conn);
  RoomPeer *to;
  JsonNode *data = json_object_get_member (message, "data");
  const char *to_id = json_object_get_string_member_with_default (message, "to", NULL);
  g_autoptr(GError) error = NULL;

  if (from == NULL)
    {
      send_error (conn, session_id, "not_joined", "Join the video session before sending to it");
      return;
    }
  to = find_peer_by_id (room, to_id);
  if (to == NULL || to == from)
    {
      send_error (conn, session_id, "no_such_peer", "No such participant is in the video session");
      return;
    }
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data) || !tend_json_node_check (data, "data", &error))
    {
      send_error (conn, session_id, "invalid_message",
                  error != NULL ? error->message : "A signal carries its data as an object");
      return;
    }
  {
    g_autoptr(JsonBuilder) b = begin_message ("video.signal", session_id);

    json_builder_set_member_name (b, "from");
    json_builder_add_string_value (b, from->peer_id);
    json_builder_set_member_name (b, "data");
    json_builder_add_value (b, json_node_copy (data));
    json_builder_end_object (b);
    send_node (to->conn, b);
  }
}

/* The host lets a waiting guest in: the guest becomes a peer, and those
 * already there offer to it. */
static void
handle_admit (TendVideoRelay          *relay,
              SoupWebsocketConnection *conn,
              const TendVideoIdentity *who,
              const char              *session_id,
              JsonObject              *message)
{
  g_autofree char *key = room_key (who->practice_id, session_id);
  Room *room = g_hash_table_lookup (relay->rooms, key);
  RoomPeer *host = find_peer_by_conn (room, conn);
  RoomPeer *guest = room != NULL
                    ? find_in (room->waiting, NULL, json_object_get_string_member_with_default (message, "guest_id", ""))
                    : NULL;

  if (host == NULL || g_strcmp0 (room->host_id, who->staff_id) != 0)
    {
      send_error (conn, session_id, "not_host", "Only the session's host admits from the waiting room");
      return;
    }
  if (guest == NULL)
    {
      send_error (conn, session_id, "no_such_peer", "No such guest is waiting");
      return;
    }
  if (room->peers->len >= TEND_VIDEO_SESSION_MAX_PARTICIPANTS)
    {
      send_error (conn, session_id, "session_full", "The video session already has four participants");
      return;
    }
  audit_async (relay, room->practice_id, who->account_id, "video-admit", room->session_id);
  {
    /* Moved, not copied: out of the waiting list without freeing it. */
    guint index;

    if (g_ptr_array_find (room->waiting, guest, &index))
      g_ptr_array_steal_index (room->waiting, index);
  }
  if (guest->guest_id != NULL)
    g_hash_table_add (room->admitted, g_strdup (guest->guest_id));
  enter_room (relay, room, guest);
}

/* Public API */

TendVideoRelay *
tend_video_relay_new (TendPgPool       *pool,
                      TendServerConfig *config,
                      GMainContext     *context)
{
  TendVideoRelay *relay = g_new0 (TendVideoRelay, 1);

  relay->pool = pool;
  relay->config = config;
  relay->context = context;
  relay->rooms = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) room_free);
  return relay;
}

/* Lookups still running finish first (they hold the relay). */
void
tend_video_relay_free (TendVideoRelay *relay)
{
  if (relay == NULL)
    return;
  g_hash_table_remove_all (relay->rooms);
  if (relay->pending > 0)
    {
      relay->closing = TRUE;
      return;
    }
  g_hash_table_unref (relay->rooms);
  g_free (relay);
}

/**
 * tend_video_relay_message:
 * @who: the socket's authenticated person
 * @message: a parsed message whose type starts with "video."
 */
void
tend_video_relay_message (TendVideoRelay          *relay,
                          SoupWebsocketConnection *conn,
                          const TendVideoIdentity *who,
                          JsonObject              *message)
{
  const char *type = json_object_get_string_member_with_default (message, "type", "");
  const char *session_id = json_object_get_string_member_with_default (message, "session_id", NULL);

  if (session_id == NULL || !g_uuid_string_is_valid (session_id))
    {
      send_error (conn, NULL, "invalid_message", "A video message names its session_id (a UUID)");
      return;
    }
  /* A guest speaks in its own session only, and cannot join, admit or
   * name anyone: it was put in the waiting room when it connected. */
  if (who->guest_session_id != NULL)
    {
      if (strcmp (session_id, who->guest_session_id) != 0 ||
          (strcmp (type, "video.signal") != 0 && strcmp (type, "video.leave") != 0))
        {
          send_error (conn, session_id, "invalid_message", "A guest only signals in its own session");
          return;
        }
    }
  else if (who->staff_id == NULL)
    {
      send_error (conn, session_id, "not_participant", "This account is not on the practice's staff");
      return;
    }
  if (strcmp (type, "video.join") == 0)
    handle_join (relay, conn, who, session_id);
  else if (strcmp (type, "video.signal") == 0)
    handle_signal (relay, conn, who, session_id, message);
  else if (strcmp (type, "video.admit") == 0)
    handle_admit (relay, conn, who, session_id, message);
  else if (strcmp (type, "video.leave") == 0)
    {
      g_autofree char *key = room_key (who->practice_id, session_id);
      Room *room = g_hash_table_lookup (relay->rooms, key);
      RoomPeer *peer = find_peer_by_conn (room, conn);

      if (peer != NULL)
        leave_room (relay, room, peer);
    }
  else
    send_error (conn, session_id, "invalid_message", "Unknown video message type");
}

/* The guest @guest_id's earlier socket in @room, if it is still there
 * (a dropped connection the server has not noticed yet). */
static RoomPeer *
find_guest (Room       *room,
            const char *guest_id)
{
  GPtrArray *lists[] = { room->peers, room->waiting };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        RoomPeer *peer = lists[l]->pdata[i];

        if (peer->guest && g_strcmp0 (peer->guest_id, guest_id) == 0)
          return peer;
      }
  return NULL;
}

/**
 * tend_video_relay_add_guest:
 * @rejoin_token: (nullable): on the guest's first join, the token its page
 *   keeps to come back with (sent in "video.waiting"); %NULL when it comes
 *   back with it
 *
 * A browser guest whose link was just spent waits in its session's room
 * until the host admits it.  A guest coming back (its rejoin token shown)
 * replaces its own earlier socket, if the server still holds it, and goes
 * straight into the call if the host had admitted it and the room is
 * still there; otherwise it waits again.
 */
void
tend_video_relay_add_guest (TendVideoRelay          *relay,
                            SoupWebsocketConnection *conn,
                            const char              *practice_id,
                            const char              *session_id,
                            const char              *guest_id,
                            const char              *rejoin_token)
{
  Room *room = ensure_room (relay, practice_id, session_id);
  RoomPeer *guest = g_new0 (RoomPeer, 1);
  RoomPeer *earlier = find_guest (room, guest_id);
  gboolean admitted = rejoin_token == NULL && g_hash_table_contains (room->admitted, guest_id);
  g_autoptr(JsonBuilder) b = NULL;

  guest->peer_id = g_uuid_string_random ();
  guest->conn = g_object_ref (conn);
  guest->name = g_strdup ("Client");
  guest->guest = TRUE;
  guest->guest_id = g_strdup (guest_id);
  if (earlier != NULL)
    {
      g_autoptr(SoupWebsocketConnection) old = g_object_ref (earlier->conn);

      leave_room (relay, room, earlier);  /* may drop the room, if that was all of it */
      soup_websocket_connection_close (old, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "rejoined elsewhere");
      room = ensure_room (relay, practice_id, session_id);
    }
  audit_async (relay, practice_id, NULL, rejoin_token == NULL ? "video-guest-rejoin" : "video-guest-join", session_id);
  if (admitted && room->peers->len < TEND_VIDEO_SESSION_MAX_PARTICIPANTS)
    {
      g_hash_table_add (room->admitted, g_strdup (guest_id));
      enter_room (relay, room, guest);
      return;
    }
  g_ptr_array_add (room->waiting, guest);
  b = begin_message ("video.waiting", session_id);
  if (rejoin_token != NULL)
    {
      json_builder_set_member_name (b, "guest_id");
      json_builder_add_string_value (b, guest_id);
      json_builder_set_member_name (b, "rejoin_token");
      json_builder_add_string_value (b, rejoin_token);
    }
  json_builder_end_object (b);
  send_node (conn, b);
  for (guint i = 0; i < room->peers->len; i++)
    announce_waiting (guest, room, room->peers->pdata[i]);
}

/* The socket closed: it leaves every room it was in. */
void
tend_video_relay_closed (TendVideoRelay          *relay,
                         SoupWebsocketConnection *conn)
{
  g_autoptr(GPtrArray) rooms = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, relay->rooms);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (find_in (((Room *) value)->peers, conn, NULL) != NULL || find_in (((Room *) value)->waiting, conn, NULL) != NULL)
      g_ptr_array_add (rooms, value);
  for (guint i = 0; i < rooms->len; i++)
    {
      Room *room = rooms->pdata[i];
      RoomPeer *peer = find_in (room->peers, conn, NULL);

      leave_room (relay, room, peer != NULL ? peer : find_in (room->waiting, conn, NULL));
    }
}

gsize
tend_video_relay_max_message_size (void)
{
  return MAX_MESSAGE_BYTES;
}
