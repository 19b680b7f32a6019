/* tend-measure.c: PHQ-9 and GAD-7 with their standard scoring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PHQ-9: Kroenke, Spitzer & Williams 2001; GAD-7: Spitzer et al. 2006.  Both
 * were developed by Drs. Spitzer, Williams, Kroenke and colleagues with an
 * educational grant from Pfizer Inc.; no permission is required to reproduce,
 * translate, display or distribute them.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-record-policy.h"
#include "tend-error.h"
#include "tend-measure.h"
#include "tend-time.h"

struct _TendMeasure
{
  TendRecord parent_instance;

  char   *client_id;
  char   *appointment_id;
  int     instrument;
  char   *date;
  char   *answers;
  gint64  score;
  char   *recorded_by;
};

G_DEFINE_FINAL_TYPE (TendMeasure, tend_measure, TEND_TYPE_RECORD)

static const char * const instrument_choices[] = { "phq9", "gad7", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendMeasure, member), len, NULL, 0, 0 }

static const TendField measure_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("appointment_id", N_("Appointment"), TEND_FIELD_UUID, 0, appointment_id, 36),
  { "instrument", N_("Measure"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendMeasure, instrument), 0, instrument_choices, 0, 0 },
  F ("date", N_("Date given"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, date, 10),
  F ("answers", N_("Answers"), TEND_FIELD_JSON, TEND_FIELD_REQUIRED, answers, 100),
  { "score", N_("Score"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendMeasure, score), 0, NULL, 0, 27 },
  F ("recorded_by", N_("Recorded by"), TEND_FIELD_UUID, 0, recorded_by, 36),
};

#undef F

static const char * const phq9_items[] = {
  N_("Little interest or pleasure in doing things"),
  N_("Feeling down, depressed, or hopeless"),
  N_("Trouble falling or staying asleep, or sleeping too much"),
  N_("Feeling tired or having little energy"),
  N_("Poor appetite or overeating"),
  N_("Feeling bad about yourself — or that you are a failure or have let yourself or your family down"),
  N_("Trouble concentrating on things, such as reading the newspaper or watching television"),
  N_("Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual"),
  N_("Thoughts that you would be better off dead or of hurting yourself in some way"),
};

static const char * const gad7_items[] = {
  N_("Feeling nervous, anxious or on edge"),
  N_("Not being able to stop or control worrying"),
  N_("Worrying too much about different things"),
  N_("Trouble relaxing"),
  N_("Being so restless that it is hard to sit still"),
  N_("Becoming easily annoyed or irritable"),
  N_("Feeling afraid as if something awful might happen"),
};

static const TendSeverityBand phq9_bands[] = {
  { TEND_SEVERITY_MINIMAL, 0, 4 },
  { TEND_SEVERITY_MILD, 5, 9 },
  { TEND_SEVERITY_MODERATE, 10, 14 },
  { TEND_SEVERITY_MODERATELY_SEVERE, 15, 19 },
  { TEND_SEVERITY_SEVERE, 20, 27 },
};

static const TendSeverityBand gad7_bands[] = {
  { TEND_SEVERITY_MINIMAL, 0, 4 },
  { TEND_SEVERITY_MILD, 5, 9 },
  { TEND_SEVERITY_MODERATE, 10, 14 },
  { TEND_SEVERITY_SEVERE, 15, 21 },
};

/* Reads the stored answers; %FALSE when they are not a list of whole numbers. */
static gboolean
parse_answers (const char *json,
               guint      *answers,
               guint      *n_answers)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonArray *array;
  guint n;

  *n_answers = 0;
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return FALSE;
  array = json_node_get_array (json_parser_get_root (parser));
  n = json_array_get_length (array);
  if (n > 9)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      gint64 v;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_INT64)
        return FALSE;
      v = json_node_get_int (e);
      answers[i] = v < 0 || v > G_MAXINT ? G_MAXUINT : (guint) v;
    }
  *n_answers = n;
  return TRUE;
}

