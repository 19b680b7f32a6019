/* tend-clients-page.c: the list of clients, searched as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-page.h"
#include "tend-client-form.h"
#include "tend-client-list.h"
#include "tend-clients-page.h"

struct _TendClientsPage
{
  GtkWidget       parent_instance;

  TendStore      *store;
  TendClientList *clients;
  GtkSliceListModel *slice;
  GtkNoSelection *selection;
  guint           grow_source;
  guint           queues_source;

  GtkSearchEntry *search_entry;
  GtkLabel       *count_label;
  GtkStack       *stack;
  GtkListView    *list_view;
  GtkStack       *outer_stack;
  GtkDropDown    *status_filter;
  GtkDropDown    *clinician_filter;
  GtkDropDown    *sort_dropdown;
  GtkStringList  *clinician_names;
  GPtrArray      *clinician_ids;   /* parallel to the dropdown, index 0 is "all" (NULL) */
  TendChartPage  *chart_page;
  GTimeZone      *zone;
  TendSyncController *sync;
  GtkBox         *queue_box;
  GtkWidget      *search_notice;
  GtkProgressBar *search_progress;
  guint           overdue_days;
  gulong          changed_id;
  char           *title;           /* the open chart's client, else NULL */
};

G_DEFINE_FINAL_TYPE (TendClientsPage, tend_clients_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Inside a chart the window is titled with the client's name. */
static void
update_title (TendClientsPage *self)
{
  const char *client_id = self->chart_page != NULL ? tend_chart_page_get_client_id (self->chart_page) : NULL;
  g_autofree char *title = NULL;

  if (self->outer_stack == NULL)
    return;
  if (self->store != NULL && client_id != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->outer_stack), "chart") == 0)
    title = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT, client_id);
  if (g_strcmp0 (title, self->title) == 0)
    return;
  g_free (self->title);
  self->title = g_steal_pointer (&title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

static void
update_view (TendClientsPage *self)
{
  guint n = self->clients != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->clients)) : 0;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *count = NULL;

  if (n == 0)
    gtk_stack_set_visible_child_name (self->stack, *query != '\0' ? "no-results" : "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (self->clients != NULL && tend_client_list_is_truncated (self->clients))
    count = g_strdup_printf (_("Showing the first %u matches: keep typing to narrow them"), n);
  else if (*query != '\0')
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u match", "%'u matches", n), n);
  else
    /* TRANSLATORS: %'u is the number with the locale's digit grouping: "50,000 clients" */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u client", "%'u clients", n), n);
  /* Before the whole list is read (just after start-up) the count is not
   * known yet. */
  if (self->clients != NULL && !tend_client_list_is_complete (self->clients))
    gtk_label_set_text (self->count_label, "");
  else
    gtk_label_set_text (self->count_label, n == 0 && *query == '\0' ? "" : count);
}

/* GTK 4.8's list view builds some two hundred rows up front, whatever fits
 * on screen.  The first frame gets the rows a window can show; the rest are
 * built a few at a time after it, so the window appears at once and no frame
 * waits for rows nobody sees yet. */
#define FIRST_ROWS 16
#define MORE_ROWS  40
#define ALL_ROWS_AFTER 240
/* Rows listed before the first frame: more than a window shows. */
#define FIRST_LIST 64

static gboolean
grow_cb (gpointer user_data)
{
  TendClientsPage *self = TEND_CLIENTS_PAGE (user_data);
  guint size = gtk_slice_list_model_get_size (self->slice);

  /* First, the rest of the list (only its first rows were read for the
   * first frame); then the rows, a few at a time. */
  if (self->clients != NULL && !tend_client_list_is_complete (self->clients))
    {
      tend_client_list_load_all (self->clients);
      return G_SOURCE_CONTINUE;
    }

  if (size >= ALL_ROWS_AFTER)
    {
      gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
      self->grow_source = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_slice_list_model_set_size (self->slice, size + MORE_ROWS);
  return G_SOURCE_CONTINUE;
}

static void
on_list_after_paint_cb (GdkFrameClock   *clock,
                        TendClientsPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_list_after_paint_cb, self);
  if (self->slice != NULL && self->grow_source == 0 &&
      gtk_slice_list_model_get_size (self->slice) < G_MAXUINT)
    self->grow_source = g_idle_add_full (G_PRIORITY_LOW, grow_cb, self, NULL);
}

