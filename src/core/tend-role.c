/* tend-role.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-role.h"

static const char * const role_nicks[] = {
  "owner", "clinician", "supervisor", "front_desk", "biller", NULL
};

const char *
tend_role_to_string (TendRole role)
{
  g_return_val_if_fail (role < TEND_N_ROLES, NULL);
  return role_nicks[role];
}

const char * const *
tend_role_get_nicks (void)
{
  return role_nicks;
}

gboolean
tend_role_from_string (const char *str,
                       TendRole   *role)
{
  for (guint i = 0; i < TEND_N_ROLES; i++)
    {
      if (g_strcmp0 (str, role_nicks[i]) == 0)
        {
          if (role != NULL)
            *role = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tend_role_get_label (TendRole role)
{
  switch (role)
    {
    case TEND_ROLE_OWNER:      return _("Owner");
    case TEND_ROLE_CLINICIAN:  return _("Clinician");
    case TEND_ROLE_SUPERVISOR: return _("Supervisor");
    case TEND_ROLE_FRONT_DESK: return _("Front Desk");
    case TEND_ROLE_BILLER:     return _("Biller");
    case TEND_N_ROLES:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tend_role_can (TendRole       role,
               TendPermission permission)
{
  switch (permission)
    {
    case TEND_PERMISSION_VIEW_DEMOGRAPHICS:
    case TEND_PERMISSION_MESSAGE:
      return TRUE;
    case TEND_PERMISSION_EDIT_DEMOGRAPHICS:
    case TEND_PERMISSION_MANAGE_SCHEDULE:
      return role != TEND_ROLE_BILLER;
    case TEND_PERMISSION_VIEW_CLINICAL:
    case TEND_PERMISSION_EDIT_CLINICAL:
      return role == TEND_ROLE_OWNER || role == TEND_ROLE_CLINICIAN ||
             role == TEND_ROLE_SUPERVISOR;
    case TEND_PERMISSION_VIEW_DIAGNOSES:
      return role != TEND_ROLE_FRONT_DESK;
    case TEND_PERMISSION_COSIGN:
      return role == TEND_ROLE_SUPERVISOR || role == TEND_ROLE_OWNER;
    case TEND_PERMISSION_MANAGE_BILLING:
      return role == TEND_ROLE_OWNER || role == TEND_ROLE_BILLER;
    case TEND_PERMISSION_RECORD_PAYMENTS:
      return role == TEND_ROLE_OWNER || role == TEND_ROLE_BILLER ||
             role == TEND_ROLE_FRONT_DESK;
    case TEND_PERMISSION_EDIT_INSURANCE:
      return role == TEND_ROLE_OWNER || role == TEND_ROLE_BILLER ||
             role == TEND_ROLE_FRONT_DESK;
    case TEND_PERMISSION_MANAGE_STAFF:
    case TEND_PERMISSION_MANAGE_PRACTICE:
    case TEND_PERMISSION_VIEW_AUDIT:
      return role == TEND_ROLE_OWNER;
    default:
      return FALSE;
    }
}
