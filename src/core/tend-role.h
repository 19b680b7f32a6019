/* tend-role.h: staff roles and what each may do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TEND_ROLE_OWNER,
  TEND_ROLE_CLINICIAN,
  TEND_ROLE_SUPERVISOR,
  TEND_ROLE_FRONT_DESK,
  TEND_ROLE_BILLER,
  TEND_N_ROLES
} TendRole;

/* What a role may do.  Checked by the store API (not only hidden in the GUI). */
typedef enum
{
  TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  TEND_PERMISSION_EDIT_DEMOGRAPHICS,
  TEND_PERMISSION_VIEW_CLINICAL,
  TEND_PERMISSION_EDIT_CLINICAL,
  TEND_PERMISSION_COSIGN,
  TEND_PERMISSION_MANAGE_BILLING,
  TEND_PERMISSION_RECORD_PAYMENTS,
  TEND_PERMISSION_MANAGE_SCHEDULE,
  TEND_PERMISSION_MANAGE_STAFF,
  TEND_PERMISSION_MANAGE_PRACTICE,
  TEND_PERMISSION_VIEW_AUDIT,
  TEND_PERMISSION_VIEW_DIAGNOSES,  /* billers need them for claims */
  TEND_PERMISSION_MESSAGE,         /* secure messaging with colleagues and clients */
  TEND_PERMISSION_EDIT_INSURANCE,  /* a client's policies: who takes them at intake, and billing */
} TendPermission;

const char        *tend_role_to_string     (TendRole        role);
gboolean           tend_role_from_string   (const char     *str,
                                            TendRole       *role);
const char        *tend_role_get_label     (TendRole        role);
const char * const*tend_role_get_nicks     (void);
gboolean           tend_role_can           (TendRole        role,
                                            TendPermission  permission);

G_END_DECLS
