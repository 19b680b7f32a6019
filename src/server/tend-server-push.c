/* tend-server-push.c: what can be decided about a request without the
 * database: parsing request JSON, reading push operations, checking each
 * against the role and the core codec, the per-type policy, and cursors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No libsoup and no libpq here: this is the part of the push handler that
 * the fuzz target (tests/server/fuzz-push.c) exercises.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <string.h>

#include "tend-server-sync.h"

/* json-glib's parser recurses: refuse deeper bodies before parsing. */
#define MAX_JSON_DEPTH 64
#define MAX_OP_ID 128

/* Who reads and writes each type is the record policy declared by each
 * record class in src/core (tend-record-policy.h), the one the store
 * checks: there is no list here. */

gboolean
tend_sync_role_may_read (TendRole    role,
                         const char *type)
{
  return tend_record_policy_read_access (tend_record_type_from_name (type), role) != TEND_READ_NONE;
}

gboolean
tend_sync_role_may_write (TendRole    role,
                          const char *type)
{
  return tend_record_policy_may_write_type (tend_record_type_from_name (type), role);
}

/* Returns: (transfer full): the types @role receives, whole or redacted */
char **
tend_sync_readable_types (TendRole role)
{
  return tend_record_policy_readable_types (role);
}

/*
 * Cursors: base64url of "1:<epoch>:<seq>:<horizon>", opaque to clients.
 * The horizon is the practice's when the cursor was given out: a cursor
 * below today's horizon missed a purged tombstone only if it was given out
 * before that purge (a client paging through a full download after the
 * purge holds cursors below the horizon and missed nothing).
 */
char *
tend_sync_cursor_encode (const char *epoch,
                         gint64      seq,
                         gint64      horizon)
{
  g_autofree char *plain = g_strdup_printf ("1:%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, epoch, seq, horizon);
  char *b64 = g_base64_encode ((const guchar *) plain, strlen (plain));

  g_strdelimit (b64, "+", '-');
  g_strdelimit (b64, "/", '_');
  for (char *p = b64 + strlen (b64); p > b64 && p[-1] == '='; p--)
    p[-1] = '\0';
  return b64;
}

gboolean
tend_sync_cursor_decode (const char *cursor,
                         char      **epoch,
                         gint64     *seq,
                         gint64     *horizon)
{
  g_autofree char *b64 = NULL;
  g_autofree guchar *plain = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len, n;
  guint64 value, h;

  n = strlen (cursor);
  if (n == 0 || n > 200 || strspn (cursor, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
    return FALSE;
  b64 = g_malloc (n + 4);
  memcpy (b64, cursor, n);
  while (n % 4 != 0)
    b64[n++] = '=';
  b64[n] = '\0';
  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  plain = g_base64_decode (b64, &len);
  text = g_strndup ((const char *) plain, len);
  parts = g_strsplit (text, ":", 5);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], "1") != 0 || parts[1][0] == '\0' ||
      !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXINT64, &value, NULL) ||
      !g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXINT64, &h, NULL))
    return FALSE;
  *epoch = g_strdup (parts[1]);
  *seq = (gint64) value;
  *horizon = (gint64) h;
  return TRUE;
}


/**
 * tend_json_parse_request:
 * @message: (out): on failure, what is wrong, for the client
 *
 * Returns: (transfer full) (nullable): the body's JSON
 */
/* json-glib's scanner reads "\345" as an octal escape and "\uDC00" alone
 * as a lone surrogate: bytes that are not UTF-8, which the parser then lets
 * through.  Stored, such a body would stop every client's sync at its page
 * (found by fuzz-push).  Every member name and string is checked. */
