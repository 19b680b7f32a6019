/* tend-messages.h: secure messaging in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-store.h"
#include "tend-message.h"

G_BEGIN_DECLS

typedef struct
{
  TendConversation *conversation;
  gint64            last_usec;       /* the newest message, or the start */
  char             *last_text;       /* (nullable): the newest message's text */
  char             *last_author_id;  /* (nullable): its author; NULL with text: the client */
  gboolean          last_withdrawn;
  guint             unread;          /* messages by others after the actor's read marker */
} TendConversationSummary;

void              tend_conversation_summary_free  (TendConversationSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendConversationSummary, tend_conversation_summary_free)

typedef struct
{
  char   *name;
  char   *mime_type;
  GBytes *contents;
} TendOutgoingFile;

TendOutgoingFile *tend_outgoing_file_new          (const char   *name,
                                                   const char   *mime_type,
                                                   GBytes       *contents);
void              tend_outgoing_file_free         (TendOutgoingFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendOutgoingFile, tend_outgoing_file_free)

TendConversation *tend_messages_start             (TendStore          *store,
                                                   const char * const *others,
                                                   const char         *subject,
                                                   const char         *client_id,
                                                   gboolean            clinical,
                                                   gboolean            with_client,
                                                   GError            **error);
GPtrArray        *tend_messages_list_conversations(TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
gint64            tend_messages_count_unread      (TendStore          *store,
                                                   GError            **error);
TendConversation *tend_messages_open              (TendStore          *store,
                                                   const char         *conversation_id,
                                                   GError            **error);
GArray           *tend_messages_list_rids         (TendStore          *store,
                                                   const char         *conversation_id,
                                                   GError            **error);
GArray           *tend_messages_list_thread       (TendStore          *store,
                                                   const char         *conversation_id,
                                                   GError            **error);
TendConversation *tend_messages_add_members       (TendStore          *store,
                                                   const char         *conversation_id,
                                                   const char * const *staff_ids,
                                                   GError            **error);
TendMessage      *tend_messages_load              (TendStore          *store,
                                                   gint64              rid,
                                                   GError            **error);
TendMessage      *tend_messages_send              (TendStore          *store,
                                                   const char         *conversation_id,
                                                   const char         *text,
                                                   GPtrArray          *files,
                                                   GError            **error);
TendMessage      *tend_messages_edit              (TendStore          *store,
                                                   const char         *message_id,
                                                   const char         *text,
                                                   GError            **error);
TendMessage      *tend_messages_withdraw          (TendStore          *store,
                                                   const char         *message_id,
                                                   GError            **error);
gboolean          tend_messages_mark_read         (TendStore          *store,
                                                   const char         *conversation_id,
                                                   GError            **error);
GPtrArray        *tend_messages_list_read_markers (TendStore          *store,
                                                   const char         *conversation_id,
                                                   GError            **error);
GBytes           *tend_messages_read_attachment   (TendStore          *store,
                                                   TendMessage        *message,
                                                   const char         *sha256,
                                                   GError            **error);
char             *tend_messages_get_draft         (TendStore          *store,
                                                   const char         *conversation_id);
gboolean          tend_messages_set_draft         (TendStore          *store,
                                                   const char         *conversation_id,
                                                   const char         *text,
                                                   GError            **error);
GArray           *tend_messages_search            (TendStore          *store,
                                                   const char         *text,
                                                   guint               limit,
                                                   GError            **error);

G_END_DECLS
