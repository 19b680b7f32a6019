/* tend-message.h: secure messaging: conversations, their messages, and
 * how far each member has read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tend-record.h"

G_BEGIN_DECLS

/* How long after sending its author may still edit or withdraw a message. */
#define TEND_MESSAGE_EDIT_WINDOW_USEC (15 * G_TIME_SPAN_MINUTE)
/* How far ahead of the checker's clock a message's time may be. */
#define TEND_MESSAGE_CLOCK_SKEW_USEC (5 * G_TIME_SPAN_MINUTE)
#define TEND_CONVERSATION_MAX_MEMBERS 50
#define TEND_MESSAGE_MAX_ATTACHMENTS 10

typedef struct
{
  char  *sha256;
  char  *name;
  char  *mime_type;
  gint64 size;
} TendAttachment;

void              tend_attachment_free              (TendAttachment     *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendAttachment, tend_attachment_free)

/* People added to a conversation after it started. */
typedef struct
{
  char  *by;        /* the member who added them */
  char **members;   /* whom */
  gint64 at_usec;   /* when, Unix microseconds */
} TendConversationAddition;

void              tend_conversation_addition_free   (TendConversationAddition *addition);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TendConversationAddition, tend_conversation_addition_free)

#define TEND_TYPE_CONVERSATION (tend_conversation_get_type ())
G_DECLARE_FINAL_TYPE (TendConversation, tend_conversation, TEND, CONVERSATION, TendRecord)

#define TEND_TYPE_MESSAGE (tend_message_get_type ())
G_DECLARE_FINAL_TYPE (TendMessage, tend_message, TEND, MESSAGE, TendRecord)

#define TEND_TYPE_READ_MARKER (tend_read_marker_get_type ())
G_DECLARE_FINAL_TYPE (TendReadMarker, tend_read_marker, TEND, READ_MARKER, TendRecord)

TendConversation *tend_conversation_new             (const char         *created_by,
                                                     const char * const *members);
gboolean          tend_conversation_has_member      (TendConversation   *self,
                                                     const char         *staff_id);
char            **tend_conversation_dup_members     (TendConversation   *self);
const char       *tend_conversation_get_client_id   (TendConversation   *self);
const char       *tend_conversation_get_subject     (TendConversation   *self);
gboolean          tend_conversation_is_clinical     (TendConversation   *self);
gboolean          tend_conversation_is_with_client  (TendConversation   *self);
gboolean          tend_conversation_is_started_by_client (TendConversation *self);
GPtrArray        *tend_conversation_dup_additions   (TendConversation   *self);
int               tend_conversation_add_members     (TendConversation   *self,
                                                     const char         *by,
                                                     const char * const *staff_ids,
                                                     GError            **error);

TendMessage      *tend_message_new                  (const char         *conversation_id,
                                                     const char         *author_id,
                                                     const char         *text);
const char       *tend_message_get_conversation_id  (TendMessage        *self);
const char       *tend_message_get_author_id        (TendMessage        *self);
const char       *tend_message_get_text             (TendMessage        *self);
const char       *tend_message_get_sent_at          (TendMessage        *self);
gboolean          tend_message_is_from_client       (TendMessage        *self);
gboolean          tend_message_is_withdrawn         (TendMessage        *self);
gboolean          tend_message_is_edited            (TendMessage        *self);
gboolean          tend_message_may_change           (TendMessage        *self,
                                                     gint64              now_usec);
gboolean          tend_message_edit                 (TendMessage        *self,
                                                     const char         *text,
                                                     GError            **error);
void              tend_message_withdraw             (TendMessage        *self);
gboolean          tend_message_add_attachment       (TendMessage        *self,
                                                     const char         *sha256,
                                                     const char         *name,
                                                     const char         *mime_type,
                                                     gint64              size,
                                                     GError            **error);
GPtrArray        *tend_message_dup_attachments      (TendMessage        *self);

char             *tend_read_marker_id_for           (const char         *conversation_id,
                                                     const char         *staff_id);
TendReadMarker   *tend_read_marker_new              (const char         *conversation_id,
                                                     const char         *staff_id);

G_END_DECLS
