/* tend-insurance-dismissal.h: insurance typed as text (a client record's
 * old insurance members, an intake form's insurance details) that someone
 * who keeps insurance decided not to make a policy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_INSURANCE_DISMISSAL (tend_insurance_dismissal_get_type ())
G_DECLARE_FINAL_TYPE (TendInsuranceDismissal, tend_insurance_dismissal, TEND, INSURANCE_DISMISSAL, TendRecord)

char                   *tend_insurance_dismissal_id_for (const char *source_id,
                                                         gboolean    from_intake);
TendInsuranceDismissal *tend_insurance_dismissal_new    (const char *client_id,
                                                         const char *source_id,
                                                         gboolean    from_intake,
                                                         const char *dismissed_by);

G_END_DECLS
