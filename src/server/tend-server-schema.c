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

/* Hardening (issue 11).
 *
 *  - account.totp_last_step: the time step of the last code accepted, so
 *    a code works once.
 *  - login_failure.id: a sign-in attempt is counted (reserved) before its
 *    password is checked, and the reservation is removed by id when it
 *    turns out right.
 *  - push_result keyed by the account too: a reused op_id never returns
 *    another person's answer.  Answers stored before this have no account
 *    and are never returned again (such a retry meets its base_version).
 *  - audit hash-chained per practice (a NULL practice is its own chain, the
 *    nil uuid): each row's hash is the SHA-256 of the previous row's hash
 *    and its own fields (audit_row_hash ()), numbered by seq; audit_head
 *    holds each chain's last seq and hash.  A trigger assigns them with
 *    audit_head's row locked, so rows are chained in commit order whatever
 *    statement inserts them.  `tend-server admin verify-audit` checks it.
 */
static const char migration_4[] =
  "ALTER TABLE account ADD COLUMN totp_last_step bigint;"
  "ALTER TABLE login_failure ADD COLUMN id bigserial;"

  "ALTER TABLE push_result ADD COLUMN account_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';"
  "ALTER TABLE push_result ALTER COLUMN account_id DROP DEFAULT;"
  "ALTER TABLE push_result DROP CONSTRAINT push_result_pkey;"
  "ALTER TABLE push_result ADD PRIMARY KEY (practice_id, account_id, op_id);"

  "ALTER TABLE audit ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;"
  "CREATE TABLE audit_head ("
  "  chain_id uuid PRIMARY KEY,"
  "  seq bigint NOT NULL,"
  "  hash bytea NOT NULL);"
  /* Each field as its length, a colon and the text (or '-' when NULL),
   * separated by '|': no two rows encode alike. */
  "CREATE FUNCTION audit_field (v text) RETURNS text LANGUAGE sql IMMUTABLE AS"
  "  $$ SELECT coalesce (length (v)::text || ':' || v, '-') $$;"
  "CREATE FUNCTION audit_row_hash (prev bytea, a audit) RETURNS bytea LANGUAGE sql STABLE AS"
  "  $$ SELECT sha256 (prev || convert_to (concat_ws ('|',"
  "       audit_field (a.seq::text), audit_field (a.practice_id::text), audit_field (a.account_id::text),"
  "       audit_field (to_char (a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')),"
  "       audit_field (a.action), audit_field (a.record_type), audit_field (a.record_id),"
  "       audit_field (a.detail)), 'UTF8')) $$;"
  "DO $$"
  " DECLARE"
  "  r audit%ROWTYPE;"
  "  c uuid;"
  "  last_chain uuid;"
  "  prev bytea;"
  "  n bigint := 0;"
  " BEGIN"
  "  FOR r IN SELECT * FROM audit ORDER BY coalesce (practice_id, '00000000-0000-0000-0000-000000000000'), id LOOP"
  "    c := coalesce (r.practice_id, '00000000-0000-0000-0000-000000000000');"
  "    IF last_chain IS DISTINCT FROM c THEN"
  "      IF last_chain IS NOT NULL THEN"
  "        INSERT INTO audit_head (chain_id, seq, hash) VALUES (last_chain, n, prev);"
  "      END IF;"
  "      last_chain := c; n := 0; prev := decode (repeat ('00', 32), 'hex');"
  "    END IF;"
  "    n := n + 1;"
  "    r.seq := n;"
  "    UPDATE audit SET seq = n, prev_hash = prev, hash = audit_row_hash (prev, r) WHERE id = r.id"
  "      RETURNING hash INTO prev;"
  "  END LOOP;"
  "  IF last_chain IS NOT NULL THEN"
  "    INSERT INTO audit_head (chain_id, seq, hash) VALUES (last_chain, n, prev);"
  "  END IF;"
  " END $$;"
  "ALTER TABLE audit ALTER COLUMN seq SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,"
  "  ALTER COLUMN hash SET NOT NULL;"
  "CREATE UNIQUE INDEX audit_chain ON audit (coalesce (practice_id, '00000000-0000-0000-0000-000000000000'), seq);"
  "CREATE FUNCTION audit_chain () RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE"
  "  c uuid := coalesce (NEW.practice_id, '00000000-0000-0000-0000-000000000000');"
  "  head audit_head%ROWTYPE;"
  " BEGIN"
  "  INSERT INTO audit_head (chain_id, seq, hash) VALUES (c, 0, decode (repeat ('00', 32), 'hex'))"
  "    ON CONFLICT (chain_id) DO NOTHING;"
  "  SELECT * INTO head FROM audit_head WHERE chain_id = c FOR UPDATE;"
  "  NEW.seq := head.seq + 1;"
  "  NEW.prev_hash := head.hash;"
  "  NEW.hash := audit_row_hash (head.hash, NEW);"
  "  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE chain_id = c;"
  "  RETURN NEW;"
  " END $$;"
  "CREATE TRIGGER audit_chain BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION audit_chain ();";

