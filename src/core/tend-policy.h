/* tend-policy.h: a client's insurance coverage with one payer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

typedef enum
{
  TEND_RELATIONSHIP_SELF,
  TEND_RELATIONSHIP_SPOUSE,
  TEND_RELATIONSHIP_CHILD,
  TEND_RELATIONSHIP_OTHER,
} TendSubscriberRelationship;

#define TEND_TYPE_POLICY (tend_policy_get_type ())
G_DECLARE_FINAL_TYPE (TendPolicy, tend_policy, TEND, POLICY, TendRecord)

TendPolicy *tend_policy_new            (const char *client_id,
                                       const char *payer_id,
                                       const char *member_id);
TendSubscriberRelationship tend_policy_get_relationship (TendPolicy *self);
gboolean    tend_policy_covers         (TendPolicy *self,
                                       const char *date);

G_END_DECLS
