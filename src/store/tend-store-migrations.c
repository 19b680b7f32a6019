/* tend-store-migrations.c: the schema, one numbered step at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never edit a migration that has shipped: append a new one.  Each step runs
 * inside the single transaction that brings a store up to date, and
 * tests/store/test-migrations.c opens a store made at every older version.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include "tend-store-private.h"

/* Every synced entity table has the same sync columns; "body" (JSON, validated
 * by the core codec) is the record, and typed columns are generated from it so
 * they can never disagree with it. */
#define SYNC_COLUMNS \
  "rid INTEGER PRIMARY KEY," \
  "id TEXT NOT NULL UNIQUE," \
  "version INTEGER NOT NULL DEFAULT 0," \
  "dirty INTEGER NOT NULL DEFAULT 1," \
  "deleted INTEGER NOT NULL DEFAULT 0," \
  "updated_at INTEGER NOT NULL," \
  "body TEXT NOT NULL CHECK (json_valid(body))"

static const char migration_1[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

  "CREATE TABLE practice (" SYNC_COLUMNS ");"

  "CREATE TABLE staff (" SYNC_COLUMNS ","
  "  role TEXT GENERATED ALWAYS AS (json_extract(body, '$.role')) VIRTUAL,"
  "  email TEXT GENERATED ALWAYS AS (json_extract(body, '$.email')) VIRTUAL,"
  "  sort_key TEXT GENERATED ALWAYS AS (tend_sort_key(json_extract(body, '$.family_name') || ' ' || json_extract(body, '$.given_name'))) VIRTUAL"
  ");"
  "CREATE INDEX staff_role ON staff (role) WHERE deleted = 0;"
  "CREATE INDEX staff_sort ON staff (sort_key) WHERE deleted = 0;"

  "CREATE TABLE room (" SYNC_COLUMNS ");"

  "CREATE TABLE client (" SYNC_COLUMNS ","
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) VIRTUAL,"
  "  primary_clinician_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.primary_clinician_id')) VIRTUAL,"
  "  record_number TEXT GENERATED ALWAYS AS (json_extract(body, '$.record_number')) VIRTUAL,"
  "  sort_key TEXT GENERATED ALWAYS AS (tend_sort_key(json_extract(body, '$.legal_family') || ' ' ||"
  "    coalesce(json_extract(body, '$.preferred_name'), json_extract(body, '$.legal_given')))) STORED"
  ");"
  "CREATE INDEX client_sort ON client (deleted, sort_key);"
  "CREATE INDEX client_clinician ON client (primary_clinician_id, status) WHERE deleted = 0;"

  /* Search: contentless, so the index holds no readable copy of the text
   * beyond what the encrypted pages already protect. */
  "CREATE VIRTUAL TABLE client_fts USING fts5(terms, content='', contentless_delete=1,"
  "  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');"
  "CREATE TRIGGER client_fts_ai AFTER INSERT ON client WHEN new.deleted = 0 BEGIN"
  "  INSERT INTO client_fts (rowid, terms) VALUES (new.rid, tend_client_terms(new.body));"
  "END;"
  "CREATE TRIGGER client_fts_au AFTER UPDATE OF body, deleted ON client BEGIN"
  "  DELETE FROM client_fts WHERE rowid = old.rid;"
  "  INSERT INTO client_fts (rowid, terms) SELECT new.rid, tend_client_terms(new.body) WHERE new.deleted = 0;"
  "END;"
  "CREATE TRIGGER client_fts_ad AFTER DELETE ON client BEGIN"
  "  DELETE FROM client_fts WHERE rowid = old.rid;"
  "END;"

  /* Every local change: written in the same transaction as the change. */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  op_id TEXT NOT NULL UNIQUE,"
  "  record_type TEXT NOT NULL,"
  "  record_id TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
  "  body TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_record ON outbox (record_type, record_id);"

  /* Hash-chained, append-only.  The triggers stop mistakes; the chain
   * catches anyone who goes around them. */
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  actor_id TEXT,"
  "  action TEXT NOT NULL,"
  "  record_type TEXT,"
  "  record_id TEXT,"
  "  detail TEXT,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_record ON audit_log (record_type, record_id);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
  "  SELECT RAISE(ABORT, 'the audit log is append-only');"
  "END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN"
  "  SELECT RAISE(ABORT, 'the audit log is append-only');"
  "END;"

  /* Password hashes for the lock screen: local to this computer, never synced. */
  "CREATE TABLE local_credential ("
  "  staff_id TEXT PRIMARY KEY,"
  "  password_hash TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");";

