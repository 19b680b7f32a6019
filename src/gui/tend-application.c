/* tend-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-application.h"
#include "tend-video-module.h"
#include "tend-context.h"
#include "tend-preferences-window.h"
#include "tend-schedule.h"
#include "tend-window.h"

struct _TendApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;
  TendContext   *context;
  char          *store_path;
  gboolean       bench_first_frame;
  guint          notice_source;
  GHashTable    *noticed;        /* appointment ids already announced */
};

G_DEFINE_FINAL_TYPE (TendApplication, tend_application, ADW_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TendApplication *self = TEND_APPLICATION (user_data);
  static const char *developers[] = { "The Tend developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Tend"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Tend developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Practice management and health records for small mental-health practices"),
                        "website", "https://tend.app",
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", _("© 2026 The Tend developers"),
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TendApplication *self = TEND_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  TendPreferencesWindow *prefs = tend_preferences_window_new (self->context);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/*
 * A desktop notification before each of one's own sessions.  It names the
 * time and the room, not the client: notifications show on lock screens.
 */
static void
check_upcoming_sessions (TendApplication *self)
{
  TendStore *store = self->context != NULL ? tend_context_get_store (self->context) : NULL;
  TendStaff *user = self->context != NULL ? tend_context_get_user (self->context) : NULL;
  guint minutes = g_settings_get_uint (self->settings, "session-notice-minutes");
  g_autoptr(GPtrArray) upcoming = NULL;
  const char *ids[2] = { NULL, NULL };
  gint64 now = g_get_real_time ();

  if (store == NULL || user == NULL || minutes == 0)
    return;
  ids[0] = tend_record_get_id (TEND_RECORD (user));
  upcoming = tend_schedule_list (store, now, now + (gint64) minutes * G_TIME_SPAN_MINUTE, ids, NULL);
  for (guint i = 0; upcoming != NULL && i < upcoming->len; i++)
    {
      TendAppointment *a = g_ptr_array_index (upcoming, i);
      const char *id = tend_record_get_id (TEND_RECORD (a));
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) local = NULL;
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *time = NULL;
      g_autofree char *body = NULL;
      g_autofree char *room = NULL;

      if (tend_appointment_get_kind (a) != TEND_APPOINTMENT_KIND_SESSION || !tend_appointment_is_active (a) ||
          tend_appointment_get_start_usec (a) < now || g_hash_table_contains (self->noticed, id))
        continue;
      g_hash_table_add (self->noticed, g_strdup (id));

      start = tend_appointment_dup_start (a);
      local = g_date_time_to_timezone (start, tend_context_get_zone (self->context));
      time = g_date_time_format (local, _("%H:%M"));
      if (tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH)
        body = g_strdup_printf (_("Your next session starts at %s, by video."), time);
      else if (tend_appointment_get_room_id (a) != NULL)
        {
          g_autoptr(TendRecord) r = tend_store_load (store, TEND_TYPE_ROOM, tend_appointment_get_room_id (a), NULL);

          room = r != NULL ? g_strdup (tend_room_get_name (TEND_ROOM (r))) : NULL;
          body = g_strdup_printf (_("Your next session starts at %s in %s."), time, room != NULL ? room : "");
        }
      else
        body = g_strdup_printf (_("Your next session starts at %s."), time);

      notification = g_notification_new (_("Session Soon"));
      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action_and_target (notification, "app.show-calendar", NULL);
      g_application_send_notification (G_APPLICATION (self), id, notification);
    }
}

static gboolean
notice_tick_cb (gpointer user_data)
{
  check_upcoming_sessions (TEND_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
show_calendar_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window == NULL)
    return;
  gtk_window_present (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "calendar");
}

static void
show_conversation_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window == NULL || !TEND_IS_WINDOW (window))
    return;
  gtk_window_present (window);
  tend_window_show_conversation (TEND_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "show-calendar", show_calendar_action, NULL, NULL, NULL, { 0 } },
  { "show-conversation", show_conversation_action, "s", NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
};

static gboolean
bench_quit_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

/* For bench/: report the first frame of the populated main window and quit. */
static void
on_bench_after_paint_cb (GdkFrameClock *clock,
                         gpointer       user_data)
{
  TendApplication *self = TEND_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *status = NULL;
  const char *rss;

  if (window == NULL || g_strcmp0 (tend_window_get_page (TEND_WINDOW (window)), "main") != 0)
    return;
  g_signal_handlers_disconnect_by_func (clock, on_bench_after_paint_cb, user_data);
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (rss = strstr (status, "VmRSS:")) != NULL)
    g_print ("tend-bench rss-kb %" G_GINT64_FORMAT "\n", g_ascii_strtoll (rss + 6, NULL, 10));
  g_print ("tend-bench first-frame-us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_idle_add (bench_quit_cb, self);
}

static void
on_bench_map_cb (GtkWidget *window,
                 gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_bench_after_paint_cb), user_data);
}

static void
present_now (GtkWindow *window)
{
  guint id = GPOINTER_TO_UINT (g_object_steal_data (G_OBJECT (window), "tend-present-timeout"));
  TendContext *context = tend_window_get_context (TEND_WINDOW (window));

  if (id != 0)
    g_source_remove (id);
  g_signal_handlers_disconnect_by_func (context, present_now, window);
  gtk_window_present (window);
}

