/* tend-chart.c: a client's chart on the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Audit rows for chart reads name the record read and carry the client's id
 * as their detail, so tend_chart_list_audit() finds a client's whole trail.
 */
#define G_LOG_DOMAIN "tend-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tend-billing.h"
#include "tend-chart.h"
#include "tend-insurance.h"
#include "tend-messages.h"
#include "tend-store-private.h"

#define RECORD_COLUMNS "id, version, deleted, updated_at, body"

static gboolean
check_permission (TendStore      *store,
                  TendPermission  permission,
                  GError        **error)
{
  TendRole role;

  if (!tend_store_get_actor_role (store, &role) || tend_role_can (role, permission))
    return TRUE;
  g_set_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
               _("Your role (%s) may not do this."), tend_role_get_label (role));
  return FALSE;
}

/* Runs @sql (with text bindings @a and @b when not %NULL, then @n1 and @n2)
 * and loads each row as a @type record. */
static GPtrArray *
query_records (TendStore  *store,
               GType       type,
               const char *sql,
               const char *a,
               const char *b,
               gint64      n1,
               gint64      n2,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int idx = 1;

  if (!tend_store_check_read (store, type, error))
    return NULL;
  stmt = tend_store_prepare_cached (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (a != NULL)
    sqlite3_bind_text (stmt, idx++, a, -1, SQLITE_TRANSIENT);
  if (b != NULL)
    sqlite3_bind_text (stmt, idx++, b, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= idx)
    sqlite3_bind_int64 (stmt, idx++, n1);
  if (sqlite3_bind_parameter_count (stmt) >= idx)
    sqlite3_bind_int64 (stmt, idx++, n2);
  return tend_store_collect_rows (store, type, stmt, TRUE, error);
}

static TendRecord *
load_checked (TendStore  *store,
              GType       type,
              const char *id,
              GError    **error)
{
  TendRecord *record = tend_store_load (store, type, id, error);

  if (record != NULL && tend_record_get_deleted (record))
    {
      g_object_unref (record);
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The record no longer exists"));
      return NULL;
    }
  return record;
}

/**
 * tend_chart_break_glass:
 * @reason: why the chart is needed (required)
 *
 * Gives the signed-in clinician emergency access to a chart they are not
 * on, for TEND_CHART_ACCESS_EMERGENCY_HOURS: a chart_access record (synced,
 * so the chart's clinician sees who, when and why) and a "break-glass"
 * audit row for the client, in one transaction.
 *
 * Returns: (transfer full) (nullable): the grant
 */
TendChartAccess *
tend_chart_break_glass (TendStore  *store,
                        const char *client_id,
                        const char *reason,
                        GError    **error)
{
  g_autoptr(TendChartAccess) access = NULL;
  const char *actor = tend_store_get_actor_id (store);
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  if (actor == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("Sign in to break the glass: it is recorded in your name."));
      return NULL;
    }
  access = tend_chart_access_new_emergency (client_id, actor, reason);
  if (!tend_store_step_begin (store, error))
    return NULL;
  ok = tend_store_save (store, TEND_RECORD (access), error) &&
       tend_store_audit_detail (store, "break-glass", "chart_access", tend_record_get_id (TEND_RECORD (access)),
                                client_id, error);
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&access);
}

/**
 * tend_chart_grant_access:
 * @kind: %TEND_CHART_ACCESS_ASSIGNED or %TEND_CHART_ACCESS_COVERING (the
 *   glass is broken with tend_chart_break_glass ())
 * @until: (nullable): when covering ends (RFC 3339), in the future;
 *   %NULL for assigned access
 *
 * Gives @staff_id access to a client's chart in the signed-in person's
 * name, through the record policy (an owner or the client's own
 * clinician gives it, to a clinician of the practice).
 *
 * Returns: (transfer full) (nullable): the grant
 */
TendChartAccess *
tend_chart_grant_access (TendStore           *store,
                         const char          *client_id,
                         const char          *staff_id,
                         TendChartAccessKind  kind,
                         const char          *until,
                         GError             **error)
{
  g_autoptr(TendChartAccess) access = NULL;
  const char *actor = tend_store_get_actor_id (store);

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (client_id != NULL && staff_id != NULL, NULL);
  g_return_val_if_fail (kind != TEND_CHART_ACCESS_EMERGENCY, NULL);
  if (actor == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("Sign in to give access to a chart: it is given in your name."));
      return NULL;
    }
  if (kind == TEND_CHART_ACCESS_COVERING)
    {
      g_autoptr(GDateTime) end = until != NULL ? tend_time_parse_iso8601 (until, NULL) : NULL;
      g_autoptr(GDateTime) now = tend_time_now ();

      if (end == NULL || g_date_time_compare (end, now) <= 0)
        {
          g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Until: covering ends in the future"));
          return NULL;
        }
    }
  access = tend_chart_access_new (kind, client_id, staff_id, actor,
                                  kind == TEND_CHART_ACCESS_COVERING ? until : NULL, NULL);
  if (!tend_store_save (store, TEND_RECORD (access), error))
    return NULL;
  return g_steal_pointer (&access);
}

/**
 * tend_chart_may_grant_access:
 *
 * Whether the signed-in person may give @staff_id assigned access to the
 * chart of @client_id, by the same record policy tend_chart_grant_access ()
 * saves through (nothing is saved).
 */
gboolean
tend_chart_may_grant_access (TendStore  *store,
                             const char *client_id,
                             const char *staff_id,
                             GError    **error)
{
  g_autoptr(TendChartAccess) access = NULL;
  const char *actor = tend_store_get_actor_id (store);

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (actor == NULL)
    return FALSE;
  access = tend_chart_access_new (TEND_CHART_ACCESS_ASSIGNED, client_id, staff_id, actor, NULL, NULL);
  return tend_store_check_write (store, TEND_RECORD (access), error);
}

/**
 * tend_chart_end_access:
 * @access: a live assigned or covering grant
 *
 * Ends the grant now (its "until" moved earlier; never deleted), if the
 * signed-in person may: the one it was for, an owner, or the client's own
 * clinician.  With @dry_run, only checks.
 */
gboolean
tend_chart_end_access (TendStore       *store,
                       TendChartAccess *access,
                       gboolean         dry_run,
                       GError         **error)
{
  g_autoptr(TendRecord) ended = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_CHART_ACCESS (access), FALSE);
  ended = tend_record_copy (TEND_RECORD (access));
  tend_chart_access_end (TEND_CHART_ACCESS (ended));
  if (dry_run)
    return tend_store_check_write (store, ended, error);
  return tend_store_save (store, ended, error);
}

/**
 * tend_chart_list_access:
 *
 * Who else is on a client's chart, and was: assigned, covering and
 * emergency access, ended or not (the chart shows its clinician who broke
 * the glass).
 *
 * Returns: (transfer container) (element-type TendChartAccess): newest first
 */
