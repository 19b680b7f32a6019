/* tend-insurance-dismissal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A proposal of insurance typed as text (see tend-insurance.c in the store)
 * waits until it becomes a policy.  Some never should: a card that ran
 * out, details a client sent twice, a payer the practice does not bill.
 * Dismissing one is this record: which source (the client, or the intake
 * form), who dismissed it and when.  Its id is derived from the source as
 * the policy's would be, so every workstation knows the proposal was
 * handled by one lookup, and two people dismissing it on two computers
 * make the same record.  Written once, by someone who keeps insurance, in
 * their own name; never changed or deleted (the insurance can still be
 * added as a policy by hand).
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-error.h"
#include "tend-insurance-dismissal.h"
#include "tend-portal-form.h"
#include "tend-record-policy.h"
#include "tend-time.h"

struct _TendInsuranceDismissal
{
  TendRecord parent_instance;

  char    *client_id;
  char    *source_id;
  gboolean from_intake;
  char    *dismissed_by;
  char    *dismissed_at;
};

G_DEFINE_FINAL_TYPE (TendInsuranceDismissal, tend_insurance_dismissal, TEND_TYPE_RECORD)

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendInsuranceDismissal, member), len, NULL, 0, 0 }

static const TendField dismissal_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  /* The client (their record's old insurance members) or the intake form. */
  F ("source_id", N_("Source"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, source_id, 36),
  F ("from_intake", N_("From an intake form"), TEND_FIELD_BOOL, 0, from_intake, 0),
  F ("dismissed_by", N_("Dismissed by"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, dismissed_by, 36),
  F ("dismissed_at", N_("Dismissed"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, dismissed_at, 40),
};

#undef F

static gboolean
tend_insurance_dismissal_validate (TendRecord *record,
                                   GError    **error)
{
  TendInsuranceDismissal *self = TEND_INSURANCE_DISMISSAL (record);

  if (!self->from_intake && g_strcmp0 (self->source_id, self->client_id) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Source: insurance typed on a client record is that client’s"));
      return FALSE;
    }
  return TRUE;
}

/* Once, as its source's own record, in the dismisser's name. */
static gboolean
dismissal_check (TendPolicyActor *actor,
                 gboolean         extra_writer,
                 TendRecord      *stored,
                 TendRecord      *record,
                 GError         **error)
{
  TendInsuranceDismissal *self;
  g_autofree char *id = NULL;

  if (record == NULL || stored != NULL)
    return tend_policy_deny (error, _("Dismissed insurance stays dismissed: add it as a policy instead."));
  if (actor->staff_id == NULL)
    return TRUE;
  self = TEND_INSURANCE_DISMISSAL (record);
  if (g_strcmp0 (self->dismissed_by, actor->staff_id) != 0)
    return tend_policy_deny (error, _("Insurance is dismissed in your own name."));
  id = tend_insurance_dismissal_id_for (self->source_id, self->from_intake);
  if (g_strcmp0 (tend_record_get_id (record), id) != 0)
    return tend_policy_deny (error, _("Insurance is dismissed once, as its source’s own record."));
  /* An intake form's: a form of this client's the practice holds. */
  if (self->from_intake)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(TendRecord) form = tend_policy_actor_load (actor, TEND_TYPE_PORTAL_FORM, self->source_id, &local);

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (form == NULL || tend_portal_form_get_kind (TEND_PORTAL_FORM (form)) != TEND_PORTAL_FORM_INTAKE ||
          g_strcmp0 (tend_portal_form_get_client_id (TEND_PORTAL_FORM (form)), self->client_id) != 0)
        return tend_policy_deny (error, _("The intake form whose insurance is dismissed is not this client’s."));
    }
  return TRUE;
}

static const TendRecordPolicy dismissal_policy = {
  .read = TEND_PERMISSION_VIEW_DEMOGRAPHICS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_INSURANCE,
  .write_also = TEND_PERMISSION_NONE,
  .check = dismissal_check,
};

static void
tend_insurance_dismissal_class_init (TendInsuranceDismissalClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "insurance_dismissal", dismissal_fields, G_N_ELEMENTS (dismissal_fields));
  tend_record_class_set_policy (record_class, &dismissal_policy);
  record_class->validate = tend_insurance_dismissal_validate;
}

static void
tend_insurance_dismissal_init (TendInsuranceDismissal *self)
{
}

/**
 * tend_insurance_dismissal_id_for:
 * @source_id: the client (typed on their record) or the intake form
 *
 * Returns: (transfer full): the id of the dismissal of that insurance
 */
char *
tend_insurance_dismissal_id_for (const char *source_id,
                                 gboolean    from_intake)
{
  return tend_record_derive_id ("tend-insurance-dismissal", source_id,
                                from_intake ? "intake-insurance" : "client-insurance");
}

/**
 * tend_insurance_dismissal_new:
 * @dismissed_by: the person dismissing it, now
 *
 * Returns: (transfer full): the dismissal, with its derived id
 */
TendInsuranceDismissal *
tend_insurance_dismissal_new (const char *client_id,
                              const char *source_id,
                              gboolean    from_intake,
                              const char *dismissed_by)
{
  TendRecord *self = tend_record_new (TEND_TYPE_INSURANCE_DISMISSAL);
  g_autofree char *id = tend_insurance_dismissal_id_for (source_id, from_intake);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = tend_time_to_iso8601 (now);

  tend_record_set_id (self, id);
  tend_record_set_string (self, "client_id", client_id);
  tend_record_set_string (self, "source_id", source_id);
  tend_record_set_int (self, "from_intake", from_intake ? 1 : 0);
  tend_record_set_string (self, "dismissed_by", dismissed_by);
  tend_record_set_string (self, "dismissed_at", when);
  return TEND_INSURANCE_DISMISSAL (self);
}
