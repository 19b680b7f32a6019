/* SPDX-License-Identifier: GPL-3.0-or-later */
/* billing-fixture.h: a small practice with claims, for the X12 and PDF tests
 * (records only: the reports layer never sees the store). */
#pragma once

#include "tend-x12.h"

#define FX_CLIENT_SELF  "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define FX_CLIENT_CHILD "1b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f71"
#define FX_MAYA         "6f9619ff-8b86-4011-b42d-00c04fc964ff"
#define FX_PAYER        "9a1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define FX_POLICY_SELF  "2a1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a92"
#define FX_POLICY_CHILD "3a1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a93"
#define FX_CLAIM_1      "4a1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a94"
#define FX_CLAIM_2      "5a1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a95"

static inline TendPractice *
fx_practice (void)
{
  TendPractice *p = tend_practice_new ("Harbor Counseling, LLC", "America/New_York");

  tend_record_set_string (TEND_RECORD (p), "address.line1", "12 Harbor Street");
  tend_record_set_string (TEND_RECORD (p), "address.line2", "Suite 3");
  tend_record_set_string (TEND_RECORD (p), "address.city", "Portland");
  tend_record_set_string (TEND_RECORD (p), "address.region", "ME");
  tend_record_set_string (TEND_RECORD (p), "address.postal_code", "04101-1234");
  tend_record_set_string (TEND_RECORD (p), "phone", "(207) 555-0134");
  tend_record_set_string (TEND_RECORD (p), "email", "billing@harbor.example");
  return p;
}

static inline TendBillingSettings *
fx_settings (void)
{
  TendBillingSettings *s = tend_billing_settings_new ();

  tend_record_set_string (TEND_RECORD (s), "tax_id", "123456789");
  tend_record_set_string (TEND_RECORD (s), "billing_npi", "1234567893");
  tend_record_set_string (TEND_RECORD (s), "taxonomy", "101YM0800X");
  tend_record_set_string (TEND_RECORD (s), "submitter_id", "HARBOR01");
  tend_record_set_string (TEND_RECORD (s), "receiver_id", "CLEARHOUSE");
  tend_record_set_string (TEND_RECORD (s), "receiver_name", "Example Clearinghouse");
  return s;
}

static inline TendStaff *
fx_clinician (void)
{
  TendStaff *s = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);

  tend_record_set_id (TEND_RECORD (s), FX_MAYA);
  tend_record_set_string (TEND_RECORD (s), "credentials", "LCSW");
  tend_record_set_string (TEND_RECORD (s), "npi", "1987654328");
  return s;
}

static inline TendCharge *
fx_charge (const char *id,
           const char *client,
           const char *claim,
           const char *date,
           const char *code,
           const char *modifiers,
           const char *pos,
           const char *diagnoses,
           gint64      fee)
{
  TendCharge *c = tend_charge_new (client, FX_MAYA, TEND_CHARGE_MANUAL, date, fee);

  tend_record_set_id (TEND_RECORD (c), id);
  tend_record_set_string (TEND_RECORD (c), "service_code", code);
  tend_record_set_string (TEND_RECORD (c), "description", "Psychotherapy");
  tend_record_set_string (TEND_RECORD (c), "modifiers", modifiers);
  tend_record_set_string (TEND_RECORD (c), "place_of_service", pos);
  tend_record_set_string (TEND_RECORD (c), "diagnoses", diagnoses);
  tend_record_set_string (TEND_RECORD (c), "claim_id", claim);
  tend_record_set_int (TEND_RECORD (c), "responsibility", TEND_RESPONSIBILITY_INSURANCE);
  return c;
}

