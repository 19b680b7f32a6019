/* tend-related-person.h: a client's guardians and related people (a
 * minor's parents, a partner, an emergency contact), with their
 * relationship and consent to share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-client.h"
#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_RELATED_PARENT,
  TEND_RELATED_LEGAL_GUARDIAN,
  TEND_RELATED_PARTNER,
  TEND_RELATED_EMERGENCY_CONTACT,
  TEND_RELATED_OTHER,
  TEND_N_RELATED
} TendRelatedKind;

/* Below this age a client is a minor, for whom a legal guardian may act. */
#define TEND_AGE_OF_MAJORITY 18

#define TEND_TYPE_RELATED_PERSON (tend_related_person_get_type ())
G_DECLARE_FINAL_TYPE (TendRelatedPerson, tend_related_person, TEND, RELATED_PERSON, TendRecord)

TendRelatedPerson *tend_related_person_new               (const char        *client_id,
                                                          const char        *name,
                                                          TendRelatedKind   relationship);
const char        *tend_related_person_get_client_id     (TendRelatedPerson *self);
const char        *tend_related_person_get_name          (TendRelatedPerson *self);
TendRelatedKind   tend_related_person_get_relationship  (TendRelatedPerson *self);
gboolean           tend_related_person_is_legal_guardian (TendRelatedPerson *self);
gboolean           tend_related_person_has_consent       (TendRelatedPerson *self);
const char        *tend_related_person_get_linked_client (TendRelatedPerson *self);
void               tend_related_person_set_consent       (TendRelatedPerson *self,
                                                          const char        *date,
                                                          const char        *recorded_by,
                                                          const char        *scope);

const char        *tend_related_kind_to_string           (TendRelatedKind   relationship);
const char        *tend_related_kind_get_label           (TendRelatedKind   relationship);

gboolean           tend_related_person_may_act_for       (TendRelatedPerson *self,
                                                          TendClient        *client,
                                                          const GDate       *today,
                                                          GError           **error);

G_END_DECLS
