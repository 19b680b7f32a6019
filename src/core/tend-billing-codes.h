/* tend-billing-codes.h: the shapes of the code sets billing uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* tend_icd10_code_is_valid () is in tend-diagnosis.h */
#include "tend-diagnosis.h"

G_BEGIN_DECLS

/* Checks the form only: Tend ships no copy of the AMA's CPT or the ICD-10
 * tables (the wording is licensed); the practice keeps its own descriptions. */
gboolean  tend_cpt_code_is_valid          (const char *code);
char     *tend_icd10_code_for_x12         (const char *code);
gboolean  tend_modifier_is_valid          (const char *modifier);
gboolean  tend_place_of_service_is_valid  (const char *pos);
gboolean  tend_claim_filing_is_valid      (const char *code);
gboolean  tend_carc_is_valid              (const char *reason);
gboolean  tend_code_list_check            (const char  *list,
                                           guint        max_items,
                                           gboolean   (*check) (const char *),
                                           char       **bad_item);
gint64    tend_money_scale_percent        (gint64      minor,
                                           guint       percent);

G_END_DECLS
