/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-groups.c: couple, family and group sessions in core: the
 * participants' validation, attendance, each member's charge, and the
 * record policy's rules with a real actor */
#include "config.h"

#include <string.h>

#include "tend-core.h"

#define ANA_ID    "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define BEN_ID    "6f9619ff-8b86-4011-b42d-00c04fc964ff"
#define CARL_ID   "1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c81"
#define GHOST_ID  "11111111-2222-4333-8444-555555555555"
#define STAFF_ID  "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define DESK_ID   "7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"
#define APPT_ID   "01890a5d-ac96-874b-bcce-b302099a8057"

static TendAppointment *
session_in (gint64 hours_from_now)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, hours_from_now);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  TendAppointment *a = tend_appointment_new (STAFF_ID, start, end);

  tend_record_set_id (TEND_RECORD (a), APPT_ID);
  tend_record_set_string (TEND_RECORD (a), "client_id", ANA_ID);
  return a;
}

static void
assert_invalid (TendAppointment *a,
                const char      *prefix)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tend_record_validate (TEND_RECORD (a), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

static gboolean
loads (TendAppointment *a,
       const char      *participants,
       const char      *session_type)
{
  g_autofree char *body = tend_record_to_body_string (TEND_RECORD (a));
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  g_autoptr(JsonNode) list = json_from_string (participants, NULL);
  g_autoptr(TendRecord) r = tend_record_new (TEND_TYPE_APPOINTMENT);
  g_autofree char *text = NULL;

  json_object_set_string_member (json_node_get_object (node), "session_type", session_type);
  json_object_set_member (json_node_get_object (node), "participants", g_steal_pointer (&list));
  text = json_to_string (node, FALSE);
  return tend_record_load_body_string (r, text, -1, NULL) && tend_record_validate (r, NULL);
}

static void
test_validate (void)
{
  g_autoptr(TendAppointment) a = session_in (24);
  const char *couple[] = { ANA_ID, BEN_ID, NULL };
  const char *three[] = { ANA_ID, BEN_ID, CARL_ID, NULL };
  const char *twice[] = { ANA_ID, BEN_ID, BEN_ID, NULL };
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;

  /* An individual session has no participants. */
  g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  g_assert_false (tend_appointment_is_multi_client (a));
  g_assert_cmpint (tend_appointment_get_session_type (a), ==, TEND_SESSION_INDIVIDUAL);

  tend_appointment_set_members (a, TEND_SESSION_COUPLE, couple);
  g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  g_assert_true (tend_appointment_is_multi_client (a));
  text = tend_record_to_body_string (TEND_RECORD (a));
  g_assert_nonnull (strstr (text, "\"session_type\":\"couple\""));
  g_assert_nonnull (strstr (text, "\"participants\":[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"},"));

  /* A couple is two; a family may be three. */
  tend_appointment_set_members (a, TEND_SESSION_COUPLE, three);
  assert_invalid (a, "Clients in the session");
  tend_appointment_set_members (a, TEND_SESSION_FAMILY, three);
  g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  g_assert_cmpstr (tend_appointment_get_client_id (a), ==, ANA_ID);

  /* Nobody twice. */
  tend_appointment_set_members (a, TEND_SESSION_GROUP, twice);
  assert_invalid (a, "Clients in the session");

  /* At most TEND_APPOINTMENT_MAX_PARTICIPANTS. */
  for (guint i = 0; i <= TEND_APPOINTMENT_MAX_PARTICIPANTS; i++)
    g_ptr_array_add (many, g_strdup_printf ("1a2b3c4d-5e6f-4a1b-8c2d-%012x", i));
  g_ptr_array_add (many, NULL);
  tend_appointment_set_members (a, TEND_SESSION_GROUP, (const char * const *) many->pdata);
  assert_invalid (a, "Clients in the session");

  /* Back to one client: individual again, nothing listed. */
  tend_appointment_set_members (a, TEND_SESSION_GROUP, (const char *[]) { BEN_ID, NULL });
  g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));
  g_assert_false (tend_appointment_is_multi_client (a));
  g_assert_cmpstr (tend_appointment_get_client_id (a), ==, BEN_ID);

  /* What arrives from the network. */
  tend_appointment_set_members (a, TEND_SESSION_INDIVIDUAL, (const char *[]) { ANA_ID, NULL });
  g_assert_true (loads (a, "[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"},"
                        "{\"client_id\":\"" BEN_ID "\",\"attendance\":\"no_show\"}]", "group"));
  /* The session's client first. */
  g_assert_false (loads (a, "[{\"client_id\":\"" BEN_ID "\",\"attendance\":\"expected\"},"
                         "{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"}]", "group"));
  /* An unknown attendance, a member too many, not a client id, a list of
   * one, an individual session with a list, a list without a type. */
  g_assert_false (loads (a, "[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"},"
                         "{\"client_id\":\"" BEN_ID "\",\"attendance\":\"asleep\"}]", "group"));
  g_assert_false (loads (a, "[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"},"
                         "{\"client_id\":\"" BEN_ID "\",\"attendance\":\"expected\",\"note\":\"x\"}]", "group"));
  g_assert_false (loads (a, "[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"},"
                         "{\"client_id\":\"Ben\",\"attendance\":\"expected\"}]", "group"));
  g_assert_false (loads (a, "[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"}]", "group"));
  g_assert_false (loads (a, "[{\"client_id\":\"" ANA_ID "\",\"attendance\":\"expected\"},"
                         "{\"client_id\":\"" BEN_ID "\",\"attendance\":\"expected\"}]", "individual"));
  g_assert_false (loads (a, "{\"client_id\":\"" ANA_ID "\"}", "group"));

  /* Blocked time has no clients. */
  tend_appointment_set_members (a, TEND_SESSION_COUPLE, couple);
  tend_record_set_int (TEND_RECORD (a), "kind", TEND_APPOINTMENT_KIND_BLOCKED);
  assert_invalid (a, "Clients in the session");
}

