/* bench-portal.c: the client portal under 200 clients at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A throwaway PostgreSQL and a real tend-server (as the server tests
 * start them).  The practice has CLIENTS clients, each with a portal
 * account and session, three appointments, a thread of five messages and
 * two forms.  Then CLIENTS keep-alive connections, one per client, each
 * with its own session cookie, ask in turn for what the portal's pages
 * load: the page (GET /portal/), /v1/portal/me, /v1/portal/appointments,
 * /v1/portal/conversations/ID/messages and /v1/portal/forms:
 *
 *  - people: each client waits THINK ms (0.5 to 1.5 times, at random)
 *    between requests, as a person reading the page does; the latency
 *    of each request from its sending to its answer on loopback (so the
 *    server's time plus the loopback's) by kind, p50 and p95 (the issue's
 *    target: p95 <= 20 ms with 200 clients);
 *  - saturation: the same connections send back to back for SECONDS,
 *    requests per second and the same percentiles (all queueing);
 *  - live: every client's page holds its event stream open
 *    (GET /v1/portal/events); ROUNDS times, a staff message is pushed
 *    through /v1/push (as Tend pushes it) into one client's thread, and
 *    the time from sending the push to that client's stream naming the
 *    thread is taken (p50, p95, max); every other stream must hear
 *    nothing of it.
 *
 *   bench-portal [--clients 200] [--seconds 10] [--think 1000] [--rounds 200]
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
#define N_KINDS 5

static const char * const kind_names[N_KINDS] = { "page", "me", "appointments", "messages", "forms" };

typedef struct
{
  int      fd;
  GString *in;
  gint64   sent_at;
  gint64   next_at;     /* when to send (people) */
  gboolean waiting;
  guint    kind;
  char    *requests[N_KINDS];
} Conn;

static void
push_ops (SoupSession *session,
          TestServer  *server,
          const char  *token,
          GString     *ops)
{
  g_autofree char *body = g_strdup_printf ("{\"ops\":[%s]}", ops->str);
  g_autoptr(TestResponse) r = test_request (session, server, "POST", "/v1/push", token, body);

  g_assert_cmpuint (r->status, ==, 200);
  if (strstr (r->body, "\"rejected\"") != NULL)
    g_error ("push rejected: %s", r->body);
  g_string_truncate (ops, 0);
}

static void
add_op (GString    *ops,
        const char *type,
        const char *id,
        const char *body)
{
  g_autofree char *op = g_uuid_string_random ();

  if (ops->len > 0)
    g_string_append_c (ops, ',');
  g_string_append_printf (ops, "{\"op_id\":\"%s\",\"type\":\"%s\",\"id\":\"%s\",\"base_version\":0,\"body\":%s}",
                          op, type, id, body);
}

static char *
iso_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:00Z");
}

typedef struct
{
  GArray  *latencies[N_KINDS];
  GArray  *all;
  guint64  failed;
  double   per_second;
} Result;

static void
result_clear (Result *r)
{
  for (guint k = 0; k < N_KINDS; k++)
    g_clear_pointer (&r->latencies[k], g_array_unref);
  g_clear_pointer (&r->all, g_array_unref);
}

