/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-note-template.c: the practice's own note templates in core: what a
 * template may hold, notes written from one (checkboxes, choices, the
 * risk assessment and MSE where the template puts them), required
 * sections, and a signature that a later edit of the template leaves alone */
#include "config.h"

#include <string.h>

#include "tend-core.h"

#define CLIENT_ID "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define AUTHOR_ID "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"

static const char good_sections[] =
  "[{\"key\":\"focus\",\"kind\":\"text\",\"title\":\"Session focus\",\"help\":\"What the couple brought\",\"required\":true},"
  " {\"key\":\"interventions\",\"kind\":\"checkboxes\",\"title\":\"Interventions\",\"required\":true,"
  "  \"options\":[\"Gottman repair\",\"Emotion coaching\",\"Psychoeducation\"]},"
  " {\"key\":\"risk\",\"kind\":\"risk\",\"required\":true},"
  " {\"key\":\"engagement\",\"kind\":\"choice\",\"title\":\"Engagement\",\"options\":[\"Good\",\"Fair\",\"Poor\"]},"
  " {\"key\":\"mse\",\"kind\":\"mse\"}]";

static TendPracticeTemplate *
template_from (const char *sections,
               GError    **error)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"note_template\",\"id\":\"7d0c6f2e-5b7a-4c61-9d4e-1f1a2b3c4d5e\","
                                           "\"body\":{\"name\":\"Couples session\",\"sections\":%s}}", sections);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(TendRecord) record = NULL;

  g_assert_nonnull (node);
  record = tend_record_new_from_json (node, error);
  if (record == NULL)
    return NULL;
  g_assert_true (TEND_IS_PRACTICE_TEMPLATE (record));
  return TEND_PRACTICE_TEMPLATE (g_steal_pointer (&record));
}

static void
expect_refused (const char *sections,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPracticeTemplate) t = template_from (sections, &error);

  g_assert_null (t);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_template_validation (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPracticeTemplate) t = template_from (good_sections, &error);
  g_autoptr(GPtrArray) defs = NULL;
  TendNoteSectionDef *def;

  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_type_name (TEND_RECORD (t)), ==, "note_template");
  g_assert_cmpstr (tend_practice_template_get_name (t), ==, "Couples session");
  g_assert_false (tend_practice_template_is_archived (t));
  defs = tend_practice_template_dup_sections (t);
  g_assert_cmpuint (defs->len, ==, 5);
  def = g_ptr_array_index (defs, 1);
  g_assert_cmpint (def->kind, ==, TEND_NOTE_SECTION_CHECKBOXES);
  g_assert_true (def->required);
  g_assert_cmpuint (g_strv_length (def->options), ==, 3);
  def = g_ptr_array_index (defs, 2);
  g_assert_cmpint (def->kind, ==, TEND_NOTE_SECTION_RISK);
  g_assert_cmpstr (def->title, ==, "Risk assessment");

  /* Written back as it came (the forms' titles are Tend's own, not kept). */
  {
    g_autoptr(JsonNode) again = tend_note_section_defs_to_json (defs);
    g_autoptr(JsonNode) sent = json_from_string (good_sections, NULL);

    g_assert_true (json_node_equal (again, sent));
  }

  expect_refused ("[]", "Sections: a template has 1 to 60 sections");
  expect_refused ("{}", "Sections: expected a list of sections");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"text\",\"title\":\"A\"},{\"key\":\"a\",\"kind\":\"text\",\"title\":\"B\"}]",
                  "Sections: section 2: another section has the same key");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"scale\",\"title\":\"A\"}]",
                  "Sections: section 1: the kind must be text, checkboxes, choice, risk or mse");
  expect_refused ("[{\"key\":\"A b\",\"kind\":\"text\",\"title\":\"A\"}]",
                  "Sections: section 1: the key must be 1 to 40 lower-case letters, digits or underscores");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"text\",\"title\":\"  \"}]",
                  "Sections: section 1: the title must be one line of 1 to 120 characters");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"choice\",\"title\":\"A\"}]",
                  "Sections: section 1: checkboxes and choice sections need 1 to 40 options");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"choice\",\"title\":\"A\",\"options\":[\"X\",\"X\"]}]",
                  "Sections: section 1: two options are the same");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"text\",\"title\":\"A\",\"options\":[\"X\"]}]",
                  "Sections: section 1: only checkboxes and choice sections have options");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"risk\"}]",
                  "Sections: section 1: the keys “risk” and “mse” belong to the risk assessment and the mental status exam");
  expect_refused ("[{\"key\":\"risk\",\"kind\":\"text\",\"title\":\"Risk\"}]",
                  "Sections: section 1: the keys “risk” and “mse” belong to the risk assessment and the mental status exam");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"text\",\"title\":\"A\",\"colour\":\"red\"}]",
                  "Sections: section 1: “colour” is not a member of a section");
  expect_refused ("[{\"key\":\"a\",\"kind\":\"text\",\"title\":\"A\",\"required\":\"yes\"}]",
                  "Sections: section 1: “required” must be true or false");

  /* A new template is valid as made, and keys stay unique. */
  {
    g_autoptr(TendPracticeTemplate) fresh = tend_practice_template_new ("Brief check-in");
    g_autoptr(GPtrArray) sections = tend_practice_template_dup_sections (fresh);
    g_autofree char *key = tend_note_section_key_new (sections);

    g_assert_true (tend_record_validate (TEND_RECORD (fresh), &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sections->len, ==, 1);
    g_assert_cmpstr (key, ==, "s2");
  }
}

