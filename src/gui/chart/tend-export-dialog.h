/* tend-export-dialog.h: what of a chart to export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_EXPORT_DIALOG (tend_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TendExportDialog, tend_export_dialog, TEND, EXPORT_DIALOG, AdwMessageDialog)

GtkWidget  *tend_export_dialog_new          (GtkWindow        *parent,
                                             gboolean          messages);
const char *tend_export_dialog_get_from     (TendExportDialog *self);
const char *tend_export_dialog_get_to       (TendExportDialog *self);
gboolean    tend_export_dialog_get_messages (TendExportDialog *self);

G_END_DECLS
