/* tend-message.c: secure messaging records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A conversation names its members (staff ids) when it is made.  A member
 * may add people later ("added": who added whom, and when, kept in the
 * record); nobody is ever removed, and an added person receives the whole
 * conversation, earlier messages included (tend-server sends them again,
 * see docs/architecture.md, "Secure messaging").  A conversation may be
 * about a client (listed in that client's chart), with
 * a client (a thread the client answers through the portal), and clinical
 * (then every member must be a role that reads clinical records: the front
 * desk and billers are never in one).  Messages and read markers belong to
 * their conversation: their policies' audience is its members, so the
 * server sends them to nobody else and takes them from nobody else.
 *
 * Nothing is deleted: an edit keeps the earlier text in "history", a
 * withdrawal keeps the text and marks the time, and both are allowed only
 * to the author within TEND_MESSAGE_EDIT_WINDOW_USEC of sending.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-document.h"
#include "tend-error.h"
#include "tend-message.h"
#include "tend-record-policy.h"
#include "tend-staff.h"
#include "tend-time.h"

/* Conversation */

struct _TendConversation
{
  TendRecord parent_instance;

  char    *subject;
  char    *members;
  char    *client_id;
  gboolean clinical;
  gboolean with_client;
  gboolean started_by_client;
  char    *created_by;
  char    *created_at;
  char    *added;
};

G_DEFINE_FINAL_TYPE (TendConversation, tend_conversation, TEND_TYPE_RECORD)

static const TendField conversation_fields[] = {
  { "subject", N_("Subject"), TEND_FIELD_STRING, 0, G_STRUCT_OFFSET (TendConversation, subject), 200, NULL, 0, 0 },
  { "members", N_("Members"), TEND_FIELD_UUID_LIST, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendConversation, members), 0, NULL, 0, 0 },
  { "client_id", N_("Client"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendConversation, client_id), 0, NULL, 0, 0 },
  { "clinical", N_("Clinical"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendConversation, clinical), 0, NULL, 0, 0 },
  { "with_client", N_("With the client"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendConversation, with_client), 0, NULL, 0, 0 },
  /* A client's own, started in the portal: then created_by is the client. */
  { "started_by_client", N_("Started by the client"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendConversation, started_by_client), 0, NULL, 0, 0 },
  { "created_by", N_("Started by"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendConversation, created_by), 0, NULL, 0, 0 },
  { "created_at", N_("Started"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendConversation, created_at), 40, NULL, 0, 0 },
  /* [{by, members, at}]: each time people were added, in order. */
  { "added", N_("People added"), TEND_FIELD_JSON, 0, G_STRUCT_OFFSET (TendConversation, added), 20000, NULL, 0, 0 },
};

static gint64 usec_of (const char *text);
static gboolean string_member (JsonObject *obj, const char *name, gsize max, const char **out);

