/* test-server-video.c: video sessions at the server: the record's rules,
 * and signalling relayed only between a session's participants
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real tend-server on a throwaway cluster.  Practice A has a host
 * clinician, a colleague the host adds, and a clinician who is not in the
 * session; practice B has an owner.  Whoever is not a participant can
 * neither join nor send nor receive, whatever the messages they send say.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static SoupSession *session;

static struct
{
  char *practice_a;
  char *host_token, *host_staff;
  char *colleague_token, *colleague_staff;
  char *outsider_token, *outsider_staff;
  char *desk_token;
  char *owner_b_token;
  char *client_id;
  char *appointment_id;      /* telehealth, the host's */
  char *in_person_id;        /* in person, the host's */
} fx;

static char *
session_body (const char *appointment_id,
              const char *host,
              const char *participants,
              const char *extra)
{
  return g_strdup_printf ("{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"host_id\":\"%s\","
                          "\"participants\":[%s],\"started_at\":\"2030-05-06T15:00:00Z\"%s}",
                          appointment_id, fx.client_id, host, participants, extra != NULL ? extra : "");
}

static void
assert_push (const char *token,
             const char *id,
             gint64      base_version,
             const char *body,
             const char *status,
             const char *code)
{
  g_autofree char *got_code = NULL;
  g_autofree char *got = test_push_one (session, server, token, "video_session", id, base_version, body, &got_code);

  g_assert_cmpstr (got, ==, status);
  if (code != NULL)
    g_assert_cmpstr (got_code, ==, code);
}

/* A session with the host and the colleague, applied. */
static char *
make_session (void)
{
  char *id = g_uuid_string_random ();
  g_autofree char *participants = g_strdup_printf ("\"%s\",\"%s\"", fx.host_staff, fx.colleague_staff);
  g_autofree char *body = session_body (fx.appointment_id, fx.host_staff, participants, NULL);

  assert_push (fx.host_token, id, 0, body, "applied", NULL);
  return id;
}

static gboolean
feed_has (const char *token,
          const char *id)
{
  g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes?limit=1000", token, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return strstr (r->body, id) != NULL;
}

static void
test_record_rules (void)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *host_only = g_strdup_printf ("\"%s\"", fx.host_staff);
  g_autofree char *colleague_only = g_strdup_printf ("\"%s\"", fx.colleague_staff);
  g_autofree char *five = NULL;
  g_autofree char *body = NULL;
  g_autofree char *ok_id = NULL;

  /* Only the appointment's clinician hosts, in their own name. */
  body = session_body (fx.appointment_id, fx.host_staff, host_only, NULL);
  assert_push (fx.colleague_token, id, 0, body, "rejected", "forbidden");
  g_free (body);
  body = session_body (fx.appointment_id, fx.colleague_staff, colleague_only, NULL);
  assert_push (fx.colleague_token, id, 0, body, "rejected", "forbidden");
  /* Only for a telehealth appointment. */
  g_free (body);
  body = session_body (fx.in_person_id, fx.host_staff, host_only, NULL);
  assert_push (fx.host_token, id, 0, body, "rejected", "forbidden");
  /* Never the front desk (no clinical rights). */
  g_free (body);
  body = session_body (fx.appointment_id, fx.host_staff, host_only, NULL);
  assert_push (fx.desk_token, id, 0, body, "rejected", "forbidden");
  /* At most four participants. */
  {
    g_autofree char *a = g_uuid_string_random ();
    g_autofree char *b = g_uuid_string_random ();

    five = g_strdup_printf ("\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"", fx.host_staff, fx.colleague_staff,
                            fx.outsider_staff, a, b);
  }
  g_free (body);
  body = session_body (fx.appointment_id, fx.host_staff, five, NULL);
  assert_push (fx.host_token, id, 0, body, "rejected", "invalid");

  /* The record reaches its participants only. */
  ok_id = make_session ();
  g_assert_true (feed_has (fx.host_token, ok_id));
  g_assert_true (feed_has (fx.colleague_token, ok_id));
  g_assert_false (feed_has (fx.outsider_token, ok_id));
  g_assert_false (feed_has (fx.owner_b_token, ok_id));

  /* A participant cannot be removed. */
  g_free (body);
  body = session_body (fx.appointment_id, fx.host_staff, host_only, NULL);
  assert_push (fx.host_token, ok_id, 1, body, "rejected", "forbidden");
}

