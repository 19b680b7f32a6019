/* bench-http.h: a plain HTTP/1.1 client on loopback sockets, for the
 * benchmarks that load tend-server (bench-server, bench-portal): no
 * library between the measure and the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

static inline int
connect_to (guint16 port)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int one = 1;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static inline void
send_all (int         fd,
          const char *data,
          gsize       len)
{
  while (len > 0)
    {
      gssize n = send (fd, data, len, MSG_NOSIGNAL);

      g_assert_cmpint (n, >, 0);
      data += n;
      len -= (gsize) n;
    }
}

/* A whole response in @in?  Returns its length and sets @status. */
static inline gsize
response_complete (GString *in,
                   guint   *status)
{
  const char *end = strstr (in->str, "\r\n\r\n");
  const char *cl;
  gsize head, body;

  if (end == NULL)
    return 0;
  head = (gsize) (end - in->str) + 4;
  cl = g_strstr_len (in->str, (gssize) head, "Content-Length: ");
  g_assert_nonnull (cl);
  body = g_ascii_strtoull (cl + 16, NULL, 10);
  if (in->len < head + body)
    return 0;
  *status = (guint) g_ascii_strtoull (in->str + 9, NULL, 10);
  return head + body;
}
