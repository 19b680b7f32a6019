/* tend-server-admin.c: practices, accounts and housekeeping from the shell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   tend-server admin create-practice --name N --time-zone Z --owner-email E --owner-name "First Last"
 *                                     [--practice ID --staff-id ID]   (a practice moving from one computer)
 *   tend-server admin add-user --practice ID --email E --name "First Last" --role ROLE
 *   tend-server admin enable-totp --email E
 *   tend-server admin purge-tombstones --older-than-days N [--practice ID]
 *   tend-server admin verify-audit
 *   tend-server admin migrate
 *
 * Each takes --config FILE or --database CONNINFO.  Passwords come from
 * --password-file or the first line of standard input, never from an
 * argument (arguments are visible to every user in ps).  Results are
 * printed as one JSON object for scripts.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include <gio/gio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "tend-core.h"
#include "tend-server-admin.h"
#include "tend-server-auth.h"
#include "tend-server-config.h"
#include "tend-server-schema.h"
#include "tend-totp.h"

#define MIN_PASSWORD 8

typedef struct
{
  char *config;
  char *database;
  char *name;
  char *time_zone;
  char *owner_email;
  char *owner_name;
  char *password_file;
  char *practice;
  char *email;
  char *role;
  char *staff_id;
  int   older_than_days;
} AdminArgs;

static void
admin_args_clear (AdminArgs *a)
{
  g_free (a->config);
  g_free (a->database);
  g_free (a->name);
  g_free (a->time_zone);
  g_free (a->owner_email);
  g_free (a->owner_name);
  g_free (a->password_file);
  g_free (a->practice);
  g_free (a->email);
  g_free (a->role);
  g_free (a->staff_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdminArgs, admin_args_clear)

static TendPgConn *
connect_and_migrate (AdminArgs *a,
                     GError   **error)
{
  g_autoptr(TendServerConfig) config = tend_server_config_new ();
  g_autoptr(TendPgConn) conn = NULL;

  if (a->config != NULL && !tend_server_config_load_file (config, a->config, error))
    return NULL;
  if (a->database != NULL)
    {
      g_free (config->database);
      config->database = g_strdup (a->database);
    }
  if (config->database == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "No database: give --database CONNINFO or --config FILE");
      return NULL;
    }
  conn = tend_pg_conn_open (config->database, error);
  if (conn == NULL || !tend_server_schema_migrate (conn, NULL, error))
    return NULL;
  return g_steal_pointer (&conn);
}

static char *
read_password (const char *path,
               GError    **error)
{
  char *text = tend_read_secret_line (path, error);

  if (text == NULL)
    return NULL;
  if (g_utf8_strlen (text, -1) < MIN_PASSWORD || strlen (text) > 1024)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The password must have from %d to 1024 characters (read from %s)",
                   MIN_PASSWORD, path != NULL ? path : "standard input");
      tend_secret_free (text);
      return NULL;
    }
  return text;
}

static gboolean
split_name (const char *name,
            char      **given,
            char      **family,
            GError    **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (name != NULL ? name : ""));
  char *space = strrchr (copy, ' ');

  if (space == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Give the person's first and last name (\"Maya Okafor\")");
      return FALSE;
    }
  *space = '\0';
  *given = g_strstrip (g_strdup (copy));
  *family = g_strdup (space + 1);
  return TRUE;
}

/* A record written by the server itself, version 1, with its sequence. */
static gboolean
write_record (TendPgConn  *conn,
              const char  *practice_id,
              TendRecord  *record,
              GError     **error)
{
  g_autofree char *body = NULL;
  g_autoptr(PGresult) seq = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *params1[] = { practice_id };

  if (!tend_record_validate (record, error))
    return FALSE;
  body = tend_record_to_body_string (record);
  seq = tend_pg_exec (conn, "UPDATE practice SET seq = seq + 1 WHERE id = $1 RETURNING seq", 1, params1, error);
  if (seq == NULL)
    return FALSE;
  {
    const char *params[] = { practice_id, tend_record_get_type_name (record), tend_record_get_id (record),
                             PQgetvalue (seq, 0, 0), body };

    res = tend_pg_exec (conn,
                        "INSERT INTO record (practice_id, type, id, version, seq, body)"
                        " VALUES ($1, $2, $3, 1, $4::bigint, $5)",
                        5, params, error);
  }
  return res != NULL;
}

