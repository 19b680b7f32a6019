/* test-reminders.c: a reminder made by a Tend store, sent by tend-server,
 * and its status back in the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole way round, with nothing in between made up: a store books
 * sessions (tend_schedule_save_appointment () makes their reminders),
 * syncs, a real tend-server sends the due reminder through a real SMTP
 * server on loopback (tests/server/smtp-sink.py), writes the outcome into
 * the reminder record, and the next sync brings it to the store.  A
 * session moved in Tend before its reminder was due sends nothing at the
 * old time.
 */
#define G_LOG_DOMAIN "tend-test"

#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "sync-test-peer.h"
#include "tend-schedule.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static TestServer *server;
static TestHelper *sink;

static Peer *
peer_new (const char *email)
{
  return peer_open_as_self (server->base, email, PASSWORD);
}

static char *
server_reminder_status (const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT body::jsonb ->> 'status' FROM record WHERE type = 'reminder'"
                                          " AND id = '%s'", id);
  PGresult *res = test_pg_exec (pg, sql);
  char *status = PQntuples (res) == 1 ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;

  PQclear (res);
  return status;
}

static TendAppointment *
book (Peer       *p,
      const char *email,
      gint64      start_s,
      gboolean    override)
{
  g_autoptr(TendClient) client = tend_client_new ("Mara", "Quinn");
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (start_s);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  g_autoptr(GError) error = NULL;
  TendAppointment *a;

  tend_record_set_string (TEND_RECORD (client), "email", email);
  g_assert_true (tend_store_save (p->store, TEND_RECORD (client), &error));
  g_assert_no_error (error);
  a = tend_appointment_new (tend_sync_engine_get_staff_id (p->engine), start, end);
  tend_record_set_string (TEND_RECORD (a), "client_id", tend_record_get_id (TEND_RECORD (client)));
  if (override)
    {
      tend_record_set_int (TEND_RECORD (a), "override.conflict", 1);
      tend_record_set_string (TEND_RECORD (a), "override.reason", "Group session");
      tend_record_set_string (TEND_RECORD (a), "override.by", tend_sync_engine_get_staff_id (p->engine));
    }
  tend_schedule_save_appointment (p->store, a, zone, &error);
  g_assert_no_error (error);
  return a;
}

static void
test_sent_status_syncs (void)
{
  g_autoptr(Peer) owner = peer_new ("owner@riverbend.example");
  g_autoptr(TendAppointment) kept = NULL;
  g_autoptr(TendAppointment) moved = NULL;
  g_autoptr(TendReminder) reminder = NULL;
  g_autoptr(TendReminder) old = NULL;
  g_autoptr(TendReminder) after = NULL;
  g_autoptr(TendReminder) moved_after = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *old_id = NULL;
  gint64 now_s = g_get_real_time () / G_USEC_PER_SEC;
  gint64 deadline;

  /* Due a few seconds from now: made by the store (a reminder already due
   * would not be made), sent by the server once its time comes. */
  kept = book (owner, "kept@client.example", now_s + 24 * 3600 + 6, FALSE);
  moved = book (owner, "moved@client.example", now_s + 24 * 3600 + 6, TRUE);
  reminder = tend_schedule_get_reminder (owner->store, tend_record_get_id (TEND_RECORD (kept)), &error);
  g_assert_nonnull (reminder);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (reminder), "status"), ==, "pending");
  old = tend_schedule_get_reminder (owner->store, tend_record_get_id (TEND_RECORD (moved)), &error);
  old_id = g_strdup (tend_record_get_id (TEND_RECORD (old)));

  /* The second session moves an hour later in Tend: its reminder with it. */
  {
    g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/Chicago");
    g_autoptr(GDateTime) start = tend_appointment_dup_start (moved);
    g_autoptr(GDateTime) later = g_date_time_add_hours (start, 1);
    g_autoptr(GDateTime) end = g_date_time_add_minutes (later, 50);

    tend_appointment_set_times (moved, later, end);
    g_assert_true (tend_schedule_save_appointment (owner->store, moved, zone, &error));
    g_assert_no_error (error);
  }
  sync_ok (owner);

  g_assert_cmpuint (test_helper_wait_files (sink, "msg-", 1, 30000), ==, 1);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_strcmp0 ((status = server_reminder_status (tend_record_get_id (TEND_RECORD (reminder)))), "pending") == 0 &&
         g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&status, g_free);
      g_usleep (100 * 1000);
    }
  g_assert_cmpstr (status, ==, "sent");

  /* Back in the store by the next sync. */
  sync_ok (owner);
  after = tend_schedule_get_reminder (owner->store, tend_record_get_id (TEND_RECORD (kept)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (after), "status"), ==, "sent");
  g_assert_nonnull (tend_record_get_string (TEND_RECORD (after), "sent_at"));
  g_assert_cmpint (tend_record_get_version (TEND_RECORD (after)), >, tend_record_get_version (TEND_RECORD (reminder)));

  /* The moved session: nothing at the old time, the new reminder waits. */
  g_usleep (1500 * 1000);
  messages = test_helper_files (sink, "msg-");
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_nonnull (strstr (messages->pdata[0], "X-Sink-To: kept@client.example\r\n"));
  {
    g_autofree char *old_status = server_reminder_status (old_id);

    g_assert_cmpstr (old_status, ==, "cancelled");
  }
  moved_after = tend_schedule_get_reminder (owner->store, tend_record_get_id (TEND_RECORD (moved)), &error);
  g_assert_cmpstr (tend_record_get_string (TEND_RECORD (moved_after), "status"), ==, "pending");
  g_assert_cmpstr (tend_record_get_id (TEND_RECORD (moved_after)), !=, old_id);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conf_dir = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *text = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reminders/sent-status-syncs", test_sent_status_syncs);

  pg = test_pg_start ();
  json_node_unref (test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling",
                               "--time-zone", "America/Chicago", "--owner-email", "owner@riverbend.example",
                               "--owner-name", "Olga Owens", NULL));
  sink = test_helper_start ("smtp-sink.py", NULL);
  conf_dir = g_dir_make_tmp ("tend-reminders-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_build_filename (conf_dir, "tend-server.conf", NULL);
  text = g_strdup_printf ("[server]\nsmtp-host=127.0.0.1\nsmtp-port=%u\nsmtp-tls=none\n"
                          "smtp-from=reminders@riverbend.example\nquiet-hours=none\noutbox-poll-interval-ms=100\n",
                          sink->port);
  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);
  server = test_server_start (pg, "--config", conf, NULL);
  rc = g_test_run ();
  test_server_stop (server);
  test_helper_stop (sink);
  test_pg_stop (pg);
  test_remove_folder (conf_dir);
  return rc;
}
