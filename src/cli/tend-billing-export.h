/* tend-billing-export.h: billing files out of and into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The glue between the store and the reports layer, which must not know
 * each other: tend-cli and the GUI both use it.
 */
#pragma once

#include "tend-billing.h"
#include "tend-bill-pdf.h"
#include "tend-csv.h"
#include "tend-x12.h"

G_BEGIN_DECLS

char     *tend_billing_export_837p   (TendStore          *store,
                                      const char * const *claim_ids,
                                      GDateTime          *now,
                                      gboolean            test,
                                      guint              *n_claims,
                                      GError            **error);
TendBill *tend_billing_export_bill   (TendStore          *store,
                                      TendBillKind        kind,
                                      const char         *client_id,
                                      const char         *from,
                                      const char         *to,
                                      GError            **error);
void      tend_billing_bill_free     (TendBill           *bill);
gboolean  tend_billing_import_835    (TendStore          *store,
                                      const char         *data,
                                      gsize               length,
                                      TendRemitResult    *result,
                                      GError            **error);
TendTable *tend_billing_export_report (TendStore         *store,
                                      const char         *name,
                                      const char         *from,
                                      const char         *to,
                                      GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendBill, tend_billing_bill_free)

G_END_DECLS