static char *
joined_peer_id (TestLive   *live,
                const char *session_id,
                guint       n_peers)
{
  g_autoptr(JsonNode) joined = NULL;

  test_live_send (live, "{\"type\":\"video.join\",\"session_id\":\"%s\"}", session_id);
  joined = test_live_wait_type (live, "video.joined", 5000);
  g_assert_nonnull (joined);
  g_assert_cmpstr (test_json_string (joined, "session_id"), ==, session_id);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (test_json_get (joined, "peers"))), ==, n_peers);
  return g_strdup (test_json_string (joined, "peer_id"));
}

static void
assert_error (TestLive   *live,
              const char *code)
{
  g_autoptr(JsonNode) error = test_live_wait_type (live, "video.error", 5000);

  g_assert_nonnull (error);
  g_assert_cmpstr (test_json_string (error, "code"), ==, code);
}

static void
test_relay_between_participants (void)
{
  g_autofree char *id = make_session ();
  TestLive *host = test_live_connect (session, server, fx.host_token);
  TestLive *colleague = test_live_connect (session, server, fx.colleague_token);
  TestLive *outsider = test_live_connect (session, server, fx.outsider_token);
  TestLive *other_practice = test_live_connect (session, server, fx.owner_b_token);
  g_autofree char *host_peer = NULL;
  g_autofree char *colleague_peer = NULL;
  g_autoptr(JsonNode) joined = NULL;
  g_autoptr(JsonNode) signal = NULL;

  host_peer = joined_peer_id (host, id, 0);
  colleague_peer = joined_peer_id (colleague, id, 1);
  joined = test_live_wait_type (host, "video.peer-joined", 5000);
  g_assert_nonnull (joined);
  g_assert_cmpstr (test_json_string (joined, "peer.peer_id"), ==, colleague_peer);
  g_assert_cmpstr (test_json_string (joined, "peer.staff_id"), ==, fx.colleague_staff);

  /* Relayed, with the sender as the server knows it: a "from" in the
   * message is not believed. */
  test_live_send (colleague, "{\"type\":\"video.signal\",\"session_id\":\"%s\",\"to\":\"%s\",\"from\":\"%s\","
                  "\"data\":{\"kind\":\"state\",\"muted\":true}}", id, host_peer, host_peer);
  signal = test_live_wait_type (host, "video.signal", 5000);
  g_assert_nonnull (signal);
  g_assert_cmpstr (test_json_string (signal, "from"), ==, colleague_peer);
  g_assert_cmpstr (test_json_string (signal, "data.kind"), ==, "state");

  /* Someone of the practice who is not a participant cannot join ... */
  test_live_send (outsider, "{\"type\":\"video.join\",\"session_id\":\"%s\"}", id);
  assert_error (outsider, "not_participant");
  /* ... nor send, even naming a participant's peer id ... */
  test_live_send (outsider, "{\"type\":\"video.signal\",\"session_id\":\"%s\",\"to\":\"%s\","
                  "\"data\":{\"kind\":\"hangup\"}}", id, host_peer);
  assert_error (outsider, "not_joined");
  /* ... and another practice neither. */
  test_live_send (other_practice, "{\"type\":\"video.join\",\"session_id\":\"%s\"}", id);
  assert_error (other_practice, "not_participant");
  test_live_send (other_practice, "{\"type\":\"video.signal\",\"session_id\":\"%s\",\"to\":\"%s\","
                  "\"data\":{\"kind\":\"hangup\"}}", id, host_peer);
  assert_error (other_practice, "not_joined");

  /* Neither receives what participants send each other. */
  test_live_send (host, "{\"type\":\"video.signal\",\"session_id\":\"%s\",\"to\":\"%s\","
                  "\"data\":{\"kind\":\"state\",\"camera_off\":true}}", id, colleague_peer);
  {
    g_autoptr(JsonNode) got = test_live_wait_type (colleague, "video.signal", 5000);

    g_assert_nonnull (got);
    g_assert_cmpstr (test_json_string (got, "from"), ==, host_peer);
  }
  test_spin (200);
  g_assert_cmpuint (test_live_count_type (outsider, "video.signal"), ==, 0);
  g_assert_cmpuint (test_live_count_type (other_practice, "video.signal"), ==, 0);
  g_assert_cmpuint (test_live_count_type (host, "video.signal"), ==, 0);

  /* Nothing is sent to a peer that is not in the room, or to oneself. */
  test_live_send (host, "{\"type\":\"video.signal\",\"session_id\":\"%s\",\"to\":\"%s\","
                  "\"data\":{\"kind\":\"hangup\"}}", id, host_peer);
  assert_error (host, "no_such_peer");
  /* Bad input is answered, and the socket stays. */
  test_live_send (host, "{\"type\":\"video.signal\",\"session_id\":\"not-a-uuid\"}");
  assert_error (host, "invalid_message");
  test_live_send (host, "{\"type\":\"video.signal\",\"session_id\":\"%s\",\"to\":\"%s\",\"data\":\"text\"}",
                  id, colleague_peer);
  assert_error (host, "invalid_message");
  test_live_send (host, "{\"type\":\"video.dance\",\"session_id\":\"%s\"}", id);
  assert_error (host, "invalid_message");
  test_live_send (host, "not json at all");
  test_spin (100);
  g_assert_false (host->closed);

  /* Leaving (the socket closing) tells the others. */
  test_live_free (colleague);
  {
    g_autoptr(JsonNode) left = test_live_wait_type (host, "video.peer-left", 5000);

    g_assert_nonnull (left);
    g_assert_cmpstr (test_json_string (left, "peer_id"), ==, colleague_peer);
  }

  /* Joins and leaves are audited. */
  test_spin (300);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT action, count(*) FROM audit WHERE record_id = '%s'"
                                            " AND action LIKE 'video-%%' GROUP BY action ORDER BY action", id);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpint (PQntuples (res), ==, 2);
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "video-join");
    g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "2");
    g_assert_cmpstr (PQgetvalue (res, 1, 0), ==, "video-leave");
    g_assert_cmpstr (PQgetvalue (res, 1, 1), ==, "1");
    PQclear (res);
  }
  test_live_free (host);
  test_live_free (outsider);
  test_live_free (other_practice);
}

