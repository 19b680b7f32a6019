/* tend-hours-group.h: a staff member's working hours, a row per weekday
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_HOURS_GROUP (tend_hours_group_get_type ())
G_DECLARE_FINAL_TYPE (TendHoursGroup, tend_hours_group, TEND, HOURS_GROUP, AdwPreferencesGroup)

GtkWidget *tend_hours_group_new      (void);
void       tend_hours_group_show     (TendHoursGroup *self,
                                      TendStaff      *staff);
void       tend_hours_group_apply    (TendHoursGroup *self,
                                      TendRecord     *staff);
void       tend_hours_group_set_day  (TendHoursGroup *self,
                                      guint           weekday,
                                      const char     *start,
                                      const char     *end);

G_END_DECLS
