/* tend-policy-window.h: a client's insurance policies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-record-form.h"
#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_POLICY_WINDOW (tend_policy_window_get_type ())
G_DECLARE_FINAL_TYPE (TendPolicyWindow, tend_policy_window, TEND, POLICY_WINDOW, AdwWindow)

TendPolicyWindow *tend_policy_window_new      (TendStore        *store,
                                               const char       *client_id);
TendRecordForm   *tend_policy_window_get_form (TendPolicyWindow *self);
gboolean          tend_policy_window_save     (TendPolicyWindow *self,
                                               GError          **error);
void              tend_policy_window_edit_draft (TendPolicyWindow *self,
                                                 TendRecord       *draft,
                                                 const char       *typed_payer);

G_END_DECLS
