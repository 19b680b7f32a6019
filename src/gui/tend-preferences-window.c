/* tend-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-people-page.h"
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

  GtkSwitch     *day_switch[7];
  GtkEntry      *day_start[7];
  GtkEntry      *day_end[7];
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
  if (store != NULL)
    {
      g_autofree char *cipher = tend_store_dup_cipher_version (store);
      g_autofree char *text = g_strdup_printf (_("SQLCipher %s, schema version %u"),
                                               cipher != NULL ? cipher : "?",
                                               tend_store_get_schema_version (store));
      adw_action_row_set_subtitle (self->encryption_row, text);
    }
}

static const char * const day_keys[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

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

  if (user == NULL || self->day_switch[0] == NULL)
    return TRUE;
  copy = tend_record_copy (TEND_RECORD (user));
  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *start_key = g_strdup_printf ("working_hours.%s.start", day_keys[d]);
      g_autofree char *end_key = g_strdup_printf ("working_hours.%s.end", day_keys[d]);
      gboolean works = gtk_switch_get_active (self->day_switch[d]);

      tend_record_set_string (copy, start_key, works ? gtk_editable_get_text (GTK_EDITABLE (self->day_start[d])) : NULL);
      tend_record_set_string (copy, end_key, works ? gtk_editable_get_text (GTK_EDITABLE (self->day_end[d])) : NULL);
    }
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
  g_return_if_fail (weekday >= 1 && weekday <= 7 && self->day_switch[0] != NULL);

  gtk_switch_set_active (self->day_switch[weekday - 1], start != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->day_start[weekday - 1]), start != NULL ? start : "");
  gtk_editable_set_text (GTK_EDITABLE (self->day_end[weekday - 1]), end != NULL ? end : "");
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
  GtkWidget *page, *group, *save;
  GDate monday;

  if (user == NULL || tend_staff_get_role (user) == TEND_ROLE_FRONT_DESK ||
      tend_staff_get_role (user) == TEND_ROLE_BILLER)
    return;

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Working Hours"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "alarm-symbolic");
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Your Working Hours"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Bookings outside these hours are refused unless the front desk or an owner books anyway. Times are in the practice’s time zone, like 09:00."));

  g_date_clear (&monday, 1);
  g_date_set_dmy (&monday, 7, G_DATE_DECEMBER, 2026); /* a Monday */
  for (guint d = 0; d < 7; d++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      GtkWidget *from = gtk_entry_new ();
      GtkWidget *to = gtk_entry_new ();
      GDate day = monday;
      char name[64];
      guint a, b;

      g_date_add_days (&day, d);
      if (g_date_strftime (name, sizeof name, "%A", &day) == 0)
        g_strlcpy (name, day_keys[d], sizeof name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_editable_set_width_chars (GTK_EDITABLE (from), 5);
      gtk_editable_set_width_chars (GTK_EDITABLE (to), 5);
      gtk_editable_set_max_width_chars (GTK_EDITABLE (from), 5);
      gtk_editable_set_max_width_chars (GTK_EDITABLE (to), 5);
      gtk_widget_set_hexpand (from, FALSE);
      gtk_widget_set_hexpand (to, FALSE);
      gtk_widget_set_valign (from, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (to, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (from), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Starts"), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (to), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Ends"), -1);
      if (tend_staff_get_working_hours (user, d + 1, &a, &b))
        {
          g_autofree char *s1 = g_strdup_printf ("%02u:%02u", a / 60, a % 60);
          g_autofree char *s2 = g_strdup_printf ("%02u:%02u", b / 60, b % 60);

          gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
          gtk_editable_set_text (GTK_EDITABLE (from), s1);
          gtk_editable_set_text (GTK_EDITABLE (to), s2);
        }
      g_object_bind_property (sw, "active", from, "sensitive", G_BINDING_SYNC_CREATE);
      g_object_bind_property (sw, "active", to, "sensitive", G_BINDING_SYNC_CREATE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), from);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new ("–"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), to);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      self->day_switch[d] = GTK_SWITCH (sw);
      self->day_start[d] = GTK_ENTRY (from);
      self->day_end[d] = GTK_ENTRY (to);
    }
  save = gtk_button_new_with_mnemonic (_("_Save Working Hours"));
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (save, GTK_ALIGN_END);
  gtk_widget_set_margin_top (save, 12);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_hours_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), save);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
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
  build_account_page (self);
  build_people_page (self);
  return self;
}
