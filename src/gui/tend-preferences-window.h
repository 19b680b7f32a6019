/* tend-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_PREFERENCES_WINDOW (tend_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TendPreferencesWindow, tend_preferences_window, TEND, PREFERENCES_WINDOW, AdwPreferencesWindow)

TendPreferencesWindow *tend_preferences_window_new (TendContext *context);

G_END_DECLS
