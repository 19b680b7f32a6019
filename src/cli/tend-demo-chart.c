/* tend-demo-chart.c: notes, diagnoses, plans and measures for demo sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each client gets a presenting concern that chooses their diagnoses, the
 * words of their notes and the course of their PHQ-9 and GAD-7 scores (most
 * improve, some do not).  Text is assembled from phrase banks with a random
 * generator seeded by the demo's seed and the client's id, so the same seed
 * gives the same charts, and the appointment generator's own sequence is
 * left as it was.
 */
#define G_LOG_DOMAIN "tend-cli"

#include "config.h"

#include <string.h>

#include "tend-demo-chart.h"

struct _TendDemoChart
{
  guint32 seed;
  gint64  now;
};

typedef struct
{
  const char *code;
  const char *description;
  const char *secondary;      /* a Z code, or NULL */
  const char *secondary_description;
  guint       phq_start;      /* typical PHQ-9 and GAD-7 at intake */
  guint       gad_start;
  const char *complaint;      /* in the client's words */
  const char *history;
  const char *problem;        /* for the treatment plan */
  const char *goal;
  const char *objective;
  const char *intervention;
  const char * const topics[4];
} Concern;

static const Concern concerns[] = {
  { "F33.1", "Major depressive disorder, recurrent, moderate", NULL, NULL, 16, 9,
    "“I can’t get out of bed most days and I’ve stopped seeing my friends.”",
    "Third depressive episode since college; the current one began about four months ago after a job change.",
    "Depressed mood with withdrawal from activities", "Return to usual activities and social contact",
    "Schedules and completes at least three valued activities a week for four consecutive weeks",
    "Behavioural activation and cognitive restructuring",
    { "the activity schedule", "morning routine and sleep", "contact with friends", "self-critical thoughts at work" } },
  { "F41.1", "Generalized anxiety disorder", NULL, NULL, 8, 16,
    "“I worry about everything, all the time, and I can’t switch it off at night.”",
    "Long-standing worry, worse over the past year with caring for a parent; tension headaches and poor sleep.",
    "Excessive, uncontrollable worry", "Reduce worry and its hold on daily life",
    "GAD-7 below 10 on two consecutive administrations",
    "CBT for generalized anxiety: worry time, uncertainty exposure, applied relaxation",
    { "scheduled worry time", "tolerating uncertainty", "sleep and the bedtime routine", "what-if thinking about family" } },
  { "F43.10", "Post-traumatic stress disorder, unspecified", NULL, NULL, 14, 14,
    "“Since the accident I jump at every noise and I won’t drive on the highway.”",
    "Motor vehicle accident eight months ago; nightmares, avoidance of driving, startle.",
    "Intrusive memories and avoidance after a car accident", "Drive again and sleep through most nights",
    "Drives a highway route of 20 minutes with distress of 30 or below on a 0–100 scale",
    "Cognitive processing therapy; graded in-vivo exposure",
    { "the impact statement", "stuck points about blame", "the driving hierarchy", "nightmares and sleep" } },
  { "F43.23", "Adjustment disorder with mixed anxiety and depressed mood", "Z63.5",
    "Disruption of family by separation and divorce", 12, 11,
    "“Everything fell apart when we separated and I don’t know who I am anymore.”",
    "Separation three months ago after twelve years of marriage; shared custody of two children.",
    "Distress after separation", "Settle into new routines and co-parent calmly",
    "Reports two or more calm handovers a month and a steady weekly routine",
    "Supportive therapy, problem solving and emotion regulation skills",
    { "handovers with the children", "the new apartment and routines", "grief for the marriage", "anger at the ex-partner" } },
  { "F41.0", "Panic disorder [episodic paroxysmal anxiety]", NULL, NULL, 9, 15,
    "“I had a panic attack in the grocery store and now I’m scared to go anywhere busy.”",
    "First panic attack six months ago; now two or three a week, avoiding stores and public transport.",
    "Panic attacks and avoidance of crowded places", "Go where they want to without fear of panic",
    "No more than one panic attack a week for four weeks; shops alone weekly",
    "CBT for panic: psychoeducation, interoceptive exposure, situational exposure",
    { "interoceptive exposure", "the exposure ladder", "catastrophic misreading of symptoms", "safety behaviours" } },
  { "F90.0", "Attention-deficit hyperactivity disorder, predominantly inattentive type", "Z56.6",
    "Other physical and mental strain related to work", 7, 9,
    "“I miss deadlines at work and my partner says I never finish anything.”",
    "Lifelong difficulty with attention and organisation; recently warned at work about missed deadlines.",
    "Disorganisation and missed deadlines", "Keep up with work and home tasks",
    "Uses a planner daily and meets 90% of work deadlines for a month",
    "CBT for adult ADHD: planning, prioritising, breaking tasks down; coordination with prescriber",
    { "the planner system", "breaking tasks into steps", "procrastination", "communication with the partner" } },
};

