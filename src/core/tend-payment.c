/* tend-payment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-billing-codes.h"
#include "tend-error.h"
#include "tend-payment.h"

struct _TendPayment
{
  TendRecord parent_instance;

  char     *client_id;
  char     *payer_id;
  int       kind;
  int       method;
  gint64    amount;
  char     *received_on;
  char     *reference;
  char     *claim_id;
  int       status;
  char     *void_reason;
  char     *memo;
};

G_DEFINE_FINAL_TYPE (TendPayment, tend_payment, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "payment", "refund", "credit", NULL };
static const char * const method_choices[] = { "cash", "cheque", "card", "transfer", "insurance", "none", NULL };
static const char * const status_choices[] = { "posted", "void", NULL };

static const TendField payment_fields[] = {
  { "client_id", N_("Client"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendPayment, client_id), 36, NULL, 0, 0 },
  { "payer_id", N_("Payer"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendPayment, payer_id), 36, NULL, 0, 0 },
  { "kind", N_("Kind"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayment, kind), 0, kind_choices, 0, 0 },
  { "method", N_("Method"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayment, method), 0, method_choices, 0, 0 },
  { "amount", N_("Amount"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayment, amount), 0, NULL, 1, G_GINT64_CONSTANT (100000000) },
  { "received_on", N_("Date"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayment, received_on), 10, NULL, 0, 0 },
  { "reference", N_("Reference"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayment, reference), 50, NULL, 0, 0 },
  { "claim_id", N_("Claim"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendPayment, claim_id), 36, NULL, 0, 0 },
  { "status", N_("Status"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendPayment, status), 0, status_choices, 0, 0 },
  { "void_reason", N_("Reason for voiding"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayment, void_reason), 200, NULL, 0, 0 },
  { "memo", N_("Memo"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendPayment, memo), 200, NULL, 0, 0 },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_payment_validate (TendRecord *record,
                      GError    **error)
{
  TendPayment *self = TEND_PAYMENT (record);

  if (self->client_id == NULL && self->payer_id == NULL)
    return invalid (error, _("Client: a payment comes from a client or a payer"));
  if ((self->method == TEND_PAYMENT_INSURANCE) != (self->payer_id != NULL))
    return invalid (error, _("Method: insurance payments, and only they, name a payer"));
  if (self->kind == TEND_PAYMENT_CREDIT && self->method != TEND_PAYMENT_NONE)
    return invalid (error, _("Method: a credit moves no money"));
  if (self->kind != TEND_PAYMENT_CREDIT && self->method == TEND_PAYMENT_NONE)
    return invalid (error, _("Method: say how the money moved"));
  if (self->kind == TEND_PAYMENT_REFUND && self->client_id == NULL)
    return invalid (error, _("Client: a refund goes to a client"));
  if (self->status == 1 && self->void_reason == NULL)
    return invalid (error, _("Reason for voiding: required to void a payment"));
  return TRUE;
}

static const TendRecordPolicy payment_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, RECORD_PAYMENTS);

static void
tend_payment_class_init (TendPaymentClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "payment", payment_fields, G_N_ELEMENTS (payment_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &payment_policy);
  record_class->validate = tend_payment_validate;
}

static void
tend_payment_init (TendPayment *self)
{

}

TendPayment *
tend_payment_new (const char        *client_id,
                  TendPaymentKind    kind,
                  TendPaymentMethod  method,
                  gint64             amount,
                  const char        *received_on)
{
  TendPayment *self = TEND_PAYMENT (tend_record_new (TEND_TYPE_PAYMENT));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "received_on", received_on);
  self->kind = kind;
  self->method = method;
  self->amount = amount;
  return self;
}

TendPaymentKind
tend_payment_get_kind (TendPayment *self)
{
  g_return_val_if_fail (TEND_IS_PAYMENT (self), TEND_PAYMENT_PAYMENT);
  return (TendPaymentKind) self->kind;
}

TendPaymentMethod
tend_payment_get_method (TendPayment *self)
{
  g_return_val_if_fail (TEND_IS_PAYMENT (self), TEND_PAYMENT_CASH);
  return (TendPaymentMethod) self->method;
}

gint64
tend_payment_get_amount (TendPayment *self)
{
  g_return_val_if_fail (TEND_IS_PAYMENT (self), 0);
  return self->amount;
}

gboolean
tend_payment_is_void (TendPayment *self)
{
  g_return_val_if_fail (TEND_IS_PAYMENT (self), FALSE);
  return self->status == 1;
}

const char *
tend_payment_method_get_label (TendPaymentMethod method)
{
  switch (method)
    {
    case TEND_PAYMENT_CASH:      return _("Cash");
    case TEND_PAYMENT_CHEQUE:    return _("Cheque");
    case TEND_PAYMENT_CARD:      return _("Card");
    case TEND_PAYMENT_TRANSFER:  return _("Bank transfer");
    case TEND_PAYMENT_INSURANCE: return _("Insurance");
    case TEND_PAYMENT_NONE:      return _("Credit");
    default:                     return "";
    }
}
