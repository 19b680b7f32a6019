/* tend-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-hours-group.h"
#include "tend-move-window.h"
#include "tend-people-page.h"
#include "tend-practice-page.h"
#include "tend-rooms-page.h"
#include "tend-note-templates-page.h"
#include "tend-staff-page.h"
#include "tend-preferences-window.h"
#include "tend-totp-dialog.h"

struct _TendPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  TendContext   *context;

  GtkSpinButton *idle_spin;
  GtkSpinButton *notice_spin;
  GtkSpinButton *unsigned_spin;
  AdwActionRow  *practice_row;
  AdwActionRow  *zone_row;
  AdwActionRow  *database_row;
  AdwActionRow  *encryption_row;
  AdwActionRow  *server_row;
  GtkButton     *move_button;

  TendHoursGroup *hours;     /* the user's own, unless they see no clients */
};

G_DEFINE_FINAL_TYPE (TendPreferencesWindow, tend_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
fill (TendPreferencesWindow *self)
{
  GSettings *settings = tend_context_get_settings (self->context);
  TendPractice *practice = tend_context_get_practice (self->context);
  TendStore *store = tend_context_get_store (self->context);

  if (settings != NULL)
    {
      g_settings_bind (settings, "idle-lock-minutes",
                       gtk_spin_button_get_adjustment (self->idle_spin), "value", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "session-notice-minutes",
                       gtk_spin_button_get_adjustment (self->notice_spin), "value", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "unsigned-note-days",
                       gtk_spin_button_get_adjustment (self->unsigned_spin), "value", G_SETTINGS_BIND_DEFAULT);
    }
  if (practice != NULL)
    {
      adw_action_row_set_subtitle (self->practice_row, tend_practice_get_name (practice));
      adw_action_row_set_subtitle (self->zone_row, tend_practice_get_time_zone (practice));
    }
  adw_action_row_set_subtitle (self->database_row, tend_context_get_store_path (self->context));
  {
    TendSyncController *sync = tend_context_get_sync (self->context);
    TendStaff *user = tend_context_get_user (self->context);

    adw_action_row_set_subtitle (self->server_row, sync != NULL ? tend_sync_controller_get_server (sync)
                                                                : _("None: the practice is kept on this computer only"));
    /* An owner moves a practice kept on one computer to a server. */
    gtk_widget_set_visible (GTK_WIDGET (self->move_button),
                            sync == NULL && user != NULL &&
                            tend_role_can (tend_staff_get_role (user), TEND_PERMISSION_MANAGE_PRACTICE));
  }
  if (store != NULL)
    {
      g_autofree char *cipher = tend_store_dup_cipher_version (store);
      g_autofree char *text = g_strdup_printf (_("SQLCipher %s, schema version %u"),
                                               cipher != NULL ? cipher : "?",
                                               tend_store_get_schema_version (store));
      adw_action_row_set_subtitle (self->encryption_row, text);
    }
}

/**
 * tend_preferences_window_save_hours:
 *
 * Saves the working hours shown to the user's own staff record.
 */
gboolean
tend_preferences_window_save_hours (TendPreferencesWindow *self,
                                    GError               **error)
{
  TendStaff *user = tend_context_get_user (self->context);
  g_autoptr(TendRecord) copy = NULL;

  g_return_val_if_fail (TEND_IS_PREFERENCES_WINDOW (self), FALSE);

  if (user == NULL || self->hours == NULL)
    return TRUE;
  copy = tend_record_copy (TEND_RECORD (user));
  tend_hours_group_apply (self->hours, copy);
  if (!tend_store_save (tend_context_get_store (self->context), copy, error))
    return FALSE;
  /* The context's copy is what the calendar checks against. */
  {
    g_autoptr(JsonNode) body = tend_record_serialize_body (copy);

    tend_record_load_body (TEND_RECORD (user), body, NULL);
  }
  return TRUE;
}

void
tend_preferences_window_set_day_hours (TendPreferencesWindow *self,
                                       guint                  weekday,
                                       const char            *start,
                                       const char            *end)
{
  g_return_if_fail (TEND_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (self->hours != NULL);

  tend_hours_group_set_day (self->hours, weekday, start, end);
}

static void
on_save_hours_cb (TendPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!tend_preferences_window_save_hours (self, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  else
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Working hours saved")));
}

static void
build_hours_page (TendPreferencesWindow *self)
{
  TendStaff *user = tend_context_get_user (self->context);
  GtkWidget *page, *save;

  if (user == NULL || tend_staff_get_role (user) == TEND_ROLE_FRONT_DESK ||
      tend_staff_get_role (user) == TEND_ROLE_BILLER)
    return;

  page = adw_preferences_page_new ();
  /* Short, for the view switcher at 360 px; the group says "Your
   * Working Hours". */
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), C_("preferences page", "Hours"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "alarm-symbolic");
  self->hours = TEND_HOURS_GROUP (tend_hours_group_new ());
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->hours), _("Your Working Hours"));
  tend_hours_group_show (self->hours, user);
  save = gtk_button_new_with_mnemonic (_("_Save Working Hours"));
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (save, GTK_ALIGN_END);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_hours_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->hours), save);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->hours));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

