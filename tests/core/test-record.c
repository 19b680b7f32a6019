/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-record.c: the record codec, its validation and its error messages */
#include "config.h"

#include <string.h>

#include "tend-core.h"

#define CLIENT_ID     "0b7f5c1e-3d2a-4c8e-9f1a-2b3c4d5e6f70"
#define STAFF_ID      "5d1c1a52-7a0e-4d1b-8e55-0e8c7c3f2a91"
#define CLINICIAN_ID  "6f9619ff-8b86-4011-b42d-00c04fc964ff"
#define VALID_NPI     "1234567893"

#define WIRE(type, id, body) \
  "{\"type\":\"" type "\",\"id\":\"" id "\",\"version\":1,\"deleted\":false,\"body\":{" body "}}"
#define CLIENT_JSON(body) WIRE ("client", CLIENT_ID, body)
#define NAMES "\"legal_given\":\"Ann\",\"legal_family\":\"Smith\""
#define STAFF_JSON(body) WIRE ("staff", STAFF_ID, "\"given_name\":\"Maya\",\"family_name\":\"Okafor\"," body)
#define ROOM_JSON(body) WIRE ("room", CLIENT_ID, "\"name\":\"Room 1\"," body)
#define PRACTICE_JSON(body) WIRE ("practice", CLIENT_ID, "\"name\":\"Harbor\"," body)

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
record_to_string (TendRecord *record)
{
  g_autoptr(JsonNode) node = tend_record_to_json (record);

  return json_to_string (node, FALSE);
}

/* to_json -> text -> parse -> new_from_json, as a peer would see it. */
static TendRecord *
round_trip (TendRecord *record)
{
  g_autofree char *text = record_to_string (record);
  g_autoptr(JsonNode) parsed = parse_json (text);
  g_autoptr(GError) error = NULL;
  TendRecord *copy;

  copy = tend_record_new_from_json (parsed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  return copy;
}

static gboolean
field_is_text (const TendField *f)
{
  return f->kind != TEND_FIELD_ENUM && f->kind != TEND_FIELD_INT && f->kind != TEND_FIELD_BOOL;
}

/* Every field of the table, compared one by one (not only the JSON text). */
static void
assert_records_equal (TendRecord *a,
                      TendRecord *b)
{
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (a);
  g_autofree char *body_a = NULL;
  g_autofree char *body_b = NULL;

  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (b));
  g_assert_cmpstr (tend_record_get_type_name (a), ==, tend_record_get_type_name (b));
  g_assert_cmpstr (tend_record_get_id (a), ==, tend_record_get_id (b));
  g_assert_cmpint (tend_record_get_version (a), ==, tend_record_get_version (b));
  g_assert_cmpint (tend_record_get_deleted (a), ==, tend_record_get_deleted (b));
  g_assert_cmpint (tend_record_get_updated_at (a), ==, tend_record_get_updated_at (b));

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];

      if (field_is_text (f) || f->kind == TEND_FIELD_ENUM)
        g_assert_cmpstr (tend_record_get_string (a, f->name), ==, tend_record_get_string (b, f->name));
      if (!field_is_text (f))
        g_assert_cmpint (tend_record_get_int (a, f->name), ==, tend_record_get_int (b, f->name));
    }

  body_a = tend_record_to_body_string (a);
  body_b = tend_record_to_body_string (b);
  g_assert_cmpstr (body_a, ==, body_b);
}

/* The round-trip tests set every field, so none escapes the codec. */
static void
assert_every_text_field_set (TendRecord *record)
{
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (record);

  for (guint i = 0; i < klass->n_fields; i++)
    if (field_is_text (&klass->fields[i]))
      {
        if (tend_record_get_string (record, klass->fields[i].name) == NULL)
          g_error ("test data leaves %s.%s unset", klass->type_name, klass->fields[i].name);
      }
}

static void
assert_round_trip (TendRecord *record)
{
  g_autoptr(TendRecord) copy = NULL;
  g_autoptr(TendRecord) copy2 = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_record_validate (record, &error));
  g_assert_no_error (error);

  copy = round_trip (record);
  assert_records_equal (record, copy);

  /* Stable: the second trip gives the same text as the first. */
  copy2 = round_trip (copy);
  text1 = record_to_string (copy);
  text2 = record_to_string (copy2);
  g_assert_cmpstr (text1, ==, text2);
}

static TendClient *
make_full_client (void)
{
  TendClient *client = tend_client_new ("  Ann ", "Smith");
  TendRecord *r = TEND_RECORD (client);

  tend_record_set_string (r, "preferred_name", "Annie");
  tend_record_set_string (r, "pronouns", "she/her");
  tend_record_set_string (r, "date_of_birth", "1990-04-17");
  tend_record_set_string (r, "record_number", "R-1001");
  tend_record_set_string (r, "email", "Ann.Smith@Example.COM");
  tend_record_set_string (r, "phone_mobile", "+1 (617) 555-0123");
  tend_record_set_string (r, "phone_home", "617.555.0199");
  tend_record_set_string (r, "address.line1", "12 Elm Street");
  tend_record_set_string (r, "address.line2", "Apt 3");
  tend_record_set_string (r, "address.city", "Boston");
  tend_record_set_string (r, "address.region", "MA");
  tend_record_set_string (r, "address.postal_code", "02118");
  tend_record_set_string (r, "address.country", "US");
  tend_record_set_string (r, "emergency_contact.name", "Bob Smith");
  tend_record_set_string (r, "emergency_contact.relationship", "brother");
  tend_record_set_string (r, "emergency_contact.phone", "617-555-0100");
  tend_record_set_string (r, "status", "discharged");
  tend_record_set_string (r, "primary_clinician_id", "6F9619FF-8B86-4011-B42D-00C04FC964FF");
  tend_record_set_string (r, "referral_source", "Dr. Jones, “Harbor” clinic");
  tend_record_set_string (r, "insurance.payer", "Blue Harbor Health");
  tend_record_set_string (r, "insurance.member_number", "XJH 4471 02");
  tend_record_set_string (r, "insurance.group_number", "G-88120");
  tend_record_set_string (r, "insurance.subscriber", "Ann Smith");
  tend_record_set_string (r, "insurance.subscriber_relationship", "self");
  tend_record_set_string (r, "consents.treatment.date", "2026-01-05");
  tend_record_set_string (r, "consents.treatment.recorded_by", STAFF_ID);
  tend_record_set_string (r, "consents.telehealth.date", "2026-01-05");
  tend_record_set_string (r, "consents.telehealth.recorded_by", STAFF_ID);
  tend_record_set_string (r, "consents.release_of_information.date", "2026-01-12");
  tend_record_set_string (r, "consents.release_of_information.recorded_by", STAFF_ID);
  tend_record_set_string (r, "consents.release_of_information.party", "Dr. Jones, primary care");
  tend_record_set_string (r, "language", "es-MX");
  tend_record_set_string (r, "reminders.channel", "email");
  tend_record_set_int (r, "reminders.sms_opt_out", 1);
  tend_record_set_string (r, "reminders.sms_opt_out_at", "2026-02-01T18:30:00Z");
  tend_record_set_version (r, 7);
  tend_record_set_updated_at (r, G_GINT64_CONSTANT (1772375400123456));
  return client;
}