static void
test_room_limit_and_end (void)
{
  g_autofree char *id = make_session ();
  TestLive *sockets[5];
  g_autofree char *participants = g_strdup_printf ("\"%s\",\"%s\"", fx.host_staff, fx.colleague_staff);
  g_autofree char *ended = NULL;

  /* Four sockets fill the room (the host on several computers counts
   * each); the fifth is refused. */
  for (guint i = 0; i < 5; i++)
    sockets[i] = test_live_connect (session, server, i % 2 == 0 ? fx.host_token : fx.colleague_token);
  for (guint i = 0; i < 4; i++)
    g_free (joined_peer_id (sockets[i], id, i));
  test_live_send (sockets[4], "{\"type\":\"video.join\",\"session_id\":\"%s\"}", id);
  assert_error (sockets[4], "session_full");
  for (guint i = 0; i < 5; i++)
    test_live_free (sockets[i]);

  /* An ended session admits no one and is frozen. */
  ended = session_body (fx.appointment_id, fx.host_staff, participants, ",\"ended_at\":\"2030-05-06T15:50:00Z\"");
  assert_push (fx.host_token, id, 1, ended, "applied", NULL);
  /* Starting the session and ending it are audited: the record's pushes. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE record_id = '%s'"
                                            " AND record_type = 'video_session' AND action = 'push-applied'", id);
    PGresult *res = test_pg_exec (pg, sql);

    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "2");
    PQclear (res);
  }
  sockets[0] = test_live_connect (session, server, fx.host_token);
  test_live_send (sockets[0], "{\"type\":\"video.join\",\"session_id\":\"%s\"}", id);
  assert_error (sockets[0], "ended");
  test_live_free (sockets[0]);
  {
    g_autofree char *three = g_strdup_printf ("\"%s\",\"%s\",\"%s\"", fx.host_staff, fx.colleague_staff,
                                              fx.outsider_staff);
    g_autofree char *later = session_body (fx.appointment_id, fx.host_staff, three,
                                           ",\"ended_at\":\"2030-05-06T15:50:00Z\"");

    assert_push (fx.host_token, id, 2, later, "rejected", "immutable");
  }
}

static gint64
pg_count (const char *sql)
{
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

static TestResponse *
post_invite (const char *token,
             const char *body)
{
  return test_request (session, server, "POST", "/v1/video/invites", token, body);
}

/* Join links: the host's only, copied or e-mailed to the client's address
 * on file, in their language, with nothing clinical in it. */
static void
test_invites (void)
{
  g_autofree char *id = make_session ();
  g_autofree char *plain = g_strdup_printf ("{\"session_id\":\"%s\"}", id);
  g_autofree char *mailed = g_strdup_printf ("{\"session_id\":\"%s\",\"email\":true}", id);
  g_autofree char *bad = g_strdup_printf ("{\"session_id\":\"%s\",\"email\":\"yes\"}", id);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count (*) FROM video_invite WHERE session_id = '%s'", id);
  g_autofree char *status = NULL;
  gint64 invites;

  {
    g_autoptr(TestResponse) r = post_invite (fx.host_token, plain);
    g_autofree char *expected = NULL;

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_true (g_str_has_prefix (test_json_string (r->json, "url"), "http://127.0.0.1:"));
    g_assert_true (g_str_has_suffix (test_json_string (r->json, "url"), test_json_string (r->json, "path")));
    g_assert_false (json_object_get_boolean_member (json_node_get_object (r->json), "emailed"));
    /* Opens ten minutes before the appointment (15:00 UTC), ends with it. */
    g_assert_cmpstr (test_json_string (r->json, "valid_from"), ==, "2030-05-06T14:50:00Z");
    g_assert_cmpstr (test_json_string (r->json, "valid_until"), ==, "2030-05-06T16:00:00Z");
  }
  g_assert_cmpint (pg_count ("SELECT count (*) FROM outbox WHERE kind = 'video-invite'"), ==, 0);

  /* Only the host; a participant who is not the host cannot. */
  {
    g_autoptr(TestResponse) r = post_invite (fx.colleague_token, plain);

    g_assert_cmpuint (r->status, ==, 404);
  }
  {
    g_autoptr(TestResponse) r = post_invite (fx.host_token, bad);

    g_assert_cmpuint (r->status, ==, 400);
  }

  /* No address on file: a clear refusal, and no link made. */
  invites = pg_count (count_sql);
  {
    g_autoptr(TestResponse) r = post_invite (fx.host_token, mailed);

    g_assert_cmpuint (r->status, ==, 422);
    g_assert_nonnull (strstr (r->body, "\"code\":\"no_email\""));
  }
  g_assert_cmpint (pg_count (count_sql), ==, invites);

  /* With one: mailed through the outbox, in Spanish, at the practice's time. */
  status = test_push_one (session, server, fx.host_token, "client", fx.client_id, 1,
                          "{\"legal_given\":\"Test\",\"legal_family\":\"Person\",\"status\":\"active\","
                          "\"email\":\"t.person@mail.example\",\"language\":\"es\"}", NULL);
  g_assert_cmpstr (status, ==, "applied");
  {
    g_autoptr(TestResponse) r = post_invite (fx.host_token, mailed);
    PGresult *res;
    const char *text;

    g_assert_cmpuint (r->status, ==, 201);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (r->json), "emailed"));
    res = test_pg_exec (pg, "SELECT recipient, subject, body_text, body_html FROM outbox WHERE kind = 'video-invite'");
    g_assert_cmpint (PQntuples (res), ==, 1);
    g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "t.person@mail.example");
    g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "Enlace de su sesión por video: 6 de mayo de 2030");
    text = PQgetvalue (res, 0, 2);
    g_assert_nonnull (strstr (text, "Su sesión por video con Riverbend Counseling es el 6 de mayo de 2030 a las 10:00."));
    g_assert_nonnull (strstr (text, test_json_string (r->json, "url")));
    g_assert_null (strstr (text, "Person"));
    g_assert_null (strstr (text, "Hana"));
    g_assert_nonnull (strstr (PQgetvalue (res, 0, 3), "<a href=\"http://127.0.0.1:"));
    PQclear (res);
  }
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE action = 'video-invite-mailed'"
                                            " AND record_id = '%s'", id);

    g_assert_cmpint (pg_count (sql), ==, 1);
  }
}

