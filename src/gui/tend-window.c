/* tend-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-billing-page.h"
#include "tend-calendar-page.h"
#include "tend-video-module.h"
#include "tend-clients-page.h"
#include "tend-lock-page.h"
#include "tend-setup-assistant.h"
#include "tend-messages-page.h"
#include "tend-setup-page.h"
#include "tend-sync-status.h"
#include "tend-window.h"

struct _TendWindow
{
  AdwApplicationWindow parent_instance;

  TendContext     *context;
  gint64           last_activity;
  guint            idle_source;
  gboolean         locked;
  gboolean         after_first_run;  /* the set-up page was shown: offer the next steps */

  AdwToastOverlay *toast_overlay;
  GtkStack        *main_stack;
  AdwStatusPage   *error_page;
  GtkLabel        *error_detail;
  GtkButton       *retry_button;
  TendSetupPage   *setup_page;
  TendLockPage    *lock_page;
  char            *locked_user_id;  /* who was at the computer when it locked */
  AdwLeaflet      *leaflet;
  GtkWidget       *sidebar;
  GtkListBox      *sidebar_list;
  GtkWidget       *content_box;
  AdwWindowTitle  *practice_title;
  AdwWindowTitle  *section_title;
  GtkStack        *section_stack;
  TendClientsPage *clients_page;
  AdwBin          *calendar_holder;
  TendCalendarPage *calendar_page;  /* made after the first frame, or when first shown */
  AdwBin          *messages_holder;
  TendMessagesPage *messages_page;  /* made after the first frame, or when first shown */
  guint            sections_idle;
  GtkLabel        *messages_badge;  /* the unread count in the sidebar */
  AdwHeaderBar    *sidebar_header;
  TendSyncStatus  *sync_status;
  AdwBin          *billing_holder;
  TendBillingPage *billing_page;    /* made when Billing is first shown */
  GObject            *call;         /* a video session (libtend-video.so's TendCallController), shown beside the content */
};

G_DEFINE_FINAL_TYPE (TendWindow, tend_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define IDLE_CHECK_SECONDS 5

/* What a person can do about each failure to open the store. */
static void
describe_error (const GError *error,
                const char   *path,
                const char  **title,
                char        **description)
{
  *title = _("Tend Could Not Open Your Practice");
  *description = g_strdup (_("Nothing was changed. Try again, or ask whoever looks after this computer."));

  if (error->domain != TEND_STORE_ERROR)
    return;

  g_free (*description);
  switch ((TendStoreError) error->code)
    {
    case TEND_STORE_ERROR_KEYRING_UNAVAILABLE:
      *title = _("No Keyring Available");
      *description = g_strdup (_("Tend keeps the key to its encrypted database in your keyring, and no keyring service answered. Log in to a desktop session with GNOME Keyring (or another Secret Service), then try again."));
      break;
    case TEND_STORE_ERROR_KEYRING_LOCKED:
      *title = _("Keyring Locked");
      *description = g_strdup (_("Unlock your keyring so Tend can read its database key, then try again."));
      break;
    case TEND_STORE_ERROR_KEY_MISSING:
      *title = _("Database Key Missing");
      *description = g_strdup_printf (_("The practice database at %s exists, but its key is not in your keyring. Tend will not replace it. Restore your keyring from a backup, or move the database away to start afresh."), path);
      break;
    case TEND_STORE_ERROR_WRONG_KEY:
      *title = _("Wrong Database Key");
      *description = g_strdup_printf (_("The key in your keyring does not open the database at %s. The file was not changed. Restore the matching keyring from a backup."), path);
      break;
    case TEND_STORE_ERROR_CORRUPT:
      *title = _("Database Damaged");
      *description = g_strdup_printf (_("The database at %s cannot be read. Tend has not changed it. Restore it from a backup, or sync it again from your practice server."), path);
      break;
    case TEND_STORE_ERROR_TOO_NEW:
      *title = _("Database From a Newer Tend");
      *description = g_strdup (_("This database was last opened by a newer version of Tend. Update Tend to open it; nothing was changed."));
      break;
    case TEND_STORE_ERROR_DISK_FULL:
      *title = _("Disk Full");
      *description = g_strdup (_("There is no space left to open the database. Free some space, then try again. Nothing was lost."));
      break;
    case TEND_STORE_ERROR_NOT_ENCRYPTED:
      *title = _("Encryption Unavailable");
      *description = g_strdup (_("This copy of Tend cannot encrypt its database, so it refuses to store anything. Reinstall Tend."));
      break;
    case TEND_STORE_ERROR_LOCKED_RECORD:
    case TEND_STORE_ERROR_FAILED:
    default:
      *description = g_strdup (_("Nothing was changed. Try again, or ask whoever looks after this computer."));
      break;
    }
}

static void
show_page (TendWindow *self,
           const char *name)
{
  /* Drop focus from a page that is going away (a focused entry that is
   * hidden never gets its focus-out). */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), name) != 0)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

