/* tend-insurance.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Policy records are the one source of truth for a client's insurance.
 * Two places still hold insurance as typed text: the client record's old
 * insurance.* members (written by Tend before policies were edited from the
 * client form and the chart, and still by older workstations), and the
 * insurance details of an intake form a client filled in through the
 * portal.  Each becomes a policy whose id is derived from where it came
 * from (the client, or the form), so every workstation makes the same
 * record, sync merges them, and "is it a policy yet?" is one lookup by id.
 * Until then it is a proposal: listed for the people who may write
 * policies, with the practice's payer whose name matches the text (case
 * and spacing ignored) when exactly one active payer does.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <string.h>

#include "tend-insurance.h"
#include "tend-store-private.h"

#define RECORD_COLUMNS "id, version, deleted, updated_at, body"
#define CONVERTED_META "insurance-converted"
/* Completed intake forms whose details name insurance. */
#define INTAKE_WITH_INSURANCE \
  "deleted = 0 AND status = 'completed' AND json_extract(body, '$.kind') = 'intake'" \
  " AND (json_extract(body, '$.details.\"insurance.payer\"') IS NOT NULL" \
  " OR json_extract(body, '$.details.\"insurance.member_number\"') IS NOT NULL" \
  " OR json_extract(body, '$.details.\"insurance.group_number\"') IS NOT NULL)"

void
tend_insurance_proposal_free (TendInsuranceProposal *p)
{
  if (p == NULL)
    return;
  g_free (p->client_id);
  g_free (p->source_id);
  g_free (p->received_at);
  g_free (p->payer_text);
  g_free (p->member);
  g_free (p->group);
  g_free (p->subscriber);
  g_free (p->relationship);
  g_free (p->payer_id);
  g_free (p->policy_id);
  g_free (p);
}

/* A name as compared: NFKC, case folded, runs of spaces as one, trimmed. */
static char *
name_key (const char *name)
{
  g_autofree char *norm = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = norm != NULL ? g_utf8_casefold (norm, -1) : NULL;
  g_auto(GStrv) words = folded != NULL ? g_strsplit_set (folded, " \t\n\r", -1) : NULL;
  GString *out = g_string_new (NULL);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (words[i][0] != '\0')
      {
        if (out->len > 0)
          g_string_append_c (out, ' ');
        g_string_append (out, words[i]);
      }
  return g_string_free (out, FALSE);
}

/**
 * tend_insurance_match_payer:
 * @name: a payer's name as someone typed it
 *
 * The practice's active payer whose name is @name, ignoring case, accents'
 * composition and spacing; %NULL when none or more than one is (a person
 * then picks).
 *
 * Returns: (transfer full) (nullable): the payer's id
 */
char *
tend_insurance_match_payer (TendStore  *store,
                            const char *name,
                            GError    **error)
{
  g_autoptr(GPtrArray) payers = NULL;
  g_autofree char *key = NULL;
  const char *found = NULL;

  if (name == NULL)
    return NULL;
  payers = tend_store_list (store, TEND_TYPE_PAYER, error);
  if (payers == NULL)
    return NULL;
  key = name_key (name);
  if (key[0] == '\0')
    return NULL;
  for (guint i = 0; i < payers->len; i++)
    {
      TendRecord *payer = g_ptr_array_index (payers, i);
      g_autofree char *other = name_key (tend_record_get_string (payer, "name") ?: "");

      if (!tend_record_get_int (payer, "active") || strcmp (key, other) != 0)
        continue;
      if (found != NULL)
        return NULL;  /* two payers of that name: a person chooses */
      found = tend_record_get_id (payer);
    }
  return g_strdup (found);
}

/* Whether a policy has the id @id, deleted or not: a policy made from a
 * proposal and later removed was still handled; or, with @sql, another
 * lookup by id (a dismissal). */
static int
row_exists (TendStore  *store,
            const char *sql,
            const char *id,
            GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return -1;
    }
  return rc == SQLITE_ROW;
}

/* Records of @type from @sql (RECORD_COLUMNS) with up to one text parameter. */
static GPtrArray *
query (TendStore  *store,
       GType       type,
       const char *sql,
       const char *param,
       GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, sql, error);

  if (stmt == NULL)
    return NULL;
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  return tend_store_collect_rows (store, type, stmt, FALSE, error);
}

