/* tend-sync-controller.c: when and how the app syncs with its server
 *
 * A run starts when Tend opens, a few seconds after a local change, every
 * minute, and when a person asks.  When the server cannot be reached the
 * next try waits longer each time (5 s doubling to 5 min); nothing is lost
 * meanwhile, changes wait in the outbox.  The session token lives in the
 * keyring; when it expires the state says so and a person signs in again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tend-keyring.h"
#include "tend-sync-controller.h"

#define PERIOD_S        60
#define DEBOUNCE_MS     2000
#define BACKOFF_MIN_S   5
#define BACKOFF_MAX_S   300

struct _TendSyncController
{
  GObject          parent_instance;

  TendStore       *store;
  TendSyncEngine  *engine;
  char            *server;
  TendSyncState    state;
  char            *message;
  guint            waiting;
  guint            conflicts;
  guint            runs;
  gboolean         running;
  gboolean         again;
  gboolean         stopped;
  guint            backoff_s;
  guint            next_id;
  guint            debounce_id;
  GCancellable    *cancellable;

  /* The live channel: the server says when changes wait. */
  SoupSession     *live_session;
  SoupWebsocketConnection *live;
  GCancellable    *live_cancellable;
  guint            live_retry_id;
  guint            live_backoff_s;
  guint            live_events;
  guint            live_applied;   /* messages whose changes were applied without a pull */

  gint             progress;       /* atomic: records moved in this run */
  gint             progress_idle;  /* atomic: an idle to announce it is queued */
};

G_DEFINE_FINAL_TYPE (TendSyncController, tend_sync_controller, G_TYPE_OBJECT)

