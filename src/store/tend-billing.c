/* tend-billing.c: charges, payments, balances, claims and billing reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money is integer minor units everywhere here; sums are done by SQLite on
 * 64-bit integers, so totals are exact.  What a charge still owes is always
 * computed (amount - allocations - write-offs), never stored, so it cannot
 * drift from the rows it comes from.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "tend-billing.h"
#include "tend-icd10.h"
#include "tend-schedule.h"
#include "tend-store-private.h"
#include "tend-sync-store.h"

#define RECORD_COLUMNS "id, version, deleted, updated_at, body"

/* Still owed on a charge: joins kept as correlated sums on indexed columns. */
#define REMAINING_SQL(c) \
  "(" c ".amount" \
  " - coalesce((SELECT sum(a.amount) FROM allocation a WHERE a.charge_id = " c ".id AND a.deleted = 0), 0)" \
  " - coalesce((SELECT sum(j.amount) FROM adjustment j WHERE j.charge_id = " c ".id AND j.deleted = 0" \
  "   AND j.group_code <> 'PR'), 0))"

void
tend_aging_row_free (TendAgingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->client_id);
  g_free (row);
}

void
tend_remit_result_clear (TendRemitResult *result)
{
  g_clear_pointer (&result->unmatched, g_ptr_array_unref);
}

/* Helpers */

static gboolean
denied (GError **error)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                       _("Your role may not do this in Billing."));
  return FALSE;
}

static gboolean
require (TendStore      *store,
         TendPermission  permission,
         GError        **error)
{
  TendRole role;

  if (!tend_store_get_actor_role (store, &role))
    return TRUE;
  return tend_role_can (role, permission) || denied (error);
}

/* Binds text arguments ?1, ?2... from a NULL-terminated list. */
static sqlite3_stmt *
prepare_args (TendStore  *store,
              const char *sql,
              GError    **error,
              va_list     args)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  const char *arg;
  int i = 1;

  if (stmt == NULL)
    return NULL;
  while ((arg = va_arg (args, const char *)) != NULL)
    sqlite3_bind_text (stmt, i++, arg, -1, SQLITE_TRANSIENT);
  return stmt;
}

static G_GNUC_NULL_TERMINATED gboolean
query_int (TendStore  *store,
           gint64     *out,
           GError    **error,
           const char *sql,
           ...)
{
  sqlite3_stmt *stmt;
  va_list args;
  int rc;

  va_start (args, sql);
  stmt = prepare_args (store, sql, error, args);
  va_end (args);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

/* Records of @type from a query selecting RECORD_COLUMNS. */
static G_GNUC_NULL_TERMINATED GPtrArray *
query_records (TendStore  *store,
               GType       type,
               GError    **error,
               const char *sql,
               ...)
{
  sqlite3_stmt *stmt;
  va_list args;

  va_start (args, sql);
  stmt = prepare_args (store, sql, error, args);
  va_end (args);
  if (stmt == NULL)
    return NULL;
  return tend_store_collect_rows (store, type, stmt, FALSE, error);
}

static gboolean
save_consequence (TendStore  *store,
                  TendRecord *record,
                  GError    **error)
{
  gboolean ok;

  tend_store_push_consequence (store);
  ok = tend_store_save (store, record, error);
  tend_store_pop_consequence (store);
  return ok;
}

static char *
today_string (TendStore *store)
{
  g_autoptr(GTimeZone) zone = tend_store_dup_practice_zone (store);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  return g_date_time_format (now, "%Y-%m-%d");
}

/* The practice's calendar date of a UTC instant (a claim sent at 19:00 in
 * Chicago is sent that day, though it is already tomorrow in UTC). */
static char *
local_date_of_instant (TendStore  *store,
                       const char *iso)
{
  g_autoptr(GTimeZone) zone = tend_store_dup_practice_zone (store);
  g_autoptr(GDateTime) utc = iso != NULL ? tend_time_parse_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;
}

static char *
currency_of (TendStore *store)
{
  g_autoptr(TendPractice) practice = tend_store_load_practice_shared (store);

  return g_strdup (practice != NULL ? tend_practice_get_currency (practice) : "USD");
}

/* A clinician (or supervisor) may see the money of their own clients only:
 * those whose primary clinician they are, or whom they have charged for. */
static gboolean
may_see_client (TendStore  *store,
                const char *client_id,
                GError    **error)
{
  TendRole role;
  gint64 n = 0;

  if (!tend_store_get_actor_role (store, &role))
    return TRUE;
  if (tend_role_can (role, TEND_PERMISSION_MANAGE_BILLING) || tend_role_can (role, TEND_PERMISSION_RECORD_PAYMENTS))
    return TRUE;
  if (role != TEND_ROLE_CLINICIAN && role != TEND_ROLE_SUPERVISOR)
    return denied (error);
  if (!query_int (store, &n, error,
                  "SELECT EXISTS (SELECT 1 FROM client WHERE id = ?1 AND deleted = 0 AND primary_clinician_id = ?2)"
                  " OR EXISTS (SELECT 1 FROM charge WHERE client_id = ?1 AND deleted = 0 AND clinician_id = ?2)",
                  client_id, tend_store_get_actor_id (store), NULL))
    return FALSE;
  if (n == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("Only this client's own clinicians, billers and the front desk can see their balance."));
      return FALSE;
    }
  return TRUE;
}

/* Settings */

/**
 * tend_billing_load_settings:
 *
 * Returns: (transfer full): the practice's billing settings, or defaults
 *   (charge on completion, no fees for missed sessions, modifier 95, places
 *   of service 02 and 11) when none were saved
 */
TendBillingSettings *
tend_billing_load_settings (TendStore *store,
                            GError   **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  rows = query_records (store, TEND_TYPE_BILLING_SETTINGS, error,
                        "SELECT " RECORD_COLUMNS " FROM billing_settings WHERE deleted = 0 ORDER BY rid LIMIT 1",
                        NULL);
  if (rows == NULL)
    return NULL;
  if (rows->len > 0)
    return g_object_ref (g_ptr_array_index (rows, 0));
  return tend_billing_settings_new ();
}

/* The settings as tend_billing_load_settings () gives them, read once per
 * transaction (tend_store_lookup_get ()): a batch of sessions asks for every
 * one.  Shared: read them, never change them. */
static TendBillingSettings *
load_settings_shared (TendStore *store,
                      GError   **error)
{
  TendBillingSettings *settings = tend_store_lookup_get (store, "billing_settings\nrecord");

  if (settings != NULL)
    return g_object_ref (settings);
  settings = tend_billing_load_settings (store, error);
  if (settings != NULL)
    tend_store_lookup_put (store, "billing_settings", "billing_settings\nrecord",
                           g_object_ref (settings), g_object_unref);
  return settings;
}

/* Charges */

/**
 * tend_billing_charge_id_for:
 *
 * A session's charges have ids derived from the appointment and the kind of
 * charge, so completing a session twice, or on two computers, makes one
 * charge, not two.
 *
 * Returns: (transfer full): a UUID string
 */
char *
tend_billing_charge_id_for (const char     *appointment_id,
                            TendChargeKind  kind)
{
  return tend_charge_id_for (appointment_id, kind);
}

/* Read once per transaction (tend_store_lookup_get ()); shared: read it,
 * never change it. */
static TendService *
load_service (TendStore  *store,
              const char *code,
              GError    **error)
{
  g_autofree char *key = g_strconcat ("service\n", code, NULL);
  TendService *service = tend_store_lookup_get (store, key);
  g_autoptr(GPtrArray) rows = NULL;

  if (service != NULL)
    return g_object_ref (service);
  rows = query_records (store, TEND_TYPE_SERVICE, error,
                        "SELECT " RECORD_COLUMNS " FROM service WHERE code = ?1 AND deleted = 0"
                        " ORDER BY rid LIMIT 1", code, NULL);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                   _("The service %s is not in the practice’s catalogue"), code);
      return NULL;
    }
  service = g_ptr_array_index (rows, 0);
  tend_store_lookup_put (store, "service", key, g_object_ref (service), g_object_unref);
  return g_object_ref (service);
}

/**
 * tend_billing_resolve_fee:
 * @insurance: whether an insurer pays (then the sliding scale does not apply:
 *   claims carry the full fee)
 *
 * The fee for one unit of @service_code: the clinician's own fee where the
 * practice set one, else the catalogue's; for a client who pays, scaled by
 * their sliding-scale percentage (rounded half up to a minor unit).
 *
 * Returns: the fee in minor units, or -1 with @error set
 */
gint64
tend_billing_resolve_fee (TendStore  *store,
                          const char *service_code,
                          const char *clinician_id,
                          const char *client_id,
                          gboolean    insurance,
                          GError    **error)
{
  g_autoptr(TendService) service = NULL;
  gint64 fee, override = -1, percent = 100;

  g_return_val_if_fail (TEND_IS_STORE (store), -1);
  service = load_service (store, service_code, error);
  if (service == NULL)
    return -1;
  fee = tend_service_get_fee (service);
  if (clinician_id != NULL &&
      !query_int (store, &override, error,
                  "SELECT coalesce((SELECT json_extract(body, '$.fee') FROM service_fee"
                  " WHERE service_code = ?1 AND clinician_id = ?2 AND deleted = 0 ORDER BY rid LIMIT 1), -1)",
                  service_code, clinician_id, NULL))
    return -1;
  if (override >= 0)
    fee = override;
  if (!insurance && client_id != NULL &&
      !query_int (store, &percent, error,
                  "SELECT coalesce((SELECT json_extract(body, '$.billing.fee_percent') FROM client WHERE id = ?1), 100)",
                  client_id, NULL))
    return -1;
  return tend_money_scale_percent (fee, (guint) CLAMP (percent, 0, 100));
}

/* The policy of @client_id that covers @date, first by priority; shared:
 * read it, never change it.  The client's policies are read once per
 * transaction (tend_store_lookup_get ()), not for each of their sessions
 * and claim lines; a write to the policies forgets them. */
