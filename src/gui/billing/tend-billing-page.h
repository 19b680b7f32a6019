/* tend-billing-page.h: the Billing section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_BILLING_PAGE (tend_billing_page_get_type ())
G_DECLARE_FINAL_TYPE (TendBillingPage, tend_billing_page, TEND, BILLING_PAGE, GtkWidget)

GtkWidget  *tend_billing_page_new            (void);
void        tend_billing_page_set_store      (TendBillingPage *self,
                                              TendStore       *store);
void        tend_billing_page_reload         (TendBillingPage *self);
void        tend_billing_page_set_role       (TendBillingPage *self,
                                              TendRole         role);
gboolean    tend_billing_page_show_client    (TendBillingPage *self,
                                              const char      *client_id);
gboolean    tend_billing_page_record         (TendBillingPage *self,
                                              int              kind,
                                              const char      *amount_text,
                                              int              method,
                                              GError         **error);
gboolean    tend_billing_page_record_payment (TendBillingPage *self,
                                              const char      *amount_text,
                                              int              method,
                                              GError         **error);
void        tend_billing_page_show_report    (TendBillingPage *self,
                                              const char      *name);
GtkWidget  *tend_billing_page_get_view       (TendBillingPage *self,
                                              const char      *name);
const char *tend_billing_page_get_balance_text (TendBillingPage *self);
gboolean    tend_billing_page_add_charge     (TendBillingPage *self,
                                              const char      *date,
                                              const char      *service_code,
                                              const char      *description,
                                              const char      *amount_text,
                                              GError         **error);
void        tend_billing_page_save_file      (TendBillingPage *self,
                                              const char      *what,
                                              const char      *path);
gboolean    tend_billing_page_is_busy        (TendBillingPage *self);
GtkWindow  *tend_billing_page_open_setup     (TendBillingPage *self);
GtkWindow  *tend_billing_page_open_policies  (TendBillingPage *self);
GtkWindow  *tend_billing_page_open_shared_bills (TendBillingPage *self);
GtkWindow  *tend_billing_page_open_charge    (TendBillingPage *self,
                                              const char      *charge_id);
GtkWindow  *tend_billing_page_open_add_charge (TendBillingPage *self);
GtkWindow  *tend_billing_page_open_allocate  (TendBillingPage *self,
                                              const char      *payment_id);
gboolean    tend_billing_page_allocate       (TendBillingPage    *self,
                                              const char         *payment_id,
                                              const char * const *charge_ids,
                                              const char * const *amount_texts,
                                              int                *bad,
                                              GError            **error);

gboolean         tend_billing_page_is_report_pending (TendBillingPage *self);

G_END_DECLS
