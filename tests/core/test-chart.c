/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-chart.c: clinical records in core: measures and their scoring, notes
 * and their signatures, diagnoses, treatment plans, documents, ICD-10-CM */
#include "config.h"

#include <string.h>

#include "tend-core.h"

#define CLIENT_ID "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define AUTHOR_ID "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define OTHER_ID  "6f9619ff-8b86-4011-b42d-00c04fc964ff"

/* Hand-computed totals and bands. */
static void
test_phq9_scoring (void)
{
  static const struct { guint a[9]; guint score; TendSeverity band; } cases[] = {
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, TEND_SEVERITY_MINIMAL },
    { { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, 4, TEND_SEVERITY_MINIMAL },
    { { 1, 1, 1, 1, 1, 0, 0, 0, 0 }, 5, TEND_SEVERITY_MILD },
    { { 2, 2, 1, 1, 1, 1, 1, 0, 0 }, 9, TEND_SEVERITY_MILD },
    { { 2, 2, 2, 2, 1, 1, 0, 0, 0 }, 10, TEND_SEVERITY_MODERATE },
    { { 3, 3, 2, 2, 2, 1, 1, 0, 0 }, 14, TEND_SEVERITY_MODERATE },
    { { 3, 3, 2, 2, 2, 2, 1, 0, 0 }, 15, TEND_SEVERITY_MODERATELY_SEVERE },
    { { 3, 3, 3, 3, 2, 2, 2, 1, 0 }, 19, TEND_SEVERITY_MODERATELY_SEVERE },
    { { 3, 3, 3, 3, 2, 2, 2, 2, 0 }, 20, TEND_SEVERITY_SEVERE },
    { { 3, 3, 3, 3, 3, 3, 3, 3, 3 }, 27, TEND_SEVERITY_SEVERE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TendMeasure) m = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PHQ9, "2026-03-02", cases[i].a, 9);
      g_autoptr(GError) error = NULL;
      guint score = 999;

      g_assert_true (tend_instrument_score (TEND_INSTRUMENT_PHQ9, cases[i].a, 9, &score, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (score, ==, cases[i].score);
      g_assert_true (tend_record_validate (TEND_RECORD (m), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tend_measure_get_score (m), ==, cases[i].score);
      g_assert_cmpint (tend_measure_get_severity (m), ==, cases[i].band);
      g_assert_cmpint (tend_measure_has_risk (m), ==, cases[i].a[8] > 0);
    }
  g_assert_cmpuint (tend_instrument_get_n_items (TEND_INSTRUMENT_PHQ9), ==, 9);
  g_assert_cmpuint (tend_instrument_get_max_score (TEND_INSTRUMENT_PHQ9), ==, 27);
  g_assert_nonnull (strstr (tend_instrument_get_item (TEND_INSTRUMENT_PHQ9, 8), "better off dead"));
}

/* PCL-5 (data/instruments/pcl5.json): 20 items scored 0 ("Not at all") to 4
 * ("Extremely"), total 0–80; probable PTSD from 33 (the published range is
 * 31–33); the DSM-5 rule counts items rated 2 or more: 1 of B (items 1–5),
 * 1 of C (6–7), 2 of D (8–14), 2 of E (15–20). */
static void
test_pcl5_scoring (void)
{
  static const struct { guint a[20]; guint score; gboolean pattern; gboolean probable; } cases[] = {
    { { 0 }, 0, FALSE, FALSE },
    { { 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4 }, 80, TRUE, TRUE },
    /* Exactly the DSM-5 minimum at "Moderately": 1 B, 1 C, 2 D, 2 E = 12. */
    { { 2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0 }, 12, TRUE, FALSE },
    /* The same but only one E item: no pattern. */
    { { 2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0 }, 11, FALSE, FALSE },
    /* Many items at 1 ("A little bit"): no symptom counts, but the total can pass the cut-point. */
    { { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 20, FALSE, FALSE },
    { { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 0, 0, 0 }, 33, TRUE, TRUE },
    { { 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0 }, 32, TRUE, FALSE },
  };

  g_assert_cmpuint (tend_instrument_get_n_items (TEND_INSTRUMENT_PCL5), ==, 20);
  g_assert_cmpuint (tend_instrument_get_max_score (TEND_INSTRUMENT_PCL5), ==, 80);
  g_assert_cmpuint (tend_instrument_get_n_options (TEND_INSTRUMENT_PCL5, 19), ==, 5);
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_PCL5, 0, 0), ==, "Not at all");
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_PCL5, 0, 2), ==, "Moderately");
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_PCL5, 0, 4), ==, "Extremely");
  g_assert_cmpstr (tend_instrument_get_item (TEND_INSTRUMENT_PCL5, 16), ==, "Being “superalert” or watchful or on guard?");
  g_assert_cmpstr (tend_instrument_get_stem (TEND_INSTRUMENT_PCL5), ==, "In the past month, how much were you bothered by:");
  g_assert_null (tend_instrument_get_bands (TEND_INSTRUMENT_PCL5, &(guint) { 0 }));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TendMeasure) m = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PCL5, "2026-03-02", cases[i].a, 20);
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;
      g_autoptr(TendRecord) copy = NULL;

      g_assert_true (tend_record_validate (TEND_RECORD (m), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tend_measure_get_score (m), ==, cases[i].score);
      g_assert_cmpint (tend_pcl5_meets_dsm5_pattern (cases[i].a), ==, cases[i].pattern);
      result = tend_measure_dup_result (m);
      g_assert_cmpint (g_str_has_prefix (result, "Probable PTSD"), ==, cases[i].probable);
      g_assert_cmpint (strstr (result, "DSM-5") != NULL, ==, cases[i].pattern);
      g_assert_false (tend_measure_has_risk (m));
      /* Through the codec, as sync carries it. */
      copy = tend_record_copy (TEND_RECORD (m));
      g_assert_nonnull (copy);
      g_assert_true (tend_record_validate (copy, &error));
    }
  /* A 5 is not an answer, nor are 19 answers. */
  {
    guint five[20] = { 5 };
    g_autoptr(GError) error = NULL;

    g_assert_false (tend_instrument_score (TEND_INSTRUMENT_PCL5, five, 20, NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "0 to 4"));
    g_clear_error (&error);
    g_assert_false (tend_instrument_score (TEND_INSTRUMENT_PCL5, five, 19, NULL, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  }
}

/* AUDIT-C (data/instruments/auditc.json): 3 questions, each with its own
 * five options scored 0–4, total 0–12; positive at 4 or more for men and 3
 * or more for women. */
static void
test_auditc_scoring (void)
{
  static const struct { guint a[3]; guint score; const char *result; } cases[] = {
    { { 0, 0, 0 }, 0, "Negative screen" },
    { { 2, 0, 0 }, 2, "Negative screen" },
    { { 2, 1, 0 }, 3, "Positive screen for women (3 or more); below the men’s cut-point of 4" },
    { { 4, 0, 0 }, 4, "Positive screen for hazardous drinking (4 or more)" },
    { { 3, 2, 1 }, 6, "Positive screen for hazardous drinking (4 or more)" },
    { { 4, 4, 4 }, 12, "Positive screen for hazardous drinking (4 or more)" },
  };

  g_assert_cmpuint (tend_instrument_get_n_items (TEND_INSTRUMENT_AUDITC), ==, 3);
  g_assert_cmpuint (tend_instrument_get_max_score (TEND_INSTRUMENT_AUDITC), ==, 12);
  g_assert_cmpstr (tend_instrument_get_item (TEND_INSTRUMENT_AUDITC, 0), ==, "How often do you have a drink containing alcohol?");
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_AUDITC, 0, 1), ==, "Monthly or less");
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_AUDITC, 1, 0), ==, "1 or 2");
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_AUDITC, 1, 3), ==, "7, 8, or 9");
  g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_AUDITC, 2, 4), ==, "Daily or almost daily");
  g_assert_true (g_str_has_prefix (tend_instrument_get_stem (TEND_INSTRUMENT_AUDITC), "Now I am going to ask you"));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TendMeasure) m = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_AUDITC, "2026-03-02", cases[i].a, 3);
      g_autoptr(GError) error = NULL;
      g_autofree char *result = NULL;

      g_assert_true (tend_record_validate (TEND_RECORD (m), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tend_measure_get_score (m), ==, cases[i].score);
      result = tend_measure_dup_result (m);
      g_assert_cmpstr (result, ==, cases[i].result);
    }
}

