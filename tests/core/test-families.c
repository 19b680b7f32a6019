/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-families.c: related people and guardians in core: validation, the
 * policy's rules with a real actor, and who may act for a minor */
#include "config.h"

#include <string.h>

#include "tend-core.h"

#define CLIENT_ID "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define OTHER_ID  "6f9619ff-8b86-4011-b42d-00c04fc964ff"
#define STAFF_ID  "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define DESK_ID   "7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d"

static gboolean
validates (TendRecord *record,
           const char *expected_field)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tend_record_validate (record, &error);

  if (expected_field == NULL)
    {
      g_assert_no_error (error);
      return ok;
    }
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, expected_field));
  return ok;
}

static void
test_validate (void)
{
  g_autoptr(TendRelatedPerson) p = tend_related_person_new (CLIENT_ID, "Ana Ruiz", TEND_RELATED_PARENT);
  g_autoptr(TendRelatedPerson) g = tend_related_person_new (CLIENT_ID, "Sam Ruiz", TEND_RELATED_LEGAL_GUARDIAN);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
  g_autofree char *future = g_date_time_format (later, "%Y-%m-%d");

  g_assert_true (validates (TEND_RECORD (p), NULL));
  g_assert_false (tend_related_person_is_legal_guardian (p));
  /* A legal guardian by relationship is one. */
  g_assert_true (tend_related_person_is_legal_guardian (g));
  g_assert_true (validates (TEND_RECORD (g), NULL));
  tend_record_set_int (TEND_RECORD (g), "legal_guardian", 0);
  g_assert_false (validates (TEND_RECORD (g), "Legal guardian"));

  /* A partner or an emergency contact is not a legal guardian. */
  tend_record_set_string (TEND_RECORD (p), "relationship", "partner");
  tend_record_set_int (TEND_RECORD (p), "legal_guardian", 1);
  g_assert_false (validates (TEND_RECORD (p), "Legal guardian"));
  tend_record_set_string (TEND_RECORD (p), "relationship", "other");
  g_assert_true (validates (TEND_RECORD (p), NULL));

  /* Consent: a date and who recorded it, together; not in the future;
   * its scope only with a date; cleared whole. */
  tend_record_set_string (TEND_RECORD (p), "consent.date", "2026-11-30");
  g_assert_false (validates (TEND_RECORD (p), "Consent to share"));
  tend_related_person_set_consent (p, "2026-11-30", STAFF_ID, "Attendance only");
  g_assert_true (validates (TEND_RECORD (p), NULL));
  g_assert_true (tend_related_person_has_consent (p));
  tend_record_set_string (TEND_RECORD (p), "consent.date", future);
  g_assert_false (validates (TEND_RECORD (p), "Consent to share"));
  tend_related_person_set_consent (p, NULL, STAFF_ID, "Attendance only");
  g_assert_false (tend_related_person_has_consent (p));
  g_assert_null (tend_record_get_string (TEND_RECORD (p), "consent.scope"));
  g_assert_null (tend_record_get_string (TEND_RECORD (p), "consent.recorded_by"));
  g_assert_true (validates (TEND_RECORD (p), NULL));
  tend_record_set_string (TEND_RECORD (p), "consent.scope", "Everything");
  g_assert_false (validates (TEND_RECORD (p), "What may be shared"));
  tend_record_set_string (TEND_RECORD (p), "consent.scope", NULL);

  /* Linked to another client, never to the client themselves. */
  tend_record_set_string (TEND_RECORD (p), "linked_client_id", OTHER_ID);
  g_assert_true (validates (TEND_RECORD (p), NULL));
  tend_record_set_string (TEND_RECORD (p), "linked_client_id", CLIENT_ID);
  g_assert_false (validates (TEND_RECORD (p), "Also a client"));
  tend_record_set_string (TEND_RECORD (p), "linked_client_id", NULL);

  /* A blank name is no name. */
  tend_record_set_string (TEND_RECORD (p), "name", "   ");
  g_assert_false (validates (TEND_RECORD (p), "Name"));
}

