/* tend-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-record-policy.h"
#include "tend-billing-codes.h"
#include "tend-error.h"
#include "tend-service.h"

struct _TendService
{
  TendRecord parent_instance;

  char     *code;
  char     *description;
  gint64    minutes;
  gint64    fee;
  gboolean  add_on;
  gboolean  active;
};

G_DEFINE_FINAL_TYPE (TendService, tend_service, TEND_TYPE_RECORD)



static const TendField service_fields[] = {
  { "code", N_("Service code"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendService, code), 5, NULL, 0, 0 },
  { "description", N_("Description"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendService, description), 60, NULL, 0, 0 },
  { "minutes", N_("Default length"), TEND_FIELD_INT, 0, G_STRUCT_OFFSET (TendService, minutes), 0, NULL, 0, 600 },
  { "fee", N_("Fee"), TEND_FIELD_INT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendService, fee), 0, NULL, 0, G_GINT64_CONSTANT (100000000) },
  { "add_on", N_("Add-on code"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendService, add_on), 0, NULL, 0, 0 },
  { "active", N_("Active"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendService, active), 0, NULL, 0, 0 },
};

static G_GNUC_UNUSED gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
tend_service_validate (TendRecord *record,
                      GError    **error)
{
  TendService *self = TEND_SERVICE (record);

  if (!tend_cpt_code_is_valid (self->code))
    return invalid (error, _("Service code: use a five-character CPT or HCPCS code, like 90834"));
  return TRUE;
}

static const TendRecordPolicy service_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_BILLING);

static void
tend_service_class_init (TendServiceClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "service", service_fields, G_N_ELEMENTS (service_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &service_policy);
  record_class->validate = tend_service_validate;
}

static void
tend_service_init (TendService *self)
{
  self->active = TRUE;
  self->minutes = 0;
}

TendService *
tend_service_new (const char *code,
                  const char *description,
                  guint       minutes,
                  gint64      fee)
{
  TendService *self = TEND_SERVICE (tend_record_new (TEND_TYPE_SERVICE));

  tend_record_set_string (TEND_RECORD (self), "code", code);
  tend_record_set_string (TEND_RECORD (self), "description", description);
  self->minutes = minutes;
  self->fee = fee;
  return self;
}

const char *
tend_service_get_code (TendService *self)
{
  g_return_val_if_fail (TEND_IS_SERVICE (self), NULL);
  return self->code;
}

const char *
tend_service_get_description (TendService *self)
{
  g_return_val_if_fail (TEND_IS_SERVICE (self), NULL);
  return self->description;
}

gint64
tend_service_get_fee (TendService *self)
{
  g_return_val_if_fail (TEND_IS_SERVICE (self), 0);
  return self->fee;
}

guint
tend_service_get_minutes (TendService *self)
{
  g_return_val_if_fail (TEND_IS_SERVICE (self), 0);
  return (guint) self->minutes;
}

gboolean
tend_service_get_add_on (TendService *self)
{
  g_return_val_if_fail (TEND_IS_SERVICE (self), FALSE);
  return self->add_on;
}
