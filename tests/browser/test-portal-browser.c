/* test-portal-browser.c: the client portal in a real headless Chromium
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL, a real tend-server whose outbox sends through a
 * real SMTP server on loopback (tests/server/smtp-sink.py, aiosmtpd,
 * keeping each message as a file), and portal.mjs driving Debian's
 * Chromium with playwright-core: it opens the invitation link from the
 * captured e-mail, signs out, signs in again with the code from the next
 * captured e-mail, confirms one appointment and cancels another (the fee
 * shown first), signs a consent, answers a PHQ-9 and an AUDIT-C, fills in an intake form, sends a message, and
 * runs axe-core on every page, in English and Spanish.  Then a Tend store
 * signed in as the practice's owner syncs and must hold each result.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "server-test-util.h"
#include "sync-test-peer.h"
#include "tend-core.h"
#include "tend-messages.h"

#define PASSWORD "correct horse battery"
#define CLIENT_EMAIL "dana.client@mail.example"
#define GUARDIAN_EMAIL "gil.guardian@mail.example"
#define XSS_JSON "<script>window.__xss=1</script><img src=x onerror=window.__xss=2>"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, addr, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:00Z");
}

static void
push (const char *token,
      const char *type,
      const char *id,
      gint64      base_version,
      const char *body)
{
  g_autofree char *op = g_uuid_string_random ();
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\","
                                              "\"base_version\":%" G_GINT64_FORMAT ",\"body\":%s}]}",
                                              op, type, id, base_version, body);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);

  if (r->status != 200 || g_strcmp0 (test_json_string (r->json, "results.0.status"), "applied") != 0)
    g_error ("push of %s: %u %s", type, r->status, r->body);
}

static GSubprocess *
sink_start (const char *folder,
            guint16    *port)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "server", "smtp-sink.py", NULL);
  g_autofree char *port_file = g_build_filename (folder, "port", NULL);
  GSubprocess *proc;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Debian's python3 with python3-aiosmtpd, not one earlier on PATH. */
  proc = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", script, folder, port_file, NULL);
  g_assert_no_error (error);
  *port = 0;
  for (int i = 0; i < 1000 && *port == 0; i++)
    {
      g_autofree char *text = NULL;

      if (g_file_get_contents (port_file, &text, NULL, NULL))
        *port = (guint16) g_ascii_strtoull (text, NULL, 10);
      else
        g_usleep (10 * 1000);
    }
  g_assert_cmpuint (*port, >, 0);
  return proc;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static TendRecord *
