/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-chart-pdf.c: the chart export's text, read back with poppler; and the
 * PDF check that guards attaching documents */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "tend-chart-pdf.h"

#define CLIENT_ID "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define AUTHOR_ID "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define SUPER_ID  "6f9619ff-8b86-4011-b42d-00c04fc964ff"

static TendChartBundle *
make_bundle (guint n_notes)
{
  TendChartBundle *b = tend_chart_bundle_new ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(TendDiagnosis) dx = tend_diagnosis_new (CLIENT_ID, "F41.1", "Generalized anxiety disorder");
  guint answers[9] = { 2, 2, 1, 1, 1, 1, 1, 0, 1 };
  g_autoptr(TendMeasure) phq = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PHQ9, "2026-02-02", answers, 9);

  b->client = tend_client_new ("Rowan", "Hale");
  tend_record_set_id (TEND_RECORD (b->client), CLIENT_ID);
  tend_record_set_string (TEND_RECORD (b->client), "date_of_birth", "1988-07-14");
  /* Insurance is the client's policies; text typed on the client record
   * before policies is not printed. */
  tend_record_set_string (TEND_RECORD (b->client), "insurance.payer", "Typed Payer Text");
  {
    g_autoptr(TendPolicy) policy = tend_policy_new (CLIENT_ID, "7d1e2f80-0000-4000-8000-00000000b0b0", "BH-100");

    tend_record_set_string (TEND_RECORD (policy), "priority", "primary");
    tend_record_set_string (TEND_RECORD (policy), "group_number", "G-7");
    g_ptr_array_add (b->policies, g_steal_pointer (&policy));
    g_hash_table_insert (b->payer_names, g_strdup ("7d1e2f80-0000-4000-8000-00000000b0b0"), g_strdup ("Blue Harbor Health"));
  }
  b->practice_name = g_strdup ("Harbor Counseling");
  g_hash_table_insert (b->names, g_strdup (AUTHOR_ID), g_strdup ("Cleo Tester"));
  g_hash_table_insert (b->names, g_strdup (SUPER_ID), g_strdup ("Sam Supervisor"));
  tend_record_set_string (TEND_RECORD (dx), "rank", "primary");
  tend_record_set_string (TEND_RECORD (dx), "onset", "2025-11-01");
  g_ptr_array_add (b->diagnoses, g_steal_pointer (&dx));
  g_ptr_array_add (b->measures, g_steal_pointer (&phq));

  for (guint i = 0; i < n_notes; i++)
    {
      g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);
      g_autofree char *subjective = g_strdup_printf ("Session %u: reports sleeping better; worry about work "
                                                     "continues but is easier to set aside in the evening. "
                                                     "Practised the breathing exercise four times this week.", i + 1);
      g_autofree char *date = g_strdup_printf ("2026-%02u-%02u", 1 + (i / 28) % 12, 1 + i % 28);

      tend_record_set_string (TEND_RECORD (note), "service_date", date);
      tend_record_set_int (TEND_RECORD (note), "duration_minutes", 53);
      tend_record_set_string (TEND_RECORD (note), "service_code", "90837");
      tend_clinical_note_set_section (note, "subjective", subjective);
      tend_clinical_note_set_section (note, "assessment", "Anxiety moderate, improving. No risk indicators.");
      tend_clinical_note_set_section (note, "plan", "Continue weekly CBT; review PHQ-9 in four weeks.");
      if (i == 0)
        {
          g_autoptr(TendClinicalNote) add = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_ADDENDUM);
          GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);

          /* The signed note with its session, risk assessment and MSE. */
          tend_record_set_string (TEND_RECORD (note), "modality", "phone");
          tend_record_set_string (TEND_RECORD (note), "place_of_service", "10");
          tend_record_set_string (TEND_RECORD (note), "participants", "Client and partner");
          tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "ideation", "passive", "Fleeting, no plan.");
          tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "moderate", NULL);
          tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "actions", NULL, "Safety plan reviewed.");
          tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "affect", "constricted", NULL);
          g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, NULL));
          tend_record_set_string (TEND_RECORD (note), "cosigned_by", SUPER_ID);
          tend_record_set_string (TEND_RECORD (note), "cosigned_at", "2026-03-03T10:00:00Z");
          tend_record_set_string (TEND_RECORD (add), "addendum_of", tend_record_get_id (TEND_RECORD (note)));
          tend_clinical_note_set_section (add, "text", "Correction: the exercise was practised three times.");
          g_assert_true (tend_clinical_note_mark_signed (add, AUTHOR_ID, now, NULL));
          g_ptr_array_add (list, g_steal_pointer (&add));
          g_hash_table_insert (b->addenda, g_strdup (tend_record_get_id (TEND_RECORD (note))), list);
        }
      g_ptr_array_add (b->notes, g_steal_pointer (&note));
    }
  return b;
}

