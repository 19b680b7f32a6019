/* tend-video-link.c: one video session's signalling over the live WebSocket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The live socket (GET /v1/live) carries "changes" for sync and, once a
 * link is attached, one video session's messages (docs/api.md, "Video
 * sessions"): the link joins the session, says who is there ("peer-added":
 * those already there are offered to by the newcomer's peers, so a peer
 * that was there first makes the offer), passes the peers' signals on and
 * sends the call's.  When the socket closes the link says "lost"; attach
 * the next socket and it joins again.  The link knows nothing of media:
 * the app connects it to a TendCall.
 */
#define G_LOG_DOMAIN "tend-sync"

#include "config.h"

#include <json-glib/json-glib.h>

#include "tend-video-link.h"

struct _TendVideoLink
{
  GObject                  parent_instance;

  char                    *session_id;
  char                    *peer_id;
  JsonArray               *ice_servers;   /* from the last "video.joined" */
  gboolean                 relay_only;    /* its "ice_transport_policy" is "relay" */
  SoupWebsocketConnection *connection;
  gboolean                 left;
};

G_DEFINE_FINAL_TYPE (TendVideoLink, tend_video_link, G_TYPE_OBJECT)

enum {
  JOINED,
  PEER_ADDED,
  PEER_LEFT,
  SIGNAL,
  FAILED,
  LOST,
  GUEST_WAITING,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
send_object (TendVideoLink *self,
             JsonBuilder   *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  if (self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  soup_websocket_connection_send_text (self->connection, text);
}

static JsonBuilder *
begin (TendVideoLink *self,
       const char    *type)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "session_id");
  json_builder_add_string_value (b, self->session_id);
  return b;
}

static void
emit_peer (TendVideoLink *self,
           JsonNode      *peer,
           gboolean       make_offer)
{
  JsonObject *obj;
  const char *id;

  if (peer == NULL || !JSON_NODE_HOLDS_OBJECT (peer))
    return;
  obj = json_node_get_object (peer);
  id = json_object_get_string_member_with_default (obj, "peer_id", NULL);
  if (id != NULL)
    g_signal_emit (self, signals[PEER_ADDED], 0, id,
                   json_object_get_string_member_with_default (obj, "name", NULL), make_offer);
}

static void
on_message_cb (SoupWebsocketConnection *connection,
               gint                     type,
               GBytes                  *message,
               TendVideoLink           *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  JsonObject *obj;
  const char *kind;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || !json_parser_load_from_data (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  obj = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (obj, "session_id", NULL), self->session_id) != 0)
    return;
  kind = json_object_get_string_member_with_default (obj, "type", "");

  if (g_str_equal (kind, "video.joined"))
    {
      JsonNode *peers = json_object_get_member (obj, "peers");

      g_free (self->peer_id);
      self->peer_id = g_strdup (json_object_get_string_member_with_default (obj, "peer_id", NULL));
      g_clear_pointer (&self->ice_servers, json_array_unref);
      if (json_object_has_member (obj, "ice_servers") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (obj, "ice_servers")))
        self->ice_servers = json_array_ref (json_object_get_array_member (obj, "ice_servers"));
      self->relay_only = g_strcmp0 (json_object_get_string_member_with_default (obj, "ice_transport_policy", NULL),
                                    "relay") == 0;
      g_signal_emit (self, signals[JOINED], 0);
      /* Those already there offer to us. */
      if (peers != NULL && JSON_NODE_HOLDS_ARRAY (peers))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (peers)); i++)
          emit_peer (self, json_array_get_element (json_node_get_array (peers), i), FALSE);
    }
  else if (g_str_equal (kind, "video.peer-joined"))
    emit_peer (self, json_object_get_member (obj, "peer"), TRUE);
  else if (g_str_equal (kind, "video.peer-left"))
    {
      const char *id = json_object_get_string_member_with_default (obj, "peer_id", NULL);

      if (id != NULL)
        g_signal_emit (self, signals[PEER_LEFT], 0, id);
    }
  else if (g_str_equal (kind, "video.signal"))
    {
      const char *from = json_object_get_string_member_with_default (obj, "from", NULL);
      JsonNode *payload = json_object_get_member (obj, "data");

      if (from != NULL && payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
        g_signal_emit (self, signals[SIGNAL], 0, from, payload);
    }
  else if (g_str_equal (kind, "video.waiting"))
    {
      const char *guest = json_object_get_string_member_with_default (obj, "guest_id", NULL);

      if (guest != NULL)
        g_signal_emit (self, signals[GUEST_WAITING], 0, guest,
                       json_object_get_string_member_with_default (obj, "name", NULL));
    }
  else if (g_str_equal (kind, "video.error"))
    g_signal_emit (self, signals[FAILED], 0,
                   json_object_get_string_member_with_default (obj, "code", ""),
                   json_object_get_string_member_with_default (obj, "message", ""));
}

