/* tend-messages.c: secure messaging in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Conversations, messages and read markers are records like the others
 * (saved through tend_store_save(), so the record policy, the audit and the
 * outbox apply); this file is the queries the Messages page needs and the
 * steps that go together (a message and its files in one transaction).
 *
 * A store signed in to a server holds only the conversations its person
 * is a member of (the server sends nobody else's); a store shared by
 * several local people lists, to each, only their own.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "tend-error.h"
#include "tend-messages.h"
#include "tend-store-private.h"
#include "tend-sync-store.h"
#include "tend-time.h"

#define RECORD_COLUMNS "id, version, deleted, updated_at, body"
/* The actor is a member (?1), or there is no actor (tools, tests). */
#define IS_MEMBER(c) \
  "(?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(" c ".body, '$.members') WHERE value = ?1))"

void
tend_conversation_summary_free (TendConversationSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_object (&summary->conversation);
  g_free (summary->last_text);
  g_free (summary->last_author_id);
  g_free (summary);
}

TendOutgoingFile *
tend_outgoing_file_new (const char *name,
                        const char *mime_type,
                        GBytes     *contents)
{
  TendOutgoingFile *file = g_new0 (TendOutgoingFile, 1);

  file->name = g_strdup (name);
  file->mime_type = g_strdup (mime_type);
  file->contents = g_bytes_ref (contents);
  return file;
}

void
tend_outgoing_file_free (TendOutgoingFile *file)
{
  if (file == NULL)
    return;
  g_free (file->name);
  g_free (file->mime_type);
  g_bytes_unref (file->contents);
  g_free (file);
}

static const char *
actor_id (TendStore *store)
{
  return tend_store_get_actor_id (store);
}

static void
bind_actor (TendStore    *store,
            sqlite3_stmt *stmt)
{
  if (actor_id (store) != NULL)
    sqlite3_bind_text (stmt, 1, actor_id (store), -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 1);
}

/**
 * tend_messages_start:
 * @others: the other members (staff ids); the signed-in person is added
 * @client_id: (nullable): the client the conversation is about or with
 *
 * Returns: (transfer full) (nullable): the saved conversation
 */
TendConversation *
tend_messages_start (TendStore          *store,
                     const char * const *others,
                     const char         *subject,
                     const char         *client_id,
                     gboolean            clinical,
                     gboolean            with_client,
                     GError            **error)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(TendConversation) conversation = NULL;
  const char *me = actor_id (store);

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (me == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("Sign in to send messages."));
      return NULL;
    }
  g_ptr_array_add (members, (gpointer) me);
  for (guint i = 0; others != NULL && others[i] != NULL; i++)
    if (strcmp (others[i], me) != 0 && !g_ptr_array_find_with_equal_func (members, others[i], g_str_equal, NULL))
      g_ptr_array_add (members, (gpointer) others[i]);
  if (members->len < 2 && !with_client)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Choose at least one person to write to."));
      return NULL;
    }
  g_ptr_array_add (members, NULL);
  conversation = tend_conversation_new (me, (const char * const *) members->pdata);
  tend_record_set_string (TEND_RECORD (conversation), "subject", subject);
  tend_record_set_string (TEND_RECORD (conversation), "client_id", client_id);
  tend_record_set_int (TEND_RECORD (conversation), "clinical", clinical);
  tend_record_set_int (TEND_RECORD (conversation), "with_client", with_client);
  if (!tend_store_save (store, TEND_RECORD (conversation), error))
    return NULL;
  return g_steal_pointer (&conversation);
}

/**
 * tend_messages_list_conversations:
 * @client_id: (nullable): only those about or with this client
 *
 * The signed-in person's conversations, the most recently active first,
 * with their newest message and how many messages by others they have
 * not read.
 *
 * Returns: (transfer container) (element-type TendConversationSummary)
 */
