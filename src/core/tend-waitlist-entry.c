/* tend-waitlist-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-record-policy.h"
#include "tend-error.h"
#include "tend-waitlist-entry.h"

struct _TendWaitlistEntry
{
  TendRecord parent_instance;

  char    *client_id;
  char    *clinician_ids;
  gint64   weekdays;
  char    *earliest;
  char    *latest;
  int      modality;
  char    *note;
  gboolean active;
};

G_DEFINE_FINAL_TYPE (TendWaitlistEntry, tend_waitlist_entry, TEND_TYPE_RECORD)

/* "any" is last so the appointment modalities keep their values. */
static const char * const modality_choices[] = { "in_person", "telehealth", "any", NULL };
#define MODALITY_ANY 2

static const TendField waitlist_fields[] = {
  { "client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendWaitlistEntry, client_id), 36, NULL, 0, 0 },
  { "clinician_ids", N_("Preferred clinicians"), TEND_FIELD_UUID_LIST, 0, G_STRUCT_OFFSET (TendWaitlistEntry, clinician_ids), 740, NULL, 0, 0 },
  /* Monday is 1, Tuesday 2, Wednesday 4 ... Sunday 64. */
  { "weekdays", N_("Days"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendWaitlistEntry, weekdays), 0, NULL, 1, 127 },
  { "earliest", N_("Earliest time"), TEND_FIELD_TIME_OF_DAY, 0, G_STRUCT_OFFSET (TendWaitlistEntry, earliest), 5, NULL, 0, 0 },
  { "latest", N_("Latest time"), TEND_FIELD_TIME_OF_DAY, 0, G_STRUCT_OFFSET (TendWaitlistEntry, latest), 5, NULL, 0, 0 },
  { "modality", N_("Modality"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendWaitlistEntry, modality), 0, modality_choices, 0, 0 },
  { "note", N_("Note"), TEND_FIELD_TEXT, 0, G_STRUCT_OFFSET (TendWaitlistEntry, note), 2000, NULL, 0, 0 },
  { "active", N_("Waiting"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendWaitlistEntry, active), 0, NULL, 0, 0 },
};

static gboolean
tend_waitlist_entry_validate (TendRecord *record,
                              GError    **error)
{
  TendWaitlistEntry *self = TEND_WAITLIST_ENTRY (record);
  guint a, b;

  if (self->earliest != NULL && self->latest != NULL &&
      tend_time_of_day_parse (self->earliest, &a) && tend_time_of_day_parse (self->latest, &b) && b <= a)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Latest time: must be after the earliest time"));
      return FALSE;
    }
  return TRUE;
}

/* The portal: a client asks for another time (tend-server writes the entry
 * for one of the times it offered); the client never reads or changes
 * entries afterwards. */
static gboolean
waitlist_client_check (TendPolicyActor *actor,
                       TendRecord      *stored,
                       TendRecord      *record,
                       GError         **error)
{
  if (stored != NULL || !TEND_WAITLIST_ENTRY (record)->active)
    return tend_policy_deny (error, _("Clients only ask for another time."));
  return TRUE;
}

static const char * const waitlist_client_keep[] = { "active", NULL };

static const TendClientAccess waitlist_client_access = {
  .keep = waitlist_client_keep,
  .check = waitlist_client_check,
};

static const TendRecordPolicy waitlist_entry_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MANAGE_SCHEDULE,
  .write_also = TEND_PERMISSION_NONE,
  .client = &waitlist_client_access,
};

static void
tend_waitlist_entry_class_init (TendWaitlistEntryClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "waitlist", waitlist_fields, G_N_ELEMENTS (waitlist_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &waitlist_entry_policy);
  record_class->validate = tend_waitlist_entry_validate;
}

static void
tend_waitlist_entry_init (TendWaitlistEntry *self)
{
  self->weekdays = 127;
  self->modality = MODALITY_ANY;
  self->active = TRUE;
}

TendWaitlistEntry *
tend_waitlist_entry_new (const char *client_id)
{
  TendWaitlistEntry *self = TEND_WAITLIST_ENTRY (tend_record_new (TEND_TYPE_WAITLIST_ENTRY));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  return self;
}

const char *
tend_waitlist_entry_get_client_id (TendWaitlistEntry *self)
{
  g_return_val_if_fail (TEND_IS_WAITLIST_ENTRY (self), NULL);
  return self->client_id;
}

/**
 * tend_waitlist_entry_matches:
 * @zone: the practice's zone, in which days and times are meant
 *
 * Would this client take the slot [@start, @end) with @clinician_id?
 */
gboolean
tend_waitlist_entry_matches (TendWaitlistEntry *self,
                             const char        *clinician_id,
                             GDateTime         *start,
                             GDateTime         *end,
                             TendModality       modality,
                             GTimeZone         *zone)
{
  g_autoptr(GDateTime) local_start = NULL;
  g_autoptr(GDateTime) local_end = NULL;
  guint day, from, to, limit;

  g_return_val_if_fail (TEND_IS_WAITLIST_ENTRY (self), FALSE);

  if (!self->active)
    return FALSE;
  if (self->modality != MODALITY_ANY && self->modality != (int) modality)
    return FALSE;
  if (self->clinician_ids != NULL)
    {
      g_auto(GStrv) ids = g_strsplit (self->clinician_ids, " ", -1);

      if (!g_strv_contains ((const char * const *) ids, clinician_id))
        return FALSE;
    }

  local_start = g_date_time_to_timezone (start, zone);
  local_end = g_date_time_to_timezone (end, zone);
  day = (guint) g_date_time_get_day_of_week (local_start); /* 1 = Monday */
  if ((self->weekdays & (1 << (day - 1))) == 0)
    return FALSE;

  from = (guint) (g_date_time_get_hour (local_start) * 60 + g_date_time_get_minute (local_start));
  to = (guint) (g_date_time_get_hour (local_end) * 60 + g_date_time_get_minute (local_end));
  if (to < from)
    to = 24 * 60;
  if (self->earliest != NULL && tend_time_of_day_parse (self->earliest, &limit) && from < limit)
    return FALSE;
  if (self->latest != NULL && tend_time_of_day_parse (self->latest, &limit) && to > limit)
    return FALSE;
  return TRUE;
}