/* The first-run and lock pages are built when first needed: most starts
 * need neither. */
static void
ensure_setup_page (TendWindow *self)
{
  if (self->setup_page != NULL)
    return;
  self->setup_page = g_object_new (TEND_TYPE_SETUP_PAGE, NULL);
  tend_setup_page_set_context (self->setup_page, self->context);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->setup_page), "setup");
}

static void on_unlocked_cb (TendWindow *self);
static void update_actions (TendWindow *self);

static void
ensure_lock_page (TendWindow *self)
{
  if (self->lock_page != NULL)
    return;
  self->lock_page = g_object_new (TEND_TYPE_LOCK_PAGE, NULL);
  tend_lock_page_set_context (self->lock_page, self->context);
  g_signal_connect_object (self->lock_page, "unlocked", G_CALLBACK (on_unlocked_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->lock_page), "lock");
}

static void
update_titles (TendWindow *self)
{
  TendPractice *practice = tend_context_get_practice (self->context);
  TendStaff *user = tend_context_get_user (self->context);
  g_autofree char *user_name = user != NULL ? tend_staff_dup_display_name (user) : NULL;

  /* The practice under each section's name; the person in the sidebar. */
  if (practice != NULL)
    {
      adw_window_title_set_subtitle (self->section_title, tend_practice_get_name (practice));
      gtk_window_set_title (GTK_WINDOW (self), tend_practice_get_name (practice));
    }
  adw_window_title_set_title (self->practice_title, user_name != NULL ? user_name : _("Tend"));
}

/* The days before a draft is flagged (Preferences). */
static void
on_unsigned_days_changed_cb (TendWindow *self)
{
  tend_clients_page_set_overdue_days (self->clients_page,
                                      g_settings_get_uint (tend_context_get_settings (self->context),
                                                           "unsigned-note-days"));
}

static void
on_search_progress_cb (TendWindow *self)
{
  tend_clients_page_set_search_progress (self->clients_page, tend_context_get_search_progress (self->context));
}