static gboolean
tend_conversation_validate (TendRecord  *record,
                            GError     **error)
{
  TendConversation *self = TEND_CONVERSATION (record);
  g_auto(GStrv) members = tend_conversation_dup_members (self);
  guint n = g_strv_length (members);

  if (n == 0 || n > TEND_CONVERSATION_MAX_MEMBERS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Members: a conversation has from 1 to %d members"), TEND_CONVERSATION_MAX_MEMBERS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (strcmp (members[i], members[j]) == 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Members: a person is listed twice"));
          return FALSE;
        }
  if (self->with_client && self->client_id == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Client: a conversation with a client names the client"));
      return FALSE;
    }
  if (self->added != NULL)
    {
      g_autoptr(GPtrArray) additions = tend_conversation_dup_additions (self);
      gboolean ok = additions != NULL;

      for (guint i = 0; ok && i < additions->len; i++)
        {
          TendConversationAddition *a = additions->pdata[i];

          for (guint j = 0; ok && a->members[j] != NULL; j++)
            ok = g_strv_contains ((const char * const *) members, a->members[j]);
        }
      if (!ok)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("People added: expected a list of {by, members, at} naming members"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
same_string (TendRecord *a,
             TendRecord *b,
             const char *name)
{
  return g_strcmp0 (tend_record_get_string (a, name), tend_record_get_string (b, name)) == 0;
}

/* The staff ids of @conversation_id's members, or %NULL (with @error set
 * only when the lookup failed) when there is no such conversation. */
static TendConversation *
load_conversation (TendPolicyActor *actor,
                   const char      *conversation_id,
                   GError         **error)
{
  TendRecord *record = tend_policy_actor_load (actor, TEND_TYPE_CONVERSATION, conversation_id, error);

  return record != NULL ? TEND_CONVERSATION (record) : NULL;
}

/* The person writing is in @conversation; the system (no staff id) is. */
static gboolean
check_member (TendPolicyActor  *actor,
              TendConversation *conversation,
              GError          **error)
{
  if (conversation == NULL)
    return tend_policy_deny (error, _("The conversation does not exist, or you are not one of its members."));
  if (actor->staff_id != NULL && !tend_conversation_has_member (conversation, actor->staff_id))
    return tend_policy_deny (error, _("You are not a member of this conversation."));
  return TRUE;
}

/* Whether @staff_id may be in @self: on the practice's staff, and for a
 * clinical conversation a role that reads clinical records (the front desk
 * and billers never are).  The same rule when a conversation is started
 * and when someone is added. */
static gboolean
check_may_join (TendPolicyActor  *actor,
                TendConversation *self,
                const char       *staff_id,
                GError          **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(TendRecord) staff = tend_policy_actor_load (actor, TEND_TYPE_STAFF, staff_id, &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (staff == NULL)
    return tend_policy_deny (error, _("A member of the conversation is not on the practice’s staff."));
  if (self->clinical && !tend_role_can (tend_staff_get_role (TEND_STAFF (staff)), TEND_PERMISSION_VIEW_CLINICAL))
    {
      g_autofree char *name = tend_staff_dup_display_name (TEND_STAFF (staff));

      g_set_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                   _("A clinical conversation cannot include %s: their role does not read clinical records."),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* A change to a stored conversation: its subject, or people added by a
 * member (appended to the members, and one entry appended to "added" in
 * the adder's name, now); nothing else, and nobody is removed. */
static gboolean
check_conversation_change (TendPolicyActor  *actor,
                           TendConversation *old,
                           TendConversation *self,
                           GError          **error)
{
  static const char * const fixed[] = { "client_id", "created_by", "created_at", NULL };
  g_auto(GStrv) before = tend_conversation_dup_members (old);
  g_auto(GStrv) after = tend_conversation_dup_members (self);
  g_autoptr(GPtrArray) old_added = tend_conversation_dup_additions (old);
  g_autoptr(GPtrArray) new_added = tend_conversation_dup_additions (self);
  guint n_before = g_strv_length (before), n_after = g_strv_length (after);
  TendConversationAddition *entry;
  gint64 now = g_get_real_time ();

  if (actor->staff_id != NULL && !tend_conversation_has_member (old, actor->staff_id))
    return tend_policy_deny (error, _("You are not a member of this conversation."));
  for (guint i = 0; fixed[i] != NULL; i++)
    if (!same_string (TEND_RECORD (old), TEND_RECORD (self), fixed[i]))
      return tend_policy_deny (error, _("Only a conversation’s subject and its people can change."));
  if (old->clinical != self->clinical || old->with_client != self->with_client ||
      old->started_by_client != self->started_by_client)
    return tend_policy_deny (error, _("Only a conversation’s subject and its people can change."));
  if (n_after < n_before)
    return tend_policy_deny (error, _("Nobody is removed from a conversation."));
  for (guint i = 0; i < n_before; i++)
    if (strcmp (before[i], after[i]) != 0)
      return tend_policy_deny (error, _("Nobody is removed from a conversation."));
  if (n_after == n_before)
    {
      if (g_strcmp0 (old->added, self->added) != 0)
        return tend_policy_deny (error, _("Who added whom cannot change."));
      return TRUE;
    }

  /* People added: the record says who, by whom and when. */
  if (new_added == NULL || new_added->len != (old_added != NULL ? old_added->len : 0) + 1)
    return tend_policy_deny (error, _("Adding people records who added whom, once."));
  for (guint i = 0; old_added != NULL && i < old_added->len; i++)
    {
      TendConversationAddition *a = old_added->pdata[i], *b = new_added->pdata[i];

      if (g_strcmp0 (a->by, b->by) != 0 || a->at_usec != b->at_usec ||
          !g_strv_equal ((const char * const *) a->members, (const char * const *) b->members))
        return tend_policy_deny (error, _("Who added whom cannot change."));
    }
  entry = new_added->pdata[new_added->len - 1];
  if (g_strv_length (entry->members) != n_after - n_before)
    return tend_policy_deny (error, _("Adding people records who added whom, once."));
  for (guint i = n_before; i < n_after; i++)
    if (strcmp (entry->members[i - n_before], after[i]) != 0)
      return tend_policy_deny (error, _("Adding people records who added whom, once."));
  if (actor->staff_id != NULL)
    {
      if (g_strcmp0 (entry->by, actor->staff_id) != 0)
        return tend_policy_deny (error, _("People are added by the person signed in."));
      if (entry->at_usec > now + TEND_MESSAGE_CLOCK_SKEW_USEC)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Added: the time is in the future (is this computer’s clock right?)"));
          return FALSE;
        }
    }
  for (guint i = n_before; i < n_after; i++)
    if (!check_may_join (actor, self, after[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
conversation_check (TendPolicyActor *actor,
                    gboolean         extra_writer,
                    TendRecord      *stored,
                    TendRecord      *record,
                    GError         **error)
{
  TendConversation *self;
  g_auto(GStrv) members = NULL;

  if (record == NULL)
    return tend_policy_deny (error, _("Conversations are part of the record and cannot be deleted."));
  self = TEND_CONVERSATION (record);
  if (stored != NULL)
    return check_conversation_change (actor, TEND_CONVERSATION (stored), self, error);
  if (actor->staff_id != NULL && !tend_conversation_has_member (self, actor->staff_id))
    return tend_policy_deny (error, _("You are not a member of this conversation."));
  if (actor->staff_id != NULL && (g_strcmp0 (self->created_by, actor->staff_id) != 0 || self->started_by_client))
    return tend_policy_deny (error, _("A conversation is started by the person signed in."));
  if (self->added != NULL)
    return tend_policy_deny (error, _("A new conversation has added nobody yet."));

  /* A clinical conversation (or a client's thread) only among roles that
   * may read it. */
  members = tend_conversation_dup_members (self);
  for (guint i = 0; members[i] != NULL; i++)
    if (!check_may_join (actor, self, members[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
conversation_audience (TendPolicyActor *actor,
                       TendRecord      *record,
                       GPtrArray       *staff_ids,
                       GError         **error)
{
  g_auto(GStrv) members = tend_conversation_dup_members (TEND_CONVERSATION (record));

  for (guint i = 0; members[i] != NULL; i++)
    g_ptr_array_add (staff_ids, g_strdup (members[i]));
  return TRUE;
}

/* The portal: a client reads their own threads (with_client) and posts
 * into them; staff start them. */
static gboolean
conversation_client_owns (TendPolicyActor *actor,
                          TendRecord      *record,
                          GError         **error)
{
  TendConversation *self = TEND_CONVERSATION (record);

  return self->with_client && actor->client_id != NULL && g_strcmp0 (self->client_id, actor->client_id) == 0;
}

/* A client starts a thread of their own in the portal (when the practice
 * lets clients start them: tend-server checks the practice's setting and
 * chooses the members), in their own name, now; never clinical, and it
 * never changes afterwards. */
static gboolean
conversation_client_check (TendPolicyActor *actor,
                           TendRecord      *stored,
                           TendRecord      *record,
                           GError         **error)
{
  TendConversation *self = TEND_CONVERSATION (record);
  g_auto(GStrv) members = NULL;
  gint64 now = g_get_real_time (), at;

  if (stored != NULL)
    return tend_policy_deny (error, _("Only the practice changes a conversation."));
  at = usec_of (self->created_at);
  if (!self->with_client || !self->started_by_client || self->clinical || self->added != NULL ||
      g_strcmp0 (self->created_by, actor->client_id) != 0)
    return tend_policy_deny (error, _("A client starts a conversation in their own name."));
  if (at > now + TEND_MESSAGE_CLOCK_SKEW_USEC || at < now - TEND_MESSAGE_CLOCK_SKEW_USEC)
    return tend_policy_deny (error, _("Started: the time must be now."));
  members = tend_conversation_dup_members (self);
  for (guint i = 0; members[i] != NULL; i++)
    if (!check_may_join (actor, self, members[i], error))
      return FALSE;
  return TRUE;
}

static const char * const conversation_client_keep[] = { "subject", "created_at", "started_by_client", NULL };

static const TendClientAccess conversation_client_access = {
  .owns = conversation_client_owns,
  .keep = conversation_client_keep,
  .check = conversation_client_check,
};

static const TendRecordPolicy conversation_policy = {
  .read = TEND_PERMISSION_MESSAGE,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MESSAGE,
  .write_also = TEND_PERMISSION_NONE,
  .check = conversation_check,
  .audience = conversation_audience,
  .client = &conversation_client_access,
};

static void
tend_conversation_class_init (TendConversationClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  record_class->validate = tend_conversation_validate;
  tend_record_class_set_fields (record_class, "conversation", conversation_fields, G_N_ELEMENTS (conversation_fields));
  tend_record_class_set_policy (record_class, &conversation_policy);
}

static void
tend_conversation_init (TendConversation *self)
{
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = tend_time_now ();

  return tend_time_to_iso8601 (now);
}

TendConversation *
tend_conversation_new (const char         *created_by,
                       const char * const *members)
{
  TendConversation *self = TEND_CONVERSATION (tend_record_new (TEND_TYPE_CONVERSATION));
  g_autofree char *now = now_text ();

  tend_record_set_string (TEND_RECORD (self), "created_by", created_by);
  tend_record_set_string (TEND_RECORD (self), "created_at", now);
  tend_record_set_strv (TEND_RECORD (self), "members", members);
  return self;
}

char **
tend_conversation_dup_members (TendConversation *self)
{
  g_return_val_if_fail (TEND_IS_CONVERSATION (self), NULL);
  return tend_record_dup_strv (TEND_RECORD (self), "members");
}

gboolean
tend_conversation_has_member (TendConversation *self,
                              const char       *staff_id)
{
  g_auto(GStrv) members = NULL;

  g_return_val_if_fail (TEND_IS_CONVERSATION (self), FALSE);
  if (staff_id == NULL)
    return FALSE;
  members = tend_conversation_dup_members (self);
  return g_strv_contains ((const char * const *) members, staff_id);
}

const char *
tend_conversation_get_client_id (TendConversation *self)
{
  g_return_val_if_fail (TEND_IS_CONVERSATION (self), NULL);
  return self->client_id;
}

const char *
tend_conversation_get_subject (TendConversation *self)
{
  g_return_val_if_fail (TEND_IS_CONVERSATION (self), NULL);
  return self->subject;
}

gboolean
tend_conversation_is_clinical (TendConversation *self)
{
  g_return_val_if_fail (TEND_IS_CONVERSATION (self), FALSE);
  return self->clinical;
}

gboolean
tend_conversation_is_with_client (TendConversation *self)
{
  g_return_val_if_fail (TEND_IS_CONVERSATION (self), FALSE);
  return self->with_client;
}

gboolean
tend_conversation_is_started_by_client (TendConversation *self)
{
  g_return_val_if_fail (TEND_IS_CONVERSATION (self), FALSE);
  return self->started_by_client;
}

void
tend_conversation_addition_free (TendConversationAddition *addition)
{
  if (addition == NULL)
    return;
  g_free (addition->by);
  g_strfreev (addition->members);
  g_free (addition);
}

/**
 * tend_conversation_dup_additions:
 *
 * Returns: (transfer full) (nullable) (element-type TendConversationAddition):
 *   each time people were added, oldest first (empty when nobody was);
 *   %NULL when "added" is not a list of {by, members, at}
 */
GPtrArray *
tend_conversation_dup_additions (TendConversation *self)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_conversation_addition_free);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;

  g_return_val_if_fail (TEND_IS_CONVERSATION (self), NULL);
  if (self->added == NULL)
    return g_steal_pointer (&out);
  node = tend_record_dup_json (TEND_RECORD (self), "added");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  items = json_node_get_array (node);
  if (json_array_get_length (items) > TEND_CONVERSATION_MAX_MEMBERS)
    return NULL;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *obj = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
      JsonNode *list = obj != NULL ? json_object_get_member (obj, "members") : NULL;
      JsonArray *ids = list != NULL && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;
      g_autoptr(TendConversationAddition) a = NULL;
      const char *by, *at;
      guint n;

      if (obj == NULL || ids == NULL || !string_member (obj, "by", 36, &by) || !g_uuid_string_is_valid (by) ||
          !string_member (obj, "at", 40, &at) || usec_of (at) == G_MININT64 ||
          (n = json_array_get_length (ids)) == 0 || n > TEND_CONVERSATION_MAX_MEMBERS)
        return NULL;
      a = g_new0 (TendConversationAddition, 1);
      a->by = g_strdup (by);
      a->at_usec = usec_of (at);
      a->members = g_new0 (char *, n + 1);
      for (guint j = 0; j < n; j++)
        {
          JsonNode *id = json_array_get_element (ids, j);

          if (!JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
              !g_uuid_string_is_valid (json_node_get_string (id)))
            return NULL;
          a->members[j] = g_strdup (json_node_get_string (id));
        }
      g_ptr_array_add (out, g_steal_pointer (&a));
    }
  return g_steal_pointer (&out);
}

/**
 * tend_conversation_add_members:
 * @by: the person adding them (a member)
 * @staff_ids: the people to add; those already in it are skipped
 *
 * Appends @staff_ids to the members and records the addition ("added":
 * by whom, whom, now).  The record policy decides whether the save is
 * allowed.
 *
 * Returns: how many were added (0: all were members already), or -1 with
 *   @error set
 */
int
tend_conversation_add_members (TendConversation   *self,
                               const char         *by,
                               const char * const *staff_ids,
                               GError            **error)
{
  g_auto(GStrv) members = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();
  g_autoptr(JsonNode) added = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *now = now_text ();

  g_return_val_if_fail (TEND_IS_CONVERSATION (self), -1);
  g_return_val_if_fail (by != NULL, -1);
  members = tend_conversation_dup_members (self);
  for (guint i = 0; members[i] != NULL; i++)
    g_ptr_array_add (all, members[i]);
  for (guint i = 0; staff_ids != NULL && staff_ids[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (all, staff_ids[i], g_str_equal, NULL))
      {
        g_ptr_array_add (all, (gpointer) staff_ids[i]);
        g_ptr_array_add (fresh, (gpointer) staff_ids[i]);
      }
  if (fresh->len == 0)
    return 0;
  if (all->len > TEND_CONVERSATION_MAX_MEMBERS)
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Members: a conversation has from 1 to %d members"), TEND_CONVERSATION_MAX_MEMBERS);
      return -1;
    }
  added = tend_record_dup_json (TEND_RECORD (self), "added");
  json_builder_begin_array (b);
  for (guint i = 0; added != NULL && JSON_NODE_HOLDS_ARRAY (added) &&
                    i < json_array_get_length (json_node_get_array (added)); i++)
    json_builder_add_value (b, json_node_copy (json_array_get_element (json_node_get_array (added), i)));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "by");
  json_builder_add_string_value (b, by);
  json_builder_set_member_name (b, "members");
  json_builder_begin_array (b);
  for (guint i = 0; i < fresh->len; i++)
    json_builder_add_string_value (b, fresh->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, now);
  json_builder_end_object (b);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  g_ptr_array_add (all, NULL);
  tend_record_set_strv (TEND_RECORD (self), "members", (const char * const *) all->pdata);
  tend_record_set_json (TEND_RECORD (self), "added", root);
  return (int) fresh->len;
}

/* Message */

struct _TendMessage
{
  TendRecord parent_instance;

  char    *conversation_id;
  char    *author_id;
  gboolean from_client;
  char    *text;
  char    *sent_at;
  char    *edited_at;
  char    *withdrawn_at;
  char    *history;
  char    *attachments;
};

G_DEFINE_FINAL_TYPE (TendMessage, tend_message, TEND_TYPE_RECORD)

static const TendField message_fields[] = {
  { "conversation_id", N_("Conversation"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendMessage, conversation_id), 0, NULL, 0, 0 },
  { "author_id", N_("Author"), TEND_FIELD_UUID, 0, G_STRUCT_OFFSET (TendMessage, author_id), 0, NULL, 0, 0 },
  { "from_client", N_("From the client"), TEND_FIELD_BOOL, 0, G_STRUCT_OFFSET (TendMessage, from_client), 0, NULL, 0, 0 },
  { "text", N_("Message"), TEND_FIELD_TEXT, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendMessage, text), 10000, NULL, 0, 0 },
  { "sent_at", N_("Sent"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendMessage, sent_at), 40, NULL, 0, 0 },
  { "edited_at", N_("Edited"), TEND_FIELD_DATETIME, 0, G_STRUCT_OFFSET (TendMessage, edited_at), 40, NULL, 0, 0 },
  { "withdrawn_at", N_("Withdrawn"), TEND_FIELD_DATETIME, 0, G_STRUCT_OFFSET (TendMessage, withdrawn_at), 40, NULL, 0, 0 },
  /* JSON members are measured as their text: without a length of their own
   * they would get a name's 200 characters, too few for two attachments or
   * one edit of a long message. */
  { "history", N_("Earlier text"), TEND_FIELD_JSON, 0, G_STRUCT_OFFSET (TendMessage, history), 250000, NULL, 0, 0 },
  { "attachments", N_("Attachments"), TEND_FIELD_JSON, 0, G_STRUCT_OFFSET (TendMessage, attachments), 8000, NULL, 0, 0 },
};

static gboolean
string_member (JsonObject  *obj,
               const char  *name,
               gsize        max,
               const char **out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *out = json_node_get_string (node);
  return **out != '\0' && strlen (*out) <= max;
}

static gboolean
is_sha256 (const char *text)
{
  return strlen (text) == 64 && strspn (text, "0123456789abcdef") == 64;
}

static gint64
usec_of (const char *text)
{
  g_autoptr(GDateTime) dt = text != NULL ? tend_time_parse_iso8601 (text, NULL) : NULL;

  return dt != NULL ? tend_time_to_unix_usec (dt) : G_MININT64;
}

static gboolean
tend_message_validate (TendRecord  *record,
                       GError     **error)
{
  TendMessage *self = TEND_MESSAGE (record);
  g_autoptr(JsonNode) history = tend_record_dup_json (record, "history");
  g_autoptr(JsonNode) attachments = tend_record_dup_json (record, "attachments");

  if (self->from_client == (self->author_id != NULL))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Author: a message is either from a member of staff or from the client"));
      return FALSE;
    }
  if (history != NULL)
    {
      JsonArray *items = JSON_NODE_HOLDS_ARRAY (history) ? json_node_get_array (history) : NULL;

      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          const char *text, *until;

          if (!JSON_NODE_HOLDS_OBJECT (item) ||
              !string_member (json_node_get_object (item), "text", 40000, &text) ||
              !string_member (json_node_get_object (item), "until", 40, &until) ||
              usec_of (until) == G_MININT64)
            items = NULL;
        }
      if (items == NULL || json_array_get_length (items) > 100)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Earlier text: expected a list of {text, until}"));
          return FALSE;
        }
    }
  if (attachments != NULL)
    {
      JsonArray *items = JSON_NODE_HOLDS_ARRAY (attachments) ? json_node_get_array (attachments) : NULL;

      if (items != NULL && json_array_get_length (items) > TEND_MESSAGE_MAX_ATTACHMENTS)
        {
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("Attachments: at most %d files to a message"), TEND_MESSAGE_MAX_ATTACHMENTS);
          return FALSE;
        }
      for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonObject *obj = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          JsonNode *size = obj != NULL ? json_object_get_member (obj, "size") : NULL;
          const char *sha, *name, *mime;

          if (obj == NULL || !string_member (obj, "sha256", 64, &sha) || !is_sha256 (sha) ||
              !string_member (obj, "name", 255, &name) || !string_member (obj, "mime_type", 100, &mime) ||
              size == NULL || !JSON_NODE_HOLDS_VALUE (size) || json_node_get_value_type (size) != G_TYPE_INT64 ||
              json_node_get_int (size) < 0 || json_node_get_int (size) > TEND_DOCUMENT_MAX_SIZE)
            items = NULL;
          else if (!tend_document_mime_type_is_supported (mime))
            {
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("Attachments: %s files cannot be attached (PDF, PNG and JPEG can)"), mime);
              return FALSE;
            }
        }
      if (items == NULL)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Attachments: expected a list of {sha256, name, mime_type, size}"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
json_members_equal (TendRecord *a,
                    TendRecord *b,
                    const char *name)
{
  g_autoptr(JsonNode) x = tend_record_dup_json (a, name);
  g_autoptr(JsonNode) y = tend_record_dup_json (b, name);

  return (x == NULL && y == NULL) || (x != NULL && y != NULL && json_node_equal (x, y));
}

/* An edit keeps what was there: history is the stored history plus the
 * stored text. */
static gboolean
history_kept (TendMessage *stored,
              TendMessage *record)
{
  g_autoptr(JsonNode) before = tend_record_dup_json (TEND_RECORD (stored), "history");
  g_autoptr(JsonNode) after = tend_record_dup_json (TEND_RECORD (record), "history");
  JsonArray *a, *b;
  JsonNode *last;
  guint n;

  if (after == NULL || !JSON_NODE_HOLDS_ARRAY (after))
    return FALSE;
  b = json_node_get_array (after);
  n = before != NULL && JSON_NODE_HOLDS_ARRAY (before) ? json_array_get_length (a = json_node_get_array (before)) : 0;
  if (json_array_get_length (b) != n + 1)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!json_node_equal (json_array_get_element (a, i), json_array_get_element (b, i)))
      return FALSE;
  last = json_array_get_element (b, n);
  return JSON_NODE_HOLDS_OBJECT (last) &&
         g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (last), "text", NULL),
                    stored->text) == 0;
}

static gboolean
message_check (TendPolicyActor *actor,
               gboolean         extra_writer,
               TendRecord      *stored,
               TendRecord      *record,
               GError         **error)
{
  static const char * const fixed[] = { "conversation_id", "author_id", "sent_at", NULL };
  g_autoptr(TendConversation) conversation = NULL;
  g_autoptr(GError) local = NULL;
  TendMessage *self, *old;
  gint64 now = g_get_real_time ();

  if (record == NULL)
    return tend_policy_deny (error, _("Messages are part of the record and cannot be deleted: withdraw it instead."));
  self = TEND_MESSAGE (record);
  conversation = load_conversation (actor, self->conversation_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!check_member (actor, conversation, error))
    return FALSE;
  if (actor->staff_id == NULL)
    return TRUE;

  if (stored == NULL)
    {
      if (self->from_client || g_strcmp0 (self->author_id, actor->staff_id) != 0)
        return tend_policy_deny (error, _("A message is sent by the person signed in."));
      if (usec_of (self->sent_at) > now + TEND_MESSAGE_CLOCK_SKEW_USEC)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                               _("Sent: the time is in the future (is this computer’s clock right?)"));
          return FALSE;
        }
      /* An edit before it was first sent (offline) arrives with its
       * history: the author's own earlier words, accepted as they are. */
      /* The files a message names are held, as for documents. */
      {
        g_autoptr(GPtrArray) files = tend_message_dup_attachments (self);

        for (guint i = 0; actor->has_blob != NULL && i < files->len; i++)
          {
            TendAttachment *file = files->pdata[i];
            gboolean held = actor->has_blob (actor, file->sha256, &local);

            if (local != NULL)
              {
                g_propagate_error (error, g_steal_pointer (&local));
                return FALSE;
              }
            if (!held)
              {
                g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                             _("The attachment “%s” has not been uploaded: send the file first"), file->name);
                return FALSE;
              }
          }
      }
      return TRUE;
    }

  old = TEND_MESSAGE (stored);
  if (old->from_client != self->from_client)
    return tend_policy_deny (error, _("A message’s conversation, author and time never change."));
  for (guint i = 0; fixed[i] != NULL; i++)
    if (!same_string (stored, record, fixed[i]))
      return tend_policy_deny (error, _("A message’s conversation, author and time never change."));
  if (!json_members_equal (stored, record, "attachments"))
    return tend_policy_deny (error, _("A sent message’s attachments cannot change."));
  if (g_strcmp0 (old->author_id, actor->staff_id) != 0)
    return tend_policy_deny (error, _("Only its author can edit or withdraw a message."));
  if (old->withdrawn_at != NULL)
    return tend_policy_deny (error, _("This message was withdrawn and can no longer change."));
  if (!tend_message_may_change (old, now))
    return tend_policy_deny (error, _("A message can be edited or withdrawn only in the first 15 minutes."));
  if (g_strcmp0 (old->text, self->text) != 0)
    {
      if (self->edited_at == NULL || !history_kept (old, self))
        return tend_policy_deny (error, _("An edit keeps the earlier text in the message’s history."));
    }
  else if (!json_members_equal (stored, record, "history") || g_strcmp0 (old->edited_at, self->edited_at) != 0)
    return tend_policy_deny (error, _("A message’s history cannot change."));
  return TRUE;
}