static TendPolicy *
find_policy (TendStore  *store,
             const char *client_id,
             const char *date,
             GError    **error)
{
  g_autofree char *key = g_strconcat ("policy\n", client_id, NULL);
  GPtrArray *rows = tend_store_lookup_get (store, key);

  if (rows == NULL)
    {
      rows = query_records (store, TEND_TYPE_POLICY, error,
                            "SELECT " RECORD_COLUMNS " FROM policy WHERE client_id = ?1 AND deleted = 0"
                            " ORDER BY json_extract(body, '$.priority'), rid", client_id, NULL);
      if (rows == NULL)
        return NULL;
      /* Kept by the store inside a transaction, freed at once outside one. */
      tend_store_lookup_put (store, "policy", key, g_ptr_array_ref (rows), (GDestroyNotify) g_ptr_array_unref);
    }
  else
    g_ptr_array_ref (rows);
  {
    g_autoptr(GPtrArray) held = rows;

    for (guint i = 0; i < held->len; i++)
      if (tend_policy_covers (g_ptr_array_index (held, i), date))
        return g_object_ref (g_ptr_array_index (held, i));
  }
  return NULL;
}


/* The client's most recent diagnoses, carried to a new session charge until
 * diagnoses come from the chart. */
static char *
last_diagnoses (TendStore  *store,
                const char *client_id)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store,
    "SELECT json_extract(body, '$.diagnoses') FROM charge WHERE client_id = ?1 AND deleted = 0"
    " AND json_extract(body, '$.diagnoses') IS NOT NULL ORDER BY service_date DESC, rid DESC LIMIT 1", NULL);
  char *out = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  return out;
}

static gboolean
row_exists (TendStore  *store,
            const char *table_sql,
            const char *id,
            gboolean   *exists,
            GError    **error)
{
  gint64 n = 0;

  if (!query_int (store, &n, error, table_sql, id, NULL))
    return FALSE;
  *exists = n != 0;
  return TRUE;
}

static char *
local_date_of (TendStore       *store,
               TendAppointment *appointment)
{
  g_autoptr(GTimeZone) zone = tend_store_dup_practice_zone (store);
  g_autoptr(GDateTime) start = tend_appointment_dup_start (appointment);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);

  return g_date_time_format (local, "%Y-%m-%d");
}

/* Makes @client_id's charge of @kind for @appointment unless it exists
 * (even void or deleted: a charge someone removed is not brought back).
 * Each client of a couple, family or group session has their own, billed
 * to their own policy. */
static gboolean
ensure_charge (TendStore           *store,
               TendBillingSettings *settings,
               TendAppointment     *appointment,
               const char          *client_id,
               TendChargeKind       kind,
               GError             **error)
{
  const char *appointment_id = tend_record_get_id (TEND_RECORD (appointment));
  const char *clinician_id = tend_appointment_get_clinician_id (appointment);
  g_autofree char *id = tend_charge_id_for_member (appointment, kind, client_id);
  g_autofree char *date = local_date_of (store, appointment);
  g_autoptr(TendCharge) charge = NULL;
  gboolean exists = FALSE;

  if (!row_exists (store, "SELECT count(*) FROM charge WHERE id = ?1", id, &exists, error))
    return FALSE;
  if (exists)
    return TRUE;

  if (kind == TEND_CHARGE_SESSION)
    {
      const char *code = tend_record_get_string (TEND_RECORD (appointment), "service_code");
      gboolean telehealth = tend_appointment_get_modality (appointment) == TEND_MODALITY_TELEHEALTH;
      g_autoptr(TendPolicy) policy = NULL;
      g_autoptr(TendService) service = NULL;
      g_autoptr(GError) local = NULL;
      g_autofree char *modifiers = NULL;
      g_autofree char *diagnoses = NULL;
      gint64 fee;

      /* No service on the session: it shows in "unbilled sessions" until
       * the biller adds the charge by hand. */
      if (code == NULL)
        return TRUE;
      service = load_service (store, code, &local);
      if (service == NULL)
        return TRUE;
      policy = find_policy (store, client_id, date, error);
      if (policy == NULL && error != NULL && *error != NULL)
        return FALSE;
      fee = tend_billing_resolve_fee (store, code, clinician_id, client_id, policy != NULL, error);
      if (fee < 0)
        return FALSE;
      charge = tend_charge_new (client_id, clinician_id, kind, date, fee);
      tend_record_set_string (TEND_RECORD (charge), "service_code", code);
      tend_record_set_string (TEND_RECORD (charge), "description", tend_service_get_description (service));
      modifiers = tend_billing_settings_modifiers (settings, telehealth, NULL);
      tend_record_set_string (TEND_RECORD (charge), "modifiers", modifiers);
      tend_record_set_string (TEND_RECORD (charge), "place_of_service",
                              tend_billing_settings_place_of_service (settings, telehealth));
      diagnoses = last_diagnoses (store, client_id);
      tend_record_set_string (TEND_RECORD (charge), "diagnoses", diagnoses);
      tend_record_set_int (TEND_RECORD (charge), "responsibility",
                           policy != NULL ? TEND_RESPONSIBILITY_INSURANCE : TEND_RESPONSIBILITY_CLIENT);
    }
  else
    {
      gint64 fee = tend_record_get_int (TEND_RECORD (settings),
                                        kind == TEND_CHARGE_NO_SHOW ? "no_show_fee" : "late_cancel_fee");

      if (fee <= 0)
        return TRUE;
      /* Insurers do not pay for missed sessions: the client does. */
      charge = tend_charge_new (client_id, clinician_id, kind, date, fee);
      tend_record_set_string (TEND_RECORD (charge), "description", tend_charge_kind_get_label (kind));
    }
  tend_record_set_id (TEND_RECORD (charge), id);
  tend_record_set_string (TEND_RECORD (charge), "appointment_id", appointment_id);
  return save_consequence (store, TEND_RECORD (charge), error);
}

/**
 * tend_billing_sync_appointment:
 *
 * Makes the charges that follow from @appointment's status under the
 * practice's settings: the session's charge when it is completed (if the
 * practice charges on completion), a no-show or late-cancellation fee when
 * the practice charges one.  Idempotent; runs inside the caller's
 * transaction, as a consequence of a change the actor was allowed to make.
 */
gboolean
tend_billing_sync_appointment (TendStore       *store,
                               TendAppointment *appointment,
                               GError         **error)
{
  static const TendChargeKind kinds[] = { TEND_CHARGE_SESSION, TEND_CHARGE_NO_SHOW, TEND_CHARGE_LATE_CANCEL };
  g_autoptr(TendBillingSettings) settings = NULL;
  g_auto(GStrv) members = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_APPOINTMENT (appointment), FALSE);

  if (tend_appointment_get_kind (appointment) != TEND_APPOINTMENT_KIND_SESSION ||
      tend_appointment_get_client_id (appointment) == NULL)
    return TRUE;
  switch (tend_appointment_get_status (appointment))
    {
    case TEND_APPOINTMENT_COMPLETED:
    case TEND_APPOINTMENT_NO_SHOW:
    case TEND_APPOINTMENT_LATE_CANCELLED:
      break;
    default:
      return TRUE;
    }
  settings = load_settings_shared (store, error);
  if (settings == NULL)
    return FALSE;
  /* Each client's charge follows their own attendance (an individual
   * session's client: the session's status). */
  members = tend_appointment_dup_member_ids (appointment);
  for (guint i = 0; members[i] != NULL; i++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        if (!tend_charge_kind_fits_member (appointment, members[i], kinds[k]))
          continue;
        if (kinds[k] == TEND_CHARGE_SESSION &&
            (tend_appointment_get_status (appointment) != TEND_APPOINTMENT_COMPLETED ||
             tend_billing_settings_get_charge_on (settings) != TEND_CHARGE_ON_COMPLETED))
          continue;
        if (!ensure_charge (store, settings, appointment, members[i], kinds[k], error))
          return FALSE;
      }
  return TRUE;
}

/**
 * tend_billing_note_signed:
 *
 * For practices that charge when the note is signed: the notes code calls
 * this once the session's note is signed.  Idempotent.  A couple, family
 * or group session charges the clients who attended.
 */
gboolean
tend_billing_note_signed (TendStore  *store,
                          const char *appointment_id,
                          GError    **error)
{
  g_autoptr(TendBillingSettings) settings = NULL;
  g_autoptr(TendRecord) appointment = NULL;
  g_auto(GStrv) members = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  settings = tend_billing_load_settings (store, error);
  if (settings == NULL)
    return FALSE;
  if (tend_billing_settings_get_charge_on (settings) != TEND_CHARGE_ON_NOTE_SIGNED)
    return TRUE;
  appointment = tend_store_load (store, TEND_TYPE_APPOINTMENT, appointment_id, error);
  if (appointment == NULL)
    return FALSE;
  if (tend_appointment_get_kind (TEND_APPOINTMENT (appointment)) != TEND_APPOINTMENT_KIND_SESSION ||
      tend_appointment_get_client_id (TEND_APPOINTMENT (appointment)) == NULL)
    return TRUE;
  if (!tend_store_step_begin (store, error))
    return FALSE;
  members = tend_appointment_dup_member_ids (TEND_APPOINTMENT (appointment));
  for (guint i = 0; ok && members[i] != NULL; i++)
    if (!tend_appointment_is_multi_client (TEND_APPOINTMENT (appointment)) ||
        tend_charge_kind_fits_member (TEND_APPOINTMENT (appointment), members[i], TEND_CHARGE_SESSION))
      ok = ensure_charge (store, settings, TEND_APPOINTMENT (appointment), members[i], TEND_CHARGE_SESSION, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

static gint64
sum_allocated_to (TendStore  *store,
                  const char *charge_id,
                  GError    **error)
{
  gint64 n = 0;

  if (!query_int (store, &n, error,
                  "SELECT coalesce(sum(amount), 0) FROM allocation WHERE charge_id = ?1 AND deleted = 0",
                  charge_id, NULL))
    return -1;
  return n;
}

/**
 * tend_billing_save_charge:
 *
 * Adds a charge by hand or saves an edited one.  A charge on a claim that was
 * sent cannot change (void it and charge again), nor can a voided one, and a
 * charge cannot become smaller than what was already paid on it.
 */
gboolean
tend_billing_save_charge (TendStore  *store,
                          TendCharge *charge,
                          GError    **error)
{
  const char *claim_id;
  gint64 allocated;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_CHARGE (charge), FALSE);

  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  if (!tend_record_validate (TEND_RECORD (charge), error))
    return FALSE;
  {
    g_autoptr(TendRecord) stored = tend_store_load (store, TEND_TYPE_CHARGE,
                                                    tend_record_get_id (TEND_RECORD (charge)), NULL);

    if (stored != NULL && tend_charge_get_status (TEND_CHARGE (stored)) == TEND_CHARGE_VOID)
      {
        g_autofree char *a = tend_record_to_body_string (stored);
        g_autofree char *b = tend_record_to_body_string (TEND_RECORD (charge));

        if (g_strcmp0 (a, b) != 0)
          {
            g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD,
                                 _("This charge was voided; it can no longer change."));
            return FALSE;
          }
      }
  }
  claim_id = tend_record_get_string (TEND_RECORD (charge), "claim_id");
  if (claim_id != NULL)
    {
      gint64 sent = 0;

      if (!query_int (store, &sent, error,
                      "SELECT count(*) FROM claim WHERE id = ?1 AND deleted = 0 AND status <> 'draft'",
                      claim_id, NULL))
        return FALSE;
      if (sent > 0)
        {
          g_autoptr(TendRecord) stored = tend_store_load (store, TEND_TYPE_CHARGE,
                                                          tend_record_get_id (TEND_RECORD (charge)), NULL);
          g_autofree char *a = stored != NULL ? tend_record_to_body_string (stored) : NULL;
          g_autofree char *b = tend_record_to_body_string (TEND_RECORD (charge));

          if (g_strcmp0 (a, b) != 0)
            {
              g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD,
                                   _("This charge is on a claim that was sent; it can no longer change."));
              return FALSE;
            }
        }
    }
  allocated = sum_allocated_to (store, tend_record_get_id (TEND_RECORD (charge)), error);
  if (allocated < 0)
    return FALSE;
  if (allocated > tend_charge_get_amount (charge) && tend_charge_get_status (charge) == TEND_CHARGE_OPEN)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Fee: more than this has already been paid on the charge; move the payment first."));
      return FALSE;
    }
  return tend_store_save (store, TEND_RECORD (charge), error);
}

