/* tend-conflict-window.c: resolving what sync could not merge
 *
 * Each conflict shows both values side by side, this computer's and the
 * server's; a person keeps one or types another.  A deletion racing an
 * edit asks whether to keep the record or let it go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tend-conflict-window.h"

struct _TendConflictWindow
{
  AdwWindow           parent_instance;

  TendStore          *store;
  TendSyncController *sync;
  AdwPreferencesPage *page;
  GPtrArray          *groups;     /* the groups shown, to remove on refresh */
  GtkLabel           *problem;
  guint               n_shown;
};

G_DEFINE_FINAL_TYPE (TendConflictWindow, tend_conflict_window, ADW_TYPE_WINDOW)

static void refresh (TendConflictWindow *self);

/* A JSON value as a person reads it: strings without quotes. */
static char *
readable (const char *json)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL)
    return g_strdup (_("(empty)"));
  node = json_from_string (json, NULL);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return g_strdup (json);
}

/* The field's label from the record type's table, else its JSON name. */
static const char *
field_label (const char *type,
             const char *field)
{
  GType gtype = tend_record_type_from_name (type);
  g_autoptr(TendRecord) probe = NULL;
  const TendField *f;

  if (gtype == G_TYPE_INVALID)
    return field;
  probe = tend_record_new (gtype);
  f = tend_record_find_field (probe, field);
  return f != NULL ? _(f->label) : field;
}

static void
resolve (TendConflictWindow *self,
         gint64              id,
         const char         *value)
{
  g_autoptr(GError) error = NULL;

  if (!tend_store_sync_resolve (self->store, id, value, &error))
    {
      gtk_label_set_text (self->problem, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
  if (self->sync != NULL)
    tend_sync_controller_sync_now (self->sync);
  refresh (self);
}

static gint64
id_of (GtkWidget *button)
{
  return *(gint64 *) g_object_get_data (G_OBJECT (button), "conflict-id");
}

static void
on_choose_cb (GtkButton          *button,
              TendConflictWindow *self)
{
  resolve (self, id_of (GTK_WIDGET (button)), g_object_get_data (G_OBJECT (button), "value"));
}

static void
on_apply_cb (AdwEntryRow        *row,
             TendConflictWindow *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *json = NULL;

  json_node_set_string (node, gtk_editable_get_text (GTK_EDITABLE (row)));
  json = json_to_string (node, FALSE);
  resolve (self, id_of (GTK_WIDGET (row)), json);
}

static GtkWidget *
choice_button (TendConflictWindow *self,
               const char         *label,
               gint64              id,
               const char         *value)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "conflict-id", g_memdup2 (&id, sizeof id), g_free);
  g_object_set_data_full (G_OBJECT (button), "value", g_strdup (value), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_choose_cb), self);
  return button;
}

static void
add_conflict (TendConflictWindow *self,
              AdwPreferencesGroup *group,
              TendSyncConflict   *c)
{
  if (*c->field == '\0')
    {
      GtkWidget *row = adw_action_row_new ();
      gboolean deleted_there = c->server_value == NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     deleted_there ? _("Deleted on another computer, changed on this one")
                                                   : _("Deleted on this computer, changed on another one"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 choice_button (self, deleted_there ? _("_Keep It") : _("_Restore It"), c->id,
                                                deleted_there ? c->local_value : c->server_value));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), choice_button (self, _("_Delete It"), c->id, NULL));
      adw_preferences_group_add (group, row);
      return;
    }
  {
    g_autofree char *mine = readable (c->local_value);
    g_autofree char *theirs = readable (c->server_value);
    const char *label = field_label (c->type, c->field);
    GtkWidget *here = adw_action_row_new ();
    GtkWidget *there = adw_action_row_new ();
    GtkWidget *edit = adw_entry_row_new ();
    g_autofree char *here_text = g_strdup_printf (_("%s on this computer"), label);
    g_autofree char *there_text = g_strdup_printf (_("%s on the server"), label);
    g_autofree char *edit_text = g_strdup_printf (_("Or type the right %s"), label);

    /* The values are data: shown as typed, never as markup. */
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (here), FALSE);
    adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (there), FALSE);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (here), mine);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (here), here_text);
    adw_action_row_add_suffix (ADW_ACTION_ROW (here), choice_button (self, _("_Keep"), c->id, c->local_value));
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (there), theirs);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (there), there_text);
    adw_action_row_add_suffix (ADW_ACTION_ROW (there), choice_button (self, _("_Use"), c->id, c->server_value));
    adw_preferences_group_add (group, here);
    adw_preferences_group_add (group, there);

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (edit), edit_text);
    adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (edit), TRUE);
    gtk_editable_set_text (GTK_EDITABLE (edit), mine);
    g_object_set_data_full (G_OBJECT (edit), "conflict-id", g_memdup2 (&c->id, sizeof c->id), g_free);
    g_signal_connect (edit, "apply", G_CALLBACK (on_apply_cb), self);
    adw_preferences_group_add (group, edit);
  }
}

static void
refresh (TendConflictWindow *self)
{
  g_autoptr(GPtrArray) conflicts = tend_store_sync_list_conflicts (self->store, NULL);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  self->n_shown = 0;

  if (conflicts == NULL || conflicts->len == 0)
    {
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *status = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "emblem-ok-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Conflicts"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("Every change made here and on other computers has been merged."));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), status);
      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));
      g_ptr_array_add (self->groups, group);
      return;
    }
  for (guint i = 0; i < conflicts->len; i++)
    {
      TendSyncConflict *c = g_ptr_array_index (conflicts, i);
      g_autofree char *key = g_strconcat (c->type, "/", c->record_id, NULL);
      AdwPreferencesGroup *group = g_hash_table_lookup (groups, key);

      if (group == NULL)
        {
          GType gtype = tend_record_type_from_name (c->type);
          g_autofree char *name = gtype != G_TYPE_INVALID ? tend_store_dup_display_name (self->store, gtype, c->record_id)
                                                          : NULL;

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, name != NULL ? name : c->type);
          adw_preferences_page_add (self->page, group);
          g_ptr_array_add (self->groups, group);
          g_hash_table_insert (groups, g_steal_pointer (&key), group);
        }
      add_conflict (self, group, c);
      self->n_shown++;
    }
}

static void
tend_conflict_window_dispose (GObject *object)
{
  TendConflictWindow *self = TEND_CONFLICT_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_conflict_window_parent_class)->dispose (object);
}

static void
tend_conflict_window_class_init (TendConflictWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tend_conflict_window_dispose;
}

static void
tend_conflict_window_init (TendConflictWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  self->groups = g_ptr_array_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Sync Conflicts"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 560);
  gtk_box_append (GTK_BOX (box), header);
  self->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem), "error");
  gtk_widget_set_margin_top (GTK_WIDGET (self->problem), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->problem));
  self->page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page));
  adw_window_set_content (ADW_WINDOW (self), box);
}

TendConflictWindow *
tend_conflict_window_new (TendStore          *store,
                          TendSyncController *sync)
{
  TendConflictWindow *self = g_object_new (TEND_TYPE_CONFLICT_WINDOW, "modal", TRUE, NULL);

  self->store = g_object_ref (store);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  refresh (self);
  return self;
}

guint
tend_conflict_window_get_n_shown (TendConflictWindow *self)
{
  g_return_val_if_fail (TEND_IS_CONFLICT_WINDOW (self), 0);
  return self->n_shown;
}
