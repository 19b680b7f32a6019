/* tend-client-form.h: a form the practice sends a client through the
 * portal (a consent to sign, a questionnaire to answer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_CLIENT_FORM (tend_client_form_get_type ())
G_DECLARE_FINAL_TYPE (TendClientForm, tend_client_form, TEND, CLIENT_FORM, TendRecord)

typedef enum
{
  TEND_CLIENT_FORM_CONSENT,
  TEND_CLIENT_FORM_MEASURE,
} TendClientFormKind;

TendClientFormKind tend_client_form_get_kind       (TendClientForm *self);
const char        *tend_client_form_get_client_id  (TendClientForm *self);
const char        *tend_client_form_get_text       (TendClientForm *self);
const char        *tend_client_form_get_instrument (TendClientForm *self);
const char        *tend_client_form_get_assigned_by (TendClientForm *self);
gboolean           tend_client_form_is_pending     (TendClientForm *self);
char              *tend_client_form_text_sha256    (const char     *text);

G_END_DECLS
