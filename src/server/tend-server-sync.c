/* tend-server-sync.c: GET /v1/changes and POST /v1/push
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ordering.  Every writing transaction first locks its practice's row
 * (SELECT ... FOR UPDATE) and takes each change's sequence number with
 * UPDATE practice SET seq = seq + 1 ... RETURNING seq while holding it, so
 * sequence numbers are handed out in commit order: when a reader sees
 * practice.seq = N, every change up to N is committed and visible in the
 * same snapshot.  The feed therefore never skips a change that commits
 * late, and a page that reaches the end can move the cursor to N.
 *
 * Visibility.  The record policy each record class declares in src/core
 * (tend-record-policy.h), the one the store checks, says per type who reads
 * it whole, who reads a redacted copy (a biller a note without its text,
 * the front desk a charge without its diagnoses) and who writes it, with
 * each type's record-level rules.  The feed only ever selects the types the
 * caller's role may read, redacting where the policy says; a type no class
 * declares is sent to nobody and written by nobody.  Writes are checked by
 * the authenticated person (never by identity fields in the body), and a
 * conflict answer carries the server's copy only as the caller may read it.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-live.h"
#include "tend-server-portal.h"
#include "tend-server-private.h"
#include "tend-server-sync.h"

#define DEFAULT_PAGE 500
/* The longest appointment the core accepts bounds the overlap query. */
#define MAX_DURATION_S (24 * 60 * 60)

/* "{a,b}": a text[] parameter.  The names are the record classes' own. */
static char *
pg_text_array (char **items)
{
  g_autofree char *joined = g_strjoinv (",", items);

  return g_strdup_printf ("{%s}", joined);
}

static void
append_change (GString    *out,
               const char *type,
               const char *id,
               const char *version,
               gboolean    deleted,
               const char *body)
{
  /* type is a registered type name, id is a uuid column, body is JSON the
   * server wrote: none needs escaping. */
  g_string_append_printf (out, "{\"type\":\"%s\",\"id\":\"%s\",\"version\":%s,\"deleted\":%s,\"body\":%s}",
                          type, id, version, deleted ? "true" : "false", deleted ? "null" : body);
}

static TendReadAccess
read_access (TendRequest *req,
             const char  *type)
{
  return tend_record_policy_read_access (tend_record_type_from_name (type), req->principal.role);
}

/* Whether the person reads chart content only of the clients whose charts
 * they are on (chart_reach (), server migration 9). */
static gboolean
principal_chart_restricted (const TendPrincipal *principal)
{
  return tend_record_policy_chart_restricted (principal->role) && principal->staff_id != NULL;
}

static gboolean
chart_restricted (TendRequest *req)
{
  return principal_chart_restricted (&req->principal);
}

void
tend_feed_page_clear (TendFeedPage *page)
{
  if (page->changes != NULL)
    g_string_free (page->changes, TRUE);
  memset (page, 0, sizeof *page);
}

/**
 * tend_sync_feed_read:
 * @principal: who reads: their role's types, their conversations, the
 *   charts they reach, their practice
 * @after: the sequence number the page starts after
 * @upto: the last sequence number it may hold, or 0 for no bound
 * @limit: the most changes it holds
 * @max_bytes: it stops at the first change that starts past this many
 *   bytes of bodies (so it holds at least one)
 * @audit_action: the audit row's action ("read-changes", "read-live")
 *
 * The change feed's one read, for GET /v1/changes and for the live
 * channel (tend-server-live.c): every read rule of the feed is here and
 * only here.  Bodies are redacted as the record policy says for the role.
 * @page->found is %FALSE when the practice no longer exists.
 *
 * Returns: %FALSE on a database error
 */
gboolean
tend_sync_feed_read (TendPgConn          *conn,
                     const TendPrincipal *principal,
                     gint64               after,
                     gint64               upto,
                     guint64              limit,
                     gsize                max_bytes,
                     const char          *audit_action,
                     TendFeedPage        *page,
                     GError             **error)
{
  g_autoptr(PGresult) res = NULL;
  g_auto(GStrv) readable = tend_sync_readable_types (principal->role);
  g_autofree char *types = pg_text_array (readable);
  g_autofree char *after_text = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  g_autofree char *upto_text = upto > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, upto) : NULL;
  g_autofree char *limit_text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit + 1);
  g_autofree char *page_text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit);
  g_autofree char *bytes_text = g_strdup_printf ("%" G_GSIZE_FORMAT, max_bytes);
  const char *params[] = { principal->practice_id, after_text, types, limit_text,
                           principal->account_id, page_text, bytes_text, principal->staff_id,
                           principal_chart_restricted (principal) ? "true" : "false",
                           upto_text, audit_action };
  int n_rows;

  memset (page, 0, sizeof *page);
  /* One statement, one snapshot: the practice's counter and the page
   * agree (see the comment at the top).  The read is audited in the
   * same round trip.  The page also stops at the first change that
   * starts past max-page-bytes of bodies (so it always holds at least
   * one); n_window says how many the count limit alone would have
   * taken, so the page knows it stopped early.  Planned for its values
   * each time (an unnamed statement): the prepared statement's generic
   * plan, which cannot know how few changes follow the cursor, took
   * 2.5 ms for a live read of one change, 1.1 ms planned each time
   * (bench-sync, 2026-12-07). */
  res = tend_pg_exec_custom (conn,
                      "WITH reach AS MATERIALIZED (SELECT chart_reach ($1::uuid, $8::uuid) AS client WHERE $9::boolean),"
                      " page AS (SELECT p.seq AS practice_seq, p.horizon, r.type, r.id, r.version,"
                      "                     r.deleted, r.body, r.seq, r.n_window"
                      "   FROM practice p LEFT JOIN LATERAL"
                      "    (SELECT type, id, version, deleted, body, seq, n_window FROM"
                      "      (SELECT *, sum (octet_length (body)) OVER (ORDER BY seq) - octet_length (body) AS before,"
                      "              count (*) OVER () AS n_window"
                      "       FROM (SELECT type, id, version, deleted, body, seq FROM record"
                      "             WHERE practice_id = p.id AND seq > $2::bigint AND type = ANY ($3::text[])"
                      "               AND ($10::bigint IS NULL OR seq <= $10::bigint)"
                      "               AND (audience IS NULL OR $8::uuid = ANY (audience))"
                      "               AND (chart_client IS NULL OR NOT $9::boolean"
                      "                    OR chart_client IN (SELECT client FROM reach))"
                      "             ORDER BY seq LIMIT $4::int) l) w"
                      "     WHERE before < $7::bigint) r ON true"
                      "   WHERE p.id = $1),"
                      " audited AS (INSERT INTO audit (practice_id, account_id, action, detail)"
                      "   SELECT $1, $5, $11::text, 'after=' || $2 || ' n=' || least (count (id), $6::int)"
                      "   FROM page)"
                      " SELECT * FROM page ORDER BY seq NULLS FIRST",
                      11, params, error);
  if (res == NULL)
    return FALSE;
  n_rows = PQntuples (res);
  if (n_rows == 0)
    return TRUE;  /* not found */
  page->found = TRUE;
  page->practice_seq = tend_pg_get_int (res, 0, 0);
  page->horizon = tend_pg_get_int (res, 0, 1);
  /* More: the count limit was passed, or the byte limit cut the page. */
  page->has_more = !PQgetisnull (res, 0, 2) &&
                   ((guint64) n_rows > limit || n_rows < tend_pg_get_int (res, 0, 8));
  page->changes = g_string_sized_new (256);
  for (int i = 0; i < n_rows && (guint64) i < limit; i++)
    {
      const char *type;
      gboolean deleted;
      g_autofree char *redacted = NULL;

      if (PQgetisnull (res, i, 2))
        break;
      if (page->n_changes++ > 0)
        g_string_append_c (page->changes, ',');
      type = PQgetvalue (res, i, 2);
      deleted = tend_pg_get_bool (res, i, 5);
      if (!deleted && tend_record_policy_read_access (tend_record_type_from_name (type), principal->role) == TEND_READ_REDACTED)
        redacted = tend_record_policy_redact_body (tend_record_type_from_name (type), PQgetvalue (res, i, 6));
      append_change (page->changes, type, PQgetvalue (res, i, 3), PQgetvalue (res, i, 4), deleted,
                     redacted != NULL ? redacted : PQgetvalue (res, i, 6));
      page->last = tend_pg_get_int (res, i, 7);
    }
  return TRUE;
}

