/* test-messages.c: secure messaging between app stores through a real
 * tend-server on a throwaway PostgreSQL cluster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <libpq-fe.h>

#include "server-test-util.h"
#include "store-test-util.h"
#include "sync-test-peer.h"
#include "tend-messages.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static char *practice_id;

/* A store signed in as @email, its person at the keyboard (as the app
 * sets it after the first sync brings their staff record). */
static Peer *
peer_new (const char *email)
{
  return peer_open_as_self (server->base, email, PASSWORD);
}

static const char *
me (Peer *p)
{
  return tend_sync_engine_get_staff_id (p->engine);
}

static gint64
local_count (Peer       *p,
             const char *sql)
{
  return store_test_query_int (&p->f, sql);
}

static gint64
server_count (const char *sql)
{
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static TendConversation *
start (Peer               *p,
       const char * const *others,
       const char         *subject,
       gboolean            clinical)
{
  g_autoptr(GError) error = NULL;
  TendConversation *c = tend_messages_start (p->store, others, subject, NULL, clinical, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static TendMessage *
send (Peer       *p,
      TendConversation *c,
      const char *text)
{
  g_autoptr(GError) error = NULL;
  TendMessage *m = tend_messages_send (p->store, tend_record_get_id (TEND_RECORD (c)), text, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

/* The texts of a conversation's messages, in the order the store lists them. */
static char *
texts (Peer       *p,
       const char *conversation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rids = tend_messages_list_rids (p->store, conversation_id, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rids->len; i++)
    {
      g_autoptr(TendMessage) m = tend_messages_load (p->store, g_array_index (rids, gint64, i), &error);

      g_assert_no_error (error);
      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", tend_message_get_text (m));
    }
  return g_string_free (out, FALSE);
}

static guint
unread_in (Peer       *p,
           const char *conversation_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = tend_messages_list_conversations (p->store, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      TendConversationSummary *s = list->pdata[i];

      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (s->conversation)), conversation_id) == 0)
        return s->unread;
    }
  g_error ("conversation %s not listed", conversation_id);
}

/* A raw push of one operation as @p; its result object. */
static JsonNode *
push_as (Peer       *p,
         const char *type,
         const char *id,
         gint64      base_version,
         const char *body)
{
  g_autoptr(SoupSession) session = test_session_new ();
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op_id, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push",
                                            tend_sync_engine_get_token (p->engine), payload);

  g_assert_cmpuint (r->status, ==, 200);
  return json_node_ref (test_json_get (r->json, "results.0"));
}

static void
assert_refused (JsonNode   *result,
                const char *code)
{
  g_autofree char *text = json_to_string (result, FALSE);

  g_test_message ("%s", text);
  g_assert_cmpstr (test_json_string (result, "status"), ==, "rejected");
  g_assert_cmpstr (test_json_string (result, "error.code"), ==, code);
}

/* Send, receive, unread counts and read receipts between two stores. */
static void
test_send_receive (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  const char *others[] = { NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(TendMessage) m1 = NULL;
  g_autoptr(TendMessage) m2 = NULL;
  g_autoptr(GPtrArray) markers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  const char *cid;

  others[0] = me (clinician);
  c = start (owner, others, "Coverage next week", FALSE);
  cid = tend_record_get_id (TEND_RECORD (c));
  m1 = send (owner, c, "Can you cover my Tuesday group?");
  m2 = send (owner, c, "It runs 10:00–11:30.\nRoom B.");
  sync_ok (owner);
  sync_ok (clinician);

  got = texts (clinician, cid);
  g_assert_cmpstr (got, ==, "Can you cover my Tuesday group?|It runs 10:00–11:30.\nRoom B.");
  g_assert_cmpuint (unread_in (clinician, cid), ==, 2);
  g_assert_cmpint (tend_messages_count_unread (clinician->store, NULL), ==, 2);
  /* One's own messages are never unread. */
  g_assert_cmpuint (unread_in (owner, cid), ==, 0);

  g_assert_true (tend_messages_mark_read (clinician->store, cid, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (unread_in (clinician, cid), ==, 0);
  {
    g_autoptr(TendMessage) reply = send (clinician, c, "Yes, glad to.");
  }
  sync_ok (clinician);
  sync_ok (owner);
  g_assert_cmpuint (unread_in (owner, cid), ==, 1);
  markers = tend_messages_list_read_markers (owner->store, cid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (markers->len, ==, 1);
  g_assert_cmpstr (tend_record_get_string (markers->pdata[0], "staff_id"), ==, me (clinician));
  g_assert_cmpstr (tend_record_get_string (markers->pdata[0], "read_upto"), ==, tend_message_get_sent_at (m2));

  /* Marking read again writes nothing. */
  g_assert_true (tend_messages_mark_read (clinician->store, cid, &error));
  sync_ok (clinician);
  g_assert_true (tend_messages_mark_read (clinician->store, cid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (local_count (clinician, "SELECT count(*) FROM outbox WHERE record_type = 'read_marker'"), ==, 0);
}

/* A staff member who is not in a conversation neither receives it nor can
 * post to it, read it through a conflict, or fetch its files. */
static void
test_membership (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  const char *others[] = { NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sql = NULL;
  const char *cid;

  others[0] = me (clinician);
  c = start (owner, others, "Private", FALSE);
  cid = tend_record_get_id (TEND_RECORD (c));
  m = send (owner, c, "Only for the two of us");
  sync_ok (owner);
  sync_ok (desk);
  sql = g_strdup_printf ("SELECT count(*) FROM conversation WHERE id = '%s'", cid);
  g_assert_cmpint (local_count (desk, sql), ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM message WHERE conversation_id = '%s'", cid);
  g_assert_cmpint (local_count (desk, sql), ==, 0);

  /* The desk's own store refuses a post to a conversation it does not hold. */
  g_assert_null (tend_messages_send (desk->store, cid, "Let me in", NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The server refuses it too, from the authenticated person. */
  body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Let me in\","
                          "\"sent_at\":\"2026-12-07T08:00:00Z\"}", cid, me (desk));
  r = push_as (desk, "message", g_uuid_string_random (), 0, body);
  assert_refused (r, "forbidden");
  g_clear_pointer (&r, json_node_unref);
  g_free (body);

  /* Posing as a member does not help: the author is the signed-in person. */
  body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Let me in\","
                          "\"sent_at\":\"2026-12-07T08:00:00Z\"}", cid, me (owner));
  r = push_as (desk, "message", g_uuid_string_random (), 0, body);
  assert_refused (r, "forbidden");
  g_clear_pointer (&r, json_node_unref);
  g_free (body);

  /* Adding oneself to the members is refused; the conflict answer for a
   * wrong version carries no copy. */
  body = g_strdup_printf ("{\"members\":[\"%s\",\"%s\",\"%s\"],\"created_by\":\"%s\","
                          "\"created_at\":\"2026-12-07T08:00:00Z\"}", me (owner), me (clinician), me (desk), me (owner));
  r = push_as (desk, "conversation", cid, 0, body);
  g_assert_cmpstr (test_json_string (r, "status"), ==, "conflict");
  g_assert_null (json_object_get_member (json_node_get_object (r), "record"));
  g_clear_pointer (&r, json_node_unref);
  r = push_as (desk, "conversation", cid, 1, body);
  assert_refused (r, "forbidden");
  g_clear_pointer (&r, json_node_unref);

  /* A member's edit of another's message is refused. */
  {
    g_autoptr(TendMessage) forged = TEND_MESSAGE (tend_record_copy (TEND_RECORD (m)));
    g_autofree char *text = NULL;

    g_assert_true (tend_message_edit (forged, "Changed by someone else", NULL));
    text = tend_record_to_body_string (TEND_RECORD (forged));
    r = push_as (clinician, "message", tend_record_get_id (TEND_RECORD (m)), 1, text);
    assert_refused (r, "forbidden");
  }

  /* A record of the conversation names its audience on the server. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM record WHERE type IN ('conversation', 'message')"
                         " AND body::jsonb ->> 'conversation_id' = '%s' OR id = '%s'", cid, cid);
  g_assert_cmpint (server_count (sql), ==, 2);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM record WHERE id = '%s' AND cardinality (audience) = 2", cid);
  g_assert_cmpint (server_count (sql), ==, 1);
}

/* Another practice's owner receives nothing of the conversation and cannot
 * post to it. */
static void
test_other_practice (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) other = NULL;
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(TendMessage) m = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *message_id = g_uuid_string_random ();
  const char *others[] = { NULL, NULL };

  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Hillside Therapy",
                         "--time-zone", "America/Denver", "--owner-email", "owner@hillside.example",
                         "--owner-name", "Hana Hill", NULL);
  other = peer_new ("owner@hillside.example");
  others[0] = me (clinician);
  c = start (owner, others, "Riverbend only", FALSE);
  m = send (owner, c, "Nothing for Hillside");
  sync_ok (owner);
  sync_ok (other);
  g_assert_cmpint (local_count (other, "SELECT count(*) FROM conversation"), ==, 0);
  g_assert_cmpint (local_count (other, "SELECT count(*) FROM message"), ==, 0);

  body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Hello\","
                          "\"sent_at\":\"2026-12-07T08:00:00Z\"}", tend_record_get_id (TEND_RECORD (c)), me (other));
  r = push_as (other, "message", message_id, 0, body);
  assert_refused (r, "forbidden");
  sql = g_strdup_printf ("SELECT count(*) FROM record WHERE id = '%s'", message_id);
  g_assert_cmpint (server_count (sql), ==, 0);
}

/* A clinical conversation never includes the front desk or a biller, in
 * the store or at the server. */
static void
test_clinical (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  g_autoptr(Peer) biller = peer_new ("biller@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  const char *others[] = { NULL, NULL };
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  sync_ok (owner);
  others[0] = me (desk);
  g_assert_null (tend_messages_start (owner->store, others, "About a client", NULL, TRUE, FALSE, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  /* The same conversation, not clinical, is fine. */
  {
    g_autoptr(TendConversation) ok = start (owner, others, "Running late", FALSE);
  }

  body = g_strdup_printf ("{\"members\":[\"%s\",\"%s\"],\"created_by\":\"%s\",\"clinical\":true,"
                          "\"created_at\":\"2026-12-07T08:00:00Z\"}", me (owner), me (biller), me (owner));
  r = push_as (owner, "conversation", g_uuid_string_random (), 0, body);
  assert_refused (r, "forbidden");
  g_clear_pointer (&r, json_node_unref);

  /* A clinical conversation among clinicians reaches only them. */
  others[0] = me (clinician);
  {
    g_autoptr(TendConversation) c = start (owner, others, "Risk review", TRUE);
    g_autoptr(TendMessage) m = send (owner, c, "Safety plan updated today");
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM message WHERE conversation_id = '%s'",
                                            tend_record_get_id (TEND_RECORD (c)));

    sync_ok (owner);
    sync_ok (desk);
    sync_ok (biller);
    sync_ok (clinician);
    g_assert_cmpint (local_count (desk, sql), ==, 0);
    g_assert_cmpint (local_count (biller, sql), ==, 0);
    g_assert_cmpint (local_count (clinician, sql), ==, 1);
  }
}

/* A member adds a colleague: the change is to the conversation record,
 * checked by the store and the server from the authenticated person; the
 * person added receives the whole conversation (earlier messages and read
 * markers included) on their next pull and can post; a non-member's forged
 * addition, an addition in someone else's name, a removal and the front
 * desk in a clinical conversation are refused. */
static void
test_add_people (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) second = peer_new ("second@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  const char *others[] = { NULL, NULL };
  const char *add[] = { NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(TendConversation) grown = NULL;
  g_autoptr(TendRecord) stored = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) thread = NULL;
  g_autoptr(GPtrArray) additions = NULL;
  g_autofree char *before = NULL;
  g_autofree char *got = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *body = NULL;
  g_autofree char *marker_sql = NULL;
  const char *cid;

  others[0] = me (clinician);
  c = start (owner, others, "Case consult", TRUE);
  cid = tend_record_get_id (TEND_RECORD (c));
  {
    g_autoptr(TendMessage) m1 = send (owner, c, "Can we review the plan?");
    g_autoptr(TendMessage) m2 = NULL;

    sync_ok (owner);
    sync_ok (clinician);
    m2 = send (clinician, c, "Yes, Thursday.");
    g_assert_true (tend_messages_mark_read (clinician->store, cid, &error));
    g_assert_no_error (error);
    sync_ok (clinician);
    sync_ok (owner);
  }
  sync_ok (second);
  sync_ok (desk);
  sql = g_strdup_printf ("SELECT count(*) FROM message WHERE conversation_id = '%s'", cid);
  g_assert_cmpint (local_count (second, sql), ==, 0);
  before = texts (owner, cid);
  g_assert_cmpstr (before, ==, "Can we review the plan?|Yes, Thursday.");

  /* Not a member: the desk cannot add itself (or anyone), whatever the
   * body says. */
  stored = tend_store_load (owner->store, TEND_TYPE_CONVERSATION, cid, &error);
  g_assert_no_error (error);
  {
    g_autoptr(TendConversation) forged = TEND_CONVERSATION (tend_record_copy (stored));
    g_autofree char *text = NULL;

    add[0] = me (desk);
    g_assert_cmpint (tend_conversation_add_members (forged, me (desk), add, &error), ==, 1);
    text = tend_record_to_body_string (TEND_RECORD (forged));
    r = push_as (desk, "conversation", cid, tend_record_get_version (stored), text);
    assert_refused (r, "forbidden");
    g_clear_pointer (&r, json_node_unref);

    /* A member adding the front desk to a clinical conversation: refused
     * by the owner's own store, and by the server. */
    g_assert_null (tend_messages_add_members (owner->store, cid, add, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    g_clear_object (&forged);
    forged = TEND_CONVERSATION (tend_record_copy (stored));
    g_assert_cmpint (tend_conversation_add_members (forged, me (owner), add, &error), ==, 1);
    g_free (text);
    text = tend_record_to_body_string (TEND_RECORD (forged));
    r = push_as (owner, "conversation", cid, tend_record_get_version (stored), text);
    assert_refused (r, "forbidden");
    g_clear_pointer (&r, json_node_unref);

    /* In someone else's name: refused. */
    add[0] = me (second);
    g_clear_object (&forged);
    forged = TEND_CONVERSATION (tend_record_copy (stored));
    g_assert_cmpint (tend_conversation_add_members (forged, me (clinician), add, &error), ==, 1);
    g_free (text);
    text = tend_record_to_body_string (TEND_RECORD (forged));
    r = push_as (owner, "conversation", cid, tend_record_get_version (stored), text);
    assert_refused (r, "forbidden");
    g_clear_pointer (&r, json_node_unref);
  }
  /* Nobody is removed. */
  body = g_strdup_printf ("{\"members\":[\"%s\"],\"created_by\":\"%s\",\"clinical\":true,\"subject\":\"Case consult\","
                          "\"created_at\":\"%s\"}", me (owner), me (owner),
                          tend_record_get_string (stored, "created_at"));
  r = push_as (owner, "conversation", cid, tend_record_get_version (stored), body);
  assert_refused (r, "forbidden");
  g_clear_pointer (&r, json_node_unref);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM record WHERE id = '%s' AND cardinality (audience) = 2 AND version = 1", cid);
  g_assert_cmpint (server_count (sql), ==, 1);

  /* The owner adds the second clinician. */
  add[0] = me (second);
  grown = tend_messages_add_members (owner->store, cid, add, &error);
  g_assert_no_error (error);
  g_assert_true (tend_conversation_has_member (grown, me (second)));
  /* Adding someone already in it adds nothing. */
  g_assert_null (tend_messages_add_members (owner->store, cid, add, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  sync_ok (owner);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM record WHERE (id = '%s' OR body::jsonb ->> 'conversation_id' = '%s')"
                         " AND '%s' = ANY (audience)", cid, cid, me (second));
  /* The conversation, two messages and the clinician's read marker. */
  g_assert_cmpint (server_count (sql), ==, 4);

  /* On their next pull, the whole conversation, earlier messages included. */
  sync_ok (second);
  got = texts (second, cid);
  g_assert_cmpstr (got, ==, before);
  marker_sql = g_strdup_printf ("SELECT count(*) FROM read_marker WHERE conversation_id = '%s'", cid);
  g_assert_cmpint (local_count (second, marker_sql), ==, 1);
  g_assert_cmpuint (unread_in (second, cid), ==, 2);
  /* The thread shows who added whom, after the earlier messages. */
  thread = tend_messages_list_thread (second->store, cid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (thread->len, ==, 3);
  g_assert_cmpint (g_array_index (thread, gint64, 2), ==, -1);
  {
    g_autoptr(TendRecord) seen = tend_store_load (second->store, TEND_TYPE_CONVERSATION, cid, &error);

    g_assert_no_error (error);
    additions = tend_conversation_dup_additions (TEND_CONVERSATION (seen));
    g_assert_cmpuint (additions->len, ==, 1);
    g_assert_cmpstr (((TendConversationAddition *) additions->pdata[0])->by, ==, me (owner));
    g_assert_cmpstr (((TendConversationAddition *) additions->pdata[0])->members[0], ==, me (second));
  }

  /* The new member posts; the others receive it; nobody got duplicates. */
  {
    g_autoptr(TendMessage) hello = send (second, c, "Happy to join.");
    g_autofree char *after = g_strconcat (before, "|Happy to join.", NULL);
    g_autofree char *at_owner = NULL;
    g_autofree char *at_clinician = NULL;

    sync_ok (second);
    sync_ok (owner);
    sync_ok (clinician);
    at_owner = texts (owner, cid);
    at_clinician = texts (clinician, cid);
    g_assert_cmpstr (at_owner, ==, after);
    g_assert_cmpstr (at_clinician, ==, after);
    g_assert_cmpint (local_count (clinician, "SELECT count(*) FROM sync_conflict"), ==, 0);
    g_assert_cmpint (local_count (clinician, marker_sql), ==, 1);
  }

  /* The desk, never added, still holds nothing of it. */
  sync_ok (desk);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM message WHERE conversation_id = '%s'", cid);
  g_assert_cmpint (local_count (desk, sql), ==, 0);
}

/* A client signed in to the portal: a session with a cookie jar, and the
 * CSRF token the page sends. */
typedef struct
{
  SoupSession *session;
  char        *csrf;
} PortalClient;

static void
portal_client_free (PortalClient *c)
{
  g_clear_object (&c->session);
  g_free (c->csrf);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PortalClient, portal_client_free)

static JsonNode *
portal_call (PortalClient *c,
             const char   *method,
             const char   *path,
             const char   *body,
             guint        *status)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (c->csrf != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-CSRF-Token", c->csrf);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (c->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return json_from_string (g_bytes_get_data (reply, NULL), NULL);
}

/* Invites @client_id to the portal as @owner and signs in with a code put
 * in the database as the server hashes it (the mail is another suite's). */
static PortalClient *
portal_sign_in (Peer       *owner,
                const char *client_id,
                const char *email)
{
  g_autoptr(SoupSession) staff = test_session_new ();
  g_autofree char *invitation = g_strdup_printf ("{\"client_id\":\"%s\",\"email\":\"%s\"}", client_id, email);
  g_autoptr(TestResponse) r = test_request (staff, server, "POST", "/v1/portal-invitations",
                                            tend_sync_engine_get_token (owner->engine), invitation);
  g_autofree char *sql = NULL;
  g_autofree char *verify = NULL;
  g_autoptr(JsonNode) session = NULL;
  PortalClient *c = g_new0 (PortalClient, 1);
  guint status;

  g_assert_cmpuint (r->status, ==, 200);
  sql = g_strdup_printf ("INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                         " VALUES ('%s', 'code', sha256 (convert_to ('%s:424242', 'UTF8')), now () + interval '10 minutes')",
                         test_json_string (r->json, "account_id"), test_json_string (r->json, "account_id"));
  PQclear (test_pg_exec (pg, sql));
  c->session = test_session_new ();
  soup_session_add_feature (c->session, SOUP_SESSION_FEATURE (soup_cookie_jar_new ()));
  verify = g_strdup_printf ("{\"email\":\"%s\",\"code\":\"424242\"}", email);
  session = portal_call (c, "POST", "/v1/portal/signin/verify", verify, &status);
  g_assert_cmpuint (status, ==, 200);
  c->csrf = g_strdup (test_json_string (session, "csrf"));
  return c;
}

/* A client starts a conversation in the portal: it reaches their
 * clinician's Tend (listed, its first message from the client, unread),
 * and nobody else's; the clinician answers and the client reads it. */
static void
test_client_starts (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  g_autoptr(PortalClient) client = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) thread = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autofree char *got = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  TendConversation *found = NULL;
  const char *cid;
  guint status;

  body = g_strdup_printf ("{\"legal_given\":\"Pia\",\"legal_family\":\"Portal\",\"status\":\"active\","
                          "\"primary_clinician_id\":\"%s\"}", me (clinician));
  {
    g_autoptr(JsonNode) r = push_as (owner, "client", client_id, 0, body);

    g_assert_cmpstr (test_json_string (r, "status"), ==, "applied");
  }
  client = portal_sign_in (owner, client_id, "pia.portal@mail.example");
  started = portal_call (client, "POST", "/v1/portal/conversations",
                         "{\"subject\":\"Moving Thursday\",\"text\":\"Could we meet Friday instead?\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  cid = test_json_string (started, "id");

  sync_ok (clinician);
  list = tend_messages_list_conversations (clinician->store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      TendConversationSummary *s = list->pdata[i];

      if (g_strcmp0 (tend_record_get_id (TEND_RECORD (s->conversation)), cid) == 0)
        {
          found = s->conversation;
          g_assert_cmpuint (s->unread, ==, 1);
          g_assert_null (s->last_author_id);
          g_assert_cmpstr (s->last_text, ==, "Could we meet Friday instead?");
        }
    }
  g_assert_nonnull (found);
  g_assert_true (tend_conversation_is_started_by_client (found));
  g_assert_true (tend_conversation_is_with_client (found));
  g_assert_cmpstr (tend_conversation_get_client_id (found), ==, client_id);
  g_assert_cmpstr (tend_conversation_get_subject (found), ==, "Moving Thursday");
  got = texts (clinician, cid);
  g_assert_cmpstr (got, ==, "Could we meet Friday instead?");

  /* Only the clinician: the owner and the desk hold nothing of it. */
  sync_ok (owner);
  sync_ok (desk);
  sql = g_strdup_printf ("SELECT count(*) FROM conversation WHERE id = '%s'", cid);
  g_assert_cmpint (local_count (owner, sql), ==, 0);
  g_assert_cmpint (local_count (desk, sql), ==, 0);

  /* The clinician answers from Tend; the client reads it. */
  {
    g_autoptr(TendMessage) answer = NULL;

    answer = tend_messages_send (clinician->store, cid, "Friday at 3 works.", NULL, &error);
    g_assert_no_error (error);
    sync_ok (clinician);
  }
  path = g_strdup_printf ("/v1/portal/conversations/%s/messages", cid);
  thread = portal_call (client, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (test_json_string (thread, "messages.1.text"), ==, "Friday at 3 works.");
}

/* Written offline, sent when the connection returns: once each, in order,
 * even when pushed again; three stores posting at once agree on one order. */
static void
test_offline_and_order (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  const char *others[] = { NULL, NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *d = NULL;
  g_autofree char *sql = NULL;
  const char *cid;
  Peer *peers[3];

  others[0] = me (clinician);
  others[1] = me (desk);
  c = start (owner, others, "Front desk hours", FALSE);
  cid = tend_record_get_id (TEND_RECORD (c));
  sync_ok (owner);
  sync_ok (clinician);
  sync_ok (desk);

  peers[0] = owner;
  peers[1] = clinician;
  peers[2] = desk;
  /* Each writes five while offline. */
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 3; j++)
      {
        g_autofree char *text = g_strdup_printf ("p%d-%d", j, i);
        g_autoptr(TendMessage) m = send (peers[j], c, text);
      }
  g_assert_cmpint (local_count (owner, "SELECT count(*) FROM outbox WHERE record_type = 'message'"), ==, 5);
  for (int round = 0; round < 2; round++)
    for (int j = 0; j < 3; j++)
      sync_ok (peers[j]);

  sql = g_strdup_printf ("SELECT count(*) FROM record WHERE type = 'message' AND body::jsonb ->> 'conversation_id' = '%s'", cid);
  g_assert_cmpint (server_count (sql), ==, 15);
  g_assert_cmpint (local_count (owner, "SELECT count(*) FROM outbox"), ==, 0);

  a = texts (owner, cid);
  b = texts (clinician, cid);
  d = texts (desk, cid);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, d);
  /* Each person's messages keep the order they were written in. */
  for (int j = 0; j < 3; j++)
    {
      const char *at = a;

      for (int i = 0; i < 5; i++)
        {
          g_autofree char *text = g_strdup_printf ("p%d-%d", j, i);
          const char *found = strstr (at, text);

          g_assert_nonnull (found);
          at = found + strlen (text);
        }
    }
}

/* A message sent in the last half millisecond of a second sorts before one
 * sent a tenth of a second later, in every store (SQLite rounds a time to
 * the millisecond before taking its seconds: store migration 15). */
static void
test_order_near_a_second (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  const char *others[] = { NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) minute_ago = g_date_time_add_minutes (now, -1);
  g_autofree char *second = g_date_time_format (minute_ago, "%Y-%m-%dT%H:%M:%S");
  g_autoptr(GDateTime) next = g_date_time_add_seconds (minute_ago, 1);
  g_autofree char *second_after = g_date_time_format (next, "%Y-%m-%dT%H:%M:%S");
  const char *cid;
  struct { const char *text; char *at; } sent[3];

  others[0] = me (clinician);
  c = start (owner, others, "Near a second", FALSE);
  cid = tend_record_get_id (TEND_RECORD (c));
  sent[0].text = "first";
  sent[0].at = g_strconcat (second, ".999700Z", NULL);
  sent[1].text = "second";
  sent[1].at = g_strconcat (second_after, ".100000Z", NULL);
  sent[2].text = "third";
  sent[2].at = g_strconcat (second_after, ".999999Z", NULL);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(TendMessage) m = tend_message_new (cid, me (owner), sent[i].text);
      g_autoptr(GError) error = NULL;

      tend_record_set_string (TEND_RECORD (m), "sent_at", sent[i].at);
      g_assert_true (tend_store_save (owner->store, TEND_RECORD (m), &error));
      g_assert_no_error (error);
      g_free (sent[i].at);
    }
  {
    g_autofree char *here = texts (owner, cid);
    g_autofree char *there = NULL;

    g_assert_cmpstr (here, ==, "first|second|third");
    sync_ok (owner);
    sync_ok (clinician);
    there = texts (clinician, cid);
    g_assert_cmpstr (there, ==, "first|second|third");
    /* Unread: all three, counted by the same times. */
    g_assert_cmpuint (unread_in (clinician, cid), ==, 3);
  }
}

/* Edits keep the earlier text; withdrawn messages stay in the record but
 * are no longer found; search finds words in one's own conversations only. */
static void
test_edit_withdraw_search (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  const char *others[] = { NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(TendMessage) edited = NULL;
  g_autoptr(TendMessage) gone = NULL;
  g_autoptr(TendRecord) seen = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  others[0] = me (clinician);
  c = start (owner, others, NULL, FALSE);
  m = send (owner, c, "The quarterly pelican audit is Friday");
  edited = tend_messages_edit (owner->store, tend_record_get_id (TEND_RECORD (m)),
                               "The quarterly pelican audit is Thursday", &error);
  g_assert_no_error (error);
  sync_ok (owner);
  sync_ok (clinician);
  sync_ok (desk);

  seen = tend_store_load (clinician->store, TEND_TYPE_MESSAGE, tend_record_get_id (TEND_RECORD (m)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_message_get_text (TEND_MESSAGE (seen)), ==, "The quarterly pelican audit is Thursday");
  g_assert_true (tend_message_is_edited (TEND_MESSAGE (seen)));
  history = tend_record_dup_json (seen, "history");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (history), 0), "text"),
                   ==, "The quarterly pelican audit is Friday");

  hits = tend_messages_search (clinician->store, "pelican thurs", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_array_unref);
  hits = tend_messages_search (desk->store, "pelican", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_array_unref);

  /* Only the author withdraws; withdrawn, it is kept but not found. */
  g_assert_null (tend_messages_withdraw (clinician->store, tend_record_get_id (TEND_RECORD (m)), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  gone = tend_messages_withdraw (owner->store, tend_record_get_id (TEND_RECORD (m)), &error);
  g_assert_no_error (error);
  sync_ok (owner);
  sync_ok (clinician);
  g_clear_object (&seen);
  seen = tend_store_load (clinician->store, TEND_TYPE_MESSAGE, tend_record_get_id (TEND_RECORD (m)), &error);
  g_assert_true (tend_message_is_withdrawn (TEND_MESSAGE (seen)));
  hits = tend_messages_search (clinician->store, "pelican", 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);

  /* Deleting a message is refused. */
  {
    g_assert_false (tend_store_delete (owner->store, TEND_RECORD (gone), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  }
}

/* An attachment's bytes travel with the message and reach only members. */
static void
test_attachments (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(Peer) clinician = peer_new ("clinician@riverbend.example");
  g_autoptr(Peer) desk = peer_new ("desk@riverbend.example");
  const char *others[] = { NULL, NULL };
  g_autoptr(TendConversation) c = NULL;
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(TendRecord) seen = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_outgoing_file_free);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  GString *pdf = g_string_new ("%PDF-1.4\n");

  for (int i = 0; i < 5000; i++)
    g_string_append_c (pdf, (char) g_random_int_range (0, 256));
  bytes = g_bytes_new (pdf->str, pdf->len);
  g_string_free (pdf, TRUE);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);

  others[0] = me (clinician);
  c = start (owner, others, "Referral letter", FALSE);
  /* A file whose contents are not what it claims is refused. */
  g_ptr_array_add (files, tend_outgoing_file_new ("letter.png", "image/png", bytes));
  g_assert_null (tend_messages_send (owner->store, tend_record_get_id (TEND_RECORD (c)), "Here", files, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, tend_outgoing_file_new ("letter.pdf", "application/pdf", bytes));
  m = tend_messages_send (owner->store, tend_record_get_id (TEND_RECORD (c)), "The letter, signed", files, &error);
  g_assert_no_error (error);
  sync_ok (owner);
  sync_ok (clinician);

  seen = tend_store_load (clinician->store, TEND_TYPE_MESSAGE, tend_record_get_id (TEND_RECORD (m)), &error);
  g_assert_no_error (error);
  back = tend_messages_read_attachment (clinician->store, TEND_MESSAGE (seen), sha, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, bytes));

  /* The desk cannot fetch the bytes by their hash. */
  {
    g_autoptr(SoupSession) session = test_session_new ();
    g_autofree char *path = g_strdup_printf ("/v1/blobs/%s", sha);
    g_autoptr(TestResponse) r = test_request (session, server, "GET", path,
                                              tend_sync_engine_get_token (desk->engine), NULL);

    g_assert_cmpuint (r->status, ==, 404);
  }
  {
    g_autoptr(SoupSession) session = test_session_new ();
    g_autofree char *path = g_strdup_printf ("/v1/blobs/%s", sha);
    g_autoptr(TestResponse) r = test_request (session, server, "GET", path,
                                              tend_sync_engine_get_token (clinician->engine), NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* What was being typed survives closing the store. */
static void
test_draft (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL;
  const char *cid = "7d1d8f43-5c55-4e0e-9b8e-3f4a2a7c1b11";

  g_assert_true (tend_messages_set_draft (owner->store, cid, "Half a thought", &error));
  g_assert_no_error (error);
  g_clear_object (&owner->engine);
  g_clear_object (&owner->store);
  owner->store = store_test_open (&owner->f);
  draft = tend_messages_get_draft (owner->store, cid);
  g_assert_cmpstr (draft, ==, "Half a thought");
  g_assert_true (tend_messages_set_draft (owner->store, cid, NULL, &error));
  g_clear_pointer (&draft, g_free);
  draft = tend_messages_get_draft (owner->store, cid);
  g_assert_null (draft);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/messages/send-receive", test_send_receive);
  g_test_add_func ("/messages/membership", test_membership);
  g_test_add_func ("/messages/clinical", test_clinical);
  g_test_add_func ("/messages/other-practice", test_other_practice);
  g_test_add_func ("/messages/offline-and-order", test_offline_and_order);
  g_test_add_func ("/messages/order-near-a-second", test_order_near_a_second);
  g_test_add_func ("/messages/add-people", test_add_people);
  g_test_add_func ("/messages/client-starts", test_client_starts);
  g_test_add_func ("/messages/edit-withdraw-search", test_edit_withdraw_search);
  g_test_add_func ("/messages/attachments", test_attachments);
  g_test_add_func ("/messages/draft", test_draft);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", "owner@riverbend.example",
                         "--owner-name", "Olga Owens", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "desk@riverbend.example",
                               "--name", "Dana Desk", "--role", "front_desk", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "biller@riverbend.example",
                               "--name", "Bo Biller", "--role", "biller", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "clinician@riverbend.example",
                               "--name", "Cy Clinician", "--role", "clinician", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "second@riverbend.example",
                               "--name", "Sam Second", "--role", "clinician", NULL));
  server = test_server_start (pg, NULL);
  rc = g_test_run ();
  test_server_stop (server);
  test_pg_stop (pg);
  g_free (practice_id);
  return rc;
}