/* Room lookups by name and an index for staff by email, to show the shape of
 * a later step (and so the upgrade path is exercised from day one). */
static const char migration_2[] =
  "CREATE INDEX staff_email ON staff (email) WHERE deleted = 0;"
  "ALTER TABLE room ADD COLUMN name TEXT GENERATED ALWAYS AS (json_extract(body, '$.name')) VIRTUAL;"
  "CREATE INDEX room_name ON room (name) WHERE deleted = 0;";

/* Scheduling: appointments (and blocked time), recurring series, the
 * waitlist and outbound reminders.  Times are generated as unix seconds from
 * the UTC body so range queries and overlaps use plain integer indexes. */
static const char migration_3[] =
  "CREATE TABLE appointment (" SYNC_COLUMNS ","
  "  clinician_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.clinician_id')) STORED,"
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  room_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.room_id')) STORED,"
  "  series_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.series_id')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED,"
  "  start_s INTEGER GENERATED ALWAYS AS (unixepoch(json_extract(body, '$.start'))) STORED,"
  "  end_s INTEGER GENERATED ALWAYS AS (unixepoch(json_extract(body, '$.end'))) STORED"
  ");"
  "CREATE INDEX appointment_clinician ON appointment (clinician_id, start_s) WHERE deleted = 0;"
  "CREATE INDEX appointment_room ON appointment (room_id, start_s) WHERE deleted = 0 AND room_id IS NOT NULL;"
  "CREATE INDEX appointment_client ON appointment (client_id, start_s) WHERE deleted = 0;"
  "CREATE INDEX appointment_start ON appointment (start_s) WHERE deleted = 0;"
  "CREATE INDEX appointment_series ON appointment (series_id, start_s) WHERE series_id IS NOT NULL;"

  "CREATE TABLE series (" SYNC_COLUMNS ","
  "  clinician_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.clinician_id')) STORED,"
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED"
  ");"
  "CREATE INDEX series_clinician ON series (clinician_id) WHERE deleted = 0;"
  /* How far each series is materialised on this computer: local, not synced
   * (the rows it makes have ids every computer derives alike). */
  "CREATE TABLE series_horizon (series_id TEXT PRIMARY KEY, until_s INTEGER NOT NULL);"

  "CREATE TABLE waitlist (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  active INTEGER GENERATED ALWAYS AS (json_extract(body, '$.active')) STORED"
  ");"
  "CREATE INDEX waitlist_active ON waitlist (active) WHERE deleted = 0;"

  "CREATE TABLE reminder (" SYNC_COLUMNS ","
  "  appointment_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.appointment_id')) STORED,"
  "  send_s INTEGER GENERATED ALWAYS AS (unixepoch(json_extract(body, '$.send_at'))) STORED"
  ");"
  "CREATE INDEX reminder_appointment ON reminder (appointment_id) WHERE deleted = 0;";

/* Charts: notes (signed ones frozen by a trigger), diagnoses, treatment
 * plans, measures and documents, with the documents' bytes and the editor's
 * autosaved drafts kept locally. */
#define SIGNED_FROZEN(table, what) \
  "CREATE TRIGGER " table "_signed_frozen BEFORE UPDATE ON " table \
  "  WHEN json_extract(old.body, '$.status') = 'signed' AND (" \
  "    new.deleted IS NOT old.deleted" \
  "    OR json_remove(old.body, '$.cosigned_by', '$.cosigned_at')" \
  "       IS NOT json_remove(new.body, '$.cosigned_by', '$.cosigned_at')" \
  "    OR (json_extract(old.body, '$.cosigned_by') IS NOT NULL AND new.body IS NOT old.body))" \
  "BEGIN SELECT RAISE(ABORT, 'a signed " what " cannot change: add an addendum'); END;" \
  "CREATE TRIGGER " table "_signed_no_delete BEFORE DELETE ON " table \
  "  WHEN json_extract(old.body, '$.status') = 'signed' " \
  "BEGIN SELECT RAISE(ABORT, 'a signed " what " cannot be removed'); END;"

