/* tend-plan-editor.c: writing a client's treatment plan, problem by problem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window (ui/chart/tend-plan-editor.ui) holds the plan's frequency and
 * review date, then one block per problem: its description, its goals (an
 * expander each, with the goal's measurable objectives and their target
 * dates) and its interventions.  Every level has its own Add row and remove
 * button; a removal hides the part and offers Undo, and only what is shown
 * is saved.  Rows left empty are not saved; a part with content but without
 * its description, or a date that is not one, is refused on its own row and
 * nothing is written.  The store keeps the "problems" list described in
 * src/core/tend-treatment-plan.c, the same one the text outline wrote.
 * A draft is saved in place; a signed plan is revised as a new draft.
 * "saved" is emitted after each save.
 */
#define G_LOG_DOMAIN "tend-gui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tend-core.h"
#include "tend-date-row.h"
#include "tend-plan-editor.h"

typedef struct _Part Part;

/* A problem, goal, objective or intervention, and the widgets showing it. */
struct _Part
{
  TendPlanEditor *editor;
  TendPlanPart    kind;
  Part           *parent;
  gboolean        removed;
  GtkWidget      *widget;        /* what a removal hides */
  GtkWidget      *text_row;
  GtkWidget      *date_row;      /* objectives */
  GtkWidget      *remove;
  GtkWidget      *add;           /* problems: Add Goal; goals: Add Objective */
  GtkWidget      *add_intervention;
  GtkWidget      *title_group;   /* problems */
  GtkWidget      *goals_group;
  GtkWidget      *interventions_group;
  GPtrArray      *children;      /* problems: goals; goals: objectives */
  GPtrArray      *interventions;
};

struct _TendPlanEditor
{
  AdwWindow             parent_instance;

  TendStore            *store;
  char                 *client_id;
  char                 *plan_id;    /* (nullable) the draft being edited */
  GTimeZone            *zone;
  GPtrArray            *parts;      /* owns every Part */
  GPtrArray            *problems;

  AdwToastOverlay      *toasts;
  AdwPreferencesGroup  *plan_group;
  AdwEntryRow          *frequency_row;
  GtkWidget            *review_row;
  GtkBox               *problems_box;
  GtkLabel             *error_label;
  GtkWidget            *add_problem_button;
  char                 *saved_state;  /* what the rows said when opened or last saved */
  gboolean              discard;      /* the person chose to close without saving */
};

G_DEFINE_FINAL_TYPE (TendPlanEditor, tend_plan_editor, ADW_TYPE_WINDOW)

static char *editor_state (TendPlanEditor *self);

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
part_free (Part *part)
{
  g_clear_pointer (&part->children, g_ptr_array_unref);
  g_clear_pointer (&part->interventions, g_ptr_array_unref);
  g_free (part);
}

static Part *
part_new (TendPlanEditor *self,
          TendPlanPart    kind,
          Part           *parent)
{
  Part *part = g_new0 (Part, 1);

  part->editor = self;
  part->kind = kind;
  part->parent = parent;
  if (kind == TEND_PLAN_PROBLEM || kind == TEND_PLAN_GOAL)
    part->children = g_ptr_array_new ();
  if (kind == TEND_PLAN_PROBLEM)
    part->interventions = g_ptr_array_new ();
  g_ptr_array_add (self->parts, part);
  return part;
}

/* The @n-th part of @list still shown, from 0. */
static Part *
nth_shown (GPtrArray *list,
           guint      n)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      Part *part = list->pdata[i];

      if (!part->removed && n-- == 0)
        return part;
    }
  return NULL;
}