/* A guest's socket to /v1/video/guest with @query; its HTTP status. */
static guint
guest_status (const char *query)
{
  g_autofree char *path = g_strconcat ("/v1/video/guest?", query, NULL);
  TestLive *live = test_ws_connect (session, server, path, NULL);
  guint status = live->conn != NULL ? 101 : live->status;

  test_live_free (live);
  return status;
}

static TestLive *
guest_rejoins (const char *rejoin,
               const char *session_id,
               const char *guest_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/video/guest?rejoin=%s&session_id=%s&guest_id=%s",
                                           rejoin, session_id, guest_id);
  TestLive *live = test_ws_connect (session, server, path, NULL);

  g_assert_nonnull (live->conn);
  return live;
}

/* A browser guest whose connection drops comes back with its rejoin
 * token: straight into the call (the host had admitted it), its earlier
 * socket replaced; the token works only for that guest and session,
 * before the link's end and while the session has not ended. */
static void
test_guest_rejoin (void)
{
  g_autofree char *id = make_session ();
  g_autofree char *other = make_session ();
  g_autofree char *plain = g_strdup_printf ("{\"session_id\":\"%s\"}", id);
  g_autofree char *link = NULL;
  g_autofree char *rejoin = NULL;
  g_autofree char *guest_id = NULL;
  g_autofree char *query = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *host_peer = NULL;
  g_autofree char *participants = g_strdup_printf ("\"%s\",\"%s\"", fx.host_staff, fx.colleague_staff);
  g_autofree char *ended = NULL;
  TestLive *host = test_live_connect (session, server, fx.host_token);
  TestLive *guest;
  TestLive *again;
  TestLive *third;

  {
    g_autoptr(TestResponse) r = post_invite (fx.host_token, plain);

    g_assert_cmpuint (r->status, ==, 201);
    link = g_strdup (test_json_string (r->json, "token"));
  }
  /* The appointment is in 2030: open its link now. */
  sql = g_strdup_printf ("UPDATE video_invite SET valid_from = now () - interval '1 minute',"
                         " valid_until = now () + interval '1 hour' WHERE session_id = '%s'", id);
  PQclear (test_pg_exec (pg, sql));
  host_peer = joined_peer_id (host, id, 0);

  /* The first join gives the page its rejoin token and guest id. */
  query = g_strdup_printf ("/v1/video/guest?token=%s", link);
  guest = test_ws_connect (session, server, query, NULL);
  g_assert_nonnull (guest->conn);
  {
    g_autoptr(JsonNode) waiting = test_live_wait_type (guest, "video.waiting", 5000);
    g_autoptr(JsonNode) told = test_live_wait_type (host, "video.waiting", 5000);

    g_assert_nonnull (waiting);
    rejoin = g_strdup (test_json_string (waiting, "rejoin_token"));
    guest_id = g_strdup (test_json_string (waiting, "guest_id"));
    g_assert_cmpuint (strlen (rejoin), >=, 20);
    g_assert_cmpstr (rejoin, !=, link);
    g_assert_true (g_uuid_string_is_valid (guest_id));
    g_assert_nonnull (told);
    test_live_send (host, "{\"type\":\"video.admit\",\"session_id\":\"%s\",\"guest_id\":\"%s\"}", id,
                    test_json_string (told, "guest_id"));
  }
  {
    g_autoptr(JsonNode) joined = test_live_wait_type (guest, "video.joined", 5000);

    g_assert_nonnull (joined);
  }
  g_free (sql);
  /* Kept hashed, as the links are. */
  sql = g_strdup_printf ("SELECT count (*) FROM video_rejoin WHERE session_id = '%s' AND guest_id = '%s'"
                         " AND position (convert_to ('%s', 'UTF8') IN token_hash) = 0", id, guest_id, rejoin);
  g_assert_cmpint (pg_count (sql), ==, 1);

  /* The connection drops; the guest comes back, admitted again by itself. */
  test_live_free (guest);
  {
    g_autoptr(JsonNode) left = test_live_wait_type (host, "video.peer-left", 5000);

    g_assert_nonnull (left);
  }
  again = guest_rejoins (rejoin, id, guest_id);
  {
    g_autoptr(JsonNode) joined = test_live_wait_type (again, "video.joined", 5000);
    g_autoptr(JsonNode) peer = test_live_wait_type (host, "video.peer-joined", 5000);

    g_assert_nonnull (joined);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (test_json_get (joined, "peers"))), ==, 1);
    g_assert_nonnull (peer);
    g_assert_true (json_node_get_boolean (test_json_get (peer, "peer.guest")));
    g_assert_cmpuint (test_live_count_type (again, "video.waiting"), ==, 0);
    g_assert_cmpuint (test_live_count_type (host, "video.waiting"), ==, 0);
  }
  /* The same token again while that socket is open: it replaces it (one
   * socket per guest), the host sees the one leave and the other come. */
  third = guest_rejoins (rejoin, id, guest_id);
  {
    g_autoptr(JsonNode) joined = test_live_wait_type (third, "video.joined", 5000);
    g_autoptr(JsonNode) left = test_live_wait_type (host, "video.peer-left", 5000);
    g_autoptr(JsonNode) peer = test_live_wait_type (host, "video.peer-joined", 5000);
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_assert_nonnull (joined);
    g_assert_nonnull (left);
    g_assert_nonnull (peer);
    while (!again->closed && g_get_monotonic_time () < deadline)
      test_spin (20);
    g_assert_true (again->closed);
  }
  test_live_free (again);

  /* Refused: another session, another guest, a token of no one, a join
   * link as a rejoin token, missing fields; nor is the rejoin token a join
   * link, and the join link stays spent. */
  {
    g_autofree char *wrong_session = g_strdup_printf ("rejoin=%s&session_id=%s&guest_id=%s", rejoin, other, guest_id);
    g_autofree char *someone = g_uuid_string_random ();
    g_autofree char *wrong_guest = g_strdup_printf ("rejoin=%s&session_id=%s&guest_id=%s", rejoin, id, someone);
    g_autofree char *unknown = g_strdup_printf ("rejoin=%s&session_id=%s&guest_id=%s",
                                                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", id, guest_id);
    g_autofree char *as_link = g_strdup_printf ("rejoin=%s&session_id=%s&guest_id=%s", link, id, guest_id);
    g_autofree char *no_guest = g_strdup_printf ("rejoin=%s&session_id=%s", rejoin, id);
    g_autofree char *spent = g_strdup_printf ("token=%s", link);
    g_autofree char *rejoin_as_link = g_strdup_printf ("token=%s", rejoin);
    g_autofree char *page = g_strconcat ("/video/join/", rejoin, NULL);
    g_autoptr(TestResponse) r = test_request (session, server, "GET", page, NULL, NULL);

    g_assert_cmpuint (guest_status (wrong_session), ==, 403);
    g_assert_cmpuint (guest_status (wrong_guest), ==, 403);
    g_assert_cmpuint (guest_status (unknown), ==, 404);
    g_assert_cmpuint (guest_status (as_link), ==, 404);
    g_assert_cmpuint (guest_status (no_guest), ==, 400);
    g_assert_cmpuint (guest_status ("rejoin=short&session_id=x&guest_id=y"), ==, 400);
    g_assert_cmpuint (guest_status (spent), ==, 410);
    g_assert_cmpuint (guest_status (rejoin_as_link), ==, 404);
    g_assert_cmpuint (r->status, ==, 404);
  }

  /* Past the link's end it is refused; and once the session has ended. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE video_rejoin SET valid_until = now () - interval '1 second' WHERE session_id = '%s'", id);
  PQclear (test_pg_exec (pg, sql));
  {
    g_autofree char *q = g_strdup_printf ("rejoin=%s&session_id=%s&guest_id=%s", rejoin, id, guest_id);

    g_assert_cmpuint (guest_status (q), ==, 410);
    g_free (sql);
    sql = g_strdup_printf ("UPDATE video_rejoin SET valid_until = now () + interval '1 hour' WHERE session_id = '%s'", id);
    PQclear (test_pg_exec (pg, sql));
    g_assert_cmpuint (guest_status (q), ==, 101);
    test_spin (200);
    ended = session_body (fx.appointment_id, fx.host_staff, participants, ",\"ended_at\":\"2030-05-06T15:50:00Z\"");
    assert_push (fx.host_token, id, 1, ended, "applied", NULL);
    g_assert_cmpuint (guest_status (q), ==, 410);
  }

  /* Each coming back is audited, as the join was. */
  test_spin (300);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE record_id = '%s' AND action = 'video-guest-rejoin'", id);
  g_assert_cmpint (pg_count (sql), ==, 3);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count (*) FROM audit WHERE record_id = '%s' AND action = 'video-guest-join'", id);
  g_assert_cmpint (pg_count (sql), ==, 1);
  test_live_free (third);
  test_live_free (host);
}