static void
test_round_trip_client (void)
{
  g_autoptr(TendClient) client = make_full_client ();
  g_autoptr(TendRecord) copy = NULL;
  TendClient *c;

  assert_every_text_field_set (TEND_RECORD (client));
  /* set_string normalises: trimmed, e-mail and ids in lower case. */
  g_assert_cmpstr (tend_client_get_legal_given (client), ==, "Ann");
  g_assert_cmpstr (tend_client_get_email (client), ==, "ann.smith@example.com");
  g_assert_cmpstr (tend_client_get_primary_clinician (client), ==, CLINICIAN_ID);

  assert_round_trip (TEND_RECORD (client));

  copy = round_trip (TEND_RECORD (client));
  g_assert_true (TEND_IS_CLIENT (copy));
  c = TEND_CLIENT (copy);
  g_assert_cmpstr (tend_client_get_legal_given (c), ==, "Ann");
  g_assert_cmpstr (tend_client_get_legal_family (c), ==, "Smith");
  g_assert_cmpstr (tend_client_get_preferred_name (c), ==, "Annie");
  g_assert_cmpstr (tend_client_get_date_of_birth (c), ==, "1990-04-17");
  g_assert_cmpstr (tend_client_get_phone (c), ==, "+1 (617) 555-0123");
  g_assert_cmpstr (tend_record_get_string (copy, "emergency_contact.phone"), ==, "617-555-0100");
  g_assert_cmpstr (tend_record_get_string (copy, "address.postal_code"), ==, "02118");
  g_assert_cmpint (tend_client_get_status (c), ==, TEND_CLIENT_STATUS_DISCHARGED);
  g_assert_cmpint (tend_record_get_version (copy), ==, 7);
  g_assert_cmpint (tend_record_get_updated_at (copy), ==, G_GINT64_CONSTANT (1772375400123456));
}

static void
test_round_trip_practice (void)
{
  g_autoptr(TendPractice) practice = tend_practice_new ("Harbor Counseling", "America/New_York");
  TendRecord *r = TEND_RECORD (practice);
  g_autoptr(TendRecord) copy = NULL;

  tend_record_set_string (r, "currency", "eur");
  tend_record_set_string (r, "phone", "(617) 555-0100");
  tend_record_set_string (r, "email", "Front@Harbor.example");
  tend_record_set_string (r, "tax_id", "12-3456789");
  tend_record_set_string (r, "npi", VALID_NPI);
  tend_record_set_string (r, "address.line1", "1 Harbor Way");
  tend_record_set_string (r, "address.line2", "Suite 200");
  tend_record_set_string (r, "address.city", "Boston");
  tend_record_set_string (r, "address.region", "MA");
  tend_record_set_string (r, "address.postal_code", "02110");
  tend_record_set_string (r, "address.country", "US");
  tend_record_set_string (r, "messaging.client_notice", "Not for emergencies: call 988 or 911.");
  /* The practice's own consent texts, multi-line as an owner types them. */
  {
    static const char * const kinds[] = { "treatment", "telehealth", "release_of_information" };

    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      for (guint l = 0; l < 2; l++)
        {
          g_autofree char *name = g_strdup_printf ("consents.%s_%s", kinds[k], l == 0 ? "en" : "es");
          g_autofree char *text = g_strdup_printf ("%s (%s)\n\n• one\n• two “quoted”", kinds[k], l == 0 ? "en" : "es");

          tend_record_set_string (r, name, text);
        }
  }
  tend_record_set_version (r, 3);
  assert_every_text_field_set (r);

  assert_round_trip (r);

  copy = round_trip (r);
  g_assert_cmpstr (tend_practice_get_client_notice (TEND_PRACTICE (copy)), ==, "Not for emergencies: call 988 or 911.");
  g_assert_cmpstr (tend_practice_get_consent_text (TEND_PRACTICE (copy), "telehealth", "es-MX"), ==,
                   "telehealth (es)\n\n• one\n• two “quoted”");
  g_assert_cmpstr (tend_practice_get_consent_text (TEND_PRACTICE (copy), "release_of_information", "en"), ==,
                   "release_of_information (en)\n\n• one\n• two “quoted”");
  g_assert_null (tend_practice_get_consent_text (TEND_PRACTICE (copy), "other", "en"));
  g_clear_object (&copy);

  copy = round_trip (r);
  g_assert_cmpstr (tend_practice_get_name (TEND_PRACTICE (copy)), ==, "Harbor Counseling");
  g_assert_cmpstr (tend_practice_get_time_zone (TEND_PRACTICE (copy)), ==, "America/New_York");
  g_assert_cmpstr (tend_practice_get_currency (TEND_PRACTICE (copy)), ==, "EUR");
  g_assert_cmpstr (tend_record_get_string (copy, "email"), ==, "front@harbor.example");
}

