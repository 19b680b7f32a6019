/* test-server-groups.c: couple, family and group sessions against a real
 * tend-server and a throwaway PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server evaluates the appointment's and the charge's record policy
 * for the authenticated person, never from the body: a clinician adds to
 * a session only clients whose chart they are on; each member's charge is
 * their own and follows their own attendance; a member signed in to the
 * portal sees the session with their own attendance and nothing of the
 * other members; and being in one session gives no clinician another
 * member's chart.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "server-test-util.h"
#include "tend-core.h"
#include "tend-server-portal.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;

static struct
{
  char *practice;
  char *maya_staff;   /* clinician: Ann's and Cara's */
  char *dan_staff;    /* clinician: Bob's */
  char *maya_token;
  char *dan_token;
  char *desk_token;
  char *ann;
  char *bob;
  char *cara;
  char *bob_account;
  char *family;       /* Ann, Cara and Bob, booked by the front desk */
  gint64 family_version;
} fx;

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:00Z");
}

/* Pushes one record; returns the result's status, and its error code in
 * @code. */
static char *
push (const char *token,
      const char *type,
      const char *id,
      gint64      base_version,
      const char *body,
      char      **code)
{
  return test_push_one (session, server, token, type, id, base_version, body, code);
}

static void
push_ok (const char *token,
         const char *type,
         const char *id,
         gint64      base_version,
         const char *body)
{
  g_autofree char *code = NULL;
  g_autofree char *status = push (token, type, id, base_version, body, &code);

  if (g_strcmp0 (status, "applied") != 0)
    g_error ("push of %s: %s (%s)", type, status, code);
}

static void
push_refused (const char *token,
              const char *type,
              const char *id,
              gint64      base_version,
              const char *body,
              const char *expected_code)
{
  g_autofree char *code = NULL;
  g_autofree char *status = push (token, type, id, base_version, body, &code);

  g_assert_cmpstr (status, !=, "applied");
  g_assert_cmpstr (code, ==, expected_code);
}

/* An appointment body with @members (the first the client) in @hours. */
static char *
session_body (const char         *clinician,
              const char         *type,
              const char * const *members,
              const char * const *attendance,
              const char         *status,
              gint64              hours)
{
  g_autofree char *start = iso_in (hours * 3600);
  g_autofree char *end = iso_in (hours * 3600 + 3000);
  GString *list = g_string_new ("[");
  g_autofree char *joined = NULL;

  for (guint i = 0; members[i] != NULL; i++)
    g_string_append_printf (list, "%s{\"client_id\":\"%s\",\"attendance\":\"%s\"}", i > 0 ? "," : "",
                            members[i], attendance != NULL ? attendance[i] : "expected");
  g_string_append (list, "]");
  joined = g_string_free (list, FALSE);
  return g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\","
                          "\"modality\":\"in_person\",\"start\":\"%s\",\"end\":\"%s\",\"status\":\"%s\","
                          "\"service_code\":\"90847\",\"session_type\":\"%s\",\"participants\":%s%s}",
                          members[0], clinician, start, end, status, type, joined,
                          g_strcmp0 (status, "completed") == 0 ? ",\"checked_in_at\":\"2026-01-01T00:00:00Z\"" : "");
}

static void
test_booking (void)
{
  const char *couple_off_chart[] = { fx.ann, fx.bob, NULL };
  const char *couple_mine[] = { fx.ann, fx.cara, NULL };
  const char *twice[] = { fx.ann, fx.cara, fx.cara, NULL };
  g_autofree char *ghost = g_uuid_string_random ();
  const char *with_ghost[] = { fx.ann, ghost, NULL };
  g_autofree char *id1 = g_uuid_string_random ();
  g_autofree char *id2 = g_uuid_string_random ();
  g_autofree char *b1 = session_body (fx.maya_staff, "couple", couple_off_chart, NULL, "scheduled", 30);
  g_autofree char *b2 = session_body (fx.maya_staff, "couple", couple_mine, NULL, "scheduled", 31);
  g_autofree char *b3 = session_body (fx.maya_staff, "group", twice, NULL, "scheduled", 32);
  g_autofree char *b4 = session_body (fx.maya_staff, "couple", with_ghost, NULL, "scheduled", 33);
  g_autofree char *b5 = session_body (fx.maya_staff, "couple", couple_off_chart, NULL, "scheduled", 34);

  /* Bob's chart is Dan's: Maya does not add him, the front desk does. */
  push_refused (fx.maya_token, "appointment", id1, 0, b1, "forbidden");
  push_ok (fx.maya_token, "appointment", id2, 0, b2);
  push_refused (fx.desk_token, "appointment", id1, 0, b3, "invalid");
  push_refused (fx.desk_token, "appointment", id1, 0, b4, "forbidden");
  push_ok (fx.desk_token, "appointment", id1, 0, b5);
  /* Maya may then keep the session she holds: changing its note keeps Bob. */
  {
    g_autoptr(JsonNode) node = json_from_string (b5, NULL);
    g_autofree char *changed = NULL;

    json_object_set_string_member (json_node_get_object (node), "note", "Bring the genogram");
    changed = json_to_string (node, FALSE);
    push_ok (fx.maya_token, "appointment", id1, 1, changed);
  }
}

