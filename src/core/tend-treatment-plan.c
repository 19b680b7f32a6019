/* tend-treatment-plan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "problems" is a JSON list:
 *   [{"problem": "...",
 *     "goals": [{"goal": "...",
 *                "objectives": [{"objective": "...", "target_date": "YYYY-MM-DD"}]}],
 *     "interventions": ["...", ...]}]
 * checked here member by member, so a peer cannot store a shape the chart
 * and the export do not understand.  "frequency" is one line of text
 * ("Weekly, 50 minutes"), the last field, added after the others and written
 * only when set: a plan without it has the body (and signature hash) it
 * always had, and a peer that does not know the field keeps it last, where
 * this one writes it.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-error.h"
#include "tend-time.h"
#include "tend-treatment-plan.h"

struct _TendTreatmentPlan
{
  TendRecord parent_instance;

  char *client_id;
  char *author_id;
  char *start_date;
  char *review_date;
  char *problems;
  int   status;
  char *signed_by;
  char *signed_at;
  char *content_sha256;
  char *cosigned_by;
  char *cosigned_at;
  char *frequency;
};

G_DEFINE_FINAL_TYPE (TendTreatmentPlan, tend_treatment_plan, TEND_TYPE_RECORD)

static const char * const status_choices[] = { "draft", "signed", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendTreatmentPlan, member), len, NULL, 0, 0 }

static const TendField plan_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("author_id", N_("Author"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, author_id, 36),
  F ("start_date", N_("Start date"), TEND_FIELD_DATE, 0, start_date, 10),
  F ("review_date", N_("Review date"), TEND_FIELD_DATE, 0, review_date, 10),
  F ("problems", N_("Problems"), TEND_FIELD_JSON, 0, problems, 200000),
  { "status", N_("Status"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendTreatmentPlan, status), 0, status_choices, 0, 0 },
  F ("signed_by", N_("Signed by"), TEND_FIELD_UUID, 0, signed_by, 36),
  F ("signed_at", N_("Signed at"), TEND_FIELD_DATETIME, 0, signed_at, 40),
  F ("content_sha256", N_("Content hash"), TEND_FIELD_STRING, 0, content_sha256, 64),
  F ("cosigned_by", N_("Co-signed by"), TEND_FIELD_UUID, 0, cosigned_by, 36),
  F ("cosigned_at", N_("Co-signed at"), TEND_FIELD_DATETIME, 0, cosigned_at, 40),
  F ("frequency", N_("Frequency"), TEND_FIELD_STRING, 0, frequency, 200),
};

#undef F

static gboolean
shape_error (GError    **error,
             const char *message)
{
  /* TRANSLATORS: after "Problems: " */
  g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Problems: %s"), message);
  return FALSE;
}

static const char *
member_text (JsonObject *obj,
             const char *name)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonArray *
member_array (JsonObject *obj,
              const char *name,
              gboolean   *bad)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      *bad = TRUE;
      return NULL;
    }
  return json_node_get_array (n);
}

