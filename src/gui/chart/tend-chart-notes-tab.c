/* tend-chart-notes-tab.c: the chart's Notes tab: the client's notes, the
 * newest first and a page at a time, or those matching a search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * New Note offers the templates ("chart.new-note"); a row opens its note
 * ("chart.open-note"): both are the chart page's, which shows notes and
 * the editor in place of the tabs.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-chart-notes-tab.h"
#include "tend-chart-util.h"

/* Notes listed at first, and added by Show Older Notes. */
#define NOTES_PAGE 50

struct _TendChartNotesTab
{
  TendChartTab         parent_instance;

  guint                shown;          /* notes listed */
  guint                n_rows;         /* note rows in the list */
  char                *query;          /* (nullable) the search */

  GtkStack            *stack;
  TendChartReadError  *read_error;
  GtkSearchEntry      *search_entry;
  AdwPreferencesGroup *group;
  GtkWidget           *new_button;
  GtkListBox          *list;
  GtkWidget           *more_button;
};

G_DEFINE_FINAL_TYPE (TendChartNotesTab, tend_chart_notes_tab, TEND_TYPE_CHART_TAB)

static void
add_note_rows (TendChartNotesTab *self,
               GPtrArray         *notes)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GHashTable) names = tend_chart_ui_names_new ();

  for (guint i = 0; i < notes->len; i++, self->n_rows++)
    gtk_list_box_append (self->list, tend_chart_ui_note_row_new (tend_chart_tab_get_store (tab),
                                                                 tend_chart_tab_get_zone (tab),
                                                                 tend_chart_tab_get_overdue_days (tab),
                                                                 g_ptr_array_index (notes, i), names));
}

/* The client's notes matching the search (words whole, the last by its
 * start, as the store's index matches them). */
static void
show_hits (TendChartNotesTab *self)
{
  TendChartTab *tab = TEND_CHART_TAB (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = tend_chart_search_client_notes (tend_chart_tab_get_store (tab),
                                                              tend_chart_tab_get_client_id (tab), self->query,
                                                              NOTES_PAGE, &error);
  g_autofree char *title = NULL;

  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (hits == NULL)
    return;
  /* TRANSLATORS: the words searched for */
  title = g_strdup_printf (_("Notes with “%s”"), self->query);
  adw_preferences_group_set_title (self->group, title);
  adw_preferences_group_set_description (self->group, hits->len >= NOTES_PAGE
                                         ? _("The most recent matches; add a word to narrow them down.") : NULL);
  gtk_widget_set_visible (self->new_button, FALSE);
  add_note_rows (self, hits);
  if (hits->len == 0)
    gtk_list_box_append (self->list, tend_chart_ui_row_new (_("No notes match"),
                                                            _("Words are matched whole, and the last one by its start.")));
}

static void
tend_chart_notes_tab_refresh (TendChartTab *tab)
{
  TendChartNotesTab *self = TEND_CHART_NOTES_TAB (tab);
  TendStore *store = tend_chart_tab_get_store (tab);
  const char *client_id = tend_chart_tab_get_client_id (tab);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total;

  tend_chart_ui_list_clear (self->list);
  self->n_rows = 0;
  gtk_widget_set_visible (self->more_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->search_entry), tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL));
  if (!tend_chart_tab_can (tab, TEND_PERMISSION_VIEW_CLINICAL))
    return;
  if (self->query != NULL && self->query[0] != '\0')
    {
      show_hits (self);
      return;
    }
  total = tend_chart_count_notes (store, client_id, &error);
  if (total >= 0)
    notes = tend_chart_list_notes (store, client_id, 0, self->shown, &error);
  tend_chart_ui_show_read_error (self->stack, self->read_error, error);
  if (notes == NULL)
    return;
  adw_preferences_group_set_title (self->group, _("Notes"));
  adw_preferences_group_set_description (self->group, NULL);
  gtk_widget_set_visible (self->new_button, TRUE);
  add_note_rows (self, notes);
  if (notes->len == 0)
    gtk_list_box_append (self->list, tend_chart_ui_row_new (_("No notes yet"),
                                                            _("Write the first one from a template with New Note.")));
  gtk_widget_set_visible (self->more_button, total > (gint64) self->n_rows);
}

static void
on_more_clicked_cb (TendChartNotesTab *self)
{
  self->shown += NOTES_PAGE;
  tend_chart_tab_refresh (TEND_CHART_TAB (self));
}

static void
on_search_changed_cb (TendChartNotesTab *self)
{
  g_free (self->query);
  self->query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  tend_chart_tab_refresh (TEND_CHART_TAB (self));
}

static void
tend_chart_notes_tab_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TEND_TYPE_CHART_NOTES_TAB);
  G_OBJECT_CLASS (tend_chart_notes_tab_parent_class)->dispose (object);
}

static void
tend_chart_notes_tab_finalize (GObject *object)
{
  TendChartNotesTab *self = TEND_CHART_NOTES_TAB (object);

  g_clear_pointer (&self->query, g_free);
  G_OBJECT_CLASS (tend_chart_notes_tab_parent_class)->finalize (object);
}

static void
tend_chart_notes_tab_class_init (TendChartNotesTabClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  TendChartTabClass *tab_class = TEND_CHART_TAB_CLASS (klass);

  object_class->dispose = tend_chart_notes_tab_dispose;
  object_class->finalize = tend_chart_notes_tab_finalize;
  tab_class->refresh = tend_chart_notes_tab_refresh;
  g_type_ensure (TEND_TYPE_CHART_READ_ERROR);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-chart-notes-tab.ui");
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, stack);
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, read_error);
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, group);
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, new_button);
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, list);
  gtk_widget_class_bind_template_child (widget_class, TendChartNotesTab, more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  tend_chart_tab_bind_class (widget_class);
}

static void
tend_chart_notes_tab_init (TendChartNotesTab *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown = NOTES_PAGE;
  for (guint t = 0; t < TEND_NOTE_TEMPLATE_ADDENDUM; t++)
    {
      g_autofree char *action = g_strdup_printf ("chart.new-note('%s')", tend_note_template_to_string ((TendNoteTemplate) t));

      g_menu_append (menu, tend_note_template_get_label ((TendNoteTemplate) t), action);
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->new_button), G_MENU_MODEL (menu));
}

/* A chart newly opened: the first page of notes, no search. */
void
tend_chart_notes_tab_reset (TendChartNotesTab *self)
{
  g_return_if_fail (TEND_IS_CHART_NOTES_TAB (self));
  self->shown = NOTES_PAGE;
  g_clear_pointer (&self->query, g_free);
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed_cb, self);
}

/**
 * tend_chart_notes_tab_search:
 *
 * Searches the client's notes as typing in the search does (empty text:
 * the list again).
 */
void
tend_chart_notes_tab_search (TendChartNotesTab *self,
                             const char        *text)
{
  g_return_if_fail (TEND_IS_CHART_NOTES_TAB (self));
  g_signal_handlers_block_by_func (self->search_entry, on_search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, on_search_changed_cb, self);
  g_free (self->query);
  self->query = g_strstrip (g_strdup (text != NULL ? text : ""));
  tend_chart_tab_refresh (TEND_CHART_TAB (self));
}

/* The note rows listed (for tests). */
guint
tend_chart_notes_tab_get_n_rows (TendChartNotesTab *self)
{
  g_return_val_if_fail (TEND_IS_CHART_NOTES_TAB (self), 0);
  tend_chart_tab_ensure (TEND_CHART_TAB (self));
  return self->n_rows;
}
