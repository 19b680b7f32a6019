/* tend-client.h: a client (patient) of the practice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_CLIENT_STATUS_ACTIVE,
  TEND_CLIENT_STATUS_INACTIVE,
  TEND_CLIENT_STATUS_DISCHARGED,
} TendClientStatus;

#define TEND_TYPE_CLIENT (tend_client_get_type ())
G_DECLARE_FINAL_TYPE (TendClient, tend_client, TEND, CLIENT, TendRecord)

TendClient      *tend_client_new                   (const char  *legal_given,
                                                    const char  *legal_family);
const char      *tend_client_get_legal_given       (TendClient  *self);
const char      *tend_client_get_legal_family      (TendClient  *self);
const char      *tend_client_get_preferred_name    (TendClient  *self);
const char      *tend_client_get_pronouns          (TendClient  *self);
const char      *tend_client_get_date_of_birth     (TendClient  *self);
const char      *tend_client_get_record_number     (TendClient  *self);
const char      *tend_client_get_email             (TendClient  *self);
const char      *tend_client_get_phone             (TendClient  *self);
const char      *tend_client_get_primary_clinician (TendClient  *self);
TendClientStatus tend_client_get_status            (TendClient  *self);
const char      *tend_client_status_get_label      (TendClientStatus status);
char            *tend_client_dup_display_name      (TendClient  *self);
int              tend_client_get_age               (TendClient  *self,
                                                    const GDate *today);

G_END_DECLS
