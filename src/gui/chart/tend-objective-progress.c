/* tend-objective-progress.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under the treatment plan in the chart: each of its objectives with the
 * progress the client's notes marked on it, latest first ("03/02/2026 ·
 * Progressing" and the comment), and the latest in the row's subtitle.
 * Marks are matched by the objective's description, so a revised plan that
 * keeps an objective keeps its history.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>

#include "tend-chart.h"
#include "tend-objective-progress.h"

/* The notes read for the history: years of weekly sessions. */
#define MAX_NOTES 1000

struct _TendObjectiveProgress
{
  AdwPreferencesGroup  parent_instance;

  GArray              *n_marks;   /* guint per objective */
};

G_DEFINE_FINAL_TYPE (TendObjectiveProgress, tend_objective_progress, ADW_TYPE_PREFERENCES_GROUP)

static char *
format_iso_date (const char *iso)
{
  GDate d;

  if (iso == NULL || !tend_date_parse (iso, &d, NULL))
    return g_strdup (iso != NULL ? iso : "—");
  return tend_date_format_local (&d);
}

static TendObjectiveMark *
find_mark (GPtrArray  *marks,
           const char *objective)
{
  for (guint m = 0; m < marks->len; m++)
    if (g_strcmp0 (((TendObjectiveMark *) g_ptr_array_index (marks, m))->objective, objective) == 0)
      return g_ptr_array_index (marks, m);
  return NULL;
}

static void
tend_objective_progress_finalize (GObject *object)
{
  TendObjectiveProgress *self = TEND_OBJECTIVE_PROGRESS (object);

  g_clear_pointer (&self->n_marks, g_array_unref);
  G_OBJECT_CLASS (tend_objective_progress_parent_class)->finalize (object);
}

static void
tend_objective_progress_class_init (TendObjectiveProgressClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tend_objective_progress_finalize;
}

static void
tend_objective_progress_init (TendObjectiveProgress *self)
{
  self->n_marks = g_array_new (FALSE, TRUE, sizeof (guint));
}

/**
 * tend_objective_progress_new:
 * @plan: the client's current treatment plan
 *
 * Returns: (transfer floating) (nullable): the group, or %NULL with @error
 *   set when the notes could not be read (shown as an error, never as "no
 *   progress")
 */
GtkWidget *
tend_objective_progress_new (TendStore          *store,
                             TendTreatmentPlan  *plan,
                             GError            **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_auto(GStrv) objectives = NULL;
  TendObjectiveProgress *self;

  notes = tend_chart_list_notes (store, tend_treatment_plan_get_client_id (plan), 0, MAX_NOTES, error);
  if (notes == NULL)
    return NULL;
  objectives = tend_treatment_plan_dup_objectives (plan);
  self = g_object_new (TEND_TYPE_OBJECTIVE_PROGRESS, NULL);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Progress on Objectives"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("As marked in the notes, latest first"));
  for (guint i = 0; objectives[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) history = tend_objective_history (notes, objectives[i]);
      GtkWidget *row = adw_expander_row_new ();
      guint n = history->len;

      g_array_append_val (self->n_marks, n);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), objectives[i]);
      for (guint h = 0; h < history->len; h++)
        {
          TendClinicalNote *note = g_ptr_array_index (history, h);
          g_autoptr(GPtrArray) marks = tend_clinical_note_dup_objectives (note);
          TendObjectiveMark *mark = find_mark (marks, objectives[i]);
          g_autofree char *date = format_iso_date (tend_clinical_note_get_service_date (note));
          /* TRANSLATORS: a note's date and the progress marked in it: "03/02/2026 · Progressing" */
          g_autofree char *title = g_strdup_printf (_("%s · %s"), date, tend_objective_status_get_label (mark->status));
          GtkWidget *entry = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
          if (mark->comment != NULL)
            {
              adw_action_row_set_subtitle (ADW_ACTION_ROW (entry), mark->comment);
              adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (entry), 0);
            }
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), entry);
          if (h == 0)
            {
              /* TRANSLATORS: the latest progress marked: "Latest: 03/02/2026 · Progressing" */
              g_autofree char *latest = g_strdup_printf (_("Latest: %s"), title);

              adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), latest);
            }
        }
      if (history->len == 0)
        {
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("Not yet marked in a note"));
          adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), FALSE);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
    }
  return GTK_WIDGET (self);
}

/* How many notes marked objective number @objective (for tests). */
guint
tend_objective_progress_get_n_marks (TendObjectiveProgress *self,
                                     guint                  objective)
{
  g_return_val_if_fail (TEND_IS_OBJECTIVE_PROGRESS (self), 0);
  return objective < self->n_marks->len ? g_array_index (self->n_marks, guint, objective) : 0;
}