/* Takes every allocation off a charge or a payment: the money goes back to
 * the payment's unapplied amount (the allocation rows are tombstoned, so the
 * history syncs and stays in the audit log). */
static gboolean
release_allocations (TendStore  *store,
                     const char *column_sql,
                     const char *id,
                     GError    **error)
{
  g_autoptr(GPtrArray) rows = query_records (store, TEND_TYPE_ALLOCATION, error, column_sql, id, NULL);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (!tend_store_delete (store, g_ptr_array_index (rows, i), error))
      return FALSE;
  return TRUE;
}

/**
 * tend_billing_void_charge:
 *
 * Voids a charge with a reason (never deletes it).  Payments allocated to it
 * go back to the client's unapplied credit.  A charge on a sent claim cannot
 * be voided here (the payer must be told first).
 */
gboolean
tend_billing_void_charge (TendStore  *store,
                          const char *charge_id,
                          const char *reason,
                          GError    **error)
{
  g_autoptr(TendRecord) charge = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  charge = tend_store_load (store, TEND_TYPE_CHARGE, charge_id, error);
  if (charge == NULL)
    return FALSE;
  if (tend_record_get_string (charge, "claim_id") != NULL)
    {
      gint64 sent = 0;

      if (!query_int (store, &sent, error,
                      "SELECT count(*) FROM claim WHERE id = ?1 AND deleted = 0 AND status <> 'draft'",
                      tend_record_get_string (charge, "claim_id"), NULL))
        return FALSE;
      if (sent > 0)
        {
          g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD,
                               _("This charge is on a claim that was sent; correct the claim with the payer first."));
          return FALSE;
        }
    }
  if (!tend_charge_void (TEND_CHARGE (charge), reason, error))
    return FALSE;
  tend_record_set_string (charge, "claim_id", NULL);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = release_allocations (store, "SELECT " RECORD_COLUMNS " FROM allocation WHERE charge_id = ?1 AND deleted = 0",
                            charge_id, error) &&
       tend_store_save (store, charge, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_billing_list_charges:
 * @client_id: (nullable): one client, or everyone
 *
 * Returns: (transfer container) (element-type TendCharge): by date of service
 */
GPtrArray *
tend_billing_list_charges (TendStore  *store,
                           const char *client_id,
                           gboolean    open_only,
                           GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (client_id != NULL && !may_see_client (store, client_id, error))
    return NULL;
  if (client_id == NULL && !require (store, TEND_PERMISSION_RECORD_PAYMENTS, error))
    return NULL;
  if (client_id != NULL)
    return query_records (store, TEND_TYPE_CHARGE, error,
                          open_only
                          ? "SELECT " RECORD_COLUMNS " FROM charge c WHERE client_id = ?1 AND deleted = 0 AND status = 'open'"
                            " AND " REMAINING_SQL ("c") " <> 0 ORDER BY service_date, rid"
                          : "SELECT " RECORD_COLUMNS " FROM charge WHERE client_id = ?1 AND deleted = 0 ORDER BY service_date, rid",
                          client_id, NULL);
  return query_records (store, TEND_TYPE_CHARGE, error,
                        open_only
                        ? "SELECT " RECORD_COLUMNS " FROM charge c WHERE deleted = 0 AND status = 'open'"
                          " AND " REMAINING_SQL ("c") " <> 0 ORDER BY service_date, rid"
                        : "SELECT " RECORD_COLUMNS " FROM charge WHERE deleted = 0 ORDER BY service_date, rid",
                        NULL);
}

gint64
tend_billing_charge_remaining (TendStore  *store,
                               const char *charge_id,
                               GError    **error)
{
  gint64 n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), -1);
  if (!query_int (store, &n, error, "SELECT " REMAINING_SQL ("c") " FROM charge c WHERE c.id = ?1", charge_id, NULL))
    return G_MININT64;
  return n;
}

gint64
tend_billing_payment_unapplied (TendStore  *store,
                                const char *payment_id,
                                GError    **error)
{
  gint64 n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), -1);
  if (!query_int (store, &n, error,
                  "SELECT CASE WHEN p.status = 'void' OR p.kind = 'refund' THEN 0 ELSE p.amount"
                  " - coalesce((SELECT sum(a.amount) FROM allocation a WHERE a.payment_id = p.id AND a.deleted = 0), 0) END"
                  " FROM payment p WHERE p.id = ?1 AND p.deleted = 0", payment_id, NULL))
    return -1;
  return n;
}

/* Payments */

static gboolean
allocate_internal (TendStore  *store,
                   const char *payment_id,
                   const char *charge_id,
                   gint64      amount,
                   GError    **error)
{
  g_autoptr(TendAllocation) allocation = tend_allocation_new (payment_id, charge_id, amount);

  return tend_store_save (store, TEND_RECORD (allocation), error);
}

/* Oldest charge first, oldest payment first: allocates what is unapplied on
 * the client's payments and credits to what is owed on their charges. */
static gboolean
auto_allocate (TendStore  *store,
               const char *client_id,
               gint64     *allocated,
               GError    **error)
{
  g_autoptr(GPtrArray) payments = NULL;
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(GArray) owed = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint c = 0;

  payments = query_records (store, TEND_TYPE_PAYMENT, error,
                            "SELECT " RECORD_COLUMNS " FROM payment WHERE client_id = ?1 AND deleted = 0"
                            " AND status = 'posted' AND kind IN ('payment', 'credit') ORDER BY received_on, rid",
                            client_id, NULL);
  if (payments == NULL)
    return FALSE;
  charges = query_records (store, TEND_TYPE_CHARGE, error,
                           "SELECT " RECORD_COLUMNS " FROM charge c WHERE client_id = ?1 AND deleted = 0"
                           " AND status = 'open' AND responsibility = 'client' AND " REMAINING_SQL ("c") " > 0"
                           " ORDER BY service_date, rid", client_id, NULL);
  if (charges == NULL)
    return FALSE;
  for (guint i = 0; i < charges->len; i++)
    {
      gint64 r = tend_billing_charge_remaining (store, tend_record_get_id (g_ptr_array_index (charges, i)), error);

      if (r == G_MININT64)
        return FALSE;
      g_array_append_val (owed, r);
    }
  for (guint p = 0; p < payments->len && c < charges->len; p++)
    {
      const char *payment_id = tend_record_get_id (g_ptr_array_index (payments, p));
      gint64 left = tend_billing_payment_unapplied (store, payment_id, error);

      if (left < 0)
        return FALSE;
      while (left > 0 && c < charges->len)
        {
          gint64 take = MIN (left, g_array_index (owed, gint64, c));

          if (!allocate_internal (store, payment_id, tend_record_get_id (g_ptr_array_index (charges, c)), take, error))
            return FALSE;
          left -= take;
          g_array_index (owed, gint64, c) -= take;
          if (allocated != NULL)
            *allocated += take;
          if (g_array_index (owed, gint64, c) == 0)
            c++;
        }
    }
  return TRUE;
}

/**
 * tend_billing_auto_allocate:
 * @allocated: (out) (optional): how much was allocated
 *
 * Applies every unapplied payment and credit of the client to their
 * charges, oldest charge first.
 */
