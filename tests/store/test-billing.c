/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-billing.c: charges from sessions, payments and allocation, balances,
 * aging, roles, claims and remittance posting, against hand-computed cases */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "store-test-util.h"
#include "tend-billing.h"
#include "tend-chart.h"
#include "tend-schedule.h"

typedef struct
{
  StoreFixture f;
  TendStore   *store;
  char        *maya;     /* clinician */
  char        *daniel;   /* clinician with his own fee for 90834 */
  char        *rosa;     /* front desk */
  char        *bill;     /* biller */
  char        *payer;
  char        *ann;      /* self-pay, Maya's client */
  char        *bob;      /* sliding scale 50 %, Daniel's client */
  char        *cara;     /* insured, Maya's client */
  char        *cara_policy;
  guint        hour;     /* spreads appointments so they never conflict */
} Fixture;

static char *
save_new (TendStore  *store,
          TendRecord *record)
{
  store_test_save (store, record);
  return g_strdup (tend_record_get_id (record));
}

static void
fixture_setup (Fixture      *fx,
               gconstpointer data)
{
  g_autoptr(TendPractice) practice = tend_practice_new ("Harbor Counseling", "America/New_York");
  g_autoptr(TendBillingSettings) settings = tend_billing_settings_new ();
  g_autoptr(TendStaff) maya = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);
  g_autoptr(TendStaff) daniel = tend_staff_new ("Daniel", "Reyes", TEND_ROLE_CLINICIAN);
  g_autoptr(TendStaff) rosa = tend_staff_new ("Rosa", "Diaz", TEND_ROLE_FRONT_DESK);
  g_autoptr(TendStaff) bill = tend_staff_new ("Bill", "Ng", TEND_ROLE_BILLER);
  g_autoptr(TendClient) ann = tend_client_new ("Ann", "Smith");
  g_autoptr(TendClient) bob = tend_client_new ("Bob", "Jones");
  g_autoptr(TendClient) cara = tend_client_new ("Cara", "Lee");
  g_autoptr(TendPayer) payer = tend_payer_new ("Blue Harbor Health", "BHH01", "CI");
  g_autoptr(TendPolicy) policy = NULL;
  static const struct { const char *code, *text; guint minutes; gint64 fee; } services[] = {
    { "90834", "Therapy, 45 min", 45, 15000 },
    { "90837", "Therapy, 60 min", 60, 20000 },
    { "90791", "Intake assessment", 60, 22000 },
  };

  store_test_setup (&fx->f, data);
  fx->store = store_test_open (&fx->f);
  store_test_save (fx->store, TEND_RECORD (practice));
  tend_record_set_int (TEND_RECORD (settings), "no_show_fee", 7500);
  tend_record_set_int (TEND_RECORD (settings), "late_cancel_fee", 5000);
  store_test_save (fx->store, TEND_RECORD (settings));
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      g_autoptr(TendService) s = tend_service_new (services[i].code, services[i].text, services[i].minutes, services[i].fee);
      store_test_save (fx->store, TEND_RECORD (s));
    }
  fx->maya = save_new (fx->store, TEND_RECORD (maya));
  fx->daniel = save_new (fx->store, TEND_RECORD (daniel));
  fx->rosa = save_new (fx->store, TEND_RECORD (rosa));
  fx->bill = save_new (fx->store, TEND_RECORD (bill));
  {
    g_autoptr(TendServiceFee) fee = tend_service_fee_new ("90834", fx->daniel, 17500);
    store_test_save (fx->store, TEND_RECORD (fee));
  }
  tend_record_set_string (TEND_RECORD (ann), "primary_clinician_id", fx->maya);
  tend_record_set_string (TEND_RECORD (bob), "primary_clinician_id", fx->daniel);
  tend_record_set_int (TEND_RECORD (bob), "billing.fee_percent", 50);
  tend_record_set_string (TEND_RECORD (cara), "primary_clinician_id", fx->maya);
  tend_record_set_int (TEND_RECORD (cara), "billing.fee_percent", 50);  /* ignored for insurance */
  fx->ann = save_new (fx->store, TEND_RECORD (ann));
  fx->bob = save_new (fx->store, TEND_RECORD (bob));
  fx->cara = save_new (fx->store, TEND_RECORD (cara));
  fx->payer = save_new (fx->store, TEND_RECORD (payer));
  policy = tend_policy_new (fx->cara, fx->payer, "XJ123456789");
  tend_record_set_string (TEND_RECORD (policy), "effective_from", "2025-01-01");
  fx->cara_policy = save_new (fx->store, TEND_RECORD (policy));
}

static void
fixture_teardown (Fixture      *fx,
                  gconstpointer data)
{
  store_test_close (&fx->store);
  g_free (fx->maya);
  g_free (fx->daniel);
  g_free (fx->rosa);
  g_free (fx->bill);
  g_free (fx->payer);
  g_free (fx->ann);
  g_free (fx->bob);
  g_free (fx->cara);
  g_free (fx->cara_policy);
  store_test_teardown (&fx->f, data);
}

/* A session on @date (at 10:00 + n hours, New York) moved to @status;
 * with @id, under that id instead of a new one. */
static TendAppointment *
session_with_id (Fixture              *fx,
                 const char           *id,
                 const char           *clinician,
                 const char           *client,
                 const char           *date,
                 const char           *code,
                 gboolean              telehealth,
                 TendAppointmentStatus status)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");
  g_auto(GStrv) ymd = g_strsplit (date, "-", 3);
  g_autoptr(GDateTime) start = g_date_time_new (zone, atoi (ymd[0]), atoi (ymd[1]), atoi (ymd[2]),
                                                8 + (fx->hour++ % 10), 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 45);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TendAppointment *a = tend_appointment_new (clinician, start, end);
  g_autoptr(GError) error = NULL;

  if (id != NULL)
    tend_record_set_id (TEND_RECORD (a), id);
  tend_record_set_string (TEND_RECORD (a), "client_id", client);
  tend_record_set_string (TEND_RECORD (a), "service_code", code);
  tend_record_set_int (TEND_RECORD (a), "modality", telehealth ? TEND_MODALITY_TELEHEALTH : TEND_MODALITY_IN_PERSON);
  g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_no_error (error);
  if (status == TEND_APPOINTMENT_COMPLETED)
    {
      g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_ARRIVED, NULL, now, &error));
      g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
    }
  if (status != TEND_APPOINTMENT_SCHEDULED)
    {
      g_assert_true (tend_appointment_set_status (a, status, "Client called", now, &error));
      g_assert_no_error (error);
      g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
      g_assert_no_error (error);
    }
  return a;
}

static TendAppointment *
session (Fixture              *fx,
         const char           *clinician,
         const char           *client,
         const char           *date,
         const char           *code,
         gboolean              telehealth,
         TendAppointmentStatus status)
{
  return session_with_id (fx, NULL, clinician, client, date, code, telehealth, status);
}

static gint64
count (Fixture    *fx,
       const char *sql)
{
  return store_test_query_int (&fx->f, sql);
}

static TendCharge *
charge_of (Fixture         *fx,
           TendAppointment *a,
           TendChargeKind   kind)
{
  g_autofree char *id = tend_billing_charge_id_for (tend_record_get_id (TEND_RECORD (a)), kind);

  return TEND_CHARGE (tend_store_load (fx->store, TEND_TYPE_CHARGE, id, NULL));
}

