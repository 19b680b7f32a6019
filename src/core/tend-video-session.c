/* tend-video-session.c: a video session held for a telehealth appointment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The appointment's clinician (the host) starts it: the record names the
 * appointment, its client, the host and the participants (the host plus
 * the colleagues the host adds: supervision, co-therapy, an interpreter;
 * four in all).  Only the host changes it, only by adding participants or
 * ending it, and an ended session is frozen.  Its audience is its
 * participants: tend-server sends the record to nobody else, and relays
 * the call's signalling only between them (docs/api.md, "Video
 * sessions").  Nothing of the call itself is kept.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-appointment.h"
#include "tend-error.h"
#include "tend-record-policy.h"
#include "tend-staff.h"
#include "tend-time.h"
#include "tend-video-session.h"

struct _TendVideoSession
{
  TendRecord parent_instance;

  char *appointment_id;
  char *client_id;
  char *host_id;
  char *participants;
  char *started_at;
  char *ended_at;
};

G_DEFINE_FINAL_TYPE (TendVideoSession, tend_video_session, TEND_TYPE_RECORD)

static const TendField fields[] = {
  { "appointment_id", N_("Appointment"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendVideoSession, appointment_id), 0, NULL, 0, 0 },
  { "client_id", N_("Client"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendVideoSession, client_id), 0, NULL, 0, 0 },
  { "host_id", N_("Host"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendVideoSession, host_id), 0, NULL, 0, 0 },
  { "participants", N_("Participants"), TEND_FIELD_UUID_LIST, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendVideoSession, participants), 0, NULL, 0, 0 },
  { "started_at", N_("Started"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendVideoSession, started_at), 40, NULL, 0, 0 },
  { "ended_at", N_("Ended"), TEND_FIELD_DATETIME, 0, G_STRUCT_OFFSET (TendVideoSession, ended_at), 40, NULL, 0, 0 },
};

static gboolean
tend_video_session_validate (TendRecord  *record,
                             GError     **error)
{
  TendVideoSession *self = TEND_VIDEO_SESSION (record);
  g_auto(GStrv) participants = tend_video_session_dup_participants (self);
  guint n = g_strv_length (participants);

  if (n == 0 || n > TEND_VIDEO_SESSION_MAX_PARTICIPANTS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Participants: a video session has from 1 to %d participants"),
                   TEND_VIDEO_SESSION_MAX_PARTICIPANTS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (strcmp (participants[i], participants[j]) == 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Participants: a person is listed twice"));
          return FALSE;
        }
  if (!g_strv_contains ((const char * const *) participants, self->host_id))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Participants: the host takes part in the session"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
same_member (TendRecord *a,
             TendRecord *b,
             const char *name)
{
  return g_strcmp0 (tend_record_get_string (a, name), tend_record_get_string (b, name)) == 0;
}

static gboolean
check_participants_are_staff (TendPolicyActor  *actor,
                              TendVideoSession *self,
                              GError          **error)
{
  g_auto(GStrv) participants = tend_video_session_dup_participants (self);

  for (guint i = 0; participants[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(TendRecord) staff = tend_policy_actor_load (actor, TEND_TYPE_STAFF, participants[i], &local);

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (staff == NULL)
        return tend_policy_deny (error, _("A participant of the video session is not on the practice’s staff."));
    }
  return TRUE;
}

static gboolean
video_session_check (TendPolicyActor *actor,
                     gboolean         extra_writer,
                     TendRecord      *stored,
                     TendRecord      *record,
                     GError         **error)
{
  static const char * const fixed[] = { "appointment_id", "client_id", "host_id", "started_at", NULL };
  TendVideoSession *self;

  if (record == NULL)
    return tend_policy_deny (error, _("Video sessions are part of the record and cannot be deleted."));
  self = TEND_VIDEO_SESSION (record);
  if (actor->staff_id != NULL && g_strcmp0 (actor->staff_id, self->host_id) != 0)
    return tend_policy_deny (error, _("Only the clinician who hosts a video session starts, changes or ends it."));

  if (stored != NULL)
    {
      TendVideoSession *old = TEND_VIDEO_SESSION (stored);
      g_auto(GStrv) before = tend_video_session_dup_participants (old);

      for (guint i = 0; fixed[i] != NULL; i++)
        if (!same_member (stored, record, fixed[i]))
          return tend_policy_deny (error, _("Only a video session’s participants and end can change."));
      /* Participants are added, never taken away: who took part stays known. */
      for (guint i = 0; before[i] != NULL; i++)
        if (!tend_video_session_has_participant (self, before[i]))
          return tend_policy_deny (error, _("A participant cannot be removed from a video session."));
      return check_participants_are_staff (actor, self, error);
    }

  /* A new session: for a telehealth appointment of the host's. */
  {
    g_autoptr(GError) local = NULL;
    g_autoptr(TendRecord) appointment = tend_policy_actor_load (actor, TEND_TYPE_APPOINTMENT,
                                                                self->appointment_id, &local);
    TendAppointment *appt;

    if (local != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
    if (appointment == NULL)
      return tend_policy_deny (error, _("A video session is held for an appointment that exists."));
    appt = TEND_APPOINTMENT (appointment);
    if (tend_appointment_get_modality (appt) != TEND_MODALITY_TELEHEALTH)
      return tend_policy_deny (error, _("Video sessions are held for telehealth appointments only."));
    if (g_strcmp0 (tend_appointment_get_clinician_id (appt), self->host_id) != 0)
      return tend_policy_deny (error, _("A video session is hosted by the appointment’s clinician."));
    if (g_strcmp0 (tend_appointment_get_client_id (appt), self->client_id) != 0)
      return tend_policy_deny (error, _("A video session is with the appointment’s client."));
  }
  return check_participants_are_staff (actor, self, error);
}

