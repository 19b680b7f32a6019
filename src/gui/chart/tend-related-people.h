/* tend-related-people.h: a client's guardians and related people, in the
 * chart's Contacts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-store.h"
#include "tend-sync-controller.h"

G_BEGIN_DECLS

#define TEND_TYPE_RELATED_PEOPLE (tend_related_people_get_type ())
G_DECLARE_FINAL_TYPE (TendRelatedPeople, tend_related_people, TEND, RELATED_PEOPLE, GtkWidget)

GtkWidget  *tend_related_people_new          (TendStore          *store,
                                              TendSyncController *sync,
                                              const char         *client_id);
void        tend_related_people_refresh      (TendRelatedPeople  *self);
guint       tend_related_people_get_n_people (TendRelatedPeople  *self);
gboolean    tend_related_people_can_edit     (TendRelatedPeople  *self);
GtkWidget  *tend_related_people_edit         (TendRelatedPeople  *self,
                                              const char         *id);
GtkWidget  *tend_related_people_confirm_remove (TendRelatedPeople *self,
                                                const char        *id);
gboolean    tend_related_people_remove       (TendRelatedPeople  *self,
                                              const char         *id,
                                              GError            **error);
gboolean    tend_related_people_may_invite   (TendRelatedPeople  *self,
                                              const char         *id);

G_END_DECLS