/* Per-record audiences (messaging): for a type whose record policy names
 * who receives each record (a conversation's members), the staff ids,
 * computed by the server when the record is written; NULL for a record
 * everyone who reads its type receives.  The feed and conflict answers
 * give a record with an audience only to its members (the account's
 * staff_id). */
static const char migration_5[] =
  "ALTER TABLE record ADD COLUMN audience uuid[];";

/* The client portal (issue 13): clients' accounts, separate from staff
 * accounts (a client is never a staff member and signs in without a
 * password), their one-time codes and links (only hashes kept), and
 * their sessions (a cookie; the CSRF token each write must echo).  An
 * e-mail address may have an account at several practices: a code is
 * sent for each, and the code entered says which.  Rate limits reuse
 * login_failure, with "portal-" keys.  guardian_of: the hook for a
 * guardian's account (a minor's client id), unused until Tend has a
 * guardian model. */
static const char migration_portal[] =
  "CREATE TABLE portal_account ("
  "  id uuid PRIMARY KEY,"
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  client_id uuid NOT NULL,"
  "  email text NOT NULL,"
  "  language text NOT NULL DEFAULT 'en',"
  "  active boolean NOT NULL DEFAULT true,"
  "  guardian_of uuid,"
  "  invited_by uuid,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  UNIQUE (practice_id, client_id));"
  "CREATE UNIQUE INDEX portal_account_email ON portal_account (practice_id, lower (email));"
  "CREATE INDEX portal_account_email_any ON portal_account (lower (email));"
  "CREATE TABLE portal_code ("
  "  id bigserial PRIMARY KEY,"
  "  account_id uuid NOT NULL REFERENCES portal_account (id) ON DELETE CASCADE,"
  "  kind text NOT NULL CHECK (kind IN ('code', 'link')),"
  "  secret_hash bytea NOT NULL,"
  "  attempts integer NOT NULL DEFAULT 0,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  expires_at timestamptz NOT NULL,"
  "  used_at timestamptz);"
  "CREATE INDEX portal_code_account ON portal_code (account_id, kind, expires_at);"
  "CREATE UNIQUE INDEX portal_code_link ON portal_code (secret_hash) WHERE kind = 'link';"
  "CREATE TABLE portal_session ("
  "  token_hash bytea PRIMARY KEY,"
  "  account_id uuid NOT NULL REFERENCES portal_account (id) ON DELETE CASCADE,"
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  csrf_token text NOT NULL,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  expires_at timestamptz NOT NULL);"
  "CREATE INDEX portal_session_account ON portal_session (account_id);"
  /* A client's records, found without reading every body of the practice
   * (only the types the portal lists by client, and messages by thread). */
  "CREATE INDEX record_portal_client ON record (practice_id, type, (body::jsonb ->> 'client_id'))"
  "  WHERE NOT deleted AND type IN ('appointment', 'conversation', 'portal_form', 'document');"
  "CREATE INDEX record_portal_thread ON record (practice_id, (body::jsonb ->> 'conversation_id'))"
  "  WHERE NOT deleted AND type = 'message';";
/* The outbox (issue 13; tend-server-outbox.c): what tend-server sends by
 * e-mail and SMS.  Rows are claimed with FOR UPDATE SKIP LOCKED and a
 * lease (claimed_until), so several instances never send one twice.  At
 * most one live row per reminder record (a cancelled row does not count:
 * the reminder may become due again).  record_reminder_due: the pending
 * reminder records by send_at (canonical UTC text, which sorts as time),
 * so finding the due ones reads only them.  sms_opt_out: numbers that
 * replied STOP to the gateway (E.164).  outbox.practice_id has no foreign
 * key on purpose: checking one takes a share lock on the practice's row for
 * the rest of the transaction, and a push's SELECT ... FOR UPDATE of that
 * row then waits for every transaction that queues mail (measured: push
 * p95 from 6 to 160 ms while reminders were handed over). */