gboolean
tend_billing_auto_allocate (TendStore  *store,
                            const char *client_id,
                            gint64     *allocated,
                            GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (allocated != NULL)
    *allocated = 0;
  if (!require (store, TEND_PERMISSION_RECORD_PAYMENTS, error))
    return FALSE;
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = auto_allocate (store, client_id, allocated, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_billing_record_payment:
 * @allocate: apply it (and any earlier unapplied money) to the client's
 *   charges, oldest first
 *
 * Records a payment, refund or credit.  A refund cannot exceed the client's
 * unapplied credit.
 */
gboolean
tend_billing_record_payment (TendStore   *store,
                             TendPayment *payment,
                             gboolean     allocate,
                             GError     **error)
{
  const char *client_id;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_PAYMENT (payment), FALSE);

  if (!require (store, TEND_PERMISSION_RECORD_PAYMENTS, error))
    return FALSE;
  if (tend_payment_get_kind (payment) == TEND_PAYMENT_CREDIT &&
      !require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  if (!tend_record_validate (TEND_RECORD (payment), error))
    return FALSE;
  client_id = tend_record_get_string (TEND_RECORD (payment), "client_id");
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = TRUE;
  if (tend_payment_get_kind (payment) == TEND_PAYMENT_REFUND)
    {
      TendBalance balance;

      ok = tend_billing_client_balance (store, client_id, &balance, error);
      if (ok && tend_payment_get_amount (payment) > balance.unapplied)
        {
          g_autoptr(TendPractice) practice = tend_store_load_practice (store, NULL);
          TendMoney m = tend_money_init (balance.unapplied, practice != NULL ? tend_practice_get_currency (practice) : "USD");
          g_autofree char *text = tend_money_format (&m);

          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Amount: a refund can return at most the client’s unapplied credit (%s)"), text);
          ok = FALSE;
        }
    }
  if (ok)
    ok = tend_store_save (store, TEND_RECORD (payment), error);
  if (ok && allocate && client_id != NULL && tend_payment_get_kind (payment) != TEND_PAYMENT_REFUND)
    ok = auto_allocate (store, client_id, NULL, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_billing_allocate:
 *
 * Allocates by hand: @amount of @payment_id to @charge_id, at most what is
 * unapplied on the payment and what is owed on the charge.
 */
gboolean
tend_billing_allocate (TendStore  *store,
                       const char *payment_id,
                       const char *charge_id,
                       gint64      amount,
                       GError    **error)
{
  g_autoptr(TendRecord) payment = NULL;
  g_autoptr(TendRecord) charge = NULL;
  gint64 left, owed;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!require (store, TEND_PERMISSION_RECORD_PAYMENTS, error))
    return FALSE;
  payment = tend_store_load (store, TEND_TYPE_PAYMENT, payment_id, error);
  if (payment == NULL)
    return FALSE;
  charge = tend_store_load (store, TEND_TYPE_CHARGE, charge_id, error);
  if (charge == NULL)
    return FALSE;
  if (tend_charge_get_status (TEND_CHARGE (charge)) == TEND_CHARGE_VOID)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The charge is void"));
      return FALSE;
    }
  if (tend_record_get_string (payment, "client_id") != NULL &&
      g_strcmp0 (tend_record_get_string (payment, "client_id"), tend_record_get_string (charge, "client_id")) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("A client’s payment can only go to that client’s charges"));
      return FALSE;
    }
  /* A client's money pays what the client owes; what an insurer owes waits
   * for its remittance (the client's share then becomes theirs). */
  if (tend_record_get_string (payment, "client_id") != NULL &&
      tend_charge_get_responsibility (TEND_CHARGE (charge)) == TEND_RESPONSIBILITY_INSURANCE)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("This charge is billed to insurance; the client’s payment stays as credit until the remittance"));
      return FALSE;
    }
  left = tend_billing_payment_unapplied (store, payment_id, error);
  owed = tend_billing_charge_remaining (store, charge_id, error);
  if (left < 0 || owed == G_MININT64)
    return FALSE;
  if (amount <= 0 || amount > left || amount > owed)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Amount: more than is left on the payment or owed on the charge"));
      return FALSE;
    }
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = allocate_internal (store, payment_id, charge_id, amount, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_billing_void_payment:
 *
 * Voids a payment with a reason (a bounced cheque, a mistake): its
 * allocations are taken off the charges, which owe again.
 */
gboolean
tend_billing_void_payment (TendStore  *store,
                           const char *payment_id,
                           const char *reason,
                           GError    **error)
{
  g_autoptr(TendRecord) payment = NULL;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!require (store, TEND_PERMISSION_RECORD_PAYMENTS, error))
    return FALSE;
  if (reason == NULL || *reason == '\0')
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Reason for voiding: required to void a payment"));
      return FALSE;
    }
  payment = tend_store_load (store, TEND_TYPE_PAYMENT, payment_id, error);
  if (payment == NULL)
    return FALSE;
  if (tend_payment_is_void (TEND_PAYMENT (payment)))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("The payment is already void"));
      return FALSE;
    }
  tend_record_set_int (payment, "status", 1);
  tend_record_set_string (payment, "void_reason", reason);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = release_allocations (store, "SELECT " RECORD_COLUMNS " FROM allocation WHERE payment_id = ?1 AND deleted = 0",
                            payment_id, error) &&
       tend_store_save (store, payment, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/* Balances */

/**
 * tend_billing_client_balance:
 *
 * Fills @balance for one client.  Clinicians may ask only about their own
 * clients (%TEND_ERROR_PERMISSION_DENIED otherwise).
 */
gboolean
tend_billing_client_balance (TendStore   *store,
                             const char  *client_id,
                             TendBalance *balance,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (balance != NULL, FALSE);

  memset (balance, 0, sizeof *balance);
  if (!may_see_client (store, client_id, error))
    return FALSE;
  stmt = tend_store_prepare_cached (store,
    "SELECT coalesce(sum(c.amount), 0),"
    " coalesce(sum((SELECT sum(a.amount) FROM allocation a WHERE a.charge_id = c.id AND a.deleted = 0)), 0),"
    " coalesce(sum((SELECT sum(j.amount) FROM adjustment j WHERE j.charge_id = c.id AND j.deleted = 0 AND j.group_code <> 'PR')), 0),"
    " coalesce(sum(CASE WHEN c.responsibility = 'client' THEN " REMAINING_SQL ("c") " END), 0),"
    " coalesce(sum(CASE WHEN c.responsibility = 'insurance' THEN " REMAINING_SQL ("c") " END), 0)"
    " FROM charge c WHERE c.client_id = ?1 AND c.deleted = 0 AND c.status = 'open'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      balance->charged = sqlite3_column_int64 (stmt, 0);
      balance->paid = sqlite3_column_int64 (stmt, 1);
      balance->written_off = sqlite3_column_int64 (stmt, 2);
      balance->client_due = sqlite3_column_int64 (stmt, 3);
      balance->insurance_due = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return tend_store_take_db_error (store, rc, error);
  if (!query_int (store, &balance->unapplied, error,
                  "SELECT coalesce(sum(CASE WHEN p.kind = 'refund' THEN -p.amount ELSE p.amount"
                  " - coalesce((SELECT sum(a.amount) FROM allocation a WHERE a.payment_id = p.id AND a.deleted = 0), 0) END), 0)"
                  " FROM payment p WHERE p.client_id = ?1 AND p.deleted = 0 AND p.status = 'posted'",
                  client_id, NULL))
    return FALSE;
  balance->balance = balance->client_due - balance->unapplied;
  return TRUE;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const TendLedgerEntry *x = *(TendLedgerEntry **) a, *y = *(TendLedgerEntry **) b;
  int c = g_strcmp0 (x->date, y->date);

  /* On one day, charges before what pays them. */
  return c != 0 ? c : (int) (x->kind != TEND_LEDGER_CHARGE) - (int) (y->kind != TEND_LEDGER_CHARGE);
}

/**
 * tend_billing_ledger:
 *
 * Every charge, payment, refund, credit and write-off of a client, oldest
 * first, with the client's running balance (what the client owes: charges
 * an insurer still owes count only once moved to the client).
 *
 * Returns: (transfer container) (element-type TendLedgerEntry)
 */
GPtrArray *
tend_billing_ledger (TendStore  *store,
                     const char *client_id,
                     GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_ledger_entry_free);
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(GPtrArray) payments = NULL;
  sqlite3_stmt *stmt;
  gint64 running = 0;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!may_see_client (store, client_id, error))
    return NULL;
  charges = query_records (store, TEND_TYPE_CHARGE, error,
                           "SELECT " RECORD_COLUMNS " FROM charge WHERE client_id = ?1 AND deleted = 0 ORDER BY service_date, rid",
                           client_id, NULL);
  payments = charges != NULL
             ? query_records (store, TEND_TYPE_PAYMENT, error,
                              "SELECT " RECORD_COLUMNS " FROM payment WHERE client_id = ?1 AND deleted = 0 ORDER BY received_on, rid",
                              client_id, NULL)
             : NULL;
  if (payments == NULL)
    return NULL;

  for (guint i = 0; i < charges->len; i++)
    {
      TendRecord *c = g_ptr_array_index (charges, i);
      TendLedgerEntry *e = g_new0 (TendLedgerEntry, 1);
      const char *code = tend_record_get_string (c, "service_code");
      const char *mods = tend_record_get_string (c, "modifiers");

      e->kind = TEND_LEDGER_CHARGE;
      e->id = g_strdup (tend_record_get_id (c));
      e->date = g_strdup (tend_record_get_string (c, "service_date"));
      e->code = code == NULL ? NULL : mods != NULL ? g_strdup_printf ("%s %s", code, mods) : g_strdup (code);
      e->description = g_strdup (tend_record_get_string (c, "description"));
      e->clinician_id = g_strdup (tend_record_get_string (c, "clinician_id"));
      e->diagnoses = g_strdup (tend_record_get_string (c, "diagnoses"));
      e->place_of_service = g_strdup (tend_record_get_string (c, "place_of_service"));
      e->units = tend_record_get_int (c, "units");
      e->is_void = tend_charge_get_status (TEND_CHARGE (c)) == TEND_CHARGE_VOID;
      e->amount = e->is_void ? tend_record_get_int (c, "fee") * e->units : tend_charge_get_amount (TEND_CHARGE (c));
      e->insurance = tend_charge_get_responsibility (TEND_CHARGE (c)) == TEND_RESPONSIBILITY_INSURANCE;
      if (e->insurance && e->description != NULL)
        {
          /* TRANSLATORS: a ledger line the client's insurer is to pay */
          char *d = g_strdup_printf (_("%s (billed to insurance)"), e->description);
          g_free (e->description);
          e->description = d;
        }
      e->remaining = e->is_void ? 0 : tend_billing_charge_remaining (store, e->id, NULL);
      g_ptr_array_add (out, e);
    }
  for (guint i = 0; i < payments->len; i++)
    {
      TendRecord *p = g_ptr_array_index (payments, i);
      TendLedgerEntry *e = g_new0 (TendLedgerEntry, 1);
      TendPaymentKind kind = tend_payment_get_kind (TEND_PAYMENT (p));

      e->kind = kind == TEND_PAYMENT_REFUND ? TEND_LEDGER_REFUND :
                kind == TEND_PAYMENT_CREDIT ? TEND_LEDGER_CREDIT : TEND_LEDGER_PAYMENT;
      e->id = g_strdup (tend_record_get_id (p));
      e->date = g_strdup (tend_record_get_string (p, "received_on"));
      e->description = g_strdup (tend_payment_method_get_label (tend_payment_get_method (TEND_PAYMENT (p))));
      e->amount = tend_payment_get_amount (TEND_PAYMENT (p));
      e->is_void = tend_payment_is_void (TEND_PAYMENT (p));
      g_ptr_array_add (out, e);
    }

  /* Insurance payments and write-offs on this client's charges. */
  stmt = tend_store_prepare_cached (store,
    "SELECT p.received_on, a.amount, a.id, NULL, c.responsibility = 'insurance' OR c.status = 'void'"
    " FROM charge c CROSS JOIN allocation a ON a.charge_id = c.id CROSS JOIN payment p ON p.id = a.payment_id"
    " WHERE c.client_id = ?1 AND c.deleted = 0 AND a.deleted = 0 AND p.client_id IS NULL"
    " UNION ALL SELECT json_extract(j.body, '$.posted_on'), j.amount, j.id, j.group_code || '-' || json_extract(j.body, '$.reason'),"
    " c.responsibility = 'insurance' OR c.status = 'void'"
    " FROM charge c CROSS JOIN adjustment j ON j.charge_id = c.id WHERE c.client_id = ?1 AND c.deleted = 0 AND j.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendLedgerEntry *e = g_new0 (TendLedgerEntry, 1);
      const char *adj = (const char *) sqlite3_column_text (stmt, 3);

      e->kind = adj != NULL ? TEND_LEDGER_ADJUSTMENT : TEND_LEDGER_PAYMENT;
      e->date = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      e->amount = sqlite3_column_int64 (stmt, 1);
      e->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->code = g_strdup (adj);
      e->insurance = sqlite3_column_int (stmt, 4) != 0;
      /* TRANSLATORS: a remittance's adjustment with its group and reason, "Insurance adjustment (CO-45)" */
      e->description = adj != NULL ? g_strdup_printf (_("Insurance adjustment (%s)"), adj)
                                   : g_strdup (tend_payment_method_get_label (TEND_PAYMENT_INSURANCE));
      g_ptr_array_add (out, e);
    }
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }

  g_ptr_array_sort (out, compare_entries);
  /* The running balance is the client's: a charge an insurer still owes,
   * and what insurers paid or wrote off on it, change nothing until the
   * remittance moves a share to the client. */
  for (guint i = 0; i < out->len; i++)
    {
      TendLedgerEntry *e = g_ptr_array_index (out, i);

      if (e->is_void || e->insurance)
        e->effect = 0;
      else
        switch (e->kind)
          {
          case TEND_LEDGER_CHARGE:
          case TEND_LEDGER_REFUND:
            e->effect = e->amount;
            break;
          case TEND_LEDGER_ADJUSTMENT:
            e->effect = g_str_has_prefix (e->code, "PR") ? 0 : -e->amount;
            break;
          case TEND_LEDGER_PAYMENT:
          case TEND_LEDGER_CREDIT:
          default:
            e->effect = -e->amount;
            break;
          }
      running += e->effect;
      e->balance = running;
    }
  return g_steal_pointer (&out);
}

