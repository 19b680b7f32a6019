/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-billing-types.c: billing records, their validation, codes and fee rules */
#include "config.h"

#include <string.h>

#include "tend-core.h"

#define CLIENT_ID    "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define CLINICIAN_ID "6f9619ff-8b86-4011-b42d-00c04fc964ff"
#define APPT_ID      "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define PAYER_ID     "9a1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"

static void
assert_invalid (TendRecord *record,
                const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tend_record_validate (record, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
assert_valid (TendRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_record_validate (record, &error));
  g_assert_no_error (error);
}

static void
test_codes (void)
{
  g_assert_true (tend_cpt_code_is_valid ("90834"));
  g_assert_true (tend_cpt_code_is_valid ("0362T"));
  g_assert_true (tend_cpt_code_is_valid ("H0031"));
  g_assert_false (tend_cpt_code_is_valid ("9083"));
  g_assert_false (tend_cpt_code_is_valid ("908345"));
  g_assert_false (tend_cpt_code_is_valid ("9o834"));
  g_assert_false (tend_cpt_code_is_valid ("ABCDE"));
  g_assert_false (tend_cpt_code_is_valid (NULL));

  g_assert_true (tend_icd10_code_is_valid ("F41.1"));
  g_assert_true (tend_icd10_code_is_valid ("F32.A"));
  g_assert_true (tend_icd10_code_is_valid ("F43.10"));
  g_assert_true (tend_icd10_code_is_valid ("Z63"));
  g_assert_false (tend_icd10_code_is_valid ("F41."));
  g_assert_false (tend_icd10_code_is_valid ("F411"));
  g_assert_false (tend_icd10_code_is_valid ("f41.1"));
  /* U codes are ICD-10-CM special-purpose codes (U07.1, COVID-19): valid. */
  g_assert_true (tend_icd10_code_is_valid ("U07.1"));
  g_assert_false (tend_icd10_code_is_valid ("F41.12345"));
  {
    g_autofree char *x12 = tend_icd10_code_for_x12 ("F43.10");
    g_assert_cmpstr (x12, ==, "F4310");
  }

  g_assert_true (tend_modifier_is_valid ("95"));
  g_assert_true (tend_modifier_is_valid ("GT"));
  g_assert_false (tend_modifier_is_valid ("gt"));
  g_assert_false (tend_modifier_is_valid ("9"));
  g_assert_true (tend_place_of_service_is_valid ("02"));
  g_assert_false (tend_place_of_service_is_valid ("00"));
  g_assert_false (tend_place_of_service_is_valid ("2"));
  g_assert_true (tend_claim_filing_is_valid ("CI"));
  g_assert_false (tend_claim_filing_is_valid ("XX"));
  g_assert_true (tend_carc_is_valid ("45"));
  g_assert_true (tend_carc_is_valid ("B7"));
  g_assert_false (tend_carc_is_valid ("123456"));
  g_assert_false (tend_carc_is_valid (""));
}

static void
test_scale (void)
{
  /* Hand-computed: half up to the cent. */
  g_assert_cmpint (tend_money_scale_percent (15000, 100), ==, 15000);
  g_assert_cmpint (tend_money_scale_percent (15000, 33), ==, 4950);
  g_assert_cmpint (tend_money_scale_percent (99, 33), ==, 33);     /* 32.67 */
  g_assert_cmpint (tend_money_scale_percent (101, 50), ==, 51);    /* 50.5 */
  g_assert_cmpint (tend_money_scale_percent (12345, 0), ==, 0);
  g_assert_cmpint (tend_money_scale_percent (G_GINT64_CONSTANT (100000000), 99), ==, G_GINT64_CONSTANT (99000000));
}

static void
test_service (void)
{
  g_autoptr(TendService) service = tend_service_new ("90834", "Psychotherapy, 45 minutes", 45, 15000);

  assert_valid (TEND_RECORD (service));
  g_assert_cmpint (tend_service_get_fee (service), ==, 15000);
  tend_record_set_string (TEND_RECORD (service), "code", "9083");
  assert_invalid (TEND_RECORD (service), "CPT");
  tend_record_set_string (TEND_RECORD (service), "code", "90834");
  tend_record_set_int (TEND_RECORD (service), "fee", -1);
  assert_invalid (TEND_RECORD (service), "Fee");
}

static TendCharge *
session_charge (void)
{
  TendCharge *charge = tend_charge_new (CLIENT_ID, CLINICIAN_ID, TEND_CHARGE_SESSION, "2026-03-02", 15000);

  tend_record_set_string (TEND_RECORD (charge), "appointment_id", APPT_ID);
  tend_record_set_string (TEND_RECORD (charge), "service_code", "90834");
  return charge;
}

static void
test_charge (void)
{
  g_autoptr(TendCharge) charge = session_charge ();
  g_autoptr(GError) error = NULL;

  assert_valid (TEND_RECORD (charge));
  tend_record_set_int (TEND_RECORD (charge), "units", 3);
  g_assert_cmpint (tend_charge_get_amount (charge), ==, 45000);
  tend_record_set_int (TEND_RECORD (charge), "units", 0);
  assert_invalid (TEND_RECORD (charge), "Units");
  tend_record_set_int (TEND_RECORD (charge), "units", 1);

  tend_record_set_string (TEND_RECORD (charge), "modifiers", "95 GT");
  assert_valid (TEND_RECORD (charge));
  tend_record_set_string (TEND_RECORD (charge), "modifiers", "95 G");
  assert_invalid (TEND_RECORD (charge), "“G”");
  tend_record_set_string (TEND_RECORD (charge), "modifiers", "95 GT HJ UK");
  assert_valid (TEND_RECORD (charge));
  tend_record_set_string (TEND_RECORD (charge), "modifiers", NULL);

  tend_record_set_string (TEND_RECORD (charge), "diagnoses", "F41.1 F32.9");
  assert_valid (TEND_RECORD (charge));
  tend_record_set_string (TEND_RECORD (charge), "diagnoses", "F41.1 4111");
  assert_invalid (TEND_RECORD (charge), "“4111”");
  tend_record_set_string (TEND_RECORD (charge), "diagnoses", "F41.1 F32.9 F43.10 Z63.0 F90.0");
  assert_invalid (TEND_RECORD (charge), "“F90.0”");
  tend_record_set_string (TEND_RECORD (charge), "diagnoses", "F41.1");

  tend_record_set_string (TEND_RECORD (charge), "appointment_id", NULL);
  assert_invalid (TEND_RECORD (charge), "appointment");
  tend_record_set_string (TEND_RECORD (charge), "appointment_id", APPT_ID);

  tend_record_set_string (TEND_RECORD (charge), "place_of_service", "1");
  assert_invalid (TEND_RECORD (charge), "Place of service");
  tend_record_set_string (TEND_RECORD (charge), "place_of_service", "11");

  /* Void: with a reason, once; the line then counts for nothing. */
  g_assert_false (tend_charge_void (charge, "", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tend_charge_void (charge, "Entered twice", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_charge_get_amount (charge), ==, 0);
  assert_valid (TEND_RECORD (charge));
  g_assert_false (tend_charge_void (charge, "Again", &error));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (charge), "void_reason", NULL);
  assert_invalid (TEND_RECORD (charge), "Reason for voiding");
}

static void
test_manual_charge (void)
{
  g_autoptr(TendCharge) charge = tend_charge_new (CLIENT_ID, CLINICIAN_ID, TEND_CHARGE_MANUAL, "2026-03-02", 2500);

  assert_invalid (TEND_RECORD (charge), "Description");
  tend_record_set_string (TEND_RECORD (charge), "description", "Records copy");
  assert_valid (TEND_RECORD (charge));
  tend_record_set_int (TEND_RECORD (charge), "responsibility", TEND_RESPONSIBILITY_INSURANCE);
  assert_invalid (TEND_RECORD (charge), "insurance charge needs a service code");
}

static void
test_payment (void)
{
  g_autoptr(TendPayment) payment = tend_payment_new (CLIENT_ID, TEND_PAYMENT_PAYMENT, TEND_PAYMENT_CARD, 5000, "2026-03-02");

  assert_valid (TEND_RECORD (payment));
  tend_record_set_int (TEND_RECORD (payment), "amount", 0);
  assert_invalid (TEND_RECORD (payment), "Amount");
  tend_record_set_int (TEND_RECORD (payment), "amount", 5000);
  tend_record_set_int (TEND_RECORD (payment), "method", TEND_PAYMENT_INSURANCE);
  assert_invalid (TEND_RECORD (payment), "payer");
  tend_record_set_string (TEND_RECORD (payment), "payer_id", PAYER_ID);
  assert_valid (TEND_RECORD (payment));
  tend_record_set_string (TEND_RECORD (payment), "payer_id", NULL);
  tend_record_set_int (TEND_RECORD (payment), "method", TEND_PAYMENT_CASH);
  tend_record_set_int (TEND_RECORD (payment), "kind", TEND_PAYMENT_CREDIT);
  assert_invalid (TEND_RECORD (payment), "no money");
  tend_record_set_int (TEND_RECORD (payment), "method", TEND_PAYMENT_NONE);
  assert_valid (TEND_RECORD (payment));
  tend_record_set_string (TEND_RECORD (payment), "client_id", NULL);
  assert_invalid (TEND_RECORD (payment), "client or a payer");
}

static void
test_payer_policy_claim (void)
{
  g_autoptr(TendPayer) payer = tend_payer_new ("Blue Harbor Health", "BHH01", "CI");
  g_autoptr(TendPolicy) policy = tend_policy_new (CLIENT_ID, PAYER_ID, "XJ123456789");
  g_autoptr(TendClaim) claim = tend_claim_new (CLIENT_ID, APPT_ID, PAYER_ID, "TC00000001");

  assert_valid (TEND_RECORD (payer));
  tend_record_set_string (TEND_RECORD (payer), "claim_filing", "ZQ");
  assert_invalid (TEND_RECORD (payer), "Claim filing indicator");

  assert_valid (TEND_RECORD (policy));
  tend_record_set_int (TEND_RECORD (policy), "relationship", TEND_RELATIONSHIP_CHILD);
  assert_invalid (TEND_RECORD (policy), "Subscriber");
  tend_record_set_string (TEND_RECORD (policy), "subscriber.given", "Dana");
  tend_record_set_string (TEND_RECORD (policy), "subscriber.family", "Reyes");
  assert_valid (TEND_RECORD (policy));
  tend_record_set_string (TEND_RECORD (policy), "effective_from", "2026-01-01");
  tend_record_set_string (TEND_RECORD (policy), "effective_to", "2025-12-31");
  assert_invalid (TEND_RECORD (policy), "Effective until");
  tend_record_set_string (TEND_RECORD (policy), "effective_to", "2026-12-31");
  g_assert_true (tend_policy_covers (policy, "2026-01-01"));
  g_assert_true (tend_policy_covers (policy, "2026-12-31"));
  g_assert_false (tend_policy_covers (policy, "2027-01-01"));
  g_assert_false (tend_policy_covers (policy, "2025-12-31"));

  assert_valid (TEND_RECORD (claim));
  tend_record_set_int (TEND_RECORD (claim), "status", TEND_CLAIM_SUBMITTED);
  assert_invalid (TEND_RECORD (claim), "Interchange");
  tend_record_set_int (TEND_RECORD (claim), "interchange", 7);
  assert_valid (TEND_RECORD (claim));
  tend_record_set_string (TEND_RECORD (claim), "control_number", "TC 1");
  assert_invalid (TEND_RECORD (claim), "Claim number");
}

static void
test_settings_rules (void)
{
  g_autoptr(TendBillingSettings) settings = tend_billing_settings_new ();
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  assert_valid (TEND_RECORD (settings));
  /* Defaults: 95 for telehealth; POS 02 for telehealth, 11 in the office. */
  g_assert_cmpstr (tend_billing_settings_place_of_service (settings, TRUE), ==, "02");
  g_assert_cmpstr (tend_billing_settings_place_of_service (settings, FALSE), ==, "11");
  a = tend_billing_settings_modifiers (settings, TRUE, NULL);
  g_assert_cmpstr (a, ==, "95");
  b = tend_billing_settings_modifiers (settings, FALSE, NULL);
  g_assert_null (b);
  c = tend_billing_settings_modifiers (settings, TRUE, "HJ");
  g_assert_cmpstr (c, ==, "HJ 95");

  tend_record_set_int (TEND_RECORD (settings), "telehealth_modifier", 1);
  tend_record_set_string (TEND_RECORD (settings), "telehealth_pos", "10");
  g_assert_cmpstr (tend_billing_settings_place_of_service (settings, TRUE), ==, "10");
  d = tend_billing_settings_modifiers (settings, TRUE, "GT");
  g_assert_cmpstr (d, ==, "GT");
  tend_record_set_int (TEND_RECORD (settings), "telehealth_modifier", 2);
  g_assert_null (tend_billing_settings_telehealth_modifier (settings));

  tend_record_set_string (TEND_RECORD (settings), "tax_id", "12-3456789");
  assert_invalid (TEND_RECORD (settings), "Tax ID");
  tend_record_set_string (TEND_RECORD (settings), "tax_id", "123456789");
  assert_valid (TEND_RECORD (settings));
  tend_record_set_string (TEND_RECORD (settings), "billing_npi", "1234567890");
  assert_invalid (TEND_RECORD (settings), "NPI");
}

static void
test_round_trip (void)
{
  g_autoptr(TendCharge) charge = session_charge ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TendRecord) copy = NULL;
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (charge), "diagnoses", "F41.1");
  tend_record_set_int (TEND_RECORD (charge), "responsibility", TEND_RESPONSIBILITY_INSURANCE);
  node = tend_record_to_json (TEND_RECORD (charge));
  copy = tend_record_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (TEND_IS_CHARGE (copy));
  g_assert_cmpint (tend_charge_get_amount (TEND_CHARGE (copy)), ==, 15000);
  g_assert_cmpint (tend_charge_get_responsibility (TEND_CHARGE (copy)), ==, TEND_RESPONSIBILITY_INSURANCE);
  g_assert_cmpstr (tend_record_get_string (copy, "diagnoses"), ==, "F41.1");
}

static void
test_sliding_scale_field (void)
{
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");

  g_assert_cmpint (tend_record_get_int (TEND_RECORD (client), "billing.fee_percent"), ==, 100);
  tend_record_set_int (TEND_RECORD (client), "billing.fee_percent", 101);
  assert_invalid (TEND_RECORD (client), "Sliding scale");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/billing-types/codes", test_codes);
  g_test_add_func ("/billing-types/scale", test_scale);
  g_test_add_func ("/billing-types/service", test_service);
  g_test_add_func ("/billing-types/charge", test_charge);
  g_test_add_func ("/billing-types/manual-charge", test_manual_charge);
  g_test_add_func ("/billing-types/payment", test_payment);
  g_test_add_func ("/billing-types/payer-policy-claim", test_payer_policy_claim);
  g_test_add_func ("/billing-types/settings-rules", test_settings_rules);
  g_test_add_func ("/billing-types/round-trip", test_round_trip);
  g_test_add_func ("/billing-types/sliding-scale-field", test_sliding_scale_field);
  return g_test_run ();
}