static void
on_list_map_cb (TendClientsPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view));

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_list_after_paint_cb), self);
}

static void
on_items_changed_cb (TendClientsPage *self)
{
  update_view (self);
}

static void
on_search_changed_cb (TendClientsPage *self)
{
  if (self->clients != NULL)
    tend_client_list_set_query (self->clients, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_activate_cb (TendClientsPage *self)
{
  /* Enter moves into the results. */
  if (self->clients != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->clients)) > 0)
    gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
}

static void
on_filter_changed_cb (TendClientsPage *self)
{
  static const char * const statuses[] = { NULL, "active", "inactive", "discharged" };
  guint s = gtk_drop_down_get_selected (self->status_filter);
  guint c = gtk_drop_down_get_selected (self->clinician_filter);
  guint sort = gtk_drop_down_get_selected (self->sort_dropdown);

  if (self->clients == NULL)
    return;
  tend_client_list_set_filter (self->clients,
                               s < G_N_ELEMENTS (statuses) ? statuses[s] : NULL,
                               self->clinician_ids != NULL && c < self->clinician_ids->len
                               ? g_ptr_array_index (self->clinician_ids, c) : NULL,
                               sort <= TEND_CLIENT_SORT_NEWEST ? (TendClientSort) sort : TEND_CLIENT_SORT_NAME);
}

static void
load_clinicians (TendClientsPage *self)
{
  g_autoptr(GPtrArray) staff = self->store != NULL ? tend_store_list (self->store, TEND_TYPE_STAFF, NULL) : NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("All clinicians"));
  g_ptr_array_add (self->clinician_ids, NULL);
  for (guint i = 0; staff != NULL && i < staff->len; i++)
    if (tend_staff_sees_clients (g_ptr_array_index (staff, i)))
      {
        g_autofree char *name = tend_staff_dup_display_name (g_ptr_array_index (staff, i));

        gtk_string_list_append (names, name);
        g_ptr_array_add (self->clinician_ids, g_strdup (tend_record_get_id (g_ptr_array_index (staff, i))));
      }
  gtk_drop_down_set_model (self->clinician_filter, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->clinician_filter, 0);
}

static void
on_queue_row_activated_cb (GtkListBox      *list,
                           GtkListBoxRow   *row,
                           TendClientsPage *self)
{
  const char *client_id = g_object_get_data (G_OBJECT (row), "client-id");
  const char *note_id = g_object_get_data (G_OBJECT (row), "note-id");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  if (tend_clients_page_open_chart (self, client_id))
    tend_chart_page_open_note (self->chart_page, note_id, NULL);
}