void
tend_sync_changes_handler (TendRequest *req,
                           TendPgConn  *conn)
{
  g_autoptr(GError) error = NULL;
  g_auto(TendFeedPage) page = { 0 };
  g_autofree char *cursor_epoch = NULL;
  g_autofree char *next_cursor = NULL;
  const char *cursor = g_hash_table_lookup (req->query, "cursor");
  const char *limit_arg = g_hash_table_lookup (req->query, "limit");
  gint64 after = 0, cursor_horizon = 0;
  guint64 limit = DEFAULT_PAGE;
  GString *out;

  if (limit_arg != NULL &&
      !g_ascii_string_to_unsigned (limit_arg, 10, 1, req->config->max_page, &limit, NULL))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "limit must be a whole number from 1 to %u", req->config->max_page);
      return;
    }
  if (cursor != NULL && *cursor != '\0')
    {
      if (!tend_sync_cursor_decode (cursor, &cursor_epoch, &after, &cursor_horizon))
        {
          tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_cursor",
                              "The cursor is not one this server gave out");
          return;
        }
      if (strcmp (cursor_epoch, req->epoch) != 0)
        {
          tend_request_error (req, SOUP_STATUS_GONE, "cursor_foreign",
                              "The cursor comes from another database: start again without a cursor");
          return;
        }
    }

  if (!tend_sync_feed_read (conn, &req->principal, after, 0, limit, req->config->max_page_bytes,
                            "read-changes", &page, &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  if (!page.found)
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "The practice no longer exists");
      return;
    }
  if (after > page.practice_seq)
    {
      tend_request_error (req, SOUP_STATUS_GONE, "cursor_ahead",
                          "The cursor is ahead of the server (was the database restored from a backup?): "
                          "start again without a cursor");
      return;
    }
  if (cursor != NULL && *cursor != '\0' && after < page.horizon && cursor_horizon < page.horizon)
    {
      tend_request_error (req, SOUP_STATUS_GONE, "cursor_expired",
                          "The cursor is older than the deleted records the server keeps: "
                          "start again without a cursor");
      return;
    }

  out = g_string_sized_new (page.changes->len + 128);
  g_string_append (out, "{\"changes\":[");
  g_string_append_len (out, page.changes->str, page.changes->len);
  /* At the end of the feed the cursor moves to the practice's counter,
   * past changes this role does not receive. */
  next_cursor = tend_sync_cursor_encode (req->epoch, page.has_more ? page.last : page.practice_seq, page.horizon);
  g_string_append_printf (out, "],\"cursor\":\"%s\",\"has_more\":%s}", next_cursor, page.has_more ? "true" : "false");
  /* Also in the headers: a client asks for the next page as soon as they
   * arrive, while this one's body is on its way (tend-sync-engine.c). */
  tend_request_add_header (req, "Tend-Cursor", next_cursor);
  tend_request_add_header (req, "Tend-Has-More", page.has_more ? "true" : "false");

  tend_request_reply_take (req, SOUP_STATUS_OK, g_string_free (out, FALSE));
}

/* GET /v1/charts/{client_id}: a client's chart content, whole, for a
 * clinician who has just come onto the chart (assigned, covering, a
 * supervisee's client, the glass broken): the feed sends only what
 * changes from then on, and the chart's history has older sequence
 * numbers.  Paged by sequence number ("after", the previous page's
 * "cursor"); the same changes, redacted as the feed redacts them.  A
 * clinician not on the chart gets 403, so nothing is learnt of it. */
