/* tend-chart-access.c: a clinician's access to a client's chart beyond
 * their own clients
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A clinician reads the charts of their own clients (the client record's
 * primary clinician) and, through the supervisor on their staff record,
 * their supervisor reads them too.  Anything more is one of these records:
 * "assigned" (a second clinician on the case, open-ended) and "covering"
 * (until an end date), given by an owner or by the client's own clinician;
 * or "emergency", the glass broken by a clinician for themselves, with a
 * reason, for at most TEND_CHART_ACCESS_EMERGENCY_HOURS, shown to the
 * chart's clinician.  A grant is never deleted: it is ended (its "until"
 * moved to now), so who could read a chart, and why, stays known.  The
 * relation itself is evaluated by the store and by tend-server
 * (docs/architecture.md, "Privacy between clinicians").
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-chart-access.h"
#include "tend-client.h"
#include "tend-error.h"
#include "tend-record-policy.h"
#include "tend-staff.h"
#include "tend-time.h"

struct _TendChartAccess
{
  TendRecord parent_instance;

  char *client_id;
  char *staff_id;
  int   kind;
  char *reason;
  char *granted_by;
  char *granted_at;
  char *until;
};

G_DEFINE_FINAL_TYPE (TendChartAccess, tend_chart_access, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "assigned", "covering", "emergency", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendChartAccess, member), len, NULL, 0, 0 }

static const TendField fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("staff_id", N_("Clinician"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, staff_id, 36),
  { "kind", N_("Kind"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendChartAccess, kind), 0, kind_choices, 0, 0 },
  F ("reason", N_("Reason"), TEND_FIELD_TEXT, 0, reason, 1000),
  F ("granted_by", N_("Granted by"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, granted_by, 36),
  F ("granted_at", N_("Granted"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, granted_at, 40),
  F ("until", N_("Until"), TEND_FIELD_DATETIME, 0, until, 40),
};

#undef F

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gint64
parse_usec (const char *text)
{
  g_autoptr(GDateTime) dt = text != NULL ? tend_time_parse_iso8601 (text, NULL) : NULL;

  return dt != NULL ? tend_time_to_unix_usec (dt) : 0;
}

static gboolean
tend_chart_access_validate (TendRecord  *record,
                            GError     **error)
{
  TendChartAccess *self = TEND_CHART_ACCESS (record);

  if (self->kind == TEND_CHART_ACCESS_EMERGENCY && is_blank (self->reason))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Reason: say why you need this chart in an emergency"));
      return FALSE;
    }
  if (self->kind != TEND_CHART_ACCESS_ASSIGNED && self->until == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Until: covering and emergency access end at a set time"));
      return FALSE;
    }
  if (self->until != NULL && parse_usec (self->until) < parse_usec (self->granted_at))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Until: the access ends before it was given"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
propagate (GError **error,
           GError  *local)
{
  g_propagate_error (error, local);
  return FALSE;
}

/* Whether @actor gives (or changes) assigned or covering access to the
 * chart of @client_id: an owner, or the client's own clinician. */
static gboolean
may_grant (TendPolicyActor *actor,
           const char      *client_id,
           GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(TendRecord) client = NULL;

  if (actor->role == TEND_ROLE_OWNER)
    return TRUE;
  client = tend_policy_actor_load (actor, TEND_TYPE_CLIENT, client_id, &local);
  if (local != NULL)
    return propagate (error, g_steal_pointer (&local));
  if (client != NULL && actor->staff_id != NULL &&
      g_strcmp0 (tend_client_get_primary_clinician (TEND_CLIENT (client)), actor->staff_id) == 0)
    return TRUE;
  return tend_policy_deny (error, _("Only an owner or the client’s own clinician gives access to a chart."));
}

static gboolean
chart_access_check (TendPolicyActor *actor,
                    gboolean         extra_writer,
                    TendRecord      *stored,
                    TendRecord      *record,
                    GError         **error)
{
  static const char * const may_change[] = { "until", NULL };
  TendChartAccess *self;
  g_autoptr(GError) local = NULL;

  if (record == NULL)
    return tend_policy_deny (error, _("Access to a chart is ended, not deleted: who could read it stays known."));
  self = TEND_CHART_ACCESS (record);

  if (stored != NULL)
    {
      TendChartAccess *old = TEND_CHART_ACCESS (stored);
      gint64 old_until = old->until != NULL ? parse_usec (old->until) : G_MAXINT64;

      /* Only the end moves, and only earlier: access is ended, never
       * stretched (a longer one is a new grant, with its own reason). */
      if (!tend_policy_only_changed (stored, record, may_change) ||
          self->until == NULL || parse_usec (self->until) > old_until)
        return tend_policy_deny (error, _("Access to a chart can only be ended earlier."));
      /* The person it was for gives it up, or one who may grant it ends it. */
      if (actor->staff_id != NULL && g_strcmp0 (actor->staff_id, old->staff_id) == 0)
        return TRUE;
      return may_grant (actor, old->client_id, error);
    }

  if (actor->staff_id != NULL && g_strcmp0 (actor->staff_id, self->granted_by) != 0)
    return tend_policy_deny (error, _("Access to a chart is given in your own name."));
  {
    g_autoptr(TendRecord) staff = tend_policy_actor_load (actor, TEND_TYPE_STAFF, self->staff_id, &local);

    if (local != NULL)
      return propagate (error, g_steal_pointer (&local));
    if (staff == NULL || !tend_staff_sees_clients (TEND_STAFF (staff)))
      return tend_policy_deny (error, _("Access to a chart is given to a clinician of the practice."));
  }
  if (self->kind == TEND_CHART_ACCESS_EMERGENCY)
    {
      g_autoptr(GDateTime) now = tend_time_now ();
      /* Five minutes for the clocks of two computers. */
      gint64 latest = tend_time_to_unix_usec (now) +
                      (gint64) TEND_CHART_ACCESS_EMERGENCY_HOURS * 3600 * G_USEC_PER_SEC + 300 * G_USEC_PER_SEC;

      if (actor->staff_id != NULL && g_strcmp0 (actor->staff_id, self->staff_id) != 0)
        return tend_policy_deny (error, _("The glass is broken by the clinician who needs the chart, for themselves."));
      if (parse_usec (self->until) > latest)
        return tend_policy_deny (error, _("Emergency access lasts at most a day."));
      return TRUE;
    }
  return may_grant (actor, self->client_id, error);
}

