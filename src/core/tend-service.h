/* tend-service.h: a billable service of the practice's catalogue (a CPT code with the practice's own words)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS


#define TEND_TYPE_SERVICE (tend_service_get_type ())
G_DECLARE_FINAL_TYPE (TendService, tend_service, TEND, SERVICE, TendRecord)

TendService *tend_service_new             (const char  *code,
                                          const char  *description,
                                          guint        minutes,
                                          gint64       fee);
const char  *tend_service_get_code        (TendService *self);
const char  *tend_service_get_description (TendService *self);
gint64       tend_service_get_fee         (TendService *self);
guint        tend_service_get_minutes     (TendService *self);
gboolean     tend_service_get_add_on      (TendService *self);

G_END_DECLS
