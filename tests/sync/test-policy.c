/* test-policy.c: the record policy at the trust boundary, against a real
 * tend-server on a throwaway PostgreSQL cluster
 *
 * A role x record type x action matrix, written out by hand below (not
 * derived from the policy it checks): for every record type and every role,
 * creating, changing and deleting a record is applied or refused as
 * "forbidden"; what the change feed gives each role (whole, redacted, or
 * nothing) and what a conflict answer carries.  The bodies are real ones,
 * made by the demo generator in an app store.  Then each finding of the
 * attack on the server (issue 11) as a regression case: the note
 * authorship rules, the front desk's charge right, documents naming bytes
 * the practice does not hold, and bodies json-glib cannot write back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "server-test-util.h"
#include "store-test-util.h"
#include "sync-test-peer.h"
#include "tend-demo.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;

enum { OWNER, CLINICIAN, SUPERVISOR, FRONT_DESK, BILLER, N_PEOPLE };

static const char * const emails[N_PEOPLE] = {
  "owner@policy.example", "clinician@policy.example", "supervisor@policy.example",
  "desk@policy.example", "biller@policy.example",
};

static struct
{
  char *token;
  char *staff_id;
} people[N_PEOPLE];

static char *practice_id;
static char *chart_client;      /* the clinician's client, the supervisor's supervisee's */
static char *practice_payer;    /* a payer of the practice */
static char *blob_sha;          /* bytes the practice holds */
static char *foreign_sha;       /* bytes only another practice holds */
static GHashTable *bodies;      /* type -> a real body (JSON text) */

/*
 * The matrix.  Columns are owner, clinician, supervisor, front desk,
 * biller.  read: F whole, R redacted, - nothing.  create: a new record of
 * the type (as its author, where a record has one).  change: an edit, then
 * a deletion, of a record the owner made (a client's or a staff member's
 * record is never deleted: see the loop).  Clinicians and the front desk
 * also hold narrower rights (their own staff record, the charge a session
 * makes) tested on their own below.  The practice record is not in it: a
 * practice has exactly one (test_practice_record).
 */
typedef struct
{
  const char *type;
  const char *read;
  const char *create;
  const char *change;
} Cell;

static const Cell matrix[] = {
  /* type               read     create   change */
  { "staff",            "FFFFF", "YNNNN", "YNNNN" },
  { "room",             "FFFFF", "YNNNN", "YNNNN" },
  { "client",           "FFFFF", "YYYYN", "YYYYN" },
  { "appointment",      "FFFFF", "YYYYN", "YYYYN" },
  { "series",           "FFFFF", "YYYYN", "YYYYN" },
  { "waitlist",         "FFFFF", "YYYYN", "YYYYN" },
  { "reminder",         "FFFFF", "YYYYN", "YYYYN" },
  /* A draft is its author's alone, even for the supervisor. */
  { "note",             "FFF-R", "YYYNN", "YNNNN" },
  { "treatment_plan",   "FFF--", "YYYNN", "YNNNN" },
  { "diagnosis",        "FFF-F", "YYYNN", "YYYNN" },
  { "measure",          "FFF--", "YYYNN", "YYYNN" },
  { "document",         "FFF--", "YYYNN", "YYYNN" },
  { "safety_plan",      "FFF--", "YYYNN", "YYYNN" },
  /* The practice's note templates: those who co-sign set them. */
  { "note_template",    "FFF--", "YNYNN", "YNYNN" },
  { "service",          "FFFFF", "YNNNY", "YNNNY" },
  { "service_fee",      "FFFFF", "YNNNY", "YNNNY" },
  { "billing_settings", "FFFFF", "YNNNY", "YNNNY" },
  { "charge",           "FFFRF", "YNNNY", "YNNNY" },
  { "payment",          "FFFFF", "YNNYY", "YNNYY" },
  { "allocation",       "FFFFF", "YNNYY", "YNNYY" },
  { "adjustment",       "FFF-F", "YNNNY", "YNNNY" },
  { "payer",            "FFFFF", "YNNNY", "YNNNY" },
  /* The front desk takes insurance at intake; billing keeps it. */
  { "policy",           "FFFFF", "YNNYY", "YNNYY" },
  { "claim",            "FFF-F", "YNNNY", "YNNNY" },
  /* Statements and superbills shared with the client: billing shares,
   * whoever takes payments sees what was shared. */
  { "shared_bill",      "F--FF", "YNNNY", "YNNNY" },
  /* Contact data: all read it, those who edit demographics write it (a
   * clinician and a supervisor on the chart's client, see below). */
  { "related_person",   "FFFFF", "YYYYN", "YYYYN" },
};

/* What a redacted reader must not receive, per type (the note's risk
 * assessment, mental status exam and participants as well as its text:
 * the demo note used is an intake that has them). */
static const char * const *
withheld_members (const char *type)
{
  static const char * const note[] = { "sections", "risk", "mse", "participants", NULL };
  static const char * const charge[] = { "diagnoses", NULL };

  if (strcmp (type, "note") == 0)
    return note;
  if (strcmp (type, "charge") == 0)
    return charge;
  return NULL;
}

static JsonNode *
push_raw (int         who,
          const char *payload,
          guint      *status)
{
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", people[who].token, payload);

  *status = r->status;
  return r->json != NULL ? json_node_ref (r->json) : NULL;
}

/* One operation; its result. */
static JsonNode *
push (int         who,
      const char *type,
      const char *id,
      gint64      base_version,
      const char *body)
{
  g_autofree char *op_id = g_uuid_string_random ();
  g_autofree char *payload = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint status;

  if (body != NULL)
    payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\",\"base_version\":%"
                               G_GINT64_FORMAT ",\"body\":%s}]}", op_id, type, id, base_version, body);
  else
    payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\",\"base_version\":%"
                               G_GINT64_FORMAT ",\"deleted\":true}]}", op_id, type, id, base_version);
  answer = push_raw (who, payload, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_node_ref (test_json_get (answer, "results.0"));
}

static const char *
status_of (JsonNode *result)
{
  return test_json_string (result, "status");
}

static void
assert_status (JsonNode   *result,
               const char *status,
               const char *code,
               const char *context)
{
  if (g_strcmp0 (status_of (result), status) != 0 ||
      (code != NULL && g_strcmp0 (test_json_string (result, "error.code"), code) != 0))
    {
      g_autofree char *text = json_to_string (result, FALSE);

      g_error ("%s: expected %s%s%s, got %s", context, status, code != NULL ? " " : "", code != NULL ? code : "", text);
    }
}

/* One operation by @who, whose result must be @status (and @code). */
static void
expect (int         who,
        const char *type,
        const char *id,
        gint64      base_version,
        const char *body,
        const char *status,
        const char *code,
        const char *context)
{
  g_autoptr(JsonNode) r = push (who, type, id, base_version, body);

  assert_status (r, status, code, context);
}