static TendClinicalNote *
filled_note (TendPracticeTemplate *t)
{
  TendClinicalNote *note = tend_clinical_note_new_from_practice_template (CLIENT_ID, AUTHOR_ID, t);

  tend_clinical_note_set_section (note, "focus", "Repair after the argument about money.");
  tend_clinical_note_set_section_checked (note, "interventions",
                                          (const char *[]) { "Psychoeducation", "Gottman repair", NULL });
  tend_clinical_note_set_section (note, "engagement", "Good");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "low", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "mood", "anxious", "Worried about the move");
  return note;
}

static void
test_note_from_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPracticeTemplate) t = template_from (good_sections, &error);
  g_autoptr(TendClinicalNote) note = filled_note (t);
  g_autoptr(GPtrArray) parts = NULL;
  g_auto(GStrv) checked = NULL;
  g_autofree char *name = NULL;
  TendNotePart *part;

  g_assert_no_error (error);
  g_assert_cmpint (tend_clinical_note_get_template (note), ==, TEND_NOTE_TEMPLATE_PRACTICE);
  g_assert_cmpstr (tend_clinical_note_get_template_id (note), ==, tend_record_get_id (TEND_RECORD (t)));
  name = tend_clinical_note_dup_template_name (note);
  g_assert_cmpstr (name, ==, "Couples session");
  g_assert_true (tend_record_validate (TEND_RECORD (note), &error));
  g_assert_no_error (error);
  checked = tend_clinical_note_dup_section_checked (note, "interventions");
  g_assert_cmpuint (g_strv_length (checked), ==, 2);

  /* In the template's order, the forms where it puts them. */
  parts = tend_clinical_note_dup_parts (note);
  g_assert_cmpuint (parts->len, ==, 5);
  part = g_ptr_array_index (parts, 0);
  g_assert_cmpstr (part->heading, ==, "Session focus");
  part = g_ptr_array_index (parts, 1);
  g_assert_cmpstr (part->heading, ==, "Interventions");
  g_assert_cmpstr (part->text, ==, "• Psychoeducation\n• Gottman repair");
  part = g_ptr_array_index (parts, 2);
  g_assert_cmpstr (part->heading, ==, "Risk assessment");
  g_assert_cmpstr (part->text, ==, "Risk level: Low");
  part = g_ptr_array_index (parts, 3);
  g_assert_cmpstr (part->heading, ==, "Engagement");
  g_assert_cmpstr (part->text, ==, "Good");
  part = g_ptr_array_index (parts, 4);
  g_assert_cmpstr (part->heading, ==, "Mental status exam");

  /* Values outside the template are refused on every load. */
  {
    g_autoptr(JsonNode) body = tend_record_serialize_body (TEND_RECORD (note));
    JsonObject *sections = json_object_get_object_member (json_node_get_object (body), "sections");
    g_autoptr(TendRecord) copy = tend_record_new (TEND_TYPE_CLINICAL_NOTE);

    json_object_set_string_member (sections, "engagement", "Excellent");
    g_assert_false (tend_record_load_body (copy, body, &error));
    g_assert_cmpstr (error->message, ==, "Note text: “Engagement” must be one of its options");
    g_clear_error (&error);
    json_object_set_string_member (sections, "engagement", "Fair");
    json_object_set_string_member (sections, "interventions", "Gottman repair");
    g_assert_false (tend_record_load_body (copy, body, &error));
    g_assert_cmpstr (error->message, ==, "Note text: “Interventions” must be a list of its options, each once");
    g_clear_error (&error);
    json_object_remove_member (sections, "interventions");
    json_object_set_string_member (sections, "subjective", "Not in this template");
    g_assert_false (tend_record_load_body (copy, body, &error));
    g_assert_cmpstr (error->message, ==, "Note text: “subjective” is not a section of this template");
    g_clear_error (&error);
    json_object_remove_member (sections, "subjective");
    g_assert_true (tend_record_load_body (copy, body, &error));
    g_assert_no_error (error);
    /* Text without the definition it was written against is refused. */
    json_object_remove_member (json_node_get_object (body), "template_def");
    g_assert_false (tend_record_load_body (copy, body, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_clear_error (&error);
  }
  /* Only a practice note keeps a definition or names a template. */
  {
    g_autoptr(TendClinicalNote) soap = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);
    g_autoptr(JsonNode) def = tend_practice_template_dup_definition (t);

    tend_record_set_json (TEND_RECORD (soap), "template_def", def);
    g_assert_false (tend_record_validate (TEND_RECORD (soap), &error));
    g_clear_error (&error);
    tend_record_set_json (TEND_RECORD (soap), "template_def", NULL);
    tend_record_set_string (TEND_RECORD (soap), "template_id", tend_record_get_id (TEND_RECORD (t)));
    g_assert_false (tend_record_validate (TEND_RECORD (soap), &error));
    g_clear_error (&error);
  }
}

