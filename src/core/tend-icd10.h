/* tend-icd10.h: the ICD-10-CM codes Tend ships for a mental-health practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TendIcd10Entry:
 * @code: "F41.1"
 * @description: "Generalized anxiety disorder": the CMS long title (English,
 *   as CMS publishes it)
 * @short_description: the CMS short title (at most 60 characters, with CMS's
 *   own abbreviations)
 * @billable: whether a claim may carry the code; %FALSE for a category or
 *   subcategory heading such as "F41"
 *
 * One row of data/icd10cm/icd10cm-mental-health.tsv: chapters 5 (F01-F99)
 * and 21 (Z00-Z99), R45 and T14.91, fiscal year 2026.
 */
typedef struct
{
  const char *code;
  const char *description;
  const char *short_description;
  gboolean    billable;
} TendIcd10Entry;

guint                 tend_icd10_get_n_entries  (void);
const TendIcd10Entry *tend_icd10_lookup         (const char *code);
GPtrArray            *tend_icd10_search         (const char *query,
                                                 guint       limit);
GPtrArray            *tend_icd10_list_billable_under (const char *heading,
                                                      guint       limit);
gboolean              tend_icd10_check_billable (const char *codes,
                                                 GError    **error);

G_END_DECLS