static const char * const openings[] = {
  "Client arrived on time", "Client arrived a few minutes late, apologetic",
  "Client arrived early and was waiting", "Session began on time",
};
static const char * const video_openings[] = {
  "Client logged in on time from home", "Client joined the video session a few minutes late",
  "Client joined from their car on a lunch break", "Video session began on time",
};
static const char * const moods_better[] = {
  "reports a better week overall", "describes mood as “a bit lighter”", "reports feeling more hopeful",
  "says the week was “manageable”", "reports fewer bad days than last time",
};
static const char * const moods_worse[] = {
  "reports a difficult week", "describes mood as low most days", "reports feeling “stuck”",
  "says the week was “exhausting”", "reports more bad days than usual",
};
static const char * const observations[] = {
  "Casually dressed, good eye contact, speech normal in rate and volume.",
  "Appeared tired; affect constricted but reactive; thought process linear.",
  "Well groomed, engaged and reflective; affect congruent with content.",
  "Fidgety early in the session, settling as it went on; speech normal.",
  "Tearful when discussing family; otherwise calm and organised.",
};
static const char * const homework[] = {
  "Continue the thought record daily.", "Practise the breathing exercise twice a day.",
  "Complete the activity schedule for the coming week.", "Try the next step on the ladder at least three times.",
  "Keep the sleep diary.", "Write one page on the week’s hardest moment.",
};
static const char * const responses[] = {
  "Engaged well and could name two alternative thoughts.", "Found the exercise hard but stayed with it.",
  "Was initially sceptical, then agreed to try the plan.", "Responded with relief and humour.",
  "Identified a pattern without prompting.",
};

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static guint
clamp_score (int v,
             guint max)
{
  return v < 0 ? 0 : (guint) v > max ? max : (guint) v;
}

/* Spreads @score over @n items of 0–3, item 9 set apart. */
static void
spread (GRand *rand,
        guint  score,
        guint *answers,
        guint  n,
        guint  item9)
{
  guint left = score;

  memset (answers, 0, n * sizeof *answers);
  if (n == 9)
    {
      answers[8] = item9;
      left = left > item9 ? left - item9 : 0;
    }
  for (guint guard = 0; left > 0 && guard < 200; guard++)
    {
      guint i = (guint) g_rand_int_range (rand, 0, n == 9 ? 8 : (gint32) n);

      if (answers[i] < 3)
        {
          answers[i]++;
          left--;
        }
    }
}

/* The demo practice's zone (the notes are dated there). */
static GTimeZone *
chart_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *z = g_time_zone_new_identifier ("America/Chicago");

      g_once_init_leave (&zone, z != NULL ? z : g_time_zone_new_utc ());
    }
  return zone;
}

static char *
local_date (TendAppointment *a)
{
  g_autoptr(GDateTime) start = tend_appointment_dup_start (a);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone != NULL ? zone : g_time_zone_new_utc ());

  return g_date_time_format (local, "%Y-%m-%d");
}

static gboolean
save (TendStore  *store,
      TendRecord *record,
      GError    **error)
{
  return tend_store_save (store, record, error);
}

/* Drafts stay unsigned only for the last few days (and now and then longer:
 * the overdue list has something to show). */
static gboolean
sign_or_not (TendDemoChart *chart,
             GRand         *rand,
             TendAppointment *a,
             TendRecord    *record,
             const char    *signer,
             const char    *supervisor_id)
{
  gint64 end = tend_appointment_get_end_usec (a);
  gint64 age = chart->now - end;
  g_autoptr(GDateTime) signed_at = NULL;

  if (age < 2 * G_TIME_SPAN_DAY || (age < 21 * G_TIME_SPAN_DAY && g_rand_int_range (rand, 0, 100) < 8))
    return FALSE;
  signed_at = tend_time_from_unix_usec (end + g_rand_int_range (rand, 10, 60 * 30) * G_TIME_SPAN_MINUTE);
  if (supervisor_id != NULL && TEND_IS_CLINICAL_NOTE (record))
    tend_record_set_string (record, "cosign_required_by", supervisor_id);
  if (TEND_IS_CLINICAL_NOTE (record))
    tend_clinical_note_mark_signed (TEND_CLINICAL_NOTE (record), signer, signed_at, NULL);
  else
    tend_treatment_plan_mark_signed (TEND_TREATMENT_PLAN (record), signer, signed_at, NULL);
  if (supervisor_id != NULL && TEND_IS_CLINICAL_NOTE (record) && age > 7 * G_TIME_SPAN_DAY)
    {
      g_autoptr(GDateTime) cosigned = g_date_time_add_days (signed_at, g_rand_int_range (rand, 1, 5));
      g_autofree char *iso = tend_time_to_iso8601 (cosigned);

      tend_record_set_string (record, "cosigned_by", supervisor_id);
      tend_record_set_string (record, "cosigned_at", iso);
    }
  return TRUE;
}