static gboolean
audit (TendPgConn  *conn,
       const char  *practice_id,
       const char  *action,
       const char  *record_type,
       const char  *record_id,
       GError     **error)
{
  const char *params[] = { practice_id, action, record_type, record_id };
  g_autoptr(PGresult) res = tend_pg_exec (conn,
                                          "INSERT INTO audit (practice_id, action, record_type, record_id, detail)"
                                          " VALUES ($1, $2, $3, $4, 'tend-server admin')",
                                          4, params, error);
  return res != NULL;
}

/* The account and its staff record, inside the caller's transaction. */
static gboolean
create_account (TendPgConn  *conn,
                const char  *practice_id,
                const char  *email,
                const char  *name,
                TendRole     role,
                const char  *existing_staff_id,
                const char  *password,
                char       **account_id_out,
                char       **staff_id_out,
                GError     **error)
{
  g_autofree char *given = NULL;
  g_autofree char *family = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *account_id = g_uuid_string_random ();
  g_autofree char *staff_id = NULL;
  g_autoptr(PGresult) res = NULL;

  if (!tend_email_is_valid (email))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The email address is not valid");
      return FALSE;
    }
  if (!split_name (name, &given, &family, error))
    return FALSE;
  hash = tend_auth_hash_password (password);
  if (hash == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Out of memory while hashing the password");
      return FALSE;
    }
  if (existing_staff_id != NULL)
    {
      if (!g_uuid_string_is_valid (existing_staff_id))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--staff-id must be a UUID");
          return FALSE;
        }
      staff_id = g_strdup (existing_staff_id);
    }
  else
    {
      g_autoptr(TendStaff) staff = tend_staff_new (given, family, role);

      staff_id = g_uuid_string_random ();
      tend_record_set_id (TEND_RECORD (staff), staff_id);
      tend_record_set_string (TEND_RECORD (staff), "email", email);
      if (!write_record (conn, practice_id, TEND_RECORD (staff), error) ||
          !audit (conn, practice_id, "create-staff", "staff", staff_id, error))
        return FALSE;
    }
  {
    g_autofree char *display = g_strdup_printf ("%s %s", given, family);
    const char *params[] = { account_id, practice_id, email, display, tend_role_to_string (role), staff_id, hash };

    res = tend_pg_exec (conn,
                        "INSERT INTO account (id, practice_id, email, display_name, role, staff_id, password_hash)"
                        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        7, params, error);
  }
  if (res == NULL)
    {
      g_prefix_error (error, "Cannot create the account (is the email already in use?): ");
      return FALSE;
    }
  if (!audit (conn, practice_id, "create-account", "account", account_id, error))
    return FALSE;
  *account_id_out = g_steal_pointer (&account_id);
  *staff_id_out = g_steal_pointer (&staff_id);
  return TRUE;
}

static int
create_practice (AdminArgs *a,
                 GError   **error)
{
  g_autoptr(TendPgConn) conn = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *password = NULL;
  g_autofree char *practice_id = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *staff_id = NULL;
  g_autoptr(PGresult) res = NULL;

  if (a->name == NULL || a->time_zone == NULL || a->owner_email == NULL || a->owner_name == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "create-practice needs --name, --time-zone, --owner-email and --owner-name");
      return 2;
    }
  /* A practice that began on one computer without a server keeps its own
   * practice record and its owner's staff record: the server takes their
   * ids and writes neither, and that computer's first sync brings both
   * (Tend's Move to a Server shows this command with the ids filled in).
   * Otherwise the server would hold two practice records for one practice. */
  if ((a->practice != NULL) != (a->staff_id != NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A moving practice needs both --practice and --staff-id");
      return 2;
    }
  if (a->practice != NULL && !g_uuid_string_is_valid (a->practice))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--practice must be a UUID");
      return 2;
    }
  practice_id = a->practice != NULL ? g_ascii_strdown (a->practice, -1) : g_uuid_string_random ();
  practice = tend_practice_new (a->name, a->time_zone);
  tend_record_set_id (TEND_RECORD (practice), practice_id);
  if (!tend_record_validate (TEND_RECORD (practice), error))
    return 2;
  password = read_password (a->password_file, error);
  if (password == NULL)
    return 2;
  conn = connect_and_migrate (a, error);
  if (conn == NULL)
    return 1;

  if (!tend_pg_run (conn, "BEGIN", error))
    return 1;
  {
    const char *params[] = { practice_id, a->name, a->time_zone };

    res = tend_pg_exec (conn, "INSERT INTO practice (id, name, time_zone) VALUES ($1, $2, $3)", 3, params, error);
  }
  if (res == NULL ||
      (a->practice == NULL && !write_record (conn, practice_id, TEND_RECORD (practice), error)) ||
      !audit (conn, practice_id, a->practice != NULL ? "create-practice-for-move" : "create-practice",
              "practice", practice_id, error) ||
      !create_account (conn, practice_id, a->owner_email, a->owner_name, TEND_ROLE_OWNER, a->staff_id, password,
                       &account_id, &staff_id, error) ||
      !tend_pg_run (conn, "COMMIT", error))
    {
      tend_pg_rollback (conn);
      sodium_memzero (password, strlen (password));
      return 1;
    }
  sodium_memzero (password, strlen (password));
  g_print ("{\"practice_id\":\"%s\",\"account_id\":\"%s\",\"staff_id\":\"%s\"}\n",
           practice_id, account_id, staff_id);
  return 0;
}

