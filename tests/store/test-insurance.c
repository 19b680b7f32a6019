/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-insurance.c: insurance typed as text (the client records' old
 * insurance.* members, intake forms) becoming policy records: the one-time
 * conversion where a payer matches, what stays for a person, and who may
 * do it */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "tend-insurance.h"

typedef struct
{
  StoreFixture f;
  TendStore   *store;
  char        *desk;
  char        *maya;
  char        *bill;
  char        *bhh;      /* the payer "Blue Harbor Health" */
  char        *ann;      /* typed "  blue HARBOR   health ": matches */
  char        *bob;      /* typed a payer the practice does not have */
  char        *cara;     /* typed what her policy already says */
  char        *dan;      /* typed a name two payers have */
  char        *eve;      /* sent insurance in an intake form */
  char        *intake;
} Fixture;

static char *
save_new (TendStore  *store,
          TendRecord *record)
{
  store_test_save (store, record);
  return g_strdup (tend_record_get_id (record));
}

static char *
client_with_insurance (TendStore  *store,
                       const char *given,
                       const char *payer,
                       const char *member)
{
  g_autoptr(TendClient) c = tend_client_new (given, "Test");

  tend_record_set_string (TEND_RECORD (c), "insurance.payer", payer);
  tend_record_set_string (TEND_RECORD (c), "insurance.member_number", member);
  return save_new (store, TEND_RECORD (c));
}

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr(TendPractice) practice = tend_practice_new ("Harbor Counseling", "America/New_York");
  g_autoptr(TendStaff) desk = tend_staff_new ("Rosa", "Diaz", TEND_ROLE_FRONT_DESK);
  g_autoptr(TendStaff) maya = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);
  g_autoptr(TendStaff) bill = tend_staff_new ("Bill", "Ng", TEND_ROLE_BILLER);
  g_autoptr(TendPayer) bhh = tend_payer_new ("Blue Harbor Health", "BHH01", "CI");
  g_autoptr(TendPayer) aetna1 = tend_payer_new ("Aetna", "AET01", "CI");
  g_autoptr(TendPayer) aetna2 = tend_payer_new ("AETNA", "AET02", "CI");
  g_autoptr(TendClient) ann = tend_client_new ("Ann", "Smith");
  g_autoptr(TendClient) eve = tend_client_new ("Eve", "Park");
  g_autoptr(TendPortalForm) form = NULL;
  g_autoptr(JsonNode) details = NULL;

  store_test_setup (&fx->f, data);
  fx->store = store_test_open (&fx->f);
  store_test_save (fx->store, TEND_RECORD (practice));
  fx->desk = save_new (fx->store, TEND_RECORD (desk));
  fx->maya = save_new (fx->store, TEND_RECORD (maya));
  fx->bill = save_new (fx->store, TEND_RECORD (bill));
  fx->bhh = save_new (fx->store, TEND_RECORD (bhh));
  store_test_save (fx->store, TEND_RECORD (aetna1));
  store_test_save (fx->store, TEND_RECORD (aetna2));

  tend_record_set_string (TEND_RECORD (ann), "insurance.payer", "  blue HARBOR   health ");
  tend_record_set_string (TEND_RECORD (ann), "insurance.member_number", "XJ 1");
  tend_record_set_string (TEND_RECORD (ann), "insurance.group_number", "G-7");
  tend_record_set_string (TEND_RECORD (ann), "insurance.subscriber", "Tom Smith");
  tend_record_set_string (TEND_RECORD (ann), "insurance.subscriber_relationship", "Husband");
  fx->ann = save_new (fx->store, TEND_RECORD (ann));
  fx->bob = client_with_insurance (fx->store, "Bob", "Sunrise Mutual", "SM-2");
  fx->cara = client_with_insurance (fx->store, "Cara", "Blue Harbor Health", "bh 3");
  {
    g_autoptr(TendPolicy) held = tend_policy_new (fx->cara, fx->bhh, "BH 3");

    tend_record_set_string (TEND_RECORD (held), "priority", "primary");
    tend_record_set_string (TEND_RECORD (held), "relationship", "self");
    store_test_save (fx->store, TEND_RECORD (held));
  }
  fx->dan = client_with_insurance (fx->store, "Dan", "aetna", "AE-4");
  fx->eve = save_new (fx->store, TEND_RECORD (eve));

  /* Eve filled in an intake form in the portal (saved here as tend-server
   * would have completed it). */
  form = tend_portal_form_new (fx->eve, TEND_PORTAL_FORM_INTAKE, NULL, "Contact and Insurance Details", NULL, fx->desk);
  details = json_from_string ("{\"phone_mobile\":\"555-0100\",\"insurance.payer\":\"Blue Harbor Health\","
                              "\"insurance.member_number\":\"EV-5\",\"insurance.group_number\":\"G-9\"}", NULL);
  tend_record_set_json (TEND_RECORD (form), "details", details);
  tend_record_set_string (TEND_RECORD (form), "status", "completed");
  tend_record_set_string (TEND_RECORD (form), "completed_at", "2026-12-01T15:00:00Z");
  fx->intake = save_new (fx->store, TEND_RECORD (form));
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  store_test_close (&fx->store);
  store_test_teardown (&fx->f, data);
  g_free (fx->desk);
  g_free (fx->maya);
  g_free (fx->bill);
  g_free (fx->bhh);
  g_free (fx->ann);
  g_free (fx->bob);
  g_free (fx->cara);
  g_free (fx->dan);
  g_free (fx->eve);
  g_free (fx->intake);
}

