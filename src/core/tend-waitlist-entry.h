/* tend-waitlist-entry.h: a client waiting for a slot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-appointment.h"

G_BEGIN_DECLS

#define TEND_TYPE_WAITLIST_ENTRY (tend_waitlist_entry_get_type ())
G_DECLARE_FINAL_TYPE (TendWaitlistEntry, tend_waitlist_entry, TEND, WAITLIST_ENTRY, TendRecord)

TendWaitlistEntry *tend_waitlist_entry_new        (const char        *client_id);
const char        *tend_waitlist_entry_get_client_id (TendWaitlistEntry *self);
gboolean           tend_waitlist_entry_matches    (TendWaitlistEntry *self,
                                                   const char        *clinician_id,
                                                   GDateTime         *start,
                                                   GDateTime         *end,
                                                   TendModality       modality,
                                                   GTimeZone         *zone);

G_END_DECLS
