/* tend-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-preferences-window.h"

struct _TendPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  TendContext   *context;

  GtkSpinButton *idle_spin;
  GtkSpinButton *notice_spin;
  AdwActionRow  *practice_row;
  AdwActionRow  *zone_row;
  AdwActionRow  *database_row;
  AdwActionRow  *encryption_row;
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
  return self;
}
