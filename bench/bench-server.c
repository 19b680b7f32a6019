/* bench-server.c: tend-server throughput and memory per idle connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a throwaway PostgreSQL and a real tend-server (as the server
 * tests do), signs in, then:
 *  - throughput: CONNECTIONS keep-alive connections driven by one thread
 *    with poll(), each sending an authenticated GET /v1/changes with the
 *    newest cursor (an empty page: the request a synced client makes most)
 *    as soon as the previous answer arrived, for SECONDS seconds;
 *  - sign-ins: the same load, and then a /healthz probe every 10 ms on a
 *    connection of its own, each once alone and once while SIGNINS
 *    threads sign in with a valid password as fast as they can (each
 *    argon2id check a whole core for tens of milliseconds).  The
 *    throughput kept and /healthz's p99 say whether sign-ins starve the
 *    server (issue 11: at least 80% kept, p99 under 50 ms);
 *  - memory: the server's resident set before and after IDLE live
 *    WebSockets (GET /v1/live, signed in, idle after their first message),
 *    then before and after IDLE keep-alive connections that made one
 *    request each and stay open.
 *
 *   bench-server [--seconds 5] [--connections 64] [--idle 1000] [--pool-size 8] [--signins 16]
 */
#define G_LOG_DOMAIN "tend-bench"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "bench-http.h"
#include "bench-util.h"
#include "server-test-util.h"

#define PASSWORD "correct horse battery"

typedef struct
{
  int     fd;
  GString *in;
  gint64  sent_at;
} Conn;

/* User plus system CPU time of @pid, in microseconds. */
static gint64
cpu_usec (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after_name = strrchr (text, ')')) == NULL)
    return 0;
  /* Fields after the name: state is the 3rd field overall; utime and stime
   * are the 14th and 15th. */
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10)) *
         G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
}

static long
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "VmRSS:")) == NULL)
    return -1;
  return strtol (line + 6, NULL, 10);
}

typedef struct
{
  guint64 ok;
  guint64 failed;
  double  per_second;
  GArray *latencies;          /* ms, of the load's requests */
  GArray *health_latencies;   /* ms, of the /healthz probes (when probing) */
  gint64  cpu_usec;
} Load;

static void
load_clear (Load *load)
{
  g_clear_pointer (&load->latencies, g_array_unref);
  g_clear_pointer (&load->health_latencies, g_array_unref);
}

/* @connections keep-alive connections sending @request back to back for
 * @seconds; with @probe, one more sends GET /healthz every 10 ms. */
static void
run_load (TestServer *server,
          const char *request,
          int         connections,
          int         seconds,
          gboolean    probe,
          Load       *load)
{
  const char *health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  int n_fds = connections + (probe ? 1 : 0);
  g_autofree Conn *conns = g_new0 (Conn, n_fds);
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, n_fds);
  GPid pid = test_server_get_pid (server);
  gint64 start, end, cpu_before, next_probe = 0;
  gboolean probe_waiting = FALSE;

  memset (load, 0, sizeof *load);
  load->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  load->health_latencies = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < n_fds; i++)
    {
      conns[i].fd = connect_to (server->port);
      conns[i].in = g_string_new (NULL);
      pfds[i].fd = conns[i].fd;
      pfds[i].events = POLLIN;
    }
  cpu_before = cpu_usec (pid);
  start = g_get_monotonic_time ();
  end = start + (gint64) seconds * G_USEC_PER_SEC;
  for (int i = 0; i < connections; i++)
    {
      conns[i].sent_at = g_get_monotonic_time ();
      send_all (conns[i].fd, request, strlen (request));
    }
  while (g_get_monotonic_time () < end)
    {
      int n;

      if (probe && !probe_waiting && g_get_monotonic_time () >= next_probe)
        {
          conns[connections].sent_at = g_get_monotonic_time ();
          send_all (conns[connections].fd, health, strlen (health));
          probe_waiting = TRUE;
        }
      n = poll (pfds, (nfds_t) n_fds, probe ? 2 : 100);
      g_assert_cmpint (n, >=, 0);
      for (int i = 0; i < n_fds && n > 0; i++)
        {
          char buffer[16384];
          gssize got;
          gsize used;
          guint status = 0;

          if (!(pfds[i].revents & POLLIN))
            continue;
          got = recv (conns[i].fd, buffer, sizeof buffer, 0);
          g_assert_cmpint (got, >, 0);
          g_string_append_len (conns[i].in, buffer, got);
          while ((used = response_complete (conns[i].in, &status)) > 0)
            {
              gint64 now = g_get_monotonic_time ();
              double ms = (double) (now - conns[i].sent_at) / 1000.0;

              g_string_erase (conns[i].in, 0, (gssize) used);
              if (i == connections)
                {
                  g_assert_cmpuint (status, ==, 200);
                  g_array_append_val (load->health_latencies, ms);
                  probe_waiting = FALSE;
                  next_probe = now + 10 * 1000;
                  continue;
                }
              if (status == 200)
                load->ok++;
              else
                load->failed++;
              g_array_append_val (load->latencies, ms);
              conns[i].sent_at = now;
              send_all (conns[i].fd, request, strlen (request));
            }
        }
    }
  end = g_get_monotonic_time ();
  load->cpu_usec = cpu_usec (pid) - cpu_before;
  load->per_second = (double) load->ok / ((double) (end - start) / G_USEC_PER_SEC);
  for (int i = 0; i < n_fds; i++)
    {
      close (conns[i].fd);
      g_string_free (conns[i].in, TRUE);
    }
}