/* A button with a popover listing @notes; each row opens its note. */
static GtkWidget *
queue_button (TendClientsPage *self,
              const char      *label,
              GPtrArray       *notes)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), label);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "tend-queue");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < notes->len && i < 100; i++)
    {
      TendClinicalNote *note = g_ptr_array_index (notes, i);
      g_autofree char *client = tend_store_dup_display_name (self->store, TEND_TYPE_CLIENT,
                                                             tend_clinical_note_get_client_id (note));
      GDate d;
      g_autofree char *date = tend_date_parse (tend_clinical_note_get_service_date (note), &d, NULL)
                              ? tend_date_format_local (&d) : g_strdup ("");
      g_autofree char *kind = tend_clinical_note_dup_template_name (note);
      /* TRANSLATORS: client, date, kind of note: "Ann Smith · 03/02/2026 · SOAP note" */
      g_autofree char *text = g_strdup_printf (_("%s · %s · %s"), client != NULL ? client : "—", date, kind);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *row_label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (row_label), 0);
      gtk_widget_set_margin_start (row_label, 10);
      gtk_widget_set_margin_end (row_label, 10);
      gtk_widget_set_margin_top (row_label, 8);
      gtk_widget_set_margin_bottom (row_label, 8);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), row_label);
      g_object_set_data_full (G_OBJECT (row), "client-id", g_strdup (tend_clinical_note_get_client_id (note)), g_free);
      g_object_set_data_full (G_OBJECT (row), "note-id", g_strdup (tend_record_get_id (TEND_RECORD (note))), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_queue_row_activated_cb), self, 0);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_widget_set_size_request (scroller, 420, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

/* The signed-in clinician's work: notes waiting for their co-signature,
 * and their own drafts unsigned for too long. */
static void update_queues (TendClientsPage *self);

static gboolean
update_queues_idle_cb (gpointer user_data)
{
  TendClientsPage *self = user_data;

  self->queues_source = 0;
  update_queues (self);
  return G_SOURCE_REMOVE;
}

static void
update_queues (TendClientsPage *self)
{
  GtkWidget *child;
  const char *actor;
  TendRole role;
  g_autoptr(GPtrArray) cosign = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  GDate today;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->queue_box))) != NULL)
    gtk_box_remove (self->queue_box, child);
  gtk_widget_set_visible (GTK_WIDGET (self->queue_box), FALSE);
  if (self->store == NULL || (actor = tend_store_get_actor_id (self->store)) == NULL ||
      !tend_store_get_actor_role (self->store, &role) || !tend_role_can (role, TEND_PERMISSION_VIEW_CLINICAL))
    return;
  now = g_date_time_new_now (self->zone != NULL ? self->zone : local);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
  if (tend_role_can (role, TEND_PERMISSION_COSIGN))
    cosign = tend_chart_list_cosign_queue (self->store, actor, NULL);
  overdue = tend_chart_list_unsigned (self->store, actor, self->overdue_days, &today, NULL);
  if (cosign != NULL && cosign->len > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note waits for your co-signature",
                                                             "%u notes wait for your co-signature", cosign->len),
                                                cosign->len);
      gtk_box_append (self->queue_box, queue_button (self, label, cosign));
    }
  if (overdue != NULL && overdue->len > 0)
    {
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of your notes is unsigned after %u days",
                                                             "%u of your notes are unsigned after %u days", overdue->len),
                                                overdue->len, self->overdue_days);
      gtk_box_append (self->queue_box, queue_button (self, label, overdue));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->queue_box), gtk_widget_get_first_child (GTK_WIDGET (self->queue_box)) != NULL);
}

static void
on_store_changed_cb (TendStore       *store,
                     const char      *type_name,
                     const char      *id,
                     TendClientsPage *self)
{
  if (g_strcmp0 (type_name, "note") == 0)
    update_queues (self);
}

static void
on_chart_back_cb (TendClientsPage *self)
{
  update_queues (self);
  gtk_stack_set_visible_child_name (self->outer_stack, "list");
}

static void
on_client_saved_cb (TendClientForm  *form,
                    const char      *client_id,
                    TendClientsPage *self)
{
  tend_clients_page_open_chart (self, client_id);
}

static void
on_new_client_clicked_cb (TendClientsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  TendClientForm *form;

  if (self->store == NULL)
    return;
  form = tend_client_form_new (self->store);
  gtk_window_set_modal (GTK_WINDOW (form), TRUE);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (root));
  g_signal_connect_object (form, "saved", G_CALLBACK (on_client_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (form));
}