/* Days from @from to @to (both YYYY-MM-DD). */
static gint
days_between (const char *from,
              const GDate *to)
{
  GDate d;

  if (!tend_date_parse (from, &d, NULL))
    return 0;
  return g_date_days_between (&d, to);
}

/**
 * tend_billing_aging:
 * @as_of: YYYY-MM-DD
 *
 * What each client owes, aged by date of service: 0-30, 31-60, 61-90 and
 * more than 90 days before @as_of.  Clients who owe nothing are left out.
 * Clinicians see only their own clients.
 *
 * Returns: (transfer container) (element-type TendAgingRow): by client
 */
GPtrArray *
tend_billing_aging (TendStore  *store,
                    const char *as_of,
                    GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_aging_row_free);
  g_autoptr(GHashTable) by_client = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  const char *actor = NULL;
  TendRole role;
  GDate today;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_date_parse (as_of, &today, error))
    return NULL;
  if (tend_store_get_actor_role (store, &role) &&
      !tend_role_can (role, TEND_PERMISSION_MANAGE_BILLING) && !tend_role_can (role, TEND_PERMISSION_RECORD_PAYMENTS))
    {
      if (role != TEND_ROLE_CLINICIAN && role != TEND_ROLE_SUPERVISOR)
        {
          denied (error);
          return NULL;
        }
      actor = tend_store_get_actor_id (store);
    }

  /* Summed by SQLite, bucketed by comparing ISO dates with the bucket
   * edges: on a full practice most charges are paid, and this reads only
   * the covering indexes. */
  {
    char edges[3][11];

    for (guint b = 0; b < 3; b++)
      {
        GDate d = today;

        g_date_subtract_days (&d, 30 * (b + 1));
        g_snprintf (edges[b], sizeof edges[b], "%04u-%02u-%02u", g_date_get_year (&d), g_date_get_month (&d),
                    g_date_get_day (&d));
      }
    stmt = tend_store_prepare_cached (store,
      "SELECT client_id,"
      " sum(CASE WHEN responsibility = 'client' AND service_date >= ?3 THEN r ELSE 0 END),"
      " sum(CASE WHEN responsibility = 'client' AND service_date < ?3 AND service_date >= ?4 THEN r ELSE 0 END),"
      " sum(CASE WHEN responsibility = 'client' AND service_date < ?4 AND service_date >= ?5 THEN r ELSE 0 END),"
      " sum(CASE WHEN responsibility = 'client' AND service_date < ?5 THEN r ELSE 0 END),"
      " sum(CASE WHEN responsibility = 'insurance' THEN r ELSE 0 END)"
      " FROM (SELECT c.client_id, c.service_date, c.responsibility, " REMAINING_SQL ("c") " AS r"
      "   FROM charge c WHERE c.deleted = 0 AND c.status = 'open' AND c.service_date <= ?1"
      "   AND (?2 IS NULL OR c.client_id IN (SELECT id FROM client WHERE primary_clinician_id = ?2"
      "     UNION SELECT client_id FROM charge WHERE clinician_id = ?2)))"
      " GROUP BY client_id HAVING sum(r <> 0) > 0 ORDER BY client_id", error);
    if (stmt == NULL)
      return NULL;
    sqlite3_bind_text (stmt, 1, as_of, -1, SQLITE_TRANSIENT);
    if (actor != NULL)
      sqlite3_bind_text (stmt, 2, actor, -1, SQLITE_TRANSIENT);
    for (guint b = 0; b < 3; b++)
      sqlite3_bind_text (stmt, 3 + (int) b, edges[b], -1, SQLITE_TRANSIENT);
  }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendAgingRow *row = g_new0 (TendAgingRow, 1);

      row->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      for (guint b = 0; b < 4; b++)
        {
          row->buckets[b] = sqlite3_column_int64 (stmt, 1 + (int) b);
          row->total += row->buckets[b];
        }
      row->insurance = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (out, row);
      g_hash_table_insert (by_client, row->client_id, row);
    }
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }

  /* Unapplied money, for the clients listed. */
  stmt = tend_store_prepare_cached (store,
    "SELECT p.client_id, sum(CASE WHEN p.kind = 'refund' THEN -p.amount ELSE p.amount"
    " - coalesce((SELECT sum(a.amount) FROM allocation a WHERE a.payment_id = p.id AND a.deleted = 0), 0) END)"
    " FROM payment p WHERE p.deleted = 0 AND p.status = 'posted' AND p.client_id IS NOT NULL"
    " AND p.received_on <= ?1 GROUP BY p.client_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, as_of, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendAgingRow *row = g_hash_table_lookup (by_client, sqlite3_column_text (stmt, 0));

      if (row != NULL)
        row->unapplied = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* Claims */

static gboolean
next_counter (TendStore  *store,
              const char *key,
              gint64     *out,
              GError    **error)
{
  g_autofree char *v = tend_store_get_meta (store, key);
  g_autofree char *next = NULL;

  *out = (v != NULL ? g_ascii_strtoll (v, NULL, 10) : 0) + 1;
  next = g_strdup_printf ("%" G_GINT64_FORMAT, *out);
  return tend_store_set_meta (store, key, next, error);
}

/**
 * tend_billing_create_claims:
 * @client_id: (nullable): one client, or everyone
 *
 * Puts every open insurance charge that is on no claim onto a draft claim:
 * one claim per client, policy and month of service, at most 50 lines (the
 * 837P limit).  Charges need a diagnosis and a covering policy; those that
 * lack them stay off claims (and show in the unbilled report).
 *
 * Returns: (transfer container) (element-type TendClaim): the new claims
 */
GPtrArray *
tend_billing_create_claims (TendStore  *store,
                            const char *client_id,
                            GError    **error)
{
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(GPtrArray) claims = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) lines = g_hash_table_new (NULL, NULL);
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return NULL;
  charges = client_id != NULL
    ? query_records (store, TEND_TYPE_CHARGE, error,
                     "SELECT " RECORD_COLUMNS " FROM charge WHERE deleted = 0 AND status = 'open'"
                     " AND responsibility = 'insurance' AND claim_id IS NULL AND client_id = ?1"
                     " ORDER BY client_id, service_date, rid", client_id, NULL)
    : query_records (store, TEND_TYPE_CHARGE, error,
                     "SELECT " RECORD_COLUMNS " FROM charge WHERE deleted = 0 AND status = 'open'"
                     " AND responsibility = 'insurance' AND claim_id IS NULL"
                     " ORDER BY client_id, service_date, rid", NULL);
  if (charges == NULL)
    return NULL;
  if (!tend_store_step_begin (store, error))
    return NULL;
  for (guint i = 0; ok && i < charges->len; i++)
    {
      TendRecord *charge = g_ptr_array_index (charges, i);
      const char *date = tend_record_get_string (charge, "service_date");
      const char *cid = tend_record_get_string (charge, "client_id");
      g_autoptr(TendPolicy) policy = NULL;
      g_autofree char *key = NULL;
      TendClaim *claim;

      /* Without a diagnosis, or with a heading where a billable code must
       * be, the charge stays off claims and shows in the unbilled report. */
      if (tend_record_get_string (charge, "diagnoses") == NULL ||
          !tend_icd10_check_billable (tend_record_get_string (charge, "diagnoses"), NULL))
        continue;
      policy = find_policy (store, cid, date, error);
      if (policy == NULL)
        {
          if (error != NULL && *error != NULL)
            ok = FALSE;
          continue;
        }
      key = g_strdup_printf ("%s/%.7s", tend_record_get_id (TEND_RECORD (policy)), date);
      claim = g_hash_table_lookup (open, key);
      if (claim != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (lines, claim)) >= 50)
        claim = NULL;
      if (claim == NULL)
        {
          gint64 n = 0;
          g_autofree char *number = NULL;

          if (!next_counter (store, "billing.claim_number", &n, error))
            {
              ok = FALSE;
              break;
            }
          number = g_strdup_printf ("TC%08" G_GINT64_FORMAT, n);
          claim = tend_claim_new (cid, tend_record_get_id (TEND_RECORD (policy)),
                                  tend_record_get_string (TEND_RECORD (policy), "payer_id"), number);
          g_ptr_array_add (claims, claim);
          g_hash_table_replace (open, g_steal_pointer (&key), claim);
        }
      g_hash_table_insert (lines, claim, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (lines, claim)) + 1));
      tend_record_set_int (TEND_RECORD (claim), "total",
                           tend_record_get_int (TEND_RECORD (claim), "total") + tend_charge_get_amount (TEND_CHARGE (charge)));
      tend_record_set_string (charge, "claim_id", tend_record_get_id (TEND_RECORD (claim)));
      ok = tend_store_save (store, charge, error);
    }
  for (guint i = 0; ok && i < claims->len; i++)
    {
      ok = tend_store_save (store, g_ptr_array_index (claims, i), error);
    }
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&claims);
}