/* @think_ms 0: back to back. */
static void
run (TestServer *server,
     Conn       *conns,
     int         n,
     int         seconds,
     int         think_ms,
     Result     *result)
{
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, n);
  gint64 start, end;
  guint64 ok = 0;

  memset (result, 0, sizeof *result);
  for (guint k = 0; k < N_KINDS; k++)
    result->latencies[k] = g_array_new (FALSE, FALSE, sizeof (double));
  result->all = g_array_new (FALSE, FALSE, sizeof (double));
  start = g_get_monotonic_time ();
  end = start + (gint64) seconds * G_USEC_PER_SEC;
  for (int i = 0; i < n; i++)
    {
      conns[i].fd = connect_to (server->port);
      conns[i].in = g_string_new (NULL);
      conns[i].waiting = FALSE;
      /* People arrive spread over the first think time. */
      conns[i].next_at = think_ms > 0 ? start + g_random_int_range (0, think_ms * 1000) : start;
      pfds[i].fd = conns[i].fd;
      pfds[i].events = POLLIN;
    }
  while (g_get_monotonic_time () < end)
    {
      gint64 now = g_get_monotonic_time ();
      int got;

      for (int i = 0; i < n; i++)
        if (!conns[i].waiting && now >= conns[i].next_at)
          {
            conns[i].kind = (conns[i].kind + 1) % N_KINDS;
            conns[i].sent_at = g_get_monotonic_time ();
            conns[i].waiting = TRUE;
            send_all (conns[i].fd, conns[i].requests[conns[i].kind], strlen (conns[i].requests[conns[i].kind]));
          }
      got = poll (pfds, (nfds_t) n, 1);
      g_assert_cmpint (got, >=, 0);
      for (int i = 0; i < n && got > 0; i++)
        {
          char buffer[65536];
          gssize r;
          gsize used;
          guint status = 0;

          if (!(pfds[i].revents & POLLIN))
            continue;
          r = recv (conns[i].fd, buffer, sizeof buffer, 0);
          g_assert_cmpint (r, >, 0);
          g_string_append_len (conns[i].in, buffer, r);
          while ((used = response_complete (conns[i].in, &status)) > 0)
            {
              gint64 at = g_get_monotonic_time ();
              double ms = (double) (at - conns[i].sent_at) / 1000.0;

              g_string_erase (conns[i].in, 0, (gssize) used);
              if (status == 200)
                ok++;
              else
                result->failed++;
              g_array_append_val (result->latencies[conns[i].kind], ms);
              g_array_append_val (result->all, ms);
              conns[i].waiting = FALSE;
              conns[i].next_at = think_ms > 0 ? at + (gint64) g_random_int_range (think_ms * 500, think_ms * 1500) : at;
            }
        }
    }
  result->per_second = (double) ok / ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  for (int i = 0; i < n; i++)
    {
      close (conns[i].fd);
      g_string_free (conns[i].in, TRUE);
    }
}

/* The live phase: @n streams open at once; @rounds pushes, each into one
 * client's thread, timed to that client's event. */
static void
live_run (TestServer  *server,
          SoupSession *session,
          const char  *token,
          const char  *staff_id,
          char       **cookies,
          char       **conversations,
          int          n,
          int          rounds)
{
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, n);
  g_autofree GString **in = g_new0 (GString *, n);
  g_autofree int *heard = g_new0 (int, n);
  g_autofree int *sent = g_new0 (int, n);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  int ready = 0, crosstalk = 0;
  gint64 deadline;

  for (int i = 0; i < n; i++)
    {
      g_autofree char *request = g_strdup_printf ("GET /v1/portal/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                  "Accept: text/event-stream\r\nCookie: tend_portal=%s\r\n\r\n",
                                                  cookies[i]);

      pfds[i].fd = connect_to (server->port);
      pfds[i].events = POLLIN;
      in[i] = g_string_new (NULL);
      send_all (pfds[i].fd, request, strlen (request));
    }
  /* Each stream's events since the last look: "ready" once, then
   * "conversation" for each message of its client's. */
#define DRAIN(timeout_ms)                                                                   \
  G_STMT_START {                                                                            \
    int got_ = poll (pfds, (nfds_t) n, (timeout_ms));                                       \
    g_assert_cmpint (got_, >=, 0);                                                          \
    for (int i_ = 0; i_ < n && got_ > 0; i_++)                                              \
      {                                                                                     \
        char buffer_[16384];                                                                \
        gssize r_;                                                                          \
        char *at_;                                                                          \
        if (!(pfds[i_].revents & POLLIN))                                                   \
          continue;                                                                         \
        r_ = recv (pfds[i_].fd, buffer_, sizeof buffer_, 0);                                \
        g_assert_cmpint (r_, >, 0);                                                         \
        g_string_append_len (in[i_], buffer_, r_);                                          \
        while ((at_ = strstr (in[i_]->str, "\n\n")) != NULL)                                \
          {                                                                                 \
            gsize len_ = (gsize) (at_ - in[i_]->str) + 2;                                   \
            if (strstr (in[i_]->str, "event: ready") != NULL &&                              \
                (gsize) (strstr (in[i_]->str, "event: ready") - in[i_]->str) < len_)         \
              ready++;                                                                      \
            else if (strstr (in[i_]->str, "event: conversation") != NULL &&                  \
                     (gsize) (strstr (in[i_]->str, "event: conversation") - in[i_]->str) < len_) \
              heard[i_]++;                                                                  \
            g_string_erase (in[i_], 0, (gssize) len_);                                      \
          }                                                                                 \
      }                                                                                     \
  } G_STMT_END

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (ready < n && g_get_monotonic_time () < deadline)
    DRAIN (10);
  g_assert_cmpint (ready, ==, n);
  for (int r = 0; r < rounds; r++)
    {
      int target = g_random_int_range (0, n);
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *op = g_uuid_string_random ();
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *sent_at = g_date_time_format_iso8601 (now);
      g_autofree char *payload = g_strdup_printf ("{\"ops\":[{\"op_id\":\"%s\",\"type\":\"message\",\"id\":\"%s\","
                                                  "\"base_version\":0,\"body\":{\"conversation_id\":\"%s\","
                                                  "\"author_id\":\"%s\",\"text\":\"Live %d\",\"sent_at\":\"%s\"}}]}",
                                                  op, id, conversations[target], staff_id, r, sent_at);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(TestResponse) pushed = NULL;
      int before = heard[target];
      double ms;

      pushed = test_request (session, server, "POST", "/v1/push", token, payload);
      g_assert_cmpuint (pushed->status, ==, 200);
      sent[target]++;
      deadline = start + 10 * G_USEC_PER_SEC;
      while (heard[target] == before && g_get_monotonic_time () < deadline)
        DRAIN (1);
      g_assert_cmpint (heard[target], ==, before + 1);
      ms = (double) (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (latencies, ms);
    }
  /* Late events, if any, would be cross-talk too. */
  DRAIN (200);
#undef DRAIN
  for (int i = 0; i < n; i++)
    {
      crosstalk += ABS (heard[i] - sent[i]);
      close (pfds[i].fd);
      g_string_free (in[i], TRUE);
    }
  printf ("live-streams: %d\nlive-rounds: %d\n", n, rounds);
  bench_print_ms ("live-push-to-event-p50-ms", bench_percentile (latencies, 50));
  bench_print_ms ("live-push-to-event-p95-ms", bench_percentile (latencies, 95));
  bench_print_ms ("live-push-to-event-max-ms", bench_percentile (latencies, 100));
  printf ("live-events-to-other-clients: %d\n", crosstalk);
  g_assert_cmpint (crosstalk, ==, 0);
}