static gboolean
check_problems (JsonNode *root,
                GError  **error)
{
  JsonArray *problems;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return shape_error (error, _("expected a list"));
  problems = json_node_get_array (root);
  for (guint p = 0; p < json_array_get_length (problems); p++)
    {
      JsonNode *pn = json_array_get_element (problems, p);
      JsonObject *po;
      JsonArray *goals, *interventions;
      gboolean bad = FALSE;
      const char *text;

      if (!JSON_NODE_HOLDS_OBJECT (pn))
        return shape_error (error, _("each problem must be an object"));
      po = json_node_get_object (pn);
      text = member_text (po, "problem");
      if (text == NULL || *text == '\0')
        return shape_error (error, _("each problem needs a description"));
      goals = member_array (po, "goals", &bad);
      interventions = member_array (po, "interventions", &bad);
      if (bad)
        return shape_error (error, _("goals and interventions must be lists"));
      for (guint i = 0; interventions != NULL && i < json_array_get_length (interventions); i++)
        {
          JsonNode *in = json_array_get_element (interventions, i);

          if (!JSON_NODE_HOLDS_VALUE (in) || json_node_get_value_type (in) != G_TYPE_STRING)
            return shape_error (error, _("each intervention must be text"));
        }
      for (guint g = 0; goals != NULL && g < json_array_get_length (goals); g++)
        {
          JsonNode *gn = json_array_get_element (goals, g);
          JsonObject *go;
          JsonArray *objectives;

          if (!JSON_NODE_HOLDS_OBJECT (gn))
            return shape_error (error, _("each goal must be an object"));
          go = json_node_get_object (gn);
          text = member_text (go, "goal");
          if (text == NULL || *text == '\0')
            return shape_error (error, _("each goal needs a description"));
          objectives = member_array (go, "objectives", &bad);
          if (bad)
            return shape_error (error, _("objectives must be a list"));
          for (guint o = 0; objectives != NULL && o < json_array_get_length (objectives); o++)
            {
              JsonNode *on = json_array_get_element (objectives, o);
              JsonObject *oo;
              const char *target;
              GDate d;

              if (!JSON_NODE_HOLDS_OBJECT (on))
                return shape_error (error, _("each objective must be an object"));
              oo = json_node_get_object (on);
              text = member_text (oo, "objective");
              if (text == NULL || *text == '\0')
                return shape_error (error, _("each objective needs a measurable description"));
              target = member_text (oo, "target_date");
              if (json_object_has_member (oo, "target_date") &&
                  (target == NULL || !tend_date_parse (target, &d, NULL)))
                return shape_error (error, _("an objective’s target date is not a real date"));
            }
        }
    }
  return TRUE;
}

static gboolean
tend_treatment_plan_validate (TendRecord *record,
                              GError    **error)
{
  TendTreatmentPlan *self = TEND_TREATMENT_PLAN (record);

  if (self->problems != NULL)
    {
      g_autoptr(JsonNode) root = tend_record_dup_json (record, "problems");

      if (root == NULL || !check_problems (root, error))
        return root == NULL ? shape_error (error, _("expected a list")) : FALSE;
    }
  if (self->start_date != NULL && self->review_date != NULL && g_strcmp0 (self->review_date, self->start_date) < 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Review date: cannot be before the start date"));
      return FALSE;
    }
  if (self->status == TEND_SIGN_STATUS_SIGNED)
    {
      g_autofree char *hash = NULL;

      if (self->signed_by == NULL || self->signed_at == NULL || self->content_sha256 == NULL)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Signature: a signed plan needs its signer, time and content hash"));
          return FALSE;
        }
      hash = tend_record_compute_content_sha256 (record, tend_signature_fields);
      if (g_strcmp0 (hash, self->content_sha256) != 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Signature: the plan’s content does not match its signature"));
          return FALSE;
        }
    }
  else if (self->signed_by != NULL || self->signed_at != NULL || self->content_sha256 != NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Signature: a draft cannot carry a signature"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
plan_check (TendPolicyActor *actor,
            gboolean         extra_writer,
            TendRecord      *stored,
            TendRecord      *record,
            GError         **error)
{
  return tend_signed_record_check (actor, stored, record, FALSE, error);
}

static const char * const plan_cosignature_fields[] = { "cosigned_by", "cosigned_at", NULL };

static const TendRecordPolicy treatment_plan_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .chart_client = "client_id",
  .frozen_by = "signed_at",
  .frozen_except = plan_cosignature_fields,
  .check = plan_check,
};

static void
tend_treatment_plan_class_init (TendTreatmentPlanClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "treatment_plan", plan_fields, G_N_ELEMENTS (plan_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &treatment_plan_policy);
  record_class->validate = tend_treatment_plan_validate;
}

static void
tend_treatment_plan_init (TendTreatmentPlan *self)
{
}

TendTreatmentPlan *
tend_treatment_plan_new (const char *client_id,
                         const char *author_id)
{
  TendTreatmentPlan *self = TEND_TREATMENT_PLAN (tend_record_new (TEND_TYPE_TREATMENT_PLAN));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "author_id", author_id);
  return self;
}

const char *
tend_treatment_plan_get_client_id (TendTreatmentPlan *self)
{
  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), NULL);
  return self->client_id;
}