void
tend_sync_chart_handler (TendRequest *req,
                         TendPgConn  *conn)
{
  const char *client_id = req->path + strlen ("/v1/charts/");
  const char *after_arg = g_hash_table_lookup (req->query, "after");
  const char *limit_arg = g_hash_table_lookup (req->query, "limit");
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_auto(GStrv) readable = NULL;
  g_autofree char *types = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *limit_text = NULL;
  guint64 after = 0, limit = DEFAULT_PAGE;
  gboolean has_more;
  gint64 last;
  GString *out;
  int n_rows, n;

  if (!g_uuid_string_is_valid (client_id))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The path must end with a client's id");
      return;
    }
  if ((after_arg != NULL && !g_ascii_string_to_unsigned (after_arg, 10, 0, G_MAXINT64, &after, NULL)) ||
      (limit_arg != NULL && !g_ascii_string_to_unsigned (limit_arg, 10, 1, req->config->max_page, &limit, NULL)))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "after must be a cursor this endpoint gave, limit a whole number from 1 to %u",
                          req->config->max_page);
      return;
    }
  if (chart_restricted (req))
    {
      const char *params[] = { req->principal.practice_id, client_id, req->principal.staff_id };
      g_autoptr(PGresult) on = tend_pg_exec (conn, "SELECT $2::uuid IN (SELECT chart_reach ($1::uuid, $3::uuid))",
                                             3, params, &error);

      if (on == NULL)
        {
          tend_request_db_error (req, error);
          return;
        }
      if (!tend_pg_get_bool (on, 0, 0))
        {
          tend_request_error (req, SOUP_STATUS_FORBIDDEN, "not_on_chart",
                              "You are not on this client's chart: break the glass to read it");
          return;
        }
    }
  readable = tend_sync_readable_types (req->principal.role);
  types = pg_text_array (readable);
  after_text = g_strdup_printf ("%" G_GUINT64_FORMAT, after);
  limit_text = g_strdup_printf ("%" G_GUINT64_FORMAT, limit + 1);
  {
    const char *params[] = { req->principal.practice_id, client_id, after_text, types, limit_text,
                             req->principal.staff_id, req->principal.account_id };

    res = tend_pg_exec (conn,
                        "WITH page AS (SELECT type, id, version, deleted, body, seq FROM record"
                        "   WHERE practice_id = $1 AND chart_client = $2::uuid AND seq > $3::bigint"
                        "   AND type = ANY ($4::text[]) AND (audience IS NULL OR $6::uuid = ANY (audience))"
                        "   ORDER BY seq LIMIT $5::int),"
                        " audited AS (INSERT INTO audit (practice_id, account_id, action, record_type, record_id, detail)"
                        "   SELECT $1, $7, 'read-chart', 'client', $2, 'after=' || $3 || ' n=' || count (*) FROM page)"
                        " SELECT * FROM page ORDER BY seq",
                        7, params, &error);
  }
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  n_rows = PQntuples (res);
  has_more = (guint64) n_rows > limit;
  n = has_more ? (int) limit : n_rows;
  last = n > 0 ? tend_pg_get_int (res, n - 1, 5) : (gint64) after;
  out = g_string_new ("{\"changes\":[");
  for (int i = 0; i < n; i++)
    {
      const char *type = PQgetvalue (res, i, 0);
      gboolean deleted = tend_pg_get_bool (res, i, 3);
      g_autofree char *redacted = NULL;

      if (i > 0)
        g_string_append_c (out, ',');
      if (!deleted && read_access (req, type) == TEND_READ_REDACTED)
        redacted = tend_record_policy_redact_body (tend_record_type_from_name (type), PQgetvalue (res, i, 4));
      append_change (out, type, PQgetvalue (res, i, 1), PQgetvalue (res, i, 2), deleted,
                     redacted != NULL ? redacted : PQgetvalue (res, i, 4));
    }
  g_string_append_printf (out, "],\"cursor\":\"%" G_GINT64_FORMAT "\",\"has_more\":%s}",
                          last, has_more ? "true" : "false");
  tend_request_reply_take (req, SOUP_STATUS_OK, g_string_free (out, FALSE));
}

/* Push */

static JsonNode *
result_node (const TendPushOp *op,
             const char   *status,
             gint64        version,
             JsonNode     *server_record,
             const char   *code,
             const char   *message,
             GPtrArray    *conflicts)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "op_id");
  json_builder_add_string_value (b, op->op_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  if (version > 0)
    {
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, version);
    }
  if (server_record != NULL)
    {
      json_builder_set_member_name (b, "server_record");
      json_builder_add_value (b, server_record);
    }
  if (code != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      if (conflicts != NULL)
        {
          json_builder_set_member_name (b, "conflicts");
          json_builder_begin_array (b);
          for (guint i = 0; i < conflicts->len; i++)
            json_builder_add_string_value (b, conflicts->pdata[i]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static JsonNode *
rejected (const TendPushOp *op,
          const char   *code,
          const char   *message)
{
  return result_node (op, "rejected", 0, NULL, code, message, NULL);
}

/* The server's copy in a conflict answer, as the caller may read it: whole,
 * redacted, or (for a type the caller may not read) not at all. */
static JsonNode *
stored_record_node (TendRequest      *req,
                    const TendPushOp *op,
                    PGresult         *row)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *redacted = NULL;
  TendReadAccess access = read_access (req, op->type);
  gboolean deleted = tend_pg_get_bool (row, 0, 1);

  /* Column 3: whether the caller is in the record's audience; 4: whether
   * they are on its chart. */
  if (access == TEND_READ_NONE || !tend_pg_get_bool (row, 0, 3) || !tend_pg_get_bool (row, 0, 4))
    return NULL;
  if (!deleted && access == TEND_READ_REDACTED)
    redacted = tend_record_policy_redact_body (tend_record_type_from_name (op->type), PQgetvalue (row, 0, 2));
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, op->type);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, op->id);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, tend_pg_get_int (row, 0, 0));
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, deleted);
  json_builder_set_member_name (b, "body");
  if (deleted)
    json_builder_add_null_value (b);
  else
    json_builder_add_value (b, json_from_string (redacted != NULL ? redacted : PQgetvalue (row, 0, 2), NULL));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The record policy's view of the database, for one push: the records and
 * blobs of the caller's practice that its rules look up. */
typedef struct
{
  TendPolicyActor  actor;
  TendRequest     *req;
  TendPgConn      *conn;
  /* "type/id" -> the record (or a NULL value: none), for this push: a
   * batch of one author's signed notes looks their staff record up once.
   * A record the push writes is dropped from it. */
  GHashTable      *looked_up;
} ServerActor;

/* A stored body as a record; %NULL when there is none or it is deleted. */
static TendRecord *
record_from_stored (GType       type,
                    const char *id,
                    PGresult   *row)
{
  g_autoptr(TendRecord) record = NULL;

  if (PQntuples (row) != 1 || tend_pg_get_bool (row, 0, 1))
    return NULL;
  record = tend_record_new (type);
  tend_record_set_id (record, id);
  /* What the server stored passed this codec: a failure here is a body
   * from an older rule, read as absent (the rules then refuse). */
  if (!tend_record_load_body_string (record, PQgetvalue (row, 0, 2), -1, NULL))
    return NULL;
  return g_steal_pointer (&record);
}

