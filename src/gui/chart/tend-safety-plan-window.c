/* tend-safety-plan-window.c: writing a client's safety plan with them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One page: the date, each Stanley-Brown step as its own box (one item per
 * line, in the client's words, with the step's question under its
 * heading), the crisis line, and whether the client sees it in the portal.
 * Saving writes a new version of the plan (or the first); what is typed
 * stays in the window when the store refuses it, with the reason shown.
 * "saved" is emitted after a save.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-date-row.h"
#include "tend-safety-plan-window.h"

struct _TendSafetyPlanWindow
{
  AdwWindow       parent_instance;

  TendStore      *store;
  char           *client_id;
  TendSafetyPlan *plan;      /* (nullable) the version being revised */
  GTimeZone      *zone;
  AdwEntryRow    *date_row;
  AdwEntryRow    *crisis_row;
  GtkSwitch      *shared;
  GtkTextBuffer  *buffers[TEND_SAFETY_PLAN_N_STEPS];
  GtkLabel       *error_label;
};

G_DEFINE_FINAL_TYPE (TendSafetyPlanWindow, tend_safety_plan_window, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

GtkTextBuffer *
tend_safety_plan_window_get_step (TendSafetyPlanWindow *self,
                                  const char           *key)
{
  const TendSafetyPlanStep *steps = tend_safety_plan_get_steps ();

  g_return_val_if_fail (TEND_IS_SAFETY_PLAN_WINDOW (self), NULL);
  for (guint i = 0; i < TEND_SAFETY_PLAN_N_STEPS; i++)
    if (g_str_equal (steps[i].key, key))
      return self->buffers[i];
  return NULL;
}

/**
 * tend_safety_plan_window_save:
 *
 * Saves what the window shows as the client's plan.
 */
gboolean
tend_safety_plan_window_save (TendSafetyPlanWindow *self,
                              GError              **error)
{
  const TendSafetyPlanStep *steps = tend_safety_plan_get_steps ();
  g_autoptr(TendRecord) record = NULL;
  g_autofree char *date = NULL;
  GError *local = NULL;

  g_return_val_if_fail (TEND_IS_SAFETY_PLAN_WINDOW (self), FALSE);

  record = self->plan != NULL
           ? tend_record_copy (TEND_RECORD (self->plan))
           : TEND_RECORD (tend_safety_plan_new (self->client_id, tend_store_get_actor_id (self->store), NULL));
  if (!tend_date_row_get_date (GTK_WIDGET (self->date_row), &date, &local))
    {
      /* TRANSLATORS: "Date: <why the date was refused>" */
      g_autofree char *message = g_strdup_printf (_("%s: %s"), _("Date"), local->message);

      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      gtk_label_set_text (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_propagate_error (error, local);
      return FALSE;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  tend_record_set_string (record, "plan_date", date);
  tend_record_set_string (record, "crisis_line", gtk_editable_get_text (GTK_EDITABLE (self->crisis_row)));
  tend_record_set_int (record, "shared_with_client", gtk_switch_get_active (self->shared));
  /* Whoever revises it last made this version with the client. */
  tend_record_set_string (record, "author_id", tend_store_get_actor_id (self->store));
  for (guint i = 0; i < TEND_SAFETY_PLAN_N_STEPS; i++)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (self->buffers[i], &start, &end);
      text = gtk_text_buffer_get_text (self->buffers[i], &start, &end, FALSE);
      tend_record_set_string (record, steps[i].key, text);
    }
  if (!tend_record_validate (record, &local) || !tend_store_save (self->store, record, &local))
    {
      gtk_label_set_text (self->error_label, local->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      g_propagate_error (error, local);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  g_set_object (&self->plan, TEND_SAFETY_PLAN (record));
  g_signal_emit (self, signals[SAVED], 0);
  return TRUE;
}

static void
on_save_clicked_cb (TendSafetyPlanWindow *self)
{
  if (tend_safety_plan_window_save (self, NULL))
    gtk_window_close (GTK_WINDOW (self));
}

static void
tend_safety_plan_window_dispose (GObject *object)
{
  TendSafetyPlanWindow *self = TEND_SAFETY_PLAN_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->plan);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_safety_plan_window_parent_class)->dispose (object);
}

static void
tend_safety_plan_window_class_init (TendSafetyPlanWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_safety_plan_window_dispose;
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tend_safety_plan_window_init (TendSafetyPlanWindow *self)
{
}

static GtkWidget *
step_box (TendSafetyPlanWindow *self,
          guint                 i)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  self->buffers[i] = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _(tend_safety_plan_get_steps ()[i].title), -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_add_css_class (frame, "view");
  return frame;
}

static void
build (TendSafetyPlanWindow *self)
{
  const TendSafetyPlanStep *steps = tend_safety_plan_get_steps ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *top = adw_preferences_group_new ();
  GtkWidget *shared_row = adw_action_row_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  gtk_window_set_title (GTK_WINDOW (self), _("Safety Plan"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 760);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 400);
  adw_window_set_content (ADW_WINDOW (self), box);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (on_save_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (top),
                                         _("Write it with the client, in their own words, one item per line."));
  self->date_row = ADW_ENTRY_ROW (tend_date_row_new (_("Date")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (top), GTK_WIDGET (self->date_row));
  self->crisis_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crisis_row), _("Crisis line"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (top), GTK_WIDGET (self->crisis_row));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (shared_row), _("Share with the client"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (shared_row), _("The client sees it in the portal"));
  self->shared = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->shared), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (shared_row), GTK_WIDGET (self->shared));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (shared_row), GTK_WIDGET (self->shared));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (top), shared_row);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->error_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (top), GTK_WIDGET (self->error_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (top));

  for (guint i = 0; i < TEND_SAFETY_PLAN_N_STEPS; i++)
    {
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(steps[i].title));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _(steps[i].prompt));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), step_box (self, i));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
    }

  /* The version being revised, or a new plan dated today. */
  if (self->plan != NULL)
    {
      tend_date_row_set_date (GTK_WIDGET (self->date_row), today);
      gtk_editable_set_text (GTK_EDITABLE (self->crisis_row),
                             tend_record_get_string (TEND_RECORD (self->plan), "crisis_line") ?: "");
      gtk_switch_set_active (self->shared, tend_record_get_int (TEND_RECORD (self->plan), "shared_with_client") != 0);
      for (guint i = 0; i < TEND_SAFETY_PLAN_N_STEPS; i++)
        gtk_text_buffer_set_text (self->buffers[i],
                                  tend_record_get_string (TEND_RECORD (self->plan), steps[i].key) ?: "", -1);
    }
  else
    {
      g_autoptr(TendSafetyPlan) fresh = tend_safety_plan_new (self->client_id, NULL, today);

      tend_date_row_set_date (GTK_WIDGET (self->date_row), today);
      gtk_editable_set_text (GTK_EDITABLE (self->crisis_row),
                             tend_record_get_string (TEND_RECORD (fresh), "crisis_line"));
    }
}

/**
 * tend_safety_plan_window_new:
 * @plan: (nullable): the plan to revise; %NULL for a first plan
 * @zone: the practice's, for today's date
 */
TendSafetyPlanWindow *
tend_safety_plan_window_new (TendStore      *store,
                             const char     *client_id,
                             TendSafetyPlan *plan,
                             GTimeZone      *zone)
{
  TendSafetyPlanWindow *self = g_object_new (TEND_TYPE_SAFETY_PLAN_WINDOW, NULL);

  self->store = g_object_ref (store);
  self->client_id = g_strdup (client_id);
  self->plan = plan != NULL ? g_object_ref (plan) : NULL;
  self->zone = g_time_zone_ref (zone);
  build (self);
  return self;
}