/* The front desk checks in Ann and Cara, Bob does not come, Maya completes
 * the session: the charges the workstation then pushes are checked
 * member by member. */
static void
test_charges (void)
{
  const char *family[] = { fx.ann, fx.cara, fx.bob, NULL };
  const char *attendance[] = { "attended", "attended", "no_show", NULL };
  g_autofree char *body = session_body (fx.maya_staff, "family", family, attendance, "completed", -1);
  g_autoptr(TendAppointment) appt = TEND_APPOINTMENT (tend_record_new (TEND_TYPE_APPOINTMENT));
  g_autofree char *ann_session = NULL, *cara_session = NULL, *bob_session = NULL, *bob_fee = NULL;
  g_autofree char *ann_body = NULL, *cara_body = NULL, *bob_body = NULL, *bob_fee_body = NULL;
  g_autofree char *stolen_body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_record_load_body_string (TEND_RECORD (appt), body, -1, &error));
  g_assert_no_error (error);
  tend_record_set_id (TEND_RECORD (appt), fx.family);
  push_ok (fx.maya_token, "appointment", fx.family, fx.family_version, body);
  fx.family_version++;

  ann_session = tend_charge_id_for_member (appt, TEND_CHARGE_SESSION, fx.ann);
  cara_session = tend_charge_id_for_member (appt, TEND_CHARGE_SESSION, fx.cara);
  bob_session = tend_charge_id_for_member (appt, TEND_CHARGE_SESSION, fx.bob);
  bob_fee = tend_charge_id_for_member (appt, TEND_CHARGE_NO_SHOW, fx.bob);
#define CHARGE(client, kind, code) \
  g_strdup_printf ("{\"client_id\":\"%s\",\"appointment_id\":\"%s\",\"clinician_id\":\"%s\",\"kind\":\"%s\"," \
                   "%s\"units\":1,\"fee\":15000,\"service_date\":\"2026-12-07\",\"responsibility\":\"client\"," \
                   "\"status\":\"open\",\"description\":\"Family session\"}", \
                   client, fx.family, fx.maya_staff, kind, code)
  ann_body = CHARGE (fx.ann, "session", "\"service_code\":\"90847\",");
  cara_body = CHARGE (fx.cara, "session", "\"service_code\":\"90847\",");
  bob_body = CHARGE (fx.bob, "session", "\"service_code\":\"90847\",");
  bob_fee_body = CHARGE (fx.bob, "no_show", "");
  stolen_body = CHARGE (fx.cara, "session", "\"service_code\":\"90847\",");
#undef CHARGE

  /* The front desk makes the charges the session calls for... */
  push_ok (fx.desk_token, "charge", ann_session, 0, ann_body);
  push_ok (fx.desk_token, "charge", cara_session, 0, cara_body);
  push_ok (fx.desk_token, "charge", bob_fee, 0, bob_fee_body);
  /* ...not a session charge for Bob, who did not come, nor Cara's under
   * Bob's id (each member's id is their own). */
  push_refused (fx.desk_token, "charge", bob_session, 0, bob_body, "forbidden");
  push_refused (fx.desk_token, "charge", bob_session, 0, stolen_body, "forbidden");
  {
    PGresult *res = test_pg_exec (pg, "SELECT count (*) FROM record WHERE type = 'charge' AND NOT deleted");

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "3");
    PQclear (res);
  }
}