static void
test_note_template_required (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPracticeTemplate) t = template_from (good_sections, &error);
  g_autoptr(TendClinicalNote) note = tend_clinical_note_new_from_practice_template (CLIENT_ID, AUTHOR_ID, t);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_auto(GStrv) missing = NULL;

  tend_clinical_note_set_section (note, "engagement", "Fair");
  tend_clinical_note_set_section (note, "focus", "  \n ");
  missing = tend_clinical_note_list_missing (note);
  g_assert_cmpuint (g_strv_length (missing), ==, 3);
  g_assert_cmpstr (missing[0], ==, "focus");
  g_assert_cmpstr (missing[1], ==, "interventions");
  g_assert_cmpstr (missing[2], ==, "risk.level");
  g_assert_false (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Fill in these parts before signing: Session focus, Interventions, Risk level");
  g_clear_error (&error);
  g_assert_false (tend_clinical_note_is_signed (note));

  /* The policy's check on a newly signed note refuses the same, whoever
   * pushes it (the signature forged in the body). */
  tend_clinical_note_set_section (note, "focus", "Repair.");
  tend_clinical_note_set_section_checked (note, "interventions", (const char *[]) { "Psychoeducation", NULL });
  g_clear_pointer (&missing, g_strfreev);
  missing = tend_clinical_note_list_missing (note);
  g_assert_cmpstr (missing[0], ==, "risk.level");
  g_assert_null (missing[1]);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "low", NULL);
  g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_no_error (error);

  /* A required MSE is named too. */
  {
    static const char with_mse[] = "[{\"key\":\"mse\",\"kind\":\"mse\",\"required\":true},"
                                   " {\"key\":\"s1\",\"kind\":\"text\",\"title\":\"Notes\"}]";
    g_autoptr(TendPracticeTemplate) t2 = template_from (with_mse, &error);
    g_autoptr(TendClinicalNote) n2 = tend_clinical_note_new_from_practice_template (CLIENT_ID, AUTHOR_ID, t2);

    g_assert_no_error (error);
    tend_clinical_note_set_section (n2, "s1", "Seen briefly.");
    g_assert_false (tend_clinical_note_check_complete (n2, &error));
    g_assert_cmpstr (error->message, ==, "Fill in these parts before signing: Mental status exam");
    g_clear_error (&error);
  }
}

/* Editing the template after a note was signed changes nothing of the note:
 * it shows and hashes the copy it was written against. */
