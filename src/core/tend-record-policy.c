/* tend-record-policy.c: the one record policy, evaluated by the store and
 * the server alike
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each record class declares its TendRecordPolicy in its class_init (who
 * reads it whole, who reads a redacted copy, who writes it, a narrower extra
 * writer, whether it is clinical, what freezes it, and its record-level
 * rules).  The store checks every save by its signed-in person against it;
 * tend-server checks every pushed operation by the authenticated person and
 * filters its change feed and conflict answers by it.  There is no second
 * list anywhere.
 */
#define G_LOG_DOMAIN "tend-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tend-client.h"
#include "tend-error.h"
#include "tend-payer.h"
#include "tend-record-policy.h"

void
tend_record_class_set_policy (TendRecordClass        *klass,
                              const TendRecordPolicy *policy)
{
  klass->policy = policy;
}

/**
 * tend_record_type_get_policy:
 *
 * Returns: (nullable): the policy @type declares, or %NULL when @type is not
 *   a record class that declares one (nobody may write it)
 */
const TendRecordPolicy *
tend_record_type_get_policy (GType type)
{
  TendRecordClass *klass;
  const TendRecordPolicy *policy;

  if (!g_type_is_a (type, TEND_TYPE_RECORD) || G_TYPE_IS_ABSTRACT (type))
    return NULL;
  /* Asked for every record a push or a feed page carries: the registry
   * (tend-record-types.c) keeps every record class referenced, so peeking
   * takes no lock; a class outside it is referenced once. */
  klass = g_type_class_peek_static (type);
  if (klass != NULL)
    return klass->policy;
  klass = g_type_class_ref (type);
  policy = klass->policy;
  g_type_class_unref (klass);
  return policy;
}

static gboolean check_chart (const TendRecordPolicy *p,
                             TendPolicyActor        *actor,
                             TendRecord             *stored,
                             TendRecord             *record,
                             GError                **error);

static gboolean
role_can (TendRole role,
          int      permission)
{
  return permission >= 0 && tend_role_can (role, (TendPermission) permission);
}

/**
 * tend_record_policy_read_access:
 *
 * What @role reads of records of @type: all of it, the redacted members
 * only, or nothing (such records are not even sent).
 */
TendReadAccess
tend_record_policy_read_access (GType    type,
                                TendRole role)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);

  if (p == NULL)
    return TEND_READ_NONE;
  if (role_can (role, (int) p->read))
    return TEND_READ_FULL;
  if (role_can (role, p->read_redacted))
    return TEND_READ_REDACTED;
  return TEND_READ_NONE;
}

gboolean
tend_record_policy_is_clinical (GType type)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);

  return p != NULL && p->clinical;
}

/* Whether @role writes @type as its full writer (read and write) rather
 * than through the narrower extra right. */
static gboolean
full_writer (const TendRecordPolicy *p,
             TendRole                role)
{
  return role_can (role, (int) p->read) && role_can (role, (int) p->write);
}

/**
 * tend_record_policy_may_write_type:
 *
 * Whether @role may write some records of @type: fully, or through the
 * type's extra writer right (whose record-level rule then decides).
 */
gboolean
tend_record_policy_may_write_type (GType    type,
                                   TendRole role)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);

  return p != NULL && (full_writer (p, role) || role_can (role, p->write_also));
}

/**
 * tend_record_policy_needs_stored:
 *
 * Whether checking a write of @type needs the stored record (it has rules
 * of its own or freezes): callers that write often skip loading it otherwise.
 */
gboolean
tend_record_policy_needs_stored (GType type)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);

  return p != NULL && (p->check != NULL || p->frozen_by != NULL || p->chart_client != NULL);
}

gboolean
tend_policy_deny (GError    **error,
                  const char *message)
{
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED, message);
  return FALSE;
}

/**
 * tend_policy_check_bytes_held:
 * @stored_sha256: (nullable): what the stored version names
 * @sha256: what the new version names
 *
 * A record that names bytes by their SHA-256 (a document, a shared bill)
 * must name bytes already held (on the server, by the same practice), or
 * every reader fails to fetch them.  Unchanged bytes, or an actor that
 * cannot look (no has_blob), pass.
 */
