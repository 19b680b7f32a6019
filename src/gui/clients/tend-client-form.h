/* tend-client-form.h: the intake form for a new client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_CLIENT_FORM (tend_client_form_get_type ())
G_DECLARE_FINAL_TYPE (TendClientForm, tend_client_form, TEND, CLIENT_FORM, AdwWindow)

TendClientForm *tend_client_form_new        (TendStore      *store);
TendClientForm *tend_client_form_new_for_client (TendStore  *store,
                                                 TendClient *client);
GtkEditable    *tend_client_form_get_entry  (TendClientForm *self,
                                             const char     *field);
gboolean        tend_client_form_save       (TendClientForm *self);
const char     *tend_client_form_get_error  (TendClientForm *self);
GtkWidget      *tend_client_form_get_insurance (TendClientForm *self);
void            tend_client_form_set_status (TendClientForm   *self,
                                             TendClientStatus  status);

G_END_DECLS