/* "client id, newline, member number as compared": what a policy already
 * covers. */
static char *
member_key (const char *client_id,
            const char *member)
{
  g_autofree char *key = member != NULL ? name_key (member) : NULL;

  return key != NULL && key[0] != '\0' ? g_strconcat (client_id != NULL ? client_id : "", "\n", key, NULL) : NULL;
}

/* The member numbers the policies hold, by client (a set of member_key ()). */
static GHashTable *
held_members (GPtrArray *policies)
{
  GHashTable *held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < policies->len; i++)
    {
      char *key = member_key (tend_record_get_string (policies->pdata[i], "client_id"),
                              tend_record_get_string (policies->pdata[i], "member_id"));

      if (key != NULL)
        g_hash_table_add (held, key);
    }
  return held;
}

/* Makes a proposal from @get (the client record, or an intake form's
 * details), or %NULL when it names no insurance.  @get_string reads a
 * member by its client-record name. */
typedef const char *(*GetString) (gpointer    data,
                                  const char *name);

static const char *
record_get (gpointer    data,
            const char *name)
{
  return tend_record_get_string (data, name);
}

static const char *
details_get (gpointer    data,
             const char *name)
{
  JsonObject *obj = data;
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static TendInsuranceProposal *
proposal_new (GetString   get,
              gpointer    data,
              const char *client_id,
              const char *source_id,
              gboolean    from_intake)
{
  TendInsuranceProposal *p;

  if (get (data, "insurance.payer") == NULL && get (data, "insurance.member_number") == NULL &&
      get (data, "insurance.group_number") == NULL)
    return NULL;
  p = g_new0 (TendInsuranceProposal, 1);
  p->client_id = g_strdup (client_id);
  p->source_id = g_strdup (source_id);
  p->from_intake = from_intake;
  p->payer_text = g_strdup (get (data, "insurance.payer"));
  p->member = g_strdup (get (data, "insurance.member_number"));
  p->group = g_strdup (get (data, "insurance.group_number"));
  p->subscriber = g_strdup (get (data, "insurance.subscriber"));
  p->relationship = g_strdup (get (data, "insurance.subscriber_relationship"));
  p->policy_id = tend_record_derive_id ("tend-policy", source_id,
                                        from_intake ? "intake-insurance" : "client-insurance");
  return p;
}

/* Keeps @p in @out when it is not a policy yet: no policy has its id, and
 * none of the client's policies has its member number already. */
static gboolean
keep_if_pending (TendStore             *store,
                 TendInsuranceProposal *p,
                 GHashTable            *held,
                 GPtrArray             *out,
                 GError               **error)
{
  g_autoptr(TendInsuranceProposal) owned = p;
  g_autofree char *key = NULL;
  int exists;

  if (p == NULL)
    return TRUE;
  exists = row_exists (store, "SELECT 1 FROM policy WHERE id = ?1", p->policy_id, error);
  if (exists < 0)
    return FALSE;
  if (exists)
    return TRUE;
  /* Dismissed by someone who keeps insurance, here or on another computer. */
  {
    g_autofree char *dismissal = tend_insurance_dismissal_id_for (p->source_id, p->from_intake);

    exists = row_exists (store, "SELECT 1 FROM insurance_dismissal WHERE id = ?1 AND deleted = 0", dismissal, error);
  }
  if (exists < 0)
    return FALSE;
  if (exists)
    return TRUE;
  key = member_key (p->client_id, p->member);
  if (key != NULL && g_hash_table_contains (held, key))
    return TRUE;
  p->payer_id = tend_insurance_match_payer (store, p->payer_text, NULL);
  g_ptr_array_add (out, g_steal_pointer (&owned));
  return TRUE;
}

static gboolean
add_client_proposals (TendStore  *store,
                      GPtrArray  *clients,
                      GHashTable *held,
                      GPtrArray  *out,
                      GError    **error)
{
  for (guint i = 0; i < clients->len; i++)
    {
      TendRecord *c = g_ptr_array_index (clients, i);

      if (!keep_if_pending (store, proposal_new (record_get, c, tend_record_get_id (c), tend_record_get_id (c), FALSE),
                            held, out, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_intake_proposals (TendStore  *store,
                      GPtrArray  *forms,
                      GHashTable *held,
                      GPtrArray  *out,
                      GError    **error)
{
  for (guint i = 0; i < forms->len; i++)
    {
      TendRecord *form = g_ptr_array_index (forms, i);
      g_autoptr(JsonNode) details = NULL;
      TendInsuranceProposal *p;

      if (g_strcmp0 (tend_record_get_string (form, "kind"), "intake") != 0 ||
          g_strcmp0 (tend_record_get_string (form, "status"), "completed") != 0)
        continue;
      details = tend_record_dup_json (form, "details");
      if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
        continue;
      p = proposal_new (details_get, json_node_get_object (details), tend_record_get_string (form, "client_id"),
                        tend_record_get_id (form), TRUE);
      if (p != NULL)
        p->received_at = g_strdup (tend_record_get_string (form, "completed_at"));
      if (!keep_if_pending (store, p, held, out, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * tend_insurance_list_policies:
 *
 * A client's policies (ended ones too), by priority, then the newest
 * coverage first.
 *
 * Returns: (transfer container) (element-type TendPolicy): the policies,
 *   or %NULL on error
 */
GPtrArray *
tend_insurance_list_policies (TendStore  *store,
                              const char *client_id,
                              GError    **error)
{
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  /* Ended means before today in the practice's zone, as the chart says
   * (SQLite's date('now') is UTC's: evenings in the Americas it is
   * tomorrow already). */
  practice = tend_store_load_practice (store, NULL);
  zone = practice != NULL ? tend_practice_dup_zone (practice) : NULL;
  if (zone == NULL)
    zone = g_time_zone_new_local ();
  now = g_date_time_new_now (zone);
  today = g_date_time_format (now, "%Y-%m-%d");
  stmt = tend_store_prepare_cached (store,
                                    "SELECT " RECORD_COLUMNS " FROM policy WHERE client_id = ?1 AND deleted = 0"
                                    " ORDER BY coalesce(json_extract(body, '$.effective_to'), '9999') < ?2,"
                                    " CASE json_extract(body, '$.priority') WHEN 'primary' THEN 0"
                                    " WHEN 'secondary' THEN 1 ELSE 2 END,"
                                    " coalesce(json_extract(body, '$.effective_from'), '') DESC, rid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_TRANSIENT);
  return tend_store_collect_rows (store, TEND_TYPE_POLICY, stmt, FALSE, error);
}

/**
 * tend_insurance_list_pending:
 * @client_id: (nullable): one client, or %NULL for every client
 *
 * Insurance typed as text that is not a policy yet: the client's old
 * insurance.* members and the insurance details of intake forms the client
 * filled in, each with the payer matched by name when one is.  Every
 * client: a scan of the client table, for the one-time conversion.
 *
 * Returns: (transfer container) (element-type TendInsuranceProposal): the
 *   proposals, or %NULL on error
 */
GPtrArray *
tend_insurance_list_pending (TendStore  *store,
                             const char *client_id,
                             GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_insurance_proposal_free);
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GHashTable) held = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (client_id != NULL)
    {
      clients = query (store, TEND_TYPE_CLIENT, "SELECT " RECORD_COLUMNS " FROM client WHERE id = ?1 AND deleted = 0",
                       client_id, error);
      if (clients != NULL)
        forms = query (store, TEND_TYPE_PORTAL_FORM,
                       "SELECT " RECORD_COLUMNS " FROM portal_form WHERE client_id = ?1 AND deleted = 0"
                       " AND status = 'completed' ORDER BY rid", client_id, error);
      if (forms != NULL)
        policies = query (store, TEND_TYPE_POLICY,
                          "SELECT " RECORD_COLUMNS " FROM policy WHERE client_id = ?1 AND deleted = 0",
                          client_id, error);
    }
  else
    {
      clients = query (store, TEND_TYPE_CLIENT,
                       "SELECT " RECORD_COLUMNS " FROM client WHERE deleted = 0"
                       " AND json_extract(body, '$.insurance') IS NOT NULL ORDER BY rid", NULL, error);
      if (clients != NULL)
        forms = query (store, TEND_TYPE_PORTAL_FORM,
                       "SELECT " RECORD_COLUMNS " FROM portal_form WHERE " INTAKE_WITH_INSURANCE " ORDER BY rid",
                       NULL, error);
      if (forms != NULL)
        policies = query (store, TEND_TYPE_POLICY,
                          "SELECT " RECORD_COLUMNS " FROM policy WHERE deleted = 0", NULL, error);
    }
  if (policies == NULL)
    return NULL;
  held = held_members (policies);
  if (!add_client_proposals (store, clients, held, out, error) ||
      !add_intake_proposals (store, forms, held, out, error))
    return NULL;
  return g_steal_pointer (&out);
}

/**
 * tend_insurance_count_intake_pending:
 *
 * How many intake forms hold insurance details that are not a policy yet
 * (for the Billing page: "Insurance from intake awaiting review").
 *
 * Returns: the count (0 on error, with @error set)
 */
guint
tend_insurance_count_intake_pending (TendStore *store,
                                     GError   **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_insurance_proposal_free);
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GHashTable) held = NULL;

  forms = query (store, TEND_TYPE_PORTAL_FORM,
                 "SELECT " RECORD_COLUMNS " FROM portal_form WHERE " INTAKE_WITH_INSURANCE " ORDER BY rid", NULL, error);
  if (forms == NULL || forms->len == 0)
    return 0;
  /* Only those clients' policies. */
  policies = query (store, TEND_TYPE_POLICY,
                    "SELECT " RECORD_COLUMNS " FROM policy WHERE deleted = 0 AND client_id IN"
                    " (SELECT client_id FROM portal_form WHERE " INTAKE_WITH_INSURANCE ")", NULL, error);
  if (policies == NULL)
    return 0;
  held = held_members (policies);
  if (!add_intake_proposals (store, forms, held, out, error))
    return 0;
  return out->len;
}

/* The typed relationship as the policy's choice: "self" with no other
 * subscriber named; common words for a spouse or a child; else "other". */
static const char *
relationship_nick (const TendInsuranceProposal *p)
{
  static const char * const spouse[] = { "spouse", "wife", "husband", "partner", "cónyuge", "conyuge", "esposa", "esposo", NULL };
  static const char * const child[] = { "child", "son", "daughter", "hijo", "hija", NULL };
  g_autofree char *key = p->relationship != NULL ? name_key (p->relationship) : NULL;

  if (key == NULL || key[0] == '\0')
    return p->subscriber == NULL ? "self" : "other";
  if (strcmp (key, "self") == 0 || strcmp (key, "client") == 0 || strcmp (key, "yo") == 0 ||
      strcmp (key, "titular") == 0)
    return "self";
  if (g_strv_contains (spouse, key))
    return "spouse";
  if (g_strv_contains (child, key))
    return "child";
  return "other";
}

/**
 * tend_insurance_proposal_to_policy:
 *
 * A draft of the policy @proposal becomes (its derived id, the matched
 * payer if any, member and group numbers, the relationship and the
 * subscriber's name split at the last space; the first priority the
 * client's policies leave free).  Not saved and perhaps not valid yet (no
 * payer matched, no member number): a person completes it.
 *
 * Returns: (transfer full): a TendPolicy
 */
TendRecord *
tend_insurance_proposal_to_policy (TendStore                   *store,
                                   const TendInsuranceProposal *p)
{
  static const char * const priorities[] = { "primary", "secondary", "tertiary" };
  TendRecord *r = tend_record_new (TEND_TYPE_POLICY);
  g_autoptr(GPtrArray) held = query (store, TEND_TYPE_POLICY,
                                     "SELECT " RECORD_COLUMNS " FROM policy WHERE client_id = ?1 AND deleted = 0",
                                     p->client_id, NULL);
  const char *relationship = relationship_nick (p);

  tend_record_set_id (r, p->policy_id);
  tend_record_set_string (r, "client_id", p->client_id);
  if (p->payer_id != NULL)
    tend_record_set_string (r, "payer_id", p->payer_id);
  if (p->member != NULL)
    tend_record_set_string (r, "member_id", p->member);
  if (p->group != NULL)
    tend_record_set_string (r, "group_number", p->group);
  tend_record_set_string (r, "relationship", relationship);
  for (guint k = 0; k < G_N_ELEMENTS (priorities); k++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; held != NULL && i < held->len; i++)
        taken |= g_strcmp0 (tend_record_get_string (g_ptr_array_index (held, i), "priority"), priorities[k]) == 0;
      if (!taken || k == G_N_ELEMENTS (priorities) - 1)
        {
          tend_record_set_string (r, "priority", priorities[k]);
          break;
        }
    }
  if (strcmp (relationship, "self") != 0 && p->subscriber != NULL)
    {
      g_autofree char *name = g_strstrip (g_strdup (p->subscriber));
      char *space = strrchr (name, ' ');

      if (space != NULL)
        {
          *space = '\0';
          tend_record_set_string (r, "subscriber.given", g_strstrip (name));
          tend_record_set_string (r, "subscriber.family", space + 1);
        }
      else
        tend_record_set_string (r, "subscriber.family", name);
    }
  return r;
}

/**
 * tend_insurance_convert:
 * @n_converted: (out) (optional): how many policies were made
 *
 * The one-time conversion of the client records' old insurance.* members:
 * each whose payer matches one of the practice's payers by name (see
 * tend_insurance_match_payer ()) and that has a member number becomes a
 * policy, saved as the signed-in person (who must be allowed to write
 * policies), all in one transaction; the others stay proposals that the
 * client's Insurance section lists as needing a payer.  Intake forms are
 * not converted here: a person confirms those.  Done once per store (kept
 * in the store's meta table); a client record changed later by an older
 * workstation still shows as a proposal.
 *
 * Returns: %TRUE unless something could not be read or written
 */
gboolean
tend_insurance_convert (TendStore *store,
                        guint     *n_converted,
                        GError   **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *done = NULL;
  guint n = 0;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (n_converted != NULL)
    *n_converted = 0;
  done = tend_store_get_meta (store, CONVERTED_META);
  if (done != NULL)
    return TRUE;
  {
    g_autoptr(TendRecord) probe = tend_record_new (TEND_TYPE_POLICY);

    if (!tend_store_check_write (store, probe, error))
      return FALSE;
  }
  if (!tend_store_begin (store, error))
    return FALSE;
  pending = tend_insurance_list_pending (store, NULL, error);
  if (pending == NULL)
    goto fail;
  for (guint i = 0; i < pending->len; i++)
    {
      TendInsuranceProposal *p = g_ptr_array_index (pending, i);
      g_autoptr(TendRecord) policy = NULL;

      if (p->from_intake || p->payer_id == NULL || p->member == NULL)
        continue;
      policy = tend_insurance_proposal_to_policy (store, p);
      /* A subscriber the policy refuses (a relationship without a name)
       * stays a proposal for a person. */
      if (!tend_record_validate (policy, NULL))
        continue;
      if (!tend_store_save (store, policy, error))
        goto fail;
      n++;
    }
  if (!tend_store_set_meta (store, CONVERTED_META, "1", error) || !tend_store_commit (store, error))
    goto fail;
  if (n_converted != NULL)
    *n_converted = n;
  return TRUE;

fail:
  tend_store_rollback (store);
  return FALSE;
}

/**
 * tend_insurance_dismiss:
 * @proposal: insurance typed as text, not a policy yet
 *
 * Records that the signed-in person decided @proposal is not to become a
 * policy (an insurance_dismissal record in their name, now): it no longer
 * waits for review here or, once synced, anywhere.  Only those who keep
 * insurance may (the record policy, as for policies).
 *
 * Returns: %TRUE when saved
 */
gboolean
tend_insurance_dismiss (TendStore                   *store,
                        const TendInsuranceProposal *proposal,
                        GError                     **error)
{
  g_autoptr(TendInsuranceDismissal) dismissal = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (proposal != NULL, FALSE);
  dismissal = tend_insurance_dismissal_new (proposal->client_id, proposal->source_id, proposal->from_intake,
                                            tend_store_get_actor_id (store));
  return tend_store_save (store, TEND_RECORD (dismissal), error);
}