static void
on_list_activate_cb (TendClientsPage *self,
                     guint            position)
{
  g_autoptr(TendClient) client = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (client != NULL)
    tend_clients_page_open_chart (self, tend_record_get_id (TEND_RECORD (client)));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *avatar = adw_avatar_new (40, NULL, TRUE);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *status = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (status, "tend-status");

  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), status);
  gtk_list_item_set_child (item, box);

  g_object_set_data (G_OBJECT (item), "avatar", avatar);
  g_object_set_data (G_OBJECT (item), "name", name);
  g_object_set_data (G_OBJECT (item), "detail", detail);
  g_object_set_data (G_OBJECT (item), "status", status);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  TendClient *client = gtk_list_item_get_item (item);
  g_autofree char *display = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GtkWidget *status = g_object_get_data (G_OBJECT (item), "status");
  const char *pronouns, *dob, *phone, *number;
  TendClientStatus st;
  GDate today;
  int age;

  if (client == NULL)
    return;

  display = tend_client_dup_display_name (client);
  pronouns = tend_client_get_pronouns (client);
  name = pronouns != NULL ? g_strdup_printf ("%s (%s)", display, pronouns) : g_strdup (display);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));

  number = tend_client_get_record_number (client);
  if (number != NULL)
    g_string_append (detail, number);
  dob = tend_client_get_date_of_birth (client);
  age = tend_client_get_age (client, &today);
  if (dob != NULL && age >= 0)
    {
      GDate d;

      if (tend_date_parse (dob, &d, NULL))
        {
          g_autofree char *formatted = tend_date_format_local (&d);

          if (detail->len > 0)
            g_string_append (detail, " · ");
          /* TRANSLATORS: a date of birth and the age, "03/14/1987 (39)" */
          g_string_append_printf (detail, _("%s (%d)"), formatted, age);
        }
    }
  phone = tend_client_get_phone (client);
  if (phone != NULL)
    {
      if (detail->len > 0)
        g_string_append (detail, " · ");
      g_string_append (detail, phone);
    }

  adw_avatar_set_text (ADW_AVATAR (g_object_get_data (G_OBJECT (item), "avatar")), display);
  gtk_label_set_text (GTK_LABEL (g_object_get_data (G_OBJECT (item), "name")), name);
  gtk_label_set_text (GTK_LABEL (g_object_get_data (G_OBJECT (item), "detail")), detail->str);

  st = tend_client_get_status (client);
  gtk_label_set_text (GTK_LABEL (status), tend_client_status_get_label (st));
  gtk_widget_set_visible (status, st != TEND_CLIENT_STATUS_ACTIVE);
  gtk_widget_remove_css_class (status, "inactive");
  gtk_widget_remove_css_class (status, "discharged");
  gtk_widget_add_css_class (status, st == TEND_CLIENT_STATUS_DISCHARGED ? "discharged" : "inactive");
}

static void
tend_clients_page_dispose (GObject *object)
{
  TendClientsPage *self = TEND_CLIENTS_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_handle_id (&self->queues_source, g_source_remove);
  if (self->list_view != NULL && gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view)) != NULL)
    g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view)),
                                          on_list_after_paint_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_CLIENTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->clients);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->title, g_free);
  G_OBJECT_CLASS (tend_clients_page_parent_class)->dispose (object);
}

static void
tend_clients_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TendClientsPage *self = TEND_CLIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tend_clients_page_class_init (TendClientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_clients_page_dispose;
  object_class->get_property = tend_clients_page_get_property;

  /**
   * TendClientsPage:title: (nullable)
   *
   * The name of the client whose chart is open, or %NULL on the list.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/clients/tend-clients-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, outer_stack);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, clinician_filter);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, queue_box);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, search_notice);
  gtk_widget_class_bind_template_child (widget_class, TendClientsPage, search_progress);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_client_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
}

static void
tend_clients_page_init (TendClientsPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_search_delay (self->search_entry, 80);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_signal_connect_object (self->list_view, "map", G_CALLBACK (on_list_map_cb), self, G_CONNECT_SWAPPED);
  self->overdue_days = 3;
  g_signal_connect_object (self->outer_stack, "notify::visible-child", G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  update_view (self);
}

/* The chart page is made when the first chart opens (it costs start-up). */
static TendChartPage *
ensure_chart_page (TendClientsPage *self)
{
  if (self->chart_page == NULL)
    {
      self->chart_page = TEND_CHART_PAGE (tend_chart_page_new ());
      gtk_stack_add_named (self->outer_stack, GTK_WIDGET (self->chart_page), "chart");
      g_signal_connect_object (self->chart_page, "back", G_CALLBACK (on_chart_back_cb), self, G_CONNECT_SWAPPED);
      tend_chart_page_set_overdue_days (self->chart_page, self->overdue_days);
      tend_chart_page_set_store (self->chart_page, self->store, self->zone);
      tend_chart_page_set_sync (self->chart_page, self->sync);
    }
  return self->chart_page;
}

void
tend_clients_page_set_store (TendClientsPage *self,
                             TendStore       *store)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_set_object (&self->store, store);
  if (store != NULL)
    self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_object (&self->selection);
  g_clear_object (&self->slice);
  g_clear_object (&self->clients);
  if (store != NULL)
    {
      /* Before the first frame, only the rows it shows are listed; the
       * rest come after it (on_list_after_paint_cb). */
      self->clients = gtk_widget_get_mapped (GTK_WIDGET (self->list_view))
                      ? tend_client_list_new (store) : tend_client_list_new_first (store, FIRST_LIST);
      tend_client_list_set_query (self->clients, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      g_signal_connect_object (self->clients, "items-changed", G_CALLBACK (on_items_changed_cb),
                               self, G_CONNECT_SWAPPED);
      self->slice = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->clients)), 0,
                                              gtk_widget_get_mapped (GTK_WIDGET (self->list_view)) ? G_MAXUINT : FIRST_ROWS);
      self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
    }
  if (self->chart_page != NULL)
    tend_chart_page_set_store (self->chart_page, store, self->zone);
  load_clinicians (self);
  on_filter_changed_cb (self);
  /* After the first frame: the list is what a person looks at first. */
  g_clear_handle_id (&self->queues_source, g_source_remove);
  self->queues_source = g_idle_add_full (G_PRIORITY_LOW, update_queues_idle_cb, self, NULL);
  gtk_stack_set_visible_child_name (self->outer_stack, "list");
  update_view (self);
}