/**
 * tend_billing_load_claim:
 * @charges: (out) (transfer container) (element-type TendCharge): its open lines
 *
 * Loads what an 837P needs for one claim.
 */
gboolean
tend_billing_load_claim (TendStore   *store,
                         const char  *claim_id,
                         TendClaim  **claim,
                         TendClient **client,
                         TendPolicy **policy,
                         TendPayer  **payer,
                         GPtrArray  **charges,
                         GError     **error)
{
  g_autoptr(TendRecord) c = NULL;
  g_autoptr(TendRecord) cl = NULL;
  g_autoptr(TendRecord) po = NULL;
  g_autoptr(TendRecord) pa = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  if ((c = tend_store_load (store, TEND_TYPE_CLAIM, claim_id, error)) == NULL ||
      (cl = tend_store_load (store, TEND_TYPE_CLIENT, tend_record_get_string (c, "client_id"), error)) == NULL ||
      (po = tend_store_load (store, TEND_TYPE_POLICY, tend_record_get_string (c, "policy_id"), error)) == NULL ||
      (pa = tend_store_load (store, TEND_TYPE_PAYER, tend_record_get_string (c, "payer_id"), error)) == NULL)
    return FALSE;
  lines = query_records (store, TEND_TYPE_CHARGE, error,
                         "SELECT " RECORD_COLUMNS " FROM charge WHERE claim_id = ?1 AND deleted = 0 AND status = 'open'"
                         " ORDER BY service_date, rid", claim_id, NULL);
  if (lines == NULL)
    return FALSE;
  *claim = TEND_CLAIM (g_steal_pointer (&c));
  *client = TEND_CLIENT (g_steal_pointer (&cl));
  *policy = TEND_POLICY (g_steal_pointer (&po));
  *payer = TEND_PAYER (g_steal_pointer (&pa));
  *charges = g_steal_pointer (&lines);
  return TRUE;
}

/* The ISA13/GS06/ST02 control numbers: one counter, never reused. */
gint64
tend_billing_next_interchange (TendStore *store,
                               GError   **error)
{
  gint64 n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), -1);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return -1;
  if (!next_counter (store, "billing.interchange", &n, error))
    return -1;
  return n;
}

gboolean
tend_billing_mark_submitted (TendStore          *store,
                             const char * const *claim_ids,
                             gint64              interchange,
                             GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = tend_time_to_iso8601 (now);
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  if (!tend_store_step_begin (store, error))
    return FALSE;
  for (guint i = 0; ok && claim_ids[i] != NULL; i++)
    {
      g_autoptr(TendRecord) claim = tend_store_load (store, TEND_TYPE_CLAIM, claim_ids[i], error);

      ok = claim != NULL;
      if (ok && tend_claim_get_status (TEND_CLAIM (claim)) == TEND_CLAIM_DRAFT)
        {
          tend_record_set_int (claim, "status", TEND_CLAIM_SUBMITTED);
          tend_record_set_int (claim, "interchange", interchange);
          tend_record_set_string (claim, "submitted_at", when);
          ok = tend_store_save (store, claim, error);
        }
    }
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_billing_list_claims:
 * @status: a #TendClaimStatus, or -1 for every claim
 *
 * Returns: (transfer container) (element-type TendClaim)
 */
GPtrArray *
tend_billing_list_claims (TendStore *store,
                          int        status,
                          GError   **error)
{
  static const char * const names[] = { "draft", "submitted", "paid", "denied", "partially_paid" };

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return NULL;
  if (status >= 0 && status < (int) G_N_ELEMENTS (names))
    return query_records (store, TEND_TYPE_CLAIM, error,
                          "SELECT " RECORD_COLUMNS " FROM claim WHERE deleted = 0 AND status = ?1 ORDER BY control_number",
                          names[status], NULL);
  return query_records (store, TEND_TYPE_CLAIM, error,
                        "SELECT " RECORD_COLUMNS " FROM claim WHERE deleted = 0 ORDER BY control_number", NULL);
}

/* Remittance */

static TendCharge *
match_line (GPtrArray              *charges,
            GHashTable             *used,
            const TendRemitService *line)
{
  /* REF*6R carries the charge id Tend sent as the line item control number. */
  if (line->line_control != NULL)
    for (guint i = 0; i < charges->len; i++)
      {
        TendRecord *c = g_ptr_array_index (charges, i);

        if (g_ascii_strcasecmp (tend_record_get_id (c), line->line_control) == 0 &&
            !g_hash_table_contains (used, c))
          return TEND_CHARGE (c);
      }
  for (guint i = 0; i < charges->len; i++)
    {
      TendRecord *c = g_ptr_array_index (charges, i);

      if (g_hash_table_contains (used, c))
        continue;
      if (g_strcmp0 (tend_record_get_string (c, "service_code"), line->procedure) == 0 &&
          (line->service_date == NULL ||
           g_strcmp0 (tend_record_get_string (c, "service_date"), line->service_date) == 0))
        return TEND_CHARGE (c);
    }
  return NULL;
}

static gboolean
post_adjustments (TendStore       *store,
                  TendRecord      *charge,
                  const char      *claim_id,
                  GPtrArray       *adjustments,
                  const char      *posted_on,
                  const char      *trace,
                  TendRemitResult *result,
                  gint64          *patient,
                  GError         **error)
{
  for (guint k = 0; k < adjustments->len; k++)
    {
      TendRemitAdjustment *a = g_ptr_array_index (adjustments, k);
      static const char * const groups[] = { "CO", "PR", "OA", "PI", "CR" };
      g_autoptr(TendAdjustment) adj = NULL;
      int group = -1;

      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        if (strcmp (groups[g], a->group) == 0)
          group = (int) g;
      if (group < 0)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("The remittance uses an unknown adjustment group “%s”"), a->group);
          return FALSE;
        }
      adj = tend_adjustment_new (tend_record_get_id (charge), group, a->reason, a->amount, posted_on);
      tend_record_set_string (TEND_RECORD (adj), "claim_id", claim_id);
      tend_record_set_string (TEND_RECORD (adj), "remittance", trace);
      if (!tend_store_save (store, TEND_RECORD (adj), error))
        return FALSE;
      result->adjusted += a->amount;
      if (group == TEND_ADJUSTMENT_PR)
        *patient += a->amount;
    }
  return TRUE;
}

