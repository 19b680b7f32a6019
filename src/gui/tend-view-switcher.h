/* tend-view-switcher.h: a view switcher that fits any width
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TEND_TYPE_VIEW_SWITCHER (tend_view_switcher_get_type ())
G_DECLARE_FINAL_TYPE (TendViewSwitcher, tend_view_switcher, TEND, VIEW_SWITCHER, GtkWidget)

GtkWidget  *tend_view_switcher_new          (AdwViewStack     *stack);
const char *tend_view_switcher_get_mode     (TendViewSwitcher *self);

G_END_DECLS