static const char migration_4[] =
  "CREATE TABLE note (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  author_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.author_id')) STORED,"
  "  appointment_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.appointment_id')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED,"
  "  service_date TEXT GENERATED ALWAYS AS (json_extract(body, '$.service_date')) STORED,"
  "  addendum_of TEXT GENERATED ALWAYS AS (json_extract(body, '$.addendum_of')) STORED,"
  "  cosign_required_by TEXT GENERATED ALWAYS AS (json_extract(body, '$.cosign_required_by')) STORED,"
  "  cosigned_by TEXT GENERATED ALWAYS AS (json_extract(body, '$.cosigned_by')) STORED"
  ");"
  "CREATE INDEX note_client ON note (client_id, service_date, rid) WHERE deleted = 0 AND addendum_of IS NULL;"
  "CREATE INDEX note_appointment ON note (appointment_id) WHERE deleted = 0 AND appointment_id IS NOT NULL;"
  "CREATE INDEX note_addendum ON note (addendum_of, rid) WHERE deleted = 0 AND addendum_of IS NOT NULL;"
  "CREATE INDEX note_cosign ON note (cosign_required_by, service_date) WHERE deleted = 0 AND cosigned_by IS NULL AND cosign_required_by IS NOT NULL;"
  "CREATE INDEX note_unsigned ON note (service_date) WHERE deleted = 0 AND status = 'draft';"
  SIGNED_FROZEN ("note", "note")
  /* Search across the practice's notes: contentless, like client_fts. */
  "CREATE VIRTUAL TABLE note_fts USING fts5(terms, content='', contentless_delete=1,"
  "  tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 6');"
  "CREATE TRIGGER note_fts_ai AFTER INSERT ON note WHEN new.deleted = 0 BEGIN"
  "  INSERT INTO note_fts (rowid, terms)"
  "    SELECT new.rid, group_concat(value, ' ') FROM json_each(new.body, '$.sections');"
  "END;"
  "CREATE TRIGGER note_fts_au AFTER UPDATE OF body, deleted ON note BEGIN"
  "  DELETE FROM note_fts WHERE rowid = old.rid;"
  "  INSERT INTO note_fts (rowid, terms)"
  "    SELECT new.rid, group_concat(value, ' ') FROM json_each(new.body, '$.sections') WHERE new.deleted = 0;"
  "END;"
  "CREATE TRIGGER note_fts_ad AFTER DELETE ON note BEGIN"
  "  DELETE FROM note_fts WHERE rowid = old.rid;"
  "END;"
  /* What the editor autosaves between saves of the note itself: one row per
   * note, overwritten, on this computer only (the note syncs when saved). */
  "CREATE TABLE note_draft ("
  "  note_id TEXT PRIMARY KEY,"
  "  sections TEXT NOT NULL CHECK (json_valid(sections)),"
  "  saved_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE diagnosis (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  code TEXT GENERATED ALWAYS AS (json_extract(body, '$.code')) STORED,"
  "  resolved TEXT GENERATED ALWAYS AS (json_extract(body, '$.resolved')) STORED"
  ");"
  "CREATE INDEX diagnosis_client ON diagnosis (client_id) WHERE deleted = 0;"

  "CREATE TABLE treatment_plan (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED,"
  "  review_date TEXT GENERATED ALWAYS AS (json_extract(body, '$.review_date')) STORED"
  ");"
  "CREATE INDEX treatment_plan_client ON treatment_plan (client_id, rid) WHERE deleted = 0;"
  "CREATE INDEX treatment_plan_review ON treatment_plan (review_date) WHERE deleted = 0 AND review_date IS NOT NULL;"
  SIGNED_FROZEN ("treatment_plan", "treatment plan")

  "CREATE TABLE measure (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  instrument TEXT GENERATED ALWAYS AS (json_extract(body, '$.instrument')) STORED,"
  "  date TEXT GENERATED ALWAYS AS (json_extract(body, '$.date')) STORED,"
  "  score INTEGER GENERATED ALWAYS AS (json_extract(body, '$.score')) STORED"
  ");"
  "CREATE INDEX measure_client ON measure (client_id, instrument, date) WHERE deleted = 0;"

  "CREATE TABLE document (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  sha256 TEXT GENERATED ALWAYS AS (json_extract(body, '$.sha256')) STORED"
  ");"
  "CREATE INDEX document_client ON document (client_id, rid) WHERE deleted = 0;"
  /* The bytes, content-addressed (the server's /v1/blobs/{sha256} too),
   * inside the encrypted store like everything else. */
  "CREATE TABLE document_blob ("
  "  sha256 TEXT PRIMARY KEY,"
  "  data BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ");"
  /* Chart reads carry the client's id as their detail: a client's trail. */
  "CREATE INDEX audit_detail ON audit_log (detail) WHERE detail IS NOT NULL;";

#undef SIGNED_FROZEN

/* Sync state (see tend-sync-store.c): the base copies for three-way
 * merges, the push in flight, conflicts for a person, the records a full
 * resync has seen, and the server's reason for a refused change. */