static void
test_round_trip_staff (void)
{
  g_autoptr(TendStaff) staff = tend_staff_new ("Maya", "Okafor", TEND_ROLE_SUPERVISOR);
  TendRecord *r = TEND_RECORD (staff);
  g_autoptr(TendRecord) copy = NULL;
  g_autofree char *name = NULL;

  tend_record_set_string (r, "email", "maya@harbor.example");
  tend_record_set_string (r, "phone", "617-555-0142 x12");
  tend_record_set_string (r, "credentials", "LCSW");
  tend_record_set_string (r, "license_number", "MA-LICSW-1234");
  tend_record_set_string (r, "license_expires", "2027-06-30");
  tend_record_set_string (r, "npi", VALID_NPI);
  tend_record_set_string (r, "supervisor_id", CLINICIAN_ID);
  tend_record_set_string (r, "color", "orange");
  tend_record_set_int (r, "active", FALSE);
  {
    static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

    for (guint i = 0; i < G_N_ELEMENTS (days); i++)
      {
        g_autofree char *start = g_strdup_printf ("working_hours.%s.start", days[i]);
        g_autofree char *end = g_strdup_printf ("working_hours.%s.end", days[i]);

        tend_record_set_string (r, start, i < 5 ? "08:30" : "10:00");
        tend_record_set_string (r, end, i < 5 ? "17:00" : "13:00");
      }
  }
  assert_every_text_field_set (r);

  assert_round_trip (r);

  copy = round_trip (r);
  {
    guint a = 0, b = 0;

    g_assert_true (tend_staff_get_working_hours (TEND_STAFF (copy), 1, &a, &b));
    g_assert_cmpuint (a, ==, 8 * 60 + 30);
    g_assert_cmpuint (b, ==, 17 * 60);
    g_assert_true (tend_staff_get_working_hours (TEND_STAFF (copy), 7, &a, &b));
    g_assert_cmpuint (a, ==, 10 * 60);
  }
  g_assert_cmpint (tend_staff_get_role (TEND_STAFF (copy)), ==, TEND_ROLE_SUPERVISOR);
  g_assert_cmpstr (tend_record_get_string (copy, "role"), ==, "supervisor");
  g_assert_false (tend_staff_get_active (TEND_STAFF (copy)));
  g_assert_cmpstr (tend_staff_get_supervisor_id (TEND_STAFF (copy)), ==, CLINICIAN_ID);
  name = tend_staff_dup_display_name (TEND_STAFF (copy));
  g_assert_cmpstr (name, ==, "Maya Okafor, LCSW");
}

static void
test_round_trip_room (void)
{
  g_autoptr(TendRoom) room = tend_room_new ("Room 2");
  TendRecord *r = TEND_RECORD (room);
  g_autoptr(TendRecord) copy = NULL;

  tend_record_set_int (r, "capacity", 12);
  tend_record_set_int (r, "active", FALSE);
  tend_record_set_int (r, "virtual", TRUE);
  tend_record_set_string (r, "notes", "Quiet room.\nWhite-noise machine by the door.\n");
  assert_every_text_field_set (r);

  assert_round_trip (r);

  copy = round_trip (r);
  g_assert_cmpstr (tend_room_get_name (TEND_ROOM (copy)), ==, "Room 2");
  g_assert_cmpint (tend_record_get_int (copy, "capacity"), ==, 12);
  g_assert_cmpint (tend_record_get_int (copy, "active"), ==, FALSE);
  g_assert_cmpint (tend_record_get_int (copy, "virtual"), ==, TRUE);
  /* A multi-line field keeps its lines (and is not trimmed). */
  g_assert_cmpstr (tend_record_get_string (copy, "notes"), ==,
                   "Quiet room.\nWhite-noise machine by the door.\n");
}

static void
test_round_trip_tombstone (void)
{
  g_autoptr(TendClient) client = make_full_client ();
  g_autoptr(TendRecord) copy = NULL;
  g_autoptr(JsonNode) node = NULL;

  tend_record_set_deleted (TEND_RECORD (client), TRUE);
  node = tend_record_to_json (TEND_RECORD (client));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (node), "body")));

  copy = round_trip (TEND_RECORD (client));
  g_assert_true (tend_record_get_deleted (copy));
  g_assert_cmpstr (tend_record_get_id (copy), ==, tend_record_get_id (TEND_RECORD (client)));
  g_assert_cmpint (tend_record_get_version (copy), ==, 7);
}

static void
test_round_trip_every_type_name (void)
{
  const char * const *names = tend_record_list_type_names ();

  g_assert_cmpuint (g_strv_length ((char **) names), ==, 34);
  for (guint i = 0; names[i] != NULL; i++)
    {
      GType type = tend_record_type_from_name (names[i]);
      g_autoptr(TendRecord) record = NULL;

      g_assert_true (g_type_is_a (type, TEND_TYPE_RECORD));
      record = tend_record_new (type);
      g_assert_cmpstr (tend_record_get_type_name (record), ==, names[i]);
      g_assert_true (g_uuid_string_is_valid (tend_record_get_id (record)));
    }
  g_assert_true (tend_record_type_from_name ("spaceship") == G_TYPE_INVALID);
  g_assert_true (tend_record_type_from_name (NULL) == G_TYPE_INVALID);
}

/* Sets every field of @record straight in its struct (no normalising, so
 * that every character reaches the writer), by the field table. */
static void
fill_every_field (TendRecord *record,
                  const char *text,
                  guint       salt)
{
  TendRecordClass *klass = TEND_RECORD_GET_CLASS (record);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const TendField *f = &klass->fields[i];
      gpointer slot = ((guint8 *) record) + f->offset;

      switch (f->kind)
        {
        case TEND_FIELD_ENUM:
          /* One past the last choice is left out of the body. */
          *(int *) slot = (int) ((i + salt) % (g_strv_length ((char **) f->choices) + 1));
          break;
        case TEND_FIELD_INT:
          *(gint64 *) slot = (salt % 2 == 0 ? G_MININT64 : 9007199254740993) + i;
          break;
        case TEND_FIELD_BOOL:
          *(gboolean *) slot = (i + salt) % 2 == 0;
          break;
        case TEND_FIELD_UUID_LIST:
          g_free (*(char **) slot);
          *(char **) slot = g_strdup (salt % 3 == 0 ? "" : salt % 3 == 1 ? CLIENT_ID : CLIENT_ID " " STAFF_ID);
          break;
        case TEND_FIELD_JSON:
          g_free (*(char **) slot);
          /* Spacing, numbers, escapes and nesting, written again compactly;
           * a field that is not JSON is left out. */
          *(char **) slot = g_strdup ((i + salt) % 4 == 3 ? "{not json"
                                      : "{ \"a\" : [1, 2.5, -0.125e3, \"x\\ty\\u00e9\\\"\"], \"b\": null,"
                                        "  \"c\": {\"d\": true, \"e\": \"\\u0001\"}, \"f\": [] }");
          break;
        default:
          g_free (*(char **) slot);
          /* Some fields unset: left out of the body. */
          *(char **) slot = (i + salt) % 5 == 4 ? NULL : g_strdup (text);
          break;
        }
    }
}