#define ADD_CHARGE(fx, client, date, fee) add_charge (fx, client, date, fee, NULL)

static char *
add_charge (Fixture    *fx,
            const char *client,
            const char *date,
            gint64      fee,
            const char *diagnoses)
{
  g_autoptr(TendCharge) c = tend_charge_new (client, fx->maya, TEND_CHARGE_MANUAL, date, fee);
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (c), "service_code", "90834");
  tend_record_set_string (TEND_RECORD (c), "description", "Therapy, 45 min");
  tend_record_set_string (TEND_RECORD (c), "diagnoses", diagnoses);
  g_assert_true (tend_billing_save_charge (fx->store, c, &error));
  g_assert_no_error (error);
  return g_strdup (tend_record_get_id (TEND_RECORD (c)));
}

static char *
pay (Fixture    *fx,
     const char *client,
     const char *date,
     gint64      amount,
     gboolean    allocate)
{
  g_autoptr(TendPayment) p = tend_payment_new (client, TEND_PAYMENT_PAYMENT, TEND_PAYMENT_CARD, amount, date);
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_billing_record_payment (fx->store, p, allocate, &error));
  g_assert_no_error (error);
  return g_strdup (tend_record_get_id (TEND_RECORD (p)));
}

static TendBalance
balance_of (Fixture    *fx,
            const char *client)
{
  TendBalance b;
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_billing_client_balance (fx->store, client, &b, &error));
  g_assert_no_error (error);
  return b;
}

/* Charge generation */

static void
test_session_charges (Fixture      *fx,
                      gconstpointer data)
{
  g_autoptr(TendAppointment) a = session (fx, fx->maya, fx->ann, "2026-03-02", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendAppointment) b = session (fx, fx->daniel, fx->bob, "2026-03-02", "90834", TRUE, TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendAppointment) c = session (fx, fx->maya, fx->cara, "2026-03-03", "90837", FALSE, TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendCharge) ca = charge_of (fx, a, TEND_CHARGE_SESSION);
  g_autoptr(TendCharge) cb = charge_of (fx, b, TEND_CHARGE_SESSION);
  g_autoptr(TendCharge) cc = charge_of (fx, c, TEND_CHARGE_SESSION);
  g_autoptr(GError) error = NULL;

  /* Ann: the catalogue fee, in the office (POS 11), no modifier. */
  g_assert_nonnull (ca);
  g_assert_cmpint (tend_charge_get_amount (ca), ==, 15000);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (ca), "place_of_service"), ==, "11");
  g_assert_null (tend_record_get_string (TEND_RECORD (ca), "modifiers"));
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (ca), "service_date"), ==, "2026-03-02");
  g_assert_cmpint (tend_charge_get_responsibility (ca), ==, TEND_RESPONSIBILITY_CLIENT);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (ca), "clinician_id"), ==, fx->maya);

  /* Bob: Daniel's own fee 175.00 at Bob's 50 % = 87.50, telehealth 95 / POS 02. */
  g_assert_cmpint (tend_charge_get_amount (cb), ==, 8750);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (cb), "modifiers"), ==, "95");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (cb), "place_of_service"), ==, "02");

  /* Cara: insured, so the full fee (no sliding scale on a claim). */
  g_assert_cmpint (tend_charge_get_amount (cc), ==, 20000);
  g_assert_cmpint (tend_charge_get_responsibility (cc), ==, TEND_RESPONSIBILITY_INSURANCE);

  /* Saving the completed session again makes no second charge. */
  g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 3);
  g_assert_cmpint (count (fx, "SELECT sum(amount) FROM charge"), ==, 15000 + 8750 + 20000);
  /* Each in the outbox and the audit log. */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM outbox WHERE record_type = 'charge'"), ==, 3);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM audit_log WHERE record_type = 'charge' AND action = 'create'"), ==, 3);
}

/* A session made now (a version 8 id) gets a charge whose id begins with
 * the session's first 48 bits; one made before (version 4 or 7 ids) keeps
 * the name-based id its charges always had, so a charge already made or
 * synced is found again and not doubled.  The store's record policy
 * accepts both (it derives the id the same way). */
static void
test_session_charge_ids (Fixture      *fx,
                         gconstpointer data)
{
  g_autofree char *v7 = tend_uuid_new_time_ordered ();
  g_autofree char *v4 = g_uuid_string_random ();
  g_autoptr(TendAppointment) now = session (fx, fx->maya, fx->ann, "2026-03-02", "90834", FALSE,
                                            TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendAppointment) before = session_with_id (fx, v7, fx->maya, fx->bob, "2026-03-02", "90834", FALSE,
                                                       TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendAppointment) older = session_with_id (fx, v4, fx->daniel, fx->bob, "2026-03-03", "90834", FALSE,
                                                      TEND_APPOINTMENT_NO_SHOW);
  const char *now_id = tend_record_get_id (TEND_RECORD (now));
  g_autoptr(TendCharge) c_now = charge_of (fx, now, TEND_CHARGE_SESSION);
  g_autoptr(TendCharge) c_before = charge_of (fx, before, TEND_CHARGE_SESSION);
  g_autoptr(TendCharge) c_older = charge_of (fx, older, TEND_CHARGE_NO_SHOW);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (now_id[14], ==, '8');
  g_assert_nonnull (c_now);
  g_assert_cmpint (strncmp (tend_record_get_id (TEND_RECORD (c_now)), now_id, 13), ==, 0);
  g_assert_cmpint (tend_record_get_id (TEND_RECORD (c_now))[14], ==, '8');
  g_assert_nonnull (c_before);
  g_assert_cmpint (tend_record_get_id (TEND_RECORD (c_before))[14], ==, '5');
  g_assert_nonnull (c_older);
  g_assert_cmpint (tend_record_get_id (TEND_RECORD (c_older))[14], ==, '5');
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 3);

  /* Saved again, each session finds its charge: none is made twice. */
  g_assert_true (tend_schedule_save_appointment (fx->store, now, NULL, &error));
  g_assert_true (tend_schedule_save_appointment (fx->store, before, NULL, &error));
  g_assert_true (tend_schedule_save_appointment (fx->store, older, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 3);
  /* And each charge can still be edited through the policy's check. */
  tend_record_set_string (TEND_RECORD (c_before), "description", "Therapy, 45 minutes");
  g_assert_true (tend_billing_save_charge (fx->store, c_before, &error));
  g_assert_no_error (error);
  tend_record_set_string (TEND_RECORD (c_now), "description", "Therapy, 45 minutes");
  g_assert_true (tend_billing_save_charge (fx->store, c_now, &error));
  g_assert_no_error (error);
}