static char *
cookie_of (const char *set_cookie)
{
  const char *end = strchr (set_cookie, ';');

  return g_strndup (set_cookie, end != NULL ? (gsize) (end - set_cookie) : strlen (set_cookie));
}

/* A request as the portal page makes it; @set_cookie: the session cookie
 * the answer sets, if any. */
static TestResponse *
portal (const char *cookie,
        const char *csrf,
        const char *method,
        const char *path,
        const char *body,
        char      **set_cookie)
{
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  TestResponse *r = g_new0 (TestResponse, 1);

  if (cookie != NULL)
    soup_message_headers_replace (h, "Cookie", cookie);
  if (csrf != NULL)
    soup_message_headers_replace (h, "X-CSRF-Token", csrf);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->json = json_from_string (r->body, NULL);
  if (set_cookie != NULL)
    {
      const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");

      *set_cookie = value != NULL ? cookie_of (value) : NULL;
    }
  return r;
}

/* Bob in the portal: the family session is there, with his own attendance
 * and none of the other members; he cannot cancel it for them. */
static void
test_portal (void)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO portal_code (account_id, kind, secret_hash, expires_at)"
                                          " VALUES ('%s', 'code', sha256 (convert_to ('%s:424242', 'UTF8')),"
                                          " now () + make_interval (secs => 600))",
                                          fx.bob_account, fx.bob_account);
  g_autoptr(TestResponse) signin = NULL;
  g_autoptr(TestResponse) list = NULL;
  g_autoptr(TestResponse) cancel = NULL;
  g_autofree char *cookie = NULL, *csrf = NULL, *cancel_path = NULL;
  const char *later[] = { fx.ann, fx.bob, NULL };
  g_autofree char *later_id = g_uuid_string_random ();
  g_autofree char *later_body = session_body (fx.maya_staff, "couple", later, NULL, "scheduled", 50);
  JsonArray *items;
  guint seen = 0;

  push_ok (fx.desk_token, "appointment", later_id, 0, later_body);
  PQclear (test_pg_exec (pg, sql));
  signin = portal (NULL, NULL, "POST", "/v1/portal/signin/verify", "{\"email\":\"bob@mail.example\",\"code\":\"424242\"}", &cookie);
  g_assert_cmpuint (signin->status, ==, 200);
  g_assert_nonnull (cookie);
  csrf = g_strdup (test_json_string (signin->json, "csrf"));

  list = portal (cookie, csrf, "GET", "/v1/portal/appointments", NULL, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  /* Nothing of Ann or Cara: not their ids, not their names. */
  g_assert_null (strstr (list->body, fx.ann));
  g_assert_null (strstr (list->body, fx.cara));
  g_assert_null (strstr (list->body, "participants"));
  g_assert_null (strstr (list->body, "Annabel"));
  items = json_node_get_array (test_json_get (list->json, "appointments"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *a = json_array_get_object_element (items, i);
      const char *id = json_object_get_string_member (a, "id");

      if (g_strcmp0 (id, fx.family) == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (a, "attendance"), ==, "no_show");
          g_assert_cmpstr (json_object_get_string_member (a, "session_type"), ==, "family");
          seen++;
        }
      else if (g_strcmp0 (id, later_id) == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (a, "attendance"), ==, "expected");
          g_assert_false (json_object_get_boolean_member (a, "may_cancel"));
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, 2);

  cancel_path = g_strdup_printf ("/v1/portal/appointments/%s/cancel", later_id);
  cancel = portal (cookie, csrf, "POST", cancel_path, "{\"reason\":\"Away\"}", NULL);
  g_assert_cmpuint (cancel->status, ==, 403);
  {
    g_autofree char *q = g_strdup_printf ("SELECT body::jsonb ->> 'status' FROM record WHERE id = '%s'", later_id);
    PGresult *res = test_pg_exec (pg, q);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "scheduled");
    PQclear (res);
  }
}

/* Dan writes Bob's note for the family session; Maya, who ran it with
 * him, is not on Bob's chart: she neither receives the note nor writes
 * one for him. */
