/* tend-record-types.c: the registry of record types, by wire name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <string.h>

#include "tend-adjustment.h"
#include "tend-allocation.h"
#include "tend-appointment.h"
#include "tend-billing-settings.h"
#include "tend-charge.h"
#include "tend-claim.h"
#include "tend-client.h"
#include "tend-clinical-note.h"
#include "tend-diagnosis.h"
#include "tend-document.h"
#include "tend-measure.h"
#include "tend-payer.h"
#include "tend-payment.h"
#include "tend-policy.h"
#include "tend-practice.h"
#include "tend-reminder.h"
#include "tend-room.h"
#include "tend-series.h"
#include "tend-service.h"
#include "tend-service-fee.h"
#include "tend-staff.h"
#include "tend-treatment-plan.h"
#include "tend-waitlist-entry.h"

/* Later entities add themselves here (and a table migration in the store). */
static const char * const type_names[] = {
  "practice", "staff", "room", "client", "appointment", "series", "waitlist", "reminder",
  "note", "diagnosis", "treatment_plan", "measure", "document",
  /* Billing */
  "service", "service_fee", "billing_settings", "charge", "payment", "allocation", "adjustment", "payer", "policy", "claim", NULL
};

static GType
type_for_index (guint i)
{
  switch (i)
    {
    case 0: return TEND_TYPE_PRACTICE;
    case 1: return TEND_TYPE_STAFF;
    case 2: return TEND_TYPE_ROOM;
    case 3: return TEND_TYPE_CLIENT;
    case 4: return TEND_TYPE_APPOINTMENT;
    case 5: return TEND_TYPE_SERIES;
    case 6: return TEND_TYPE_WAITLIST_ENTRY;
    case 7: return TEND_TYPE_REMINDER;
    case 8: return TEND_TYPE_CLINICAL_NOTE;
    case 9: return TEND_TYPE_DIAGNOSIS;
    case 10: return TEND_TYPE_TREATMENT_PLAN;
    case 11: return TEND_TYPE_MEASURE;
    case 12: return TEND_TYPE_DOCUMENT;
    case 13: return TEND_TYPE_SERVICE;
    case 14: return TEND_TYPE_SERVICE_FEE;
    case 15: return TEND_TYPE_BILLING_SETTINGS;
    case 16: return TEND_TYPE_CHARGE;
    case 17: return TEND_TYPE_PAYMENT;
    case 18: return TEND_TYPE_ALLOCATION;
    case 19: return TEND_TYPE_ADJUSTMENT;
    case 20: return TEND_TYPE_PAYER;
    case 21: return TEND_TYPE_POLICY;
    case 22: return TEND_TYPE_CLAIM;
    default: return G_TYPE_INVALID;
    }
}

const char * const *
tend_record_list_type_names (void)
{
  return type_names;
}

GType
tend_record_type_from_name (const char *type_name)
{
  for (guint i = 0; type_name != NULL && type_names[i] != NULL; i++)
    if (strcmp (type_names[i], type_name) == 0)
      return type_for_index (i);
  return G_TYPE_INVALID;
}