GPtrArray *
tend_messages_list_conversations (TendStore  *store,
                                  const char *client_id,
                                  GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_conversation_summary_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_read (store, TEND_TYPE_CONVERSATION, error))
    return NULL;
  stmt = tend_store_prepare_cached (store,
    "SELECT c.id, c.version, c.deleted, c.updated_at, c.body, m.body,"
    "  (SELECT count(*) FROM message u WHERE u.conversation_id = c.id AND u.deleted = 0"
    "     AND u.author_id IS NOT ?1"
    "     AND u.sent > coalesce((SELECT r.read_upto FROM read_marker r WHERE r.conversation_id = c.id"
    "                            AND r.staff_id = ?1 AND r.deleted = 0), 0)),"
    "  coalesce(m.sent, CAST(strftime('%s', substr(json_extract(c.body, '$.created_at'), 1, 19)) AS INTEGER) * 1000000)"
    "    AS active"
    " FROM conversation c LEFT JOIN message m ON m.rid ="
    "   (SELECT rid FROM message x WHERE x.conversation_id = c.id AND x.deleted = 0 ORDER BY x.sent DESC, x.id DESC LIMIT 1)"
    " WHERE c.deleted = 0 AND " IS_MEMBER ("c") " AND (?2 IS NULL OR c.client_id = ?2)"
    " ORDER BY active DESC, c.id",
    error);
  if (stmt == NULL)
    return NULL;
  bind_actor (store, stmt);
  if (client_id != NULL)
    sqlite3_bind_text (stmt, 2, client_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(TendConversationSummary) s = g_new0 (TendConversationSummary, 1);
      g_autoptr(GError) local = NULL;
      TendRecord *record = tend_store_record_from_row (store, TEND_TYPE_CONVERSATION, stmt, &local);

      if (record == NULL)
        {
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      s->conversation = TEND_CONVERSATION (record);
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          g_autoptr(TendRecord) last = tend_record_new (TEND_TYPE_MESSAGE);

          if (tend_record_load_body_string (last, (const char *) sqlite3_column_text (stmt, 5), -1, NULL))
            {
              s->last_text = g_strdup (tend_message_get_text (TEND_MESSAGE (last)));
              s->last_author_id = g_strdup (tend_message_get_author_id (TEND_MESSAGE (last)));
              s->last_withdrawn = tend_message_is_withdrawn (TEND_MESSAGE (last));
            }
        }
      s->unread = (guint) sqlite3_column_int64 (stmt, 6);
      s->last_usec = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (out, g_steal_pointer (&s));
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * tend_messages_count_unread:
 *
 * Returns: the messages by others the signed-in person has not read, in
 *   all their conversations, or -1 with @error set
 */
gint64
tend_messages_count_unread (TendStore  *store,
                            GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), -1);
  if (actor_id (store) == NULL)
    return 0;
  stmt = tend_store_prepare_cached (store,
    "SELECT count(*) FROM conversation c JOIN message u ON u.conversation_id = c.id AND u.deleted = 0"
    " WHERE c.deleted = 0 AND " IS_MEMBER ("c") " AND u.author_id IS NOT ?1"
    "   AND u.sent > coalesce((SELECT r.read_upto FROM read_marker r WHERE r.conversation_id = c.id"
    "                          AND r.staff_id = ?1 AND r.deleted = 0), 0)",
    error);
  if (stmt == NULL)
    return -1;
  bind_actor (store, stmt);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW)
    tend_store_take_db_error (store, rc, error);
  return n;
}

/* The conversation, if the signed-in person is in it. */
static TendConversation *
load_member_conversation (TendStore  *store,
                          const char *conversation_id,
                          GError    **error)
{
  g_autoptr(TendRecord) record = tend_store_load (store, TEND_TYPE_CONVERSATION, conversation_id, error);

  if (record == NULL)
    return NULL;
  if (tend_record_get_deleted (record) ||
      (actor_id (store) != NULL && !tend_conversation_has_member (TEND_CONVERSATION (record), actor_id (store))))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                           _("The conversation does not exist, or you are not one of its members."));
      return NULL;
    }
  return TEND_CONVERSATION (g_steal_pointer (&record));
}