static gboolean
tend_measure_validate (TendRecord *record,
                       GError    **error)
{
  TendMeasure *self = TEND_MEASURE (record);
  guint answers[9];
  guint n = 0, score = 0;

  if (!parse_answers (self->answers, answers, &n))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Answers: expected a list of numbers from 0 to 3"));
      return FALSE;
    }
  if (!tend_instrument_score ((TendInstrument) self->instrument, answers, n, &score, error))
    return FALSE;
  if ((guint) self->score != score)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Score: %u does not match the answers (they add up to %u)"), (guint) self->score, score);
      return FALSE;
    }
  return TRUE;
}

/* Clinical content: never for the front desk, audited when viewed. */
static const TendRecordPolicy measure_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
};

static void
tend_measure_class_init (TendMeasureClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "measure", measure_fields, G_N_ELEMENTS (measure_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &measure_policy);
  record_class->validate = tend_measure_validate;
}

static void
tend_measure_init (TendMeasure *self)
{
}

/**
 * tend_measure_new:
 * @date: YYYY-MM-DD
 * @answers: (array length=n_answers): one 0–3 answer per item
 *
 * Returns: (transfer full): the measure with its score computed (validate it
 *   before trusting it: the answers are not checked here)
 */
TendMeasure *
tend_measure_new (const char     *client_id,
                  TendInstrument  instrument,
                  const char     *date,
                  const guint    *answers,
                  guint           n_answers)
{
  TendMeasure *self = TEND_MEASURE (tend_record_new (TEND_TYPE_MEASURE));
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();
  guint sum = 0;

  for (guint i = 0; i < n_answers; i++)
    {
      json_array_add_int_element (array, answers[i]);
      sum += answers[i] <= 3 ? answers[i] : 0;
    }
  json_node_take_array (node, array);
  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  self->instrument = (int) instrument;
  tend_record_set_string (TEND_RECORD (self), "date", date);
  tend_record_set_json (TEND_RECORD (self), "answers", node);
  self->score = sum;
  return self;
}

TendInstrument
tend_measure_get_instrument (TendMeasure *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE (self), TEND_INSTRUMENT_PHQ9);
  return (TendInstrument) self->instrument;
}

const char *
tend_measure_get_client_id (TendMeasure *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE (self), NULL);
  return self->client_id;
}

const char *
tend_measure_get_date (TendMeasure *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE (self), NULL);
  return self->date;
}

guint
tend_measure_get_score (TendMeasure *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE (self), 0);
  return (guint) self->score;
}

TendSeverity
tend_measure_get_severity (TendMeasure *self)
{
  g_return_val_if_fail (TEND_IS_MEASURE (self), TEND_SEVERITY_MINIMAL);
  return tend_instrument_get_severity ((TendInstrument) self->instrument, (guint) self->score);
}

/**
 * tend_measure_get_answers:
 * @answers: (out caller-allocates) (array fixed-size=9): filled with the answers
 *
 * Returns: how many answers there are
 */
guint
tend_measure_get_answers (TendMeasure *self,
                          guint       *answers)
{
  guint n = 0;

  g_return_val_if_fail (TEND_IS_MEASURE (self), 0);
  parse_answers (self->answers, answers, &n);
  return n;
}

/* PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered
 * anything but "not at all" needs a clinician's attention whatever the total. */
gboolean
tend_measure_has_risk (TendMeasure *self)
{
  guint answers[9];
  guint n;

  g_return_val_if_fail (TEND_IS_MEASURE (self), FALSE);
  if (self->instrument != TEND_INSTRUMENT_PHQ9)
    return FALSE;
  n = tend_measure_get_answers (self, answers);
  return n == 9 && answers[8] > 0;
}

guint
tend_instrument_get_n_items (TendInstrument instrument)
{
  switch (instrument)
    {
    case TEND_INSTRUMENT_PHQ9: return G_N_ELEMENTS (phq9_items);
    case TEND_INSTRUMENT_GAD7: return G_N_ELEMENTS (gad7_items);
    case TEND_N_INSTRUMENTS:
    default:                   return 0;
    }
}

