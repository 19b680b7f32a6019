/* tend-service-fee.h: one clinician's fee for a service, where it differs from the catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS


#define TEND_TYPE_SERVICE_FEE (tend_service_fee_get_type ())
G_DECLARE_FINAL_TYPE (TendServiceFee, tend_service_fee, TEND, SERVICE_FEE, TendRecord)

TendServiceFee *tend_service_fee_new (const char *service_code,
                                      const char *clinician_id,
                                      gint64      fee);

G_END_DECLS