static char *
pdf_text (const char *path,
          int        *n_pages)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  PopplerDocument *doc = poppler_document_new_from_file (uri, NULL, &error);
  GString *all = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  *n_pages = poppler_document_get_n_pages (doc);
  for (int i = 0; i < *n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_string_append (all, text);
      g_string_append_c (all, '\n');
      g_object_unref (page);
    }
  g_object_unref (doc);
  return g_string_free (all, FALSE);
}

/* Poppler may break lines where the layout did: compare without whitespace. */
static char *
squash (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = squash (haystack);
  g_autofree char *n = squash (needle);

  if (strstr (h, n) == NULL)
    g_error ("the PDF text lacks “%s”", needle);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  *last = fraction;
}

static void
test_text_round_trip (void)
{
  g_autoptr(TendChartBundle) bundle = make_bundle (12);
  g_autofree char *dir = g_dir_make_tmp ("tend-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;
  double last = 0;
  int pages = 0;
  TendClinicalNote *first = g_ptr_array_index (bundle->notes, 0);

  bundle->safety_plan = tend_safety_plan_new (CLIENT_ID, AUTHOR_ID, "2026-02-02");
  tend_record_set_string (TEND_RECORD (bundle->safety_plan), "warning_signs", "Not sleeping\nSkipping meals");
  tend_record_set_string (TEND_RECORD (bundle->safety_plan), "help_contacts", "Sister Dana 555-0142");
  /* A conversation with the client, its times in the practice's zone. */
  {
    const char *members[] = { AUTHOR_ID, NULL };
    TendConversation *c = tend_conversation_new (AUTHOR_ID, members);
    GPtrArray *messages = g_ptr_array_new_with_free_func (g_object_unref);
    TendMessage *m1 = tend_message_new (tend_record_get_id (TEND_RECORD (c)), AUTHOR_ID, "See you Thursday at 3.");
    TendMessage *m2 = tend_message_new (tend_record_get_id (TEND_RECORD (c)), NULL, "Thank you, I will be there.");
    TendMessage *m3 = tend_message_new (tend_record_get_id (TEND_RECORD (c)), AUTHOR_ID, "Wrong client, sorry.");

    tend_record_set_string (TEND_RECORD (c), "subject", "Scheduling");
    tend_record_set_string (TEND_RECORD (m1), "sent_at", "2026-03-02T21:30:00Z");
    tend_record_set_int (TEND_RECORD (m2), "from_client", TRUE);
    tend_record_set_string (TEND_RECORD (m2), "sent_at", "2026-03-02T22:00:00Z");
    tend_record_set_string (TEND_RECORD (m3), "sent_at", "2026-03-02T22:05:00Z");
    tend_message_withdraw (m3);
    g_ptr_array_add (messages, m1);
    g_ptr_array_add (messages, m2);
    g_ptr_array_add (messages, m3);
    g_hash_table_insert (bundle->messages, g_strdup (tend_record_get_id (TEND_RECORD (c))), messages);
    g_ptr_array_add (bundle->conversations, c);
    bundle->zone = g_time_zone_new_identifier ("America/Chicago");
  }
  g_assert_true (tend_chart_pdf_write (bundle, path, NULL, progress_cb, &last, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* TEND_TEST_SCREENSHOTS=DIR keeps a copy to render and look at. */
  if (g_getenv ("TEND_TEST_SCREENSHOTS") != NULL)
    {
      g_autofree char *kept = g_build_filename (g_getenv ("TEND_TEST_SCREENSHOTS"), "chart-export.pdf", NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      g_mkdir_with_parents (g_getenv ("TEND_TEST_SCREENSHOTS"), 0700);
      if (g_file_get_contents (path, &data, &len, NULL))
        g_file_set_contents (kept, data, (gssize) len, NULL);
    }
  text = pdf_text (path, &pages);
  g_assert_cmpint (pages, >=, 2);
  assert_contains (text, "Clinical record");
  assert_contains (text, "Rowan Hale");
  assert_contains (text, "Blue Harbor Health");
  assert_contains (text, "BH-100");
  assert_contains (text, "Primary insurance");
  g_assert_null (strstr (text, "Typed Payer Text"));
  assert_contains (text, "F41.1 Generalized anxiety disorder");
  assert_contains (text, "PHQ-9 (depression): 10 of 27, Moderate — item 9 positive");
  assert_contains (text, "Session 1: reports sleeping better");
  assert_contains (text, "Session 12: reports sleeping better");
  assert_contains (text, "Subjective");
  assert_contains (text, "Continue weekly CBT");
  assert_contains (text, "Correction: the exercise was practised three times.");
  assert_contains (text, "Signed by Cleo Tester");
  assert_contains (text, "Phone");
  assert_contains (text, "POS 10");
  assert_contains (text, "Participants: Client and partner");
  assert_contains (text, "Risk assessment");
  assert_contains (text, "Suicidal ideation: Passive (wishes to be dead). Fleeting, no plan.");
  assert_contains (text, "Risk level: Moderate");
  assert_contains (text, "Actions taken: Safety plan reviewed.");
  assert_contains (text, "Mental status exam");
  assert_contains (text, "Messages with the client");
  assert_contains (text, "Scheduling");
  assert_contains (text, "Cleo Tester");
  assert_contains (text, "See you Thursday at 3.");
  assert_contains (text, "Rowan Hale");
  assert_contains (text, "Thank you, I will be there.");
  assert_contains (text, "withdrawn by its author");
  /* 21:30 UTC is 15:30 in Chicago (CST): printed in the practice's zone
   * (%X in the tests' C locale), not in UTC or this computer's zone. */
  assert_contains (text, "15:30:00");
  assert_contains (text, "Safety plan");
  assert_contains (text, "1. Warning Signs");
  assert_contains (text, "Skipping meals");
  assert_contains (text, "Sister Dana 555-0142");
  assert_contains (text, "In an emergency: 988 Suicide & Crisis Lifeline: call or text 988");
  assert_contains (text, "Affect: Constricted");
  assert_contains (text, tend_clinical_note_get_content_sha256 (first));
  assert_contains (text, "Co-signed by Sam Supervisor");
  assert_contains (text, "Unsigned draft");
  assert_contains (text, "Page 2");
  assert_contains (text, "Harbor Counseling · Rowan Hale · Confidential health record");

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_cancelled (void)
{
  g_autoptr(TendChartBundle) bundle = make_bundle (5);
  g_autofree char *dir = g_dir_make_tmp ("tend-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.pdf", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (tend_chart_pdf_write (bundle, path, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Nothing half-written is left behind. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

/* A note of a couple session, written before names were replaced (or
 * typed where the editor does not look): the PDF prints the other member
 * as "group member", in the participants, the note and its addendum. */
static void
test_group_note (void)
{
  const char *ben_id = "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c81";
  g_autoptr(TendChartBundle) bundle = make_bundle (1);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 15, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  g_autoptr(TendAppointment) couple = tend_appointment_new (AUTHOR_ID, start, end);
  TendClinicalNote *note = g_ptr_array_index (bundle->notes, 0);
  GPtrArray *addenda = g_hash_table_lookup (bundle->addenda, tend_record_get_id (TEND_RECORD (note)));
  TendGroupNote *rule;
  g_autofree char *dir = g_dir_make_tmp ("tend-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int pages = 0;

  tend_appointment_set_members (couple, TEND_SESSION_COUPLE, (const char *[]) { CLIENT_ID, ben_id, NULL });
  /* The bodies as they were signed: the PDF changes only what it prints. */
  tend_record_set_string (TEND_RECORD (note), "participants", "Rowan Hale, Bram Okoye");
  tend_clinical_note_set_section (g_ptr_array_index (addenda, 0), "text", "Bram Okoye called after the session.");
  rule = tend_group_note_new (couple, CLIENT_ID);
  tend_group_note_add_name (rule, CLIENT_ID, "Rowan Hale");
  tend_group_note_add_name (rule, ben_id, "Bram Okoye");
  g_hash_table_insert (bundle->group_notes, g_strdup (tend_record_get_id (TEND_RECORD (note))), rule);

  g_assert_true (tend_chart_pdf_write (bundle, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  text = pdf_text (path, &pages);
  assert_contains (text, "Participants: Rowan Hale, group member");
  assert_contains (text, "group member called after the session.");
  assert_contains (text, "Session 1: reports sleeping better");
  g_assert_null (strstr (text, "Bram"));
  g_assert_null (strstr (text, "Okoye"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_pdf_check (void)
{
  g_autoptr(TendChartBundle) bundle = make_bundle (1);
  g_autofree char *dir = g_dir_make_tmp ("tend-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  int pages = 0;

  g_assert_true (tend_chart_pdf_write (bundle, path, NULL, NULL, NULL, &error));
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  {
    g_autoptr(GBytes) good = g_bytes_new (data, len);
    g_autoptr(GBytes) truncated = g_bytes_new (data, len / 3);
    g_autoptr(GBytes) garbage = g_bytes_new_static ("%PDF-1.7\nthis is not really a pdf\n", 34);
    g_autoptr(GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\n....", 12);

    g_assert_true (tend_pdf_check (good, &pages, &error));
    g_assert_no_error (error);
    g_assert_cmpint (pages, ==, 1);

    g_assert_false (tend_pdf_check (truncated, NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "damaged"));
    g_clear_error (&error);
    g_assert_false (tend_pdf_check (garbage, NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (tend_pdf_check (png, NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "not a PDF"));
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* A signed note from a practice template, with progress marked on the
 * plan's objectives: the PDF prints every section as the note keeps them,
 * checked options and the choice, and each objective's progress. */
static void
test_practice_note_and_progress (void)
{
  static const char sections[] =
    "[{\"key\":\"focus\",\"kind\":\"text\",\"title\":\"Session focus\",\"required\":true},"
    " {\"key\":\"interventions\",\"kind\":\"checkboxes\",\"title\":\"Interventions used\","
    "  \"options\":[\"Gottman repair\",\"Emotion coaching\",\"Psychoeducation\"]},"
    " {\"key\":\"engagement\",\"kind\":\"choice\",\"title\":\"Engagement\",\"options\":[\"Good\",\"Fair\"]}]";
  g_autoptr(TendChartBundle) bundle = make_bundle (0);
  g_autoptr(TendPracticeTemplate) t = tend_practice_template_new ("Couples session");
  g_autoptr(JsonNode) defs = json_from_string (sections, NULL);
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autofree char *dir = g_dir_make_tmp ("tend-pdf-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "chart.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *plan_id = "7d0c6f2e-5b7a-4c61-9d4e-1f1a2b3c4d5e";
  int pages = 0;

  tend_record_set_json (TEND_RECORD (t), "sections", defs);
  note = tend_clinical_note_new_from_practice_template (CLIENT_ID, AUTHOR_ID, t);
  tend_record_set_string (TEND_RECORD (note), "service_date", "2026-03-02");
  tend_clinical_note_set_section (note, "focus", "Repair after the argument about money.");
  tend_clinical_note_set_section_checked (note, "interventions", (const char *[]) { "Emotion coaching", NULL });
  tend_clinical_note_set_section (note, "engagement", "Fair");
  g_ptr_array_add (marks, tend_objective_mark_new (plan_id, "Sleep seven hours on five nights a week",
                                                   TEND_OBJECTIVE_PROGRESSING, "Five nights this week"));
  g_ptr_array_add (marks, tend_objective_mark_new (plan_id, "Use the breathing exercise daily",
                                                   TEND_OBJECTIVE_REGRESSED, NULL));
  tend_clinical_note_set_objectives (note, marks);
  g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_no_error (error);
  /* The progress is covered by the signature: changing it changes the hash. */
  {
    g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_objective_mark_free);
    g_autoptr(TendClinicalNote) copy = TEND_CLINICAL_NOTE (tend_record_new (TEND_TYPE_CLINICAL_NOTE));
    g_autofree char *body = tend_record_to_body_string (TEND_RECORD (note));

    tend_record_set_id (TEND_RECORD (copy), tend_record_get_id (TEND_RECORD (note)));
    g_assert_true (tend_record_load_body_string (TEND_RECORD (copy), body, -1, &error));
    g_ptr_array_add (other, tend_objective_mark_new (plan_id, "Use the breathing exercise daily",
                                                     TEND_OBJECTIVE_MET, NULL));
    tend_clinical_note_set_objectives (copy, other);
    g_assert_false (tend_record_validate (TEND_RECORD (copy), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_ptr_array_add (bundle->notes, g_steal_pointer (&note));
  g_assert_true (tend_chart_pdf_write (bundle, path, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  if (g_getenv ("TEND_TEST_SCREENSHOTS") != NULL)
    {
      g_autofree char *kept = g_build_filename (g_getenv ("TEND_TEST_SCREENSHOTS"), "chart-export-template.pdf", NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      g_mkdir_with_parents (g_getenv ("TEND_TEST_SCREENSHOTS"), 0700);
      if (g_file_get_contents (path, &data, &len, NULL))
        g_file_set_contents (kept, data, (gssize) len, NULL);
    }
  text = pdf_text (path, &pages);
  assert_contains (text, "Couples session");
  assert_contains (text, "Session focus");
  assert_contains (text, "Repair after the argument about money.");
  assert_contains (text, "Interventions used");
  assert_contains (text, "• Emotion coaching");
  g_assert_null (strstr (text, "Gottman repair"));
  assert_contains (text, "Engagement");
  assert_contains (text, "Fair");
  assert_contains (text, "Progress on objectives");
  assert_contains (text, "Sleep seven hours on five nights a week: Progressing. Five nights this week");
  assert_contains (text, "Use the breathing exercise daily: Regressed");
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chart-pdf/text-round-trip", test_text_round_trip);
  g_test_add_func ("/chart-pdf/cancelled", test_cancelled);
  g_test_add_func ("/chart-pdf/practice-note-and-progress", test_practice_note_and_progress);
  g_test_add_func ("/chart-pdf/pdf-check", test_pdf_check);
  g_test_add_func ("/chart-pdf/group-note", test_group_note);
  return g_test_run ();
}
