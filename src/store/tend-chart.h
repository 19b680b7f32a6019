/* tend-chart.h: a client's chart in the store: notes and their signatures,
 * drafts, co-signing, diagnoses, plans, measures, documents and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function checks the actor's role here, in the store: the front desk
 * gets TEND_ERROR_PERMISSION_DENIED for clinical content, a biller sees
 * diagnoses and notes without their text.  Chart opens, note views, signing
 * and exports are audited.
 */
#pragma once

#include "tend-store.h"

G_BEGIN_DECLS

TendChartAccess   *tend_chart_break_glass         (TendStore          *store,
                                                   const char         *client_id,
                                                   const char         *reason,
                                                   GError            **error);
TendChartAccess   *tend_chart_grant_access        (TendStore          *store,
                                                   const char         *client_id,
                                                   const char         *staff_id,
                                                   TendChartAccessKind kind,
                                                   const char         *until,
                                                   GError            **error);
gboolean           tend_chart_may_grant_access    (TendStore          *store,
                                                   const char         *client_id,
                                                   const char         *staff_id,
                                                   GError            **error);
gboolean           tend_chart_end_access          (TendStore          *store,
                                                   TendChartAccess    *access,
                                                   gboolean            dry_run,
                                                   GError            **error);
GPtrArray         *tend_chart_list_access         (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
gboolean           tend_chart_open                (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
GPtrArray         *tend_chart_list_sessions       (TendStore          *store,
                                                   const char         *client_id,
                                                   gint64              around_usec,
                                                   gboolean            upcoming,
                                                   guint               limit,
                                                   GError            **error);

/* Notes, newest first; addenda are listed under their note. */
GPtrArray         *tend_chart_list_notes          (TendStore          *store,
                                                   const char         *client_id,
                                                   guint               offset,
                                                   guint               limit,
                                                   GError            **error);
gint64             tend_chart_count_notes         (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
GPtrArray         *tend_chart_list_addenda        (TendStore          *store,
                                                   const char         *note_id,
                                                   GError            **error);
TendClinicalNote  *tend_chart_view_note           (TendStore          *store,
                                                   const char         *note_id,
                                                   GError            **error);
TendVideoSession  *tend_chart_find_video_session     (TendStore    *store,
                                                      const char   *appointment_id,
                                                      GError      **error);
TendClinicalNote  *tend_chart_find_note_for_appointment (TendStore    *store,
                                                   const char         *appointment_id,
                                                   GError            **error);

/* Drafts: the editor writes the sections on every pause in typing.  One
 * small row in its own transaction (synchronous=FULL: on disk when this
 * returns); the note record itself is saved (outbox, audit) less often. */
gboolean           tend_chart_save_draft          (TendStore          *store,
                                                   const char         *note_id,
                                                   JsonNode           *sections,
                                                   GError            **error);
gboolean           tend_chart_save_draft_note     (TendStore          *store,
                                                   TendClinicalNote   *note,
                                                   GError            **error);
TendClinicalNote  *tend_chart_load_for_editing    (TendStore          *store,
                                                   const char         *note_id,
                                                   gboolean           *recovered,
                                                   GError            **error);
gboolean           tend_chart_discard_note        (TendStore          *store,
                                                   const char         *note_id,
                                                   GError            **error);
gboolean           tend_chart_save_note           (TendStore          *store,
                                                   TendClinicalNote   *note,
                                                   GError            **error);
TendClinicalNote  *tend_chart_sign_note           (TendStore          *store,
                                                   const char         *note_id,
                                                   GError            **error);
TendClinicalNote  *tend_chart_add_addendum        (TendStore          *store,
                                                   const char         *note_id,
                                                   const char         *text,
                                                   GError            **error);
TendClinicalNote  *tend_chart_cosign_note         (TendStore          *store,
                                                   const char         *note_id,
                                                   GError            **error);
GPtrArray         *tend_chart_list_cosign_queue   (TendStore          *store,
                                                   const char         *supervisor_id,
                                                   GError            **error);
GPtrArray         *tend_chart_list_unsigned       (TendStore          *store,
                                                   const char         *author_id,
                                                   guint               older_than_days,
                                                   const GDate        *today,
                                                   GError            **error);
GPtrArray         *tend_chart_search_notes        (TendStore          *store,
                                                   const char         *text,
                                                   guint               limit,
                                                   GError            **error);

GPtrArray         *tend_chart_search_client_notes (TendStore          *store,
                                                   const char         *client_id,
                                                   const char         *text,
                                                   guint               limit,
                                                   GError            **error);

GPtrArray         *tend_chart_list_diagnoses      (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
gboolean           tend_chart_collect_messages    (TendStore          *store,
                                                  TendChartBundle    *bundle,
                                                  GError            **error);
GPtrArray         *tend_chart_list_safety_plans   (TendStore          *store,
                                                  const char         *client_id,
                                                  GError            **error);
GPtrArray         *tend_chart_list_plans          (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
TendTreatmentPlan *tend_chart_sign_plan           (TendStore          *store,
                                                   const char         *plan_id,
                                                   GError            **error);
GPtrArray         *tend_chart_list_measures       (TendStore          *store,
                                                   const char         *client_id,
                                                   int                 instrument,
                                                   GError            **error);
gboolean           tend_chart_has_risk_alert      (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);

GPtrArray         *tend_chart_list_portal_forms   (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
GPtrArray         *tend_chart_list_related_people (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
TendGroupNote     *tend_chart_load_group_note     (TendStore          *store,
                                                   const char         *client_id,
                                                   TendAppointment    *appointment,
                                                   GError            **error);
TendGroupNote     *tend_chart_load_group_note_for (TendStore          *store,
                                                   TendClinicalNote   *note,
                                                   GError            **error);
gboolean           tend_chart_share_document      (TendStore          *store,
                                                   const char         *document_id,
                                                   gboolean            shared,
                                                   GError            **error);
GPtrArray         *tend_chart_list_documents      (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
TendDocument      *tend_chart_attach_document     (TendStore          *store,
                                                   const char         *client_id,
                                                   const char         *title,
                                                   const char         *mime_type,
                                                   GBytes             *contents,
                                                   GError            **error);
GBytes            *tend_chart_read_document       (TendStore          *store,
                                                   const char         *document_id,
                                                   TendDocument      **document,
                                                   GError            **error);

/**
 * TendAuditEntry:
 * @seq: the row's place in the chain
 * @at: when, in microseconds since 1970 (UTC)
 * @actor_id: (nullable): who (a staff id), or %NULL for the system
 * @action: "open-chart", "view-note", "sign-note", "export-chart", "update"...
 * @record_type: (nullable): what kind of record
 * @record_id: (nullable): which record
 */
typedef struct
{
  gint64  seq;
  gint64  at;
  char   *actor_id;
  char   *action;
  char   *record_type;
  char   *record_id;
} TendAuditEntry;

void               tend_audit_entry_free          (TendAuditEntry     *entry);
GPtrArray         *tend_chart_list_audit          (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
gboolean           tend_chart_audit_export        (TendStore          *store,
                                                   const char         *client_id,
                                                   GError            **error);
TendChartBundle   *tend_chart_collect             (TendStore          *store,
                                                   const char         *client_id,
                                                   const char         *from,
                                                   const char         *to,
                                                   GError            **error);

G_END_DECLS
