/* tend-measure.c: PHQ-9, GAD-7, PCL-5 and AUDIT-C with their published scoring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The instruments' wording, options, points and severity bands are data:
 * data/instruments/<id>.json, compiled in as a resource and read once (see
 * data/instruments/README.md for their sources, cross-checks and licences).
 * PHQ-9 and GAD-7 were developed by Drs. Spitzer, Williams, Kroenke and
 * colleagues with an educational grant from Pfizer Inc.; no permission is
 * required to reproduce, translate, display or distribute them.  The PCL-5 is
 * a U.S. Government work (National Center for PTSD).  The AUDIT-C's use in a
 * commercial product is unresolved (README).
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "tend-core-resources.h"
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

static const char * const instrument_choices[] = { "phq9", "gad7", "pcl5", "auditc", NULL };

#define MAX_ITEMS   TEND_INSTRUMENT_MAX_ITEMS
#define MAX_OPTIONS 5

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendMeasure, member), len, NULL, 0, 0 }

static const TendField measure_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("appointment_id", N_("Appointment"), TEND_FIELD_UUID, 0, appointment_id, 36),
  { "instrument", N_("Measure"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendMeasure, instrument), 0, instrument_choices, 0, 0 },
  F ("date", N_("Date given"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, date, 10),
  F ("answers", N_("Answers"), TEND_FIELD_JSON, TEND_FIELD_REQUIRED, answers, 200),
  { "score", N_("Score"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendMeasure, score), 0, NULL, 0, 80 },
  F ("recorded_by", N_("Recorded by"), TEND_FIELD_UUID, 0, recorded_by, 36),
};

#undef F

/* One instrument as its data file describes it: the scored items, each
 * with its options (an option's points are its position: checked when
 * read), the total's range and the published severity bands, if any. */
typedef struct
{
  char   *text;
  char   *cluster;                 /* PCL-5: B, C, D or E */
  guint   n_options;
  char   *options[MAX_OPTIONS];
} Item;

typedef struct
{
  char             *stem;
  guint             n_items;
  Item              items[MAX_ITEMS];
  guint             max_score;
  guint             n_bands;
  TendSeverityBand  bands[6];
} Definition;

static Definition definitions[TEND_N_INSTRUMENTS];

static TendSeverity
severity_for_label (const char *label)
{
  if (g_strcmp0 (label, "Mild") == 0)
    return TEND_SEVERITY_MILD;
  if (g_strcmp0 (label, "Moderate") == 0)
    return TEND_SEVERITY_MODERATE;
  if (g_strcmp0 (label, "Moderately severe") == 0)
    return TEND_SEVERITY_MODERATELY_SEVERE;
  if (g_strcmp0 (label, "Severe") == 0)
    return TEND_SEVERITY_SEVERE;
  return TEND_SEVERITY_MINIMAL;   /* "None" (PHQ-9 0–4, "Minimal" in its alternative label) or "Minimal" */
}

static gboolean
load_definition (TendInstrument  instrument,
                 Definition     *def,
                 GError        **error)
{
  g_autofree char *path = g_strdup_printf ("/app/tend/Tend/core/instruments/%s.json", instrument_choices[instrument]);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root, *interpretation;
  JsonArray *items;
  JsonNode *bands;
  const char *stem;

  /* Looked up in the resource itself: in a static library, nothing else
   * would register it. */
  bytes = g_resource_lookup_data (tend_core_get_resource (), path, 0, error);
  if (bytes == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), error))
    return FALSE;
  root = json_node_get_object (json_parser_get_root (parser));
  stem = json_object_get_string_member_with_default (root, "stem", NULL);
  if (stem == NULL)
    stem = json_object_get_string_member_with_default (root, "patient_facing_intro", "");
  def->stem = g_strdup (stem);
  items = json_object_get_array_member (root, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonArray *options = json_object_get_array_member (item, "options");
      Item *it;

      if (!json_object_get_boolean_member_with_default (item, "scored", TRUE))
        continue;
      g_assert (def->n_items < MAX_ITEMS && json_array_get_length (options) <= MAX_OPTIONS);
      it = &def->items[def->n_items++];
      it->text = g_strdup (json_object_get_string_member (item, "text"));
      it->cluster = g_strdup (json_object_get_string_member_with_default (item, "cluster", NULL));
      for (guint o = 0; o < json_array_get_length (options); o++)
        {
          JsonObject *option = json_array_get_object_element (options, o);

          if (json_object_get_int_member_with_default (option, "points", -1) != (gint64) o)
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, "%s item %u: options are not scored 0, 1, 2…",
                           instrument_choices[instrument], def->n_items);
              return FALSE;
            }
          it->options[it->n_options++] = g_strdup (json_object_get_string_member (option, "label"));
        }
      def->max_score += it->n_options - 1;
    }
  interpretation = json_object_get_object_member (root, "interpretation");
  bands = interpretation != NULL ? json_object_get_member (interpretation, "severity_bands") : NULL;
  for (guint b = 0; bands != NULL && JSON_NODE_HOLDS_ARRAY (bands) && b < json_array_get_length (json_node_get_array (bands)); b++)
    {
      JsonObject *band = json_array_get_object_element (json_node_get_array (bands), b);
      JsonArray *range = json_object_get_array_member (band, "range");

      g_assert (def->n_bands < G_N_ELEMENTS (def->bands));
      def->bands[def->n_bands++] = (TendSeverityBand) {
        severity_for_label (json_object_get_string_member (band, "label")),
        (guint) json_array_get_int_element (range, 0),
        (guint) json_array_get_int_element (range, 1),
      };
    }
  return TRUE;
}

