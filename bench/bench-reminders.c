/* bench-reminders.c: 10,000 due reminders through the outbox, and what
 * that does to the sync endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL, a real tend-server and a real SMTP server on
 * loopback (tests/server/smtp-sink.py: aiosmtpd, STARTTLS and AUTH
 * required, each message written to a file).  N clients, N sessions and
 * their N reminders, all due, are pushed through the API as Tend pushes
 * them, by a server with reminders off.  Then:
 *
 *  - baseline: the same server configuration with reminders off, and a
 *    sync load of CLIENTS threads, each every 100 ms: GET /v1/changes with
 *    its cursor (a store keeping up) and POST /v1/push of one client edit,
 *    for SECONDS seconds; p50 and p95 of each;
 *  - the run: a fresh server with reminders on, serving the same sync load
 *    while it sends; the time from its start until the SMTP server holds N
 *    messages (issue 13's target: 10,000 in 30 s), every reminder written
 *    back as sent, and the sync endpoints' p50 and p95 meanwhile (target:
 *    p95 within 1.5x of the baseline's).
 *
 *   bench-reminders [--reminders 10000] [--clients 4] [--seconds 10] [--senders 2] [--batch 50]
 *                   [--rate 0] [--relay-nice]
 *
 * On one machine the SMTP server (Python) takes a core of its own from the
 * server and PostgreSQL; --relay-nice runs it at nice 19, nearer to a
 * relay on another machine.
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-util.h"
#include "server-test-util.h"

#define PASSWORD "correct horse battery"

static TestPg *pg;
static char *dir;
static char *token;
static char *practice_id;
static guint n_reminders = 10000, n_clients = 4, seconds = 10, senders = 2, batch = 50;
static gboolean relay_nice;
static guint rate;

typedef struct
{
  TestServer *server;
  guint       index;
  char       *client_id;
  gint64      version;
  GArray     *changes_ms;
  GArray     *push_ms;
  guint64     records;      /* changes received */
  char       *cursor;
} Loader;

static gint stop_load;

/* Pushes @ops (a JSON array's inside) as one request, every one applied. */
static void
push_ops (SoupSession *session,
          TestServer  *server,
          const char  *ops)
{
  g_autofree char *payload = g_strdup_printf ("{\"ops\":[%s]}", ops);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, payload);
  JsonArray *results;

  g_assert_cmpuint (r->status, ==, 200);
  results = json_node_get_array (test_json_get (r->json, "results"));
  for (guint i = 0; i < json_array_get_length (results); i++)
    if (g_strcmp0 (test_json_string (json_array_get_element (results, i), "status"), "applied") != 0)
      g_error ("push refused: %s", r->body);
}

static char *
iso (gint64 unix_s)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (unix_s);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

/* N clients, sessions and reminders due now, 500 operations a push. */
static void
load (TestServer *server)
{
  g_autoptr(SoupSession) session = test_session_new ();
  g_autoptr(GString) ops = g_string_new (NULL);
  gint64 base = (g_get_real_time () / G_USEC_PER_SEC / 60) * 60 + 24 * 3600 - 60;
  guint in_batch = 0;

  for (guint i = 0; i < n_reminders; i++)
    {
      g_autofree char *client = g_uuid_string_random ();
      g_autofree char *appointment = g_uuid_string_random ();
      g_autofree char *reminder = g_uuid_string_random ();
      g_autofree char *clinician = g_uuid_string_random ();
      /* Spread over the last minutes: all due, in send_at order. */
      gint64 start = base - (gint64) (i % 600);
      g_autofree char *s = iso (start);
      g_autofree char *e = iso (start + 50 * 60);
      g_autofree char *send_at = iso (start - 24 * 3600);

      g_string_append_printf (ops, "%s{\"op_id\":\"c%u\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,"
                              "\"body\":{\"legal_given\":\"Client\",\"legal_family\":\"Number %u\",\"status\":\"active\","
                              "\"email\":\"client-%05u@bench.example\"%s}}",
                              ops->len > 0 ? "," : "", i, client, i, i, i % 3 == 0 ? ",\"language\":\"es\"" : "");
      g_string_append_printf (ops, ",{\"op_id\":\"a%u\",\"type\":\"appointment\",\"id\":\"%s\",\"base_version\":0,"
                              "\"body\":{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\","
                              "\"modality\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"status\":\"scheduled\"}}",
                              i, appointment, client, clinician, i % 2 ? "telehealth" : "in_person", s, e);
      g_string_append_printf (ops, ",{\"op_id\":\"r%u\",\"type\":\"reminder\",\"id\":\"%s\",\"base_version\":0,"
                              "\"body\":{\"appointment_id\":\"%s\",\"client_id\":\"%s\",\"channel\":\"email\","
                              "\"send_at\":\"%s\",\"status\":\"pending\"}}",
                              i, reminder, appointment, client, send_at);
      if (++in_batch == 150 || i + 1 == n_reminders)
        {
          push_ops (session, server, ops->str);
          g_string_truncate (ops, 0);
          in_batch = 0;
        }
    }
  PQclear (test_pg_exec (pg, "ANALYZE"));
}

