/* tend-record-types.c: the registry of record types, by wire name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include "tend-record-policy.h"

#include "tend-adjustment.h"
#include "tend-allocation.h"
#include "tend-appointment.h"
#include "tend-billing-settings.h"
#include "tend-charge.h"
#include "tend-chart-access.h"
#include "tend-claim.h"
#include "tend-client.h"
#include "tend-portal-form.h"
#include "tend-clinical-note.h"
#include "tend-diagnosis.h"
#include "tend-document.h"
#include "tend-insurance-dismissal.h"
#include "tend-measure.h"
#include "tend-message.h"
#include "tend-payer.h"
#include "tend-payment.h"
#include "tend-policy.h"
#include "tend-practice.h"
#include "tend-practice-template.h"
#include "tend-related-person.h"
#include "tend-reminder.h"
#include "tend-room.h"
#include "tend-safety-plan.h"
#include "tend-series.h"
#include "tend-service.h"
#include "tend-service-fee.h"
#include "tend-shared-bill.h"
#include "tend-staff.h"
#include "tend-treatment-plan.h"
#include "tend-video-session.h"
#include "tend-waitlist-entry.h"

/* Every record class, in the order the feed and the store list them.  A
 * new record type is its class file (fields and policy in its class_init),
 * one line here, and a table migration in the store (docs/architecture.md). */
static GType (* const type_getters[]) (void) = {
  tend_practice_get_type, tend_staff_get_type, tend_room_get_type, tend_client_get_type,
  tend_appointment_get_type, tend_series_get_type, tend_waitlist_entry_get_type, tend_reminder_get_type,
  tend_clinical_note_get_type, tend_diagnosis_get_type, tend_treatment_plan_get_type, tend_measure_get_type,
  tend_document_get_type, tend_safety_plan_get_type, tend_portal_form_get_type, tend_practice_template_get_type,
  /* Billing */
  tend_service_get_type, tend_service_fee_get_type, tend_billing_settings_get_type, tend_charge_get_type,
  tend_payment_get_type, tend_allocation_get_type, tend_adjustment_get_type, tend_payer_get_type,
  tend_policy_get_type, tend_claim_get_type, tend_shared_bill_get_type,
  /* Messaging */
  tend_conversation_get_type, tend_message_get_type, tend_read_marker_get_type,
  /* Video sessions */
  tend_video_session_get_type, tend_chart_access_get_type,
  /* Families */
  tend_related_person_get_type,
  /* Insurance typed as text, dismissed rather than made a policy */
  tend_insurance_dismissal_get_type,
};

typedef struct
{
  const char **names;   /* NULL-terminated, the classes' own type names */
  GHashTable  *types;   /* name -> GType */
} Registry;

static gpointer
build_registry (gpointer data)
{
  Registry *r = g_new0 (Registry, 1);

  r->names = g_new0 (const char *, G_N_ELEMENTS (type_getters) + 1);
  r->types = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (type_getters); i++)
    {
      GType type = type_getters[i] ();
      TendRecordClass *klass = g_type_class_ref (type);

      g_assert (klass->type_name != NULL && klass->policy != NULL);
      g_assert (!g_hash_table_contains (r->types, klass->type_name));
      r->names[i] = klass->type_name;
      g_hash_table_insert (r->types, (gpointer) klass->type_name, GSIZE_TO_POINTER (type));
      /* Kept: record classes live as long as the process. */
    }
  return r;
}

static Registry *
registry (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_registry, NULL);
}

const char * const *
tend_record_list_type_names (void)
{
  return registry ()->names;
}

GType
tend_record_type_from_name (const char *type_name)
{
  if (type_name == NULL)
    return G_TYPE_INVALID;
  return (GType) GPOINTER_TO_SIZE (g_hash_table_lookup (registry ()->types, type_name));
}