static gboolean
json_strings_valid (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !json_strings_valid (member))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!json_strings_valid (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING ||
             g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

JsonNode *
tend_json_parse_request (const char *data,
                         gsize       len,
                         char      **message)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  if (data == NULL || len == 0)
    {
      *message = g_strdup ("The request needs a JSON body");
      return NULL;
    }
  if (!g_utf8_validate (data, (gssize) len, NULL))
    {
      *message = g_strdup ("The body is not valid UTF-8");
      return NULL;
    }
  /* Depth (json-glib's parser recurses), escapes that are not JSON, and
   * values json-glib would read as something else or write back as
   * something that is not JSON, in one pass (tend-record-policy.c). */
  if (!tend_json_text_check (data, len, MAX_JSON_DEPTH, NULL, &error))
    {
      *message = g_strdup_printf ("The body cannot be stored as sent: %s", error->message);
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &error))
    {
      *message = g_strdup_printf ("The body is not valid JSON: %s", error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      *message = g_strdup ("The request needs a JSON body");
      return NULL;
    }
  if (!tend_json_node_check (json_parser_get_root (parser), "body", &error))
    {
      *message = g_strdup_printf ("The body cannot be stored as sent: %s", error->message);
      return NULL;
    }
  if (!json_strings_valid (json_parser_get_root (parser)))
    {
      *message = g_strdup ("The body has a text that is not UTF-8");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
read_op (JsonNode    *node,
         TendPushOp  *op,
         guint        index,
         char       **message)
{
  JsonObject *obj;
  JsonNode *m;

  memset (op, 0, sizeof *op);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *message = g_strdup_printf ("ops[%u] must be an object", index);
      return FALSE;
    }
  obj = json_node_get_object (node);
  m = json_object_get_member (obj, "op_id");
  if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING ||
      *json_node_get_string (m) == '\0' || strlen (json_node_get_string (m)) > MAX_OP_ID)
    {
      *message = g_strdup_printf ("ops[%u].op_id must be a string of 1 to %u characters", index, MAX_OP_ID);
      return FALSE;
    }
  op->op_id = json_node_get_string (m);

  m = json_object_get_member (obj, "type");
  if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING)
    {
      *message = g_strdup_printf ("ops[%u].type must be a string", index);
      return FALSE;
    }
  op->type = json_node_get_string (m);

  m = json_object_get_member (obj, "id");
  if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING ||
      !g_uuid_string_is_valid (json_node_get_string (m)))
    {
      *message = g_strdup_printf ("ops[%u].id must be a UUID", index);
      return FALSE;
    }
  op->id = json_node_get_string (m);

  m = json_object_get_member (obj, "base_version");
  if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_INT64 ||
      json_node_get_int (m) < 0)
    {
      *message = g_strdup_printf ("ops[%u].base_version must be a whole number, 0 for a new record", index);
      return FALSE;
    }
  op->base_version = json_node_get_int (m);

  m = json_object_get_member (obj, "deleted");
  if (m != NULL && !JSON_NODE_HOLDS_NULL (m))
    {
      if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_BOOLEAN)
        {
          *message = g_strdup_printf ("ops[%u].deleted must be true or false", index);
          return FALSE;
        }
      op->deleted = json_node_get_boolean (m);
    }
  m = json_object_get_member (obj, "body");
  if (!op->deleted && (m == NULL || !JSON_NODE_HOLDS_OBJECT (m)))
    {
      *message = g_strdup_printf ("ops[%u] needs a body object, or \"deleted\": true", index);
      return FALSE;
    }
  op->body = op->deleted ? NULL : m;
  return TRUE;
}


/**
 * tend_push_read_ops:
 * @root: the request body
 * @n_ops: (out): how many operations
 * @message: (out): on failure, what is wrong (the push is refused whole)
 *
 * Returns: (transfer full) (nullable): the operations; they point into @root
 */
TendPushOp *
tend_push_read_ops (JsonNode  *root,
                    guint      max_ops,
                    guint     *n_ops,
                    char     **message)
{
  g_autofree TendPushOp *ops = NULL;
  JsonNode *ops_node;
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (ops_node = json_object_get_member (json_node_get_object (root), "ops")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (ops_node))
    {
      *message = g_strdup ("The body must be an object with an \"ops\" array");
      return NULL;
    }
  array = json_node_get_array (ops_node);
  n = json_array_get_length (array);
  if (n == 0 || n > max_ops)
    {
      *message = g_strdup_printf ("A push carries from 1 to %u operations", max_ops);
      return NULL;
    }
  ops = g_new0 (TendPushOp, n);
  for (guint i = 0; i < n; i++)
    if (!read_op (json_array_get_element (array, i), &ops[i], i, message))
      return NULL;
  *n_ops = n;
  return g_steal_pointer (&ops);
}

/**
 * tend_push_prepare:
 * @record: (out) (transfer full) (nullable): the parsed record; %NULL for
 *   a deletion
 * @code: (out): on rejection, the result's error code
 * @message: (out) (transfer full): on rejection, its message
 *
 * Everything about one operation that needs no database: the type is
 * known, the role may write some records of it, and the body is a valid
 * record of it.  The record-level rules need the stored records and come
 * after (tend_record_policy_check_write(), in tend-server-sync.c).
 *
 * Returns: %FALSE when the operation is rejected
 */
gboolean
tend_push_prepare (const TendPushOp  *op,
                   TendRole           role,
                   TendRecord       **record,
                   const char       **code,
                   char             **message)
{
  GType gtype = tend_record_type_from_name (op->type);
  g_autoptr(TendRecord) parsed = NULL;
  g_autoptr(GError) invalid = NULL;

  *record = NULL;
  if (gtype == G_TYPE_INVALID)
    {
      *code = "unknown_type";
      *message = g_strdup ("This server does not know this record type");
      return FALSE;
    }
  if (!tend_record_policy_may_write_type (gtype, role))
    {
      *code = "forbidden";
      *message = g_strdup_printf ("The %s role may not change %s records", tend_role_to_string (role), op->type);
      return FALSE;
    }
  if (op->deleted)
    return TRUE;
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