static void
test_note_template_edit_keeps_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPracticeTemplate) t = template_from (good_sections, &error);
  g_autoptr(TendClinicalNote) note = filled_note (t);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autofree char *hash = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) defs = NULL;

  g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_no_error (error);
  hash = g_strdup (tend_clinical_note_get_content_sha256 (note));
  shown = tend_clinical_note_dup_plain_text (note);
  body = tend_record_to_body_string (TEND_RECORD (note));

  /* The practice renames a section, drops an option and another section. */
  defs = tend_practice_template_dup_sections (t);
  g_free (((TendNoteSectionDef *) g_ptr_array_index (defs, 0))->title);
  ((TendNoteSectionDef *) g_ptr_array_index (defs, 0))->title = g_strdup ("What we worked on");
  g_ptr_array_remove_index (defs, 3);
  {
    TendNoteSectionDef *checks = g_ptr_array_index (defs, 1);

    g_free (checks->options[2]);
    checks->options[2] = NULL;
  }
  tend_practice_template_set_sections (t, defs);
  g_assert_true (tend_record_validate (TEND_RECORD (t), &error));
  g_assert_no_error (error);

  /* The signed note, loaded again after the edit, is as it was. */
  {
    g_autoptr(TendRecord) again = tend_record_new (TEND_TYPE_CLINICAL_NOTE);
    g_autofree char *shown_again = NULL;
    g_autofree char *recomputed = NULL;

    /* The hash covers the id too. */
    tend_record_set_id (again, tend_record_get_id (TEND_RECORD (note)));
    g_assert_true (tend_record_load_body_string (again, body, -1, &error));
    g_assert_no_error (error);
    recomputed = tend_clinical_note_compute_sha256 (TEND_CLINICAL_NOTE (again));
    g_assert_cmpstr (recomputed, ==, hash);
    shown_again = tend_clinical_note_dup_plain_text (TEND_CLINICAL_NOTE (again));
    g_assert_cmpstr (shown_again, ==, shown);
    g_assert_nonnull (strstr (shown_again, "Session focus\nRepair after the argument about money."));
    g_assert_nonnull (strstr (shown_again, "Engagement\nGood"));
  }
  /* A new note from the edited template has the new form. */
  {
    g_autoptr(TendClinicalNote) fresh = tend_clinical_note_new_from_practice_template (CLIENT_ID, AUTHOR_ID, t);
    g_autoptr(GPtrArray) fresh_defs = tend_clinical_note_dup_section_defs (fresh);

    g_assert_cmpuint (fresh_defs->len, ==, 4);
    g_assert_cmpstr (((TendNoteSectionDef *) g_ptr_array_index (fresh_defs, 0))->title, ==, "What we worked on");
  }
}

/* A built-in template's note is written as before: no new members. */
static void
test_builtin_unchanged (void)
{
  g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_DAP);
  g_autoptr(JsonNode) body = NULL;
  JsonObject *obj;

  tend_clinical_note_set_sections (note, "plan", "Weekly.", "data", "Talked.", NULL);
  body = tend_record_serialize_body (TEND_RECORD (note));
  obj = json_node_get_object (body);
  g_assert_false (json_object_has_member (obj, "template_id"));
  g_assert_false (json_object_has_member (obj, "template_def"));
  {
    g_autofree char *text = tend_clinical_note_dup_plain_text (note);

    g_assert_cmpstr (text, ==, "Data\nTalked.\n\nPlan\nWeekly.");
  }
}

/* Progress on the treatment plan's objectives: stored in the note in the
 * plan's order, checked on load, shown, covered by the signature, and
 * gathered into each objective's history (newest first). */