static double
timed (SoupSession *session,
       TestServer  *server,
       const char  *method,
       const char  *path,
       const char  *body,
       TestResponse **out)
{
  gint64 t0 = g_get_monotonic_time ();

  *out = test_request (session, server, method, path, token, body);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* A store's traffic: pull with its cursor, push one edit, every 100 ms. */
static gpointer
loader_thread (gpointer data)
{
  Loader *l = data;
  g_autoptr(SoupSession) session = test_session_new ();
  gint64 next = g_get_monotonic_time ();
  guint n = 0;

  while (!g_atomic_int_get (&stop_load))
    {
      TestResponse *r = NULL;
      double ms;

      if (n++ % 2 == 0)
        {
          g_autofree char *path = l->cursor != NULL ? g_strdup_printf ("/v1/changes?cursor=%s&limit=1000", l->cursor)
                                                    : g_strdup ("/v1/changes?limit=1000");

          ms = timed (session, l->server, "GET", path, NULL, &r);
          g_assert_cmpuint (r->status, ==, 200);
          g_free (l->cursor);
          l->cursor = g_strdup (test_json_string (r->json, "cursor"));
          l->records += json_array_get_length (json_node_get_array (test_json_get (r->json, "changes")));
          g_array_append_val (l->changes_ms, ms);
        }
      else
        {
          g_autofree char *op = g_uuid_string_random ();
          g_autofree char *body = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\","
                                                   "\"base_version\":%" G_GINT64_FORMAT ",\"body\":{\"legal_given\":\"Load\","
                                                   "\"legal_family\":\"Edit %u\",\"status\":\"active\"}}]}",
                                                   op, l->client_id, l->version, n);

          ms = timed (session, l->server, "POST", "/v1/push", body, &r);
          g_assert_cmpuint (r->status, ==, 200);
          g_assert_cmpstr (test_json_string (r->json, "results.0.status"), ==, "applied");
          l->version++;
          g_array_append_val (l->push_ms, ms);
        }
      test_response_free (r);
      next += 100 * 1000;
      if (next > g_get_monotonic_time ())
        g_usleep ((gulong) (next - g_get_monotonic_time ()));
    }
  return NULL;
}

static Loader *
loaders_new (TestServer *server)
{
  Loader *loaders = g_new0 (Loader, n_clients);
  g_autoptr(SoupSession) session = test_session_new ();

  for (guint i = 0; i < n_clients; i++)
    {
      g_autofree char *op = g_uuid_string_random ();
      g_autofree char *ops = NULL;

      loaders[i].index = i;
      loaders[i].client_id = g_uuid_string_random ();
      loaders[i].changes_ms = g_array_new (FALSE, FALSE, sizeof (double));
      loaders[i].push_ms = g_array_new (FALSE, FALSE, sizeof (double));
      ops = g_strdup_printf ("{\"op_id\":\"%s\",\"type\":\"client\",\"id\":\"%s\",\"base_version\":0,"
                             "\"body\":{\"legal_given\":\"Load\",\"legal_family\":\"Client %u\",\"status\":\"active\"}}",
                             op, loaders[i].client_id, i);
      push_ops (session, server, ops);
      loaders[i].version = 1;
    }
  /* Each store starts caught up, as one that synced a minute ago. */
  for (guint i = 0; i < n_clients; i++)
    for (gboolean more = TRUE; more;)
      {
        g_autofree char *path = loaders[i].cursor != NULL
                                ? g_strdup_printf ("/v1/changes?cursor=%s&limit=1000", loaders[i].cursor)
                                : g_strdup ("/v1/changes?limit=1000");
        g_autoptr(TestResponse) r = test_request (session, server, "GET", path, token, NULL);

        g_assert_cmpuint (r->status, ==, 200);
        g_free (loaders[i].cursor);
        loaders[i].cursor = g_strdup (test_json_string (r->json, "cursor"));
        more = json_node_get_boolean (test_json_get (r->json, "has_more"));
      }
  return loaders;
}