/**
 * tend_messages_open:
 *
 * The conversation, for reading: a conversation about a client is audited
 * as a view of that client's chart.
 *
 * Returns: (transfer full) (nullable): the conversation
 */
TendConversation *
tend_messages_open (TendStore  *store,
                    const char *conversation_id,
                    GError    **error)
{
  g_autoptr(TendConversation) conversation = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  conversation = load_member_conversation (store, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  if (tend_conversation_get_client_id (conversation) != NULL &&
      !tend_store_audit_detail (store, "view-conversation", "conversation", conversation_id,
                                tend_conversation_get_client_id (conversation), error))
    return NULL;
  return g_steal_pointer (&conversation);
}

/**
 * tend_messages_list_rids:
 *
 * Returns: (transfer full) (element-type gint64): the conversation's
 *   messages' row ids, oldest first (as every computer orders them: by
 *   sending time, then id); load each with tend_messages_load()
 */
GArray *
tend_messages_list_rids (TendStore  *store,
                         const char *conversation_id,
                         GError    **error)
{
  g_autoptr(TendConversation) conversation = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  conversation = load_member_conversation (store, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  stmt = tend_store_prepare_cached (store,
                                    "SELECT rid FROM message INDEXED BY message_conversation"
                                    " WHERE conversation_id = ?1 AND deleted = 0 ORDER BY sent, id",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, conversation_id, -1, SQLITE_TRANSIENT);
  return tend_store_collect_rids (store, stmt, error);
}

/**
 * tend_messages_list_thread:
 *
 * The conversation as it is shown: its messages' row ids
 * (tend_messages_list_rids()), with each time people were added placed
 * among them by its time as a negative number, -(i + 1) for the i-th of
 * tend_conversation_dup_additions().
 *
 * Returns: (transfer full) (element-type gint64): the thread, oldest first
 */
GArray *
tend_messages_list_thread (TendStore  *store,
                           const char *conversation_id,
                           GError    **error)
{
  g_autoptr(GArray) rids = NULL;
  g_autoptr(TendConversation) conversation = NULL;
  g_autoptr(GPtrArray) additions = NULL;
  sqlite3_stmt *stmt;
  guint shift = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  rids = tend_messages_list_rids (store, conversation_id, error);
  if (rids == NULL)
    return NULL;
  conversation = load_member_conversation (store, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  additions = tend_conversation_dup_additions (conversation);
  if (additions == NULL || additions->len == 0)
    return g_steal_pointer (&rids);
  /* Few additions: where each goes is a count along the index. */
  stmt = tend_store_prepare_cached (store,
                                    "SELECT count(*) FROM message INDEXED BY message_conversation"
                                    " WHERE conversation_id = ?1 AND deleted = 0 AND sent <= ?2",
                                    error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < additions->len; i++)
    {
      TendConversationAddition *a = additions->pdata[i];
      gint64 marker = -(gint64) (i + 1);
      int rc;
      guint at;

      sqlite3_bind_text (stmt, 1, conversation_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, a->at_usec);
      rc = sqlite3_step (stmt);
      at = rc == SQLITE_ROW ? (guint) sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      if (rc != SQLITE_ROW)
        {
          tend_store_take_db_error (store, rc, error);
          return NULL;
        }
      /* Additions are in time order: each lands after the ones before. */
      g_array_insert_val (rids, MIN (at + shift, rids->len), marker);
      shift++;
    }
  return g_steal_pointer (&rids);
}

/**
 * tend_messages_add_members:
 * @staff_ids: the colleagues to add; those already in it are skipped
 *
 * Adds people to a conversation the signed-in person is in, as a change to
 * the conversation record (who added whom, and when), under the record
 * policy: the store checks it now and tend-server again.  The people
 * added receive the whole conversation, earlier messages included.
 *
 * Returns: (transfer full) (nullable): the conversation as saved
 */
TendConversation *
tend_messages_add_members (TendStore          *store,
                           const char         *conversation_id,
                           const char * const *staff_ids,
                           GError            **error)
{
  g_autoptr(TendConversation) conversation = NULL;
  int n;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (actor_id (store) == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED, _("Sign in to send messages."));
      return NULL;
    }
  conversation = load_member_conversation (store, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  n = tend_conversation_add_members (conversation, actor_id (store), staff_ids, error);
  if (n < 0)
    return NULL;
  if (n == 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Choose at least one person who is not in the conversation yet."));
      return NULL;
    }
  if (!tend_store_save (store, TEND_RECORD (conversation), error))
    return NULL;
  return g_steal_pointer (&conversation);
}

/**
 * tend_messages_load:
 *
 * Returns: (transfer full) (nullable): the message at @rid
 */
TendMessage *
tend_messages_load (TendStore  *store,
                    gint64      rid,
                    GError    **error)
{
  TendRecord *record = tend_store_load_by_rid (store, TEND_TYPE_MESSAGE, rid, error);

  return record != NULL ? TEND_MESSAGE (record) : NULL;
}

/**
 * tend_messages_send:
 * @files: (nullable) (element-type TendOutgoingFile): attachments
 *
 * Posts a message by the signed-in person, with its files' bytes (kept in
 * the encrypted store by their SHA-256), in one transaction, and clears
 * the conversation's draft.  Offline, it waits in the outbox.
 *
 * Returns: (transfer full) (nullable): the message
 */
TendMessage *
tend_messages_send (TendStore  *store,
                    const char *conversation_id,
                    const char *text,
                    GPtrArray  *files,
                    GError    **error)
{
  g_autoptr(TendMessage) message = NULL;
  g_autoptr(TendConversation) conversation = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  gboolean ok = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  conversation = load_member_conversation (store, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  if (*trimmed == '\0' && (files == NULL || files->len == 0))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Message: write something first"));
      return NULL;
    }
  message = tend_message_new (conversation_id, actor_id (store),
                              *trimmed != '\0' ? text : (files->len == 1 ? _("(file)") : _("(files)")));
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      TendOutgoingFile *file = files->pdata[i];
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file->contents);

      if (!tend_store_check_magic (file->mime_type, file->contents, error) ||
          !tend_message_add_attachment (message, sha, file->name, file->mime_type,
                                        (gint64) g_bytes_get_size (file->contents), error))
        return NULL;
    }
  if (!tend_store_step_begin (store, error))
    return NULL;
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      TendOutgoingFile *file = files->pdata[i];
      g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file->contents);

      if (!tend_store_sync_put_blob (store, sha, file->contents, error))
        goto out;
    }
  ok = tend_store_save (store, TEND_RECORD (message), error) &&
       tend_messages_set_draft (store, conversation_id, NULL, error);