static char *
row_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Titles count what is shown: "Problem 2" stays the second one on screen. */
static void
renumber (TendPlanEditor *self)
{
  guint p = 0;

  for (guint i = 0; i < self->problems->len; i++)
    {
      Part *problem = self->problems->pdata[i];
      g_autofree char *title = NULL;
      guint g = 0;

      if (problem->removed)
        continue;
      title = g_strdup_printf (_("Problem %u"), ++p);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (problem->title_group), title);
      for (guint j = 0; j < problem->children->len; j++)
        {
          Part *goal = problem->children->pdata[j];
          g_autofree char *goal_title = NULL;
          guint o = 0;

          if (goal->removed)
            continue;
          goal_title = g_strdup_printf (_("Goal %u"), ++g);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (goal->widget), goal_title);
          for (guint k = 0; k < goal->children->len; k++)
            {
              Part *objective = goal->children->pdata[k];
              g_autofree char *objective_title = NULL;

              if (objective->removed)
                continue;
              objective_title = g_strdup_printf (_("Objective %u"), ++o);
              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (objective->text_row), objective_title);
            }
        }
    }
}

static void
show_part (Part     *part,
           gboolean  shown)
{
  part->removed = !shown;
  gtk_widget_set_visible (part->widget, shown);
  if (part->date_row != NULL)
    gtk_widget_set_visible (part->date_row, shown);
  renumber (part->editor);
}

static void
on_undo_cb (AdwToast *toast,
            Part     *part)
{
  show_part (part, TRUE);
  gtk_widget_grab_focus (part->text_row);
}

static void
remove_part (Part *part)
{
  static const char * const removed[] = {
    [TEND_PLAN_PROBLEM] = N_("Problem removed"),
    [TEND_PLAN_GOAL] = N_("Goal removed"),
    [TEND_PLAN_OBJECTIVE] = N_("Objective removed"),
    [TEND_PLAN_TARGET_DATE] = NULL,
    [TEND_PLAN_INTERVENTION] = N_("Intervention removed"),
  };
  AdwToast *toast = adw_toast_new (_(removed[part->kind]));

  show_part (part, FALSE);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_cb), part);
  adw_toast_overlay_add_toast (part->editor->toasts, toast);
}

static void
on_remove_clicked_cb (GtkButton *button,
                      Part      *part)
{
  /* Focus goes to the level above rather than nowhere. */
  if (part->parent != NULL)
    gtk_widget_grab_focus (part->parent->text_row);
  else
    gtk_widget_grab_focus (part->editor->add_problem_button);
  remove_part (part);
}

static GtkWidget *
remove_button_new (Part       *part,
                   const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked_cb), part);
  part->remove = button;
  return button;
}

/* An activatable "Add …" row, kept last in its list. */
static GtkWidget *
add_row_new (const char *title,
             GCallback   callback,
             Part       *part)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("list-add-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_add_css_class (row, "tend-add-row");
  g_signal_connect (row, "activated", G_CALLBACK (callback), part);
  return row;
}

/* Adds @row before the group's Add row. */
static void
group_insert (GtkWidget *group,
              GtkWidget *add,
              GtkWidget *row)
{
  g_object_ref (add);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), add);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), add);
  g_object_unref (add);
}

static void
on_goal_text_changed_cb (GtkEditable *row,
                         Part        *goal)
{
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (goal->widget), gtk_editable_get_text (row));
}

static void
clear_fault (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, NULL);
}


static GtkWidget *
entry_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect (row, "changed", G_CALLBACK (clear_fault), NULL);
  return row;
}

static Part *
add_objective (Part       *goal,
               const char *text,
               const char *target)
{
  Part *objective = part_new (goal->editor, TEND_PLAN_OBJECTIVE, goal);
  GtkWidget *expander = goal->widget;

  objective->text_row = entry_row_new (C_("plan outline", "Objective"));
  objective->widget = objective->text_row;
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (objective->text_row),
                            remove_button_new (objective, _("Remove this objective")));
  objective->date_row = tend_date_row_new (_("Target date"));
  g_signal_connect (objective->date_row, "changed", G_CALLBACK (clear_fault), NULL);
  gtk_widget_add_css_class (objective->date_row, "tend-plan-target");
  gtk_editable_set_text (GTK_EDITABLE (objective->text_row), text != NULL ? text : "");
  tend_date_row_set_date (objective->date_row, target);
  g_object_ref (goal->add);
  adw_expander_row_remove (ADW_EXPANDER_ROW (expander), goal->add);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), objective->text_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), objective->date_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), goal->add);
  g_object_unref (goal->add);
  g_ptr_array_add (goal->children, objective);
  return objective;
}

