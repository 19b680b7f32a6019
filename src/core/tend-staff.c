/* tend-staff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-record-policy.h"
#include "tend-error.h"
#include "tend-staff.h"

struct _TendStaff
{
  TendRecord parent_instance;

  char    *given_name;
  char    *family_name;
  char    *email;
  char    *phone;
  int      role;
  char    *credentials;
  char    *license_number;
  char    *license_expires;
  char    *npi;
  char    *supervisor_id;
  char    *color;
  gboolean active;
  char    *hours[14];  /* Monday start, Monday end, ... Sunday end: HH:MM local */
};

G_DEFINE_FINAL_TYPE (TendStaff, tend_staff, TEND_TYPE_RECORD)

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendStaff, member), len, NULL, 0, 0 }

static const char * const role_choices[] = {
  "owner", "clinician", "supervisor", "front_desk", "biller", NULL
};

static const TendField staff_fields[] = {
  F ("given_name", N_("First name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, given_name, 80),
  F ("family_name", N_("Last name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, family_name, 80),
  F ("email", N_("Email"), TEND_FIELD_EMAIL, 0, email, 254),
  F ("phone", N_("Phone"), TEND_FIELD_PHONE, 0, phone, 40),
  { "role", N_("Role"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendStaff, role), 0, role_choices, 0, 0 },
  F ("credentials", N_("Credentials"), TEND_FIELD_STRING, 0, credentials, 40),
  F ("license_number", N_("License number"), TEND_FIELD_STRING, 0, license_number, 40),
  F ("license_expires", N_("License expires"), TEND_FIELD_DATE, 0, license_expires, 10),
  F ("npi", N_("NPI"), TEND_FIELD_NPI, 0, npi, 10),
  F ("supervisor_id", N_("Supervisor"), TEND_FIELD_UUID, 0, supervisor_id, 36),
  F ("color", N_("Calendar colour"), TEND_FIELD_STRING, 0, color, 16),
  { "active", N_("Active"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendStaff, active), 0, NULL, 0, 0 },
#define H(day, label, i) \
  { "working_hours." day ".start", label, TEND_FIELD_TIME_OF_DAY, 0, G_STRUCT_OFFSET (TendStaff, hours) + sizeof (char *) * (2 * i), 5, NULL, 0, 0 }, \
  { "working_hours." day ".end", label, TEND_FIELD_TIME_OF_DAY, 0, G_STRUCT_OFFSET (TendStaff, hours) + sizeof (char *) * (2 * i + 1), 5, NULL, 0, 0 }
  H ("mon", N_("Monday hours"), 0),
  H ("tue", N_("Tuesday hours"), 1),
  H ("wed", N_("Wednesday hours"), 2),
  H ("thu", N_("Thursday hours"), 3),
  H ("fri", N_("Friday hours"), 4),
  H ("sat", N_("Saturday hours"), 5),
  H ("sun", N_("Sunday hours"), 6),
#undef H
};

#undef F

static gboolean
tend_staff_validate (TendRecord *record,
                     GError    **error)
{
  TendStaff *self = TEND_STAFF (record);

  for (guint day = 0; day < 7; day++)
    {
      const char *start = self->hours[2 * day], *end = self->hours[2 * day + 1];
      guint a, b;

      if ((start == NULL) != (end == NULL))
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Working hours: each day needs both a start and an end"));
          return FALSE;
        }
      if (start != NULL && tend_time_of_day_parse (start, &a) && tend_time_of_day_parse (end, &b) && b <= a)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Working hours: %s ends before it starts"), start);
          return FALSE;
        }
    }

  if (self->color != NULL && !g_strv_contains (tend_staff_color_names (), self->color))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID, _("Calendar colour: “%s” is not one of Tend’s colours"),
                   self->color);
      return FALSE;
    }
  if (self->supervisor_id != NULL &&
      g_strcmp0 (self->supervisor_id, tend_record_get_id (record)) == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Supervisor: a staff member cannot supervise themselves"));
      return FALSE;
    }
  return TRUE;
}

/* Everyone keeps their own staff record (name, contact, working hours), but
 * not its role, its supervisor or whether it is active: the extra writer. */
static gboolean
staff_check (TendPolicyActor *actor,
             gboolean         extra_writer,
             TendRecord      *stored,
             TendRecord      *record,
             GError         **error)
{
  /* Notes, plans, sessions and signatures name their staff: someone who
   * leaves is switched off, and their record stays. */
  if (record == NULL)
    return tend_policy_deny (error, _("A staff member’s record is kept: switch them off instead."));
  if (!extra_writer)
    return TRUE;
  if (stored == NULL || actor->staff_id == NULL ||
      g_strcmp0 (tend_record_get_id (record), actor->staff_id) != 0)
    return tend_policy_deny (error, _("Only the practice’s owner manages staff records."));
  if (tend_staff_get_role (TEND_STAFF (stored)) != tend_staff_get_role (TEND_STAFF (record)) ||
      tend_staff_get_active (TEND_STAFF (stored)) != tend_staff_get_active (TEND_STAFF (record)) ||
      g_strcmp0 (tend_staff_get_supervisor_id (TEND_STAFF (stored)),
                 tend_staff_get_supervisor_id (TEND_STAFF (record))) != 0)
    return tend_policy_deny (error, _("You may change your own profile, but not your role, supervisor "
                                      "or whether you are active."));
  return TRUE;
}