GPtrArray *
tend_chart_list_access (TendStore  *store,
                        const char *client_id,
                        GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return query_records (store, TEND_TYPE_CHART_ACCESS,
                        "SELECT " RECORD_COLUMNS " FROM chart_access WHERE client_id = ? AND deleted = 0"
                        " ORDER BY json_extract (body, '$.granted_at') DESC, rid DESC",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_open:
 *
 * Records that the actor opened a client's chart.  Every role may open one
 * (the front desk sees demographics, contacts and insurance).
 */
gboolean
tend_chart_open (TendStore  *store,
                 const char *client_id,
                 GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);
  return tend_store_audit_detail (store, "open-chart", "client", client_id, client_id, error);
}

/**
 * tend_chart_list_sessions:
 * @around_usec: now, usually
 * @upcoming: the sessions starting at or after @around_usec (soonest first),
 *   or those before it (latest first)
 *
 * Appointments are not clinical: every role sees them.
 *
 * Returns: (transfer container) (element-type TendAppointment): sessions
 */
GPtrArray *
tend_chart_list_sessions (TendStore  *store,
                          const char *client_id,
                          gint64      around_usec,
                          gboolean    upcoming,
                          guint       limit,
                          GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  /* The client's own sessions, and the couple, family and group sessions
   * they are in (the partial index appointment_multi_client). */
#define CLIENT_SESSIONS \
  " WHERE deleted = 0 AND (client_id = ?1 OR id IN (SELECT a.id FROM appointment a, json_each (a.body, '$.participants') p" \
  "   WHERE a.deleted = 0 AND json_extract(a.body, '$.participants') IS NOT NULL" \
  "   AND json_extract (p.value, '$.client_id') = ?1))"
  if (upcoming)
    return query_records (store, TEND_TYPE_APPOINTMENT,
                          "SELECT " RECORD_COLUMNS " FROM appointment" CLIENT_SESSIONS
                          " AND start_s >= ?2 ORDER BY start_s LIMIT ?3",
                          client_id, NULL, around_usec / G_USEC_PER_SEC, limit == 0 ? -1 : (gint64) limit, error);
  return query_records (store, TEND_TYPE_APPOINTMENT,
                        "SELECT " RECORD_COLUMNS " FROM appointment" CLIENT_SESSIONS
                        " AND start_s < ?2 ORDER BY start_s DESC LIMIT ?3",
                        client_id, NULL, around_usec / G_USEC_PER_SEC, limit == 0 ? -1 : (gint64) limit, error);
#undef CLIENT_SESSIONS
}

/**
 * tend_chart_list_notes:
 * @limit: a page of the timeline (0: all)
 *
 * Returns: (transfer container) (element-type TendClinicalNote): the
 *   client's notes (not addenda), newest service date first
 */
GPtrArray *
tend_chart_list_notes (TendStore  *store,
                       const char *client_id,
                       guint       offset,
                       guint       limit,
                       GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  return query_records (store, TEND_TYPE_CLINICAL_NOTE,
                        "SELECT " RECORD_COLUMNS " FROM note"
                        " WHERE client_id = ? AND deleted = 0 AND addendum_of IS NULL"
                        " ORDER BY service_date DESC, rid DESC LIMIT ? OFFSET ?",
                        client_id, NULL, limit == 0 ? -1 : (gint64) limit, offset, error);
}

gint64
tend_chart_count_notes (TendStore  *store,
                        const char *client_id,
                        GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;
  int rc;

  if (!tend_store_check_read (store, TEND_TYPE_CLINICAL_NOTE, error) ||
      !tend_store_check_chart (store, client_id, error))
    return -1;
  stmt = tend_store_prepare_cached (store, "SELECT count(*) FROM note"
                                           " WHERE client_id = ? AND deleted = 0 AND addendum_of IS NULL", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* -1 always comes with an error. */
  if (rc != SQLITE_ROW)
    tend_store_take_db_error (store, rc, error);
  return n;
}

/**
 * tend_chart_list_addenda:
 *
 * Returns: (transfer container) (element-type TendClinicalNote): the
 *   addenda of a note, oldest first
 */
GPtrArray *
tend_chart_list_addenda (TendStore  *store,
                         const char *note_id,
                         GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return query_records (store, TEND_TYPE_CLINICAL_NOTE,
                        "SELECT " RECORD_COLUMNS " FROM note"
                        " WHERE addendum_of = ? AND deleted = 0 ORDER BY rid",
                        note_id, NULL, 0, 0, error);
}

/**
 * tend_chart_view_note:
 *
 * Loads a note to show it, and audits the view.
 *
 * Returns: (transfer full) (nullable): the note
 */
TendClinicalNote *
tend_chart_view_note (TendStore  *store,
                      const char *note_id,
                      GError    **error)
{
  g_autoptr(TendRecord) note = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  note = load_checked (store, TEND_TYPE_CLINICAL_NOTE, note_id, error);
  if (note == NULL)
    return NULL;
  if (!tend_store_audit_detail (store, "view-note", "note", note_id,
                                tend_clinical_note_get_client_id (TEND_CLINICAL_NOTE (note)), error))
    return NULL;
  return TEND_CLINICAL_NOTE (g_steal_pointer (&note));
}

/**
 * tend_chart_find_note_for_appointment:
 *
 * Returns: (transfer full) (nullable): the session's note, or %NULL (and no
 *   error) when it has none yet
 */
TendClinicalNote *
tend_chart_find_note_for_appointment (TendStore  *store,
                                      const char *appointment_id,
                                      GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = query_records (store, TEND_TYPE_CLINICAL_NOTE,
                        "SELECT " RECORD_COLUMNS " FROM note"
                        " WHERE appointment_id = ? AND deleted = 0 AND addendum_of IS NULL ORDER BY rid LIMIT 1",
                        appointment_id, NULL, 0, 0, error);
  if (rows == NULL || rows->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (rows, 0));
}

/**
 * tend_chart_find_video_session:
 *
 * Returns: (transfer full) (nullable): the video session held for
 *   @appointment_id, an ended one first, the latest; %NULL when none
 *   (or on an error, then set)
 */
TendVideoSession *
tend_chart_find_video_session (TendStore  *store,
                               const char *appointment_id,
                               GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  rows = query_records (store, TEND_TYPE_VIDEO_SESSION,
                        "SELECT " RECORD_COLUMNS " FROM video_session"
                        " WHERE appointment_id = ? AND deleted = 0"
                        " ORDER BY json_extract(body, '$.ended_at') IS NULL, json_extract(body, '$.started_at') DESC"
                        " LIMIT 1",
                        appointment_id, NULL, 0, 0, error);
  if (rows == NULL || rows->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (rows, 0));
}

static gboolean
note_status (TendStore  *store,
             const char *note_id,
             gboolean   *signed_,
             GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT status FROM note WHERE id = ? AND deleted = 0", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *signed_ = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "signed") == 0;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND, _("The note no longer exists"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

static gboolean
refuse_signed (GError **error)
{
  g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD,
                       _("The note is signed and can no longer change; add an addendum instead."));
  return FALSE;
}

/**
 * tend_chart_save_draft:
 * @sections: a JSON object of section key to text
 *
 * The autosave path: cheap (one upsert, no outbox, no audit) and durable
 * (committed with synchronous=FULL before it returns).
 */
gboolean
tend_chart_save_draft (TendStore  *store,
                       const char *note_id,
                       JsonNode   *sections,
                       GError    **error)
{
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gboolean is_signed = FALSE;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (sections != NULL && JSON_NODE_HOLDS_OBJECT (sections), FALSE);

  if (!check_permission (store, TEND_PERMISSION_EDIT_CLINICAL, error))
    return FALSE;
  text = json_to_string (sections, FALSE);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  if (!note_status (store, note_id, &is_signed, error))
    goto out;
  if (is_signed)
    {
      refuse_signed (error);
      goto out;
    }
  stmt = tend_store_prepare_cached (store, "INSERT INTO note_draft (note_id, sections, saved_at) VALUES (?1, ?2, ?3)"
                                           " ON CONFLICT (note_id) DO UPDATE SET sections = ?2, saved_at = ?3", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      goto out;
    }
  ok = TRUE;
out:
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

static gboolean
delete_draft (TendStore  *store,
              const char *note_id,
              GError    **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "DELETE FROM note_draft WHERE note_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tend_store_take_db_error (store, rc, error);
  return TRUE;
}

/* Draft rows hold the sections object; since notes record their session,
 * risk assessment and mental status exam, the other members the editor
 * changes ride along in it under DRAFT_NOTE_MEMBER, a name no template
 * uses for a section.  Rows written before then have only sections. */
#define DRAFT_NOTE_MEMBER "$note"

/* Applies an autosaved draft newer than the note's last save. */
static gboolean
apply_draft (TendStore        *store,
             TendClinicalNote *note,
             GError          **error)
{
  sqlite3_stmt *stmt = tend_store_prepare_cached (store, "SELECT sections, saved_at FROM note_draft WHERE note_id = ?", error);
  gboolean applied = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, tend_record_get_id (TEND_RECORD (note)), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_int64 (stmt, 1) >= tend_record_get_updated_at (TEND_RECORD (note)))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 0), -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *root = json_node_get_object (json_parser_get_root (parser));
          JsonNode *fields = json_object_get_member (root, DRAFT_NOTE_MEMBER);

          if (fields != NULL && JSON_NODE_HOLDS_OBJECT (fields))
            {
              g_autoptr(JsonNode) body = tend_record_serialize_body (TEND_RECORD (note));
              g_autoptr(JsonNode) before = json_node_copy (body);
              JsonObject *b = json_node_get_object (body);
              JsonObject *f = json_node_get_object (fields);

              for (guint i = 0; tend_note_editable_fields[i] != NULL; i++)
                {
                  const char *name = tend_note_editable_fields[i];

                  if (json_object_has_member (f, name))
                    json_object_set_member (b, name, json_node_copy (json_object_get_member (f, name)));
                  else if (json_object_has_member (b, name))
                    json_object_remove_member (b, name);
                }
              /* A draft this version cannot read back keeps the saved note. */
              if (!tend_record_load_body (TEND_RECORD (note), body, NULL))
                tend_record_load_body (TEND_RECORD (note), before, NULL);
              json_object_remove_member (root, DRAFT_NOTE_MEMBER);
            }
          tend_record_set_json (TEND_RECORD (note), "sections",
                                json_object_get_size (root) > 0 ? json_parser_get_root (parser) : NULL);
          applied = TRUE;
        }
    }
  sqlite3_reset (stmt);
  return applied;
}