gboolean
tend_policy_check_bytes_held (TendPolicyActor *actor,
                              const char      *stored_sha256,
                              const char      *sha256,
                              GError         **error)
{
  g_autoptr(GError) local = NULL;
  gboolean held;

  if (actor->has_blob == NULL || (stored_sha256 != NULL && g_strcmp0 (sha256, stored_sha256) == 0))
    return TRUE;
  held = actor->has_blob (actor, sha256, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!held)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("The document’s contents have not been uploaded: send the file first"));
      return FALSE;
    }
  return TRUE;
}

/**
 * tend_policy_actor_load:
 *
 * Returns: (transfer full) (nullable): the live stored record, or %NULL
 *   (with @error set only when the lookup itself failed)
 */
TendRecord *
tend_policy_actor_load (TendPolicyActor *actor,
                        GType            type,
                        const char      *id,
                        GError         **error)
{
  if (actor->load == NULL || id == NULL)
    return NULL;
  return actor->load (actor, type, id, error);
}

/**
 * tend_policy_require_live:
 * @message: the refusal when there is no such record
 *
 * A rule's "@id names a live record of @type in this practice": the
 * store's or the server's lookup (the server's is the practice's only).
 * An actor that cannot look (no load) passes.
 *
 * Returns: %FALSE with @error set when there is no such record or the
 *   lookup failed
 */