/* Messages and read markers go to their conversation's members. */
static gboolean
members_audience (TendPolicyActor *actor,
                  const char      *conversation_id,
                  GPtrArray       *staff_ids,
                  GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(TendConversation) conversation = load_conversation (actor, conversation_id, &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (conversation == NULL)
    return TRUE;  /* nobody: the rule refused the write already */
  return conversation_audience (actor, TEND_RECORD (conversation), staff_ids, error);
}

static gboolean
message_audience (TendPolicyActor *actor,
                  TendRecord      *record,
                  GPtrArray       *staff_ids,
                  GError         **error)
{
  return members_audience (actor, TEND_MESSAGE (record)->conversation_id, staff_ids, error);
}

static gboolean
message_client_owns (TendPolicyActor *actor,
                     TendRecord      *record,
                     GError         **error)
{
  g_autoptr(TendConversation) conversation = load_conversation (actor, TEND_MESSAGE (record)->conversation_id, error);

  return conversation != NULL && conversation_client_owns (actor, TEND_RECORD (conversation), error);
}

/* A client sends a new message in their own name (from_client, no author
 * on the staff), now, without files; it is never edited afterwards. */
static gboolean
message_client_check (TendPolicyActor *actor,
                      TendRecord      *stored,
                      TendRecord      *record,
                      GError         **error)
{
  TendMessage *self = TEND_MESSAGE (record);
  gint64 now = g_get_real_time (), sent = usec_of (self->sent_at);

  if (stored != NULL)
    return tend_policy_deny (error, _("A message that was sent cannot be changed."));
  if (!self->from_client || self->author_id != NULL || self->history != NULL || self->attachments != NULL ||
      self->edited_at != NULL || self->withdrawn_at != NULL)
    return tend_policy_deny (error, _("A client sends messages in their own name, without files."));
  if (sent > now + TEND_MESSAGE_CLOCK_SKEW_USEC || sent < now - TEND_MESSAGE_CLOCK_SKEW_USEC)
    return tend_policy_deny (error, _("Sent: the time must be now."));
  return TRUE;
}

static const char * const message_client_keep[] = {
  "conversation_id", "from_client", "text", "sent_at", "edited_at", "withdrawn_at", NULL
};

static const TendClientAccess message_client_access = {
  .owns = message_client_owns,
  .keep = message_client_keep,
  .check = message_client_check,
};

static const TendRecordPolicy message_policy = {
  .read = TEND_PERMISSION_MESSAGE,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MESSAGE,
  .write_also = TEND_PERMISSION_NONE,
  .check = message_check,
  .audience = message_audience,
  .client = &message_client_access,
};

static void
tend_message_class_init (TendMessageClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  record_class->validate = tend_message_validate;
  tend_record_class_set_fields (record_class, "message", message_fields, G_N_ELEMENTS (message_fields));
  tend_record_class_set_policy (record_class, &message_policy);
}

static void
tend_message_init (TendMessage *self)
{
}

TendMessage *
tend_message_new (const char *conversation_id,
                  const char *author_id,
                  const char *text)
{
  TendMessage *self = TEND_MESSAGE (tend_record_new (TEND_TYPE_MESSAGE));
  g_autofree char *now = now_text ();

  tend_record_set_string (TEND_RECORD (self), "conversation_id", conversation_id);
  tend_record_set_string (TEND_RECORD (self), "author_id", author_id);
  tend_record_set_string (TEND_RECORD (self), "text", text);
  tend_record_set_string (TEND_RECORD (self), "sent_at", now);
  return self;
}

const char *
tend_message_get_conversation_id (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), NULL);
  return self->conversation_id;
}