static TendRecord *
server_actor_load (TendPolicyActor *actor,
                   GType            type,
                   const char      *id,
                   GError         **error)
{
  ServerActor *self = (ServerActor *) actor;
  TendRecordClass *klass = g_type_class_peek (type);
  const char *params[] = { self->req->principal.practice_id, klass != NULL ? klass->type_name : NULL, id };
  g_autoptr(PGresult) res = NULL;
  g_autofree char *key = NULL;
  TendRecord *record;
  gpointer cached;

  if (klass == NULL || !g_uuid_string_is_valid (id))
    return NULL;
  key = g_strconcat (klass->type_name, "/", id, NULL);
  if (g_hash_table_lookup_extended (self->looked_up, key, NULL, &cached))
    return cached != NULL ? g_object_ref (cached) : NULL;
  res = tend_pg_exec (self->conn, "SELECT version, deleted, body FROM record"
                                  " WHERE practice_id = $1 AND type = $2 AND id = $3",
                      3, params, error);
  if (res == NULL)
    return NULL;
  record = record_from_stored (type, id, res);
  g_hash_table_insert (self->looked_up, g_steal_pointer (&key), record != NULL ? g_object_ref (record) : NULL);
  return record;
}

static gboolean
server_actor_may_read_chart (TendPolicyActor *actor,
                             const char      *client_id,
                             GError         **error)
{
  ServerActor *self = (ServerActor *) actor;
  const char *params[] = { self->req->principal.practice_id, client_id, actor->staff_id };
  g_autoptr(PGresult) res = NULL;

  if (actor->staff_id == NULL || client_id == NULL || !g_uuid_string_is_valid (client_id))
    return FALSE;
  res = tend_pg_exec (self->conn, "SELECT $2::uuid IN (SELECT chart_reach ($1::uuid, $3::uuid))", 3, params, error);
  return res != NULL && tend_pg_get_bool (res, 0, 0);
}

static void
unref_record (gpointer record)
{
  if (record != NULL)
    g_object_unref (record);
}

static gboolean
server_actor_has_blob (TendPolicyActor *actor,
                       const char      *sha256,
                       GError         **error)
{
  ServerActor *self = (ServerActor *) actor;
  const char *params[] = { self->req->principal.practice_id, sha256 };
  g_autoptr(PGresult) res = tend_pg_exec (self->conn,
                                          "SELECT 1 FROM blob WHERE practice_id = $1 AND sha256 = $2",
                                          2, params, error);

  return res != NULL && PQntuples (res) == 1;
}

/* A member of a stored body, when it is there and not null. */
static JsonNode *
body_member (const char *body,
             const char *member)
{
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  JsonNode *m;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  m = json_object_get_member (json_node_get_object (node), member);
  return m != NULL && !JSON_NODE_HOLDS_NULL (m) ? json_node_copy (m) : NULL;
}

static gboolean
room_is_virtual (TendPgConn  *conn,
                 const char  *practice_id,
                 const char  *room_id,
                 gboolean    *is_virtual,
                 GError     **error)
{
  const char *params[] = { practice_id, room_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "SELECT body FROM record WHERE practice_id = $1 AND type = 'room'"
                                          " AND id = $2 AND NOT deleted",
                                          2, params, error);
  g_autoptr(JsonNode) flag = NULL;

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 1)
    flag = body_member (PQgetvalue (res, 0, 0), "virtual");
  *is_virtual = flag != NULL && JSON_NODE_HOLDS_VALUE (flag) &&
                json_node_get_value_type (flag) == G_TYPE_BOOLEAN && json_node_get_boolean (flag);
  return TRUE;
}

/* The appointment's time as the typed columns hold it, when it holds time. */
typedef struct
{
  gboolean    busy;
  const char *clinician_id;
  const char *room_id;
  char        start_s[24];
  char        end_s[24];
} Busy;