/**
 * tend_chart_save_draft_note:
 * @note: a draft, as the editor holds it
 *
 * Autosaves everything the editor changes: the sections, and the session,
 * risk assessment and mental status exam (tend_note_editable_fields), as
 * tend_chart_save_draft() does for sections alone.
 */
gboolean
tend_chart_save_draft_note (TendStore        *store,
                            TendClinicalNote *note,
                            GError          **error)
{
  g_autoptr(JsonNode) sections = tend_record_dup_json (TEND_RECORD (note), "sections");
  g_autoptr(JsonNode) body = tend_record_serialize_body (TEND_RECORD (note));
  g_autoptr(JsonNode) draft = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = sections != NULL && JSON_NODE_HOLDS_OBJECT (sections)
                    ? json_object_ref (json_node_get_object (sections)) : json_object_new ();
  JsonObject *fields = json_object_new ();

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (note), FALSE);
  for (guint i = 0; tend_note_editable_fields[i] != NULL; i++)
    {
      JsonNode *v = json_object_get_member (json_node_get_object (body), tend_note_editable_fields[i]);

      if (v != NULL)
        json_object_set_member (fields, tend_note_editable_fields[i], json_node_copy (v));
    }
  json_object_set_object_member (obj, DRAFT_NOTE_MEMBER, fields);
  json_node_take_object (draft, obj);
  return tend_chart_save_draft (store, tend_record_get_id (TEND_RECORD (note)), draft, error);
}

/**
 * tend_chart_load_for_editing:
 * @recovered: (out) (optional): set when an autosaved draft newer than the
 *   saved note was applied (after a crash, or a close without saving)
 *
 * Returns: (transfer full) (nullable): the note with its latest text
 */
TendClinicalNote *
tend_chart_load_for_editing (TendStore  *store,
                             const char *note_id,
                             gboolean   *recovered,
                             GError    **error)
{
  g_autoptr(TendRecord) note = NULL;
  gboolean applied = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!check_permission (store, TEND_PERMISSION_EDIT_CLINICAL, error))
    return NULL;
  note = load_checked (store, TEND_TYPE_CLINICAL_NOTE, note_id, error);
  if (note == NULL)
    return NULL;
  if (!tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (note)))
    applied = apply_draft (store, TEND_CLINICAL_NOTE (note), NULL);
  if (recovered != NULL)
    *recovered = applied;
  if (!tend_store_audit_detail (store, "view-note", "note", note_id,
                                tend_clinical_note_get_client_id (TEND_CLINICAL_NOTE (note)), error))
    return NULL;
  return TEND_CLINICAL_NOTE (g_steal_pointer (&note));
}

/**
 * tend_chart_save_note:
 *
 * Saves a draft note (row, outbox, audit) and drops its autosaved draft, in
 * one transaction.  A signed note is refused.
 */
gboolean
tend_chart_save_note (TendStore        *store,
                      TendClinicalNote *note,
                      GError          **error)
{
  const char *id;
  gboolean ok;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (note), FALSE);

  id = tend_record_get_id (TEND_RECORD (note));
  if (tend_clinical_note_is_signed (note))
    return refuse_signed (error);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  ok = tend_store_save (store, TEND_RECORD (note), error) && delete_draft (store, id, error);
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_chart_discard_note:
 *
 * Discards a draft note: the record is deleted (a tombstone that syncs) and
 * its autosaved text is purged, in one transaction.  Only the author
 * discards their draft; a signed note is refused (it is corrected with an
 * addendum).
 */
gboolean
tend_chart_discard_note (TendStore  *store,
                         const char *note_id,
                         GError    **error)
{
  g_autoptr(TendRecord) note = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!tend_store_step_begin (store, error))
    return FALSE;
  note = load_checked (store, TEND_TYPE_CLINICAL_NOTE, note_id, error);
  if (note == NULL)
    goto out;
  if (tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (note)))
    {
      refuse_signed (error);
      goto out;
    }
  /* The record policy decides who may delete it (the author alone). */
  ok = tend_store_delete (store, note, error) && delete_draft (store, note_id, error);
out:
  return tend_store_step_end (store, ok, ok ? error : NULL) && ok;
}

/**
 * tend_chart_sign_note:
 *
 * Signs a draft as the actor, who must be its author: applies the latest
 * autosaved text, computes the SHA-256 of the content, sets the signer and
 * time, routes a supervisee's note to their supervisor for co-signature, and
 * writes it all with its audit rows in one transaction.
 *
 * Returns: (transfer full) (nullable): the signed note
 */
TendClinicalNote *
tend_chart_sign_note (TendStore  *store,
                      const char *note_id,
                      GError    **error)
{
  g_autoptr(TendRecord) note = NULL;
  g_autoptr(TendRecord) author = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *actor;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!check_permission (store, TEND_PERMISSION_EDIT_CLINICAL, error))
    return NULL;
  actor = tend_store_get_actor_id (store);
  if (!tend_store_step_begin (store, error))
    return NULL;
  note = load_checked (store, TEND_TYPE_CLINICAL_NOTE, note_id, error);
  if (note == NULL)
    goto out;
  if (tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (note)))
    {
      refuse_signed (error);
      goto out;
    }
  if (actor != NULL && g_strcmp0 (actor, tend_clinical_note_get_author_id (TEND_CLINICAL_NOTE (note))) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("Only the note’s author can sign it."));
      goto out;
    }
  apply_draft (store, TEND_CLINICAL_NOTE (note), NULL);

  author = tend_store_load (store, TEND_TYPE_STAFF, tend_clinical_note_get_author_id (TEND_CLINICAL_NOTE (note)), NULL);
  if (author != NULL && tend_staff_get_supervisor_id (TEND_STAFF (author)) != NULL)
    tend_record_set_string (note, "cosign_required_by", tend_staff_get_supervisor_id (TEND_STAFF (author)));

  now = g_date_time_new_now_utc ();
  if (!tend_clinical_note_mark_signed (TEND_CLINICAL_NOTE (note),
                                       tend_clinical_note_get_author_id (TEND_CLINICAL_NOTE (note)), now, error))
    goto out;
  ok = tend_store_save (store, note, error) &&
       delete_draft (store, note_id, error) &&
       tend_store_audit_detail (store, "sign-note", "note", note_id,
                                tend_clinical_note_get_client_id (TEND_CLINICAL_NOTE (note)), error);
  /* A practice that charges when the note is signed: the session's charge,
   * in the same transaction (tend-billing.c does nothing otherwise). */
  if (ok && tend_clinical_note_get_appointment_id (TEND_CLINICAL_NOTE (note)) != NULL &&
      tend_clinical_note_get_addendum_of (TEND_CLINICAL_NOTE (note)) == NULL)
    ok = tend_billing_note_signed (store, tend_clinical_note_get_appointment_id (TEND_CLINICAL_NOTE (note)), error);
