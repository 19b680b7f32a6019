/* tend-plan-client-signature.h: under a signed treatment plan, the
 * client's co-signature through the portal: asked for, waited for, given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_PLAN_CLIENT_SIGNATURE (tend_plan_client_signature_get_type ())
G_DECLARE_FINAL_TYPE (TendPlanClientSignature, tend_plan_client_signature, TEND, PLAN_CLIENT_SIGNATURE, GtkWidget)

GtkWidget  *tend_plan_client_signature_new        (TendStore               *store,
                                                   TendTreatmentPlan       *plan,
                                                   GTimeZone               *zone,
                                                   gboolean                 may_ask);
const char *tend_plan_client_signature_get_status (TendPlanClientSignature *self);
GtkWidget  *tend_plan_client_signature_ask        (TendPlanClientSignature *self);
char       *tend_plan_client_signature_dup_text   (TendTreatmentPlan       *plan,
                                                   GTimeZone               *zone);

G_END_DECLS