static const char migration_sync[] =
  "CREATE TABLE sync_base (record_type TEXT NOT NULL, record_id TEXT NOT NULL, version INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (record_type, record_id)) WITHOUT ROWID;"
  "CREATE TABLE sync_inflight (op_id TEXT PRIMARY KEY, record_type TEXT NOT NULL, record_id TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL, op TEXT NOT NULL, body TEXT, last_seq INTEGER NOT NULL, pos INTEGER NOT NULL);"
  "CREATE TABLE sync_conflict (id INTEGER PRIMARY KEY, record_type TEXT NOT NULL, record_id TEXT NOT NULL,"
  "  field TEXT NOT NULL, local_value TEXT, server_value TEXT, server_version INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL, UNIQUE (record_type, record_id, field));"
  "CREATE TABLE sync_seen (record_type TEXT NOT NULL, record_id TEXT NOT NULL,"
  "  PRIMARY KEY (record_type, record_id)) WITHOUT ROWID;"
  "ALTER TABLE outbox ADD COLUMN rejected TEXT;";

/* Billing: the service catalogue and per-clinician fees, the practice's
 * billing settings, charges, payments and their allocations, remittance
 * adjustments, payers, client policies and claims.  Amounts are integer
 * minor units; dates of service are practice-local dates (YYYY-MM-DD).
 * Migration 6, after the charts (4) and sync state (5). */
static const char migration_billing[] =
  "CREATE TABLE service (" SYNC_COLUMNS ","
  "  code TEXT GENERATED ALWAYS AS (json_extract(body, '$.code')) STORED"
  ");"
  "CREATE INDEX service_code ON service (code) WHERE deleted = 0;"

  "CREATE TABLE service_fee (" SYNC_COLUMNS ","
  "  service_code TEXT GENERATED ALWAYS AS (json_extract(body, '$.service_code')) STORED,"
  "  clinician_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.clinician_id')) STORED"
  ");"
  "CREATE INDEX service_fee_key ON service_fee (service_code, clinician_id) WHERE deleted = 0;"

  "CREATE TABLE billing_settings (" SYNC_COLUMNS ");"

  "CREATE TABLE charge (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  clinician_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.clinician_id')) STORED,"
  "  appointment_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.appointment_id')) STORED,"
  "  claim_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.claim_id')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED,"
  "  responsibility TEXT GENERATED ALWAYS AS (json_extract(body, '$.responsibility')) STORED,"
  "  service_date TEXT GENERATED ALWAYS AS (json_extract(body, '$.service_date')) STORED,"
  "  amount INTEGER GENERATED ALWAYS AS (CASE json_extract(body, '$.status') WHEN 'void' THEN 0"
  "    ELSE json_extract(body, '$.fee') * coalesce(json_extract(body, '$.units'), 1) END) STORED"
  ");"
  /* Covering: balances and aging read only the index, never the bodies. */
  "CREATE INDEX charge_client ON charge (client_id, service_date, status, responsibility, amount, id) WHERE deleted = 0;"
  "CREATE INDEX charge_appointment ON charge (appointment_id) WHERE deleted = 0 AND appointment_id IS NOT NULL;"
  "CREATE INDEX charge_claim ON charge (claim_id) WHERE deleted = 0 AND claim_id IS NOT NULL;"
  "CREATE INDEX charge_date ON charge (service_date, status, client_id, responsibility, amount, id) WHERE deleted = 0;"

  "CREATE TABLE payment (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  payer_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.payer_id')) STORED,"
  "  claim_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.claim_id')) STORED,"
  "  kind TEXT GENERATED ALWAYS AS (json_extract(body, '$.kind')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED,"
  "  received_on TEXT GENERATED ALWAYS AS (json_extract(body, '$.received_on')) STORED,"
  "  amount INTEGER GENERATED ALWAYS AS (json_extract(body, '$.amount')) STORED,"
  "  reference TEXT GENERATED ALWAYS AS (json_extract(body, '$.reference')) STORED"
  ");"
  "CREATE INDEX payment_client ON payment (client_id, received_on, status, kind, amount, id) WHERE deleted = 0;"
  "CREATE INDEX payment_date ON payment (received_on) WHERE deleted = 0;"
  "CREATE INDEX payment_payer ON payment (payer_id, reference) WHERE deleted = 0 AND payer_id IS NOT NULL;"

  "CREATE TABLE allocation (" SYNC_COLUMNS ","
  "  payment_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.payment_id')) STORED,"
  "  charge_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.charge_id')) STORED,"
  "  amount INTEGER GENERATED ALWAYS AS (json_extract(body, '$.amount')) STORED"
  ");"
  "CREATE INDEX allocation_payment ON allocation (payment_id, amount) WHERE deleted = 0;"
  "CREATE INDEX allocation_charge ON allocation (charge_id, amount) WHERE deleted = 0;"

  "CREATE TABLE adjustment (" SYNC_COLUMNS ","
  "  charge_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.charge_id')) STORED,"
  "  claim_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.claim_id')) STORED,"
  "  group_code TEXT GENERATED ALWAYS AS (json_extract(body, '$.group_code')) STORED,"
  "  amount INTEGER GENERATED ALWAYS AS (json_extract(body, '$.amount')) STORED"
  ");"
  "CREATE INDEX adjustment_charge ON adjustment (charge_id, group_code, amount) WHERE deleted = 0;"

  "CREATE TABLE payer (" SYNC_COLUMNS ","
  "  payer_code TEXT GENERATED ALWAYS AS (json_extract(body, '$.payer_code')) STORED"
  ");"

  "CREATE TABLE policy (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  payer_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.payer_id')) STORED"
  ");"
  "CREATE INDEX policy_client ON policy (client_id) WHERE deleted = 0;"

  "CREATE TABLE claim (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  payer_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.payer_id')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED,"
  "  control_number TEXT GENERATED ALWAYS AS (json_extract(body, '$.control_number')) STORED"
  ");"
  "CREATE INDEX claim_client ON claim (client_id) WHERE deleted = 0;"
  "CREATE INDEX claim_status ON claim (status) WHERE deleted = 0;"
  "CREATE UNIQUE INDEX claim_control ON claim (control_number) WHERE deleted = 0;";

