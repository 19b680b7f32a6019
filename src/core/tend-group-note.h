/* tend-group-note.h: what one member's note of a couple, family or group
 * session may say of the other members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-appointment.h"
#include "tend-related-person.h"

G_BEGIN_DECLS

typedef struct _TendGroupNote TendGroupNote;

TendGroupNote *tend_group_note_new               (TendAppointment   *appointment,
                                                  const char        *client_id);
TendGroupNote *tend_group_note_ref               (TendGroupNote     *self);
void           tend_group_note_unref             (TendGroupNote     *self);
void           tend_group_note_add_name          (TendGroupNote     *self,
                                                  const char        *member_id,
                                                  const char        *display_name);
void           tend_group_note_add_related       (TendGroupNote     *self,
                                                  TendRelatedPerson *related);
gboolean       tend_group_note_may_name          (TendGroupNote     *self,
                                                  const char        *member_id);
char          *tend_group_note_dup_participants  (TendGroupNote     *self);
char         **tend_group_note_dup_hidden_names  (TendGroupNote     *self);
char          *tend_group_note_redact            (TendGroupNote     *self,
                                                  const char        *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendGroupNote, tend_group_note_unref)

G_END_DECLS