static void
fill_progress_note (TendClinicalNote *note,
                    GRand            *rand,
                    const Concern    *c,
                    guint             session,
                    gboolean          better,
                    TendAppointment  *a)
{
  const char *topic = c->topics[(session + (guint) g_rand_int_range (rand, 0, 2)) % 4];
  const char *mood = better ? PICK (rand, moods_better) : PICK (rand, moods_worse);
  gboolean tele = tend_appointment_get_modality (a) == TEND_MODALITY_TELEHEALTH;
  g_autofree char *s1 = g_strdup_printf ("%s and %s. Focus today on %s. %s",
                                         tele ? PICK (rand, video_openings) : PICK (rand, openings), mood, topic,
                                         better ? "Noticed small wins and named them." :
                                                  "Described setbacks with work and family stress.");
  g_autofree char *plan = g_strdup_printf ("%s Next session in %s; continue work on %s.", PICK (rand, homework),
                                           g_rand_int_range (rand, 0, 3) == 0 ? "two weeks" : "one week",
                                           c->topics[(session + 1) % 4]);
  g_autofree char *assess = g_strdup_printf ("%s, %s. No safety concerns raised; denies suicidal ideation.",
                                             c->description, better ? "improving" : "symptoms persisting");

  switch (tend_clinical_note_get_template (note))
    {
    case TEND_NOTE_TEMPLATE_DAP:
      {
        g_autofree char *data = g_strdup_printf ("%s %s", s1, PICK (rand, observations));

        tend_clinical_note_set_sections (note, "data", data, "assessment", assess, "plan", plan, NULL);
      }
      break;
    case TEND_NOTE_TEMPLATE_BIRP:
      {
        g_autofree char *intervention = g_strdup_printf ("%s; reviewed %s.", c->intervention, topic);
        const char *response = PICK (rand, responses);

        tend_clinical_note_set_sections (note, "behavior", s1, "intervention", intervention,
                                         "response", response, "plan", plan, NULL);
      }
      break;
    case TEND_NOTE_TEMPLATE_SOAP:
    case TEND_NOTE_TEMPLATE_INTAKE:
    case TEND_NOTE_TEMPLATE_DISCHARGE:
    case TEND_NOTE_TEMPLATE_ADDENDUM:
    case TEND_NOTE_TEMPLATE_PRACTICE:
    case TEND_N_NOTE_TEMPLATES:
    default:
      {
        const char *objective = PICK (rand, observations);

        tend_clinical_note_set_sections (note, "subjective", s1, "objective", objective,
                                         "assessment", assess, "plan", plan, NULL);
      }
      break;
    }
}

static void
fill_intake (TendClinicalNote *note,
             GRand            *rand,
             const Concern    *c)
{
  /* Drawn in this order, one by one: the arguments of one call are
   * evaluated in no set order. */
  const char *psychiatric = g_rand_int_range (rand, 0, 2) ? "No prior treatment." :
                            "Saw a counsellor for six sessions some years ago; found it helpful.";
  const char *substance = g_rand_int_range (rand, 0, 3) ? "Alcohol socially, one or two drinks a week; no drugs." :
                          "Drinks three to four glasses of wine most evenings to unwind.";
  const char *mental_status = PICK (rand, observations);
  g_autofree char *impression = g_strdup_printf ("%s %s.", c->code, c->description);
  g_autofree char *plan = g_strdup_printf ("Weekly individual therapy: %s. PHQ-9 and GAD-7 every four sessions.",
                                           c->intervention);

  tend_clinical_note_set_sections (note,
                                   "presenting_problem", c->complaint,
                                   "history", c->history,
                                   "psychiatric_history", psychiatric,
                                   "medical_history", "No significant medical history; no current medication.",
                                   "substance_use", substance,
                                   "family_social", "Lives with partner; works full time; close to one sibling.",
                                   "mental_status", mental_status,
                                   "risk", "Denies suicidal ideation, intent or plan; no history of self-harm. "
                                           "Protective factors: family, work, future plans.",
                                   "impression", impression,
                                   "plan", plan,
                                   NULL);
  tend_record_set_string (TEND_RECORD (note), "participants", "Client");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "ideation", "none", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "plan", "none", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "intent", "none", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "means", "none", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "protective_factors", NULL, "Family, work, future plans.");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "low", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "appearance", "casual", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "behaviour", "cooperative", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "mood", g_rand_int_range (rand, 0, 2) ? "anxious" : "depressed", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "orientation", "full", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "insight", "good", NULL);
}