out:
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return TEND_CLINICAL_NOTE (g_steal_pointer (&note));
}

/**
 * tend_chart_add_addendum:
 *
 * Adds a signed addendum under a signed note: the way to correct the record.
 *
 * Returns: (transfer full) (nullable): the addendum
 */
TendClinicalNote *
tend_chart_add_addendum (TendStore  *store,
                         const char *note_id,
                         const char *text,
                         GError    **error)
{
  g_autoptr(TendRecord) parent = NULL;
  g_autoptr(TendClinicalNote) addendum = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *actor;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!check_permission (store, TEND_PERMISSION_EDIT_CLINICAL, error))
    return NULL;
  actor = tend_store_get_actor_id (store);
  if (actor == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("An addendum needs a signed-in author."));
      return NULL;
    }
  if (text == NULL || strspn (text, " \t\r\n") == strlen (text))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("Addendum: the text is empty"));
      return NULL;
    }
  if (!tend_store_step_begin (store, error))
    return NULL;
  parent = load_checked (store, TEND_TYPE_CLINICAL_NOTE, note_id, error);
  if (parent == NULL)
    goto out;
  if (!tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (parent)))
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                           _("A draft is corrected by editing it; addenda are for signed notes."));
      goto out;
    }
  addendum = tend_clinical_note_new (tend_clinical_note_get_client_id (TEND_CLINICAL_NOTE (parent)),
                                     actor, TEND_NOTE_TEMPLATE_ADDENDUM);
  tend_record_set_string (TEND_RECORD (addendum), "addendum_of", note_id);
  tend_record_set_string (TEND_RECORD (addendum), "appointment_id",
                          tend_clinical_note_get_appointment_id (TEND_CLINICAL_NOTE (parent)));
  tend_clinical_note_set_section (addendum, "text", text);
  ok = tend_clinical_note_mark_signed (addendum, actor, now, error) &&
       tend_store_save (store, TEND_RECORD (addendum), error) &&
       tend_store_audit_detail (store, "sign-addendum", "note", tend_record_get_id (TEND_RECORD (addendum)),
                                tend_clinical_note_get_client_id (addendum), error);
out:
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&addendum);
}

/**
 * tend_chart_cosign_note:
 *
 * Co-signs a supervisee's signed note, as the supervisor it was routed to
 * (or the owner).
 *
 * Returns: (transfer full) (nullable): the co-signed note
 */
TendClinicalNote *
tend_chart_cosign_note (TendStore  *store,
                        const char *note_id,
                        GError    **error)
{
  g_autoptr(TendRecord) note = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *iso = tend_time_to_iso8601 (now);
  const char *actor = tend_store_get_actor_id (store);
  TendRole role = TEND_ROLE_OWNER;
  gboolean ok = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!check_permission (store, TEND_PERMISSION_COSIGN, error))
    return NULL;
  tend_store_get_actor_role (store, &role);
  if (!tend_store_step_begin (store, error))
    return NULL;
  note = load_checked (store, TEND_TYPE_CLINICAL_NOTE, note_id, error);
  if (note == NULL)
    goto out;
  if (!tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (note)) ||
      tend_clinical_note_get_cosign_required_by (TEND_CLINICAL_NOTE (note)) == NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID, _("This note is not waiting for a co-signature."));
      goto out;
    }
  if (tend_clinical_note_get_cosigned_by (TEND_CLINICAL_NOTE (note)) != NULL)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_CONFLICT, _("This note is already co-signed."));
      goto out;
    }
  if (actor != NULL && role != TEND_ROLE_OWNER &&
      g_strcmp0 (actor, tend_clinical_note_get_cosign_required_by (TEND_CLINICAL_NOTE (note))) != 0)
    {
      g_set_error_literal (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED,
                           _("Only the author’s supervisor can co-sign this note."));
      goto out;
    }
  tend_record_set_string (note, "cosigned_by", actor != NULL ? actor
                          : tend_clinical_note_get_cosign_required_by (TEND_CLINICAL_NOTE (note)));
  tend_record_set_string (note, "cosigned_at", iso);
  ok = tend_store_save (store, note, error) &&
       tend_store_audit_detail (store, "cosign-note", "note", note_id,
                                tend_clinical_note_get_client_id (TEND_CLINICAL_NOTE (note)), error);
out:
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return TEND_CLINICAL_NOTE (g_steal_pointer (&note));
}

/**
 * tend_chart_list_cosign_queue:
 *
 * Returns: (transfer container) (element-type TendClinicalNote): signed
 *   notes waiting for @supervisor_id's co-signature, oldest first
 */
GPtrArray *
tend_chart_list_cosign_queue (TendStore  *store,
                              const char *supervisor_id,
                              GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return query_records (store, TEND_TYPE_CLINICAL_NOTE,
                        "SELECT " RECORD_COLUMNS " FROM note"
                        " WHERE cosign_required_by = ? AND deleted = 0 AND cosigned_by IS NULL"
                        " ORDER BY service_date, rid",
                        supervisor_id, NULL, 0, 0, error);
}

/**
 * tend_chart_list_unsigned:
 * @author_id: (nullable): one clinician's, or everyone's
 * @older_than_days: drafts whose service date is more than this many days
 *   before @today
 *
 * Returns: (transfer container) (element-type TendClinicalNote): overdue
 *   drafts, oldest first
 */
GPtrArray *
tend_chart_list_unsigned (TendStore   *store,
                          const char  *author_id,
                          guint        older_than_days,
                          const GDate *today,
                          GError     **error)
{
  GDate cutoff = *today;
  g_autofree char *before = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_date_subtract_days (&cutoff, older_than_days);
  before = tend_date_to_string (&cutoff);
  if (author_id != NULL)
    return query_records (store, TEND_TYPE_CLINICAL_NOTE,
                          "SELECT " RECORD_COLUMNS " FROM note INDEXED BY note_unsigned"
                          " WHERE deleted = 0 AND status = 'draft' AND service_date < ? AND author_id = ?"
                          " ORDER BY service_date, rid",
                          before, author_id, 0, 0, error);
  return query_records (store, TEND_TYPE_CLINICAL_NOTE,
                        "SELECT " RECORD_COLUMNS " FROM note INDEXED BY note_unsigned"
                        " WHERE deleted = 0 AND status = 'draft' AND service_date < ?"
                        " ORDER BY service_date, rid",
                        before, NULL, 0, 0, error);
}

/* Words as quoted FTS5 terms, so no input is FTS5 syntax: the words before
 * the last are whole words (the person typed past them), the last one a
 * prefix (it may be half typed).  A prefix longer than the prefix indexes
 * makes FTS5 merge the full doclist of every matching term before it can
 * stop at the limit; whole words are read lazily, newest first. */
char *
tend_store_fts_query (const char *text,
                      gboolean    last_is_prefix)
{
  g_auto(GStrv) words = g_str_tokenize_and_fold (text, NULL, NULL);
  GString *q = g_string_new (NULL);
  guint n = g_strv_length (words);
  gboolean ends_in_space = text != NULL && *text != '\0' && g_ascii_isspace (text[strlen (text) - 1]);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *escaped = NULL;
      g_auto(GStrv) parts = g_strsplit (words[i], "\"", -1);

      escaped = g_strjoinv ("\"\"", parts);
      if (q->len > 0)
        g_string_append_c (q, ' ');
      g_string_append_printf (q, "\"%s\"%s", escaped, last_is_prefix && i + 1 == n && !ends_in_space ? "*" : "");
    }
  return g_string_free (q, FALSE);
}