/* Search indexes built after the rows (migration 7), and a page of a sync
 * indexed in one statement (tend_search_batched(): see
 * tend_store_search_batch_begin()).  A first sync of a
 * practice brings tens of thousands of rows, and indexing each one as it is
 * written was half of that sync; instead the rows above search_backlog's
 * from_rid are left out of the index by the triggers, and
 * tend_store_search_catch_up() indexes them in chunks afterwards, moving
 * from_rid up, and drops the row when it is done (in the same transaction
 * as the last chunk, so no row written meanwhile is missed or indexed
 * twice). */
#define SKIPPED(name, row) \
  "(tend_search_batched() OR EXISTS (SELECT 1 FROM search_backlog WHERE name = '" name "' AND from_rid < " row ".rid))"

static const char migration_search_backlog[] =
  "CREATE TABLE search_backlog (name TEXT PRIMARY KEY, from_rid INTEGER NOT NULL) WITHOUT ROWID;"
  "DROP TRIGGER client_fts_ai;"
  "DROP TRIGGER client_fts_au;"
  "DROP TRIGGER client_fts_ad;"
  "CREATE TRIGGER client_fts_ai AFTER INSERT ON client WHEN new.deleted = 0 AND NOT " SKIPPED ("client", "new") " BEGIN"
  "  INSERT INTO client_fts (rowid, terms) VALUES (new.rid, tend_client_terms(new.body));"
  "END;"
  "CREATE TRIGGER client_fts_au AFTER UPDATE OF body, deleted ON client WHEN NOT " SKIPPED ("client", "new") " BEGIN"
  "  DELETE FROM client_fts WHERE rowid = old.rid;"
  "  INSERT INTO client_fts (rowid, terms) SELECT new.rid, tend_client_terms(new.body) WHERE new.deleted = 0;"
  "END;"
  "CREATE TRIGGER client_fts_ad AFTER DELETE ON client WHEN NOT " SKIPPED ("client", "old") " BEGIN"
  "  DELETE FROM client_fts WHERE rowid = old.rid;"
  "END;"
  "DROP TRIGGER note_fts_ai;"
  "DROP TRIGGER note_fts_au;"
  "DROP TRIGGER note_fts_ad;"
  "CREATE TRIGGER note_fts_ai AFTER INSERT ON note WHEN new.deleted = 0 AND NOT " SKIPPED ("note", "new") " BEGIN"
  "  INSERT INTO note_fts (rowid, terms)"
  "    SELECT new.rid, group_concat(value, ' ') FROM json_each(new.body, '$.sections');"
  "END;"
  "CREATE TRIGGER note_fts_au AFTER UPDATE OF body, deleted ON note WHEN NOT " SKIPPED ("note", "new") " BEGIN"
  "  DELETE FROM note_fts WHERE rowid = old.rid;"
  "  INSERT INTO note_fts (rowid, terms)"
  "    SELECT new.rid, group_concat(value, ' ') FROM json_each(new.body, '$.sections') WHERE new.deleted = 0;"
  "END;"
  "CREATE TRIGGER note_fts_ad AFTER DELETE ON note WHEN NOT " SKIPPED ("note", "old") " BEGIN"
  "  DELETE FROM note_fts WHERE rowid = old.rid;"
  "END;";

