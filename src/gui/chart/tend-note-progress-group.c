/* tend-note-progress-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The objectives of the client's current treatment plan, each with its
 * progress in this session ("Not recorded" first, then not addressed,
 * progressing, met, regressed) and a short comment.  What is marked goes
 * into the note's "objectives" (so the signature covers it and the PDF
 * prints it); an objective left "Not recorded" is not written.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-note-progress-group.h"

struct _TendNoteProgressGroup
{
  AdwPreferencesGroup  parent_instance;

  char                *plan_id;
  char               **objectives;
  GPtrArray           *status_rows;   /* AdwComboRow, one per objective */
  GPtrArray           *comment_rows;  /* AdwEntryRow */
};

G_DEFINE_FINAL_TYPE (TendNoteProgressGroup, tend_note_progress_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_row_changed_cb (TendNoteProgressGroup *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tend_note_progress_group_finalize (GObject *object)
{
  TendNoteProgressGroup *self = TEND_NOTE_PROGRESS_GROUP (object);

  g_clear_pointer (&self->plan_id, g_free);
  g_clear_pointer (&self->objectives, g_strfreev);
  g_clear_pointer (&self->status_rows, g_ptr_array_unref);
  g_clear_pointer (&self->comment_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (tend_note_progress_group_parent_class)->finalize (object);
}

static void
tend_note_progress_group_class_init (TendNoteProgressGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_note_progress_group_finalize;

  /**
   * TendNoteProgressGroup::changed: a progress or comment was changed
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tend_note_progress_group_init (TendNoteProgressGroup *self)
{
  self->status_rows = g_ptr_array_new ();
  self->comment_rows = g_ptr_array_new ();
}

/**
 * tend_note_progress_group_new:
 * @plan: the client's current treatment plan
 * @note: the note being written (what it already marks is shown)
 */
GtkWidget *
tend_note_progress_group_new (TendTreatmentPlan *plan,
                              TendClinicalNote  *note)
{
  TendNoteProgressGroup *self = g_object_new (TEND_TYPE_NOTE_PROGRESS_GROUP, NULL);
  g_autoptr(GPtrArray) marks = tend_clinical_note_dup_objectives (note);

  self->plan_id = g_strdup (tend_record_get_id (TEND_RECORD (plan)));
  self->objectives = tend_treatment_plan_dup_objectives (plan);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Treatment plan objectives"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Mark the progress on each objective worked on in this session"));
  for (guint i = 0; self->objectives[i] != NULL; i++)
    {
      g_autoptr(GtkStringList) model = gtk_string_list_new ((const char *[]) { _("Not recorded"), NULL });
      GtkWidget *status = adw_combo_row_new ();
      GtkWidget *comment = adw_entry_row_new ();
      guint selected = 0;

      for (guint k = 0; k < TEND_N_OBJECTIVE_STATUSES; k++)
        gtk_string_list_append (model, tend_objective_status_get_label ((TendObjectiveStatus) k));
      for (guint m = 0; m < marks->len; m++)
        {
          TendObjectiveMark *mark = g_ptr_array_index (marks, m);

          if (g_strcmp0 (mark->objective, self->objectives[i]) == 0)
            {
              selected = mark->status + 1;
              gtk_editable_set_text (GTK_EDITABLE (comment), mark->comment != NULL ? mark->comment : "");
            }
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (status), self->objectives[i]);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (status), 0);
      adw_combo_row_set_model (ADW_COMBO_ROW (status), G_LIST_MODEL (model));
      adw_combo_row_set_selected (ADW_COMBO_ROW (status), selected);
      g_signal_connect_object (status, "notify::selected", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (comment), _("Comment"));
      g_signal_connect_object (comment, "changed", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), status);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), comment);
      g_ptr_array_add (self->status_rows, status);
      g_ptr_array_add (self->comment_rows, comment);
    }
  return GTK_WIDGET (self);
}

/* Puts the progress marked into @note (objectives left "Not recorded" with
 * no comment are left out). */
void
tend_note_progress_group_apply (TendNoteProgressGroup *self,
                                TendClinicalNote      *note)
{
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);

  g_return_if_fail (TEND_IS_NOTE_PROGRESS_GROUP (self));
  for (guint i = 0; i < self->status_rows->len; i++)
    {
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->status_rows, i));
      g_autofree char *comment = g_strstrip (g_strdup (gtk_editable_get_text (g_ptr_array_index (self->comment_rows, i))));

      /* A comment alone says the objective was looked at. */
      if ((selected == 0 || selected == GTK_INVALID_LIST_POSITION) && *comment == '\0')
        continue;
      g_ptr_array_add (marks, tend_objective_mark_new (self->plan_id, self->objectives[i],
                                                       selected > 0 && selected != GTK_INVALID_LIST_POSITION
                                                       ? (TendObjectiveStatus) (selected - 1)
                                                       : TEND_OBJECTIVE_NOT_ADDRESSED,
                                                       comment));
    }
  tend_clinical_note_set_objectives (note, marks);
}

guint
tend_note_progress_group_get_n_objectives (TendNoteProgressGroup *self)
{
  g_return_val_if_fail (TEND_IS_NOTE_PROGRESS_GROUP (self), 0);
  return self->status_rows->len;
}

AdwComboRow *
tend_note_progress_group_get_status_row (TendNoteProgressGroup *self,
                                         guint                  index)
{
  g_return_val_if_fail (TEND_IS_NOTE_PROGRESS_GROUP (self), NULL);
  return index < self->status_rows->len ? g_ptr_array_index (self->status_rows, index) : NULL;
}

AdwEntryRow *
tend_note_progress_group_get_comment_row (TendNoteProgressGroup *self,
                                          guint                  index)
{
  g_return_val_if_fail (TEND_IS_NOTE_PROGRESS_GROUP (self), NULL);
  return index < self->comment_rows->len ? g_ptr_array_index (self->comment_rows, index) : NULL;
}