static void
test_missed_session_fees (Fixture      *fx,
                          gconstpointer data)
{
  g_autoptr(TendAppointment) ns = session (fx, fx->maya, fx->ann, "2026-03-04", "90834", FALSE, TEND_APPOINTMENT_NO_SHOW);
  g_autoptr(TendAppointment) lc = session (fx, fx->maya, fx->cara, "2026-03-05", "90834", FALSE, TEND_APPOINTMENT_LATE_CANCELLED);
  g_autoptr(TendAppointment) cx = session (fx, fx->maya, fx->ann, "2026-03-06", "90834", FALSE, TEND_APPOINTMENT_CANCELLED);
  g_autoptr(TendAppointment) sc = session (fx, fx->maya, fx->ann, "2026-03-07", "90834", FALSE, TEND_APPOINTMENT_SCHEDULED);
  g_autoptr(TendCharge) c1 = charge_of (fx, ns, TEND_CHARGE_NO_SHOW);
  g_autoptr(TendCharge) c2 = charge_of (fx, lc, TEND_CHARGE_LATE_CANCEL);

  g_assert_cmpint (tend_charge_get_amount (c1), ==, 7500);
  g_assert_cmpint (tend_charge_get_kind (c1), ==, TEND_CHARGE_NO_SHOW);
  /* The insured client pays a late cancellation herself. */
  g_assert_cmpint (tend_charge_get_amount (c2), ==, 5000);
  g_assert_cmpint (tend_charge_get_responsibility (c2), ==, TEND_RESPONSIBILITY_CLIENT);
  g_assert_null (tend_record_get_string (TEND_RECORD (c2), "service_code"));
  /* A plain cancellation and a scheduled session cost nothing. */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 2);
}

static void
test_no_fees_when_not_charged (Fixture      *fx,
                               gconstpointer data)
{
  g_autoptr(TendBillingSettings) settings = tend_billing_load_settings (fx->store, NULL);
  g_autoptr(TendAppointment) ns = NULL;

  tend_record_set_int (TEND_RECORD (settings), "no_show_fee", 0);
  store_test_save (fx->store, TEND_RECORD (settings));
  ns = session (fx, fx->maya, fx->ann, "2026-03-04", "90834", FALSE, TEND_APPOINTMENT_NO_SHOW);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 0);
}

static void
test_charge_on_note_signed (Fixture      *fx,
                            gconstpointer data)
{
  g_autoptr(TendBillingSettings) settings = tend_billing_load_settings (fx->store, NULL);
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(GError) error = NULL;

  tend_record_set_int (TEND_RECORD (settings), "charge_on", TEND_CHARGE_ON_NOTE_SIGNED);
  store_test_save (fx->store, TEND_RECORD (settings));
  a = session (fx, fx->maya, fx->ann, "2026-03-02", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 0);
  g_assert_true (tend_billing_note_signed (fx->store, tend_record_get_id (TEND_RECORD (a)), &error));
  g_assert_no_error (error);
  g_assert_true (tend_billing_note_signed (fx->store, tend_record_get_id (TEND_RECORD (a)), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT sum(amount) FROM charge"), ==, 15000);

  /* Signing the session's note is what makes it: the chart calls it. */
  {
    g_autoptr(TendAppointment) b = session (fx, fx->maya, fx->ann, "2026-03-09", "90834", FALSE,
                                            TEND_APPOINTMENT_COMPLETED);
    g_autoptr(TendClinicalNote) note = tend_clinical_note_new (fx->ann, fx->maya, TEND_NOTE_TEMPLATE_SOAP);
    g_autoptr(TendClinicalNote) signed_note = NULL;

    tend_record_set_string (TEND_RECORD (note), "appointment_id", tend_record_get_id (TEND_RECORD (b)));
    tend_clinical_note_set_section (note, "subjective", "Better sleep.");
    tend_clinical_note_set_section (note, "assessment", "Improving.");
    tend_clinical_note_set_section (note, "plan", "Weekly.");
    g_assert_true (tend_chart_save_note (fx->store, note, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 1);
    signed_note = tend_chart_sign_note (fx->store, tend_record_get_id (TEND_RECORD (note)), &error);
    g_assert_no_error (error);
    g_assert_nonnull (signed_note);
    g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 2);
  }
}

static void
test_clinician_completes_session (Fixture      *fx,
                                  gconstpointer data)
{
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(TendCharge) manual = tend_charge_new (fx->ann, fx->maya, TEND_CHARGE_MANUAL, "2026-03-02", 100);
  g_autoptr(GError) error = NULL;
  TendBalance b;

  /* The charge follows from the clinician's allowed change... */
  tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
  a = session (fx, fx->maya, fx->ann, "2026-03-02", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM audit_log WHERE record_type = 'charge'"), ==, 1);
  /* ...but the clinician cannot charge by hand, nor see others' clients. */
  tend_record_set_string (TEND_RECORD (manual), "description", "Letter");
  g_assert_false (tend_billing_save_charge (fx->store, manual, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (tend_store_save (fx->store, TEND_RECORD (manual), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (tend_billing_client_balance (fx->store, fx->ann, &b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (b.balance, ==, 15000);
  g_assert_false (tend_billing_client_balance (fx->store, fx->bob, &b, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

static void
test_unbilled_session (Fixture      *fx,
                       gconstpointer data)
{
  g_autoptr(TendAppointment) a = session (fx, fx->maya, fx->ann, "2026-03-02", NULL, FALSE, TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendAppointment) b = session (fx, fx->maya, fx->cara, "2026-03-03", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 1);
  table = tend_billing_report_unbilled (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 2);
  g_assert_cmpstr (tend_table_get (table, 0, 0), ==, "2026-03-02");
  g_assert_cmpstr (tend_table_get (table, 0, 1), ==, "Ann Smith");
  g_assert_cmpstr (tend_table_get (table, 0, 4), ==, "Session has no service");
  g_assert_cmpstr (tend_table_get (table, 1, 0), ==, "2026-03-03");
  g_assert_cmpstr (tend_table_get (table, 1, 4), ==, "Needs a diagnosis for the claim");
}

/* Payments, allocation and balances */

static void
test_allocation_oldest_first (Fixture      *fx,
                              gconstpointer data)
{
  g_autofree char *jan = ADD_CHARGE (fx, fx->ann, "2026-01-05", 15000);
  g_autofree char *feb = ADD_CHARGE (fx, fx->ann, "2026-02-02", 15000);
  g_autofree char *mar = ADD_CHARGE (fx, fx->ann, "2026-03-02", 20000);
  g_autofree char *p1 = NULL;
  g_autofree char *p2 = NULL;
  g_autofree char *p3 = NULL;
  g_autoptr(TendPayment) refund = NULL;
  g_autoptr(GError) error = NULL;
  TendBalance b;

  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.charged, ==, 50000);
  g_assert_cmpint (b.balance, ==, 50000);

  p1 = pay (fx, fx->ann, "2026-03-10", 20000, TRUE);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, jan, NULL), ==, 0);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, feb, NULL), ==, 10000);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, mar, NULL), ==, 20000);
  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.paid, ==, 20000);
  g_assert_cmpint (b.client_due, ==, 30000);
  g_assert_cmpint (b.unapplied, ==, 0);
  g_assert_cmpint (b.balance, ==, 30000);

  /* Over-payment: 400.00 pays Feb (100.00) and Mar (200.00), 100.00 left as credit. */
  p2 = pay (fx, fx->ann, "2026-03-12", 40000, TRUE);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, feb, NULL), ==, 0);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, mar, NULL), ==, 0);
  g_assert_cmpint (tend_billing_payment_unapplied (fx->store, p2, NULL), ==, 10000);
  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.unapplied, ==, 10000);
  g_assert_cmpint (b.balance, ==, -10000);

  /* A refund returns at most the credit. */
  refund = tend_payment_new (fx->ann, TEND_PAYMENT_REFUND, TEND_PAYMENT_CHEQUE, 15000, "2026-03-13");
  g_assert_false (tend_billing_record_payment (fx->store, refund, TRUE, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM payment"), ==, 2);
  tend_record_set_int (TEND_RECORD (refund), "amount", 10000);
  g_assert_true (tend_billing_record_payment (fx->store, refund, TRUE, &error));
  g_assert_no_error (error);
  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.balance, ==, 0);

  /* The first payment bounces: Jan owes 150.00 again, Feb 50.00 of 100.00 it had. */
  g_assert_false (tend_billing_void_payment (fx->store, p1, "", &error));
  g_clear_error (&error);
  g_assert_true (tend_billing_void_payment (fx->store, p1, "Card charge-back", &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, jan, NULL), ==, 15000);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, feb, NULL), ==, 5000);
  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.balance, ==, 20000);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM payment WHERE status = 'void'"), ==, 1);

  /* By hand: 50.00 to February, not a cent more than is owed. */
  p3 = pay (fx, fx->ann, "2026-03-20", 6000, FALSE);
  g_assert_false (tend_billing_allocate (fx->store, p3, feb, 5001, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tend_billing_allocate (fx->store, p3, feb, 5000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, feb, NULL), ==, 0);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, jan, NULL), ==, 15000);
  g_assert_cmpint (tend_billing_payment_unapplied (fx->store, p3, NULL), ==, 1000);
  g_assert_false (tend_billing_allocate (fx->store, p3, jan, 1001, &error));
  g_clear_error (&error);
  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.balance, ==, 15000 - 1000);
  {
    /* The ledger's last running balance is the balance, to the cent. */
    g_autoptr(GPtrArray) ledger = tend_billing_ledger (fx->store, fx->ann, &error);

    g_assert_no_error (error);
    /* 3 charges, 3 payments (one void) and a refund */
    g_assert_cmpuint (ledger->len, ==, 7);
    g_assert_cmpint (((TendLedgerEntry *) g_ptr_array_index (ledger, 6))->balance, ==, 14000);
    g_assert_cmpint (((TendLedgerEntry *) g_ptr_array_index (ledger, 0))->balance, ==, 15000);
  }
}

