/* tend-charge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-appointment.h"
#include "tend-billing-codes.h"
#include "tend-error.h"
#include "tend-charge.h"
#include "tend-icd10.h"

struct _TendCharge
{
  TendRecord parent_instance;

  char     *client_id;
  char     *appointment_id;
  char     *clinician_id;
  int       kind;
  char     *service_code;
  char     *description;
  char     *modifiers;
  gint64    units;
  gint64    fee;
  char     *service_date;
  char     *place_of_service;
  char     *diagnoses;
  int       responsibility;
  int       status;
  char     *void_reason;
  char     *claim_id;
};

G_DEFINE_FINAL_TYPE (TendCharge, tend_charge, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "session", "no_show", "late_cancel", "manual", NULL };
static const char * const responsibility_choices[] = { "client", "insurance", NULL };
static const char * const status_choices[] = { "open", "void", NULL };

static const TendField charge_fields[] = {
  { "client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, client_id), 36, NULL, 0, 0 },
  { "appointment_id", N_("Session"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendCharge, appointment_id), 36, NULL, 0, 0 },
  { "clinician_id", N_("Clinician"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, clinician_id), 36, NULL, 0, 0 },
  { "kind", N_("Kind"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, kind), 0, kind_choices, 0, 0 },
  { "service_code", N_("Service code"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendCharge, service_code), 5, NULL, 0, 0 },
  { "description", N_("Description"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendCharge, description), 60, NULL, 0, 0 },
  { "modifiers", N_("Modifiers"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendCharge, modifiers), 11, NULL, 0, 0 },
  { "units", N_("Units"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, units), 0, NULL, 1, 99 },
  { "fee", N_("Fee"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, fee), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
  { "service_date", N_("Date of service"), TEND_FIELD_DATE, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, service_date), 10, NULL, 0, 0 },
  { "place_of_service", N_("Place of service"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendCharge, place_of_service), 2, NULL, 0, 0 },
  { "diagnoses", N_("Diagnoses"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendCharge, diagnoses), 40, NULL, 0, 0 },
  { "responsibility", N_("Who pays"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, responsibility), 0, responsibility_choices, 0, 0 },
  { "status", N_("Status"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendCharge, status), 0, status_choices, 0, 0 },
  { "void_reason", N_("Reason for voiding"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendCharge, void_reason), 200, NULL, 0, 0 },
  { "claim_id", N_("Claim"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendCharge, claim_id), 36, NULL, 0, 0 },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_charge_validate (TendRecord *record,
                     GError    **error)
{
  TendCharge *self = TEND_CHARGE (record);

  g_autofree char *bad = NULL;

  if (self->service_code != NULL && !tend_cpt_code_is_valid (self->service_code))
    return invalid (error, _("Service code: use a five-character CPT or HCPCS code, like 90834"));
  if (!tend_code_list_check (self->modifiers, 4, tend_modifier_is_valid, &bad))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Modifiers: “%s” is not a modifier (up to four two-character codes, like 95)"), bad);
      return FALSE;
    }
  if (!tend_code_list_check (self->diagnoses, 4, tend_icd10_code_is_valid, &bad))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Diagnoses: “%s” is not an ICD-10 code (up to four, like F41.1)"), bad);
      return FALSE;
    }
  if (self->place_of_service != NULL && !tend_place_of_service_is_valid (self->place_of_service))
    return invalid (error, _("Place of service: use a two-digit code, like 11"));
  if (self->kind == TEND_CHARGE_SESSION && self->appointment_id == NULL)
    return invalid (error, _("Session: a session charge needs its appointment"));
  if (self->kind == TEND_CHARGE_SESSION && self->service_code == NULL)
    return invalid (error, _("Service code: a session charge needs a service"));
  if (self->service_code == NULL && self->description == NULL)
    return invalid (error, _("Description: a charge without a service code needs a description"));
  /* Diagnoses are checked when the charge goes on a claim: a session can be
   * charged before the biller has coded it. */
  if (self->responsibility == TEND_RESPONSIBILITY_INSURANCE && self->service_code == NULL)
    return invalid (error, _("Service code: an insurance charge needs a service code"));
  if (self->status == TEND_CHARGE_VOID && self->void_reason == NULL)
    return invalid (error, _("Reason for voiding: required to void a charge"));
  if (self->fee * self->units > G_GINT64_CONSTANT (100000000))
    return invalid (error, _("Fee: the charge is too large"));
  return TRUE;
}

/* The front desk and clinicians complete sessions and mark no-shows, and
 * the store then makes the charge that follows (the extra writer).  That
 * right covers exactly those charges: new, with the id derived from the
 * session and the kind, for that session's client and clinician, and only
 * when the session's status calls for one.  Changing or removing a charge
 * is the biller's. */