/* Sign-ins in a loop on a session of their own, until @stop. */
typedef struct
{
  TestServer *server;
  gint       *stop;
  guint       ok;
  guint       other;
} Signer;

static gpointer
signer_thread (gpointer data)
{
  Signer *signer = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (context);
  session = test_session_new ();
  while (!g_atomic_int_get (signer->stop))
    {
      g_autoptr(TestResponse) r = test_request (session, signer->server, "POST", "/v1/session", NULL,
                                                "{\"email\":\"owner@bench.example\",\"password\":\"" PASSWORD "\"}");

      if (r->status == 200)
        signer->ok++;
      else
        signer->other++;
    }
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  int seconds = 5, connections = 64, idle = 1000, signins = 16;
  g_autofree char *pool_size = g_strdup ("8");
  GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "How long to load the server", "N" },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections, "Concurrent keep-alive connections", "N" },
    { "idle", 0, 0, G_OPTION_ARG_INT, &idle, "Idle connections for the memory figure", "N" },
    { "pool-size", 0, 0, G_OPTION_ARG_STRING, &pool_size, "tend-server --pool-size", "N" },
    { "signins", 0, 0, G_OPTION_ARG_INT, &signins, "Threads signing in during the second load", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- tend-server throughput and memory");
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *token = NULL;
  g_autofree char *request = NULL;
  TestPg *pg;
  TestServer *server;
  guint64 ok = 0, failed = 0;
  gint64 cpu = 0;
  double per_second = 0;
  long rss_before, rss_after;
  GPid pid;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (g_getenv ("TEND_SERVER_BIN") == NULL)
    g_setenv ("TEND_SERVER_BIN", TEND_SERVER_BIN, TRUE);

  pg = test_pg_start ();
  created = test_admin (pg, PASSWORD, "create-practice", "--name", "Bench Practice", "--time-zone", "America/Chicago",
                        "--owner-email", "owner@bench.example", "--owner-name", "Bench Owner", NULL);
  /* Sign-ins without limit: the bench wants them all hashed. */
  server = test_server_start (pg, "--pool-size", pool_size, "--login-max-signins", "100000",
                              "--login-max-failures-per-address", "100000", NULL);
  pid = test_server_get_pid (server);
  session = test_session_new ();
  token = test_login (session, server, "owner@bench.example", PASSWORD);
  {
    g_autoptr(TestResponse) r = test_request (session, server, "GET", "/v1/changes", token, NULL);

    request = g_strdup_printf ("GET /v1/changes?cursor=%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Authorization: Bearer %s\r\n\r\n",
                               test_json_string (r->json, "cursor"), token);
  }

  /* Throughput */
  {
    Load load;

    run_load (server, request, connections, seconds, FALSE, &load);
    ok = load.ok;
    failed = load.failed;
    per_second = load.per_second;
    cpu = load.cpu_usec;
    g_array_append_vals (latencies, load.latencies->data, load.latencies->len);
    load_clear (&load);
  }

  printf ("server-changes-connections: %d\n", connections);
  printf ("server-changes-requests: %" G_GUINT64_FORMAT "\n", ok);
  printf ("server-changes-failed: %" G_GUINT64_FORMAT "\n", failed);
  printf ("server-changes-per-second: %.0f\n", per_second);
  bench_print_ms ("server-changes-p50-ms", bench_percentile (latencies, 50));
  bench_print_ms ("server-changes-p99-ms", bench_percentile (latencies, 99));
  /* Less sensitive to other load on the machine than requests per second. */
  printf ("server-cpu-us-per-request: %.1f\n", ok > 0 ? (double) cpu / (double) ok : 0.0);

  /* Sign-ins against the load and against /healthz */
  {
    Load alone, crowded, probe_alone, probe_crowded;
    gint stop = 0;
    g_autofree Signer *signers = g_new0 (Signer, signins);
    g_autofree GThread **threads = g_new0 (GThread *, signins);
    guint signed_in = 0, refused = 0;

    run_load (server, request, connections, seconds, FALSE, &alone);
    run_load (server, request, 0, seconds, TRUE, &probe_alone);
    for (int i = 0; i < signins; i++)
      {
        signers[i].server = server;
        signers[i].stop = &stop;
        threads[i] = g_thread_new ("signer", signer_thread, &signers[i]);
      }
    /* Let the sign-in queue fill first. */
    g_usleep (500 * 1000);
    run_load (server, request, connections, seconds, FALSE, &crowded);
    run_load (server, request, 0, seconds, TRUE, &probe_crowded);
    g_atomic_int_set (&stop, 1);
    for (int i = 0; i < signins; i++)
      {
        g_thread_join (threads[i]);
        signed_in += signers[i].ok;
        refused += signers[i].other;
      }
    printf ("server-signin-threads: %d\n", signins);
    printf ("server-changes-per-second-alone: %.0f\n", alone.per_second);
    printf ("server-changes-per-second-with-signins: %.0f\n", crowded.per_second);
    printf ("server-changes-kept-with-signins-percent: %.0f\n",
            alone.per_second > 0 ? 100.0 * crowded.per_second / alone.per_second : 0.0);
    bench_print_ms ("server-healthz-p50-ms-alone", bench_percentile (probe_alone.health_latencies, 50));
    bench_print_ms ("server-healthz-p99-ms-alone", bench_percentile (probe_alone.health_latencies, 99));
    bench_print_ms ("server-healthz-p50-ms-with-signins", bench_percentile (probe_crowded.health_latencies, 50));
    bench_print_ms ("server-healthz-p99-ms-with-signins", bench_percentile (probe_crowded.health_latencies, 99));
    printf ("server-signins-done: %u\n", signed_in);
    printf ("server-signins-told-to-wait: %u\n", refused);
    load_clear (&alone);
    load_clear (&crowded);
    load_clear (&probe_alone);
    load_clear (&probe_crowded);
  }

  /* Memory per idle live WebSocket */
  g_usleep (500 * 1000);
  rss_before = rss_kib (pid);
  {
    g_autofree int *fds = g_new0 (int, idle);
    g_autofree char *upgrade = g_strdup_printf ("GET /v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n", token);

    for (int i = 0; i < idle; i++)
      {
        GString *in = g_string_new (NULL);
        char buffer[4096];

        fds[i] = connect_to (server->port);
        send_all (fds[i], upgrade, strlen (upgrade));
        /* The 101 and the first {"type":"changes"} frame. */
        while (strstr (in->str, "\r\n\r\n") == NULL || strstr (in->str, "changes") == NULL)
          {
            gssize got = recv (fds[i], buffer, sizeof buffer - 1, 0);

            g_assert_cmpint (got, >, 0);
            g_string_append_len (in, buffer, got);
          }
        g_assert_true (g_str_has_prefix (in->str, "HTTP/1.1 101"));
        g_string_free (in, TRUE);
      }
    g_usleep (500 * 1000);
    rss_after = rss_kib (pid);
    {
      g_autoptr(TestResponse) m = test_request (session, server, "GET", "/metrics", NULL, NULL);
      g_autofree char *expected = g_strdup_printf ("tend_live_connections %d\n", idle);

      g_assert_nonnull (strstr (m->body, expected));
    }
    printf ("server-live-connections: %d\n", idle);
    printf ("server-rss-before-live-kib: %ld\n", rss_before);
    printf ("server-rss-with-live-kib: %ld\n", rss_after);
    printf ("server-kib-per-1000-live: %.0f\n", (double) (rss_after - rss_before) * 1000.0 / idle);
    for (int i = 0; i < idle; i++)
      close (fds[i]);
  }

  /* Memory per idle connection */
  g_usleep (500 * 1000);
  rss_before = rss_kib (pid);
  {
    g_autofree int *fds = g_new0 (int, idle);
    const char *health = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    for (int i = 0; i < idle; i++)
      {
        GString *in = g_string_new (NULL);
        char buffer[4096];
        guint status = 0;

        fds[i] = connect_to (server->port);
        send_all (fds[i], health, strlen (health));
        while (response_complete (in, &status) == 0)
          {
            gssize got = recv (fds[i], buffer, sizeof buffer, 0);

            g_assert_cmpint (got, >, 0);
            g_string_append_len (in, buffer, got);
          }
        g_assert_cmpuint (status, ==, 200);
        g_string_free (in, TRUE);
      }
    g_usleep (500 * 1000);
    rss_after = rss_kib (pid);
    printf ("server-idle-connections: %d\n", idle);
    printf ("server-rss-before-kib: %ld\n", rss_before);
    printf ("server-rss-with-idle-kib: %ld\n", rss_after);
    printf ("server-kib-per-1000-idle: %.0f\n", (double) (rss_after - rss_before) * 1000.0 / idle);
    for (int i = 0; i < idle; i++)
      close (fds[i]);
  }

  test_server_stop (server);
  test_pg_stop (pg);
  return 0;
}