/* The save path writes the body straight from the field table
 * (tend_record_to_body_string ()): the same text, byte for byte, as
 * json-glib writes from the tree (tend_record_serialize_body ()), for every
 * record type, so that what is stored, pushed and hashed stays as before. */
static void
test_body_string_matches_tree (void)
{
  const char * const *names = tend_record_list_type_names ();
  /* Every byte json-glib treats alike in every version we build with
   * (1.6 leaves U+001F raw and escapes DEL; not compared here, below). */
  GString *hostile = g_string_new ("Ann \"Nan\" O'Brien \\ / é € 😀 \u2028 <b>&amp;</b> ");
  guint compared = 0;

  for (guint c = 1; c < 0x1f; c++)
    g_string_append_c (hostile, (char) c);

  for (guint salt = 0; salt < 6; salt++)
    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autoptr(TendRecord) record = tend_record_new (tend_record_type_from_name (names[i]));
        g_autoptr(JsonNode) tree = NULL;
        g_autofree char *expected = NULL;
        g_autofree char *direct = NULL;

        if (salt > 0)
          fill_every_field (record, salt == 5 ? "" : hostile->str, salt);
        tree = tend_record_serialize_body (record);
        expected = json_to_string (tree, FALSE);
        direct = tend_record_to_body_string (record);
        g_assert_cmpstr (direct, ==, expected);
        compared++;
      }
  g_assert_cmpuint (compared, ==, 6 * g_strv_length ((char **) names));
  g_string_free (hostile, TRUE);
}

/* The content hash as it was computed before bodies were written straight:
 * json-glib's text of the tree without the excluded members. */
static char *
content_sha256_by_tree (TendRecord         *record,
                        const char * const *excluded)
{
  g_autoptr(JsonNode) body = tend_record_serialize_body (record);
  JsonObject *obj = json_node_get_object (body);
  g_autofree char *text = NULL;
  g_autofree char *canonical = NULL;

  for (guint i = 0; excluded[i] != NULL; i++)
    if (json_object_has_member (obj, excluded[i]))
      json_object_remove_member (obj, excluded[i]);
  text = json_to_string (body, FALSE);
  canonical = g_strconcat (tend_record_get_type_name (record), "\n", tend_record_get_id (record), "\n", text, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
}

/* A signed note's or plan's hash does not change with the writer: the same
 * for every record type, with fields left out, and for text json-glib's
 * versions write differently (U+001F, DEL), which json-glib still writes. */
static void
test_content_hash_matches_tree (void)
{
  const char * const *names = tend_record_list_type_names ();
  const char * const excluded[] = { "status", "signed_by", "name", "client_id", "content_sha256", NULL };
  const char *texts[] = { "Ann \"Nan\" \\ é 😀\n\t\x01", "a\x1f" "b", "a\x7f" "b", "" };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    for (guint i = 0; names[i] != NULL; i++)
      {
        g_autoptr(TendRecord) record = tend_record_new (tend_record_type_from_name (names[i]));
        g_autofree char *expected = NULL;
        g_autofree char *hash = NULL;

        fill_every_field (record, texts[t], t + 1);
        expected = content_sha256_by_tree (record, excluded);
        hash = tend_record_compute_content_sha256 (record, excluded);
        g_assert_cmpstr (hash, ==, expected);
      }
  /* The note's own, as signing and its check compute it. */
  {
    g_autoptr(TendRecord) note = tend_record_new (TEND_TYPE_CLINICAL_NOTE);
    g_autofree char *expected = NULL;
    g_autofree char *hash = NULL;

    fill_every_field (note, "Slept better this week.\nLess worry at work.", 1);
    expected = content_sha256_by_tree (note, tend_signature_fields);
    hash = tend_clinical_note_compute_sha256 (TEND_CLINICAL_NOTE (note));
    g_assert_cmpstr (hash, ==, expected);
  }
}

/* U+001F and DEL, which json-glib versions write differently, are written
 * escaped, and read back as they were. */
static void
test_body_string_control_characters (void)
{
  g_autoptr(TendRecord) record = tend_record_new (TEND_TYPE_ROOM);
  g_autoptr(TendRecord) copy = tend_record_new (TEND_TYPE_ROOM);
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  const TendField *f = tend_record_find_field (record, "notes");
  char **slot = (char **) (((guint8 *) record) + f->offset);

  tend_record_set_string (record, "name", "Room 1");
  g_free (*slot);
  *slot = g_strdup ("a\x1f" "b\x7f" "c\n\"d\\");
  body = tend_record_to_body_string (record);
  g_assert_nonnull (strstr (body, "\"a\\u001fb\\u007fc\\n\\\"d\\\\\""));
  g_assert_true (tend_record_load_body_string (copy, body, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (copy, "notes"), ==, "a\x1f" "b\x7f" "c\n\"d\\");
  again = tend_record_to_body_string (copy);
  g_assert_cmpstr (again, ==, body);
}

/* A newer peer's fields, at the top and inside known objects, come back out. */
static void
test_round_trip_unknown_members (void)
{
  const char *json =
    CLIENT_JSON (NAMES ","
                 "\"future_field\":{\"a\":[1,2,3],\"b\":null},"
                 "\"consent_on_file\":true,"
                 "\"emergency_contact\":{\"name\":\"Bob Smith\",\"email\":\"bob@example.com\"},"
                 "\"address\":{\"city\":\"Boston\",\"geo\":{\"lat\":42.36,\"lon\":-71.06}}");
  g_autoptr(JsonNode) node = parse_json (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendRecord) copy = NULL;
  g_autoptr(JsonNode) out = NULL;
  JsonObject *body;

  record = tend_record_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (record, "emergency_contact.name"), ==, "Bob Smith");
  g_assert_cmpstr (tend_record_get_string (record, "address.city"), ==, "Boston");

  copy = round_trip (record);
  assert_records_equal (record, copy);

  out = tend_record_to_json (copy);
  body = json_object_get_object_member (json_node_get_object (out), "body");
  g_assert_nonnull (body);
  g_assert_true (json_object_get_boolean_member (body, "consent_on_file"));
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_object_get_object_member (body, "future_field"), "a")), ==, 3);
  g_assert_true (json_object_has_member (json_object_get_object_member (body, "future_field"), "b"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "emergency_contact"), "email"),
                   ==, "bob@example.com");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "emergency_contact"), "name"),
                   ==, "Bob Smith");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
                                    json_object_get_object_member (json_object_get_object_member (body, "address"), "geo"),
                                    "lat"), 42.36, 1e-9);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "address"), "city"),
                   ==, "Boston");
}