static void
sync_state (TendWindow *self)
{
  switch (tend_context_get_state (self->context))
    {
    case TEND_CONTEXT_STATE_LOADING:
      show_page (self, "loading");
      break;
    case TEND_CONTEXT_STATE_SETUP:
      ensure_setup_page (self);
      show_page (self, "setup");
      self->after_first_run = TRUE;
      break;
    case TEND_CONTEXT_STATE_ERROR:
      {
        const GError *error = tend_context_get_error (self->context);
        const char *title;
        g_autofree char *description = NULL;

        describe_error (error, tend_context_get_store_path (self->context), &title, &description);
        adw_status_page_set_title (self->error_page, title);
        adw_status_page_set_description (self->error_page, description);
        /* The database's own words only where ours say nothing specific. */
        gtk_label_set_text (self->error_detail, error->message);
        gtk_widget_set_visible (GTK_WIDGET (self->error_detail),
                                error->domain != TEND_STORE_ERROR ||
                                error->code == TEND_STORE_ERROR_FAILED ||
                                error->code == TEND_STORE_ERROR_LOCKED_RECORD);
        show_page (self, "error");
        gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
      }
      break;
    case TEND_CONTEXT_STATE_READY:
      update_titles (self);
      tend_clients_page_set_zone (self->clients_page, tend_context_get_zone (self->context));
      on_unsigned_days_changed_cb (self);
      g_signal_handlers_disconnect_by_func (tend_context_get_settings (self->context),
                                            on_unsigned_days_changed_cb, self);
      g_signal_connect_object (tend_context_get_settings (self->context), "changed::unsigned-note-days",
                               G_CALLBACK (on_unsigned_days_changed_cb), self, G_CONNECT_SWAPPED);
      tend_clients_page_set_store (self->clients_page, tend_context_get_store (self->context));
      tend_clients_page_set_sync (self->clients_page, tend_context_get_sync (self->context));
      on_search_progress_cb (self);
      if (self->calendar_page != NULL)
        tend_calendar_page_set_context (self->calendar_page, self->context);
      if (self->messages_page != NULL)
        tend_messages_page_set_context (self->messages_page, self->context);
      tend_sync_status_set_sync (self->sync_status, tend_context_get_store (self->context),
                                 tend_context_get_sync (self->context));
      if (self->billing_page != NULL)
        {
          tend_billing_page_set_store (self->billing_page, tend_context_get_store (self->context));
          if (tend_context_get_user (self->context) != NULL)
            tend_billing_page_set_role (self->billing_page, tend_staff_get_role (tend_context_get_user (self->context)));
        }
      if (self->lock_page != NULL)
        tend_lock_page_set_context (self->lock_page, self->context);
      self->last_activity = g_get_monotonic_time ();
      show_page (self, self->locked ? "lock" : "main");
      /* The front desk's day starts on today's list (the calendar opens
       * there for them). */
      if (tend_context_get_user (self->context) != NULL &&
          tend_staff_get_role (tend_context_get_user (self->context)) == TEND_ROLE_FRONT_DESK)
        tend_window_show_section (self, "calendar");
      /* Narrow windows open on the section, not the sidebar. */
      adw_leaflet_set_visible_child (self->leaflet, self->content_box);
      if (!self->locked && g_strcmp0 (tend_window_get_section (self), "clients") == 0)
        tend_clients_page_focus_search (self->clients_page);
      update_actions (self);
      /* A practice just made here goes on to its staff, rooms and services. */
      if (self->after_first_run && !self->locked && tend_context_get_user (self->context) != NULL &&
          tend_role_can (tend_staff_get_role (tend_context_get_user (self->context)), TEND_PERMISSION_MANAGE_PRACTICE) &&
          !tend_setup_assistant_is_complete (self->context))
        tend_window_show_setup_assistant (self);
      self->after_first_run = FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_context_state_cb (TendWindow *self)
{
  sync_state (self);
}

static void
note_activity (TendWindow *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              TendWindow               *self)
{
  note_activity (self);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   TendWindow            *self)
{
  note_activity (self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_click_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     TendWindow      *self)
{
  note_activity (self);
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              TendWindow               *self)
{
  note_activity (self);
  return GDK_EVENT_PROPAGATE;
}

static void
check_idle (TendWindow *self)
{
  GSettings *settings = tend_context_get_settings (self->context);
  guint minutes = settings != NULL ? g_settings_get_uint (settings, "idle-lock-minutes") : 10;

  if (minutes == 0 || self->locked ||
      tend_context_get_state (self->context) != TEND_CONTEXT_STATE_READY)
    return;
  if (g_get_monotonic_time () - self->last_activity >= (gint64) minutes * 60 * G_USEC_PER_SEC)
    tend_window_lock (self);
}

static gboolean
idle_tick_cb (gpointer user_data)
{
  check_idle (TEND_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

/* Locked, nothing but unlocking; the calendar's steps only while the
 * calendar shows (elsewhere Alt+Left and Alt+Right are not ours). */
static void
update_actions (TendWindow *self)
{
  static const char * const always[] = {
    "win.show-section", "win.search", "win.calendar-new", "win.calendar-today", "win.calendar-view",
  };
  gboolean calendar = !self->locked && g_strcmp0 (tend_window_get_section (self), "calendar") == 0;

  TendStaff *user = self->context != NULL ? tend_context_get_user (self->context) : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (always); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), always[i], !self->locked);
  /* Setting up the practice is an owner's. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.practice-setup",
                                 !self->locked && user != NULL &&
                                 tend_role_can (tend_staff_get_role (user), TEND_PERMISSION_MANAGE_PRACTICE));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.calendar-previous", calendar);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.calendar-next", calendar);
}

/* Another person unlocked: nothing of what the window shows (an open chart,
 * a conversation, a page built for a role) may stay, so a new window takes
 * its place, the same size, and this one goes. */
static void
replace_for_new_user (TendWindow *self)
{
  GtkWindow *fresh = g_object_new (TEND_TYPE_WINDOW,
                                   "application", gtk_window_get_application (GTK_WINDOW (self)),
                                   "context", self->context, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (width > 0 && height > 0)
    gtk_window_set_default_size (fresh, width, height);
  if (gtk_window_is_maximized (GTK_WINDOW (self)))
    gtk_window_maximize (fresh);
  gtk_window_present (fresh);
  /* A dialog still open over this window (moving to a server shows its
   * outcome) stays, over the new one. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) other = g_list_model_get_item (toplevels, i);

        if (gtk_window_get_transient_for (other) == GTK_WINDOW (self))
          gtk_window_set_transient_for (other, fresh);
      }
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The practice moved to a server while the window was open: the header's
 * sync status, the clients page and every page built without a server
 * start again with it. */
static void
on_context_sync_cb (TendWindow *self)
{
  if (tend_context_get_state (self->context) == TEND_CONTEXT_STATE_READY &&
      tend_context_get_sync (self->context) != NULL)
    replace_for_new_user (self);
}

static void
on_unlocked_cb (TendWindow *self)
{
  TendStaff *user = tend_context_get_user (self->context);
  g_autofree char *locked_user = g_steal_pointer (&self->locked_user_id);

  if (user != NULL && locked_user != NULL &&
      g_strcmp0 (tend_record_get_id (TEND_RECORD (user)), locked_user) != 0)
    {
      replace_for_new_user (self);
      return;
    }
  self->locked = FALSE;
  note_activity (self);
  show_page (self, "main");
  update_actions (self);
}

/* The section's name, or inside a chart the client's. */
static void
update_section_title (TendWindow *self)
{
  const char *title = NULL;

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->section_stack), "clients") == 0)
    title = tend_clients_page_get_title (self->clients_page);
  if (title == NULL)
    title = gtk_stack_page_get_title (gtk_stack_get_page (self->section_stack,
                                                          gtk_stack_get_visible_child (self->section_stack)));
  adw_window_title_set_title (self->section_title, title);
}

static void on_section_shown_cb (TendWindow *self);

static void
on_sidebar_row_selected_cb (GtkListBox    *box,
                            GtkListBoxRow *row,
                            TendWindow    *self)
{
  const char *name;

  if (row == NULL)
    return;
  name = g_object_get_data (G_OBJECT (row), "section");
  gtk_stack_set_visible_child_name (self->section_stack, name);
  /* Also when the stack shows it already (its first page, before any
   * section was chosen): no notify then. */
  on_section_shown_cb (self);
  update_section_title (self);
  if (tend_context_get_settings (self->context) != NULL)
    g_settings_set_string (tend_context_get_settings (self->context), "last-section", name);
  update_actions (self);
}

static void
on_sidebar_row_activated_cb (GtkListBox    *box,
                             GtkListBoxRow *row,
                             TendWindow    *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
on_back_clicked_cb (GtkButton  *button,
                    TendWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* The unread messages, beside Messages in the sidebar. */
static void
on_unread_cb (TendWindow *self)
{
  guint n;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;

  if (self->messages_badge == NULL || self->messages_page == NULL)
    return;
  n = tend_messages_page_get_unread (self->messages_page);
  text = g_strdup_printf ("%u", n);
  gtk_label_set_text (self->messages_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->messages_badge), n > 0);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Messages, %u unread", "Messages, %u unread", n), n);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_ancestor (GTK_WIDGET (self->messages_badge),
                                                                           GTK_TYPE_LIST_BOX_ROW)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, n > 0 ? label : _("Messages"), -1);
}

static void
build_sidebar (TendWindow *self)
{
  g_autoptr(GListModel) pages = G_LIST_MODEL (gtk_stack_get_pages (self->section_stack));
  guint n = g_list_model_get_n_items (pages);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (pages, i);
      GtkStackPage *page = GTK_STACK_PAGE (item);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page));
      GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      if (g_strcmp0 (gtk_stack_page_get_name (page), "messages") == 0)
        {
          self->messages_badge = GTK_LABEL (gtk_label_new (NULL));
          gtk_widget_add_css_class (GTK_WIDGET (self->messages_badge), "accent");
          gtk_widget_add_css_class (GTK_WIDGET (self->messages_badge), "heading");
          gtk_widget_set_visible (GTK_WIDGET (self->messages_badge), FALSE);
          gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->messages_badge));
        }
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_stack_page_get_title (page), -1);
      g_object_set_data_full (G_OBJECT (row), "section", g_strdup (gtk_stack_page_get_name (page)), g_free);
      gtk_list_box_append (self->sidebar_list, row);
    }
}