/**
 * tend_chart_search_notes:
 *
 * Full-text search across every client's notes and addenda (all words must
 * match; the last one may be the start of a word): first the @limit most
 * recently written notes with the words as typed, most recent service first;
 * then, if there is room, those where the last word only starts a word.
 *
 * Returns: (transfer container) (element-type TendClinicalNote): the notes
 */
/* Whole words first, then, while there is room, words that start with the
 * last one. */
static GPtrArray *
search_notes (TendStore  *store,
              const char *sql,
              const char *text,
              guint       limit,
              GError    **error)
{
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gint64 max = limit == 0 ? -1 : (gint64) limit;

  /* Searching note text is reading it. */
  if (!check_permission (store, TEND_PERMISSION_VIEW_CLINICAL, error))
    return NULL;
  exact = tend_store_fts_query (text != NULL ? text : "", FALSE);
  prefix = tend_store_fts_query (text != NULL ? text : "", TRUE);
  if (*exact == '\0')
    return g_ptr_array_new_with_free_func (g_object_unref);

  /* Whole words first: read lazily, they answer a typed word at once. */
  hits = query_records (store, TEND_TYPE_CLINICAL_NOTE, sql, exact, NULL, max, 0, error);
  if (hits == NULL || (limit > 0 && hits->len >= limit) || strcmp (exact, prefix) == 0)
    return g_steal_pointer (&hits);

  more = query_records (store, TEND_TYPE_CLINICAL_NOTE, sql, prefix, NULL, max, 0, error);
  if (more == NULL)
    return NULL;
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < hits->len; i++)
    g_hash_table_add (seen, (gpointer) tend_record_get_id (g_ptr_array_index (hits, i)));
  for (guint i = 0; i < more->len && (limit == 0 || hits->len < limit); i++)
    if (!g_hash_table_contains (seen, tend_record_get_id (g_ptr_array_index (more, i))))
      g_ptr_array_add (hits, g_object_ref (g_ptr_array_index (more, i)));
  return g_steal_pointer (&hits);
}

GPtrArray *
tend_chart_search_notes (TendStore  *store,
                         const char *text,
                         guint       limit,
                         GError    **error)
{
  static const char sql[] =
    /* The newest matches by entry (FTS5 walks its rowids backwards and
     * stops at the limit, instead of sorting every match of a common
     * word), then by service date. */
    "SELECT " RECORD_COLUMNS " FROM note"
    " WHERE rid IN (SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT ?)"
    " AND deleted = 0 ORDER BY service_date DESC, rid DESC";

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return search_notes (store, sql, text, limit, error);
}

/* Text folded as the note index folds it (unicode61, diacritics removed):
 * ASCII, lower case. */
