/* tend-call-controller.c: one video session from the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Start Video Session" on a telehealth appointment makes the session's
 * record (its start, the host, the participants), saves it (sync takes it
 * to the server, which relays the call's signalling only between its
 * participants), opens the camera and microphone, and joins the session
 * over the live socket the sync controller holds; when that socket comes
 * back after a drop, the link joins again and the call recovers.  Hanging
 * up tells the others, leaves, and saves the session's end, from which the
 * note is prefilled.  "finished" says the view can go.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-call-controller.h"
#include "tend-sync-controller.h"

struct _TendCallController
{
  GObject             parent_instance;

  TendContext        *context;
  TendVideoSession   *session;
  TendCall           *call;
  TendVideoLink      *link;
  GtkWidget          *view;
  TendSyncController *sync;
  GCancellable       *invite_cancellable;
  guint               rejoin_id;
  guint               rejoins;
  gboolean            finished;
};

G_DEFINE_FINAL_TYPE (TendCallController, tend_call_controller, G_TYPE_OBJECT)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* The link and the call, wired as in tests/media. */

static void
on_peer_added_cb (TendVideoLink      *link,
                  const char         *peer_id,
                  const char         *name,
                  gboolean            make_offer,
                  TendCallController *self)
{
  tend_call_add_peer (self->call, peer_id, name, make_offer);
}

static void
on_peer_left_cb (TendVideoLink      *link,
                 const char         *peer_id,
                 TendCallController *self)
{
  tend_call_remove_peer (self->call, peer_id);
  /* A guest who gave up waiting. */
  tend_call_view_remove_waiting (TEND_CALL_VIEW (self->view), peer_id);
}

static void
on_link_signal_cb (TendVideoLink      *link,
                   const char         *from,
                   JsonNode           *data,
                   TendCallController *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_call_receive (self->call, from, data, &error))
    g_debug ("Video signal ignored: %s", error->message);
}

static gboolean
on_rejoin_cb (gpointer data)
{
  TendCallController *self = data;
  SoupWebsocketConnection *live = self->sync != NULL ? tend_sync_controller_get_live (self->sync) : NULL;

  self->rejoin_id = 0;
  if (!self->finished && live != NULL)
    tend_video_link_attach (self->link, live);
  return G_SOURCE_REMOVE;
}

static void
on_link_joined_cb (TendVideoLink      *link,
                   TendCallController *self)
{
  /* Before any peer: the relays (and credentials) for this session. */
  tend_call_set_ice_servers_json (self->call, tend_video_link_get_ice_servers (link));
  tend_call_set_relay_only (self->call, tend_video_link_get_relay_only (link));
  tend_call_view_show_error (TEND_CALL_VIEW (self->view), NULL);
}

static void
on_link_failed_cb (TendVideoLink      *link,
                   const char         *code,
                   const char         *message,
                   TendCallController *self)
{
  /* The record was saved a moment ago and sync pushes it shortly: join
   * again once it is there (for a minute at most). */
  if (g_strcmp0 (code, "not_participant") == 0 && self->rejoins++ < 30)
    {
      tend_call_view_show_error (TEND_CALL_VIEW (self->view),
                                 _("The server does not have this session yet: it will be joined once it has synced."));
      if (self->rejoin_id == 0)
        self->rejoin_id = g_timeout_add_seconds (2, on_rejoin_cb, self);
    }
  else
    tend_call_view_show_error (TEND_CALL_VIEW (self->view), _("The server refused the video session."));
}

static void
on_lost_cb (TendVideoLink      *link,
            TendCallController *self)
{
  tend_call_signalling_lost (self->call);
}

static void
on_signal_out_cb (TendCall           *call,
                  const char         *peer_id,
                  const char         *text,
                  TendCallController *self)
{
  tend_video_link_send (self->link, peer_id, text);
}

static void
on_live_connected_cb (TendSyncController      *sync,
                      SoupWebsocketConnection *connection,
                      TendCallController      *self)
{
  if (!self->finished)
    tend_video_link_attach (self->link, connection);
}

static void
on_view_hang_up_cb (TendCallView       *view,
                    TendCallController *self)
{
  tend_call_controller_hang_up (self);
}

static void
on_admit_cb (TendCallView       *view,
             const char         *guest_id,
             TendCallController *self)
{
  if (self->link != NULL)
    tend_video_link_admit (self->link, guest_id);
  tend_call_view_remove_waiting (view, guest_id);
}

/* The client's join link, made by the server (the host's only) */

typedef struct
{
  TendSyncEngine *engine;
  char           *session_id;
  gboolean        email;
  char           *url;
  GDateTime      *until;
} InviteJob;

static void
invite_job_free (InviteJob *job)
{
  g_clear_object (&job->engine);
  g_free (job->session_id);
  g_free (job->url);
  g_clear_pointer (&job->until, g_date_time_unref);
  g_free (job);
}

