/* tend-people-page.h: who can sign in to the practice server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_PEOPLE_PAGE (tend_people_page_get_type ())
G_DECLARE_FINAL_TYPE (TendPeoplePage, tend_people_page, TEND, PEOPLE_PAGE, AdwPreferencesPage)

GtkWidget  *tend_people_page_new            (TendContext    *context,
                                             TendSyncEngine *engine);
void        tend_people_page_add            (TendPeoplePage *self,
                                             const char     *given,
                                             const char     *family,
                                             const char     *email,
                                             TendRole        role,
                                             const char     *password);
gboolean    tend_people_page_is_busy        (TendPeoplePage *self);
guint       tend_people_page_get_n_accounts (TendPeoplePage *self);
const char *tend_people_page_get_message    (TendPeoplePage *self);
gboolean    tend_people_page_give_sign_in   (TendPeoplePage *self,
                                             const char     *staff_id,
                                             const char     *password);
guint       tend_people_page_get_n_unlinked (TendPeoplePage *self);

G_END_DECLS