const char *
tend_message_get_author_id (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), NULL);
  return self->author_id;
}

const char *
tend_message_get_text (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), NULL);
  return self->text;
}

const char *
tend_message_get_sent_at (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), NULL);
  return self->sent_at;
}

gboolean
tend_message_is_from_client (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), FALSE);
  return self->from_client;
}

gboolean
tend_message_is_withdrawn (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), FALSE);
  return self->withdrawn_at != NULL;
}

gboolean
tend_message_is_edited (TendMessage *self)
{
  g_return_val_if_fail (TEND_IS_MESSAGE (self), FALSE);
  return self->edited_at != NULL;
}

/* Whether, at @now_usec, the author may still edit or withdraw it. */
gboolean
tend_message_may_change (TendMessage *self,
                         gint64       now_usec)
{
  gint64 sent;

  g_return_val_if_fail (TEND_IS_MESSAGE (self), FALSE);
  sent = usec_of (self->sent_at);
  return self->withdrawn_at == NULL && sent != G_MININT64 && now_usec - sent <= TEND_MESSAGE_EDIT_WINDOW_USEC;
}

/**
 * tend_message_edit:
 *
 * Replaces the text, keeping the earlier one in the history with the time
 * it was replaced.
 */
gboolean
tend_message_edit (TendMessage *self,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *now = now_text ();

  g_return_val_if_fail (TEND_IS_MESSAGE (self), FALSE);
  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Message: write something, or withdraw it"));
      return FALSE;
    }
  if (g_strcmp0 (text, self->text) == 0)
    return TRUE;
  history = tend_record_dup_json (TEND_RECORD (self), "history");
  json_builder_begin_array (b);
  for (guint i = 0; history != NULL && JSON_NODE_HOLDS_ARRAY (history) &&
                    i < json_array_get_length (json_node_get_array (history)); i++)
    json_builder_add_value (b, json_node_copy (json_array_get_element (json_node_get_array (history), i)));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, self->text);
  json_builder_set_member_name (b, "until");
  json_builder_add_string_value (b, now);
  json_builder_end_object (b);
  json_builder_end_array (b);
  {
    g_autoptr(JsonNode) root = json_builder_get_root (b);

    tend_record_set_json (TEND_RECORD (self), "history", root);
  }
  tend_record_set_string (TEND_RECORD (self), "text", text);
  tend_record_set_string (TEND_RECORD (self), "edited_at", now);
  return TRUE;
}