gboolean
tend_policy_require_live (TendPolicyActor *actor,
                          GType            type,
                          const char      *id,
                          const char      *message,
                          GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(TendRecord) found = NULL;

  if (actor->load == NULL)
    return TRUE;
  found = tend_policy_actor_load (actor, type, id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return found != NULL || tend_policy_deny (error, message);
}

/* The references every type's writes must keep within the practice: a
 * client or payer named by a record is a live record the writer's store
 * (for tend-server, the practice) holds.  Checked when the reference is
 * new or changed, so a record stored before the rule can still be edited. */
static const struct
{
  const char *member;
  GType     (*type) (void);
} practice_references[] = {
  { "client_id", tend_client_get_type },
  { "payer_id", tend_payer_get_type },
};

static gboolean
check_references (TendPolicyActor *actor,
                  TendRecord      *stored,
                  TendRecord      *record,
                  GError         **error)
{
  if (record == NULL || actor->load == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (practice_references); i++)
    {
      const char *member = practice_references[i].member;
      const TendField *f = tend_record_find_field (record, member);
      const char *id;
      g_autofree char *message = NULL;

      if (f == NULL || f->kind != TEND_FIELD_UUID ||
          (id = tend_record_get_string (record, member)) == NULL ||
          (stored != NULL && g_strcmp0 (tend_record_get_string (stored, member), id) == 0))
        continue;
      /* TRANSLATORS: %s is a field's name, such as "Client" or "Payer" */
      message = g_strdup_printf (_("%s: there is no such record in this practice."), _(f->label));
      if (!tend_policy_require_live (actor, practice_references[i].type (), id, message, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
member_set (TendRecord *record,
            const char *name)
{
  const TendField *f = tend_record_find_field (record, name);

  return f != NULL && tend_record_get_string (record, name) != NULL;
}

/* A frozen record: only @frozen_except may change, and each only from
 * unset to set. */
static gboolean
check_frozen (const TendRecordPolicy *p,
              TendRecord             *stored,
              TendRecord             *record,
              GError                **error)
{
  g_autoptr(JsonNode) old_node = NULL;
  g_autoptr(JsonNode) new_node = NULL;

  if (record == NULL)
    goto frozen;
  for (guint i = 0; p->frozen_except != NULL && p->frozen_except[i] != NULL; i++)
    if (member_set (stored, p->frozen_except[i]) &&
        g_strcmp0 (tend_record_get_string (stored, p->frozen_except[i]),
                   tend_record_get_string (record, p->frozen_except[i])) != 0)
      goto frozen;
  old_node = tend_record_serialize_body (stored);
  new_node = tend_record_serialize_body (record);
  for (guint i = 0; p->frozen_except != NULL && p->frozen_except[i] != NULL; i++)
    {
      json_object_remove_member (json_node_get_object (old_node), p->frozen_except[i]);
      json_object_remove_member (json_node_get_object (new_node), p->frozen_except[i]);
    }
  if (json_node_equal (old_node, new_node))
    return TRUE;

frozen:
  g_set_error_literal (error, TEND_ERROR, TEND_ERROR_IMMUTABLE,
                       _("This record is signed and can no longer change: add an addendum"));
  return FALSE;
}

static gboolean
client_owns (const TendRecordPolicy *p,
             TendPolicyActor        *actor,
             TendRecord             *record,
             GError                **error)
{
  if (p->client->owns != NULL)
    return p->client->owns (actor, record, error);
  return tend_policy_client_owns_member (actor, record, error);
}

/* A client's write: their own record (before and after), of a type they
 * may write, as the type's rule allows.  Nothing of the role matrix. */
static gboolean
check_client_write (const TendRecordPolicy *p,
                    TendPolicyActor        *actor,
                    TendRecord             *stored,
                    TendRecord             *record,
                    GError                **error)
{
  g_autoptr(GError) local = NULL;

  if (p->client == NULL || p->client->check == NULL || record == NULL)
    return tend_policy_deny (error, _("Clients may not change this record."));
  if ((stored != NULL && !client_owns (p, actor, stored, &local)) ||
      (local == NULL && !client_owns (p, actor, record, &local)))
    {
      if (local != NULL && local->domain != TEND_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return tend_policy_deny (error, _("This record is not yours."));
    }
  return p->client->check (actor, stored, record, error);
}

/**
 * tend_policy_client_owns_member:
 *
 * The default of #TendClientAccess.owns: the record's "client_id" member
 * is the signed-in client.
 */
gboolean
tend_policy_client_owns_member (TendPolicyActor *actor,
                                TendRecord      *record,
                                GError         **error)
{
  return actor->client_id != NULL &&
         g_strcmp0 (tend_record_get_string (record, "client_id"), actor->client_id) == 0;
}

/**
 * tend_record_policy_client_may_read:
 * @actor: a client (its client_id set)
 *
 * Whether the signed-in client may read @record: its type gives clients
 * access, and the record is theirs.  %FALSE with @error set only when a
 * lookup failed.
 */
gboolean
tend_record_policy_client_may_read (TendPolicyActor *actor,
                                    TendRecord      *record,
                                    GError         **error)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (G_OBJECT_TYPE (record));

  g_return_val_if_fail (actor != NULL && actor->client_id != NULL, FALSE);
  if (p == NULL || p->client == NULL || tend_record_get_deleted (record))
    return FALSE;
  return client_owns (p, actor, record, error);
}

/**
 * tend_record_policy_client_view:
 *
 * What a client reads of @record (one they may read): its id, version and
 * the members the type's client access keeps.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
tend_record_policy_client_view (TendRecord *record)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (G_OBJECT_TYPE (record));
  g_autoptr(JsonNode) body = tend_record_serialize_body (record);
  JsonObject *src = json_node_get_object (body);
  JsonObject *dst = json_object_new ();
  JsonNode *out = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (dst, "id", tend_record_get_id (record));
  json_object_set_int_member (dst, "version", tend_record_get_version (record));
  for (guint i = 0; p != NULL && p->client != NULL && p->client->keep != NULL && p->client->keep[i] != NULL; i++)
    {
      JsonNode *m = json_object_get_member (src, p->client->keep[i]);

      if (m != NULL)
        json_object_set_member (dst, p->client->keep[i], json_node_copy (m));
    }
  json_node_take_object (out, dst);
  return out;
}

/**
 * tend_policy_only_changed:
 * @may_change: (array zero-terminated=1): top-level members that may differ
 *
 * Whether @record equals @stored but for @may_change.
 */
gboolean
tend_policy_only_changed (TendRecord         *stored,
                          TendRecord         *record,
                          const char * const *may_change)
{
  g_autoptr(JsonNode) old_node = tend_record_serialize_body (stored);
  g_autoptr(JsonNode) new_node = tend_record_serialize_body (record);

  for (guint i = 0; may_change[i] != NULL; i++)
    {
      json_object_remove_member (json_node_get_object (old_node), may_change[i]);
      json_object_remove_member (json_node_get_object (new_node), may_change[i]);
    }
  return json_node_equal (old_node, new_node);
}

/**
 * tend_record_policy_check_write:
 * @actor: who writes (never the system: callers skip the check for it)
 * @stored: (nullable): the live stored record (needed when
 *   tend_record_policy_needs_stored() says so)
 * @record: (nullable): the new body, or %NULL for a deletion
 *
 * The whole policy for one write: the role's right to write the type (or
 * its extra writer right), the freeze of signed records, and the type's
 * record-level rules.  Denials are %TEND_ERROR_PERMISSION_DENIED, writes
 * to frozen records %TEND_ERROR_IMMUTABLE.
 */
gboolean
tend_record_policy_check_write (TendPolicyActor *actor,
                                GType            type,
                                TendRecord      *stored,
                                TendRecord      *record,
                                GError         **error)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);
  gboolean extra;

  g_return_val_if_fail (actor != NULL, FALSE);
  if (p == NULL)
    return tend_policy_deny (error, _("Records of this type cannot be written."));
  if (actor->client_id != NULL)
    return check_client_write (p, actor, stored, record, error);
  extra = !full_writer (p, actor->role);
  if (extra && !role_can (actor->role, p->write_also))
    {
      g_set_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                   _("Your role (%s) may not change this record."), tend_role_get_label (actor->role));
      return FALSE;
    }
  /* An extra writer's right is exactly what the type's rule allows. */
  if (extra && p->check == NULL)
    return tend_policy_deny (error, _("Your role may not change this record."));
  if (p->frozen_by != NULL && stored != NULL && member_set (stored, p->frozen_by) &&
      !check_frozen (p, stored, record, error))
    return FALSE;
  if (!check_chart (p, actor, stored, record, error))
    return FALSE;
  if (!check_references (actor, stored, record, error))
    return FALSE;
  if (p->check != NULL && !p->check (actor, extra, stored, record, error))
    return FALSE;
  return TRUE;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

gboolean
tend_record_policy_has_audience (GType type)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);

  return p != NULL && p->audience != NULL;
}

/**
 * tend_record_policy_audience:
 * @record: a record whose type has an audience (a live body)
 *
 * The staff who receive @record, for a type only some readers receive.
 *
 * Returns: (transfer full) (nullable): the staff ids, sorted (possibly
 *   none); %NULL with @error set when a lookup failed
 */
char **
tend_record_policy_audience (TendPolicyActor *actor,
                             TendRecord      *record,
                             GError         **error)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (G_OBJECT_TYPE (record));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (p != NULL && p->audience != NULL, NULL);
  if (!p->audience (actor, record, ids, error))
    return NULL;
  g_ptr_array_sort (ids, compare_ids);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

/**
 * tend_record_policy_redact:
 *
 * Leaves in @record only what a redacted reader of its type receives.
 */
void
tend_record_policy_redact (TendRecord *record)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (G_OBJECT_TYPE (record));
  static const char * const nothing[] = { NULL };

  tend_record_keep_only (record, p != NULL && p->redacted_keep != NULL ? p->redacted_keep : nothing);
}

