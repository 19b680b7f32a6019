/* tend-server-accounts.c: the practice's accounts, managed by its owner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   GET   /v1/accounts         the practice's accounts
 *   POST  /v1/accounts         a new account for an existing staff record
 *   PATCH /v1/accounts/{id}    role, active, password
 *
 * Only roles with MANAGE_STAFF (the owner) may use them, and only within
 * their own practice.  An owner cannot demote or deactivate themselves, so
 * a practice never locks out its last way in by accident.  Deactivating an
 * account or setting its password ends its sessions.  Password hashes and
 * TOTP secrets never leave the server.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tend-server-auth.h"
#include "tend-server-private.h"

#define PREFIX "/v1/accounts/"
#define MIN_PASSWORD 8

#define ACCOUNT_COLUMNS "id, email, display_name, role, staff_id, active, totp_secret IS NOT NULL"

static gboolean
require_owner (TendRequest *req)
{
  if (tend_role_can (req->principal.role, TEND_PERMISSION_MANAGE_STAFF))
    return TRUE;
  tend_request_error (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only the practice's owner manages accounts");
  return FALSE;
}

static void
add_account (JsonBuilder *b,
             PGresult    *res,
             int          row)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, PQgetvalue (res, row, 0));
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, PQgetvalue (res, row, 1));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, PQgetvalue (res, row, 2));
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, PQgetvalue (res, row, 3));
  json_builder_set_member_name (b, "staff_id");
  json_builder_add_string_value (b, PQgetvalue (res, row, 4));
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, tend_pg_get_bool (res, row, 5));
  json_builder_set_member_name (b, "totp");
  json_builder_add_boolean_value (b, tend_pg_get_bool (res, row, 6));
  json_builder_end_object (b);
}

static void
reply_account (TendRequest *req,
               guint        status,
               PGresult    *res)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  add_account (b, res, 0);
  tend_request_reply_node (req, status, json_builder_get_root (b));
}

/* A member that must be a string when present. */
static gboolean
optional_string (TendRequest *req,
                 JsonObject  *obj,
                 const char  *name,
                 const char **out)
{
  JsonNode *m = json_object_get_member (obj, name);

  *out = NULL;
  if (m == NULL || JSON_NODE_HOLDS_NULL (m))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“%s” must be a string", name);
      return FALSE;
    }
  *out = json_node_get_string (m);
  return TRUE;
}

static gboolean
check_password (TendRequest *req,
                const char  *password)
{
  if (password != NULL && (g_utf8_strlen (password, -1) < MIN_PASSWORD || strlen (password) > 1024))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "The password must have from %d to 1024 characters", MIN_PASSWORD);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_role (TendRequest *req,
            const char  *role)
{
  if (role != NULL && !tend_role_from_string (role, NULL))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "“role” must be owner, clinician, supervisor, front_desk or biller");
      return FALSE;
    }
  return TRUE;
}

void
tend_accounts_list_handler (TendRequest *req,
                            TendPgConn  *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const char *params[] = { req->principal.practice_id };

  if (!require_owner (req))
    return;
  res = tend_pg_exec (conn, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE practice_id = $1 ORDER BY lower (email)",
                      1, params, &error);
  if (res == NULL || !tend_request_audit (req, conn, "read-accounts", NULL, NULL, NULL, &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accounts");
  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (res); i++)
    add_account (b, res, i);
  json_builder_end_array (b);
  json_builder_end_object (b);
  tend_request_reply_node (req, SOUP_STATUS_OK, json_builder_get_root (b));
}

void
tend_accounts_create_handler (TendRequest *req,
                              TendPgConn  *conn)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  const char *email, *name, *role, *password, *staff_id;
  JsonObject *obj;

  if (!require_owner (req) || (root = tend_request_parse_body (req)) == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The body must be a JSON object");
      return;
    }
  obj = json_node_get_object (root);
  if (!optional_string (req, obj, "email", &email) || !optional_string (req, obj, "name", &name) ||
      !optional_string (req, obj, "role", &role) || !optional_string (req, obj, "password", &password) ||
      !optional_string (req, obj, "staff_id", &staff_id))
    return;
  if (email == NULL || name == NULL || role == NULL || password == NULL || staff_id == NULL)
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "email, name, role, password and staff_id are required");
      return;
    }
  if (!tend_email_is_valid (email))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“email” is not an email address");
      return;
    }
  if (*name == '\0' || g_utf8_strlen (name, -1) > 160 || !g_uuid_string_is_valid (staff_id))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                          "“name” must have 1 to 160 characters and “staff_id” must be a UUID");
      return;
    }
  if (!check_role (req, role) || !check_password (req, password))
    return;

  hash = tend_auth_hash_password (password);
  if (hash == NULL)
    {
      tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "internal", "Out of memory while hashing");
      return;
    }
  id = g_uuid_string_random ();
  {
    const char *params[] = { id, req->principal.practice_id, email, name, role, staff_id, hash };

    /* ON CONFLICT: emails are unique across practices (sign-in finds the
     * practice by email); "taken" says nothing about which practice. */
    res = tend_pg_exec (conn,
                        "INSERT INTO account (id, practice_id, email, display_name, role, staff_id, password_hash)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7)"
                        " ON CONFLICT ((lower (email))) DO NOTHING"
                        " RETURNING " ACCOUNT_COLUMNS,
                        7, params, &error);
  }
  if (res == NULL)
    {
      tend_request_db_error (req, error);
      return;
    }
  if (PQntuples (res) == 0)
    {
      tend_request_error (req, SOUP_STATUS_CONFLICT, "email_taken", "An account with this email already exists");
      return;
    }
  if (!tend_request_audit (req, conn, "create-account", "account", id, NULL, &error))
    {
      tend_request_db_error (req, error);
      return;
    }
  reply_account (req, SOUP_STATUS_CREATED, res);
}