static JsonObject *
body_object (const char *type)
{
  const char *text = g_hash_table_lookup (bodies, type);
  g_autoptr(JsonNode) node = NULL;

  g_assert_nonnull (text);
  node = json_from_string (text, NULL);
  g_assert_true (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  /* The client and payer a record names are the practice's own (the
   * server refuses any other): chart content is of a client whose chart
   * the clinician and the supervisor are on (test-chart-privacy tests the
   * others). */
  {
    g_autoptr(TendRecord) probe = tend_record_new (tend_record_type_from_name (type));

    if (chart_client != NULL && tend_record_find_field (probe, "client_id") != NULL &&
        json_object_has_member (json_node_get_object (node), "client_id"))
      json_object_set_string_member (json_node_get_object (node), "client_id", chart_client);
    if (practice_payer != NULL && tend_record_find_field (probe, "payer_id") != NULL &&
        json_object_has_member (json_node_get_object (node), "payer_id"))
      json_object_set_string_member (json_node_get_object (node), "payer_id", practice_payer);
  }
  return json_object_ref (json_node_get_object (node));
}

static char *
object_text (JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, obj);
  return json_to_string (node, FALSE);
}

/* A valid new body of @type that @who may write if the role may: the
 * author is @who, drafts are drafts, the document's bytes are held, an
 * appointment does not collide with another. */
static char *
body_for (const char *type,
          int         who)
{
  g_autoptr(JsonObject) obj = body_object (type);

  if (strcmp (type, "note") == 0 || strcmp (type, "treatment_plan") == 0)
    {
      static const char * const signature[] = {
        "signed_by", "signed_at", "content_sha256", "cosign_required_by", "cosigned_by", "cosigned_at", "addendum_of",
      };

      json_object_set_string_member (obj, "author_id", people[who].staff_id);
      json_object_set_string_member (obj, "status", "draft");
      for (guint i = 0; i < G_N_ELEMENTS (signature); i++)
        json_object_remove_member (obj, signature[i]);
    }
  else if (strcmp (type, "document") == 0 || strcmp (type, "shared_bill") == 0)
    json_object_set_string_member (obj, "sha256", blob_sha);
  else if (strcmp (type, "appointment") == 0)
    {
      g_autofree char *clinician = g_uuid_string_random ();

      json_object_set_string_member (obj, "clinician_id", clinician);
      json_object_remove_member (obj, "room_id");
    }
  else if (strcmp (type, "charge") == 0)
    {
      json_object_set_string_member (obj, "kind", "manual");
      json_object_set_string_member (obj, "description", "Letter to the school");
      json_object_set_string_member (obj, "diagnoses", "F41.1");
      json_object_remove_member (obj, "claim_id");
    }
  else if (strcmp (type, "claim") == 0)
    {
      /* Claim numbers are unique in a practice (see test_unique_claim_number). */
      g_autofree char *number = g_strdup_printf ("P%08u", g_random_int_range (0, 99999999));

      json_object_set_string_member (obj, "control_number", number);
    }
  else if (strcmp (type, "related_person") == 0)
    json_object_set_string_member (obj, "client_id", chart_client);
  else if (strcmp (type, "staff") == 0)
    {
      json_object_set_string_member (obj, "role", "clinician");
      json_object_remove_member (obj, "email");
      json_object_remove_member (obj, "supervisor_id");
    }
  return object_text (obj);
}

/* Every change the feed gives @who after @cursor: id -> body text ("" for
 * a deletion). */
static GHashTable *
feed_since (int         who,
            const char *cursor)
{
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *at = g_strdup (cursor);
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=500%s%s", at != NULL ? "&cursor=" : "",
                                               at != NULL ? at : "");
      g_autoptr(TestResponse) r = test_request (session, server, "GET", path, people[who].token, NULL);
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      changes = json_node_get_array (test_json_get (r->json, "changes"));
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonNode *c = json_array_get_element (changes, i);
          JsonNode *body = test_json_get (c, "body");

          g_hash_table_insert (seen, g_strdup (test_json_string (c, "id")),
                               JSON_NODE_HOLDS_NULL (body) ? g_strdup ("") : json_to_string (body, FALSE));
        }
      g_free (at);
      at = g_strdup (test_json_string (r->json, "cursor"));
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
    }
  return seen;
}

static char *
cursor_now (int who)
{
  g_autoptr(TestResponse) r = NULL;
  g_autofree char *at = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=500%s%s", at != NULL ? "&cursor=" : "",
                                               at != NULL ? at : "");

      g_clear_pointer (&r, test_response_free);
      r = test_request (session, server, "GET", path, people[who].token, NULL);
      g_assert_cmpuint (r->status, ==, 200);
      g_free (at);
      at = g_strdup (test_json_string (r->json, "cursor"));
      more = json_node_get_boolean (test_json_get (r->json, "has_more"));
    }
  return g_steal_pointer (&at);
}

static gboolean
body_has_member (const char *body,
                 const char *member)
{
  g_autoptr(JsonNode) node = json_from_string (body, NULL);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), member);
}

