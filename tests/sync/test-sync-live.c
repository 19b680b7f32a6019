/* test-sync-live.c: changes carried by the live WebSocket, through a real
 * tend-server on a throwaway PostgreSQL cluster and real app stores
 *
 * A push's changes reach the other stores' sockets, each filtered and
 * redacted by the feed's own read for that person: the owner's store
 * applies them without asking the feed (counted in the server's audit);
 * the front desk receives no clinical note, a clinician no note of a chart
 * he is not on, nobody a message of a conversation they are not in, and
 * another practice nothing.  A message that does not follow a store's
 * cursor (one was missed) asks for a pull, which loses nothing; a record
 * too big for the channel is announced, not carried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "server-test-util.h"
#include "sync-test-peer.h"
#include "tend-chart.h"
#include "tend-messages.h"
#include "tend-sync-engine.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;

typedef struct
{
  Peer                    *peer;
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GPtrArray               *messages;   /* GBytes, oldest first */
} Live;

static void
on_message_cb (SoupWebsocketConnection *conn,
               int                      type,
               GBytes                  *message,
               Live                    *live)
{
  g_ptr_array_add (live->messages, g_bytes_ref (message));
}

static void
on_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Live *live = data;
  g_autoptr(GError) error = NULL;

  live->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (live->conn, "message", G_CALLBACK (on_message_cb), live);
}

static void
spin_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* @email's store, synced, with its live socket open and its first
 * message ("pull what happened meanwhile") taken. */
static Live *
live_open (const char *email)
{
  Live *live = g_new0 (Live, 1);
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u/v1/live", server->port);
  g_autofree char *auth = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(TendRecord) staff = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  live->peer = peer_open (server->base, email, PASSWORD, -1);
  sync_ok (live->peer);
  staff = tend_store_load (live->peer->store, TEND_TYPE_STAFF, tend_sync_engine_get_staff_id (live->peer->engine), &error);
  g_assert_no_error (error);
  tend_store_set_actor (live->peer->store, tend_record_get_id (staff), tend_staff_get_role (TEND_STAFF (staff)));
  live->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  live->session = soup_session_new ();
  auth = g_strconcat ("Bearer ", tend_sync_engine_get_token (live->peer->engine), NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (live->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, on_connected_cb, live);
  while ((live->conn == NULL || live->messages->len == 0) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_nonnull (live->conn);
  g_assert_cmpuint (live->messages->len, ==, 1);
  g_ptr_array_set_size (live->messages, 0);
  return live;
}

static void
live_free (Live *live)
{
  g_signal_handlers_disconnect_by_data (live->conn, live);
  soup_websocket_connection_close (live->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (live->conn);
  g_object_unref (live->session);
  g_ptr_array_unref (live->messages);
  peer_free (live->peer);
  g_free (live);
}

/* The next message, waited for. */
static GBytes *
live_next (Live *live)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (live->messages->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpuint (live->messages->len, >, 0);
  return g_ptr_array_steal_index (live->messages, 0);
}

/* Applies the next message; returns whether it asked for a pull. */
static gboolean
live_apply_next (Live *live)
{
  g_autoptr(GBytes) message = live_next (live);
  g_autoptr(GError) error = NULL;
  gboolean pull = FALSE;

  g_assert_true (tend_sync_engine_apply_live (live->peer->engine, message, &pull, NULL, NULL, &error));
  g_assert_no_error (error);
  return pull;
}

static gboolean
message_mentions (GBytes     *message,
                  const char *text)
{
  g_autofree char *s = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));

  return strstr (s, text) != NULL;
}

static gint64
server_count (const char *sql)
{
  PGresult *res = test_pg_exec (pg, sql);
  gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);

  PQclear (res);
  return n;
}

/* The feed requests @email's account made (each is audited). */
static gint64
feed_reads (const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit u JOIN account a ON a.id = u.account_id"
                                          " WHERE a.email = '%s' AND u.action = 'read-changes'", email);

  return server_count (sql);
}

static gboolean
has_record (Peer       *p,
            GType       type,
            const char *id)
{
  g_autoptr(TendRecord) r = tend_store_load (p->store, type, id, NULL);

  return r != NULL;
}

static const char *
me (Peer *p)
{
  return tend_sync_engine_get_staff_id (p->engine);
}