static void
busy_of (TendRecord *record,
         Busy       *busy)
{
  TendAppointment *a;
  gint64 start, end;

  memset (busy, 0, sizeof *busy);
  if (record == NULL || !TEND_IS_APPOINTMENT (record) || !tend_appointment_is_active (TEND_APPOINTMENT (record)))
    return;
  a = TEND_APPOINTMENT (record);
  start = tend_appointment_get_start_usec (a);
  end = tend_appointment_get_end_usec (a);
  busy->busy = TRUE;
  busy->clinician_id = tend_appointment_get_clinician_id (a);
  busy->room_id = tend_appointment_get_room_id (a);
  g_snprintf (busy->start_s, sizeof busy->start_s, "%" G_GINT64_FORMAT, start / G_USEC_PER_SEC);
  g_snprintf (busy->end_s, sizeof busy->end_s, "%" G_GINT64_FORMAT,
              (end + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

/* Other active appointments of the same clinician, or in the same
 * (physical) room, that overlap @busy. */
static GPtrArray *
find_double_booking (TendRequest *req,
                     TendPgConn  *conn,
                     const TendPushOp *op,
                     Busy        *busy,
                     GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) res = NULL;
  const char *room = busy->room_id;
  gboolean is_virtual = FALSE;

  if (room != NULL && !room_is_virtual (conn, req->principal.practice_id, room, &is_virtual, error))
    return NULL;
  if (is_virtual)
    room = NULL;
  {
    g_autofree char *lower = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              g_ascii_strtoll (busy->start_s, NULL, 10) - MAX_DURATION_S);
    const char *params[] = { req->principal.practice_id, op->id, busy->start_s, busy->end_s,
                             busy->clinician_id, room, lower };

    /* Planned for these values each time (see tend_pg_exec_custom()). */
    res = tend_pg_exec_custom (conn,
                               "SELECT id FROM record WHERE practice_id = $1 AND type = 'appointment' AND id <> $2"
                               " AND start_s IS NOT NULL AND start_s > $7::bigint AND start_s < $4::bigint"
                               " AND end_s > $3::bigint AND (clinician_id = $5 OR room_id = $6)"
                               " ORDER BY start_s LIMIT 5",
                               7, params, error);
  }
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (ids, g_strdup (PQgetvalue (res, i, 0)));
  return g_steal_pointer (&ids);
}

/* People were added to a conversation: its messages and read markers now
 * go to the new members too.  They take new sequence numbers after the
 * conversation's own (the new members' cursors are past the old ones), in
 * their old order, so the feed brings the people added the whole history;
 * the members who had it receive the same versions again, which a store
 * skips.  Inside the push's transaction, under the practice's lock. */
static gboolean
resend_thread (TendRequest *req,
               TendPgConn  *conn,
               const char  *conversation_id,
               const char  *audience,
               GError     **error)
{
  const char *params[] = { req->principal.practice_id, conversation_id, audience };
  g_autoptr(PGresult) res = NULL;

  res = tend_pg_exec (conn,
                      "WITH c AS (SELECT type, id, row_number () OVER (ORDER BY seq) AS n, count (*) OVER () AS total"
                      "   FROM record WHERE practice_id = $1 AND type IN ('message', 'read_marker')"
                      "   AND body_member (body, 'conversation_id') = $2),"
                      " p AS (UPDATE practice SET seq = seq + coalesce ((SELECT max (total) FROM c), 0)"
                      "   WHERE id = $1 RETURNING seq)"
                      " UPDATE record r SET audience = $3::uuid[], seq = p.seq - c.total + c.n"
                      " FROM c, p WHERE r.practice_id = $1 AND r.type = c.type AND r.id = c.id",
                      3, params, error);
  return res != NULL;
}

/* A portal client's write: no role, the type's client access decides
 * (tend_record_policy_check_write ()); never a deletion. */
static gboolean
prepare_client_op (const TendPushOp  *op,
                   TendRecord       **record,
                   const char       **code,
                   char             **message)
{
  GType gtype = tend_record_type_from_name (op->type);
  g_autoptr(TendRecord) parsed = NULL;
  g_autoptr(GError) invalid = NULL;

  *record = NULL;
  if (gtype == G_TYPE_INVALID || op->deleted)
    {
      *code = "forbidden";
      *message = g_strdup ("Clients may not change this record");
      return FALSE;
    }
  parsed = tend_record_new (gtype);
  tend_record_set_id (parsed, op->id);
  if (!tend_record_load_body (parsed, op->body, &invalid) || !tend_record_validate (parsed, &invalid))
    {
      *code = "invalid";
      *message = g_strdup (invalid->message);
      return FALSE;
    }
  *record = g_steal_pointer (&parsed);
  return TRUE;
}

/* One operation, inside the push's transaction.  Returns the result, or
 * %NULL with @error set on a database failure (the push is then undone). */
static JsonNode *
apply_op (TendRequest  *req,
          TendPgConn   *conn,
          ServerActor  *actor,
          const TendPushOp *op,
          GError      **error)
{
  GType gtype = tend_record_type_from_name (op->type);
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendRecord) stored = NULL;
  g_autoptr(PGresult) current = NULL;
  g_autoptr(PGresult) seq = NULL;
  g_autoptr(PGresult) written = NULL;
  g_autoptr(GError) refused = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *version_text = NULL;
  g_autofree char *message = NULL;
  g_autofree char *audience = NULL;
  const char *code = NULL;
  gint64 current_version = 0;
  Busy busy;

  if (actor->actor.client_id != NULL ? !prepare_client_op (op, &record, &code, &message)
                                      : !tend_push_prepare (op, req->principal.role, &record, &code, &message))
    return rejected (op, code, message);
  /* A practice has one practice record, whose id is the practice's own: a
   * store made without a server and synced to a practice created for
   * another would otherwise leave two (create-practice --practice makes
   * the server's practice take the store's id). */
  if (gtype == TEND_TYPE_PRACTICE && g_ascii_strcasecmp (op->id, req->principal.practice_id) != 0)
    return rejected (op, "other_practice",
                     "This practice record belongs to another practice: a practice that began without a server"
                     " moves to one through create-practice --practice with its id");

  {
    const char *params[] = { req->principal.practice_id, op->type, op->id, req->principal.staff_id,
                             actor->actor.client_id == NULL && chart_restricted (req) ? "true" : "false" };

    current = tend_pg_exec (conn,
                            "SELECT version, deleted, body, audience IS NULL OR $4::uuid = ANY (audience),"
                            " chart_client IS NULL OR NOT $5::boolean OR chart_client IN (SELECT chart_reach ($1::uuid, $4::uuid))"
                            " FROM record WHERE practice_id = $1 AND type = $2 AND id = $3",
                            5, params, error);
  }
  if (current == NULL)
    return NULL;
  if (PQntuples (current) == 1)
    current_version = tend_pg_get_int (current, 0, 0);
  if (op->base_version != current_version)
    return result_node (op, "conflict", current_version,
                        PQntuples (current) == 1 ? stored_record_node (req, op, current) : NULL,
                        NULL, NULL, NULL);

  /* The record policy, as the store checks it, for the authenticated
   * person. */
  if (tend_record_policy_needs_stored (gtype) || actor->actor.client_id != NULL)
    stored = record_from_stored (gtype, op->id, current);
  if (!tend_record_policy_check_write (&actor->actor, gtype, stored, record, &refused))
    {
      if (refused->domain != TEND_ERROR)
        {
          /* The database failed under a rule's lookup. */
          g_propagate_error (error, g_steal_pointer (&refused));
          return NULL;
        }
      return rejected (op, tend_record_policy_error_code (refused), refused->message);
    }

  /* A member the stores keep unique (a claim's number): a second live
   * record with it could be applied by no store. */
  {
    const TendRecordPolicy *policy = tend_record_type_get_policy (gtype);

    if (record != NULL && policy->unique != NULL && tend_record_get_string (record, policy->unique) != NULL)
      {
        const char *params[] = { req->principal.practice_id, op->type, op->id, policy->unique,
                                 tend_record_get_string (record, policy->unique) };
        g_autoptr(PGresult) taken = tend_pg_exec (conn,
                                                  "SELECT 1 FROM record WHERE practice_id = $1 AND type = $2"
                                                  " AND id <> $3 AND NOT deleted AND body::jsonb ->> $4 = $5 LIMIT 1",
                                                  5, params, error);

        if (taken == NULL)
          return NULL;
        if (PQntuples (taken) > 0)
          {
            g_autofree char *why = g_strdup_printf ("Another %s already has this %s", op->type, policy->unique);

            return rejected (op, "duplicate", why);
          }
      }
  }

  busy_of (record, &busy);
  if (busy.busy)
    {
      g_autoptr(GPtrArray) others = find_double_booking (req, conn, op, &busy, error);
      gboolean may_override;

      if (others == NULL)
        return NULL;
      may_override = tend_record_get_int (record, "override.conflict") != 0 &&
                     (req->principal.role == TEND_ROLE_OWNER || req->principal.role == TEND_ROLE_FRONT_DESK);
      if (others->len > 0 && !may_override)
        return result_node (op, "rejected", 0, NULL, "double_booked",
                            "The clinician or the room is already booked at this time", others);
    }

  /* Who receives it, for a type only some readers receive: computed here
   * from what is stored, never taken from the body. */
  if (record != NULL && tend_record_policy_has_audience (gtype))
    {
      g_auto(GStrv) ids = tend_record_policy_audience (&actor->actor, record, &refused);

      if (ids == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&refused));
          return NULL;
        }
      audience = pg_text_array (ids);
    }

  {
    const char *params[] = { req->principal.practice_id };

    seq = tend_pg_exec (conn, "UPDATE practice SET seq = seq + 1 WHERE id = $1 RETURNING seq",
                        1, params, error);
  }
  if (seq == NULL)
    return NULL;
  body_text = record != NULL ? tend_record_to_body_string (record) : g_strdup ("{}");
  version_text = g_strdup_printf ("%" G_GINT64_FORMAT, current_version + 1);
  {
    const char *params[] = {
      req->principal.practice_id, op->type, op->id, version_text, PQgetvalue (seq, 0, 0),
      op->deleted ? "true" : "false", body_text,
      busy.busy ? busy.clinician_id : NULL, busy.busy ? busy.room_id : NULL,
      busy.busy ? busy.start_s : NULL, busy.busy ? busy.end_s : NULL, audience,
      record != NULL ? tend_record_policy_chart_client (record) : NULL,
    };

    /* A deletion keeps the audience and the chart the record had: its
     * tombstone goes to the same people. */
    written = tend_pg_exec (conn,
                            "INSERT INTO record AS r (practice_id, type, id, version, seq, deleted, body,"
                            " clinician_id, room_id, start_s, end_s, audience, chart_client)"
                            " VALUES ($1, $2, $3, $4::bigint, $5::bigint, $6::boolean, $7, $8, $9, $10::bigint, $11::bigint,"
                            " $12::uuid[], $13::uuid)"
                            " ON CONFLICT (practice_id, type, id) DO UPDATE SET"
                            " version = EXCLUDED.version, seq = EXCLUDED.seq, deleted = EXCLUDED.deleted,"
                            " body = EXCLUDED.body, updated_at = now (), clinician_id = EXCLUDED.clinician_id,"
                            " room_id = EXCLUDED.room_id, start_s = EXCLUDED.start_s, end_s = EXCLUDED.end_s,"
                            " audience = CASE WHEN EXCLUDED.deleted THEN r.audience ELSE EXCLUDED.audience END,"
                            " chart_client = CASE WHEN EXCLUDED.deleted THEN r.chart_client ELSE EXCLUDED.chart_client END",
                            13, params, error);
  }
  if (written == NULL)
    return NULL;
  /* People added to a conversation receive what it already holds. */
  if (record != NULL && stored != NULL && TEND_IS_CONVERSATION (record) && audience != NULL)
    {
      g_auto(GStrv) before = tend_conversation_dup_members (TEND_CONVERSATION (stored));
      g_auto(GStrv) after = tend_conversation_dup_members (TEND_CONVERSATION (record));

      if (g_strv_length (after) > g_strv_length (before) &&
          !resend_thread (req, conn, op->id, audience, error))
        return NULL;
    }
  /* The glass broken: in the practice's audit trail too, by client. */
  if (record != NULL && stored == NULL && TEND_IS_CHART_ACCESS (record) &&
      tend_chart_access_get_kind (TEND_CHART_ACCESS (record)) == TEND_CHART_ACCESS_EMERGENCY &&
      !tend_request_audit (req, conn, "break-glass", "client",
                           tend_chart_access_get_client_id (TEND_CHART_ACCESS (record)), op->id, error))
    return NULL;
  /* A new message from the staff in a client's thread: the client is
   * told through the portal's notice (sent once the push commits). */
  if (record != NULL && stored == NULL && current_version == 0 && TEND_IS_MESSAGE (record) &&
      actor->actor.client_id == NULL && !tend_message_is_from_client (TEND_MESSAGE (record)) &&
      !tend_server_portal_message_notice (req, conn, &actor->actor, TEND_MESSAGE (record), error))
    return NULL;
  return result_node (op, "applied", current_version + 1, NULL, NULL, NULL, NULL);
}