static void
test_matrix (void)
{
  g_autofree char *cursor = cursor_now (OWNER);
  char *owner_ids[G_N_ELEMENTS (matrix)] = { NULL };
  guint cells = 0;

  /* The owner makes one record of each type; every role then reads the
   * feed since, and each record is there whole, redacted or not at all. */
  for (guint t = 0; t < G_N_ELEMENTS (matrix); t++)
    {
      g_autofree char *body = body_for (matrix[t].type, OWNER);
      g_autoptr(JsonNode) r = NULL;

      owner_ids[t] = g_uuid_string_random ();
      r = push (OWNER, matrix[t].type, owner_ids[t], 0, body);
      assert_status (r, "applied", NULL, matrix[t].type);
    }
  for (int who = 0; who < N_PEOPLE; who++)
    {
      g_autoptr(GHashTable) feed = feed_since (who, cursor);

      for (guint t = 0; t < G_N_ELEMENTS (matrix); t++)
        {
          const char *body = g_hash_table_lookup (feed, owner_ids[t]);
          const char * const *withheld = withheld_members (matrix[t].type);
          g_autofree char *full = body_for (matrix[t].type, OWNER);

          g_test_message ("read %s as %s", matrix[t].type, emails[who]);
          switch (matrix[t].read[who])
            {
            case 'F':
              g_assert_nonnull (body);
              for (guint m = 0; withheld != NULL && withheld[m] != NULL; m++)
                g_assert_true (body_has_member (body, withheld[m]));
              break;
            case 'R':
              g_assert_nonnull (body);
              g_assert_nonnull (withheld);
              for (guint m = 0; withheld[m] != NULL; m++)
                {
                  g_assert_true (body_has_member (full, withheld[m]));
                  g_assert_false (body_has_member (body, withheld[m]));
                }
              break;
            default:
              g_assert_null (body);
              break;
            }
          cells++;
        }
    }

  for (guint t = 0; t < G_N_ELEMENTS (matrix); t++)
    for (int who = 0; who < N_PEOPLE; who++)
      {
        const char *type = matrix[t].type;
        g_autofree char *context = g_strdup_printf ("%s by %s", type, emails[who]);
        g_autofree char *mine = g_uuid_string_random ();
        g_autofree char *body = body_for (type, who);
        g_autofree char *theirs = g_uuid_string_random ();
        g_autofree char *owner_body = body_for (type, OWNER);
        g_autoptr(JsonNode) created = push (who, type, mine, 0, body);
        g_autoptr(JsonNode) made = push (OWNER, type, theirs, 0, owner_body);
        g_autoptr(JsonNode) changed = NULL;
        g_autoptr(JsonNode) stale = NULL;
        g_autoptr(JsonNode) deleted = NULL;
        gboolean may_change = matrix[t].change[who] == 'Y';

        /* Create. */
        if (matrix[t].create[who] == 'Y')
          assert_status (created, "applied", NULL, context);
        else
          assert_status (created, "rejected", "forbidden", context);

        /* Change the owner's record, and delete it. */
        assert_status (made, "applied", NULL, context);
        changed = push (who, type, theirs, 1, owner_body);
        if (may_change)
          assert_status (changed, "applied", NULL, context);
        else
          assert_status (changed, "rejected", "forbidden", context);
        deleted = push (who, type, theirs, may_change ? 2 : 1, NULL);
        /* A client's or a staff member's record is never deleted, by
         * anyone: a client is discharged, a staff member switched off. */
        if (strcmp (type, "client") == 0 || strcmp (type, "staff") == 0)
          assert_status (deleted, "rejected", "forbidden", context);
        else if (may_change)
          assert_status (deleted, "applied", NULL, context);
        else
          assert_status (deleted, "rejected", "forbidden", context);

        /* A stale edit: a conflict carries the server's copy only as the
         * asker may read it, and only to someone who may write the type. */
        stale = push (who, type, owner_ids[t], 99, owner_body);
        if (g_strcmp0 (status_of (stale), "conflict") == 0)
          {
            JsonNode *copy = test_json_get (stale, "server_record");
            const char * const *withheld = withheld_members (type);

            g_assert_true (matrix[t].create[who] == 'Y' || matrix[t].change[who] == 'Y' ||
                           strcmp (type, "staff") == 0 || strcmp (type, "charge") == 0);
            if (matrix[t].read[who] == '-')
              g_assert_null (copy);
            else
              {
                g_autofree char *text = json_to_string (test_json_get (copy, "body"), FALSE);

                g_assert_nonnull (copy);
                for (guint m = 0; withheld != NULL && withheld[m] != NULL; m++)
                  g_assert_true (body_has_member (text, withheld[m]) == (matrix[t].read[who] == 'F'));
              }
          }
        else
          {
            assert_status (stale, "rejected", "forbidden", context);
            g_assert_null (test_json_get (stale, "server_record"));
            g_assert_true (matrix[t].create[who] == 'N' && matrix[t].change[who] == 'N');
          }
        cells += 4;
      }
  g_test_message ("%u cells", cells);
  for (guint t = 0; t < G_N_ELEMENTS (matrix); t++)
    g_free (owner_ids[t]);
}

/* Findings 2 and 4: the front desk reads charges without diagnoses, and
 * its right to write them is only the charge a session's status makes. */
static void
test_front_desk_charges (void)
{
  g_autoptr(JsonObject) appointment = body_object ("appointment");
  g_autofree char *appointment_id = g_uuid_string_random ();
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *clinician_id = g_uuid_string_random ();
  g_autofree char *appointment_text = NULL;
  g_autofree char *derived = NULL;
  g_autofree char *charge_text = NULL;
  g_autoptr(JsonObject) charge = body_object ("charge");
  g_autoptr(JsonNode) r = NULL;

  {
    g_autoptr(JsonObject) client = body_object ("client");
    g_autofree char *client_text = object_text (client);

    expect (FRONT_DESK, "client", client_id, 0, client_text, "applied", NULL, "the session's client");
  }
  json_object_set_string_member (appointment, "client_id", client_id);
  json_object_set_string_member (appointment, "clinician_id", clinician_id);
  json_object_set_string_member (appointment, "kind", "session");
  json_object_set_string_member (appointment, "status", "no_show");
  json_object_remove_member (appointment, "room_id");
  appointment_text = object_text (appointment);
  expect (FRONT_DESK, "appointment", appointment_id, 0, appointment_text, "applied", NULL, "no-show");

  json_object_set_string_member (charge, "client_id", client_id);
  json_object_set_string_member (charge, "clinician_id", clinician_id);
  json_object_set_string_member (charge, "appointment_id", appointment_id);
  json_object_set_string_member (charge, "kind", "session");
  json_object_set_string_member (charge, "diagnoses", "F41.1");
  json_object_set_int_member (charge, "fee", 14000);
  json_object_remove_member (charge, "claim_id");
  charge_text = object_text (charge);

  /* A session charge for a no-show: refused; any id but the derived one:
   * refused. */
  derived = tend_charge_id_for (appointment_id, TEND_CHARGE_SESSION);
  expect (FRONT_DESK, "charge", derived, 0, charge_text, "rejected", "forbidden", "session charge for a no-show");

  json_object_set_string_member (charge, "kind", "no_show");
  json_object_set_string_member (charge, "description", "Missed session");
  json_object_remove_member (charge, "service_code");
  json_object_set_string_member (charge, "responsibility", "client");
  g_free (charge_text);
  charge_text = object_text (charge);
  {
    g_autofree char *random_id = g_uuid_string_random ();

    r = push (FRONT_DESK, "charge", random_id, 0, charge_text);
    assert_status (r, "rejected", "forbidden", "no-show charge under another id");
    g_clear_pointer (&r, json_node_unref);
  }
  g_free (derived);
  derived = tend_charge_id_for (appointment_id, TEND_CHARGE_NO_SHOW);
  expect (FRONT_DESK, "charge", derived, 0, charge_text, "applied", NULL, "the no-show charge");

  /* Then it is the biller's: the front desk cannot set its fee to 0 ... */
  json_object_set_int_member (charge, "fee", 0);
  g_free (charge_text);
  charge_text = object_text (charge);
  expect (FRONT_DESK, "charge", derived, 1, charge_text, "rejected", "forbidden", "front desk rewriting a charge");
  expect (FRONT_DESK, "charge", derived, 1, NULL, "rejected", "forbidden", "front desk deleting a charge");

  /* ... and a stale push shows it the charge without its diagnoses. */
  r = push (FRONT_DESK, "charge", derived, 7, charge_text);
  assert_status (r, "conflict", NULL, "stale charge");
  g_assert_nonnull (test_json_get (r, "server_record.body.fee"));
  g_assert_null (test_json_get (r, "server_record.body.diagnoses"));
  g_clear_pointer (&r, json_node_unref);

  r = push (BILLER, "charge", derived, 1, charge_text);
  assert_status (r, "applied", NULL, "the biller changes the fee");
  g_clear_pointer (&r, json_node_unref);

  /* A claim carries billable codes only: the server refuses a heading on
   * one from the biller too, with the codes to choose from. */
  {
    g_autofree char *claim_id = g_uuid_string_random ();

    json_object_set_string_member (charge, "claim_id", claim_id);
    json_object_set_string_member (charge, "diagnoses", "F43.2");
    g_free (charge_text);
    charge_text = object_text (charge);
    r = push (BILLER, "charge", derived, 2, charge_text);
    assert_status (r, "rejected", "invalid", "a heading on a claim");
    g_assert_nonnull (strstr (test_json_string (r, "error.message"), "F43.2"));
    g_assert_nonnull (strstr (test_json_string (r, "error.message"), "F43.20 or F43.21"));
    g_clear_pointer (&r, json_node_unref);
    json_object_set_string_member (charge, "diagnoses", "F43.21");
    g_free (charge_text);
    charge_text = object_text (charge);
    expect (BILLER, "charge", derived, 2, charge_text, "applied", NULL, "a billable code on a claim");
  }
}