static void
on_add_objective_cb (AdwActionRow *row,
                     Part         *goal)
{
  Part *objective = add_objective (goal, NULL, NULL);

  renumber (goal->editor);
  gtk_widget_grab_focus (objective->text_row);
}

static Part *
add_goal (Part       *problem,
          const char *text)
{
  Part *goal = part_new (problem->editor, TEND_PLAN_GOAL, problem);
  GtkWidget *expander = adw_expander_row_new ();

  goal->widget = expander;
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), remove_button_new (goal, _("Remove this goal")));
  goal->text_row = entry_row_new (_("Goal"));
  gtk_editable_set_text (GTK_EDITABLE (goal->text_row), text != NULL ? text : "");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), text != NULL ? text : "");
  g_signal_connect (goal->text_row, "changed", G_CALLBACK (on_goal_text_changed_cb), goal);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), goal->text_row);
  goal->add = add_row_new (_("Add _Objective"), G_CALLBACK (on_add_objective_cb), goal);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), goal->add);
  group_insert (problem->goals_group, problem->add, expander);
  g_ptr_array_add (problem->children, goal);
  return goal;
}

static void
on_add_goal_cb (AdwActionRow *row,
                Part         *problem)
{
  Part *goal = add_goal (problem, NULL);

  add_objective (goal, NULL, NULL);
  renumber (problem->editor);
  gtk_widget_grab_focus (goal->text_row);
}

static Part *
add_intervention (Part       *problem,
                  const char *text)
{
  Part *intervention = part_new (problem->editor, TEND_PLAN_INTERVENTION, problem);

  intervention->text_row = entry_row_new (_("Intervention"));
  intervention->widget = intervention->text_row;
  gtk_editable_set_text (GTK_EDITABLE (intervention->text_row), text != NULL ? text : "");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (intervention->text_row),
                            remove_button_new (intervention, _("Remove this intervention")));
  group_insert (problem->interventions_group, problem->add_intervention, intervention->text_row);
  g_ptr_array_add (problem->interventions, intervention);
  return intervention;
}

static void
on_add_intervention_cb (AdwActionRow *row,
                        Part         *problem)
{
  Part *intervention = add_intervention (problem, NULL);

  gtk_widget_grab_focus (intervention->text_row);
}

static Part *
add_problem (TendPlanEditor *self,
             const char     *text)
{
  Part *problem = part_new (self, TEND_PLAN_PROBLEM, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  problem->widget = box;
  problem->title_group = adw_preferences_group_new ();
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (problem->title_group),
                                           remove_button_new (problem, _("Remove this problem")));
  problem->text_row = entry_row_new (_("Problem"));
  gtk_editable_set_text (GTK_EDITABLE (problem->text_row), text != NULL ? text : "");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (problem->title_group), problem->text_row);
  gtk_box_append (GTK_BOX (box), problem->title_group);

  problem->goals_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (problem->goals_group), _("Goals and Objectives"));
  problem->add = add_row_new (_("Add _Goal"), G_CALLBACK (on_add_goal_cb), problem);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (problem->goals_group), problem->add);
  gtk_box_append (GTK_BOX (box), problem->goals_group);

  problem->interventions_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (problem->interventions_group), _("Interventions"));
  problem->add_intervention = add_row_new (_("Add _Intervention"), G_CALLBACK (on_add_intervention_cb), problem);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (problem->interventions_group), problem->add_intervention);
  gtk_box_append (GTK_BOX (box), problem->interventions_group);

  gtk_box_append (self->problems_box, box);
  g_ptr_array_add (self->problems, problem);
  return problem;
}

static void
on_add_problem_clicked_cb (TendPlanEditor *self)
{
  Part *problem = add_problem (self, NULL);
  Part *goal = add_goal (problem, NULL);

  add_objective (goal, NULL, NULL);
  add_intervention (problem, NULL);
  renumber (self);
  gtk_widget_grab_focus (problem->text_row);
}

/* Reading the plan back */