/* The PHQ-9 and GAD-7 as their checked data files word them. */
static void
test_instrument_wording (void)
{
  g_assert_cmpstr (tend_instrument_get_stem (TEND_INSTRUMENT_PHQ9), ==,
                   "Over the last 2 weeks, how often have you been bothered by any of the following problems?");
  g_assert_cmpstr (tend_instrument_get_stem (TEND_INSTRUMENT_GAD7), ==,
                   "Over the last 2 weeks, how often have you been bothered by the following problems?");
  g_assert_cmpstr (tend_instrument_get_item (TEND_INSTRUMENT_GAD7, 0), ==, "Feeling nervous, anxious or on edge");
  for (guint inst = 0; inst < TEND_N_INSTRUMENTS; inst++)
    for (guint i = 0; i < tend_instrument_get_n_items (inst); i++)
      {
        g_assert_true (tend_instrument_get_item (inst, i)[0] != '\0');
        for (guint o = 0; o < tend_instrument_get_n_options (inst, i); o++)
          g_assert_true (tend_instrument_get_option (inst, i, o)[0] != '\0');
      }
  for (guint o = 0; o < 4; o++)
    g_assert_cmpstr (tend_instrument_get_option (TEND_INSTRUMENT_PHQ9, 8, o), ==, tend_answer_get_label (o));
}

static void
test_gad7_scoring (void)
{
  static const struct { guint a[7]; guint score; TendSeverity band; } cases[] = {
    { { 0, 0, 0, 0, 0, 0, 0 }, 0, TEND_SEVERITY_MINIMAL },
    { { 1, 1, 1, 1, 0, 0, 0 }, 4, TEND_SEVERITY_MINIMAL },
    { { 1, 1, 1, 1, 1, 0, 0 }, 5, TEND_SEVERITY_MILD },
    { { 2, 2, 2, 1, 1, 1, 0 }, 9, TEND_SEVERITY_MILD },
    { { 2, 2, 2, 2, 1, 1, 0 }, 10, TEND_SEVERITY_MODERATE },
    { { 2, 2, 2, 2, 2, 2, 2 }, 14, TEND_SEVERITY_MODERATE },
    { { 3, 2, 2, 2, 2, 2, 2 }, 15, TEND_SEVERITY_SEVERE },
    { { 3, 3, 3, 3, 3, 3, 3 }, 21, TEND_SEVERITY_SEVERE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TendMeasure) m = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_GAD7, "2026-03-02", cases[i].a, 7);
      g_autoptr(GError) error = NULL;

      g_assert_true (tend_record_validate (TEND_RECORD (m), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tend_measure_get_score (m), ==, cases[i].score);
      g_assert_cmpint (tend_measure_get_severity (m), ==, cases[i].band);
      g_assert_false (tend_measure_has_risk (m));
    }
  /* GAD-7 has no "moderately severe" band. */
  g_assert_cmpint (tend_instrument_get_severity (TEND_INSTRUMENT_GAD7, 17), ==, TEND_SEVERITY_SEVERE);
  g_assert_cmpint (tend_instrument_get_severity (TEND_INSTRUMENT_PHQ9, 17), ==, TEND_SEVERITY_MODERATELY_SEVERE);
}