/* Read and written by those who read clinical records: the chart's
 * clinician sees who broke the glass, and why. */
static const TendRecordPolicy chart_access_policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .check = chart_access_check,
};

static void
tend_chart_access_class_init (TendChartAccessClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "chart_access", fields, G_N_ELEMENTS (fields));
  tend_record_class_set_policy (record_class, &chart_access_policy);
  record_class->validate = tend_chart_access_validate;
}

static void
tend_chart_access_init (TendChartAccess *self)
{
}

/**
 * tend_chart_access_new:
 * @until: (nullable): when it ends (RFC 3339), %NULL for open-ended
 *   (assigned only)
 * @reason: (nullable): why
 *
 * Returns: (transfer full): a grant given now
 */
TendChartAccess *
tend_chart_access_new (TendChartAccessKind  kind,
                       const char          *client_id,
                       const char          *staff_id,
                       const char          *granted_by,
                       const char          *until,
                       const char          *reason)
{
  TendChartAccess *self = TEND_CHART_ACCESS (tend_record_new (TEND_TYPE_CHART_ACCESS));
  g_autoptr(GDateTime) now = tend_time_now ();
  g_autofree char *now_text = tend_time_to_iso8601 (now);

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "staff_id", staff_id);
  tend_record_set_string (TEND_RECORD (self), "kind", kind_choices[kind]);
  tend_record_set_string (TEND_RECORD (self), "granted_by", granted_by);
  tend_record_set_string (TEND_RECORD (self), "granted_at", now_text);
  tend_record_set_string (TEND_RECORD (self), "until", until);
  tend_record_set_string (TEND_RECORD (self), "reason", reason);
  return self;
}

/**
 * tend_chart_access_new_emergency:
 *
 * Returns: (transfer full): the glass broken now by @staff_id for
 *   themselves, for TEND_CHART_ACCESS_EMERGENCY_HOURS
 */
TendChartAccess *
tend_chart_access_new_emergency (const char *client_id,
                                 const char *staff_id,
                                 const char *reason)
{
  g_autoptr(GDateTime) now = tend_time_now ();
  g_autoptr(GDateTime) until = g_date_time_add_hours (now, TEND_CHART_ACCESS_EMERGENCY_HOURS);
  g_autofree char *until_text = tend_time_to_iso8601 (until);

  return tend_chart_access_new (TEND_CHART_ACCESS_EMERGENCY, client_id, staff_id, staff_id, until_text, reason);
}

TendChartAccessKind
tend_chart_access_get_kind (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), TEND_CHART_ACCESS_ASSIGNED);
  return self->kind;
}

const char *
tend_chart_access_get_client_id (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), NULL);
  return self->client_id;
}

const char *
tend_chart_access_get_staff_id (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), NULL);
  return self->staff_id;
}

const char *
tend_chart_access_get_granted_by (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), NULL);
  return self->granted_by;
}

const char *
tend_chart_access_get_granted_at (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), NULL);
  return self->granted_at;
}

const char *
tend_chart_access_get_until (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), NULL);
  return self->until;
}

const char *
tend_chart_access_get_reason (TendChartAccess *self)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), NULL);
  return self->reason;
}

/**
 * tend_chart_access_is_live:
 *
 * Whether the grant gives access at @now.
 */
gboolean
tend_chart_access_is_live (TendChartAccess *self,
                           GDateTime       *now)
{
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (self), FALSE);
  if (tend_record_get_deleted (TEND_RECORD (self)))
    return FALSE;
  return self->until == NULL || parse_usec (self->until) > tend_time_to_unix_usec (now);
}

/* Ends the grant now (never later than it would have). */
void
tend_chart_access_end (TendChartAccess *self)
{
  g_autoptr(GDateTime) now = tend_time_now ();
  g_autofree char *now_text = tend_time_to_iso8601 (now);

  g_return_if_fail (TEND_IS_CHART_ACCESS (self));
  if (self->until != NULL && parse_usec (self->until) < tend_time_to_unix_usec (now))
    return;
  tend_record_set_string (TEND_RECORD (self), "until", now_text);
}