/* The wire form: parsed strictly, written back alike. */
static void
test_wire (void)
{
  static const char body[] =
    "{\"client_id\":\"" CLIENT_ID "\",\"name\":\"Ana Ruiz\",\"relationship\":\"legal_guardian\","
    "\"legal_guardian\":true,\"phone\":\"+1 555 0142\",\"email\":\"ana@example.org\","
    "\"consent\":{\"date\":\"2026-11-30\",\"recorded_by\":\"" STAFF_ID "\",\"scope\":\"Appointments\"}}";
  g_autoptr(TendRecord) r = tend_record_new (TEND_TYPE_RELATED_PERSON);
  g_autoptr(TendRecord) bad = tend_record_new (TEND_TYPE_RELATED_PERSON);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (tend_record_load_body_string (r, body, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_related_person_get_relationship (TEND_RELATED_PERSON (r)), ==, TEND_RELATED_LEGAL_GUARDIAN);
  g_assert_cmpstr (tend_record_get_string (r, "consent.scope"), ==, "Appointments");
  text = tend_record_to_body_string (r);
  g_assert_nonnull (strstr (text, "\"relationship\":\"legal_guardian\""));
  g_assert_nonnull (strstr (text, "\"legal_guardian\":true"));
  g_assert_cmpstr (tend_record_type_get_policy (TEND_TYPE_RELATED_PERSON) != NULL ? "ok" : NULL, ==, "ok");
  g_assert_true (tend_record_type_from_name ("related_person") == TEND_TYPE_RELATED_PERSON);

  g_assert_false (tend_record_load_body_string (bad, "{\"client_id\":\"" CLIENT_ID "\",\"name\":\"X\","
                                                "\"relationship\":\"cousin\"}", -1, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

/* An actor whose load finds the clients below and whose chart relation
 * is "on CLIENT_ID only". */
static TendRecord *
actor_load (TendPolicyActor *actor,
            GType            type,
            const char      *id,
            GError         **error)
{
  if (type == TEND_TYPE_CLIENT && (g_strcmp0 (id, CLIENT_ID) == 0 || g_strcmp0 (id, OTHER_ID) == 0))
    {
      TendClient *c = tend_client_new ("Lu", "Ruiz");

      tend_record_set_id (TEND_RECORD (c), id);
      return TEND_RECORD (c);
    }
  return NULL;
}

static gboolean
on_client_chart (TendPolicyActor *actor,
                 const char      *client_id,
                 GError         **error)
{
  return g_strcmp0 (client_id, CLIENT_ID) == 0;
}

static void
test_policy (void)
{
  TendPolicyActor clinician = { .staff_id = STAFF_ID, .role = TEND_ROLE_CLINICIAN, .load = actor_load,
                                .may_read_chart = on_client_chart };
  TendPolicyActor desk = { .staff_id = DESK_ID, .role = TEND_ROLE_FRONT_DESK, .load = actor_load,
                           .may_read_chart = on_client_chart };
  TendPolicyActor biller = { .staff_id = DESK_ID, .role = TEND_ROLE_BILLER, .load = actor_load };
  g_autoptr(TendRelatedPerson) p = tend_related_person_new (CLIENT_ID, "Ana Ruiz", TEND_RELATED_PARENT);
  g_autoptr(TendRelatedPerson) q = tend_related_person_new (OTHER_ID, "Ben Ortiz", TEND_RELATED_PARTNER);
  g_autoptr(TendRecord) moved = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (tend_record_policy_is_clinical (TEND_TYPE_RELATED_PERSON));
  g_assert_cmpint (tend_record_policy_read_access (TEND_TYPE_RELATED_PERSON, TEND_ROLE_FRONT_DESK), ==, TEND_READ_FULL);
  g_assert_cmpint (tend_record_policy_read_access (TEND_TYPE_RELATED_PERSON, TEND_ROLE_BILLER), ==, TEND_READ_FULL);
  g_assert_null (tend_record_policy_chart_member (TEND_TYPE_RELATED_PERSON));

  g_assert_true (tend_record_policy_check_write (&clinician, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (p), &error));
  g_assert_no_error (error);
  /* Off the chart: refused to a clinician, allowed to the front desk. */
  g_assert_false (tend_record_policy_check_write (&clinician, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (q), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (tend_record_policy_check_write (&desk, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (q), &error));
  g_assert_false (tend_record_policy_check_write (&biller, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (q), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A consent in one's own name only. */
  tend_related_person_set_consent (p, "2026-11-30", DESK_ID, NULL);
  g_assert_false (tend_record_policy_check_write (&clinician, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (p), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (tend_record_policy_check_write (&desk, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (p), &error));
  /* Kept as it was by a later editor: not "recorded" again. */
  {
    g_autoptr(TendRecord) edited = tend_record_copy (TEND_RECORD (p));

    tend_record_set_string (edited, "phone", "+1 555 0100");
    g_assert_true (tend_record_policy_check_write (&clinician, TEND_TYPE_RELATED_PERSON, TEND_RECORD (p), edited, &error));
    g_assert_no_error (error);
  }

  /* Moved to another client: refused. */
  moved = tend_record_copy (TEND_RECORD (p));
  tend_record_set_string (moved, "client_id", OTHER_ID);
  g_assert_false (tend_record_policy_check_write (&desk, TEND_TYPE_RELATED_PERSON, TEND_RECORD (p), moved, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Linked to a client that exists, not to one that does not. */
  tend_record_set_string (TEND_RECORD (q), "linked_client_id", CLIENT_ID);
  g_assert_true (tend_record_policy_check_write (&desk, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (q), &error));
  tend_record_set_string (TEND_RECORD (q), "linked_client_id", "11111111-2222-4333-8444-555555555555");
  g_assert_false (tend_record_policy_check_write (&desk, TEND_TYPE_RELATED_PERSON, NULL, TEND_RECORD (q), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

static void
test_may_act_for (void)
{
  g_autoptr(TendClient) minor = tend_client_new ("Lu", "Ruiz");
  g_autoptr(TendRelatedPerson) g = tend_related_person_new (CLIENT_ID, "Sam Ruiz", TEND_RELATED_LEGAL_GUARDIAN);
  g_autoptr(TendRelatedPerson) p = tend_related_person_new (CLIENT_ID, "Ana Ruiz", TEND_RELATED_PARENT);
  g_autoptr(GError) error = NULL;
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 7, G_DATE_DECEMBER, 2026);
  tend_record_set_id (TEND_RECORD (minor), CLIENT_ID);

  /* No date of birth: no one acts for them. */
  g_assert_false (tend_related_person_may_act_for (g, minor, &today, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  tend_record_set_string (TEND_RECORD (minor), "date_of_birth", "2012-05-01");
  g_assert_true (tend_related_person_may_act_for (g, minor, &today, &error));
  g_assert_no_error (error);
  /* A parent who is not marked the legal guardian does not. */
  g_assert_false (tend_related_person_may_act_for (p, minor, &today, &error));
  g_clear_error (&error);

  /* The day before the 18th birthday, and the day of it. */
  tend_record_set_string (TEND_RECORD (minor), "date_of_birth", "2008-12-08");
  g_assert_true (tend_related_person_may_act_for (g, minor, &today, NULL));
  tend_record_set_string (TEND_RECORD (minor), "date_of_birth", "2008-12-07");
  g_assert_false (tend_related_person_may_act_for (g, minor, &today, NULL));

  /* Another client's guardian; a removed record. */
  tend_record_set_string (TEND_RECORD (minor), "date_of_birth", "2012-05-01");
  tend_record_set_id (TEND_RECORD (minor), OTHER_ID);
  g_assert_false (tend_related_person_may_act_for (g, minor, &today, NULL));
  tend_record_set_id (TEND_RECORD (minor), CLIENT_ID);
  tend_record_set_deleted (TEND_RECORD (g), TRUE);
  g_assert_false (tend_related_person_may_act_for (g, minor, &today, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/families/related-person/validate", test_validate);
  g_test_add_func ("/families/related-person/wire", test_wire);
  g_test_add_func ("/families/related-person/policy", test_policy);
  g_test_add_func ("/families/related-person/may-act-for", test_may_act_for);
  return g_test_run ();
}
