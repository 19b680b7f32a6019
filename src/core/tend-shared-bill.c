/* tend-shared-bill.c: a statement or superbill shared with the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Billing makes statements and superbills from the ledger whenever asked
 * (tend-bill-pdf.c); sharing one with the client keeps that PDF's bytes on
 * the practice's server (named by SHA-256, uploaded before the record, like
 * a document's) and this record, which the client portal lists and serves
 * while shared_with_client is set.  Not chart content: billing staff share
 * and stop sharing them, and the front desk sees what was shared.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-error.h"
#include "tend-record-policy.h"
#include "tend-shared-bill.h"

struct _TendSharedBill
{
  TendRecord parent_instance;

  char    *client_id;
  int      kind;
  char    *number;
  char    *issued_on;
  char    *period_from;
  char    *period_to;
  gint64   size;
  char    *sha256;
  char    *shared_by;
  char    *shared_at;
  gboolean shared_with_client;
};

G_DEFINE_FINAL_TYPE (TendSharedBill, tend_shared_bill, TEND_TYPE_RECORD)

static const char * const kind_choices[] = { "statement", "superbill", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendSharedBill, member), len, NULL, 0, 0 }

static const TendField shared_bill_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  { "kind", N_("Kind"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendSharedBill, kind), 0, kind_choices, 0, 0 },
  F ("number", N_("Number"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, number, 40),
  F ("issued_on", N_("Issued"), TEND_FIELD_DATE, 0, issued_on, 10),
  F ("period_from", N_("From"), TEND_FIELD_DATE, 0, period_from, 10),
  F ("period_to", N_("To"), TEND_FIELD_DATE, 0, period_to, 10),
  { "size", N_("Size"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendSharedBill, size), 0, NULL, 0, G_MAXINT32 },
  F ("sha256", N_("Contents hash"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, sha256, 64),
  F ("shared_by", N_("Shared by"), TEND_FIELD_UUID, 0, shared_by, 36),
  F ("shared_at", N_("Shared"), TEND_FIELD_DATETIME, 0, shared_at, 40),
  { "shared_with_client", N_("Shared with the client"), TEND_FIELD_BOOL, 0,
    G_STRUCT_OFFSET (TendSharedBill, shared_with_client), 0, NULL, 0, 0 },
};

#undef F

static gboolean
tend_shared_bill_validate (TendRecord *record,
                           GError    **error)
{
  TendSharedBill *self = TEND_SHARED_BILL (record);

  if (strlen (self->sha256) != 64 || strspn (self->sha256, "0123456789abcdef") != 64)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Contents hash: expected 64 lowercase hexadecimal digits"));
      return FALSE;
    }
  return TRUE;
}

/* The bytes are held, and once shared a bill stays the bill it was: only
 * whether it is shared changes afterwards (a new statement is a new
 * record), so what a client downloaded is what the practice's list says. */
static gboolean
shared_bill_check (TendPolicyActor *actor,
                   gboolean         extra_writer,
                   TendRecord      *stored,
                   TendRecord      *record,
                   GError         **error)
{
  static const char * const may_change[] = { "shared_with_client", NULL };

  if (record == NULL)
    return TRUE;
  if (stored != NULL && !tend_policy_only_changed (stored, record, may_change))
    return tend_policy_deny (error, _("A shared statement or superbill cannot be changed; share a new one."));
  return tend_policy_check_bytes_held (actor, stored != NULL ? TEND_SHARED_BILL (stored)->sha256 : NULL,
                                       TEND_SHARED_BILL (record)->sha256, error);
}

/* The portal: the client's own, while shared. */
static gboolean
shared_bill_client_owns (TendPolicyActor *actor,
                         TendRecord      *record,
                         GError         **error)
{
  return TEND_SHARED_BILL (record)->shared_with_client && tend_policy_client_owns_member (actor, record, error);
}

static const char * const shared_bill_client_keep[] = {
  "kind", "number", "issued_on", "period_from", "period_to", "size", "sha256", "shared_at", NULL
};

static const TendClientAccess shared_bill_client_access = {
  .owns = shared_bill_client_owns,
  .keep = shared_bill_client_keep,
};

/* Billing staff (owner, biller) share and stop sharing; whoever takes
 * payments (the front desk too) sees what was shared.  The record holds no
 * diagnosis (a superbill's are in its bytes, which only the client is
 * served). */
static const TendRecordPolicy shared_bill_policy = {
  .read = TEND_PERMISSION_RECORD_PAYMENTS,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MANAGE_BILLING,
  .write_also = TEND_PERMISSION_NONE,
  .check = shared_bill_check,
  .client = &shared_bill_client_access,
};

static void
tend_shared_bill_class_init (TendSharedBillClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "shared_bill", shared_bill_fields, G_N_ELEMENTS (shared_bill_fields));
  tend_record_class_set_policy (record_class, &shared_bill_policy);
  record_class->validate = tend_shared_bill_validate;
}

static void
tend_shared_bill_init (TendSharedBill *self)
{
}

/**
 * tend_shared_bill_new:
 * @kind: "statement" or "superbill"
 * @pdf: the PDF's bytes (hashed and measured here, not kept)
 *
 * Returns: (transfer full): the record, shared
 */
TendSharedBill *
tend_shared_bill_new (const char *client_id,
                      const char *kind,
                      const char *number,
                      GBytes     *pdf)
{
  TendSharedBill *self = TEND_SHARED_BILL (tend_record_new (TEND_TYPE_SHARED_BILL));
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (pdf, &size);

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "kind", kind);
  tend_record_set_string (TEND_RECORD (self), "number", number);
  self->size = (gint64) size;
  self->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  self->shared_with_client = TRUE;
  return self;
}

const char *
tend_shared_bill_get_client_id (TendSharedBill *self)
{
  g_return_val_if_fail (TEND_IS_SHARED_BILL (self), NULL);
  return self->client_id;
}

const char *
tend_shared_bill_get_kind (TendSharedBill *self)
{
  g_return_val_if_fail (TEND_IS_SHARED_BILL (self), NULL);
  return kind_choices[self->kind];
}

const char *
tend_shared_bill_get_sha256 (TendSharedBill *self)
{
  g_return_val_if_fail (TEND_IS_SHARED_BILL (self), NULL);
  return self->sha256;
}

gboolean
tend_shared_bill_is_shared (TendSharedBill *self)
{
  g_return_val_if_fail (TEND_IS_SHARED_BILL (self), FALSE);
  return self->shared_with_client;
}