out:
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&message);
}

static TendMessage *
load_own_message (TendStore  *store,
                  const char *message_id,
                  GError    **error)
{
  g_autoptr(TendRecord) record = tend_store_load (store, TEND_TYPE_MESSAGE, message_id, error);

  if (record == NULL)
    return NULL;
  if (!tend_message_may_change (TEND_MESSAGE (record), g_get_real_time ()))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("A message can be edited or withdrawn only in the first 15 minutes."));
      return NULL;
    }
  return TEND_MESSAGE (g_steal_pointer (&record));
}

/**
 * tend_messages_edit:
 *
 * Returns: (transfer full) (nullable): the edited message (its earlier
 *   text kept in its history)
 */
TendMessage *
tend_messages_edit (TendStore  *store,
                    const char *message_id,
                    const char *text,
                    GError    **error)
{
  g_autoptr(TendMessage) message = load_own_message (store, message_id, error);

  if (message == NULL || !tend_message_edit (message, text, error) ||
      !tend_store_save (store, TEND_RECORD (message), error))
    return NULL;
  return g_steal_pointer (&message);
}

/**
 * tend_messages_withdraw:
 *
 * Returns: (transfer full) (nullable): the withdrawn message (kept, and
 *   shown as withdrawn)
 */
TendMessage *
tend_messages_withdraw (TendStore  *store,
                        const char *message_id,
                        GError    **error)
{
  g_autoptr(TendMessage) message = load_own_message (store, message_id, error);

  if (message == NULL)
    return NULL;
  tend_message_withdraw (message);
  if (!tend_store_save (store, TEND_RECORD (message), error))
    return NULL;
  return g_steal_pointer (&message);
}

