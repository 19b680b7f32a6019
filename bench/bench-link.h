/* bench-link.h: a constrained link on this machine, for the sync benchmark
 *
 * The benchmark runs in a network namespace of its own (its loopback, torn
 * down with the process).  A link profile limits the rate of the traffic to
 * and from the server's port with `tc ... tbf` (one token bucket each way),
 * and a relay of our own adds a fixed one-way delay in each direction (the
 * kernel's netem module, which would do that, is not on these machines).
 * The client talks to the relay; the relay to the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;       /* "loopback", "100mbit-10ms" */
  guint       rate_mbit;  /* 0: not limited */
  guint       rtt_ms;     /* round trip the relay adds; 0: no relay */
} BenchLinkProfile;

typedef struct _BenchRelay BenchRelay;

/* Moves this process into a new network namespace with its loopback up
 * (MTU 1500, as an Ethernet link).  FALSE when that is not allowed (not
 * root): the caller can only measure loopback then. */
gboolean    bench_link_enter_namespace (GError                **error);
/* Rate limits, both ways, the traffic of TCP port @server_port on lo. */
gboolean    bench_link_limit           (guint16                  server_port,
                                        guint                    rate_mbit,
                                        GError                 **error);
void        bench_link_unlimit         (void);

/* A relay on 127.0.0.1 (the port it returns) to 127.0.0.1:@target_port,
 * holding every byte for @one_way_ms in each direction, in order. */
BenchRelay *bench_relay_start          (guint16                  target_port,
                                        guint                    one_way_ms,
                                        guint16                 *port);
void        bench_relay_stop           (BenchRelay              *relay);
void        bench_relay_get_bytes      (BenchRelay              *relay,
                                        guint64                 *up,
                                        guint64                 *down);

G_END_DECLS