static void
test_attendance (void)
{
  g_autoptr(TendAppointment) a = session_in (0);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *family[] = { ANA_ID, BEN_ID, CARL_ID, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) members = NULL;

  /* Attendance is a multi-client session's. */
  g_assert_false (tend_appointment_set_attendance (a, ANA_ID, TEND_ATTENDANCE_ATTENDED, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);

  tend_appointment_set_members (a, TEND_SESSION_FAMILY, family);
  members = tend_appointment_dup_member_ids (a);
  g_assert_cmpuint (g_strv_length (members), ==, 3);
  g_assert_cmpstr (members[0], ==, ANA_ID);
  g_assert_true (tend_appointment_has_member (a, CARL_ID));
  g_assert_false (tend_appointment_has_member (a, GHOST_ID));

  /* The first arrival checks the session in; undoing it checks it out. */
  g_assert_true (tend_appointment_set_attendance (a, BEN_ID, TEND_ATTENDANCE_ATTENDED, now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_ARRIVED);
  g_assert_nonnull (tend_record_get_string (TEND_RECORD (a), "checked_in_at"));
  g_assert_true (tend_appointment_set_attendance (a, BEN_ID, TEND_ATTENDANCE_EXPECTED, now, NULL));
  g_assert_cmpint (tend_appointment_get_status (a), ==, TEND_APPOINTMENT_SCHEDULED);
  g_assert_null (tend_record_get_string (TEND_RECORD (a), "checked_in_at"));

  g_assert_true (tend_appointment_set_attendance (a, ANA_ID, TEND_ATTENDANCE_ATTENDED, now, NULL));
  g_assert_true (tend_appointment_set_attendance (a, BEN_ID, TEND_ATTENDANCE_ATTENDED, now, NULL));
  g_assert_true (tend_appointment_set_attendance (a, CARL_ID, TEND_ATTENDANCE_NO_SHOW, now, NULL));
  g_assert_false (tend_appointment_set_attendance (a, GHOST_ID, TEND_ATTENDANCE_ATTENDED, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tend_record_validate (TEND_RECORD (a), NULL));

  /* Completed: each member's charge follows their own attendance. */
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_COMPLETED, NULL, now, NULL));
  g_assert_cmpint (tend_appointment_effective_attendance (a, ANA_ID), ==, TEND_ATTENDANCE_ATTENDED);
  g_assert_cmpint (tend_appointment_effective_attendance (a, CARL_ID), ==, TEND_ATTENDANCE_NO_SHOW);
  g_assert_true (tend_charge_kind_fits_member (a, ANA_ID, TEND_CHARGE_SESSION));
  g_assert_true (tend_charge_kind_fits_member (a, BEN_ID, TEND_CHARGE_SESSION));
  g_assert_false (tend_charge_kind_fits_member (a, CARL_ID, TEND_CHARGE_SESSION));
  g_assert_true (tend_charge_kind_fits_member (a, CARL_ID, TEND_CHARGE_NO_SHOW));
  g_assert_false (tend_charge_kind_fits_member (a, BEN_ID, TEND_CHARGE_NO_SHOW));
  g_assert_false (tend_charge_kind_fits_member (a, GHOST_ID, TEND_CHARGE_SESSION));
  /* A completed session's attendance is kept as it was. */
  g_assert_false (tend_appointment_set_attendance (a, CARL_ID, TEND_ATTENDANCE_ATTENDED, now, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

static void
test_charge_ids (void)
{
  g_autoptr(TendAppointment) a = session_in (0);
  const char *couple[] = { ANA_ID, BEN_ID, NULL };
  g_autofree char *legacy = tend_charge_id_for (APPT_ID, TEND_CHARGE_SESSION);
  g_autofree char *ana = NULL, *ben = NULL, *ben_again = NULL, *ben_fee = NULL, *ben_upper = NULL;
  g_autofree char *upper = g_ascii_strup (BEN_ID, -1);

  tend_appointment_set_members (a, TEND_SESSION_COUPLE, couple);
  ana = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, ANA_ID);
  ben = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, BEN_ID);
  ben_again = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, BEN_ID);
  ben_fee = tend_charge_id_for_member (a, TEND_CHARGE_NO_SHOW, BEN_ID);
  ben_upper = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, upper);
  /* The session's own client keeps the id charges always had. */
  g_assert_cmpstr (ana, ==, legacy);
  g_assert_cmpstr (ben, !=, legacy);
  g_assert_cmpstr (ben, ==, ben_again);
  g_assert_cmpstr (ben, ==, ben_upper);
  g_assert_cmpstr (ben, !=, ben_fee);
  g_assert_true (g_uuid_string_is_valid (ben));
  /* A version 8 appointment's charges sit with it in the id order. */
  g_assert_true (g_str_has_prefix (ben, "01890a5d-ac96"));
}