static void
invite_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  InviteJob *job = data;
  GError *error = NULL;

  if (tend_sync_engine_create_video_invite (job->engine, job->session_id, job->email, &job->url, &job->until,
                                            cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
invite_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TendCallController *self = TEND_CALL_CONTROLLER (source);
  InviteJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *until = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->invite_cancellable);
      tend_call_view_set_invite_state (TEND_CALL_VIEW (self->view), FALSE, error->message, TRUE);
      return;
    }
  g_clear_object (&self->invite_cancellable);
  if (job->until != NULL)
    {
      GTimeZone *zone = tend_context_get_zone (self->context);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (job->until, zone);
      g_autoptr(GDateTime) now = g_date_time_new_now (zone);

      /* The end of today's session: its time is enough. */
      if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
          g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
        until = g_date_time_format (local, _("%H:%M"));
      else
        until = tend_time_format_date_time (local);
    }
  if (job->email)
    /* Translators: %s is a date and time */
    message = until != NULL ? g_strdup_printf (_("E-mailed to the client. The link works once, until %s."), until)
                            : g_strdup (_("E-mailed to the client. The link works once."));
  else
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (self->view), job->url);
      /* Translators: %s is a date and time */
      message = until != NULL ? g_strdup_printf (_("Copied: paste it in a message to the client. It works once, until %s."), until)
                              : g_strdup (_("Copied: paste it in a message to the client. It works once."));
    }
  tend_call_view_set_invite_state (TEND_CALL_VIEW (self->view), FALSE, message, FALSE);
}

static void
on_invite_cb (TendCallView       *view,
              gboolean            email,
              TendCallController *self)
{
  TendSyncEngine *engine = self->sync != NULL ? tend_sync_controller_get_engine (self->sync) : NULL;
  g_autoptr(GTask) task = NULL;
  InviteJob *job;

  if (engine == NULL || self->session == NULL || self->invite_cancellable != NULL)
    return;
  job = g_new0 (InviteJob, 1);
  job->engine = g_object_ref (engine);
  job->session_id = g_strdup (tend_record_get_id (TEND_RECORD (self->session)));
  job->email = email;
  self->invite_cancellable = g_cancellable_new ();
  tend_call_view_set_invite_state (view, TRUE, email ? _("Sending the link…") : _("Making the link…"), FALSE);
  task = g_task_new (self, self->invite_cancellable, invite_done_cb, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) invite_job_free);
  g_task_run_in_thread (task, invite_thread);
}

static void
on_guest_waiting_cb (TendVideoLink      *link,
                     const char         *guest_id,
                     const char         *name,
                     TendCallController *self)
{
  tend_call_view_add_waiting (TEND_CALL_VIEW (self->view), guest_id, name);
}

static void
tend_call_controller_dispose (GObject *object)
{
  TendCallController *self = TEND_CALL_CONTROLLER (object);

  g_clear_handle_id (&self->rejoin_id, g_source_remove);
  if (self->invite_cancellable != NULL)
    g_cancellable_cancel (self->invite_cancellable);
  g_clear_object (&self->invite_cancellable);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->link);
  g_clear_object (&self->call);
  g_clear_object (&self->session);
  g_clear_object (&self->view);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_call_controller_parent_class)->dispose (object);
}