static void
test_void_charge (Fixture      *fx,
                  gconstpointer data)
{
  g_autofree char *jan = ADD_CHARGE (fx, fx->ann, "2026-01-05", 15000);
  g_autofree char *p = pay (fx, fx->ann, "2026-01-06", 15000, TRUE);
  g_autoptr(TendRecord) stored = NULL;
  g_autoptr(GError) error = NULL;
  TendBalance b;

  g_assert_false (tend_billing_void_charge (fx->store, jan, NULL, &error));
  g_clear_error (&error);
  g_assert_true (tend_billing_void_charge (fx->store, jan, "Session was free", &error));
  g_assert_no_error (error);
  stored = tend_store_load (fx->store, TEND_TYPE_CHARGE, jan, NULL);
  g_assert_cmpint (tend_charge_get_status (TEND_CHARGE (stored)), ==, TEND_CHARGE_VOID);
  g_assert_cmpstr (tend_record_get_string (stored, "void_reason"), ==, "Session was free");
  /* Never deleted; the payment is credit again. */
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge WHERE deleted = 0"), ==, 1);
  b = balance_of (fx, fx->ann);
  g_assert_cmpint (b.charged, ==, 0);
  g_assert_cmpint (b.unapplied, ==, 15000);
  g_assert_cmpint (b.balance, ==, -15000);
  /* A voided charge cannot change. */
  tend_record_set_int (stored, "fee", 100);
  g_assert_false (tend_billing_save_charge (fx->store, TEND_CHARGE (stored), &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_clear_object (&stored);
  stored = tend_store_load (fx->store, TEND_TYPE_CHARGE, jan, NULL);
  g_assert_cmpint (tend_record_get_int (stored, "fee"), ==, 15000);
}

static void
test_roles (Fixture      *fx,
            gconstpointer data)
{
  g_autofree char *jan = ADD_CHARGE (fx, fx->ann, "2026-01-05", 15000);
  g_autoptr(TendPayment) credit = tend_payment_new (fx->ann, TEND_PAYMENT_CREDIT, TEND_PAYMENT_NONE, 500, "2026-01-06");
  g_autoptr(GPtrArray) aging = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *p = NULL;

  {
    /* Daniel's client, charged by Daniel: not Maya's to see. */
    g_autoptr(TendCharge) c = tend_charge_new (fx->bob, fx->daniel, TEND_CHARGE_MANUAL, "2026-01-05", 9000);

    tend_record_set_string (TEND_RECORD (c), "description", "Letter");
    g_assert_true (tend_billing_save_charge (fx->store, c, &error));
  }

  /* Front desk: records payments, sees balances; no charges, voids or credits. */
  tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_FRONT_DESK);
  p = pay (fx, fx->ann, "2026-01-06", 5000, TRUE);
  g_assert_cmpint (balance_of (fx, fx->ann).balance, ==, 10000);
  g_assert_false (tend_billing_void_charge (fx->store, jan, "No", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (tend_billing_record_payment (fx->store, credit, TRUE, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (tend_billing_report_revenue (fx->store, NULL, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* A clinician sees the aging of their own clients only. */
  tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
  aging = tend_billing_aging (fx->store, "2026-02-01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aging->len, ==, 1);
  g_assert_cmpstr (((TendAgingRow *) g_ptr_array_index (aging, 0))->client_id, ==, fx->ann);
  g_assert_false (tend_billing_void_payment (fx->store, p, "Mistake", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The biller does it all. */
  tend_store_set_actor (fx->store, fx->bill, TEND_ROLE_BILLER);
  g_assert_true (tend_billing_record_payment (fx->store, credit, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (balance_of (fx, fx->ann).balance, ==, 9500);
  g_assert_true (tend_billing_void_charge (fx->store, jan, "Billed in error", &error));
  g_assert_no_error (error);
}

static void
test_aging (Fixture      *fx,
            gconstpointer data)
{
  /* Hand-computed days before 2026-04-15. */
  static const struct { const char *date; gint64 fee; } lines[] = {
    { "2026-04-10", 1000 },   /*  5 days: 0-30 */
    { "2026-03-16", 2000 },   /* 30 days: 0-30 */
    { "2026-03-15", 3000 },   /* 31 days: 31-60 */
    { "2026-02-14", 4000 },   /* 60 days: 31-60 */
    { "2026-02-13", 5000 },   /* 61 days: 61-90 */
    { "2026-01-15", 6000 },   /* 90 days: 61-90 */
    { "2026-01-14", 7000 },   /* 91 days: 90+ */
    { "2026-04-16", 9900 },   /* after the date: left out */
  };
  g_autoptr(GPtrArray) aging = NULL;
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *p = NULL;
  TendAgingRow *row = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    g_free (ADD_CHARGE (fx, fx->ann, lines[i].date, lines[i].fee));
  /* 15.00 goes to the oldest (70.00 -> 55.00). */
  p = pay (fx, fx->ann, "2026-04-01", 1500, TRUE);
  g_free (add_charge (fx, fx->cara, "2026-04-01", 20000, "F41.1"));
  {
    /* Cara's own share is hers; give her an insurance line too. */
    g_autoptr(TendCharge) c = tend_charge_new (fx->cara, fx->maya, TEND_CHARGE_MANUAL, "2026-04-02", 12000);
    tend_record_set_string (TEND_RECORD (c), "service_code", "90834");
    tend_record_set_int (TEND_RECORD (c), "responsibility", TEND_RESPONSIBILITY_INSURANCE);
    g_assert_true (tend_billing_save_charge (fx->store, c, &error));
    g_assert_no_error (error);
  }

  aging = tend_billing_aging (fx->store, "2026-04-15", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aging->len, ==, 2);
  for (guint i = 0; i < aging->len; i++)
    if (g_strcmp0 (((TendAgingRow *) g_ptr_array_index (aging, i))->client_id, fx->ann) == 0)
      row = g_ptr_array_index (aging, i);
  g_assert_nonnull (row);
  g_assert_cmpint (row->buckets[0], ==, 3000);
  g_assert_cmpint (row->buckets[1], ==, 7000);
  g_assert_cmpint (row->buckets[2], ==, 11000);
  g_assert_cmpint (row->buckets[3], ==, 5500);
  g_assert_cmpint (row->total, ==, 26500);
  g_assert_cmpint (row->insurance, ==, 0);

  table = tend_billing_report_outstanding (fx->store, "2026-04-15", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 2);
  g_assert_cmpstr (tend_table_get (table, 0, 0), ==, "Ann Smith");
  g_assert_cmpint (tend_table_get_money (table, 0, 4), ==, 5500);
  g_assert_cmpint (tend_table_get_money (table, 0, 5), ==, 26500);
  g_assert_cmpstr (tend_table_get (table, 1, 0), ==, "Cara Lee");
  g_assert_cmpint (tend_table_get_money (table, 1, 1), ==, 20000);
  g_assert_cmpint (tend_table_get_money (table, 1, 6), ==, 12000);
}

static void
test_revenue_report (Fixture      *fx,
                     gconstpointer data)
{
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendAppointment) a = session (fx, fx->daniel, fx->bob, "2026-02-10", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);

  g_free (ADD_CHARGE (fx, fx->ann, "2026-01-05", 15000));
  g_free (ADD_CHARGE (fx, fx->ann, "2026-02-05", 15000));
  g_free (pay (fx, fx->ann, "2026-02-06", 20000, TRUE));
  g_free (pay (fx, fx->bob, "2026-02-11", 8750, TRUE));

  table = tend_billing_report_revenue (fx->store, "2026-01-01", "2026-12-31", &error);
  g_assert_no_error (error);
  /* 2026-01 Maya charged 150; 2026-02 Maya charged 150, collected 200;
   * 2026-02 Daniel charged 87.50, collected 87.50. */
  g_assert_cmpuint (table->rows->len, ==, 3);
  g_assert_cmpstr (tend_table_get (table, 0, 0), ==, "2026-01");
  g_assert_cmpint (tend_table_get_money (table, 0, 2), ==, 15000);
  g_assert_cmpint (tend_table_get_money (table, 0, 3), ==, 0);
  for (guint i = 1; i < 3; i++)
    {
      g_assert_cmpstr (tend_table_get (table, i, 0), ==, "2026-02");
      if (g_str_has_prefix (tend_table_get (table, i, 1), "Maya"))
        {
          g_assert_cmpint (tend_table_get_money (table, i, 2), ==, 15000);
          g_assert_cmpint (tend_table_get_money (table, i, 3), ==, 20000);
        }
      else
        {
          g_assert_cmpstr (tend_table_get (table, i, 1), ==, "Daniel Reyes");
          g_assert_cmpint (tend_table_get_money (table, i, 2), ==, 8750);
          g_assert_cmpint (tend_table_get_money (table, i, 3), ==, 8750);
        }
    }
}

/* Claims and remittance */

static TendClaim *
make_claim (Fixture *fx,
            char   **line1,
            char   **line2)
{
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[2] = { NULL, NULL };

  *line1 = add_charge (fx, fx->cara, "2026-03-03", 15000, "F41.1");
  *line2 = add_charge (fx, fx->cara, "2026-03-10", 15000, "F41.1 F32.9");
  /* make them insurance lines */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TendRecord) c = tend_store_load (fx->store, TEND_TYPE_CHARGE, i == 0 ? *line1 : *line2, NULL);

      tend_record_set_int (c, "responsibility", TEND_RESPONSIBILITY_INSURANCE);
      g_assert_true (tend_billing_save_charge (fx->store, TEND_CHARGE (c), &error));
    }
  claims = tend_billing_create_claims (fx->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
  g_assert_cmpint (tend_record_get_int (g_ptr_array_index (claims, 0), "total"), ==, 30000);
  ids[0] = tend_record_get_id (g_ptr_array_index (claims, 0));
  g_assert_true (tend_billing_mark_submitted (fx->store, ids, 17, &error));
  g_assert_no_error (error);
  return TEND_CLAIM (tend_store_load (fx->store, TEND_TYPE_CLAIM, ids[0], NULL));
}

/* A heading such as F41 cannot go on a claim: the charge stays off it, the
 * unbilled report says why, and a biller who puts it there by hand is told
 * what to choose instead. */
static void
test_claim_heading_refused (Fixture      *fx,
                            gconstpointer data)
{
  g_autofree char *id = add_charge (fx, fx->cara, "2026-03-03", 15000, "F41");
  g_autoptr(TendRecord) c = tend_store_load (fx->store, TEND_TYPE_CHARGE, id, NULL);
  g_autoptr(GPtrArray) claims = NULL;
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GError) error = NULL;

  tend_record_set_int (c, "responsibility", TEND_RESPONSIBILITY_INSURANCE);
  g_assert_true (tend_billing_save_charge (fx->store, TEND_CHARGE (c), &error));
  g_assert_no_error (error);

  claims = tend_billing_create_claims (fx->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 0);
  g_clear_pointer (&claims, g_ptr_array_unref);
  table = tend_billing_report_unbilled (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (table->rows->len, ==, 1);
  g_assert_cmpstr (tend_table_get (table, 0, 4), ==, "Diagnosis is a heading, not a billable code");

  /* By hand, onto a claim: refused with the codes to choose from (the
   * record policy's rule, which tend-server applies to every push alike). */
  tend_store_set_actor (fx->store, fx->bill, TEND_ROLE_BILLER);
  {
    g_autoptr(TendClaim) claim = tend_claim_new (fx->cara, NULL, NULL, "TC-HAND");

    tend_record_set_string (c, "claim_id", tend_record_get_id (TEND_RECORD (claim)));
    g_assert_false (tend_store_save (fx->store, c, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "F41 (Other anxiety disorders) is a heading"));
    g_assert_nonnull (strstr (error->message, "F41.0 or F41.1"));
    g_clear_error (&error);
    tend_record_set_string (c, "claim_id", NULL);
  }

  /* Coded precisely, it goes on a claim. */
  tend_record_set_string (c, "diagnoses", "F41.1");
  g_assert_true (tend_billing_save_charge (fx->store, TEND_CHARGE (c), &error));
  g_assert_no_error (error);
  claims = tend_billing_create_claims (fx->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claims->len, ==, 1);
}

static TendRemittance *
remittance_for (TendClaim  *claim,
                const char *line1,
                const char *line2)
{
  TendRemittance *r = tend_remittance_new ();
  TendRemitClaim *rc = tend_remit_claim_new ();
  TendRemitService *s1 = tend_remit_service_new ();
  TendRemitService *s2 = tend_remit_service_new ();

  r->trace_number = g_strdup ("EFT0042");
  r->paid_on = g_strdup ("2026-04-01");
  r->total_paid = 22000;
  rc->control_number = g_strdup (tend_record_get_string (TEND_RECORD (claim), "control_number"));
  rc->status_code = 1;
  rc->charged = 30000;
  rc->paid = 22000;
  rc->patient_responsibility = 2000;
  rc->payer_claim_number = g_strdup ("PCN123");
  s1->procedure = g_strdup ("90834");
  s1->charged = 15000;
  s1->paid = 10000;
  s1->line_control = g_strdup (line1);
  g_ptr_array_add (s1->adjustments, tend_remit_adjustment_new ("CO", "45", 3000));
  g_ptr_array_add (s1->adjustments, tend_remit_adjustment_new ("PR", "1", 2000));
  s2->procedure = g_strdup ("90834");
  s2->charged = 15000;
  s2->paid = 12000;
  s2->service_date = g_strdup ("2026-03-10");   /* no REF*6R: matched by code and date */
  g_ptr_array_add (s2->adjustments, tend_remit_adjustment_new ("CO", "45", 3000));
  (void) line2;
  g_ptr_array_add (rc->services, s1);
  g_ptr_array_add (rc->services, s2);
  g_ptr_array_add (r->claims, rc);
  return r;
}

static void
test_remittance (Fixture      *fx,
                 gconstpointer data)
{
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autoptr(TendClaim) claim = make_claim (fx, &line1, &line2);
  g_autoptr(TendRemittance) r = remittance_for (claim, line1, line2);
  g_autoptr(TendRecord) after = NULL;
  g_autoptr(GError) error = NULL;
  TendRemitResult result = { 0, };
  TendBalance b;

  b = balance_of (fx, fx->cara);
  g_assert_cmpint (b.insurance_due, ==, 30000);
  g_assert_cmpint (b.balance, ==, 0);
  {
    /* With the insurer: on the ledger, but not on the client's balance. */
    g_autoptr(GPtrArray) ledger = tend_billing_ledger (fx->store, fx->cara, &error);
    TendLedgerEntry *last;

    g_assert_no_error (error);
    g_assert_cmpuint (ledger->len, ==, 2);
    last = g_ptr_array_index (ledger, 1);
    g_assert_true (last->insurance);
    g_assert_cmpint (last->amount, ==, 15000);
    g_assert_cmpint (last->effect, ==, 0);
    g_assert_cmpint (last->balance, ==, 0);
  }

  g_assert_true (tend_billing_post_remittance (fx->store, r, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.claims_matched, ==, 1);
  g_assert_cmpuint (result.lines_posted, ==, 2);
  g_assert_cmpint (result.posted, ==, 22000);
  g_assert_cmpint (result.moved_to_client, ==, 2000);
  g_assert_cmpuint (result.unmatched->len, ==, 0);
  tend_remit_result_clear (&result);

  g_assert_cmpint (tend_billing_charge_remaining (fx->store, line1, NULL), ==, 2000);
  g_assert_cmpint (tend_billing_charge_remaining (fx->store, line2, NULL), ==, 0);
  b = balance_of (fx, fx->cara);
  g_assert_cmpint (b.insurance_due, ==, 0);
  g_assert_cmpint (b.client_due, ==, 2000);
  g_assert_cmpint (b.written_off, ==, 6000);
  g_assert_cmpint (b.paid, ==, 22000);
  {
    /* Charge 150, insurer paid 100, wrote off 30: 20 is the client's; the
     * other line is the insurer's alone (paid 120, wrote off 30). */
    g_autoptr(GPtrArray) ledger = tend_billing_ledger (fx->store, fx->cara, &error);
    gint64 sum = 0;

    g_assert_no_error (error);
    g_assert_cmpuint (ledger->len, ==, 2 + 2 + 3);
    for (guint i = 0; i < ledger->len; i++)
      sum += ((TendLedgerEntry *) g_ptr_array_index (ledger, i))->effect;
    g_assert_cmpint (sum, ==, 2000);
    g_assert_cmpint (((TendLedgerEntry *) g_ptr_array_index (ledger, ledger->len - 1))->balance, ==, 2000);
  }
  after = tend_store_load (fx->store, TEND_TYPE_CLAIM, tend_record_get_id (TEND_RECORD (claim)), NULL);
  g_assert_cmpint (tend_claim_get_status (TEND_CLAIM (after)), ==, TEND_CLAIM_PAID);
  g_assert_cmpint (tend_record_get_int (after, "paid"), ==, 22000);
  g_assert_cmpint (tend_record_get_int (after, "patient_responsibility"), ==, 2000);
  g_assert_cmpstr (tend_record_get_string (after, "payer_claim_number"), ==, "PCN123");
  g_assert_cmpint (count (fx, "SELECT count(*) FROM adjustment"), ==, 3);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM adjustment WHERE group_code = 'PR'"), ==, 1);

  /* The same file again: refused, nothing more posted. */
  g_assert_false (tend_billing_post_remittance (fx->store, r, &result, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  tend_remit_result_clear (&result);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM payment"), ==, 1);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM allocation"), ==, 2);
}

static void
test_remittance_unmatched_and_bad (Fixture      *fx,
                                   gconstpointer data)
{
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autoptr(TendClaim) claim = make_claim (fx, &line1, &line2);
  g_autoptr(TendRemittance) r = remittance_for (claim, line1, line2);
  g_autoptr(GError) error = NULL;
  TendRemitClaim *stranger = tend_remit_claim_new ();
  TendRemitClaim *rc = g_ptr_array_index (r->claims, 0);
  TendRemitService *s2 = g_ptr_array_index (rc->services, 1);
  TendRemitResult result = { 0, };
  gint64 audit_before;

  /* A bad group code on the second line: nothing at all is posted. */
  g_strlcpy (((TendRemitAdjustment *) g_ptr_array_index (s2->adjustments, 0))->group, "XX", 3);
  audit_before = count (fx, "SELECT count(*) FROM audit_log");
  g_assert_false (tend_billing_post_remittance (fx->store, r, &result, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  tend_remit_result_clear (&result);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM payment"), ==, 0);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM allocation"), ==, 0);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM adjustment"), ==, 0);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM audit_log"), ==, audit_before);
  g_assert_cmpint (balance_of (fx, fx->cara).insurance_due, ==, 30000);

  /* A claim we never sent, and a line on no charge: listed, the rest posted. */
  g_strlcpy (((TendRemitAdjustment *) g_ptr_array_index (s2->adjustments, 0))->group, "CO", 3);
  g_free (s2->service_date);
  s2->service_date = g_strdup ("2026-03-11");
  stranger->control_number = g_strdup ("TC99999999");
  stranger->status_code = 1;
  g_ptr_array_add (r->claims, stranger);
  g_assert_true (tend_billing_post_remittance (fx->store, r, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.unmatched->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (result.unmatched, 0), "90834"));
  g_assert_nonnull (strstr (g_ptr_array_index (result.unmatched, 1), "TC99999999"));
  g_assert_cmpint (result.posted, ==, 10000);
  tend_remit_result_clear (&result);
  {
    g_autoptr(TendRecord) after = tend_store_load (fx->store, TEND_TYPE_CLAIM, tend_record_get_id (TEND_RECORD (claim)), NULL);
    g_assert_cmpint (tend_claim_get_status (TEND_CLAIM (after)), ==, TEND_CLAIM_PARTIALLY_PAID);
  }
  /* The unmatched 120.00 stays unapplied on the insurer's payment. */
  g_assert_cmpint (count (fx, "SELECT amount FROM payment"), ==, 22000);
  g_assert_cmpint (count (fx, "SELECT sum(amount) FROM allocation"), ==, 10000);
}

static void
test_claims_need_diagnosis_and_lock (Fixture      *fx,
                                     gconstpointer data)
{
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autoptr(TendClaim) claim = make_claim (fx, &line1, &line2);
  g_autoptr(TendRecord) c = tend_store_load (fx->store, TEND_TYPE_CHARGE, line1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendTable) awaiting = NULL;

  /* Sent: the lines are locked. */
  tend_record_set_int (c, "fee", 1);
  g_assert_false (tend_billing_save_charge (fx->store, TEND_CHARGE (c), &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_clear_error (&error);
  g_assert_false (tend_billing_void_charge (fx->store, line1, "Wrong", &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_clear_error (&error);

  awaiting = tend_billing_report_claims_awaiting (fx->store, "2026-04-01", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (awaiting->rows->len, ==, 1);
  g_assert_cmpstr (tend_table_get (awaiting, 0, 0), ==, "TC00000001");
  g_assert_cmpstr (tend_table_get (awaiting, 0, 2), ==, "Blue Harbor Health");
  g_assert_cmpint (tend_table_get_money (awaiting, 0, 5), ==, 30000);

  /* Sent at 22:30 in New York on 31 March, when it is already 1 April in
   * UTC: on 31 March it has waited 0 days, not -1. */
  {
    g_autoptr(TendRecord) sent = tend_store_load (fx->store, TEND_TYPE_CLAIM,
                                                  tend_record_get_id (TEND_RECORD (claim)), &error);
    g_autoptr(TendTable) evening = NULL;

    g_assert_no_error (error);
    tend_record_set_string (sent, "submitted_at", "2026-04-01T02:30:00Z");
    g_assert_true (tend_store_save (fx->store, sent, &error));
    g_assert_no_error (error);
    evening = tend_billing_report_claims_awaiting (fx->store, "2026-03-31", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (tend_table_get (evening, 0, 3), ==, "2026-03-31");
    g_assert_cmpstr (tend_table_get (evening, 0, 4), ==, "0");
  }
}

static TendRecord *
service_of (Fixture    *fx,
            const char *code)
{
  g_autoptr(GPtrArray) all = tend_store_list (fx->store, TEND_TYPE_SERVICE, NULL);

  for (guint i = 0; all != NULL && i < all->len; i++)
    if (g_strcmp0 (tend_record_get_string (all->pdata[i], "code"), code) == 0)
      return g_object_ref (all->pdata[i]);
  g_assert_not_reached ();
}

/* A completed session of Ann's (self-pay, Maya: the catalogue's fee) on
 * 2026-03-02 between 8:00 and 17:00 in New York: its charge's amount and
 * date. */
static void
expect_session_charge (Fixture    *fx,
                       gint64      amount,
                       const char *date)
{
  g_autoptr(TendAppointment) a = NULL;
  g_autoptr(TendCharge) c = NULL;

  a = session (fx, fx->maya, fx->ann, "2026-03-02", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
  c = charge_of (fx, a, TEND_CHARGE_SESSION);
  g_assert_nonnull (c);
  g_assert_cmpint (tend_charge_get_amount (c), ==, amount);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (c), "service_date"), ==, date);
}

static void
set_fee (Fixture *fx,
         gint64   fee)
{
  g_autoptr(TendRecord) service = service_of (fx, "90834");

  tend_record_set_int (service, "fee", fee);
  store_test_save (fx->store, service);
}

/* The practice, its zone, the billing settings, services and a client's
 * policies are read once per transaction (tend_store_lookup_get ()): a write to any of them in the
 * same transaction, and a rollback to a savepoint, are seen by the next
 * charge. */
static void
test_lookups_in_transaction (Fixture      *fx,
                             gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_store_begin (fx->store, &error));
  expect_session_charge (fx, 15000, "2026-03-02");

  set_fee (fx, 16000);
  expect_session_charge (fx, 16000, "2026-03-02");

  /* 8:00 to 17:00 in New York is already the next day in Auckland. */
  {
    g_autoptr(TendPractice) practice = tend_store_load_practice (fx->store, &error);

    tend_record_set_string (TEND_RECORD (practice), "time_zone", "Pacific/Auckland");
    store_test_save (fx->store, TEND_RECORD (practice));
  }
  expect_session_charge (fx, 16000, "2026-03-03");

  /* Written in a savepoint that is then rolled back. */
  g_assert_true (tend_store_step_begin (fx->store, &error));
  set_fee (fx, 99900);
  expect_session_charge (fx, 99900, "2026-03-03");
  g_assert_false (tend_store_step_end (fx->store, FALSE, NULL));
  expect_session_charge (fx, 16000, "2026-03-03");

  /* The client's policies (read once per client in the transaction): a
   * policy written in it makes the next session the insurer's. */
  {
    g_autoptr(TendAppointment) a = session (fx, fx->daniel, fx->bob, "2026-03-05", "90834", FALSE,
                                            TEND_APPOINTMENT_COMPLETED);
    g_autoptr(TendCharge) c = charge_of (fx, a, TEND_CHARGE_SESSION);
    g_autoptr(TendPolicy) policy = tend_policy_new (fx->bob, fx->payer, "MB555000111");
    g_autoptr(TendAppointment) b = NULL;
    g_autoptr(TendCharge) d = NULL;

    g_assert_cmpint (tend_charge_get_responsibility (c), ==, TEND_RESPONSIBILITY_CLIENT);
    tend_record_set_string (TEND_RECORD (policy), "effective_from", "2025-01-01");
    store_test_save (fx->store, TEND_RECORD (policy));
    b = session (fx, fx->daniel, fx->bob, "2026-03-06", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
    d = charge_of (fx, b, TEND_CHARGE_SESSION);
    g_assert_cmpint (tend_charge_get_responsibility (d), ==, TEND_RESPONSIBILITY_INSURANCE);
  }

  /* Settings: charge nothing on completion (then no charge is made). */
  {
    g_autoptr(TendBillingSettings) settings = tend_billing_load_settings (fx->store, &error);
    g_autoptr(TendAppointment) a = NULL;
    g_autoptr(TendCharge) c = NULL;

    g_assert_nonnull (settings);
    tend_record_set_int (TEND_RECORD (settings), "charge_on", TEND_CHARGE_ON_NOTE_SIGNED);
    store_test_save (fx->store, TEND_RECORD (settings));
    a = session (fx, fx->maya, fx->ann, "2026-03-04", "90834", FALSE, TEND_APPOINTMENT_COMPLETED);
    c = charge_of (fx, a, TEND_CHARGE_SESSION);
    g_assert_null (c);
  }
  g_assert_true (tend_store_commit (fx->store, &error));
  g_assert_no_error (error);

  /* Outside a transaction, every call reads the store. */
  {
    g_autoptr(TendBillingSettings) settings = tend_billing_load_settings (fx->store, &error);

    tend_record_set_int (TEND_RECORD (settings), "charge_on", TEND_CHARGE_ON_COMPLETED);
    store_test_save (fx->store, TEND_RECORD (settings));
  }
  set_fee (fx, 17000);
  expect_session_charge (fx, 17000, "2026-03-03");
}

/* A family session: Ann (self-pay), Cara (insured) and Bob (Daniel's
 * client).  Maya may not add Bob, whose chart she is not on; the front desk
 * books it, checks each member in, Bob does not come: Ann's and Cara's
 * session charges, each billed as their own, and Bob's no-show fee. */
static void
test_group_session_charges (Fixture      *fx,
                            gconstpointer data)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) start = g_date_time_new (zone, 2026, 3, 4, 17, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 60);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(TendAppointment) a = tend_appointment_new (fx->maya, start, end);
  const char *family[] = { fx->ann, fx->cara, fx->bob, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *cara_id = NULL, *bob_fee_id = NULL, *bob_session_id = NULL;
  g_autoptr(TendCharge) ann_charge = NULL;
  g_autoptr(TendRecord) cara_charge = NULL, bob_fee = NULL, bob_session = NULL;

  tend_record_set_string (TEND_RECORD (a), "service_code", "90834");
  tend_appointment_set_members (a, TEND_SESSION_FAMILY, family);

  tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
  g_assert_false (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM appointment"), ==, 0);

  tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_FRONT_DESK);
  g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tend_appointment_set_attendance (a, fx->ann, TEND_ATTENDANCE_ATTENDED, now, &error));
  g_assert_true (tend_appointment_set_attendance (a, fx->cara, TEND_ATTENDANCE_ATTENDED, now, &error));
  g_assert_true (tend_appointment_set_attendance (a, fx->bob, TEND_ATTENDANCE_NO_SHOW, now, &error));
  g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 0);

  /* Maya, on Ann's chart, completes the session she already holds. */
  tend_store_set_actor (fx->store, fx->maya, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_appointment_set_status (a, TEND_APPOINTMENT_COMPLETED, NULL, now, &error));
  g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 3);

  ann_charge = charge_of (fx, a, TEND_CHARGE_SESSION);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (ann_charge), "client_id"), ==, fx->ann);
  g_assert_cmpint (tend_charge_get_responsibility (ann_charge), ==, TEND_RESPONSIBILITY_CLIENT);
  g_assert_cmpint (tend_charge_get_amount (ann_charge), ==, 15000);

  tend_store_set_actor (fx->store, fx->bill, TEND_ROLE_BILLER);
  cara_id = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, fx->cara);
  cara_charge = tend_store_load (fx->store, TEND_TYPE_CHARGE, cara_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (cara_charge, "client_id"), ==, fx->cara);
  /* Cara's policy pays hers, at the full fee (no sliding scale). */
  g_assert_cmpint (tend_charge_get_responsibility (TEND_CHARGE (cara_charge)), ==, TEND_RESPONSIBILITY_INSURANCE);
  g_assert_cmpint (tend_charge_get_amount (TEND_CHARGE (cara_charge)), ==, 15000);

  bob_fee_id = tend_charge_id_for_member (a, TEND_CHARGE_NO_SHOW, fx->bob);
  bob_fee = tend_store_load (fx->store, TEND_TYPE_CHARGE, bob_fee_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (bob_fee, "client_id"), ==, fx->bob);
  g_assert_cmpint (tend_charge_get_amount (TEND_CHARGE (bob_fee)), ==, 7500);
  bob_session_id = tend_charge_id_for_member (a, TEND_CHARGE_SESSION, fx->bob);
  bob_session = tend_store_load (fx->store, TEND_TYPE_CHARGE, bob_session_id, NULL);
  g_assert_null (bob_session);

  /* Saving the completed session again makes nothing twice. */
  tend_store_set_actor (fx->store, fx->rosa, TEND_ROLE_FRONT_DESK);
  tend_record_set_string (TEND_RECORD (a), "note", "Next time at 18:00");
  g_assert_true (tend_schedule_save_appointment (fx->store, a, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fx, "SELECT count(*) FROM charge"), ==, 3);

  /* Each member's chart lists the session; another client's does not. */
  {
    const char *whose[] = { fx->ann, fx->bob, fx->cara };
    g_autoptr(TendClient) dee = tend_client_new ("Dee", "Park");
    g_autofree char *dee_id = save_new (fx->store, TEND_RECORD (dee));
    g_autoptr(GPtrArray) none = tend_chart_list_sessions (fx->store, dee_id, G_MAXINT64 / 2, FALSE, 0, &error);

    for (guint i = 0; i < G_N_ELEMENTS (whose); i++)
      {
        g_autoptr(GPtrArray) past = tend_chart_list_sessions (fx->store, whose[i], G_MAXINT64 / 2, FALSE, 0, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (past->len, ==, 1);
        g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (past, 0)), ==, tend_record_get_id (TEND_RECORD (a)));
      }
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/billing/charges/session", test_session_charges);
  ADD ("/billing/charges/session-ids", test_session_charge_ids);
  ADD ("/billing/charges/missed-session-fees", test_missed_session_fees);
  ADD ("/billing/charges/no-fees-when-not-charged", test_no_fees_when_not_charged);
  ADD ("/billing/charges/on-note-signed", test_charge_on_note_signed);
  ADD ("/billing/charges/clinician-completes", test_clinician_completes_session);
  ADD ("/billing/charges/unbilled", test_unbilled_session);
  ADD ("/billing/charges/group-session", test_group_session_charges);
  ADD ("/billing/claims/heading-refused", test_claim_heading_refused);
  ADD ("/billing/charges/lookups-in-transaction", test_lookups_in_transaction);
  ADD ("/billing/charges/void", test_void_charge);
  ADD ("/billing/payments/allocation", test_allocation_oldest_first);
  ADD ("/billing/roles", test_roles);
  ADD ("/billing/aging", test_aging);
  ADD ("/billing/reports/revenue", test_revenue_report);
  ADD ("/billing/claims/lock-and-awaiting", test_claims_need_diagnosis_and_lock);
  ADD ("/billing/remittance/post", test_remittance);
  ADD ("/billing/remittance/unmatched-and-bad", test_remittance_unmatched_and_bad);
#undef ADD
  return g_test_run ();
}