/**
 * tend_window_show_setup_assistant:
 *
 * Opens the practice's set-up steps over the window.
 *
 * Returns: (transfer none): the assistant
 */
TendSetupAssistant *
tend_window_show_setup_assistant (TendWindow *self)
{
  TendSetupAssistant *assistant;

  g_return_val_if_fail (TEND_IS_WINDOW (self), NULL);
  assistant = tend_setup_assistant_new (self->context);
  gtk_window_set_transient_for (GTK_WINDOW (assistant), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (assistant), TRUE);
  gtk_window_present (GTK_WINDOW (assistant));
  return assistant;
}

static void
practice_setup_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  tend_window_show_setup_assistant (TEND_WINDOW (widget));
}

static void
lock_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  tend_window_lock (TEND_WINDOW (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tend_context_load (TEND_WINDOW (widget)->context);
}

static void
show_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TendWindow *self = TEND_WINDOW (widget);

  tend_window_show_section (self, g_variant_get_string (parameter, NULL));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
on_call_finished_cb (GObject    *call,
                     TendWindow *self)
{
  const TendVideoModule *video = tend_video_module_get (NULL);
  GtkWidget *view = video->get_view (call);
  g_autofree char *text = g_strdup_printf (_("Video session ended after %s"), video->get_timer_text (call));

  adw_leaflet_remove (self->leaflet, view);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
  g_signal_handlers_disconnect_by_data (call, self);
  g_clear_object (&self->call);
}

/**
 * tend_window_show_call:
 * @call: a video session
 *
 * Shows its view beside the content (the chart stays usable).
 */
void
tend_window_show_call (TendWindow *self,
                       GObject    *call)
{
  const TendVideoModule *video;

  g_return_if_fail (TEND_IS_WINDOW (self));
  video = tend_video_module_get (NULL);
  g_return_if_fail (video != NULL);
  if (self->call != NULL)
    video->hang_up (self->call);
  self->call = g_object_ref (call);
  g_signal_connect (call, "finished", G_CALLBACK (on_call_finished_cb), self);
  adw_leaflet_append (self->leaflet, video->get_view (call));
  adw_leaflet_set_visible_child (self->leaflet, video->get_view (call));
}

/* Returns: (transfer none) (nullable): the video session shown */
GObject *
tend_window_get_call (TendWindow *self)
{
  g_return_val_if_fail (TEND_IS_WINDOW (self), NULL);
  return self->call;
}

static void
start_video_session_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  TendWindow *self = TEND_WINDOW (widget);
  TendStore *store = tend_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) appointment = tend_store_load (store, TEND_TYPE_APPOINTMENT,
                                                       g_variant_get_string (parameter, NULL), &error);
  const TendVideoModule *video = tend_video_module_get (&error);
  g_autoptr(GObject) call = NULL;

  if (appointment != NULL && video != NULL)
    call = video->start (self->context, TEND_APPOINTMENT (appointment), &error);
  if (call == NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Video Session Could Not Start"),
                                                  error != NULL ? error->message : _("The appointment is gone."));

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* The call beside the client's chart, so notes can be taken. */
  if (tend_appointment_get_client_id (TEND_APPOINTMENT (appointment)) != NULL)
    {
      tend_window_show_section (self, "clients");
      tend_clients_page_open_chart (self->clients_page, tend_appointment_get_client_id (TEND_APPOINTMENT (appointment)));
    }
  tend_window_show_call (self, call);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TendWindow *self = TEND_WINDOW (widget);

  tend_window_show_section (self, "clients");
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
  tend_clients_page_focus_search (self->clients_page);
}