/* The size of @node written as compact JSON, counted until it passes
 * @limit (then anything over @limit): a 7 MB body is refused without
 * being written out again.  Escapes are not counted, so this is at most
 * the written size. */
static gsize
json_size_upto (JsonNode *node,
                gsize     limit)
{
  gsize size = 0;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        size = 2;
        json_object_iter_init (&iter, json_node_get_object (node));
        while (size <= limit && json_object_iter_next (&iter, &name, &member))
          size += strlen (name) + 4 + json_size_upto (member, limit - MIN (size, limit));
        break;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        size = 2;
        for (guint i = 0; size <= limit && i < json_array_get_length (array); i++)
          size += 1 + json_size_upto (json_array_get_element (array, i), limit - MIN (size, limit));
        break;
      }
    case JSON_NODE_VALUE:
      size = json_node_get_value_type (node) == G_TYPE_STRING ? strlen (json_node_get_string (node)) + 2 : 8;
      break;
    case JSON_NODE_NULL:
    default:
      size = 4;
      break;
    }
  return size;
}

/* A body over max-record-size is refused by name, as that operation's
 * answer: the rest of the push goes on. */
static JsonNode *
record_too_large (TendRequest      *req,
                  const TendPushOp *op)
{
  g_autofree char *message = NULL;
  gsize limit = req->config->max_record_size;

  if (op->body == NULL || json_size_upto (op->body, limit) <= limit)
    return NULL;
  message = g_strdup_printf ("The %s record %s is larger than the %" G_GSIZE_FORMAT
                             " bytes a record may hold", op->type, op->id, limit);
  return rejected (op, "record_too_large", message);
}

static const char *
audit_action (JsonNode *result)
{
  const char *status = json_object_get_string_member (json_node_get_object (result), "status");

  if (g_strcmp0 (status, "applied") == 0)
    return "push-applied";
  if (g_strcmp0 (status, "conflict") == 0)
    return "push-conflict";
  return "push-rejected";
}