const char *
tend_treatment_plan_get_review_date (TendTreatmentPlan *self)
{
  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), NULL);
  return self->review_date;
}

TendSignStatus
tend_treatment_plan_get_status (TendTreatmentPlan *self)
{
  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), TEND_SIGN_STATUS_DRAFT);
  return (TendSignStatus) self->status;
}

/**
 * tend_treatment_plan_dup_problems:
 *
 * Returns: (transfer full) (nullable): the problems list
 */
JsonNode *
tend_treatment_plan_dup_problems (TendTreatmentPlan *self)
{
  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), NULL);
  return tend_record_dup_json (TEND_RECORD (self), "problems");
}

/**
 * tend_treatment_plan_dup_plain_text:
 *
 * Returns: (transfer full): the plan as an indented outline, target dates
 *   as YYYY-MM-DD
 */
char *
tend_treatment_plan_dup_plain_text (TendTreatmentPlan *self)
{
  return tend_treatment_plan_dup_outline (self, NULL);
}

/**
 * tend_treatment_plan_dup_outline:
 * @format_date: (nullable): writes a target date (YYYY-MM-DD) for a reader,
 *   returning a new string; %NULL keeps YYYY-MM-DD
 *
 * Returns: (transfer full): the plan as an indented outline
 */
char *
tend_treatment_plan_dup_outline (TendTreatmentPlan *self,
                                 char *(*format_date) (const char *iso))
{
  g_autoptr(JsonNode) root = tend_treatment_plan_dup_problems (self);
  GString *out = g_string_new (NULL);
  JsonArray *problems;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return g_string_free (out, FALSE);
  problems = json_node_get_array (root);
  for (guint p = 0; p < json_array_get_length (problems); p++)
    {
      JsonObject *po = json_array_get_object_element (problems, p);
      gboolean bad = FALSE;
      JsonArray *goals = member_array (po, "goals", &bad);
      JsonArray *interventions = member_array (po, "interventions", &bad);

      g_string_append_printf (out, _("Problem %u: %s\n"), p + 1, member_text (po, "problem"));
      for (guint g = 0; goals != NULL && g < json_array_get_length (goals); g++)
        {
          JsonObject *go = json_array_get_object_element (goals, g);
          JsonArray *objectives = member_array (go, "objectives", &bad);

          g_string_append_printf (out, _("  Goal: %s\n"), member_text (go, "goal"));
          for (guint o = 0; objectives != NULL && o < json_array_get_length (objectives); o++)
            {
              JsonObject *oo = json_array_get_object_element (objectives, o);
              const char *target = member_text (oo, "target_date");

              if (target != NULL)
                {
                  g_autofree char *shown = format_date != NULL ? format_date (target) : g_strdup (target);

                  g_string_append_printf (out, _("    Objective: %s (by %s)\n"), member_text (oo, "objective"), shown);
                }
              else
                g_string_append_printf (out, _("    Objective: %s\n"), member_text (oo, "objective"));
            }
        }
      for (guint i = 0; interventions != NULL && i < json_array_get_length (interventions); i++)
        g_string_append_printf (out, _("  Intervention: %s\n"),
                                json_node_get_string (json_array_get_element (interventions, i)));
    }
  return g_string_free (out, FALSE);
}

/**
 * tend_treatment_plan_dup_client_text:
 * @format_date: (nullable): writes a date (YYYY-MM-DD) for a reader,
 *   returning a new string; %NULL keeps YYYY-MM-DD
 *
 * The plan in plain words for the client who is asked to co-sign it: what
 * they work on, each goal with its steps and their dates, how, how often,
 * and when the plan is looked at again.
 *
 * Returns: (transfer full): the text
 */
