/* tend-chart-bundle.h: one client's chart as plain records, for an export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store fills it (tend_chart_collect()), the reports layer writes it
 * (tend_chart_pdf_write()): neither needs the other.
 */
#pragma once

#include "tend-client.h"
#include "tend-group-note.h"
#include "tend-message.h"
#include "tend-safety-plan.h"

G_BEGIN_DECLS

typedef struct
{
  TendClient *client;
  char       *practice_name;
  char       *from;          /* YYYY-MM-DD, or NULL for the start of the record */
  char       *to;            /* YYYY-MM-DD, or NULL for today */
  GPtrArray  *diagnoses;     /* TendDiagnosis */
  GPtrArray  *plans;         /* TendTreatmentPlan */
  TendSafetyPlan *safety_plan; /* (nullable) the current one */
  GPtrArray  *conversations; /* TendConversation with the client, when asked for */
  GHashTable *messages;      /* conversation id -> GPtrArray of TendMessage, oldest first */
  GTimeZone  *zone;          /* (nullable) the practice's: times are printed in it */
  GPtrArray  *measures;      /* TendMeasure, oldest first */
  GPtrArray  *notes;         /* TendClinicalNote (no addenda), oldest first */
  GHashTable *addenda;       /* note id -> GPtrArray of TendClinicalNote */
  GHashTable *names;         /* staff id -> display name */
  GHashTable *group_notes;   /* note id -> TendGroupNote, for notes of a multi-client session:
                              * what the PDF may print of the other members */
  GPtrArray  *policies;      /* TendPolicy: the client's insurance, by priority */
  GHashTable *payer_names;   /* payer id -> name */
  GDateTime  *generated_at;  /* UTC */
} TendChartBundle;

TendChartBundle *tend_chart_bundle_new      (void);
void             tend_chart_bundle_free     (TendChartBundle *bundle);
const char      *tend_chart_bundle_name_of  (TendChartBundle *bundle,
                                             const char      *staff_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendChartBundle, tend_chart_bundle_free)

G_END_DECLS