static void
test_phq9_item9_risk (void)
{
  guint low[9] = { 0, 0, 0, 0, 0, 0, 0, 0, 1 };
  guint none[9] = { 3, 3, 3, 3, 3, 3, 3, 3, 0 };
  g_autoptr(TendMeasure) a = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PHQ9, "2026-03-02", low, 9);
  g_autoptr(TendMeasure) b = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PHQ9, "2026-03-02", none, 9);

  /* A total of 1, "minimal", and still an alert. */
  g_assert_cmpuint (tend_measure_get_score (a), ==, 1);
  g_assert_cmpint (tend_measure_get_severity (a), ==, TEND_SEVERITY_MINIMAL);
  g_assert_true (tend_measure_has_risk (a));
  /* Severe without item 9: no alert. */
  g_assert_false (tend_measure_has_risk (b));
}

static void
test_measure_validation (void)
{
  guint out_of_range[9] = { 0, 0, 4, 0, 0, 0, 0, 0, 0 };
  guint seven[7] = { 1, 1, 1, 1, 1, 1, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TendMeasure) bad_answer = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PHQ9, "2026-03-02", out_of_range, 9);
  g_autoptr(TendMeasure) too_few = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_PHQ9, "2026-03-02", seven, 7);
  g_autoptr(TendMeasure) ok = tend_measure_new (CLIENT_ID, TEND_INSTRUMENT_GAD7, "2026-03-02", seven, 7);
  g_autoptr(TendRecord) forged = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_false (tend_record_validate (TEND_RECORD (bad_answer), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "item 3"));
  g_clear_error (&error);

  g_assert_false (tend_record_validate (TEND_RECORD (too_few), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "9 items"));
  g_clear_error (&error);

  g_assert_true (tend_record_validate (TEND_RECORD (ok), &error));
  g_assert_no_error (error);

  /* A peer's record whose stored score disagrees with its answers is refused. */
  json_parser_load_from_data (parser,
                              "{\"type\":\"measure\",\"id\":\"" OTHER_ID "\",\"body\":{\"client_id\":\"" CLIENT_ID "\","
                              "\"instrument\":\"gad7\",\"date\":\"2026-03-02\",\"answers\":[1,1,1,1,1,1,1],\"score\":2}}",
                              -1, &error);
  g_assert_no_error (error);
  forged = tend_record_new_from_json (json_parser_get_root (parser), &error);
  g_assert_null (forged);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Score"));
  g_clear_error (&error);

  /* Answers that are not numbers. */
  json_parser_load_from_data (parser,
                              "{\"type\":\"measure\",\"id\":\"" OTHER_ID "\",\"body\":{\"client_id\":\"" CLIENT_ID "\","
                              "\"instrument\":\"gad7\",\"date\":\"2026-03-02\",\"answers\":[\"1\",1,1,1,1,1,1],\"score\":7}}",
                              -1, &error);
  forged = tend_record_new_from_json (json_parser_get_root (parser), &error);
  g_assert_null (forged);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

static TendClinicalNote *
make_note (void)
{
  TendClinicalNote *note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);

  tend_clinical_note_set_section (note, "plan", "Meet weekly; practise breathing exercise.");
  tend_clinical_note_set_section (note, "subjective", "Reports better sleep this week.");
  return note;
}

static void
test_note_sections (void)
{
  g_autoptr(TendClinicalNote) note = make_note ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = tend_record_to_body_string (TEND_RECORD (note));
  g_autofree char *text = tend_clinical_note_dup_plain_text (note);
  g_autofree char *subjective = tend_clinical_note_dup_section (note, "subjective");

  /* Stored in template order, whatever order they were typed in. */
  g_assert_nonnull (strstr (body, "\"sections\":{\"subjective\":\"Reports better sleep this week.\",\"plan\":"));
  g_assert_cmpstr (subjective, ==, "Reports better sleep this week.");
  g_assert_true (g_str_has_prefix (text, "Subjective\nReports better sleep"));
  g_assert_true (tend_record_validate (TEND_RECORD (note), &error));
  g_assert_no_error (error);

  /* Clearing a section removes it. */
  tend_clinical_note_set_section (note, "plan", "");
  g_clear_pointer (&body, g_free);
  body = tend_record_to_body_string (TEND_RECORD (note));
  g_assert_null (strstr (body, "\"plan\""));

  /* A section the template does not have. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, "{\"data\":\"x\"}", -1, NULL);
    tend_record_set_json (TEND_RECORD (note), "sections", json_parser_get_root (parser));
    g_assert_false (tend_record_validate (TEND_RECORD (note), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "data"));
  }
}

static void
test_note_signature (void)
{
  g_autoptr(TendClinicalNote) note = make_note ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) copy = NULL;
  g_autofree char *before = tend_clinical_note_compute_sha256 (note);

  g_clear_pointer (&before, g_free);
  tend_clinical_note_set_section (note, "assessment", "Improving.");
  before = tend_clinical_note_compute_sha256 (note);
  g_assert_cmpuint (strlen (before), ==, 64);
  g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_no_error (error);
  g_assert_true (tend_clinical_note_is_signed (note));
  g_assert_cmpstr (tend_clinical_note_get_content_sha256 (note), ==, before);
  g_assert_cmpstr (tend_clinical_note_get_signed_at (note), ==, "2026-03-02T15:00:00Z");
  g_assert_true (tend_record_validate (TEND_RECORD (note), &error));
  g_assert_no_error (error);

  /* The hash survives the wire. */
  copy = tend_record_copy (TEND_RECORD (note));
  g_assert_nonnull (copy);
  g_assert_true (tend_record_validate (copy, &error));

  /* Signing twice is refused. */
  g_assert_false (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Change one word after signing: the signature no longer matches. */
  tend_clinical_note_set_section (note, "subjective", "Reports worse sleep this week.");
  g_assert_false (tend_record_validate (TEND_RECORD (note), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "signature"));
  g_clear_error (&error);

  /* An empty note cannot be signed. */
  {
    g_autoptr(TendClinicalNote) empty = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_DAP);

    g_assert_false (tend_clinical_note_mark_signed (empty, AUTHOR_ID, now, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  }
}

static void
test_note_prefill (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 53);
  g_autoptr(TendAppointment) appt = tend_appointment_new (AUTHOR_ID, start, end);
  g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_BIRP);
  g_autoptr(GDateTime) local = g_date_time_to_local (start);
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");

  tend_record_set_string (TEND_RECORD (appt), "client_id", CLIENT_ID);
  tend_record_set_string (TEND_RECORD (appt), "service_code", "90837");
  tend_record_set_string (TEND_RECORD (appt), "modality", "telehealth");
  tend_clinical_note_prefill_from_appointment (note, TEND_RECORD (appt), NULL);
  g_assert_cmpstr (tend_clinical_note_get_appointment_id (note), ==, tend_record_get_id (TEND_RECORD (appt)));
  g_assert_cmpstr (tend_clinical_note_get_service_date (note), ==, date);
  g_assert_cmpint (tend_record_get_int (TEND_RECORD (note), "duration_minutes"), ==, 53);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "service_code"), ==, "90837");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "modality"), ==, "telehealth");
  g_assert_cmpstr (tend_clinical_note_get_modality_label (note), ==, "Video");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "place_of_service"), ==, "02");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "service_start"), ==, "2026-03-02T15:00:00Z");
}

