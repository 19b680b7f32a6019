/* tend-rooms-page.h: the practice's rooms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-record-form.h"

G_BEGIN_DECLS

#define TEND_TYPE_ROOMS_PAGE (tend_rooms_page_get_type ())
G_DECLARE_FINAL_TYPE (TendRoomsPage, tend_rooms_page, TEND, ROOMS_PAGE, AdwPreferencesPage)

GtkWidget      *tend_rooms_page_new      (TendStore     *store);
TendRecordForm *tend_rooms_page_get_form (TendRoomsPage *self);
gboolean        tend_rooms_page_save     (TendRoomsPage *self,
                                          GError       **error);

G_END_DECLS