/**
 * tend_record_policy_redact_body:
 * @body: a stored body (JSON text)
 *
 * The redacted copy of a stored body, as the server sends it: only the
 * top-level members named (or holding a dotted name) in the type's
 * @redacted_keep.
 *
 * Returns: (transfer full) (nullable): the body, or %NULL when @body is
 *   not a JSON object
 */
char *
tend_record_policy_redact_body (GType       type,
                                const char *body)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(JsonNode) out = json_node_new (JSON_NODE_OBJECT);
  JsonObject *src, *dst = json_object_new ();

  json_node_take_object (out, dst);
  if (!json_parser_load_from_data (parser, body, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  src = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; p != NULL && p->redacted_keep != NULL && p->redacted_keep[i] != NULL; i++)
    {
      const char *name = p->redacted_keep[i];
      const char *dot = strchr (name, '.');
      g_autofree char *top = dot != NULL ? g_strndup (name, (gsize) (dot - name)) : g_strdup (name);
      JsonNode *m = json_object_get_member (src, top);

      if (m != NULL && !json_object_has_member (dst, top))
        json_object_set_member (dst, top, json_node_copy (m));
    }
  return json_to_string (out, FALSE);
}

/**
 * tend_record_policy_chart_member:
 *
 * Returns: (nullable): the member of @type that names the client whose
 *   chart holds a record, or %NULL when @type is not chart content
 */
const char *
tend_record_policy_chart_member (GType type)
{
  const TendRecordPolicy *p = tend_record_type_get_policy (type);

  return p != NULL ? p->chart_client : NULL;
}

/**
 * tend_record_policy_chart_client:
 *
 * Returns: (nullable): the client whose chart holds @record, or %NULL when
 *   its type is not chart content (or it is a tombstone)
 */