static TendRecord *
actor_load (TendPolicyActor *actor,
            GType            type,
            const char      *id,
            GError         **error)
{
  if (type == TEND_TYPE_CLIENT && (g_strcmp0 (id, ANA_ID) == 0 || g_strcmp0 (id, BEN_ID) == 0 ||
                                   g_strcmp0 (id, CARL_ID) == 0))
    {
      TendClient *c = tend_client_new ("Lu", "Ruiz");

      tend_record_set_id (TEND_RECORD (c), id);
      return TEND_RECORD (c);
    }
  if (type == TEND_TYPE_APPOINTMENT && actor->user_data != NULL && g_strcmp0 (id, APPT_ID) == 0)
    return tend_record_copy (actor->user_data);
  return NULL;
}

/* The clinician is on Ana's and Ben's charts, not Carl's. */
static gboolean
on_chart (TendPolicyActor *actor,
          const char      *client_id,
          GError         **error)
{
  return g_strcmp0 (client_id, ANA_ID) == 0 || g_strcmp0 (client_id, BEN_ID) == 0;
}

static void
test_policy (void)
{
  TendPolicyActor clinician = { .staff_id = STAFF_ID, .role = TEND_ROLE_CLINICIAN, .load = actor_load,
                                .may_read_chart = on_chart };
  TendPolicyActor desk = { .staff_id = DESK_ID, .role = TEND_ROLE_FRONT_DESK, .load = actor_load,
                           .may_read_chart = on_chart };
  TendPolicyActor ben = { .client_id = BEN_ID, .load = actor_load };
  TendPolicyActor carl = { .client_id = CARL_ID, .load = actor_load };
  g_autoptr(TendAppointment) a = session_in (48);
  g_autoptr(TendRecord) stored = NULL;
  g_autoptr(TendRecord) cancelled = NULL;
  g_autoptr(JsonNode) view = NULL;
  g_autoptr(GError) error = NULL;

  tend_appointment_set_members (a, TEND_SESSION_COUPLE, (const char *[]) { ANA_ID, BEN_ID, NULL });
  g_assert_true (tend_record_policy_check_write (&clinician, TEND_TYPE_APPOINTMENT, NULL, TEND_RECORD (a), &error));
  g_assert_no_error (error);

  /* Carl's chart is not the clinician's: they do not add him; the front
   * desk does, and then the clinician may still move the session. */
  tend_appointment_set_members (a, TEND_SESSION_FAMILY, (const char *[]) { ANA_ID, BEN_ID, CARL_ID, NULL });
  g_assert_false (tend_record_policy_check_write (&clinician, TEND_TYPE_APPOINTMENT, NULL, TEND_RECORD (a), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (tend_record_policy_check_write (&desk, TEND_TYPE_APPOINTMENT, NULL, TEND_RECORD (a), &error));
  stored = tend_record_copy (TEND_RECORD (a));
  tend_record_set_string (TEND_RECORD (a), "note", "Bring the workbook");
  g_assert_true (tend_record_policy_check_write (&clinician, TEND_TYPE_APPOINTMENT, stored, TEND_RECORD (a), &error));
  g_assert_no_error (error);

  /* A client the practice does not have. */
  tend_appointment_set_members (a, TEND_SESSION_GROUP, (const char *[]) { ANA_ID, BEN_ID, GHOST_ID, NULL });
  g_assert_false (tend_record_policy_check_write (&desk, TEND_TYPE_APPOINTMENT, stored, TEND_RECORD (a), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tend_appointment_set_members (a, TEND_SESSION_FAMILY, (const char *[]) { ANA_ID, BEN_ID, CARL_ID, NULL });

  /* The portal: each member sees the session, none of the others in it,
   * and none changes it for the others. */
  g_assert_true (tend_record_policy_client_may_read (&ben, TEND_RECORD (a), NULL));
  g_assert_true (tend_record_policy_client_may_read (&carl, TEND_RECORD (a), NULL));
  view = tend_record_policy_client_view (TEND_RECORD (a));
  g_assert_false (json_object_has_member (json_node_get_object (view), "participants"));
  g_assert_false (json_object_has_member (json_node_get_object (view), "client_id"));
  cancelled = tend_record_copy (TEND_RECORD (a));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_true (tend_appointment_set_status (TEND_APPOINTMENT (cancelled), TEND_APPOINTMENT_CANCELLED,
                                                "Away", now, NULL));
  }
  g_assert_false (tend_record_policy_check_write (&ben, TEND_TYPE_APPOINTMENT, TEND_RECORD (a), cancelled, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

static void
test_charge_policy (void)
{
  g_autoptr(TendAppointment) a = session_in (0);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TendPolicyActor desk = { .staff_id = DESK_ID, .role = TEND_ROLE_FRONT_DESK, .load = actor_load };
  g_autoptr(TendCharge) ben_session = tend_charge_new (BEN_ID, STAFF_ID, TEND_CHARGE_SESSION, "2026-12-07", 10000);
  g_autoptr(TendCharge) carl_session = tend_charge_new (CARL_ID, STAFF_ID, TEND_CHARGE_SESSION, "2026-12-07", 10000);
  g_autoptr(TendCharge) stolen = tend_charge_new (BEN_ID, STAFF_ID, TEND_CHARGE_SESSION, "2026-12-07", 10000);
  g_autofree char *ben_id = NULL, *carl_id = NULL, *ana_id = NULL;
  g_autoptr(GError) error = NULL;

  tend_appointment_set_members (a, TEND_SESSION_FAMILY, (const char *[]) { ANA_ID, BEN_ID, CARL_ID, NULL });
  g_assert_true (tend_appointment_set_attendance (a, BEN_ID, TEND_ATTENDANCE_ATTENDED, now, NULL));
  g_assert_true (tend_appointment_set_attendance (a, CARL_ID, TEND_ATTENDANCE_NO_SHOW, now, NULL));
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_COMPLETED, NULL, now, NULL));
  desk.user_data = a;

  ben_id = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, BEN_ID);
  carl_id = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, CARL_ID);
  ana_id = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, ANA_ID);
  for (guint i = 0; i < 3; i++)
    {
      TendCharge *c = (TendCharge *[]) { ben_session, carl_session, stolen }[i];

      tend_record_set_string (TEND_RECORD (c), "appointment_id", APPT_ID);
      tend_record_set_string (TEND_RECORD (c), "service_code", "90847");
    }
  tend_record_set_id (TEND_RECORD (ben_session), ben_id);
  tend_record_set_id (TEND_RECORD (carl_session), carl_id);
  /* Ben's charge under Ana's id. */
  tend_record_set_id (TEND_RECORD (stolen), ana_id);

  /* The front desk (the extra writer) makes the charges the session calls for. */
  g_assert_true (tend_record_policy_check_write (&desk, TEND_TYPE_CHARGE, NULL, TEND_RECORD (ben_session), &error));
  g_assert_no_error (error);
  g_assert_false (tend_record_policy_check_write (&desk, TEND_TYPE_CHARGE, NULL, TEND_RECORD (carl_session), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (tend_record_policy_check_write (&desk, TEND_TYPE_CHARGE, NULL, TEND_RECORD (stolen), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

/* One member's note names the others as "group member", except a related
 * person of this client, linked to that member, with consent on file. */
static void
test_group_note (void)
{
  g_autoptr(TendAppointment) a = session_in (-2);
  const char *family[] = { ANA_ID, BEN_ID, CARL_ID, GHOST_ID, NULL };
  g_autoptr(TendGroupNote) ana = NULL;
  g_autoptr(TendGroupNote) ben = NULL;
  g_autoptr(TendRelatedPerson) partner = tend_related_person_new (ANA_ID, "Ben Okafor", TEND_RELATED_PARTNER);
  g_autoptr(TendRelatedPerson) son = tend_related_person_new (ANA_ID, "Carl López", TEND_RELATED_OTHER);
  g_autoptr(TendRelatedPerson) of_other = tend_related_person_new (BEN_ID, "Carl López", TEND_RELATED_OTHER);
  g_autofree char *line = NULL;
  g_autofree char *redacted = NULL;
  g_autofree char *ben_line = NULL;
  g_autofree char *ben_text = NULL;
  g_auto(GStrv) hidden = NULL;

  tend_appointment_set_members (a, TEND_SESSION_FAMILY, family);
  ana = tend_group_note_new (a, ANA_ID);
  tend_group_note_add_name (ana, ANA_ID, "Ana López");
  tend_group_note_add_name (ana, BEN_ID, "Ben Okafor");
  tend_group_note_add_name (ana, CARL_ID, "Carl López");
  tend_group_note_add_name (ana, GHOST_ID, "Dee Ward");

  /* Nobody consented yet: the client, then three group members. */
  line = tend_group_note_dup_participants (ana);
  g_assert_cmpstr (line, ==, "Ana López, 3 group members");
  g_assert_true (tend_group_note_may_name (ana, ANA_ID));
  g_assert_false (tend_group_note_may_name (ana, BEN_ID));

  /* The partner is linked and consented to: named.  The son is linked
   * without consent, and a consent Ben gave about Carl is not Ana's. */
  tend_related_person_set_consent (partner, "2026-01-05", STAFF_ID, "Everything");
  tend_record_set_string (TEND_RECORD (partner), "linked_client_id", BEN_ID);
  tend_record_set_string (TEND_RECORD (son), "linked_client_id", CARL_ID);
  tend_related_person_set_consent (of_other, "2026-01-05", STAFF_ID, NULL);
  tend_record_set_string (TEND_RECORD (of_other), "linked_client_id", CARL_ID);
  tend_group_note_add_related (ana, partner);
  tend_group_note_add_related (ana, son);
  tend_group_note_add_related (ana, of_other);
  g_assert_true (tend_group_note_may_name (ana, BEN_ID));
  g_assert_false (tend_group_note_may_name (ana, CARL_ID));
  g_clear_pointer (&line, g_free);
  line = tend_group_note_dup_participants (ana);
  g_assert_cmpstr (line, ==, "Ana López, Ben Okafor, 2 group members");
  hidden = tend_group_note_dup_hidden_names (ana);
  g_assert_cmpuint (g_strv_length (hidden), ==, 2);
  g_assert_cmpstr (hidden[0], ==, "Carl López");
  g_assert_cmpstr (hidden[1], ==, "Dee Ward");

  /* Whole names in any case, a first name alone as written; not the
   * surname Ana shares, not a word that only starts like a name, and the
   * consented partner stays. */
  redacted = tend_group_note_redact (ana, "Ana López and Ben Okafor argued; CARL LÓPEZ left. Carl cried, "
                                          "Dee said Ward's rules. Carlos and Deer; the Lópezes.");
  g_assert_cmpstr (redacted, ==, "Ana López and Ben Okafor argued; group member left. group member cried, "
                                 "group member said group member's rules. Carlos and Deer; the Lópezes.");
  g_assert_null (tend_group_note_redact (ana, NULL));

  /* Ben's note: his own consents count, not Ana's. */
  ben = tend_group_note_new (a, BEN_ID);
  tend_group_note_add_name (ben, ANA_ID, "Ana López");
  tend_group_note_add_name (ben, BEN_ID, "Ben Okafor");
  tend_group_note_add_name (ben, CARL_ID, "Carl López");
  tend_group_note_add_related (ben, partner);
  tend_group_note_add_related (ben, of_other);
  ben_line = tend_group_note_dup_participants (ben);
  g_assert_cmpstr (ben_line, ==, "Ben Okafor, Carl López, 2 group members");
  ben_text = tend_group_note_redact (ben, "Ana López, then Ana, then López.");
  g_assert_cmpstr (ben_text, ==, "group member, then group member, then López.");

  /* A withdrawn consent or a removed record no longer counts. */
  {
    g_autoptr(TendGroupNote) again = tend_group_note_new (a, ANA_ID);
    g_autofree char *one = NULL;

    tend_related_person_set_consent (partner, NULL, NULL, NULL);
    tend_group_note_add_related (again, partner);
    tend_record_set_deleted (TEND_RECORD (of_other), TRUE);
    tend_group_note_add_name (again, BEN_ID, "Ben Okafor");
    g_assert_false (tend_group_note_may_name (again, BEN_ID));
    tend_group_note_add_related (again, son);
    one = tend_group_note_dup_participants (again);
    /* No name for Ana herself here: only the members. */
    g_assert_cmpstr (one, ==, "3 group members");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/groups/validate", test_validate);
  g_test_add_func ("/groups/attendance", test_attendance);
  g_test_add_func ("/groups/charge-ids", test_charge_ids);
  g_test_add_func ("/groups/policy", test_policy);
  g_test_add_func ("/groups/charge-policy", test_charge_policy);
  g_test_add_func ("/groups/group-note", test_group_note);
  return g_test_run ();
}