static void ensure_calendar_page (TendWindow *self);

/* The calendar's shortcuts are the window's, so they work wherever the
 * focus is (on the sidebar, or nowhere after unlocking): each brings the
 * calendar forward and passes itself on ("win.calendar-new" to
 * "calendar.new"). */
static void
calendar_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TendWindow *self = TEND_WINDOW (widget);
  g_autofree char *target = g_strconcat ("calendar.", action_name + strlen ("win.calendar-"), NULL);

  tend_window_show_section (self, "calendar");
  ensure_calendar_page (self);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
  gtk_widget_activate_action_variant (GTK_WIDGET (self->calendar_page), target, parameter);
}

static void
tend_window_constructed (GObject *object)
{
  TendWindow *self = TEND_WINDOW (object);
  GSettings *settings = tend_context_get_settings (self->context);
  g_autofree char *section = NULL;

  G_OBJECT_CLASS (tend_window_parent_class)->constructed (object);

  if (settings != NULL)
    {
      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      section = g_settings_get_string (settings, "last-section");
    }
  tend_window_show_section (self, section != NULL ? section : "clients");

  g_signal_connect_object (self->context, "notify::search-progress", G_CALLBACK (on_search_progress_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::state", G_CALLBACK (on_context_state_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::sync", G_CALLBACK (on_context_sync_cb),
                           self, G_CONNECT_SWAPPED);
  sync_state (self);
}

static void
tend_window_dispose (GObject *object)
{
  TendWindow *self = TEND_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->sections_idle, g_source_remove);
  if (self->call != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->call, self);
      tend_video_module_get (NULL)->hang_up (self->call);
      g_clear_object (&self->call);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_WINDOW);
  g_clear_object (&self->context);
  g_clear_pointer (&self->locked_user_id, g_free);
  G_OBJECT_CLASS (tend_window_parent_class)->dispose (object);
}

