/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-chart.c: the chart in the store: the note lifecycle (draft, autosave
 * that survives a kill, sign, refused change, addendum, co-sign), role
 * visibility enforced by the store API, search, documents, measures */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store-test-util.h"
#include "tend-chart.h"
#include "tend-sync-store.h"

typedef struct
{
  StoreFixture  f;
  TendStore    *store;
  char         *supervisor_id;
  char         *clinician_id;
  char         *other_id;
  char         *client_id;
  char         *client2_id;
} Chart;

static char *
add_staff (TendStore  *store,
           const char *given,
           TendRole    role,
           const char *supervisor_id)
{
  g_autoptr(TendStaff) staff = tend_staff_new (given, "Tester", role);

  tend_record_set_string (TEND_RECORD (staff), "supervisor_id", supervisor_id);
  store_test_save (store, TEND_RECORD (staff));
  return g_strdup (tend_record_get_id (TEND_RECORD (staff)));
}

static void
chart_setup (Chart         *c,
             gconstpointer  data)
{
  g_autoptr(TendClient) client = tend_client_new ("Rowan", "Hale");
  g_autoptr(TendClient) client2 = tend_client_new ("Sasha", "Ibarra");

  store_test_setup (&c->f, data);
  c->store = store_test_open (&c->f);
  c->supervisor_id = add_staff (c->store, "Sam", TEND_ROLE_SUPERVISOR, NULL);
  c->clinician_id = add_staff (c->store, "Cleo", TEND_ROLE_CLINICIAN, c->supervisor_id);
  c->other_id = add_staff (c->store, "Otto", TEND_ROLE_CLINICIAN, NULL);
  /* Cleo's clients: she reads their charts (Otto is on neither). */
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", c->clinician_id);
  tend_record_set_string (TEND_RECORD (client2), "primary_clinician_id", c->clinician_id);
  store_test_save (c->store, TEND_RECORD (client));
  store_test_save (c->store, TEND_RECORD (client2));
  c->client_id = g_strdup (tend_record_get_id (TEND_RECORD (client)));
  c->client2_id = g_strdup (tend_record_get_id (TEND_RECORD (client2)));
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
}

static void
chart_teardown (Chart         *c,
                gconstpointer  data)
{
  if (c->store != NULL)
    store_test_close (&c->store);
  g_free (c->supervisor_id);
  g_free (c->clinician_id);
  g_free (c->other_id);
  g_free (c->client_id);
  g_free (c->client2_id);
  store_test_teardown (&c->f, data);
}

static TendClinicalNote *
new_note (Chart      *c,
          const char *client_id,
          const char *service_date,
          const char *subjective)
{
  g_autoptr(GError) error = NULL;
  TendClinicalNote *note = tend_clinical_note_new (client_id, c->clinician_id, TEND_NOTE_TEMPLATE_SOAP);

  tend_record_set_string (TEND_RECORD (note), "service_date", service_date);
  tend_clinical_note_set_section (note, "subjective", subjective);
  tend_clinical_note_set_section (note, "assessment", "Stable.");
  tend_clinical_note_set_section (note, "plan", "Next week.");
  g_assert_true (tend_chart_save_note (c->store, note, &error));
  g_assert_no_error (error);
  return note;
}

static JsonNode *
sections_json (const char *subjective)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "subjective", subjective);
  json_node_take_object (node, obj);
  return node;
}

static gint64
audit_count (Chart      *c,
             const char *action)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = '%s'", action);

  return store_test_query_int (&c->f, sql);
}

/* Runs @sql on a raw connection; returns the SQLite result. */
static int
raw_exec (Chart      *c,
          const char *sql)
{
  sqlite3 *db = store_test_raw_open (&c->f);
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  sqlite3_close (db);
  return rc;
}