static gboolean
present_timeout_cb (gpointer user_data)
{
  g_object_steal_data (G_OBJECT (user_data), "tend-present-timeout");
  present_now (GTK_WINDOW (user_data));
  return G_SOURCE_REMOVE;
}

/* The store usually opens in a few milliseconds: show the window when it has
 * something to show rather than flash the "opening" page, unless opening
 * takes long enough that a person would wonder. */
static void
present_when_ready (GtkWindow   *window,
                    TendContext *context)
{
  guint id;

  if (tend_context_get_state (context) != TEND_CONTEXT_STATE_LOADING)
    {
      gtk_window_present (window);
      return;
    }
  g_signal_connect_object (context, "notify::state", G_CALLBACK (present_now), window, G_CONNECT_SWAPPED);
  id = g_timeout_add (250, present_timeout_cb, window);
  g_object_set_data (G_OBJECT (window), "tend-present-timeout", GUINT_TO_POINTER (id));
}

/* Loads libtend-video.so (and with it GStreamer and libnice) too. */
static gpointer
media_warm_up_thread (gpointer data)
{
  const TendVideoModule *video = tend_video_module_get (NULL);

  if (video != NULL)
    video->warm_up (NULL);
  return NULL;
}

static gboolean
media_warm_up_cb (gpointer data)
{
  g_thread_unref (g_thread_new ("tend-media-init", media_warm_up_thread, NULL));
  return G_SOURCE_REMOVE;
}

/* GStreamer's start (its registry, and the check that every element a call
 * needs is there) and the video sessions' DTLS certificate (an RSA key,
 * 250-730 ms of a core) are made in a thread, so the first call does not
 * wait for them, but only a while after the first frame: at start-up they
 * took the main thread's time and the other core from the window
 * (bench/README.md, bench-startup). */
static void
on_first_frame_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, user_data);
  g_timeout_add_seconds_full (G_PRIORITY_LOW, 2, media_warm_up_cb, NULL, NULL);
}

static void
on_window_map_cb (GtkWidget *window,
                  gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (window, on_window_map_cb, user_data);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_first_frame_cb), NULL);
}

static void
tend_application_activate (GApplication *app)
{
  TendApplication *self = TEND_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (tend_window_new (ADW_APPLICATION (app), self->context));
      /* A development build (app.tend.Tend.Devel) looks it: striped header bar. */
      if (g_str_equal (PROFILE, "development"))
        gtk_widget_add_css_class (GTK_WIDGET (window), "devel");
      if (self->bench_first_frame)
        g_signal_connect_after (window, "map", G_CALLBACK (on_bench_map_cb), self);
      g_signal_connect_after (window, "map", G_CALLBACK (on_window_map_cb), NULL);
      present_when_ready (window, self->context);
      return;
    }
  gtk_window_present (window);
}

static void
tend_application_startup (GApplication *app)
{
  TendApplication *self = TEND_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  g_autofree char *configured = NULL;

  /* Start on the keyring and the database now: they run in a thread while
   * GTK starts up below. */
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  configured = g_settings_get_string (self->settings, "store-path");
  if (self->store_path == NULL && g_getenv ("TEND_STORE_PATH") != NULL)
    self->store_path = g_strdup (g_getenv ("TEND_STORE_PATH"));
  if (self->store_path == NULL && *configured != '\0')
    self->store_path = g_steal_pointer (&configured);
  self->bench_first_frame = g_getenv ("TEND_BENCH_FIRST_FRAME") != NULL;
  self->context = tend_context_new (self->store_path, self->settings);
  tend_context_load (self->context);

  G_APPLICATION_CLASS (tend_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);

  self->noticed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->notice_source = g_timeout_add_seconds (30, notice_tick_cb, self);
}

static int
tend_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  TendApplication *self = TEND_APPLICATION (app);
  const char *store = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("Tend %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "store", "&s", &store))
    self->store_path = g_strdup (store);
  return -1;
}

static void
tend_application_dispose (GObject *object)
{
  TendApplication *self = TEND_APPLICATION (object);

  g_clear_handle_id (&self->notice_source, g_source_remove);
  g_clear_pointer (&self->noticed, g_hash_table_unref);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (tend_application_parent_class)->dispose (object);
}

static void
tend_application_finalize (GObject *object)
{
  TendApplication *self = TEND_APPLICATION (object);

  g_clear_pointer (&self->store_path, g_free);
  G_OBJECT_CLASS (tend_application_parent_class)->finalize (object);
}

static void
tend_application_class_init (TendApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tend_application_dispose;
  object_class->finalize = tend_application_finalize;
  app_class->activate = tend_application_activate;
  app_class->startup = tend_application_startup;
  app_class->handle_local_options = tend_application_handle_local_options;
}

static void
tend_application_init (TendApplication *self)
{
  static const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open the practice database at PATH"), N_("PATH") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

TendApplication *
tend_application_new (void)
{
  return g_object_new (TEND_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