static const TendRecordPolicy staff_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MANAGE_STAFF,
  .write_also = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .check = staff_check,
};

static void
tend_staff_class_init (TendStaffClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  G_STATIC_ASSERT (G_N_ELEMENTS (role_choices) == TEND_N_ROLES + 1);
  tend_record_class_set_fields (record_class, "staff", staff_fields, G_N_ELEMENTS (staff_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &staff_policy);
  record_class->validate = tend_staff_validate;
}

static void
tend_staff_init (TendStaff *self)
{
  self->role = TEND_ROLE_CLINICIAN;
  self->active = TRUE;
}

TendStaff *
tend_staff_new (const char *given_name,
                const char *family_name,
                TendRole    role)
{
  TendStaff *self = TEND_STAFF (tend_record_new (TEND_TYPE_STAFF));

  tend_record_set_string (TEND_RECORD (self), "given_name", given_name);
  tend_record_set_string (TEND_RECORD (self), "family_name", family_name);
  self->role = role;
  return self;
}

TendRole
tend_staff_get_role (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), TEND_ROLE_CLINICIAN);
  return (TendRole) self->role;
}

const char *
tend_staff_get_given_name (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), NULL);
  return self->given_name;
}

const char *
tend_staff_get_family_name (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), NULL);
  return self->family_name;
}

const char *
tend_staff_get_credentials (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), NULL);
  return self->credentials;
}

const char *
tend_staff_get_supervisor_id (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), NULL);
  return self->supervisor_id;
}

gboolean
tend_staff_get_active (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), FALSE);
  return self->active;
}

/* "Maya Okafor, LCSW" */
char *
tend_staff_dup_display_name (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), NULL);

  if (self->credentials != NULL)
    return g_strdup_printf ("%s %s, %s", self->given_name ? self->given_name : "",
                            self->family_name ? self->family_name : "", self->credentials);
  return g_strdup_printf ("%s %s", self->given_name ? self->given_name : "",
                          self->family_name ? self->family_name : "");
}

/**
 * tend_staff_has_working_hours:
 *
 * Returns: whether any day has hours (with none, no booking is "outside")
 */
gboolean
tend_staff_has_working_hours (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), FALSE);
  for (guint i = 0; i < 14; i++)
    if (self->hours[i] != NULL)
      return TRUE;
  return FALSE;
}

/**
 * tend_staff_get_working_hours:
 * @weekday: 1 (Monday) to 7 (Sunday)
 * @start: (out): minutes after local midnight
 * @end: (out): minutes after local midnight
 *
 * Returns: %FALSE when the person does not work that day
 */
gboolean
tend_staff_get_working_hours (TendStaff *self,
                              guint      weekday,
                              guint     *start,
                              guint     *end)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), FALSE);
  g_return_val_if_fail (weekday >= 1 && weekday <= 7, FALSE);

  return self->hours[2 * (weekday - 1)] != NULL &&
         tend_time_of_day_parse (self->hours[2 * (weekday - 1)], start) &&
         tend_time_of_day_parse (self->hours[2 * (weekday - 1) + 1], end);
}

/**
 * tend_staff_sees_clients:
 *
 * Returns: whether the person has a calendar of sessions: an active owner,
 *   clinician or supervisor (not the front desk or a biller)
 */
/**
 * tend_staff_color_names:
 *
 * Returns: (transfer none): the colours a person can have in the calendar,
 *   by name (the GNOME palette's hues); the GUI maps each to its shade
 */
const char * const *
tend_staff_color_names (void)
{
  static const char * const names[] = { "blue", "green", "yellow", "orange", "red", "purple", "brown", NULL };

  return names;
}

/**
 * tend_staff_get_color_label:
 *
 * Returns: the colour's name for people, translated
 */
const char *
tend_staff_color_get_label (const char *color)
{
  static const struct { const char *name, *label; } labels[] = {
    { "blue", N_("Blue") }, { "green", N_("Green") }, { "yellow", N_("Yellow") }, { "orange", N_("Orange") },
    { "red", N_("Red") }, { "purple", N_("Purple") }, { "brown", N_("Brown") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].name, color) == 0)
      return _(labels[i].label);
  return "";
}

/**
 * tend_staff_get_color:
 *
 * Returns: the person's colour in the calendar: the one chosen, or else
 *   one picked from their id, the same on every computer
 */
const char *
tend_staff_get_color (TendStaff *self)
{
  const char * const *names = tend_staff_color_names ();

  g_return_val_if_fail (TEND_IS_STAFF (self), NULL);
  if (self->color != NULL)
    return self->color;
  return names[g_str_hash (tend_record_get_id (TEND_RECORD (self))) % g_strv_length ((char **) names)];
}

gboolean
tend_staff_sees_clients (TendStaff *self)
{
  g_return_val_if_fail (TEND_IS_STAFF (self), FALSE);
  return self->active &&
         (self->role == TEND_ROLE_OWNER || self->role == TEND_ROLE_CLINICIAN || self->role == TEND_ROLE_SUPERVISOR);
}