void
tend_message_withdraw (TendMessage *self)
{
  g_autofree char *now = now_text ();

  g_return_if_fail (TEND_IS_MESSAGE (self));
  tend_record_set_string (TEND_RECORD (self), "withdrawn_at", now);
}

void
tend_attachment_free (TendAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->sha256);
  g_free (attachment->name);
  g_free (attachment->mime_type);
  g_free (attachment);
}

/**
 * tend_message_dup_attachments:
 *
 * Returns: (transfer full) (element-type TendAttachment): the files, in order
 */
GPtrArray *
tend_message_dup_attachments (TendMessage *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_attachment_free);
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;

  g_return_val_if_fail (TEND_IS_MESSAGE (self), out);
  node = tend_record_dup_json (TEND_RECORD (self), "attachments");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return out;
  items = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      JsonObject *obj;
      TendAttachment *a;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      obj = json_node_get_object (item);
      a = g_new0 (TendAttachment, 1);
      a->sha256 = g_strdup (json_object_get_string_member_with_default (obj, "sha256", ""));
      a->name = g_strdup (json_object_get_string_member_with_default (obj, "name", ""));
      a->mime_type = g_strdup (json_object_get_string_member_with_default (obj, "mime_type", ""));
      a->size = json_object_get_int_member_with_default (obj, "size", 0);
      g_ptr_array_add (out, a);
    }
  return out;
}

