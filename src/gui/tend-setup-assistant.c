/* tend-setup-assistant.c: what a new practice sets up, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A list of the steps that take a practice from its first run to its first
 * booked session: its details, the staff, rooms, services and fees, payers
 * (for a practice that bills insurance) and the first appointment.  Each
 * step is done when the records it asks for exist, so the list is resumed
 * simply by opening it again (main menu, Practice Set-Up) and shows the same
 * on every computer of a practice that syncs.  Each row opens the window
 * where the step is done; the list follows the store's changes.  It opens
 * by itself after the first run.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-billing-setup-window.h"
#include "tend-preferences-window.h"
#include "tend-setup-assistant.h"

struct _TendSetupAssistant
{
  AdwWindow     parent_instance;

  TendContext  *context;
  GtkWidget    *rows[TEND_SETUP_N_STEPS];
  GtkWidget    *marks[TEND_SETUP_N_STEPS];
  GtkLabel     *progress;
  gulong        changed_id;
};

G_DEFINE_FINAL_TYPE (TendSetupAssistant, tend_setup_assistant, ADW_TYPE_WINDOW)

typedef struct
{
  const char *title;
  const char *subtitle;
} StepText;

static const StepText steps[TEND_SETUP_N_STEPS] = {
  { N_("Practice"), N_("Its name, time zone, address and NPI") },
  { N_("Staff"), N_("The people who work here, their roles, licenses and hours") },
  { N_("Rooms"), N_("The offices sessions are booked in") },
  { N_("Services and Fees"), N_("What the practice charges for, like 90834 at its fee") },
  { N_("Insurance Payers"), N_("The payers the practice bills, if it bills insurance") },
  { N_("First Appointment"), N_("Book a session in the calendar") },
};

/* Refreshed on every change of the store: never a count of a big table. */
static gint64
count_of (TendSetupAssistant *self,
          GType               type)
{
  TendStore *store = tend_context_get_store (self->context);

  return store != NULL ? tend_store_count_up_to (store, type, 2, NULL) : 0;
}

/**
 * tend_setup_assistant_is_done:
 *
 * Returns: whether the records @step asks for exist
 */
