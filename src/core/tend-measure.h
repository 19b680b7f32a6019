/* tend-measure.h: a standardised measure (PHQ-9, GAD-7, PCL-5, AUDIT-C) given to a client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_INSTRUMENT_PHQ9,
  TEND_INSTRUMENT_GAD7,
  TEND_INSTRUMENT_PCL5,
  TEND_INSTRUMENT_AUDITC,
  TEND_N_INSTRUMENTS
} TendInstrument;

/* The most items an instrument has (the PCL-5's 20). */
#define TEND_INSTRUMENT_MAX_ITEMS 20

/* The PCL-5 total from which "probable PTSD" is reported: the top of the
 * published 31–33 range, the one that gives fewer false positives. */
#define TEND_PCL5_CUT_POINT 33

typedef enum
{
  TEND_SEVERITY_MINIMAL,
  TEND_SEVERITY_MILD,
  TEND_SEVERITY_MODERATE,
  TEND_SEVERITY_MODERATELY_SEVERE,   /* PHQ-9 only */
  TEND_SEVERITY_SEVERE,
} TendSeverity;

/**
 * TendSeverityBand:
 * @severity: the band
 * @min: lowest score in the band
 * @max: highest score in the band
 */
typedef struct
{
  TendSeverity severity;
  guint        min;
  guint        max;
} TendSeverityBand;

#define TEND_TYPE_MEASURE (tend_measure_get_type ())
G_DECLARE_FINAL_TYPE (TendMeasure, tend_measure, TEND, MEASURE, TendRecord)

TendMeasure            *tend_measure_new                 (const char      *client_id,
                                                          TendInstrument   instrument,
                                                          const char      *date,
                                                          const guint     *answers,
                                                          guint            n_answers);
TendInstrument          tend_measure_get_instrument      (TendMeasure     *self);
const char             *tend_measure_get_client_id       (TendMeasure     *self);
const char             *tend_measure_get_date            (TendMeasure     *self);
guint                   tend_measure_get_score           (TendMeasure     *self);
TendSeverity            tend_measure_get_severity        (TendMeasure     *self);
guint                   tend_measure_get_answers         (TendMeasure     *self,
                                                          guint           *answers);
gboolean                tend_measure_has_risk            (TendMeasure     *self);
char                   *tend_measure_dup_result          (TendMeasure     *self);

guint                   tend_instrument_get_n_items      (TendInstrument   instrument);
const char             *tend_instrument_get_item         (TendInstrument   instrument,
                                                          guint            item);
guint                   tend_instrument_get_n_options    (TendInstrument   instrument,
                                                          guint            item);
const char             *tend_instrument_get_option       (TendInstrument   instrument,
                                                          guint            item,
                                                          guint            option);
const char             *tend_instrument_get_title        (TendInstrument   instrument);
const char             *tend_instrument_get_stem         (TendInstrument   instrument);
const char             *tend_instrument_to_string        (TendInstrument   instrument);
guint                   tend_instrument_get_max_score    (TendInstrument   instrument);
const char             *tend_answer_get_label            (guint            answer);
gboolean                tend_instrument_score            (TendInstrument   instrument,
                                                          const guint     *answers,
                                                          guint            n_answers,
                                                          guint           *score,
                                                          GError         **error);
TendSeverity            tend_instrument_get_severity     (TendInstrument   instrument,
                                                          guint            score);
const TendSeverityBand *tend_instrument_get_bands        (TendInstrument   instrument,
                                                          guint           *n_bands);
const char             *tend_severity_get_label          (TendSeverity     severity);
gboolean                tend_pcl5_meets_dsm5_pattern     (const guint     *answers);

G_END_DECLS