gboolean
tend_message_add_attachment (TendMessage *self,
                             const char  *sha256,
                             const char  *name,
                             const char  *mime_type,
                             gint64       size,
                             GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (TEND_IS_MESSAGE (self), FALSE);
  if (!tend_document_mime_type_is_supported (mime_type))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("Attachments: %s files cannot be attached (PDF, PNG and JPEG can)"), mime_type);
      return FALSE;
    }
  node = tend_record_dup_json (TEND_RECORD (self), "attachments");
  json_builder_begin_array (b);
  for (guint i = 0; node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
                    i < json_array_get_length (json_node_get_array (node)); i++)
    json_builder_add_value (b, json_node_copy (json_array_get_element (json_node_get_array (node), i)));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sha256");
  json_builder_add_string_value (b, sha256);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "mime_type");
  json_builder_add_string_value (b, mime_type);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, size);
  json_builder_end_object (b);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  tend_record_set_json (TEND_RECORD (self), "attachments", root);
  return tend_record_validate_field (TEND_RECORD (self), "attachments", error) &&
         tend_message_validate (TEND_RECORD (self), error);
}

/* Read marker: how far one member has read one conversation.  Its id is
 * derived from the two, so each member has one per conversation on every
 * computer. */

struct _TendReadMarker
{
  TendRecord parent_instance;

