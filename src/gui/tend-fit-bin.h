/* tend-fit-bin.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TEND_TYPE_FIT_BIN (tend_fit_bin_get_type ())
G_DECLARE_FINAL_TYPE (TendFitBin, tend_fit_bin, TEND, FIT_BIN, GtkWidget)

GtkWidget *tend_fit_bin_new       (GtkWidget  *child);
void       tend_fit_bin_set_child (TendFitBin *self,
                                   GtkWidget  *child);

G_END_DECLS
