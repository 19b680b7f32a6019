/* tend-practice.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tend-record-policy.h"
#include "tend-practice.h"
#include "tend-time.h"

struct _TendPractice
{
  TendRecord parent_instance;

  char *name;
  char *time_zone;
  char *currency;
  char *phone;
  char *email;
  char *tax_id;
  char *npi;
  char *client_notice;
  int   client_start;
  char *address_line1;
  char *address_line2;
  char *city;
  char *region;
  char *postal_code;
  char *country;
  /* The consents clients sign, in English and Spanish (the order of
   * consent_kinds, then the language). */
  char *consents[3][2];
};

G_DEFINE_FINAL_TYPE (TendPractice, tend_practice, TEND_TYPE_RECORD)

/* Who a conversation a client starts in the portal goes to; "off": clients
 * only answer the practice's (tend-server enforces it). */
static const char * const client_start_choices[] = { "clinician", "front_desk", "off", NULL };

#define F(n, l, k, fl, member, len) \
  { n, l, k, fl, G_STRUCT_OFFSET (TendPractice, member), len, NULL, 0, 0 }

static const TendField practice_fields[] = {
  F ("name", N_("Practice name"), TEND_FIELD_STRING, TEND_FIELD_REQUIRED, name, 120),
  F ("time_zone", N_("Time zone"), TEND_FIELD_TIME_ZONE, TEND_FIELD_REQUIRED, time_zone, 64),
  F ("currency", N_("Currency"), TEND_FIELD_CURRENCY, TEND_FIELD_REQUIRED, currency, 3),
  F ("phone", N_("Phone"), TEND_FIELD_PHONE, 0, phone, 40),
  F ("email", N_("Email"), TEND_FIELD_EMAIL, 0, email, 254),
  F ("tax_id", N_("Tax ID"), TEND_FIELD_STRING, 0, tax_id, 20),
  F ("npi", N_("Practice NPI"), TEND_FIELD_NPI, 0, npi, 10),
  F ("messaging.client_notice", N_("Notice shown to clients"), TEND_FIELD_STRING, 0, client_notice, 500),
  { "messaging.client_start", N_("Conversations clients start"), TEND_FIELD_ENUM, 0,
    G_STRUCT_OFFSET (TendPractice, client_start), 0, client_start_choices, 0, 0 },
  F ("address.line1", N_("Address"), TEND_FIELD_STRING, 0, address_line1, 120),
  F ("address.line2", N_("Address line 2"), TEND_FIELD_STRING, 0, address_line2, 120),
  F ("address.city", N_("City"), TEND_FIELD_STRING, 0, city, 80),
  F ("address.region", N_("State or region"), TEND_FIELD_STRING, 0, region, 80),
  F ("address.postal_code", N_("Postal code"), TEND_FIELD_STRING, 0, postal_code, 20),
  F ("address.country", N_("Country"), TEND_FIELD_STRING, 0, country, 2),
  F ("consents.treatment_en", N_("Consent to treatment (English)"), TEND_FIELD_TEXT, 0, consents[0][0], 20000),
  F ("consents.treatment_es", N_("Consent to treatment (Spanish)"), TEND_FIELD_TEXT, 0, consents[0][1], 20000),
  F ("consents.telehealth_en", N_("Consent to telehealth (English)"), TEND_FIELD_TEXT, 0, consents[1][0], 20000),
  F ("consents.telehealth_es", N_("Consent to telehealth (Spanish)"), TEND_FIELD_TEXT, 0, consents[1][1], 20000),
  F ("consents.release_of_information_en", N_("Release of information (English)"), TEND_FIELD_TEXT, 0,
     consents[2][0], 20000),
  F ("consents.release_of_information_es", N_("Release of information (Spanish)"), TEND_FIELD_TEXT, 0,
     consents[2][1], 20000),
};

static const char * const consent_kinds[] = { "treatment", "telehealth", "release_of_information", NULL };

#undef F

static const TendRecordPolicy practice_policy = TEND_RECORD_POLICY_PLAIN (VIEW_DEMOGRAPHICS, MANAGE_PRACTICE);

static void
tend_practice_class_init (TendPracticeClass *klass)
{
  tend_record_class_set_fields (TEND_RECORD_CLASS (klass), "practice",
                                practice_fields, G_N_ELEMENTS (practice_fields));
  tend_record_class_set_policy (TEND_RECORD_CLASS (klass), &practice_policy);
}

static void
tend_practice_init (TendPractice *self)
{
}

TendPractice *
tend_practice_new (const char *name,
                   const char *time_zone)
{
  TendPractice *self = TEND_PRACTICE (tend_record_new (TEND_TYPE_PRACTICE));

  tend_record_set_string (TEND_RECORD (self), "name", name);
  tend_record_set_string (TEND_RECORD (self), "time_zone", time_zone);
  tend_record_set_string (TEND_RECORD (self), "currency", "USD");
  return self;
}

const char *
tend_practice_get_name (TendPractice *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE (self), NULL);
  return self->name;
}

const char *
tend_practice_get_time_zone (TendPractice *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE (self), NULL);
  return self->time_zone;
}

/**
 * tend_practice_dup_zone:
 *
 * Returns: (transfer full): the practice's zone, or UTC if it is unset
 */
GTimeZone *
tend_practice_dup_zone (TendPractice *self)
{
  GTimeZone *tz;

  g_return_val_if_fail (TEND_IS_PRACTICE (self), NULL);
  tz = tend_time_zone_new (self->time_zone, NULL);
  return tz != NULL ? tz : g_time_zone_new_utc ();
}

const char *
tend_practice_get_currency (TendPractice *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE (self), NULL);
  return self->currency != NULL ? self->currency : "USD";
}

/**
 * tend_practice_get_client_notice:
 *
 * Returns: (nullable): the practice's own notice on messaging for clients
 *   ("not for emergencies: call 988 or 911"), or %NULL for the built-in one
 */
const char *
tend_practice_get_client_notice (TendPractice *self)
{
  g_return_val_if_fail (TEND_IS_PRACTICE (self), NULL);
  return self->client_notice;
}

/**
 * tend_practice_get_consent_text:
 * @consent: "treatment", "telehealth" or "release_of_information"
 * @language: a language code ("es", "es-MX", "en"...); Spanish for "es…",
 *   English otherwise
 *
 * Returns: (nullable): the practice's own text of that consent in that
 *   language (the owner edits them in Preferences), or %NULL when the
 *   practice uses Tend's
 */
const char *
tend_practice_get_consent_text (TendPractice *self,
                                const char   *consent,
                                const char   *language)
{
  int lang;

  g_return_val_if_fail (TEND_IS_PRACTICE (self), NULL);
  lang = language != NULL && g_ascii_strncasecmp (language, "es", 2) == 0 ? 1 : 0;
  for (guint i = 0; consent_kinds[i] != NULL; i++)
    if (g_strcmp0 (consent, consent_kinds[i]) == 0)
      return self->consents[i][lang] != NULL && *self->consents[i][lang] != '\0' ? self->consents[i][lang] : NULL;
  return NULL;
}