static void
test_objective_progress (void)
{
  const char *plan_id = "7d0c6f2e-5b7a-4c61-9d4e-1f1a2b3c4d5e";
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (CLIENT_ID, AUTHOR_ID);
  g_autoptr(JsonNode) problems = json_from_string (
    "[{\"problem\":\"Insomnia\",\"goals\":[{\"goal\":\"Sleep better\",\"objectives\":["
    "{\"objective\":\"Sleep seven hours\",\"target_date\":\"2026-06-01\"},"
    "{\"objective\":\"No screens after ten\"}]}]},"
    " {\"problem\":\"Worry\",\"goals\":[{\"goal\":\"Worry less\",\"objectives\":["
    "{\"objective\":\"Breathing exercise daily\"}]}]}]", NULL);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) objectives = NULL;

  tend_record_set_json (TEND_RECORD (plan), "problems", problems);
  objectives = tend_treatment_plan_dup_objectives (plan);
  g_assert_cmpuint (g_strv_length (objectives), ==, 3);
  g_assert_cmpstr (objectives[1], ==, "No screens after ten");
  g_assert_cmpstr (objectives[2], ==, "Breathing exercise daily");

  for (guint i = 0; i < 3; i++)
    {
      TendClinicalNote *note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_DAP);
      g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);
      g_autofree char *date = g_strdup_printf ("2026-03-%02u", 20 - i * 7);  /* newest first */

      tend_record_set_string (TEND_RECORD (note), "service_date", date);
      tend_clinical_note_set_sections (note, "data", "Talked.", "assessment", "Better.", "plan", "Weekly.", NULL);
      g_ptr_array_add (marks, tend_objective_mark_new (plan_id, "Sleep seven hours",
                                                       i == 0 ? TEND_OBJECTIVE_MET : TEND_OBJECTIVE_PROGRESSING,
                                                       i == 0 ? "Every night this week" : NULL));
      if (i == 1)
        g_ptr_array_add (marks, tend_objective_mark_new (plan_id, "Breathing exercise daily",
                                                         TEND_OBJECTIVE_REGRESSED, "Stopped after the move"));
      tend_clinical_note_set_objectives (note, marks);
      g_ptr_array_add (notes, note);
    }

  /* Stored, read back and shown. */
  {
    TendClinicalNote *note = g_ptr_array_index (notes, 1);
    g_autoptr(GPtrArray) back = tend_clinical_note_dup_objectives (note);
    g_autofree char *text = tend_clinical_note_dup_plain_text (note);

    g_assert_cmpuint (back->len, ==, 2);
    g_assert_cmpint (((TendObjectiveMark *) g_ptr_array_index (back, 1))->status, ==, TEND_OBJECTIVE_REGRESSED);
    g_assert_true (tend_record_validate (TEND_RECORD (note), &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "Progress on objectives\nSleep seven hours: Progressing\n"
                                    "Breathing exercise daily: Regressed. Stopped after the move"));
  }
  /* A note without marks writes no member (its hash is as before). */
  {
    g_autoptr(TendClinicalNote) plain = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_DAP);
    g_autoptr(JsonNode) body = NULL;

    tend_clinical_note_set_objectives (plain, NULL);
    body = tend_record_serialize_body (TEND_RECORD (plain));
    g_assert_false (json_object_has_member (json_node_get_object (body), "objectives"));
  }
  /* Bad marks are refused on load. */
  {
    static const char * const bad[] = {
      "[{\"plan_id\":\"x\",\"objective\":\"A\",\"status\":\"met\"}]",
      "[{\"plan_id\":\"7d0c6f2e-5b7a-4c61-9d4e-1f1a2b3c4d5e\",\"objective\":\"A\",\"status\":\"great\"}]",
      "[{\"plan_id\":\"7d0c6f2e-5b7a-4c61-9d4e-1f1a2b3c4d5e\",\"objective\":\"\",\"status\":\"met\"}]",
      "[{\"plan_id\":\"7d0c6f2e-5b7a-4c61-9d4e-1f1a2b3c4d5e\",\"objective\":\"A\",\"status\":\"met\",\"x\":1}]",
      "{\"objective\":\"A\"}",
    };

    for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
      {
        g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_DAP);
        g_autoptr(JsonNode) node = json_from_string (bad[b], NULL);

        tend_record_set_json (TEND_RECORD (note), "objectives", node);
        g_assert_false (tend_record_validate (TEND_RECORD (note), &error));
        g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
        g_clear_error (&error);
      }
  }
  /* Covered by the signature. */
  {
    TendClinicalNote *note = g_ptr_array_index (notes, 2);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);

    g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
    before = g_strdup (tend_clinical_note_get_content_sha256 (note));
    g_ptr_array_add (changed, tend_objective_mark_new (plan_id, "Sleep seven hours", TEND_OBJECTIVE_MET, NULL));
    tend_clinical_note_set_objectives (note, changed);
    after = tend_clinical_note_compute_sha256 (note);
    g_assert_cmpstr (before, !=, after);
    g_assert_false (tend_record_validate (TEND_RECORD (note), &error));
    g_clear_error (&error);
  }
  /* Each objective's history, newest first. */
  history = tend_objective_history (notes, "Sleep seven hours");
  g_assert_cmpuint (history->len, ==, 3);
  g_assert_cmpstr (tend_clinical_note_get_service_date (g_ptr_array_index (history, 0)), ==, "2026-03-20");
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tend_objective_history (notes, "Breathing exercise daily");
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (tend_clinical_note_get_service_date (g_ptr_array_index (history, 0)), ==, "2026-03-13");
  g_clear_pointer (&history, g_ptr_array_unref);
  history = tend_objective_history (notes, "No screens after ten");
  g_assert_cmpuint (history->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/note-template/validation", test_template_validation);
  g_test_add_func ("/note-template/note", test_note_from_template);
  g_test_add_func ("/note-template/required", test_note_template_required);
  g_test_add_func ("/note-template/edit-keeps-hash", test_note_template_edit_keeps_hash);
  g_test_add_func ("/note-template/builtin-unchanged", test_builtin_unchanged);
  g_test_add_func ("/note/objective-progress", test_objective_progress);
  return g_test_run ();
}