const char *
tend_record_policy_chart_client (TendRecord *record)
{
  const char *member = tend_record_policy_chart_member (G_OBJECT_TYPE (record));

  return member != NULL ? tend_record_get_string (record, member) : NULL;
}

/**
 * tend_record_policy_chart_restricted:
 *
 * Whether @role reads chart content only of the clients it is on (their
 * own, assigned, covering, supervising, or with the glass broken):
 * clinicians and supervisors.  Owners read every chart; billers read what
 * claims need of every chart (redacted), the front desk none, as their
 * role says.
 */
gboolean
tend_record_policy_chart_restricted (TendRole role)
{
  return role == TEND_ROLE_CLINICIAN || role == TEND_ROLE_SUPERVISOR;
}

/**
 * tend_record_policy_chart_types:
 *
 * Returns: (transfer full): the wire names of the chart content types
 */
char **
tend_record_policy_chart_types (void)
{
  const char * const *names = tend_record_list_type_names ();
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    if (tend_record_policy_chart_member (tend_record_type_from_name (names[i])) != NULL)
      g_ptr_array_add (out, g_strdup (names[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* Chart content: a clinician writes it only for a client whose chart they
 * may read, before (the stored record's client) and after. */
static gboolean
check_chart (const TendRecordPolicy *p,
             TendPolicyActor        *actor,
             TendRecord             *stored,
             TendRecord             *record,
             GError                **error)
{
  TendRecord *both[] = { stored, record };

  if (p->chart_client == NULL || actor->may_read_chart == NULL ||
      !tend_record_policy_chart_restricted (actor->role))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (both); i++)
    {
      const char *client_id = both[i] != NULL ? tend_record_get_string (both[i], p->chart_client) : NULL;
      g_autoptr(GError) local = NULL;

      if (client_id == NULL || actor->may_read_chart (actor, client_id, &local))
        continue;
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return tend_policy_deny (error, _("You don’t have access to this client’s chart."));
    }
  return TRUE;
}

/**
 * tend_record_policy_readable_types:
 *
 * Returns: (transfer full): the wire names of the types @role receives,
 *   whole or redacted
 */
char **
tend_record_policy_readable_types (TendRole role)
{
  const char * const *names = tend_record_list_type_names ();
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    if (tend_record_policy_read_access (tend_record_type_from_name (names[i]), role) != TEND_READ_NONE)
      g_ptr_array_add (out, g_strdup (names[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/**
 * tend_record_policy_error_code:
 *
 * The push result code for a refused write (docs/api.md).
 */
const char *
tend_record_policy_error_code (const GError *error)
{
  if (error == NULL || error->domain != TEND_ERROR)
    return "invalid";
  switch (error->code)
    {
    case TEND_ERROR_PERMISSION_DENIED:
    case TEND_ERROR_NO_CHART_ACCESS:
      return "forbidden";
    case TEND_ERROR_IMMUTABLE:
      return "immutable";
    case TEND_ERROR_NOT_FOUND:
      return "not_found";
    default:
      return "invalid";
    }
}

/*
 * JSON that survives a round trip.
 *
 * json-glib 1.6 reads some valid JSON into values it cannot write back: a
 * double such as 1e21 is written "1e+21.0" and infinity (from 1e400)
 * "inf.0", neither of which is JSON; "\u0000" ends a string early; an
 * integer beyond 64 bits is read as -1 or wraps.  Whatever is kept
 * verbatim from outside input (unknown members, JSON fields) and later
 * written out must be refused before it is stored, or it breaks every
 * reader of the change feed.  The text check finds what the parsed tree
 * cannot show (NUL, overflowing integers); the node check finds numbers
 * that would be written back as something else.
 */

/**
 * tend_json_text_check:
 * @max_depth: the deepest nesting of arrays and objects accepted
 * @offset: (out) (optional): where the problem starts, in bytes
 *
 * One pass over JSON text for what json-glib would not refuse or not keep:
 * nesting deeper than @max_depth (its parser recurses), an escape that is
 * not JSON (its scanner takes "\\345" for an octal escape, which 1.6 makes a
 * byte that is not UTF-8 and 1.10 a valid character), "\\u0000" in a string,
 * integers outside 64 bits, numbers too large for a double.  Other syntax
 * errors are left to the parser.
 */
gboolean
tend_json_text_check (const char *data,
                      gsize       length,
                      guint       max_depth,
                      gsize      *offset,
                      GError    **error)
{
  guint depth = 0;
  gsize i = 0;

  while (i < length)
    {
      char c = data[i];

      if (c == '"')
        {
          for (i++; i < length && data[i] != '"'; i++)
            if (data[i] == '\\')
              {
                gboolean valid = i + 1 < length && strchr ("\"\\/bfnrtu", data[i + 1]) != NULL && data[i + 1] != '\0';

                if (valid && data[i + 1] == 'u')
                  {
                    for (gsize k = 2; valid && k <= 5; k++)
                      valid = i + k < length && g_ascii_isxdigit (data[i + k]);
                    if (valid && memcmp (data + i + 2, "0000", 4) == 0)
                      {
                        if (offset != NULL)
                          *offset = i;
                        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                                             _("A text holds a NUL character (\\u0000), which cannot be stored"));
                        return FALSE;
                      }
                  }
                if (!valid)
                  {
                    if (offset != NULL)
                      *offset = i;
                    g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                                         _("A text holds an escape that is not JSON (a backslash, then a digit, say)"));
                    return FALSE;
                  }
                i++;
              }
          i++;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              if (offset != NULL)
                *offset = i;
              g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("The JSON nests deeper than %u levels"), max_depth);
              return FALSE;
            }
          i++;
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
          i++;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i;
          gboolean is_float = FALSE;
          char token[400];
          gsize n;

          while (i < length && (g_ascii_isdigit (data[i]) || data[i] == '-' || data[i] == '+' ||
                                data[i] == '.' || data[i] == 'e' || data[i] == 'E'))
            {
              is_float |= data[i] == '.' || data[i] == 'e' || data[i] == 'E';
              i++;
            }
          n = i - start;
          if (n >= sizeof token)
            goto bad_number;
          memcpy (token, data + start, n);
          token[n] = '\0';
          if (is_float)
            {
              char *end = NULL;
              double d = g_ascii_strtod (token, &end);

              if (end != token + n || !isfinite (d))
                goto bad_number;
            }
          else if (!g_ascii_string_to_signed (token, 10, G_MININT64, G_MAXINT64, NULL, NULL))
            goto bad_number;
          continue;

bad_number:
          if (offset != NULL)
            *offset = start;
          g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                       _("The number %.*s%s cannot be stored exactly: use a string for it"),
                       (int) MIN (n, 24), data + start, n > 24 ? "…" : "");
          return FALSE;
        }
      else
        i++;
    }
  return TRUE;
}

/**
 * tend_json_node_check:
 * @path: the member's name, for the message (inside objects, the
 *   innermost member's)
 *
 * Checks that every number in @node is below 10^17 in magnitude and is
 * written back by json-glib as the same number, in valid JSON.
 */
gboolean
tend_json_node_check (JsonNode   *node,
                      const char *path,
                      GError    **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &value))
        if (!tend_json_node_check (value, member, error))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0, n = json_array_get_length (array); i < n; i++)
        if (!tend_json_node_check (json_array_get_element (array, i), path, error))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      g_autofree char *text = NULL;
      g_autoptr(JsonParser) parser = NULL;
      JsonNode *back;

      /* json-glib 1.6 writes a double of 1e17 or more whose shortest form
       * has one digit ("1e+21") as "1e+21.0"; 1.10 writes it right.  The
       * rule must not depend on the version on one side (a workstation on
       * 1.6 would fail to read what a server on 1.10 kept), so such
       * magnitudes are refused everywhere: no record holds them. */
      if (isfinite (d) && fabs (d) < 1e17)
        {
          text = json_to_string (node, FALSE);
          parser = json_parser_new_immutable ();
          if (json_parser_load_from_data (parser, text, -1, NULL) &&
              JSON_NODE_HOLDS_VALUE (back = json_parser_get_root (parser)) &&
              json_node_get_value_type (back) == G_TYPE_DOUBLE && json_node_get_double (back) == d)
            return TRUE;
        }
      g_set_error (error, TEND_ERROR, TEND_ERROR_INVALID,
                   _("“%s”: a number that cannot be stored exactly (%g): use a string for it"), path, d);
      return FALSE;
    }
  return TRUE;
}
