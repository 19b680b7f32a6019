/* tend-messages-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tend-context.h"

G_BEGIN_DECLS

#define TEND_TYPE_MESSAGES_PAGE (tend_messages_page_get_type ())
G_DECLARE_FINAL_TYPE (TendMessagesPage, tend_messages_page, TEND, MESSAGES_PAGE, AdwBin)

void        tend_messages_page_set_context       (TendMessagesPage *self,
                                                  TendContext      *context);
guint       tend_messages_page_get_unread        (TendMessagesPage *self);
void        tend_messages_page_open_conversation (TendMessagesPage *self,
                                                  const char       *conversation_id);
void        tend_messages_page_compose           (TendMessagesPage *self);
void        tend_messages_page_focus_search      (TendMessagesPage *self);

G_END_DECLS
