/* tend-charge-window.h: a small dialog that edits an open charge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-record-form.h"
#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_CHARGE_WINDOW (tend_charge_window_get_type ())
G_DECLARE_FINAL_TYPE (TendChargeWindow, tend_charge_window, TEND, CHARGE_WINDOW, AdwWindow)

TendChargeWindow *tend_charge_window_new      (TendStore        *store,
                                               const char       *charge_id,
                                               GError          **error);
TendRecordForm   *tend_charge_window_get_form (TendChargeWindow *self);
gboolean          tend_charge_window_save     (TendChargeWindow *self,
                                               GError          **error);

G_END_DECLS