/**
 * tend_messages_mark_read:
 *
 * Moves the signed-in person's read marker to the conversation's newest
 * message (nothing is written when it is there already).
 */
gboolean
tend_messages_mark_read (TendStore  *store,
                         const char *conversation_id,
                         GError    **error)
{
  g_autoptr(TendRecord) marker = NULL;
  g_autoptr(GDateTime) now = tend_time_now ();
  g_autofree char *now_text = tend_time_to_iso8601 (now);
  g_autofree char *marker_id = NULL;
  g_autofree char *newest = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (actor_id (store) == NULL)
    return TRUE;
  stmt = tend_store_prepare_cached (store,
                                    "SELECT json_extract(body, '$.sent_at') FROM message INDEXED BY message_conversation"
                                    " WHERE conversation_id = ?1 AND deleted = 0 ORDER BY sent DESC, id DESC LIMIT 1",
                                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conversation_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    newest = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  if (newest == NULL)
    return TRUE;

  marker_id = tend_read_marker_id_for (conversation_id, actor_id (store));
  marker = tend_store_load (store, TEND_TYPE_READ_MARKER, marker_id, NULL);
  if (marker != NULL && !tend_record_get_deleted (marker))
    {
      g_autoptr(GDateTime) a = tend_time_parse_iso8601 (tend_record_get_string (marker, "read_upto"), NULL);
      g_autoptr(GDateTime) b = tend_time_parse_iso8601 (newest, NULL);

      if (a != NULL && b != NULL && g_date_time_compare (a, b) >= 0)
        return TRUE;
    }
  else
    {
      g_clear_object (&marker);
      marker = TEND_RECORD (tend_read_marker_new (conversation_id, actor_id (store)));
    }
  tend_record_set_string (marker, "read_upto", newest);
  tend_record_set_string (marker, "read_at", now_text);
  return tend_store_save (store, marker, error);
}

/**
 * tend_messages_list_read_markers:
 *
 * Returns: (transfer container) (element-type TendReadMarker): how far
 *   each member has read
 */
GPtrArray *
tend_messages_list_read_markers (TendStore  *store,
                                 const char *conversation_id,
                                 GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  stmt = tend_store_prepare_cached (store,
                                    "SELECT " RECORD_COLUMNS " FROM read_marker"
                                    " WHERE conversation_id = ?1 AND deleted = 0 ORDER BY read_upto",
                                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, conversation_id, -1, SQLITE_TRANSIENT);
  return tend_store_collect_rows (store, TEND_TYPE_READ_MARKER, stmt, TRUE, error);
}

/**
 * tend_messages_read_attachment:
 *
 * A file of @message, checked against its hash; audited (with the client
 * as detail when the conversation is about one).
 *
 * Returns: (transfer full) (nullable): the bytes
 */
GBytes *
tend_messages_read_attachment (TendStore   *store,
                               TendMessage *message,
                               const char  *sha256,
                               GError     **error)
{
  g_autoptr(GPtrArray) files = tend_message_dup_attachments (message);
  g_autoptr(TendConversation) conversation = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *actual = NULL;
  gboolean named = FALSE;

  for (guint i = 0; i < files->len; i++)
    named |= g_strcmp0 (((TendAttachment *) files->pdata[i])->sha256, sha256) == 0;
  conversation = load_member_conversation (store, tend_message_get_conversation_id (message), error);
  if (conversation == NULL)
    return NULL;
  if (!named)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The message has no such file."));
      return NULL;
    }
  bytes = tend_store_sync_dup_blob (store, sha256, &local);
  if (bytes == NULL)
    {
      if (local != NULL && !g_error_matches (local, TEND_ERROR, TEND_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                             _("The file is not on this computer yet: it arrives with the next sync."));
      return NULL;
    }
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (g_strcmp0 (actual, sha256) != 0)
    {
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT, _("The file’s contents are damaged."));
      return NULL;
    }
  if (!tend_store_audit_detail (store, "view-attachment", "message", tend_record_get_id (TEND_RECORD (message)),
                                tend_conversation_get_client_id (conversation), error))
    return NULL;
  return g_steal_pointer (&bytes);
}