static char *
fold_text (const char *text)
{
  const char *p;

  for (p = text; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    return g_ascii_strdown (text, -1);
  {
    g_autofree char *ascii = g_str_to_ascii (text, "C");

    return g_ascii_strdown (ascii, -1);
  }
}

/* Whether @word occurs in @folded starting a word (and, unless @prefix,
 * ending one). */
static gboolean
has_word (const char *folded,
          const char *word,
          gboolean    prefix)
{
  gsize len = strlen (word);

  for (const char *at = strstr (folded, word); at != NULL; at = strstr (at + 1, word))
    if ((at == folded || !g_ascii_isalnum (at[-1])) && (prefix || !g_ascii_isalnum (at[len])))
      return TRUE;
  return FALSE;
}

/**
 * tend_chart_search_client_notes:
 *
 * As tend_chart_search_notes(), in one client's notes and addenda (every
 * word, the last one possibly half typed, accents and case folded).  A
 * client has hundreds of notes, not hundreds of thousands: they are read
 * and matched here, which stays fast when a word is in most of the
 * practice's notes (the practice's index answered in 1.2 s then, on
 * 300,000 notes: bench/bench-chart).
 *
 * Returns: (transfer container) (element-type TendClinicalNote): the notes,
 *   most recent service first
 */
GPtrArray *
tend_chart_search_client_notes (TendStore  *store,
                                const char *client_id,
                                const char *text,
                                guint       limit,
                                GError    **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *folded_query = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  gboolean last_is_prefix;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  /* Searching note text is reading it. */
  if (!check_permission (store, TEND_PERMISSION_VIEW_CLINICAL, error))
    return NULL;
  folded_query = fold_text (text != NULL ? text : "");
  for (char *c = folded_query; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      *c = ' ';
  words = g_strsplit (folded_query, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (kept, words[i]);
  if (kept->len == 0)
    return g_steal_pointer (&hits);
  last_is_prefix = text != NULL && !g_ascii_isspace (text[strlen (text) - 1]);

  notes = query_records (store, TEND_TYPE_CLINICAL_NOTE,
                         /* The notes through note_client, their addenda through
                          * note_addendum: both indexes are partial, and a plain
                          * "client_id = ?" would read every note there is. */
                         "SELECT " RECORD_COLUMNS ", service_date, rid FROM note INDEXED BY note_client"
                         " WHERE client_id = ?1 AND deleted = 0 AND addendum_of IS NULL"
                         " UNION ALL SELECT " RECORD_COLUMNS ", service_date, rid FROM note INDEXED BY note_addendum"
                         " WHERE deleted = 0 AND addendum_of IN (SELECT id FROM note INDEXED BY note_client"
                         "   WHERE client_id = ?1 AND deleted = 0 AND addendum_of IS NULL)"
                         " ORDER BY 6 DESC, 7 DESC",
                         client_id, NULL, 0, 0, error);
  if (notes == NULL)
    return NULL;
  for (guint i = 0; i < notes->len && (limit == 0 || hits->len < limit); i++)
    {
      TendRecord *note = notes->pdata[i];
      g_autoptr(JsonNode) sections = tend_record_dup_json (note, "sections");
      g_autoptr(GString) all = g_string_new (NULL);
      g_autofree char *folded = NULL;
      gboolean match = TRUE;

      if (sections != NULL && JSON_NODE_HOLDS_OBJECT (sections))
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init (&iter, json_node_get_object (sections));
          while (json_object_iter_next (&iter, &name, &value))
            if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
              g_string_append_printf (all, "%s\n", json_node_get_string (value));
        }
      folded = fold_text (all->str);
      for (guint w = 0; w < kept->len && match; w++)
        match = has_word (folded, kept->pdata[w], last_is_prefix && w + 1 == kept->len);
      if (match)
        g_ptr_array_add (hits, g_object_ref (note));
    }
  return g_steal_pointer (&hits);
}

/**
 * tend_chart_list_diagnoses:
 *
 * Returns: (transfer container) (element-type TendDiagnosis): active first
 *   (primary before secondary), then resolved
 */
GPtrArray *
tend_chart_list_diagnoses (TendStore  *store,
                           const char *client_id,
                           GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  return query_records (store, TEND_TYPE_DIAGNOSIS,
                        "SELECT " RECORD_COLUMNS " FROM diagnosis WHERE client_id = ? AND deleted = 0"
                        " ORDER BY resolved IS NOT NULL, json_extract(body, '$.rank') = 'secondary', code",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_list_plans:
 *
 * Returns: (transfer container) (element-type TendTreatmentPlan): newest first
 */
GPtrArray *
tend_chart_list_plans (TendStore  *store,
                       const char *client_id,
                       GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  return query_records (store, TEND_TYPE_TREATMENT_PLAN,
                        "SELECT " RECORD_COLUMNS " FROM treatment_plan WHERE client_id = ? AND deleted = 0"
                        " ORDER BY rid DESC",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_list_safety_plans:
 *
 * Returns: (transfer container) (element-type TendSafetyPlan): the current
 *   plan (latest date) first
 */
GPtrArray *
tend_chart_list_safety_plans (TendStore  *store,
                              const char *client_id,
                              GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  return query_records (store, TEND_TYPE_SAFETY_PLAN,
                        "SELECT " RECORD_COLUMNS " FROM safety_plan WHERE client_id = ? AND deleted = 0"
                        " ORDER BY plan_date DESC, rid DESC",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_sign_plan:
 *
 * Returns: (transfer full) (nullable): the signed plan
 */
TendTreatmentPlan *
tend_chart_sign_plan (TendStore  *store,
                      const char *plan_id,
                      GError    **error)
{
  g_autoptr(TendRecord) plan = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *actor = tend_store_get_actor_id (store);
  gboolean ok = FALSE;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!check_permission (store, TEND_PERMISSION_EDIT_CLINICAL, error))
    return NULL;
  if (!tend_store_step_begin (store, error))
    return NULL;
  plan = load_checked (store, TEND_TYPE_TREATMENT_PLAN, plan_id, error);
  if (plan == NULL)
    goto out;
  ok = tend_treatment_plan_mark_signed (TEND_TREATMENT_PLAN (plan),
                                        actor != NULL ? actor : tend_record_get_string (plan, "author_id"),
                                        now, error) &&
       tend_store_save (store, plan, error) &&
       tend_store_audit_detail (store, "sign-plan", "treatment_plan", plan_id,
                                tend_treatment_plan_get_client_id (TEND_TREATMENT_PLAN (plan)), error);
out:
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return TEND_TREATMENT_PLAN (g_steal_pointer (&plan));
}

/**
 * tend_chart_list_measures:
 * @instrument: a #TendInstrument, or -1 for all
 *
 * Returns: (transfer container) (element-type TendMeasure): oldest first,
 *   as a graph draws them
 */
GPtrArray *
tend_chart_list_measures (TendStore  *store,
                          const char *client_id,
                          int         instrument,
                          GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  if (instrument < 0)
    return query_records (store, TEND_TYPE_MEASURE,
                          "SELECT " RECORD_COLUMNS " FROM measure WHERE client_id = ? AND deleted = 0"
                          " ORDER BY date, rid",
                          client_id, NULL, 0, 0, error);
  return query_records (store, TEND_TYPE_MEASURE,
                        "SELECT " RECORD_COLUMNS " FROM measure WHERE client_id = ? AND instrument = ? AND deleted = 0"
                        " ORDER BY date, rid",
                        client_id, tend_instrument_to_string ((TendInstrument) instrument), 0, 0, error);
}

/**
 * tend_chart_has_risk_alert:
 *
 * Whether the client's latest PHQ-9 answered item 9 (thoughts of death or
 * self-harm) with anything but "not at all".  %FALSE for roles that may not
 * see measures.
 */
gboolean
tend_chart_has_risk_alert (TendStore  *store,
                           const char *client_id,
                           GError    **error)
{
  g_autoptr(GPtrArray) latest = NULL;
  TendRole role;

  if (tend_store_get_actor_role (store, &role) && !tend_role_can (role, TEND_PERMISSION_VIEW_CLINICAL))
    return FALSE;
  /* Nor for a chart the person is not on: the chart says so instead. */
  {
    g_autoptr(GError) local = NULL;

    if (!tend_store_check_chart (store, client_id, &local))
      {
        if (!g_error_matches (local, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS))
          g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
  }
  latest = query_records (store, TEND_TYPE_MEASURE,
                          "SELECT " RECORD_COLUMNS " FROM measure WHERE client_id = ? AND instrument = 'phq9'"
                          " AND deleted = 0 ORDER BY date DESC, rid DESC LIMIT 1",
                          client_id, NULL, 0, 0, error);
  return latest != NULL && latest->len > 0 && tend_measure_has_risk (g_ptr_array_index (latest, 0));
}

/**
 * tend_chart_list_documents:
 *
 * Returns: (transfer container) (element-type TendDocument): newest first
 */
GPtrArray *
tend_chart_list_documents (TendStore  *store,
                           const char *client_id,
                           GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!tend_store_check_chart (store, client_id, error))
    return NULL;
  return query_records (store, TEND_TYPE_DOCUMENT,
                        "SELECT " RECORD_COLUMNS " FROM document WHERE client_id = ? AND deleted = 0 ORDER BY rid DESC",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_list_portal_forms:
 *
 * The forms sent to a client through the portal: those still waiting
 * first, then the rest, newest first.
 *
 * Returns: (transfer container) (element-type TendPortalForm): the forms
 */
GPtrArray *
tend_chart_list_portal_forms (TendStore  *store,
                              const char *client_id,
                              GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return query_records (store, TEND_TYPE_PORTAL_FORM,
                        "SELECT " RECORD_COLUMNS " FROM portal_form WHERE client_id = ? AND deleted = 0"
                        " ORDER BY status = 'pending' DESC, rid DESC",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_list_related_people:
 *
 * A client's guardians and related people: legal guardians first, then in
 * the order they were recorded.  Read by every role that reads
 * demographics (the record policy of related_person).
 *
 * Returns: (transfer container) (element-type TendRelatedPerson): the people
 */
GPtrArray *
tend_chart_list_related_people (TendStore  *store,
                                const char *client_id,
                                GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  return query_records (store, TEND_TYPE_RELATED_PERSON,
                        "SELECT " RECORD_COLUMNS " FROM related_person WHERE client_id = ? AND deleted = 0"
                        " ORDER BY coalesce(json_extract(body, '$.legal_guardian'), 0) DESC, rid",
                        client_id, NULL, 0, 0, error);
}

/**
 * tend_chart_load_group_note:
 * @appointment: (nullable): the session the note documents
 *
 * What @client_id's note of a couple, family or group session may say of
 * the other members (tend-group-note.c): the members' names and the
 * client's related people.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL (no error) when
 *   @appointment is %NULL or not a multi-client session
 */
TendGroupNote *
tend_chart_load_group_note (TendStore       *store,
                            const char      *client_id,
                            TendAppointment *appointment,
                            GError         **error)
{
  g_autoptr(TendGroupNote) rule = NULL;
  g_autoptr(GPtrArray) related = NULL;
  g_auto(GStrv) members = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (appointment == NULL || !tend_appointment_is_multi_client (appointment) ||
      !tend_appointment_has_member (appointment, client_id))
    return NULL;
  related = tend_chart_list_related_people (store, client_id, error);
  if (related == NULL)
    return NULL;
  rule = tend_group_note_new (appointment, client_id);
  members = tend_appointment_dup_member_ids (appointment);
  for (guint i = 0; members[i] != NULL; i++)
    {
      g_autofree char *name = tend_store_dup_display_name (store, TEND_TYPE_CLIENT, members[i]);

      tend_group_note_add_name (rule, members[i], name);
    }
  for (guint i = 0; i < related->len; i++)
    tend_group_note_add_related (rule, g_ptr_array_index (related, i));
  return g_steal_pointer (&rule);
}

/**
 * tend_chart_load_group_note_for:
 *
 * tend_chart_load_group_note () for @note's own session, when it has one.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL (no error) when
 *   the note's session is not a multi-client one
 */
TendGroupNote *
tend_chart_load_group_note_for (TendStore        *store,
                                TendClinicalNote *note,
                                GError          **error)
{
  const char *appointment_id = tend_clinical_note_get_appointment_id (note);
  g_autoptr(TendRecord) appointment = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (TEND_IS_CLINICAL_NOTE (note), NULL);
  if (appointment_id == NULL)
    return NULL;
  appointment = tend_store_load (store, TEND_TYPE_APPOINTMENT, appointment_id, NULL);
  if (appointment == NULL || tend_record_get_deleted (appointment))
    return NULL;
  return tend_chart_load_group_note (store, tend_clinical_note_get_client_id (note),
                                     TEND_APPOINTMENT (appointment), error);
}

/**
 * tend_chart_share_document:
 * @shared: whether the client may download it from the portal
 *
 * Shares a chart document with its client, or stops sharing it.
 */
gboolean
tend_chart_share_document (TendStore  *store,
                           const char *document_id,
                           gboolean    shared,
                           GError    **error)
{
  g_autoptr(TendRecord) doc = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  doc = load_checked (store, TEND_TYPE_DOCUMENT, document_id, error);
  if (doc == NULL)
    return FALSE;
  if ((tend_record_get_int (doc, "shared_with_client") != 0) == shared)
    return TRUE;
  tend_record_set_int (doc, "shared_with_client", shared ? 1 : 0);
  return tend_store_save (store, doc, error);
}

/* The first bytes must agree with the declared type: a renamed executable
 * or a truncated download is refused before it reaches the chart. */
gboolean
tend_store_check_magic (const char *mime_type,
             GBytes     *contents,
             GError    **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (contents, &size);
  gboolean ok;

  if (g_strcmp0 (mime_type, "application/pdf") == 0)
    ok = size >= 5 && memcmp (data, "%PDF-", 5) == 0;
  else if (g_strcmp0 (mime_type, "image/png") == 0)
    ok = size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0;
  else if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    ok = size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0;
  else
    ok = TRUE;  /* the record's validation names the unsupported type */
  if (!ok)
    g_set_error_literal (error, TEND_ERROR, TEND_ERROR_INVALID,
                         _("The file’s contents do not match its type: it may be damaged or renamed."));
  return ok;
}

/**
 * tend_chart_attach_document:
 * @contents: the file's bytes
 *
 * Stores the bytes (inside the encrypted store, by their SHA-256) and the
 * document record in one transaction.
 *
 * Returns: (transfer full) (nullable): the new document
 */
TendDocument *
tend_chart_attach_document (TendStore  *store,
                            const char *client_id,
                            const char *title,
                            const char *mime_type,
                            GBytes     *contents,
                            GError    **error)
{
  g_autoptr(TendDocument) doc = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *iso = tend_time_to_iso8601 (now);
  sqlite3_stmt *stmt;
  gsize size = 0;
  const guint8 *data;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  g_return_val_if_fail (contents != NULL, NULL);

  if (!check_permission (store, TEND_PERMISSION_EDIT_CLINICAL, error))
    return NULL;
  if (!tend_store_check_magic (mime_type, contents, error))
    return NULL;
  doc = tend_document_new (client_id, title, mime_type, contents);
  tend_record_set_string (TEND_RECORD (doc), "added_by", tend_store_get_actor_id (store));
  tend_record_set_string (TEND_RECORD (doc), "added_at", iso);
  if (!tend_record_validate (TEND_RECORD (doc), error))
    return NULL;

  data = g_bytes_get_data (contents, &size);
  if (!tend_store_step_begin (store, error))
    return NULL;
  stmt = tend_store_prepare_cached (store, "INSERT INTO document_blob (sha256, data, created_at) VALUES (?, ?, ?)"
                                           " ON CONFLICT (sha256) DO NOTHING", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, tend_document_get_sha256 (doc), -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (stmt, 2, data, size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      goto out;
    }
  ok = tend_store_save (store, TEND_RECORD (doc), error);
out:
  if (!tend_store_step_end (store, ok, ok ? error : NULL) || !ok)
    return NULL;
  return g_steal_pointer (&doc);
}

/**
 * tend_chart_read_document:
 * @document: (out) (optional) (transfer full): the record
 *
 * Reads a document's bytes back (to view or export it), checking them
 * against the hash they were stored under, and audits the read.
 *
 * Returns: (transfer full) (nullable): the bytes
 */
GBytes *
tend_chart_read_document (TendStore     *store,
                          const char    *document_id,
                          TendDocument **document,
                          GError       **error)
{
  g_autoptr(TendRecord) doc = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  doc = load_checked (store, TEND_TYPE_DOCUMENT, document_id, error);
  if (doc == NULL)
    return NULL;
  stmt = tend_store_prepare_cached (store, "SELECT data FROM document_blob WHERE sha256 = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, tend_document_get_sha256 (TEND_DOCUMENT (doc)), -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (bytes == NULL)
    {
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        tend_store_take_db_error (store, rc, error);
      else
        g_set_error_literal (error, TEND_ERROR, TEND_ERROR_NOT_FOUND,
                             _("The document’s contents are not on this computer yet."));
      return NULL;
    }
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (g_strcmp0 (sha, tend_document_get_sha256 (TEND_DOCUMENT (doc))) != 0)
    {
      g_set_error_literal (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT,
                           _("The document’s contents are damaged."));
      return NULL;
    }
  if (!tend_store_audit_detail (store, "view-document", "document", document_id,
                                tend_document_get_client_id (TEND_DOCUMENT (doc)), error))
    return NULL;
  if (document != NULL)
    *document = TEND_DOCUMENT (g_steal_pointer (&doc));
  return g_steal_pointer (&bytes);
}

void
tend_audit_entry_free (TendAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor_id);
  g_free (entry->action);
  g_free (entry->record_type);
  g_free (entry->record_id);
  g_free (entry);
}

/**
 * tend_chart_list_audit:
 *
 * A client's audit trail, for the owner: chart opens, note views, signing,
 * exports, and every change to the client and their clinical records.
 *
 * Returns: (transfer container) (element-type TendAuditEntry): oldest first
 */
GPtrArray *
tend_chart_list_audit (TendStore  *store,
                       const char *client_id,
                       GError    **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_audit_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);
  if (!check_permission (store, TEND_PERMISSION_VIEW_AUDIT, error))
    return NULL;
  stmt = tend_store_prepare_cached (store,
    "SELECT seq, at, actor_id, action, record_type, record_id FROM audit_log WHERE seq IN ("
    " SELECT seq FROM audit_log WHERE record_type = 'client' AND record_id = ?1"
    " UNION SELECT seq FROM audit_log WHERE detail = ?1"
    " UNION SELECT seq FROM audit_log WHERE record_type = 'note' AND record_id IN (SELECT id FROM note WHERE client_id = ?1)"
    " UNION SELECT seq FROM audit_log WHERE record_type = 'diagnosis' AND record_id IN (SELECT id FROM diagnosis WHERE client_id = ?1)"
    " UNION SELECT seq FROM audit_log WHERE record_type = 'measure' AND record_id IN (SELECT id FROM measure WHERE client_id = ?1)"
    " UNION SELECT seq FROM audit_log WHERE record_type = 'document' AND record_id IN (SELECT id FROM document WHERE client_id = ?1)"
    " UNION SELECT seq FROM audit_log WHERE record_type = 'treatment_plan' AND record_id IN (SELECT id FROM treatment_plan WHERE client_id = ?1)"
    ") ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TendAuditEntry *e = g_new0 (TendAuditEntry, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->at = sqlite3_column_int64 (stmt, 1);
      e->actor_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      e->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      e->record_type = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      e->record_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (out, e);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tend_store_take_db_error (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * tend_chart_audit_export:
 *
 * Records an export of a client's chart (before anything is written), and
 * checks that the actor may read what an export contains.
 */
gboolean
tend_chart_audit_export (TendStore  *store,
                         const char *client_id,
                         GError    **error)
{
  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  if (!tend_store_check_chart (store, client_id, error))
    return FALSE;
  if (!check_permission (store, TEND_PERMISSION_VIEW_CLINICAL, error))
    return FALSE;
  return tend_store_audit_detail (store, "export-chart", "client", client_id, client_id, error);
}

static void
remember_name (TendStore       *store,
               TendChartBundle *bundle,
               const char      *staff_id)
{
  char *name;

  if (staff_id == NULL || g_hash_table_contains (bundle->names, staff_id))
    return;
  name = tend_store_dup_display_name (store, TEND_TYPE_STAFF, staff_id);
  if (name != NULL)
    g_hash_table_insert (bundle->names, g_strdup (staff_id), name);
}

static gboolean
in_range (const char *date,
          const char *from,
          const char *to)
{
  return date != NULL && (from == NULL || strcmp (date, from) >= 0) && (to == NULL || strcmp (date, to) <= 0);
}

/**
 * tend_chart_collect:
 * @from: (nullable): first service date, YYYY-MM-DD
 * @to: (nullable): last service date, YYYY-MM-DD
 *
 * Gathers a client's chart for an export (the whole record, or the notes
 * and measures of a date range), after recording the export in the audit
 * log.  Call it on a worker connection (tend_store_open_worker()) from a
 * thread: a long chart is thousands of rows.
 *
 * Returns: (transfer full) (nullable): the chart
 */
TendChartBundle *
tend_chart_collect (TendStore  *store,
                    const char *client_id,
                    const char *from,
                    const char *to,
                    GError    **error)
{
  g_autoptr(TendChartBundle) bundle = NULL;
  g_autoptr(TendRecord) client = NULL;
  g_autoptr(TendPractice) practice = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) measures = NULL;
  g_autoptr(GPtrArray) diagnoses = NULL;
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(GPtrArray) safety_plans = NULL;
  g_autoptr(GPtrArray) policies = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), NULL);

  client = load_checked (store, TEND_TYPE_CLIENT, client_id, error);
  if (client == NULL || !tend_chart_audit_export (store, client_id, error))
    return NULL;
  /* One snapshot: nothing signed between two reads goes half in. */
  if (!tend_store_begin (store, error))
    return NULL;
  notes = query_records (store, TEND_TYPE_CLINICAL_NOTE,
                         "SELECT " RECORD_COLUMNS " FROM note"
                         " WHERE client_id = ? AND deleted = 0 AND addendum_of IS NULL"
                         " ORDER BY service_date, rid",
                         client_id, NULL, 0, 0, error);
  measures = notes != NULL ? tend_chart_list_measures (store, client_id, -1, error) : NULL;
  diagnoses = measures != NULL ? tend_chart_list_diagnoses (store, client_id, error) : NULL;
  plans = diagnoses != NULL ? tend_chart_list_plans (store, client_id, error) : NULL;
  safety_plans = plans != NULL ? tend_chart_list_safety_plans (store, client_id, error) : NULL;
  policies = safety_plans != NULL ? tend_insurance_list_policies (store, client_id, error) : NULL;
  if (policies == NULL)
    {
      tend_store_rollback (store);
      return NULL;
    }

  bundle = tend_chart_bundle_new ();
  bundle->client = TEND_CLIENT (g_steal_pointer (&client));
  bundle->from = g_strdup (from);
  bundle->to = g_strdup (to);
  practice = tend_store_load_practice (store, NULL);
  bundle->practice_name = g_strdup (practice != NULL ? tend_practice_get_name (practice) : NULL);
  bundle->zone = practice != NULL ? tend_practice_dup_zone (practice) : NULL;
  remember_name (store, bundle, tend_client_get_primary_clinician (bundle->client));
  /* The client's insurance: its policy records, never the client record's
   * old insurance.* text. */
  for (guint i = 0; i < policies->len; i++)
    {
      const char *payer_id = tend_record_get_string (policies->pdata[i], "payer_id");
      char *payer = tend_store_dup_display_name (store, TEND_TYPE_PAYER, payer_id);

      if (payer != NULL)
        g_hash_table_replace (bundle->payer_names, g_strdup (payer_id), payer);
      g_ptr_array_add (bundle->policies, g_object_ref (policies->pdata[i]));
    }

  for (guint i = 0; i < notes->len; i++)
    {
      TendClinicalNote *note = g_ptr_array_index (notes, i);
      g_autoptr(GPtrArray) addenda = NULL;

      if (!in_range (tend_clinical_note_get_service_date (note), from, to))
        continue;
      g_ptr_array_add (bundle->notes, g_object_ref (note));
      /* A group session's note prints the other members as the client may
       * hear of them (tend-group-note.c). */
      {
        g_autoptr(GError) local = NULL;
        TendGroupNote *rule = tend_chart_load_group_note_for (store, note, &local);

        if (local != NULL)
          {
            tend_store_rollback (store);
            g_propagate_error (error, g_steal_pointer (&local));
            return NULL;
          }
        if (rule != NULL)
          g_hash_table_insert (bundle->group_notes, g_strdup (tend_record_get_id (TEND_RECORD (note))), rule);
      }
      remember_name (store, bundle, tend_clinical_note_get_author_id (note));
      remember_name (store, bundle, tend_clinical_note_get_signed_by (note));
      remember_name (store, bundle, tend_clinical_note_get_cosigned_by (note));
      addenda = tend_chart_list_addenda (store, tend_record_get_id (TEND_RECORD (note)), NULL);
      if (addenda != NULL && addenda->len > 0)
        {
          for (guint k = 0; k < addenda->len; k++)
            remember_name (store, bundle, tend_clinical_note_get_signed_by (g_ptr_array_index (addenda, k)));
          g_hash_table_insert (bundle->addenda, g_strdup (tend_record_get_id (TEND_RECORD (note))),
                               g_steal_pointer (&addenda));
        }
    }
  for (guint i = 0; i < measures->len; i++)
    if (in_range (tend_measure_get_date (g_ptr_array_index (measures, i)), from, to))
      g_ptr_array_add (bundle->measures, g_object_ref (g_ptr_array_index (measures, i)));
  for (guint i = 0; i < diagnoses->len; i++)
    g_ptr_array_add (bundle->diagnoses, g_object_ref (g_ptr_array_index (diagnoses, i)));
  for (guint i = 0; i < plans->len; i++)
    {
      g_ptr_array_add (bundle->plans, g_object_ref (g_ptr_array_index (plans, i)));
      remember_name (store, bundle, tend_record_get_string (g_ptr_array_index (plans, i), "signed_by"));
    }
  if (safety_plans->len > 0)
    {
      bundle->safety_plan = g_object_ref (g_ptr_array_index (safety_plans, 0));
      remember_name (store, bundle, tend_record_get_string (TEND_RECORD (bundle->safety_plan), "author_id"));
    }
  tend_store_rollback (store);
  return g_steal_pointer (&bundle);
}

/**
 * tend_chart_collect_messages:
 * @bundle: from tend_chart_collect(), for the same client
 *
 * Adds the conversations with the client that the signed-in person is in
 * (the chart export's "messages with the client", when asked for), each
 * with its messages oldest first, withdrawn and edited ones included as the
 * record keeps them.
 */
gboolean
tend_chart_collect_messages (TendStore       *store,
                             TendChartBundle *bundle,
                             GError         **error)
{
  const char *client_id;
  g_autoptr(GPtrArray) summaries = NULL;

  g_return_val_if_fail (TEND_IS_STORE (store), FALSE);
  g_return_val_if_fail (bundle != NULL && bundle->client != NULL, FALSE);

  client_id = tend_record_get_id (TEND_RECORD (bundle->client));
  summaries = tend_messages_list_conversations (store, client_id, error);
  if (summaries == NULL)
    return FALSE;
  /* Oldest conversation first, as the rest of the record. */
  for (guint i = summaries->len; i > 0; i--)
    {
      TendConversationSummary *s = g_ptr_array_index (summaries, i - 1);
      const char *id = tend_record_get_id (TEND_RECORD (s->conversation));
      g_autoptr(GArray) rids = NULL;
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

      if (!tend_conversation_is_with_client (s->conversation))
        continue;
      rids = tend_messages_list_rids (store, id, error);
      if (rids == NULL)
        return FALSE;
      for (guint k = 0; k < rids->len; k++)
        {
          TendMessage *m = tend_messages_load (store, g_array_index (rids, gint64, k), error);

          if (m == NULL)
            return FALSE;
          remember_name (store, bundle, tend_message_get_author_id (m));
          g_ptr_array_add (messages, m);
        }
      g_ptr_array_add (bundle->conversations, g_object_ref (s->conversation));
      g_hash_table_insert (bundle->messages, g_strdup (id), g_steal_pointer (&messages));
    }
  return TRUE;
}