static gboolean
post_claim (TendStore            *store,
            const TendRemittance *r,
            TendRemitClaim       *rc,
            const char           *payment_id,
            const char           *posted_on,
            TendRemitResult      *result,
            GError              **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) charges = NULL;
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);
  TendRecord *claim;
  const char *claim_id;
  gint64 patient = 0, settled = 0;
  gboolean all_matched = TRUE;

  found = query_records (store, TEND_TYPE_CLAIM, error,
                         "SELECT " RECORD_COLUMNS " FROM claim WHERE control_number = ?1 AND deleted = 0",
                         rc->control_number, NULL);
  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    {
      g_ptr_array_add (result->unmatched,
                       g_strdup_printf (_("Claim %s: no claim with this number"), rc->control_number));
      return TRUE;
    }
  claim = g_ptr_array_index (found, 0);
  claim_id = tend_record_get_id (claim);
  charges = query_records (store, TEND_TYPE_CHARGE, error,
                           "SELECT " RECORD_COLUMNS " FROM charge WHERE claim_id = ?1 AND deleted = 0 AND status = 'open'"
                           " ORDER BY service_date, rid", claim_id, NULL);
  if (charges == NULL)
    return FALSE;
  result->claims_matched++;

  for (guint i = 0; i < rc->services->len; i++)
    {
      TendRemitService *line = g_ptr_array_index (rc->services, i);
      TendCharge *charge = match_line (charges, used, line);
      gint64 line_patient = 0, owed;

      if (charge == NULL)
        {
          g_ptr_array_add (result->unmatched,
                           g_strdup_printf (_("Claim %s: no charge matches the line %s of %s"),
                                            rc->control_number, line->procedure,
                                            line->service_date != NULL ? line->service_date : "?"));
          all_matched = FALSE;
          continue;
        }
      owed = tend_billing_charge_remaining (store, tend_record_get_id (TEND_RECORD (charge)), error);
      if (owed == G_MININT64)
        return FALSE;
      if (line->paid < 0 || line->paid > owed)
        {
          g_ptr_array_add (result->unmatched,
                           g_strdup_printf (_("Claim %s: the payment on line %s is more than is owed or is a reversal"),
                                            rc->control_number, line->procedure));
          all_matched = FALSE;
          continue;
        }
      g_hash_table_add (used, charge);
      if (line->paid > 0)
        {
          if (payment_id == NULL)
            {
              g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                                   _("The remittance pays lines but its payment total is zero"));
              return FALSE;
            }
          if (!allocate_internal (store, payment_id, tend_record_get_id (TEND_RECORD (charge)), line->paid, error))
            return FALSE;
          result->posted += line->paid;
        }
      if (!post_adjustments (store, TEND_RECORD (charge), claim_id, line->adjustments, posted_on,
                             r->trace_number, result, &line_patient, error))
        return FALSE;
      settled += line->paid;
      for (guint k = 0; k < line->adjustments->len; k++)
        settled += ((TendRemitAdjustment *) g_ptr_array_index (line->adjustments, k))->amount;
      patient += line_patient;
      result->lines_posted++;
      /* What the payer says the client owes is now the client's to pay. */
      if (line_patient > 0)
        {
          tend_record_set_int (TEND_RECORD (charge), "responsibility", TEND_RESPONSIBILITY_CLIENT);
          if (!tend_store_save (store, TEND_RECORD (charge), error))
            return FALSE;
          result->moved_to_client += line_patient;
        }
    }
  /* A claim-level adjustment goes to the claim's only line, or to a person. */
  if (rc->adjustments->len > 0)
    {
      if (charges->len == 1)
        {
          gint64 p = 0;

          if (!post_adjustments (store, g_ptr_array_index (charges, 0), claim_id, rc->adjustments, posted_on,
                                 r->trace_number, result, &p, error))
            return FALSE;
          for (guint k = 0; k < rc->adjustments->len; k++)
            settled += ((TendRemitAdjustment *) g_ptr_array_index (rc->adjustments, k))->amount;
          patient += p;
          if (p > 0)
            {
              tend_record_set_int (g_ptr_array_index (charges, 0), "responsibility", TEND_RESPONSIBILITY_CLIENT);
              if (!tend_store_save (store, g_ptr_array_index (charges, 0), error))
                return FALSE;
              result->moved_to_client += p;
            }
        }
      else
        {
          g_ptr_array_add (result->unmatched,
                           g_strdup_printf (_("Claim %s: claim-level adjustments to spread over its lines"),
                                            rc->control_number));
          all_matched = FALSE;
        }
    }

  tend_record_set_int (claim, "paid", tend_record_get_int (claim, "paid") + rc->paid);
  tend_record_set_int (claim, "patient_responsibility", patient);
  tend_record_set_string (claim, "payer_claim_number", rc->payer_claim_number);
  if (tend_record_get_int (claim, "interchange") == 0)
    tend_record_set_int (claim, "interchange", 1);
  if (rc->status_code == 4 || (rc->paid == 0 && patient == 0))
    tend_record_set_int (claim, "status", TEND_CLAIM_DENIED);
  else if (all_matched && settled == tend_record_get_int (claim, "total"))
    tend_record_set_int (claim, "status", TEND_CLAIM_PAID);
  else
    tend_record_set_int (claim, "status", TEND_CLAIM_PARTIALLY_PAID);
  return tend_store_save (store, claim, error);
}

/**
 * tend_billing_post_remittance:
 *
 * Posts an 835: one insurance payment for its total, allocated to the
 * charges its service lines pay (matched by the line control number Tend
 * sent, else by code and date), every CAS adjustment with its group and
 * reason, and patient responsibility moved to the client.  Lines and claims
 * that match nothing are listed in @result for a person.  All or nothing: on
 * an error nothing is posted.  The same remittance (payer and trace number)
 * cannot be posted twice.
 */
gboolean
tend_billing_post_remittance (TendStore            *store,
                              const TendRemittance *remittance,
                              TendRemitResult      *result,
                              GError              **error)
{
  g_autoptr(TendPayment) payment = NULL;
  g_autofree char *today = NULL;
  const char *posted_on;
  const char *payer_id = NULL;
  g_autoptr(GPtrArray) first = NULL;
  gint64 dup = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (remittance != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  result->unmatched = g_ptr_array_new_with_free_func (g_free);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  today = today_string (store);
  posted_on = remittance->paid_on != NULL ? remittance->paid_on : today;

  /* The payer: that of the first claim the remittance names. */
  for (guint i = 0; payer_id == NULL && i < remittance->claims->len; i++)
    {
      TendRemitClaim *rc = g_ptr_array_index (remittance->claims, i);

      g_clear_pointer (&first, g_ptr_array_unref);
      first = query_records (store, TEND_TYPE_CLAIM, error,
                             "SELECT " RECORD_COLUMNS " FROM claim WHERE control_number = ?1 AND deleted = 0",
                             rc->control_number, NULL);
      if (first == NULL)
        return FALSE;
      if (first->len > 0)
        payer_id = tend_record_get_string (g_ptr_array_index (first, 0), "payer_id");
    }
  if (payer_id != NULL && remittance->trace_number != NULL &&
      !query_int (store, &dup, error,
                  "SELECT count(*) FROM payment WHERE payer_id = ?1 AND deleted = 0 AND status = 'posted'"
                  " AND reference = ?2", payer_id, remittance->trace_number, NULL))
    return FALSE;
  if (dup > 0)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_CONFLICT,
                   _("This remittance (trace number %s) was already posted; nothing was posted again."),
                   remittance->trace_number);
      return FALSE;
    }

  if (!tend_store_step_begin (store, error))
    return FALSE;
  if (payer_id != NULL && remittance->total_paid > 0)
    {
      payment = tend_payment_new (NULL, TEND_PAYMENT_PAYMENT, TEND_PAYMENT_INSURANCE,
                                  remittance->total_paid, posted_on);
      tend_record_set_string (TEND_RECORD (payment), "payer_id", payer_id);
      tend_record_set_string (TEND_RECORD (payment), "reference", remittance->trace_number);
      tend_record_set_string (TEND_RECORD (payment), "memo", remittance->payer_name);
      ok = tend_store_save (store, TEND_RECORD (payment), error);
    }
  for (guint i = 0; ok && i < remittance->claims->len; i++)
    ok = post_claim (store, remittance, g_ptr_array_index (remittance->claims, i),
                     payment != NULL ? tend_record_get_id (TEND_RECORD (payment)) : NULL,
                     posted_on, result, error);
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    {
      tend_remit_result_clear (result);
      result->unmatched = g_ptr_array_new_with_free_func (g_free);
      return FALSE;
    }
  return TRUE;
}

/* Reports */

static char *
name_of (TendStore  *store,
         GType       type,
         const char *id)
{
  char *name = id != NULL ? tend_store_dup_display_name (store, type, id) : NULL;

  return name != NULL ? name : g_strdup ("");
}

/**
 * tend_billing_report_revenue:
 * @from: (nullable): first date of service or payment, YYYY-MM-DD
 * @to: (nullable): last date
 *
 * Charged, collected and written off, by month and clinician.
 *
 * Returns: (transfer full): the report
 */
TendTable *
tend_billing_report_revenue (TendStore  *store,
                             const char *from,
                             const char *to,
                             GError    **error)
{
  const char *headers[] = { _("Month"), _("Clinician"), _("Charged"), _("Collected"), _("Written off") };
  const TendColumnKind kinds[] = { TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY };
  g_autofree char *currency = currency_of (store);
  g_autoptr(TendTable) table = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return NULL;
  table = tend_table_new (_("Revenue by clinician and month"), currency, 5, headers, kinds);
  stmt = tend_store_prepare_cached (store,
    "WITH ch AS (SELECT substr(service_date, 1, 7) AS m, clinician_id AS who, sum(amount) AS v FROM charge"
    "   WHERE deleted = 0 AND status = 'open' AND service_date BETWEEN ?1 AND ?2 GROUP BY 1, 2),"
    " co AS (SELECT substr(p.received_on, 1, 7) AS m, c.clinician_id AS who, sum(a.amount) AS v"
    "   FROM allocation a JOIN payment p ON p.id = a.payment_id JOIN charge c ON c.id = a.charge_id"
    "   WHERE a.deleted = 0 AND p.received_on BETWEEN ?1 AND ?2 GROUP BY 1, 2),"
    " wo AS (SELECT substr(json_extract(j.body, '$.posted_on'), 1, 7) AS m, c.clinician_id AS who, sum(j.amount) AS v"
    "   FROM adjustment j JOIN charge c ON c.id = j.charge_id"
    "   WHERE j.deleted = 0 AND j.group_code <> 'PR' AND json_extract(j.body, '$.posted_on') BETWEEN ?1 AND ?2 GROUP BY 1, 2),"
    " k AS (SELECT m, who FROM ch UNION SELECT m, who FROM co UNION SELECT m, who FROM wo)"
    " SELECT k.m, k.who, coalesce(ch.v, 0), coalesce(co.v, 0), coalesce(wo.v, 0) FROM k"
    " LEFT JOIN ch ON ch.m = k.m AND ch.who = k.who LEFT JOIN co ON co.m = k.m AND co.who = k.who"
    " LEFT JOIN wo ON wo.m = k.m AND wo.who = k.who ORDER BY k.m, k.who", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, from != NULL ? from : "0000-00-00", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, to != NULL ? to : "9999-99-99", -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = tend_table_add_row (table);
      g_autofree char *who = name_of (store, TEND_TYPE_STAFF, (const char *) sqlite3_column_text (stmt, 1));

      tend_table_set (table, row, 0, (const char *) sqlite3_column_text (stmt, 0));
      tend_table_set (table, row, 1, who);
      for (guint i = 2; i < 5; i++)
        tend_table_set_money (table, row, i, sqlite3_column_int64 (stmt, (int) i));
    }
  sqlite3_clear_bindings (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&table);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate ((*(char ***) a)[0], (*(char ***) b)[0]);
}