/* A video session's actual times replace the booked ones. */
static void
test_note_prefill_video (void)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  g_autoptr(TendAppointment) appt = tend_appointment_new (AUTHOR_ID, start, end);
  g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);
  g_autoptr(TendVideoSession) video = tend_video_session_new (tend_record_get_id (TEND_RECORD (appt)), AUTHOR_ID,
                                                             CLIENT_ID);
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (appt), "modality", "telehealth");
  tend_record_set_string (TEND_RECORD (video), "started_at", "2026-03-02T15:04:10Z");
  tend_record_set_string (TEND_RECORD (video), "ended_at", "2026-03-02T15:51:20Z");
  g_assert_true (tend_record_validate (TEND_RECORD (video), &error));
  g_assert_no_error (error);
  tend_clinical_note_prefill_from_appointment (note, TEND_RECORD (appt), NULL);
  tend_clinical_note_prefill_from_video_session (note, video, NULL);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "service_start"), ==, "2026-03-02T15:04:10Z");
  /* 47 min 10 s, rounded up. */
  g_assert_cmpint (tend_record_get_int (TEND_RECORD (note), "duration_minutes"), ==, 48);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "modality"), ==, "telehealth");

  /* A session has its host among at most four participants. */
  g_assert_true (tend_video_session_add_participant (video, "7c1d4c52-38a6-4d5e-9ef0-5a0b7e6b9a01", &error));
  g_assert_true (tend_video_session_add_participant (video, "7c1d4c52-38a6-4d5e-9ef0-5a0b7e6b9a02", &error));
  g_assert_true (tend_video_session_add_participant (video, "7c1d4c52-38a6-4d5e-9ef0-5a0b7e6b9a03", &error));
  g_assert_no_error (error);
  g_assert_false (tend_video_session_add_participant (video, "7c1d4c52-38a6-4d5e-9ef0-5a0b7e6b9a04", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

/* A session's note is dated the day it was in the practice, across the
 * daylight-saving change (America/Chicago: 8 March and 1 November 2026),
 * and a time typed in the practice's zone is stored in UTC. */
static void
test_note_session_zone (void)
{
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GTimeZone) auckland = g_time_zone_new_identifier ("Pacific/Auckland");
  static const struct { int mo, d, h, mi; const char *zone_date; const char *utc; } cases[] = {
    { 3, 8, 5, 30, "2026-03-07", "2026-03-08T05:30:00Z" },    /* 23:30 CST, the night before the change */
    { 3, 9, 4, 30, "2026-03-08", "2026-03-09T04:30:00Z" },    /* 23:30 CDT, the day of the change */
    { 11, 1, 4, 30, "2026-10-31", "2026-11-01T04:30:00Z" },   /* 23:30 CDT */
    { 11, 2, 5, 30, "2026-11-01", "2026-11-02T05:30:00Z" },   /* 23:30 CST */
  };

  g_assert_nonnull (chicago);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) start = g_date_time_new_utc (2026, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, 0);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
      g_autoptr(TendAppointment) appt = tend_appointment_new (AUTHOR_ID, start, end);
      g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);
      g_autoptr(GDateTime) back = NULL;

      tend_record_set_string (TEND_RECORD (appt), "client_id", CLIENT_ID);
      tend_clinical_note_prefill_from_appointment (note, TEND_RECORD (appt), chicago);
      g_assert_cmpstr (tend_clinical_note_get_service_date (note), ==, cases[i].zone_date);
      g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "service_start"), ==, cases[i].utc);
      g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "place_of_service"), ==, "11");
      back = tend_clinical_note_dup_service_start (note);
      g_assert_true (g_date_time_equal (back, start));
    }

  /* Typed as 09:00 on the day of the change in Chicago: 14:00 UTC (CDT);
   * the week before, 15:00 UTC (CST). */
  {
    g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);
    g_autoptr(GDateTime) after = g_date_time_new (chicago, 2026, 3, 8, 9, 0, 0);
    g_autoptr(GDateTime) before = g_date_time_new (chicago, 2026, 3, 1, 9, 0, 0);
    g_autoptr(GDateTime) morning = g_date_time_new (auckland, 2026, 3, 9, 8, 0, 0);

    tend_clinical_note_set_service_start (note, after, chicago);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "service_start"), ==, "2026-03-08T14:00:00Z");
    g_assert_cmpstr (tend_clinical_note_get_service_date (note), ==, "2026-03-08");
    tend_clinical_note_set_service_start (note, before, chicago);
    g_assert_cmpstr (tend_record_get_string (TEND_RECORD (note), "service_start"), ==, "2026-03-01T15:00:00Z");
    /* 08:00 on 9 March in Auckland is still 8 March in Chicago. */
    tend_clinical_note_set_service_start (note, morning, chicago);
    g_assert_cmpstr (tend_clinical_note_get_service_date (note), ==, "2026-03-08");
    tend_clinical_note_set_service_start (note, morning, auckland);
    g_assert_cmpstr (tend_clinical_note_get_service_date (note), ==, "2026-03-09");
  }
}