void
tend_accounts_update_handler (TendRequest *req,
                              TendPgConn  *conn)
{
  const char *id = req->path + strlen (PREFIX);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *hash = NULL;
  const char *role, *password, *active_text = NULL;
  JsonObject *obj;
  JsonNode *active;
  gboolean self;

  if (!require_owner (req))
    return;
  if (!g_uuid_string_is_valid (id))
    {
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such account");
      return;
    }
  if ((root = tend_request_parse_body (req)) == NULL)
    return;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "The body must be a JSON object");
      return;
    }
  obj = json_node_get_object (root);
  if (!optional_string (req, obj, "role", &role) || !optional_string (req, obj, "password", &password) ||
      !check_role (req, role) || !check_password (req, password))
    return;
  active = json_object_get_member (obj, "active");
  if (active != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (active) || json_node_get_value_type (active) != G_TYPE_BOOLEAN)
        {
          tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", "“active” must be true or false");
          return;
        }
      active_text = json_node_get_boolean (active) ? "true" : "false";
    }
  self = g_strcmp0 (id, req->principal.account_id) == 0;
  if (self && ((role != NULL && strcmp (role, tend_role_to_string (req->principal.role)) != 0) ||
               g_strcmp0 (active_text, "false") == 0))
    {
      tend_request_error (req, SOUP_STATUS_BAD_REQUEST, "self_lockout",
                          "You cannot change your own role or deactivate yourself: ask another owner");
      return;
    }
  if (password != NULL && (hash = tend_auth_hash_password (password)) == NULL)
    {
      tend_request_error (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "internal", "Out of memory while hashing");
      return;
    }

  {
    const char *params[] = { id, req->principal.practice_id, role, active_text, hash };

    /* One statement: the change and, when the account is deactivated or
     * its password set, the end of its sessions (durably). */
    if (!tend_pg_run (conn, "BEGIN", &error) ||
        !tend_pg_run (conn, "SET LOCAL synchronous_commit = on", &error))
      goto db_error;
    res = tend_pg_exec (conn,
                        "WITH a AS (UPDATE account SET role = coalesce ($3, role),"
                        "             active = coalesce ($4::boolean, active),"
                        "             password_hash = coalesce ($5, password_hash)"
                        "           WHERE id = $1 AND practice_id = $2"
                        "           RETURNING " ACCOUNT_COLUMNS "),"
                        " s AS (DELETE FROM session WHERE account_id = $1 AND practice_id = $2"
                        "       AND ($4::boolean IS FALSE OR $5 IS NOT NULL))"
                        " SELECT * FROM a",
                        5, params, &error);
  }
  if (res == NULL)
    goto db_error;
  if (PQntuples (res) == 0)
    {
      tend_pg_rollback (conn);
      tend_request_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such account");
      return;
    }
  if (!tend_request_audit (req, conn, password != NULL ? "update-account-password" : "update-account",
                           "account", id, NULL, &error) ||
      !tend_pg_run (conn, "COMMIT", &error))
    goto db_error;
  reply_account (req, SOUP_STATUS_OK, res);
  return;

db_error:
  tend_pg_rollback (conn);
  tend_request_db_error (req, error);
}