guint
tend_instrument_get_max_score (TendInstrument instrument)
{
  return 3 * tend_instrument_get_n_items (instrument);
}

const char *
tend_instrument_get_item (TendInstrument instrument,
                          guint          item)
{
  g_return_val_if_fail (item < tend_instrument_get_n_items (instrument), NULL);
  return _(instrument == TEND_INSTRUMENT_PHQ9 ? phq9_items[item] : gad7_items[item]);
}

const char *
tend_instrument_get_title (TendInstrument instrument)
{
  switch (instrument)
    {
    case TEND_INSTRUMENT_PHQ9: return _("PHQ-9 (depression)");
    case TEND_INSTRUMENT_GAD7: return _("GAD-7 (anxiety)");
    case TEND_N_INSTRUMENTS:
    default:                   return "";
    }
}

const char *
tend_instrument_get_stem (TendInstrument instrument)
{
  return _("Over the last 2 weeks, how often have you been bothered by the following problems?");
}

const char *
tend_instrument_to_string (TendInstrument instrument)
{
  g_return_val_if_fail (instrument < TEND_N_INSTRUMENTS, NULL);
  return instrument_choices[instrument];
}

const char *
tend_answer_get_label (guint answer)
{
  switch (answer)
    {
    case 0:  return _("Not at all");
    case 1:  return _("Several days");
    case 2:  return _("More than half the days");
    case 3:  return _("Nearly every day");
    default: return "";
    }
}

/**
 * tend_instrument_score:
 * @answers: (array length=n_answers): one answer per item, 0–3
 * @score: (out): the total
 *
 * Returns: %FALSE with %TEND_ERROR_INVALID when an item is missing or an
 *   answer is out of range (a partial form has no valid total)
 */
gboolean
tend_instrument_score (TendInstrument  instrument,
                       const guint    *answers,
                       guint           n_answers,
                       guint          *score,
                       GError        **error)
{
  guint n_items = tend_instrument_get_n_items (instrument);
  guint sum = 0;

  if (n_items == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Measure: not a known measure"));
      return FALSE;
    }
  if (n_answers != n_items)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Answers: %s has %u items, %u were answered"),
                   tend_instrument_get_title (instrument), n_items, n_answers);
      return FALSE;
    }
  for (guint i = 0; i < n_answers; i++)
    {
      if (answers[i] > 3)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Answers: item %u must be answered 0 to 3"), i + 1);
          return FALSE;
        }
      sum += answers[i];
    }
  if (score != NULL)
    *score = sum;
  return TRUE;
}

const TendSeverityBand *
tend_instrument_get_bands (TendInstrument instrument,
                           guint         *n_bands)
{
  switch (instrument)
    {
    case TEND_INSTRUMENT_PHQ9:
      *n_bands = G_N_ELEMENTS (phq9_bands);
      return phq9_bands;
    case TEND_INSTRUMENT_GAD7:
      *n_bands = G_N_ELEMENTS (gad7_bands);
      return gad7_bands;
    case TEND_N_INSTRUMENTS:
    default:
      *n_bands = 0;
      return NULL;
    }
}

TendSeverity
tend_instrument_get_severity (TendInstrument instrument,
                              guint          score)
{
  guint n = 0;
  const TendSeverityBand *bands = tend_instrument_get_bands (instrument, &n);

  for (guint i = 0; i < n; i++)
    if (score >= bands[i].min && score <= bands[i].max)
      return bands[i].severity;
  return n > 0 ? bands[n - 1].severity : TEND_SEVERITY_MINIMAL;
}

const char *
tend_severity_get_label (TendSeverity severity)
{
  switch (severity)
    {
    case TEND_SEVERITY_MINIMAL:           return _("Minimal");
    case TEND_SEVERITY_MILD:              return _("Mild");
    case TEND_SEVERITY_MODERATE:          return _("Moderate");
    case TEND_SEVERITY_MODERATELY_SEVERE: return _("Moderately severe");
    case TEND_SEVERITY_SEVERE:            return _("Severe");
    default:                              return "";
    }
}
