/* tend-break-glass-dialog.h: asks why a clinician needs a chart they are
 * not on, before emergency access is given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_BREAK_GLASS_DIALOG (tend_break_glass_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendBreakGlassDialog, tend_break_glass_dialog, TEND, BREAK_GLASS_DIALOG, AdwMessageDialog)

GtkWidget  *tend_break_glass_dialog_new        (GtkWindow            *parent,
                                                const char           *client_name,
                                                const char           *clinician_name);
const char *tend_break_glass_dialog_get_reason (TendBreakGlassDialog *self);
void        tend_break_glass_dialog_set_reason (TendBreakGlassDialog *self,
                                                const char           *reason);

G_END_DECLS