#undef SKIPPED

/* The outbox says which records wait to be pushed, and nothing more:
 * tend_store_sync_prepare_push () reads each record's current row and gives
 * the operation its op_id in sync_inflight, so the copy of the body (as large
 * as the record) and the random op_id with its unique index (a page written
 * for every save once the outbox is large) were never read.  The table is
 * made again without them; the AUTOINCREMENT counter carries on. */
static const char migration_outbox_reference[] =
  "CREATE TABLE outbox_new ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  record_type TEXT NOT NULL,"
  "  record_id TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
  "  created_at INTEGER NOT NULL,"
  "  rejected TEXT"
  ");"
  "INSERT INTO outbox_new (seq, record_type, record_id, base_version, op, created_at, rejected)"
  "  SELECT seq, record_type, record_id, base_version, op, created_at, rejected FROM outbox ORDER BY seq;"
  "DELETE FROM sqlite_sequence WHERE name = 'outbox_new';"
  "INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_new', seq FROM sqlite_sequence WHERE name = 'outbox';"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_new RENAME TO outbox;"
  "CREATE INDEX outbox_record ON outbox (record_type, record_id);";

/* Secure messaging (migration 9): conversations, their messages and each
 * member's read marker; the words of messages for search (kept up to date
 * by triggers: messages arrive a few at a time, not in first-sync floods
 * that the search backlog is for); and what a person was writing in a
 * conversation, on this computer only, so a crash loses nothing. */
/* An RFC 3339 time (tend_time_to_iso8601(): six digits when there is a
 * fraction) as Unix microseconds. */
#define USEC_OF(x) \
  "CAST(strftime('%s', " x ") AS INTEGER) * 1000000" \
  " + CASE WHEN substr(" x ", 20, 1) = '.' THEN CAST(substr(" x ", 21, 6) AS INTEGER) ELSE 0 END"

static const char migration_messaging[] =
  "CREATE TABLE conversation (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED"
  ");"
  "CREATE INDEX conversation_client ON conversation (client_id) WHERE deleted = 0 AND client_id IS NOT NULL;"

  "CREATE TABLE message (" SYNC_COLUMNS ","
  "  conversation_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.conversation_id')) STORED,"
  "  author_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.author_id')) STORED,"
  /* Times as Unix microseconds: the text of an instant with a fraction of
   * a second does not sort as the instant does, and julianday() keeps only
   * milliseconds (two messages sent in one would tie). */
  "  sent INTEGER GENERATED ALWAYS AS (" USEC_OF ("json_extract(body, '$.sent_at')") ") STORED"
  ");"
  /* Covering for the unread counts (author and time, no body read). */
  "CREATE INDEX message_conversation ON message (conversation_id, sent, author_id, id) WHERE deleted = 0;"

  "CREATE TABLE read_marker (" SYNC_COLUMNS ","
  "  conversation_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.conversation_id')) STORED,"
  "  staff_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.staff_id')) STORED,"
  "  read_upto INTEGER GENERATED ALWAYS AS (" USEC_OF ("json_extract(body, '$.read_upto')") ") STORED"
  ");"
  "CREATE INDEX read_marker_conversation ON read_marker (conversation_id, staff_id) WHERE deleted = 0;"

  "CREATE VIRTUAL TABLE message_fts USING fts5(terms, content='', contentless_delete=1,"
  "  tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 6');"
  "CREATE TRIGGER message_fts_ai AFTER INSERT ON message WHEN new.deleted = 0 BEGIN"
  "  INSERT INTO message_fts (rowid, terms) VALUES (new.rid, json_extract(new.body, '$.text'));"
  "END;"
  "CREATE TRIGGER message_fts_au AFTER UPDATE OF body, deleted ON message BEGIN"
  "  DELETE FROM message_fts WHERE rowid = old.rid;"
  "  INSERT INTO message_fts (rowid, terms) SELECT new.rid, json_extract(new.body, '$.text')"
  "    WHERE new.deleted = 0 AND json_extract(new.body, '$.withdrawn_at') IS NULL;"
  "END;"
  "CREATE TRIGGER message_fts_ad AFTER DELETE ON message BEGIN"
  "  DELETE FROM message_fts WHERE rowid = old.rid;"
  "END;"

  "CREATE TABLE message_draft ("
  "  conversation_id TEXT PRIMARY KEY,"
  "  text TEXT NOT NULL,"
  "  saved_at INTEGER NOT NULL"
  ");";