/* A staff record with the clinician's supervisor, as the owner sets it. */
static void
set_supervisor (int who,
                int supervisor)
{
  g_autoptr(JsonObject) staff = body_object ("staff");
  g_autofree char *text = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT version FROM record WHERE type = 'staff' AND id = '%s'",
                                          people[who].staff_id);
  PGresult *res = test_pg_exec (pg, sql);
  gint64 version = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  g_autoptr(JsonNode) r = NULL;

  PQclear (res);
  json_object_set_string_member (staff, "given_name", "Cal");
  json_object_set_string_member (staff, "family_name", "Clinician");
  json_object_set_string_member (staff, "role", "clinician");
  json_object_set_boolean_member (staff, "active", TRUE);
  json_object_remove_member (staff, "email");
  json_object_set_string_member (staff, "supervisor_id", people[supervisor].staff_id);
  text = object_text (staff);
  r = push (OWNER, "staff", people[who].staff_id, version, text);
  assert_status (r, "applied", NULL, "supervisor");
}

static char *
note_body (const char *id,
           int         author,
           const char *status,
           const char *signed_by,
           const char *cosign_required_by,
           const char *cosigned_by)
{
  g_autoptr(JsonObject) obj = body_object ("note");

  json_object_set_string_member (obj, "author_id", people[author].staff_id);
  json_object_set_string_member (obj, "status", status);
  json_object_remove_member (obj, "addendum_of");
  json_object_remove_member (obj, "signed_by");
  json_object_remove_member (obj, "signed_at");
  json_object_remove_member (obj, "content_sha256");
  json_object_remove_member (obj, "cosign_required_by");
  json_object_remove_member (obj, "cosigned_by");
  json_object_remove_member (obj, "cosigned_at");
  if (cosign_required_by != NULL)
    json_object_set_string_member (obj, "cosign_required_by", cosign_required_by);
  if (signed_by != NULL)
    {
      /* A true content hash, as Tend signs: only who signs is forged. */
      g_autoptr(TendRecord) note = tend_record_new (TEND_TYPE_CLINICAL_NOTE);
      g_autoptr(JsonNode) draft = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(GError) error = NULL;
      g_autofree char *sha = NULL;

      json_object_set_string_member (obj, "status", "draft");
      json_node_set_object (draft, obj);
      tend_record_set_id (note, id);
      g_assert_true (tend_record_load_body (note, draft, &error));
      g_assert_no_error (error);
      sha = tend_clinical_note_compute_sha256 (TEND_CLINICAL_NOTE (note));
      json_object_set_string_member (obj, "status", status);
      json_object_set_string_member (obj, "signed_by", signed_by);
      json_object_set_string_member (obj, "signed_at", "2026-12-01T15:00:00Z");
      json_object_set_string_member (obj, "content_sha256", sha);
    }
  if (cosigned_by != NULL)
    {
      json_object_set_string_member (obj, "cosigned_by", cosigned_by);
      json_object_set_string_member (obj, "cosigned_at", "2026-12-02T15:00:00Z");
    }
  return object_text (obj);
}

/* Finding 3: who wrote, signed and co-signed a note is the authenticated
 * person's, never the body's. */
static void
test_note_authorship (void)
{
  const char *me = people[CLINICIAN].staff_id;
  const char *sup = people[SUPERVISOR].staff_id;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *forged = g_uuid_string_random ();
  g_autofree char *text = NULL;

  set_supervisor (CLINICIAN, SUPERVISOR);

  /* A note authored, or signed, "by" a colleague. */
  text = note_body (forged, SUPERVISOR, "draft", NULL, NULL, NULL);
  expect (CLINICIAN, "note", forged, 0, text, "rejected", "forbidden", "authored by a colleague");
  g_free (text);
  text = note_body (forged, CLINICIAN, "signed", sup, NULL, NULL);
  expect (CLINICIAN, "note", forged, 0, text, "rejected", "forbidden", "signed by a colleague");

  /* The clinician's own draft; the supervisor may not rewrite it or sign
   * it as the clinician. */
  g_free (text);
  text = note_body (id, CLINICIAN, "draft", NULL, NULL, NULL);
  expect (CLINICIAN, "note", id, 0, text, "applied", NULL, "own draft");
  expect (SUPERVISOR, "note", id, 1, text, "rejected", "forbidden", "a colleague's draft rewritten");
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, sup, NULL);
  expect (SUPERVISOR, "note", id, 1, text, "rejected", "forbidden", "signed as the author by someone else");

  /* A supervisee cannot drop the co-signature, nor co-sign for the
   * supervisor. */
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, NULL, NULL);
  expect (CLINICIAN, "note", id, 1, text, "rejected", "forbidden", "co-signature dropped");
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, sup, sup);
  expect (CLINICIAN, "note", id, 1, text, "rejected", "forbidden", "co-signed at signing");

  /* Signed with a required section emptied: refused by the server, naming it. */
  {
    g_autoptr(JsonObject) obj = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *bad = g_uuid_string_random ();
    g_autofree char *incomplete = NULL;
    g_autoptr(JsonNode) r = NULL;
    JsonObject *sections;

    g_free (text);
    text = note_body (bad, CLINICIAN, "draft", NULL, NULL, NULL);
    node = json_from_string (text, NULL);
    obj = json_object_ref (json_node_get_object (node));
    sections = json_object_get_object_member (obj, "sections");
    g_assert_nonnull (sections);
    json_object_remove_member (sections, "plan");
    incomplete = object_text (obj);
    expect (CLINICIAN, "note", bad, 0, incomplete, "applied", NULL, "an incomplete draft");
    json_object_set_string_member (obj, "cosign_required_by", sup);
    g_free (incomplete);
    incomplete = object_text (obj);
    {
      g_autoptr(TendRecord) note = tend_record_new (TEND_TYPE_CLINICAL_NOTE);
      g_autoptr(JsonNode) draft = json_from_string (incomplete, NULL);
      g_autofree char *sha = NULL;

      tend_record_set_id (note, bad);
      g_assert_true (tend_record_load_body (note, draft, NULL));
      sha = tend_clinical_note_compute_sha256 (TEND_CLINICAL_NOTE (note));
      json_object_set_string_member (obj, "status", "signed");
      json_object_set_string_member (obj, "signed_by", me);
      json_object_set_string_member (obj, "signed_at", "2026-12-01T15:00:00Z");
      json_object_set_string_member (obj, "content_sha256", sha);
    }
    g_free (incomplete);
    incomplete = object_text (obj);
    r = push (CLINICIAN, "note", bad, 1, incomplete);
    assert_status (r, "rejected", NULL, "signed without its plan");
    g_assert_nonnull (strstr (test_json_string (r, "error.message"), "Plan"));
  }

  /* Signed properly; then frozen; co-signed only by the supervisor, once. */
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, sup, NULL);
  expect (CLINICIAN, "note", id, 1, text, "applied", NULL, "signed");
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, sup, me);
  expect (CLINICIAN, "note", id, 2, text, "rejected", "forbidden", "self co-signature");
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, people[OWNER].staff_id, sup);
  expect (SUPERVISOR, "note", id, 2, text, "rejected", "immutable", "co-signer rerouted");
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, sup, sup);
  expect (SUPERVISOR, "note", id, 2, text, "applied", NULL, "co-signed by the supervisor");
  g_free (text);
  text = note_body (id, CLINICIAN, "signed", me, sup, people[OWNER].staff_id);
  expect (OWNER, "note", id, 3, text, "rejected", "immutable", "co-signed twice");
  expect (CLINICIAN, "note", id, 3, NULL, "rejected", "immutable", "signed note deleted");
}