static void
test_lifecycle (Chart         *c,
                gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Slept badly.");
  const char *id = tend_record_get_id (TEND_RECORD (note));
  g_autoptr(TendClinicalNote) editing = NULL;
  g_autoptr(TendClinicalNote) signed_note = NULL;
  g_autoptr(TendClinicalNote) addendum = NULL;
  g_autoptr(TendClinicalNote) cosigned = NULL;
  g_autoptr(GPtrArray) addenda = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(JsonNode) draft = sections_json ("Slept badly; nightmares twice this week.");
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *hash = NULL;
  gboolean recovered = FALSE;

  /* A draft autosave is found again when the note is reopened. */
  g_assert_true (tend_chart_save_draft (c->store, id, draft, &error));
  g_assert_no_error (error);
  editing = tend_chart_load_for_editing (c->store, id, &recovered, &error);
  g_assert_no_error (error);
  g_assert_true (recovered);
  {
    g_autofree char *text = tend_clinical_note_dup_section (editing, "subjective");
    g_assert_cmpstr (text, ==, "Slept badly; nightmares twice this week.");
  }

  /* Only the author signs: not her supervisor, who reads the chart; and a
   * colleague who is not on the chart does not even read the note. */
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_SUPERVISOR);
  g_assert_null (tend_chart_sign_note (c->store, id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  g_assert_null (tend_chart_sign_note (c->store, id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_clear_error (&error);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);

  /* The autosaved text leaves Assessment and Plan empty: signing is refused,
   * naming both, and the draft is still there. */
  g_assert_null (tend_chart_sign_note (c->store, id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Assessment, Plan"));
  g_clear_error (&error);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 1);
  {
    g_autoptr(JsonNode) complete = sections_json ("Slept badly; nightmares twice this week.");

    json_object_set_string_member (json_node_get_object (complete), "assessment", "Sleep disturbed.");
    json_object_set_string_member (json_node_get_object (complete), "plan", "Sleep diary.");
    g_assert_true (tend_chart_save_draft (c->store, id, complete, &error));
    g_assert_no_error (error);
  }

  /* Signing takes the autosaved text, hashes it and routes it to the supervisor. */
  signed_note = tend_chart_sign_note (c->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_note);
  g_assert_true (tend_clinical_note_is_signed (signed_note));
  g_assert_cmpstr (tend_clinical_note_get_signed_by (signed_note), ==, c->clinician_id);
  g_assert_cmpstr (tend_clinical_note_get_cosign_required_by (signed_note), ==, c->supervisor_id);
  hash = tend_clinical_note_compute_sha256 (signed_note);
  g_assert_cmpstr (tend_clinical_note_get_content_sha256 (signed_note), ==, hash);
  {
    g_autofree char *text = tend_clinical_note_dup_section (signed_note, "subjective");
    g_assert_cmpstr (text, ==, "Slept badly; nightmares twice this week.");
  }
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 0);
  g_assert_cmpint (audit_count (c, "sign-note"), ==, 1);

  /* The API refuses changes and autosaves... */
  tend_clinical_note_set_section (signed_note, "plan", "Added later");
  g_assert_false (tend_chart_save_note (c->store, signed_note, &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_clear_error (&error);
  g_assert_false (tend_chart_save_draft (c->store, id, draft, &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_clear_error (&error);
  g_assert_null (tend_chart_sign_note (c->store, id, &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
  g_clear_error (&error);
  /* ...and so does the store itself, even to a forged save that keeps a
   * valid-looking signature, a delete, or raw SQL. */
  {
    g_autoptr(TendRecord) forged = tend_store_load (c->store, TEND_TYPE_CLINICAL_NOTE, id, &error);
    g_autofree char *forged_hash = NULL;

    tend_record_set_string (forged, "service_date", "2026-03-03");
    forged_hash = tend_clinical_note_compute_sha256 (TEND_CLINICAL_NOTE (forged));
    tend_record_set_string (forged, "content_sha256", forged_hash);
    g_assert_false (tend_store_save (c->store, forged, &error));
    g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
    g_clear_error (&error);
    g_assert_false (tend_store_delete (c->store, forged, &error));
    g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_LOCKED_RECORD);
    g_clear_error (&error);
  }
  sql = g_strdup_printf ("UPDATE note SET body = json_set(body, '$.sections.subjective', 'rewritten') WHERE id = '%s'", id);
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_CONSTRAINT);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE note SET deleted = 1 WHERE id = '%s'", id);
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_CONSTRAINT);
  g_free (sql);
  sql = g_strdup_printf ("DELETE FROM note WHERE id = '%s'", id);
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_CONSTRAINT);
  g_free (sql);
  /* Sync bookkeeping may still move. */
  sql = g_strdup_printf ("UPDATE note SET version = 3, dirty = 0 WHERE id = '%s'", id);
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_OK);
  g_free (sql);
  sql = g_strdup_printf ("SELECT json_extract(body, '$.sections.subjective') FROM note WHERE id = '%s'", id);
  {
    g_autofree char *text = store_test_query_text (&c->f, sql);
    g_assert_cmpstr (text, ==, "Slept badly; nightmares twice this week.");
  }

  /* Corrections are addenda, listed under the note. */
  addendum = tend_chart_add_addendum (c->store, id, "Nightmares were three times, not two.", &error);
  g_assert_no_error (error);
  g_assert_true (tend_clinical_note_is_signed (addendum));
  g_assert_cmpstr (tend_clinical_note_get_addendum_of (addendum), ==, id);
  addenda = tend_chart_list_addenda (c->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (addenda->len, ==, 1);
  {
    g_autoptr(GPtrArray) notes = tend_chart_list_notes (c->store, c->client_id, 0, 0, &error);
    g_assert_cmpuint (notes->len, ==, 1);  /* the addendum is not a timeline entry of its own */
  }

  /* The co-signature queue. */
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_SUPERVISOR);
  queue = tend_chart_list_cosign_queue (c->store, c->supervisor_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (queue, 0)), ==, id);
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  g_assert_null (tend_chart_cosign_note (c->store, id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_SUPERVISOR);
  cosigned = tend_chart_cosign_note (c->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_clinical_note_get_cosigned_by (cosigned), ==, c->supervisor_id);
  g_clear_pointer (&queue, g_ptr_array_unref);
  queue = tend_chart_list_cosign_queue (c->store, c->supervisor_id, &error);
  g_assert_cmpuint (queue->len, ==, 0);
  /* The signature still holds, and the co-signature is frozen too. */
  g_assert_true (tend_record_validate (TEND_RECORD (cosigned), &error));
  g_assert_no_error (error);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE note SET body = json_set(body, '$.cosigned_by', '%s') WHERE id = '%s'", c->other_id, id);
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_CONSTRAINT);
  g_assert_null (tend_chart_cosign_note (c->store, id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (audit_count (c, "cosign-note"), ==, 1);
  g_assert_cmpint (audit_count (c, "view-note"), ==, 1);

  /* The audit chain is intact after all of it. */
  g_assert_true (tend_store_verify_audit (c->store, NULL, NULL, &error));
}

/* A child process types into a draft, autosaving after each word, and is
 * killed without warning: the text it had saved is there on reopening. */
/* Everything the editor changes besides the sections (the session, risk
 * assessment, mental status exam) is autosaved too, recovered, refused at
 * signing while incomplete without losing anything, and signed; a biller
 * reads the session's time and place but not the risk or the MSE. */
static void
test_session_draft (Chart         *c,
                    gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Hard week.");
  g_autoptr(TendClinicalNote) editing = NULL;
  g_autoptr(TendClinicalNote) signed_note = NULL;
  g_autoptr(TendRecord) redacted = NULL;
  g_autoptr(GTimeZone) chicago = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) start = g_date_time_new (chicago, 2026, 3, 8, 18, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *biller = NULL;
  const char *id = tend_record_get_id (TEND_RECORD (note));
  gboolean recovered = FALSE;

  tend_clinical_note_set_service_start (note, start, chicago);
  tend_record_set_string (TEND_RECORD (note), "modality", "phone");
  tend_record_set_string (TEND_RECORD (note), "place_of_service", "10");
  tend_record_set_int (TEND_RECORD (note), "duration_minutes", 38);
  tend_record_set_string (TEND_RECORD (note), "participants", "Client and her mother");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "ideation", "passive", "Since the job loss.");
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_RISK, "level", "moderate", NULL);
  tend_clinical_note_set_item (note, TEND_NOTE_FORM_MSE, "affect", "constricted", NULL);
  tend_clinical_note_set_section (note, "plan", "Review safety plan.");
  g_assert_true (tend_chart_save_draft_note (c->store, note, &error));
  g_assert_no_error (error);

  editing = tend_chart_load_for_editing (c->store, id, &recovered, &error);
  g_assert_no_error (error);
  g_assert_true (recovered);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (editing), "service_start"), ==, "2026-03-08T23:30:00Z");
  g_assert_cmpstr (tend_clinical_note_get_service_date (editing), ==, "2026-03-08");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (editing), "modality"), ==, "phone");
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (editing), "place_of_service"), ==, "10");
  g_assert_cmpint (tend_record_get_int (TEND_RECORD (editing), "duration_minutes"), ==, 38);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (editing), "participants"), ==, "Client and her mother");
  {
    g_autofree char *risk = tend_clinical_note_dup_item_text (editing, TEND_NOTE_FORM_RISK, "ideation");
    g_autofree char *plan = tend_clinical_note_dup_section (editing, "plan");

    g_assert_cmpstr (risk, ==, "Since the job loss.");
    g_assert_cmpstr (plan, ==, "Review safety plan.");
  }

  /* Moderate risk and no actions recorded: refused, named, nothing lost. */
  g_assert_null (tend_chart_sign_note (c->store, id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Actions taken"));
  g_clear_error (&error);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 1);

  tend_clinical_note_set_item (editing, TEND_NOTE_FORM_RISK, "actions", NULL, "Safety plan updated.");
  g_assert_true (tend_chart_save_note (c->store, editing, &error));
  signed_note = tend_chart_sign_note (c->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (tend_record_validate (TEND_RECORD (signed_note), &error));
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (signed_note), "participants"), ==, "Client and her mother");
  g_assert_nonnull (tend_record_get_string (TEND_RECORD (signed_note), "risk"));

  tend_store_set_actor (c->store, NULL, TEND_ROLE_OWNER);
  biller = add_staff (c->store, "Bea", TEND_ROLE_BILLER, NULL);
  tend_store_set_actor (c->store, biller, TEND_ROLE_BILLER);
  redacted = tend_store_load (c->store, TEND_TYPE_CLINICAL_NOTE, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (redacted, "service_start"), ==, "2026-03-08T23:30:00Z");
  g_assert_cmpstr (tend_record_get_string (redacted, "place_of_service"), ==, "10");
  g_assert_null (tend_record_get_string (redacted, "risk"));
  g_assert_null (tend_record_get_string (redacted, "mse"));
  g_assert_null (tend_record_get_string (redacted, "participants"));
  g_assert_null (tend_record_get_string (redacted, "sections"));
}