  char *conversation_id;
  char *staff_id;
  char *read_upto;
  char *read_at;
};

G_DEFINE_FINAL_TYPE (TendReadMarker, tend_read_marker, TEND_TYPE_RECORD)

static const TendField read_marker_fields[] = {
  { "conversation_id", N_("Conversation"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReadMarker, conversation_id), 0, NULL, 0, 0 },
  { "staff_id", N_("Reader"), TEND_FIELD_UUID, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReadMarker, staff_id), 0, NULL, 0, 0 },
  { "read_upto", N_("Read up to"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReadMarker, read_upto), 40, NULL, 0, 0 },
  { "read_at", N_("Read at"), TEND_FIELD_DATETIME, TEND_FIELD_REQUIRED, G_STRUCT_OFFSET (TendReadMarker, read_at), 40, NULL, 0, 0 },
};

char *
tend_read_marker_id_for (const char *conversation_id,
                         const char *staff_id)
{
  return tend_record_derive_id ("tend-read-marker", conversation_id, staff_id);
}

static gboolean
read_marker_check (TendPolicyActor *actor,
                   gboolean         extra_writer,
                   TendRecord      *stored,
                   TendRecord      *record,
                   GError         **error)
{
  TendReadMarker *self;
  g_autoptr(TendConversation) conversation = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *id = NULL;

  if (record == NULL)
    return tend_policy_deny (error, _("Read receipts cannot be deleted."));
  self = TEND_READ_MARKER (record);
  id = tend_read_marker_id_for (self->conversation_id, self->staff_id);
  if (g_strcmp0 (id, tend_record_get_id (record)) != 0)
    return tend_policy_deny (error, _("A read receipt’s id is made from its conversation and reader."));
  if (actor->staff_id != NULL && g_strcmp0 (self->staff_id, actor->staff_id) != 0)
    return tend_policy_deny (error, _("Only the reader marks what they have read."));
  conversation = load_conversation (actor, self->conversation_id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return check_member (actor, conversation, error);
}

static gboolean
read_marker_audience (TendPolicyActor *actor,
                      TendRecord      *record,
                      GPtrArray       *staff_ids,
                      GError         **error)
{
  return members_audience (actor, TEND_READ_MARKER (record)->conversation_id, staff_ids, error);
}

static const TendRecordPolicy read_marker_policy = {
  .read = TEND_PERMISSION_MESSAGE,
  .read_redacted = TEND_PERMISSION_NONE,
  .write = TEND_PERMISSION_MESSAGE,
  .write_also = TEND_PERMISSION_NONE,
  .check = read_marker_check,
  .audience = read_marker_audience,
};

static void
tend_read_marker_class_init (TendReadMarkerClass *klass)
{
  TendRecordClass *record_class = TEND_RECORD_CLASS (klass);

  tend_record_class_set_fields (record_class, "read_marker", read_marker_fields, G_N_ELEMENTS (read_marker_fields));
  tend_record_class_set_policy (record_class, &read_marker_policy);
}

static void
tend_read_marker_init (TendReadMarker *self)
{
}

TendReadMarker *
tend_read_marker_new (const char *conversation_id,
                      const char *staff_id)
{
  TendReadMarker *self = TEND_READ_MARKER (tend_record_new (TEND_TYPE_READ_MARKER));
  g_autofree char *id = tend_read_marker_id_for (conversation_id, staff_id);

  tend_record_set_id (TEND_RECORD (self), id);
  tend_record_set_string (TEND_RECORD (self), "conversation_id", conversation_id);
  tend_record_set_string (TEND_RECORD (self), "staff_id", staff_id);
  return self;
}