static void
test_chart_privacy (void)
{
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autofree char *dan_body = g_strdup_printf ("{\"client_id\":\"%s\",\"appointment_id\":\"%s\",\"author_id\":\"%s\","
                                               "\"template\":\"soap\",\"service_date\":\"2026-12-07\","
                                               "\"modality\":\"in_person\",\"status\":\"draft\","
                                               "\"sections\":{\"subjective\":\"Bob's own words\"}}",
                                               fx.bob, fx.family, fx.dan_staff);
  g_autofree char *maya_body = g_strdup_printf ("{\"client_id\":\"%s\",\"appointment_id\":\"%s\",\"author_id\":\"%s\","
                                                "\"template\":\"soap\",\"service_date\":\"2026-12-07\","
                                                "\"modality\":\"in_person\",\"status\":\"draft\"}",
                                                fx.bob, fx.family, fx.maya_staff);
  g_autoptr(TestResponse) feed = NULL;

  push_ok (fx.dan_token, "note", note, 0, dan_body);
  push_refused (fx.maya_token, "note", other, 0, maya_body, "forbidden");
  feed = test_request (session, server, "GET", "/v1/changes?limit=1000", fx.maya_token, NULL);
  g_assert_cmpuint (feed->status, ==, 200);
  g_assert_null (strstr (feed->body, note));
  g_assert_null (strstr (feed->body, "Bob's own words"));
  /* The session itself is the calendar's: Maya has it. */
  g_assert_nonnull (strstr (feed->body, fx.family));
}

static char *
new_client (const char *given,
            const char *clinician)
{
  char *id = g_uuid_string_random ();
  g_autofree char *body = g_strdup_printf ("{\"legal_given\":\"%s\",\"legal_family\":\"Ruiz\",\"status\":\"active\","
                                           "\"primary_clinician_id\":\"%s\"}", given, clinician);

  push_ok (fx.desk_token, "client", id, 0, body);
  return id;
}

static void
setup (void)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) maya = NULL;
  g_autoptr(JsonNode) dan = NULL;
  g_autofree char *owner = NULL;

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  fx.practice = g_strdup (test_json_string (a, "practice_id"));
  maya = test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice, "--email", "maya@a.example",
                     "--name", "Maya Okafor", "--role", "clinician", NULL);
  dan = test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice, "--email", "dan@a.example",
                    "--name", "Dan Reyes", "--role", "clinician", NULL);
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice, "--email", "desk@a.example",
                               "--name", "Dee Desk", "--role", "front_desk", NULL));
  fx.maya_staff = g_strdup (test_json_string (maya, "staff_id"));
  fx.dan_staff = g_strdup (test_json_string (dan, "staff_id"));
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  owner = test_login (session, server, "owner@a.example", PASSWORD);
  fx.maya_token = test_login (session, server, "maya@a.example", PASSWORD);
  fx.dan_token = test_login (session, server, "dan@a.example", PASSWORD);
  fx.desk_token = test_login (session, server, "desk@a.example", PASSWORD);
  push_ok (owner, "billing_settings", g_uuid_string_random (), 0,
           "{\"charge_on\":\"completed\",\"no_show_fee\":5000}");

  fx.ann = new_client ("Annabel", fx.maya_staff);
  fx.cara = new_client ("Cara", fx.maya_staff);
  fx.bob = new_client ("Bob", fx.dan_staff);
  {
    g_autofree char *body = g_strdup_printf ("{\"client_id\":\"%s\",\"email\":\"bob@mail.example\"}", fx.bob);
    g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/portal-invitations", owner, body);

    g_assert_cmpuint (r->status, ==, 200);
    fx.bob_account = g_strdup (test_json_string (r->json, "account_id"));
  }
  /* The family session, booked by the front desk for an hour ago. */
  {
    const char *family[] = { fx.ann, fx.cara, fx.bob, NULL };
    g_autofree char *body = session_body (fx.maya_staff, "family", family, NULL, "scheduled", -1);

    fx.family = g_uuid_string_random ();
    push_ok (fx.desk_token, "appointment", fx.family, 0, body);
    fx.family_version = 1;
  }
}

/* The plan of @sql (PREPAREd, so $1 and $2 stay parameters) for
 * @practice and @client, as one text; with @generic, the generic plan a
 * pool connection settles on after a few runs. */
