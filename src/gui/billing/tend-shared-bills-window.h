/* tend-shared-bills-window.h: a client's statements and superbills in the portal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-bill-pdf.h"
#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_SHARED_BILLS_WINDOW (tend_shared_bills_window_get_type ())
G_DECLARE_FINAL_TYPE (TendSharedBillsWindow, tend_shared_bills_window, TEND, SHARED_BILLS_WINDOW, AdwWindow)

TendSharedBillsWindow *tend_shared_bills_window_new        (TendStore             *store,
                                                            const char            *client_id);
gboolean               tend_shared_bills_window_share      (TendSharedBillsWindow *self,
                                                            TendBillKind           kind,
                                                            GError               **error);
GtkWidget             *tend_shared_bills_window_get_button (TendSharedBillsWindow *self,
                                                            const char            *name,
                                                            guint                  index);
guint                  tend_shared_bills_window_get_n_listed (TendSharedBillsWindow *self);

G_END_DECLS