static const char *
member_text (JsonObject *obj,
             const char *name)
{
  JsonNode *n = obj != NULL ? json_object_get_member (obj, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonArray *
member_array (JsonObject *obj,
              const char *name)
{
  JsonNode *n = obj != NULL ? json_object_get_member (obj, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static JsonObject *
element_object (JsonArray *array,
                guint      i)
{
  JsonNode *n = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static void
load (TendPlanEditor    *self,
      TendTreatmentPlan *plan)
{
  g_autoptr(JsonNode) root = tend_treatment_plan_dup_problems (plan);
  JsonArray *problems = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;

  gtk_editable_set_text (GTK_EDITABLE (self->frequency_row),
                         tend_record_get_string (TEND_RECORD (plan), "frequency") ?: "");
  for (guint p = 0; problems != NULL && p < json_array_get_length (problems); p++)
    {
      JsonObject *po = element_object (problems, p);
      JsonArray *goals = member_array (po, "goals");
      JsonArray *interventions = member_array (po, "interventions");
      Part *problem = add_problem (self, member_text (po, "problem"));

      for (guint g = 0; goals != NULL && g < json_array_get_length (goals); g++)
        {
          JsonObject *go = element_object (goals, g);
          JsonArray *objectives = member_array (go, "objectives");
          Part *goal = add_goal (problem, member_text (go, "goal"));

          for (guint o = 0; objectives != NULL && o < json_array_get_length (objectives); o++)
            {
              JsonObject *oo = element_object (objectives, o);

              add_objective (goal, member_text (oo, "objective"), member_text (oo, "target_date"));
            }
        }
      for (guint i = 0; interventions != NULL && i < json_array_get_length (interventions); i++)
        {
          JsonNode *n = json_array_get_element (interventions, i);

          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
            add_intervention (problem, json_node_get_string (n));
        }
    }
  renumber (self);
}

/* Writing it */

/* Marks @row as the one at fault, shows why above the plan and moves there. */
G_GNUC_PRINTF (4, 5)
static gboolean
fault (TendPlanEditor *self,
       GtkWidget      *row,
       GError        **error,
       const char     *format,
       ...)
{
  g_autofree char *message = NULL;
  GtkWidget *expander;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, message);
      expander = gtk_widget_get_ancestor (gtk_widget_get_parent (row), ADW_TYPE_EXPANDER_ROW);
      if (expander != NULL)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
      gtk_widget_grab_focus (row);
    }
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static void
clear_faults (TendPlanEditor *self)
{
  clear_fault (self->review_row);
  for (guint i = 0; i < self->parts->len; i++)
    {
      Part *part = self->parts->pdata[i];

      clear_fault (part->text_row);
      if (part->date_row != NULL)
        clear_fault (part->date_row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static JsonNode *
collect_problems (TendPlanEditor *self,
                  GError        **error)
{
  g_autoptr(JsonArray) problems = json_array_new ();
  JsonNode *root;
  Part *problem;

  for (guint p = 0; (problem = nth_shown (self->problems, p)) != NULL; p++)
    {
      g_autofree char *text = row_text (problem->text_row);
      g_autoptr(JsonArray) goals = json_array_new ();
      g_autoptr(JsonArray) interventions = json_array_new ();
      JsonObject *po;
      Part *goal, *intervention;

      for (guint g = 0; (goal = nth_shown (problem->children, g)) != NULL; g++)
        {
          g_autofree char *goal_text = row_text (goal->text_row);
          g_autoptr(JsonArray) objectives = json_array_new ();
          JsonObject *go;
          Part *objective;

          for (guint o = 0; (objective = nth_shown (goal->children, o)) != NULL; o++)
            {
              g_autofree char *objective_text = row_text (objective->text_row);
              g_autofree char *target = NULL;
              g_autoptr(GError) local = NULL;
              JsonObject *oo;

              if (!tend_date_row_get_date (objective->date_row, &target, &local))
                {
                  /* TRANSLATORS: %s says what is wrong with the date and how to type one */
                  fault (self, objective->date_row, error, _("Problem %u, goal %u, objective %u, target date: %s"),
                         p + 1, g + 1, o + 1, local->message);
                  return NULL;
                }
              if (*objective_text == '\0' && target == NULL)
                continue;
              if (*objective_text == '\0')
                {
                  fault (self, objective->text_row, error, _("Problem %u, goal %u, objective %u: say what will be measured."),
                         p + 1, g + 1, o + 1);
                  return NULL;
                }
              oo = json_object_new ();
              json_object_set_string_member (oo, "objective", objective_text);
              if (target != NULL)
                json_object_set_string_member (oo, "target_date", target);
              json_array_add_object_element (objectives, oo);
            }
          if (*goal_text == '\0' && json_array_get_length (objectives) == 0)
            continue;
          if (*goal_text == '\0')
            {
              fault (self, goal->text_row, error, _("Problem %u, goal %u: describe the goal its objectives work towards."),
                     p + 1, g + 1);
              return NULL;
            }
          go = json_object_new ();
          json_object_set_string_member (go, "goal", goal_text);
          json_object_set_array_member (go, "objectives", g_steal_pointer (&objectives));
          json_array_add_object_element (goals, go);
        }
      for (guint i = 0; (intervention = nth_shown (problem->interventions, i)) != NULL; i++)
        {
          g_autofree char *intervention_text = row_text (intervention->text_row);

          if (*intervention_text != '\0')
            json_array_add_string_element (interventions, intervention_text);
        }
      if (*text == '\0' && json_array_get_length (goals) == 0 && json_array_get_length (interventions) == 0)
        continue;
      if (*text == '\0')
        {
          fault (self, problem->text_row, error, _("Problem %u: describe the problem its goals and interventions address."),
                 p + 1);
          return NULL;
        }
      po = json_object_new ();
      json_object_set_string_member (po, "problem", text);
      json_object_set_array_member (po, "goals", g_steal_pointer (&goals));
      json_object_set_array_member (po, "interventions", g_steal_pointer (&interventions));
      json_array_add_object_element (problems, po);
    }
  root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, problems);
  return root;
}

/**
 * tend_plan_editor_save:
 *
 * Saves what the window shows as a draft: the draft being edited, or a new
 * one.  On a refusal the reason is shown (on the row at fault when there is
 * one), everything typed stays, and nothing is written.
 */
gboolean
tend_plan_editor_save (TendPlanEditor *self,
                       GError        **error)
{
  g_autoptr(TendRecord) plan = NULL;
  g_autoptr(JsonNode) problems = NULL;
  g_autofree char *review = NULL;
  g_autofree char *frequency = NULL;
  g_autoptr(GError) local = NULL;
  const char *start;

  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), FALSE);

  clear_faults (self);
  if (!tend_date_row_get_date (self->review_row, &review, &local))
    return fault (self, self->review_row, error, _("Review date: %s"), local->message);
  problems = collect_problems (self, error);
  if (problems == NULL)
    return FALSE;
  if (self->plan_id != NULL)
    plan = tend_store_load (self->store, TEND_TYPE_TREATMENT_PLAN, self->plan_id, &local);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      plan = TEND_RECORD (tend_treatment_plan_new (self->client_id, tend_store_get_actor_id (self->store)));
      tend_record_set_string (plan, "start_date", today);
    }
  if (plan == NULL)
    return fault (self, NULL, error, "%s", local->message);
  start = tend_record_get_string (plan, "start_date");
  if (review != NULL && start != NULL && strcmp (review, start) < 0)
    {
      GDate d;
      g_autofree char *shown = tend_date_parse (start, &d, NULL) ? tend_date_format_local (&d) : g_strdup (start);

      return fault (self, self->review_row, error,
                    _("Review date: cannot be before the plan’s start date, %s."), shown);
    }
  frequency = row_text (GTK_WIDGET (self->frequency_row));
  tend_record_set_json (plan, "problems", problems);
  tend_record_set_string (plan, "review_date", review);
  tend_record_set_string (plan, "frequency", *frequency != '\0' ? frequency : NULL);
  if (!tend_record_validate (plan, &local) || !tend_store_save (self->store, plan, &local))
    return fault (self, NULL, error, "%s", local->message);
  if (self->plan_id == NULL)
    self->plan_id = g_strdup (tend_record_get_id (plan));
  g_free (self->saved_state);
  self->saved_state = editor_state (self);
  g_signal_emit (self, signals[SAVED], 0);
  return TRUE;
}

/* Every row still shown, in order: what the editor holds, to tell whether
 * closing would lose something.  Removed parts are hidden, so leave it. */
static char *
editor_state (TendPlanEditor *self)
{
  GString *out = g_string_new (NULL);
  GQueue queue = G_QUEUE_INIT;

  g_queue_push_tail (&queue, self);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *w = g_queue_pop_head (&queue);

      if (w != GTK_WIDGET (self) && !gtk_widget_get_visible (w))
        continue;
      if (ADW_IS_ENTRY_ROW (w))
        {
          g_string_append (out, gtk_editable_get_text (GTK_EDITABLE (w)));
          g_string_append_c (out, '\x1f');
          continue;
        }
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_plan_editor_has_changes:
 *
 * Returns: whether the rows differ from what was opened or last saved
 */
gboolean
tend_plan_editor_has_changes (TendPlanEditor *self)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), FALSE);
  now = editor_state (self);
  return g_strcmp0 (now, self->saved_state) != 0;
}

static gboolean
close_idle_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_discard_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        TendPlanEditor   *self)
{
  if (g_strcmp0 (response, "discard") != 0)
    return;
  self->discard = TRUE;
  /* After the dialog has finished with its response: closing the editor
   * destroys the dialog too. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_idle_cb, g_object_ref (self), g_object_unref);
}

/* Closing (Cancel, Escape, the window's button) with typing not saved
 * asks first: a plan is a clinician's work. */
static gboolean
on_close_request_cb (GtkWindow      *window,
                     TendPlanEditor *self)
{
  GtkWidget *dialog;

  if (self->discard || !tend_plan_editor_has_changes (self))
    return FALSE;
  dialog = adw_message_dialog_new (window, _("Discard Changes to the Plan?"),
                                   _("What was typed since the plan was opened or last saved will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
on_save_clicked_cb (TendPlanEditor *self)
{
  if (tend_plan_editor_save (self, NULL))
    gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action,
             GVariant   *parameter)
{
  on_save_clicked_cb (TEND_PLAN_EDITOR (widget));
}

static void
tend_plan_editor_dispose (GObject *object)
{
  TendPlanEditor *self = TEND_PLAN_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TEND_TYPE_PLAN_EDITOR);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tend_plan_editor_parent_class)->dispose (object);
}

static void
tend_plan_editor_finalize (GObject *object)
{
  TendPlanEditor *self = TEND_PLAN_EDITOR (object);

  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->parts, g_ptr_array_unref);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->plan_id, g_free);
  g_clear_pointer (&self->saved_state, g_free);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  G_OBJECT_CLASS (tend_plan_editor_parent_class)->finalize (object);
}