static TendNoteTemplate
template_for (const char *clinician_id)
{
  static const TendNoteTemplate choices[] = {
    TEND_NOTE_TEMPLATE_SOAP, TEND_NOTE_TEMPLATE_DAP, TEND_NOTE_TEMPLATE_BIRP
  };

  return choices[g_str_hash (clinician_id) % G_N_ELEMENTS (choices)];
}

TendDemoChart *
tend_demo_chart_new (guint32 seed,
                     gint64  now_usec)
{
  TendDemoChart *chart = g_new0 (TendDemoChart, 1);

  chart->seed = seed;
  chart->now = now_usec;
  return chart;
}

void
tend_demo_chart_free (TendDemoChart *chart)
{
  g_free (chart);
}

static gboolean
write_measures (TendStore       *store,
                GRand           *rand,
                const char      *client_id,
                const char      *clinician_id,
                TendAppointment *a,
                const char      *date,
                guint            phq,
                guint            gad,
                gboolean         item9,
                GError         **error)
{
  guint answers[9];
  g_autoptr(TendMeasure) m1 = NULL;
  g_autoptr(TendMeasure) m2 = NULL;

  spread (rand, phq, answers, 9, item9 ? 1 : 0);
  m1 = tend_measure_new (client_id, TEND_INSTRUMENT_PHQ9, date, answers, 9);
  spread (rand, gad, answers, 7, 0);
  m2 = tend_measure_new (client_id, TEND_INSTRUMENT_GAD7, date, answers, 7);
  tend_record_set_string (TEND_RECORD (m1), "appointment_id", tend_record_get_id (TEND_RECORD (a)));
  tend_record_set_string (TEND_RECORD (m2), "appointment_id", tend_record_get_id (TEND_RECORD (a)));
  tend_record_set_string (TEND_RECORD (m1), "recorded_by", clinician_id);
  tend_record_set_string (TEND_RECORD (m2), "recorded_by", clinician_id);
  return save (store, TEND_RECORD (m1), error) && save (store, TEND_RECORD (m2), error);
}

/**
 * tend_demo_chart_write_episode:
 * @sessions: (element-type TendAppointment): the episode's completed
 *   sessions, in order
 *
 * Writes the chart of one episode: at the first session an initial
 * assessment, diagnoses, a treatment plan and the first measures; then a
 * progress note per session and measures every fourth.
 */