static char *
add_user (const char *email,
          const char *name,
          const char *role,
          char      **token)
{
  g_autoptr(JsonNode) user = test_admin (pg, PASSWORD, "add-user", "--practice", fx.practice_a, "--email", email,
                                         "--name", name, "--role", role, NULL);
  char *staff = g_strdup (test_json_string (user, "staff_id"));

  *token = NULL;
  return staff;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autofree char *desk_staff = NULL;
  g_autofree char *appt = NULL;
  g_autofree char *status = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/video/record-rules", test_record_rules);
  g_test_add_func ("/server/video/relay-between-participants", test_relay_between_participants);
  g_test_add_func ("/server/video/room-limit-and-end", test_room_limit_and_end);
  g_test_add_func ("/server/video/invites", test_invites);
  g_test_add_func ("/server/video/guest-rejoin", test_guest_rejoin);

  pg = test_pg_start ();
  a = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling", "--time-zone", "America/Chicago",
                  "--owner-email", "owner@a.example", "--owner-name", "Olive Owner", NULL);
  b = test_admin (pg, PASSWORD, "create-practice", "--name", "Lakeside Therapy", "--time-zone", "Europe/Berlin",
                  "--owner-email", "owner@b.example", "--owner-name", "Bea Owner", NULL);
  fx.practice_a = g_strdup (test_json_string (a, "practice_id"));
  fx.host_staff = add_user ("host@a.example", "Hana Host", "clinician", &fx.host_token);
  fx.colleague_staff = add_user ("colleague@a.example", "Cole League", "clinician", &fx.colleague_token);
  fx.outsider_staff = add_user ("outsider@a.example", "Otto Outside", "clinician", &fx.outsider_token);
  desk_staff = add_user ("desk@a.example", "Dee Desk", "front_desk", &fx.desk_token);

  server = test_server_start (pg, NULL);
  session = test_session_new ();
  fx.host_token = test_login (session, server, "host@a.example", PASSWORD);
  fx.colleague_token = test_login (session, server, "colleague@a.example", PASSWORD);
  fx.outsider_token = test_login (session, server, "outsider@a.example", PASSWORD);
  fx.desk_token = test_login (session, server, "desk@a.example", PASSWORD);
  fx.owner_b_token = test_login (session, server, "owner@b.example", PASSWORD);

  fx.client_id = g_uuid_string_random ();
  status = test_push_one (session, server, fx.host_token, "client", fx.client_id, 0,
                          "{\"legal_given\":\"Test\",\"legal_family\":\"Person\",\"status\":\"active\"}", NULL);
  g_assert_cmpstr (status, ==, "applied");
  fx.appointment_id = g_uuid_string_random ();
  fx.in_person_id = g_uuid_string_random ();
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"kind\":\"session\",\"clinician_id\":\"%s\",\"client_id\":\"%s\","
                                               "\"modality\":\"%s\",\"start\":\"2030-05-0%uT15:00:00Z\","
                                               "\"end\":\"2030-05-0%uT16:00:00Z\",\"status\":\"scheduled\"}",
                                               fx.host_staff, fx.client_id, i == 0 ? "telehealth" : "in_person",
                                               6 + i, 6 + i);

      g_free (status);
      status = test_push_one (session, server, fx.host_token, "appointment",
                              i == 0 ? fx.appointment_id : fx.in_person_id, 0, body, NULL);
      g_assert_cmpstr (status, ==, "applied");
    }

  rc = g_test_run ();

  g_clear_object (&session);
  test_server_stop (server);
  test_pg_stop (pg);
  return rc;
}
