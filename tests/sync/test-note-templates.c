/* test-note-templates.c: the practice's own note templates, through a real
 * tend-server on a throwaway PostgreSQL cluster and real app stores
 *
 * Olga (owner) makes a template on her computer; it reaches Ann's
 * (clinician) through the server; Ann writes a note from it and signs it,
 * and the signed note reaches Olga's computer.  Sue (supervisor) may change
 * templates; Ann and Dee (front desk) may not, at the server as in the
 * store, and Dee never receives them.  Signing with a required section
 * empty is refused by the store and by the server.  An edit of the
 * template afterwards leaves the signed note, and its hash, as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "sync-test-peer.h"
#include "tend-chart.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;
static char *practice_id;

static Peer *
peer_new (const char *email)
{
  return peer_open_as_self (server->base, email, PASSWORD);
}

static const char *
me (Peer *p)
{
  return tend_sync_engine_get_staff_id (p->engine);
}

static TendPracticeTemplate *
couples_template (void)
{
  TendPracticeTemplate *t = tend_practice_template_new ("Couples session");
  g_autoptr(GPtrArray) defs = g_ptr_array_new_with_free_func ((GDestroyNotify) tend_note_section_def_free);

  g_ptr_array_add (defs, tend_note_section_def_new ("focus", "Session focus", "What the couple brought", TRUE,
                                                    TEND_NOTE_SECTION_TEXT, NULL));
  g_ptr_array_add (defs, tend_note_section_def_new ("interventions", "Interventions", NULL, TRUE,
                                                    TEND_NOTE_SECTION_CHECKBOXES,
                                                    (const char *[]) { "Gottman repair", "Emotion coaching",
                                                                       "Psychoeducation", NULL }));
  g_ptr_array_add (defs, tend_note_section_def_new ("risk", NULL, NULL, FALSE, TEND_NOTE_SECTION_RISK, NULL));
  g_ptr_array_add (defs, tend_note_section_def_new ("engagement", "Engagement", NULL, FALSE,
                                                    TEND_NOTE_SECTION_CHOICE,
                                                    (const char *[]) { "Good", "Fair", "Poor", NULL }));
  tend_practice_template_set_sections (t, defs);
  return t;
}

/* One raw push by @token; the operation's result. */
static JsonNode *
push (const char *token,
      const char *type,
      const char *id,
      gint64      base_version,
      const char *body)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op_id, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);

  g_assert_cmpuint (r->status, ==, 200);
  return json_node_ref (test_json_get (r->json, "results.0"));
}

static gboolean
feed_has (Peer       *p,
          const char *id)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?limit=1000",
                                            tend_sync_engine_get_token (p->engine), NULL);
  g_autofree char *text = NULL;

  g_assert_cmpuint (r->status, ==, 200);
  text = json_to_string (r->json, FALSE);
  return strstr (text, id) != NULL;
}

