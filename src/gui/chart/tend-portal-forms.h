/* tend-portal-forms.h: the chart's portal forms: consents and
 * questionnaires sent to the client, their status, and the dialogs that
 * send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_PORTAL_FORMS (tend_portal_forms_get_type ())
G_DECLARE_FINAL_TYPE (TendPortalForms, tend_portal_forms, TEND, PORTAL_FORMS, GtkWidget)

GtkWidget  *tend_portal_forms_new                    (TendStore       *store,
                                                      const char      *client_id);
void        tend_portal_forms_refresh                (TendPortalForms *self);
guint       tend_portal_forms_get_n_forms            (TendPortalForms *self);
guint       tend_portal_forms_get_n_waiting          (TendPortalForms *self);
GtkWidget  *tend_portal_forms_send_consent           (TendPortalForms *self);
GtkWidget  *tend_portal_forms_assign_questionnaire   (TendPortalForms *self);
GtkWidget  *tend_portal_forms_review                 (TendPortalForms *self,
                                                      const char      *form_id);
GtkWidget  *tend_portal_forms_withdraw               (TendPortalForms *self,
                                                      const char      *form_id);
const char *tend_portal_forms_person_language        (void);
char       *tend_portal_forms_fill_consent           (const char      *text,
                                                      const char      *party);
char       *tend_portal_forms_dup_default_consent    (const char      *consent,
                                                      const char      *practice,
                                                      const char      *party);

G_END_DECLS