static gboolean
charge_check (TendPolicyActor *actor,
              gboolean         extra_writer,
              TendRecord      *stored,
              TendRecord      *record,
              GError         **error)
{
  TendCharge *charge;
  g_autoptr(TendRecord) appointment = NULL;
  g_autofree char *derived = NULL;
  g_autoptr(GError) local = NULL;
  gboolean fits;

  /* A claim carries only billable codes: checked as the charge goes on a
   * claim, or its codes change there (charges billed before this rule keep
   * their codes when payments are posted to them). */
  if (record != NULL && TEND_CHARGE (record)->claim_id != NULL &&
      (stored == NULL ||
       g_strcmp0 (TEND_CHARGE (stored)->claim_id, TEND_CHARGE (record)->claim_id) != 0 ||
       g_strcmp0 (TEND_CHARGE (stored)->diagnoses, TEND_CHARGE (record)->diagnoses) != 0) &&
      !tend_icd10_check_billable (TEND_CHARGE (record)->diagnoses, error))
    return FALSE;
  if (!extra_writer)
    return TRUE;
  if (stored != NULL || record == NULL)
    return tend_policy_deny (error, _("Only billing staff change or remove a charge once it is made."));
  charge = TEND_CHARGE (record);
  if (charge->kind == TEND_CHARGE_MANUAL || charge->appointment_id == NULL)
    return tend_policy_deny (error, _("Only billing staff add charges by hand."));
  appointment = tend_policy_actor_load (actor, TEND_TYPE_APPOINTMENT, charge->appointment_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (appointment == NULL ||
      !tend_appointment_has_member (TEND_APPOINTMENT (appointment), charge->client_id) ||
      g_strcmp0 (tend_appointment_get_clinician_id (TEND_APPOINTMENT (appointment)), charge->clinician_id) != 0)
    return tend_policy_deny (error, _("The charge does not match its session’s client and clinician."));
  derived = tend_charge_id_for_member (TEND_APPOINTMENT (appointment), (TendChargeKind) charge->kind,
                                       charge->client_id);
  if (g_strcmp0 (derived, tend_record_get_id (record)) != 0)
    return tend_policy_deny (error, _("A session’s charge must have the identifier made from the session."));
  fits = tend_charge_kind_fits_member (TEND_APPOINTMENT (appointment), charge->client_id,
                                       (TendChargeKind) charge->kind);
  if (!fits)
    return tend_policy_deny (error, _("The session’s status does not call for this charge."));
  return TRUE;
}

/* The front desk takes payments and keeps balances: it reads charges
 * without their diagnosis codes. */
static const char * const charge_redacted_keep[] = {
  "client_id", "appointment_id", "clinician_id", "kind", "service_code", "description", "modifiers",
  "units", "fee", "service_date", "place_of_service", "responsibility", "status", "void_reason",
  "claim_id", NULL
};

static const TendRecordPolicy charge_policy = {
  .read = TEND_PERMISSION_VIEW_DIAGNOSES,
  .read_redacted = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .redacted_keep = charge_redacted_keep,
  .write = TEND_PERMISSION_MANAGE_BILLING,
  .write_also = TEND_PERMISSION_MANAGE_SCHEDULE,
  .check = charge_check,
};

static void
tend_charge_class_init (TendChargeClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "charge", charge_fields, G_N_ELEMENTS (charge_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &charge_policy);
  record_class->validate = tend_charge_validate;
}

static void
tend_charge_init (TendCharge *self)
{
  self->units = 1;
}

TendCharge *
tend_charge_new (const char     *client_id,
                 const char     *clinician_id,
                 TendChargeKind  kind,
                 const char     *service_date,
                 gint64          fee)
{
  TendCharge *self = TEND_CHARGE (tend_record_new (TEND_TYPE_CHARGE));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "clinician_id", clinician_id);
  tend_record_set_string (TEND_RECORD (self), "service_date", service_date);
  self->kind = kind;
  self->fee = fee;
  return self;
}

TendChargeKind
tend_charge_get_kind (TendCharge *self)
{
  g_return_val_if_fail (TEND_IS_CHARGE (self), TEND_CHARGE_MANUAL);
  return (TendChargeKind) self->kind;
}

TendChargeStatus
tend_charge_get_status (TendCharge *self)
{
  g_return_val_if_fail (TEND_IS_CHARGE (self), TEND_CHARGE_OPEN);
  return (TendChargeStatus) self->status;
}

TendResponsibility
tend_charge_get_responsibility (TendCharge *self)
{
  g_return_val_if_fail (TEND_IS_CHARGE (self), TEND_RESPONSIBILITY_CLIENT);
  return (TendResponsibility) self->responsibility;
}

/* The line's total: fee x units, exact in minor units (0 when void). */
gint64
tend_charge_get_amount (TendCharge *self)
{
  g_return_val_if_fail (TEND_IS_CHARGE (self), 0);
  return self->status == TEND_CHARGE_VOID ? 0 : self->fee * self->units;
}

const char *
tend_charge_kind_get_label (TendChargeKind kind)
{
  switch (kind)
    {
    case TEND_CHARGE_SESSION:     return _("Session");
    case TEND_CHARGE_NO_SHOW:     return _("No-show fee");
    case TEND_CHARGE_LATE_CANCEL: return _("Late cancellation fee");
    case TEND_CHARGE_MANUAL:      return _("Charge");
    default:                      return "";
    }
}