static void
test_templates (void)
{
  g_autoptr(Peer) olga = peer_new ("owner@templates.example");
  g_autoptr(Peer) ann = peer_new ("ann@templates.example");
  g_autoptr(Peer) sue = peer_new ("sue@templates.example");
  g_autoptr(Peer) dee = peer_new ("dee@templates.example");
  g_autoptr(TendPracticeTemplate) made = couples_template ();
  g_autoptr(TendRecord) received = NULL;
  g_autoptr(TendClinicalNote) note = NULL;
  g_autoptr(TendClinicalNote) signed_note = NULL;
  g_autoptr(TendRecord) at_olga = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TendClient) client = tend_client_new ("Robin", "Reyes");
  g_autofree char *hash = NULL;
  const char *template_id = tend_record_get_id (TEND_RECORD (made));
  const char *note_id;

  /* Made on Olga's computer, with a client of Ann's. */
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", me (ann));
  store_test_save (olga->store, TEND_RECORD (client));
  store_test_save (olga->store, TEND_RECORD (made));
  sync_ok (olga);

  /* On Ann's computer after a sync; never on the front desk's. */
  sync_ok (ann);
  received = tend_store_load (ann->store, TEND_TYPE_PRACTICE_TEMPLATE, template_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (received);
  g_assert_cmpstr (tend_practice_template_get_name (TEND_PRACTICE_TEMPLATE (received)), ==, "Couples session");
  sync_ok (dee);
  g_assert_cmpint (store_test_query_int (&dee->f, "SELECT count(*) FROM note_template"), ==, 0);
  g_assert_false (feed_has (dee, template_id));

  /* Ann writes from it.  Signing with a required section empty is refused
   * with the section's name, and nothing is signed. */
  note = tend_clinical_note_new_from_practice_template (tend_record_get_id (TEND_RECORD (client)), me (ann),
                                                        TEND_PRACTICE_TEMPLATE (received));
  note_id = tend_record_get_id (TEND_RECORD (note));
  tend_record_set_string (TEND_RECORD (note), "service_date", "2026-11-30");
  tend_clinical_note_set_section (note, "focus", "Repair after the argument about money.");
  tend_clinical_note_set_section (note, "engagement", "Good");
  g_assert_true (tend_chart_save_note (ann->store, note, &error));
  g_assert_no_error (error);
  g_assert_null (tend_chart_sign_note (ann->store, note_id, &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Fill in these parts before signing: Interventions");
  g_clear_error (&error);

  /* The server refuses the same, pushed with a signature forged in the
   * body (a computer that skipped the check). */
  {
    g_autoptr(TendClinicalNote) forged = TEND_CLINICAL_NOTE (tend_record_new (TEND_TYPE_CLINICAL_NOTE));
    g_autofree char *body = tend_record_to_body_string (TEND_RECORD (note));
    g_autofree char *sha = NULL;
    g_autofree char *text = NULL;
    g_autoptr(JsonNode) result = NULL;

    g_assert_true (tend_record_load_body_string (TEND_RECORD (forged), body, -1, &error));
    tend_record_set_id (TEND_RECORD (forged), g_uuid_string_random ());
    sha = tend_clinical_note_compute_sha256 (forged);
    tend_record_set_string (TEND_RECORD (forged), "status", "signed");
    tend_record_set_string (TEND_RECORD (forged), "signed_by", me (ann));
    tend_record_set_string (TEND_RECORD (forged), "signed_at", "2026-11-30T18:00:00Z");
    tend_record_set_string (TEND_RECORD (forged), "content_sha256", sha);
    /* Valid as a record: only the template's rule is broken. */
    g_assert_true (tend_record_validate (TEND_RECORD (forged), &error));
    g_assert_no_error (error);
    text = tend_record_to_body_string (TEND_RECORD (forged));
    result = push (tend_sync_engine_get_token (ann->engine), "note", tend_record_get_id (TEND_RECORD (forged)), 0, text);
    g_assert_cmpstr (test_json_string (result, "status"), ==, "rejected");
    g_assert_nonnull (strstr (test_json_string (result, "error.message"), "Interventions"));
  }

  tend_clinical_note_set_section_checked (note, "interventions",
                                          (const char *[]) { "Gottman repair", "Psychoeducation", NULL });
  g_assert_true (tend_chart_save_note (ann->store, note, &error));
  g_assert_no_error (error);
  signed_note = tend_chart_sign_note (ann->store, note_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_note);
  hash = g_strdup (tend_clinical_note_get_content_sha256 (signed_note));
  sync_ok (ann);

  /* On Olga's computer: signed, as written, with the template it was
   * written from. */
  sync_ok (olga);
  at_olga = tend_store_load (olga->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (at_olga);
  g_assert_true (tend_clinical_note_is_signed (TEND_CLINICAL_NOTE (at_olga)));
  g_assert_cmpstr (tend_clinical_note_get_content_sha256 (TEND_CLINICAL_NOTE (at_olga)), ==, hash);
  g_assert_cmpstr (tend_clinical_note_get_template_id (TEND_CLINICAL_NOTE (at_olga)), ==, template_id);
  {
    g_autofree char *text = tend_clinical_note_dup_plain_text (TEND_CLINICAL_NOTE (at_olga));

    g_assert_nonnull (strstr (text, "Interventions\n• Gottman repair\n• Psychoeducation"));
  }

  /* Sue may change the template; Ann may not, in her store or at the
   * server; the front desk not at all. */
  {
    g_autoptr(TendRecord) mine = NULL;
    g_autoptr(GPtrArray) defs = NULL;
    g_autofree char *body = NULL;
    g_autoptr(JsonNode) result = NULL;
    gint64 version;

    sync_ok (sue);
    mine = tend_store_load (sue->store, TEND_TYPE_PRACTICE_TEMPLATE, template_id, &error);
    g_assert_no_error (error);
    defs = tend_practice_template_dup_sections (TEND_PRACTICE_TEMPLATE (mine));
    g_free (((TendNoteSectionDef *) g_ptr_array_index (defs, 0))->title);
    ((TendNoteSectionDef *) g_ptr_array_index (defs, 0))->title = g_strdup ("What we worked on");
    g_ptr_array_remove_index (defs, 1);
    tend_practice_template_set_sections (TEND_PRACTICE_TEMPLATE (mine), defs);
    store_test_save (sue->store, mine);
    sync_ok (sue);

    sync_ok (ann);
    g_clear_object (&mine);
    mine = tend_store_load (ann->store, TEND_TYPE_PRACTICE_TEMPLATE, template_id, &error);
    g_assert_no_error (error);
    tend_record_set_string (mine, "name", "Ann's own version");
    g_assert_false (tend_store_save (ann->store, mine, &error));
    g_assert_error (error, TEND_ERROR, TEND_ERROR_PERMISSION_DENIED);
    g_clear_error (&error);
    body = tend_record_to_body_string (mine);
    version = tend_record_get_version (mine);
    result = push (tend_sync_engine_get_token (ann->engine), "note_template", template_id, version, body);
    g_assert_cmpstr (test_json_string (result, "status"), ==, "rejected");
    g_assert_cmpstr (test_json_string (result, "error.code"), ==, "forbidden");
    json_node_unref (result);
    result = push (tend_sync_engine_get_token (dee->engine), "note_template", g_uuid_string_random (), 0, body);
    g_assert_cmpstr (test_json_string (result, "status"), ==, "rejected");
    g_assert_cmpstr (test_json_string (result, "error.code"), ==, "forbidden");
  }

  /* After the edit, the signed note is what it was, on both computers. */
  sync_ok (olga);
  {
    Peer *peers[] = { olga, ann };

    for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
      {
        g_autoptr(TendRecord) again = tend_store_load (peers[i]->store, TEND_TYPE_CLINICAL_NOTE, note_id, &error);
        g_autofree char *recomputed = NULL;
        g_autofree char *text = NULL;

        g_assert_no_error (error);
        recomputed = tend_clinical_note_compute_sha256 (TEND_CLINICAL_NOTE (again));
        g_assert_cmpstr (recomputed, ==, hash);
        g_assert_cmpstr (tend_clinical_note_get_content_sha256 (TEND_CLINICAL_NOTE (again)), ==, hash);
        text = tend_clinical_note_dup_plain_text (TEND_CLINICAL_NOTE (again));
        g_assert_nonnull (strstr (text, "Session focus\nRepair after the argument about money."));
        g_assert_null (strstr (text, "What we worked on"));
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/note-templates/made-synced-used", test_templates);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Templates Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", "owner@templates.example",
                         "--owner-name", "Olga Owens", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "ann@templates.example",
                               "--name", "Ann Archer", "--role", "clinician", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "sue@templates.example",
                               "--name", "Sue Sawyer", "--role", "supervisor", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "dee@templates.example",
                               "--name", "Dee Desk", "--role", "front_desk", NULL));
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  rc = g_test_run ();
  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  g_free (practice_id);
  return rc;
}