static char *
plan_of (const char *sql,
         const char *practice,
         const char *client,
         gboolean    generic)
{
  g_autofree char *q = g_strdup_printf ("SET plan_cache_mode = %s; PREPARE q AS %s;"
                                        " EXPLAIN EXECUTE q ('%s', '%s')",
                                        generic ? "force_generic_plan" : "force_custom_plan", sql, practice, client);
  PGresult *res = test_pg_exec (pg, q);
  GString *plan = g_string_new (NULL);

  for (int i = 0; i < PQntuples (res); i++)
    g_string_append_printf (plan, "%s\n", PQgetvalue (res, i, 0));
  PQclear (res);
  return g_string_free (plan, FALSE);
}

/* The portal's query for a member's sessions reads the participants index
 * (server migration_participants_index), not every appointment of the
 * practice: 20,000 appointments, one in a hundred a group session,
 * analysed; the custom and the generic plan both.  Runs last: the rows go
 * straight into the table. */
static void
test_member_sessions_index (void)
{
  g_autofree char *fill = g_strdup_printf (
    "INSERT INTO record (practice_id, type, id, version, seq, body, start_s, end_s)"
    " SELECT '%s', 'appointment', gen_random_uuid (), 1, 10000000 + g,"
    "   json_build_object ('kind', 'session', 'client_id', c::text, 'status', 'scheduled',"
    "     'participants', CASE WHEN g %% 100 = 0 THEN json_build_array ("
    "       json_build_object ('client_id', c::text, 'attendance', 'expected'),"
    "       json_build_object ('client_id', gen_random_uuid ()::text, 'attendance', 'expected')) END)::text,"
    "   g * 3600, g * 3600 + 3000"
    " FROM generate_series (1, 20000) g, LATERAL (SELECT gen_random_uuid () AS c) x;"
    "ANALYZE record", fx.practice);
  g_autofree char *custom = NULL;
  g_autofree char *generic = NULL;
  g_autofree char *count_sql = NULL;
  PGresult *res;

  PQclear (test_pg_exec (pg, fill));
  custom = plan_of (TEND_PORTAL_MEMBER_SESSIONS_SQL, fx.practice, fx.bob, FALSE);
  generic = plan_of (TEND_PORTAL_MEMBER_SESSIONS_SQL, fx.practice, fx.bob, TRUE);
  if (strstr (custom, "record_participants") == NULL)
    g_error ("the custom plan does not use record_participants:\n%s", custom);
  if (strstr (generic, "record_participants") == NULL)
    g_error ("the generic plan does not use record_participants:\n%s", generic);
  g_assert_null (strstr (custom, "Seq Scan"));
  g_assert_null (strstr (generic, "Seq Scan"));

  /* Through the index it finds what reading every row finds: Bob's
   * sessions of the tests before (the family session among them). */
  count_sql = g_strdup_printf ("SELECT count (*) FROM record WHERE practice_id = '%s' AND type = 'appointment'"
                               " AND NOT deleted AND body::jsonb -> 'participants' @>"
                               " jsonb_build_array (jsonb_build_object ('client_id', '%s'::text))"
                               " AND body::jsonb ->> 'client_id' IS DISTINCT FROM '%s'",
                               fx.practice, fx.bob, fx.bob);
  {
    g_autofree char *scan_sql = g_strdup_printf ("SET enable_indexscan = off; SET enable_bitmapscan = off; %s", count_sql);
    PGresult *scanned = test_pg_exec (pg, scan_sql);

    res = test_pg_exec (pg, count_sql);
    g_assert_cmpint (atoi (PQgetvalue (res, 0, 0)), >=, 1);
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, PQgetvalue (scanned, 0, 0));
    PQclear (scanned);
  }
  PQclear (res);
}

int
main (int    argc,
      char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/groups/server/booking", test_booking);
  g_test_add_func ("/groups/server/charges", test_charges);
  g_test_add_func ("/groups/server/portal", test_portal);
  g_test_add_func ("/groups/server/chart-privacy", test_chart_privacy);
  g_test_add_func ("/groups/server/member-sessions-index", test_member_sessions_index);
  setup ();
  rc = g_test_run ();
  test_server_stop (server);
  test_pg_stop (pg);
  return rc;
}