static int
add_user (AdminArgs *a,
          GError   **error)
{
  g_autoptr(TendPgConn) conn = NULL;
  g_autofree char *password = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *staff_id = NULL;
  g_autoptr(PGresult) res = NULL;
  TendRole role;

  if (a->practice == NULL || a->email == NULL || a->name == NULL || a->role == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "add-user needs --practice, --email, --name and --role");
      return 2;
    }
  if (!tend_role_from_string (a->role, &role))
    {
      g_autofree char *roles = g_strjoinv (", ", (char **) tend_role_get_nicks ());

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--role must be one of %s", roles);
      return 2;
    }
  if (!g_uuid_string_is_valid (a->practice))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--practice must be a practice id (a UUID)");
      return 2;
    }
  password = read_password (a->password_file, error);
  if (password == NULL)
    return 2;
  conn = connect_and_migrate (a, error);
  if (conn == NULL)
    return 1;
  if (!tend_pg_run (conn, "BEGIN", error))
    return 1;
  {
    const char *params[] = { a->practice };

    res = tend_pg_exec (conn, "SELECT 1 FROM practice WHERE id = $1 FOR UPDATE", 1, params, error);
  }
  if (res != NULL && PQntuples (res) == 0)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No practice has this id");
  if (res == NULL || PQntuples (res) == 0 ||
      !create_account (conn, a->practice, a->email, a->name, role, a->staff_id, password,
                       &account_id, &staff_id, error) ||
      !tend_pg_run (conn, "COMMIT", error))
    {
      tend_pg_rollback (conn);
      sodium_memzero (password, strlen (password));
      return 1;
    }
  sodium_memzero (password, strlen (password));
  g_print ("{\"account_id\":\"%s\",\"staff_id\":\"%s\"}\n", account_id, staff_id);
  return 0;
}

static int
enable_totp (AdminArgs *a,
             GError   **error)
{
  g_autoptr(TendPgConn) conn = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *secret32 = NULL;
  g_autofree char *email = NULL;
  guint8 secret[20];

  if (a->email == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "enable-totp needs --email");
      return 2;
    }
  conn = connect_and_migrate (a, error);
  if (conn == NULL)
    return 1;
  randombytes_buf (secret, sizeof secret);
  hex = tend_auth_bytea_hex (secret, sizeof secret);
  secret32 = tend_base32_encode (secret, sizeof secret);
  sodium_memzero (secret, sizeof secret);
  email = g_utf8_strdown (a->email, -1);
  {
    const char *params[] = { email, hex };

    res = tend_pg_exec (conn,
                        "UPDATE account SET totp_secret = $2::bytea WHERE lower (email) = $1 RETURNING practice_id, id",
                        2, params, error);
  }
  if (res == NULL)
    return 1;
  if (PQntuples (res) != 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No account has this email");
      return 1;
    }
  if (!audit (conn, PQgetvalue (res, 0, 0), "enable-totp", "account", PQgetvalue (res, 0, 1), error))
    return 1;
  /* The secret goes to the administrator's terminal once, for the person's
   * authenticator app; it is never logged. */
  g_print ("{\"secret\":\"%s\",\"uri\":\"otpauth://totp/Tend:%s?secret=%s&issuer=Tend&algorithm=SHA1&digits=6&period=30\"}\n",
           secret32, email, secret32);
  return 0;
}