/* Portal forms (docs/architecture.md, "Portal"): anyone who edits
 * demographics sends and withdraws a consent, the front desk included; a
 * questionnaire is clinical, so only owners, clinicians and supervisors
 * assign or withdraw one; billers send nothing.  A form is sent pending in
 * the sender's own name, never completed by the staff, and only its status
 * moves, to withdrawn. */
static char *
form_body (int         who,
           const char *kind,
           const char *status)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  json_object_set_string_member (obj, "client_id", chart_client);
  json_object_set_string_member (obj, "kind", kind);
  if (strcmp (kind, "intake") == 0)
    json_object_set_string_member (obj, "title", "Contact and Insurance Details");
  else if (strcmp (kind, "consent") == 0)
    {
      json_object_set_string_member (obj, "consent", "treatment");
      json_object_set_string_member (obj, "title", "Consent to Treatment");
      json_object_set_string_member (obj, "text", "I agree to receive counseling.");
    }
  else
    {
      json_object_set_string_member (obj, "instrument", "gad7");
      json_object_set_string_member (obj, "title", "GAD-7");
    }
  json_object_set_string_member (obj, "status", status);
  json_object_set_string_member (obj, "assigned_by", people[who].staff_id);
  json_object_set_string_member (obj, "assigned_at", "2026-12-07T10:00:00Z");
  return object_text (obj);
}

static void
test_portal_forms (void)
{
  static const struct { int who; gboolean consent; gboolean measure; } roles[] = {
    { OWNER, TRUE, TRUE }, { CLINICIAN, TRUE, TRUE }, { SUPERVISOR, TRUE, TRUE },
    { FRONT_DESK, TRUE, FALSE }, { BILLER, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      int who = roles[i].who;
      g_autofree char *consent_id = g_uuid_string_random ();
      g_autofree char *measure_id = g_uuid_string_random ();
      g_autofree char *consent = form_body (who, "consent", "pending");
      g_autofree char *measure = form_body (who, "measure", "pending");
      g_autofree char *context = g_strdup_printf ("%s sends forms", emails[who]);

      expect (who, "portal_form", consent_id, 0, consent, roles[i].consent ? "applied" : "rejected",
              roles[i].consent ? NULL : "forbidden", context);
      expect (who, "portal_form", measure_id, 0, measure, roles[i].measure ? "applied" : "rejected",
              roles[i].measure ? NULL : "forbidden", context);
    }

  /* The owner's questionnaire: the front desk may not withdraw it, a
   * clinician may; the owner's consent: the front desk may withdraw it. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *consent_id = g_uuid_string_random ();
    g_autofree char *pending = form_body (OWNER, "measure", "pending");
    g_autofree char *withdrawn = form_body (OWNER, "measure", "withdrawn");
    g_autofree char *consent = form_body (OWNER, "consent", "pending");
    g_autofree char *consent_withdrawn = form_body (OWNER, "consent", "withdrawn");

    expect (OWNER, "portal_form", id, 0, pending, "applied", NULL, "questionnaire sent");
    expect (FRONT_DESK, "portal_form", id, 1, withdrawn, "rejected", "forbidden", "front desk withdraws a questionnaire");
    expect (CLINICIAN, "portal_form", id, 1, withdrawn, "applied", NULL, "clinician withdraws a questionnaire");
    expect (CLINICIAN, "portal_form", id, 2, pending, "rejected", "forbidden", "withdrawn form sent again");
    expect (OWNER, "portal_form", consent_id, 0, consent, "applied", NULL, "consent sent");
    expect (FRONT_DESK, "portal_form", consent_id, 1, consent_withdrawn, "applied", NULL, "front desk withdraws a consent");
    expect (OWNER, "portal_form", consent_id, 2, NULL, "rejected", "forbidden", "form deleted");
  }

  /* Sent in someone else's name, or already completed: refused. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *other = form_body (OWNER, "consent", "pending");
    g_autofree char *text = form_body (CLINICIAN, "consent", "completed");
    g_autoptr(JsonObject) obj = NULL;
    g_autoptr(JsonNode) node = json_from_string (text, NULL);
    g_autofree char *completed = NULL;

    expect (CLINICIAN, "portal_form", id, 0, other, "rejected", "forbidden", "sent in the owner's name");
    obj = json_object_ref (json_node_get_object (node));
    json_object_set_string_member (obj, "completed_at", "2026-12-07T11:00:00Z");
    json_object_set_string_member (obj, "signed_name", "Forged Name");
    json_object_set_string_member (obj, "text_sha256",
                                   "0000000000000000000000000000000000000000000000000000000000000000");
    completed = object_text (obj);
    expect (CLINICIAN, "portal_form", id, 0, completed, "rejected", "forbidden", "completed by the staff");
  }

  /* An intake form: the front desk sends one; its details are the
   * client's to fill in, and a review only follows the client's answers. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *filled_id = g_uuid_string_random ();
    g_autofree char *text = form_body (FRONT_DESK, "intake", "pending");
    g_autoptr(JsonNode) node = json_from_string (text, NULL);
    g_autoptr(JsonObject) obj = json_object_ref (json_node_get_object (node));
    g_autoptr(JsonObject) details = json_object_new ();
    g_autofree char *filled = NULL;
    g_autofree char *reviewed = NULL;

    expect (FRONT_DESK, "portal_form", id, 0, text, "applied", NULL, "front desk sends an intake form");
    json_object_set_string_member (details, "phone_mobile", "555-0100");
    json_object_set_object_member (obj, "details", json_object_ref (details));
    filled = object_text (obj);
    expect (FRONT_DESK, "portal_form", filled_id, 0, filled, "rejected", "forbidden", "details filled in by the staff");
    json_object_remove_member (obj, "details");
    json_object_set_string_member (obj, "reviewed_by", people[FRONT_DESK].staff_id);
    json_object_set_string_member (obj, "reviewed_at", "2026-12-07T12:00:00Z");
    reviewed = object_text (obj);
    expect (FRONT_DESK, "portal_form", id, 1, reviewed, "rejected", "forbidden", "reviewed before the client filled it in");
    expect (BILLER, "portal_form", filled_id, 0, text, "rejected", "forbidden", "biller sends an intake form");
  }
}

/* Finding 7: a document must name bytes its practice holds. */
static void
test_document_bytes (void)
{
  g_autoptr(JsonObject) obj = body_object ("document");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) r = NULL;

  json_object_set_string_member (obj, "sha256", foreign_sha);
  text = object_text (obj);
  r = push (CLINICIAN, "document", id, 0, text);
  assert_status (r, "rejected", "invalid", "another practice's bytes");
  g_assert_nonnull (strstr (test_json_string (r, "error.message"), "uploaded"));
  g_clear_pointer (&r, json_node_unref);
  json_object_set_string_member (obj, "sha256", blob_sha);
  g_free (text);
  text = object_text (obj);
  r = push (CLINICIAN, "document", id, 0, text);
  assert_status (r, "applied", NULL, "the practice's bytes");
}

/* Finding 1: bodies json-glib would write back as something that is not
 * JSON (or as something else) are refused, naming the problem; then a
 * fresh store syncs the whole practice. */
static void
test_canonical_json (void)
{
  static const char * const bad[] = {
    "\"extra\":1e21", "\"extra\":1e308", "\"extra\":1e400", "\"extra\":-1e400",
    "\"extra\":\"a\\u0000b\"", "\"extra\":123456789012345678901234", "\"extra\":9223372036854775808",
    "\"extra\":{\"deep\":[1,2,1e22]}", "\"extra\":1.5e20", "\"extra\":100000000000000000.0",
  };
  g_autoptr(JsonObject) client = body_object ("client");
  g_autofree char *plain = object_text (client);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *op = g_uuid_string_random ();
      g_autofree char *body = g_strdup_printf ("{%s,%s", bad[i], plain + 1);
      g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\","
                                                  "\"base_version\":0,\"body\":%s}]}", op, id, body);
      g_autoptr(JsonNode) answer = NULL;
      guint status;

      g_test_message ("%s", bad[i]);
      answer = push_raw (OWNER, payload, &status);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpstr (test_json_string (answer, "error.code"), ==, "invalid_json");
      g_assert_nonnull (strstr (test_json_string (answer, "error.message"), "cannot be stored"));
    }
  /* Doubles that do survive are kept as sent. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *body = g_strdup_printf ("{\"extra\":[1.5,0.25,-2.75e-3,1.5e16],%s", plain + 1);
    g_autoptr(JsonNode) r = push (OWNER, "client", id, 0, body);

    assert_status (r, "applied", NULL, "finite doubles");
  }

  /* A fresh workstation syncs everything this program pushed. */
  {
    g_autoptr(Peer) fresh = peer_open (server->base, emails[OWNER], PASSWORD, -1);
    TendSyncStats stats = sync_ok (fresh);

    g_assert_cmpuint (stats.applied, >, G_N_ELEMENTS (matrix));
  }
}