static gboolean
video_session_audience (TendPolicyActor *actor,
                        TendRecord      *record,
                        GPtrArray       *staff_ids,
                        GError         **error)
{
  g_auto(GStrv) participants = tend_video_session_dup_participants (TEND_VIDEO_SESSION (record));

  for (guint i = 0; participants[i] != NULL; i++)
    g_ptr_array_add (staff_ids, g_strdup (participants[i]));
  return TRUE;
}

/* Clinicians, supervisors and owners start sessions; the front desk and
 * billers never see one (it names a client's care). */
static const TendRecordPolicy policy = {
  .read = TEND_PERMISSION_VIEW_CLINICAL,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .frozen_by = "ended_at",
  .check = video_session_check,
  .audience = video_session_audience,
};

static void
tend_video_session_class_init (TendVideoSessionClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  record_class->validate = tend_video_session_validate;
  tend_record_class_set_fields (record_class, "video_session", fields, G_N_ELEMENTS (fields));
  tend_record_class_set_policy (record_class, &policy);
}

static void
tend_video_session_init (TendVideoSession *self)
{
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = tend_time_now ();

  return tend_time_to_iso8601 (now);
}

/**
 * tend_video_session_new:
 *
 * Returns: (transfer full): a session started now, with @host_id its only
 *   participant
 */
TendVideoSession *
tend_video_session_new (const char *appointment_id,
                        const char *host_id,
                        const char *client_id)
{
  TendVideoSession *self = TEND_VIDEO_SESSION (tend_record_new (TEND_TYPE_VIDEO_SESSION));
  g_autofree char *now = now_text ();
  const char *participants[] = { host_id, NULL };

  tend_record_set_string (TEND_RECORD (self), "appointment_id", appointment_id);
  tend_record_set_string (TEND_RECORD (self), "host_id", host_id);
  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "started_at", now);
  tend_record_set_strv (TEND_RECORD (self), "participants", participants);
  return self;
}

const char *
tend_video_session_get_appointment_id (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), NULL);
  return self->appointment_id;
}

const char *
tend_video_session_get_host_id (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), NULL);
  return self->host_id;
}

const char *
tend_video_session_get_client_id (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), NULL);
  return self->client_id;
}

char **
tend_video_session_dup_participants (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), NULL);
  return tend_record_dup_strv (TEND_RECORD (self), "participants");
}

gboolean
tend_video_session_has_participant (TendVideoSession *self,
                                    const char       *staff_id)
{
  g_auto(GStrv) participants = NULL;

  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), FALSE);
  if (staff_id == NULL)
    return FALSE;
  participants = tend_video_session_dup_participants (self);
  return g_strv_contains ((const char * const *) participants, staff_id);
}

/**
 * tend_video_session_add_participant:
 *
 * Returns: %FALSE with @error when the session is full
 */
gboolean
tend_video_session_add_participant (TendVideoSession *self,
                                    const char       *staff_id,
                                    GError          **error)
{
  g_auto(GStrv) participants = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), FALSE);
  if (tend_video_session_has_participant (self, staff_id))
    return TRUE;
  participants = tend_video_session_dup_participants (self);
  if (g_strv_length (participants) >= TEND_VIDEO_SESSION_MAX_PARTICIPANTS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Participants: a video session has from 1 to %d participants"),
                   TEND_VIDEO_SESSION_MAX_PARTICIPANTS);
      return FALSE;
    }
  g_strv_builder_addv (builder, (const char **) participants);
  g_strv_builder_add (builder, staff_id);
  updated = g_strv_builder_end (builder);
  tend_record_set_strv (TEND_RECORD (self), "participants", (const char * const *) updated);
  return TRUE;
}

const char *
tend_video_session_get_started_at (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), NULL);
  return self->started_at;
}

const char *
tend_video_session_get_ended_at (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), NULL);
  return self->ended_at;
}

gboolean
tend_video_session_is_ended (TendVideoSession *self)
{
  g_return_val_if_fail (TEND_IS_VIDEO_SESSION (self), TRUE);
  return self->ended_at != NULL;
}

/* Sets the end to now. */
void
tend_video_session_end (TendVideoSession *self)
{
  g_autofree char *now = now_text ();

  g_return_if_fail (TEND_IS_VIDEO_SESSION (self));
  tend_record_set_string (TEND_RECORD (self), "ended_at", now);
}