/**
 * tend_billing_report_outstanding:
 *
 * Outstanding balances with aging, one row per client, by name.
 *
 * Returns: (transfer full): the report
 */
TendTable *
tend_billing_report_outstanding (TendStore  *store,
                                 const char *as_of,
                                 GError    **error)
{
  const char *headers[] = { _("Client"), _("0–30 days"), _("31–60 days"), _("61–90 days"), _("Over 90 days"),
                            _("Client owes"), _("Insurance owes"), _("Unapplied") };
  const TendColumnKind kinds[] = { TEND_COLUMN_TEXT, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY,
                                   TEND_COLUMN_MONEY, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY, TEND_COLUMN_MONEY };
  g_autofree char *currency = currency_of (store);
  g_autoptr(GPtrArray) aging = NULL;
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GHashTable) names = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  aging = tend_billing_aging (store, as_of, error);
  if (aging == NULL)
    return NULL;
  table = tend_table_new (_("Outstanding balances"), currency, 8, headers, kinds);
  /* Every name in one pass: loading each client's record costs more than
   * the aging itself on a full practice.  The same as
   * tend_client_dup_display_name(). */
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  stmt = tend_store_prepare_cached (store,
    "SELECT id, coalesce(json_extract(body, '$.preferred_name'), json_extract(body, '$.legal_given'), '')"
    " || ' ' || coalesce(json_extract(body, '$.legal_family'), '') FROM client WHERE deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < aging->len; i++)
    {
      TendAgingRow *a = g_ptr_array_index (aging, i);
      char **row = tend_table_add_row (table);
      const char *who = g_hash_table_lookup (names, a->client_id);

      tend_table_set (table, row, 0, who != NULL ? who : "");
      for (guint b = 0; b < 4; b++)
        tend_table_set_money (table, row, b + 1, a->buckets[b]);
      tend_table_set_money (table, row, 5, a->total);
      tend_table_set_money (table, row, 6, a->insurance);
      tend_table_set_money (table, row, 7, a->unapplied);
    }
  g_ptr_array_sort (table->rows, compare_names);
  return g_steal_pointer (&table);
}

/**
 * tend_billing_report_unbilled:
 *
 * Completed sessions without a charge, and insurance charges on no claim.
 *
 * Returns: (transfer full): the report
 */
TendTable *
tend_billing_report_unbilled (TendStore *store,
                              GError   **error)
{
  const char *headers[] = { _("Date"), _("Client"), _("Clinician"), _("Service"), _("Why") };
  const TendColumnKind kinds[] = { TEND_COLUMN_DATE, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT };
  g_autofree char *currency = currency_of (store);
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GTimeZone) zone = tend_store_dup_practice_zone (store);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return NULL;
  table = tend_table_new (_("Unbilled sessions"), currency, 5, headers, kinds);
  stmt = tend_store_prepare_cached (store,
    "SELECT 0, a.start_s, a.client_id, a.clinician_id, json_extract(a.body, '$.service_code'), NULL FROM appointment a"
    " WHERE a.deleted = 0 AND a.status = 'completed' AND json_extract(a.body, '$.kind') = 'session'"
    " AND NOT EXISTS (SELECT 1 FROM charge c WHERE c.appointment_id = a.id AND c.deleted = 0)"
    " UNION ALL SELECT CASE WHEN json_extract(c.body, '$.diagnoses') IS NULL THEN 2 ELSE 1 END,"
    " unixepoch(c.service_date), c.client_id, c.clinician_id, json_extract(c.body, '$.service_code'),"
    " json_extract(c.body, '$.diagnoses')"
    " FROM charge c WHERE c.deleted = 0 AND c.status = 'open' AND c.responsibility = 'insurance' AND c.claim_id IS NULL"
    " ORDER BY 2", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = tend_table_add_row (table);
      int why = sqlite3_column_int (stmt, 0);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1));
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, why == 0 ? zone : g_date_time_get_timezone (utc));
      g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
      g_autofree char *client = name_of (store, TEND_TYPE_CLIENT, (const char *) sqlite3_column_text (stmt, 2));
      g_autofree char *clinician = name_of (store, TEND_TYPE_STAFF, (const char *) sqlite3_column_text (stmt, 3));

      tend_table_set (table, row, 0, date);
      tend_table_set (table, row, 1, client);
      tend_table_set (table, row, 2, clinician);
      tend_table_set (table, row, 3, (const char *) sqlite3_column_text (stmt, 4));
      tend_table_set (table, row, 4,
                      why == 0 ? (sqlite3_column_type (stmt, 4) == SQLITE_NULL ? _("Session has no service")
                                                                              : _("No charge"))
                      : why == 2 ? _("Needs a diagnosis for the claim")
                      : !tend_icd10_check_billable ((const char *) sqlite3_column_text (stmt, 5), NULL)
                      ? _("Diagnosis is a heading, not a billable code")
                      : _("Insurance charge on no claim"));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&table);
}

/**
 * tend_billing_report_claims_awaiting:
 *
 * Claims sent and not yet answered, oldest first, with their age.
 *
 * Returns: (transfer full): the report
 */
TendTable *
tend_billing_report_claims_awaiting (TendStore  *store,
                                     const char *as_of,
                                     GError    **error)
{
  const char *headers[] = { _("Claim"), _("Client"), _("Payer"), _("Submitted"), _("Days"), _("Total") };
  const TendColumnKind kinds[] = { TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_TEXT, TEND_COLUMN_DATE,
                                   TEND_COLUMN_NUMBER, TEND_COLUMN_MONEY };
  g_autofree char *currency = currency_of (store);
  g_autoptr(TendTable) table = NULL;
  g_autoptr(GPtrArray) claims = NULL;
  GDate today;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_date_parse (as_of, &today, error))
    return NULL;
  claims = tend_billing_list_claims (store, TEND_CLAIM_SUBMITTED, error);
  if (claims == NULL)
    return NULL;
  table = tend_table_new (_("Claims awaiting payment"), currency, 6, headers, kinds);
  for (guint i = 0; i < claims->len; i++)
    {
      TendRecord *c = g_ptr_array_index (claims, i);
      char **row = tend_table_add_row (table);
      g_autofree char *client = name_of (store, TEND_TYPE_CLIENT, tend_record_get_string (c, "client_id"));
      g_autofree char *payer = name_of (store, TEND_TYPE_PAYER, tend_record_get_string (c, "payer_id"));
      g_autofree char *date = local_date_of_instant (store, tend_record_get_string (c, "submitted_at"));
      g_autofree char *days = date != NULL ? g_strdup_printf ("%d", days_between (date, &today)) : NULL;

      tend_table_set (table, row, 0, tend_record_get_string (c, "control_number"));
      tend_table_set (table, row, 1, client);
      tend_table_set (table, row, 2, payer);
      tend_table_set (table, row, 3, date);
      tend_table_set (table, row, 4, days);
      tend_table_set_money (table, row, 5, tend_record_get_int (c, "total"));
    }
  return g_steal_pointer (&table);
}

/* Statements and superbills shared with the client */

/**
 * tend_billing_share_bill:
 * @kind: "statement" or "superbill"
 * @pdf: the bill's PDF, as tend_bill_render_pdf() made it
 *
 * Keeps @pdf's bytes (pushed to the server before the record) and a
 * shared_bill record naming them, shared with @client_id's portal.
 *
 * Returns: (transfer full) (nullable): the record
 */
TendSharedBill *
tend_billing_share_bill (TendStore  *store,
                         const char *client_id,
                         const char *kind,
                         const char *number,
                         const char *issued_on,
                         const char *period_from,
                         const char *period_to,
                         GBytes     *pdf,
                         GError    **error)
{
  g_autoptr(TendSharedBill) bill = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *iso = tend_time_to_iso8601 (now);
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (pdf != NULL, NULL);

  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error) ||
      !tend_store_check_magic ("application/pdf", pdf, error))
    return NULL;
  bill = tend_shared_bill_new (client_id, kind, number, pdf);
  tend_record_set_string (TEND_RECORD (bill), "issued_on", issued_on);
  tend_record_set_string (TEND_RECORD (bill), "period_from", period_from);
  tend_record_set_string (TEND_RECORD (bill), "period_to", period_to);
  tend_record_set_string (TEND_RECORD (bill), "shared_by", tend_store_get_actor_id (store));
  tend_record_set_string (TEND_RECORD (bill), "shared_at", iso);
  if (!tend_record_validate (TEND_RECORD (bill), error) ||
      !tend_store_step_begin (store, error))
    return NULL;
  ok = tend_store_sync_put_blob (store, tend_shared_bill_get_sha256 (bill), pdf, error) &&
       tend_store_save (store, TEND_RECORD (bill), error);
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&bill);
}

/**
 * tend_billing_set_bill_shared:
 *
 * Stops sharing a statement or superbill with the client (or shares it
 * again): the portal no longer lists or serves it.
 */
gboolean
tend_billing_set_bill_shared (TendStore  *store,
                              const char *shared_bill_id,
                              gboolean    shared,
                              GError    **error)
{
  g_autoptr(TendRecord) bill = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!require (store, TEND_PERMISSION_MANAGE_BILLING, error))
    return FALSE;
  bill = tend_store_load (store, TEND_TYPE_SHARED_BILL, shared_bill_id, error);
  if (bill == NULL)
    return FALSE;
  if ((tend_record_get_int (bill, "shared_with_client") != 0) == shared)
    return TRUE;
  tend_record_set_int (bill, "shared_with_client", shared ? 1 : 0);
  return tend_store_save (store, bill, error);
}

/**
 * tend_billing_list_shared_bills:
 *
 * Returns: (transfer container) (element-type TendSharedBill): the
 *   statements and superbills shared with @client_id (and those no longer
 *   shared), newest first
 */
GPtrArray *
tend_billing_list_shared_bills (TendStore  *store,
                                const char *client_id,
                                GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!require (store, TEND_PERMISSION_RECORD_PAYMENTS, error))
    return NULL;
  return query_records (store, TEND_TYPE_SHARED_BILL, error,
                        "SELECT " RECORD_COLUMNS " FROM shared_bill WHERE client_id = ?1 AND deleted = 0 ORDER BY rid DESC",
                        client_id, NULL);
}