static const char migration_6[] =
  "CREATE TABLE outbox ("
  "  id bigserial PRIMARY KEY,"
  "  practice_id uuid NOT NULL,"
  "  channel text NOT NULL CHECK (channel IN ('email', 'sms')),"
  "  recipient text NOT NULL,"
  "  subject text,"
  "  body_text text NOT NULL,"
  "  body_html text,"
  "  kind text NOT NULL,"
  "  reminder_id uuid,"
  "  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),"
  "  attempts integer NOT NULL DEFAULT 0,"
  "  next_attempt_at timestamptz NOT NULL DEFAULT now (),"
  "  claimed_until timestamptz,"
  "  last_error text,"
  "  created_at timestamptz NOT NULL DEFAULT now (),"
  "  sent_at timestamptz);"
  "CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status = 'pending';"
  "CREATE INDEX outbox_sending ON outbox (claimed_until) WHERE status = 'sending';"
  "CREATE INDEX outbox_practice ON outbox (practice_id, created_at);"
  "CREATE UNIQUE INDEX outbox_reminder ON outbox (practice_id, reminder_id)"
  "  WHERE reminder_id IS NOT NULL AND status <> 'cancelled';"
  "CREATE INDEX record_reminder_due ON record ((body::jsonb ->> 'send_at'))"
  "  WHERE type = 'reminder' AND NOT deleted AND body::jsonb ->> 'status' = 'pending';"
  "CREATE TABLE sms_opt_out ("
  "  phone text PRIMARY KEY,"
  "  at timestamptz NOT NULL DEFAULT now ());";

/* Video sessions (issue 14): single-use join links for a browser guest,
 * kept hashed like sign-in tokens, valid from ten minutes before the
 * appointment until its end; used_at spends one. */
static const char migration_video_invite[] =
  "CREATE TABLE video_invite ("
  "  token_hash bytea PRIMARY KEY,"
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  session_id uuid NOT NULL,"
  "  valid_from timestamptz NOT NULL,"
  "  valid_until timestamptz NOT NULL,"
  "  used_at timestamptz,"
  "  created_by uuid,"
  "  created_at timestamptz NOT NULL DEFAULT now ());"
  "CREATE INDEX video_invite_session ON video_invite (practice_id, session_id);";

/* 11: video sessions: a browser guest's rejoin token, minted when its join
 * link is spent and handed to the page, so that the page comes back by
 * itself after a network drop (join links are single-use).  Bound to the
 * guest (guest_id) and its session, kept hashed like the join links,
 * valid until the link's own end (the appointment's), and refused once
 * the session record has ended. */
static const char migration_video_rejoin[] =
  "CREATE TABLE video_rejoin ("
  "  token_hash bytea PRIMARY KEY,"
  "  practice_id uuid NOT NULL REFERENCES practice (id),"
  "  session_id uuid NOT NULL,"
  "  guest_id uuid NOT NULL,"
  "  valid_until timestamptz NOT NULL,"
  "  created_at timestamptz NOT NULL DEFAULT now ());"
  "CREATE INDEX video_rejoin_session ON video_rejoin (practice_id, session_id);";

/* 9: privacy between clinicians (issue 16).  record.chart_client: for
 * chart content (the types whose record policy names a chart_client:
 * notes, diagnoses, plans, measures, documents, safety plans), the client
 * whose chart holds it, written by the server with the record (a
 * tombstone keeps it, as the audience is kept).  chart_reach (): the
 * clients whose charts a clinician is on now: their own (the client's
 * primary_clinician_id), their supervisees' (supervisor_id on the
 * clinician's staff record) and live chart_access grants (assigned,
 * covering or emergency, until their end).  The feed, conflict answers,
 * GET /v1/charts/ID, document bytes and every pushed chart record are
 * checked against it for clinicians and supervisors; the store reads by
 * the same relation (tend-store.c, CHART_READER_SQL). */
