/* tend-session-members.h: the appointment editor's couple, family and
 * group session: its type and the clients besides the session's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-core.h"
#include "tend-store.h"

G_BEGIN_DECLS

#define TEND_TYPE_SESSION_MEMBERS (tend_session_members_get_type ())
G_DECLARE_FINAL_TYPE (TendSessionMembers, tend_session_members, TEND, SESSION_MEMBERS, AdwPreferencesGroup)

TendSessionMembers *tend_session_members_new              (TendStore          *store);
void                tend_session_members_set_from         (TendSessionMembers *self,
                                                           TendAppointment    *appointment);
TendSessionType     tend_session_members_get_session_type (TendSessionMembers *self);
void                tend_session_members_set_session_type (TendSessionMembers *self,
                                                           TendSessionType     type);
void                tend_session_members_add              (TendSessionMembers *self,
                                                           const char         *client_id);
guint               tend_session_members_get_n_others     (TendSessionMembers *self);
void                tend_session_members_apply            (TendSessionMembers *self,
                                                           TendAppointment    *appointment,
                                                           const char         *client_id);

G_END_DECLS