/* A known object holding only unknown members survives too. */
static void
test_round_trip_unknown_only_object (void)
{
  const char *json = CLIENT_JSON (NAMES ",\"address\":{\"geo\":{\"lat\":1}}");
  g_autoptr(JsonNode) node = parse_json (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = NULL;
  g_autoptr(TendRecord) copy = NULL;
  g_autofree char *body = NULL;

  record = tend_record_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_null (tend_record_get_string (record, "address.line1"));
  copy = round_trip (record);
  body = tend_record_to_body_string (copy);
  g_assert_nonnull (strstr (body, "\"address\":{\"geo\":{\"lat\":1}}"));
}

typedef struct
{
  const char *path;
  const char *json;
  const char *needle;  /* the message must name the field */
} BadCase;

static const BadCase bad_cases[] = {
  /* The wire envelope. */
  { "/record/invalid/not-object/array", "[1,2,3]", "JSON object" },
  { "/record/invalid/not-object/string", "\"client\"", "JSON object" },
  { "/record/invalid/not-object/null", "null", "JSON object" },
  { "/record/invalid/missing-type", "{\"id\":\"" CLIENT_ID "\",\"body\":{" NAMES "}}", "type" },
  { "/record/invalid/type-not-string", "{\"type\":3,\"id\":\"" CLIENT_ID "\",\"body\":{" NAMES "}}", "type" },
  { "/record/invalid/unknown-type", WIRE ("spaceship", CLIENT_ID, NAMES), "spaceship" },
  { "/record/invalid/id-missing", "{\"type\":\"client\",\"body\":{" NAMES "}}", "id" },
  { "/record/invalid/id-not-uuid", WIRE ("client", "12345", NAMES), "id" },
  { "/record/invalid/id-number", "{\"type\":\"client\",\"id\":12345,\"body\":{" NAMES "}}", "id" },
  { "/record/invalid/version-negative",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"version\":-1,\"body\":{" NAMES "}}", "version" },
  { "/record/invalid/version-string",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"version\":\"3\",\"body\":{" NAMES "}}", "version" },
  { "/record/invalid/version-fraction",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"version\":1.5,\"body\":{" NAMES "}}", "version" },
  { "/record/invalid/deleted-string",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"deleted\":\"no\",\"body\":{" NAMES "}}", "deleted" },
  { "/record/invalid/deleted-number",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"deleted\":0,\"body\":{" NAMES "}}", "deleted" },
  { "/record/invalid/updated-at",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"updated_at\":\"yesterday\",\"body\":{" NAMES "}}", "updated_at" },
  { "/record/invalid/updated-at-number",
    "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"updated_at\":12,\"body\":{" NAMES "}}", "updated_at" },
  { "/record/invalid/body-array", "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"body\":[1]}", "body" },
  { "/record/invalid/body-string", "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"body\":\"x\"}", "body" },
  { "/record/invalid/body-missing", "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\"}", "body" },
  { "/record/invalid/body-null", "{\"type\":\"client\",\"id\":\"" CLIENT_ID "\",\"body\":null}", "body" },

  /* Required fields. */
  { "/record/invalid/required/missing", CLIENT_JSON ("\"legal_given\":\"Ann\""), "Legal last name" },
  { "/record/invalid/required/null", CLIENT_JSON ("\"legal_given\":\"Ann\",\"legal_family\":null"), "Legal last name" },
  { "/record/invalid/required/blank", CLIENT_JSON ("\"legal_given\":\"Ann\",\"legal_family\":\"   \""), "Legal last name" },
  { "/record/invalid/required/staff", WIRE ("staff", STAFF_ID, "\"given_name\":\"Maya\""), "Last name" },
  { "/record/invalid/required/practice-zone", WIRE ("practice", CLIENT_ID, "\"name\":\"Harbor\",\"currency\":\"USD\""), "Time zone" },

  /* Wrong JSON types. */
  { "/record/invalid/type/string-as-number", CLIENT_JSON ("\"legal_given\":42,\"legal_family\":\"Smith\""), "Legal first name" },
  { "/record/invalid/type/status-number", CLIENT_JSON (NAMES ",\"status\":1"), "Status" },
  { "/record/invalid/type/status-bool", CLIENT_JSON (NAMES ",\"status\":true"), "Status" },
  { "/record/invalid/type/capacity-string", ROOM_JSON ("\"capacity\":\"12\""), "Capacity" },
  { "/record/invalid/type/capacity-fraction", ROOM_JSON ("\"capacity\":1.5"), "Capacity" },
  { "/record/invalid/type/active-string", STAFF_JSON ("\"active\":\"yes\""), "Active" },
  { "/record/invalid/type/active-number", ROOM_JSON ("\"active\":1"), "Active" },
  { "/record/invalid/type/emergency-contact-string",
    CLIENT_JSON (NAMES ",\"emergency_contact\":\"Bob, 617-555-0100\""), "emergency_contact" },
  { "/record/invalid/type/address-array", CLIENT_JSON (NAMES ",\"address\":[\"1 Elm St\"]"), "address" },

  /* Values. */
  { "/record/invalid/enum/status", CLIENT_JSON (NAMES ",\"status\":\"sleeping\""), "Status" },
  { "/record/invalid/enum/role", STAFF_JSON ("\"role\":\"janitor\""), "Role" },
  { "/record/invalid/int/capacity-low", ROOM_JSON ("\"capacity\":0"), "Capacity" },
  { "/record/invalid/int/capacity-high", ROOM_JSON ("\"capacity\":201"), "Capacity" },
  { "/record/invalid/date/impossible", CLIENT_JSON (NAMES ",\"date_of_birth\":\"2023-02-30\""), "Date of birth" },
  { "/record/invalid/date/format", CLIENT_JSON (NAMES ",\"date_of_birth\":\"04/17/1990\""), "Date of birth" },
  { "/record/invalid/date/padded", CLIENT_JSON (NAMES ",\"date_of_birth\":\"1990-4-170\""), "Date of birth" },
  { "/record/invalid/date/plus-sign", CLIENT_JSON (NAMES ",\"date_of_birth\":\"1990-+4-17\""), "Date of birth" },
  { "/record/invalid/date/inner-space", CLIENT_JSON (NAMES ",\"date_of_birth\":\"1990-04- 7\""), "Date of birth" },
  { "/record/invalid/date/too-old", CLIENT_JSON (NAMES ",\"date_of_birth\":\"1851-01-02\""), "Date of birth" },
  { "/record/invalid/email/no-dot", CLIENT_JSON (NAMES ",\"email\":\"a@b\""), "Email" },
  { "/record/invalid/email/no-at", CLIENT_JSON (NAMES ",\"email\":\"no-at.example.com\""), "Email" },
  { "/record/invalid/email/two-ats", CLIENT_JSON (NAMES ",\"email\":\"x@@y.com\""), "Email" },
  { "/record/invalid/email/space", CLIENT_JSON (NAMES ",\"email\":\"a b@example.com\""), "Email" },
  { "/record/invalid/email/double-dot", CLIENT_JSON (NAMES ",\"email\":\"a@example..com\""), "Email" },
  { "/record/invalid/phone/letters", CLIENT_JSON (NAMES ",\"phone_mobile\":\"555-CALL-NOW\""), "Mobile phone" },
  { "/record/invalid/phone/short", CLIENT_JSON (NAMES ",\"phone_home\":\"555-01\""), "Home phone" },
  { "/record/invalid/phone/emergency",
    CLIENT_JSON (NAMES ",\"emergency_contact\":{\"name\":\"Bob\",\"phone\":\"call me\"}"), "Emergency contact phone" },
  { "/record/invalid/phone/emergency-without-name",
    CLIENT_JSON (NAMES ",\"emergency_contact\":{\"phone\":\"617-555-0100\"}"), "Emergency contact" },
  { "/record/invalid/npi/check-digit", STAFF_JSON ("\"npi\":\"1234567890\""), "NPI" },
  { "/record/invalid/npi/short", STAFF_JSON ("\"npi\":\"123456789\""), "NPI" },
  { "/record/invalid/npi/letters", STAFF_JSON ("\"npi\":\"12345678a3\""), "NPI" },
  { "/record/invalid/npi/practice", PRACTICE_JSON ("\"time_zone\":\"UTC\",\"currency\":\"USD\",\"npi\":\"1234567890\""),
    "Practice NPI" },
  { "/record/invalid/uuid/clinician", CLIENT_JSON (NAMES ",\"primary_clinician_id\":\"dr-jones\""), "Primary clinician" },
  { "/record/invalid/time-zone", PRACTICE_JSON ("\"time_zone\":\"Mars/Olympus\",\"currency\":\"USD\""), "Time zone" },
  { "/record/invalid/currency", PRACTICE_JSON ("\"time_zone\":\"America/New_York\",\"currency\":\"XYZ\""), "Currency" },
  { "/record/invalid/too-long/given",
    CLIENT_JSON ("\"legal_given\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                 "\"legal_family\":\"Smith\""), "Legal first name" },
  { "/record/invalid/too-long/country", CLIENT_JSON (NAMES ",\"address\":{\"country\":\"USA\"}"), "Country" },
  { "/record/invalid/control/newline", CLIENT_JSON ("\"legal_given\":\"Ann\",\"legal_family\":\"Smith\\nJones\""),
    "Legal last name" },
  { "/record/invalid/control/tab", CLIENT_JSON (NAMES ",\"record_number\":\"R-10\\t01\""), "Record number" },
  { "/record/invalid/control/bell", CLIENT_JSON ("\"legal_given\":\"Ann\\u0007\\u0007x\",\"legal_family\":\"Smith\""),
    "Legal first name" },
  { "/record/invalid/control/escape", CLIENT_JSON ("\"legal_given\":\"Ann\",\"legal_family\":\"\\u001b[31mSmith\""),
    "Legal last name" },
  { "/record/invalid/control/delete", CLIENT_JSON ("\"legal_given\":\"An\\u007fn\",\"legal_family\":\"Smith\""),
    "Legal first name" },
  { "/record/invalid/control/c1", CLIENT_JSON ("\"legal_given\":\"An\\u009bn\",\"legal_family\":\"Smith\""),
    "Legal first name" },
  { "/record/invalid/supervise-self",
    STAFF_JSON ("\"supervisor_id\":\"" "5D1C1A52-7A0E-4D1B-8E55-0E8C7C3F2A91" "\""), "Supervisor" },
};

static void
test_invalid (gconstpointer data)
{
  const BadCase *bad = data;
  g_autoptr(JsonNode) node = parse_json (bad->json);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) record = NULL;

  record = tend_record_new_from_json (node, &error);
  g_assert_null (record);
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_test_message ("%s -> %s", bad->json, error->message);
  if (strstr (error->message, bad->needle) == NULL)
    g_error ("“%s” does not name “%s”", error->message, bad->needle);
}