/* Void, never delete: the line stays in the ledger with its reason. */
gboolean
tend_charge_void (TendCharge *self,
                  const char *reason,
                  GError    **error)
{
  g_return_val_if_fail (TEND_IS_CHARGE (self), FALSE);
  if (reason == NULL || *reason == '\0')
    return invalid (error, _("Reason for voiding: required to void a charge"));
  if (self->status == TEND_CHARGE_VOID)
    return invalid (error, _("The charge is already void"));
  self->status = TEND_CHARGE_VOID;
  tend_record_set_string (TEND_RECORD (self), "void_reason", reason);
  return TRUE;
}

/**
 * tend_charge_id_for:
 *
 * A session's charges have ids derived from the appointment and the kind of
 * charge, so completing a session twice, or on two computers, makes one
 * charge, not two; and the server can tell such a charge from any other.
 * For a version 8 appointment id (tend_uuid_orders_derived ()) the id
 * begins with the appointment's first 48 bits, so charges sit in the id
 * index in the order of their sessions' series; any other appointment
 * keeps the version 5 style id its charges always had.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_charge_id_for (const char     *appointment_id,
                    TendChargeKind  kind)
{
  g_autoptr(GChecksum) sum = NULL;
  char k = (char) ('0' + kind);

  if (tend_uuid_orders_derived (appointment_id))
    {
      char detail[2] = { k, '\0' };

      /* "tend-charge:" APPOINTMENT "@" K: not the legacy name below, but
       * the hash bits only need to differ between kinds and sessions. */
      return tend_record_derive_ordered_id ("tend-charge", appointment_id, detail);
    }
  sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sum, (const guchar *) "tend-charge:", -1);
  g_checksum_update (sum, (const guchar *) appointment_id, -1);
  g_checksum_update (sum, (const guchar *) &k, 1);
  return tend_uuid_from_sha1 (sum);
}

/**
 * tend_charge_id_for_member:
 * @client_id: one of @appointment's clients
 *
 * The id of @client_id's charge of @kind for @appointment: for the
 * session's own client the id tend_charge_id_for () gives (so charges made
 * before sessions had several clients keep theirs), for each other member
 * of a couple, family or group session one derived from the session, the
 * kind and the client, so each member's charge is their own.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_charge_id_for_member (TendAppointment *appointment,
                           TendChargeKind   kind,
                           const char      *client_id)
{
  const char *appointment_id = tend_record_get_id (TEND_RECORD (appointment));
  g_autofree char *client = g_ascii_strdown (client_id, -1);
  g_autofree char *detail = NULL;
  g_autoptr(GChecksum) sum = NULL;

  if (g_ascii_strcasecmp (client_id, tend_appointment_get_client_id (appointment)) == 0)
    return tend_charge_id_for (appointment_id, kind);
  detail = g_strdup_printf ("%c:%s", (char) ('0' + kind), client);
  if (tend_uuid_orders_derived (appointment_id))
    return tend_record_derive_ordered_id ("tend-charge", appointment_id, detail);
  sum = g_checksum_new (G_CHECKSUM_SHA1);
  g_checksum_update (sum, (const guchar *) "tend-charge:", -1);
  g_checksum_update (sum, (const guchar *) appointment_id, -1);
  g_checksum_update (sum, (const guchar *) detail, -1);
  return tend_uuid_from_sha1 (sum);
}

/**
 * tend_charge_kind_fits_member:
 *
 * Whether @appointment's state calls for a charge of @kind for its client
 * @client_id: the session's when they attended (or, in an individual
 * session not yet completed, when its note is signed first), a no-show or
 * late-cancellation fee when that was their attendance.  Whether the
 * practice charges one is its billing settings'.
 */
gboolean
tend_charge_kind_fits_member (TendAppointment *appointment,
                              const char      *client_id,
                              TendChargeKind   kind)
{
  TendAppointmentStatus status = tend_appointment_get_status (appointment);
  TendAttendance attendance;

  if (!tend_appointment_has_member (appointment, client_id) || status == TEND_APPOINTMENT_CANCELLED)
    return FALSE;
  attendance = tend_appointment_effective_attendance (appointment, client_id);
  switch (kind)
    {
    case TEND_CHARGE_SESSION:
      if (status == TEND_APPOINTMENT_NO_SHOW || status == TEND_APPOINTMENT_LATE_CANCELLED)
        return FALSE;
      return attendance == TEND_ATTENDANCE_ATTENDED ||
             (attendance == TEND_ATTENDANCE_EXPECTED && !tend_appointment_is_multi_client (appointment));
    case TEND_CHARGE_NO_SHOW:
      return attendance == TEND_ATTENDANCE_NO_SHOW;
    case TEND_CHARGE_LATE_CANCEL:
      return attendance == TEND_ATTENDANCE_LATE_CANCELLED;
    case TEND_CHARGE_MANUAL:
    default:
      return FALSE;
    }
}
