/* tend-insurance.h: a client's coverage from what was typed as text
 * (client.insurance.*, portal intake forms) into policy records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

/* Insurance typed as text that is not a policy yet: the client record's
 * old insurance.* members, or the insurance details of an intake form the
 * client filled in through the portal. */
typedef struct
{
  char     *client_id;
  char     *source_id;     /* the client (old members) or the intake form */
  gboolean  from_intake;
  char     *received_at;   /* intake: when the client sent it (ISO 8601) */
  char     *payer_text;    /* the payer as typed */
  char     *member;
  char     *group;
  char     *subscriber;
  char     *relationship;  /* as typed */
  char     *payer_id;      /* the practice's payer of that name, or NULL */
  char     *policy_id;     /* the id of the policy made from it */
} TendInsuranceProposal;

void        tend_insurance_proposal_free       (TendInsuranceProposal *proposal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendInsuranceProposal, tend_insurance_proposal_free)

GPtrArray  *tend_insurance_list_policies       (TendStore             *store,
                                                const char            *client_id,
                                                GError               **error);
char       *tend_insurance_match_payer         (TendStore             *store,
                                                const char            *name,
                                                GError               **error);
GPtrArray  *tend_insurance_list_pending        (TendStore             *store,
                                                const char            *client_id,
                                                GError               **error);
guint       tend_insurance_count_intake_pending (TendStore            *store,
                                                GError               **error);
TendRecord *tend_insurance_proposal_to_policy  (TendStore             *store,
                                                const TendInsuranceProposal *proposal);
gboolean    tend_insurance_dismiss             (TendStore             *store,
                                                const TendInsuranceProposal *proposal,
                                                GError               **error);
gboolean    tend_insurance_convert             (TendStore             *store,
                                                guint                 *n_converted,
                                                GError               **error);

G_END_DECLS