/* Drafts older than @days are listed as overdue (the unsigned-note-days
 * setting). */
void
tend_clients_page_set_overdue_days (TendClientsPage *self,
                                    guint            days)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));
  self->overdue_days = MAX (days, 1);
  if (self->chart_page != NULL)
    tend_chart_page_set_overdue_days (self->chart_page, self->overdue_days);
  update_queues (self);
}

GtkBox *
tend_clients_page_get_queues (TendClientsPage *self)
{
  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), NULL);
  return self->queue_box;
}

/* Times in the chart are shown in the practice's zone. */
void
tend_clients_page_set_zone (TendClientsPage *self,
                            GTimeZone       *zone)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : NULL;
  if (self->chart_page != NULL)
    tend_chart_page_set_store (self->chart_page, self->store, self->zone);
}

/* The practice server, when the store syncs with one (the chart's Invite
 * to Portal). */
void
tend_clients_page_set_sync (TendClientsPage    *self,
                            TendSyncController *sync)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));
  g_set_object (&self->sync, sync);
  if (self->chart_page != NULL)
    tend_chart_page_set_sync (self->chart_page, sync);
}

/**
 * tend_clients_page_open_chart:
 *
 * Shows a client's chart in place of the list (Back returns to it).
 */
gboolean
tend_clients_page_open_chart (TendClientsPage *self,
                              const char      *client_id)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), FALSE);
  if (!tend_chart_page_set_client (ensure_chart_page (self), client_id, &error))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("The Chart Could Not Be Opened"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return FALSE;
    }
  gtk_stack_set_visible_child_name (self->outer_stack, "chart");
  /* Another client's chart in place of the one showing. */
  update_title (self);
  return TRUE;
}

const char *
tend_clients_page_get_title (TendClientsPage *self)
{
  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), NULL);
  return self->title;
}

TendChartPage *
tend_clients_page_get_chart_page (TendClientsPage *self)
{
  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), NULL);
  return ensure_chart_page (self);
}

GtkDropDown *
tend_clients_page_get_filter (TendClientsPage *self,
                              const char      *which)
{
  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), NULL);
  if (g_strcmp0 (which, "status") == 0)
    return self->status_filter;
  if (g_strcmp0 (which, "clinician") == 0)
    return self->clinician_filter;
  return self->sort_dropdown;
}

void
tend_clients_page_focus_search (TendClientsPage *self)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Types into the search entry as a person would (search-changed follows). */
void
tend_clients_page_set_query (TendClientsPage *self,
                             const char      *query)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
}

/**
 * tend_clients_page_get_model:
 *
 * Returns: (transfer none) (nullable): the clients shown
 */
GListModel *
tend_clients_page_get_model (TendClientsPage *self)
{
  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), NULL);
  return self->clients != NULL ? G_LIST_MODEL (self->clients) : NULL;
}

const char *
tend_clients_page_get_view (TendClientsPage *self)
{
  g_return_val_if_fail (TEND_IS_CLIENTS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * tend_clients_page_set_search_progress:
 * @fraction: how far the search indexes' build is (0 to 1), or -1 when
 *   none is running
 *
 * While the search indexes are built after a first sync, the page says
 * that search finds clients by family name only, and how far the build is.
 */
void
tend_clients_page_set_search_progress (TendClientsPage *self,
                                       double           fraction)
{
  g_return_if_fail (TEND_IS_CLIENTS_PAGE (self));

  gtk_widget_set_visible (self->search_notice, fraction >= 0);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->search_progress, fraction);
}