static void
tend_call_controller_class_init (TendCallControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tend_call_controller_dispose;
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_call_controller_init (TendCallController *self)
{
}

static void
make_view (TendCallController *self)
{
  self->view = g_object_ref_sink (tend_call_view_new (self->call));
  g_signal_connect (self->view, "hang-up", G_CALLBACK (on_view_hang_up_cb), self);
  g_signal_connect (self->view, "admit", G_CALLBACK (on_admit_cb), self);
  g_signal_connect (self->view, "invite", G_CALLBACK (on_invite_cb), self);
}

/**
 * tend_call_controller_new_for_call:
 * @call: a call (started or not) with no session behind it
 *
 * A view of @call without signalling: for previews and tests.
 */
TendCallController *
tend_call_controller_new_for_call (TendCall *call)
{
  TendCallController *self = g_object_new (TEND_TYPE_CALL_CONTROLLER, NULL);

  self->call = g_object_ref (call);
  make_view (self);
  return self;
}

/**
 * tend_call_controller_start:
 * @appointment: a telehealth appointment of the signed-in clinician
 *
 * Returns: (transfer full): the running session, or %NULL with @error
 *   (the record refused, or no camera or microphone)
 */
TendCallController *
tend_call_controller_start (TendContext      *context,
                           TendAppointment  *appointment,
                           GError          **error)
{
  g_autoptr(TendCall) call = NULL;

  if (!tend_media_init (error))
    return NULL;
  call = tend_call_new ();
  return tend_call_controller_start_with_call (context, appointment, call, error);
}

/**
 * tend_call_controller_start_with_call:
 * @call: the call to run the session on (its devices chosen by the caller:
 *   tests give it GStreamer's test sources)
 *
 * As tend_call_controller_start().
 */
TendCallController *
tend_call_controller_start_with_call (TendContext      *context,
                                     TendAppointment  *appointment,
                                     TendCall         *call,
                                     GError          **error)
{
  g_autoptr(TendCallController) self = g_object_new (TEND_TYPE_CALL_CONTROLLER, NULL);
  TendStore *store = tend_context_get_store (context);
  g_autoptr(TendRecord) client = NULL;
  const char *host = tend_store_get_actor_id (store);

  self->context = g_object_ref (context);
  self->call = g_object_ref (call);
  if (!tend_call_start (self->call, error))
    return NULL;
  self->session = tend_video_session_new (tend_record_get_id (TEND_RECORD (appointment)), host,
                                          tend_appointment_get_client_id (appointment));
  if (!tend_store_save (store, TEND_RECORD (self->session), error))
    return NULL;

  make_view (self);
  if (tend_appointment_get_client_id (appointment) != NULL)
    client = tend_store_load (store, TEND_TYPE_CLIENT, tend_appointment_get_client_id (appointment), NULL);
  if (client != NULL)
    {
      g_autofree char *name = tend_client_dup_display_name (TEND_CLIENT (client));

      tend_call_view_set_title (TEND_CALL_VIEW (self->view), name);
    }

  self->link = tend_video_link_new (tend_record_get_id (TEND_RECORD (self->session)));
  g_signal_connect (self->link, "peer-added", G_CALLBACK (on_peer_added_cb), self);
  g_signal_connect (self->link, "peer-left", G_CALLBACK (on_peer_left_cb), self);
  g_signal_connect (self->link, "signal", G_CALLBACK (on_link_signal_cb), self);
  g_signal_connect (self->link, "failed", G_CALLBACK (on_link_failed_cb), self);
  g_signal_connect (self->link, "joined", G_CALLBACK (on_link_joined_cb), self);
  g_signal_connect (self->link, "lost", G_CALLBACK (on_lost_cb), self);
  g_signal_connect (self->link, "guest-waiting", G_CALLBACK (on_guest_waiting_cb), self);
  g_signal_connect (self->call, "signal-out", G_CALLBACK (on_signal_out_cb), self);

  /* Without a server there is no one to call; the view says so. */
  self->sync = tend_context_get_sync (context) != NULL ? g_object_ref (tend_context_get_sync (context)) : NULL;
  if (self->sync == NULL)
    tend_call_view_show_error (TEND_CALL_VIEW (self->view),
                               _("Video sessions need the practice server: this computer works on its own."));
  else
    {
      g_signal_connect (self->sync, "live-connected", G_CALLBACK (on_live_connected_cb), self);
      tend_call_view_set_can_invite (TEND_CALL_VIEW (self->view), tend_appointment_get_client_id (appointment) != NULL);
      /* The record goes to the server first, then the join. */
      tend_sync_controller_sync_now (self->sync);
      if (tend_sync_controller_get_live (self->sync) != NULL)
        tend_video_link_attach (self->link, tend_sync_controller_get_live (self->sync));
    }
  return g_steal_pointer (&self);
}

/* Returns: (transfer none): the call view, to show beside the chart */
GtkWidget *
tend_call_controller_get_view (TendCallController *self)
{
  g_return_val_if_fail (TEND_IS_CALL_CONTROLLER (self), NULL);
  return self->view;
}

TendCall *
tend_call_controller_get_call (TendCallController *self)
{
  g_return_val_if_fail (TEND_IS_CALL_CONTROLLER (self), NULL);
  return self->call;
}

/* Returns: (transfer none) (nullable): the session's record */
TendVideoSession *
tend_call_controller_get_session (TendCallController *self)
{
  g_return_val_if_fail (TEND_IS_CALL_CONTROLLER (self), NULL);
  return self->session;
}

/* Ends the call for everyone here, and the session with its end time. */
void
tend_call_controller_hang_up (TendCallController *self)
{
  g_return_if_fail (TEND_IS_CALL_CONTROLLER (self));
  if (self->finished)
    return;
  self->finished = TRUE;
  tend_call_hang_up (self->call);
  if (self->link != NULL)
    tend_video_link_leave (self->link);
  if (self->session != NULL && self->context != NULL)
    {
      g_autoptr(GError) error = NULL;

      tend_video_session_end (self->session);
      if (!tend_store_save (tend_context_get_store (self->context), TEND_RECORD (self->session), &error))
        g_warning ("The video session's end was not saved: %s", error->message);
    }
  g_signal_emit (self, signals[FINISHED], 0);
}