/* The compiled-in definitions, read on first use. */
static const Definition *
get_definition (TendInstrument instrument)
{
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      for (guint i = 0; i < TEND_N_INSTRUMENTS; i++)
        {
          g_autoptr(GError) error = NULL;

          if (!load_definition ((TendInstrument) i, &definitions[i], &error))
            g_error ("The built-in definition of %s cannot be read: %s", instrument_choices[i], error->message);
        }
      g_once_init_leave (&loaded, 1);
    }
  return instrument < TEND_N_INSTRUMENTS ? &definitions[instrument] : NULL;
}

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
  if (n > MAX_ITEMS)
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
  guint answers[MAX_ITEMS];
  guint n = 0, score = 0;

  if (!parse_answers (self->answers, answers, &n))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Answers: expected a list of numbers, one per item"));
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

/* The portal: a client answers a questionnaire the clinician assigned (the
 * server checks the assignment, a portal_form); the answers are recorded
 * by nobody on the staff, and never changed afterwards. */
static gboolean
measure_client_check (TendPolicyActor *actor,
                      TendRecord      *stored,
                      TendRecord      *record,
                      GError         **error)
{
  if (stored != NULL)
    return tend_policy_deny (error, _("Answers that were sent cannot be changed."));
  if (TEND_MEASURE (record)->recorded_by != NULL)
    return tend_policy_deny (error, _("A client’s answers are recorded by nobody on the staff."));
  return TRUE;
}

static const char * const measure_client_keep[] = { "instrument", "date", NULL };

static const TendClientAccess measure_client_access = {
  .keep = measure_client_keep,
  .check = measure_client_check,
};

/* Clinical content: never for the front desk, audited when viewed. */
static const TendRecordPolicy measure_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .chart_client = "client_id",
  .client = &measure_client_access,
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
 * @answers: (array length=n_answers): one answer (its points) per item
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
      sum += answers[i] <= 4 ? answers[i] : 0;
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
 * @answers: (out caller-allocates) (array fixed-size=20): filled with the
 *   answers (%TEND_INSTRUMENT_MAX_ITEMS at most)
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
  guint answers[MAX_ITEMS];
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
  const Definition *def = get_definition (instrument);

  return def != NULL ? def->n_items : 0;
}

guint
tend_instrument_get_max_score (TendInstrument instrument)
{
  const Definition *def = get_definition (instrument);

  return def != NULL ? def->max_score : 0;
}

/**
 * tend_instrument_get_item:
 *
 * Returns: (transfer none): the item's wording, as checked in the data file
 */
const char *
tend_instrument_get_item (TendInstrument instrument,
                          guint          item)
{
  g_return_val_if_fail (item < tend_instrument_get_n_items (instrument), NULL);
  return get_definition (instrument)->items[item].text;
}

/* How many options an item has (the highest answer is one less). */
guint
tend_instrument_get_n_options (TendInstrument instrument,
                               guint          item)
{
  g_return_val_if_fail (item < tend_instrument_get_n_items (instrument), 0);
  return get_definition (instrument)->items[item].n_options;
}

/**
 * tend_instrument_get_option:
 * @option: the answer, which is also its points
 *
 * Returns: (transfer none): the option's wording ("Not at all", "Monthly or less"…)
 */
const char *
tend_instrument_get_option (TendInstrument instrument,
                            guint          item,
                            guint          option)
{
  g_return_val_if_fail (option < tend_instrument_get_n_options (instrument, item), NULL);
  return get_definition (instrument)->items[item].options[option];
}

const char *
tend_instrument_get_title (TendInstrument instrument)
{
  switch (instrument)
    {
    case TEND_INSTRUMENT_PHQ9:   return _("PHQ-9 (depression)");
    case TEND_INSTRUMENT_GAD7:   return _("GAD-7 (anxiety)");
    case TEND_INSTRUMENT_PCL5:   return _("PCL-5 (post-traumatic stress)");
    case TEND_INSTRUMENT_AUDITC: return _("AUDIT-C (alcohol use)");
    case TEND_N_INSTRUMENTS:
    default:                     return "";
    }
}

