/* tend-diagnosis.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-diagnosis.h"
#include "tend-error.h"

struct _TendDiagnosis
{
  TendRecord parent_instance;

  char *client_id;
  char *code;
  char *description;
  int   rank;
  char *onset;
  char *resolved;
  char *recorded_by;
};

G_DEFINE_FINAL_TYPE (TendDiagnosis, tend_diagnosis, TEND_TYPE_RECORD)

static const char * const rank_choices[] = { "primary", "secondary", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendDiagnosis, member), len, NULL, 0, 0 }

static const TendField diagnosis_fields[] = {
  F ("client_id", N_("Client"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, client_id, 36),
  F ("code", N_("ICD-10-CM code"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, code, 8),
  F ("description", N_("Description"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, description, 250),
  { "rank", N_("Rank"), TEND_FIELD_ENUM, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendDiagnosis, rank), 0, rank_choices, 0, 0 },
  F ("onset", N_("Onset"), TEND_FIELD_DATE, 0, onset, 10),
  F ("resolved", N_("Resolved"), TEND_FIELD_DATE, 0, resolved, 10),
  F ("recorded_by", N_("Recorded by"), TEND_FIELD_UUID, 0, recorded_by, 36),
};

#undef F

/* The shape of an ICD-10-CM code: a letter, two digits (the second may be a
 * letter in a few chapters), then optionally a dot and one to four letters or
 * digits.  Whether the code exists is the code list's business. */
gboolean
tend_icd10_code_is_valid (const char *code)
{
  gsize len;

  if (code == NULL)
    return FALSE;
  len = strlen (code);
  if (len < 3 || len > 8 || !g_ascii_isupper (code[0]) || !g_ascii_isdigit (code[1]) ||
      !(g_ascii_isdigit (code[2]) || g_ascii_isupper (code[2])))
    return FALSE;
  if (len == 3)
    return TRUE;
  if (code[3] != '.' || len == 4)
    return FALSE;
  for (gsize i = 4; i < len; i++)
    if (!g_ascii_isdigit (code[i]) && !g_ascii_isupper (code[i]))
      return FALSE;
  return TRUE;
}

static gboolean
tend_diagnosis_validate (TendRecord *record,
                         GError    **error)
{
  TendDiagnosis *self = TEND_DIAGNOSIS (record);

  if (!tend_icd10_code_is_valid (self->code))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("ICD-10-CM code: “%s” is not shaped like a code (for example F41.1)"), self->code);
      return FALSE;
    }
  if (self->onset != NULL && self->resolved != NULL && strcmp (self->resolved, self->onset) < 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Resolved: cannot be before the onset"));
      return FALSE;
    }
  return TRUE;
}

/* Clinical content: never for the front desk, audited when viewed. */
static const TendRecordPolicy diagnosis_policy = {
  .read = TEND_PERMISSION_VIEW_DIAGNOSES,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_EDIT_CLINICAL,
  .write_also = TEND_PERMISSION_NONE,
  .clinical = TRUE,
  .chart_client = "client_id",
};

static void
tend_diagnosis_class_init (TendDiagnosisClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "diagnosis", diagnosis_fields, G_N_ELEMENTS (diagnosis_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &diagnosis_policy);
  record_class->validate = tend_diagnosis_validate;
}

static void
tend_diagnosis_init (TendDiagnosis *self)
{
  self->rank = TEND_DIAGNOSIS_SECONDARY;
}

TendDiagnosis *
tend_diagnosis_new (const char *client_id,
                    const char *code,
                    const char *description)
{
  TendDiagnosis *self = TEND_DIAGNOSIS (tend_record_new (TEND_TYPE_DIAGNOSIS));

  tend_record_set_string (TEND_RECORD (self), "client_id", client_id);
  tend_record_set_string (TEND_RECORD (self), "code", code);
  tend_record_set_string (TEND_RECORD (self), "description", description);
  return self;
}

#define GETTER(field) \
  const char *tend_diagnosis_get_##field (TendDiagnosis *self) \
  { \
    g_return_val_if_fail (TEND_IS_DIAGNOSIS (self), NULL); \
    return self->field; \
  }

GETTER (client_id)
GETTER (code)
GETTER (description)
GETTER (onset)
GETTER (resolved)

#undef GETTER

TendDiagnosisRank
tend_diagnosis_get_rank (TendDiagnosis *self)
{
  g_return_val_if_fail (TEND_IS_DIAGNOSIS (self), TEND_DIAGNOSIS_SECONDARY);
  return (TendDiagnosisRank) self->rank;
}

gboolean
tend_diagnosis_is_active (TendDiagnosis *self)
{
  g_return_val_if_fail (TEND_IS_DIAGNOSIS (self), FALSE);
  return self->resolved == NULL;
}