static void
tend_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TendWindow *self = TEND_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TendWindow *self = TEND_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_window_class_init (TendWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tend_window_constructed;
  object_class->dispose = tend_window_dispose;
  object_class->get_property = tend_window_get_property;
  object_class->set_property = tend_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, TEND_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TEND_TYPE_CLIENTS_PAGE);
  g_type_ensure (TEND_TYPE_BILLING_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tend-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TendWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, error_detail);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, practice_title);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, section_title);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, section_stack);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, messages_holder);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, clients_page);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, calendar_holder);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, sidebar_header);
  gtk_widget_class_bind_template_child (widget_class, TendWindow, billing_holder);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "win.practice-setup", NULL, practice_setup_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.show-section", "s", show_section_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.start-video-session", "s", start_video_session_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-section", "s", "calendar");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-section", "s", "clients");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-section", "s", "messages");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-section", "s", "billing");

  gtk_widget_class_install_action (widget_class, "win.calendar-new", NULL, calendar_action);
  gtk_widget_class_install_action (widget_class, "win.calendar-today", NULL, calendar_action);
  gtk_widget_class_install_action (widget_class, "win.calendar-view", "s", calendar_action);
  gtk_widget_class_install_action (widget_class, "win.calendar-previous", NULL, calendar_action);
  gtk_widget_class_install_action (widget_class, "win.calendar-next", NULL, calendar_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.calendar-new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.calendar-today", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "win.calendar-view", "s", "day");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "win.calendar-view", "s", "week");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "win.calendar-view", "s", "month");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_CONTROL_MASK, "win.calendar-view", "s", "agenda");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_CONTROL_MASK, "win.calendar-view", "s", "rooms");
}