#undef USEC_OF

/* A client's guardians and related people (issue 15): found by client for
 * the chart, and by the client record they link to (a couple's partner
 * who is a client too). */
static const char migration_related_person[] =
  "CREATE TABLE related_person (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  linked_client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.linked_client_id')) STORED"
  ");"
  "CREATE INDEX related_person_client ON related_person (client_id, rid) WHERE deleted = 0;"
  "CREATE INDEX related_person_linked ON related_person (linked_client_id) WHERE deleted = 0"
  "  AND linked_client_id IS NOT NULL;";

/* 10: safety plans (Stanley-Brown), one row per plan, newest by date. */
static const char migration_safety_plan[] =
  "CREATE TABLE safety_plan (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  plan_date TEXT GENERATED ALWAYS AS (json_extract(body, '$.plan_date')) STORED"
  ");"
  "CREATE INDEX safety_plan_client ON safety_plan (client_id, plan_date) WHERE deleted = 0;";

/* 11: the portal (issue 13): forms sent to clients, consents they signed and
 * questionnaires they answered. */
static const char migration_portal_forms[] =
  "CREATE TABLE portal_form (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) STORED"
  ");"
  "CREATE INDEX portal_form_client ON portal_form (client_id, rid) WHERE deleted = 0;";

/* 12: video sessions (issue 14): the sessions held for an appointment, found
 * by appointment (the note is prefilled with their start and end). */
static const char migration_video_session[] =
  "CREATE TABLE video_session (" SYNC_COLUMNS ","
  "  appointment_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.appointment_id')) STORED"
  ");"
  "CREATE INDEX video_session_appointment ON video_session (appointment_id) WHERE deleted = 0;";

/* 13: privacy between clinicians (issue 16).  chart_access: who else is
 * on a client's chart (assigned, covering, the glass broken) and until
 * when, by client and by person.  chart_reach: on a computer that syncs
 * with a server as a clinician or supervisor, the clients whose charts it
 * holds, so that a chart newly reached is fetched whole and one no longer
 * reached is dropped (local, never synced).  The signed notes' and plans'
 * no-delete triggers let that drop through and nothing else: chart_purge
 * names the client only inside the transaction that drops its chart. */
static const char migration_chart_access[] =
  "CREATE TABLE chart_access (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED,"
  "  staff_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.staff_id')) STORED,"
  "  until_s INTEGER GENERATED ALWAYS AS (CAST(strftime('%s', json_extract(body, '$.until')) AS INTEGER)) STORED"
  ");"
  "CREATE INDEX chart_access_staff ON chart_access (staff_id, client_id) WHERE deleted = 0;"
  "CREATE INDEX chart_access_client ON chart_access (client_id) WHERE deleted = 0;"
  "CREATE INDEX staff_supervisor ON staff (json_extract(body, '$.supervisor_id')) WHERE deleted = 0;"
  "CREATE TABLE chart_reach (client_id TEXT PRIMARY KEY) WITHOUT ROWID;"
  "CREATE TABLE chart_purge (client_id TEXT PRIMARY KEY) WITHOUT ROWID;"
  "DROP TRIGGER note_signed_no_delete;"
  "CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note"
  "  WHEN json_extract(old.body, '$.status') = 'signed'"
  "    AND NOT EXISTS (SELECT 1 FROM chart_purge WHERE client_id = old.client_id)"
  "BEGIN SELECT RAISE(ABORT, 'a signed note cannot be removed'); END;"
  "DROP TRIGGER treatment_plan_signed_no_delete;"
  "CREATE TRIGGER treatment_plan_signed_no_delete BEFORE DELETE ON treatment_plan"
  "  WHEN json_extract(old.body, '$.status') = 'signed'"
  "    AND NOT EXISTS (SELECT 1 FROM chart_purge WHERE client_id = old.client_id)"
  "BEGIN SELECT RAISE(ABORT, 'a signed treatment plan cannot be removed'); END;";

/* 14: indexes set aside during a bulk write (tend_store_index_defer ()):
 * their definitions, so that they are made again at the end, or when the
 * store is next opened if the writer stopped first. */
static const char migration_deferred_index[] =
  "CREATE TABLE deferred_index (name TEXT PRIMARY KEY, sql TEXT NOT NULL) WITHOUT ROWID;";

