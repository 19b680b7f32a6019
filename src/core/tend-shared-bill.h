/* tend-shared-bill.h: a statement or superbill shared with the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

#define TEND_TYPE_SHARED_BILL (tend_shared_bill_get_type ())
G_DECLARE_FINAL_TYPE (TendSharedBill, tend_shared_bill, TEND, SHARED_BILL, TendRecord)

TendSharedBill *tend_shared_bill_new            (const char     *client_id,
                                                 const char     *kind,
                                                 const char     *number,
                                                 GBytes         *pdf);
const char     *tend_shared_bill_get_client_id  (TendSharedBill *self);
const char     *tend_shared_bill_get_kind       (TendSharedBill *self);
const char     *tend_shared_bill_get_sha256     (TendSharedBill *self);
gboolean        tend_shared_bill_is_shared      (TendSharedBill *self);

G_END_DECLS