static GThread **
loaders_start (Loader     *loaders,
               TestServer *server)
{
  GThread **threads = g_new0 (GThread *, n_clients);

  g_atomic_int_set (&stop_load, 0);
  for (guint i = 0; i < n_clients; i++)
    {
      loaders[i].server = server;
      g_array_set_size (loaders[i].changes_ms, 0);
      g_array_set_size (loaders[i].push_ms, 0);
      loaders[i].records = 0;
      threads[i] = g_thread_new ("load", loader_thread, &loaders[i]);
    }
  return threads;
}

static void
loaders_stop (Loader   *loaders,
              GThread **threads,
              const char *label)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pushes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *k1 = NULL, *k2 = NULL, *k3 = NULL, *k4 = NULL, *k5 = NULL;
  guint64 records = 0;

  g_atomic_int_set (&stop_load, 1);
  for (guint i = 0; i < n_clients; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (changes, loaders[i].changes_ms->data, loaders[i].changes_ms->len);
      g_array_append_vals (pushes, loaders[i].push_ms->data, loaders[i].push_ms->len);
      records += loaders[i].records;
    }
  g_free (threads);
  printf ("%s_requests: %u\n", label, changes->len + pushes->len);
  k1 = g_strdup_printf ("%s_changes_p50_ms", label);
  k2 = g_strdup_printf ("%s_changes_p95_ms", label);
  k3 = g_strdup_printf ("%s_push_p50_ms", label);
  k4 = g_strdup_printf ("%s_push_p95_ms", label);
  bench_print_ms (k1, bench_percentile (changes, 50));
  bench_print_ms (k2, bench_percentile (changes, 95));
  bench_print_ms (k3, bench_percentile (pushes, 50));
  bench_print_ms (k4, bench_percentile (pushes, 95));
  /* Pages carry what changed meanwhile: during the run, the reminders
   * written back as sent. */
  k5 = g_strdup_printf ("%s_changes_per_page", label);
  bench_print_ms (k5, changes->len > 0 ? (double) records / changes->len : 0);
}

static TestServer *
server_start (TestHelper *sink,
              gboolean    reminders)
{
  g_autofree char *conf = g_build_filename (dir, reminders ? "on.conf" : "off.conf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  text = g_strdup_printf ("[server]\nsmtp-host=localhost\nsmtp-port=%u\nsmtp-tls=starttls\nsmtp-user=bench\n"
                          "smtp-password-file=%s/password\nsmtp-ca-file=%s/relay.crt\n"
                          "smtp-from=reminders@bench.example\nportal-url=https://bench.example/portal/\n"
                          "quiet-hours=none\nreminders=%s\noutbox-senders=%u\noutbox-batch=%u\n"
                          "outbox-poll-interval-ms=200\noutbox-rate=%u\n",
                          sink->port, dir, dir, reminders ? "true" : "false", senders, batch, rate);
  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);
  return test_server_start (pg, "--config", conf, NULL);
}