enum { CHANGED, LIVE_CONNECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void run (TendSyncController *self);
static void live_connect (TendSyncController *self);
static void live_disconnect (TendSyncController *self);

static void
set_state (TendSyncController *self,
           TendSyncState       state,
           const char         *message)
{
  g_autoptr(GPtrArray) conflicts = tend_store_sync_list_conflicts (self->store, NULL);

  self->state = state;
  g_free (self->message);
  self->message = g_strdup (message);
  self->waiting = tend_store_sync_count_waiting (self->store);
  self->conflicts = conflicts != NULL ? conflicts->len : 0;
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
on_next_cb (gpointer user_data)
{
  TendSyncController *self = user_data;

  self->next_id = 0;
  run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (TendSyncController *self,
          guint               seconds)
{
  g_clear_handle_id (&self->next_id, g_source_remove);
  if (!self->stopped)
    self->next_id = g_timeout_add_seconds (seconds, on_next_cb, self);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(TendSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  TendSyncStats stats = { 0 };

  self->running = FALSE;
  if (self->stopped)
    return;
  self->runs++;
  if (tend_sync_engine_run_finish (TEND_SYNC_ENGINE (source), result, &stats, &error))
    {
      self->backoff_s = 0;
      set_state (self, TEND_SYNC_STATE_IDLE, NULL);
      schedule (self, PERIOD_S);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_NETWORK))
    {
      self->backoff_s = self->backoff_s == 0 ? BACKOFF_MIN_S : MIN (self->backoff_s * 2, BACKOFF_MAX_S);
      set_state (self, TEND_SYNC_STATE_OFFLINE, error->message);
      schedule (self, self->backoff_s);
    }
  else if (g_error_matches (error, TEND_SYNC_ERROR, TEND_SYNC_ERROR_AUTH))
    {
      live_disconnect (self);
      set_state (self, TEND_SYNC_STATE_SIGNED_OUT, error->message);
    }
  else
    {
      /* The message names no client: errors carry record types and ids only. */
      g_message ("Sync failed: %s", error->message);
      set_state (self, TEND_SYNC_STATE_ERROR, error->message);
      schedule (self, BACKOFF_MAX_S);
    }
  if (self->again)
    {
      self->again = FALSE;
      run (self);
    }
}

static gboolean
on_progress_idle_cb (gpointer user_data)
{
  TendSyncController *self = user_data;

  g_atomic_int_set (&self->progress_idle, 0);
  if (self->running)
    g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* In the sync's thread: counts, and one idle at a time to tell the header. */
static void
progress_cb (const TendSyncStats *stats,
             gpointer             user_data)
{
  TendSyncController *self = user_data;

  g_atomic_int_set (&self->progress, (gint) (stats->applied + stats->merged + stats->skipped + stats->pushed));
  if (g_atomic_int_compare_and_exchange (&self->progress_idle, 0, 1))
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_progress_idle_cb, g_object_ref (self), g_object_unref);
}

static void
run (TendSyncController *self)
{
  if (self->stopped || self->state == TEND_SYNC_STATE_SIGNED_OUT)
    return;
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  if (!tend_sync_engine_has_token (self->engine))
    {
      set_state (self, TEND_SYNC_STATE_SIGNED_OUT, _("Sign in to the practice server"));
      return;
    }
  g_clear_handle_id (&self->next_id, g_source_remove);
  self->running = TRUE;
  g_atomic_int_set (&self->progress, 0);
  set_state (self, TEND_SYNC_STATE_SYNCING, NULL);
  tend_sync_engine_run_async (self->engine, self->cancellable, run_cb, g_object_ref (self));
}

static gboolean
on_debounce_cb (gpointer user_data)
{
  TendSyncController *self = user_data;

  self->debounce_id = 0;
  run (self);
  return G_SOURCE_REMOVE;
}

/* A change made here (with an id: sync's own and the upkeep's announce
 * whole types) goes out a moment later. */
static void
on_store_changed_cb (TendStore          *store,
                     const char         *type_name,
                     const char         *id,
                     TendSyncController *self)
{
  if (id == NULL || self->stopped)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, on_debounce_cb, self);
}

static void
tend_sync_controller_dispose (GObject *object)
{
  TendSyncController *self = TEND_SYNC_CONTROLLER (object);

  tend_sync_controller_stop (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed_cb, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->live_cancellable);
  g_clear_object (&self->live_session);
  G_OBJECT_CLASS (tend_sync_controller_parent_class)->dispose (object);
}

static void
tend_sync_controller_finalize (GObject *object)
{
  TendSyncController *self = TEND_SYNC_CONTROLLER (object);

  g_free (self->server);
  g_free (self->message);
  G_OBJECT_CLASS (tend_sync_controller_parent_class)->finalize (object);
}

static void
tend_sync_controller_class_init (TendSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_sync_controller_dispose;
  object_class->finalize = tend_sync_controller_finalize;

  /**
   * TendSyncController::changed:
   *
   * The state, the message or the counts changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TendSyncController::live-connected:
   * @connection: the live socket, open
   *
   * A video session's signalling attaches to it (TendVideoLink).
   */
  signals[LIVE_CONNECTED] = g_signal_new ("live-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 1, SOUP_TYPE_WEBSOCKET_CONNECTION);
}

static void
tend_sync_controller_init (TendSyncController *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Returns: (transfer none) (nullable): the live socket while it is open */
SoupWebsocketConnection *
tend_sync_controller_get_live (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), NULL);
  return self->live;
}

TendSyncController *
tend_sync_controller_new (TendStore  *store,
                          const char *server_url,
                          const char *ca_file)
{
  TendSyncController *self;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (TEND_TYPE_SYNC_CONTROLLER, NULL);
  self->store = g_object_ref (store);
  self->server = g_strdup (server_url);
  self->engine = tend_sync_engine_new (store, server_url);
  tend_sync_engine_set_progress_func (self->engine, progress_cb, self);
  if (ca_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!tend_sync_engine_set_ca_file (self->engine, ca_file, &error))
        g_warning ("The server's certificate authority file cannot be read: %s", error->message);
    }
  g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  return self;
}

/* Live events */

static gboolean
on_live_retry_cb (gpointer user_data)
{
  TendSyncController *self = user_data;

  self->live_retry_id = 0;
  live_connect (self);
  return G_SOURCE_REMOVE;
}

static void
live_retry_later (TendSyncController *self)
{
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (self->stopped)
    return;
  self->live_backoff_s = self->live_backoff_s == 0 ? BACKOFF_MIN_S : MIN (self->live_backoff_s * 2, BACKOFF_MAX_S);
  self->live_retry_id = g_timeout_add_seconds (self->live_backoff_s, on_live_retry_cb, self);
}

static void
live_apply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TendSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean pull = TRUE;