/* 15: message times as Unix microseconds, again.  Migration 9 took the
 * seconds from strftime('%s', ...) of the whole text, and SQLite rounds a
 * time to the millisecond first: a message sent at hh:mm:05.9996 counted
 * as 06.9996, a second late, behind messages sent after it (the
 * "offline-and-order" test failed so, now and then).  The seconds now come
 * from the text without its fraction.  The columns are computed when read
 * (SQLite adds only virtual generated columns), and the index holds them. */
#define USEC_OF(x) \
  "CAST(strftime('%s', substr(" x ", 1, 19)) AS INTEGER) * 1000000" \
  " + CASE WHEN substr(" x ", 20, 1) = '.' THEN CAST(substr(" x ", 21, 6) AS INTEGER) ELSE 0 END"

static const char migration_message_times[] =
  "DROP INDEX message_conversation;"
  "ALTER TABLE message DROP COLUMN sent;"
  "ALTER TABLE message ADD COLUMN sent INTEGER GENERATED ALWAYS AS ("
  USEC_OF ("json_extract(body, '$.sent_at')") ") VIRTUAL;"
  "CREATE INDEX message_conversation ON message (conversation_id, sent, author_id, id) WHERE deleted = 0;"
  "ALTER TABLE read_marker DROP COLUMN read_upto;"
  "ALTER TABLE read_marker ADD COLUMN read_upto INTEGER GENERATED ALWAYS AS ("
  USEC_OF ("json_extract(body, '$.read_upto')") ") VIRTUAL;";

#undef USEC_OF

/* Statements and superbills shared with clients through the portal (the
 * record names the PDF's bytes, kept in document_blob like a document's). */
static const char migration_shared_bill[] =
  "CREATE TABLE shared_bill (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED"
  ");"
  "CREATE INDEX shared_bill_client ON shared_bill (client_id, rid) WHERE deleted = 0;";
/* 16: the practice's own note templates (note_template), listed by name. */
static const char migration_note_template[] =
  "CREATE TABLE note_template (" SYNC_COLUMNS ","
  "  name TEXT GENERATED ALWAYS AS (json_extract(body, '$.name')) STORED"
  ");"
  "CREATE INDEX note_template_name ON note_template (name) WHERE deleted = 0;";

/* 17: a note's autosaved draft goes once the note is signed or discarded,
 * however that happens: signed here (tend_chart_sign_note () drops it too),
 * signed or deleted on another computer and synced here, or discarded
 * (tend_chart_discard_note ()).  Drafts already left behind go now. */
static const char migration_note_draft_purge[] =
  "DELETE FROM note_draft WHERE note_id NOT IN (SELECT id FROM note WHERE deleted = 0"
  "  AND json_extract(body, '$.status') IS NOT 'signed');"
  "CREATE TRIGGER note_draft_purge AFTER UPDATE OF body, deleted ON note"
  "  WHEN new.deleted = 1 OR json_extract(new.body, '$.status') = 'signed'"
  " BEGIN DELETE FROM note_draft WHERE note_id = new.id; END;"
  "CREATE TRIGGER note_draft_purge_ad AFTER DELETE ON note"
  " BEGIN DELETE FROM note_draft WHERE note_id = old.id; END;";

/* 18: couple, family and group sessions: the few appointments that list
 * participants, so each member's chart finds theirs without reading every
 * appointment's body (tend_chart_list_sessions ()). */
static const char migration_multi_client[] =
  "CREATE INDEX appointment_multi_client ON appointment (start_s)"
  "  WHERE deleted = 0 AND json_extract(body, '$.participants') IS NOT NULL;";

/* Insurance typed as text that someone who keeps insurance dismissed
 * instead of making it a policy (issue 16), found by id (derived from its
 * source) and listed by client. */
static const char migration_insurance_dismissal[] =
  "CREATE TABLE insurance_dismissal (" SYNC_COLUMNS ","
  "  client_id TEXT GENERATED ALWAYS AS (json_extract(body, '$.client_id')) STORED"
  ");"
  "CREATE INDEX insurance_dismissal_client ON insurance_dismissal (client_id) WHERE deleted = 0;";

const char * const tend_store_migrations[] = {
  NULL, /* version 0: an empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_sync,
  migration_billing,
  migration_search_backlog,
  migration_outbox_reference,
  migration_messaging,
  migration_safety_plan,
  migration_portal_forms,
  migration_video_session,
  migration_chart_access,
  migration_deferred_index,
  migration_message_times,
  migration_shared_bill,
  migration_related_person,
  migration_note_template,
  migration_note_draft_purge,
  migration_multi_client,
  migration_insurance_dismissal,
};

const guint tend_store_n_migrations = G_N_ELEMENTS (tend_store_migrations) - 1;