static int
purge_tombstones (AdminArgs *a,
                  GError   **error)
{
  g_autoptr(TendPgConn) conn = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *days = NULL;

  if (a->older_than_days < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "purge-tombstones needs --older-than-days N");
      return 2;
    }
  if (a->practice != NULL && !g_uuid_string_is_valid (a->practice))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "--practice must be a practice id (a UUID)");
      return 2;
    }
  conn = connect_and_migrate (a, error);
  if (conn == NULL)
    return 1;
  days = g_strdup_printf ("%d", a->older_than_days);
  {
    const char *params[] = { days, a->practice };

    /* The horizon moves past every purged tombstone, in the same
     * statement: a cursor below it may have missed a deletion and gets
     * 410.  Each practice's row is locked like any writer's. */
    res = tend_pg_exec (conn,
                        "WITH gone AS (DELETE FROM record r USING practice p"
                        "   WHERE r.practice_id = p.id AND r.deleted"
                        "   AND r.updated_at <= now () - make_interval (days => $1::int)"
                        "   AND ($2::uuid IS NULL OR p.id = $2::uuid)"
                        "   RETURNING r.practice_id, r.seq),"
                        " moved AS (UPDATE practice p SET horizon = greatest (p.horizon, g.top)"
                        "   FROM (SELECT practice_id, max (seq) AS top FROM gone GROUP BY practice_id) g"
                        "   WHERE p.id = g.practice_id RETURNING p.id),"
                        /* Stored push answers of the same age go too.  A
                         * retry older than that conflicts on its
                         * base_version instead of getting its old answer
                         * (the applied change moved the version), unless
                         * the record's tombstone went in this purge too. */
                        " answered AS (DELETE FROM push_result"
                        "   WHERE created_at <= now () - make_interval (days => $1::int)"
                        "   AND ($2::uuid IS NULL OR practice_id = $2::uuid) RETURNING 1)"
                        " SELECT (SELECT count (*) FROM gone), (SELECT count (*) FROM moved),"
                        "        (SELECT count (*) FROM answered)",
                        2, params, error);
  }
  if (res == NULL)
    return 1;
  g_print ("{\"purged\":%s,\"practices\":%s,\"push_results\":%s}\n",
           PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2));
  return 0;
}

/* verify-audit: walks every chain of the audit table (one per practice)
 * and names each row that was changed, each gap where rows were deleted,
 * and a chain whose last rows are gone (audit_head remembers its end).
 * Someone who can write the database can also rewrite a whole chain: the
 * heads printed on success are worth keeping somewhere else, and a later
 * run's heads must continue from them. */
#define NIL_UUID "'00000000-0000-0000-0000-000000000000'::uuid"
#define ZERO_HASH "decode (repeat ('00', 32), 'hex')"

static int
verify_audit (AdminArgs *a,
              GError   **error)
{
  g_autoptr(TendPgConn) conn = connect_and_migrate (a, error);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) heads = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  int n;

  if (conn == NULL)
    return 1;
  res = tend_pg_exec (conn,
                      "SELECT chain, seq, id, problem FROM"
                      " (SELECT coalesce (practice_id, " NIL_UUID ") AS chain, seq, id,"
                      "   CASE WHEN seq <> coalesce (lag (seq) OVER w, 0) + 1 THEN 'rows before it are missing'"
                      "        WHEN prev_hash <> coalesce (lag (hash) OVER w, " ZERO_HASH ")"
                      "          THEN 'it does not follow the row before it'"
                      "        WHEN hash <> audit_row_hash (prev_hash, a) THEN 'it was changed' END AS problem"
                      "  FROM audit a WINDOW w AS (PARTITION BY coalesce (practice_id, " NIL_UUID ") ORDER BY seq)) x"
                      " WHERE problem IS NOT NULL"
                      " UNION ALL"
                      " SELECT h.chain_id, h.seq, NULL, 'the rows up to it are missing' FROM audit_head h"
                      " WHERE h.hash IS DISTINCT FROM"
                      "  (SELECT hash FROM audit WHERE coalesce (practice_id, " NIL_UUID ") = h.chain_id"
                      "   AND seq = h.seq)"
                      "  AND h.seq > 0"
                      " ORDER BY 1, 2",
                      0, NULL, error);
  if (res == NULL)
    return 1;
  heads = tend_pg_exec (conn,
                        "SELECT h.chain_id, h.seq, encode (h.hash, 'hex'),"
                        " (SELECT count (*) FROM audit) FROM audit_head h ORDER BY 1",
                        0, NULL, error);
  if (heads == NULL)
    return 1;
  n = PQntuples (res);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, n == 0);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, PQntuples (heads) > 0 ? tend_pg_get_int (heads, 0, 3) : 0);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (int i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "practice_id");
      json_builder_add_string_value (b, PQgetvalue (res, i, 0));
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, tend_pg_get_int (res, i, 1));
      if (!PQgetisnull (res, i, 2))
        {
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, tend_pg_get_int (res, i, 2));
        }
      json_builder_set_member_name (b, "problem");
      json_builder_add_string_value (b, PQgetvalue (res, i, 3));
      json_builder_end_object (b);
      g_printerr ("tend-server admin: audit row %s of practice %s%s%s: %s\n",
                  PQgetvalue (res, i, 1), PQgetvalue (res, i, 0),
                  PQgetisnull (res, i, 2) ? "" : ", id ", PQgetisnull (res, i, 2) ? "" : PQgetvalue (res, i, 2),
                  PQgetvalue (res, i, 3));
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "heads");
  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (heads); i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "practice_id");
      json_builder_add_string_value (b, PQgetvalue (heads, i, 0));
      json_builder_set_member_name (b, "seq");
      json_builder_add_int_value (b, tend_pg_get_int (heads, i, 1));
      json_builder_set_member_name (b, "hash");
      json_builder_add_string_value (b, PQgetvalue (heads, i, 2));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  g_print ("%s\n", text);
  return n == 0 ? 0 : 1;
}