static void
tend_plan_editor_class_init (TendPlanEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tend_plan_editor_dispose;
  object_class->finalize = tend_plan_editor_finalize;
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/tend/Tend/ui/chart/tend-plan-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TendPlanEditor, toasts);
  gtk_widget_class_bind_template_child (widget_class, TendPlanEditor, plan_group);
  gtk_widget_class_bind_template_child (widget_class, TendPlanEditor, frequency_row);
  gtk_widget_class_bind_template_child (widget_class, TendPlanEditor, problems_box);
  gtk_widget_class_bind_template_child (widget_class, TendPlanEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, TendPlanEditor, add_problem_button);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_problem_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_close);
  gtk_widget_class_install_action (widget_class, "plan.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "plan.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tend_plan_editor_init (TendPlanEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  self->problems = g_ptr_array_new ();
  self->review_row = tend_date_row_new (_("Review date"));
  g_signal_connect (self->review_row, "changed", G_CALLBACK (clear_fault), NULL);
  adw_preferences_group_add (self->plan_group, self->review_row);
}

/**
 * tend_plan_editor_new:
 * @plan: (nullable): the plan to edit (a draft) or revise (a signed plan,
 *   which becomes a new draft); %NULL for a first plan
 * @zone: the practice's, for a new plan's start date
 */
TendPlanEditor *
tend_plan_editor_new (TendStore         *store,
                      const char        *client_id,
                      TendTreatmentPlan *plan,
                      GTimeZone         *zone)
{
  TendPlanEditor *self = g_object_new (TEND_TYPE_PLAN_EDITOR, NULL);

  self->store = g_object_ref (store);
  self->client_id = g_strdup (client_id);
  self->zone = g_time_zone_ref (zone);
  if (plan != NULL)
    {
      load (self, plan);
      if (tend_treatment_plan_get_status (plan) == TEND_SIGN_STATUS_DRAFT)
        {
          self->plan_id = g_strdup (tend_record_get_id (TEND_RECORD (plan)));
          tend_date_row_set_date (self->review_row, tend_treatment_plan_get_review_date (plan));
        }
    }
  else
    on_add_problem_clicked_cb (self);
  self->saved_state = editor_state (self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request_cb), self);
  return self;
}