load (Peer       *p,
      GType       type,
      const char *id)
{
  g_autoptr(GError) error = NULL;
  TendRecord *record = tend_store_load (p->store, type, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static void
test_portal_in_chromium (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-browser-XXXXXX", &error);
  g_autofree char *mail = g_build_filename (dir, "mail", NULL);
  g_autofree char *conf = g_build_filename (dir, "server.conf", NULL);
  g_autofree char *listen = NULL;
  g_autofree char *owner_token = NULL;
  g_autofree char *owner_staff = NULL;
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *appt_confirm = g_uuid_string_random ();
  g_autofree char *appt_cancel = g_uuid_string_random ();
  g_autofree char *conversation = g_uuid_string_random ();
  g_autofree char *consent = g_uuid_string_random ();
  g_autofree char *phq9 = g_uuid_string_random ();
  g_autofree char *auditc = g_uuid_string_random ();
  g_autofree char *intake = g_uuid_string_random ();
  g_autofree char *plan_form = NULL;
  g_autofree char *body = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "portal.mjs", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GSubprocess) sink = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  guint16 smtp_port, port = free_port ();

  g_assert_no_error (error);
  g_mkdir (mail, 0700);
  sink = sink_start (mail, &smtp_port);

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@riverbend.example", "--owner-name", "Olive Owner", NULL);
  owner_staff = g_strdup (test_json_string (a, "staff_id"));
  body = g_strdup_printf ("[server]\nsmtp-host=127.0.0.1\nsmtp-port=%u\nsmtp-tls=none\n"
                          "smtp-from=portal@riverbend.example\nportal-url=http://127.0.0.1:%u/portal/\n"
                          "outbox-poll-interval-ms=100\noutbox-retry=1\nquiet-hours=none\n",
                          smtp_port, port);
  g_file_set_contents (conf, body, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, g_free);
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  server = test_server_start (pg, "--config", conf, "--listen", listen, NULL);
  g_assert_cmpuint (server->port, ==, port);
  session = test_session_new ();
  owner_token = test_login (session, server, "owner@riverbend.example", PASSWORD);

  /* The practice's side, as Tend pushes it. */
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes", owner_token, NULL);
    JsonArray *changes = json_node_get_array (test_json_get (r->json, "changes"));

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *c = json_array_get_object_element (changes, i);

        if (g_strcmp0 (json_object_get_string_member (c, "type"), "practice") == 0)
          push (owner_token, "practice", json_object_get_string_member (c, "id"), json_object_get_int_member (c, "version"),
                "{\"name\":\"Riverbend Counseling\",\"time_zone\":\"America/Chicago\",\"currency\":\"USD\","
                "\"address\":{\"line1\":\"12 Elm Street\",\"city\":\"Springfield\",\"region\":\"IL\"}}");
      }
  }
  {
    g_autofree char *settings = g_uuid_string_random ();

    push (owner_token, "billing_settings", settings, 0,
          "{\"charge_on\":\"completed\",\"telehealth_modifier\":\"95\",\"late_cancel_fee\":4500}");
  }
  push (owner_token, "client", client, 0,
        "{\"legal_given\":\"Dana\",\"legal_family\":\"Client\",\"status\":\"active\",\"email\":\"" CLIENT_EMAIL "\"}");
  {
    g_autofree char *s1 = iso_in (3 * 24 * 3600), *e1 = iso_in (3 * 24 * 3600 + 3000);
    g_autofree char *s2 = iso_in (5 * 3600), *e2 = iso_in (5 * 3600 + 3000);
    g_autofree char *now = iso_in (-120);

    body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"in_person\","
                            "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\"}", client, owner_staff, s1, e1);
    push (owner_token, "appointment", appt_confirm, 0, body);
    g_clear_pointer (&body, g_free);
    body = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\",\"modality\":\"telehealth\","
                            "\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\"}", client, owner_staff, s2, e2);
    push (owner_token, "appointment", appt_cancel, 0, body);
    g_clear_pointer (&body, g_free);
    body = g_strdup_printf ("{\"subject\":\"Scheduling " XSS_JSON "\",\"members\":[\"%s\"],\"client_id\":\"%s\","
                            "\"with_client\":true,\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                            owner_staff, client, owner_staff, now);
    push (owner_token, "conversation", conversation, 0, body);
    g_clear_pointer (&body, g_free);
    body = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Welcome, Dana. " XSS_JSON "\","
                            "\"sent_at\":\"%s\"}", conversation, owner_staff, now);
    {
      g_autofree char *id = g_uuid_string_random ();

      push (owner_token, "message", id, 0, body);
    }
    g_clear_pointer (&body, g_free);
  }
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"consent\",\"consent\":\"treatment\",\"title\":\"Consent to treatment\","
                          "\"text\":\"I agree to counseling with Riverbend Counseling.\\n\\nI understand " XSS_JSON ".\","
                          "\"status\":\"pending\",\"assigned_by\":\"%s\"}", client, owner_staff);
  push (owner_token, "portal_form", consent, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"measure\",\"instrument\":\"phq9\",\"title\":\"PHQ-9\","
                          "\"status\":\"pending\",\"assigned_by\":\"%s\"}", client, owner_staff);
  push (owner_token, "portal_form", phq9, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"measure\",\"instrument\":\"auditc\",\"title\":\"AUDIT-C\","
                          "\"status\":\"pending\",\"assigned_by\":\"%s\"}", client, owner_staff);
  push (owner_token, "portal_form", auditc, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"intake\",\"title\":\"Contact and Insurance Details\","
                          "\"status\":\"pending\",\"assigned_by\":\"%s\"}", client, owner_staff);
  push (owner_token, "portal_form", intake, 0, body);
  g_clear_pointer (&body, g_free);
  /* A treatment plan the clinician signed, and the request to co-sign it,
   * as the chart makes them. */
  {
    g_autoptr(TendTreatmentPlan) plan = tend_treatment_plan_new (client, owner_staff);
    g_autoptr(JsonNode) problems = tend_treatment_plan_parse_outline (
      "Problem: Panic attacks " XSS_JSON "\nGoal: Ride the bus again\n"
      "Objective: One stop with a friend (by 2027-02-01)\nIntervention: Interoceptive exposure", NULL);
    g_autoptr(GDateTime) when = g_date_time_new_now_utc ();
    g_autoptr(TendPortalForm) request = NULL;
    g_autoptr(JsonNode) plan_body = NULL;
    g_autoptr(JsonNode) form_body = NULL;
    g_autofree char *text = NULL;
    g_autofree char *plain = NULL;
    g_autofree char *json = NULL;

    tend_record_set_json (TEND_RECORD (plan), "problems", problems);
    tend_record_set_string (TEND_RECORD (plan), "review_date", "2027-05-01");
    tend_record_set_string (TEND_RECORD (plan), "frequency", "Weekly, 50 minutes");
    g_assert_true (tend_treatment_plan_mark_signed (plan, owner_staff, when, NULL));
    plan_body = tend_record_serialize_body (TEND_RECORD (plan));
    json = json_to_string (plan_body, FALSE);
    push (owner_token, "treatment_plan", tend_record_get_id (TEND_RECORD (plan)), 0, json);
    g_clear_pointer (&json, g_free);
    plain = tend_treatment_plan_dup_client_text (plan, NULL);
    text = g_strdup_printf ("Your clinician signed this plan on 12/07/2026.\n\n%s", plain);
    request = tend_portal_form_new_plan_request (client, tend_record_get_id (TEND_RECORD (plan)),
                                                 tend_record_get_string (TEND_RECORD (plan), "content_sha256"),
                                                 "Your treatment plan", text, owner_staff);
    plan_form = g_strdup (tend_record_get_id (TEND_RECORD (request)));
    form_body = tend_record_serialize_body (TEND_RECORD (request));
    json = json_to_string (form_body, FALSE);
    push (owner_token, "portal_form", plan_form, 0, json);
  }
  {
    g_autofree char *plan = g_uuid_string_random ();

    body = g_strdup_printf ("{\"client_id\":\"%s\",\"author_id\":\"%s\",\"plan_date\":\"2026-12-01\","
                            "\"warning_signs\":\"Not sleeping\\nSkipping meals " XSS_JSON "\","
                            "\"coping_strategies\":\"Walk the dog\",\"help_contacts\":\"Sister Dana 555-0142\","
                            "\"crisis_line\":\"988 Suicide & Crisis Lifeline: call or text 988\","
                            "\"shared_with_client\":true}", client, owner_staff);
    push (owner_token, "safety_plan", plan, 0, body);
    g_clear_pointer (&body, g_free);
  }
  {
    /* A statement Billing shared (bytes first, then the record). */
    static const char pdf[] = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, pdf, -1);
    g_autofree char *blob_path = g_strdup_printf ("/v1/blobs/%s", sha);
    g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, strlen (pdf));
    g_autoptr(TestResponse) put = test_request_bytes (session, server, "PUT", blob_path, owner_token, bytes);
    g_autofree char *bill = g_uuid_string_random ();

    g_assert_cmpuint (put->status, <, 300);
    body = g_strdup_printf ("{\"client_id\":\"%s\",\"kind\":\"statement\",\"number\":\"ST-000042\","
                            "\"issued_on\":\"2026-12-01\",\"size\":%zu,\"sha256\":\"%s\","
                            "\"shared_at\":\"2026-12-01T15:00:00Z\",\"shared_with_client\":true}", client, strlen (pdf), sha);
    push (owner_token, "shared_bill", bill, 0, body);
    g_clear_pointer (&body, g_free);
  }
  {
    g_autofree char *invite = g_strdup_printf ("{\"client_id\":\"%s\",\"email\":\"" CLIENT_EMAIL "\"}", client);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/portal-invitations", owner_token, invite);

    g_assert_cmpuint (r->status, ==, 200);
  }

  /* The client's side, in Chromium. */
  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "PORTAL_BASE", base, TRUE);
  g_subprocess_launcher_setenv (launcher, "MAIL_DIR", mail, TRUE);
  g_subprocess_launcher_setenv (launcher, "CLIENT_EMAIL", CLIENT_EMAIL, TRUE);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", g_test_get_dir (G_TEST_DIST), TRUE);
  node = g_subprocess_launcher_spawn (launcher, &error, "node", script, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (node, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (node) || g_subprocess_get_exit_status (node) != 0)
    {
      g_autofree char *log = test_server_get_log (server);

      g_printerr ("tend-server's log:\n%s\n", log);
      g_error ("portal.mjs failed");
    }

  /* Each result, in a Tend store after a sync. */
  {
    g_autoptr(Peer) p = peer_open (server->base, "owner@riverbend.example", PASSWORD, -1);
    g_autoptr(TendRecord) confirmed = NULL;
    g_autoptr(TendRecord) cancelled = NULL;
    g_autoptr(TendRecord) signed_form = NULL;
    g_autoptr(TendRecord) answered = NULL;
    g_autoptr(TendRecord) measure = NULL;
    g_autoptr(GArray) rids = NULL;
    gboolean found = FALSE;

    sync_ok (p);
    confirmed = load (p, TEND_TYPE_APPOINTMENT, appt_confirm);
    cancelled = load (p, TEND_TYPE_APPOINTMENT, appt_cancel);
    g_assert_cmpint (tend_appointment_get_status (TEND_APPOINTMENT (confirmed)), ==, TEND_APPOINTMENT_CONFIRMED);
    g_assert_cmpint (tend_appointment_get_status (TEND_APPOINTMENT (cancelled)), ==, TEND_APPOINTMENT_LATE_CANCELLED);
    g_assert_cmpstr (tend_record_get_string (cancelled, "cancel_reason"), ==, "Car trouble");

    signed_form = load (p, TEND_TYPE_PORTAL_FORM, consent);
    g_assert_cmpstr (tend_record_get_string (signed_form, "status"), ==, "completed");
    g_assert_cmpstr (tend_record_get_string (signed_form, "signed_name"), ==, "Dana Client");
    g_assert_true (g_str_has_prefix (tend_record_get_string (signed_form, "signed_user_agent"), "Mozilla/5.0"));
    {
      g_autofree char *sha = tend_portal_form_text_sha256 (tend_portal_form_get_text (TEND_PORTAL_FORM (signed_form)));

      g_assert_cmpstr (tend_record_get_string (signed_form, "text_sha256"), ==, sha);
    }

    /* The signed consent, kept in the chart as a PDF document. */
    {
      g_autofree char *doc_id = tend_record_derive_id ("portal-consent-pdf", consent, "1");
      g_autoptr(TendRecord) doc = load (p, TEND_TYPE_DOCUMENT, doc_id);

      g_assert_cmpstr (tend_document_get_client_id (TEND_DOCUMENT (doc)), ==, client);
      g_assert_cmpstr (tend_document_get_mime_type (TEND_DOCUMENT (doc)), ==, "application/pdf");
      g_assert_cmpstr (tend_document_get_title (TEND_DOCUMENT (doc)), ==, "Consent to treatment (signed)");
    }

    /* The treatment plan, co-signed by the client: the form completed,
     * its PDF in the chart. */
    {
      g_autoptr(TendRecord) cosigned = load (p, TEND_TYPE_PORTAL_FORM, plan_form);
      g_autofree char *sha = tend_portal_form_text_sha256 (tend_portal_form_get_text (TEND_PORTAL_FORM (cosigned)));
      g_autofree char *doc_id = tend_record_derive_id ("portal-consent-pdf", plan_form, "1");
      g_autoptr(TendRecord) doc = load (p, TEND_TYPE_DOCUMENT, doc_id);

      g_assert_cmpstr (tend_record_get_string (cosigned, "status"), ==, "completed");
      g_assert_cmpstr (tend_record_get_string (cosigned, "signed_name"), ==, "Dana Client");
      g_assert_cmpstr (tend_record_get_string (cosigned, "text_sha256"), ==, sha);
      g_assert_cmpstr (tend_document_get_title (TEND_DOCUMENT (doc)), ==, "Your treatment plan (signed)");
    }

    /* The request for another time, on the waitlist. */
    g_assert_cmpint (tend_store_count (p->store, TEND_TYPE_WAITLIST_ENTRY, NULL), ==, 1);

    answered = load (p, TEND_TYPE_PORTAL_FORM, phq9);
    g_assert_cmpstr (tend_record_get_string (answered, "status"), ==, "completed");
    measure = load (p, TEND_TYPE_MEASURE, tend_record_get_string (answered, "measure_id"));
    g_assert_cmpuint (tend_measure_get_score (TEND_MEASURE (measure)), ==, 9);
    g_assert_true (tend_measure_has_risk (TEND_MEASURE (measure)));
    {
      g_autoptr(TendRecord) audit_form = load (p, TEND_TYPE_PORTAL_FORM, auditc);
      g_autoptr(TendRecord) audit = NULL;

      g_assert_cmpstr (tend_record_get_string (audit_form, "status"), ==, "completed");
      audit = load (p, TEND_TYPE_MEASURE, tend_record_get_string (audit_form, "measure_id"));
      g_assert_cmpint (tend_measure_get_instrument (TEND_MEASURE (audit)), ==, TEND_INSTRUMENT_AUDITC);
      g_assert_cmpuint (tend_measure_get_score (TEND_MEASURE (audit)), ==, 3);
    }
    {
      g_autoptr(TendRecord) filled = load (p, TEND_TYPE_PORTAL_FORM, intake);
      g_autoptr(JsonNode) details = tend_record_dup_json (filled, "details");
      JsonObject *d = json_node_get_object (details);

      g_assert_cmpstr (tend_record_get_string (filled, "status"), ==, "completed");
      g_assert_cmpstr (json_object_get_string_member (d, "phone_mobile"), ==, "512 555 0142");
      g_assert_cmpstr (json_object_get_string_member (d, "insurance.member_number"), ==, "XJ-42 <script>window.__xss=3</script>");
      g_assert_false (json_object_has_member (d, "pronouns"));
    }

    rids = tend_messages_list_rids (p->store, conversation, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < rids->len; i++)
      {
        g_autoptr(TendMessage) m = tend_messages_load (p->store, g_array_index (rids, gint64, i), &error);

        g_assert_no_error (error);
        if (tend_message_is_from_client (m) &&
            g_strcmp0 (tend_message_get_text (m), "See you Thursday. <b>Thanks</b>") == 0)
          found = TRUE;
      }
    g_assert_true (found);
  }

  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  g_subprocess_force_exit (sink);
  g_subprocess_wait (sink, NULL, NULL);
  rm_rf (dir);
}