int
tend_server_admin_main (int    argc,
                        char **argv)
{
  g_auto(AdminArgs) a = { .older_than_days = -1 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  int rc;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &a.config, "Read settings from FILE", "FILE" },
    { "database", 'd', 0, G_OPTION_ARG_STRING, &a.database, "PostgreSQL connection string", "CONNINFO" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &a.name, "Practice name (create-practice) or person's name (add-user)", "NAME" },
    { "time-zone", 0, 0, G_OPTION_ARG_STRING, &a.time_zone, "The practice's IANA time zone", "ZONE" },
    { "owner-email", 0, 0, G_OPTION_ARG_STRING, &a.owner_email, "The owner's sign-in email", "EMAIL" },
    { "owner-name", 0, 0, G_OPTION_ARG_STRING, &a.owner_name, "The owner's first and last name", "NAME" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &a.password_file, "Read the password from FILE (default: standard input)", "FILE" },
    { "practice", 0, 0, G_OPTION_ARG_STRING, &a.practice, "The practice's id", "ID" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &a.email, "Sign-in email", "EMAIL" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &a.role, "owner, clinician, supervisor, front_desk or biller", "ROLE" },
    { "staff-id", 0, 0, G_OPTION_ARG_STRING, &a.staff_id, "Link to an existing staff record instead of creating one", "ID" },
    { "older-than-days", 0, 0, G_OPTION_ARG_INT, &a.older_than_days, "Purge tombstones older than N days", "N" },
    { NULL }
  };

  context = g_option_context_new ("COMMAND - administer tend-server");
  g_option_context_set_summary (context,
                                "Commands: create-practice, add-user, enable-totp, purge-tombstones, verify-audit, migrate");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tend-server admin: %s\n", error->message);
      return 2;
    }
  if (argc < 2)
    {
      g_printerr ("tend-server admin: which command? (create-practice, add-user, enable-totp, purge-tombstones, verify-audit, migrate)\n");
      return 2;
    }
  if (!tend_auth_init ())
    {
      g_printerr ("tend-server admin: libsodium could not be initialised\n");
      return 1;
    }
  command = argv[1];
  if (g_strcmp0 (command, "create-practice") == 0)
    rc = create_practice (&a, &error);
  else if (g_strcmp0 (command, "add-user") == 0)
    rc = add_user (&a, &error);
  else if (g_strcmp0 (command, "enable-totp") == 0)
    rc = enable_totp (&a, &error);
  else if (g_strcmp0 (command, "purge-tombstones") == 0)
    rc = purge_tombstones (&a, &error);
  else if (g_strcmp0 (command, "verify-audit") == 0)
    rc = verify_audit (&a, &error);
  else if (g_strcmp0 (command, "migrate") == 0)
    {
      g_autoptr(TendPgConn) conn = connect_and_migrate (&a, &error);

      rc = conn != NULL ? 0 : 1;
      if (conn != NULL)
        g_print ("{\"schema_version\":%u}\n", tend_server_schema_latest ());
    }
  else
    {
      g_printerr ("tend-server admin: unknown command “%s”\n", command);
      return 2;
    }
  if (rc != 0 && error != NULL)
    g_printerr ("tend-server admin: %s\n", error->message);
  return rc;
}
