/* tend-staff-page.h: the owner's staff list and editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"
#include "tend-record-form.h"

G_BEGIN_DECLS

#define TEND_TYPE_STAFF_PAGE (tend_staff_page_get_type ())
G_DECLARE_FINAL_TYPE (TendStaffPage, tend_staff_page, TEND, STAFF_PAGE, AdwPreferencesPage)

GtkWidget      *tend_staff_page_new          (TendContext   *context);
TendRecordForm *tend_staff_page_get_form     (TendStaffPage *self);
GtkWidget      *tend_staff_page_get_hours    (TendStaffPage *self);
gboolean        tend_staff_page_save         (TendStaffPage *self,
                                              GError       **error);
void            tend_staff_page_set_password (TendStaffPage *self,
                                              const char    *password);
gboolean        tend_staff_page_get_busy     (TendStaffPage *self);

G_END_DECLS