/* Signing needs the template's required sections and a finished risk
 * assessment, and says which parts are missing. */
static void
test_note_required (void)
{
  g_autoptr(TendClinicalNote) note = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_SOAP);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;

  tend_clinical_note_set_section (note, "subjective", "Reports better sleep.");
  tend_clinical_note_set_section (note, "assessment", "   ");
  missing = tend_clinical_note_list_missing (note);
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  g_assert_cmpstr (missing[0], ==, "assessment");
  g_assert_cmpstr (missing[1], ==, "plan");
  g_assert_false (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Fill in these parts before signing: Assessment, Plan");
  g_clear_error (&error);
  g_assert_false (tend_clinical_note_is_signed (note));
  {
    g_autofree char *kept = tend_clinical_note_dup_section (note, "subjective");
    g_assert_cmpstr (kept, ==, "Reports better sleep.");
  }

  tend_clinical_note_set_section (note, "assessment", "Improving.");
  tend_clinical_note_set_section (note, "plan", "Weekly.");
  /* A risk assessment that was started needs its level... */
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "ideation", "passive", "Fleeting, twice this week.");
  g_assert_false (tend_clinical_note_check_complete (note, &error));
  g_assert_cmpstr (error->message, ==, "Fill in these parts before signing: Risk level");
  g_clear_error (&error);
  /* ...and above low, what was done about it. */
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "moderate", NULL);
  g_assert_false (tend_clinical_note_check_complete (note, &error));
  g_assert_cmpstr (error->message, ==, "Fill in these parts before signing: Actions taken");
  g_clear_error (&error);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "actions", NULL, "Safety plan reviewed; crisis line given.");
  g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_no_error (error);
}

/* The risk assessment and mental status exam: stored in the form's order,
 * checked on every load, shown as text, and covered by the signature. */
static void
test_note_forms (void)
{
  g_autoptr(TendClinicalNote) note = make_note ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *risk = NULL;
  g_autofree char *mse = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *choice = NULL;

  tend_clinical_note_set_section (note, "assessment", "Improving.");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "low", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "protective_factors", NULL, "Partner, work.");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "ideation", "none", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "mood", "anxious", "“On edge all week”");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "insight", "good", NULL);
  body = tend_record_to_body_string (TEND_RECORD (note));
  g_assert_nonnull (strstr (body, "\"risk\":{\"ideation\":{\"choice\":\"none\"},"
                                  "\"protective_factors\":{\"text\":\"Partner, work.\"},"
                                  "\"level\":{\"choice\":\"low\"}}"));
  risk = tend_clinical_note_dup_form_text (note, TEND_NOTE_FORM_RISK);
  g_assert_cmpstr (risk, ==, "Suicidal ideation: None reported\nProtective factors: Partner, work.\nRisk level: Low");
  mse = tend_clinical_note_dup_form_text (note, TEND_NOTE_FORM_MSE);
  g_assert_cmpstr (mse, ==, "Mood: Anxious. “On edge all week”\nInsight: Good");
  plain = tend_clinical_note_dup_plain_text (note);
  g_assert_nonnull (strstr (plain, "\n\nRisk assessment\nSuicidal ideation: None reported"));
  g_assert_nonnull (strstr (plain, "\n\nMental status exam\nMood: Anxious."));
  choice = tend_clinical_note_dup_item_choice (note, TEND_NOTE_FORM_MSE, "mood");
  g_assert_cmpstr (choice, ==, "anxious");
  g_assert_true (tend_record_validate (TEND_RECORD (note), &error));
  g_assert_no_error (error);

  /* Clearing an item removes it; clearing the last removes the form. */
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "insight", NULL, "");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "mood", NULL, NULL);
  g_assert_null (tend_record_get_string (TEND_RECORD (note), "mse"));

  /* In the signature: changing the risk level afterwards breaks it. */
  g_assert_true (tend_clinical_note_mark_signed (note, AUTHOR_ID, now, &error));
  g_assert_no_error (error);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "high", NULL);
  g_assert_false (tend_record_validate (TEND_RECORD (note), &error));
  g_assert_nonnull (strstr (error->message, "signature"));
  g_clear_error (&error);

  /* Shapes from the wire that are not a form are refused. */
  {
    static const char * const bad[] = {
      "{\"ideation\":\"none\"}",
      "{\"mood\":{\"choice\":\"none\"}}",
      "{\"ideation\":{\"choice\":\"sometimes\"}}",
      "{\"ideation\":{\"text\":7}}",
      "{\"ideation\":{\"note\":\"x\"}}",
      "[]",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(TendClinicalNote) draft = make_note ();
        g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);

        g_assert_nonnull (node);
        tend_record_set_json (TEND_RECORD (draft), "risk", node);
        g_assert_false (tend_record_validate (TEND_RECORD (draft), &error));
        g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
        g_assert_nonnull (strstr (error->message, "Risk assessment"));
        g_clear_error (&error);
      }
  }
}