static void
make_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = g_build_filename (dir, "relay.crt", NULL);
  g_autofree char *key = g_build_filename (dir, "relay.key", NULL);
  g_autofree char *password = g_build_filename (dir, "password", NULL);
  g_autoptr(GSubprocess) openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                     &error, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                                     "-days", "2", "-subj", "/CN=localhost",
                                                     "-addext", "subjectAltName=DNS:localhost",
                                                     "-keyout", key, "-out", cert, NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
  g_file_set_contents (password, "bench relay password\n", -1, &error);
  g_assert_no_error (error);
  g_chmod (password, 0600);
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "reminders", 0, 0, G_OPTION_ARG_INT, &n_reminders, "Due reminders (10000)", "N" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &n_clients, "Sync clients, a request each 100 ms (4)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Baseline measurement (10)", "S" },
    { "senders", 0, 0, G_OPTION_ARG_INT, &senders, "outbox-senders (2)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "outbox-batch (50)", "N" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "outbox-rate (0: no limit)", "N" },
    { "relay-nice", 0, 0, G_OPTION_ARG_NONE, &relay_nice,
      "Run the SMTP server at nice 19 (as if it were on another machine)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- reminders through the outbox");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *password = NULL;
  TestHelper *sink;
  TestServer *server;
  Loader *loaders;
  GThread **threads;
  gint64 t0, t_done;
  guint have;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (g_getenv ("TEND_SERVER_BIN") == NULL)
    g_setenv ("TEND_SERVER_BIN", TEND_SERVER_BIN, TRUE);
  dir = g_dir_make_tmp ("bench-reminders-XXXXXX", &error);
  g_assert_no_error (error);
  make_files ();
  cert = g_build_filename (dir, "relay.crt", NULL);
  key = g_build_filename (dir, "relay.key", NULL);
  password = g_build_filename (dir, "password", NULL);

  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Riverbend Counseling",
                         "--time-zone", "America/Chicago", "--owner-email", "owner@bench.example",
                         "--owner-name", "Olive Owner", NULL);
  practice_id = g_strdup (test_json_string (practice, "practice_id"));
  sink = test_helper_start ("smtp-sink.py", "--tls", cert, key, "--auth", "bench", password, NULL);
  if (relay_nice)
    setpriority (PRIO_PROCESS, (id_t) g_ascii_strtoll (g_subprocess_get_identifier (sink->proc), NULL, 10), 19);
  session = test_session_new ();

  g_printerr ("loading %u clients, sessions and due reminders\n", n_reminders);
  server = server_start (sink, FALSE);
  token = test_login (session, server, "owner@bench.example", PASSWORD);
  t0 = g_get_monotonic_time ();
  load (server);
  bench_print_ms ("load_s", (g_get_monotonic_time () - t0) / 1e6);
  loaders = loaders_new (server);
  test_server_stop (server);

  /* Baseline: a fresh server, reminders off. */
  server = server_start (sink, FALSE);
  threads = loaders_start (loaders, server);
  g_usleep ((gulong) seconds * G_USEC_PER_SEC);
  loaders_stop (loaders, threads, "baseline");
  test_server_stop (server);

  /* The run: a fresh server with reminders on, serving the same load
   * while it sends. */
  server = server_start (sink, TRUE);
  t0 = g_get_monotonic_time ();
  threads = loaders_start (loaders, server);
  have = test_helper_wait_files (sink, "msg-", n_reminders, 300 * 1000);
  t_done = g_get_monotonic_time ();
  loaders_stop (loaders, threads, "during");
  printf ("reminders: %u\n", n_reminders);
  printf ("messages_received: %u\n", have);
  bench_print_ms ("handed_to_smtp_s", (t_done - t0) / 1e6);
  bench_print_ms ("per_second", have / ((t_done - t0) / 1e6));
  {
    PGresult *res = test_pg_exec (pg, "SELECT count (*) FILTER (WHERE body::jsonb ->> 'status' = 'sent'),"
                                      " count (*) FILTER (WHERE body::jsonb ->> 'status' <> 'sent')"
                                      " FROM record WHERE type = 'reminder'");

    printf ("reminders_marked_sent: %s\nreminders_not_sent: %s\n", PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 1));
    PQclear (res);
  }
  test_server_stop (server);
  test_helper_stop (sink);
  test_pg_stop (pg);
  test_remove_folder (dir);
  return have == n_reminders ? 0 : 1;
}
