/* tend-staff.h: a member of the practice's staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"
#include "tend-role.h"

G_BEGIN_DECLS

#define TEND_TYPE_STAFF (tend_staff_get_type ())
G_DECLARE_FINAL_TYPE (TendStaff, tend_staff, TEND, STAFF, TendRecord)

TendStaff  *tend_staff_new                (const char *given_name,
                                           const char *family_name,
                                           TendRole    role);
TendRole    tend_staff_get_role           (TendStaff  *self);
const char *tend_staff_get_given_name     (TendStaff  *self);
const char *tend_staff_get_family_name    (TendStaff  *self);
const char *tend_staff_get_credentials    (TendStaff  *self);
const char *tend_staff_get_supervisor_id  (TendStaff  *self);
const char *tend_staff_get_color          (TendStaff  *self);
const char * const *tend_staff_color_names (void);
const char *tend_staff_color_get_label    (const char *color);
gboolean    tend_staff_get_active         (TendStaff  *self);
char       *tend_staff_dup_display_name   (TendStaff  *self);
gboolean    tend_staff_sees_clients       (TendStaff  *self);
gboolean    tend_staff_has_working_hours  (TendStaff  *self);
gboolean    tend_staff_get_working_hours  (TendStaff  *self,
                                           guint       weekday,
                                           guint      *start,
                                           guint      *end);

G_END_DECLS