/* The Calendar and Messages sections are built after the window's first
 * frame (in low-priority idles, one each, so the unread count beside
 * Messages appears soon after start-up) or when first shown, whichever
 * comes first: their pages, types and first queries cost start-up
 * otherwise (bench/README.md, bench-startup).  Billing waits until shown. */
static void
ensure_messages_page (TendWindow *self)
{
  if (self->messages_page != NULL)
    return;
  self->messages_page = TEND_MESSAGES_PAGE (tend_messages_page_new ());
  g_signal_connect_object (self->messages_page, "notify::unread", G_CALLBACK (on_unread_cb), self, G_CONNECT_SWAPPED);
  adw_bin_set_child (self->messages_holder, GTK_WIDGET (self->messages_page));
  if (self->context != NULL && tend_context_get_state (self->context) == TEND_CONTEXT_STATE_READY)
    tend_messages_page_set_context (self->messages_page, self->context);
  on_unread_cb (self);
}

static void
ensure_calendar_page (TendWindow *self)
{
  if (self->calendar_page != NULL)
    return;
  self->calendar_page = g_object_new (TEND_TYPE_CALENDAR_PAGE, NULL);
  adw_bin_set_child (self->calendar_holder, GTK_WIDGET (self->calendar_page));
  if (self->context != NULL && tend_context_get_state (self->context) == TEND_CONTEXT_STATE_READY)
    tend_calendar_page_set_context (self->calendar_page, self->context);
}

static gboolean
sections_idle_cb (gpointer data)
{
  TendWindow *self = TEND_WINDOW (data);

  if (self->messages_page == NULL)
    {
      ensure_messages_page (self);
      return G_SOURCE_CONTINUE;
    }
  ensure_calendar_page (self);
  self->sections_idle = 0;
  return G_SOURCE_REMOVE;
}

static void
on_first_frame_cb (GdkFrameClock *clock,
                   TendWindow    *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, self);
  if ((self->messages_page == NULL || self->calendar_page == NULL) && self->sections_idle == 0)
    self->sections_idle = g_idle_add_full (G_PRIORITY_LOW, sections_idle_cb, self, NULL);
}

static void
on_map_cb (TendWindow *self)
{
  g_signal_handlers_disconnect_by_func (self, on_map_cb, NULL);
  g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                           G_CALLBACK (on_first_frame_cb), self, 0);
}

/* Returns: (transfer none) (nullable): the Messages section's page, once made */
GtkWidget *
tend_window_get_messages_page (TendWindow *self)
{
  g_return_val_if_fail (TEND_IS_WINDOW (self), NULL);
  return self->messages_page != NULL ? GTK_WIDGET (self->messages_page) : NULL;
}

static void
on_section_shown_cb (TendWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->section_stack);

  if (g_strcmp0 (name, "messages") == 0)
    ensure_messages_page (self);
  else if (g_strcmp0 (name, "calendar") == 0)
    ensure_calendar_page (self);
}

/* The Billing section is built the first time it is shown: most people
 * who open Tend in the morning never go there, and it costs start-up. */
static void
ensure_billing_page (TendWindow *self)
{
  if (self->billing_page != NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->section_stack), "billing") != 0)
    return;
  self->billing_page = TEND_BILLING_PAGE (tend_billing_page_new ());
  adw_bin_set_child (self->billing_holder, GTK_WIDGET (self->billing_page));
  if (self->context != NULL && tend_context_get_store (self->context) != NULL)
    {
      tend_billing_page_set_store (self->billing_page, tend_context_get_store (self->context));
      if (tend_context_get_user (self->context) != NULL)
        tend_billing_page_set_role (self->billing_page, tend_staff_get_role (tend_context_get_user (self->context)));
    }
}

