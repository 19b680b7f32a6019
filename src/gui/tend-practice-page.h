/* tend-practice-page.h: the practice's own details, for its owners
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"
#include "tend-record-form.h"

G_BEGIN_DECLS

#define TEND_TYPE_PRACTICE_PAGE (tend_practice_page_get_type ())
G_DECLARE_FINAL_TYPE (TendPracticePage, tend_practice_page, TEND, PRACTICE_PAGE, AdwPreferencesPage)

GtkWidget      *tend_practice_page_new      (TendContext      *context);
TendRecordForm *tend_practice_page_get_form (TendPracticePage *self);
gboolean        tend_practice_page_save     (TendPracticePage *self,
                                             GError          **error);
GtkWindow      *tend_practice_page_open_consent_texts (TendPracticePage *self);

G_END_DECLS