char *
tend_treatment_plan_dup_client_text (TendTreatmentPlan *self,
                                     char *(*format_date) (const char *iso))
{
  g_autoptr(JsonNode) root = NULL;
  GString *out = g_string_new (NULL);
  JsonArray *problems = NULL;

  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), NULL);
  root = tend_treatment_plan_dup_problems (self);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    problems = json_node_get_array (root);
  for (guint p = 0; problems != NULL && p < json_array_get_length (problems); p++)
    {
      JsonObject *po = json_array_get_object_element (problems, p);
      gboolean bad = FALSE;
      JsonArray *goals = member_array (po, "goals", &bad);
      JsonArray *interventions = member_array (po, "interventions", &bad);

      if (p > 0)
        g_string_append_c (out, '\n');
      /* TRANSLATORS: the treatment plan a client co-signs, in plain words */
      g_string_append_printf (out, _("What we will work on: %s\n"), member_text (po, "problem"));
      for (guint g = 0; goals != NULL && g < json_array_get_length (goals); g++)
        {
          JsonObject *go = json_array_get_object_element (goals, g);
          JsonArray *objectives = member_array (go, "objectives", &bad);

          g_string_append_printf (out, _("Goal: %s\n"), member_text (go, "goal"));
          for (guint o = 0; objectives != NULL && o < json_array_get_length (objectives); o++)
            {
              JsonObject *oo = json_array_get_object_element (objectives, o);
              const char *target = member_text (oo, "target_date");

              if (target != NULL)
                {
                  g_autofree char *shown = format_date != NULL ? format_date (target) : g_strdup (target);

                  /* TRANSLATORS: one step towards a goal, and the date it is meant to be reached by */
                  g_string_append_printf (out, _("  • %s, by %s\n"), member_text (oo, "objective"), shown);
                }
              else
                g_string_append_printf (out, _("  • %s\n"), member_text (oo, "objective"));
            }
        }
      if (interventions != NULL && json_array_get_length (interventions) > 0)
        {
          g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
          g_auto(GStrv) list = NULL;
          g_autofree char *joined = NULL;

          for (guint i = 0; i < json_array_get_length (interventions); i++)
            g_strv_builder_add (b, json_node_get_string (json_array_get_element (interventions, i)));
          list = g_strv_builder_end (b);
          /* TRANSLATORS: separates the ways of working on a problem */
          joined = g_strjoinv (_("; "), list);
          g_string_append_printf (out, _("How we will work on it: %s\n"), joined);
        }
    }
  if (self->frequency != NULL)
    g_string_append_printf (out, _("\nHow often we meet: %s\n"), self->frequency);
  if (self->review_date != NULL)
    {
      g_autofree char *shown = format_date != NULL ? format_date (self->review_date) : g_strdup (self->review_date);

      g_string_append_printf (out, _("We will look at this plan again by %s.\n"), shown);
    }
  return g_string_free (out, FALSE);
}

gboolean
tend_treatment_plan_mark_signed (TendTreatmentPlan *self,
                                 const char        *signer_id,
                                 GDateTime         *now,
                                 GError           **error)
{
  g_autofree char *iso = NULL;

  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), FALSE);
  if (self->status == TEND_SIGN_STATUS_SIGNED)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_CONFLICT, _("The plan is already signed"));
      return FALSE;
    }
  iso = tend_time_to_iso8601 (now);
  g_free (self->content_sha256);
  self->content_sha256 = tend_record_compute_content_sha256 (TEND_RECORD (self), tend_signature_fields);
  tend_record_set_string (TEND_RECORD (self), "signed_by", signer_id);
  tend_record_set_string (TEND_RECORD (self), "signed_at", iso);
  self->status = TEND_SIGN_STATUS_SIGNED;
  return TRUE;
}

/* "Problem 2: text" or "Problem: text" -> "text"; NULL when @line is not
 * that kind of line.  The keyword may be the English one or the translation
 * (the outline is what tend_treatment_plan_dup_plain_text() writes). */
static const char *
strip_keyword (const char *line,
               const char *english,
               const char *translated)
{
  const char *keywords[] = { english, translated };

  for (guint k = 0; k < G_N_ELEMENTS (keywords); k++)
    {
      gsize len = strlen (keywords[k]);
      const char *p = line;

      if (g_ascii_strncasecmp (p, keywords[k], len) != 0)
        continue;
      p += len;
      while (g_ascii_isdigit (*p) || *p == ' ')
        p++;
      if (*p != ':')
        continue;
      p++;
      while (*p == ' ')
        p++;
      return p;
    }
  return NULL;
}