static void
test_autosave_survives_kill (Chart         *c,
                             gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Start.");
  g_autofree char *id = g_strdup (tend_record_get_id (TEND_RECORD (note)));
  g_autoptr(TendClinicalNote) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  int fds[2];
  pid_t pid;
  int last = -1, status = 0;

  store_test_close (&c->store);
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      TendStore *child;
      GString *typed = g_string_new ("Start.");

      close (fds[0]);
      child = tend_store_open (c->f.path, c->f.key, TEND_STORE_OPEN_NONE, NULL);
      if (child == NULL)
        _exit (3);
      tend_store_set_actor (child, c->clinician_id, TEND_ROLE_CLINICIAN);
      for (int i = 0; ; i++)
        {
          g_autoptr(JsonNode) sections = NULL;

          g_string_append_printf (typed, " word%d", i);
          sections = sections_json (typed->str);
          if (!tend_chart_save_draft (child, id, sections, NULL))
            _exit (4);
          if (write (fds[1], &i, sizeof i) != sizeof i)
            _exit (5);
        }
    }
  close (fds[1]);
  while (last < 25)
    {
      int i;

      g_assert_cmpint (read (fds[0], &i, sizeof i), ==, sizeof i);
      last = i;
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  close (fds[0]);
  g_assert_true (WIFSIGNALED (status));

  c->store = store_test_open (&c->f);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  reopened = tend_chart_load_for_editing (c->store, id, NULL, &error);
  g_assert_no_error (error);
  text = tend_clinical_note_dup_section (reopened, "subjective");
  /* Everything reported saved is there (the child may have got one more in). */
  expected = g_strdup_printf (" word%d", last);
  g_assert_nonnull (strstr (text, expected));
  g_assert_true (g_str_has_prefix (text, "Start. word0 word1 word2"));
}

static void
test_visibility (Chart         *c,
                 gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Private words.");
  const char *id = tend_record_get_id (TEND_RECORD (note));
  g_autoptr(TendDiagnosis) dx = tend_diagnosis_new (c->client_id, "F41.1", "Generalized anxiety disorder");
  guint answers[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 0 };
  g_autoptr(TendMeasure) phq = tend_measure_new (c->client_id, TEND_INSTRUMENT_PHQ9, "2026-03-02", answers, 9);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4\n%%EOF\n", 15);
  g_autoptr(TendDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = NULL;

  tend_store_set_actor (c->store, NULL, TEND_ROLE_OWNER);
  actor = add_staff (c->store, "Fran", TEND_ROLE_FRONT_DESK, NULL);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  store_test_save (c->store, TEND_RECORD (dx));
  store_test_save (c->store, TEND_RECORD (phq));
  doc = tend_chart_attach_document (c->store, c->client_id, "Intake form", "application/pdf", pdf, &error);
  g_assert_no_error (error);

  /* Front desk: nothing clinical, by any door. */
  tend_store_set_actor (c->store, actor, TEND_ROLE_FRONT_DESK);
#define DENIED(expr) G_STMT_START { \
    g_assert_null (expr); \
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED); \
    g_clear_error (&error); \
  } G_STMT_END
  DENIED (tend_chart_list_notes (c->store, c->client_id, 0, 0, &error));
  DENIED (tend_chart_view_note (c->store, id, &error));
  DENIED (tend_store_load (c->store, TEND_TYPE_CLINICAL_NOTE, id, &error));
  DENIED (tend_store_list (c->store, TEND_TYPE_CLINICAL_NOTE, &error));
  DENIED (tend_chart_list_diagnoses (c->store, c->client_id, &error));
  DENIED (tend_store_list (c->store, TEND_TYPE_DIAGNOSIS, &error));
  DENIED (tend_chart_list_measures (c->store, c->client_id, -1, &error));
  DENIED (tend_chart_list_documents (c->store, c->client_id, &error));
  DENIED (tend_chart_read_document (c->store, tend_record_get_id (TEND_RECORD (doc)), NULL, &error));
  DENIED (tend_chart_search_notes (c->store, "private", 10, &error));
  DENIED (tend_chart_search_client_notes (c->store, c->client_id, "private", 10, &error));
  DENIED (tend_chart_list_plans (c->store, c->client_id, &error));
  DENIED (tend_chart_list_safety_plans (c->store, c->client_id, &error));
  g_assert_false (tend_chart_has_risk_alert (c->store, c->client_id, &error));
  g_assert_no_error (error);
  {
    g_autoptr(TendClinicalNote) mine = tend_clinical_note_new (c->client_id, actor, TEND_NOTE_TEMPLATE_DAP);
    g_assert_false (tend_chart_save_note (c->store, mine, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }
  /* ...but the chart opens (demographics, insurance, appointments). */
  g_assert_true (tend_chart_open (c->store, c->client_id, &error));
  g_assert_no_error (error);

  /* Biller: diagnoses, and notes without their text. */
  tend_store_set_actor (c->store, actor, TEND_ROLE_BILLER);
  {
    g_autoptr(GPtrArray) dxs = tend_chart_list_diagnoses (c->store, c->client_id, &error);
    g_autoptr(GPtrArray) notes = tend_chart_list_notes (c->store, c->client_id, 0, 0, &error);
    g_autoptr(TendClinicalNote) viewed = tend_chart_view_note (c->store, id, &error);
    g_autoptr(TendRecord) loaded = tend_store_load (c->store, TEND_TYPE_CLINICAL_NOTE, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (dxs->len, ==, 1);
    g_assert_cmpuint (notes->len, ==, 1);
    g_assert_cmpstr (tend_clinical_note_get_service_date (g_ptr_array_index (notes, 0)), ==, "2026-03-02");
    g_assert_null (tend_record_dup_json (g_ptr_array_index (notes, 0), "sections"));
    g_assert_null (tend_record_dup_json (TEND_RECORD (viewed), "sections"));
    g_assert_null (tend_record_dup_json (loaded, "sections"));
  }
  DENIED (tend_chart_search_notes (c->store, "private", 10, &error));
  DENIED (tend_chart_search_client_notes (c->store, c->client_id, "private", 10, &error));
  DENIED (tend_chart_list_measures (c->store, c->client_id, -1, &error));
  DENIED (tend_chart_list_documents (c->store, c->client_id, &error));
  DENIED (tend_chart_load_for_editing (c->store, id, NULL, &error));
#undef DENIED
}

static void
test_search (Chart         *c,
             gconstpointer  data)
{
  g_autoptr(TendClinicalNote) a = new_note (c, c->client_id, "2026-03-02", "Discussed insomnia and caffeine.");
  g_autoptr(TendClinicalNote) b = new_note (c, c->client2_id, "2026-03-09", "Grief after her father’s death; insomnia.");
  g_autoptr(TendClinicalNote) d = new_note (c, c->client2_id, "2026-03-16", "Café visits helped with exposure.");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) insomnia = tend_chart_search_notes (c->store, "insomnia", 10, &error);
  g_autoptr(GPtrArray) prefix = tend_chart_search_notes (c->store, "insomnia caff", 10, &error);
  g_autoptr(GPtrArray) half_word = tend_chart_search_notes (c->store, "insom caffeine", 10, &error);
  g_autoptr(GPtrArray) accents = tend_chart_search_notes (c->store, "cafe", 10, &error);
  g_autoptr(GPtrArray) syntax = tend_chart_search_notes (c->store, "\"OR NEAR(", 10, &error);
  g_autoptr(GPtrArray) none = tend_chart_search_notes (c->store, "zebra", 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (insomnia->len, ==, 2);
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (insomnia, 0)), ==, tend_record_get_id (TEND_RECORD (b)));
  /* The last word may be half typed; the ones before it are whole words. */
  g_assert_cmpuint (prefix->len, ==, 1);
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (prefix, 0)), ==, tend_record_get_id (TEND_RECORD (a)));
  g_assert_cmpuint (half_word->len, ==, 0);
  g_assert_cmpuint (accents->len, ==, 1);  /* "Café", accent folded ("caffeine" is "caff…") */
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (accents, 0)), ==, tend_record_get_id (TEND_RECORD (d)));
  g_assert_cmpuint (syntax->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);

  /* One client's notes only (the chart's search). */
  {
    g_autoptr(GPtrArray) mine = tend_chart_search_client_notes (c->store, c->client_id, "insomnia", 10, &error);
    g_autoptr(GPtrArray) theirs = tend_chart_search_client_notes (c->store, c->client2_id, "insom", 10, &error);
    g_autoptr(GPtrArray) cafe = tend_chart_search_client_notes (c->store, c->client_id, "cafe", 10, &error);
    g_autoptr(GPtrArray) one = tend_chart_search_client_notes (c->store, c->client2_id, "e", 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (mine->len, ==, 1);
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (mine, 0)), ==, tend_record_get_id (TEND_RECORD (a)));
    g_assert_cmpuint (theirs->len, ==, 1);
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (theirs, 0)), ==, tend_record_get_id (TEND_RECORD (b)));
    g_assert_cmpuint (cafe->len, ==, 0);
    g_assert_cmpuint (one->len, ==, 1);   /* the limit; the newest service first */
    g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (one, 0)), ==, tend_record_get_id (TEND_RECORD (d)));
  }

  /* Editing a draft re-indexes it. */
  tend_clinical_note_set_section (a, "subjective", "Talked about zebras.");
  g_assert_true (tend_chart_save_note (c->store, a, &error));
  g_clear_pointer (&none, g_ptr_array_unref);
  none = tend_chart_search_notes (c->store, "zebra", 10, &error);
  g_assert_cmpuint (none->len, ==, 1);
}

