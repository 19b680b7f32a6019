/* tend-portal-form.h: a form the practice sends a client through the
 * portal (a consent to sign, a questionnaire to answer)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_PORTAL_FORM (tend_portal_form_get_type ())
G_DECLARE_FINAL_TYPE (TendPortalForm, tend_portal_form, TEND, PORTAL_FORM, TendRecord)

typedef enum
{
  TEND_PORTAL_FORM_CONSENT,
  TEND_PORTAL_FORM_MEASURE,
  TEND_PORTAL_FORM_INTAKE,
  TEND_PORTAL_FORM_PLAN,
} TendPortalFormKind;

/**
 * TendIntakeField:
 * @name: the client record's member ("address.city")
 * @label: its label (N_(): translate with _())
 * @max_length: the most characters
 */
typedef struct
{
  const char *name;
  const char *label;
  guint       max_length;
} TendIntakeField;

const TendIntakeField *tend_portal_form_get_intake_fields (guint *n_fields);

TendPortalForm    *tend_portal_form_new            (const char        *client_id,
                                                    TendPortalFormKind kind,
                                                    const char        *which,
                                                    const char        *title,
                                                    const char        *text,
                                                    const char        *assigned_by);
TendPortalFormKind tend_portal_form_get_kind       (TendPortalForm *self);
const char        *tend_portal_form_get_client_id  (TendPortalForm *self);
const char        *tend_portal_form_get_text       (TendPortalForm *self);
const char        *tend_portal_form_get_instrument (TendPortalForm *self);
const char        *tend_portal_form_get_assigned_by (TendPortalForm *self);
gboolean           tend_portal_form_is_pending     (TendPortalForm *self);
gboolean           tend_portal_form_is_signed_text (TendPortalForm *self);
TendPortalForm    *tend_portal_form_new_plan_request (const char   *client_id,
                                                      const char   *plan_id,
                                                      const char   *plan_sha256,
                                                      const char   *title,
                                                      const char   *text,
                                                      const char   *assigned_by);
char              *tend_portal_form_plan_request_id (const char    *plan_id);
char              *tend_portal_form_text_sha256    (const char     *text);

G_END_DECLS