/**
 * tend_treatment_plan_parse_outline:
 * @text: lines "Problem: …", "Goal: …", "Objective: … (by YYYY-MM-DD)" and
 *   "Intervention: …", indented or not, as the plain text of a plan reads
 *
 * Returns: (transfer full) (nullable): the problems list, or %NULL with a
 *   %TEND_ERROR_INVALID error naming the line
 */
JsonNode *
tend_treatment_plan_parse_outline (const char  *text,
                                   GError     **error)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  g_autoptr(JsonArray) problems = json_array_new ();
  JsonObject *problem = NULL, *goal = NULL;
  JsonNode *root;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      const char *rest;

      if (*line == '\0')
        continue;
      /* TRANSLATORS: keywords of the treatment plan outline, before a colon */
      if ((rest = strip_keyword (line, "Problem", C_("plan outline", "Problem"))) != NULL)
        {
          problem = json_object_new ();
          json_object_set_string_member (problem, "problem", rest);
          json_object_set_array_member (problem, "goals", json_array_new ());
          json_object_set_array_member (problem, "interventions", json_array_new ());
          json_array_add_object_element (problems, problem);
          goal = NULL;
        }
      else if ((rest = strip_keyword (line, "Goal", C_("plan outline", "Goal"))) != NULL && problem != NULL)
        {
          goal = json_object_new ();
          json_object_set_string_member (goal, "goal", rest);
          json_object_set_array_member (goal, "objectives", json_array_new ());
          json_array_add_object_element (json_object_get_array_member (problem, "goals"), goal);
        }
      else if ((rest = strip_keyword (line, "Objective", C_("plan outline", "Objective"))) != NULL && goal != NULL)
        {
          JsonObject *objective = json_object_new ();
          g_autofree char *body = g_strdup (rest);
          char *by = g_strrstr (body, "(");
          gsize blen = strlen (body);

          /* "… (by 2026-06-01)": the date in the last parentheses */
          if (by != NULL && blen > 12 && body[blen - 1] == ')' && blen - (gsize) (by - body) >= 12)
            {
              const char *date = body + blen - 11;
              GDate d;
              g_autofree char *date_copy = g_strndup (date, 10);

              if (tend_date_parse (date_copy, &d, NULL))
                {
                  json_object_set_string_member (objective, "target_date", date_copy);
                  *by = '\0';
                  g_strchomp (body);
                }
            }
          json_object_set_string_member (objective, "objective", body);
          json_array_add_object_element (json_object_get_array_member (goal, "objectives"), objective);
        }
      else if ((rest = strip_keyword (line, "Intervention", C_("plan outline", "Intervention"))) != NULL && problem != NULL)
        json_array_add_string_element (json_object_get_array_member (problem, "interventions"), rest);
      else
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Line %u: start it with Problem:, Goal:, Objective: or Intervention: (a goal under a problem, an objective under a goal)"),
                       i + 1);
          return NULL;
        }
    }
  root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, problems);
  return root;
}

/**
 * tend_treatment_plan_dup_objectives:
 *
 * Returns: (transfer full): the plan's objectives' descriptions, problem by
 *   problem and goal by goal (what a note marks progress on)
 */
char **
tend_treatment_plan_dup_objectives (TendTreatmentPlan *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  JsonArray *problems;

  g_return_val_if_fail (TEND_IS_TREATMENT_PLAN (self), NULL);
  root = tend_treatment_plan_dup_problems (self);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return g_strv_builder_end (b);
  problems = json_node_get_array (root);
  for (guint p = 0; p < json_array_get_length (problems); p++)
    {
      JsonObject *po = json_array_get_object_element (problems, p);
      gboolean bad = FALSE;
      JsonArray *goals = member_array (po, "goals", &bad);

      for (guint g = 0; goals != NULL && g < json_array_get_length (goals); g++)
        {
          JsonArray *objectives = member_array (json_array_get_object_element (goals, g), "objectives", &bad);

          for (guint o = 0; objectives != NULL && o < json_array_get_length (objectives); o++)
            {
              const char *text = member_text (json_array_get_object_element (objectives, o), "objective");

              if (text != NULL)
                g_strv_builder_add (b, text);
            }
        }
    }
  return g_strv_builder_end (b);
}