void
tend_sync_push_handler (TendRequest *req,
                        TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = tend_request_parse_body (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) lock = NULL;
  g_autoptr(PGresult) stored = NULL;
  g_autoptr(GHashTable) answers = NULL;   /* op_id -> the answer's JSON */
  g_autoptr(JsonBuilder) saved = NULL;
  g_autoptr(JsonBuilder) audited = NULL;
  g_autofree TendPushOp *ops = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GHashTable) looked_up = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_record);
  ServerActor actor = {
    .actor = {
      .staff_id = req->principal.staff_id,
      .role = req->principal.role,
      .load = server_actor_load,
      .has_blob = server_actor_has_blob,
      .may_read_chart = server_actor_may_read_chart,
    },
    .req = req,
    .conn = conn,
    .looked_up = looked_up,
  };
  GString *out;
  guint n = 0, applied = 0;

  if (root == NULL)
    return;
  ops = tend_push_read_ops (root, req->config->max_ops, &n, &message);
  if (ops == NULL)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "%s", message);
      return;
    }

  if (!tend_pg_run (conn, "BEGIN", &error) ||
      !tend_pg_run (conn, "SET LOCAL synchronous_commit = on", &error))
    goto db_error;
  {
    const char *params[] = { req->principal.practice_id };

    /* The practice's row lock: held until COMMIT, it orders this push's
     * sequence numbers and op_id checks against every other writer. */
    lock = tend_pg_exec (conn, "SELECT seq FROM practice WHERE id = $1 FOR UPDATE", 1, params, &error);
  }
  if (lock == NULL)
    goto db_error;

  /* The answers already given to any of these op_ids (retries), in one
   * query; then each new operation applied; then their answers and audit
   * rows written with one statement each.  Per operation that was three
   * more round trips, a third of a push. */
  {
    g_autoptr(JsonBuilder) ids = json_builder_new ();
    g_autofree char *ids_json = NULL;

    json_builder_begin_array (ids);
    for (guint i = 0; i < n; i++)
      json_builder_add_string_value (ids, ops[i].op_id);
    json_builder_end_array (ids);
    ids_json = tend_json_to_string (json_builder_get_root (ids));
    {
      const char *params[] = { req->principal.practice_id, ids_json, req->principal.account_id };

      /* The primary key looked up once per op_id, as one statement: a
       * join or "= ANY" was planned as a scan of every answer the practice
       * ever got while the table's statistics were young.  Only this
       * account's answers: an op_id someone else used is not a retry. */
      stored = tend_pg_exec (conn, "SELECT o.id, r.result FROM json_array_elements_text ($2::json) AS o (id)"
                                   " CROSS JOIN LATERAL (SELECT result FROM push_result p"
                                   "                     WHERE p.practice_id = $1 AND p.account_id = $3"
                                   "                     AND p.op_id = o.id LIMIT 1) r",
                             3, params, &error);
    }
    if (stored == NULL)
      goto db_error;
  }
  answers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (int r = 0; r < PQntuples (stored); r++)
    g_hash_table_insert (answers, PQgetvalue (stored, r, 0), g_strdup (PQgetvalue (stored, r, 1)));
  saved = json_builder_new ();
  audited = json_builder_new ();
  json_builder_begin_array (saved);
  json_builder_begin_array (audited);

  out = g_string_new ("{\"results\":[");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) result = NULL;
      const char *answer;
      char *text;

      if (i > 0)
        g_string_append_c (out, ',');
      if ((answer = g_hash_table_lookup (answers, ops[i].op_id)) != NULL)
        {
          /* A retry (or the same op_id twice in one push): the same
           * answer, nothing applied again. */
          g_string_append (out, answer);
          continue;
        }
      result = record_too_large (req, &ops[i]);
      if (result == NULL)
        {
          result = apply_op (req, conn, &actor, &ops[i], &error);
          if (result != NULL)
            {
              g_autofree char *key = g_strconcat (ops[i].type, "/", ops[i].id, NULL);

              g_hash_table_remove (actor.looked_up, key);
            }
        }
      if (result == NULL)
        goto db_error_out;
      text = tend_json_to_string (result);
      g_hash_table_insert (answers, (gpointer) ops[i].op_id, text);
      json_builder_begin_array (saved);
      json_builder_add_string_value (saved, ops[i].op_id);
      json_builder_add_string_value (saved, text);
      json_builder_end_array (saved);
      json_builder_begin_array (audited);
      json_builder_add_string_value (audited, audit_action (result));
      json_builder_add_string_value (audited, ops[i].type);
      json_builder_add_string_value (audited, ops[i].id);
      json_builder_end_array (audited);
      if (g_strcmp0 (json_object_get_string_member (json_node_get_object (result), "status"), "applied") == 0)
        applied++;
      g_string_append (out, text);
    }
  json_builder_end_array (saved);
  json_builder_end_array (audited);
  {
    g_autofree char *saved_json = tend_json_to_string (json_builder_get_root (saved));
    g_autofree char *audited_json = tend_json_to_string (json_builder_get_root (audited));
    const char *params[] = { req->principal.practice_id, req->principal.account_id, saved_json, audited_json };
    g_autoptr(PGresult) written = NULL;

    written = tend_pg_exec (conn,
                            "WITH r AS (INSERT INTO push_result (practice_id, account_id, op_id, result)"
                            "           SELECT $1, $2, e->>0, e->>1 FROM json_array_elements ($3::json) e)"
                            " INSERT INTO audit (practice_id, account_id, action, record_type, record_id)"
                            " SELECT $1, $2, e->>0, e->>1, e->>2 FROM json_array_elements ($4::json) e",
                            4, params, &error);
    if (written == NULL)
      goto db_error_out;
  }
  if (applied > 0)
    {
      const char *params[] = { req->principal.practice_id, PQgetvalue (lock, 0, 0) };
      g_autoptr(PGresult) notified = NULL;

      /* Delivered to every instance's live clients at COMMIT
       * (tend-server-live.c), with the sequence numbers this push took:
       * "PRACTICE:FROM:TO", every change after FROM up to TO (the
       * practice's row is locked, so nobody else took any between). */
      notified = tend_pg_exec (conn, "SELECT pg_notify ('" TEND_LIVE_CHANNEL "', $1::text || ':' || $2::text || ':' || seq)"
                                     " FROM practice WHERE id = $1::text::uuid",
                               2, params, &error);
      if (notified == NULL)
        goto db_error_out;
    }
  if (!tend_pg_run (conn, "COMMIT", &error))
    goto db_error_out;
  if (applied > 0)
    tend_server_portal_kick (req->server);  /* the portal's notices, if any */
  g_string_append (out, "]}");
  tend_request_reply_take (req, SOUP_STATUS_OK, g_string_free (out, FALSE));
  return;

db_error_out:
  g_string_free (out, TRUE);
db_error:
  tend_pg_rollback (conn);
  tend_request_db_error (req, error);
}

/* The portal's writes (tend-server-portal.c): a client's own records,
 * through the same apply_op () as a push, with an actor that is the
 * client (TendPolicyActor.client_id, from the portal session). */

struct _TendClientActor
{
  ServerActor  server;
  GHashTable  *looked_up;
  char        *client_id;
  guint        applied;
};

/**
 * tend_client_actor_new:
 * @client_id: the signed-in client, from their session
 *
 * Returns: (transfer full): the client as the record policy sees them, for
 *   requests on @conn in @req's practice
 */
