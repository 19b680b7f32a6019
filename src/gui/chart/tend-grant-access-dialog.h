/* tend-grant-access-dialog.h: gives a colleague assigned or covering
 * access to a client's chart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-core.h"

G_BEGIN_DECLS

#define TEND_TYPE_GRANT_ACCESS_DIALOG (tend_grant_access_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendGrantAccessDialog, tend_grant_access_dialog, TEND, GRANT_ACCESS_DIALOG, AdwMessageDialog)

GtkWidget           *tend_grant_access_dialog_new          (GtkWindow             *parent,
                                                            const char            *client_name,
                                                            GPtrArray             *colleagues,
                                                            GTimeZone             *zone);
const char          *tend_grant_access_dialog_get_staff_id (TendGrantAccessDialog *self);
TendChartAccessKind  tend_grant_access_dialog_get_kind     (TendGrantAccessDialog *self);
char                *tend_grant_access_dialog_dup_until    (TendGrantAccessDialog *self);
gboolean             tend_grant_access_dialog_select       (TendGrantAccessDialog *self,
                                                            const char            *staff_id);
void                 tend_grant_access_dialog_set_covering (TendGrantAccessDialog *self,
                                                            const char            *until_date);

G_END_DECLS