/* The stores keep a claim's number unique: a second claim with it would be
 * taken by the server and then applied by no workstation, stopping every
 * one's sync at that change.  The server refuses it. */
static void
test_unique_claim_number (void)
{
  g_autoptr(JsonObject) claim = body_object ("claim");
  g_autofree char *first = g_uuid_string_random ();
  g_autofree char *second = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(JsonNode) c = NULL;

  json_object_set_string_member (claim, "control_number", "U000777");
  text = object_text (claim);
  a = push (BILLER, "claim", first, 0, text);
  assert_status (a, "applied", NULL, "first claim");
  b = push (BILLER, "claim", second, 0, text);
  assert_status (b, "rejected", "duplicate", "second claim with the number");
  again = push (BILLER, "claim", first, 1, text);
  assert_status (again, "applied", NULL, "the first claim edited");
  gone = push (BILLER, "claim", first, 2, NULL);
  assert_status (gone, "applied", NULL, "the first claim removed");
  c = push (BILLER, "claim", second, 0, text);
  assert_status (c, "applied", NULL, "the number free again");
}

/* Related people: a clinician or supervisor writes them only on a chart
 * they are on (who hears about a client's care is set by the front desk,
 * an owner or the care team); a consent is recorded in the writer's own
 * name; a record stays with its client; a linked client must exist. */
static void
test_related_people (void)
{
  g_autoptr(JsonObject) client = body_object ("client");
  g_autofree char *other_client = g_uuid_string_random ();
  g_autofree char *client_text = NULL;
  g_autoptr(JsonObject) person = body_object ("related_person");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autofree char *missing = g_uuid_string_random ();

  /* A client of the owner's: neither the clinician nor the supervisor is
   * on this chart. */
  json_object_set_string_member (client, "primary_clinician_id", people[OWNER].staff_id);
  client_text = object_text (client);
  expect (OWNER, "client", other_client, 0, client_text, "applied", NULL, "another chart's client");

  json_object_set_string_member (person, "client_id", other_client);
  text = object_text (person);
  expect (CLINICIAN, "related_person", id, 0, text, "rejected", "forbidden", "a clinician off the chart");
  expect (SUPERVISOR, "related_person", id, 0, text, "rejected", "forbidden", "a supervisor off the chart");
  expect (BILLER, "related_person", id, 0, text, "rejected", "forbidden", "a biller");
  expect (FRONT_DESK, "related_person", id, 0, text, "applied", NULL, "the front desk, any client");
  /* Nor may they change or remove it. */
  expect (CLINICIAN, "related_person", id, 1, text, "rejected", "forbidden", "a clinician off the chart edits");
  expect (CLINICIAN, "related_person", id, 1, NULL, "rejected", "forbidden", "a clinician off the chart deletes");

  /* A consent in someone else's name: refused; in one's own: applied. */
  {
    g_autoptr(JsonObject) consent = json_object_new ();

    json_object_set_string_member (consent, "date", "2026-12-01");
    json_object_set_string_member (consent, "recorded_by", people[OWNER].staff_id);
    json_object_set_string_member (consent, "scope", "Appointments and attendance");
    json_object_set_object_member (person, "consent", json_object_ref (consent));
    g_free (text);
    text = object_text (person);
    expect (FRONT_DESK, "related_person", id, 1, text, "rejected", "forbidden", "a consent in another's name");
    json_object_set_string_member (consent, "recorded_by", people[FRONT_DESK].staff_id);
    g_free (text);
    text = object_text (person);
    expect (FRONT_DESK, "related_person", id, 1, text, "applied", NULL, "a consent in one's own name");
  }

  /* Moved to another client: refused, even to an owner. */
  json_object_set_string_member (person, "client_id", chart_client);
  g_free (text);
  text = object_text (person);
  expect (OWNER, "related_person", id, 2, text, "rejected", "forbidden", "moved to another client");

  /* Linked to a client the practice does not have: refused; to one it has: applied. */
  json_object_set_string_member (person, "client_id", other_client);
  json_object_set_string_member (person, "linked_client_id", missing);
  g_free (text);
  text = object_text (person);
  expect (OWNER, "related_person", id, 2, text, "rejected", "forbidden", "linked to no client");
  json_object_set_string_member (person, "linked_client_id", chart_client);
  g_free (text);
  text = object_text (person);
  expect (OWNER, "related_person", id, 2, text, "applied", NULL, "linked to a client");

  /* Invalid bodies are refused as invalid, not stored. */
  json_object_set_string_member (person, "linked_client_id", other_client);
  g_free (text);
  text = object_text (person);
  expect (OWNER, "related_person", id, 3, text, "rejected", "invalid", "linked to the client themselves");
  json_object_remove_member (person, "linked_client_id");
  json_object_set_string_member (person, "relationship", "partner");
  g_free (text);
  text = object_text (person);
  expect (OWNER, "related_person", id, 3, text, "rejected", "invalid", "a partner marked legal guardian");
}