static char *
date_from_now (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
test_invalid_future_birth (void)
{
  g_autofree char *tomorrow = date_from_now (1);
  g_autofree char *next_year = date_from_now (366);
  g_autofree char *today = date_from_now (0);
  const char *dates[] = { tomorrow, next_year };

  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *json =
        g_strdup_printf (CLIENT_JSON (NAMES ",\"date_of_birth\":\"%s\""), dates[i]);
      g_autoptr(JsonNode) node = parse_json (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(TendRecord) record = tend_record_new_from_json (node, &error);

      g_assert_null (record);
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "Date of birth"));
      g_assert_nonnull (strstr (error->message, dates[i]));
    }

  /* Born today is fine. */
  {
    g_autofree char *json = g_strdup_printf (CLIENT_JSON (NAMES ",\"date_of_birth\":\"%s\""), today);
    g_autoptr(JsonNode) node = parse_json (json);
    g_autoptr(GError) error = NULL;
    g_autoptr(TendRecord) record = tend_record_new_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_nonnull (record);
  }
}

/* The same rules apply to a record built through the API and validated. */
static void
test_validate_api (void)
{
  g_autoptr(TendClient) client = tend_client_new ("Ann", "Smith");
  g_autoptr(TendStaff) staff = tend_staff_new ("Maya", "Okafor", TEND_ROLE_CLINICIAN);
  g_autoptr(GError) error = NULL;

  g_assert_true (tend_record_validate (TEND_RECORD (client), &error));
  g_assert_no_error (error);

  tend_record_set_string (TEND_RECORD (client), "status", "sleeping");
  g_assert_false (tend_record_validate (TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Status"));
  g_clear_error (&error);
  g_assert_false (tend_record_validate_field (TEND_RECORD (client), "status", &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (client), "status", "inactive");

  tend_record_set_string (TEND_RECORD (client), "email", "x@@y.com");
  g_assert_false (tend_record_validate (TEND_RECORD (client), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Email"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (client), "email", "");
  g_assert_null (tend_client_get_email (client));
  g_assert_true (tend_record_validate (TEND_RECORD (client), &error));
  g_assert_no_error (error);

  tend_record_set_string (TEND_RECORD (staff), "supervisor_id", tend_record_get_id (TEND_RECORD (staff)));
  g_assert_false (tend_record_validate (TEND_RECORD (staff), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Supervisor"));
  g_clear_error (&error);
  tend_record_set_string (TEND_RECORD (staff), "supervisor_id", CLINICIAN_ID);
  g_assert_true (tend_record_validate (TEND_RECORD (staff), &error));
  g_assert_no_error (error);
}

static void
test_load_body_failure_keeps_record (void)
{
  static const char * const bad_bodies[] = {
    "{\"legal_given\":\"Zed\",\"legal_family\":\"Other\",\"email\":\"not-an-email\"}",
    "{\"legal_given\":\"Zed\",\"legal_family\":\"Other\",\"referral_source\":5}",
    "{\"legal_given\":\"Zed\",\"legal_family\":\"Other\",\"emergency_contact\":\"Bob\"}",
    "{\"legal_given\":\"Zed\",\"legal_family\":\"Other\",\"status\":\"sleeping\"}",
    "{\"legal_given\":\"Zed\"}",
    "[\"legal_given\"]",
    "{\"legal_given\":",
  };
  g_autoptr(TendClient) client = make_full_client ();
  TendRecord *r = TEND_RECORD (client);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *wire_before = NULL;

  /* Some unknown data first, which must also survive a failed load. */
  g_assert_true (tend_record_load_body_string (r,
                                               "{\"legal_given\":\"Ann\",\"legal_family\":\"Smith\","
                                               "\"email\":\"ann@example.com\",\"status\":\"inactive\","
                                               "\"future\":{\"x\":1}}", -1, &error));
  g_assert_no_error (error);
  before = tend_record_to_body_string (r);
  wire_before = record_to_string (r);
  g_assert_nonnull (strstr (before, "\"future\":{\"x\":1}"));

  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autofree char *after = NULL;
      g_autofree char *wire_after = NULL;

      g_assert_false (tend_record_load_body_string (r, bad_bodies[i], -1, &error));
      g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
      g_clear_error (&error);

      after = tend_record_to_body_string (r);
      wire_after = record_to_string (r);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpstr (wire_after, ==, wire_before);
      g_assert_cmpstr (tend_client_get_legal_given (client), ==, "Ann");
      g_assert_cmpint (tend_client_get_status (client), ==, TEND_CLIENT_STATUS_INACTIVE);
    }

  /* A good body replaces everything: fields it leaves out are cleared. */
  g_assert_true (tend_record_load_body_string (r, "{\"legal_given\":\"Zed\",\"legal_family\":\"Other\"}", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tend_client_get_legal_given (client), ==, "Zed");
  g_assert_null (tend_client_get_email (client));
  g_assert_null (tend_client_get_preferred_name (client));
  g_assert_cmpint (tend_client_get_status (client), ==, TEND_CLIENT_STATUS_ACTIVE);
  g_assert_cmpint (tend_record_get_version (r), ==, 7);
  {
    g_autofree char *body = tend_record_to_body_string (r);
    g_assert_null (strstr (body, "future"));
  }
}

static void
test_helpers (void)
{
  g_autofree char *digits = tend_phone_digits ("+1 (617) 555-0123");

  g_assert_cmpstr (digits, ==, "16175550123");
  g_assert_true (tend_npi_is_valid (VALID_NPI));
  g_assert_false (tend_npi_is_valid ("1234567890"));
  g_assert_false (tend_npi_is_valid ("12345678930"));
  g_assert_false (tend_npi_is_valid (NULL));
  g_assert_true (tend_email_is_valid ("ann.smith+tend@example.co.uk"));
  g_assert_false (tend_email_is_valid ("a@b"));
  g_assert_false (tend_email_is_valid ("@example.com"));
  g_assert_false (tend_email_is_valid ("ann@.com"));
  g_assert_false (tend_email_is_valid ("ann@example."));
  g_assert_false (tend_email_is_valid (NULL));
}

static void
test_display_and_age (void)
{
  g_autoptr(TendClient) client = tend_client_new ("Katherine", "Doyle");
  g_autofree char *name1 = tend_client_dup_display_name (client);
  g_autofree char *name2 = NULL;
  GDate today;

  g_assert_cmpstr (name1, ==, "Katherine Doyle");
  tend_record_set_string (TEND_RECORD (client), "preferred_name", "Kit");
  name2 = tend_client_dup_display_name (client);
  g_assert_cmpstr (name2, ==, "Kit Doyle");

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 15, G_DATE_JUNE, 2026);
  g_assert_cmpint (tend_client_get_age (client, &today), ==, -1);
  tend_record_set_string (TEND_RECORD (client), "date_of_birth", "2000-06-16");
  g_assert_cmpint (tend_client_get_age (client, &today), ==, 25);
  g_date_set_dmy (&today, 16, G_DATE_JUNE, 2026);
  g_assert_cmpint (tend_client_get_age (client, &today), ==, 26);
}

/* A message may carry its ten attachments with long names, and a long
 * text may be edited several times: their JSON members are long. */
static void
test_message_sizes (void)
{
  g_autofree char *conversation = g_uuid_string_random ();
  g_autofree char *author = g_uuid_string_random ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(TendMessage) m = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 900; i++)
    g_string_append (text, "word ");
  m = tend_message_new (conversation, author, text->str);
  for (guint i = 0; i < TEND_MESSAGE_MAX_ATTACHMENTS; i++)
    {
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) &i, sizeof i);
      g_autofree char *name = g_strdup_printf ("%02u-signed-release-of-information-to-the-school-counsellor-"
                                               "and-the-primary-care-physician.pdf", i);

      g_assert_true (tend_message_add_attachment (m, sha, name, "application/pdf", 123456, &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(GPtrArray) files = tend_message_dup_attachments (m);

    g_assert_cmpuint (files->len, ==, TEND_MESSAGE_MAX_ATTACHMENTS);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_string_append (text, "more ");
      g_assert_true (tend_message_edit (m, text->str, &error));
      g_assert_no_error (error);
    }
  g_assert_true (tend_record_validate (TEND_RECORD (m), &error));
  g_assert_no_error (error);
}

/* New records' ids: valid UUIDs of version 7, each sorting after the one
 * made before it (also many in one millisecond, past the 12-bit counter's
 * 4,096), with the time they were made in their first 48 bits, and the
 * random part different each time. */
static void
test_time_ordered_ids (void)
{
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *prev = NULL;
  g_autoptr(GHashTable) tails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 after;

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(TendRecord) record = tend_record_new (TEND_TYPE_CLIENT);
      const char *id = tend_record_get_id (record);

      g_assert_true (g_uuid_string_is_valid (id));
      g_assert_cmpint (id[14], ==, '7');
      g_assert_nonnull (strchr ("89ab", id[19]));
      if (prev != NULL)
        g_assert_cmpstr (prev, <, id);
      g_free (prev);
      prev = g_strdup (id);
      /* The 62 random bits (the last 15 hex digits hold 60 of them). */
      g_assert_true (g_hash_table_add (tails, g_strdup (id + 21)));
    }
  after = g_get_real_time () / 1000;
  {
    g_autofree char *hex = g_strdup_printf ("%.8s%.4s", prev, prev + 9);
    gint64 ms = (gint64) g_ascii_strtoull (hex, NULL, 16);

    /* 20,000 ids may borrow up to 5 milliseconds ahead of the clock. */
    g_assert_cmpint (ms, >=, before);
    g_assert_cmpint (ms, <=, after + 20000 / 4096 + 1);
  }
}

/* A clinician's calendar colour: one of the palette, or picked from the
 * id when none is chosen, the same wherever it is asked. */
static void
test_staff_color (void)
{
  g_autoptr(TendStaff) cleo = tend_staff_new ("Cleo", "Ward", TEND_ROLE_CLINICIAN);
  g_autoptr(TendRecord) copy = NULL;
  g_autoptr(GError) error = NULL;
  const char *automatic = tend_staff_get_color (cleo);

  g_assert_true (g_strv_contains (tend_staff_color_names (), automatic));
  copy = tend_record_copy (TEND_RECORD (cleo));
  g_assert_cmpstr (tend_staff_get_color (TEND_STAFF (copy)), ==, automatic);
  g_assert_null (tend_record_get_string (TEND_RECORD (cleo), "color"));

  tend_record_set_string (TEND_RECORD (cleo), "color", "purple");
  g_assert_true (tend_record_validate (TEND_RECORD (cleo), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tend_staff_get_color (cleo), ==, "purple");
  g_assert_cmpstr (tend_staff_color_get_label ("purple"), ==, "Purple");

  tend_record_set_string (TEND_RECORD (cleo), "color", "#ff00ff");
  g_assert_false (tend_record_validate (TEND_RECORD (cleo), &error));
  g_assert_error (error, TEND_ERROR, TEND_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/record/round-trip/practice", test_round_trip_practice);
  g_test_add_func ("/record/round-trip/staff", test_round_trip_staff);
  g_test_add_func ("/record/round-trip/room", test_round_trip_room);
  g_test_add_func ("/record/round-trip/client", test_round_trip_client);
  g_test_add_func ("/record/round-trip/tombstone", test_round_trip_tombstone);
  g_test_add_func ("/record/round-trip/type-names", test_round_trip_every_type_name);
  g_test_add_func ("/record/round-trip/unknown-members", test_round_trip_unknown_members);
  g_test_add_func ("/record/body-string/matches-tree", test_body_string_matches_tree);
  g_test_add_func ("/record/body-string/control-characters", test_body_string_control_characters);
  g_test_add_func ("/record/body-string/content-hash", test_content_hash_matches_tree);
  g_test_add_func ("/record/round-trip/unknown-only-object", test_round_trip_unknown_only_object);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_invalid);
  g_test_add_func ("/record/invalid/date/future", test_invalid_future_birth);
  g_test_add_func ("/record/validate/api", test_validate_api);
  g_test_add_func ("/record/load-body/failure-keeps-record", test_load_body_failure_keeps_record);
  g_test_add_func ("/record/helpers", test_helpers);
  g_test_add_func ("/record/client/display-and-age", test_display_and_age);
  g_test_add_func ("/record/message/attachments-and-edits", test_message_sizes);
  g_test_add_func ("/record/id/time-ordered", test_time_ordered_ids);
  g_test_add_func ("/record/staff/color", test_staff_color);

  return g_test_run ();
}