  self->running = FALSE;
  if (self->stopped)
    return;
  if (!tend_sync_engine_apply_live_finish (TEND_SYNC_ENGINE (source), result, &pull, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!pull)
    self->live_applied++;
  if (pull || self->again)
    {
      self->again = FALSE;
      run (self);
    }
}

static void
on_live_message_cb (SoupWebsocketConnection *connection,
                    int                      type,
                    GBytes                  *message,
                    TendSyncController      *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);
  JsonNode *root;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || data == NULL ||
      !json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "type", NULL), "changes") == 0)
    {
      self->live_events++;
      /* Changes it carries are applied without a pull when they follow
       * this store's cursor (tend_sync_engine_apply_live ()); a run
       * under way pulls them anyway. */
      if (self->running || self->stopped ||
          !json_object_has_member (json_node_get_object (root), "after"))
        run (self);
      else
        {
          self->running = TRUE;
          tend_sync_engine_apply_live_async (self->engine, message, self->cancellable,
                                             live_apply_cb, g_object_ref (self));
        }
    }
}

static void
on_live_closed_cb (SoupWebsocketConnection *connection,
                   TendSyncController      *self)
{
  g_signal_handlers_disconnect_by_data (connection, self);
  g_clear_object (&self->live);
  live_retry_later (self);
}

static void
live_connect_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TendSyncController) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);

  if (connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        live_retry_later (self);
      return;
    }
  if (self->stopped)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_object_unref (connection);
      return;
    }
  self->live_backoff_s = 0;
  self->live = connection;
  soup_websocket_connection_set_keepalive_interval (connection, 30);
  g_signal_connect (connection, "message", G_CALLBACK (on_live_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_live_closed_cb), self);
  g_signal_emit (self, signals[LIVE_CONNECTED], 0, connection);
}

/* Opens GET /v1/live; the server's first message asks for a pull. */
static void
live_connect (TendSyncController *self)
{
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *token = tend_sync_engine_dup_token (self->engine);

  if (self->stopped || self->live != NULL || token == NULL)
    return;
  if (g_str_has_prefix (self->server, "https://"))
    url = g_strconcat ("wss://", self->server + strlen ("https://"), "/v1/live", NULL);
  else
    url = g_strconcat ("ws://", self->server + strlen ("http://"), "/v1/live", NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    return;
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (self->live_session == NULL)
    self->live_session = soup_session_new ();
  g_clear_object (&self->live_cancellable);
  self->live_cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (self->live_session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->live_cancellable, live_connect_cb, g_object_ref (self));
}

static void
live_disconnect (TendSyncController *self)
{
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  if (self->live != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      if (soup_websocket_connection_get_state (self->live) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->live, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->live);
    }
}

static void
token_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TendSyncController *self = source_object;
  GError *error = NULL;
  char *token = tend_keyring_lookup_token (tend_store_get_path (self->store), self->server, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, g_free);
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TendSyncController *self = TEND_SYNC_CONTROLLER (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->stopped)
    return;
  if (error != NULL)
    {
      set_state (self, TEND_SYNC_STATE_ERROR, error->message);
      return;
    }
  tend_sync_engine_set_token (self->engine, token);
  run (self);
  live_connect (self);
}

/**
 * tend_sync_controller_start:
 *
 * Takes the session from the keyring (in a thread) and syncs.
 */
void
tend_sync_controller_start (TendSyncController *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TEND_IS_SYNC_CONTROLLER (self));

  self->stopped = FALSE;
  if (tend_sync_engine_has_token (self->engine))
    {
      run (self);
      live_connect (self);
      return;
    }
  task = g_task_new (self, self->cancellable, token_cb, NULL);
  g_task_set_source_tag (task, tend_sync_controller_start);
  g_task_run_in_thread (task, token_thread);
}

/* Stops for good: what is in flight is cancelled (the store keeps it in
 * flight, and the next start sends it again). */
void
tend_sync_controller_stop (TendSyncController *self)
{
  g_return_if_fail (TEND_IS_SYNC_CONTROLLER (self));

  self->stopped = TRUE;
  live_disconnect (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->next_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
}

void
tend_sync_controller_sync_now (TendSyncController *self)
{
  g_return_if_fail (TEND_IS_SYNC_CONTROLLER (self));
  self->backoff_s = 0;
  run (self);
}

TendSyncState
tend_sync_controller_get_state (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), TEND_SYNC_STATE_IDLE);
  return self->state;
}