TendClientActor *
tend_client_actor_new (TendRequest *req,
                       TendPgConn  *conn,
                       const char  *client_id)
{
  TendClientActor *self = g_new0 (TendClientActor, 1);

  self->client_id = g_strdup (client_id);
  self->looked_up = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_record);
  self->server.actor.staff_id = NULL;
  /* Means nothing to the client rules; apply_op reads it only to let a
   * conflict override staff recorded stand. */
  self->server.actor.role = TEND_ROLE_FRONT_DESK;
  self->server.actor.load = server_actor_load;
  self->server.actor.has_blob = server_actor_has_blob;
  self->server.actor.client_id = self->client_id;
  self->server.req = req;
  self->server.conn = conn;
  self->server.looked_up = self->looked_up;
  return self;
}

void
tend_client_actor_free (TendClientActor *self)
{
  g_hash_table_unref (self->looked_up);
  g_free (self->client_id);
  g_free (self);
}

TendPolicyActor *
tend_client_actor_get_actor (TendClientActor *self)
{
  return &self->server.actor;
}

TendPgConn *
tend_client_actor_get_conn (TendClientActor *self)
{
  return self->server.conn;
}

/**
 * tend_client_actor_load:
 *
 * Returns: (transfer full) (nullable): the live record of @type with @id in
 *   the practice, whoever it belongs to (check with
 *   tend_record_policy_client_may_read ()), with its version
 */
TendRecord *
tend_client_actor_load (TendClientActor *self,
                        GType            type,
                        const char      *id,
                        GError         **error)
{
  TendRecordClass *klass = g_type_class_peek (type);
  const char *params[] = { self->server.req->principal.practice_id, klass != NULL ? klass->type_name : NULL, id };
  g_autoptr(PGresult) res = NULL;
  TendRecord *record;

  if (klass == NULL || id == NULL || !g_uuid_string_is_valid (id))
    return NULL;
  res = tend_pg_exec (self->server.conn, "SELECT version, deleted, body FROM record"
                                         " WHERE practice_id = $1 AND type = $2 AND id = $3",
                      3, params, error);
  if (res == NULL)
    return NULL;
  record = record_from_stored (type, id, res);
  if (record != NULL)
    tend_record_set_version (record, tend_pg_get_int (res, 0, 0));
  return record;
}

/* BEGIN, durably, with the practice's row locked (as a push). */
gboolean
tend_client_actor_begin (TendClientActor *self,
                         GError         **error)
{
  TendPgConn *conn = self->server.conn;
  const char *params[] = { self->server.req->principal.practice_id };
  g_autoptr(PGresult) lock = NULL;

  self->applied = 0;
  g_hash_table_remove_all (self->looked_up);
  if (!tend_pg_run (conn, "BEGIN", error) ||
      !tend_pg_run (conn, "SET LOCAL synchronous_commit = on", error))
    return FALSE;
  lock = tend_pg_exec (conn, "SELECT seq FROM practice WHERE id = $1 FOR UPDATE", 1, params, error);
  if (lock == NULL)
    tend_pg_rollback (conn);
  return lock != NULL;
}

/**
 * tend_client_actor_apply:
 * @record: the new body (its id, and the version it was read at)
 * @code: (out) (optional): on refusal, why ("conflict", "forbidden", ...)
 * @message: (out) (optional) (transfer full): on refusal, the rule's words
 *
 * Writes @record for the client inside the transaction begun, audited as
 * "portal-write" under the portal account.
 *
 * Returns: %TRUE when applied; %FALSE with @error unset when refused
 */
gboolean
tend_client_actor_apply (TendClientActor *self,
                         TendRecord      *record,
                         const char     **code,
                         char           **message,
                         GError         **error)
{
  TendRequest *req = self->server.req;
  g_autofree char *op_id = g_uuid_string_random ();
  g_autoptr(JsonNode) body = tend_record_serialize_body (record);
  g_autoptr(JsonNode) result = NULL;
  TendPushOp op = {
    .op_id = op_id,
    .type = tend_record_get_type_name (record),
    .id = tend_record_get_id (record),
    .base_version = tend_record_get_version (record),
    .deleted = FALSE,
    .body = body,
  };
  const char *status;

  result = apply_op (req, self->server.conn, &self->server, &op, error);
  if (result == NULL)
    return FALSE;
  status = json_object_get_string_member (json_node_get_object (result), "status");
  if (g_strcmp0 (status, "applied") != 0)
    {
      JsonObject *err = json_object_get_object_member (json_node_get_object (result), "error");

      if (code != NULL)
        *code = g_strcmp0 (status, "conflict") == 0 ? "conflict"
                : err != NULL && g_strcmp0 (json_object_get_string_member (err, "code"), "invalid") == 0 ? "invalid"
                : "forbidden";
      if (message != NULL && err != NULL)
        *message = g_strdup (json_object_get_string_member (err, "message"));
      return FALSE;
    }
  tend_record_set_version (record, json_object_get_int_member (json_node_get_object (result), "version"));
  self->applied++;
  return tend_request_audit (req, self->server.conn, "portal-write", op.type, op.id, NULL, error);
}

/**
 * tend_client_actor_apply_as_server:
 *
 * Writes @record as the server itself (no person; the type's rules for
 * the system), in the transaction begun: what the portal makes from a
 * client's action that the client may not write themselves (the signed
 * consent's PDF document).  Audited like tend_client_actor_apply ().
 */
gboolean
tend_client_actor_apply_as_server (TendClientActor *self,
                                   TendRecord      *record,
                                   GError         **error)
{
  const char *code = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  self->server.actor.client_id = NULL;
  self->server.actor.role = TEND_ROLE_OWNER;
  ok = tend_client_actor_apply (self, record, &code, &message, error);
  self->server.actor.client_id = self->client_id;
  self->server.actor.role = TEND_ROLE_FRONT_DESK;
  if (!ok && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The server's own %s was refused: %s",
                 tend_record_get_type_name (record), message != NULL ? message : code);
  return ok;
}

/* Announces what was applied to the live clients, then COMMIT. */
gboolean
tend_client_actor_commit (TendClientActor *self,
                          GError         **error)
{
  TendPgConn *conn = self->server.conn;

  if (self->applied > 0)
    {
      const char *params[] = { self->server.req->principal.practice_id };
      g_autoptr(PGresult) notified = tend_pg_exec (conn, "SELECT pg_notify ('" TEND_LIVE_CHANNEL "', $1)",
                                                   1, params, error);

      if (notified == NULL)
        {
          tend_pg_rollback (conn);
          return FALSE;
        }
    }
  if (!tend_pg_run (conn, "COMMIT", error))
    {
      tend_pg_rollback (conn);
      return FALSE;
    }
  return TRUE;
}
