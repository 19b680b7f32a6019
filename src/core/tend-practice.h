/* tend-practice.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_PRACTICE (tend_practice_get_type ())
G_DECLARE_FINAL_TYPE (TendPractice, tend_practice, TEND, PRACTICE, TendRecord)

TendPractice *tend_practice_new            (const char   *name,
                                            const char   *time_zone);
const char   *tend_practice_get_name       (TendPractice *self);
const char   *tend_practice_get_time_zone  (TendPractice *self);
GTimeZone    *tend_practice_dup_zone       (TendPractice *self);
const char   *tend_practice_get_currency   (TendPractice *self);

const char   *tend_practice_get_client_notice     (TendPractice *self);
const char   *tend_practice_get_consent_text      (TendPractice *self,
                                                   const char   *consent,
                                                   const char   *language);

G_END_DECLS