gboolean
tend_setup_assistant_is_done (TendSetupAssistant *self,
                              TendSetupStep       step)
{
  g_return_val_if_fail (TEND_IS_SETUP_ASSISTANT (self), FALSE);

  switch (step)
    {
    case TEND_SETUP_STEP_PRACTICE:
      return tend_context_get_practice (self->context) != NULL;
    case TEND_SETUP_STEP_STAFF:
      return count_of (self, TEND_TYPE_STAFF) > 1;
    case TEND_SETUP_STEP_ROOMS:
      return count_of (self, TEND_TYPE_ROOM) > 0;
    case TEND_SETUP_STEP_SERVICES:
      return count_of (self, TEND_TYPE_SERVICE) > 0;
    case TEND_SETUP_STEP_PAYERS:
      return count_of (self, TEND_TYPE_PAYER) > 0;
    case TEND_SETUP_STEP_FIRST_BOOKING:
      return count_of (self, TEND_TYPE_APPOINTMENT) > 0;
    case TEND_SETUP_N_STEPS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

guint
tend_setup_assistant_get_n_done (TendSetupAssistant *self)
{
  guint n = 0;

  g_return_val_if_fail (TEND_IS_SETUP_ASSISTANT (self), 0);
  for (guint i = 0; i < TEND_SETUP_N_STEPS; i++)
    n += tend_setup_assistant_is_done (self, (TendSetupStep) i);
  return n;
}

/**
 * tend_setup_assistant_is_complete:
 *
 * Whether a practice has come as far as its first booking (the window
 * opens the assistant by itself only when it has not).
 */
gboolean
tend_setup_assistant_is_complete (TendContext *context)
{
  TendStore *store = tend_context_get_store (context);

  return store == NULL || tend_store_count_up_to (store, TEND_TYPE_APPOINTMENT, 1, NULL) > 0;
}

static void
refresh (TendSetupAssistant *self)
{
  guint done = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < TEND_SETUP_N_STEPS; i++)
    {
      gboolean is_done = tend_setup_assistant_is_done (self, (TendSetupStep) i);

      gtk_image_set_from_icon_name (GTK_IMAGE (self->marks[i]),
                                    is_done ? "object-select-symbolic" : "radio-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->marks[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      is_done ? _("Done") : _("To do"), -1);
      if (is_done)
        gtk_widget_add_css_class (self->marks[i], "success");
      else
        gtk_widget_remove_css_class (self->marks[i], "success");
      done += is_done;
    }
  /* TRANSLATORS: how far the practice's set-up has come, like "3 of 6 steps done" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u step done", "%u of %u steps done",
                                       TEND_SETUP_N_STEPS), done, (guint) TEND_SETUP_N_STEPS);
  gtk_label_set_text (self->progress, text);
}

static GtkWindow *
preferences_on (TendSetupAssistant *self,
                const char         *page)
{
  TendPreferencesWindow *prefs = tend_preferences_window_new (self->context);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), page);
  return GTK_WINDOW (prefs);
}

/**
 * tend_setup_assistant_open_step:
 *
 * Opens (and presents) the window where @step is done; the first booking
 * is made in the main window's calendar.
 *
 * Returns: (transfer none) (nullable): the window opened, or %NULL for the
 *   first booking
 */
GtkWindow *
tend_setup_assistant_open_step (TendSetupAssistant *self,
                                TendSetupStep       step)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GtkWindow *window = NULL;

  g_return_val_if_fail (TEND_IS_SETUP_ASSISTANT (self), NULL);

  switch (step)
    {
    case TEND_SETUP_STEP_PRACTICE:
      window = preferences_on (self, "practice");
      break;
    case TEND_SETUP_STEP_STAFF:
      window = preferences_on (self, "staff");
      break;
    case TEND_SETUP_STEP_ROOMS:
      window = preferences_on (self, "rooms");
      break;
    case TEND_SETUP_STEP_SERVICES:
    case TEND_SETUP_STEP_PAYERS:
      window = GTK_WINDOW (tend_billing_setup_window_new (tend_context_get_store (self->context)));
      adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window),
                                                    step == TEND_SETUP_STEP_SERVICES ? "services" : "payers");
      break;
    case TEND_SETUP_STEP_FIRST_BOOKING:
      if (parent != NULL)
        {
          gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-section", "s", "calendar");
          gtk_widget_activate_action (GTK_WIDGET (parent), "win.calendar-new", NULL);
        }
      return NULL;
    case TEND_SETUP_N_STEPS:
    default:
      g_return_val_if_reached (NULL);
    }
  gtk_window_set_transient_for (window, GTK_WINDOW (self));
  gtk_window_set_modal (window, TRUE);
  gtk_window_present (window);
  return window;
}

static void
on_row_activated_cb (TendSetupAssistant *self,
                     GtkListBoxRow      *row)
{
  tend_setup_assistant_open_step (self, (TendSetupStep) gtk_list_box_row_get_index (row));
}

static void
tend_setup_assistant_dispose (GObject *object)
{
  TendSetupAssistant *self = TEND_SETUP_ASSISTANT (object);

  if (self->context != NULL && tend_context_get_store (self->context) != NULL)
    g_clear_signal_handler (&self->changed_id, tend_context_get_store (self->context));
  g_clear_object (&self->context);
  G_OBJECT_CLASS (tend_setup_assistant_parent_class)->dispose (object);
}

static void
tend_setup_assistant_class_init (TendSetupAssistantClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_setup_assistant_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tend_setup_assistant_init (TendSetupAssistant *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *intro = gtk_label_new (_("Set up the practice in this order. Each step is marked done once "
                                      "its records exist, so you can stop at any time and come back "
                                      "here from the main menu."));
  GtkWidget *list = gtk_list_box_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Practice Set-Up"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 600);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 360);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_box_append (GTK_BOX (box), header);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);

  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_box_append (GTK_BOX (content), intro);
  self->progress = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->progress, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->progress), "heading");
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->progress));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (content), list);
  for (guint i = 0; i < TEND_SETUP_N_STEPS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *mark = gtk_image_new ();
      GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(steps[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(steps[i].subtitle));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), mark);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), go);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      self->rows[i] = row;
      self->marks[i] = mark;
    }
  g_signal_connect_swapped (list, "row-activated", G_CALLBACK (on_row_activated_cb), self);
}

TendSetupAssistant *
tend_setup_assistant_new (TendContext *context)
{
  TendSetupAssistant *self = g_object_new (TEND_TYPE_SETUP_ASSISTANT, NULL);

  self->context = g_object_ref (context);
  if (tend_context_get_store (context) != NULL)
    self->changed_id = g_signal_connect_swapped (tend_context_get_store (context), "changed",
                                                 G_CALLBACK (refresh), self);
  refresh (self);
  return self;
}