/* A note written before notes had a session, risk or MSE: it loads,
 * validates, shows, and writes back exactly the members it had (so the
 * hash of a note signed then still matches). */
static void
test_note_old_body (void)
{
  static const char old[] =
    "{\"type\":\"note\",\"id\":\"" OTHER_ID "\",\"body\":{\"client_id\":\"" CLIENT_ID "\","
    "\"appointment_id\":\"" OTHER_ID "\",\"author_id\":\"" AUTHOR_ID "\",\"template\":\"dap\","
    "\"sections\":{\"data\":\"Discussed the move.\"},\"service_date\":\"2026-01-05\",\"duration_minutes\":50,"
    "\"service_code\":\"90834\",\"modality\":\"telehealth\",\"status\":\"draft\"}}";
  g_autoptr(JsonNode) node = json_from_string (old, NULL);
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *plain = NULL;

  record = tend_record_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (tend_record_validate (record, &error));
  start = tend_clinical_note_dup_service_start (TEND_CLINICAL_NOTE (record));
  g_assert_null (start);
  g_assert_cmpstr (tend_clinical_note_get_modality_label (TEND_CLINICAL_NOTE (record)), ==, "Video");
  g_assert_null (tend_clinical_note_dup_form_text (TEND_CLINICAL_NOTE (record), TEND_NOTE_FORM_RISK));
  plain = tend_clinical_note_dup_plain_text (TEND_CLINICAL_NOTE (record));
  g_assert_cmpstr (plain, ==, "Data\nDiscussed the move.");
  body = tend_record_serialize_body (record);
  g_assert_true (json_node_equal (body, json_object_get_member (json_node_get_object (node), "body")));
}