/* Owners keep the staff list and the rooms, with or without a server;
 * supervisors and owners the note templates. */
static void
build_practice_pages (TendPreferencesWindow *self)
{
  TendStaff *user = tend_context_get_user (self->context);

  if (user == NULL)
    return;
  if (tend_role_can (tend_staff_get_role (user), TEND_PERMISSION_MANAGE_PRACTICE))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (tend_practice_page_new (self->context)));
  if (tend_role_can (tend_staff_get_role (user), TEND_PERMISSION_MANAGE_STAFF))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (tend_staff_page_new (self->context)));
  if (tend_role_can (tend_staff_get_role (user), TEND_PERMISSION_MANAGE_PRACTICE))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (tend_rooms_page_new (tend_context_get_store (self->context))));
  /* The note templates: for whoever may change them (the record policy). */
  if (tend_record_policy_may_write_type (TEND_TYPE_PRACTICE_TEMPLATE, tend_staff_get_role (user)))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (tend_note_templates_page_new (tend_context_get_store (self->context))));
}

/* Owners of a practice with a server manage who can sign in. */
static void
build_people_page (TendPreferencesWindow *self)
{
  TendStaff *user = tend_context_get_user (self->context);
  TendSyncController *sync = tend_context_get_sync (self->context);

  if (user == NULL || sync == NULL || !tend_role_can (tend_staff_get_role (user), TEND_PERMISSION_MANAGE_STAFF))
    return;
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (tend_people_page_new (self->context,
                                                                          tend_sync_controller_get_engine (sync))));
}

/* Anyone signed in to a practice server: how they sign in. */
static void
build_account_page (TendPreferencesWindow *self)
{
  TendSyncController *sync = tend_context_get_sync (self->context);
  GtkWidget *page;

  if (sync == NULL)
    return;
  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Account"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "avatar-default-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (page), "account");
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (tend_totp_group_new (tend_sync_controller_get_engine (sync))));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

/* The move's window goes over the main window, not over this one: when
 * the practice is on the server the main window starts again with it,
 * and this window's pages were built without a server. */
static void
on_move_cb (TendPreferencesWindow *self)
{
  TendMoveWindow *move = tend_move_window_new (self->context);

  gtk_window_set_transient_for (GTK_WINDOW (move), gtk_window_get_transient_for (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (move));
  gtk_window_close (GTK_WINDOW (self));
}

static void
tend_preferences_window_dispose (GObject *object)
{
  TendPreferencesWindow *self = TEND_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_preferences_window_parent_class)->dispose (object);
}

static void
tend_preferences_window_class_init (TendPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/prefs/tend-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, notice_spin);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, unsigned_spin);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, practice_row);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, zone_row);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, encryption_row);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, TendPreferencesWindow, move_button);
  gtk_widget_class_bind_template_callback (widget_class, on_move_cb);
}

static void
tend_preferences_window_init (TendPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TendPreferencesWindow *
tend_preferences_window_new (TendContext *context)
{
  TendPreferencesWindow *self = g_object_new (TEND_TYPE_PREFERENCES_WINDOW, NULL);

  self->context = g_object_ref (context);
  fill (self);
  build_hours_page (self);
  build_practice_pages (self);
  build_account_page (self);
  build_people_page (self);
  return self;
}