/* Real bodies of every type, from the demo generator. */
static void
collect_bodies (void)
{
  static const char * const fallback[][2] = {
    { "reminder", "{\"appointment_id\":\"6f1c1f0e-27c5-4f3b-9a59-1b7c1f0f7a11\","
                  "\"client_id\":\"0b9a4c55-7f0c-4d0e-8a57-31a0b8f1c2d3\",\"channel\":\"email\","
                  "\"send_at\":\"2026-12-08T15:00:00Z\",\"status\":\"pending\"}" },
    { "adjustment", "{\"charge_id\":\"6f1c1f0e-27c5-4f3b-9a59-1b7c1f0f7a12\",\"group_code\":\"CO\","
                    "\"reason\":\"45\",\"amount\":2500,\"posted_on\":\"2026-12-01\"}" },
    { "document", "{\"client_id\":\"0b9a4c55-7f0c-4d0e-8a57-31a0b8f1c2d3\",\"title\":\"Intake form\","
                  "\"mime_type\":\"application/pdf\","
                  "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"}" },
    { "safety_plan", "{\"client_id\":\"0b9a4c55-7f0c-4d0e-8a57-31a0b8f1c2d3\","
                     "\"author_id\":\"6f1c1f0e-27c5-4f3b-9a59-1b7c1f0f7a15\",\"plan_date\":\"2026-12-01\","
                     "\"warning_signs\":\"Not sleeping\",\"help_contacts\":\"Sister Dana 555-0142\","
                     "\"crisis_line\":\"988\"}" },
    { "note_template", "{\"name\":\"Brief check-in\",\"sections\":[{\"key\":\"s1\",\"kind\":\"text\","
                       "\"title\":\"Notes\",\"required\":true}]}" },
    { "shared_bill", "{\"client_id\":\"0b9a4c55-7f0c-4d0e-8a57-31a0b8f1c2d3\",\"kind\":\"statement\","
                     "\"number\":\"ST-000001\",\"size\":60,\"shared_with_client\":true,"
                     "\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"}" },
    { "claim", "{\"client_id\":\"0b9a4c55-7f0c-4d0e-8a57-31a0b8f1c2d3\","
               "\"policy_id\":\"6f1c1f0e-27c5-4f3b-9a59-1b7c1f0f7a13\","
               "\"payer_id\":\"6f1c1f0e-27c5-4f3b-9a59-1b7c1f0f7a14\",\"status\":\"draft\","
               "\"control_number\":\"C000123\"}" },
    { "related_person", "{\"client_id\":\"0b9a4c55-7f0c-4d0e-8a57-31a0b8f1c2d3\",\"name\":\"Ana Ruiz\","
                        "\"relationship\":\"parent\",\"legal_guardian\":true,\"phone\":\"+1 555 0142\"}" },
  };
  StoreFixture f;
  g_autoptr(TendStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TendDemoOptions opts;

  store_test_setup (&f, NULL);
  store = store_test_open (&f);
  tend_demo_options_init (&opts);
  opts.n_clients = 30;
  opts.appointment_years = 1;
  g_assert_true (tend_demo_generate (store, &opts, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  bodies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint t = 0; t < G_N_ELEMENTS (matrix); t++)
    {
      /* A note with every member a redacted reader must not see. */
      g_autofree char *sql = g_strdup_printf ("SELECT body FROM %s WHERE deleted = 0%s ORDER BY rid LIMIT 1",
                                              matrix[t].type,
                                              strcmp (matrix[t].type, "note") == 0
                                              ? " AND json_extract(body, '$.risk') IS NOT NULL"
                                                " AND json_extract(body, '$.participants') IS NOT NULL" : "");
      char *body = store_test_query_text (&f, sql);

      /* The demo makes reminders only for sessions near "now"; other
       * types it may leave out get a plain body of their own. */
      for (guint k = 0; body == NULL && k < G_N_ELEMENTS (fallback); k++)
        if (strcmp (fallback[k][0], matrix[t].type) == 0)
          body = g_strdup (fallback[k][1]);
      if (body == NULL)
        g_error ("the demo data has no %s record", matrix[t].type);
      g_hash_table_insert (bodies, (gpointer) matrix[t].type, body);
    }
  g_clear_object (&store);
  store_test_teardown (&f, NULL);
}

static char *
upload (int         who,
        const char *content)
{
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
  g_autofree char *path = g_strconcat ("/v1/blobs/", sha, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (content, strlen (content));
  g_autoptr(TestResponse) r = test_request_bytes (session, server, "PUT", path, people[who].token, bytes);

  g_assert_cmpuint (r->status / 100, ==, 2);
  return g_steal_pointer (&sha);
}

static void
login (int who)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", emails[who], PASSWORD);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/session", NULL, body);

  g_assert_cmpuint (r->status, ==, 200);
  people[who].token = g_strdup (test_json_string (r->json, "token"));
  people[who].staff_id = g_strdup (test_json_string (r->json, "user.staff_id"));
  g_assert_nonnull (people[who].staff_id);
}

/* The practice record: everyone reads it, only the owner changes it, and
 * nobody makes a second one: its id is the practice's, and another id is
 * refused as another practice's record (before, a store made without a
 * server and synced to a new practice left two). */
static void
test_practice_record (void)
{
  g_autoptr(TendPractice) practice = tend_practice_new ("Policy Counseling", "America/Chicago");
  g_autofree char *body = tend_record_to_body_string (TEND_RECORD (practice));
  g_autofree char *second = g_uuid_string_random ();
  g_autoptr(JsonNode) probe = push (OWNER, "practice", practice_id, 999, body);
  gint64 version;

  assert_status (probe, "conflict", NULL, "practice version");
  version = test_json_int (probe, "version");
  g_assert_cmpint (version, >=, 1);
  for (int who = CLINICIAN; who < N_PEOPLE; who++)
    {
      g_autoptr(GHashTable) feed = feed_since (who, NULL);

      g_assert_true (g_hash_table_contains (feed, practice_id));
      expect (who, "practice", practice_id, version, body, "rejected", "forbidden", emails[who]);
    }
  expect (OWNER, "practice", practice_id, version, body, "applied", NULL, "the owner edits the practice");
  expect (OWNER, "practice", second, 0, body, "rejected", "other_practice", "a second practice record");
  expect (CLINICIAN, "practice", second, 0, body, "rejected", "forbidden", "a clinician's practice record");
}

/* Insurance typed as text, dismissed instead of made a policy (issue 16):
 * the roles that write policies, in their own name, once, as the source's
 * own record (its id derived from the source); never changed or deleted.
 * The same rule as the store's, evaluated by tend-server from the
 * session. */
static void
test_insurance_dismissal (void)
{
  static const struct { int who; gboolean may; } roles[] = {
    { OWNER, TRUE }, { CLINICIAN, FALSE }, { SUPERVISOR, FALSE }, { FRONT_DESK, TRUE }, { BILLER, TRUE },
  };
  g_autofree char *kept_id = NULL;
  g_autofree char *kept_body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      int who = roles[i].who;
      g_autofree char *client = g_uuid_string_random ();
      g_autoptr(JsonObject) obj = body_object ("client");
      g_autofree char *client_body = NULL;
      g_autoptr(TendInsuranceDismissal) d = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *body = NULL;
      g_autofree char *context = g_strdup_printf ("%s dismisses insurance", emails[who]);

      json_object_set_string_member (obj, "legal_given", "Dismissal");
      client_body = object_text (obj);
      expect (OWNER, "client", client, 0, client_body, "applied", NULL, "a client");
      d = tend_insurance_dismissal_new (client, client, FALSE, people[who].staff_id);
      node = tend_record_serialize_body (TEND_RECORD (d));
      body = json_to_string (node, FALSE);
      expect (who, "insurance_dismissal", tend_record_get_id (TEND_RECORD (d)), 0, body,
              roles[i].may ? "applied" : "rejected", roles[i].may ? NULL : "forbidden", context);
      if (who == FRONT_DESK)
        {
          kept_id = g_strdup (tend_record_get_id (TEND_RECORD (d)));
          kept_body = g_strdup (body);
        }
      /* In someone else's name; under an id of one's own. */
      if (who == BILLER)
        {
          g_autoptr(TendInsuranceDismissal) other = tend_insurance_dismissal_new (client, client, FALSE,
                                                                                  people[OWNER].staff_id);
          g_autoptr(JsonNode) other_node = tend_record_serialize_body (TEND_RECORD (other));
          g_autofree char *other_body = json_to_string (other_node, FALSE);
          g_autofree char *random = g_uuid_string_random ();

          expect (BILLER, "insurance_dismissal", random, 0, body, "rejected", "forbidden", "dismissed under another id");
          expect (BILLER, "insurance_dismissal", random, 0, other_body, "rejected", "forbidden",
                  "dismissed in the owner's name");
        }
    }
  /* Kept as it was: no change, no deletion, by anyone. */
  {
    g_autoptr(JsonNode) node = json_from_string (kept_body, NULL);
    g_autofree char *changed = NULL;

    json_object_set_string_member (json_node_get_object (node), "dismissed_at", "2026-01-01T00:00:00Z");
    changed = json_to_string (node, FALSE);
    expect (FRONT_DESK, "insurance_dismissal", kept_id, 1, changed, "rejected", "forbidden", "dismissal changed");
    expect (OWNER, "insurance_dismissal", kept_id, 1, NULL, "rejected", "forbidden", "dismissal deleted");
  }
}

