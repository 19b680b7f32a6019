/* tend-server-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbered migrations, applied in one transaction under an advisory lock so
 * that several tend-server instances starting together against one database
 * migrate it once.  Never edit a migration that has shipped: add one.
 *
 * Every table that holds practice data is keyed by practice_id, and every
 * query the server makes names the practice: tenants share tables, never
 * rows.
 */
#define G_LOG_DOMAIN "tend-server"

#include "config.h"

#include "tend-server-schema.h"

/* Any constant will do: it only has to be the same in every instance. */
#define MIGRATION_LOCK "7428115003"

static const char migration_1[] =
  /* One random epoch per database: cursors carry it, so a cursor from
   * another database (or one that was recreated) is recognised. */
  "CREATE TABLE server_info ("
  "  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),"
  "  epoch text NOT NULL);"
  "INSERT INTO server_info (epoch) VALUES (replace(gen_random_uuid ()::text, '-', ''));"

  /* seq is the practice's change counter: each writing transaction takes
   * the row lock with UPDATE ... RETURNING, so sequence numbers are handed
   * out in commit order.  horizon: tombstones below it were purged. */
  "CREATE TABLE practice ("
  "  id uuid PRIMARY KEY,"
  "  name text NOT NULL,"
  "  time_zone text NOT NULL,"
  "  seq bigint NOT NULL DEFAULT 0,"
  "  horizon bigint NOT NULL DEFAULT 0,"
  "  created_at timestamptz NOT NULL DEFAULT now ());"

  "CREATE TABLE account ("
  "  id uuid PRIMARY KEY,"
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  email text NOT NULL,"
  "  display_name text NOT NULL,"
  "  role text NOT NULL CHECK (role IN ('owner', 'clinician', 'supervisor', 'front_desk', 'biller')),"
  "  staff_id uuid NOT NULL,"
  "  password_hash text NOT NULL,"
  "  totp_secret bytea,"
  "  active boolean NOT NULL DEFAULT true,"
  "  created_at timestamptz NOT NULL DEFAULT now ());"
  "CREATE UNIQUE INDEX account_email ON account (lower (email));"
  "CREATE INDEX account_practice ON account (practice_id);"

  /* Only the SHA-256 of a token is stored: a copy of the table opens nothing. */
  "CREATE TABLE session ("
  "  token_hash bytea PRIMARY KEY,"
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  expires_at timestamptz NOT NULL);"
  "CREATE INDEX session_expires ON session (expires_at);"

  /* key: 'account:<lower email>' or 'address:<remote address>'. */
  "CREATE TABLE login_failure ("
  "  key text NOT NULL,"
  "  at timestamptz NOT NULL DEFAULT now ());"
  "CREATE INDEX login_failure_key ON login_failure (key, at);"

  /* Synced records.  start_s/end_s/clinician_id/room_id are extracted from
   * an appointment body when it holds time (not deleted, not cancelled, not
   * a no-show), NULL otherwise: the double-booking query reads only them. */
  "CREATE TABLE record ("
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  type text NOT NULL,"
  "  id uuid NOT NULL,"
  "  version bigint NOT NULL,"
  "  seq bigint NOT NULL,"
  "  deleted boolean NOT NULL DEFAULT false,"
  "  body text NOT NULL,"
  "  updated_at timestamptz NOT NULL DEFAULT now (),"
  "  clinician_id uuid,"
  "  room_id uuid,"
  "  start_s bigint,"
  "  end_s bigint,"
  "  PRIMARY KEY (practice_id, type, id));"
  "CREATE UNIQUE INDEX record_seq ON record (practice_id, seq);"
  "CREATE INDEX record_clinician_time ON record (practice_id, clinician_id, start_s) WHERE start_s IS NOT NULL;"
  "CREATE INDEX record_room_time ON record (practice_id, room_id, start_s) WHERE start_s IS NOT NULL;"

  /* The answer given to each push operation, so a retry gets it again. */
  "CREATE TABLE push_result ("
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  op_id text NOT NULL,"
  "  result text NOT NULL,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  PRIMARY KEY (practice_id, op_id));"

  /* Ids and actions only: never a body, a name or any other health data. */
  "CREATE TABLE audit ("
  "  id bigserial PRIMARY KEY,"
  "  practice_id uuid,"
  "  account_id uuid,"
  "  at timestamptz NOT NULL DEFAULT now (),"
  "  action text NOT NULL,"
  "  record_type text,"
  "  record_id text,"
  "  detail text);"
  "CREATE INDEX audit_practice ON audit (practice_id, at);";

/* Documents, content-addressed per practice (never shared across
 * practices: a shared store would tell one practice what another holds). */
static const char migration_2[] =
  "CREATE TABLE blob ("
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),"
  "  size bigint NOT NULL,"
  "  data bytea NOT NULL,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  PRIMARY KEY (practice_id, sha256));";

/* A person turning on their own second factor: the secret waits here until
 * they prove their authenticator has it (POST /v1/me/totp/confirm). */
static const char migration_3[] =
  "ALTER TABLE account ADD COLUMN totp_pending bytea, ADD COLUMN totp_pending_at timestamptz;";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
};

guint
tend_server_schema_latest (void)
{
  return G_N_ELEMENTS (migrations);
}

/**
 * tend_server_schema_migrate:
 * @from_version: (out) (optional): the version found before migrating
 *
 * Brings the database to the latest schema, in one transaction.  A database
 * whose schema is newer than this build knows is refused untouched.
 */
gboolean
tend_server_schema_migrate (TendPgConn *conn,
                            guint      *from_version,
                            GError    **error)
{
  g_autoptr(PGresult) res = NULL;
  guint current;

  if (!tend_pg_run (conn, "BEGIN", error))
    return FALSE;
  if (!tend_pg_run (conn, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")", error) ||
      !tend_pg_run (conn, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)", error))
    goto fail;
  res = PQexec (tend_pg_conn_get_pq (conn), "SELECT coalesce (max (version), 0) FROM schema_version");
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      g_set_error_literal (error, TEND_PG_ERROR, TEND_PG_ERROR_QUERY, "Cannot read the schema version");
      goto fail;
    }
  current = (guint) tend_pg_get_int (res, 0, 0);
  if (from_version != NULL)
    *from_version = current;
  if (current > G_N_ELEMENTS (migrations))
    {
      g_set_error (error, TEND_PG_ERROR, TEND_PG_ERROR_SCHEMA,
                   "The database has schema version %u but this tend-server knows only up to %u: "
                   "run a newer tend-server", current, (guint) G_N_ELEMENTS (migrations));
      goto fail;
    }
  for (guint v = current + 1; v <= G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *record = g_strdup_printf ("INSERT INTO schema_version (version) VALUES (%u)", v);

      if (!tend_pg_run (conn, migrations[v - 1], error))
        {
          g_prefix_error (error, "Migration %u failed: ", v);
          goto fail;
        }
      if (!tend_pg_run (conn, record, error))
        goto fail;
    }
  return tend_pg_run (conn, "COMMIT", error);

fail:
  tend_pg_rollback (conn);
  return FALSE;
}

char *
tend_server_schema_epoch (TendPgConn *conn,
                          GError    **error)
{
  g_autoptr(PGresult) res = tend_pg_exec (conn, "SELECT epoch FROM server_info", 0, NULL, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) != 1)
    {
      g_set_error_literal (error, TEND_PG_ERROR, TEND_PG_ERROR_SCHEMA, "The server_info row is missing");
      return NULL;
    }
  return tend_pg_dup_value (res, 0, 0);
}