static const char migration_chart_privacy[] =
  "ALTER TABLE record ADD COLUMN chart_client uuid;"
  "UPDATE record SET chart_client = (body::jsonb ->> 'client_id')::uuid"
  "  WHERE NOT deleted AND type IN ('note', 'diagnosis', 'treatment_plan', 'measure', 'document', 'safety_plan');"
  "CREATE INDEX record_chart ON record (practice_id, chart_client, seq) WHERE chart_client IS NOT NULL;"
  /* A body an older server stored may not be JSON (the store's tests
   * keep one): the indexes read members through a function that gives
   * NULL for it rather than refuse the row. */
  "CREATE FUNCTION body_member (body text, member text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$"
  "  BEGIN RETURN body::jsonb ->> member; EXCEPTION WHEN others THEN RETURN NULL; END $$;"
  "CREATE INDEX record_client_clinician ON record (practice_id, body_member (body, 'primary_clinician_id'))"
  "  WHERE type = 'client' AND NOT deleted;"
  "CREATE INDEX record_staff_supervisor ON record (practice_id, body_member (body, 'supervisor_id'))"
  "  WHERE type = 'staff' AND NOT deleted;"
  "CREATE INDEX record_chart_access ON record (practice_id, body_member (body, 'staff_id'))"
  "  WHERE type = 'chart_access' AND NOT deleted;"
  "CREATE FUNCTION chart_reach (p uuid, s uuid) RETURNS SETOF uuid LANGUAGE sql STABLE AS $$"
  "  SELECT id FROM record WHERE practice_id = p AND type = 'client' AND NOT deleted"
  "    AND body_member (body, 'primary_clinician_id') = s::text"
  "  UNION SELECT c.id FROM record st JOIN record c ON c.practice_id = p AND c.type = 'client' AND NOT c.deleted"
  "    AND body_member (c.body, 'primary_clinician_id') = st.id::text"
  "    WHERE st.practice_id = p AND st.type = 'staff' AND NOT st.deleted"
  "    AND body_member (st.body, 'supervisor_id') = s::text"
  "  UNION SELECT body_member (body, 'client_id')::uuid FROM record WHERE practice_id = p AND type = 'chart_access'"
  "    AND NOT deleted AND body_member (body, 'staff_id') = s::text"
  "    AND (body_member (body, 'until') IS NULL OR body_member (body, 'until')::timestamptz > now ())"
  "$$;";

/* 10: people added to a conversation (tend-server-sync.c, resend_thread ())
 * receive its earlier messages and read markers: found through this index
 * rather than by reading every message of the practice. */
static const char migration_conversation_index[] =
  "CREATE INDEX record_conversation ON record (practice_id, body_member (body, 'conversation_id'))"
  "  WHERE type IN ('message', 'read_marker');";

/* A minor's legal guardian in the portal (issue 13's hook, issue 15's
 * related people): a guardian's account acts for the client (client_id and
 * guardian_of both name the minor) and names the related_person record it
 * was made for, whose legal guardian mark, and the client's age, are
 * checked again at every request.  A client has one account of their own
 * and one per guardian. */
static const char migration_portal_guardian[] =
  "ALTER TABLE portal_account ADD COLUMN related_person_id uuid;"
  "ALTER TABLE portal_account DROP CONSTRAINT portal_account_practice_id_client_id_key;"
  "CREATE UNIQUE INDEX portal_account_client ON portal_account (practice_id, client_id)"
  "  WHERE related_person_id IS NULL;"
  "CREATE UNIQUE INDEX portal_account_guardian ON portal_account (practice_id, related_person_id)"
  "  WHERE related_person_id IS NOT NULL;"
  "ALTER TABLE portal_account ADD CONSTRAINT portal_account_guardian_of"
  "  CHECK ((related_person_id IS NULL) = (guardian_of IS NULL));";

/* Group, couple and family sessions (issue 15): the portal lists the
 * sessions a client is a member of but not the client of by containment
 * in the appointment's participants (TEND_PORTAL_MEMBER_SESSIONS_SQL).
 * Without an index that read every appointment body of the practice; a
 * GIN index with jsonb_path_ops over the participants of live
 * appointments serves the @> (only sessions with several clients have
 * entries worth the name).  Appointment bodies are JSON (record_portal_client
 * already casts them). */
static const char migration_participants_index[] =
  "CREATE INDEX record_participants ON record USING gin ((body::jsonb -> 'participants') jsonb_path_ops)"
  "  WHERE type = 'appointment' AND NOT deleted;";

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
  migration_6,
  migration_portal,
  migration_video_invite,
  migration_chart_privacy,
  migration_conversation_index,
  migration_video_rejoin,
  migration_portal_guardian,
  migration_participants_index,
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