static void
test_live (void)
{
  Live *owner = live_open ("owner@live.example");
  Live *ann = live_open ("ann@live.example");
  Live *ben = live_open ("ben@live.example");
  Live *desk = live_open ("desk@live.example");
  Live *other = live_open ("owner@other.example");
  Live *all[] = { owner, ann, ben, desk };
  g_autoptr(TendClient) client = tend_client_new ("Quinn", "Live");
  const char *client_id = tend_record_get_id (TEND_RECORD (client));
  g_autofree char *note_id = NULL;
  gint64 reads;

  /* Everyone starts at the end of the feed. */
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    sync_ok (all[i]->peer);
  spin_ms (200);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    g_ptr_array_set_size (all[i]->messages, 0);

  /* The owner saves a client of Ann's and syncs: every other store has it
   * from the live channel, without a pull. */
  reads = feed_reads ("ann@live.example");
  tend_record_set_string (TEND_RECORD (client), "primary_clinician_id", me (ann->peer));
  store_test_save (owner->peer->store, TEND_RECORD (client));
  sync_ok (owner->peer);
  for (guint i = 1; i < G_N_ELEMENTS (all); i++)
    {
      g_assert_false (live_apply_next (all[i]));
      g_assert_true (has_record (all[i]->peer, TEND_TYPE_CLIENT, client_id));
    }
  g_assert_cmpint (feed_reads ("ann@live.example"), ==, reads);
  g_assert_cmpint (server_count ("SELECT count(*) FROM audit WHERE action = 'read-live'"), >=, 3);
  /* Another practice hears nothing of it. */
  spin_ms (300);
  g_assert_cmpuint (other->messages->len, ==, 0);
  g_ptr_array_set_size (owner->messages, 0);

  /* Ann writes a note on her client's chart: the owner receives it live;
   * the front desk (no clinical content) and Ben (not on the chart) get a
   * message without it, which moves their cursors all the same. */
  {
    g_autoptr(TendClinicalNote) note = tend_clinical_note_new (client_id, me (ann->peer), TEND_NOTE_TEMPLATE_SOAP);
    g_autoptr(GError) error = NULL;

    tend_record_set_string (TEND_RECORD (note), "service_date", "2026-12-07");
    tend_clinical_note_set_section (note, "subjective", "Words only the chart's clinicians read");
    g_assert_true (tend_chart_save_note (ann->peer->store, note, &error));
    g_assert_no_error (error);
    note_id = g_strdup (tend_record_get_id (TEND_RECORD (note)));
    sync_ok (ann->peer);
  }
  g_assert_false (live_apply_next (owner));
  g_assert_true (has_record (owner->peer, TEND_TYPE_CLINICAL_NOTE, note_id));
  for (guint i = 2; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GBytes) message = live_next (all[i]);
      g_autoptr(GError) error = NULL;
      gboolean pull = TRUE;

      g_assert_false (message_mentions (message, note_id));
      g_assert_false (message_mentions (message, "only the chart"));
      g_assert_true (message_mentions (message, "\"after\""));
      g_assert_true (tend_sync_engine_apply_live (all[i]->peer->engine, message, &pull, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (pull);
      g_assert_false (has_record (all[i]->peer, TEND_TYPE_CLINICAL_NOTE, note_id));
    }
  g_ptr_array_set_size (ann->messages, 0);

  /* A message in a conversation of the owner's and Ann's: Ann receives it
   * live, Ben and the front desk do not. */
  {
    const char *members[] = { me (owner->peer), me (ann->peer), NULL };
    g_autoptr(TendConversation) conversation = tend_conversation_new (me (owner->peer), members);
    g_autoptr(TendMessage) m = NULL;
    g_autoptr(GError) error = NULL;

    store_test_save (owner->peer->store, TEND_RECORD (conversation));
    m = tend_messages_send (owner->peer->store, tend_record_get_id (TEND_RECORD (conversation)),
                            "Is the 3 pm still on?", NULL, &error);
    g_assert_no_error (error);
    sync_ok (owner->peer);
    g_assert_false (live_apply_next (ann));
    g_assert_true (has_record (ann->peer, TEND_TYPE_MESSAGE, tend_record_get_id (TEND_RECORD (m))));
    for (guint i = 2; i < G_N_ELEMENTS (all); i++)
      {
        g_autoptr(GBytes) message = live_next (all[i]);

        g_assert_false (message_mentions (message, "3 pm"));
        g_assert_false (message_mentions (message, tend_record_get_id (TEND_RECORD (conversation))));
        g_ptr_array_add (all[i]->messages, g_bytes_ref (message));
        g_assert_false (live_apply_next (all[i]));
        g_assert_false (has_record (all[i]->peer, TEND_TYPE_MESSAGE, tend_record_get_id (TEND_RECORD (m))));
      }
    g_ptr_array_set_size (owner->messages, 0);
  }

  /* A gap: Ben misses one message; the next does not follow his cursor,
   * so nothing of it is applied and he pulls: both changes arrive. */
  {
    g_autoptr(TendClient) first = tend_client_new ("Missed", "Once");
    g_autoptr(TendClient) second = tend_client_new ("Seen", "Twice");

    store_test_save (owner->peer->store, TEND_RECORD (first));
    sync_ok (owner->peer);
    g_bytes_unref (live_next (ben));   /* lost */
    store_test_save (owner->peer->store, TEND_RECORD (second));
    sync_ok (owner->peer);
    g_assert_true (live_apply_next (ben));
    g_assert_false (has_record (ben->peer, TEND_TYPE_CLIENT, tend_record_get_id (TEND_RECORD (second))));
    reads = feed_reads ("ben@live.example");
    sync_ok (ben->peer);
    g_assert_cmpint (feed_reads ("ben@live.example"), >, reads);
    g_assert_true (has_record (ben->peer, TEND_TYPE_CLIENT, tend_record_get_id (TEND_RECORD (first))));
    g_assert_true (has_record (ben->peer, TEND_TYPE_CLIENT, tend_record_get_id (TEND_RECORD (second))));
  }

  /* A note of 40 KB is announced, not carried: the owner pulls it. */
  {
    g_autoptr(TendClinicalNote) note = tend_clinical_note_new (client_id, me (ann->peer), TEND_NOTE_TEMPLATE_SOAP);
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) text = g_string_new (NULL);
    g_autoptr(GBytes) message = NULL;
    gboolean pull = FALSE;

    while (text->len < 40000)
      g_string_append (text, "A long session, written out in full. ");
    tend_record_set_string (TEND_RECORD (note), "service_date", "2026-12-07");
    tend_clinical_note_set_section (note, "subjective", text->str);
    g_assert_true (tend_chart_save_note (ann->peer->store, note, &error));
    g_assert_no_error (error);
    g_ptr_array_set_size (owner->messages, 0);
    sync_ok (ann->peer);
    message = live_next (owner);
    g_assert_false (message_mentions (message, "\"after\""));
    g_assert_true (tend_sync_engine_apply_live (owner->peer->engine, message, &pull, NULL, NULL, &error));
    g_assert_true (pull);
    g_assert_false (has_record (owner->peer, TEND_TYPE_CLINICAL_NOTE, tend_record_get_id (TEND_RECORD (note))));
    sync_ok (owner->peer);
    g_assert_true (has_record (owner->peer, TEND_TYPE_CLINICAL_NOTE, tend_record_get_id (TEND_RECORD (note))));
  }

  /* Still nothing for the other practice. */
  g_assert_cmpuint (other->messages->len, ==, 0);
  live_free (other);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    live_free (all[i]);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(JsonNode) practice = NULL;
  const char *practice_id;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-live/carried-and-filtered", test_live);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Live Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", "owner@live.example",
                         "--owner-name", "Olga Owens", NULL);
  practice_id = test_json_string (practice, "practice_id");
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "ann@live.example",
                               "--name", "Ann Archer", "--role", "clinician", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "ben@live.example",
                               "--name", "Ben Baker", "--role", "clinician", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "add-user", "--practice", practice_id, "--email", "desk@live.example",
                               "--name", "Dee Desk", "--role", "front_desk", NULL));
  json_node_unref (test_admin (pg, PASSWORD, "create-practice", "--name", "Other Practice",
                               "--time-zone", "Europe/Berlin", "--owner-email", "owner@other.example",
                               "--owner-name", "Otto Other", NULL));
  server = test_server_start (pg, NULL);
  rc = g_test_run ();
  test_server_stop (server);
  test_pg_stop (pg);
  return rc;
}
