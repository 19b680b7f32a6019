/* tend-note-form-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One of a note's structured parts (the risk assessment, the mental status
 * exam): per item a choice list ("Not recorded" first) and a line of free
 * text, from the item table in core, so the editor, the chart and the PDF
 * name the same things.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-note-form-group.h"

struct _TendNoteFormGroup
{
  AdwPreferencesGroup  parent_instance;

  TendNoteForm         form;
  GHashTable          *choices;   /* item key -> AdwComboRow */
  GHashTable          *texts;     /* item key -> AdwEntryRow */
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (TendNoteFormGroup, tend_note_form_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_row_changed_cb (TendNoteFormGroup *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
build (TendNoteFormGroup *self)
{
  guint n = 0;
  const TendNoteItem *items = tend_note_form_get_items (self->form, &n);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), tend_note_form_get_label (self->form));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         self->form == TEND_NOTE_FORM_RISK
                                         ? _("Once started, it needs a risk level; above low, the actions taken")
                                         : _("Choose what you observed and add detail where it helps"));
  for (guint i = 0; i < n; i++)
    {
      if (items[i].choices != NULL)
        {
          g_autoptr(GtkStringList) model = gtk_string_list_new ((const char *[]) { _("Not recorded"), NULL });
          GtkWidget *row = adw_combo_row_new ();

          for (guint c = 0; items[i].choices[c].nick != NULL; c++)
            gtk_string_list_append (model, _(items[i].choices[c].label));
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(items[i].label));
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
          g_signal_connect_object (row, "notify::selected", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
          g_hash_table_insert (self->choices, (gpointer) items[i].key, row);
        }
      {
        GtkWidget *row = adw_entry_row_new ();
        g_autofree char *title = NULL;

        if (items[i].choices == NULL)
          title = g_strdup (_(items[i].label));
        else if (items[i].hint != NULL)
          /* TRANSLATORS: an item, then what to write: "Mood: in the client’s words" */
          title = g_strdup_printf (_("%s: %s"), _(items[i].label), _(items[i].hint));
        else
          /* TRANSLATORS: the free text of an item, e.g. "Insight: details" */
          title = g_strdup_printf (_("%s: details"), _(items[i].label));
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        if (items[i].choices == NULL && items[i].hint != NULL)
          gtk_widget_set_tooltip_text (row, _(items[i].hint));
        g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
        g_hash_table_insert (self->texts, (gpointer) items[i].key, row);
      }
    }
}

static void
tend_note_form_group_finalize (GObject *object)
{
  TendNoteFormGroup *self = TEND_NOTE_FORM_GROUP (object);

  g_clear_pointer (&self->choices, g_hash_table_unref);
  g_clear_pointer (&self->texts, g_hash_table_unref);
  G_OBJECT_CLASS (tend_note_form_group_parent_class)->finalize (object);
}

static void
tend_note_form_group_class_init (TendNoteFormGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tend_note_form_group_finalize;

  /**
   * TendNoteFormGroup::changed: something was typed or chosen
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_note_form_group_init (TendNoteFormGroup *self)
{
  self->choices = g_hash_table_new (g_str_hash, g_str_equal);
  self->texts = g_hash_table_new (g_str_hash, g_str_equal);
}

GtkWidget *
tend_note_form_group_new (TendNoteForm form)
{
  TendNoteFormGroup *self = g_object_new (TEND_TYPE_NOTE_FORM_GROUP, NULL);

  self->form = form;
  build (self);
  return GTK_WIDGET (self);
}

/* Shows what @note holds of this form. */
void
tend_note_form_group_load (TendNoteFormGroup *self,
                           TendClinicalNote  *note)
{
  guint n = 0;
  const TendNoteItem *items = tend_note_form_get_items (self->form, &n);

  g_return_if_fail (TEND_IS_NOTE_FORM_GROUP (self));
  self->loading = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *choice = tend_clinical_note_dup_item_choice (note, self->form, items[i].key);
      g_autofree char *text = tend_clinical_note_dup_item_text (note, self->form, items[i].key);
      AdwComboRow *row = g_hash_table_lookup (self->choices, items[i].key);

      if (row != NULL)
        {
          guint selected = 0;

          for (guint c = 0; choice != NULL && items[i].choices[c].nick != NULL; c++)
            if (g_strcmp0 (items[i].choices[c].nick, choice) == 0)
              selected = c + 1;
          adw_combo_row_set_selected (row, selected);
        }
      gtk_editable_set_text (GTK_EDITABLE (g_hash_table_lookup (self->texts, items[i].key)), text != NULL ? text : "");
    }
  self->loading = FALSE;
}

/* Puts what is chosen and typed into @note (empty items are dropped). */
void
tend_note_form_group_apply (TendNoteFormGroup *self,
                            TendClinicalNote  *note)
{
  guint n = 0;
  const TendNoteItem *items = tend_note_form_get_items (self->form, &n);

  g_return_if_fail (TEND_IS_NOTE_FORM_GROUP (self));
  for (guint i = 0; i < n; i++)
    {
      AdwComboRow *row = g_hash_table_lookup (self->choices, items[i].key);
      guint selected = row != NULL ? adw_combo_row_get_selected (row) : 0;
      const char *choice = selected > 0 && selected != GTK_INVALID_LIST_POSITION ? items[i].choices[selected - 1].nick : NULL;
      const char *text = gtk_editable_get_text (GTK_EDITABLE (g_hash_table_lookup (self->texts, items[i].key)));

      tend_clinical_note_set_item (note, self->form, items[i].key, choice, text);
    }
}

/* Marks the items named in @missing ("risk.level"...) and clears the rest. */
void
tend_note_form_group_mark_missing (TendNoteFormGroup  *self,
                                   const char * const *missing)
{
  guint n = 0;
  const TendNoteItem *items = tend_note_form_get_items (self->form, &n);

  g_return_if_fail (TEND_IS_NOTE_FORM_GROUP (self));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", tend_note_form_get_key (self->form), items[i].key);
      GtkWidget *row = g_hash_table_lookup (self->choices, items[i].key);

      if (row == NULL)
        row = g_hash_table_lookup (self->texts, items[i].key);
      /* The whole form missing (a required MSE) marks its first item. */
      if (missing != NULL && (g_strv_contains (missing, name) ||
                              (i == 0 && g_strv_contains (missing, tend_note_form_get_key (self->form)))))
        gtk_widget_add_css_class (row, "error");
      else
        gtk_widget_remove_css_class (row, "error");
    }
}

/**
 * tend_note_form_group_set_required:
 *
 * Says that the note's template requires this form before signing.
 */
void
tend_note_form_group_set_required (TendNoteFormGroup *self,
                                   gboolean           required)
{
  g_return_if_fail (TEND_IS_NOTE_FORM_GROUP (self));
  if (!required)
    return;
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         self->form == TEND_NOTE_FORM_RISK
                                         ? _("Required before signing: at least the risk level; above low, the actions taken")
                                         : _("Required before signing: choose what you observed"));
}

AdwComboRow *
tend_note_form_group_get_choice_row (TendNoteFormGroup *self,
                                     const char        *key)
{
  g_return_val_if_fail (TEND_IS_NOTE_FORM_GROUP (self), NULL);
  return g_hash_table_lookup (self->choices, key);
}

AdwEntryRow *
tend_note_form_group_get_text_row (TendNoteFormGroup *self,
                                   const char        *key)
{
  g_return_val_if_fail (TEND_IS_NOTE_FORM_GROUP (self), NULL);
  return g_hash_table_lookup (self->texts, key);
}