const char *
tend_sync_controller_get_message (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), NULL);
  return self->message;
}

guint
tend_sync_controller_get_waiting (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), 0);
  return self->waiting;
}

guint
tend_sync_controller_get_conflicts (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), 0);
  return self->conflicts;
}

/* Live "changes" messages received: for tests. */
guint
tend_sync_controller_get_live_events (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), 0);
  return self->live_events;
}

/* Live messages whose changes were applied without a pull. */
guint
tend_sync_controller_get_live_applied (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), 0);
  return self->live_applied;
}

guint
tend_sync_controller_get_runs (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), 0);
  return self->runs;
}

/* For the account calls (threads of their own; the token is shared). */
TendSyncEngine *
tend_sync_controller_get_engine (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), NULL);
  return self->engine;
}

const char *
tend_sync_controller_get_server (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), NULL);
  return self->server;
}

/**
 * tend_sync_controller_describe:
 *
 * Returns: (transfer full): the state in a line, for the header
 */
char *
tend_sync_controller_describe (TendSyncController *self)
{
  g_return_val_if_fail (TEND_IS_SYNC_CONTROLLER (self), NULL);

  switch (self->state)
    {
    case TEND_SYNC_STATE_SYNCING:
      {
        guint moved = (guint) g_atomic_int_get (&self->progress);
        g_autofree char *count = g_strdup_printf ("%'u", moved);

        if (moved == 0)
          return g_strdup (_("Syncing…"));
        /* TRANSLATORS: %s is a number of records, formatted for the locale */
        return g_strdup_printf (ngettext ("Syncing… %s record", "Syncing… %s records", moved), count);
      }
    case TEND_SYNC_STATE_OFFLINE:
      if (self->waiting == 0)
        return g_strdup (_("Offline"));
      return g_strdup_printf (ngettext ("Offline, %u change waiting", "Offline, %u changes waiting", self->waiting),
                              self->waiting);
    case TEND_SYNC_STATE_SIGNED_OUT:
      return g_strdup (_("Signed out of the practice server"));
    case TEND_SYNC_STATE_ERROR:
      return g_strdup_printf (_("Sync failed: %s"), self->message != NULL ? self->message : "");
    case TEND_SYNC_STATE_IDLE:
    default:
      if (self->conflicts > 0)
        return g_strdup_printf (ngettext ("%u conflict to resolve", "%u conflicts to resolve", self->conflicts),
                                self->conflicts);
      if (self->runs == 0)
        return g_strdup (_("Not synced yet"));
      return g_strdup (_("Up to date"));
    }
}

/* Signing in again */

typedef struct
{
  char *email;
  char *password;
  char *totp;
} SignIn;

static void
sign_in_free (SignIn *s)
{
  g_free (s->email);
  if (s->password != NULL)
    memset (s->password, 0, strlen (s->password));
  g_free (s->password);
  g_free (s->totp);
  g_free (s);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TendSyncController *self = source_object;
  SignIn *s = task_data;
  g_autofree char *token = NULL;
  GError *error = NULL;

  if (!tend_sync_engine_login (self->engine, s->email, s->password, s->totp, cancellable, &error) ||
      !tend_keyring_store_token (tend_store_get_path (self->store), self->server,
                                 token = tend_sync_engine_dup_token (self->engine), cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tend_sync_controller_sign_in_async (TendSyncController  *self,
                                    const char          *email,
                                    const char          *password,
                                    const char          *totp,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *s;

  g_return_if_fail (TEND_IS_SYNC_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tend_sync_controller_sign_in_async);
  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, _("A sync is running: try again in a moment"));
      return;
    }
  s = g_new0 (SignIn, 1);
  s->email = g_strdup (email);
  s->password = g_strdup (password);
  s->totp = g_strdup (totp);
  g_task_set_task_data (task, s, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, sign_in_thread);
}

gboolean
tend_sync_controller_sign_in_finish (TendSyncController  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  self->state = TEND_SYNC_STATE_IDLE;
  self->backoff_s = 0;
  run (self);
  live_disconnect (self);
  live_connect (self);
  return TRUE;
}
