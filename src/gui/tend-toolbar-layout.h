/* tend-toolbar-layout.h: a toolbar in one row, or two when narrow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TEND_TYPE_TOOLBAR_LAYOUT (tend_toolbar_layout_get_type ())
G_DECLARE_FINAL_TYPE (TendToolbarLayout, tend_toolbar_layout, TEND, TOOLBAR_LAYOUT, GtkLayoutManager)

GtkLayoutManager *tend_toolbar_layout_new (int spacing);

G_END_DECLS