static void
detach (TendVideoLink *self)
{
  if (self->connection == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
}

static void
on_closed_cb (SoupWebsocketConnection *connection,
              TendVideoLink           *self)
{
  detach (self);
  g_clear_pointer (&self->peer_id, g_free);
  if (!self->left)
    g_signal_emit (self, signals[LOST], 0);
}

static void
tend_video_link_dispose (GObject *object)
{
  TendVideoLink *self = TEND_VIDEO_LINK (object);

  detach (self);
  G_OBJECT_CLASS (tend_video_link_parent_class)->dispose (object);
}

static void
tend_video_link_finalize (GObject *object)
{
  TendVideoLink *self = TEND_VIDEO_LINK (object);

  g_free (self->session_id);
  g_free (self->peer_id);
  g_clear_pointer (&self->ice_servers, json_array_unref);
  G_OBJECT_CLASS (tend_video_link_parent_class)->finalize (object);
}

static void
tend_video_link_class_init (TendVideoLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_video_link_dispose;
  object_class->finalize = tend_video_link_finalize;

  signals[JOINED] = g_signal_new ("joined", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TendVideoLink::peer-added:
   * @peer_id: the server's id for the peer
   * @name: (nullable): the peer's name
   * @make_offer: whether this side makes the offer (the peer is new)
   */
  signals[PEER_ADDED] = g_signal_new ("peer-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 3,
                                      G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[PEER_LEFT] = g_signal_new ("peer-left", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TendVideoLink::signal:
   * @from: the sender's peer id, as the server says
   * @data: the JSON object the sender's call emitted
   */
  signals[SIGNAL] = g_signal_new ("signal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_NODE);
  /* The server refused something: (code, message). */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* A guest (the client, from a join link) waits: (guest id, name). */
  signals[GUEST_WAITING] = g_signal_new ("guest-waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* The socket closed: attach another to rejoin. */
  signals[LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_video_link_init (TendVideoLink *self)
{
}

TendVideoLink *
tend_video_link_new (const char *session_id)
{
  TendVideoLink *self;

  g_return_val_if_fail (session_id != NULL, NULL);
  self = g_object_new (TEND_TYPE_VIDEO_LINK, NULL);
  self->session_id = g_strdup (session_id);
  return self;
}

const char *
tend_video_link_get_session_id (TendVideoLink *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_LINK (self), NULL);
  return self->session_id;
}

/* Returns: (nullable): this side's peer id while joined */
const char *
tend_video_link_get_peer_id (TendVideoLink *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_LINK (self), NULL);
  return self->peer_id;
}

/**
 * tend_video_link_get_ice_servers:
 *
 * The STUN and TURN servers the server gave when the session was joined
 * (RTCPeerConnection's iceServers form, with this person's short-lived
 * TURN credentials): set them on the call in "joined", before any peer.
 *
 * Returns: (nullable) (transfer none): the list, or %NULL before joining
 */
JsonArray *
tend_video_link_get_ice_servers (TendVideoLink *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_LINK (self), NULL);
  return self->ice_servers;
}

/**
 * tend_video_link_get_relay_only:
 *
 * Whether the server's configuration sends every call through its TURN
 * relay (turn-relay-only), from the last "video.joined".
 */
gboolean
tend_video_link_get_relay_only (TendVideoLink *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_LINK (self), FALSE);
  return self->relay_only;
}

/**
 * tend_video_link_attach:
 * @connection: an open live socket (it may also carry sync's messages)
 *
 * Joins the session through @connection.
 */
void
tend_video_link_attach (TendVideoLink           *self,
                        SoupWebsocketConnection *connection)
{
  g_autoptr(JsonBuilder) b = NULL;

  g_return_if_fail (TEND_IS_VIDEO_LINK (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  detach (self);
  self->left = FALSE;
  self->connection = g_object_ref (connection);
  g_signal_connect (connection, "message", G_CALLBACK (on_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed_cb), self);
  b = begin (self, "video.join");
  json_builder_end_object (b);
  send_object (self, b);
}

/**
 * tend_video_link_send:
 * @data: a JSON object (a TendCall's "signal-out" text)
 */
void
tend_video_link_send (TendVideoLink *self,
                      const char    *peer_id,
                      const char    *data)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (TEND_IS_VIDEO_LINK (self));
  node = json_from_string (data, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  b = begin (self, "video.signal");
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, peer_id);
  json_builder_set_member_name (b, "data");
  json_builder_add_value (b, g_steal_pointer (&node));
  json_builder_end_object (b);
  send_object (self, b);
}

/* Leaves the session; the socket stays open for sync. */
void
tend_video_link_leave (TendVideoLink *self)
{
  g_autoptr(JsonBuilder) b = NULL;

  g_return_if_fail (TEND_IS_VIDEO_LINK (self));
  self->left = TRUE;
  b = begin (self, "video.leave");
  json_builder_end_object (b);
  send_object (self, b);
  detach (self);
}

/* Lets a waiting guest in (the host only: the server checks). */
void
tend_video_link_admit (TendVideoLink *self,
                       const char    *guest_id)
{
  g_autoptr(JsonBuilder) b = NULL;

  g_return_if_fail (TEND_IS_VIDEO_LINK (self));
  b = begin (self, "video.admit");
  json_builder_set_member_name (b, "guest_id");
  json_builder_add_string_value (b, guest_id);
  json_builder_end_object (b);
  send_object (self, b);
}
