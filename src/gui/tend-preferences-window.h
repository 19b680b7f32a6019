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
gboolean               tend_preferences_window_save_hours (TendPreferencesWindow *self,
                                                           GError               **error);
void                   tend_preferences_window_set_day_hours (TendPreferencesWindow *self,
                                                              guint                  weekday,
                                                              const char            *start,
                                                              const char            *end);

G_END_DECLS