/**
 * tend_messages_get_draft:
 *
 * Returns: (transfer full) (nullable): what was being written in the
 *   conversation on this computer
 */
char *
tend_messages_get_draft (TendStore  *store,
                         const char *conversation_id)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT text FROM message_draft WHERE conversation_id = ?1", NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, conversation_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return text;
}

/**
 * tend_messages_set_draft:
 * @text: (nullable): the draft; %NULL or empty removes it
 *
 * Keeps what is being written, on this computer only (it is not a record
 * and never syncs), so that a crash loses nothing.
 */
gboolean
tend_messages_set_draft (TendStore  *store,
                         const char *conversation_id,
                         const char *text,
                         GError    **error)
{
  sqlite3_stmt *stmt;

  if (text == NULL || *text == '\0')
    stmt = tend_store_prepare_cached (store, "DELETE FROM message_draft WHERE conversation_id = ?1", error);
  else
    stmt = tend_store_prepare_cached (store,
                                      "INSERT INTO message_draft (conversation_id, text, saved_at) VALUES (?1, ?2, ?3)"
                                      " ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text,"
                                      " saved_at = excluded.saved_at",
                                      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, conversation_id, -1, SQLITE_TRANSIENT);
  if (text != NULL && *text != '\0')
    {
      sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
    }
  return tend_store_step_done (store, stmt, error);
}

/**
 * tend_messages_search:
 *
 * Messages with all the words (the last may be the start of a word) in the
 * signed-in person's conversations, the most recently received on this
 * computer first; withdrawn messages are not found.
 *
 * Returns: (transfer full) (element-type gint64): message row ids
 */
GArray *
tend_messages_search (TendStore  *store,
                      const char *text,
                      guint       limit,
                      GError    **error)
{
  g_autofree char *query = tend_store_fts_query (text != NULL ? text : "", TRUE);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (*query == '\0')
    return g_array_new (FALSE, FALSE, sizeof (gint64));
  /* FTS5 walks its row ids backwards (newest written first) and the join
   * stops at the limit, instead of sorting every match of a common word. */
  stmt = tend_store_prepare_cached (store,
                                    "SELECT m.rid FROM message_fts f JOIN message m ON m.rid = f.rowid"
                                    " JOIN conversation c ON c.id = m.conversation_id"
                                    " WHERE message_fts MATCH ?2 AND m.deleted = 0 AND c.deleted = 0 AND " IS_MEMBER ("c")
                                    " ORDER BY f.rowid DESC LIMIT ?3",
                                    error);
  if (stmt == NULL)
    return NULL;
  bind_actor (store, stmt);
  sqlite3_bind_text (stmt, 2, query, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, limit > 0 ? (gint64) limit : G_MAXINT64);
  return tend_store_collect_rids (store, stmt, error);
}