GtkWidget *
tend_plan_editor_get_review_row (TendPlanEditor *self)
{
  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), NULL);
  return self->review_row;
}

GtkWidget *
tend_plan_editor_get_frequency_row (TendPlanEditor *self)
{
  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), NULL);
  return GTK_WIDGET (self->frequency_row);
}

/* @problem, @goal, @item count the parts shown, from 0. */
static Part *
find_part (TendPlanEditor *self,
           TendPlanPart    kind,
           guint           problem,
           guint           goal,
           guint           item)
{
  Part *p = nth_shown (self->problems, problem);
  Part *g;

  if (p == NULL || kind == TEND_PLAN_PROBLEM)
    return p;
  if (kind == TEND_PLAN_INTERVENTION)
    return nth_shown (p->interventions, goal);
  g = nth_shown (p->children, goal);
  if (g == NULL || kind == TEND_PLAN_GOAL)
    return g;
  return nth_shown (g->children, item);
}

/**
 * tend_plan_editor_get_row:
 * @goal: the goal, or for %TEND_PLAN_INTERVENTION the intervention
 * @item: the objective
 *
 * Returns: (transfer none) (nullable): the row where that part is typed
 */
GtkWidget *
tend_plan_editor_get_row (TendPlanEditor *self,
                          TendPlanPart    part,
                          guint           problem,
                          guint           goal,
                          guint           item)
{
  Part *found;

  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), NULL);
  found = find_part (self, part == TEND_PLAN_TARGET_DATE ? TEND_PLAN_OBJECTIVE : part, problem, goal, item);
  if (found == NULL)
    return NULL;
  return part == TEND_PLAN_TARGET_DATE ? found->date_row : found->text_row;
}