/* Live messages: portal-live.mjs keeps Dana's thread open, pushes staff
 * messages through /v1/push as Tend does (with the owner's token), and
 * times each one into the page; a message in another client's thread must
 * not reach Dana's stream; with the stream refused, the page polls.  Then
 * Gil, the legal guardian of Milo (twelve), signs in: every page says whom
 * he acts for, and Milo's messages reach his page live. */
static void
test_portal_live_in_chromium (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tend-browser-XXXXXX", &error);
  g_autofree char *mail = g_build_filename (dir, "mail", NULL);
  g_autofree char *conf = g_build_filename (dir, "server.conf", NULL);
  g_autofree char *listen = NULL;
  g_autofree char *owner_token = NULL;
  g_autofree char *owner_staff = NULL;
  g_autofree char *client = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autofree char *conversation = g_uuid_string_random ();
  g_autofree char *other_conversation = g_uuid_string_random ();
  g_autofree char *minor = g_uuid_string_random ();
  g_autofree char *guardian = g_uuid_string_random ();
  g_autofree char *minor_conversation = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autofree char *now = iso_in (-120);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "portal-live.mjs", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GSubprocess) sink = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  guint16 smtp_port, port = free_port ();

  g_assert_no_error (error);
  g_mkdir (mail, 0700);
  sink = sink_start (mail, &smtp_port);
  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@riverbend.example", "--owner-name", "Olive Owner", NULL);
  owner_staff = g_strdup (test_json_string (a, "staff_id"));
  body = g_strdup_printf ("[server]\nsmtp-host=127.0.0.1\nsmtp-port=%u\nsmtp-tls=none\n"
                          "smtp-from=portal@riverbend.example\nportal-url=http://127.0.0.1:%u/portal/\n"
                          "outbox-poll-interval-ms=100\noutbox-retry=1\nquiet-hours=none\n",
                          smtp_port, port);
  g_file_set_contents (conf, body, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&body, g_free);
  listen = g_strdup_printf ("127.0.0.1:%u", port);
  server = test_server_start (pg, "--config", conf, "--listen", listen, NULL);
  session = test_session_new ();
  owner_token = test_login (session, server, "owner@riverbend.example", PASSWORD);

  push (owner_token, "client", client, 0,
        "{\"legal_given\":\"Dana\",\"legal_family\":\"Client\",\"status\":\"active\",\"email\":\"" CLIENT_EMAIL "\"}");
  push (owner_token, "client", other, 0,
        "{\"legal_given\":\"Oscar\",\"legal_family\":\"Other\",\"status\":\"active\"}");
  body = g_strdup_printf ("{\"subject\":\"Scheduling\",\"members\":[\"%s\"],\"client_id\":\"%s\","
                          "\"with_client\":true,\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                          owner_staff, client, owner_staff, now);
  push (owner_token, "conversation", conversation, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"subject\":\"Oscar's thread\",\"members\":[\"%s\"],\"client_id\":\"%s\","
                          "\"with_client\":true,\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                          owner_staff, other, owner_staff, now);
  push (owner_token, "conversation", other_conversation, 0, body);
  g_clear_pointer (&body, g_free);
  {
    g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) twelve = g_date_time_add_years (today, -12);
    g_autofree char *dob = g_date_time_format (twelve, "%Y-%m-%d");

    body = g_strdup_printf ("{\"legal_given\":\"Milo\",\"legal_family\":\"Minor\",\"status\":\"active\","
                            "\"date_of_birth\":\"%s\"}", dob);
    push (owner_token, "client", minor, 0, body);
    g_clear_pointer (&body, g_free);
  }
  body = g_strdup_printf ("{\"client_id\":\"%s\",\"name\":\"Gil Minor\",\"relationship\":\"legal_guardian\","
                          "\"legal_guardian\":true,\"email\":\"" GUARDIAN_EMAIL "\"}", minor);
  push (owner_token, "related_person", guardian, 0, body);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"subject\":\"Milo's sessions\",\"members\":[\"%s\"],\"client_id\":\"%s\","
                          "\"with_client\":true,\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                          owner_staff, minor, owner_staff, now);
  push (owner_token, "conversation", minor_conversation, 0, body);
  g_clear_pointer (&body, g_free);
  {
    g_autofree char *invite = g_strdup_printf ("{\"client_id\":\"%s\",\"email\":\"" CLIENT_EMAIL "\"}", client);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/portal-invitations", owner_token, invite);

    g_assert_cmpuint (r->status, ==, 200);
  }
  {
    g_autofree char *invite = g_strdup_printf ("{\"client_id\":\"%s\",\"related_person_id\":\"%s\","
                                               "\"email\":\"" GUARDIAN_EMAIL "\"}", minor, guardian);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/portal-invitations", owner_token, invite);

    g_assert_cmpuint (r->status, ==, 200);
  }

  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "PORTAL_BASE", base, TRUE);
  g_subprocess_launcher_setenv (launcher, "MAIL_DIR", mail, TRUE);
  g_subprocess_launcher_setenv (launcher, "CLIENT_EMAIL", CLIENT_EMAIL, TRUE);
  g_subprocess_launcher_setenv (launcher, "OWNER_TOKEN", owner_token, TRUE);
  g_subprocess_launcher_setenv (launcher, "OWNER_STAFF", owner_staff, TRUE);
  g_subprocess_launcher_setenv (launcher, "CONVERSATION", conversation, TRUE);
  g_subprocess_launcher_setenv (launcher, "OTHER_CONVERSATION", other_conversation, TRUE);
  g_subprocess_launcher_setenv (launcher, "GUARDIAN_EMAIL", GUARDIAN_EMAIL, TRUE);
  g_subprocess_launcher_setenv (launcher, "MINOR_CONVERSATION", minor_conversation, TRUE);
  g_subprocess_launcher_setenv (launcher, "NODE_PATH", g_test_get_dir (G_TEST_DIST), TRUE);
  node = g_subprocess_launcher_spawn (launcher, &error, "node", script, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (node, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (node) || g_subprocess_get_exit_status (node) != 0)
    {
      g_autofree char *log = test_server_get_log (server);

      g_printerr ("tend-server's log:\n%s\n", log);
      g_error ("portal-live.mjs failed");
    }

  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  g_subprocess_force_exit (sink);
  g_subprocess_wait (sink, NULL, NULL);
  rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/browser/portal", test_portal_in_chromium);
  g_test_add_func ("/browser/portal-live", test_portal_live_in_chromium);
  return g_test_run ();
}
