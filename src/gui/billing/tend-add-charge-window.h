/* tend-add-charge-window.h: a charge added by hand to the shown client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-billing-page.h"

G_BEGIN_DECLS

#define TEND_TYPE_ADD_CHARGE_WINDOW (tend_add_charge_window_get_type ())
G_DECLARE_FINAL_TYPE (TendAddChargeWindow, tend_add_charge_window, TEND, ADD_CHARGE_WINDOW, AdwWindow)

TendAddChargeWindow *tend_add_charge_window_new        (TendBillingPage     *page,
                                                        TendStore           *store,
                                                        const char          *client_name);
void                 tend_add_charge_window_set_service (TendAddChargeWindow *self,
                                                        const char          *code);
gboolean             tend_add_charge_window_add        (TendAddChargeWindow *self,
                                                        GError             **error);

G_END_DECLS