int
main (int    argc,
      char **argv)
{
  static const char * const roles[N_PEOPLE] = { "owner", "clinician", "supervisor", "front_desk", "biller" };
  static const char * const names[N_PEOPLE] = { "Olive Owner", "Cal Clinician", "Sue Supervisor", "Dee Desk",
                                                "Bill Biller" };
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autofree char *other_practice = NULL;
  g_autofree char *other_token = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  collect_bodies ();

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Policy Counseling", "--time-zone",
                         "America/Chicago", "--owner-email", emails[OWNER], "--owner-name", "Olive Owner", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  for (int who = CLINICIAN; who < N_PEOPLE; who++)
    json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", emails[who],
                                 "--name", names[who], "--role", roles[who], NULL));
  other = test_admin (pg, PASSWORD, "create-practice", "--name", "Elsewhere", "--time-zone", "Europe/Berlin",
                      "--owner-email", "owner@elsewhere.example", "--owner-name", "Else Owner", NULL);
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  for (int who = 0; who < N_PEOPLE; who++)
    login (who);
  blob_sha = upload (OWNER, "%PDF-1.4 the practice's own letter");
  other_token = test_login (session, server, "owner@elsewhere.example", PASSWORD);
  {
    const char *content = "%PDF-1.4 another practice's letter";
    g_autofree char *path = NULL;
    g_autoptr(GBytes) bytes = g_bytes_new_static (content, strlen (content));
    g_autoptr(TestResponse) r = NULL;

    foreign_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, content, -1);
    path = g_strconcat ("/v1/blobs/", foreign_sha, NULL);
    r = test_request_bytes (session, server, "PUT", path, other_token, bytes);
    g_assert_cmpuint (r->status / 100, ==, 2);
  }

  /* The clinician's client, and the supervisor on the clinician's staff
   * record: both are on that client's chart. */
  {
    g_autoptr(JsonObject) client = body_object ("client");
    g_autoptr(GHashTable) feed = feed_since (OWNER, NULL);
    g_autoptr(JsonNode) staff = json_from_string (g_hash_table_lookup (feed, people[CLINICIAN].staff_id), NULL);
    g_autofree char *client_text = NULL;
    g_autofree char *staff_text = NULL;

    chart_client = g_uuid_string_random ();
    json_object_set_string_member (client, "primary_clinician_id", people[CLINICIAN].staff_id);
    client_text = object_text (client);
    expect (OWNER, "client", chart_client, 0, client_text, "applied", NULL, "the chart's client");
    json_object_set_string_member (json_node_get_object (staff), "supervisor_id", people[SUPERVISOR].staff_id);
    staff_text = json_to_string (staff, FALSE);
    expect (OWNER, "staff", people[CLINICIAN].staff_id, 1, staff_text, "applied", NULL, "the supervisor");
  }
  {
    g_autoptr(JsonObject) payer = body_object ("payer");
    g_autofree char *payer_text = object_text (payer);

    practice_payer = g_uuid_string_random ();
    expect (OWNER, "payer", practice_payer, 0, payer_text, "applied", NULL, "the practice's payer");
  }

  g_test_add_func ("/policy/matrix", test_matrix);
  g_test_add_func ("/policy/practice-record", test_practice_record);
  g_test_add_func ("/policy/front-desk-charges", test_front_desk_charges);
  g_test_add_func ("/policy/note-authorship", test_note_authorship);
  g_test_add_func ("/policy/document-bytes", test_document_bytes);
  g_test_add_func ("/policy/portal-forms", test_portal_forms);
  g_test_add_func ("/policy/insurance-dismissal", test_insurance_dismissal);
  g_test_add_func ("/policy/unique-claim-number", test_unique_claim_number);
  g_test_add_func ("/policy/canonical-json", test_canonical_json);
  g_test_add_func ("/policy/related-people", test_related_people);
  rc = g_test_run ();

  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  for (int who = 0; who < N_PEOPLE; who++)
    {
      g_free (people[who].token);
      g_free (people[who].staff_id);
    }
  g_hash_table_unref (bodies);
  g_free (practice_id);
  g_free (chart_client);
  g_free (practice_payer);
  g_free (blob_sha);
  g_free (foreign_sha);
  return rc;
}