static TendInsuranceProposal *
find (GPtrArray  *pending,
      const char *source_id)
{
  for (guint i = 0; i < pending->len; i++)
    if (g_strcmp0 (((TendInsuranceProposal *) pending->pdata[i])->source_id, source_id) == 0)
      return pending->pdata[i];
  return NULL;
}

static guint
count_policies (Fixture    *fx,
                const char *client_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) held = tend_insurance_list_policies (fx->store, client_id, &error);

  g_assert_no_error (error);
  return held->len;
}

/* Before any conversion: each typed insurance is a proposal, matched by
 * name where exactly one active payer has it; Cara's is already a policy. */
static void
test_pending (Fixture      *fx,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = tend_insurance_list_pending (fx->store, NULL, &error);
  TendInsuranceProposal *p;

  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 4);
  p = find (pending, fx->ann);
  g_assert_nonnull (p);
  g_assert_false (p->from_intake);
  g_assert_cmpstr (p->payer_id, ==, fx->bhh);
  g_assert_null (find (pending, fx->bob)->payer_id);
  g_assert_null (find (pending, fx->dan)->payer_id);   /* "Aetna" and "AETNA": a person picks */
  g_assert_null (find (pending, fx->cara));
  p = find (pending, fx->intake);
  g_assert_nonnull (p);
  g_assert_true (p->from_intake);
  g_assert_cmpstr (p->client_id, ==, fx->eve);
  g_assert_cmpstr (p->member, ==, "EV-5");
  g_assert_cmpstr (p->payer_id, ==, fx->bhh);

  /* One client's. */
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tend_insurance_list_pending (fx->store, fx->eve, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpuint (tend_insurance_count_intake_pending (fx->store, &error), ==, 1);
  g_assert_no_error (error);
}

/* The front desk's workstation converts: Ann's becomes a policy with the
 * matched payer and her husband as subscriber; Bob's and Dan's stay
 * proposals ("needs a payer"), never dropped; the intake waits for a
 * person.  Once per store. */
