/* tend-billing-setup-window.h: the practice's billing set-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-record-form.h"
#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_BILLING_SETUP_WINDOW (tend_billing_setup_window_get_type ())
G_DECLARE_FINAL_TYPE (TendBillingSetupWindow, tend_billing_setup_window, TEND, BILLING_SETUP_WINDOW, AdwPreferencesWindow)

TendBillingSetupWindow *tend_billing_setup_window_new      (TendStore              *store);
TendRecordForm         *tend_billing_setup_window_get_form (TendBillingSetupWindow *self,
                                                            const char             *name);
gboolean                tend_billing_setup_window_save     (TendBillingSetupWindow *self,
                                                            const char             *name,
                                                            GError                **error);
gboolean                tend_billing_setup_window_remove_fee (TendBillingSetupWindow *self,
                                                              GError                **error);

G_END_DECLS