static void
print_result (const char *label,
              Result     *r)
{
  g_autofree char *rate = g_strdup_printf ("%s-requests-per-second", label);

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autofree char *p50 = g_strdup_printf ("%s-%s-p50-ms", label, kind_names[k]);
      g_autofree char *p95 = g_strdup_printf ("%s-%s-p95-ms", label, kind_names[k]);

      bench_print_ms (p50, bench_percentile (r->latencies[k], 50));
      bench_print_ms (p95, bench_percentile (r->latencies[k], 95));
    }
  {
    g_autofree char *p50 = g_strdup_printf ("%s-all-p50-ms", label);
    g_autofree char *p95 = g_strdup_printf ("%s-all-p95-ms", label);
    g_autofree char *p99 = g_strdup_printf ("%s-all-p99-ms", label);

    bench_print_ms (p50, bench_percentile (r->all, 50));
    bench_print_ms (p95, bench_percentile (r->all, 95));
    bench_print_ms (p99, bench_percentile (r->all, 99));
  }
  bench_print_ms (rate, r->per_second);
  printf ("%s-failed: %" G_GUINT64_FORMAT "\n", label, r->failed);
}

int
main (int    argc,
      char **argv)
{
  int clients = 200, seconds = 10, think = 1000, rounds = 200;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Clients at once (one connection and session each)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "Seconds each run lasts", "S" },
    { "think", 0, 0, G_OPTION_ARG_INT, &think, "A person's pause between requests, on average", "MS" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Messages pushed while every client's stream is open", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- the client portal under load");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) practice = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GString) ops = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree Conn *conns = NULL;
  g_auto(GStrv) cookies = NULL;
  g_auto(GStrv) conversations = NULL;
  g_autofree char *token = NULL;
  g_autofree char *now = iso_in (-600);
  const char *practice_id, *staff_id;
  TestPg *pg;
  TestServer *server;
  Result people, saturated;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_setenv ("TEND_SERVER_BIN", TEND_SERVER_BIN, FALSE);
  pg = test_pg_start ();
  practice = test_admin (pg, PASSWORD, "create-practice", "--name", "Bench Counseling", "--time-zone", "America/Chicago",
                         "--owner-email", "owner@bench.example", "--owner-name", "Olive Owner", NULL);
  practice_id = test_json_string (practice, "practice_id");
  staff_id = test_json_string (practice, "staff_id");
  server = test_server_start (pg, NULL);
  session = test_session_new ();
  token = test_login (session, server, "owner@bench.example", PASSWORD);

  conns = g_new0 (Conn, clients);
  cookies = g_new0 (char *, clients + 1);
  conversations = g_new0 (char *, clients + 1);
  for (int i = 0; i < clients; i++)
    {
      g_autofree char *client = g_uuid_string_random ();
      g_autofree char *conversation = g_uuid_string_random ();
      g_autofree char *account = g_uuid_string_random ();
      g_autofree char *body = g_strdup_printf ("{\"legal_given\":\"Client\",\"legal_family\":\"N%d\",\"status\":\"active\"}", i);
      g_autofree char *cookie = g_strdup_printf ("bench-session-%d-abcdefghijklmnopqrstuvwxyz", i);

      add_op (ops, "client", client, body);
      for (int a = 0; a < 3; a++)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *start = iso_in ((gint64) (i * 3 + a + 1) * 3600);
          g_autofree char *stop = iso_in ((gint64) (i * 3 + a + 1) * 3600 + 3000);
          g_autofree char *appt = g_strdup_printf ("{\"kind\":\"session\",\"client_id\":\"%s\",\"clinician_id\":\"%s\","
                                                   "\"modality\":\"in_person\",\"start\":\"%s\",\"end\":\"%s\","
                                                   "\"status\":\"scheduled\"}", client, staff_id, start, stop);

          add_op (ops, "appointment", id, appt);
        }
      {
        g_autofree char *conv = g_strdup_printf ("{\"subject\":\"Scheduling\",\"members\":[\"%s\"],\"client_id\":\"%s\","
                                                 "\"with_client\":true,\"created_by\":\"%s\",\"created_at\":\"%s\"}",
                                                 staff_id, client, staff_id, now);

        add_op (ops, "conversation", conversation, conv);
      }
      for (int m = 0; m < 5; m++)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *msg = g_strdup_printf ("{\"conversation_id\":\"%s\",\"author_id\":\"%s\",\"text\":\"Message %d\","
                                                  "\"sent_at\":\"%s\"}", conversation, staff_id, m, now);

          add_op (ops, "message", id, msg);
        }
      for (int f = 0; f < 2; f++)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *form = g_strdup_printf (f == 0
                                                   ? "{\"client_id\":\"%s\",\"kind\":\"consent\",\"consent\":\"treatment\","
                                                     "\"title\":\"Consent\",\"text\":\"I agree.\",\"status\":\"pending\","
                                                     "\"assigned_by\":\"%s\"}"
                                                   : "{\"client_id\":\"%s\",\"kind\":\"measure\",\"instrument\":\"phq9\","
                                                     "\"title\":\"PHQ-9\",\"status\":\"pending\",\"assigned_by\":\"%s\"}",
                                                   client, staff_id);

          add_op (ops, "portal_form", id, form);
        }
      push_ops (session, server, token, ops);
      g_string_append_printf (sql,
                              "INSERT INTO portal_account (id, practice_id, client_id, email) VALUES ('%s', '%s', '%s', 'c%d@bench.example');"
                              "INSERT INTO portal_session (token_hash, account_id, practice_id, csrf_token, expires_at)"
                              " VALUES (sha256 (convert_to ('%s', 'UTF8')), '%s', '%s', 'x', now () + interval '1 day');",
                              account, practice_id, client, i, cookie, account, practice_id);
      conns[i].requests[0] = g_strdup ("GET /portal/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      conns[i].requests[1] = g_strdup_printf ("GET /v1/portal/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: tend_portal=%s\r\n\r\n", cookie);
      conns[i].requests[2] = g_strdup_printf ("GET /v1/portal/appointments HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: tend_portal=%s\r\n\r\n", cookie);
      conns[i].requests[3] = g_strdup_printf ("GET /v1/portal/conversations/%s/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Cookie: tend_portal=%s\r\n\r\n", conversation, cookie);
      conns[i].requests[4] = g_strdup_printf ("GET /v1/portal/forms HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: tend_portal=%s\r\n\r\n", cookie);
      cookies[i] = g_strdup (cookie);
      conversations[i] = g_strdup (conversation);
    }
  PQclear (test_pg_exec (pg, sql->str));
  PQclear (test_pg_exec (pg, "ANALYZE"));

  printf ("clients: %d\nseconds: %d\nthink-ms: %d\n", clients, seconds, think);
  run (server, conns, clients, seconds, think, &people);
  print_result ("people", &people);
  run (server, conns, clients, seconds, 0, &saturated);
  print_result ("saturated", &saturated);
  g_assert_cmpuint (people.failed + saturated.failed, ==, 0);
  if (rounds > 0)
    live_run (server, session, token, staff_id, cookies, conversations, clients, rounds);

  result_clear (&people);
  result_clear (&saturated);
  for (int i = 0; i < clients; i++)
    for (guint k = 0; k < N_KINDS; k++)
      g_free (conns[i].requests[k]);
  test_server_stop (server);
  test_pg_stop (pg);
  return 0;
}