static void
test_note_addendum_rules (void)
{
  g_autoptr(TendClinicalNote) add = tend_clinical_note_new (CLIENT_ID, AUTHOR_ID, TEND_NOTE_TEMPLATE_ADDENDUM);
  g_autoptr(GError) error = NULL;

  tend_clinical_note_set_section (add, "text", "Correction: the session lasted 45 minutes.");
  g_assert_false (tend_record_validate (TEND_RECORD (add), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (add), "addendum_of", OTHER_ID);
  g_assert_true (tend_record_validate (TEND_RECORD (add), &error));
  g_assert_no_error (error);
}

static void
test_diagnosis (void)
{
  static const char *good[] = { "F41.1", "F32.A", "F21", "Z63.0", "F17.210", NULL };
  static const char *bad[] = { "f41.1", "F4", "41.1", "F41.", "F41.12345", "F41-1", NULL };
  g_autoptr(TendDiagnosis) dx = tend_diagnosis_new (CLIENT_ID, "F41.1", "Generalized anxiety disorder");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; good[i]; i++)
    g_assert_true (tend_icd10_code_is_valid (good[i]));
  for (guint i = 0; bad[i]; i++)
    g_assert_false (tend_icd10_code_is_valid (bad[i]));

  g_assert_true (tend_record_validate (TEND_RECORD (dx), &error));
  g_assert_true (tend_diagnosis_is_active (dx));
  tend_record_set_string (TEND_RECORD (dx), "onset", "2026-02-01");
  tend_record_set_string (TEND_RECORD (dx), "resolved", "2026-01-01");
  g_assert_false (tend_record_validate (TEND_RECORD (dx), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Resolved"));
}

static void
test_icd10 (void)
{
  g_autoptr(GPtrArray) f41 = tend_icd10_search ("F41", 0);
  g_autoptr(GPtrArray) nodot = tend_icd10_search ("f411", 0);
  g_autoptr(GPtrArray) words = tend_icd10_search ("adjust anx", 0);
  g_autoptr(GPtrArray) adjust_dep = tend_icd10_search ("adjust dep", 0);
  g_autoptr(GPtrArray) insom = tend_icd10_search ("insom", 0);
  g_autoptr(GPtrArray) ptsd = tend_icd10_search ("traumatic", 0);
  g_autoptr(GPtrArray) none = tend_icd10_search ("spaceship", 0);
  g_autoptr(GPtrArray) limited = tend_icd10_search ("F", 5);
  g_autoptr(GPtrArray) under = tend_icd10_list_billable_under ("F43.2", 0);
  g_autoptr(GError) error = NULL;
  const TendIcd10Entry *e;
  guint billable = 0, f = 0, z = 0;

  /* The whole of chapters 5 and 21, R45 and T14.91 (data/icd10cm/README.md). */
  g_assert_cmpuint (tend_icd10_get_n_entries (), ==, 2981);
  g_assert_cmpuint (f41->len, ==, 6);
  e = f41->pdata[0];
  g_assert_cmpstr (e->code, ==, "F41");
  g_assert_false (e->billable);
  g_assert_true (((TendIcd10Entry *) f41->pdata[2])->billable);
  g_assert_cmpuint (nodot->len, ==, 1);
  g_assert_cmpstr (((TendIcd10Entry *) nodot->pdata[0])->description, ==, "Generalized anxiety disorder");
  /* "anx" must start a word: "Adjustment disorder with anxiety" and "…mixed anxiety…". */
  g_assert_cmpuint (words->len, ==, 2);
  g_assert_cmpuint (adjust_dep->len, ==, 2);
  g_assert_cmpstr (((TendIcd10Entry *) adjust_dep->pdata[0])->code, ==, "F43.21");
  /* Insomnia in chapter 5 (F51.0x) and in childhood (Z73.81x), headings included. */
  g_assert_cmpuint (insom->len, ==, 12);
  g_assert_cmpstr (((TendIcd10Entry *) insom->pdata[1])->description, ==, "Primary insomnia");
  /* "traumatic" starts a word of PTSD's title, not of "nontraumatic". */
  g_assert_cmpuint (ptsd->len, ==, 7);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (limited->len, ==, 5);
  e = tend_icd10_lookup ("z63.0");
  g_assert_nonnull (e);
  g_assert_cmpstr (e->code, ==, "Z63.0");
  g_assert_true (e->billable);
  g_assert_nonnull (tend_icd10_lookup ("R45.851"));
  g_assert_nonnull (tend_icd10_lookup ("T14.91XA"));
  g_assert_null (tend_icd10_lookup ("F41.7"));
  g_assert_null (tend_icd10_lookup (""));
  /* F43.20, F43.21 … F43.29: billable codes under a subcategory. */
  g_assert_cmpuint (under->len, >=, 6);
  for (guint i = 0; i < under->len; i++)
    g_assert_true (g_str_has_prefix (((TendIcd10Entry *) under->pdata[i])->code, "F43.2"));

  /* A claim carries billable codes only; codes from chapters Tend does not
   * ship are left to their shape check and the payer. */
  g_assert_true (tend_icd10_check_billable ("F41.1 F43.21", &error));
  g_assert_no_error (error);
  g_assert_true (tend_icd10_check_billable ("G47.00", &error));
  g_assert_true (tend_icd10_check_billable (NULL, &error));
  g_assert_false (tend_icd10_check_billable ("F41.1 F41", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "F41 (Other anxiety disorders) is a heading"));
  g_assert_nonnull (strstr (error->message, "F41.0 or F41.1"));
  g_clear_error (&error);

  /* Every shipped code is well formed, and the counts are the README's. */
  {
    g_autoptr(GPtrArray) all = tend_icd10_search ("", 0);

    g_assert_cmpuint (all->len, ==, tend_icd10_get_n_entries ());
    for (guint i = 0; i < all->len; i++)
      {
        e = all->pdata[i];
        g_assert_true (tend_icd10_code_is_valid (e->code));
        g_assert_cmpuint (strlen (e->short_description), <=, 60);
        billable += e->billable;
        f += e->code[0] == 'F';
        z += e->code[0] == 'Z';
      }
    g_assert_cmpuint (billable, ==, 2303);
    g_assert_cmpuint (f, ==, 1112);
    g_assert_cmpuint (z, ==, 1844);
  }
}

/* A safety plan needs the client's warning signs and someone to reach; its
 * text lists each step's items, blank lines left out, and the crisis line. */
static void
test_safety_plan (void)
{
  g_autoptr(TendSafetyPlan) plan = tend_safety_plan_new (CLIENT_ID, AUTHOR_ID, "2026-03-02");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) items = NULL;

  g_assert_false (tend_record_validate (TEND_RECORD (plan), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Warning signs"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (plan), "warning_signs", "Not sleeping\n\n  Pulling away from friends  \n");
  g_assert_false (tend_record_validate (TEND_RECORD (plan), &error));
  g_assert_true (g_str_has_prefix (error->message, "People to ask for help"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (plan), "professionals", "Dr. Lee 555-0100");
  g_assert_true (tend_record_validate (TEND_RECORD (plan), &error));
  g_assert_no_error (error);
  /* Every plan keeps a crisis line. */
  tend_record_set_string (TEND_RECORD (plan), "crisis_line", "");
  g_assert_false (tend_record_validate (TEND_RECORD (plan), &error));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (plan), "crisis_line", "988");

  items = tend_safety_plan_dup_items (plan, "warning_signs");
  g_assert_cmpuint (g_strv_length (items), ==, 2);
  g_assert_cmpstr (items[1], ==, "Pulling away from friends");
  text = tend_safety_plan_dup_plain_text (plan);
  g_assert_nonnull (strstr (text, "1. Warning Signs\n  • Not sleeping\n  • Pulling away from friends\n"));
  g_assert_nonnull (strstr (text, "2. Internal Coping Strategies\n  (none yet)\n"));
  g_assert_nonnull (strstr (text, "  • Dr. Lee 555-0100\n"));
  g_assert_true (g_str_has_suffix (text, "In an emergency: 988\n"));
}

static void
test_treatment_plan (void)
{
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (CLIENT_ID, AUTHOR_ID);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 2, 15, 0, 0);
  g_autofree char *text = NULL;

  json_parser_load_from_data (parser,
                              "[{\"problem\":\"Panic attacks\",\"goals\":[{\"goal\":\"Fewer panic attacks\","
                              "\"objectives\":[{\"objective\":\"No more than one attack a week for 4 weeks\","
                              "\"target_date\":\"2026-06-01\"}]}],\"interventions\":[\"CBT for panic\"]}]", -1, NULL);
  tend_record_set_json (TEND_RECORD (plan), "problems", json_parser_get_root (parser));
  g_assert_true (tend_record_validate (TEND_RECORD (plan), &error));
  g_assert_no_error (error);
  text = tend_treatment_plan_dup_plain_text (plan);
  g_assert_nonnull (strstr (text, "Objective: No more than one attack a week for 4 weeks (by 2026-06-01)"));

  g_assert_true (tend_treatment_plan_mark_signed (plan, AUTHOR_ID, now, &error));
  g_assert_true (tend_record_validate (TEND_RECORD (plan), &error));
  g_assert_no_error (error);

  /* An objective with an impossible target date. */
  json_parser_load_from_data (parser,
                              "[{\"problem\":\"P\",\"goals\":[{\"goal\":\"G\",\"objectives\":[{\"objective\":\"O\","
                              "\"target_date\":\"2026-02-30\"}]}]}]", -1, NULL);
  {
    g_autoptr(TendTreatmentPlan) bad = tend_treatment_plan_new (CLIENT_ID, AUTHOR_ID);

    tend_record_set_json (TEND_RECORD (bad), "problems", json_parser_get_root (parser));
    g_assert_false (tend_record_validate (TEND_RECORD (bad), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "target date"));
    g_clear_error (&error);

    json_parser_load_from_data (parser, "[{\"goals\":[]}]", -1, NULL);
    tend_record_set_json (TEND_RECORD (bad), "problems", json_parser_get_root (parser));
    g_assert_false (tend_record_validate (TEND_RECORD (bad), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  }
}

static void
test_plan_outline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (CLIENT_ID, AUTHOR_ID);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *p, *g, *o;

  root = tend_treatment_plan_parse_outline ("Problem: Panic attacks\n"
                                            "  Goal: Shop alone\n"
                                            "    Objective: Weekly supermarket trip for 4 weeks (by 2026-06-01)\n"
                                            "    Objective: No attacks in the car\n"
                                            "  Intervention: Interoceptive exposure\n"
                                            "\n"
                                            "Problem 2: Poor sleep\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 2);
  p = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (p, "problem"), ==, "Panic attacks");
  g = json_array_get_object_element (json_object_get_array_member (p, "goals"), 0);
  o = json_array_get_object_element (json_object_get_array_member (g, "objectives"), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "objective"), ==, "Weekly supermarket trip for 4 weeks");
  g_assert_cmpstr (json_object_get_string_member (o, "target_date"), ==, "2026-06-01");
  o = json_array_get_object_element (json_object_get_array_member (g, "objectives"), 1);
  g_assert_false (json_object_has_member (o, "target_date"));

  /* What the plan prints reads back the same. */
  tend_record_set_json (TEND_RECORD (plan), "problems", root);
  g_assert_true (tend_record_validate (TEND_RECORD (plan), &error));
  text = tend_treatment_plan_dup_plain_text (plan);
  again = tend_treatment_plan_parse_outline (text, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (again, root));

  /* A goal with no problem above it. */
  g_assert_null (tend_treatment_plan_parse_outline ("Goal: floating\n", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 1"));
}

static void
test_document (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("%PDF-1.4\n", 9);
  g_autoptr(TendDocument) doc = tend_document_new (CLIENT_ID, "Referral letter", "application/pdf", bytes);
  g_autoptr(TendDocument) exe = tend_document_new (CLIENT_ID, "x", "application/x-msdownload", bytes);
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) "%PDF-1.4\n", 9);

  g_assert_cmpint (tend_document_get_size (doc), ==, 9);
  g_assert_cmpstr (tend_document_get_sha256 (doc), ==, sha);
  g_assert_true (tend_record_validate (TEND_RECORD (doc), &error));
  g_assert_false (tend_record_validate (TEND_RECORD (exe), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

static void
test_client_consents (void)
{
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (client), "consents.telehealth.date", "2026-01-05");
  g_assert_false (tend_record_validate (TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "telehealth"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (client), "consents.telehealth.recorded_by", AUTHOR_ID);
  g_assert_true (tend_record_validate (TEND_RECORD (client), &error));

  tend_record_set_string (TEND_RECORD (client), "insurance.member_number", "XJ123");
  g_assert_false (tend_record_validate (TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (client), "insurance.payer", "Blue Shield");
  g_assert_true (tend_record_validate (TEND_RECORD (client), &error));
  {
    g_autofree char *body = tend_record_to_body_string (TEND_RECORD (client));

    g_assert_nonnull (strstr (body, "\"consents\":{\"telehealth\":{\"date\":\"2026-01-05\""));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chart/note/prefill-video", test_note_prefill_video);
  g_test_add_func ("/chart/measure/phq9-scoring", test_phq9_scoring);
  g_test_add_func ("/chart/measure/gad7-scoring", test_gad7_scoring);
  g_test_add_func ("/chart/measure/pcl5-scoring", test_pcl5_scoring);
  g_test_add_func ("/chart/measure/auditc-scoring", test_auditc_scoring);
  g_test_add_func ("/chart/measure/wording", test_instrument_wording);
  g_test_add_func ("/chart/measure/phq9-item9-risk", test_phq9_item9_risk);
  g_test_add_func ("/chart/measure/validation", test_measure_validation);
  g_test_add_func ("/chart/note/sections", test_note_sections);
  g_test_add_func ("/chart/note/signature", test_note_signature);
  g_test_add_func ("/chart/note/prefill", test_note_prefill);
  g_test_add_func ("/chart/note/session-zone", test_note_session_zone);
  g_test_add_func ("/chart/note/required", test_note_required);
  g_test_add_func ("/chart/note/forms", test_note_forms);
  g_test_add_func ("/chart/note/old-body", test_note_old_body);
  g_test_add_func ("/chart/note/addendum", test_note_addendum_rules);
  g_test_add_func ("/chart/diagnosis", test_diagnosis);
  g_test_add_func ("/chart/icd10", test_icd10);
  g_test_add_func ("/chart/treatment-plan", test_treatment_plan);
  g_test_add_func ("/chart/safety-plan", test_safety_plan);
  g_test_add_func ("/chart/document", test_document);
  g_test_add_func ("/chart/plan-outline", test_plan_outline);
  g_test_add_func ("/chart/client-consents", test_client_consents);
  return g_test_run ();
}