static void
tend_window_init (TendWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->section_stack, "notify::visible-child-name", G_CALLBACK (ensure_billing_page), self);
  g_signal_connect_swapped (self->section_stack, "notify::visible-child-name", G_CALLBACK (on_section_shown_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  g_signal_connect_swapped (self->clients_page, "notify::title", G_CALLBACK (update_section_title), self);
  self->sync_status = TEND_SYNC_STATUS (tend_sync_status_new ());
  adw_header_bar_pack_start (self->sidebar_header, GTK_WIDGET (self->sync_status));
  build_sidebar (self);

  /* Alt+Left and Alt+Right step the calendar while it shows, before the
   * leaflet (which would take them to go back) sees them; elsewhere they
   * go back, and only when the leaflet is folded. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, GDK_ALT_MASK),
                                                          gtk_named_action_new ("win.calendar-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Right, GDK_ALT_MASK),
                                                          gtk_named_action_new ("win.calendar-next")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
  g_object_bind_property (self->leaflet, "folded", self->leaflet, "can-navigate-back", G_BINDING_SYNC_CREATE);

  /* Any input resets the idle lock: watch in the capture phase so children
   * that handle events still count. */
  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "pressed", G_CALLBACK (on_click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->last_activity = g_get_monotonic_time ();
  self->idle_source = g_timeout_add_seconds (IDLE_CHECK_SECONDS, idle_tick_cb, self);
}

TendWindow *
tend_window_new (AdwApplication *application,
                 TendContext    *context)
{
  return g_object_new (TEND_TYPE_WINDOW, "application", application, "context", context, NULL);
}

TendContext *
tend_window_get_context (TendWindow *self)
{
  g_return_val_if_fail (TEND_IS_WINDOW (self), NULL);
  return self->context;
}

/**
 * tend_window_get_page:
 *
 * Returns: which page shows: "loading", "error", "setup", "lock" or "main"
 */
const char *
tend_window_get_page (TendWindow *self)
{
  g_return_val_if_fail (TEND_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

const char *
tend_window_get_section (TendWindow *self)
{
  g_return_val_if_fail (TEND_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->section_stack);
}

void
tend_window_show_section (TendWindow *self,
                          const char *name)
{
  GtkListBoxRow *row;

  g_return_if_fail (TEND_IS_WINDOW (self));

  if (self->locked)
    return;
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->sidebar_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "section"), name) == 0)
      {
        gtk_list_box_select_row (self->sidebar_list, row);
        return;
      }
}

/**
 * tend_window_show_conversation:
 *
 * Shows the Messages section with the conversation open.
 */
void
tend_window_show_conversation (TendWindow *self,
                               const char *conversation_id)
{
  g_return_if_fail (TEND_IS_WINDOW (self));
  if (self->locked)
    return;
  tend_window_show_section (self, "messages");
  ensure_messages_page (self);
  tend_messages_page_open_conversation (self->messages_page, conversation_id);
}

/**
 * tend_window_lock:
 *
 * Hides everything behind the lock page until the user's password is given.
 */
void
tend_window_lock (TendWindow *self)
{
  g_return_if_fail (TEND_IS_WINDOW (self));

  if (self->locked || tend_context_get_state (self->context) != TEND_CONTEXT_STATE_READY)
    return;
  self->locked = TRUE;
  g_free (self->locked_user_id);
  self->locked_user_id = tend_context_get_user (self->context) != NULL
                         ? g_strdup (tend_record_get_id (TEND_RECORD (tend_context_get_user (self->context))))
                         : NULL;
  ensure_lock_page (self);
  tend_lock_page_reset (self->lock_page);
  show_page (self, "lock");
  update_actions (self);
  tend_lock_page_focus (self->lock_page);
}

gboolean
tend_window_get_locked (TendWindow *self)
{
  g_return_val_if_fail (TEND_IS_WINDOW (self), FALSE);
  return self->locked;
}

/**
 * tend_window_pretend_idle:
 * @seconds: how long ago the last input should seem
 *
 * For tests: moves the last input back in time and runs the idle check.
 */
void
tend_window_pretend_idle (TendWindow *self,
                          guint       seconds)
{
  g_return_if_fail (TEND_IS_WINDOW (self));
  self->last_activity = g_get_monotonic_time () - (gint64) seconds * G_USEC_PER_SEC;
  check_idle (self);
}