static void
test_unsigned_overdue (Chart         *c,
                       gconstpointer  data)
{
  g_autoptr(TendClinicalNote) old = new_note (c, c->client_id, "2026-02-20", "Old draft.");
  g_autoptr(TendClinicalNote) recent = new_note (c, c->client_id, "2026-02-27", "Recent draft.");
  g_autoptr(TendClinicalNote) done = new_note (c, c->client_id, "2026-02-10", "Signed.");
  g_autoptr(TendClinicalNote) signed_ = NULL;
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  signed_ = tend_chart_sign_note (c->store, tend_record_get_id (TEND_RECORD (done)), &error);
  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, G_DATE_MARCH, 2026);
  overdue = tend_chart_list_unsigned (c->store, c->clinician_id, 3, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, 1);
  g_assert_cmpstr (tend_record_get_id (g_ptr_array_index (overdue, 0)), ==, tend_record_get_id (TEND_RECORD (old)));
  others = tend_chart_list_unsigned (c->store, c->other_id, 3, &today, &error);
  g_assert_cmpuint (others->len, ==, 0);
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = tend_chart_list_unsigned (c->store, NULL, 1, &today, &error);
  g_assert_cmpuint (overdue->len, ==, 2);
}

static void
test_documents (Chart         *c,
                gconstpointer  data)
{
  static const char pdf_text[] = "%PDF-1.4\n1 0 obj << /Marker (CONFIDENTIAL-MARKER-7731) >> endobj\n%%EOF\n";
  g_autoptr(GBytes) pdf = g_bytes_new_static (pdf_text, sizeof pdf_text - 1);
  g_autoptr(GBytes) fake = g_bytes_new_static ("MZ\x90\x00 not a pdf", 14);
  g_autoptr(TendDocument) doc = NULL;
  g_autoptr(TendDocument) back_doc = NULL;
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  doc = tend_chart_attach_document (c->store, c->client_id, "Referral", "application/pdf", pdf, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tend_document_get_size (doc), ==, sizeof pdf_text - 1);
  docs = tend_chart_list_documents (c->store, c->client_id, &error);
  g_assert_cmpuint (docs->len, ==, 1);
  back = tend_chart_read_document (c->store, tend_record_get_id (TEND_RECORD (doc)), &back_doc, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, pdf));
  g_assert_cmpstr (tend_document_get_title (back_doc), ==, "Referral");
  g_assert_cmpint (audit_count (c, "view-document"), ==, 1);

  /* Encrypted at rest: the marker is nowhere in the files. */
  store_test_close (&c->store);
  g_assert_false (store_test_file_contains (c->f.path, "CONFIDENTIAL-MARKER-7731"));
  {
    g_autofree char *wal = g_strconcat (c->f.path, "-wal", NULL);
    g_assert_false (store_test_file_contains (wal, "CONFIDENTIAL-MARKER-7731"));
  }
  c->store = store_test_open (&c->f);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);

  /* A file that is not what it claims to be is refused, nothing stored. */
  g_assert_null (tend_chart_attach_document (c->store, c->client_id, "Fake", "application/pdf", fake, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tend_chart_attach_document (c->store, c->client_id, "Script", "text/x-sh", fake, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM document_blob"), ==, 1);

  /* Damaged bytes are detected on reading. */
  store_test_close (&c->store);
  sql = g_strdup_printf ("UPDATE document_blob SET data = X'255044462D'");
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_OK);
  c->store = store_test_open (&c->f);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_null (tend_chart_read_document (c->store, tend_record_get_id (TEND_RECORD (doc)), NULL, &error));
  g_assert_error (error, TEND_STORE_ERROR, TEND_STORE_ERROR_CORRUPT);
}

static void
test_measures_and_risk (Chart         *c,
                        gconstpointer  data)
{
  guint risky[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 2 };
  guint calm[9] = { 0, 0, 1, 0, 0, 0, 0, 0, 0 };
  guint gad[7] = { 2, 2, 2, 2, 2, 2, 2 };
  g_autoptr(TendMeasure) m1 = tend_measure_new (c->client_id, TEND_INSTRUMENT_PHQ9, "2026-01-05", risky, 9);
  g_autoptr(TendMeasure) m2 = tend_measure_new (c->client_id, TEND_INSTRUMENT_PHQ9, "2026-02-05", calm, 9);
  g_autoptr(TendMeasure) g1 = tend_measure_new (c->client_id, TEND_INSTRUMENT_GAD7, "2026-01-05", gad, 7);
  g_autoptr(GPtrArray) phq = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  store_test_save (c->store, TEND_RECORD (m1));
  g_assert_true (tend_chart_has_risk_alert (c->store, c->client_id, &error));
  /* The alert follows the latest PHQ-9. */
  store_test_save (c->store, TEND_RECORD (m2));
  store_test_save (c->store, TEND_RECORD (g1));
  g_assert_false (tend_chart_has_risk_alert (c->store, c->client_id, &error));
  phq = tend_chart_list_measures (c->store, c->client_id, TEND_INSTRUMENT_PHQ9, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (phq->len, ==, 2);
  g_assert_cmpuint (tend_measure_get_score (g_ptr_array_index (phq, 0)), ==, 10);
  all = tend_chart_list_measures (c->store, c->client_id, -1, &error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT score FROM measure WHERE instrument = 'gad7'"), ==, 14);
}

/* Safety plans: the newest by date is the client's current one, a revision
 * keeps the same record, and the chart export carries the current plan. */
static void
test_safety_plans (Chart         *c,
                   gconstpointer  data)
{
  g_autoptr(TendSafetyPlan) old = tend_safety_plan_new (c->client_id, c->clinician_id, "2026-01-10");
  g_autoptr(TendSafetyPlan) current = tend_safety_plan_new (c->client_id, c->clinician_id, "2026-03-01");
  g_autoptr(GPtrArray) plans = NULL;
  g_autoptr(TendChartBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  tend_record_set_string (TEND_RECORD (old), "warning_signs", "Old signs");
  tend_record_set_string (TEND_RECORD (old), "help_contacts", "Dana");
  tend_record_set_string (TEND_RECORD (current), "warning_signs", "Not sleeping");
  tend_record_set_string (TEND_RECORD (current), "professionals", "Clinic 555-0100");
  store_test_save (c->store, TEND_RECORD (current));
  store_test_save (c->store, TEND_RECORD (old));
  plans = tend_chart_list_safety_plans (c->store, c->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plans->len, ==, 2);
  g_assert_cmpstr (tend_record_get_id (plans->pdata[0]), ==, tend_record_get_id (TEND_RECORD (current)));

  /* Invalid: refused, and what is stored stays. */
  tend_record_set_string (TEND_RECORD (current), "warning_signs", "  ");
  g_assert_false (tend_store_save (c->store, TEND_RECORD (current), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);

  bundle = tend_chart_collect (c->store, c->client_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bundle->safety_plan);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (bundle->safety_plan), "warning_signs"), ==, "Not sleeping");
}

static void
test_plan_signing (Chart         *c,
                   gconstpointer  data)
{
  g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (c->client_id, c->clinician_id);
  g_autoptr(TendTreatmentPlan) signed_plan = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  json_parser_load_from_data (parser, "[{\"problem\":\"Low mood\",\"goals\":[{\"goal\":\"Better mood\","
                                      "\"objectives\":[{\"objective\":\"PHQ-9 below 10\",\"target_date\":\"2026-06-01\"}]}]}]",
                              -1, NULL);
  tend_record_set_json (TEND_RECORD (plan), "problems", json_parser_get_root (parser));
  tend_record_set_string (TEND_RECORD (plan), "review_date", "2026-04-01");
  store_test_save (c->store, TEND_RECORD (plan));
  signed_plan = tend_chart_sign_plan (c->store, tend_record_get_id (TEND_RECORD (plan)), &error);
  g_assert_no_error (error);
  g_assert_cmpint (tend_treatment_plan_get_status (signed_plan), ==, TEND_SIGN_STATUS_SIGNED);
  sql = g_strdup_printf ("UPDATE treatment_plan SET body = json_set(body, '$.review_date', '2027-01-01') WHERE id = '%s'",
                         tend_record_get_id (TEND_RECORD (plan)));
  g_assert_cmpint (raw_exec (c, sql), ==, SQLITE_CONSTRAINT);
}

static void
test_audit_trail (Chart         *c,
                  gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Words.");
  g_autoptr(TendClinicalNote) other = new_note (c, c->client2_id, "2026-03-02", "Other client.");
  g_autoptr(TendClinicalNote) viewed = NULL;
  g_autoptr(GPtrArray) trail = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) actions = g_string_new (NULL);

  g_assert_true (tend_chart_open (c->store, c->client_id, &error));
  viewed = tend_chart_view_note (c->store, tend_record_get_id (TEND_RECORD (note)), &error);
  g_assert_true (tend_chart_audit_export (c->store, c->client_id, &error));
  g_assert_no_error (error);

  /* Only the owner reads the trail. */
  g_assert_null (tend_chart_list_audit (c->store, c->client_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_OWNER);
  trail = tend_chart_list_audit (c->store, c->client_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < trail->len; i++)
    {
      TendAuditEntry *e = g_ptr_array_index (trail, i);

      g_string_append_printf (actions, "%s:%s ", e->action, e->record_type);
      if (i > 0)
        g_assert_cmpint (e->seq, >, ((TendAuditEntry *) g_ptr_array_index (trail, i - 1))->seq);
    }
  /* The client's creation, its note's creation, the open, the view, the
   * export: nothing of the other client's. */
  g_assert_cmpstr (actions->str, ==, "create:client create:note open-chart:client view-note:note export-chart:client ");
}

/* Privacy between clinicians: who reads a chart, by the relation the
 * server's feed uses too (docs/architecture.md). */
static void
assert_no_chart (Chart      *c,
                 const char *client_id,
                 const char *note_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(TendClinicalNote) viewed = NULL;
  g_autoptr(TendRecord) loaded = NULL;

  notes = tend_chart_list_notes (c->store, client_id, 0, 0, &error);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_assert_null (notes);
  g_clear_error (&error);
  g_assert_null (tend_chart_list_diagnoses (c->store, client_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_clear_error (&error);
  g_assert_null (tend_chart_list_safety_plans (c->store, client_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_clear_error (&error);
  g_assert_cmpint (tend_chart_count_notes (c->store, client_id, &error), ==, -1);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_clear_error (&error);
  viewed = tend_chart_view_note (c->store, note_id, &error);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_assert_null (viewed);
  g_clear_error (&error);
  loaded = tend_store_load (c->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_assert_null (loaded);
  g_clear_error (&error);
  g_assert_false (tend_chart_audit_export (c->store, client_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_clear_error (&error);
  /* The chart's header says nothing rather than fail. */
  g_assert_false (tend_chart_has_risk_alert (c->store, client_id, &error));
  g_assert_no_error (error);
}

static guint
listed_notes (Chart *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = tend_store_list (c->store, TEND_TYPE_CLINICAL_NOTE, &error);

  g_assert_no_error (error);
  return all->len;
}

static void
assert_reads_chart (Chart      *c,
                    const char *client_id,
                    guint       n_notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = tend_chart_list_notes (c->store, client_id, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, n_notes);
}

static void
test_privacy_relation (Chart         *c,
                       gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Slept badly.");
  g_autoptr(TendClinicalNote) note2 = new_note (c, c->client2_id, "2026-03-03", "Calmer.");
  const char *note_id = tend_record_get_id (TEND_RECORD (note));
  g_autoptr(TendChartAccess) covering = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tomorrow = NULL;

  /* Her own clients: Cleo reads both; her supervisor too. */
  assert_reads_chart (c, c->client_id, 1);
  g_assert_cmpuint (listed_notes (c), ==, 2);
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_SUPERVISOR);
  assert_reads_chart (c, c->client_id, 1);
  g_assert_cmpuint (listed_notes (c), ==, 2);

  /* Otto is on neither chart: every door is shut, practice-wide lists
   * leave the notes out, and he cannot write into the chart either. */
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  assert_no_chart (c, c->client_id, note_id);
  g_assert_cmpuint (listed_notes (c), ==, 0);
  {
    g_autoptr(TendClinicalNote) his = tend_clinical_note_new (c->client_id, c->other_id, TEND_NOTE_TEMPLATE_SOAP);

    tend_record_set_string (TEND_RECORD (his), "service_date", "2026-03-04");
    g_assert_false (tend_chart_save_note (c->store, his, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }
  /* Nor does he take the client by making himself their clinician. */
  {
    g_autoptr(TendRecord) client = tend_store_load (c->store, TEND_TYPE_CLIENT, c->client_id, &error);

    g_assert_no_error (error);
    tend_record_set_string (client, "primary_clinician_id", c->other_id);
    g_assert_false (tend_store_save (c->store, client, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }
  /* Nor gives himself covering. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 1);
    g_autoptr(TendChartAccess) self_grant = NULL;

    tomorrow = tend_time_to_iso8601 (later);
    self_grant = tend_chart_access_new (TEND_CHART_ACCESS_COVERING, c->client_id, c->other_id, c->other_id,
                                        tomorrow, NULL);
    g_assert_false (tend_store_save (c->store, TEND_RECORD (self_grant), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }

  /* Cleo has him cover the first client until tomorrow: he reads that
   * chart, and only that one. */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  covering = tend_chart_access_new (TEND_CHART_ACCESS_COVERING, c->client_id, c->other_id, c->clinician_id,
                                    tomorrow, NULL);
  store_test_save (c->store, TEND_RECORD (covering));
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  assert_reads_chart (c, c->client_id, 1);
  g_assert_cmpuint (listed_notes (c), ==, 1);
  g_assert_null (tend_chart_list_notes (c->store, c->client2_id, 0, 0, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_NO_CHART_ACCESS);
  g_clear_error (&error);

  /* Covering is ended, never stretched; ended, the chart is shut again. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 30);
    g_autofree char *next_month = tend_time_to_iso8601 (later);

    tend_record_set_string (TEND_RECORD (covering), "until", next_month);
    g_assert_false (tend_store_save (c->store, TEND_RECORD (covering), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    tend_record_set_string (TEND_RECORD (covering), "until", tomorrow);
  }
  tend_chart_access_end (covering);
  store_test_save (c->store, TEND_RECORD (covering));
  assert_no_chart (c, c->client_id, note_id);

  /* Owners read every chart, as before. */
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_OWNER);
  assert_reads_chart (c, c->client2_id, 1);
  g_assert_cmpuint (listed_notes (c), ==, 2);
}

static void
test_break_the_glass (Chart         *c,
                      gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Slept badly.");
  g_autoptr(TendChartAccess) glass = NULL;
  g_autoptr(GPtrArray) access = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  assert_no_chart (c, c->client_id, tend_record_get_id (TEND_RECORD (note)));

  /* A reason is required. */
  g_assert_null (tend_chart_break_glass (c->store, c->client_id, "  ", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  /* Broken for oneself only, and for a day at most. */
  {
    g_autoptr(TendChartAccess) forged = tend_chart_access_new_emergency (c->client_id, c->supervisor_id, "Crisis");

    tend_record_set_string (TEND_RECORD (forged), "granted_by", c->other_id);
    g_assert_false (tend_store_save (c->store, TEND_RECORD (forged), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }
  {
    g_autoptr(TendChartAccess) long_one = tend_chart_access_new_emergency (c->client_id, c->other_id, "Crisis");
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
    g_autofree char *text = tend_time_to_iso8601 (later);

    tend_record_set_string (TEND_RECORD (long_one), "until", text);
    g_assert_false (tend_store_save (c->store, TEND_RECORD (long_one), &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }
  g_assert_cmpint (audit_count (c, "break-glass"), ==, 0);

  glass = tend_chart_break_glass (c->store, c->client_id, "Client called in crisis; Cleo away", &error);
  g_assert_no_error (error);
  g_assert_nonnull (glass);
  g_assert_cmpint (tend_chart_access_get_kind (glass), ==, TEND_CHART_ACCESS_EMERGENCY);
  assert_reads_chart (c, c->client_id, 1);
  /* Audited under the client, so the chart's trail shows it. */
  sql = g_strdup_printf ("SELECT count(*) FROM audit_log WHERE action = 'break-glass' AND actor_id = '%s'"
                         " AND detail = '%s'", c->other_id, c->client_id);
  g_assert_cmpint (store_test_query_int (&c->f, sql), ==, 1);

  /* The chart's clinician sees who broke the glass, and why. */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  access = tend_chart_list_access (c->store, c->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (access->len, ==, 1);
  g_assert_cmpstr (tend_chart_access_get_staff_id (g_ptr_array_index (access, 0)), ==, c->other_id);
  g_assert_cmpstr (tend_chart_access_get_reason (g_ptr_array_index (access, 0)), ==,
                   "Client called in crisis; Cleo away");
  g_clear_pointer (&access, g_ptr_array_unref);
  {
    g_autoptr(GPtrArray) trail = tend_chart_list_audit (c->store, c->client_id, &error);

    /* The owner reads the trail (Cleo's role does not). */
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
  }
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_OWNER);
  {
    g_autoptr(GPtrArray) trail = tend_chart_list_audit (c->store, c->client_id, &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < trail->len; i++)
      found |= g_strcmp0 (((TendAuditEntry *) trail->pdata[i])->action, "break-glass") == 0;
    g_assert_true (found);
  }
  /* Never deleted. */
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  g_assert_false (tend_store_delete (c->store, TEND_RECORD (glass), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

/* Access given through tend_chart_grant_access (): by an owner or the
 * client's own clinician, refused to another clinician, covering only
 * into the future; ended (not deleted) with tend_chart_end_access (). */
static void
test_grant_access (Chart         *c,
                   gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Slept badly.");
  g_autoptr(TendChartAccess) covering = NULL;
  g_autoptr(TendChartAccess) assigned = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) future = g_date_time_add_days (now, 7);
  g_autofree char *yesterday = tend_time_to_iso8601 (past);
  g_autofree char *next_week = tend_time_to_iso8601 (future);

  /* Another clinician neither gives himself access nor may. */
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  g_assert_false (tend_chart_may_grant_access (c->store, c->client_id, c->other_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (tend_chart_grant_access (c->store, c->client_id, c->other_id, TEND_CHART_ACCESS_ASSIGNED,
                                          NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_cmpint (tend_store_count (c->store, TEND_TYPE_CHART_ACCESS, NULL), ==, 0);

  /* The client's own clinician: not covering that has already ended, nor
   * without an end. */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_chart_may_grant_access (c->store, c->client_id, c->other_id, &error));
  g_assert_no_error (error);
  g_assert_null (tend_chart_grant_access (c->store, c->client_id, c->other_id, TEND_CHART_ACCESS_COVERING,
                                          yesterday, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tend_chart_grant_access (c->store, c->client_id, c->other_id, TEND_CHART_ACCESS_COVERING,
                                          NULL, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tend_store_count (c->store, TEND_TYPE_CHART_ACCESS, NULL), ==, 0);
  covering = tend_chart_grant_access (c->store, c->client_id, c->other_id, TEND_CHART_ACCESS_COVERING,
                                      next_week, &error);
  g_assert_no_error (error);
  g_assert_nonnull (covering);
  g_assert_cmpstr (tend_chart_access_get_granted_by (covering), ==, c->clinician_id);
  g_assert_cmpstr (tend_chart_access_get_until (covering), ==, next_week);
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  assert_reads_chart (c, c->client_id, 1);

  /* Ended by the one who gave it: the chart shuts again, the grant stays. */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_true (tend_chart_end_access (c->store, covering, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (tend_chart_end_access (c->store, covering, FALSE, &error));
  g_assert_no_error (error);
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  assert_no_chart (c, c->client_id, tend_record_get_id (TEND_RECORD (note)));
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  {
    g_autoptr(GPtrArray) access = tend_chart_list_access (c->store, c->client_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (access->len, ==, 1);
    g_assert_false (tend_chart_access_is_live (g_ptr_array_index (access, 0), future));
  }

  /* An owner gives open-ended access to any chart. */
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_OWNER);
  assigned = tend_chart_grant_access (c->store, c->client_id, c->other_id, TEND_CHART_ACCESS_ASSIGNED,
                                      next_week, &error);
  g_assert_no_error (error);
  g_assert_null (tend_chart_access_get_until (assigned));
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  assert_reads_chart (c, c->client_id, 1);
  /* He gives it up himself. */
  g_assert_true (tend_chart_end_access (c->store, assigned, FALSE, &error));
  g_assert_no_error (error);
  assert_no_chart (c, c->client_id, tend_record_get_id (TEND_RECORD (note)));
}

/* A computer syncing as a clinician: a chart left is dropped from the
 * store (signed notes too, edits not yet pushed kept), one reached is
 * named for fetching. */
static void
test_chart_reach (Chart         *c,
                  gconstpointer  data)
{
  g_autoptr(TendClinicalNote) note = new_note (c, c->client_id, "2026-03-02", "Slept badly.");
  g_autoptr(TendClinicalNote) signed_note = NULL;
  g_autoptr(TendChartAccess) covering = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tomorrow = NULL;
  g_auto(GStrv) gained = NULL;
  guint dropped = 99;
  gint64 n_own;

  {
    g_autoptr(JsonNode) complete = sections_json ("Slept badly.");

    json_object_set_string_member (json_node_get_object (complete), "assessment", "Sleep disturbed.");
    json_object_set_string_member (json_node_get_object (complete), "plan", "Sleep diary.");
    g_assert_true (tend_chart_save_draft (c->store, tend_record_get_id (TEND_RECORD (note)), complete, &error));
    signed_note = tend_chart_sign_note (c->store, tend_record_get_id (TEND_RECORD (note)), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 1);

    tomorrow = tend_time_to_iso8601 (later);
  }
  covering = tend_chart_access_new (TEND_CHART_ACCESS_COVERING, c->client_id, c->other_id, c->clinician_id,
                                    tomorrow, NULL);
  store_test_save (c->store, TEND_RECORD (covering));
  /* As if all this had come from the server. */
  g_assert_cmpint (raw_exec (c, "UPDATE note SET dirty = 0; UPDATE chart_access SET dirty = 0"), ==, SQLITE_OK);

  /* Other roles hold every chart their role reads. */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_OWNER);
  gained = tend_store_chart_reach_update (c->store, FALSE, &dropped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (gained), ==, 0);
  g_clear_pointer (&gained, g_strfreev);

  /* Otto's computer after its first sync holds the chart he covers. */
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  gained = tend_store_chart_reach_update (c->store, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (gained), ==, 0);
  g_clear_pointer (&gained, g_strfreev);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM chart_reach"), ==, 1);

  /* Covering ends: the chart goes, signed note included; nothing is
   * pushed for it (the practice keeps it). */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  tend_chart_access_end (covering);
  store_test_save (c->store, TEND_RECORD (covering));
  g_assert_cmpint (raw_exec (c, "UPDATE chart_access SET dirty = 0; DELETE FROM outbox"), ==, SQLITE_OK);
  n_own = store_test_query_int (&c->f, "SELECT count(*) FROM note");
  g_assert_cmpint (n_own, ==, 1);
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  gained = tend_store_chart_reach_update (c->store, FALSE, &dropped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (gained), ==, 0);
  g_assert_cmpuint (dropped, ==, 1);
  g_clear_pointer (&gained, g_strfreev);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note"), ==, 0);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM chart_reach"), ==, 0);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM chart_purge"), ==, 0);

  /* Reassigned to him: the chart is named for fetching, once. */
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_OWNER);
  {
    g_autoptr(TendRecord) client = tend_store_load (c->store, TEND_TYPE_CLIENT, c->client2_id, &error);

    tend_record_set_string (client, "primary_clinician_id", c->other_id);
    store_test_save (c->store, client);
  }
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  gained = tend_store_chart_reach_update (c->store, FALSE, &dropped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (gained), ==, 1);
  g_assert_cmpstr (gained[0], ==, c->client2_id);
  g_assert_true (tend_store_chart_reach_add (c->store, gained[0], &error));
  g_clear_pointer (&gained, g_strfreev);
  gained = tend_store_chart_reach_update (c->store, FALSE, &dropped, &error);
  g_assert_cmpuint (g_strv_length (gained), ==, 0);
}

/* A note's autosaved draft is purged once the note is signed or
 * discarded, however that happens: discarded here, signed by a save that
 * did not go through tend_chart_sign_note () (as a synced signature does),
 * or deleted by a tombstone. */
static void
test_draft_purge (Chart         *c,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClinicalNote) discarded = new_note (c, c->client_id, "2026-03-02", "To discard.");
  g_autoptr(TendClinicalNote) signed_elsewhere = new_note (c, c->client_id, "2026-03-03", "Signed elsewhere.");
  g_autoptr(TendClinicalNote) deleted = new_note (c, c->client_id, "2026-03-04", "Deleted by a tombstone.");
  g_autoptr(TendRecord) gone = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 3, 3, 15, 0, 0);
  TendClinicalNote *notes[] = { discarded, signed_elsewhere, deleted };

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autoptr(JsonNode) draft = sections_json ("Typed since the last save.");

      g_assert_true (tend_chart_save_draft (c->store, tend_record_get_id (TEND_RECORD (notes[i])), draft, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 3);

  /* Someone who is not the author discards nothing. */
  tend_store_set_actor (c->store, c->supervisor_id, TEND_ROLE_SUPERVISOR);
  g_assert_false (tend_chart_discard_note (c->store, tend_record_get_id (TEND_RECORD (discarded)), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 3);

  g_assert_true (tend_chart_discard_note (c->store, tend_record_get_id (TEND_RECORD (discarded)), &error));
  g_assert_no_error (error);
  gone = tend_store_load (c->store, TEND_TYPE_CLINICAL_NOTE, tend_record_get_id (TEND_RECORD (discarded)), &error);
  g_assert_no_error (error);
  g_assert_true (gone != NULL && tend_record_get_deleted (gone));   /* a tombstone, to sync */
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 2);

  /* Signed without tend_chart_sign_note () (as a signature synced from
   * another computer arrives): the stale draft goes with it. */
  tend_record_set_string (TEND_RECORD (signed_elsewhere), "cosign_required_by", c->supervisor_id);
  g_assert_true (tend_clinical_note_mark_signed (signed_elsewhere, c->clinician_id, now, &error));
  g_assert_no_error (error);
  store_test_save (c->store, TEND_RECORD (signed_elsewhere));
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 1);
  /* A signed note is not discarded: it is corrected with an addendum. */
  g_assert_false (tend_chart_discard_note (c->store, tend_record_get_id (TEND_RECORD (signed_elsewhere)), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* A tombstone. */
  g_assert_true (tend_store_delete (c->store, TEND_RECORD (deleted), &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (&c->f, "SELECT count(*) FROM note_draft"), ==, 0);
}

/* Related people: every role reads them, on every chart; the store
 * refuses the biller, a clinician off the chart, a consent in another's
 * name; a removal is undone by saving the record again. */
static void
test_related_people (Chart         *c,
                     gconstpointer  data)
{
  g_autoptr(TendRelatedPerson) mother = tend_related_person_new (c->client_id, "Mara Hale", TEND_RELATED_PARENT);
  g_autoptr(TendRelatedPerson) guardian = tend_related_person_new (c->client_id, "Gil Hale", TEND_RELATED_LEGAL_GUARDIAN);
  g_autoptr(TendRelatedPerson) other = tend_related_person_new (c->client2_id, "Ola Ibarra", TEND_RELATED_PARTNER);
  g_autoptr(GPtrArray) people = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *desk_id = NULL;
  g_autofree char *biller_id = NULL;
  g_autoptr(TendRecord) copy = NULL;

  tend_store_set_actor (c->store, NULL, TEND_ROLE_OWNER);
  desk_id = add_staff (c->store, "Dee", TEND_ROLE_FRONT_DESK, NULL);
  biller_id = add_staff (c->store, "Bill", TEND_ROLE_BILLER, NULL);
  tend_store_set_actor (c->store, c->clinician_id, TEND_ROLE_CLINICIAN);

  /* Cleo, on the chart, records the mother with the client's consent. */
  tend_related_person_set_consent (mother, "2026-11-30", c->clinician_id, "Attendance and progress");
  g_assert_true (tend_store_save (c->store, TEND_RECORD (mother), &error));
  g_assert_no_error (error);
  /* ... but not in the front desk's name. */
  tend_related_person_set_consent (guardian, "2026-11-30", desk_id, NULL);
  g_assert_false (tend_store_save (c->store, TEND_RECORD (guardian), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Otto is on neither chart: he reads the people, but may not add one. */
  tend_store_set_actor (c->store, c->other_id, TEND_ROLE_CLINICIAN);
  people = tend_chart_list_related_people (c->store, c->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_clear_pointer (&people, g_ptr_array_unref);
  g_assert_false (tend_store_save (c->store, TEND_RECORD (guardian), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_false (tend_store_check_write (c->store, TEND_RECORD (other), NULL));

  /* The biller reads, never writes. */
  tend_store_set_actor (c->store, biller_id, TEND_ROLE_BILLER);
  people = tend_chart_list_related_people (c->store, c->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->len, ==, 1);
  g_clear_pointer (&people, g_ptr_array_unref);
  g_assert_false (tend_store_save (c->store, TEND_RECORD (other), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* The front desk records the guardian of any client, in its own name. */
  tend_store_set_actor (c->store, desk_id, TEND_ROLE_FRONT_DESK);
  g_assert_true (tend_store_save (c->store, TEND_RECORD (guardian), &error));
  g_assert_no_error (error);
  g_assert_true (tend_store_save (c->store, TEND_RECORD (other), &error));
  people = tend_chart_list_related_people (c->store, c->client_id, &error);
  g_assert_cmpuint (people->len, ==, 2);
  /* Legal guardians first. */
  g_assert_cmpstr (tend_related_person_get_name (g_ptr_array_index (people, 0)), ==, "Gil Hale");
  g_clear_pointer (&people, g_ptr_array_unref);

  /* Removed, as a tombstone; putting it back in the front desk's name
   * would record the clinician's consent as theirs: refused (so the chart
   * asks before removing rather than offering Undo). */
  copy = tend_record_copy (TEND_RECORD (mother));
  g_assert_true (tend_store_delete (c->store, TEND_RECORD (mother), &error));
  people = tend_chart_list_related_people (c->store, c->client_id, &error);
  g_assert_cmpuint (people->len, ==, 1);
  g_assert_false (tend_store_save (c->store, copy, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Chart, NULL, chart_setup, fn, chart_teardown)
  ADD ("/chart/note-lifecycle", test_lifecycle);
  ADD ("/chart/session-draft", test_session_draft);
  ADD ("/chart/draft-purge", test_draft_purge);
  ADD ("/chart/autosave-survives-kill", test_autosave_survives_kill);
  ADD ("/chart/visibility", test_visibility);
  ADD ("/chart/search", test_search);
  ADD ("/chart/unsigned-overdue", test_unsigned_overdue);
  ADD ("/chart/documents", test_documents);
  ADD ("/chart/measures-and-risk", test_measures_and_risk);
  ADD ("/chart/plan-signing", test_plan_signing);
  ADD ("/chart/safety-plans", test_safety_plans);
  ADD ("/chart/audit-trail", test_audit_trail);
  ADD ("/chart/privacy/relation", test_privacy_relation);
  ADD ("/chart/privacy/break-the-glass", test_break_the_glass);
  ADD ("/chart/privacy/reach", test_chart_reach);
  ADD ("/chart/privacy/grant-access", test_grant_access);
  ADD ("/chart/related-people", test_related_people);
#undef ADD
  return g_test_run ();
}
