/* tend-payment.h: money received from a client or an insurer, a refund, or a credit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_PAYMENT_PAYMENT,
  TEND_PAYMENT_REFUND,
  TEND_PAYMENT_CREDIT,
} TendPaymentKind;

typedef enum
{
  TEND_PAYMENT_CASH,
  TEND_PAYMENT_CHEQUE,
  TEND_PAYMENT_CARD,
  TEND_PAYMENT_TRANSFER,
  TEND_PAYMENT_INSURANCE,
  TEND_PAYMENT_NONE,
} TendPaymentMethod;

#define TEND_TYPE_PAYMENT (tend_payment_get_type ())
G_DECLARE_FINAL_TYPE (TendPayment, tend_payment, TEND, PAYMENT, TendRecord)

TendPayment      *tend_payment_new           (const char        *client_id,
                                              TendPaymentKind    kind,
                                              TendPaymentMethod  method,
                                              gint64             amount,
                                              const char        *received_on);
TendPaymentKind   tend_payment_get_kind      (TendPayment       *self);
TendPaymentMethod tend_payment_get_method    (TendPayment       *self);
gint64            tend_payment_get_amount    (TendPayment       *self);
gboolean          tend_payment_is_void       (TendPayment       *self);
const char       *tend_payment_method_get_label (TendPaymentMethod method);

G_END_DECLS