static inline TendX12Claim *
fx_claim_self (void)
{
  TendX12Claim *xc = g_new0 (TendX12Claim, 1);

  xc->client = tend_client_new ("Cara", "Lee");
  tend_record_set_id (TEND_RECORD (xc->client), FX_CLIENT_SELF);
  tend_record_set_string (TEND_RECORD (xc->client), "date_of_birth", "1988-07-14");
  tend_record_set_string (TEND_RECORD (xc->client), "address.line1", "4 Elm Road");
  tend_record_set_string (TEND_RECORD (xc->client), "address.city", "South Portland");
  tend_record_set_string (TEND_RECORD (xc->client), "address.region", "ME");
  tend_record_set_string (TEND_RECORD (xc->client), "address.postal_code", "04106");
  xc->payer = tend_payer_new ("Blue Harbor Health", "BHH01", "CI");
  tend_record_set_id (TEND_RECORD (xc->payer), FX_PAYER);
  xc->policy = tend_policy_new (FX_CLIENT_SELF, FX_PAYER, "XJ123456789");
  tend_record_set_id (TEND_RECORD (xc->policy), FX_POLICY_SELF);
  tend_record_set_string (TEND_RECORD (xc->policy), "group_number", "GRP-7781");
  xc->claim = tend_claim_new (FX_CLIENT_SELF, FX_POLICY_SELF, FX_PAYER, "TC00000001");
  tend_record_set_id (TEND_RECORD (xc->claim), FX_CLAIM_1);
  xc->rendering = fx_clinician ();
  xc->charges = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (xc->charges, fx_charge ("c1000000-0000-4000-8000-000000000001", FX_CLIENT_SELF, FX_CLAIM_1,
                                           "2026-03-03", "90834", NULL, "11", "F41.1", 15000));
  g_ptr_array_add (xc->charges, fx_charge ("c1000000-0000-4000-8000-000000000002", FX_CLIENT_SELF, FX_CLAIM_1,
                                           "2026-03-10", "90834", "95", "02", "F41.1 F32.9", 15000));
  g_ptr_array_add (xc->charges, fx_charge ("c1000000-0000-4000-8000-000000000003", FX_CLIENT_SELF, FX_CLAIM_1,
                                           "2026-03-10", "90785", NULL, "02", "F32.9", 2550));
  tend_record_set_int (TEND_RECORD (xc->claim), "total", 32550);
  return xc;
}

static inline TendX12Claim *
fx_claim_child (void)
{
  TendX12Claim *xc = g_new0 (TendX12Claim, 1);

  xc->client = tend_client_new ("Theo", "Ramírez-O’Neil");
  tend_record_set_id (TEND_RECORD (xc->client), FX_CLIENT_CHILD);
  tend_record_set_string (TEND_RECORD (xc->client), "date_of_birth", "2014-02-03");
  tend_record_set_string (TEND_RECORD (xc->client), "address.line1", "77 Fore St, Apt 2");
  tend_record_set_string (TEND_RECORD (xc->client), "address.city", "Portland");
  tend_record_set_string (TEND_RECORD (xc->client), "address.region", "ME");
  tend_record_set_string (TEND_RECORD (xc->client), "address.postal_code", "04101");
  xc->payer = tend_payer_new ("Blue Harbor Health", "BHH01", "CI");
  tend_record_set_id (TEND_RECORD (xc->payer), FX_PAYER);
  xc->policy = tend_policy_new (FX_CLIENT_CHILD, FX_PAYER, "XK987654321");
  tend_record_set_id (TEND_RECORD (xc->policy), FX_POLICY_CHILD);
  tend_record_set_int (TEND_RECORD (xc->policy), "relationship", TEND_RELATIONSHIP_CHILD);
  tend_record_set_string (TEND_RECORD (xc->policy), "subscriber.given", "Ana");
  tend_record_set_string (TEND_RECORD (xc->policy), "subscriber.family", "Ramírez");
  tend_record_set_string (TEND_RECORD (xc->policy), "subscriber.date_of_birth", "1983-11-30");
  tend_record_set_int (TEND_RECORD (xc->policy), "subscriber.sex", 1);
  xc->claim = tend_claim_new (FX_CLIENT_CHILD, FX_POLICY_CHILD, FX_PAYER, "TC00000002");
  tend_record_set_id (TEND_RECORD (xc->claim), FX_CLAIM_2);
  xc->rendering = fx_clinician ();
  xc->charges = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (xc->charges, fx_charge ("c2000000-0000-4000-8000-000000000001", FX_CLIENT_CHILD, FX_CLAIM_2,
                                           "2026-03-04", "90791", NULL, "11", "F90.0 F43.10", 22000));
  tend_record_set_int (TEND_RECORD (xc->claim), "total", 22000);
  return xc;
}

static inline TendX12Batch *
fx_batch (void)
{
  TendX12Batch *b = g_new0 (TendX12Batch, 1);

  b->practice = fx_practice ();
  b->settings = fx_settings ();
  b->interchange = 42;
  b->created = g_date_time_new_utc (2026, 4, 1, 14, 5, 0);
  b->claims = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_x12_claim_free);
  g_ptr_array_add (b->claims, fx_claim_self ());
  g_ptr_array_add (b->claims, fx_claim_child ());
  return b;
}

static inline void
fx_batch_free (TendX12Batch *b)
{
  g_object_unref (b->practice);
  g_object_unref (b->settings);
  g_date_time_unref (b->created);
  g_ptr_array_unref (b->claims);
  g_free (b);
}
