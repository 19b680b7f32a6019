/* tend-charge.h: one billable line: a session, a fee, or a charge added by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-appointment.h"
#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_CHARGE_SESSION,
  TEND_CHARGE_NO_SHOW,
  TEND_CHARGE_LATE_CANCEL,
  TEND_CHARGE_MANUAL,
} TendChargeKind;

typedef enum
{
  TEND_RESPONSIBILITY_CLIENT,
  TEND_RESPONSIBILITY_INSURANCE,
} TendResponsibility;

typedef enum
{
  TEND_CHARGE_OPEN,
  TEND_CHARGE_VOID,
} TendChargeStatus;

#define TEND_TYPE_CHARGE (tend_charge_get_type ())
G_DECLARE_FINAL_TYPE (TendCharge, tend_charge, TEND, CHARGE, TendRecord)

TendCharge        *tend_charge_new                (const char        *client_id,
                                                   const char        *clinician_id,
                                                   TendChargeKind     kind,
                                                   const char        *service_date,
                                                   gint64             fee);
TendChargeKind     tend_charge_get_kind           (TendCharge        *self);
TendChargeStatus   tend_charge_get_status         (TendCharge        *self);
TendResponsibility tend_charge_get_responsibility (TendCharge        *self);
gint64             tend_charge_get_amount         (TendCharge        *self);
const char        *tend_charge_kind_get_label     (TendChargeKind     kind);
gboolean           tend_charge_void               (TendCharge        *self,
                                                   const char        *reason,
                                                   GError           **error);

char             *tend_charge_id_for (const char     *appointment_id,
                                     TendChargeKind  kind);
char             *tend_charge_id_for_member (TendAppointment *appointment,
                                             TendChargeKind   kind,
                                             const char      *client_id);
gboolean          tend_charge_kind_fits_member (TendAppointment *appointment,
                                                const char      *client_id,
                                                TendChargeKind   kind);

G_END_DECLS
