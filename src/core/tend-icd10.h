/* tend-icd10.h: the ICD-10-CM codes Tend ships (chapter F and common Z codes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TendIcd10Entry:
 * @code: "F41.1"
 * @description: "Generalized anxiety disorder" (English, as CMS publishes it)
 */
typedef struct
{
  const char *code;
  const char *description;
} TendIcd10Entry;

guint                 tend_icd10_get_n_entries (void);
const TendIcd10Entry *tend_icd10_lookup        (const char *code);
GPtrArray            *tend_icd10_search        (const char *query,
                                                guint       limit);

G_END_DECLS
