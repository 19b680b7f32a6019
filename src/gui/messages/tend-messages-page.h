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

TendMessagesPage *tend_messages_page_new          (void);
void        tend_messages_page_set_context       (TendMessagesPage *self,
                                                  TendContext      *context);
void        tend_messages_page_set_store         (TendMessagesPage *self,
                                                  TendStore        *store,
                                                  GTimeZone        *zone);
guint       tend_messages_page_get_unread        (TendMessagesPage *self);
void        tend_messages_page_open_conversation (TendMessagesPage *self,
                                                  const char       *conversation_id);
void        tend_messages_page_compose           (TendMessagesPage *self);
GtkWindow  *tend_messages_page_add_people        (TendMessagesPage *self);
void        tend_messages_page_focus_search      (TendMessagesPage *self);

/* For tests */
guint       tend_messages_page_get_n_shown       (TendMessagesPage *self);
gboolean    tend_messages_page_is_busy           (TendMessagesPage *self);
GtkListBox *tend_messages_page_get_list          (TendMessagesPage *self);
void        tend_messages_page_type              (TendMessagesPage *self,
                                                  const char       *text);
void        tend_messages_page_send              (TendMessagesPage *self);
gboolean    tend_messages_page_is_folded         (TendMessagesPage *self);

G_END_DECLS