/**
 * tend_plan_editor_get_add_button:
 * @part: what the button adds: a goal or intervention to @problem, an
 *   objective to @goal
 *
 * Returns: (transfer none) (nullable): the activatable "Add …" row
 */
GtkWidget *
tend_plan_editor_get_add_button (TendPlanEditor *self,
                                 TendPlanPart    part,
                                 guint           problem,
                                 guint           goal)
{
  Part *p, *g;

  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), NULL);
  if ((p = nth_shown (self->problems, problem)) == NULL)
    return NULL;
  if (part == TEND_PLAN_GOAL)
    return p->add;
  if (part == TEND_PLAN_INTERVENTION)
    return p->add_intervention;
  if (part == TEND_PLAN_OBJECTIVE && (g = nth_shown (p->children, goal)) != NULL)
    return g->add;
  return NULL;
}

/**
 * tend_plan_editor_get_remove_button:
 *
 * Returns: (transfer none) (nullable): the part's remove button
 */
GtkWidget *
tend_plan_editor_get_remove_button (TendPlanEditor *self,
                                    TendPlanPart    part,
                                    guint           problem,
                                    guint           goal,
                                    guint           item)
{
  Part *found;

  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), NULL);
  found = find_part (self, part, problem, goal, item);
  return found != NULL ? found->remove : NULL;
}

/* Returns: (nullable): the refusal shown, if any */
const char *
tend_plan_editor_get_error (TendPlanEditor *self)
{
  g_return_val_if_fail (TEND_IS_PLAN_EDITOR (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}
