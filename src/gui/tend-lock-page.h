/* tend-lock-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_LOCK_PAGE (tend_lock_page_get_type ())
G_DECLARE_FINAL_TYPE (TendLockPage, tend_lock_page, TEND, LOCK_PAGE, GtkWidget)

void tend_lock_page_set_context (TendLockPage *self,
                                 TendContext  *context);
void tend_lock_page_reset       (TendLockPage *self);
void tend_lock_page_focus       (TendLockPage *self);
void tend_lock_page_submit      (TendLockPage *self,
                                 const char   *password);
gboolean tend_lock_page_choose_user (TendLockPage *self,
                                     const char   *staff_id);

G_END_DECLS
