/* tend-addendum-dialog.h: the text of an addendum to a signed note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_ADDENDUM_DIALOG (tend_addendum_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendAddendumDialog, tend_addendum_dialog, TEND, ADDENDUM_DIALOG, AdwMessageDialog)

GtkWidget *tend_addendum_dialog_new      (GtkWindow          *parent);
char      *tend_addendum_dialog_dup_text (TendAddendumDialog *self);
void       tend_addendum_dialog_set_text (TendAddendumDialog *self,
                                          const char         *text);

G_END_DECLS