const char *
tend_instrument_get_stem (TendInstrument instrument)
{
  const Definition *def = get_definition (instrument);

  return def != NULL ? def->stem : "";
}

const char *
tend_instrument_to_string (TendInstrument instrument)
{
  g_return_val_if_fail (instrument < TEND_N_INSTRUMENTS, NULL);
  return instrument_choices[instrument];
}

/* The PHQ-9's and GAD-7's options (see tend_instrument_get_option()). */
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
 * @answers: (array length=n_answers): one answer per item, from 0 to the
 *   item's highest option
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
      guint top = tend_instrument_get_n_options (instrument, i) - 1;

      if (answers[i] > top)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Answers: item %u must be answered 0 to %u"), i + 1, top);
          return FALSE;
        }
      sum += answers[i];
    }
  if (score != NULL)
    *score = sum;
  return TRUE;
}

/**
 * tend_instrument_get_bands:
 *
 * Returns: (array length=n_bands) (nullable): the published severity bands;
 *   none for the PCL-5 (no empirical severity ranges) and the AUDIT-C (a
 *   screen with cut-points)
 */
const TendSeverityBand *
tend_instrument_get_bands (TendInstrument instrument,
                           guint         *n_bands)
{
  const Definition *def = get_definition (instrument);

  *n_bands = def != NULL ? def->n_bands : 0;
  return def != NULL && def->n_bands > 0 ? def->bands : NULL;
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

/**
 * tend_pcl5_meets_dsm5_pattern:
 * @answers: (array fixed-size=20): the 20 answers
 *
 * The PCL-5's provisional DSM-5 rule (National Center for PTSD): an item
 * rated 2 ("Moderately") or more counts as a symptom, and the pattern needs
 * at least 1 of cluster B, 1 of C, 2 of D and 2 of E.
 */
gboolean
tend_pcl5_meets_dsm5_pattern (const guint *answers)
{
  const Definition *def = get_definition (TEND_INSTRUMENT_PCL5);
  guint b = 0, c = 0, d = 0, e = 0;

  for (guint i = 0; i < def->n_items; i++)
    {
      const char *cluster = def->items[i].cluster;

      if (answers[i] < 2 || cluster == NULL)
        continue;
      b += strcmp (cluster, "B") == 0;
      c += strcmp (cluster, "C") == 0;
      d += strcmp (cluster, "D") == 0;
      e += strcmp (cluster, "E") == 0;
    }
  return b >= 1 && c >= 1 && d >= 2 && e >= 2;
}

/**
 * tend_measure_dup_result:
 *
 * What the score means, in the published terms: the severity band (PHQ-9,
 * GAD-7); the probable-PTSD cut-point (PCL-5: the National Center for PTSD
 * gives 31–33; Tend uses 33) and the DSM-5 pattern; the AUDIT-C's
 * cut-points, 4 or more for men and 3 or more for women.  Tend does not
 * record sex, so a score of 3 says both, rather than guessing.
 *
 * Returns: (transfer full): one line for the chart
 */
char *
tend_measure_dup_result (TendMeasure *self)
{
  guint answers[MAX_ITEMS];

  g_return_val_if_fail (TEND_IS_MEASURE (self), NULL);
  switch ((TendInstrument) self->instrument)
    {
    case TEND_INSTRUMENT_PCL5:
      {
        guint n = tend_measure_get_answers (self, answers);
        gboolean pattern = n == 20 && tend_pcl5_meets_dsm5_pattern (answers);

        if (self->score >= TEND_PCL5_CUT_POINT)
          return g_strdup (pattern ? _("Probable PTSD (33 or more) and the DSM-5 symptom pattern: confirm with a clinical interview")
                                   : _("Probable PTSD (33 or more): confirm with a clinical interview"));
        return g_strdup (pattern ? _("Below the probable-PTSD cut-point (33), but the DSM-5 symptom pattern is met")
                                 : _("Below the probable-PTSD cut-point (33)"));
      }
    case TEND_INSTRUMENT_AUDITC:
      if (self->score >= 4)
        return g_strdup (_("Positive screen for hazardous drinking (4 or more)"));
      if (self->score == 3)
        return g_strdup (_("Positive screen for women (3 or more); below the men’s cut-point of 4"));
      return g_strdup (_("Negative screen"));
    case TEND_INSTRUMENT_PHQ9:
    case TEND_INSTRUMENT_GAD7:
    case TEND_N_INSTRUMENTS:
    default:
      return g_strdup (tend_severity_get_label (tend_measure_get_severity (self)));
    }
}