static void
test_convert (Fixture      *fx,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(TendRecord) policy = NULL;
  g_autofree char *derived = tend_record_derive_id ("tend-policy", fx->ann, "client-insurance");
  guint n = 99;

  tend_store_set_actor (fx->store, fx->desk, TEND_ROLE_FRONT_DESK);
  g_assert_true (tend_insurance_convert (fx->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  policy = tend_store_load (fx->store, TEND_TYPE_POLICY, derived, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (policy, "client_id"), ==, fx->ann);
  g_assert_cmpstr (tend_record_get_string (policy, "payer_id"), ==, fx->bhh);
  g_assert_cmpstr (tend_record_get_string (policy, "member_id"), ==, "XJ 1");
  g_assert_cmpstr (tend_record_get_string (policy, "group_number"), ==, "G-7");
  g_assert_cmpstr (tend_record_get_string (policy, "priority"), ==, "primary");
  g_assert_cmpstr (tend_record_get_string (policy, "relationship"), ==, "spouse");
  g_assert_cmpstr (tend_record_get_string (policy, "subscriber.given"), ==, "Tom");
  g_assert_cmpstr (tend_record_get_string (policy, "subscriber.family"), ==, "Smith");
  /* Saved as the person: audited and queued for the server. */
  g_assert_cmpint (tend_store_query_int (fx->store, "SELECT count(*) FROM outbox WHERE record_id = ?1",
                                         derived, NULL, -1), ==, 1);
  g_assert_cmpuint (count_policies (fx, fx->bob), ==, 0);
  g_assert_cmpuint (count_policies (fx, fx->cara), ==, 1);

  pending = tend_insurance_list_pending (fx->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 3);
  g_assert_nonnull (find (pending, fx->bob));
  g_assert_nonnull (find (pending, fx->dan));
  g_assert_nonnull (find (pending, fx->intake));
  g_assert_null (find (pending, fx->ann));
  /* The typed text is still in the client record (kept for older peers). */
  {
    g_autoptr(TendRecord) bob = tend_store_load (fx->store, TEND_TYPE_CLIENT, fx->bob, &error);

    g_assert_cmpstr (tend_record_get_string (bob, "insurance.payer"), ==, "Sunrise Mutual");
  }

  /* Once per store: a payer added later does not convert Bob's by itself. */
  {
    g_autoptr(TendPayer) sunrise = tend_payer_new ("Sunrise Mutual", "SUN01", "CI");

    tend_store_set_actor (fx->store, NULL, 0);
    store_test_save (fx->store, TEND_RECORD (sunrise));
    tend_store_set_actor (fx->store, fx->bill, TEND_ROLE_BILLER);
    g_assert_true (tend_insurance_convert (fx->store, &n, &error));
    g_assert_cmpuint (n, ==, 0);
    g_clear_pointer (&pending, g_ptr_array_unref);
    pending = tend_insurance_list_pending (fx->store, fx->bob, &error);
    g_assert_cmpuint (pending->len, ==, 1);
    /* ...but the proposal now names it, for the biller to confirm. */
    g_assert_nonnull (((TendInsuranceProposal *) pending->pdata[0])->payer_id);
  }
}

/* A clinician may not write policies: the conversion refuses and writes
 * nothing; so does saving a policy. */
static void
test_convert_refused (Fixture      *fx,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendPolicy) policy = tend_policy_new (fx->bob, fx->bhh, "SM-2");
  guint n = 99;

  tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
  g_assert_false (tend_insurance_convert (fx->store, &n, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (count_policies (fx, fx->ann), ==, 0);
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (policy), "priority", "primary");
  tend_record_set_string (TEND_RECORD (policy), "relationship", "self");
  g_assert_false (tend_store_save (fx->store, TEND_RECORD (policy), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  /* The front desk and the biller may. */
  g_clear_error (&error);
  tend_store_set_actor (fx->store, fx->bill, TEND_ROLE_BILLER);
  g_assert_true (tend_store_save (fx->store, TEND_RECORD (policy), &error));
  g_assert_no_error (error);
}

/* The intake's insurance becomes a policy when a person saves the draft
 * (here with the payer matched): then it is no longer pending. */
static void
test_intake_draft (Fixture      *fx,
                   gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(TendRecord) draft = NULL;
  TendInsuranceProposal *p;

  tend_store_set_actor (fx->store, fx->desk, TEND_ROLE_FRONT_DESK);
  pending = tend_insurance_list_pending (fx->store, fx->eve, &error);
  g_assert_no_error (error);
  p = find (pending, fx->intake);
  draft = tend_insurance_proposal_to_policy (fx->store, p);
  g_assert_cmpstr (tend_record_get_string (draft, "relationship"), ==, "self");
  g_assert_cmpstr (tend_record_get_string (draft, "group_number"), ==, "G-9");
  g_assert_true (tend_store_save (fx->store, draft, &error));
  g_assert_no_error (error);
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tend_insurance_list_pending (fx->store, fx->eve, &error);
  g_assert_cmpuint (pending->len, ==, 0);
  g_assert_cmpuint (tend_insurance_count_intake_pending (fx->store, &error), ==, 0);

  /* Bob's has no payer: the draft is not valid until a person picks one. */
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = tend_insurance_list_pending (fx->store, fx->bob, &error);
  g_clear_object (&draft);
  draft = tend_insurance_proposal_to_policy (fx->store, pending->pdata[0]);
  g_assert_false (tend_store_save (fx->store, draft, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

/* A policy names a client and a payer this store holds: one typed from
 * elsewhere (another practice's id, a payer nobody made) is refused at
 * the save, as tend-server refuses it at the push. */
static void
test_references (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *ghost = g_uuid_string_random ();
  g_autoptr(TendPolicy) no_payer = tend_policy_new (fx->ann, ghost, "XJ 1");
  g_autoptr(TendPolicy) no_client = tend_policy_new (ghost, fx->bhh, "XJ 1");
  g_autoptr(TendPolicy) good = tend_policy_new (fx->ann, fx->bhh, "XJ 1");
  TendPolicy *policies[] = { no_payer, no_client, good };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      tend_record_set_string (TEND_RECORD (policies[i]), "priority", "primary");
      tend_record_set_string (TEND_RECORD (policies[i]), "relationship", "self");
    }
  tend_store_set_actor (fx->store, fx->desk, TEND_ROLE_FRONT_DESK);
  g_assert_false (tend_store_save (fx->store, TEND_RECORD (no_payer), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Payer"));
  g_clear_error (&error);
  g_assert_false (tend_store_save (fx->store, TEND_RECORD (no_client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "Client"));
  g_clear_error (&error);
  g_assert_null (tend_store_load (fx->store, TEND_TYPE_POLICY, tend_record_get_id (TEND_RECORD (no_payer)), NULL));
  g_assert_true (tend_store_save (fx->store, TEND_RECORD (good), &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/insurance/pending", Fixture, NULL, fixture_setup, test_pending, fixture_teardown);
  g_test_add ("/insurance/convert", Fixture, NULL, fixture_setup, test_convert, fixture_teardown);
  g_test_add ("/insurance/convert-refused", Fixture, NULL, fixture_setup, test_convert_refused, fixture_teardown);
  g_test_add ("/insurance/intake-draft", Fixture, NULL, fixture_setup, test_intake_draft, fixture_teardown);
  g_test_add ("/insurance/references", Fixture, NULL, fixture_setup, test_references, fixture_teardown);
  return g_test_run ();
}