gboolean
tend_demo_chart_write_episode (TendDemoChart *chart,
                               TendStore     *store,
                               const char    *client_id,
                               const char    *clinician_id,
                               const char    *supervisor_id,
                               GPtrArray     *sessions,
                               guint         *n_notes,
                               GError       **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (chart->seed ^ g_str_hash (client_id));
  const Concern *c = &concerns[g_rand_int_range (rand, 0, G_N_ELEMENTS (concerns))];
  gboolean improves = g_rand_int_range (rand, 0, 100) < 75;
  gboolean risk = c->phq_start >= 14 && g_rand_int_range (rand, 0, 100) < 20;
  TendNoteTemplate usual = template_for (clinician_id);

  for (guint k = 0; k < sessions->len; k++)
    {
      TendAppointment *a = g_ptr_array_index (sessions, k);
      g_autofree char *date = local_date (a);
      g_autoptr(TendClinicalNote) note = NULL;
      int trend = improves ? -(int) (k / 2) : (int) (k % 3) - 1;
      guint phq = clamp_score ((int) c->phq_start + trend + g_rand_int_range (rand, -2, 3), 27);
      guint gad = clamp_score ((int) c->gad_start + trend + g_rand_int_range (rand, -2, 3), 21);

      note = tend_clinical_note_new (client_id, clinician_id, k == 0 ? TEND_NOTE_TEMPLATE_INTAKE : usual);
      tend_clinical_note_prefill_from_appointment (note, TEND_RECORD (a), chart_zone ());
      tend_record_set_string (TEND_RECORD (note), "service_date", date);
      if (k == 0)
        fill_intake (note, rand, c);
      else
        fill_progress_note (note, rand, c, k, improves && g_rand_int_range (rand, 0, 100) < 80, a);
      sign_or_not (chart, rand, a, TEND_RECORD (note), clinician_id, supervisor_id);
      if (!save (store, TEND_RECORD (note), error))
        return FALSE;
      (*n_notes)++;

      if (k % 4 == 0 &&
          !write_measures (store, rand, client_id, clinician_id, a, date, phq, gad, risk && k < 8, error))
        return FALSE;

      if (k == 0)
        {
          g_autoptr(TendDiagnosis) dx = tend_diagnosis_new (client_id, c->code, c->description);
          g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (client_id, clinician_id);
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) problems = NULL;
          GDate review;

          tend_record_set_string (TEND_RECORD (dx), "rank", "primary");
          tend_record_set_string (TEND_RECORD (dx), "onset", date);
          tend_record_set_string (TEND_RECORD (dx), "recorded_by", clinician_id);
          if (!save (store, TEND_RECORD (dx), error))
            return FALSE;
          if (c->secondary != NULL)
            {
              g_autoptr(TendDiagnosis) z = tend_diagnosis_new (client_id, c->secondary, c->secondary_description);

              tend_record_set_string (TEND_RECORD (z), "onset", date);
              tend_record_set_string (TEND_RECORD (z), "recorded_by", clinician_id);
              if (!save (store, TEND_RECORD (z), error))
                return FALSE;
            }

          tend_date_parse (date, &review, NULL);
          g_date_add_days (&review, 90);
          {
            g_autofree char *review_s = tend_date_to_string (&review);

            json_builder_begin_array (b);
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "problem");
            json_builder_add_string_value (b, c->problem);
            json_builder_set_member_name (b, "goals");
            json_builder_begin_array (b);
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "goal");
            json_builder_add_string_value (b, c->goal);
            json_builder_set_member_name (b, "objectives");
            json_builder_begin_array (b);
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "objective");
            json_builder_add_string_value (b, c->objective);
            json_builder_set_member_name (b, "target_date");
            json_builder_add_string_value (b, review_s);
            json_builder_end_object (b);
            json_builder_end_array (b);
            json_builder_end_object (b);
            json_builder_end_array (b);
            json_builder_set_member_name (b, "interventions");
            json_builder_begin_array (b);
            json_builder_add_string_value (b, c->intervention);
            json_builder_end_array (b);
            json_builder_end_object (b);
            json_builder_end_array (b);
            problems = json_builder_get_root (b);
            tend_record_set_json (TEND_RECORD (plan), "problems", problems);
            tend_record_set_string (TEND_RECORD (plan), "start_date", date);
            tend_record_set_string (TEND_RECORD (plan), "review_date", review_s);
          }
          sign_or_not (chart, rand, a, TEND_RECORD (plan), clinician_id, NULL);
          if (!save (store, TEND_RECORD (plan), error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * tend_demo_chart_add_intake:
 *
 * Gives a demo client what intake records: consents to treatment (and
 * telehealth, and a release of information for some), recorded by their
 * clinician.  Insurance is not the client record's: the demo's policy
 * records (tend-demo.c) hold it.  Seeded by the client's id, so the demo's
 * own sequence is untouched.
 */
void
tend_demo_chart_add_intake (guint32     seed,
                            TendClient *client)
{
  TendRecord *r = TEND_RECORD (client);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed ^ 0x1a7a4e ^ g_str_hash (tend_record_get_id (r)));
  const char *by = tend_client_get_primary_clinician (client);
  g_autofree char *date = g_strdup_printf ("2025-%02d-%02d", g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));

  if (by == NULL)
    return;
  tend_record_set_string (r, "consents.treatment.date", date);
  tend_record_set_string (r, "consents.treatment.recorded_by", by);
  if (g_rand_int_range (rand, 0, 100) < 60)
    {
      tend_record_set_string (r, "consents.telehealth.date", date);
      tend_record_set_string (r, "consents.telehealth.recorded_by", by);
    }
  if (g_rand_int_range (rand, 0, 100) < 25)
    {
      tend_record_set_string (r, "consents.release_of_information.date", date);
      tend_record_set_string (r, "consents.release_of_information.recorded_by", by);
      tend_record_set_string (r, "consents.release_of_information.party", "Primary care physician");
    }
}
