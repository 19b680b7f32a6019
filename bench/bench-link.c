/* bench-link.c: a network namespace, tc token buckets and a delaying relay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gio.h>

#include "bench-link.h"

static gboolean
run (GError **error,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  va_list args;
  const char *arg;

  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  if (proc == NULL || !g_subprocess_wait_check (proc, NULL, error))
    {
      g_prefix_error (error, "%s %s: ", (const char *) argv->pdata[0], (const char *) argv->pdata[1]);
      return FALSE;
    }
  return TRUE;
}

gboolean
bench_link_enter_namespace (GError **error)
{
  if (unshare (CLONE_NEWNET) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                   "cannot make a network namespace: %s", g_strerror (errno));
      return FALSE;
    }
  return run (error, "ip", "link", "set", "lo", "up", NULL) &&
         run (error, "ip", "link", "set", "lo", "mtu", "1500", NULL);
}

/* htb only sorts the packets (tc's prio qdisc is not on these machines):
 * port @server_port's, by direction, into two classes whose token bucket
 * filters set the rate; everything else (the relay's client side) is not
 * limited.  The buckets hold 100 ms of the rate before they drop. */
gboolean
bench_link_limit (guint16  server_port,
                  guint    rate_mbit,
                  GError **error)
{
  g_autofree char *rate = g_strdup_printf ("%umbit", rate_mbit);
  g_autofree char *port = g_strdup_printf ("%u", server_port);
  /* At least a few full packets; above rate / HZ. */
  g_autofree char *burst = g_strdup_printf ("%ukb", MAX (16, rate_mbit / 4));

  bench_link_unlimit ();
  return run (error, "tc", "qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "30", NULL) &&
         run (error, "tc", "class", "add", "dev", "lo", "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit",
              "quantum", "60000", NULL) &&
         run (error, "tc", "class", "add", "dev", "lo", "parent", "1:", "classid", "1:20", "htb", "rate", "10gbit",
              "quantum", "60000", NULL) &&
         run (error, "tc", "class", "add", "dev", "lo", "parent", "1:", "classid", "1:30", "htb", "rate", "10gbit",
              "quantum", "60000", NULL) &&
         run (error, "tc", "qdisc", "add", "dev", "lo", "parent", "1:10", "handle", "10:", "tbf", "rate", rate,
              "burst", burst, "latency", "100ms", NULL) &&
         run (error, "tc", "qdisc", "add", "dev", "lo", "parent", "1:20", "handle", "20:", "tbf", "rate", rate,
              "burst", burst, "latency", "100ms", NULL) &&
         run (error, "tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "1", "u32",
              "match", "ip", "sport", port, "0xffff", "flowid", "1:10", NULL) &&
         run (error, "tc", "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip", "prio", "2", "u32",
              "match", "ip", "dport", port, "0xffff", "flowid", "1:20", NULL);
}

void
bench_link_unlimit (void)
{
  run (NULL, "tc", "qdisc", "del", "dev", "lo", "root", NULL);
}

/* The relay */

typedef struct
{
  gint64 due;
  gsize  len;     /* 0: the end of the stream */
  guint8 data[];
} Chunk;

typedef struct
{
  int          from;
  int          to;
  gint64       delay_us;
  GAsyncQueue *queue;
  guint64     *bytes;
} Pump;

typedef struct
{
  int      client;
  int      server;
  gint64   delay_us;
  GThread *thread;
  guint64 *up_bytes;
  guint64 *down_bytes;
} Conn;

struct _BenchRelay
{
  int       listen_fd;
  guint16   target_port;
  gint64    delay_us;
  GThread  *thread;
  GMutex    lock;
  GPtrArray *conns;
  gboolean  stopping;
  guint64   up_bytes;
  guint64   down_bytes;
};

static gpointer
pump_read (gpointer data)
{
  Pump *p = data;

  for (;;)
    {
      Chunk *c = g_malloc (sizeof (Chunk) + 65536);
      ssize_t n = read (p->from, c->data, 65536);

      if (n < 0 && errno == EINTR)
        {
          g_free (c);
          continue;
        }
      c->due = g_get_monotonic_time () + p->delay_us;
      c->len = n > 0 ? (gsize) n : 0;
      g_async_queue_push (p->queue, c);
      if (n <= 0)
        break;
    }
  return NULL;
}

static gpointer
pump_write (gpointer data)
{
  Pump *p = data;
  gboolean failed = FALSE;

  for (;;)
    {
      Chunk *c = g_async_queue_pop (p->queue);
      gint64 wait = c->due - g_get_monotonic_time ();
      gsize done = 0;

      if (c->len == 0)
        {
          g_free (c);
          shutdown (p->to, SHUT_WR);
          break;
        }
      if (wait > 0)
        g_usleep (wait);
      while (!failed && done < c->len)
        {
          ssize_t n = write (p->to, c->data + done, c->len - done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              /* The other side is gone: stop reading this way too. */
              failed = TRUE;
              shutdown (p->from, SHUT_RDWR);
              break;
            }
          done += (gsize) n;
          __atomic_add_fetch (p->bytes, (guint64) n, __ATOMIC_RELAXED);
        }
      g_free (c);
    }
  return NULL;
}

static gpointer
conn_thread (gpointer data)
{
  Conn *conn = data;
  Pump up = { conn->client, conn->server, conn->delay_us, g_async_queue_new (), conn->up_bytes };
  Pump down = { conn->server, conn->client, conn->delay_us, g_async_queue_new (), conn->down_bytes };
  GThread *threads[] = {
    g_thread_new ("relay-up-r", pump_read, &up),
    g_thread_new ("relay-up-w", pump_write, &up),
    g_thread_new ("relay-down-r", pump_read, &down),
    g_thread_new ("relay-down-w", pump_write, &down),
  };

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_async_queue_unref (up.queue);
  g_async_queue_unref (down.queue);
  return NULL;
}

static void
set_nodelay (int fd)
{
  int one = 1;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static gpointer
accept_thread (gpointer data)
{
  BenchRelay *relay = data;

  for (;;)
    {
      struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (relay->target_port) };
      int client = accept (relay->listen_fd, NULL, NULL);
      int server;
      Conn *conn;

      if (client < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      to.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      server = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (connect (server, (struct sockaddr *) &to, sizeof to) != 0)
        {
          close (server);
          close (client);
          continue;
        }
      set_nodelay (client);
      set_nodelay (server);
      conn = g_new0 (Conn, 1);
      conn->client = client;
      conn->server = server;
      conn->delay_us = relay->delay_us;
      conn->up_bytes = &relay->up_bytes;
      conn->down_bytes = &relay->down_bytes;
      g_mutex_lock (&relay->lock);
      if (relay->stopping)
        {
          g_mutex_unlock (&relay->lock);
          close (client);
          close (server);
          g_free (conn);
          break;
        }
      conn->thread = g_thread_new ("relay-conn", conn_thread, conn);
      g_ptr_array_add (relay->conns, conn);
      g_mutex_unlock (&relay->lock);
    }
  return NULL;
}

BenchRelay *
bench_relay_start (guint16  target_port,
                   guint    one_way_ms,
                   guint16 *port)
{
  BenchRelay *relay = g_new0 (BenchRelay, 1);
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t len = sizeof addr;
  int one = 1;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  relay->listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  setsockopt (relay->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (relay->listen_fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
      listen (relay->listen_fd, 64) != 0 ||
      getsockname (relay->listen_fd, (struct sockaddr *) &addr, &len) != 0)
    g_error ("relay: %s", g_strerror (errno));
  *port = ntohs (addr.sin_port);
  relay->target_port = target_port;
  relay->delay_us = (gint64) one_way_ms * 1000;
  relay->conns = g_ptr_array_new ();
  g_mutex_init (&relay->lock);
  relay->thread = g_thread_new ("relay-accept", accept_thread, relay);
  return relay;
}

void
bench_relay_stop (BenchRelay *relay)
{
  g_mutex_lock (&relay->lock);
  relay->stopping = TRUE;
  g_mutex_unlock (&relay->lock);
  shutdown (relay->listen_fd, SHUT_RDWR);
  g_thread_join (relay->thread);
  close (relay->listen_fd);
  for (guint i = 0; i < relay->conns->len; i++)
    {
      Conn *conn = relay->conns->pdata[i];

      shutdown (conn->client, SHUT_RDWR);
      shutdown (conn->server, SHUT_RDWR);
      g_thread_join (conn->thread);
      close (conn->client);
      close (conn->server);
      g_free (conn);
    }
  g_ptr_array_unref (relay->conns);
  g_mutex_clear (&relay->lock);
  g_free (relay);
}

/* Bytes the relay delivered so far, to the server and to the client. */
void
bench_relay_get_bytes (BenchRelay *relay,
                       guint64    *up,
                       guint64    *down)
{
  *up = __atomic_load_n (&relay->up_bytes, __ATOMIC_RELAXED);
  *down = __atomic_load_n (&relay->down_bytes, __ATOMIC_RELAXED);
}
